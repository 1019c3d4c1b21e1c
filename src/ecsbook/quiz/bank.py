"""Question banks: loading and schema validation that names file, id and field for every defect.

A bank is ``quizzes/<name>.yaml`` with ``bank: <name>`` and a list of ``questions`` (schema in
``quizzes/README.md`` and ARCHITECTURE.md). :func:`validate_banks` returns *all* defects, so one
run of ``python -m ecsbook.quiz validate`` (and the test suite) lists everything to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ecsbook.paths import repo_root
from ecsbook.quiz.exams import GUIDES_FILE, tag_problem

DOMAINS = ("fundamentals", "launch-types", "task-definitions", "iam", "networking", "storage", "placement",
           "scaling", "ecr", "eventbridge", "observability", "pricing", "architecture")
DIFFICULTIES = ("easy", "medium", "hard")
EXAMS = ("SAA", "DVA", "SOA")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_RE = re.compile(r"^https://(docs\.aws\.amazon\.com|aws\.amazon\.com)/")
REQUIRED = ("id", "domain", "difficulty", "chapter", "stem", "options", "answer", "source")


@dataclass(frozen=True)
class Option:
    text: str
    why: str


@dataclass(frozen=True)
class Question:
    id: str
    domain: str
    difficulty: str
    chapter: str
    stem: str
    options: tuple[Option, ...]
    answer: tuple[int, ...]  # always a tuple; len > 1 means "choose N"
    source: str
    exams: tuple[str, ...] = ()
    lab: str | None = None
    bank: str = ""
    model_check: dict[str, Any] | None = None
    task_statements: tuple[str, ...] = ()

    @property
    def multi(self) -> bool:
        return len(self.answer) > 1

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "domain": self.domain, "difficulty": self.difficulty, "chapter": self.chapter,
                "stem": self.stem, "options": [{"text": o.text, "why": o.why} for o in self.options],
                "answer": list(self.answer), "source": self.source, "exams": list(self.exams), "lab": self.lab,
                "task_statements": list(self.task_statements)}


@dataclass
class Defect:
    file: str
    qid: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.qid}: {self.field}: {self.message}"


@dataclass
class LoadResult:
    questions: list[Question] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)


def _check_question(raw: Any, fname: str, index: int, root: Path, out: list[Defect]) -> Question | None:
    if not isinstance(raw, dict):
        out.append(Defect(fname, f"#{index + 1}", "-", "each question must be a mapping"))
        return None
    qid = str(raw.get("id") or f"#{index + 1}")
    n0 = len(out)

    def bad(fld: str, msg: str) -> None:
        out.append(Defect(fname, qid, fld, msg))

    for f in REQUIRED:
        if raw.get(f) in (None, "", []):
            bad(f, "missing")
    known = set(REQUIRED) | {"exams", "lab", "model_check", "task_statements"}
    for f in sorted(set(raw) - known):
        bad(f, "unknown field")
    if raw.get("id") is not None and not ID_RE.match(str(raw["id"])):
        bad("id", "use lowercase letters, digits and dashes")
    if raw.get("domain") is not None and raw["domain"] not in DOMAINS:
        bad("domain", f"{raw['domain']!r} is not one of {', '.join(DOMAINS)}")
    if raw.get("difficulty") is not None and raw["difficulty"] not in DIFFICULTIES:
        bad("difficulty", f"{raw['difficulty']!r} is not easy, medium or hard")
    exams = raw.get("exams") or []
    if not isinstance(exams, list) or any(e not in EXAMS for e in exams):
        bad("exams", f"must be a list drawn from {', '.join(EXAMS)}")
    tags = raw.get("task_statements")
    if tags is not None:
        if not isinstance(tags, list) or not tags:
            bad("task_statements", "must be a non-empty list like [SAA-C03:2.1]")
        else:
            for k, tag in enumerate(tags):
                problem = tag_problem(tag)
                if problem:
                    bad(f"task_statements[{k}]", problem)
            if len(set(map(str, tags))) != len(tags):
                bad("task_statements", "duplicate tag")
    if raw.get("chapter") and not (root / "book" / f"{raw['chapter']}.md").is_file():
        bad("chapter", f"book/{raw['chapter']}.md does not exist")
    if raw.get("lab") and not (root / "labs" / f"{raw['lab']}.ipynb").is_file():
        bad("lab", f"labs/{raw['lab']}.ipynb does not exist")
    if raw.get("source") and not SOURCE_RE.match(str(raw["source"])):
        bad("source", "must be an https://docs.aws.amazon.com/ or https://aws.amazon.com/ page")
    opts = raw.get("options")
    options: list[Option] = []
    if opts is not None:
        if not isinstance(opts, list) or not 2 <= len(opts) <= 6:
            bad("options", "give 2 to 6 options")
        else:
            texts = set()
            for k, o in enumerate(opts):
                if not isinstance(o, dict) or not o.get("text"):
                    bad(f"options[{k}].text", "missing")
                    continue
                if not o.get("why"):
                    bad(f"options[{k}].why", "every option needs an explanation")
                if set(o) - {"text", "why"}:
                    bad(f"options[{k}]", f"unknown field(s) {sorted(set(o) - {'text', 'why'})}")
                if str(o["text"]).strip().lower() in texts:
                    bad(f"options[{k}].text", "duplicate option text")
                texts.add(str(o["text"]).strip().lower())
                options.append(Option(str(o["text"]), str(o.get("why", ""))))
    ans = raw.get("answer")
    answers: tuple[int, ...] = ()
    if ans is not None:
        seq = ans if isinstance(ans, list) else [ans]
        if not seq or any(isinstance(a, bool) or not isinstance(a, int) for a in seq):
            bad("answer", "must be a 0-based option index or a list of indices")
        elif len(set(seq)) != len(seq):
            bad("answer", "duplicate index")
        else:
            for a in seq:
                if opts and isinstance(opts, list) and not 0 <= a < len(opts):
                    bad("answer", f"index {a} out of range ({len(opts)} options)")
            answers = tuple(sorted(seq))
            if isinstance(ans, list) and len(seq) > 1 and opts and isinstance(opts, list) and len(seq) >= len(opts):
                bad("answer", "a multi-select question cannot have every option correct")
    if len(out) > n0:
        return None
    return Question(str(raw["id"]), raw["domain"], raw["difficulty"], raw["chapter"], str(raw["stem"]),
                    tuple(options), answers, str(raw["source"]), tuple(exams), raw.get("lab"),
                    model_check=raw.get("model_check"),
                    task_statements=tuple(raw.get("task_statements") or ()))


def load_banks(folder: str | Path | None = None) -> LoadResult:
    """Load every ``*.yaml`` bank in ``folder`` (default ``<repo>/quizzes``), collecting defects."""
    root = repo_root()
    folder = Path(folder) if folder else root / "quizzes"
    res = LoadResult()
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == GUIDES_FILE:
            continue
        fname = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
            res.defects.append(Defect(fname, "-", "yaml", f"syntax error at {where}: {getattr(err, 'problem', err)}"))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            res.defects.append(Defect(fname, "-", "questions", "the file needs 'bank:' and a 'questions:' list"))
            continue
        if data.get("bank") != path.stem:
            res.defects.append(Defect(fname, "-", "bank", f"must equal the file name {path.stem!r}"))
        for i, raw in enumerate(data["questions"]):
            q = _check_question(raw, fname, i, root, res.defects)
            if q is None:
                continue
            if q.id in seen:
                res.defects.append(Defect(fname, q.id, "id", f"duplicate id (also in {seen[q.id]})"))
                continue
            seen[q.id] = fname
            res.questions.append(Question(**{**q.__dict__, "bank": path.stem}))
    return res


def validate_banks(folder: str | Path | None = None) -> list[Defect]:
    return load_banks(folder).defects


def questions(domain: str | None = None, chapter: str | None = None) -> list[Question]:
    """The valid questions (optionally of one domain or chapter)."""
    qs = load_banks().questions
    return [q for q in qs if (domain is None or q.domain == domain) and (chapter is None or q.chapter == chapter)]
