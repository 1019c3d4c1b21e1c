"""Fixtures for the built-site tests: the pages, a local server and headless Chromium.

The site is `_build/html` or `$ECSBOOK_SITE` (see tests/conftest.py). Chromium is driven as in
tests/quiz/test_browser.py (Debian's chromium + chromedriver, headless, a throwaway profile),
with the browser console and the network (performance) logs recorded so tests can assert
"no JavaScript error, no failed request, nothing left localhost".
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def chrome(chromium):
    with chromium("1280,900", "ecsbook-site-chrome-") as d:
        yield d


@pytest.fixture()
def desktop(chrome):
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chrome.set_window_size(1280, 900)
    yield chrome


@pytest.fixture()
def phone(chrome):
    """A 390 x 844 CSS-px phone (an iPhone 12-14 class screen)."""
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    yield chrome
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
