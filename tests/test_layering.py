"""Architecture rules: the scheduler is pure and stdlib-only; widgets stay thin."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ecsbook"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the package path
                pkg = path.relative_to(SRC.parent).with_suffix("").parts[:-node.level]
                base = ".".join(pkg)
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def test_scheduler_package_has_modules() -> None:
    # Guard against the rules below passing vacuously.
    assert len(_modules("scheduler")) >= 5


@pytest.mark.parametrize("path", _modules("scheduler"), ids=lambda p: p.name)
def test_scheduler_imports_only_stdlib_and_itself(path: Path) -> None:
    allowed_stdlib = set(sys.stdlib_module_names) | {"__future__"}
    bad = []
    for name in _imports(path):
        top = name.split(".")[0]
        if name.startswith("ecsbook.scheduler") or name == "ecsbook.scheduler":
            continue
        if top in allowed_stdlib:
            continue
        bad.append(name)
    assert not bad, f"{path.relative_to(SRC)} imports {bad}: the scheduler must be stdlib-only"


@pytest.mark.parametrize("path", _modules("widgets"), ids=lambda p: p.name)
def test_widgets_do_not_import_labs_or_quiz(path: Path) -> None:
    bad = [n for n in _imports(path) if n.startswith(("ecsbook.labs", "ecsbook.quiz"))]
    assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_import_checker_sees_a_violation(tmp_path: Path) -> None:
    # The checker itself must be able to fail.
    probe = SRC / "scheduler" / "_probe_tmp.py"
    try:
        probe.write_text("import boto3\nfrom ..widgets import x\n")
        names = _imports(probe)
    finally:
        probe.unlink()
    assert "boto3" in names and "ecsbook.widgets" in names
