"""summarize: neutral, structured, verifiable summaries of conflict reporting.

    >>> from summarize import summarize_article
    >>> record = summarize_article(
    ...     "Shelling killed at least 12 civilians in Aleppo, the monitor said.", backend="rules")
    >>> record.summary.casualties[0].quantity_text
    'at least 12'
"""

from typing import TYPE_CHECKING, Any

from summarize.articles import Article, article_from_text, unique_ids
from summarize.backend import Backend, Extraction
from summarize.batch import BatchOptions, aiter_batch, arun_batch, iter_batch, run_batch
from summarize.errors import (
    ConfigError,
    EndpointUnreachableError,
    EvalDataError,
    InputError,
    LocalServerError,
    ModelError,
    SummarizeError,
)
from summarize.inputs import iter_articles, load_articles
from summarize.pipeline import Summarizer, asummarize_article, summarize_article
from summarize.prompts import Prompt, list_prompts, load_prompt
from summarize.records import ArticleRef, ErrorInfo, Provenance, Record, RecordWarning, Usage
from summarize.schema import (
    SCHEMA_VERSION,
    ArticleSummary,
    AttributedClaim,
    CasualtyFigure,
    Event,
    EventType,
    LoadedTerm,
    MatchKind,
    Outcome,
    QuantityType,
    SourceType,
    Span,
    VictimCategory,
)
from summarize.settings import Settings

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "ArticleRef",
    "ArticleSummary",
    "AttributedClaim",
    "Backend",
    "BatchOptions",
    "CasualtyFigure",
    "ConfigError",
    "EndpointUnreachableError",
    "ErrorInfo",
    "EvalDataError",
    "Event",
    "EventGroup",
    "EventType",
    "Extraction",
    "InputError",
    "LoadedTerm",
    "LocalServerError",
    "MatchKind",
    "ModelError",
    "Outcome",
    "Prompt",
    "Provenance",
    "QuantityType",
    "Record",
    "RecordWarning",
    "Settings",
    "SourceType",
    "Span",
    "SummarizeError",
    "Summarizer",
    "Usage",
    "VictimCategory",
    "aiter_batch",
    "article_from_text",
    "arun_batch",
    "asummarize_article",
    "group_events",
    "iter_articles",
    "iter_batch",
    "list_prompts",
    "load_articles",
    "load_prompt",
    "run_batch",
    "summarize_article",
    "unique_ids",
]

if TYPE_CHECKING:
    from summarize.events import EventGroup, group_events


#: Public names imported when first asked for (see __getattr__).
_LAZY = ("EventGroup", "group_events")


def __getattr__(name: str) -> Any:
    """The events API (EventGroup, group_events), imported when first asked for: a batch
    run does not need the event modules."""
    if name in _LAZY:
        from summarize import events

        value = getattr(events, name)
        globals()[name] = value  # found directly from now on
        return value
    raise AttributeError(f"module 'summarize' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, the events API among them before it is imported."""
    return sorted({*globals(), *_LAZY})
