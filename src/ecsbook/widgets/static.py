"""Static mode: a view's controls switch, in the browser, among states computed at build time.

Every view displays as a Jupyter mimebundle with two representations:

* ``application/vnd.jupyter.widget-view+json``: the live ipywidget (a kernel recomputes);
* ``text/html``: a self-contained block, built here, for pages read with no kernel.

Jupyter front ends with a widget manager pick the live widget. The built site picks the HTML
block (``_config.yml`` ranks ``text/html`` above the widget view for the html builder). The
block holds the precomputed pictures in a ``<script type="application/json">`` tag (``<``,
``>`` and ``&`` escaped) and a small inline script that swaps them when a control changes: no
kernel, no network. Controls with no precomputed states are drawn disabled inside a fieldset
labelled "change this in a live notebook", with the launch link.

A block is a list of *slots* (places on the page) and *states* (one per combination of the
enabled controls). A state maps every slot to a *part* (an HTML fragment, stored once however
many states share it), so switching state is a few ``innerHTML`` swaps.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).with_name("assets")
LIVE_NOTE = "change this in a live notebook"


@cache
def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def safe_json(data: Any) -> str:
    """JSON that can sit inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --------------------------------------------------------------------------- launch link


def _config() -> Mapping[str, Any]:
    try:
        import yaml

        from ecsbook.paths import repo_root

        return yaml.safe_load((repo_root() / "_config.yml").read_text(encoding="utf-8")) or {}
    except (OSError, ImportError, ValueError):
        return {}


def launch_url(folder: str | None = None) -> str:
    """A Binder link to this repository (from ``_config.yml``), or "" when none is configured.

    ``folder`` (default: the notebook's folder, i.e. the kernel's cwd relative to the book
    root) is opened in JupyterLab. On the built site the block's script replaces this link
    with the page's own launch button link when the page has one.
    """
    cfg = _config()
    repo = str((cfg.get("repository") or {}).get("url") or "")
    binder = str((cfg.get("launch_buttons") or {}).get("binderhub_url") or "").rstrip("/")
    if "github.com/" not in repo or not binder:
        return ""
    org_repo = "/".join(repo.split("github.com/", 1)[1].strip("/").split("/")[:2])
    branch = str((cfg.get("repository") or {}).get("branch") or "main")
    if folder is None:
        try:
            from ecsbook.paths import repo_root

            folder = Path.cwd().resolve().relative_to(repo_root()).as_posix()
        except (ValueError, FileNotFoundError):
            folder = ""
    ui = "lab/tree" if (cfg.get("launch_buttons") or {}).get("notebook_interface") != "classic" else "tree"
    path = f"{ui}/{folder}".rstrip("/") if folder and folder != "." else ui
    return f"{binder}/v2/gh/{org_repo}/{branch}?urlpath={path}"


# --------------------------------------------------------------------------- controls


@dataclass(frozen=True)
class Choice:
    """An enabled control whose every value has precomputed states: a select, checkbox or range."""

    name: str
    label: str
    values: tuple[str, ...]
    value: str
    kind: str = "select"  # select | checkbox | range
    labels: tuple[str, ...] = ()  # option labels for a select (default: the values)

    def __post_init__(self) -> None:
        if self.value not in self.values:
            raise ValueError(f"{self.name}: initial value {self.value!r} not among {self.values}")


@dataclass(frozen=True)
class Fixed:
    """A disabled control: shown with its value, changeable only in a live notebook."""

    name: str
    label: str
    value: str
    kind: str = "text"  # text | range | checkbox
    lo: float = 0
    hi: float = 100
    step: float = 1


