"""From moto's stored ECS objects to the scheduler model: "moto stored this; ECS would do this".

moto keeps clusters, container instances, task definitions and services faithfully but never
schedules, and it reports 4096 CPU / 7482 MiB for every container instance. The adapter reads
what moto stored and builds a :class:`ecsbook.scheduler.state.ClusterState` with the real
figures of each instance's type (``ecs.instance-type`` attribute), its AZ and attributes, plus
the tasks moto recorded, so the model can place tasks the way ECS would.
"""

from __future__ import annotations

from typing import Any

from ecsbook.scheduler import instance_types
from ecsbook.scheduler.errors import ClientException
from ecsbook.scheduler.state import ClusterState, TaskDefinition


def _attrs(ci: dict[str, Any]) -> dict[str, str | None]:
    return {a["name"]: a.get("value") for a in ci.get("attributes", [])}


def cluster_from_moto(ecs_client: Any, cluster: str, ec2_client: Any = None) -> ClusterState:
    """Read a moto (or real-shaped) ECS cluster into the model."""
    found = ecs_client.describe_clusters(clusters=[cluster]).get("clusters", [])
    if not found:
        raise ClientException(f"Cluster not found: {cluster}. Create it first (ecs.create_cluster).", "cluster")
    state = ClusterState(name=found[0]["clusterName"])
    arns = ecs_client.list_container_instances(cluster=cluster).get("containerInstanceArns", [])
    details = ecs_client.describe_container_instances(cluster=cluster, containerInstances=arns)["containerInstances"] \
        if arns else []
    builtin = {"ecs.instance-type", "ecs.availability-zone", "ecs.os-type", "ecs.ami-id", "ecs.cpu-architecture"}
    # moto lists container instances in no stable order (their IDs are random), so the model's
    # "registration order" (its last tie-breaker) is made deterministic: by AZ, then type.
    details = sorted(details, key=lambda ci: (_attrs(ci).get("ecs.availability-zone") or "",
                                              _attrs(ci).get("ecs.instance-type") or "",
                                              str(ci.get("registeredAt", "")), ci["containerInstanceArn"]))
    for ci in details:
        attrs = _attrs(ci)
        itype = str(attrs.get("ecs.instance-type") or "m5.large")
        az = str(attrs.get("ecs.availability-zone") or "us-east-1a")
        if itype not in instance_types.INSTANCE_TYPES and ec2_client is not None:
            itype = "m5.large"
        inst = state.add_instance(itype if itype in instance_types.INSTANCE_TYPES else "m5.large", az,
                                  {k: v for k, v in attrs.items() if k not in builtin},
                                  status=ci.get("status", "ACTIVE") if ci.get("status") in ("ACTIVE", "DRAINING")
                                  else "ACTIVE")
        # keep moto's identifiers so answers can be matched back to what moto stored
        state.instances.pop(inst.arn)
        inst.arn = ci["containerInstanceArn"]
        inst.ec2_instance_id = ci.get("ec2InstanceId", inst.ec2_instance_id)
        state.instances[inst.arn] = inst
    task_arns = ecs_client.list_tasks(cluster=cluster).get("taskArns", [])
    if task_arns:
        for t in ecs_client.describe_tasks(cluster=cluster, tasks=task_arns)["tasks"]:
            if t.get("containerInstanceArn") in state.instances and t.get("lastStatus") != "STOPPED":
                td = task_definition_from_moto(ecs_client, t["taskDefinitionArn"])
                state.start_task(td, t["containerInstanceArn"], t.get("group", f"family:{td.family}"))
    return state


def task_definition_from_moto(ecs_client: Any, task_definition: str) -> TaskDefinition:
    """``DescribeTaskDefinition`` -> model ``TaskDefinition``."""
    data = ecs_client.describe_task_definition(taskDefinition=task_definition)["taskDefinition"]
    return TaskDefinition.from_api(data)


def service_from_moto(ecs_client: Any, cluster: str, service: str) -> dict[str, Any]:
    """A stored service as the dict :func:`ecsbook.scheduler.services.reconcile` takes."""
    found = [s for s in ecs_client.describe_services(cluster=cluster, services=[service]).get("services", [])
             if s.get("status", "ACTIVE") != "INACTIVE"]
    if not found:
        raise ClientException(f"Service not found: {service}", "service")
    s = found[0]
    td = ecs_client.describe_task_definition(taskDefinition=s["taskDefinition"])["taskDefinition"]
    return {
        "serviceName": s["serviceName"],
        "desiredCount": s.get("desiredCount", 0),
        "schedulingStrategy": s.get("schedulingStrategy", "REPLICA"),
        "taskDefinition": td,
        "placementStrategy": s.get("placementStrategy") or None,
        "placementConstraints": s.get("placementConstraints") or None,
        "deploymentConfiguration": s.get("deploymentConfiguration") or {},
    }
