"""Checks for load balancing: ALB target groups and security groups (lab 4)."""

from __future__ import annotations

from typing import Any

from .base import Checker, CheckResult


def _ingress_from(ec2: Any, sg_id: str, source_sg: str) -> list[tuple[int, int]]:
    sg = ec2.describe_security_groups(GroupIds=[sg_id])["SecurityGroups"][0]
    out = []
    for perm in sg.get("IpPermissions", []):
        if any(p.get("GroupId") == source_sg for p in perm.get("UserIdGroupPairs", [])):
            out.append((int(perm.get("FromPort", 0)), int(perm.get("ToPort", 65535))))
    return out


def check_alb_targets(elbv2: Any, ec2: Any, *, target_group_arn: str, alb_sg: str, target_sg: str,
                      launch_type: str, container_port: int = 80) -> CheckResult:
    """EC2 + bridge: target type instance and the ephemeral range open from the ALB's SG.
    Fargate / awsvpc: target type ip and the container port open from the ALB's SG."""
    ck = Checker(f"ALB targets for {launch_type}")
    tgs = (ck.call(elbv2.describe_target_groups, TargetGroupArns=[target_group_arn],
                   fix="create the target group with elbv2.create_target_group") or {}).get("TargetGroups", [])
    if not tgs:
        return ck.result()
    ttype = tgs[0].get("TargetType", "instance")
    allowed = ck.call(_ingress_from, ec2, target_sg, alb_sg, fix="create both security groups") or []
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
