"""The pattern every view follows: controls -> model -> picture.

A view owns ipywidgets controls, calls the scheduler model in :meth:`compute` (no scheduling
logic lives here), and draws the result with :meth:`render` (SVG inside a little HTML, sized
to stay readable on a phone). The picture goes into an ``ipywidgets.HTML`` output, so:

* in a live notebook, changing a control recomputes and redraws;
* on the static site, the view's *static mode* (:mod:`ecsbook.widgets.static`) shows the
  same controls switching among pictures computed at build time; controls that cannot be
  precomputed are disabled and say "change this in a live notebook".

Displaying a view gives both: the widget for front ends with a kernel, and the static block
as ``text/html``. :meth:`to_svg` gives the current picture for tests.

Model errors (``InvalidParameterException`` and friends) are shown inline in red instead of
raising, because a learner typing a query expression should see ECS's message, not a
traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import ipywidgets as w

from ecsbook.scheduler.errors import ECSError

from .static import StaticWidget

#: Labels are never cut short ("memory MiB"), whatever the description's length.
LABEL_STYLE = {"description_width": "initial"}


def wrap_row(children: list[w.Widget]) -> w.HBox:
    """A row of controls that wraps onto more lines on a narrow screen."""
    return w.HBox(children, layout=w.Layout(flex_flow="row wrap", align_items="center", max_width="100%"))


def error_html(err: ECSError | str) -> str:
    return f'<div class="ew-error" style="color:#b00020;font-family:monospace;padding:4px 0">{escape(str(err))}</div>'


class View:
    """Base class: subclasses set ``self.controls`` and implement ``compute``/``render``."""

    title = ""

    def __init__(self) -> None:
        self.output = w.HTML(layout=w.Layout(max_width="100%", overflow="auto"))
        self.error = w.HTML()
        self.result: Any = None
        self.last_error: str | None = None
        if not hasattr(self, "controls"):
            self.controls: list[w.Widget] = []
        for c in self.controls:
            if hasattr(c, "style") and hasattr(c.style, "description_width"):
                c.style.description_width = "initial"
            if hasattr(c, "value"):
                c.observe(self._on_change, names="value")
        self.widget = w.VBox([*self._layout_controls(), self.error, self.output],
                             layout=w.Layout(max_width="100%"))
        self.update()

    # subclasses -----------------------------------------------------------------------------
    def compute(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def render(self, result: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def static_widget(self) -> StaticWidget:  # pragma: no cover - abstract
        """The static-mode block: every precomputed state of this view."""
        raise NotImplementedError

    def _layout_controls(self) -> list[w.Widget]:
        return [wrap_row(self.controls[i : i + 3]) for i in range(0, len(self.controls), 3)]

    # machinery ------------------------------------------------------------------------------
    def _on_change(self, _change: Any = None) -> None:
        self.update()

    def update(self) -> None:
        """Recompute from the controls and redraw; model errors are shown, not raised."""
        try:
            self.result = self.compute()
        except ECSError as err:
            self.last_error = str(err)
            self.error.value = error_html(err)
            return
        self.last_error = None
        self.error.value = ""
        self.output.value = f'<div class="ecsbook-svg ew-pic">{self.render(self.result)}</div>'

    def to_svg(self) -> str:
        return self.render(self.result) if self.result is not None else ""

    def static_html(self) -> str:
        """The self-contained HTML block the static site shows in place of the live widget."""
        return self.static_widget().html()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data or {})
        data["text/html"] = self.static_html()
        return (data, bundle[1]) if isinstance(bundle, tuple) else data


def picture(slot_html: Mapping[str, str]) -> str:
    """Join slot contents in order (for views whose live picture is just the slots)."""
    return "".join(slot_html.values())
