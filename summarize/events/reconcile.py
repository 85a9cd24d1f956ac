"""Reconciling tolls: the figures of one event's reports, side by side, per outcome.

Which figures are the event's toll: in each report, the figures of its lead (the title
and first sentences, where a report gives its toll), except a part of the toll ("68
children were among the 126 killed", "including 11 children"), a superseded toll ("a
previous toll of 112") and a war-long total ("since 2011", "in the war", 5,000 and
more). Each report gives one reading per source: its first toll figure (a report leads
with its toll), or a later one that updates it ("the toll rose to 126"); when a report's
lead gives none, its first such figure stands in.

Per outcome, over the readings of every report of the event:
- ``low`` and ``high``: the lowest and highest reading;
- ``sources``: how many independent sources give them, counted by who states the figure
  (``stated_by``), not by outlet: four outlets quoting the Syrian Observatory are one
  source; a figure an outlet states on its own authority counts for that outlet;
- ``agreement``: ``single`` (one source, its readings overlap), ``agree`` (several
  sources whose ranges overlap) or ``conflict`` (ranges that do not overlap);
- ``conservative``: ACLED's rule, the lowest credible figure reported: each source's
  latest reading (the highest when it gave several), then the lowest of those. Always one reported figure, never a
  sum across sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from summarize.events.profile import outlet_of
from summarize.records import Record
from summarize.schema import CasualtyFigure, Outcome

Role = Literal["toll", "part", "earlier", "total", "other"]
Agreement = Literal["single", "agree", "conflict"]

#: A figure this large is a war-long or countrywide total, not one event's toll.
TOTAL_AT_LEAST = 5000

_PART_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:were|was|are|is)\s+among\b|^[^.;,]{0,25}?\bamong\s+(?:the|those)\b"
                         r"|^\s+of\s+(?:the\s+)?(?:dead|those killed|victims|whom)\b", re.IGNORECASE)
_PART_BEFORE = re.compile(r"\b(?:including|among them|among whom|of whom|of them|among the dead|among the victims"
                          r"|among those)\s+(?:at least\s+|some\s+|about\s+)?$", re.IGNORECASE)
_EARLIER_BEFORE = re.compile(r"\b(?:previous|earlier|initial|prior|first)\s+(?:death\s+)?(?:toll|count|figure)"
                             r"\s+(?:of|was|stood at|had been)\s+(?:at least\s+)?$|\bup from\s+$|\bfrom\s+an?\s+"
                             r"(?:earlier|previous)\s+(?:toll\s+)?(?:of\s+)?$", re.IGNORECASE)
#: After a figure: it counts more than one event ("... since the war began").
_TOTAL_AFTER = re.compile(r"^[^.;]{0,80}?(?:\bsince\s+(?:the\s+)?(?:start|beginning|outbreak|onset|war|conflict"
                          r"|uprising|revolution|crisis)\b|\bsince\s+(?:march\s+)?(?:19|20)\d\d\b"
                          r"|\b(?:war|conflict|crisis|uprising)\s+(?:began|erupted|started|broke out)\b"
                          r"|\bso far this (?:year|month)\b|\bin (?:recent|the past|the last) (?:weeks|months|years)\b)",
                          re.IGNORECASE)
#: Before a figure: it updates an earlier toll ("the toll rose to 126").
_UPDATE_BEFORE = re.compile(r"\b(?:rose|risen|rises|climbed|increased|jumped|reached|updated|hit)\s+(?:to\s+)?"
                            r"(?:at least\s+)?$", re.IGNORECASE)
#: Victims that are usually part of a larger toll the report also gives.
_PART_VICTIMS = re.compile(r"\b(?:children|child|kids|women|minors|students|schoolchildren|girls|boys)\b",
                           re.IGNORECASE)
_SOURCE_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), name) for p, name in (
    (r"observatory|\bsohr\b|\bmonitor(?:ing)?(?: group)?\b|rami abdel? rahman", "Syrian Observatory for Human Rights"),
    (r"\bsana\b|\bstate[- ](?:run\s+)?(?:news|media|tv|television|agency|broadcaster)|\bofficial (?:news|tv|television"
     r"|agency|media)|syrian (?:arab )?news agency|ikhbariya|syrian (?:state )?television", "Syrian state media"),
    (r"civil defen[cs]e|white helmets", "Syrian Civil Defence"),
    (r"russian (?:defen[cs]e|military)|russia's defen[cs]e|defen[cs]e ministry of russia|russian reconciliation",
     "Russian Defence Ministry"),
    (r"\bunicef\b", "UNICEF"),
    (r"red crescent", "Syrian Arab Red Crescent"),
    (r"syrian network for human rights|\bsnhr\b", "Syrian Network for Human Rights"),
    (r"local coordination committees|\blccs?\b", "Local Coordination Committees"),
    (r"\bamaq\b", "Amaq"),
    (r"world health organi[sz]ation|\bwho\b", "WHO"),
))


@lru_cache(maxsize=1 << 14)
def source_of(stated_by: str | None, outlet: str) -> tuple[str, str]:
    """``(key, label)`` of who states a figure: known sources by their aliases; the
    outlet itself (stated_by naming it, empty, or "the outlet") per outlet; anyone else
    by name, case and articles aside."""
    said = (stated_by or "").strip()
    plain = re.sub(r"^(?:the|a|an)\s+", "", said.lower()).strip(" .,")
    if not plain or plain in ("outlet", "the outlet", outlet.lower()) or plain == re.sub(r"\W", "", outlet.lower()):
        return f"outlet:{outlet}", outlet
    for pattern, name in _SOURCE_ALIASES:
        if pattern.search(said):
            return name.lower(), name
    return plain, said


@dataclass(frozen=True)
class Figure:
    """One casualty figure of one report, as an event shows it."""

    record: str
    outlet: str
    index: int
    figure: CasualtyFigure
    source: str
    source_label: str
    role: Role
    why: str

    @property
    def value(self) -> int | None:
        """The figure's conservative reading: its lower bound, else its upper one."""
        return self.figure.low if self.figure.low is not None else self.figure.high

    @property
    def top(self) -> int | None:
        """The figure's upper bound (None: open-ended), else its lower one."""
        return self.figure.high if self.figure.high is not None or self.figure.low is None else None

    def as_json(self) -> dict:
        """The figure in the events JSON (the contract's keys, then role and why)."""
        f = self.figure
        return {"record": self.record, "outlet": self.outlet, "stated_by": f.stated_by,
                "quantity_text": f.quantity_text, "outcome": f.outcome.value,
                "victim_category": f.victim_category.value, "low": f.low, "high": f.high,
                "span": f.span.model_dump(mode="json") if f.span else None,
                "source": self.source_label, "role": self.role, "why": self.why, "index": self.index}


