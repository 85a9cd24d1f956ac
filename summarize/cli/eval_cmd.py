"""``summarize eval``: score prompt versions and the rules baseline on the gold set."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import click
from click.core import ParameterSource

from summarize.errors import ConfigError
from summarize.cli.display import recorded_path, shown_path
from summarize.cli.options import (FLAT_ENV, batch_options, batch_options_from, env, model_options,
                                   run_settings)
from summarize.evaluation.agreement import (agreement_line, agreement_markdown, inter_pass_agreement,
                                            with_independent_passes)
from summarize.evaluation.compare import comparison_markdown, compare_runs, worse
from summarize.evaluation.gold import SPLITS, GoldArticle, default_gold_dir, load_gold, select_split
from summarize.evaluation.judge import (
    DEFAULT_RUBRIC,
    judge_markdown,
    judge_results,
    judge_section,
    judge_settings,
    load_rubric,
)
from summarize.evaluation.metrics import METRICS, METRICS_BY_NAME
from summarize.evaluation.outlets import by_outlet
from summarize.evaluation.report import (
    add_intervals,
    build_report,
    comparison_report,
    markdown_table,
    outlets_markdown,
    primary_run,
    read_report,
    write_report,
)
from summarize.evaluation.runner import EvalOptions, RunResult, RunSpec, plan_runs, run_eval
from summarize.evaluation.statistics import DEFAULT_RESAMPLES, DEFAULT_SEED, Resampling
from summarize.pipeline import public_url
from summarize.batch.progress import BatchProgress, BatchTally

Threshold = tuple[str, float]


def _parse_thresholds(values: Sequence[str], flag: str) -> list[Threshold]:
    """``METRIC=VALUE`` pairs; a usage error (exit 2) for an unknown metric or a bad value."""
    parsed = []
    for value in values:
        name, sep, number = value.partition("=")
        name = name.strip()
        if not sep:
            raise click.BadParameter(f"expected METRIC=VALUE, got {value!r}", param_hint=flag)
        if name not in METRICS_BY_NAME:
            known = ", ".join(METRICS_BY_NAME)
            raise click.BadParameter(f"unknown metric {name!r}; known metrics: {known}", param_hint=flag)
        try:
            parsed.append((name, float(number)))
        except ValueError:
            raise click.BadParameter(f"{number!r} is not a number (in {value!r})", param_hint=flag) from None
    return parsed


def check_thresholds(run: dict[str, Any], under: list[Threshold], over: list[Threshold]) -> list[str]:
    """Messages for every threshold the run does not meet (an undefined metric fails)."""
    failures = []
    checks = [(name, limit, "under") for name, limit in under] + [(name, limit, "over") for name, limit in over]
    for name, limit, kind in checks:
        value = (run["metrics"].get(name) or {}).get("mean")  # a judge metric of a run not judged: absent
        if value is None:
            failures.append(f"{name} is undefined (n/a) for run {run['label']}; threshold {limit:g} not met")
        elif kind == "under" and value < limit:
            failures.append(f"{name} = {value:.4f} is below {limit:g} (run {run['label']})")
        elif kind == "over" and value > limit:
            failures.append(f"{name} = {value:.4f} is above {limit:g} (run {run['label']})")
    return failures


def _recorded_value(param: click.Parameter, value: Any) -> str:
    """An option value as the report records it: a path (a click.Path option, or any
    absolute path, such as a rubric file) by summarize.paths.recorded_path."""
    text = str(value)
    if isinstance(param.type, click.Path) or os.path.isabs(text):
        return recorded_path(text)
    return text


def _command_line(ctx: click.Context) -> str:
    """This command with the options given on the command line, for the report;
    credentials and queries are removed from --base-url, and paths are recorded
    relative to the working folder (or shortened when outside it: summarize/paths.py)."""
    parts = [ctx.command_path]
    for param in ctx.command.params:
        source = ctx.get_parameter_source(param.name or "")
        value = ctx.params.get(param.name or "")
        if (not isinstance(param, click.Option) or source != ParameterSource.COMMANDLINE
                or param.name not in ctx.params):  # -v is not a parameter of the run
            continue
        flag = max(param.opts, key=len)
        if param.is_flag:
            parts += [flag] if value else []
            continue
        if param.name == "base_url":
            value = public_url(value)
        values = value if param.multiple else [value]
        for one in values:
            parts += ([flag, *(_recorded_value(param, v) for v in one)] if isinstance(one, tuple)
                      else [flag, _recorded_value(param, one)])
    return " ".join(shlex.quote(p) if p != ctx.command_path else p for p in parts)


def _metric_list() -> str:
    width = max(len(m.name) for m in METRICS)
    return "\n".join(f"{m.name:<{width}}  {m.description}" for m in METRICS)


def _parse_worse(values: Sequence[str]) -> list[str]:
    """Metric names of --fail-if-worse: known, and with a better direction."""
    for name in values:
        if name not in METRICS_BY_NAME:
            known = ", ".join(METRICS_BY_NAME)
            raise click.BadParameter(f"unknown metric {name!r}; known metrics: {known}", param_hint="--fail-if-worse")
        if METRICS_BY_NAME[name].higher_is_better is None:
            raise click.BadParameter(f"{name} has no better direction: it cannot get worse",
                                     param_hint="--fail-if-worse")
    return list(values)


def check_worse(comparison: dict[str, Any] | None, names: Sequence[str]) -> list[str]:
    """Messages for every metric of ``names`` on which B is significantly worse than A."""
    if not names or comparison is None:
        return []
    return [message for name in names if (message := worse(comparison, name))]


def _labelled(run: dict[str, Any], prefix: str, other: dict[str, Any]) -> dict[str, Any]:
    """``run`` with "A: " or "B: " before its label when both runs have the same one."""
    return {**run, "label": f"{prefix}: {run['label']}"} if run["label"] == other["label"] else run


def _with_intervals(run: dict[str, Any], resampling: Resampling) -> dict[str, Any]:
    """A run of a saved report, with intervals and outlets computed when it has none
    (a version 1 report)."""
    if any("ci95" not in stats for stats in run["metrics"].values()) or not run.get("by_outlet"):
        run = {**run, "metrics": {name: dict(stats) for name, stats in run["metrics"].items()}}
        add_intervals(run, resampling)
        run["by_outlet"] = by_outlet(run)
    return run


@click.command("eval", context_settings=FLAT_ENV)
@click.option("--prompt", "-p", "prompts", multiple=True, metavar="NAME", envvar=env("prompt"),
              help="Prompt version to evaluate with the model backend; repeat for several.  "
                   "[default: SUMMARIZE_PROMPT or neutral-v2]")
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False), envvar=env("gold"),
              help="Gold set folder.  [default: ./evals/gold, else the copy next to the package]")
@click.option("--split", type=click.Choice(SPLITS), default="all", show_default=True,
              help="Gold articles to use: dev (iterate prompts and rules on these), test (held back: "
                   "report these) or all.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), envvar=env("report"),
              help="Write the JSON report here and a self-contained HTML page next to it (.html).")
@click.option("--fail-under", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC of the main run is below VALUE; repeatable.")
@click.option("--fail-over", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC of the main run is above VALUE (for rates where lower is better).")
@click.option("--fail-if-worse", multiple=True, metavar="METRIC",
              help="Exit 1 when METRIC of B is significantly worse (p < 0.05) than of A, in the comparison "
                   "this command makes (--compare, --baseline-report, or two prompts); repeatable.")
@click.option("--baseline-report", type=click.Path(dir_okay=False, exists=True), metavar="REPORT.json",
              help="Compare the main run with the main run of this saved report (A: the saved one).")
@click.option("--repeat", type=click.IntRange(min=1), default=1, show_default=True,
              help="Run each model configuration N times; tables show mean ± std, and intervals resample the repeats too.")
@click.option("--compare", nargs=2, type=click.Path(dir_okay=False, exists=True), metavar="A.json B.json",
              help="Compare the main runs of two saved reports (runs nothing): deltas, intervals, p-values, "
                   "articles that moved; with --report, writes the comparison.")
@click.option("--resamples", type=click.IntRange(min=100), default=DEFAULT_RESAMPLES, show_default=True,
              help="Bootstrap resamples for the 95% intervals, and shuffles for the p-values.")
@click.option("--resample-seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True,
              help="Seed of the resampling (intervals and p-values are deterministic given it).")
@click.option("--judge-model", metavar="MODEL",
              help="Also have MODEL (on the same endpoint) grade every summary on a written rubric, "
                   "and report its agreement with the deterministic summary metrics.")
@click.option("--judge-rubric", metavar="NAME", default=DEFAULT_RUBRIC, show_default=True,
              help="The judge's rubric: a name in prompts/judges/ or a path to a .md file.")
@click.option("--agreement", "show_agreement", is_flag=True, envvar=env("agreement"),
              help="Print the inter-pass agreement of the gold labels (each file's first_pass scored "
                   "against its final items), and the independent agreement when an agreement/ folder "
                   "beside the gold folder holds independent labels, and exit.")
@click.option("--list-metrics", is_flag=True, help="List every metric name with its definition and exit.")
@model_options
@batch_options
@click.option("-q", "--quiet", is_flag=True,
              help="No progress or notices on stderr; the table and failed thresholds only.")
def eval_(prompts: tuple[str, ...], gold_dir: str | None, split: str, report_path: str | None,
          fail_under: tuple[str, ...], fail_over: tuple[str, ...], fail_if_worse: tuple[str, ...],
          baseline_report: str | None, repeat: int, compare: tuple[str, str] | None, resamples: int,
          resample_seed: int, judge_model: str | None, judge_rubric: str, show_agreement: bool,
          list_metrics: bool, quiet: bool, **params: Any) -> None:
    """Score prompt versions and the rules baseline on the hand-labelled gold set.

    Runs the rules baseline and, when a model endpoint is configured, one model run per
    --prompt; prints a markdown table (rows: metrics, columns: runs; each figure with its
    95% bootstrap interval over articles) and the key metrics by outlet to stdout. With
    two prompts it also compares them: per metric the delta, its paired 95% interval and
    a p-value (* significant), and the articles that moved. The main run (for thresholds)
    is the first model run, or the baseline when only rules run.

    Iterate prompts and rules on --split dev; report --split test.

    \b
    Exit codes: 0 every threshold met; 1 a threshold not met, or significantly worse
    (--fail-if-worse); 2 usage error, unknown metric name or invalid gold file.

    \b
    Examples:
      summarize eval --backend rules --report evals/runs/rules.json
      summarize eval --split test -p neutral-v2 --report evals/runs/test.json
      summarize eval -p neutral-v1 -p neutral-v2 --fail-if-worse casualties.f1
      summarize eval --fail-under casualties.f1=0.6 --fail-over invented_number_rate=0.02
      summarize eval --compare evals/runs/old.json evals/runs/new.json --report cmp.json
      summarize eval -p neutral-v3 --baseline-report evals/runs/main.json --fail-if-worse claims.f1
      summarize eval --backend rules --judge-model gpt-4o-mini --base-url http://127.0.0.1:8080/v1
      summarize eval --agreement
    """
    if list_metrics:
        click.echo(_metric_list())
        return

    def notice(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    under = _parse_thresholds(fail_under, "--fail-under")
    over = _parse_thresholds(fail_over, "--fail-over")
    worse_names = _parse_worse(fail_if_worse)
    resampling = Resampling(resamples=resamples, seed=resample_seed)
    command = _command_line(click.get_current_context())

    if compare:
        _compare_reports(compare, report_path=report_path, under=under, over=over, worse_names=worse_names,
                         resampling=resampling, command=command, notice=notice)
        return

    folder = gold_dir or shown_path(default_gold_dir())
    if show_agreement:
        golds = select_split(load_gold(folder), split)
        agreement = inter_pass_agreement(golds, resampling)
        if agreement is None:
            raise ConfigError(f"no gold file of {folder} (split {split}) has a first_pass: no agreement to report")
        click.echo(agreement_markdown(agreement))
        independent_dir = Path(folder).parent / "agreement"
        if independent_dir.is_dir() and (independent := with_independent_passes(golds, independent_dir)):
            click.echo("")
            click.echo(agreement_markdown(inter_pass_agreement(independent, resampling), independent=True))
        return

    baseline = read_report(baseline_report) if baseline_report else None
    batch = batch_options_from(params)
    with run_settings(params) as settings:
        if (under or over) and settings.backend == "auto" and settings.resolved_backend() == "rules":
            # In CI a missing secret must not turn a model gate into a baseline gate.
            raise ConfigError(
                "--fail-under/--fail-over: no model endpoint is configured (OPENAI_API_KEY, "
                "OPENAI_BASE_URL or --base-url), so there is no model run to gate; to gate "
                "the rules baseline, pass --backend rules")
        judging = judge_settings(settings, judge_model) if judge_model else None
        rubric = load_rubric(judge_rubric) if judge_model else None
        loaded = load_gold(folder)
        golds = select_split(loaded, split)
        notice(f"Loaded {len(loaded)} gold articles ({sum(len(g.claims) for g in loaded)} claims, "
               f"{sum(len(g.casualties) for g in loaded)} casualty figures, "
               f"{sum(len(g.loaded_terms) for g in loaded)} loaded terms) from {folder}")
        if split != "all":
            notice(f"Split {split}: {len(golds)} of the {len(loaded)} articles")
        specs, notes = plan_runs(settings, prompts, repeat=repeat)
        if worse_names and baseline is None and sum(not spec.is_baseline for spec in specs) < 2:
            raise click.UsageError("--fail-if-worse needs a comparison: --compare A B, --baseline-report "
                                   "REPORT.json, or two --prompt model runs")
        for note in notes:
            notice(f"Note: {note}")
        results = [_run_one(spec, golds, EvalOptions(batch=batch), quiet=quiet) for spec in specs]
        judged = None
        if judging is not None and rubric is not None:
            judge_run = judge_results(results, golds, settings=judging, rubric=rubric, batch=batch)
            judged = judge_section(judge_run, results)
            notice(f"judge {judging.model}: {judge_run.judged} summaries judged, {judge_run.cached} from the "
                   f"cache, {judge_run.errors} errors")

    model_runs = [r for r in results if not r.is_baseline]
    report = build_report(results, golds, gold_dir=folder, command=command, split=split, resampling=resampling)
    report["agreement"] = inter_pass_agreement(golds, resampling)
    report["judge"] = judged
    if len(model_runs) >= 2:
        entries = {run["label"]: run for run in report["runs"]}
        report["comparison"] = compare_runs(entries[model_runs[0].label], entries[model_runs[1].label],
                                            gold_items=report["gold"]["items"], resampling=resampling)
    if baseline is not None:
        saved = _with_intervals(primary_run(baseline), resampling)
        current = primary_run(report)
        report["baseline_comparison"] = compare_runs(
            _labelled(saved, "A", current), _labelled(current, "B", saved),
            gold_items=report["gold"]["items"], resampling=resampling)
    click.echo(markdown_table(report))
    click.echo("")
    click.echo(outlets_markdown(report))
    for key in ("comparison", "baseline_comparison"):
        if report.get(key):
            click.echo("")
            click.echo(comparison_markdown(report[key]))
    if judged:
        click.echo("")
        click.echo(judge_markdown(judged))
    if report["agreement"]:
        click.echo("")
        click.echo(agreement_line(report["agreement"]))
    if report_path:
        json_path, html_path = write_report(report, report_path)
        notice(f"Wrote {json_path} and {html_path}")
    gate = report.get("baseline_comparison") or report.get("comparison")
    _exit_for(check_thresholds(primary_run(report), under, over) + check_worse(gate, worse_names))


def _compare_reports(paths: tuple[str, str], *, report_path: str | None, under: list[Threshold],
                     over: list[Threshold], worse_names: list[str], resampling: Resampling,
                     command: str, notice: Callable[[str], None]) -> None:
    """``eval --compare A B``: compare the main runs of two saved reports."""
    old, new = (read_report(path) for path in paths)
    if old["gold"]["sha256"] != new["gold"]["sha256"]:
        notice("Note: the two reports were made on different gold sets or splits; only shared "
               "articles are compared")
    a, b = (_with_intervals(primary_run(r), resampling) for r in (old, new))
    a, b = _labelled(a, "A", b), _labelled(b, "B", a)
    comparison = compare_runs(a, b, gold_items=new["gold"]["items"], resampling=resampling)
    click.echo(comparison_markdown(comparison))
    if report_path:
        report = comparison_report(old, new, a, b, comparison, paths=paths, command=command,
                                   resampling=resampling)
        json_path, html_path = write_report(report, report_path)
        notice(f"Wrote {json_path} and {html_path}")
    _exit_for(check_thresholds(b, under, over) + check_worse(comparison, worse_names))


def _run_one(spec: RunSpec, golds: list[GoldArticle], options: EvalOptions, *,
             quiet: bool = False) -> RunResult:
    """Run ``spec`` with a progress bar (on a terminal) and a one-line summary on stderr
    (neither when ``quiet``)."""
    tally = BatchTally(total=len(golds) * spec.repeat)
    with BatchProgress(tally, enabled=not quiet) as progress:
        live = replace(options, on_record=lambda label, number, record: progress.add(record))
        (result,) = run_eval([spec], golds, options=live)
    errors = sum(r.status == "error" for rep in result.repeats for r in rep.records)
    cached = sum(r.provenance.cached for rep in result.repeats for r in rep.records)
    seconds = sum(rep.seconds for rep in result.repeats)
    if not quiet:
        click.echo(f"{spec.label}: {len(golds)} articles x {len(result.repeats)} in {seconds:.1f} "
                   f"s, {errors} error records, {cached} answers from the cache", err=True)
    return result


def _exit_for(failures: list[str]) -> None:
    for failure in failures:
        click.echo(f"FAIL: {failure}", err=True)
    sys.exit(1 if failures else 0)
