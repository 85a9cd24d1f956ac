"""Many articles at once: concurrent, rate-limited, cached, one record per article.

    records = run_batch(articles, settings, options=BatchOptions(concurrency=16, rpm=500))

:func:`arun_batch` runs up to ``concurrency`` articles at a time on one event loop (the
openai client is async), sends every HTTP request through the ``rpm``/``tpm`` limits
(summarize.model.ratelimit), answers from the cache what it can (summarize.batch.cache) and stores
each new ok record there. It returns one record per article, in input order, and calls
``on_record`` as each one is ready (in the order they finish), which is where the command
line writes and counts them. An article that breaks something unexpected becomes an error
record of type ``internal_error``; only configuration errors and errors raised by
``on_record`` stop a batch. When the endpoint itself fails (a rejected key, an unknown
model, an account without credit, or several articles in a row that gave up on connection errors, timeouts or 429s),
the articles not yet sent are not sent: they get error records (reason ``not_attempted``)
that a rerun retries.

:func:`aestimate_batch` is the dry run: what a batch would send and cost, sending nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarize.articles import Article
from summarize.backend import Backend
from summarize.model.backend import OpenAIBackend
from summarize.batch.cache import RecordCache, cache_key, default_cache_dir, shown_fields
from summarize.errors import ConfigError, EndpointUnreachableError
from summarize.pipeline import Summarizer, error_record, make_backend, public_url, run_blocking
from summarize.model.ratelimit import RateLimits, estimate_tokens, limited_http_client
from summarize.records import ArticleRef, Provenance, Record, Usage, price_for
from summarize.schema import ArticleSummary
from summarize.settings import Settings

#: What a batch does with each record as it is ready.
RecordCallback = Callable[[Record], None]


@dataclass(frozen=True, kw_only=True)
class BatchOptions:
    """How a batch runs (what it runs with is in Settings)."""

    #: Articles in flight at once.
    concurrency: int = 8
    #: Requests per minute sent at most (None: no limit).
    rpm: float | None = None
    #: Tokens per minute spent at most, prompt and completion (None: no limit).
    tpm: float | None = None
    #: Answer from the cache and store new ok records in it.
    use_cache: bool = True
    #: Where the cache lives (None: :func:`summarize.batch.cache.default_cache_dir`).
    cache_dir: Path | None = None
    #: Seconds a new cache entry is kept (None: until the size limit pushes it out).
    cache_ttl: float | None = None

    def check(self) -> None:
        """Raise ConfigError for a value no batch can use."""
        if self.concurrency < 1:
            raise ConfigError("--concurrency must be 1 or more")
        if self.cache_ttl is not None and self.cache_ttl <= 0:
            raise ConfigError("--cache-ttl must be positive")
        RateLimits(rpm=self.rpm, tpm=self.tpm)

    def open_cache(self) -> RecordCache | None:
        """The cache these options ask for, or None."""
        if not self.use_cache:
            return None
        return RecordCache(self.cache_dir or default_cache_dir(), ttl=self.cache_ttl)


def run_fingerprint(provenance: Provenance) -> tuple[Any, ...]:
    """What must match for a record to stand for this run's (the resume check): the
    backend, model, endpoint, mode, temperature, seed, strictness, prompt, schema and
    package version."""
    return (provenance.backend, provenance.model, provenance.base_url, provenance.mode,
            provenance.temperature, provenance.seed, provenance.strict,
            provenance.prompt_sha256, provenance.schema_version, provenance.version)


def reusable(previous: Record | None, article: Article, provenance: Provenance) -> bool:
    """True when ``previous`` (say, a line of an earlier run's output) is an ok record of
    this same article (id, text and the title, outlet and date the prompt shows) made with
    this run's backend, model, temperature, seed, strictness, prompt and schema."""
    return (
        previous is not None
        and previous.ok
        and previous.id == article.id
        and previous.article.text_sha256 == (article.text_sha256 if article.text else None)
        and shown_fields(previous.article) == shown_fields(article)
        and run_fingerprint(previous.provenance) == run_fingerprint(provenance)
    )


def open_backend(settings: Settings, *, limits: RateLimits, concurrency: int) -> Backend:
    """The backend ``settings`` ask for; a model backend sends through ``limits``."""
    if settings.resolved_backend() == "openai":
        http_client = limited_http_client(limits, connections=concurrency)
        return OpenAIBackend(settings, http_client=http_client)
    return make_backend(settings)


async def arun_batch(
    articles: Sequence[Article],
    settings: Settings,
    *,
    options: BatchOptions | None = None,
    on_record: RecordCallback | None = None,
    resume: Mapping[str, Record] | None = None,
    backend: Backend | None = None,
) -> list[Record]:
    """One record per article of ``articles``, in input order.

    ``resume`` maps ids to records of an earlier run: an ok one for the same article and
    run (see :func:`reusable`) is returned as is, the same object, without a call.
    ``backend`` replaces the one ``settings`` ask for (tests, custom backends; the rpm
    and tpm limits apply only to the backend made here).
    Raises ConfigError for unusable settings or options; never for an article.
    """
    options = options or BatchOptions()
    options.check()
    limits = RateLimits(rpm=options.rpm, tpm=options.tpm)
    results: list[Record | None] = [None] * len(articles)

    def done(index: int, record: Record) -> None:
        results[index] = record
        if on_record is not None:
            on_record(record)

    cache = options.open_cache()
    breaker: _Breaker | None = None
    try:
        chosen = backend or open_backend(settings, limits=limits, concurrency=options.concurrency)
        async with Summarizer(settings, backend=chosen, close_backend=backend is None) as summarizer:
            provenance = summarizer.provenance()
            pending: list[tuple[int, str | None]] = []
            for index, article in enumerate(articles):
                previous = (resume or {}).get(article.id)
                if reusable(previous, article, provenance):
                    done(index, previous)
                    continue
                key = None
                if cache is not None and summarizer.check_input(article) is None:
                    key = cache_key(article, provenance)
                    hit = cache.get(key, article)
                    if hit is not None:
                        done(index, hit)
                        continue
                pending.append((index, key))
            # A model backend made here bounds the requests in flight itself (see
            # limited_http_client), so twice as many articles are worked on: while
            # `concurrency` requests wait for the endpoint, the others are prepared and
            # checked, and a freed slot is taken at once by a request that is ready.
            workers = options.concurrency * (2 if backend is None and _is_model(chosen) else 1)
            breaker = _Breaker(chosen)
            await _run_pending(summarizer, articles, pending, cache, workers, done, breaker)
    finally:
        if cache is not None:
            cache.close()
    missing = [i for i, record in enumerate(results) if record is None]
    if missing:  # every path above gives each article a record; never return fewer
        raise AssertionError(f"no record for article(s) {missing[:5]}")
    if breaker is not None and breaker.unreachable:
        unsent = sum(r is not None and r.error is not None and r.error.reason == "not_attempted"
                     for r in results)
        raise EndpointUnreachableError(
            f"no request reached the endpoint {public_url(settings.base_url) or 'of OpenAI'} "
            f"({breaker.cause}); the batch stopped, {unsent} article(s) not sent. Check "
            "--base-url / OPENAI_BASE_URL and that the server is running.",
            records=results)  # type: ignore[arg-type]
    return results  # type: ignore[return-value]


def _is_model(backend: Backend) -> bool:
    return backend.name != "rules"


class _Breaker:
    """Stops a batch when the endpoint itself is failing rather than one article: at once
    on a rejected key, an unknown model or an exhausted quota (every article would fail
    the same way) and
    when no connection could be made to an endpoint that never answered (``unreachable``:
    a wrong base URL, a server that is not running), and after ``limit`` articles in a
    row gave up on connection errors, timeouts or 429s. (5xx and garbage answers do not
    count: a server can fail them for one article.)"""

    FATAL = frozenset({"authentication", "not_found", "quota_exceeded"})
    REPEATED = frozenset({"connection_error", "timeout", "rate_limited"})

    def __init__(self, backend: Backend, limit: int = 3) -> None:
        self.backend = backend
        self.limit = limit
        self.streak = 0
        self.cause: str | None = None
        self.unreachable = False

    def see(self, record: Record) -> None:
        """Take note of a finished record."""
        reason = record.error.reason if record.error else None
        self.streak = self.streak + 1 if reason in self.REPEATED else 0
        if self.cause is not None or record.error is None:
            return
        if reason == "connection_error" and getattr(self.backend, "endpoint_unreachable", False):
            self.unreachable = True
            self.cause = f"{reason}: {record.error.message}"
        elif reason in self.FATAL or self.streak >= self.limit:
            self.cause = f"{record.error.reason}: {record.error.message}"


async def _run_pending(summarizer: Summarizer, articles: Sequence[Article],
                       pending: list[tuple[int, str | None]], cache: RecordCache | None,
                       workers: int, done: Callable[[int, Record], None],
                       breaker: _Breaker) -> None:
    """Summarise ``pending`` (index, cache key) with ``workers`` workers. When the
    endpoint fails for good (see _Breaker) the articles not yet sent get error records."""
    queue: asyncio.Queue[tuple[int, str | None]] = asyncio.Queue()
    for item in pending:
        queue.put_nowait(item)
    loop = asyncio.get_running_loop()
    # Caching and on_record (the JSONL journal's write + fsync) block on the disk; they
    # run in one thread of their own, in finish order, so that the event loop keeps
    # sending and reading requests meanwhile.
    io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summarize-io")

    def persist(index: int, key: str | None, record: Record) -> None:
        if cache is not None and key is not None:
            cache.put(key, record)
        done(index, record)

    async def worker() -> None:
        while not queue.empty() and breaker.cause is None:
            index, key = queue.get_nowait()
            record = await summarizer.run(articles[index])
            breaker.see(record)
            await loop.run_in_executor(io, persist, index, key, record)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(workers, len(pending))):
                group.create_task(worker())
    except BaseExceptionGroup as failed:
        # A failing on_record (a full disk) stops the batch: raise its own error.
        raise failed.exceptions[0] from None
    finally:
        if cache is not None:  # the store keeps one connection per thread
            io.submit(cache.close)
        io.shutdown(wait=True)
    while not queue.empty():
        index, _ = queue.get_nowait()
        done(index, error_record(
            ArticleRef.of(articles[index]), summarizer.provenance(), "model_error",
            f"not sent: the batch stopped because the endpoint failed ({breaker.cause})",
            reason="not_attempted", usage=Usage.nothing_spent()))


