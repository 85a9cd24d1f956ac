"""``summarize run``: summarise many articles, one record per article.

The records go to a JSONL journal (-o, or OUT.partial.jsonl for the other formats) as
each article finishes, so that a killed run loses nothing: rerunning the same command
skips the articles already ok in it and retries the rest. At the end the journal is
compacted (one record per article, input order) or turned into the format asked for.
"""

from __future__ import annotations

import asyncio
import glob
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from summarize.articles import Article, load_articles
from summarize.batch import BatchEstimate, BatchOptions, aestimate_batch, arun_batch
from summarize.cli.batch_cmd import job_options
from summarize.cli.options import (
    FLAT_ENV,
    env,
    backend_notice,
    batch_options,
    batch_options_from,
    model_options,
    run_settings,
)
from summarize.errors import ConfigError
from summarize.events.output import events_file, iter_records
from summarize.events.writers import event_format_for
from summarize.batch.progress import BatchProgress, BatchTally
from summarize.records import Record
from summarize.settings import Settings
from summarize.batch.writers import (FORMATS, JsonlJournal, OrderedStream, format_for, render,
                               write_atomically)

#: Failed articles listed by name at the end of a run (the rest are counted).
_FAILURES_SHOWN = 10


@dataclass(frozen=True)
class _Target:
    """Where a run's records go: ``output`` (None: stdout) in ``fmt``, through ``journal``
    (the JSONL file written as articles finish; None for stdout)."""

    output: Path | None
    fmt: str
    journal: Path | None

    @classmethod
    def of(cls, output: str | None, requested_format: str | None) -> _Target:
        """The target of ``-o OUTPUT --format FORMAT``; ConfigError when it cannot be."""
        fmt = format_for(output, requested_format)  # fails now, not after the batch
        if not output or output == "-":
            return cls(None, fmt, None)
        path = Path(output)
        if path.is_dir():
            raise ConfigError(f"-o {output} is a folder; give a file name")
        journal = path if fmt == "jsonl" else path.with_name(path.name + ".partial.jsonl")
        return cls(path, fmt, journal)

    def files(self) -> list[Path]:
        """The files this run writes (never read as inputs)."""
        return [p for p in {self.output, self.journal} if p is not None]


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
    for name in ("reask", "poll_interval", "max_requests_per_file", "max_bytes_per_file"):
        params.pop(name)
    target = _Target.of(output, fmt)
    if events_path:
        event_format_for(events_path, None)  # a bad suffix fails now, not after the batch
    options = batch_options_from(params)
    check_inputs_exist(inputs)
    with run_settings(params, prompt=prompt, need_endpoint=not dry_run) as settings:
        skipped: list[Path] = []
        articles = load_articles(inputs, exclude=target.files(), skipped=skipped)
        if skipped and not quiet:
            click.echo(skipped_notice(skipped), err=True)
        if not articles:
            raise ConfigError(f"no articles found in {' '.join(inputs)} "
                              "(looked for .txt .md .json .jsonl .html files)")
        if dry_run:
            journal = JsonlJournal(target.journal) if target.journal else None
            previous = journal.recover(repair=False) if journal and not no_resume else []
            # A dry run sends nothing, so it needs no key: a model named on the command
            # line or in SUMMARIZE_MODEL is estimated even when no endpoint is configured.
            as_model = settings.backend == "openai" or (
                settings.backend == "auto" and (settings.endpoint_configured
                                                or params.get("model") is not None))
            estimate = asyncio.run(aestimate_batch(articles, settings, options=options,
                                                   resume={r.id: r for r in previous if r.ok},
                                                   model=as_model))
            click.echo(_describe_estimate(estimate))
            return
        with _open_journal(target) as journal:
            previous = journal.recover() if journal else []
            if no_resume and journal:
                journal.compact([])
                journal.open()
            resume = {} if no_resume else {r.id: r for r in previous if r.ok}
            if not quiet:
                notice = backend_notice(settings)
                if notice:
                    click.echo(notice, err=True)
                if journal and journal.dropped:
                    click.echo(f"summarize: {journal.path}: dropped {len(journal.dropped)} unreadable "
                               f"line(s) ({journal.dropped[0][1]}); those articles are redone", err=True)
            failed = _run(articles, settings, options, target, journal, resume, quiet=quiet,
                          events_path=events_path)
    sys.exit(1 if failed else 0)


def _run_batch_api(inputs: tuple[str, ...], output: str | None, fmt: str | None,
                   prompt: str | None, job: str | None, quiet: bool, conflicting: bool,
                   params: dict[str, Any], *, events_path: str | None) -> None:
    """``run --batch-api``: submit, wait and collect (summarize.batch.api_jobs), then the
    events when asked for; exits."""
    from summarize.batch.api_jobs import check_inputs, run_batch_api
    from summarize.cli.batch_cmd import (batch_settings, given_endpoint_flags, job_options_from,
                                         notices_to_stderr, report_outcome, run_job)

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
    path = Path(job) if job else Path(output).with_name(Path(output).name + ".job.json")
    echo = notices_to_stderr(quiet)
    outcome = run_job(run_batch_api(path, inputs=absolute, output=str(Path(output).absolute()),
                              settings=settings, options=options, echo=echo,
                              override=given_endpoint_flags()))
    if events_path and outcome.finished:
        notices: list[str] = []
        with open(output, encoding="utf-8") as stream:  # read back one record at a time
            text, groups = events_file(iter_records(stream, output, notices), events_path)
        write_atomically(events_path, text.encode("utf-8"))
        echo(f"summarize: {len(groups)} events -> {events_path}")
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


