"""Batch API jobs: submit, collect, status and export (``summarize batch ...``).

A job (summarize.batch.job) is made from inputs and run settings
(summarize.batch.job_setup). Every article is read, checked and keyed as ``summarize
run`` would: one already ok in the output or in the cache is not sent, one that cannot be
summarised gets its error record at collect. Every other article goes through
summarize.batch.replay, which asks the live path for its first request; that request is
written to the round's request files (summarize.batch.rounds) and sent as a batch.
Collecting a round reads the result lines back and replays each article's answers
through the live path (summarize.batch.job_pass): an article gets its record (parsed,
validated, grounded, salvaged, priced as live, at batch prices), or its next request (a
re-ask with the validation error, a resend of a failed request) goes into the next
round, or with ``reask="live"`` to the live endpoint. ``collect`` with ``wait`` runs
rounds until every article has its record, then compacts the output.

In ``file`` mode (``export``, ``collect --results``) the rounds' request files are for
another engine (``vllm run-batch``) and its output files are collected from disk.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Collection
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from summarize.batch.job import Job, JobState
from summarize.batch.job_output import JobOutput, compact, missing_records
from summarize.batch.job_pass import process
from summarize.batch.job_setup import (Echo, JobOptions, check_inputs, check_same_job,
                                       create_job, endpoint_url, job_settings, open_clients, open_job,
                                       open_summarizer)
from summarize.batch.progress import BatchTally
from summarize.batch.rounds import (ENDED, LOST, Notices, fetch_round, ingest_part,
                                    ingest_results, plan_round, record_round, refresh_round,
                                    submit_round, updated)
from summarize.errors import ConfigError, ModelError
from summarize.model.batch_api import BatchClients, BatchInfo
from summarize.model.faults import is_transient
from summarize.pipeline import Summarizer
from summarize.settings import Settings

__all__ = ["JobOptions", "Outcome", "check_inputs", "collect", "collect_results", "export",
           "open_job", "run_batch_api", "status", "submit"]

@dataclass
class Outcome:
    """Where a collect left the job: ``finished`` with the tally of the compacted output,
    or waiting (for batches, or for the results of a file-mode round)."""

    finished: bool
    tally: BatchTally | None = None
    waiting: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    #: The job's mode: "api" (a later collect, or --wait, goes on) or "file" (the
    #: results of the next round are needed: ``waiting`` says how to make them).
    mode: str = "api"


async def submit(path: Path, *, inputs: list[str], output: str | None, settings: Settings,
                 options: JobOptions, echo: Echo, override: Collection[str] = ()) -> Job:
    """Make the job at ``path`` (or take up one that stopped while submitting) and send
    its first round. The job. ``override``: the endpoint settings given on the command
    line, which replace an existing job's (see job_setup.job_settings)."""
    options.check()
    if path.exists():
        job, state = open_job(path)
        try:
            check_same_job(job, settings, inputs=inputs, override=override)
            settings = job_settings(job, settings, override=override)
        except BaseException:
            state.close()
            raise
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
    clients = open_clients(settings)
    try:
        number = state.last_round()
        if any(p.status in ("planned", "uploaded", "creating") for p in state.parts(round_=number)):
            await submit_round(job, state, clients, number=number)
        if state.count("queued"):
            number += 1
            parts = plan_round(job, state, number=number, max_requests=options.max_requests,
                               max_bytes=options.max_bytes)
            await submit_round(job, state, clients, number=number)
            echo(f"summarize: round {number}: {sum(p.requests for p in parts):,} requests in "
                 f"{len(parts)} batch(es) submitted")
    finally:
        await clients.aclose()
    job.save(state)


