"""Task networking arithmetic: ENIs for awsvpc tasks, ENI trunking, dynamic host ports, load balancer targets.

Pages read:

* ENI trunking, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html
  and the table at .../eni-trunking-supported-instance-types.html (full text from the archived
  2023 copy of the guide; the figures per type are in ``instance_types``):
  - each awsvpc task on EC2 gets its own ENI attached to its container instance; "the primary
    network interface counts as one", so a c5.large (3 ENIs) runs two awsvpc tasks;
  - with the ``awsvpcTrunking`` account setting ECS attaches a trunk ENI and the c5.large runs
    ten ("an increased ENI limit of twelve": the primary and the trunk count against it);
  - only instances launched after opting in get the trunk (ECS marks them with the
    ``ecs.awsvpc-trunk-id`` attribute); Linux only; not on Fargate, where every task gets an
    ENI of its own anyway; tasks must be in the instance's VPC; shared subnets unsupported.
* Load balancers, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html and nlb.html
  (load-balancer-types / register-multiple-targetgroups in the archived copy):
  - awsvpc tasks (so all Fargate tasks) need target type ``ip``, "not instance", because the
    task is associated with an ENI, not an EC2 instance; bridge and host tasks register as
    instance ID and port (target type ``instance``);
  - "you cannot attach more than five target groups to a service";
  - ALB and NLB support dynamic host port mapping: with ``hostPort`` 0 the host port "is
    dynamically chosen from the ephemeral port range of the container instance (such as 32768
    to 61000 on the latest Amazon ECS-optimized AMI)".
* PortMapping, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html:
  the ephemeral range is the instance's ``/proc/sys/net/ipv4/ip_local_port_range``; "if this
  kernel parameter is unavailable, the default ephemeral port range from 49153 through 65535
  (Linux) or 49152 through 65535 (Windows) is used". Current kernels report ``32768 60999``
  (the ALB page's "32768 to 61000" with the upper bound exclusive), which the model uses.

Errors, as ECS returns them from CreateService/UpdateService (InvalidParameterException):
"The provided target group <arn> has target type instance, which is incompatible with the
awsvpc network mode specified in the task definition." (and the same with ``ip`` and
``bridge``), and "The target group with targetGroupArn <arn> does not have an associated load
balancer.". The wording for more than five target groups is the model's.

How the model uses it: ``placement.place_tasks`` rejects an instance for an awsvpc task with
``RESOURCE:ENI`` once its awsvpc tasks reach ``awsvpc_task_capacity``; dynamic host ports are
drawn from ``dynamic_port_range(instance)``: the kernel range unless the instance carries the
custom attribute ``ip_local_port_range`` ("32768 60999", or "unavailable" for the fallback).

Left out: IPv6 and dual-stack, ENI attachment time, the per-ENI IP address limits, Windows
trunking, security groups, Classic Load Balancers, target health and deregistration delay,
and tasks on several target groups of different load balancer types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import instance_types
from .errors import InvalidParameterException
from .state import ClusterState, ContainerInstance

KERNEL_PORT_RANGE = (32768, 60999)      # ip_local_port_range on current ECS-optimized AMIs
FALLBACK_PORT_RANGE = (49153, 65535)    # API_PortMapping: kernel parameter unavailable (Linux)
WINDOWS_FALLBACK_PORT_RANGE = (49152, 65535)
PORT_RANGE_ATTRIBUTE = "ip_local_port_range"
TRUNK_ATTRIBUTE = "ecs.awsvpc-trunk-id"
MAX_TARGET_GROUPS_PER_SERVICE = 5
TARGET_TYPES = {"awsvpc": "ip", "bridge": "instance", "host": "instance"}


def dynamic_port_range(instance: ContainerInstance | None = None) -> tuple[int, int]:
    """The range dynamic host ports come from on ``instance`` (inclusive bounds)."""
    if instance is None:
        return KERNEL_PORT_RANGE
    raw = instance.attributes.get(PORT_RANGE_ATTRIBUTE)
    if raw is None:
        return KERNEL_PORT_RANGE
    if raw == "unavailable":
        windows = instance.all_attributes().get("ecs.os-type") == "windows"
        return WINDOWS_FALLBACK_PORT_RANGE if windows else FALLBACK_PORT_RANGE
    parts = str(raw).split()
    try:
        lo, hi = int(parts[0]), int(parts[1])
        if len(parts) != 2 or not 1 <= lo <= hi <= 65535:
            raise ValueError
    except (ValueError, IndexError):
        raise InvalidParameterException(
            f"attribute {PORT_RANGE_ATTRIBUTE} must look like /proc/sys/net/ipv4/ip_local_port_range "
            f"(\"32768 60999\") or be \"unavailable\", got {raw!r}", PORT_RANGE_ATTRIBUTE) from None
    return lo, hi


@dataclass(frozen=True)
class EniCapacity:
    instance_type: str
    max_enis: int
    trunking_supported: bool
    trunking: bool
    awsvpc_tasks: int          # how many awsvpc tasks the instance can host

    @property
    def eni_limit(self) -> int:
        """ENIs counted against the limit: the tasks' plus the primary (and the trunk, when used)."""
        return self.awsvpc_tasks + (2 if self.trunking else 1)

    def explain(self) -> str:
        if self.trunking:
            return (f"{self.instance_type} with awsvpcTrunking: {self.awsvpc_tasks} awsvpc tasks "
                    f"(the primary ENI and the trunk ENI count against the limit of {self.eni_limit})")
        more = (f"; awsvpcTrunking would allow {instance_types.get(self.instance_type).trunk_task_limit}"
                if self.trunking_supported else "; ENI trunking is not supported on this type")
        return (f"{self.instance_type} has {self.max_enis} ENIs; the primary one is the instance's, so "
                f"{self.awsvpc_tasks} awsvpc tasks{more}")


