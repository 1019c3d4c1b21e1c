"""Accessibility: axe-core in Chromium on every built page, and the quizzes by keyboard alone.

axe-core is vendored for the tests only (``python tools/vendor_js.py --test`` puts a pinned
``npm pack axe-core@<version>`` into tests/site/_vendor/, never into the site); the fixture
runs that command when the file is missing. Every page must have no *serious* or *critical*
violation (WCAG 2.x A/AA rules and axe's best practices); the moderate and minor ones are
printed for the record.

The chapter quiz, a mock exam and the review page are then used with the keyboard only: Tab
moves to each answer and button, Space picks an answer, Enter presses a button.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sitekit import site_pages

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "site" / "_vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        out = subprocess.run([sys.executable, str(ROOT / "tools" / "vendor_js.py"), "--test"],
                             capture_output=True, text=True, check=False)
        if not AXE.is_file():
            pytest.fail(f"could not vendor axe-core (npm and the npm registry are needed):\n{out.stderr}")
    return AXE.read_text(encoding="utf-8")


def run_axe(driver, source: str) -> list[dict]:
    driver.execute_script(source)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
        "  done(JSON.stringify(r.violations.map(function (v) { return {id: v.id, impact: v.impact,"
        "    help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }),"
        "    count: v.nodes.length}; })));"
        "}).catch(function (e) { done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e),"
        "  nodes: [], count: 1}])); });")
    return json.loads(result)


def test_no_serious_or_critical_violations_on_any_page(desktop, site_url, built_site, axe_source):
    pages = site_pages(built_site)
    assert len(pages) >= 30
    blocking: dict[str, list] = {}
    by_impact: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    for page in pages:
        desktop.get(f"{site_url}/{page}")
        for v in run_axe(desktop, axe_source):
            by_impact[v["impact"]] += v["count"]
            by_rule[f'{v["impact"]} {v["id"]}'] += v["count"]
            if v["impact"] in BLOCKING:
                blocking.setdefault(page, []).append(v)
    print(f"\naxe-core on {len(pages)} pages, violating nodes by impact: {dict(by_impact)}; "
          f"by rule: {dict(by_rule)}")
    assert not blocking, "serious/critical accessibility violations:\n" + "\n".join(
        f"{page}: {v['impact']} {v['id']} ({v['count']}): {v['help']} e.g. {v['nodes']}"
        for page, vs in blocking.items() for v in vs)


def test_axe_sees_a_violation(desktop, site_url, axe_source):
    """The check can fail: an image without alt text is reported as critical."""
    desktop.get(f"{site_url}/book/intro.html")
    desktop.execute_script("var i = document.createElement('img'); i.src = '../_static/favicon.svg';"
                           "document.querySelector('article').appendChild(i);")
    assert any(v["id"] == "image-alt" and v["impact"] == "critical" for v in run_axe(desktop, axe_source))


# --------------------------------------------------------------------------- keyboard only


def _tab_to(driver, predicate: str, limit: int = 400):
    """Press Tab until the focused element satisfies the JS predicate (on `e`); return it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script(f"var e = document.activeElement; return !!(e && ({predicate}));"):
            return driver.switch_to.active_element
    raise AssertionError(f"Tab never reached an element with {predicate}")


def _press(driver, key) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def _data(driver) -> dict:
    raw = driver.find_element("css selector", 'script[type="application/json"][id^="eq-"]').get_attribute(
        "textContent")
    return {q["id"]: q for q in json.loads(raw)["questions"]}


def _answer_by_keyboard(driver, data: dict) -> None:
    """Tab into the first question, pick the right answer with arrow keys/Space, Enter on Check."""
    from selenium.webdriver.common.keys import Keys

    first = _tab_to(driver, "e.matches('.eq-q input')")
    box = first.find_element("xpath", "ancestor::*[contains(@class,'eq-q')][1]")
    q = data[box.get_attribute("data-qid")]
    inputs = box.find_elements("css selector", "input")
    if first.get_attribute("type") == "radio":
        # arrow keys move within a radio group and select as they go
        for _ in range(q["answer"][0]):
            _press(driver, Keys.ARROW_DOWN)
        if not inputs[q["answer"][0]].is_selected():
            _press(driver, Keys.SPACE)
    else:
        for k, _inp in enumerate(inputs):
            if k:
                _press(driver, Keys.TAB)
            if k in q["answer"]:
                _press(driver, Keys.SPACE)
    assert [i.is_selected() for i in inputs] == [k in q["answer"] for k in range(len(inputs))]


def test_chapter_quiz_by_keyboard_alone(desktop, site_url):
    from selenium.webdriver.common.keys import Keys

    driver = desktop
    driver.get(f"{site_url}/book/networking.html")
    driver.execute_script("localStorage.clear()")
    driver.refresh()
    data = _data(driver)
    _answer_by_keyboard(driver, data)
    _tab_to(driver, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Check'")
    _press(driver, Keys.ENTER)
    assert "Correct." in driver.find_element("css selector", "div.eq-quiz").text


def test_mock_exam_by_keyboard_alone(desktop, site_url):
    from selenium.webdriver.common.keys import Keys

    driver = desktop
    url = f"{site_url}/book/mock-dva-c02.html?n=3&minutes=5&seed=7"
    driver.get(url)
    driver.execute_script("localStorage.clear()")
    driver.get(url)
    data = _data(driver)
    root = driver.find_element("css selector", "div.eq-quiz")
    for i in range(3):
        assert f"Question {i + 1} of 3" in root.text
        _answer_by_keyboard(driver, data)
        label = "Next" if i < 2 else "Submit exam"
        _tab_to(driver, f"e.tagName === 'BUTTON' && e.textContent.trim() === '{label}'")
        _press(driver, Keys.ENTER)
    _tab_to(driver, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Yes, submit'")
    _press(driver, Keys.ENTER)
    result = driver.find_element("css selector", "h3.eq-result")
    assert result.get_attribute("data-score") == "3"


def test_review_page_by_keyboard_alone(desktop, site_url):
    from selenium.webdriver.common.keys import Keys

    driver = desktop
    driver.get(f"{site_url}/book/review.html")
    data = _data(driver)
    qid = min(i for i, q in data.items() if len(q["answer"]) == 1)
    driver.execute_script("localStorage.setItem('ecsbook-review', JSON.stringify(arguments[0]))",
                          {qid: {"box": 1, "due": 0}})
    driver.refresh()
    _answer_by_keyboard(driver, data)
    _tab_to(driver, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Check'")
    _press(driver, Keys.ENTER)
    assert "Correct." in driver.find_element("css selector", "div.eq-quiz").text


def test_widgets_by_keyboard_alone(desktop, site_url):
    """Tab reaches every enabled widget control; arrow keys change a select and the picture."""
    from selenium.webdriver.common.keys import Keys

    driver = desktop
    driver.get(f"{site_url}/book/placement.html")
    block = driver.find_element("css selector", "div.ecsbook-widget")
    before = block.get_attribute("data-ew-state")
    _tab_to(driver, "e.matches('.ecsbook-widget [data-ew-key]')")
    _press(driver, Keys.ARROW_DOWN)
    assert block.get_attribute("data-ew-state") != before
    # disabled controls are skipped by Tab (they cannot be changed here)
    focusable = driver.execute_script(
        "return Array.prototype.filter.call(document.querySelectorAll('.ecsbook-widget [disabled]'),"
        " function (e) { e.focus(); return document.activeElement === e; }).length")
    assert focusable == 0
