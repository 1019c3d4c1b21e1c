"""Static mode (no kernel): every precomputed state matches what the live widget draws.

The static block a view emits as ``text/html`` holds one state per combination of its enabled
controls. Each state must be exactly the picture the live widget shows for those control
values, every control without precomputed states must be disabled and say so, and the block
must be self-contained (no external URL, JSON that cannot end its script element).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from ecsbook.widgets.placement import CHAINS, PlacementComparison, PlacementExplorer
from ecsbook.widgets.rolling import SCENARIOS, RollingUpdatePlayer
from ecsbook.widgets.scaling import POLICIES, ScalingSimulator
from ecsbook.widgets.static import LIVE_NOTE, StaticWidget, compose, launch_url

#: A 390-px phone shows a chapter's output cells 358 px wide (measured in Chromium).
PHONE_CONTENT_PX = 358
MIN_TEXT_PX = 11


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" class="ew-data">(.*?)</script>', html, re.DOTALL)
    assert m, "no JSON data in the static block"
    return json.loads(m.group(1))


def _live_slots(view, sw: StaticWidget, key: str) -> str:
    return compose(sw.slots, sw.slot_html(key), sw.stacks, sw.body_class)


class _Controls(HTMLParser):
    """Every form control of a block: (tag, attrs, inside the 'live notebook' fieldset)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, dict, bool]] = []
        self.depth = 0
        self.legends: list[str] = []
        self._in_legend = False
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "fieldset" and "ew-live" in (a.get("class") or ""):
            self.depth += 1
        if tag == "legend" and self.depth:
            self._in_legend = True
            self.legends.append("")
        if tag == "a" and self._in_legend:
            self.links.append(a.get("href") or "")
        if tag in ("input", "select", "button"):
            self.controls.append((tag, a, bool(self.depth)))

    def handle_endtag(self, tag):
        if tag == "fieldset" and self.depth:
            self.depth -= 1
        if tag == "legend":
            self._in_legend = False

    def handle_data(self, data):
        if self._in_legend:
            self.legends[-1] += data


VIEWS = {
    "placement": lambda: PlacementExplorer(count=6),
    "comparison": lambda: PlacementComparison(count=8),
    "rolling": lambda: RollingUpdatePlayer(desired=6, min_healthy=50, max_percent=200, failing=True),
    "scaling": lambda: ScalingSimulator(preset="spike"),
}


@pytest.fixture(scope="module", params=sorted(VIEWS))
def view_and_block(request):
    view = VIEWS[request.param]()
    sw = view.static_widget()
    return request.param, view, sw, sw.html()


def test_mimebundle_has_the_live_widget_and_the_static_block(view_and_block):
    _, view, _, html = view_and_block
    bundle = view._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/html"] == html and 'class="ecsbook-widget"' in html


def test_every_combination_of_enabled_controls_has_a_state(view_and_block):
    _, _, sw, html = view_and_block
    data = _data(html)
    names = [c.name for c in sw.choices]
    combos = sw.combinations()
    assert len(combos) >= 2
    for values in combos:
        assert sw.key(values, names) in data["states"]
    assert data["initial"] in data["states"]
    assert all(len(st) >= len(data["slots"]) for st in data["states"].values())
    assert all(-1 <= i < len(data["parts"]) for st in data["states"].values() for i in st[: len(data["slots"])])


def test_block_is_self_contained(view_and_block):
    _, _, _, html = view_and_block
    data_json = re.search(r'class="ew-data">(.*?)</script>', html, re.DOTALL).group(1)
    assert "</" not in data_json and "<!--" not in data_json
    assert not re.search(r'\b(src|href)="(https?:)?//(?!mybinder\.org)', html), "external URL in the block"
    assert "<script src" not in html


def test_controls_without_states_are_disabled_and_say_so(view_and_block):
    kind, _, sw, html = view_and_block
    parser = _Controls()
    parser.feed(html)
    enabled = [(t, a) for t, a, live in parser.controls if "disabled" not in a]
    disabled = [(t, a, live) for t, a, live in parser.controls if "disabled" in a]
    # every enabled input is a precomputed choice (or a step/play button)
    keys = {a.get("data-ew-key") for t, a in enabled if t != "button"}
    assert keys == {c.name for c in sw.choices}, kind
    assert all(t == "button" and ("data-ew-step" in a or "data-ew-play" in a) for t, a in enabled
               if t == "button")
    assert disabled, f"{kind}: expected fixed controls"
    for _, a, live in disabled:
        assert live, f"{kind}: a disabled control outside the 'live notebook' fieldset: {a}"
        assert a.get("title") == LIVE_NOTE
    assert parser.legends and all(LIVE_NOTE in text for text in parser.legends)
    assert parser.links == [launch_url()] if launch_url() else not parser.links


