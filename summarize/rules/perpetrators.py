"""Who caused the casualties a figure counts, as the sentence names them.

Read from "by X", "in X strikes/bombing/shelling" (X must name an actor: "Russian
airstrikes", "regime bombing"), "clashes with X", or the subject of "X killed 19" when
it holds an actor word; for a verb coordinated with an earlier one ("X killed 12
soldiers and wounded 30 others") the subject of the earlier verb. Only a weapon or an
event ("an explosion") names no actor: None.
"""

from __future__ import annotations

from summarize.rules.amounts import Amount
from summarize.rules.outcomes import CONTEXT_BEFORE, FUNCTION, STOP, is_verb_like
from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import TIME_WORDS
from summarize.rules.vocabulary import ACTORS, ATTACKS, AUXILIARIES, OUTCOME_BEFORE

#: Past forms too short for is_verb_like that end a subject: "Jets hit a car, killing ...".
_SHORT_VERBS = {"hit", "shot", "struck", "set", "put", "cut", "led", "fled", "ran", "left", "took",
                "made", "sent", "blew", "fell", "fought", "stormed", "seized", "won", "lost"}
_ADVERBS = {"also", "meanwhile", "reportedly", "allegedly", "then", "later", "again", "yesterday", "today"}


def perpetrator(sentence: Sentence, amount: Amount) -> str | None:
    """Who caused the casualties: "by X", "in X strikes", "clashes with X", or the subject
    of "X killed 19", when the words name an actor; else None."""
    tokens = sentence.tokens
    for index in range(amount.last, min(len(tokens) - 1, amount.last + 14)):
        lower = tokens[index].lower
        if lower == "by" and index > amount.last:
            phrase = _phrase(tokens, index + 1)
            if any(t.lower in ACTORS or _is_name(t) for t in phrase):
                return sentence.slice(phrase[0].start, phrase[-1].end)
        if lower == "in" and index > amount.last:
            phrase = _phrase(tokens, index + 1)
            if phrase and phrase[0].lower == "clashes" and len(phrase) > 2 and phrase[1].lower == "with":
                return sentence.slice(phrase[2].start, phrase[-1].end)
            attack = next((i for i, t in enumerate(phrase) if t.lower in ATTACKS), None)
            if attack and any(t.lower in ACTORS or _is_name(t) for t in phrase[:attack]):
                return sentence.slice(phrase[0].start, phrase[attack].end)
        if tokens[index].text in STOP:
            break
    verb = amount.first - 1
    while verb >= 0 and tokens[verb].lower in CONTEXT_BEFORE:
        verb -= 1
    if verb > 0 and tokens[verb].lower in OUTCOME_BEFORE:
        subject = _subject(tokens, verb)
        if subject and any(t.lower in ACTORS for t in subject):
            return sentence.slice(subject[0].start, subject[-1].end)
    return None


def _subject(tokens: tuple[Token, ...], verb: int) -> list[Token]:
    """The words before the outcome verb at ``verb`` that name who acted; for a verb
    coordinated with an earlier one ("X killed 12 soldiers and wounded 30 others"), the
    subject of the earlier verb."""
    if tokens[verb - 1].lower == "and":
        for earlier in range(verb - 2, max(verb - 14, 0), -1):
            if tokens[earlier].text in STOP:
                break
            if tokens[earlier].lower in OUTCOME_BEFORE:
                return _subject(tokens, earlier) if earlier > 0 else []
        return []
    if tokens[verb].lower.endswith("ing"):
        return _clause_subject(tokens, verb)  # "Rebels fired rockets into Latakia, killing one"
    start = verb
    while start > 0 and verb - start < 7 and tokens[start - 1].text not in STOP \
            and (tokens[start - 1].lower not in FUNCTION or tokens[start - 1].lower == "and") \
            and not any(ch.isdigit() for ch in tokens[start - 1].text):
        start -= 1
    if start > 0 and any(ch.isdigit() for ch in tokens[start - 1].text):
        return []  # "... 12 security forces and wounded": the words a count before counts
    return list(tokens[start:verb])


def _is_name(token: Token) -> bool:
    return token.is_capitalized and token.lower not in TIME_WORDS and token.lower not in FUNCTION


def _phrase(tokens: tuple[Token, ...], start: int) -> list[Token]:
    """Up to seven words from ``start`` to the next punctuation or preposition."""
    phrase: list[Token] = []
    for token in tokens[start:start + 7]:
        if token.text in STOP or token.text == "," or any(ch.isdigit() for ch in token.lower) \
                or (token.lower in FUNCTION and token.lower not in ("a", "an", "the", "and", "with")):
            break
        phrase.append(token)
    while phrase and phrase[-1].lower in ("and", "the", "a", "an", "with", "of"):
        phrase.pop()
    return phrase


def _clause_subject(tokens: tuple[Token, ...], verb: int) -> list[Token]:
    """The subject of the clause a participle ("killing", "wounding") depends on: its
    first words up to the first verb or preposition ("Rebels also fired ..." -> Rebels)."""
    start = max((i + 1 for i in range(verb) if tokens[i].text in STOP), default=0)
    subject: list[Token] = []
    for token in tokens[start:verb]:
        if is_verb_like(token) or token.lower in AUXILIARIES or token.lower in _ADVERBS or token.lower in _SHORT_VERBS \
                or (token.lower in FUNCTION and token.lower not in ("the", "a", "an", "and")) \
                or (subject and token.lower in ("the", "a", "an")):
            break  # "Jets hit a car, killing ...": an article after the subject opens the object
        subject.append(token)
    return subject
