"""One pass over a job's articles: each gets its record, or its next request.

The inputs are read once, in order, beside the job's rows; an article with something
new (answers, failures, nothing sent yet, a cache hit to take) is replayed through the
live path (summarize.batch.replay) with up to ``concurrency`` articles at once, and gets
its record (cached, appended to the output marked with the job's uid) or its next
request (queued for the next round).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from summarize.articles import Article
from summarize.batch.cache import RecordCache
from summarize.batch.job import ArticleRow, Job, JobState
from summarize.batch.job_output import JobOutput
from summarize.batch.job_setup import JobOptions, job_articles
from summarize.batch.replay import Deferred, Replay, replay_article
from summarize.errors import ConfigError
from summarize.pipeline import Summarizer
from summarize.records import Record

#: States of an article that a collect pass has work for.
WORK = ("new", "cached", "answered", "retry", "failed")

@dataclass
class PassResult:
    """What a pass over the articles did."""

    written: int = 0
    queued: int = 0
    reshaped: int = 0


async def process(job: Job, state: JobState, summarizer: Summarizer, *,
                  output: JobOutput | None, options: JobOptions,
                  states: tuple[str, ...] = WORK) -> PassResult:
    """Give every article in one of ``states`` its record (appended to ``output``) or
    its next request (queued for the next round, or sent live with ``options.reask``
    "live" when there is an ``output``), reading the inputs once, in order. Without an
    output (submit, export) only requests are made. ConfigError when the inputs are not
    those the job was made from (read to the end, also when no article has work).

    The state changes are applied in short transactions between awaits (none is held
    while articles are replayed), so that another command (status) can write the
    state meanwhile."""
    done = PassResult()
    cache = options.batch.open_cache()
    settings = summarizer.settings
    slots = asyncio.Semaphore(options.batch.concurrency)
    failures: list[BaseException] = []
    tasks: set[asyncio.Task[None]] = set()
    changes = _Changes(state)

    async def handle(row: ArticleRow, article: Article) -> None:
        try:
            if row.state == "cached" and cache is not None:
                hit = cache.get(row.key or "", article)
                if hit is not None:
                    _write(job, changes, output, cache, row, hit)
                    done.written += 1
                    return
            replay = Replay(answers=[json.loads(b) for b in state.answers(row.position)],
                            failures=state.failures(row.position),
                            live=options.reask == "live" and output is not None)
            if row.state == "failed":
                replay.stop = (row.reason or "model_error", row.message or "the request failed")
            elif row.state == "retry":
                tries = replay.failures.get(row.send, 0)
                if tries > settings.max_retries:
                    replay.stop = (row.reason or "model_error", row.message or "the request failed")
                    replay.stop_after_retries = True
            result = await replay_article(summarizer, article, replay)
            done.reshaped += replay.reshaped
            if isinstance(result, Deferred):
                changes.add(row.position, "queued", send=replay.sends, body=result.body)
                done.queued += 1
            else:
                _write(job, changes, output, cache, row, result)
                done.written += 1
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - raised after the pass
            failures.append(exc)
        finally:
            slots.release()

    articles = job_articles(job)
    try:
        for row in state.rows():
            article = next(articles, None)
            if article is None or article.id != row.id or (
                    row.text_sha256 is not None and article.text_sha256 != row.text_sha256):
                raise ConfigError(
                    f"the inputs changed since the job was made: article {row.position + 1} "
                    f"is {article.id if article else 'missing'}, the job's is {row.id}"
                    f"{' (same id, other text)' if article and article.id == row.id else ''}")
            if row.state not in states or (output is None and row.key is None):
                continue  # an unusable article gets its error record at collect
            if failures:
                break
            await slots.acquire()
            task = asyncio.create_task(handle(row, article))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            if changes.full():
                changes.apply()
        else:
            extra = next(articles, None)
            if extra is not None:
                where = f" ({extra.path})" if extra.path else ""
                raise ConfigError(f"the inputs changed since the job was made: after its last "
                                  f"article they hold {extra.id}{where}; choose another --job")
        if tasks:
            await asyncio.gather(*tasks)
        if failures:
            raise failures[0]
    except BaseException:
        for task in tasks:
            task.cancel()
        changes.apply()  # what is done is done: its records are in the output
        raise
    finally:
        if cache is not None:
            cache.close()
    changes.apply()
    return done


class _Changes:
    """The state changes of a pass, kept until :meth:`apply` makes them in one short
    transaction (each record is in the output before its article is marked done: a
    pass killed in between finds it there, by the job's uid, on the next collect)."""

    def __init__(self, state: JobState, *, size: int = 200) -> None:
        self.state = state
        self.size = size
        self.pending: list[tuple[int, str, bool, dict[str, Any]]] = []

    def add(self, position: int, new_state: str, *, written: bool = False,
            **columns: Any) -> None:
        """Move the article at ``position`` to ``new_state`` (``written``: its record was
        written by this process) at the next :meth:`apply`."""
        self.pending.append((position, new_state, written, columns))

    def full(self) -> bool:
        """True when enough changes wait to be applied."""
        return len(self.pending) >= self.size

    def apply(self) -> None:
        """Make the waiting changes, in one transaction."""
        if not self.pending:
            return
        state = self.state
        state.begin()
        try:
            for position, new_state, written, columns in self.pending:
                state.set_state(position, new_state, **columns)
                if written:
                    state.note_written(position)
            state.commit()
        except BaseException:
            state.rollback()
            raise
        self.pending.clear()


def _write(job: Job, changes: _Changes, output: JobOutput | None, cache: RecordCache | None,
           row: ArticleRow, record: Record) -> None:
    """Cache ``record`` (when it is a full answer), append it to the output marked as
    this job's, and mark the article done."""
    assert output is not None, "records are written by collect only"
    if cache is not None and row.key:
        cache.put(row.key, record)
    mine = record.model_copy(update={"provenance": record.provenance.model_copy(
        update={"batch_job": job.uid})})
    output.append(mine)
    changes.add(row.position, "done", written=True)
