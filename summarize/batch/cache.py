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
and an ``eval`` share answers. A cache that cannot be read or written is reported once
and then bypassed; the batch goes on. Records are kept until the cache outgrows
:data:`SIZE_LIMIT_BYTES` (the oldest go first), or for ``ttl`` seconds when a run sets
one (``--cache-ttl``). :func:`cache_info` and :func:`clear_cache` are what
``summarize cache info|clear`` show and do.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import diskcache
from pydantic import ValidationError

from summarize.articles import Article
from summarize.errors import ConfigError
from summarize.records import ArticleRef, Provenance, Record, Usage

logger = logging.getLogger(__name__)

#: Largest size of the cache on disk; the records stored longest ago go first.
SIZE_LIMIT_BYTES = 2 * 1024**3
#: Bump when the key's fields or the stored value's layout change.
_KEY_LAYOUT = "3"
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
    shown = shown_fields(article)
    fields = {
        "layout": _KEY_LAYOUT,
        "backend": provenance.backend,
        "model": provenance.model,
        "mode": provenance.mode,
        "temperature": provenance.temperature,
        "seed": provenance.seed,
        "strict": provenance.strict,
        "prompt_sha256": provenance.prompt_sha256,
        "schema_version": provenance.schema_version,
        "base_url": provenance.base_url,
        "checks": checks_fingerprint(),
        "code": code_fingerprint(provenance.version) if provenance.backend == "rules" else None,
        "text_sha256": article.text_sha256,
        "shown_sha256": hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def cacheable(record: Record) -> bool:
    """True for an ok record of a complete answer made by this run."""
    salvaged = any(w.code == "reasks_exhausted" for w in record.warnings)
    return record.ok and not record.provenance.cached and not salvaged


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
        if ttl is not None and ttl <= 0:
            raise ConfigError("the cache expiry (--cache-ttl) must be positive")
        self.directory = Path(directory)
        self.ttl = ttl
        try:
            self._store = diskcache.Cache(str(self.directory), size_limit=SIZE_LIMIT_BYTES,
                                          eviction_policy="least-recently-stored")
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot open the cache at {self.directory}: {exc}; "
                "choose another with --cache-dir or run with --no-cache"
            ) from exc
        self._broken = False

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the store's database connections."""
        self._store.close()

    def get(self, key: str, article: Article) -> Record | None:
        """The cached record for ``key``, replayed as ``article``'s, or None."""
        if self._broken:
            return None
        try:
            value = self._store.get(key)
        except _STORE_ERRORS as exc:
            self._fail("read", exc)
            return None
        if value is None:
            return None
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

    def put(self, key: str, record: Record) -> None:
        """Store ``record`` when it is a full answer: never an error, nor an answer that
        still failed validation after the last re-ask (salvaged: a rerun asks again)."""
        if self._broken or not cacheable(record):
            return
        value = record.model_dump_json(exclude={"article": {"text"}})
        try:
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
                               eviction_policy="least-recently-stored")
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
