"""Reading records for ``summarize events`` and writing its output in any format.

Records stream from JSONL files (or a JSON list): each line is parsed, reduced to what
the events need and dropped, so a large batch is never held whole; the HTML page, which
shows every article's text anyway, keeps the records it shows.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from itertools import chain, islice
from pathlib import Path
from time import monotonic
from typing import IO

from summarize.errors import ConfigError
from summarize.events.grouping import EventGroup, Report, group_events, report_of
from summarize.events.writers import event_format_for, to_csv, to_json, to_markdown
from summarize.record_files import iter_records, line_record, list_records, numbered_lines, opening
from summarize.records import Record

__all__ = ["events_file", "iter_records", "iter_reports", "render_events"]

logger = logging.getLogger(__name__)

#: A stream of more records than this is reduced to reports by worker processes, this
#: many lines to a task, at most twice as many tasks as workers in flight.
PARALLEL_AFTER = 2000
TASK_LINES = 250
MOST_WORKERS = 4

#: How long the result of a task of N lines is waited for before its worker is taken for
#: stuck (a deadlock, a stopped process) and the pool for broken: TASK_SECONDS plus
#: LINE_SECONDS a line, some hundred times what a line takes on a loaded machine. The
#: environment variable DEADLINE_VARIABLE, when set, gives the deadline of every task in
#: seconds instead (the tests set a short one).
TASK_SECONDS = 60.0
LINE_SECONDS = 0.2
DEADLINE_VARIABLE = "SUMMARIZE_EVENTS_TASK_SECONDS"
#: A result is waited for in slices of this many seconds, each counted for at most twice
#: its length: the time this process spends stopped (Ctrl-Z, the job stopped and later
#: continued, its workers with it) is not counted against the workers.
WAIT_SLICE = 1.0

#: A numbered line (number, text, whether it is the last of several), and what a worker
#: makes of some of them: their reports and the notices they gave.
Line = tuple[int, str, bool]
TaskResult = tuple[list[Report], list[str]]


def iter_reports(stream: IO[str], name: str, notices: list[str], *, use_published: bool = True,
                 workers: int | None = None, parallel_after: int = PARALLEL_AFTER) -> Iterator[Report]:
    """What ``group_reports`` needs of each record of a JSONL stream (``report_of``), in
    the stream's order, read as ``iter_records`` reads them. Past ``parallel_after``
    lines the records are parsed and reduced by ``workers`` processes (default: the
    machine's cores, at most MOST_WORKERS), where the platform forks: on a machine of two
    cores, nearly twice as fast. A worker that dies, or that stops answering (no result
    within ``task_deadline``), hangs nothing and loses nothing: the workers are stopped,
    and the lines whose reports had not come back, and the rest, are read in this process."""
    task_deadline(0)  # a bad DEADLINE_VARIABLE is an error whatever the stream's length
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
    # at most twice as many tasks as workers wait, so that the stream is read as fast as
    # it is reduced; results are taken in the order the tasks were given
    pool = _Workers(task, workers, name)
    running: deque[tuple[list[Line], Future | None]] = deque()
    finished = False
    try:
        for batch in _batched(chain(head, lines), TASK_LINES):
            running.append((batch, pool.submit(batch)))
            if len(running) < 2 * workers:
                continue
            yield from _taken(pool.result(*running.popleft()), notices)
        while running:
            yield from _taken(pool.result(*running.popleft()), notices)
        finished = True
    finally:
        pool.close(wait=finished)


def task_deadline(lines: int) -> float:
    """Seconds a worker's task of ``lines`` lines may take before the worker is taken
    for stuck: DEADLINE_VARIABLE's value when it is set, else TASK_SECONDS plus
    LINE_SECONDS a line. It is counted from when the task's result is first waited for
    (the tasks before it have all come back then, so it is running), and only while
    this process runs (``_waited``)."""
    given = os.environ.get(DEADLINE_VARIABLE, "").strip()
    if given:
        try:
            seconds = float(given)
        except ValueError:
            raise ConfigError(f"{DEADLINE_VARIABLE} must be a number of seconds, not {given!r}") from None
        if not (seconds > 0 and math.isfinite(seconds)):
            raise ConfigError(f"{DEADLINE_VARIABLE} must be a finite number of seconds more than 0, not {given!r}")
        return seconds
    return TASK_SECONDS + LINE_SECONDS * lines


class _Workers:
    """Forked worker processes that run ``task`` on lists of lines. A worker that dies
    (killed, out of memory), or whose task's result does not come back within its
    deadline (``task_deadline``: a deadlock, a stopped process), breaks the pool: the
    workers are killed, and every task whose result has not been taken is then run in
    this process instead, one after the other, and so are the tasks given after it, so
    that nothing is lost, repeated or waited for forever."""

    def __init__(self, task: Callable[[list[Line]], TaskResult], workers: int, name: str) -> None:
        self.task, self.name, self.broken = task, name, False
        # fork: the workers start from this process as it is, before any thread of the pool
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))

    def submit(self, lines: list[Line]) -> Future | None:
        """The task running in a worker; None once the pool is broken."""
        if self.broken:
            return None
        try:
            return self.pool.submit(self.task, lines)
        except BrokenProcessPool as exc:
            self._broke(f"died ({exc})", lines)
            return None

    def result(self, lines: list[Line], future: Future | None) -> TaskResult:
        """The task's result: from its worker, else (pool broken, or the worker stuck past
        the task's deadline) reduced here."""
        if future is not None and not self.broken:
            deadline = task_deadline(len(lines))
            try:
                return _waited(future, deadline)
            except BrokenProcessPool as exc:
                self._broke(f"died ({exc})", lines)
            except FutureTimeout:
                self._broke(f"gave no result in {deadline:g} s (stuck or stopped) and the workers were ended",
                            lines)
                self._kill()
        return self.task(lines)

    def close(self, *, wait: bool) -> None:
        """Stop the workers, dropping the tasks not started; ``wait`` for them to exit, or
        (the reading stopped early: an error, Ctrl-C, a reader that gave up) kill them: a
        task nobody will read, or a stuck one, must not keep the command from exiting."""
        if not wait:
            self._kill()  # before shutdown, which lets go of the executor's processes
        self.pool.shutdown(wait=wait and not self.broken, cancel_futures=True)

    def _broke(self, what: str, lines: list[Line]) -> None:
        if not self.broken:
            logger.warning("%s: a worker process reading lines %d-%d %s; reading the rest in this process",
                           self.name, lines[0][0], lines[-1][0], what)
        self.broken = True

    def _kill(self) -> None:
        """Kill the pool's workers (SIGKILL ends a stopped process too) and wait for them,
        so that none is left behind, stuck or stopped; the pool then counts as broken."""
        # the executor has no public way to end its workers before Python 3.14
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=10)


