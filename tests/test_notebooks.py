"""Every lab runs top to bottom, matches its saved outputs, and never touches the network.

pytest-notebook re-executes each ``labs/*.ipynb`` in a fresh kernel and diffs the outputs
against the ones saved in the file (regenerate with ``make lab-outputs``). The kernel runs with
``tests/netguard`` on its PYTHONPATH: any connection to a non-loopback address (or a DNS
lookup) is refused and logged, and the test fails if anything was logged.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

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
    fixture.check(str(path))
    elapsed = time.perf_counter() - start
    blocked = guarded_env.read_text() if guarded_env.exists() else ""
    assert not blocked, f"{path.name} tried to reach the network:\n{blocked}"
    assert Path(str(guarded_env) + ".active").is_file(), "the network guard was not loaded in the kernel"
    assert elapsed < 60, f"{path.name} took {elapsed:.1f} s"


def test_the_guard_really_blocks(tmp_path: Path) -> None:
    """The guard can fail: a connection to a public address is refused and logged."""
    log = tmp_path / "log"
    code = ("import socket\n"
            "s = socket.socket()\n"
            "try:\n    s.connect(('8.8.8.8', 53))\nexcept OSError as e:\n    print('blocked', e)\n"
            "socket.create_connection(('127.0.0.1', 9), timeout=0.2) if False else None\n")
    env = {**os.environ, "PYTHONPATH": str(GUARD), "ECSBOOK_NETGUARD_LOG": str(log)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30)
    assert "blocked netguard" in out.stdout.replace(":", "") or "netguard: blocked" in out.stdout
    assert "8.8.8.8:53" in log.read_text()


def test_sandbox_refuses_a_remote_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecsbook.labs import SandboxError, start_lab

    monkeypatch.setenv("ECSBOOK_ENDPOINT", "https://ecs.us-east-1.amazonaws.com")
    with pytest.raises(SandboxError, match="not on localhost"):
        start_lab()
