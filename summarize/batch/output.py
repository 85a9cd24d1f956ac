"""Where the records of one ``summarize run`` go, without holding them.

With ``-o``, every record goes to the JSONL journal (summarize.batch.journal) as it
finishes: ``-o`` itself for JSONL, ``OUT.partial.jsonl`` beside it for the other formats.
What this keeps per article is where its line is (offset and length, 16 bytes), by input
position. At the end:

- JSONL: the journal is rewritten in input order, one line per article, unless it
  already is (a resume of a finished run writes nothing);
- other formats: they are written from the journal's lines, read back one at a time in
  input order (summarize.batch.writers), then the journal is deleted.

On stdout JSONL goes out in input order as soon as every earlier article is done
(:class:`summarize.batch.writers.OrderedStream`); other formats go through a journal in
a temporary folder.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from summarize.batch.index import index_path
from summarize.batch.journal import JsonlJournal, replacing
from summarize.batch.runner import BatchItem
from summarize.batch.writers import OrderedStream, write_format
from summarize.records import Record


class RunOutput:
    """The records of a run on their way to ``output`` (None: stdout) in ``fmt``."""

    def __init__(self, output: Path | None, fmt: str, journal: Path | None, *,
                 stdout: IO[str] | None = None, keep: bool = False) -> None:
        """``keep``: JSONL on stdout also goes to a temporary journal, so that the
        records can be read again at the end (:meth:`records`)."""
        self.output = output
        self.fmt = fmt
        self._stdout = stdout or sys.stdout
        self._temp: Path | None = None
        streamed = journal is None and fmt == "jsonl"
        if journal is None and (fmt != "jsonl" or keep):
            self._temp = Path(tempfile.mkdtemp(prefix="summarize-run-"))
            journal = self._temp / "records.jsonl"
        self.journal = JsonlJournal(journal) if journal is not None else None
        self._stream = OrderedStream(self._stdout) if streamed else None
        self._offsets = array("q")
        self._lengths = array("q")
        #: Records written (ok, failed), resumed ones included.
        self.ok = 0
        self.failed = 0

    def files(self) -> list[Path]:
        """The files this run writes (never read as inputs)."""
        found = [p for p in (self.output,) if p is not None]
        if self.journal is not None and self._temp is None:
            found += [self.journal.path, index_path(self.journal.path)]
        return found

    def open(self, *, resume: bool) -> None:
        """Open and lock the journal and bring its index up to date (``resume``: keep what
        it holds; else start it empty)."""
        if self.journal is None:
            return
        self.journal.path.parent.mkdir(parents=True, exist_ok=True)
        self.journal.open()
        self.journal.sync()
        if not resume:
            self.journal.compact([])

    def take(self, item: BatchItem) -> None:
        """Write one finished article's record (a resumed one stays where it is)."""
        index = item.index
        while len(self._offsets) <= index:
            self._offsets.append(-1)
            self._lengths.append(0)
        if item.ok:
            self.ok += 1
        else:
            self.failed += 1
        if item.resumed:
            previous = item.previous
            self._offsets[index] = previous.offset  # type: ignore[union-attr]
            self._lengths[index] = previous.length  # type: ignore[union-attr]
            return
        line = item.line
        assert line is not None
        if self._stream is not None:
            self._stream.write(index, line)
        if self.journal is None:
            return
        if item.cached:
            offset, length = self.journal.append_line(line, keys=item.keys)
        else:
            offset, length = self.journal.append(item.record, line)  # type: ignore[arg-type]
        self._offsets[index] = offset
        self._lengths[index] = length

    def spans(self) -> list[tuple[int, int]]:
        """(offset, length) of each article's line in the journal, in input order."""
        missing = [i for i, offset in enumerate(self._offsets) if offset < 0]
        if missing:  # every article gets a record; never write fewer
            raise AssertionError(f"no record for input position(s) {missing[:5]}")
        return list(zip(self._offsets, self._lengths, strict=True))

    def records(self) -> Iterator[Record]:
        """The records, in input order, read back from the journal one at a time."""
        assert self.journal is not None
        for line in self.journal.read_lines(self.spans()):
            yield Record.model_validate_json(line)

    def finish(self) -> bool:
        """Put the records in their final place and format. Returns True when the output
        file was (re)written, False when it already held exactly these records."""
        if self.journal is None:
            return False
        if self._stream is not None:  # JSONL on stdout, kept in a temporary journal
            self.journal.close()
            self.discard_journal()
            return False
        if self.fmt == "jsonl":
            changed = self.journal.rewrite(self.spans())
            self.journal.close()
            return changed
        self.journal.commit()
        total = self.ok + self.failed
        if self.output is None:
            write_format(self.records, self.fmt, self._stdout, total=total, ok=self.ok)
        else:
            with replacing(self.output) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                write_format(self.records, self.fmt, text, total=total, ok=self.ok)
                text.flush()
                text.detach()
        self.journal.close()
        self.discard_journal()
        return True

    def discard_journal(self) -> None:
        """Delete the journal of a non-JSONL format and its index (they were temporary)."""
        if self.journal is None:
            return
        self.journal.path.unlink(missing_ok=True)
        index_path(self.journal.path).unlink(missing_ok=True)
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)

    def close(self) -> None:
        """Close the journal (what was written stays: a rerun resumes it)."""
        if self.journal is not None:
            self.journal.close()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
