"""Shared pytest configuration for ECS by Doing."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The built site: `_build/html` (what `make book` writes), or ECSBOOK_SITE to test a build made
# elsewhere (e.g. `jupyter-book build . --path-output /tmp/site-build` -> /tmp/site-build/_build/html).
SITE = Path(os.environ.get("ECSBOOK_SITE") or ROOT / "_build" / "html").resolve()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The built book (``_build/html``, or ``$ECSBOOK_SITE``). `make test` builds it first.

    Under CI a missing build is a failure (the build is part of the suite); on a laptop the
    tests that need it are skipped with a hint.
    """
    if not (SITE / "index.html").is_file():
        msg = f"{SITE}/index.html is missing: run `make book` (make test builds it first)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built site served on 127.0.0.1 (a random free port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@contextlib.contextmanager
def _chromium(window: str = "1280,900", profile_prefix: str = "ecsbook-chrome-") -> Iterator:
    """Headless Debian Chromium with a throwaway profile and console + network logs.

    Each caller gets its own profile, so one test module's localStorage never leaks into
    another's. Missing Chromium is a skip on a laptop and a failure under CI.
    """
    if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
        msg = "Chromium is not installed: run tests/quiz/browser_setup.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix=profile_prefix)
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={window}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    d.set_page_load_timeout(60)
    d.set_script_timeout(60)
    try:
        yield d
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium():
    """``with chromium(window, profile_prefix) as driver:`` starts a browser (see _chromium)."""
    return _chromium
