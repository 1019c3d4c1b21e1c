"""Each lab, run by a learner in a fresh kernel ("Run All"), with no reference solution run.

Per lab: (a) untouched: no cell raises, every final check says "Not yet", every solution
cell says it did not run; (c) a realistic wrong attempt in a "Your turn" cell: "Not yet",
naming the failing item; (d) a correct alternative (other names, order, optional fields,
other valid values): PASS. Some labs add a mistake AWS refuses outright (the AWS error, not a
moto traceback) and a learner who asks for the solution after a wrong attempt. (b), every
check passing with the solutions revealed, is tests/test_notebooks.py (the build-mode run).
"""

from __future__ import annotations

import textwrap

import pytest
from learner import LABS, run_lab

from ecsbook.labs.solutions import NOT_RUN

STEMS = sorted(p.stem for p in LABS.glob("lab*.ipynb"))


def code(src: str) -> str:
    return textwrap.dedent(src).strip("\n")


# ------------------------------------------------------------------ (a) untouched

@pytest.mark.parametrize("stem", STEMS)
def test_untouched_lab_runs_and_says_not_yet(stem):
    run = run_lab(stem)
    assert not run.errors, run.error_summary()
    assert run.checks and all(c.startswith("NOT YET") for c in run.checks), run.checks
    solutions = run.outputs("solution")
    assert solutions and all(NOT_RUN in s for s in solutions), solutions


# ------------------------------------------------------------------ (c) wrong attempts
# (lab, {step: learner's code}, an item the check must list as failing); other steps done.

