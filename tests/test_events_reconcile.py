"""Reconciling tolls across the reports of one event (invented reports)."""

from __future__ import annotations

import pytest

from summarize.events import group_events
from summarize.schema import Outcome
from tests.events_records import claim, figure, report, term

DAY = "2017-04-16"


def one_event(*records):
    (event,) = group_events(list(records))
    return event


def sohr_report(id: str, outlet: str, number: int):
    text = f"A car bomb killed {number} people in Rashidin west of Aleppo, the Syrian Observatory said."
    return report(id, text, source=outlet, published=DAY, kinds=("bombing",),
                  figures=[figure(text, str(number), number, stated_by="the Syrian Observatory for Human Rights")])


def test_four_outlets_citing_the_observatory_are_one_source():
    event = one_event(*(sohr_report(f"r{i}", f"Outlet {i}", 126) for i in range(4)))
    assert event.killed.sources == 1 and event.killed.agreement == "single"
    assert (event.killed.low, event.killed.high, event.killed.conservative) == (126, 126, 126)


def test_differing_tolls_are_a_conflict_even_from_one_source():
    event = one_event(sohr_report("a", "Outlet A", 112), sohr_report("b", "Outlet B", 126))
    assert event.killed.agreement == "conflict" and event.killed.sources == 1
    # the source's latest (highest) reading is its credible one
    assert event.killed.conservative == 126


def test_an_outlet_stating_a_figure_itself_counts_for_that_outlet():
    texts = {o: f"Terrorists killed {n} people in a bombing in Aleppo." for o, n in (("SANA-like", 100), ("Other", 70))}
    records = [report(o, t, source=o, published=DAY, kinds=("bombing",),
                      figures=[figure(t, str(n), n, stated_by=o)]) for (o, t), n in zip(texts.items(), (100, 70), strict=True)]
    event = one_event(*records)
    assert event.killed.sources == 2 and event.killed.agreement == "conflict"
    assert event.killed.conservative == 70  # the lowest credible figure
    assert event.killed.conservative_from.outlet == "Other"


def test_the_conservative_figure_is_never_a_sum_of_sources():
    t1 = "Shelling killed 10 people in Homs, the Observatory said."
    t2 = "Shelling killed 20 people in Homs, state media said."
    event = one_event(report("a", t1, published=DAY, kinds=("shelling",), figures=[figure(t1, "10", 10, stated_by="the Observatory")]),
                      report("b", t2, published=DAY, kinds=("shelling",), source="Outlet B",
                             figures=[figure(t2, "20", 20, stated_by="state media")]))
    assert event.killed.conservative == 10 and event.killed.conservative != 30
    assert event.killed.conservative in {f.value for f in event.killed.readings}


def _two(first: tuple[str, str, int, int | None, str], second: tuple[str, str, int, int | None, str]):
    """One event of two outlets' reports, each (text, quantity, low, high, kind)."""
    records = []
    for id, (text, quantity, low, high, kind) in zip("ab", (first, second), strict=True):
        records.append(report(id, text, source=f"Outlet {id.upper()}", published=DAY, kinds=("shelling",),
                              figures=[figure(text, quantity, low, high, kind=kind)]))
    return one_event(*records)


def test_at_least_states_a_count_so_a_higher_count_elsewhere_is_a_conflict():
    # "at least 30" is the 30 dead counted so far: 34 from another source is another count
    event = _two(("Rockets killed at least 30 people in Aleppo on Saturday.", "at least 30", 30, None, "at_least"),
                 ("Activists said 34 people were killed in Aleppo by rockets on Saturday.", "34", 34, 34, "exact"))
    assert event.killed.agreement == "conflict" and (event.killed.low, event.killed.high) == (30, 34)
    assert event.killed.conservative == 30
    # the same count stated both ways is no dispute
    event = _two(("Rockets killed at least 34 people in Aleppo on Saturday.", "at least 34", 34, None, "at_least"),
                 ("Activists said 34 people were killed in Aleppo by rockets on Saturday.", "34", 34, 34, "exact"))
    assert event.killed.agreement == "agree"


