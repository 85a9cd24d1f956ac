"""The rules backend's events: kind, place and day of the lead sentences."""

from __future__ import annotations

from summarize.rules import extract_summary


def events_of(text: str):
    return extract_summary(text, source="Outlet").events


def test_the_place_is_the_gazetteer_place_where_it_happened():
    (event,) = events_of("Residents of Fuaa fled after a car bomb exploded in Rashidin west of Aleppo on Saturday.")
    assert event.event_type.value == "bombing"
    assert event.location == "Rashidin" and event.date_text == "on Saturday"


def test_months_weekdays_and_nationalities_are_no_places():
    (event,) = events_of("Fighting resumed in December between Syrian troops and rebels in Kafr Nabl.")
    assert event.location == "Kafr Nabl"
    (event,) = events_of("Clashes broke out in Syria on Monday.")
    assert event.location is None and event.date_text == "on Monday"


def test_a_dateline_date_is_not_the_day_of_the_event():
    (event,) = events_of("Published October 3 2016 Air strikes killed 21 people in Aleppo.")
    assert event.date_text is None
    (event,) = events_of("Air strikes killed 21 people in Aleppo on October 3, the monitor said.")
    assert event.date_text == "on October 3"
