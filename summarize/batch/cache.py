"""The record cache: ok records on disk, content-addressed, so that no answer is paid twice.

The key is the sha256 of everything that shapes an answer:

- the backend, model, mode (how the schema is sent), whether strict structured outputs
  were used, and the sampling temperature and seed;
- the prompt's sha256 (of its file) and the schema version;
- for the rules backend only, the package version and a sha256 of the package's own
  files (its answers come from this code, which an editable install changes without a
  new version; a model's answer does not depend on it);
- the sha256 of the article text and of the fields the prompt shows beside it (title,
  outlet, date);
- the endpoint's URL (without credentials): a local server that ignores the model name
  must not share answers with OpenAI's model of that name;
- a sha256 of what decides whether an answer is accepted (the loaded-terms lexicon and
  the fuzzy-matching thresholds).

Only ok records of complete answers are stored (an error, or an answer that still failed
validation after the last re-ask, is asked again), without the article text (the
article brings it back). A replayed record is the stored one with the current article's
identity, ``provenance.cached = True``, a usage of zero requests, tokens and cost, and the
original usage in ``provenance.cached_usage``.

Storage is diskcache (SQLite plus files), safe for several processes at once: a ``run``
and an ``eval`` share answers. New records are stored by a thread of the cache, many in
one transaction every 0.1 s (one SQLite commit per record cost more than the lookup of
it); :meth:`RecordCache.close` stores what is left. A cache that cannot be read or
written is reported once and then bypassed; the batch goes on. Records are kept until
the cache outgrows :data:`SIZE_LIMIT_BYTES` (the oldest go first), or for ``ttl``
seconds when a run sets one (``--cache-ttl``). :func:`cache_info` and
:func:`clear_cache` are what ``summarize cache info|clear`` show and do.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import diskcache
from pydantic import ValidationError

from summarize.articles import Article
from summarize.batch.index import RUN_FIELDS, run_key
from summarize.batch.journal import record_line
from summarize.errors import ConfigError
from summarize.records import ArticleRef, Provenance, Record, Usage

logger = logging.getLogger(__name__)

#: Largest size of the cache on disk; the records stored longest ago go first.
SIZE_LIMIT_BYTES = 2 * 1024**3
#: Bump when the key's fields or the stored value's layout change.
_KEY_LAYOUT = "3"
#: SQLite's memory for the store: diskcache's defaults map up to 64 MiB of the database
#: into the process and cache 32 MiB of its pages, so a batch's memory grew with the
#: cache it filled; these bound it at 4 MiB of pages, read through the OS's file cache.
_SQLITE_MEMORY = {"sqlite_mmap_size": 0, "sqlite_cache_size": 1024}
#: Faults of the store: the disk, SQLite, or a lock held too long by another process.
_STORE_ERRORS = (OSError, sqlite3.Error, diskcache.Timeout)


def default_cache_dir() -> Path:
    """$SUMMARIZE_CACHE_DIR, else $XDG_CACHE_HOME/summarize, else ~/.cache/summarize."""
    if os.environ.get("SUMMARIZE_CACHE_DIR"):
        return Path(os.environ["SUMMARIZE_CACHE_DIR"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "summarize"
    return Path.home() / ".cache" / "summarize"


#: The installed ``summarize`` package (this module is in its batch/ folder).
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@functools.cache
def code_fingerprint(version: str) -> str:
    """``version`` plus the sha256 of every file of the installed package (its code and
    data), in path order: what the rules backend's answers depend on."""
    package = _PACKAGE_DIR
    digest = hashlib.sha256(version.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc", ".pyo"):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def checks_fingerprint() -> str:
    """sha256 of what decides whether a model's answer is accepted besides the schema:
    the loaded-terms lexicon and the fuzzy-matching thresholds."""
    from summarize.alignment import FUZZY_MIN_CHARS, FUZZY_THRESHOLD

    lexicon = (_PACKAGE_DIR / "data" / "loaded_terms.yaml").read_bytes()
    return hashlib.sha256(lexicon + f"{FUZZY_THRESHOLD}/{FUZZY_MIN_CHARS}".encode()).hexdigest()


def shown_fields(article: Article | ArticleRef) -> dict[str, str | None]:
    """What the prompt shows of ``article`` besides its text."""
    return {"title": article.title, "source": article.source, "published": article.published}


def cache_key(article: Article, provenance: Provenance) -> str:
    """The cache key of ``article`` summarised by the run that ``provenance`` describes."""
    shown = json.dumps(shown_fields(article), sort_keys=True)
    template = _key_template(provenance.backend, provenance.model, provenance.mode,
                             provenance.temperature, provenance.seed, provenance.strict,
                             provenance.prompt_sha256, provenance.schema_version,
                             provenance.base_url, provenance.version)
    fields = template.replace(_SHOWN, hashlib.sha256(shown.encode()).hexdigest(), 1).replace(
        _TEXT, article.text_sha256, 1)
    return hashlib.sha256(fields.encode()).hexdigest()


#: Stand-ins for the two per-article values in a run's key template.
_SHOWN, _TEXT = r"\u0000shown\u0000", r"\u0000text\u0000"


@functools.lru_cache(maxsize=64)
def _key_template(backend: str, model: str | None, mode: str | None, temperature: float | None,
                  seed: int | None, strict: bool | None, prompt_sha256: str | None,
                  schema_version: str, base_url: str | None, version: str) -> str:
    """The JSON the key hashes, for one run, with stand-ins for the article's text and
    shown fields (the same JSON as when it was made whole for each article)."""
    fields = {
        "layout": _KEY_LAYOUT,
        "backend": backend,
        "model": model,
        "mode": mode,
        "temperature": temperature,
        "seed": seed,
        "strict": strict,
        "prompt_sha256": prompt_sha256,
        "schema_version": schema_version,
        "base_url": base_url,
        "checks": checks_fingerprint(),
        "code": code_fingerprint(version) if backend == "rules" else None,
        "text_sha256": "\0text\0",
        "shown_sha256": "\0shown\0",
    }
    return json.dumps(fields, sort_keys=True)


def cacheable(record: Record) -> bool:
    """True for an ok record of a complete answer made by this run."""
    salvaged = any(w.code == "reasks_exhausted" for w in record.warnings)
    return record.ok and not record.provenance.cached and not salvaged


#: Where a record line holds its article's text: the last field of "article", after chars.
_TEXT_FIELD = re.compile(rb',"text":(?:null|"(?:[^"\\]|\\.)*")\}')


def stored_value(record: Record, line: bytes | None = None) -> str:
    """What the cache stores of ``record``: its JSON without the article text, cut out of
    ``line`` (the record's JSONL line, already made for the journal) when given."""
    if line is not None:
        start = line.find(b'"chars":')
        found = _TEXT_FIELD.search(line, start) if start >= 0 else None
        if found is not None:
            return (line[:found.start()] + b"}" + line[found.end():]).decode("utf-8").rstrip("\n")
    return record.model_dump_json(exclude={"article": {"text"}})


#: The provenance fields of a record made by a run (not itself replayed); the fields
#: after them (batch_job ...) are kept as stored, whatever they are.
_FRESH = b',"cached":false,"cached_usage":null'
_NOTHING_SPENT = Usage.nothing_spent().model_dump_json().encode()


def replayed_line(value: str | bytes, article: Article) -> tuple[bytes, str] | None:
    """The JSONL line of ``value`` (a stored record) replayed as ``article``'s, made by
    splicing the stored JSON rather than parsing it: the same line as
    ``record_line(replayed(...))``; and the run key of its provenance
    (summarize.batch.index.run_key). None when the value is not laid out as this version
    stores records (the caller parses it instead)."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    summary = data.find(b',"summary":')
    usage = data.find(b',"usage":{', summary)
    provenance = data.find(b',"provenance":{', usage)
    # Inside a JSON string every quote is escaped, so the marker is the field itself.
    fresh = data.find(_FRESH, provenance)
    if not (data.startswith(b'{"id":') and 0 < summary < usage < provenance < fresh
            and data.endswith(b"}}")):
        return None
    rest = data[fresh + len(_FRESH):]
    if not (rest.startswith(b',"') or rest == b"}}"):
        return None
    status = data.find(b',"status":"ok","article":{', 0, summary)
    if status < 0:
        return None
    spent = data[usage + len(b',"usage":'):provenance]
    head = data[provenance + len(b',"provenance":'):fresh]
    run = _stored_run(bytes(head))
    if run is None:
        return None
    line = b"".join([
        b'{"id":', json.dumps(article.id, ensure_ascii=False).encode("utf-8"),
        b',"status":"ok","article":', ArticleRef.of(article).model_dump_json().encode("utf-8"),
        data[summary:usage], b',"usage":', _NOTHING_SPENT,
        b',"provenance":', head, b',"cached":true,"cached_usage":', spent, rest, b"\n"])
    return line, run


@functools.lru_cache(maxsize=64)
def _stored_run(head: bytes) -> str | None:
    """The run key of a stored record's provenance, from the JSON of its fields before
    "cached" (the same for every record of one run: worked out once)."""
    try:
        fields = json.loads(head + b"}")
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    return run_key(fields.get(name) for name in RUN_FIELDS)


def replayed(stored: Record, article: Article) -> Record:
    """``stored`` as this run's record of ``article``: its identity, zero new usage."""
    provenance = stored.provenance.model_copy(update={
        "cached": True,
        "cached_usage": stored.provenance.cached_usage or stored.usage,
    })
    return stored.model_copy(update={
        "id": article.id,
        "article": ArticleRef.of(article),
        "usage": Usage.nothing_spent(),
        "provenance": provenance,
    })


class RecordCache:
    """Ok records on disk under ``directory``, each kept ``ttl`` seconds (None: until the
    size limit pushes it out). Use as a context manager or call close()."""

    def __init__(self, directory: str | Path, *, ttl: float | None = None) -> None:
        """The cache in ``directory`` (created when missing; ConfigError when it cannot
        be). The store is opened when it is first needed: diskcache rewrites its settings
        on every opening, and a batch that its output answers whole never needs it."""
        if ttl is not None and ttl <= 0:
            raise ConfigError("the cache expiry (--cache-ttl) must be positive")
        self.directory = Path(directory)
        self.ttl = ttl
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not os.access(self.directory, os.W_OK | os.X_OK):
                raise PermissionError(13, "permission denied")
        except OSError as exc:
            raise ConfigError(
                f"cannot open the cache at {self.directory}: {exc.strerror or exc}; "
                "choose another with --cache-dir or run with --no-cache"
            ) from exc
        self._opened: diskcache.Cache | None = None
        self._open_lock = threading.Lock()
        self._broken = False
        #: New records waiting for the writer thread: (key, value).
        self._queued: list[tuple[str, str]] = []
        self._queue_lock = threading.Lock()
        self._wake = threading.Event()
        self._writer: threading.Thread | None = None
        self._closing = False

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def _store(self) -> diskcache.Cache:
        """The diskcache store, opened on first use."""
        with self._open_lock:
            if self._opened is None:
                try:
                    self._opened = diskcache.Cache(
                        str(self.directory), size_limit=SIZE_LIMIT_BYTES,
                        eviction_policy="least-recently-stored", **_SQLITE_MEMORY)
                except (OSError, sqlite3.Error) as exc:
                    raise ConfigError(
                        f"cannot open the cache at {self.directory}: {exc}; "
                        "choose another with --cache-dir or run with --no-cache") from exc
            return self._opened

    def close(self) -> None:
        """Store what is queued, stop the writer thread, close the database connections."""
        self._closing = True
        self._wake.set()
        if self._writer is not None:
            self._writer.join()
            self._writer = None
        self._write_queued()
        if self._opened is not None:
            self._opened.close()
            self._opened = None
        self._closing = False

    def contains(self, key: str) -> bool:
        """True when an answer is stored for ``key`` (without reading it)."""
        if self._broken:
            return False
        try:
            return key in self._store
        except _STORE_ERRORS as exc:
            self._fail("read", exc)
            return False

    def _value(self, key: str) -> Any:
        """The stored value for ``key``, or None (also when the store cannot be read)."""
        if self._broken:
            return None
        try:
            return self._store.get(key)
        except _STORE_ERRORS as exc:
            self._fail("read", exc)
            return None

    def get(self, key: str, article: Article) -> Record | None:
        """The cached record for ``key``, replayed as ``article``'s, or None."""
        value = self._value(key)
        if value is None:
            return None
        return self._parse(key, value, article)

    def _parse(self, key: str, value: Any, article: Article) -> Record | None:
        """The stored ``value`` of ``key`` replayed as ``article``'s; None (and the entry
        dropped) when it does not parse."""
        try:
            stored = Record.model_validate_json(value)
        except ValidationError:
            # Written by a version whose record layout differs: not usable, drop it.
            try:
                self._store.delete(key)
            except _STORE_ERRORS as exc:
                self._fail("write", exc)
            return None
        return replayed(stored, article)

    def get_line(self, key: str, article: Article) -> tuple[bytes, str] | None:
        """:meth:`get` as a JSONL line and the run key of the record's provenance,
        without making the record: a warm rerun of a large batch parses no record."""
        value = self._value(key)
        if value is None:
            return None
        spliced = replayed_line(value, article)
        if spliced is not None:
            return spliced
        record = self._parse(key, value, article)  # another layout: parse the value read
        if record is None:
            return None
        provenance = record.provenance
        return record_line(record), run_key(getattr(provenance, name) for name in RUN_FIELDS)

    def put(self, key: str, record: Record, line: bytes | None = None) -> None:
        """Store ``record`` when it is a full answer: never an error, nor an answer that
        still failed validation after the last re-ask (salvaged: a rerun asks again).
        ``line`` is its JSONL line when the caller has it. Stored by the writer thread
        within 0.1 s, or by :meth:`close`."""
        if self._broken or not cacheable(record):
            return
        value = stored_value(record, line)
        with self._queue_lock:
            self._queued.append((key, value))
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_loop, daemon=True,
                                            name="summarize-cache-writer")
            self._writer.start()

    def _write_loop(self) -> None:
        while not self._closing:
            self._wake.wait(0.1)
            self._write_queued()

    def _write_queued(self) -> None:
        """Store the queued records, in one transaction."""
        with self._queue_lock:
            queued, self._queued = self._queued, []
        if not queued or self._broken:
            return
        try:
            with self._store.transact():
                for key, value in queued:
                    self._store.set(key, value, expire=self.ttl)
        except _STORE_ERRORS as exc:
            self._fail("write", exc)

    def get_json(self, key: str) -> Any:
        """A JSON value stored by :meth:`put_json` (the eval judge's verdicts share this
        store), or None."""
        if self._broken:
            return None
        try:
            value = self._store.get(key)
        except _STORE_ERRORS as exc:
            self._fail("read", exc)
            return None
        try:
            return json.loads(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def put_json(self, key: str, value: Any) -> None:
        """Store a JSON-ready ``value`` under ``key`` (a key no record uses)."""
        if self._broken:
            return
        try:
            self._store.set(key, json.dumps(value, sort_keys=True))
        except _STORE_ERRORS as exc:
            self._fail("write", exc)

    def _fail(self, action: str, exc: BaseException) -> None:
        self._broken = True
        logger.warning("cannot %s the cache at %s (%s); going on without it", action,
                       self.directory, exc)


@dataclass(frozen=True)
class CacheInfo:
    """What a cache folder holds (``summarize cache info``)."""

    path: str
    exists: bool
    entries: int
    size_bytes: int
    size_limit_bytes: int = SIZE_LIMIT_BYTES

    def as_dict(self) -> dict[str, Any]:
        """The fields, for JSON."""
        return asdict(self)


def _open_existing(directory: Path) -> diskcache.Cache | None:
    """The store in ``directory``, or None when there is none (nothing is created)."""
    if not (directory / "cache.db").is_file():
        return None
    try:
        return diskcache.Cache(str(directory), size_limit=SIZE_LIMIT_BYTES,
                               eviction_policy="least-recently-stored", **_SQLITE_MEMORY)
    except _STORE_ERRORS as exc:
        raise ConfigError(f"cannot open the cache at {directory}: {exc}") from exc


def cache_info(directory: str | Path) -> CacheInfo:
    """Entries and size on disk of the cache in ``directory`` (expired entries still on
    disk count until a clear or a run's writes remove them)."""
    folder = Path(directory)
    store = _open_existing(folder)
    if store is None:
        return CacheInfo(path=str(folder), exists=False, entries=0, size_bytes=0)
    try:
        return CacheInfo(path=str(folder), exists=True, entries=len(store),
                         size_bytes=store.volume())
    except _STORE_ERRORS as exc:
        raise ConfigError(f"cannot read the cache at {folder}: {exc}") from exc
    finally:
        store.close()


def clear_cache(directory: str | Path, *, expired_only: bool = False) -> int:
    """Remove every entry (or only the expired ones) of the cache in ``directory``; the
    number removed."""
    folder = Path(directory)
    store = _open_existing(folder)
    if store is None:
        return 0
    try:
        return int(store.expire() if expired_only else store.clear())
    except _STORE_ERRORS as exc:
        raise ConfigError(f"cannot clear the cache at {folder}: {exc}") from exc
    finally:
        store.close()
