"""Rolling deployments: circuit breaker thresholds, health, capacity and ECS's event wording.

Sources are cited in ``ecsbook.scheduler.deployments``'s docstring. ``deployment_bounds`` is
tested in test_core.py / test_validation.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecsbook.scheduler import deployments as d
from ecsbook.scheduler.errors import InvalidParameterException
from ecsbook.scheduler.state import ClusterState

CB = {"deploymentCircuitBreaker": {"enable": True, "rollback": True}}


# ------------------------------------------------------------------ circuit breaker threshold

@pytest.mark.parametrize("desired,cfg,threshold", [
    (1, None, 3),          # 0.5 x 1 = 0.5 -> 1 -> minimum 3
    (25, None, 13),        # 0.5 x 25 = 12.5, rounded up (the guide's table) -> 13
    (400, None, 200),      # 200
    (800, None, 200),      # 400 -> maximum 200
    (800, {"type": "UNBOUNDED_PERCENT", "value": 50}, 400),   # no 3..200 bounds
    (4, {"type": "UNBOUNDED_PERCENT", "value": 50}, 2),       # below 3 allowed
    (10, {"type": "BOUNDED_PERCENT", "value": 20}, 3),        # 20% of 10 = 2 -> minimum 3
    (100, {"type": "BOUNDED_PERCENT", "value": 20}, 20),
    (100, {"type": "COUNT", "value": 7}, 7),                  # the value itself
    (1, {"type": "COUNT", "value": 1}, 1),
])
def test_threshold_configuration(desired, cfg, threshold):
    assert d.circuit_breaker_threshold(desired, cfg) == threshold


@pytest.mark.parametrize("cfg,field", [
    ({"type": "PERCENT", "value": 50}, "type"),
    ({"type": "COUNT", "value": 0}, "value"),
    ({"type": "COUNT", "value": "3"}, "value"),
    ({"type": "COUNT", "value": 3, "limit": 4}, "limit"),
])
def test_threshold_configuration_errors(cfg, field):
    with pytest.raises(InvalidParameterException) as err:
        d.circuit_breaker_threshold(10, cfg)
    assert err.value.field == field


def test_threshold_configuration_is_read_from_the_circuit_breaker():
    cfg = {"deploymentCircuitBreaker": {"enable": True, "rollback": False,
                                        "thresholdConfiguration": {"type": "COUNT", "value": 1}}}
    tl = d.simulate_rolling_deployment(6, cfg, new_revision_fails=True)
    assert tl.threshold == 1 and tl.outcome == "FAILED"


def test_reset_on_healthy_task():
    # 6 tasks, threshold 3; new tasks fail, fail, pass, fail, fail, pass ... (max 200%: all 6 start at once)
    pattern = [False, False, True, False, False, True] * 10
    reset = d.simulate_rolling_deployment(6, CB, new_task_outcomes=pattern, max_rounds=50)
    # with the default resetOnHealthyTask=true every healthy task sets the count back to 0: never 3 in a row
    assert reset.outcome == "COMPLETED"
    no_reset = d.simulate_rolling_deployment(
        6, {"deploymentCircuitBreaker": {"enable": True, "rollback": True, "resetOnHealthyTask": False}},
        new_task_outcomes=pattern, max_rounds=50)
    # without reset the failures add up: round 1 (F F T F F T) already counts 4 >= 3 -> rolled back
    assert no_reset.outcome == "ROLLED_BACK"


def test_circuit_breaker_field_errors():
    with pytest.raises(InvalidParameterException) as err:
        d.simulate_rolling_deployment(4, {"deploymentCircuitBreaker": {"enable": True, "rollback": True,
                                                                       "threshold": 3}})
    assert err.value.field == "threshold"
    with pytest.raises(InvalidParameterException) as err:
        d.simulate_rolling_deployment(4, {"deploymentCircuitBreaker": {"enable": "yes", "rollback": False}})
    assert err.value.field == "enable"


# ------------------------------------------------------------------ when a task is healthy

@pytest.mark.parametrize("kwargs,expected", [
    ({"seconds_to_running": 20}, 60),                                       # no checks: RUNNING + 40 s
    ({"seconds_to_running": 20, "container_health_check_seconds": 15}, 35),  # container check passes at +15
    ({"seconds_to_running": 20, "load_balancer_health_seconds": 30}, 50),    # target group healthy at +30
    ({"seconds_to_running": 20, "container_health_check_seconds": 45, "load_balancer_health_seconds": 30}, 65),
])
def test_time_to_healthy(kwargs, expected):
    assert d.time_to_healthy(**kwargs) == expected


# ------------------------------------------------------------------ ECS's event wording

def test_rolling_events_use_ecs_sentences():
    tl = d.simulate_rolling_deployment(4, {"minimumHealthyPercent": 50, "maximumPercent": 200})
    text = [s.event for s in tl.steps]
    assert "(service web) deregistered 2 targets in (target-group web-tg)" in text
    assert "(service web) has begun draining connections on 2 tasks." in text
    assert "(service web) has stopped 2 running tasks: (task old-00001) (task old-00002)." in text
    assert ("(service web) has started 4 tasks: (task new-00001) (task new-00002) (task new-00003) "
            "(task new-00004).") in text
    assert "(service web) registered 4 targets in (target-group web-tg)" in text
    assert text[-2:] == [f"(service web) (deployment {d.NEW_DEPLOYMENT_ID}) deployment completed.",
                         "(service web) has reached a steady state."]
    assert tl.rollout_state_reason == f"ECS deployment {d.NEW_DEPLOYMENT_ID} completed."


def test_no_load_balancer_means_no_target_group_events():
    tl = d.simulate_rolling_deployment(4, {"minimumHealthyPercent": 50, "maximumPercent": 200}, target_group=None)
    assert not any("targets" in s.event or "draining" in s.event for s in tl.steps)
    assert all(s.draining == 0 for s in tl.steps)


def test_stuck_configuration_event():
    # desired 2, min 75% -> ceil(1.5) = 2 healthy needed; max 125% -> floor(2.5) = 2: nothing can stop or start
    tl = d.simulate_rolling_deployment(2, {"minimumHealthyPercent": 75, "maximumPercent": 125})
    assert tl.outcome == "IN_PROGRESS"
    assert tl.rollout_state_reason == (
        "(service web) was unable to stop or start tasks during a deployment because of the service deployment "
        "configuration. Update the minimumHealthyPercent or maximumPercent value and try again.")


def test_failed_deployment_reasons():
    failed = d.simulate_rolling_deployment(6, {"deploymentCircuitBreaker": {"enable": True, "rollback": False}},
                                           new_revision_fails=True)
    assert failed.rollout_state_reason == "ECS deployment circuit breaker: task failed to start."
    assert any(s.event == "(service web) is unable to consistently start tasks successfully." for s in failed.steps)
    rolled = d.simulate_rolling_deployment(6, CB, new_revision_fails=True)
    assert rolled.rollout_state_reason == (
        f"ECS deployment circuit breaker: rolling back to deploymentId {d.OLD_DEPLOYMENT_ID}.")


# ------------------------------------------------------------------ cluster capacity

def test_no_free_capacity_with_min_100_stalls_with_the_placement_event():
    # max 200% would allow 4 more tasks, but 0 fit and min 100% forbids stopping any: stuck
    tl = d.simulate_rolling_deployment(4, None, capacity=0)
    assert tl.outcome == "IN_PROGRESS" and tl.free_capacity == 0
    assert tl.rollout_state_reason == ("(service web) was unable to place a task because no container instance "
                                       "met all of its requirements.")


def test_capacity_limits_the_batch_and_draining_holds_resources():
    # free room for 2 tasks: start 2 (not 4), then the 2 old ones they replace drain for 300 s before 2 more fit
    tl = d.simulate_rolling_deployment(4, {"minimumHealthyPercent": 100, "maximumPercent": 200}, capacity=2)
    starts = [s for s in tl.steps if "has started" in s.event]
    assert [s.new_pending for s in starts] == [2, 2]
    assert starts[1].time >= 30 + 300    # after the health check and the deregistration delay
    assert tl.outcome == "COMPLETED"
    assert all(s.running_or_pending + s.draining <= 4 + 2 for s in tl.steps)


def test_min_50_frees_capacity_by_stopping_first():
    # no spare room: min 50% lets 2 old tasks stop; once they have drained, 2 new tasks fit
    tl = d.simulate_rolling_deployment(4, {"minimumHealthyPercent": 50, "maximumPercent": 200}, capacity=0,
                                       deregistration_delay=0)
    assert tl.outcome == "COMPLETED"
    first_start = next(s for s in tl.steps if "has started" in s.event)
    assert first_start.old_running == 2 and first_start.new_pending == 2


def test_cluster_capacity_from_the_placement_model():
    c = ClusterState()
    c.add_instance(instance_type="t3.micro", az="us-east-1a")    # 1 GiB: room for one 600 MiB task
    td = {"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 600, "cpu": 256}]}
    free, closest = d.free_capacity_in_tasks(c, td, 4)
    assert free == 1 and "has insufficient memory available." in closest
    tl = d.simulate_rolling_deployment(2, None, cluster=c, task_definition=td)
    assert tl.free_capacity == 1
    # min 100%: 1 new task fits, replaces an old one, which then drains for 300 s before the next fits
    assert tl.outcome == "COMPLETED"
    c2 = ClusterState()
    c2.add_instance(instance_type="t3.micro", az="us-east-1a")
    big = {"family": "web", "containerDefinitions": [{"name": "a", "image": "x", "memory": 2000, "cpu": 256}]}
    stuck = d.simulate_rolling_deployment(2, None, cluster=c2, task_definition=big)
    assert stuck.rollout_state_reason.startswith("(service web) was unable to place a task because no container "
                                                 "instance met all of its requirements. The closest matching "
                                                 "container-instance ci-")
    with pytest.raises(InvalidParameterException):
        d.simulate_rolling_deployment(2, None, cluster=c2)


@settings(max_examples=150, deadline=None)
@given(desired=st.integers(1, 20), lo=st.integers(0, 100), extra=st.integers(0, 100), free=st.integers(0, 20))
def test_capacity_is_never_exceeded(desired, lo, extra, free):
    hi = max(lo, 100) + extra
    tl = d.simulate_rolling_deployment(desired, {"minimumHealthyPercent": lo, "maximumPercent": hi},
                                       capacity=free, deregistration_delay=60, max_rounds=80)
    for s in tl.steps:
        assert s.running_or_pending + s.draining <= desired + free
    if tl.outcome == "COMPLETED":
        assert tl.steps[-1].new_running == desired
