"""The review page: one self-contained HTML file in which an analyst reads every record.

The page has an index of articles (outlet, counts, status) and, for each article, its
neutral summary, casualty figures, claims, loaded terms, warnings or error, and the
article text with every item's quote highlighted and linked both ways (item -> quote
and quote -> item). Kinds are told apart by more than colour: claims have a tinted
background, casualty figures a thick underline (their quantity in bold), loaded terms
an outline with the neutral alternative after them; every quote also starts with its
item's label (C1, F1, L1), which is a link back to the item.

Overlapping quotes are cut into non-overlapping segments, each carrying every item that
covers it, so any mix of kinds renders. Items whose span is null ("not found in the
article") are listed but never highlighted.

Safety: jinja2 autoescaping escapes all record text, so an article holding ``<script>``
shows the tag as text. A Content-Security-Policy meta tag forbids every external load
and allows only the page's own inline style and script, by their sha256 hashes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import IO, Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from summarize.alignment import locate
from summarize.paths import recorded_path
from summarize.records import Record
from summarize.schema import AttributedClaim, CasualtyFigure, LoadedTerm, Span

Kind = Literal["claim", "casualty", "loaded"]

#: Label prefix and the record field of each kind; the order is the legend's order.
KINDS: dict[Kind, tuple[str, str]] = {
    "claim": ("C", "claims"),
    "casualty": ("F", "casualties"),
    "loaded": ("L", "loaded_terms"),
}


@dataclass(frozen=True)
class Mark:
    """One item's claim on a stretch of text. ``focus`` marks the core of the quote:
    the quantity of a casualty figure, the loaded term itself."""

    kind: Kind
    ref: str
    label: str
    tooltip: str
    focus: bool = False
    neutral: str | None = None


@dataclass(frozen=True)
class Interval:
    """``[start, end)`` of the article text covered by ``mark``."""

    start: int
    end: int
    mark: Mark


@dataclass
class Segment:
    """A stretch of article text with every mark that covers all of it. ``badges`` are
    the marks whose quote begins here (a label linking back to the item) and
    ``neutral`` the neutral alternatives of loaded terms that end here."""

    text: str
    marks: list[Mark] = field(default_factory=list)
    badges: list[Mark] = field(default_factory=list)
    neutral: list[str] = field(default_factory=list)

    @property
    def css_class(self) -> str:
        """Classes of the highlight: one ``k-`` per kind, one ``f-`` per focused kind,
        ``multi-claim`` where quotes of two or more claims overlap."""
        kinds = sorted({m.kind for m in self.marks})
        focus = sorted({m.kind for m in self.marks if m.focus})
        classes = ["hl", *(f"k-{k}" for k in kinds), *(f"f-{k}" for k in focus)]
        if sum(m.kind == "claim" for m in self.marks) > 1:
            classes.append("multi-claim")
        return " ".join(classes)

    @property
    def refs(self) -> str:
        """Anchors of the items covering this segment, space-separated."""
        return " ".join(dict.fromkeys(m.ref for m in self.marks))

    @property
    def tooltip(self) -> str:
        """What covers this segment, one line per item."""
        return "\n".join(dict.fromkeys(m.tooltip for m in self.marks))


def segments(text: str, intervals: Iterable[Interval]) -> list[Segment]:
    """Cut ``text`` at every interval boundary; each piece carries the marks covering it.

    Intervals outside the text are clipped; empty ones are ignored. The pieces join
    back to ``text`` exactly.
    """
    clipped = [
        Interval(max(0, iv.start), min(len(text), iv.end), iv.mark)
        for iv in intervals
        if min(len(text), iv.end) > max(0, iv.start)
    ]
    bounds = sorted({0, len(text)} | {iv.start for iv in clipped} | {iv.end for iv in clipped})
    pieces: list[Segment] = []
    for start, end in pairwise(bounds):
        covering = [iv for iv in clipped if iv.start <= start and iv.end >= end]
        pieces.append(Segment(
            text=text[start:end],
            marks=[iv.mark for iv in covering],
            badges=[iv.mark for iv in covering if iv.start == start and not iv.mark.focus],
            neutral=[iv.mark.neutral for iv in covering if iv.end == end and iv.mark.neutral],
        ))
    return pieces


@dataclass
class ItemView:
    """One claim, casualty figure or loaded term as the page shows it."""

    kind: Kind
    label: str
    anchor: str
    item: Any
    quote_anchor: str | None
    problem: str | None
    match: str | None
    #: What the events page says a casualty figure is to its event (toll, update ...).
    role: str | None = None


@dataclass
class WarningView:
    """A record warning, linked to its item when it names one."""

    code: str
    message: str
    href: str | None


@dataclass
class ArticleView:
    """Everything the template needs for one record."""

    number: int
    anchor: str
    record: Record
    heading: str
    items: dict[Kind, list[ItemView]]
    warnings: list[WarningView]
    text_segments: list[Segment] | None
    text_note: str | None

    @property
    def counts(self) -> dict[str, int]:
        """Number of items of each kind and of warnings."""
        counts: dict[str, int] = {kind: len(views) for kind, views in self.items.items()}
        counts["warnings"] = len(self.warnings)
        counts["not_found"] = sum(v.problem is not None for vs in self.items.values() for v in vs)
        return counts

    @property
    def status(self) -> str:
        """ok, warnings or error."""
        if not self.record.ok:
            return "error"
        return "warnings" if self.warnings else "ok"


def span_problem(span: Span | None, text: str | None, quote: str) -> str | None:
    """Why ``span`` cannot be highlighted in ``text``, or None when it can: the span
    must lie in the text and hold the item's quote (a record edited by hand, made by an
    older version or by other code must not show a wrong passage as the evidence)."""
    if span is None:
        return "not found in the article"
    if text is None:
        return "article text not in the record"
    if not 0 <= span.start < span.end <= len(text):
        return "span outside the article text"
    found = locate(quote, text[span.start:span.end], allow_fuzzy=span.match == "fuzzy")
    if found is None or (found.end - found.start) < 0.8 * (span.end - span.start):
        return "span does not hold the quote"
    return None


def _focus(needle: str | None, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of ``needle`` inside ``text[start:end]`` (exact or normalised), if there."""
    if not needle or not needle.strip():
        return None
    found = locate(needle, text[start:end], allow_fuzzy=False)
    return None if found is None else (start + found.start, start + found.end)


