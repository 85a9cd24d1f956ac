"""Find quantity phrases in a sentence: digits, number words, qualifiers, ranges and
vague quantity words, each read with summarize.quantities.read_quantity.

A phrase is only a *candidate*: summarize.rules.casualties decides whether it counts
people who were killed, wounded, captured or missing. Here we already drop what is
plainly something else: ordinals ("137th"), times ("16:45", "3 pm"), dates ("July 19",
"16 Apr 2017"), ages ("aged 12", "a 6-year-old", "between 7 and 12 years old"),
distances and other units ("5 km", "40 percent") and labels ("Brigade 137").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarize.quantities import QUALIFIERS, QuantityReading, read_quantity
from summarize.rules.denials import apposed_ages
from summarize.rules.sentences import Sentence
from summarize.rules.vocabulary import NOT_PEOPLE_AFTER, NOT_PEOPLE_BEFORE

_WORD_NUMBERS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million dozen"
).split()
_NUMBER_WORD = rf"(?:{'|'.join(_WORD_NUMBERS)})"
_WORDS_NUMBER = (
    rf"(?:(?:half\s+)?an?\s+(?:dozen|score\s+of|(?:hundred|thousand|million)"
    rf"(?:(?:\s+and\s+|\s+|-){_NUMBER_WORD})*)"
    rf"|a\s+quarter\s+(?:of\s+a\s+)?million|half\s+a\s+million"
    rf"|{_NUMBER_WORD}(?:(?:\s+and\s+|\s+|-){_NUMBER_WORD})*)"
)
#: Digits, with comma separators or a space before a round "000" ("1 000"; a space before
#: other digits may join a date to a count: "March 16 100 people"), or a space after one
#: leading digit ("1 500", as FA-KES prints 1,500 once its commas are gone; after a month
#: or a label word that digit is the day or the label's: "March 5 100 people").
_DIGITS = (r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]000)+(?![\d,])"
           r"|[1-9](?:[ \u00a0\u202f]\d{3})+(?![\d,])|\d+(?:\.\d+)?)"
           r"(?:\s+(?:hundred|thousand|million|dozen)\b)?")
_NUMBER = rf"(?:(?:{_DIGITS}|{_WORDS_NUMBER})(?:-odd\b)?)"  # "30-odd", "thirty-odd"
_VAGUE = (
    r"(?:(?:several|a\s+few|many)\s+(?:dozen|hundred|thousand)s?"
    r"|tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|scores|tens|hundreds"
    r"|thousands|millions|several|a\s+few|many|numerous|a\s+handful\s+of"
    r"|a\s+(?:large\s+|great\s+|small\s+)?number\s+of|large\s+numbers\s+of)"
)
#: Qualifiers that belong to the context, not the quantity ("killed another two").
_CONTEXT_QUALIFIERS = {"another", "a further", "an additional", "only", "just"}
_QUALIFIERS = "|".join(
    re.escape(q).replace(r"\ ", r"\s+") for q in QUALIFIERS if q not in _CONTEXT_QUALIFIERS
)
_RANGE = (
    rf"(?:between\s+{_NUMBER}\s+and\s+{_NUMBER}"
    rf"|from\s+{_NUMBER}\s+to\s+(?:(?:more\s+than|over|about|some)\s+)?{_NUMBER}"
    rf"|{_DIGITS}\s*[-–]\s*{_DIGITS}|{_NUMBER}\s+(?:to|or)\s+{_NUMBER})"
)
_AMOUNT = re.compile(
    rf"(?<![\w.,:/-])(?:(?:{_QUALIFIERS})\s+)?(?:{_RANGE}|{_VAGUE}|{_NUMBER})(?![\w/%-]|:\S|[.,]\d)",
    re.IGNORECASE,
)
_LEADING_QUALIFIER = re.compile(rf"(?:{_QUALIFIERS})\s+", re.IGNORECASE)
#: The leading digit of "1 500" (one digit, a space, three digits).
_ONE_DIGIT_GROUP = re.compile(r"[1-9][ \u00a0\u202f](?=\d{3})")
_AGE = re.compile(
    r"\b(?:aged\s+(?:between\s+)?\d+(?:\s*(?:and|to|-)\s*\d+)?"
    r"|(?:between\s+)?\d+(?:\s*(?:and|to|-)\s*\d+)?[\s-]+years?[\s-]+old"
    r"|\b(?:he|she|who)\s+(?:was|is)\s+(?:only\s+|just\s+)?\d{1,2}(?=\s*(?:[,;.)]|when\b|and\b|at\b|$)))\b",
    re.IGNORECASE,
)
#: Words one of which every quantity phrase without digits holds (number words and the
#: vague words): a sentence with none of them and no digit is not searched at all.
_KEY_WORDS = frozenset(_WORD_NUMBERS) | frozenset(
    "score several few many tens hundreds dozens scores thousands millions numerous handful "
    "number numbers".split())
_DIGIT = re.compile(r"\d")
_WORD_PARTS = re.compile(r"[-–'’]")
_TIME_AFTER = re.compile(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt\b|utc|hrs\b|h\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Amount:
    """A quantity phrase in a sentence: its verbatim text, article offsets, reading and
    the indices of its first and after-last tokens in the sentence."""

    text: str
    start: int
    end: int
    reading: QuantityReading
    first: int
    last: int


def age_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """Article offsets of age phrases ("aged 12", "between 7 and 12 years old", "he was
    45 when ...": a number a singular subject is, not a count; "Ahmad, 17, died": an age
    set off by commas after a name or a person, summarize.rules.denials)."""
    if not _DIGIT.search(sentence.text):
        return []  # every age has digits
    return [(sentence.start + m.start(), sentence.start + m.end())
            for m in _AGE.finditer(sentence.text)] + apposed_ages(sentence)


def _looks_like_date_or_label(sentence: Sentence, amount: Amount) -> bool:
    tokens = sentence.tokens
    before = tokens[amount.first - 1].lower if amount.first else ""
    after = tokens[amount.last].lower if amount.last < len(tokens) else ""
    if before in NOT_PEOPLE_BEFORE or after in NOT_PEOPLE_AFTER:
        return True
    if after in NOT_PEOPLE_BEFORE:  # "3 October", "16 Apr 2017"
        following = tokens[amount.last + 1].lower if amount.last + 1 < len(tokens) else ""
        return not (after == "may" and following in ("have", "be", "been", "not", "die", "still"))
    if _TIME_AFTER.match(sentence.text[amount.end - sentence.start:]):
        return True
    is_year = amount.reading.quantity_type == "exact" and looks_like_year(amount.text)
    return is_year and before in ("in", "since", "of", "until", "by", "from", "year", "", ",")


def looks_like_year(text: str) -> bool:
    """True for four digits that may be a year of the modern era ("2016")."""
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100


def _may_hold_amount(sentence: Sentence) -> bool:
    """False when ``sentence`` has no digit and no number or vague word (about half of
    all sentences): the quantity pattern, the costliest search here, is then skipped."""
    if _DIGIT.search(sentence.text):
        return True
    for token in sentence.tokens:
        lower = token.lower
        if lower in _KEY_WORDS:
            return True
        if len(lower) > 3 and not _KEY_WORDS.isdisjoint(_WORD_PARTS.split(lower)):
            return True  # "twenty-two"
    return False


def find_amounts(sentence: Sentence, *, ages: list[tuple[int, int]] | None = None) -> list[Amount]:
    """Quantity phrases in ``sentence`` that may count people, in order. ``ages`` are
    the sentence's age_spans when the caller has them already."""
    if not _may_hold_amount(sentence):
        return []
    if ages is None:
        ages = age_spans(sentence)
    found: list[Amount] = []
    for match in _AMOUNT.finditer(sentence.text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        if any(a <= start < b for a, b in ages):
            continue
        text = match.group(0)
        reading = read_quantity(text)
        qualifier = _LEADING_QUALIFIER.match(text) if reading is None else None
        if qualifier:  # "some 5,000-7,000": a qualifier the reading has no rule for
            text = text[qualifier.end():]
            start += qualifier.end()
            reading = read_quantity(text)
        if reading is None:
            continue
        first = sentence.token_index_at(start)
        day = _ONE_DIGIT_GROUP.match(text)
        if day and first and sentence.tokens[first - 1].lower in NOT_PEOPLE_BEFORE:
            text, start = text[day.end():], start + day.end()  # "March 5 100 people": the 5 is the day
            reading, first = read_quantity(text), sentence.token_index_at(start)
            if reading is None:
                continue
        last = sentence.token_index_at(end - 1) + 1
        amount = Amount(text, start, end, reading, first, last)
        if not _looks_like_date_or_label(sentence, amount):
            found.append(amount)
    return found