WRONG = {
    "lab01": ({1: code("""
        for itype in ["m5.large", "t3.medium"]:
            register_container_instance(lab, "lab1", itype, "us-east-1a")
        """)}, "instances span 1 Availability Zones (need 2)"),
    "lab02": ({0: code("""
        ecs.register_task_definition(
            family="web", requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc", cpu="512", memory="1024",
            containerDefinitions=[{"name": "web", "image": "nginx",
                "portMappings": [{"containerPort": 80}],
                "secrets": [{"name": "PW", "valueFrom":
                    "arn:aws:ssm:us-east-1:123456789012:parameter/pw"}]}])
        """)}, "an execution role is set (the agent needs it for awslogs, ECR pulls and secrets)"),
    "lab03": ({0: code("""
        iam.create_role(RoleName="ecsTaskExecutionRole",
                        AssumeRolePolicyDocument=trust("ecs.amazonaws.com"))
        iam.attach_role_policy(RoleName="ecsTaskExecutionRole", PolicyArn=
            "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
        iam.create_role(RoleName="appTaskRole",
                        AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))
        iam.create_role(RoleName="ecsInstanceRole",
                        AssumeRolePolicyDocument=trust("ec2.amazonaws.com"))
        iam.attach_role_policy(RoleName="ecsInstanceRole", PolicyArn=
            "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
        """)}, "ecsTaskExecutionRole trusts ecs.amazonaws.com, not ecs-tasks.amazonaws.com"),
    "lab04": ({0: code("""
        elbv2.create_target_group(Name="web-ec2", Protocol="HTTP", Port=80,
                                  VpcId=vpc, TargetType="instance")
        sg = ec2.create_security_group(GroupName="instances", Description="x",
                                       VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 49153, "ToPort": 65535,
             "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        """)}, ("ALB targets for EC2: the instance security group allows the ephemeral port range from the "
                "ALB security group")),
    "lab05": ({1: code("""
        fs = efs.describe_file_systems(CreationToken="shared")["FileSystems"][0][
            "FileSystemId"]
        ecs.register_task_definition(
            family="worker", requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc", cpu="256", memory="512",
            containerDefinitions=[{"name": "w", "image": "busybox", "mountPoints": [
                {"sourceVolume": "shared", "containerPath": "/data"}]}],
            volumes=[{"name": "shared",
                      "efsVolumeConfiguration": {"fileSystemId": fs}}])
        """)}, "data in transit to EFS is encrypted"),
    "lab06": ({0: code("""
        ecs.create_service(cluster="lab6", serviceName="web", taskDefinition="web",
                           desiredCount=4, placementStrategy=[
                               {"type": "spread", "field": "instanceId"}])
        ecs.create_service(cluster="lab6", serviceName="logs",
                           taskDefinition="logagent", schedulingStrategy="DAEMON")
        """)}, "web spreads across Availability Zones (strategies: ['instanceId'])"),
    "lab07": ({0: code("""
        aas.register_scalable_target(
            ServiceNamespace="ecs", ResourceId="service/prod/web",
            ScalableDimension="ecs:service:DesiredCount", MinCapacity=2,
            MaxCapacity=20)
        aas.put_scaling_policy(
            PolicyName="cpu50", ServiceNamespace="ecs",
            ResourceId="service/prod/web",
            ScalableDimension="ecs:service:DesiredCount",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={"TargetValue": 50.0,
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})
        """)}, "0 scheduled action(s)"),
    "lab08": ({0: code("""
        ecs.put_cluster_capacity_providers(
            cluster="mixed", capacityProviders=["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategy=[
                {"capacityProvider": "FARGATE", "weight": 1},
                {"capacityProvider": "FARGATE_SPOT", "base": 1, "weight": 3}])
        """)}, "FARGATE has a base of 0 (need >= 1 on-demand task)"),
    "lab09": ({1: code("""
        ecr.put_lifecycle_policy(repositoryName="web", lifecyclePolicyText=json.dumps(
            {"rules": [{"rulePriority": 1, "selection": {
                "tagStatus": "any", "countType": "imageCountMoreThan",
                "countNumber": 50}, "action": {"type": "expire"}}]}))
        """)}, "a rule expires untagged images"),
    "lab10": ({0: code("""
        events.put_rule(Name="on-upload", EventPattern=json.dumps({
            "source": ["aws.s3"], "detail-type": ["Object Created"],
            "detail": {"bucket": {"name": ["uploads"]}}}))
        arn = ecs.describe_clusters(clusters=["batch"])["clusters"][0]["clusterArn"]
        events.put_targets(Rule="on-upload", Targets=[{
            "Id": "run", "Arn": arn, "EcsParameters": {
                "TaskDefinitionArn": "thumbnail", "LaunchType": "FARGATE",
                "NetworkConfiguration": {"awsvpcConfiguration": {
                    "Subnets": [subnet]}}}}])
        """)}, "the target has a role (ecs:RunTask + iam:PassRole)"),
    "lab11": ({0: code("""
        ecs.update_service(cluster="prod", service="web", deploymentConfiguration={
            "minimumHealthyPercent": 100, "maximumPercent": 100,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True}})
        """)}, "maximumPercent 100% lets up to 6 tasks run"),
}
@pytest.mark.parametrize("stem,steps,failing", [(s, *WRONG[s]) for s in sorted(WRONG)], ids=sorted(WRONG))
def test_wrong_attempt_is_not_yet_with_the_failing_item(stem, steps, failing):
    run = run_lab(stem, done=True, steps=steps)
    assert not run.errors, run.error_summary()
    assert any(c.startswith("NOT YET") for c in run.checks), run.checks
    assert failing in run.failing_items(), (failing, run.failing_items())


# ------------------------------------------------------------------ (d) correct alternatives

