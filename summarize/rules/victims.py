"""Who the people of a casualty figure are: the words that name them ("12 Islamist
fighters", "members of the security forces") and their category (civilian, combatant,
mixed, unknown) from cue words in those words and in a following "including ...".

summarize.rules.casualties finds the people noun of a count; this module reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarize.quantities import NUMBER_WORDS
from summarize.rules.outcomes import BREAKDOWN, FUNCTION, STOP, is_verb_like
from summarize.rules.sentences import Sentence
from summarize.rules.vocabulary import CIVILIAN, COMBATANT, COMBATANT_MODIFIERS, OUTCOME_NOUNS, OUTCOME_VERBS, PEOPLE

if TYPE_CHECKING:
    from summarize.rules.casualties import CountCandidate

#: Words of "members of the (same) family": the people a count of members names.
_KIN = {"family", "families", "same", "one", "household"}
_COUNTING = {"number", "few", "dozen", "handful", "total", "score", "large", "great", "small"}


def victim_category(sentence: Sentence, candidate: CountCandidate, previous: str | None) -> str:
    """The category of the people ``candidate`` counts: civilian, combatant, mixed or
    unknown, from the words that name them and a following "including ..."; a count with
    no noun (or "others") takes ``previous``, the category of the figure before it."""
    tokens = sentence.tokens
    if candidate.head is None or tokens[candidate.head].lower in OUTCOME_NOUNS:
        return previous or "unknown"  # "18 civilians were killed and dozens wounded"
    words = [t.lower for t in tokens[candidate.np_start:candidate.head + 1]]
    tail = candidate.head + 1
    if words[-1:] == ["members"] and tail < len(tokens) and tokens[tail].lower == "of":
        for token in tokens[tail + 1:tail + 5]:  # "members of the family", "of the security forces"
            if token.text in STOP or token.text == "," or is_verb_like(token):
                break
            words.append(token.lower)
    if tail < len(tokens) and tokens[tail].text == ",":
        tail += 1  # "people, including women and children"
    if tail < len(tokens) and tokens[tail].lower in BREAKDOWN:
        for position, token in enumerate(tokens[tail + 1:tail + 7], start=tail + 1):
            following = tokens[position + 1].lower if position + 1 < len(tokens) else ""
            if token.lower in ("a", "an") and following in _COUNTING:
                break  # "including a number of children": a count of its own
            if token.lower in OUTCOME_VERBS or token.text in STOP or is_verb_like(token) \
                    or (token.lower in FUNCTION and token.lower not in ("and", "a", "an")) \
                    or token.lower in NUMBER_WORDS - {"a", "an"} or any(ch.isdigit() for ch in token.text):
                break  # "19 dead including 6 children": a breakdown, not a description
            words.append(token.lower)
    else:
        ahead = [t.lower for t in tokens[tail:tail + 7]]
        if "among" in ahead and ahead[ahead.index("among") + 1:ahead.index("among") + 2] in (["them"], ["whom"]):
            described = ahead[:ahead.index("among")]  # "48 people, children and women among them"
            if described and all(w in PEOPLE or w in ("and", ",") for w in described):
                words += described
    if tokens[candidate.head].lower == "others" and previous:
        return previous
    civilian = any(w in CIVILIAN for w in words)
    combatant = any(w in COMBATANT | COMBATANT_MODIFIERS for w in words) or (
        "members" in words and not any(w in ("family", "crew", "staff", "council") for w in words))
    if civilian and combatant:
        return "mixed"
    return "civilian" if civilian else "combatant" if combatant else "unknown"


def victim_words(sentence: Sentence, candidate: CountCandidate) -> str:
    """The words that name the people ``candidate`` counts ("12 Islamist fighters",
    "members of the security forces"); "people" for a count with no noun."""
    tokens = sentence.tokens
    if candidate.head is None or tokens[candidate.head].lower in OUTCOME_NOUNS:
        return "people"
    end = candidate.head
    after_of = end + 3 if end + 3 < len(tokens) and tokens[end + 2].lower == "the" else end + 2
    if after_of < len(tokens) and tokens[end + 1].lower in ("of", "from") and (
            tokens[after_of].is_capitalized or tokens[after_of].lower in COMBATANT_MODIFIERS
            or tokens[after_of].lower in _KIN):
        end = after_of  # "members of Nouriddeen al-Zinki movement", "members of the security forces"
        while end + 1 < len(tokens) and (tokens[end + 1].is_capitalized or tokens[end + 1].lower.startswith("al-")
                                         or tokens[end + 1].lower in ("movement", "group", "front", "brigade")
                                         or tokens[end + 1].lower in COMBATANT_MODIFIERS
                                         or tokens[end + 1].lower in _KIN):
            end += 1
    return sentence.slice(tokens[candidate.np_start].start, tokens[end].end)
