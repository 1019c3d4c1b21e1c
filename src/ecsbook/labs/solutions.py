"""Reference solutions that run only when asked: the ``%%solution`` cell magic.

A lab's reference solution sits in its own cell, right after the learner's "Your turn" cell::

    %%solution
    ecs.create_cluster(clusterName="lab1")

The cell body runs only when

* the lab is being built or tested: ``ECSBOOK_BUILD`` is set to ``1`` (``make book``,
  ``tools/run_lab.py`` and the notebook tests set it), so the website shows every lab
  solved; or
* the learner asks for it, by changing the first line to ``%%solution run``.

Otherwise the cell prints a one-line note and does nothing, so "Run All" on an untouched lab
never overwrites (or collides with) the learner's own work, and the final checks say
"Not yet" until the learner has done the steps. The magic is registered by
:func:`ecsbook.labs.start_lab` (the setup cell) or with ``%load_ext ecsbook.labs``.

On the website the cell is collapsed (tag ``hide-input``); in JupyterLab its source is
hidden (cell metadata ``jupyter.source_hidden``) until the learner clicks it.
"""

from __future__ import annotations

import ast
import os
from typing import Any

BUILD_ENV = "ECSBOOK_BUILD"
NOT_RUN = ("Reference solution not run: write your own in the cell above. "
           "To run this one, change its first line to %%solution run")


def build_mode() -> bool:
    """True while the book is built or the labs are tested (``ECSBOOK_BUILD=1``)."""
    return os.environ.get(BUILD_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def should_run(line: str) -> bool:
    """Whether a ``%%solution <line>`` cell runs its body."""
    words = line.split()
    unknown = [w for w in words if w != "run"]
    if unknown:
        raise ValueError(f"%%solution takes no argument except 'run', got {' '.join(unknown)!r}")
    return build_mode() or "run" in words


def run_cell_body(shell: Any, cell: str) -> Any:
    """Execute ``cell`` in the notebook's namespace like a normal cell.

    Exceptions propagate (so a broken solution fails the book build), and the value of a
    final expression is returned, so Jupyter displays it as it would for a normal cell.
    """
    code = shell.transform_cell(cell)
    tree = ast.parse(code)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    filename = shell.compile.cache(code)  # tracebacks show the solution's own lines
    ns = shell.user_ns
    exec(compile(tree, filename, "exec"), ns)  # noqa: S102 - the notebook's own cell
    if last is not None:
        return eval(compile(last, filename, "eval"), ns)
    return None


def solution(line: str, cell: str) -> Any:
    """The ``%%solution`` cell magic."""
    from IPython import get_ipython

    if not should_run(line):
        print(NOT_RUN)
        return None
    return run_cell_body(get_ipython(), cell)


def register(shell: Any | None = None) -> bool:
    """Register ``%%solution`` in the running IPython (no-op outside IPython)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython ships with the kernel
            return False
        shell = get_ipython()
    if shell is None:
        return False
    shell.register_magic_function(solution, magic_kind="cell", magic_name="solution")
    return True
