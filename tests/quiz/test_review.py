"""The Leitner review queue and the terminal's answer parsing."""

from __future__ import annotations

import io
import json

from ecsbook.quiz.__main__ import _ask, practice, stem_text
from ecsbook.quiz.bank import Option, Question
from ecsbook.quiz.review import DAY, ReviewQueue


def _q(multi: bool = False, stem: str = "Pick.") -> Question:
    opts = tuple(Option(t, f"why {t}") for t in "wxyz")
    return Question("t-q", "iam", "easy", "iam-roles", stem, opts,
                    (1, 3) if multi else (1,), "https://docs.aws.amazon.com/x")


def test_missed_question_walks_up_the_boxes_and_leaves(tmp_path) -> None:
    q = ReviewQueue(tmp_path / "r.json")
    t = 1000.0
    q.missed("a", t)
    assert q.due(t) == ["a"] and q.entries["a"].box == 1
    # right from box 1 -> box 2, due 3 days later; then 7, 14, 30 days
    for box, days in [(2, 3), (3, 7), (4, 14), (5, 30)]:
        q.answered("a", True, t)
        assert (q.entries["a"].box, q.entries["a"].due) == (box, t + days * DAY)
        assert q.due(t) == []
        t += days * DAY
    q.answered("a", True, t)          # right in box 5: leaves the queue
    assert "a" not in q.entries


def test_wrong_answer_returns_to_box_one_and_is_due_at_once(tmp_path) -> None:
    q = ReviewQueue(tmp_path / "r.json")
    q.missed("a", 0.0)
    q.answered("a", True, 0.0)
    q.answered("a", False, 5.0)
    assert (q.entries["a"].box, q.entries["a"].due) == (1, 5.0)
    q.answered("new", True, 5.0)      # a right answer to an unqueued question adds nothing
    assert "new" not in q.entries


def test_queue_survives_a_round_trip_and_an_unreadable_file(tmp_path) -> None:
    path = tmp_path / "r.json"
    q = ReviewQueue(path)
    q.missed("a", 1.0)
    q.save()
    assert ReviewQueue(path).entries["a"].box == 1
    path.write_text("{not json")
    fresh = ReviewQueue(path)
    assert fresh.entries == {} and "unreadable" in fresh.problem
    assert (tmp_path / "r.unreadable.json").read_text() == "{not json"


def test_choose_two_is_said_once() -> None:
    assert stem_text(_q(True, "Which two? (Choose two.)")).count("(Choose") == 1
    assert stem_text(_q(True, "Which two?")).endswith("(Choose two.)")
    assert stem_text(_q(False, "Which one?")) == "Which one?"


def test_multi_answers_accept_bd_b_space_d_and_b_comma_d() -> None:
    for typed in ("bd", "b d", "b,d", "B, D", "db"):
        out = io.StringIO()
        assert _ask(_q(True), 1, 1, io.StringIO(typed + "\n"), out) == [1, 3], typed
    out = io.StringIO()
    assert _ask(_q(True), 1, 1, io.StringIO("bb\nbz\nbd\n"), out) == [1, 3]
    assert out.getvalue().count("Please answer with letters") == 2


def test_terminal_review_serves_due_questions(tmp_path) -> None:
    from ecsbook.quiz.bank import load_banks

    # the queue serves equally due questions in id order
    qs = sorted((q for q in load_banks().questions if not q.multi), key=lambda q: q.id)[:2]
    queue = ReviewQueue(tmp_path / "r.json")
    for q in qs:
        queue.missed(q.id, 0.0)
    letters = "abcdef"
    answers = "".join(letters[q.answer[0]] + "\n" for q in qs)
    out = io.StringIO()
    assert practice(None, 10, 0, False, io.StringIO(answers), out, review=True,
                    queue=queue) == 0
    assert "Score: 2/2" in out.getvalue()
    saved = json.loads((tmp_path / "r.json").read_text())
    assert {v["box"] for v in saved.values()} == {2}
