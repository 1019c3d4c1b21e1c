"""Service auto scaling (Application Auto Scaling on ``ecs:service:DesiredCount``).

Sources, each read in full, and the rules taken from them:

* Application Auto Scaling user guide, *Step scaling policies*
  (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html)
  and the API pages ``StepAdjustment`` / ``StepScalingPolicyConfiguration``
  (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html,
  https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html):

  - step bounds are offsets from the alarm's breach threshold; a null lower bound is
    negative infinity and a null upper bound positive infinity;
  - "If the metric value is above the breach threshold, the lower bound is inclusive and the
    upper bound is exclusive. If the metric value is below the breach threshold, the lower
    bound is exclusive and the upper bound is inclusive." (threshold 50: lower 0 / upper 10
    matches 50 <= metric < 60; lower -10 / upper 0 matches 40 < metric <= 50);
  - the ranges can't overlap or have a gap; at most one step has a null lower bound and at
    most one a null upper bound; a negative lower bound needs a step with a null lower bound;
    a positive upper bound needs a step with a null upper bound; a step can't have both
    bounds null; the upper bound must be greater than the lower bound;
  - ``AdjustmentType`` (required for a new policy) is ``ChangeInCapacity``,
    ``PercentChangeInCapacity`` or ``ExactCapacity``; ``ExactCapacity`` needs a non-negative
    ``ScalingAdjustment``; at least one step adjustment is required;
  - percent results are rounded: greater than 1 rounded down (12.7 -> 12), between 0 and 1 to 1
    (.67 -> 1), between 0 and -1 to -1 (-.58 -> -1), less than -1 rounded up (-6.67 -> -6);
    ``MinAdjustmentMagnitude`` is the least change for a percent adjustment (25 % of 4 = 1,
    minimum 2 -> +2);
  - ``Cooldown`` defaults to 300 s; ``MetricAggregationType`` is ``Average`` (default),
    ``Minimum`` or ``Maximum``;
  - the worked example: capacity 10, threshold 50, metric 60 -> +10 % = 11; 70 -> +30 % of 11
    = 3.3 -> 14; 40 -> -10 % of 14 = 1.4 -> 13; 30 -> -30 % of 13 = 3.9 -> 10;
  - cooldown: after a scale-out the policy won't increase the desired capacity again unless a
    *larger* scale-out is triggered or the cooldown ends, and the capacity added by the
    initiating scale-out counts as part of the next one (+2, then a +3 step during the
    cooldown adds only 1); scale-in activities are blocked until the cooldown expires, but a
    scale-out triggered during a scale-in cooldown happens immediately and ends that
    cooldown; a scheduled action runs immediately regardless of cooldowns.

* *Target tracking scaling policies* (user guide, same source) and the ECS pages
  *Target tracking scaling policies* / *Service auto scaling*
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html,
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html),
  ``TargetTrackingScalingPolicyConfiguration`` and ``PredefinedMetricSpecification``:

  - predefined ECS metrics ``ECSServiceAverageCPUUtilization``,
    ``ECSServiceAverageMemoryUtilization`` (percent) and ``ALBRequestCountPerTarget``
    (count); ``ALBRequestCountPerTarget`` needs a ``ResourceLabel``
    ``app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>``, and a resource label is only
    accepted with that metric; a policy has a predefined *or* a customized metric;
  - ``ScaleOutCooldown`` / ``ScaleInCooldown`` default to 300 s for ECS services;
    ``DisableScaleIn`` defaults to false;
  - scale out proportionally and fast, scale in gradually, only once the metric is far enough
    below the target ("usually more than 10 % lower"); no scaling on insufficient data;
  - several target tracking policies (each on a different metric): scale out if **any** is
    ready to scale out, scale in only if **all** (with scale-in enabled) are ready to scale
    in; when several policies act at once the **largest capacity** wins (PutScalingPolicy:
    +3 vs +200 % at 10 -> 30); a step scaling policy's scale-in is not blocked by a target
    tracking policy that is not ready;
  - the alarms are created and deleted by the policy: ``TargetTracking-<resourceId>-AlarmHigh-
    <uuid>`` and ``TargetTracking-<resourceId>-AlarmLow-<uuid>`` (put-scaling-policy output
    in the CLI page);
  - with a minimum of 0 and 0 running tasks, target tracking waits for one data point and
    scales out by the minimum possible amount, then follows the running count.

* ECS *Service auto scaling* considerations:

  - scaling starts from the **running** task count, not the desired count (no runaway
    scaling when tasks cannot be placed);
  - desired below ``MinCapacity``: a scale-out goes to the minimum and continues from there;
    a scale-in does nothing. Desired above ``MaxCapacity``: a scale-in goes to the maximum and
    continues; a scale-out does nothing;
  - Application Auto Scaling turns off scale-in while an ECS deployment is in progress;
    scale-out continues unless suspended.

* *Scheduled scaling*: an action sets ``MinCapacity`` and/or ``MaxCapacity``; current capacity
  below the new minimum scales out to it, above the new maximum scales in to it.

* *Scaling activities*: ``Description`` "Setting desired count to N.", ``Cause`` "monitor alarm
  <alarm> in state ALARM triggered policy <policy>", ``StatusMessage`` "Successfully set
  desired count to N. Change successfully fulfilled by ecs."; not-scaled reason codes
  ``AlreadyAtMaxCapacity``, ``AlreadyAtMinCapacity``, ``AlreadyAtDesiredCapacity``,
  ``AutoScalingAnticipatedFlapping``.

* Predictive scaling for ECS (*How Application Auto Scaling predictive scaling works*,
  ``PredictiveScalingPolicyConfiguration``): at least 24 hours of metric data before the
  first forecast; up to 14 days analysed; an hourly forecast for the next 48 hours, refreshed
  every 6 hours; ``Mode`` ``ForecastOnly`` (default: forecasts, no scaling) or
  ``ForecastAndScale``; predictive scaling never scales in on a forecast decrease;
  ``SchedulingBufferTime`` (default 300 s, less than 3600) launches capacity ahead;
  ``MaxCapacityBreachBehavior`` ``HonorMaxCapacity`` (default) or ``IncreaseMaxCapacity``
  with ``MaxCapacityBuffer`` a percentage of the forecast (forecast 50, buffer 10 -> effective
  maximum 55).

Errors are Application Auto Scaling's ``ValidationException``
(:class:`ecsbook.scheduler.aas_errors.ValidationException`, a subclass of
``InvalidParameterException``), with the documented sentences as messages where the docs
give one.

What the model still leaves out (say so when teaching):

* Target tracking's alarm shape is not in the AWS pages read here: the model uses the
  commonly reported AlarmHigh = 3 of 3 one-minute datapoints above the target and AlarmLow =
  15 of 15 datapoints below 90 % of the target (``TT_*`` constants; the 90 % matches "usually
  more than 10 % lower"). The real proportional calculation is internal; the model uses
  ceil(running x metric / target).
* Whether scale-in waits for a *scale-out* cooldown is not documented; the simulator does not
  wait unless ``scale_in_waits_for_scale_out_cooldown=True``.
* Metrics come from a load curve (``load / running``, optionally capped), one datapoint a
  minute, no CloudWatch delay; a requested task runs ``task_start_minutes`` later.
* Predictive scaling's forecast is a seasonal average of the same hour of day over the
  history, not AWS's machine-learning model. Customized metrics, metric math and
  ``MetricAggregationType`` other than the value passed in are not evaluated.
* :func:`simulate` is the book's original, simpler simulator (one datapoint per decision,
  gradual scale-in by halving the gap); :func:`simulate_service_scaling` is the documented one.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .aas_errors import ValidationException
from .errors import InvalidParameterException, require_int

STEP_SCALING_DOC = ("https://docs.aws.amazon.com/autoscaling/application/userguide/"
                    "application-auto-scaling-step-scaling-policies.html")
TARGET_TRACKING_DOC = ("https://docs.aws.amazon.com/autoscaling/application/userguide/"
                       "application-auto-scaling-target-tracking.html")
ECS_SERVICE_AUTO_SCALING_DOC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html"

SERVICE_NAMESPACE = "ecs"
SCALABLE_DIMENSION = "ecs:service:DesiredCount"
PREDEFINED_METRICS = ("ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization",
                      "ALBRequestCountPerTarget")
# predefined metric -> (namespace, CloudWatch metric name, statistic, unit)
PREDEFINED_METRIC_SOURCES: dict[str, tuple[str, str, str, str]] = {
    "ECSServiceAverageCPUUtilization": ("AWS/ECS", "CPUUtilization", "Average", "Percent"),
    "ECSServiceAverageMemoryUtilization": ("AWS/ECS", "MemoryUtilization", "Average", "Percent"),
    "ALBRequestCountPerTarget": ("AWS/ApplicationELB", "RequestCountPerTarget", "Sum", "Count"),
}
ADJUSTMENT_TYPES = ("ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity")
METRIC_AGGREGATION_TYPES = ("Average", "Minimum", "Maximum")
DEFAULT_COOLDOWN = 300
TT_SCALE_OUT_DATAPOINTS = 3
TT_SCALE_IN_DATAPOINTS = 15
TT_SCALE_IN_FACTOR = 0.9
RESOURCE_LABEL_RE = re.compile(r"^app/[^/]+/[^/]+/targetgroup/[^/]+/[^/]+$")
PREDICTIVE_MIN_HISTORY_HOURS = 24
PREDICTIVE_MAX_HISTORY_HOURS = 14 * 24
PREDICTIVE_FORECAST_HOURS = 48
PREDICTIVE_REFRESH_HOURS = 6
NOT_SCALED_REASONS = ("AlreadyAtMaxCapacity", "AlreadyAtMinCapacity", "AlreadyAtDesiredCapacity",
                      "AutoScalingAnticipatedFlapping")


def _num(value: Any, name: str, lo: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (lo is not None and value < lo):
        raise InvalidParameterException(f"{name} must be a number{'' if lo is None else f' >= {lo:g}'}, got {value!r}",
                                        name)
    return float(value)


def _vnum(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValidationException(f"{name} must be a number, got {value!r}", name)
    return float(value)


def _vint(cfg: Mapping[str, Any], name: str, default: int | None, lo: int = 0, hi: int | None = None) -> int | None:
    value = cfg.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value > hi):
        rng = f"from {lo} to {hi}" if hi is not None else f">= {lo}"
        raise ValidationException(f"{name} must be an integer {rng}, got {value!r}", name)
    return value


# ------------------------------------------------------------------ scalable target bounds

def clamp(desired: int, min_capacity: int, max_capacity: int) -> int:
    """Pull ``desired`` inside ``MinCapacity``..``MaxCapacity`` (RegisterScalableTarget's check first)."""
    if min_capacity > max_capacity:
        raise ValidationException("Minimum capacity cannot be greater than maximum capacity", "MinCapacity")
    return max(min_capacity, min(max_capacity, desired))


def bounded_desired(current: int, proposed: int, min_capacity: int, max_capacity: int) -> int:
    """The desired count after a policy proposes ``proposed`` while the service is at ``current``.

    Inside the range: clamp. Below ``MinCapacity``: a scale-out goes at least to the minimum,
    a scale-in changes nothing. Above ``MaxCapacity``: a scale-in goes at most to the maximum,
    a scale-out changes nothing (ECS *Service auto scaling* considerations).

    >>> bounded_desired(1, 3, 4, 10), bounded_desired(1, 0, 4, 10)   # below the minimum
    (4, 1)
    >>> bounded_desired(12, 11, 2, 10), bounded_desired(12, 14, 2, 10)  # above the maximum
    (10, 12)
    """
    for name, v in (("current", current), ("MinCapacity", min_capacity), ("MaxCapacity", max_capacity)):
        require_int(v, name)
    if isinstance(proposed, bool) or not isinstance(proposed, int):
        raise InvalidParameterException(f"proposed must be an integer, got {proposed!r}", "proposed")
    proposed = max(0, proposed)  # a service can't run fewer than 0 tasks
    clamp(current, min_capacity, max_capacity)  # validates min <= max
    if current < min_capacity:
        return max(min_capacity, min(proposed, max_capacity)) if proposed > current else current
    if current > max_capacity:
        return min(max_capacity, max(proposed, min_capacity)) if proposed < current else current
    return clamp(proposed, min_capacity, max_capacity)


# ------------------------------------------------------------------ step scaling

@dataclass(frozen=True)
class StepAdjustment:
    lower: float | None  # MetricIntervalLowerBound (None = -infinity)
    upper: float | None  # MetricIntervalUpperBound (None = +infinity)
    adjustment: int  # ScalingAdjustment

    def contains(self, diff: float, breach: str) -> bool:
        """Is ``metric - threshold`` in this step? ``breach`` is "above" or "below" the threshold."""
        lo = -math.inf if self.lower is None else self.lower
        hi = math.inf if self.upper is None else self.upper
        if breach == "above":
            return lo <= diff < hi
        return lo < diff <= hi

    def describe(self) -> str:
        lo = "-inf" if self.lower is None else f"{self.lower:g}"
        hi = "+inf" if self.upper is None else f"{self.upper:g}"
        return f"[{lo}, {hi}) -> {self.adjustment:+d}"


@dataclass(frozen=True)
class StepScalingConfig:
    adjustment_type: str
    steps: tuple[StepAdjustment, ...]  # sorted from lowest to highest range
    cooldown: int
    min_adjustment_magnitude: int | None
    metric_aggregation_type: str


def validate_step_adjustments(steps: Any) -> tuple[StepAdjustment, ...]:
    """Check ``StepAdjustments`` with the rules of the StepAdjustment API page; sorted steps."""
    if not isinstance(steps, (list, tuple)) or not steps:
        raise ValidationException("At least one step adjustment is required for a step scaling policy.",
                                  "StepAdjustments")
    out: list[StepAdjustment] = []
    for s in steps:
        if not isinstance(s, Mapping):
            raise ValidationException("each step adjustment must be an object", "StepAdjustments")
        unknown = sorted(set(s) - {"MetricIntervalLowerBound", "MetricIntervalUpperBound", "ScalingAdjustment"})
        if unknown:
            raise ValidationException(f"Unknown StepAdjustment field(s): {', '.join(unknown)}", unknown[0])
        lo_raw, hi_raw = s.get("MetricIntervalLowerBound"), s.get("MetricIntervalUpperBound")
        lo = None if lo_raw is None else _vnum(lo_raw, "MetricIntervalLowerBound")
        hi = None if hi_raw is None else _vnum(hi_raw, "MetricIntervalUpperBound")
        amount = s.get("ScalingAdjustment")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValidationException(f"ScalingAdjustment is required and must be an integer, got {amount!r}",
                                      "ScalingAdjustment")
        if lo is None and hi is None:
            raise ValidationException("The upper and lower bound can't be null in the same step adjustment.",
                                      "StepAdjustments")
        if lo is not None and hi is not None and lo >= hi:
            raise ValidationException(f"Step adjustment lower bound {lo:g} must be less than its upper bound "
                                      f"{hi:g}.", "MetricIntervalUpperBound")
        out.append(StepAdjustment(lo, hi, amount))
    out.sort(key=lambda st: -math.inf if st.lower is None else st.lower)
    if sum(1 for st in out if st.lower is None) > 1 or sum(1 for st in out if st.upper is None) > 1:
        raise ValidationException("At most one step adjustment can have a null lower bound and at most one a "
                                  "null upper bound.", "StepAdjustments")
    for a, b in itertools.pairwise(out):
        a_hi = math.inf if a.upper is None else a.upper
        b_lo = -math.inf if b.lower is None else b.lower
        if a_hi != b_lo:
            raise ValidationException("The ranges of your step adjustments can't overlap or have a gap "
                                      f"(one range ends at {a_hi:g}, the next starts at {b_lo:g}).",
                                      "StepAdjustments")
    if any(st.lower is not None and st.lower < 0 for st in out) and out[0].lower is not None:
        raise ValidationException("If one step adjustment has a negative lower bound, then there must be a step "
                                  "adjustment with a null lower bound.", "MetricIntervalLowerBound")
    if any(st.upper is not None and st.upper > 0 for st in out) and out[-1].upper is not None:
        raise ValidationException("If one step adjustment has a positive upper bound, then there must be a step "
                                  "adjustment with a null upper bound.", "MetricIntervalUpperBound")
    return tuple(out)


def validate_step_scaling_configuration(config: Mapping[str, Any]) -> StepScalingConfig:
    """Check a ``StepScalingPolicyConfiguration`` and return it with defaults filled in."""
    if not isinstance(config, Mapping):
        raise ValidationException("StepScalingPolicyConfiguration must be an object", "StepScalingPolicyConfiguration")
    unknown = sorted(set(config) - {"AdjustmentType", "StepAdjustments", "MinAdjustmentMagnitude", "Cooldown",
                                    "MetricAggregationType"})
    if unknown:
        raise ValidationException(f"Unknown StepScalingPolicyConfiguration field(s): {', '.join(unknown)}",
                                  unknown[0])
    adj_type = config.get("AdjustmentType")
    if adj_type is None:
        raise ValidationException("AdjustmentType is required if you are adding a new step scaling policy "
                                  "configuration.", "AdjustmentType")
    if adj_type not in ADJUSTMENT_TYPES:
        raise ValidationException(f"Invalid AdjustmentType {adj_type!r}: use ChangeInCapacity, "
                                  "PercentChangeInCapacity or ExactCapacity", "AdjustmentType")
    steps = validate_step_adjustments(config.get("StepAdjustments"))
    if adj_type == "ExactCapacity":
        for st in steps:
            if st.adjustment < 0:
                raise ValidationException("For exact capacity, you must specify a non-negative value "
                                          f"(ScalingAdjustment {st.adjustment}).", "ScalingAdjustment")
    agg = config.get("MetricAggregationType") or "Average"
    if agg not in METRIC_AGGREGATION_TYPES:
        raise ValidationException(f"Invalid MetricAggregationType {agg!r}: use Average, Minimum or Maximum",
                                  "MetricAggregationType")
    cooldown = _vint(config, "Cooldown", DEFAULT_COOLDOWN)
    mam = _vint(config, "MinAdjustmentMagnitude", None, lo=1)
    return StepScalingConfig(str(adj_type), steps, int(cooldown or 0), mam, str(agg))


def breach_side(diff: float, steps: Sequence[StepAdjustment], comparison_operator: str | None = None) -> str:
    """Which side of the threshold the metric is on: "above" or "below".

    Strictly above or below is clear. At exactly the threshold the alarm decides:
    ``GreaterThan(OrEqualTo)Threshold`` alarms breach above, ``LessThan(OrEqualTo)Threshold``
    below. Without an operator, a policy with a step starting at 0 is read as a scale-out
    policy (the API page's "greater than or equal to 50" example), otherwise as scale-in.
    """
    if diff > 0:
        return "above"
    if diff < 0:
        return "below"
    if comparison_operator is not None:
        if comparison_operator.startswith("GreaterThan"):
            return "above"
        if comparison_operator.startswith("LessThan"):
            return "below"
        raise ValidationException(f"Invalid ComparisonOperator {comparison_operator!r}", "ComparisonOperator")
    return "above" if any(st.lower == 0 for st in steps) else "below"


def match_step(steps: Sequence[StepAdjustment], metric_value: float, threshold: float,
               comparison_operator: str | None = None) -> StepAdjustment | None:
    """The step adjustment for this metric value, with the documented edge rules (or None)."""
    diff = round(_num(metric_value, "metric_value") - _num(threshold, "threshold"), 9)
    side = breach_side(diff, steps, comparison_operator)
    return next((st for st in steps if st.contains(diff, side)), None)


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


def apply_adjustment(current: int, adjustment: int, cfg: StepScalingConfig) -> tuple[int, str]:
    """New capacity after one step's ``ScalingAdjustment`` (no min/max clamp); (capacity, why)."""
    if cfg.adjustment_type == "ExactCapacity":
        return adjustment, f"ExactCapacity: set to {adjustment}"
    if cfg.adjustment_type == "ChangeInCapacity":
        return current + adjustment, f"ChangeInCapacity {adjustment:+d}: {current} -> {current + adjustment}"
    raw = current * adjustment / 100
    change = round_percent_adjustment(raw)
    note = ""
    mam = cfg.min_adjustment_magnitude
    if mam and change and abs(change) < mam:
        change = int(math.copysign(mam, change))
        note = f", raised to MinAdjustmentMagnitude {mam}"
    return current + change, (f"PercentChangeInCapacity {adjustment:+d}% of {current} = {raw:+g}, rounded to "
                              f"{round_percent_adjustment(raw):+d}{note}: {current} -> {current + change}")


def step_scaling_desired(current: int, metric_value: float, threshold: float, config: Mapping[str, Any], *,
                         comparison_operator: str | None = None) -> tuple[int, str]:
    """Apply a ``StepScalingPolicyConfiguration`` for one alarm breach; returns (new capacity, why).

    ``current`` is the service's *running* task count (Application Auto Scaling starts from it).
    The result is not clamped to the scalable target's range (see :func:`bounded_desired`).

    >>> cfg = {"AdjustmentType": "PercentChangeInCapacity", "StepAdjustments": [
    ...     {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 0},
    ...     {"MetricIntervalLowerBound": 10, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 10},
    ...     {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 30}]}
    >>> step_scaling_desired(10, 60, 50, cfg)[0], step_scaling_desired(11, 70, 50, cfg)[0]
    (11, 14)
    """
    require_int(current, "current", label="current capacity")
    cfg = validate_step_scaling_configuration(config)
    step = match_step(cfg.steps, metric_value, threshold, comparison_operator)
    diff = metric_value - threshold
    if step is None:
        return current, f"metric {metric_value:g} is {diff:+g} from the threshold: no step matches"
    new, why = apply_adjustment(current, step.adjustment, cfg)
    return new, f"step {step.describe()} at {diff:+g} from the threshold; {why}"


# ------------------------------------------------------------------ target tracking

@dataclass(frozen=True)
class TargetTrackingConfig:
    target_value: float
    metric_type: str | None  # PredefinedMetricType, or None for a customized metric
    resource_label: str | None
    scale_out_cooldown: int
    scale_in_cooldown: int
    disable_scale_in: bool
    customized: Mapping[str, Any] | None = None


def validate_target_tracking_configuration(config: Mapping[str, Any]) -> TargetTrackingConfig:
    """Check a ``TargetTrackingScalingPolicyConfiguration`` for an ECS service."""
    if not isinstance(config, Mapping):
        raise ValidationException("TargetTrackingScalingPolicyConfiguration must be an object",
                                  "TargetTrackingScalingPolicyConfiguration")
    unknown = sorted(set(config) - {"TargetValue", "PredefinedMetricSpecification", "CustomizedMetricSpecification",
                                    "ScaleOutCooldown", "ScaleInCooldown", "DisableScaleIn"})
    if unknown:
        raise ValidationException(f"Unknown TargetTrackingScalingPolicyConfiguration field(s): {', '.join(unknown)}",
                                  unknown[0])
    if "TargetValue" not in config:
        raise ValidationException("TargetValue is required", "TargetValue")
    target = _vnum(config["TargetValue"], "TargetValue")
    if target <= 0 or target > 2.0 ** 360:
        raise ValidationException(f"TargetValue must be greater than 0 (and at most 2^360), got {target:g}",
                                  "TargetValue")
    pre, cust = config.get("PredefinedMetricSpecification"), config.get("CustomizedMetricSpecification")
    if (pre is None) == (cust is None):
        raise ValidationException(
            "A target tracking scaling policy needs a PredefinedMetricSpecification (for ECS: "
            "ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget) "
            "or a CustomizedMetricSpecification, not both.", "PredefinedMetricSpecification")
    metric_type: str | None = None
    label: str | None = None
    if pre is not None:
        if not isinstance(pre, Mapping):
            raise ValidationException("PredefinedMetricSpecification must be an object", "PredefinedMetricSpecification")
        metric_type = pre.get("PredefinedMetricType")
        if metric_type not in PREDEFINED_METRICS:
            raise ValidationException(f"Invalid PredefinedMetricType {metric_type!r} for an ECS service: use "
                                      f"{', '.join(PREDEFINED_METRICS)}", "PredefinedMetricType")
        label = pre.get("ResourceLabel")
        if metric_type == "ALBRequestCountPerTarget":
            if not label:
                raise ValidationException(
                    "Resource label should be specified for predefined metric type ALBRequestCountPerTarget",
                    "ResourceLabel")
            if not isinstance(label, str) or len(label) > 1023 or not RESOURCE_LABEL_RE.match(label):
                raise ValidationException(
                    f"Invalid resource label {label!r}: use app/<load-balancer-name>/<load-balancer-id>/"
                    "targetgroup/<target-group-name>/<target-group-id>", "ResourceLabel")
        elif label is not None:
            raise ValidationException("You can't specify a resource label unless the predefined metric type is "
                                      "ALBRequestCountPerTarget", "ResourceLabel")
    elif not isinstance(cust, Mapping):
        raise ValidationException("CustomizedMetricSpecification must be an object", "CustomizedMetricSpecification")
    out_cd = _vint(config, "ScaleOutCooldown", DEFAULT_COOLDOWN)
    in_cd = _vint(config, "ScaleInCooldown", DEFAULT_COOLDOWN)
    dsi = config.get("DisableScaleIn", False)
    if not isinstance(dsi, bool):
        raise ValidationException(f"DisableScaleIn must be a boolean, got {dsi!r}", "DisableScaleIn")
    return TargetTrackingConfig(target, metric_type, label, int(out_cd or 0), int(in_cd or 0), dsi,
                                cust if isinstance(cust, Mapping) else None)


def target_tracking_desired(current: int, metric_value: float, target_value: float) -> int:
    """Desired tasks so that the average metric returns to the target: ceil(current x metric / target).

    From 0 running tasks and some demand, the documented "minimum possible amount": 1.
    """
    _num(metric_value, "metric_value", 0)
    if _num(target_value, "TargetValue") <= 0:
        raise ValidationException("TargetValue must be greater than 0", "TargetValue")
    require_int(current, "current", label="current capacity")
    if current == 0:
        return 1 if metric_value > 0 else 0
    return math.ceil(round(current * metric_value / target_value, 9))


def target_tracking_alarms(resource_id: str, config: Mapping[str, Any], *,
                           rng: random.Random | None = None) -> list[dict[str, Any]]:
    """The CloudWatch alarms a target tracking policy creates (``PutMetricAlarm`` shapes).

    Names follow the put-scaling-policy output: ``TargetTracking-<resourceId>-AlarmHigh-<uuid>``
    and ``...-AlarmLow-<uuid>``. AlarmHigh fires after ``TT_SCALE_OUT_DATAPOINTS`` one-minute
    datapoints above the target, AlarmLow after ``TT_SCALE_IN_DATAPOINTS`` below
    ``TT_SCALE_IN_FACTOR`` x target (the longer, conservative scale-in evaluation). With
    ``DisableScaleIn`` there is no AlarmLow. UUIDs come from ``rng`` (deterministic).
    """
    cfg = validate_target_tracking_configuration(config)
    parts = resource_id.split("/") if isinstance(resource_id, str) else []
    if len(parts) != 3 or parts[0] != "service" or not all(parts):
        raise ValidationException(f"Invalid ResourceId {resource_id!r}: use service/<cluster-name>/<service-name>",
                                  "ResourceId")
    r = rng or random.Random(0)
    if cfg.metric_type is not None:
        namespace, name, stat, unit = PREDEFINED_METRIC_SOURCES[cfg.metric_type]
        if cfg.metric_type == "ALBRequestCountPerTarget":
            assert cfg.resource_label is not None
            tg = cfg.resource_label[cfg.resource_label.index("targetgroup/"):]
            dims = [{"Name": "TargetGroup", "Value": tg}]
        else:
            dims = [{"Name": "ClusterName", "Value": parts[1]}, {"Name": "ServiceName", "Value": parts[2]}]
    else:
        assert cfg.customized is not None
        namespace = str(cfg.customized.get("Namespace", ""))
        name = str(cfg.customized.get("MetricName", ""))
        stat = str(cfg.customized.get("Statistic", "Average"))
        unit = str(cfg.customized.get("Unit", ""))
        dims = list(cfg.customized.get("Dimensions", []))
    base = {"Namespace": namespace, "MetricName": name, "Statistic": stat, "Dimensions": dims, "Period": 60}
    if unit:
        base["Unit"] = unit
    alarms = [dict(base, AlarmName=f"TargetTracking-{resource_id}-AlarmHigh-{uuid.UUID(int=r.getrandbits(128))}",
                   ComparisonOperator="GreaterThanThreshold", Threshold=cfg.target_value,
                   EvaluationPeriods=TT_SCALE_OUT_DATAPOINTS, DatapointsToAlarm=TT_SCALE_OUT_DATAPOINTS)]
    if not cfg.disable_scale_in:
        alarms.append(dict(base, AlarmName=f"TargetTracking-{resource_id}-AlarmLow-{uuid.UUID(int=r.getrandbits(128))}",
                           ComparisonOperator="LessThanThreshold",
                           Threshold=round(cfg.target_value * TT_SCALE_IN_FACTOR, 9),
                           EvaluationPeriods=TT_SCALE_IN_DATAPOINTS, DatapointsToAlarm=TT_SCALE_IN_DATAPOINTS))
    return alarms


# ------------------------------------------------------------------ several policies at once

@dataclass(frozen=True)
class PolicyProposal:
    """What one policy asks for this evaluation."""

    policy_name: str
    policy_type: str  # TargetTrackingScaling | StepScaling
    direction: str  # "out" | "in" | "none" ("none": a target tracking policy that is not ready)
    capacity: int | None = None
    scale_in_enabled: bool = True  # target tracking: False when DisableScaleIn


def resolve_policies(desired: int, proposals: Sequence[PolicyProposal]) -> tuple[int, PolicyProposal | None, str]:
    """Combine the policies of one service: (new desired count, winning proposal, why).

    Scale out if any policy says out (the largest capacity wins). Otherwise scale in: target
    tracking only if *every* target tracking policy with scale-in enabled is ready to scale
    in; a step scaling scale-in is not blocked by target tracking; again the largest capacity
    wins. The result is not clamped to MinCapacity/MaxCapacity.

    >>> resolve_policies(10, [PolicyProposal("add3", "StepScaling", "out", 13),
    ...                       PolicyProposal("double", "StepScaling", "out", 30)])[0]
    30
    """
    require_int(desired, "desired")
    for p in proposals:
        if p.policy_type not in ("TargetTrackingScaling", "StepScaling"):
            raise ValidationException(f"Invalid PolicyType {p.policy_type!r}", "PolicyType")
        if p.direction not in ("out", "in", "none"):
            raise InvalidParameterException(f"direction must be out, in or none, got {p.direction!r}", "direction")
    outs = [p for p in proposals if p.direction == "out" and p.capacity is not None and p.capacity > desired]
    if outs:
        best = max(outs, key=lambda p: p.capacity or 0)
        return int(best.capacity or 0), best, f"scale out: {best.policy_name} asks for the largest capacity"
    tt = [p for p in proposals if p.policy_type == "TargetTrackingScaling" and p.scale_in_enabled]
    candidates: list[PolicyProposal] = []
    tt_ready = [p for p in tt if p.direction == "in" and p.capacity is not None and p.capacity < desired]
    waiting = [p.policy_name for p in tt if p not in tt_ready]
    if tt_ready and not waiting:
        candidates += tt_ready
    candidates += [p for p in proposals if p.policy_type == "StepScaling" and p.direction == "in"
                   and p.capacity is not None and p.capacity < desired]
    if candidates:
        best = max(candidates, key=lambda p: p.capacity or 0)
        return int(best.capacity or 0), best, f"scale in: {best.policy_name} gives the largest capacity"
    if tt_ready and waiting:
        return desired, None, f"no scale in: target tracking policies not ready to scale in: {', '.join(waiting)}"
    return desired, None, "no policy asks for a change"


# ------------------------------------------------------------------ SQS backlog

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


# ------------------------------------------------------------------ the documented simulator

@dataclass(frozen=True)
class ScalingActivity:
    """One Application Auto Scaling activity (DescribeScalingActivities shape)."""

    minute: int
    description: str
    cause: str
    status_code: str  # Successful | Failed (not scaled)
    status_message: str = ""
    not_scaled_reason: str = ""

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ServiceNamespace": SERVICE_NAMESPACE, "ScalableDimension": SCALABLE_DIMENSION,
                               "Description": self.description, "Cause": self.cause, "StatusCode": self.status_code,
                               "StartTime": self.minute * 60}
        if self.status_message:
            out["StatusMessage"] = self.status_message
        if self.not_scaled_reason:
            out["NotScaledReasons"] = [{"Code": self.not_scaled_reason}]
        return out


