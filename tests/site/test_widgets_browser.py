"""The widgets on the static site, in Chromium: every enabled control switches the picture.

For each widget block on each page, the test changes every enabled control (each option of a
select, both states of a checkbox, the step slider with the keyboard, the step and play
buttons) and asserts that

* the block now shows the precomputed state for the controls' new values (each slot holds
  that state's part, with that part's text);
* the picture is what the model says for those values: the tasks per instance
  (placement, recomputed here with ``place_tasks``), the step's task counts (rolling, with
  ``simulate_rolling_deployment``), the task-minutes (scaling, with ``autoscaling.simulate``);
* the switch took under 50 ms (swap and layout, measured in the page);
* no live-looking ipywidget is on the page, and disabled controls say how to change them;
* nothing was logged to the console and nothing left localhost.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sitekit import drain_logs, page_problems

pytestmark = pytest.mark.browser

WIDGET_PAGES = ["book/placement.html", "book/deployments.html", "book/auto-scaling.html"]
SWITCH_BUDGET_MS = 50
TIMINGS: list[float] = []


def _blocks(driver) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "div.ecsbook-widget")


def _data(block) -> dict:
    from selenium.webdriver.common.by import By

    return json.loads(block.find_element(By.CSS_SELECTOR, "script.ew-data").get_attribute("textContent"))


def _key(driver, block) -> str:
    return driver.execute_script(
        "return Array.prototype.map.call(arguments[0].querySelectorAll('[data-ew-key]'), function (c) {"
        " return c.getAttribute('data-ew-key') + '=' + (c.type === 'checkbox' ? String(c.checked) : c.value);"
        "}).join('|');", block)


def _assert_shows(driver, block, data: dict) -> str:
    """The block shows the state of its controls' values; returns that key."""
    key = _key(driver, block)
    assert key in data["states"], f"no state for {key}"
    assert block.get_attribute("data-ew-state") == key
    state = data["states"][key]
    for i, slot in enumerate(data["slots"]):
        if state[i] < 0:
            continue
        got = driver.execute_script(
            "var s = arguments[0].querySelector('[data-ew-slot=\"' + arguments[1] + '\"]');"
            "var t = document.createElement('template'); t.innerHTML = arguments[2];"
            "return [s.getAttribute('data-ew-part'), s.textContent, t.content.textContent,"
            " s.querySelectorAll('*').length, t.content.querySelectorAll('*').length];",
            block, slot, data["parts"][state[i]])
        assert got[0] == str(state[i]), (slot, key)
        assert got[1] == got[2] and got[3] == got[4], f"slot {slot} does not hold its part for {key}"
    return key


def _timed(driver, script: str, *args) -> float:
    """Run a control change in the page; ms until the swap is done and laid out."""
    ms = driver.execute_script(
        "var t0 = performance.now();" + script + ";"
        "document.body.getBoundingClientRect(); return performance.now() - t0;", *args)
    TIMINGS.append(ms)
    return ms


