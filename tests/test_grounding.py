"""Grounding: spans for quotes, and warnings for what the article does not support."""

from __future__ import annotations

from summarize.grounding import ground, salvage
from summarize.schema import ArticleSummary

ARTICLE = ("At least 12 civilians were killed in Aleppo in 2012, the Observatory said. "
           "Dozens of fighters were wounded.")


def summary(**changes) -> ArticleSummary:
    data = {
        "summary": "At least 12 civilians were killed in Aleppo, the Observatory said.",
        "claims": [{"claim": "12 civilians were killed.", "source": "the Observatory",
                    "source_type": "monitor", "cue": "said", "direct_quote": False,
                    "quote": "At least 12 civilians were killed in Aleppo in 2012, the Observatory said."}],
        "casualties": [{"quantity_text": "Dozens", "outcome": "wounded", "victims": "fighters",
                        "victim_category": "combatant", "quantity_type": "vague", "low": 12,
                        "high": None, "stated_by": "the outlet",
                        "quote": "Dozens of fighters were wounded."}],
    }
    data.update(changes)
    return ArticleSummary.model_validate(data)


def codes(warnings) -> list[tuple[str, str | None]]:
    return [(w.code, w.item) for w in warnings]


def test_a_supported_summary_is_grounded_without_warnings():
    grounded, warnings = ground(summary(), ARTICLE)
    assert warnings == []
    claim = grounded.claims[0]
    assert ARTICLE[claim.span.start:claim.span.end] == claim.quote


def test_grounding_leaves_the_summary_it_was_given_unchanged():
    given = summary()
    before = given.model_dump()
    grounded, _ = ground(given, ARTICLE)
    assert grounded.casualties[0].span is not None and grounded.claims[0].span is not None
    assert given.model_dump() == before and given.claims[0].span is None


def test_a_quantity_is_a_whole_number_of_the_article():
    figure = summary().casualties[0].model_dump() | {"quantity_text": "20", "quantity_type": "exact",
                                                      "low": 20, "high": 20}
    _, warnings = ground(summary(casualties=[figure]), ARTICLE)  # "20" only inside "2012"
    assert ("invented_number", "casualties[0]") in codes(warnings)


def test_bounds_that_contradict_the_quantity_are_flagged():
    figure = summary().casualties[0].model_dump() | {"low": 500}
    _, warnings = ground(summary(casualties=[figure]), ARTICLE)
    assert codes(warnings) == [("number_mismatch", "casualties[0]")]
    assert "12/None" in warnings[0].message


def test_numbers_the_article_does_not_state_are_flagged_in_prose():
    invented = summary(summary="At least 15 civilians were killed in Aleppo, the Observatory said.")
    _, warnings = ground(invented, ARTICLE)
    assert codes(warnings) == [("number_not_in_article", "summary")]
    assert "15" in warnings[0].message


def test_an_unattributed_loaded_term_in_the_summary_is_flagged():
    _, warnings = ground(summary(summary="Terrorists killed civilians in Aleppo."), ARTICLE)
    assert codes(warnings) == [("loaded_term_in_summary", "summary")]


def test_salvage_keeps_valid_items_and_drops_broken_ones_with_warnings():
    raw = summary().model_dump()
    raw["casualties"].append({"quantity_text": "12", "outcome": "exploded"})
    raw["claims"][0]["quote"] = "Words the article never printed at all, not even close."
    salvaged, warnings = salvage(raw, "quote is not in the article")
    assert len(salvaged.casualties) == 1 and len(salvaged.claims) == 1
    assert ("invalid_item_dropped", "casualties[1]") in codes(warnings)
    assert codes(warnings)[0] == ("reasks_exhausted", None)
    grounded, more = ground(salvaged, ARTICLE)
    assert grounded.claims[0].span is None
    assert ("ungrounded_quote", "claims[0]") in codes(more)


def test_salvage_without_a_summary_gives_nothing():
    salvaged, warnings = salvage({"claims": []}, "summary: field required")
    assert salvaged is None and codes(warnings) == [("reasks_exhausted", None)]
