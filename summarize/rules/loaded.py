"""Loaded terms: every lexicon hit in the article, one item per term family, and the
neutral words the extractive summary puts in their place.

A hit inside a proper name is not loaded ("National Liberation Front", "Syrian
Revolutionary Command Council"): a capitalised hit with capitalised words on both sides,
away from the start of its sentence, is read as part of a name.
"""

from __future__ import annotations

import re

from summarize.lexicon import Lexicon, LexiconHit, load_lexicon
from summarize.rules.sentences import Sentence
from summarize.schema import LoadedTerm

#: Plain replacements for a term family, by the matched word in lower case. A family or
#: form missing here is quoted instead (quotation marks attribute it to the article).
REPLACEMENTS: dict[str, dict[str, str]] = {
    "terrorist": {"terrorist": "militant", "terrorists": "militants", "terrorism": "violence",
                  "terror": "militant"},
    "regime": {"regime": "government", "regimes": "governments"},
    "Takfiri": {"takfiri": "", "takfiris": "militants"},
    "martyr": {"martyr": "person killed", "martyrs": "people killed", "martyred": "killed"},
    "liberate": {"liberate": "capture", "liberated": "captured", "liberates": "captures",
                 "liberating": "capturing", "liberation": "capture"},
    "mercenaries": {"mercenary": "foreign fighter", "mercenaries": "foreign fighters"},
    "thugs": {"thug": "gunman", "thugs": "gunmen"},
    "rats": {"rats": "fighters"},
    "so-called": {"so-called": "", "so called": ""},
    "armed gangs": {"armed gangs": "armed groups", "armed gang": "armed group",
                    "gangs": "armed groups", "gang": "armed group",
                    "terrorist gangs": "armed groups", "criminal gangs": "armed groups"},
    "Daesh": {"daesh": "Islamic State", "da'esh": "Islamic State"},
    "shabiha": {"shabiha": "pro-government militia", "shabbiha": "pro-government militia"},
    "extremists": {"extremist": "militant", "extremists": "militants"},
    "heroic": {"heroic": "", "heroically": "", "heroes": "fighters"},
    "cowardly": {"cowardly": ""},
    "barbaric": {"barbaric": "", "barbarity": "violence", "barbarism": "violence"},
    "savage": {"savage": "", "savagely": ""},
    "brutal": {"brutal": "", "brutally": "", "brutality": "violence"},
    "occupation forces": {"occupation forces": "foreign forces", "occupation troops":
                          "foreign troops", "occupying forces": "foreign forces"},
    "crusaders": {"crusader": "Western", "crusaders": "Western forces"},
    "revolution": {"revolution": "uprising", "revolutionary": "opposition"},
}

_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _in_name(text: str, hit: LexiconHit) -> bool:
    """True when the hit is one word of a capitalised name."""
    if not hit.text[:1].isupper():
        return False
    before = _WORD.findall(text[max(0, hit.start - 40):hit.start])
    after = _WORD.findall(text[hit.end:hit.end + 40])
    gap_before = text[max(0, hit.start - 2):hit.start]
    if not before or any(ch in gap_before for ch in ".!?\n"):
        return False
    return before[-1][:1].isupper() and bool(after) and after[0][:1].isupper()


def article_hits(text: str, lexicon: Lexicon | None = None, *,
                 found: list[LexiconHit] | None = None) -> list[LexiconHit]:
    """Lexicon hits in ``text`` that are loaded uses, not parts of names (``found``: the
    lexicon's hits in ``text`` when already computed)."""
    if found is None:
        found = (lexicon or load_lexicon()).find(text)
    return [hit for hit in found if not _in_name(text, hit)]


def loaded_terms(hits: list[LexiconHit], sentences: list[Sentence]) -> list[LoadedTerm]:
    """One item per term family among ``hits`` (from :func:`article_hits`): its first
    use and the sentence that holds it."""
    items: list[LoadedTerm] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.entry.term in seen:
            continue
        seen.add(hit.entry.term)
        sentence = next((s for s in sentences if s.start <= hit.start < s.end), None)
        quote = sentence.text if sentence else hit.text
        items.append(LoadedTerm(term=hit.text, quote=quote,
                                neutral_alternative=hit.entry.neutral))
    return items


def neutralize(text: str, lexicon: Lexicon | None = None, *,
               quote_within: tuple[tuple[int, int], ...] = ()) -> str:
    """``text`` with every unattributed loaded term replaced by a neutral word, or put in
    quotation marks when no plain replacement exists. A term inside one of the spans
    ``quote_within`` (a source's own name: "Terrorist organizations acknowledged ...") is
    quoted rather than replaced, so the source keeps the name the article gives it. A
    replacement is capitalised only where the sentence starts (no "the Militants"), and
    a dropped word leaves no double space."""
    lexicon = lexicon or load_lexicon()
    out = ""
    cursor = 0
    for hit in lexicon.unattributed(text):
        if _in_name(text, hit):
            continue
        inside = any(a <= hit.start and hit.end <= b for a, b in quote_within)
        word = f"“{hit.text}”" if inside else _replacement(hit, at_start=not text[:hit.start].strip(" \"“‘'"))
        if not word and text[hit.end:hit.end + 1] == "-":
            word = f"“{hit.text}”"  # "Takfiri-led": a dropped word would leave "-led"
        out += text[cursor:hit.start]
        following = word or text[hit.end:].lstrip()
        out = _ARTICLE_END.sub(lambda m, after=following: _article(m.group(1), after), out)
        out += word
        cursor = hit.end
    result = _tidy(out + text[cursor:])
    if text[:1].isupper() and result[:1].islower():
        result = result[:1].upper() + result[1:]  # "Takfiri terrorists attacked" -> "Militants attacked"
    return result


_ARTICLE_END = re.compile(r"\b([Aa]n?) $")


def _article(article: str, following: str) -> str:
    """"a" or "an" (keeping its case) for the word that now follows it."""
    wanted = "an" if following[:1].lower() in "aeiou" and following[:1] else "a"
    return (wanted.capitalize() if article[0].isupper() else wanted) + " "


def _replacement(hit: LexiconHit, *, at_start: bool) -> str:
    forms = REPLACEMENTS.get(hit.entry.term, {})
    lower = " ".join(hit.text.lower().replace("’", "'").split())
    if lower not in forms:
        return f"“{hit.text}”"
    word = forms[lower]
    if word and hit.text[:1].isupper() and at_start:
        word = word[:1].upper() + word[1:]
    return word


def _tidy(text: str) -> str:
    """Fix what a dropped word leaves behind: double spaces and a space before a comma."""
    text = re.sub(r"[ \t\u00a0]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?)])", r"\1", text)
    text = re.sub(r"\( +", "(", text)
    return text.strip()
