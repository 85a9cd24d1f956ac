"""Batch API jobs: submit, collect, status and export (``summarize batch ...``).

A job (summarize.batch.job) is made from inputs and run settings. Every article is read,
checked and keyed as ``summarize run`` would: one already ok in the output or in the
cache is not sent, one that cannot be summarised gets its error record at collect. Every
other article goes through summarize.batch.replay, which asks the live path for its
first request; that request is written to the round's request files
(summarize.batch.rounds) and sent as a batch. Collecting a round reads the result lines
back and replays each article's answers through the live path: an article gets its
record (parsed, validated, grounded, salvaged, priced as live, at batch prices), or its
next request (a re-ask with the validation error, a resend of a failed request) goes
into the next round, or with ``reask="live"`` to the live endpoint. ``collect`` with
``wait`` runs rounds until every article has its record, then compacts the output.

In ``file`` mode (``export``, ``collect --results``) the rounds' request files are for
another engine (``vllm run-batch``) and its output files are collected from disk.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from summarize.articles import Article, iter_articles
from summarize.batch.cache import RecordCache, cache_key, default_cache_dir
from summarize.batch.job import Job, JobState
from summarize.batch.job_output import JobOutput, compact, missing_records
from summarize.batch.progress import BatchTally
from summarize.batch.replay import Deferred, Replay, replay_article, replay_transport
from summarize.batch.rounds import (Notices, ingest_part, ingest_results, plan_round,
                                    refresh_round, submit_round)
from summarize.batch.runner import reusable
from summarize.errors import ConfigError
from summarize.model.batch_api import (MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE, BatchClient,
                                       custom_id)
from summarize.pipeline import Summarizer, public_url
from summarize.records import Record
from summarize.settings import Settings

#: Where a notice goes (stderr on the command line).
Echo = Callable[[str], None]
REASKS = ("batch", "live")
#: States of an article that a collect pass has work for.
_WORK = ("new", "cached", "answered", "retry", "failed")
#: Settings that may differ between submit and collect (how to reach the endpoint); all
#: the others shape the answers and come from the job.
_ENDPOINT_SETTINGS = ("base_url", "api_key", "timeout", "backoff_initial", "backoff_max",
                      "max_retry_after", "max_retries", "pricing")


@dataclass(frozen=True, kw_only=True)
class JobOptions:
    """How a job runs (what it runs with is in Settings)."""

    #: Largest request file: lines and bytes (the Batch API's limits by default).
    max_requests: int = MAX_REQUESTS_PER_FILE
    max_bytes: int = MAX_BYTES_PER_FILE
    #: Where follow-up requests go: "batch" (the next round) or "live" (the endpoint).
    reask: str = "batch"
    #: Seconds between status checks while waiting (growing by half up to poll_max).
    poll_interval: float = 10.0
    poll_max: float = 300.0
    #: Articles replayed at once, and the live requests' limits (reask "live").
    concurrency: int = 8
    rpm: float | None = None
    tpm: float | None = None
    use_cache: bool = True
    cache_dir: Path | None = None

    def check(self) -> None:
        """ConfigError for a value no job can use."""
        if self.reask not in REASKS:
            raise ConfigError(f"unknown --reask {self.reask!r}; choose batch or live")
        if self.max_requests < 1 or self.max_bytes < 1024:
            raise ConfigError("request files must hold at least 1 request and 1 KiB")
        if self.poll_interval <= 0 or self.poll_max < self.poll_interval:
            raise ConfigError("--poll-interval must be positive (and at most the longest wait)")
        if self.concurrency < 1:
            raise ConfigError("--concurrency must be 1 or more")

    def open_cache(self) -> RecordCache | None:
        """The record cache these options ask for, or None."""
        return RecordCache(self.cache_dir or default_cache_dir()) if self.use_cache else None


@dataclass
class Outcome:
    """Where a collect left the job: ``finished`` with the tally of the compacted output,
    or waiting (for batches, or for the results of a file-mode round)."""

    finished: bool
    tally: BatchTally | None = None
    waiting: str = ""
    counts: dict[str, int] = field(default_factory=dict)


# ---- settings and inputs --------------------------------------------------------------------


def snapshot(settings: Settings) -> dict[str, Any]:
    """The settings a job keeps (every setting but the key; the URL without credentials)."""
    kept = {f.name: getattr(settings, f.name) for f in fields(Settings) if f.name != "api_key"}
    kept["base_url"] = public_url(settings.base_url)
    return kept


def job_settings(job: Job, given: Settings, *, override: tuple[str, ...] = ()) -> Settings:
    """The settings to collect ``job`` with: the job's, with the key and the endpoint
    settings named in ``override`` taken from ``given`` (the command line and the
    environment). ConfigError when the prompt changed since the job was made."""
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in job.settings.items() if k in known}
    values["api_key"] = given.api_key
    for name in override:
        values[name] = getattr(given, name)
    if given.base_url:  # the endpoint as given now (its URL may carry what the job omits)
        values["base_url"] = given.base_url
    values["backend"] = "openai"
    settings = Settings(**values)
    settings.check()
    from summarize.prompts import load_prompt

    prompt = load_prompt(settings.prompt)
    if job.settings.get("prompt_sha256") and prompt.sha256 != job.settings["prompt_sha256"]:
        raise ConfigError(f"the prompt {settings.prompt} changed since the job was made "
                          f"(sha256 {prompt.sha256[:12]}, the job's {job.settings['prompt_sha256'][:12]}): "
                          "its answers are for the old text; restore it or make a new job")
    return settings


def check_inputs(inputs: tuple[str, ...] | list[str]) -> list[str]:
    """The inputs as absolute paths (a job reads them again at every collect).
    ConfigError for stdin and for a name that does not exist."""
    import glob

    absolute = []
    for item in inputs:
        if item == "-":
            raise ConfigError("a Batch API job reads its inputs again when it collects: give "
                              "files or folders, not - (stdin)")
        if not glob.has_magic(item) and not Path(item).exists() and not Path(item).is_symlink():
            raise ConfigError(f"{item}: no such file or folder")
        absolute.append(str(Path(item).absolute()))
    return absolute


def job_articles(job: Job) -> Iterator[Article]:
    """The job's input articles in order, with unique ids (as ``summarize run`` numbers
    repeated ids), leaving out the job's own files and its output."""
    exclude = [job.path] + ([job.output] if job.output else [])
    folder = job.folder.resolve()
    seen: dict[str, int] = {}
    for article in iter_articles(job.inputs, exclude=exclude):
        if article.path and folder in Path(article.path).resolve().parents:
            continue
        count = seen.get(article.id, 0) + 1
        seen[article.id] = count
        if count > 1:
            article.id = f"{article.id}#{count}"
        yield article


