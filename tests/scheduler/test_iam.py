"""IAM resolver: one test per documented rule (page named next to each case)."""

from __future__ import annotations

from typing import Any

import pytest

from ecsbook.scheduler import iam
from ecsbook.scheduler.errors import ClientException, ECSError, InvalidParameterException

ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
EXEC = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
TASK = "arn:aws:iam::123456789012:role/webTaskRole"
SM = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"


def td(image: str = "nginx", *, exec_role: str | None = None, task_role: str | None = None,
       mode: str | None = None, fargate: bool = False, **container: Any) -> dict[str, Any]:
    c: dict[str, Any] = {"name": "app", "image": image, "memory": 512}
    c.update(container)
    d: dict[str, Any] = {"family": "web", "containerDefinitions": [c]}
    if exec_role:
        d["executionRoleArn"] = exec_role
    if task_role:
        d["taskRoleArn"] = task_role
    if mode:
        d["networkMode"] = mode
    if fargate:
        d["requiresCompatibilities"] = ["FARGATE"]
        d["networkMode"] = "awsvpc"
    return d


AWSLOGS = {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}}


# --- RegisterTaskDefinition errors (task_execution_IAM_role.html; ECS's published error text)

def test_secrets_without_execution_role_are_rejected_at_registration() -> None:
    with pytest.raises(ClientException) as err:
        iam.validate_task_definition_roles(td(secrets=[{"name": "DB", "valueFrom": SM}]))
    assert err.value.message == ("When you are specifying container secrets, you must also specify a value "
                                 "for 'executionRoleArn'.")
    assert err.value.field == "executionRoleArn"


def test_log_configuration_secret_options_count_as_secrets() -> None:
    log = {"logDriver": "splunk", "secretOptions": [{"name": "splunk-token", "valueFrom": SM}]}
    with pytest.raises(ClientException, match="container secrets"):
        iam.validate_task_definition_roles(td(logConfiguration=log))


def test_fargate_ecr_image_without_execution_role_is_rejected() -> None:
    with pytest.raises(ClientException) as err:
        iam.validate_task_definition_roles(td(ECR, fargate=True))
    assert err.value.message == "Fargate requires task definition to have execution role ARN to support ECR images."


def test_fargate_awslogs_without_execution_role_is_rejected() -> None:
    with pytest.raises(ClientException) as err:
        iam.validate_task_definition_roles(td(fargate=True, logConfiguration=AWSLOGS))
    assert err.value.message == ("Fargate requires task definition to have execution role ARN to support "
                                 "log driver awslogs.")


def test_ec2_ecr_image_and_awslogs_register_without_execution_role() -> None:
    # EC2: the container instance role can pull and log, so registration accepts it
    iam.validate_task_definition_roles(td(ECR, logConfiguration=AWSLOGS))


def test_an_execution_role_satisfies_every_registration_rule() -> None:
    iam.validate_task_definition_roles(td(ECR, exec_role=EXEC, fargate=True, logConfiguration=AWSLOGS,
                                          secrets=[{"name": "DB", "valueFrom": SM}]))


# --- who pulls the image (task_execution_IAM_role.html, instance_IAM_role.html)

@pytest.mark.parametrize("launch_type", ["FARGATE", "EC2", "EXTERNAL", "MANAGED_INSTANCES"])
def test_execution_role_pulls_private_ecr_images_on_every_launch_type(launch_type: str) -> None:
    r = iam.resolve_task_roles(td(ECR, exec_role=EXEC, mode="awsvpc"), launch_type=launch_type)
    assert r.who("pull image") == ["executionRole"]
    assert r.roles["executionRole"] == (EXEC, "ecs-tasks.amazonaws.com")


def test_on_ec2_without_execution_role_the_instance_role_pulls() -> None:
    r = iam.resolve_task_roles(td(ECR), launch_type="EC2")
    pull = [a for a in r.accesses if a.action == "pull image"][0]
    assert pull.principal == "containerInstanceRole" and pull.trust == "ec2.amazonaws.com"
    assert "ecr:BatchGetImage" in pull.permissions and r.ok


