"""Dates: an article's own date (published, else its dateline) and an event's date
resolved from how the article says it ("Tuesday", "late Tuesday", "yesterday", "on 5
April", "two days ago").

Conventions, newsroom style:
- a weekday names the latest such day on or before the article's date ("Wednesday" in an
  article of Wednesday is that day); "last Wednesday" in a Wednesday article is a week
  before;
- a day and month without a year take the article's year, or the year before when that
  would put the event more than a day after the article;
- numeric dates: ``2016-04-23`` and ``2016/04/23`` (year first), ``4/5/17`` and
  ``4/5/2017`` month first (the US order of FA-KES and most feeds) unless the first
  number cannot be a month (``31/12/2016`` is day first), ``05.04.2017`` and
  ``05-04-2017`` day first (European order);
- vague spans ("last week", "earlier this month", "in recent days") resolve to nothing:
  the article's date stands for the event.

Plain code rather than dateparser: dateparser reads "on Wednesday" in a Wednesday article
as a week earlier, does not read "late Tuesday" or "Saturday's", and guesses month-first
for "05-04-2016"; these are the forms that matter here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_WEEKDAYS = {name: number for number, names in enumerate((
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thurs"),
    ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun"))) for name in names}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1, "an": 1}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
#: Where a year ends: before a non-digit, or before a time of day glued to it
#: ("16.04.201718:20", a page that lost the space between its date and its time stamp):
#: an hour 0-23 and minutes 00-59, no digit after them, so that "12.05.201834:56" (an id,
#: a count glued to a year) is no date.
_YEAR_END = r"(?:(?!\d)|(?=(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)))"
#: Dates with a year, most specific form first. A year glued to the day ("Jul 152015", a
#: feed that lost its comma) or to the month ("15 July2015"), a day glued to the month
#: ("15May 2017") and a day, month and year joined by dashes or slashes ("16-Apr-2017")
#: are read too.
_FULL_DATES = [re.compile(p, re.IGNORECASE) for p in (
    rf"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>\d\d?)-(?P<day>\d\d?)(?!\d)",
    rf"(?<!\d)(?P<day>\d\d?)(?:st|nd|rd|th)?(?:\s*|[-/])(?:of\s+)?{_MONTH}(?:,?\s*|[-/])"
    rf"(?P<year>(?:19|20)\d\d){_YEAR_END}",
    rf"\b{_MONTH}\s+(?P<day>\d\d?)(?:st|nd|rd|th)?,?\s*(?P<year>(?:19|20)\d\d){_YEAR_END}",
    rf"(?<!\d)(?P<day>\d\d?)\.(?P<month>\d\d?)\.(?P<year>(?:19|20)\d\d){_YEAR_END}",
    rf"(?<![\d-])(?P<day>\d\d?)-(?P<month>\d\d?)-(?P<year>(?:19|20)\d\d){_YEAR_END}",
    r"(?<![\d/])(?P<month>\d\d?)/(?P<day>\d\d?)/(?P<year>(?:19|20)?\d\d)(?![\d/])",
    # day first when month first cannot be ("31/12/2016": no thirty-first month)
    r"(?<![\d/])(?P<day>\d\d?)/(?P<month>\d\d?)/(?P<year>(?:19|20)?\d\d)(?![\d/])",
    r"(?<![\d/])(?P<year>(?:19|20)\d\d)/(?P<month>\d\d?)/(?P<day>\d\d?)(?![\d/])",
)]
_DAY_MONTH = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b(?P<day>\d\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b",
    rf"\b{_MONTH}\s+(?P<day>\d\d?)(?:st|nd|rd|th)?\b(?!\s*[:.]\d)",
)]
_DAY_NAMES = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_WEEKDAY_PHRASE = re.compile(rf"\b(?P<last>last\s+)?(?P<weekday>{_DAY_NAMES})\b", re.IGNORECASE)
_DAYS_AGO = re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|a|an)\s+days?\s+(?:ago|earlier|before)\b",
                       re.IGNORECASE)
_DAY_BEFORE_YESTERDAY = re.compile(r"\b(?:the\s+)?day before yesterday\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\b(?:yesterday|last night|the previous day|the day before)\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening)|earlier in the day"
                    r"|overnight|past 24 hours|last 24 hours)\b", re.IGNORECASE)
#: How far into an article its dateline may be (after the title and an agency name).
DATELINE_CHARS = 300


@dataclass(frozen=True)
class Resolved:
    """A date and how it was read: ``how`` is a short phrase for the reader; ``stated``:
    the text names the day of the month ("on 5 April", "October 7, 2016"), so the date
    does not rest on the article's own date being right (only, at most, its year)."""

    date: date
    how: str
    stated: bool = False


