"""Asides that stand between a count's people and their verb and hold a count of their
own: "Nine people, six of them children, were killed", "Nine people - six of whom were
children - died", "Nine people (six of them children) were killed"; and the source of the count set off
the same way ("At least 12 people, according to SOHR, were killed"). The count before the
aside takes the verb after it; the count inside is a breakdown (summarize.rules.lists).
"""

from __future__ import annotations

from summarize.rules.sentences import Token
from summarize.rules.vocabulary import REPORTING_VERBS

#: Punctuation that opens an aside, and the marks that may close it.
_CLOSING = {",": {","}, "(": {")"}, "-": {"-", "–", "—"}, "–": {"-", "–", "—"}, "—": {"-", "–", "—"}}
#: Marks that end a sentence or a clause: an aside never runs past them.
_ENDS = {".", ";", ":", "!", "?"}
_LONGEST = 12


def _attribution_aside(tokens: tuple[Token, ...], index: int) -> bool:
    """True when the comma at ``index`` opens an aside that only says who states what is
    around it: ", according to SOHR,", ", the Observatory said,", ", said the monitor,"."""
    if [t.lower for t in tokens[index + 1:index + 3]] == ["according", "to"]:
        return True
    closing = next((i for i in range(index + 1, min(index + _LONGEST, len(tokens))) if tokens[i].text == ","), None)
    if closing is None or closing - index < 3 or any(t.text in _ENDS for t in tokens[index + 1:closing]):
        return False
    return tokens[index + 1].lower in REPORTING_VERBS or tokens[closing - 1].lower in REPORTING_VERBS


def count_aside_end(tokens: tuple[Token, ...], index: int, amount_starts: set[int]) -> int | None:
    """The index after the aside opening at ``index`` when it is a part of the people
    before it ("six of them children", "six of whom were children", or anything within
    parentheses) or says who states it (", according to SOHR,"), else None."""
    opening = tokens[index].text
    if opening not in _CLOSING:
        return None
    if opening == "," and _attribution_aside(tokens, index):
        part = True  # "At least 12 people, according to SOHR, were killed": who says so
    else:
        part = index + 1 in amount_starts and any(
            tokens[position].lower == "of" and position + 1 < len(tokens)
            and tokens[position + 1].lower in ("them", "whom")
            for position in range(index + 2, min(index + 5, len(tokens) - 1)))
    if not part and opening != "(":
        return None
    for position in range(index + 1, min(index + _LONGEST, len(tokens))):
        text = tokens[position].text
        if text in _CLOSING[opening]:
            return position + 1
        if text in _ENDS or (text == "," and opening != ","):
            return None
    return None


#: Words that end a relative clause's search for the verb of the people before it: a new
#: clause or subject ("who fled when soldiers were killed").
_NEW_CLAUSE = {"how", "when", "where", "after", "before", "while", "because", "if", "until", "that",
               "which", "who", "whom", "whose", "but", "as", "they", "he", "she", "it", "we", "i",
               "you", "said", "says", "told", "reported", "according", ",", "(", ")", "-", "–", "—"}
_FINITE = {"were", "was", "have", "has", "had"}
#: Negations inside a relative clause: they deny its own verb, not the main clause's.
_NEGATIONS = {"not", "never", "n't"}


def _not_an_outcome(tokens: tuple[Token, ...], index: int,
                    outcome_words: frozenset[str] | set[str] | dict[str, str]) -> bool:
    """True when a relative clause whose auxiliary ends before ``index`` has a verb of its
    own that is no outcome, or a denied one: "who were not harmed", "who had not been
    evacuated", "who were freed" (the main clause then decides the count's outcome)."""
    denied = False
    while index < len(tokens) and tokens[index].lower in _NEGATIONS | {"been", "being", "already", "yet"}:
        denied = denied or tokens[index].lower in _NEGATIONS
        index += 1
    return index < len(tokens) and (denied or tokens[index].lower not in outcome_words) \
        and tokens[index].text.isalpha()
_RELATIVE_LONGEST = 10


def relative_clause_end(tokens: tuple[Token, ...], index: int, amount_starts: set[int],
                        outcome_words: frozenset[str] | set[str] | dict[str, str]) -> int | None:
    """The index of the auxiliary that follows a relative clause with a verb of its own
    right after a count's people ("12 soldiers who refused to fire were killed": the
    "were"), when an outcome participle follows it; else None. A clause that holds a
    count, a new subject or another clause ("who fled when 3 were killed") gives None."""
    if tokens[index].text == ",":
        return _set_off_relative_end(tokens, index, amount_starts, outcome_words)
    if tokens[index].lower not in ("who", "that") or index + 1 >= len(tokens):
        return None
    if tokens[index + 1].lower in _FINITE | {"are", "is", "been"} \
            and not _not_an_outcome(tokens, index + 2, outcome_words):
        return None  # "12 soldiers who were killed": the clause's verb is the count's outcome
    for position in range(index + 2, min(index + _RELATIVE_LONGEST, len(tokens) - 1)):
        token = tokens[position]
        if position in amount_starts or token.text in _ENDS or token.lower in _NEW_CLAUSE \
                or token.text in ("\"", "“", "”"):
            return None
        if token.lower in _FINITE:
            verb = position + 1
            while verb < len(tokens) and tokens[verb].lower in ("been", "reportedly", "later", "also"):
                verb += 1
            return position if verb < len(tokens) and tokens[verb].lower in outcome_words else None
    return None


def _set_off_relative_end(tokens: tuple[Token, ...], index: int, amount_starts: set[int],
                          outcome_words: frozenset[str] | set[str] | dict[str, str]) -> int | None:
    """The index after a relative clause set off by commas from ``index`` whose verb is
    no outcome or a denied one ("12 civilians, who were not armed, were killed": the
    "were" after it), else None ("12 civilians, who were killed, were buried" keeps its
    verb; a clause that holds a count is no aside)."""
    if index + 2 >= len(tokens) or tokens[index + 1].lower != "who":
        return None
    verb = index + 2
    if tokens[verb].lower in _FINITE | {"are", "is", "been", "did", "do", "does"}:
        if not _not_an_outcome(tokens, verb + 1, outcome_words):
            return None  # "who were killed": the clause's verb is the count's outcome
    elif tokens[verb].lower in outcome_words or tokens[verb].lower in _NEGATIONS:
        return None  # "who died"
    for position in range(verb, min(index + _RELATIVE_LONGEST, len(tokens) - 1)):
        if position in amount_starts or tokens[position].text in _ENDS:
            return None
        if tokens[position].text == ",":
            return position + 1
    return None