def open_summarizer(settings: Settings, options: JobOptions) -> Summarizer:
    """A Summarizer whose model backend answers from the job's replay (and, with reask
    "live", sends follow-up requests to the endpoint within the rate limits)."""
    from summarize.model.backend import OpenAIBackend
    from summarize.model.ratelimit import RateLimits, limited_http_client

    http_client = None
    if options.reask == "live":
        http_client = limited_http_client(RateLimits(rpm=options.rpm, tpm=options.tpm),
                                          connections=options.concurrency)
    backend = OpenAIBackend(settings, http_client=http_client, transport=replay_transport)
    return Summarizer(settings, backend=backend, close_backend=True)


def open_client(settings: Settings) -> BatchClient:
    """The Batch API client of the endpoint ``settings`` name."""
    return BatchClient(api_key=settings.api_key, base_url=settings.base_url,
                       max_retries=settings.max_retries, backoff_initial=settings.backoff_initial,
                       backoff_max=settings.backoff_max, max_retry_after=settings.max_retry_after)


# ---- making a job ---------------------------------------------------------------------------


async def create_job(path: Path, *, mode: str, inputs: list[str], output: str | None,
                     settings: Settings, options: JobOptions, echo: Echo) -> tuple[Job, JobState]:
    """Make the job at ``path``: a row for every input article (to send, already ok in
    the output, in the cache, or unusable), then the job file. ConfigError when a job
    file is there already."""
    if path.exists():
        raise ConfigError(f"{path} exists already")
    if settings.resolved_backend() != "openai":
        raise ConfigError("the Batch API needs a model backend (not --backend rules)")
    from summarize.prompts import load_prompt

    kept = snapshot(settings)
    kept["prompt_sha256"] = load_prompt(settings.prompt).sha256
    prompt_path = Path(settings.prompt)
    if prompt_path.suffix == ".md" and prompt_path.is_file():
        kept["prompt"] = str(prompt_path.absolute())
    job = Job.new(path, mode=mode, inputs=inputs, output=output, settings=kept)
    state_file = job.folder / "state.sqlite"
    for leftover in (state_file, state_file.with_name("state.sqlite-wal"),
                     state_file.with_name("state.sqlite-shm")):
        leftover.unlink(missing_ok=True)  # a job that died before its job file was written
    state = JobState(job.folder)
    async with open_summarizer(settings, options) as summarizer:
        provenance = summarizer.provenance()
        check_input = summarizer.check_input
    previous = JobOutput(output) if output and Path(output).exists() else None
    if previous is not None:
        previous.index(state, ok_only=True)
    cache = options.open_cache()
    counts = {"skipped": 0, "cached": 0, "unusable": 0, "to send": 0}
    try:
        state.begin()
        for position, article in enumerate(job_articles(job)):
            if check_input(article) is not None:
                state.add_article(position, article.id, text_sha256=None, key=None, base=None)
                counts["unusable"] += 1
                continue
            key = cache_key(article, provenance)
            base = custom_id(key, article.id, 1).rsplit("-", 1)[0]
            status = "new"
            if previous is not None and reusable(_previous(previous, state, article.id),
                                                 article, provenance):
                status = "skipped"
            elif cache is not None and cache.get(key, article) is not None:
                status = "cached"
            counts["to send" if status == "new" else status] += 1
            state.add_article(position, article.id, text_sha256=article.text_sha256, key=key,
                              base=base, state=status)
            if position % 1000 == 999:
                state.commit()
                state.begin()
        state.commit()
    finally:
        if cache is not None:
            cache.close()
    if state.empty():
        raise ConfigError(f"no articles found in {' '.join(inputs)} "
                          "(looked for .txt .md .json .jsonl .html files)")
    job.save(state)
    echo(f"summarize: job {job.path}: {sum(counts.values())} articles: {counts['to send']} to send, "
         f"{counts['skipped']} already ok in the output, {counts['cached']} in the cache, "
         f"{counts['unusable']} unusable (their error records come at collect)")
    return job, state


