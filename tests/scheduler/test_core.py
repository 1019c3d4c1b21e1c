"""Scheduler model: documented ECS examples (arithmetic written next to each case) and invariants."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecsbook.scheduler import capacity, deployments, fargate, placement, pricing, query, services
from ecsbook.scheduler.errors import ClientException, ECSError, InvalidParameterException
from ecsbook.scheduler.state import ClusterState, TaskDefinition

AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]


def td(memory: int = 512, cpu: int = 256, host_port: int | None = 0, family: str = "web") -> dict:
    c = {"name": "app", "image": "nginx", "memory": memory, "cpu": cpu}
    if host_port is not None:
        c["portMappings"] = [{"containerPort": 80, "hostPort": host_port}]
    return {"family": family, "containerDefinitions": [c]}


# ------------------------------------------------------------------ Fargate task sizes

@pytest.mark.parametrize("cpu,memory,expected", [
    (256, 512, (256, 512)), ("0.25 vCPU", "0.5GB", (256, 512)), (256, 2048, (256, 2048)),
    ("1 vCPU", "2GB", (1024, 2048)), (1024, 8192, (1024, 8192)),
    (2048, 16384, (2048, 16384)), (4096, 30720, (4096, 30720)),
    ("8 vCPU", "60GB", (8192, 61440)), (8192, 20480, (8192, 20480)),     # 16..60 GB in 4 GB steps: 20 GB ok
    (16384, 122880, (16384, 122880)), (16384, 40960, (16384, 40960)),   # 32..120 GB in 8 GB steps: 40 ok
])
def test_fargate_valid_sizes_from_the_table(cpu, memory, expected):
    assert fargate.validate_task_size(cpu, memory) == expected


@pytest.mark.parametrize("cpu,memory,field", [
    (256, 4096, "memory"),     # 0.25 vCPU allows at most 2 GB
    (512, 512, "memory"),      # 0.5 vCPU starts at 1 GB
    (4096, 32768, "memory"),   # 4 vCPU tops out at 30 GB
    (8192, 18432, "memory"),   # 18 GB is not a 4 GB step from 16
    (16384, 36864, "memory"),  # 36 GB is not an 8 GB step from 32
    (3072, 8192, "cpu"),       # 3 vCPU is not a Fargate size
])
def test_fargate_invalid_sizes_answer_like_ecs(cpu, memory, field):
    with pytest.raises(ClientException) as err:
        fargate.validate_task_size(cpu, memory)
    assert err.value.field == field
    assert str(err.value).startswith("ClientException: Invalid '")


def test_fargate_error_lists_valid_memory_for_the_cpu():
    with pytest.raises(ClientException, match="1 GB, 2 GB, 3 GB, 4 GB"):
        fargate.validate_task_size(512, 8192)


@pytest.mark.parametrize("bad", ["two", "-1", None, True, 1.5])
def test_fargate_garbage_is_an_invalid_parameter_not_a_traceback(bad):
    with pytest.raises(ECSError):
        fargate.validate_task_size(bad, 1024)


def test_fargate_table_has_the_documented_shape():
    assert list(fargate.FARGATE_TASK_SIZES) == [256, 512, 1024, 2048, 4096, 8192, 16384]
    assert len(fargate.FARGATE_TASK_SIZES[8192]) == (60 - 16) // 4 + 1  # 12 sizes
    assert len(fargate.FARGATE_TASK_SIZES[16384]) == (120 - 32) // 8 + 1  # 12 sizes
    assert fargate.smallest_size_for(300, 600) == (512, 1024)


# ------------------------------------------------------------------ deployments

@pytest.mark.parametrize("desired,lo,hi,min_tasks,max_tasks", [
    (4, 50, 200, 2, 8),     # docs: desired 4, min 50% -> 2 may stop; max 200% -> 8
    (4, 100, 200, 4, 8),    # defaults for REPLICA
    (3, 50, 150, 2, 4),     # ceil(1.5)=2 ; floor(4.5)=4
    (5, 75, 125, 4, 6),     # ceil(3.75)=4 ; floor(6.25)=6
    (10, 0, 100, 0, 10),
    (1, 50, 200, 1, 2),     # ceil(0.5)=1 ; floor(2)=2
    (7, 33, 133, 3, 9),     # ceil(2.31)=3 ; floor(9.31)=9
])
def test_deployment_bounds_round_min_up_and_max_down(desired, lo, hi, min_tasks, max_tasks):
    b = deployments.deployment_bounds(desired, {"minimumHealthyPercent": lo, "maximumPercent": hi})
    assert (b.min_healthy_tasks, b.max_tasks) == (min_tasks, max_tasks)
    assert b.min_healthy_tasks == math.ceil(desired * lo / 100)
    assert b.max_tasks == math.floor(desired * hi / 100)


def test_deployment_defaults_replica_and_daemon():
    r = deployments.deployment_bounds(4)
    d = deployments.deployment_bounds(4, scheduling_strategy="DAEMON")
    assert (r.minimum_healthy_percent, r.maximum_percent) == (100, 200)
    assert (d.minimum_healthy_percent, d.maximum_percent) == (0, 100)


@pytest.mark.parametrize("cfg,field", [
    ({"minimumHealthyPercent": 120}, "minimumHealthyPercent"),
    ({"minimumHealthyPercent": "50"}, "minimumHealthyPercent"),
    ({"minimumHealthyPercent": 80, "maximumPercent": 50}, "maximumPercent"),
    ({"maximumPercent": 0}, "maximumPercent"),
    ({"minHealthy": 50}, "minHealthy"),
])
def test_deployment_configuration_errors_name_the_field(cfg, field):
    with pytest.raises(InvalidParameterException) as err:
        deployments.deployment_bounds(4, cfg)
    assert err.value.field == field


# (7, 4): the docs give 0.5 x desired with no rounding rule; rounding up is the model's choice
@pytest.mark.parametrize("desired,threshold", [(1, 3), (4, 3), (6, 3), (7, 4), (10, 5), (400, 200), (1000, 200)])
def test_circuit_breaker_threshold_is_half_desired_clamped_3_to_200(desired, threshold):
    assert deployments.circuit_breaker_threshold(desired) == threshold


def test_docs_example_desired_4_min_50_stops_two_old_tasks_first():
    tl = deployments.simulate_rolling_deployment(4, {"minimumHealthyPercent": 50, "maximumPercent": 100})
    first_stop = next(s for s in tl.steps if "stopped" in s.event)
    assert first_stop.old_running == 2 and first_stop.draining == 2
    assert tl.outcome == "COMPLETED"


def test_docs_example_max_200_starts_four_new_before_stopping_old():
    tl = deployments.simulate_rolling_deployment(4, {"minimumHealthyPercent": 100, "maximumPercent": 200})
    start = next(s for s in tl.steps if "has started" in s.event)
    assert start.old_running == 4 and start.new_pending == 4


def test_failing_revision_with_rollback_returns_to_old_revision():
    tl = deployments.simulate_rolling_deployment(
        6, {"deploymentCircuitBreaker": {"enable": True, "rollback": True}}, new_revision_fails=True)
    assert tl.outcome == "ROLLED_BACK" and tl.threshold == 3
    assert tl.steps[-1].old_running == 6 and tl.steps[-1].new_running == 0


def test_failing_revision_without_rollback_fails_and_without_breaker_never_ends():
    failed = deployments.simulate_rolling_deployment(
        6, {"deploymentCircuitBreaker": {"enable": True, "rollback": False}}, new_revision_fails=True)
    assert failed.outcome == "FAILED"
    stuck = deployments.simulate_rolling_deployment(6, None, new_revision_fails=True, max_rounds=20)
    assert stuck.outcome == "IN_PROGRESS"


def test_min_100_max_100_cannot_progress():
    tl = deployments.simulate_rolling_deployment(3, {"minimumHealthyPercent": 100, "maximumPercent": 100})
    # ECS's service event (service-event-messages): the configuration leaves no room to stop or start
    assert tl.outcome == "IN_PROGRESS" and "was unable to stop or start tasks during a deployment because of the " \
        "service deployment configuration" in tl.rollout_state_reason


@settings(max_examples=200, deadline=None)
@given(desired=st.integers(0, 40), lo=st.integers(0, 100), extra=st.integers(0, 120),
       fails=st.booleans(), cb=st.booleans())
def test_deployment_never_breaks_its_bounds(desired, lo, extra, fails, cb):
    hi = max(lo, 100) + extra
    cfg = {"minimumHealthyPercent": lo, "maximumPercent": hi,
           "deploymentCircuitBreaker": {"enable": cb, "rollback": cb}}
    tl = deployments.simulate_rolling_deployment(desired, cfg, new_revision_fails=fails, max_rounds=60)
    b = tl.bounds
    rollback_started = False
    for s in tl.steps:
        rollback_started |= "rolling back" in s.event
        assert s.healthy >= min(b.min_healthy_tasks, desired) or rollback_started
        if not rollback_started:
            assert s.running_or_pending <= max(b.max_tasks, desired)
    if tl.outcome == "COMPLETED":
        assert tl.steps[-1].new_running == desired and tl.steps[-1].old_running == 0
    if tl.outcome == "ROLLED_BACK":
        assert tl.steps[-1].old_running == desired


# ------------------------------------------------------------------ capacity providers

@pytest.mark.parametrize("strategy,count,expected", [
    # base 2 on FARGATE, then 8 left split 1:3 -> 2 and 6
    ([{"capacityProvider": "FARGATE", "base": 2, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 3}],
     10, {"FARGATE": 4, "FARGATE_SPOT": 6}),
    # docs: weight 1 (A) and 4 (B): for every task on A, four on B
    ([{"capacityProvider": "A", "weight": 1}, {"capacityProvider": "B", "weight": 4}], 10, {"A": 2, "B": 8}),
    # base bigger than the count: all on the base provider
    ([{"capacityProvider": "A", "base": 5, "weight": 1}, {"capacityProvider": "B", "weight": 1}], 3, {"A": 3, "B": 0}),
    # equal weights split evenly; the odd task goes to the first listed
    ([{"capacityProvider": "A", "weight": 1}, {"capacityProvider": "B", "weight": 1}], 5, {"A": 3, "B": 2}),
])
def test_capacity_provider_split(strategy, count, expected):
    assert capacity.split_tasks(strategy, count) == expected


@pytest.mark.parametrize("strategy,field", [
    ([{"capacityProvider": "A", "base": 1}, {"capacityProvider": "B", "base": 1, "weight": 1}], "base"),
    ([{"capacityProvider": "FARGATE", "weight": 1}, {"capacityProvider": "my-asg", "weight": 1}], "capacityProvider"),
    ([{"capacityProvider": "A", "weight": 1001}], "weight"),
    ([{"capacityProvider": "A", "base": -1, "weight": 1}], "base"),
    ([{"capacityProvider": "A", "weight": 0}], "weight"),
])
def test_capacity_strategy_errors(strategy, field):
    with pytest.raises(InvalidParameterException) as err:
        capacity.split_tasks(strategy, 4)
    assert err.value.field == field


@settings(max_examples=200, deadline=None)
@given(base=st.integers(0, 20), w1=st.integers(0, 10), w2=st.integers(1, 10), count=st.integers(0, 200))
def test_split_sums_to_count_and_respects_base(base, w1, w2, count):
    s = capacity.split_tasks([{"capacityProvider": "A", "base": base, "weight": w1},
                              {"capacityProvider": "B", "weight": w2}], count)
    assert sum(s.values()) == count
    assert s["A"] >= min(base, count)
    rest = count - min(base, count)
    # after the base, each provider is within one task of its weighted share
    assert abs((s["A"] - min(base, count)) - rest * w1 / (w1 + w2)) <= 1


@pytest.mark.parametrize("m,n,cpr", [(4, 4, 100), (5, 4, 125), (2, 4, 50), (0, 4, 0), (3, 0, 200), (0, 0, 100)])
def test_capacity_provider_reservation(m, n, cpr):
    assert capacity.capacity_provider_reservation(m, n) == cpr


def test_managed_scaling_targets_capacity():
    # target 100: run exactly M; target 50: keep half spare (ceil(4 x 100 / 50) = 8)
    assert capacity.managed_scaling_step(5, 2, {"targetCapacity": 100}).desired_instances == 5
    assert capacity.managed_scaling_step(4, 4, {"targetCapacity": 50}).desired_instances == 8
    # scale out at least minimumScalingStepSize, at most maximumScalingStepSize
    assert capacity.managed_scaling_step(3, 2, {"minimumScalingStepSize": 3}).desired_instances == 5
    assert capacity.managed_scaling_step(30, 2, {"maximumScalingStepSize": 4}).desired_instances == 6
    with pytest.raises(InvalidParameterException):
        capacity.managed_scaling_step(1, 1, {"targetCapacity": 0})


# ------------------------------------------------------------------ cluster query language

def _cluster() -> ClusterState:
    c = ClusterState("q")
    c.add_instance("t3.small", "us-east-1a", {"stack": "prod"})
    c.add_instance("m5.large", "us-east-1b", {"stack": "dev"})
    c.add_instance("g4dn.xlarge", "us-east-1d")
    return c


@pytest.mark.parametrize("expression,expected", [
    ("attribute:ecs.instance-type == t3.small", [True, False, False]),
    ("attribute:ecs.instance-type =~ t3.*", [True, False, False]),
    ("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", [True, True, False]),
    ("attribute:ecs.availability-zone not_in [us-east-1a, us-east-1b]", [False, False, True]),
    ("attribute:ecs.instance-type =~ g4dn.* or attribute:ecs.availability-zone == us-east-1a", [True, False, True]),
    ("attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone != us-east-1d", [True, False, False]),
    ("attribute:stack exists", [True, True, False]),
    ("attribute:stack !exists", [False, False, True]),
    ("not(attribute:stack == prod)", [False, True, True]),
    ("(attribute:stack == prod or attribute:stack == dev) and runningTasksCount == 0", [True, True, False]),
    ("ec2InstanceId in ['i-00000000000000001', 'i-00000000000000003']", [True, False, True]),
    ("attribute:ecs.os-type == linux", [True, True, True]),
])
def test_cluster_query_language_documented_forms(expression, expected):
    c = _cluster()
    got = [query.matches(expression, i, c) for i in c.instances.values()]
    assert got == expected


def test_task_group_affinity_and_anti_affinity():
    c = _cluster()
    first = next(iter(c.instances))
    c.start_task(TaskDefinition("db", memory=128), first, "service:database")
    got = [query.matches("task:group == service:database", i, c) for i in c.instances.values()]
    assert got == [True, False, False]
    got = [query.matches("not(task:group == service:database)", i, c) for i in c.instances.values()]
    assert got == [False, True, True]


@pytest.mark.parametrize("bad", ["", "attribute:x ==", "foo == bar", "attribute:x in a, b", "(attribute:x == 1",
                                 "attribute:x == 1 and", "attribute:x ~~ 1"])
def test_bad_expressions_raise_invalid_parameter(bad):
    with pytest.raises(InvalidParameterException) as err:
        query.parse(bad)
    assert err.value.field == "expression"


# ------------------------------------------------------------------ placement

def _grid(n_per_az: int = 2, itype: str = "m5.large") -> ClusterState:
    c = ClusterState("p")
    for az in AZS[:2]:
        for _ in range(n_per_az):
            c.add_instance(itype, az)
    return c


def test_binpack_memory_fills_one_instance_before_the_next():
    c = _grid()
    r = placement.place_tasks(c, td(memory=1024), 4, placement_strategy=[{"type": "binpack", "field": "memory"}])
    assert list(r.counts_by().values()) == [4]


def test_spread_az_then_binpack_memory_balances_azs_and_packs_within():
    c = _grid()
    r = placement.place_tasks(c, td(memory=1024), 6, placement_strategy=[
        {"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}])
    assert r.counts_by("az") == {"us-east-1a": 3, "us-east-1b": 3}
    assert len(r.counts_by()) == 2  # one instance per AZ: packed


def test_spread_instance_id_puts_one_per_instance_first():
    c = _grid()
    r = placement.place_tasks(c, td(), 4, placement_strategy=[{"type": "spread", "field": "instanceId"}])
    assert sorted(r.counts_by().values()) == [1, 1, 1, 1]


def test_service_default_spreads_across_azs():
    c = _grid()
    r = placement.place_tasks(c, td(), 4, default="service", group="service:web")
    assert r.counts_by("az") == {"us-east-1a": 2, "us-east-1b": 2}


def test_static_host_port_allows_one_task_per_instance_and_says_why():
    c = _grid()
    r = placement.place_tasks(c, td(host_port=80), 6, placement_strategy=[{"type": "binpack", "field": "memory"}])
    assert len(r.placements) == 4 and len(r.failures) == 2
    fifth = r.decisions[4]
    assert not fifth.placed
    assert all(reason.startswith("RESOURCE:PORTS") for reason in fifth.rejections.values())


def test_dynamic_ports_come_from_the_ephemeral_range():
    c = _grid(1)
    r = placement.place_tasks(c, td(host_port=0), 3, placement_strategy=[{"type": "binpack", "field": "memory"}])
    ports = [p for d in r.decisions for p in d.host_ports]
    # kernel ip_local_port_range of current ECS-optimized AMIs (networking.KERNEL_PORT_RANGE)
    assert len(set(ports)) == 3 and all(32768 <= p <= 60999 for p in ports)


def test_distinct_instance_and_member_of_are_binding():
    c = _grid()
    r = placement.place_tasks(c, td(), 5, placement_constraints=[{"type": "distinctInstance"}])
    assert len(r.placements) == 4 and r.failures
    r = placement.place_tasks(c, td(), 3, placement_constraints=[
        {"type": "memberOf", "expression": "attribute:ecs.availability-zone == us-east-1b"}])
    assert set(r.counts_by("az")) == {"us-east-1b"}
    assert any("memberOf" in why for why in r.rejections.values())


def test_draining_instances_get_no_tasks():
    c = _grid()
    for arn in list(c.instances)[:3]:
        c.set_status(arn, "DRAINING")
    r = placement.place_tasks(c, td(), 2, placement_strategy=[{"type": "spread", "field": "instanceId"}])
    assert list(r.counts_by().values()) == [2]
    assert sum("DRAINING" in why for why in r.rejections.values()) == 3


@pytest.mark.parametrize("strategy,field", [
    ([{"type": "packbin", "field": "memory"}], "type"),
    ([{"type": "binpack", "field": "disk"}], "field"),
    ([{"type": "spread", "field": "az"}], "field"),
    ([{"type": "random"}] * 6, "placementStrategy"),
])
def test_invalid_strategies(strategy, field):
    with pytest.raises(InvalidParameterException) as err:
        placement.place_tasks(_grid(), td(), 1, placement_strategy=strategy)
    assert err.value.field == field


def test_fargate_rejects_strategies_and_spreads_across_azs():
    with pytest.raises(InvalidParameterException, match="not supported"):
        placement.place_tasks(_grid(), td(), 1, launch_type="FARGATE", placement_strategy=[{"type": "random"}])
    assert placement.spread_fargate_tasks(5, {"us-east-1a": ["s1"], "us-east-1b": ["s2"]}) == \
        {"us-east-1a": 3, "us-east-1b": 2}


def test_too_many_constraints():
    with pytest.raises(InvalidParameterException):
        placement.place_tasks(_grid(), td(), 1, placement_constraints=[{"type": "distinctInstance"}] * 11)


def test_placement_is_pure_and_apply_makes_a_new_state():
    c = _grid()
    before = c.to_api()
    r = placement.place_tasks(c, td(), 3)
    assert c.to_api() == before
    after = r.apply(c)
    assert len(after.tasks) == 3 and len(c.tasks) == 0


def test_random_is_deterministic_with_a_seed():
    c = _grid(3)
    a = placement.place_tasks(c, td(), 5, rng=random.Random(7)).placements
    b = placement.place_tasks(c, td(), 5, rng=random.Random(7)).placements
    assert a == b


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 60),
       strat=st.sampled_from([
           [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}],
           [{"type": "binpack", "field": "cpu"}], [{"type": "spread", "field": "instanceId"}],
           [{"type": "random"}]]))
def test_placement_never_overcommits_and_fast_path_agrees(seed, n, strat):
    rnd = random.Random(seed)
    c = ClusterState("h")
    for _ in range(rnd.randint(1, 8)):
        c.add_instance(rnd.choice(["t3.medium", "m5.large", "c5.large"]), rnd.choice(AZS))
    t = td(memory=rnd.choice([256, 700, 1500, 3000]), cpu=rnd.choice([0, 256, 1024]), host_port=rnd.choice([0, 80]))
    r = placement.place_tasks(c, t, n, placement_strategy=strat)
    after = r.apply(c)
    for inst in after.instances.values():
        assert inst.remaining_cpu >= 0 and inst.remaining_memory >= 0
        ports = [p for task in after.tasks_on(inst.arn) for p in task.host_ports]
        assert len(ports) == len(set(ports))
    if strat[0]["type"] == "spread" and strat[0]["field"].startswith("attribute"):
        fast = placement.place_tasks(c, t, n, placement_strategy=strat, explain=False)
        assert fast.placements == r.placements


def test_scale_in_keeps_the_az_spread():
    c = _grid()
    r = placement.place_tasks(c, td(), 6, default="service", group="service:web")
    c = r.apply(c)
    victims = placement.select_tasks_to_stop(c, "service:web", 2,
                                             [{"type": "spread", "field": "attribute:ecs.availability-zone"}])
    for v in victims:
        c.stop_task(v)
    azs = [c.instances[t.container_instance_arn].availability_zone for t in c.tasks.values()]
    assert sorted(azs.count(a) for a in set(azs)) == [2, 2]


# ------------------------------------------------------------------ services

def test_daemon_one_task_per_active_instance_and_follows_draining():
    c = _grid()
    svc = {"serviceName": "agent", "schedulingStrategy": "DAEMON", "taskDefinition": td(memory=128, host_port=None)}
    c = services.apply(c, services.reconcile(c, svc))
    assert len(c.tasks) == 4
    assert services.reconcile(c, svc).summary == "start 0, stop 0"  # idempotent
    c.add_instance("m5.large", "us-east-1c")
    c.set_status(list(c.instances)[0], "DRAINING")
    plan = services.reconcile(c, svc)
    assert len(plan.start) == 1 and len(plan.stop) == 1
    with pytest.raises(InvalidParameterException):
        services.reconcile(c, {**svc, "placementStrategy": [{"type": "random"}]})


def test_replica_scales_to_desired_and_replaces_draining_tasks():
    c = _grid()
    svc = {"serviceName": "web", "desiredCount": 4, "taskDefinition": td()}
    c = services.apply(c, services.reconcile(c, svc))
    assert len(c.tasks) == 4
    busy = next(iter(c.tasks.values())).container_instance_arn
    c.set_status(busy, "DRAINING")
    plan = services.reconcile(c, svc)
    assert len(plan.stop) == len(plan.start) >= 1
    c = services.apply(c, plan)
    assert len(c.tasks) == 4 and not c.tasks_on(busy)


# ------------------------------------------------------------------ pricing

def test_fargate_cost_per_second_with_one_minute_minimum():
    rates = pricing.load_rates()["fargate"]["us-east-1"]["LINUX/X86_64"]
    hour = pricing.fargate_task_cost("1 vCPU", "2GB", 3600).total
    assert hour == pytest.approx(1 * rates["vcpu_hour"] + 2 * rates["gb_hour"])
    # 40 s is billed as 60 s; 61.2 s is billed as 62 s
    assert pricing.fargate_task_cost(256, 512, 40).billed_seconds == 60
    assert pricing.fargate_task_cost(256, 512, 61.2).billed_seconds == 62
    assert pricing.fargate_task_cost(256, 512, 40).total == pricing.fargate_task_cost(256, 512, 60).total


def test_arm_is_cheaper_spot_is_discounted_storage_over_20_gib_costs():
    x86 = pricing.fargate_task_cost(1024, 2048, 3600).total
    arm = pricing.fargate_task_cost(1024, 2048, 3600, architecture="ARM64").total
    spot = pricing.fargate_task_cost(1024, 2048, 3600, spot=True, spot_discount=0.7).total
    assert arm < x86 and spot == pytest.approx(x86 * 0.3)
    more = pricing.fargate_task_cost(1024, 2048, 3600, ephemeral_storage_gib=50)
    assert more.total - x86 == pytest.approx(30 * pricing.load_rates()["fargate"]["us-east-1"]["ephemeral_storage_gb_hour"])


def test_pricing_rejects_invalid_sizes_and_inputs():
    with pytest.raises(ClientException):
        pricing.fargate_task_cost(256, 4096, 60)
    with pytest.raises(InvalidParameterException):
        pricing.fargate_task_cost(256, 512, -5)
    with pytest.raises(InvalidParameterException):
        pricing.fargate_task_cost(256, 512, 60, ephemeral_storage_gib=500)
    with pytest.raises(InvalidParameterException):
        pricing.ec2_cost("m99.huge", 1)


def test_ec2_launch_type_is_instance_hours_only():
    c = pricing.ec2_cost("m5.large", 730, count=2)
    assert c.total == pytest.approx(730 * 2 * pricing.load_rates()["ec2"]["us-east-1"]["m5.large"])
    assert "no additional charge" in c.notes[0]


def test_rate_card_is_dated_and_sourced():
    r = pricing.load_rates()
    assert r["read_on"] and r["fargate"]["source"].startswith("https://aws.amazon.com/fargate/pricing")


@pytest.mark.parametrize("value", [-1, True, 1.0, "3", None])
def test_require_int_names_the_field(value):
    from ecsbook.scheduler.errors import require_int

    with pytest.raises(InvalidParameterException, match=r"^InvalidParameterException: desiredCount must be a non-negative integer") as err:
        require_int(value, "desiredCount")
    assert err.value.field == "desiredCount"
    assert require_int(0, "x") == 0
    with pytest.raises(InvalidParameterException, match="tasks must be a positive integer"):
        require_int(0, "tasks", minimum=1)
