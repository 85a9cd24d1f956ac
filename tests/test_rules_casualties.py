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


# ---- unseen styles (issue 14): invented sentences, one pattern each ---------------------


def outcomes(text: str) -> list[tuple[str, str]]:
    return [(f.quantity_text, f.outcome) for f in figures(text)]


@pytest.mark.parametrize("text, expected", [
    ("Air strike kills 10 in Idlib", [("10", "killed")]),
    ("10 civilians killed, 15 injured in rocket attacks on Aleppo", [("10", "killed"), ("15", "wounded")]),
    ("Car bomb kills five, injures scores in Damascus", [("five", "killed"), ("scores", "wounded")]),
    ("Suicide blast leaves 23 dead in Homs", [("23", "killed")]),
    ("Death toll from Idlib gas attack rises to 72", [("72", "killed")]),
    ("Syria: 40 dead in market bombing", [("40", "killed")]),
    ("Three killed as rockets hit Latakia", [("Three", "killed")]),
    ("Clashes leave dozens dead near Hama", [("dozens", "killed")]),
    ("Rebel shelling kills 7, wounds 20 in Aleppo", [("7", "killed"), ("20", "wounded")]),
    ("The shelling killed 17 wounding 30 others in the town", [("17", "killed"), ("30", "wounded")]),
    ("Dozens of Casualties in Aleppo Bomb Blast", [("Dozens", "killed_or_wounded")]),
    ("175 Fighters Killed Injured in Aleppo", [("175", "killed_or_wounded")]),
])
def test_headline_and_telegraphic_style(text, expected):
    assert outcomes(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("At least 30 people lost their lives in the attack.", [("At least 30", "killed")]),
    ("The raid claimed the life of one child.", [("one", "killed")]),
    ("The attack claimed 40 lives in the market.", [("40", "killed")]),
    ("Twelve soldiers perished in the ambush.", [("Twelve", "killed")]),
    ("Four aid workers were slain on the road.", [("Four", "killed")]),
    ("The group executed 15 men in the town square.", [("15", "killed")]),
    ("Eighteen villagers were massacred overnight.", [("Eighteen", "killed")]),
    ("The massacre of 30 villagers shocked the region.", [("30", "killed")]),
    ("Two children succumbed to their injuries.", [("Two", "killed")]),
    ("Nine people were burned to death.", [("Nine", "killed")]),
    ("Gunmen shot dead four police officers.", [("four", "killed")]),
    ("At least 30 people were confirmed dead after the blast.", [("At least 30", "killed")]),
    ("As many as 50 may have been killed in the raid.", [("As many as 50", "killed")]),
    ("The fighting has cost the lives of more than 300 people.", [("more than 300", "killed")]),
    ("Dozens more suffered breathing problems.", [("Dozens", "wounded")]),
    ("The shell caused the death of one civilian and the injury of 13 others.",
     [("one", "killed"), ("13", "wounded")]),
    ("A total of 1500 people have fallen victims to the shelling.", [("A total of 1500", "killed_or_wounded")]),
    ("A nurse and two soldiers are reportedly among the dead.", [("two", "killed")]),
])
def test_other_outcome_verbs_and_nouns(text, expected):
    assert outcomes(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Medics put the toll at 16.", [("16", "killed")]),
    ("The casualties of the attackers have risen to at least 137, most of them foreigners.",
     [("at least 137", "killed_or_wounded")]),
    ("The number of people killed in the blast rose to 25.", [("25", "killed")]),
    ("The number of dead has climbed to 61, the ministry said.", [("61", "killed")]),
    ("Deaths from the outbreak reached 40.", [("40", "killed")]),
    ("The Observatory said the raid brought to 49 the number killed in the town.", [("49", "killed")]),
    ("The bodies of 23 people were found in a mass grave.", [("23", "killed")]),
    ("Five more bodies were recovered on Monday.", [("Five", "killed")]),
    ("The dead included 25 civilians and four soldiers.", [("25", "killed"), ("four", "killed")]),
    ("Among the dead were 11 children.", [("11", "killed")]),
])
def test_tolls_and_bodies(text, expected):
    assert outcomes(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The rebels killed five soldiers and captured two.", [("five", "killed"), ("two", "captured")]),
    ("The fighting left at least 15 dead among the rebels and 23 among their opponents, "
     "as well as two civilians.", [("at least 15", "killed"), ("23", "killed"), ("two", "killed")]),
    ("Nine civilians, including three children, were killed.", [("Nine", "killed"), ("three", "killed")]),
    ("At least 15 people including a number of children were killed.",
     [("At least 15", "killed"), ("a number of", "killed")]),
    ("Fourteen people, most of them women, were wounded.", [("Fourteen", "wounded")]),
    ("The strikes killed 12 fighters, 4 civilians and 2 medics.",
     [("12", "killed"), ("4", "killed"), ("2", "killed")]),
    ("Seven soldiers and three civilians were killed.", [("Seven", "killed"), ("three", "killed")]),
    ("Jets killed 7 Hezbollah and 12 Nusra in the battle.", [("7", "killed"), ("12", "killed")]),
    ("The raids killed, according to the latest toll, 44 civilians.", [("44", "killed")]),
    ("killing according to the latest toll 44 civilians and wounding over 140.",
     [("44", "killed"), ("over 140", "wounded")]),
    ("A fighter was killed along with tens of his comrades.", [("tens", "killed")]),
    ("Russian jets killed 22 rebels and wounded dozens more.", [("22", "killed"), ("dozens", "wounded")]),
    ("Twenty were killed and thirty were wounded.", [("Twenty", "killed"), ("thirty", "wounded")]),
    ("Dozens were injured in the stampede.", [("Dozens", "wounded")]),
    ("Three civilians were killed and more than twenty others suffered from suffocation.",
     [("Three", "killed"), ("more than twenty", "wounded")]),
])
def test_counts_after_the_verb_in_lists_and_asides(text, expected):
    assert outcomes(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("One person was killed and three others were wounded.", [("One", "killed"), ("three", "wounded")]),
    ("The shelling claimed the life of one woman.", [("one", "killed")]),
    ("Only one soldier died.", [("one", "killed")]),
])
def test_singular_victims_with_a_number(text, expected):
    assert outcomes(text) == expected