@dataclass(frozen=True)
class ScalingMinute:
    minute: int
    metrics: Mapping[str, float | None]  # per policy: the datapoint it saw (None = insufficient data)
    desired: int
    running: int
    min_capacity: int
    max_capacity: int
    alarms_in_alarm: tuple[str, ...]
    events: tuple[str, ...] = ()


class _MinuteSeries:
    """What both simulators' results offer: one row per minute, as series and task-minutes."""

    minutes: tuple[Any, ...]

    def series(self, name: str) -> list[tuple[float, float]]:
        return [(m.minute, float(getattr(m, name))) for m in self.minutes]

    @property
    def task_minutes(self) -> int:
        return sum(m.running for m in self.minutes)


@dataclass(frozen=True)
class ScalingTimeline(_MinuteSeries):
    minutes: tuple[ScalingMinute, ...]
    activities: tuple[ScalingActivity, ...]
    alarms: Mapping[str, list[dict[str, Any]]]  # target tracking policy -> alarms it created

    @property
    def events(self) -> list[str]:
        return [f"min {m.minute}: {e}" for m in self.minutes for e in m.events]


@dataclass
class _PolicyState:
    name: str
    ptype: str
    tt: TargetTrackingConfig | None
    step: StepScalingConfig | None
    alarm: dict[str, Any]
    series: str
    high: list[bool] = field(default_factory=list)
    low: list[bool] = field(default_factory=list)
    out_until: float = -math.inf  # scale-out cooldown end (minutes)
    out_base: int = 0  # capacity before the scale-out that started the cooldown
    in_until: float = -math.inf  # scale-in cooldown end


