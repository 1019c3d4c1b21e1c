"""Words of prose per page of the book (code, front matter and link targets excluded).

Usage: .venv/bin/python tools/book_stats.py   (prints one line per page and the total)
"""

from __future__ import annotations

import re
from pathlib import Path

from check_page import prose_words

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    total = 0
    for page in sorted((ROOT / "book").glob("*.md")):
        text = re.sub(r"\]\([^)]*\)", "]", page.read_text(encoding="utf-8"))
        n = prose_words(text)
        total += n
        print(f"{page.stem:24} {n:7,}")
    print(f"{'total':24} {total:7,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
