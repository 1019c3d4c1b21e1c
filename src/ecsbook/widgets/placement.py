"""Placement explorer: instances grouped by AZ, tasks as blocks, resource bars, reasons on hover.

The learner picks instance types per AZ, a task size, a strategy chain and an optional
``memberOf`` expression (typed freely: the model's ``InvalidParameterException`` is shown
inline). Every instance shows its memory bar and the tasks the model placed on it; hovering an
instance shows why it was not chosen for the *next* task. :func:`compare_svg` draws two strategy
chains side by side. All decisions come from :func:`ecsbook.scheduler.placement.place_tasks`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import ipywidgets as w

from ecsbook.scheduler.placement import PlacementResult, place_tasks
from ecsbook.scheduler.state import ClusterState

from .base import View
from .svg import PALETTE, Svg

CHAINS: dict[str, list[dict[str, str]]] = {
    "spread(AZ) then binpack(memory)": [{"type": "spread", "field": "attribute:ecs.availability-zone"},
                                        {"type": "binpack", "field": "memory"}],
    "binpack(memory)": [{"type": "binpack", "field": "memory"}],
    "binpack(cpu)": [{"type": "binpack", "field": "cpu"}],
    "spread(instanceId)": [{"type": "spread", "field": "instanceId"}],
    "spread(AZ) then spread(instanceId)": [{"type": "spread", "field": "attribute:ecs.availability-zone"},
                                           {"type": "spread", "field": "instanceId"}],
    "random": [{"type": "random"}],
}


def demo_cluster(layout: Sequence[tuple[str, str]] | None = None) -> ClusterState:
    """A small cluster: (instance type, AZ) pairs."""
    c = ClusterState("explorer")
    for itype, az in layout or [("m5.large", "us-east-1a"), ("t3.medium", "us-east-1a"),
                                ("m5.large", "us-east-1b"), ("t3.medium", "us-east-1b"),
                                ("c5.large", "us-east-1c")]:
        c.add_instance(itype, az)
    return c


def parse_chain(text: str) -> list[dict[str, str]]:
    """``"spread(attribute:ecs.availability-zone), binpack(memory), random"`` -> placementStrategy.

    The model validates the result (unknown types or fields raise ECS's InvalidParameterException).
    """
    import re

    from ecsbook.scheduler.errors import InvalidParameterException

    out: list[dict[str, str]] = []
    for raw in [p.strip() for p in re.split(r",\s*(?![^()]*\))", text) if p.strip()]:
        m = re.fullmatch(r"(\w+)(?:\(([^()]*)\))?", raw)
        if not m:
            raise InvalidParameterException(f"Cannot read strategy {raw!r}: write type(field), e.g. binpack(memory)",
                                            "placementStrategy")
        out.append({"type": m.group(1), **({"field": m.group(2).strip()} if m.group(2) else {})})
    return out


def parse_layout(text: str) -> ClusterState:
    """``"m5.large@us-east-1a, t3.medium@us-east-1b x2, c5.large@us-east-1c[stack=prod]"`` -> cluster.

    Unknown instance types or malformed entries raise ``InvalidParameterException`` (shown inline).
    """
    import re

    from ecsbook.scheduler.errors import InvalidParameterException

    c = ClusterState("explorer")
    for raw in [p.strip() for p in text.split(",") if p.strip()]:
        m = re.fullmatch(r"([a-z0-9]+\.[a-z0-9]+)@([a-z]{2}-[a-z]+-\d[a-z])(?:\[([^\]]*)\])?(?:\s*x(\d+))?", raw)
        if not m:
            raise InvalidParameterException(
                f"Cannot read {raw!r}: write instance-type@az, e.g. m5.large@us-east-1a, "
                "optionally [key=value] attributes and xN copies", "instances")
        attrs = dict(kv.split("=", 1) for kv in (m.group(3) or "").split(";") if "=" in kv)
        for _ in range(int(m.group(4) or 1)):
            c.add_instance(m.group(1), m.group(2), attrs)
    if not c.instances:
        raise InvalidParameterException("Add at least one instance, e.g. m5.large@us-east-1a", "instances")
    return c


def cluster_svg(cluster: ClusterState, result: PlacementResult | None, title: str = "",
                next_reasons: Mapping[str, str] | None = None, after: ClusterState | None = None) -> str:
    """Instances in AZ columns; memory bar; one block per placed task; tooltips with reasons."""
    after = after or (result.apply(cluster) if result else cluster)
    by_az: dict[str, list[Any]] = {}
    for inst in sorted(after.instances.values(), key=lambda i: i.order):
        by_az.setdefault(inst.availability_zone, []).append(inst)
    col_w, row_h = 230, 92
    rows = max((len(v) for v in by_az.values()), default=1)
    svg = Svg(20 + col_w * max(1, len(by_az)), 50 + rows * row_h, title=title)
    svg.rect(0, 0, svg.width, svg.height, fill="#FFFFFF")
    if title:
        svg.text(10, 18, title, size=13, weight="bold")
    placed = {d.container_instance_arn for d in (result.decisions if result else []) if d.placed}
    for c, (az, insts) in enumerate(sorted(by_az.items())):
        x = 10 + c * col_w
        svg.text(x, 40, az, size=12, weight="bold", fill=PALETTE["blue"])
        for r, inst in enumerate(insts):
            y = 48 + r * row_h
            reason = (next_reasons or {}).get(inst.arn, "chosen next" if next_reasons else "")
            tip = f"{inst.ec2_instance_id} {inst.instance_type} {inst.status}" + (f": {reason}" if reason else "")
            svg.rect(x, y, col_w - 20, row_h - 10, fill="#FFF4DC" if inst.status == "ACTIVE" else "#EEEEEE",
                     stroke=PALETTE["orange"] if inst.arn in placed else "#BBBBBB", rx=6, tooltip=tip)
            svg.text(x + 6, y + 15, f"{inst.instance_type} ({inst.cpu} CPU, {inst.memory} MiB)", size=10)
            used = 1 - inst.remaining_memory / inst.memory if inst.memory else 0
            svg.rect(x + 6, y + 21, col_w - 32, 7, fill="#E0E0E0")
            svg.rect(x + 6, y + 21, (col_w - 32) * used, 7, fill=PALETTE["blue"], tooltip=f"memory {used:.0%} used")
            tasks = after.tasks_on(inst.arn)
            for k, t in enumerate(tasks[:30]):
                svg.rect(x + 6 + (k % 15) * 13, y + 34 + (k // 15) * 14, 11, 11, rx=2,
                         fill=PALETTE["green"] if t.group.startswith(("family:", "service:")) else PALETTE["grey"],
                         tooltip=f"{t.group}")
            if reason and reason != "chosen next":
                svg.text(x + 6, y + row_h - 14, reason[:38], size=8, fill=PALETTE["red"])
    return str(svg)


class PlacementExplorer(View):
    """Interactive placement: strategy chain, task size, count, memberOf expression."""

    def __init__(self, cluster: ClusterState | None = None, count: int = 6, memory: int = 1024, cpu: int = 256,
                 chain: str = "spread(AZ) then binpack(memory)", expression: str = "") -> None:
        self.cluster = cluster or demo_cluster()
        self.layout = w.Text(value="" if cluster else "m5.large@us-east-1a, t3.medium@us-east-1a, m5.large@us-east-1b, "
                             "t3.medium@us-east-1b, c5.large@us-east-1c", description="instances",
                             layout=w.Layout(width="95%"))
        self.chain = w.Dropdown(options=[*CHAINS, "custom"], value=chain, description="strategy")
        self.custom = w.Text(value="", description="custom", placeholder="spread(instanceId), binpack(cpu)")
        self.count = w.IntSlider(value=count, min=0, max=40, description="tasks")
        self.memory = w.IntSlider(value=memory, min=128, max=4096, step=128, description="memory MiB")
        self.cpu = w.IntSlider(value=cpu, min=0, max=2048, step=128, description="CPU units")
        self.expression = w.Text(value=expression, description="memberOf",
                                 placeholder="attribute:ecs.instance-type =~ t3.*")
        self.controls = [self.chain, self.count, self.memory, self.cpu, self.expression, self.layout, self.custom]
        super().__init__()

    def _layout_controls(self) -> list[w.Widget]:
        return [w.HBox([self.chain, self.custom, self.count]), w.HBox([self.memory, self.cpu, self.expression]),
                self.layout]

    def strategy(self) -> list[dict[str, str]]:
        return parse_chain(self.custom.value) if self.chain.value == "custom" else CHAINS[self.chain.value]

    def _constraints(self) -> list[dict[str, str]] | None:
        text = self.expression.value.strip()
        return [{"type": "memberOf", "expression": text}] if text else None

    def compute(self) -> PlacementResult:
        """Place the tasks (fast path, no per-task reasons), then explain only the *next* task."""
        if self.layout.value.strip():
            self.cluster = parse_layout(self.layout.value)
        td = {"family": "demo", "containerDefinitions": [{"name": "app", "memory": self.memory.value,
                                                          "cpu": self.cpu.value}]}
        result = place_tasks(self.cluster, td, self.count.value, placement_strategy=self.strategy(),
                             placement_constraints=self._constraints(), explain=False)
        self.after = result.apply(self.cluster)
        nxt = place_tasks(self.after, result.task_definition, 1, placement_strategy=self.strategy(),
                          placement_constraints=self._constraints())
        self.reasons = dict(nxt.decisions[0].rejections)
        return result

    def render(self, result: Any) -> str:
        return cluster_svg(self.cluster, result, f"{self.count.value} tasks, {self.chain.value}",
                           self.reasons, self.after)


def compare_svg(cluster: ClusterState, task_definition: Mapping[str, Any], count: int,
                chain_a: str, chain_b: str) -> str:
    """Two strategy chains side by side on the same cluster."""
    a = place_tasks(cluster, task_definition, count, placement_strategy=CHAINS[chain_a])
    b = place_tasks(cluster, task_definition, count, placement_strategy=CHAINS[chain_b])
    return (f'<div style="display:flex;gap:12px;flex-wrap:wrap">'
            f"<div>{cluster_svg(cluster, a, chain_a)}</div><div>{cluster_svg(cluster, b, chain_b)}</div></div>")


class PlacementComparison(View):
    """Two strategy chains side by side on the same cluster and task."""

    def __init__(self, cluster: ClusterState | None = None, count: int = 8, memory: int = 1024,
                 a: str = "binpack(memory)", b: str = "spread(AZ) then spread(instanceId)") -> None:
        self.cluster = cluster or demo_cluster()
        self.a = w.Dropdown(options=list(CHAINS), value=a, description="left")
        self.b = w.Dropdown(options=list(CHAINS), value=b, description="right")
        self.count = w.IntSlider(value=count, min=1, max=40, description="tasks")
        self.memory = w.IntSlider(value=memory, min=128, max=4096, step=128, description="memory MiB")
        self.controls = [self.a, self.b, self.count, self.memory]
        super().__init__()

    def compute(self) -> str:
        td = {"family": "demo", "containerDefinitions": [{"name": "app", "memory": self.memory.value}]}
        return compare_svg(self.cluster, td, self.count.value, self.a.value, self.b.value)

    def render(self, result: Any) -> str:
        return str(result)
