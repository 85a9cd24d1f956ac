"""The model backend: a model behind any OpenAI-compatible endpoint, through
summarize.model.client (instructor). An answer that still fails validation after the
last re-ask is salvaged (summarize.grounding.salvage): what is usable is kept and flagged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from summarize.articles import Article
from summarize.backend import Extraction
from summarize.grounding import salvage
from summarize.prompts import Prompt, load_prompt
from summarize.settings import Settings

if TYPE_CHECKING:
    from summarize.model.client import ModelClient


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
        from summarize.model.client import ModelClient

        self._client: ModelClient = ModelClient(settings, http_client=http_client)

    async def extract(self, article: Article) -> Extraction:
        """Render the prompt for ``article`` and ask the model."""
        answer = await self._client.extract(self.prompt.render(article), article_text=article.text)
        if answer.summary is not None:
            return Extraction(summary=answer.summary, usage=answer.usage, matcher=answer.matcher)
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
