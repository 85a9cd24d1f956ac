"""What a backend is: the protocol the pipeline calls, and the extraction it returns.

A backend turns one article into an :class:`Extraction`: a model behind an
OpenAI-compatible endpoint (``summarize.model.backend.OpenAIBackend``) or the
deterministic extractor (``summarize.rules.RulesBackend``). Both return the same schema;
grounding and the record are built by summarize.pipeline for both. This module imports
neither, so that each can import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from summarize.alignment import ArticleMatcher
from summarize.articles import Article
from summarize.prompts import Prompt
from summarize.records import RecordWarning, Usage
from summarize.schema import ArticleSummary


@dataclass
class Extraction:
    """A backend's answer for one article, before grounding. ``summary`` is None when
    nothing usable came back (``error`` then says why)."""

    summary: ArticleSummary | None
    usage: Usage = field(default_factory=Usage)
    warnings: list[RecordWarning] = field(default_factory=list)
    error: str | None = None
    #: What a backend's checks already found in the article, for grounding to reuse.
    matcher: ArticleMatcher | None = None


class Backend(Protocol):
    """What the pipeline needs from a backend."""

    name: str
    model: str | None
    prompt: Prompt | None
    mode: str | None

    async def extract(self, article: Article) -> Extraction:
        """Extract a summary of ``article``; raise ModelError when the call fails."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
