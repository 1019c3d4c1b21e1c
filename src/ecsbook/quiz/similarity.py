"""Near-duplicate questions: stems or option sets that say the same thing.

Two questions are near-duplicates when their stems share most of their word
shingles (Jaccard similarity of 3-word shingles at or above ``STEM_LIMIT``), or
when their option sets do (all option texts of a question joined, at or above
``OPTIONS_LIMIT``). Varying the scenario around the same fact is fine; the
same stem with a name changed is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations

from ecsbook.quiz.bank import Question

STEM_LIMIT = 0.6
OPTIONS_LIMIT = 0.7
WORD = re.compile(r"[a-z0-9]+")


def shingles(text: str, k: int = 3) -> frozenset[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    if len(words) < k:
        return frozenset({tuple(words)})
    return frozenset(tuple(words[i:i + k]) for i in range(len(words) - k + 1))


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_duplicates(qs: Sequence[Question], stem_limit: float = STEM_LIMIT,
                    options_limit: float = OPTIONS_LIMIT
                    ) -> list[tuple[str, str, str, float]]:
    """(id, id, "stem" or "options", similarity) for every pair over a limit."""
    stems = [shingles(q.stem) for q in qs]
    opts = [shingles(" | ".join(sorted(o.text for o in q.options))) for q in qs]
    found = []
    for i, j in combinations(range(len(qs)), 2):
        s = jaccard(stems[i], stems[j])
        if s >= stem_limit:
            found.append((qs[i].id, qs[j].id, "stem", round(s, 2)))
            continue
        o = jaccard(opts[i], opts[j])
        if o >= options_limit:
            found.append((qs[i].id, qs[j].id, "options", round(o, 2)))
    return found


def report(pairs: Iterable[tuple[str, str, str, float]]) -> str:
    return "\n".join(f"{a} ~ {b}: {kind} {s:.2f}" for a, b, kind, s in pairs)
