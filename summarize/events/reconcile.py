"""Reconciling tolls: the figures of one event's reports, side by side, per outcome.

Which figures are the event's toll: in each report, the figures of its lead (the title
and first sentences, where a report gives its toll), except a part of the toll ("68
children were among the 126 killed", "including 11 children"), a superseded toll ("a
previous toll of 112"), a war-long total ("since 2011", "in the war", 5,000 and more)
the toll of an earlier event told as background ("an earlier attack ... in July left
270 dead", "a similar bombing", a day named more than a week before the event's) and the
toll of another governorate ("at least eight people killed in shelling on Douma outside
Damascus" in a report of an Aleppo school). Each
report gives one reading per source: its first toll figure (a report leads with its
toll), or a later one that updates it ("the toll rose to 126"); when a report's lead
gives none, its first such figure stands in. A vague word ("many", "dozens") gives a
reading of a report only when that report gives no number for the outcome; across the
event's reports it counts for agreement ("dozens" and "at least eight" are a dispute)
but gives the toll's low, high and conservative figure only when no report gives a
number (it stays among the event's figures).

Per outcome, over the readings of every report of the event:
- ``low`` and ``high``: the lowest and highest reading;
- ``sources``: how many independent sources give them, counted by who states the figure
  (``stated_by``), not by outlet: four outlets quoting the Syrian Observatory are one
  source; a figure an outlet states on its own authority counts for that outlet;
- ``agreement``: ``single`` (one source, its readings agree), ``agree`` (several
  sources whose readings agree) or ``conflict`` (readings no one count satisfies).
  Readings agree when some count lies in all of them (``Figure.counts``): a number,
  "at least N" and "more than N" state one count (N: "at least 30" and 34 are two
  counts, a dispute), "about N" the counts within a tenth of N, a range its ends, a vague
  word every count from its reading up;
- ``low``, ``high`` and ``conservative`` are read from the numbers when any report gives
  one (a vague word is no figure of the toll then);
- ``conservative``: ACLED's rule, the lowest credible figure reported: each source's
  latest reading (the highest when it gave several), then the lowest of those. Always one reported figure, never a
  sum across sources.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from summarize.events.profile import AREA_OF, areas_where, outlet_of
from summarize.places import Place, gazetteer
from summarize.records import Record
from summarize.schema import CasualtyFigure, Outcome, QuantityType, VictimCategory

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
#: Known sources by their aliases, tried in order: named bodies first, then the
#: Observatory (which most outlets call "a monitoring group" without naming it); state
#: media are Syrian unless another country's are named ("Russian state media" is not
#: SANA). Case-insensitive
#: except "WHO" (the pronoun in "activists who spoke to Reuters" is no source).
_SOURCE_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, flags), name) for p, flags, name in (
    (r"syrian network for human rights|\bsnhr\b", re.IGNORECASE, "Syrian Network for Human Rights"),
    (r"violations documentation cent(?:er|re)|\bvdc\b", re.IGNORECASE, "Violations Documentation Center"),
    (r"local coordination committees|\blccs?\b", re.IGNORECASE, "Local Coordination Committees"),
    (r"civil defen[cs]e|white helmets", re.IGNORECASE, "Syrian Civil Defence"),
    (r"red crescent", re.IGNORECASE, "Syrian Arab Red Crescent"),
    (r"\bunicef\b", re.IGNORECASE, "UNICEF"),
    (r"world health organi[sz]ation", re.IGNORECASE, "WHO"),
    (r"\bWHO\b", 0, "WHO"),
    (r"russian (?:defen[cs]e|military)|russia's defen[cs]e|defen[cs]e ministry of russia|russian reconciliation",
     re.IGNORECASE, "Russian Defence Ministry"),
    (r"\bamaq\b", re.IGNORECASE, "Amaq"),
    (r"\banadolu\b", re.IGNORECASE, "Anadolu Agency"),
    (r"observatory|\bsohr\b|\babd[eu]l?[- ]?rahman\b", re.IGNORECASE, "Syrian Observatory for Human Rights"),
    (r"\bsana\b|syrian (?:arab )?news agency|ikhbariya|(?:state[- ](?:run\s+)?|official\s+)(?:news|media|tv"
     r"|television|agency|broadcaster)\b|syrian (?:state )?(?:television|tv)\b", re.IGNORECASE, "Syrian state media"),
    (r"\bmonitor(?:ing)?(?: group)?\b", re.IGNORECASE, "Syrian Observatory for Human Rights"),
))

#: Another country's state media ("Russian state media", "Iranian state television").
_FOREIGN = re.compile(r"\b(?:russia|iran|turk|israel|iraq|leban|jordan|saudi|qatar|egypt|chin|americ|u\.?s\b"
                      r"|british|french|german|emirat|kurd)", re.IGNORECASE)
_SYRIAN = re.compile(r"\bsyria|\bsana\b|ikhbariya", re.IGNORECASE)


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
            if name == "Syrian state media" and _FOREIGN.search(said) and not _SYRIAN.search(said):
                continue  # "Russian state media", "Turkey's official news agency"
            return name.lower(), name
    return plain, said


@dataclass(frozen=True, slots=True)
class Where:
    """A figure's span in its article: offsets, how its quote matched, and the score."""

    start: int
    end: int
    match: str
    score: float

    def as_json(self) -> dict:
        """The span as a record has it."""
        return {"start": self.start, "end": self.end, "match": self.match, "score": self.score}


