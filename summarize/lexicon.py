"""The loaded-terms lexicon (data/loaded_terms.yaml): find one-sided wording in a text and
tell whether a summary uses it without attribution.

A use counts as attributed when the term stands inside quotation marks, or right after a
labelling verb that names whose word it is: "described by state media as terrorists",
"what the government calls terrorists", "labelled a 'regime' by the opposition".
Anything else in a summary is the summary adopting one side's word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One loaded term: its name, the regular expression that finds it, a neutral
    alternative and the key of the source that calls it one-sided."""

    term: str
    pattern: re.Pattern[str]
    neutral: str
    source: str


@dataclass(frozen=True, slots=True)
class LexiconHit:
    """A lexicon match in a text: the entry and the matched characters ``[start, end)``."""

    entry: LexiconEntry
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity (a cache key)
class Lexicon:
    """All entries plus the descriptions of their sources."""

    entries: tuple[LexiconEntry, ...]
    sources: dict[str, str]
    #: All patterns in one: a text it does not match has no hit (the common case).
    any_entry: re.Pattern[str]

    def find(self, text: str) -> list[LexiconHit]:
        """Every lexicon match in ``text``, in order, without overlaps: at the leftmost
        place where any entry matches, the longest match there; then on after it.
        (``any_entry`` finds the place; only there is each entry tried.)"""
        kept: list[LexiconHit] = []
        position = 0
        while (first := self.any_entry.search(text, position)) is not None:
            start = first.start()
            best = None
            for entry in self.entries:
                m = entry.pattern.match(text, start)
                if m is not None and (best is None or m.end() > best[1].end()):
                    best = (entry, m)
            if best is None:  # pragma: no cover - any_entry matches only where an entry does
                position = start + 1
                continue
            entry, m = best
            kept.append(LexiconHit(entry, m.start(), m.end(), m.group(0)))
            position = max(m.end(), start + 1)
        return kept

    def unattributed(self, text: str) -> list[LexiconHit]:
        """Matches in ``text`` that are neither quoted nor introduced as someone's label."""
        return list(_unattributed(self, text))


@lru_cache(maxsize=1024)
def _unattributed(lexicon: Lexicon, text: str) -> tuple[LexiconHit, ...]:
    """:meth:`Lexicon.unattributed`, remembered: a model's summary is checked by its
    validator and again when the answer is grounded."""
    return tuple(hit for hit in lexicon.find(text) if not is_attributed(text, hit.start, hit.end))


@cache
def load_lexicon() -> Lexicon:
    """The lexicon shipped with the package (parsed once)."""
    raw = yaml.safe_load(
        resources.files("summarize").joinpath("data/loaded_terms.yaml").read_text("utf-8")
    )
    entries = tuple(
        LexiconEntry(
            term=item["term"],
            pattern=re.compile(rf"(?<![\w-])(?:{item['pattern']})(?![\w-])", re.IGNORECASE),
            neutral=item["neutral"],
            source=item["source"],
        )
        for item in raw["terms"]
    )
    # One lookbehind for all entries: the alternatives are tried only where a word starts.
    alternatives = "|".join(f"(?:{item['pattern']})" for item in raw["terms"])
    any_entry = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return Lexicon(entries=entries, sources=dict(raw["sources"]), any_entry=any_entry)


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_LABELLED_AS = re.compile(
    r"\b(?:describ|label|brand|call|term|dub|refer|characteri[sz]|denounc|condemn)\w*"
    r"(?:\s+\S+){0,8}?\s+as\s+(?:the\s+|an?\s+)?[\"“‘']?\s*$",
    re.IGNORECASE,
)
_CALLED = re.compile(
    r"\b(?:calls?|called|calling|dubs?|dubbed|terms?|termed|labels?|labell?ed|brands?|branded)"
    r"\s+(?:(?:them|it|him|her|these|those|the\s+\w+)\s+)?(?:the\s+|an?\s+)?[\"“‘']?\s*$",
    re.IGNORECASE,
)


def _inside_quotes(sentence: str, offset: int) -> bool:
    """True when ``offset`` lies between an opening and a closing quotation mark."""
    depth_open = None
    for index, char in enumerate(sentence[:offset]):
        if char in "“«" or (char in "\"'‘" and (index == 0 or not sentence[index - 1].isalnum())):
            if char == "\"" and depth_open == "\"":
                depth_open = None
            elif depth_open is None:
                depth_open = char
        elif char in "”»’\"'" and depth_open is not None:
            if index + 1 >= len(sentence) or not sentence[index + 1].isalnum():
                depth_open = None
    return depth_open is not None


def is_attributed(text: str, start: int, end: int) -> bool:
    """True when the words at ``[start, end)`` are quoted or introduced as a label."""
    sentence_start = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        sentence_start = m.end()
    sentence = text[sentence_start:start]
    if _inside_quotes(sentence, len(sentence)):
        return True
    return bool(_LABELLED_AS.search(sentence) or _CALLED.search(sentence))
