"""Mutual accusations: "A and B accused each other of ...", "Both sides traded
accusations", "the two sides blamed one another". Each side makes a claim (the guide's
"one item per source per sentence"); when the subject is only "both sides" or "the two
sides", the sides are the last pair "A and B" named before it in the sentence, else in
the sentence before; with no pair named, "both sides" is the source as written.
"""

from __future__ import annotations

from summarize.rules.cues import AUXILIARIES, PASSIVE
from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import join, phrase_after, phrase_before

#: Subjects that stand for two sides named elsewhere.
_SIDE_WORDS = frozenset({"sides", "parties", "camps", "rivals", "foes"})
_RECIPROCAL_OBJECTS = (("each", "other"), ("one", "another"))


def is_reciprocal(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """True for a cue whose object is "each other" / "one another", or "traded accusations"."""
    if tokens[first].lower.startswith(("trad", "exchang")):
        return True
    words = [t.lower for t in tokens[last:last + 4]]
    return any(tuple(words[i:i + 2]) == pair for pair in _RECIPROCAL_OBJECTS for i in range(len(words) - 1))


def _sides_subject(tokens: tuple[Token, ...], first: int) -> int | None:
    """Start of a subject "both sides", "the two sides", "both" right before the cue."""
    head = first
    while head > 0 and tokens[head - 1].lower in AUXILIARIES | PASSIVE:
        head -= 1
    words = [t.lower for t in tokens[max(0, head - 3):head]]
    if words[-1:] == ["both"]:
        return head - 1
    if words[-1:] and words[-1] in _SIDE_WORDS:
        if words[-2:-1] in (["both"], ["two"], ["the"]):
            start = head - 2
            if words[-3:-2] == ["the"] and words[-2] == "two":
                start -= 1
            return start
    return None


def _last_pair(sentence: Sentence, end: int) -> list[tuple[str, int]]:
    """The last "A and B" of two source phrases in the sentence's tokens before ``end``,
    each with its first token index."""
    tokens = sentence.tokens
    for index in range(min(end, len(tokens)) - 2, 0, -1):
        if tokens[index].lower != "and":
            continue
        left, right = phrase_before(tokens, index), phrase_after(tokens, index + 1)
        if not left or not right or tokens.index(right[-1]) >= end:
            continue
        if not (left[-1].is_capitalized or right[-1].is_capitalized) and len(left) + len(right) < 3:
            continue
        return [(join(side, sentence.text, sentence.start), tokens.index(side[0])) for side in (left, right)]
    return []


def reciprocal_sides(sentence: Sentence, first: int, previous: Sentence | None, *,
                     speaker_found: bool) -> list[tuple[str, int]]:
    """The sides of the mutual accusation whose cue starts at token ``first``: (source,
    token index in ``sentence`` that stands for it). Empty when the cue's own speaker
    (``speaker_found``) is to be kept."""
    tokens = sentence.tokens
    start = _sides_subject(tokens, first)
    if start is not None:
        pair = _last_pair(sentence, start)
        if not pair and previous is not None:
            pair = [(name, start) for name, _ in _last_pair(previous, len(previous.tokens))]
        if pair:
            return pair
        return [(join(list(tokens[start:first]), sentence.text, sentence.start).strip(), start)] \
            if not speaker_found else []
    if speaker_found:
        return []
    return _last_pair(sentence, first)  # "Damascus and groups involved in the truce have traded accusations"
