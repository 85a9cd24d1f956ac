"""A Batch API job on disk: the job file (JSON) and its state (SQLite), both crash-safe.

    JOB.json          what the job is: its inputs, output, the settings the answers depend
                      on (model, prompt and its sha256, mode, max tokens, temperature ...),
                      and a copy of every batch's ids, files and status (for people and
                      scripts; rewritten atomically after every change)
    JOB.files/        beside it: state.sqlite, the request files, the downloaded results

state.sqlite holds one row per input article, in input order: its id, text sha256 and
cache key (what must match for an answer to be its answer), its custom_id, the number of
the request in flight and where it stands; the answers received (the completion bodies,
one per request of the article) and the transient failures per request; and one row per
request file ("part") of each round with its file id, batch id and status. Every change
is a transaction, so a job killed at any point resumes from a consistent state: a part
is marked ingested in the same transaction that stores its lines (no line is counted
twice), and a batch is created only after its part is marked ``creating`` (a batch
created just before a crash is found again by its metadata, not created twice).
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from summarize.batch.journal import write_atomically
from summarize.errors import ConfigError

FORMAT = "summarize-batch-job"
VERSION = 1

# Where an article stands (articles.state):
#   new        read, nothing decided yet
#   skipped    already ok in the output before the job (not sent)
#   cached     answered by the cache (not sent)
#   queued     its next request is ready (articles.body) for the next round
#   submitted  its request is in a part of the current round
#   answered   the answer to its request arrived (answers)
#   retry      its request failed for a reason worth sending it again (failures)
#   failed     its request failed for good (a 4xx): the record says why
#   done       its record is in the output

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    text_sha256 TEXT,
    key TEXT,
    base TEXT,
    state TEXT NOT NULL,
    send INTEGER NOT NULL DEFAULT 0,
    round INTEGER,
    part TEXT,
    body TEXT,
    reason TEXT,
    message TEXT
);
CREATE INDEX IF NOT EXISTS articles_base ON articles(base);
CREATE INDEX IF NOT EXISTS articles_state ON articles(state);
CREATE INDEX IF NOT EXISTS articles_part ON articles(part);
CREATE INDEX IF NOT EXISTS articles_id ON articles(id);
CREATE TABLE IF NOT EXISTS answers (
    position INTEGER NOT NULL,
    send INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (position, send)
);
CREATE TABLE IF NOT EXISTS failures (
    position INTEGER NOT NULL,
    send INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (position, send)
);
CREATE TABLE IF NOT EXISTS parts (
    name TEXT PRIMARY KEY,
    round INTEGER NOT NULL,
    file TEXT NOT NULL,
    requests INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    status TEXT NOT NULL,
    file_id TEXT,
    batch_id TEXT,
    output_file_id TEXT,
    error_file_id TEXT,
    total INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    errors TEXT,
    ingested INTEGER NOT NULL DEFAULT 0,
    base_url TEXT,
    final INTEGER NOT NULL DEFAULT 0
);
"""
#: Columns added to ``parts`` after the first job files were written (added on opening).
_ADDED_COLUMNS = (("base_url", "TEXT"), ("final", "INTEGER NOT NULL DEFAULT 0"))
#: Seconds a change waits for another process's transaction (a collect writing a round).
BUSY_TIMEOUT = 60.0


