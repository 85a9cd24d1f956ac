"""Page layout around an article's sentences: datelines, a repeated headline, page
furniture, and the outlet that publishes it.

- A **dateline** opens a sentence: "Sun 16 Apr 2017", "Posted on August 3 2013 by ...",
  "Date of publication 7 October 2016", "28.04.2017".
- A **headline** sentence is the title printed again (after its dateline): fuzzy-equal
  to the title and not much longer.
- **Furniture**: "Tags", "Read Also", "Print this page", "Get short URL" ...
- A **related-stories block**: a sentence that opens with "Related" ("Related Articles",
  "Related News: ...") and a capital, and everything after it: headlines of other
  stories, whose figures and claims are not the article's (evals/GUIDELINES.md: "headlines
  of a Related block about other stories give no item").
- The **outlet**: the article's ``source`` when it has one, shown by its usual name
  when the text holds its words ("alalam" -> "Al-Alam"), else as a name ("ahram" ->
  "Ahram"); else a "Source: NAME" credit line, or a name opening the text before a dash
  ("Press TV – ...").
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from summarize.rules.sentences import Sentence

DATELINE = re.compile(
    r"^(?:(?:posted on|published|last updated(?: at)?|updated|date of publication|print this page)\s+)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s*\d{4}"
    r"|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})"
    r"(?:\s+(?:at\s+)?\d{1,2}:?\d{2})?(?:\s*(?:UTC|GMT)(?:[+-]\d{1,2})?)?"
    r"(?:\s+by\s+(?:[A-Z][\w-]*\s+){1,3}?(?=[A-Z]))?\s*",
    re.IGNORECASE,
)
FURNITURE = re.compile(r"\b(?:Tags|Read Also|Print this page|Share this|Comment via|Get short URL"
                       r"|Slideshow|Our Standards|All rights reserved|Subscribe)\b")

#: How the FA-KES outlets (the ``source`` codes of the corpus) are usually named.
OUTLET_NAMES = {
    "ahram": "Ahram Online", "alalam": "Al-Alam", "alaraby": "Al-Araby Al-Jadeed",
    "arabiya": "Al Arabiya", "asharqalawsat": "Asharq Al-Awsat", "dailysabah": "Daily Sabah",
    "etilaf": "the Syrian National Coalition (Etilaf)", "jordantimes": "The Jordan Times",
    "manar": "Al-Manar", "nna": "Lebanon's National News Agency", "reuters": "Reuters",
    "sana": "SANA", "sputnik": "Sputnik", "tass": "TASS", "trt": "TRT World",
}
_CREDIT_LINE = re.compile(r"^[ \t]*Source:[ \t]*([A-Z][^\n]{0,60}?)[ \t]*$", re.MULTILINE)
_OPENING_NAME = re.compile(r"^\s*((?:[A-Z][\w.'’-]*\s){0,3}[A-Z][\w.'’-]*)\s+[–—-]\s+\S")


_RELATED = re.compile(r"^(?:Related|RELATED)(?:\s+(?:Articles|Stories|News|Posts|Content|Topics|Coverage|"
                      r"Reading|Links)\b)?\s*:?\s*(?:$|[A-Z0-9\"“])")


def related_block_start(sentences: list[Sentence]) -> int | None:
    """Index of the first sentence of a related-stories block (a sentence opening with
    "Related" and a capital, not the article's first), else None: it and every sentence
    after it are other stories' headlines and page furniture. A "Related" run into the
    middle of a sentence (a text that lost its breaks) is not found: where the headlines
    end cannot be told."""
    for sentence in sentences[1:]:
        if _RELATED.match(sentence.text):
            return sentence.index
    return None


def body(sentence: Sentence | str) -> str:
    """The sentence without a leading dateline."""
    text = sentence.text if isinstance(sentence, Sentence) else sentence
    return DATELINE.sub("", text, count=1).strip()


def is_headline(text: str, title: str | None) -> bool:
    """True when ``text`` (a sentence without its dateline) is the title printed again."""
    if not title or not text:
        return False
    return len(text) < len(title) * 1.6 and fuzz.partial_ratio(title.lower(), text.lower()) >= 90


_AGENCY = re.compile(r"^[\s:.,–—-]*(?:(?:AFP|AP|Reuters|Monitor|NGO|Xinhua|DPA|Anadolu)\s+)*")


def strip_headline(text: str, title: str | None) -> str:
    """``text`` without the title (and the agency and date after it) that FA-KES runs
    into the lead: "Rebel fire kills 3 ... state media AFP Thursday 27 Oct 2016 At least
    three children were killed ..." -> "At least three children were killed ..."."""
    if not title or len(title) < 20:
        return text
    found = fuzz.partial_ratio_alignment(title.lower(), text.lower())
    if found is None or found.score < 92 or found.dest_start > 40 or found.dest_end >= len(text) - 20:
        return text
    rest = _AGENCY.sub("", text[found.dest_end:], count=1)
    rest = DATELINE.sub("", rest, count=1).strip()
    return rest if rest[:1].isupper() or rest[:1] in "\"“" else text


def headline_indexes(sentences: list[Sentence], title: str | None) -> set[int]:
    """Indexes of the sentences that repeat the headline (among the first three)."""
    return {s.index for s in sentences[:3] if is_headline(body(s), title)}


def outlet_name(source: str | None, text: str) -> str | None:
    """The outlet as a reader knows it, in words the article itself holds: the usual name
    of ``source`` when the text has its words ("Al-Alam"), else ``source`` written as a
    name ("Ahram", "NNA"); without a ``source``, a credit line or an opening "NAME –" in
    the text; None when nothing names it. A summary never names what its article does
    not (summary.names_not_in_article)."""
    if source:
        usual = OUTLET_NAMES.get(source.lower())
        if usual and all(re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
                         for word in re.findall(r"[A-Za-z]+", usual)
                         if word.lower() not in ("the", "s", "al")):
            return usual
        if source.islower() and " " not in source:
            return source.upper() if len(source) <= 4 else source.capitalize()
        return source
    credit = _CREDIT_LINE.search(text)
    if credit:
        return credit.group(1).strip()
    opening = _OPENING_NAME.match(text)
    if opening and len(opening.group(1)) <= 30 and not opening.group(1).isupper():
        return opening.group(1)  # "Press TV – ..." (not a city dateline: "BEIRUT - ...")
    return None
