"""Scaling simulator: a load curve, a scaling policy and capacity providers, over time.

Plots desired and running tasks (service auto scaling), the instances an Auto Scaling group
capacity provider would run at its ``targetCapacity``, CapacityProviderReservation, and the
Fargate cost of the task-minutes. All numbers come from :mod:`ecsbook.scheduler.autoscaling`,
:mod:`ecsbook.scheduler.capacity` and :mod:`ecsbook.scheduler.pricing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any, ClassVar

import ipywidgets as w

from ecsbook.scheduler.autoscaling import LoadPresets, Simulation, simulate
from ecsbook.scheduler.capacity import capacity_provider_reservation, managed_scaling_step
from ecsbook.scheduler.errors import ECSError
from ecsbook.scheduler.pricing import fargate_task_cost

from .base import View, error_html
from .static import Choice, Fixed, StaticWidget, asset, compose
from .svg import legend_html, line_chart

POLICIES = ("target tracking", "step scaling")


@dataclass(frozen=True)
class ScalingRun:
    sim: Simulation
    instances: list[int]
    cpr: list[float]
    fargate_cost: float
    tasks_per_instance: int


def parse_load(text: str) -> list[float]:
    """A custom load curve: comma-separated demand values, one per minute (e.g. "100, 150, 400")."""
    from ecsbook.scheduler.errors import InvalidParameterException

    try:
        values = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise InvalidParameterException(
            "custom load must be numbers separated by commas, one per minute (e.g. 100, 150, 400)", "load") from None
    if not values or any(v < 0 for v in values):
        raise InvalidParameterException("custom load needs at least one non-negative number", "load")
    return values


def run(preset: str = "spike", policy: str = "target tracking", target: float = 50, min_tasks: int = 2,
        max_tasks: int = 20, target_capacity: int = 100, tasks_per_instance: int = 4,
        load: list[float] | None = None, scheduled: list[dict[str, int]] | None = None) -> ScalingRun:
    load = load if load is not None else LoadPresets().presets[preset]
    if policy == "target tracking":
        pol: dict[str, Any] = {"type": "TargetTrackingScaling", "TargetValue": target, "ScaleOutCooldown": 60,
                               "ScaleInCooldown": 300}
    else:
        pol = {"type": "StepScaling", "threshold": target,
               "StepScalingPolicyConfiguration": {"AdjustmentType": "PercentChangeInCapacity", "Cooldown": 60,
                                                  "MinAdjustmentMagnitude": 1,
                                                  "StepAdjustments": [
                                                      {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20,
                                                       "ScalingAdjustment": 20},
                                                      {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 50}]},
               "scale_in_threshold": target / 2,
               "scale_in": {"AdjustmentType": "ChangeInCapacity",
                            "StepAdjustments": [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1}]}}
    sim = simulate(load, pol, min_capacity=min_tasks, max_capacity=max_tasks, scheduled_actions=scheduled or ())
    instances, cpr = [], []
    running_instances = math.ceil(min_tasks / tasks_per_instance)
    for m in sim.minutes:
        needed = math.ceil(m.desired / tasks_per_instance)
        cpr.append(capacity_provider_reservation(needed, running_instances))
        running_instances = managed_scaling_step(needed, running_instances,
                                                 {"targetCapacity": target_capacity}).desired_instances
        instances.append(running_instances)
    cost = fargate_task_cost(512, 1024, 60, tasks=max(1, sim.task_minutes)).total
    return ScalingRun(sim, instances, cpr, cost, tasks_per_instance)


def run_svg(r: ScalingRun) -> str:
    """Two charts (tasks and instances; CapacityProviderReservation) and the cost, as HTML.

    The charts are drawn 350 units wide with 11-unit text and HTML legends, so they stay
    readable on a phone (a 390 px screen shows them at about their natural size).
    """
    series = {"load (task-equivalents x100)": [(m.minute, m.load / 100) for m in r.sim.minutes],
              "desired tasks": r.sim.series("desired"), "running tasks": r.sim.series("running"),
              "instances (ASG provider)": [(i, n) for i, n in enumerate(r.instances)]}
    tasks = line_chart(series, title="Service auto scaling and cluster capacity", x_label="minute",
                       y_label="count", step=True, width=350, height=230, legend=False, text_size=11,
                       margins=(46, 12, 8, 32), lean=True, draw_title=False)
    cpr_name = "CapacityProviderReservation %"
    cpr = line_chart({cpr_name: [(i, v) for i, v in enumerate(r.cpr)]},
                     title="CapacityProviderReservation (M / N x 100)", x_label="minute", y_label="%",
                     width=350, height=160, hlines=[(100, "100")], legend=False, text_size=11,
                     margins=(46, 12, 8, 32), lean=True, draw_title=False)
    note = (f'<p class="ew-note">{r.sim.task_minutes} task-minutes; on Fargate at 0.5 vCPU / 1 GB '
            f"(us-east-1 list price) about ${r.fargate_cost:.2f} for these {len(r.sim.minutes)} minutes.</p>")
    return (f'<p class="ew-title">Service auto scaling and cluster capacity</p>{legend_html(list(series))}'
            f'<div class="ew-chart">{tasks}</div>'
            f'<p class="ew-title">CapacityProviderReservation (M / N x 100)</p>'
            f'<div class="ew-chart">{cpr}</div>{note}')


def _caption(preset: str, policy: str, target: float) -> str:
    return f'<p class="ew-caption-text">{escape(preset)} load, {escape(policy)} at {target:g} % CPU</p>'


class ScalingSimulator(View):
    SLOTS: ClassVar[tuple[tuple[str, str], ...]] = (("caption", "ew-caption"), ("picture", "ew-picture"))

    def __init__(self, preset: str = "spike", policy: str = "target tracking", target: float = 50,
                 target_capacity: int = 100) -> None:
        self.preset = w.Dropdown(options=[*LoadPresets().presets, "custom"], value=preset, description="load")
        self.custom = w.Text(value="", description="custom load", placeholder="100, 150, 400, 400, 200 (per minute)")
        self.scheduled = w.IntSlider(value=0, min=0, max=20, description="sched. min @60")
        self.policy = w.Dropdown(options=list(POLICIES), value=policy, description="policy")
        self.target = w.IntSlider(value=int(target), min=10, max=90, step=5, description="CPU target %")
        self.min_tasks = w.IntSlider(value=2, min=1, max=10, description="min tasks")
        self.max_tasks = w.IntSlider(value=20, min=2, max=50, description="max tasks")
        self.capacity = w.IntSlider(value=target_capacity, min=10, max=100, step=5, description="targetCapacity")
        self.controls = [self.preset, self.policy, self.target, self.min_tasks, self.max_tasks, self.capacity,
                         self.custom, self.scheduled]
        super().__init__()

    def _run(self, preset: str, policy: str) -> ScalingRun:
        load = parse_load(self.custom.value) if preset == "custom" else None
        hi = max(self.max_tasks.value, self.min_tasks.value)
        sched = ([{"minute": 60, "MinCapacity": min(self.scheduled.value, hi), "MaxCapacity": hi}]
                 if self.scheduled.value else None)
        return run(preset, policy, self.target.value, self.min_tasks.value, hi,
                   self.capacity.value, load=load, scheduled=sched)

    def compute(self) -> ScalingRun:
        return self._run(self.preset.value, self.policy.value)

    def _slots(self, r: ScalingRun, preset: str, policy: str) -> dict[str, str]:
        return {"caption": _caption(preset, policy, self.target.value), "picture": run_svg(r)}

    def render(self, result: Any) -> str:
        return (f"<style>{asset('static.css')}</style>"
                + compose(self.SLOTS, self._slots(result, self.preset.value, self.policy.value)))

    def static_widget(self) -> StaticWidget:
        """Every preset load curve times each policy; the other controls are fixed."""
        presets = tuple(LoadPresets().presets)
        sw = StaticWidget(
            "scaling", "Scaling simulator",
            [Choice("load", "load", presets, self.preset.value if self.preset.value in presets else presets[0]),
             Choice("policy", "policy", POLICIES, self.policy.value)],
            [Fixed("target", "CPU target %", str(self.target.value), "range", 10, 90, 5),
             Fixed("min_tasks", "min tasks", str(self.min_tasks.value), "range", 1, 10),
             Fixed("max_tasks", "max tasks", str(self.max_tasks.value), "range", 2, 50),
             Fixed("capacity", "targetCapacity", str(self.capacity.value), "range", 10, 100, 5),
             Fixed("custom", "custom load", self.custom.value or "(none)"),
             Fixed("scheduled", "sched. min @60", str(self.scheduled.value), "range", 0, 20)],
            slots=list(self.SLOTS))
        for preset in presets:
            for policy in POLICIES:
                try:
                    slots = self._slots(self._run(preset, policy), preset, policy)
                except ECSError as err:
                    slots = {"caption": _caption(preset, policy, self.target.value), "picture": error_html(err)}
                sw.add({"load": preset, "policy": policy}, slots)
        return sw
