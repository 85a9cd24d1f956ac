"""Where records go: a crash-safe JSONL journal, an ordered stream, and the final formats.

- :class:`JsonlJournal`: the file a run appends to as each article finishes. Each line is
  one ``os.write`` on a file opened with ``O_APPEND``, followed by ``fsync``: after a
  crash or a SIGKILL the file holds whole lines, except at most the last one, which is
  torn when the machine died mid-write or when SIGKILL landed while a record larger than
  a page was being copied (Linux cuts a write short for a fatal signal between pages;
  tests/test_faults_kill.py provokes it). :meth:`JsonlJournal.recover` cuts it off.
  At the end of a run :meth:`JsonlJournal.compact` rewrites it atomically (temporary file
  + ``os.replace``): one record per article, in input order.
- :class:`OrderedStream`: JSONL on stdout, in input order, each line as soon as every
  earlier article is done.
- :func:`render`: the whole batch as jsonl, json, markdown, csv or html.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from summarize.errors import ConfigError
from summarize.records import Record
from summarize.schema import Span

FORMATS: tuple[str, ...] = ("jsonl", "json", "markdown", "csv", "html")
_SUFFIX_FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".md": "markdown",
    ".markdown": "markdown", ".csv": "csv", ".html": "html", ".htm": "html",
}
#: Every record line starts so (the first field of Record is its id); a line that does
#: not was not written by summarize.
_RECORD_START = b'{"id":'


def format_for(output: str | Path | None, requested: str | None) -> str:
    """The output format: ``requested``, else the one ``output``'s suffix names, else jsonl.
    Raises ConfigError when ``requested`` contradicts the format the suffix names
    (``-o x.csv --format jsonl`` would write JSONL into a .csv file)."""
    named = None
    if output and output != "-":
        named = _SUFFIX_FORMATS.get(Path(output).suffix.lower())
    if requested:
        if requested not in FORMATS:
            raise ConfigError(f"unknown format {requested!r}; choose one of {', '.join(FORMATS)}")
        if named is not None and named != requested:
            raise ConfigError(f"-o {output} names a {named} file but --format is {requested}: "
                              f"change the suffix or drop --format")
        return requested
    return named or "jsonl"


def record_line(record: Record) -> bytes:
    """One JSONL line of ``record``, newline included."""
    return (record.model_dump_json() + "\n").encode("utf-8")


def write_atomically(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader sees the old file or the new
    one, never a part (temporary file in the same folder, fsync, os.replace)."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
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


class JsonlJournal:
    """An append-only JSONL file of records that survives being killed at any moment."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        #: Lines dropped by :meth:`recover`: (line number, why).
        self.dropped: list[tuple[int, str]] = []

    def recover(self, *, repair: bool = True) -> list[Record]:
        """The records already in the file, in file order. A torn last line is cut off
        the file (when ``repair``), so that appending starts on a fresh line; an unreadable
        line elsewhere is skipped (both are listed in ``dropped``). Raises ConfigError when
        the file exists but was not written by summarize (it is never overwritten then)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ConfigError(f"cannot read {self.path}: {exc.strerror}") from exc
        complete, newline, torn = data.rpartition(b"\n")
        lines = complete.split(b"\n") if complete else []
        if any(line and not line.startswith(_RECORD_START) for line in lines) or (
                torn and not lines and not torn.startswith(_RECORD_START)):
            raise ConfigError(f"{self.path} exists and does not hold summarize records; "
                              "refusing to overwrite it (move it away or choose another -o)")
        records = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                records.append(Record.model_validate_json(line))
            except ValidationError as exc:
                self.dropped.append((number, f"unreadable record: {exc.errors()[0]['msg']}"))
        if torn:
            self.dropped.append((len(lines) + 1, "torn last line"))
        if torn and repair:
            with open(self.path, "r+b") as out:
                out.truncate(len(complete) + len(newline))
                out.flush()
                os.fsync(out.fileno())
        return records

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

    def append(self, record: Record) -> None:
        """Add ``record`` as one line, durable when this returns."""
        self.open()
        assert self._fd is not None
        data = record_line(record)
        written = os.write(self._fd, data)
        while written < len(data):  # pragma: no cover - only on a nearly full disk
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)

    def close(self) -> None:
        """Close the file."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def compact(self, records: Sequence[Record]) -> None:
        """Replace the file, atomically, with ``records`` (one per article, in order)."""
        self.close()
        write_atomically(self.path, b"".join(record_line(r) for r in records))

    def __enter__(self) -> JsonlJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class OrderedStream:
    """JSONL to a text stream (stdout) in input order: a record is written once every
    record before it is, each line flushed."""

    def __init__(self, out: IO[str], ids: Sequence[str]) -> None:
        self._out = out
        self._position = {article_id: index for index, article_id in enumerate(ids)}
        self._waiting: dict[int, Record] = {}
        self._next = 0

    def write(self, record: Record) -> None:
        """Take ``record``; write it and any that were waiting for it."""
        self._waiting[self._position[record.id]] = record
        while self._next in self._waiting:
            self._out.write(self._waiting.pop(self._next).model_dump_json() + "\n")
            self._next += 1
        self._out.flush()


