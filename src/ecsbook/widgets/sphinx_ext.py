"""Sphinx extension (listed in ``_config.yml``): no dead widget manager on static pages.

The book's views display on the static site as their static blocks (``text/html``), never as
embedded ipywidgets, but myst-nb still embeds the kernel's widget state and loads require.js
and the 3.6 MB widget manager on every page whose notebook created a widget. On a page that
shows no widget view, those scripts do nothing: this drops them. A page that does display a
real ipywidget (a ``widget-view+json`` output) keeps them.
"""

from __future__ import annotations

from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _is_widget_script(js: Any, manager_files: set[str]) -> bool:
    filename = str(getattr(js, "filename", js) or "")
    attrs = getattr(js, "attributes", {}) or {}
    return attrs.get("type") == WIDGET_STATE or any(filename.endswith(f) for f in manager_files)


def drop_unused_widget_manager(app: Any, pagename: str, templatename: str, context: dict[str, Any],
                               doctree: Any) -> None:
    if WIDGET_VIEW in str(context.get("body", "")):
        return
    files = context.get("script_files")
    if not files:
        return
    manager = {str(k) for k in (getattr(app.config, "nb_ipywidgets_js", None) or {})}
    files[:] = [js for js in files if not _is_widget_script(js, manager)]


def setup(app: Any) -> dict[str, Any]:
    # after myst-nb adds the page's scripts (its handler has the default priority, 500)
    app.connect("html-page-context", drop_unused_widget_manager, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