def eni_capacity(instance_type: str, trunking: bool = False) -> EniCapacity:
    """awsvpc task capacity of an EC2 type, with or without ENI trunking.

    >>> eni_capacity("c5.large").awsvpc_tasks, eni_capacity("c5.large", trunking=True).awsvpc_tasks
    (2, 10)
    """
    it = instance_types.get(instance_type)
    if not isinstance(trunking, bool):
        raise InvalidParameterException(f"trunking must be true or false, got {trunking!r}", "awsvpcTrunking")
    on = trunking and it.trunking_supported
    return EniCapacity(it.name, it.max_enis, it.trunking_supported, on, it.awsvpc_task_limit(on))


def trunking_active(instance: ContainerInstance) -> bool:
    """ECS attached a trunk ENI: the instance has ``ecs.awsvpc-trunk-id`` and a supported type."""
    if TRUNK_ATTRIBUTE not in instance.attributes:
        return False
    it = instance_types.INSTANCE_TYPES.get(instance.instance_type)
    return bool(it and it.trunking_supported)


def awsvpc_task_capacity(instance: ContainerInstance) -> int | None:
    """How many awsvpc tasks ``instance`` can host; ``None`` for a type the model does not know."""
    it = instance_types.INSTANCE_TYPES.get(instance.instance_type)
    if it is None or not it.max_enis:
        return None
    return it.awsvpc_task_limit(trunking_active(instance))


def task_network_mode(task: Any) -> str:
    """The network mode a placed task was started with (``Task.network_mode``, set by
    ``ClusterState.start_task``; empty for tasks read from an API dump without it)."""
    return str(getattr(task, "network_mode", "") or "")


def awsvpc_tasks_by_instance(cluster: ClusterState) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in cluster.tasks.values():
        if task_network_mode(t) == "awsvpc":
            out[t.container_instance_arn] = out.get(t.container_instance_arn, 0) + 1
    return out


def remaining_eni_slots(instances: Sequence[ContainerInstance], cluster: ClusterState) -> dict[str, int | None]:
    """instance ARN -> awsvpc tasks it can still take (``None``: not limited by the model)."""
    used = awsvpc_tasks_by_instance(cluster)
    out: dict[str, int | None] = {}
    for inst in instances:
        cap = awsvpc_task_capacity(inst)
        out[inst.arn] = None if cap is None else cap - used.get(inst.arn, 0)
    return out


