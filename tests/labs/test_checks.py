"""Lab checks: right answers pass (including alternative solutions), wrong ones say how to fix."""

from __future__ import annotations

import json

import pytest

from ecsbook.labs import register_container_instance, start_lab
from ecsbook.labs.adapter import cluster_from_moto, service_from_moto
from ecsbook.labs.checks import cluster as cc
from ecsbook.labs.checks import task_definitions as tdc
from ecsbook.labs.checks.ecr import check_repository


@pytest.fixture()
def lab():
    lab = start_lab()
    yield lab
    lab.stop()


def test_check_result_renders_red_with_fix_and_escapes_html():
    from ecsbook.labs.checks.base import CheckItem, CheckResult

    r = CheckResult("t", (CheckItem(True, "ok <b>"), CheckItem(False, "bad", "do <this>")))
    assert not r.passed and "Fix:" in r._repr_html_() and "&lt;this&gt;" in r._repr_html_()
    assert "fix: do <this>" in str(r)
    assert not CheckResult("empty", ()).passed  # a check with nothing checked never passes


def test_check_result_plain_text_is_the_pass_not_yet_list():
    from IPython.core.formatters import PlainTextFormatter

    from ecsbook.labs.checks.base import CheckItem, CheckResult

    r = CheckResult("roles", (CheckItem(True, "exec ok"), CheckItem(False, "task role missing", "create it")))
    text = "NOT YET: roles\n  [ok] exec ok\n  [X ] task role missing\n       fix: create it"
    assert str(r) == repr(r) == text
    assert PlainTextFormatter()(r) == text  # what nbconvert and text consoles show
    assert repr(CheckResult("t", (CheckItem(True, "fine"),))).startswith("PASS: t")


def test_cluster_check_missing_cluster_is_red_not_a_traceback(lab):
    r = cc.check_cluster(lab.client("ecs"), "nope")
    assert not r.passed and "create_cluster" in r.problems[0].fix


def test_cluster_check_single_az_fails_two_azs_pass(lab):
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="c")
    ecs.put_cluster_capacity_providers(cluster="c", capacityProviders=["FARGATE", "FARGATE_SPOT"],
                                       defaultCapacityProviderStrategy=[])
    register_container_instance(lab, "c", "m5.large", "us-east-1a")
    register_container_instance(lab, "c", "m5.large", "us-east-1a")
    r = cc.check_cluster(ecs, "c")
    assert [i.what for i in r.problems] == ["instances span 1 Availability Zones (need 2)"]
    register_container_instance(lab, "c", "t3.medium", "us-east-1c")  # any second AZ is fine
    assert cc.check_cluster(ecs, "c").passed


def _fargate_td(ecs, family="web", **over):
    kw = {"family": family, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "512", "memory": "1024",
              "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
              "containerDefinitions": [{"name": "w", "image": "nginx", "memory": 1024,
                                     "logConfiguration": {"logDriver": "awslogs", "options": {}}}]}
    kw.update(over)
    ecs.register_task_definition(**kw)


def test_fargate_task_definition_check(lab):
    ecs = lab.client("ecs")
    _fargate_td(ecs)
    assert tdc.check_fargate_task_definition(ecs, "web").passed
    _fargate_td(ecs, "alt", cpu="1 vCPU", memory="2GB")  # vCPU/GB notation is also correct
    assert tdc.check_fargate_task_definition(ecs, "alt").passed
    # what ECS refuses never registers (the sandbox answers as ECS does) ...
    with pytest.raises(ecs.exceptions.ClientException, match="Invalid 'cpu' setting for task"):
        _fargate_td(ecs, "bad", cpu="256", memory="4096")
    # ... and what registers but is incomplete is caught by the check
    ecs.register_task_definition(family="thin", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
                                 cpu="256", memory="512",
                                 containerDefinitions=[{"name": "w", "image": "nginx", "essential": False,
                                                        "secrets": [{"name": "PW", "valueFrom": "arn:x"}]}])
    r = tdc.check_fargate_task_definition(ecs, "thin")
    assert [i.what for i in r.problems] == [
        "at least one container is essential", "containers send logs to CloudWatch Logs (awslogs)",
        "an execution role is set (the agent needs it for awslogs, ECR pulls and secrets)"]


