"""Checks for clusters, services, capacity providers and deployments (labs 1, 6, 8, 11)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ecsbook.scheduler.deployments import deployment_bounds
from ecsbook.scheduler.errors import ECSError

from .base import Checker, CheckResult


def _service(ck: Checker, ecs: Any, cluster: str, service: str) -> dict[str, Any] | None:
    out = ck.call(ecs.describe_services, cluster=cluster, services=[service],
                  failed=f"cluster {cluster!r} exists", fix=f"create the cluster {cluster!r} first")
    found = [s for s in (out or {}).get("services", []) if s.get("status", "ACTIVE") != "INACTIVE"]
    if not ck.expect(bool(found), f"service {service!r} exists in cluster {cluster!r}",
                     f"create it with ecs.create_service(cluster={cluster!r}, serviceName={service!r}, ...)"):
        return None
    return dict(found[0])


def check_cluster(ecs: Any, cluster: str, *, min_instances: int = 2, min_azs: int = 2,
                  capacity_providers: Sequence[str] = ("FARGATE", "FARGATE_SPOT")) -> CheckResult:
    ck = Checker(f"cluster {cluster}")
    found = (ck.call(ecs.describe_clusters, clusters=[cluster], failed=f"cluster {cluster!r} exists")
             or {}).get("clusters", [])
    if not ck.expect(bool(found) and found[0].get("status") == "ACTIVE", f"cluster {cluster!r} is ACTIVE",
                     f"ecs.create_cluster(clusterName={cluster!r})"):
        return ck.result()
    arns = ecs.list_container_instances(cluster=cluster).get("containerInstanceArns", [])
    ck.expect(len(arns) >= min_instances, f"{len(arns)} container instances registered (need {min_instances})",
              "register more with register_container_instance(lab, cluster, instance_type, az)")
    if arns:
        cis = ecs.describe_container_instances(cluster=cluster, containerInstances=arns)["containerInstances"]
        azs = {a["value"] for ci in cis for a in ci.get("attributes", []) if a["name"] == "ecs.availability-zone"}
        ck.expect(len(azs) >= min_azs, f"instances span {len(azs)} Availability Zones (need {min_azs})",
                  "register instances in different AZs, e.g. us-east-1a and us-east-1b, for high availability")
    have = set(found[0].get("capacityProviders", []))
    missing = [p for p in capacity_providers if p not in have]
    ck.expect(not missing, f"capacity providers associated: {sorted(have) or 'none'}",
              f"ecs.put_cluster_capacity_providers(cluster={cluster!r}, capacityProviders={list(capacity_providers)}, "
              "defaultCapacityProviderStrategy=[...])")
    return ck.result()


def check_services(ecs: Any, cluster: str, replica: str, daemon: str) -> CheckResult:
    ck = Checker("replica and daemon services")
    r = _service(ck, ecs, cluster, replica)
    if r:
        ck.expect(r.get("schedulingStrategy", "REPLICA") == "REPLICA", f"{replica} uses the REPLICA scheduler",
                  "schedulingStrategy='REPLICA' (the default)")
        ck.expect(r.get("desiredCount", 0) >= 2, f"{replica} wants {r.get('desiredCount', 0)} tasks (>= 2)",
                  "set desiredCount to 2 or more so one AZ can fail")
        fields = [s.get("field") for s in r.get("placementStrategy") or []]
        ck.expect("attribute:ecs.availability-zone" in fields,
                  f"{replica} spreads across Availability Zones (strategies: {fields or 'none'})",
                  "placementStrategy=[{'type': 'spread', 'field': 'attribute:ecs.availability-zone'}, ...]")
    d = _service(ck, ecs, cluster, daemon)
    if d:
        ck.expect(d.get("schedulingStrategy") == "DAEMON", f"{daemon} uses the DAEMON scheduler",
                  "schedulingStrategy='DAEMON' (one task on every instance); omit desiredCount and placementStrategy")
    return ck.result()


def check_capacity_strategy(ecs: Any, cluster: str, *, spot_share_at_least: float = 0.5,
                            base_provider: str = "FARGATE") -> CheckResult:
    ck = Checker(f"capacity provider strategy of {cluster}")
    found = (ck.call(ecs.describe_clusters, clusters=[cluster]) or {}).get("clusters", [])
    if not ck.expect(bool(found), f"cluster {cluster!r} exists", f"ecs.create_cluster(clusterName={cluster!r})"):
        return ck.result()
    strat = found[0].get("defaultCapacityProviderStrategy", [])
    ck.expect(bool(strat), "the cluster has a default capacity provider strategy",
              "ecs.put_cluster_capacity_providers(..., defaultCapacityProviderStrategy=[...])")
    by = {s["capacityProvider"]: s for s in strat}
    ck.expect(by.get(base_provider, {}).get("base", 0) >= 1,
              f"{base_provider} has a base of {by.get(base_provider, {}).get('base', 0)} (need >= 1 on-demand task)",
              f"give {base_provider} a base, e.g. {{'capacityProvider': '{base_provider}', 'base': 1, 'weight': 1}}")
    weights = {k: v.get("weight", 0) for k, v in by.items()}
    total = sum(weights.values()) or 1
    share = weights.get("FARGATE_SPOT", 0) / total
    ck.expect(share >= spot_share_at_least, f"FARGATE_SPOT gets {share:.0%} of tasks after the base",
              "weight FARGATE_SPOT higher than FARGATE, e.g. 3 to 1, to run most tasks on Spot")
    return ck.result()


def check_deployment_configuration(ecs: Any, cluster: str, service: str, *, min_healthy_at_least: int = 50,
                                   need_rollback: bool = True) -> CheckResult:
    ck = Checker(f"deployment configuration of {service}")
    s = _service(ck, ecs, cluster, service)
    if not s:
        return ck.result()
    cfg = s.get("deploymentConfiguration") or {}
    try:
        b = deployment_bounds(int(s.get("desiredCount", 0)),
                              {k: v for k, v in cfg.items() if k in ("minimumHealthyPercent", "maximumPercent")})
        ck.expect(b.minimum_healthy_percent >= min_healthy_at_least,
                  f"minimumHealthyPercent {b.minimum_healthy_percent}% keeps {b.min_healthy_tasks} of "
                  f"{b.desired_count} tasks running", f"set minimumHealthyPercent to at least {min_healthy_at_least}")
        ck.expect(b.maximum_percent > 100, f"maximumPercent {b.maximum_percent}% lets up to {b.max_tasks} tasks run",
                  "set maximumPercent above 100 so new tasks can start before old ones stop")
    except ECSError as err:
        ck.expect(False, str(err), "fix the deploymentConfiguration values")
    cb = cfg.get("deploymentCircuitBreaker") or {}
    ck.expect(bool(cb.get("enable")), "the deployment circuit breaker is enabled",
              "deploymentConfiguration={'deploymentCircuitBreaker': {'enable': True, 'rollback': True}, ...}")
    if need_rollback:
        ck.expect(bool(cb.get("rollback")), "failed deployments roll back automatically",
                  "set deploymentCircuitBreaker.rollback = True")
    return ck.result()
