"""Many articles at once: concurrent, rate-limited, cached, one record per article, and
never more of the batch in memory than the articles in flight.

    for record in iter_batch(unique_ids(iter_articles(["news/"])), settings):
        print(record.id, record.status)                 # as each one finishes
    records = run_batch(articles, settings, options=BatchOptions(concurrency=16, rpm=500))

:func:`aiter_batch` reads ``articles`` lazily (any iterable: a list, or a generator over
a folder of a million files), runs up to ``concurrency`` of them at a time on one event
loop (the openai client is async), sends every HTTP request through the ``rpm``/``tpm``
limits (summarize.model.ratelimit), answers from the cache what it can
(summarize.batch.cache), and yields each record as it finishes; a record is not kept once
it is yielded. :func:`iter_batch` is its blocking twin, :func:`run_batch` and
:func:`arun_batch` collect the records of a small batch into a list, in input order.

``resume`` names records an earlier run made (a mapping of ids to records, or a
journal's index, see summarize.batch.journal): an ok one of the same article and run
(:func:`reusable`) stands for this run's, and no call is made for it.

An article that breaks something unexpected becomes an error record of type
``internal_error``; only configuration errors (and errors of the code consuming the
records) stop a batch. When the endpoint itself fails (a rejected key, an unknown model,
an account without credit, or several articles in a row that gave up on connection
errors, timeouts or 429s), the articles not yet sent are not sent: they get error records (reason ``not_attempted``)
that a rerun retries.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from contextlib import aclosing
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarize.articles import Article
from summarize.backend import Backend
from summarize.batch.cache import RecordCache, cache_key, default_cache_dir
from summarize.batch.index import run_key
from summarize.batch.journal import record_line
# Re-exported: the resume check was part of this module before it had one of its own.
from summarize.batch.resume import (Previous, RecordsResume, ResumeSource,  # noqa: F401
                                    as_resume_source, stands, article_key_of, reusable,
                                    run_fingerprint)
from summarize.errors import ConfigError, EndpointUnreachableError
from summarize.model.backend import OpenAIBackend
from summarize.model.ratelimit import RateLimits
from summarize.pipeline import Summarizer, error_record, make_backend, public_url, run_blocking
from summarize.records import ArticleRef, Record, Usage
from summarize.settings import Settings

#: What a batch does with each record as it is ready.
RecordCallback = Callable[[Record], None]


@dataclass(frozen=True, kw_only=True)
class BatchOptions:
    """How a batch runs (what it runs with is in Settings)."""

    #: Articles in flight at once.
    concurrency: int = 8
    #: Requests per minute sent at most (None: no limit set; 429s still slow it down).
    rpm: float | None = None
    #: Tokens per minute spent at most, prompt and completion (None: no limit).
    tpm: float | None = None
    #: Answer from the cache and store new ok records in it.
    use_cache: bool = True
    #: Where the cache lives (None: :func:`summarize.batch.cache.default_cache_dir`).
    cache_dir: Path | None = None
    #: Processes the model calls are spread over (summarize.batch.workers; 1: this one).
    workers: int = 1
    #: Seconds a new cache entry is kept (None: until the size limit pushes it out).
    cache_ttl: float | None = None

    def check(self) -> None:
        """Raise ConfigError for a value no batch can use."""
        if self.concurrency < 1:
            raise ConfigError("--concurrency must be 1 or more")
        if self.workers < 1:
            raise ConfigError("--workers must be 1 or more")
        if self.workers > self.concurrency:
            raise ConfigError(f"--workers {self.workers} needs --concurrency of at least as "
                              "many (each worker process keeps a share of the requests in flight)")
        if self.cache_ttl is not None and self.cache_ttl <= 0:
            raise ConfigError("--cache-ttl must be positive")
        RateLimits(rpm=self.rpm, tpm=self.tpm)

    def open_cache(self) -> RecordCache | None:
        """The cache these options ask for, or None."""
        if not self.use_cache:
            return None
        return RecordCache(self.cache_dir or default_cache_dir(), ttl=self.cache_ttl)


def open_backend(settings: Settings, *, limits: RateLimits, concurrency: int) -> Backend:
    """The backend ``settings`` ask for; a model backend sends through ``limits`` (its
    HTTP client is made when the first article needs it)."""
    if settings.resolved_backend() == "openai":
        return OpenAIBackend(settings, limits=limits, connections=concurrency)
    return make_backend(settings)


class BatchItem:
    """One article's outcome, as :func:`stream_batch` yields it (in finishing order):
    a new record, one replayed from the cache, or an earlier run's that stands."""

    __slots__ = ("index", "article_id", "line", "previous", "cached", "keys", "_record")

    def __init__(self, index: int, article_id: str, record: Record | None, line: bytes | None,
                 *, previous: Previous | None = None, cached: bool = False,
                 keys: tuple[str, str, str] | None = None) -> None:
        #: Position of the article in the input, from 0.
        self.index = index
        self.article_id = article_id
        #: The record's JSONL line, made once (None when resumed).
        self.line = line
        #: What the resume source knows of the earlier record that stands, if any.
        self.previous = previous
        #: True when the cache answered (the record is made from ``line`` if asked for).
        self.cached = cached
        #: (status, article key, run key) of the line, for the journal's index.
        self.keys = keys
        self._record = record

    @property
    def resumed(self) -> bool:
        """True when an earlier run's record stands for this article."""
        return self.previous is not None

    @property
    def ok(self) -> bool:
        """True when the article's record is ok."""
        return self.resumed or self.cached or (self._record is not None and self._record.ok)

    @property
    def record(self) -> Record | None:
        """The record (None when resumed: see ``previous``)."""
        if self._record is None and self.line is not None:
            self._record = Record.model_validate_json(self.line)
        return self._record


