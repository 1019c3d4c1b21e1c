"""Publishing as Jupyter Book projects do: GitHub Actions runs `make test`, then Pages.

A static check of .github/workflows/book.yml (GitHub runs it; here we check it says the
right things): it runs `make test`, uploads `_build/html` with actions/upload-pages-artifact
and deploys it with actions/deploy-pages, only from main, with the Pages permissions on the
deploy job alone. And the Makefile has the `linkcheck` target for the external links.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())


def test_workflow_tests_then_publishes_the_tested_site() -> None:
    wf = _workflow()
    on = wf.get("on", wf.get(True))            # YAML reads a bare `on:` key as True
    assert "push" in on and "pull_request" in on
    test, deploy = wf["jobs"]["test"], wf["jobs"]["deploy"]
    runs = [s.get("run", "") for s in test["steps"]]
    assert any(r.strip() == "make test" for r in runs)
    uses = {s.get("uses", "").split("@")[0]: s for s in test["steps"] if s.get("uses")}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/html"
    steps = [s.get("uses", "").split("@")[0] for s in deploy["steps"]]
    assert "actions/deploy-pages" in steps
    assert deploy["needs"] == "test" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert wf["permissions"] == {"contents": "read"}
    assert deploy["environment"]["name"] == "github-pages"


def test_makefile_keeps_its_targets_and_has_linkcheck() -> None:
    make = (ROOT / "Makefile").read_text()
    for target in ("book:", "test:", "bench:", "venv:", "linkcheck:"):
        assert f"\n{target}" in make, target
    assert "ECSBOOK_LINKCHECK=1" in make
