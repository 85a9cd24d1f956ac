"""Find where a quote sits in its article: exact, then normalised, then fuzzy.

Normalisation folds what models change when they copy text: curly quotes and primes to
straight quotes, every dash to "-", runs of whitespace to one space, letter case, and
Unicode compatibility forms (NFKC). Offsets always refer to the original article.

Fuzzy matching uses rapidfuzz's ``partial_ratio_alignment`` on the normalised texts and
accepts a match scoring at least ``FUZZY_THRESHOLD`` (0-100) when the quote is at least
``FUZZY_MIN_CHARS`` long, and only if the matched stretch of the article holds exactly the
same numbers as the quote: "killed 23" never grounds on "killed 22".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

#: Lowest rapidfuzz partial-ratio score (0-100) accepted as a fuzzy match.
FUZZY_THRESHOLD = 90.0
#: Shorter quotes must match exactly or after normalisation.
FUZZY_MIN_CHARS = 20

MatchKind = Literal["exact", "normalized", "fuzzy"]

_FOLD = {
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"},
    **{ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Alignment:
    """Character offsets ``[start, end)`` of a quote in the original article."""

    start: int
    end: int
    match: MatchKind
    score: float = 100.0


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised copy of a text and, for each of its characters, the offset of the
    original character it came from (plus one final entry for the end)."""

    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` in the normalised text back to the original text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=64)
def normalize(text: str) -> NormalizedText:
    """Fold quotes, dashes, whitespace, case and compatibility forms, keeping offsets.
    Cached: the validators and grounding ask for the same article many times."""
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        folded = unicodedata.normalize("NFKC", char).translate(_FOLD).lower()
        if pending_space:
            chars.append(" ")
            offsets.append(index - 1)
            pending_space = False
        for piece in folded:
            chars.append(piece)
            offsets.append(index)
    offsets.append(len(text))
    return NormalizedText("".join(chars), tuple(offsets))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).translate(_FOLD).lower()


@lru_cache(maxsize=256)
def normalized_text(text: str) -> str:
    """``normalize(text).text`` without the offsets, many times faster: what a
    containment test needs. Whitespace runs are folded first, so a character whose
    compatibility form holds a space ("\u00b4") keeps it, exactly as in normalize."""
    collapsed = _WHITESPACE.sub(" ", text).strip(" ")
    if collapsed.isascii():
        return collapsed.translate(_FOLD).lower()
    return "".join(map(_fold_char, collapsed))


def _numbers(text: str) -> list[str]:
    return [re.sub(r"[.,]", "", n) for n in _NUMBER.findall(text)]


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend ``[start, end)`` so that it neither starts nor ends inside a word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def locate(quote: str, article: str, *, allow_fuzzy: bool = True) -> Alignment | None:
    """Offsets of ``quote`` in ``article``, or None when it cannot be found."""
    quote = quote.strip()
    if not quote:
        return None
    start = article.find(quote)
    if start >= 0:
        return Alignment(start, start + len(quote), "exact")

    norm_article = normalize(article)
    norm_quote = normalize(quote).text
    if not norm_quote:
        return None
    start = norm_article.text.find(norm_quote)
    if start >= 0:
        begin, end = norm_article.original_span(start, start + len(norm_quote))
        return Alignment(begin, end, "normalized")

    if not allow_fuzzy or len(norm_quote) < FUZZY_MIN_CHARS:
        return None
    result = fuzz.partial_ratio_alignment(
        norm_quote, norm_article.text, score_cutoff=FUZZY_THRESHOLD
    )
    if result is None:
        return None
    start, end = _widen_to_words(norm_article.text, result.dest_start, result.dest_end)
    if _numbers(norm_article.text[start:end]) != _numbers(norm_quote):
        return None
    begin, end = norm_article.original_span(start, end)
    return Alignment(begin, end, "fuzzy", round(result.score, 1))


def contains(haystack: str, needle: str) -> bool:
    """True when ``needle`` occurs in ``haystack`` exactly or after normalisation."""
    if needle in haystack:
        return True
    norm_needle = normalized_text(needle)
    return bool(norm_needle) and norm_needle in normalized_text(haystack)


def contains_quantity(haystack: str, quantity: str) -> bool:
    """True when ``quantity`` ("12", "at least 20", "dozens") occurs in ``haystack`` as
    whole words, after normalisation: "12" is not in "120", "2012" or "1,200"."""
    norm_quantity = normalized_text(quantity)
    if not norm_quantity:
        return False
    pattern = rf"(?<!\w)(?<!\d[.,]){re.escape(norm_quantity)}(?!\w)(?![.,]\d)"
    return re.search(pattern, normalized_text(haystack)) is not None
