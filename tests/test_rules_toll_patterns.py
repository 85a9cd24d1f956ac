"""The tolls issue 14 lists, one group of invented sentences per pattern, and the counts
in killing sentences that are not people killed (evals/GUIDELINES.md). Every sentence
here is written for the test; none comes from an article of the gold or events sets."""

from __future__ import annotations

import pytest

from summarize.rules import extract_summary


def killed(text: str) -> list[str]:
    """The quantity_text of every killed figure the rules backend reads in ``text``."""
    return [f.quantity_text for f in extract_summary(text, source="Example News").casualties
            if f.outcome == "killed"]


@pytest.mark.parametrize("text, expected", [
    ("Air strike kills 10 in Idlib", ["10"]),
    ("Suicide attack kills 23 near Damascus", ["23"]),
    ("Shelling leaves 7 dead in Homs", ["7"]),
    ("Blast kills at least 40 at bus station", ["at least 40"]),
    ("Aleppo strikes kill 45, monitor says", ["45"]),
    ("Syria: 45 killed in Aleppo strikes", ["45"]),
])
def test_headline_and_telegraphic_style(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Forty people lost their lives in the attack.", ["Forty"]),
    ("Seventeen people perished in the fire.", ["Seventeen"]),
    ("Eight men were slain in the village.", ["Eight"]),
    ("Militants massacred 30 villagers.", ["30"]),
    ("The death toll from the attack has risen to 60.", ["60"]),
    ("Syria death toll tops 30", ["30"]),
    ("The death toll exceeds 50, rescuers say.", ["50"]),
    ("The number of dead has climbed to 54.", ["54"]),
    ("Rescuers pulled 14 bodies from the rubble.", ["14"]),
    ("Four people died of their wounds on Tuesday.", ["Four"]),
])
def test_other_verbs_and_nouns_of_death(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Thirty-two people including 10 children died of suffocation.", ["Thirty-two", "10"]),
    ("32 people including 10 children were killed in the raid.", ["32", "10"]),
    ("At least 58 people died, among them 11 children.", ["At least 58", "11"]),
    ("The strikes killed 12 fighters, 4 civilians and 2 medics.", ["12", "4", "2"]),
    ("Twelve soldiers and three civilians died.", ["Twelve", "three"]),
])
def test_counts_in_lists_and_breakdowns(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("She was one of 12 people killed in the strike.", ["12"]),
    ("He was one of at least 30 people who were killed on Monday.", ["at least 30"]),
    ("One of the 12 people killed was a doctor.", ["12"]),
    ("Two of the 19 dead were children.", ["Two", "19"]),  # a breakdown stays a figure
])
def test_one_of_a_toll_is_the_toll(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Three gunmen killed five people.", ["five"]),
    ("Two suicide bombers killed 30 people at the market.", ["30"]),
    ("Four attackers killed the driver and two passengers.", ["two"]),
    ("Two gunmen were killed after they killed 6 civilians.", ["Two", "6"]),  # passive: killed
    ("10 civilians killed 15 injured in rocket attacks", ["10"]),  # a list that lost its comma
    ("Of the 300 residents, 40 were killed.", ["40"]),
    ("Of the 19 dead, 10 were children.", ["19", "10"]),
])
def test_counts_that_are_not_the_people_killed(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Twenty-five people were killed on Saturday, bringing the number killed this week to 60.",
     ["Twenty-five", "60"]),
    ("The blast killed 12 and brought the total killed this month to 150.", ["12", "150"]),
    ("The 18 dead included 5 women, the monitor said.", ["18", "5"]),
])
def test_running_totals_and_inclusions(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The strike killed two families in Idlib.", []),
    ("Five members of one family were killed.", ["Five"]),
    ("The strikes killed 12 people, 5 of them from one family.", ["12", "5"]),
    ("A family of five was killed in the strike.", ["five"]),
    ("Six family members were killed.", ["Six"]),
])
def test_families_are_households_not_people(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Many residents fear they will be killed if they stay.", []),
    ("Up to 50 people could be killed if the dam bursts.", []),
    ("The group threatened to kill 20 hostages.", []),
    ("Police foiled a plot to kill 30 people.", []),
    ("The bomb, had it exploded, would have killed dozens.", []),
    ("The strike could have killed 100 people.", []),
    ("Officials fear the toll could rise to 50.", []),
    ("The strike may have killed 100 people, the monitor said.", ["100"]),  # an estimate
    ("Up to 30 people may have been killed.", ["Up to 30"]),
    ("The death toll in May reached 50.", ["50"]),
])
def test_threats_risks_and_counterfactuals_are_not_tolls(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The strike killed a mother and her four children.", ["four"]),
    ("Gunmen killed the driver and his two companions.", ["two"]),
    ("A woman and her three children were killed in the strike.", ["three"]),
])
def test_a_count_after_a_possessive_ends_the_object_list(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, quantity, low, high", [
    ("More than 1 500 people were killed.", "More than 1 500", 1501, None),  # FA-KES lost the comma
    ("The war has killed 12 000 children.", "12 000", 12000, 12000),
    ("Some 5,000-7,000 people were killed.", "5,000-7,000", 5000, 7000),
])
def test_numbers_as_fakes_prints_them(text, quantity, low, high):
    [figure] = extract_summary(text, source="Example News").casualties
    assert (figure.quantity_text, figure.low, figure.high) == (quantity, low, high)
    assert figure.quantity_text in text


