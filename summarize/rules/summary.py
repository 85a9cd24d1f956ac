"""The extractive summary: the article's lead sentences, made neutral.

Sentences are taken in article order from the start, skipping a repeated headline, a
dateline, page furniture ("Tags", "Read Also", "Print this page"), very short fragments
and sentences over 80 words. From two to four sentences are kept, up to about 90 words.
Each keeps its own attribution ("... a monitor said") and its numbers, so the summary
states no number the article does not state. Loaded terms are replaced by neutral words
or quoted (summarize.rules.loaded.neutralize); a sentence that still fails the lexicon's
unattributed check (a loaded word inside a name) is left out.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from summarize.lexicon import Lexicon, LexiconHit, load_lexicon
from summarize.rules.loaded import neutralize
from summarize.rules.sentences import Sentence

MAX_SENTENCES = 4
MIN_SENTENCES = 2
WORD_BUDGET = 90
_MIN_WORDS = 6
_MAX_WORDS = 80

_DATELINE = re.compile(
    r"^(?:(?:posted on|published|last updated(?: at)?|updated|date of publication|print this page)\s+)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s*\d{4}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})"
    r"(?:\s+\d{1,2}:\d{2})?(?:\s+by\s+(?:[A-Z][\w-]*\s+){1,3}?(?=[A-Z]))?\s*",
    re.IGNORECASE,
)
_FURNITURE = re.compile(r"\b(?:Tags|Read Also|Print this page|Share this|Comment via|Get short URL"
                        r"|Slideshow|Our Standards|All rights reserved|Subscribe)\b")


def _body(sentence: Sentence) -> str:
    """The sentence without a leading dateline."""
    return _DATELINE.sub("", sentence.text, count=1).strip()


def _usable(text: str, title: str | None) -> bool:
    words = text.split()
    if not _MIN_WORDS <= len(words) <= _MAX_WORDS or _FURNITURE.search(text):
        return False
    if title and fuzz.partial_ratio(title.lower(), text.lower()) >= 90 and \
            len(text) < len(title) * 1.6:
        return False  # the headline again
    return text[-1:] in ".!?\"”'’" or len(words) >= 12


def extractive_summary(sentences: list[Sentence], *, title: str | None = None,
                       hits: list[LexiconHit] | None = None) -> str:
    """Two to four neutral lead sentences of the article (fewer if it has fewer).
    ``hits``: every lexicon hit in the article (Lexicon.find), when already computed;
    a sentence without one is taken as it is."""
    lexicon = load_lexicon()
    chosen: list[str] = []
    words = 0
    for sentence in sentences:
        text = _body(sentence)
        if not _usable(text, title):
            continue
        if hits is not None and not any(sentence.start <= h.start < sentence.end for h in hits):
            neutral = text
        else:
            neutral = neutralize(text, lexicon)
            if lexicon.unattributed(neutral):
                continue
        if chosen and words + len(neutral.split()) > WORD_BUDGET and len(chosen) >= MIN_SENTENCES:
            break
        chosen.append(neutral)
        words += len(neutral.split())
        if len(chosen) >= MAX_SENTENCES:
            break
    if not chosen:
        chosen = _fallback(sentences, lexicon)
    return " ".join(chosen)


def _fallback(sentences: list[Sentence], lexicon: Lexicon) -> list[str]:
    """For a text with no usable sentence: its first sentence, neutral, loaded words
    quoted as a last resort."""
    if not sentences:
        return []
    text = neutralize(sentences[0].text, lexicon)
    for hit in reversed(lexicon.unattributed(text)):
        text = f"{text[:hit.start]}“{hit.text}”{text[hit.end:]}"
    return [text]
