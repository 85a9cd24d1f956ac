"""Review of issue 14's fifth round (denials, ages by commas, breakdowns of the sentence
before): cases the round read wrongly. Every sentence is written for the test; none
comes from an article of the gold or events sets."""

from __future__ import annotations

import pytest

from summarize.rules import extract_summary


def killed(text: str) -> list[str]:
    """The quantity_text of every killed figure the rules backend reads in ``text``."""
    return [f.quantity_text for f in extract_summary(text, source="Example News").casualties
            if f.outcome == "killed"]


@pytest.mark.parametrize("text, expected", [
    ("No one was killed except 3 children.", ["3"]),
    ("Nobody died except two guards, residents said.", ["two"]),
    ("Everyone was killed except 3 children.", []),  # the 3 lived
    ("All the soldiers were killed except 3.", []),
])
def test_a_count_excepted_from_a_denied_whole_died(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Nobody knows how many were killed, but activists said 40 people died.", ["40"]),
    ("It is unclear how many people died.", []),
    ("Many people were killed.", ["Many"]),
])
def test_how_many_asks_and_counts_nothing(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The unit withdrew without killing 12 hostages.", []),
    ("The unit withdrew without killing anyone, but 12 soldiers were killed later.", ["12"]),
])
def test_a_killing_done_without_is_none(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Soldiers, 12, were killed.", ["12"]),  # a plural noun is no name: its number is a count
    ("Ahmad, 17, died in the strike.", []),
    ("His son, 12, was killed.", []),
])
def test_a_number_after_a_plural_by_commas_is_no_age(text, expected):
    assert killed(text) == expected


def test_a_part_larger_than_the_figure_before_is_no_breakdown_of_it():
    text = "The Observatory said 20 people were killed. They included 30 children."
    figures = extract_summary(text, source="Example News").casualties
    assert [(f.quantity_text, f.outcome) for f in figures] == [("20", "killed")]


def test_a_part_of_the_figure_before_stays_its_breakdown():
    text = "At least 20 people were killed in the strike. Among them were five children."
    assert killed(text) == ["At least 20", "five"]


def test_a_name_inside_another_word_is_another_source():
    text = ("UNICEF said 12 children were killed in the strike. "
            "The UN said 12 children were killed in the strike.")
    figures = extract_summary(text, source="Example News").casualties
    assert sorted(f.stated_by for f in figures) == ["The UN", "UNICEF"]


def test_an_acronym_and_the_name_it_spells_stay_one_source():
    text = ("The SOHR said 12 people were killed. "
            "The Syrian Observatory for Human Rights said 12 people were killed.")
    assert killed(text) == ["12"]