@dataclass(frozen=True, slots=True)
class Stated:
    """What a report states of one casualty figure, as an event keeps it: the record's
    CasualtyFigure without its quote (the reports of a large batch stay small)."""

    quantity_text: str
    outcome: Outcome
    victims: str
    victim_category: VictimCategory
    quantity_type: QuantityType
    low: int | None
    high: int | None
    stated_by: str | None
    span: Where | None

    @classmethod
    def of(cls, figure: CasualtyFigure) -> Stated:
        """The part of ``figure`` an event keeps."""
        span = figure.span
        return cls(figure.quantity_text, figure.outcome, figure.victims, figure.victim_category,
                   figure.quantity_type, figure.low, figure.high, figure.stated_by,
                   Where(span.start, span.end, span.match.value, span.score) if span is not None else None)


@dataclass(frozen=True, slots=True)
class Figure:
    """One casualty figure of one report, as an event shows it; ``updates``: its sentence
    says a toll rose to it ("the toll rose to 126")."""

    record: str
    outlet: str
    index: int
    figure: Stated
    source: str
    source_label: str
    role: Role
    why: str
    updates: bool = False

    @property
    def value(self) -> int | None:
        """The figure's conservative reading: its lower bound, else its upper one."""
        return self.figure.low if self.figure.low is not None else self.figure.high

    @property
    def counts(self) -> tuple[int, float]:
        """The counts the figure states, as agreement compares them: a number, "at least
        N" and "more than N" state one count (N: the dead counted so far; a higher figure
        elsewhere is another count, a dispute in ACLED's sense); "about N" holds the
        counts within a tenth of N; a range its ends; a vague word ("dozens") every
        count from its reading up; "up to N" every count up to N."""
        f = self.figure
        low, high = f.low, f.high
        kind = f.quantity_type.value
        if kind == "vague":
            return (low or 0), math.inf
        if kind == "approximate" and low is not None:
            spread = max(1, round((high if high is not None else low) * 0.1))
            return max(0, low - spread), (high if high is not None else low) + spread
        if kind == "range":
            return (low or 0), (math.inf if high is None else high)
        if kind == "at_most" or low is None:
            return 0, (math.inf if high is None else high)
        return low, (low if kind in ("exact", "at_least") or high is None else high)

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
                "span": f.span.as_json() if f.span else None,
                "source": self.source_label, "role": self.role, "why": self.why, "index": self.index}


_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"]
#: Words that tell of another, earlier event in a figure's clause ("an earlier attack by IS
#: fighters on Shaer in July left 270 people dead", "a similar bombing last year").
_BACKGROUND = re.compile(
    r"\b(?:an?|the|its)\s+(?:earlier|previous|prior|similar|separate|last)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:attacks?|bombings?|blasts?|strikes?|raids?|massacres?|assaults?|incidents?|explosions?|offensives?)\b"
    r"|\b(?:last|the previous|the preceding)\s+(?:year|month)\b|\bthe (?:year|month) before\b"
    r"|\bearlier (?:this|that) (?:year|month)\b|\b(?:years?|months?) (?:ago|earlier)\b", re.IGNORECASE)
#: A month (with a day or a year) named in a figure's clause: the event it tells of
#: happened then.
_WHEN = re.compile(rf"\b(?:in|on|since|during)\s+(?:early\s+|late\s+|mid-?)?(?:(?P<day1>\d\d?)\s+)?"
                   rf"(?P<month>{'|'.join(_MONTH_NAMES)})\b(?:\s+(?P<day2>\d\d?)\b)?(?:,?\s+(?P<year>(?:19|20)\d\d))?"
                   r"|\bin\s+(?P<only_year>(?:19|20)\d\d)\b", re.IGNORECASE)
