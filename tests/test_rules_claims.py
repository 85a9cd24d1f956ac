"""Attributed claims read by the rules backend: cues, speakers, source types, quotes."""

from __future__ import annotations

import pytest

from summarize.rules import extract_summary
from summarize.rules.sentences import split_sentences
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


# ---- unseen styles (issue 14): invented sentences, one pattern each ---------------------


def last_claims(text: str) -> list[tuple[str, str]]:
    """(source, cue) of the claims whose quote is the text's last sentence."""
    last = split_sentences(text)[-1].text
    return [(c.source, c.cue) for c in claims(text) if c.quote == last]


@pytest.mark.parametrize("text, expected", [
    ("The ministry confirmed that two soldiers were missing.", [("The ministry", "confirmed")]),
    ("The government has strongly denied responsibility for the attack.",
     [("The government", "has strongly denied")]),
    ("The rebels accused the army of shelling the hospital.", [("The rebels", "accused")]),
    ("The UN warned that aid would run out within days.", [("The UN", "warned")]),
    ("France has suggested that force could be used.", [("France", "has suggested")]),
    ("The opposition blamed government forces for the attack.", [("The opposition", "blamed")]),
    ("The Syrian army meanwhile officially announced it had cut the supply routes.",
     [("The Syrian army", "officially announced")]),
    ("The Assad regime has denied allegations that it was behind the attack.",
     [("The Assad regime", "has denied")]),
    ("Syrian state media alleged on Saturday that rebels had used gas.", [("Syrian state media", "alleged")]),
    ("The council president called on the United Nations to act.", [("The council president", "called on")]),
    ("The governor appealed to aid agencies to send fuel.", [("The governor", "appealed")]),
    ("The agency cited a police source as saying the road was closed.", [("The agency", "cited")]),
    ("The army reiterated that the offensive would continue.", [("The army", "reiterated")]),
])
def test_more_reporting_verbs(text, expected):
    assert last_claims(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("SANA quoted a police source as saying that three shells hit the district.", [("SANA", "quoted")]),
    ("In a statement, the ministry said the strikes hit militant depots.", [("the ministry", "said")]),
    ("The ministry said in a statement on Monday that the strikes hit depots.",
     [("The ministry", "said in a statement")]),
    ("Three people were killed, according to a statement by the Civil Defence.",
     [("the Civil Defence", "according to")]),
    ("According to a statement issued by the army, the town was retaken.", [("the army", "According to")]),
    ("According to a report by Human Rights Watch, the strikes hit schools.",
     [("Human Rights Watch", "According to")]),
])
def test_quoted_as_saying_statements_and_documents(text, expected):
    assert last_claims(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("We hope to go back one day said Noha 45 who asked not to be named.", [("Noha", "said")]),
    ("The road remains closed said Observatory chief Rami Abdel Rahman.",
     [("Observatory chief Rami Abdel Rahman", "said")]),
    ("The bombings were claimed by the Islamic State group.", [("the Islamic State group", "claimed")]),
    ("Organizers of the forum said it aimed to help the displaced.", [("Organizers of the forum", "said")]),
    ("In turn the UN Resident Representative in Syria Ali al-Zaatari said in a statement that aid was blocked.",
     [("the UN Resident Representative in Syria Ali al-Zaatari", "said in a statement")]),
    ("Three soldiers were killed after the capture of five villages the Syrian Observatory for Human "
     "Rights a Britain-based war monitor said on Monday.",
     [("the Syrian Observatory for Human Rights", "said")]),
])
def test_speakers_without_punctuation_or_with_long_names(text, expected):
    assert last_claims(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Homs Governor Talal Barazi said the fire was out. The governor said the damage was limited.",
     [("Homs Governor Talal Barazi", "said")]),
    ("The Syrian Observatory for Human Rights said 12 were killed. The monitor said the toll could rise.",
     [("The Syrian Observatory for Human Rights", "said")]),
    ("The Syrian Observatory for Human Rights said 12 were killed. The Britain-based group added that "
     "strikes continued.", [("The Syrian Observatory for Human Rights", "added")]),
    ("SANA reported that troops entered the town. The report added that the army was advancing.",
     [("SANA", "added")]),
    ("The UN envoy Staffan de Mistura said talks would resume. The envoy warned that time was short.",
     [("The UN envoy Staffan de Mistura", "warned")]),
    ("Strikes hit the town, a monitor said. The Syrian Observatory for Human Rights said 12 died.",
     [("The Syrian Observatory for Human Rights", "said")]),
])
def test_sources_named_by_title_or_description(text, expected):
    assert last_claims(text) == expected


def test_a_generic_monitor_takes_the_name_the_article_gives_later():
    text = "Strikes hit the town, a monitor said. The Syrian Observatory for Human Rights said 12 died."
    assert [c.source for c in claims(text)] == ["The Syrian Observatory for Human Rights"] * 2


def test_a_partial_naming_takes_the_fullest_naming_anywhere():
    text = "Homs governor says the fire is out. Homs Governor Talal Barazi said on Friday the damage was limited."
    assert [c.source for c in claims(text)] == ["Homs Governor Talal Barazi"] * 2


def test_an_organisation_is_not_named_by_its_director():
    text = "The WHO said cases were severe. Peter Salama, director of the WHO emergencies programme, said more aid was sent."
    assert claims(text)[0].source == "The WHO"


@pytest.mark.parametrize("text, expected", [
    ("Observatory: 20 killed in air strikes on Idlib", [("Observatory", ":")]),
    ("Interim Minister of Health: Aleppo hospitals out of service", [("Interim Minister of Health", ":")]),
])
def test_a_source_before_a_headline_colon(text, expected):
    assert last_claims(text) == expected


