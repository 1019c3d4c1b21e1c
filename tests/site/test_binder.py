"""Launch buttons only where real: Binder's files install the package and a lab runs there.

The test does what repo2docker does with ``binder/``, in a temporary folder: a fresh virtual
environment (Python from ``binder/runtime.txt``), ``pip install -r binder/requirements.txt``
from a copy of the repository's tracked files, then ``binder/postBuild``. It then executes a
lab (lab11: the moto sandbox, the scheduler model and a widget) in that environment with
nbclient, with the network guard of tests/test_notebooks.py in the kernel. pip may use PyPI
(and its cache); nothing else may be reached. The whole test stays under two minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAB = "labs/lab11-rolling-update.ipynb"
BUDGET_S = 120

RUN_LAB = """
import json, sys
import nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, timeout=90, kernel_name="python3",
                        resources={"metadata": {"path": sys.argv[2]}}).execute()
errors = [o.get("ename", "") + ": " + o.get("evalue", "") for c in nb.cells if c.cell_type == "code"
          for o in c.get("outputs", []) if o.get("output_type") == "error"]
text = "\\n".join(o.get("text", "") or json.dumps(o.get("data", {}).get("text/plain", ""))
                  for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
print(json.dumps({"errors": errors, "cells": sum(c.cell_type == "code" for c in nb.cells), "text": text}))
"""


def _tracked(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root, capture_output=True, text=True, check=True)
    return [f for f in out.stdout.split("\0") if f and (root / f).is_file()]


def test_runtime_and_requirements_name_the_package() -> None:
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime.startswith("python-3.")
    reqs = [ln.strip() for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
            if ln.strip() and not ln.startswith("#")]
    assert "-e ." in reqs and "-c ../constraints.txt" in reqs
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)


def test_binder_environment_installs_the_package_and_runs_a_lab(tmp_path: Path) -> None:
    if os.environ.get("ECSBOOK_SKIP_BINDER"):
        pytest.skip("ECSBOOK_SKIP_BINDER is set")
    start = time.perf_counter()
    repo = tmp_path / "repo"
    for f in _tracked(ROOT):
        if f.startswith(("src/", "binder/", "labs/", "tests/netguard/")) or f in (
                "pyproject.toml", "constraints.txt", "README.md", "_config.yml", "_toc.yml"):
            (repo / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, repo / f)
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "VIRTUAL_ENV": str(env_dir), "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for var in ("PYTHONPATH", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECSBOOK_ENDPOINT",
                "ECSBOOK_ROOT", "JUPYTER_PATH"):
        env.pop(var, None)
    # --no-compile: the .pyc files would be written at first import anyway; compiling botocore's
    # and Sphinx's thousands of modules up front is most of an install's time here
    install = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-compile", "-r",
                              "binder/requirements.txt"], cwd=repo, env=env, capture_output=True, text=True,
                             timeout=BUDGET_S, check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    installed = time.perf_counter() - start
    post = subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert post.returncode == 0, post.stderr[-3000:]
    where = subprocess.run([str(py), "-c", "import ecsbook, ipywidgets, moto; print(ecsbook.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(repo / "src"), where      # the editable install of this copy
    settings = tmp_path / "jupyter-config" / "lab" / "user-settings" / "@jupyterlab" / "docmanager-extension"
    assert "Jupytext Notebook" in (settings / "plugin.jupyterlab-settings").read_text()

    log = tmp_path / "netguard.log"
    lab_env = {**env, "PYTHONPATH": str(repo / "tests" / "netguard"), "ECSBOOK_NETGUARD_LOG": str(log)}
    run = subprocess.run([str(py), "-c", RUN_LAB, str(repo / LAB), str(repo / "labs")], cwd=repo / "labs",
                         env=lab_env, capture_output=True, text=True, timeout=BUDGET_S, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    import json

    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["cells"] >= 5 and not result["errors"], result["errors"]
    assert not (log.read_text() if log.exists() else ""), f"the lab reached the network: {log.read_text()}"
    assert Path(str(log) + ".active").is_file(), "the network guard was not loaded in the kernel"
    elapsed = time.perf_counter() - start
    print(f"\nbinder environment {installed:.0f} s, + {LAB}: {elapsed:.0f} s")
    assert elapsed < BUDGET_S, f"took {elapsed:.0f} s (budget {BUDGET_S} s)"
