"""Task placement: the pipeline ECS documents, with a reason for every instance not chosen.

"When Amazon ECS places tasks, it uses the following process to select container instances:
identify the instances that satisfy the CPU, GPU, memory and port requirements in the task
definition; identify the instances that satisfy the task placement constraints; identify the
instances that satisfy the task placement strategies; select the instances for task
placement." (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html)

* **Strategies** (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html):
  ``binpack`` on ``cpu`` or ``memory`` (the instance with the *least* remaining amount that
  still fits), ``spread`` on ``instanceId`` (or ``host``) or any attribute such as
  ``attribute:ecs.availability-zone``, and ``random``. Strategies are best effort and are
  evaluated in order: each later strategy breaks the ties of the earlier ones. At most 5.
  Defaults: tasks of a *service* are spread across Availability Zones
  (``spread(attribute:ecs.availability-zone)``); the model adds ``spread(instanceId)`` as the
  documented console default for services. Standalone tasks (RunTask) with no strategy are
  placed ``random`` here (the model's simplification of "no preference").
* **Constraints** (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html)
  are binding filters: ``distinctInstance`` (each task of the group on a different instance)
  and ``memberOf`` with a cluster query language expression. At most 10 per task.
* **Fargate**: placement strategies and constraints are not supported; Fargate spreads tasks
  across Availability Zones (the subnets you give) by itself.
* **Task groups**: a service's tasks are in group ``service:<name>``; standalone tasks default
  to ``family:<family>``. Spread and distinctInstance count tasks of the same group.

* **ENIs** (``networking``): an ``awsvpc`` task on EC2 takes one of the instance's ENIs; an
  instance whose awsvpc task limit (ENIs minus the primary, or the ENI trunking figure) is
  reached is rejected with ``RESOURCE:ENI``. Dynamic host ports come from the instance's
  kernel range (``networking.dynamic_port_range``: 32768-60999, or 49153-65535 as fallback).

Model simplifications: every task is placed one at a time, in order; ECS may batch. Ties left
after all strategies go to the instance registered first (or are chosen by ``random``).
"""

from __future__ import annotations

import random as _random
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import bisect

from . import networking, query
from .errors import InvalidParameterException, require_int
from .state import ClusterState, ContainerInstance, TaskDefinition

MAX_STRATEGIES = 5
MAX_CONSTRAINTS = 10
SERVICE_DEFAULT = ({"type": "spread", "field": "attribute:ecs.availability-zone"},
                   {"type": "spread", "field": "instanceId"})
RUN_TASK_DEFAULT = ({"type": "random"},)


# ----------------------------------------------------------------------------- validation


def validate_strategy(strategy: Sequence[Mapping[str, Any]] | None) -> list[tuple[str, str]]:
    """``placementStrategy`` -> ``[(type, field), ...]``; ECS-style errors for bad input."""
    if strategy is None:
        return []
    if not isinstance(strategy, (list, tuple)):
        raise InvalidParameterException("placementStrategy must be a list", "placementStrategy")
    if len(strategy) > MAX_STRATEGIES:
        raise InvalidParameterException(
            f"placementStrategy can contain at most {MAX_STRATEGIES} strategies, got {len(strategy)}",
            "placementStrategy")
    out: list[tuple[str, str]] = []
    for item in strategy:
        if not isinstance(item, Mapping):
            raise InvalidParameterException(f"Invalid placement strategy {item!r}", "placementStrategy")
        typ = item.get("type")
        fld = item.get("field")
        if typ not in ("binpack", "spread", "random"):
            raise InvalidParameterException(
                f"Invalid strategy type: {typ}. Valid types are binpack, spread, random", "type")
        if typ == "binpack":
            if fld not in ("cpu", "memory"):
                raise InvalidParameterException(
                    f"Invalid field for binpack strategy: {fld}. Valid fields are cpu, memory", "field")
        elif typ == "spread":
            if not isinstance(fld, str) or not (fld in ("instanceId", "host") or
                                                (fld.startswith("attribute:") and len(fld) > 10)):
                raise InvalidParameterException(
                    f"Invalid field for spread strategy: {fld}. Use instanceId, host or attribute:<name>", "field")
            fld = "instanceId" if fld == "host" else fld
        else:
            if fld not in (None, ""):
                raise InvalidParameterException("The random strategy does not take a field", "field")
            fld = ""
        out.append((str(typ), str(fld)))
    return out


