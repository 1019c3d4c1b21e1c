"""EC2 instance types used by the model: vCPUs, memory, architecture.

Figures are the published sizes (https://aws.amazon.com/ec2/instance-types/). ECS registers
``vCPUs x 1024`` CPU units. For memory, the container agent registers what the operating
system reports, which is somewhat less than the nominal size (the kernel and agent keep some;
see "Reserving memory" / container instance memory management,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html).
**Model simplification:** registered memory = nominal MiB minus a flat 5 % (rounded down),
close to what real instances report (an m5.large registers roughly 7.6 GiB of its 8 GiB).
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

INSTANCE_TYPES: dict[str, InstanceType] = {
    t[0]: InstanceType(t[0], t[1], float(t[2]), t[3] if len(t) > 3 else "x86_64")
    for t in _TYPES
}


def get(name: str) -> InstanceType:
    try:
        return INSTANCE_TYPES[name]
    except KeyError:
        raise InvalidParameterException(
            f"Unknown instance type {name!r}; the model knows {', '.join(sorted(INSTANCE_TYPES))}",
            "instanceType") from None