_DONE = object()


async def stream_batch(articles: Iterable[Article], settings: Settings, *,
                       options: BatchOptions | None = None,
                       resume: ResumeSource | None = None,
                       backend: Backend | None = None) -> AsyncIterator[BatchItem]:
    """One :class:`BatchItem` per article of ``articles`` (read lazily), as each finishes.
    Raises ConfigError for unusable settings or options, never for an article; and
    EndpointUnreachableError after the last item when no request ever reached the
    endpoint."""
    options = options or BatchOptions()
    options.check()
    resume = as_resume_source(resume)
    limits = RateLimits(rpm=options.rpm, tpm=options.tpm)
    source = iter(articles)
    position = 0
    cache = options.open_cache()
    try:
        chosen = backend or open_backend(settings, limits=limits, concurrency=options.concurrency)
        summarizer = Summarizer(settings, backend=chosen, close_backend=backend is None)
    except BaseException:
        if cache is not None:
            cache.close()
        raise
    provenance = summarizer.provenance()
    run = run_key(run_fingerprint(provenance))
    breaker = _Breaker(chosen)
    # A model backend made here bounds the requests in flight itself (see
    # limited_http_client), so twice as many articles are worked on: while `concurrency`
    # requests wait for the endpoint, the others are prepared and checked, and a freed
    # slot is taken at once by a request that is ready.
    workers = options.concurrency * (2 if backend is None and _is_model(chosen) else 1)
    # Articles for the workers (a full queue holds the reading back) and their records.
    work: asyncio.Queue[tuple[int, Article, str | None] | None] = asyncio.Queue(maxsize=workers)
    done: asyncio.Queue[Any] = asyncio.Queue()
    unsent = 0

    def take() -> tuple[int, Article] | None:
        nonlocal position
        article = next(source, None)
        if article is None:
            return None
        position += 1
        return position - 1, article

    def known(index: int, article: Article) -> tuple[BatchItem | None, str | None]:
        """The item of an article answered without the backend (its earlier record, or
        the cache), or None and the cache key to store its new record under."""
        if resume is not None:
            previous = resume.lookup(article.id)
            if stands(previous, article, run):
                return BatchItem(index, article.id, None, None, previous=previous), None
        if cache is None or summarizer.check_input(article) is not None:
            return None, None
        key = cache_key(article, provenance)
        hit = cache.get_line(key, article)
        if hit is None:
            return None, key
        line, stored_run = hit
        keys = ("ok", article_key_of(article), stored_run)
        return BatchItem(index, article.id, None, line, cached=True, keys=keys), None

    def not_sent(index: int, article: Article) -> BatchItem:
        nonlocal unsent
        unsent += 1
        record = error_record(
            ArticleRef.of(article), provenance, "model_error",
            f"not sent: the batch stopped because the endpoint failed ({breaker.cause})",
            reason="not_attempted", usage=Usage.nothing_spent())
        return BatchItem(index, article.id, record, record_line(record))

    async def worker() -> None:
        while (job := await work.get()) is not None:
            index, article, key = job
            if breaker.cause is not None:
                done.put_nowait(not_sent(index, article))
                continue
            try:
                if pool is not None:  # another process makes the record (and caches it)
                    record, line, unreachable = await pool.run(index, article, key)
                    breaker.see(record, unreachable=unreachable)
                    done.put_nowait(BatchItem(index, article.id, record, line))
                    continue
                record = await summarizer.run(article)
            except Exception as exc:  # noqa: BLE001 - handed to the consumer, raised there
                done.put_nowait(exc)
                return
            breaker.see(record)
            line = record_line(record)
            if key is not None:
                assert cache is not None
                cache.put(key, record, line)
            done.put_nowait(BatchItem(index, article.id, record, line))

    def finished(item: Any) -> BatchItem:
        if isinstance(item, BaseException):
            raise item
        return item

    # Articles the resume or the cache answers are yielded at once, in input order; the
    # others go to the workers, whose records are yielded as they come.
    pool = None
    if options.workers > 1 and backend is None and _is_model(chosen):
        from summarize.batch.workers import WorkerPool

        pool = await WorkerPool(settings, options, options.workers).__aenter__()
    tasks = [asyncio.create_task(worker()) for _ in range(workers)]
    handed = 0
    try:
        for index, article in iter(take, None):
            item, key = known(index, article)
            if item is None and breaker.cause is not None:
                item = not_sent(index, article)
            if item is not None:
                yield item
            else:
                while work.full():
                    handed -= 1
                    yield finished(await done.get())
                work.put_nowait((index, article, key))
                handed += 1
            while not done.empty():
                handed -= 1
                yield finished(done.get_nowait())
        while handed:
            handed -= 1
            yield finished(await done.get())
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            if pool is not None:
                await pool.__aexit__(None, None, None)
            await summarizer.aclose()
        finally:
            if cache is not None:
                cache.close()
    if breaker.unreachable:
        raise EndpointUnreachableError(
            f"no request reached the endpoint {public_url(settings.base_url) or 'of OpenAI'} "
            f"({breaker.cause}); the batch stopped, {unsent} article(s) not "
            "sent. Check --base-url / OPENAI_BASE_URL and that the server is running.")


