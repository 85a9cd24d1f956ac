"""Grouping reports into events, one principle per test, on invented reports."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

import summarize
from summarize.events import group_events
from tests.conftest import run_python
from tests.events_records import failed, figure, report

BLAST = "A car bomb killed 12 people in the Salah al-Din district of Aleppo on Tuesday, the monitor said."


def groups_of(records, **kw) -> list[list[str]]:
    return sorted(sorted(g.records) for g in group_events(records, **kw))


def test_group_events_is_public_api():
    assert "group_events" in summarize.__all__ and "EventGroup" in summarize.__all__
    assert summarize.group_events is group_events


def test_the_events_api_is_imported_when_first_asked_for_and_listed_before():
    """``import summarize`` leaves the event modules out; dir() and ``import *`` still
    show every public name (a fresh interpreter: this one imported them above)."""
    probe = ("import sys, summarize\n"
             "print('summarize.events' in sys.modules)\n"
             "print(sorted(set(summarize.__all__) - set(dir(summarize))))\n"
             "names = {}\n"
             "exec('from summarize import *', names)\n"
             "print(names['group_events'].__module__)")
    assert run_python(probe).split("\n")[:3] == ["False", "[]", "summarize.events.grouping"]


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


def test_towns_of_one_governorate_on_one_firm_day_are_one_event_the_link_weaker_and_saying_so():
    """An event is a day in a governorate (as FA-KES labels it): reports of different
    towns of it on the same firm day join, the link naming both towns; a town and the
    governorate it lies in join more strongly."""
    town = report("town", "Barrel bombs killed 9 people in Khan Sheikhoun on Sunday.", published="2017-04-02")
    gov = report("gov", "Barrel bombs killed 9 people in Idlib province on Sunday.", published="2017-04-02",
                 source="Outlet B")
    other = report("other", "Barrel bombs killed 4 people in Sarmada on Sunday.", published="2017-04-02",
                   source="Outlet C")
    (event,) = group_events([town, gov, other])
    assert sorted(event.records) == ["gov", "other", "town"]
    ((nested,),) = [g.links for g in group_events([town, gov])]
    assert "Khān Shaykhūn, Idlib lies in Idlib" in nested.why
    ((apart,),) = [g.links for g in group_events([town, other])]
    assert "different towns Sarmada and Khān Shaykhūn in Idlib" in apart.why
    assert apart.score < nested.score


def test_towns_of_one_governorate_on_different_days_or_by_one_outlets_datelines_stay_apart():
    one = report("one", "Barrel bombs killed 9 people in Khan Sheikhoun.", published="2017-04-02")
    later = report("later", "Barrel bombs killed 4 people in Sarmada.", published="2017-04-05", source="Outlet C")
    assert groups_of([one, later]) == [["later"], ["one"]]
    # dated by datelines only: one outlet's two reports of one day are no corroboration
    a = report("a", _dateline("April 2 2017", "Barrel bombs killed 9 people in Khan Sheikhoun."))
    b = report("b", _dateline("April 2 2017", "Barrel bombs killed 9 people in Sarmada."))
    groups = groups_of([a, b, *_background("2017-04-02")], use_published=False)
    assert ["a"] in groups and ["b"] in groups


def test_a_busy_firm_day_in_one_governorate_is_one_event_one_outlets_quarters_among_it():
    """Many outlets' reports of one firmly dated day in Aleppo, each outlet writing of
    several quarters, are one event, as FA-KES labels an event (a day and a governorate:
    one outlet's two reports of a day with different counts are one labelled event); by
    datelines only, one outlet's reports of two quarters corroborate nothing and stay apart."""
    quarters = ["Salah al-Din", "Sheikh Maqsoud", "Bustan al-Qasr", "Kallaseh", "Hanano", "Ansari"]
    texts = {f"{outlet}{n}": f"Shelling killed {3 + n} people in the {quarter} district of Aleppo."
             for outlet in "ABCDEF" for n, quarter in enumerate(quarters[:3] if outlet in "ACE" else quarters[3:])}
    records = [report(rid, text, published="2016-10-07", kinds=("shelling",), source=f"Outlet {rid[0]}")
               for rid, text in texts.items()]
    (event,) = group_events(records)
    assert len(event.records) == 18 and len(event.outlets) == 6
    assert any("different towns" in link.why for link in event.links)
    dated = [report(rid, _dateline("October 7 2016", texts[rid]), kinds=("shelling",), source="Outlet A")
             for rid in ("A0", "A1")]
    groups = groups_of([*dated, *_background("2016-10-07")], use_published=False)
    assert ["A0"] in groups and ["A1"] in groups


def test_towns_of_one_governorate_by_two_outlets_datelines_join_only_on_content_in_common():
    """Datelines that agree are weaker than published dates (a crawl, an update stamp):
    reports of different towns need the content evidence a report needs to join across
    dates; a shared toll and wording alike (on COMMON_WORDS words in common) say they tell
    one event, the governorate alone does not."""
    market = ("Air strikes on a crowded market in Maarrat al-Numan killed 43 people, rescuers said.",
              "Warplanes bombed the crowded vegetable market of Kafranbel, killing 43 people, rescuers said.")
    unlike = ("Air strikes on a crowded market in Maarrat al-Numan killed 43 people, rescuers said.",
              "Rebels shelled a checkpoint near Kafranbel, wounding two soldiers, state media said.")
    for (first, second), together in ((market, True), (unlike, False)):
        records = [report("a", _dateline("May 3 2016", first), source="Outlet A"),
                   report("b", _dateline("May 3 2016", second), source="Outlet B", kinds=("shelling",)),
                   *_background("2016-05-03")]
        assert (["a", "b"] in groups_of(records, use_published=False)) is together


@pytest.mark.parametrize("second", [
    "Warplanes bombed the vegetable market of Kafranbel, killing 43 people, rescuers said.",
    "Warplanes bombed a market in Kafranbel, killing 43 people.",
])
def test_two_outlets_short_reports_of_one_days_strike_on_two_towns_join_on_few_words_in_common(second):
    """Where two outlets' datelines agree, wording only tells two towns' reports of one
    day apart; the floor of COMMON_WORDS words in common is for wording that stands in
    for a date, and two short reports of one strike share fewer (market, killed, 43,
    people, rescuers)."""
    first = "Air strikes on a crowded market in Maarrat al-Numan killed 43 people, rescuers said."
    records = [report("a", _dateline("May 3 2016", first), source="Outlet A"),
               report("b", _dateline("May 3 2016", second), source="Outlet B"),
               *_background("2016-05-03")]
    assert ["a", "b"] in groups_of(records, use_published=False)


def test_damascus_and_the_ghouta_around_it_are_one_area():
    city = report("city", "Clashes near Damascus left 40 dead, a monitor said.", published="2017-04-28",
                  kinds=("armed_clash",))
    ghouta = report("ghouta", "Over 100 fighters were killed in clashes in Eastern Ghouta.", published="2017-04-28",
                    kinds=("armed_clash",), source="Outlet B")
    assert groups_of([city, ghouta]) == [["city", "ghouta"]]


def test_a_town_of_a_region_and_the_region_are_one_place_but_another_region_is_not():
    douma = report("douma", "Air strikes killed 23 people in a market in Douma on Monday.", published="2017-11-14",
                   source="Outlet A")
    ghouta = report("ghouta", "Warplanes killed 23 civilians in the besieged Eastern Ghouta on Monday.",
                    published="2017-11-14", source="Outlet B")
    darayya = report("darayya", "Air strikes killed 5 people in Darayya on Monday.", published="2017-11-14",
                     source="Outlet C")
    assert groups_of([douma, ghouta]) == [["douma", "ghouta"]]
    (event,) = group_events([douma, ghouta])
    assert "lies in Eastern Ghouta" in event.links[0].why
    # Western Ghouta is another region: a report of it joins only as another town of Rif
    # Dimashq on the same firm day, more weakly; a day later it stays apart
    (event,) = group_events([douma, ghouta, darayya])
    apart = [link for link in event.links if "darayya" in (link.a, link.b)]
    assert apart and "different towns Dārayyā and Dūmā in Rif Dimashq" in apart[0].why
    later = report("darayya", "Air strikes killed 5 people in Darayya.", published="2017-11-17", source="Outlet C")
    assert groups_of([douma, ghouta, later]) == [["darayya"], ["douma", "ghouta"]]


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


def test_a_report_without_a_date_joins_on_its_content_and_one_without_a_place_only_on_day_and_toll():
    text = "A car bomb killed 31 people at a checkpoint in Raqqa, the monitor said."
    dated = report("dated", text, published="2014-08-17", kinds=("bombing",), figures=[figure(text, "31", 31)])
    undated = report("undated", "A car bomb at a checkpoint in Raqqa city killed 31, a monitor said.",
                     kinds=("bombing",), source="Outlet B")
    unrelated = report("unrelated", "Kurdish fighters and jihadists clashed near a dam in Raqqa province.",
                       kinds=("armed_clash",), source="Outlet E")
    text = "A blast killed 31 people, activists said."
    placeless = report("placeless", text, published="2014-08-17", kinds=("bombing",), source="Outlet C",
                       figures=[figure(text, "31", 31)])
    elsewhere = report("elsewhere", "A blast killed 4 people, activists said.", published="2014-08-17",
                       kinds=("bombing",), source="Outlet D")
    groups = groups_of([dated, undated, placeless, elsewhere, unrelated])
    assert ["dated", "placeless", "undated"] in groups and ["elsewhere"] in groups and ["unrelated"] in groups
    (event,) = [g for g in group_events([dated, undated]) if len(g.records) == 2]
    assert "no date in undated" in event.links[0].why and "similar wording" in event.links[0].why


def test_every_record_is_in_exactly_one_event_also_an_error_record():
    records = [report("a", BLAST, published="2017-04-19", kinds=("bombing",)),
               failed("f", "Aleppo blast kills six. A bomb went off in Salah al-Din in Aleppo on Tuesday.",
                      published="2017-04-19"),
               report("z", "Nothing about a place or a day.", kinds=())]
    groups = group_events(records)
    ids = [r for g in groups for r in g.records]
    assert sorted(ids) == ["a", "f", "z"] and len(ids) == len(set(ids))
    assert ["a", "f"] in [g.records for g in groups]


@pytest.mark.parametrize("use_published", [True, False])
def test_grouping_is_deterministic_whatever_the_input_order(use_published):
    records = [report(f"r{i}", f"Shelling killed {i} people in {place} on Monday.", published=day,
                      kinds=("shelling",), source=f"Outlet {i % 3}")
               for i, (place, day) in enumerate([("Aleppo", "2016-01-05"), ("Homs", "2016-01-05"),
                                                ("Aleppo", "2016-01-05"), ("Aleppo", "2016-01-06"),
                                                ("Homs", "2016-01-09"), ("Idlib", "2016-01-05")])]
    records += [report(f"d{i}", f"Published January {5 + i} 2016 Shelling of {place} killed {3 + i} people.",
                       kinds=("shelling",), source=f"Dated {i}") for i, place in enumerate(["Aleppo", "Homs", "Aleppo"])]
    first = [(g.id, g.records, [l.why for l in g.links]) for g in group_events(records, use_published=use_published)]
    for seed in range(3):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        again = [(g.id, sorted(g.records), [l.why for l in g.links])
                 for g in group_events(shuffled, use_published=use_published)]
        assert again == [(i, sorted(r), w) for i, r, w in first]


def test_without_published_dates_the_dateline_dates_the_report():
    a = report("a", "Wed 05 Apr 2017 Strikes killed 20 in Khan Sheikhoun.", published="4/5/17")
    b = report("b", "05.04.2017 Twenty died in Khan Shaykhun after an attack.", source="Outlet B")
    c = report("c", "Posted on April 12 2017 by Staff. Rebels shelled army posts in Idlib province, wounding three "
                    "soldiers.", source="Outlet C", kinds=("shelling",))
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


# ---- dates that are uncertain: a dateline, an update stamp, no date at all -------------

#: Reports of other events, a year before the ones a test is about, told in the words
#: every war report uses: a batch's background, so that those words weigh little, as in
#: any real batch.
_PLACES = ["Idlib", "Homs", "Hama", "Daraa", "Hasakeh", "Raqqa", "Aleppo", "Latakia"]
_TOLD = ["Shelling killed {n} people in {p}, activists said.",
         "Air strikes on {p} killed {n} civilians, a monitor said.",
         "Clashes near {p} left {n} fighters dead, the Syrian Observatory for Human Rights said.",
         "A car bomb killed {n} people in {p}, state media reported."]


def _background(day: str) -> list:
    """Background reports a year before ``day``, each on its own day and outlet, dated by
    their published field and by a dateline alike."""
    first = date.fromisoformat(day).replace(year=int(day[:4]) - 1)
    records = []
    for n, (place, told) in enumerate((p, t) for p in _PLACES for t in _TOLD):
        when = first + timedelta(days=3 * n)
        text = f"Published {when:%B} {when.day} {when.year} " + told.format(n=n + 3, p=place)
        records.append(report(f"bg{n}", text, published=when.isoformat(), source=f"Background {n}",
                              kinds=("shelling",)))
    return records


BACKGROUND = [[r.id] for r in _background("2001-01-01")]


def _dateline(day: str, text: str) -> str:
    return f"Published {day} {text}"


def test_a_report_dated_only_by_a_dateline_weeks_late_joins_the_event_its_content_matches():
    first = ("A car bomb hit buses carrying evacuees from Fuaa and Kafraya at Rashidin west of Aleppo, killing at "
             "least 112 people, the Syrian Observatory said.")
    second = ("The bombing of the evacuees' buses at Rashidin, outside Aleppo, killed at least 112 people from Fuaa "
              "and Kafraya, the monitor said.")
    late = ("A suicide car bomb that struck a convoy of buses carrying evacuees from Fuaa and Kafraya in Rashidin "
            "killed 112 people, the Observatory said.")
    records = [report("a", _dateline("April 16 2017", first), source="Outlet A", kinds=("bombing",)),
               report("b", _dateline("April 16 2017", second), source="Outlet B", kinds=("bombing",)),
               report("late", _dateline("May 8 2017", late), source="Outlet C", kinds=("bombing",)),
               *_background("2017-04-20")]
    groups = groups_of(records, use_published=False)
    assert ["a", "b", "late"] in groups
    (event,) = [g for g in group_events(records, use_published=False) if "late" in g.records]
    why = next(l.why for l in event.links if "late" in (l.a, l.b))
    assert "22 days apart" in why and "dated only by a dateline" in why and "similar wording" in why
    # with the articles' published dates, which are firm, three weeks apart are two events
    firm = [report(r.id, r.article.text, source=r.article.source, kinds=("bombing",),
                   published="2017-04-16" if r.id != "late" else "2017-05-08") for r in records[:3]]
    assert groups_of(firm + records[3:]) == sorted([["a", "b"], ["late"], *BACKGROUND])


def test_two_strikes_in_one_governorate_a_week_apart_stay_apart_when_each_is_corroborated():
    # each strike is reported by two outlets whose datelines agree: those dates are no longer
    # uncertain, however alike the two strikes are told
    told = "Barrel bombs dropped by regime helicopters on a {} in Aleppo killed {} civilians, activists said."
    records = [report("w1a", _dateline("July 15 2015", told.format("market", 13)), source="Outlet A"),
               report("w1b", _dateline("July 15 2015", told.format("market", 13)), source="Outlet B"),
               report("w2a", _dateline("July 22 2015", told.format("bakery", 18)), source="Outlet C"),
               report("w2b", _dateline("July 22 2015", told.format("bakery", 18)), source="Outlet D"),
               *_background("2015-07-18")]
    groups = groups_of(records, use_published=False)
    assert ["w1a", "w1b"] in groups and ["w2a", "w2b"] in groups


def test_an_uncertain_date_with_little_in_common_stays_apart():
    strike = "Air strikes on the Aleppo neighbourhood of Qaterji killed 32 civilians, a monitor said."
    other = "Rebel shelling of the Aleppo district of Hamdaniyeh wounded 5 people, state media reported."
    records = [report("a", _dateline("June 5 2016", strike), source="Outlet A"),
               report("b", _dateline("June 5 2016", strike.replace("civilians", "people")), source="Outlet B"),
               report("c", _dateline("June 19 2016", other), source="Outlet C", kinds=("shelling",)),
               *_background("2016-06-10")]
    assert ["c"] in groups_of(records, use_published=False)


def test_a_report_without_any_date_joins_the_event_it_is_most_like():
    text = ("Twin suicide bombings at the Akrameh school in Homs killed 39 people, 30 of them children, "
            "the monitor said.")
    near = "A double suicide bombing at a school in the Akrameh district of Homs killed 39 including 30 children."
    also = "Shelling of the Waer district of Homs killed 6 people, activists said."
    records = [report("a", _dateline("October 1 2014", text), source="Outlet A", kinds=("bombing",)),
               report("waer", _dateline("October 1 2014", also), source="Outlet B", kinds=("shelling",)),
               report("undated", near, source="Outlet C", kinds=("bombing",)),
               *_background("2014-10-05")]
    groups = groups_of(records, use_published=False)
    assert ["a", "undated"] in groups and ["waer"] in groups


def test_an_event_told_by_more_outlets_than_a_report_is_compared_with_still_joins_whole():
    from summarize.events.clustering import MAX_NEIGHBOURS

    many = MAX_NEIGHBOURS + 13
    blasts = [report(f"b{n:02d}", f"A car bomb killed {20 + n % 3} people in Jableh, outlet {n} said.",
                     published="2016-05-23", kinds=("bombing",), source=f"Outlet {n}") for n in range(many)]
    talks = [report(f"t{n}", "Delegations met in Jableh to discuss a truce.", published="2016-05-23",
                    kinds=("negotiation",), source=f"Talks outlet {n}") for n in range(5)]
    groups = groups_of(blasts + talks)
    assert groups == [sorted(r.id for r in blasts), sorted(r.id for r in talks)]


def test_a_dateline_bounds_what_a_report_can_tell_a_later_stamp_joins_an_earlier_one_does_not():
    # two outlets date a strike on 22 July; a report whose dateline is weeks later may be a
    # late stamp (a page updated, a story reprinted) and joins on its content; a report dated
    # two weeks before cannot tell that strike, however alike its words
    told = ("Barrel bombs dropped by regime helicopters on the vegetable market of Al-Bab in Aleppo "
            "killed 18 civilians, activists said.")
    records = [report("a", _dateline("July 22 2015", told), source="Outlet A"),
               report("b", _dateline("July 22 2015", told.replace("civilians", "people")), source="Outlet B"),
               report("later", _dateline("August 9 2015", told), source="Outlet C"),
               report("earlier", _dateline("July 8 2015", told), source="Outlet D"),
               *_background("2015-07-18")]
    groups = groups_of(records, use_published=False)
    assert ["a", "b", "later"] in groups and ["earlier"] in groups


def test_an_uncertain_report_does_not_join_an_event_firmly_dated_after_it():
    from summarize.events.linking import Candidate, may_be_one
    from summarize.events.profile import profile

    told = "An air strike on Maarat al-Numan in Idlib killed 9 people, activists said."
    firm = Candidate(profile(report("firm", told, published="2016-02-15", source="Outlet A")), (9,))
    early = Candidate(profile(report("early", _dateline("February 1 2016", told), source="Outlet B"),
                              use_published=False), (9,))
    late = Candidate(profile(report("late", _dateline("February 28 2016", told), source="Outlet C"),
                             use_published=False), (9,))
    assert firm.firm and not early.firm and not late.firm
    assert not may_be_one(early, firm, 1) and not may_be_one(firm, early, 1)
    assert may_be_one(late, firm, 1) and may_be_one(firm, late, 1)
    assert may_be_one(early, late, 1)  # neither settled: the later may be a late stamp
    assert not may_be_one(early, late, 1, settled_b=True) and may_be_one(early, late, 1, settled_a=True)


def test_a_late_dateline_joins_an_event_of_several_towns_through_a_report_of_its_own_town():
    """An event told from two quarters of a city on one firm day; a report dated only by a
    dateline ten days later, worded like the report of one quarter, joins the event: its
    place nests with that report's, and the other quarter lies in the same governorate."""
    first = ("A car bomb tore through the Salah al-Din district of Aleppo, killing 27 people queuing for bread, "
             "the Observatory said.")
    second = "Rebel rockets hit the Sheikh Maqsoud quarter of Aleppo, killing 21 people, state media said."
    late = ("The car bomb that tore through a bread queue in the Salah al-Din district of Aleppo killed 27 people, "
            "the Observatory said.")
    records = [report("a", first, published="2016-10-07", source="Outlet A", kinds=("bombing",)),
               report("b", second, published="2016-10-07", source="Outlet B", kinds=("shelling",)),
               report("late", _dateline("October 17 2016", late), source="Outlet C", kinds=("bombing",)),
               *_background("2016-10-07")]
    (event,) = [g for g in group_events(records) if "late" in g.records]
    assert sorted(event.records) == ["a", "b", "late"]
    assert any("different towns" in link.why for link in event.links)
    assert any("dated only by a dateline" in link.why for link in event.links)
    # the outlet of the other quarter's report tells another event in its late one: one
    # outlet's reports of two towns are two events, on dates that agree or not
    records[2] = report("late", _dateline("October 17 2016", late), source="Outlet B", kinds=("bombing",))
    assert ["late"] in groups_of(records)


def test_a_day_of_the_month_the_text_states_is_firm_where_a_weekday_read_against_a_dateline_is_not():
    """"On 7 October" does not rest on the page's stamp being right; "on Friday" does. A
    report stamped 2 October cannot tell an event that a text dates 7 October, however
    alike the words; and two outlets' texts that state one day are one event across two
    quarters of a city, as published dates would be."""
    told = "An air strike on {day} killed 27 people in the {quarter} district of Aleppo, rescuers said."
    stated = report("stated", _dateline("October 9 2016", told.format(day="October 7", quarter="Bustan al-Qasr")),
                    source="Outlet A")
    early = report("early", _dateline("October 2 2016", told.format(day="Sunday", quarter="Bustan al-Qasr")),
                   source="Outlet B")
    background = _background("2016-10-07")
    assert ["early"] in groups_of([stated, early, *background], use_published=False)
    weekday = report("weekday", _dateline("October 9 2016", told.format(day="Friday", quarter="Bustan al-Qasr")),
                     source="Outlet A")
    assert ["early", "weekday"] in groups_of([weekday, early, *background], use_published=False)

    other = report("other", _dateline("October 8 2016", "Rebel rockets fell on 7 October on the Sheikh Maqsoud "
                                                         "quarter of Aleppo, wounding a child."), source="Outlet C",
                   kinds=("shelling",))
    (event,) = [g for g in group_events([stated, other, *background], use_published=False) if "other" in g.records]
    assert sorted(event.records) == ["other", "stated"] and "different towns" in event.links[0].why
    vague = report("vague", _dateline("October 8 2016", "Rebel rockets fell on Friday on the Sheikh Maqsoud "
                                                         "quarter of Aleppo, wounding a child."), source="Outlet C",
                   kinds=("shelling",))
    assert ["vague"] in groups_of([weekday, vague, *background], use_published=False)


def test_a_late_dateline_of_another_quarter_joins_only_on_strong_content_evidence():
    """Across dates that do not agree the content's evidence decides, for another town or
    quarter of the governorate too: the same toll and rare words join; the governorate
    and common words alone do not."""
    first = ("Government air strikes on a bread queue in the Bustan al-Qasr district of Aleppo killed 27 people, "
             "rescuers from the White Helmets said.")
    alike = ("A bread queue in the Kallaseh district of Aleppo was hit by government air strikes that killed 27 "
             "people, the White Helmets said.")
    unlike = "Rebel shelling of the Kallaseh district of Aleppo wounded 5 people, state media said."
    for late, together in ((alike, True), (unlike, False)):
        records = [report("a", _dateline("October 7 2016", first), source="Outlet A"),
                   report("b", _dateline("October 7 2016", first.replace("people", "civilians")),
                          source="Outlet B"),
                   report("late", _dateline("October 20 2016", late), source="Outlet C"),
                   *_background("2016-10-07")]
        groups = groups_of(records, use_published=False)
        assert (["a", "b", "late"] in groups) is together, groups


def test_a_day_the_text_states_is_that_day_for_a_report_of_another_town():
    """"On 7 October" in a page stamped 20 October tells of 7 October: another outlet's
    report of another quarter published 19 October is not its event, though the span
    from the stated day to the stamp holds the 19th; a report of the 7th is."""
    stated = report("stated", _dateline("October 20 2016", "An air strike on 7 October killed 27 people in the "
                                                           "Bustan al-Qasr district of Aleppo, rescuers said."))
    later = report("later", "Shelling killed 4 people in the Kallaseh district of Aleppo.", published="2016-10-19",
                   source="Outlet B", kinds=("shelling",))
    same = report("same", "Shelling killed 4 people in the Kallaseh district of Aleppo.", published="2016-10-07",
                  source="Outlet C", kinds=("shelling",))
    assert groups_of([stated, later]) == [["later"], ["stated"]]
    assert groups_of([stated, same]) == [["same", "stated"]]


def test_a_report_without_a_date_never_bridges_two_dated_events():
    """An undated report alike to two reports of one governorate dated nineteen days apart,
    which share nothing but their governorate: it joins the one it is most like, and does
    not carry the other into that event (its content speaks for itself, not for the dates
    of the reports it joined)."""
    first = ("Barrel bombs dropped on the Qaterji market in Aleppo killed 17 civilians queuing for bread, "
             "rescuers said.")
    second = ("Government rockets struck the Sukkari hospital in Aleppo, killing 9 patients and nurses, "
              "doctors said.")
    roundup = ("Barrel bombs on the Qaterji market killed 17 civilians queuing for bread; rockets also struck "
               "the Sukkari hospital, killing 9 patients, doctors said.")
    records = [report("first", _dateline("June 1 2016", first), source="Outlet A"),
               report("second", _dateline("June 20 2016", second), source="Outlet B", kinds=("shelling",)),
               report("undated", roundup, source="Outlet C"),
               *_background("2016-06-10")]
    groups = groups_of(records, use_published=False)
    assert not any("first" in g and "second" in g for g in groups)
    assert ["first", "undated"] in groups or ["second", "undated"] in groups


def test_a_report_without_a_date_joins_on_strong_content_only_not_on_a_toll_and_a_governorate():
    """Without a date a report could tell any event of its governorate in a batch's years:
    a common toll and a few common words are no evidence then; the same town and toll are."""
    from summarize.events.linking import EVIDENCE_TO_JOIN, Candidate, Evidence, evidence, undated_evidence
    from summarize.events.profile import profile
    from summarize.events.wording import Vocabulary

    dated = ("Published March 3 2016 Government air strikes on the city of Idlib killed 20 people in a market, "
             "rescuers said.")
    vague = ("Fighting raged across Idlib province for a third day as rebels and the army traded fire along the "
             "front lines near the Turkish border, and aid groups warned of shortages of medicine, fuel and flour in "
             "the camps; 20 people died in the clashes and the strikes from the air, a monitor said, and many fled "
             "north.")
    town = "Published March 9 2016 An air strike on Talbiseh in Homs killed 14 people, rescuers said."
    undated_town = "Rescuers pulled bodies from rubble in Talbiseh after 14 people died."
    records = [report("dated", dated, figures=[figure(dated, "20", 20)]),
               report("vague", vague, source="Outlet B", figures=[figure(vague, "20", 20)]),
               report("town", town, source="Outlet C", figures=[figure(town, "14", 14)]),
               report("undated", undated_town, source="Outlet D", figures=[figure(undated_town, "14", 14)]),
               *_background("2016-03-03")]
    # the toll and a little wording (on five words in common) add up to what a dateline a
    # few days off would need ...
    vocabulary = Vocabulary()
    items = {r.id: Candidate(profile(r, use_published=False), (20,) if r.id in ("dated", "vague") else (14,),
                             profile(r, use_published=False).words) for r in records}
    for item in items.values():
        vocabulary.add(item.words)
    for item in items.values():
        item.weighted = vocabulary.weigh(item.words)
    # wording of five, or two, words in common
    pair = items["dated"], items["vague"]
    assert not undated_evidence(*pair, Evidence(0.15, 20, None, 5))
    assert not undated_evidence(*pair, Evidence(0.15, None, "Jisr", 5))
    assert undated_evidence(*pair, Evidence(0.0, 20, "Jisr al-Shughur, Idlib", 2))
    assert undated_evidence(*pair, Evidence(0.2, None, None, 5))
    assert not undated_evidence(*pair, Evidence(0.9, None, None, 2))  # a cosine of two words in common
    found = evidence(items["dated"], items["vague"])
    assert items["vague"].profile.date is None and found.toll == 20 and found.place is None
    assert found.score >= EVIDENCE_TO_JOIN > found.similarity
    found = evidence(items["town"], items["undated"])
    assert items["undated"].profile.date is None and found.toll == 14 and found.place
    # ... but a report without a date joins only on wording alike by itself, or the same
    # town and toll
    groups = groups_of(records, use_published=False)
    assert ["vague"] in groups and ["town", "undated"] in groups


def _three_aleppo_events() -> list:
    """Three outlets' reports of three Aleppo events of June 2016, dated by datelines."""
    market = "Barrel bombs dropped on the Qaterji market in Aleppo killed 17 civilians queuing for bread, rescuers said."
    hospital = "Government rockets struck the Sukkari hospital in Aleppo, killing 9 patients and nurses, doctors said."
    school = "Rebel shells fell on the Hamdaniya district of Aleppo, killing 4 children at a school, state media said."
    return [report("market", _dateline("June 1 2016", market), source="Outlet A"),
            report("hospital", _dateline("June 12 2016", hospital), source="Outlet B"),
            report("school", _dateline("June 24 2016", school), source="Outlet C", kinds=("shelling",))]


def _title_only(id: str, title: str, *, source: str) -> object:
    """A record that kept its title and no text (the text of a failed fetch, a feed's item)."""
    record = report(id, title, title=title, source=source)
    return record.model_copy(update={"article": record.article.model_copy(update={"text": None, "chars": 0})})


@pytest.mark.parametrize("short", ["Aleppo market", "Aleppo hospital struck", "Aleppo"])
def test_a_report_without_a_date_and_with_few_words_joins_no_event_on_a_cosine_of_those_words(short):
    """The cosine of a bag of one to four words is high with any report holding them (a
    title only: "Aleppo market" reaches 0.29 with a market strike of Aleppo); a report
    without a date joins on its wording only when that rests on COMMON_WORDS
    words in common, as a headline's worth of them does."""
    dated = _three_aleppo_events()
    for records in ([*dated, _title_only("short", short, source="Outlet D")],
                    [*dated, report("short", short, source="Outlet D")]):
        groups = groups_of(records, use_published=False)
        assert ["short"] in groups, groups
    headline = "Barrel bombs on Qaterji market in Aleppo kill 17 civilians queuing for bread"
    groups = groups_of([*dated, _title_only("headline", headline, source="Outlet D")], use_published=False)
    assert ["headline", "market"] in groups


@pytest.mark.parametrize("when", ["June 9 2016", "June 20 2016"])
@pytest.mark.parametrize("short", ["Aleppo market", "Aleppo hospital struck", "Aleppo market strike kills civilians"])
def test_a_short_report_dated_by_a_dateline_joins_across_dates_only_on_wording_of_five_words_in_common(short, when):
    """A headline-only record dated by its dateline days after the reports it resembles
    meets the floor an undated one meets: its wording joins across dates only when it
    rests on COMMON_WORDS words in common ("Aleppo market" alone reaches a cosine of
    0.29 with a market strike of Aleppo 8 or 19 days before it); a headline's worth of
    words does join."""
    dated = _three_aleppo_events()
    groups = groups_of([*dated, report("short", _dateline(when, short), source="Outlet D")], use_published=False)
    assert ["short"] in groups, groups
    headline = "Barrel bombs on Qaterji market in Aleppo kill 17 civilians queuing for bread"
    groups = groups_of([*dated, report("headline", _dateline(when, headline), source="Outlet D")],
                       use_published=False)
    assert ["headline", "market"] in groups


def test_wording_is_evidence_only_on_five_words_in_common():
    from summarize.events.linking import COMMON_WORDS, EVIDENCE_TO_JOIN, Evidence

    assert COMMON_WORDS == 5
    few, enough = Evidence(0.3, None, None, 4), Evidence(0.3, None, None, 5)
    assert (few.wording, few.score) == (0.0, 0.0) and enough.wording == enough.score == 0.3
    assert Evidence(0.15, 20, None, 4).score < EVIDENCE_TO_JOIN <= Evidence(0.15, 20, None, 5).score


def test_a_link_across_dates_or_without_a_date_names_the_wording_it_rests_on_and_every_undated_report():
    """A join across dates or without a date rests on the content's evidence: its link
    names the wording's cosine even under SIMILAR_WORDING (two dateline-only reports 5
    days apart, of one toll, join on a cosine of about 0.23 on seven words in common), and
    two undated reports are both named as undated ("no date in u1 and u2", not "or")."""
    from summarize.events.linking import SIMILAR_WORDING

    market = "Barrel bombs dropped on the Qaterji market in Aleppo killed 17 civilians queuing for bread, rescuers said."
    alike = "Barrel bombs hit the Qaterji market of Aleppo, killing 17 civilians who queued for bread, rescuers said."
    first = ("Barrel bombs dropped on the Waer market in Homs killed 17 civilians queuing for bread, rescuers "
             "said. Civil defence teams pulled survivors from the rubble as fires spread to nearby homes and shops.")
    later = ("Helicopters struck a queue for bread at a market in western Homs, killing 17 civilians, the monitor "
             "said. Doctors at a field hospital said the wounded included children and that supplies of blood were "
             "running low. Rescuers searched the rubble.")
    records = [report("u1", market, source="Outlet A"), report("u2", alike, source="Outlet B"),
               report("d1", _dateline("June 1 2016", first), source="Outlet C", figures=[figure(first, "17", 17)]),
               report("d2", _dateline("June 6 2016", later), source="Outlet D", figures=[figure(later, "17", 17)]),
               *_background("2016-06-10")]
    events = group_events(records, use_published=False)
    (undated,) = [e for e in events if "u1" in e.records]
    assert undated.records == ["u1", "u2"] and "no date in u1 and u2" in undated.links[0].why
    across = [link for e in events for link in e.links if "apart" in link.why]
    weak = [link for link in across if "similar wording" not in link.why]
    assert across and weak  # joins across dates on a cosine under SIMILAR_WORDING
    for link in weak:
        cosine = float(link.why.split("wording alike (cosine ")[1].split(")")[0])
        assert 0.0 < cosine < SIMILAR_WORDING


def test_a_report_without_a_date_bridges_no_two_towns_on_less_than_they_would_join_on_themselves():
    """Two dateline-only reports of different towns of Aleppo 19 days apart, worded a
    little alike (cosine about 0.23: under the 0.3 that reports of two towns need to join
    across dates), and an undated report alike to both: it joins one, and does not
    carry the other town's report into that event."""
    from summarize.events.grouping import _killed_tolls, report_of
    from summarize.events.linking import Candidate, assess
    from summarize.events.wording import Vocabulary

    manbij = "Air strikes on Manbij killed 12 civilians near the grain silos and a bakery, activists said."
    bab = "Warplanes pounded al-Bab, killing 30 people near the grain silos, the monitor reported."
    undated = ("Air strikes killed civilians near the grain silos and a bakery in the east of Aleppo province, "
               "activists and the monitor said, as warplanes pounded the area.")
    records = [report("manbij", _dateline("June 1 2016", manbij), source="Outlet A"),
               report("bab", _dateline("June 20 2016", bab), source="Outlet B"),
               report("undated", undated, source="Outlet C"), *_background("2016-06-10")]
    reports = [report_of(r, use_published=False) for r in records]
    vocabulary = Vocabulary()
    for r in reports:
        vocabulary.add(r.profile.words)
    items = {r.id: Candidate(r.profile, _killed_tolls(r), r.profile.words) for r in reports}
    for item in items.values():
        item.weighted = vocabulary.weigh(item.words)
    assert assess(items["manbij"], items["bab"], 1, any_town=True) is None  # not by themselves
    groups = groups_of(records, use_published=False)
    assert not any("manbij" in g and "bab" in g for g in groups), groups
    assert ["manbij", "undated"] in groups or ["bab", "undated"] in groups


def test_undated_reports_group_the_same_whatever_the_input_order_and_chain_no_two_dated_events():
    """Undated, dated, undated: two undated reports alike to each other, each alike to one
    of two strikes of one governorate weeks apart; in any input order the same events and
    links, and the two strikes stay apart."""
    market = "Barrel bombs dropped on the Qaterji market in Aleppo killed 17 civilians queuing for bread, rescuers said."
    hospital = "Government rockets struck the Sukkari hospital in Aleppo, killing 9 patients and nurses, doctors said."
    roundup = ("Barrel bombs on the Qaterji market killed 17 civilians queuing for bread; rockets also struck "
               "the Sukkari hospital, killing 9 patients, doctors said.")
    ward = "Rockets struck the Sukkari hospital, killing 9 patients and nurses; doctors said the wards were full."
    records = [report("market", _dateline("June 1 2016", market), source="Outlet A"),
               report("hospital", _dateline("June 20 2016", hospital), source="Outlet B", kinds=("shelling",)),
               report("roundup", roundup, source="Outlet C"), report("ward", ward, source="Outlet D"),
               *_background("2016-06-10")]
    first = [(sorted(g.records), [link.why for link in g.links]) for g in group_events(records, use_published=False)]
    groups = [g for g, _ in first]
    assert not any("market" in g and "hospital" in g for g in groups)
    assert ["hospital", "roundup", "ward"] in groups and ["market"] in groups
    for seed in range(4):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        assert [(sorted(g.records), [link.why for link in g.links])
                for g in group_events(shuffled, use_published=False)] == first
