"""Claim constructions the rules backend must read on text it has never seen (issue 14).

One group per construction the annotation guide counts as a claim (evals/GUIDELINES.md,
"Claims"), each with invented sentences that carry it and near misses that must not give
a claim. None of these sentences comes from an article of the gold set or the FA-KES data.
"""

from __future__ import annotations

import pytest

from summarize.rules import extract_summary
from summarize.rules.sentences import split_sentences


def found(text: str) -> list[tuple[str, str]]:
    """(source, cue) of every claim the rules read in ``text``."""
    return [(c.source, c.cue) for c in extract_summary(text, source="Example News").claims]


def sources(text: str) -> list[str]:
    return [source for source, _ in found(text)]


# ---- passive reporting: "X was quoted as saying" ------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("The governor was quoted as saying the road to the city was closed.",
     [("The governor", "was quoted as saying")]),
    ("The commander was also quoted as saying that the offensive would go on.",
     [("The commander", "was also quoted as saying")]),
    ("The governor was quoted by state television as saying the road was closed.",
     [("state television", "quoted by state television as saying")]),
])
def test_passive_quoted_as_saying(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "It was reported that the road to the city was closed.",
    "The figures were quoted in several newspapers.",
])
def test_a_passive_without_speaker_is_no_claim(text):
    assert found(text) == []


# ---- a clause between the speaker and the verb ---------------------------------------------


@pytest.mark.parametrize("text, source", [
    ("The monitor, which relies on a network of sources on the ground, said 20 people were killed.",
     "The monitor"),
    ("The monitor which relies on a network of sources on the ground said 20 people were killed.",
     "The monitor"),
    ("A security official who asked not to be named said the road was closed.", "A security official"),
    ("A security official, speaking on condition of anonymity, said the road was closed.",
     "A security official"),
    ("The Example Times, which is close to the opposition, said the road was closed.", "The Example Times"),
    ("The news website Example Post that is affiliated with the opposition said the road was closed.",
     "Example Post"),
    ("The monitor which relies on a network of sources inside the country said 20 were killed.",
     "The monitor"),
    ("Twenty were killed the Observatory which relies on a network of activists said.", "the Observatory"),
    # a source that relays another one: the claim is the relaying source's
    ("The state news agency Example citing a police source said twenty were killed.",
     "Example"),
    ("Example News, quoting a military source, said the town was retaken.", "Example News"),
    # an apposition with its own relative clause, and a long one
    ("The White Helmets, a rescue group that operates in rebel-held areas, said 20 were killed.",
     "The White Helmets"),
    ("Jaish al-Islam, one of the main rebel groups in the area, said it had retaken the town.",
     "Jaish al-Islam"),
])
def test_speaker_across_a_relative_or_participial_clause(text, source):
    assert sources(text) == [source]


@pytest.mark.parametrize("text, expected", [
    # the phrase right after the pronoun is the clause's own subject and the speaker
    ("The strikes that the monitor said killed 20 people hit two markets.", ["the monitor"]),
    # a trailing speaker after a clause is not replaced by a noun inside that clause
    ("We ask that the team that is there be deployed quickly Dupont said.", ["Dupont"]),
    # a relative clause with its own verb and no content between is no speaker
    ("The town is held by Kurdish authorities who have declared self-rule.", []),
    # a phrase the clause's own verb governs is not the speaker
    ("An official who met the envoy said the talks were useful.", ["An official"]),
    ("Residents who saw the jets said the strikes hit a market.", ["Residents"]),
])
def test_a_relative_clause_does_not_steal_the_speaker(text, expected):
    assert sources(text) == expected


# ---- where the attributed words are -----------------------------------------------------------


@pytest.mark.parametrize("text, words", [
    ("The Observatory said after the bombing that the evacuation had resumed.", "evacuation"),
    ("The monitor put the death toll at 45.", "45"),
    ("The ministry said on Monday evening the road was closed.", "road"),
])
def test_a_cue_that_opens_the_sentence_attributes_what_follows(text, words):
    (claim,) = extract_summary(text, source="Example News").claims
    assert words in claim.claim


@pytest.mark.parametrize("text, words", [
    ("Meanwhile, the army said on Monday after the talks failed that it would attack the town.", "attack"),
    ("In Homs, residents said hours after the blast that 20 people were dead.", "20 people"),
    ("In Damascus, the ministry said after the meeting that the road would reopen.", "reopen"),
])
def test_a_sentence_opener_before_the_speaker_is_not_what_the_cue_attributes(text, words):
    (claim,) = extract_summary(text, source="Example News").claims
    assert words in claim.claim


def test_a_cue_followed_by_a_time_clause_attributes_the_words_before():
    text = ("Tanks shelled the city killing four civilians residents said a day after rights groups "
            "said troops killed 80 people.")
    assert sources(text) == ["residents", "rights groups"]


@pytest.mark.parametrize("text", [
    "The rebels say the army used chlorine, a charge the government denies.",
    "The rebels say the army used chlorine, a claim that the government denies.",
    "The rebels say the army used chlorine, an accusation which the government denies.",
])
def test_a_claim_answered_in_the_same_sentence_gives_two_claims(text):
    assert sources(text) == ["The rebels", "the government"]


def test_a_nested_report_stays_the_outer_sources_claim():
    text = "The army said it had shot down a drone, the state news agency reported."
    assert sources(text) == ["the state news agency"]


# ---- who speaks: determiners, possessives, titles, appositions ---------------------------------


