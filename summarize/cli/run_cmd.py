"""``summarize run``: summarise many articles, one record per article.

Articles are read as the batch needs them and each record goes to a JSONL journal (-o,
or OUT.partial.jsonl for the other formats) as its article finishes, so that a killed
run loses nothing and no run holds its batch in memory: rerunning the same command
skips the articles already ok in it (found in the journal's resume index) and retries
the rest. At the end the journal is put in input order (summarize.batch.output) or
turned into the format asked for.
"""

from __future__ import annotations

import asyncio
import glob
import itertools
import sys
import time
from collections.abc import Iterator
from contextlib import aclosing
from pathlib import Path
from typing import Any

import click

from summarize.articles import Article, unique_ids
from summarize.batch import BatchEstimate, BatchOptions, aestimate_batch
from summarize.batch.output import RunOutput
from summarize.batch.runner import stream_batch
from summarize.cli.batch_cmd import drop_job_options, job_options
from summarize.cli.options import (
    FLAT_ENV,
    env,
    backend_notice,
    batch_options,
    batch_options_from,
    model_options,
    run_settings,
)
from summarize.errors import ConfigError, EndpointUnreachableError
from summarize.inputs import iter_articles
from summarize.batch.journal import write_atomically
from summarize.batch.progress import BatchProgress, BatchTally, FailureGroup
from summarize.settings import Settings
from summarize.batch.writers import FORMATS, format_for

#: Failed articles listed by name at the end of a run (the rest are counted).
_FAILURES_SHOWN = 10


def _target(output: str | None, requested_format: str | None, *, keep: bool = False) -> RunOutput:
    """Where ``-o OUTPUT --format FORMAT`` sends the records; ConfigError when it cannot.
    ``keep``: records on stdout are also kept in a journal, to be read again at the end."""
    fmt = format_for(output, requested_format)  # fails now, not after the batch
    if not output or output == "-":
        return RunOutput(None, fmt, None, keep=keep)
    path = Path(output)
    if path.is_dir():
        raise ConfigError(f"-o {output} is a folder; give a file name")
    journal = path if fmt == "jsonl" else path.with_name(path.name + ".partial.jsonl")
    return RunOutput(path, fmt, journal)


@click.command(context_settings=FLAT_ENV)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write records here (default: stdout). An existing JSONL output is resumed.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), envvar=env("format"),
              help="Output format.  [default: from the -o suffix, else jsonl]")
@click.option("--prompt", "-p", envvar=env("prompt"),
              help="Prompt name or path.  [default: neutral-v2]")
@model_options
@batch_options
@click.option("--no-resume", is_flag=True,
              help="Ignore the records already in the output; redo every article.")
@click.option("--dry-run", is_flag=True,
              help="Count articles and estimate prompt tokens and cost; call no model.")
@click.option("--batch-api", is_flag=True,
              help="Send the articles through OpenAI's Batch API (half price, within 24 h): "
              "submit, wait and collect in one command (see summarize batch; JSONL -o only).")
@click.option("--job", type=click.Path(dir_okay=False),
              help="With --batch-api: the job file.  [default: OUT.job.json]")
@job_options
@click.option("-q", "--quiet", is_flag=True, help="No progress, notices or summary; errors only.")
@click.option("--events", "events_path", type=click.Path(dir_okay=False), envvar=env("events"),
              help="Also group the records into events (as `summarize events`) and write them here "
                   "(.json .csv .md .html).")