ALTERNATIVE = {
    "lab01": {1: code("""
        register_container_instance(lab, "lab1", "t3.medium", "us-east-1c")
        register_container_instance(lab, "lab1", "c5.large", "us-east-1a")
        register_container_instance(lab, "lab1", "m5.large", "us-east-1c")
        """), 2: code("""
        ecs.put_cluster_capacity_providers(
            capacityProviders=["FARGATE_SPOT", "FARGATE"], cluster="lab1",
            defaultCapacityProviderStrategy=[])
        """)},
    "lab02": {0: code("""
        ecs.register_task_definition(
            containerDefinitions=[{
                "name": "api", "image": "nginx",
                "portMappings": [{"containerPort": 8080, "hostPort": 8080}],
                "secrets": [{"name": "PW", "valueFrom":
                    "arn:aws:ssm:us-east-1:123456789012:parameter/pw"}],
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": "/ecs/api", "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": "api"}}}],
            family="web", cpu="1 vCPU", memory="3GB", networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            runtimePlatform={"cpuArchitecture": "ARM64",
                             "operatingSystemFamily": "LINUX"},
            taskRoleArn="arn:aws:iam::123456789012:role/app",
            executionRoleArn="arn:aws:iam::123456789012:role/my-exec-role")
        """)},
    "lab03": {0: code("""
        doc = {"Version": "2012-10-17", "Statement": [{
            "Sid": "TasksAssume", "Effect": "Allow",
            "Principal": {"Service": ["ecs-tasks.amazonaws.com"]},
            "Action": ["sts:AssumeRole"]}]}
        ec2_doc = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}
        base = "arn:aws:iam::aws:policy/"
        for name in ("ecsTaskExecutionRole", "appTaskRole"):
            iam.create_role(RoleName=name, Path="/ecs/",
                            AssumeRolePolicyDocument=json.dumps(doc),
                            Tags=[{"Key": "team", "Value": "web"}])
        iam.attach_role_policy(RoleName="ecsTaskExecutionRole", PolicyArn=base +
                               "service-role/AmazonECSTaskExecutionRolePolicy")
        iam.attach_role_policy(RoleName="appTaskRole",
                               PolicyArn=base + "AmazonS3ReadOnlyAccess")
        iam.create_role(RoleName="ecsInstanceRole",
                        AssumeRolePolicyDocument=json.dumps(ec2_doc))
        iam.attach_role_policy(RoleName="ecsInstanceRole", PolicyArn=base +
                               "service-role/AmazonEC2ContainerServiceforEC2Role")
        """)},
    "lab04": {0: code("""
        sg = ec2.create_security_group(GroupName="instances", VpcId=vpc,
                                       Description="container instances")["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 32768, "ToPort": 65535,
             "UserIdGroupPairs": [{"GroupId": alb_sg, "Description": "ALB"}]}])
        elbv2.create_target_group(Name="web-ec2", Protocol="HTTP", Port=8080,
                                  VpcId=vpc, HealthCheckPath="/health")
        """), 1: code("""
        tg = elbv2.create_target_group(Name="web-fargate", Protocol="HTTP",
                                       Port=80, VpcId=vpc, TargetType="ip")
        sg = ec2.create_security_group(GroupName="tasks", Description="tasks",
                                       VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": alb_sg}]}])
        """)},
    "lab05": {0: code("""
        fs = efs.create_file_system(CreationToken="shared", Encrypted=True,
                                    PerformanceMode="generalPurpose")["FileSystemId"]
        for s in reversed(subnets):
            efs.create_mount_target(FileSystemId=fs, SubnetId=s)
        """), 1: code("""
        [fs] = [f["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"]
                if f["CreationToken"] == "shared"]
        ecs.register_task_definition(
            family="worker", requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc", cpu="512", memory="1024",
            volumes=[{"name": "data", "efsVolumeConfiguration": {
                "fileSystemId": fs, "rootDirectory": "/",
                "transitEncryption": "ENABLED", "transitEncryptionPort": 2999}}],
            containerDefinitions=[{"name": "app", "image": "busybox", "mountPoints": [
                {"sourceVolume": "data", "containerPath": "/mnt/data",
                 "readOnly": False}]}])
        """)},
    "lab06": {0: code("""
        ecs.create_service(
            serviceName="web", cluster="lab6", taskDefinition="web:1",
            launchType="EC2", schedulingStrategy="REPLICA", desiredCount=6,
            placementStrategy=[
                {"field": "attribute:ecs.availability-zone", "type": "spread"},
                {"field": "cpu", "type": "binpack"}])
        ecs.create_service(serviceName="logs", cluster="lab6",
                           taskDefinition="logagent:1", launchType="EC2",
                           schedulingStrategy="DAEMON")
        """)},
    "lab07": {0: code("""
        rid = "service/prod/web"
        dim = "ecs:service:DesiredCount"
        aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=rid,
                                     ScalableDimension=dim, MinCapacity=2,
                                     MaxCapacity=10)
        aas.put_scaling_policy(
            PolicyName="keep-cpu-near-70", ServiceNamespace="ecs", ResourceId=rid,
            ScalableDimension=dim, PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ECSServiceAverageMemoryUtilization"},
                "TargetValue": 70})
        aas.put_scheduled_action(
            ServiceNamespace="ecs", ScheduledActionName="morning", ResourceId=rid,
            ScalableDimension=dim, Schedule="cron(0 7 * * ? *)",
            Timezone="Europe/Berlin", ScalableTargetAction={"MinCapacity": 4})
        """)},
    "lab08": {0: code("""
        ecs.put_cluster_capacity_providers(
            cluster="mixed", capacityProviders=["FARGATE_SPOT", "FARGATE"],
            defaultCapacityProviderStrategy=[
                {"capacityProvider": "FARGATE_SPOT", "weight": 6, "base": 0},
                {"capacityProvider": "FARGATE", "weight": 2, "base": 2}])
        """)},
    "lab09": {0: code("""
        ecr.create_repository(repositoryName="web")
        ecr.put_image_scanning_configuration(
            repositoryName="web", imageScanningConfiguration={"scanOnPush": True})
        ecr.put_image_tag_mutability(repositoryName="web",
                                     imageTagMutability="IMMUTABLE")
        """), 1: code("""
        rule = {"rulePriority": 10, "action": {"type": "expire"}, "selection": {
            "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7,
            "tagStatus": "untagged"}}
        ecr.put_lifecycle_policy(repositoryName="web",
                                 lifecyclePolicyText=json.dumps({"rules": [rule]}))
        """)},
    "lab10": {0: code("""
        [cluster] = ecs.list_clusters()["clusterArns"]
        events.put_rule(Name="on-upload", State="ENABLED", EventPattern=json.dumps({
            "detail-type": ["Object Created"], "source": ["aws.s3"],
            "detail": {"bucket": {"name": ["uploads"]},
                       "object": {"key": [{"prefix": "images/"}]}}}))
        events.put_targets(Rule="on-upload", Targets=[{
            "Id": "thumbs", "Arn": cluster,
            "RoleArn": "arn:aws:iam::123456789012:role/events-run-task",
            "EcsParameters": {
                "TaskDefinitionArn": "thumbnail", "LaunchType": "FARGATE",
                "PlatformVersion": "LATEST",
                "NetworkConfiguration": {"awsvpcConfiguration": {
                    "Subnets": [subnet], "AssignPublicIp": "ENABLED"}}}}])
        """)},
    "lab11": {0: code("""
        ecs.update_service(
            service="web", cluster="prod",
            deploymentConfiguration={
                "deploymentCircuitBreaker": {"rollback": True, "enable": True},
                "maximumPercent": 150, "minimumHealthyPercent": 100})
        """)},
}


