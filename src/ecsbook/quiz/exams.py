"""The official exam guides: domains, weights and task statements.

Read from ``quizzes/exam-guides.yaml`` (transcribed from the published AWS exam guides,
each exam's ``source`` names its page). A question's ``task_statements`` entries look like
``"SAA-C03:2.1"``; :func:`task_statement` resolves one, :func:`domain_of` gives the domain
it belongs to, and :func:`domain_quota` splits a mock exam's question count across the
domains in proportion to the published weights (largest remainder, so the parts add up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ecsbook.paths import repo_root

GUIDES_FILE = "exam-guides.yaml"
TS_RE = re.compile(r"^(?P<exam>[A-Z]{3}-C\d\d):(?P<domain>\d+)\.(?P<task>\d+)$")


@dataclass(frozen=True)
class Domain:
    exam: str
    number: str
    title: str
    weight: int
    tasks: dict[str, str]


@dataclass(frozen=True)
class Exam:
    code: str
    title: str
    short: str
    source: str
    questions: int
    minutes: int
    domains: tuple[Domain, ...]


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Exam]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    exams: dict[str, Exam] = {}
    for code, raw in data["exams"].items():
        domains = tuple(
            Domain(code, str(num), d["title"], int(d["weight"]),
                   {str(k): str(v) for k, v in d["tasks"].items()})
            for num, d in raw["domains"].items())
        exams[code] = Exam(code, raw["title"], raw["short"], raw["source"],
                           int(raw["questions"]), int(raw["minutes"]), domains)
    return exams


def exams(folder: str | Path | None = None) -> dict[str, Exam]:
    """Every exam in the guides file, by code (``SAA-C03``, ``DVA-C02``, ``SOA-C03``)."""
    base = Path(folder) if folder else repo_root() / "quizzes"
    return _load(str(base / GUIDES_FILE))


def task_statement(tag: str) -> tuple[Exam, Domain, str] | None:
    """Resolve ``"SAA-C03:2.1"`` to (exam, domain, task title), or None if unknown."""
    m = TS_RE.match(tag)
    if not m:
        return None
    exam = exams().get(m["exam"])
    if exam is None:
        return None
    for d in exam.domains:
        if d.number == m["domain"]:
            key = f"{m['domain']}.{m['task']}"
            return (exam, d, d.tasks[key]) if key in d.tasks else None
    return None


def tag_problem(tag: object) -> str | None:
    """Why ``tag`` is not a valid task-statement tag, or None when it is."""
    if not isinstance(tag, str) or not TS_RE.match(tag):
        return f"{tag!r} is not of the form EXAM:DOMAIN.TASK (e.g. SAA-C03:2.1)"
    code = tag.split(":")[0]
    if code not in exams():
        return f"{tag!r}: unknown exam {code!r} (one of {', '.join(exams())})"
    if task_statement(tag) is None:
        return f"{tag!r}: no such task statement in quizzes/{GUIDES_FILE}"
    return None


def domain_of(tag: str) -> str | None:
    """``"SAA-C03:2.1"`` -> ``"SAA-C03:2"``."""
    found = task_statement(tag)
    return f"{found[0].code}:{found[1].number}" if found else None


def domain_quota(exam_code: str, n: int) -> dict[str, int]:
    """Split ``n`` questions across the exam's domains by weight (largest remainder)."""
    exam = exams()[exam_code]
    total = sum(d.weight for d in exam.domains)
    exact = {d.number: n * d.weight / total for d in exam.domains}
    quota = {k: int(v) for k, v in exact.items()}
    left = n - sum(quota.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - quota[k]), k))[:left]:
        quota[k] += 1
    return {f"{exam_code}:{k}": v for k, v in quota.items()}
