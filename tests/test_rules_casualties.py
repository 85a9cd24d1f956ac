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
    ("A hundred and fifty people were killed.", "A hundred and fifty", "exact", 150, 150),
])
def test_number_forms(text, quantity, kind, low, high):
    figure = one(text)
    assert figure.quantity_text == quantity
    assert (figure.quantity_type, figure.low, figure.high) == (kind, low, high)
    assert figure.quote == text


@pytest.mark.parametrize("text", [
    "The 137th Brigade moved north.",
    "The war began in 2016 and fighters were killed.",
    "A boy aged 12 was wounded.",
    "A 6-year-old girl was injured.",
    "The students, between 7 and 12 years old, were evacuated.",
    "The town lies 5 km from the front where soldiers were killed.",
    "Government forces seized two villages.",
    "300 members of the group entered the town.",
    "The air force carried out 39 sorties over 24 hours.",
    "Tens of armored vehicles were destroyed.",
    "The convoy carried 5000 people who were granted safe passage.",
    "The blast happened at 3 pm on 3 October.",
    "There were no casualties.",
    "Scores of fighters arrived at the front.",
    "It struck a number of rocket launchers.",
    "He was 45 when he was killed in the strike.",                 # an age, not a count
    "Her son, who was 17, died in hospital.",
    "Only 1 of the 12 soldiers survived; the others were killed.",  # the whole of a part
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
    # a part of a whole counts the people the verb tells of; the whole is no figure of its own
    ("He said 4 of the 10 hostages had been killed.", [("4", "killed", "hostages")]),
    ("Two of the five were killed and the other three wounded.",
     [("Two", "killed", "people"), ("three", "wounded", "people")]),
    ("Gunmen killed 3 of the 7 passengers on the bus.", [("3", "killed", "passengers")]),
    # ... but a whole with its own outcome word is one ("2 of the 3 killed were children")
    ("Two of the 19 dead were children.", [("Two", "killed", "people"), ("19", "killed", "people")]),
    # the people of a count lie before the next count
    ("The two sides said dozens of their fighters were killed.", [("dozens", "killed", "their fighters")]),
])
def test_parts_wholes_and_the_next_count(text, expected):
    assert [(f.quantity_text, f.outcome, f.victims) for f in figures(text)] == expected


@pytest.mark.parametrize("text, expected", [
    # a count that is the subject of its own verb is not the object of a verb before it
    ("Child killed 9 Civilians Injured in Regime Shelling on Daraa", [("9", "wounded"), ("Child", "killed")]),
    ("Soldier Killed 4 Rebels Captured Near Hama", [("4", "captured"), ("Soldier", "killed")]),
    ("Woman killed, 12 injured in shelling on Aleppo", [("12", "wounded"), ("Woman", "killed")]),
    ("Daraa: Soldier dies in rebel shelling", [("Soldier", "killed")]),
    ("Child killed by regime sniper in Daraa", [("Child", "killed")]),
    # ... and the object reading stays where the verb after the people is not theirs
    ("The shelling killed 9 civilians wounded 20 others in Aleppo", [("9", "killed"), ("20", "wounded")]),
    ("Gunmen killed 9 civilians injured in earlier shelling.", [("9", "killed")]),
    ("Soldier killed 9 Civilians in Homs", [("9", "killed")]),
    ("Air raids injured 12 civilians who were taken to hospital.", [("12", "wounded")]),
])
def test_telegraphic_headline_subjects(text, expected):
    assert outcomes(text) == expected


def test_a_headline_s_bare_victim_and_the_body_s_are_one_death():
    found = figures("Child killed 9 Civilians Injured in Regime Shelling on Daraa\n"
                    "A child was killed and nine civilians were injured on Monday when shells hit Nawa, "
                    "activists said.")
    assert [(f.quantity_text, f.outcome, f.stated_by) for f in found] == [
        ("nine", "wounded", "activists"), ("A child", "killed", "activists")]


def test_a_count_with_its_own_verb_after_a_clause_that_lost_its_full_stop():
    # FA-KES texts lose their full stops: the clause before ends in an outcome verb
    text = ("Rockets hit a market in the town of Jisr al-Shughur on Sunday and dozens were injured "
            "At least six children were killed and 15 injured when a second rocket struck a school "
            "nearby the civil defence said Shelling on Ariha wounded 4 women")
    assert outcomes(text) == [("dozens", "wounded"), ("At least six", "killed"), ("15", "wounded"),
                              ("4", "wounded")]


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
    from summarize.inputs import load_articles
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


# ---- lists, sides, objects and subjects (issue 14, second round): invented sentences ----


