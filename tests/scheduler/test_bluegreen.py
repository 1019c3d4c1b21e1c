"""ECS-native blue/green, linear and canary deployments (sources in ecsbook.scheduler.bluegreen)."""

from __future__ import annotations

import pytest

from ecsbook.scheduler import bluegreen as b
from ecsbook.scheduler.errors import InvalidParameterException

HOOK = "arn:aws:lambda:us-east-1:123456789012:function:check"


def cfg(strategy: str = "BLUE_GREEN", **extra: object) -> dict:
    out: dict = {"strategy": strategy, "bakeTimeInMinutes": 5}
    out.update(extra)
    return out


def test_stages_in_documented_order():
    tl = b.simulate_traffic_shift_deployment(4, cfg())
    assert tl.stages == ["PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
                         "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"]
    assert tl.status == "SUCCESSFUL"
    # RECONCILE_SERVICE only when the deployment starts with more than one ACTIVE revision
    assert b.simulate_traffic_shift_deployment(4, cfg(), active_revisions=2).stages[0] == "RECONCILE_SERVICE"


def test_test_traffic_before_production_and_bake_time_with_both_revisions():
    tl = b.simulate_traffic_shift_deployment(4, cfg(), scale_up_seconds=60)
    test_step = next(s for s in tl.steps if s.stage == "TEST_TRAFFIC_SHIFT")
    assert (test_step.test_green_percent, test_step.production_green_percent) == (100.0, 0.0)
    bake = next(s for s in tl.steps if s.stage == "BAKE_TIME")
    assert (bake.blue_tasks, bake.green_tasks, bake.production_green_percent) == (4, 4, 100.0)
    # 60 s to scale up, all traffic at once, 5 minutes of bake time: 60 + 300 = 360 s, then blue goes
    assert tl.duration == 360 and tl.steps[-1].blue_tasks == 0


@pytest.mark.parametrize("config,shifts", [
    (cfg(), [(0, 100.0)]),
    (cfg("CANARY"), [(0, 5.0), (600, 100.0)]),                       # defaults: 5%, 10 minutes
    (cfg("CANARY", canaryConfiguration={"canaryPercent": 20, "canaryBakeTimeInMinutes": 3}), [(0, 20.0), (180, 100.0)]),
    # linear defaults: 10% every 6 minutes, no wait after 100%: 10 shifts, 9 waits
    (cfg("LINEAR"), [(i * 360, float(10 * (i + 1))) for i in range(10)]),
    # 11%: 11, 22, ..., 99, then 100: 10 shifts, floor(100 / 11) = 9 waits
    (cfg("LINEAR", linearConfiguration={"stepPercent": 11, "stepBakeTimeInMinutes": 1}),
     [(i * 60, float(min(100, 11 * (i + 1)))) for i in range(10)]),
])
def test_production_shift_schedules(config, shifts):
    assert b.production_shift_schedule(config) == shifts


def test_linear_bake_count_matches_cloudformation_rule():
    for pct, waits in [(10, 9), (25, 3), (11, 9), (33.3, 3), (50, 1), (100, 0)]:
        shifts = b.production_shift_schedule(cfg("LINEAR", linearConfiguration={"stepPercent": pct}))
        assert len(shifts) - 1 == waits, pct


@pytest.mark.parametrize("config,field", [
    ({"strategy": "BLUE_GREEN"}, "bakeTimeInMinutes"),               # required for BLUE_GREEN
    (cfg(bakeTimeInMinutes=1441), "bakeTimeInMinutes"),
    (cfg("CANARY", canaryConfiguration={"canaryPercent": 0.05}), "canaryPercent"),
    (cfg("CANARY", canaryConfiguration={"canaryPercent": 5.55}), "canaryPercent"),   # not a multiple of 0.1
    (cfg("LINEAR", linearConfiguration={"stepPercent": 2.9}), "stepPercent"),         # minimum 3.0
    (cfg("LINEAR", linearConfiguration={"stepBakeTimeInMinutes": -1}), "stepBakeTimeInMinutes"),
    (cfg("BLUE_GREEN", canaryConfiguration={"canaryPercent": 5}), "canaryConfiguration"),
    (cfg("CANARY", linearConfiguration={"stepPercent": 5}), "linearConfiguration"),
    (cfg(strategy="RED_BLACK"), "strategy"),
    (cfg(lifecycleHooks=[{"lifecycleStages": ["PRE_SCALE_UP"]}]), "hookTargetArn"),
    (cfg(lifecycleHooks=[{"hookTargetArn": HOOK, "lifecycleStages": ["BAKE_TIME"]}]), "lifecycleStages"),
])
def test_validation(config, field):
    with pytest.raises(InvalidParameterException) as err:
        b.simulate_traffic_shift_deployment(4, config)
    assert err.value.field == field


