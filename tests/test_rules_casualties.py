"""Casualty figures read by the rules backend from hand-written sentences."""

from __future__ import annotations

import pytest

from summarize.rules import extract_summary


def figures(text: str, source: str | None = "Example News"):
    return extract_summary(text, source=source).casualties


def one(text: str):
    found = figures(text)
    assert len(found) == 1, [f.quantity_text for f in found]
    return found[0]


@pytest.mark.parametrize("text, quantity, kind, low, high", [
    ("Six soldiers were killed on Monday.", "Six", "exact", 6, 6),
    ("Twenty-two civilians died in the raid.", "Twenty-two", "exact", 22, 22),
    ("The strike killed 1,300 people.", "1,300", "exact", 1300, 1300),
    ("A dozen fighters were killed.", "A dozen", "approximate", 12, 12),
    ("At least 137 people were killed.", "At least 137", "at_least", 137, None),
    ("More than 400 fighters have died.", "More than 400", "at_least", 401, None),
    ("Over 20 rebels were reportedly killed.", "Over 20", "at_least", 21, None),
    ("Up to 30 civilians were wounded.", "Up to 30", "at_most", None, 30),
    ("Nearly 50 people were injured.", "Nearly 50", "at_most", None, 50),
    ("About 20 soldiers were captured.", "About 20", "approximate", 20, 20),
    ("Some 200 residents are missing.", "Some 200", "approximate", 200, 200),
    ("Around 15 children were hurt.", "Around 15", "approximate", 15, 15),
    ("Between 20 and 30 people were killed.", "Between 20 and 30", "range", 20, 30),
    ("The shelling killed 20 to 30 people.", "20 to 30", "range", 20, 30),
    ("Scores of militants were killed and wounded.", "Scores", "vague", 20, None),
    ("Dozens of civilians were injured.", "Dozens", "vague", 12, None),
    ("Tens of fighters were killed.", "Tens", "vague", 10, None),
    ("Hundreds of people died in the attack.", "Hundreds", "vague", 100, None),
    ("Several soldiers were killed.", "Several", "vague", 3, None),
    ("A number of civilians were wounded.", "A number of", "vague", 2, None),
])
def test_number_forms(text, quantity, kind, low, high):
    figure = one(text)
    assert figure.quantity_text == quantity
    assert (figure.quantity_type, figure.low, figure.high) == (kind, low, high)
    assert figure.quote == text


@pytest.mark.parametrize("text", [
    "The 137th Brigade moved north.",
    "The war began in 2016 and fighters were killed.",
    "A boy aged 12 was killed.",
    "A 6-year-old girl was injured.",
    "The students, between 7 and 12 years old, were evacuated.",
    "The town lies 5 km from the front where soldiers were killed.",
    "Government forces seized two villages.",
    "300 members of the group entered the town.",
    "The air force carried out 39 sorties over 24 hours.",
    "Tens of armored vehicles were destroyed.",
    "The convoy carried 5000 people who were granted safe passage.",
    "The blast happened at 3 pm on 3 October.",
    "A soldier was killed.",
    "There were no casualties.",
    "Scores of fighters arrived at the front.",
    "It struck a number of rocket launchers.",
])
def test_not_casualty_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, outcome", [
    ("Twelve fighters were killed.", "killed"),
    ("The attack left 44 dead.", "killed"),
    ("The death toll rose to 70.", "killed"),
    ("The death toll from the blast reached at least 112 people.", "killed"),
    ("Rescuers recovered 100 bodies.", "killed"),
    ("The group acknowledged the death of 64 of its members.", "killed"),
    ("The shells hit the market, claiming the lives of two persons.", "killed"),
    ("The raid killed 17 civilians.", "killed"),
    ("Ten civilians were wounded.", "wounded"),
    ("The bombing injured 140 people.", "wounded"),
    ("At least 12 fighters suffered symptoms of choking.", "wounded"),
    ("Rebels captured 30 soldiers.", "captured"),
    ("Five journalists were abducted.", "captured"),
    ("Seven aid workers are missing.", "missing"),
    ("Twenty people were killed or wounded.", "killed_or_wounded"),
    ("Twenty people were killed and wounded.", "killed_or_wounded"),
    ("The shelling caused dozens of casualties.", "killed_or_wounded"),
])
def test_outcome(text, outcome):
    assert one(text).outcome == outcome


