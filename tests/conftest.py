"""Shared pytest configuration for ECS by Doing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The built book. `make test` builds it before pytest runs.

    Under CI a missing build is a failure (the build is part of the suite); on a laptop the
    tests that need it are skipped with a hint.
    """
    if not (SITE / "index.html").is_file():
        msg = f"{SITE}/index.html is missing: run `make book` (make test builds it first)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return SITE
