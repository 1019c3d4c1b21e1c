"""The built site: offline widgets, no external scripts, the config's single source of truth."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"] or "")
        if tag == "link" and (a.get("rel") or "") in {"stylesheet", "preload"} and a.get("href"):
            self.styles.append(a["href"] or "")


def _external(url: str) -> bool:
    p = urlparse(url)
    return bool(p.scheme in {"http", "https"} or url.startswith("//"))


def test_every_page_loads_scripts_only_from_the_site(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 10, "expected the whole book to be built"
    offenders = {}
    for page in pages:
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        ext = [u for u in parser.scripts + parser.styles if _external(u)]
        if ext:
            offenders[str(page.relative_to(built_site))] = ext
    assert not offenders, f"pages reference external script/style hosts: {offenders}"


def test_widget_pages_use_the_vendored_widget_manager(built_site: Path) -> None:
    """The widget manager is vendored; a page that embeds live widgets loads it from the site.

    The book's own views show as static blocks on the site (see tests/site), so their pages
    need no widget manager at all (ecsbook.widgets.sphinx_ext drops it); a page that displays
    a real ipywidget still gets the vendored one.
    """
    vendored = built_site / "_static" / "vendor"
    assert (vendored / "embed-amd.js").stat().st_size > 100_000
    assert (vendored / "require.min.js").is_file()
    assert (vendored / "embed-amd.js").read_text().startswith("/* ecsbook: html-manager fonts")
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        views = "application/vnd.jupyter.widget-view+json" in html
        loads = re.search(r'src="[./]*_static/vendor/embed-amd\.js(\?[^"]*)?"', html)
        if views:
            assert loads, f"{page}: displays ipywidgets without the vendored widget manager"
        elif "application/vnd.jupyter.widget-state+json" in html or loads:
            raise AssertionError(f"{page}: loads the widget manager but shows no widget")
    widget_blocks = [p for p in built_site.rglob("*.html") if 'class="ecsbook-widget"' in p.read_text()]
    assert len(widget_blocks) >= 3, "the widget chapters show no static widget block"


def test_repository_url_lives_only_in_config() -> None:
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    url = cfg["repository"]["url"]
    assert url.startswith("https://")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    holders = [f for f in tracked if f != "_config.yml" and (ROOT / f).is_file()
               and url in (ROOT / f).read_text(errors="ignore")]
    assert not holders, f"the repository URL is duplicated in {holders}; read it from _config.yml"


def test_config_is_strict_and_executes_everything() -> None:
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cfg["only_build_toc_files"] is True
    assert cfg["execute"]["execute_notebooks"] == "force"
    assert cfg["launch_buttons"]["binderhub_url"]
    # (a JupyterHub button only where one is configured: tests/site/test_launch.py)
    js = cfg["sphinx"]["config"]["nb_ipywidgets_js"]
    assert all(not _external(k) for k in js), js
    makefile = (ROOT / "Makefile").read_text()
    assert "-W -n --keep-going" in makefile


def test_every_toc_file_exists() -> None:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [c["file"] for c in part["chapters"]]
    missing = [f for f in files
               if not any((ROOT / f"{f}{ext}").is_file() for ext in (".md", ".ipynb"))]
    assert not missing, f"_toc.yml lists missing files: {missing}"
