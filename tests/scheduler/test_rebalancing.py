"""Availability Zone rebalancing as a plan (sources in ecsbook.scheduler.rebalancing)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecsbook.scheduler import rebalancing as r
from ecsbook.scheduler.errors import InvalidParameterException

AZ3 = {"us-east-1a": 4, "us-east-1b": 1, "us-east-1c": 1}


def test_starts_in_the_fewest_and_stops_in_the_most():
    p = r.plan_az_rebalancing(AZ3)
    # 6 tasks over 3 AZs -> 2 each: start 1 in b and 1 in c, stop 2 in a (max 200% leaves room to start first)
    assert dict(p.target) == {"us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2}
    (wave,) = p.waves
    assert dict(wave.start) == {"us-east-1b": 1, "us-east-1c": 1} and dict(wave.stop) == {"us-east-1a": 2}


def test_event_messages():
    ev = r.plan_az_rebalancing(AZ3).events
    assert ev[0] == ("service (web) is not AZ balanced with 4 tasks in us-east-1a, 1 in us-east-1b, and 1 in "
                     "us-east-1c. AZ Rebalancing in progress.")
    assert "web has started 1 tasks in us-east-1b to AZ Rebalance: rebalance-00001." in ev
    assert "web has stopped 2 running tasks in us-east-1a due to AZ rebalancing: old-00001, old-00002." in ev
    assert ev[-1] == ("service (web) is AZ balanced with 2 tasks in us-east-1a, 2 tasks in us-east-1b, and 2 tasks "
                      "in us-east-1c.")


@pytest.mark.parametrize("counts", [{"a": 2, "b": 2, "c": 2}, {"a": 3, "b": 2, "c": 2}, {"a": 5}])
def test_balanced_means_within_one(counts):
    p = r.plan_az_rebalancing(counts)
    assert p.balanced or len(counts) == 1
    assert p.waves == () and p.events == ()


def test_remainder_stays_where_the_tasks_are():
    # 7 tasks: 7 // 3 = 2 each, 1 left for the AZ with the most now (a): 3, 2, 2 -> one move
    p = r.plan_az_rebalancing({"a": 5, "b": 1, "c": 1})
    assert dict(p.target) == {"a": 3, "b": 2, "c": 2} and p.moves == 2


def test_no_headroom_stops_first_down_to_the_minimum():
    p = r.plan_az_rebalancing({"a": 4, "b": 0}, deployment_configuration={"minimumHealthyPercent": 50,
                                                                         "maximumPercent": 100})
    # max 100% of 4 = 4: nothing can start first; min 50% = 2 may stop, then 2 start in b
    assert [(dict(w.start), dict(w.stop)) for w in p.waves] == [({}, {"a": 2}), ({"b": 2}, {})]


def test_min_100_max_100_cannot_rebalance():
    p = r.plan_az_rebalancing({"a": 4, "b": 0}, deployment_configuration={"minimumHealthyPercent": 100,
                                                                         "maximumPercent": 100})
    assert p.waves == () and "no room" in p.reason


@pytest.mark.parametrize("kwargs,reason", [
    ({"availability_zone_rebalancing": "DISABLED"}, "DISABLED"),
    ({"placement_strategy": [{"type": "binpack", "field": "memory"}]}, "binpack"),
    ({"placement_strategy": [{"type": "spread", "field": "instanceId"}]}, "first placement strategy"),
    ({"scheduling_strategy": "DAEMON"}, "DAEMON"),
])
def test_not_rebalanced(kwargs, reason):
    p = r.plan_az_rebalancing(AZ3, **kwargs)
    assert not p.enabled and reason in p.reason and p.waves == ()


def test_spread_on_az_first_is_compatible():
    strat = [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "instanceId"}]
    assert r.plan_az_rebalancing(AZ3, placement_strategy=strat).moves == 2


@pytest.mark.parametrize("strategy,operation,existing,expected", [
    (None, "CreateService", None, "ENABLED"),
    ([{"type": "binpack", "field": "cpu"}], "CreateService", None, "DISABLED"),
    (None, "UpdateService", None, "DISABLED"),           # never set: treated as DISABLED
    (None, "UpdateService", "ENABLED", "ENABLED"),       # the existing value stays
])
def test_defaults(strategy, operation, existing, expected):
    assert r.rebalancing_default(strategy, operation=operation, existing=existing) == expected


def test_errors():
    with pytest.raises(InvalidParameterException):
        r.plan_az_rebalancing({})
    with pytest.raises(InvalidParameterException):
        r.plan_az_rebalancing({"a": -1, "b": 2})
    with pytest.raises(InvalidParameterException):
        r.plan_az_rebalancing(AZ3, availability_zone_rebalancing="ON")


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(0, 12), min_size=2, max_size=4), lo=st.integers(0, 100), extra=st.integers(0, 100))
def test_plan_ends_balanced_and_keeps_the_total(counts, lo, extra):
    tasks = {f"az{i}": n for i, n in enumerate(counts)}
    total = sum(counts)
    hi = max(lo, 100) + extra
    p = r.plan_az_rebalancing(tasks, deployment_configuration={"minimumHealthyPercent": lo, "maximumPercent": hi})
    if p.waves:
        final = p.waves[-1].counts_after
        if not p.reason:
            assert max(final.values()) - min(final.values()) <= 1 and sum(final.values()) == total
        for w in p.waves:   # never above maximumPercent, never below minimumHealthyPercent
            assert sum(w.counts_after.values()) <= max(total * hi // 100, total)
