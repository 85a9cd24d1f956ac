"""summarize: neutral, structured, verifiable summaries of conflict reporting.

    >>> from summarize import summarize_article
    >>> record = summarize_article("Shelling killed at least 12 civilians ...", backend="rules")
    >>> record.summary.casualties[0].quantity_text
    'at least 12'
"""

from summarize.articles import Article, load_articles
from summarize.errors import ConfigError, EvalDataError, InputError, ModelError, SummarizeError
from summarize.pipeline import Summarizer, asummarize_article, summarize_article
from summarize.prompts import Prompt, list_prompts, load_prompt
from summarize.records import ErrorInfo, Provenance, Record, RecordWarning, Usage
from summarize.schema import (
    SCHEMA_VERSION,
    ArticleSummary,
    AttributedClaim,
    CasualtyFigure,
    Event,
    LoadedTerm,
    Span,
)
from summarize.settings import Settings

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "ArticleSummary",
    "AttributedClaim",
    "CasualtyFigure",
    "ConfigError",
    "ErrorInfo",
    "EvalDataError",
    "Event",
    "InputError",
    "LoadedTerm",
    "ModelError",
    "Prompt",
    "Provenance",
    "Record",
    "RecordWarning",
    "Settings",
    "Span",
    "SummarizeError",
    "Summarizer",
    "Usage",
    "asummarize_article",
    "list_prompts",
    "load_articles",
    "load_prompt",
    "summarize_article",
]
