"""The pattern every view follows: controls -> model -> SVG.

A view owns ipywidgets controls, calls the scheduler model in :meth:`compute` (no scheduling
logic lives here), and draws the result with :meth:`render` as an SVG string. The SVG goes
into an ``ipywidgets.HTML`` output, so:

* in a live notebook, changing a control recomputes and redraws;
* on the static site, the embedded widget state carries the last SVG, so the picture shows
  with no kernel; :meth:`to_svg` gives the same picture for tests and for static pages.

Model errors (``InvalidParameterException`` and friends) are shown inline in red instead of
raising, because a learner typing a query expression should see ECS's message, not a
traceback.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from ecsbook.scheduler.errors import ECSError


class View:
    """Base class: subclasses set ``self.controls`` and implement ``compute``/``render``."""

    title = ""

    def __init__(self) -> None:
        self.output = w.HTML()
        self.error = w.HTML()
        self.result: Any = None
        self.last_error: str | None = None
        if not hasattr(self, "controls"):
            self.controls: list[w.Widget] = []
        for c in self.controls:
            if hasattr(c, "value"):
                c.observe(self._on_change, names="value")
        self.widget = w.VBox([*self._layout_controls(), self.error, self.output])
        self.update()

    # subclasses -----------------------------------------------------------------------------
    def compute(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def render(self, result: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _layout_controls(self) -> list[w.Widget]:
        return [w.HBox(self.controls[i : i + 3]) for i in range(0, len(self.controls), 3)]

    # machinery ------------------------------------------------------------------------------
    def _on_change(self, _change: Any = None) -> None:
        self.update()

    def update(self) -> None:
        """Recompute from the controls and redraw; model errors are shown, not raised."""
        try:
            self.result = self.compute()
        except ECSError as err:
            self.last_error = str(err)
            self.error.value = (
                f'<div style="color:#b00020;font-family:monospace;padding:4px 0">{escape(str(err))}</div>'
            )
            return
        self.last_error = None
        self.error.value = ""
        self.output.value = f'<div class="ecsbook-svg">{self.render(self.result)}</div>'

    def to_svg(self) -> str:
        return self.render(self.result) if self.result is not None else ""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
