"""Bootstrap intervals and paired tests (summarize.evaluation.statistics) on invented counts."""

from __future__ import annotations

import numpy as np
import pytest

from summarize.evaluation.metrics import compute_metrics, sum_counts
from summarize.evaluation.statistics import (
    CountTable,
    Resampling,
    bootstrap_intervals,
    paired_comparison,
)


def figures(gold: int, pred: int, matched: int) -> dict:
    return {"casualties": {"gold": gold, "pred": pred, "matched": matched, "exact": matched, "stated_by": matched}}


#: Ten articles, one repeat each, (gold, matched) figures; as many predicted as gold.
FOUND = [(20, 20), (2, 1), (3, 1), (4, 4), (5, 2), (1, 0), (6, 5), (2, 2), (7, 3), (3, 0)]
RUN = [[figures(gold, gold, matched)] for gold, matched in FOUND]


def test_the_point_figure_is_the_micro_average_not_a_mean_of_articles():
    point = CountTable(RUN).point()
    assert point["casualties.f1"] == pytest.approx(38 / 53)
    assert point["casualties.f1"] == pytest.approx(compute_metrics(sum_counts(a[0] for a in RUN))["casualties.f1"])
    mean_of_articles = sum(m / g for g, m in FOUND) / len(FOUND)
    assert abs(point["casualties.f1"] - mean_of_articles) > 0.1


def test_a_resample_recomputes_the_metric_from_the_drawn_articles_counts():
    table = CountTable(RUN)
    rng = np.random.default_rng(7)
    weights = rng.multinomial(10, np.full(10, 0.1), size=3).astype(float)
    resampled = table.figures(weights)["casualties.f1"]
    for row, drawn in zip(weights, resampled, strict=True):
        counts = [RUN[i][0] for i, times in enumerate(row) for _ in range(int(times))]
        assert drawn == pytest.approx(compute_metrics(sum_counts(counts))["casualties.f1"])


def test_every_interval_contains_its_figure_and_is_deterministic_given_the_seed():
    table = CountTable(RUN)
    first = bootstrap_intervals(table, Resampling(resamples=500, seed=3))
    again = bootstrap_intervals(table, Resampling(resamples=500, seed=3))
    other = bootstrap_intervals(table, Resampling(resamples=500, seed=4))
    assert first == again and first != other
    point = table.point()
    for name, interval in first.items():
        if point[name] is None:
            assert interval is None, name
        else:
            assert interval[0] <= point[name] <= interval[1], name
    low, high = first["casualties.f1"]
    assert 0.4 < low < point["casualties.f1"] < high < 1.0


def test_an_undefined_metric_has_no_interval():
    nothing_predicted = [[figures(2, 0, 0)] for _ in range(5)]
    intervals = bootstrap_intervals(CountTable(nothing_predicted), Resampling(resamples=100))
    assert intervals["casualties.precision"] is None
    assert intervals["casualties.recall"] == [0.0, 0.0]
    assert intervals["claims.f1"] is None, "no claims field at all"


def test_repeats_are_resampled_too():
    # Every article is the same; only the repeats differ: half the repeats find everything.
    steady = [[figures(2, 2, 2)] for _ in range(8)]
    flaky = [[figures(2, 2, 2), figures(2, 2, 0)] for _ in range(8)]
    assert bootstrap_intervals(CountTable(steady), Resampling(resamples=300))["casualties.recall"] == [1.0, 1.0]
    low, high = bootstrap_intervals(CountTable(flaky), Resampling(resamples=300))["casualties.recall"]
    assert CountTable(flaky).point()["casualties.recall"] == 0.5
    assert low == 0.0 and high == 1.0, "with two repeats a resample may draw either one twice"


def test_a_run_compared_with_itself_has_delta_0_and_p_1():
    result = paired_comparison(RUN, RUN, Resampling(resamples=300))
    for name, paired in result.items():
        if paired.delta is None:
            continue
        assert paired.delta == 0 and paired.p_value == 1.0 and paired.ci95 == [0.0, 0.0], name
        assert not paired.significant and paired.n == 10


def _worse_on(count: int, articles: int = 30) -> tuple[list, list]:
    a = [[figures(3, 3, 3)] for _ in range(articles)]
    b = [[figures(3, 3, 1)] if i < count else [figures(3, 3, 3)] for i in range(articles)]
    return a, b


def test_a_difference_on_a_few_articles_is_not_significant():
    a, b = _worse_on(2)
    paired = paired_comparison(a, b)["casualties.recall"]
    assert paired.delta == pytest.approx(-4 / 90)
    assert paired.p_value > 0.05 and not paired.significant
    assert paired.ci95[0] <= paired.delta <= paired.ci95[1] and paired.ci95[1] == 0.0


def test_a_difference_on_most_articles_is_significant():
    a, b = _worse_on(20)
    paired = paired_comparison(a, b)["casualties.recall"]
    assert paired.delta == pytest.approx(-40 / 90)
    assert paired.p_value < 0.01 and paired.significant
    assert paired.ci95[1] < 0


def test_runs_with_different_repeats_are_compared_on_pooled_counts():
    a = [[figures(3, 3, 3)] for _ in range(12)]
    b = [[figures(3, 3, 0), figures(3, 3, 0)] for _ in range(12)]
    paired = paired_comparison(a, b, Resampling(resamples=200))["casualties.recall"]
    assert paired.delta == -1.0 and paired.significant
    assert paired.p_value == pytest.approx(1 / 201), "no shuffle is as far from 0 as the observed delta"
