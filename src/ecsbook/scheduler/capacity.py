"""Capacity providers: launch type vs strategy, base/weight splits, managed scaling, Fargate Spot.

Sources, each read in full, and the rules taken from them:

* *Amazon ECS capacity providers* (cluster-capacity-providers.html) and
  ``CapacityProviderStrategyItem``
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html):

  - every task has a capacity provider strategy, a launch type, or the cluster's default
    capacity provider strategy; ``launchType`` and ``capacityProviderStrategy`` are mutually
    exclusive ("Specifying both a launch type and capacity provider strategy is not
    supported. Remove one and try again."); with neither, the cluster default strategy is
    used, and with no default the launch type is ``EC2`` (RunTask); a task with a launch type is
    not counted by any capacity provider;
  - only providers associated with the cluster (``ACTIVE`` or ``UPDATING``) may be used;
  - ``base`` (0..100000, default 0): the minimum number of tasks on that provider; **only one**
    provider in a strategy can have a base; ``weight`` (0..1000; API default 0, console 1): the
    relative share after the base; weights 1 and 4: for every task on A, four on B;
  - with several providers at least one weight must be greater than 0 (all zero: RunTask and
    CreateService fail) and providers with weight 0 get no tasks beyond the base;
  - a strategy holds at most 20 providers (CreateService/RunTask; the 2023 guide said six);
  - Fargate providers (``FARGATE``, ``FARGATE_SPOT``) and Auto Scaling group providers can't be
    mixed in one strategy (a cluster may have both).

* *Amazon ECS cluster auto scaling* / managed scaling (cluster-auto-scaling.html) and
  ``ManagedScaling``:

  - ECS publishes ``CapacityProviderReservation`` (CPR) in ``AWS/ECS/ManagedScaling`` and
    target-tracks it toward ``targetCapacity`` (greater than 0, at most 100; default 100):
    CPR = 100 means no change, above 100 scale out, below 100 scale in; a ``targetCapacity`` under
    100 keeps that share of instances free (90 -> 10 % spare);
  - CPR = M / N x 100 (N instances running, M needed for running + provisioning tasks);
    N = 0 and M > 0 -> 200; N = 0 and M = 0 -> 100;
  - scale-out size: ``minimumScalingStepSize`` (default 1) if fewer instances are needed,
    otherwise the lower of ``maximumScalingStepSize`` (default 10000) and the number needed;
    scale-out is blocked while any instance is inside ``instanceWarmupPeriod`` (default 300 s,
    0..10000);
  - M is computed per group of identical tasks with a binpack estimate; tasks that can't run
    on the smallest instance type of the group are excluded; when no task fits, CPR stays 100;
  - scale-in: only instances running no non-daemon task are empty; the scale-in alarm needs 15
    data points (15 minutes); each minute the group shrinks by at least one instance and less
    than half; a scale-out request stops a scale-in in progress.

* Managed termination protection (cluster-auto-scaling.html#managed-termination-protection,
  managed-termination-protection.html, ``AutoScalingGroupProvider``): ECS terminates only
  instances that run no ECS tasks (daemon tasks don't count); it requires managed scaling
  ("otherwise managed termination protection doesn't work") and scale-in protection on the Auto
  Scaling group and its instances. Managed instance draining (``managedDraining``) is
  ``ENABLED`` by default when a capacity provider is created: instances the group terminates are
  drained (DRAINING, service tasks replaced elsewhere) first.

* *AWS Fargate capacity providers* (fargate-capacity-providers.html, CapacityProviderStrategyItem):
  Fargate Spot runs interruption-tolerant tasks on spare capacity; Windows containers can't use
  it; Linux X86_64 needs platform version 1.3.0 or later and Linux ARM64 1.4.0 or later (the 2023
  guide did not support ARM64 yet). An interruption sends a two-minute warning as a task state
  change event (``stoppedReason`` "Your Spot Task was interrupted.", ``stopCode``
  ``TerminationNotice``) and SIGTERM; the container is SIGKILLed after ``stopTimeout`` (default
  30 s, at most 120 s); a service starts replacement tasks on Fargate Spot if capacity is
  available, and a one-task service is interrupted until capacity returns.

What the model leaves out: M is a first-fit-decreasing estimate over CPU and memory only
(ENIs, ports and GPUs are not counted), instance weighting, warm pools, multiple instance types
per group beyond the smallest-type compatibility check, the 2023 guide's "100 minus the number
of empty instances" form of CPR during scale-in, and capacity rebalancing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ClientException, InvalidParameterException, require_int

FARGATE_PROVIDERS = frozenset({"FARGATE", "FARGATE_SPOT"})
LAUNCH_TYPES = ("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES")
MAX_STRATEGY_ITEMS = 20
DEFAULT_INSTANCE_WARMUP = 300
SCALE_IN_DATAPOINTS = 15
SPOT_WARNING_SECONDS = 120
DEFAULT_STOP_TIMEOUT = 30
DOC = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html"
BOTH_MESSAGE = "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."
NOT_ASSOCIATED_MESSAGE = ("The specified capacity provider strategy cannot contain a capacity provider that is not "
                          "associated with the cluster. Associate the capacity provider with the cluster or specify a "
                          "valid capacity provider and try again.")


def _int(item: Mapping[str, Any], name: str, lo: int, hi: int, default: int) -> int:
    value = item.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidParameterException(
            f"capacityProviderStrategy {name} must be an integer from {lo} to {hi}, got {value!r}", name)
    return value


def _setting(cfg: Mapping[str, Any], name: str, lo: int, hi: int, default: int) -> int:
    value = cfg.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidParameterException(f"managedScaling {name} must be an integer from {lo} to {hi}, got {value!r}",
                                        name)
    return value


# ------------------------------------------------------------------ strategies

def validate_strategy(strategy: Sequence[Mapping[str, Any]]) -> list[tuple[str, int, int]]:
    """Check a ``capacityProviderStrategy`` and return ``[(provider, base, weight), ...]``."""
    if not isinstance(strategy, (list, tuple)) or not strategy:
        raise InvalidParameterException("capacityProviderStrategy must be a non-empty list", "capacityProviderStrategy")
    if len(strategy) > MAX_STRATEGY_ITEMS:
        raise InvalidParameterException(
            f"capacityProviderStrategy can contain at most {MAX_STRATEGY_ITEMS} capacity providers",
            "capacityProviderStrategy")
    out: list[tuple[str, int, int]] = []
    for item in strategy:
        if not isinstance(item, Mapping) or not isinstance(item.get("capacityProvider"), str):
            raise InvalidParameterException("each capacityProviderStrategy item needs a capacityProvider name",
                                            "capacityProvider")
        unknown = set(item) - {"capacityProvider", "base", "weight"}
        if unknown:
            raise InvalidParameterException(f"Unknown capacityProviderStrategy field(s): {sorted(unknown)}",
                                            min(unknown))
        name = item["capacityProvider"]
        if not 1 <= len(name) <= 255:
            raise InvalidParameterException("capacityProvider must be 1 to 255 characters", "capacityProvider")
        out.append((name, _int(item, "base", 0, 100000, 0), _int(item, "weight", 0, 1000, 0)))
    names = [n for n, _, _ in out]
    if len(set(names)) != len(names):
        raise InvalidParameterException("a capacity provider may appear only once in a strategy", "capacityProvider")
    if sum(1 for _, b, _ in out if b > 0) > 1:
        raise InvalidParameterException(
            "Only one capacity provider in a capacity provider strategy can have a base defined", "base")
    if len(out) > 1 and all(w == 0 for _, _, w in out):
        raise InvalidParameterException(
            "When multiple capacity providers are specified, at least one of them must have a weight greater than 0",
            "weight")
    kinds = {n in FARGATE_PROVIDERS for n in names}
    if len(kinds) > 1:
        raise InvalidParameterException(
            "a capacity provider strategy cannot mix Fargate (FARGATE, FARGATE_SPOT) and Auto Scaling group "
            "capacity providers", "capacityProvider")
    return out


@dataclass(frozen=True)
class CapacityChoice:
    """What a RunTask/CreateService request runs on."""

    launch_type: str | None
    capacity_provider_strategy: tuple[Mapping[str, Any], ...]
    source: str  # "launchType" | "capacityProviderStrategy" | "cluster default" | "default launch type"

    @property
    def counted_by_capacity_providers(self) -> bool:
        """Tasks with a launch type are ignored by capacity provider scaling."""
        return self.launch_type is None


def resolve_capacity(launch_type: str | None = None,
                     capacity_provider_strategy: Sequence[Mapping[str, Any]] | None = None, *,
                     cluster_default_strategy: Sequence[Mapping[str, Any]] | None = None,
                     cluster_capacity_providers: Sequence[str] | None = None) -> CapacityChoice:
    """The capacity a request uses: its launch type, its strategy, or the cluster's default."""
    if launch_type is not None and capacity_provider_strategy:
        raise InvalidParameterException(BOTH_MESSAGE, "launchType")
    if launch_type is not None:
        if launch_type not in LAUNCH_TYPES:
            raise InvalidParameterException(f"Invalid launchType {launch_type!r}: use {', '.join(LAUNCH_TYPES)}",
                                            "launchType")
        return CapacityChoice(launch_type, (), "launchType")
    chosen, source = capacity_provider_strategy, "capacityProviderStrategy"
    if not chosen:
        chosen, source = cluster_default_strategy, "cluster default"
    if not chosen:
        return CapacityChoice("EC2", (), "default launch type")
    items = validate_strategy(chosen)
    if cluster_capacity_providers is not None:
        for name, _, _ in items:
            if name not in cluster_capacity_providers:
                raise InvalidParameterException(NOT_ASSOCIATED_MESSAGE, "capacityProvider")
    return CapacityChoice(None, tuple(dict(i) for i in chosen), source)


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
    order = [n for n, _ in weighted]
    for k in range(remaining):
        # deficit: share the provider should have after k+1 tasks minus what it has
        name = max(weighted, key=lambda nw: ((k + 1) * nw[1] / total_w - by_weight[nw[0]], -order.index(nw[0])))[0]
        by_weight[name] += 1
    for name, n in by_weight.items():
        result[name] += n
    return result