def run_batch(articles: Sequence[Article], settings: Settings, *,
              options: BatchOptions | None = None, on_record: RecordCallback | None = None,
              resume: Mapping[str, Record] | None = None,
              backend: Backend | None = None) -> list[Record]:
    """Blocking twin of :func:`arun_batch` (same arguments); from code that already runs
    an event loop (a notebook) it runs in a worker thread."""
    return run_blocking(arun_batch(articles, settings, options=options, on_record=on_record,
                                    resume=resume, backend=backend))


# ---- dry run ---------------------------------------------------------------------------


@dataclass
class BatchEstimate:
    """What a batch would do, found without calling a model."""

    articles: int = 0
    unusable: int = 0
    resumed: int = 0
    cached: int = 0
    to_send: int = 0
    prompt_tokens: int = 0
    backend: str = ""
    model: str | None = None
    max_tokens: int = 0
    prices: tuple[float, float] | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def prompt_cost_usd(self) -> float | None:
        """Cost of the estimated prompt tokens (None: no price known for the model)."""
        if self.prices is None:
            return None
        return self.prompt_tokens * self.prices[0] / 1e6

    @property
    def max_completion_cost_usd(self) -> float | None:
        """Cost if every answer used all of max_tokens: a ceiling, not an estimate."""
        if self.prices is None:
            return None
        return self.to_send * self.max_tokens * self.prices[1] / 1e6


