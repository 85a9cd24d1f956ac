"""The resume index: what a rerun needs to know about each record of a JSONL output,
without reading the records.

Per id, the latest line of the output for that id: its status, a key of the article it
summarised (:func:`article_key`: text, title, outlet and date), a key of the run that made
it (:func:`run_key`: backend, model, endpoint, mode, temperature, prompt, schema and
package version), and where the line is (byte offset and length). A rerun decides from
these alone which articles are done; a record's line is read only when it is copied.

The index is SQLite, in a hidden file beside the output (``.out.jsonl-resume.sqlite``).
It is derived from the output and checked against it whenever it is opened: it records
which file it describes (device and inode), how many bytes of it (``size``) and a mark
of those bytes (:func:`covered_mark`: their first and last 64). When the file has grown
past ``size`` (a run killed before its index caught up) only the lines after ``size``
are read; when it is another file, shorter than ``size`` or with other bytes under the
mark (rewritten by hand, truncated, replaced by a file that took the old one's inode,
which an atomic replace can do), the index is rebuilt from the whole file. Deleting it
costs one full read of the output, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarize.errors import ConfigError
from summarize.records import Record

#: Bump when the table layout or the keys' definition change (the index is rebuilt).
LAYOUT = "2"


def index_path(output: Path) -> Path:
    """Where the index of ``output`` lives: a hidden file beside it."""
    return output.with_name(f".{output.name}-resume.sqlite")


def article_key(text_sha256: str | None, title: str | None, source: str | None,
                published: str | None) -> str:
    """Key of an article as a record shows it: its text and what the prompt shows beside
    it. Two records with the same key summarised the same input."""
    shown = json.dumps([text_sha256, title, source, published], ensure_ascii=False)
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()[:32]


def run_key(fields: Iterable[Any]) -> str:
    """Key of a run: the fields of :func:`summarize.batch.runner.run_fingerprint`."""
    return hashlib.sha256(json.dumps(list(fields)).encode("utf-8")).hexdigest()[:32]


#: The provenance fields a run key is made of, in order (see run_fingerprint).
RUN_FIELDS = ("backend", "model", "base_url", "mode", "temperature", "seed", "strict",
              "prompt_sha256", "schema_version", "version")


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the index holds about one id: its latest line."""

    id: str
    status: str
    article: str
    run: str
    offset: int
    length: int

    @property
    def ok(self) -> bool:
        """True when the line is an ok record."""
        return self.status == "ok"


def entry_of_record(record: Record, offset: int, length: int) -> IndexEntry:
    """The index entry of ``record`` written as a line of ``length`` bytes at ``offset``
    (the same as :func:`entry_of_line` of that line, without parsing it)."""
    article, provenance = record.article, record.provenance
    return IndexEntry(
        id=record.id, status=record.status,
        article=article_key(article.text_sha256, article.title, article.source,
                            article.published),
        run=run_key(getattr(provenance, name) for name in RUN_FIELDS),
        offset=offset, length=length)


def entry_of_line(line: bytes, offset: int) -> IndexEntry | None:
    """The index entry of one JSONL line (newline included) at ``offset``, or None when
    the line is not a readable record."""
    try:
        data = json.loads(line)
        article = data["article"]
        provenance = data["provenance"]
        entry = IndexEntry(
            id=data["id"], status=data["status"],
            article=article_key(article.get("text_sha256"), article.get("title"),
                                article.get("source"), article.get("published")),
            run=run_key(provenance.get(name) for name in RUN_FIELDS),
            offset=offset, length=len(line))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if not isinstance(entry.id, str) or entry.status not in ("ok", "error"):
        return None
    return entry


