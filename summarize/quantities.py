"""How counts of people are read: number words and the conservative reading of vague words.

One table serves the schema's field descriptions, the rules backend and the scorers, so
"dozens" means the same thing everywhere.

Vague quantities get the smallest number the word commits the writer to, following
ACLED's practice of coding "tens" as 10, "dozens" as 12 and "hundreds" as 100 (one unit of
the word). The rest are our choice, by the same one-unit rule:

    a few, few, a number of, a handful, many, numerous   -> 2
    several                                              -> 3
    tens -> 10   dozens -> 12   scores -> 20   hundreds -> 100
    thousands -> 1000   tens of thousands -> 10000   hundreds of thousands -> 100000
    millions -> 1000000

A vague figure has ``low`` = that reading and ``high`` = None (no upper bound is stated).
"""

from __future__ import annotations

import re

#: Conservative reading of each vague quantity word or phrase (lower-case).
VAGUE_READINGS: dict[str, int] = {
    "a few": 2,
    "few": 2,
    "a number of": 2,
    "a handful of": 2,
    "a handful": 2,
    "many": 2,
    "numerous": 2,
    "several": 3,
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "millions": 1_000_000,
}

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_COUNT_NOUNS = {"dozen": 12, "score": 20}

#: Every word that can be part of a spelled-out number.
NUMBER_WORDS: frozenset[str] = frozenset(
    [*_UNITS, *_TENS, *_SCALES, *_COUNT_NOUNS, "a", "an", "and"]
)

_DIGITS = re.compile(r"^\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+$|^\d+$")


def number_value(text: str) -> int | None:
    """Value of a number written in digits or words ("1,500", "twenty-two", "a dozen",
    "two hundred and five"); None when ``text`` is not a whole number."""
    cleaned = text.strip().lower()
    if _DIGITS.match(cleaned):
        return int(re.sub(r"\D", "", cleaned))
    words = [w for w in re.split(r"[\s-]+", cleaned) if w and w != "and"]
    if not words or any(w not in NUMBER_WORDS for w in words):
        return None
    total = current = 0
    seen_number = False
    for word in words:
        if word in ("a", "an"):
            current = max(current, 1)
        elif word in _UNITS:
            current += _UNITS[word]
            seen_number = True
        elif word in _TENS:
            current += _TENS[word]
            seen_number = True
        elif word in _COUNT_NOUNS:
            current = max(current, 1) * _COUNT_NOUNS[word]
            seen_number = True
        elif word == "hundred":
            current = max(current, 1) * 100
            seen_number = True
        else:  # thousand, million
            total += max(current, 1) * _SCALES[word]
            current = 0
            seen_number = True
    return total + current if seen_number else None


def vague_reading(text: str) -> int | None:
    """Conservative reading of a vague quantity ("dozens" -> 12); None if not vague."""
    return VAGUE_READINGS.get(" ".join(text.lower().split()))
