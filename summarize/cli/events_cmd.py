"""``summarize events``: group records that report the same event, across outlets."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import IO

import click

from summarize.batch.writers import write_atomically
from summarize.cli.options import ENV_PREFIX
from summarize.errors import ConfigError
from summarize.events.evaluate import baseline, load_labels, pair_scores, score, scores_table
from summarize.events.grouping import Report, group_events, group_reports
from summarize.events.output import iter_records, iter_reports, render_events
from summarize.events.writers import EVENT_FORMATS, event_format_for
from summarize.records import Record

#: Prefix of this command's environment variables (options named by their long flag).
ENV = f"{ENV_PREFIX}_EVENTS"


def _records(files: tuple[str, ...], notices: list[str], kept: dict[str, Record] | None) -> Iterator[Record]:
    for name in files:
        with _opened(name) as stream:
            for record in iter_records(stream, name, notices):
                if kept is not None:
                    kept[record.id] = record
                yield record


def _reports(files: tuple[str, ...], notices: list[str], *, use_published: bool) -> Iterator[Report]:
    """What the events need of each record of ``files``, read by several processes when
    a file is long (no record is kept)."""
    for name in files:
        with _opened(name) as stream:
            yield from iter_reports(stream, name, notices, use_published=use_published)


@contextmanager
def _opened(name: str) -> Iterator[IO[str]]:
    """A records file opened as UTF-8 text ("-": stdin); ConfigError naming what is wrong."""
    try:
        with click.open_file(name, encoding="utf-8") as stream:
            yield stream
    except FileNotFoundError as exc:
        raise ConfigError(f"{name}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


@click.command()
@click.argument("records_files", metavar="RECORDS.jsonl...", nargs=-1, required=True,
                type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the events here (default: stdout).")
@click.option("-f", "--format", "fmt", type=click.Choice(EVENT_FORMATS), envvar=f"{ENV}_FORMAT",
              help="Output format.  [default: from the -o suffix, else json]")
@click.option("-w", "--window", "window_days", type=click.IntRange(0, 30), default=1, show_default=True,
              envvar=f"{ENV}_WINDOW",
              help="Days apart two reports of one event may date it.")
@click.option("--ignore-published", is_flag=True,
              help="Date articles by their datelines only, as if they had no published date.")
@click.option("--eval", "labels", type=click.Path(dir_okay=False), envvar=f"{ENV}_EVAL",
              help="Score the grouping against a labels file (evals/events/events.json), with and "
                   "without published dates, and print the scores.")
@click.option("--title", help="Title of the HTML page.")
def events(records_files: tuple[str, ...], output: str | None, fmt: str | None, window_days: int,
           ignore_published: bool, labels: str | None, title: str | None) -> None:
    """Group RECORDS.jsonl... (the output of `summarize run`, any backend) into the events
    they report: which outlets report each event, every casualty figure with who states
    it, the tolls reconciled per outcome (lowest and highest, independent sources,
    agreement, the conservative figure), claims by source and each outlet's loaded terms.
    Calls no model.

    Two reports are one event when their dates are within --window days, their places
    lie in one governorate (different towns of it only when the dates are settled: both
    published or stated in the text, or two outlets' datelines with content in common)
    and their kinds of event are compatible; a report dated only by its dateline, or not
    at all, joins the event its content is most like (wording, toll, town) up to 31 days
    away. Each link says why. Formats: json (the
    summarize-events contract), csv (ACLED's columns), markdown, html (one
    self-contained page).

    \b
    Examples:
      summarize run evals/events/articles --backend rules -o records.jsonl
      summarize events records.jsonl -o events.html
      summarize events records.jsonl -o events.csv --window 2
      summarize events records.jsonl --eval evals/events/events.json
    """
    chosen = event_format_for(output, fmt)
    notices: list[str] = []
    if labels:
        truth = load_labels(labels)
        kept: dict[str, Record] = {}
        with_dates = group_events(_records(records_files, notices, kept), window_days=window_days)
        without = group_events(kept.values(), window_days=window_days, use_published=False)
        for notice in notices:
            click.echo(f"Warning: {notice}", err=True)
        rows = [(name, replace(score(groups, truth), baseline_f1=pair_scores(
                    baseline(kept.values(), use_published=use_published), truth)[2]))
                for name, groups, use_published in (("with published dates", with_dates, True),
                                                    ("datelines only", without, False))]
        click.echo(scores_table(rows), nl=False)
        for name, scores in rows:
            for miss in scores.missed:
                click.echo(f"  toll not shown ({name}): {miss}", err=True)
        if output is None:
            return
        groups = without if ignore_published else with_dates
        records = kept
    else:
        records = {} if chosen == "html" else None
        if records is None:
            groups = group_reports(_reports(records_files, notices, use_published=not ignore_published),
                                   window_days=window_days)
        else:
            groups = group_events(_records(records_files, notices, records), window_days=window_days,
                                  use_published=not ignore_published)
        for notice in notices:
            click.echo(f"Warning: {notice}", err=True)
    if not groups:
        raise ConfigError(f"no records in {', '.join(records_files)}")
    text = render_events(groups, chosen, window_days=window_days, use_published=not ignore_published,
                         records=records, title=title)
    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_atomically(output, text.encode("utf-8"))
    reports = sum(len(g.records) for g in groups)
    shared = sum(len(g.outlets) > 1 for g in groups)
    where = output if output not in (None, "-") else "stdout"
    click.echo(f"Wrote {where}: {len(groups)} events from {reports} records ({shared} reported by "
               f"two or more outlets).", err=True)