# ---- final formats ---------------------------------------------------------------------


def render(records: Sequence[Record], fmt: str) -> str:
    """The whole batch in format ``fmt`` (one of FORMATS)."""
    if fmt == "jsonl":
        return "".join(r.model_dump_json() + "\n" for r in records)
    if fmt == "json":
        return json.dumps([r.model_dump(mode="json") for r in records], ensure_ascii=False,
                          indent=2) + "\n"
    if fmt == "markdown":
        return to_markdown(records)
    if fmt == "csv":
        return to_csv(records)
    if fmt == "html":
        return to_html(records)
    raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def to_html(records: Sequence[Record]) -> str:
    """The review page (summarize.report.render_html) of ``records``."""
    from summarize.report import render_html

    return render_html(records)


#: Characters that Markdown or an HTML renderer of it would read as markup.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: object) -> str:
    """``text`` as literal Markdown on one line: every markup character escaped, so an
    article's ``<script>``, ``[link](javascript:...)`` or ``**`` stays text."""
    if text is None:
        return ""
    return _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def _cell(text: object) -> str:
    """``text`` safe inside a Markdown table cell."""
    return _md(text)


def _found(span: Span | None) -> str:
    """How an item's quote was found in the article, for the Markdown tables."""
    if span is None:
        return "NOT FOUND"
    return f"fuzzy ({span.score:.0f})" if span.match == "fuzzy" else str(span.match)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines + [""]


def to_markdown(records: Sequence[Record]) -> str:
    """A readable report: per article its summary, casualty figures, claims, loaded terms,
    warnings, or the error."""
    ok = sum(r.ok for r in records)
    out = [f"# Summaries of {len(records)} articles", "",
           f"{ok} ok, {len(records) - ok} failed.", ""]
    for record in records:
        article = record.article
        out += [f"## {_md(article.title) or _md(record.id)}", ""]
        meta = [_md(record.id), _md(article.source), _md(article.published), _md(article.path)]
        out += [" · ".join(m for m in meta if m), ""]
        if record.error is not None:
            out += [f"**Error** ({_md(record.error.type)}): {_md(record.error.message)}", ""]
        summary = record.summary
        if summary is not None:
            out += [_md(summary.summary), ""]
            if summary.casualties:
                out += ["**Casualty figures**", ""]
                out += _table(["Figure", "Outcome", "Victims", "Stated by", "Low-high", "Quote",
                               "Found"], [
                    (c.quantity_text, c.outcome, c.victims, c.stated_by,
                     f"{'' if c.low is None else c.low}-{'' if c.high is None else c.high}",
                     c.quote, _found(c.span))
                    for c in summary.casualties])
            if summary.claims:
                out += ["**Claims**", ""]
                out += _table(["Source", "Cue", "Claim", "Quote", "Found"], [
                    (c.source, c.cue, c.claim, c.quote, _found(c.span)) for c in summary.claims])
            if summary.loaded_terms:
                out += ["**Loaded terms**", ""]
                out += _table(["Term", "Neutral alternative", "Quote", "Found"], [
                    (t.term, t.neutral_alternative, t.quote, _found(t.span))
                    for t in summary.loaded_terms])
        if record.warnings:
            out += ["**Warnings**", ""]
            out += [f"- {_md(w.code)}{' (' + _md(w.item) + ')' if w.item else ''}: {_md(w.message)}"
                    for w in record.warnings]
            out += [""]
    return "\n".join(out)


CSV_COLUMNS: tuple[str, ...] = (
    "id", "status", "title", "source", "published", "path", "summary", "casualty_figures",
    "claims", "loaded_terms", "warnings", "error_type", "error_message", "requests",
    "prompt_tokens", "completion_tokens", "cost_usd", "backend", "model", "prompt", "cached",
)


def _spreadsheet_safe(value: object) -> object:
    """A string a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
    apostrophe; article text is untrusted input."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(records: Sequence[Record]) -> str:
    """One row per article; lists joined with "; " (figures as "at least 12 killed:
    civilians (the Observatory)", loaded terms as "regime -> government")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        s = r.summary
        figures = "; ".join(f"{c.quantity_text} {c.outcome}: {c.victims} ({c.stated_by})"
                            for c in s.casualties) if s else ""
        claims = "; ".join(f"{c.source}: {c.claim}" for c in s.claims) if s else ""
        terms = "; ".join(f"{t.term} -> {t.neutral_alternative}" for t in s.loaded_terms) if s else ""
        row = [
            r.id, r.status, r.article.title, r.article.source, r.article.published, r.article.path,
            s.summary if s else "", figures, claims, terms,
            "; ".join(f"{w.code}: {w.message}" for w in r.warnings),
            r.error.type if r.error else "", r.error.message if r.error else "",
            r.usage.requests, r.usage.prompt_tokens, r.usage.completion_tokens,
            "" if r.usage.cost_usd is None else r.usage.cost_usd,
            r.provenance.backend, r.provenance.model or "", r.provenance.prompt or "",
            r.provenance.cached,
        ]
        writer.writerow([_spreadsheet_safe(value) for value in row])
    return buffer.getvalue()
