"""Readers: the articles held in one file's bytes, format by format.

Formats: ``.txt``/``.md`` (title = first non-empty line, text = the rest), ``.json`` (one
record or a list), ``.jsonl`` (one record a line, streamed: :func:`iter_jsonl_file`),
``.html``/``.htm`` (main text extracted by trafilatura). A record's fields may be named
id, title/headline, source/outlet, published/date, text/body/content.

Nothing here raises for a bad article: bytes that cannot be used still become an
``Article`` with ``error`` set (an empty file, a binary one: summarize.decoding; invalid
JSON, a record with no text, a reader that fails, such as a missing module of the HTML
reader). An article without an ``id`` field gets summarize.articles.text_id of its text
as the file gives it. The text itself is cleaned of page debris fused into it (photo
credits, share widgets, captions run into the story: summarize.textclean).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from summarize.articles import Article, text_id
from summarize.decoding import MAX_CONTROL_SHARE, binary_problem, control_share, decode, decode_text
from summarize.textclean import clean_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ""}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

_TEXT_KEYS = ("text", "body", "content")
_TITLE_KEYS = ("title", "headline")
_SOURCE_KEYS = ("source", "outlet", "publisher", "site")
_DATE_KEYS = ("published", "date", "published_at", "pub_date")


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _from_record(record: Any, path: str, position: str) -> Article:
    where = f"{path}{position}"
    if not isinstance(record, dict):
        return Article(id=f"{Path(path).name}{position}", path=path,
                       error=f"{where}: expected a JSON object, got {type(record).__name__}")
    if isinstance(record.get("article"), dict) and "provenance" in record:
        # A record of an earlier run (it carries its article): summarise that article again.
        record = {**record["article"], "id": record.get("id") or record["article"].get("id")}
    text = _first(record, _TEXT_KEYS)
    title = _first(record, _TITLE_KEYS)
    fields = {
        "title": str(title) if title is not None else None,
        "source": _str_or_none(_first(record, _SOURCE_KEYS)),
        "published": _str_or_none(_first(record, _DATE_KEYS)),
        "path": path,
    }
    record_id = _str_or_none(record.get("id"))
    # JSON can spell a lone UTF-16 surrogate ("\ud800"), which no UTF-8 text can hold:
    # each becomes U+FFFD with a warning, as undecodable bytes are decoded with one.
    warnings: list[str] = []
    fields["title"], fields["source"], fields["published"], record_id = (
        _without_surrogates(value, name, where, warnings) for name, value in
        (("title", fields["title"]), ("source", fields["source"]),
         ("published", fields["published"]), ("id", record_id)))
    if isinstance(text, str):
        text = _without_surrogates(text, "text", where, warnings)
    fields["warnings"] = warnings
    if not isinstance(text, str) or not text.strip():
        reason = ("has no text field" if text is None else
                  f"has a text field that is not a string ({type(text).__name__})"
                  if not isinstance(text, str) else "has an empty text field")
        return Article(id=record_id or f"{Path(path).name}{position}", error=f"{where}: record {reason}",
                       **fields)
    return Article(id=record_id or text_id(text), text=clean_text(text), **fields)


#: A UTF-16 surrogate code point (unpaired: json.loads pairs a valid pair).
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: str | None, name: str, where: str, warnings: list[str]) -> str | None:
    """``value`` with each unpaired UTF-16 surrogate replaced by U+FFFD (a warning for
    ``warnings`` says where the first was and how many)."""
    if value is None:
        return None
    found = _SURROGATE.search(value)
    if found is None:
        return value
    cleaned, count = _SURROGATE.subn("\ufffd", value)
    warnings.append(f"{where}: {name} holds {count} unpaired UTF-16 surrogate"
                    f"{'s' if count > 1 else ''} (first U+{ord(found.group()):04X} at "
                    f"offset {found.start()}); replaced with U+FFFD")
    return cleaned


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _from_plain_text(text: str, path: str, warnings: list[str]) -> Article:
    lines = text.strip().splitlines()
    title = lines[0].strip() if lines else None
    body = "\n".join(lines[1:]).strip()
    if not body:
        body, title = text.strip(), None
    return Article(id=text_id(body), title=title, path=path, text=clean_text(body), warnings=warnings)


def _from_html(html: str, path: str, warnings: list[str]) -> Article:
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=False) or ""
        meta = trafilatura.extract_metadata(html)
    except ImportError as exc:
        # A broken or missing dependency of the HTML reader costs this article only.
        module = exc.name or "a module"
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Article(id=text_id(html), path=path, warnings=warnings, error=(
            f"{path}: cannot read HTML: the HTML reader needs {module}, which is missing or "
            f"broken ({detail}); pip install lxml_html_clean, or reinstall summarize"))
    title = meta.title if meta is not None else None
    source = (meta.sitename or None) if meta is not None else None
    published = (meta.date or None) if meta is not None else None
    if not text.strip():
        return Article(id=text_id(html), title=title, path=path, warnings=warnings,
                       error=f"{path}: no article text found in the HTML")
    return Article(id=text_id(text), title=title, source=source, published=published,
                   path=path, text=clean_text(text), warnings=warnings)


def parse_json(text: str | bytes) -> tuple[Any, str | None]:
    """The JSON value in ``text`` and None, or None and why ``text`` is not JSON that can
    be read (malformed, nested too deeply, an integer of too many digits)."""
    try:
        return json.loads(text), None
    except RecursionError:
        return None, "JSON nested too deeply"
    except ValueError as exc:  # json.JSONDecodeError, or int() refusing a huge number
        return None, str(exc)


def parse_bytes(data: bytes, path: str, suffix: str) -> list[Article]:
    """Articles held in one file's bytes (``suffix`` picks the format)."""
    text, warnings, error = decode(data, path)
    if text is None:
        return [Article(id=Path(path).name or "stdin", path=path, error=f"{path}: {error}")]
    if suffix in HTML_SUFFIXES:
        return [_from_html(text, path, warnings)]
    if suffix in JSON_SUFFIXES:
        payload, problem = parse_json(text)
        if problem:
            return [Article(id=Path(path).name, path=path, error=f"{path}: invalid JSON: {problem}")]
        records = payload if isinstance(payload, list) else [payload]
        many = isinstance(payload, list)
        articles = [_from_record(r, path, f"[{i}]" if many else "") for i, r in enumerate(records)]
        if not articles:
            return [Article(id=Path(path).name, path=path, error=f"{path}: empty JSON list")]
    elif suffix in JSONL_SUFFIXES:
        articles = [_jsonl_record(line, path, number, [])
                    for number, line in enumerate(text.split("\n"), start=1) if line.strip()]
    else:
        articles = [_from_plain_text(text, path, warnings)]
        warnings = []
    for article in articles:
        article.warnings.extend(warnings)
    return articles


