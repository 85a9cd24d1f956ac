"""Issue 14, lists of counts and the other kinds of sentence conflict reports use a lot:
a list of counts sharing one verb, a list of places with their counts, a rate, a
negation inside a relative clause, a part of the victims of the sentence before, and
wounded who later died. What each should give follows evals/GUIDELINES.md (a figure is
an explicit quantity of people killed, wounded, captured or missing; a breakdown is an
item of its own; ages are no figures). Every sentence here is written for the test; none
comes from an article of the gold or events sets."""

from __future__ import annotations

import pytest

from summarize.rules import extract_summary
from summarize.rules.denials import apposed_ages, rate_after
from summarize.rules.placelists import is_place_before
from summarize.rules.sentences import split_sentences


def figures(text: str) -> list[tuple[str, str, str]]:
    """(quantity_text, outcome, victims) of every figure the rules backend reads in ``text``."""
    return [(f.quantity_text, f.outcome, f.victims)
            for f in extract_summary(text, source="Example News").casualties]


def killed(text: str) -> list[str]:
    """The quantity_text of every killed figure the rules backend reads in ``text``."""
    return [f.quantity_text for f in extract_summary(text, source="Example News").casualties
            if f.outcome == "killed"]


# 1. Lists of counts that share one verb: each count is a figure with its own victims.

@pytest.mark.parametrize("text, expected", [
    ("3 soldiers, 12 civilians and 4 rebels were killed.",
     [("3", "killed", "soldiers"), ("12", "killed", "civilians"), ("4", "killed", "rebels")]),
    ("Three soldiers, 12 civilians, 5 women and 4 rebels were killed in the attack.",
     [("Three", "killed", "soldiers"), ("12", "killed", "civilians"), ("5", "killed", "women"),
      ("4", "killed", "rebels")]),
    ("Two medics, four children and a dozen fighters were wounded on Monday.",
     [("Two", "wounded", "medics"), ("four", "wounded", "children"), ("a dozen", "wounded", "fighters")]),
    ("The strike killed 5 soldiers and 3 civilians.",
     [("5", "killed", "soldiers"), ("3", "killed", "civilians")]),
    ("Clashes left at least 15 dead among the rebels and 23 among their opponents, as well as two civilians.",
     [("at least 15", "killed", "the rebels"), ("23", "killed", "their opponents"),
      ("two", "killed", "civilians")]),
    ("12 dead among the rebels, 8 among the army.",
     [("12", "killed", "the rebels"), ("8", "killed", "the army")]),
    ("3 soldiers, 12 civilians killed in Idlib air strikes",
     [("3", "killed", "soldiers"), ("12", "killed", "civilians")]),
    ("The air strike hit the town, killing 7, including 2 children.",
     [("7", "killed", "people"), ("2", "killed", "children")]),
])
def test_every_count_of_a_list_is_its_own_figure(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Government forces shelled 12 towns, killing 4 civilians.", ["4"]),
    ("The fighting lasted 3 days and killed 20 rebels.", ["20"]),
    ("Rebels fired 5 rockets, killing 2 children.", ["2"]),
    ("The army deployed 300 soldiers, 12 civilians were killed.", ["12"]),  # the 300 are the object of "deployed"
    ("Fighting involving 300 soldiers and 12 civilians were killed.", ["12"]),
    ("Government forces shelled 12 towns in Hama, Homs 5.", []),
    ("Shelling killed 12 people in Aleppo, Hama 2016.", ["12"]),  # a year after a place
    ("The army sent 300 troops, and 12 were killed among the army.", ["12"]),  # "sent" is no "-ed" verb
    ("Rebels brought 20 prisoners and 12 hostages were killed.", ["12"]),
])
def test_no_count_is_taken_from_another_clause(text, expected):
    assert killed(text) == expected


