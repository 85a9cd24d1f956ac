"""Grouping reports into events, one principle per test, on invented reports."""

from __future__ import annotations

import random

import summarize
from summarize.events import group_events
from tests.events_records import failed, figure, report

BLAST = "A car bomb killed 12 people in the Salah al-Din district of Aleppo on Tuesday, the monitor said."


def groups_of(records, **kw) -> list[list[str]]:
    return sorted(sorted(g.records) for g in group_events(records, **kw))


def test_group_events_is_public_api():
    assert "group_events" in summarize.__all__ and "EventGroup" in summarize.__all__
    assert summarize.group_events is group_events


def test_same_day_same_place_compatible_kinds_is_one_event_and_the_link_says_why():
    a = report("a", BLAST, published="2017-04-19", kinds=("bombing",), source="Outlet A")
    b = report("b", "Six people died when a bomb exploded in Salaheddin, Aleppo, on Tuesday.",
               published="2017-04-19", kinds=("bombing",), source="Outlet B")
    (event,) = group_events([a, b])
    assert event.records == ["a", "b"] and event.outlets == ["Outlet A", "Outlet B"]
    assert event.date.isoformat() == "2017-04-18"  # "Tuesday" in an article of Wednesday
    (link,) = event.links
    assert "same day 2017-04-18" in link.why and "Salah al-Din" in link.why and "bombing" in link.why


def test_reports_dated_further_apart_than_the_window_are_different_events():
    a = report("a", "Shelling killed 5 people in Homs.", published="2016-03-01", kinds=("shelling",))
    b = report("b", "Shelling killed 7 people in Homs.", published="2016-03-04", kinds=("shelling",))
    assert groups_of([a, b]) == [["a"], ["b"]]
    assert groups_of([a, b], window_days=3) == [["a", "b"]]


def test_a_report_dates_an_event_between_the_day_it_names_and_its_own_day():
    # published two days after a Friday attack that another outlet reported that Friday
    late = report("late", "An air strike on Friday killed 20 people in Saraqeb, in Idlib province.",
                  published="2016-03-06", date_text="on Friday", kinds=("airstrike",))
    early = report("early", "Air strikes killed at least 20 in Saraqib, Idlib.", published="2016-03-04")
    assert groups_of([late, early]) == [["early", "late"]]


def test_different_governorates_are_different_events():
    a = report("a", "Air strikes killed 10 people in Idlib.", published="2016-05-01")
    b = report("b", "Air strikes killed 10 people in Hama.", published="2016-05-01", source="Outlet B")
    assert groups_of([a, b]) == [["a"], ["b"]]


def test_a_place_matches_the_governorate_it_lies_in_but_not_another_town_of_it():
    town = report("town", "Barrel bombs killed 9 people in Khan Sheikhoun on Sunday.", published="2017-04-02")
    gov = report("gov", "Barrel bombs killed 9 people in Idlib province on Sunday.", published="2017-04-02",
                 source="Outlet B")
    other = report("other", "Barrel bombs killed 4 people in Sarmada on Sunday.", published="2017-04-02",
                   source="Outlet C")
    groups = groups_of([town, gov, other])
    assert ["gov", "town"] in groups or ["gov", "other"] in groups
    assert ["other", "town"] not in [sorted(g) for g in groups] and len(groups) == 2


def test_damascus_and_the_ghouta_around_it_are_one_area():
    city = report("city", "Clashes near Damascus left 40 dead, a monitor said.", published="2017-04-28",
                  kinds=("armed_clash",))
    ghouta = report("ghouta", "Over 100 fighters were killed in clashes in Eastern Ghouta.", published="2017-04-28",
                    kinds=("armed_clash",), source="Outlet B")
    assert groups_of([city, ghouta]) == [["city", "ghouta"]]


def test_spelling_variants_name_one_place():
    variants = ["Deir ez-Zor", "Deir Ezzor", "Deir al-Zour"]
    records = [report(f"r{i}", f"Shelling killed 3 people in {name}.", published="2017-09-10", kinds=("shelling",),
                      source=f"Outlet {i}") for i, name in enumerate(variants)]
    assert groups_of(records) == [["r0", "r1", "r2"]]


def test_talks_and_an_airstrike_are_not_one_event():
    strike = report("strike", "Air strikes killed 8 people in Aleppo.", published="2016-09-01")
    talks = report("talks", "Negotiators met in Aleppo to discuss a truce.", published="2016-09-01",
                   kinds=("negotiation",), source="Outlet B")
    assert groups_of([strike, talks]) == [["strike"], ["talks"]]


def test_complete_link_does_not_chain_near_days_into_one_event():
    days = ["2016-08-01", "2016-08-02", "2016-08-03"]
    records = [report(f"d{i}", "Shelling killed people in Aleppo.", published=day, kinds=("shelling",),
                      source=f"Outlet {i}") for i, day in enumerate(days)]
    groups = groups_of(records)
    assert ["d0", "d1", "d2"] not in groups and len(groups) == 2