@dataclass
class Job:
    """The job file. ``mode``: ``api`` (the job's rounds go to a Batch API endpoint) or
    ``file`` (request files are written for another engine, e.g. vLLM's run-batch, and
    its output files are collected with ``--results``)."""

    path: Path
    uid: str
    mode: str
    inputs: list[str]
    output: str | None
    settings: dict[str, Any]
    created: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    batches: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def new(cls, path: str | Path, *, mode: str, inputs: list[str], output: str | None,
            settings: dict[str, Any]) -> Job:
        """A new job (not written yet)."""
        return cls(path=Path(path), uid=uuid.uuid4().hex[:16], mode=mode, inputs=inputs,
                   output=output, settings=settings,
                   created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))

    @classmethod
    def load(cls, path: str | Path) -> Job:
        """The job file at ``path``; ConfigError when it is missing or not a job file."""
        path = Path(path)
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such job file (make one with summarize batch "
                              "submit or export --job)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{path}: not a readable job file ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConfigError(f"{path} is not a summarize batch job file")
        if data.get("version") != VERSION:
            raise ConfigError(f"{path}: job file version {data.get('version')} is not "
                              f"{VERSION}; collect it with the summarize that made it")
        if not (path.parent / _files_name(path) / "state.sqlite").is_file():
            raise ConfigError(f"{path}: its state folder {_files_name(path)}/ is missing "
                              "(move the job file and its folder together)")
        return cls(path=path, uid=data["uid"], mode=data["mode"], inputs=data["inputs"],
                   output=data.get("output"), settings=data["settings"],
                   created=data.get("created", ""), counts=data.get("counts", {}),
                   batches=data.get("batches", []))

    @property
    def folder(self) -> Path:
        """The folder of the job's state, request files and downloads."""
        return self.path.parent / _files_name(self.path)

    def save(self, state: JobState | None = None) -> None:
        """Write the job file atomically (with the parts of ``state`` copied in)."""
        if state is not None:
            self.batches = [asdict(part) for part in state.parts()]
            self.counts = state.counts()
        data = {"format": FORMAT, "version": VERSION, "uid": self.uid, "mode": self.mode,
                "created": self.created, "inputs": self.inputs, "output": self.output,
                "settings": self.settings, "counts": self.counts, "batches": self.batches,
                "state": f"{_files_name(self.path)}/state.sqlite"}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def _files_name(path: Path) -> str:
    return f"{path.stem if path.suffix else path.name}.files"


@dataclass
class Part:
    """One request file of a round and the batch made of it."""

    name: str
    round: int
    file: str
    requests: int
    bytes: int
    #: planned (file written) | uploaded | creating | a batch status (validating ...
    #: completed, failed, expired, cancelled) | written (file mode: for another engine)
    status: str
    file_id: str | None = None
    batch_id: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: str | None = None
    ingested: bool = False
    #: The endpoint the file was uploaded to and the batch created on (without
    #: credentials): the batch is read and its results downloaded there, whatever the
    #: endpoint of a later command.
    base_url: str | None = None
    #: True when the batch failed for a reason that would fail it again (a file that
    #: fails validation): its requests fail for good instead of being sent again.
    final: bool = False


_PART_COLUMNS = tuple(f.name for f in fields(Part))


@dataclass
class ArticleRow:
    """An article's row of the state."""

    position: int
    id: str
    text_sha256: str | None
    key: str | None
    base: str | None
    state: str
    send: int
    round: int | None
    part: str | None
    body: str | None
    reason: str | None
    message: str | None


class JobState:
    """The SQLite state of a job (see the module docstring). Not shared across threads."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "state.sqlite"
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
            have = {row[1] for row in self.db.execute("PRAGMA table_info(parts)")}
            for name, kind in _ADDED_COLUMNS:
                if name not in have:
                    self.db.execute(f"ALTER TABLE parts ADD COLUMN {name} {kind}")
            # The articles whose records this process wrote (see note_written).
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS written (position INTEGER PRIMARY KEY)")
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open the job state {self.path}: {exc}") from exc
        self._in_transaction = False

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> JobState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions ----

    def begin(self) -> None:
        """Start a transaction (no-op inside one)."""
        if not self._in_transaction:
            self.db.execute("BEGIN IMMEDIATE")
            self._in_transaction = True

    def try_begin(self, *, wait: float) -> bool:
        """Start a transaction if no other process holds one for longer than ``wait``
        seconds; False (and no transaction) when one does."""
        if self._in_transaction:
            return True
        self.db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            self.begin()
        except sqlite3.OperationalError:
            return False
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        return True

    def commit(self) -> None:
        """Make the changes since :meth:`begin` durable."""
        if self._in_transaction:
            self.db.execute("COMMIT")
            self._in_transaction = False

    def rollback(self) -> None:
        """Drop the changes since :meth:`begin`."""
        if self._in_transaction:
            self.db.execute("ROLLBACK")
            self._in_transaction = False

    # ---- articles ----

    def empty(self) -> bool:
        """True when no article was added yet."""
        return self.db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None

    def add_article(self, position: int, article_id: str, *, text_sha256: str | None,
                    key: str | None, base: str | None, state: str = "new") -> None:
        """Add (or replace) the row of the article at ``position``."""
        self.db.execute(
            "INSERT OR REPLACE INTO articles (position, id, text_sha256, key, base, state) "
            "VALUES (?, ?, ?, ?, ?, ?)", (position, article_id, text_sha256, key, base, state))

    def rows(self, *, states: tuple[str, ...] | None = None, chunk: int = 1000) -> Iterator[ArticleRow]:
        """Rows in input order (only those in ``states``), read ``chunk`` at a time."""
        after = -1
        where = f" AND state IN ({','.join('?' * len(states))})" if states else ""
        while True:
            found = self.db.execute(
                f"SELECT * FROM articles WHERE position > ?{where} ORDER BY position LIMIT ?",
                (after, *(states or ()), chunk)).fetchall()
            if not found:
                return
            for values in found:
                yield ArticleRow(*values)
            after = found[-1][0]

    def find(self, base: str) -> ArticleRow | None:
        """The row whose custom_id starts with ``base``."""
        values = self.db.execute("SELECT * FROM articles WHERE base = ?", (base,)).fetchone()
        return ArticleRow(*values) if values else None

    def waiting_in(self, part: str) -> list[tuple[int, int]]:
        """(position, request number) of the articles whose request in ``part`` has no
        result yet."""
        return self.db.execute("SELECT position, send FROM articles WHERE part = ? AND "
                               "state = 'submitted'", (part,)).fetchall()

    def note_written(self, position: int) -> None:
        """The record of the article at ``position`` was written by this process (the
        final tally counts the others as resumed)."""
        self.db.execute("INSERT OR IGNORE INTO temp.written (position) VALUES (?)", (position,))

    def mark_done(self, article_id: str) -> None:
        """The output holds the record of ``article_id`` this job wrote."""
        self.db.execute("UPDATE articles SET state = 'done' WHERE id = ?", (article_id,))

    def set_state(self, position: int, state: str, **columns: Any) -> None:
        """Move an article to ``state``, setting ``columns`` (send, round, part, body,
        reason, message) too."""
        names = ["state", *columns]
        assignments = ", ".join(f"{name} = ?" for name in names)
        self.db.execute(f"UPDATE articles SET {assignments} WHERE position = ?",
                        (state, *columns.values(), position))

    def count(self, *states: str) -> int:
        """How many articles are in one of ``states``."""
        return self.db.execute(
            f"SELECT COUNT(*) FROM articles WHERE state IN ({','.join('?' * len(states))})",
            states).fetchone()[0]

    def unusable(self) -> int:
        """How many articles cannot be summarised (no cache key: their error records come
        at collect)."""
        return self.db.execute("SELECT COUNT(*) FROM articles WHERE key IS NULL").fetchone()[0]

    def counts(self) -> dict[str, int]:
        """Articles per state (states with none left out)."""
        return dict(self.db.execute("SELECT state, COUNT(*) FROM articles GROUP BY state "
                                    "ORDER BY state").fetchall())

    # ---- answers and failures ----

    def add_answer(self, position: int, send: int, body: str) -> bool:
        """Store the answer to an article's ``send``-th request; False when it had one."""
        cursor = self.db.execute("INSERT OR IGNORE INTO answers (position, send, body) "
                                 "VALUES (?, ?, ?)", (position, send, body))
        return cursor.rowcount == 1

    def answers(self, position: int) -> list[str]:
        """The answers to an article's requests, in order."""
        return [body for (body,) in self.db.execute(
            "SELECT body FROM answers WHERE position = ? ORDER BY send", (position,))]

    def add_failure(self, position: int, send: int) -> None:
        """Count one more failure of an article's ``send``-th request."""
        self.db.execute("INSERT INTO failures (position, send, count) VALUES (?, ?, 1) "
                        "ON CONFLICT (position, send) DO UPDATE SET count = count + 1",
                        (position, send))

    def failures(self, position: int) -> dict[int, int]:
        """Failures per request number of an article."""
        return dict(self.db.execute("SELECT send, count FROM failures WHERE position = ?",
                                    (position,)).fetchall())

    # ---- parts ----

    def add_part(self, part: Part) -> None:
        """Add a request file of a round."""
        values = asdict(part)
        self.db.execute(f"INSERT OR REPLACE INTO parts ({', '.join(values)}) VALUES "
                        f"({', '.join('?' * len(values))})", tuple(values.values()))

    def update_part(self, name: str, **columns: Any) -> None:
        """Change columns of a part."""
        assignments = ", ".join(f"{column} = ?" for column in columns)
        self.db.execute(f"UPDATE parts SET {assignments} WHERE name = ?", (*columns.values(), name))

    def parts(self, *, round_: int | None = None) -> list[Part]:
        """Every part (of round ``round_``), in order."""
        where, args = ("WHERE round = ?", (round_,)) if round_ is not None else ("", ())
        rows = self.db.execute(f"SELECT {', '.join(_PART_COLUMNS)} FROM parts {where} "
                               "ORDER BY round, name", args).fetchall()
        parts = [Part(**dict(zip(_PART_COLUMNS, values, strict=True))) for values in rows]
        for part in parts:
            part.ingested, part.final = bool(part.ingested), bool(part.final)
        return parts

    def last_round(self) -> int:
        """The number of the latest round (0: none yet)."""
        return self.db.execute("SELECT COALESCE(MAX(round), 0) FROM parts").fetchone()[0]