def _set(view, kind: str, values: dict, sw: StaticWidget) -> None:
    """Drive the live widget's controls to a static state's values."""
    if kind == "placement":
        view.chain.value, view.count.value = values["chain"], int(values["count"])
    elif kind == "comparison":
        view.a.value, view.b.value, view.count.value = values["a"], values["b"], int(values["count"])
    elif kind == "scaling":
        view.preset.value, view.policy.value = values["load"], values["policy"]
    elif kind == "rolling":
        label = dict(zip(sw.choices[0].values, sw.choices[0].labels))[values["scenario"]]
        nums = re.search(r"(\d+) tasks, (\d+) % / (\d+) %", label)
        assert nums, label
        view.desired.value, view.min_healthy.value, view.max_percent.value = map(int, nums.groups())
        view.failing.value = values["failing"] == "true"
        view.breaker.value = values["breaker"] == "true"
        view.step.value = int(values["step"])


def test_each_state_is_what_the_live_widget_draws(view_and_block):
    kind, _, sw, _ = view_and_block
    view = VIEWS[kind]()          # a fresh live view to drive
    names = [c.name for c in sw.choices]
    combos = sw.combinations()
    # all of them for the small views; a spread sample of the rolling player's 500 states
    sample = combos if len(combos) <= 80 else combos[:: max(1, len(combos) // 60)] + [combos[-1]]
    for values in sample:
        _set(view, kind, values, sw)
        expected = _live_slots(view, sw, sw.key(values, names))
        assert expected in view.output.value, f"{kind} {values}: the static state differs from the live picture"


def test_placement_states_cover_every_preset_chain_and_the_page_count():
    sw = PlacementExplorer(count=7).static_widget()
    chain, count = sw.choices
    assert set(chain.values) == set(CHAINS) and "7" in count.values and len(count.values) >= 4


def test_comparison_covers_every_preset_pair():
    sw = PlacementComparison(count=8).static_widget()
    pairs = {(k.split("|")[0], k.split("|")[1]) for k in sw.states}
    assert len(pairs) == len(CHAINS) ** 2


def test_rolling_states_cover_every_step_of_every_scenario():
    p = RollingUpdatePlayer(desired=6, min_healthy=50, max_percent=200, failing=True)
    sw = p.static_widget()
    scen = sw.choices[0]
    assert len(scen.values) == len(SCENARIOS) + 1            # + the page's own settings
    for sid in scen.values:
        for failing in ("false", "true"):
            for breaker in ("false", "true"):
                base = {"scenario": sid, "failing": failing, "breaker": breaker}
                last = sw.limits[sw.key(base, ["scenario", "failing", "breaker"])]["step"]
                for i in range(last + 1):
                    assert sw.key({**base, "step": str(i)}, ["scenario", "failing", "breaker", "step"]) in sw.states
    assert sw.play == "step"


def test_scaling_states_cover_every_preset_load_and_policy():
    sw = ScalingSimulator().static_widget()
    assert len(sw.states) == len(sw.choices[0].values) * len(POLICIES) >= 8


def _svg_texts(html: str):
    start = 0
    while (i := html.find("<svg", start)) >= 0:
        j = html.find("</svg>", i) + len("</svg>")
        root = ET.fromstring(html[i:j])
        yield root
        start = j


def test_pictures_fit_a_phone_with_text_of_at_least_11px(view_and_block):
    """SVGs at most 358 units wide are drawn at (nearly) natural size on a phone: text >= 11 px."""
    kind, _, sw, _ = view_and_block
    ns = "{http://www.w3.org/2000/svg}"
    for part in sw.parts:
        for svg in _svg_texts(part):
            width = float(svg.get("viewBox").split()[2])
            scale = min(1.0, PHONE_CONTENT_PX / width)
            assert width <= PHONE_CONTENT_PX, f"{kind}: a {width}-unit-wide picture would shrink on a phone"
            for t in svg.iter(f"{ns}text"):
                assert float(t.get("font-size")) * scale >= MIN_TEXT_PX, (kind, t.text, t.get("font-size"))


def test_model_errors_become_a_state_not_a_failure():
    e = PlacementExplorer(count=4, expression="attribute:ecs.instance-type ~= t3")
    html = e.static_html()
    assert "InvalidParameterException" in html
