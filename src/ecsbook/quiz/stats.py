"""Measured facts about the banks: counts, scenario share, per-domain coverage.

``python -m ecsbook.quiz stats`` prints them. A *scenario item* follows "Writing
an exam item" in the project guide: a stem of 50-120 words and at least four
options (five or more for choose-two). The share is computed, never typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ecsbook.quiz.bank import Question
from ecsbook.quiz.exams import domain_of, exams

WORD = re.compile(r"\S+")


def stem_words(q: Question) -> int:
    return len(WORD.findall(q.stem))


def is_scenario(q: Question) -> bool:
    need = 5 if q.multi else 4
    return 50 <= stem_words(q) <= 120 and len(q.options) >= need


def summary(qs: Sequence[Question]) -> dict[str, Any]:
    scen = [q for q in qs if is_scenario(q)]
    per_domain: Counter[str] = Counter()
    for q in qs:
        for d in {domain_of(t) for t in q.task_statements} - {None}:
            per_domain[str(d)] += 1
    words = sorted(stem_words(q) for q in qs)
    return {
        "questions": len(qs),
        "scenario": len(scen),
        "scenario_share": round(100 * len(scen) / max(len(qs), 1), 1),
        "median_stem_words": words[len(words) // 2] if words else 0,
        "tagged": sum(1 for q in qs if q.task_statements),
        "per_domain": dict(sorted(per_domain.items())),
        "per_chapter": dict(sorted(Counter(q.chapter for q in qs).items())),
    }


def render(qs: Sequence[Question]) -> str:
    s = summary(qs)
    lines = [f"questions {s['questions']}; scenario items {s['scenario']} "
             f"({s['scenario_share']} %); median stem {s['median_stem_words']} "
             f"words; tagged with task statements {s['tagged']}"]
    for code, exam in exams().items():
        lines.append(f"{code} ({exam.title}):")
        for d in exam.domains:
            n = s["per_domain"].get(f"{code}:{d.number}", 0)
            lines.append(f"  {d.number} {d.title} ({d.weight} %): {n}")
    lines.append("per chapter: " + ", ".join(
        f"{k} {v}" for k, v in s["per_chapter"].items()))
    return "\n".join(lines)
