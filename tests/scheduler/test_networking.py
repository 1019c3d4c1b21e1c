"""Networking arithmetic: ENIs per awsvpc task, ENI trunking, dynamic ports, load balancer targets."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecsbook.scheduler import instance_types, networking, placement
from ecsbook.scheduler.errors import ECSError, InvalidParameterException
from ecsbook.scheduler.state import ClusterState

TRUNK = {"ecs.awsvpc-trunk-id": "eni-0trunk"}


def awsvpc_td(memory: int = 128, cpu: int = 64) -> dict[str, Any]:
    return {"family": "api", "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "api", "image": "nginx", "memory": memory, "cpu": cpu,
                                      "portMappings": [{"containerPort": 8080}]}]}


def bridge_td(host_port: int = 0) -> dict[str, Any]:
    return {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 64, "cpu": 32,
                                                       "portMappings": [{"containerPort": 80, "hostPort": host_port}]}]}


# --- ENI arithmetic (container-instance-eni.html: "the primary network interface counts as one")

@pytest.mark.parametrize("itype,enis,tasks", [
    ("c5.large", 3, 2),      # the page's example: 3 ENIs - primary = 2 tasks
    ("m5.large", 3, 2), ("m5.xlarge", 4, 3), ("m5.4xlarge", 8, 7),
    ("t3.micro", 2, 1), ("t3.medium", 3, 2), ("t3.xlarge", 4, 3),
    ("g4dn.xlarge", 3, 2),
])
def test_awsvpc_tasks_are_enis_minus_the_primary(itype: str, enis: int, tasks: int) -> None:
    cap = networking.eni_capacity(itype)
    assert (cap.max_enis, cap.awsvpc_tasks, cap.eni_limit) == (enis, tasks, enis)


@pytest.mark.parametrize("itype,without,with_trunk", [
    # the supported-instance-types table: task limit without / with ENI trunking
    ("c5.large", 2, 10), ("c5.xlarge", 3, 20), ("c5.2xlarge", 3, 40),
    ("m5.large", 2, 10), ("m5.xlarge", 3, 20), ("m5.2xlarge", 3, 40), ("m5.4xlarge", 7, 60),
    ("m6i.large", 2, 10), ("m6g.xlarge", 3, 20), ("c6g.large", 2, 10), ("r5.2xlarge", 3, 40),
])
def test_trunking_table(itype: str, without: int, with_trunk: int) -> None:
    assert networking.eni_capacity(itype).awsvpc_tasks == without
    on = networking.eni_capacity(itype, trunking=True)
    # "add one to the current task limit ... add two to the new task limit" for the ENI limits
    assert (on.awsvpc_tasks, on.eni_limit) == (with_trunk, with_trunk + 2)
    assert networking.eni_capacity(itype).eni_limit == without + 1


def test_c5_large_trunking_example_twelve_enis_ten_tasks() -> None:
    on = networking.eni_capacity("c5.large", trunking=True)
    assert on.eni_limit == 12 and on.awsvpc_tasks == 10
    assert "limit of 12" in on.explain()


@pytest.mark.parametrize("itype", ["t3.micro", "t3.large", "t4g.small", "g4dn.xlarge"])
def test_unsupported_types_ignore_trunking(itype: str) -> None:
    off, on = networking.eni_capacity(itype), networking.eni_capacity(itype, trunking=True)
    assert not on.trunking and on.awsvpc_tasks == off.awsvpc_tasks
    assert "not supported" in off.explain()


def test_every_modelled_type_has_an_eni_figure() -> None:
    assert all(t.max_enis >= 2 for t in instance_types.INSTANCE_TYPES.values())


# --- placement: RESOURCE:ENI

def test_third_awsvpc_task_on_a_c5_large_is_rejected_for_enis() -> None:
    c = ClusterState()
    c.add_instance("c5.large")
    r = placement.place_tasks(c, awsvpc_td(), 3)
    assert len(r.placements) == 2                       # 3 ENIs - 1 primary
    assert r.failures[0]["reason"] == "RESOURCE:ENI"
    assert r.decisions[2].rejections[next(iter(c.instances))].startswith("RESOURCE:ENI (all 2 ENIs")


def test_trunked_c5_large_takes_ten_awsvpc_tasks() -> None:
    c = ClusterState()
    c.add_instance("c5.large", attributes=TRUNK)
    r = placement.place_tasks(c, awsvpc_td(), 11)
    assert len(r.placements) == 10 and r.failures[0]["reason"] == "RESOURCE:ENI"


def test_trunk_attribute_on_an_unsupported_type_changes_nothing() -> None:
    c = ClusterState()
    c.add_instance("t3.medium", attributes=TRUNK)
    assert len(placement.place_tasks(c, awsvpc_td(), 5).placements) == 2


def test_eni_rejection_suggests_trunking() -> None:
    c = ClusterState()
    inst = c.add_instance("m5.large")
    assert "awsvpcTrunking a new m5.large would take 10" in networking.eni_rejection(inst)


def test_enis_in_use_carry_over_between_placements() -> None:
    c = ClusterState()
    c.add_instance("c5.large")
    c = placement.place_tasks(c, awsvpc_td(), 2).apply(c)
    r = placement.place_tasks(c, awsvpc_td(), 1)
    assert not r.placements and r.failures[0]["reason"] == "RESOURCE:ENI"


def test_bridge_tasks_use_no_task_enis() -> None:
    c = ClusterState()
    c.add_instance("c5.large")
    c = placement.place_tasks(c, bridge_td(), 5).apply(c)
    assert len(placement.place_tasks(c, awsvpc_td(), 3).placements) == 2


def test_stopping_an_awsvpc_task_frees_its_eni() -> None:
    c = ClusterState()
    c.add_instance("c5.large")
    c = placement.place_tasks(c, awsvpc_td(), 2).apply(c)
    c.stop_task(next(iter(c.tasks)))
    assert len(placement.place_tasks(c, awsvpc_td(), 2).placements) == 1


def test_fast_path_agrees_on_eni_limits() -> None:
    c = ClusterState()
    for az in ("us-east-1a", "us-east-1b", "us-east-1c"):
        c.add_instance("c5.large", az=az)
        c.add_instance("m5.xlarge", az=az, attributes=TRUNK)
    strat = [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]
    slow = placement.place_tasks(c, awsvpc_td(), 80, placement_strategy=strat)
    fast = placement.place_tasks(c, awsvpc_td(), 80, placement_strategy=strat, explain=False)
    assert slow.placements == fast.placements
    assert len(slow.placements) == 3 * (2 + 20)


@settings(max_examples=60, deadline=None)
@given(types=st.lists(st.sampled_from(sorted(instance_types.INSTANCE_TYPES)), min_size=1, max_size=6),
       trunk=st.lists(st.booleans(), min_size=6, max_size=6), n=st.integers(0, 150))
def test_never_more_awsvpc_tasks_than_enis(types: list[str], trunk: list[bool], n: int) -> None:
    c = ClusterState()
    for k, t in enumerate(types):
        c.add_instance(t, attributes=TRUNK if trunk[k] else None)
    c = placement.place_tasks(c, awsvpc_td(memory=1, cpu=0), n).apply(c)
    used = networking.awsvpc_tasks_by_instance(c)
    for inst in c.instances.values():
        cap = networking.awsvpc_task_capacity(inst)
        assert cap is not None and used.get(inst.arn, 0) <= cap


# --- dynamic host ports (API_PortMapping, ALB page)

def test_dynamic_ports_come_from_the_kernel_range() -> None:
    c = ClusterState()
    c.add_instance("m5.large")
    r = placement.place_tasks(c, bridge_td(), 3)
    assert [d.host_ports for d in r.decisions] == [(32768,), (32769,), (32770,)]


def test_fallback_range_when_the_kernel_parameter_is_unavailable() -> None:
    c = ClusterState()
    c.add_instance("m5.large", attributes={"ip_local_port_range": "unavailable"})
    r = placement.place_tasks(c, bridge_td(), 2)
    assert [d.host_ports for d in r.decisions] == [(49153,), (49154,)]


def test_windows_fallback_starts_at_49152() -> None:
    c = ClusterState()
    inst = c.add_instance("m5.large", attributes={"ip_local_port_range": "unavailable", "ecs.os-type": "windows"})
    assert networking.dynamic_port_range(inst) == (49152, 65535)


def test_custom_kernel_range_is_honoured_and_ports_run_out() -> None:
    c = ClusterState()
    c.add_instance("m5.xlarge", attributes={"ip_local_port_range": "40000 40001"})
    r = placement.place_tasks(c, bridge_td(), 3)
    assert [d.host_ports for d in r.decisions[:2]] == [(40000,), (40001,)]
    assert r.failures[0]["reason"] == "RESOURCE:PORTS"          # two ports, so the third task does not fit
    assert "no free dynamic host port left in 40000-40001" in next(iter(r.decisions[2].rejections.values()))
    fast = placement.place_tasks(c, bridge_td(), 3, explain=False)
    assert fast.placements == r.placements


def test_reserved_agent_ports_are_not_handed_out() -> None:
    c = ClusterState()
    c.add_instance("m5.large", attributes={"ip_local_port_range": "51677 51681"})
    ports = [d.host_ports[0] for d in placement.place_tasks(c, bridge_td(), 2).decisions]
    assert ports == [51677, 51681]   # 51678-51680 belong to the agent


@pytest.mark.parametrize("raw", ["32768", "a b", "60999 32768", "0 10", "1 2 3"])
def test_bad_port_range_attribute(raw: str) -> None:
    c = ClusterState()
    inst = c.add_instance("m5.large", attributes={"ip_local_port_range": raw})
    with pytest.raises(InvalidParameterException, match="ip_local_port_range"):
        networking.dynamic_port_range(inst)


# --- load balancers (alb.html / nlb.html considerations)

@pytest.mark.parametrize("mode,kind", [("awsvpc", "ip"), ("bridge", "instance"), ("host", "instance")])
def test_target_type_per_network_mode(mode: str, kind: str) -> None:
    assert networking.target_type_for(mode) == kind


def test_network_mode_none_cannot_use_a_load_balancer() -> None:
    with pytest.raises(InvalidParameterException):
        networking.target_type_for("none")


TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/6d0ecf831eec9f09"
LB = {"targetGroupArn": TG, "containerName": "web", "containerPort": 80}


def test_instance_target_group_with_awsvpc_is_rejected_like_ecs() -> None:
    with pytest.raises(InvalidParameterException) as err:
        networking.validate_service_load_balancers([LB], "awsvpc", {TG: {"TargetType": "instance",
                                                                          "LoadBalancerArns": ["lb"]}})
    assert err.value.message == (f"The provided target group {TG} has target type instance, which is "
                                 "incompatible with the awsvpc network mode specified in the task definition.")


def test_ip_target_group_with_bridge_is_rejected() -> None:
    with pytest.raises(InvalidParameterException, match="has target type ip, which is incompatible with the bridge"):
        networking.validate_service_load_balancers([LB], "bridge", {TG: {"TargetType": "ip",
                                                                          "LoadBalancerArns": ["lb"]}})


def test_target_group_without_a_load_balancer() -> None:
    with pytest.raises(InvalidParameterException, match="does not have an associated load balancer"):
        networking.validate_service_load_balancers([LB], "awsvpc", {TG: {"TargetType": "ip", "LoadBalancerArns": []}})


def test_at_most_five_target_groups_per_service() -> None:
    lbs = [dict(LB, targetGroupArn=f"{TG}{k}") for k in range(5)]
    assert len(networking.validate_service_load_balancers(lbs, "awsvpc")) == 5
    with pytest.raises(InvalidParameterException, match="at most 5 target groups"):
        networking.validate_service_load_balancers(lbs + [dict(LB, targetGroupArn=TG + "x")], "awsvpc")


@pytest.mark.parametrize("mode,kw,target", [
    ("awsvpc", {"task_ip": "10.0.1.7"}, {"Id": "10.0.1.7", "Port": 8080}),        # the task's ENI
    ("bridge", {"ec2_instance_id": "i-1", "host_port": 32771}, {"Id": "i-1", "Port": 32771}),  # dynamic port
    ("host", {"ec2_instance_id": "i-1"}, {"Id": "i-1", "Port": 8080}),            # host port = container port
])
def test_what_ecs_registers_in_the_target_group(mode: str, kw: dict[str, Any], target: dict[str, Any]) -> None:
    assert networking.target_for(mode, 8080, **kw) == target


@pytest.mark.parametrize("call", [
    lambda: networking.eni_capacity("x9.huge"),
    lambda: networking.eni_capacity("c5.large", trunking="yes"),  # type: ignore[arg-type]
    lambda: networking.validate_service_load_balancers("tg", "awsvpc"),  # type: ignore[arg-type]
    lambda: networking.validate_service_load_balancers([{"containerName": "x"}], "awsvpc"),
    lambda: networking.validate_service_load_balancers([{"targetGroupArn": TG}], "awsvpc"),
    lambda: networking.target_for("awsvpc", 80),
    lambda: networking.target_for("bridge", 80, ec2_instance_id="i-1"),
    lambda: networking.target_for("bridge", 80, host_port=80),
])
def test_bad_input_raises_ecs_errors(call: Any) -> None:
    with pytest.raises(ECSError):
        call()
