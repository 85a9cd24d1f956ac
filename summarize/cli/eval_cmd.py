"""``summarize eval``: score prompt versions and the rules baseline on the gold set."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import click
from click.core import ParameterSource

from summarize.errors import ConfigError
from summarize.cli.display import shown_path
from summarize.cli.options import (FLAT_ENV, batch_options, batch_options_from, env, model_options,
                                   run_settings)
from summarize.evaluation.compare import comparison_markdown, compare_runs
from summarize.evaluation.gold import GoldArticle, default_gold_dir, load_gold
from summarize.evaluation.metrics import METRICS, METRICS_BY_NAME
from summarize.evaluation.report import (
    build_report,
    markdown_table,
    primary_run,
    read_report,
    write_report,
)
from summarize.evaluation.runner import EvalOptions, RunResult, RunSpec, plan_runs, run_eval
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
        value = run["metrics"][name]["mean"]
        if value is None:
            failures.append(f"{name} is undefined (n/a) for run {run['label']}; threshold {limit:g} not met")
        elif kind == "under" and value < limit:
            failures.append(f"{name} = {value:.4f} is below {limit:g} (run {run['label']})")
        elif kind == "over" and value > limit:
            failures.append(f"{name} = {value:.4f} is above {limit:g} (run {run['label']})")
    return failures


def _command_line(ctx: click.Context) -> str:
    """This command with the options given on the command line, for the report;
    credentials and queries are removed from --base-url."""
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
            parts += [flag, *(str(v) for v in one)] if isinstance(one, tuple) else [flag, str(one)]
    return " ".join(shlex.quote(p) if p != ctx.command_path else p for p in parts)


def _metric_list() -> str:
    width = max(len(m.name) for m in METRICS)
    return "\n".join(f"{m.name:<{width}}  {m.description}" for m in METRICS)


@click.command("eval", context_settings=FLAT_ENV)
@click.option("--prompt", "-p", "prompts", multiple=True, metavar="NAME", envvar=env("prompt"),
              help="Prompt version to evaluate with the model backend; repeat for several.  "
                   "[default: SUMMARIZE_PROMPT or neutral-v2]")
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False), envvar=env("gold"),
              help="Gold set folder.  [default: ./evals/gold, else the copy next to the package]")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), envvar=env("report"),
              help="Write the JSON report here and a self-contained HTML page next to it (.html).")
@click.option("--fail-under", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC of the main run is below VALUE; repeatable.")
@click.option("--fail-over", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC of the main run is above VALUE (for rates where lower is better).")
@click.option("--repeat", type=click.IntRange(min=1), default=1, show_default=True,
              help="Run each model configuration N times; tables show mean ± std.")
@click.option("--compare", nargs=2, type=click.Path(dir_okay=False, exists=True), metavar="A.json B.json",
              help="Compare the main runs of two saved reports article by article (runs nothing).")
@click.option("--list-metrics", is_flag=True, help="List every metric name with its definition and exit.")
@model_options
@batch_options
@click.option("-q", "--quiet", is_flag=True,
              help="No progress or notices on stderr; the table and failed thresholds only.")
def eval_(prompts: tuple[str, ...], gold_dir: str | None, report_path: str | None,
          fail_under: tuple[str, ...], fail_over: tuple[str, ...], repeat: int,
          compare: tuple[str, str] | None, list_metrics: bool, quiet: bool,
          **params: Any) -> None:
    """Score prompt versions and the rules baseline on the hand-labelled gold set.

    Runs the rules baseline and, when a model endpoint is configured, one model run per
    --prompt; prints a markdown table (rows: metrics, columns: runs) to stdout. With two
    prompts it also prints their per-article differences. The main run (for thresholds)
    is the first model run, or the baseline when only rules run.

    \b
    Exit codes: 0 every threshold met; 1 a threshold not met; 2 usage error, unknown
    metric name or invalid gold file.

    \b
    Examples:
      summarize eval --backend rules --report evals/runs/rules.json
      summarize eval -p neutral-v1 -p neutral-v2 --report evals/runs/v1-v2.json
      summarize eval --fail-under casualties.f1=0.6 --fail-over invented_number_rate=0.02
      summarize eval --compare evals/runs/old.json evals/runs/new.json
    """
    if list_metrics:
        click.echo(_metric_list())
        return

    def notice(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    under = _parse_thresholds(fail_under, "--fail-under")
    over = _parse_thresholds(fail_over, "--fail-over")

    if compare:
        old, new = (read_report(path) for path in compare)
        if old["gold"]["sha256"] != new["gold"]["sha256"]:
            notice("Note: the two reports were made on different gold sets; only shared "
                   "articles are compared")
        comparison = compare_runs(primary_run(old), primary_run(new), gold_items=new["gold"]["items"])
        click.echo(comparison_markdown(comparison))
        _exit_for(check_thresholds(primary_run(new), under, over))
        return

    batch = batch_options_from(params)
    with run_settings(params) as settings:
        if (under or over) and settings.backend == "auto" and settings.resolved_backend() == "rules":
            # In CI a missing secret must not turn a model gate into a baseline gate.
            raise ConfigError(
                "--fail-under/--fail-over: no model endpoint is configured (OPENAI_API_KEY, "
                "OPENAI_BASE_URL or --base-url), so there is no model run to gate; to gate "
                "the rules baseline, pass --backend rules")
        folder = gold_dir or shown_path(default_gold_dir())
        golds = load_gold(folder)
        notice(f"Loaded {len(golds)} gold articles ({sum(len(g.claims) for g in golds)} claims, "
               f"{sum(len(g.casualties) for g in golds)} casualty figures, "
               f"{sum(len(g.loaded_terms) for g in golds)} loaded terms) from {folder}")
        specs, notes = plan_runs(settings, prompts, repeat=repeat)
        for note in notes:
            notice(f"Note: {note}")
        results = [_run_one(spec, golds, EvalOptions(batch=batch), quiet=quiet) for spec in specs]

    model_runs = [r for r in results if not r.is_baseline]
    report = build_report(results, golds, gold_dir=folder, command=_command_line(click.get_current_context()))
    if len(model_runs) >= 2:
        entries = {run["label"]: run for run in report["runs"]}
        report["comparison"] = compare_runs(entries[model_runs[0].label], entries[model_runs[1].label],
                                            gold_items=report["gold"]["items"])
    click.echo(markdown_table(report))
    if report["comparison"]:
        click.echo("")
        click.echo(comparison_markdown(report["comparison"]))
    if report_path:
        json_path, html_path = write_report(report, report_path)
        notice(f"Wrote {json_path} and {html_path}")
    _exit_for(check_thresholds(primary_run(report), under, over))


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