@pytest.mark.parametrize("text, expected", [
    ("At least 9 dead among the militias and 14 among the troops, as well as a child, the monitor said.",
     [("At least 9", "the militias", "combatant"), ("14", "the troops", "combatant")]),
    ("At least 15 dead among the rebels were counted.", [("At least 15", "the rebels", "combatant")]),
    ("The clashes left 10 killed among the government forces.",
     [("10", "the government forces", "combatant")]),
    ("Twenty were killed among the regime ranks and 12 among the rebel factions.",
     [("Twenty", "the regime ranks", "combatant"), ("12", "the rebel factions", "combatant")]),
    ("Nine died among the civilians.", [("Nine", "the civilians", "civilian")]),
])
def test_people_named_by_among_are_the_victims(text, expected):
    assert [(f.quantity_text, f.victims, f.victim_category) for f in figures(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("150 bodies were counted in Hammouriya, 100 in Kfar Batna and 67 in Saqba.",
     [("150", "killed"), ("100", "killed"), ("67", "killed")]),
    ("Twelve people were killed in Aleppo and three in Idlib on Monday.",
     [("Twelve", "killed"), ("three", "killed")]),
    ("Eight fighters were wounded in Daraa, 5 in Quneitra.", [("Eight", "wounded"), ("5", "wounded")]),
    ("150 bodies were counted in Hammouriya 100 in Kfar Batna 67 in Saqba",   # commas lost
     [("150", "killed"), ("100", "killed"), ("67", "killed")]),
])
def test_a_gapped_list_repeats_only_the_place(text, expected):
    assert outcomes(text) == expected


@pytest.mark.parametrize("text", [
    "Rebels fired 20 rockets in Aleppo, 30 in Idlib.",
    "Rebels fired 20 rockets in Aleppo 30 in Idlib",
    "The army deployed 400 troops in Hama and 300 in Homs.",
])
def test_a_gapped_list_without_a_figure_before_is_no_figure(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, expected", [
    ("A suicide bomber killed himself and 14 others.", [("14", "killed")]),
    ("The blast killed the driver and two passengers.", [("two", "killed")]),
    ("The raid killed a commander and wounded 3 others.", [("3", "wounded"), ("a commander", "killed")]),
])
def test_a_count_that_ends_the_object_list_of_an_outcome_verb(text, expected):
    assert outcomes(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Government airstrikes killed 12 security forces and wounded 30 others in Hama.",
     [("12", "killed", "security forces", "combatant"), ("30", "wounded", "others", "combatant")]),
    ("The toll included 14 members of the security forces.",
     [("14", "killed", "members of the security forces", "combatant")]),
    ("The death toll includes 7 children.", [("7", "killed", "children", "civilian")]),
    ("The victims numbered 30, the hospital said.", [("30", "killed_or_wounded", "people", "unknown")]),
    ("Six members of the same family were killed, along with 4 members of the rebel group.",
     [("Six", "killed", "members of the same family", "civilian"),
      ("4", "killed", "members of the rebel group", "combatant")]),
])
def test_forces_members_and_toll_inclusions(text, expected):
    assert [(f.quantity_text, f.outcome, f.victims, f.victim_category) for f in figures(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Government airstrikes killed 12 soldiers and wounded 30 others in Hama.",
     ["Government airstrikes", "Government airstrikes"]),
    ("Rebels also fired rockets into the government stronghold of Latakia, killing one person and "
     "wounding six.", ["Rebels", "Rebels"]),
    ("Russian jets killed 20 people, wounding 40.", ["Russian jets", "Russian jets"]),
    ("A car bomb exploded in the market, killing 12 people.", [None]),
])
def test_the_perpetrator_of_coordinated_verbs_and_participles(text, expected):
    assert [f.perpetrator for f in figures(text)] == expected


# ---- a singular victim as the article's only death (a deliberate divergence from the guide)


@pytest.mark.parametrize("text, quantity, victims, category", [
    ("The shelling claimed the life of a woman in Douma.", "a woman", "woman", "civilian"),
    ("A child was killed in the shelling on Monday.", "A child", "child", "civilian"),
    ("The strike left a child dead.", "a child", "child", "civilian"),
    ("A boy aged 12 was killed by a sniper.", "A boy", "boy", "civilian"),
    ("Gunmen shot dead an elderly man in Homs.", "an elderly man", "elderly man", "civilian"),
    ("The bombing killed a Syrian soldier at the checkpoint.", "a Syrian soldier", "Syrian soldier", "combatant"),
    ("The attack caused the death of a journalist.", "a journalist", "journalist", "civilian"),
    ("A man lost his life in the blast.", "A man", "man", "civilian"),
    ("A woman succumbed to her wounds in hospital.", "A woman", "woman", "civilian"),
    ("A gunman killed a woman in Homs.", "a woman", "woman", "civilian"),        # the gunman killed
    ("A soldier who killed a child was arrested.", "a child", "child", "civilian"),
])
def test_a_singular_victim_is_the_toll_of_an_article_with_no_killed_figure(text, quantity, victims, category):
    figure = one(text)
    assert (figure.quantity_text, figure.outcome, figure.victims, figure.victim_category) == (
        quantity, "killed", victims, category)
    assert (figure.quantity_type, figure.low, figure.high) == ("exact", 1, 1)


