"""Vendor the JavaScript the static site needs, from the npm registry, at build time.

The built book must render embedded ipywidgets with no CDN. myst-nb's default
``nb_ipywidgets_js`` loads require.js and ``@jupyter-widgets/html-manager`` from public
CDNs; instead we fetch the same packages with ``npm pack`` (the npm registry is reachable
where CDNs are not) and place them in ``_vendor/_static/vendor/``. ``_config.yml`` lists
``_vendor`` in ``html_extra_path`` so they land in ``_build/html/_static/vendor/`` and points
``nb_ipywidgets_js`` at them.

``embed-amd.js`` gets a two-line prefix: the widget manager finds its icon fonts relative to
its own AMD module URL, which require.js resolves against the *page* (``book/@jupyter-widgets/
html-manager/dist/*.woff2``, a 404 on every widget page); the prefix maps that module to the
folder the script was loaded from, where the fonts are.

``--test`` vendors what only the tests use (axe-core, for the accessibility test) into
``tests/site/_vendor/``, which is not part of the site.

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
# Test-only JavaScript (never copied into the site).
TEST_DEST = ROOT / "tests" / "site" / "_vendor"
TEST_PACKAGES = {"axe-core": "4.10.3"}

FONT_FIX_MARK = "/* ecsbook: html-manager fonts next to this file (v2) */"
# Each AMD module in embed-amd.js computes its webpack public path (where its fonts are) from
# its own module URL; map every one of them into this script's folder.
FONT_FIX = FONT_FIX_MARK + """
(function () {
  var s = document.currentScript, d, p = {};
  if (!(s && s.src && window.require && window.require.config)) return;
  d = s.src.replace(/[?#].*$/, "").replace(/\\/[^\\/]*$/, "");
  ["base", "base7", "controls", "controls7", "html-manager"].forEach(function (m) {
    p["@jupyter-widgets/" + m] = d + "/" + m;
  });
  p["@jupyter-widgets/html-manager/dist"] = d;
  window.require.config({paths: p});
})();
"""


def fix_font_path(path: Path) -> bool:
    """Prefix ``embed-amd.js`` with the require.js path mapping (once); True if it changed."""
    text = path.read_text(encoding="utf-8")
    if text.startswith(FONT_FIX_MARK):
        return False
    if text.startswith("/* ecsbook: "):  # an older version of the prefix: replace it
        text = text.split("})();\n", 1)[1]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(FONT_FIX + text, encoding="utf-8")
    tmp.replace(path)
    return True


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


def vendor_test() -> int:
    """axe-core's minified build into tests/site/_vendor/ (for tests/site/test_accessibility.py)."""
    stamp = TEST_DEST / "versions.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == TEST_PACKAGES and (TEST_DEST / "axe.min.js").is_file():
        print(f"vendor_js: test JS up to date in {TEST_DEST.relative_to(ROOT)}")
        return 0
    if shutil.which("npm") is None:
        print("vendor_js: npm is required (apt-get install npm) to vendor axe-core", file=sys.stderr)
        return 1
    TEST_DEST.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, version in TEST_PACKAGES.items():
            tgz = _pack(f"{name}@{version}", work)
            with tarfile.open(tgz) as tar:
                tar.extractall(work / name, filter="data")
        shutil.copy2(work / "axe-core" / "package" / "axe.min.js", TEST_DEST / "axe.min.js")
        shutil.copy2(work / "axe-core" / "package" / "LICENSE", TEST_DEST / "axe-core.LICENSE")
    stamp.write_text(json.dumps(TEST_PACKAGES, indent=2))
    print(f"vendor_js: vendored {', '.join(f'{k}@{v}' for k, v in TEST_PACKAGES.items())} "
          f"into {TEST_DEST.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    if "--test" in (argv if argv is not None else sys.argv[1:]):
        return vendor_test()
    stamp = DEST / "versions.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == PACKAGES:
        if fix_font_path(DEST / "embed-amd.js"):
            print("vendor_js: embed-amd.js now finds its fonts in the vendor folder")
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
    fix_font_path(DEST / "embed-amd.js")
    stamp.write_text(json.dumps(PACKAGES, indent=2))
    print(f"vendor_js: vendored {', '.join(f'{k}@{v}' for k, v in PACKAGES.items())} into {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
