"""An ipywidgets quiz for live notebooks (the static pages use :mod:`ecsbook.quiz.html`)."""

from __future__ import annotations

from html import escape
from typing import Sequence

import ipywidgets as w

from .bank import Question
from .grade import Result, grade


class QuizWidget:
    def __init__(self, qs: Sequence[Question]) -> None:
        self.questions = list(qs)
        self.inputs: dict[str, w.Widget] = {}
        self.feedback: dict[str, w.HTML] = {}
        rows: list[w.Widget] = []
        for i, q in enumerate(self.questions, 1):
            labels = [o.text for o in q.options]
            box: w.Widget = (w.SelectMultiple(options=[(t, k) for k, t in enumerate(labels)], rows=len(labels)) if q.multi
                             else w.RadioButtons(options=[(t, k) for k, t in enumerate(labels)], value=None))
            self.inputs[q.id] = box
            self.feedback[q.id] = w.HTML()
            rows += [w.HTML(f"<b>{i}. {escape(q.stem)}</b>"), box, self.feedback[q.id]]
        self.button = w.Button(description="Check answers", button_style="primary")
        self.summary = w.HTML()
        self.button.on_click(lambda _b: self.check())
        self.widget = w.VBox([*rows, self.button, self.summary])
        self.result: Result | None = None

    def responses(self) -> dict[str, list[int] | int | None]:
        out: dict[str, list[int] | int | None] = {}
        for q in self.questions:
            v = self.inputs[q.id].value
            out[q.id] = list(v) if isinstance(v, tuple) else v
        return out

    def check(self) -> Result:
        self.result = grade(self.questions, self.responses())
        for q in self.questions:
            ok = q.id not in {r for r, _ in self.result.review}
            lines = "".join(f"<li>{escape(o.text)}: {escape(o.why)}</li>" for o in q.options)
            self.feedback[q.id].value = (f"<div style='color:{'#00734f' if ok else '#b3261e'}'>"
                                         f"{'Correct' if ok else 'Not quite'}</div><ul>{lines}</ul>")
        self.summary.value = f"<b>Score: {self.result.correct}/{self.result.total}</b>"
        return self.result

    def _repr_mimebundle_(self, **kwargs):  # type: ignore[no-untyped-def]
        return self.widget._repr_mimebundle_(**kwargs)
