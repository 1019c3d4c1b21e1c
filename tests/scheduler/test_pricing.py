"""Pricing: the billed window of a task, Spot rates, Windows, Managed Instances and ECS Anywhere.

Rates are read from the data file so the arithmetic stays right when the file is refreshed;
the numbers in the comments are those of the file as committed (us-east-1).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecsbook.scheduler import pricing
from ecsbook.scheduler.errors import ClientException, ECSError, InvalidParameterException

R = pricing.load_rates()
X86 = R["fargate"]["us-east-1"]["LINUX/X86_64"]
WIN = R["fargate"]["us-east-1"]["WINDOWS/X86_64"]


def task(**over: Any) -> dict[str, Any]:
    t: dict[str, Any] = {"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/c/1", "launchType": "FARGATE",
                         "cpu": "256", "memory": "512", "platformFamily": "Linux",
                         "createdAt": 1000.0, "pullStartedAt": 1005.0, "pullStoppedAt": 1020.0,
                         "startedAt": 1022.0, "stoppedAt": 1100.0}
    t.update(over)
    return t


# --- the billed window (Fargate pricing: "from the time you start to download your container image until
#     the Amazon ECS Task terminates, rounded up to the nearest second"; 1-minute minimum on Linux)

def test_billing_starts_at_the_image_pull_not_at_creation() -> None:
    bt = pricing.billed_time(task(stoppedAt=1100.0))
    # 1100 - 1005 = 95 s (not 100 s from createdAt, not 78 s from startedAt)
    assert (bt.start_field, bt.end_field, bt.seconds, bt.billed_seconds) == ("pullStartedAt", "stoppedAt", 95, 95)


def test_the_window_is_rounded_up_to_the_second() -> None:
    assert pricing.billed_time(task(stoppedAt=1100.2)).billed_seconds == 96     # 95.2 s -> 96 s


def test_a_short_linux_task_is_billed_one_minute() -> None:
    bt = pricing.billed_time(task(stoppedAt=1045.0))                            # 40 s -> 60 s
    assert bt.billed_seconds == 60 and bt.minimum_applied


def test_iso_timestamps_from_describe_tasks() -> None:
    bt = pricing.billed_time(task(pullStartedAt="2026-12-01T10:00:00.000Z", stoppedAt="2026-12-01T10:30:00.250+00:00"))
    assert bt.billed_seconds == 1801                                           # 1800.25 s -> 1801 s


def test_a_running_task_is_priced_up_to_now() -> None:
    t = task()
    del t["stoppedAt"]
    assert pricing.billed_time(t, now=1605.0).billed_seconds == 600 and pricing.billed_time(t, now=1605).end_field == "now"
    with pytest.raises(InvalidParameterException, match="give now="):
        pricing.billed_time(t)


def test_without_a_pull_time_billing_falls_back_to_started_at() -> None:
    t = task()
    del t["pullStartedAt"]
    assert pricing.billed_time(t).start_field == "startedAt"


def test_task_cost_from_the_timeline() -> None:
    c = pricing.task_cost(task(cpu="1024", memory="2048", pullStartedAt=0.0, stoppedAt=3600.0))
    # 1 vCPU x 1 h x 0.04048 + 2 GB x 1 h x 0.004445 = 0.04937
    assert c.total == pytest.approx(X86["vcpu_hour"] + 2 * X86["gb_hour"])
    assert c.notes[0] == "billed window: pullStartedAt to stoppedAt = 3600 s"


def test_task_cost_reads_spot_arm_and_storage_from_the_task() -> None:
    t = task(cpu="1024", memory="2048", pullStartedAt=0.0, stoppedAt=3600.0, capacityProviderName="FARGATE_SPOT",
             attributes=[{"name": "ecs.cpu-architecture", "value": "arm64"}], ephemeralStorage={"sizeInGiB": 30})
    c = pricing.task_cost(t, spot_discount=0.5)
    arm = R["fargate"]["us-east-1"]["LINUX/ARM64"]
    # 0.5 x (0.03238 + 2 x 0.00356) + 10 GiB x 0.000111 (storage is not discounted)
    assert c.total == pytest.approx(0.5 * (arm["vcpu_hour"] + 2 * arm["gb_hour"])
                                    + 10 * R["fargate"]["us-east-1"]["ephemeral_storage_gb_hour"])


def test_task_cost_is_for_fargate_tasks() -> None:
    with pytest.raises(InvalidParameterException, match="prices Fargate tasks"):
        pricing.task_cost(task(launchType="EC2"))


# --- Fargate Spot: explicit per-dimension rates next to the discount factor

def test_spot_with_the_default_discount_shows_the_rates_it_used() -> None:
    c = pricing.fargate_task_cost(1024, 2048, 3600, spot=True)
    # default: the 70 % ceiling -> 0.3 x 0.04048 = 0.012144 per vCPU-hour, 0.3 x 0.004445 = 0.0013335 per GB-hour
    assert [line.rate for line in c.lines] == pytest.approx([0.3 * X86["vcpu_hour"], 0.3 * X86["gb_hour"]])
    assert "70%" in c.notes[1] and "per vCPU-hour" in c.notes[1]


def test_explicit_spot_rates_win_and_report_the_implied_discount() -> None:
    c = pricing.fargate_task_cost(1024, 2048, 3600, spot=True, spot_rates={"vcpu_hour": 0.0125, "gb_hour": 0.0014})
    # 1 x 0.0125 + 2 x 0.0014 = 0.0153; 0.0125 / 0.04048 = 30.9 % of on-demand -> 69.1 % off
    assert c.total == pytest.approx(0.0153)
    assert "69.1% off" in c.notes[1]


@pytest.mark.parametrize("kw", [{"spot_rates": {"vcpu_hour": 0.01}}, {"spot_rates": {"vcpu_hour": -1, "gb_hour": 0}},
                                {"spot_rates": {"vcpu_hour": 0.01, "gb_hour": 0.001}, "spot_discount": 0.5},
                                {"spot_discount": 1.0}, {"spot_discount": True}])
def test_bad_spot_arguments(kw: dict[str, Any]) -> None:
    with pytest.raises(InvalidParameterException):
        pricing.fargate_task_cost(1024, 2048, 60, spot=True, **kw)


def test_spot_arguments_need_spot() -> None:
    with pytest.raises(InvalidParameterException, match="need spot=True"):
        pricing.fargate_task_cost(1024, 2048, 60, spot_discount=0.5)


def test_the_data_file_records_no_fixed_spot_rate() -> None:
    assert R["fargate_spot"]["discount_up_to"] == 0.70 and R["fargate_spot"]["rates"] == {}


# --- Windows on Fargate (X86_64, at least 1 vCPU, OS licence fee, no Spot)

def test_windows_adds_the_os_licence_per_vcpu_hour() -> None:
    c = pricing.fargate_task_cost(2048, 4096, 3600, os_family="WINDOWS")
    # 2 vCPU x (0.09148 + 0.046) + 4 GB x 0.01005 = 0.31516
    assert c.total == pytest.approx(2 * (WIN["vcpu_hour"] + WIN["os_license_vcpu_hour"]) + 4 * WIN["gb_hour"])
    assert [line.item for line in c.lines] == ["vCPU (Windows X86_64)", "memory (Windows X86_64)", "Windows OS licence"]


def test_windows_minimum_comes_from_the_data_file() -> None:
    minimum = R["fargate"]["minimum_billed_seconds"]["WINDOWS"]
    assert pricing.fargate_task_cost(1024, 2048, 20, os_family="WINDOWS").billed_seconds == minimum
    assert pricing.billed_seconds(20) == 60


def test_windows_needs_one_vcpu_x86_and_no_spot() -> None:
    with pytest.raises(ClientException, match="cannot be less than 1 vCPU"):
        pricing.fargate_task_cost(512, 1024, 60, os_family="WINDOWS")
    with pytest.raises(InvalidParameterException, match="X86_64 only"):
        pricing.fargate_task_cost(1024, 2048, 60, os_family="WINDOWS", architecture="ARM64")
    with pytest.raises(InvalidParameterException, match="does not run Windows"):
        pricing.fargate_task_cost(1024, 2048, 60, os_family="WINDOWS", spot=True)


# --- ECS Managed Instances and ECS Anywhere (aws.amazon.com/ecs/pricing)

def test_managed_instances_is_the_instance_plus_the_management_fee() -> None:
    c = pricing.managed_instances_cost("c6a.2xlarge", 3600)
    # 1 h x (0.306 EC2 + 0.037 fee) = 0.343
    assert c.total == pytest.approx(R["ec2"]["us-east-1"]["c6a.2xlarge"]
                                    + R["managed_instances"]["us-east-1"]["management_fee_hour"]["c6a.2xlarge"])


def test_managed_instances_bill_per_second_with_a_one_minute_minimum() -> None:
    assert pricing.managed_instances_cost("c6a.2xlarge", 10).billed_seconds == 60
    assert pricing.managed_instances_cost("c6a.2xlarge", 90.1).billed_seconds == 91


def test_managed_instances_fee_for_other_types_must_be_given() -> None:
    with pytest.raises(InvalidParameterException, match="pass management_fee_hour"):
        pricing.managed_instances_cost("m5.large", 3600)
    c = pricing.managed_instances_cost("m5.large", 3600, management_fee_hour=0.012, count=3)
    assert c.total == pytest.approx(3 * (R["ec2"]["us-east-1"]["m5.large"] + 0.012))


def test_ecs_anywhere_fee_per_instance_hour() -> None:
    c = pricing.ecs_anywhere_cost(20, 730)
    # the pricing chapter's example: 20 x 730 h x 0.01025 = 149.65
    assert c.total == pytest.approx(149.65)


def test_ecs_anywhere_optional_minimum() -> None:
    assert pricing.ecs_anywhere_cost(1, 0.25, minimum_hours=1).total == pytest.approx(0.01025)


def test_every_section_of_the_rate_card_is_dated_and_sourced() -> None:
    for section in ("fargate", "fargate_spot", "ecs_anywhere", "managed_instances"):
        assert R[section]["read_on"] and R[section]["source"].startswith("https://aws.amazon.com/")


# --- existing behaviour kept, and invariants

@settings(max_examples=100, deadline=None)
@given(secs=st.floats(0, 10_000, allow_nan=False), more=st.floats(0, 1000, allow_nan=False))
def test_billed_seconds_is_monotonic_and_at_least_the_minimum(secs: float, more: float) -> None:
    a, b = pricing.billed_seconds(secs), pricing.billed_seconds(secs + more)
    assert 60 <= a <= b and a >= secs and a - secs < 60 + 1


@pytest.mark.parametrize("call", [
    lambda: pricing.billed_time("task"),  # type: ignore[arg-type]
    lambda: pricing.billed_time({"stoppedAt": 5}),
    lambda: pricing.billed_time(task(stoppedAt=1.0)),
    lambda: pricing.billed_time(task(stoppedAt="yesterday")),
    lambda: pricing.billed_time(task(stoppedAt="2026-12-01T10:00:00")),
    lambda: pricing.task_cost(task(cpu=None)),
    lambda: pricing.fargate_task_cost(256, 512, 60, os_family="MACOS"),
    lambda: pricing.fargate_task_cost(256, 512, 60, spot="yes"),  # type: ignore[arg-type]
    lambda: pricing.managed_instances_cost("x9.huge", 60),
    lambda: pricing.managed_instances_cost("c6a.2xlarge", -1),
    lambda: pricing.ecs_anywhere_cost(0, 1),
    lambda: pricing.ecs_anywhere_cost(1, 1, region="mars-1"),
])
def test_bad_input_raises_ecs_errors(call: Any) -> None:
    with pytest.raises(ECSError):
        call()