class ResumeIndex:
    """The SQLite index of one JSONL output (see the module docstring). Thread-safe for
    one writer and readers (its connection is used under a lock)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        """The index at ``path`` (created when missing); None: a temporary one in memory
        (a dry run, which writes nothing); ``read_only``: an existing file, not changed."""
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        try:
            self._db = self._connect(read_only=read_only)
            self._db.execute("SELECT count(*) FROM entries").fetchone()
        except sqlite3.DatabaseError:
            if self.path is None or read_only:
                raise ConfigError(f"cannot read the resume index {self.path}") from None
            # Not a usable database (a torn file after a power loss, a stranger's file
            # of that name): it is only derived data, so start it over.
            self._close_quietly()
            for stale in (self.path, self.path.with_name(self.path.name + "-journal")):
                stale.unlink(missing_ok=True)
            try:
                self._db = self._connect(read_only=False)
            except sqlite3.Error as exc:
                raise ConfigError(f"cannot create the resume index {self.path}: {exc}") from exc
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open the resume index {self.path}: {exc}") from exc

    def _connect(self, *, read_only: bool) -> sqlite3.Connection:
        if self.path is None:
            db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        elif read_only:
            return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                   check_same_thread=False, isolation_level=None)
        else:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA synchronous=NORMAL")
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'entries'").fetchone():
            db.executescript("""
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS entries (
                    id TEXT PRIMARY KEY, status TEXT NOT NULL, article TEXT NOT NULL,
                    run TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL
                ) WITHOUT ROWID;
            """)
        return db

    def _close_quietly(self) -> None:
        try:
            self._db.close()
        except (AttributeError, sqlite3.Error):
            pass

    # ---- what it describes -------------------------------------------------------------

    def state(self) -> tuple[str | None, int, int]:
        """(identity of the file described, bytes of it covered, lines in them)."""
        with self._lock:
            rows = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if rows.get("layout") != LAYOUT:
            return None, 0, 0
        return rows.get("file"), int(rows.get("size") or 0), int(rows.get("lines") or 0)

    def mark(self) -> str | None:
        """The :func:`covered_mark` of the bytes covered, as last recorded (None: none)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'mark'").fetchone()
        return None if row is None else row[0]

    def get(self, article_id: str) -> IndexEntry | None:
        """The entry of ``article_id``, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, status, article, run, offset, length FROM entries WHERE id = ?",
                (article_id,)).fetchone()
        return None if row is None else IndexEntry(*row)

    def entries(self) -> Iterator[IndexEntry]:
        """Every entry, in file order (read a thousand at a time)."""
        with self._lock:
            cursor = self._db.execute("SELECT id, status, article, run, offset, length "
                                      "FROM entries ORDER BY offset")
        while True:
            with self._lock:
                rows = cursor.fetchmany(1000)
            if not rows:
                return
            for row in rows:
                yield IndexEntry(*row)

    # ---- changes -----------------------------------------------------------------------

    def add(self, entries: Iterable[IndexEntry], *, size: int, lines: int,
            file: str | None = None, mark: str | None = None) -> None:
        """Record ``entries`` (later lines of an id replace its earlier one) and that the
        first ``size`` bytes, ``lines`` lines, of the file are now covered (``mark``:
        their :func:`covered_mark`; without it the index is checked in full next time)."""
        rows = [(e.id, e.status, e.article, e.run, e.offset, e.length) for e in entries]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)", rows)
                meta = {"layout": LAYOUT, "size": str(size), "lines": str(lines),
                        "mark": mark or ""}
                if file is not None:
                    meta["file"] = file
                self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def reset(self, *, file: str) -> None:
        """Forget everything: the index now describes the first 0 bytes of ``file``."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM entries")
            self._db.execute("DELETE FROM meta")
            self._db.executemany("INSERT INTO meta VALUES (?, ?)", {
                "layout": LAYOUT, "file": file, "size": "0", "lines": "0", "mark": ""}.items())
            self._db.execute("COMMIT")

    def move(self, moves: Iterable[tuple[int, int, int]], *, size: int, lines: int,
             file: str, mark: str | None = None) -> None:
        """After the file was rewritten: each (old offset, new offset, length) says where
        a kept line went; the entries of lines not kept are dropped."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS moves ("
                                 "old INTEGER PRIMARY KEY, new INTEGER, length INTEGER)")
                self._db.execute("DELETE FROM moves")
                self._db.executemany("INSERT INTO moves VALUES (?, ?, ?)", moves)
                self._db.execute("DELETE FROM entries WHERE offset NOT IN (SELECT old FROM moves)")
                self._db.execute(
                    "UPDATE entries SET length = (SELECT length FROM moves WHERE old = offset), "
                    "offset = (SELECT new FROM moves WHERE old = offset)")
                self._db.execute("DELETE FROM moves")
                self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", {
                    "layout": LAYOUT, "file": file, "size": str(size),
                    "lines": str(lines), "mark": mark or ""}.items())
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def file_identity(path: Path) -> str | None:
    """Device and inode of ``path`` (what tells an output from a new file of the same
    name), or None when it does not exist."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return f"{info.st_dev}:{info.st_ino}"


#: Bytes at each end of the covered part that :func:`covered_mark` keeps.
_MARK_BYTES = 64


def covered_mark(path: Path, size: int) -> str:
    """The first and the last 64 bytes of the first ``size`` bytes of ``path``, in hex
    ("" for none, or when the file cannot be read): what tells the file an index
    describes from another one that took its inode and is at least as long."""
    if size <= 0:
        return ""
    try:
        with open(path, "rb") as source:
            head = source.read(min(size, _MARK_BYTES))
            source.seek(max(0, size - _MARK_BYTES))
            tail = source.read(min(size, _MARK_BYTES))
    except OSError:
        return ""
    return f"{head.hex()}:{tail.hex()}"
