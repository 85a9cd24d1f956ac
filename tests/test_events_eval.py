"""Scoring a grouping against labels, and the issue's baseline grouping, on invented reports."""

from __future__ import annotations

from summarize.events.evaluate import Label, baseline, pair_scores
from tests.events_records import report


def test_pair_scores_count_pairs_of_labelled_records_only():
    labels = [Label("a", "E1"), Label("b", "E1"), Label("c", "E1"), Label("d", "E2")]
    precision, recall, f1 = pair_scores([["a", "b", "d", "unlabelled"], ["c"]], labels)
    # predicted pairs ab, ad, bd (pairs with an unlabelled record do not count); true ab, ac, bc
    assert (precision, recall) == (1 / 3, 1 / 3) and abs(f1 - 1 / 3) < 1e-9
    assert pair_scores([["a", "b", "c"], ["d"]], labels) == (1.0, 1.0, 1.0)


def test_the_baseline_groups_by_the_articles_date_and_the_first_governorate_named():
    records = [
        report("a", "Air strikes killed 9 people in Saraqeb, Idlib, and 3 in Hama.", published="2017-04-02"),
        report("b", "In Idlib province, warplanes killed 9.", published="2017-04-02", source="Outlet B"),
        report("c", "Hama was shelled; later Idlib was bombed.", published="2017-04-02", source="Outlet C"),
        report("d", "Air strikes killed 9 people in Idlib.", published="2017-04-03", source="Outlet D"),
        report("e", "Published April 3 2017 Air strikes killed 9 people in Idlib.", source="Outlet E"),
        report("f", "Air strikes killed 9 people somewhere.", published="2017-04-02", source="Outlet F"),
    ]
    assert sorted(sorted(g) for g in baseline(records)) == [["a", "b"], ["c"], ["d", "e"], ["f"]]
    # without published dates: a dateline stands in, and an article with none stands alone
    assert sorted(sorted(g) for g in baseline(records, use_published=False)) == [
        ["a"], ["b"], ["c"], ["d"], ["e"], ["f"]]
