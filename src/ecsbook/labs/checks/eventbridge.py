"""Checks for EventBridge rules that start ECS tasks (lab 10)."""

from __future__ import annotations

import json
from typing import Any

from .base import Checker, CheckResult


def check_s3_upload_rule(events: Any, rule: str, bucket: str) -> CheckResult:
    ck = Checker(f"EventBridge rule {rule}")
    r = ck.call(events.describe_rule, Name=rule, failed=f"rule {rule!r} exists", fix=f"events.put_rule(Name={rule!r}, EventPattern=...)")
    if not r:
        return ck.result()
    pattern = json.loads(r.get("EventPattern") or "{}")
    ck.expect(pattern.get("source") == ["aws.s3"], "the rule matches events from aws.s3",
              "EventPattern source: ['aws.s3']")
    ck.expect("Object Created" in pattern.get("detail-type", []), "it matches 'Object Created' events",
              "EventPattern detail-type: ['Object Created'] (S3 EventBridge notifications must be on for the bucket)")
    ck.expect(bucket in (pattern.get("detail", {}).get("bucket", {}).get("name", [])),
              f"it is limited to bucket {bucket}", "EventPattern detail: {'bucket': {'name': [bucket]}}")
    targets = events.list_targets_by_rule(Rule=rule)["Targets"]
    ecs_targets = [t for t in targets if t.get("EcsParameters")]
    if ck.expect(bool(ecs_targets), "a target runs an ECS task (EcsParameters)",
                 "put_targets with Arn=<cluster ARN>, RoleArn=<events role>, EcsParameters={'TaskDefinitionArn': ..., "
                 "'LaunchType': 'FARGATE', 'NetworkConfiguration': {...}}"):
        t = ecs_targets[0]
        ck.expect(bool(t.get("RoleArn")), "the target has a role (ecs:RunTask + iam:PassRole)",
                  "EventBridge needs a role that trusts events.amazonaws.com to call ecs:RunTask")
        ck.expect(t["EcsParameters"].get("LaunchType") != "FARGATE" or bool(t["EcsParameters"].get("NetworkConfiguration")),
                  "Fargate targets have a network configuration",
                  "awsvpcConfiguration with subnets (and security groups) is required for Fargate")
    return ck.result()
