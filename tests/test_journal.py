"""The journal's resume index: what a rerun knows of each record without reading it, kept
true to the file after a kill, a truncation, a replaced file or a broken index file;
and the final rewrite, skipped when the file is already in order."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from summarize.batch.index import article_key, entry_of_line, entry_of_record, index_path
from summarize.batch.journal import JsonlJournal, record_line
from tests.test_writers import error_record, ok_record


def _journal(path: Path) -> JsonlJournal:
    journal = JsonlJournal(path)
    journal.open()
    journal.sync()
    return journal


def test_the_index_knows_each_id_latest_line_without_reading_the_file(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    journal = _journal(path)
    spans = {record.id: journal.append(record)
             for record in (error_record("a"), ok_record("b"), ok_record("a"))}
    journal.close()
    again = _journal(path)
    entry = again.lookup("a")
    assert entry is not None and entry.ok and (entry.offset, entry.length) == spans["a"]
    assert json.loads(again.read(entry.offset, entry.length))["status"] == "ok"
    assert again.lookup("b").ok and again.lookup("c") is None
    again.close()


def test_an_entry_made_from_a_record_equals_the_one_read_from_its_line():
    record = ok_record("a")
    line = record_line(record)
    assert entry_of_record(record, 10, len(line)) == entry_of_line(line, 10)
    assert entry_of_record(record, 0, 1).article == article_key(
        record.article.text_sha256, record.article.title, record.article.source, None)


def test_lines_a_killed_run_wrote_after_its_last_commit_are_read_on_the_next_sync(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    journal = _journal(path)
    journal.append(ok_record("a"))
    journal.commit()
    # A run killed before its next group commit: its lines are in the file, not indexed.
    with open(path, "ab") as out:
        out.write(record_line(ok_record("b")) + record_line(ok_record("c"))[:40])
    journal._fd = None  # as if the process had died (the descriptor is not closed twice)
    again = JsonlJournal(path)
    again.sync()
    assert again.lookup("b") is not None and again.lookup("a") is not None
    assert again.dropped == [(3, "torn last line")]
    assert path.read_bytes().endswith(record_line(ok_record("b")))


def test_a_replaced_or_truncated_file_gets_its_index_rebuilt(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    journal = _journal(path)
    for name in "abc":
        journal.append(ok_record(name))
    journal.close()
    path.write_bytes(record_line(ok_record("z")))  # a new, shorter file of the same name
    again = _journal(path)
    assert again.lookup("a") is None and again.lookup("z") is not None
    again.close()
    os.replace(tmp_path / "out.jsonl", tmp_path / "moved.jsonl")
    (tmp_path / "out.jsonl").write_bytes(record_line(ok_record("y")) * 3)  # another file
    third = _journal(path)
    assert third.lookup("z") is None and third.lookup("y") is not None
    third.close()


def test_a_file_with_the_same_inode_and_other_bytes_gets_its_index_rebuilt(tmp_path: Path):
    # What two atomic replaces can do (the second temp file takes the first inode back):
    # the same device and inode, at least as long, other records. Rewritten in place here.
    path = tmp_path / "out.jsonl"
    journal = _journal(path)
    for name in "abc":
        journal.append(ok_record(name))
    journal.close()
    inode = os.stat(path).st_ino
    other = record_line(error_record("x")) + record_line(ok_record("y")) * 3
    assert len(other) >= path.stat().st_size
    with open(path, "r+b") as out:
        out.write(other)
    assert os.stat(path).st_ino == inode
    again = _journal(path)
    assert again.lookup("a") is None and again.lookup("x") is not None
    assert again.lookup("y").ok and not again.dropped
    again.close()


def test_a_broken_index_file_is_rebuilt_from_the_output(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    journal = _journal(path)
    journal.append(ok_record("a"))
    journal.close()
    index_path(path).write_bytes(b"not a database at all" * 100)
    again = _journal(path)
    assert again.lookup("a") is not None
    again.close()


def test_rewrite_puts_the_lines_in_input_order_and_the_index_follows(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    journal = _journal(path)
    spans = {}
    for record in (ok_record("b"), error_record("a"), ok_record("a"), ok_record("gone")):
        spans[record.id] = journal.append(record)
    assert journal.rewrite([spans["a"], spans["b"]]) is True
    journal.close()
    assert [json.loads(line)["id"] for line in path.read_text().splitlines()] == ["a", "b"]
    again = _journal(path)
    assert again.lookup("gone") is None
    entry = again.lookup("a")
    assert json.loads(again.read(entry.offset, entry.length))["status"] == "ok"
    again.close()


def test_a_file_already_in_order_is_not_rewritten(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    journal = _journal(path)
    spans = [journal.append(ok_record(name)) for name in "abc"]
    journal.close()
    before = path.stat()
    again = _journal(path)
    assert again.rewrite(spans) is False
    again.close()
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino, before.st_mtime_ns, before.st_size)


def test_a_dry_run_sync_writes_no_index(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(record_line(ok_record("a")))
    journal = JsonlJournal(path)
    journal.sync(repair=False, write=False)
    assert journal.lookup("a") is not None
    journal.close()
    assert not index_path(path).exists()


def test_an_append_is_in_the_file_at_once_and_durable_after_a_commit(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    journal = JsonlJournal(path, commit_seconds=60)
    journal.open()
    journal.sync()
    journal.append(ok_record("a"))
    assert path.read_bytes() == record_line(ok_record("a")), "written before any commit"
    journal.close()
    assert _journal(path).lookup("a") is not None


def test_a_failed_commit_stops_the_next_append(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    journal = _journal(tmp_path / "out.jsonl")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    journal.append(ok_record("a"))
    with pytest.raises(OSError, match="No space left"):
        journal.commit()
