"""ECS-native blue/green, linear and canary deployments as a timeline of lifecycle stages.

Sources (``deploymentController`` ``ECS`` with ``deploymentConfiguration.strategy``):

* *Amazon ECS blue/green service deployments workflow* and *Amazon ECS blue/green deployments*
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html,
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html):
  the green revision is started beside blue, validated with **test traffic** while blue keeps
  all production traffic, production traffic shifts to green, both run during the **bake
  time**, then blue is terminated; a rollback returns traffic to blue.
* The lifecycle stages, in order (``ServiceDeployment.lifecycleStage``,
  ``DeploymentLifecycleHook.lifecycleStages``): ``RECONCILE_SERVICE`` (only when the deployment
  starts with more than one ACTIVE service revision), ``PRE_SCALE_UP``, ``SCALE_UP`` (green scales
  to 100 %, no traffic), ``POST_SCALE_UP``, ``TEST_TRAFFIC_SHIFT`` (green 0 -> 100 % of test
  traffic), ``POST_TEST_TRAFFIC_SHIFT``, ``PRODUCTION_TRAFFIC_SHIFT`` (green 0 -> 100 % of
  production traffic), ``POST_PRODUCTION_TRAFFIC_SHIFT``, ``BAKE_TIME`` (both revisions run),
  ``CLEAN_UP`` (blue scaled down). Hooks can run at the seven stages other than ``SCALE_UP``,
  ``BAKE_TIME`` and ``CLEAN_UP``.
* Lifecycle hooks (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html,
  lambda-lifecycle-hooks.html): the function returns ``hookStatus`` ``SUCCEEDED`` (continue),
  ``FAILED`` (roll back to the last successful revision) or ``IN_PROGRESS`` (invoked again after
  30 seconds, or ``callBackDelay``); no valid ``hookStatus`` also rolls back. During a rollback
  ECS runs the hooks of ``TEST_TRAFFIC_SHIFT`` and ``PRODUCTION_TRAFFIC_SHIFT``.
  ``hookTargetArn`` is required.
* ``DeploymentConfiguration.bakeTimeInMinutes`` (required for ``BLUE_GREEN``; 0..1440 in the model),
  ``CanaryConfiguration`` (``canaryPercent`` multiples of 0.1 from 0.1 to 100.0, default 5.0;
  ``canaryBakeTimeInMinutes`` 0..1440, default 10: shift the canary percentage, wait, shift the
  rest) and ``LinearConfiguration`` (``stepPercent`` multiples of 0.1 from 3.0 to 100.0, default
  10.0; ``stepBakeTimeInMinutes`` 0..1440, default 6, not applied after reaching 100 %).
  ``canaryConfiguration`` is only valid with ``CANARY`` and ``linearConfiguration`` with
  ``LINEAR``. CloudFormation's count of linear bake periods: 100 / stepPercent - 1 when it
  divides 100, else floor(100 / stepPercent) (stepPercent 11 -> 9).

What the model leaves out: load balancer / Service Connect wiring (listener rules, alternate
target groups), hook payloads, the exact time ECS takes per stage (``scale_up_seconds`` stands in
for launching and passing health checks), whether the production-shift hook runs at every
linear/canary step (the model runs it once, before the first shift), and rollback failure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InvalidParameterException, require_int

STAGES = ("RECONCILE_SERVICE", "PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
          "POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME",
          "CLEAN_UP")
HOOK_STAGES = ("RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
               "POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT")
ROLLBACK_HOOK_STAGES = ("TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT")
STRATEGIES = ("ROLLING", "BLUE_GREEN", "LINEAR", "CANARY")
HOOK_STATUSES = ("SUCCEEDED", "FAILED", "IN_PROGRESS")
DEFAULT_CALLBACK_DELAY = 30
DOC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html"


@dataclass(frozen=True)
class TrafficStep:
    time: int  # seconds since the deployment started
    stage: str
    production_green_percent: float  # share of production traffic on green
    test_green_percent: float | None  # share of test traffic on green (None: no test listener)
    blue_tasks: int
    green_tasks: int
    event: str


@dataclass(frozen=True)
class TrafficShiftTimeline:
    strategy: str
    steps: tuple[TrafficStep, ...]
    status: str  # SUCCESSFUL | ROLLBACK_SUCCESSFUL (ServiceDeployment status)
    reason: str
    production_shifts: tuple[tuple[int, float], ...]  # planned (offset seconds, green percent)

    @property
    def stages(self) -> list[str]:
        """The lifecycle stages in the order the deployment went through them."""
        out: list[str] = []
        for s in self.steps:
            if not out or out[-1] != s.stage:
                out.append(s.stage)
        return out

    @property
    def duration(self) -> int:
        return self.steps[-1].time if self.steps else 0


def _tenths(value: Any, name: str, lo: float, hi: float, default: float) -> int:
    v = default if value is None else value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InvalidParameterException(f"{name} must be a number, got {v!r}", name)
    t = round(v * 10)
    if abs(v * 10 - t) > 1e-6 or not lo <= v <= hi:
        raise InvalidParameterException(f"{name} must be a multiple of 0.1 from {lo:g} to {hi:g}, got {v!r}", name)
    return int(t)


def _minutes(cfg: Mapping[str, Any], name: str, default: int | None) -> int:
    v = cfg.get(name, default)
    if v is None:
        raise InvalidParameterException(f"{name} is required", name)
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 1440:
        raise InvalidParameterException(f"{name} must be an integer from 0 to 1440 minutes, got {v!r}", name)
    return v


def validate_traffic_shift_configuration(config: Mapping[str, Any]) -> dict[str, Any]:
    """Check the strategy part of a ``deploymentConfiguration`` and fill in the defaults.

    Returns ``{"strategy", "bakeTimeInMinutes", "canaryPercent", "canaryBakeTimeInMinutes",
    "stepPercent", "stepBakeTimeInMinutes", "lifecycleHooks"}``.
    """
    if not isinstance(config, Mapping):
        raise InvalidParameterException("deploymentConfiguration must be an object", "deploymentConfiguration")
    strategy = config.get("strategy", "ROLLING")
    if strategy not in STRATEGIES:
        raise InvalidParameterException(f"Invalid strategy {strategy!r}: use ROLLING, BLUE_GREEN, LINEAR or CANARY",
                                        "strategy")
    if config.get("canaryConfiguration") is not None and strategy != "CANARY":
        raise InvalidParameterException("canaryConfiguration is only valid with the CANARY strategy",
                                        "canaryConfiguration")
    if config.get("linearConfiguration") is not None and strategy != "LINEAR":
        raise InvalidParameterException("linearConfiguration is only valid with the LINEAR strategy",
                                        "linearConfiguration")
    out: dict[str, Any] = {"strategy": strategy}
    out["bakeTimeInMinutes"] = _minutes(config, "bakeTimeInMinutes", None if strategy == "BLUE_GREEN" else 0)
    canary = dict(config.get("canaryConfiguration") or {})
    linear = dict(config.get("linearConfiguration") or {})
    out["canaryPercent"] = _tenths(canary.get("canaryPercent"), "canaryPercent", 0.1, 100.0, 5.0) / 10
    out["canaryBakeTimeInMinutes"] = _minutes(canary, "canaryBakeTimeInMinutes", 10)
    out["stepPercent"] = _tenths(linear.get("stepPercent"), "stepPercent", 3.0, 100.0, 10.0) / 10
    out["stepBakeTimeInMinutes"] = _minutes(linear, "stepBakeTimeInMinutes", 6)
    hooks = config.get("lifecycleHooks") or []
    if not isinstance(hooks, (list, tuple)):
        raise InvalidParameterException("lifecycleHooks must be a list", "lifecycleHooks")
    for h in hooks:
        if not isinstance(h, Mapping) or not h.get("hookTargetArn"):
            raise InvalidParameterException("You must provide hookTargetArn when configuring a deployment lifecycle "
                                            "hook", "hookTargetArn")
        stages = h.get("lifecycleStages")
        if not isinstance(stages, (list, tuple)) or not stages:
            raise InvalidParameterException("a lifecycle hook needs lifecycleStages", "lifecycleStages")
        for st in stages:
            if st not in HOOK_STAGES:
                raise InvalidParameterException(
                    f"Invalid lifecycle stage {st!r} for a hook: use {', '.join(HOOK_STAGES)}", "lifecycleStages")
    out["lifecycleHooks"] = list(hooks)
    return out


def production_shift_schedule(config: Mapping[str, Any]) -> list[tuple[int, float]]:
    """The production traffic shifts: ``[(seconds after the shift starts, green percent)]``.

    >>> production_shift_schedule({"strategy": "CANARY", "canaryConfiguration": {"canaryPercent": 10,
    ...                            "canaryBakeTimeInMinutes": 5}})
    [(0, 10.0), (300, 100.0)]
    """
    cfg = validate_traffic_shift_configuration(config)
    strategy = cfg["strategy"]
    if strategy == "ROLLING":
        raise InvalidParameterException("a ROLLING deployment replaces tasks instead of shifting traffic: use "
                                        "deployments.simulate_rolling_deployment", "strategy")
    if strategy == "BLUE_GREEN":
        return [(0, 100.0)]
    if strategy == "CANARY":
        pct = float(cfg["canaryPercent"])
        if pct >= 100:
            return [(0, 100.0)]
        return [(0, pct), (int(cfg["canaryBakeTimeInMinutes"]) * 60, 100.0)]
    step_t = round(float(cfg["stepPercent"]) * 10)  # tenths of a percent
    wait = int(cfg["stepBakeTimeInMinutes"]) * 60
    out: list[tuple[int, float]] = []
    done, t = 0, 0
    while done < 1000:
        done = min(1000, done + step_t)
        out.append((t, done / 10))
        t += wait
    return out


def simulate_traffic_shift_deployment(
    desired_count: int,
    deployment_configuration: Mapping[str, Any],
    *,
    service_name: str = "web",
    active_revisions: int = 1,
    scale_up_seconds: int = 60,
    test_listener: bool = True,
    hook_responses: Mapping[str, Sequence[Any]] | None = None,
    alarm_at_seconds: int | None = None,
) -> TrafficShiftTimeline:
    """Replay a BLUE_GREEN, LINEAR or CANARY deployment stage by stage.

    ``hook_responses``: per lifecycle stage, what the hook returns on successive invocations
    (``"SUCCEEDED"``, ``"FAILED"``, ``"IN_PROGRESS"`` or ``{"hookStatus": ..., "callBackDelay": 60}``);
    when the list runs out the hook succeeds. ``alarm_at_seconds``: a deployment alarm goes into
    ALARM then (with ``alarms.rollback``, or always when no ``alarms`` block is given); it rolls
    the deployment back if it fires before ``CLEAN_UP``.
    """
    require_int(desired_count, "desiredCount")
    require_int(active_revisions, "active_revisions", minimum=1)
    require_int(scale_up_seconds, "scale_up_seconds")
    cfg = validate_traffic_shift_configuration(deployment_configuration)
    shifts = production_shift_schedule(deployment_configuration)
    alarms = deployment_configuration.get("alarms")
    alarm_rolls_back = True if alarms is None else bool(alarms.get("enable") and alarms.get("rollback"))
    if alarm_at_seconds is not None:
        require_int(alarm_at_seconds, "alarm_at_seconds")
    hooked = {st for h in cfg["lifecycleHooks"] for st in h["lifecycleStages"]}
    responses = {k: list(v) for k, v in (hook_responses or {}).items()}
    for k in responses:
        if k not in HOOK_STAGES:
            raise InvalidParameterException(f"hook_responses: {k!r} is not a stage that runs hooks", "hook_responses")
    svc = f"(service {service_name})"

    steps: list[TrafficStep] = []
    t = 0
    prod, test = 0.0, (0.0 if test_listener else None)
    blue, green = desired_count, 0

    def snap(stage: str, event: str) -> None:
        steps.append(TrafficStep(t, stage, prod, test, blue, green, event))

    def alarm_fired(until: int) -> bool:
        return alarm_at_seconds is not None and alarm_rolls_back and alarm_at_seconds <= until

    def run_hooks(stage: str) -> str | None:
        """Invoke the stage's hooks until they succeed; the failure reason, or None."""
        nonlocal t
        if stage not in hooked:
            return None
        queue = responses.get(stage, [])
        while True:
            r = queue.pop(0) if queue else "SUCCEEDED"
            status = r.get("hookStatus") if isinstance(r, Mapping) else r
            delay = r.get("callBackDelay", DEFAULT_CALLBACK_DELAY) if isinstance(r, Mapping) else DEFAULT_CALLBACK_DELAY
            if status not in HOOK_STATUSES:
                snap(stage, f"lifecycle hook for {stage} returned no valid hookStatus ({status!r}): rolling back")
                return f"lifecycle hook for {stage} did not return a valid hookStatus"
            snap(stage, f"lifecycle hook for {stage}: {status}")
            if status == "SUCCEEDED":
                return None
            if status == "FAILED":
                return f"lifecycle hook for {stage} returned FAILED"
            require_int(delay, "callBackDelay")
            t += int(delay)

    def rollback(why: str) -> TrafficShiftTimeline:
        nonlocal prod, test, green, t
        stage = steps[-1].stage if steps else "PRE_SCALE_UP"
        prod, test = 0.0, (0.0 if test_listener else None)
        snap(stage, f"{svc} rolling back: {why}; production and test traffic return to the blue revision")
        for st in ROLLBACK_HOOK_STAGES:
            if st in hooked:
                snap(st, f"rollback: lifecycle hook for {st} runs")
        green = 0
        snap(stage, f"{svc} rollback complete: the green revision is scaled down; blue serves 100%")
        return TrafficShiftTimeline(cfg["strategy"], tuple(steps), "ROLLBACK_SUCCESSFUL", why, tuple(shifts))

    stage_list = [s for s in STAGES if s != "RECONCILE_SERVICE" or active_revisions > 1]
    for stage in stage_list:
        if stage == "SCALE_UP":
            green = desired_count
            snap(stage, f"{svc} green revision scales up to {desired_count} tasks (no traffic yet)")
            t += scale_up_seconds
            snap(stage, f"{svc} green revision: {desired_count} tasks running and healthy")
        elif stage == "TEST_TRAFFIC_SHIFT":
            if test_listener:
                test = 100.0
                snap(stage, "test traffic: green 100%, blue keeps 100% of production traffic")
            else:
                snap(stage, "no test listener: no test traffic to shift")
        elif stage == "PRODUCTION_TRAFFIC_SHIFT":
            why = run_hooks(stage)
            if why:
                return rollback(why)
            start = t
            for offset, pct in shifts:
                if alarm_fired(start + offset):
                    t = max(t, alarm_at_seconds or 0)
                    return rollback("a deployment alarm went into ALARM")
                t = start + offset
                prod = pct
                snap(stage, f"production traffic: green {pct:g}%, blue {100 - pct:g}%")
            continue
        elif stage == "BAKE_TIME":
            bake = int(cfg["bakeTimeInMinutes"]) * 60
            snap(stage, f"bake time: blue and green both run for {bake // 60} minutes")
            if alarm_fired(t + bake):
                t = max(t, alarm_at_seconds or 0)
                return rollback("a deployment alarm went into ALARM during the bake time")
            t += bake
            continue
        elif stage == "CLEAN_UP":
            blue = 0
            snap(stage, f"{svc} blue revision scaled down; deployment SUCCESSFUL")
            continue
        else:
            snap(stage, stage.replace("_", " ").lower())
        if alarm_fired(t) and stage in ("TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT"):
            return rollback("a deployment alarm went into ALARM")
        why = run_hooks(stage)
        if why:
            return rollback(why)
    return TrafficShiftTimeline(cfg["strategy"], tuple(steps), "SUCCESSFUL", "deployment completed", tuple(shifts))
