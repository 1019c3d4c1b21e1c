"""The exam-guides file and task-statement tags."""

from __future__ import annotations

import yaml

from ecsbook.quiz import exams as ex
from ecsbook.quiz.bank import load_banks


def test_weights_add_up_to_100_for_every_exam() -> None:
    for code, exam in ex.exams().items():
        assert sum(d.weight for d in exam.domains) == 100, code


def test_published_weights() -> None:
    # SAA-C03: 30/26/24/20; DVA-C02: 32/26/24/18; SOA-C03: 22/22/22/16/18.
    got = {c: [d.weight for d in e.domains] for c, e in ex.exams().items()}
    assert got == {"SAA-C03": [30, 26, 24, 20], "DVA-C02": [32, 26, 24, 18],
                   "SOA-C03": [22, 22, 22, 16, 18]}


def test_task_statement_resolves_and_rejects() -> None:
    exam, domain, title = ex.task_statement("DVA-C02:3.4")
    assert (exam.code, domain.title) == ("DVA-C02", "Deployment")
    assert "CI/CD" in title
    assert ex.task_statement("SAA-C03:3.6") is None
    assert ex.tag_problem("SAA-C03:3.5") is None
    assert "unknown exam" in ex.tag_problem("SAP-C02:1.1")
    assert "not of the form" in ex.tag_problem("SAA 2.1")
    assert ex.domain_of("SOA-C03:5.3") == "SOA-C03:5"


def test_domain_quota_is_proportional_and_adds_up() -> None:
    # 65 x 30 % = 19.5, 65 x 26 % = 16.9, 65 x 24 % = 15.6, 65 x 20 % = 13.0:
    # floors 19 + 16 + 15 + 13 = 63; the two largest remainders (.9, .6) get +1.
    assert ex.domain_quota("SAA-C03", 65) == {
        "SAA-C03:1": 19, "SAA-C03:2": 17, "SAA-C03:3": 16, "SAA-C03:4": 13}
    for code in ex.exams():
        for n in (1, 10, 65):
            assert sum(ex.domain_quota(code, n).values()) == n


def test_bad_task_statement_names_file_id_and_field(tmp_path) -> None:
    (tmp_path / "exam-guides.yaml").write_text("exams: {}\n")
    bank = {"bank": "t", "questions": [{
        "id": "t-one", "domain": "iam", "difficulty": "easy", "chapter": "iam-roles",
        "stem": "Which principal does the task role trust?",
        "options": [{"text": "ecs-tasks.amazonaws.com", "why": "Right."},
                    {"text": "ec2.amazonaws.com", "why": "That is the instance role."}],
        "answer": 0, "source": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
        "task_statements": ["SAA-C03:1.1", "DVA-C02:9.9"]}]}
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(bank))
    defects = [str(d) for d in load_banks(tmp_path).defects]
    assert any("t.yaml: t-one: task_statements[1]: 'DVA-C02:9.9': no such task statement" in d
               for d in defects), defects
    # The guides file sits beside the banks but is not read as a bank.
    assert not any(d.split(":")[0].endswith("exam-guides.yaml") for d in defects)


def test_every_tag_in_the_banks_is_valid() -> None:
    res = load_banks()
    assert not [d for d in res.defects if d.field.startswith("task_statements")]
