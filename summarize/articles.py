"""Articles: the input unit, and how files, folders, globs and stdin become articles.

Formats: ``.txt``/``.md`` (title = first non-empty line, text = the rest), ``.json`` (one
record or a list), ``.jsonl`` (one record a line), ``.html``/``.htm`` (main text extracted
by trafilatura). A record's fields may be named id, title/headline, source/outlet,
published/date, text/body/content.

Nothing here raises for a bad article: an input that cannot be used still becomes an
``Article`` with ``error`` set, so that every input ends as exactly one record: an empty
file, a binary one (NUL bytes, a known binary signature such as PDF or ZIP, or mostly
control characters), one larger than ``MAX_FILE_BYTES``, invalid JSON, a record with no
text, a missing file, a glob that matches nothing, a dangling symlink, a symlink loop, a
FIFO or another file that is not a regular one (never opened: a FIFO would block), a
reader that fails (a missing module of the HTML reader).

Ids are stable, so that reruns line up: a record's own ``id`` field, else the first 16 hex
digits of the sha256 of its text as the file gives it; a repeated id gets ``#2``, ``#3``
... in input order. The text itself is cleaned of page debris fused into it (photo
credits, share widgets, captions run into the story: summarize.textclean).
"""

from __future__ import annotations

import errno
import glob
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, Field, PrivateAttr

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

#: Largest file read as one article (text, Markdown, HTML): far above any news story.
#: JSON and JSONL files, which hold many articles, may be larger.
MAX_FILE_BYTES = 32 * 1024 * 1024

#: Leading bytes of common binary formats that hold no NUL byte early on.
_BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (docx, xlsx, epub ...)",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"7z\xbc\xaf": "a 7z archive",
    b"Rar!": "a RAR archive",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}
#: Share of control characters (other than tab, newline, carriage return, form feed)
#: above which decoded bytes are taken for a binary file rather than text.
_MAX_CONTROL_SHARE = 0.05


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

    #: The text the digest below was made of, and the digest (worked out once per text).
    _digest: tuple[str, str] | None = PrivateAttr(default=None)

    @property
    def text_sha256(self) -> str:
        """Hex sha256 of the text (the cache and resume key of the content)."""
        known = self._digest
        if known is not None and known[0] is self.text:
            return known[1]
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        self._digest = (self.text, digest)
        return digest


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
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), [f"{where}: UTF-16 text, decoded"], None
        except UnicodeDecodeError as exc:
            return None, [], f"not valid UTF-16 despite its byte order mark: {exc.reason}"
    binary = _binary_problem(data)
    if binary:
        return None, [], binary
    return _decode_text(data, where)


def _binary_problem(data: bytes) -> str | None:
    """Why ``data`` (a file, or its first 8 KB) is a binary file rather than text, or None."""
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return f"binary file ({kind}), not text"
    if b"\x00" in data[:8192]:
        return "binary file (contains NUL bytes), not text"
    return None


