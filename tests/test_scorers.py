"""Field scorers on hand-made cases, the decisions they document, gold against itself,
and perturbations that must move exactly one metric."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from summarize.evaluation.gold import GoldArticle, load_gold
from summarize.evaluation.metrics import compute_metrics, counts_of, sum_counts
from summarize.evaluation.scorers import (
    casualty_scorer,
    claim_scorer,
    grounding_scorer,
    invented_number_scorer,
    loaded_term_scorer,
    match_one_to_one,
    ranges_overlap,
    same_name,
    same_stated_by,
    score_record,
    summary_terms_scorer,
    term_family,
    token_f1,
    usage_scorer,
)
from summarize.records import ErrorInfo, Record, Usage
from summarize.schema import ArticleSummary, AttributedClaim, CasualtyFigure, LoadedTerm
from tests.conftest import GOLD_DIR

HEADLINE = "Shelling kills 20 to 30 civilians in Douma"
S1 = "Dozens of fighters were killed in the clashes, the army said."
S2 = "Shelling killed 20 to 30 civilians in Douma, the Syrian Observatory for Human Rights said."
S3 = "At least 12 people were killed and wounded in the attack."
S4 = "State news agency SANA said terrorists fired rockets at the city."
TEXT = "\n\n".join([HEADLINE, S1, S2, S3, S4])


def figure(quantity_text: str, outcome: str, low: int | None, high: int | None, stated_by: str,
           quote: str, quantity_type: str = "exact", **extra) -> dict:
    return {"quantity_text": quantity_text, "outcome": outcome, "victims": "people",
            "victim_category": "unknown", "quantity_type": quantity_type, "low": low, "high": high,
            "stated_by": stated_by, "perpetrator": None, "quote": quote, **extra}


def claim(source: str, quote: str, source_type: str = "monitor") -> dict:
    return {"claim": "Something was said.", "source": source, "source_type": source_type,
            "cue": "said", "quote": quote, "direct_quote": False}


GOLD = GoldArticle.model_validate({
    "id": "hand-made",
    "article": {"id": "hand-made", "title": HEADLINE, "source": "Example News", "text": TEXT},
    "claims": [claim("the army", S1, "military"),
               claim("the Syrian Observatory for Human Rights", S2),
               claim("State news agency SANA", S4, "government")],
    "casualties": [
        figure("Dozens", "killed", 12, None, "the army", S1, "vague"),
        figure("20 to 30", "killed", 20, 30, "the Syrian Observatory for Human Rights", S2, "range",
               alt_quotes=[HEADLINE]),
        figure("At least 12", "killed_or_wounded", 12, None, "Example News", S3, "at_least"),
    ],
    "loaded_terms": [{"term": "terrorists", "quote": S4, "neutral_alternative": "militants"}],
})


def record_of(*, claims=(), casualties=(), loaded_terms=(), summary="A neutral summary.") -> Record:
    """A grounded ok record of the hand-made article with these predicted items."""
    predicted = ArticleSummary(
        summary=summary,
        claims=[AttributedClaim.model_validate(c) for c in claims],
        casualties=[CasualtyFigure.model_validate(f) for f in casualties],
        loaded_terms=[LoadedTerm.model_validate(t) for t in loaded_terms],
    )
    return GOLD.to_record(predicted)


def counts(scorer: Callable, record: Record) -> dict:
    return dict(scorer(GOLD, record).counts)


# ---- casualty figures: the documented decisions ---------------------------------------


def test_dozens_matches_24_but_is_not_an_exact_number():
    record = record_of(casualties=[figure("Dozens", "killed", 24, 24, "the army", S1)])
    assert counts(casualty_scorer(), record) == {"gold": 3, "pred": 1, "matched": 1, "exact": 0, "stated_by": 1}


def test_dozens_read_as_12_open_is_exact():
    record = record_of(casualties=[figure("Dozens", "killed", 12, None, "the army", S1, "vague")])
    assert counts(casualty_scorer(), record)["exact"] == 1


def test_a_range_matches_a_number_inside_it_not_outside():
    inside = record_of(casualties=[figure("20 to 30", "killed", 25, 25, "the Observatory", S2)])
    outside = record_of(casualties=[figure("20 to 30", "killed", 31, 31, "the Observatory", S2)])
    assert counts(casualty_scorer(), inside)["matched"] == 1
    assert counts(casualty_scorer(), inside)["exact"] == 0
    assert counts(casualty_scorer(), outside)["matched"] == 0


def test_null_bounds_are_open_ended():
    unread = record_of(casualties=[figure("Dozens", "killed", None, None, "the army", S1)])
    assert counts(casualty_scorer(), unread)["matched"] == 1
    assert counts(casualty_scorer(), unread)["exact"] == 0
    assert ranges_overlap(None, 30, 25, None) and not ranges_overlap(None, 19, 20, 30)


@pytest.mark.parametrize("outcome, matched", [("killed", 0), ("wounded", 0), ("killed_or_wounded", 1)])
def test_killed_or_wounded_matches_neither_killed_nor_wounded(outcome, matched):
    record = record_of(casualties=[figure("At least 12", outcome, 12, None, "Example News", S3)])
    assert counts(casualty_scorer(), record)["matched"] == matched


def test_a_killed_gold_figure_is_not_matched_by_killed_or_wounded():
    record = record_of(casualties=[figure("Dozens", "killed_or_wounded", 12, None, "the army", S1)])
    assert counts(casualty_scorer(), record)["matched"] == 0


def test_evidence_may_be_an_alt_quote_but_not_another_sentence():
    headline = record_of(casualties=[figure("20 to 30", "killed", 20, 30, "Example News", HEADLINE)])
    elsewhere = record_of(casualties=[figure("12", "killed", 20, 30, "the army", S3)])
    assert counts(casualty_scorer(), headline)["matched"] == 1
    assert counts(casualty_scorer(), elsewhere)["matched"] == 0


def test_a_figure_without_span_matches_on_quote_overlap():
    paraphrase = "Shelling killed 20 to 30 civilians in Douma, the Observatory reported on Monday."
    record = record_of(casualties=[figure("20 to 30", "killed", 20, 30, "the Observatory", paraphrase)])
    assert record.summary.casualties[0].span is None
    assert counts(casualty_scorer(), record)["matched"] == 1


def test_one_prediction_per_gold_figure():
    twice = figure("Dozens", "killed", 12, None, "the army", S1)
    record = record_of(casualties=[twice, twice])
    assert counts(casualty_scorer(), record) == {"gold": 3, "pred": 2, "matched": 1, "exact": 1, "stated_by": 1}


@pytest.mark.parametrize("stated_by", ["the outlet", "Example News", "examplenews", "The Outlet"])
def test_every_name_of_the_outlet_is_one_value(stated_by):
    record = record_of(casualties=[figure("At least 12", "killed_or_wounded", 12, None, stated_by, S3)])
    assert counts(casualty_scorer(), record)["stated_by"] == 1


@pytest.mark.parametrize("stated_by, same", [
    ("Britain-based Syrian Observatory for Human Rights", True),
    ("Syrian Observatory for Human Rights (SOHR)", True),
    ("the army", False),
    ("the outlet", False),
])
def test_stated_by_is_fuzzy(stated_by, same):
    record = record_of(casualties=[figure("20 to 30", "killed", 20, 30, stated_by, S2)])
    assert counts(casualty_scorer(), record)["stated_by"] == int(same)


def test_name_rules():
    assert same_name("a military source", "Military sources")
    assert same_name("SANA", "State news agency SANA")
    assert same_name("WHO", "the World Health Organization")
    assert same_name("SOHR", "the Syrian Observatory for Human Rights")
    assert same_name("the UN", "United Nations")
    assert not same_name("UN", "the World Health Organization")
    assert not same_name("State TV", "the Syrian Observatory for Human Rights")
    assert not same_name("", "the army")
    assert same_stated_by("jordantimes", "the outlet", {"the outlet", "jordantimes"})


# ---- claims ----------------------------------------------------------------------------


def test_a_claim_matches_on_quote_overlap_and_a_fuzzy_source():
    clause = "Shelling killed 20 to 30 civilians in Douma"
    record = record_of(claims=[claim("Syrian Observatory", clause),
                               claim("State news agency SANA", S4, "government")])
    assert counts(claim_scorer(), record) == {"gold": 3, "pred": 2, "matched": 2, "exact_span": 1,
                                              "source_type": 2}


def test_a_claim_with_the_wrong_source_or_sentence_is_spurious():
    record = record_of(claims=[claim("State news agency SANA", S2, "government"),
                               claim("the army", S4, "military")])
    assert counts(claim_scorer(), record)["matched"] == 0


def test_a_short_fragment_is_not_enough():
    assert token_f1("the army said", S1) < 0.5
    record = record_of(claims=[claim("the army", "the army said", "military")])
    assert counts(claim_scorer(), record)["matched"] == 0


def test_duplicate_claims_of_one_source_and_sentence_count_once():
    record = record_of(claims=[claim("the army", S1, "military"), claim("The army", S1, "military")])
    score = claim_scorer()(GOLD, record)
    assert score.counts["pred"] == 1 and score.counts["matched"] == 1
    assert any("merged duplicate" in f for f in score.findings)


def test_source_type_accuracy_counts_matched_claims_only():
    record = record_of(claims=[claim("the army", S1, "government")])
    assert counts(claim_scorer(), record)["source_type"] == 0
    assert counts(claim_scorer(), record)["matched"] == 1


# ---- loaded terms, grounding, numbers, summary, usage ---------------------------------


def test_term_families():
    assert term_family("Terrorists") == term_family("terror group") == "terrorist"
    assert term_family("so called") == "so-called"
    assert term_family("Foreign-Backed") == "foreign-backed"
    assert term_family("terror") == "terror", "alone, 'terror' is not in the lexicon"
    assert term_family("terror", quote="It was claimed by the Daesh terror group.") == "terrorist"


def test_loaded_terms_are_scored_by_family():
    record = record_of(loaded_terms=[
        {"term": "terrorist", "quote": S4, "neutral_alternative": "militants"},
        {"term": "terrorists", "quote": S4, "neutral_alternative": "militants"},
        {"term": "regime", "quote": S4, "neutral_alternative": "government"},
    ])
    score = loaded_term_scorer()(GOLD, record)
    assert score.counts == {"gold": 1, "pred": 2, "matched": 1}
    assert score.extra["families"] == {"matched": ["terrorist"], "missed": [], "spurious": ["regime"]}


def test_grounding_counts_items_with_a_span():
    record = record_of(claims=[claim("the army", S1, "military"),
                               claim("the army", "The army said it won the war.", "military")])
    assert counts(grounding_scorer(), record) == {"items": 2, "grounded": 1}


def test_invented_numbers():
    record = record_of(casualties=[figure("25", "killed", 25, 25, "the army", S2),
                                   figure("Dozens", "killed", 12, None, "the army", S1)])
    assert counts(invented_number_scorer(), record) == {"figures": 2, "invented": 1}


@pytest.mark.parametrize("summary, hits", [
    ("Terrorists fired rockets at the city, SANA said.", 1),
    ("SANA said groups it described as \"terrorists\" fired rockets.", 0),
    ("Armed groups fired rockets at the city, according to SANA.", 0),
])
def test_unattributed_loaded_terms_in_the_summary(summary, hits):
    assert counts(summary_terms_scorer(), record_of(summary=summary)) == {
        "summaries": 1, "unattributed": hits, "evaluative": 0}


@pytest.mark.parametrize("summary, loaded, evaluative", [
    ("The army recorded more victories, inflicting heavy losses on terrorist-held areas.", 1, 2),
    ("The army said it recorded more “victories”, SANA reported.", 0, 0),
    ("Government forces took two villages near Aleppo, SANA said.", 0, 0),
])
def test_unattributed_evaluative_terms_and_hyphenated_compounds(summary, loaded, evaluative):
    assert counts(summary_terms_scorer(), record_of(summary=summary)) == {
        "summaries": 1, "unattributed": loaded, "evaluative": evaluative}


def test_unknown_cost_stays_unknown_and_cached_usage_counts():
    record = record_of()
    record.usage = Usage(requests=2, prompt_tokens=100, completion_tokens=50, cost_usd=None)
    assert counts(usage_scorer(), record) == {"articles": 1, "requests": 2, "tokens": 150, "cost_usd": None}
    cached = record_of()
    cached.provenance.cached = True
    cached.provenance.cached_usage = Usage(requests=1, prompt_tokens=10, completion_tokens=5, cost_usd=0.25)
    assert counts(usage_scorer(), cached) == {"articles": 1, "requests": 1, "tokens": 15, "cost_usd": 0.25}


def test_an_error_record_predicts_nothing():
    record = record_of().model_copy(update={"status": "error", "summary": None,
                                            "error": ErrorInfo(type="model_error", message="boom")})
    metrics = compute_metrics(counts_of(score_record(GOLD, record)))
    assert metrics["schema_valid_rate"] == 0.0
    assert metrics["casualties.recall"] == 0.0 and metrics["casualties.precision"] is None
    assert metrics["casualties.f1"] == 0.0


def test_matching_is_maximal():
    # Prediction 0 prefers gold 0, which only prediction 1 can match: both must be paired.
    assert match_one_to_one([[0, 1], [0]]) == {0: 1, 1: 0}
    assert match_one_to_one([[0], [0]]) == {0: 0}


# ---- the gold set against itself, and perturbations -----------------------------------

GOLDS = load_gold(GOLD_DIR)
SCORE_METRICS = [name for name in compute_metrics({}) if name.endswith(("precision", "recall", "f1", "accuracy"))]


def gold_metrics(records: dict[str, Record]) -> dict[str, float | None]:
    return compute_metrics(sum_counts(counts_of(score_record(g, records[g.id])) for g in GOLDS))


@pytest.fixture(scope="module")
def gold_records() -> dict[str, Record]:
    return {g.id: g.to_record() for g in GOLDS}


def test_gold_scored_against_itself_is_perfect(gold_records):
    metrics = gold_metrics(gold_records)
    assert {name: metrics[name] for name in SCORE_METRICS} == {name: 1.0 for name in SCORE_METRICS}
    assert metrics["schema_valid_rate"] == 1.0 and metrics["grounding_rate"] == 1.0
    assert metrics["invented_number_rate"] == 0.0 and metrics["summary.unattributed_loaded_terms"] == 0.0


def test_each_gold_article_against_itself_is_perfect(gold_records):
    for gold in GOLDS:
        scores = score_record(gold, gold_records[gold.id])
        # The summary checks read the summary text, which the gold labels do not have.
        labels = {field: s for field, s in scores.items() if not field.startswith("summary_")}
        assert not [f for s in labels.values() for f in s.findings], gold.id
        values = compute_metrics(counts_of(scores))
        assert all(values[name] in (1.0, None) for name in SCORE_METRICS), gold.id


def _first(predicate: Callable[[GoldArticle, int], bool]) -> tuple[GoldArticle, int]:
    for gold in GOLDS:
        for index in range(len(gold.casualties)):
            if predicate(gold, index):
                return gold, index
    raise AssertionError("no gold figure fits the perturbation")


def _drop_figure(records):
    gold, index = _first(lambda g, i: True)
    del records[gold.id].summary.casualties[index]


def _change_number(records):
    # An open-ended figure read one higher still overlaps its gold reading: only the
    # exact-number check can see the change.
    gold, index = _first(lambda g, i: g.casualties[i].high is None and g.casualties[i].low is not None)
    records[gold.id].summary.casualties[index].low += 1


def _swap_stated_by(records):
    gold, index = _first(lambda g, i: True)
    records[gold.id].summary.casualties[index].stated_by = "Zyxwv Qutnews Bureau"


def _swap_claim_source(records):
    gold = next(g for g in GOLDS if g.claims)
    records[gold.id].summary.claims[0].source = "Zyxwv Qutnews Bureau"


def _loaded_word_in_summary(records):
    records[GOLDS[0].id].summary.summary += " Terrorists shelled the town."


def _drop_loaded_term(records):
    gold = next(g for g in GOLDS if g.loaded_terms)
    records[gold.id].summary.loaded_terms.clear()


def _invent_number(records):
    gold, index = _first(lambda g, i: True)
    records[gold.id].summary.casualties[index].quantity_text = "98765"


def _unground_a_term(records):
    gold = next(g for g in GOLDS if g.loaded_terms)
    records[gold.id].summary.loaded_terms[0].span = None


@pytest.mark.parametrize("perturb, moved", [
    (_drop_figure, {"casualties.recall": "down", "casualties.f1": "down"}),
    (_change_number, {"casualties.exact_number_accuracy": "down"}),
    (_swap_stated_by, {"casualties.stated_by_accuracy": "down"}),
    (_swap_claim_source, {f"claims.{m}": "down" for m in ("precision", "recall", "f1", "exact_span_precision",
                                                          "exact_span_recall", "exact_span_f1")}),
    (_loaded_word_in_summary, {"summary.unattributed_loaded_terms": "up",
                               # a sentence more is a longer summary too
                               "summary.words_per_summary": "up", "summary.sentences_per_summary": "up"}),
    (_drop_loaded_term, {"loaded_terms.recall": "down", "loaded_terms.f1": "down"}),
    (_invent_number, {"invented_number_rate": "up"}),
    (_unground_a_term, {"grounding_rate": "down"}),
], ids=lambda v: v.__name__.strip("_") if callable(v) else "")
def test_a_perturbation_moves_exactly_its_metric(gold_records, perturb, moved):
    before = gold_metrics(gold_records)
    records = {key: record.model_copy(deep=True) for key, record in gold_records.items()}
    perturb(records)
    after = gold_metrics(records)
    changed = {name: ("up" if after[name] > before[name] else "down")
               for name in before if after[name] != before[name]}
    assert changed == moved
