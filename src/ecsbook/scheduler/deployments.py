"""Rolling deployments: bounds, a step-by-step timeline, and the deployment circuit breaker.

What real ECS does (rolling update, the ``ECS`` deployment controller), from
"Deploy Amazon ECS services by replacing tasks"
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html) and the
``DeploymentConfiguration`` API reference
(https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html):

* ``minimumHealthyPercent`` is a lower limit on the number of tasks that must stay RUNNING
  (and healthy) during a deployment, as a percentage of ``desiredCount``, **rounded up** to the
  nearest integer.
* ``maximumPercent`` is an upper limit on the number of tasks in the RUNNING or PENDING state,
  as a percentage of ``desiredCount``, **rounded down** to the nearest integer.
* Defaults: REPLICA services 100 % / 200 %; DAEMON services 0 % / 100 % (a daemon
  service cannot run two tasks on one instance, so it must stop one before starting one).
  "If you are using a daemon service type, the maximumPercent should remain at 100%, which is
  the default value" (CreateService API reference); the model rejects any other value.
* Worked example from the docs: desired 4, maximum 200 % -> the scheduler may start four new
  tasks before stopping the four old ones; minimum 50 % -> it may stop two old tasks first.

Deployment circuit breaker
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html;
``DeploymentCircuitBreaker``, ``ThresholdConfiguration``, ``ServiceDeploymentCircuitBreaker`` in
the API reference):

* the default threshold (``thresholdConfiguration`` ``BOUNDED_PERCENT`` with ``value`` 50) is
  ``0.5 x desired task count`` **rounded up** and clamped to 3..200 (the 2023 developer guide's
  table: 1 -> the minimum, 25 -> 13 "the value is rounded up", 400 and 800 -> 200; its minimum
  was then 10, the current API pages say 3); ``UNBOUNDED_PERCENT`` multiplies without the
  bounds; ``COUNT`` uses ``value`` itself;
* ``resetOnHealthyTask`` (default true): a task that reaches a healthy state resets the failure
  count to 0;
* two stages: tasks that fail to reach RUNNING count, then health-check failures (ELB, Cloud Map,
  container health checks) of tasks that did; FAILED stops launching tasks; with ``rollback``
  ECS rolls back to the last deployment that completed. EventBridge reasons: "ECS deployment
  <id> in progress.", "ECS deployment <id> completed.", "ECS deployment circuit breaker: task
  failed to start.", "ECS deployment circuit breaker: rolling back to deploymentId <id>."

When a new task counts as healthy (``DeploymentConfiguration`` ``minimumHealthyPercent``): without
a load balancer, when its essential containers pass their health checks, or 40 seconds after
RUNNING when none has one; with a load balancer, when the target group reports it healthy
(:func:`time_to_healthy`).

Service events (service-event-messages; the ECS CLI tutorial's ``describe-services`` output): the
model emits only ECS's own sentences: "(service web) has started 2 tasks: (task ...).", "has
stopped 2 running tasks: (task ...).", "deregistered 2 targets in (target-group ...)", "has begun
draining connections on 2 tasks.", "registered 2 targets in (target-group ...)", "(deployment
<id>) deployment completed.", "has reached a steady state.", "is unable to consistently start
tasks successfully.", "was unable to place a task because no container instance met all of its
requirements. The closest matching container-instance <id> has insufficient memory available."
and "was unable to stop or start tasks during a deployment because of the service deployment
configuration. Update the minimumHealthyPercent or maximumPercent value and try again."

Rolling updates also need cluster room: maximumPercent only *allows* extra tasks "provided that
the cluster resources required to do this are available". ``simulate_rolling_deployment`` takes
a free capacity in tasks or a cluster (placement model) and waits for draining tasks to release
theirs, or stalls with the placement event.

Service auto scaling during a deployment: Application Auto Scaling turns off scale-in while a
deployment is in progress; scale-out continues unless suspended (service-auto-scaling.html;
``autoscaling.simulate_service_scaling(deployments=...)``).

Native blue/green, linear and canary deployments are in :mod:`ecsbook.scheduler.bluegreen`;
Availability Zone rebalancing in :mod:`ecsbook.scheduler.rebalancing`.

Model simplifications (say so when teaching):

* Time moves in rounds of ``health_check_seconds``: tasks started in a round are healthy (or
  fail) at the end of it. Real ECS launches, pulls images and passes health checks on its own
  schedule and also throttles repeated launches (it backs off after repeated failures).
* A stopped old task drains from the load balancer for ``deregistration_delay`` seconds; the
  model shows it as *draining*, does not count it against ``maximumPercent``, but does count its
  resources against free capacity until it is gone.
* The circuit breaker's two stages are folded into "a new task fails"; task IDs are made up
  (``old-00001``, ``new-00001``) and so are deployment IDs. Rollback starts the previous
  revision's tasks without stopping-order detail. Deployment alarms (``alarms``) are not
  evaluated in rolling updates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidParameterException, require_int

DEPLOYMENT_DOC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html"
CIRCUIT_BREAKER_DOC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html"

DEFAULTS = {"REPLICA": (100, 200), "DAEMON": (0, 100)}


@dataclass(frozen=True)
class DeploymentBounds:
    """How many tasks must stay healthy and how many may run at once during a deployment."""

    desired_count: int
    minimum_healthy_percent: int
    maximum_percent: int
    min_healthy_tasks: int  # ceil(desired x min% / 100)
    max_tasks: int  # floor(desired x max% / 100)

    @property
    def can_start_before_stopping(self) -> int:
        """New tasks the scheduler may start before stopping any old one (max - desired)."""
        return max(0, self.max_tasks - self.desired_count)

    @property
    def can_stop_before_starting(self) -> int:
        """Old tasks the scheduler may stop before any new one is healthy (desired - min)."""
        return max(0, self.desired_count - self.min_healthy_tasks)


def _int_field(cfg: Mapping[str, Any], name: str, default: int) -> int:
    value = cfg.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameterException(f"{name} must be an integer percentage, got {value!r}", name)
    return value


def deployment_bounds(desired_count: int, deployment_configuration: Mapping[str, Any] | None = None,
                      scheduling_strategy: str = "REPLICA") -> DeploymentBounds:
    """Apply ``deploymentConfiguration`` to a desired count (ECS's rounding).

    >>> b = deployment_bounds(4, {"minimumHealthyPercent": 50, "maximumPercent": 200})
    >>> (b.min_healthy_tasks, b.max_tasks)
    (2, 8)
    """
    require_int(desired_count, "desiredCount")
    if scheduling_strategy not in DEFAULTS:
        raise InvalidParameterException(
            f"Invalid schedulingStrategy {scheduling_strategy!r}: use REPLICA or DAEMON", "schedulingStrategy")
    cfg = dict(deployment_configuration or {})
    known = {"minimumHealthyPercent", "maximumPercent", "deploymentCircuitBreaker", "alarms",
             "bakeTimeInMinutes", "strategy", "lifecycleHooks", "canaryConfiguration",
             "linearConfiguration"}
    unknown = sorted(set(cfg) - known)
    if unknown:
        raise InvalidParameterException(f"Unknown deploymentConfiguration field(s): {', '.join(unknown)}",
                                        unknown[0])
    dmin, dmax = DEFAULTS[scheduling_strategy]
    lo = _int_field(cfg, "minimumHealthyPercent", dmin)
    hi = _int_field(cfg, "maximumPercent", dmax)
    if not 0 <= lo <= 100:
        raise InvalidParameterException(
            f"minimumHealthyPercent must be between 0 and 100, got {lo}", "minimumHealthyPercent")
    if hi <= 0:
        raise InvalidParameterException(f"maximumPercent must be greater than 0, got {hi}", "maximumPercent")
    if hi < lo:
        raise InvalidParameterException(
            f"maximumPercent ({hi}) must be at least minimumHealthyPercent ({lo})", "maximumPercent")
    if scheduling_strategy == "DAEMON" and hi != 100:
        raise InvalidParameterException(
            f"maximumPercent must be 100 for a service that uses the DAEMON scheduling strategy, got {hi}: "
            "a daemon runs one task per instance, so ECS stops the old task before it starts the new one",
            "maximumPercent")
    min_tasks = math.ceil(desired_count * lo / 100)
    max_tasks = (desired_count * hi) // 100
    return DeploymentBounds(desired_count, lo, hi, min_tasks, max_tasks)


THRESHOLD_TYPES = ("COUNT", "BOUNDED_PERCENT", "UNBOUNDED_PERCENT")
OLD_DEPLOYMENT_ID = "ecs-svc/0000000000000000001"
NEW_DEPLOYMENT_ID = "ecs-svc/0000000000000000002"
ROLLBACK_DEPLOYMENT_ID = "ecs-svc/0000000000000000003"
HEALTH_WAIT_WITHOUT_CHECKS = 40  # seconds after RUNNING, no LB and no container health check


def circuit_breaker_threshold(desired_count: int, threshold_configuration: Mapping[str, Any] | None = None) -> int:
    """Failed new tasks that trip the breaker.

    Default (``BOUNDED_PERCENT`` 50): ``0.5 x desired``, rounded up, clamped to [3, 200]
    (the 2023 developer guide's table: 25 tasks -> 13 "the value is rounded up"; 400 -> 200).
    ``UNBOUNDED_PERCENT``: ``value % x desired`` rounded up without the 3..200 bounds (the
    model keeps at least 1). ``COUNT``: ``value`` itself.

    >>> circuit_breaker_threshold(25), circuit_breaker_threshold(1000, {"type": "UNBOUNDED_PERCENT", "value": 50})
    (13, 500)
    """
    require_int(desired_count, "desiredCount")
    cfg = dict(threshold_configuration or {"type": "BOUNDED_PERCENT", "value": 50})
    unknown = sorted(set(cfg) - {"type", "value"})
    if unknown:
        raise InvalidParameterException(f"Unknown thresholdConfiguration field(s): {', '.join(unknown)}", unknown[0])
    kind = cfg.get("type", "BOUNDED_PERCENT")
    if kind not in THRESHOLD_TYPES:
        raise InvalidParameterException(
            f"Invalid thresholdConfiguration type {kind!r}: use COUNT, BOUNDED_PERCENT or UNBOUNDED_PERCENT", "type")
    value = cfg.get("value", 50)
    if isinstance(value, bool) or not isinstance(value, int) or value < (1 if kind == "COUNT" else 0):
        raise InvalidParameterException(f"thresholdConfiguration value must be an integer, got {value!r}", "value")
    if kind == "COUNT":
        return value
    raw = math.ceil(desired_count * value / 100)
    return max(1, raw) if kind == "UNBOUNDED_PERCENT" else min(200, max(3, raw))


def time_to_healthy(seconds_to_running: int = 0, *, container_health_check_seconds: int | None = None,
                    load_balancer_health_seconds: int | None = None) -> int:
    """When a new task starts counting as healthy (DeploymentConfiguration, minimumHealthyPercent).

    Without a load balancer: once all essential containers pass their health checks, or, with
    no container health check, 40 seconds after RUNNING. With a load balancer: once the
    target group health check reports healthy (and the container health checks, if any, pass).
    Arguments are seconds after RUNNING, except ``seconds_to_running``.

    >>> time_to_healthy(20), time_to_healthy(20, container_health_check_seconds=15)
    (60, 35)
    """
    for name, v in (("seconds_to_running", seconds_to_running),
                    ("container_health_check_seconds", container_health_check_seconds),
                    ("load_balancer_health_seconds", load_balancer_health_seconds)):
        if v is not None:
            require_int(v, name)
    if load_balancer_health_seconds is None:
        after = HEALTH_WAIT_WITHOUT_CHECKS if container_health_check_seconds is None else container_health_check_seconds
    else:
        after = max(load_balancer_health_seconds, container_health_check_seconds or 0)
    return seconds_to_running + after


@dataclass(frozen=True)
class DeploymentStep:
    """The service at one moment of the deployment."""

    time: int  # seconds since the deployment started
    old_running: int  # healthy tasks of the previous revision
    new_running: int  # healthy tasks of the new revision
    new_pending: int  # new tasks started, not yet healthy
    draining: int  # old tasks stopped, draining from the target group
    failed_new: int  # new tasks that failed so far (circuit breaker count)
    event: str

    @property
    def running_or_pending(self) -> int:
        return self.old_running + self.new_running + self.new_pending

    @property
    def healthy(self) -> int:
        return self.old_running + self.new_running


@dataclass(frozen=True)
class DeploymentTimeline:
    desired_count: int
    bounds: DeploymentBounds
    steps: tuple[DeploymentStep, ...]
    outcome: str  # COMPLETED | ROLLED_BACK | FAILED | IN_PROGRESS
    threshold: int | None  # circuit breaker threshold, None when disabled
    rollout_state_reason: str = ""
    events: tuple[str, ...] = field(default=())
    deployment_id: str = NEW_DEPLOYMENT_ID
    free_capacity: int | None = None  # tasks that fit beyond the running ones (None: unlimited)

    def to_rows(self) -> list[dict[str, Any]]:
        return [{"t (s)": s.time, "old healthy": s.old_running, "new healthy": s.new_running,
                 "new pending": s.new_pending, "draining": s.draining, "failed": s.failed_new,
                 "event": s.event} for s in self.steps]


def _ids(prefix: str, first: int, n: int) -> str:
    return " ".join(f"(task {prefix}{i:05d})" for i in range(first, first + n))


def free_capacity_in_tasks(cluster: Any, task_definition: Any, limit: int) -> tuple[int, str]:
    """How many more tasks of ``task_definition`` fit on ``cluster`` (up to ``limit``), and the
    ECS event text for the first one that does not ("" when all fit)."""
    from .placement import place_tasks
    from .state import ClusterState

    if not isinstance(cluster, ClusterState):
        raise InvalidParameterException("cluster must be a ClusterState", "cluster")
    if task_definition is None:
        raise InvalidParameterException("a cluster needs the task_definition of the new revision", "taskDefinition")
    result = place_tasks(cluster, task_definition, max(1, limit + 1), default="service", explain=True)
    return min(limit, len(result.placements)), closest_match_sentence(result)


def closest_match_sentence(result: Any) -> str:
    """The "closest matching container-instance" sentence for the first unplaced task.

    E.g. " The closest matching container-instance ci-00001 has insufficient memory available.";
    "" when every task of the ``PlacementResult`` was placed or no instance came close.
    """
    for d in result.decisions:
        if d.placed or not d.rejections:
            continue
        arn, why = min(d.rejections.items())
        inst = arn.rsplit("/", 1)[-1]
        if why.startswith("RESOURCE:MEMORY"):
            return f" The closest matching container-instance {inst} has insufficient memory available."
        if why.startswith("RESOURCE:CPU"):
            return f" The closest matching container-instance {inst} has insufficient CPU units available."
        if why.startswith("RESOURCE:PORTS"):
            return f" The closest matching container-instance {inst} is already using a port required by your task."
        return ""
    return ""


def unable_to_place_event(service_name: str, result: Any = None) -> str:
    """ECS's service event when a task can't be placed (service-event-messages)."""
    tail = closest_match_sentence(result) if result is not None else ""
    return (f"(service {service_name}) was unable to place a task because no container instance met all of its "
            f"requirements.{tail}")


def simulate_rolling_deployment(
    desired_count: int,
    deployment_configuration: Mapping[str, Any] | None = None,
    *,
    health_check_seconds: int = 30,
    deregistration_delay: int = 300,
    new_revision_fails: bool = False,
    new_task_outcomes: Sequence[bool] | None = None,
    scheduling_strategy: str = "REPLICA",
    service_name: str = "web",
    max_rounds: int = 200,
    capacity: int | None = None,
    cluster: Any = None,
    task_definition: Any = None,
    target_group: str | None = "web-tg",
) -> DeploymentTimeline:
    """Replay a rolling update from revision N to N+1 as a list of steps with ECS's event text.

    Each round: stop old tasks while the healthy count stays at or above the minimum; start new
    tasks while running+pending stays at or below the maximum *and* they fit in free capacity;
    after ``health_check_seconds`` (see :func:`time_to_healthy`) the new tasks are healthy or
    fail (``new_task_outcomes``: one bool per started task, True = healthy; afterwards
    ``not new_revision_fails``). The circuit breaker counts failures against
    :func:`circuit_breaker_threshold`; ``resetOnHealthyTask`` (default true) sets the count to 0
    when a new task is healthy. ``FAILED`` stops launching; with ``rollback`` the last completed
    deployment returns (``ROLLED_BACK``).

    Capacity: ``capacity`` = how many more tasks fit beside the running old ones, or
    ``cluster`` + ``task_definition`` to compute it with the placement model. A stopped old
    task keeps its resources while it drains (``deregistration_delay``); when nothing fits and
    nothing is draining, the deployment stalls with ECS's "unable to place a task" event.
    ``target_group=None``: no load balancer (no register/deregister/draining events).
    """
    bounds = deployment_bounds(desired_count, deployment_configuration, scheduling_strategy)
    for name, value in (("health_check_seconds", health_check_seconds),
                        ("deregistration_delay", deregistration_delay), ("max_rounds", max_rounds)):
        require_int(value, name)
    cb = dict((deployment_configuration or {}).get("deploymentCircuitBreaker") or {})
    unknown = sorted(set(cb) - {"enable", "rollback", "resetOnHealthyTask", "thresholdConfiguration"})
    if unknown:
        raise InvalidParameterException(f"Unknown deploymentCircuitBreaker field(s): {', '.join(unknown)}", unknown[0])
    for flag in ("enable", "rollback", "resetOnHealthyTask"):
        if flag in cb and not isinstance(cb[flag], bool):
            raise InvalidParameterException(f"deploymentCircuitBreaker.{flag} must be a boolean, got {cb[flag]!r}",
                                            flag)
    cb_enabled = bool(cb.get("enable", False))
    cb_rollback = bool(cb.get("rollback", False))
    reset_on_healthy = bool(cb.get("resetOnHealthyTask", True))
    if cb.get("rollback") and not cb_enabled:
        raise InvalidParameterException(
            "deploymentCircuitBreaker.rollback requires deploymentCircuitBreaker.enable = true", "rollback")
    threshold = circuit_breaker_threshold(desired_count, cb.get("thresholdConfiguration")) if cb_enabled else None
    min_h, max_t = bounds.min_healthy_tasks, bounds.max_tasks
    step_s = max(1, health_check_seconds)
    svc = f"(service {service_name})"
    tg = f"(target-group {target_group})" if target_group else ""

    closest = ""
    free: int | None = None
    if capacity is not None:
        free = require_int(capacity, "capacity")
    if cluster is not None:
        free, closest = free_capacity_in_tasks(cluster, task_definition, max(max_t, desired_count))
        if capacity is not None:
            free = min(free, require_int(capacity, "capacity"))
    total_slots = None if free is None else desired_count + free

    outcomes = list(new_task_outcomes or [])
    for o in outcomes:
        if not isinstance(o, bool):
            raise InvalidParameterException("new_task_outcomes must be booleans (True = the task is healthy)",
                                            "new_task_outcomes")

    t = 0
    old, new_h, new_p, failed = desired_count, 0, 0, 0
    started_total = 0
    stopped_old = 0
    draining: list[tuple[int, int]] = []  # (finish time, count)
    steps: list[DeploymentStep] = []
    events: list[str] = []
    unstable_reported = False

    def drain_now() -> int:
        return sum(c for end, c in draining if end > t)

    def snap(event: str) -> None:
        steps.append(DeploymentStep(t, old, new_h, new_p, drain_now(), failed, event))
        if event:
            events.append(f"t={t}s {event}")

    snap(f"ECS deployment {NEW_DEPLOYMENT_ID} in progress.")  # the SERVICE_DEPLOYMENT_IN_PROGRESS reason
    outcome = "IN_PROGRESS"
    reason = f"ECS deployment {NEW_DEPLOYMENT_ID} in progress."
    for _ in range(max_rounds):
        if old == 0 and new_h == desired_count:
            outcome = "COMPLETED"
            reason = f"ECS deployment {NEW_DEPLOYMENT_ID} completed."
            snap(f"{svc} (deployment {NEW_DEPLOYMENT_ID}) deployment completed.")
            snap(f"{svc} has reached a steady state.")
            break
        # 1. stop old tasks while the healthy count stays >= the minimum
        stop = min(old, max(0, old + new_h - min_h))
        if stop:
            old -= stop
            if target_group and deregistration_delay:
                draining.append((t + deregistration_delay, stop))
                snap(f"{svc} deregistered {stop} targets in {tg}")
                snap(f"{svc} has begun draining connections on {stop} tasks.")
            snap(f"{svc} has stopped {stop} running tasks: {_ids('old-', stopped_old + 1, stop)}.")
            stopped_old += stop
        # 2. start new tasks while running+pending <= maximum and they fit
        need = desired_count - new_h - new_p
        room = max_t - (old + new_h + new_p)
        fits = None if total_slots is None else total_slots - (old + new_h + new_p + drain_now())
        start = max(0, min(need, room, need if fits is None else fits))
        if start:
            new_p += start
            snap(f"{svc} has started {start} tasks: {_ids('new-', started_total + 1, start)}.")
        capacity_blocked = need > 0 and room > 0 and fits is not None and fits <= 0
        if not stop and not start and new_p == 0:
            if capacity_blocked and drain_now():
                t = min(end for end, _ in draining if end > t)  # wait for draining tasks to free capacity
                continue
            if capacity_blocked:
                reason = unable_to_place_event(service_name) + closest
            else:
                reason = (f"{svc} was unable to stop or start tasks during a deployment because of the service "
                          "deployment configuration. Update the minimumHealthyPercent or maximumPercent value and "
                          "try again.")
            snap(reason)
            break
        # 3. wait for health checks
        t += step_s
        if new_p:
            done, new_p = new_p, 0
            results = [outcomes[started_total + i] if started_total + i < len(outcomes) else not new_revision_fails
                       for i in range(done)]
            started_total += done
            ok = sum(results)
            bad = done - ok
            new_h += ok
            if threshold is not None:
                for healthy in results:  # the order the tasks report in
                    if healthy and reset_on_healthy:
                        failed = 0
                    elif not healthy:
                        failed += 1
            else:
                failed += bad
            if ok:
                snap(f"{svc} registered {ok} targets in {tg}" if target_group else "")
            if bad and not unstable_reported:
                unstable_reported = True
                snap(f"{svc} is unable to consistently start tasks successfully.")
            elif bad:
                snap("")
        # 4. circuit breaker
        if threshold is not None and failed >= threshold:
            if cb_rollback:
                reason = f"ECS deployment circuit breaker: rolling back to deploymentId {OLD_DEPLOYMENT_ID}."
                snap(reason)  # SERVICE_DEPLOYMENT_IN_PROGRESS reason of the rollback deployment
                new_h = 0  # the failed revision's tasks are stopped
                n = 0
                while old < desired_count:
                    room = max_t - old
                    start = max(1, min(desired_count - old, room))
                    snap(f"{svc} has started {start} tasks: {_ids('rb-', n + 1, start)}.")
                    n += start
                    t += step_s
                    old += start
                    if target_group:
                        snap(f"{svc} registered {start} targets in {tg}")
                outcome = "ROLLED_BACK"
                snap(f"{svc} (deployment {ROLLBACK_DEPLOYMENT_ID}) deployment completed.")
                snap(f"{svc} has reached a steady state.")
            else:
                outcome = "FAILED"
                reason = "ECS deployment circuit breaker: task failed to start."
                snap(reason)  # the SERVICE_DEPLOYMENT_FAILED reason
            break
    else:
        reason = f"still in progress after {max_rounds} rounds (no circuit breaker to stop retries)"
        events.append(reason)
    return DeploymentTimeline(desired_count, bounds, tuple(steps), outcome, threshold, reason, tuple(events),
                              NEW_DEPLOYMENT_ID, free)
