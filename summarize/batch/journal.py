"""The crash-safe JSONL journal a run appends its records to, with its resume index.

Each record is one ``os.write`` of its whole line on a file opened with ``O_APPEND``, at
once: after a SIGKILL the file holds every record appended before it, as whole lines,
except that the last one may be torn when the kill landed while a record larger than a
page was being copied (Linux cuts a write short for a fatal signal between pages;
tests/test_faults_kill.py provokes it). :meth:`JsonlJournal.sync` cuts it off.

Durability against a machine that stops (power, kernel) is a **group commit**: a thread
of the journal ``fsync``s the file every ``commit_seconds`` (0.1 s) or every
``commit_records`` (256) records, whichever comes first, and then adds those records to
the resume index (summarize.batch.index). A machine crash loses at most that window of
records, which the rerun does again; the index never covers a line that was not synced
first. (One fsync per record cost more than everything else the journal does.)

At the end of a run :meth:`JsonlJournal.rewrite` puts the file in input order, one line
per article, by copying lines into a temporary file and ``os.replace``-ing it, unless it
already is so (then nothing is written).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO


from summarize.batch.index import (IndexEntry, ResumeIndex, entry_of_line, entry_of_record,
                                   covered_mark, file_identity, index_path)
from summarize.errors import ConfigError
from summarize.records import Record

#: Every record line starts so (the first field of Record is its id); a line that does
#: not was not written by summarize.
RECORD_START = b'{"id":'
#: Entries added to the index at once while a file is read.
_SCAN_BATCH = 10_000


def record_line(record: Record) -> bytes:
    """One JSONL line of ``record``, newline included."""
    return (record.model_dump_json() + "\n").encode("utf-8")


def write_atomically(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader sees the old file or the new
    one, never a part (temporary file in the same folder, fsync, os.replace)."""
    with replacing(path) as out:
        out.write(data)


@contextmanager
def replacing(path: str | Path) -> Iterator[IO[bytes]]:
    """A new file that replaces ``path`` in one step when the block ends without an
    error (see :func:`write_atomically`); on an error ``path`` is left as it was."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _lock(fd: int) -> None:
    """An exclusive advisory lock on ``fd`` (no-op where fcntl does not exist)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _line_id(line: bytes) -> str | None:
    """The id of a record line (its first field), read without parsing the line."""
    end = line.find(b',"status":')
    if not line.startswith(RECORD_START) or end < 0:
        return None
    try:
        value = json.loads(line[len(RECORD_START):end])
    except ValueError:
        return None
    return value if isinstance(value, str) else None