def _date(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(value: str) -> int:
    return int(value) if value.isdigit() else _MONTHS[value.lower().rstrip(".")[:3] if value.lower()
                                                     not in _MONTHS else value.lower()]


_YEAR = re.compile(rf"(?:19|20)\d\d{_YEAR_END}|(?<![\d/])\d\d?/\d\d?/\d\d(?![\d/])")


def find_full_date(text: str) -> tuple[date, int] | None:
    """The first date with a year in ``text`` and where it starts, or None."""
    for year in _YEAR.finditer(text):
        # a date with a year ends at its year: try the forms on the stretch before it
        start = max(0, year.start() - 24)
        best: tuple[date, int] | None = None
        for pattern in _FULL_DATES:
            for match in pattern.finditer(text, start, year.end() + 7):
                found = _date(int(match["year"]), _month(match["month"]), int(match["day"]))
                if found is not None and (best is None or match.start() < best[1]):
                    best = (found, match.start())
                    break
        if best is not None:
            return best
    return None


def parse_published(value: str | None) -> date | None:
    """The date of an article's ``published`` field ("2016-04-23", "4/5/17",
    "Wed 05 Apr 2017", "2017-04-16T10:00:00Z"), or None when it holds none."""
    if not value or not value.strip():
        return None
    found = find_full_date(value.strip())
    return found[0] if found else None


def dateline(text: str | None) -> date | None:
    """The date an article's text opens with ("Wed 05 Apr 2017", "23-04-2016",
    "Posted on April 19 2017 by ...", "Date of publication 7 October 2016"), or None
    when none is near the start."""
    if not text:
        return None
    found = find_full_date(text[:DATELINE_CHARS])
    return found[0] if found else None


def resolve(date_text: str | None, anchor: date | None) -> Resolved | None:
    """The day ``date_text`` names, read against ``anchor`` (the article's date), or None
    when it names no day or only a vague span."""
    if not date_text or not date_text.strip():
        return None
    text = date_text.strip()
    if _SPAN_START.match(text):
        return None  # "since 7 October": a span's bound, not the event's day
    found = find_full_date(text)
    if found is not None:
        return Resolved(found[0], f"{text!r} is a date", stated=True)
    if anchor is None:
        return None
    for pattern in _DAY_MONTH:
        match = pattern.search(text)
        if match:
            day = _date(anchor.year, _month(match["month"]), int(match["day"]))
            if day is not None and day > anchor + timedelta(days=1):
                day = _date(anchor.year - 1, _month(match["month"]), int(match["day"]))
            if day is not None:
                return Resolved(day, f"{text!r} in the year of {anchor.isoformat()}", stated=True)
    match = _DAYS_AGO.search(text)
    if match:
        n = match["n"].lower()
        days = int(n) if n.isdigit() else _NUMBERS[n]
        return Resolved(anchor - timedelta(days=days), f"{text!r} before {anchor.isoformat()}")
    if _DAY_BEFORE_YESTERDAY.search(text):
        return Resolved(anchor - timedelta(days=2), f"{text!r}: two days before {anchor.isoformat()}")
    if _YESTERDAY.search(text):
        return Resolved(anchor - timedelta(days=1), f"{text!r}: the day before {anchor.isoformat()}")
    match = _WEEKDAY_PHRASE.search(text)
    if match:
        back = (anchor.weekday() - _WEEKDAYS[match["weekday"].lower()]) % 7
        if match["last"] and back == 0:
            back = 7
        return Resolved(anchor - timedelta(days=back), f"{text!r}: the last {match['weekday'].title()} "
                                                       f"on or before {anchor.isoformat()}")
    if _TODAY.search(text):
        return Resolved(anchor, f"{text!r}: the article's day")
    return None


_MONTH_NAMES = "january|february|march|april|may|june|july|august|september|october|november|december"
#: Day words worth resolving in a sentence of the article (used when a record's events
#: carry no ``date_text``); full names only, so "sat" or "may" in prose is no date.
DAY_WORDS = re.compile(
    rf"\b(?:(?:on|late|early|last)\s+)?(?:{_DAY_NAMES})\b|\byesterday\b|\blast night\b"
    rf"|\b\d+\s+days?\s+ago\b|\b(?:on\s+)?(?:the\s+)?\d\d?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_NAMES})\b"
    rf"(?!,?\s*\d)|\b(?:on\s+)?(?:{_MONTH_NAMES})\s+\d\d?(?:st|nd|rd|th)?\b(?!,?\s*\d)",
    re.IGNORECASE)
#: A day named after these words bounds a span ("since 7 October", "until Friday", "from
#: 5 to 7 October"): it is not the day of the event the article reports. Not "after",
#: "before" or "by", and not a day with 's: "after Tuesday's assault", "killed by
#: Saturday's blast" and "the toll from Friday's strike" name the event's day.
_SPAN_BEFORE = re.compile(r"\b(?:since|until|till|through|between|from|to)\s+(?:the\s+)?$", re.IGNORECASE)
_SPAN_START = re.compile(r"^\s*(?:since|until|till|through|between|from)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'|’)?s\b", re.IGNORECASE)


def bounds_a_span(text: str, start: int, end: int) -> bool:
    """Whether the day word ``text[start:end]`` bounds a span ("since 7 October") rather
    than names the day of an event (see _SPAN_BEFORE)."""
    return (_SPAN_BEFORE.search(text, max(0, start - 12), start) is not None
            and _POSSESSIVE.match(text, end) is None)


#: Every day word DAY_WORDS matches holds one of these, at most a few characters after
#: where the match starts ("on 5 April", "10 days ago").
_DAY_ANCHORS = ("day", "night", *_MONTH_NAMES.split("|"))
_BEFORE_ANCHOR = 16
_AFTER_ANCHOR = 24


def day_words(text: str) -> Iterator[re.Match[str]]:
    """The matches of DAY_WORDS in ``text`` in order, found faster: the expression is
    tried only around the words every day word holds ("day", "night", a month's name)."""
    lower = text.lower()
    start = done = 0
    while True:
        found = [at for at in (lower.find(word, start) for word in _DAY_ANCHORS) if at >= 0]
        if not found:
            return
        at = min(found)
        match = DAY_WORDS.search(text, max(done, at - _BEFORE_ANCHOR), at + _AFTER_ANCHOR)
        if match is not None:
            yield match
            done = match.end()
            start = max(at + 1, done)
        else:
            start = at + 1


def first_day_word(text: str) -> re.Match[str] | None:
    """The first match of DAY_WORDS in ``text`` (``day_words``), or None."""
    return next(day_words(text), None)
