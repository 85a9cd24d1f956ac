"""The events page: one self-contained HTML file for a batch's events.

An index of events (date, place, kind, outlets, killed range and agreement, the
conservative figure), then per event its reconciled tolls, the links that joined its
reports and why, the outlets side by side in columns (each outlet's figures, claims and
loaded terms, every item linked to its highlighted sentence), and each report's text
with the items highlighted as on the review page (summarize/report.py's pieces: the same
segments, marks, escaping and Content-Security-Policy; the same stylesheet and script,
plus events.css).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from summarize.events.grouping import EventGroup, Report
from summarize.events.reconcile import Reconciliation
from summarize.events.writers import toll_text
from summarize.records import Record
from summarize.report import (KINDS, ItemView, Kind, Segment, bounds_text, item_views, page_csp, segments,
                              template_asset)


@dataclass
class ReportView:
    """A report as the events page shows it."""

    anchor: str
    report: Report
    record: Record | None
    items: dict[Kind, list[ItemView]]
    text_segments: list[Segment] | None


@dataclass
class EventView:
    """An event as the page shows it: its reports, grouped by outlet for the columns."""

    anchor: str
    group: EventGroup
    reports: list[ReportView]
    outlets: dict[str, list[ReportView]]
    tolls: list[tuple[str, Reconciliation]]


def _report_view(report: Report, record: Record | None, anchor: str) -> ReportView:
    if record is None:
        return ReportView(anchor, report, None, {kind: [] for kind in KINDS}, None)
    items, intervals = item_views(record, anchor)
    roles = {f.index: f.role for f in report.figures}
    items["casualty"] = [replace(view, role=roles.get(index))
                         for index, view in enumerate(items["casualty"])]
    text = record.article.text
    return ReportView(anchor, report, record, items, segments(text, intervals) if text else None)


def event_views(groups: Sequence[EventGroup], records: dict[str, Record]) -> list[EventView]:
    """The page's view of every event."""
    views = []
    for group in groups:
        anchor = group.id.lower()
        reports = [_report_view(r, records.get(r.id), f"{anchor}-r{n}") for n, r in enumerate(group.reports, start=1)]
        outlets: dict[str, list[ReportView]] = {}
        for view in reports:
            outlets.setdefault(view.report.profile.outlet, []).append(view)
        tolls = [(o.value.replace("_", " "), rec) for o, rec in group.tolls.items()
                 if rec.conservative is not None]
        views.append(EventView(anchor, group, reports, outlets, tolls))
    return views


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("summarize", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["words"] = lambda value: str(getattr(value, "value", value)).replace("_", " ")
    env.filters["toll"] = toll_text
    env.filters["bounds"] = bounds_text
    return env


def render_events_html(groups: Sequence[EventGroup], records: dict[str, Record], *, title: str | None = None) -> str:
    """The events page: one self-contained HTML document that loads nothing from outside."""
    css = template_asset("report.css") + "\n" + template_asset("events.css")
    script = template_asset("report.js")
    csp = page_csp(css, script)
    views = event_views(groups, records)
    reports = sum(len(g.reports) for g in groups)
    return _environment().get_template("events.html.j2").render(
        title=title or f"Events in {reports:,} report{'s' if reports != 1 else ''}",
        events=views,
        reports=reports,
        shared=sum(len(g.outlets) > 1 for g in groups),
        csp=csp,
        css=Markup(css),
        script=Markup(script),
    )
