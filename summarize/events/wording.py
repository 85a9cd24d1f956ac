"""Wording: how alike two reports are told, as the TF-IDF cosine of their leads' words.

Each report leaves a small bag of the content words of its title and lead (``bag``):
words of three letters or more that are no function word, reporting verb, dateline word
(weekdays, months, "published", "updated") or year; every word folded as the gazetteer
folds place names, so "Raqqa" and "Raqqah", "Deir ez-Zor" and "Deir Ezzor" are one word,
and a title's "Terrorists'" is the text's "terrorists"; a plural's "s" dropped; numbers
from 2 to 4999 kept as ``#126`` (a toll two reports share is telling), but not a day of
a month ("16 April") or a time ("22:33"). At most ``BAG_WORDS`` distinct words, the
first ones.

Document frequencies are counted as the reports stream in (``Vocabulary``); a word's
weight in a bag is (1 + log count) x idf, idf = log((1 + N) / (1 + df)) + 1 (the smoothed
form scikit-learn's TfidfVectorizer uses), so words every report has ("killed", "Syria")
weigh little and the ones two reports alone share ("Rashidin", "evacuees", "#126")
much. ``cosine``: 0 (no content word shared) to 1 (the same words, as often);
``overlap``: the cosine and the number of words it rests on.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from summarize.places import fold

#: How many distinct words a report's bag keeps (its first ones: the lead tells the event).
BAG_WORDS = 60

#: Words, and numbers with what is glued to them ("22:33", "4/5/17": no count).
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|\d+(?:[:./-]\d+)*")
_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
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
news agency spokesman mon tue tues wed thu thurs fri sat sun monday tuesday wednesday thursday friday saturday
sunday today yesterday tonight
january february march april june july august september october november december jan feb mar apr jun jul aug
sep sept oct nov dec published posted updated update last date publication print page read more share
""".split())


def bag(title: str | None, lead: str) -> dict[str, int]:
    """The content words of a report's title and lead with their counts (see the module
    docstring); words are interned, so the reports of a batch share their strings."""
    counts: dict[str, int] = {}
    keys, months = _KEYS, _MONTHS
    words = _WORD.findall(f"{title or ''}\n{lead}".lower())
    for position, word in enumerate(words):
        key = keys.get(word)
        if key is None:
            key = _key(word)
            if len(keys) < _MOST_KEYS:
                keys[word] = key
        if not key:
            continue
        if key[0] == "#" and ((position and words[position - 1] in months) or (
                position + 1 < len(words) and words[position + 1] in months)):
            continue  # a day of a month: "16 April", "Apr 16"
        if key in counts:
            counts[key] += 1
        elif len(counts) < BAG_WORDS:
            counts[key] = 1
    return counts


#: Each word's key (its fold, or "" for a word no bag keeps), once per process.
_KEYS: dict[str, str] = {}
_MOST_KEYS = 1 << 18


def _key(word: str) -> str:
    """The key of a lower-cased word in a bag, or "" for a word no bag keeps."""
    if word[0].isdigit():
        number = int(word) if word.isdigit() and len(word) <= 4 and word[0] != "0" else 0
        return sys.intern(f"#{word}") if 2 <= number < 5000 and not 1900 <= number < 2100 else ""
    if word in _FUNCTION or len(word) < 3:
        return ""
    key = fold(word)
    if len(key) > 4 and key.endswith("s"):
        key = key[:-1]
    return sys.intern(key)


@dataclass
class Vocabulary:
    """Document frequencies of the words of every bag seen so far."""

    documents: int = 0
    frequency: Counter[str] = field(default_factory=Counter)
    _squares: dict[str, float] | None = field(default=None, repr=False)

    def add(self, words: dict[str, int]) -> None:
        """Count one report's bag."""
        self.documents += 1
        self.frequency.update(words.keys())
        self._squares = None

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency of ``word``."""
        return math.log((1 + self.documents) / (1 + self.frequency.get(word, 0))) + 1.0

    def weigh(self, words: dict[str, int]) -> Weighted:
        """A bag with its TF-IDF norm, ready for ``cosine`` (the weights themselves are
        worked out pair by pair from the counts and one table of squared idfs, so that a
        large batch keeps no weights per report)."""
        if self._squares is None:
            top = math.log(1 + self.documents) + 1.0
            self._squares = {w: (top - math.log(1 + n)) ** 2 for w, n in self.frequency.items()}
        squares = self._squares
        for word in words:
            if word not in squares:  # a bag the vocabulary has not counted
                squares[word] = (math.log(1 + self.documents) + 1.0) ** 2
        tf2, most = _TF2, len(_TF2)
        norm = math.sqrt(sum([tf2[n] * squares[w] if n < most else (1.0 + math.log(n)) ** 2 * squares[w]
                              for w, n in words.items()]))
        return Weighted(words, norm, squares)

    def rarest(self, words: dict[str, int], count: int) -> list[str]:
        """The ``count`` words of a bag that fewest reports share (ties by the word)."""
        return sorted(words, key=lambda w: (self.frequency.get(w, 0), w))[:count]


#: 1 + log(count), and its square, for the counts a bag has.
_TF = [0.0] + [1.0 + math.log(n) for n in range(1, 64)]
_TF2 = [t * t for t in _TF]


@dataclass(frozen=True)
class Weighted:
    """A bag (word -> count), the norm of its TF-IDF weights, and the batch's squared idfs."""

    words: dict[str, int]
    norm: float
    squares: dict[str, float]


def _tf(count: int) -> float:
    return _TF[count] if count < len(_TF) else 1.0 + math.log(count)


def cosine(a: Weighted, b: Weighted) -> float:
    """Cosine similarity of two weighted bags (0 when either is empty)."""
    return overlap(a, b)[0]


def overlap(a: Weighted, b: Weighted) -> tuple[float, int]:
    """The cosine similarity of two weighted bags and how many words they have in common
    (0 and 0 when either is empty): a cosine that rests on a few words says little."""
    if not a.norm or not b.norm:
        return 0.0, 0
    wa, wb, squares, tf, most = a.words, b.words, a.squares, _TF, len(_TF)
    if len(wb) < len(wa):
        small, large = wb, wa
    else:
        small, large = wa, wb
    # the words both bags have, found from the smaller; fsum: exactly rounded, so the
    # result does not depend on their order
    terms = [(tf[n] if n < most else _tf(n)) * (tf[m] if (m := large[word]) < most else _tf(m)) * squares[word]
             for word, n in small.items() if word in large]
    return math.fsum(terms) / (a.norm * b.norm), len(terms)
