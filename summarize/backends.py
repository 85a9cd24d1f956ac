"""Backends turn one article into an extraction: a model behind an OpenAI-compatible
endpoint (``openai``) or the deterministic extractor (``rules``). Both return the same
schema; grounding and the record are built by summarize.pipeline for both."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from summarize.articles import Article
from summarize.grounding import salvage
from summarize.prompts import Prompt, load_prompt
from summarize.records import RecordWarning, Usage
from summarize.schema import ArticleSummary
from summarize.settings import Settings

if TYPE_CHECKING:
    from summarize.client import ModelClient


@dataclass
class Extraction:
    """A backend's answer for one article, before grounding. ``summary`` is None when
    nothing usable came back (``error`` then says why)."""

    summary: ArticleSummary | None
    usage: Usage = field(default_factory=Usage)
    warnings: list[RecordWarning] = field(default_factory=list)
    error: str | None = None


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


class OpenAIBackend:
    """A model behind any OpenAI-compatible endpoint, through instructor."""

    name = "openai"

    def __init__(self, settings: Settings, *, prompt: Prompt | None = None,
                 http_client: Any = None) -> None:
        self.settings = settings
        self.model = settings.model
        self.mode = settings.mode
        self.prompt = prompt or load_prompt(settings.prompt)
        # Imported here: openai and instructor take most of a second to import, which
        # the rules backend, `summarize report` and `--help` need not pay.
        from summarize.client import ModelClient

        self._client: ModelClient = ModelClient(settings, http_client=http_client)

    async def extract(self, article: Article) -> Extraction:
        """Render the prompt for ``article`` and ask the model."""
        answer = await self._client.extract(self.prompt.render(article), article_text=article.text)
        if answer.summary is not None:
            return Extraction(summary=answer.summary, usage=answer.usage)
        summary, warnings = salvage(answer.salvage, answer.validation_error)
        error = None if summary is not None else (
            f"no valid answer after {answer.usage.reasks} re-asks: {answer.validation_error}"
        )
        return Extraction(summary=summary, usage=answer.usage, warnings=warnings,
                          error=error)

    @property
    def endpoint_unreachable(self) -> bool:
        """True when no connection to the endpoint could be made and it never answered."""
        return self._client.unreachable

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()


def make_backend(settings: Settings) -> Backend:
    """The backend ``settings`` ask for (``auto`` resolved; see Settings.resolved_backend)."""
    if settings.resolved_backend() == "rules":
        from summarize.rules import RulesBackend

        return RulesBackend()
    return OpenAIBackend(settings)
