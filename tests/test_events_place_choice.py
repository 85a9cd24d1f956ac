"""Where an event happened: the place decision on invented reports, one kind of error
each (a source's place, a government named by its capital, background places, names
inside organisations, Damascus and its countryside, a name two governorates share)."""

from __future__ import annotations

import pytest

from summarize.events.profile import areas_where, profile
from summarize.places import gazetteer
from tests.events_records import report


def _admin1(text: str, *, title: str | None = None, published: str | None = "2017-04-05") -> str | None:
    found = profile(report("x", text, title=title, published=published)).place
    return None if found is None else gazetteer().governorate_name(found.governorate)


@pytest.mark.parametrize(("text", "expected"), [
    # a name inside an organisation's or outlet's name, or a source's base, is no place
    ("Activists of the Aleppo Media Center said a barrel bomb killed six people in Daraa on Tuesday.", "Daraa"),
    ("The Idlib Military Council said shelling killed four people in Hama on Tuesday.", "Hama"),
    ("Raqqa Is Being Slaughtered Silently said an airstrike killed nine in Deir Ezzor on Tuesday.", "Deir ez-Zor"),
    ("The Lebanon-based al-Mayadeen TV said a car bomb killed five in Homs on Tuesday.", "Homs"),
    ("A Damascus-based lawyer said ten detainees were killed in Homs prison on Tuesday.", "Homs"),
    ("Shells hit the Shahba hotel in Aleppo on Tuesday, killing two guests.", "Aleppo"),
    # ... but the place itself still counts
    ("Raqqa is being bombed: an airstrike killed nine people in the city on Tuesday.", "Raqqa"),
    # a government named by its capital, a reporter placed in a city
    ("Damascus accused Ankara of shelling that killed seven people in Latakia on Tuesday.", "Latakia"),
    ("A car bomb killed eight people in Idlib on Tuesday, a source told AFP in Damascus.", "Idlib"),
    ("Moscow and Damascus denied that their jets killed 20 people in Idlib on Tuesday.", "Idlib"),
    ("Damascus and Moscow denied a strike that killed 20 people in Idlib on Tuesday.", "Idlib"),
    ("Shelling killed six people, a native of Homs among them, in Hama on Tuesday.", "Hama"),
    ("DAMASCUS, Syria (AP) -- Shelling killed ten people on Tuesday, activists said. The government blamed "
     "rebels. The shells hit the town of Rastan in Homs province.", "Homs"),
    ("QAMISHLI, Syria -- A bomb killed 44 people in the Kurdish-majority city on Tuesday.", "Hasakah"),
    # background: another, earlier event
    ("Health workers in Idlib treated dozens of victims of Tuesday's gas attack. Rebels used the same "
     "weapons in Aleppo last year, Moscow said.", "Idlib"),
    ("At least 19 people were killed near the Syrian capital on Tuesday, just hours after a gas attack left "
     "dozens dead in Khan Sheikhoun.", "Damascus"),
    ("Shelling killed five people in Aleppo last night, a monitor said.", "Aleppo"),
    ("A car bomb killed 40 people in Azaz on Tuesday, the deadliest since last year, while shelling "
     "wounded two in Idlib.", "Aleppo"),
    ("Five people were killed in Idlib after a car bomb exploded on Tuesday.", "Idlib"),
    ("Airstrikes killed nine people shortly after dawn in Idlib on Tuesday, days after the shelling of "
     "Hama.", "Idlib"),
])
def test_the_place_of_the_event_not_of_a_source_a_government_or_an_earlier_event(text, expected):
    assert _admin1(text) == expected


def test_a_year_before_the_articles_is_background_its_own_year_is_not():
    text = ("Doctors in Idlib treated 60 people on Tuesday. Hundreds died in a sarin attack in Ghouta "
            "in August 2013.")
    assert _admin1(text, title="Gas attack victims treated", published="2017-04-05") == "Idlib"
    same_year = "Shelling hit Ghouta in August 2013, killing 30 people."
    assert _admin1(same_year, published="2013-08-22") == "Rif Dimashq"


