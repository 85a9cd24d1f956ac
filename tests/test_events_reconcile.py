"""Reconciling tolls across the reports of one event (invented reports)."""

from __future__ import annotations

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


def test_overlapping_ranges_agree():
    t1 = "Rockets killed at least 30 people in Aleppo on Saturday."
    t2 = "The Observatory said 34 people were killed in Aleppo by rockets on Saturday."
    event = one_event(report("a", t1, published=DAY, kinds=("shelling",), figures=[figure(t1, "at least 30", 30, exact=False)]),
                      report("b", t2, published=DAY, kinds=("shelling",), source="Outlet B",
                             figures=[figure(t2, "34", 34, stated_by="The Observatory")]))
    assert event.killed.agreement == "agree" and (event.killed.low, event.killed.high) == (30, 34)
    assert event.killed.conservative == 30


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
