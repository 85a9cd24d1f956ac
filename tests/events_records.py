"""Invented reports for the events tests: records built as the pipeline builds them
(answer validated, then grounded against the text), from a few keyword arguments."""

from __future__ import annotations

from summarize.articles import article_from_text
from summarize.grounding import ground
from summarize.records import ArticleRef, ErrorInfo, Provenance, Record
from summarize.schema import SCHEMA_VERSION, ArticleSummary


def _quote_of(text: str, needle: str) -> str:
    """The sentence of ``text`` holding ``needle`` (the quote a figure comes from)."""
    at = text.index(needle)
    start = max(text.rfind(". ", 0, at) + 2, 0) if text.rfind(". ", 0, at) >= 0 else 0
    end = text.find(". ", at)
    return text[start:end + 1 if end >= 0 else len(text)].strip()


def figure(text: str, quantity: str, low: int | None, high: int | None = None, *, outcome: str = "killed",
           stated_by: str = "the outlet", victims: str = "people", exact: bool = True) -> dict:
    """A casualty figure of ``text`` whose quantity is ``quantity``."""
    return {"quantity_text": quantity, "outcome": outcome, "victims": victims, "victim_category": "unknown",
            "quantity_type": "exact" if exact else "at_least", "low": low,
            "high": high if high is not None or not exact else low, "stated_by": stated_by, "perpetrator": None,
            "quote": _quote_of(text, quantity)}


def claim(text: str, source: str, needle: str, *, paraphrase: str | None = None) -> dict:
    """A claim of ``text`` by ``source``, quoting the sentence that holds ``needle``."""
    return {"claim": paraphrase or needle, "source": source, "source_type": "monitor", "cue": "said",
            "quote": _quote_of(text, needle), "direct_quote": False}


def term(text: str, word: str, neutral: str) -> dict:
    return {"term": word, "quote": _quote_of(text, word), "neutral_alternative": neutral}


def report(id: str, text: str, *, title: str | None = None, source: str | None = "Outlet A",
           published: str | None = None, kinds: tuple[str, ...] = ("airstrike",), location: str | None = None,
           date_text: str | None = None, figures: list[dict] | None = None, claims: list[dict] | None = None,
           terms: list[dict] | None = None) -> Record:
    """An ok record of an invented report."""
    article = article_from_text(text, title=title, source=source, id=id, published=published)
    events = [{"description": f"A {kind.replace('_', ' ')}.", "event_type": kind, "location": location if i == 0 else None,
               "date_text": date_text if i == 0 else None, "actors": []} for i, kind in enumerate(kinds)]
    answer = {"summary": "A report.", "events": events, "claims": claims or [], "casualties": figures or [],
              "loaded_terms": terms or []}
    summary, warnings = ground(ArticleSummary.model_validate(answer), text)
    return Record(id=id, status="ok", article=ArticleRef.of(article), summary=summary, warnings=warnings,
                  provenance=Provenance(backend="test", schema_version=SCHEMA_VERSION, version="test"))


def failed(id: str, text: str, *, source: str | None = "Outlet F", published: str | None = None) -> Record:
    """An error record: no summary, but its article (and so its date and place)."""
    article = article_from_text(text, title=None, source=source, id=id, published=published)
    return Record(id=id, status="error", article=ArticleRef.of(article),
                  provenance=Provenance(backend="test", schema_version=SCHEMA_VERSION, version="test"),
                  error=ErrorInfo(type="model_error", message="HTTP 500"))
