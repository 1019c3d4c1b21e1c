"""Vendor the JavaScript the static site needs, from the npm registry, at build time.

The built book must render embedded ipywidgets with no CDN. myst-nb's default
``nb_ipywidgets_js`` loads require.js and ``@jupyter-widgets/html-manager`` from public
CDNs; instead we fetch the same packages with ``npm pack`` (the npm registry is reachable
where CDNs are not) and place them in ``_vendor/_static/vendor/``. ``_config.yml`` lists
``_vendor`` in ``html_extra_path`` so they land in ``_build/html/_static/vendor/`` and points
``nb_ipywidgets_js`` at them.

Idempotent: files already present (with the recorded versions) are kept.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "_vendor" / "_static" / "vendor"

# html-manager 1.x is the line that matches ipywidgets 8 (widget protocol 2).
PACKAGES = {
    "@jupyter-widgets/html-manager": "1.0.15",
    "requirejs": "2.3.8",
}


def _pack(spec: str, workdir: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
        cwd=workdir,
    )
    name = out.stdout.strip().splitlines()[-1]
    return workdir / name


def main() -> int:
    stamp = DEST / "versions.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == PACKAGES:
        print(f"vendor_js: up to date in {DEST.relative_to(ROOT)}")
        return 0
    if shutil.which("npm") is None:
        print("vendor_js: npm is required (apt-get install npm) to vendor the widget JS", file=sys.stderr)
        return 1
    if DEST.exists():
        shutil.rmtree(DEST)
    DEST.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, version in PACKAGES.items():
            tgz = _pack(f"{name}@{version}", work)
            with tarfile.open(tgz) as tar:
                tar.extractall(work / name.replace("/", "__"), filter="data")
        hm = work / "@jupyter-widgets__html-manager" / "package" / "dist"
        # embed-amd.js plus the font files it references by relative URL.
        for f in hm.iterdir():
            if f.suffix in {".js", ".eot", ".svg", ".ttf", ".woff", ".woff2"} and not f.name.endswith(".map"):
                shutil.copy2(f, DEST / f.name)
        shutil.copy2(work / "requirejs" / "package" / "require.js", DEST / "require.min.js")
    stamp.write_text(json.dumps(PACKAGES, indent=2))
    print(f"vendor_js: vendored {', '.join(f'{k}@{v}' for k, v in PACKAGES.items())} into {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
