"""The output of a Batch API job, read and written as a stream.

It is a JSONL journal like ``summarize run``'s (summarize.batch.journal.JsonlJournal: one
``os.write`` per record, at once, fsynced in group commits; locked while a collect
writes it): records are appended
as articles finish, and when every article has one, :func:`compact` rewrites it (a
temporary file, then ``os.replace``) with one record per article in input order. Records
the job wrote carry its uid in ``provenance.batch_job``, so that a collect that was killed
knows, from the file alone, which articles it already wrote: it writes none of them
twice. Nothing here holds more than one record in memory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from summarize.batch.index import index_path
from summarize.batch.job import JobState
from summarize.batch.progress import BatchTally
from summarize.batch.journal import JsonlJournal, replacing
from summarize.errors import ConfigError
from summarize.records import Record

#: Every record line starts so (see summarize.batch.writers).
_RECORD_START = b'{"id":'


class JobOutput:
    """The JSONL output of a job at ``path``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._journal = JsonlJournal(self.path)
        #: Set by :meth:`open` when a torn last line was cut off.
        self.repaired = False

    def open(self) -> None:
        """Lock the file for appending (created when missing), after cutting off a torn
        last line. ConfigError when another run holds it or it holds no records."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._journal.open()
        for _ in self.lines():  # checks that every line is a record
            pass
        self.repaired = _cut_torn_line(self.path)

    def close(self) -> None:
        """Unlock and close."""
        self._journal.close()

    def append(self, record: Record) -> None:
        """Add ``record`` (in the file when this returns; synced by the journal's group
        commit within 0.1 s, and by :meth:`close`)."""
        self._journal.append(record)

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """(offset, line) of every complete line, in file order. ConfigError when a line
        is not a record (the file was not written by summarize)."""
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            return
        with handle:
            offset = 0
            for line in handle:
                if not line.endswith(b"\n"):
                    return  # torn: cut off by open()
                if line.strip() and not line.startswith(_RECORD_START):
                    raise ConfigError(f"{self.path} exists and does not hold summarize records; "
                                      "refusing to overwrite it (move it away or choose another -o)")
                if line.strip():
                    yield offset, line
                offset += len(line)

    def mark_written(self, state: JobState, uid: str) -> int:
        """Mark done, in ``state``, every article whose record this job (``uid``) wrote;
        how many."""
        count = 0
        state.begin()
        for _, line in self.lines():
            found = _read(line)
            if found is not None and found[1] == uid:
                state.mark_done(found[0])
                count += 1
        state.commit()
        return count

    def index(self, state: JobState, *, ok_only: bool = False) -> None:
        """Put (id, offset, length) of the last line of each id into the table ``lines``
        of ``state`` (only ok records when ``ok_only``)."""
        db = state.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS lines (id TEXT PRIMARY KEY, "
                   "offset INTEGER, length INTEGER)")
        db.execute("DELETE FROM lines")
        state.begin()
        for offset, line in self.lines():
            found = _read(line)
            if found is None or (ok_only and found[2] != "ok"):
                continue
            db.execute("INSERT OR REPLACE INTO lines VALUES (?, ?, ?)", (found[0], offset, len(line)))
        state.commit()

    def record_at(self, offset: int, length: int) -> Record | None:
        """The record of the line at ``offset`` (None when it cannot be read)."""
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            data = handle.read(length)
        try:
            return Record.model_validate_json(data)
        except ValueError:
            return None


def _read(line: bytes) -> tuple[str, str | None, str | None] | None:
    """(id, provenance.batch_job, status) of a record line; None when it is unreadable."""
    try:
        record = json.loads(line)
        provenance = record.get("provenance") or {}
        return str(record["id"]), provenance.get("batch_job"), record.get("status")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _cut_torn_line(path: Path) -> bool:
    """Cut a last line without its newline off ``path``; True when there was one."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    if size == 0:
        return False
    with open(path, "r+b") as handle:
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return False
        keep = 0
        position = size
        while position > 0:
            step = min(65536, position)
            position -= step
            handle.seek(position)
            chunk = handle.read(step)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                keep = position + newline + 1
                break
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def missing_records(output: JobOutput, state: JobState) -> list[int]:
    """Positions of the articles whose record the output lacks (after
    :meth:`JobOutput.index`)."""
    return [position for (position,) in state.db.execute(
        "SELECT position FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM lines l WHERE l.id = a.id) ORDER BY position")]


def compact(output: JobOutput, state: JobState) -> BatchTally:
    """Rewrite the output with the last record of each article, in input order (after
    :meth:`JobOutput.index`, with no record missing); the tally of the records, those
    this process did not write (JobState.note_written) counted as resumed: a rerun
    that sent nothing spent nothing."""
    total = state.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    tally = BatchTally(total=total)
    rows = state.db.execute(
        "SELECT l.offset, l.length, w.position IS NOT NULL FROM articles a "
        "JOIN lines l ON l.id = a.id LEFT JOIN temp.written w ON w.position = a.position "
        "ORDER BY a.position")
    with replacing(output.path) as out, open(output.path, "rb") as source:
        for offset, length, written_now in rows:
            line = os.pread(source.fileno(), length, offset)
            out.write(line)
            tally.add(Record.model_validate_json(line), resumed=not written_now)
        output.close()  # unlocked before the new file takes its place
    # The resume index described the file replaced: a live run rebuilds it.
    index_path(output.path).unlink(missing_ok=True)
    return tally
