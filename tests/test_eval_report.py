"""The eval report (JSON and HTML), its markdown table, and comparing two runs, built from
records made out of the gold labels (no backend involved)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarize.errors import ConfigError
from summarize.evaluation.compare import compare_runs, comparison_markdown
from summarize.evaluation.gold import GoldArticle, load_gold
from summarize.evaluation.report import (
    build_report,
    markdown_table,
    primary_run,
    read_report,
    render_html,
    write_report,
)
from summarize.evaluation.runner import RepeatResult, RunResult, RunSpec
from summarize.evaluation.scorers import score_record
from summarize.records import ErrorInfo, Provenance, Record
from summarize.schema import SCHEMA_VERSION
from summarize.settings import Settings
from tests.conftest import GOLD_DIR

GOLDS = load_gold(GOLD_DIR)
#: The first gold article with at least two casualty figures: the one the "worse" run misses.
TARGET = next(g for g in GOLDS if len(g.casualties) >= 2)


def provenance(backend: str, prompt: str | None = None) -> Provenance:
    return Provenance(backend=backend, model=None if backend == "rules" else "fake-model", prompt=prompt,
                      prompt_sha256=None if prompt is None else "ab" * 32,
                      schema_version=SCHEMA_VERSION, version="0.1.0")


def repeat_of(records: list[Record], golds=GOLDS) -> RepeatResult:
    return RepeatResult(records=records, scores=[score_record(g, r) for g, r in zip(golds, records, strict=True)],
                        seconds=0.5)


def gold_records(*, drop_figures_of: str | None = None, fail: str | None = None, golds=GOLDS) -> list[Record]:
    records = []
    for gold in golds:
        record = gold.to_record()
        if gold.id == drop_figures_of:
            record.summary.casualties.clear()
        if gold.id == fail:
            record = record.model_copy(update={"status": "error", "summary": None,
                                               "error": ErrorInfo(type="model_error", message="answer cut off",
                                                                  reason="length")})
        records.append(record)
    return records


def run(label: str, repeats: list[list[Record]], *, baseline: bool = False, golds=GOLDS) -> RunResult:
    settings = Settings(backend="rules") if baseline else Settings(backend="openai", base_url="http://127.0.0.1:9/v1")
    return RunResult(spec=RunSpec(label=label, settings=settings),
                     provenance=provenance("rules" if baseline else "openai", None if baseline else label),
                     repeats=[repeat_of(r, golds) for r in repeats])


@pytest.fixture(scope="module")
def report() -> dict:
    baseline = run("rules", [gold_records()], baseline=True)
    better = run("prompt-a", [gold_records()])
    worse = run("prompt-b", [gold_records(drop_figures_of=TARGET.id),
                             gold_records(drop_figures_of=TARGET.id, fail=GOLDS[-1].id)])
    built = build_report([baseline, better, worse], GOLDS, gold_dir="evals/gold", command="summarize eval")
    built["comparison"] = compare_runs(built["runs"][1], built["runs"][2], gold_items=built["gold"]["items"])
    return built


def test_the_report_describes_itself(report):
    assert report["format"] == "summarize-eval" and report["format_version"] == 2
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", report["created"])
    assert report["schema_version"] == SCHEMA_VERSION and report["package_version"]
    assert report["gold"]["articles"] == len(GOLDS) and len(report["gold"]["sha256"]) == 64
    assert {m["name"] for m in report["metrics"]} >= {"casualties.f1", "claims.f1", "grounding_rate"}
    run_b = report["runs"][2]
    assert run_b["provenance"]["prompt"] == "prompt-b" and run_b["provenance"]["prompt_sha256"] == "ab" * 32
    assert run_b["provenance"]["model"] == "fake-model" and run_b["repeat"] == 2
    assert run_b["errors"] == [{"article": GOLDS[-1].id, "repeat": 2, "type": "model_error",
                                "reason": "length", "message": "answer cut off"}]
    article = next(a for a in run_b["articles"] if a["id"] == TARGET.id)
    assert article["metrics"]["casualties.recall"] == 0.0
    assert [r["counts"]["casualties"]["pred"] for r in article["repeats"]] == [0, 0]
    assert any(f.startswith("missed:") for f in article["findings"]["casualties"])
    json.dumps(report)  # every value is JSON


def test_repeats_give_mean_and_spread(report):
    stats = report["runs"][2]["metrics"]["schema_valid_rate"]
    assert stats["values"] == [1.0, (len(GOLDS) - 1) / len(GOLDS)]
    assert stats["mean"] == pytest.approx(sum(stats["values"]) / 2)
    assert stats["std"] > 0 and stats["min"] < stats["max"] == 1.0


def test_markdown_table_has_a_row_per_metric_and_a_column_per_run(report):
    table = markdown_table(report)
    lines = table.splitlines()
    assert lines[0].startswith("| metric ") and set(lines[1]) == {"|", "-"}
    assert "rules (baseline)" in lines[0] and "prompt-a" in lines[0] and "prompt-b" in lines[0]
    for metric in report["metrics"]:
        shown = any(line.startswith(f"| {metric['name']} ") for line in lines)
        # the judge's metrics appear only when a run was judged
        assert shown is (not metric["name"].startswith("judge.")), metric["name"]
    row = next(line for line in lines if line.startswith("| schema_valid_rate "))
    assert "±" in row.split("|")[4] and "±" not in row.split("|")[3]
    cost = next(line for line in lines if line.startswith("| cost_per_article_usd "))
    assert "n/a" in cost, "no price known: the cost is unknown, not $0"


def test_comparison_lists_the_article_that_changed(report):
    comparison = report["comparison"]
    changed = {a["id"]: a for a in comparison["articles"]}
    assert TARGET.id in changed
    target = changed[TARGET.id]
    assert {c["metric"]: c["better"] for c in target["changes"]}["casualties.f1"] is False
    assert len(target["lost"]["casualties"]) == len(TARGET.casualties)
    assert repr(TARGET.casualties[0].quantity_text) in target["lost"]["casualties"][0]
    untouched = [g.id for g in GOLDS if g.id not in (TARGET.id, GOLDS[-1].id)]
    assert not set(untouched) & set(changed)
    text = comparison_markdown(comparison)
    assert "prompt-a → prompt-b" in text and f"**{TARGET.id}**" in text and "▼" in text


def test_comparison_counts_only_articles_both_runs_scored(report):
    a, b = report["runs"][1], report["runs"][2]
    fewer = {**b, "articles": [art for art in b["articles"] if art["id"] == TARGET.id]}
    comparison = compare_runs(a, fewer)
    assert [art["id"] for art in comparison["articles"]] == [TARGET.id]
    assert comparison["unchanged_articles"] == 0
    assert comparison["unshared_articles"] == len(GOLDS) - 1
    assert f"{len(GOLDS) - 1} in one run only" in comparison_markdown(comparison)


def test_primary_run_is_the_first_model_run(report):
    assert primary_run(report)["label"] == "prompt-a"
    assert primary_run({"runs": report["runs"][:1]})["label"] == "rules"
    assert primary_run(report, "prompt-b")["label"] == "prompt-b"


def test_files_json_and_self_contained_html(report, tmp_path: Path):
    json_path, html_path = write_report(report, tmp_path / "runs" / "r.json")
    assert html_path == tmp_path / "runs" / "r.html"
    assert read_report(json_path)["runs"][0]["label"] == "rules"
    html = html_path.read_text("utf-8")
    assert "<script" not in html and not re.search(r"(src|href)=\"https?:", html)
    assert "Content-Security-Policy" in html
    assert TARGET.id in html and "prompt-a → prompt-b" in html and "casualties.f1" in html


def test_html_escapes_article_text():
    hostile = GoldArticle.model_validate({
        "id": "x", "article": {"id": "x", "title": "<script>alert(1)</script>", "source": "<b>o</b>",
                               "text": "Nothing happened."}})
    page = render_html(build_report([run("rules", [gold_records(golds=[hostile])], baseline=True,
                                         golds=[hostile])], [hostile]))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_reading_something_else_is_a_configuration_error(tmp_path: Path):
    other = tmp_path / "other.json"
    other.write_text('{"runs": []}', "utf-8")
    with pytest.raises(ConfigError, match="not a summarize eval report"):
        read_report(other)
    future = tmp_path / "future.json"
    future.write_text('{"format": "summarize-eval", "format_version": 99}', "utf-8")
    with pytest.raises(ConfigError, match="format version 99"):
        read_report(future)


# ---- intervals, outlets, older reports --------------------------------------------------------


def test_every_metric_has_an_interval_that_contains_its_mean(report):
    assert report["resampling"]["resamples"] == 2000 and report["resampling"]["seed"] == 15
    for run_entry in report["runs"]:
        for name, stats in run_entry["metrics"].items():
            assert stats["n"] == len(GOLDS) and stats["resamples"] == 2000 and stats["seed"] == 15
            if stats["mean"] is None:
                assert stats["ci95"] is None, name
            else:
                low, high = stats["ci95"]
                assert low <= stats["mean"] <= high, (run_entry["label"], name)
    worse = report["runs"][2]["metrics"]["schema_valid_rate"]
    assert worse["ci95"][0] < worse["mean"] < 1.0 == worse["ci95"][1], "one error record in one of two repeats"


def test_the_table_prints_each_figure_with_its_interval(report):
    row = next(line for line in markdown_table(report).splitlines() if line.startswith("| casualties.recall "))
    interval = report["runs"][2]["metrics"]["casualties.recall"]["ci95"]
    assert f"[{interval[0]:.3f}, {interval[1]:.3f}]" in row.split("|")[4]
    assert "split · articles / repeats" in markdown_table(report) and "all · " in markdown_table(report)


def test_metrics_by_outlet(report):
    table = report["runs"][1]["by_outlet"]
    outlets = {g.article.source or "(no outlet)" for g in GOLDS}
    assert set(table) == outlets
    assert sum(row["n"] for row in table.values()) == len(GOLDS)
    target = table[TARGET.article.source or "(no outlet)"]
    worse = report["runs"][2]["by_outlet"][TARGET.article.source or "(no outlet)"]
    assert target["metrics"]["casualties.recall"] == 1.0 and worse["metrics"]["casualties.recall"] < 1.0
    deltas = report["comparison"]["by_outlet"][TARGET.article.source or "(no outlet)"]
    assert deltas["metrics"]["casualties.recall"]["delta"] < 0


def test_the_comparison_has_an_entry_per_metric(report):
    row = report["comparison"]["casualties.recall"]
    assert set(row) >= {"delta", "ci95", "p_value", "n", "significant"}
    assert row["n"] == len(GOLDS) and row["delta"] < 0 and row["better"] is False
    assert not row["significant"], "one article of the gold set differs"


def _version_1(report: dict) -> dict:
    """``report`` as summarize wrote it before intervals, outlets and splits."""
    old = json.loads(json.dumps(report))
    old["format_version"] = 1
    for key in ("resampling", "comparison"):
        old.pop(key, None)
    old["gold"].pop("split")
    for run_entry in old["runs"]:
        run_entry.pop("by_outlet")
        for stats in run_entry["metrics"].values():
            for key in ("ci95", "n", "resamples", "seed"):
                stats.pop(key)
        for name in [n for n in run_entry["metrics"] if n.startswith("summary.") and n != "summary.unattributed_loaded_terms"]:
            del run_entry["metrics"][name]
    return old


def test_a_version_1_report_still_loads_and_renders(report, tmp_path: Path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_version_1(report)), "utf-8")
    old = read_report(path)
    table = markdown_table(old)
    assert "| casualties.f1 " in table and "[" not in table.split("| casualties.f1 ")[1].splitlines()[0]
    assert "| summary.coverage " in table and "–" in table.split("| summary.coverage ")[1].splitlines()[0]
    assert "<h2>Metrics</h2>" in render_html(old)
    comparison = compare_runs(old["runs"][1], report["runs"][2])
    assert comparison["casualties.recall"]["delta"] < 0