def test_a_cue_ending_with_a_colon_attributes_the_next_sentence():
    text = 'The ministry said in a statement:\n"The attack killed five soldiers."'
    summary = extract_summary(text, source="Example News")
    (claim,) = summary.claims
    assert (claim.source, claim.quote, claim.direct_quote) == (
        "The ministry", "The ministry said in a statement:", True)
    assert "five soldiers" in claim.claim
    assert summary.casualties[0].stated_by == "The ministry"


def test_mutual_accusations_give_one_claim_per_side():
    text = "The opposition and the government have blamed each other for the gas attacks."
    assert last_claims(text) == [("The opposition", "have blamed"), ("the government", "have blamed")]


def test_a_headline_claim_repeated_in_the_body_is_dropped():
    summary = extract_summary("Monitor says 12 killed in Idlib\n\nTwelve people were killed in Idlib, "
                              "the monitor said on Monday.", title="Monitor says 12 killed in Idlib",
                              source="Example News")
    assert [c.quote for c in summary.claims] == ["Twelve people were killed in Idlib, the monitor said on Monday."]


@pytest.mark.parametrize("text", [
    "Deir Ezzur: the army advanced on two fronts.",
    "Syria: 40 dead in market bombing",
    "Source: ARA News",
    "The attack was claimed.",
    "Residents of the besieged town cheered the convoy.",
    "That report was followed by a string of alerts.",
    "Inspectors were sent to investigate Wednesdays alleged attack.",
    "On Saturday a blast killed 100 people, adding new urgency to the talks.",
])
def test_still_not_claims(text):
    assert claims(text) == []


@pytest.mark.parametrize("text", [
    "The fighting threatened the last road into the town.",
    "The footage revealed a crater near the school.",
    "The evidence suggested the strike came from the air.",
])
def test_a_noun_phrase_that_names_no_speaker_is_no_source(text):
    assert claims(text) == []


def test_the_observatory_is_not_its_director():
    text = ("Observatory director Rami Abdel Rahman said the blast was the biggest. "
            "At least 18 people were killed in Aleppo the observatory said.")
    assert claims(text)[1].source == "the observatory"


def test_a_british_based_observatory_is_the_observatory_the_article_names():
    text = ("The Syrian Observatory for Human Rights said 12 people died. "
            "The British-based Observatory said the number was expected to rise.")
    assert [c.source for c in claims(text)] == ["The Syrian Observatory for Human Rights"] * 2


def test_a_generic_monitor_is_not_expanded_to_a_person():
    text = ("Jihadists attacked the field a monitoring group said. "
            "An unknown number of jihadists were killed Observatory director Rami Abdel Rahman told AFP.")
    assert claims(text)[0].source == "a monitoring group"


def test_a_name_with_an_age_is_a_person_for_she_said():
    text = "We had to leave said Samira 55 who travelled with her sons. Now we have nothing she said."
    assert [c.source for c in claims(text)] == ["Samira", "Samira"]


def test_a_passive_agent_claim_quotes_the_clause_it_stands_in():
    (claim,) = claims("Many of the bombings in the city have been claimed by the Islamic State group.")
    assert claim.source == "the Islamic State group"
    assert claim.claim == ("The Islamic State group claimed, the article says: “Many of the bombings in "
                           "the city have been claimed by the Islamic State group”.")


def test_a_coalition_spokesman_is_military():
    assert source_type("A spokesman for the coalition") == "military"


@pytest.mark.parametrize("text, expected", [
    ("Damascus rejected the accusation as baseless.", [("Damascus", "rejected")]),
    ("The ministry maintained that no civilians were hit.", [("The ministry", "maintained")]),
    ("The envoy reaffirmed that talks would resume in Geneva.", [("The envoy", "reaffirmed")]),
    ("Moscow believes the attack was staged.", [("Moscow", "believes")]),
])
def test_stances_reported_as_claims(text, expected):
    assert last_claims(text) == expected


@pytest.mark.parametrize("text, source, kind", [
    ("Speaking to reporters in Aleppo, Saleh Zein, spokesman for the Levant Front (a rebel faction), "
     "said the rebels repelled the attack.", "Saleh Zein, spokesman for the Levant Front", "armed_group"),
    ("Rami Abdel Rahman, the head of the Observatory, said the toll would rise.",
     "Rami Abdel Rahman, the head of the Observatory", "monitor"),
    ("The Observatory, a Britain-based monitoring group, said the toll would rise.", "The Observatory", "monitor"),
    # the description types the person (a resident is a witness by the guide), the name stays the source
    ("Ahmad, a 30-year-old resident of Douma, said the shelling went on all night.", "Ahmad", "witness"),
])
def test_a_role_in_apposition_is_part_of_the_source(text, source, kind):
    claim = one(text)
    assert (claim.source, claim.source_type) == (source, kind)


def test_a_surname_after_a_name_with_its_role_is_that_person():
    found = claims("Saleh Zein, spokesman for the Levant Front, said the rebels held the hill. "
                   "“We will not withdraw,” Zein said.")
    assert [c.source for c in found] == ["Saleh Zein, spokesman for the Levant Front"] * 2


@pytest.mark.parametrize("first", ["The governor", "A military official", "The spokesman"])
def test_he_is_the_person_a_role_names(first):
    found = claims(f"{first} said the town was calm. He added that 20 families returned.")
    assert [c.source for c in found] == [first, first]


def test_no_break_spaces_do_not_hide_a_source_type():
    assert source_type("spokesman for\u00a0the Levant\u00a0Front") == source_type("spokesman for the Levant Front")
