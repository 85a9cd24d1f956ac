"""Is B better than A, and where: paired comparisons of saved runs and of two prompts,
the significance gate, the dev/test split and the inter-pass agreement of the gold labels."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarize.cli import cli
from summarize.evaluation.agreement import inter_pass_agreement
from summarize.evaluation.gold import load_gold
from summarize.evaluation.report import build_report, write_report
from tests.conftest import GOLD_DIR
from tests.fake_openai import Action, Responder, oracle
from tests.test_eval_report import GOLDS, gold_records, run

WITH_FIGURES = [g for g in GOLDS if len(g.casualties) >= 1]


def invoke(*args: str):
    return CliRunner().invoke(cli, ["eval", *args], catch_exceptions=False)


def read(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def saved(path: Path, label: str, *, drop_figures_of: set[str] = frozenset()) -> Path:
    """A saved report whose main run is the gold labels, less the casualty figures of
    the articles ``drop_figures_of``."""
    records = gold_records()
    for record in records:
        if record.id in drop_figures_of:
            record.summary.casualties.clear()
    write_report(build_report([run("rules", [gold_records()], baseline=True), run(label, [records])], GOLDS), path)
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    return {
        "a": saved(folder / "a.json", "before"),
        "few": saved(folder / "few.json", "after", drop_figures_of={g.id for g in WITH_FIGURES[:2]}),
        "most": saved(folder / "most.json", "after", drop_figures_of={g.id for g in WITH_FIGURES[:-3]}),
    }


# ---- saved runs --------------------------------------------------------------------------


def test_a_report_compared_with_itself_has_delta_0_and_p_1_for_every_metric(reports, tmp_path: Path):
    result = invoke("--compare", str(reports["a"]), str(reports["a"]), "--report", str(tmp_path / "c.json"))
    assert result.exit_code == 0, result.stderr
    comparison = read(tmp_path / "c.json")["comparison"]
    assert comparison["a"] == "A: before" and comparison["b"] == "B: before"
    names = [m["name"] for m in read(reports["a"])["metrics"]]
    compared = [name for name in names if name in comparison]
    assert compared == [name for name in names if not name.startswith("judge.")], "no judge, no judge metrics"
    for name in compared:
        if comparison[name]["a"] is None:  # cost_per_article_usd: no price for the fake model
            assert comparison[name]["delta"] is None and comparison[name]["p_value"] is None, name
            continue
        assert comparison[name]["delta"] == 0 and comparison[name]["p_value"] == 1, name
        assert comparison[name]["ci95"] == [0, 0] and comparison[name]["n"] == len(GOLDS), name
    assert (tmp_path / "c.html").read_text("utf-8").count("A: before") > 1


def test_runs_differing_on_a_few_articles_are_not_significantly_different(reports):
    result = invoke("--compare", str(reports["a"]), str(reports["few"]), "--fail-if-worse", "casualties.f1")
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("| casualties.f1 |"))
    assert "▼" in row and not row.rstrip(" |").endswith("*"), row
    assert "Articles that moved, most first (2 changed" in result.stdout


def test_runs_differing_on_most_articles_are_significantly_different(reports):
    result = invoke("--compare", str(reports["a"]), str(reports["most"]), "--fail-if-worse", "casualties.f1",
                    "--fail-if-worse", "claims.f1")
    assert result.exit_code == 1
    row = next(line for line in result.stdout.splitlines() if line.startswith("| casualties.f1 |"))
    assert row.rstrip(" |").endswith("*"), row
    assert "FAIL: casualties.f1 is significantly worse" in result.stderr
    assert "claims.f1" not in result.stderr, "claims did not change"


def test_a_better_b_never_fails_the_gate(reports):
    result = invoke("--compare", str(reports["most"]), str(reports["a"]), "--fail-if-worse", "casualties.f1")
    assert result.exit_code == 0, result.stderr


def test_the_seed_and_resamples_are_recorded_and_make_the_result_repeatable(reports, tmp_path: Path):
    for name in ("one", "two"):
        invoke("--compare", str(reports["a"]), str(reports["few"]), "--resample-seed", "7", "--resamples", "500",
               "--report", str(tmp_path / f"{name}.json"))
    one, two = read(tmp_path / "one.json")["comparison"], read(tmp_path / "two.json")["comparison"]
    assert one["casualties.f1"] == two["casualties.f1"]
    assert one["resampling"]["seed"] == 7 and one["resampling"]["resamples"] == 500


@pytest.mark.parametrize("args, message", [
    (["--fail-if-worse", "claims.f2"], "unknown metric 'claims.f2'"),
    (["--fail-if-worse", "summary.words_per_summary"], "no better direction"),
    (["--backend", "rules", "--fail-if-worse", "claims.f1"], "--fail-if-worse needs a comparison"),
])
def test_fail_if_worse_usage_errors(args, message):
    result = invoke(*args)
    assert result.exit_code == 2 and message in result.stderr


def test_a_baseline_report_is_compared_with_the_new_run(reports):
    result = invoke("--backend", "rules", "--baseline-report", str(reports["a"]),
                    "--fail-if-worse", "casualties.f1")
    # the saved run is the gold labels: the rules baseline is significantly worse
    assert result.exit_code == 1
    assert "### before → rules" in result.stdout
    assert "FAIL: casualties.f1 is significantly worse: " in result.stderr


# ---- two prompts through the model path --------------------------------------------------


def _fewer_figures_for_v1(gold_dir: Path, articles: set[str]) -> Responder:
    """Gold labels for every article; neutral-v1 (no <example> in its system prompt)
    answers the articles ``articles`` without casualty figures."""
    answer_gold = oracle(gold_dir)
    texts = {g.text.strip() for g in GOLDS if g.id in articles}

    def respond(request: dict, index: int) -> Action:
        action = answer_gold(request, index)
        v1 = "<example>" not in request["messages"][0]["content"]
        if v1 and request["messages"][1]["content"].split("<article>\n", 1)[1].rsplit("\n</article>", 1)[0].strip() in texts:
            action.payload = {**action.payload, "casualties": []}
        return action

    return respond


@pytest.mark.parametrize("changed, significant", [(2, False), (len(WITH_FIGURES) - 2, True)])
def test_two_prompts_are_compared_with_a_significance_test(fake_server, tmp_path: Path, changed, significant):
    server = fake_server(_fewer_figures_for_v1(GOLD_DIR, {g.id for g in WITH_FIGURES[:changed]}))
    result = invoke("--backend", "openai", "--base-url", server.base_url, "--max-retries", "0", "--no-cache",
                    "-p", "neutral-v2", "-p", "neutral-v1", "--fail-if-worse", "casualties.recall",
                    "--report", str(tmp_path / "two.json"))
    assert result.exit_code == (1 if significant else 0), result.stderr
    row = read(tmp_path / "two.json")["comparison"]["casualties.recall"]
    assert row["delta"] < 0 and row["significant"] is significant and row["n"] == len(GOLDS)
    assert row["ci95"][0] <= row["delta"] <= row["ci95"][1]


# ---- the split ---------------------------------------------------------------------------


@pytest.fixture
def split_gold(tmp_path: Path) -> Path:
    """A copy of the gold set in which five articles are marked test, the others dev."""
    folder = tmp_path / "gold"
    shutil.copytree(GOLD_DIR, folder)
    for number, path in enumerate(sorted(folder.glob("*.json"))):
        data = json.loads(path.read_text("utf-8"))
        data["split"] = "test" if number < 5 else "dev"
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return folder


@pytest.mark.parametrize("split, count", [("test", 5), ("dev", len(GOLDS) - 5), ("all", len(GOLDS))])
def test_split_runs_that_split_alone(split_gold: Path, tmp_path: Path, split, count):
    result = invoke("--backend", "rules", "--gold", str(split_gold), "--split", split,
                    "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.stderr
    report = read(tmp_path / "r.json")
    expected = {g.id for g in load_gold(split_gold) if split == "all" or g.split == split}
    assert {a["id"] for a in report["runs"][0]["articles"]} == expected and len(expected) == count
    assert report["gold"]["split"] == split and report["gold"]["articles"] == count
    row = next(line for line in result.stdout.splitlines() if line.startswith("| split · articles / repeats "))
    assert f"| {split} · {count} / 1 " in row
    assert report["runs"][0]["metrics"]["claims.f1"]["n"] == count


def test_a_split_with_no_article_is_a_usage_error(tmp_path: Path):
    folder = tmp_path / "gold"
    shutil.copytree(GOLD_DIR, folder)
    for path in folder.glob("*.json"):
        data = json.loads(path.read_text("utf-8"))
        data["split"] = "dev"
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = invoke("--backend", "rules", "--gold", str(folder), "--split", "test")
    assert result.exit_code == 2 and 'no gold article has "split": "test"' in result.stderr


# ---- inter-pass agreement ----------------------------------------------------------------


@pytest.fixture
def two_pass_gold(tmp_path: Path) -> Path:
    """Three gold files with a first_pass: the first pass missed one claim of each file
    and named another stated_by for the first figure of one."""
    folder = tmp_path / "gold"
    folder.mkdir()
    chosen = [g for g in GOLDS if len(g.claims) >= 2 and g.casualties][:3]
    for number, gold in enumerate(chosen):
        data = json.loads(Path(gold.path).read_text("utf-8"))
        first = {"claims": data["claims"][1:], "casualties": json.loads(json.dumps(data["casualties"])),
                 "loaded_terms": data["loaded_terms"]}
        if number == 0:
            first["casualties"][0]["stated_by"] = "Zyxwv Qutnews Bureau"
        data["first_pass"] = first
        (folder / Path(gold.path).name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return folder


def test_agreement_scores_the_first_pass_against_the_final_one(two_pass_gold: Path):
    golds = load_gold(two_pass_gold)
    agreement = inter_pass_agreement(golds)
    claims = sum(len(g.claims) for g in golds)
    assert agreement["articles"] == 3
    assert agreement["items"]["first_pass"]["claims"] == claims - 3 and agreement["items"]["final"]["claims"] == claims
    metrics = {name: row["value"] for name, row in agreement["metrics"].items()}
    assert metrics["claims.precision"] == 1.0 and metrics["claims.recall"] == pytest.approx((claims - 3) / claims)
    assert metrics["casualties.f1"] == 1.0
    figures = sum(len(g.casualties) for g in golds)
    assert metrics["casualties.stated_by_accuracy"] == pytest.approx((figures - 1) / figures)
    low, high = agreement["metrics"]["claims.recall"]["ci95"]
    assert low <= metrics["claims.recall"] <= high


def test_eval_agreement_prints_it_and_the_report_keeps_it(two_pass_gold: Path, tmp_path: Path):
    result = invoke("--agreement", "--gold", str(two_pass_gold))
    assert result.exit_code == 0, result.stderr
    assert "Inter-pass agreement" in result.stdout and "| claims.recall |" in result.stdout
    run_ = invoke("--backend", "rules", "--gold", str(two_pass_gold), "--report", str(tmp_path / "r.json"))
    assert run_.exit_code == 0
    assert "Inter-pass agreement of the gold labels (3 articles with a first pass): claims.f1 " in run_.stdout
    assert read(tmp_path / "r.json")["agreement"]["articles"] == 3
    assert "Inter-pass agreement" in (tmp_path / "r.html").read_text("utf-8")


def test_agreement_without_a_first_pass_is_a_usage_error(tmp_path: Path):
    folder = tmp_path / "gold"
    folder.mkdir()
    shutil.copy(GOLDS[0].path, folder)
    result = invoke("--agreement", "--gold", str(folder))
    assert result.exit_code == 2 and "has a first_pass" in result.stderr


def test_independent_labels_beside_the_gold_folder_are_scored_against_it(two_pass_gold: Path):
    independent = two_pass_gold.parent / "agreement"
    independent.mkdir()
    gold = next(g for g in load_gold(two_pass_gold) if len(g.casualties) >= 2)
    data = json.loads(Path(gold.path).read_text("utf-8"))
    del data["first_pass"]
    data["casualties"] = data["casualties"][1:]  # the independent labeller missed one figure
    (independent / Path(gold.path).name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = invoke("--agreement", "--gold", str(two_pass_gold))
    assert result.exit_code == 0, result.stderr
    section = result.stdout.split("Independent agreement", 1)[1]
    assert "(1 articles;" in section
    recall = next(line for line in section.splitlines() if line.startswith("| casualties.recall |"))
    assert f"{(len(gold.casualties) - 1) / len(gold.casualties):.3f}" in recall
