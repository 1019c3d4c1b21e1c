"""Service auto scaling (Application Auto Scaling on ``ecs:service:DesiredCount``).

From "Automatically scale your Amazon ECS service"
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html) and the
Application Auto Scaling user guide:

* **Target tracking** keeps a metric near a target value: predefined metrics
  ``ECSServiceAverageCPUUtilization``, ``ECSServiceAverageMemoryUtilization`` and
  ``ALBRequestCountPerTarget``. It scales out quickly and scales in gradually; ``ScaleOutCooldown``
  / ``ScaleInCooldown`` (seconds) wait between actions; ``DisableScaleIn`` lets another policy
  (or nobody) remove tasks
  (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html).
* **Step scaling** adds or removes capacity by steps keyed on how far the alarm metric is past
  its threshold. ``PercentChangeInCapacity`` results are rounded: values greater than 1 are
  rounded down, between 0 and 1 to 1, between 0 and -1 to -1, and less than -1 rounded up
  (toward zero); ``MinAdjustmentMagnitude`` is the least change for a percent adjustment
  (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html).
* **Scheduled scaling** changes ``MinCapacity``/``MaxCapacity`` at a time; the desired count is
  then pulled inside the new range.
* Desired count always stays within ``MinCapacity``..``MaxCapacity`` of the scalable target.
* **SQS backlog per task**: scale a queue worker service on
  ``ApproximateNumberOfMessagesVisible / running tasks`` with a target of
  ``acceptable latency / average processing time per message``.

Model simplifications: target tracking computes ``ceil(current x metric / target)`` (the
proportional rule the service approximates); metrics are per-minute averages with no alarm
evaluation periods; a new task is running one minute after it is requested.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .errors import InvalidParameterException, require_int

PREDEFINED_METRICS = ("ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization",
                      "ALBRequestCountPerTarget")
DEFAULT_COOLDOWN = 300


def _num(value: Any, name: str, lo: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (lo is not None and value < lo):
        raise InvalidParameterException(f"{name} must be a number{'' if lo is None else f' >= {lo:g}'}, got {value!r}",
                                        name)
    return float(value)


def clamp(desired: int, min_capacity: int, max_capacity: int) -> int:
    if min_capacity > max_capacity:
        raise InvalidParameterException(
            f"MinCapacity ({min_capacity}) must not exceed MaxCapacity ({max_capacity})", "MinCapacity")
    return max(min_capacity, min(max_capacity, desired))


def target_tracking_desired(current: int, metric_value: float, target_value: float) -> int:
    """Desired tasks so that the average metric returns to the target: ceil(current x metric / target)."""
    _num(metric_value, "metric_value", 0)
    if _num(target_value, "TargetValue") <= 0:
        raise InvalidParameterException("TargetValue must be greater than 0", "TargetValue")
    require_int(current, "current", label="current capacity")
    if current == 0:
        return 1 if metric_value > 0 else 0
    return math.ceil(round(current * metric_value / target_value, 9))


def round_percent_adjustment(change: float) -> int:
    """Application Auto Scaling's rounding of a PercentChangeInCapacity result (toward zero, at least 1)."""
    if change > 1:
        return math.floor(change)
    if 0 < change <= 1:
        return 1
    if -1 <= change < 0:
        return -1
    if change < -1:
        return math.ceil(change)
    return 0


