"""Event writers: JSON (the ``summarize-events`` contract), ACLED-style CSV, Markdown.

The HTML page is :mod:`summarize.events.page`. JSON::

    {"format": "summarize-events", "format_version": 1, "window_days", "use_published",
     "gazetteer": {"source", "licence"},
     "events": [{"id", "records", "outlets", "date", "location", "admin1", "event_type",
                 "figures": [{"record", "outlet", "stated_by", "quantity_text", "outcome",
                              "victim_category", "low", "high", "span", ...}],
                 "killed": {"low", "high", "conservative", "sources", "agreement", ...},
                 "wounded": {...}, "claims": [...], "framing": {outlet: [terms]},
                 "links": [{"a", "b", "why"}], ...}]}

The CSV has ACLED's columns where they apply (event_date, event_type, sub_event_type,
actor1, actor2, admin1, location, fatalities = the conservative killed figure, source =
the outlets, notes), one row per event, so it loads where ACLED exports load.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from json.encoder import encode_basestring as _string

from summarize.batch.writers import spreadsheet_safe
from summarize.errors import ConfigError
from summarize.events.grouping import EventGroup
from summarize.events.reconcile import Reconciliation
from summarize.places import gazetteer

FORMAT = "summarize-events"
FORMAT_VERSION = 1
EVENT_FORMATS: tuple[str, ...] = ("json", "csv", "markdown", "html")
_SUFFIXES = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
             ".html": "html", ".htm": "html"}

#: Our event types as ACLED's event type and sub-event type.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "bombing": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "chemical_attack": ("Explosions/Remote violence", "Chemical weapon"),
    "armed_clash": ("Battles", "Armed clash"),
    "territorial_change": ("Battles", "Armed clash"),
    "siege": ("Battles", "Armed clash"),
    "arrest": ("Strategic developments", "Arrests"),
    "evacuation": ("Strategic developments", "Other"),
    "humanitarian": ("Strategic developments", "Other"),
    "ceasefire": ("Strategic developments", "Agreement"),
    "negotiation": ("Strategic developments", "Agreement"),
    "protest": ("Protests", "Peaceful protest"),
    "statement": ("Strategic developments", "Other"),
    "other": ("Strategic developments", "Other"),
}
CSV_COLUMNS = ("event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2",
               "country", "admin1", "location", "latitude", "longitude", "source", "notes", "fatalities")


def event_format_for(output: str | None, requested: str | None) -> str:
    """The format of ``-o OUTPUT`` / ``--format``: the option, else the suffix, else json.
    ConfigError when they contradict each other or the suffix names no events format."""
    named = None
    if output and output != "-":
        name = output.replace("\\", "/").rsplit("/", 1)[-1]
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        named = _SUFFIXES.get(suffix)
        if suffix and named is None and not requested:
            raise ConfigError(f"{output}: cannot tell the events format from {suffix!r}; use .json, .csv, "
                              ".md or .html (or --format)")
    if requested and named and requested != named:
        raise ConfigError(f"-o {output} names a {named} file but --format is {requested}: "
                          "change the suffix or drop --format")
    return requested or named or "json"


def to_json(groups: Sequence[EventGroup], *, window_days: int, use_published: bool) -> str:
    """The events as the ``summarize-events`` JSON document."""
    gaz = gazetteer()
    chunks: list[str] = []
    head = {"format": FORMAT, "format_version": FORMAT_VERSION, "window_days": window_days,
            "use_published": use_published, "gazetteer": {"source": gaz.source, "licence": gaz.licence}}
    chunks.append(indented(head, 0)[:-2])  # "{...}" without its closing "\n}"
    chunks.append(',\n "events": [')
    for n, group in enumerate(groups):
        chunks.append("\n  " if n == 0 else ",\n  ")
        _encode(group.as_json(), 2, chunks)  # one event at a time: its dict is dropped once written
    chunks.append("\n ]\n}\n" if groups else "]\n}\n")
    return "".join(chunks)


def indented(value: object, level: int = 0) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=1)`` writes it, byte for
    byte, at nesting ``level``, about twice as fast: json's C encoder writes no indented
    JSON (Python 3.11), and its Python one yields every piece through generators."""
    chunks: list[str] = []
    _encode(value, level, chunks)
    return "".join(chunks)


_NEWLINES = ["\n" + " " * n for n in range(64)]


