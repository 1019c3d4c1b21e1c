"""Build one chapter page on its own and report what the strict build would.

Usage: .venv/bin/python tools/check_page.py book/<slug>.md [...]

Runs `jupyter-book build <page> -W -n --keep-going` into a scratch folder
(every code cell executes), then lists the page's warnings except links to
other pages (which a single-page build cannot resolve; the full `make book`
checks those), code lines over 80 characters, and the word count of prose.
Exit status 0 when nothing is wrong.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
FENCE = re.compile(r"^(```+|:::+)")


def long_code_lines(text: str) -> list[tuple[int, int]]:
    """(line number, length) of lines over 80 characters inside fences."""
    out = []
    depth: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        m = FENCE.match(line.strip())
        if m:
            tick = m.group(1)
            if depth and line.strip() == depth[-1][: len(line.strip())]:
                depth.pop()
                continue
            if line.strip() != tick:
                depth.append(tick)
                continue
        if depth and depth[-1].startswith("```") and len(line) > 80:
            out.append((n, len(line)))
    return out


def prose_words(text: str) -> int:
    """Words outside code fences and the front matter."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", text))


def check(page: Path) -> bool:
    ok = True
    text = page.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [str(BIN / "jupyter-book"), "build", str(page), "--path-output",
             tmp, "-W", "-n", "--keep-going"],
            capture_output=True, text=True, cwd=ROOT,
            env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(Path.home())},
        )
    log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    for line in log.splitlines():
        if ("WARNING" in line or "ERROR" in line) and "xref_missing" not in line \
                and "Unknown source document" not in line \
                and "[IPKernelApp]" not in line and "html_extra_path" not in line \
                and "favicon file" not in line:
            print(line)
            ok = False
    if "Traceback" in log or "CellExecutionError" in log:
        print(log[-4000:])
        ok = False
    for n, length in long_code_lines(text):
        print(f"{page}:{n}: code line of {length} characters (max 80)")
        ok = False
    print(f"{page}: {prose_words(text)} words of prose; "
          f"{'OK' if ok else 'PROBLEMS ABOVE'}")
    return ok


if __name__ == "__main__":
    results = [check(Path(p).resolve()) for p in sys.argv[1:]]
    sys.exit(0 if all(results) else 1)
