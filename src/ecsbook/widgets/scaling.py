"""Scaling simulator: a load curve, a scaling policy and capacity providers, over time.

Plots desired and running tasks (service auto scaling), the instances an Auto Scaling group
capacity provider would run at its ``targetCapacity``, CapacityProviderReservation, and the
Fargate cost of the task-minutes. All numbers come from :mod:`ecsbook.scheduler.autoscaling`,
:mod:`ecsbook.scheduler.capacity` and :mod:`ecsbook.scheduler.pricing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from ecsbook.scheduler.autoscaling import LoadPresets, Simulation, simulate
from ecsbook.scheduler.capacity import capacity_provider_reservation, managed_scaling_step
from ecsbook.scheduler.pricing import fargate_task_cost

from .base import View
from .svg import line_chart


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
    tasks = line_chart({"load (task-equivalents x100)": [(m.minute, m.load / 100) for m in r.sim.minutes],
                        "desired tasks": r.sim.series("desired"), "running tasks": r.sim.series("running"),
                        "instances (ASG provider)": [(i, n) for i, n in enumerate(r.instances)]},
                       title="Service auto scaling and cluster capacity", x_label="minute", y_label="count",
                       step=True)
    cpr = line_chart({"CapacityProviderReservation %": [(i, v) for i, v in enumerate(r.cpr)]},
                     title="CapacityProviderReservation (M / N x 100)", x_label="minute", y_label="%",
                     height=200, hlines=[(100, "100")])
    note = (f'<div style="font-size:0.9em">{r.sim.task_minutes} task-minutes; on Fargate at 0.5 vCPU / 1 GB '
            f"(us-east-1 list price) about ${r.fargate_cost:.2f} for these {len(r.sim.minutes)} minutes.</div>")
    return tasks + cpr + note


class ScalingSimulator(View):
    def __init__(self, preset: str = "spike", policy: str = "target tracking", target: float = 50,
                 target_capacity: int = 100) -> None:
        self.preset = w.Dropdown(options=[*LoadPresets().presets, "custom"], value=preset, description="load")
        self.custom = w.Text(value="", description="custom load", placeholder="100, 150, 400, 400, 200 (per minute)")
        self.scheduled = w.IntSlider(value=0, min=0, max=20, description="sched. min @60")
        self.policy = w.Dropdown(options=["target tracking", "step scaling"], value=policy, description="policy")
        self.target = w.IntSlider(value=int(target), min=10, max=90, step=5, description="CPU target %")
        self.min_tasks = w.IntSlider(value=2, min=1, max=10, description="min tasks")
        self.max_tasks = w.IntSlider(value=20, min=2, max=50, description="max tasks")
        self.capacity = w.IntSlider(value=target_capacity, min=10, max=100, step=5, description="targetCapacity")
        self.controls = [self.preset, self.policy, self.target, self.min_tasks, self.max_tasks, self.capacity,
                         self.custom, self.scheduled]
        super().__init__()

    def compute(self) -> ScalingRun:
        load = parse_load(self.custom.value) if self.preset.value == "custom" else None
        hi = max(self.max_tasks.value, self.min_tasks.value)
        sched = ([{"minute": 60, "MinCapacity": min(self.scheduled.value, hi), "MaxCapacity": hi}]
                 if self.scheduled.value else None)
        return run(self.preset.value, self.policy.value, self.target.value, self.min_tasks.value, hi,
                   self.capacity.value, load=load, scheduled=sched)

    def render(self, result: Any) -> str:
        return run_svg(result)
