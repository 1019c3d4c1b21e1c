"""Checks for ECR repositories (lab 9)."""

from __future__ import annotations

import json
from typing import Any

from .base import Checker, CheckResult


def check_repository(ecr: Any, name: str) -> CheckResult:
    ck = Checker(f"ECR repository {name}")
    repos = (ck.call(ecr.describe_repositories, repositoryNames=[name],
                     failed=f"repository {name!r} exists",
                     fix=f"ecr.create_repository(repositoryName={name!r})") or {}).get("repositories", [])
    if not repos:
        return ck.result()
    r = repos[0]
    ck.expect((r.get("imageScanningConfiguration") or {}).get("scanOnPush") is True, "images are scanned on push",
              "imageScanningConfiguration={'scanOnPush': True}")
    ck.expect(r.get("imageTagMutability") == "IMMUTABLE", "image tags are immutable",
              "imageTagMutability='IMMUTABLE' so a tag like v1.2 always means the same image")
    pol = ck.call(ecr.get_lifecycle_policy, repositoryName=name,
                  failed=f"repository {name!r} has a lifecycle policy",
                  fix="ecr.put_lifecycle_policy(repositoryName=..., lifecyclePolicyText=json.dumps({'rules': [...]}))")
    if pol:
        rules = json.loads(pol["lifecyclePolicyText"]).get("rules", [])
        prios = [r.get("rulePriority") for r in rules]
        ck.expect(bool(rules) and len(set(prios)) == len(prios), f"{len(rules)} lifecycle rules with unique priorities",
                  "give each rule a unique rulePriority (lower runs first)")
        untagged = any(r.get("selection", {}).get("tagStatus") == "untagged" for r in rules)
        ck.expect(untagged, "a rule expires untagged images",
                  "{'rulePriority': 1, 'selection': {'tagStatus': 'untagged', 'countType': 'sinceImagePushed', "
                  "'countUnit': 'days', 'countNumber': 14}, 'action': {'type': 'expire'}}")
    return ck.result()
