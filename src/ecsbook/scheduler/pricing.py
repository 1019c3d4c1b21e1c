"""What ECS capacity costs, from dated list prices in ``data/pricing.json``.

How AWS bills (https://aws.amazon.com/fargate/pricing/ and https://aws.amazon.com/ecs/pricing/;
each section of the data file records when and from where its figures were read):

* **Fargate** charges for the vCPU, memory and (beyond the free 20 GiB) ephemeral storage
  that a task *requests*, per second, "from the time you start to download your container
  image until the Amazon ECS Task terminates, rounded up to the nearest second", with a
  **one-minute minimum** for Linux tasks. ``billed_time(task)`` reads that window from a
  ``DescribeTasks`` task (``pullStartedAt`` to ``stoppedAt``; ``startedAt``/``createdAt`` and
  ``now`` when a field is missing) and ``task_cost(task)`` prices it. Graviton (ARM64) rates
  are lower. **Windows** tasks (X86_64 only, at least 1 vCPU, no Fargate Spot) pay Windows
  vCPU and memory rates plus an operating-system licence fee per vCPU-hour; their minimum
  billed duration in the data file (300 s) could not be re-verified on 2026-12-01.
* **Fargate Spot** runs interruption-tolerant Linux tasks "at up to a 70% discount off the
  regular Fargate price"; the current per-dimension Spot rates are a dynamic table on the
  pricing page. ``fargate_task_cost(..., spot=True)`` takes either ``spot_rates`` (explicit
  ``vcpu_hour``/``gb_hour`` read from that table) or ``spot_discount`` (default: the 70 %
  ceiling), and always prints the per-dimension Spot rates it used next to the discount.
* **EC2 launch type**: no additional charge for ECS; you pay for the instances (``ec2_cost``).
* **ECS Managed Instances**: the EC2 instance price plus a management fee per instance-hour
  that depends on the instance type, billed per second with a one-minute minimum
  (``managed_instances_cost``; the data file has the pricing page's c6a.2xlarge example).
* **ECS Anywhere**: a fee per registered external instance-hour (``ecs_anywhere_cost``).

Model simplifications: one region's On-Demand list prices; no Savings Plans, data transfer,
public IPv4 addresses, load balancers, CloudWatch or EBS charges (the pricing chapter names
them); Spot storage is billed at the On-Demand storage rate.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import ClientException, InvalidParameterException, require_int
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


def _rate(value: Any, fld: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or math.isnan(value):
        raise InvalidParameterException(f"{fld} must be a non-negative rate in USD, got {value!r}", fld)
    return float(value)


def fargate_task_cost(
    cpu: int | str,
    memory: int | str,
    seconds: float,
    *,
    architecture: str = "X86_64",
    spot: bool = False,
    spot_discount: float | None = None,
    spot_rates: Mapping[str, float] | None = None,
    ephemeral_storage_gib: int = 20,
    region: str = "us-east-1",
    tasks: int = 1,
    os_family: str = "LINUX",
) -> CostBreakdown:
    """Cost of ``tasks`` Fargate tasks of this size running for ``seconds`` each.

    >>> round(fargate_task_cost("1 vCPU", "2GB", 3600).total, 5)  # 0.04048 + 2 x 0.004445
    0.04937
    """
    cpu_units, mem_mib = validate_task_size(cpu, memory)
    rates = load_rates()["fargate"]
    if region not in rates:
        raise InvalidParameterException(f"no Fargate rates for region {region!r} in the data file", "region")
    if os_family not in ("LINUX", "WINDOWS"):
        raise InvalidParameterException(f"os_family must be LINUX or WINDOWS, got {os_family!r}",
                                        "operatingSystemFamily")
    key = f"{os_family}/{architecture}"
    if key not in rates[region]:
        if os_family == "WINDOWS" and architecture in ("X86_64", "ARM64"):
            raise InvalidParameterException("Windows containers on Fargate run on X86_64 only", "cpuArchitecture")
        raise InvalidParameterException(f"architecture must be X86_64 or ARM64, got {architecture!r}",
                                        "cpuArchitecture")
    if os_family == "WINDOWS" and cpu_units < 1024:
        raise ClientException("The CPU units cannot be less than 1 vCPU when you use Windows containers on "
                              "Fargate.", "cpu")
    if isinstance(ephemeral_storage_gib, bool) or not isinstance(ephemeral_storage_gib, int) \
            or not 20 <= ephemeral_storage_gib <= 200:
        raise InvalidParameterException(
            f"ephemeralStorage.sizeInGiB must be an integer from 20 to 200, got {ephemeral_storage_gib!r}",
            "sizeInGiB")
    require_int(tasks, "tasks", minimum=1)
    if not isinstance(spot, bool):
        raise InvalidParameterException(f"spot must be true or false, got {spot!r}", "spot")
    r = rates[region][key]
    vcpu_rate, gb_rate = float(r["vcpu_hour"]), float(r["gb_hour"])
    notes: list[str] = []
    if spot:
        if os_family == "WINDOWS":
            raise InvalidParameterException("Fargate Spot does not run Windows tasks", "capacityProvider")
        if spot_rates is not None:
            if spot_discount is not None:
                raise InvalidParameterException("give spot_rates or spot_discount, not both", "spot_rates")
            if not isinstance(spot_rates, Mapping) or set(spot_rates) != {"vcpu_hour", "gb_hour"}:
                raise InvalidParameterException("spot_rates needs exactly vcpu_hour and gb_hour (USD per hour)",
                                                "spot_rates")
            s_vcpu, s_gb = _rate(spot_rates["vcpu_hour"], "vcpu_hour"), _rate(spot_rates["gb_hour"], "gb_hour")
            notes.append(f"Fargate Spot rates given: ${s_vcpu:g} per vCPU-hour ({1 - s_vcpu / vcpu_rate:.1%} off), "
                         f"${s_gb:g} per GB-hour ({1 - s_gb / gb_rate:.1%} off)")
        else:
            discount = load_rates()["fargate_spot"]["discount_up_to"] if spot_discount is None else spot_discount
            if isinstance(discount, bool) or not isinstance(discount, (int, float)) or not 0 <= discount < 1:
                raise InvalidParameterException(f"spot_discount must be in [0, 1), got {spot_discount!r}",
                                                "spot_discount")
            s_vcpu, s_gb = vcpu_rate * (1 - discount), gb_rate * (1 - discount)
            notes.append(f"Fargate Spot discount assumed: {discount:.0%} (it varies; AWS says up to 70%), so "
                         f"${s_vcpu:.8g} per vCPU-hour and ${s_gb:.8g} per GB-hour")
        vcpu_rate, gb_rate = s_vcpu, s_gb
    elif spot_rates is not None or spot_discount is not None:
        raise InvalidParameterException("spot_rates and spot_discount need spot=True", "spot")
    secs = billed_seconds(seconds, os_family)
    hours = secs / 3600 * tasks
    vcpu, gb = cpu_units / 1024, mem_mib / 1024
    label = architecture if os_family == "LINUX" else f"Windows {architecture}"
    lines = [
        CostLine(f"vCPU ({label})", vcpu * hours, "vCPU-hours", vcpu_rate, vcpu * hours * vcpu_rate),
        CostLine(f"memory ({label})", gb * hours, "GB-hours", gb_rate, gb * hours * gb_rate),
    ]
    if os_family == "WINDOWS":
        lic = float(r["os_license_vcpu_hour"])
        lines.append(CostLine("Windows OS licence", vcpu * hours, "vCPU-hours", lic, vcpu * hours * lic))
    extra = ephemeral_storage_gib - rates[region]["free_ephemeral_storage_gib"]
    if extra > 0:
        rate = rates[region]["ephemeral_storage_gb_hour"]
        lines.append(CostLine("ephemeral storage over 20 GiB", extra * hours, "GB-hours", rate, extra * hours * rate))
    minimum = int(rates["minimum_billed_seconds"][os_family])
    notes.insert(0, f"billed {secs} s per task (rounded up to the second, {minimum} s minimum)")
    return CostBreakdown(tuple(lines), secs, tuple(notes))


# ----------------------------------------------------------------------------- a task's timeline


def parse_timestamp(value: Any, fld: str = "timestamp") -> float:
    """Seconds from an ECS timestamp: a number (epoch seconds) or an ISO 8601 string with a zone."""
    if isinstance(value, bool):
        raise InvalidParameterException(f"{fld} must be a time, got {value!r}", fld)
    if isinstance(value, (int, float)):
        if math.isnan(value):
            raise InvalidParameterException(f"{fld} must be a time, got {value!r}", fld)
        return float(value)
    if isinstance(value, str):
        try:
            t = _dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidParameterException(f"{fld} must be an ISO 8601 time, got {value!r}", fld) from None
        if t.tzinfo is None:
            raise InvalidParameterException(f"{fld} needs a time zone (for example Z), got {value!r}", fld)
        return t.timestamp()
    raise InvalidParameterException(f"{fld} must be a time, got {value!r}", fld)


@dataclass(frozen=True)
class BilledTime:
    """The billed window of one task: which timestamps bound it and what is billed."""

    start: float
    end: float
    start_field: str
    end_field: str
    seconds: float
    billed_seconds: int
    minimum_applied: bool


def billed_time(task: Mapping[str, Any], *, now: float | str | None = None, os_family: str | None = None) -> BilledTime:
    """Billed duration of a ``DescribeTasks`` task: image pull start to termination, rounded up.

    Start: ``pullStartedAt`` (billing starts when the image download starts), else
    ``startedAt``, else ``createdAt``. End: ``stoppedAt`` (the task has terminated), else
    ``executionStoppedAt``, else ``now`` for a task that is still running.
    """
    if not isinstance(task, Mapping):
        raise InvalidParameterException("task must be a DescribeTasks task object", "task")
    start_field = next((f for f in ("pullStartedAt", "startedAt", "createdAt") if task.get(f) is not None), None)
    if start_field is None:
        raise InvalidParameterException("the task has no pullStartedAt, startedAt or createdAt", "pullStartedAt")
    end_field = next((f for f in ("stoppedAt", "executionStoppedAt") if task.get(f) is not None), None)
    if end_field is None:
        if now is None:
            raise InvalidParameterException("the task has not stopped: give now= to price it so far", "stoppedAt")
        end, end_field = parse_timestamp(now, "now"), "now"
    else:
        end = parse_timestamp(task[end_field], end_field)
    start = parse_timestamp(task[start_field], start_field)
    if end < start:
        raise InvalidParameterException(f"{end_field} is before {start_field}", end_field)
    family = os_family or _os_family(task)
    secs = billed_seconds(end - start, family)
    return BilledTime(start, end, start_field, end_field, end - start, secs, secs > math.ceil(end - start))


def _os_family(task: Mapping[str, Any]) -> str:
    fam = str(task.get("platformFamily") or "Linux").upper()
    return "WINDOWS" if fam.startswith("WINDOWS") else "LINUX"


def task_cost(task: Mapping[str, Any], *, now: float | str | None = None, spot_discount: float | None = None,
              spot_rates: Mapping[str, float] | None = None, region: str = "us-east-1") -> CostBreakdown:
    """Price one Fargate task from its ``DescribeTasks`` JSON (size, capacity provider, timeline).

    Size from the task-level ``cpu``/``memory``; Spot when ``capacityProviderName`` is
    ``FARGATE_SPOT``; ``ephemeralStorage.sizeInGiB``; architecture from the
    ``ecs.cpu-architecture`` attribute (default X86_64); OS from ``platformFamily``.
    """
    bt = billed_time(task, now=now)
    if task.get("launchType") not in (None, "FARGATE") and task.get("capacityProviderName") not in (
            "FARGATE", "FARGATE_SPOT"):
        raise InvalidParameterException("task_cost prices Fargate tasks; EC2 capacity is billed per instance "
                                        "(ec2_cost, managed_instances_cost)", "launchType")
    if task.get("cpu") in (None, "") or task.get("memory") in (None, ""):
        raise InvalidParameterException("the task needs task-level cpu and memory", "cpu")
    arch = "X86_64"
    for a in task.get("attributes") or []:
        if isinstance(a, Mapping) and a.get("name") == "ecs.cpu-architecture":
            arch = {"x86_64": "X86_64", "arm64": "ARM64"}.get(str(a.get("value")).lower(), str(a.get("value")))
    storage = (task.get("ephemeralStorage") or {}).get("sizeInGiB", 20)
    spot = task.get("capacityProviderName") == "FARGATE_SPOT"
    cost = fargate_task_cost(task["cpu"], task["memory"], bt.seconds, architecture=arch, spot=spot,
                             spot_discount=spot_discount if spot else None, spot_rates=spot_rates if spot else None,
                             ephemeral_storage_gib=storage, region=region, os_family=_os_family(task))
    note = f"billed window: {bt.start_field} to {bt.end_field} = {bt.seconds:g} s"
    return CostBreakdown(cost.lines, cost.billed_seconds, (note, *cost.notes))


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


def managed_instances_cost(instance_type: str, seconds: float, *, count: int = 1, region: str = "us-east-1",
                           management_fee_hour: float | None = None) -> CostBreakdown:
    """ECS Managed Instances: the EC2 On-Demand price plus the management fee, per second, 1-minute minimum."""
    table = load_rates()["ec2"].get(region, {})
    if instance_type not in table:
        raise InvalidParameterException(
            f"no EC2 price for instance type {instance_type!r} in {region}; known: {', '.join(sorted(table))}",
            "instanceType")
    if management_fee_hour is None:
        fees = load_rates()["managed_instances"].get(region, {}).get("management_fee_hour", {})
        if instance_type not in fees:
            raise InvalidParameterException(
                f"no Managed Instances management fee for {instance_type!r} in the data file (known: "
                f"{', '.join(sorted(fees))}); pass management_fee_hour from the ECS pricing page", "instanceType")
        fee = float(fees[instance_type])
    else:
        fee = _rate(management_fee_hour, "management_fee_hour")
    require_int(count, "count", minimum=1)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0 or math.isnan(seconds):
        raise InvalidParameterException(f"duration must be a non-negative number of seconds, got {seconds!r}",
                                        "seconds")
    secs = max(60, math.ceil(seconds))
    hours = secs / 3600 * count
    ec2 = float(table[instance_type])
    lines = (CostLine(f"{instance_type} On-Demand", hours, "instance-hours", ec2, hours * ec2),
             CostLine("Managed Instances management fee", hours, "instance-hours", fee, hours * fee))
    note = f"billed {secs} s per instance (per second, 60 s minimum); tasks on the instance are not billed separately"
    return CostBreakdown(lines, secs, (note,))


def ecs_anywhere_cost(instances: int, hours: float, *, region: str = "us-east-1",
                      minimum_hours: float = 0) -> CostBreakdown:
    """ECS Anywhere: the fee per registered external instance-hour (your hardware is yours to pay)."""
    require_int(instances, "instances", minimum=1)
    for v, f in ((hours, "hours"), (minimum_hours, "minimum_hours")):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or math.isnan(v):
            raise InvalidParameterException(f"{f} must be a non-negative number, got {v!r}", f)
    rates = load_rates()["ecs_anywhere"]
    if region not in rates:
        raise InvalidParameterException(f"no ECS Anywhere rate for region {region!r} in the data file", "region")
    rate = float(rates[region]["instance_hour"])
    billed = max(float(hours), float(minimum_hours))
    line = CostLine("ECS Anywhere external instance", billed * instances, "instance-hours", rate,
                    billed * instances * rate)
    return CostBreakdown((line,), math.ceil(billed * 3600), ("on top of your own servers, power and network",))


__all__ = ["BilledTime", "CostBreakdown", "CostLine", "billed_seconds", "billed_time", "ec2_cost",
           "ecs_anywhere_cost", "fargate_task_cost", "load_rates", "managed_instances_cost", "parse_timestamp",
           "task_cost"]
