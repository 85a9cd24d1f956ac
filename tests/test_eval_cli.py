"""``summarize eval`` end to end: the rules baseline offline, thresholds, the oracle model
through a cassette, two prompts compared, repeats, the shared cache, saved reports.

The oracle (tests/fake_openai.py ``oracle``) answers every gold article with its gold
labels; ``test_oracle_run_scores_perfectly`` replays its recording from
tests/cassettes/test_eval_cli/. The other model tests run against the fake server live,
because they check what the server was asked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarize.cli import cli
from summarize.cli.eval_cmd import check_thresholds
from summarize.evaluation.metrics import METRICS
from summarize.evaluation.report import build_report, write_report
from tests.conftest import GOLD_DIR
from tests.fake_openai import Action, Responder, article_text_of, oracle
from tests.test_eval_report import GOLDS, TARGET, gold_records, run
from tests.conftest import subprocess_env


def invoke(*args: str):
    return CliRunner().invoke(cli, ["eval", *args], catch_exceptions=False)


def model_args(server, *extra: str) -> list[str]:
    return ["--backend", "openai", "--base-url", server.base_url, "--model", "gpt-4o-mini",
            "--max-retries", "0", *extra]


def read(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def metric(report: dict, label: str, name: str) -> float | None:
    return next(r for r in report["runs"] if r["label"] == label)["metrics"][name]["mean"]


# ---- usage errors ------------------------------------------------------------------------


def test_list_metrics():
    result = invoke("--list-metrics")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == [m.name for m in METRICS]


@pytest.mark.parametrize("flag, value, message", [
    ("--fail-under", "casualties.f2=0.5", "unknown metric 'casualties.f2'"),
    ("--fail-over", "claims.f1", "expected METRIC=VALUE"),
    ("--fail-under", "claims.f1=high", "'high' is not a number"),
])
def test_a_bad_threshold_is_a_usage_error(flag, value, message):
    result = invoke("--backend", "rules", flag, value)
    assert result.exit_code == 2
    assert message in result.stderr
    if "unknown metric" in message:
        assert "casualties.f1" in result.stderr, "the known metric names are listed"


def test_an_invalid_gold_file_exits_2_naming_it(tmp_path: Path):
    broken = json.loads(next(GOLD_DIR.glob("fakes-*.json")).read_text("utf-8"))
    broken["casualties"] = [{"quantity_text": "12"}]
    (tmp_path / "broken.json").write_text(json.dumps(broken), "utf-8")
    result = invoke("--backend", "rules", "--gold", str(tmp_path))
    assert result.exit_code == 2
    assert "broken.json: casualties[0].outcome: Field required" in result.stderr


def test_the_openai_backend_without_an_endpoint_exits_2():
    result = invoke("--backend", "openai")
    assert result.exit_code == 2 and "OPENAI_API_KEY" in result.stderr


# ---- the rules baseline ------------------------------------------------------------------


def test_rules_baseline_runs_offline_from_any_folder(tmp_path: Path):
    env = {k: v for k, v in subprocess_env().items() if not k.startswith("SUMMARIZE_")}
    env["SUMMARIZE_CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run([sys.executable, "-m", "summarize", "eval", "--backend", "rules",
                             "--report", "r.json"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert f"Loaded {len(GOLDS)} gold articles (" in result.stderr and f"from {GOLD_DIR}" in result.stderr
    for name in ("casualties.f1", "claims.f1", "loaded_terms.f1", "schema_valid_rate"):
        assert f"| {name} " in result.stdout
    report = read(tmp_path / "r.json")
    (baseline,) = report["runs"]
    assert baseline["baseline"] and baseline["provenance"]["backend"] == "rules"
    assert len(baseline["articles"]) == len(GOLDS) >= 30
    assert baseline["metrics"]["schema_valid_rate"]["mean"] == 1.0
    for name, stats in baseline["metrics"].items():
        # Every metric has an interval, and on the gold set each contains its mean: an
        # empirical property of the percentile intervals (none is widened to reach it).
        assert stats["ci95"][0] - 1e-9 <= stats["mean"] <= stats["ci95"][1] + 1e-9, name
        assert stats["n"] == len(GOLDS) and stats["resamples"] == 2000 and stats["seed"] == 15
    assert not any(name.startswith("judge.") for name in baseline["metrics"]), "no judge asked for"
    assert report["command"] == "summarize eval --report r.json --backend rules"
    # the gold copy next to the package is outside this folder: named, not located
    assert report["gold"]["dir"] == ".../evals/gold"
    assert (tmp_path / "r.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    for name in ("r.json", "r.html"):
        text = (tmp_path / name).read_text("utf-8")
        assert str(GOLD_DIR) not in text and str(tmp_path) not in text


def test_auto_without_endpoint_runs_the_baseline_and_says_so():
    result = invoke("--prompt", "neutral-v1")
    assert result.exit_code == 0
    assert "running the rules baseline only" in result.stderr
    assert "--prompt neutral-v1 ignored" in result.stderr
    assert "rules (baseline)" in result.stdout.splitlines()[0]


@pytest.fixture(scope="module")
def rules_report(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("rules") / "rules.json"
    result = CliRunner().invoke(cli, ["eval", "--backend", "rules", "--no-cache", "--report", str(path)])
    assert result.exit_code == 0, result.output
    return read(path)


def test_fail_under_above_the_achieved_value_exits_1_below_exits_0(rules_report):
    achieved = metric(rules_report, "rules", "casualties.f1")
    assert achieved is not None and 0 < achieved < 1
    above = invoke("--backend", "rules", "--fail-under", f"casualties.f1={achieved + 0.01:.4f}")
    assert above.exit_code == 1
    assert f"FAIL: casualties.f1 = {achieved:.4f} is below" in above.stderr
    below = invoke("--backend", "rules", "--fail-under", f"casualties.f1={achieved - 0.01:.4f}",
                   "--fail-under", "schema_valid_rate=1")
    assert below.exit_code == 0, below.stderr
    assert "FAIL" not in below.stderr


def test_fail_over_for_rates_where_lower_is_better(rules_report):
    requests = metric(rules_report, "rules", "requests_per_article")
    assert invoke("--backend", "rules", "--fail-over", f"requests_per_article={requests + 1}").exit_code == 0
    over = invoke("--backend", "rules", "--fail-over", f"requests_per_article={requests - 1}")
    assert over.exit_code == 1 and "FAIL: requests_per_article" in over.stderr


def test_an_undefined_metric_does_not_meet_its_threshold():
    run_entry = {"label": "x", "metrics": {"cost_per_article_usd": {"mean": None}, "claims.f1": {"mean": 0.5}}}
    assert check_thresholds(run_entry, [("cost_per_article_usd", 0.0)], []) == [
        "cost_per_article_usd is undefined (n/a) for run x; threshold 0 not met"]
    assert check_thresholds(run_entry, [("claims.f1", 0.5)], [("claims.f1", 0.5)]) == []


# ---- model runs --------------------------------------------------------------------------


@pytest.mark.vcr
def test_oracle_run_scores_perfectly(fake_server, tmp_path: Path):
    server = fake_server(oracle(GOLD_DIR))
    report_path = tmp_path / "oracle.json"
    result = invoke(*model_args(server, "--prompt", "neutral-v2", "--no-cache", "--report", str(report_path),
                                "--fail-under", "casualties.f1=1", "--fail-under", "claims.f1=1",
                                "--fail-under", "loaded_terms.f1=1"))
    assert result.exit_code == 0, (
        f"{result.stderr}\nThe cassette replays the gold labels as they were when it was recorded; "
        "after a gold file changed, re-record it: python -m pytest tests/test_eval_cli.py -k oracle "
        "--record-mode=rewrite")
    report = read(report_path)
    assert [r["label"] for r in report["runs"]] == ["rules", "neutral-v2"]
    oracle_run = report["runs"][1]
    assert oracle_run["provenance"]["prompt_sha256"] and oracle_run["errors"] == []
    assert f"--base-url {server.base_url}" in report["command"]
    for name in ("precision", "recall", "f1", "exact_span_f1", "source_type_accuracy"):
        assert oracle_run["metrics"][f"claims.{name}"]["mean"] == 1.0, name
    for name in ("precision", "recall", "f1", "exact_number_accuracy", "stated_by_accuracy"):
        assert oracle_run["metrics"][f"casualties.{name}"]["mean"] == 1.0, name
    for name in ("precision", "recall", "f1"):
        assert oracle_run["metrics"][f"loaded_terms.{name}"]["mean"] == 1.0, name
    assert oracle_run["metrics"]["grounding_rate"]["mean"] == 1.0
    assert oracle_run["metrics"]["invented_number_rate"]["mean"] == 0.0
    assert oracle_run["metrics"]["tokens_per_article"]["mean"] > 0
    assert (tmp_path / "oracle.html").exists()


def _per_prompt(gold_dir: Path) -> Responder:
    """Gold labels for neutral-v2 (its system prompt has an example); neutral-v1 gets
    them without casualty figures."""
    answer_gold = oracle(gold_dir)

    def respond(request: dict, index: int) -> Action:
        action = answer_gold(request, index)
        if "<example>" not in request["messages"][0]["content"]:
            action.payload = {**action.payload, "casualties": []}
        return action

    return respond


def test_two_prompts_show_per_article_differences(fake_server, tmp_path: Path):
    server = fake_server(_per_prompt(GOLD_DIR))
    result = invoke(*model_args(server, "-p", "neutral-v2", "-p", "neutral-v1", "--report",
                                str(tmp_path / "two.json")))
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 2 * len(GOLDS)
    assert "### neutral-v2 → neutral-v1" in result.stdout
    assert "| casualties.f1 | 1.000 | 0.000 | -1.000 ▼ | [-1.000, -1.000] | <0.001 * |" in result.stdout
    assert "| claims.f1 | 1.000 | 1.000 | +0.000 | [+0.000, +0.000] | 1.000 |" in result.stdout
    with_figures = [g for g in GOLDS if g.casualties]
    assert f"Articles that moved, most first ({len(with_figures)} changed" in result.stdout
    assert f"casualties found only by neutral-v2: {TARGET.casualties[0].quantity_text!r}" in result.stdout
    comparison = read(tmp_path / "two.json")["comparison"]
    assert {a["id"] for a in comparison["articles"]} == {g.id for g in with_figures}


def _worse_when_asked_again(gold_dir: Path) -> Responder:
    """Gold labels the first time an article is asked; without figures afterwards."""
    answer_gold, seen, lock = oracle(gold_dir), Counter(), threading.Lock()

    def respond(request: dict, index: int) -> Action:
        action = answer_gold(request, index)
        with lock:
            seen[article_text_of(request)] += 1
            again = seen[article_text_of(request)] > 1
        if again:
            action.payload = {**action.payload, "casualties": []}
        return action

    return respond


def test_repeat_reports_mean_and_spread_with_fresh_answers(fake_server, tmp_path: Path):
    server = fake_server(_worse_when_asked_again(GOLD_DIR))
    result = invoke(*model_args(server, "--repeat", "2", "--report", str(tmp_path / "rep.json")))
    assert result.exit_code == 0, result.stderr
    assert "the rules baseline is deterministic" in result.stderr
    assert len(server.requests) == 2 * len(GOLDS), "the second repeat bypasses the cache"
    run_entry = read(tmp_path / "rep.json")["runs"][1]
    assert run_entry["repeat"] == 2
    recall = run_entry["metrics"]["casualties.recall"]
    assert recall["values"] == [1.0, 0.0] and recall["mean"] == 0.5
    assert recall["std"] == pytest.approx(0.7071, abs=1e-4)
    row = next(line for line in result.stdout.splitlines() if line.startswith("| casualties.recall "))
    assert "0.500 ± 0.707" in row


def test_a_second_eval_answers_from_the_shared_cache(fake_server, tmp_path: Path):
    server = fake_server(oracle(GOLD_DIR))
    first = invoke(*model_args(server, "--report", str(tmp_path / "first.json")))
    assert first.exit_code == 0 and len(server.requests) == len(GOLDS)
    second = invoke(*model_args(server, "--report", str(tmp_path / "second.json")))
    assert second.exit_code == 0
    assert len(server.requests) == len(GOLDS), "every answer came from the cache"
    assert f"{len(GOLDS)} answers from the cache" in second.stderr
    before, after = read(tmp_path / "first.json"), read(tmp_path / "second.json")
    assert after["runs"][1]["cached_records"] == len(GOLDS)
    assert after["runs"][0]["cached_records"] == 0, "the rules baseline always runs the current code"
    for name in ("casualties.f1", "tokens_per_article", "cost_per_article_usd"):
        assert metric(after, "neutral-v2", name) == metric(before, "neutral-v2", name), name


# ---- comparing saved reports -------------------------------------------------------------


def test_compare_two_saved_reports(tmp_path: Path):
    old = build_report([run("rules", [gold_records()], baseline=True), run("v1", [gold_records()])], GOLDS)
    new = build_report([run("rules", [gold_records()], baseline=True),
                        run("v2", [gold_records(drop_figures_of=TARGET.id)])], GOLDS)
    write_report(old, tmp_path / "old.json")
    write_report(new, tmp_path / "new.json")
    result = invoke("--compare", str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    assert result.exit_code == 0
    assert "### v1 → v2" in result.stdout and f"**{TARGET.id}**" in result.stdout
    assert "Articles that moved, most first (1 changed" in result.stdout
    gate = invoke("--compare", str(tmp_path / "old.json"), str(tmp_path / "new.json"),
                  "--fail-under", "casualties.recall=1")
    assert gate.exit_code == 1 and "(run v2)" in gate.stderr


def test_the_report_never_holds_credentials_from_the_base_url(tmp_path: Path):
    path = tmp_path / "r.json"
    result = invoke("--backend", "rules", "--base-url", "http://user:pw-s3cret@127.0.0.1:9/v1?key=s3cret",
                    "--report", str(path))
    assert result.exit_code == 0
    text = path.read_text("utf-8") + tmp_path.joinpath("r.html").read_text("utf-8")
    assert "s3cret" not in text
    assert "--base-url http://127.0.0.1:9/v1" in read(path)["command"]
