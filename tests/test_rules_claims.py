"""Attributed claims read by the rules backend: cues, speakers, source types, quotes."""

from __future__ import annotations

import pytest

from summarize.rules import extract_summary
from summarize.rules.sources import source_type


def claims(text: str):
    return extract_summary(text, source="Example News").claims


def one(text: str):
    found = claims(text)
    assert len(found) == 1, [(c.source, c.cue) for c in found]
    return found[0]


@pytest.mark.parametrize("text, source, cue", [
    ("The Syrian Observatory for Human Rights said government forces seized two hilltops.",
     "The Syrian Observatory for Human Rights", "said"),
    ("The army said that it had retaken the town.", "The army", "said"),
    ("Government forces retook the town, the army said on Sunday.", "the army", "said"),
    ("Government forces retook the town the army said on Sunday.", "the army", "said"),
    ("According to SANA, the army retook the town.", "SANA", "According to"),
    ("The army retook the town, according to state media.", "state media", "according to"),
    ("SANA reported that the army retook the town.", "SANA", "reported"),
    ("The rebels claimed the town had fallen.", "The rebels", "claimed"),
    ("The ministry announced a curfew in the city.", "The ministry", "announced"),
    ("A military source told SANA that the army retook the town.", "A military source", "told SANA"),
    ("The United States has said the deaths were caused by sarin.", "The United States", "has said"),
    ("Damascus denied that it had used chemical weapons.", "Damascus", "denied"),
    ("The WHO said in a statement that the symptoms matched a nerve agent.", "The WHO",
     "said in a statement"),
    ("“The regime is launching counter-attacks,” said Observatory head Rami Abdel Rahman.",
     "Observatory head Rami Abdel Rahman", "said"),
    ("The Observatory, a Britain-based monitoring group, said the strikes continued.",
     "The Observatory", "said"),
    ("The Syrian Observatory for Human Rights a Britain-based monitoring group said the strikes continued.",
     "The Syrian Observatory for Human Rights", "said"),
    ("A spokesman for the coalition said it had opened an investigation.",
     "A spokesman for the coalition", "said"),
])
def test_cue_and_speaker(text, source, cue):
    claim = one(text)
    assert (claim.source, claim.cue) == (source, cue)
    assert claim.quote == text


@pytest.mark.parametrize("text", [
    "The army pounded militant positions overnight.",
    "A Russian spokesman did not say what agent was used.",
    "The reported use of chemical weapons could not be verified.",
    "The reports were denied.",
    "Syrian state media carried the news.",
    "Chlorine is believed to have been used.",
])
def test_not_claims(text):
    assert claims(text) == []


def test_direct_quote_with_pronoun_resolved_to_the_last_named_person():
    text = ("“The regime is launching counter-attacks,” said Observatory head Rami Abdel Rahman. "
            "“The offensive has not achieved its aims,” he said.")
    found = claims(text)
    assert [(c.source, c.direct_quote) for c in found] == [
        ("Observatory head Rami Abdel Rahman", True), ("Observatory head Rami Abdel Rahman", True)]


def test_it_said_goes_to_the_last_organisation():
    text = "The World Health Organization said the victims showed symptoms. It said experts were sent."
    assert [c.source for c in claims(text)] == ["The World Health Organization"] * 2


def test_surname_gets_the_fullest_naming():
    text = "PYD spokesman Nawaf Khalil said the attack was planned. The attack was planned Khalil said."
    assert [c.source for c in claims(text)] == ["PYD spokesman Nawaf Khalil"] * 2


def test_scare_quotes_are_not_a_direct_quote():
    claim = one('SANA said the "de-escalation zone" was violated.')
    assert claim.direct_quote is False


def test_one_claim_per_source_per_sentence():
    claim = one("Kurdish officials said the attack was a suicide bombing, adding that a truck was used.")
    assert claim.cue == "said"


def test_two_sources_in_one_sentence_give_two_claims():
    text = ("The observatory reported that 56 civilians were killed and Colonel Chris Garver said "
            "there was credible evidence.")
    assert [c.source for c in claims(text)] == ["The observatory", "Colonel Chris Garver"]


def test_a_nested_attribution_is_the_outer_sources_claim():
    text = "Britain said it would raise the attack at the Security Council, Reuters reported."
    assert [c.source for c in claims(text)] == ["Reuters"]


def test_the_paraphrase_quotes_loaded_words():
    claim = one("SANA said terrorists shelled the city.")
    assert claim.claim == "SANA said “terrorists” shelled the city."


@pytest.mark.parametrize("source, kind", [
    ("the Syrian Observatory for Human Rights", "monitor"),
    ("SANA", "government"),
    ("Syrian state media", "government"),
    ("The Syrian interior ministry", "government"),
    ("A Russian Defence Ministry spokesman", "military"),
    ("a military source", "military"),
    ("The army", "military"),
    ("the Civil Defence", "humanitarian"),
    ("the World Health Organization", "international"),
    ("The United States", "international"),
    ("British Foreign Secretary William Hague", "international"),
    ("Daesh", "armed_group"),
    ("The rebels", "armed_group"),
    ("Reuters", "media"),
    ("Madaya evacuees", "witness"),
    ("local activists", "witness"),
    ("A nurse at the hospital", "medical"),
    ("Kurdish officials", "official"),
    ("battlefield sources", "unnamed"),
])
def test_source_type(source, kind):
    assert source_type(source) == kind


@pytest.mark.parametrize("text, source", [
    ("The terrorist organizations said on their websites that their leaders were killed.",
     "The terrorist organizations"),
    ("An Agence France Presse journalist in east Aleppo said clashes could be heard.",
     "An Agence France Presse journalist in east Aleppo"),
    ("A medical source at Aleppo Health Directorate told SANA that the school was hit.",
     "A medical source at Aleppo Health Directorate"),
])
def test_longer_speaker_phrases(text, source):
    assert one(text).source == source


def test_the_paraphrase_drops_a_leading_conjunction():
    claim = one("But the army has retaken several positions, a monitor said Wednesday.")
    assert claim.claim == "A monitor said the army has retaken several positions."
