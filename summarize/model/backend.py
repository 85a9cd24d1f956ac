"""The model backend: a model behind any OpenAI-compatible endpoint, through
summarize.model.client (instructor). An answer that still fails validation after the
last re-ask is salvaged (summarize.grounding.salvage): what is usable is kept and flagged."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING, Any

from summarize.articles import Article
from summarize.backend import Extraction
from summarize.grounding import salvage
from summarize.prompts import Prompt, load_prompt
from summarize.settings import Settings

if TYPE_CHECKING:
    from summarize.model.client import ModelClient
    from summarize.model.exchange import Transport
    from summarize.model.ratelimit import RateLimits

#: True once the process asked for the model client's imports to be frozen (see
#: :func:`freeze_later_imports`).
_freeze_imports = False


def freeze_later_imports() -> None:
    """Have the openai/instructor import of the first model client made with the
    collector paused and its objects frozen (gc.freeze), as this process froze those of
    its own imports. For the command line (summarize.cli.main), which lives for one
    batch: frozen objects are never freed, and the whole process's objects of that moment
    are frozen with them, so a library caller's process is never touched unless it asks."""
    global _freeze_imports
    _freeze_imports = True


class OpenAIBackend:
    """A model behind any OpenAI-compatible endpoint, through instructor. Its client (and
    the openai and instructor imports, most of a second) is made when the first article
    needs it: a batch that the resume or the cache answers whole never pays for it."""

    name = "openai"

    def __init__(self, settings: Settings, *, prompt: Prompt | None = None,
                 http_client: Any = None, limits: RateLimits | None = None,
                 connections: int | None = None, transport: Transport | None = None) -> None:
        """``http_client`` for the SDK, else one made with ``limits`` and keeping at most
        ``connections`` requests in flight (summarize.model.ratelimit). ``transport``
        replaces the HTTP exchange of each request (the Batch API's replay, see
        summarize.model.exchange.Transport)."""
        self.settings = settings
        self.model = settings.model
        self.mode = settings.mode
        self.prompt = prompt or load_prompt(settings.prompt)
        self._http_client = http_client
        self._limits = limits
        self._connections = connections
        self._transport = transport
        self._client: ModelClient | None = None

    @property
    def client(self) -> ModelClient:
        """The model client, made on first use."""
        if self._client is None:
            # When the process froze the objects its imports made and asked for these
            # to be frozen too (summarize.cli does, see freeze_later_imports), those of
            # openai and instructor, imported here, live as long: they are made with the
            # collector paused (its passes over the growing import cost a tenth of it)
            # and frozen too (left in its care, every full collection of the batch would
            # walk them all again: about 0.3 s of CPU over 2,000 articles).
            freeze = _freeze_imports and "summarize.model.client" not in sys.modules
            paused = freeze and gc.isenabled()
            if paused:
                gc.disable()
            try:
                from summarize.model.client import ModelClient
                from summarize.model.ratelimit import limited_http_client
            finally:
                if paused:
                    gc.enable()
                if freeze:
                    gc.freeze()

            http_client = self._http_client
            if http_client is None and self._limits is not None:
                http_client = limited_http_client(self._limits, connections=self._connections)
            self._client = ModelClient(self.settings, http_client=http_client,
                                       transport=self._transport)
        return self._client

    async def extract(self, article: Article) -> Extraction:
        """Render the prompt for ``article`` and ask the model."""
        answer = await self.client.extract(self.prompt.render(article), article_text=article.text)
        if answer.summary is not None:
            return Extraction(summary=answer.summary, usage=answer.usage, matcher=answer.matcher)
        summary, warnings = salvage(answer.salvage, answer.validation_error)
        error = None if summary is not None else _no_valid_answer(answer.usage.reasks,
                                                                   answer.validation_error)
        return Extraction(summary=summary, usage=answer.usage, warnings=warnings,
                          error=error)

    @property
    def endpoint_unreachable(self) -> bool:
        """True when no connection to the endpoint could be made and it never answered."""
        return self._client is not None and self._client.unreachable

    async def aclose(self) -> None:
        """Close the HTTP client (if one was made)."""
        if self._client is not None:
            await self._client.aclose()


def _no_valid_answer(reasks: int, problems: str | None) -> str:
    """The error message of an article whose answers never validated: the first line
    names the re-asks and the first problem, each further line one more problem."""
    asks = f"{reasks} re-ask" + ("" if reasks == 1 else "s")
    return f"no valid answer after {asks}: {problems or 'no usable answer'}"