@pytest.mark.parametrize("text", [
    "The attack claimed the life of a woman.",       # an article, not a number
    "The army liberated 13 towns in the province.",
    "The Base of the 137th Brigade was hit.",
    "The fighters are now 30 kilometers from the city.",
    "Reports said 400 fresh members of the group arrived to join the fight.",
    "The 2016 offensive killed fighters.",
    "The blast on 3 October killed civilians.",
    "The jets carried out 39 sorties, killing militants.",
    "The war has displaced 5 million people.",
    "About 300 fighters were evacuated from the town.",
    "Around 2,000 civilians remain besieged.",
    "Over 100 families fled the town.",
    "There were no casualties among the 30 passengers.",
    "The medics saved the lives of 40 people.",
    "The rebels lost 13 towns in the offensive.",
    "Up to 30 trucks may have been hit.",
    "The 30 May agreement ended the killing.",
])
def test_still_not_casualty_figures(text):
    assert figures(text) == []


def test_a_count_next_to_a_civilian_count_takes_its_category():
    found = figures("Eighteen civilians were killed and dozens wounded.")
    assert [(f.quantity_text, f.outcome, f.victim_category) for f in found] == [
        ("Eighteen", "killed", "civilian"), ("dozens", "wounded", "civilian")]


def test_a_headline_number_and_its_qualified_restatement_are_one_item():
    text = "Air raids kill 31 fighters in Raqa. At least 31 fighters were killed in the raids, a monitor said."
    (figure,) = figures(text)
    assert (figure.quantity_text, figure.stated_by) == ("At least 31", "a monitor")


def test_a_generic_and_a_named_source_of_one_number_are_one_item():
    text = ("At least eight people were killed in Douma, a monitoring group said. "
            "At least eight people died in the shelling, the Syrian Observatory for Human Rights said.")
    (figure,) = figures(text)
    assert figure.stated_by == "the Syrian Observatory for Human Rights"


def test_vague_counts_of_different_people_stay_apart():
    text = ("Scores of fighters were killed and wounded in Aleppo. "
            "Scores of Islamic State militants were killed and wounded in Hasaka.")
    assert len(figures(text)) == 2