def validate_constraints(constraints: Sequence[Mapping[str, Any]] | None) -> list[tuple[str, query.Expr | None, str]]:
    """``placementConstraints`` -> ``[(type, parsed expression, text), ...]``."""
    if constraints is None:
        return []
    if not isinstance(constraints, (list, tuple)):
        raise InvalidParameterException("placementConstraints must be a list", "placementConstraints")
    if len(constraints) > MAX_CONSTRAINTS:
        raise InvalidParameterException(
            f"placementConstraints can contain at most {MAX_CONSTRAINTS} constraints, got {len(constraints)}",
            "placementConstraints")
    out: list[tuple[str, query.Expr | None, str]] = []
    for c in constraints:
        typ = c.get("type") if isinstance(c, Mapping) else None
        if typ == "distinctInstance":
            if c.get("expression"):
                raise InvalidParameterException("distinctInstance does not take an expression", "expression")
            out.append(("distinctInstance", None, ""))
        elif typ == "memberOf":
            text = c.get("expression")
            if not text:
                raise InvalidParameterException("memberOf constraint requires an expression", "expression")
            out.append(("memberOf", query.parse(str(text)), str(text)))
        else:
            raise InvalidParameterException(
                f"Invalid constraint type: {typ}. Valid types are distinctInstance, memberOf", "type")
    return out


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Decision:
    """Where one task went, and why every other instance was not chosen."""

    task_index: int
    container_instance_arn: str | None
    ec2_instance_id: str | None
    availability_zone: str | None
    host_ports: tuple[int, ...]
    rejections: Mapping[str, str]  # instance ARN -> reason

    @property
    def placed(self) -> bool:
        return self.container_instance_arn is not None


@dataclass(frozen=True)
class PlacementResult:
    task_definition: TaskDefinition
    group: str
    strategy: tuple[tuple[str, str], ...]
    decisions: tuple[Decision, ...]
    failures: tuple[Mapping[str, str], ...]
    started_by: str = ""

    @property
    def placements(self) -> list[tuple[int, str]]:
        return [(d.task_index, d.container_instance_arn) for d in self.decisions if d.container_instance_arn]

    @property
    def rejections(self) -> Mapping[str, str]:
        """Reasons for the first task's decision (every instance not chosen)."""
        return self.decisions[0].rejections if self.decisions else {}

    def counts_by(self, key: str = "instance") -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.decisions:
            if d.placed:
                k = d.availability_zone if key == "az" else d.ec2_instance_id
                out[str(k)] = out.get(str(k), 0) + 1
        return out

    def apply(self, cluster: ClusterState) -> ClusterState:
        """A new cluster state with the placed tasks running (the input is not changed)."""
        new = cluster.copy()
        for d in self.decisions:
            if d.container_instance_arn:
                new.start_task(self.task_definition, d.container_instance_arn, self.group, d.host_ports,
                               self.started_by)
        return new


# ----------------------------------------------------------------------------- the pipeline


@dataclass
class _Work:
    """Mutable bookkeeping while placing (a scratch copy of what placement changes)."""

    cpu: dict[str, int]
    mem: dict[str, int]
    ports: dict[str, set[int]]
    group_on: dict[str, int]  # instance -> tasks of the group
    group_by_value: dict[str, dict[str | None, int]] = field(default_factory=dict)
    next_dynamic: dict[str, int] = field(default_factory=dict)
    enis: dict[str, int | None] = field(default_factory=dict)  # awsvpc task slots left (networking)
    port_range: dict[str, tuple[int, int]] = field(default_factory=dict)


def _attr_value(inst: ContainerInstance, fld: str) -> str | None:
    if fld == "instanceId":
        return inst.arn
    return inst.all_attributes().get(fld[len("attribute:"):])