def test_rolling_is_not_a_traffic_shift():
    with pytest.raises(InvalidParameterException, match="simulate_rolling_deployment"):
        b.production_shift_schedule({"strategy": "ROLLING"})


def test_hook_in_progress_is_invoked_again_after_30_seconds_or_callbackdelay():
    hooks = [{"hookTargetArn": HOOK, "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"]}]
    base = b.simulate_traffic_shift_deployment(4, cfg(lifecycleHooks=hooks)).duration
    slow = b.simulate_traffic_shift_deployment(4, cfg(lifecycleHooks=hooks),
                                              hook_responses={"POST_TEST_TRAFFIC_SHIFT": ["IN_PROGRESS", "SUCCEEDED"]})
    assert slow.duration == base + 30
    slower = b.simulate_traffic_shift_deployment(
        4, cfg(lifecycleHooks=hooks),
        hook_responses={"POST_TEST_TRAFFIC_SHIFT": [{"hookStatus": "IN_PROGRESS", "callBackDelay": 60}]})
    assert slower.duration == base + 60


def test_hook_failed_or_invalid_rolls_back_and_reruns_traffic_shift_hooks():
    hooks = [{"hookTargetArn": HOOK, "lifecycleStages": ["TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT"]}]
    tl = b.simulate_traffic_shift_deployment(4, cfg(lifecycleHooks=hooks),
                                            hook_responses={"POST_TEST_TRAFFIC_SHIFT": ["FAILED"]})
    assert tl.status == "ROLLBACK_SUCCESSFUL" and "FAILED" in tl.reason
    assert tl.steps[-1].production_green_percent == 0 and tl.steps[-1].green_tasks == 0
    assert any(s.event == "rollback: lifecycle hook for TEST_TRAFFIC_SHIFT runs" for s in tl.steps)
    # production traffic never reached green
    assert all(s.production_green_percent == 0 for s in tl.steps)
    bad = b.simulate_traffic_shift_deployment(4, cfg(lifecycleHooks=hooks),
                                             hook_responses={"TEST_TRAFFIC_SHIFT": ["MAYBE"]})
    assert bad.status == "ROLLBACK_SUCCESSFUL" and "valid hookStatus" in bad.reason


def test_alarm_during_canary_bake_rolls_back_to_blue():
    config = cfg("CANARY", alarms={"alarmNames": ["5xx"], "enable": True, "rollback": True})
    # canary 5% at t=60 (after scale-up), rest at 60 + 600; the alarm at 300 s fires during the canary bake
    tl = b.simulate_traffic_shift_deployment(4, config, alarm_at_seconds=300)
    assert tl.status == "ROLLBACK_SUCCESSFUL"
    assert max(s.production_green_percent for s in tl.steps) == 5.0
    assert tl.steps[-1].production_green_percent == 0.0 and tl.steps[-1].blue_tasks == 4
    # the same alarm with rollback off does nothing
    quiet = b.simulate_traffic_shift_deployment(4, cfg("CANARY", alarms={"alarmNames": ["5xx"], "enable": True,
                                                                         "rollback": False}), alarm_at_seconds=300)
    assert quiet.status == "SUCCESSFUL"


def test_alarm_in_bake_time_rolls_back_but_after_clean_up_it_is_too_late():
    during = b.simulate_traffic_shift_deployment(4, cfg(), alarm_at_seconds=200)   # bake is 60..360
    assert during.status == "ROLLBACK_SUCCESSFUL" and "bake time" in during.reason
    after = b.simulate_traffic_shift_deployment(4, cfg(), alarm_at_seconds=400)
    assert after.status == "SUCCESSFUL"
