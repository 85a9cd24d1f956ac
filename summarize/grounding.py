"""Tie every extracted item to the article: fill ``span`` and say what could not be tied.

Policy for items that are still ungrounded after the last re-ask: they are **kept** with
``span: null`` and a warning on the record naming the item. We keep rather than drop
because a weak or paraphrasing model often extracts a real claim with an inexact quote;
an analyst can judge it, and a scorer counts it as ungrounded. ``span: null`` is the
flag: nothing without a span is ever presented as grounded (the HTML page and markdown
writer mark such items). Items that are structurally invalid (a missing field, an
unknown enum value, low > high) cannot be kept faithfully and are dropped with a warning.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from summarize.errors import first_problem
from summarize.alignment import ArticleMatcher, contains
from summarize.quantities import QuantityReading, read_quantity
from summarize.lexicon import load_lexicon
from summarize.records import RecordWarning
from summarize.schema import (
    ArticleSummary,
    AttributedClaim,
    CasualtyFigure,
    Event,
    LoadedTerm,
    Span,
)
from summarize.snippets import snippet

_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "claims": AttributedClaim,
    "casualties": CasualtyFigure,
    "loaded_terms": LoadedTerm,
}


def ground(summary: ArticleSummary, article_text: str, *,
           matcher: ArticleMatcher | None = None) -> tuple[ArticleSummary, list[RecordWarning]]:
    """A copy of ``summary`` with every quote's span filled, and warnings for the items
    whose quote, quantity or term is not in the article, and for unattributed loaded
    terms in the summary text. ``matcher`` (for ``article_text``) reuses what the
    validators of a model's answer already found; ``summary`` itself is not changed
    (the items that get a span are copied, the rest is shared)."""
    if matcher is None or matcher.text != article_text:
        matcher = ArticleMatcher(article_text)
    warnings: list[RecordWarning] = []
    grounded_items: dict[str, list[Any]] = {}
    for field_name in _ITEM_MODELS:
        grounded_items[field_name] = items = []
        for index, item in enumerate(getattr(summary, field_name)):
            where = f"{field_name}[{index}]"
            found = matcher.locate(item.quote)
            span = None if found is None else Span(
                start=found.start, end=found.end, match=found.match, score=found.score
            )
            items.append(item.model_copy(update={"span": span}))
            if found is None:
                warnings.append(RecordWarning(
                    code="ungrounded_quote", item=where,
                    message=f"{where}: quote not found in the article: {snippet(item.quote, 120)}",
                ))
            if isinstance(item, CasualtyFigure):
                warnings.extend(_check_figure(item, matcher, where))
            if isinstance(item, LoadedTerm) and not contains(item.quote, item.term):
                warnings.append(RecordWarning(
                    code="term_not_in_quote", item=where,
                    message=f"{where}: term {item.term!r} is not in its quote",
                ))
    grounded = summary.model_copy(update=grounded_items)
    for hit in load_lexicon().unattributed(grounded.summary):
        warnings.append(RecordWarning(
            code="loaded_term_in_summary", item="summary",
            message=f"summary uses {hit.text!r} without attribution (neutral: {hit.entry.neutral})",
        ))
    warnings.extend(_numbers_not_in_article(grounded, matcher))
    return grounded, warnings


#: A number standing alone in prose: "22", "1,500", "3.5" (not the "1970" of "1970s").
_NUMBER = re.compile(r"(?<![\w.,])\d(?:[\d,.]*\d)?(?![\w])")


def _check_figure(figure: CasualtyFigure, matcher: ArticleMatcher, where: str) -> list[RecordWarning]:
    """Warnings for a figure whose quantity is not in the article, or whose low/high
    differ from the documented reading of its quantity (summarize.quantities)."""
    if not matcher.contains_quantity(figure.quantity_text):
        return [RecordWarning(
            code="invented_number", item=where,
            message=f"{where}: quantity {figure.quantity_text!r} does not occur in the article",
        )]
    reading = read_quantity(figure.quantity_text)
    if reading is not None and _disagrees(figure, reading):
        return [RecordWarning(
            code="number_mismatch", item=where,
            message=f"{where}: low/high {figure.low}/{figure.high} differ from the reading of "
            f"{figure.quantity_text!r} ({reading.low}/{reading.high})",
        )]
    return []


def _disagrees(figure: CasualtyFigure, reading: QuantityReading) -> bool:
    """True when a figure's bounds contradict the reading of its quantity: other bounds
    for the same kind of quantity ("dozens" read as 500), or bounds that do not even
    overlap it. (A different kind with overlapping bounds is an interpretation the
    annotation guide allows, e.g. "score of the dead" read as the vague "scores".)"""
    bounds, read = (figure.low, figure.high), (reading.low, reading.high)
    if str(figure.quantity_type) == reading.quantity_type:
        return bounds != read
    low = max(figure.low or 0, reading.low or 0)
    high = min(math.inf if figure.high is None else figure.high,
               math.inf if reading.high is None else reading.high)
    return low > high


def _numbers_not_in_article(summary: ArticleSummary, matcher: ArticleMatcher) -> list[RecordWarning]:
    """Warnings for numbers written in the summary, a claim's paraphrase or an event's
    description that the article does not state."""
    texts = [("summary", summary.summary)]
    texts += [(f"claims[{i}]", claim.claim) for i, claim in enumerate(summary.claims)]
    texts += [(f"events[{i}]", event.description) for i, event in enumerate(summary.events)]
    warnings = []
    for where, text in texts:
        for number in dict.fromkeys(_NUMBER.findall(text)):
            if not matcher.contains_quantity(number):
                warnings.append(RecordWarning(
                    code="number_not_in_article", item=where,
                    message=f"{where} states {number}, a number the article does not state",
                ))
    return warnings


def salvage(raw: dict[str, Any] | None, validation_error: str | None) -> tuple[ArticleSummary | None, list[RecordWarning]]:
    """Rebuild a summary from an answer that failed validation after the last re-ask:
    each item is validated on its own (structure only) and kept or dropped; None when
    there is no usable summary text at all."""
    warnings = [RecordWarning(
        code="reasks_exhausted",
        message="the answer still failed validation after the last re-ask; kept what is "
        f"structurally valid: {snippet((validation_error or '').replace(chr(10), '; '), 400)}",
    )]
    if not isinstance(raw, dict) or not isinstance(raw.get("summary"), str) or not raw["summary"].strip():
        return None, warnings
    kept: dict[str, Any] = {"summary": raw["summary"]}
    for field_name, model in {"events": Event, **_ITEM_MODELS}.items():
        kept[field_name] = []
        items = raw.get(field_name) or []
        for index, item in enumerate(items if isinstance(items, list) else []):
            try:
                kept[field_name].append(model.model_validate(item))
            except ValidationError as exc:
                warnings.append(RecordWarning(
                    code="invalid_item_dropped", item=f"{field_name}[{index}]",
                    message=f"{field_name}[{index}] dropped: {first_problem(exc)}",
                ))
    return ArticleSummary.model_validate(kept), warnings
