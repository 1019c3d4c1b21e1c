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
* Worked example from the docs: desired 4, maximum 200 % -> the scheduler may start four new
  tasks before stopping the four old ones; minimum 50 % -> it may stop two old tasks first.

Deployment circuit breaker
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html,
``ServiceDeploymentCircuitBreaker`` in the API reference, read 2026-11): the failure
threshold is ``0.5 x desired task count``, at least 3 and at most 200 (the default
``ThresholdConfiguration``: ``BOUNDED_PERCENT`` with value 50). The docs give no rounding rule
for odd desired counts; the model rounds up. When that many new
tasks fail to reach a steady state, the deployment moves to FAILED; with ``rollback: true``
ECS rolls back to the last deployment that COMPLETED.

Model simplifications (say so when teaching):

* Time moves in rounds of ``health_check_seconds``: tasks started in a round are healthy (or
  fail) at the end of it. Real ECS launches, pulls images and passes health checks on its own
  schedule and also throttles repeated launches.
* A stopped old task drains from the load balancer for ``deregistration_delay`` seconds; the
  model shows it as *draining* and does not count it against ``maximumPercent``.
* The circuit breaker's second stage (health-check failures of tasks that reached RUNNING) is
  folded into "a new task fails".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

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
    min_tasks = math.ceil(desired_count * lo / 100)
    max_tasks = (desired_count * hi) // 100
    return DeploymentBounds(desired_count, lo, hi, min_tasks, max_tasks)


def circuit_breaker_threshold(desired_count: int) -> int:
    """Failed new tasks that trip the breaker: ``0.5 x desired``, clamped to [3, 200].

    For odd desired counts the model rounds up (a model choice: the docs state no rounding).
    """
    require_int(desired_count, "desiredCount")
    return min(200, max(3, math.ceil(desired_count * 0.5)))


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

    def to_rows(self) -> list[dict[str, Any]]:
        return [{"t (s)": s.time, "old healthy": s.old_running, "new healthy": s.new_running,
                 "new pending": s.new_pending, "draining": s.draining, "failed": s.failed_new,
                 "event": s.event} for s in self.steps]


def simulate_rolling_deployment(
    desired_count: int,
    deployment_configuration: Mapping[str, Any] | None = None,
    *,
    health_check_seconds: int = 30,
    deregistration_delay: int = 300,
    new_revision_fails: bool = False,
    scheduling_strategy: str = "REPLICA",
    service_name: str = "web",
    max_rounds: int = 200,
) -> DeploymentTimeline:
    """Replay a rolling update from revision N to N+1 as a list of steps.

    Each round: stop old tasks while the healthy count stays at or above the minimum; start new
    tasks while running+pending stays at or below the maximum; after ``health_check_seconds``
    the new tasks are healthy (or fail, when ``new_revision_fails``). With the circuit breaker
    enabled, ``circuit_breaker_threshold(desired)`` failures end the deployment (FAILED), and
    with ``rollback`` the old revision is restored (ROLLED_BACK).
    """
    bounds = deployment_bounds(desired_count, deployment_configuration, scheduling_strategy)
    for name, value in (("health_check_seconds", health_check_seconds),
                        ("deregistration_delay", deregistration_delay)):
        require_int(value, name)
    cb = dict((deployment_configuration or {}).get("deploymentCircuitBreaker") or {})
    cb_enabled = bool(cb.get("enable", False))
    cb_rollback = bool(cb.get("rollback", False))
    if cb.get("rollback") and not cb_enabled:
        raise InvalidParameterException(
            "deploymentCircuitBreaker.rollback requires deploymentCircuitBreaker.enable = true", "rollback")
    threshold = circuit_breaker_threshold(desired_count) if cb_enabled else None
    min_h, max_t = bounds.min_healthy_tasks, bounds.max_tasks
    step_s = max(1, health_check_seconds)

    t = 0
    old, new_h, new_p, failed = desired_count, 0, 0, 0
    draining: list[tuple[int, int]] = []  # (finish time, count)
    steps: list[DeploymentStep] = []
    events: list[str] = []

    def snap(event: str) -> None:
        drain = sum(c for end, c in draining if end > t)
        steps.append(DeploymentStep(t, old, new_h, new_p, drain, failed, event))
        events.append(f"t={t}s {event}")

    snap(f"deployment started: {desired_count} tasks of the old revision; "
         f"min healthy {min_h}, max running {max_t}")
    outcome = "IN_PROGRESS"
    reason = ""
    for _ in range(max_rounds):
        if old == 0 and new_h == desired_count:
            outcome = "COMPLETED"
            reason = "ECS deployment completed."
            snap(f"(service {service_name}) has reached a steady state.")
            break
        # 1. stop old tasks while the healthy count stays >= the minimum
        stop = min(old, max(0, old + new_h - min_h))
        if stop:
            old -= stop
            draining.append((t + deregistration_delay, stop))
            snap(f"(service {service_name}) has stopped {stop} running tasks (old revision); draining")
        # 2. start new tasks while running+pending <= maximum
        need = desired_count - new_h - new_p
        room = max_t - (old + new_h + new_p)
        start = max(0, min(need, room))
        if start:
            new_p += start
            snap(f"(service {service_name}) has started {start} tasks (new revision)")
        if not stop and not start and new_p == 0:
            reason = (f"no progress possible: min healthy {min_h} and max {max_t} leave no room to "
                      "stop or start a task")
            snap(reason)
            break
        # 3. wait for health checks
        t += step_s
        if new_p:
            done, new_p = new_p, 0
            if new_revision_fails:
                failed += done
                snap(f"{done} new tasks failed to start (essential container exited); stopped")
            else:
                new_h += done
                snap(f"{done} new tasks passed health checks")
        # 4. circuit breaker
        if threshold is not None and failed >= threshold:
            if cb_rollback:
                reason = (f"circuit breaker: {failed} failed tasks >= threshold {threshold}; "
                          "rolling back to the last completed deployment")
                snap(reason)
                # the old revision becomes the target again
                new_h = 0
                while old < desired_count:
                    room = max_t - old
                    start = max(1, min(desired_count - old, room))
                    t += step_s
                    old += start
                    snap(f"rollback: {start} tasks of the previous revision healthy")
                outcome = "ROLLED_BACK"
                snap(f"(service {service_name}) deployment rolled back; steady state on the previous revision")
            else:
                outcome = "FAILED"
                reason = f"circuit breaker: {failed} failed tasks >= threshold {threshold}; deployment FAILED"
                snap(reason)
            break
    else:
        reason = f"still in progress after {max_rounds} rounds (no circuit breaker to stop retries)"
        events.append(reason)
    return DeploymentTimeline(desired_count, bounds, tuple(steps), outcome, threshold, reason, tuple(events))
