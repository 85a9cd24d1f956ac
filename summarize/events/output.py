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

from pydantic import ValidationError

from summarize.articles import parse_json
from summarize.errors import ConfigError, first_problem
from summarize.events.grouping import EventGroup, Report, group_events, report_of
from summarize.events.writers import event_format_for, to_csv, to_json, to_markdown
from summarize.records import Record

_HINT = "give the JSONL (or JSON list) of records that `summarize run` wrote"


def iter_records(stream: IO[str], name: str, notices: list[str]) -> Iterator[Record]:
    """Records of a JSONL stream one at a time (a JSON list is read whole). A torn last
    line (an interrupted run) is skipped with a notice; any other bad line is a
    ConfigError naming the file and line."""
    first = _first(stream)
    if first == "[":
        yield from _list_records(first + stream.read(), name)
        return
    for line in _numbered(first, stream):
        record = _line_record(line, name, notices)
        if record is not None:
            yield record


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
    first = _first(stream)
    if first == "[":
        for record in _list_records(first + stream.read(), name):
            yield report_of(record, use_published=use_published)
        return
    lines = _numbered(first, stream)
    head = list(islice(lines, parallel_after))
    workers = min(os.cpu_count() or 1, MOST_WORKERS) if workers is None else workers
    if len(head) < parallel_after or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for line in chain(head, lines):
            record = _line_record(line, name, notices)
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
        record = _line_record(line, name, notices)
        if record is not None:
            reports.append(report_of(record, use_published=use_published))
    return reports, notices


def _batched(items: Iterator[tuple[int, str, bool]], size: int) -> Iterator[list[tuple[int, str, bool]]]:
    while batch := list(islice(items, size)):
        yield batch


def _first(stream: IO[str]) -> str:
    """The stream's first character that is no white space ("" at its end)."""
    first = stream.read(1)
    while first.isspace():
        first = stream.read(1)
    return first


def _list_records(text: str, name: str) -> Iterator[Record]:
    payload, problem = parse_json(text)
    if problem:
        raise ConfigError(f"{name}: invalid JSON: {problem}")
    for index, item in enumerate(payload):
        yield _record(item, f"{name}[{index}]")


def _numbered(first: str, stream: IO[str]) -> Iterator[tuple[int, str, bool]]:
    """The stream's non-blank lines with their numbers, the last one marked."""
    pending: tuple[int, str] | None = None
    for number, line in enumerate(_lines(first, stream), start=1):
        if not line.strip():
            continue
        if pending is not None:
            yield pending[0], pending[1], False
        pending = (number, line)
    if pending is not None:
        yield pending[0], pending[1], True


def _line_record(line: tuple[int, str, bool], name: str, notices: list[str]) -> Record | None:
    """The record of one numbered line; None (with a notice) for a torn last line."""
    number, text, last = line
    if last and number > 1:
        _, problem = parse_json(text)
        if problem:
            notices.append(f"{name}:{number}: skipped a torn last line ({problem})")
            return None
    return _parse_line(number, text, name)


def _lines(first: str, stream: IO[str]) -> Iterator[str]:
    head = first + (stream.readline() if first else "")
    if head:
        yield head
    yield from stream


def _parse_line(number: int, line: str, name: str) -> Record:
    try:
        return Record.model_validate_json(line)
    except ValidationError:
        pass  # read it again, slowly, to say what is wrong with it
    payload, problem = parse_json(line)
    if problem:
        raise ConfigError(f"{name}:{number}: not a JSON line ({problem}); {_HINT}")
    return _record(payload, f"{name}:{number}")


def _record(payload: object, where: str) -> Record:
    try:
        return Record.model_validate(payload)
    except ValidationError as exc:
        raise ConfigError(f"{where}: not a summarize record ({first_problem(exc)}); {_HINT}") from exc


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
