"""Streaming batches: articles read lazily, records handed over as they finish and not
kept, exactly one record per input article (errors, repeated ids, resumes included), and
a resume of a finished run that reads and writes nothing it does not need."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from summarize import Settings, aiter_batch, iter_articles, iter_batch, unique_ids
from summarize.articles import Article, article_from_text
from summarize.batch import BatchOptions
from summarize.batch.index import index_path
from tests.conftest import run_cli
from tests.test_client import ARTICLE

RULES = Settings(backend="rules")


def _dispatches(count: int, pulled: list[int]) -> Iterator[Article]:
    for number in range(count):
        pulled.append(number)
        yield article_from_text(f"{ARTICLE} Dispatch {number}.", title=f"Dispatch {number}")


def test_iter_batch_reads_articles_as_it_goes_and_yields_records_as_they_finish():
    pulled: list[int] = []
    options = BatchOptions(concurrency=2, use_cache=False)
    records = iter_batch(_dispatches(10_000, pulled), RULES, options=options)
    first = next(records)
    assert first.ok
    # While the caller holds the first record, the batch runs ahead as far as it may: the
    # records waiting to be handed over (64) and the articles in flight, never the
    # whole input. A bound, not a timing: given time, it is reached and not passed.
    time.sleep(0.5)
    bound = 64 + options.concurrency + 4
    assert len(pulled) <= bound, f"{len(pulled)} articles read before the second record"
    records.close()  # leaving early stops the batch
    assert len(pulled) <= bound


async def test_aiter_batch_gives_one_record_per_article_of_a_generator():
    pulled: list[int] = []
    seen = [record.id async for record in aiter_batch(
        _dispatches(40, pulled), RULES, options=BatchOptions(concurrency=4, use_cache=False))]
    assert len(seen) == 40 and len(set(seen)) == 40 and len(pulled) == 40


def test_a_jsonl_file_is_read_a_line_at_a_time_with_each_bad_line_its_own_error(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "x", "title": "One", "text": "First text."}).encode(),
             b"",
             b'{"id": "broken", "text": ',
             json.dumps({"id": "x", "text": "Same id, other text."}).encode(),
             '{"id": "latin", "text": "Caf\xe9 bombed."}'.encode("cp1252"),
             json.dumps({"id": "x#2", "text": "An id that looks like a repeat."}).encode()]
    path.write_bytes(b"\n".join(lines) + b"\n")
    articles = list(unique_ids(iter_articles([path])))
    assert [a.id for a in articles] == ["x", "feed.jsonl:3", "x#2", "latin", "x#2#2"]
    assert "invalid JSON line" in articles[1].error
    assert articles[3].text == "Café bombed." and "decoded as cp1252" in articles[3].warnings[0]
    assert len({a.id for a in articles}) == len(articles)


def _write_feed(path: Path, count: int, *, empty_at: int | None = None) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for number in range(count):
            text = "" if number == empty_at else f"{ARTICLE} Dispatch {number}."
            # every third article repeats the id of the one before it
            article_id = f"d{number - (number % 3 == 2)}"
            out.write(json.dumps({"id": article_id, "title": f"D{number}", "text": text}) + "\n")


def test_one_record_per_input_line_with_repeated_ids_and_errors(tmp_path: Path):
    _write_feed(tmp_path / "feed.jsonl", 30, empty_at=7)
    result = run_cli("run", "feed.jsonl", "-o", "out.jsonl", "--backend", "rules", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["article"]["title"] for r in records] == [f"D{n}" for n in range(30)]
    assert len({r["id"] for r in records}) == 30
    assert [r["status"] for r in records].count("error") == 1


def _stat(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns, info.st_size


def test_a_resume_of_a_finished_run_writes_nothing_and_a_changed_one_rewrites(tmp_path: Path):
    _write_feed(tmp_path / "feed.jsonl", 20)
    first = run_cli("run", "feed.jsonl", "-o", "out.jsonl", "--backend", "rules", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out, index = tmp_path / "out.jsonl", index_path(tmp_path / "out.jsonl")
    before = (_stat(out), _stat(index), out.read_bytes())
    again = run_cli("run", "feed.jsonl", "-o", "out.jsonl", "--backend", "rules", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "20 resumed" in again.stderr
    assert (_stat(out), _stat(index), out.read_bytes()) == before, "a resume wrote something"
    assert not [p for p in os.listdir(tmp_path) if p.endswith((".tmp", "-journal"))]

    _write_feed(tmp_path / "feed.jsonl", 21)  # one more article
    third = run_cli("run", "feed.jsonl", "-o", "out.jsonl", "--backend", "rules", cwd=tmp_path)
    assert third.returncode == 0, third.stderr
    assert "20 resumed" in third.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["article"]["title"] for r in records] == [f"D{n}" for n in range(21)]


def test_reports_are_written_from_the_journal_in_input_order(tmp_path: Path):
    _write_feed(tmp_path / "feed.jsonl", 12, empty_at=3)
    for name in ("out.csv", "out.md", "out.html", "out.json"):
        result = run_cli("run", "feed.jsonl", "-o", name, "--backend", "rules", "-j", "4",
                         cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert not (tmp_path / f"{name}.partial.jsonl").exists()
        assert not index_path(tmp_path / f"{name}.partial.jsonl").exists()
    rows = (tmp_path / "out.csv").read_text().splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == [
        f"d{n - (n % 3 == 2)}" + ("#2" if n % 3 == 2 else "") for n in range(12)]
    assert json.loads((tmp_path / "out.json").read_text())[3]["status"] == "error"
    assert "# Summaries of 12 articles" in (tmp_path / "out.md").read_text()
    assert (tmp_path / "out.html").read_text().count('<article id="a') == 12
    piped = run_cli("run", "feed.jsonl", "--format", "csv", "--backend", "rules", cwd=tmp_path)
    assert [row.split(",")[0] for row in piped.stdout.splitlines()[1:]] == [
        row.split(",")[0] for row in rows]
