"""Rolling update player: a deployment's timeline from the model, stepped or played.

Controls: desired count, minimum healthy %, maximum %, health-check time, a failing new
revision, the circuit breaker. The picture: a step chart of old/new/pending/draining tasks over
time with the min-healthy and max lines and the moment the circuit breaker fires, and the tasks
of the current step as coloured blocks. All numbers come from
:func:`ecsbook.scheduler.deployments.simulate_rolling_deployment`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ecsbook.scheduler.deployments import DeploymentTimeline, simulate_rolling_deployment

from .base import View
from .svg import PALETTE, Svg, line_chart, wrap_html


def timeline_svg(tl: DeploymentTimeline, step: int | None = None) -> str:
    """Chart + the blocks of one step (default: the last)."""
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
        self.widget.children = (w.HBox([self.play, self.step]), *self.widget.children)

    def compute(self) -> DeploymentTimeline:
        tl = simulate_rolling_deployment(
            self.desired.value,
            {"minimumHealthyPercent": self.min_healthy.value, "maximumPercent": self.max_percent.value,
             "deploymentCircuitBreaker": {"enable": self.breaker.value, "rollback": self.breaker.value}},
            health_check_seconds=self.health.value, new_revision_fails=self.failing.value, max_rounds=40)
        last = len(tl.steps) - 1
        if self.step.max != last:
            self.step.max = last
            self.play.max = last
        return tl

    def render(self, result: Any) -> str:
        return timeline_svg(result, self.step.value)

    def static(self) -> "StaticSVG":
        """The picture alone, for pages read without a kernel."""
        return StaticSVG(self.to_svg())


class StaticSVG:
    def __init__(self, svg: str, caption: str = "") -> None:
        self.svg = svg
        self.caption = caption

    def _repr_html_(self) -> str:
        return wrap_html(self.svg, self.caption)

    def __repr__(self) -> str:
        return f"StaticSVG({len(self.svg)} characters)"
