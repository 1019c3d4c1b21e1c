"""Rolling update player: a deployment's timeline from the model, stepped or played.

Controls: desired count, minimum healthy %, maximum %, health-check time, a failing new
revision, the circuit breaker. The picture: a step chart of old/new/pending/draining tasks over
time with the min-healthy and max lines and the moment the circuit breaker fires, and the tasks
of the current step as coloured blocks. All numbers come from
:func:`ecsbook.scheduler.deployments.simulate_rolling_deployment`.
"""

from __future__ import annotations

from html import escape
from typing import Any, ClassVar

import ipywidgets as w

from ecsbook.scheduler.deployments import DeploymentTimeline, simulate_rolling_deployment
from ecsbook.scheduler.errors import ECSError

from .base import View, error_html, wrap_row
from .static import Choice, Fixed, StaticWidget, asset, compose
from .svg import PALETTE, Svg, legend_html, line_chart, wrap_html

SERIES_COLOURS = {"old revision healthy": "blue", "new revision healthy": "green",
                  "new pending": "orange", "draining": "grey"}
#: The readable chart: natural size fits a phone's content column, so text is drawn at 11 px.
CHART_W, CHART_H, MARGINS = 350, 220, (34, 12, 8, 32)

#: Scenarios the static page precomputes (each with and without a failing revision and the
#: circuit breaker), plus the page's own settings.
SCENARIOS: dict[str, dict[str, int]] = {
    "AWS example: 4 tasks, 50 % / 200 %": {"desired": 4, "min_healthy": 50, "max_percent": 200},
    "6 tasks, 100 % / 200 % (never below desired)": {"desired": 6, "min_healthy": 100, "max_percent": 200},
    "6 tasks, 0 % / 100 % (stop all, then start)": {"desired": 6, "min_healthy": 0, "max_percent": 100},
    "10 tasks, 100 % / 120 % (two at a time)": {"desired": 10, "min_healthy": 100, "max_percent": 120},
}


def simulate(desired: int, min_healthy: int, max_percent: int, health: int, failing: bool,
             breaker: bool) -> DeploymentTimeline:
    return simulate_rolling_deployment(
        desired, {"minimumHealthyPercent": min_healthy, "maximumPercent": max_percent,
                  "deploymentCircuitBreaker": {"enable": breaker, "rollback": breaker}},
        health_check_seconds=health, new_revision_fails=failing, max_rounds=40)


def _series(tl: DeploymentTimeline) -> dict[str, list[tuple[float, float]]]:
    steps = tl.steps
    return {
        "old revision healthy": [(i, s.old_running) for i, s in enumerate(steps)],
        "new revision healthy": [(i, s.new_running) for i, s in enumerate(steps)],
        "new pending": [(i, s.new_pending) for i, s in enumerate(steps)],
        "draining": [(i, s.draining) for i, s in enumerate(steps)],
    }


def chart_svg(tl: DeploymentTimeline) -> str:
    """The timeline chart without the "now" line (that is :func:`now_svg`, laid over it)."""
    b = tl.bounds
    markers = [(i, "circuit breaker") for i, s in enumerate(tl.steps) if "circuit breaker" in s.event]
    return line_chart(_series(tl), title=f"Rolling update: {tl.outcome}", x_label="step", y_label="tasks",
                      step=True, markers=markers, width=CHART_W, height=CHART_H, legend=False, text_size=11,
                      margins=MARGINS, lean=True, draw_title=False, y_integer=True,
                      hlines=[(b.min_healthy_tasks, f"min healthy {b.min_healthy_tasks}"),
                              (b.max_tasks, f"max {b.max_tasks}")], colours=SERIES_COLOURS)


def now_svg(tl: DeploymentTimeline, step: int) -> str:
    """A transparent layer with the chart's geometry: a line at the current step."""
    left, right, top, bottom = MARGINS
    pw, ph = CHART_W - left - right, CHART_H - top - bottom
    last = max(1, len(tl.steps) - 1)
    x = left + min(max(step, 0), last) / last * pw
    svg = Svg(CHART_W, CHART_H, lean=True)
    svg.line(x, top, x, top + ph, stroke="#222222", width=2, dash="5 3")
    anchor = "end" if x > left + pw * 0.8 else "start"
    svg.text(x - 4 if anchor == "end" else x + 4, top + ph - 6, "now", size=11, anchor=anchor, weight="bold")
    out = str(svg)
    return out.replace(' role="img"', ' aria-hidden="true"', 1)