def test_a_list_after_a_verb_of_its_own_keeps_that_verb():
    assert figures("Rebels captured 3 soldiers and 2 officers.") == [
        ("3", "captured", "soldiers"), ("2", "captured", "officers")]


# 1 and 3. Places with their counts: each count is a figure, never an age.

@pytest.mark.parametrize("text, expected", [
    ("Rescuers found 150 bodies in Hammouriya, Kfar Batna 100.", ["150", "100"]),
    ("Rescuers found 150 bodies in Hammouriya, Kfar Batna 100 and Saqba 67.", ["150", "100", "67"]),
    ("The strikes killed 12 people: Hama, 4, Homs, 8.", ["12", "4", "8"]),
    ("Shelling killed 12: Hama, 4, Homs, 8.", ["12", "4", "8"]),  # a bare count before a colon
    ("At 12:30, 5 people were killed.", ["5"]),  # a time is no count
    ("Deaths by province: Hama, 4, Homs, 7.", ["4", "7"]),
    ("The dead were counted by province: Hama, 4, Homs, 7, and Idlib, 12.", ["4", "7", "12"]),
])
def test_a_list_of_places_and_counts(text, expected):
    assert killed(text) == expected


def test_an_injuries_heading_makes_its_places_counts_wounded():
    assert figures("Injuries by town: Hama 4, Homs 7.") == [("4", "wounded", "people"), ("7", "wounded", "people")]


@pytest.mark.parametrize("text, expected", [
    ("Rebels shelled Hama, 4 times on Monday.", []),  # no count of people
    ("Clashes in Hama, Homs and Idlib went on for 4 days.", []),
    ("Ahmad, 17, died in the strike.", []),  # an age
    ("The strike killed Omar, 15, and Ali, 12.", []),  # names with ages
    ("Two boys, 15 and 16, were killed.", ["Two"]),
])
def test_places_without_a_toll_and_ages_give_no_count(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, ages", [
    ("Ahmad, 17, died in the strike.", ["17"]),
    ("Omar, 15, and Ali, 12, were killed.", ["15", "12"]),
    ("Deaths by province: Hama, 4, Homs, 7.", []),
    ("Killed: Kfar Batna, 12, Douma, 3.", []),
    ("Qasim, 17, was killed.", ["17"]),  # a name spelt like a gazetteer place, in no list
    ("Adra, 12, and Qasim, 15, were killed.", ["12", "15"]),
    ("Qasim, 17, Ahmad, 20, were killed.", ["17", "20"]),  # a list that names a person holds ages
    ("The dead were Ahmad, 17, Zahra, 12, Dana, 9 and Hama, 30.", ["17", "12"]),
    ("Zahra, 12, Dana, 9, were killed.", ["12", "9"]),  # places are never a verb's subject
    ("Killed: Kfar Batna, 12, Douma, 3, and Hama, 4.", []),
])
def test_a_number_after_a_place_is_no_age(text, ages):
    sentence = split_sentences(text)[0]
    assert [text[a:b] for a, b in apposed_ages(sentence)] == ages


@pytest.mark.parametrize("text, expected", [
    ("Three children, Zahra, 12, Dana, 9, and Ali, 5, were killed.", [("Three", "killed", "children")]),
    ("Qasim, 17, Madaya, 20, were killed.", []),
    ("Killed: Ahmad, 17, Zahra, 12.", []),
])
def test_names_spelt_like_places_keep_their_ages(text, expected):
    assert figures(text) == expected


def test_is_place_before_reads_up_to_three_capitalised_words():
    tokens = split_sentences("Fighting in Kfar Batna, Ahmad, 17, Hama 4.")[0].tokens
    texts = [t.text for t in tokens]
    assert is_place_before(tokens, texts.index("Batna") + 1)
    assert is_place_before(tokens, texts.index("Hama") + 1)
    assert not is_place_before(tokens, texts.index("Ahmad") + 1)
    assert not is_place_before(tokens, texts.index("Fighting") + 1)


