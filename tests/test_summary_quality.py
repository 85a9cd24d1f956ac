"""The deterministic summary checks on invented articles and summaries: numbers and names
not in the article, figures stated without attribution, coverage of gold figures and
sources, length."""

from __future__ import annotations

import pytest

from summarize.evaluation.gold import GoldArticle
from summarize.evaluation.metrics import compute_metrics, counts_of
from summarize.evaluation.scorers import score_record
from summarize.evaluation.summary_quality import (
    is_attributed_sentence,
    name_in_article,
    numbers_not_in_article,
    sentences,
    states_figure,
    stated_numbers,
    summary_attribution_scorer,
    summary_coverage_scorer,
    summary_length_scorer,
    summary_names,
    summary_names_scorer,
    summary_numbers_scorer,
)
from summarize.records import ErrorInfo, Record
from summarize.schema import ArticleSummary

S1 = "Shelling killed twenty-two civilians in Douma on Tuesday, the Syrian Observatory for Human Rights said."
S2 = "The United Nations said 1,500 families had fled the al-Zahra district of Aleppo."
S3 = "Russian warplanes struck the town of Kafr Batna, residents told the Levant Post."
S4 = "Dozens of fighters were wounded, the army said."
TEXT = " ".join([S1, S2, S3, S4])


def figure(quantity_text: str, outcome: str, low, high, stated_by: str, quote: str, quantity_type="exact"):
    return {"quantity_text": quantity_text, "outcome": outcome, "victims": "people",
            "victim_category": "unknown", "quantity_type": quantity_type, "low": low, "high": high,
            "stated_by": stated_by, "perpetrator": None, "quote": quote}


def claim(source: str, quote: str, source_type: str = "monitor"):
    return {"claim": "Something was said.", "source": source, "source_type": source_type,
            "cue": "said", "quote": quote, "direct_quote": False}


GOLD = GoldArticle.model_validate({
    "id": "invented",
    "article": {"id": "invented", "title": "Shelling kills civilians in Douma", "source": "Levant Post",
                "published": "3/14/17", "text": TEXT},
    "claims": [claim("the Syrian Observatory for Human Rights", S1),
               claim("The United Nations", S2, "international"),
               claim("residents", S3, "witness"),
               claim("a source", S3, "unnamed"),
               claim("the army", S4, "military")],
    "casualties": [figure("twenty-two", "killed", 22, 22, "the Syrian Observatory for Human Rights", S1),
                   figure("Dozens", "wounded", 12, None, "the army", S4, "vague")],
})


def record(summary: str) -> Record:
    return GOLD.to_record(ArticleSummary(summary=summary))


def counts(scorer, summary: str) -> dict:
    return dict(scorer()(GOLD, record(summary)).counts)


# ---- numbers -----------------------------------------------------------------------------


def test_numbers_are_compared_by_value_in_digits_or_words():
    assert [v for _, v in stated_numbers("22 killed, twenty-two dead, a dozen hurt, 1,500 fled, 3.5 km")] == [
        22, 1500, 3.5, 22, 12]
    stated, missing = numbers_not_in_article("The Observatory said 22 people died and 1500 families fled.", GOLD)
    assert stated == ["22", "1500"] and missing == []


def test_a_number_the_article_does_not_state_is_flagged_and_12_is_not_in_120():
    stated, missing = numbers_not_in_article("At least 35 people were killed, 150 families fled.", GOLD)
    assert missing == ["35", "150"]
    assert counts(summary_numbers_scorer, "Some 2 people and 15,000 families.") == {"numbers": 2, "not_in_article": 2}


def test_one_is_not_a_count_and_the_year_of_the_date_is_known():
    assert stated_numbers("One of the towns was hit.") == []
    stated, missing = numbers_not_in_article("In March 2017, two towns were hit.", GOLD)
    assert stated == ["2017", "two"] and missing == ["two"], "2017 from the date 3/14/17; two is in no sentence"


def test_a_date_in_digits_is_read_as_its_parts():
    assert [v for _, v in stated_numbers("on 24.08.2013")] == [24, 8, 2013]


# ---- names -------------------------------------------------------------------------------


def test_names_are_runs_of_capitalised_words_and_sentence_openers_are_not_names():
    names = summary_names("The Syrian Observatory for Human Rights said Russian jets hit Kafr Batna. "
                          "Residents fled to Aleppo.", TEXT)
    assert names == ["Syrian Observatory for Human Rights", "Russian", "Kafr Batna", "Aleppo"]


def test_a_name_at_the_start_of_a_sentence_is_still_a_name():
    assert summary_names("Hezbollah fighters attacked. Douma was hit.", TEXT) == ["Hezbollah", "Douma"]


