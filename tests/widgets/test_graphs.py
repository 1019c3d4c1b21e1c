"""networkx graphs and their SVG rendering."""

from __future__ import annotations

import fnmatch
import json
import xml.etree.ElementTree as ET

import pytest

from ecsbook.widgets import graphs
from ecsbook.widgets.svg import line_chart, nice_ticks


def _moto_managed_policy(name: str) -> dict:
    from moto.iam import aws_managed_policies as amp  # snapshot of AWS managed policies

    data = json.loads(amp.aws_managed_policies_data)
    return data[name]["Document"]


def _allowed_actions(doc: dict) -> list[str]:
    out: list[str] = []
    for st in doc["Statement"]:
        if st.get("Effect") == "Allow":
            a = st.get("Action", [])
            out += [a] if isinstance(a, str) else a
    return out


@pytest.mark.parametrize("role", [r for r in graphs.ECS_ROLES if not r["policy"].startswith("(")],
                         ids=lambda r: r["RoleName"])
def test_ecs_role_actions_are_in_the_real_managed_policy(role: dict) -> None:
    allowed = _allowed_actions(_moto_managed_policy(role["policy"]))
    for action in role["actions"]:
        assert any(fnmatch.fnmatch(action, pat) or action == pat for pat in allowed), (
            f"{role['policy']} does not allow {action}"
        )


def test_trust_principals_match_the_docs() -> None:
    principals = {r["RoleName"]: r["principal"] for r in graphs.ECS_ROLES}
    # Task and execution roles are assumed by ecs-tasks, the instance role by EC2,
    # the EventBridge role by events, the service-linked role by ECS itself.
    assert principals["ecsTaskExecutionRole"] == "ecs-tasks.amazonaws.com"
    assert principals["myAppTaskRole"] == "ecs-tasks.amazonaws.com"
    assert principals["ecsInstanceRole"] == "ec2.amazonaws.com"
    assert principals["ecsEventsRole"] == "events.amazonaws.com"
    assert principals["AWSServiceRoleForECS"] == "ecs.amazonaws.com"


def test_iam_graph_paths_principal_to_action() -> None:
    g = graphs.iam_graph()
    assert g.has_edge("p:ecs-tasks.amazonaws.com", "r:ecsTaskExecutionRole")
    assert g.edges["p:ecs-tasks.amazonaws.com", "r:ecsTaskExecutionRole"]["label"] == "sts:AssumeRole"
    import networkx as nx

    assert nx.has_path(g, "p:events.amazonaws.com", "a:ecs:RunTask")
    # the instance role cannot reach the application's permissions
    assert not nx.has_path(g, "p:ec2.amazonaws.com", "a:s3:GetObject")


def test_roles_from_iam_api_reads_trust_and_policies() -> None:
    role = {
        "RoleName": "execRole",
        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "AttachedPolicies": [{"PolicyName": "AmazonECSTaskExecutionRolePolicy"}],
    }
    doc = _moto_managed_policy("AmazonECSTaskExecutionRolePolicy")
    out = graphs.roles_from_iam_api([role], {"AmazonECSTaskExecutionRolePolicy": doc})
    assert out[0]["principal"] == ["ecs-tasks.amazonaws.com"]
    assert "ecr:BatchGetImage" in out[0]["actions"]


def _ci(arn: str, az: str, itype: str = "m5.large", status: str = "ACTIVE") -> dict:
    return {"containerInstanceArn": arn, "ec2InstanceId": arn[-4:], "status": status,
            "attributes": [{"name": "ecs.availability-zone", "value": az},
                           {"name": "ecs.instance-type", "value": itype}]}


def test_topology_graph_groups_instances_by_az_and_tasks_by_instance() -> None:
    cis = [_ci("arn:ci/i-001", "us-east-1a"), _ci("arn:ci/i-002", "us-east-1b"),
           _ci("arn:ci/i-003", "us-east-1a", status="DRAINING")]
    tasks = [{"taskArn": f"arn:task/t{i}", "containerInstanceArn": "arn:ci/i-001",
              "group": "service:web", "taskDefinitionArn": "arn:td/web:3"} for i in range(3)]
    tasks.append({"taskArn": "arn:task/orphan", "containerInstanceArn": "arn:ci/unknown"})
    g = graphs.topology_graph(cis, tasks)
    assert sorted(g.successors("az:us-east-1a")) == ["ci:arn:ci/i-001", "ci:arn:ci/i-003"]
    assert g.out_degree("ci:arn:ci/i-001") == 3
    assert "DRAINING" in g.nodes["ci:arn:ci/i-003"]["label"]
    assert "task:arn:task/orphan" not in g  # a task on an unknown instance is not drawn


@pytest.mark.parametrize("name", sorted(graphs.FLOWS))
def test_every_flow_is_a_connected_dag_that_renders(name: str) -> None:
    import networkx as nx

    g = graphs.flow_graph(name)
    assert nx.is_weakly_connected(g)
    svg = graphs.GraphView(g).to_svg()
    root = ET.fromstring(svg)  # well-formed XML
    labels = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    for _, data in g.nodes(data=True):
        assert any(lbl and (lbl == data["label"] or lbl.endswith("\u2026")) for lbl in labels)


def test_unknown_flow_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="s3-upload-task"):
        graphs.flow_graph("nope")


def test_layout_is_deterministic_and_barycentric() -> None:
    import networkx as nx

    g = nx.DiGraph()
    g.add_node("a", layer=0)
    g.add_node("b", layer=0)
    g.add_node("y", layer=1)  # child of b: should sit below x
    g.add_node("x", layer=1)  # child of a
    g.add_edge("b", "y")
    g.add_edge("a", "x")
    pos = graphs.layered_layout(g)
    assert pos["x"][1] < pos["y"][1]
    assert pos == graphs.layered_layout(g)


def test_svg_escapes_text() -> None:
    import networkx as nx

    g = nx.DiGraph()
    g.add_node("n", layer=0, label="<script>alert(1)</script>")
    svg = graphs.graph_svg(g)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_line_chart_is_valid_svg_with_legend() -> None:
    svg = line_chart({"running": [(0, 4), (1, 6), (2, 4)], "desired": [(0, 4), (2, 4)]},
                     title="t", step=True, markers=[(1, "rollback")], hlines=[(2, "min")])
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "running" in texts and "desired" in texts and "rollback" in texts


@pytest.mark.parametrize("lo,hi", [(0, 1), (0, 7), (3, 250), (0, 0.3), (-5, 5)])
def test_nice_ticks_cover_the_range(lo: float, hi: float) -> None:
    t = nice_ticks(lo, hi)
    assert t[0] <= lo and t[-1] >= hi and len(t) >= 2