# 2. A rate is no toll: by the guide a figure counts the people of an event; a count of
# people per unit of time is no such count, so it gives no figure.

@pytest.mark.parametrize("text", [
    "The militia kills 3 people a week in the province.",
    "The army says it kills 20 militants each day.",
    "Snipers killed an average of 50 a month.",
    "Air strikes killed 40 people per day last week.",
    "Three people are killed every day in Aleppo.",
    "Two children die every few days in the camp.",
    "At least 20 people were killed each day of the offensive.",
    "The militia kills 3 people weekly.",
    "Three children die daily in the camp.",
])
def test_a_rate_is_no_figure(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, expected", [
    ("The strike killed 12 people a day after the truce.", ["12"]),
    ("12 soldiers were killed in a day of fighting.", ["12"]),
    ("The army killed 12 rebels in a week.", ["12"]),
    ("Raids killed 30 people over a week.", ["30"]),
    ("At least 30 people were killed, the highest toll in a month.", ["At least 30"]),
    ("At least 30 people were killed on Monday, a day after the truce.", ["At least 30"]),
    ("Russian jets killed 12 people in daily raids.", ["12"]),
    ("The militia kills 3 people weekly, a weekly toll of 3.", ["3"]),  # the toll is no rate
    ("Shelling killed 30 people in an offensive that lasted a week.", ["30"]),  # the week is the offensive's
    ("30 people were killed in a battle lasting a day.", ["30"]),
    ("30 people were killed when rebels attacked twice a day.", ["30"]),
    ("30 people died after the town was shelled every day.", ["30"]),
    ("12 people were killed according to the daily.", ["12"]),  # a newspaper, no rate adverb
    ("12 people were killed in the raid, said the daily.", ["12"]),
    ("12 people were killed in clashes reported weekly.", ["12"]),
])
def test_a_time_span_is_no_rate(text, expected):
    assert killed(text) == expected


def test_rate_after_reads_the_clause_of_the_count_only():
    tokens = split_sentences("3 people were killed, and 5 people die every week.")[0].tokens
    assert not rate_after(tokens, 2)
    assert rate_after(tokens, [t.text for t in tokens].index("5") + 2)


# 4. A negation inside a relative clause denies the clause's verb; the main clause decides.

@pytest.mark.parametrize("text, expected", [
    ("40 prisoners who were not harmed in the raid were later killed.", [("40", "killed", "prisoners")]),
    ("Five soldiers who were not wounded in the ambush were later executed.", [("Five", "killed", "soldiers")]),
    ("12 people who had not been evacuated were killed.", [("12", "killed", "people")]),
    ("40 prisoners who were freed were later killed.", [("40", "killed", "prisoners")]),
    ("12 soldiers who were not killed were wounded.", [("12", "wounded", "soldiers")]),
    ("12 soldiers who were killed in the raid were buried.", [("12", "killed", "soldiers")]),
    ("12 civilians, who were not armed, were killed.", [("12", "killed", "civilians")]),
    ("12 civilians, who did not flee, were killed.", [("12", "killed", "civilians")]),
    ("3 soldiers and 2 civilians, who were not killed, were wounded.",
     [("3", "wounded", "soldiers"), ("2", "wounded", "civilians")]),
    ("12 civilians, who were killed, were buried.", [("12", "killed", "civilians")]),
])
def test_a_relative_clause_does_not_decide_the_outcome(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "The 12 who did not die were taken to hospital.",
    "12 soldiers who were not killed were taken to hospital.",
    "12 soldiers were not killed.",
    "12 civilians, who were not killed, were freed.",
    "12 civilians, who did not die, were taken to hospital.",
    "3 soldiers were neither killed nor wounded.",
    "3 soldiers, 12 civilians and 4 rebels were neither killed nor wounded.",
])
def test_a_main_clause_without_an_outcome_gives_nothing(text):
    assert figures(text) == []


