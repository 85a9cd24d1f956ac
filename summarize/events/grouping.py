"""``group_events(records)``: the events a batch of records reports, across outlets.

Records stream in; each leaves behind only what the events need (its profile, figures,
claims and loaded terms, not its text), so memory grows with the number of records, not
with their pairs. Every record ends up in exactly one event: one that no other report
matches is an event of one.
"""

from __future__ import annotations

import gc
import json
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from pydantic import TypeAdapter

from summarize.events.clustering import cluster
from summarize.events.linking import Candidate, Link
from summarize.places import DEPTH, Place, gazetteer
from summarize.events.profile import Profile, profile
from summarize.events.reconcile import (NO_FIGURES, Figure, Reconciliation, readings, reconcile, record_figures,
                                        source_of)
from summarize.events.wording import Vocabulary
from summarize.records import Record
from summarize.schema import AttributedClaim, Outcome

#: The outcomes the JSON always carries, in this order; others appear when reported.
MAIN_OUTCOMES = (Outcome.killed, Outcome.wounded)


_CLAIMS = TypeAdapter(list[AttributedClaim])


def claim_json(record: str, outlet: str, index: int, claim: dict) -> dict:
    """One attributed claim of one report (as a record's JSON has it), as the events JSON has it."""
    return {"record": record, "outlet": outlet, "index": index, "source": claim["source"],
            "source_type": claim["source_type"], "cue": claim["cue"], "claim": claim["claim"],
            "quote": claim["quote"], "span": claim.get("span")}


@dataclass
class Report:
    """What an event keeps of one record: its profile, its figures without their quotes,
    its claims as one compressed JSON string (read again only to write them) and the
    loaded terms it uses; no Record, so that a large batch's reports stay small."""

    profile: Profile
    title: str | None
    status: str
    figures: list[Figure]
    packed_claims: bytes = b""
    terms: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.profile.record_id

    @property
    def claims(self) -> list[dict]:
        """The report's attributed claims, as the record's JSON has them."""
        return json.loads(zlib.decompress(self.packed_claims)) if self.packed_claims else []


@dataclass
class EventGroup:
    """One event and the reports of it (see docs/events.md)."""

    id: str
    reports: list[Report]
    links: list[Link]
    date: date | None
    dates: tuple[date, date] | None
    place: Place | None
    location: str | None
    admin1: str | None
    event_type: str | None
    actors: list[str]
    figures: list[Figure]
    tolls: dict[Outcome, Reconciliation] = field(default_factory=dict)

    @property
    def records(self) -> list[str]:
        """Ids of the records in this event."""
        return [r.id for r in self.reports]

    @property
    def outlets(self) -> list[str]:
        """Outlets reporting the event, in order of first report."""
        return list(dict.fromkeys(r.profile.outlet for r in self.reports))

    @property
    def killed(self) -> Reconciliation:
        return self.tolls.get(Outcome.killed, NO_FIGURES)

    @property
    def wounded(self) -> Reconciliation:
        return self.tolls.get(Outcome.wounded, NO_FIGURES)

    def claims_by_source(self) -> list[dict]:
        """Claims grouped by who makes them (sources as for figures), largest group first."""
        groups: dict[str, dict] = {}
        for report in self.reports:
            for index, claim in enumerate(report.claims):
                key, label = source_of(claim["source"], report.profile.outlet)
                group = groups.setdefault(key, {"source": label, "outlets": [], "claims": []})
                if report.profile.outlet not in group["outlets"]:
                    group["outlets"].append(report.profile.outlet)
                group["claims"].append(claim_json(report.id, report.profile.outlet, index, claim))
        return sorted(groups.values(), key=lambda g: (-len(g["claims"]), g["source"].lower()))

    def framing(self) -> dict[str, list[str]]:
        """The loaded terms each outlet uses, lower-cased, in order of first use."""
        out: dict[str, list[str]] = {}
        for report in self.reports:
            terms = out.setdefault(report.profile.outlet, [])
            for term in report.terms:
                if term not in terms:
                    terms.append(term)
        return out

    def as_json(self) -> dict:
        """The event as the ``summarize-events`` JSON contract has it."""
        data = {
            "id": self.id,
            "records": self.records,
            "outlets": self.outlets,
            "date": self.date.isoformat() if self.date else None,
            "dates": [d.isoformat() for d in self.dates] if self.dates else None,
            "location": self.location,
            "admin1": self.admin1,
            "event_type": self.event_type,
            "actors": self.actors,
            "figures": [f.as_json() for f in self.figures],
            "killed": self.killed.as_json(),
            "wounded": self.wounded.as_json(),
            "tolls": {o.value: r.as_json() for o, r in self.tolls.items() if o not in MAIN_OUTCOMES},
            "claims": self.claims_by_source(),
            "framing": self.framing(),
            "links": [link.as_json() for link in self.links],
            "reports": [_report_json(r) for r in self.reports],
        }
        return data


def _report_json(report: Report) -> dict:
    p = report.profile
    return {"record": p.record_id, "outlet": p.outlet, "title": report.title, "status": report.status,
            "date": p.date.isoformat() if p.date else None, "date_how": p.date_how,
            "place": p.place_name, "place_how": p.place_how,
            "kinds": sorted(k.value for k in p.kinds)}