@dataclass
class StaticWidget:
    """Collects parts and states, then renders the self-contained HTML block."""

    kind: str
    title: str
    choices: list[Choice]
    fixed: list[Fixed] = field(default_factory=list)
    slots: list[tuple[str, str]] = field(default_factory=list)  # (slot name, css class)
    stacks: dict[str, str] = field(default_factory=dict)  # overlay slot -> slot it sits on
    ranges: dict[str, str] = field(default_factory=dict)  # range name -> choice whose key sets its max
    play: str = ""  # the range a play button drives
    body_class: str = ""  # css class of the element holding the slots (e.g. ew-pair: side by side)
    launch: str | None = None
    parts: list[str] = field(default_factory=list)
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    limits: dict[str, dict[str, int]] = field(default_factory=dict)
    shows: list[dict[str, str]] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def part(self, html: str) -> int:
        """Store an HTML fragment once; its number."""
        if html not in self._index:
            self._index[html] = len(self.parts)
            self.parts.append(html)
        return self._index[html]

    def slot_html(self, key: str) -> dict[str, str]:
        """What every slot shows in the state ``key`` (for tests)."""
        return {s: self.parts[i] for s, i in self.states[key]["slots"].items()}

    @staticmethod
    def key(values: Mapping[str, str], names: Iterable[str]) -> str:
        return "|".join(f"{n}={values[n]}" for n in names)

    def add(self, values: Mapping[str, str], slots: Mapping[str, str],
            show: Mapping[str, str] | None = None) -> None:
        """One state: the enabled controls' values -> the HTML of every slot.

        ``show`` sets what disabled controls display in this state (e.g. a scenario's numbers).
        """
        names = [c.name for c in self.choices]
        missing = set(names) - set(values)
        if missing:
            raise ValueError(f"state lacks values for {sorted(missing)}")
        state: dict[str, Any] = {"slots": {s: self.part(h) for s, h in slots.items()}}
        if show:
            if dict(show) not in self.shows:
                self.shows.append(dict(show))
            state["show"] = self.shows.index(dict(show))
        self.states[self.key(values, names)] = state

    def limit(self, values: Mapping[str, str], range_name: str, hi: int) -> None:
        """The largest value of range ``range_name`` when the other controls have ``values``."""
        others = [c.name for c in self.choices if c.name != range_name]
        self.limits.setdefault(self.key(values, others), {})[range_name] = hi

    def combinations(self) -> list[dict[str, str]]:
        """Every combination of the enabled controls' values (ranges up to their limits)."""
        out = []
        for combo in itertools.product(*[c.values for c in self.choices]):
            values = dict(zip([c.name for c in self.choices], combo))
            ok = True
            for rng in self.ranges:
                others = [c.name for c in self.choices if c.name != rng]
                hi = self.limits.get(self.key(values, others), {}).get(rng)
                if hi is not None and int(values[rng]) > hi:
                    ok = False
            if ok:
                out.append(values)
        return out

    def check_complete(self) -> None:
        names = [c.name for c in self.choices]
        lost = [self.key(v, names) for v in self.combinations() if self.key(v, names) not in self.states]
        if lost:
            raise ValueError(f"{self.kind}: no precomputed state for {lost[:3]} (+{max(0, len(lost) - 3)})")

    # ----------------------------------------------------------------------- HTML
    def _initial(self) -> dict[str, str]:
        return {c.name: c.value for c in self.choices}

    def _choice_html(self, c: Choice, uid: str) -> str:
        cid = f"{uid}-{c.name}"
        if c.kind == "checkbox":
            checked = " checked" if c.value == "true" else ""
            return (f'<label class="ew-ctl ew-check" for="{cid}"><input type="checkbox" id="{cid}" '
                    f'data-ew-key="{escape(c.name)}"{checked}> {escape(c.label)}</label>')
        if c.kind == "range":
            nums = [int(v) for v in c.values]
            return (f'<label class="ew-ctl ew-range" for="{cid}"><span class="ew-label">{escape(c.label)}</span>'
                    f'<input type="range" id="{cid}" data-ew-key="{escape(c.name)}" min="{min(nums)}" '
                    f'max="{max(nums)}" step="1" value="{escape(c.value)}">'
                    f'<output for="{cid}" data-ew-out="{escape(c.name)}">{escape(c.value)}</output></label>')
        labels = c.labels or c.values
        opts = "".join(f'<option value="{escape(v)}"{" selected" if v == c.value else ""}>{escape(lab)}</option>'
                       for v, lab in zip(c.values, labels))
        return (f'<label class="ew-ctl" for="{cid}"><span class="ew-label">{escape(c.label)}</span>'
                f'<select id="{cid}" data-ew-key="{escape(c.name)}">{opts}</select></label>')

    def _fixed_html(self, f: Fixed, uid: str) -> str:
        fid = f"{uid}-{f.name}"
        common = f'id="{fid}" disabled title="{LIVE_NOTE}" data-ew-show="{escape(f.name)}"'
        if f.kind == "checkbox":
            checked = " checked" if f.value == "true" else ""
            return (f'<label class="ew-ctl ew-check" for="{fid}"><input type="checkbox" {common}{checked}> '
                    f'{escape(f.label)}</label>')
        if f.kind == "range":
            return (f'<label class="ew-ctl ew-range" for="{fid}"><span class="ew-label">{escape(f.label)}</span>'
                    f'<input type="range" {common} min="{f.lo:g}" max="{f.hi:g}" step="{f.step:g}" '
                    f'value="{escape(f.value)}"><output for="{fid}" data-ew-out="{escape(f.name)}">'
                    f"{escape(f.value)}</output></label>")
        return (f'<label class="ew-ctl ew-text" for="{fid}"><span class="ew-label">{escape(f.label)}</span>'
                f'<input type="text" {common} value="{escape(f.value)}" size="{max(8, min(40, len(f.value) + 2))}">'
                "</label>")

    def html(self) -> str:
        self.check_complete()
        names = [c.name for c in self.choices]
        init = self.key(self._initial(), names)
        if init not in self.states:
            raise ValueError(f"{self.kind}: the initial controls {init!r} have no state")
        digest = hashlib.sha1(json.dumps([self.kind, self.parts, sorted(self.states)]).encode())
        uid = f"ew-{self.kind}-{digest.hexdigest()[:10]}"
        launch = launch_url() if self.launch is None else self.launch
        controls = "".join(self._choice_html(c, uid) for c in self.choices)
        if self.play:
            controls += (f'<span class="ew-ctl ew-buttons"><button type="button" class="ew-btn" data-ew-step="-1" '
                         f'aria-label="previous step">&#9664; step</button>'
                         f'<button type="button" class="ew-btn" data-ew-play="{escape(self.play)}" '
                         f'aria-pressed="false">&#9654; play</button>'
                         f'<button type="button" class="ew-btn" data-ew-step="1" aria-label="next step">'
                         f"step &#9654;</button></span>")
        fixed = ""
        if self.fixed:
            link = (f' (<a class="ew-launch" href="{escape(launch)}" target="_blank" rel="noopener">'
                    "launch a live notebook</a>)") if launch else ""
            fixed = (f'<fieldset class="ew-live"><legend>Greyed out: {LIVE_NOTE}{link}</legend>'
                     + "".join(self._fixed_html(f, uid) for f in self.fixed) + "</fieldset>")
        state = self.states[init]
        body = []
        for slot, css in self.slots:
            if slot in self.stacks:  # drawn inside its base slot's stack
                continue
            inner = self._slot_html(slot, css, state)
            overlays = [o for o, base in self.stacks.items() if base == slot]
            if overlays:
                inner = ('<div class="ew-stack">' + inner
                         + "".join(self._slot_html(o, "ew-overlay", state) for o in overlays) + "</div>")
            body.append(inner)
        slot_names = [name for name, _ in self.slots]
        # compact: a state is the part number of every slot (in slot order), then its "show" index
        states = {k: [st["slots"].get(n, -1) for n in slot_names] + ([st["show"]] if "show" in st else [])
                  for k, st in self.states.items()}
        data = {"kind": self.kind, "slots": slot_names, "parts": self.parts, "states": states,
                "shows": self.shows, "limits": self.limits, "ranges": self.ranges, "play": self.play,
                "initial": init}
        return (f"<style>{asset('static.css')}</style>"
                f'<div class="ecsbook-widget" id="{uid}" data-ew-kind="{escape(self.kind)}" '
                f'data-ew-state="{escape(init)}" role="group" aria-label="{escape(self.title)}">'
                f'<script type="application/json" class="ew-data">{safe_json(data)}</script>'
                f'<div class="ew-controls">{controls}</div>{fixed}'
                f'<div class="ew-body ew-pic {escape(self.body_class)}">{"".join(body)}</div>'
                f"<script>{asset('static.js')}</script></div>")

    def _slot_html(self, slot: str, css: str, state: Mapping[str, Any]) -> str:
        pid = state["slots"].get(slot, -1)
        live = ' aria-live="polite"' if "ew-caption" in css else ""
        return (f'<div class="ew-slot {escape(css)}" data-ew-slot="{escape(slot)}" data-ew-part="{pid}"{live}>'
                f"{self.parts[pid] if pid >= 0 else ''}</div>")


def compose(slots: Sequence[tuple[str, str]], html: Mapping[str, str],
            stacks: Mapping[str, str] | None = None, body_class: str = "") -> str:
    """The same slot structure as a static block's, filled once (the live widget's picture)."""
    stacks = stacks or {}
    out = []
    for slot, css in slots:
        if slot in stacks:
            continue
        inner = f'<div class="ew-slot {escape(css)}" data-ew-slot="{escape(slot)}">{html.get(slot, "")}</div>'
        overlays = [o for o, base in stacks.items() if base == slot]
        if overlays:
            inner = ('<div class="ew-stack">' + inner + "".join(
                f'<div class="ew-slot ew-overlay" data-ew-slot="{escape(o)}">{html.get(o, "")}</div>'
                for o in overlays) + "</div>")
        out.append(inner)
    return f'<div class="ew-body ew-pic {escape(body_class)}">{"".join(out)}</div>'