def test_where_the_people_came_from_is_not_where_it_happened():
    text = ("A bomb hit buses carrying evacuees from the towns of Fuaa and Kafraya as they waited in "
            "Rashidin west of Aleppo, killing 126 people.")
    convoy = report("convoy", text, published="2017-04-16", kinds=("bombing",))
    aleppo = report("aleppo", "The toll of the bus bombing outside Aleppo reached 126.", published="2017-04-16",
                    kinds=("bombing",), source="Outlet B")
    (event,) = group_events([convoy, aleppo])
    assert event.admin1 == "Aleppo"


def test_damascus_as_the_government_is_not_a_place():
    text = "Damascus accused rebels of shelling. Rockets killed 5 people in Idlib city on Monday."
    record = report("r", text, published="2016-02-02", kinds=("shelling",))
    (event,) = group_events([record])
    assert event.admin1 == "Idlib"


def test_a_report_without_a_date_joins_on_place_and_one_without_a_place_only_on_day_and_toll():
    dated = report("dated", "A blast killed 31 people in Raqqa.", published="2014-08-17", kinds=("bombing",),
                   figures=[figure("A blast killed 31 people in Raqqa.", "31", 31)])
    undated = report("undated", "A blast in Raqqa city killed dozens.", kinds=("bombing",), source="Outlet B")
    text = "A blast killed 31 people, activists said."
    placeless = report("placeless", text, published="2014-08-17", kinds=("bombing",), source="Outlet C",
                       figures=[figure(text, "31", 31)])
    elsewhere = report("elsewhere", "A blast killed 4 people, activists said.", published="2014-08-17",
                       kinds=("bombing",), source="Outlet D")
    groups = groups_of([dated, undated, placeless, elsewhere])
    assert ["dated", "placeless", "undated"] in groups and ["elsewhere"] in groups


def test_every_record_is_in_exactly_one_event_also_an_error_record():
    records = [report("a", BLAST, published="2017-04-19", kinds=("bombing",)),
               failed("f", "Aleppo blast kills six. A bomb went off in Salah al-Din in Aleppo on Tuesday.",
                      published="2017-04-19"),
               report("z", "Nothing about a place or a day.", kinds=())]
    groups = group_events(records)
    ids = [r for g in groups for r in g.records]
    assert sorted(ids) == ["a", "f", "z"] and len(ids) == len(set(ids))
    assert ["a", "f"] in [g.records for g in groups]


def test_grouping_is_deterministic_whatever_the_input_order():
    records = [report(f"r{i}", f"Shelling killed {i} people in {place} on Monday.", published=day,
                      kinds=("shelling",), source=f"Outlet {i % 3}")
               for i, (place, day) in enumerate([("Aleppo", "2016-01-05"), ("Homs", "2016-01-05"),
                                                ("Aleppo", "2016-01-05"), ("Aleppo", "2016-01-06"),
                                                ("Homs", "2016-01-09"), ("Idlib", "2016-01-05")])]
    first = [(g.id, g.records, [l.why for l in g.links]) for g in group_events(records)]
    for seed in range(3):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        again = [(g.id, sorted(g.records), [l.why for l in g.links]) for g in group_events(shuffled)]
        assert again == [(i, sorted(r), w) for i, r, w in first]


def test_without_published_dates_the_dateline_dates_the_report():
    a = report("a", "Wed 05 Apr 2017 Strikes killed 20 in Khan Sheikhoun.", published="4/5/17")
    b = report("b", "05.04.2017 Twenty died in Khan Shaykhun after an attack.", source="Outlet B")
    c = report("c", "Posted on April 12 2017 by Staff. Strikes hit Khan Sheikhoun.", source="Outlet C")
    assert groups_of([a, b, c], use_published=False) == [["a", "b"], ["c"]]
    (event, _) = group_events([a, b, c], use_published=False)
    assert event.date.isoformat() == "2017-04-05"


def test_a_lead_that_names_no_place_leaves_the_place_to_the_rest_of_the_article():
    text = ("Strikes killed 14 people on Sunday, rescuers said. The toll may rise. Hospitals are full. "
            "Many were children. The strikes hit the old market of Maarat al-Numan.")
    (event,) = group_events([report("r", text, published="2016-04-17")])
    assert event.admin1 == "Idlib" and "after the lead" in event.reports[0].profile.place_how


def test_the_events_day_is_the_one_every_report_allows():
    # a report of Wednesday that also names Saturday (a background attack) and one of Wednesday
    late = report("late", "Four days after Saturday's attack, a blast killed 6 people in Salah al-Din, Aleppo.",
                  published="2017-04-19", date_text="Saturday", kinds=("bombing",))
    same = report("same", "A blast killed 6 people in Salah al-Din, Aleppo, on Wednesday.", published="2017-04-19",
                  kinds=("bombing",), source="Outlet B")
    (event,) = group_events([late, same])
    assert event.date.isoformat() == "2017-04-19"
    assert [d.isoformat() for d in event.dates] == ["2017-04-15", "2017-04-19"]
