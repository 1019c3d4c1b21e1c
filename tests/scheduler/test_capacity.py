"""Capacity providers: one test per documented rule (sources in ecsbook.scheduler.capacity)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecsbook.scheduler import capacity as c
from ecsbook.scheduler.errors import ClientException, InvalidParameterException

FG = [{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 3}]


# ------------------------------------------------------------------ launch type vs strategy

def test_launch_type_and_strategy_are_mutually_exclusive():
    with pytest.raises(InvalidParameterException) as err:
        c.resolve_capacity("FARGATE", FG)
    assert err.value.message == ("Specifying both a launch type and capacity provider strategy is not supported. "
                                 "Remove one and try again.")


@pytest.mark.parametrize("launch_type,strategy,default,expected_source,expected_launch", [
    ("FARGATE", None, FG, "launchType", "FARGATE"),              # a launch type overrides the cluster default
    (None, FG, None, "capacityProviderStrategy", None),
    (None, None, FG, "cluster default", None),                   # neither: the cluster default strategy
    (None, None, None, "default launch type", "EC2"),            # no default either: EC2
    (None, [], FG, "cluster default", None),
])
def test_which_capacity_a_request_uses(launch_type, strategy, default, expected_source, expected_launch):
    choice = c.resolve_capacity(launch_type, strategy, cluster_default_strategy=default)
    assert (choice.source, choice.launch_type) == (expected_source, expected_launch)
    assert choice.counted_by_capacity_providers == (expected_launch is None)


def test_providers_must_be_associated_with_the_cluster():
    with pytest.raises(InvalidParameterException, match="not associated with the cluster"):
        c.resolve_capacity(None, FG, cluster_capacity_providers=["FARGATE"])
    assert c.resolve_capacity(None, FG, cluster_capacity_providers=["FARGATE", "FARGATE_SPOT"]).source == \
        "capacityProviderStrategy"


def test_invalid_launch_type():
    with pytest.raises(InvalidParameterException):
        c.resolve_capacity("SPOT")


# ------------------------------------------------------------------ strategy rules

@pytest.mark.parametrize("strategy,field", [
    ([{"capacityProvider": "A", "base": 2, "weight": 1}, {"capacityProvider": "B", "base": 1, "weight": 1}], "base"),
    ([{"capacityProvider": "A", "weight": 0}, {"capacityProvider": "B", "weight": 0}], "weight"),  # all zero
    ([{"capacityProvider": "A", "weight": 1001}], "weight"),          # 0..1000
    ([{"capacityProvider": "A", "base": 100001, "weight": 1}], "base"),  # 0..100000
    ([{"capacityProvider": f"cp{i}", "weight": 1} for i in range(21)], "capacityProviderStrategy"),  # at most 20
    ([{"capacityProvider": "FARGATE_SPOT", "weight": 1}, {"capacityProvider": "asg-cp", "weight": 1}],
     "capacityProvider"),                                             # no Fargate + ASG mix
    ([{"capacityProvider": "A", "weight": 1}, {"capacityProvider": "A", "weight": 2}], "capacityProvider"),
])
def test_strategy_rules(strategy, field):
    with pytest.raises(InvalidParameterException) as err:
        c.validate_strategy(strategy)
    assert err.value.field == field


def test_twenty_providers_are_allowed_and_zero_weight_gets_only_base():
    assert len(c.validate_strategy([{"capacityProvider": f"cp{i}", "weight": 1} for i in range(20)])) == 20
    # base 2 on A with weight 0, B weight 1: A gets exactly its base, B the rest
    assert c.split_tasks([{"capacityProvider": "A", "base": 2, "weight": 0},
                          {"capacityProvider": "B", "weight": 1}], 7) == {"A": 2, "B": 5}


@pytest.mark.parametrize("count,expected", [
    (1, {"FARGATE": 1, "FARGATE_SPOT": 0}),     # the base first
    (5, {"FARGATE": 2, "FARGATE_SPOT": 3}),     # base 1, then 4 split 1:3 -> 1 and 3
    (9, {"FARGATE": 3, "FARGATE_SPOT": 6}),     # base 1, then 8 split 1:3 -> 2 and 6
])
def test_base_then_weights(count, expected):
    assert c.split_tasks(FG, count) == expected


@settings(max_examples=150, deadline=None)
@given(w=st.lists(st.integers(0, 5), min_size=2, max_size=4), count=st.integers(0, 60))
def test_zero_weight_providers_get_nothing_beyond_the_base(w, count):
    if not any(w):
        w[0] = 1
    strategy = [{"capacityProvider": f"p{i}", "weight": x} for i, x in enumerate(w)]
    split = c.split_tasks(strategy, count)
    assert sum(split.values()) == count
    assert all(split[f"p{i}"] == 0 for i, x in enumerate(w) if x == 0)


# ------------------------------------------------------------------ managed scaling

@pytest.mark.parametrize("cfg,field", [
    ({"targetCapacity": 0}, "targetCapacity"),            # greater than 0
    ({"targetCapacity": 101}, "targetCapacity"),          # at most 100
    ({"minimumScalingStepSize": 0}, "minimumScalingStepSize"),
    ({"maximumScalingStepSize": 10001}, "maximumScalingStepSize"),
    ({"instanceWarmupPeriod": 10001}, "instanceWarmupPeriod"),   # 0..10000
    ({"minimumScalingStepSize": 5, "maximumScalingStepSize": 4}, "minimumScalingStepSize"),
    ({"status": "ON"}, "status"),
])
def test_managed_scaling_validation(cfg, field):
    with pytest.raises(InvalidParameterException) as err:
        c.validate_managed_scaling(cfg)
    assert err.value.field == field


def test_managed_scaling_defaults():
    assert c.validate_managed_scaling(None) == {"status": "ENABLED", "targetCapacity": 100,
                                                "minimumScalingStepSize": 1, "maximumScalingStepSize": 10000,
                                                "instanceWarmupPeriod": 300}


@pytest.mark.parametrize("m,n,cfg,desired", [
    (4, 4, {}, 4),                                      # CPR 100: no change
    (5, 4, {}, 5),                                      # CPR 125: +1
    (9, 4, {"targetCapacity": 90}, 10),                 # ceil(9 x 100 / 90) = 10: 10% spare
    (5, 4, {"minimumScalingStepSize": 3}, 7),           # needs 1, adds the minimum 3
    (30, 2, {"maximumScalingStepSize": 4}, 6),          # needs 28, adds at most 4
    (3, 0, {}, 3),                                      # N = 0, M = 3: CPR 200 -> 3
])
def test_scale_out_sizes(m, n, cfg, desired):
    assert c.managed_scaling_step(m, n, cfg).desired_instances == desired


def test_scale_out_waits_for_instance_warmup():
    plan = c.managed_scaling_step(8, 4, {}, instances_in_warmup=1)
    assert plan.desired_instances == 4 and "instanceWarmupPeriod" in plan.reason


def test_scale_in_waits_15_minutes_and_removes_only_empty_instances_at_most_half():
    assert c.managed_scaling_step(2, 10, {}, minutes_below_target=14).desired_instances == 10   # alarm not yet
    # 15 minutes: needs 2 of 10 -> wants to remove 8, but at most (10 - 1) // 2 = 4 per step
    assert c.managed_scaling_step(2, 10, {}, minutes_below_target=15).desired_instances == 6
    # only 1 instance is empty: remove 1
    assert c.managed_scaling_step(2, 10, {}, empty_instances=1).desired_instances == 9
    assert c.managed_scaling_step(2, 10, {}, empty_instances=0).change == 0
    assert c.managed_scaling_step(0, 1, {}).desired_instances == 0   # a single empty instance can go


def test_disabled_managed_scaling_does_nothing():
    assert c.managed_scaling_step(8, 4, {"status": "DISABLED"}).change == 0


def test_estimate_excludes_tasks_too_big_for_the_smallest_instance_type():
    # group of (2048 CPU, 4096 MiB) and (4096, 8192): a (3000, 6000) task fits only the big type -> excluded
    m, excluded = c.estimate_instances([(1024, 2048)] * 3 + [(3000, 6000)], [(4096, 8192), (2048, 4096)])
    assert excluded == [(3000, 6000)]
    assert m == 2   # 3 x (1024, 2048) onto (2048, 4096): 2 per instance -> 2 instances
    assert c.estimate_instances([(3000, 6000)], [(2048, 4096)]) == (0, [(3000, 6000)])  # CPR stays 100
    assert c.capacity_provider_reservation(0, 4) == 0 and c.capacity_provider_reservation(0, 0) == 100


# ------------------------------------------------------------------ termination protection and draining

ASG = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/asg"


def test_managed_termination_protection_prerequisites():
    with pytest.raises(InvalidParameterException, match="managed scaling must also be used"):
        c.validate_auto_scaling_group_provider({"autoScalingGroupArn": ASG, "managedTerminationProtection": "ENABLED",
                                                "managedScaling": {"status": "DISABLED"}},
                                               asg_new_instances_protected_from_scale_in=True)
    with pytest.raises(ClientException, match="instance protection from scale in enabled"):
        c.validate_auto_scaling_group_provider({"autoScalingGroupArn": ASG, "managedTerminationProtection": "ENABLED",
                                                "managedScaling": {"status": "ENABLED"}})
    ok = c.validate_auto_scaling_group_provider({"autoScalingGroupArn": ASG, "managedTerminationProtection": "ENABLED",
                                                 "managedScaling": {"status": "ENABLED"}},
                                                asg_new_instances_protected_from_scale_in=True)
    assert ok["managedDraining"] == "ENABLED"   # on by default when a capacity provider is created


def test_scale_in_candidates():
    tasks = {"i-a": 3, "i-b": 1, "i-c": 0}
    daemons = {"i-a": 1, "i-b": 1}
    # with protection: i-b runs only a daemon task and i-c nothing -> both may go; i-a is protected
    assert c.scale_in_candidates(tasks, daemons) == ["i-b", "i-c"]
    assert c.scale_in_candidates(tasks, daemons, managed_termination_protection=False) == ["i-a", "i-b", "i-c"]


# ------------------------------------------------------------------ Fargate Spot

@pytest.mark.parametrize("os_family,arch,pv,ok", [
    ("LINUX", "X86_64", "1.4.0", True),
    ("LINUX", "X86_64", "1.3.0", True),
    ("LINUX", "X86_64", "1.2.0", False),      # needs 1.3.0 or later
    ("LINUX", "ARM64", "1.4.0", True),
    ("LINUX", "ARM64", "1.3.0", False),       # ARM64 needs 1.4.0 or later
    ("WINDOWS_SERVER_2019_CORE", "X86_64", "1.0.0", False),  # no Fargate Spot for Windows
    ("LINUX", "X86_64", "LATEST", True),
])
def test_fargate_spot_support(os_family, arch, pv, ok):
    assert c.fargate_spot_supported(os_family, arch, pv)[0] is ok


def test_spot_interruption_with_default_stop_timeout_ends_in_sigkill_at_30_s():
    tl = c.spot_interruption_timeline()
    assert tl[0].time == 0 and "SIGTERM" in tl[0].event and "TerminationNotice" in tl[0].event
    kill = next(e for e in tl if "SIGKILL" in e.event)
    assert kill.time == 30
    assert tl[-1].time == 120


def test_spot_interruption_graceful_exit_and_limits():
    tl = c.spot_interruption_timeline(120, exits_after=90)
    assert any(e.time == 90 and "cleanly" in e.event for e in tl) and not any("SIGKILL" in e.event for e in tl)
    with pytest.raises(InvalidParameterException) as err:
        c.spot_interruption_timeline(121)
    assert err.value.field == "stopTimeout"
    alone = c.spot_interruption_timeline(spot_capacity_available=False)
    assert any("until capacity is available" in e.event for e in alone)
