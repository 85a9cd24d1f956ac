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


# ---- the speaker is the head noun, not the object of its "to/for/of" ------------------------


@pytest.mark.parametrize("text, source", [
    ("An adviser to the president said the talks would resume next week.", "An adviser to the president"),
    ("An aide to the minister told reporters the deal was close.", "An aide to the minister"),
    ("Fighters loyal to the government said they had retaken the village.",
     "Fighters loyal to the government"),
    ("A spokesman for the army said the road was open again.", "A spokesman for the army"),
    ("The head of the local council said twenty people were missing.", "The head of the local council"),
    ("The chairman of the Example Network for Rights Omar Haddad told reporters the hospital was hit.",
     "The chairman of the Example Network for Rights Omar Haddad"),
])
def test_speaker_is_the_head_of_its_prepositional_phrase(text, source):
    assert sources(text) == [source]


def test_fighters_loyal_to_the_government_are_an_armed_group():
    claims = extract_summary("Fighters loyal to the government said they had retaken the village.").claims
    assert [c.source_type.value for c in claims] == ["armed_group"]


@pytest.mark.parametrize("text, source", [
    # the object of the preposition stays the speaker when it is the one who speaks
    ("The army said the road to the president's palace was closed.", "The army"),
    ("Loyal to the end, the commander said he would stay.", "the commander"),
])
def test_head_noun_near_misses(text, source):
    assert sources(text) == [source]


# ---- "told" as an order, not a statement ----------------------------------------------------


@pytest.mark.parametrize("text", [
    "He was told by the army to leave the village.",
    "Residents were told by police to stay indoors.",
    "Shopkeepers were urged by the council to close early.",
])
def test_told_by_as_an_order_is_no_claim(text):
    assert found(text) == []


def test_told_with_a_content_clause_is_still_a_claim():
    assert sources("A police officer told reporters that residents had left.") == ["A police officer"]


# ---- an apposition without commas ----------------------------------------------------------


@pytest.mark.parametrize("text, source", [
    ("The Example National Coalition the main opposition group condemned the attack.",
     "The Example National Coalition"),
    ("The Example Observatory for Rights the main monitoring group said 20 died.",
     "The Example Observatory for Rights"),
])
def test_apposition_without_commas(text, source):
    assert sources(text) == [source]


@pytest.mark.parametrize("text, source", [
    # a place or a time before the description is no name it describes
    ("On Monday the rebel group said it had retaken the town.", "the rebel group"),
    ("In Aleppo City the monitoring group said 20 died.", "the monitoring group"),
])
def test_apposition_without_commas_near_misses(text, source):
    assert sources(text) == [source]


# ---- mutual accusations: a claim per side ---------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Northland and Southland met in Example City. Both sides accused each other of breaking the truce.",
     ["Northland", "Southland"]),
    ("Northland and Southland met on Monday, and both sides accused each other of breaking the truce.",
     ["Northland", "Southland"]),
    ("The army and the rebels accused each other of breaking the truce.", ["The army", "the rebels"]),
    ("Damascus and armed groups involved in the truce have been trading accusations of violations.",
     ["Damascus", "armed groups"]),
])
def test_mutual_accusation_gives_a_claim_per_side(text, expected):
    assert sources(text) == expected


def test_mutual_accusation_paraphrase_names_no_each_other():
    claims = extract_summary("The army and the rebels accused each other of breaking the truce.").claims
    assert claims[0].claim == "The army accused the other side of breaking the truce."


@pytest.mark.parametrize("text, expected", [
    # no sides named: the source as written
    ("The two sides traded accusations over the shelling.", ["The two sides"]),
    # one side accusing the other is one claim, even with a pair named before
    ("Talks between the army and the rebels failed. The army accused the rebels of breaking the truce.",
     ["The army"]),
    ("The army accused the rebels of breaking the truce.", ["The army"]),
])
def test_mutual_accusation_near_misses(text, expected):
    assert sources(text) == expected


# ---- phrases that report without a reporting verb -------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Example TV carried an appeal from the governor urging residents to donate blood.",
     [("Example TV", "carried an appeal")]),
    ("The army issued an ultimatum to the rebels to leave the town by Friday.",
     [("The army", "issued an ultimatum")]),
    ("The President issued a warning to the rebels stating that the fight would go on.",
     [("The President", "issued a warning")]),
    ("The opposition called the attack a massacre of civilians.", [("The opposition", "called")]),
    ("The coalition branded the strike an act of terror.", [("The coalition", "branded")]),
    ("Rain hampered the raids, creating what one rebel dubbed a divine no-fly zone.",
     [("one rebel", "dubbed")]),
    ("The army commander said the road was open. The troops would push north, he went on to say.",
     [("The army commander", "said"), ("The army commander", "went on to say")]),
])
def test_phrase_cues(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "The operation dubbed Example Shield began in August.",
    "The so-called Example State attacked the town.",
    "He called the minister a day later.",
    "The army issued a statement.",
    "The convoy carried an appeal letter and food to the town.",
])
def test_phrase_cue_near_misses(text):
    assert found(text) == []


