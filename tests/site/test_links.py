"""Every internal link and anchor of the built site resolves; external links are listed.

* Internal: every ``href``/``src`` of every page that points inside the site names a file
  that exists, and every ``#fragment`` names an ``id`` (or ``name``) in the target page.
* External: the AWS documentation links (and the other external links) of every page are
  collected into one list, written to ``.pytest_cache/ecsbook-external-links.txt``.
  `make linkcheck` (``ECSBOOK_LINKCHECK=1``) requests each of them, where a network is
  available; without it that test is skipped. Links that exist only once the book is
  published (the repository, its issues, the launch services) are not requested.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import urllib.error
import urllib.request
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml
from sitekit import external_links, is_aws, site_pages

ROOT = Path(__file__).resolve().parents[2]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (attribute, url)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key] or "")
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and (a.get("rel") or "") in ("preconnect", "dns-prefetch")):
                self.refs.append((key, a[key] or ""))


@cache
def _parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    return p


def _internal(url: str) -> bool:
    scheme = urlparse(url).scheme
    return not scheme and not url.startswith("//")


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    pages = site_pages(built_site)
    assert len(pages) >= 30
    broken: list[str] = []
    checked = anchors = 0
    for page in pages:
        here = built_site / page
        for attr, url in _parse(here).refs:
            if not _internal(url) or url.startswith(("javascript:", "data:", "mailto:")):
                continue
            checked += 1
            target_url = urljoin(f"http://site/{page}", url)
            parsed = urlparse(target_url)
            path = unquote(parsed.path).lstrip("/")
            target = built_site / path if path else built_site / "index.html"
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page}: {attr}={url} -> missing {path}")
                continue
            if parsed.fragment and target.suffix == ".html":
                anchors += 1
                if unquote(parsed.fragment) not in _parse(target).ids:
                    broken.append(f"{page}: {url} -> no #{parsed.fragment} in {path}")
    assert checked > 1000 and anchors > 100, (checked, anchors)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


def _published_only() -> tuple[str, ...]:
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    launch = cfg.get("launch_buttons") or {}
    return tuple(u.rstrip("/") for u in (cfg["repository"]["url"], launch.get("binderhub_url"),
                                         launch.get("jupyterhub_url")) if u)


def test_external_links_are_listed_and_well_formed(built_site: Path, request) -> None:
    links = external_links(built_site)
    aws = [u for u in links if is_aws(u)]
    assert len(aws) >= 50, "expected the chapters to cite the AWS documentation"
    bad = [u for u in links if re.search(r"\s|[<>\"]", u) or (is_aws(u) and not u.startswith("https://"))]
    assert not bad, f"malformed external links: {bad}"
    out = Path(request.config.rootpath) / ".pytest_cache" / "ecsbook-external-links.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("".join(f"{u}\t{' '.join(p)}\n" for u, p in links.items()), encoding="utf-8")
    print(f"\n{len(links)} external links ({len(aws)} AWS) listed in {out}")


def _check(url: str) -> str | None:
    headers = {"User-Agent": "ecsbook-linkcheck/1.0 (+https://jupyterbook.org)"}
    for method in ("HEAD", "GET"):
        req = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:
                if resp.status < 400:
                    return None
        except urllib.error.HTTPError as err:
            if method == "GET" or err.code not in (403, 405, 501):
                if err.code in (429,):
                    return None               # rate limited: not a broken link
                return f"{err.code} {url}"
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            return f"{type(err).__name__}: {err} {url}"
    return None


@pytest.mark.skipif(not os.environ.get("ECSBOOK_LINKCHECK"), reason="needs the network: `make linkcheck`")
def test_external_links_resolve(built_site: Path) -> None:
    skip = _published_only()
    links = [u.split("#")[0] for u in external_links(built_site) if not u.startswith(skip)]
    unique = sorted(set(links))
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        problems = [r for r in pool.map(_check, unique) if r]
    assert not problems, f"{len(problems)} of {len(unique)} external links fail:\n" + "\n".join(problems)
