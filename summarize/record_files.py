"""Reading files of records (the output of ``summarize run``): a JSONL stream one record
at a time, or a JSON list read whole. ``summarize events``, ``summarize report`` and
``run --events`` read them so."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO

from pydantic import ValidationError

from summarize.readers import parse_json
from summarize.errors import ConfigError, first_problem
from summarize.records import Record

#: What a bad records file is told to hold instead.
HINT = "give the JSONL (or JSON list) of records that `summarize run` wrote"


def iter_records(stream: IO[str], name: str, notices: list[str]) -> Iterator[Record]:
    """Records of a JSONL stream one at a time (a JSON list is read whole). A torn last
    line (an interrupted run) is skipped with a notice; any other bad line is a
    ConfigError naming the file and line."""
    head = opening(stream)
    if head.endswith("["):
        yield from list_records(head + stream.read(), name)
        return
    for line in numbered_lines(head, stream):
        record = line_record(line, name, notices)
        if record is not None:
            yield record


def opening(stream: IO[str]) -> str:
    """What the stream holds up to its first character that is no white space (all of it
    when there is none): "[" at its end means a JSON list. Given back to
    :func:`numbered_lines`, blank lines before the first record still count."""
    head = stream.read(1)
    while head[-1:].isspace():
        more = stream.read(1)
        if not more:
            break
        head += more
    return head


def list_records(text: str, name: str) -> Iterator[Record]:
    """The records of a JSON list; ConfigError naming the file and item of a bad one."""
    payload, problem = parse_json(text)
    if problem:
        raise ConfigError(f"{name}: invalid JSON: {problem}")
    for index, item in enumerate(payload):
        yield _record(item, f"{name}[{index}]")


def numbered_lines(head: str, stream: IO[str]) -> Iterator[tuple[int, str, bool]]:
    """The stream's non-blank lines with their numbers (``head``: what :func:`opening`
    read of it), the last one marked when others came before it (a torn last line is
    one a run was writing after them)."""
    pending: tuple[int, str] | None = None
    earlier = False
    for number, line in enumerate(_lines(head, stream), start=1):
        if not line.strip():
            continue
        if pending is not None:
            yield pending[0], pending[1], False
            earlier = True
        pending = (number, line)
    if pending is not None:
        yield pending[0], pending[1], earlier


def line_record(line: tuple[int, str, bool], name: str, notices: list[str]) -> Record | None:
    """The record of one numbered line; None (with a notice) for a torn last line."""
    number, text, last = line
    if last:
        _, problem = parse_json(text)
        if problem:
            notices.append(f"{name}:{number}: skipped a torn last line ({problem})")
            return None
    return _parse_line(number, text, name)


def _lines(head: str, stream: IO[str]) -> Iterator[str]:
    yield from io.StringIO(head + (stream.readline() if head[-1:] not in ("", "\n") else ""))
    yield from stream


def _parse_line(number: int, line: str, name: str) -> Record:
    try:
        return Record.model_validate_json(line)
    except ValidationError:
        pass  # read it again, slowly, to say what is wrong with it
    payload, problem = parse_json(line)
    if problem:
        raise ConfigError(f"{name}:{number}: not a JSON line ({problem}); {HINT}")
    return _record(payload, f"{name}:{number}")


def _record(payload: object, where: str) -> Record:
    try:
        return Record.model_validate(payload)
    except ValidationError as exc:
        raise ConfigError(f"{where}: not a summarize record ({first_problem(exc)}); {HINT}") from exc