@pytest.mark.parametrize(("named", "published", "background"), [
    ("December 2016", "2017-01-10", True),  # a month of a year before the article's
    ("March 2017", "2017-04-20", True),  # an earlier month of the article's year
    ("May 2016", "2017-04-20", True),
    ("April 2017", "2017-04-20", False),  # the article's own month
    ("April 2017", "2017-04-01", False),
    ("December 2016", "2016-12-20", False),
    ("May 2017", "2017-04-20", False),  # a month to come is no earlier event
    ("March 2017", None, False),  # no article date to hold it against
])
def test_a_month_that_ended_before_the_articles_month_is_background(named, published, background):
    after = f"Shelling killed 30 people in Aleppo in {named}, a monitor said. Doctors in Idlib treated the " \
            "wounded of an air strike on Tuesday."
    opens = f"In {named}, shelling killed 30 people in Aleppo, a monitor said. Doctors in Idlib treated the " \
            "wounded of an air strike on Tuesday."
    for text in (after, opens):
        assert _admin1(text, published=published) == ("Idlib" if background else "Aleppo")


@pytest.mark.parametrize(("when", "published", "background"), [
    ("in March 2017", None, True),  # dated by its dateline alone (April 20 2017)
    ("since March 2017", "2017-04-20", False),  # a span that reaches the article's days
    ("between March and April 2017", "2017-04-20", False),
    ("in December", "2017-01-10", False),  # no year: this December, or the last?
    # a day is no month: "on 31 March 2017" may be the day before an article of 1 April
    ("on 3 March 2017", "2017-04-20", False),
    ("on March 31, 2017", "2017-04-01", False),
])
def test_what_a_month_named_with_other_words_leaves_as_this_events_place(when, published, background):
    text = f"Shelling killed 30 people in Aleppo {when}, a monitor said. Doctors in Idlib treated the " \
           "wounded of an air strike on Tuesday."
    if published is None:
        text = "ALEPPO, Syria, April 20, 2017 (AP) -- " + text
    assert _admin1(text, published=published) == ("Idlib" if background else "Aleppo")


@pytest.mark.parametrize("text", [
    "Shelling killed six people in rural Damascus on Tuesday.",
    "Shelling killed six people in the Damascus countryside on Tuesday.",
    "Shelling killed six people in the eastern suburbs of Damascus on Tuesday.",
    "Clashes in the Damascus suburbs left 100 dead on Tuesday.",
    "Shelling killed six people east of Damascus on Tuesday.",
])
def test_the_countryside_and_suburbs_of_damascus_are_rif_dimashq(text):
    assert _admin1(text) == "Rif Dimashq"


def test_damascus_named_as_the_city_or_the_capital_is_damascus():
    assert _admin1("A mortar attack killed four people in Damascus on Tuesday.") == "Damascus"
    assert _admin1("A mortar attack killed four people in the Syrian capital on Tuesday.") == "Damascus"
    # a group's "capital" is not Damascus
    assert _admin1("The SDF pressed IS near its Syrian capital of Raqqa, killing 12 on Tuesday.") == "Raqqa"


def test_a_name_two_governorates_share_is_the_one_the_text_names():
    gaz = gazetteer()
    assert {e.governorate for e in gaz.lookup("Sawran")} == {"SY-HL", "SY-HM"}
    for other, expected in (("Aleppo", "Aleppo"), ("Hama", "Hama")):
        text = f"Shelling killed seven people in Sawran on Tuesday, a monitor in {other} province said."
        assert _admin1(text) == expected


def test_a_capital_named_as_a_city_is_the_town_and_a_town_named_with_its_province_the_governorate():
    gaz = gazetteer()
    city = profile(report("x", "Shelling killed four people in Aleppo city on Tuesday.", published="2017-04-05"))
    assert city.place is not None and city.place.level == "town" and city.place.governorate == "SY-HL"
    province = profile(report("x", "Shelling killed four people in Idlib province on Tuesday.", published="2017-04-05"))
    assert province.place is not None and province.place.level == "governorate"
    assert gaz.governorate_name(province.place.governorate) == "Idlib"


@pytest.mark.parametrize("title", ["Moscow and Damascus deny gas attack", "Damascus denies gas attack",
                                   "Damascus-based lawyer decries gas attack", "Evacuees from Aleppo describe gas attack"])
def test_a_title_names_the_place_of_the_event_only_where_its_cues_allow(title):
    text = ("Officials rejected the accusations on Wednesday. Rescuers said 70 people were killed in Khan "
            "Sheikhoun on Tuesday.")
    assert _admin1(text, title=title) == "Idlib"