async def collect(path: Path, *, settings: Settings, options: JobOptions, output: str | None,
                  wait: bool, results: Path | None = None, echo: Echo,
                  override: Collection[str] = ()) -> Outcome:
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
        unknown = set(options.lost_batches) - {p.batch_id for p in state.parts()}
        if unknown:
            raise ConfigError(f"--lost-batch {', '.join(sorted(unknown))}: no batch of "
                              f"{path} has that id (summarize batch status --job {path})")
        if job.output != str(Path(target).absolute()):
            job.output = str(Path(target).absolute())
            job.save(state)
        outcome = await _collect(job, state, settings, options, JobOutput(target), wait=wait,
                                 results=results, echo=echo)
        outcome.mode = job.mode
        return outcome
    finally:
        state.close()


async def _collect(job: Job, state: JobState, settings: Settings, options: JobOptions,
                   output: JobOutput, *, wait: bool, results: Path | None, echo: Echo) -> Outcome:
    output.open()
    if output.repaired:
        echo(f"summarize: {output.path}: cut off a torn last line; that article is redone")
    clients = open_clients(settings) if job.mode == "api" else None
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
            return await _rounds(job, state, settings, options, output, clients, summarizer,
                                 notices, wait=wait, echo=echo)
    finally:
        output.close()
        if clients is not None:
            await clients.aclose()


async def _rounds(job: Job, state: JobState, settings: Settings, options: JobOptions,
                  output: JobOutput, clients: BatchClients | None, summarizer: Summarizer,
                  notices: Notices, *, wait: bool, echo: Echo) -> Outcome:
    delay = options.poll_interval
    while True:
        number = state.last_round()
        waiting = [p for p in state.parts(round_=number) if not p.ingested]
        if waiting and clients is not None:
            try:
                await _advance_round(job, state, clients, number, notices,
                                     lost=options.lost_batches, echo=echo)
            except ModelError as exc:
                if not (wait and passing(exc)):
                    raise
                echo(f"summarize: {exc} · checking again in {delay:.3g} s")
                await asyncio.sleep(delay)
                delay = min(options.poll_max, delay * 1.5)
                continue
            pending = [p for p in state.parts(round_=number) if not p.ingested]
            if pending:
                line = describe_round(number, state.parts(round_=number))
                if not wait:
                    return Outcome(False, waiting=line, counts=state.counts())
                echo(f"summarize: {line} · next check in {delay:.3g} s")
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
            echo(f"summarize: {done.reshaped} answer(s) came in another form (JSON content "
                 "for a tool call, the reverse, or JSON in a ``` fence): read as the form "
                 "asked for")
        if state.count("queued"):
            number += 1
            single = job.folder / f"round-{number}.requests.jsonl" if job.mode == "file" else None
            parts = plan_round(job, state, number=number, max_requests=options.max_requests,
                               max_bytes=options.max_bytes, single_file=single)
            requests = sum(p.requests for p in parts)
            if clients is None:
                job.save(state)
                continue  # the loop top says where the request file is
            await submit_round(job, state, clients, number=number)
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
            continue  # the loop top's pass gives them their records (or requests)
        tally = compact(output, state)
        job.save(state)
        return Outcome(True, tally=tally, counts=state.counts())


async def _advance_round(job: Job, state: JobState, clients: BatchClients, number: int,
                         notices: Notices, *, lost: Collection[str], echo: Echo) -> None:
    """Finish sending round ``number``, read its batches' status (a batch in ``lost``
    that the endpoint no longer knows is lost), and ingest the ones that have finished."""
    if any(p.status in ("planned", "uploaded", "creating") for p in state.parts(round_=number)
           if not p.ingested):
        await submit_round(job, state, clients, number=number)
    parts = await refresh_round(job, state, clients, number=number, lost=lost)
    for part in parts:
        if part.batch_id and not part.ingested and part.status in ENDED:
            if part.status == LOST:
                echo(f"summarize: batch {part.batch_id} is unknown to the endpoint (404) and "
                     f"named lost: its unanswered requests are sent again")
            await ingest_part(job, state, clients, part, notices)


def passing(exc: ModelError) -> bool:
    """True when a Batch API call failed for a reason that may pass (5xx, 429,
    connection errors, timeouts: the client's retries ran out): a job waiting for its
    batches checks again later rather than stopping."""
    return exc.cause is not None and is_transient(exc.cause)


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