# 5. A part of the victims of a toll is a breakdown; wounded who later died are killed.

@pytest.mark.parametrize("second, expected", [
    ("At least five of the victims were children.", ("At least five", "killed", "children")),
    ("Five of the dead were children.", ("Five", "killed", "children")),
    ("Two of those killed were women.", ("Two", "killed", "women")),
    ("At least five of the victims were children, the monitor said.", ("At least five", "killed", "children")),
])
def test_a_part_of_the_victims_is_a_breakdown_of_the_toll_before(second, expected):
    assert figures("At least 30 people were killed in the strike. " + second) == [
        ("At least 30", "killed", "people"), expected]


def test_a_part_of_the_wounded_takes_their_outcome():
    assert figures("At least 30 people were wounded. Five of the injured were children.") == [
        ("At least 30", "wounded", "people"), ("Five", "wounded", "children")]


def test_a_part_of_the_victims_in_the_same_sentence():
    assert figures("At least 30 people were killed in the strike and five of the victims were children.") == [
        ("At least 30", "killed", "people"), ("five", "killed", "children")]


@pytest.mark.parametrize("second", [
    "Five of the victims' relatives were arrested.",
    "Five of the victims’ homes were destroyed.",
])
def test_a_part_of_what_the_victims_own_is_no_part_of_them(second):
    assert figures("30 people were killed. " + second) == [("30", "killed", "people")]


def test_a_part_from_a_place_or_family_names_no_category():
    assert figures("30 people were killed. Five of the victims were from one family.") == [
        ("30", "killed", "people"), ("Five", "killed", "the victims")]


def test_a_part_of_victims_never_named_gives_nothing():
    assert figures("At least five of the victims were children.") == []


@pytest.mark.parametrize("text, expected", [
    ("30 people were injured and later died.", [("30", "killed", "people")]),
    ("30 people were wounded and died of their wounds in hospital.", [("30", "killed", "people")]),
    ("30 people were wounded and subsequently succumbed.", [("30", "killed", "people")]),
    ("The shelling wounded 30 people, who later died.", [("30", "killed", "people")]),
])
def test_wounded_who_later_died_are_killed(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The bomber wounded 30 people and died in the blast.", [("30", "wounded", "people")]),
    ("The gunman wounded 30 people, then died.", [("30", "wounded", "people")]),
    ("The gunman, who wounded 30 people, later died.", [("30", "wounded", "people")]),
    ("The shelling injured 30 people and killed 12.", [("30", "wounded", "people"), ("12", "killed", "people")]),
    ("30 people were injured and 5 died.", [("30", "wounded", "people"), ("5", "killed", "people")]),
    ("30 people were killed and wounded.", [("30", "killed_or_wounded", "people")]),
])
def test_wounded_and_a_death_of_others_stay_apart(text, expected):
    assert figures(text) == expected


# 6. A list of places and counts decided as a whole: a village the gazetteer lacks or a
# name mixed in does not turn its counts into ages; a list of people keeps its ages.

@pytest.mark.parametrize("text, expected", [
    ("Deaths: Hama, 4, Homs, 7, Ahmad, 20.", ["4", "7", "20"]),  # most names are places
    ("Deaths by province: Qaryat Zumurrud, 4, Douma, 7.", ["4", "7"]),
    ("Deaths: Qaryat Zumurrud, 4, Douma, 7.", ["4", "7"]),  # "Qaryat": a place-name element
    ("Killed by town: Zumurrud, 4, Marbat, 7.", ["4", "7"]),  # a heading by place: every item a place
    ("Deaths: Hama 4, Homs 7, Ahmad 20.", ["4", "7", "20"]),
])
def test_a_place_list_with_a_name_the_gazetteer_lacks(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, ages", [
    ("Deaths: Hama, 4, Homs, 7, Ahmad, 20.", []),
    ("Deaths by province: Qaryat Zumurrud, 4, Douma, 7.", []),
    ("Killed: Ahmad, 17, Zahra, 12, Dana, 9, and Omar, 5, in Douma.", ["17", "12", "9", "5"]),  # half: people
    ("Killed: Ahmad, 17, Omar, 12, Hama, 3, in Douma.", ["17", "12", "3"]),
    ("Zahra, 12, Dana, 9, were killed.", ["12", "9"]),
    ("Killed: Ahmad, 17, in Douma.", ["17"]),
    ("Deaths: Northern Hama, 4, Rural Damascus, 7, In Douma, 2.", []),  # a region's word or a preposition first
])
def test_a_heading_list_is_read_as_a_whole(text, ages):
    sentence = split_sentences(text)[0]
    assert [text[a:b] for a, b in apposed_ages(sentence)] == ages