def _model_check(kind: str, block, key: str) -> None:
    values = dict(kv.split("=", 1) for kv in key.split("|"))
    shown = {f.get_attribute("data-ew-show"): f.get_attribute("value")
             for f in block.find_elements("css selector", "[data-ew-show]")}
    if kind == "placement":
        from ecsbook.scheduler.placement import place_tasks
        from ecsbook.widgets.placement import CHAINS, demo_cluster, parse_layout

        cluster = demo_cluster() if shown["layout"].startswith("(") else parse_layout(shown["layout"])
        td = {"family": "demo", "containerDefinitions": [
            {"name": "app", "memory": int(shown["memory"]), "cpu": int(shown["cpu"])}]}
        result = place_tasks(cluster, td, int(values["count"]), placement_strategy=CHAINS[values["chain"]])
        expected = {i.ec2_instance_id: 0 for i in cluster.instances.values()}
        expected.update(result.counts_by("instance"))
        drawn = {g.get_attribute("data-instance"): len(g.find_elements("css selector", "rect.ew-task"))
                 for g in block.find_elements("css selector", "g.ew-instance")}
        assert drawn == expected, (values, drawn, expected)
    elif kind == "comparison":
        from ecsbook.scheduler.placement import place_tasks
        from ecsbook.widgets.placement import CHAINS, demo_cluster

        td = {"family": "demo", "containerDefinitions": [{"name": "app", "memory": int(shown["memory"])}]}
        sides = block.find_elements("css selector", "[data-ew-slot]")
        for chain, side in zip((values["a"], values["b"]), sides):
            result = place_tasks(demo_cluster(), td, int(values["count"]), placement_strategy=CHAINS[chain])
            drawn = sum(len(g.find_elements("css selector", "rect.ew-task"))
                        for g in side.find_elements("css selector", "g.ew-instance"))
            assert drawn == len(result.placements) and chain in side.text
    elif kind == "rolling":
        from ecsbook.widgets.rolling import simulate

        tl = simulate(int(shown["desired"]), int(shown["min_healthy"]), int(shown["max_percent"]),
                      int(shown["health"]), values["failing"] == "true", values["breaker"] == "true")
        step = tl.steps[int(values["step"])]
        caption = block.find_element("css selector", "[data-ew-slot=caption]").text
        assert caption.startswith(f"Step {values['step']} of {len(tl.steps) - 1}, t = {step.time} s")
        colours = [r.get_attribute("fill") for r in
                   block.find_elements("css selector", "[data-ew-slot=strip] rect")]
        assert len(colours) == step.old_running + step.new_running + step.new_pending + step.draining
        assert tl.outcome in block.find_element("css selector", "[data-ew-slot=title]").text
    elif kind == "scaling":
        from ecsbook.widgets.scaling import run

        r = run(values["load"], values["policy"], int(shown["target"]), int(shown["min_tasks"]),
                int(shown["max_tasks"]), int(shown["capacity"]))
        assert f"{r.sim.task_minutes} task-minutes" in block.text
        assert block.find_element("css selector", "[data-ew-slot=caption]").text.startswith(
            f"{values['load']} load, {values['policy']}")


