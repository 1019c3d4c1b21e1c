"""Checks for service auto scaling with Application Auto Scaling (lab 7)."""

from __future__ import annotations

from typing import Any

from .base import Checker, CheckResult


def check_service_scaling(aas: Any, cluster: str, service: str, *, min_capacity: int = 1,
                          need_target_tracking: bool = True, need_scheduled: bool = False) -> CheckResult:
    ck = Checker(f"auto scaling for {service}")
    rid = f"service/{cluster}/{service}"
    targets = (ck.call(aas.describe_scalable_targets, ServiceNamespace="ecs", ResourceIds=[rid]) or {}
               ).get("ScalableTargets", [])
    if not ck.expect(bool(targets), f"{rid} is a scalable target",
                     "aas.register_scalable_target(ServiceNamespace='ecs', ResourceId='service/<cluster>/<service>', "
                     "ScalableDimension='ecs:service:DesiredCount', MinCapacity=..., MaxCapacity=...)"):
        return ck.result()
    t = targets[0]
    ck.expect(t["ScalableDimension"] == "ecs:service:DesiredCount", "the dimension is ecs:service:DesiredCount",
              "ECS services scale on ScalableDimension='ecs:service:DesiredCount'")
    ck.expect(t["MinCapacity"] >= min_capacity and t["MaxCapacity"] > t["MinCapacity"],
              f"capacity range {t['MinCapacity']}..{t['MaxCapacity']}",
              f"MinCapacity >= {min_capacity} and MaxCapacity above it")
    policies = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=rid)["ScalingPolicies"]
    tt = [p for p in policies if p["PolicyType"] == "TargetTrackingScaling"]
    if need_target_tracking:
        ok = any((p.get("TargetTrackingScalingPolicyConfiguration", {}).get("PredefinedMetricSpecification") or {})
                 .get("PredefinedMetricType") in ("ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization",
                                                  "ALBRequestCountPerTarget") for p in tt)
        ck.expect(ok, "a target tracking policy uses a predefined ECS metric",
                  "PolicyType='TargetTrackingScaling' with PredefinedMetricType='ECSServiceAverageCPUUtilization'")
    if need_scheduled:
        actions = aas.describe_scheduled_actions(ServiceNamespace="ecs", ResourceId=rid)["ScheduledActions"]
        ck.expect(bool(actions), f"{len(actions)} scheduled action(s)",
                  "aas.put_scheduled_action(..., Schedule='cron(0 8 * * ? *)', ScalableTargetAction={...})")
    return ck.result()
