"""Widgets driven headlessly: set .value, assert the model state and the picture change."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ecsbook.widgets.placement import PlacementExplorer, compare_svg, demo_cluster
from ecsbook.widgets.rolling import RollingUpdatePlayer
from ecsbook.widgets.scaling import ScalingSimulator


def _svgs(html: str) -> list[ET.Element]:
    out = []
    start = 0
    while (i := html.find("<svg", start)) >= 0:
        j = html.find("</svg>", i) + len("</svg>")
        out.append(ET.fromstring(html[i:j]))
        start = j
    return out


def test_placement_explorer_reacts_to_strategy_and_shows_errors_inline():
    e = PlacementExplorer(count=4, memory=1024)
    spread = e.result.counts_by("az")
    before = e.output.value
    e.chain.value = "binpack(memory)"
    # t3.medium registers 3891 MiB: three 1 GiB tasks fill it, the fourth goes to the next-fullest
    assert sorted(e.result.counts_by("instance").values()) == [1, 3] and e.output.value != before
    assert len(spread) == 3  # the default chain spread over the three AZs
    e.expression.value = "attribute:ecs.instance-type ~= t3"
    assert e.last_error and "InvalidParameterException" in e.error.value
    e.expression.value = "attribute:ecs.instance-type =~ t3.*"
    assert e.last_error is None and e.error.value == ""
    assert all(_svgs(e.output.value))


def test_placement_tooltips_carry_rejection_reasons():
    e = PlacementExplorer(count=2, memory=1024, chain="binpack(memory)")
    assert "binpack(memory)" in e.output.value  # reasons for the next task appear as tooltips


def test_compare_two_chains():
    html = compare_svg(demo_cluster(), {"family": "x", "containerDefinitions": [{"name": "a", "memory": 512}]},
                       5, "binpack(memory)", "spread(instanceId)")
    assert html.count('class="ew-cluster"') == 2          # one picture per chain
    assert len(_svgs(html)) == 2 * 3                         # each: one SVG per Availability Zone


def test_rolling_player_steps_and_fails_over():
    p = RollingUpdatePlayer(desired=4, min_healthy=50, max_percent=200)
    assert p.result.outcome == "COMPLETED"
    last = p.step.max
    p.step.value = 0
    first_pic = p.output.value
    p.step.value = last
    assert p.output.value != first_pic
    p.failing.value = True
    assert p.result.outcome == "ROLLED_BACK" and "circuit breaker" in p.output.value
    p.breaker.value = False
    assert p.result.outcome == "IN_PROGRESS"


def test_scaling_simulator_updates_plot_and_cost():
    s = ScalingSimulator(preset="steady")
    steady = s.result.sim.task_minutes
    s.preset.value = "spike"
    assert s.result.sim.task_minutes > steady
    lower = s.result.sim.task_minutes
    s.target.value = 30  # a lower CPU target needs more tasks
    assert s.result.sim.task_minutes > lower
    assert "CapacityProviderReservation" in s.output.value


def test_placement_explorer_instance_picker():
    e = PlacementExplorer(count=3, memory=512, chain="spread(instanceId)")
    e.layout.value = "m5.large@us-east-1a x2, r5.large@us-east-1b[stack=prod]"
    assert len(e.cluster.instances) == 3 and e.result.counts_by("az") == {"us-east-1a": 2, "us-east-1b": 1}
    e.expression.value = "attribute:stack == prod"
    assert e.result.counts_by("az") == {"us-east-1b": 3}
    e.layout.value = "m9.gigantic@us-east-1a"
    assert "Unknown instance type" in e.error.value
    e.layout.value = "nonsense"
    assert "instance-type@az" in e.error.value


def test_custom_strategy_chain_and_errors():
    e = PlacementExplorer(count=4, memory=512)
    e.custom.value = "spread(instanceId)"
    e.chain.value = "custom"
    assert sorted(e.result.counts_by().values()) == [1, 1, 1, 1]
    e.custom.value = "packbin(memory)"
    assert "Invalid strategy type: packbin" in e.error.value


def test_placement_comparison_widget():
    from ecsbook.widgets.placement import PlacementComparison

    c = PlacementComparison(count=4)
    assert c.output.value.count('class="ew-cluster"') == 2 and len(_svgs(c.output.value)) == 6
    before = c.output.value
    c.b.value = "binpack(memory)"
    assert c.output.value != before


def test_scaling_custom_load_and_scheduled_action():
    s = ScalingSimulator(preset="steady")
    s.custom.value = "100, 100, 800, 800, 800, 100"
    s.preset.value = "custom"
    assert len(s.result.sim.minutes) == 6 and max(m.desired for m in s.result.sim.minutes) > 2
    s.custom.value = "lots"
    assert "custom load must be numbers" in s.error.value
    s.custom.value = ""
    s.preset.value = "steady"
    s.scheduled.value = 6
    assert any("scheduled action" in e for e in s.result.sim.events)
