"""Checks for load balancing: ALB target groups and security groups (lab 4)."""

from __future__ import annotations

from typing import Any

from .base import Checker, CheckResult


def _group_id(ec2: Any, ref: str) -> str:
    """A security group ID from its ID or its name (the check reads the sandbox, not variables)."""
    if ref.startswith("sg-"):
        return ref
    found = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [ref]}])["SecurityGroups"]
    if not found:
        raise LookupError(f"no security group named {ref!r}")
    return str(found[0]["GroupId"])


def _ingress_from(ec2: Any, sg_id: str, source_sg: str) -> list[tuple[int, int]]:
    sg = ec2.describe_security_groups(GroupIds=[sg_id])["SecurityGroups"][0]
    out = []
    for perm in sg.get("IpPermissions", []):
        if any(p.get("GroupId") == source_sg for p in perm.get("UserIdGroupPairs", [])):
            if perm.get("IpProtocol") in ("-1", "all"):
                out.append((0, 65535))
            else:
                out.append((int(perm.get("FromPort", 0)), int(perm.get("ToPort", 65535))))
    return out


def _target_groups(elbv2: Any, ref: str) -> list[dict[str, Any]]:
    if ref.startswith("arn:"):
        return list(elbv2.describe_target_groups(TargetGroupArns=[ref])["TargetGroups"])
    return list(elbv2.describe_target_groups(Names=[ref])["TargetGroups"])


def check_alb_targets(elbv2: Any, ec2: Any, *, target_group: str | None = None, alb_sg: str, target_sg: str,
                      launch_type: str, container_port: int = 80,
                      target_group_arn: str | None = None) -> CheckResult:
    """EC2 + bridge: target type instance and the ephemeral range open from the ALB's SG.
    Fargate / awsvpc: target type ip and the container port open from the ALB's SG.

    ``target_group`` is a target group name or ARN (``target_group_arn`` is the older
    spelling); ``alb_sg`` and ``target_sg`` are security group names or IDs.
    """
    ck = Checker(f"ALB targets for {launch_type}")
    tg_ref = target_group or target_group_arn or ""
    tgs = ck.call(_target_groups, elbv2, tg_ref, failed=f"target group {tg_ref!r} exists",
                  fix=f"create the target group {tg_ref!r} with elbv2.create_target_group(Name=..., ...)")
    if not tgs:
        return ck.result()
    ttype = tgs[0].get("TargetType", "instance")
    alb_id = ck.call(_group_id, ec2, alb_sg, failed=f"security group {alb_sg!r} exists", fix=f"create the security group {alb_sg!r}")
    target_id = ck.call(_group_id, ec2, target_sg, failed=f"security group {target_sg!r} exists",
                        fix=f"ec2.create_security_group(GroupName={target_sg!r}, Description=..., VpcId=vpc)")
    allowed = (ck.call(_ingress_from, ec2, target_id, alb_id) or []) if alb_id and target_id else []
    if launch_type == "FARGATE":
        ck.expect(ttype == "ip", f"target type is {ttype!r}",
                  "awsvpc tasks (all Fargate tasks) need TargetType='ip': each task has its own ENI and IP")
        ck.expect(any(lo <= container_port <= hi for lo, hi in allowed),
                  f"the task security group allows port {container_port} from the ALB security group",
                  f"ec2.authorize_security_group_ingress(GroupId=task_sg, IpPermissions=[{{'IpProtocol': 'tcp', "
                  f"'FromPort': {container_port}, 'ToPort': {container_port}, 'UserIdGroupPairs': [{{'GroupId': alb_sg}}]}}])")
    else:
        ck.expect(ttype == "instance", f"target type is {ttype!r}",
                  "bridge-mode tasks with dynamic host ports register as TargetType='instance' (instance ID + port)")
        ck.expect(any(lo <= 49153 and hi >= 65535 for lo, hi in allowed),
                  "the instance security group allows the ephemeral port range from the ALB security group",
                  "allow TCP 49153-65535 (the dynamic host port range) from the ALB's security group, "
                  "not from 0.0.0.0/0")
    return ck.result()
