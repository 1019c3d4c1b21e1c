"""Checks for task definitions, EFS volumes and the three IAM roles (labs 2, 3, 5)."""

from __future__ import annotations

import json
from typing import Any

from ecsbook.scheduler.errors import ECSError
from ecsbook.scheduler.fargate import validate_task_size

from .base import Checker, CheckResult


def _td(ck: Checker, ecs: Any, family: str) -> dict[str, Any] | None:
    out = ck.call(ecs.describe_task_definition, taskDefinition=family,
                  failed=f"task definition {family!r} is registered",
                  fix=f"register it with ecs.register_task_definition(family={family!r}, ...)")
    return None if out is None else dict(out["taskDefinition"])


def check_fargate_task_definition(ecs: Any, family: str) -> CheckResult:
    ck = Checker(f"Fargate task definition {family}")
    td = _td(ck, ecs, family)
    if td is None:
        return ck.result()
    ck.expect("FARGATE" in td.get("requiresCompatibilities", []), "requiresCompatibilities includes FARGATE",
              "requiresCompatibilities=['FARGATE']")
    ck.expect(td.get("networkMode") == "awsvpc", f"networkMode is {td.get('networkMode')!r}",
              "Fargate tasks must use networkMode='awsvpc'")
    try:
        cpu, mem = validate_task_size(td.get("cpu") or "", td.get("memory") or "")
        ck.expect(True, f"task size {cpu} CPU units / {mem} MiB is a valid Fargate size")
    except ECSError as err:
        ck.expect(False, str(err), "pick a pair from the Fargate table, e.g. cpu='512', memory='1024'")
    containers = td.get("containerDefinitions", [])
    ck.expect(any(c.get("essential", True) for c in containers), "at least one container is essential",
              "mark the main container essential=True")
    uses_logs = any((c.get("logConfiguration") or {}).get("logDriver") == "awslogs" for c in containers)
    ck.expect(uses_logs, "containers send logs to CloudWatch Logs (awslogs)",
              "logConfiguration={'logDriver': 'awslogs', 'options': {'awslogs-group': ..., 'awslogs-region': ..., "
              "'awslogs-stream-prefix': ...}}")
    uses_secrets = any(c.get("secrets") for c in containers)
    needs_exec = uses_logs or uses_secrets or any(".dkr.ecr." in c.get("image", "") for c in containers)
    if needs_exec:
        ck.expect(bool(td.get("executionRoleArn")),
                  "an execution role is set (the agent needs it for awslogs, ECR pulls and secrets)",
                  "executionRoleArn='arn:aws:iam::<account>:role/ecsTaskExecutionRole'")
    ports = [p for c in containers for p in c.get("portMappings", [])]
    ck.expect(all(p.get("hostPort") in (None, p.get("containerPort")) for p in ports),
              "port mappings fit awsvpc (hostPort omitted or equal to containerPort)",
              "with awsvpc, leave hostPort out or set it to the containerPort")
    return ck.result()


def check_efs_volume(ecs: Any, efs: Any, family: str, *, min_azs: int = 2) -> CheckResult:
    ck = Checker(f"EFS volume in {family}")
    td = _td(ck, ecs, family)
    if td is None:
        return ck.result()
    vols = [v for v in td.get("volumes", []) if v.get("efsVolumeConfiguration")]
    if not ck.expect(bool(vols), "the task definition has an EFS volume",
                     "volumes=[{'name': 'shared', 'efsVolumeConfiguration': {'fileSystemId': fs_id, "
                     "'transitEncryption': 'ENABLED'}}]"):
        return ck.result()
    cfg = vols[0]["efsVolumeConfiguration"]
    ck.expect(cfg.get("transitEncryption") == "ENABLED", "data in transit to EFS is encrypted",
              "transitEncryption='ENABLED' (required when you use an access point or IAM authorization)")
    mounted = {m.get("sourceVolume") for c in td.get("containerDefinitions", []) for m in c.get("mountPoints", [])}
    ck.expect(vols[0]["name"] in mounted, "a container mounts the volume",
              "mountPoints=[{'sourceVolume': 'shared', 'containerPath': '/data'}]")
    fs_id = cfg.get("fileSystemId")
    targets = (ck.call(efs.describe_mount_targets, FileSystemId=fs_id, fix="create the file system first") or {}
               ).get("MountTargets", [])
    azs = {t.get("AvailabilityZoneName") for t in targets}
    ck.expect(len(azs) >= min_azs, f"the file system has mount targets in {len(azs)} AZs",
              "create a mount target in a subnet of each AZ your tasks run in")
    return ck.result()


def _trust(role: dict[str, Any]) -> set[str]:
    doc = role.get("AssumeRolePolicyDocument") or {}
    if isinstance(doc, str):
        doc = json.loads(doc)
    out: set[str] = set()
    for st in doc.get("Statement", []):
        svc = (st.get("Principal") or {}).get("Service", [])
        out |= {svc} if isinstance(svc, str) else set(svc)
    return out


def check_ecs_roles(iam: Any, *, execution_role: str, task_role: str, instance_role: str) -> CheckResult:
    """The three ECS roles: who may assume each, and what each is allowed to do."""
    ck = Checker("ECS IAM roles")
    spec = [
        (execution_role, "ecs-tasks.amazonaws.com", "AmazonECSTaskExecutionRolePolicy",
         "the execution role is used by the ECS agent / Fargate to pull images, write logs and read secrets"),
        (task_role, "ecs-tasks.amazonaws.com", None,
         "the task role is what your application code in the containers uses"),
        (instance_role, "ec2.amazonaws.com", "AmazonEC2ContainerServiceforEC2Role",
         "the container instance role lets the ECS agent on EC2 register and talk to ECS"),
    ]
    for name, principal, policy, why in spec:
        role = (ck.call(iam.get_role, RoleName=name, failed=f"role {name!r} exists",
                        fix=f"iam.create_role(RoleName={name!r}, AssumeRolePolicyDocument=...)") or {}).get("Role")
        if role is None:
            continue
        trusted = _trust(role)
        found = ", ".join(sorted(trusted)) or "no service"
        ck.expect(principal in trusted,
                  f"{name} trusts {principal}" if principal in trusted else
                  f"{name} trusts {found}, not {principal}",
                  f"its trust policy must allow {principal} to sts:AssumeRole ({why})")
        if policy:
            attached = [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]]
            ck.expect(policy in attached, f"{name} has {policy}",
                      f"iam.attach_role_policy(RoleName={name!r}, PolicyArn='arn:aws:iam::aws:policy/service-role/{policy}')")
    if execution_role == task_role:
        ck.expect(False, "the execution role and the task role are the same role",
                  "use two roles: least privilege keeps the agent's permissions away from your application")
    return ck.result()
