"""``--workers N``: the model calls of a batch spread over N processes.

One process reaches about one core's worth of requests (the openai SDK, instructor, the
validators and grounding cost a few milliseconds of CPU per article); a machine with
more cores can run more. With ``BatchOptions(workers=N)`` the batch
(summarize.batch.runner.stream_batch) stays in this process: it reads the articles,
answers from the output and the cache what it can, writes and counts every record, and
stops the batch when the endpoint fails. Only the articles that need the model go to the
N worker processes, each with its own event loop and client and a share of the batch:
``concurrency / N`` requests in flight and ``rpm / N``, ``tpm / N`` (each process finds
its own pace on 429s). A worker sends back each record's JSONL line and stores it in
the cache itself; nothing else crosses between the processes.

A worker that dies (killed, out of memory) fails the batch with a ConfigError naming it;
the records already written stay, and a rerun resumes.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

from summarize.articles import Article
from summarize.errors import ConfigError
from summarize.logs import configure_logging, current_verbosity
from summarize.records import Record
from summarize.settings import Settings


class WorkerPool:
    """N worker processes that summarise articles for one batch (use ``async with``)."""

    def __init__(self, settings: Settings, options: Any, count: int) -> None:
        """``options``: the batch's BatchOptions; each worker gets its share of them."""
        self.count = count
        share = replace(options, workers=1, concurrency=max(1, options.concurrency // count),
                        rpm=options.rpm / count if options.rpm else None,
                        tpm=options.tpm / count if options.tpm else None)
        context = multiprocessing.get_context("spawn")
        self._jobs: list[Connection] = []
        self._processes: list[Any] = []
        self._readers: list[threading.Thread] = []
        self._pending: dict[int, asyncio.Future[tuple[bytes, bool]]] = {}
        self._load = [0] * count
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pipes: list[tuple[Connection, Connection]] = []
        for number in range(count):
            jobs_out, jobs_in = context.Pipe(duplex=False)
            results_out, results_in = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(settings, share, jobs_out, results_in,
                                                          current_verbosity()),
                                      name=f"summarize-worker-{number}", daemon=True)
            self._processes.append(process)
            self._jobs.append(jobs_in)
            self._pipes.append((jobs_out, results_in))
            self._readers.append(threading.Thread(target=self._read, args=(number, results_out),
                                                  daemon=True, name=f"summarize-results-{number}"))

    async def __aenter__(self) -> WorkerPool:
        self._loop = asyncio.get_running_loop()
        for process in self._processes:
            process.start()
        for jobs_out, results_in in self._pipes:  # the children hold their ends now
            jobs_out.close()
            results_in.close()
        for reader in self._readers:
            reader.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for jobs in self._jobs:
            try:
                jobs.send(None)
            except OSError:
                pass
        await asyncio.to_thread(self._join)

    def _join(self) -> None:
        for process in self._processes:
            process.join(timeout=30)
            if process.is_alive():  # pragma: no cover - a worker that does not stop
                process.terminate()
                process.join(timeout=10)
        for reader in self._readers:
            reader.join(timeout=10)

    async def run(self, index: int, article: Article, key: str | None) -> tuple[Record, bytes, bool]:
        """The record of ``article`` (input position ``index``; ``key``: its cache key, to
        store the record under), its JSONL line, and whether that worker's endpoint was
        unreachable."""
        assert self._loop is not None
        number = min(range(self.count), key=self._load.__getitem__)
        future: asyncio.Future[tuple[bytes, bool]] = self._loop.create_future()
        self._pending[index] = future
        self._load[number] += 1
        try:
            self._jobs[number].send((index, article.model_dump_json(), key))
            line, unreachable = await future
        finally:
            self._load[number] -= 1
            self._pending.pop(index, None)
        return Record.model_validate_json(line), line, unreachable

    def _read(self, number: int, results: Connection) -> None:
        """Thread: hand each result of worker ``number`` to the future waiting for it."""
        assert self._loop is not None
        while True:
            try:
                message = results.recv()
            except (EOFError, OSError):
                self._loop.call_soon_threadsafe(self._died, number)
                return
            if message is None:
                return
            index, line, unreachable = message
            self._loop.call_soon_threadsafe(self._deliver, index, line, unreachable)

    def _deliver(self, index: int, line: bytes, unreachable: bool) -> None:
        future = self._pending.get(index)
        if future is not None and not future.done():
            future.set_result((line, unreachable))

    def _died(self, number: int) -> None:
        """Worker ``number`` is gone without saying goodbye: nothing it had will come."""
        error = ConfigError(f"worker process {number} of --workers stopped unexpectedly "
                            f"(exit code {self._processes[number].exitcode}); the records "
                            "written so far stay: rerun the same command to resume")
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)


def _work(settings: Settings, options: Any, jobs: Connection, results: Connection,
          verbosity: int = 0) -> None:
    """Worker process: summarise the articles sent on ``jobs`` until None comes, logging
    as the parent does (``verbosity``: its -v count)."""
    configure_logging(verbosity)
    asyncio.run(_serve(settings, options, jobs, results))
    results.send(None)


async def _serve(settings: Settings, options: Any, jobs: Connection, results: Connection) -> None:
    from summarize.batch.journal import record_line
    from summarize.batch.runner import open_backend
    from summarize.model.ratelimit import RateLimits
    from summarize.pipeline import Summarizer

    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[Any] = asyncio.Queue()

    def receive() -> None:
        while True:
            try:
                job = jobs.recv()
            except (EOFError, OSError):
                job = None
            loop.call_soon_threadsafe(inbox.put_nowait, job)
            if job is None:
                return

    threading.Thread(target=receive, daemon=True, name="summarize-jobs").start()
    limits = RateLimits(rpm=options.rpm, tpm=options.tpm)
    backend = open_backend(settings, limits=limits, concurrency=options.concurrency)
    cache = options.open_cache()
    try:
        async with Summarizer(settings, backend=backend, close_backend=True) as summarizer:

            async def work() -> None:
                while (job := await inbox.get()) is not None:
                    index, data, key = job
                    record = await summarizer.run(Article.model_validate_json(data))
                    line = record_line(record)
                    if cache is not None and key is not None:
                        cache.put(key, record, line)
                    results.send((index, line, bool(getattr(backend, "endpoint_unreachable",
                                                            False))))
                inbox.put_nowait(None)  # let the other coroutines stop too

            await asyncio.gather(*(work() for _ in range(2 * options.concurrency)))
    finally:
        if cache is not None:
            cache.close()