def step_scaling_desired(current: int, metric_value: float, threshold: float,
                         config: Mapping[str, Any]) -> tuple[int, str]:
    """Apply a ``StepScalingPolicyConfiguration`` for one alarm breach; returns (new capacity, why).

    Step bounds are relative to the alarm threshold: ``MetricIntervalLowerBound`` <= metric -
    threshold < ``MetricIntervalUpperBound`` (a missing bound is infinite).
    """
    adj_type = config.get("AdjustmentType", "ChangeInCapacity")
    if adj_type not in ("ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity"):
        raise InvalidParameterException(
            f"Invalid AdjustmentType {adj_type!r}: use ChangeInCapacity, PercentChangeInCapacity or ExactCapacity",
            "AdjustmentType")
    steps = config.get("StepAdjustments") or []
    if not steps:
        raise InvalidParameterException("StepAdjustments must contain at least one step", "StepAdjustments")
    diff = _num(metric_value, "metric_value") - _num(threshold, "threshold")
    chosen = None
    for st in steps:
        lo = st.get("MetricIntervalLowerBound")
        hi = st.get("MetricIntervalUpperBound")
        if lo is None and hi is None:
            raise InvalidParameterException("a step needs MetricIntervalLowerBound or MetricIntervalUpperBound",
                                            "StepAdjustments")
        if (lo is None or diff >= lo) and (hi is None or diff < hi):
            chosen = st
            break
    if chosen is None:
        return current, f"metric {metric_value:g} is {diff:+g} from the threshold: no step matches"
    amount = chosen.get("ScalingAdjustment")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidParameterException("ScalingAdjustment must be an integer", "ScalingAdjustment")
    if adj_type == "ExactCapacity":
        return amount, f"ExactCapacity: set to {amount}"
    if adj_type == "ChangeInCapacity":
        return current + amount, f"ChangeInCapacity {amount:+d}: {current} -> {current + amount}"
    raw = current * amount / 100
    change = round_percent_adjustment(raw)
    mam = config.get("MinAdjustmentMagnitude")
    if mam and abs(change) < mam:
        change = int(math.copysign(mam, change or amount))
    return current + change, (f"PercentChangeInCapacity {amount:+d}% of {current} = {raw:+g}, rounded to "
                              f"{change:+d}: {current} -> {current + change}")


def backlog_per_task(visible_messages: int, running_tasks: int) -> float:
    """SQS backlog per task = ApproximateNumberOfMessagesVisible / running tasks."""
    if running_tasks <= 0:
        return float("inf") if visible_messages > 0 else 0.0
    return visible_messages / running_tasks


def acceptable_backlog_per_task(latency_seconds: float, seconds_per_message: float) -> float:
    """Target for backlog per task: the longest acceptable latency / processing time per message."""
    if _num(seconds_per_message, "seconds_per_message") <= 0:
        raise InvalidParameterException("seconds_per_message must be greater than 0", "seconds_per_message")
    return _num(latency_seconds, "latency_seconds", 0) / seconds_per_message


@dataclass(frozen=True)
class Minute:
    minute: int
    load: float
    metric: float
    desired: int
    running: int
    min_capacity: int
    max_capacity: int
    event: str = ""


@dataclass(frozen=True)
class Simulation:
    minutes: tuple[Minute, ...]
    policy: Mapping[str, Any]

    def series(self, name: str) -> list[tuple[float, float]]:
        return [(m.minute, float(getattr(m, name))) for m in self.minutes]

    @property
    def task_minutes(self) -> int:
        return sum(m.running for m in self.minutes)

    @property
    def events(self) -> list[str]:
        return [f"min {m.minute}: {m.event}" for m in self.minutes if m.event]


