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
from dataclasses import dataclass
from functools import lru_cache

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
#: What a number in digits is multiplied by before a scale or count noun: "5 thousand", "2 dozen".
_MULTIPLIERS = {**_SCALES, **_COUNT_NOUNS}

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


# ---- whole quantity phrases: qualifiers, ranges, vague multiples ---------------------
#
# Readings of a whole quantity phrase as written ("at least 137", "between 20 and 30",
# "several hundred"), following the table in evals/GUIDELINES.md:
#
#     22, twenty-two, a total of 22        exact        22    22
#     at least / no fewer than 137         at_least     137   None
#     more than / over / upwards of 400    at_least     401   None
#     up to / as many as / at most 30      at_most      None  30
#     nearly / almost / close to 50        at_most      None  50
#     fewer than / less than / under 50    at_most      None  49
#     about / around / some / roughly /
#       approximately / an estimated 20    approximate  20    20
#     a dozen, half a dozen, two dozen,
#       2 dozen                            approximate  12, 6, 24, 24
#     30-odd, thirty-odd                   approximate  30    30
#     between 20 and 30, 20-30, 20 to 30,
#       from 20 to 30, two or three        range        20    30
#     from 10000 to more than 30000        range        10000 None
#     dozens, scores, several ...          vague        reading above, None
#
# A vague word multiplying a scale word takes the same one-unit rule: "several hundred"
# = 3 x 100 = 300, "a few dozen" = 2 x 12 = 24, "several dozen" = 36, "many thousands"
# = 2 x 1000. "a large number of" reads like "a number of" (2). A qualifier before a
# vague word ("at least dozens") keeps the vague reading.

#: Vague phrases outside VAGUE_READINGS that still commit to a smallest number.
EXTRA_VAGUE_READINGS: dict[str, int] = {
    "a large number of": 2,
    "a great number of": 2,
    "a small number of": 2,
    "large numbers of": 2,
}

_VAGUE_MULTIPLIERS = {"several": 3, "a few": 2, "few": 2, "many": 2}
_SCALE_WORDS = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}

_AT_LEAST = ("at least", "no fewer than", "no less than", "a minimum of", "not less than")
_MORE_THAN = ("more than", "over", "upwards of", "in excess of", "just over", "well over",
              "above", "greater than")
_AT_MOST = ("up to", "as many as", "at most", "no more than", "not more than", "a maximum of",
            "nearly", "almost", "close to")
_BELOW = ("fewer than", "less than", "under", "just under", "below")
_ABOUT = ("about", "around", "some", "roughly", "approximately", "an estimated",
          "estimated", "approx.", "approx", "circa")
_EXACT = ("a total of", "exactly", "only", "just", "another", "a further", "an additional")

#: Every qualifier word or phrase that may stand before a number, longest first.
QUALIFIERS: tuple[str, ...] = tuple(sorted(
    {*_AT_LEAST, *_MORE_THAN, *_AT_MOST, *_BELOW, *_ABOUT, *_EXACT}, key=len, reverse=True
))

_RANGE = re.compile(
    r"^(?:between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)|from\s+(?P<c>.+?)\s+to\s+(?P<d>.+)"
    r"|(?P<e>.+?)\s*(?:-|–|—|\bto\b|\bor\b)\s*(?P<f>.+))$"
)
_FRACTIONS = {"a quarter of a million": 250_000, "a quarter million": 250_000,
              "half a million": 500_000, "a half million": 500_000}
_DIGITS_SCALE = re.compile(
    r"^(?P<n>\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+)\s*(?P<s>hundred|thousand|million|dozen)$"
)
#: "30-odd", "thirty-odd": a round number and a few more, read as about that number.
_ODD = re.compile(r"^(?P<n>.+?)-odd$")


@dataclass(frozen=True, slots=True)
class QuantityReading:
    """How a quantity phrase reads: its type and the bounds it commits to."""

    quantity_type: str
    low: int | None
    high: int | None


