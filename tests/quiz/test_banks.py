"""The real question banks: valid, big enough, and every computable answer key checked by the model."""

from __future__ import annotations

import collections
import math
import re
import textwrap
from pathlib import Path

import pytest

from ecsbook.quiz.bank import DOMAINS, load_banks
from ecsbook.scheduler import autoscaling, capacity, deployments, fargate, pricing

BANKS = load_banks()


def test_every_bank_is_valid():
    assert not BANKS.defects, "\n".join(map(str, BANKS.defects))


def test_bank_sizes_meet_the_brief():
    counts = collections.Counter(q.domain for q in BANKS.questions)
    assert len(BANKS.questions) >= 150
    for d in ("pricing", "iam", "scaling"):
        assert counts[d] >= 40, (d, counts[d])
    assert set(DOMAINS) <= set(counts), set(DOMAINS) - set(counts)


def test_correct_answers_are_spread_over_positions():
    first = collections.Counter(q.answer[0] for q in BANKS.questions)
    assert max(first.values()) < 0.4 * len(BANKS.questions), first


def _correct_text(q) -> str:
    return " ".join(q.options[a].text for a in q.answer)


def _expected(mc: dict) -> str:
    a = mc.get("args", {})
    kind = mc["kind"]
    if kind == "fargate_cost":
        return f"${pricing.fargate_task_cost(a['cpu'], a['memory'], a['seconds'], architecture=a.get('architecture', 'X86_64'), tasks=a.get('tasks', 1)).total:.6f}"
    if kind == "billed_seconds":
        return f"{pricing.billed_seconds(a['seconds'])} seconds"
    if kind == "deployment_bounds":
        b = deployments.deployment_bounds(a["desired"], {"minimumHealthyPercent": a["min"], "maximumPercent": a["max"]})
        return str(getattr(b, mc["field"]))
    if kind == "circuit_breaker_threshold":
        return str(deployments.circuit_breaker_threshold(a["desired"]))
    if kind == "split_tasks":
        s = capacity.split_tasks(a["strategy"], a["count"])
        if "field" in mc:
            return str(s[mc["field"]])
        return ", ".join(f"{k} {v}" for k, v in s.items())
    if kind == "step_scaling":
        new, _ = autoscaling.step_scaling_desired(a["current"], 1, 0, {"AdjustmentType": "PercentChangeInCapacity",
                                                  "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": a["percent"]}]})
        return f"It adds {new - a['current']} task" if mc.get("delta") else str(new)
    if kind == "target_tracking":
        return str(autoscaling.target_tracking_desired(a["current"], a["metric"], a["target"]))
    if kind == "cpr":
        return f"{capacity.capacity_provider_reservation(a['m'], a['n']):g}"
    raise AssertionError(f"unknown model_check kind {kind}")


CHECKED = [q for q in BANKS.questions if q.model_check]


def test_there_are_model_checked_questions():
    assert len(CHECKED) >= 15


@pytest.mark.parametrize("q", [q for q in CHECKED if q.model_check["kind"] != "fargate_valid"], ids=lambda q: q.id)
def test_answer_key_matches_the_model(q):
    expected = _expected(q.model_check)
    text = _correct_text(q)
    assert text == expected or text.startswith(expected + " ") or text.startswith(expected + ","), (text, expected)
    others = [o.text for i, o in enumerate(q.options) if i not in q.answer]
    assert all(not (o == expected or o.startswith(expected + " ")) for o in others), "a distractor equals the answer"


@pytest.mark.parametrize("q", [q for q in CHECKED if q.model_check["kind"] == "fargate_valid"], ids=lambda q: q.id)
def test_fargate_size_question_has_exactly_one_valid_pair(q):
    def valid(text: str) -> bool:
        m = re.match(r"([\d.]+) vCPU with ([\d.]+) (GB|MB)", text)
        cpu, mem, unit = float(m.group(1)), float(m.group(2)), m.group(3)
        mib = int(mem * (1024 if unit == "GB" else 1))
        return mib in fargate.FARGATE_TASK_SIZES.get(int(cpu * 1024), ())
    assert [valid(o.text) for o in q.options].count(True) == 1
    assert valid(_correct_text(q))


def test_validator_reports_file_id_and_field(tmp_path: Path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(textwrap.dedent("""
        bank: broken
        questions:
          - id: broken-one
            domain: pricing
            difficulty: medium
            chapter: pricing
            stem: "x?"
            options:
              - {text: a, why: because}
              - {text: b}
            answer: 4
            source: https://example.com/page
          - id: broken-one
            domain: nope
            difficulty: easy
            chapter: no-such-chapter
            stem: "y?"
            options: [{text: a, why: w}, {text: b, why: w}]
            answer: [0, 1]
            source: https://docs.aws.amazon.com/x
    """))
    (tmp_path / "syntax.yaml").write_text("bank: syntax\nquestions:\n  - id: [unclosed\n")
    defects = [str(d) for d in load_banks(tmp_path).defects]
    joined = "\n".join(defects)
    assert any(d.startswith(str(bad)) or "broken.yaml: broken-one: answer: index 4 out of range" in d for d in defects)
    assert "broken-one: options[1].why" in joined
    assert "broken-one: source" in joined
    assert "broken-one: domain: 'nope'" in joined
    assert "broken-one: chapter: book/no-such-chapter.md does not exist" in joined
    assert "broken-one: answer: a multi-select question cannot have every option correct" in joined
    assert "syntax.yaml: -: yaml: syntax error at line" in joined
