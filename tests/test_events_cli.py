"""``summarize events`` and ``summarize run --events`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from summarize.events.writers import CSV_COLUMNS
from tests.conftest import ROOT, run_cli
from tests.events_records import figure, report

TEXT = "A car bomb killed 6 people in the Salah al-Din district of Aleppo on Wednesday, state TV said."


@pytest.fixture
def records_file(tmp_path: Path) -> Path:
    records = [
        report("a", TEXT, source="Outlet A", published="2017-04-19", kinds=("bombing",),
               figures=[figure(TEXT, "6", 6, stated_by="state TV")]),
        report("b", TEXT.replace("6", "8"), source="Outlet B", published="2017-04-19", kinds=("bombing",),
               figures=[figure(TEXT.replace("6", "8"), "8", 8)]),
        report("c", "Talks on a truce opened in Geneva.", source="Outlet C", published="2017-04-19",
               kinds=("negotiation",)),
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    return path


def test_json_follows_the_contract(records_file, tmp_path):
    out = tmp_path / "events.json"
    result = run_cli("events", str(records_file), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 events from 3 records (1 reported by two or more outlets)" in result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == "summarize-events" and data["format_version"] == 1
    shared = next(e for e in data["events"] if len(e["records"]) == 2)
    assert {"id", "records", "outlets", "date", "location", "admin1", "event_type", "figures", "killed",
            "wounded", "claims", "framing", "links"} <= set(shared)
    assert shared["records"] == ["a", "b"] and shared["outlets"] == ["Outlet A", "Outlet B"]
    assert shared["date"] == "2017-04-19" and shared["admin1"] == "Aleppo"
    assert {"record", "outlet", "stated_by", "quantity_text", "outcome", "victim_category", "low", "high",
            "span"} <= set(shared["figures"][0])
    assert shared["figures"][0]["span"]["start"] >= 0
    killed = shared["killed"]
    assert (killed["low"], killed["high"], killed["conservative"], killed["sources"], killed["agreement"]) == \
        (6, 8, 6, 2, "conflict")
    assert shared["links"][0]["a"] == "a" and "same day" in shared["links"][0]["why"]
    assert sorted(r for e in data["events"] for r in e["records"]) == ["a", "b", "c"]


def test_csv_has_acleds_columns_and_the_conservative_fatalities(records_file, tmp_path):
    result = run_cli("events", str(records_file), "-f", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    blast = next(r for r in rows if r["source"] == "Outlet A; Outlet B")
    assert blast["fatalities"] == "6" and blast["event_type"] == "Explosions/Remote violence"
    assert blast["admin1"] == "Aleppo" and blast["event_date"] == "2017-04-19" and "conflict" in blast["notes"]


def test_markdown_escapes_article_text(tmp_path):
    text = "Shelling killed 3 people in Homs. <script>alert(1)</script> [x](javascript:alert(1))"
    record = report("m", text, title="<b>Homs</b>", published="2016-01-01", kinds=("shelling",),
                    figures=[figure(text, "3", 3, stated_by="[evil](javascript:alert(1))")])
    path = tmp_path / "r.jsonl"
    path.write_text(record.model_dump_json() + "\n", encoding="utf-8")
    result = run_cli("events", str(path), "-o", str(tmp_path / "e.md"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    md = (tmp_path / "e.md").read_text("utf-8")
    assert "[evil](javascript" not in md and r"\[evil\]\(javascript" in md


def test_usage_errors_exit_2(records_file, tmp_path):
    assert run_cli("events", str(tmp_path / "missing.jsonl"), cwd=tmp_path).returncode == 2
    bad = run_cli("events", str(records_file), "-o", str(tmp_path / "e.csv"), "-f", "json", cwd=tmp_path)
    assert bad.returncode == 2 and "names a csv file" in bad.stderr
    unknown = run_cli("events", str(records_file), "-o", str(tmp_path / "e.txt"), cwd=tmp_path)
    assert unknown.returncode == 2 and ".txt" in unknown.stderr
    junk = tmp_path / "junk.jsonl"
    junk.write_text('{"not": "a record"}\n{"neither": 1}\n', encoding="utf-8")
    result = run_cli("events", str(junk), cwd=tmp_path)
    assert result.returncode == 2 and "junk.jsonl:1: not a summarize record" in result.stderr


def test_a_torn_last_line_is_skipped_with_a_notice(records_file, tmp_path):
    torn = tmp_path / "torn.jsonl"
    torn.write_text(records_file.read_text("utf-8") + '{"id": "half', encoding="utf-8")
    result = run_cli("events", str(torn), "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "skipped a torn last line" in result.stderr
    assert len(json.loads(result.stdout)["events"]) == 2


def test_run_writes_events_at_the_end_of_a_run(tmp_path):
    seeds = ROOT / "examples" / "articles" / "seeds"
    out, events = tmp_path / "out.jsonl", tmp_path / "events.html"
    result = run_cli("run", str(seeds), "--backend", "rules", "-o", str(out), "--events", str(events), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"3 events -> {events}" in result.stderr  # seeds 000, 002 and 003 are one
    page = events.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    bad = run_cli("run", str(seeds), "--backend", "rules", "--events", str(tmp_path / "e.txt"), cwd=tmp_path)
    assert bad.returncode == 2


def test_run_events_are_read_back_from_the_runs_jsonl_whatever_the_output_format(tmp_path):
    seeds = ROOT / "examples" / "articles" / "seeds"
    first = run_cli("run", str(seeds / "000_eaaed0241c43dabd.txt"), "--backend", "rules", "-o", str(tmp_path / "out.jsonl"),
                    cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    # a resumed JSONL run: the record already in the output is grouped once
    resumed = run_cli("run", str(seeds), "--backend", "rules", "-o", str(tmp_path / "out.jsonl"), "--events",
                      str(tmp_path / "a.json"), cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    ids = [r for e in json.loads((tmp_path / "a.json").read_text("utf-8"))["events"] for r in e["records"]]
    assert len(ids) == len(set(ids)) == 5
    # another format: the journal beside it is read, then removed
    other = run_cli("run", str(seeds), "--backend", "rules", "-o", str(tmp_path / "out.csv"), "--events",
                    str(tmp_path / "b.json"), cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    again = [r for e in json.loads((tmp_path / "b.json").read_text("utf-8"))["events"] for r in e["records"]]
    assert sorted(again) == sorted(ids)
    assert not list(tmp_path.glob("*.partial.jsonl"))


def test_the_sample_events_through_the_rules_backend(tmp_path):
    """The eval of issue 13 on evals/events (38 articles, 14 events) and the seeds: the
    floors guard against regressions; docs/events.md shows the measured figures."""
    records = tmp_path / "events-dev.jsonl"
    made = run_cli("run", str(ROOT / "evals" / "events" / "articles"), "--backend", "rules", "-o", str(records),
                   cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    result = run_cli("events", str(records), "--eval", str(ROOT / "evals" / "events" / "events.json"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:4]]
            for line in result.stdout.splitlines()[2:]}
    with_dates, datelines = (float(v) for v in rows["same-event pairs: F1"])
    assert with_dates >= 0.97 and datelines >= 0.78
    # the baseline (date + first governorate named) on the same records, for scale
    plain_dates, plain_datelines = (float(v) for v in rows["baseline (date + first governorate named): pair F1"])
    assert plain_dates < with_dates and plain_datelines < datelines
    assert rows["conservative figure is a sum"] == ["0", "0"]
    for column in (0, 1):
        shown, total = (int(v) for v in rows["multi-outlet tolls shown in their event"][column].split(" / "))
        assert total == 38 and shown >= 33
        flagged, differing = (int(v) for v in rows["differing tolls flagged conflict"][column].split(" / "))
        assert differing == 11 and flagged >= (9, 8)[column]

    seeds = tmp_path / "seeds.jsonl"
    assert run_cli("run", str(ROOT / "examples" / "articles" / "seeds"), "--backend", "rules", "-o", str(seeds),
                   cwd=tmp_path).returncode == 0
    result = run_cli("events", str(seeds), "--eval", str(ROOT / "evals" / "events" / "seeds.json"), cwd=tmp_path)
    assert "| same-event pairs: recall | 1.000 | 1.000 |" in result.stdout