def test_a_date_before_a_count_stays_a_date():
    figures = extract_summary("On March 16 100 people were killed.", source="Example News").casualties
    assert [f.quantity_text for f in figures] == ["100"]


@pytest.mark.parametrize("text, expected", [
    ("Five civilians killed the activists said.", ["Five"]),  # a text that lost its comma
    ("12 people killed the local coordination committees said", ["12"]),
    ("Five civilians killed 3 of them children", ["Five", "3"]),
    ("Three gunmen killed five people, the army said.", ["five"]),
])
def test_what_follows_an_active_verb_without_its_comma(text, expected):
    assert killed(text) == expected


def test_a_related_stories_block_states_no_figure_and_no_claim():
    text = ("A car bomb killed eight people in Azaz on Saturday, activists said. No group claimed "
            "the attack.\nRelated\nTurkish army says 2 soldiers killed in Syria\nIS attacks kill 30 in Deir Ezzor")
    summary = extract_summary(text, source="Example News")
    assert [f.quantity_text for f in summary.casualties] == ["eight"]
    assert [c.source for c in summary.claims] == ["activists"]
    inline = "Officials said 5 people were killed. Related Articles: Blast kills 12 in Homs, police say"
    assert [f.quantity_text for f in extract_summary(inline, source="Example News").casualties] == ["5"]


@pytest.mark.parametrize("text", [
    "The reports related to the attack said 12 people were killed.",
    "Related to the attack, 12 people were killed in Homs on Monday.",
])
def test_related_as_a_word_is_no_block(text):
    assert killed(text) == ["12"]


def test_a_bare_the_agency_is_the_agency_named_before():
    text = "SANA said 12 people were killed.\nThe agency said 12 people were killed in the blast."
    summary = extract_summary(text, source="Example News")
    assert [(f.quantity_text, f.stated_by) for f in summary.casualties] == [("12", "SANA")]
    assert [c.source for c in summary.claims] == ["SANA", "SANA"]


@pytest.mark.parametrize("text, quantity, outcome, victims", [
    ("Twelve of the wounded later died in hospital.", "Twelve", "killed", "people"),
    ("Four of those wounded died later.", "Four", "killed", "people"),
    ("Residents found three dead soldiers near the checkpoint.", "three", "killed", "soldiers"),
])
def test_the_wounded_who_died_and_dead_as_an_adjective(text, quantity, outcome, victims):
    [figure] = extract_summary(text, source="Example News").casualties
    assert (figure.quantity_text, figure.outcome, figure.victims) == (quantity, outcome, victims)


def test_a_vague_headline_figure_named_more_fully_in_the_lead_is_one_item():
    text = ("Army kills scores of militants in Hama\nThe army killed scores of Takfiri militants in the "
            "northern countryside of Hama on Monday.")
    assert killed(text) == ["scores"]
    two_places = "Scores of people were killed in Aleppo. Scores of children were killed in Hasaka."
    assert killed(two_places) == ["Scores", "Scores"]  # other people: two figures


def test_a_number_that_could_die_is_no_toll():
    assert killed("If there is no ceasefire, 1,000 more people could die every week, he said.") == []


@pytest.mark.parametrize("text, quantity", [
    ("The toll ranged from 200 to 600 depending on the source.", "from 200 to 600"),
    ("Estimates of the death toll vary from 1000 to more than 3000 out of a population of 9000.",
     "from 1000 to more than 3000"),
])
def test_a_toll_that_ranges_or_varies(text, quantity):
    assert killed(text) == [quantity]


@pytest.mark.parametrize("text, expected", [
    ("A driver and three soldiers are reportedly among the deceased according to the monitor.", ["three"]),
    ("Two soldiers were among the victims.", ["Two"]),
])
def test_among_the_deceased_and_the_victims(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The victims, mostly women and children, included 25 civilians who had fled the town.", ["25"]),
    ("The victims mostly women and children included 25 civilians.", ["25"]),  # commas lost
    ("The convoy included 25 civilians.", []),
])
def test_the_dead_described_before_what_they_included(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The strike on Building 7 killed three people.", ["three"]),
    ("Militants of Liwa 313 killed 5 soldiers.", ["5"]),
    ("Syria: 12 killed, 20 injured in Idlib strikes", ["12"]),
    ("12 killed 20 injured in Idlib strikes", ["12"]),
])
def test_a_label_number_before_an_active_verb_is_no_victim_count(text, expected):
    assert killed(text) == expected
