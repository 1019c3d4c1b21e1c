"""Locate the repository (book) root from anywhere inside it."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root(start: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding ``_config.yml``, walking up from ``start`` (default: cwd).

    ``ECSBOOK_ROOT`` overrides the search. Falls back to the source checkout that holds
    this package (``src/ecsbook`` -> repo root) when cwd is outside the book.
    """
    env = os.environ.get("ECSBOOK_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "_toc.yml").is_file():
            return folder
    pkg_root = Path(__file__).resolve().parents[2]
    if (pkg_root / "_config.yml").is_file():
        return pkg_root
    raise FileNotFoundError(
        "Could not find the book root (a folder with _config.yml and _toc.yml) above "
        f"{here}. Set ECSBOOK_ROOT to the repository folder."
    )