def _policy_state(p: Mapping[str, Any], index: int, resource_id: str, rng: random.Random,
                  series_names: Sequence[str]) -> tuple[_PolicyState, list[dict[str, Any]]]:
    if not isinstance(p, Mapping):
        raise ValidationException("each policy must be an object (PutScalingPolicy shape)", "PolicyType")
    name = str(p.get("PolicyName") or f"policy-{index + 1}")
    ptype = p.get("PolicyType")
    series = str(p.get("LoadSeries", series_names[0]))
    if series not in series_names:
        raise InvalidParameterException(f"LoadSeries {series!r} is not one of the load series {list(series_names)}",
                                        "LoadSeries")
    if ptype == "TargetTrackingScaling":
        cfg = p.get("TargetTrackingScalingPolicyConfiguration")
        if cfg is None:
            raise ValidationException("TargetTrackingScalingPolicyConfiguration is required for a "
                                      "TargetTrackingScaling policy", "TargetTrackingScalingPolicyConfiguration")
        tt = validate_target_tracking_configuration(cfg)
        alarms = target_tracking_alarms(resource_id, cfg, rng=rng)
        return _PolicyState(name, "TargetTrackingScaling", tt, None, {}, series), alarms
    if ptype == "StepScaling":
        cfg = p.get("StepScalingPolicyConfiguration")
        if cfg is None:
            raise ValidationException("StepScalingPolicyConfiguration is required for a StepScaling policy",
                                      "StepScalingPolicyConfiguration")
        step = validate_step_scaling_configuration(cfg)
        alarm = dict(p.get("Alarm") or {})
        if "Threshold" not in alarm:
            raise InvalidParameterException(
                "a step scaling policy needs the CloudWatch alarm that invokes it: Alarm {Threshold, "
                "ComparisonOperator, EvaluationPeriods}", "Alarm")
        _vnum(alarm["Threshold"], "Threshold")
        op = alarm.setdefault("ComparisonOperator", "GreaterThanOrEqualToThreshold")
        if op not in ("GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
                      "LessThanOrEqualToThreshold"):
            raise ValidationException(f"Invalid ComparisonOperator {op!r}", "ComparisonOperator")
        alarm["EvaluationPeriods"] = _vint(alarm, "EvaluationPeriods", 1, lo=1)
        alarm.setdefault("AlarmName", f"{name}-alarm")
        return _PolicyState(name, "StepScaling", None, step, alarm, series), []
    raise ValidationException(f"Invalid PolicyType {ptype!r}: use TargetTrackingScaling or StepScaling",
                              "PolicyType")