# ---- possessives that lost their apostrophe, joint sources, a source in a province ----------


@pytest.mark.parametrize("text, source", [
    ("The ministrys spokesman said the road was closed.", "The ministrys spokesman"),
    ("The armys commander said the town was retaken.", "The armys commander"),
    ("A bomb killed six people on Wednesday the Example regimes official television channel reported.",
     "the Example regimes official television channel"),
    ("The UNs envoy said the talks would resume.", "The UNs envoy"),
    ("State media and activists said 20 were killed.", "State media and activists"),
    ("A bomb went off near the school a source in Example province told reporters.",
     "a source in Example province"),
    ("The governor of Example province said the road was closed.", "The governor of Example province"),
])
def test_lost_possessives_joint_sources_and_provinces(text, source):
    assert sources(text) == [source]


@pytest.mark.parametrize("text, source", [
    ("Rebel groups said the town was retaken.", "Rebel groups"),  # a plural, no possessive
    ("Government forces captured the village and the Observatory said 20 were killed.", "the Observatory"),
    ("The envoy met Lavrov and the minister said talks would go on.", "the minister"),
    ("Rebels advanced in Example province, the army said.", "the army"),
])
def test_possessive_and_joint_near_misses(text, source):
    assert sources(text) == [source]


def test_joint_source_takes_the_type_of_the_first_named():
    claims = extract_summary("State media and activists said 20 were killed.").claims
    assert [c.source_type.value for c in claims] == ["government"]


# ---- a headline's own source ----------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Air strikes kill 20 in Example City - monitor", [("monitor", "-")]),
    ("Car bomb kills six in Example City: state TV", [("state TV", ":")]),
    ("Car bomb kills six in Example City Syrian state TV", [("Syrian state TV", "Syrian state TV")]),
    ("Talks resume in Example City - UN", [("UN", "-")]),
    # a time before a headline colon is no colon of its own
    ("Saturday 10 December 2016 14:47 Example Minister of Health: hospitals out of service",
     [("Example Minister of Health", ":")]),
])
def test_headline_source(text, expected):
    assert found(text) == expected


def test_headline_source_paraphrase():
    claims = extract_summary("Air strikes kill 20 in Example City - monitor").claims
    assert claims[0].claim == "Monitor says: “Air strikes kill 20 in Example City”."


@pytest.mark.parametrize("text", [
    "Rebels clashed with the army.",
    "Rebels clashed with the army",
    "Rebels retake town near Example City",
    "At 14:47 the shelling began again in the east of the city.",
])
def test_headline_source_near_misses(text):
    assert found(text) == []


def test_headline_source_left_out_when_the_body_names_it():
    text = ("Car bomb kills six in Example City Syrian state TV\n"
            "A car bomb killed six people in Example City on Monday, state TV said.")
    assert found(text) == [("Syrian state TV", "said")]
    lone = "Car bomb kills six in Example City Syrian state TV\nA car bomb killed six people on Monday."
    assert found(lone) == [("Syrian state TV", "Syrian state TV")]


# ---- "cited as saying", "posted on Twitter", "as reported by", a described speaker after ---


@pytest.mark.parametrize("text, expected", [
    ("The army was cited as saying the town was retaken.", [("The army", "was cited as saying")]),
    ("The ministry posted on Twitter that the road was closed.", [("The ministry", "posted on Twitter")]),
    ("As reported by Example News, the town was retaken.", [("Example News", "As reported")]),
    ("The town was retaken, as reported by Example News.", [("Example News", "as reported")]),
])
def test_cited_posted_and_as_reported(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "The figure was cited in the report.",
    "Troops posted on the hill fired at the town.",
])
def test_cited_and_posted_near_misses(text):
    assert found(text) == []


@pytest.mark.parametrize("text, claim", [
    ("The road is closed, said Omar Haddad, a spokesman for the Example Front.",
     "Omar Haddad said the road is closed."),
    ("The town was retaken, as reported by Example News.", "Example News reported the town was retaken."),
])
def test_words_before_a_described_or_as_reported_speaker(text, claim):
    assert [c.claim for c in extract_summary(text).claims] == [claim]


