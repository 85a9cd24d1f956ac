"""``summarize batch``: OpenAI's Batch API (and vLLM's run-batch) for huge batches.

    summarize batch submit INPUT... --job JOB.json [-o OUT.jsonl] [run options]
    summarize batch status --job JOB.json [--json]
    summarize batch collect --job JOB.json [-o OUT.jsonl] [--wait] [--reask batch|live]
    summarize batch export INPUT... -o requests.jsonl [--job JOB.json] [run options]
    summarize batch collect --results results.jsonl (--job JOB.json | INPUT... -o OUT.jsonl)

The workflow, the files and the vLLM route: docs/batch-api.md.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from collections.abc import Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from summarize.cli.group import SummarizeGroup
from summarize.cli.options import (batch_options, batch_options_from, env, model_options,
                                   settings_from)
from summarize.errors import ConfigError
from summarize.model.batch_limits import MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE

T = TypeVar("T")

#: Settings that describe how to reach the endpoint: given on the command line at
#: collect, they replace the job's; the others shape the answers and stay the job's.
_ENDPOINT_FLAGS = ("base_url", "timeout", "backoff_initial", "backoff_max", "max_retry_after",
                   "max_retries", "pricing")


def job_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The flags of a Batch API job: request file limits, re-asks and polling."""
    options = [
        click.option("--reask", type=click.Choice(("batch", "live")), default="batch",
                     show_default=True,
                     help="Where follow-up requests go (re-asks of answers that fail validation, "
                     "resends of failed lines): the next batch round, or the live endpoint."),
        click.option("--poll-interval", type=click.FloatRange(min=0, min_open=True), default=10.0,
                     show_default=True,
                     help="Seconds between status checks while waiting; it grows by half "
                     "each time, up to 300 s (or this, if larger)."),
        click.option("--max-requests-per-file", type=click.IntRange(min=1),
                     default=MAX_REQUESTS_PER_FILE, show_default=True,
                     help="Most requests in one request file (one batch)."),
        click.option("--max-bytes-per-file", type=click.IntRange(min=1024),
                     default=MAX_BYTES_PER_FILE, show_default=True,
                     help="Largest request file, in bytes."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def drop_job_options(params: dict[str, Any]) -> None:
    """Remove the flags of :func:`job_options` from ``params`` (a live run ignores them)."""
    for name in ("reask", "poll_interval", "max_requests_per_file", "max_bytes_per_file"):
        params.pop(name)


def job_path_for(job: str | None, output: str) -> Path:
    """The job file: ``--job``, or ``OUTPUT.job.json`` beside the output."""
    return Path(job) if job else Path(output).with_name(Path(output).name + ".job.json")


def job_options_from(params: dict[str, Any]) -> Any:
    """The JobOptions of the flags of :func:`job_options` and :func:`batch_options`
    (removed from ``params``), checked."""
    from summarize.batch.api_jobs import JobOptions

    batch = batch_options_from(params)
    if batch.workers > 1:
        raise ConfigError(f"--workers {batch.workers} (or $SUMMARIZE_WORKERS): a Batch API job "
                          "makes no live model calls to spread over processes; leave it out")
    interval = params.pop("poll_interval")
    options = JobOptions(max_requests=params.pop("max_requests_per_file"),
                         max_bytes=params.pop("max_bytes_per_file"), reask=params.pop("reask"),
                         poll_interval=interval, poll_max=max(300.0, interval), batch=batch)
    options.check()
    return options


def run_job(work: Coroutine[Any, Any, T]) -> T:
    """Run a job command's coroutine; a job state that another process keeps locked
    (or that SQLite cannot read) is one line of error, not a traceback."""
    try:
        return asyncio.run(work)
    except sqlite3.OperationalError as exc:
        raise ConfigError(f"the job's state cannot be used now ({exc}): is another summarize "
                          "batch command writing it? Wait for it to finish, then retry") from None


def notices_to_stderr(quiet: bool) -> Callable[[str], None]:
    """Where a job's notices go: stderr, or nowhere with -q."""
    return (lambda _: None) if quiet else (lambda line: click.echo(line, err=True))


def _given(name: str) -> bool:
    """True when flag ``name`` was given on the command line."""
    context = click.get_current_context()
    return context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE


def given_endpoint_flags() -> tuple[str, ...]:
    """The endpoint settings given on the command line: they replace an existing job's
    (the environment does not, so that a job is not sent elsewhere by a shell's
    OPENAI_BASE_URL)."""
    return tuple(name for name in _ENDPOINT_FLAGS if _given(name))


def batch_settings(params: dict[str, Any], prompt: str | None) -> Any:
    """The Settings of a Batch API command's flags (ConfigError for --local-model)."""
    if params.pop("local_model", None):
        raise ConfigError("--local-model runs a live server; the Batch API needs an endpoint "
                          "with files and batches (use --base-url)")
    return settings_from(params, prompt=prompt)


def report_outcome(outcome: Any, output: str | None, echo: Callable[[str], None],
                   elapsed: float) -> None:
    """The end of a collect: the summary line, or where the job waits; exits."""
    if outcome.finished:
        echo(outcome.tally.summary_line(elapsed=elapsed, output=output))
        sys.exit(1 if outcome.tally.failed else 0)
    counts = ", ".join(f"{n} {state}" for state, n in sorted(outcome.counts.items()))
    again = "; run collect again (or with --wait)" if outcome.mode == "api" else ""
    echo(f"summarize: not finished: {outcome.waiting} (articles: {counts}){again}")
    sys.exit(1)


@click.group(cls=SummarizeGroup)
def batch() -> None:
    """OpenAI's Batch API: submit a batch, follow it, collect its records (half price, 24 h).

    Every article becomes one request line (custom_id, and the exact body `summarize run`
    would post); answers are read back through the same parsing, validators and
    grounding as live, and answers that fail validation are re-asked in a follow-up batch.

    \b
    Examples:
      summarize batch submit news/ --job news.job.json -o news.jsonl --model gpt-4o-mini
      summarize batch status --job news.job.json
      summarize batch collect --job news.job.json --wait
      summarize batch export news/ -o requests.jsonl --model M     # for vllm run-batch
      summarize batch collect --results results.jsonl news/ -o news.jsonl --model M

    The whole workflow, and the vLLM route: docs/batch-api.md.
    """


@batch.command(short_help="Send the articles of INPUT (files, folders, globs) as one job.")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--job", type=click.Path(dir_okay=False), required=True,
              help="The job file to write (its state goes in a folder beside it).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where collect will write the records: articles already ok in it are not sent.")
@click.option("--prompt", "-p", envvar="SUMMARIZE_PROMPT",
              help="Prompt name or path.  [default: neutral-v2]")
@model_options
@batch_options
@job_options
@click.option("-q", "--quiet", is_flag=True, help="No notices; errors only.")
def submit(inputs: tuple[str, ...], job: str, output: str | None, prompt: str | None,
           quiet: bool, **params: Any) -> None:
    """Send INPUT... (files, folders, globs) to the Batch API as one job.

    Writes one request line per article (at most 50,000 lines and 200 MB per file),
    uploads the files, creates their batches and writes JOB.json. Articles already ok in
    -o or in the cache are not sent. Run it again after a crash: it finishes what it
    started and sends nothing twice.
    """
    from summarize.batch.api_jobs import check_inputs, submit as submit_job

    options = job_options_from(params)
    settings = batch_settings(params, prompt)
    absolute = check_inputs(inputs)
    out = str(Path(output).absolute()) if output else None
    echo = notices_to_stderr(quiet)
    made = run_job(submit_job(Path(job), inputs=absolute, output=out, settings=settings,
                                  options=options, echo=echo, override=given_endpoint_flags()))
    echo(f"summarize: follow it with: summarize batch status --job {made.path}; collect with: "
         f"summarize batch collect --job {made.path}{'' if out else ' -o OUT.jsonl'} --wait")


@batch.command()
@click.option("--job", type=click.Path(dir_okay=False), required=True,
              help="The job file.")
@click.option("--json", "as_json", is_flag=True, envvar="SUMMARIZE_BATCH_STATUS_JSON",
              help="Print JSON (batches, counts, files).")
@click.option("--base-url", envvar=[env("base_url"), "OPENAI_BASE_URL"],
              help="The endpoint of the job's next batches, when it is not the job's (each "
              "batch is read where it was created), or the job's URL with the credentials "
              "the job file leaves out.")
def status(job: str, as_json: bool, base_url: str | None) -> None:
    """Show each batch of a job (status, requests done and failed) and its articles."""
    from summarize.batch.api_jobs import status as job_status
    from summarize.settings import Settings

    settings = Settings.from_env(base_url=base_url)
    found = run_job(job_status(Path(job), settings=settings,
                                   override=given_endpoint_flags()))
    if as_json:
        click.echo(json.dumps(found, indent=1))
        return
    click.echo(f"job {found['job']} ({found['mode']}): model {found['model']}, "
               f"{found['rounds']} round(s), output {found['output'] or '-'}")
    for part in found["batches"]:
        total = part["total"] or part["requests"]
        click.echo(f"  round {part['round']} {part['name']:<8} {part['batch_id'] or '-':<24} "
                   f"{part['status']:<11} {part['completed']:>7,}/{total:<7,} done "
                   f"{part['failed']:>6,} failed{'  (collected)' if part['ingested'] else ''}")
    counts = ", ".join(f"{n:,} {state}" for state, n in sorted(found["articles"].items()))
    click.echo(f"  articles: {counts}")


@batch.command()
@click.argument("inputs", nargs=-1)
@click.option("--job", type=click.Path(dir_okay=False),
              help="The job file (with --results and INPUT..., the job to make; default: "
              "OUT.job.json).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The JSONL file of records (default: the job's). Resumed, never written twice.")
@click.option("--wait", is_flag=True,
              help="Poll (with backoff, progress on stderr) and run re-ask rounds until "
              "every article has its record.")
@click.option("--results", type=click.Path(dir_okay=False, exists=True),
              help="An output file made elsewhere (vllm run-batch) for a job made by export, "
              "or, with INPUT... and the run options of the export, without one.")
@click.option("--prompt", "-p", envvar="SUMMARIZE_PROMPT",
              help="Prompt name or path (with --results INPUT...; with --job, the job's).")
@click.option("--lost-batch", "lost_batches", multiple=True, metavar="BATCH_ID",
              allow_from_autoenv=False,  # named on the command line, for this job only
              help="A batch of the job that the endpoint no longer knows (404): its "
              "unanswered requests are sent again. Only for a batch gone for good: OpenAI "
              "answers 404 under another key or project too. Repeatable.")
@model_options
@batch_options
@job_options
@click.option("-q", "--quiet", is_flag=True, help="No progress or notices; errors only.")
def collect(inputs: tuple[str, ...], job: str | None, output: str | None, wait: bool,
            results: str | None, prompt: str | None, lost_batches: tuple[str, ...],
            quiet: bool, **params: Any) -> None:
    """Collect a job's records into -o: one per article, errors included.

    Downloads the finished batches' output and error files, reads every answer through
    the live path's parsing, validators and grounding, caches the ok ones, and sends
    answers that fail validation (and lines that failed: 5xx, expired) to the next
    round. Exit status: 0 all articles ok; 1 some failed, or the job is not finished
    (without --wait); 2 usage or configuration error.
    """
    import time

    from summarize.batch.api_jobs import check_inputs, collect as collect_job, collect_results

    started = time.monotonic()
    echo = notices_to_stderr(quiet)
    options = replace(job_options_from(params), lost_batches=frozenset(lost_batches))
    given = batch_settings(params, prompt)
    if lost_batches and results:
        raise ConfigError("--lost-batch is for a job sent to the Batch API, not --results")
    if inputs and not results:
        raise ConfigError("INPUT... goes with --results (collecting an output file made "
                          "elsewhere); a job made by submit knows its inputs")
    if output and Path(output).suffix.lower() not in ("", ".jsonl", ".ndjson"):
        raise ConfigError("collect writes JSONL; make other formats with summarize report")
    if inputs:
        if not output:
            raise ConfigError("--results with INPUT... needs -o")
        path = job_path_for(job, output)
        outcome = run_job(collect_results(
            check_inputs(inputs), Path(results), output=str(Path(output).absolute()),
            job_path=path, settings=given, options=options, wait=wait, echo=echo,
            override=given_endpoint_flags()))
    else:
        if not job:
            raise ConfigError("collect needs --job (or --results with INPUT...)")
        from summarize.batch.job import Job
        from summarize.batch.job_setup import ANSWER_SETTINGS, check_same_job

        check_same_job(Job.load(job), given, override=given_endpoint_flags(),
                       names=[name for name in (*ANSWER_SETTINGS, "prompt") if _given(name)])
        outcome = run_job(collect_job(Path(job), settings=given, options=options,
                                          output=output, wait=wait,
                                          results=Path(results) if results else None,
                                          echo=echo, override=given_endpoint_flags()))
    report_outcome(outcome, output or None, echo, time.monotonic() - started)


@batch.command(short_help="Write the request file of INPUT alone, for vllm run-batch.")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The request file to write (JSONL: custom_id, method, url, body).")
@click.option("--job", type=click.Path(dir_okay=False),
              help="Also keep a job here, to collect the results with --job ... --results.")
@click.option("--prompt", "-p", envvar="SUMMARIZE_PROMPT",
              help="Prompt name or path.  [default: neutral-v2]")
@model_options
@batch_options
@job_options
@click.option("-q", "--quiet", is_flag=True, help="No notices; errors only.")
def export(inputs: tuple[str, ...], output: str, job: str | None, prompt: str | None,
           quiet: bool, **params: Any) -> None:
    """Write the request file of INPUT... alone (one file), for vllm run-batch.

    \b
    Then, on the GPU machine:
      vllm run-batch -i requests.jsonl -o results.jsonl --model MODEL
    and back here, with the same INPUT... and options:
      summarize batch collect --results results.jsonl INPUT... -o out.jsonl --model MODEL
    """
    from summarize.batch.api_jobs import check_inputs, export as export_job

    options = job_options_from(params)
    settings = batch_settings(params, prompt)
    count = run_job(export_job(check_inputs(inputs), Path(output), settings=settings,
                                   options=options, job_path=Path(job) if job else None,
                                   echo=notices_to_stderr(quiet)))
    notices_to_stderr(quiet)(f"summarize: {count:,} requests -> {output}")
