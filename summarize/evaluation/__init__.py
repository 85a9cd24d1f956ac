"""Evaluation: score backends and prompt versions against the hand-labelled gold set.

    >>> from summarize import Settings
    >>> from summarize.evaluation import build_report, load_gold, plan_runs, run_eval, select_split
    >>> golds = select_split(load_gold("evals/gold"), "dev")
    >>> specs, notices = plan_runs(Settings(backend="rules"), [])
    >>> report = build_report(run_eval(specs, golds), golds, split="dev")
    >>> report["runs"][0]["metrics"]["casualties.f1"]["ci95"]

Modules: gold (load and check gold files, splits), scorers (one per field),
summary_quality (deterministic checks of the summary text), metrics (aggregation, mean
and spread over repeats), statistics (bootstrap intervals and paired tests over
articles), runner (run configurations over the gold set), outlets (metrics by outlet),
report (JSON, markdown, HTML), compare (paired comparison of two runs), agreement
(inter-pass agreement of the gold labels), judge (the optional model judge).
"""

from summarize.evaluation.agreement import agreement_markdown, inter_pass_agreement
from summarize.evaluation.compare import compare_runs, comparison_markdown
from summarize.evaluation.gold import GoldArticle, GoldFigure, default_gold_dir, load_gold, load_gold_file, select_split
from summarize.evaluation.judge import JudgeVerdict, Rubric, judge_results, judge_section, list_rubrics, load_rubric
from summarize.evaluation.metrics import METRICS, METRICS_BY_NAME, Metric, MetricStats, compute_metrics
from summarize.evaluation.outlets import by_outlet
from summarize.evaluation.report import build_report, markdown_table, read_report, render_html, write_report
from summarize.evaluation.runner import EvalOptions, RunResult, RunSpec, arun_eval, plan_runs, run_eval
from summarize.evaluation.scorers import Score, Scorer, default_scorers, score_record
from summarize.evaluation.statistics import CountTable, PairedResult, Resampling, bootstrap_intervals, paired_comparison

__all__ = [
    "METRICS",
    "METRICS_BY_NAME",
    "CountTable",
    "EvalOptions",
    "GoldArticle",
    "GoldFigure",
    "JudgeVerdict",
    "Metric",
    "MetricStats",
    "PairedResult",
    "Resampling",
    "Rubric",
    "RunResult",
    "RunSpec",
    "Score",
    "Scorer",
    "agreement_markdown",
    "arun_eval",
    "bootstrap_intervals",
    "build_report",
    "by_outlet",
    "compare_runs",
    "comparison_markdown",
    "compute_metrics",
    "default_gold_dir",
    "default_scorers",
    "inter_pass_agreement",
    "judge_results",
    "judge_section",
    "list_rubrics",
    "load_gold",
    "load_gold_file",
    "load_rubric",
    "markdown_table",
    "paired_comparison",
    "plan_runs",
    "read_report",
    "render_html",
    "run_eval",
    "score_record",
    "select_split",
    "write_report",
]
