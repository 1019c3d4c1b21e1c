"""Check results that render themselves as a green/red panel.

A check function takes explicit arguments (a boto3 client, resource names), inspects the
sandbox's *state* (so any correct solution passes, not only the reference one), never raises
on a wrong state, and returns a :class:`CheckResult`: a list of items, each saying what is
right, or what is wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any


@dataclass(frozen=True)
class CheckItem:
    ok: bool
    what: str
    fix: str = ""


@dataclass(frozen=True, repr=False)
class CheckResult:
    """What a check found. ``str(result)``, ``repr(result)`` and ``print(result)`` give the
    readable PASS / NOT YET list; Jupyter shows the HTML panel (``_repr_html_``)."""

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

    def __repr__(self) -> str:  # the plain-text repr front ends show (nbconvert, consoles)
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython's text/plain
        p.text(str(self))

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


def combine(title: str, *results: CheckResult) -> CheckResult:
    """One panel for several checks: every item, prefixed with the title of its check."""
    items = tuple(CheckItem(i.ok, f"{r.title}: {i.what}", i.fix) for r in results for i in r.items)
    return CheckResult(title, items)


class Checker:
    """Collects items; AWS client errors become red items instead of tracebacks."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.items: list[CheckItem] = []

    def expect(self, ok: bool, what: str, fix: str = "") -> bool:
        self.items.append(CheckItem(bool(ok), what, fix))
        return bool(ok)

    def call(self, fn: Callable[..., Any], *args: Any, fix: str = "", failed: str = "", **kwargs: Any) -> Any:
        """Run an AWS call; on a ClientError, record a red item and return None.

        ``failed`` is the item to show when the call fails ("role 'x' exists"); by default
        the item names the call and the AWS error code.
        """
        try:
            return fn(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - botocore ClientError and friends: report, never raise
            code = (getattr(err, "response", None) or {}).get("Error", {}).get("Code")
            if failed:
                what = f"{failed} ({code or type(err).__name__})"
            else:
                what = f"{getattr(fn, '__name__', 'call')} failed: {code}" if code else str(err)
            self.items.append(CheckItem(False, what, fix))
            return None

    def result(self) -> CheckResult:
        return CheckResult(self.title, tuple(self.items))