def _fit_reason(inst: ContainerInstance, td: TaskDefinition, w: _Work) -> str | None:
    if inst.status != "ACTIVE":
        return f"{inst.status}: instance is draining; no new tasks are placed on it"
    if w.cpu[inst.arn] < td.cpu:
        return f"RESOURCE:CPU (needs {td.cpu}, {w.cpu[inst.arn]} remaining)"
    if w.mem[inst.arn] < td.memory:
        return f"RESOURCE:MEMORY (needs {td.memory} MiB, {w.mem[inst.arn]} remaining)"
    busy = [p for p in td.host_ports if p in w.ports[inst.arn]]
    if busy:
        return f"RESOURCE:PORTS (host port {busy[0]} already in use)"
    if td.dynamic_ports and _free_dynamic(inst.arn, w) < td.dynamic_ports:
        lo, hi = w.port_range.get(inst.arn) or networking.KERNEL_PORT_RANGE
        return f"RESOURCE:PORTS (no free dynamic host port left in {lo}-{hi})"
    left = w.enis.get(inst.arn)
    if left is not None and left <= 0:
        return networking.eni_rejection(inst)
    return None


def _free_dynamic(inst_arn: str, w: _Work) -> int:
    lo, hi = w.port_range.get(inst_arn) or networking.KERNEL_PORT_RANGE
    return hi - lo + 1 - sum(1 for p in w.ports[inst_arn] if lo <= p <= hi)


def _dynamic_ports(inst_arn: str, n: int, w: _Work) -> tuple[int, ...]:
    out: list[int] = []
    lo, hi = w.port_range.get(inst_arn) or networking.KERNEL_PORT_RANGE
    p = w.next_dynamic.get(inst_arn, lo)
    while len(out) < n and p <= hi:
        if p not in w.ports[inst_arn]:
            out.append(p)
        p += 1
    w.next_dynamic[inst_arn] = p
    return tuple(out)


def _fast_plan(strategies: list[tuple[str, str]]) -> tuple[str | None, list[tuple[str, str]]] | None:
    """Can the indexed fast path handle this strategy chain? Returns (bucket field, rest)."""
    rest = list(strategies)
    bucket: str | None = None
    if rest and rest[0][0] == "spread" and rest[0][1] != "instanceId":
        bucket = rest.pop(0)[1]
    for typ, fld in rest:
        if typ == "random" or (typ == "spread" and fld != "instanceId" and fld != bucket):
            return None
    return bucket, rest


def _place_fast(insts: list[ContainerInstance], td: TaskDefinition, count: int, w: _Work,
                candidates_ok: dict[str, bool], bucket_field: str | None,
                rest: list[tuple[str, str]], values: dict[str, dict[str, str | None]],
                spread_fields: set[str]) -> list[tuple[str | None, tuple[int, ...]]]:
    """Indexed placement: same answers as the general loop, O(log n) per task.

    Instances are bucketed by the first spread attribute; inside a bucket they are kept in a
    sorted list keyed by the remaining strategies. An instance that cannot fit the task now
    never will later in this call (resources only shrink), so it is dropped for good.
    """
    def key(arn: str, order: int) -> tuple[int, ...]:
        parts = []
        for typ, fld in rest:
            if typ == "binpack":
                parts.append(w.cpu[arn] if fld == "cpu" else w.mem[arn])
            elif typ == "spread":
                parts.append(w.group_on[arn])
        parts.append(order)
        return tuple(parts)

    buckets: dict[str | None, list[tuple[tuple[int, ...], str]]] = {}
    by_arn = {i.arn: i for i in insts}
    for i in insts:
        if candidates_ok[i.arn]:
            b = values[bucket_field][i.arn] if bucket_field else None
            buckets.setdefault(b, []).append((key(i.arn, i.order), i.arn))
    for lst in buckets.values():
        lst.sort()

    def fits(arn: str) -> bool:
        left = w.enis.get(arn)
        return (w.cpu[arn] >= td.cpu and w.mem[arn] >= td.memory
                and not any(p in w.ports[arn] for p in td.host_ports) and (left is None or left > 0)
                and (not td.dynamic_ports or _free_dynamic(arn, w) >= td.dynamic_ports))

    out: list[tuple[str | None, tuple[int, ...]]] = []
    counts = w.group_by_value.get(bucket_field, {}) if bucket_field else {}
    for _ in range(count):
        best: tuple[Any, ...] | None = None
        best_b: str | None = None
        for b, lst in buckets.items():
            while lst and not fits(lst[0][1]):
                lst.pop(0)
            if not lst:
                continue
            cand = (counts.get(b, 0) if bucket_field else 0, lst[0][0])
            if best is None or cand < best:
                best, best_b = cand, b
        if best is None:
            out.append((None, ()))
            continue
        lst = buckets[best_b]
        _, arn = lst.pop(0)
        ports = td.host_ports + _dynamic_ports(arn, td.dynamic_ports, w)
        w.cpu[arn] -= td.cpu
        w.mem[arn] -= td.memory
        w.ports[arn].update(ports)
        w.group_on[arn] += 1
        if w.enis.get(arn) is not None:
            w.enis[arn] = int(w.enis[arn] or 0) - 1
        for f in spread_fields:
            v = values[f][arn]
            w.group_by_value[f][v] = w.group_by_value[f].get(v, 0) + 1
        if fits(arn):
            bisect.insort(lst, (key(arn, by_arn[arn].order), arn))
        out.append((arn, ports))
    return out