def test_roles_check():
    lab = start_lab(managed_policies=True)  # AWS managed policies can be attached by ARN
    iam = lab.client("iam")

    def trust(svc):
        return json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": svc}, "Action": "sts:AssumeRole"}]})

    iam.create_role(RoleName="exec", AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))
    iam.attach_role_policy(RoleName="exec", PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
    iam.create_role(RoleName="task", AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))
    iam.create_role(RoleName="inst", AssumeRolePolicyDocument=trust("ec2.amazonaws.com"))
    iam.attach_role_policy(RoleName="inst", PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
    assert tdc.check_ecs_roles(iam, execution_role="exec", task_role="task", instance_role="inst").passed
    r = tdc.check_ecs_roles(iam, execution_role="exec", task_role="inst", instance_role="task")
    assert {i.what for i in r.problems} >= {"inst trusts ec2.amazonaws.com, not ecs-tasks.amazonaws.com",
                                            "task trusts ecs-tasks.amazonaws.com, not ec2.amazonaws.com"}
    r = tdc.check_ecs_roles(iam, execution_role="exec", task_role="exec", instance_role="inst")
    assert any("same role" in i.what for i in r.problems)
    lab.stop()


def test_services_and_deployment_checks_read_settings_moto_drops(lab):
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="w", containerDefinitions=[{"name": "w", "image": "x", "memory": 128}])
    ecs.create_service(cluster="c", serviceName="web", taskDefinition="w", desiredCount=4,
                       placementStrategy=[{"type": "spread", "field": "attribute:ecs.availability-zone"}],
                       deploymentConfiguration={"minimumHealthyPercent": 50, "maximumPercent": 200,
                                                "deploymentCircuitBreaker": {"enable": True, "rollback": True}})
    ecs.create_service(cluster="c", serviceName="agent", taskDefinition="w", schedulingStrategy="DAEMON")
    assert cc.check_services(ecs, "c", replica="web", daemon="agent").passed
    assert not cc.check_services(ecs, "c", replica="web", daemon="web").passed
    assert cc.check_deployment_configuration(ecs, "c", "web").passed
    ecs.update_service(cluster="c", service="web", deploymentConfiguration={"minimumHealthyPercent": 0,
                                                                             "maximumPercent": 100})
    r = cc.check_deployment_configuration(ecs, "c", "web")
    assert len(r.problems) == 4  # min 0, max 100, no breaker, no rollback
    svc = service_from_moto(ecs, "c", "web")
    assert svc["deploymentConfiguration"]["maximumPercent"] == 100


def test_capacity_strategy_check(lab):
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="m")
    ecs.put_cluster_capacity_providers(cluster="m", capacityProviders=["FARGATE", "FARGATE_SPOT"],
                                       defaultCapacityProviderStrategy=[
                                           {"capacityProvider": "FARGATE", "base": 2, "weight": 1},
                                           {"capacityProvider": "FARGATE_SPOT", "weight": 4}])
    assert cc.check_capacity_strategy(ecs, "m").passed
    ecs.put_cluster_capacity_providers(cluster="m", capacityProviders=["FARGATE", "FARGATE_SPOT"],
                                       defaultCapacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1}])
    assert len(cc.check_capacity_strategy(ecs, "m").problems) == 2


def test_ecr_check(lab):
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="repo", imageTagMutability="IMMUTABLE",
                          imageScanningConfiguration={"scanOnPush": True})
    r = check_repository(ecr, "repo")
    assert not r.passed and "lifecycle" in r.problems[0].fix.lower() + r.problems[0].what.lower()
    ecr.put_lifecycle_policy(repositoryName="repo", lifecyclePolicyText=json.dumps({"rules": [
        {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                          "countUnit": "days", "countNumber": 7}, "action": {"type": "expire"}}]}))
    assert check_repository(ecr, "repo").passed


def test_adapter_uses_real_instance_sizes(lab):
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="a")
    register_container_instance(lab, "a", "c5.large", "us-east-1b", {"stack": "prod"})
    state = cluster_from_moto(ecs, "a")
    inst = next(iter(state.instances.values()))
    assert (inst.cpu, inst.instance_type, inst.availability_zone) == (2048, "c5.large", "us-east-1b")
    assert inst.attributes["stack"] == "prod"
    from ecsbook.scheduler.errors import ClientException

    with pytest.raises(ClientException):
        cluster_from_moto(ecs, "missing")


def test_start_lab_resets_state():
    lab = start_lab()
    lab.client("ecs").create_cluster(clusterName="x")
    lab2 = start_lab()
    assert lab2.client("ecs").list_clusters()["clusterArns"] == []
    lab2.stop()
