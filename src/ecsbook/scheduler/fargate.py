"""Fargate task sizes: the official table of valid task-level CPU/memory pairs.

Real ECS rejects a Fargate task definition whose ``cpu``/``memory`` pair is not in the table
with ``ClientException: Invalid 'cpu' setting for task`` (see "Troubleshoot Amazon ECS task
definition invalid CPU or memory errors",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html).
moto accepts any pair; this module gives the learner ECS's answer, with the valid memory
values for the CPU they chose.

Table (CPU units -> memory MiB), from the page above and the ``memory`` parameter of
RegisterTaskDefinition (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html):

=========  ==========================================================
256        512, 1024, 2048
512        1024 .. 4096 in 1024 steps
1024       2048 .. 8192 in 1024 steps
2048       4096 .. 16384 in 1024 steps
4096       8192 .. 30720 in 1024 steps
8192       16384 .. 61440 in 4096 steps (Linux platform 1.4.0 or later)
16384      32768 .. 122880 in 8192 steps (Linux platform 1.4.0 or later)
=========  ==========================================================

``cpu`` may be written as CPU units (``"1024"``, ``1024``) or vCPU (``"1 vCPU"``, ``"0.25 vcpu"``);
``memory`` as MiB (``"2048"``) or GB (``"2GB"``, ``"2 GB"``), as ECS accepts in a task definition.
Model simplification: Windows containers on Fargate (at least 1 vCPU) are not distinguished.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from .errors import ClientException, InvalidParameterException

DOC_URL = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html"


def _range(lo_gib: int, hi_gib: int, step_gib: int) -> tuple[int, ...]:
    return tuple(g * 1024 for g in range(lo_gib, hi_gib + 1, step_gib))


#: CPU units -> valid memory values in MiB.
FARGATE_TASK_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _range(1, 4, 1),
    1024: _range(2, 8, 1),
    2048: _range(4, 16, 1),
    4096: _range(8, 30, 1),
    8192: _range(16, 60, 4),
    16384: _range(32, 120, 8),
}

_CPU_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$", re.IGNORECASE)
_MEM_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(gb|mib|mb)?\s*$", re.IGNORECASE)


def parse_cpu(cpu: int | str) -> int:
    """CPU units from ``1024``, ``"1024"``, ``"1 vCPU"`` or ``"0.25 vCPU"``."""
    if isinstance(cpu, bool) or not isinstance(cpu, (int, str)):
        raise InvalidParameterException(f"cpu must be a number of CPU units or 'N vCPU', got {cpu!r}", "cpu")
    m = _CPU_RE.match(str(cpu))
    if not m:
        raise InvalidParameterException(f"Invalid 'cpu' value {cpu!r}: use CPU units (1024) or vCPU ('1 vCPU')", "cpu")
    value = float(m.group(1))
    units = value * 1024 if m.group(2) else value
    if units != int(units) or units <= 0:
        raise InvalidParameterException(f"Invalid 'cpu' value {cpu!r}", "cpu")
    return int(units)


def parse_memory(memory: int | str) -> int:
    """MiB from ``2048``, ``"2048"``, ``"2GB"`` or ``"0.5 GB"``."""
    if isinstance(memory, bool) or not isinstance(memory, (int, str)):
        raise InvalidParameterException(f"memory must be MiB or 'N GB', got {memory!r}", "memory")
    m = _MEM_RE.match(str(memory))
    if not m:
        raise InvalidParameterException(f"Invalid 'memory' value {memory!r}: use MiB (2048) or GB ('2GB')", "memory")
    value = float(m.group(1))
    mib = value * 1024 if (m.group(2) or "").lower() == "gb" else value
    if mib != int(mib) or mib <= 0:
        raise InvalidParameterException(f"Invalid 'memory' value {memory!r}", "memory")
    return int(mib)


def _gb(mib: int) -> str:
    return f"{mib / 1024:g} GB"


def valid_memory_for(cpu: int | str) -> tuple[int, ...]:
    """The valid memory values (MiB) for a Fargate task with this CPU."""
    units = parse_cpu(cpu)
    if units not in FARGATE_TASK_SIZES:
        raise ClientException(
            f"Invalid 'cpu' setting for task. Fargate supports cpu values "
            f"{', '.join(str(c) for c in FARGATE_TASK_SIZES)} (0.25 to 16 vCPU); got {units}. See {DOC_URL}",
            "cpu",
        )
    return FARGATE_TASK_SIZES[units]


def validate_task_size(cpu: int | str, memory: int | str) -> tuple[int, int]:
    """Return ``(cpu_units, memory_mib)`` for a valid Fargate size, else raise ``ClientException``.

    >>> validate_task_size("1 vCPU", "2GB")
    (1024, 2048)
    """
    units = parse_cpu(cpu)
    mib = parse_memory(memory)
    valid = valid_memory_for(units)
    if mib not in valid:
        if len(valid) <= 7:
            allowed = ", ".join(_gb(v) for v in valid)
        else:
            step = valid[1] - valid[0]
            allowed = f"{_gb(valid[0])} to {_gb(valid[-1])} in {_gb(step)} increments"
        raise ClientException(
            f"Invalid 'memory' setting for task: {mib} MiB is not a valid Fargate size for cpu {units} "
            f"({units / 1024:g} vCPU). Valid memory for that cpu: {allowed}. See {DOC_URL}",
            "memory",
        )
    return units, mib


def all_sizes() -> list[tuple[int, int]]:
    """Every valid (cpu units, memory MiB) pair, smallest first."""
    return [(c, m) for c, mems in FARGATE_TASK_SIZES.items() for m in mems]


def smallest_size_for(cpu_units: int, memory_mib: int) -> tuple[int, int]:
    """The cheapest valid Fargate size that gives at least this CPU and memory (right-sizing)."""
    fits = [(c, m) for c, m in all_sizes() if c >= cpu_units and m >= memory_mib]
    if not fits:
        raise ClientException(
            f"No Fargate size has at least {cpu_units} CPU units and {memory_mib} MiB "
            "(the largest is 16 vCPU / 120 GB)", "cpu")
    return min(fits, key=lambda cm: (cm[0], cm[1]))


#: The message ECS returns for any invalid Fargate cpu/memory pair (the page at DOC_URL).
INVALID_SIZE = "Invalid 'cpu' setting for task."


def validate_task_definition(data: Mapping[str, Any]) -> tuple[int, int]:
    """The checks ``RegisterTaskDefinition`` makes on a definition that requires ``FARGATE``.

    * ``networkMode`` must be ``awsvpc`` ("Fargate only supports network mode 'awsvpc'.");
    * task-level ``cpu`` and ``memory`` are required and must be a pair from the table
      (ECS: ``Invalid 'cpu' setting for task.``; the model adds which values are valid);
    * the ``awslogs`` log driver and private ECR images need an ``executionRoleArn`` (ECS:
      "Fargate requires task definition to have execution role ARN to support log driver
      awslogs." / "... to support ECR images."): on Fargate the execution role, not an
      instance role, writes the logs and pulls the image
      (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).

    Returns ``(cpu_units, memory_mib)``; raises ``ClientException`` like ECS. A definition that
    does not require FARGATE is not checked here.
    """
    if (data.get("networkMode") or "bridge") != "awsvpc":
        raise ClientException("Fargate only supports network mode 'awsvpc'.", "networkMode")
    for name in ("cpu", "memory"):
        if data.get(name) in (None, ""):
            raise ClientException(f"Fargate requires that '{name}' be defined at the task level.", name)
    try:
        size = validate_task_size(data["cpu"], data["memory"])
    except ClientException as err:
        detail = re.sub(r"^Invalid '(cpu|memory)' setting for task[.:]\s*", "", err.message)
        raise ClientException(f"{INVALID_SIZE} {detail}", err.field) from None
    if not data.get("executionRoleArn"):
        containers = data.get("containerDefinitions") or []
        if any((c.get("logConfiguration") or {}).get("logDriver") == "awslogs" for c in containers):
            raise ClientException(
                "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
                "executionRoleArn")
        if any(".dkr.ecr." in str(c.get("image", "")) for c in containers):
            raise ClientException(
                "Fargate requires task definition to have execution role ARN to support ECR images.",
                "executionRoleArn")
    return size
