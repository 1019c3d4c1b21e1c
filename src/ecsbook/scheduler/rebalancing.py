"""Availability Zone rebalancing of a service, as a pure plan.

Sources: *Balancing an Amazon ECS service across Availability Zones*
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html), *Track
Amazon ECS Availability Zone rebalancing* (track-service-rebalancing.html), the rebalancing
service event messages (service-rebalancing-event-messages-list.html) and the CreateService /
UpdateService ``availabilityZoneRebalancing`` parameter:

* for services whose first placement strategy is Availability Zone spread, ECS monitors the
  task count per AZ once the service is in a steady state; on an imbalance it sends a
  service event, **starts tasks in the AZs with the fewest tasks and stops tasks in the AZs with
  the most**;
* ``availabilityZoneRebalancing`` is ``ENABLED`` or ``DISABLED``: ``ENABLED`` by default for new
  services that are compatible (services with the ``binpack`` strategy are not, and default to
  ``DISABLED``); on UpdateService the existing value stays, and a service that never had one
  counts as ``DISABLED``; the parameter doesn't trigger a deployment;
* events: SERVICE_REBALANCING_STARTED "service (web) is not AZ balanced with 4 tasks in
  us-east-1a, 1 in us-east-1b, and 1 in us-east-1c. AZ Rebalancing in progress.",
  TASKS_STARTED "web has started 1 tasks in us-east-1b to AZ Rebalance: <task-ids>.",
  TASKS_STOPPED "web has stopped 1 running tasks in us-east-1a due to AZ rebalancing: <task-id>.",
  SERVICE_REBALANCING_COMPLETED "service (web) is AZ balanced with 2 tasks in us-east-1a, 2 tasks
  in us-east-1b, and 2 tasks in us-east-1c.".

Model choices (the page gives no formula): "balanced" means the largest and smallest AZ counts
differ by at most one; the target gives every AZ ``total // n`` tasks and the remainder to the
AZs that have the most now (fewest moves). The moves are made in waves that respect the
deployment configuration: start up to the ``maximumPercent`` headroom first, then stop; with
no headroom, stop down to ``minimumHealthyPercent`` first. Task IDs are made up. Left out:
placement failures in the target AZ, DAEMON services, task scale-in protection, and the wait for
new tasks to become healthy between waves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InvalidParameterException, require_int

DOC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html"


@dataclass(frozen=True)
class RebalanceWave:
    start: Mapping[str, int]  # AZ -> tasks to start
    stop: Mapping[str, int]  # AZ -> tasks to stop
    counts_after: Mapping[str, int]


@dataclass(frozen=True)
class RebalancePlan:
    enabled: bool
    balanced: bool  # already balanced before any move
    target: Mapping[str, int]
    waves: tuple[RebalanceWave, ...]
    events: tuple[str, ...]
    reason: str = ""

    @property
    def moves(self) -> int:
        return sum(sum(w.start.values()) for w in self.waves)


def rebalancing_default(placement_strategy: Sequence[Mapping[str, Any]] | None = None, *,
                        operation: str = "CreateService", existing: str | None = None) -> str:
    """The ``availabilityZoneRebalancing`` value ECS uses when the request leaves it out."""
    if operation not in ("CreateService", "UpdateService"):
        raise InvalidParameterException("operation must be CreateService or UpdateService", "operation")
    if operation == "UpdateService":
        return existing or "DISABLED"
    return "DISABLED" if any((s or {}).get("type") == "binpack" for s in placement_strategy or []) else "ENABLED"


def _counts_text(counts: Mapping[str, int], repeat_tasks: bool) -> str:
    parts = [f"{n} tasks in {az}" if (i == 0 or repeat_tasks) else f"{n} in {az}"
             for i, (az, n) in enumerate(counts.items())]
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) == 2:
        return f"{parts[0]} and {parts[1]}"
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


def plan_az_rebalancing(
    tasks_per_az: Mapping[str, int],
    *,
    service_name: str = "web",
    availability_zone_rebalancing: str = "ENABLED",
    placement_strategy: Sequence[Mapping[str, Any]] | None = None,
    scheduling_strategy: str = "REPLICA",
    deployment_configuration: Mapping[str, Any] | None = None,
) -> RebalancePlan:
    """What AZ rebalancing would do for a service with these task counts per AZ.

    ``tasks_per_az`` lists every AZ the service can use (0 for an empty one).

    >>> p = plan_az_rebalancing({"us-east-1a": 4, "us-east-1b": 1, "us-east-1c": 1})
    >>> dict(p.target), p.moves
    ({'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2}, 2)
    """
    if not isinstance(tasks_per_az, Mapping) or not tasks_per_az:
        raise InvalidParameterException("tasks_per_az must map each Availability Zone to a task count", "tasks_per_az")
    counts = {str(az): require_int(n, f"tasks in {az}") for az, n in tasks_per_az.items()}
    if availability_zone_rebalancing not in ("ENABLED", "DISABLED"):
        raise InvalidParameterException(
            f"Invalid availabilityZoneRebalancing {availability_zone_rebalancing!r}: use ENABLED or DISABLED",
            "availabilityZoneRebalancing")
    if scheduling_strategy not in ("REPLICA", "DAEMON"):
        raise InvalidParameterException(f"Invalid schedulingStrategy {scheduling_strategy!r}", "schedulingStrategy")
    strategy = list(placement_strategy or [])
    total = sum(counts.values())
    n = len(counts)
    base, extra = divmod(total, n)
    order = sorted(counts, key=lambda az: (-counts[az], az))  # most tasks first keep the remainder
    target = {az: base + (1 if az in order[:extra] else 0) for az in counts}
    balanced = max(counts.values()) - min(counts.values()) <= 1
    svc = f"service ({service_name})"

    def off(reason: str) -> RebalancePlan:
        return RebalancePlan(False, balanced, dict(counts), (), (), reason)

    if availability_zone_rebalancing == "DISABLED":
        return off("availabilityZoneRebalancing is DISABLED")
    if scheduling_strategy == "DAEMON":
        return off("DAEMON services run one task per instance; AZ rebalancing is for REPLICA services")
    if any(s.get("type") == "binpack" for s in strategy):
        return off("services with the binpack placement strategy are not compatible with AZ rebalancing")
    if strategy and not (strategy[0].get("type") == "spread"
                         and strategy[0].get("field") in ("attribute:ecs.availability-zone", None)):
        return off("AZ rebalancing applies when the first placement strategy is spread across Availability Zones")
    if balanced or n == 1:
        return RebalancePlan(True, True, target, (), (), "already AZ balanced")

    cfg = dict(deployment_configuration or {})
    lo_pct, hi_pct = cfg.get("minimumHealthyPercent", 100), cfg.get("maximumPercent", 200)
    for name, v in (("minimumHealthyPercent", lo_pct), ("maximumPercent", hi_pct)):
        require_int(v, name)
    min_tasks = math.ceil(total * lo_pct / 100)
    max_tasks = total * hi_pct // 100
    events = [f"{svc} is not AZ balanced with {_counts_text(counts, False)}. AZ Rebalancing in progress."]
    cur = dict(counts)
    waves: list[RebalanceWave] = []
    started = stopped = 0
    for _ in range(4 * total + 4):
        short = {az: target[az] - cur[az] for az in cur if cur[az] < target[az]}
        over = {az: cur[az] - target[az] for az in cur if cur[az] > target[az]}
        if not short and not over:
            break
        start: dict[str, int] = {}
        stop: dict[str, int] = {}
        room = max_tasks - sum(cur.values())
        if room > 0:
            for az in sorted(short, key=lambda z: (cur[z], z)):  # fewest tasks first
                take = min(short[az], room)
                if take:
                    start[az] = take
                    room -= take
        for az, k in start.items():
            cur[az] += k
        slack = sum(cur.values()) - max(min_tasks, 1 if total else 0)
        for az in sorted(over, key=lambda z: (-cur[z], z)):  # most tasks first
            excess = cur[az] - target[az]
            # stop only what the started tasks replace, or what the minimum allows
            take = min(excess, slack)
            if take > 0:
                stop[az] = take
                slack -= take
        for az, k in stop.items():
            cur[az] -= k
        if not start and not stop:
            return RebalancePlan(True, False, target, tuple(waves), tuple(events),
                                 "minimumHealthyPercent and maximumPercent leave no room to start or stop a task")
        for az, k in start.items():
            ids = ", ".join(f"rebalance-{started + i + 1:05d}" for i in range(k))
            started += k
            events.append(f"{service_name} has started {k} tasks in {az} to AZ Rebalance: {ids}.")
        for az, k in stop.items():
            ids = ", ".join(f"old-{stopped + i + 1:05d}" for i in range(k))
            stopped += k
            events.append(f"{service_name} has stopped {k} running tasks in {az} due to AZ rebalancing: {ids}.")
        waves.append(RebalanceWave(start, stop, dict(cur)))
    events.append(f"{svc} is AZ balanced with {_counts_text(cur, True)}.")
    return RebalancePlan(True, False, target, tuple(waves), tuple(events))
