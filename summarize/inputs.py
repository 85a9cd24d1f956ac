"""Inputs: how files, folders, globs and stdin become articles, in order and lazily.

Folders are walked recursively, globs expanded, ``-`` read from stdin (its format
guessed from its first character); each file is read by summarize.readers. Every input
ends as at least one article: a missing file, a glob that matches nothing, a dangling
symlink, a symlink loop, a FIFO or another file that is not a regular one (never opened:
a FIFO would block), a file larger than ``MAX_FILE_BYTES``, a file that cannot be read
become articles with ``error`` set, so that each gets its record.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from summarize.articles import Article, unique_ids
from summarize.readers import (JSON_SUFFIXES, JSONL_SUFFIXES, SUPPORTED_SUFFIXES, iter_jsonl_file,
                               parse_guarded, parse_json)

#: Largest file read as one article (text, Markdown, HTML): far above any news story.
#: JSON and JSONL files, which hold many articles, may be larger.
MAX_FILE_BYTES = 32 * 1024 * 1024


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
            yield from parse_guarded(data, "-", _sniff_suffix(data))
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
        yield from parse_guarded(data, str(path), path.suffix.lower())


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


def load_articles(inputs: Iterable[str | Path] | str | Path, *, stdin: IO[bytes] | None = None,
                  exclude: Iterable[str | Path] = (),
                  skipped: list[Path] | None = None) -> list[Article]:
    """Every article in ``inputs`` (files, folders, globs, ``-``), with unique ids (see
    :func:`unique_ids`). For a batch too large to hold, iterate
    ``unique_ids(iter_articles(...))`` instead."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    return list(unique_ids(iter_articles(inputs, stdin=stdin, exclude=exclude, skipped=skipped)))
