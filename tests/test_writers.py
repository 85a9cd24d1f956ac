"""Writers: the crash-safe JSONL journal, the ordered stdout stream, the final formats."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from summarize.articles import article_from_text
from summarize.errors import ConfigError
from summarize.records import ArticleRef, ErrorInfo, Provenance, Record
from summarize.schema import ArticleSummary, CasualtyFigure, LoadedTerm
from summarize.batch.writers import (
    CSV_COLUMNS,
    JsonlJournal,
    OrderedStream,
    format_for,
    record_line,
    render,
    write_atomically,
)

PROVENANCE = Provenance(backend="rules", schema_version="1", version="0.1.0")
TEXT = "Shelling killed at least 12 civilians, the monitor said. The regime denied it."


def ok_record(article_id: str, *, summary: str = "Shelling killed at least 12 civilians.") -> Record:
    article = article_from_text(TEXT, id=article_id, title=f"Title of {article_id}", source="sana")
    casualty = CasualtyFigure(
        quantity_text="at least 12", outcome="killed", victims="civilians",
        victim_category="civilian", quantity_type="at_least", low=12, high=None,
        stated_by="the monitor", perpetrator=None,
        quote="Shelling killed at least 12 civilians, the monitor said.")
    loaded = LoadedTerm(term="regime", quote="The regime denied it.", neutral_alternative="government")
    return Record(id=article_id, status="ok", article=ArticleRef.of(article), provenance=PROVENANCE,
                  summary=ArticleSummary(summary=summary, casualties=[casualty], loaded_terms=[loaded]))


def error_record(article_id: str) -> Record:
    return Record(id=article_id, status="error", provenance=PROVENANCE,
                  article=ArticleRef(id=article_id, path=f"{article_id}.txt"),
                  error=ErrorInfo(type="input_error", message=f"{article_id}.txt: empty file"))


# ---- the journal ------------------------------------------------------------------------


def recover(journal: JsonlJournal, *, repair: bool = True) -> list[Record]:
    """Every record of the journal's file, in file order, without the torn and unreadable
    lines :meth:`JsonlJournal.sync` drops (listed in ``journal.dropped``); a line sync
    kept that is no record fails the test."""
    journal.sync(repair=repair, write=False)
    if not journal.path.exists():
        return []
    records = []
    known = {number for number, _ in journal.dropped}
    with open(journal.path, "rb") as source:
        for number, line in enumerate(source, start=1):
            if not line.endswith(b"\n") or not line.strip() or number in known:
                continue
            try:
                records.append(Record.model_validate_json(line))
            except ValidationError as exc:  # sync should have dropped it: the journal's fault
                raise AssertionError(f"line {number} kept by sync but unreadable") from exc
    return records


def test_journal_appends_whole_lines_and_reads_them_back(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    with JsonlJournal(path) as journal:
        journal.append(ok_record("a"))
        journal.append(error_record("b"))
    assert path.read_bytes().count(b"\n") == 2
    records = recover(JsonlJournal(path))
    assert [(r.id, r.status) for r in records] == [("a", "ok"), ("b", "error")]


def test_a_torn_last_line_is_cut_off_and_appending_goes_on(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    whole = record_line(ok_record("a"))
    path.write_bytes(whole + record_line(ok_record("b"))[:57])
    journal = JsonlJournal(path)
    assert [r.id for r in recover(journal)] == ["a"]
    assert journal.dropped == [(2, "torn last line")]
    assert path.read_bytes() == whole, "the torn line is still in the file"
    journal.append(ok_record("c"))
    journal.close()
    assert [r.id for r in recover(JsonlJournal(path))] == ["a", "c"]


def test_recover_without_repair_leaves_the_file_alone(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    data = record_line(ok_record("a")) + b'{"id":"b","sta'
    path.write_bytes(data)
    assert [r.id for r in recover(JsonlJournal(path), repair=False)] == ["a"]
    assert path.read_bytes() == data


def test_a_file_of_a_single_torn_line_is_emptied(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id":"a","status":"o')
    assert recover(JsonlJournal(path)) == []
    assert path.read_bytes() == b""


def test_an_unreadable_line_in_the_middle_is_skipped(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(record_line(ok_record("a")) + b'{"id":"b","status":"maybe"}\n'
                     + record_line(ok_record("c")))
    journal = JsonlJournal(path)
    assert [r.id for r in recover(journal)] == ["a", "c"]
    assert journal.dropped == [(2, "unreadable record")]


def test_a_file_not_written_by_summarize_is_never_overwritten(tmp_path: Path):
    path = tmp_path / "precious.jsonl"
    path.write_text('{"name": "my own data"}\n')
    with pytest.raises(ConfigError, match="refusing to overwrite"):
        recover(JsonlJournal(path))
    assert path.read_text() == '{"name": "my own data"}\n'


def test_compact_writes_one_record_per_article_in_order(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    with JsonlJournal(path) as journal:
        for record in (ok_record("b"), error_record("a"), ok_record("a")):
            journal.append(record)
        journal.compact([ok_record("a"), ok_record("b")])
    lines = path.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]
    assert not list(tmp_path.glob(".out.jsonl.*")), "a temporary file was left behind"


def test_write_atomically_keeps_the_file_mode(tmp_path: Path):
    path = tmp_path / "out.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    write_atomically(path, b"new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# ---- stdout -----------------------------------------------------------------------------


def test_ordered_stream_writes_in_input_order_as_soon_as_it_can():
    out = io.StringIO()
    stream = OrderedStream(out)
    stream.write(1, record_line(ok_record("b")))
    assert out.getvalue() == ""
    stream.write(0, record_line(ok_record("a")))
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["a", "b"]
    stream.write(2, record_line(ok_record("c")))
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["a", "b", "c"]


# ---- formats ----------------------------------------------------------------------------


def test_format_comes_from_the_flag_then_the_suffix():
    assert format_for("out.csv", None) == "csv"
    assert format_for("out.md", None) == "markdown"
    assert format_for("review.html", None) == "html"
    assert format_for("out.txt", None) == "jsonl"
    assert format_for(None, None) == "jsonl"
    assert format_for("out.txt", "json") == "json"
    with pytest.raises(ConfigError, match="names a csv file but --format is json"):
        format_for("out.csv", "json")
    with pytest.raises(ConfigError):
        format_for("x", "yaml")


def test_json_is_a_list_of_records():
    records = [ok_record("a"), error_record("b")]
    data = json.loads(render(records, "json"))
    assert [r["id"] for r in data] == ["a", "b"]
    assert Record.model_validate(data[0]) == records[0]


def test_jsonl_round_trips():
    records = [ok_record("a"), error_record("b")]
    lines = render(records, "jsonl").splitlines()
    assert [Record.model_validate_json(line) for line in lines] == records


def test_csv_has_one_row_per_article_and_defuses_formulas():
    records = [ok_record("a", summary="=HYPERLINK(\"http://x\") was posted."), error_record("b")]
    rows = list(csv.DictReader(io.StringIO(render(records, "csv"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [row["id"] for row in rows] == ["a", "b"]
    assert rows[0]["summary"].startswith("'=HYPERLINK")
    assert rows[0]["casualty_figures"] == "at least 12 killed: civilians (the monitor)"
    assert rows[0]["loaded_terms"] == "regime -> government"
    assert rows[1]["error_type"] == "input_error" and rows[1]["summary"] == ""


def test_markdown_shows_summary_tables_and_errors():
    record = ok_record("a", summary="Shelling killed at least 12 | civilians.")
    text = render([record, error_record("b")], "markdown")
    assert "## Title of a" in text
    assert "| at least 12 | killed | civilians | the monitor | 12- |" in text
    assert "| regime | government |" in text
    assert "**Error** (input\\_error): b.txt: empty file" in text
    assert "1 ok, 1 failed" in text


def test_markdown_escapes_article_text_and_marks_items_not_found():
    record = ok_record("a", summary='<script>alert(1)</script> [x](javascript:alert(1)) **bold**')
    record.summary.casualties[0].span = None
    text = render([record], "markdown")
    assert "<script>" not in text and "](javascript:" not in text and "**bold**" not in text
    assert "\\<script\\>" in text
    assert "| NOT FOUND |" in text


def test_html_is_the_review_page():
    page = render([ok_record("a")], "html")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "Title of a" in page


def test_two_runs_cannot_write_the_same_journal(tmp_path: Path):
    path = tmp_path / "out.jsonl"
    with JsonlJournal(path) as first:
        first.open()
        with pytest.raises(ConfigError, match="another summarize run"):
            JsonlJournal(path).open()
    with JsonlJournal(path) as again:
        again.open()  # free once the first one closed


def test_markdown_names_the_article_file_without_the_machine_s_folders(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outside, under = ok_record("a"), ok_record("b")
    outside.article.path = "/srv/someone/feeds/2026/a.txt"
    under.article.path = str(tmp_path / "news" / "b.txt")
    text = render([outside, under], "markdown")
    assert " · .../2026/a.txt" in text and " · news/b.txt" in text
    assert "/srv/someone" not in text and str(tmp_path) not in text
    # the records themselves keep the path the run was given
    assert "/srv/someone/feeds/2026/a.txt" in render([outside], "jsonl")