def item_tooltip(kind: Kind, label: str, item: Any) -> str:
    if isinstance(item, AttributedClaim):
        return f"{label} claim by {item.source} ({item.cue}): {item.claim}"
    if isinstance(item, CasualtyFigure):
        stated = f", stated by {item.stated_by}" if item.stated_by else ""
        return f"{label} figure: {item.quantity_text} {item.victims} {item.outcome.value.replace('_', ' ')}{stated}"
    if isinstance(item, LoadedTerm):
        return f"{label} loaded term {item.term!r}; neutral alternative: {item.neutral_alternative!r}"
    return label  # pragma: no cover - every kind is handled above


def item_intervals(kind: Kind, item: Any, mark: Mark, text: str) -> list[Interval]:
    """What ``item`` highlights: its quote, plus the quantity of a casualty figure in
    bold; for a loaded term only the term inside its quote (the quote if the term is
    not in it)."""
    start, end = item.span.start, item.span.end
    if kind == "loaded":
        term = _focus(item.term, text, start, end) or (start, end)
        return [Interval(*term, replace(mark, neutral=item.neutral_alternative))]
    intervals = [Interval(start, end, mark)]
    quantity = _focus(getattr(item, "quantity_text", None), text, start, end)
    if quantity is not None:
        intervals.append(Interval(*quantity, replace(mark, focus=True)))
    return intervals


def item_views(record: Record, prefix: str) -> tuple[dict[Kind, list[ItemView]], list[Interval]]:
    """The record's claims, figures and loaded terms as a page shows them (anchors
    ``prefix``-c1 ...), and the marks they put on the article's text."""
    text = record.article.text
    views: dict[Kind, list[ItemView]] = {kind: [] for kind in KINDS}
    intervals: list[Interval] = []
    if record.summary is None:
        return views, intervals
    for kind, (letter, field_name) in KINDS.items():
        for index, item in enumerate(getattr(record.summary, field_name)):
            label, anchor = f"{letter}{index + 1}", f"{prefix}-{letter.lower()}{index + 1}"
            problem = span_problem(item.span, text, item.quote)
            inexact = problem is None and item.span.match != "exact"
            views[kind].append(ItemView(
                kind=kind, label=label, anchor=anchor, item=item, problem=problem,
                quote_anchor=None if problem else f"{anchor}-q",
                match=f"{item.span.match.value} match, score {item.span.score:g}" if inexact else None,
            ))
            if problem is None and text is not None:
                mark = Mark(kind, anchor, label, item_tooltip(kind, label, item))
                intervals.extend(item_intervals(kind, item, mark, text))
    return views, intervals