class JsonlJournal:
    """An append-only JSONL file of records that survives being killed at any moment,
    and the index of its records (see the module docstring)."""

    def __init__(self, path: str | Path, *, commit_seconds: float = 0.1,
                 commit_records: int = 256) -> None:
        self.path = Path(path)
        self.commit_seconds = commit_seconds
        self.commit_records = commit_records
        #: Lines dropped by :meth:`sync`: (line number, why).
        self.dropped: list[tuple[int, str]] = []
        self._fd: int | None = None
        self._index: ResumeIndex | None = None
        #: Bytes and lines in the file (after sync, plus what was appended since).
        self.size = 0
        self.lines = 0
        self._pending: list[IndexEntry] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._committer: threading.Thread | None = None
        self._closing = False
        self._failure: BaseException | None = None
        #: Bytes of the file known to be synced and indexed.
        self._committed = 0

    # ---- reading what is there ---------------------------------------------------------

    def sync(self, *, repair: bool = True, write: bool = True) -> None:
        """Bring the index up to date with the file: read only the lines it does not cover
        yet (all of them when it describes another file). A torn last line is cut off the
        file (when ``repair``), so that appending starts on a fresh line; an unreadable
        line elsewhere is skipped (both are listed in ``dropped``). Raises ConfigError
        when the file exists but was not written by summarize (it is never overwritten
        then). ``write=False`` (a dry run) changes nothing on disk: an index that does
        not cover the file is built in memory instead."""
        identity = file_identity(self.path)
        if self._index is None:
            self._index = self._open_index(identity, write=write)
        covered_file, covered, lines = self._index.state()
        try:
            actual = self.path.stat().st_size
        except FileNotFoundError:
            actual = 0
        if (covered_file != identity or covered > actual
                or (covered and self._index.mark() != covered_mark(self.path, covered))):
            self._index.reset(file=identity or "")
            covered, lines = 0, 0
        self.size, self.lines = covered, lines
        if actual > covered:
            self._scan(covered, identity, repair=repair)
        self._committed = self.size

    def _open_index(self, identity: str | None, *, write: bool) -> ResumeIndex:
        path = index_path(self.path)
        if write:
            return ResumeIndex(path)
        if path.exists():
            index = ResumeIndex(path, read_only=True)
            covered_file, covered, _ = index.state()
            if covered_file == identity and covered == (self.path.stat().st_size
                                                        if identity else 0) \
                    and (not covered or index.mark() == covered_mark(self.path, covered)):
                return index
            index.close()
        return ResumeIndex(None)

    def _scan(self, start: int, identity: str | None, *, repair: bool) -> None:
        """Read the lines from byte ``start`` on into the index."""
        assert self._index is not None
        batch: list[IndexEntry] = []
        offset, number = start, self.lines
        torn_at: int | None = None
        with open(self.path, "rb") as source:
            source.seek(start)
            for line in source:
                if not line.endswith(b"\n"):
                    torn_at = offset
                    if number == 0 and not line.startswith(RECORD_START):
                        self._foreign()
                    break
                number += 1
                if line.strip():
                    if not line.startswith(RECORD_START):
                        self._foreign()
                    entry = entry_of_line(line, offset)
                    if entry is None:
                        self.dropped.append((number, "unreadable record"))
                    else:
                        batch.append(entry)
                offset += len(line)
                if len(batch) >= _SCAN_BATCH:
                    self._index.add(batch, size=offset, lines=number, file=identity)
                    batch = []
        self._index.add(batch, size=offset, lines=number, file=identity,
                        mark=covered_mark(self.path, offset))
        self.size, self.lines = offset, number
        if torn_at is not None:
            self.dropped.append((number + 1, "torn last line"))
            if repair:
                with open(self.path, "r+b") as out:
                    out.truncate(torn_at)
                    out.flush()
                    os.fsync(out.fileno())

    def _foreign(self) -> None:
        raise ConfigError(f"{self.path} exists and does not hold summarize records; "
                          "refusing to overwrite it (move it away or choose another -o)")

    @property
    def empty(self) -> bool:
        """True when the file holds no record (after :meth:`sync`): nothing to resume."""
        return self.lines == 0

    def lookup(self, article_id: str) -> IndexEntry | None:
        """What the file holds for ``article_id`` (its latest line), or None. Call
        :meth:`sync` first."""
        assert self._index is not None, "sync() first"
        return self._index.get(article_id)

    def entries(self) -> Iterator[IndexEntry]:
        """The latest line of every id, in file order (after :meth:`sync`)."""
        assert self._index is not None, "sync() first"
        return self._index.entries()

    def read(self, offset: int, length: int) -> bytes:
        """The line at ``offset`` (``length`` bytes, newline included)."""
        with open(self.path, "rb") as source:
            return os.pread(source.fileno(), length, offset)

    def read_lines(self, spans: Iterable[tuple[int, int]]) -> Iterator[bytes]:
        """The lines at ``spans`` ((offset, length) each), in that order."""
        with open(self.path, "rb") as source:
            fd = source.fileno()
            for offset, length in spans:
                yield os.pread(fd, length, offset)

    # ---- appending ---------------------------------------------------------------------

    def open(self) -> None:
        """Open the file for appending (created when missing) and lock it, so that two
        runs cannot write the same output. Raises ConfigError when another run holds it."""
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            _lock(fd)
        except BlockingIOError:
            os.close(fd)
            raise ConfigError(f"{self.path} is being written by another summarize run; "
                              "wait for it to finish or choose another -o") from None
        self._fd = fd

    def append(self, record: Record, line: bytes | None = None) -> tuple[int, int]:
        """Add ``record`` as one line (``line``: its :func:`record_line`, when the caller
        made it already), written at once; the group commit makes it durable within
        ``commit_seconds``. Returns (offset, length)."""
        return self.append_line(record_line(record) if line is None else line, record)

    def append_line(self, line: bytes, record: Record | None = None, *,
                    keys: tuple[str, str, str] | None = None) -> tuple[int, int]:
        """Add one record's JSONL line (newline included). Its index entry is made from
        ``record`` or from ``keys`` (status, article key, run key) when given, without
        parsing the line."""
        self.open()
        assert self._fd is not None
        if self._failure is not None:
            raise self._failure
        record_id = _line_id(line) if keys is not None else None
        with self._lock:
            offset = self.size
            written = os.write(self._fd, line)
            while written < len(line):  # pragma: no cover - only on a nearly full disk
                written += os.write(self._fd, line[written:])
            self.size += len(line)
            self.lines += 1
            if self._index is not None:
                if record is not None:
                    entry = entry_of_record(record, offset, len(line))
                elif keys is not None and record_id is not None:
                    entry = IndexEntry(record_id, *keys, offset, len(line))
                else:
                    entry = entry_of_line(line, offset)
                if entry is not None:
                    self._pending.append(entry)
            count = len(self._pending)
        if self._committer is None:
            self._start_committer()
        if count >= self.commit_records:
            self._wake.set()
        return offset, len(line)

    def _start_committer(self) -> None:
        self._committer = threading.Thread(target=self._commit_loop, daemon=True,
                                           name="summarize-journal-commit")
        self._committer.start()

    def _commit_loop(self) -> None:
        while not self._closing:
            self._wake.wait(self.commit_seconds)
            self._wake.clear()
            try:
                self.commit()
            except BaseException as exc:  # noqa: BLE001 - raised again by the next append
                self._failure = exc
                return

    def commit(self) -> None:
        """fsync what was appended, then add it to the index (the group commit, now)."""
        with self._lock:
            if self._fd is None or self.size == self._committed:
                return
            fd, pending, size, lines = self._fd, self._pending, self.size, self.lines
            self._pending = []
        os.fsync(fd)
        if self._index is not None:
            self._index.add(pending, size=size, lines=lines, mark=covered_mark(self.path, size))
        self._committed = size

    def close(self) -> None:
        """Commit what is pending, stop the commit thread and close the file and index."""
        self._closing = True
        self._wake.set()
        if self._committer is not None:
            self._committer.join()
            self._committer = None
        try:
            if self._failure is None:
                self.commit()
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            if self._index is not None:
                self._index.close()
                self._index = None
            self._closing = False
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    # ---- rewriting ---------------------------------------------------------------------

    def in_order(self, spans: Sequence[tuple[int, int]]) -> bool:
        """True when the file holds exactly the lines at ``spans`` (offset, length), in
        that order, and nothing else: then there is nothing to rewrite."""
        if len(spans) != self.lines:
            return False
        position = 0
        for offset, length in spans:
            if offset != position:
                return False
            position += length
        return position == self.size

    def rewrite(self, spans: Sequence[tuple[int, int]]) -> bool:
        """Make the file the lines at ``spans`` (offset, length), in that order: one record
        per article, in input order; lines of other ids or superseded ones go. Nothing is
        written when the file already is that (:meth:`in_order`). Returns True when it
        was rewritten. The index follows the new file."""
        self.commit()
        if self.in_order(spans):
            return False
        index = self._index
        with replacing(self.path) as out:
            for line in self._checked(self.read_lines(spans)):
                out.write(line)
        moves, position = [], 0
        for offset, length in spans:
            moves.append((offset, position, length))
            position += length
        if index is not None:
            index.move(moves, size=position, lines=len(spans),
                       file=file_identity(self.path) or "",
                       mark=covered_mark(self.path, position))
        self._reopen()
        self.size, self.lines = position, len(spans)
        self._committed = self.size
        return True

    def _checked(self, lines: Iterable[bytes]) -> Iterator[bytes]:
        """``lines``, each checked to be a whole record line (an index that does not
        match its file must not make a rewrite copy pieces of lines)."""
        for line in lines:
            if not (line.startswith(RECORD_START) and line.endswith(b"\n")):
                raise ConfigError(f"the resume index {index_path(self.path)} does not match "
                                  f"{self.path}; delete the index and rerun")
            yield line

    def compact(self, records: Sequence[Record]) -> None:
        """Replace the file, atomically, with ``records`` (say, none: ``--no-resume``)."""
        self.commit()
        data = b"".join(record_line(r) for r in records)
        write_atomically(self.path, data)
        self.size, self.lines = 0, 0
        if self._index is not None:
            self._index.reset(file=file_identity(self.path) or "")
            self._scan(0, file_identity(self.path), repair=False)
        self.size, self.lines = len(data), len(records)
        self._committed = self.size
        self._reopen()

    def _reopen(self) -> None:
        """Append to the new file after a rewrite (the old descriptor is the old file)."""
        if self._fd is not None:
            with self._lock:
                os.close(self._fd)
                self._fd = None
            self.open()

    def __enter__(self) -> JsonlJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
