"""The service scheduler: REPLICA and DAEMON services reconciled to a plan, then applied.

From "Amazon ECS services" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html)
and the service scheduler concepts page
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_scheduler_replica.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_scheduler_daemon.html):

* **REPLICA** keeps ``desiredCount`` tasks running, placed with the service's placement
  strategies and constraints (default: spread across Availability Zones). Scaling in stops
  tasks chosen to keep that balance.
* **DAEMON** runs exactly one task on each ACTIVE container instance that meets the placement
  constraints; it takes no ``desiredCount`` and no placement strategies. A newly registered
  instance gets a task; a DRAINING instance's daemon task is stopped (daemon tasks are the
  last stopped on a draining instance).
* Container instance **draining**: tasks of REPLICA services on a DRAINING instance are
  replaced on other instances (respecting the deployment's minimum healthy and maximum percent)
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html).

Service events (``ServicePlan.reasons``) use ECS's sentences (service-event-messages):
"(service web) has started 2 tasks.", "(service web) has stopped 1 running tasks: (task <id>).",
"(service web) was unable to place a task because no container instance met all of its
requirements. The closest matching container-instance <id> has insufficient memory available."
Task IDs of tasks still to start are not known when the plan is made, so "has started" has none.

Model simplification: one reconcile computes the whole plan at once; the real scheduler works
in steps and throttles launches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .deployments import unable_to_place_event
from .errors import InvalidParameterException, require_int
from .placement import PlacementResult, place_tasks, select_tasks_to_stop
from .state import ClusterState, TaskDefinition


@dataclass(frozen=True)
class ServicePlan:
    service_name: str
    scheduling_strategy: str
    group: str
    start: tuple[tuple[str, tuple[int, ...]], ...]  # (instance ARN, host ports) per task to start
    stop: tuple[str, ...]  # task ARNs to stop
    reasons: tuple[str, ...]  # human-readable, like ECS service events
    task_definition: TaskDefinition
    placement: PlacementResult | None = None

    @property
    def summary(self) -> str:
        return f"start {len(self.start)}, stop {len(self.stop)}"


def _service_fields(service: Mapping[str, Any]) -> tuple[str, str, int, TaskDefinition]:
    if not isinstance(service, Mapping) or not service.get("serviceName"):
        raise InvalidParameterException("service must have a serviceName", "serviceName")
    strategy = service.get("schedulingStrategy", "REPLICA")
    if strategy not in ("REPLICA", "DAEMON"):
        raise InvalidParameterException(
            f"Invalid schedulingStrategy {strategy!r}: use REPLICA or DAEMON", "schedulingStrategy")
    td_raw = service.get("taskDefinition")
    if isinstance(td_raw, TaskDefinition):
        td = td_raw
    elif isinstance(td_raw, Mapping):
        td = TaskDefinition.from_api(td_raw)
    else:
        raise InvalidParameterException("taskDefinition must be a task definition (dict or TaskDefinition)",
                                        "taskDefinition")
    desired = service.get("desiredCount", 0 if strategy == "DAEMON" else None)
    if strategy == "DAEMON":
        if service.get("placementStrategy"):
            raise InvalidParameterException(
                "Placement strategies are not supported with the DAEMON scheduling strategy", "placementStrategy")
        desired = 0
    require_int(desired, "desiredCount")
    return str(service["serviceName"]), str(strategy), int(desired), td


def reconcile(cluster: ClusterState, service: Mapping[str, Any]) -> ServicePlan:
    """What the service scheduler would do now to reach the service's desired state."""
    name, strategy, desired, td = _service_fields(service)
    group = f"service:{name}"
    mine = [t for t in cluster.tasks.values() if t.group == group]
    reasons: list[str] = []
    stop: list[str] = []
    if strategy == "DAEMON":
        from . import query
        from .placement import validate_constraints

        constraints = validate_constraints(list(service.get("placementConstraints") or [])
                                           + list(td.placement_constraints))
        start: list[tuple[str, tuple[int, ...]]] = []
        for inst in sorted(cluster.instances.values(), key=lambda i: i.order):
            on = [t for t in mine if t.container_instance_arn == inst.arn]
            eligible = all(query.evaluate(e, inst, cluster) for typ, e, _ in constraints if typ == "memberOf" and e)
            if inst.status == "DRAINING" or not eligible:
                for t in on:
                    stop.append(t.arn)
                    reasons.append(_stopped(name, [t.arn]))
                continue
            if not on:
                if inst.remaining_cpu >= td.cpu and inst.remaining_memory >= td.memory:
                    start.append((inst.arn, ()))
                else:
                    lacking = "memory" if inst.remaining_memory < td.memory else "CPU units"
                    reasons.append(unable_to_place_event(name) + f" The closest matching container-instance "
                                   f"{inst.arn.rsplit('/', 1)[-1]} has insufficient {lacking} available.")
            for t in on[1:]:
                stop.append(t.arn)
        if start:
            reasons.append(f"(service {name}) has started {len(start)} tasks.")
        return ServicePlan(name, strategy, group, tuple(start), tuple(stop), tuple(reasons), td)

    # REPLICA: replace tasks on draining instances, then scale to the desired count
    draining = [t for t in mine if cluster.instances[t.container_instance_arn].status == "DRAINING"]
    for t in draining:
        stop.append(t.arn)
    if draining:
        reasons.append(_stopped(name, [t.arn for t in draining]))
    keep = len(mine) - len(draining)
    placement = None
    start = []
    if keep > desired:
        work = cluster.copy()
        for arn in stop:
            work.stop_task(arn)
        extra = select_tasks_to_stop(work, group, keep - desired, service.get("placementStrategy"))
        stop += extra
        reasons.append(_stopped(name, extra))
    elif keep < desired:
        work = cluster.copy()
        for arn in stop:
            work.stop_task(arn)
        placement = place_tasks(work, td, desired - keep, placement_strategy=service.get("placementStrategy"),
                                placement_constraints=service.get("placementConstraints"), group=group,
                                default="service", started_by=f"ecs-svc/{name}")
        start = [(d.container_instance_arn, d.host_ports) for d in placement.decisions if d.container_instance_arn]
        if start:
            reasons.append(f"(service {name}) has started {len(start)} tasks.")
        missing = desired - keep - len(start)
        if missing:
            reasons.append(unable_to_place_event(name, placement))
    return ServicePlan(name, strategy, group, tuple(start), tuple(stop), tuple(reasons), td, placement)


def _stopped(service_name: str, task_arns: list[str]) -> str:
    """ECS's "(service web) has stopped 2 running tasks: (task 1a2b) (task 3c4d)." event."""
    ids = " ".join(f"(task {a.rsplit('/', 1)[-1]})" for a in task_arns)
    return f"(service {service_name}) has stopped {len(task_arns)} running tasks: {ids}."


def apply(cluster: ClusterState, plan: ServicePlan) -> ClusterState:
    """A new cluster state with the plan carried out (the input is not changed)."""
    new = cluster.copy()
    for arn in plan.stop:
        if arn in new.tasks:
            new.stop_task(arn)
    for inst_arn, ports in plan.start:
        new.start_task(plan.task_definition, inst_arn, plan.group, ports, f"ecs-svc/{plan.service_name}")
    return new