def simulate(load: Sequence[float], policy: Mapping[str, Any], *, min_capacity: int = 1, max_capacity: int = 10,
             initial: int | None = None, capacity_per_task: float = 100.0,
             scheduled_actions: Sequence[Mapping[str, Any]] = ()) -> Simulation:
    """Minute-by-minute service auto scaling.

    ``load``: demand per minute in metric units if one task served it all (e.g. 250 = two and a
    half tasks' worth of CPU); the metric is ``load / running`` capped at ``capacity_per_task``.
    ``policy``: ``{"type": "TargetTrackingScaling", "TargetValue": 50, "ScaleOutCooldown": 60,
    "ScaleInCooldown": 300, "DisableScaleIn": False}`` or ``{"type": "StepScaling",
    "threshold": 70, "StepScalingPolicyConfiguration": {...}, "scale_in_threshold": 30,
    "scale_in": {...}}``. ``scheduled_actions``: ``[{"minute": 60, "MinCapacity": 4, "MaxCapacity": 20}]``.
    """
    ptype = policy.get("type")
    if ptype not in ("TargetTrackingScaling", "StepScaling"):
        raise InvalidParameterException(
            f"Invalid PolicyType {ptype!r}: use TargetTrackingScaling or StepScaling", "PolicyType")
    lo, hi = min_capacity, max_capacity
    clamp(lo, lo, hi)
    running = clamp(initial if initial is not None else lo, lo, hi)
    desired = running
    last_out = last_in = -10**9
    out: list[Minute] = []
    sched = {int(a["minute"]): a for a in scheduled_actions}
    for minute, demand in enumerate(load):
        _num(demand, "load", 0)
        event = ""
        if minute in sched:
            a = sched[minute]
            lo = int(a.get("MinCapacity", lo))
            hi = int(a.get("MaxCapacity", hi))
            new = clamp(desired, lo, hi)
            event = f"scheduled action: min {lo}, max {hi}" + (f"; desired {desired} -> {new}" if new != desired else "")
            desired = new
        metric = min(capacity_per_task, demand / running) if running else (capacity_per_task if demand else 0.0)
        if ptype == "TargetTrackingScaling":
            target = _num(policy.get("TargetValue"), "TargetValue")
            want = clamp(target_tracking_desired(running, metric if running else demand, target), lo, hi)
            if running == 0 and demand:
                want = clamp(max(1, math.ceil(demand / target)), lo, hi)
            out_cd = int(policy.get("ScaleOutCooldown", DEFAULT_COOLDOWN)) / 60
            in_cd = int(policy.get("ScaleInCooldown", DEFAULT_COOLDOWN)) / 60
            if want > desired and minute - last_out >= out_cd:
                event = (event + "; " if event else "") + f"target tracking: scale out {desired} -> {want}"
                desired, last_out = want, minute
            elif want < desired and not policy.get("DisableScaleIn") and minute - last_in >= in_cd \
                    and minute - last_out >= in_cd:
                new = max(want, desired - max(1, (desired - want) // 2))  # scale in gradually
                event = (event + "; " if event else "") + f"target tracking: scale in {desired} -> {new}"
                desired, last_in = new, minute
        else:
            cd = int(policy.get("Cooldown", policy.get("StepScalingPolicyConfiguration", {}).get("Cooldown", 300))) / 60
            if minute - max(last_out, last_in) >= cd:
                if metric >= policy["threshold"]:
                    new, why = step_scaling_desired(desired, metric, policy["threshold"],
                                                    policy["StepScalingPolicyConfiguration"])
                    new = clamp(new, lo, hi)
                    if new != desired:
                        event = (event + "; " if event else "") + f"step scaling: {why} (clamped {new})"
                        desired, last_out = new, minute
                elif "scale_in_threshold" in policy and metric < policy["scale_in_threshold"]:
                    new, why = step_scaling_desired(desired, metric, policy["scale_in_threshold"], policy["scale_in"])
                    new = clamp(new, lo, hi)
                    if new != desired:
                        event = (event + "; " if event else "") + f"step scaling in: {why}"
                        desired, last_in = new, minute
        out.append(Minute(minute, float(demand), round(metric, 2), desired, running, lo, hi, event))
        running = desired  # tasks requested this minute are running next minute
    return Simulation(tuple(out), dict(policy))


@dataclass
class LoadPresets:
    """Load curves (per-minute demand) for the scaling simulator."""

    minutes: int = 180
    base: float = 150.0
    presets: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, b = self.minutes, self.base
        self.presets = {
            "steady": [b] * n,
            "morning ramp": [b + b * 3 * min(1.0, max(0.0, (m - 30) / 60)) for m in range(n)],
            "spike": [b * (5 if 60 <= m < 90 else 1) for m in range(n)],
            "daily wave": [b * (2.5 + 2 * math.sin(2 * math.pi * m / n)) for m in range(n)],
        }
