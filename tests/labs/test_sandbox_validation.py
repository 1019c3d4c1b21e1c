"""The sandbox answers like AWS where moto would accept a request AWS refuses.

One test per added validation: a real boto3 client, the AWS error code and message, and a
valid variant of the same request that still goes through. The table on labs/intro.md
("What the sandbox adds to moto") lists the same rules (``validation.RULES``).
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecsbook.labs import register_container_instance, start_lab
from ecsbook.labs.validation import RULES

ROOT = Path(__file__).resolve().parents[2]
C = [{"name": "w", "image": "nginx", "memory": 512}]


@pytest.fixture(scope="module")
def lab():
    lab = start_lab()
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="ec2", containerDefinitions=C)
    ecs.register_task_definition(family="fg", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
                                 cpu="256", memory="512", containerDefinitions=C)
    ecs.create_service(cluster="c", serviceName="web", taskDefinition="ec2", desiredCount=2)
    ecs.create_service(cluster="c", serviceName="agent", taskDefinition="ec2", schedulingStrategy="DAEMON")
    yield lab
    lab.stop()


def rejected(call: Callable[[], Any], code: str, message: str) -> ClientError:
    """``call`` fails with AWS error ``code`` whose message starts with (or matches) ``message``."""
    with pytest.raises(ClientError) as info:
        call()
    err = info.value.response["Error"]
    assert err["Code"] == code, err
    assert err["Message"].startswith(message) or re.search(message, err["Message"]), err["Message"]
    frames = [f.filename for f in traceback.extract_tb(info.value.__traceback__)]
    assert not [f for f in frames if "/moto/" in f], frames  # no traceback into moto
    return info.value


def fargate(**over: Any) -> dict[str, Any]:
    kw: dict[str, Any] = {"family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
                          "cpu": "256", "memory": "512", "containerDefinitions": C}
    kw.update(over)
    return kw


# ---------------------------------------------------------------- RegisterTaskDefinition

def test_fargate_requires_awsvpc(lab):
    ecs = lab.client("ecs")
    for mode in ("bridge", "host"):
        rejected(lambda mode=mode: ecs.register_task_definition(**fargate(networkMode=mode)),
                 "ClientException", "Fargate only supports network mode 'awsvpc'.")
    rejected(lambda: ecs.register_task_definition(**{k: v for k, v in fargate().items() if k != "networkMode"}),
             "ClientException", "Fargate only supports network mode 'awsvpc'.")
    ecs.register_task_definition(**fargate())


def test_fargate_requires_task_level_cpu_and_memory(lab):
    ecs = lab.client("ecs")
    no_cpu = {k: v for k, v in fargate().items() if k != "cpu"}
    rejected(lambda: ecs.register_task_definition(**no_cpu), "ClientException",
             "Fargate requires that 'cpu' be defined at the task level.")


def test_fargate_size_table(lab):
    ecs = lab.client("ecs")
    e = rejected(lambda: ecs.register_task_definition(**fargate(cpu="256", memory="4096")), "ClientException",
                 "Invalid 'cpu' setting for task.")
    assert "Valid memory for that cpu: 0.5 GB, 1 GB, 2 GB" in str(e)
    rejected(lambda: ecs.register_task_definition(**fargate(cpu="3072", memory="6144")), "ClientException",
             "Invalid 'cpu' setting for task.")
    ecs.register_task_definition(**fargate(cpu="1 vCPU", memory="3GB"))


def test_fargate_awslogs_needs_an_execution_role(lab):
    ecs = lab.client("ecs")
    logged = [{**C[0], "logConfiguration": {"logDriver": "awslogs", "options": {}}}]
    rejected(lambda: ecs.register_task_definition(**fargate(containerDefinitions=logged)), "ClientException",
             "Fargate requires task definition to have execution role ARN to support log driver awslogs.")
    ecr = [{**C[0], "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"}]
    rejected(lambda: ecs.register_task_definition(**fargate(containerDefinitions=ecr)), "ClientException",
             "Fargate requires task definition to have execution role ARN to support ECR images.")
    ecs.register_task_definition(**fargate(containerDefinitions=logged,
                                           executionRoleArn="arn:aws:iam::123456789012:role/exec"))


@pytest.mark.parametrize("mode", ["awsvpc", "host"])
def test_host_port_must_equal_container_port_in_awsvpc_and_host_mode(lab, mode):
    ecs = lab.client("ecs")
    mapped = [{**C[0], "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]
    rejected(lambda: ecs.register_task_definition(family="p", networkMode=mode, containerDefinitions=mapped),
             "ClientException", f"When networkMode={mode}, the host ports and container ports in port mappings "
                                "must match")
    same = [{**C[0], "portMappings": [{"containerPort": 80, "hostPort": 80}]}]
    ecs.register_task_definition(family="p", networkMode=mode, containerDefinitions=same)
    bridge = [{**C[0], "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]
    ecs.register_task_definition(family="p", networkMode="bridge", containerDefinitions=bridge)


def test_ephemeral_storage_is_21_to_200_gib(lab):
    ecs = lab.client("ecs")
    for size in (20, 201):
        rejected(lambda size=size: ecs.register_task_definition(**fargate(ephemeralStorage={"sizeInGiB": size})),
                 "ClientException", r"the minimum supported value is 21 GiB and the maximum supported value "
                                    r"is 200 GiB")
    ecs.register_task_definition(**fargate(ephemeralStorage={"sizeInGiB": 21}))


def test_reserved_host_port_registers_as_in_ecs(lab):
    """Port 22 belongs to the instance: ECS registers the definition; placement then fails."""
    mapped = [{**C[0], "portMappings": [{"containerPort": 22, "hostPort": 22}]}]
    lab.client("ecs").register_task_definition(family="ssh", containerDefinitions=mapped)


# ---------------------------------------------------------------- CreateService / UpdateService

def test_daemon_is_not_for_fargate_or_code_deploy(lab):
    ecs = lab.client("ecs")
    msg = ("Tasks using the Fargate launch type or the CODE_DEPLOY or EXTERNAL deployment controller types "
           "don't support the DAEMON scheduling strategy.")
    rejected(lambda: ecs.create_service(cluster="c", serviceName="d1", taskDefinition="fg",
                                        schedulingStrategy="DAEMON", launchType="FARGATE"),
             "InvalidParameterException", msg)
    for controller in ("CODE_DEPLOY", "EXTERNAL"):
        rejected(lambda controller=controller: ecs.create_service(cluster="c", serviceName="d2", taskDefinition="ec2",
                                            schedulingStrategy="DAEMON",
                                            deploymentController={"type": controller}),
                 "InvalidParameterException", msg)


def test_daemon_maximum_percent_is_100(lab):
    ecs = lab.client("ecs")
    rejected(lambda: ecs.create_service(cluster="c", serviceName="d3", taskDefinition="ec2",
                                        schedulingStrategy="DAEMON",
                                        deploymentConfiguration={"maximumPercent": 200}),
             "InvalidParameterException", "maximumPercent must be 100 for a service that uses the DAEMON")
    rejected(lambda: ecs.update_service(cluster="c", service="agent",
                                        deploymentConfiguration={"maximumPercent": 150}),
             "InvalidParameterException", "maximumPercent must be 100")
    ecs.update_service(cluster="c", service="agent",
                       deploymentConfiguration={"minimumHealthyPercent": 50, "maximumPercent": 100})


def test_daemon_takes_no_placement_strategy(lab):
    ecs = lab.client("ecs")
    rejected(lambda: ecs.create_service(cluster="c", serviceName="d4", taskDefinition="ec2",
                                        schedulingStrategy="DAEMON",
                                        placementStrategy=[{"type": "spread", "field": "instanceId"}]),
             "InvalidParameterException", "Placement strategies are not supported with the DAEMON")


def test_launch_type_and_capacity_provider_strategy_are_exclusive(lab):
    ecs = lab.client("ecs")
    msg = "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."
    cps = [{"capacityProvider": "FARGATE", "weight": 1}]
    rejected(lambda: ecs.create_service(cluster="c", serviceName="s1", taskDefinition="fg", desiredCount=1,
                                        launchType="FARGATE", capacityProviderStrategy=cps),
             "InvalidParameterException", msg)
    rejected(lambda: ecs.run_task(cluster="c", taskDefinition="fg", launchType="FARGATE",
                                  capacityProviderStrategy=cps), "InvalidParameterException", msg)


@pytest.mark.parametrize("cfg,message", [
    ({"minimumHealthyPercent": 150}, "minimumHealthyPercent must be between 0 and 100"),
    ({"minimumHealthyPercent": 100, "maximumPercent": 50}, r"maximumPercent \(50\) must be at least"),
    ({"maximumPercent": 0}, "maximumPercent must be greater than 0"),
])
def test_deployment_percentages(lab, cfg, message):
    ecs = lab.client("ecs")
    rejected(lambda: ecs.create_service(cluster="c", serviceName="s2", taskDefinition="ec2", desiredCount=2,
                                        deploymentConfiguration=cfg), "InvalidParameterException", message)
    rejected(lambda: ecs.update_service(cluster="c", service="web", deploymentConfiguration=cfg),
             "InvalidParameterException", message)


@pytest.mark.parametrize("kw,message", [
    ({"placementStrategy": [{"type": "packbin", "field": "cpu"}]}, "Invalid strategy type: packbin"),
    ({"placementStrategy": [{"type": "binpack", "field": "disk"}]}, "Invalid field for binpack strategy: disk"),
    ({"placementStrategy": [{"type": "spread", "field": "az"}]}, "Invalid field for spread strategy: az"),
    ({"placementStrategy": [{"type": "random"}] * 6}, "placementStrategy can contain at most 5"),
    ({"placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type ~= t3.*"}]},
     "Invalid expression"),
    ({"placementConstraints": [{"type": "memberOf"}]}, "memberOf constraint requires an expression"),
])
def test_placement_syntax(lab, kw, message):
    ecs = lab.client("ecs")
    rejected(lambda: ecs.create_service(cluster="c", serviceName="s3", taskDefinition="ec2", desiredCount=1,
                                        **kw), "InvalidParameterException", message)
    rejected(lambda: ecs.run_task(cluster="c", taskDefinition="ec2", **kw), "InvalidParameterException", message)


def test_fargate_takes_no_placement_strategy(lab):
    ecs = lab.client("ecs")
    rejected(lambda: ecs.create_service(cluster="c", serviceName="s4", taskDefinition="fg", desiredCount=1,
                                        launchType="FARGATE",
                                        placementStrategy=[{"type": "spread", "field": "instanceId"}]),
             "InvalidParameterException", "Task placement strategies and constraints are not supported with the "
                                          "FARGATE launch type")


def test_valid_placement_still_reaches_moto(lab):
    ecs = lab.client("ecs")
    ecs.create_service(cluster="c", serviceName="ok", taskDefinition="ec2", desiredCount=2, placementStrategy=[
        {"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}],
        placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}])
    svc = ecs.describe_services(cluster="c", services=["ok"])["services"][0]
    assert svc["placementStrategy"][1] == {"type": "binpack", "field": "memory"}


@pytest.mark.parametrize("strategy,message", [
    ([{"capacityProvider": "FARGATE", "base": 1, "weight": 1},
      {"capacityProvider": "FARGATE_SPOT", "base": 1, "weight": 3}],
     "Only one capacity provider in a capacity provider strategy can have a base defined"),
    ([{"capacityProvider": "FARGATE", "weight": 0}], ("At least one capacity provider in a capacity provider "
                                                      "strategy must have a weight greater than zero.")),
    ([{"capacityProvider": "FARGATE", "weight": 1}, {"capacityProvider": "FARGATE", "weight": 2}],
     "a capacity provider may appear only once"),
    ([{"capacityProvider": "FARGATE_SPOT", "weight": 1}], ("The specified capacity provider strategy cannot "
                                                           "contain a capacity provider that is not associated")),
])
def test_capacity_provider_strategy(lab, strategy, message):
    ecs = lab.client("ecs")
    providers = ["FARGATE"] if "not associated" in message else ["FARGATE", "FARGATE_SPOT"]
    rejected(lambda: ecs.put_cluster_capacity_providers(cluster="c", capacityProviders=providers,
                                                        defaultCapacityProviderStrategy=strategy),
             "InvalidParameterException", message)


def test_run_task_count_is_1_to_10(lab):
    ecs = lab.client("ecs")
    for count in (0, 11):
        rejected(lambda count=count: ecs.run_task(cluster="c", taskDefinition="ec2", count=count),
                 "InvalidParameterException", f"count must be between 1 and 10, got {count}")


# ---------------------------------------------------------------- Application Auto Scaling

@pytest.mark.parametrize("rid,dim", [("service/web", "ecs:service:DesiredCount"),
                                     ("web", "ecs:service:DesiredCount"),
                                     ("service/c/web/extra", "ecs:service:DesiredCount")])
def test_ecs_resource_id_format(lab, rid, dim):
    aas = lab.client("application-autoscaling")
    msg = "Unsupported service namespace, resource type or scalable dimension"
    rejected(lambda: aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=rid, ScalableDimension=dim,
                                                  MinCapacity=1, MaxCapacity=2), "ValidationException", msg)
    rejected(lambda: aas.put_scaling_policy(
        PolicyName="p", ServiceNamespace="ecs", ResourceId=rid, ScalableDimension=dim,
        PolicyType="TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 50, "PredefinedMetricSpecification": {
                "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}), "ValidationException", msg)
    rejected(lambda: aas.put_scheduled_action(
        ServiceNamespace="ecs", ScheduledActionName="a", ResourceId=rid, ScalableDimension=dim,
        Schedule="cron(0 8 * * ? *)", ScalableTargetAction={"MinCapacity": 1}), "ValidationException", msg)


def test_min_capacity_not_above_max(lab):
    aas = lab.client("application-autoscaling")
    rejected(lambda: aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/c/web",
                                                  ScalableDimension="ecs:service:DesiredCount",
                                                  MinCapacity=5, MaxCapacity=2),
             "ValidationException", "Minimum capacity cannot be greater than maximum capacity")


def test_policy_needs_a_registered_target(lab):
    aas = lab.client("application-autoscaling")
    rejected(lambda: aas.put_scaling_policy(
        PolicyName="p", ServiceNamespace="ecs", ResourceId="service/c/agent",
        ScalableDimension="ecs:service:DesiredCount", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={"TargetValue": 50, "PredefinedMetricSpecification": {
            "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}),
        "ObjectNotFoundException", "No scalable target registered for service namespace: ecs, resource ID: "
                                   "service/c/agent")


def _step_policy(aas, steps):
    aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/c/web",
                                 ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=10)
    return aas.put_scaling_policy(
        PolicyName="steps", ServiceNamespace="ecs", ResourceId="service/c/web",
        ScalableDimension="ecs:service:DesiredCount", PolicyType="StepScaling",
        StepScalingPolicyConfiguration={"AdjustmentType": "ChangeInCapacity", "StepAdjustments": steps})


@pytest.mark.parametrize("steps,message", [
    ([{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1},
      {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 2}],
     "The ranges of your step adjustments can't overlap or have a gap"),
    ([{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1},
      {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 2}],
     "The ranges of your step adjustments can't overlap or have a gap"),
    ([{"ScalingAdjustment": 1}], "The upper and lower bound can't be null in the same step adjustment."),
    ([{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1}],
     ("If one step adjustment has a positive upper bound, then there must be a step adjustment with a null "
      "upper bound.")),
])
def test_step_adjustments_neither_overlap_nor_leave_a_gap(lab, steps, message):
    rejected(lambda: _step_policy(lab.client("application-autoscaling"), steps), "ValidationException", message)


def test_good_step_adjustments_pass(lab):
    _step_policy(lab.client("application-autoscaling"), [
        {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 15, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 15, "ScalingAdjustment": 3}])


def test_target_tracking_needs_a_metric(lab):
    aas = lab.client("application-autoscaling")
    aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/c/web",
                                 ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=10)
    rejected(lambda: aas.put_scaling_policy(
        PolicyName="tt", ServiceNamespace="ecs", ResourceId="service/c/web",
        ScalableDimension="ecs:service:DesiredCount", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={"TargetValue": 50}),
        "ValidationException", "A target tracking scaling policy needs a PredefinedMetricSpecification")


# ---------------------------------------------------------------- IAM

@pytest.mark.parametrize("doc,message", [
    ("{not json", "This policy contains invalid Json"),
    (json.dumps({"Version": "2012-10-17"}), "Syntax errors in policy"),
    (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}),
     "Missing required field Principal"),
    (json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}),
     "Policy statement must contain actions."),
])
def test_malformed_trust_policy(lab, doc, message):
    iam = lab.client("iam")
    rejected(lambda: iam.create_role(RoleName="r", AssumeRolePolicyDocument=doc), "MalformedPolicyDocument",
             message)


def test_malformed_inline_policy(lab):
    iam = lab.client("iam")
    iam.create_role(RoleName="ok", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    rejected(lambda: iam.put_role_policy(RoleName="ok", PolicyName="p", PolicyDocument="{oops"),
             "MalformedPolicyDocument", "This policy contains invalid Json")
    rejected(lambda: iam.update_assume_role_policy(RoleName="ok", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]})),
        "MalformedPolicyDocument", "Missing required field Principal")


# ---------------------------------------------------------------- moto crashes become AWS errors

def test_a_crash_inside_moto_is_a_one_line_aws_error(lab):
    ecs = lab.client("ecs")
    e = rejected(lambda: ecs.run_task(cluster="c", taskDefinition="ec2", count=1),  # moto: no instances
                 "InvalidParameterException", "The sandbox could not process this RunTask request")
    assert "RunTask API reference" in str(e)
    assert e.__cause__ is None and e.__suppress_context__


def test_rejected_requests_never_reach_moto(lab):
    ecs = lab.client("ecs")
    before = ecs.list_task_definitions(familyPrefix="never")["taskDefinitionArns"]
    rejected(lambda: ecs.register_task_definition(**fargate(family="never", networkMode="bridge")),
             "ClientException", "Fargate only supports")
    assert ecs.list_task_definitions(familyPrefix="never")["taskDefinitionArns"] == before == []


def test_placement_still_fails_for_a_reserved_port(lab):
    from ecsbook.labs.adapter import cluster_from_moto, task_definition_from_moto
    from ecsbook.scheduler.placement import place_tasks

    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="r")
    register_container_instance(lab, "r", "m5.large", "us-east-1a")
    ecs.register_task_definition(family="ssh", containerDefinitions=[
        {**C[0], "portMappings": [{"containerPort": 22, "hostPort": 22}]}])
    result = place_tasks(cluster_from_moto(ecs, "r"), task_definition_from_moto(ecs, "ssh"), 1)
    assert result.placements == [] and result.failures[0]["reason"].startswith("RESOURCE:PORTS")


def test_every_rule_is_on_the_labs_intro_page():
    from ecsbook.labs.validation import rules_table

    intro = (ROOT / "labs" / "intro.md").read_text(encoding="utf-8")
    table = intro.split("% rules-table:", 1)[1].split("\n", 1)[1].split("% /rules-table")[0]
    assert table.strip() == rules_table().strip(), "regenerate the table in labs/intro.md from rules_table()"
    assert len(RULES) >= 20 and all(r.doc.startswith("https://docs.aws.amazon.com/") for r in RULES)