def test_two_outcomes_in_one_sentence():
    found = figures("State media gave a toll of 44 dead and 140 injured.")
    assert [(f.quantity_text, f.outcome) for f in found] == [("44", "killed"), ("140", "wounded")]


def test_breakdown_gives_two_items():
    found = figures("The strikes killed 19 people including 6 children.")
    assert [(f.quantity_text, f.outcome, f.victim_category) for f in found] == [
        ("19", "killed", "unknown"), ("6", "killed", "civilian")]


def test_among_inherits_the_outcome():
    found = figures("Six children were among 19 civilians killed on Thursday.")
    assert {(f.quantity_text, f.outcome) for f in found} == {("Six", "killed"), ("19", "killed")}


@pytest.mark.parametrize("text, victims, category", [
    ("At least 12 Islamist fighters were killed.", "Islamist fighters", "combatant"),
    ("Scores of Takfiri terrorists were killed.", "Takfiri terrorists", "combatant"),
    ("Ten soldiers were killed.", "soldiers", "combatant"),
    ("Nine troops died.", "troops", "combatant"),
    ("Four rebels were wounded.", "rebels", "combatant"),
    ("Five militants were captured.", "militants", "combatant"),
    ("Seven civilians were killed.", "civilians", "civilian"),
    ("Three children were injured.", "children", "civilian"),
    ("Two women were killed.", "women", "civilian"),
    ("Ten people were killed.", "people", "unknown"),
    ("Ten people including women and children were killed.", "people", "civilian"),
    ("Eight civilians and soldiers were killed.", "civilians and soldiers", "mixed"),
    ("The group admitted the death of 64 of their members.", "their members", "combatant"),
])
def test_victims_and_category(text, victims, category):
    figure = one(text)
    assert figure.victims == victims
    assert figure.victim_category == category


def test_others_take_the_category_of_the_group_before():
    found = figures("At least 70 militants were killed and dozens of others were wounded.")
    assert [(f.quantity_text, f.outcome, f.victim_category) for f in found] == [
        ("At least 70", "killed", "combatant"), ("dozens", "wounded", "combatant")]


@pytest.mark.parametrize("text, stated_by", [
    ("At least 12 fighters were killed, the Syrian Observatory for Human Rights said.",
     "the Syrian Observatory for Human Rights"),
    ("The Observatory said 20 soldiers were killed.", "The Observatory"),
    ("According to SANA, 13 people were wounded.", "SANA"),
    ("Ten civilians were killed according to local activists.", "local activists"),
    ("The army reported that 30 militants were killed.", "The army"),
    ("Ten civilians were killed in the raid.", "Example News"),
])
def test_stated_by(text, stated_by):
    assert one(text).stated_by == stated_by


def test_stated_by_without_an_outlet():
    assert figures("Ten civilians were killed.", source=None)[0].stated_by == "the outlet"


def test_stated_by_is_the_innermost_speaker():
    text = "SANA reported that a police source said 13 people were killed."
    assert one(text).stated_by == "a police source"


def test_perpetrator():
    assert one("Over 20 fighters were killed in Russian airstrikes.").perpetrator == "Russian airstrikes"
    assert one("Regime air strikes killed 19 civilians.").perpetrator == "Regime air strikes"
    assert one("Ten people were killed in an explosion.").perpetrator is None


def test_a_repeated_figure_is_one_item_and_keeps_the_attribution():
    text = ("Twelve fighters were killed in Hasaka. "
            "Twelve fighters were killed in the clashes, the Observatory said.")
    figure = one(text)
    assert figure.stated_by == "the Observatory"


def test_two_sources_for_the_same_number_are_two_items():
    text = ("The Observatory said 48 people were killed. "
            "State media said 48 people were killed.")
    assert [f.stated_by for f in figures(text)] == ["The Observatory", "State media"]


def test_headline_style_outcome_right_after_the_number():
    found = figures("2 persons killed 13 injured in rocket attacks. 20 killed or wounded in Homs.")
    assert [(f.quantity_text, f.outcome) for f in found] == [
        ("2", "killed"), ("13", "wounded"), ("20", "killed_or_wounded")]