#: Words without one of which (or a year) no clause tells of an earlier event: a quick
#: test before the expressions.
_EARLIER_HINTS = ("earlier", "previous", "prior", "similar", "separate", "last", "before", "ago", *_MONTH_NAMES)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: Where a figure's clause ends, for the background test.
_CLAUSE_BREAK = re.compile(r";|:|\.\s|\s(?:while|whereas|but|and a|meanwhile)\s", re.IGNORECASE)
#: A day named in a figure's clause this long before the event's day tells of another event.
BACKGROUND_DAYS = 7

_TOTAL_HINTS = ("since", "began", "erupted", "started", "broke out", "so far", "recent", "the past", "the last")


def _has(text: str, words: tuple[str, ...]) -> bool:
    """A quick test before a regular expression: any of ``words`` in ``text``."""
    for word in words:
        if word in text:
            return True
    return False


def _clause(before: str, after: str) -> tuple[str, str]:
    """The stretch of the figure's own clause around it."""
    cut = list(_CLAUSE_BREAK.finditer(before))
    if cut:
        before = before[cut[-1].end():]
    stop = _CLAUSE_BREAK.search(after)
    return before, (after[:stop.start()] if stop else after)


def _earlier_event(before: str, after: str, day: date | None) -> str | None:
    """Why the figure counts another, earlier event ("an earlier attack ... in July"), or
    None. A month or year is held against ``day``, the event's day (None: not used)."""
    lower = f"{before} {after}".lower()
    if not _has(lower, _EARLIER_HINTS) and not _YEAR.search(lower):
        return None  # a quick test: no word that could tell of another time
    before, after = _clause(before, after)
    text = f"{before} {after}"
    found = _BACKGROUND.search(text)
    if found:
        return f"an earlier event ({found.group(0).strip()!r})"
    if day is None:
        return None
    for match in _WHEN.finditer(text):
        if match["only_year"]:
            if int(match["only_year"]) < day.year:
                return f"an earlier event ({match.group(0).strip()!r})"
            continue
        month = _MONTH_NAMES.index(match["month"].lower()) + 1
        year = int(match["year"]) if match["year"] else day.year
        number = match["day1"] or match["day2"]
        if number is None:
            # a month alone ("in July"): another event unless it is the event's month or the one before
            back = (day.year * 12 + day.month) - (year * 12 + month)
            if back < 0 and not match["year"]:
                back += 12
            if back >= 2:
                return f"an earlier event ({match.group(0).strip()!r})"
            continue
        try:
            when = date(year, month, int(number))
            if not match["year"] and when > day:
                when = date(year - 1, month, int(number))
        except ValueError:
            continue
        if (day - when).days > BACKGROUND_DAYS:
            return f"an earlier event ({match.group(0).strip()!r})"
    return None


def _elsewhere(before: str, after: str, place: Place | None) -> str | None:
    """Why the figure counts deaths in another governorate than the report's ``place``
    ("a child was also among at least eight people killed in government shelling on ...
    Douma outside Damascus" in a report of an Aleppo school), or None. The places its own
    clause says it happened at decide, those after the figure first ("killed in X"); a
    name that may be in the report's governorate is; Damascus and its countryside are
    one area."""
    if place is None:
        return None
    before, after = _clause(before, after)
    named = areas_where(after) or areas_where(before)
    area = AREA_OF.get(place.governorate, place.governorate)
    if not named or any(area in areas for areas in named):
        return None
    gaz = gazetteer()
    return f"another place ({', '.join(sorted({gaz.governorate_name(min(a)) for a in named}))})"


def _context(figure: CasualtyFigure, *, after: int = 120) -> tuple[str, str] | None:
    """The words just before the figure's quantity in its quote and up to ``after``
    characters after it (None: not in it); the places of its clause are read further on
    (``after=400``)."""
    quote = figure.quote or ""
    at = quote.find(figure.quantity_text) if figure.quantity_text else -1
    return (quote[max(0, at - 80):at], quote[at + len(figure.quantity_text):][:after]) if at >= 0 else None


def _role(figure: CasualtyFigure, lead_end: int, day: date | None = None,
          place: Place | None = None) -> tuple[Role, str]:
    context = _context(figure)
    before, after = context or ("", "")
    biggest = max(v for v in (figure.low, figure.high, 0) if v is not None)
    low_before, low_after = before.lower(), after.lower()
    if biggest >= TOTAL_AT_LEAST or (_has(low_after, _TOTAL_HINTS) and _TOTAL_AFTER.search(after)):
        return "total", "a war-long or countrywide total"
    if _has(low_before, ("toll", "count", "figure", "from")) and _EARLIER_BEFORE.search(before):
        return "earlier", "a superseded earlier toll"
    if (_has(low_before, ("includ", "among", " of ")) and _PART_BEFORE.search(before)) or (
            _has(low_after, ("among", " of ")) and _PART_AFTER.search(after)):
        return "part", "part of a larger toll"
    if figure.span is None or figure.span.start >= lead_end:
        return "other", "after the lead"
    earlier = _earlier_event(before, after, day) if context else None
    if earlier is not None:
        return "other", earlier
    wide = _context(figure, after=400) if context and place is not None else None
    elsewhere = _elsewhere(*wide, place) if wide else None
    if elsewhere is not None:
        return "other", elsewhere
    return "toll", "in the report's lead"