def test_a_singular_death_is_grounded_and_invents_no_number():
    from summarize.grounding import ground

    text = "Shells hit the market. The attack claimed the life of a woman, a monitor said. Nine people were hurt."
    grounded, warnings = ground(extract_summary(text, source="Example News"), text)
    assert warnings == []
    (figure,) = [f for f in grounded.casualties if f.outcome == "killed"]
    assert (figure.quantity_text, figure.stated_by, figure.span.match) == ("a woman", "a monitor", "exact")
    assert "a woman" in grounded.summary


@pytest.mark.parametrize("text", [
    "A soldier was killed and 5 civilians died in the raid.",   # a numeric killed figure: the guide
    "A child was killed. Later, one more person died in hospital.",
    "The attack claimed the life of a woman. Twelve people were killed in a second raid.",
])
def test_the_guide_holds_when_the_article_states_a_killed_figure(text):
    assert all(f.quantity_text[:2].lower() not in ("a ", "an") for f in figures(text))


@pytest.mark.parametrize("text", [
    "Not a single soldier was killed, the army said.",
    "The medics saved the life of a child.",
    "A woman was wounded in the blast.",
    "A soldier was captured near the town.",
    "A child was born in the camp.",
    "A man who survived the attack spoke to reporters.",
])
def test_singulars_that_report_no_death(text):
    assert figures(text) == []


def test_the_war_s_toll_does_not_hide_the_event_s_singular_death():
    found = figures("A child was killed in the shelling. The war has killed more than 300000 people since 2011.")
    assert [f.quantity_text for f in found] == ["more than 300000", "A child"]


def test_one_person_reported_twice_is_one_death():
    found = figures("A child was killed in Douma on Monday. Activists said a child was killed by a shell.")
    assert [(f.quantity_text, f.stated_by) for f in found] == [("a child", "Activists")]


@pytest.mark.parametrize("text, expected", [
    ("Russian Aerospace Forces eliminated over 100 militants in Deir Ezzor.", [("over 100", "killed")]),
    ("As a result of the strikes, 20 militants were liquidated.", [("20", "killed")]),
    ("The army destroyed up to 200 militants and 30 vehicles.", [("up to 200", "killed")]),
    ("Army units eliminated scores of terrorists in the countryside.", [("scores", "killed")]),
    ("Thirty people fell martyrs in the shelling.", [("Thirty", "killed")]),
    ("The attack left 23 civilian casualties.", [("23", "killed_or_wounded")]),
    ("There were 12 civilian deaths in the raid.", [("12", "killed")]),
])
def test_the_war_s_words_for_killing(text, expected):
    assert outcomes(text) == expected


@pytest.mark.parametrize("text", [
    "The army destroyed 20 in the strike.",                      # destroyed what?
    "The army destroyed 30 positions in the strike.",
    "The Russian airstrikes destroyed 23 terrorist targets in the province.",
    "Rebels shelled 12 civilian homes near the town.",
    "The group lost 13 in the fighting for the hill.",
])
def test_verbs_whose_object_is_often_a_thing_need_people(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Of the dead, 10 were children.", [("10", "killed", "children", "civilian")]),
    ("Among the victims, 4 were women.", [("4", "killed", "women", "civilian")]),
    ("The strike killed 30 people, 10 of whom were children.",
     [("30", "killed", "people", "unknown"), ("10", "killed", "children", "civilian")]),
    ("Twelve were killed, 3 of them were soldiers.",
     [("Twelve", "killed", "people", "unknown"), ("3", "killed", "soldiers", "combatant")]),
])
def test_breakdowns_named_after_a_copula(text, expected):
    assert [(f.quantity_text, f.outcome, f.victims, f.victim_category) for f in figures(text)] == expected


def test_an_observatory_and_its_director_in_lower_case_are_one_source():
    text = ("At least 18 civilians were killed in the strikes, the Syrian Observatory for Human Rights said. "
            "At least 18 civilians died, observatory director Rami Abdel Rahman told AFP.")
    assert [f.quantity_text for f in figures(text)] == ["At least 18"]


def test_a_participle_cue_speaks_for_the_source_before_it():
    (figure,) = figures("Local activists put the death toll higher saying that around 32 have been killed.")
    assert figure.stated_by == "Local activists"


def test_two_armies_giving_one_number_stay_two_sources():
    text = ("Twelve militants were killed in the raid, the Syrian Army said. "
            "Twelve militants were killed in the raid, the Russian army said.")
    assert len(figures(text)) == 2


def test_a_coordinated_verb_with_its_own_count_is_not_the_outcome_of_the_count_before():
    assert outcomes("The war has displaced 11 million people and killed 400000.") == [("400000", "killed")]
