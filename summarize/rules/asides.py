"""Asides that stand between a count's people and their verb and hold a count of their
own: "Nine people, six of them children, were killed", "Nine people - six of whom were
children - died", "Nine people (six of them children) were killed". The count before the
aside takes the verb after it; the count inside is a breakdown (summarize.rules.lists).
"""

from __future__ import annotations

from summarize.rules.sentences import Token

#: Punctuation that opens an aside, and the marks that may close it.
_CLOSING = {",": {","}, "(": {")"}, "-": {"-", "–", "—"}, "–": {"-", "–", "—"}, "—": {"-", "–", "—"}}
#: Marks that end a sentence or a clause: an aside never runs past them.
_ENDS = {".", ";", ":", "!", "?"}
_LONGEST = 12


def count_aside_end(tokens: tuple[Token, ...], index: int, amount_starts: set[int]) -> int | None:
    """The index after the aside opening at ``index`` when it is a part of the people
    before it ("six of them children", "six of whom were children", or anything within
    parentheses), else None."""
    opening = tokens[index].text
    if opening not in _CLOSING:
        return None
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