def test_ranges_approximations_and_vague_words_agree_with_the_counts_they_hold():
    other = ("Activists said 34 people were killed in Aleppo by rockets on Saturday.", "34", 34, 34, "exact")
    for held in (("Rockets killed between 30 and 40 people in Aleppo on Saturday.", "between 30 and 40", 30, 40,
                  "range"),
                 ("Rockets killed about 32 people in Aleppo on Saturday.", "about 32", 32, 32, "approximate")):
        assert _two(held, other).killed.agreement == "agree", held[1]
    dozens = _two(("Rockets killed dozens of people in Aleppo on Saturday.", "dozens", 12, None, "vague"),
                  ("Rockets killed more than 30 people in Aleppo on Saturday.", "more than 30", 30, None, "at_least"))
    assert dozens.killed.agreement == "agree" and (dozens.killed.low, dozens.killed.conservative) == (30, 30)
    # "dozens" is not "at least eight": a dispute, though the toll's figures are the number's
    eight = _two(("Rockets killed dozens of people in Aleppo on Saturday.", "dozens", 12, None, "vague"),
                 ("Rockets killed at least eight people in Aleppo on Saturday.", "at least eight", 8, None, "at_least"))
    assert eight.killed.agreement == "conflict"
    assert (eight.killed.low, eight.killed.high, eight.killed.conservative) == (8, 8, 8)
    # with no number in any report the vague words are the readings, and they agree
    vague = _two(("Rockets killed dozens of people in Aleppo on Saturday.", "dozens", 12, None, "vague"),
                 ("Rockets killed scores of people in Aleppo on Saturday.", "scores", 40, None, "vague"))
    assert vague.killed.agreement == "agree" and vague.killed.conservative == 12
    far = ("Rockets killed about 20 people in Aleppo on Saturday.", "about 20", 20, 20, "approximate")
    assert _two(far, other).killed.agreement == "conflict"


def test_a_vague_word_beside_a_number_gives_no_reading():
    text = ("Many residents of Fuaa lost their lives. The death toll in the car bomb attack on buses at "
            "Rashidin west of Aleppo has risen to at least 112, a monitoring group said.")
    event = one_event(report("r", text, published=DAY, kinds=("bombing",), source="Outlet A",
                             figures=[figure(text, "Many", 2, kind="vague", stated_by="Outlet A"),
                                      figure(text, "at least 112", 112, exact=False, stated_by="a monitoring group")]))
    assert [f.value for f in event.killed.readings] == [112]
    assert event.killed.conservative == 112 and event.killed.agreement == "single"
    assert len(event.figures) == 2  # still listed
    # alone, a vague word is the report's reading
    alone = "Many residents of Fuaa lost their lives in the bombing in Rashidin."
    event = one_event(report("v", alone, published=DAY, kinds=("bombing",),
                             figures=[figure(alone, "Many", 2, kind="vague")]))
    assert [f.value for f in event.killed.readings] == [2]


def test_another_reports_vague_word_is_no_reading_beside_a_number():
    # one outlet writes only "many", another gives 112: the conservative figure is 112, not "many" read as 2
    vague = "Many residents of Fuaa lost their lives in the car bombing at Rashidin west of Aleppo."
    number = "A car bomb killed at least 112 people at Rashidin west of Aleppo, a monitoring group said."
    event = one_event(report("a", vague, published=DAY, kinds=("bombing",), source="Outlet A",
                             figures=[figure(vague, "Many", 2, kind="vague")]),
                      report("b", number, published=DAY, kinds=("bombing",), source="Outlet B",
                             figures=[figure(number, "at least 112", 112, exact=False,
                                             stated_by="a monitoring group")]))
    assert [f.value for f in event.killed.readings] == [2, 112]  # shown, but no figure of the toll
    assert (event.killed.low, event.killed.high, event.killed.conservative) == (112, 112, 112)
    assert event.killed.agreement == "agree" and event.killed.conservative_from.record == "b"
    assert {f.figure.quantity_text for f in event.figures} == {"Many", "at least 112"}  # both still shown


def test_sources_are_told_apart_by_name_before_any_generic_word():
    from summarize.events.reconcile import source_of

    def key(said):
        return source_of(said, "Outlet")[1]

    assert key("activists who spoke to Reuters") == "activists who spoke to Reuters"  # "who" is no WHO
    assert key("the WHO") == key("the World Health Organization") == "WHO"
    assert key("the Syrian Network for Human Rights, a monitoring group") == "Syrian Network for Human Rights"
    assert key("Violations Documentation Center, a monitoring group") == "Violations Documentation Center"
    assert key("a Britain-based monitoring group") == key("Rami Abdulrahman") == key("Rami Abdel-Rahman") \
        == "Syrian Observatory for Human Rights"
    assert key("state news agency SANA") == key("Syrian state television") == key("state media") \
        == "Syrian state media"
    for foreign in ("Russian state media", "Iranian state television"):
        assert key(foreign) == foreign
    assert key("Turkey's official news agency Anadolu") == "Anadolu Agency"


