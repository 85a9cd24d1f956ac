"""``summarize report``: the review page (one self-contained HTML file) from JSONL records."""

from __future__ import annotations

import sys
from typing import IO

import click
from summarize.errors import ConfigError
from summarize.record_files import iter_records
from summarize.records import Record
from summarize.batch.writers import write_atomically
from summarize.report import render_html


def read_records(stream: IO[str], name: str) -> tuple[list[Record], list[str]]:
    """Records in a JSONL stream (or a JSON list of records), and notices for what was
    skipped, read as ``summarize.record_files.iter_records`` reads them: a torn last line
    is skipped with a notice; any other line that is not a record is a ConfigError naming
    the file and line (the file is probably not a ``summarize run`` output)."""
    notices: list[str] = []
    return list(iter_records(stream, name, notices)), notices


def _write(path: str | None, html: str) -> None:
    """Write ``html`` to ``path`` atomically (or to stdout when path is None or -)."""
    if path in (None, "-"):
        sys.stdout.write(html)
        return
    write_atomically(path, html.encode("utf-8"))


@click.command()
@click.argument("records_files", metavar="RECORDS.jsonl...", nargs=-1, required=True,
                type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the page here (default: stdout).")
@click.option("--title", help="Page title.  [default: Review of N articles]")
def report(records_files: tuple[str, ...], output: str | None, title: str | None) -> None:
    """Write the review page for RECORDS.jsonl... (the output of `summarize run`).

    One self-contained HTML file: an index of articles, and for each article its neutral
    summary, casualty figures, claims, loaded terms, warnings or error, and its text with
    every quote highlighted. Records from several files are shown in the order given.

    \b
    Examples:
      summarize report out.jsonl -o report.html
      summarize run examples/articles | summarize report - -o report.html
    """
    records: list[Record] = []
    for name in records_files:
        try:
            with click.open_file(name, encoding="utf-8") as stream:
                found, notices = read_records(stream, name)
        except FileNotFoundError as exc:
            raise ConfigError(f"{name}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        for notice in notices:
            click.echo(f"Warning: {notice}", err=True)
        records.extend(found)
    if not records:
        raise ConfigError(f"no records in {', '.join(records_files)}")
    _write(output, render_html(records, title=title))
    failed = sum(not record.ok for record in records)
    where = output if output not in (None, "-") else "stdout"
    click.echo(f"Wrote {where}: {len(records)} articles ({len(records) - failed} ok, {failed} failed).",
               err=True)