def schema_chars(settings: Settings | None = None) -> int:
    """Characters of the JSON schema sent with every model request (its strict form when
    ``settings`` use strict structured outputs)."""
    if settings is not None and settings.strict_outputs:
        from summarize.model.client import strict_json_schema

        return len(json.dumps(strict_json_schema()))
    return len(json.dumps(ArticleSummary.model_json_schema()))


async def aestimate_batch(articles: Sequence[Article], settings: Settings, *,
                          options: BatchOptions | None = None,
                          resume: Mapping[str, Record] | None = None,
                          model: bool | None = None) -> BatchEstimate:
    """Count what :func:`arun_batch` would send for ``articles`` and estimate its prompt
    tokens and cost, without calling a model: one request per article of the rendered
    prompt plus the schema, at :func:`summarize.model.ratelimit.estimate_tokens` (re-asks and
    retries would add to it). ``model=True`` estimates the model run even when no
    endpoint is configured (nothing is sent, so no key is needed); None: the backend
    ``settings`` resolve to."""
    options = options or BatchOptions()
    options.check()
    cache = options.open_cache()
    try:
        if model:
            backend: Backend = OpenAIBackend(settings.with_(backend="openai"))
        else:
            backend = open_backend(settings, limits=RateLimits(), concurrency=1)
        async with Summarizer(settings, backend=backend) as summarizer:
            return _estimate(articles, summarizer, cache, resume or {})
    finally:
        if cache is not None:
            cache.close()


def _estimate(articles: Sequence[Article], summarizer: Summarizer, cache: RecordCache | None,
              resume: Mapping[str, Record]) -> BatchEstimate:
    """The estimate of ``articles`` with an open summarizer and cache."""
    backend, settings = summarizer.backend, summarizer.settings
    is_model = backend.name != "rules"
    estimate = BatchEstimate(articles=len(articles), backend=backend.name, model=backend.model,
                             max_tokens=settings.max_tokens,
                             prices=price_for(backend.model, base_url=settings.base_url,
                                              pricing=settings.pricing) if is_model
                             else (0.0, 0.0))
    extra = schema_chars(settings) if is_model else 0
    provenance = summarizer.provenance()
    for article in articles:
        problem = summarizer.check_input(article)
        if problem:
            estimate.unusable += 1
            estimate.problems.append((article.id, problem))
        elif reusable(resume.get(article.id), article, provenance):
            estimate.resumed += 1
        elif cache is not None and cache.get(
                cache_key(article, provenance), article):
            estimate.cached += 1
        else:
            estimate.to_send += 1
            if is_model and backend.prompt is not None:
                chars = sum(len(m["content"]) for m in backend.prompt.render(article))
                estimate.prompt_tokens += estimate_tokens(chars + extra)
    return estimate


def estimate_batch(articles: Sequence[Article], settings: Settings, *,
                   options: BatchOptions | None = None,
                   resume: Mapping[str, Record] | None = None,
                   model: bool | None = None) -> BatchEstimate:
    """Blocking twin of :func:`aestimate_batch`."""
    return run_blocking(aestimate_batch(articles, settings, options=options, resume=resume,
                                        model=model))
