"""A tiny, dependency-free SVG builder used by every view's static rendering.

Every widget in the book also renders a static SVG so that a reader of the built site (no
kernel) still sees the picture. Text is always XML-escaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

# A colour-blind-friendly palette (Okabe-Ito) used consistently across the book.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "red": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "grey": "#999999",
    "black": "#222222",
    "light": "#F2F2F2",
}
SERIES_COLOURS = ["blue", "orange", "green", "red", "purple", "sky", "grey"]


_ARROW_DEFS = (
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
    'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
    'fill="#555555"/></marker></defs>'
)


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


@dataclass
class Svg:
    """Accumulates SVG elements; ``str(svg)`` gives the document."""

    width: float
    height: float
    title: str = ""
    parts: list[str] = field(default_factory=list)
    #: ``lean=True`` leaves out attributes at their SVG defaults and the unused arrow marker, and
    #: sets the font once on the root: the same picture in about half the bytes (the static
    #: widget pages carry dozens of precomputed pictures).
    lean: bool = False
    css_class: str = ""

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = "none",
             stroke: str = "none", rx: float = 0, tooltip: str = "", opacity: float = 1.0,
             stroke_width: float = 1, dash: str = "", css_class: str = "") -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        cls = f' class="{escape(css_class)}"' if css_class else ""
        tip = f"<title>{escape(tooltip)}</title>" if tooltip else ""
        if self.lean:
            attrs = f'x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(max(w, 0.0))}" height="{_fmt(max(h, 0.0))}"'
            attrs += f' rx="{_fmt(rx)}"' if rx else ""
            attrs += f' fill="{fill}"'
            if stroke != "none":
                attrs += f' stroke="{stroke}"' + (f' stroke-width="{_fmt(stroke_width)}"' if stroke_width != 1 else "")
            attrs += f' opacity="{_fmt(opacity)}"' if opacity != 1 else ""
            self.parts.append(f"<rect {attrs}{extra}{cls}>{tip}</rect>" if tip else f"<rect {attrs}{extra}{cls}/>")
            return
        self.parts.append(
            f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(max(w, 0.0))}" height="{_fmt(max(h, 0.0))}" '
            f'rx="{_fmt(rx)}" fill="{fill}" stroke="{stroke}" stroke-width="{_fmt(stroke_width)}" '
            f'opacity="{_fmt(opacity)}"{extra}{cls}>{tip}</rect>'
        )

    def text(self, x: float, y: float, s: str, *, size: float = 12, anchor: str = "start",
             fill: str = "#222222", weight: str = "normal", rotate: float = 0) -> None:
        rot = f' transform="rotate({_fmt(rotate)} {_fmt(x)} {_fmt(y)})"' if rotate else ""
        if self.lean:
            attrs = f'x="{_fmt(x)}" y="{_fmt(y)}" font-size="{_fmt(size)}"'
            attrs += f' text-anchor="{anchor}"' if anchor != "start" else ""
            attrs += f' fill="{fill}"' if fill != "#222222" else ""
            attrs += f' font-weight="{weight}"' if weight != "normal" else ""
            self.parts.append(f"<text {attrs}{rot}>{escape(s)}</text>")
            return
        self.parts.append(
            f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{_fmt(size)}" text-anchor="{anchor}" '
            f'fill="{fill}" font-weight="{weight}" font-family="sans-serif"{rot}>{escape(s)}</text>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, *, stroke: str = "#222222",
             width: float = 1, dash: str = "", marker: bool = False) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        if marker:
            extra += ' marker-end="url(#arrow)"'
        if self.lean:
            sw = f' stroke-width="{_fmt(width)}"' if width != 1 else ""
            self.parts.append(f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" y2="{_fmt(y2)}" '
                              f'stroke="{stroke}"{sw}{extra}/>')
            return
        self.parts.append(
            f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" y2="{_fmt(y2)}" '
            f'stroke="{stroke}" stroke-width="{_fmt(width)}"{extra}/>'
        )

    def polyline(self, points: Sequence[tuple[float, float]], *, stroke: str, width: float = 2,
                 dash: str = "") -> None:
        pts = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="{_fmt(width)}"{extra}/>'
        )

    def circle(self, x: float, y: float, r: float, *, fill: str, stroke: str = "none",
               tooltip: str = "") -> None:
        tip = f"<title>{escape(tooltip)}</title>" if tooltip else ""
        self.parts.append(
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}" fill="{fill}" stroke="{stroke}">{tip}</circle>'
        )

    def group(self, attrs: str = "") -> None:
        """Open a ``<g>`` (close it with :meth:`end`); ``attrs`` is trusted markup (escape values)."""
        self.parts.append(f"<g {attrs}>" if attrs else "<g>")

    def end(self) -> None:
        self.parts.append("</g>")

    def __str__(self) -> str:
        if self.lean:
            cls = f' class="{escape(self.css_class)}"' if self.css_class else ""
            head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(self.width)} {_fmt(self.height)}" '
                    f'width="{_fmt(self.width)}" height="{_fmt(self.height)}" role="img" '
                    f'font-family="sans-serif" fill="#222222"{cls}>')
            title = f"<title>{escape(self.title)}</title>" if self.title else ""
            body = "".join(self.parts)
            defs = _ARROW_DEFS if "url(#arrow)" in body else ""
            return head + title + defs + body + "</svg>"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(self.width)} {_fmt(self.height)}" '
            f'width="{_fmt(self.width)}" height="{_fmt(self.height)}" role="img">'
        )
        defs = _ARROW_DEFS
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        return head + title + defs + "".join(self.parts) + "</svg>"


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (for chart axes)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = [round(start, 10)]
    while ticks[-1] < hi - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def line_chart(
    series: dict[str, Sequence[tuple[float, float]]],
    *,
    title: str = "",
    x_label: str = "",
    y_label: str = "",
    width: float = 640,
    height: float = 300,
    step: bool = False,
    markers: Iterable[tuple[float, str]] = (),
    hlines: Iterable[tuple[float, str]] = (),
    colours: dict[str, str] | None = None,
    legend: bool = True,
    text_size: float | None = None,
    margins: tuple[float, float, float, float] | None = None,
    lean: bool = False,
    draw_title: bool = True,
    y_integer: bool = False,
) -> str:
    """A multi-series line chart (``step=True`` draws step lines, right for task counts).

    ``markers`` are vertical event lines (x, label); ``hlines`` horizontal guides (y, label).
    ``legend=False`` leaves the legend out (draw it in HTML with :func:`legend_html`, which wraps
    on a phone); ``text_size`` sets every label's size; ``margins`` is (left, right, top, bottom);
    ``draw_title=False`` keeps ``title`` as the accessible name only (the page shows it in HTML);
    ``y_integer=True`` puts y ticks on whole numbers only (task counts).
    """
    left, right, top, bottom = margins or (56, 150 if legend else 12, 30 if title else 12, 40)
    tick_size, label_size, title_size = (text_size, text_size, text_size + 2) if text_size else (10, 11, 14)
    pw, ph = width - left - right, height - top - bottom
    xs = [x for pts in series.values() for x, _ in pts] or [0.0, 1.0]
    ys = [y for pts in series.values() for _, y in pts] + [y for y, _ in hlines] or [0.0, 1.0]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x1 = x0 + 1
    yt = nice_ticks(min(0.0, min(ys)), max(ys) if max(ys) > 0 else 1.0)
    if y_integer and any(t != int(t) for t in yt):
        step_y = max(1, math.ceil(yt[1] - yt[0]))
        top_y = math.ceil(max(max(ys), 1) / step_y) * step_y
        yt = [float(v) for v in range(int(math.floor(min(0.0, min(ys)))), int(top_y) + 1, step_y)]
    y0, y1 = yt[0], yt[-1]

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * pw

    def sy(y: float) -> float:
        return top + ph - (y - y0) / (y1 - y0) * ph

    svg = Svg(width, height, title=title, lean=lean)
    svg.rect(0, 0, width, height, fill="#FFFFFF")
    if title and draw_title:
        svg.text(left, 18, title, size=title_size, weight="bold")
    for t in yt:
        svg.line(left, sy(t), left + pw, sy(t), stroke="#E0E0E0")
        svg.text(left - 6, sy(t) + tick_size * 0.4, _fmt(float(t)), size=tick_size, anchor="end", fill="#555555")
    for t in nice_ticks(x0, x1, 6):
        if x0 <= t <= x1:
            svg.line(sx(t), top + ph, sx(t), top + ph + 4, stroke="#555555")
            svg.text(sx(t), top + ph + 6 + tick_size, _fmt(float(t)), size=tick_size, anchor="middle", fill="#555555")
    svg.line(left, top + ph, left + pw, top + ph, stroke="#555555")
    svg.line(left, top, left, top + ph, stroke="#555555")
    if x_label:
        svg.text(left + pw / 2, height - 6, x_label, size=label_size, anchor="middle")
    if y_label:
        svg.text(label_size + 3, top + ph / 2, y_label, size=label_size, anchor="middle", rotate=-90)
    for y, label in hlines:
        svg.line(left, sy(y), left + pw, sy(y), stroke=PALETTE["grey"], dash="4 3")
        svg.text(left + pw - 4, sy(y) - 4, label, size=tick_size, anchor="end", fill="#555555")
    for x, label in markers:
        svg.line(sx(x), top, sx(x), top + ph, stroke=PALETTE["red"], dash="3 3")
        svg.text(sx(x) + 3, top + tick_size, label, size=tick_size, fill=PALETTE["red"])
    colours = colours or {}
    for i, (name, pts) in enumerate(series.items()):
        colour = PALETTE.get(colours.get(name, SERIES_COLOURS[i % len(SERIES_COLOURS)]), colours.get(name, "#000"))
        scaled: list[tuple[float, float]] = []
        for j, (x, y) in enumerate(pts):
            if step and j:
                scaled.append((sx(x), scaled[-1][1]))
            scaled.append((sx(x), sy(y)))
        if scaled:
            svg.polyline(scaled, stroke=colour)
        if legend:
            ly = top + 14 + 18 * i
            svg.line(left + pw + 12, ly - 4, left + pw + 32, ly - 4, stroke=colour, width=3)
            svg.text(left + pw + 36, ly, name, size=label_size)
    return str(svg)


def series_colour(i: int, name: str, colours: dict[str, str] | None = None) -> str:
    """The colour :func:`line_chart` gives series number ``i`` called ``name``."""
    colours = colours or {}
    return PALETTE.get(colours.get(name, SERIES_COLOURS[i % len(SERIES_COLOURS)]), colours.get(name, "#000"))


def legend_html(names: Sequence[str], colours: dict[str, str] | None = None, boxes: bool = False) -> str:
    """An HTML legend (wraps on narrow screens) for a chart drawn with ``legend=False``."""
    items = "".join(
        f'<li><span class="ew-swatch{" ew-box" if boxes else ""}" style="background:{series_colour(i, n, colours)}"'
        f' aria-hidden="true"></span>{escape(n)}</li>' for i, n in enumerate(names))
    return f'<ul class="ew-legend">{items}</ul>'


def wrap_html(svg: str, caption: str = "") -> str:
    """Wrap an SVG string for display as HTML (with an optional caption)."""
    cap = f'<div style="font-size:0.85em;color:#555">{escape(caption)}</div>' if caption else ""
    return f'<div class="ecsbook-svg">{svg}{cap}</div>'
