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
from typing import Any, Sequence

from ecsbook.paths import repo_root

from .bank import Question, questions


def _asset(name: str) -> str:
    return resources.files("ecsbook.quiz").joinpath(f"static/{name}").read_text()


def _safe_json(data: Any) -> str:
    return (json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _chapters() -> dict[str, str]:
    """slug -> title for the chapters that exist (for 'revisit' links)."""
    out = {}
    for p in sorted((repo_root() / "book").glob("*.md")):
        title = next((ln.lstrip("# ").strip() for ln in p.read_text().splitlines() if ln.startswith("# ")), p.stem)
        out[p.stem] = title
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


def quiz_html(qs: Sequence[Question], name: str = "quiz") -> QuizHTML:
    return QuizHTML({"mode": "quiz", "name": name, "questions": [q.to_json() for q in qs]})


def chapter_quiz(chapter: str, n: int = 5, seed: int = 0) -> QuizHTML:
    """A few bank questions tagged with this chapter (deterministic for a seed)."""
    qs = questions(chapter=chapter)
    if not qs:
        raise ValueError(f"no questions in quizzes/ have chapter {chapter!r}")
    rng = random.Random(f"{chapter}:{seed}")
    picked = sorted(rng.sample(qs, min(n, len(qs))), key=lambda q: q.id)
    return quiz_html(picked, name=chapter)


def mock_exam(n: int = 65, minutes: int = 130) -> QuizHTML:
    """The whole bank; the page's script draws ``n`` questions across domains and times them."""
    return QuizHTML({"mode": "exam", "n": n, "minutes": minutes, "chapters": _chapters(),
                     "questions": [q.to_json() for q in questions()]})