@pytest.mark.parametrize("launch_type", ["EXTERNAL", "MANAGED_INSTANCES"])
def test_external_and_managed_instances_need_the_execution_role_for_ecr(launch_type: str) -> None:
    r = iam.resolve_task_roles(td(ECR, mode="awsvpc"), launch_type=launch_type)
    assert not r.ok and r.failures()[0].action == "pull image"


def test_public_image_needs_no_credentials() -> None:
    r = iam.resolve_task_roles(td("public.ecr.aws/nginx/nginx:latest"), launch_type="EC2")
    assert r.who("pull image") == ["anonymous"]


# --- private registry authentication (private-auth.html)

def test_repository_credentials_are_read_with_the_execution_role() -> None:
    creds = {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hub"}
    r = iam.resolve_task_roles(td("private-repo/img", exec_role=EXEC, repositoryCredentials=creds), launch_type="EC2")
    assert r.who("registry credentials") == ["executionRole"]
    assert r.who("pull image") == ["registry credentials"] and r.ok


def test_repository_credentials_without_execution_role_fail_at_start() -> None:
    creds = {"credentialsParameter": "hub"}
    r = iam.resolve_task_roles(td("private-repo/img", repositoryCredentials=creds), launch_type="EC2")
    assert not r.ok and "requires the task execution role" in r.failures()[0].why


def test_repository_credentials_need_agent_1_19_0() -> None:
    creds = {"credentialsParameter": "hub"}
    r = iam.resolve_task_roles(td("private-repo/img", exec_role=EXEC, repositoryCredentials=creds),
                               launch_type="EC2", agent={"agent_version": "1.18.0"})
    assert not r.ok and "1.19.0" in r.failures()[0].why


def test_repository_credentials_need_fargate_platform_1_2_0() -> None:
    creds = {"credentialsParameter": "hub"}
    r = iam.resolve_task_roles(td("private-repo/img", exec_role=EXEC, fargate=True, repositoryCredentials=creds),
                               launch_type="FARGATE", platform_version="1.1.0")
    assert not r.ok and "1.2.0" in r.failures()[0].why


def test_repository_credentials_on_an_ecr_image_are_flagged() -> None:
    r = iam.resolve_task_roles(td(ECR, exec_role=EXEC, repositoryCredentials={"credentialsParameter": "x"}),
                               launch_type="EC2")
    assert any("does not apply to images in Amazon ECR" in f for f in r.findings)


# --- awslogs (task_execution_IAM_role.html; agent README ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE)

def test_fargate_awslogs_uses_the_execution_role() -> None:
    r = iam.resolve_task_roles(td(exec_role=EXEC, fargate=True, logConfiguration=AWSLOGS), launch_type="FARGATE")
    logs = [a for a in r.accesses if a.action == "write logs"][0]
    assert logs.principal == "executionRole" and logs.permissions == ("logs:CreateLogStream", "logs:PutLogEvents")


def test_ec2_awslogs_uses_execution_role_when_the_override_is_on() -> None:
    r = iam.resolve_task_roles(td(exec_role=EXEC, logConfiguration=AWSLOGS), launch_type="EC2")
    assert r.who("write logs") == ["executionRole"]


def test_ec2_awslogs_falls_back_to_instance_role_when_the_override_is_off() -> None:
    r = iam.resolve_task_roles(td(exec_role=EXEC, logConfiguration=AWSLOGS), launch_type="EC2",
                               agent={"ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE": "false"})
    assert r.who("write logs") == ["containerInstanceRole"]


def test_ec2_awslogs_without_execution_role_uses_instance_role() -> None:
    r = iam.resolve_task_roles(td(logConfiguration=AWSLOGS), launch_type="EC2")
    assert r.who("write logs") == ["containerInstanceRole"] and r.ok


def test_external_awslogs_without_execution_role_fails_at_start() -> None:
    r = iam.resolve_task_roles(td(logConfiguration=AWSLOGS), launch_type="EXTERNAL")
    assert not r.ok and r.failures()[0].action == "write logs"


# --- secrets (specifying-sensitive-data.html and its two subpages)

def test_secrets_are_fetched_by_the_execution_role_with_the_store_permission() -> None:
    r = iam.resolve_task_roles(td(exec_role=EXEC, secrets=[
        {"name": "DB", "valueFrom": SM},
        {"name": "API", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/api-key"}]), launch_type="EC2")
    got = {a.subject: a for a in r.accesses if a.action == "fetch secret"}
    assert got["DB"].principal == got["API"].principal == "executionRole"
    assert got["DB"].permissions[0] == "secretsmanager:GetSecretValue"
    assert got["API"].permissions[0] == "ssm:GetParameters"


def test_ssm_parameter_referencing_secrets_manager_needs_both_permissions() -> None:
    ref = iam.parse_value_from("/aws/reference/secretsmanager/db")
    assert ref.permissions == ("ssm:GetParameters", "secretsmanager:GetSecretValue")


@pytest.mark.parametrize("value_from,key,stage,vid", [
    (SM, "", "", ""),                                   # the whole secret
    (SM + ":username1::", "username1", "", ""),         # a JSON key
    (SM + "::AWSPREVIOUS:", "", "AWSPREVIOUS", ""),     # a staging label
    (SM + ":::9d4cb84b", "", "", "9d4cb84b"),           # a version ID
    (SM + ":username1:AWSPREVIOUS:", "username1", "AWSPREVIOUS", ""),
])
def test_secrets_manager_value_from_syntax(value_from: str, key: str, stage: str, vid: str) -> None:
    ref = iam.parse_value_from(value_from)
    assert (ref.name, ref.json_key, ref.version_stage, ref.version_id) == ("db-AbCdEf", key, stage, vid)


def test_version_stage_and_version_id_cannot_both_be_given() -> None:
    with pytest.raises(InvalidParameterException, match="cannot specify a version ID"):
        iam.parse_value_from(SM + ":k:AWSPREVIOUS:9d4cb84b")


def test_secrets_manager_reference_with_missing_colons_is_invalid() -> None:
    with pytest.raises(InvalidParameterException, match="keep their colons"):
        iam.parse_value_from(SM + ":username1")


@pytest.mark.parametrize("pv,specific,ok", [("1.3.0", False, True), ("1.2.0", False, False),
                                            ("1.4.0", True, True), ("1.3.0", True, False)])
def test_fargate_platform_version_for_secrets(pv: str, specific: bool, ok: bool) -> None:
    vf = SM + ":username1::" if specific else SM
    r = iam.resolve_task_roles(td(exec_role=EXEC, fargate=True, secrets=[{"name": "DB", "valueFrom": vf}]),
                               launch_type="FARGATE", platform_version=pv)
    assert r.ok is ok


@pytest.mark.parametrize("agent,specific,ok", [("1.22.0", False, True), ("1.21.0", False, False),
                                               ("1.37.0", True, True), ("1.36.0", True, False)])
def test_ec2_agent_version_for_secrets(agent: str, specific: bool, ok: bool) -> None:
    vf = SM + ":username1::" if specific else SM
    r = iam.resolve_task_roles(td(exec_role=EXEC, secrets=[{"name": "DB", "valueFrom": vf}]),
                               launch_type="EC2", agent={"agent_version": agent})
    assert r.ok is ok


def test_ec2_log_secret_needs_the_awslogs_override() -> None:
    log = {"logDriver": "splunk", "secretOptions": [{"name": "splunk-token", "valueFrom": SM}]}
    r = iam.resolve_task_roles(td(exec_role=EXEC, logConfiguration=log), launch_type="EC2",
                               agent={"ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE": False})
    assert not r.ok and "ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE" in r.failures()[0].why


def test_ssm_parameter_name_works_only_in_the_task_region() -> None:
    r = iam.resolve_task_roles(td(exec_role=EXEC, secrets=[{"name": "P", "valueFrom": "api-key"}]), launch_type="EC2")
    assert "only in the task's Region" in [a for a in r.accesses if a.action == "fetch secret"][0].why


# --- application credentials (task-iam-roles.html)

@pytest.mark.parametrize("launch_type,mode", [("FARGATE", "awsvpc"), ("EC2", "bridge"), ("EC2", "host"),
                                              ("EC2", "awsvpc"), ("EXTERNAL", "bridge"),
                                              ("MANAGED_INSTANCES", "awsvpc")])
def test_task_role_serves_the_sdk(launch_type: str, mode: str) -> None:
    r = iam.resolve_task_roles(td(task_role=TASK, mode=mode), launch_type=launch_type)
    assert r.who("application credentials") == ["taskRole"]
    assert r.roles["taskRole"] == (TASK, "ecs-tasks.amazonaws.com")


@pytest.mark.parametrize("mode,flag", [("bridge", "ECS_ENABLE_TASK_IAM_ROLE"),
                                       ("host", "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST")])
def test_without_the_agent_flag_ec2_tasks_fall_back_to_the_instance_role(mode: str, flag: str) -> None:
    r = iam.resolve_task_roles(td(task_role=TASK, mode=mode), launch_type="EC2", agent={flag: False})
    a = [x for x in r.accesses if x.action == "application credentials"][0]
    assert a.principal == "containerInstanceRole" and a.status == "RISK" and flag in a.why


def test_awsvpc_task_role_does_not_need_the_bridge_flag() -> None:
    r = iam.resolve_task_roles(td(task_role=TASK, mode="awsvpc"), launch_type="EC2",
                               agent={"ECS_ENABLE_TASK_IAM_ROLE": False})
    assert r.who("application credentials") == ["taskRole"]


def test_non_ecs_optimized_ami_has_every_flag_off() -> None:
    a = iam.AgentSettings.from_api(None, ecs_optimized_ami=False)
    assert not (a.ECS_ENABLE_TASK_IAM_ROLE or a.ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST
                or a.ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE)


@pytest.mark.parametrize("agent,mode,ok", [("1.11.0", "bridge", True), ("1.10.0", "bridge", False),
                                           ("1.12.0", "host", True), ("1.11.0", "host", False)])
def test_task_roles_need_agent_1_11_and_1_12_for_host(agent: str, mode: str, ok: bool) -> None:
    r = iam.resolve_task_roles(td(task_role=TASK, mode=mode), launch_type="EC2", agent={"agent_version": agent})
    assert (r.who("application credentials") == ["taskRole"]) is ok


def test_ec2_without_task_role_the_sdk_uses_the_instance_role() -> None:
    r = iam.resolve_task_roles(td(), launch_type="EC2")
    a = [x for x in r.accesses if x.action == "application credentials"][0]
    assert a.principal == "containerInstanceRole" and a.status == "RISK"


def test_fargate_without_task_role_has_no_credentials() -> None:
    r = iam.resolve_task_roles(td(fargate=True), launch_type="FARGATE")
    assert r.who("application credentials") == ["none"]


@pytest.mark.parametrize("mode,block,expect", [("awsvpc", True, None), ("awsvpc", False, "ECS_AWSVPC_BLOCK_IMDS"),
                                               ("bridge", False, "iptables"), ("host", False, "host mode")])
def test_instance_metadata_remains_reachable_unless_blocked(mode: str, block: bool, expect: str | None) -> None:
    r = iam.resolve_task_roles(td(task_role=TASK, mode=mode), launch_type="EC2",
                               agent={"ECS_AWSVPC_BLOCK_IMDS": block})
    if expect is None:
        assert not r.findings
    else:
        assert any(expect in f for f in r.findings)


def test_run_task_override_replaces_the_task_role() -> None:
    other = "arn:aws:iam::123456789012:role/other"
    r = iam.resolve_task_roles(td(task_role=TASK, mode="awsvpc"), launch_type="FARGATE",
                               overrides={"taskRoleArn": other})
    assert r.roles["taskRole"][0] == other


def test_network_mode_none_makes_no_aws_calls() -> None:
    r = iam.resolve_task_roles(td(task_role=TASK, mode="none"), launch_type="EC2")
    assert r.who("application credentials") == ["none"]


def test_execution_role_never_serves_the_application() -> None:
    r = iam.resolve_task_roles(td(exec_role=EXEC, fargate=True), launch_type="FARGATE")
    assert "executionRole" not in r.who("application credentials")


# --- roles outside the task (instance, anywhere, infrastructure, service-linked, events, scheduler, codedeploy)

@pytest.mark.parametrize("feature,kind,trust", [
    ("EC2", "containerInstanceRole", "ec2.amazonaws.com"),
    ("EXTERNAL", "anywhereRole", "ssm.amazonaws.com"),
    ("MANAGED_INSTANCES", "infrastructureRole", "ecs.amazonaws.com"),
    ("MANAGED_INSTANCES", "managedInstancesInstanceProfile", "ec2.amazonaws.com"),
    ("ebsVolumes", "infrastructureRole", "ecs.amazonaws.com"),
    ("serviceConnectTLS", "infrastructureRole", "ecs.amazonaws.com"),
    ("vpcLattice", "infrastructureRole", "ecs.amazonaws.com"),
    ("expressMode", "infrastructureRole", "ecs.amazonaws.com"),
    ("awsvpc", "serviceLinkedRole", "ecs.amazonaws.com"),
    ("loadBalancer", "serviceLinkedRole", "ecs.amazonaws.com"),
    ("eventBridgeRule", "eventsRole", "events.amazonaws.com"),
    ("eventBridgeScheduler", "schedulerRole", "scheduler.amazonaws.com"),
    ("codeDeployBlueGreen", "codeDeployRole", "codedeploy.amazonaws.com"),
])
def test_service_roles_and_their_trust_principals(feature: str, kind: str, trust: str) -> None:
    roles = {r.kind: r for r in iam.service_roles([feature])}
    assert roles[kind].trust == trust and feature in roles[kind].needed_for


def test_several_features_share_one_service_linked_role() -> None:
    roles = iam.service_roles(["awsvpc", "loadBalancer", "serviceDiscovery"])
    assert [r.kind for r in roles] == ["serviceLinkedRole"]
    assert roles[0].needed_for == ("awsvpc", "loadBalancer", "serviceDiscovery")


def test_scheduled_task_role_must_pass_every_role_by_full_arn() -> None:
    other = "arn:aws:iam::123456789012:role/override"
    assert iam.passrole_required(td(exec_role=EXEC, task_role=TASK), {"taskRoleArn": other}) == [EXEC, TASK, other]


# --- bad input is an ECS error, never a traceback

@pytest.mark.parametrize("call", [
    lambda: iam.resolve_task_roles({"family": "x"}),
    lambda: iam.resolve_task_roles(td(), launch_type="LAMBDA"),
    lambda: iam.resolve_task_roles(td(), agent={"ECS_ENABLE_TASK_IAM_ROLE": "maybe"}),
    lambda: iam.resolve_task_roles(td(), agent={"NOPE": True}),
    lambda: iam.resolve_task_roles(td(), agent={"agent_version": "latest"}),
    lambda: iam.resolve_task_roles(td(secrets=[{"name": "x"}], exec_role=EXEC)),
    lambda: iam.resolve_task_roles(td(exec_role=EXEC, repositoryCredentials={})),
    lambda: iam.resolve_task_roles(td(image="")),
    lambda: iam.parse_value_from("arn:aws:s3:::bucket/key"),
    lambda: iam.service_roles(["teleport"]),
    lambda: iam.service_roles("EC2"),  # type: ignore[arg-type]
    lambda: iam.resolve_task_roles(td(task_role=7)),  # type: ignore[arg-type]
])
def test_bad_input_raises_ecs_errors(call: Any) -> None:
    with pytest.raises(ECSError):
        call()