def _breaches(op: str, value: float, threshold: float) -> bool:
    return {"GreaterThanOrEqualToThreshold": value >= threshold, "GreaterThanThreshold": value > threshold,
            "LessThanThreshold": value < threshold, "LessThanOrEqualToThreshold": value <= threshold}[op]


def _last_all(history: list[bool], n: int) -> bool:
    return len(history) >= n and all(history[-n:])


def simulate_service_scaling(
    load: Sequence[float] | Mapping[str, Sequence[float]],
    policies: Sequence[Mapping[str, Any]],
    *,
    min_capacity: int = 1,
    max_capacity: int = 10,
    initial: int | None = None,
    capacity_per_task: float | None = 100.0,
    task_start_minutes: int = 1,
    scheduled_actions: Sequence[Mapping[str, Any]] = (),
    deployments: Sequence[tuple[int, int]] = (),
    scale_in_waits_for_scale_out_cooldown: bool = False,
    resource_id: str = "service/default/web",
    rng: random.Random | None = None,
) -> ScalingTimeline:
    """Minute-by-minute service auto scaling with documented alarms, cooldowns and policy rules.

    ``load``: demand per minute (one series, or ``{"name": series}`` for several metrics; a
    policy picks one with ``"LoadSeries"``). A policy's datapoint is ``load / running``, capped
    at ``capacity_per_task`` (None: no cap, e.g. requests per target); 0 running tasks and 0
    demand is insufficient data.
    ``policies``: PutScalingPolicy shapes: ``{"PolicyName", "PolicyType": "TargetTrackingScaling",
    "TargetTrackingScalingPolicyConfiguration": {...}}`` or ``{"PolicyType": "StepScaling",
    "StepScalingPolicyConfiguration": {...}, "Alarm": {"Threshold": 70, "ComparisonOperator":
    "GreaterThanOrEqualToThreshold", "EvaluationPeriods": 1}}``.
    ``scheduled_actions``: ``[{"minute": 60, "MinCapacity": 4, "MaxCapacity": 20}]``.
    ``deployments``: ``[(start_minute, end_minute)]`` during which scale-in is turned off.
    """
    series: dict[str, list[float]]
    if isinstance(load, Mapping):
        if not load:
            raise InvalidParameterException("load needs at least one series", "load")
        series = {str(k): [_num(v, "load", 0) for v in vals] for k, vals in load.items()}
    else:
        series = {"load": [_num(v, "load", 0) for v in load]}
    lengths = {len(v) for v in series.values()}
    if len(lengths) != 1:
        raise InvalidParameterException("every load series must have the same number of minutes", "load")
    n_minutes = lengths.pop()
    if not policies:
        raise InvalidParameterException("simulate_service_scaling needs at least one scaling policy", "policies")
    require_int(task_start_minutes, "task_start_minutes")
    if capacity_per_task is not None:
        _num(capacity_per_task, "capacity_per_task", 0)
    lo, hi = min_capacity, max_capacity
    require_int(lo, "MinCapacity")
    require_int(hi, "MaxCapacity")
    clamp(lo, lo, hi)
    r = rng or random.Random(0)
    states: list[_PolicyState] = []
    alarms: dict[str, list[dict[str, Any]]] = {}
    for i, p in enumerate(policies):
        st, created = _policy_state(p, i, resource_id, r, list(series))
        if any(s.name == st.name for s in states):
            raise ValidationException(f"Duplicate PolicyName {st.name!r}", "PolicyName")
        states.append(st)
        if created:
            alarms[st.name] = created
    sched: dict[int, Mapping[str, Any]] = {}
    for a in scheduled_actions:
        sched[require_int(a.get("minute"), "minute")] = a
    for start, end in deployments:
        require_int(start, "deployment start")
        require_int(end, "deployment end")

    desired = clamp(initial, lo, hi) if initial is not None else lo
    require_int(desired, "initial")
    running = desired
    pending: list[tuple[int, int]] = []  # (minute the tasks run, count)
    minutes: list[ScalingMinute] = []
    activities: list[ScalingActivity] = []

    def set_desired(new: int, minute: int, cause: str, events: list[str], label: str = "") -> None:
        nonlocal desired, running, pending
        old = desired
        if new > desired:
            pending.append((minute + task_start_minutes, new - desired))
        else:
            cut = desired - new
            while cut and pending:  # cancel tasks not started yet first
                at, c = pending.pop()
                take = min(c, cut)
                cut -= take
                if c - take:
                    pending.append((at, c - take))
            running = max(0, running - cut)
        desired = new
        activities.append(ScalingActivity(minute, f"Setting desired count to {new}.", cause, "Successful",
                                          f"Successfully set desired count to {new}. Change successfully "
                                          "fulfilled by ecs."))
        events.append(f"{label or cause}: desired count {old} -> {new}")

    for minute in range(n_minutes):
        events: list[str] = []
        # tasks requested earlier start running
        for at, c in [x for x in pending if x[0] <= minute]:
            running += c
        pending = [x for x in pending if x[0] > minute]
        running = min(running, desired)
        # 1. scheduled actions run at once, regardless of cooldowns
        if minute in sched:
            a = sched[minute]
            lo = a.get("MinCapacity", lo)
            hi = a.get("MaxCapacity", hi)
            require_int(lo, "MinCapacity")
            require_int(hi, "MaxCapacity")
            clamp(lo, lo, hi)
            events.append(f"scheduled action: MinCapacity {lo}, MaxCapacity {hi}")
            if desired < lo or desired > hi:
                set_desired(clamp(desired, lo, hi), minute, "scheduled action", events)
        deploying = any(s <= minute < e for s, e in deployments)
        # 2. datapoints and alarms
        proposals: list[PolicyProposal] = []
        causes: dict[str, str] = {}
        seen: dict[str, float | None] = {}
        in_alarm: list[str] = []
        for st in states:
            demand = series[st.series][minute]
            if running == 0:
                value: float | None = None if demand == 0 else (demand if capacity_per_task is None
                                                                 else min(capacity_per_task, demand))
            else:
                value = demand / running
                if capacity_per_task is not None:
                    value = min(capacity_per_task, value)
            seen[st.name] = value
            if st.tt is not None:
                target = st.tt.target_value
                st.high.append(value is not None and value > target)
                st.low.append(value is not None and value < target * TT_SCALE_IN_FACTOR)
                names = alarms[st.name]
                # from 0 running tasks the policy waits for one data point showing demand only
                ready_out = value is not None and (running == 0 or _last_all(st.high, TT_SCALE_OUT_DATAPOINTS))
                ready_in = (value is not None and not st.tt.disable_scale_in
                            and _last_all(st.low, TT_SCALE_IN_DATAPOINTS))
                if ready_out:
                    in_alarm.append(names[0]["AlarmName"])
                    assert value is not None
                    cap = target_tracking_desired(running, value, target)
                    if minute < st.out_until and cap <= desired:
                        cap = desired  # cooldown: only a larger scale-out acts
                    proposals.append(PolicyProposal(st.name, st.ptype, "out", cap))
                    causes[st.name] = f"monitor alarm {names[0]['AlarmName']} in state ALARM triggered policy {st.name}"
                elif ready_in:
                    in_alarm.append(names[1]["AlarmName"])
                    assert value is not None
                    cap = target_tracking_desired(running, value, target)
                    blocked = minute < st.in_until or (scale_in_waits_for_scale_out_cooldown and minute < st.out_until)
                    proposals.append(PolicyProposal(st.name, st.ptype, "none" if blocked else "in", cap,
                                                    scale_in_enabled=True))
                    causes[st.name] = f"monitor alarm {names[1]['AlarmName']} in state ALARM triggered policy {st.name}"
                else:
                    proposals.append(PolicyProposal(st.name, st.ptype, "none", None,
                                                    scale_in_enabled=not st.tt.disable_scale_in))
            else:
                assert st.step is not None
                thr = float(st.alarm["Threshold"])
                op = str(st.alarm["ComparisonOperator"])
                st.high.append(value is not None and _breaches(op, value, thr))
                if value is None or not _last_all(st.high, int(st.alarm["EvaluationPeriods"])):
                    continue
                in_alarm.append(str(st.alarm["AlarmName"]))
                step = match_step(st.step.steps, value, thr, op)
                if step is None:
                    continue
                out_dir = op.startswith("GreaterThan")
                base = st.out_base if (out_dir and minute < st.out_until) else running
                cap, _ = apply_adjustment(base, step.adjustment, st.step)
                # a step adds (positive adjustment) or removes capacity, never the reverse
                if st.step.adjustment_type == "ExactCapacity":
                    direction = "out" if cap > desired else ("in" if cap < desired else "none")
                else:
                    direction = ("out" if step.adjustment > 0 and cap > desired else
                                 "in" if step.adjustment < 0 and cap < desired else "none")
                if direction == "in" and (minute < st.in_until or (scale_in_waits_for_scale_out_cooldown
                                                                   and minute < st.out_until)):
                    direction = "none"
                proposals.append(PolicyProposal(st.name, st.ptype, direction, cap))
                causes[st.name] = f"monitor alarm {st.alarm['AlarmName']} in state ALARM triggered policy {st.name}"
        # 3. combine, respect deployments and the scalable target's range
        new, winner, why = resolve_policies(desired, proposals)
        if winner is not None:
            cause = causes.get(winner.policy_name, winner.policy_name)
            if new < desired and deploying:
                events.append("scale-in is turned off while an ECS deployment is in progress")
                new = desired
            bounded = bounded_desired(desired, new, lo, hi)
            if bounded == desired:
                reason = ("AlreadyAtMaxCapacity" if new > desired else
                          "AlreadyAtMinCapacity" if new < desired else "AlreadyAtDesiredCapacity")
                if new != desired:
                    activities.append(ScalingActivity(minute, "Attempting to scale due to alarm triggered", cause,
                                                      "Failed", not_scaled_reason=reason))
                    events.append(f"{winner.policy_name}: not scaled ({reason})")
            else:
                scaling_out = bounded > desired
                before = desired
                label = (f"{winner.policy_name} ({'scale out' if bounded > desired else 'scale in'}, "
                         f"metric {seen.get(winner.policy_name) or 0:.4g})")
                set_desired(bounded, minute, cause, events, label)
                for st in states:
                    if st.name != winner.policy_name:
                        continue
                    cd_out = st.tt.scale_out_cooldown if st.tt else (st.step.cooldown if st.step else 0)
                    cd_in = st.tt.scale_in_cooldown if st.tt else (st.step.cooldown if st.step else 0)
                    if scaling_out:
                        if minute >= st.out_until:
                            st.out_base = before
                        st.out_until = minute + cd_out / 60
                        st.in_until = -math.inf  # a scale-out ends a scale-in cooldown
                    else:
                        st.in_until = minute + cd_in / 60
                if scaling_out:
                    for st in states:  # the scale-out ends every policy's scale-in cooldown
                        st.in_until = -math.inf
        elif why.startswith("no scale in"):
            events.append(why)
        minutes.append(ScalingMinute(minute, dict(seen), desired, running, lo, hi, tuple(in_alarm), tuple(events)))
    return ScalingTimeline(tuple(minutes), tuple(activities), alarms)