async def status(path: Path, *, settings: Settings, override: Collection[str] = (),
                 refresh: bool = True) -> dict[str, Any]:
    """The job's batches (status, request counts, files) and its articles per state,
    read fresh from the endpoint each batch was created on unless ``refresh`` is False
    or the job is a file job. What was read is recorded unless another command (a
    collect) is writing the job's state: then it is shown, not recorded."""
    job, state = open_job(path)
    try:
        parts = state.parts()
        found: dict[str, BatchInfo] = {}
        if refresh and job.mode == "api":
            where = endpoint_url(job, settings, override=override)
            clients = open_clients(replace(settings, base_url=where))
            try:
                found = await fetch_round(clients, state.parts(round_=state.last_round()))
            finally:
                await clients.aclose()
        if found and state.try_begin(wait=1.0):
            record_round(job, state, found)  # in the transaction just begun
            parts = state.parts()
        batches = [asdict(updated(p, found[p.name]) if p.name in found else p) for p in parts]
        return {"job": str(job.path), "uid": job.uid, "mode": job.mode, "output": job.output,
                "model": job.settings.get("model"), "base_url": job.settings.get("base_url"),
                "rounds": state.last_round(), "articles": state.counts(), "batches": batches}
    finally:
        state.close()


async def export(inputs: list[str], requests: Path, *, settings: Settings, options: JobOptions,
                 job_path: Path | None, echo: Echo) -> int:
    """Write the requests of the articles to send into the one file ``requests`` (for
    ``vllm run-batch`` or an upload of one's own; empty when no article needs one);
    with ``job_path``, keep the job there for ``collect --job ... --results``. The
    number of requests."""
    options.check()
    with tempfile.TemporaryDirectory(prefix="summarize-export-") as scratch:
        path = job_path or Path(scratch) / "export.json"
        job, state = await create_job(path, mode="file", inputs=inputs, output=None,
                                      settings=settings, options=options, echo=echo,
                                      scratch=job_path is None)
        try:
            async with open_summarizer(settings, options) as summarizer:
                await process(job, state, summarizer, output=None, options=options,
                              states=("new",))
            requests.parent.mkdir(parents=True, exist_ok=True)
            temp = requests.with_name(f".{requests.name}.part")
            parts = plan_round(job, state, number=1, max_requests=options.max_requests,
                               max_bytes=options.max_bytes, single_file=temp)
            if not parts:
                temp.write_bytes(b"")
                echo(f"summarize: nothing to send: {state.count('cached')} in the cache, "
                     f"{state.count('skipped')} already ok in the output, {state.unusable()} "
                     "unusable")
            os.replace(temp, requests)
            for part in parts:
                state.update_part(part.name, file=str(requests.absolute()))
            job.save(state)
        finally:
            state.close()
    return sum(p.requests for p in parts)


async def collect_results(inputs: list[str], results: Path, *, output: str, job_path: Path,
                          settings: Settings, options: JobOptions, wait: bool,
                          echo: Echo, override: Collection[str] = ()) -> Outcome:
    """``collect --results FILE INPUTS...`` without a job made before: make the job
    ``export`` would have made for these inputs and settings (the custom_ids are the
    same), then collect FILE as its first round. ``override`` as for :func:`collect`."""
    if job_path.exists():
        check_same_job(Job.load(job_path), settings, inputs=inputs, override=override)
    else:
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
                         wait=wait, results=results, echo=echo, override=override)


async def run_batch_api(path: Path, *, inputs: list[str], output: str, settings: Settings,
                        options: JobOptions, echo: Echo,
                        override: Collection[str] = ()) -> Outcome:
    """``summarize run --batch-api``: submit (or take up the job at ``path``), then
    collect with wait until every article has its record. ``override`` as for
    :func:`submit`."""
    await submit(path, inputs=inputs, output=output, settings=settings, options=options,
                 echo=echo, override=override)
    return await collect(path, settings=settings, options=options, output=output, wait=True,
                         echo=echo, override=override)
