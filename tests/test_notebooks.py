"""Every lab runs top to bottom, matches its saved outputs, and never touches the network.

pytest-notebook re-executes each ``labs/*.ipynb`` in a fresh kernel in build mode
(``ECSBOOK_BUILD=1``, as ``make book`` runs it: every ``%%solution`` cell runs) and diffs the
outputs against the ones saved in the file (regenerate with ``make lab-outputs``); every final
check must then say PASS. The kernel runs with ``tests/netguard`` on its PYTHONPATH: any
connection to a non-loopback address (or a DNS lookup) is refused and logged, and the test
fails if anything was logged. The learner's side (no solution run) is tests/labs/test_learner.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from pytest_notebook.nb_regression import NBRegressionFixture

ROOT = Path(__file__).resolve().parents[1]
LABS = sorted((ROOT / "labs").glob("lab*.ipynb"))
GUARD = ROOT / "tests" / "netguard"


def test_there_are_at_least_ten_labs() -> None:
    assert len(LABS) >= 10


@pytest.fixture()
def guarded_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    log = tmp_path / "netguard.log"
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(GUARD), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("ECSBOOK_NETGUARD_LOG", str(log))
    monkeypatch.setenv("ECSBOOK_BUILD", "1")  # the book build's mode: reference solutions run
    for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECSBOOK_ENDPOINT"):
        monkeypatch.delenv(var, raising=False)
    return log


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_lab_runs_with_saved_outputs_and_no_network(path: Path, guarded_env: Path) -> None:
    fixture = NBRegressionFixture(
        exec_timeout=120,
        exec_cwd=str(path.parent),
        diff_ignore=("/metadata/language_info", "/metadata/widgets", "/cells/*/execution_count",
                     "/cells/*/metadata", "/cells/*/outputs/*/metadata", "/cells/*/outputs/*/execution_count",
                     "/cells/*/outputs/*/data/application/vnd.jupyter.widget-view+json"),
        diff_color_words=False,
    )
    start = time.perf_counter()
    result = fixture.check(str(path))
    elapsed = time.perf_counter() - start
    checks = [c for c in result.nb_final.cells if "check" in c.metadata.get("tags", [])]
    panels = ["".join(str(o.get("data", {}).get("text/plain", "")) for o in c.outputs) for c in checks]
    assert panels and all(p.startswith("PASS") for p in panels), f"{path.name}: solved lab does not pass: {panels}"
    blocked = guarded_env.read_text() if guarded_env.exists() else ""
    assert not blocked, f"{path.name} tried to reach the network:\n{blocked}"
    assert Path(str(guarded_env) + ".active").is_file(), "the network guard was not loaded in the kernel"
    assert elapsed < 60, f"{path.name} took {elapsed:.1f} s"


TAGS = ("setup", "your-turn", "solution", "check")


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_lab_follows_the_lab_pattern(path: Path) -> None:
    """The shape labs/intro.md describes: setup first, each "Your turn" followed by its hidden
    solution (``%%solution``, collapsed on the site and in JupyterLab), checks that import what
    they use, and code lines of at most 80 characters."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tags = [next((t for t in c.metadata.get("tags", []) if t in TAGS), "code") for c in code]
    assert tags[0] == "setup" and "start_lab(" in code[0].source
    assert "check" in tags and tags[-1] == "check"
    for i, (cell, tag) in enumerate(zip(code, tags)):
        long = [line for line in cell.source.splitlines() if len(line) > 80]
        assert not long, f"{path.name} {cell.get('id')}: lines over 80 characters: {long}"
        if tag == "your-turn":
            assert tags[i + 1] == "solution", f"{path.name}: a Your turn cell without its solution"
            assert all(not line.strip() or line.lstrip().startswith("#") for line in cell.source.splitlines()), \
                f"{path.name} {cell.get('id')}: an untouched Your turn cell must do nothing"
        if tag == "solution":
            assert tags[i - 1] == "your-turn"
            assert cell.source.startswith("%%solution\n"), cell.source[:40]
            assert "hide-input" in cell.metadata["tags"] and cell.metadata["jupyter"]["source_hidden"] is True
        if tag == "check":
            assert "from ecsbook.labs.checks" in cell.source, f"{path.name}: a check cell must import its check"
    for cell in code[1:]:  # only the setup cell starts the sandbox (a reset would wipe the learner's work)
        assert "start_lab(" not in cell.source and ".reset()" not in cell.source


def test_the_guard_really_blocks(tmp_path: Path) -> None:
    """The guard can fail: a connection to a public address is refused and logged."""
    log = tmp_path / "log"
    code = ("import socket\n"
            "s = socket.socket()\n"
            "try:\n    s.connect(('8.8.8.8', 53))\nexcept OSError as e:\n    print('blocked', e)\n"
            "socket.create_connection(('127.0.0.1', 9), timeout=0.2) if False else None\n")
    env = {**os.environ, "PYTHONPATH": str(GUARD), "ECSBOOK_NETGUARD_LOG": str(log)}
    out = subprocess.run([sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True, timeout=30)
    assert "blocked netguard" in out.stdout.replace(":", "") or "netguard: blocked" in out.stdout
    assert "8.8.8.8:53" in log.read_text()


def test_sandbox_refuses_a_remote_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecsbook.labs import SandboxError, start_lab

    monkeypatch.setenv("ECSBOOK_ENDPOINT", "https://ecs.us-east-1.amazonaws.com")
    with pytest.raises(SandboxError, match="not on localhost"):
        start_lab()
