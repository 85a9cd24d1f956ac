"""The tolls issue 14 lists, one group of invented sentences per pattern, and the counts
in killing sentences that are not people killed (evals/GUIDELINES.md). Every sentence
here is written for the test; none comes from an article of the gold or events sets."""

from __future__ import annotations

import pytest

from summarize.rules import extract_summary
from summarize.rules.layout import related_blocks
from summarize.rules.sentences import split_sentences


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
    ("Five soldiers shot dead 3 protesters.", ["3"]),
    ("Five soldiers shot dead the driver.", []),
    ("Five protesters shot dead in Homs", ["Five"]),
    ("Two gunmen were killed after they killed 6 civilians.", ["Two", "6"]),  # passive: killed
    ("10 civilians killed 15 injured in rocket attacks", ["10"]),  # a list that lost its comma
    ("Of the 300 residents, 40 were killed.", ["40"]),
    ("Of 300 residents, 40 were killed.", ["40"]),
    ("Of some 300 residents, 40 were killed.", ["40"]),
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
    ("Five soldiers, he said, were killed in the attack.", ["Five"]),  # a pronoun that only reports
    ("At least 12 people, it said, died in the shelling.", ["At least 12"]),
    ("Up to 50 people could be killed if the dam bursts.", []),
    ("The group threatened to kill 20 hostages.", []),
    ("Police foiled a plot to kill 30 people.", []),
    ("The bomb, had it exploded, would have killed dozens.", []),
    ("The strike could have killed 100 people.", []),
    ("Officials fear the toll could rise to 50.", []),
    ("The toll, officials said, could rise to 50.", []),
    ("The death toll, which is expected to rise, reached 30.", ["30"]),  # the forecast is an aside
    ("The death toll, which could rise further, stood at 45 on Monday.", ["45"]),
    ("The strike may have killed 100 people, the monitor said.", ["100"]),  # an estimate
    ("Up to 30 people may have been killed.", ["Up to 30"]),
    ("The death toll in May reached 50.", ["50"]),
    ("Army units managed to kill 20 terrorists.", ["20"]),  # "to kill" after what was done
    ("The gunman went on to kill 12 people.", ["12"]),
    ("Troops were able to kill dozens of militants.", ["dozens"]),
    ("The gunmen were not able to kill 20 people.", []),
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


@pytest.mark.parametrize("text", [
    "On March 16 100 people were killed.",
    "On March 5 100 people were killed.",  # a one-digit day is no "1 500"
    "Shelling near Route 7 100 people were killed.",
])
def test_a_date_before_a_count_stays_a_date(text):
    figures = extract_summary(text, source="Example News").casualties
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


def test_a_related_link_in_the_middle_hides_its_headlines_only():
    text = ("Shelling killed 12 civilians in Douma on Monday, the monitor said.\n"
            "RELATED: Army advances in Aleppo as 40 rebels are killed\n"
            "The monitor said a further 5 civilians were killed in the town of Harasta later in the day.")
    summary = extract_summary(text, source="Example News")
    assert [f.quantity_text for f in summary.casualties] == ["12", "5"]
    furniture = ("Shelling killed 12 civilians in Douma on Monday, the monitor said.\nRelated Articles\n"
                 "Leave a Reply\nYour email address will not be published.\nRequired fields are marked *")
    assert related_blocks(split_sentences(furniture)) == {1, 2, 3, 4}


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
    fuller_elsewhere = "Dozens of fighters were killed in Hama. Dozens of Kurdish fighters were killed in Hasaka."
    assert killed(fuller_elsewhere) == ["Dozens", "Dozens"]  # two body sentences: two events


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
    ("The victims, many of them students, included 25 civilians.", ["25"]),  # any aside in commas
    ("The dead, who were mostly from the village, included 12 children.", ["12"]),
    ("The fatalities, mostly fighters, included 25 foreigners.", ["25"]),
    ("The convoy, mostly trucks and buses, included 25 civilians.", []),
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


def figures(text: str) -> list[tuple[str, str, str, int | None, int | None]]:
    """(quantity_text, outcome, victims, low, high) of every figure read in ``text``."""
    return [(f.quantity_text, f.outcome, f.victims, f.low, f.high)
            for f in extract_summary(text, source="Example News").casualties]


@pytest.mark.parametrize("text, expected", [
    ("The toll passed 30 on Monday and reached 45.", ["30", "45"]),
    ("The death toll rose to at least 30 on Monday, then climbed to 45 by the evening.",
     ["at least 30", "45"]),
    ("The toll reached 30 and rescuers reached 45 villages.", ["30"]),  # another subject
    ("Temperatures passed 30 on Monday and reached 45.", []),  # no toll at all
    ("The toll road passed 30 on Monday and reached 45.", []),
    ("Traffic on the toll road rose to 45 on Monday.", []),
    ("The toll booth passed 30 trucks.", []),
])
def test_a_toll_verbs_second_number_and_the_toll_road(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The dead included the mayor and 3 guards.", [("3", "killed")]),
    ("Among the dead were a doctor and two nurses.", [("two", "killed")]),
    ("The wounded included the mayor and 3 guards.", [("3", "wounded")]),
    ("The delegation included the mayor and 3 guards.", []),
    ("The visitors were the mayor and 3 guards.", []),
])
def test_a_count_ending_the_list_the_dead_included(text, expected):
    assert [(q, o) for q, o, *_ in figures(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Twelve of the captured were executed.", "killed"),
    ("Twelve of the captured were released.", "captured"),
    ("Twelve of the captured were children.", "captured"),
    ("Twelve of the wounded later died.", "killed"),
])
def test_a_part_of_a_group_named_by_its_outcome_takes_its_own_verb(text, expected):
    assert [o for _, o, *_ in figures(text)] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("Five shot dead in Homs", ["Five"]),
    ("Five gunned down in Homs", ["Five"]),
    ("Five shot at the checkpoint", []),
    ("Five shot dead the driver.", []),  # the five are the killers
    ("Five shot dead 3 protesters.", ["3"]),
])
def test_a_bare_count_in_a_telegraphic_headline(text, expected):
    assert killed(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("30-odd people were killed.", ("30-odd", 30, 30)),
    ("The strike killed thirty-odd civilians.", ("thirty-odd", 30, 30)),
    ("2 dozen people were killed.", ("2 dozen", 24, 24)),
])
def test_odd_and_dozen_after_digits_are_one_quantity(text, expected):
    assert [(q, low, high) for q, _, _, low, high in figures(text)] == [expected]


@pytest.mark.parametrize("text", [
    "A dozen reporters arrived.",
    "2 dozen reporters arrived.",
    "30-odd journalists attended the briefing.",
    "He bought 2 dozen eggs.",
])
def test_odd_and_dozen_counts_that_are_no_figure(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, victims, category", [
    ("Militants began to kill the hostages, 20 of whom died.", "hostages", "unknown"),
    ("Shells hit the security forces, 3 of whom were killed.", "security forces", "combatant"),
    ("Gunmen attacked the village, 20 of whom died.", "whom", "unknown"),  # no people before
    ("Rebels attacked 40 soldiers, 20 of whom died.", "soldiers", "combatant"),  # the 40 did not all die
])
def test_whom_names_the_people_before_its_comma(text, victims, category):
    found = extract_summary(text, source="Example News").casualties
    assert [(f.victims, f.victim_category) for f in found] == [(victims, category)]