def _waited(future: Future, deadline: float) -> TaskResult:
    """The future's result, waited for up to ``deadline`` seconds (FutureTimeout past
    them), in slices of WAIT_SLICE each counted for at most twice its length: a job
    stopped and continued (Ctrl-Z, then fg), this process and its workers alike, does not
    find its deadline spent while its workers were stopped with it."""
    waited = 0.0
    while True:
        step = min(WAIT_SLICE, deadline - waited)
        start = monotonic()
        try:
            return future.result(timeout=step)
        except FutureTimeout:
            waited += min(monotonic() - start, 2 * step)
            if waited >= deadline:
                raise


def _taken(result: TaskResult, notices: list[str]) -> Iterator[Report]:
    reports, said = result
    notices.extend(said)
    for report in reports:  # one string per word across the batch, as bag() makes them
        report.profile.words = {sys.intern(w): n for w, n in report.profile.words.items()}
        yield report


def _task_reports(lines: list[Line], *, name: str, use_published: bool) -> TaskResult:
    """A worker's task: the reports of some numbered lines, and the notices they gave."""
    notices: list[str] = []
    reports = []
    for line in lines:
        record = line_record(line, name, notices)
        if record is not None:
            reports.append(report_of(record, use_published=use_published))
    return reports, notices


def _batched(items: Iterator[Line], size: int) -> Iterator[list[Line]]:
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