@pytest.mark.parametrize("name, found", [
    ("Syrian Observatory", True),       # part of a name in the article
    ("Syria", True),                    # the stem of "Syrian"
    ("Russia", True),                   # the stem of "Russian"
    ("Zahra", True),                    # inside "al-Zahra"
    ("UN", True),                       # initials of "United Nations"
    ("Hezbollah", False),
    ("Idlib", False),
    ("Free Syrian Army", False),        # "Free" and "Army" capitalised are not enough: "Free" is not there
    ("SANA", False),
])
def test_which_names_the_article_contains(name, found):
    assert name_in_article(name, TEXT) is found


def test_names_scorer_counts_distinct_names_and_flags_the_missing():
    result = summary_names_scorer()(GOLD, record("Hezbollah fighters attacked Douma. Hezbollah denied it. "
                                                 "The UN said families fled Aleppo."))
    assert result.counts == {"names": 4, "not_in_article": 1}
    assert result.findings == ("name not in the article: 'Hezbollah'",)


# ---- attribution -------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, figure_stated, attributed", [
    ("Shelling killed 22 civilians in Douma.", True, False),
    ("Dozens of fighters were wounded.", True, False),
    ("Shelling killed 22 civilians, the Observatory said.", True, True),
    ("According to the army, dozens were wounded.", True, True),
    ("State media gave a toll of 44 dead.", True, True),
    ("Russian warplanes struck the town.", False, False),
    ("The 22 families fled.", False, False),
])
def test_a_figure_needs_a_reporting_cue(sentence, figure_stated, attributed):
    assert states_figure(sentence) is figure_stated
    assert is_attributed_sentence(sentence) is attributed


def test_attribution_scorer_counts_sentences_with_figures():
    summary = ("Shelling killed 22 civilians in Douma. The Observatory said dozens were wounded. "
               "Residents fled the town.")
    assert sentences(summary)[1] == "The Observatory said dozens were wounded."
    assert counts(summary_attribution_scorer, summary) == {"figure_sentences": 2, "unattributed": 1}


# ---- coverage and length -----------------------------------------------------------------


def test_coverage_counts_gold_figures_and_named_sources_mentioned():
    summary = ("The Syrian Observatory for Human Rights said 22 civilians were killed in Douma. "
               "The UN said families fled.")
    result = summary_coverage_scorer()(GOLD, record(summary))
    # figures: 22 (by value) yes, "Dozens" no; sources: the four not unnamed ones,
    # the Observatory (full name) and the United Nations (initials) mentioned.
    assert result.counts == {"gold": 6, "mentioned": 3, "figures": 2, "figures_mentioned": 1,
                             "sources": 4, "sources_mentioned": 2}
    assert "figure not mentioned: 'Dozens' wounded" in result.findings
    assert "source not mentioned: residents" in result.findings


def test_a_vague_figure_is_mentioned_only_by_its_words_and_a_short_name_does_not_count():
    covered = counts(summary_coverage_scorer, "Dozens were wounded, the army said. The Observatory said more.")
    assert covered["figures_mentioned"] == 1 and covered["sources_mentioned"] == 1, "the army, not 'the Observatory'"
    assert counts(summary_coverage_scorer, "The army said 12 were wounded.")["figures_mentioned"] == 0


def test_an_error_record_mentions_nothing_and_states_nothing():
    failed = record("x").model_copy(update={"status": "error", "summary": None,
                                            "error": ErrorInfo(type="model_error", message="cut off")})
    scores = score_record(GOLD, failed)
    assert scores["summary_coverage"].counts["gold"] == 6 and scores["summary_coverage"].counts["mentioned"] == 0
    metrics = compute_metrics(counts_of(scores))
    assert metrics["summary.coverage"] == 0.0
    assert metrics["summary.numbers_not_in_article"] is None, "no summary, no number stated: undefined"
    assert metrics["summary.words_per_summary"] is None


def test_length_counts_words_and_sentences():
    assert counts(summary_length_scorer, "Shelling hit Douma. Twenty-two were killed, the Observatory said.") == {
        "summaries": 1, "words": 10, "sentences": 2}


def test_every_summary_metric_is_computed_for_a_record():
    summary = "Shelling killed 35 people in Idlib. The Observatory said twenty-two were killed."
    # "Shelling" opens a sentence and is written in lower case nowhere: taken for a name
    # (the heuristic's known limit), and found in the article.
    assert summary_names(summary, TEXT) == ["Shelling", "Idlib", "Observatory"]
    metrics = compute_metrics(counts_of(score_record(GOLD, record(summary))))
    assert metrics["summary.numbers_not_in_article"] == 0.5
    assert metrics["summary.names_not_in_article"] == pytest.approx(1 / 3)
    assert metrics["summary.unattributed_figures"] == 0.5
    assert metrics["summary.sentences_per_summary"] == 2