@pytest.mark.parametrize("text", [
    "Zahra, 12, Dana, 9, were killed.",
    "Killed: Ahmad, 17, Zahra, 12.",
    "Qaryat Ahmad, 17, was killed.",  # no list, no heading: an age
    "The strike killed Ahmad, 17, and Omar, 12.",
    "Killed: Ahmad Zahra, 17, Omar Qasim, 9.",  # a surname spelt like a village (Zahra, Qasim)
    "Killed: Ahmad Zahra, 17.",
])
def test_people_with_ages_give_no_count(text):
    assert killed(text) == []


def test_a_person_after_a_place_list_is_no_place():
    assert killed("The strike killed 12 people in Aleppo, Ahmad Zahra 4.") == ["12"]
    assert killed("The strike killed 12 people in Aleppo, Zahra 4.") == ["12", "4"]


# 7. A part stated two sentences after its toll, with nothing between that "them" could
# point to, is a breakdown of that toll.

TOLL = "At least 30 people were killed in Idlib on Monday. The strikes hit the market. "


@pytest.mark.parametrize("part, expected", [
    ("Among them were twelve children.", ("twelve", "killed", "children")),
    ("They included twelve children.", ("twelve", "killed", "children")),
    ("Twelve of them were children.", ("Twelve", "killed", "children")),
    ("Twelve children were among them.", ("Twelve", "killed", "children")),
])
def test_a_part_two_sentences_after_its_toll(part, expected):
    assert figures(TOLL + part) == [("At least 30", "killed", "people"), expected]


@pytest.mark.parametrize("between", [
    "Rebels shelled 4 villages.",  # a number between
    "The rebels fled.",  # people between: "them" may be they
    "The strikes hit the market. The town was shelled.",  # two sentences between
    "Dozens of buildings collapsed.",  # an amount between: "them" may be the buildings
    "Several homes burned.",
    "Rescue teams searched the rubble.",  # a group of people between
])
def test_a_part_after_something_else_is_no_breakdown(between):
    text = "At least 30 people were killed in Idlib on Monday. " + between + " Among them were twelve children."
    assert figures(text) == [("At least 30", "killed", "people")]


def test_a_part_beyond_the_toll_stays_no_part():
    assert figures(TOLL + "Among them were forty children.") == [("At least 30", "killed", "people")]


@pytest.mark.parametrize("text", [
    "12 people are killed on a daily basis in the camp.",
    "Two children die on a weekly basis.",
    "Three people are killed every 24 hours in Aleppo.",
    "Three children die day after day in the camp.",
])
def test_more_rates_are_no_figure(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, expected", [
    ("12 people were killed on the day after the truce.", ["12"]),
    ("30 were killed on Monday, day after day of shelling.", ["30"]),
    ("12 people were killed in the 24 hours after the truce.", ["12"]),
])
def test_a_day_that_is_no_rate(text, expected):
    assert killed(text) == expected


# 8. A count whose source stands in commas between it and its verb.

def test_a_count_with_its_source_in_commas_before_its_verb():
    summary = extract_summary("At least 12 people, according to SOHR, were killed.", source="Example News")
    assert [(f.quantity_text, f.outcome, f.stated_by) for f in summary.casualties] == [
        ("At least 12", "killed", "SOHR")]


