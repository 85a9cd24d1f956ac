"""A headline's own source: "Air strikes kill 20 in Idlib - monitor", "Car bomb kills six
in Homs: state TV", and FA-KES titles that lost their dash ("... in Raqa state TV").

The guide labels a headline's cue only when the body does not state the same thing with
the same source ("A headline with its own cue ... is not labelled when the same statement
is labelled in the body"), so ``drop_repeated`` keeps such a claim only when no claim of
the body has a source of the same name or type.
"""

from __future__ import annotations

import re

from summarize.rules.attribution import Attribution
from summarize.rules.sentences import Sentence
from summarize.rules.sources import join, phrase_before, source_type
from summarize.schema import AttributedClaim, SourceType

_DASHES = frozenset("-–—:")
#: Sources a title names at its end without a dash: only the usual ones, so that a place
#: or a name that ends a title is never read as one.
_BARE_SOURCE = re.compile(
    r"(?:state (?:tv|media|television|news agency)|monitor|observatory|sana|ngo|activists|who|un"
    r"|reuters|afp|army|military|medics|rescuers|white helmets|civil defen[cs]e|sources)$", re.IGNORECASE)
_FUNCTION_WORDS = frozenset("the a an of by with to from and against for in on at near as".split())
_DETERMINERS = frozenset("the a an its their his her this that".split())
_NOT_SOURCES = frozenset({SourceType.other})


def headline_attribution(sentence: Sentence) -> Attribution | None:
    """The source that ends the headline ``sentence``, with the words before it as its
    scope, else None."""
    tokens = sentence.tokens
    end = len(tokens)
    while end and tokens[end - 1].text in ".!?\"”":
        end -= 1
    if end < 4:
        return None
    name = phrase_before(tokens, end)
    if not name or len(name) > 6:
        return None
    start = tokens.index(name[0])
    source = join(name, sentence.text, sentence.start)
    dashed = start >= 3 and tokens[start - 1].text in _DASHES
    if not dashed:
        while len(name) > 1 and name[0].is_capitalized and name[1].is_capitalized:
            name = name[1:]  # "... in Homs Syrian state TV": the place is the title's
        start = tokens.index(name[0])
        source = join(name, sentence.text, sentence.start)
        if start < 3 or not _BARE_SOURCE.search(source) or sentence.text.rstrip().endswith(".") \
                or not tokens[start - 1].text[:1].isalnum() or tokens[start - 1].lower in _FUNCTION_WORDS:
            return None  # "Rebels clashed with the army.": a sentence, not a title and its source
        if name[0].lower in _DETERMINERS or not (tokens[start - 1].is_capitalized or tokens[start - 1].text.isdigit()):
            return None  # "Protesters gather outside the UN", "Police arrest activists": the verb's object
    if source_type(source) in _NOT_SOURCES:
        return None
    cue = tokens[start - 1] if dashed else name[0]
    scope_end = tokens[start - 1 if dashed else start].start
    return Attribution(source=source, source_type=source_type(source), cue=cue.text if dashed else source,
                       cue_start=cue.start, cue_end=cue.end if dashed else name[-1].end,
                       speaker_start=name[0].start, scope_start=sentence.start, scope_end=scope_end,
                       direct=False, trailing=True)


def headline_claim(sentence: Sentence, attribution: Attribution) -> AttributedClaim:
    """The claim of a headline's own source: '<source> says: "<the title's words>"'."""
    words = sentence.slice(attribution.scope_start, attribution.scope_end).strip(" -–—:")
    source = attribution.source[:1].upper() + attribution.source[1:]
    return AttributedClaim(claim=f"{source} says: “{words}”.", source=attribution.source,
                           source_type=attribution.source_type, cue=attribution.cue, quote=sentence.text,
                           direct_quote=False)


def drop_repeated(claims: list[AttributedClaim], headline: list[AttributedClaim]) -> list[AttributedClaim]:
    """``claims`` without the ``headline`` claims whose statement a body claim labels
    again: one of the same source name, or of the same type ("monitor" and "the
    Observatory") whose sentence shares a figure or a content word with the title."""
    body = [c for c in claims if all(c is not h for h in headline)]
    names = {c.source.lower() for c in body}
    dropped = [h for h in headline if h.source.lower() in names
               or any(c.source_type == h.source_type and _same_statement(h, c) for c in body)]
    return [c for c in claims if all(c is not d for d in dropped)]


_WORD = re.compile(r"[A-Za-z][A-Za-z\-]{3,}|\d[\d,.]*")
_STOP = frozenset("""
    with from that this they them their were have been will would after before over into near
    said says told reports reported according monday tuesday wednesday thursday friday saturday sunday
""".split())


def _words(text: str, *, names: bool = True) -> set[str]:
    """The figures and content words of ``text``, each cut to its first five letters so
    that "kills" meets "killed" and "strikes" meets "strike"; without the capitalised ones
    (places, names) unless ``names``."""
    return {w.lower().rstrip(".,")[:5] for w in _WORD.findall(text)
            if w.lower() not in _STOP and (names or not w[:1].isupper())}


def _same_statement(headline: AttributedClaim, body: AttributedClaim) -> bool:
    """True when the body claim's sentence restates the headline's words: they share a
    figure or a content word (the source's own name aside; a place alone, in the title's
    capitals, ties nothing: "... in Homs" and "villages near Homs")."""
    title = headline.quote.replace(headline.cue, " ") if headline.cue in ("-", "–", "—", ":") else headline.quote
    own = _words(headline.source) | _words(body.source)
    return bool((_words(title) - own) & (_words(body.quote, names=False) - own))