_TOTAL_HINTS = ("since", "began", "erupted", "started", "broke out", "so far", "recent", "the past", "the last")


def _has(text: str, words: tuple[str, ...]) -> bool:
    """A quick test before a regular expression: any of ``words`` in ``text``."""
    return any(word in text for word in words)


def _role(figure: CasualtyFigure, lead_end: int) -> tuple[Role, str]:
    quote = figure.quote or ""
    at = quote.find(figure.quantity_text) if figure.quantity_text else -1
    before, after = (quote[max(0, at - 80):at], quote[at + len(figure.quantity_text):][:120]) if at >= 0 else ("", "")
    biggest = max(v for v in (figure.low, figure.high, 0) if v is not None)
    low_before, low_after = before.lower(), after.lower()
    if biggest >= TOTAL_AT_LEAST or (_has(low_after, _TOTAL_HINTS) and _TOTAL_AFTER.search(after)):
        return "total", "a war-long or countrywide total"
    if _has(low_before, ("toll", "count", "figure", "from")) and _EARLIER_BEFORE.search(before):
        return "earlier", "a superseded earlier toll"
    if (_has(low_before, ("includ", "among", " of ")) and _PART_BEFORE.search(before)) or (
            _has(low_after, ("among", " of ")) and _PART_AFTER.search(after)):
        return "part", "part of a larger toll"
    if figure.span is not None and figure.span.start < lead_end:
        return "toll", "in the report's lead"
    return "other", "after the lead"