def _is_model(backend: Backend) -> bool:
    return backend.name != "rules"


async def aiter_batch(articles: Iterable[Article], settings: Settings, *,
                      options: BatchOptions | None = None,
                      resume: ResumeSource | Mapping[str, Record] | None = None,
                      backend: Backend | None = None) -> AsyncIterator[Record]:
    """The record of each article of ``articles`` (read lazily), as each finishes: one
    per article, errors included. ``resume`` maps ids to records of an earlier run (or is
    a journal): an ok one for the same article and run (see :func:`reusable`) is yielded
    as is, without a call. ``backend`` replaces the one ``settings`` ask for (tests,
    custom backends; the rpm and tpm limits apply only to the backend made here).
    Raises ConfigError for unusable settings or options; never for an article."""
    source = as_resume_source(resume)
    async with aclosing(stream_batch(articles, settings, options=options, resume=source,
                                     backend=backend)) as items:
        async for item in items:
            if item.resumed:
                assert source is not None and item.previous is not None
                yield source.load(item.previous)
            else:
                yield item.record  # type: ignore[misc]


def iter_batch(articles: Iterable[Article], settings: Settings, *,
               options: BatchOptions | None = None,
               resume: ResumeSource | Mapping[str, Record] | None = None,
               backend: Backend | None = None) -> Iterator[Record]:
    """Blocking twin of :func:`aiter_batch` (same arguments): the batch runs on an event
    loop in a thread of its own, and this yields each record as it finishes. Leaving the
    loop early stops the batch (the articles in flight are abandoned)."""
    handoff: queue.Queue[Any] = queue.Queue(maxsize=64)
    stop = threading.Event()

    async def produce() -> None:
        async with aclosing(aiter_batch(articles, settings, options=options, resume=resume,
                                        backend=backend)) as records:
            async for record in records:
                while not stop.is_set():
                    try:
                        handoff.put_nowait(record)
                        break
                    except queue.Full:
                        await asyncio.sleep(0.005)
                if stop.is_set():
                    return

    def run() -> None:
        try:
            asyncio.run(produce())
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            handoff.put(_Raised(exc))
        else:
            handoff.put(_DONE)

    thread = threading.Thread(target=run, name="summarize-batch", daemon=True)
    thread.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, _Raised):
                raise item.exc
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a producer blocked on a full queue see the stop
            try:
                handoff.get_nowait()
            except queue.Empty:
                thread.join(0.01)