@pytest.mark.parametrize("stem", sorted(ALTERNATIVE))
def test_correct_alternative_passes(stem):
    run = run_lab(stem, done=True, steps=ALTERNATIVE[stem])
    assert not run.errors, run.error_summary()
    assert run.checks and all(c.startswith("PASS") for c in run.checks), run.checks


def test_every_lab_has_a_wrong_attempt_and_an_alternative():
    assert {s[:5] for s in STEMS} == set(WRONG) == set(ALTERNATIVE)


# ------------------------------------------------------------------ mistakes AWS refuses outright
# The learner sees AWS's error in their own cell (no traceback into moto); Run All goes on
# and the check says "Not yet". (Every refusal has its own test in test_sandbox_validation.py;
# these two run the whole lab, as the learner does.)

REFUSED = [
    ("lab02", {0: code("""
        ecs.register_task_definition(
            family="web", requiresCompatibilities=["FARGATE"], networkMode="bridge",
            cpu="512", memory="1024",
            containerDefinitions=[{"name": "web", "image": "nginx"}])
        """)}, "ClientException", "Fargate only supports network mode 'awsvpc'."),
    ("lab07", {0: code("""
        aas.register_scalable_target(
            ServiceNamespace="ecs", ResourceId="service/web",
            ScalableDimension="ecs:service:DesiredCount", MinCapacity=2,
            MaxCapacity=10)
        """)}, "ValidationException", "Unsupported service namespace, resource type or scalable dimension"),
]


@pytest.mark.parametrize("stem,steps,code_,message", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_mistake_aws_refuses_shows_the_aws_error(stem, steps, code_, message):
    run = run_lab(stem, steps=steps)
    assert len(run.errors) == 1, run.error_summary()
    err = run.errors[0]
    assert err["cell"].startswith("your-turn") and err["ename"] == code_, err
    assert message in err["evalue"], err["evalue"]
    assert "site-packages/moto/" not in err["traceback"], err["traceback"]
    assert all(c.startswith("NOT YET") for c in run.checks), run.checks


def test_reference_solution_after_a_wrong_attempt_fixes_it():
    """lab03: a learner's roles exist with the wrong trust; the revealed solution repairs them."""
    steps, _ = WRONG["lab03"]
    run = run_lab("lab03", steps=steps, reveal=(0,))
    assert not run.errors, run.error_summary()
    assert all(c.startswith("PASS") for c in run.checks), run.checks