@pytest.mark.parametrize("text, source", [
    ('"We will not leave," said one resident.', "one resident"),
    ('"We will not leave," another resident told AFP.', "another resident"),
    ("The ministry's spokesman said the road was closed.", "The ministry's spokesman"),
    ("The group's website said the attack killed 20 soldiers.", "The group's website"),
    ("Twenty were killed, the health ministry in Damascus said.", "the health ministry in Damascus"),
    ("The UN's envoy to Syria pleaded with the rebels to leave the city.", "The UN's envoy to Syria"),
    ("Moscow says it has not bombed the city but senior military official Ivan Petrov told a briefing "
     "that rebels had shelled it.", "senior military official Ivan Petrov"),
    ("A resident of the town, Abu Ahmad, told AFP the shelling went on all night.",
     "A resident of the town, Abu Ahmad"),
    ("Activist Abu Omar said by telephone that the shelling went on all night.", "Activist Abu Omar"),
    ("The former minister said the talks had failed.", "The former minister"),
    ("The acting governor said the road was closed.", "The acting governor"),
])
def test_speaker_phrases(text, source):
    assert source in sources(text)


@pytest.mark.parametrize("text", [
    "A resident of the town, Abu Ahmad, told AFP the shelling went on all night.",
    "The governor told the Example Post the road was closed.",
])
def test_the_addressee_of_told_is_never_the_speaker(text):
    assert not any(s in ("AFP", "the Example Post") for s in sources(text))


def test_a_possessive_pronoun_names_the_earlier_speaker():
    text = ("Foreign Minister Jean Dupont said the talks would resume. "
            "The visit was aimed at calming tensions, his office said.")
    assert sources(text) == ["Foreign Minister Jean Dupont", "Foreign Minister Jean Dupont's office"]


def test_he_said_goes_to_a_correspondent_named_before():
    text = ("An Example Post correspondent in the city said fires were burning. "
            "He said residents burned tyres to create smoke.")
    assert sources(text) == ["An Example Post correspondent in the city"] * 2


def test_it_said_goes_to_an_agency_with_official_in_its_name():
    text = "Syria's official Example news agency said 20 were killed. It said the attacks came at night."
    assert sources(text) == ["Syria's official Example news agency"] * 2


# ---- reporting verbs and their forms -----------------------------------------------------


@pytest.mark.parametrize("text, cue", [
    ("UN urges both sides to let aid into the town", "urges"),
    ("Russia rejects the accusation of bombing the hospital", "rejects"),
    ("The army shelled the town creating what one rebel described as a wall of fire.", "described"),
    ("The mayor recalled that the town had no water for a month.", "recalled"),
    ("Residents complained that the aid never arrived.", "complained"),
    ("The minister replied that the jets had not flown.", "replied"),
    ("The opposition issued a statement urging the UN to act.", "urging"),
    # "in what X said was ...": the words after the verb are the statement
    ("In what activists said was the deadliest attack of the year, a market was hit.", "said"),
    ("The strikes hit a market in what Russia says is a raid on militants.", "says"),
])
def test_more_reporting_verb_forms(text, cue):
    assert [c for _, c in found(text)] == [cue]


@pytest.mark.parametrize("text", [
    "A UN report said 20 people were killed.",
    "The group's claim said the attack was revenge.",
])
def test_a_noun_before_a_reporting_verb_is_no_cue(text):
    cues = [c for _, c in found(text)]
    assert cues == ["said"]


@pytest.mark.parametrize("text", [
    "The army pounded rebel positions overnight.",
    "The town, said to be held by rebels, was shelled.",
    "Reports of chlorine use emerged on Monday.",
    "The army did not say how many were killed.",
    "No one has claimed responsibility for the attack.",
    "The plan was described in an earlier report.",
    "The situation was described as dire.",
    "The town, described as a stronghold of the rebels, fell on Monday.",
    # a present or past form whose object is the noun before it, or a clause "what" opens
    "The proposal the council rejects is long.",
    "The demands the rebels condemned were printed in full.",
    "What the army reveals is only part of the story.",
    "What Russia says is not what happens on the ground.",
    "Whatever the minister explains, the bread queues grow longer.",
    # -ing forms of cue verbs used as nouns and adjectives
    "The warning signs were ignored for months.",
    "A growing number of families left the town.",
    "The blaming of refugees has become common.",
])
def test_narration_is_no_claim(text):
    assert found(text) == []


# ---- run-in lists and mis-decoded bullets ----------------------------------------------------


def test_a_dash_between_run_in_items_ends_a_sentence():
    text = "Residents said snipers fired on the crowd. - In June activists said troops killed 60 people."
    assert [s.text for s in split_sentences(text)] == [
        "Residents said snipers fired on the crowd.", "In June activists said troops killed 60 people."]
    assert sources(text) == ["Residents", "activists"]


def test_a_mis_decoded_bullet_after_a_full_stop_ends_a_sentence():
    text = "It added that troops foiled the attack. \x95\x81The road remains closed the monitor said."
    assert [s.text for s in split_sentences(text)] == [
        "It added that troops foiled the attack.", "The road remains closed the monitor said."]


# ---- mutual accusations: one claim per side ----------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("The government and the rebels have traded accusations over the attack.", ["The government", "the rebels"]),
    ("Russia and Turkey have been trading accusations of violating the truce.", ["Russia", "Turkey"]),
    ("Russia and Turkey have blamed each other for the clashes.", ["Russia", "Turkey"]),
    ("Forces of both countries traded fire across the border.", []),
    ("Traders exchanged goods in the market.", []),
])
def test_mutual_accusations(text, expected):
    assert sources(text) == expected
