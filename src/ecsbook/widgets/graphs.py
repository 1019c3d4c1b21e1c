"""Graphs of ECS with networkx, rendered as static SVG.

Three families of graph appear in the book:

* **cluster topology**: Availability Zone -> container instance -> task;
* **IAM trust and permissions**: principal -> role -> policy -> action;
* **event flows**: the EventBridge / SQS / ALB architectures of the chapters.

Each builder returns a :class:`networkx.DiGraph` whose nodes carry ``layer`` (column, left to
right), ``kind`` (colour) and ``label``; :func:`graph_svg` draws any such graph with a
deterministic layered layout (no numpy, no randomness), so the same graph always gives the
same picture.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Mapping, Sequence

import networkx as nx

from .svg import PALETTE, Svg

KIND_STYLE: dict[str, tuple[str, str]] = {
    # kind: (fill, stroke)
    "az": ("#E8F1FA", PALETTE["blue"]),
    "instance": ("#FFF4DC", PALETTE["orange"]),
    "task": ("#E3F5EE", PALETTE["green"]),
    "principal": ("#F7E6F0", PALETTE["purple"]),
    "role": ("#FFF4DC", PALETTE["orange"]),
    "policy": ("#E8F1FA", PALETTE["blue"]),
    "action": ("#F2F2F2", PALETTE["grey"]),
    "source": ("#F7E6F0", PALETTE["purple"]),
    "service": ("#E8F1FA", PALETTE["blue"]),
    "ecs": ("#FFF4DC", PALETTE["orange"]),
    "queue": ("#E3F5EE", PALETTE["green"]),
    "alarm": ("#FBE3D6", PALETTE["red"]),
    "note": ("#FFFFFF", PALETTE["grey"]),
}


# --------------------------------------------------------------------------- layout + render


def layered_layout(graph: nx.DiGraph) -> dict[Any, tuple[int, int]]:
    """Column (``layer``) and row of every node.

    Rows are ordered by the barycentre of each node's predecessors (a single sweep of the
    Sugiyama heuristic), ties broken by insertion order, which keeps edges mostly straight.
    """
    columns: dict[int, list[Any]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        columns[int(data.get("layer", 0))].append(node)
    pos: dict[Any, tuple[int, int]] = {}
    for col in sorted(columns):
        nodes = columns[col]
        order = {n: i for i, n in enumerate(nodes)}

        def key(n: Any) -> tuple[float, int]:
            preds = [pos[p][1] for p in graph.predecessors(n) if p in pos]
            return (sum(preds) / len(preds) if preds else float(order[n]), order[n])

        for row, n in enumerate(sorted(nodes, key=key)):
            pos[n] = (col, row)
    return pos


def _clip(text: str, width_px: float, size: float) -> str:
    max_chars = max(4, int(width_px / (size * 0.58)))
    return text if len(text) <= max_chars else text[: max_chars - 1] + "\u2026"


def graph_svg(graph: nx.DiGraph, *, title: str = "", node_width: float = 190,
              node_height: float = 30, col_gap: float = 70, row_gap: float = 12,
              headers: Sequence[str] = ()) -> str:
    """Draw a layered graph left to right as SVG. Edge attribute ``label`` is drawn mid-edge."""
    pos = layered_layout(graph)
    if not pos:
        return str(Svg(200, 40, title=title))
    ncols = max(c for c, _ in pos.values()) + 1
    nrows = max(r for _, r in pos.values()) + 1
    top = 30 + (22 if headers else 0) if title else (24 if headers else 8)
    width = 16 + ncols * node_width + (ncols - 1) * col_gap + 16
    height = top + nrows * (node_height + row_gap) + 10
    # centre shorter columns vertically
    col_rows: dict[int, int] = defaultdict(int)
    for c, _ in pos.values():
        col_rows[c] += 1
    xy: dict[Any, tuple[float, float]] = {}
    for n, (c, r) in pos.items():
        offset = (nrows - col_rows[c]) * (node_height + row_gap) / 2
        xy[n] = (16 + c * (node_width + col_gap), top + offset + r * (node_height + row_gap))
    svg = Svg(width, height, title=title)
    svg.rect(0, 0, width, height, fill="#FFFFFF")
    if title:
        svg.text(16, 20, title, size=14, weight="bold")
    for c, h in enumerate(headers):
        svg.text(16 + c * (node_width + col_gap) + node_width / 2, top - 8, h, size=11,
                 anchor="middle", fill="#555555", weight="bold")
    for u, v, data in graph.edges(data=True):
        (ux, uy), (vx, vy) = xy[u], xy[v]
        x1, y1 = ux + node_width, uy + node_height / 2
        x2, y2 = vx, vy + node_height / 2
        if vx <= ux:  # same or backwards column: route from the bottom
            x1, y1, x2, y2 = ux + node_width / 2, uy + node_height, vx + node_width / 2, vy
        svg.line(x1, y1, x2, y2, stroke="#777777", width=1.2, marker=True,
                 dash="4 3" if data.get("dashed") else "")
        if data.get("label"):
            svg.text((x1 + x2) / 2, (y1 + y2) / 2 - 4, str(data["label"]), size=9,
                     anchor="middle", fill="#444444")
    for n, data in graph.nodes(data=True):
        x, y = xy[n]
        fill, stroke = KIND_STYLE.get(str(data.get("kind", "note")), KIND_STYLE["note"])
        label = str(data.get("label", n))
        svg.rect(x, y, node_width, node_height, fill=fill, stroke=stroke, rx=6,
                 stroke_width=1.5, tooltip=str(data.get("tooltip", label)))
        svg.text(x + node_width / 2, y + node_height / 2 + 4, _clip(label, node_width - 8, 11),
                 size=11, anchor="middle")
    return str(svg)


# --------------------------------------------------------------------------- cluster topology


def _attr(instance: Mapping[str, Any], name: str) -> str | None:
    for a in instance.get("attributes", []) or []:
        if a.get("name") == name:
            value = a.get("value")
            return None if value is None else str(value)
    return None


def _short(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def topology_graph(container_instances: Iterable[Mapping[str, Any]],
                   tasks: Iterable[Mapping[str, Any]] = ()) -> nx.DiGraph:
    """AZ -> container instance -> task, from ECS API shapes.

    ``container_instances`` as returned by ``DescribeContainerInstances`` (or the model's
    ``to_api()``): the AZ comes from the ``ecs.availability-zone`` attribute and the type
    from ``ecs.instance-type``. ``tasks`` as returned by ``DescribeTasks``.
    """
    g = nx.DiGraph()
    arn_to_node: dict[str, str] = {}
    for inst in container_instances:
        az = _attr(inst, "ecs.availability-zone") or "unknown AZ"
        itype = _attr(inst, "ecs.instance-type") or ""
        arn = str(inst.get("containerInstanceArn", inst.get("ec2InstanceId", "")))
        node = f"ci:{arn}"
        arn_to_node[arn] = node
        g.add_node(f"az:{az}", layer=0, kind="az", label=az)
        name = str(inst.get("ec2InstanceId") or _short(arn))
        status = str(inst.get("status", "ACTIVE"))
        label = f"{name} {itype}".strip() + (" (DRAINING)" if status == "DRAINING" else "")
        g.add_node(node, layer=1, kind="instance", label=label,
                   tooltip=f"{name} {itype} in {az}, {status}")
        g.add_edge(f"az:{az}", node)
    for t in tasks:
        ci = str(t.get("containerInstanceArn", ""))
        if ci not in arn_to_node:
            continue
        tid = _short(str(t.get("taskArn", "task")))
        td = _short(str(t.get("taskDefinitionArn", "")))
        node = f"task:{t.get('taskArn', tid)}"
        g.add_node(node, layer=2, kind="task", label=f"{t.get('group', '')} {td}".strip() or tid,
                   tooltip=f"task {tid} ({td}) {t.get('lastStatus', '')}")
        g.add_edge(arn_to_node[ci], node)
    return g


# --------------------------------------------------------------------------- IAM

#: The ECS-related roles, their trust principals and AWS managed policies, with a few of the
#: actions each policy allows. Checked against the AWS docs (URLs in ``source``) and, in the
#: tests, against moto's snapshot of the AWS managed policies.
ECS_ROLES: list[dict[str, Any]] = [
    {
        "RoleName": "ecsInstanceRole",
        "what": "container instance role: the ECS agent on an EC2 instance registers it and talks to ECS",
        "principal": "ec2.amazonaws.com",
        "policy": "AmazonEC2ContainerServiceforEC2Role",
        "actions": ["ecs:RegisterContainerInstance", "ecs:DiscoverPollEndpoint", "ecs:Poll",
                    "ecs:Submit*", "ecr:GetAuthorizationToken", "logs:PutLogEvents"],
        "source": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/instance_IAM_role.html",
    },
    {
        "RoleName": "ecsTaskExecutionRole",
        "what": "task execution role: the agent pulls images, sends awslogs logs and fetches secrets",
        "principal": "ecs-tasks.amazonaws.com",
        "policy": "AmazonECSTaskExecutionRolePolicy",
        "actions": ["ecr:GetAuthorizationToken", "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer", "logs:CreateLogStream", "logs:PutLogEvents"],
        "source": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html",
    },
    {
        "RoleName": "myAppTaskRole",
        "what": "task role: permissions for your application code in the containers",
        "principal": "ecs-tasks.amazonaws.com",
        "policy": "(your own policy)",
        "actions": ["s3:GetObject", "dynamodb:PutItem"],
        "source": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
    },
    {
        "RoleName": "AWSServiceRoleForECS",
        "what": "service-linked role: ECS manages ENIs and load balancer targets for you",
        "principal": "ecs.amazonaws.com",
        "policy": "AmazonECSServiceRolePolicy",
        "actions": ["ec2:CreateNetworkInterface", "elasticloadbalancing:RegisterTargets",
                    "elasticloadbalancing:DeregisterTargets"],
        "source": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html",
    },
    {
        "RoleName": "ecsEventsRole",
        "what": "EventBridge role: lets a rule or schedule run a task",
        "principal": "events.amazonaws.com",
        "policy": "AmazonEC2ContainerServiceEventsRole",
        "actions": ["ecs:RunTask", "iam:PassRole"],
        "source": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html",
    },
]


def iam_graph(roles: Iterable[Mapping[str, Any]] = ECS_ROLES) -> nx.DiGraph:
    """Principal -(sts:AssumeRole)-> role -> policy -> action.

    Each role mapping has ``RoleName``, ``principal`` (a service principal, or a list),
    ``policy`` (or ``policies``) and ``actions``.
    """
    g = nx.DiGraph()
    for role in roles:
        rname = str(role["RoleName"])
        principals = role.get("principal", [])
        for p in [principals] if isinstance(principals, str) else principals:
            g.add_node(f"p:{p}", layer=0, kind="principal", label=str(p))
            g.add_edge(f"p:{p}", f"r:{rname}", label="sts:AssumeRole")
        g.add_node(f"r:{rname}", layer=1, kind="role", label=rname, tooltip=str(role.get("what", rname)))
        policies = role.get("policies") or [role.get("policy", "")]
        for pol in policies:
            if not pol:
                continue
            g.add_node(f"pol:{pol}", layer=2, kind="policy", label=str(pol))
            g.add_edge(f"r:{rname}", f"pol:{pol}")
            for act in role.get("actions", []):
                g.add_node(f"a:{act}", layer=3, kind="action", label=str(act))
                g.add_edge(f"pol:{pol}", f"a:{act}")
    return g


def roles_from_iam_api(roles: Iterable[Mapping[str, Any]],
                       policies: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Adapt IAM API shapes (``GetRole`` + attached managed policy documents) for :func:`iam_graph`.

    ``roles``: dicts with ``RoleName``, ``AssumeRolePolicyDocument`` and ``AttachedPolicies``
    (``[{"PolicyName": ...}]``); ``policies``: policy name -> policy document.
    """
    out = []
    for role in roles:
        principals: list[str] = []
        for st in role.get("AssumeRolePolicyDocument", {}).get("Statement", []):
            svc = st.get("Principal", {}).get("Service", [])
            principals += [svc] if isinstance(svc, str) else list(svc)
        names = [p["PolicyName"] for p in role.get("AttachedPolicies", [])]
        actions: list[str] = []
        for n in names:
            for st in policies.get(n, {}).get("Statement", []):
                a = st.get("Action", [])
                actions += [a] if isinstance(a, str) else list(a)
        out.append({"RoleName": role["RoleName"], "principal": principals, "policies": names,
                    "actions": actions})
    return out


