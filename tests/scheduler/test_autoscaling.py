"""Service auto scaling: one test per documented rule, the arithmetic written next to each case.

Sources are cited in ``ecsbook.scheduler.autoscaling``'s docstring.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecsbook.scheduler import autoscaling as a
from ecsbook.scheduler.aas_errors import ValidationException
from ecsbook.scheduler.errors import InvalidParameterException

PCT = "PercentChangeInCapacity"
# the step scaling user guide's example: threshold 50, current and desired capacity 10
DOC_OUT = {"AdjustmentType": PCT, "StepAdjustments": [
    {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 0},
    {"MetricIntervalLowerBound": 10, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 10},
    {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 30}]}
DOC_IN = {"AdjustmentType": PCT, "StepAdjustments": [
    {"MetricIntervalLowerBound": -10, "MetricIntervalUpperBound": 0, "ScalingAdjustment": 0},
    {"MetricIntervalLowerBound": -20, "MetricIntervalUpperBound": -10, "ScalingAdjustment": -10},
    {"MetricIntervalUpperBound": -20, "ScalingAdjustment": -30}]}
CPU = {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}
LABEL = "app/my-alb/778d41231b141a0f/targetgroup/my-alb-target-group/943f017f100becff"


def tt(name: str = "cpu50", target: float = 50, series: str | None = None, **cfg: object) -> dict:
    p: dict = {"PolicyName": name, "PolicyType": "TargetTrackingScaling",
               "TargetTrackingScalingPolicyConfiguration": {"TargetValue": target,
                                                            "PredefinedMetricSpecification": CPU, **cfg}}
    if series:
        p["LoadSeries"] = series
    return p


# ------------------------------------------------------------------ step adjustments: matching

@pytest.mark.parametrize("current,metric,config,expected", [
    (10, 60, DOC_OUT, 11),   # diff +10 -> [10, 20): +10% of 10 = 1      -> 11
    (11, 70, DOC_OUT, 14),   # diff +20 -> [20, inf): +30% of 11 = 3.3 -> 3 -> 14
    (14, 40, DOC_IN, 13),    # diff -10 -> (-20, -10]: -10% of 14 = -1.4 -> -1 -> 13
    (13, 30, DOC_IN, 10),    # diff -20 -> (-inf, -20]: -30% of 13 = -3.9 -> -3 -> 10
    (10, 55, DOC_OUT, 10),   # diff +5 -> [0, 10): 0%                       -> 10 (unchanged 40..60)
    (10, 45, DOC_IN, 10),    # diff -5 -> (-10, 0]: 0%                      -> 10
])
def test_user_guide_worked_example(current, metric, config, expected):
    assert a.step_scaling_desired(current, metric, 50, config)[0] == expected


@pytest.mark.parametrize("metric,op,expected_adjustment", [
    # above the threshold: lower bound inclusive, upper exclusive
    (60, None, 10),          # 60 - 50 = 10: in [10, 20), not in [0, 10)
    (59.99, None, 0),        # 9.99: in [0, 10)
    (50, None, 0),           # 0: in [0, 10) (">= 50 and < 60" in the API example)
    (70, None, 30),          # 20: in [20, inf)
])
def test_above_threshold_lower_inclusive_upper_exclusive(metric, op, expected_adjustment):
    cfg = a.validate_step_scaling_configuration(DOC_OUT)
    assert a.match_step(cfg.steps, metric, 50, op).adjustment == expected_adjustment


@pytest.mark.parametrize("metric,op,expected_adjustment", [
    # below the threshold: lower bound exclusive, upper inclusive
    (40, None, -10),         # 40 - 50 = -10: in (-20, -10], not in (-10, 0]
    (40.01, None, 0),        # -9.99: in (-10, 0]
    (50, "LessThanOrEqualToThreshold", 0),  # 0: in (-10, 0] (">40 and <=50" in the API example)
    (30, None, -30),         # -20: in (-inf, -20]
    (29, None, -30),
])
def test_below_threshold_lower_exclusive_upper_inclusive(metric, op, expected_adjustment):
    cfg = a.validate_step_scaling_configuration(DOC_IN)
    assert a.match_step(cfg.steps, metric, 50, op).adjustment == expected_adjustment


def test_metric_on_the_other_side_of_the_threshold_matches_no_step():
    # a scale-out policy only covers [0, inf): a metric 5 below its threshold matches nothing
    new, why = a.step_scaling_desired(10, 45, 50, DOC_OUT)
    assert new == 10 and "no step matches" in why


def test_exact_threshold_side_comes_from_the_alarm_operator():
    both = {"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
        {"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1},
        {"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}
    steps = a.validate_step_scaling_configuration(both).steps
    # at exactly 50: a GreaterThanOrEqual alarm reads [0, inf) -> +1; a LessThanOrEqual one (-inf, 0] -> -1
    assert a.match_step(steps, 50, 50, "GreaterThanOrEqualToThreshold").adjustment == 1
    assert a.match_step(steps, 50, 50, "LessThanOrEqualToThreshold").adjustment == -1
    with pytest.raises(ValidationException):
        a.match_step(steps, 50, 50, "Sideways")


@settings(max_examples=200, deadline=None)
@given(cuts=st.lists(st.integers(-50, 50), min_size=0, max_size=5, unique=True),
       diff=st.floats(-100, 100, allow_nan=False), side=st.sampled_from(["above", "below"]))
def test_contiguous_steps_cover_every_value_exactly_once(cuts, diff, side):
    # steps from -inf to +inf cut at sorted points: any metric falls in exactly one step on either side
    pts = sorted(cuts)
    bounds = list(zip([None, *pts], [*pts, None]))
    steps = [{"MetricIntervalLowerBound": lo, "MetricIntervalUpperBound": hi, "ScalingAdjustment": i}
             for i, (lo, hi) in enumerate(bounds) if not (lo is None and hi is None)]
    if not steps:  # no cut: one step would need both bounds null, which is invalid; use two halves
        steps = [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": 0},
                 {"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]
    parsed = a.validate_step_adjustments(steps)
    assert sum(s.contains(diff, side) for s in parsed) == 1


# ------------------------------------------------------------------ step adjustments: validation

def _steps(*pairs: tuple[float | None, float | None]) -> dict:
    return {"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
        {"MetricIntervalLowerBound": lo, "MetricIntervalUpperBound": hi, "ScalingAdjustment": 1}
        for lo, hi in pairs]}


@pytest.mark.parametrize("config,message", [
    (_steps((0, 10), (20, None)), "can't overlap or have a gap"),          # gap 10..20
    (_steps((0, 15), (10, None)), "can't overlap or have a gap"),          # overlap 10..15
    (_steps((None, 0), (None, 5)), "at most one a null upper bound"),      # two null lower bounds
    (_steps((0, None), (5, None)), "at most one a null upper bound"),      # two null upper bounds
    (_steps((-10, 0)), "negative lower bound"),                            # -10 needs a null-lower step
    (_steps((0, 10)), "positive upper bound"),                             # 10 needs a null-upper step
    (_steps((None, None)), "can't be null in the same step"),
    (_steps((10, 10), (10, None)), "must be less than its upper bound"),   # 10 >= 10
    ({"AdjustmentType": "ChangeInCapacity", "StepAdjustments": []}, "At least one step adjustment"),
    ({"StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}, "AdjustmentType is required"),
    ({"AdjustmentType": "Double", "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]},
     "Invalid AdjustmentType"),
    ({"AdjustmentType": "ExactCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": -1}]},
     "non-negative"),
    ({"AdjustmentType": PCT, "MetricAggregationType": "Median",
      "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}, "MetricAggregationType"),
    ({"AdjustmentType": PCT, "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1.5}]},
     "ScalingAdjustment"),
    ({"AdjustmentType": PCT, "Cooldown": -1, "StepAdjustments": [{"MetricIntervalLowerBound": 0,
                                                                  "ScalingAdjustment": 1}]}, "Cooldown"),
])
def test_step_scaling_validation(config, message):
    with pytest.raises(ValidationException) as err:
        a.step_scaling_desired(4, 80, 70, config)
    assert message in err.value.message
    assert err.value.code == "ValidationException" and str(err.value).startswith("ValidationException: ")
    assert isinstance(err.value, InvalidParameterException)  # the scheduler's error contract still holds


def test_negative_lower_bound_is_fine_with_a_null_lower_step():
    assert a.validate_step_adjustments(DOC_IN["StepAdjustments"])[0].lower is None


def test_cooldown_defaults_to_300_and_aggregation_to_average():
    cfg = a.validate_step_scaling_configuration(DOC_OUT)
    assert (cfg.cooldown, cfg.metric_aggregation_type) == (300, "Average")


# ------------------------------------------------------------------ adjustment types and rounding

@pytest.mark.parametrize("raw,rounded", [
    (12.7, 12),     # greater than 1: rounded down
    (0.67, 1),      # between 0 and 1: 1
    (-0.58, -1),    # between 0 and -1: -1
    (-6.67, -6),    # less than -1: rounded up
    (1.0, 1), (-1.0, -1), (0.0, 0),
])
def test_percent_rounding_from_the_user_guide(raw, rounded):
    assert a.round_percent_adjustment(raw) == rounded


@pytest.mark.parametrize("adj_type,current,amount,mam,expected", [
    ("ChangeInCapacity", 3, 5, None, 8),        # 3 + 5
    ("ExactCapacity", 3, 5, None, 5),           # set to 5
    (PCT, 10, 10, None, 11),                    # 10% of 10 = 1
    (PCT, 4, 25, 2, 6),                         # 25% of 4 = 1, MinAdjustmentMagnitude 2 -> +2
    (PCT, 4, -25, 2, 2),                        # -25% of 4 = -1, magnitude 2 -> -2
    (PCT, 3, 20, None, 4),                      # 20% of 3 = 0.6 -> 1
    (PCT, 20, 25, 2, 25),                       # 25% of 20 = 5 >= 2: unchanged
])
def test_adjustment_types(adj_type, current, amount, mam, expected):
    cfg = {"AdjustmentType": adj_type, "StepAdjustments": [{"MetricIntervalLowerBound": 0,
                                                           "ScalingAdjustment": amount}]}
    if mam:
        cfg["MinAdjustmentMagnitude"] = mam
    assert a.step_scaling_desired(current, 80, 70, cfg)[0] == expected


# ------------------------------------------------------------------ MinCapacity / MaxCapacity

@pytest.mark.parametrize("current,proposed,lo,hi,expected", [
    (5, 12, 2, 10, 10),      # inside: clamp 12 -> 10
    (5, 1, 2, 10, 2),        # inside: clamp 1 -> 2
    (1, 3, 4, 10, 4),        # below the minimum, scale-out: up to the minimum (and on from there)
    (1, 6, 4, 10, 6),        # below the minimum, scale-out beyond it
    (1, 0, 4, 10, 1),        # below the minimum, scale-in: no change
    (12, 11, 2, 10, 10),     # above the maximum, scale-in: down to the maximum
    (12, 5, 2, 10, 5),       # above the maximum, scale-in beyond it
    (12, 14, 2, 10, 12),     # above the maximum, scale-out: no change
    (3, -2, 0, 10, 0),       # ChangeInCapacity -5 from 3: never below 0 tasks
])
def test_bounded_desired_follows_the_ecs_considerations(current, proposed, lo, hi, expected):
    assert a.bounded_desired(current, proposed, lo, hi) == expected


def test_min_greater_than_max_is_a_validation_exception():
    with pytest.raises(ValidationException, match="Minimum capacity cannot be greater than maximum capacity"):
        a.clamp(3, 5, 4)


# ------------------------------------------------------------------ target tracking

@pytest.mark.parametrize("current,metric,target,expected", [
    (4, 90, 50, 8),     # ceil(4 x 90 / 50) = ceil(7.2)
    (10, 30, 50, 6),    # ceil(6.0)
    (6, 50, 50, 6),
    (0, 20, 50, 1),     # from 0 tasks: the minimum possible amount
    (0, 0, 50, 0),
])
def test_target_tracking_proportional_rule(current, metric, target, expected):
    assert a.target_tracking_desired(current, metric, target) == expected


@pytest.mark.parametrize("cfg,field,message", [
    ({"TargetValue": 100, "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget"}},
     "ResourceLabel", "Resource label should be specified for predefined metric type ALBRequestCountPerTarget"),
    ({"TargetValue": 100, "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget",
                                                            "ResourceLabel": "my-alb/tg"}},
     "ResourceLabel", "Invalid resource label"),
    ({"TargetValue": 50, "PredefinedMetricSpecification": dict(CPU, ResourceLabel=LABEL)},
     "ResourceLabel", "unless the predefined metric type is ALBRequestCountPerTarget"),
    ({"TargetValue": 50}, "PredefinedMetricSpecification", "needs a PredefinedMetricSpecification"),
    ({"TargetValue": 50, "PredefinedMetricSpecification": CPU, "CustomizedMetricSpecification": {}},
     "PredefinedMetricSpecification", "not both"),
    ({"TargetValue": 50, "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}},
     "PredefinedMetricType", "Invalid PredefinedMetricType"),
    ({"TargetValue": 0, "PredefinedMetricSpecification": CPU}, "TargetValue", "greater than 0"),
    ({"PredefinedMetricSpecification": CPU}, "TargetValue", "TargetValue is required"),
    ({"TargetValue": 50, "PredefinedMetricSpecification": CPU, "ScaleInCooldown": -5}, "ScaleInCooldown", ""),
    ({"TargetValue": 50, "PredefinedMetricSpecification": CPU, "DisableScaleIn": "yes"}, "DisableScaleIn", ""),
])
def test_target_tracking_validation(cfg, field, message):
    with pytest.raises(ValidationException) as err:
        a.validate_target_tracking_configuration(cfg)
    assert err.value.field == field and message in err.value.message


def test_target_tracking_defaults_for_ecs():
    cfg = a.validate_target_tracking_configuration({"TargetValue": 50, "PredefinedMetricSpecification": CPU})
    assert (cfg.scale_out_cooldown, cfg.scale_in_cooldown, cfg.disable_scale_in) == (300, 300, False)
    ok = a.validate_target_tracking_configuration(
        {"TargetValue": 1000, "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget",
                                                                "ResourceLabel": LABEL}})
    assert ok.resource_label == LABEL


def test_target_tracking_creates_alarm_high_and_a_slower_alarm_low():
    alarms = a.target_tracking_alarms("service/default/web-app", {"TargetValue": 50,
                                                                  "PredefinedMetricSpecification": CPU})
    high, low = alarms
    assert high["AlarmName"].startswith("TargetTracking-service/default/web-app-AlarmHigh-")
    assert low["AlarmName"].startswith("TargetTracking-service/default/web-app-AlarmLow-")
    assert (high["Namespace"], high["MetricName"], high["Statistic"]) == ("AWS/ECS", "CPUUtilization", "Average")
    assert high["Dimensions"] == [{"Name": "ClusterName", "Value": "default"},
                                  {"Name": "ServiceName", "Value": "web-app"}]
    # AlarmHigh: 3 x 1 minute above 50; AlarmLow: 15 x 1 minute below 0.9 x 50 = 45
    assert (high["ComparisonOperator"], high["Threshold"], high["EvaluationPeriods"]) == ("GreaterThanThreshold", 50, 3)
    assert (low["ComparisonOperator"], low["Threshold"], low["EvaluationPeriods"]) == ("LessThanThreshold", 45, 15)
    assert alarms == a.target_tracking_alarms("service/default/web-app", {"TargetValue": 50,
                                                                          "PredefinedMetricSpecification": CPU})


def test_alb_alarm_uses_the_target_group_from_the_resource_label_and_disable_scale_in_drops_alarm_low():
    alarms = a.target_tracking_alarms("service/prod/api", {
        "TargetValue": 1000, "DisableScaleIn": True,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": LABEL}})
    assert len(alarms) == 1
    assert (alarms[0]["Namespace"], alarms[0]["MetricName"], alarms[0]["Statistic"]) == (
        "AWS/ApplicationELB", "RequestCountPerTarget", "Sum")
    assert alarms[0]["Dimensions"] == [{"Name": "TargetGroup",
                                        "Value": "targetgroup/my-alb-target-group/943f017f100becff"}]


def test_alarm_resource_id_is_checked():
    with pytest.raises(ValidationException):
        a.target_tracking_alarms("default/web", {"TargetValue": 50, "PredefinedMetricSpecification": CPU})


# ------------------------------------------------------------------ several policies

P = a.PolicyProposal


@pytest.mark.parametrize("proposals,expected", [
    # PutScalingPolicy: +3 (13) and +200% (10 + 20 = 30) at 10 -> the largest, 30
    ([P("add3", "StepScaling", "out", 13), P("double", "StepScaling", "out", 30)], 30),
    # any target tracking policy ready to scale out scales out
    ([P("cpu", "TargetTrackingScaling", "out", 12), P("mem", "TargetTrackingScaling", "none")], 12),
    # scale in only if all (scale-in enabled) target tracking policies are ready
    ([P("cpu", "TargetTrackingScaling", "in", 6), P("mem", "TargetTrackingScaling", "none")], 10),
    # both ready: the largest capacity, 8, wins
    ([P("cpu", "TargetTrackingScaling", "in", 6), P("mem", "TargetTrackingScaling", "in", 8)], 8),
    # a policy with DisableScaleIn does not block the other's scale-in
    ([P("cpu", "TargetTrackingScaling", "in", 6), P("mem", "TargetTrackingScaling", "none", scale_in_enabled=False)], 6),
    # a step scaling scale-in is not blocked by a target tracking policy that is not ready
    ([P("cpu", "TargetTrackingScaling", "none"), P("step-in", "StepScaling", "in", 7)], 7),
    # out beats in
    ([P("cpu", "TargetTrackingScaling", "in", 6), P("step-out", "StepScaling", "out", 11)], 11),
])
def test_multiple_policies(proposals, expected):
    assert a.resolve_policies(10, proposals)[0] == expected


# ------------------------------------------------------------------ the documented simulator

def step_policy(name: str, threshold: float, config: dict, op: str = "GreaterThanOrEqualToThreshold",
                periods: int = 1) -> dict:
    return {"PolicyName": name, "PolicyType": "StepScaling", "StepScalingPolicyConfiguration": config,
            "Alarm": {"Threshold": threshold, "ComparisonOperator": op, "EvaluationPeriods": periods}}


ADD2_ADD3 = {"AdjustmentType": "ChangeInCapacity", "Cooldown": 300, "StepAdjustments": [
    {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 2},
    {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 3}]}


def test_step_cooldown_counts_the_initiating_scale_out():
    # 4 tasks. min 0: 300/4 = 75 (+5 over 70) -> +2 -> 6, cooldown 5 min starts (base 4).
    # min 1: 6 running, 450/6 = 75 -> +2 from base 4 = 6 = desired: nothing.
    # min 2: 540/6 = 90 (+20) -> +3 from base 4 = 7 > 6: only 1 added -> 7.
    tl = a.simulate_service_scaling([300, 450, 540, 525], [step_policy("cpu-high", 70, ADD2_ADD3)],
                                    min_capacity=1, max_capacity=20, initial=4, capacity_per_task=None)
    assert [m.desired for m in tl.minutes] == [6, 6, 7, 7]
    # min 3: 525/7 = 75 -> base 4 + 2 = 6 < 7: a scale-out step never scales in
    assert tl.activities[1].description == "Setting desired count to 7."


def test_step_scale_in_waits_for_its_cooldown_but_scale_out_does_not():
    remove1 = {"AdjustmentType": "ChangeInCapacity", "Cooldown": 300,
               "StepAdjustments": [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1}]}
    pols = [step_policy("cpu-low", 30, remove1, "LessThanThreshold"),
            step_policy("cpu-high", 70, dict(ADD2_ADD3, Cooldown=60))]
    # 10 tasks at 10% (100 load): -1 at min 0, then blocked until min 5 (300 s), -1 again at 5
    tl = a.simulate_service_scaling([100] * 7, pols[:1], min_capacity=1, max_capacity=20, initial=10)
    assert [m.desired for m in tl.minutes] == [9, 9, 9, 9, 9, 8, 8]
    # a scale-out during the scale-in cooldown happens at once (min 2: 9 x 80 = 720 -> 80% -> +3)
    tl = a.simulate_service_scaling([100, 100, 720, 720], pols, min_capacity=1, max_capacity=20, initial=10)
    assert [m.desired for m in tl.minutes][:3] == [9, 9, 12]


def test_target_tracking_alarm_high_needs_three_datapoints_and_alarm_low_fifteen():
    # 2 tasks at 75% (150 load), target 50: breaches at min 0, 1, 2 -> scale out at 2: ceil(2 x 75 / 50) = 3
    tl = a.simulate_service_scaling([150] * 5, [tt()], min_capacity=1, max_capacity=10, initial=2)
    assert [m.desired for m in tl.minutes] == [2, 2, 3, 3, 3]
    assert tl.minutes[2].alarms_in_alarm[0].startswith("TargetTracking-service/default/web-AlarmHigh-")
    # 10 tasks at 20% (200 load): below 45 from min 0; AlarmLow after 15 points (min 14): ceil(10 x 20 / 50) = 4
    tl = a.simulate_service_scaling([200] * 16, [tt()], min_capacity=1, max_capacity=10, initial=10)
    assert [m.desired for m in tl.minutes][13:] == [10, 4, 4]


def test_target_tracking_does_not_scale_in_between_90_and_100_percent_of_target():
    # 10 tasks at 46% (460): below 50 but above 45 -> never scales in
    tl = a.simulate_service_scaling([460] * 30, [tt()], min_capacity=1, max_capacity=10, initial=10)
    assert {m.desired for m in tl.minutes} == {10}


def test_disable_scale_in_keeps_the_tasks():
    tl = a.simulate_service_scaling([100] * 20, [tt(DisableScaleIn=True)], min_capacity=1, max_capacity=10,
                                    initial=10)
    assert {m.desired for m in tl.minutes} == {10}


def test_scaling_starts_from_the_running_count():
    # tasks never start (no capacity): 2 running at 100% keep asking for ceil(2 x 100 / 50) = 4, not 8, 16, ...
    tl = a.simulate_service_scaling([1000] * 20, [tt(ScaleOutCooldown=0)], min_capacity=1, max_capacity=50,
                                    initial=2, task_start_minutes=10_000)
    assert max(m.desired for m in tl.minutes) == 4 and {m.running for m in tl.minutes} == {2}


def test_scale_out_from_zero_waits_for_one_datapoint_and_adds_the_minimum():
    # min 0, no tasks; no demand = no datapoint (insufficient data); demand at minute 3 -> desired 1 at once
    tl = a.simulate_service_scaling([0, 0, 0, 30, 30], [tt()], min_capacity=0, max_capacity=10, initial=0)
    assert [m.desired for m in tl.minutes] == [0, 0, 0, 1, 1]
    assert tl.minutes[0].metrics["cpu50"] is None


def test_scale_in_is_turned_off_during_a_deployment():
    tl = a.simulate_service_scaling([100] * 20, [tt()], min_capacity=1, max_capacity=10, initial=10,
                                    deployments=[(0, 18)])
    # AlarmLow is in ALARM from minute 14 but the deployment runs until 18: scale in at 18 -> ceil(10 x 10 / 50) = 2
    assert [m.desired for m in tl.minutes][14:] == [10, 10, 10, 10, 2, 2]
    assert any("turned off while an ECS deployment" in e for e in tl.events)
    # scale-out continues during a deployment
    tl = a.simulate_service_scaling([300] * 4, [tt()], min_capacity=1, max_capacity=10, initial=2,
                                    deployments=[(0, 100)])
    assert tl.minutes[-1].desired == 6   # ceil(2 x 100 / 50)


def test_two_target_tracking_policies_scale_in_only_when_both_are_low():
    cpu, mem = tt("cpu", series="cpu"), tt("mem", series="mem")
    # CPU low (10%), memory normal (48%, above 45): no scale-in ever
    tl = a.simulate_service_scaling({"cpu": [100] * 20, "mem": [480] * 20}, [cpu, mem], min_capacity=1,
                                    max_capacity=10, initial=10)
    assert {m.desired for m in tl.minutes} == {10}
    assert any("not ready to scale in: mem" in e for e in tl.events)
    # both low: scale in at min 14 to the larger of ceil(10x10/50)=2 and ceil(10x30/50)=6
    tl = a.simulate_service_scaling({"cpu": [100] * 16, "mem": [300] * 16}, [cpu, mem], min_capacity=1,
                                    max_capacity=10, initial=10)
    assert tl.minutes[14].desired == 6
    # memory high: out even though CPU is low: ceil(4 x 100 / 50) = 8
    tl = a.simulate_service_scaling({"cpu": [40] * 4, "mem": [1000] * 4}, [cpu, mem], min_capacity=1,
                                    max_capacity=10, initial=4)
    assert tl.minutes[2].desired == 8


def test_max_capacity_blocks_with_a_not_scaled_activity():
    tl = a.simulate_service_scaling([1000] * 4, [tt()], min_capacity=1, max_capacity=4, initial=4)
    failed = [x for x in tl.activities if x.status_code == "Failed"]
    assert failed and failed[0].not_scaled_reason == "AlreadyAtMaxCapacity"
    assert failed[0].to_api()["NotScaledReasons"] == [{"Code": "AlreadyAtMaxCapacity"}]


def test_scaling_activity_strings_match_describe_scaling_activities():
    tl = a.simulate_service_scaling([150] * 3, [tt()], min_capacity=1, max_capacity=10, initial=2)
    act = tl.activities[0].to_api()
    assert act["Description"] == "Setting desired count to 3."
    assert act["StatusMessage"] == "Successfully set desired count to 3. Change successfully fulfilled by ecs."
    assert act["Cause"].startswith("monitor alarm TargetTracking-service/default/web-AlarmHigh-")
    assert act["Cause"].endswith(" in state ALARM triggered policy cpu50")
    assert (act["ServiceNamespace"], act["ScalableDimension"]) == ("ecs", "ecs:service:DesiredCount")


def test_scheduled_action_moves_the_bounds_immediately_even_in_cooldown():
    # 2 tasks at 75%: scale-out at min 2 starts a 300 s cooldown; at min 3 the schedule raises min to 8
    tl = a.simulate_service_scaling([150] * 5, [tt()], min_capacity=1, max_capacity=10, initial=2,
                                    scheduled_actions=[{"minute": 3, "MinCapacity": 8}])
    assert [m.desired for m in tl.minutes] == [2, 2, 3, 8, 8]
    tl = a.simulate_service_scaling([150] * 3, [tt()], min_capacity=1, max_capacity=10, initial=6,
                                    scheduled_actions=[{"minute": 1, "MaxCapacity": 4}])
    assert tl.minutes[1].desired == 4     # current 6 above the new maximum: scale in to 4


def test_simulator_input_errors():
    with pytest.raises(ValidationException, match="Invalid PolicyType"):
        a.simulate_service_scaling([1], [{"PolicyType": "Predictive"}])
    with pytest.raises(InvalidParameterException, match="Alarm"):
        a.simulate_service_scaling([1], [{"PolicyType": "StepScaling", "StepScalingPolicyConfiguration": DOC_OUT}])
    with pytest.raises(InvalidParameterException, match="at least one scaling policy"):
        a.simulate_service_scaling([1], [])
    with pytest.raises(ValidationException, match="Duplicate PolicyName"):
        a.simulate_service_scaling([1], [tt(), tt()])
    with pytest.raises(InvalidParameterException, match="same number of minutes"):
        a.simulate_service_scaling({"x": [1], "y": [1, 2]}, [tt()])


@settings(max_examples=60, deadline=None)
@given(load=st.lists(st.integers(0, 2000), min_size=1, max_size=40), lo=st.integers(0, 5), extra=st.integers(0, 10),
       target=st.sampled_from([30, 50, 70]))
def test_simulated_desired_stays_in_range(load, lo, extra, target):
    hi = lo + extra
    tl = a.simulate_service_scaling(load, [tt(target=target, ScaleOutCooldown=60, ScaleInCooldown=60)],
                                    min_capacity=lo, max_capacity=hi)
    for m in tl.minutes:
        assert lo <= m.desired <= hi and 0 <= m.running <= m.desired


# ------------------------------------------------------------------ predictive scaling

PRED = {"MetricSpecifications": [{"TargetValue": 50, "PredefinedMetricPairSpecification": {
    "PredefinedMetricType": "ECSServiceCPUUtilization"}}]}


def test_predictive_needs_24_hours_of_data():
    f = a.predictive_forecast([100.0] * 23, PRED)
    assert f.load_forecast == () and "at least 24 hours" in f.reason


def test_predictive_forecast_only_forecasts_48_hours_and_does_not_scale():
    day = [100.0 * (1 + (h >= 9) * (h < 17)) for h in range(24)]  # 100, or 200 from 09:00 to 17:00
    f = a.predictive_forecast(day * 3, PRED)
    assert len(f.load_forecast) == 48 and f.actions == () and f.mode == "ForecastOnly"
    # hour 10 of the next day: average of the three 200s -> 200 / 50 = 4 tasks; hour 2: 100 / 50 = 2
    assert f.capacity_forecast[10] == 4 and f.capacity_forecast[2] == 2


def test_predictive_forecast_and_scale_raises_min_ahead_of_time():
    day = [100.0] * 12 + [500.0] * 12
    f = a.predictive_forecast(day, dict(PRED, Mode="ForecastAndScale"), min_capacity=1, max_capacity=20)
    # hour 12: 500 / 50 = 10 tasks, action 300 s (SchedulingBufferTime default) before 12:00
    assert f.actions[12] == {"at_seconds": 12 * 3600 - 300, "MinCapacity": 10, "MaxCapacity": 20}


def test_predictive_max_capacity_breach_behaviour():
    day = [2500.0] * 24  # forecast 2500 / 50 = 50 tasks
    honor = a.predictive_forecast(day, dict(PRED, Mode="ForecastAndScale"), max_capacity=40)
    assert honor.actions[0]["MinCapacity"] == 40 and honor.actions[0]["MaxCapacity"] == 40
    inc = a.predictive_forecast(day, dict(PRED, Mode="ForecastAndScale", MaxCapacityBreachBehavior="IncreaseMaxCapacity",
                                          MaxCapacityBuffer=10), max_capacity=40)
    # API example: forecast 50, maximum 40, buffer 10 -> effective maximum 50 x 1.1 = 55
    assert inc.actions[0]["MaxCapacity"] == 55 and inc.actions[0]["MinCapacity"] == 50


@pytest.mark.parametrize("extra,field", [
    ({"Mode": "Always"}, "Mode"),
    ({"SchedulingBufferTime": 3600}, "SchedulingBufferTime"),       # must be less than 3600
    ({"MaxCapacityBreachBehavior": "IncreaseMaxCapacity"}, "MaxCapacityBuffer"),
    ({"MaxCapacityBuffer": 10}, "MaxCapacityBuffer"),                # only with IncreaseMaxCapacity
    ({"MetricSpecifications": []}, "MetricSpecifications"),
])
def test_predictive_validation(extra, field):
    with pytest.raises(ValidationException) as err:
        a.validate_predictive_configuration(dict(PRED, **extra))
    assert err.value.field == field


def test_predictive_defaults():
    cfg = a.validate_predictive_configuration(PRED)
    assert (cfg["Mode"], cfg["SchedulingBufferTime"], cfg["MaxCapacityBreachBehavior"]) == (
        "ForecastOnly", 300, "HonorMaxCapacity")


def test_alarm_uuids_are_deterministic_with_a_seed():
    cfg = {"TargetValue": 50, "PredefinedMetricSpecification": CPU}
    one = a.target_tracking_alarms("service/c/s", cfg, rng=random.Random(7))
    two = a.target_tracking_alarms("service/c/s", cfg, rng=random.Random(7))
    assert one == two
