"""The rules backend's extractive summary is neutral, short and states only the
article's numbers; loaded terms are listed once per family."""

from __future__ import annotations

import re

import pytest

from summarize.alignment import contains_quantity

from summarize.lexicon import load_lexicon
from summarize.rules import extract_summary
from summarize.rules.loaded import neutralize

#: A number standing alone (not the "1970" of "1970s").
NUMBER = r"(?<![\w.,])\d(?:[\d,.]*\d)?(?![\w])"

ARTICLE = (
    "Syrian army forces recaptured territory overnight in the southwest suburbs of Aleppo, "
    "rolling back the gains of a terrorists’ offensive. "
    "The regime launched counter-attacks after the so-called rebels advanced, the "
    "Observatory said. "
    "At least 64 militants were killed in the fighting, according to the monitor. "
    "Terrorist groups said they had liberated two villages. "
    "Dozens of Takfiri terrorists were killed and wounded."
)


def test_summary_is_the_lead_made_neutral():
    summary = extract_summary(ARTICLE, title="Army advances in Aleppo").summary
    assert summary.startswith("Syrian army forces recaptured territory overnight")
    assert load_lexicon().unattributed(summary) == []
    assert "militants’ offensive" in summary
    assert "The government launched counter-attacks after the rebels advanced" in summary
    assert 2 <= len(re.findall(r"[.!?](?:\s|$)", summary)) <= 4


def test_summary_states_no_number_the_article_does_not():
    summary = extract_summary(ARTICLE).summary
    for number in re.findall(NUMBER, summary):
        assert contains_quantity(ARTICLE, number), number


def test_headline_and_dateline_are_not_summary_sentences():
    text = ("Sun 16 Apr 2017 Death toll from Aleppo bomb attack at least 112. "
            "The death toll from a bomb blast on a bus convoy outside Aleppo reached at least "
            "112 people the Observatory said on Sunday. Rescue workers said they had carted away "
            "at least 100 bodies from the site.")
    summary = extract_summary(text, title="Death toll from Aleppo bomb attack at least 112").summary
    assert summary.startswith("The death toll from a bomb blast")


def test_a_loaded_word_inside_a_name_keeps_its_sentence_out():
    text = ("Fighters of the National Liberation Front attacked the town on Monday morning. "
            "Government forces said they repelled the attack near the town. "
            "Residents said the shelling lasted until the evening.")
    summary = extract_summary(text).summary
    assert "Liberation" not in summary
    assert load_lexicon().unattributed(summary) == []


@pytest.mark.parametrize("text, expected", [
    ("The regime shelled the town.", "The government shelled the town."),
    ("Terrorists attacked a brutal checkpoint.", "Militants attacked a checkpoint."),
    ("A barbaric attack hit the market.", "An attack hit the market."),
    ("The army liberated the town from Daesh.", "The army captured the town from Islamic State."),
    ("The so-called rebels fled.", "The rebels fled."),
])
def test_neutralize(text, expected):
    assert neutralize(text) == expected
    assert load_lexicon().unattributed(neutralize(text)) == []


def test_loaded_terms_one_per_family_with_first_use():
    terms = extract_summary(ARTICLE).loaded_terms
    by_term = {t.term: t for t in terms}
    assert list(by_term) == ["terrorists", "regime", "so-called", "liberated", "Takfiri"]
    assert by_term["regime"].neutral_alternative == "government"
    assert by_term["terrorists"].quote.startswith("Syrian army forces recaptured")


def test_a_name_is_not_a_loaded_term():
    terms = extract_summary("Fighters of the National Liberation Front attacked the town.").loaded_terms
    assert terms == []


def test_events_name_the_kind_place_and_time():
    events = extract_summary("Russian warplanes struck the town of Kafr Hamra on Thursday, "
                             "killing three medics.").events
    assert events[0].event_type == "airstrike"
    assert events[0].location == "Kafr Hamra"
    assert events[0].date_text == "on Thursday"


def test_empty_and_odd_texts_do_not_fail():
    assert extract_summary("x").summary == "x"
    assert extract_summary("12 34 56").casualties == []
    assert extract_summary("Terrorists.").summary == "Militants."