def _previous(output: JobOutput, state: JobState, article_id: str) -> Record | None:
    found = state.db.execute("SELECT offset, length FROM lines WHERE id = ?", (article_id,)).fetchone()
    return output.record_at(*found) if found else None


def open_job(path: Path) -> tuple[Job, JobState]:
    """The job at ``path`` and its state."""
    job = Job.load(path)
    return job, JobState(job.folder)


# ---- one pass over the articles -------------------------------------------------------------


@dataclass
class _Pass:
    """What a pass over the articles did."""

    written: int = 0
    queued: int = 0
    reshaped: int = 0


async def process(job: Job, state: JobState, summarizer: Summarizer, *,
                  output: JobOutput | None, options: JobOptions,
                  states: tuple[str, ...] = _WORK) -> _Pass:
    """Give every article in one of ``states`` its record (appended to ``output``) or
    its next request (queued for the next round, or sent live with ``options.reask``
    "live" when there is an ``output``), reading the inputs once, in order. Without an
    output (submit, export) only requests are made. ConfigError when the inputs are not
    those the job was made from."""
    done = _Pass()
    if not state.count(*states):
        return done
    cache = options.open_cache()
    settings = summarizer.settings
    slots = asyncio.Semaphore(options.concurrency)
    failures: list[BaseException] = []
    tasks: set[asyncio.Task[None]] = set()

    async def handle(row: Any, article: Article) -> None:
        try:
            if row.state == "cached" and cache is not None:
                hit = cache.get(row.key, article)
                if hit is not None:
                    _write(job, state, output, cache, row, hit)
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
                    replay.stop = (row.reason or "model_error",
                                   f"{row.message} (gave up after {tries} attempts)")
            result = await replay_article(summarizer, article, replay)
            done.reshaped += replay.reshaped
            if isinstance(result, Deferred):
                state.set_state(row.position, "queued", send=replay.sends,
                                body=json.dumps(result.body, ensure_ascii=False, separators=(",", ":")))
                done.queued += 1
            else:
                _write(job, state, output, cache, row, result)
                done.written += 1
        except BaseException as exc:  # noqa: BLE001 - raised after the pass
            failures.append(exc)
        finally:
            slots.release()

    articles = job_articles(job)
    handled = 0
    state.begin()
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
            handled += 1
            if handled % 500 == 0:
                await asyncio.sleep(0)
                state.commit()
                state.begin()
        if tasks:
            await asyncio.gather(*tasks)
        if failures:
            raise failures[0]
        state.commit()
    except BaseException:
        for task in tasks:
            task.cancel()
        state.commit()  # what is done is done: its records are in the output
        raise
    finally:
        if cache is not None:
            cache.close()
    return done