def run(inputs: tuple[str, ...], output: str | None, fmt: str | None, prompt: str | None,
        no_resume: bool, dry_run: bool, batch_api: bool, job: str | None, quiet: bool,
        events_path: str | None, **params: Any) -> None:
    """Summarise INPUT... (files, folders, globs, - for stdin) into one record per article.

    Formats: .txt/.md (title = first non-empty line), .json (a record or a list), .jsonl
    (also the records of an earlier run), .html.
    Exit status: 0 all ok, 1 some articles failed (their records say why), 2 usage or
    configuration error.

    \b
    Examples:
      summarize run examples/articles -o out.jsonl
      summarize run 'news/**/*.html' -o review.html --base-url http://localhost:8080/v1
      summarize run folder -o out.jsonl --concurrency 32 --rpm 500 --tpm 200000
      cat article.txt | summarize run - --backend rules
      summarize run folder --dry-run --model gpt-4o
      summarize run folder -o out.jsonl --batch-api --model gpt-4o-mini
    """
    if batch_api:
        _run_batch_api(inputs, output, fmt, prompt, job, quiet, dry_run or no_resume, params,
                       events_path=events_path)
    drop_job_options(params)
    target = _target(output, fmt, keep=bool(events_path))
    if events_path:
        from summarize.events.writers import event_format_for

        event_format_for(events_path, None)  # a bad suffix fails now, not after the batch
    options = batch_options_from(params)
    check_inputs_exist(inputs)
    with run_settings(params, prompt=prompt, need_endpoint=not dry_run) as settings:
        skipped: list[Path] = []
        articles = _first_checked(unique_ids(iter_articles(
            inputs, exclude=target.files(), skipped=skipped)), inputs)
        if dry_run:
            journal = target.journal
            if journal is not None and not no_resume:
                journal.sync(repair=False, write=False)
            # A dry run sends nothing, so it needs no key: a model named on the command
            # line or in SUMMARIZE_MODEL is estimated even when no endpoint is configured.
            as_model = settings.backend == "openai" or (
                settings.backend == "auto" and (settings.endpoint_configured
                                                or params.get("model") is not None))
            estimate = asyncio.run(aestimate_batch(
                articles, settings, options=options,
                resume=None if no_resume or journal is None else journal, model=as_model))
            if skipped and not quiet:
                click.echo(skipped_notice(skipped), err=True)
            click.echo(_describe_estimate(estimate))
            if journal is not None:
                journal.close()
            return
        try:
            target.open(resume=not no_resume)
            if not quiet:
                notice = backend_notice(settings)
                if notice:
                    click.echo(notice, err=True)
                journal = target.journal
                if journal is not None and journal.dropped:
                    click.echo(f"summarize: {journal.path}: dropped {len(journal.dropped)} unreadable "
                               f"line(s) ({journal.dropped[0][1]}); those articles are redone", err=True)
            failed = _run(articles, settings, options, target, resume=not no_resume,
                          quiet=quiet, skipped=skipped, events_path=events_path)
        finally:
            target.close()
    sys.exit(1 if failed else 0)


def _first_checked(articles: Iterator[Article], inputs: tuple[str, ...]) -> Iterator[Article]:
    """``articles``, after checking that there is at least one (ConfigError otherwise)."""
    first = next(articles, None)
    if first is None:
        raise ConfigError(f"no articles found in {' '.join(inputs)} "
                          "(looked for .txt .md .json .jsonl .html files)")
    return itertools.chain([first], articles)


def _run_batch_api(inputs: tuple[str, ...], output: str | None, fmt: str | None,
                   prompt: str | None, job: str | None, quiet: bool, conflicting: bool,
                   params: dict[str, Any], *, events_path: str | None) -> None:
    """``run --batch-api``: submit, wait and collect (summarize.batch.api_jobs), then the
    events when asked for; exits."""
    from summarize.batch.api_jobs import check_inputs, run_batch_api
    from summarize.cli.batch_cmd import (batch_settings, given_endpoint_flags, job_options_from, job_path_for,
                                         notices_to_stderr, report_outcome, run_job)
    from summarize.events.output import events_file, iter_records
    from summarize.events.writers import event_format_for

    if conflicting:
        raise ConfigError("--batch-api goes with neither --dry-run nor --no-resume")
    if not output or output == "-" or format_for(output, fmt) != "jsonl":
        raise ConfigError("--batch-api writes a JSONL file: give -o OUT.jsonl (make other "
                          "formats from it with summarize report)")
    if events_path:
        event_format_for(events_path, None)  # a bad suffix fails now, not after the batch
    started = time.monotonic()
    options = job_options_from(params)
    settings = batch_settings(params, prompt)
    absolute = check_inputs(inputs)
    path = job_path_for(job, output)
    echo = notices_to_stderr(quiet)
    outcome = run_job(run_batch_api(path, inputs=absolute, output=str(Path(output).absolute()),
                              settings=settings, options=options, echo=echo,
                              override=given_endpoint_flags()))
    if events_path and outcome.finished:
        notices: list[str] = []
        with open(output, encoding="utf-8") as stream:  # read back one record at a time
            text, groups = events_file(iter_records(stream, output, notices), events_path)
        write_atomically(events_path, text.encode("utf-8"))
        for notice in notices:
            echo(f"summarize: {notice}")
        echo(f"summarize: {len(groups)} events -> {events_path}")
    elif events_path:
        echo(f"summarize: events not written to {events_path}: the job is not finished; "
             "rerun the same command to collect it and write them")
    report_outcome(outcome, output, echo, time.monotonic() - started)


def check_inputs_exist(inputs: tuple[str, ...]) -> None:
    """ConfigError (exit 2) for an input named explicitly that does not exist at all; a
    glob that matches nothing and a dangling symlink become error records instead."""
    for item in inputs:
        path = Path(item)
        if item != "-" and not glob.has_magic(item) and not path.exists() and not path.is_symlink():
            raise ConfigError(f"{item}: no such file or folder")


def skipped_notice(skipped: list[Path], shown: int = 3) -> str:
    """The stderr line naming the files a folder walk did not read."""
    names = ", ".join(str(p) for p in skipped[:shown])
    more = f" and {len(skipped) - shown} more" if len(skipped) > shown else ""
    return (f"summarize: skipped {len(skipped)} file(s) it does not read (only .txt .md .json "
            f".jsonl .html; links to folders are not followed): {names}{more}")


