"""EC2 instance types used by the model: vCPUs, memory, architecture.

Figures are the published sizes (https://aws.amazon.com/ec2/instance-types/). ECS registers
``vCPUs x 1024`` CPU units. For memory, the container agent registers what the operating
system reports, which is somewhat less than the nominal size (the kernel and agent keep some;
see "Reserving memory" / container instance memory management,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html).
**Model simplification:** registered memory = nominal MiB minus a flat 5 % (rounded down),
close to what real instances report (an m5.large registers roughly 7.6 GiB of its 8 GiB).

Network interfaces (used by ``networking`` for ``awsvpc`` tasks on EC2): ``max_enis`` is the
EC2 maximum number of network interfaces of the type (EC2 ``DescribeInstanceTypes``
``MaximumNetworkInterfaces``, as tabulated in aws/amazon-vpc-resource-controller-k8s
``pkg/aws/vpc/limits.go``, generated 2026-03-20). The primary interface counts against it, so
without trunking an instance runs ``max_enis - 1`` awsvpc tasks. ``trunk_task_limit`` is the
task limit *with* ENI trunking from ECS's table of supported types
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/eni-trunking-supported-instance-types.html;
read in the archived copy of container-instance-eni.md, which also says: "For the ENI limits
... add one to the current task limit ... and add two to the new task limit, as both the
primary network interface and the trunk network interface count against the limit"). ``None``
means ECS does not support trunking on the type: the burstable T3/T4g types are not in the
table and the g4dn family is listed as not supported.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidParameterException


@dataclass(frozen=True)
class InstanceType:
    name: str
    vcpus: int
    memory_gib: float
    architecture: str = "x86_64"
    max_enis: int = 0                  # EC2 maximum network interfaces (0: not known to the model)
    trunk_task_limit: int | None = None  # awsvpc tasks with ENI trunking (None: trunking unsupported)

    def awsvpc_task_limit(self, trunking: bool = False) -> int:
        """awsvpc tasks the type can run: ENIs minus the primary one, or the trunking figure."""
        if trunking and self.trunk_task_limit is not None:
            return self.trunk_task_limit
        return max(self.max_enis - 1, 0)

    @property
    def trunking_supported(self) -> bool:
        return self.trunk_task_limit is not None

    @property
    def cpu_units(self) -> int:
        return self.vcpus * 1024

    @property
    def memory_mib(self) -> int:
        return int(self.memory_gib * 1024)

    @property
    def registered_memory_mib(self) -> int:
        return int(self.memory_mib * 0.95)


_TYPES: list[tuple[str, int, float] | tuple[str, int, float, str]] = [
    ("t3.micro", 2, 1), ("t3.small", 2, 2), ("t3.medium", 2, 4), ("t3.large", 2, 8),
    ("t3.xlarge", 4, 16), ("t4g.small", 2, 2, "arm64"), ("t4g.medium", 2, 4, "arm64"),
    ("t4g.large", 2, 8, "arm64"),
    ("m5.large", 2, 8), ("m5.xlarge", 4, 16), ("m5.2xlarge", 8, 32), ("m5.4xlarge", 16, 64),
    ("m6i.large", 2, 8), ("m6i.xlarge", 4, 16), ("m6i.2xlarge", 8, 32),
    ("m6g.large", 2, 8, "arm64"), ("m6g.xlarge", 4, 16, "arm64"), ("m6g.2xlarge", 8, 32, "arm64"),
    ("c5.large", 2, 4), ("c5.xlarge", 4, 8), ("c5.2xlarge", 8, 16),
    ("c6g.large", 2, 4, "arm64"), ("c6g.xlarge", 4, 8, "arm64"),
    ("r5.large", 2, 16), ("r5.xlarge", 4, 32), ("r5.2xlarge", 8, 64),
    ("g4dn.xlarge", 4, 16),
]

# name -> (EC2 max network interfaces, ECS awsvpc task limit with ENI trunking or None)
_ENIS: dict[str, tuple[int, int | None]] = {
    "t3.micro": (2, None), "t3.small": (3, None), "t3.medium": (3, None), "t3.large": (3, None),
    "t3.xlarge": (4, None), "t4g.small": (3, None), "t4g.medium": (3, None), "t4g.large": (3, None),
    "m5.large": (3, 10), "m5.xlarge": (4, 20), "m5.2xlarge": (4, 40), "m5.4xlarge": (8, 60),
    "m6i.large": (3, 10), "m6i.xlarge": (4, 20), "m6i.2xlarge": (4, 40),
    "m6g.large": (3, 10), "m6g.xlarge": (4, 20), "m6g.2xlarge": (4, 40),
    "c5.large": (3, 10), "c5.xlarge": (4, 20), "c5.2xlarge": (4, 40),
    "c6g.large": (3, 10), "c6g.xlarge": (4, 20),
    "r5.large": (3, 10), "r5.xlarge": (4, 20), "r5.2xlarge": (4, 40),
    "g4dn.xlarge": (3, None),
}

INSTANCE_TYPES: dict[str, InstanceType] = {
    t[0]: InstanceType(t[0], t[1], float(t[2]), t[3] if len(t) > 3 else "x86_64", *_ENIS.get(t[0], (0, None)))
    for t in _TYPES
}


def get(name: str) -> InstanceType:
    try:
        return INSTANCE_TYPES[name]
    except KeyError:
        raise InvalidParameterException(
            f"Unknown instance type {name!r}; the model knows {', '.join(sorted(INSTANCE_TYPES))}",
            "instanceType") from None