def record_figures(record: Record, lead_end: int) -> list[Figure]:
    """Every casualty figure of ``record`` with its role in the event's toll."""
    if record.summary is None:
        return []
    outlet = outlet_of(record)
    figures: list[Figure] = []
    for index, figure in enumerate(record.summary.casualties):
        key, label = source_of(figure.stated_by, outlet)
        role, why = _role(figure, lead_end)
        figures.append(Figure(record.id, outlet, index, figure, key, label, role, why))
    for position, f in enumerate(figures):
        larger = any(o.figure.outcome == f.figure.outcome and o.role == "toll" and (o.value or 0) > (f.value or 0)
                     for o in figures)
        if f.role == "toll" and larger and _PART_VICTIMS.search(f.figure.victims or ""):
            figures[position] = _with_role(f, "part", f"{f.figure.victims}: part of a larger toll the report gives")
    for outcome in {f.figure.outcome for f in figures}:
        mine = [f for f in figures if f.figure.outcome == outcome]
        if not any(f.role == "toll" for f in mine):
            first = next((f for f in mine if f.role == "other"), None)
            if first is not None:
                figures[figures.index(first)] = _with_role(
                    first, "toll", "the report's first figure of this outcome (none in its lead)")
    return figures


def _with_role(f: Figure, role: Role, why: str) -> Figure:
    return Figure(f.record, f.outlet, f.index, f.figure, f.source, f.source_label, role, why)


def _updates(f: Figure) -> bool:
    quote, text = f.figure.quote or "", f.figure.quantity_text or ""
    at = quote.find(text) if text else -1
    return at >= 0 and bool(_UPDATE_BEFORE.search(quote[:at]))


def readings(figures: list[Figure], outcome: Outcome) -> list[Figure]:
    """The toll readings of one report for ``outcome``: one per source, its first toll
    figure (a report leads with its toll), or the last one that updates it ("rose to")."""
    chosen: dict[str, Figure] = {}
    for f in sorted(figures, key=lambda f: (f.figure.span.start if f.figure.span else 10**9, f.index)):
        if f.role != "toll" or f.figure.outcome != outcome or f.value is None:
            continue
        if f.source not in chosen or _updates(f):
            chosen[f.source] = f
    return sorted(chosen.values(), key=lambda f: (f.value, f.index))  # type: ignore[arg-type, return-value]


@dataclass(frozen=True)
class Reconciliation:
    """The tolls of one outcome across an event's reports (see the module docstring)."""

    low: int | None
    high: int | None
    conservative: int | None
    sources: int
    agreement: Agreement | None
    readings: tuple[Figure, ...] = ()
    conservative_from: Figure | None = None

    def as_json(self) -> dict:
        """The contract's keys, then which figure the conservative one is and the readings."""
        pick = self.conservative_from
        return {"low": self.low, "high": self.high, "conservative": self.conservative, "sources": self.sources,
                "agreement": self.agreement,
                "conservative_from": None if pick is None else {"record": pick.record, "outlet": pick.outlet,
                                                                "stated_by": pick.figure.stated_by,
                                                                "quantity_text": pick.figure.quantity_text},
                "readings": [{"record": f.record, "outlet": f.outlet, "source": f.source_label,
                              "quantity_text": f.figure.quantity_text, "low": f.figure.low, "high": f.figure.high}
                             for f in self.readings]}


NO_FIGURES = Reconciliation(None, None, None, 0, None)


def reconcile(found: list[Figure]) -> Reconciliation:
    """Reconcile the readings ``found`` (every report's, one outcome)."""
    found = [f for f in found if f.value is not None]
    if not found:
        return NO_FIGURES
    lows = [f.value for f in found]
    tops = [f.top for f in found]
    overlap = max(lows) <= min((t for t in tops if t is not None), default=max(lows))  # type: ignore[type-var]
    sources = {f.source for f in found}
    latest: dict[str, Figure] = {}
    for f in found:
        kept = latest.get(f.source)
        if kept is None or f.value > kept.value:  # type: ignore[operator]
            latest[f.source] = f
    pick = min(latest.values(), key=lambda f: (f.value, f.record, f.index))
    agreement: Agreement = "conflict" if not overlap else ("single" if len(sources) == 1 else "agree")
    high_values = [t if t is not None else f.value for f, t in zip(found, tops, strict=True)]
    return Reconciliation(low=min(lows), high=max(high_values), conservative=pick.value,  # type: ignore[type-var]
                          sources=len(sources), agreement=agreement,
                          readings=tuple(sorted(found, key=lambda f: (f.value, f.record, f.index))),
                          conservative_from=pick)
