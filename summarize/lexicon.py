"""The loaded-terms lexicon (data/loaded_terms.yaml): find one-sided wording in a text and
tell whether a summary uses it without attribution.

Two classes of entries: **loaded** terms, labels that take a side's view of a party or an
act ("terrorists", "regime", "liberated"; the loaded_terms field lists them), and
**evaluative** framing, a side's praise or blame of how the fighting went ("victories",
"stinging blows", "heavy losses", "valiant"), which a neutral summary must not assert in
its own voice either. ``load_lexicon()`` is the loaded class, ``load_lexicon("evaluative")``
the evaluative one, ``load_lexicon("all")`` both.

A term is found also as part of a hyphenated compound ("terrorist-held",
"regime-controlled", "anti-terrorism"). A use counts as attributed when the term stands
inside quotation marks, or right after a labelling verb that names whose word it is:
"described by state media as terrorists", "what the government calls terrorists",
"labelled a 'regime' by the opposition". Anything else in a summary is the summary
adopting one side's word.
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
    #: "loaded" (a one-sided label) or "evaluative" (a side's praise or blame).
    kind: str = "loaded"


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
        """Every lexicon match in ``text``, in order, without overlaps: at each place where
        some entry matches, the longest match (the first entry on a tie), then on from
        its end."""
        kept: list[LexiconHit] = []
        found = self.any_entry.search(text)
        while found is not None:
            start = found.start()
            best: LexiconHit | None = None
            for entry in self.entries:
                m = entry.pattern.match(text, start)
                if m is not None and (best is None or m.end() > best.end):
                    best = LexiconHit(entry, start, m.end(), m.group(0))
            if best is None:  # pragma: no cover - any_entry is the union of the patterns
                found = self.any_entry.search(text, start + 1)
                continue
            kept.append(best)
            found = self.any_entry.search(text, best.end)
        return kept

    def unattributed(self, text: str) -> list[LexiconHit]:
        """Matches in ``text`` that are neither quoted nor introduced as someone's label."""
        return list(_unattributed(self, text))


@lru_cache(maxsize=1024)
def _unattributed(lexicon: Lexicon, text: str) -> tuple[LexiconHit, ...]:
    """:meth:`Lexicon.unattributed`, remembered: a model's summary is checked by its
    validator and again when the answer is grounded."""
    return tuple(hit for hit in lexicon.find(text) if not is_attributed(text, hit.start, hit.end))


#: Term boundaries: not inside a word, but a hyphenated compound's part counts
#: ("terrorist-held", "anti-regime"); a hyphen must join letters on both sides.
_BEFORE = r"(?<![\w])"
_AFTER = r"(?![\w])(?!-\W)"
KINDS = ("loaded", "evaluative")


@cache
def _raw() -> dict:
    return yaml.safe_load(
        resources.files("summarize").joinpath("data/loaded_terms.yaml").read_text("utf-8")
    )


@cache
def load_lexicon(kind: str = "loaded") -> Lexicon:
    """The lexicon shipped with the package (parsed once): the ``kind`` of entries wanted,
    "loaded" (the default), "evaluative" or "all"."""
    if kind not in (*KINDS, "all"):
        raise ValueError(f"unknown lexicon kind {kind!r}; choose from {', '.join(KINDS)} or all")
    raw = _raw()
    entries = tuple(
        LexiconEntry(
            term=item["term"],
            pattern=re.compile(rf"{_BEFORE}(?:{item['pattern']}){_AFTER}", re.IGNORECASE),
            neutral=item["neutral"],
            source=item["source"],
            kind=item.get("class", "loaded"),
        )
        for item in raw["terms"]
        if kind == "all" or item.get("class", "loaded") == kind
    )
    # One boundary check before all the alternatives, not one inside each: twice as fast.
    kept = [item for item in raw["terms"] if kind == "all" or item.get("class", "loaded") == kind]
    alternatives = "|".join(f"(?:{item['pattern']})" for item in kept) or "(?!)"
    any_entry = re.compile(rf"{_BEFORE}(?:{alternatives}){_AFTER}", re.IGNORECASE)
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