def _write(job: Job, state: JobState, output: JobOutput | None, cache: RecordCache | None,
           row: Any, record: Record) -> None:
    """Cache ``record`` (when it is a full answer), append it to the output marked as
    this job's, and mark the article done."""
    assert output is not None, "records are written by collect only"
    if cache is not None and row.key:
        cache.put(row.key, record)
    mine = record.model_copy(update={"provenance": record.provenance.model_copy(
        update={"batch_job": job.uid})})
    output.append(mine)
    state.set_state(row.position, "done")


# ---- submit, collect, status, export --------------------------------------------------------


async def submit(path: Path, *, inputs: list[str], output: str | None, settings: Settings,
                 options: JobOptions, echo: Echo) -> Job:
    """Make the job at ``path`` (or take up one that stopped while submitting) and send
    its first round. The job."""
    options.check()
    if path.exists():
        job, state = open_job(path)
        settings = job_settings(job, settings, override=_ENDPOINT_SETTINGS)
        echo(f"summarize: {path} exists: taking it up where it stopped")
    else:
        job, state = await create_job(path, mode="api", inputs=inputs, output=output,
                                settings=settings, options=options, echo=echo)
    try:
        await _submit_next(job, state, settings, options, echo)
    finally:
        state.close()
    return job


async def _submit_next(job: Job, state: JobState, settings: Settings, options: JobOptions,
                       echo: Echo) -> None:
    """Queue the new articles' first requests, then plan and send the round (or finish
    sending one that a stopped run left half sent)."""
    async with open_summarizer(settings, options) as summarizer:
        await process(job, state, summarizer, output=None, options=options, states=("new",))
    client = open_client(settings)
    try:
        number = state.last_round()
        if any(p.status in ("planned", "uploaded", "creating") for p in state.parts(round_=number)):
            await submit_round(job, state, client, number=number)
        if state.count("queued"):
            number += 1
            parts = plan_round(job, state, number=number, max_requests=options.max_requests,
                               max_bytes=options.max_bytes)
            await submit_round(job, state, client, number=number)
            echo(f"summarize: round {number}: {sum(p.requests for p in parts):,} requests in "
                 f"{len(parts)} batch(es) submitted")
    finally:
        await client.aclose()
    job.save(state)


async def collect(path: Path, *, settings: Settings, options: JobOptions, output: str | None,
                  wait: bool, results: Path | None = None, echo: Echo,
                  override: tuple[str, ...] = ()) -> Outcome:
    """Collect the job at ``path`` into ``output`` (default: the job's): ingest what has
    finished, write the records that are ready, send the next round; with ``wait``,
    until every article has its record. ``results`` is an output file made elsewhere
    for a file-mode job."""
    options.check()
    job, state = open_job(path)
    try:
        settings = job_settings(job, settings, override=override)
        target = output or job.output
        if not target:
            raise ConfigError("collect needs -o (the job names no output)")
        if results is not None and job.mode != "file":
            raise ConfigError(f"{path} sends its rounds to the Batch API; --results is for "
                              "jobs made by export or by collect --results")
        if job.output != str(Path(target).absolute()):
            job.output = str(Path(target).absolute())
            job.save(state)
        return await _collect(job, state, settings, options, JobOutput(target), wait=wait,
                              results=results, echo=echo)
    finally:
        state.close()


