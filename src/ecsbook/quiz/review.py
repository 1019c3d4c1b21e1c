"""The spaced-repetition review queue (a Leitner system), for the terminal.

The same rules as the web pages' script (``static/quiz.js``): a missed question
enters box 1 and is due at once; answered right it moves up one box and is due
again after ``INTERVAL_DAYS[new box]`` days; answered wrong it returns to box 1;
answered right in box 5 it leaves the queue. The terminal keeps the queue in a
JSON file (``ECSBOOK_REVIEW_FILE``, default ``~/.ecsbook/review.json``), written
atomically so an interrupted session never loses it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

DAY = 86400.0
INTERVAL_DAYS = {2: 3, 3: 7, 4: 14, 5: 30}
TOP_BOX = 5


@dataclass
class Entry:
    box: int
    due: float  # seconds since the epoch


def default_path() -> Path:
    env = os.environ.get("ECSBOOK_REVIEW_FILE")
    return Path(env) if env else Path.home() / ".ecsbook" / "review.json"


class ReviewQueue:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.entries: dict[str, Entry] = {}
        self.problem = ""
        if self.path.exists():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self.entries = {k: Entry(int(v["box"]), float(v["due"]))
                                for k, v in raw.items()}
            except (ValueError, KeyError, TypeError, AttributeError) as err:
                # keep the unreadable file for the learner; start a new queue beside it
                keep = self.path.with_suffix(".unreadable.json")
                self.path.replace(keep)
                self.problem = f"{self.path} was unreadable ({err}); kept it as {keep}"

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {k: {"box": e.box, "due": e.due} for k, e in sorted(self.entries.items())}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
        os.replace(tmp, self.path)

    def missed(self, qid: str, now: float) -> None:
        self.entries[qid] = Entry(1, now)

    def answered(self, qid: str, ok: bool, now: float) -> None:
        e = self.entries.get(qid)
        if e is None:
            if not ok:
                self.missed(qid, now)
            return
        if not ok:
            self.entries[qid] = Entry(1, now)
        elif e.box >= TOP_BOX:
            del self.entries[qid]
        else:
            box = e.box + 1
            self.entries[qid] = Entry(box, now + INTERVAL_DAYS[box] * DAY)

    def due(self, now: float) -> list[str]:
        return sorted((k for k, e in self.entries.items() if e.due <= now),
                      key=lambda k: (self.entries[k].due, k))

    def boxes(self) -> dict[int, int]:
        counts = {b: 0 for b in range(1, TOP_BOX + 1)}
        for e in self.entries.values():
            counts[e.box] += 1
        return counts