def test_a_figure_of_an_earlier_event_is_not_the_toll():
    text = ("IS fighters attacked the Shaer gas field in Homs province on Tuesday, killing at least 30 guards, a "
            "monitor said. An earlier attack by IS fighters on Shaer in July left 270 people dead. A similar "
            "bombing in the city killed 12 people in May.")
    figures = [figure(text, "at least 30", 30, exact=False, stated_by="a monitor"), figure(text, "270", 270),
               figure(text, "12", 12)]
    event = one_event(report("r", text, published="2014-10-29", kinds=("armed_clash",), figures=figures))
    roles = {f.figure.quantity_text: (f.role, f.why) for f in event.figures}
    assert roles["at least 30"][0] == "toll"
    assert roles["270"] == ("other", "an earlier event ('An earlier attack')")
    assert roles["12"] == ("other", "an earlier event ('A similar bombing')")
    assert event.killed.agreement == "single" and event.killed.conservative == 30


def test_a_day_named_beside_a_figure_is_held_against_the_events_day():
    text = ("Air strikes killed 20 people in Saraqeb on April 4, rescuers said. "
            "On March 2 strikes there killed 9 people.")
    event = one_event(report("r", text, published="2017-04-05", kinds=("airstrike",),
                             figures=[figure(text, "20", 20), figure(text, "9", 9)]))
    roles = {f.figure.quantity_text: f.role for f in event.figures}
    assert roles == {"20": "toll", "9": "other"}


def test_parts_earlier_tolls_and_war_totals_are_shown_but_not_counted():
    text = ("At least 68 children were among the 126 people killed in the attack in Rashidin, Aleppo, the "
            "Observatory said, updating a previous toll of 112 dead. More than 320000 people have been killed "
            "since the war began.")
    figures = [figure(text, "At least 68", 68, exact=False, victims="children", stated_by="the Observatory"),
               figure(text, "126", 126, stated_by="the Observatory"),
               figure(text, "112", 112, stated_by="the Observatory"),
               figure(text, "More than 320000", 320001, exact=False)]
    event = one_event(report("r", text, published=DAY, kinds=("bombing",), figures=figures))
    roles = {f.figure.quantity_text: f.role for f in event.figures}
    assert roles == {"At least 68": "part", "126": "toll", "112": "earlier", "More than 320000": "total"}
    assert event.killed.conservative == 126 and event.killed.agreement == "single"
    assert len(event.figures) == 4  # every figure is still listed


def test_a_toll_that_rose_replaces_the_first_one():
    text = "A blast killed 20 people in Jableh on Monday. The toll rose to 25 by the evening, the outlet said."
    event = one_event(report("r", text, published=DAY, kinds=("bombing",),
                             figures=[figure(text, "20", 20), figure(text, "25", 25)]))
    assert event.killed.conservative == 25 and [f.value for f in event.killed.readings] == [25]


def test_wounded_are_reconciled_apart_from_the_killed():
    text = "A bomb killed 6 people and wounded 32 in the Salah al-Din district of Aleppo."
    event = one_event(report("r", text, published=DAY, kinds=("bombing",),
                             figures=[figure(text, "6", 6), figure(text, "32", 32, outcome="wounded")]))
    assert event.killed.conservative == 6 and event.wounded.conservative == 32
    assert event.tolls[Outcome.wounded].agreement == "single"


def test_no_figures_means_no_toll():
    event = one_event(report("r", "Clashes went on in Aleppo.", published=DAY, kinds=("armed_clash",)))
    assert event.killed.conservative is None and event.killed.agreement is None and event.killed.sources == 0
    assert event.as_json()["killed"]["agreement"] is None


def test_claims_are_grouped_by_source_and_framing_by_outlet():
    t1 = "Terrorists shelled Aleppo on Sunday, the Syrian Observatory for Human Rights said."
    t2 = "Rebels shelled Aleppo on Sunday, the Observatory said."
    a = report("a", t1, source="Outlet A", published=DAY, kinds=("shelling",),
               claims=[claim(t1, "the Syrian Observatory for Human Rights", "shelled")],
               terms=[term(t1, "Terrorists", "armed groups")])
    b = report("b", t2, source="Outlet B", published=DAY, kinds=("shelling",),
               claims=[claim(t2, "the Observatory", "shelled")])
    event = one_event(a, b)
    (by_source,) = event.claims_by_source()
    assert by_source["source"] == "Syrian Observatory for Human Rights"
    assert by_source["outlets"] == ["Outlet A", "Outlet B"] and len(by_source["claims"]) == 2
    assert event.framing() == {"Outlet A": ["terrorists"], "Outlet B": []}