async def _collect(job: Job, state: JobState, settings: Settings, options: JobOptions,
                   output: JobOutput, *, wait: bool, results: Path | None, echo: Echo) -> Outcome:
    output.open()
    if output.repaired:
        echo(f"summarize: {output.path}: cut off a torn last line; that article is redone")
    client = open_client(settings) if job.mode == "api" else None
    notices = Notices()
    try:
        recovered = output.mark_written(state, job.uid)
        if recovered:
            echo(f"summarize: {output.path} holds {recovered} record(s) of this job already")
        if results is not None:
            number = ingest_results(job, state, results, notices)
            echo(f"summarize: {results}: read as the results of round {number}" if number else
                 f"summarize: {results}: no round of this job is waiting for results; ignored")
        async with open_summarizer(settings, options) as summarizer:
            return await _rounds(job, state, settings, options, output, client, summarizer,
                                 notices, wait=wait, echo=echo)
    finally:
        output.close()
        if client is not None:
            await client.aclose()


async def _rounds(job: Job, state: JobState, settings: Settings, options: JobOptions,
                  output: JobOutput, client: BatchClient | None, summarizer: Summarizer,
                  notices: Notices, *, wait: bool, echo: Echo) -> Outcome:
    delay = options.poll_interval
    while True:
        number = state.last_round()
        waiting = [p for p in state.parts(round_=number) if not p.ingested]
        if waiting and client is not None:
            if any(p.status in ("planned", "uploaded", "creating") for p in waiting):
                await submit_round(job, state, client, number=number)
            parts = await refresh_round(job, state, client, number=number)
            for part in parts:
                if part.batch_id and not part.ingested and part.status in (
                        "completed", "failed", "expired", "cancelled"):
                    await ingest_part(job, state, client, part, notices)
            pending = [p for p in state.parts(round_=number) if not p.ingested]
            if pending:
                line = describe_round(number, state.parts(round_=number))
                if not wait:
                    return Outcome(False, waiting=line, counts=state.counts())
                echo(f"summarize: {line} · next check in {delay:.0f} s")
                await asyncio.sleep(delay)
                delay = min(options.poll_max, delay * 1.5)
                continue
            delay = options.poll_interval
        elif waiting:
            files = ", ".join(p.file for p in waiting)
            return Outcome(False, counts=state.counts(), waiting=(
                f"round {number} waits for the results of {files}: run it (e.g. vllm run-batch "
                f"-i {waiting[0].file} -o results.jsonl --model {settings.model}), then "
                f"summarize batch collect --job {job.path} --results results.jsonl"))
        for said in notices.lines():
            echo(f"summarize: {said}")
        notices = Notices()
        done = await process(job, state, summarizer, output=output, options=options)
        if done.reshaped:
            echo(f"summarize: {done.reshaped} answer(s) came in the other form (JSON content "
                 "for a tool call, or the reverse): read as the form asked for")
        if state.count("queued"):
            number += 1
            single = job.folder / f"round-{number}.requests.jsonl" if job.mode == "file" else None
            parts = plan_round(job, state, number=number, max_requests=options.max_requests,
                               max_bytes=options.max_bytes, single_file=single)
            requests = sum(p.requests for p in parts)
            if client is None:
                job.save(state)
                continue  # the loop top says where the request file is
            await submit_round(job, state, client, number=number)
            echo(f"summarize: round {number}: {requests:,} follow-up request(s) (re-asks and "
                 f"resends) in {len(parts)} batch(es) submitted")
            if not wait:
                return Outcome(False, counts=state.counts(),
                               waiting=describe_round(number, state.parts(round_=number)))
            continue
        output.index(state)
        missing = missing_records(output, state)
        if missing:
            echo(f"summarize: {len(missing)} article(s) have no record in {output.path} "
                 "(removed since?): they are sent again")
            state.begin()
            for position in missing:
                state.set_state(position, "new")
            state.commit()
            await process(job, state, summarizer, output=output, options=options)
            continue
        tally = compact(output, state, job.uid)
        job.save(state)
        return Outcome(True, tally=tally, counts=state.counts())


