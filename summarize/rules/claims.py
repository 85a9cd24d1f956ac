"""Attributed claims: one item per source per sentence, from the attributions that are
not nested inside another ("SANA reported that the army said ..." is SANA's claim).

The paraphrase is "<source> <cue> <the attributed words>", or '<source> <cue>: "<the
quoted words>"' for a direct quotation; loaded words outside quotation marks are put in
quotation marks, since they are the source's words (summarize.rules.loaded).
"""

from __future__ import annotations

import re

from summarize.rules.attribution import Attribution
from summarize.lexicon import LexiconHit
from summarize.rules.sentences import Sentence
from summarize.schema import AttributedClaim

_EDGE = re.compile(r"^[\s\"“”'‘’,:;.-]+|[\s\"“”'‘’,:;.-]+$")
_QUOTED = re.compile(r"[\"“]([^\"“”]{8,})[\"”]")
#: Capitalised sentence openers that read in lower case after "X said".
_PLAIN_OPENERS = frozenset("The A An This That These Those There It Its In On At Some More Most "
                           "Many Several Dozens Scores Hundreds Thousands Two Three Four Five".split())
_LEADING_CONJUNCTION = re.compile(r"^(?:But|And|However|Meanwhile|Yet|So),?\s+")
_EACH_OTHER = re.compile(r"^(?:each other|one another)\b", re.IGNORECASE)
_LEADING_THAT = re.compile(r"^(?:that|on \w+ that|:)\s+", re.IGNORECASE)


#: The verb a claim noun stands for in a paraphrase.
_NOUN_VERBS = {"allegations": "alleged", "allegation": "alleged", "accusations": "accused",
               "accusation": "accused", "claims": "claimed", "denials": "denied", "denial": "denied",
               "assertions": "asserted", "assertion": "asserted", "warnings": "warned",
               "insistence": "insisted"}


def _content(sentence: Sentence, attribution: Attribution, hits: list[LexiconHit]) -> str:
    if attribution.agent:  # "bombings claimed by IS": the clause itself says who claims what
        end = attribution.speaker_start + len(attribution.source)
        text = sentence.slice(attribution.scope_start, max(end, attribution.cue_end))
        stripped = _EDGE.sub("", text)
        return stripped[:1].upper() + stripped[1:]
    text = sentence.slice(attribution.scope_start, attribution.scope_end)
    if attribution.direct:
        quoted = _QUOTED.search(text)
        if quoted:
            return quoted.group(1).strip(" ,.")
    stripped = _EDGE.sub("", text)
    offset = attribution.scope_start + (text.find(stripped) if stripped else 0)
    text = _quote_loaded(stripped, offset, hits)
    text = _LEADING_THAT.sub("", text)
    text = _LEADING_CONJUNCTION.sub("", text)
    text = _EACH_OTHER.sub("the other side", text)  # "A and B accused each other of ...": one claim each
    first = text.split(" ", 1)[0]
    if first in _PLAIN_OPENERS:
        text = first.lower() + text[len(first):]
    return text


def _quote_loaded(text: str, offset: int, hits: list[LexiconHit]) -> str:
    """Put the source's loaded words (``hits``, article offsets) in quotation marks."""
    out, cursor = [], 0
    for hit in hits:
        start, end = hit.start - offset, hit.end - offset
        if start < cursor or end > len(text):
            continue
        out.append(text[cursor:start])
        out.append(f"“{hit.text}”")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _paraphrase(sentence: Sentence, attribution: Attribution, hits: list[LexiconHit]) -> str:
    content = _content(sentence, attribution, hits)
    source = attribution.source[:1].upper() + attribution.source[1:]
    cue = attribution.cue
    if cue.lower() in ("according to", "read", "reads"):
        cue = "said"  # "the statement read:" (the cue keeps the article's word)
    elif cue.lower() in _NOUN_VERBS:
        cue = _NOUN_VERBS[cue.lower()]  # "rebel allegations that ...": the rebels alleged
    elif cue.lower().startswith("as "):
        cue = cue[3:]  # "as reported by SANA": SANA reported
    if attribution.antecedent:  # "The plan, which Russia welcomed, ...": Russia welcomed the plan
        words = attribution.antecedent
        first = words.split(" ", 1)[0]
        words = first.lower() + words[len(first):] if first in _PLAIN_OPENERS else words
        content = f"{words} {content}".strip()
    if not content:
        return f"{source} {cue}."
    if cue in (":", "-", "–", "—"):
        return f"{source} says: {content}."  # a headline "Observatory: 20 killed"
    if attribution.agent:
        return f"{source} {cue}, the article says: “{content}”."
    if attribution.direct:
        return f"{source} {cue}: “{content}”."
    return f"{source} {cue} {content}."


def sentence_claims(sentence: Sentence, attributions: list[Attribution],
                    hits: list[LexiconHit]) -> list[AttributedClaim]:
    """The claims ``sentence`` makes: one per source, nested attributions left out.
    ``hits`` are the article's loaded-term hits (summarize.rules.loaded.article_hits)."""
    hits = [h for h in hits if sentence.start <= h.start < sentence.end]
    claims: list[AttributedClaim] = []
    sources: set[str] = set()
    for attribution in attributions:
        if attribution.nested or attribution.source.lower() in sources:
            continue
        if attribution.scope_end - attribution.scope_start < 3 and not attribution.antecedent:
            continue  # "The plan, which Russia welcomed, ...": the antecedent is what is said
        sources.add(attribution.source.lower())
        claims.append(AttributedClaim(
            claim=_paraphrase(sentence, attribution, hits), source=attribution.source,
            source_type=attribution.source_type, cue=attribution.cue, quote=sentence.text,
            direct_quote=attribution.direct,
        ))
    return claims


def carried_claim(sentence: Sentence, attribution: Attribution, following: Sentence,
                  hits: list[LexiconHit]) -> AttributedClaim:
    """The claim of a cue that ends ``sentence`` with a colon and whose words are the
    ``following`` sentence: its quote is the sentence with the cue (the guide's rule)."""
    hits = [h for h in hits if following.start <= h.start < following.end]
    direct = bool(_QUOTED.search(following.text)) or following.text[:1] in "\"“"
    content = _EDGE.sub("", following.text)
    if not direct:
        offset = following.start + following.text.find(content)
        content = _quote_loaded(content, offset, hits)
    source = attribution.source[:1].upper() + attribution.source[1:]
    return AttributedClaim(
        claim=f"{source} {attribution.cue}: “{content}”.", source=attribution.source,
        source_type=attribution.source_type, cue=attribution.cue, quote=sentence.text,
        direct_quote=direct,
    )

