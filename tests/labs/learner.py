"""Run a lab the way a learner does: a fresh kernel, "Run All", own code in the "Your turn" cells.

Cells are found by their tags (``setup``, ``your-turn``, ``solution``, ``check``), so the
tests do not depend on cell positions. A learner who has "done" a step is modelled by
copying the step's reference solution into its "Your turn" cell (without the ``%%solution``
line); a scenario then replaces one step with a wrong attempt or an alternative answer.
Kernels run one at a time, with the network guard of ``tests/netguard`` loaded.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "labs"
GUARD = ROOT / "tests" / "netguard"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def lab_path(stem: str) -> Path:
    found = sorted(LABS.glob(f"{stem}*.ipynb"))
    assert len(found) == 1, f"no single lab matches {stem!r}: {found}"
    return found[0]


def tagged(nb: Any, tag: str) -> list[Any]:
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def solution_body(cell: Any) -> str:
    lines = cell.source.splitlines()
    assert lines and lines[0].startswith("%%solution"), cell.source[:60]
    return "\n".join(lines[1:])


def _text(output: Mapping[str, Any]) -> str:
    if output.get("output_type") == "error":
        return f"{output.get('ename')}: {output.get('evalue')}"
    data = output.get("data", {})
    return str(output.get("text") or data.get("text/plain") or "")


@dataclass
class Run:
    nb: Any
    blocked: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)

    def outputs(self, tag: str) -> list[str]:
        return ["".join(_text(o) for o in c.get("outputs", [])) for c in tagged(self.nb, tag)]

    @property
    def checks(self) -> list[str]:
        """The plain-text panels of the "Check your work" cells."""
        return self.outputs("check")

    @property
    def check_text(self) -> str:
        return "\n".join(self.checks)

    def failing_items(self) -> list[str]:
        return [line.strip()[5:] for line in self.check_text.splitlines() if line.strip().startswith("[X ]")]

    def error_summary(self) -> str:
        return "; ".join(f"{e['cell']}: {e['ename']}: {ANSI.sub('', e['evalue'])[:200]}" for e in self.errors)


def run_lab(stem: str, *, build: bool = False, done: bool = False, steps: Mapping[int, str] | None = None,
            reveal: tuple[int, ...] = ()) -> Run:
    """Execute lab ``stem`` in a fresh kernel and return what the learner would see.

    ``done``: every "Your turn" cell holds its step's reference solution (a learner who did
    the lab). ``steps``: ``{step index: code}`` written into those "Your turn" cells instead.
    ``reveal``: steps whose solution cell the learner asked for (``%%solution run``).
    ``build``: the book build's mode (``ECSBOOK_BUILD=1``: every solution runs).
    """
    nb = nbformat.read(lab_path(stem), as_version=4)
    turns, solutions = tagged(nb, "your-turn"), tagged(nb, "solution")
    assert len(turns) == len(solutions), stem
    for i, (turn, sol) in enumerate(zip(turns, solutions)):
        if done:
            turn.source = solution_body(sol)
        if steps and i in steps:
            turn.source = steps[i]
        if i in reveal:
            sol.source = sol.source.replace("%%solution", "%%solution run", 1)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
    env_backup = {k: os.environ.get(k) for k in ("ECSBOOK_BUILD", "PYTHONPATH", "ECSBOOK_NETGUARD_LOG")}
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "netguard.log"
        os.environ.pop("ECSBOOK_BUILD", None)
        if build:
            os.environ["ECSBOOK_BUILD"] = "1"
        os.environ["PYTHONPATH"] = os.pathsep.join([str(GUARD), env_backup["PYTHONPATH"] or ""])
        os.environ["ECSBOOK_NETGUARD_LOG"] = str(log)
        try:
            NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": str(LABS)}}).execute()
        finally:
            for k, v in env_backup.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        blocked = log.read_text() if log.exists() else ""
    run = Run(nb, blocked)
    for c in nb.cells:
        for o in c.get("outputs", []):
            if o.get("output_type") == "error":
                run.errors.append({"cell": c.get("id"), "ename": o.get("ename"), "evalue": o.get("evalue", ""),
                                   "traceback": ANSI.sub("", "\n".join(o.get("traceback", [])))})
    assert not blocked, f"{stem} tried to reach the network:\n{blocked}"
    return run