def place_tasks(
    cluster: ClusterState,
    task_definition: TaskDefinition | Mapping[str, Any],
    count: int = 1,
    *,
    placement_strategy: Sequence[Mapping[str, Any]] | None = None,
    placement_constraints: Sequence[Mapping[str, Any]] | None = None,
    group: str | None = None,
    launch_type: str = "EC2",
    default: str = "run_task",
    rng: _random.Random | None = None,
    started_by: str = "",
    explain: bool = True,
) -> PlacementResult:
    """Decide where ``count`` tasks go. Pure: ``cluster`` is not changed (see ``.apply``).

    ``explain=False`` skips recording the per-instance reasons (for large simulations).
    """
    td = task_definition if isinstance(task_definition, TaskDefinition) else TaskDefinition.from_api(task_definition)
    require_int(count, "count")
    if launch_type not in ("EC2", "FARGATE", "EXTERNAL"):
        raise InvalidParameterException(f"Invalid launchType {launch_type!r}: use EC2, FARGATE or EXTERNAL",
                                        "launchType")
    if launch_type == "FARGATE":
        if placement_strategy or placement_constraints:
            raise InvalidParameterException(
                "Task placement strategies and constraints are not supported for tasks on Fargate",
                "placementStrategy" if placement_strategy else "placementConstraints")
        raise InvalidParameterException(
            "Fargate tasks are not placed on container instances; use fargate spreading (see spread_fargate_tasks)",
            "launchType")
    if default not in ("run_task", "service"):
        raise InvalidParameterException("default must be 'run_task' or 'service'", "default")
    strategies = validate_strategy(placement_strategy)
    if not placement_strategy:
        strategies = validate_strategy(SERVICE_DEFAULT if default == "service" else RUN_TASK_DEFAULT)
    constraints = validate_constraints(list(placement_constraints or []) + list(td.placement_constraints))
    rng = rng or _random.Random(0)
    group = group or f"family:{td.family}"

    insts = sorted(cluster.instances.values(), key=lambda i: i.order)
    w = _Work(
        cpu={i.arn: i.remaining_cpu for i in insts},
        mem={i.arn: i.remaining_memory for i in insts},
        ports={i.arn: set(i.used_ports) for i in insts},
        group_on={i.arn: 0 for i in insts},
    )
    if td.network_mode == "awsvpc" and launch_type == "EC2":
        w.enis = networking.remaining_eni_slots(insts, cluster)
    if td.dynamic_ports:
        w.port_range = {i.arn: networking.dynamic_port_range(i) for i in insts}
    for t in cluster.tasks.values():
        if t.group == group and t.container_instance_arn in w.group_on:
            w.group_on[t.container_instance_arn] += 1
    spread_fields = {f for s, f in strategies if s == "spread" and f != "instanceId"}
    values = {f: {i.arn: _attr_value(i, f) for i in insts} for f in spread_fields}
    for f in spread_fields:
        counts: dict[str | None, int] = {}
        for arn, n in w.group_on.items():
            counts[values[f][arn]] = counts.get(values[f][arn], 0) + n
        w.group_by_value[f] = counts

    # memberOf expressions that do not look at tasks can be evaluated once
    static_ok: dict[str, str | None] = {}
    dynamic_constraints = []
    for typ, expr, text in constraints:
        if typ == "memberOf" and expr is not None and "task:group" not in text:
            for i in insts:
                if static_ok.get(i.arn) is None and not query.evaluate(expr, i, cluster):
                    static_ok[i.arn] = f"CONSTRAINT: memberOf({text})"
        else:
            dynamic_constraints.append((typ, expr, text))
    has_dynamic = bool(dynamic_constraints)
    scratch = cluster.copy() if any(t == "memberOf" for t, _, _ in dynamic_constraints) else None

    decisions: list[Decision] = []
    failures: list[Mapping[str, str]] = []
    plan = _fast_plan(strategies) if not explain and not has_dynamic else None
    if plan is not None:
        ok = {i.arn: i.status == "ACTIVE" and i.arn not in static_ok for i in insts}
        chosen_list = _place_fast(insts, td, count, w, ok, plan[0], plan[1], values, spread_fields)
        azs = {i.arn: (i.ec2_instance_id, i.availability_zone) for i in insts}
        for k, (got, ports) in enumerate(chosen_list):
            if got is None:
                decisions.append(Decision(k, None, None, None, (), {}))
                failures.append({"arn": f"arn:aws:ecs:us-east-1:123456789012:cluster/{cluster.name}",
                                 "reason": "RESOURCE", "detail": f"task {k}: no container instance met all requirements"})
            else:
                decisions.append(Decision(k, got, azs[got][0], azs[got][1], ports, {}))
        return PlacementResult(td, group, tuple(strategies), tuple(decisions), tuple(failures), started_by)
    for k in range(count):
        reasons: dict[str, str] = {}
        kinds: dict[str, int] = {}
        candidates: list[ContainerInstance] = []
        for inst in insts:
            why = _fit_reason(inst, td, w) or static_ok.get(inst.arn)
            if why is None and has_dynamic:
                for typ, expr, text in dynamic_constraints:
                    if typ == "distinctInstance" and w.group_on[inst.arn] > 0:
                        why = f"CONSTRAINT: distinctInstance (already runs a task of {group})"
                        break
                    if typ == "memberOf" and expr is not None and not query.evaluate(expr, inst, scratch):
                        why = f"CONSTRAINT: memberOf({text})"
                        break
            if why is None:
                candidates.append(inst)
            else:
                kind = why.split(" ")[0].rstrip(":")
                kinds[kind] = kinds.get(kind, 0) + 1
                if explain:
                    reasons[inst.arn] = why
        if not candidates:
            decisions.append(Decision(k, None, None, None, (), reasons))
            reason = max(sorted(kinds), key=lambda kd: kinds[kd]) if kinds else "MISSING"
            failures.append({"arn": f"arn:aws:ecs:us-east-1:123456789012:cluster/{cluster.name}",
                             "reason": reason, "detail": f"task {k}: no container instance met all requirements"})
            continue
        for typ, fld in strategies:
            if len(candidates) == 1:
                break
            if typ == "random":
                pick = candidates[rng.randrange(len(candidates))]
                if explain:
                    for c in candidates:
                        if c is not pick:
                            reasons[c.arn] = "lost the tie-break to random"
                candidates = [pick]
                break
            if typ == "binpack":
                res = w.cpu if fld == "cpu" else w.mem
                scores = {c.arn: res[c.arn] for c in candidates}
                label = f"binpack({fld}): more {fld} remaining"
            elif fld == "instanceId":
                scores = {c.arn: w.group_on[c.arn] for c in candidates}
                label = f"spread(instanceId): already runs more tasks of {group}"
            else:
                counts = w.group_by_value[fld]
                scores = {c.arn: counts.get(values[fld][c.arn], 0) for c in candidates}
                label = f"spread({fld}): its value already has more tasks of {group}"
            best = min(scores.values())
            keep = [c for c in candidates if scores[c.arn] == best]
            if explain:
                for c in candidates:
                    if scores[c.arn] != best:
                        reasons[c.arn] = f"{label} ({scores[c.arn]} vs {best})"
            candidates = keep
        chosen = candidates[0]
        if explain:
            for c in candidates[1:]:
                reasons[c.arn] = "tied on every strategy; lost to the instance registered earlier"
        ports = td.host_ports + _dynamic_ports(chosen.arn, td.dynamic_ports, w)
        w.cpu[chosen.arn] -= td.cpu
        w.mem[chosen.arn] -= td.memory
        w.ports[chosen.arn].update(ports)
        w.group_on[chosen.arn] += 1
        if w.enis.get(chosen.arn) is not None:
            w.enis[chosen.arn] = int(w.enis[chosen.arn] or 0) - 1
        for f in spread_fields:
            v = values[f][chosen.arn]
            w.group_by_value[f][v] = w.group_by_value[f].get(v, 0) + 1
        if scratch is not None:
            scratch.start_task(td, chosen.arn, group, ports, started_by)
        decisions.append(Decision(k, chosen.arn, chosen.ec2_instance_id, chosen.availability_zone, ports, reasons))
    return PlacementResult(td, group, tuple(strategies), tuple(decisions), tuple(failures), started_by)


