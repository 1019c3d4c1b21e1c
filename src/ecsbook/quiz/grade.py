"""Pure grading: score, per-domain breakdown and what to review.

Multi-select questions are all-or-nothing, as on the AWS certification exams.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .bank import Question


@dataclass(frozen=True)
class DomainScore:
    domain: str
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Result:
    correct: int
    total: int
    by_domain: tuple[DomainScore, ...]
    review: tuple[tuple[str, str], ...]  # (question id, chapter slug) answered wrong or skipped

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    @property
    def chapters_to_revisit(self) -> list[str]:
        seen: list[str] = []
        for _, ch in self.review:
            if ch not in seen:
                seen.append(ch)
        return seen


def is_correct(question: Question, response: int | Sequence[int] | None) -> bool:
    if response is None:
        return False
    chosen = {response} if isinstance(response, int) else set(response)
    return chosen == set(question.answer)


def grade(questions: Iterable[Question], responses: Mapping[str, int | Sequence[int] | None]) -> Result:
    qs = list(questions)
    per: dict[str, list[int]] = {}
    review = []
    correct = 0
    for q in qs:
        ok = is_correct(q, responses.get(q.id))
        correct += ok
        per.setdefault(q.domain, [0, 0])
        per[q.domain][0] += ok
        per[q.domain][1] += 1
        if not ok:
            review.append((q.id, q.chapter))
    return Result(correct, len(qs), tuple(DomainScore(d, c, t) for d, (c, t) in sorted(per.items())), tuple(review))