@dataclass(frozen=True)
class _Raised:
    exc: BaseException


async def arun_batch(
    articles: Sequence[Article],
    settings: Settings,
    *,
    options: BatchOptions | None = None,
    on_record: RecordCallback | None = None,
    resume: Mapping[str, Record] | None = None,
    backend: Backend | None = None,
) -> list[Record]:
    """One record per article of ``articles``, in input order: :func:`aiter_batch`
    collected, for a batch small enough to hold (use :func:`aiter_batch` for archives).
    ``on_record`` is called with each record as it is ready; a resumed record is the same
    object as in ``resume``. EndpointUnreachableError carries every record."""
    results: list[Record | None] = [None] * len(articles)
    source = as_resume_source(resume)
    try:
        async with aclosing(stream_batch(articles, settings, options=options, resume=source,
                                         backend=backend)) as items:
            async for item in items:
                if item.resumed:
                    assert source is not None and item.previous is not None
                    record = source.load(item.previous)
                else:
                    record = item.record
                results[item.index] = record
                if on_record is not None:
                    on_record(record)
    except EndpointUnreachableError as exc:
        exc.records = list(results)
        raise
    missing = [i for i, record in enumerate(results) if record is None]
    if missing:  # every path above gives each article a record; never return fewer
        raise AssertionError(f"no record for article(s) {missing[:5]}")
    return results  # type: ignore[return-value]


def run_batch(articles: Sequence[Article], settings: Settings, *,
              options: BatchOptions | None = None, on_record: RecordCallback | None = None,
              resume: Mapping[str, Record] | None = None,
              backend: Backend | None = None) -> list[Record]:
    """Blocking twin of :func:`arun_batch` (same arguments); from code that already runs
    an event loop (a notebook) it runs in a worker thread."""
    return run_blocking(arun_batch(articles, settings, options=options, on_record=on_record,
                                    resume=resume, backend=backend))


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

    def see(self, record: Record, *, unreachable: bool | None = None) -> None:
        """Take note of a finished record (``unreachable``: what the backend that made it
        says of its endpoint, when that backend is in another process)."""
        reason = record.error.reason if record.error else None
        self.streak = self.streak + 1 if reason in self.REPEATED else 0
        if self.cause is not None or record.error is None:
            return
        if unreachable is None:
            unreachable = getattr(self.backend, "endpoint_unreachable", False)
        if reason == "connection_error" and unreachable:
            self.unreachable = True
            self.cause = f"{reason}: {record.error.message}"
        elif reason in self.FATAL or self.streak >= self.limit:
            self.cause = f"{record.error.reason}: {record.error.message}"