def _jsonl_record(line: str, path: str, number: int, warnings: list[str]) -> Article:
    """The article of line ``number`` of a JSONL file."""
    record, problem = parse_json(line)
    if problem:
        article = Article(id=f"{Path(path).name}:{number}", path=path,
                          error=f"{path}:{number}: invalid JSON line: {problem}")
    else:
        article = _from_record(record, path, f":{number}")
    article.warnings.extend(warnings)
    return article


def iter_jsonl_file(path: Path) -> Iterator[Article]:
    """The articles of a JSONL file, one line at a time: a file of a million lines is
    never held in memory. Lines are UTF-8 (a line that is not is decoded as cp1252 or
    latin-1, with a warning on its article); a file whose first 8 KB are binary is one
    error article, as is a file without a record; UTF-16 files are read whole."""
    where = str(path)
    with open(path, "rb") as source:
        head = source.read(8192)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            yield from parse_guarded(head + source.read(), where, ".jsonl")
            return
        binary = binary_problem(head)
        if binary is None and head.strip() and control_share(
                head.decode("utf-8", "replace")) > MAX_CONTROL_SHARE:
            binary = "binary file (mostly control characters), not text"
        if binary:
            yield Article(id=path.name, path=where, error=f"{where}: {binary}")
            return
        source.seek(0)
        found = False
        for number, raw in enumerate(source, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            found = True
            text, warnings, error = decode_text(raw, f"{where}:{number}", check_controls=False)
            if text is None:
                yield Article(id=f"{path.name}:{number}", path=where,
                              error=f"{where}:{number}: {error}")
                continue
            yield _jsonl_record(text, where, number, warnings)
        if not found:
            empty = "empty file" if source.tell() == 0 else "file holds only whitespace"
            yield Article(id=path.name or "stdin", path=where, error=f"{where}: {empty}")


def parse_guarded(data: bytes, path: str, suffix: str) -> list[Article]:
    """:func:`parse_bytes`, with any failure of a reader (a bug, a broken dependency)
    turned into an error article for this input alone."""
    try:
        return parse_bytes(data, path, suffix)
    except Exception as exc:  # noqa: BLE001 - one input must not end a batch
        return [Article(id=Path(path).name or "stdin", path=path,
                        error=f"{path}: the reader failed: {type(exc).__name__}: {exc}")]