@pytest.mark.parametrize("text, expected", [
    ("The conflict has killed 230000 people and wounded at least a million according to the UN.",
     [("230000", "killed"), ("at least a million", "wounded")]),
    ("The army lost 15 soldiers in the attack.", [("15", "killed")]),
    ("The raids ended in the killing or wounding of tens of the fighters.", [("tens", "killed_or_wounded")]),
    ("Over 1 000 civilians have been killed.", [("Over 1 000", "killed")]),
    ("On March 16 100 people were killed.", [("100", "killed")]),
    ("The blast took the lives of 2 women (a nurse and a cook) as well as 2 soldiers.",
     [("2", "killed"), ("2", "killed")]),
])
def test_more_forms(text, expected):
    assert outcomes(text) == expected


def test_two_qualifiers_of_one_number_are_two_statements():
    text = ("More than twenty others suffered from suffocation. "
            "About twenty other civilians were treated for suffocation, the source said.")
    assert [f.quantity_text for f in figures(text)] == ["More than twenty", "About twenty"]


def test_a_monitor_and_its_director_giving_one_number_are_one_item():
    text = ("They were among 39 people who died, according to the Syrian Observatory for Human Rights. "
            "\"Thirty children were among 39 people killed\" said Observatory director Rami Abdel Rahman.")
    assert [f.quantity_text for f in figures(text)] == ["39", "Thirty"]


def test_a_plural_noun_before_media_is_not_part_of_the_source():
    (figure,) = figures("The clashes resulted in the death of over 100 militants media reported Friday.")
    assert figure.stated_by == "media"


@pytest.mark.parametrize("text, expected", [
    ("Death toll: 30", [("30", "killed")]),
    ("Syria bombing death toll 45", [("45", "killed")]),
    ("Gunmen killed 30 Monday in the village.", [("30", "killed")]),
    ("The shelling killed 30 – most of them children.", [("30", "killed")]),
    ("Militants slaughtered 12 villagers.", [("12", "killed")]),
    ("Eight men were gunned down at the checkpoint.", [("Eight", "killed")]),
    ("The group announced the martyrdom of 14 of its fighters.", [("14", "killed")]),
    ("Twenty people were slaughtered in the village.", [("Twenty", "killed")]),
])
def test_yet_more_forms(text, expected):
    assert outcomes(text) == expected


def test_a_headline_run_into_its_lead_states_one_figure():
    text = "Air raids kill 31 jihadists in Raqa NGO At least 31 Islamic State militants were killed in raids."
    assert [f.quantity_text for f in figures(text)] == ["At least 31"]


def test_one_number_for_two_groups_in_one_sentence_is_two_figures():
    assert [f.victims for f in figures("The strike killed 5 people and 5 children.")] == ["people", "children"]


def _seed(prefix: str):
    from summarize.articles import load_articles
    from tests.conftest import EXAMPLES_DIR
    (article,) = load_articles(next((EXAMPLES_DIR / "seeds").glob(f"{prefix}_*.txt")))
    return extract_summary(article.text, title=article.title, source=article.source).casualties


def test_seed_figures_the_issue_names():
    seed000, seed002, seed003 = _seed("000"), _seed("002"), _seed("003")
    assert ("tens", "killed") in {(f.quantity_text, f.outcome) for f in seed000}
    assert ("at least 137", "killed_or_wounded") in {(f.quantity_text, f.outcome) for f in seed002}
    assert ("dozens", "wounded") in {(f.quantity_text, f.outcome) for f in seed003}
    texts = {f.quantity_text for f in [*seed000, *_seed("001"), *seed002, *seed003]}
    assert not texts & {"13", "137th", "30", "400", "over 400", "300", "100"}


@pytest.mark.parametrize("text, category", [
    ("At least 48 people, children and women among them, were killed.", "civilian"),
    ("Eleven people including a woman and a child were killed.", "civilian"),
    ("Eleven people, including soldiers and pro-government fighters, were killed.", "combatant"),
])
def test_a_description_after_the_count_gives_the_category(text, category):
    assert figures(text)[0].victim_category == category


def test_a_counted_subgroup_leaves_the_total_unknown():
    found = figures("At least 15 people including a number of children were killed.")
    assert [(f.quantity_text, f.victim_category) for f in found] == [
        ("At least 15", "unknown"), ("a number of", "civilian")]


def test_a_toll_with_a_long_subject():
    text = ("The death toll in a suicide car bomb attack on buses carrying Syrians evacuated from two "
            "besieged government-held towns has risen to at least 112 a monitoring group said Sunday.")
    assert outcomes(text) == [("at least 112", "killed")]
