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

import functools
import heapq
import re
import threading
import unicodedata
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypeVar

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
    """A normalised copy of a text and where each of its characters came from.

    The map from normalised to original offsets is kept as segments: ``starts[k]`` is
    the normalised offset where segment k begins, ``origins[k]`` the original offset of
    its first character, and ``linear[k]`` says whether the segment's characters come
    from consecutive original characters (else all from ``origins[k]``: the pieces of one
    character that normalisation expanded, such as "…" to "..."). Text whose only
    changes are case, folded quotes and single spaces is one segment."""

    text: str
    starts: tuple[int, ...]
    origins: tuple[int, ...]
    linear: tuple[bool, ...]
    #: Length of the original text.
    length: int

    def offset(self, index: int) -> int:
        """The original offset of normalised character ``index`` (``len(text)``: the
        original length)."""
        if index >= len(self.text):
            return self.length
        k = bisect_right(self.starts, index) - 1
        origin = self.origins[k]
        return origin + (index - self.starts[k]) if self.linear[k] else origin

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` in the normalised text back to the original text."""
        if end <= start:
            return self.offset(start), self.offset(start)
        return self.offset(start), self.offset(end - 1) + 1


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """What normalisation makes of one non-space character: NFKC, then quotes, primes
    and dashes folded, then lower case (may be longer than one character: "…")."""
    return unicodedata.normalize("NFKC", char).translate(_FOLD).lower()


#: ``str.translate`` table of ASCII text: letters to lower case, the backtick to an
#: apostrophe, every whitespace character to a space (pure ASCII text translates fast).
_ASCII_TABLE = {code: (" " if chr(code).isspace() else fold_char(chr(code)))
                for code in range(128)}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPACE_RUN = re.compile(r"\s\s+")


T = TypeVar("T")

#: What each text cache below may hold: texts of at most this many characters in all
#: (each kept with its folded copy, so a few times that in bytes), and this many texts.
CACHE_CHARS = 1_000_000
CACHE_TEXTS = 256


def _text_cache(func: Callable[[str], T]) -> Callable[[str], T]:
    """``func`` with a least-recently-used cache bounded by the characters of the texts
    it holds (:data:`CACHE_CHARS`) as well as by their number: 256 articles of 150,000
    characters would otherwise stay in memory (and their folded copies) for good."""
    cache: OrderedDict[str, T] = OrderedDict()
    lock = threading.Lock()
    held = 0

    @functools.wraps(func)
    def cached(text: str) -> T:
        nonlocal held
        with lock:
            if text in cache:
                cache.move_to_end(text)
                return cache[text]
        value = func(text)
        if len(text) > CACHE_CHARS:
            return value
        with lock:
            if text not in cache:
                cache[text] = value
                held += len(text)
                while held > CACHE_CHARS or len(cache) > CACHE_TEXTS:
                    dropped, _ = cache.popitem(last=False)
                    held -= len(dropped)
        return value

    def cache_size() -> tuple[int, int]:
        """(texts held, their characters)."""
        with lock:
            return len(cache), held

    cached.cache_size = cache_size  # type: ignore[attr-defined]
    return cached


@_text_cache
def normalize(text: str) -> NormalizedText:
    """Fold quotes, dashes, whitespace, case and compatibility forms, keeping offsets.
    Each character is folded on its own (NFKC, then quotes and dashes, then lower case);
    a run of whitespace between two characters becomes one space, whitespace at either
    end goes. Cached: the checks of one answer ask for the same article several times.

    The ASCII stretches between non-ASCII characters and whitespace runs are folded by
    one ``str.translate`` each; only those characters and runs are looked at one by one."""
    body = text.strip()
    lead = len(text) - len(text.lstrip())
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    linear: list[bool] = []
    size = 0

    def segment(origin: int, piece: str, is_linear: bool) -> None:
        nonlocal size
        contiguous = (is_linear and linear and linear[-1]
                      and origins[-1] + (size - starts[-1]) == origin)
        if not contiguous:
            starts.append(size)
            origins.append(origin)
            linear.append(is_linear)
        pieces.append(piece)
        size += len(piece)

    done = 0
    events = heapq.merge(_SPACE_RUN.finditer(body), _NON_ASCII.finditer(body),
                         key=lambda m: m.start())
    for match in events:
        start = match.start()
        if start < done:
            continue  # a non-ASCII space of a run already collapsed (runs come first)
        if done < start:
            segment(lead + done, body[done:start].translate(_ASCII_TABLE), True)
        found = match.group()
        if len(found) > 1:  # a whitespace run: one space, from its last character
            segment(lead + match.end() - 1, " ", True)
        elif found.isspace():
            segment(lead + start, " ", True)
        else:
            folded = fold_char(found)
            segment(lead + start, folded, len(folded) == 1)
        done = match.end()
    if done < len(body):
        segment(lead + done, body[done:].translate(_ASCII_TABLE), True)
    return NormalizedText("".join(pieces), tuple(starts), tuple(origins), tuple(linear),
                          len(text))


@_text_cache
def normalized_text(text: str) -> str:
    """``normalize(text).text`` without the offsets, many times faster: what a
    containment test needs. Whitespace runs are folded first, so a character whose
    compatibility form holds a space ("\u00b4") keeps it, exactly as in normalize."""
    collapsed = _WHITESPACE.sub(" ", text).strip(" ")
    if collapsed.isascii():
        return collapsed.translate(_FOLD).lower()
    return "".join(map(fold_char, collapsed))


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


class ArticleMatcher:
    """:func:`locate` and :func:`contains_quantity` against one article, each answer
    worked out once: the validators of a model's answer and its grounding afterwards
    ask the same questions about the same quotes."""

    __slots__ = ("text", "_located", "_quantities")

    def __init__(self, text: str) -> None:
        self.text = text
        self._located: dict[str, Alignment | None] = {}
        self._quantities: dict[str, bool] = {}

    def locate(self, quote: str) -> Alignment | None:
        """:func:`locate` of ``quote`` in the article (fuzzy matching allowed)."""
        try:
            return self._located[quote]
        except KeyError:
            found = self._located[quote] = locate(quote, self.text)
            return found

    def contains_quantity(self, quantity: str) -> bool:
        """:func:`contains_quantity`: whether the article states ``quantity``."""
        try:
            return self._quantities[quantity]
        except KeyError:
            found = self._quantities[quantity] = contains_quantity(self.text, quantity)
            return found