def record_figures(record: Record, lead_end: int, day: date | None = None,
                   place: Place | None = None) -> list[Figure]:
    """Every casualty figure of ``record`` with its role in the event's toll; ``day``: the
    event's day, against which a month named beside a figure is held; ``place``: the
    report's place, against which the places a figure's clause names are held."""
    if record.summary is None:
        return []
    outlet = outlet_of(record)
    figures: list[Figure] = []
    for index, figure in enumerate(record.summary.casualties):
        key, label = source_of(figure.stated_by, outlet)
        role, why = _role(figure, lead_end, day, place)
        figures.append(Figure(record.id, outlet, index, Stated.of(figure), key, label, role, why, _updates(figure)))
    for position, f in enumerate(figures):
        larger = any(o.figure.outcome == f.figure.outcome and o.role == "toll" and (o.value or 0) > (f.value or 0)
                     for o in figures)
        if f.role == "toll" and larger and _PART_VICTIMS.search(f.figure.victims or ""):
            figures[position] = _with_role(f, "part", f"{f.figure.victims}: part of a larger toll the report gives")
    for outcome in {f.figure.outcome for f in figures}:
        mine = [f for f in figures if f.figure.outcome == outcome]
        if not any(f.role == "toll" for f in mine):
            later = [f for f in mine if f.role == "other" and f.why == "after the lead"
                     and not _told_earlier(record.summary.casualties[f.index], day, place)]
            # a number before a vague word, as readings() prefers one
            first = next((f for f in later if f.figure.quantity_type.value != "vague"), later[0] if later else None)
            if first is not None:
                figures[figures.index(first)] = _with_role(
                    first, "toll", "the report's first figure of this outcome (none in its lead)")
    return figures


def _told_earlier(figure: CasualtyFigure, day: date | None, place: Place | None) -> bool:
    """Whether a figure after the lead tells of an earlier event or of another place."""
    context = _context(figure)
    if context is None:
        return False
    wide = _context(figure, after=400) if place is not None else None
    return _earlier_event(*context, day) is not None or (wide is not None and _elsewhere(*wide, place) is not None)


def _with_role(f: Figure, role: Role, why: str) -> Figure:
    return Figure(f.record, f.outlet, f.index, f.figure, f.source, f.source_label, role, why, f.updates)


_UPDATE_HINTS = ("rose", "risen", "rises", "climbed", "increased", "jumped", "reached", "updated", "hit")


def _updates(figure: CasualtyFigure) -> bool:
    quote, text = figure.quote or "", figure.quantity_text or ""
    at = quote.find(text) if text else -1
    if at < 0:
        return False
    before = quote[max(0, at - 40):at]
    return _has(before.lower(), _UPDATE_HINTS) and bool(_UPDATE_BEFORE.search(before))


def readings(figures: list[Figure], outcome: Outcome) -> list[Figure]:
    """The toll readings of one report for ``outcome``: one per source, its first toll
    figure (a report leads with its toll), or the last one that updates it ("rose to").
    A vague word ("many", "dozens") gives a reading only when the report gives no number
    for the outcome: beside a number it tells the same deaths loosely."""
    tolls = [f for f in figures if f.role == "toll" and f.figure.outcome == outcome and f.value is not None]
    if any(f.figure.quantity_type.value != "vague" for f in tolls):
        tolls = [f for f in tolls if f.figure.quantity_type.value != "vague"]
    chosen: dict[str, Figure] = {}
    for f in sorted(tolls, key=lambda f: (f.figure.span.start if f.figure.span else 10**9, f.index)):
        if f.source not in chosen or f.updates:
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
    overlap = max(f.counts[0] for f in found) <= min(f.counts[1] for f in found)
    sources = {f.source for f in found}
    read = found
    numbered = [f for f in found if f.figure.quantity_type.value != "vague"]
    if numbered:
        # a report's "many" beside another's 112 tells the deaths loosely: it still says
        # whether the reports agree ("dozens" is not "at least eight"), but it is no figure
        # of the toll (read as 2, it would be the conservative one)
        found = numbered
    lows = [f.value for f in found]
    tops = [f.top for f in found]
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
                          readings=tuple(sorted(read, key=lambda f: (f.value, f.record, f.index))),
                          conservative_from=pick)
