"""Placement explorer: instances grouped by AZ, tasks as blocks, resource bars, reasons on hover.

The learner picks instance types per AZ, a task size, a strategy chain and an optional
``memberOf`` expression (typed freely: the model's ``InvalidParameterException`` is shown
inline). Every instance shows its memory bar and the tasks the model placed on it; hovering an
instance shows why it was not chosen for the *next* task. :func:`compare_svg` draws two strategy
chains side by side. All decisions come from :func:`ecsbook.scheduler.placement.place_tasks`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, ClassVar

import ipywidgets as w

from ecsbook.scheduler.errors import ECSError
from ecsbook.scheduler.placement import PlacementResult, place_tasks
from ecsbook.scheduler.state import ClusterState

from .base import View, error_html, wrap_row
from .static import Choice, Fixed, StaticWidget, asset, compose
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


def wrap_text(text: str, chars: int, lines: int) -> list[str]:
    """Word-wrap ``text`` into at most ``lines`` lines of ``chars`` characters (ellipsis if cut).

    Long tokens (``attribute:ecs.availability-zone``) may break after ``:``, ``.``, ``(`` or ``,``.
    """
    import re

    pieces: list[tuple[str, bool]] = []  # (piece, joined to the previous piece without a space)
    for word in text.split():
        for k, bit in enumerate(re.split(r"(?<=[:.(,])", word)):
            while len(bit) > chars:
                pieces.append((bit[:chars], k > 0))
                bit, k = bit[chars:], 1
            if bit:
                pieces.append((bit, k > 0))
    out: list[str] = []
    cur = ""
    for bit, glued in pieces:
        sep = "" if glued or not cur else " "
        if cur and len(cur) + len(sep) + len(bit) > chars:
            out.append(cur)
            cur = bit
        else:
            cur += sep + bit
    if cur:
        out.append(cur)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: chars - 1].rstrip() + "\u2026"
    return out


#: Text sizes in the pictures, in SVG units. The AZ columns are drawn at their natural size
#: (never scaled down: each is narrower than a phone's content column), so these are CSS px.
TEXT, SMALL = 12, 11


def _az_column(az: str, insts: Sequence[Any], after: ClusterState, placed: set[str],
               reasons: Mapping[str, str] | None, width: float, compact: bool) -> str:
    pad, block, per_row = 6, 14, int((width - 12) // 14)
    boxes = []
    y = 26
    for inst in insts:
        tasks = after.tasks_on(inst.arn)
        reason = (reasons or {}).get(inst.arn, "chosen next" if reasons else "")
        lines = [] if compact or not reason else wrap_text(reason, int((width - 2 * pad) / (SMALL * 0.56)), 4)
        rows = max(1, -(-min(len(tasks), 60) // per_row))
        h = (40 if compact else 54) + rows * block + len(lines) * 14 + 4
        boxes.append((inst, tasks, reason, lines, y, h))
        y += h + 8
    svg = Svg(width, y, title=f"{az}: {len(insts)} instances", lean=True)
    svg.text(2, 16, az, size=TEXT, weight="bold", fill="#00527F")
    for inst, tasks, reason, lines, top, h in boxes:
        tip = f"{inst.ec2_instance_id} {inst.instance_type} {inst.status}" + (f": {reason}" if reason else "")
        svg.group(f'class="ew-instance" data-instance="{escape(inst.ec2_instance_id)}" data-tasks="{len(tasks)}"')
        svg.rect(1, top, width - 2, h, fill="#FFF4DC" if inst.status == "ACTIVE" else "#EEEEEE",
                 stroke="#B36B00" if inst.arn in placed else "#999999", rx=6, tooltip=tip,
                 stroke_width=2 if inst.arn in placed else 1)
        draining = " (DRAINING)" if inst.status == "DRAINING" else ""
        svg.text(pad + 1, top + 16, f"{inst.instance_type}{draining}", size=TEXT, weight="bold")
        svg.text(width - pad - 1, top + 16, f"{len(tasks)} task{'s' if len(tasks) != 1 else ''}",
                 size=SMALL, anchor="end", fill="#333333")
        y = top + 22
        if not compact:
            svg.text(pad + 1, top + 32, f"{inst.cpu} CPU units, {inst.memory} MiB", size=SMALL, fill="#333333")
            y = top + 38
        used = 1 - inst.remaining_memory / inst.memory if inst.memory else 0
        svg.rect(pad, y, width - 2 * pad, 8, fill="#D0D0D0", tooltip=f"memory {used:.0%} used")
        svg.rect(pad, y, (width - 2 * pad) * used, 8, fill=PALETTE["blue"], tooltip=f"memory {used:.0%} used")
        y += 14
        for k, t in enumerate(tasks[:60]):
            svg.rect(pad + (k % per_row) * block, y + (k // per_row) * block, 12, 12, rx=2,
                     fill=PALETTE["green"] if t.group.startswith(("family:", "service:")) else PALETTE["grey"],
                     css_class="ew-task")
        y += max(1, -(-min(len(tasks), 60) // per_row)) * block + 2
        for i, line in enumerate(lines):
            svg.text(pad + 1, y + 11 + 14 * i, line, size=SMALL,
                     fill="#A63D00" if reason != "chosen next" else "#00734F")
        svg.end()
    return str(svg)


def cluster_svg(cluster: ClusterState, result: PlacementResult | None, title: str = "",
                next_reasons: Mapping[str, str] | None = None, after: ClusterState | None = None,
                compact: bool = False) -> str:
    """Instances in AZ columns (one small SVG each, wrapping on a phone); memory bar; one block per
    placed task; with ``next_reasons``, why each instance would not get the *next* task.

    Returns HTML: an optional title line and a ``div.ew-cluster`` of per-AZ SVGs.
    """
    after = after or (result.apply(cluster) if result else cluster)
    by_az: dict[str, list[Any]] = {}
    for inst in sorted(after.instances.values(), key=lambda i: i.order):
        by_az.setdefault(inst.availability_zone, []).append(inst)
    placed = {d.container_instance_arn for d in (result.decisions if result else []) if d.placed}
    width = 150 if compact else 200
    cols = "".join(_az_column(az, insts, after, placed, next_reasons, width, compact)
                   for az, insts in sorted(by_az.items()))
    head = f'<p class="ew-title">{escape(title)}</p>' if title else ""
    return f'{head}<div class="ew-cluster">{cols}</div>'


def _caption(count: int, chain: str, result: PlacementResult, reasons: Mapping[str, str] | None) -> str:
    placed = sum(1 for d in result.decisions if d.placed)
    text = f"{count} task{'s' if count != 1 else ''}, {chain}: {placed} placed"
    if result.failures:
        text += f", {len(result.failures)} not placed ({result.failures[0].get('reason', '')})"
    if reasons is not None:
        text += ". Under each instance: why the next task would not go there."
    return f'<p class="ew-caption-text">{escape(text)}</p>'


#: Task counts the static page precomputes (plus the count the page asked for).
STATIC_COUNTS = (2, 4, 6, 9, 12)
DEFAULT_LAYOUT = ("m5.large@us-east-1a, t3.medium@us-east-1a, m5.large@us-east-1b, "
                  "t3.medium@us-east-1b, c5.large@us-east-1c")


def _counts(count: int, lo: int, hi: int) -> tuple[str, ...]:
    return tuple(str(n) for n in sorted({*STATIC_COUNTS, count}) if lo <= n <= hi)


def _task_definition(memory: int, cpu: int | None = None) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "app", "memory": memory}
    if cpu is not None:
        container["cpu"] = cpu
    return {"family": "demo", "containerDefinitions": [container]}


class PlacementExplorer(View):
    """Interactive placement: strategy chain, task size, count, memberOf expression."""

    SLOTS: ClassVar[tuple[tuple[str, str], ...]] = (("caption", "ew-caption"), ("picture", "ew-picture"))

    def __init__(self, cluster: ClusterState | None = None, count: int = 6, memory: int = 1024, cpu: int = 256,
                 chain: str = "spread(AZ) then binpack(memory)", expression: str = "") -> None:
        self.cluster = cluster or demo_cluster()
        self._given_cluster = cluster
        self.layout = w.Text(value="" if cluster else DEFAULT_LAYOUT, description="instances",
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
        return [wrap_row([self.chain, self.custom, self.count]), wrap_row([self.memory, self.cpu, self.expression]),
                self.layout]

    def strategy(self) -> list[dict[str, str]]:
        return parse_chain(self.custom.value) if self.chain.value == "custom" else CHAINS[self.chain.value]

    def _constraints(self, text: str | None = None) -> list[dict[str, str]] | None:
        text = (self.expression.value if text is None else text).strip()
        return [{"type": "memberOf", "expression": text}] if text else None

    def _cluster(self) -> ClusterState:
        return parse_layout(self.layout.value) if self.layout.value.strip() else self.cluster

    def place(self, cluster: ClusterState, strategy: list[dict[str, str]], count: int
              ) -> tuple[PlacementResult, ClusterState, dict[str, str]]:
        """Place the tasks (fast path, no per-task reasons), then explain only the *next* task."""
        td = _task_definition(self.memory.value, self.cpu.value)
        result = place_tasks(cluster, td, count, placement_strategy=strategy,
                             placement_constraints=self._constraints(), explain=False)
        after = result.apply(cluster)
        nxt = place_tasks(after, result.task_definition, 1, placement_strategy=strategy,
                          placement_constraints=self._constraints())
        return result, after, dict(nxt.decisions[0].rejections)

    def compute(self) -> PlacementResult:
        cluster = self._cluster()
        result, after, reasons = self.place(cluster, self.strategy(), self.count.value)
        self.cluster, self.after, self.reasons = cluster, after, reasons
        return result

    def _slots(self, cluster: ClusterState, result: PlacementResult, after: ClusterState,
               reasons: Mapping[str, str], count: int, chain: str) -> dict[str, str]:
        return {"caption": _caption(count, chain, result, reasons),
                "picture": cluster_svg(cluster, result, "", reasons, after)}

    def render(self, result: Any) -> str:
        slots = self._slots(self.cluster, result, self.after, self.reasons, self.count.value, self.chain.value)
        return f"<style>{asset('static.css')}</style>" + compose(self.SLOTS, slots)

    def static_widget(self) -> StaticWidget:
        """Every preset chain times a few task counts; the other controls are fixed."""
        counts = _counts(self.count.value, self.count.min, self.count.max)
        chains = tuple(CHAINS)
        initial_chain = self.chain.value if self.chain.value in CHAINS else chains[0]
        sw = StaticWidget(
            "placement", "Placement explorer",
            [Choice("chain", "strategy", chains, initial_chain),
             Choice("count", "tasks", counts, str(self.count.value))],
            [Fixed("memory", "memory MiB", str(self.memory.value), "range", 128, 4096, 128),
             Fixed("cpu", "CPU units", str(self.cpu.value), "range", 0, 2048, 128),
             Fixed("expression", "memberOf", self.expression.value or "(none)"),
             Fixed("layout", "instances", self.layout.value or "(the cluster this page built)"),
             Fixed("custom", "custom strategy", self.custom.value or "(none)")],
            slots=list(self.SLOTS))
        try:
            cluster = self._cluster()
        except ECSError as err:
            for values in sw.combinations():
                sw.add(values, {"caption": "", "picture": error_html(err)})
            return sw
        for chain in chains:
            for n in counts:
                try:
                    result, after, reasons = self.place(cluster, CHAINS[chain], int(n))
                    slots = self._slots(cluster, result, after, reasons, int(n), chain)
                except ECSError as err:
                    slots = {"caption": "", "picture": error_html(err)}
                sw.add({"chain": chain, "count": n}, slots)
        return sw


def compare_svg(cluster: ClusterState, task_definition: Mapping[str, Any], count: int,
                chain_a: str, chain_b: str) -> str:
    """Two strategy chains side by side on the same cluster (HTML: two compact cluster pictures)."""
    sides = [_side(cluster, task_definition, count, chain) for chain in (chain_a, chain_b)]
    return f'<div class="ew-pair">{"".join(f"<div>{x}</div>" for x in sides)}</div>'


def _side(cluster: ClusterState, task_definition: Mapping[str, Any], count: int, chain: str) -> str:
    try:
        result = place_tasks(cluster, task_definition, count, placement_strategy=CHAINS[chain], explain=False)
    except ECSError as err:
        return f'<p class="ew-title">{escape(chain)}</p>' + error_html(err)
    return cluster_svg(cluster, result, chain, compact=True) + _caption(count, chain, result, None)


class PlacementComparison(View):
    """Two strategy chains side by side on the same cluster and task."""

    SLOTS: ClassVar[tuple[tuple[str, str], ...]] = (("left", "ew-side"), ("right", "ew-side"))

    def __init__(self, cluster: ClusterState | None = None, count: int = 8, memory: int = 1024,
                 a: str = "binpack(memory)", b: str = "spread(AZ) then spread(instanceId)") -> None:
        self.cluster = cluster or demo_cluster()
        self.a = w.Dropdown(options=list(CHAINS), value=a, description="left")
        self.b = w.Dropdown(options=list(CHAINS), value=b, description="right")
        self.count = w.IntSlider(value=count, min=1, max=40, description="tasks")
        self.memory = w.IntSlider(value=memory, min=128, max=4096, step=128, description="memory MiB")
        self.controls = [self.a, self.b, self.count, self.memory]
        super().__init__()

    def compute(self) -> dict[str, str]:
        td = _task_definition(self.memory.value)
        return {"left": _side(self.cluster, td, self.count.value, self.a.value),
                "right": _side(self.cluster, td, self.count.value, self.b.value)}

    def render(self, result: Any) -> str:
        return (f"<style>{asset('static.css')}</style>"
                + compose(self.SLOTS, result, body_class="ew-pair"))

    def static_widget(self) -> StaticWidget:
        """Every pair of preset chains (each side computed once per chain and count)."""
        chains = tuple(CHAINS)
        counts = _counts(self.count.value, self.count.min, self.count.max)
        sw = StaticWidget(
            "comparison", "Two placement strategies side by side",
            [Choice("a", "left", chains, self.a.value), Choice("b", "right", chains, self.b.value),
             Choice("count", "tasks", counts, str(self.count.value))],
            [Fixed("memory", "memory MiB", str(self.memory.value), "range", 128, 4096, 128)],
            slots=list(self.SLOTS), body_class="ew-pair")
        td = _task_definition(self.memory.value)
        side = {(c, n): _side(self.cluster, td, int(n), c) for c in chains for n in counts}
        for a in chains:
            for b in chains:
                for n in counts:
                    sw.add({"a": a, "b": b, "count": n}, {"left": side[a, n], "right": side[b, n]})
        return sw
