"""A clean console on every built page: no JavaScript error, no failed request, nothing remote.

Loads every page of the built site in Chromium (from a local server), waits for it to settle,
and reads the browser console (errors: uncaught exceptions, console.error, failed resources)
and the network log (responses of 400 and above, failed loads, any request that left
localhost). The first page is loaded with a fresh profile, so a missing favicon or a
first-visit theme error would show.
"""

from __future__ import annotations

import time

import pytest
from sitekit import drain_logs, page_problems, site_pages

pytestmark = pytest.mark.browser


def test_every_page_loads_without_errors_or_failed_requests(desktop, site_url, built_site):
    pages = site_pages(built_site)
    assert len(pages) >= 30, pages
    drain_logs(desktop)
    bad = {}
    requests = 0
    for page in pages:
        desktop.get(f"{site_url}/{page}")
        desktop.execute_script("return document.readyState")
        time.sleep(0.2)                         # async scripts, fonts, the favicon
        problems = page_problems(desktop)
        requests += problems.pop("requests")[0]
        problems = {k: v for k, v in problems.items() if v}
        if problems:
            bad[page] = problems
    assert requests > len(pages), "the network log recorded (almost) nothing"
    assert not bad, f"{len(bad)} of {len(pages)} pages have console errors or failed requests: {bad}"


def test_the_checker_sees_an_error(desktop, site_url):
    """The console check can fail: a thrown error and a 404 are both reported."""
    desktop.get(f"{site_url}/book/intro.html")
    drain_logs(desktop)
    desktop.execute_script("setTimeout(function () { throw new Error('ecsbook-probe'); }, 0);"
                           "var i = new Image(); i.src = 'no-such-file.png';")
    time.sleep(0.5)
    problems = page_problems(desktop)
    assert any("ecsbook-probe" in e for e in problems["errors"])
    assert any("404" in f for f in problems["failed"])
