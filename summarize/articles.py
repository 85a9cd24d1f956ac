"""Articles: the input unit, and how files, folders, globs and stdin become articles.

Formats: ``.txt``/``.md`` (title = first non-empty line, text = the rest), ``.json`` (one
record or a list), ``.jsonl`` (one record a line), ``.html``/``.htm`` (main text extracted
by trafilatura). A record's fields may be named id, title/headline, source/outlet,
published/date, text/body/content.

Nothing here raises for a bad article: an input that cannot be used still becomes an
``Article`` with ``error`` set, so that every input ends as exactly one record.
"""

from __future__ import annotations

import glob
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, Field

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ""}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

_TEXT_KEYS = ("text", "body", "content", "article")
_TITLE_KEYS = ("title", "headline")
_SOURCE_KEYS = ("source", "outlet", "publisher", "site")
_DATE_KEYS = ("published", "date", "published_at", "pub_date")


class Article(BaseModel):
    """One article to summarise. ``error`` is set when the input could not be used."""

    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    path: str | None = None
    text: str = ""
    error: str | None = Field(default=None, description="why this input is not usable")
    warnings: list[str] = Field(default_factory=list)

    @property
    def text_sha256(self) -> str:
        """Hex sha256 of the text (the cache and resume key of the content)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def text_id(text: str) -> str:
    """Stable id for an article without one: the first 16 hex digits of its sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def article_from_text(text: str, *, title: str | None = None, **fields: Any) -> Article:
    """An article from raw text (the Python API's entry point for plain strings)."""
    return Article(id=fields.pop("id", None) or text_id(text), title=title, text=text, **fields)


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _decode(data: bytes, where: str) -> tuple[str | None, list[str], str | None]:
    """Text of ``data`` as (text, warnings, error): UTF-8, else cp1252/latin-1 with a warning."""
    if not data.strip():
        return None, [], "empty file" if not data else "file holds only whitespace"
    if b"\x00" in data[:8192]:
        return None, [], "binary file (contains NUL bytes), not text"
    try:
        return data.decode("utf-8-sig"), [], None
    except UnicodeDecodeError as exc:
        bad = f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, [f"{where}: {bad}; decoded as {encoding}"], None
    return None, [], bad  # pragma: no cover - latin-1 decodes every byte


def _from_record(record: Any, path: str, position: str) -> Article:
    where = f"{path}{position}"
    if not isinstance(record, dict):
        return Article(id=f"{Path(path).name}{position}", path=path,
                       error=f"{where}: expected a JSON object, got {type(record).__name__}")
    text = _first(record, _TEXT_KEYS)
    title = _first(record, _TITLE_KEYS)
    fields = {
        "title": str(title) if title is not None else None,
        "source": _str_or_none(_first(record, _SOURCE_KEYS)),
        "published": _str_or_none(_first(record, _DATE_KEYS)),
        "path": path,
    }
    record_id = _str_or_none(record.get("id"))
    if not isinstance(text, str) or not text.strip():
        reason = "has no text field" if text is None else "has an empty text field"
        return Article(id=record_id or f"{Path(path).name}{position}", error=f"{where}: record {reason}",
                       **fields)
    return Article(id=record_id or text_id(text), text=text, **fields)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _from_plain_text(text: str, path: str, warnings: list[str]) -> Article:
    lines = text.strip().splitlines()
    title = lines[0].strip() if lines else None
    body = "\n".join(lines[1:]).strip()
    if not body:
        body, title = text.strip(), None
    return Article(id=text_id(body), title=title, path=path, text=body, warnings=warnings)


def _from_html(html: str, path: str, warnings: list[str]) -> Article:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False) or ""
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None else None
    source = (meta.sitename or None) if meta is not None else None
    published = (meta.date or None) if meta is not None else None
    if not text.strip():
        return Article(id=text_id(html), title=title, path=path, warnings=warnings,
                       error=f"{path}: no article text found in the HTML")
    return Article(id=text_id(text), title=title, source=source, published=published,
                   path=path, text=text.strip(), warnings=warnings)


def parse_bytes(data: bytes, path: str, suffix: str) -> list[Article]:
    """Articles held in one file's bytes (``suffix`` picks the format)."""
    text, warnings, error = _decode(data, path)
    if text is None:
        return [Article(id=Path(path).name or "stdin", path=path, error=f"{path}: {error}")]
    if suffix in HTML_SUFFIXES:
        return [_from_html(text, path, warnings)]
    if suffix in JSON_SUFFIXES:
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            return [Article(id=Path(path).name, path=path, error=f"{path}: invalid JSON: {exc}")]
        records = payload if isinstance(payload, list) else [payload]
        many = isinstance(payload, list)
        articles = [_from_record(r, path, f"[{i}]" if many else "") for i, r in enumerate(records)]
        if not articles:
            return [Article(id=Path(path).name, path=path, error=f"{path}: empty JSON list")]
    elif suffix in JSONL_SUFFIXES:
        articles = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                articles.append(Article(id=f"{Path(path).name}:{number}", path=path,
                                        error=f"{path}:{number}: invalid JSON line: {exc}"))
                continue
            articles.append(_from_record(record, path, f":{number}"))
    else:
        articles = [_from_plain_text(text, path, warnings)]
        warnings = []
    for article in articles:
        article.warnings.extend(warnings)
    return articles


def _sniff_suffix(data: bytes) -> str:
    """Format of stdin, guessed from its first character."""
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        first_line = data.lstrip().split(b"\n", 1)[0]
        try:
            json.loads(first_line)
            return ".jsonl" if head == b"{" and data.strip().count(b"\n") else ".json"
        except ValueError:
            return ".json"
    if head == b"<":
        return ".html"
    return ".txt"


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[str | Path]:
    """Files named by ``inputs``: files as given, folders walked recursively (supported
    suffixes only, sorted), glob patterns expanded, ``-`` kept for stdin. A name that
    matches nothing is yielded as is, so that it becomes an error record."""
    for item in inputs:
        if str(item) == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES - {""}:
                    yield child
        elif not path.exists() and glob.has_magic(str(item)):
            matches = sorted(glob.glob(str(item), recursive=True))
            yield from (Path(m) for m in matches if Path(m).is_file())
        else:
            yield path


def iter_articles(inputs: Iterable[str | Path], *, stdin: IO[bytes] | None = None) -> Iterator[Article]:
    """Articles from files, folders, globs and ``-`` (stdin), in order, one or more per
    file; unusable inputs come out as articles with ``error`` set."""
    for item in expand_inputs(inputs):
        if item == "-":
            data = (stdin or sys.stdin.buffer).read()
            yield from parse_bytes(data, "-", _sniff_suffix(data))
            continue
        path = Path(item)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            yield Article(id=path.name, path=str(path), error=f"{path}: no such file")
            continue
        except OSError as exc:
            yield Article(id=path.name, path=str(path), error=f"{path}: cannot read: {exc.strerror}")
            continue
        yield from parse_bytes(data, str(path), path.suffix.lower())


def load_articles(inputs: Iterable[str | Path] | str | Path) -> list[Article]:
    """Every article in ``inputs`` (files, folders, globs, ``-``), with unique ids: a
    repeated id gets a ``#2``, ``#3`` ... suffix so each input keeps its own record."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    seen: dict[str, int] = {}
    articles = []
    for article in iter_articles(inputs):
        count = seen.get(article.id, 0) + 1
        seen[article.id] = count
        if count > 1:
            article.id = f"{article.id}#{count}"
        articles.append(article)
    return articles
