"""Reading records for ``summarize events`` and writing its output in any format.

Records stream from JSONL files (or a JSON list): each line is parsed, reduced to what
the events need and dropped, so a large batch is never held whole; the HTML page, which
shows every article's text anyway, keeps the records it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from summarize.articles import parse_json
from summarize.errors import ConfigError, first_problem
from summarize.events.grouping import EventGroup, group_events
from summarize.events.writers import event_format_for, to_csv, to_json, to_markdown
from summarize.records import Record

_HINT = "give the JSONL (or JSON list) of records that `summarize run` wrote"


def iter_records(stream: IO[str], name: str, notices: list[str]) -> Iterator[Record]:
    """Records of a JSONL stream one at a time (a JSON list is read whole). A torn last
    line (an interrupted run) is skipped with a notice; any other bad line is a
    ConfigError naming the file and line."""
    first = stream.read(1)
    while first.isspace():
        first = stream.read(1)
    if first == "[":
        payload, problem = parse_json(first + stream.read())
        if problem:
            raise ConfigError(f"{name}: invalid JSON: {problem}")
        for index, item in enumerate(payload):
            yield _record(item, f"{name}[{index}]")
        return
    pending: tuple[int, str] | None = None
    for number, line in enumerate(_lines(first, stream), start=1):
        if not line.strip():
            continue
        if pending is not None:
            yield _parse_line(*pending, name)
        pending = (number, line)
    if pending is not None:
        payload, problem = parse_json(pending[1])
        if problem and pending[0] > 1:
            notices.append(f"{name}:{pending[0]}: skipped a torn last line ({problem})")
            return
        yield _parse_line(*pending, name)


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