def test_the_eval_counts_a_conservative_figure_that_adds_sources_or_is_stated_by_none():
    import dataclasses

    from summarize.events.evaluate import Label, score

    t1 = "Shelling killed 10 people in Homs, the Observatory said."
    t2 = "Shelling killed 20 people in Homs, state media said."
    t3 = "Shelling killed 30 people in Homs, the Civil Defence said."
    records = [report(i, t, published=DAY, kinds=("shelling",), source=f"Outlet {i}",
                      figures=[figure(t, str(n), n, stated_by=by)])
               for i, t, n, by in (("a", t1, 10, "the Observatory"), ("b", t2, 20, "state media"),
                                   ("c", t3, 30, "the Civil Defence"))]
    labels = [Label(i, "E1") for i in "abc"]
    event = one_event(*records)
    assert score([event], labels).sums == 0
    killed = event.tolls[Outcome.killed]
    # 30 is stated (by the Civil Defence), but it is also 10 + 20 from two other sources
    summed = dataclasses.replace(event, tolls={Outcome.killed: dataclasses.replace(killed, conservative=30)})
    assert score([summed], labels).sums == 1
    # 25 is stated by no report
    unstated = dataclasses.replace(event, tolls={Outcome.killed: dataclasses.replace(killed, conservative=25)})
    assert score([unstated], labels).sums == 1


@pytest.mark.parametrize("where", ["on the rebel-held town of Douma outside Damascus",
                                   # areas_where reads "the Syrian capital" as Damascus, as the report's place does
                                   "in the Syrian capital", "near the Syrian capital",
                                   "on the outskirts of the Syrian capital"])
def test_a_figure_of_another_governorate_is_not_the_toll(where):
    # a report of an Aleppo school attack also tells of shelling near Damascus
    text = ("Rebel rockets killed three children at a school in the west of Aleppo city on Thursday, state media "
            f"said. A monitoring group said at least eight people were killed in government shelling {where}.")
    event = one_event(report("r", text, title="Rebel fire kills 3 Aleppo schoolchildren", published=DAY,
                             kinds=("shelling",),
                             figures=[figure(text, "three", 3, stated_by="state media", victims="children"),
                                      figure(text, "at least eight", 8, exact=False, stated_by="a monitoring group")]))
    roles = {f.figure.quantity_text: (f.role, f.why) for f in event.figures}
    assert roles["at least eight"] == ("other", "another place (Damascus)")
    assert roles["three"][0] == "toll"  # no longer a part of a larger toll it is not part of
    assert (event.killed.conservative, event.killed.agreement) == (3, "single")
    if "capital" in where:  # a report of the capital itself keeps the figure as its toll
        capital = text.replace("at a school in the west of Aleppo city", "at a school in the Syrian capital")
        event = one_event(report("r", capital, published=DAY, kinds=("shelling",),
                                 figures=[figure(capital, "three", 3, stated_by="state media", victims="children"),
                                          figure(capital, "at least eight", 8, exact=False,
                                                 stated_by="a monitoring group")]))
        assert all(f.role != "other" for f in event.figures)


def test_where_people_came_from_or_a_name_the_governorate_may_hold_is_no_other_place():
    text = ("A car bomb killed 126 evacuees from Fuaa and Kafraya at Rashidin west of Aleppo on Saturday. "
            "Rockets killed 3 people in the Shahba neighbourhood of Aleppo.")
    event = one_event(report("r", text, published=DAY, kinds=("bombing",),
                             figures=[figure(text, "126", 126), figure(text, "3", 3)]))
    assert [f.role for f in event.figures] == ["toll", "toll"]  # Fuaa is where they came from; Shahba is also in Aleppo


def test_with_no_toll_in_its_lead_a_report_takes_its_first_number_before_a_vague_word():
    lead = "Government forces pressed their assault on Aleppo. Residents fled. Shops closed. Schools shut."
    text = lead + " Scores of people died in the fighting. Later, 14 people were killed in shelling of Aleppo."
    event = one_event(report("r", text, published=DAY, kinds=("shelling",),
                             figures=[figure(text, "Scores", 40, kind="vague"), figure(text, "14", 14)]))
    assert [f.figure.quantity_text for f in event.killed.readings] == ["14"]


def test_the_eval_counts_a_toll_the_figures_words_state():
    from summarize.events.evaluate import Label, score

    t1 = "Over 100 militants were killed in clashes in Aleppo, state media said."
    t2 = "Clashes in Aleppo killed 32 people, the Observatory said."
    records = [report("a", t1, published=DAY, kinds=("armed_clash",), source="Outlet A",
                      figures=[figure(t1, "Over 100", 101, exact=False, stated_by="state media")]),
               report("b", t2, published=DAY, kinds=("armed_clash",), source="Outlet B",
                      figures=[figure(t2, "32", 32, stated_by="the Observatory")])]
    event = one_event(*records)
    shown = score([event], [Label("a", "E", 100), Label("b", "E", 32)])
    assert (shown.tolls_shown, shown.tolls_total) == (2, 2)  # "Over 100" (low 101) states 100
    assert score([event], [Label("a", "E", 99), Label("b", "E", 33)]).tolls_shown == 0