def _warning_views(record: Record, views: dict[Kind, list[ItemView]]) -> list[WarningView]:
    anchors = {}
    for kind, (_, field_name) in KINDS.items():
        for index, view in enumerate(views[kind]):
            anchors[f"{field_name}[{index}]"] = view.anchor
    return [WarningView(w.code, w.message, anchors.get(w.item or "")) for w in record.warnings]


def article_view(record: Record, number: int) -> ArticleView:
    """The page's view of one record (``number`` counts from 1 and names its anchors)."""
    prefix = f"a{number}"
    views, intervals = item_views(record, prefix)
    text = record.article.text
    return ArticleView(
        number=number,
        anchor=prefix,
        record=record,
        heading=record.article.title or record.article.id,
        items=views,
        warnings=_warning_views(record, views),
        text_segments=segments(text, intervals) if text else None,
        text_note=None if text else "The record does not carry the article text.",
    )


def csp_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page_csp(css: str, script: str) -> str:
    """The Content-Security-Policy of a self-contained page: nothing loads but its own
    inline ``css`` and ``script``."""
    return "; ".join(["default-src 'none'", f"style-src {csp_source(css)}",
                      f"script-src {csp_source(script)}", "base-uri 'none'", "form-action 'none'"])


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("summarize", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["words"] = lambda value: str(getattr(value, "value", value)).replace("_", " ")
    env.filters["low_high"] = _low_high
    env.filters["count"] = _count
    env.filters["recorded_path"] = recorded_path  # an article's file: no machine's folders
    return env


def template_asset(name: str) -> str:
    """A file of summarize/templates (inlined into the page)."""
    return (resources.files("summarize") / "templates" / name).read_text(encoding="utf-8")


def _count(number: int, noun: str) -> str:
    """``1 claim``, ``2 claims``."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _low_high(figure: CasualtyFigure) -> str:
    """``12``, ``12-20``, ``≥ 12``, ``≤ 20`` or an em dash when nothing is committed to."""
    return bounds_text(figure.low, figure.high)


def bounds_text(low: int | None, high: int | None) -> str:
    """``12``, ``12-20``, ``≥ 12``, ``≤ 20`` or an em dash for a low and a high bound."""
    if low is None and high is None:
        return "—"
    if low is None:
        return f"≤ {high:,}"
    if high is None:
        return f"≥ {low:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _provenance(record: Record) -> str:
    """The "backend / model / prompt" description of a record's provenance."""
    p = record.provenance
    parts = [p.backend, p.model, p.prompt and f"prompt {p.prompt}", f"summarize {p.version}"]
    return " · ".join(part for part in parts if part)


def render_html(records: Iterable[Record], *, title: str | None = None) -> str:
    """The review page for ``records``: one self-contained HTML document (no external
    requests), every item highlighted in its article text."""
    records = list(records)
    buffer = io.StringIO()
    write_html(lambda: iter(records), buffer, title=title)
    return buffer.getvalue()


def write_html(source: Callable[[], Iterator[Record]], out: IO[str], *,
               title: str | None = None) -> None:
    """Write the review page of the records ``source()`` yields (called twice: once for
    the index and the totals at the top, once for the articles), one article at a time:
    a page of a hundred thousand articles is written without holding them. The index
    rows wait in a temporary file between the two passes."""
    css, script = template_asset("report.css"), template_asset("report.js")
    csp = page_csp(css, script)
    page = _environment().get_template("report.html.j2").module
    totals = dict.fromkeys(("claim", "casualty", "loaded", "warnings", "not_found"), 0)
    provenances: dict[str, None] = {}
    count = ok = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as rows:
        for count, record in enumerate(source(), start=1):
            view = article_view(record, count)
            for key in totals:
                totals[key] += view.counts[key]
            ok += record.ok
            provenances[_provenance(record)] = None
            rows.write(page.index_row(view, KINDS) + "\n")  # type: ignore[attr-defined]
        out.write(page.page_head(  # type: ignore[attr-defined]
            title or f"Review of {_count(count, 'article')}", count, totals, ok, count - ok,
            list(provenances), csp, Markup(css)) + "\n")
        rows.seek(0)
        shutil.copyfileobj(rows, out)
    out.write(page.index_end(count) + "\n")  # type: ignore[attr-defined]
    for number, record in enumerate(source(), start=1):
        view = article_view(record, number)
        following = f"a{number + 1}" if number < count else None
        out.write(page.article_section(view, count, following) + "\n")  # type: ignore[attr-defined]
    out.write(page.page_foot(Markup(script)) + "\n")  # type: ignore[attr-defined]
