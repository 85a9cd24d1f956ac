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
from functools import cache
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


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All entries plus the descriptions of their sources."""

    entries: tuple[LexiconEntry, ...]
    sources: dict[str, str]
    #: All patterns in one: a text it does not match has no hit (the common case).
    any_entry: re.Pattern[str]

    def find(self, text: str) -> list[LexiconHit]:
        """Every lexicon match in ``text``, in order, without overlaps."""
        if not self.any_entry.search(text):
            return []
        hits: list[LexiconHit] = []
        for entry in self.entries:
            for m in entry.pattern.finditer(text):
                hits.append(LexiconHit(entry, m.start(), m.end(), m.group(0)))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[LexiconHit] = []
        for hit in hits:
            if not kept or hit.start >= kept[-1].end:
                kept.append(hit)
        return kept

    def unattributed(self, text: str) -> list[LexiconHit]:
        """Matches in ``text`` that are neither quoted nor introduced as someone's label."""
        return [hit for hit in self.find(text) if not is_attributed(text, hit.start, hit.end)]


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
    any_entry = re.compile("|".join(f"(?:{e.pattern.pattern})" for e in entries), re.IGNORECASE)
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
