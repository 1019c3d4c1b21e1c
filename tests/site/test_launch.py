"""Launch buttons only where real.

* Each launch service configured in ``_config.yml`` (``launch_buttons``) has a button on every
  notebook page, pointing at that page's own source file in the repository; a service that is
  not configured (no JupyterHub by default) has no button anywhere.
* The Binder button opens the file of that page, which exists (book/<slug>.md or
  labs/<lab>.ipynb); Binder's environment itself is tested in tests/site/test_binder.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml
from sitekit import site_pages

ROOT = Path(__file__).resolve().parents[2]


class _Launch(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[tuple[str, str]] = []  # (title, href)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "div" and "dropdown-launch-buttons" in (a.get("class") or ""):
            self.depth = 1
        elif tag == "div" and self.depth:
            self.depth += 1
        if tag == "a" and self.depth:
            self.links.append((a.get("title") or "", a.get("href") or ""))

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def _pages(site: Path) -> dict[str, _Launch]:
    out = {}
    for page in site_pages(site):
        p = _Launch()
        p.feed((site / page).read_text(encoding="utf-8"))
        out[page] = p
    return out


def test_no_made_up_hub_in_the_config() -> None:
    hub = (_config().get("launch_buttons") or {}).get("jupyterhub_url") or ""
    assert "ecs-by-doing.org" not in hub, "jupyterhub_url names a host nobody runs"


def test_launch_buttons_match_the_configured_services(built_site: Path) -> None:
    cfg = _config()
    launch = cfg.get("launch_buttons") or {}
    repo = cfg["repository"]["url"].rstrip("/")
    org_repo = repo.split("github.com/", 1)[1]
    branch = cfg["repository"].get("branch", "main")
    binder = (launch.get("binderhub_url") or "").rstrip("/")
    hub = (launch.get("jupyterhub_url") or "").rstrip("/")
    pages = _pages(built_site)
    with_buttons = {page: p.links for page, p in pages.items() if p.links}
    # every lab and every chapter with code has the buttons
    for nb in sorted((ROOT / "labs").glob("lab*.ipynb")):
        assert f"labs/{nb.stem}.html" in with_buttons, f"no launch button on labs/{nb.stem}.html"
    assert "book/placement.html" in with_buttons
    for page, links in with_buttons.items():
        titles = {t for t, _ in links}
        assert ("Launch on Binder" in titles) == bool(binder), (page, titles)
        assert ("Launch on JupyterHub" in titles) == bool(hub), (page, titles)
        for title, href in links:
            if title == "Launch on Binder":
                prefix = f"{binder}/v2/gh/{org_repo}/{branch}?urlpath="
                assert href.startswith(prefix), href
                target = re.sub(r"^(lab/)?tree/", "", parse_qs(urlparse(href).query)["urlpath"][0])
                assert (ROOT / target).is_file(), f"{page}: Binder opens {target}, which does not exist"
                assert Path(target).with_suffix("").as_posix() == Path(page).with_suffix("").as_posix()
            if title == "Launch on JupyterHub":
                assert href.startswith(f"{hub}/hub/user-redirect/git-pull?"), href
    # and no page links to a hub that is not configured
    hubs = {urlparse(h).hostname for p in pages.values() for h in p.hrefs if "/hub/user-redirect/" in h}
    assert hubs <= ({urlparse(hub).hostname} if hub else set()), hubs
