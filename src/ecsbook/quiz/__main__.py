"""Terminal practice: ``python -m ecsbook.quiz practice [--domain pricing] [--n 10] [--seed 1]``.

``python -m ecsbook.quiz validate`` checks every bank and exits 1 listing each defect;
``stats`` prints the banks' measured shape. Answers are letters (``b``; for "choose
two" ``bd``, ``b d`` or ``b,d``); ``q`` quits. Bad input gets a message and the
question again, never a traceback. Missed questions join the review queue
(:mod:`ecsbook.quiz.review`); ``practice --review`` serves the ones that are due.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from typing import TextIO

from .bank import DOMAINS, load_banks
from .grade import grade
from .parametric import practice_set
from .review import ReviewQueue

LETTERS = "abcdef"


def _ask(q, n: int, total: int, inp: TextIO, out: TextIO) -> list[int] | None:
    out.write(f"\n[{n}/{total}] ({q.domain}) {stem_text(q)}\n")
    for k, o in enumerate(q.options):
        out.write(f"  {LETTERS[k]}) {o.text}\n")
    while True:
        out.write("answer> ")
        out.flush()
        line = inp.readline()
        if not line:
            return None
        text = line.strip().lower()
        if text in ("q", "quit"):
            return None
        picks = list(re.sub(r"[\s,;]+", "", text))
        if not picks or any(p not in LETTERS[: len(q.options)] for p in picks) \
                or len(set(picks)) != len(picks):
            out.write(f"Please answer with letters a-{LETTERS[len(q.options) - 1]}"
                      + (" (for example bd, b d or b,d)" if q.multi else "") + " (or q to quit).\n")
            continue
        if len(picks) != len(q.answer):
            out.write(f"This question needs {len(q.answer)} answer(s).\n")
            continue
        return sorted(LETTERS.index(p) for p in picks)


NUMBER_WORDS = {2: "two", 3: "three"}


def stem_text(q) -> str:
    """The stem with "(Choose two.)" added once, only where the stem lacks it."""
    if not q.multi or "(Choose" in q.stem:
        return q.stem
    return f"{q.stem} (Choose {NUMBER_WORDS.get(len(q.answer), len(q.answer))}.)"


def practice(domain: str | None, n: int, seed: int, parametric: bool, inp: TextIO, out: TextIO,
             review: bool = False, queue: ReviewQueue | None = None) -> int:
    queue = queue or ReviewQueue()
    if queue.problem:
        out.write(queue.problem + "\n")
    now = time.time()
    if review:
        by_id = {q.id: q for q in load_banks().questions}
        due = [by_id[i] for i in queue.due(now) if i in by_id]
        if not due:
            left = len(queue.entries)
            out.write("Nothing is due for review." + (f" {left} question(s) wait in later boxes.\n"
                      if left else " Questions you miss join the queue.\n"))
            return 0
        qs = due[:n]
    else:
        pool = practice_set(n, seed) if parametric else [q for q in load_banks().questions
                                                         if domain is None or q.domain == domain]
        if not pool:
            out.write(f"No questions for domain {domain!r}.\n")
            return 2
        rng = random.Random(seed)
        qs = rng.sample(pool, min(n, len(pool)))
    responses: dict[str, list[int]] = {}
    for i, q in enumerate(qs, 1):
        picked = _ask(q, i, len(qs), inp, out)
        if picked is None:
            qs = qs[: i - 1]
            break
        responses[q.id] = picked
        ok = set(picked) == set(q.answer)
        if not parametric:
            if review:
                queue.answered(q.id, ok, time.time())
            elif not ok:
                queue.missed(q.id, time.time())
            queue.save()
        out.write("Correct!\n" if ok else f"Not quite: {', '.join(LETTERS[a] for a in q.answer)}.\n")
        for k, o in enumerate(q.options):
            out.write(f"  {LETTERS[k]}) {o.why}\n")
        out.write(f"  Source: {q.source}\n")
    res = grade(qs, responses)
    out.write(f"\nScore: {res.correct}/{res.total}\n")
    for d in res.by_domain:
        out.write(f"  {d.domain}: {d.correct}/{d.total}\n")
    if res.chapters_to_revisit:
        from .html import _chapters
        titles = _chapters()
        out.write("Revisit: " + "; ".join(f"{titles.get(c, c)} (the {c} chapter)"
                                          for c in res.chapters_to_revisit) + "\n")
    if not parametric:
        counts = queue.boxes()
        out.write(f"Review queue: {sum(counts.values())} question(s) "
                  f"({', '.join(f'box {b}: {k}' for b, k in counts.items())}); "
                  f"due now: {len(queue.due(time.time()))}. Run with --review.\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ecsbook.quiz", description="ECS by Doing practice questions")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("practice", help="answer questions in the terminal")
    p.add_argument("--domain", choices=DOMAINS, help="only questions of this book domain")
    p.add_argument("--n", type=int, default=10, help="how many questions (default 10)")
    p.add_argument("--seed", type=int, default=0, help="which questions are drawn (default 0)")
    p.add_argument("--parametric", action="store_true", help="numeric questions generated by the model")
    p.add_argument("--review", action="store_true",
                   help="serve the missed questions that are due (spaced repetition)")
    sub.add_parser("validate", help="check every question bank")
    sub.add_parser("stats", help="counts, scenario share, questions per exam domain")
    args = ap.parse_args(argv)
    if args.cmd == "stats":
        from ecsbook.quiz.stats import render
        print(render(load_banks().questions))
        return 0
    if args.cmd == "validate":
        res = load_banks()
        for d in res.defects:
            print(d)
        print(f"{len(res.questions)} valid questions, {len(res.defects)} defects")
        return 1 if res.defects else 0
    return practice(args.domain, args.n, args.seed, args.parametric, sys.stdin, sys.stdout,
                    review=args.review)


if __name__ == "__main__":
    raise SystemExit(main())