# ------------------------------------------------------------------ managed scaling

def capacity_provider_reservation(m: int, n: int) -> float:
    """``CapacityProviderReservation`` = M / N x 100, with the documented N = 0 cases.

    ``m``: instances needed to run all tasks (running + provisioning); ``n``: instances running.
    """
    for name, v in (("M", m), ("N", n)):
        require_int(v, name)
    if n == 0:
        return 200.0 if m > 0 else 100.0
    return m / n * 100.0


def validate_managed_scaling(managed_scaling: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check ``ManagedScaling`` and fill in its defaults."""
    cfg = dict(managed_scaling or {})
    unknown = sorted(set(cfg) - {"status", "targetCapacity", "minimumScalingStepSize", "maximumScalingStepSize",
                                 "instanceWarmupPeriod"})
    if unknown:
        raise InvalidParameterException(f"Unknown managedScaling field(s): {', '.join(unknown)}", unknown[0])
    status = cfg.get("status", "ENABLED")
    if status not in ("ENABLED", "DISABLED"):
        raise InvalidParameterException(f"Invalid managedScaling status {status!r}: use ENABLED or DISABLED", "status")
    out = {"status": status,
           "targetCapacity": _setting(cfg, "targetCapacity", 1, 100, 100),
           "minimumScalingStepSize": _setting(cfg, "minimumScalingStepSize", 1, 10000, 1),
           "maximumScalingStepSize": _setting(cfg, "maximumScalingStepSize", 1, 10000, 10000),
           "instanceWarmupPeriod": _setting(cfg, "instanceWarmupPeriod", 0, 10000, DEFAULT_INSTANCE_WARMUP)}
    if out["minimumScalingStepSize"] > out["maximumScalingStepSize"]:
        raise InvalidParameterException("minimumScalingStepSize must not exceed maximumScalingStepSize",
                                        "minimumScalingStepSize")
    return out


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


def estimate_instances(task_sizes: Sequence[tuple[int, int]],
                       instance_sizes: Sequence[tuple[int, int]]) -> tuple[int, list[tuple[int, int]]]:
    """Managed scaling's estimate for a group with these instance types: (M, excluded tasks).

    Tasks that can't run on the *smallest* instance type (by CPU, then memory) are excluded from
    the scale-out calculation; the rest are bin-packed onto the smallest type, which gives the
    largest (maximum) instance count.
    """
    if not instance_sizes:
        raise InvalidParameterException("an Auto Scaling group needs at least one instance type", "instanceType")
    small_cpu, small_mem = min(instance_sizes)
    fits = [t for t in task_sizes if t[0] <= small_cpu and t[1] <= small_mem]
    excluded = [t for t in task_sizes if t not in fits]
    return (instances_needed(fits, small_cpu, small_mem) if fits else 0), excluded


def managed_scaling_step(
    needed_instances: int,
    running_instances: int,
    managed_scaling: Mapping[str, Any] | None = None,
    *,
    asg_min: int = 0,
    asg_max: int = 10000,
    instances_in_warmup: int = 0,
    minutes_below_target: int | None = None,
    empty_instances: int | None = None,
) -> ScalingPlan:
    """One evaluation of managed scaling toward ``targetCapacity``.

    Desired instances = ceil(M x 100 / targetCapacity): with a target of 100 the group runs
    exactly the instances the tasks need; with 50 it keeps half of its capacity spare. A
    scale-out adds ``minimumScalingStepSize`` if fewer are needed, else the lower of
    ``maximumScalingStepSize`` and the number needed, and waits while ``instances_in_warmup`` > 0.
    A scale-in needs ``SCALE_IN_DATAPOINTS`` minutes below target (``minutes_below_target``;
    None: assume the alarm has fired), removes only empty instances (``empty_instances``; None:
    as many as the estimate frees) and at most half of the group (at least one) per step.
    """
    cfg = validate_managed_scaling(managed_scaling)
    target = int(cfg["targetCapacity"])
    min_step, max_step = int(cfg["minimumScalingStepSize"]), int(cfg["maximumScalingStepSize"])
    for name, v in (("needed_instances", needed_instances), ("running_instances", running_instances),
                    ("asg_min", asg_min), ("asg_max", asg_max), ("instances_in_warmup", instances_in_warmup)):
        require_int(v, name)
    if asg_min > asg_max:
        raise InvalidParameterException("Auto Scaling group MinSize must not exceed MaxSize", "MinSize")
    m, n = needed_instances, running_instances
    cpr = capacity_provider_reservation(m, n)
    if cfg["status"] == "DISABLED":
        return ScalingPlan(n, m, cpr, target, n, 0, "managed scaling is DISABLED: the group is not scaled by ECS")
    ideal = math.ceil(m * 100 / target) if m else 0
    if ideal > n:
        if instances_in_warmup:
            return ScalingPlan(n, m, cpr, target, n, 0,
                               f"CapacityProviderReservation {cpr:g} > target {target}, but {instances_in_warmup} "
                               f"instance(s) are still within instanceWarmupPeriod ({cfg['instanceWarmupPeriod']} s): "
                               "scale-out waits")
        step = min(max(ideal - n, min_step), max_step)
        desired = n + step
        reason = f"CapacityProviderReservation {cpr:g} > target {target}: scale out by {step}"
    elif ideal < n:
        if minutes_below_target is not None and minutes_below_target < SCALE_IN_DATAPOINTS:
            return ScalingPlan(n, m, cpr, target, n, 0,
                               f"CapacityProviderReservation {cpr:g} < target {target} for {minutes_below_target} "
                               f"minutes: the scale-in alarm needs {SCALE_IN_DATAPOINTS} data points")
        removable = n - ideal
        if empty_instances is not None:
            removable = min(removable, require_int(empty_instances, "empty_instances"))
        removable = min(removable, max(1, (n - 1) // 2 if n > 2 else 1))
        if removable <= 0:
            return ScalingPlan(n, m, cpr, target, n, 0,
                               f"CapacityProviderReservation {cpr:g} < target {target}, but no instance is empty "
                               "(only instances without non-daemon tasks are removed)")
        desired = n - removable
        reason = f"CapacityProviderReservation {cpr:g} < target {target}: scale in by {removable} to {desired}"
    else:
        desired = n
        reason = f"CapacityProviderReservation {cpr:g} == target {target}: no change"
    clamped = max(asg_min, min(asg_max, desired))
    if clamped != desired:
        reason += f" (clamped to the group's min/max: {clamped})"
    return ScalingPlan(n, m, cpr, target, clamped, clamped - n, reason)


# ------------------------------------------------------------------ termination protection and draining

def validate_auto_scaling_group_provider(provider: Mapping[str, Any], *,
                                         asg_new_instances_protected_from_scale_in: bool = False) -> dict[str, Any]:
    """Check an ``autoScalingGroupProvider`` (CreateCapacityProvider) and fill in its defaults.

    ``managedTerminationProtection`` ENABLED needs managed scaling ENABLED and an Auto Scaling
    group with scale-in protection for new instances. ``managedDraining`` defaults to ENABLED.
    """
    if not isinstance(provider, Mapping) or not provider.get("autoScalingGroupArn"):
        raise InvalidParameterException("autoScalingGroupProvider needs an autoScalingGroupArn", "autoScalingGroupArn")
    unknown = sorted(set(provider) - {"autoScalingGroupArn", "managedScaling", "managedTerminationProtection",
                                      "managedDraining"})
    if unknown:
        raise InvalidParameterException(f"Unknown autoScalingGroupProvider field(s): {', '.join(unknown)}", unknown[0])
    scaling = validate_managed_scaling(provider.get("managedScaling"))
    if provider.get("managedScaling") is None:
        scaling["status"] = "DISABLED"
    mtp = provider.get("managedTerminationProtection", "DISABLED")
    drain = provider.get("managedDraining", "ENABLED")
    for name, v in (("managedTerminationProtection", mtp), ("managedDraining", drain)):
        if v not in ("ENABLED", "DISABLED"):
            raise InvalidParameterException(f"Invalid {name} {v!r}: use ENABLED or DISABLED", name)
    if mtp == "ENABLED":
        if scaling["status"] != "ENABLED":
            raise InvalidParameterException(
                "The managed termination protection setting for the capacity provider is invalid. When using managed "
                "termination protection, managed scaling must also be used otherwise managed termination protection "
                "doesn't work.", "managedTerminationProtection")
        if not asg_new_instances_protected_from_scale_in:
            raise ClientException(
                "The managed termination protection setting for the capacity provider is invalid. To enable managed "
                "termination protection for a capacity provider, the Auto Scaling group must have instance protection "
                "from scale in enabled.", "managedTerminationProtection")
    return {"autoScalingGroupArn": provider["autoScalingGroupArn"], "managedScaling": scaling,
            "managedTerminationProtection": mtp, "managedDraining": drain}


def protected_from_scale_in(instance_task_counts: Mapping[str, int],
                            daemon_task_counts: Mapping[str, int] | None = None) -> list[str]:
    """Managed termination protection: instances running non-daemon tasks are not terminated.

    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-termination-protection.html
    """
    daemon = daemon_task_counts or {}
    return sorted(i for i, c in instance_task_counts.items() if c - daemon.get(i, 0) > 0)


def scale_in_candidates(instance_task_counts: Mapping[str, int], daemon_task_counts: Mapping[str, int] | None = None,
                        *, managed_termination_protection: bool = True) -> list[str]:
    """Instances the Auto Scaling group may terminate in a scale-in.

    With managed termination protection only empty instances (daemon tasks don't count); without
    it the group's termination policy may pick any instance (tasks on it are lost unless managed
    draining moves them first).
    """
    if not managed_termination_protection:
        return sorted(instance_task_counts)
    keep = set(protected_from_scale_in(instance_task_counts, daemon_task_counts))
    return sorted(i for i in instance_task_counts if i not in keep)


# ------------------------------------------------------------------ Fargate Spot

def _version(v: str) -> tuple[int, ...]:
    if v == "LATEST":
        return (1, 4, 0)
    try:
        return tuple(int(p) for p in v.split("."))
    except ValueError:
        raise InvalidParameterException(f"Invalid platformVersion {v!r}", "platformVersion") from None


def fargate_spot_supported(operating_system_family: str = "LINUX", cpu_architecture: str = "X86_64",
                           platform_version: str = "LATEST") -> tuple[bool, str]:
    """Can this task run on ``FARGATE_SPOT``? (supported, why)."""
    if cpu_architecture not in ("X86_64", "ARM64"):
        raise InvalidParameterException(f"Invalid cpuArchitecture {cpu_architecture!r}", "cpuArchitecture")
    if operating_system_family != "LINUX":
        return False, "Windows containers on Fargate don't support the Fargate Spot capacity provider"
    need = (1, 3, 0) if cpu_architecture == "X86_64" else (1, 4, 0)
    if _version(platform_version) < need:
        return False, (f"Fargate Spot needs platform version {'.'.join(map(str, need))} or later for Linux "
                       f"{cpu_architecture} tasks")
    return True, f"Linux {cpu_architecture} on platform version {platform_version}: Fargate Spot is supported"


@dataclass(frozen=True)
class SpotEvent:
    time: int  # seconds after the interruption notice
    event: str


def spot_interruption_timeline(stop_timeout: int = DEFAULT_STOP_TIMEOUT, *, exits_after: int | None = None,
                               service: bool = True, spot_capacity_available: bool = True,
                               replacement_start_seconds: int = 60) -> list[SpotEvent]:
    """A Fargate Spot interruption, second by second.

    ``stop_timeout``: the container's ``stopTimeout`` (0..120 s). ``exits_after``: when the
    application finishes its SIGTERM cleanup (None: it ignores SIGTERM).
    """
    require_int(stop_timeout, "stopTimeout")
    if stop_timeout > SPOT_WARNING_SECONDS:
        raise InvalidParameterException(f"stopTimeout can be at most {SPOT_WARNING_SECONDS} seconds for tasks on "
                                        f"Fargate, got {stop_timeout}", "stopTimeout")
    if exits_after is not None:
        require_int(exits_after, "exits_after")
    require_int(replacement_start_seconds, "replacement_start_seconds")
    out = [SpotEvent(0, "two-minute warning: ECS Task State Change event to EventBridge with stoppedReason "
                        "\"Your Spot Task was interrupted.\" and stopCode \"TerminationNotice\"; SIGTERM sent to the "
                        "containers")]
    if service:
        if spot_capacity_available:
            out.append(SpotEvent(0, "the service scheduler starts a replacement task on Fargate Spot"))
            out.append(SpotEvent(replacement_start_seconds, "replacement task RUNNING"))
        else:
            out.append(SpotEvent(0, "no Fargate Spot capacity: the service stays short of its desired count until "
                                    "capacity is available"))
    if exits_after is not None and exits_after <= stop_timeout:
        out.append(SpotEvent(exits_after, "containers exited after handling SIGTERM: task STOPPED cleanly"))
    else:
        out.append(SpotEvent(stop_timeout, f"stopTimeout ({stop_timeout} s) reached: SIGKILL; work not finished is lost"))
    out.append(SpotEvent(SPOT_WARNING_SECONDS, "two minutes after the notice: the Spot capacity is reclaimed"))
    return sorted(out, key=lambda e: e.time)