# ------------------------------------------------------------------ predictive scaling

@dataclass(frozen=True)
class PredictiveForecast:
    mode: str
    load_forecast: tuple[float, ...]  # next 48 hours
    capacity_forecast: tuple[int, ...]  # tasks needed each hour (before the max-capacity rule)
    actions: tuple[dict[str, Any], ...]  # ForecastAndScale only: {"at_seconds", "MinCapacity", "MaxCapacity"}
    reason: str = ""


def validate_predictive_configuration(config: Mapping[str, Any]) -> dict[str, Any]:
    """Check a ``PredictiveScalingPolicyConfiguration`` (ECS) and fill in its defaults."""
    if not isinstance(config, Mapping):
        raise ValidationException("PredictiveScalingPolicyConfiguration must be an object",
                                  "PredictiveScalingPolicyConfiguration")
    specs = config.get("MetricSpecifications")
    if not isinstance(specs, (list, tuple)) or len(specs) != 1 or not isinstance(specs[0], Mapping):
        raise ValidationException("MetricSpecifications must contain exactly one metric specification",
                                  "MetricSpecifications")
    target = _vnum(specs[0].get("TargetValue"), "TargetValue")
    if target <= 0:
        raise ValidationException("TargetValue must be greater than 0", "TargetValue")
    mode = config.get("Mode", "ForecastOnly")
    if mode not in ("ForecastOnly", "ForecastAndScale"):
        raise ValidationException(f"Invalid Mode {mode!r}: use ForecastOnly or ForecastAndScale", "Mode")
    buffer_time = _vint(config, "SchedulingBufferTime", 300, 0, 3599)
    behavior = config.get("MaxCapacityBreachBehavior", "HonorMaxCapacity")
    if behavior not in ("HonorMaxCapacity", "IncreaseMaxCapacity"):
        raise ValidationException(f"Invalid MaxCapacityBreachBehavior {behavior!r}: use HonorMaxCapacity or "
                                  "IncreaseMaxCapacity", "MaxCapacityBreachBehavior")
    buf = _vint(config, "MaxCapacityBuffer", None, 0, 100)
    if behavior == "IncreaseMaxCapacity" and buf is None:
        raise ValidationException("MaxCapacityBuffer is required when MaxCapacityBreachBehavior is "
                                  "IncreaseMaxCapacity", "MaxCapacityBuffer")
    if behavior == "HonorMaxCapacity" and buf is not None:
        raise ValidationException("MaxCapacityBuffer can only be used with IncreaseMaxCapacity", "MaxCapacityBuffer")
    return {"TargetValue": target, "Mode": mode, "SchedulingBufferTime": buffer_time,
            "MaxCapacityBreachBehavior": behavior, "MaxCapacityBuffer": buf}


