"""Evaluation: score backends and prompt versions against the hand-labelled gold set.

    >>> from summarize import Settings
    >>> from summarize.evaluation import build_report, load_gold, plan_runs, run_eval
    >>> golds = load_gold("evals/gold")
    >>> specs, notices = plan_runs(Settings(backend="rules"), [])
    >>> report = build_report(run_eval(specs, golds), golds)
    >>> report["runs"][0]["metrics"]["casualties.f1"]["mean"]

Modules: gold (load and check gold files), scorers (one per field), metrics (aggregation,
mean and spread over repeats), runner (run configurations over the gold set), report
(JSON, markdown, HTML), compare (per-article differences between two runs).
"""

from summarize.evaluation.compare import compare_runs, comparison_markdown
from summarize.evaluation.gold import GoldArticle, GoldFigure, default_gold_dir, load_gold, load_gold_file
from summarize.evaluation.metrics import METRICS, METRICS_BY_NAME, Metric, MetricStats, compute_metrics
from summarize.evaluation.report import build_report, markdown_table, read_report, render_html, write_report
from summarize.evaluation.runner import EvalOptions, RunResult, RunSpec, arun_eval, plan_runs, run_eval
from summarize.evaluation.scorers import Score, Scorer, default_scorers, score_record

__all__ = [
    "METRICS",
    "METRICS_BY_NAME",
    "EvalOptions",
    "GoldArticle",
    "GoldFigure",
    "Metric",
    "MetricStats",
    "RunResult",
    "RunSpec",
    "Score",
    "Scorer",
    "arun_eval",
    "build_report",
    "compare_runs",
    "comparison_markdown",
    "compute_metrics",
    "default_gold_dir",
    "default_scorers",
    "load_gold",
    "load_gold_file",
    "markdown_table",
    "plan_runs",
    "read_report",
    "render_html",
    "run_eval",
    "score_record",
    "write_report",
]