# ---- "claims" and "reports" as verbs, documents after "according to" and "said" -----------


@pytest.mark.parametrize("text, expected", [
    ("The regime claims it only targets armed men.", [("The regime", "claims")]),
    ("The Example Observatory reports that 20 were killed.", [("The Example Observatory", "reports")]),
    ("More than 300 people have been killed, according to UN figures.", [("UN", "according to")]),
    ("The town was retaken, said a statement from the army command.", [("the army command", "said")]),
])
def test_present_tense_twins_and_documents(text, expected):
    assert found(text) == expected


def test_the_words_before_according_to_a_document_are_the_claim():
    claims = extract_summary("More than 300 people have been killed, according to UN figures.").claims
    assert claims[0].claim == "UN said more than 300 people have been killed."


@pytest.mark.parametrize("text", [
    "Rebel claims of a massacre were denied.",
    "The monitor reports on the siege every day.",
])
def test_claims_and_reports_as_nouns_or_topics(text):
    assert found(text) == []


@pytest.mark.parametrize("text, kind", [
    ("Example President Bashar al-Assad said the war would end soon.", "government"),
    ("Opponents of Bashar al-Assad said the vote was a sham.", "official"),
])
def test_assad_and_his_opponents_types(text, kind):
    assert [c.source_type.value for c in extract_summary(text).claims] == [kind]


@pytest.mark.parametrize("text, claim", [
    ("Twenty people were killed, SANA said, citing a police source.", "SANA said twenty people were killed."),
    ("Troops killed 20 rebels, the army said in a statement broadcast on state TV.",
     "The army said in a statement troops killed 20 rebels."),
])
def test_trailing_cue_followed_by_its_channel(text, claim):
    assert [c.claim.lower() for c in extract_summary(text).claims] == [claim.lower()]


def test_statement_carried_by_before_a_that_clause_still_reports_what_follows():
    claims = extract_summary("The army said in a statement carried by SANA that the town was retaken.").claims
    assert claims[0].claim.endswith("the town was retaken.")


@pytest.mark.parametrize("text, kind", [
    ("Iran's foreign ministry spokesman said the strike was illegal.", "international"),
    ("Irans foreign ministry said the strike was illegal.", "international"),
    ("Syria's foreign ministry said the strike was illegal.", "government"),
])
def test_a_foreign_country_named_with_a_possessive_is_international(text, kind):
    assert [c.source_type.value for c in extract_summary(text).claims] == [kind]


def test_according_to_a_source_with_a_relative_clause_attributes_the_words_before():
    text = "Twenty people were killed in air strikes, according to the Example Network, which counts the dead."
    assert [c.claim for c in extract_summary(text).claims] == [
        "The Example Network said Twenty people were killed in air strikes."]


def test_a_that_clause_after_a_cue_is_no_relative_clause():
    text = "The Observatory reports that 20 civilians were killed, while the army claims 30 militants died."
    assert sources(text) == ["The Observatory", "the army"]


@pytest.mark.parametrize("text", [
    "Example conflict claims more than 300,000 lives",
    "The fighting claims dozens of lives every week.",
])
def test_claims_lives_is_a_toll_not_a_claim(text):
    assert found(text) == []


@pytest.mark.parametrize("text, source, kind", [
    ("The UNs humanitarian chief Omar Haddad told the Security Council the situation was dire.",
     "The UNs humanitarian chief Omar Haddad", "international"),
    ("The relief agency said 20 trucks entered.", "The relief agency", "humanitarian"),
    ("Aid groups said the convoy was blocked.", "Aid groups", "humanitarian"),
])
def test_humanitarian_and_lost_possessive_un_sources(text, source, kind):
    claims = extract_summary(text).claims
    assert [(c.source, c.source_type.value) for c in claims] == [(source, kind)]


@pytest.mark.parametrize("text, source", [
    ("According to the latest EXNET estimates the conflict has killed more than 2000 people.", "EXNET"),
    ("More than 300 people have been killed, according to the latest UN figures.", "UN"),
])
def test_according_to_a_document_named_with_adjectives(text, source):
    assert sources(text) == [source]


@pytest.mark.parametrize("text", [
    "According to the new figures, 20 died.",
    "According to preliminary estimates 20 people died.",
])
def test_according_to_a_document_without_owner_is_no_claim(text):
    assert found(text) == []
