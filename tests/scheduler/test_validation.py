"""Task definition and service rules the model shares with the lab sandbox (one test per rule).

Each rule is what ECS checks when you call the API; the sandbox
(``ecsbook.labs.validation``) asks the model, so moto answers the way ECS does.
"""

from __future__ import annotations

from typing import Any

import pytest

from ecsbook.scheduler import deployments, fargate, placement
from ecsbook.scheduler.errors import ClientException, ECSError, InvalidParameterException
from ecsbook.scheduler.state import ClusterState, TaskDefinition


def td(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"family": "web", "containerDefinitions": [
        {"name": "web", "image": "nginx", "memory": 256, "portMappings": [{"containerPort": 80}]}]}
    data.update(over)
    return data


def fargate_td(**over: Any) -> dict[str, Any]:
    return td(**{"requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
                 **over})


def with_port(data: dict[str, Any], host_port: int | None, container_port: int = 80) -> dict[str, Any]:
    pm: dict[str, Any] = {"containerPort": container_port}
    if host_port is not None:
        pm["hostPort"] = host_port
    data["containerDefinitions"][0]["portMappings"] = [pm]
    return data


# --- RegisterTaskDefinition: Fargate requires awsvpc (API_RegisterTaskDefinition, networkMode)

@pytest.mark.parametrize("mode", ["bridge", "host", "none", None])
def test_fargate_definition_outside_awsvpc_is_rejected(mode: str | None) -> None:
    data = fargate_td()
    data["networkMode"] = mode
    with pytest.raises(ClientException) as err:
        TaskDefinition.from_api(data)
    assert err.value.message == "Fargate only supports network mode 'awsvpc'."
    assert err.value.field == "networkMode"
    assert TaskDefinition.from_api(fargate_td()).network_mode == "awsvpc"


# --- PortMapping: in awsvpc and host mode hostPort is omitted or equals containerPort

@pytest.mark.parametrize("mode", ["awsvpc", "host"])
@pytest.mark.parametrize("host_port,ok", [(None, True), (80, True), (8080, False), (0, False)])
def test_awsvpc_and_host_mode_host_port_must_match(mode: str, host_port: int | None, ok: bool) -> None:
    data = with_port(td(networkMode=mode), host_port)
    if ok:
        TaskDefinition.from_api(data)
        return
    with pytest.raises(ClientException, match=f"When networkMode={mode}, the host ports and container ports"):
        TaskDefinition.from_api(data)


def test_bridge_mode_still_takes_any_host_port() -> None:
    assert TaskDefinition.from_api(with_port(td(), 8080)).host_ports == (8080,)
    assert TaskDefinition.from_api(with_port(td(), 0)).dynamic_ports == 1


# --- EphemeralStorage.sizeInGiB: 21..200 (API_EphemeralStorage)

@pytest.mark.parametrize("size,ok", [(21, True), (200, True), (20, False), (201, False), ("30", False)])
def test_ephemeral_storage_range_is_21_to_200(size: Any, ok: bool) -> None:
    data = fargate_td(ephemeralStorage={"sizeInGiB": size})
    if ok:
        TaskDefinition.from_api(data)
        return
    with pytest.raises(ClientException, match="minimum supported value is 21 GiB") as err:
        TaskDefinition.from_api(data)
    assert err.value.field == "sizeInGiB"


# --- Reserved ports belong to the instance: the definition registers, placement fails

@pytest.mark.parametrize("port", [22, 2375, 2376, 51678, 51679])
def test_reserved_host_port_registers_and_placement_fails_with_resource_ports(port: int) -> None:
    definition = TaskDefinition.from_api(with_port(td(), port, container_port=port))
    assert definition.host_ports == (port,)
    cluster = ClusterState("c")
    cluster.add_instance("m5.large", "us-east-1a")
    result = placement.place_tasks(cluster, definition, 1)
    assert result.placements == []
    assert all(r.startswith("RESOURCE:PORTS") for r in result.decisions[0].rejections.values())


# --- Fargate registration rules (task-cpu-memory-error.html, task_execution_IAM_role.html)

def test_fargate_needs_task_level_cpu_and_memory() -> None:
    for name in ("cpu", "memory"):
        data = fargate_td()
        del data[name]
        with pytest.raises(ClientException) as err:
            fargate.validate_task_definition(data)
        assert err.value.message == f"Fargate requires that '{name}' be defined at the task level."


def test_fargate_size_error_starts_with_the_documented_message() -> None:
    with pytest.raises(ClientException) as err:
        fargate.validate_task_definition(fargate_td(cpu="256", memory="4096"))
    assert err.value.message.startswith("Invalid 'cpu' setting for task. 4096 MiB is not a valid Fargate size")
    assert "0.5 GB, 1 GB, 2 GB" in err.value.message
    assert fargate.validate_task_definition(fargate_td(cpu="1 vCPU", memory="3GB")) == (1024, 3072)


def test_fargate_awslogs_and_ecr_images_need_an_execution_role() -> None:
    logs = fargate_td()
    logs["containerDefinitions"][0]["logConfiguration"] = {"logDriver": "awslogs", "options": {}}
    with pytest.raises(ClientException, match="execution role ARN to support log driver awslogs"):
        fargate.validate_task_definition(logs)
    fargate.validate_task_definition({**logs, "executionRoleArn": "arn:aws:iam::123456789012:role/exec"})
    ecr = fargate_td()
    ecr["containerDefinitions"][0]["image"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
    with pytest.raises(ClientException, match="execution role ARN to support ECR images"):
        fargate.validate_task_definition(ecr)


# --- DeploymentConfiguration: a DAEMON service's maximumPercent is 100

@pytest.mark.parametrize("maximum,ok", [(100, True), (None, True), (200, False), (150, False)])
def test_daemon_maximum_percent_must_be_100(maximum: int | None, ok: bool) -> None:
    cfg = {} if maximum is None else {"maximumPercent": maximum}
    if ok:
        b = deployments.deployment_bounds(0, cfg, scheduling_strategy="DAEMON")
        assert b.maximum_percent == 100
        return
    with pytest.raises(InvalidParameterException, match="maximumPercent must be 100") as err:
        deployments.deployment_bounds(0, cfg, scheduling_strategy="DAEMON")
    assert err.value.field == "maximumPercent"
    assert deployments.deployment_bounds(4, cfg).maximum_percent == maximum  # REPLICA may go above 100


def test_every_rule_raises_an_ecs_error_never_a_python_error() -> None:
    bad = [fargate_td(ephemeralStorage={"sizeInGiB": None}), fargate_td(ephemeralStorage=20),
           with_port(td(networkMode="awsvpc"), 81)]
    for data in bad:
        with pytest.raises(ECSError):
            TaskDefinition.from_api(data)