def describe_round(number: int, parts: list[Any]) -> str:
    """One line on a round's batches: statuses and request counts."""
    statuses: dict[str, int] = {}
    for part in parts:
        statuses[part.status] = statuses.get(part.status, 0) + 1
    total = sum(p.total or p.requests for p in parts)
    completed = sum(p.completed for p in parts)
    failed = sum(p.failed for p in parts)
    said = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    return (f"round {number}: {len(parts)} batch(es): {said} · {completed:,} of {total:,} "
            f"requests done, {failed:,} failed")


async def status(path: Path, *, settings: Settings, refresh: bool = True) -> dict[str, Any]:
    """The job's batches (status, request counts, files) and its articles per state,
    read fresh from the endpoint unless ``refresh`` is False or the job is a file job."""
    job, state = open_job(path)
    try:
        if refresh and job.mode == "api":
            settings = job_settings(job, settings, override=_ENDPOINT_SETTINGS)
            client = open_client(settings)
            try:
                number = state.last_round()
                if number:
                    await refresh_round(job, state, client, number=number)
            finally:
                await client.aclose()
        job.save(state)
        return {"job": str(job.path), "uid": job.uid, "mode": job.mode, "output": job.output,
                "model": job.settings.get("model"), "base_url": job.settings.get("base_url"),
                "rounds": state.last_round(), "articles": state.counts(),
                "batches": job.batches}
    finally:
        state.close()


async def export(inputs: list[str], requests: Path, *, settings: Settings, options: JobOptions,
                 job_path: Path | None, echo: Echo) -> int:
    """Write the requests of the articles to send into the one file ``requests`` (for
    ``vllm run-batch`` or an upload of one's own); with ``job_path``, keep the job there
    for ``collect --job ... --results``. The number of requests."""
    import tempfile

    options.check()
    with tempfile.TemporaryDirectory(prefix="summarize-export-") as scratch:
        path = job_path or Path(scratch) / "export.json"
        job, state = await create_job(path, mode="file", inputs=inputs, output=None,
                                settings=settings, options=options, echo=echo)
        try:
            async with open_summarizer(settings, options) as summarizer:
                await process(job, state, summarizer, output=None, options=options,
                              states=("new",))
            requests.parent.mkdir(parents=True, exist_ok=True)
            temp = requests.with_name(f".{requests.name}.part")
            parts = plan_round(job, state, number=1, max_requests=options.max_requests,
                               max_bytes=options.max_bytes, single_file=temp)
            os.replace(temp, requests)
            for part in parts:
                state.update_part(part.name, file=str(requests.absolute()))
            job.save(state)
        finally:
            state.close()
    return sum(p.requests for p in parts)


async def collect_results(inputs: list[str], results: Path, *, output: str, job_path: Path,
                          settings: Settings, options: JobOptions, wait: bool,
                          echo: Echo) -> Outcome:
    """``collect --results FILE INPUTS...`` without a job made before: make the job
    ``export`` would have made for these inputs and settings (the custom_ids are the
    same), then collect FILE as its first round."""
    if not job_path.exists():
        job, state = await create_job(job_path, mode="file", inputs=inputs, output=output,
                                settings=settings, options=options, echo=echo)
        try:
            async with open_summarizer(settings, options) as summarizer:
                await process(job, state, summarizer, output=None, options=options,
                              states=("new",))
            plan_round(job, state, number=1, max_requests=options.max_requests,
                       max_bytes=options.max_bytes,
                       single_file=job.folder / "round-1.requests.jsonl")
            job.save(state)
        finally:
            state.close()
    return await collect(job_path, settings=settings, options=options, output=output,
                         wait=wait, results=results, echo=echo, override=_ENDPOINT_SETTINGS)


async def run_batch_api(path: Path, *, inputs: list[str], output: str, settings: Settings,
                        options: JobOptions, echo: Echo) -> Outcome:
    """``summarize run --batch-api``: submit (or take up the job at ``path``), then
    collect with wait until every article has its record."""
    await submit(path, inputs=inputs, output=output, settings=settings, options=options,
                 echo=echo)
    return await collect(path, settings=settings, options=options, output=output, wait=True,
                         echo=echo, override=_ENDPOINT_SETTINGS)