def strip_svg(tl: DeploymentTimeline, step: int) -> str:
    """The tasks at one step as coloured blocks, wrapping in rows."""
    s = tl.steps[max(0, min(step, len(tl.steps) - 1))]
    blocks = ([("old", PALETTE["blue"])] * s.old_running + [("new", PALETTE["green"])] * s.new_running
              + [("pending", PALETTE["orange"])] * s.new_pending + [("draining", PALETTE["grey"])] * s.draining)
    per_row = int((CHART_W - 10) // 22)
    rows = max(1, -(-len(blocks) // per_row))
    svg = Svg(CHART_W, 8 + rows * 34, lean=True,
              title=f"tasks at this step: {s.old_running} old, {s.new_running} new, "
                    f"{s.new_pending} pending, {s.draining} draining")
    for i, (label, colour) in enumerate(blocks):
        svg.rect(4 + 22 * (i % per_row), 4 + 34 * (i // per_row), 18, 28, fill=colour, rx=3, tooltip=label)
    return str(svg)


def step_slots(tl: DeploymentTimeline, step: int) -> dict[str, str]:
    """Everything the player shows for one step of one timeline, by slot."""
    idx = max(0, min(step, len(tl.steps) - 1))
    s, b = tl.steps[idx], tl.bounds
    title = (f"Rolling update: {tl.outcome} ({tl.desired_count} desired; at least {b.min_healthy_tasks} "
             f"healthy, at most {b.max_tasks} running)")
    return {"title": f'<p class="ew-title">{escape(title)}</p>',
            "legend": legend_html(list(SERIES_COLOURS), SERIES_COLOURS),
            "chart": chart_svg(tl), "now": now_svg(tl, idx),
            "caption": f'<p class="ew-caption-text">Step {idx} of {len(tl.steps) - 1}, t = {s.time} s: '
                       f"{escape(s.event)}</p>",
            "strip": strip_svg(tl, idx)}


def timeline_svg(tl: DeploymentTimeline, step: int | None = None) -> str:
    """Chart + the blocks of one step (default: the last), as one wide SVG pair.

    The player draws :func:`step_slots` instead (readable on a phone); this drawing stays for
    pages that show ``RollingUpdatePlayer(...).static()``.
    """
    steps = tl.steps
    idx = len(steps) - 1 if step is None else max(0, min(step, len(steps) - 1))
    # x = step number (several events share a timestamp); label with seconds in the legend
    series = {
        "old revision healthy": [(i, s.old_running) for i, s in enumerate(steps)],
        "new revision healthy": [(i, s.new_running) for i, s in enumerate(steps)],
        "new pending": [(i, s.new_pending) for i, s in enumerate(steps)],
        "draining": [(i, s.draining) for i, s in enumerate(steps)],
    }
    markers = [(i, "circuit breaker") for i, s in enumerate(steps) if "circuit breaker" in s.event]
    markers.append((idx, "now"))
    b = tl.bounds
    chart = line_chart(series, title=f"Rolling update: {tl.outcome}", x_label="step", y_label="tasks",
                       step=True, markers=markers,
                       hlines=[(b.min_healthy_tasks, f"min healthy {b.min_healthy_tasks}"),
                               (b.max_tasks, f"max {b.max_tasks}")],
                       colours={"old revision healthy": "blue", "new revision healthy": "green",
                                "new pending": "orange", "draining": "grey"})
    s = steps[idx]
    blocks = ([("old", PALETTE["blue"])] * s.old_running + [("new", PALETTE["green"])] * s.new_running
              + [("pending", PALETTE["orange"])] * s.new_pending + [("draining", PALETTE["grey"])] * s.draining)
    width = max(640, 20 + 22 * len(blocks))
    svg = Svg(width, 70, title="tasks at this step")
    svg.text(10, 16, f"t = {s.time} s: {s.event}"[:110], size=11)
    for i, (label, colour) in enumerate(blocks):
        svg.rect(10 + 22 * i, 26, 18, 30, fill=colour, rx=3, tooltip=label)
    return chart + str(svg)


class RollingUpdatePlayer(View):
    """Step through (or play) a rolling deployment."""

    SLOTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("title", "ew-title-slot"), ("legend", "ew-legend-slot"), ("chart", "ew-chart"),
        ("now", "ew-overlay"), ("caption", "ew-caption"), ("strip", "ew-strip"))
    STACKS: ClassVar[dict[str, str]] = {"now": "chart"}

    def __init__(self, desired: int = 6, min_healthy: int = 50, max_percent: int = 200,
                 health_check_seconds: int = 30, failing: bool = False, circuit_breaker: bool = True) -> None:
        self.desired = w.IntSlider(value=desired, min=1, max=30, description="desired")
        self.min_healthy = w.IntSlider(value=min_healthy, min=0, max=100, step=5, description="min healthy %")
        self.max_percent = w.IntSlider(value=max_percent, min=100, max=200, step=5, description="max %")
        self.health = w.IntSlider(value=health_check_seconds, min=5, max=300, step=5, description="health (s)")
        self.failing = w.Checkbox(value=failing, description="new revision fails")
        self.breaker = w.Checkbox(value=circuit_breaker, description="circuit breaker + rollback")
        self.step = w.IntSlider(value=10**6, min=0, max=10**6, description="step")
        self.play = w.Play(interval=700, min=0, max=10**6, description="play")
        w.jslink((self.play, "value"), (self.step, "value"))
        self.controls = [self.desired, self.min_healthy, self.max_percent, self.health, self.failing,
                         self.breaker, self.step]
        super().__init__()
        self.widget.children = (wrap_row([self.play, self.step]), *self.widget.children)

    def compute(self) -> DeploymentTimeline:
        tl = simulate(self.desired.value, self.min_healthy.value, self.max_percent.value, self.health.value,
                      self.failing.value, self.breaker.value)
        last = len(tl.steps) - 1
        if self.step.max != last:
            self.step.max = last
            self.play.max = last
        return tl

    def render(self, result: Any) -> str:
        return (f"<style>{asset('static.css')}</style>"
                + compose(self.SLOTS, step_slots(result, self.step.value), self.STACKS))

    def static(self) -> StaticSVG:
        """The picture alone (the earlier wide drawing), for pages read without a kernel."""
        return StaticSVG(timeline_svg(self.result, self.step.value) if self.result is not None else "")

    def static_widget(self) -> StaticWidget:
        """Every step of each scenario, with and without a failing revision and the breaker."""
        mine = {"desired": self.desired.value, "min_healthy": self.min_healthy.value,
                "max_percent": self.max_percent.value}
        scenarios = dict(SCENARIOS)
        own = next((name for name, sc in scenarios.items() if sc == mine), None)
        if own is None:
            own = (f"this page: {mine['desired']} tasks, {mine['min_healthy']} % / {mine['max_percent']} %")
            scenarios = {own: mine, **scenarios}
        ids = {name: f"s{i}" for i, name in enumerate(scenarios)}  # short keys, names as labels
        health = self.health.value
        timelines: dict[tuple[str, str, str], DeploymentTimeline | ECSError] = {}
        for name, sc in scenarios.items():
            for failing in ("false", "true"):
                for breaker in ("false", "true"):
                    try:
                        timelines[name, failing, breaker] = simulate(
                            sc["desired"], sc["min_healthy"], sc["max_percent"], health,
                            failing == "true", breaker == "true")
                    except ECSError as err:
                        timelines[name, failing, breaker] = err
        longest = max((len(t.steps) for t in timelines.values() if isinstance(t, DeploymentTimeline)), default=1)
        mine_tl = timelines[own, str(self.failing.value).lower(), str(self.breaker.value).lower()]
        first = (len(mine_tl.steps) - 1 if isinstance(mine_tl, DeploymentTimeline) else 0)
        sw = StaticWidget(
            "rolling", "Rolling update player",
            [Choice("scenario", "scenario", tuple(ids.values()), ids[own], labels=tuple(ids)),
             Choice("failing", "new revision fails", ("false", "true"), str(self.failing.value).lower(), "checkbox"),
             Choice("breaker", "circuit breaker + rollback", ("false", "true"), str(self.breaker.value).lower(),
                    "checkbox"),
             Choice("step", "step", tuple(str(i) for i in range(longest)), str(min(first, self.step.value)),
                    "range")],
            [Fixed("desired", "desired", str(mine["desired"]), "range", 1, 30),
             Fixed("min_healthy", "min healthy %", str(mine["min_healthy"]), "range", 0, 100, 5),
             Fixed("max_percent", "max %", str(mine["max_percent"]), "range", 100, 200, 5),
             Fixed("health", "health (s)", str(health), "range", 5, 300, 5)],
            slots=list(self.SLOTS), stacks=self.STACKS, ranges={"step": "scenario"}, play="step")
        for (name, failing, breaker), tl in timelines.items():
            base = {"scenario": ids[name], "failing": failing, "breaker": breaker}
            sc = scenarios[name]
            show = {"desired": str(sc["desired"]), "min_healthy": str(sc["min_healthy"]),
                    "max_percent": str(sc["max_percent"])}
            if isinstance(tl, ECSError):
                sw.limit(base, "step", 0)
                sw.add({**base, "step": "0"}, {"title": "", "legend": "", "chart": error_html(tl), "now": "",
                                               "caption": "", "strip": ""}, show)
                continue
            sw.limit(base, "step", len(tl.steps) - 1)
            for i in range(len(tl.steps)):
                sw.add({**base, "step": str(i)}, step_slots(tl, i), show)
        return sw
class StaticSVG:
    def __init__(self, svg: str, caption: str = "") -> None:
        self.svg = svg
        self.caption = caption

    def _repr_html_(self) -> str:
        return wrap_html(self.svg, self.caption)

    def __repr__(self) -> str:
        return f"StaticSVG({len(self.svg)} characters)"