def _decode_text(data: bytes, where: str, *, check_controls: bool = True
                 ) -> tuple[str | None, list[str], str | None]:
    """(text, warnings, error) of bytes that are not binary: UTF-8, else cp1252 or
    latin-1 with a warning; an error when that gives mostly control characters (unless
    ``check_controls`` is False: a JSON line cannot hold raw ones, its parser says so)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    else:
        if check_controls and _control_share(text) > _MAX_CONTROL_SHARE:
            return None, [], "binary file (mostly control characters), not text"
        return text, [], None
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if check_controls and _control_share(text) > _MAX_CONTROL_SHARE:
            return None, [], f"binary file ({bad}, and mostly control characters), not text"
        return text, [f"{where}: {bad}; decoded as {encoding}"], None
    return None, [], bad  # pragma: no cover - latin-1 decodes every byte


#: Control characters (C0 and C1, except common whitespace), deleted by str.translate.
_CONTROLS = {code: None for code in [*range(32), *range(0x7F, 0xA0)] if chr(code) not in "\t\n\r\f"}


def _control_share(text: str) -> float:
    """Share of control characters (C0 and C1, except common whitespace) in the first 8 KB."""
    head = text[:8192]
    return (len(head) - len(head.translate(_CONTROLS))) / max(1, len(head))


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
    text, warnings, error = _decode(data, path)
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
            yield from _parse_guarded(head + source.read(), where, ".jsonl")
            return
        binary = _binary_problem(head)
        if binary is None and head.strip() and _control_share(
                head.decode("utf-8", "replace")) > _MAX_CONTROL_SHARE:
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
            text, warnings, error = _decode_text(raw, f"{where}:{number}", check_controls=False)
            if text is None:
                yield Article(id=f"{path.name}:{number}", path=where,
                              error=f"{where}:{number}: {error}")
                continue
            yield _jsonl_record(text, where, number, warnings)
        if not found:
            empty = "empty file" if source.tell() == 0 else "file holds only whitespace"
            yield Article(id=path.name or "stdin", path=where, error=f"{where}: {empty}")


def _sniff_suffix(data: bytes) -> str:
    """Format of stdin, guessed from its first character."""
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        first_line = data.lstrip().split(b"\n", 1)[0]
        _, problem = parse_json(first_line)
        if problem:
            return ".json"
        return ".jsonl" if head == b"{" and data.strip().count(b"\n") else ".json"
    if head == b"<":
        return ".html"
    return ".txt"


def _walk(folder: Path, skip: set[Path], skipped: list[Path] | None) -> Iterator[Path]:
    """Every path below ``folder`` that an article may come from, sorted: files with a
    supported suffix, and the entries that are not regular files (a dangling symlink, a
    symlink loop, a FIFO, a socket), so that each gets a record saying why it was not
    read. Hidden names are left out; files of other kinds and symlinked folders (not
    followed) are added to ``skipped``."""
    # A file is the run's own output only if it has an output's name or is a symlink
    # (its resolved path then ends in that name): only those are resolved and compared.
    skip_names = {path.name for path in skip}
    for top, dirs, files in os.walk(folder, followlinks=False):
        top_path = Path(top)
        for name in sorted(dirs):
            if (top_path / name).is_symlink() and not name.startswith(".") and skipped is not None:
                skipped.append(top_path / name)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not (top_path / d).is_symlink())
        for name in sorted(files):
            child = top_path / name
            if name.startswith(".") or ((name in skip_names or child.is_symlink())
                                        and _resolved(child) in skip):
                continue
            regular = child.is_file()  # follows a symlink; False when dangling or a loop
            if regular and child.suffix.lower() in SUPPORTED_SUFFIXES - {""}:
                yield child
            elif regular:
                if skipped is not None:
                    skipped.append(child)
            else:
                yield child  # not a regular file: iter_articles says what it is


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.absolute()


def expand_inputs(inputs: Iterable[str | Path], *, exclude: Iterable[str | Path] = (),
                  skipped: list[Path] | None = None) -> Iterator[str | Path]:
    """Paths named by ``inputs``: files as given, folders walked recursively (see
    :func:`_walk`; files of other kinds go to ``skipped``), glob patterns expanded, ``-``
    kept for stdin. Files in ``exclude`` (say, the run's own output) are left out of
    folders and globs. A name that matches nothing is yielded as is, so that it becomes
    an error record."""
    skip = {_resolved(Path(p)) for p in exclude}
    for item in inputs:
        if str(item) == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, skip, skipped)
        elif not path.exists() and not path.is_symlink() and glob.has_magic(str(item)):
            matches = [Path(m) for m in sorted(glob.glob(str(item), recursive=True))]
            files = [m for m in matches if not m.is_dir() and _resolved(m) not in skip]
            yield from files if files else [path]
        else:
            yield path


def _not_regular(path: Path) -> str | None:
    """Why ``path`` is not a regular file that can be read, or None when it is one.
    Nothing here opens the file: opening a FIFO would block until a writer comes."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"dangling symlink (to {os.readlink(path)}), nothing to read"
        return "no such file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop, nothing to read"
        return f"cannot read: {exc.strerror}"
    if stat.S_ISREG(mode):
        return None
    kinds = {stat.S_ISFIFO: "a FIFO (named pipe)", stat.S_ISSOCK: "a socket",
             stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device",
             stat.S_ISDIR: "a folder"}
    kind = next((name for test, name in kinds.items() if test(mode)), "not a regular file")
    return f"{kind}, not a regular file: not read (give its content on stdin with -)"


def iter_articles(inputs: Iterable[str | Path], *, stdin: IO[bytes] | None = None,
                  exclude: Iterable[str | Path] = (),
                  skipped: list[Path] | None = None) -> Iterator[Article]:
    """Articles from files, folders, globs and ``-`` (stdin), in order, one or more per
    file; unusable inputs come out as articles with ``error`` set. ``exclude`` names
    files that folders and globs must skip, ``skipped`` collects the files of kinds a
    folder walk does not read (see :func:`expand_inputs`)."""
    for item in expand_inputs(inputs, exclude=exclude, skipped=skipped):
        if item == "-":
            data = (stdin or sys.stdin.buffer).read()
            yield from _parse_guarded(data, "-", _sniff_suffix(data))
            continue
        path = Path(item)
        if not path.exists() and not path.is_symlink() and glob.has_magic(str(item)):
            yield Article(id=path.name, path=str(path), error=f"{path}: no file matches this pattern")
            continue
        problem = _not_regular(path)
        if problem:
            yield Article(id=path.name, path=str(path), error=f"{path}: {problem}")
            continue
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _stream_guarded(path)
            continue
        try:
            too_big = _too_big(path)
            data = b"" if too_big else path.read_bytes()
        except FileNotFoundError:
            yield Article(id=path.name, path=str(path), error=f"{path}: no such file")
            continue
        except OSError as exc:
            yield Article(id=path.name, path=str(path), error=f"{path}: cannot read: {exc.strerror}")
            continue
        if too_big:
            yield Article(id=path.name, path=str(path), error=(
                f"{path}: file is {too_big / 2**20:,.1f} MiB, larger than any article "
                f"(limit {MAX_FILE_BYTES // 2**20} MiB for one-article files)"))
            continue
        yield from _parse_guarded(data, str(path), path.suffix.lower())


def _parse_guarded(data: bytes, path: str, suffix: str) -> list[Article]:
    """:func:`parse_bytes`, with any failure of a reader (a bug, a broken dependency)
    turned into an error article for this input alone."""
    try:
        return parse_bytes(data, path, suffix)
    except Exception as exc:  # noqa: BLE001 - one input must not end a batch
        return [Article(id=Path(path).name or "stdin", path=path,
                        error=f"{path}: the reader failed: {type(exc).__name__}: {exc}")]


def _stream_guarded(path: Path) -> Iterator[Article]:
    """:func:`iter_jsonl_file`, with a file that cannot be read, or a reader that fails,
    turned into an error article (after the articles already read from it)."""
    try:
        yield from iter_jsonl_file(path)
    except FileNotFoundError:
        yield Article(id=path.name, path=str(path), error=f"{path}: no such file")
    except OSError as exc:
        yield Article(id=path.name, path=str(path), error=f"{path}: cannot read: {exc.strerror}")
    except Exception as exc:  # noqa: BLE001 - one input must not end a batch
        yield Article(id=path.name, path=str(path),
                      error=f"{path}: the reader failed: {type(exc).__name__}: {exc}")


def _too_big(path: Path) -> int:
    """The size of ``path`` when it is a one-article file above MAX_FILE_BYTES, else 0."""
    if path.suffix.lower() in JSON_SUFFIXES | JSONL_SUFFIXES:
        return 0
    size = path.stat().st_size
    return size if size > MAX_FILE_BYTES else 0


def unique_ids(articles: Iterable[Article]) -> Iterator[Article]:
    """``articles`` with unique ids, lazily: an id already given gets ``#2``, ``#3`` ...
    (the first free one), so that each input keeps its own record. Remembers the ids it
    gave (about a hundred bytes each)."""
    seen: dict[str, int] = {}
    for article in articles:
        if article.id in seen:
            base = article.id
            count = seen[base]
            while f"{base}#{count + 1}" in seen:
                count += 1
            seen[base] = count + 1
            article.id = f"{base}#{count + 1}"
        seen[article.id] = 1
        yield article


def load_articles(inputs: Iterable[str | Path] | str | Path, *, stdin: IO[bytes] | None = None,
                  exclude: Iterable[str | Path] = (),
                  skipped: list[Path] | None = None) -> list[Article]:
    """Every article in ``inputs`` (files, folders, globs, ``-``), with unique ids (see
    :func:`unique_ids`). For a batch too large to hold, iterate
    ``unique_ids(iter_articles(...))`` instead."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    return list(unique_ids(iter_articles(inputs, stdin=stdin, exclude=exclude, skipped=skipped)))