# ----------------------------------------------------------------------------- scale-in


def select_tasks_to_stop(cluster: ClusterState, group: str, count: int,
                         placement_strategy: Sequence[Mapping[str, Any]] | None = None) -> list[str]:
    """Which tasks of ``group`` a service stops when it scales in.

    As documented for each strategy: with ``spread`` ECS keeps the spread balanced (it stops
    tasks where the field value has the most tasks of the group); with ``binpack`` it stops
    tasks so as to leave the most resources free on as few instances as possible (the
    instance with the most remaining resource loses a task first: the emptiest instance is
    emptied). ``random`` picks at random (here: deterministically, newest first).
    """
    strategies = validate_strategy(placement_strategy) or validate_strategy(SERVICE_DEFAULT)
    require_int(count, "count")
    work = cluster.copy()
    stopped: list[str] = []
    for _ in range(count):
        tasks = [t for t in work.tasks.values() if t.group == group]
        if not tasks:
            break
        def key(t: Any) -> tuple[Any, ...]:
            inst = work.instances[t.container_instance_arn]
            parts: list[Any] = []
            for typ, fld in strategies:
                if typ == "spread":
                    if fld == "instanceId":
                        parts.append(-len(work.tasks_on(inst.arn, group)))
                    else:
                        v = _attr_value(inst, fld)
                        parts.append(-sum(1 for x in tasks if _attr_value(work.instances[x.container_instance_arn], fld) == v))
                elif typ == "binpack":
                    parts.append(-(inst.remaining_cpu if fld == "cpu" else inst.remaining_memory))
            parts.append(-inst.order)
            return tuple(parts)
        victim = min(tasks, key=key)
        work.stop_task(victim.arn)
        stopped.append(victim.arn)
    return stopped


# ----------------------------------------------------------------------------- Fargate


def spread_fargate_tasks(count: int, subnets_by_az: Mapping[str, Sequence[str]],
                         existing: Mapping[str, int] | None = None) -> dict[str, int]:
    """Fargate places tasks across the Availability Zones of the subnets you give, evenly.

    Model: each new task goes to the AZ with the fewest tasks of the service (ties in AZ
    order). Real Fargate also balances on capacity availability.
    """
    if not subnets_by_az:
        raise InvalidParameterException("awsvpcConfiguration.subnets must contain at least one subnet", "subnets")
    counts = {az: (existing or {}).get(az, 0) for az in sorted(subnets_by_az)}
    out = {az: 0 for az in counts}
    for _ in range(count):
        az = min(counts, key=lambda a: (counts[a], a))
        counts[az] += 1
        out[az] += 1
    return out


__all__ = ["place_tasks", "select_tasks_to_stop", "spread_fargate_tasks", "validate_strategy",
           "validate_constraints", "PlacementResult", "Decision"]
