"""One article in, one record out: input checks, the backend call, grounding.

Nothing here raises for a bad article or a failed model call: both become a record with
``status: "error"`` that names the reason. Only configuration errors raise.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from functools import cache
from importlib import metadata
from collections.abc import Coroutine
from typing import Any, TypeVar

from summarize.articles import Article, article_from_text
from summarize.backend import Backend, Extraction
from summarize.errors import ConfigError, ModelError
from summarize.grounding import ground
from summarize.records import ArticleRef, ErrorInfo, Provenance, Record, RecordWarning, Usage
from summarize.schema import SCHEMA_VERSION
from summarize.settings import Settings, public_url


T = TypeVar("T")
logger = logging.getLogger(__name__)


@cache
def package_version() -> str:
    """Installed version of summarize (read once: the metadata lookup is slow)."""
    try:
        return metadata.version("summarize")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def make_backend(settings: Settings) -> Backend:
    """The backend ``settings`` ask for (``auto`` resolved; see Settings.resolved_backend).
    Imported here, not at the top: the rules backend need not load openai and instructor
    (most of a second), nor the model backend the rules' vocabularies."""
    if settings.resolved_backend() == "rules":
        from summarize.rules import RulesBackend

        return RulesBackend()
    from summarize.model.backend import OpenAIBackend

    return OpenAIBackend(settings)


class Summarizer:
    """Summarises articles with one backend; reuse it for many articles (it holds the
    HTTP connections). Use as ``async with Summarizer(settings) as s: await s.run(a)``."""

    def __init__(self, settings: Settings | None = None, *, backend: Backend | None = None,
                 close_backend: bool | None = None) -> None:
        """``backend`` replaces the one ``settings`` ask for; it is closed with the
        summarizer when ``close_backend`` says so (default: only a backend made here)."""
        self.settings = settings or Settings.from_env()
        self.backend = backend or make_backend(self.settings)
        self._close_backend = backend is None if close_backend is None else close_backend
        self._provenance: Provenance | None = None

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Release the backend's connections (when this summarizer owns the backend)."""
        if self._close_backend:
            await self.backend.aclose()

    def provenance(self) -> Provenance:
        """Provenance shared by every record this summarizer writes (a fresh copy)."""
        if self._provenance is None:
            self._provenance = self._make_provenance()
        return self._provenance.model_copy()

    def _make_provenance(self) -> Provenance:
        backend = self.backend
        is_model = backend.name != "rules"
        return Provenance(
            backend=backend.name,
            model=backend.model,
            prompt=backend.prompt.name if backend.prompt else None,
            prompt_sha256=backend.prompt.sha256 if backend.prompt else None,
            schema_version=SCHEMA_VERSION,
            version=package_version(),
            mode=backend.mode,
            base_url=public_url(self.settings.base_url) if is_model else None,
            temperature=self.settings.temperature if is_model else None,
            seed=self.settings.seed if is_model else None,
            strict=self.settings.strict_outputs if is_model else None,
        )

    def check_input(self, article: Article) -> str | None:
        """Why ``article`` cannot be summarised, or None."""
        if article.error:
            return article.error
        if not article.text.strip():
            return "the article text is empty"
        if len(article.text) > self.settings.max_chars:
            return (
                f"the article is {len(article.text):,} characters long; the limit is "
                f"{self.settings.max_chars:,} (--max-chars). Split it or raise the limit."
            )
        return None

    async def run(self, article: Article) -> Record:
        """The record for one article. Never raises for a bad article, a failed model
        call or an unexpected fault in handling one article (``internal_error``); only
        a ConfigError (unusable settings or prompt), cancellation and the other
        BaseExceptions propagate: among them the Batch API replay's pauses, which its
        caller catches (summarize.model.exchange.RequestDeferred: a request to send in the
        next round; summarize.batch.replay.GiveUp: a request that failed for good)."""
        try:
            return await self._run(article)
        except (ConfigError, asyncio.CancelledError):
            raise
        except Exception as exc:  # noqa: BLE001 - one article must not end a batch
            logger.debug("unexpected error on article %s", article.id, exc_info=True)
            return error_record(ArticleRef.of(article), self.provenance(), "internal_error",
                                f"{type(exc).__name__}: {exc}", usage=Usage())

    async def _run(self, article: Article) -> Record:
        provenance = self.provenance()
        ref = ArticleRef.of(article)
        carried = [RecordWarning(code="input", message=w) for w in article.warnings]
        problem = self.check_input(article)
        if problem:
            if len(article.text) > self.settings.max_chars:
                # A refused article is not copied into its record: a 5 MB line helps no
                # reader (its path, length and sha256 say which it was).
                ref = ref.model_copy(update={"text": None})
            return error_record(ref, provenance, "input_error", problem, warnings=carried,
                                usage=Usage.nothing_spent())
        try:
            extraction: Extraction = await self.backend.extract(article)
        except ModelError as exc:
            return error_record(
                ref, provenance, exc.kind, str(exc), reason=exc.reason, attempts=exc.attempts,
                usage=exc.usage or Usage(), warnings=carried,
            )
        warnings = carried + extraction.warnings
        if extraction.summary is None:
            return error_record(
                ref, provenance, "validation_error", extraction.error or "no usable answer",
                reason="reasks_exhausted", usage=extraction.usage, warnings=warnings,
            )
        summary, grounding_warnings = ground(extraction.summary, article.text,
                                             matcher=extraction.matcher)
        return Record(
            id=article.id, status="ok", article=ref, summary=summary,
            warnings=warnings + grounding_warnings, usage=extraction.usage, provenance=provenance,
        )


def error_record(ref: ArticleRef, provenance: Provenance, kind: str, message: str, *,
                 reason: str | None = None, attempts: int | None = None,
                 usage: Usage | None = None, warnings: list[RecordWarning] | None = None) -> Record:
    """The record of an article that got no summary: ``kind`` (input_error, model_error,
    validation_error, internal_error) and a message naming the reason."""
    return Record(
        id=ref.id, status="error", article=ref,
        error=ErrorInfo(type=kind, message=message, reason=reason, attempts=attempts),
        warnings=warnings or [], usage=usage or Usage(), provenance=provenance,
    )


def _as_article(article_or_text: Article | str, title: str | None) -> Article:
    if isinstance(article_or_text, Article):
        return article_or_text
    return article_from_text(article_or_text, title=title)


async def asummarize_article(
    article_or_text: Article | str,
    *,
    title: str | None = None,
    model: str | None = None,
    prompt: str | None = None,
    backend: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Record:
    """Summarise one article (an Article or plain text) and return its record.

    Keyword options override ``settings`` (default: from the environment); any other
    Settings field may be passed too (``mode="json_schema"``, ``max_reasks=1`` ...).
    Raises ConfigError for unusable settings; article and model faults give an error
    record instead.
    """
    base = settings or Settings.from_env()
    settings = base.with_(model=model, prompt=prompt, backend=backend, base_url=base_url,
                          api_key=api_key, **options)
    async with Summarizer(settings) as summarizer:
        return await summarizer.run(_as_article(article_or_text, title))


def summarize_article(article_or_text: Article | str, **kwargs: Any) -> Record:
    """Blocking twin of :func:`asummarize_article` (same arguments). Safe to call from
    code that already runs an event loop (a notebook): it then runs in a worker thread."""
    return run_blocking(asummarize_article(article_or_text, **kwargs))


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to completion and return its result: with ``asyncio.run``, or,
    when the caller already runs an event loop, in a worker thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    result: list[T] = []
    errors: list[BaseException] = []

    def runner() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=runner)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]