# --------------------------------------------------------------------------- event flows

#: Architectures drawn in the chapters: (node id, layer, kind, label) and (from, to, label).
FLOWS: dict[str, dict[str, Any]] = {
    "s3-upload-task": {
        "title": "S3 upload starts an ECS task (EventBridge rule -> RunTask)",
        "nodes": [("s3", 0, "source", "S3 bucket (EventBridge on)"),
                  ("bus", 1, "service", "EventBridge default bus"),
                  ("rule", 2, "service", "rule: Object Created"),
                  ("role", 3, "role", "events role: ecs:RunTask + iam:PassRole"),
                  ("task", 4, "ecs", "ECS task (Fargate)")],
        "edges": [("s3", "bus", "Object Created"), ("bus", "rule", "matches"),
                  ("rule", "role", "assumes"), ("role", "task", "RunTask")],
    },
    "scheduled-task": {
        "title": "Scheduled task (EventBridge Scheduler or a schedule rule)",
        "nodes": [("sched", 0, "source", "schedule: cron(0 2 * * ? *)"),
                  ("role", 1, "role", "role: ecs:RunTask + iam:PassRole"),
                  ("task", 2, "ecs", "ECS task runs, exits")],
        "edges": [("sched", "role", "fires"), ("role", "task", "RunTask")],
    },
    "sqs-worker": {
        "title": "Queue workers scaled on backlog per task",
        "nodes": [("producer", 0, "source", "producers"),
                  ("queue", 1, "queue", "SQS queue"),
                  ("metric", 2, "alarm", "backlog per task = visible msgs / running tasks"),
                  ("aas", 3, "service", "Application Auto Scaling"),
                  ("svc", 4, "ecs", "ECS service desiredCount"),
                  ("workers", 5, "task", "worker tasks")],
        "edges": [("producer", "queue", "SendMessage"), ("queue", "metric", ""),
                  ("metric", "aas", "target tracking"), ("aas", "svc", "UpdateService"),
                  ("svc", "workers", "start/stop"), ("workers", "queue", "ReceiveMessage")],
    },
    "task-state-change": {
        "title": "Reacting to ECS task state change events",
        "nodes": [("ecs", 0, "ecs", "ECS (source aws.ecs)"),
                  ("bus", 1, "service", "EventBridge default bus"),
                  ("rule", 2, "service", "rule: ECS Task State Change, lastStatus STOPPED"),
                  ("sns", 3, "queue", "SNS / SQS / Lambda target")],
        "edges": [("ecs", "bus", "event"), ("bus", "rule", "matches"), ("rule", "sns", "")],
    },
    "alb-service": {
        "title": "A web service behind an Application Load Balancer",
        "nodes": [("users", 0, "source", "clients"),
                  ("alb", 1, "service", "ALB (listener :443)"),
                  ("tg", 2, "service", "target group (ip targets)"),
                  ("t1", 3, "task", "task in AZ a (own ENI)"),
                  ("t2", 3, "task", "task in AZ b (own ENI)")],
        "edges": [("users", "alb", "HTTPS"), ("alb", "tg", "forward"),
                  ("tg", "t1", "container port"), ("tg", "t2", "container port")],
    },
}