def test_a_nearer_heading_decides_the_outcome_of_its_list():
    assert figures("Deaths: Hama, 4, Homs, 7; Injuries: Idlib, 9.") == [
        ("4", "killed", "people"), ("7", "killed", "people"), ("9", "wounded", "people")]


def test_every_single_day_is_a_rate():
    assert figures("Twelve people are killed every single day.") == []


@pytest.mark.parametrize("text", [
    "12 people, the Observatory said, were killed in the strikes.",
    "12 people, said the Observatory, were killed in the strikes.",
])
def test_a_count_keeps_its_verb_across_a_reporting_aside(text):
    summary = extract_summary(text, source="Example News")
    assert [(f.quantity_text, f.outcome, f.stated_by) for f in summary.casualties] == [
        ("12", "killed", "the Observatory")]


def test_an_aside_with_a_verb_of_its_own_is_no_reporting_aside():
    assert figures("Rebels, who had said they would withdraw, killed 12 soldiers.") == [
        ("12", "killed", "soldiers")]


@pytest.mark.parametrize("text", [
    "Killed: Ahmad, 17, Zahra, 12, and Dana, 9.",  # villages' names are also people's
    "Deaths: Douma, 4, Ahmad, 20.",  # as many names of no place as sure places: people
])
def test_a_heading_list_of_names_spelt_like_villages_keeps_its_ages(text):
    assert killed(text) == []


def test_a_city_and_a_village_of_two_words_outvote_a_name():
    assert killed("Deaths: Douma, 4, Kfar Batna, 6, Ahmad, 20.") == ["4", "6", "20"]


@pytest.mark.parametrize("text, expected", [
    ("Deaths: 4 in Hama, 7 in Homs.", [("4", "killed", "people"), ("7", "killed", "people")]),
    ("Injuries: 4 in Hama and 7 in Homs.", [("4", "wounded", "people"), ("7", "wounded", "people")]),
    ("Update: 4 in Hama.", []),  # a heading with no outcome
    ("Deaths: 2016 in Hama.", []),  # a year
])
def test_counts_before_their_places_after_a_heading(text, expected):
    assert figures(text) == expected


def test_a_count_whose_source_ends_its_clause_before_a_verbless_part():
    summary = extract_summary("Twelve people have been killed, the Observatory said, most of them civilians.",
                              source="Example News")
    assert [(f.quantity_text, f.stated_by) for f in summary.casualties] == [("Twelve", "the Observatory")]


def test_the_last_item_of_a_place_list_before_its_source():
    assert killed("Deaths: Hama, 4, Homs, 7, and Idlib, 12, according to SOHR.") == ["4", "7", "12"]


def test_a_count_before_according_to_keeps_no_verb_of_another_clause():
    assert killed("Rebels deployed 300 fighters, according to SOHR, and 12 were killed.") == ["12"]


@pytest.mark.parametrize("second, expected", [
    ("It said twelve of them were children.", ("twelve", "killed", "children")),
    ("The monitor added that among them were five children.", ("five", "killed", "children")),
    ("Activists said they included five children.", ("five", "killed", "children")),
])
def test_a_part_in_a_reported_clause_is_a_breakdown_of_the_toll_before(second, expected):
    assert figures("At least 30 people were killed in Idlib. " + second) == [
        ("At least 30", "killed", "people"), expected]


def test_a_count_that_speaks_is_no_part():
    assert figures("At least 30 people were killed in Idlib. Twelve of them said the army fired.") == [
        ("At least 30", "killed", "people")]


@pytest.mark.parametrize("text", [
    "12 people have been killed every week since January.",
    "Two children die every day after the siege began.",
])
def test_a_rate_with_every_stays_a_rate_before_a_time_phrase(text):
    assert figures(text) == []