def _encode(value: object, level: int, out: list[str]) -> None:
    """Append the indented JSON of ``value`` (see ``indented``) to ``out``."""
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = _newline(level + 1)
        out.append("[")
        separator = inner
        for item in value:
            out.append(separator)
            separator = "," + inner
            if isinstance(item, str):
                out.append(_string(item))
            else:
                _encode(item, level + 1, out)
        out.append(_newline(level) + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = _newline(level + 1)
        out.append("{")
        separator = inner
        for key, item in value.items():
            out.append(separator)
            separator = "," + inner
            out.append(_string(key if isinstance(key, str) else _key(key)))
            out.append(": ")
            if isinstance(item, str):
                out.append(_string(item))
            elif item is None:
                out.append("null")
            else:
                _encode(item, level + 1, out)
        out.append(_newline(level) + "}")
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _newline(level: int) -> str:
    return _NEWLINES[level] if level < len(_NEWLINES) else "\n" + " " * level


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    """A dict key that is no string, as json writes it."""
    if isinstance(key, float):
        return _float(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def toll_text(rec: Reconciliation) -> str:
    """``112–126 (conflict, 2 sources; conservative 112)`` or ``none reported``."""
    if rec.conservative is None:
        return "none reported"
    span = f"{rec.low:,}" if rec.low == rec.high else f"{rec.low:,}–{rec.high:,}"
    sources = f"{rec.sources} source{'s' if rec.sources != 1 else ''}"
    return f"{span} ({rec.agreement}, {sources}; conservative {rec.conservative:,})"


def _notes(group: EventGroup) -> str:
    parts = [f"Reported by {len(group.outlets)} outlet{'s' if len(group.outlets) != 1 else ''} in "
             f"{len(group.records)} article{'s' if len(group.records) != 1 else ''}."]
    for name, rec in (("Killed", group.killed), ("Wounded", group.wounded)):
        if rec.conservative is not None:
            parts.append(f"{name}: {toll_text(rec)}.")
            pick = rec.conservative_from
            if pick is not None:
                parts.append(f"Lowest credible {name.lower()} figure: {pick.figure.quantity_text!r}, "
                             f"{pick.figure.stated_by} via {pick.outlet}.")
    return " ".join(parts)


def to_csv(groups: Sequence[EventGroup]) -> str:
    """One row per event with ACLED's columns where they apply."""
    gaz = gazetteer()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for g in groups:
        kind, sub = ACLED_TYPES.get(g.event_type or "other", ACLED_TYPES["other"])
        point = gaz.point(g.place) if g.place else None
        row = [g.id, g.date.isoformat() if g.date else "", g.date.year if g.date else "", kind, sub,
               g.actors[0] if g.actors else "", g.actors[1] if len(g.actors) > 1 else "", "Syria",
               g.admin1 or "", g.location or "", point[0] if point else "", point[1] if point else "",
               "; ".join(g.outlets), _notes(g),
               g.killed.conservative if g.killed.conservative is not None else 0]
        writer.writerow([spreadsheet_safe(v) for v in row])
    return buffer.getvalue()


_MARKUP = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: object) -> str:
    """``text`` as literal Markdown on one line (markup characters escaped)."""
    return "" if text is None else _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def to_markdown(groups: Sequence[EventGroup]) -> str:
    """A quick look: per event its outlets, tolls, figures, claims and framing."""
    lines = [f"# Events ({len(groups)})", ""]
    for g in groups:
        head = " · ".join(_md(x) for x in (g.id, g.date.isoformat() if g.date else "undated",
                                           g.location or "place unknown", (g.event_type or "").replace("_", " "))
                          if x)
        lines += [f"## {head}", "", f"Outlets: {_md(', '.join(g.outlets))} ({len(g.records)} articles)", "",
                  f"- Killed: {_md(toll_text(g.killed))}", f"- Wounded: {_md(toll_text(g.wounded))}", ""]
        if g.figures:
            lines += ["| Outlet | Record | Figure | Outcome | Stated by | Low–high | Role |", "|---|---|---|---|---|---|---|"]
            for f in g.figures:
                bounds = f"{f.figure.low if f.figure.low is not None else ''}–{f.figure.high if f.figure.high is not None else ''}"
                lines.append("| " + " | ".join(_md(v) for v in (f.outlet, f.record, f.figure.quantity_text,
                                                                 f.figure.outcome.value, f.figure.stated_by,
                                                                 bounds, f.role)) + " |")
            lines.append("")
        claims = g.claims_by_source()
        if claims:
            lines.append("Claims by source:")
            for group in claims:
                lines.append(f"- {_md(group['source'])} ({_md(', '.join(group['outlets']))}): " +
                             "; ".join(_md(c["claim"]) for c in group["claims"][:5]))
            lines.append("")
        framing = {o: t for o, t in g.framing().items() if t}
        if framing:
            lines.append("Framing: " + "; ".join(f"{_md(o)}: {_md(', '.join(t))}" for o, t in framing.items()))
            lines.append("")
        for link in g.links:
            lines.append(f"- linked {_md(link.a)} and {_md(link.b)}: {_md(link.why)}")
        if g.links:
            lines.append("")
    return "\n".join(lines)
