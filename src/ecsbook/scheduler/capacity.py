"""Capacity providers: strategy base/weight splits and managed scaling.

Capacity provider strategy (``CapacityProviderStrategyItem``,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html):

* ``base``: how many tasks, at a minimum, run on that provider; **only one** provider in a
  strategy may have a base; 0..100000, default 0.
* ``weight``: the relative share of the tasks launched *after* the base is satisfied; 0..1000.
  Weights 1 and 4 mean: for every task on the first provider, four go to the second.
* Fargate providers (``FARGATE``, ``FARGATE_SPOT``) and Auto Scaling group providers cannot be
  mixed in one strategy
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).

Managed scaling (cluster auto scaling,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html):
ECS publishes ``CapacityProviderReservation = M / N x 100`` where N is the number of instances
already running in the Auto Scaling group and M the number the group *needs* to run all tasks
(running and PROVISIONING). It then target-tracks that metric toward ``targetCapacity``
(1..100, default 100). Special cases: N = 0 and M > 0 -> 200 (scale out); N = 0 and M = 0
-> 100 (steady). ``minimumScalingStepSize`` (default 1), ``maximumScalingStepSize`` (default
10000) and ``instanceWarmupPeriod`` (default 300 s) bound each step. Capacity providers add or
remove **EC2 instances**; the number of *tasks* is the service's desired count (service auto
scaling).

Model simplifications: M is computed by packing task sizes onto identical instances
(first-fit decreasing) rather than ECS's internal estimate, and one step is one evaluation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .errors import InvalidParameterException, require_int

FARGATE_PROVIDERS = frozenset({"FARGATE", "FARGATE_SPOT"})
DOC = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html"


def _int(item: Mapping[str, Any], name: str, lo: int, hi: int, default: int) -> int:
    value = item.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidParameterException(
            f"capacityProviderStrategy {name} must be an integer from {lo} to {hi}, got {value!r}", name)
    return value


def validate_strategy(strategy: Sequence[Mapping[str, Any]]) -> list[tuple[str, int, int]]:
    """Check a ``capacityProviderStrategy`` and return ``[(provider, base, weight), ...]``."""
    if not isinstance(strategy, (list, tuple)) or not strategy:
        raise InvalidParameterException("capacityProviderStrategy must be a non-empty list", "capacityProviderStrategy")
    if len(strategy) > 20:
        raise InvalidParameterException("capacityProviderStrategy can contain at most 20 capacity providers",
                                        "capacityProviderStrategy")
    out: list[tuple[str, int, int]] = []
    for item in strategy:
        if not isinstance(item, Mapping) or not isinstance(item.get("capacityProvider"), str):
            raise InvalidParameterException("each capacityProviderStrategy item needs a capacityProvider name",
                                            "capacityProvider")
        unknown = set(item) - {"capacityProvider", "base", "weight"}
        if unknown:
            raise InvalidParameterException(f"Unknown capacityProviderStrategy field(s): {sorted(unknown)}",
                                            sorted(unknown)[0])
        out.append((item["capacityProvider"], _int(item, "base", 0, 100000, 0), _int(item, "weight", 0, 1000, 0)))
    names = [n for n, _, _ in out]
    if len(set(names)) != len(names):
        raise InvalidParameterException("a capacity provider may appear only once in a strategy", "capacityProvider")
    if sum(1 for _, b, _ in out if b > 0) > 1:
        raise InvalidParameterException(
            "Only one capacity provider in a capacity provider strategy can have a base defined", "base")
    kinds = {n in FARGATE_PROVIDERS for n in names}
    if len(kinds) > 1:
        raise InvalidParameterException(
            "a capacity provider strategy cannot mix Fargate (FARGATE, FARGATE_SPOT) and Auto Scaling group "
            "capacity providers", "capacityProvider")
    return out


def split_tasks(capacity_provider_strategy: Sequence[Mapping[str, Any]], count: int) -> dict[str, int]:
    """How ``count`` tasks are divided among the providers: base first, then by weight.

    After the base, each task goes to the provider furthest below its weighted share (ties
    to the earlier provider in the strategy), so weights 1:4 give 1, 4, 1, 4, ... exactly as
    the docs' example describes.

    >>> split_tasks([{"capacityProvider": "FARGATE", "base": 2, "weight": 1},
    ...              {"capacityProvider": "FARGATE_SPOT", "weight": 3}], 10)
    {'FARGATE': 4, 'FARGATE_SPOT': 6}
    """
    items = validate_strategy(capacity_provider_strategy)
    require_int(count, "count")
    result = {name: 0 for name, _, _ in items}
    remaining = count
    for name, base, _ in items:
        if base:
            take = min(base, remaining)
            result[name] += take
            remaining -= take
    weighted = [(name, w) for name, _, w in items if w > 0]
    if remaining and not weighted:
        raise InvalidParameterException(
            "no capacity provider in the strategy has a weight greater than 0, so tasks beyond the base "
            "cannot be placed", "weight")
    by_weight = {name: 0 for name, _ in weighted}
    total_w = sum(w for _, w in weighted)
    for k in range(remaining):
        # deficit: share the provider should have after k+1 tasks minus what it has
        name = max(weighted, key=lambda nw: ((k + 1) * nw[1] / total_w - by_weight[nw[0]],
                                             -[n for n, _ in weighted].index(nw[0])))[0]
        by_weight[name] += 1
    for name, n in by_weight.items():
        result[name] += n
    return result


def capacity_provider_reservation(m: int, n: int) -> float:
    """``CapacityProviderReservation`` = M / N x 100, with the documented N = 0 cases.

    ``m``: instances needed to run all tasks (running + provisioning); ``n``: instances running.
    """
    for name, v in (("M", m), ("N", n)):
        require_int(v, name)
    if n == 0:
        return 200.0 if m > 0 else 100.0
    return m / n * 100.0


@dataclass(frozen=True)
class ScalingPlan:
    """One managed-scaling evaluation: what the Auto Scaling group should do."""

    running_instances: int  # N
    needed_instances: int  # M
    reservation: float  # CapacityProviderReservation
    target_capacity: int
    desired_instances: int  # after the step, clamped to the group's min/max
    change: int
    reason: str


def instances_needed(task_sizes: Sequence[tuple[int, int]], instance_cpu: int, instance_memory: int) -> int:
    """M: instances needed to hold these (cpu, memory) tasks, first-fit decreasing."""
    bins: list[list[int]] = []
    for cpu, mem in sorted(task_sizes, key=lambda cm: (cm[1], cm[0]), reverse=True):
        if cpu > instance_cpu or mem > instance_memory:
            raise InvalidParameterException(
                f"a task needing {cpu} CPU / {mem} MiB can never fit an instance of {instance_cpu} CPU / "
                f"{instance_memory} MiB", "instanceType")
        for b in bins:
            if b[0] >= cpu and b[1] >= mem:
                b[0] -= cpu
                b[1] -= mem
                break
        else:
            bins.append([instance_cpu - cpu, instance_memory - mem])
    return len(bins)


def managed_scaling_step(
    needed_instances: int,
    running_instances: int,
    managed_scaling: Mapping[str, Any] | None = None,
    *,
    asg_min: int = 0,
    asg_max: int = 10000,
) -> ScalingPlan:
    """One target-tracking step of managed scaling toward ``targetCapacity``.

    Desired instances = ceil(M x 100 / targetCapacity): with a target of 100 the group runs
    exactly the instances the tasks need; with 50 it keeps half of its capacity spare. A
    scale-out moves at least ``minimumScalingStepSize`` and at most ``maximumScalingStepSize``
    instances.
    """
    cfg = dict(managed_scaling or {})
    target = _int(cfg, "targetCapacity", 1, 100, 100)
    min_step = _int(cfg, "minimumScalingStepSize", 1, 10000, 1)
    max_step = _int(cfg, "maximumScalingStepSize", 1, 10000, 10000)
    if min_step > max_step:
        raise InvalidParameterException("minimumScalingStepSize must not exceed maximumScalingStepSize",
                                        "minimumScalingStepSize")
    if asg_min > asg_max:
        raise InvalidParameterException("Auto Scaling group MinSize must not exceed MaxSize", "MinSize")
    m, n = needed_instances, running_instances
    cpr = capacity_provider_reservation(m, n)
    ideal = math.ceil(m * 100 / target) if m else 0
    if ideal > n:
        step = min(max(ideal - n, min_step), max_step)
        desired = n + step
        reason = f"CapacityProviderReservation {cpr:g} > target {target}: scale out by {step}"
    elif ideal < n:
        desired = ideal
        reason = f"CapacityProviderReservation {cpr:g} < target {target}: scale in to {ideal}"
    else:
        desired = n
        reason = f"CapacityProviderReservation {cpr:g} == target {target}: no change"
    clamped = max(asg_min, min(asg_max, desired))
    if clamped != desired:
        reason += f" (clamped to the group's min/max: {clamped})"
    return ScalingPlan(n, m, cpr, target, clamped, clamped - n, reason)


def protected_from_scale_in(instance_task_counts: Mapping[str, int], daemon_task_counts: Mapping[str, int] | None = None) -> list[str]:
    """Managed termination protection: instances running non-daemon tasks are not terminated.

    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-termination-protection.html
    """
    daemon = daemon_task_counts or {}
    return sorted(i for i, c in instance_task_counts.items() if c - daemon.get(i, 0) > 0)