@pytest.mark.parametrize(("text", "expected"), [
    # a passive or a toll after a name is the place itself, not its government speaking
    ("Aleppo has been pounded by airstrikes that killed 12 people on Tuesday, a doctor told AFP in Damascus.",
     "Aleppo"),
    ("Shelling in Damascus said to have killed four people on Tuesday left rubble, a monitor in Homs reported.",
     "Damascus"),
    ("A blast in Hama claimed the lives of six people on Tuesday, a source in Idlib reported.", "Hama"),
    # "for hours after" a gas attack is a duration after this event, not an earlier event
    ("Speaking to AFP in Damascus, a doctor said rescuers worked for hours after a gas attack in Khan "
     "Sheikhoun killed 70 people on Tuesday.", "Idlib"),
    # a group's "Syrian capital" is not Damascus
    ("Airstrikes killed 12 people in the Islamic State group's de facto Syrian capital on Tuesday, a monitor "
     "in Aleppo said.", "Aleppo"),
    ("The Syrian capital was hit by mortars on Tuesday, killing four.", "Damascus"),
])
def test_passives_tolls_durations_and_a_groups_capital_are_read_as_such(text, expected):
    assert _admin1(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The Aleppo Media Center said barrel bombs killed 12 people in the city on Tuesday.", "Aleppo"),
    ("Raqqa Is Being Slaughtered Silently said an airstrike killed nine in the city on Tuesday.", "Raqqa"),
])
def test_a_name_inside_an_organisations_name_is_the_place_only_when_nothing_else_is(text, expected):
    assert _admin1(text) == expected
    assert _admin1(text.replace("in the city", "in Homs")) == "Homs"


def test_a_capital_paired_with_another_states_before_a_noun_is_a_place():
    """ "Moscow and Damascus deny" is two governments; "Moscow and Damascus airports" two places."""
    from summarize.events.profile import place_votes

    def weight(text: str) -> float:
        votes = place_votes(report("x", text, published="2017-04-05"))
        return max(v.weight for v in votes if gazetteer().governorate_name(v.place.governorate) == "Damascus")

    assert weight("A car bomb killed 20 people at Moscow and Damascus airports on Tuesday.") >= 1.0
    assert weight("A car bomb killed 20 people at Damascus and Moscow airports on Tuesday.") >= 1.0
    assert weight("Moscow and Damascus denied on Tuesday that jets killed 20 people.") < 0.5
    assert weight("Damascus and Moscow agreed on Tuesday that a strike killed 20 people.") < 0.5


def test_journalists_in_a_place_who_are_the_victims_are_not_a_reporters_place():
    text = "Two journalists in Aleppo were killed by shelling on Tuesday, a monitor in Homs reported."
    assert _admin1(text) == "Aleppo"
    assert _admin1("A car bomb killed eight people in Idlib on Tuesday, a source told AFP in Damascus.") == "Idlib"


def test_a_shared_name_with_both_its_governorates_named_is_placed_the_same_whatever_their_order():
    first = _admin1("Shelling killed seven people in Sawran on Tuesday, monitors in Hama and Aleppo reported.")
    second = _admin1("Shelling killed seven people in Sawran on Tuesday, monitors in Aleppo and Hama reported.")
    assert first == second and first in ("Aleppo", "Hama")


@pytest.mark.parametrize(("text", "expected"), [
    # only the capital speaks for a government: people in another place said it happened there
    ("Activists in Hama said shelling killed six people on Tuesday. Damascus blamed rebels in Idlib.", "Hama"),
    ("A car bomb killed eight in Idlib on Tuesday, officials in Damascus said.", "Idlib"),
    # "government-held" is a part of the place, not its government
    ("Shelling killed 12 people in Aleppo government-held districts on Tuesday, a monitor in Homs reported.",
     "Aleppo"),
])
def test_speakers_in_a_place_and_government_held_parts_of_it_are_the_place(text, expected):
    assert _admin1(text) == expected


@pytest.mark.parametrize(("clause", "areas"), [
    ("were killed in the Syrian capital on Tuesday", [{"SY-DI"}]),
    ("were killed near the Syrian capital", [{"SY-DI"}]),
    ("were killed in Damascus", [{"SY-DI"}]),
    ("were killed in rural Damascus", [{"SY-DI"}]),  # Rif Dimashq counts as Damascus
    ("were killed near its Syrian capital of Raqqa", [{"SY-RA"}]),  # a group's capital
    ("the Syrian capital said", []),  # the government, not a place
])
def test_areas_where_reads_the_syrian_capital_as_the_profile_does(clause, areas):
    assert [set(a) for a in areas_where(clause)] == areas
    if areas == [{"SY-DI"}] and "capital" in clause:
        place = profile(report("x", f"Eight people {clause}.", published="2017-04-05")).place
        assert place is not None and place.governorate == "SY-DI"