def predictive_forecast(hourly_load: Sequence[float], config: Mapping[str, Any], *, min_capacity: int = 1,
                        max_capacity: int = 10) -> PredictiveForecast:
    """Forecast the next 48 hours from hourly history (total load, e.g. summed CPU %).

    Needs at least 24 hours; uses at most the last 14 days. Each forecast hour is the average
    of the same hour of day in the history (the model's stand-in for AWS's forecast). Capacity
    = ceil(load / TargetValue). ``ForecastAndScale`` turns it into actions that raise
    ``MinCapacity`` ``SchedulingBufferTime`` seconds before each hour, never lowering capacity
    below what dynamic scaling holds (predictive scaling does not scale in).
    """
    cfg = validate_predictive_configuration(config)
    hist = [_num(v, "hourly_load", 0) for v in hourly_load]
    require_int(min_capacity, "MinCapacity")
    require_int(max_capacity, "MaxCapacity")
    clamp(min_capacity, min_capacity, max_capacity)
    if len(hist) < PREDICTIVE_MIN_HISTORY_HOURS:
        return PredictiveForecast(cfg["Mode"], (), (), (), f"predictive scaling needs at least "
                                  f"{PREDICTIVE_MIN_HISTORY_HOURS} hours of metric data; {len(hist)} given")
    hist = hist[-PREDICTIVE_MAX_HISTORY_HOURS:]
    start = len(hist)
    loads: list[float] = []
    for h in range(PREDICTIVE_FORECAST_HOURS):
        same = [hist[i] for i in range((start + h) % 24, start, 24)] or [hist[-1]]
        loads.append(round(sum(same) / len(same), 6))
    target = float(cfg["TargetValue"])
    caps = [math.ceil(round(x / target, 9)) for x in loads]
    actions: list[dict[str, Any]] = []
    reason = "ForecastOnly: forecasts are produced, capacity is not changed"
    if cfg["Mode"] == "ForecastAndScale":
        reason = "ForecastAndScale: MinCapacity follows the forecast ahead of each hour; no scale in on a forecast"
        buf = int(cfg["SchedulingBufferTime"] or 0)
        for h, cap in enumerate(caps):
            new_max = max_capacity
            if cfg["MaxCapacityBreachBehavior"] == "IncreaseMaxCapacity" and cap > max_capacity:
                new_max = math.ceil(round(cap * (1 + int(cfg["MaxCapacityBuffer"] or 0) / 100), 9))
            new_min = max(min_capacity, min(cap, new_max))
            actions.append({"at_seconds": h * 3600 - buf, "MinCapacity": new_min, "MaxCapacity": new_max})
    return PredictiveForecast(str(cfg["Mode"]), tuple(loads), tuple(caps), tuple(actions), reason)


