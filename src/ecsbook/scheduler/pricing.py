"""Fargate and EC2 launch type cost, from dated list prices in ``data/pricing.json``.

How AWS bills (https://aws.amazon.com/fargate/pricing/, read on the date in the data file):

* **Fargate** charges for the vCPU, memory and (beyond the free 20 GiB) ephemeral storage
  that a task *requests*, per second, from the time the container image starts downloading
  until the task terminates, **rounded up to the nearest second**, with a **one-minute
  minimum** for Linux tasks (Windows: five minutes). Graviton (ARM64) rates are lower.
  Fargate Spot runs interruptible tasks at a discount (up to 70 %); the discount varies, so
  the model takes it as a parameter.
* **EC2 launch type**: there is no additional charge for ECS itself; you pay for the EC2
  instances (and EBS volumes) you run, whether or not tasks fill them
  (https://aws.amazon.com/ecs/pricing/).

Model simplifications: one region's On-Demand list prices; no Savings Plans, data transfer,
public IPv4 addresses, load balancers or CloudWatch charges (the pricing chapter names them).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import InvalidParameterException, require_int
from .fargate import validate_task_size


@lru_cache(maxsize=1)
def load_rates() -> dict[str, Any]:
    """The dated rate card (``data/pricing.json``)."""
    text = resources.files("ecsbook.scheduler").joinpath("data/pricing.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True)
class CostLine:
    item: str
    quantity: float
    unit: str
    rate: float
    cost: float


@dataclass(frozen=True)
class CostBreakdown:
    """Itemised cost; ``total`` in USD (not rounded: AWS rounds the *bill*, not each line)."""

    lines: tuple[CostLine, ...]
    billed_seconds: int
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return sum(line.cost for line in self.lines)

    def to_rows(self) -> list[dict[str, Any]]:
        return [{"item": line.item, "quantity": round(line.quantity, 6), "unit": line.unit,
                 "rate (USD)": line.rate, "cost (USD)": round(line.cost, 6)} for line in self.lines]

    def __str__(self) -> str:
        rows = "\n".join(f"  {line.item:<28} {line.quantity:>12.4f} {line.unit:<12} x {line.rate:<10g} = ${line.cost:.6f}"
                         for line in self.lines)
        return f"{rows}\n  total: ${self.total:.6f} (billed {self.billed_seconds} s)"


def billed_seconds(seconds: float, os_family: str = "LINUX") -> int:
    """Duration AWS bills: rounded up to the second, at least the minimum (60 s on Linux)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0 or math.isnan(seconds):
        raise InvalidParameterException(f"duration must be a non-negative number of seconds, got {seconds!r}", "seconds")
    minimums = load_rates()["fargate"]["minimum_billed_seconds"]
    if os_family not in minimums:
        raise InvalidParameterException(f"os_family must be one of {sorted(minimums)}, got {os_family!r}", "os_family")
    return max(int(minimums[os_family]), math.ceil(seconds))


def fargate_task_cost(
    cpu: int | str,
    memory: int | str,
    seconds: float,
    *,
    architecture: str = "X86_64",
    spot: bool = False,
    spot_discount: float | None = None,
    ephemeral_storage_gib: int = 20,
    region: str = "us-east-1",
    tasks: int = 1,
) -> CostBreakdown:
    """Cost of ``tasks`` Linux Fargate tasks of this size running for ``seconds`` each.

    >>> round(fargate_task_cost("1 vCPU", "2GB", 3600).total, 5)  # 0.04048 + 2 x 0.004445
    0.04937
    """
    cpu_units, mem_mib = validate_task_size(cpu, memory)
    rates = load_rates()["fargate"]
    if region not in rates:
        raise InvalidParameterException(f"no Fargate rates for region {region!r} in the data file", "region")
    key = f"LINUX/{architecture}"
    if key not in rates[region]:
        raise InvalidParameterException(f"architecture must be X86_64 or ARM64, got {architecture!r}",
                                        "cpuArchitecture")
    if isinstance(ephemeral_storage_gib, bool) or not isinstance(ephemeral_storage_gib, int) \
            or not 20 <= ephemeral_storage_gib <= 200:
        raise InvalidParameterException(
            f"ephemeralStorage.sizeInGiB must be an integer from 20 to 200, got {ephemeral_storage_gib!r}",
            "sizeInGiB")
    require_int(tasks, "tasks", minimum=1)
    discount = 0.0
    if spot:
        discount = rates["spot_discount_up_to"] if spot_discount is None else spot_discount
        if not isinstance(spot_discount, (int, float, type(None))) or not 0 <= discount < 1:
            raise InvalidParameterException(f"spot_discount must be in [0, 1), got {spot_discount!r}", "spot_discount")
    secs = billed_seconds(seconds)
    hours = secs / 3600 * tasks
    vcpu, gb = cpu_units / 1024, mem_mib / 1024
    r = rates[region][key]
    factor = 1 - discount
    lines = [
        CostLine(f"vCPU ({architecture})", vcpu * hours, "vCPU-hours", r["vcpu_hour"] * factor,
                 vcpu * hours * r["vcpu_hour"] * factor),
        CostLine(f"memory ({architecture})", gb * hours, "GB-hours", r["gb_hour"] * factor,
                 gb * hours * r["gb_hour"] * factor),
    ]
    extra = ephemeral_storage_gib - rates[region]["free_ephemeral_storage_gib"]
    if extra > 0:
        rate = rates[region]["ephemeral_storage_gb_hour"]
        lines.append(CostLine("ephemeral storage over 20 GiB", extra * hours, "GB-hours", rate, extra * hours * rate))
    notes = [f"billed {secs} s per task (rounded up to the second, 60 s minimum)"]
    if spot:
        notes.append(f"Fargate Spot discount assumed: {discount:.0%} (it varies; AWS says up to 70%)")
    return CostBreakdown(tuple(lines), secs, tuple(notes))


def ec2_cost(instance_type: str, hours: float, *, count: int = 1, region: str = "us-east-1") -> CostBreakdown:
    """EC2 launch type: instance-hours at the On-Demand rate; ECS adds no charge."""
    table = load_rates()["ec2"].get(region, {})
    if instance_type not in table:
        raise InvalidParameterException(
            f"no price for instance type {instance_type!r} in {region}; known: {', '.join(sorted(table))}",
            "instanceType")
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or hours < 0:
        raise InvalidParameterException(f"hours must be a non-negative number, got {hours!r}", "hours")
    require_int(count, "count", minimum=1)
    rate = float(table[instance_type])
    line = CostLine(f"{instance_type} On-Demand", hours * count, "instance-hours", rate, hours * count * rate)
    return CostBreakdown((line,), int(hours * 3600), ("no additional charge for Amazon ECS on EC2",))
