"""Execute a lab notebook top to bottom and save its outputs in place.

The saved outputs are the reference that tests/test_notebooks.py (pytest-notebook) compares a
fresh run against. The lab runs in build mode (ECSBOOK_BUILD=1), so its reference solutions
run and the saved outputs show the lab solved, as the website does.
Usage: python tools/run_lab.py labs/lab01-cluster.ipynb [...]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path) -> float:
    os.environ["ECSBOOK_BUILD"] = "1"  # %%solution cells run: the saved lab is solved
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return time.perf_counter() - t0


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"{arg}: {run(Path(arg)):.1f} s")
