"""Where records go besides the journal (summarize.batch.journal): an ordered stream,
and the final formats.

- :class:`OrderedStream`: JSONL on stdout, in input order, each line as soon as every
  earlier article is done.
- :func:`write_format`: the whole batch as jsonl, json, markdown, csv or html, written a
  record at a time from a source that reads them back one by one (the journal), so that
  an archive's report never holds the archive; :func:`render` for a list in memory.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

# The journal's names, also importable from here as before it had a module of its own.
from summarize.batch.journal import JsonlJournal, record_line, write_atomically  # noqa: F401
from summarize.errors import ConfigError
from summarize.paths import recorded_path
from summarize.records import Record
from summarize.schema import Span

FORMATS: tuple[str, ...] = ("jsonl", "json", "markdown", "csv", "html")
_SUFFIX_FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".md": "markdown",
    ".markdown": "markdown", ".csv": "csv", ".html": "html", ".htm": "html",
}


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


class OrderedStream:
    """JSONL to a text stream (stdout) in input order: a line is written once every line
    before it is, each flushed. Only the lines waiting for an earlier one are held."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._waiting: dict[int, bytes] = {}
        self._next = 0

    def write(self, index: int, line: bytes) -> None:
        """Take the JSONL ``line`` of input position ``index``; write it and any that were
        waiting for it."""
        self._waiting[index] = line
        while self._next in self._waiting:
            self._out.write(self._waiting.pop(self._next).decode("utf-8"))
            self._next += 1
        self._out.flush()


# ---- final formats ---------------------------------------------------------------------

#: Records again from the start, in order, each time it is called (a format that needs
#: two passes, the HTML page, calls it twice); records are read one at a time.
RecordSource = Callable[[], Iterator[Record]]


def write_format(source: RecordSource, fmt: str, out: IO[str], *, total: int,
                 ok: int) -> None:
    """Write the batch in format ``fmt`` (one of FORMATS) to ``out``, a record at a time;
    ``total`` and ``ok`` count its records (the Markdown heading says them)."""
    if fmt == "jsonl":
        for record in source():
            out.write(record.model_dump_json() + "\n")
    elif fmt == "json":
        _write_json(source(), out)
    elif fmt == "markdown":
        write_markdown(source(), out, total=total, ok=ok)
    elif fmt == "csv":
        write_csv(source(), out)
    elif fmt == "html":
        from summarize.report import write_html

        write_html(source, out)
    else:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render(records: Sequence[Record], fmt: str) -> str:
    """The whole batch in format ``fmt`` (one of FORMATS), for a batch small enough to
    hold (see :func:`write_format`)."""
    buffer = io.StringIO()
    write_format(lambda: iter(records), fmt, buffer, total=len(records),
                 ok=sum(r.ok for r in records))
    return buffer.getvalue()


def _write_json(records: Iterator[Record], out: IO[str]) -> None:
    """A JSON list of the records, as ``json.dumps(list, indent=2)`` would write it."""
    first = True
    for record in records:
        body = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2)
        out.write(("[\n" if first else ",\n") + textwrap.indent(body, "  ", lambda _: True))
        first = False
    out.write("[]\n" if first else "\n]\n")


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
    """A readable report (see :func:`write_markdown`)."""
    buffer = io.StringIO()
    write_markdown(iter(records), buffer, total=len(records), ok=sum(r.ok for r in records))
    return buffer.getvalue()


def write_markdown(records: Iterable[Record], out: IO[str], *, total: int, ok: int) -> None:
    """A readable report: per article its summary, casualty figures, claims, loaded terms,
    warnings, or the error (``total`` and ``ok`` count the records, for the heading)."""
    out.write("\n".join([f"# Summaries of {total} articles", "",
                         f"{ok} ok, {total - ok} failed.", ""]))
    for record in records:
        out.write("\n" + "\n".join(_markdown_section(record)))


def _markdown_section(record: Record) -> list[str]:
    """The Markdown lines of one record."""
    out: list[str] = []
    article = record.article
    out += [f"## {_md(article.title) or _md(record.id)}", ""]
    # the article's file as a document for readers names it (summarize.paths): no
    # machine's folders; the JSONL and CSV records keep the path the run was given
    where = recorded_path(article.path) if article.path else None
    meta = [_md(record.id), _md(article.source), _md(article.published), _md(where)]
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
    return out


CSV_COLUMNS: tuple[str, ...] = (
    "id", "status", "title", "source", "published", "path", "summary", "casualty_figures",
    "claims", "loaded_terms", "warnings", "error_type", "error_message", "requests",
    "prompt_tokens", "completion_tokens", "cost_usd", "backend", "model", "prompt", "cached",
)


def spreadsheet_safe(value: object) -> object:
    """A string a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
    apostrophe; article text is untrusted input."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(records: Sequence[Record]) -> str:
    """One row per article (see :func:`write_csv`)."""
    buffer = io.StringIO()
    write_csv(iter(records), buffer)
    return buffer.getvalue()


def write_csv(records: Iterable[Record], out: IO[str]) -> None:
    """One row per article; lists joined with "; " (figures as "at least 12 killed:
    civilians (the Observatory)", loaded terms as "regime -> government")."""
    writer = csv.writer(out, lineterminator="\n")
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
        writer.writerow([spreadsheet_safe(value) for value in row])