def report_of(record: Record, *, use_published: bool = True) -> Report:
    """What an event keeps of ``record``."""
    prof = profile(record, use_published=use_published)
    summary = record.summary
    if summary is None:
        return Report(prof, record.article.title, record.status, [])
    figures = record_figures(record, prof.lead_end, prof.date, prof.place)
    return Report(prof, record.article.title, record.status, figures,
                  zlib.compress(_CLAIMS.dump_json(summary.claims), 1) if summary.claims else b"",
                  tuple(dict.fromkeys(term.term.lower() for term in summary.loaded_terms)))


def _killed_tolls(report: Report) -> tuple[int, ...]:
    return tuple(sorted({f.value for f in readings(report.figures, Outcome.killed) if f.value is not None}))


def _most_common(values: Iterable) -> object:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], str(v)))


def _event_day(profiles: list[Profile]) -> date | None:
    """The event's day: the day most reports give among those every report allows (each
    report dates it between the day it names and its own day), else the day most give."""
    days = [p.date for p in profiles if p.date is not None]
    spans = [(min(d for d in (p.date, p.anchor) if d), max(d for d in (p.date, p.anchor) if d))
             for p in profiles if p.date is not None or p.anchor is not None]
    if spans:
        low, high = max(s[0] for s in spans), min(s[1] for s in spans)
        allowed = [d for d in days + [p.anchor for p in profiles if p.anchor] if low <= d <= high]
        if allowed:
            return _most_common(allowed)  # type: ignore[return-value]
    return _most_common(days)  # type: ignore[return-value]


def _common_place(places: list[Place]) -> Place | None:
    """The finest place every report's place lies in or contains (the finest shared)."""
    if not places:
        return None
    finest = max(places, key=lambda p: DEPTH[p.level])
    if all(finest.within(p) for p in places):
        return finest
    govs = Counter(p.governorate for p in places)
    return Place(min(govs, key=lambda g: (-govs[g], g)))


def build_group(number: int, reports: list[Report], links: list[Link]) -> EventGroup:
    """An EventGroup from its reports (in record order) and the links that joined them."""
    gaz = gazetteer()
    profiles = [r.profile for r in reports]
    days = [p.date for p in profiles if p.date is not None]
    place = _common_place([p.place for p in profiles if p.place is not None])
    kinds = _most_common(k.value for p in profiles for k in sorted(p.kinds))
    actors = list(dict.fromkeys(a for p in profiles for a in p.actors))[:6]
    figures = [f for r in reports for f in r.figures]
    tolls: dict[Outcome, Reconciliation] = {}
    reported = {f.figure.outcome for f in figures}
    for outcome in Outcome:
        found = [f for r in reports for f in readings(r.figures, outcome)] if outcome in reported else []
        if found or outcome in MAIN_OUTCOMES:
            tolls[outcome] = reconcile(found)
    return EventGroup(
        id=f"E{number:04d}",
        reports=reports,
        links=links,
        date=_event_day(profiles),
        dates=(min(days), max(days)) if days else None,
        place=place,
        location=gaz.label(place) if place else None,
        admin1=gaz.governorate_name(place.governorate) if place else None,
        event_type=kinds,  # type: ignore[arg-type]
        actors=actors,
        figures=figures,
        tolls=tolls,
    )


def group_events(records: Iterable[Record], *, window_days: int = 1, use_published: bool = True) -> list[EventGroup]:
    """The events ``records`` report, each with its reports, figures, reconciled tolls,
    claims by source, framing by outlet and the links that joined its reports.

    ``window_days``: how many days apart two reports of one event may date it.
    ``use_published=False`` ignores the articles' ``published`` field (their datelines
    stand in). Deterministic: the same records give the same events, in the order of
    their dates, then governorates, then first record id.
    """
    return group_reports((report_of(record, use_published=use_published) for record in records),
                         window_days=window_days)


def group_reports(reports_in: Iterable[Report], *, window_days: int = 1) -> list[EventGroup]:
    """``group_events`` for records already reduced to reports (``report_of``), as
    :func:`summarize.events.output.iter_reports` reads them, by several processes."""
    vocabulary = Vocabulary()
    with _without_cyclic_gc():
        reports = []
        for report in reports_in:
            reports.append(report)
            vocabulary.add(report.profile.words)
        items = [Candidate(r.profile, _killed_tolls(r), r.profile.words) for r in reports]
        clusters, joined = cluster(items, window=window_days, vocabulary=vocabulary)
        order = sorted(range(len(clusters)), key=lambda k: _sort_key([reports[i] for i in clusters[k]]))
        return [build_group(n, [reports[i] for i in clusters[k]], joined[k]) for n, k in enumerate(order, start=1)]


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the reports pile up: what each record
    leaves behind holds no reference cycle (reference counting frees the rest), and each
    pass of the collector would walk every report kept so far, which makes a large batch
    quadratic. The collector's previous state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _sort_key(reports: list[Report]) -> tuple:
    days = sorted(r.profile.date for r in reports if r.profile.date is not None)
    govs = sorted(r.profile.place.governorate for r in reports if r.profile.place is not None)
    return (days[0].isoformat() if days else "9999", govs[0] if govs else "~", reports[0].id)
