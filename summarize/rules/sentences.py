"""Split an article into sentences and words, keeping character offsets.

Every sentence is a verbatim slice of the article (``text[start:end]``), so a quote built
from it always grounds exactly. Boundaries:

- a blank line, or a line break before a line that starts with a capital, digit or quote;
- ``.``, ``!`` or ``?`` (with any closing quotation marks) followed by space (or by a
  dash or bullet opening the next item of a run-in list, " - ") and a capital
  letter, digit, opening quotation mark or bracket, unless the word before the full stop
  is a known abbreviation ("U.N.", "Col.", "a.m.") or a single initial ("George W. Bush")
  (a title before a word that is never a name ends its sentence: "... a Lt. Col. He said");
  C1 control characters after the space (a mis-decoded bullet) are skipped.

Agency texts that lost their full stops (FA-KES) stay as long sentences: nothing here
guesses a boundary without punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

_ABBREVIATIONS = frozenset("""
    mr mrs ms dr prof col gen lt maj capt sgt cpl adm brig cmdr gov sen rep rev st mt
    no nos vol jan feb mar apr jun jul aug sep sept oct nov dec inc co corp ltd jr sr vs
    etc approx est dept govt pres a.m p.m u.s u.n u.k e.g i.e ft fig al
""".split())

_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s[\s\x80-\x9f]*[\"'“‘«(\[]?[A-Z0-9])")
#: Space and C1 control characters (the remains of a mis-decoded bullet: "\x95\x81"),
#: never part of a sentence's text.
_BLANK = " \t\n\r\f\v\u00a0" + "".join(map(chr, range(0x80, 0xA0)))
#: A full stop, then a dash or bullet that opens the next item of a run-in list
#: ("... demonstrators. - Assad sacked ..."): both sides of the dash are cuts.
_BULLET = re.compile(r"([.!?]+[\"'”’»)\]]*)\s+[-–—•*]\s+(?=[\"'“‘«(\[]?[A-Z0-9])")
_LINE_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[\"'“‘«(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")

#: A word: abbreviations with inner full stops, numbers with thousands separators or
#: decimals, words with inner hyphens or apostrophes, or one punctuation character.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"
    r"|\d{1,3}(?:,\d{3})+(?![\w-])|\d+\.\d+(?![\w-])"
    r"|\w+(?:['’\-–]\w+)*"
    r"|[^\w\s]"
)


class Token(NamedTuple):
    """One word or punctuation mark, with its offsets in the article (a named tuple:
    an article has thousands, and a tuple is the cheapest immutable record to make)."""

    text: str
    start: int
    end: int
    #: The word in lower case, with typographic apostrophes made straight.
    lower: str

    @property
    def is_capitalized(self) -> bool:
        """True when the word starts with an upper-case letter."""
        return self.text[:1].isupper()


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its offsets in the article, its text and its words."""

    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]

    def token_index_at(self, offset: int) -> int:
        """Index of the first token that ends after article offset ``offset``."""
        for index, token in enumerate(self.tokens):
            if token.end > offset:
                return index
        return len(self.tokens)

    def slice(self, start: int, end: int) -> str:
        """The sentence text between article offsets ``start`` and ``end``."""
        return self.text[start - self.start:end - self.start]


def tokenize(text: str, offset: int = 0) -> tuple[Token, ...]:
    """The words and punctuation marks of ``text``; offsets are shifted by ``offset``."""
    make = tuple.__new__
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        tokens.append(make(Token, (word, match.start() + offset, match.end() + offset,
                                   word.lower().replace("’", "'"))))
    return tuple(tokens)


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``stop`` ends an abbreviation or an initial."""
    if text[stop] != ".":
        return False
    match = _WORD_BEFORE.search(text, max(0, stop - 24), stop)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if len(word) == 1 and match.group(1)[0].isupper():
        return True
    return word in _ABBREVIATIONS


#: Abbreviations of titles, which stand before a name ("Col. Ahmad Ali").
TITLE_ABBREVIATIONS = frozenset("mr mrs ms dr prof col gen lt maj capt sgt cpl adm brig cmdr gov pres sen rep rev"
                                 .split())
#: Words that open a sentence and are never a name: after one, a title ends its sentence.
_NO_NAME = re.compile(r"\s+[\"'“‘]?(?:He|She|It|They|We|The|A|An|This|That|These|Those|His|Her|Their|Its|There)\b")


def _title_at_end(text: str, stop: int, end: int) -> bool:
    """True when the full stop at ``stop`` ends a title and the word after it (from
    ``end``) opens a sentence instead of a name: "... a Lt. Col. He said"."""
    match = _WORD_BEFORE.search(text, max(0, stop - 24), stop)
    return bool(match) and match.group(1).lower() in TITLE_ABBREVIATIONS and _NO_NAME.match(text, end) is not None


def _boundaries(text: str) -> list[int]:
    cuts = {m.end() for m in _LINE_BREAK.finditer(text)}
    for m in _END.finditer(text):
        if not _is_abbreviation(text, m.start()) or _title_at_end(text, m.start(), m.end()):
            cuts.add(m.end())
    for m in _BULLET.finditer(text):
        if not _is_abbreviation(text, m.start()):
            cuts.update((m.end(1), m.end()))
    return sorted(cuts)


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, each a verbatim slice with its offsets."""
    sentences: list[Sentence] = []
    start = 0
    for cut in [*_boundaries(text), len(text)]:
        piece = text[start:cut]
        stripped = piece.strip(_BLANK)
        if any(c.isalnum() for c in stripped):  # not the dash between two bulleted items
            begin = start + (len(piece) - len(piece.lstrip(_BLANK)))
            end = begin + len(stripped)
            sentences.append(Sentence(len(sentences), begin, end, stripped,
                                      tokenize(stripped, begin)))
        start = cut
    return sentences
