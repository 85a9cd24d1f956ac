"""Reading records for ``summarize events`` and writing its output in any format.

Records stream from JSONL files (or a JSON list): each line is parsed, reduced to what
the events need and dropped, so a large batch is never held whole; the HTML page, which
shows every article's text anyway, keeps the records it shows.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import IO

from summarize.errors import ConfigError
from summarize.events.grouping import EventGroup, Report, group_events, report_of
from summarize.events.writers import event_format_for, to_csv, to_json, to_markdown
from summarize.record_files import iter_records, line_record, list_records, numbered_lines, opening
from summarize.records import Record

__all__ = ["events_file", "iter_records", "iter_reports", "render_events"]

#: A stream of more records than this is reduced to reports by worker processes, this
#: many lines to a task, at most twice as many tasks as workers in flight.
PARALLEL_AFTER = 2000
TASK_LINES = 250
MOST_WORKERS = 4


def iter_reports(stream: IO[str], name: str, notices: list[str], *, use_published: bool = True,
                 workers: int | None = None, parallel_after: int = PARALLEL_AFTER) -> Iterator[Report]:
    """What ``group_reports`` needs of each record of a JSONL stream (``report_of``), in
    the stream's order, read as ``iter_records`` reads them. Past ``parallel_after``
    lines the records are parsed and reduced by ``workers`` processes (default: the
    machine's cores, at most MOST_WORKERS), where the platform forks: on a machine of two
    cores, nearly twice as fast."""
    head = opening(stream)
    if head.endswith("["):
        for record in list_records(head + stream.read(), name):
            yield report_of(record, use_published=use_published)
        return
    lines = numbered_lines(head, stream)
    head = list(islice(lines, parallel_after))
    workers = min(os.cpu_count() or 1, MOST_WORKERS) if workers is None else workers
    if len(head) < parallel_after or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for line in chain(head, lines):
            record = line_record(line, name, notices)
            if record is not None:
                yield report_of(record, use_published=use_published)
        return
    task = partial(_task_reports, name=name, use_published=use_published)
    tasks = _batched(chain(head, lines), TASK_LINES)
    # the workers are forked before any thread of the pool starts; at most twice as many
    # tasks as workers wait, so that the stream is read as fast as it is reduced
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        running: deque = deque(pool.apply_async(task, (lines,)) for lines in islice(tasks, 2 * workers))
        while running:
            reports, said = running.popleft().get()
            following = next(tasks, None)
            if following is not None:
                running.append(pool.apply_async(task, (following,)))
            notices.extend(said)
            for report in reports:  # one string per word across the batch, as bag() makes them
                report.profile.words = {sys.intern(w): n for w, n in report.profile.words.items()}
                yield report


def _task_reports(lines: list[tuple[int, str, bool]], *, name: str,
                  use_published: bool) -> tuple[list[Report], list[str]]:
    """A worker's task: the reports of some numbered lines, and the notices they gave."""
    notices: list[str] = []
    reports = []
    for line in lines:
        record = line_record(line, name, notices)
        if record is not None:
            reports.append(report_of(record, use_published=use_published))
    return reports, notices


def _batched(items: Iterator[tuple[int, str, bool]], size: int) -> Iterator[list[tuple[int, str, bool]]]:
    while batch := list(islice(items, size)):
        yield batch


def render_events(groups: list[EventGroup], fmt: str, *, window_days: int = 1, use_published: bool = True,
                  records: dict[str, Record] | None = None, title: str | None = None) -> str:
    """The events in ``fmt`` (json, csv, markdown or html; html needs ``records``)."""
    if fmt == "json":
        return to_json(groups, window_days=window_days, use_published=use_published)
    if fmt == "csv":
        return to_csv(groups)
    if fmt == "markdown":
        return to_markdown(groups)
    if fmt == "html":
        from summarize.events.page import render_events_html

        return render_events_html(groups, records or {}, title=title)
    raise ConfigError(f"unknown events format {fmt!r}; choose one of json, csv, markdown, html")


def events_file(records: Iterable[Record], path: str | Path, *, fmt: str | None = None,
                window_days: int = 1) -> tuple[str, list[EventGroup]]:
    """The events of ``records`` rendered for ``path`` (format from its suffix unless
    ``fmt``): the text to write and the events."""
    fmt = event_format_for(str(path), fmt)
    kept: dict[str, Record] = {}

    def keep(stream: Iterable[Record]) -> Iterator[Record]:
        for record in stream:
            if fmt == "html":
                kept[record.id] = record
            yield record

    groups = group_events(keep(records), window_days=window_days)
    return render_events(groups, fmt, window_days=window_days, records=kept), groups