def _plain_value(text: str) -> int | None:
    """A whole number in digits, words, "5 thousand", "1.5 million" or "half a dozen"."""
    value = number_value(text)
    if value is not None:
        return value
    cleaned = " ".join(text.lower().replace("-", " ").split())
    match = _DIGITS_SCALE.match(cleaned)
    if match:
        number = float(match["n"].replace(",", ""))
        return int(round(number * _MULTIPLIERS[match["s"]]))
    if cleaned in _FRACTIONS:
        return _FRACTIONS[cleaned]
    if cleaned.startswith("half a "):
        rest = number_value("a " + cleaned[len("half a "):])
        return rest // 2 if rest is not None else None
    return None


def _vague_value(text: str) -> int | None:
    """Reading of a vague phrase, including "several hundred" and "a large number of"."""
    cleaned = " ".join(text.lower().split())
    reading = vague_reading(cleaned)
    if reading is None:
        reading = EXTRA_VAGUE_READINGS.get(cleaned)
    if reading is not None:
        return reading
    for word, multiplier in _VAGUE_MULTIPLIERS.items():
        for scale, size in _SCALE_WORDS.items():
            if cleaned in (f"{word} {scale}", f"{word} {scale}s"):
                return multiplier * size
    return None


def _is_round_count(text: str) -> bool:
    """True for "a dozen", "two dozen", "half a dozen", "a score of": approximate counts."""
    words = text.lower().replace("-", " ").split()
    return bool(words) and words[-1] in ("dozen", "score")


def split_qualifier(text: str) -> tuple[str, str]:
    """``text``'s leading qualifier ("at least", "more than" ..., lower case) and the
    rest; ("", text) when it has none."""
    lowered = text.lower()
    for qualifier in QUALIFIERS:
        if lowered.startswith(qualifier + " "):
            return qualifier, text[len(qualifier) + 1:].strip()
    return "", text


@lru_cache(maxsize=4096)
def read_quantity(text: str) -> QuantityReading | None:
    """Reading of a quantity phrase as written ("at least 137" -> at_least 137/None,
    "between 20 and 30" -> range 20/30, "dozens" -> vague 12/None); None when ``text``
    is not a quantity. See the table at the top of this section. Cached: the reading
    is immutable and the same phrases come back in every article."""
    cleaned = " ".join(text.strip().split())
    qualifier, core = split_qualifier(cleaned)
    vague = _vague_value(core)
    if vague is not None:
        return QuantityReading("vague", vague, None)
    value = _plain_value(core)
    if value is not None:
        return _qualified(qualifier, value, round_count=_is_round_count(core))
    odd = _ODD.match(core.lower())
    value = _plain_value(odd["n"]) if odd else None
    if value is not None:  # "30-odd": about 30
        return _qualified(qualifier, value, round_count=True)
    if qualifier:
        return None
    match = _RANGE.match(core.lower())
    if not match:
        return None
    first, second = [g for g in match.groups() if g is not None]
    low = _plain_value(first)
    upper = read_quantity(second)
    if low is None or upper is None or upper.quantity_type == "vague":
        return None
    high = upper.high if upper.quantity_type in ("exact", "approximate", "at_most") else None
    if high is not None and high < low:
        return None
    return QuantityReading("range", low, high)


def _qualified(qualifier: str, value: int, *, round_count: bool) -> QuantityReading:
    if qualifier in _AT_LEAST:
        return QuantityReading("at_least", value, None)
    if qualifier in _MORE_THAN:
        return QuantityReading("at_least", value + 1, None)
    if qualifier in _AT_MOST:
        return QuantityReading("at_most", None, value)
    if qualifier in _BELOW:
        return QuantityReading("at_most", None, max(value - 1, 0))
    if qualifier in _ABOUT or round_count:
        return QuantityReading("approximate", value, value)
    return QuantityReading("exact", value, value)