def flow_graph(name: str) -> nx.DiGraph:
    """One of the architectures in :data:`FLOWS`; a clear error names the valid ones."""
    if name not in FLOWS:
        raise ValueError(f"unknown flow {name!r}; choose one of {sorted(FLOWS)}")
    spec = FLOWS[name]
    g = nx.DiGraph(title=spec["title"])
    for node, layer, kind, label in spec["nodes"]:
        g.add_node(node, layer=layer, kind=kind, label=label)
    for u, v, label in spec["edges"]:
        g.add_edge(u, v, label=label)
    return g


class GraphView:
    """Displays a graph as inline SVG in a notebook and on the static site."""

    def __init__(self, graph: nx.DiGraph, title: str = "", headers: Sequence[str] = ()) -> None:
        self.graph = graph
        self.title = title or str(graph.graph.get("title", ""))
        self.headers = headers

    def to_svg(self) -> str:
        return graph_svg(self.graph, title=self.title, headers=self.headers)

    def _repr_html_(self) -> str:
        return f'<div class="ecsbook-svg">{self.to_svg()}</div>'

    def __repr__(self) -> str:
        return f"GraphView({self.title!r}: {self.graph.number_of_nodes()} nodes, {self.graph.number_of_edges()} edges)"


def show_flow(name: str) -> GraphView:
    return GraphView(flow_graph(name))


def show_iam(roles: Iterable[Mapping[str, Any]] = ECS_ROLES) -> GraphView:
    return GraphView(iam_graph(roles), title="ECS IAM roles: who assumes what, and what it may do",
                     headers=("principal", "role", "policy", "some actions"))


def show_topology(container_instances: Iterable[Mapping[str, Any]],
                  tasks: Iterable[Mapping[str, Any]] = ()) -> GraphView:
    return GraphView(topology_graph(container_instances, tasks), title="Cluster topology",
                     headers=("Availability Zone", "container instance", "task"))
