"""Cluster state in the ECS API's own shapes: container instances, tasks, task definitions.

Each class converts from and to the JSON ECS returns (``DescribeContainerInstances``,
``DescribeTasks``, ``DescribeTaskDefinition``), so a moto cluster or a hand-written dict can be
loaded, and the model's answers read like ECS's.

Ports: a container instance starts with the reserved ports 22, 2375, 2376 and 51678-51680
(SSH, Docker, the ECS agent). They belong to the *instance*: a task definition that asks for
one of them as a ``hostPort`` registers, and placement then rejects every instance with
``RESOURCE:PORTS``. In ``bridge`` mode a ``hostPort`` of 0 (or omitted) gets a
*dynamic* port from the ephemeral range (Linux default 49153-65535 when the kernel range is
unavailable), so many copies of the task fit on one instance; a fixed ``hostPort`` allows one
copy per instance. In ``host`` mode the host port is the container port. In ``awsvpc`` mode
each task has its own network interface, so host ports never conflict. In ``awsvpc`` and
``host`` mode a ``hostPort`` must be omitted or equal to the ``containerPort``
(https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html).

Checked when a definition is read, as ``RegisterTaskDefinition`` checks it: a definition
that requires ``FARGATE`` must use ``awsvpc``
(https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html,
``networkMode``), and ``ephemeralStorage.sizeInGiB`` is 21..200
(https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html).

Model simplifications: awsvpc tasks on EC2 are not limited by the instance's ENI count; GPU
and ENI resources are not modelled.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from . import instance_types
from .errors import ClientException, InvalidParameterException

RESERVED_PORTS = frozenset({22, 2375, 2376, 51678, 51679, 51680})
EPHEMERAL_RANGE = (49153, 65535)
EPHEMERAL_STORAGE_GIB = (21, 200)  # RegisterTaskDefinition ephemeralStorage.sizeInGiB range
ACCOUNT = "123456789012"
REGION = "us-east-1"


def _arn(kind: str, cluster: str, ident: str) -> str:
    return f"arn:aws:ecs:{REGION}:{ACCOUNT}:{kind}/{cluster}/{ident}"


@dataclass
class ContainerInstance:
    """One EC2 instance registered to the cluster."""

    arn: str
    ec2_instance_id: str
    instance_type: str
    availability_zone: str
    cpu: int
    memory: int
    remaining_cpu: int
    remaining_memory: int
    used_ports: set[int] = field(default_factory=lambda: set(RESERVED_PORTS))
    attributes: dict[str, str | None] = field(default_factory=dict)
    status: str = "ACTIVE"
    running_tasks_count: int = 0
    registered_at: str = "2026-01-01T00:00:00Z"
    agent_connected: bool = True
    agent_version: str = "1.89.0"
    order: int = 0  # registration order, the final tie-breaker

    def all_attributes(self) -> dict[str, str | None]:
        attrs: dict[str, str | None] = {
            "ecs.availability-zone": self.availability_zone,
            "ecs.instance-type": self.instance_type,
            "ecs.os-type": "linux",
            "ecs.cpu-architecture": instance_types.INSTANCE_TYPES[self.instance_type].architecture
            if self.instance_type in instance_types.INSTANCE_TYPES else "x86_64",
        }
        attrs.update(self.attributes)
        return attrs

    @classmethod
    def from_api(cls, data: Mapping[str, Any], order: int = 0) -> "ContainerInstance":
        def res(items: Iterable[Mapping[str, Any]], name: str) -> Any:
            for r in items or []:
                if r.get("name") == name:
                    if r.get("type") == "STRINGSET":
                        return r.get("stringSetValue", [])
                    return r.get("integerValue", 0)
            return None

        try:
            reg = data.get("registeredResources", [])
            rem = data.get("remainingResources", reg)
            attrs = {a["name"]: a.get("value") for a in data.get("attributes", [])}
            cpu = int(res(reg, "CPU") or 0)
            mem = int(res(reg, "MEMORY") or 0)
            ports = set(RESERVED_PORTS) | {int(p) for p in (res(rem, "PORTS") or [])}
            return cls(
                arn=str(data["containerInstanceArn"]),
                ec2_instance_id=str(data.get("ec2InstanceId", "")),
                instance_type=str(attrs.get("ecs.instance-type") or "unknown"),
                availability_zone=str(attrs.get("ecs.availability-zone") or "unknown"),
                cpu=cpu, memory=mem,
                remaining_cpu=int(res(rem, "CPU") if res(rem, "CPU") is not None else cpu),
                remaining_memory=int(res(rem, "MEMORY") if res(rem, "MEMORY") is not None else mem),
                used_ports=ports,
                attributes={k: v for k, v in attrs.items()
                            if k not in {"ecs.availability-zone", "ecs.instance-type"}},
                status=str(data.get("status", "ACTIVE")),
                running_tasks_count=int(data.get("runningTasksCount", 0)),
                agent_connected=bool(data.get("agentConnected", True)),
                agent_version=str((data.get("versionInfo") or {}).get("agentVersion", "1.89.0")),
                order=order,
            )
        except (KeyError, TypeError, ValueError) as err:
            raise InvalidParameterException(f"Invalid container instance JSON: {err}", "containerInstance") from None

    def to_api(self) -> dict[str, Any]:
        def r(name: str, v: Any) -> dict[str, Any]:
            if name == "PORTS":
                return {"name": name, "type": "STRINGSET", "stringSetValue": [str(p) for p in sorted(v)]}
            return {"name": name, "type": "INTEGER", "integerValue": v}

        return {
            "containerInstanceArn": self.arn,
            "ec2InstanceId": self.ec2_instance_id,
            "status": self.status,
            "agentConnected": self.agent_connected,
            "runningTasksCount": self.running_tasks_count,
            "registeredResources": [r("CPU", self.cpu), r("MEMORY", self.memory), r("PORTS", RESERVED_PORTS)],
            "remainingResources": [r("CPU", self.remaining_cpu), r("MEMORY", self.remaining_memory),
                                   r("PORTS", self.used_ports)],
            "attributes": [{"name": k, "value": v} if v is not None else {"name": k}
                           for k, v in sorted(self.all_attributes().items())],
            "versionInfo": {"agentVersion": self.agent_version},
        }


@dataclass(frozen=True)
class TaskDefinition:
    """The parts of a task definition that placement needs."""

    family: str
    revision: int = 1
    cpu: int = 0  # CPU units the task reserves on an instance
    memory: int = 0  # MiB the task reserves
    host_ports: tuple[int, ...] = ()  # fixed host ports (0 = dynamic, not listed)
    dynamic_ports: int = 0  # how many dynamic host ports it needs
    network_mode: str = "bridge"
    requires_compatibilities: tuple[str, ...] = ("EC2",)
    placement_constraints: tuple[Mapping[str, str], ...] = ()

    @property
    def arn(self) -> str:
        return f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{self.family}:{self.revision}"

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> "TaskDefinition":
        """From ``RegisterTaskDefinition`` input or ``DescribeTaskDefinition['taskDefinition']``.

        Reserved resources: task-level ``cpu``/``memory`` when set; otherwise the sums of the
        containers' ``cpu`` and ``memory`` (hard limit) or, when that is absent,
        ``memoryReservation`` (soft limit). ECS requires one of them for the EC2 launch type.
        """
        if not isinstance(data, Mapping) or not data.get("family"):
            raise InvalidParameterException("Task definition must have a family", "family")
        containers = data.get("containerDefinitions") or []
        if not containers:
            raise InvalidParameterException("Task definition must have at least one container definition",
                                            "containerDefinitions")
        mode = data.get("networkMode") or "bridge"
        if mode not in {"bridge", "host", "awsvpc", "none"}:
            raise InvalidParameterException(f"Invalid networkMode {mode!r}: use bridge, host, awsvpc or none",
                                            "networkMode")
        compat = data.get("requiresCompatibilities") or ()
        if "FARGATE" in compat and mode != "awsvpc":
            raise ClientException("Fargate only supports network mode 'awsvpc'.", "networkMode")
        _check_ephemeral_storage(data.get("ephemeralStorage"))
        c_cpu = 0
        c_mem = 0
        fixed: list[int] = []
        dynamic = 0
        for c in containers:
            c_cpu += int(c.get("cpu") or 0)
            mem = c.get("memory") or c.get("memoryReservation")
            if mem is None and not data.get("memory"):
                raise InvalidParameterException(
                    f"Container {c.get('name', '?')!r}: set memory or memoryReservation, or a task-level memory",
                    "memory")
            c_mem += int(mem or 0)
            for pm in c.get("portMappings") or []:
                cport = pm.get("containerPort")
                hport = pm.get("hostPort")
                if mode in ("awsvpc", "host") and hport is not None and hport != cport:
                    raise ClientException(
                        f"When networkMode={mode}, the host ports and container ports in port mappings "
                        f"must match (container {c.get('name', '?')!r}: containerPort {cport}, hostPort "
                        f"{hport}). Omit hostPort or set it to the containerPort.", "hostPort")
                if mode == "awsvpc":
                    continue  # each task has its own ENI: no host port conflicts
                if mode == "host":
                    fixed.append(int(hport or cport))
                elif not hport:
                    dynamic += 1
                else:
                    fixed.append(int(hport))
        from .fargate import parse_cpu, parse_memory

        cpu = parse_cpu(data["cpu"]) if data.get("cpu") else c_cpu
        memory = parse_memory(data["memory"]) if data.get("memory") else c_mem
        if len(set(fixed)) != len(fixed):
            raise InvalidParameterException(f"Duplicate hostPort in task definition: {sorted(fixed)}", "hostPort")
        # A reserved port (22, 2375, 2376, 51678-51680) is the instance's, not the definition's:
        # the definition registers and placement fails with RESOURCE:PORTS on every instance.
        return cls(
            family=str(data["family"]), revision=int(data.get("revision", 1)), cpu=cpu, memory=memory,
            host_ports=tuple(fixed), dynamic_ports=dynamic, network_mode=mode,
            requires_compatibilities=tuple(data.get("requiresCompatibilities") or ("EC2",)),
            placement_constraints=tuple(data.get("placementConstraints") or ()),
        )


def _check_ephemeral_storage(value: Any) -> None:
    """``ephemeralStorage`` of RegisterTaskDefinition: ``{"sizeInGiB": 21..200}`` (Fargate)."""
    if value is None:
        return
    lo, hi = EPHEMERAL_STORAGE_GIB
    size = value.get("sizeInGiB") if isinstance(value, Mapping) else None
    if isinstance(size, bool) or not isinstance(size, int) or not lo <= size <= hi:
        raise ClientException(
            f"Invalid ephemeralStorage.sizeInGiB {size!r}: the minimum supported value is {lo} GiB and the "
            f"maximum supported value is {hi} GiB (20 GiB is the default you get by leaving it out).",
            "sizeInGiB")


@dataclass
class Task:
    arn: str
    task_definition_arn: str
    container_instance_arn: str
    group: str
    cpu: int
    memory: int
    host_ports: tuple[int, ...] = ()
    last_status: str = "RUNNING"
    started_by: str = ""
    network_mode: str = ""  # the task definition's, for ENI accounting (networking)

    def to_api(self) -> dict[str, Any]:
        return {
            "taskArn": self.arn, "taskDefinitionArn": self.task_definition_arn,
            "containerInstanceArn": self.container_instance_arn, "group": self.group,
            "cpu": str(self.cpu), "memory": str(self.memory), "lastStatus": self.last_status,
            "startedBy": self.started_by,
            "containers": [{"networkBindings": [{"hostPort": p} for p in self.host_ports]}],
        }

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> "Task":
        ports = tuple(int(b["hostPort"]) for c in data.get("containers", [])
                      for b in c.get("networkBindings", []) if b.get("hostPort"))
        return cls(str(data["taskArn"]), str(data.get("taskDefinitionArn", "")),
                   str(data.get("containerInstanceArn", "")), str(data.get("group", "")),
                   int(data.get("cpu") or 0), int(data.get("memory") or 0), ports,
                   str(data.get("lastStatus", "RUNNING")), str(data.get("startedBy", "")))


@dataclass
class ClusterState:
    """A cluster: its container instances (in registration order) and its tasks."""

    name: str = "default"
    instances: dict[str, ContainerInstance] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    _next_id: int = 0

    def copy(self) -> "ClusterState":
        return copy.deepcopy(self)

    def _new_id(self, prefix: str) -> str:
        self._next_id += 1
        return f"{prefix}{self._next_id:05d}"

    def add_instance(self, instance_type: str = "m5.large", az: str = "us-east-1a",
                     attributes: Mapping[str, str | None] | None = None,
                     status: str = "ACTIVE") -> ContainerInstance:
        """Register an instance of a real EC2 type (CPU = vCPUs x 1024)."""
        it = instance_types.get(instance_type)
        if status not in {"ACTIVE", "DRAINING"}:
            raise InvalidParameterException(f"status must be ACTIVE or DRAINING, got {status!r}", "status")
        ident = self._new_id("ci-")
        ec2_id = f"i-{self._next_id:017x}"
        inst = ContainerInstance(
            arn=_arn("container-instance", self.name, ident), ec2_instance_id=ec2_id,
            instance_type=instance_type, availability_zone=az, cpu=it.cpu_units,
            memory=it.registered_memory_mib, remaining_cpu=it.cpu_units,
            remaining_memory=it.registered_memory_mib, attributes=dict(attributes or {}),
            status=status, order=len(self.instances),
        )
        self.instances[inst.arn] = inst
        return inst

    def add_api_instance(self, data: Mapping[str, Any]) -> ContainerInstance:
        inst = ContainerInstance.from_api(data, order=len(self.instances))
        self.instances[inst.arn] = inst
        return inst

    def instance(self, ref: str) -> ContainerInstance:
        """By ARN, short id or EC2 instance id."""
        if ref in self.instances:
            return self.instances[ref]
        for inst in self.instances.values():
            if inst.ec2_instance_id == ref or inst.arn.endswith("/" + ref):
                return inst
        raise InvalidParameterException(f"Container instance {ref!r} not found in cluster {self.name}",
                                        "containerInstance")

    def set_status(self, ref: str, status: str) -> None:
        if status not in {"ACTIVE", "DRAINING"}:
            raise InvalidParameterException(f"status must be ACTIVE or DRAINING, got {status!r}", "status")
        self.instance(ref).status = status

    def start_task(self, task_definition: TaskDefinition, instance_arn: str, group: str,
                   host_ports: tuple[int, ...] = (), started_by: str = "") -> Task:
        inst = self.instances[instance_arn]
        task = Task(_arn("task", self.name, self._new_id("t")), task_definition.arn, instance_arn, group,
                    task_definition.cpu, task_definition.memory, host_ports, "RUNNING", started_by,
                    task_definition.network_mode)
        inst.remaining_cpu -= task.cpu
        inst.remaining_memory -= task.memory
        inst.used_ports.update(host_ports)
        inst.running_tasks_count += 1
        self.tasks[task.arn] = task
        return task

    def stop_task(self, task_arn: str) -> None:
        task = self.tasks.pop(task_arn)
        inst = self.instances.get(task.container_instance_arn)
        if inst is not None:
            inst.remaining_cpu += task.cpu
            inst.remaining_memory += task.memory
            inst.used_ports.difference_update(task.host_ports)
            inst.running_tasks_count -= 1

    def tasks_on(self, instance_arn: str, group: str | None = None) -> list[Task]:
        return [t for t in self.tasks.values()
                if t.container_instance_arn == instance_arn and (group is None or t.group == group)]

    def to_api(self) -> dict[str, Any]:
        return {"clusterName": self.name,
                "containerInstances": [i.to_api() for i in self.instances.values()],
                "tasks": [t.to_api() for t in self.tasks.values()]}