@contextmanager
def _open_journal(target: _Target) -> Iterator[JsonlJournal | None]:
    """The run's journal, opened and locked (None when records go to stdout)."""
    if target.journal is None:
        yield None
        return
    target.journal.parent.mkdir(parents=True, exist_ok=True)
    journal = JsonlJournal(target.journal)
    journal.open()
    try:
        yield journal
    finally:
        journal.close()


def _run(articles: list[Article], settings: Settings, options: BatchOptions, target: _Target,
         journal: JsonlJournal | None, resume: dict[str, Record], *, quiet: bool,
         events_path: str | None = None) -> int:
    """Run the batch into ``target``; the number of failed articles."""
    stream = OrderedStream(sys.stdout, [a.id for a in articles]) if (
        target.output is None and target.fmt == "jsonl") else None
    tally = BatchTally(total=len(articles))
    started = time.monotonic()

    def on_record(record: Record) -> None:
        resumed = resume.get(record.id) is record
        if journal is not None and not resumed:
            journal.append(record)
        if stream is not None:
            stream.write(record)
        progress.add(record, resumed=resumed)

    try:
        with BatchProgress(tally, enabled=not quiet) as progress:
            records = asyncio.run(arun_batch(articles, settings, options=options,
                                             on_record=on_record, resume=resume))
    except KeyboardInterrupt:
        if journal is None:
            click.echo(f"Interrupted after {tally.done} of {tally.total} articles.", err=True)
        else:
            journal.close()
            click.echo(f"Interrupted after {tally.done} of {tally.total} articles; their records "
                       f"are in {journal.path}. Rerun the same command to resume.", err=True)
        raise SystemExit(130) from None
    _write_final(records, target, journal, keep_journal=bool(events_path))
    if events_path:
        events = _write_events(events_path, target, records)
        if not quiet:
            click.echo(f"summarize: {events} events -> {events_path}", err=True)
    if not quiet:
        shown = str(target.output) if target.output else None
        click.echo(tally.summary_line(elapsed=time.monotonic() - started, output=shown), err=True)
        _echo_failures(records)
    return tally.failed


def _write_events(events_path: str, target: _Target, records: list[Record]) -> int:
    """Group the run's records into events and write them to ``events_path``: the records
    are read back one at a time from the JSONL the run wrote (its output, or the journal
    beside another format, which is then removed), or taken as they are when the records
    went to stdout. The number of events."""
    source = target.output if target.fmt == "jsonl" else target.journal
    if source is None or not source.exists():
        text, groups = events_file(records, events_path)
    else:
        with source.open(encoding="utf-8") as stream:
            text, groups = events_file(iter_records(stream, str(source), []), events_path)
        if source != target.output:
            source.unlink(missing_ok=True)
    write_atomically(events_path, text.encode("utf-8"))
    return len(groups)


def _write_final(records: list[Record], target: _Target, journal: JsonlJournal | None, *,
                 keep_journal: bool = False) -> None:
    """Compact the journal, or write the asked-for format (then drop the journal, or, with
    ``keep_journal``, leave it compacted for the events to read)."""
    if target.output is None:
        if target.fmt != "jsonl":
            click.echo(render(records, target.fmt), nl=False)
        return
    assert journal is not None
    if target.fmt == "jsonl":
        journal.compact(records)
        return
    journal.close()
    write_atomically(target.output, render(records, target.fmt).encode("utf-8"))
    if keep_journal:
        journal.compact(records)
    else:
        journal.path.unlink(missing_ok=True)


def _echo_failures(records: list[Record]) -> None:
    """Name the failed articles on stderr: one line per distinct failure (articles that
    failed the same way share it, so that a rejected key or an exhausted quota is said
    once), and one line for the articles a stopped batch did not send."""
    groups: dict[tuple[str, str], list[str]] = {}
    unsent = 0
    for record in records:
        if record.ok:
            continue
        error = record.error
        if error is not None and error.reason == "not_attempted":
            unsent += 1
            continue
        kind, message = (error.type, error.message) if error else ("error", "")
        groups.setdefault((kind, message), []).append(record.id)
    for (kind, message), ids in list(groups.items())[:_FAILURES_SHOWN]:
        lines = message.splitlines() or [""]
        more = f" (and {len(lines) - 1} more problem(s) in the record)" if len(lines) > 1 else ""
        who = ids[0] if len(ids) == 1 else f"{len(ids)} articles ({_some(ids)})"
        click.echo(f"  failed {who}: {kind}: {lines[0]}{more}", err=True)
    if len(groups) > _FAILURES_SHOWN:
        hidden = sum(len(ids) for ids in list(groups.values())[_FAILURES_SHOWN:])
        click.echo(f"  ... and {hidden} more (status \"error\" in the records)", err=True)
    if unsent:
        click.echo(f"  not sent {unsent} article(s): the batch stopped because the endpoint "
                   "failed as above; rerun the same command to send them", err=True)


def _some(ids: list[str], shown: int = 2) -> str:
    """The first ``shown`` of ``ids``, and how many more."""
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


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
    if len(estimate.problems) > _FAILURES_SHOWN:
        lines.append(f"  ... and {len(estimate.problems) - _FAILURES_SHOWN} more")
    return "\n".join(lines)
