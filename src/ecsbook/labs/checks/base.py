"""Check results that render themselves as a green/red panel.

A check function takes explicit arguments (a boto3 client, resource names), inspects the
sandbox's *state* (so any correct solution passes, not only the reference one), never raises
on a wrong state, and returns a :class:`CheckResult`: a list of items, each saying what is
right, or what is wrong and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, Callable


@dataclass(frozen=True)
class CheckItem:
    ok: bool
    what: str
    fix: str = ""


@dataclass(frozen=True)
class CheckResult:
    title: str
    items: tuple[CheckItem, ...]

    @property
    def passed(self) -> bool:
        return bool(self.items) and all(i.ok for i in self.items)

    @property
    def problems(self) -> list[CheckItem]:
        return [i for i in self.items if not i.ok]

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = f"{'PASS' if self.passed else 'NOT YET'}: {self.title}"
        lines = [f"  [{'ok' if i.ok else 'X '}] {i.what}" + ("" if i.ok or not i.fix else f"\n       fix: {i.fix}")
                 for i in self.items]
        return "\n".join([head, *lines])

    def _repr_html_(self) -> str:
        colour, bg, word = ("#009E73", "#E3F5EE", "Passed") if self.passed else ("#D55E00", "#FBE3D6", "Not yet")
        rows = []
        for i in self.items:
            mark = "&#10004;" if i.ok else "&#10008;"
            fix = "" if i.ok or not i.fix else f'<div style="margin-left:1.4em;color:#444"><b>Fix:</b> {escape(i.fix)}</div>'
            rows.append(f'<li style="list-style:none"><span style="color:{"#009E73" if i.ok else "#D55E00"}">{mark}</span> '
                        f"{escape(i.what)}{fix}</li>")
        return (f'<div style="border-left:5px solid {colour};background:{bg};padding:6px 12px;margin:6px 0">'
                f"<b>{word}: {escape(self.title)}</b><ul style=\"padding-left:0;margin:4px 0\">{''.join(rows)}</ul></div>")


class Checker:
    """Collects items; AWS client errors become red items instead of tracebacks."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.items: list[CheckItem] = []

    def expect(self, ok: bool, what: str, fix: str = "") -> bool:
        self.items.append(CheckItem(bool(ok), what, fix))
        return bool(ok)

    def call(self, fn: Callable[..., Any], *args: Any, fix: str = "", **kwargs: Any) -> Any:
        """Run an AWS call; on a ClientError, record a red item and return None."""
        try:
            return fn(*args, **kwargs)
        except Exception as err:  # botocore ClientError and friends: report, never raise
            code = getattr(err, "response", {}).get("Error", {}).get("Code", type(err).__name__)
            self.items.append(CheckItem(False, f"{getattr(fn, '__name__', 'call')} failed: {code}", fix))
            return None

    def result(self) -> CheckResult:
        return CheckResult(self.title, tuple(self.items))
