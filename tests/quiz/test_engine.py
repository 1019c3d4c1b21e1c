"""Grading, parametric questions, front ends and the terminal mode."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import pytest

from ecsbook.quiz import chapter_quiz, grade, mock_exam, quiz_html
from ecsbook.quiz.bank import Option, Question, load_banks
from ecsbook.quiz.parametric import GENERATORS, generate, practice_set


def _q(qid, domain, answer, n=4, chapter="pricing", stem="s"):
    return Question(qid, domain, "easy", chapter, stem, tuple(Option(f"o{i}", "w") for i in range(n)),
                    tuple(answer), "https://docs.aws.amazon.com/x")


def test_grade_scores_domains_and_review():
    qs = [_q("a", "iam", [1]), _q("b", "iam", [0, 2], chapter="iam-roles"), _q("c", "pricing", [3])]
    r = grade(qs, {"a": 1, "b": [0], "c": None})
    assert (r.correct, r.total) == (1, 3)
    assert {d.domain: (d.correct, d.total) for d in r.by_domain} == {"iam": (1, 2), "pricing": (0, 1)}
    assert r.review == (("b", "iam-roles"), ("c", "pricing"))  # multi-select is all-or-nothing
    assert grade(qs, {"a": 1, "b": [2, 0], "c": 3}).percent == 100


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@pytest.mark.parametrize("seed", range(25))
def test_parametric_questions_are_deterministic_and_well_formed(kind, seed):
    q1, q2 = generate(kind, seed), generate(kind, seed)
    assert q1 == q2
    texts = [o.text for o in q1.options]
    assert len(texts) == len(set(texts)) >= 3 and len(q1.answer) == 1


def _parse_money(t):
    return float(t.strip("$"))


@pytest.mark.parametrize("seed", range(30))
def test_parametric_fargate_cost_against_independent_arithmetic(seed):
    q = generate("fargate-cost", seed)
    m = re.search(r"(\d+) Linux/x86 Fargate task\(s\) of ([\d.]+) vCPU and ([\d.]+) GB each run for (\d+) seconds", q.stem)
    tasks, vcpu, gb, secs = int(m.group(1)), float(m.group(2)), float(m.group(3)), int(m.group(4))
    billed = max(60, math.ceil(secs))
    expected = (vcpu * 0.04048 + gb * 0.004445) * billed / 3600 * tasks
    assert _parse_money(q.options[q.answer[0]].text) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", range(30))
def test_parametric_rolling_bounds_against_ceil_and_floor(seed):
    q = generate("rolling-bounds", seed)
    d, lo, hi = map(int, re.search(r"desiredCount (\d+), minimumHealthyPercent (\d+) and maximumPercent (\d+)", q.stem).groups())
    assert q.options[q.answer[0]].text == f"{math.ceil(d * lo / 100)} and {d * hi // 100}"


@pytest.mark.parametrize("seed", range(30))
def test_parametric_capacity_split_sums_and_respects_base(seed):
    q = generate("capacity-split", seed)
    count, base, w1, w2 = map(int, re.search(r"runs (\d+) tasks .*\(base (\d+), weight (\d+)\) and FARGATE_SPOT \(weight (\d+)\)", q.stem).groups())
    a, b = map(int, re.search(r"FARGATE (\d+), FARGATE_SPOT (\d+)", q.options[q.answer[0]].text).groups())
    assert a + b == count and a >= min(base, count)
    assert abs((a - min(base, count)) - (count - min(base, count)) * w1 / (w1 + w2)) <= 1


@pytest.mark.parametrize("seed", range(30))
def test_parametric_step_scaling_rounding(seed):
    q = generate("step-scaling", seed)
    cur, pct = map(int, re.search(r"runs (\d+) tasks.*adds (\d+)%", q.stem).groups())
    raw = cur * pct / 100
    change = math.floor(raw) if raw > 1 else 1
    assert q.options[q.answer[0]].text == str(cur + change)


def test_chapter_quiz_html_is_self_contained_and_escaped():
    html = chapter_quiz("pricing", n=5)._repr_html_()
    assert "<script src=" not in html and "http://" not in html.split("<script>")[1][:0] + ""
    assert re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert len(data["questions"]) == 5 and all(q["chapter"] == "pricing" for q in data["questions"])
    assert "innerHTML" not in html  # bank text is only ever set with textContent


def test_hostile_question_text_cannot_break_out_of_the_page():
    evil = _q("x", "iam", [0], stem="</script><script>alert(1)</script> & <b>")
    html = quiz_html([evil])._repr_html_()
    payload = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "</script>" not in payload and "<" not in payload
    assert json.loads(payload)["questions"][0]["stem"] == evil.stem


def test_chapter_quiz_unknown_chapter_is_a_clear_error():
    with pytest.raises(ValueError, match="no questions"):
        chapter_quiz("no-such-chapter")


def test_each_mock_exam_carries_its_exams_questions_and_domains():
    from ecsbook.quiz.exams import exams

    qs = load_banks().questions
    for code, guide in exams().items():
        m = mock_exam(code)
        assert m.data["n"] == 65 and m.data["minutes"] == 130
        tagged = [q for q in qs if any(t.startswith(code + ":") for t in q.task_statements)]
        assert {q["id"] for q in m.data["questions"]} == {q.id for q in tagged}
        assert [d["weight"] for d in m.data["domains"]] == [d.weight for d in guide.domains]
        # each question's primary domain is the domain of its first tag for this exam
        for q in m.data["questions"]:
            first = next(t for t in q["task_statements"] if t.startswith(code + ":"))
            assert q["primary"] == first.split(":")[1].split(".")[0]
    assert mock_exam("DVA-C02").data["chapters"]["pricing"].startswith("Pricing")
    with pytest.raises(ValueError, match="unknown exam"):
        mock_exam("SAP-C02")


def test_a_question_with_a_lab_links_to_it():
    qs = [q for q in load_banks().questions if q.lab]
    assert qs, "some questions name a lab"
    data = quiz_html(qs[:1]).data
    see = data["questions"][0]["see"]
    assert see["href"] == f"labs/{qs[0].lab}.html" and see["title"].startswith("Lab")


def _run(args, stdin):
    return subprocess.run([sys.executable, "-m", "ecsbook.quiz", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)


def test_terminal_practice_grades_and_handles_bad_input():
    out = _run(["practice", "--domain", "pricing", "--n", "2", "--seed", "3"], "zz\n9\na\nb\n")
    assert out.returncode == 0, out.stderr
    assert "Please answer with letters" in out.stdout
    assert "Score:" in out.stdout and "Traceback" not in out.stderr


def test_terminal_practice_quits_cleanly_and_validates():
    out = _run(["practice", "--parametric", "--n", "3"], "q\n")
    assert out.returncode == 0 and "Score: 0/0" in out.stdout
    assert _run(["validate"], "").returncode == 0
    bad = _run(["practice", "--domain", "nonsense"], "")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_quiz_widget_checks_answers_headlessly():
    from ecsbook.quiz.widget import QuizWidget

    qs = [_q("a", "iam", [1]), _q("b", "iam", [0, 2])]
    w = QuizWidget(qs)
    w.inputs["a"].value = 1
    w.inputs["b"].value = (0,)
    r = w.check()
    assert (r.correct, r.total) == (1, 2) and "Score: 1/2" in w.summary.value
    assert "Not quite" in w.feedback["b"].value
    w.inputs["b"].value = (0, 2)
    assert w.check().correct == 2


def test_questions_the_widgets_reproduce_link_to_them(built_site):
    from ecsbook.quiz.html import WIDGETS, widget_for

    qs = load_banks().questions
    linked = {widget_for(q) for q in qs} - {None}
    assert linked == set(WIDGETS)          # every widget is reachable from some question
    for name, (_title, href) in WIDGETS.items():
        page, anchor = href.split("#")
        assert f'id="{anchor}"' in (built_site / page).read_text(), (name, href)
    q = next(q for q in qs if (q.model_check or {}).get("kind") == "deployment_bounds")
    assert quiz_html([q]).data["questions"][0]["widget"]["href"].startswith("book/deployments.html#")