# ------------------------------------------------------------------ the original simulator

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
class Simulation(_MinuteSeries):
    minutes: tuple[Minute, ...]
    policy: Mapping[str, Any]

    @property
    def events(self) -> list[str]:
        return [f"min {m.minute}: {m.event}" for m in self.minutes if m.event]


def simulate(load: Sequence[float], policy: Mapping[str, Any], *, min_capacity: int = 1, max_capacity: int = 10,
             initial: int | None = None, capacity_per_task: float = 100.0,
             scheduled_actions: Sequence[Mapping[str, Any]] = ()) -> Simulation:
    """Minute-by-minute service auto scaling (the book's simplified simulator).

    Every minute is one decision on one datapoint (no alarm evaluation periods); target
    tracking scales in by half the gap at a time. :func:`simulate_service_scaling` models the
    documented alarms, cooldowns and multi-policy rules.

    ``load``: demand per minute in metric units if one task served it all (e.g. 250 = two and a
    half tasks' worth of CPU); the metric is ``load / running`` capped at ``capacity_per_task``.
    ``policy``: ``{"type": "TargetTrackingScaling", "TargetValue": 50, "ScaleOutCooldown": 60,
    "ScaleInCooldown": 300, "DisableScaleIn": False}`` or ``{"type": "StepScaling",
    "threshold": 70, "StepScalingPolicyConfiguration": {...}, "scale_in_threshold": 30,
    "scale_in": {...}}``. ``scheduled_actions``: ``[{"minute": 60, "MinCapacity": 4, "MaxCapacity": 20}]``.
    """
    ptype = policy.get("type")
    if ptype not in ("TargetTrackingScaling", "StepScaling"):
        raise ValidationException(
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
                                                    policy["StepScalingPolicyConfiguration"],
                                                    comparison_operator="GreaterThanOrEqualToThreshold")
                    new = clamp(new, lo, hi)
                    if new != desired:
                        event = (event + "; " if event else "") + f"step scaling: {why} (clamped {new})"
                        desired, last_out = new, minute
                elif "scale_in_threshold" in policy and metric < policy["scale_in_threshold"]:
                    new, why = step_scaling_desired(desired, metric, policy["scale_in_threshold"], policy["scale_in"],
                                                    comparison_operator="LessThanThreshold")
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