def eni_rejection(instance: ContainerInstance) -> str:
    """The placement reason for an instance whose ENIs are all in use."""
    cap = awsvpc_task_capacity(instance)
    it = instance_types.INSTANCE_TYPES.get(instance.instance_type)
    hint = ""
    if it is not None and not trunking_active(instance):
        hint = (f"; with awsvpcTrunking a new {it.name} would take {it.trunk_task_limit}" if it.trunking_supported
                else "; this type does not support ENI trunking")
    return f"RESOURCE:ENI (all {cap} ENIs for awsvpc tasks on this {instance.instance_type} are in use{hint})"


# ----------------------------------------------------------------------------- load balancers


def target_type_for(network_mode: str) -> str:
    """The target group type a service's tasks need: ``ip`` for awsvpc, ``instance`` otherwise."""
    if network_mode not in TARGET_TYPES:
        raise InvalidParameterException(
            f"Tasks with networkMode {network_mode!r} cannot be registered with a load balancer "
            "(use awsvpc, bridge or host)", "networkMode")
    return TARGET_TYPES[network_mode]


def validate_service_load_balancers(load_balancers: Sequence[Mapping[str, Any]], network_mode: str,
                                    target_groups: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """Check a service's ``loadBalancers`` as CreateService does; returns the target group ARNs.

    ``target_groups`` maps an ARN to its ``DescribeTargetGroups`` entry (``TargetType``,
    ``LoadBalancerArns``); unknown ARNs are not checked against it.
    """
    if not isinstance(load_balancers, (list, tuple)):
        raise InvalidParameterException("loadBalancers must be a list", "loadBalancers")
    if len(load_balancers) > MAX_TARGET_GROUPS_PER_SERVICE:
        raise InvalidParameterException(
            f"A service can have at most {MAX_TARGET_GROUPS_PER_SERVICE} target groups; "
            f"{len(load_balancers)} were given", "loadBalancers")
    want = target_type_for(network_mode) if load_balancers else ""
    arns: list[str] = []
    for lb in load_balancers:
        if not isinstance(lb, Mapping) or not isinstance(lb.get("targetGroupArn"), str):
            raise InvalidParameterException("each load balancer needs a targetGroupArn", "targetGroupArn")
        arn = str(lb["targetGroupArn"])
        port = lb.get("containerPort")
        if not lb.get("containerName") or isinstance(port, bool) or not isinstance(port, int):
            raise InvalidParameterException(
                "each load balancer needs containerName and an integer containerPort", "containerPort")
        tg = (target_groups or {}).get(arn)
        if tg is not None:
            if not tg.get("LoadBalancerArns"):
                raise InvalidParameterException(
                    f"The target group with targetGroupArn {arn} does not have an associated load balancer.",
                    "targetGroupArn")
            have = str(tg.get("TargetType", "instance"))
            if have != want:
                raise InvalidParameterException(
                    f"The provided target group {arn} has target type {have}, which is incompatible with the "
                    f"{network_mode} network mode specified in the task definition.", "targetGroupArn")
        arns.append(arn)
    return arns


def target_for(network_mode: str, container_port: int, *, host_port: int | None = None,
               ec2_instance_id: str | None = None, task_ip: str | None = None) -> dict[str, Any]:
    """What ECS registers in the target group for one task (ELB ``RegisterTargets`` shape)."""
    kind = target_type_for(network_mode)
    if kind == "ip":
        if not task_ip:
            raise InvalidParameterException("an awsvpc task registers its ENI's private IP: give task_ip", "task_ip")
        return {"Id": task_ip, "Port": container_port}
    if not ec2_instance_id:
        raise InvalidParameterException("bridge and host tasks register the instance ID: give ec2_instance_id",
                                        "ec2_instance_id")
    port = container_port if network_mode == "host" else host_port
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise InvalidParameterException("a bridge task registers its host port: give the assigned host_port",
                                        "host_port")
    return {"Id": ec2_instance_id, "Port": port}


__all__ = [
    "FALLBACK_PORT_RANGE",
    "KERNEL_PORT_RANGE",
    "MAX_TARGET_GROUPS_PER_SERVICE",
    "PORT_RANGE_ATTRIBUTE",
    "TRUNK_ATTRIBUTE",
    "EniCapacity",
    "awsvpc_task_capacity",
    "awsvpc_tasks_by_instance",
    "dynamic_port_range",
    "eni_capacity",
    "eni_rejection",
    "remaining_eni_slots",
    "target_for",
    "target_type_for",
    "trunking_active",
    "validate_service_load_balancers",
]
