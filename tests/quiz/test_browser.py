"""Real browser: answer a chapter quiz and finish a short mock exam in headless Chromium.

Serves the built site on 127.0.0.1, drives Debian's Chromium through chromedriver (installed by
tests/quiz/browser_setup.sh, which `make test` runs), and checks the score, the explanations,
progress saved across a reload, and that no request left localhost.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def driver(chromium):
    with chromium("1200,900") as d:
        yield d


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def _assert_local(urls: list[str]) -> None:
    # network schemes only: chrome:// and data: URLs are the browser's own, never on the wire
    outside = [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss", "ftp")
               and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert any(urlparse(u).hostname == "127.0.0.1" for u in urls), "no request was recorded at all"
    assert not outside, f"requests left localhost: {outside}"


def _wait(driver, css: str, timeout: float = 20):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _answer_correctly(driver, question_box, data_by_id) -> None:
    from selenium.webdriver.common.by import By

    q = data_by_id[question_box.get_attribute("data-qid")]
    for k, inp in enumerate(question_box.find_elements(By.CSS_SELECTOR, "input")):
        if (k in q["answer"]) != inp.is_selected():
            inp.click()


def _page_data(driver) -> dict:
    from selenium.webdriver.common.by import By

    raw = driver.find_element(By.CSS_SELECTOR, 'script[type="application/json"][id^="eq-"]').get_attribute("textContent")
    return json.loads(raw)


def test_chapter_quiz_grades_explains_and_remembers(driver, site_url):
    from selenium.webdriver.common.by import By

    driver.get(f"{site_url}/book/pricing.html")
    _wait(driver, "div.eq-quiz .eq-q")
    data = {q["id"]: q for q in _page_data(driver)["questions"]}
    boxes = driver.find_elements(By.CSS_SELECTOR, "div.eq-quiz .eq-q")
    assert len(boxes) == 6
    _answer_correctly(driver, boxes[0], data)                       # first: right
    boxes[0].find_element(By.CSS_SELECTOR, "button").click()
    q1 = data[boxes[1].get_attribute("data-qid")]                    # second: wrong on purpose
    wrong = next(k for k in range(len(q1["options"])) if k not in q1["answer"])
    boxes[1].find_elements(By.CSS_SELECTOR, "input")[wrong].click()
    boxes[1].find_element(By.CSS_SELECTOR, "button").click()
    assert "Correct." in boxes[0].text and "Not quite." in boxes[1].text
    assert q1["options"][wrong]["why"] in boxes[1].text            # per-option explanation shown
    assert "Score: 1 / 6 (2 answered" in driver.find_element(By.CSS_SELECTOR, "div.eq-quiz").text
    driver.refresh()
    _wait(driver, "div.eq-quiz .eq-feedback")
    root = driver.find_element(By.CSS_SELECTOR, "div.eq-quiz")
    assert "Score: 1 / 6 (2 answered" in root.text                 # progress survived the reload
    assert len(root.find_elements(By.CSS_SELECTOR, ".eq-feedback")) == 2
    _assert_local(_requests(driver))


def _root(driver):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, "div.eq-quiz")


def _buttons(driver) -> dict:
    from selenium.webdriver.common.by import By

    return {b.text: b for b in _root(driver).find_elements(By.CSS_SELECTOR, "button.eq-btn")
            if b.text}


def _nav_states(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [b.get_attribute("data-state") for b in
            _root(driver).find_elements(By.CSS_SELECTOR, "nav.eq-nav button")]


def test_mock_exam_resumes_navigates_confirms_and_reviews(driver, site_url):
    from selenium.webdriver.common.by import By

    url = f"{site_url}/book/mock-saa-c03.html?n=5&minutes=5&seed=42"
    driver.get(url)
    driver.execute_script("localStorage.clear()")
    driver.get(url)
    _wait(driver, "div.eq-quiz .eq-q")
    data = {q["id"]: q for q in _page_data(driver)["questions"]}
    root = _root(driver)
    assert "Question 1 of 5" in root.text and "Time left" in root.text
    assert _nav_states(driver) == ["unanswered"] * 5
    # answer questions 1 and 2 correctly, flag question 2, then reload mid-exam
    for i in range(2):
        _answer_correctly(driver, root.find_element(By.CSS_SELECTOR, ".eq-q"), data)
        if i == 1:
            _buttons(driver)["Flag for review"].click()
            assert "(flagged)" in _root(driver).text
        _buttons(driver)["Next"].click()
    first_ids = [b.get_attribute("aria-label") for b in
                 root.find_elements(By.CSS_SELECTOR, "nav.eq-nav button")]
    driver.refresh()
    _wait(driver, "div.eq-quiz .eq-q")
    root = _root(driver)
    assert "your exam in progress was restored" in root.text
    assert "Question 3 of 5" in root.text                    # where we left off
    assert _nav_states(driver)[:2] == ["answered", "answered flagged"]
    assert _nav_states(driver)[2:] == ["unanswered"] * 3
    assert len(first_ids) == 5
    # the navigator jumps to any question; answer question 5 there
    root.find_elements(By.CSS_SELECTOR, "nav.eq-nav button")[4].click()
    assert "Question 5 of 5" in _root(driver).text
    _answer_correctly(driver, _root(driver).find_element(By.CSS_SELECTOR, ".eq-q"), data)
    assert _nav_states(driver)[4] == "answered"
    # submit asks first, listing what is open; "Keep working" changes nothing
    _buttons(driver)["Submit exam"].click()
    confirm = _root(driver).find_element(By.CSS_SELECTOR, ".eq-confirm")
    assert "2 unanswered: questions 3, 4." in confirm.text
    assert "1 flagged for review: questions 2." in confirm.text
    _buttons(driver)["Keep working"].click()
    assert not _root(driver).find_elements(By.CSS_SELECTOR, "h3.eq-result")
    _buttons(driver)["Submit exam"].click()
    _buttons(driver)["Yes, submit"].click()
    result = _wait(driver, "h3.eq-result")
    assert result.get_attribute("data-score") == "3" and "3 / 5 (60%)" in result.text
    root = _root(driver)
    assert "By official exam domain" in root.text and "Design Secure Architectures" in root.text
    assert "By book chapter" in root.text
    assert "You flagged questions 2" in root.text
    assert "Your attempts at SAA-C03" in root.text
    states = _nav_states(driver)
    assert "flagged" in states[1] and all(("right" in s) != ("wrong" in s) for s in states)
    assert root.find_elements(By.CSS_SELECTOR, ".eq-feedback")   # review mode explains
    links = [a.get_attribute("href") for a in root.find_elements(By.CSS_SELECTOR, "a")]
    assert any(h and h.endswith("/book/review.html") for h in links)
    # a reload after submitting shows the result again, not a new exam
    driver.refresh()
    assert _wait(driver, "h3.eq-result").get_attribute("data-score") == "3"
    queue = driver.execute_script("return JSON.parse(localStorage.getItem('ecsbook-review'))")
    assert len(queue) == 2 and {v["box"] for v in queue.values()} == {1}
    _assert_local(_requests(driver))


def test_review_page_serves_missed_questions_and_moves_them_up(driver, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(f"{site_url}/book/review.html")
    _wait(driver, "div.eq-quiz")
    data = {q["id"]: q for q in _page_data(driver)["questions"]}
    qid = sorted(i for i, q in data.items() if len(q["answer"]) == 1)[0]
    driver.execute_script(
        "localStorage.setItem('ecsbook-review', JSON.stringify(arguments[0]))",
        {qid: {"box": 1, "due": 0}})
    driver.refresh()
    box = _wait(driver, "div.eq-quiz .eq-q")
    assert "1 due now" in _root(driver).text
    assert box.get_attribute("data-qid") == qid
    # keyboard only: focus the right option, select it with space, press Check with enter
    right = box.find_elements(By.CSS_SELECTOR, "input")[data[qid]["answer"][0]]
    driver.execute_script("arguments[0].focus()", right)
    right.send_keys(Keys.SPACE)
    check = next(b for b in box.find_elements(By.CSS_SELECTOR, "button") if b.text == "Check")
    check.send_keys(Keys.ENTER)
    assert "Correct." in _root(driver).text
    queue = driver.execute_script("return JSON.parse(localStorage.getItem('ecsbook-review'))")
    assert queue[qid]["box"] == 2
    assert 2.9 * 86400000 < queue[qid]["due"] - time.time() * 1000 < 3.1 * 86400000
    driver.refresh()
    _wait(driver, "div.eq-quiz .eq-done")
    assert "Nothing is due" in _root(driver).text
    _assert_local(_requests(driver))