def _exercise(driver, block) -> int:
    """Change every enabled control of one block; the number of switches made."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    kind = block.get_attribute("data-ew-kind")
    data = _data(block)
    _model_check(kind, block, _assert_shows(driver, block, data))
    switches = 0
    for c in block.find_elements("css selector", "[data-ew-key]"):
        assert c.is_enabled()
        if c.tag_name == "select":
            sel = Select(c)
            options = [o.get_attribute("value") for o in sel.options]
            assert len(options) >= 2
            current = c.get_attribute("value")
            for value in [o for o in options if o != current] + [current]:
                before = block.get_attribute("data-ew-state")
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", c)
                sel.select_by_value(value)                      # a real user selection
                key = _assert_shows(driver, block, data)
                assert key != before
                _model_check(kind, block, key)
                # the same switch, timed inside the page (away and back)
                _timed(driver, "arguments[0].value = arguments[1];"
                       "arguments[0].dispatchEvent(new Event('change'))", c,
                       dict(kv.split("=", 1) for kv in before.split("|"))[c.get_attribute("data-ew-key")])
                _timed(driver, "arguments[0].value = arguments[1];"
                       "arguments[0].dispatchEvent(new Event('change'))", c, value)
                assert _assert_shows(driver, block, data) == key
                switches += 3
        elif c.get_attribute("type") == "checkbox":
            for _ in range(2):
                before = block.get_attribute("data-ew-state")
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", c)
                c.click()
                key = _assert_shows(driver, block, data)
                assert key != before
                _model_check(kind, block, key)
                switches += 1
            _timed(driver, "arguments[0].click()", c)
            _timed(driver, "arguments[0].click()", c)
            switches += 2
        elif c.get_attribute("type") == "range":
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", c)
            c.send_keys(Keys.HOME)                            # keyboard: first step
            assert c.get_attribute("value") == c.get_attribute("min")
            first = _assert_shows(driver, block, data)
            _model_check(kind, block, first)
            for _ in range(int(c.get_attribute("max")) - int(c.get_attribute("min"))):
                c.send_keys(Keys.ARROW_RIGHT)                 # every step, one by one
                key = _assert_shows(driver, block, data)
                _model_check(kind, block, key)
                _timed(driver, "arguments[0].stepDown(); arguments[0].dispatchEvent(new Event('input'));"
                       "arguments[0].stepUp(); arguments[0].dispatchEvent(new Event('input'))", c)
                switches += 2
            assert key != first
    return switches


def _exercise_buttons(driver, block) -> None:
    """The step buttons move one step each way; play advances by itself; pause stops it."""
    import time

    data = _data(block)
    if not data.get("play"):
        return
    rng = block.find_element("css selector", f'[data-ew-key="{data["play"]}"]')
    back = block.find_element("css selector", '[data-ew-step="-1"]')
    fwd = block.find_element("css selector", '[data-ew-step="1"]')
    play = block.find_element("css selector", "[data-ew-play]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", play)
    kind = block.get_attribute("data-ew-kind")

    def value() -> int:
        return int(rng.get_attribute("value"))

    last = int(rng.get_attribute("max"))
    assert last >= 2
    if value() == last:
        back.click()
        assert value() == last - 1
        _model_check(kind, block, _assert_shows(driver, block, data))
    v = value()
    fwd.click()
    assert value() == v + 1
    _model_check(kind, block, _assert_shows(driver, block, data))
    back.click()
    assert value() == v
    rng.send_keys("\ue011")                                  # Home: back to step 0
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    deadline = time.time() + 6
    while value() < 2 and time.time() < deadline:
        time.sleep(0.1)
    assert value() >= 2, "play did not advance"
    _model_check(kind, block, _assert_shows(driver, block, data))
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    stopped = value()
    time.sleep(1.0)
    assert value() == stopped, "pause did not stop the player"


@pytest.mark.parametrize("page", WIDGET_PAGES)
def test_every_enabled_control_switches_to_its_precomputed_state(desktop, site_url, page):
    driver = desktop
    drain_logs(driver)
    driver.get(f"{site_url}/{page}")
    blocks = _blocks(driver)
    assert blocks, f"{page}: no static widget block"
    # the live ipywidget is not drawn on the static page (it would look live and do nothing)
    assert not driver.find_elements("css selector", ".jupyter-widgets, .widget-slider, .widget-dropdown")
    for block in blocks:
        assert _exercise(driver, block) >= 4
        _exercise_buttons(driver, block)
        for f in block.find_elements("css selector", "input[disabled], select[disabled]"):
            legend = f.find_element("xpath", "ancestor::fieldset[1]/legend")
            assert "change this in a live notebook" in legend.text
            assert legend.find_elements("css selector", "a[href*='/v2/gh/']"), "no launch link"
        ms = float(block.get_attribute("data-ew-ms"))
        assert ms < SWITCH_BUDGET_MS
    slow = [t for t in TIMINGS if t >= SWITCH_BUDGET_MS]
    assert not slow, f"{len(slow)} switches took {SWITCH_BUDGET_MS} ms or more: {sorted(slow)[-3:]}"
    problems = page_problems(driver)
    assert not problems["errors"] and not problems["failed"] and not problems["outside"], problems


def test_launch_links_open_this_page_notebook(desktop, site_url):
    """The 'live notebook' link is the page's own Binder launch link (same notebook)."""
    driver = desktop
    driver.get(f"{site_url}/book/placement.html")
    own = driver.execute_script(
        "var a = document.querySelector('.dropdown-launch-buttons a[href*=\"/v2/\"]'); return a && a.href;")
    assert own and re.search(r"book/placement\.(md|ipynb)$", own), own
    links = {a.get_attribute("href") for a in driver.find_elements("css selector", "a.ew-launch")}
    assert links == {own}


def test_switch_timings_reported(request):
    """Summary line for the report (runs after the page tests in file order)."""
    if not TIMINGS:
        pytest.skip("no switch was timed")
    TIMINGS.sort()
    median = TIMINGS[len(TIMINGS) // 2]
    p95 = TIMINGS[int(len(TIMINGS) * 0.95)]
    out = Path(request.config.rootpath) / ".pytest_cache" / "ecsbook-widget-timings.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"switches": len(TIMINGS), "median_ms": median, "p95_ms": p95,
                               "max_ms": TIMINGS[-1]}))
    print(f"\nwidget state switches: {len(TIMINGS)}, median {median:.2f} ms, p95 {p95:.2f} ms, "
          f"max {TIMINGS[-1]:.2f} ms")
    assert TIMINGS[-1] < SWITCH_BUDGET_MS
