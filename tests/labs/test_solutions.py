"""The %%solution cell magic: the reference solution runs only in build mode or when asked."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from ecsbook.labs import solutions


@pytest.fixture()
def shell(monkeypatch):
    ip = InteractiveShell.instance()
    solutions.register(ip)
    monkeypatch.delenv("ECSBOOK_BUILD", raising=False)
    ip.user_ns.pop("done", None)
    return ip


def test_untouched_solution_does_not_run(shell, capsys):
    assert shell.run_cell_magic("solution", "", "done = True\n'value'") is None
    assert "done" not in shell.user_ns
    assert solutions.NOT_RUN in capsys.readouterr().out


def test_run_argument_runs_it_and_returns_the_last_expression(shell):
    assert shell.run_cell_magic("solution", "run", "done = 41\ndone + 1") == 42
    assert shell.user_ns["done"] == 41


@pytest.mark.parametrize("value,runs", [("1", True), ("true", True), ("0", False), ("", False)])
def test_build_mode_runs_every_solution(shell, monkeypatch, value, runs):
    monkeypatch.setenv("ECSBOOK_BUILD", value)
    shell.run_cell_magic("solution", "", "done = True")
    assert ("done" in shell.user_ns) is runs


def test_a_broken_solution_raises_so_the_book_build_fails(shell):
    with pytest.raises(ZeroDivisionError):
        shell.run_cell_magic("solution", "run", "1 / 0")


def test_unknown_argument_is_an_error(shell):
    with pytest.raises(ValueError, match="takes no argument except 'run'"):
        shell.run_cell_magic("solution", "please", "done = True")
