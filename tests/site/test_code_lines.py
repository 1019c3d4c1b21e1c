"""Code in the book fits a phone and a printed page: code-cell lines are at most 80 characters.

Every code cell of every chapter (book/*.md, MyST notebooks read with jupytext) and lab
(labs/*.ipynb). One test per file, so a failure names the page and its long lines.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX = 80
FILES = sorted((ROOT / "book").glob("*.md")) + sorted((ROOT / "labs").glob("*.ipynb"))


def long_lines(path: Path) -> list[str]:
    nb = jupytext.read(path, fmt="md:myst" if path.suffix == ".md" else None)
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for n, line in enumerate(cell.source.splitlines(), 1):
            if len(line) > MAX:
                out.append(f"cell {i} line {n} ({len(line)} chars): {line.strip()[:60]}")
    return out


def test_there_are_pages_to_check() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_code_cell_lines_are_at_most_80_characters(path: Path) -> None:
    bad = long_lines(path)
    assert not bad, f"{path.relative_to(ROOT)}: {len(bad)} code lines over {MAX} characters:\n" + "\n".join(bad)
