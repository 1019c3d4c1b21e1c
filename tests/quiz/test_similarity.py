"""No two questions say the same thing: stems and option sets stay apart."""

from __future__ import annotations

from ecsbook.quiz.bank import Option, Question, load_banks
from ecsbook.quiz.similarity import near_duplicates, report


def _q(qid: str, stem: str, opts: list[str]) -> Question:
    return Question(qid, "iam", "easy", "iam-roles", stem,
                    tuple(Option(t, "why") for t in opts), (0,), "https://docs.aws.amazon.com/x")


def test_no_near_duplicate_stems_or_option_sets_in_the_banks() -> None:
    pairs = near_duplicates(load_banks().questions)
    assert not pairs, "merge or rewrite these:\n" + report(pairs)


def test_the_detector_flags_a_renamed_copy_and_a_reused_option_set() -> None:
    stem = ("A media company runs a transcoding worker on Fargate and wants the "
            "lowest cost for retryable jobs. What should it use?")
    a = _q("a", stem, ["FARGATE_SPOT", "EC2 On-Demand", "Savings Plan", "Lambda"])
    b = _q("b", stem.replace("media", "gaming"), ["w", "x", "y", "z"])
    c = _q("c", "Which network mode gives each task its own ENI and security group?",
           ["FARGATE_SPOT", "EC2 On-Demand", "Savings Plan", "Lambda"])
    d = _q("d", "Which principal does the task role trust?",
           ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "ecs.amazonaws.com"])
    kinds = {(x, y): kind for x, y, kind, _ in near_duplicates([a, b, c, d])}
    assert kinds == {("a", "b"): "stem", ("a", "c"): "options"}
