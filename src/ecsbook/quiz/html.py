"""Static HTML/JavaScript front ends: a chapter quiz and the timed mock exam.

Both return objects whose ``_repr_html_`` is self-contained (inline JS and CSS, no external
script, no network), so they work on the built site with no kernel. Bank text goes into a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped as ``\\u003c`` ...,
and the script inserts it with ``textContent`` only.
"""

from __future__ import annotations

import hashlib
import json
import random
from importlib import resources
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from ecsbook.paths import repo_root

from .bank import Question, questions
from .exams import exams


def _asset(name: str) -> str:
    return resources.files("ecsbook.quiz").joinpath(f"static/{name}").read_text()


def _safe_json(data: Any) -> str:
    return (json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _title(path: Path) -> str:
    """The first level-1 heading of a chapter (.md) or lab (.ipynb)."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        lines = [ln for c in nb["cells"] if c["cell_type"] == "markdown"
                 for ln in "".join(c["source"]).splitlines()]
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
    return next((ln.lstrip("# ").strip() for ln in lines if ln.startswith("# ")), path.stem)


@lru_cache(maxsize=1)
def _titles() -> tuple[dict[str, str], dict[str, str]]:
    root = repo_root()
    chapters = {p.stem: _title(p) for p in sorted((root / "book").glob("*.md"))}
    labs = {p.stem: _title(p) for p in sorted((root / "labs").glob("lab*.ipynb"))}
    return chapters, labs


def _chapters() -> dict[str, str]:
    """slug -> title for the chapters that exist (for 'revisit' links)."""
    return dict(_titles()[0])


# Widgets that show a question's behaviour: the section of the chapter that embeds the
# widget (the page's static mode lets the learner switch its presets without a kernel).
WIDGETS = {
    "placement": ("the placement explorer", "book/placement.html#strategies-binpack-spread-and-random"),
    "rolling": ("the rolling-update player", "book/deployments.html#the-deployment-circuit-breaker"),
    "scaling": ("the scaling simulator", "book/auto-scaling.html#watching-it-happen-the-simulator"),
}
WIDGET_FOR_CHECK = {"deployment_bounds": "rolling", "circuit_breaker_threshold": "rolling",
                    "step_scaling": "scaling", "target_tracking": "scaling"}


def widget_for(q: Question) -> str | None:
    """The widget that reproduces a question, if any: by its model check, else its domain."""
    kind = str((q.model_check or {}).get("kind", ""))
    if kind in WIDGET_FOR_CHECK:
        return WIDGET_FOR_CHECK[kind]
    return "placement" if q.domain == "placement" else None


def _question_json(q: Question) -> dict[str, Any]:
    """A question as the page script needs it, with its 'see it happen' links."""
    out = q.to_json()
    labs = _titles()[1]
    if q.lab and q.lab in labs:
        out["see"] = {"title": labs[q.lab], "href": f"labs/{q.lab}.html"}
    widget = widget_for(q)
    if widget:
        title, href = WIDGETS[widget]
        out["widget"] = {"title": title, "href": href}
    return out


class QuizHTML:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        digest = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:10]
        self.dom_id = f"eq-{data.get('mode', 'quiz')}-{digest}"

    def _repr_html_(self) -> str:
        return (f"<style>{_asset('quiz.css')}</style>"
                f'<script type="application/json" id="{self.dom_id}-data">{_safe_json(self.data)}</script>'
                f'<div class="eq-quiz" data-eq="{self.dom_id}-data">'
                "<noscript>This quiz needs JavaScript.</noscript></div>"
                f"<script>{_asset('quiz.js')}</script>")

    def __repr__(self) -> str:
        return f"QuizHTML({self.data.get('mode', 'quiz')}, {len(self.data['questions'])} questions)"


# Every page that shows a quiz lives one folder below the site root (book/, labs/).
BASE = "../"


def quiz_html(qs: Sequence[Question], name: str = "quiz") -> QuizHTML:
    return QuizHTML({"mode": "quiz", "name": name, "base": BASE, "chapters": _chapters(),
                     "questions": [_question_json(q) for q in qs]})


def chapter_quiz(chapter: str, n: int = 5, seed: int = 0) -> QuizHTML:
    """A few bank questions tagged with this chapter (deterministic for a seed)."""
    qs = questions(chapter=chapter)
    if not qs:
        raise ValueError(f"no questions in quizzes/ have chapter {chapter!r}")
    rng = random.Random(f"{chapter}:{seed}")
    picked = sorted(rng.sample(qs, min(n, len(qs))), key=lambda q: q.id)
    return quiz_html(picked, name=chapter)


def exam_pool(exam: str) -> list[tuple[Question, str]]:
    """The questions that serve ``exam``, each with its primary domain number.

    The primary domain is the domain of the question's first task statement for
    this exam; the mock exam draws each domain's share from these pools.
    """
    if exam not in exams():
        raise ValueError(f"unknown exam {exam!r}: one of {', '.join(exams())}")
    pool = []
    for q in questions():
        tags = [t for t in q.task_statements if t.startswith(exam + ":")]
        if tags:
            pool.append((q, tags[0].split(":")[1].split(".")[0]))
    return pool


def mock_exam(exam: str = "SAA-C03", n: int | None = None,
              minutes: int | None = None) -> QuizHTML:
    """A timed mock exam for one exam, drawn by the official domain weights.

    The page script draws ``n`` questions (default: the real exam's count) from
    the questions tagged with this exam's task statements, each domain's share in
    proportion to its published weight, and keeps the attempt in localStorage.
    """
    pool = exam_pool(exam)  # raises for an unknown exam
    guide = exams()[exam]
    return QuizHTML({
        "mode": "exam", "exam": exam, "title": guide.title, "base": BASE,
        "n": n or guide.questions, "minutes": minutes or guide.minutes,
        "chapters": _chapters(),
        "domains": [{"number": d.number, "title": d.title, "weight": d.weight}
                    for d in guide.domains],
        "questions": [{**_question_json(q), "primary": dom} for q, dom in pool]})


def review_page() -> QuizHTML:
    """The spaced-repetition review: every question, served when due."""
    return QuizHTML({"mode": "review", "base": BASE, "chapters": _chapters(),
                     "questions": [_question_json(q) for q in questions()]})
