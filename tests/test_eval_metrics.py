"""Metrics: micro-averaging, undefined values, unknown costs, mean and spread over repeats."""

from __future__ import annotations

import math

import pytest

from summarize.evaluation.metrics import (
    METRICS,
    METRICS_BY_NAME,
    MetricStats,
    compute_metrics,
    family_table,
    stats_over_repeats,
    sum_counts,
)
from summarize.evaluation.scorers import Score


def test_metrics_are_micro_averaged():
    easy = {"casualties": {"gold": 1, "pred": 1, "matched": 1, "exact": 1, "stated_by": 1}}
    hard = {"casualties": {"gold": 3, "pred": 3, "matched": 0, "exact": 0, "stated_by": 0}}
    metrics = compute_metrics(sum_counts([easy, hard]))
    assert metrics["casualties.recall"] == 0.25, "one figure in four, not the mean of 1.0 and 0.0"
    assert metrics["casualties.precision"] == 0.25
    assert metrics["casualties.f1"] == 0.25
    assert metrics["casualties.exact_number_accuracy"] == 1.0, "over matched figures only"


def test_nothing_to_divide_by_is_undefined_not_zero():
    counts = {"casualties": {"gold": 2, "pred": 0, "matched": 0, "exact": 0, "stated_by": 0}}
    metrics = compute_metrics(counts)
    assert metrics["casualties.precision"] is None
    assert metrics["casualties.recall"] == 0.0
    assert metrics["casualties.f1"] == 0.0
    assert metrics["casualties.exact_number_accuracy"] is None
    empty = compute_metrics({"casualties": {"gold": 0, "pred": 0, "matched": 0}})
    assert empty["casualties.f1"] is None


def test_f1_is_the_harmonic_mean():
    counts = {"claims": {"gold": 10, "pred": 4, "matched": 3, "exact_span": 1, "source_type": 3}}
    metrics = compute_metrics(counts)
    p, r = metrics["claims.precision"], metrics["claims.recall"]
    assert metrics["claims.f1"] == pytest.approx(2 * p * r / (p + r))
    assert metrics["claims.exact_span_f1"] == pytest.approx(2 * 1 / 14)


def test_an_unknown_cost_anywhere_makes_the_cost_unknown():
    priced = {"usage": {"articles": 1, "requests": 1, "tokens": 100, "cost_usd": 0.5}}
    unpriced = {"usage": {"articles": 1, "requests": 1, "tokens": 300, "cost_usd": None}}
    assert compute_metrics(sum_counts([priced, priced]))["cost_per_article_usd"] == 0.5
    metrics = compute_metrics(sum_counts([priced, unpriced]))
    assert metrics["cost_per_article_usd"] is None
    assert metrics["tokens_per_article"] == 200


def test_stats_over_repeats():
    stats = MetricStats.of([0.5, 0.7, None])
    assert stats.mean == pytest.approx(0.6)
    assert stats.std == pytest.approx(math.sqrt(0.02))
    assert (stats.min, stats.max) == (0.5, 0.7)
    assert MetricStats.of([0.4]).std == 0.0
    assert MetricStats.of([None, None]).mean is None
    table = stats_over_repeats([{"claims.f1": 0.5}, {"claims.f1": 1.0}])
    assert set(table) == {m.name for m in METRICS}
    assert table["claims.f1"].mean == 0.75 and table["casualties.f1"].mean is None


def test_family_table_sums_over_articles():
    scores = [
        Score(counts={}, extra={"families": {"matched": ["regime"], "missed": ["terrorist"], "spurious": []}}),
        Score(counts={}, extra={"families": {"matched": ["terrorist"], "missed": [], "spurious": ["Daesh"]}}),
    ]
    assert family_table(scores) == {
        "Daesh": {"matched": 0, "missed": 0, "spurious": 1},
        "regime": {"matched": 1, "missed": 0, "spurious": 0},
        "terrorist": {"matched": 1, "missed": 1, "spurious": 0},
    }


def test_every_metric_says_which_way_is_better():
    lower = {m.name for m in METRICS if m.higher_is_better is False}
    assert lower == {"invented_number_rate", "summary.unattributed_loaded_terms",
                     "summary.unattributed_evaluative_terms", "requests_per_article",
                     "tokens_per_article", "cost_per_article_usd", "summary.numbers_not_in_article",
                     "summary.names_not_in_article", "summary.unattributed_figures", "judge.error_rate"}
    neither = {m.name for m in METRICS if m.higher_is_better is None}
    assert neither == {"summary.words_per_summary", "summary.sentences_per_summary"}
    assert all(m.description for m in METRICS) and len(METRICS_BY_NAME) == len(METRICS)
