"""Wording: how alike two reports are told, as the TF-IDF cosine of their leads' words.

Each report leaves a small bag of the content words of its title and lead (``bag``):
words of three letters or more that are no function word, reporting verb, dateline word
(weekdays, months, "published", "updated") or year; every word folded as the gazetteer
folds place names, so "Raqqa" and "Raqqah", "Deir ez-Zor" and "Deir Ezzor" are one word,
and a title's "Terrorists’" is the text's "terrorists"; a plural's "s" dropped; numbers from 2 to 4999 kept as ``#126`` (a toll
two reports share is telling). At most ``BAG_WORDS`` distinct words, the first ones.

Document frequencies are counted as the reports stream in (``Vocabulary``); a word's
weight in a bag is (1 + log count) x idf, idf = log((1 + N) / (1 + df)) + 1 (the smoothed
form scikit-learn's TfidfVectorizer uses), so words every report has ("killed", "Syria")
weigh little and the ones two reports alone share ("Rashidin", "evacuees", "#126")
much. ``cosine``: 0 (no content word shared) to 1 (the same words, as often).
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from summarize.events.places import fold

#: How many distinct words a report's bag keeps (its first ones: the lead tells the event).
BAG_WORDS = 60

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\d+")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
#: Days of a month, times of day and numeric dates: no count of anything.
_DATES = re.compile(rf"\b\d\d?(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|\b{_MONTH}\s+\d\d?\b|\b\d\d?:\d\d\b"
                    r"|\b\d\d?[./-]\d\d?[./-]\d{2,4}\b", re.IGNORECASE)
_FUNCTION = frozenset("""
a about above across after again against all almost along also although am among an and another any are
around as at away back be because been before being below between both but by can could did do does doing
down during each either else even ever every few for from further had has have having he her here hers him
his how however if in into is it its itself just least less many may me might more most much must my near
neither no nor not now of off on once one only onto or other our out over own per same she should since so
some still such than that the their them then there these they this those though through thus to too toward
towards under until up upon very via was we were what when where whether which while who whom whose why will
with within without would yet you your two three four five six seven eight nine ten dozens dozen several
said says say saying told tells according added adding reported reports report reporting stated statement
news agency spokesman mon tue tues wed thu thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
january february march april june july august september october november december jan feb mar apr jun jul aug
sep sept oct nov dec published posted updated update last date publication print page read more share
""".split())


def bag(title: str | None, lead: str) -> dict[str, int]:
    """The content words of a report's title and lead with their counts (see the module
    docstring); words are interned, so the reports of a batch share their strings."""
    counts: Counter[str] = Counter()
    for match in _WORD.finditer(_DATES.sub(" ", f"{title or ''}\n{lead}")):
        word = match.group(0)
        if word[0].isdigit():
            number = int(word) if len(word) <= 4 and word[0] != "0" else 0
            if 2 <= number < 5000 and not 1900 <= number < 2100:
                counts["#" + word] += 1
            continue
        lower = word.lower()
        if lower in _FUNCTION or len(lower) < 3:
            continue
        key = fold(word)  # cased or not, as in a title: "Terrorists’" and "terrorists" alike
        if len(key) > 4 and key.endswith("s"):
            key = key[:-1]
        if not key:
            continue
        if key not in counts and len(counts) >= BAG_WORDS:
            continue
        counts[key] += 1
    return {sys.intern(word): count for word, count in counts.items()}


@dataclass
class Vocabulary:
    """Document frequencies of the words of every bag seen so far."""

    documents: int = 0
    frequency: Counter[str] = field(default_factory=Counter)

    def add(self, words: dict[str, int]) -> None:
        """Count one report's bag."""
        self.documents += 1
        self.frequency.update(words.keys())

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency of ``word``."""
        return math.log((1 + self.documents) / (1 + self.frequency.get(word, 0))) + 1.0

    def weigh(self, words: dict[str, int]) -> Weighted:
        """The TF-IDF weights of a bag and their norm."""
        weights = {w: (1.0 + math.log(n)) * self.idf(w) for w, n in words.items()}
        return Weighted(weights, math.sqrt(sum(v * v for v in weights.values())))

    def rarest(self, words: dict[str, int], count: int) -> list[str]:
        """The ``count`` words of a bag that fewest reports share (ties by the word)."""
        return sorted(words, key=lambda w: (self.frequency.get(w, 0), w))[:count]


@dataclass(frozen=True)
class Weighted:
    """A bag's TF-IDF weights and their Euclidean norm."""

    weights: dict[str, float]
    norm: float


def cosine(a: Weighted, b: Weighted) -> float:
    """Cosine similarity of two weighted bags (0 when either is empty)."""
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a.weights, b.weights) if len(a.weights) <= len(b.weights) else (b.weights, a.weights)
    dot = sum(weight * large[word] for word, weight in small.items() if word in large)
    return dot / (a.norm * b.norm)