def _run(articles: Iterator[Article], settings: Settings, options: BatchOptions,
         target: RunOutput, *, resume: bool, quiet: bool, skipped: list[Path],
         events_path: str | None = None) -> int:
    """Run the batch into ``target``; the number of failed articles."""
    tally = BatchTally()
    started = time.monotonic()
    source = target.journal if resume else None

    async def run_batch() -> None:
        async with aclosing(stream_batch(articles, settings, options=options,
                                         resume=source)) as items:
            async for item in items:
                target.take(item)
                if item.resumed:
                    progress.add_resumed()
                elif item.cached:
                    progress.add_cached()
                else:
                    progress.add(item.record)  # type: ignore[arg-type]
        progress.finished()

    try:
        with BatchProgress(tally, enabled=not quiet) as progress:
            try:
                asyncio.run(run_batch())
            except EndpointUnreachableError:
                target.finish()  # every article has its record: put them in order
                raise
    except KeyboardInterrupt:
        if target.journal is None or target.output is None and target.fmt != "jsonl":
            click.echo(f"Interrupted after {tally.done} articles.", err=True)
        else:
            target.close()
            click.echo(f"Interrupted after {tally.done} articles; their records are in "
                       f"{target.journal.path}. Rerun the same command to resume.", err=True)
        raise SystemExit(130) from None
    if events_path:
        from summarize.events.output import events_file

        # The records, read back from the journal in input order (kept until this is done).
        text, groups = events_file(target.records(), events_path)
        write_atomically(events_path, text.encode("utf-8"))
    target.finish()
    if events_path and not quiet:
        click.echo(f"summarize: {len(groups)} events -> {events_path}", err=True)
    if not quiet:
        if skipped:
            click.echo(skipped_notice(skipped), err=True)
        shown = str(target.output) if target.output else None
        click.echo(tally.summary_line(elapsed=time.monotonic() - started, output=shown), err=True)
        _echo_failures(tally)
    return tally.failed


def _echo_failures(tally: BatchTally) -> None:
    """Name the failed articles on stderr: one line per distinct failure (articles that
    failed the same way share it, so that a rejected key or an exhausted quota is said
    once), and one line for the articles a stopped batch did not send."""
    groups = tally.failure_groups
    for (kind, first_line), group in list(groups.items())[:_FAILURES_SHOWN]:
        more = (f" (and {group.extra_lines} more problem(s) in the record)"
                if group.extra_lines else "")
        who = group.ids[0] if group.count == 1 else f"{group.count} articles ({_some(group)})"
        click.echo(f"  failed {who}: {kind}: {first_line}{more}", err=True)
    shown = sum(group.count for group in list(groups.values())[:_FAILURES_SHOWN])
    hidden = tally.failed - tally.unsent - shown
    if hidden > 0:
        click.echo(f"  ... and {hidden} more (status \"error\" in the records)", err=True)
    if tally.unsent:
        click.echo(f"  not sent {tally.unsent} article(s): the batch stopped because the endpoint "
                   "failed as above; rerun the same command to send them", err=True)


def _some(group: FailureGroup, shown: int = 2) -> str:
    """The first ``shown`` ids of ``group``, and how many more."""
    more = f" and {group.count - shown} more" if group.count > shown else ""
    return ", ".join(group.ids[:shown]) + more


def _describe_estimate(estimate: BatchEstimate) -> str:
    """The dry run's report (stdout)."""
    lines = [
        f"{estimate.articles} articles: {estimate.to_send} to send, {estimate.resumed} already "
        f"done in the output, {estimate.cached} in the cache, {estimate.unusable} unusable",
    ]
    if estimate.backend == "rules":
        lines.append("backend rules: no model calls, no cost")
    else:
        lines.append(f"model {estimate.model}: about {estimate.prompt_tokens:,} prompt tokens "
                     f"(one request each; rendered prompt + schema, 4 characters a token)")
        if estimate.prices is None:
            lines.append(f"cost: unknown (the price table has OpenAI's prices; none for "
                         f"{estimate.model} at this endpoint)")
        else:
            lines.append(f"cost: about ${estimate.prompt_cost_usd:,.4f} for the prompts, plus "
                         f"at most ${estimate.max_completion_cost_usd:,.4f} for answers "
                         f"(if each used all {estimate.max_tokens:,} max tokens)")
    for article_id, problem in estimate.problems[:_FAILURES_SHOWN]:
        lines.append(f"  unusable {article_id}: {problem}")
    if estimate.unusable > _FAILURES_SHOWN:
        lines.append(f"  ... and {estimate.unusable - _FAILURES_SHOWN} more")
    return "\n".join(lines)
