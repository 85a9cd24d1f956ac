"""Wording: the content words of a report's lead and the TF-IDF cosine of two reports."""

from __future__ import annotations

import pytest

from summarize.events.wording import Vocabulary, bag, cosine, overlap


def test_a_bag_keeps_content_words_and_counts_folded_alike():
    words = bag("Death Toll in Raqqah Bombing Rises to 126",
                "Sun Apr 16 2017 at 22:33 The death toll in the bombing in Raqqa rose to 126, the monitor said "
                "on Sunday.")
    assert words["#126"] == 2 and words["raqa"] == 2 and words["death"] == 2  # title and text, spelled either way
    assert words["bombing"] == 2  # "Bombing" in the title is the text's "bombing"
    for dropped in ("the", "said", "sun", "sunday", "#16", "#22", "#33", "#2017", "2017", "apr"):
        assert dropped not in words, dropped


def test_a_bag_drops_years_and_keeps_counts_but_not_zero_padded_or_huge_numbers():
    words = bag(None, "In 2016 some 45 people and 7 soldiers died, 05 more and 30000 over the years.")
    assert "#45" in words and "#7" in words
    assert not {"#2016", "#05", "#30000"} & set(words)


def test_cosine_is_one_for_the_same_words_and_zero_for_none_shared():
    vocabulary = Vocabulary()
    a = bag(None, "Barrel bombs hit the Sukkari district, killing 12 civilians.")
    b = bag(None, "Talks on a truce opened in Geneva between the delegations.")
    for words in (a, b):
        vocabulary.add(words)
    assert cosine(vocabulary.weigh(a), vocabulary.weigh(a)) == pytest.approx(1.0)
    assert cosine(vocabulary.weigh(a), vocabulary.weigh(b)) == 0.0
    assert cosine(vocabulary.weigh({}), vocabulary.weigh(a)) == 0.0


def test_words_every_report_uses_weigh_less_than_words_two_reports_alone_share():
    reports = [bag(None, f"Shelling killed {n} people in Homs, activists said.") for n in range(3, 13)]
    evacuees = [bag(None, "Shelling killed evacuees from Fuaa at Rashidin."),
                bag(None, "Evacuees from Fuaa were killed at Rashidin.")]
    vocabulary = Vocabulary()
    for words in reports + evacuees:
        vocabulary.add(words)
    def key(word: str) -> str:
        (folded,) = bag(None, word)
        return folded

    assert vocabulary.idf(key("Rashidin")) > vocabulary.idf(key("shelling")) > 1.0
    alike = cosine(vocabulary.weigh(evacuees[0]), vocabulary.weigh(evacuees[1]))
    common = cosine(vocabulary.weigh(evacuees[0]), vocabulary.weigh(reports[0]))
    assert alike > 0.5 > common
    assert set(vocabulary.rarest(evacuees[0], 3)) == {key("evacuees"), key("Fuaa"), key("Rashidin")}


def test_overlap_gives_the_cosine_and_the_words_it_rests_on():
    vocabulary = Vocabulary()
    bags = [bag(None, "Aleppo market"),
            bag(None, "Barrel bombs dropped on the Qaterji market in Aleppo killed 17 civilians."),
            bag(None, "Rebel shells fell on a school in Hama, state media said.")]
    for words in bags:
        vocabulary.add(words)
    market, strike, school = (vocabulary.weigh(words) for words in bags)
    assert overlap(market, strike) == (cosine(market, strike), 2) and cosine(market, strike) > 0.2
    assert overlap(market, school) == (0.0, 0)
    assert overlap(strike, strike)[1] == len(bags[1])
