"""Casualty figures: which quantity phrases count people killed, wounded, captured or
missing, and who those people are.

For each quantity phrase (summarize.rules.amounts) in a sentence:

1. **People.** The words after it (past "of" and a determiner) must reach a noun that
   counts people within five words ("64 of their members", "12 Islamist fighters",
   "dozens of others"), or be an outcome noun ("44 dead", "140 injured", "hundreds of
   casualties", "100 bodies"). Anything else ("two villages", "39 sorties", "300
   members entered" without an outcome) is not a figure.
2. **Outcome**, from the first of: an outcome noun right after the number; a verb
   right before it ("killing at least 17", "wounded dozens", "the death of 64",
   "claiming the lives of two"); an outcome verb after the people, past auxiliaries and
   short asides ("were reportedly killed", "mostly schoolchildren killed", "who were
   killed"), stopping at any other verb or number; a toll before it ("the death toll
   ... reached at least 112", "a toll of 48 dead"); a breakdown of a figure already
   read ("including 6 children", "among them 13 police officers", "six children were
   among 19 civilians killed"). "killed and wounded", "killed or injured", "dead and
   wounded" and "casualties" give killed_or_wounded.
3. **victims** are the words from the first word after the number (or after "of") to
   the noun; **victim_category** comes from cue words in them and in a following
   "including ..." (civilians, children, women, residents ... -> civilian; fighters,
   soldiers, militants, troops, rebels, terrorists, police ... -> combatant; both ->
   mixed; "others" takes the category of the figure before it; else unknown).
4. **stated_by** is the innermost attribution whose scope holds the number, else the
   outlet; **perpetrator** is read from "by X", "in X strikes", "clashes with X" or the
   subject of "X killed 19", when it names an actor.

The same figure stated again (same number and outcome) is one item: the mention with an
attribution wins, else the first; a different source stating it is a separate item.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarize.quantities import NUMBER_WORDS
from summarize.rules.amounts import Amount, age_spans, find_amounts
from summarize.rules.attribution import Attribution, stated_by
from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import TIME_WORDS
from summarize.rules.vocabulary import (
    ACTORS,
    ATTACKS,
    AUXILIARIES,
    CIVILIAN,
    COMBATANT,
    COMBATANT_MODIFIERS,
    DESCRIPTIVE_PARTICIPLES,
    OUTCOME_BEFORE,
    OUTCOME_NOUNS,
    OUTCOME_OF,
    OUTCOME_VERBS,
    PEOPLE,
)
from summarize.schema import CasualtyFigure

_DETERMINERS = {"the", "their", "its", "his", "her", "these", "those", "our", "other"}
_BREAKDOWN = {"including", "among", "them", "whom", "mostly", "mainly", "incl"}
_STOP = {";", ":", ".", "!", "?", "\"", "“", "”", "(", ")"}
_FUNCTION = {"in", "on", "at", "by", "from", "with", "to", "for", "and", "or", "who", "which",
             "that", "while", "as", "after", "when", "during", "since", "near", "across",
             "outside", "inside", "into", "over", "amid", "including", "the", "a", "an", ","}
_CONTEXT_BEFORE = {"another", "further", "additional", "also", "a", "an", "at", "more", "the"}
_TOLL_LINKS = {"at", "of", "to", "reached", "reaches", "is", "was", "stood", "stands", "hit",
               "passed", "exceeded", "topped", "estimated", "rose", "risen", "climbed",
               "jumped", "increased", "surpassed", "now", "has", "had"}
_SUFFIX_VERB = ("ed", "ing")
_PAIR = {frozenset({"killed", "wounded"}): "killed_or_wounded"}


@dataclass
class _Candidate:
    """A quantity phrase being read as a casualty figure."""

    amount: Amount
    head: int | None = None          # token index of the people noun
    np_start: int = 0                # token index where the victims' words start
    outcome: str | None = None
    category: str = "unknown"
    tail_end: int = 0                # token index after the victims' words and asides


def _is_verb_like(token: Token) -> bool:
    lower = token.lower
    if lower in DESCRIPTIVE_PARTICIPLES or lower in AUXILIARIES:
        return False
    return len(lower) > 4 and lower.endswith(_SUFFIX_VERB) and token.text.isalpha()


def _people(sentence: Sentence, amount: Amount) -> _Candidate | None:
    """Find the people noun after ``amount``; None when it counts something else."""
    tokens = sentence.tokens
    index = amount.last
    candidate = _Candidate(amount, np_start=index, tail_end=index)
    if index < len(tokens) and tokens[index].lower == "of":
        index += 1
        candidate.np_start = index
    while index < len(tokens) and tokens[index].lower in _DETERMINERS:
        index += 1
    for offset in range(6):
        position = index + offset
        if position >= len(tokens):
            break
        token = tokens[position]
        lower = token.lower
        if offset == 0 and lower in OUTCOME_NOUNS:
            candidate.head, candidate.outcome = position, OUTCOME_NOUNS[lower]
            break
        if lower in PEOPLE:
            candidate.head = position
            while candidate.head + 1 < len(tokens):
                nxt = tokens[candidate.head + 1].lower
                if nxt in PEOPLE:
                    candidate.head += 1  # "police officers", "family members"
                elif nxt in ("and", "or") and candidate.head + 2 < len(tokens) \
                        and tokens[candidate.head + 2].lower in PEOPLE:
                    candidate.head += 2  # "civilians and soldiers"
                else:
                    break
            break
        if lower in OUTCOME_VERBS and offset == 0:
            candidate.outcome = _outcome_pair(tokens, position, OUTCOME_VERBS[lower])  # "10 killed"
            candidate.head = None
            candidate.tail_end = position
            return candidate
        if lower in _FUNCTION or token.text in _STOP or token.text == "," or _is_verb_like(token) \
                or any(ch.isdigit() for ch in lower):
            break
    if candidate.head is None:
        following = tokens[amount.last] if amount.last < len(tokens) else None
        if following is None or following.lower in _FUNCTION or following.text in _STOP:
            candidate.np_start = amount.last
            candidate.tail_end = amount.last
            return candidate  # "killing 17 on Monday": no noun, maybe still a figure
        return None
    candidate.tail_end = candidate.head + 1
    return candidate


def _outcome_pair(tokens: tuple[Token, ...], index: int, outcome: str) -> str:
    """``outcome`` widened to killed_or_wounded for "killed and wounded" at ``index``."""
    if index + 2 < len(tokens) and tokens[index + 1].lower in ("and", "or", "&"):
        nxt = tokens[index + 2].lower
        if nxt in ("were", "was") and index + 3 < len(tokens):
            nxt = tokens[index + 3].lower
        other = OUTCOME_VERBS.get(nxt) or OUTCOME_NOUNS.get(nxt) or OUTCOME_BEFORE.get(nxt)
        if other and other != outcome:
            return _PAIR.get(frozenset({outcome, other}), outcome)
    return outcome


def _outcome_before(sentence: Sentence, amount: Amount) -> str | None:
    tokens = sentence.tokens
    index = amount.first - 1
    while index >= 0 and tokens[index].lower in _CONTEXT_BEFORE:
        index -= 1
    if index < 0:
        return None
    lower = tokens[index].lower
    if lower in OUTCOME_BEFORE:
        outcome = OUTCOME_BEFORE[lower]
        if index >= 2 and tokens[index - 1].lower in ("and", "or"):
            other = OUTCOME_BEFORE.get(tokens[index - 2].lower)
            if other and other != outcome:
                return "killed_or_wounded"
        return outcome
    if lower == "of" and index > 0 and tokens[index - 1].lower in OUTCOME_OF:
        return OUTCOME_OF[tokens[index - 1].lower]
    return None


def _outcome_after(sentence: Sentence, candidate: _Candidate, ages: list[tuple[int, int]],
                   amount_starts: set[int]) -> str | None:
    tokens = sentence.tokens
    index = candidate.tail_end
    limit = min(len(tokens), index + 12)
    while index < limit:
        token = tokens[index]
        lower = token.lower
        if any(a <= token.start < b for a, b in ages):
            index += 1
            continue
        if index in amount_starts:
            return None
        if lower in OUTCOME_VERBS:
            if lower == "dead" and index > 0 and tokens[index - 1].lower == "shot":
                return "killed"
            return _outcome_pair(tokens, index, OUTCOME_VERBS[lower])
        if lower == "lost" and " ".join(t.lower for t in tokens[index + 1:index + 3]) in (
                "their lives", "his life", "her life"):
            return "killed"
        if lower in ("suffered", "sustained") and index + 1 < len(tokens) and \
                tokens[index + 1].lower in ("injuries", "wounds", "symptoms", "burns"):
            return "wounded"
        if lower == "taken" and index + 1 < len(tokens) and \
                tokens[index + 1].lower in ("prisoner", "prisoners", "captive", "hostage"):
            return "captured"
        if token.text in _STOP or any(ch.isdigit() for ch in lower) or _is_verb_like(token):
            return None
        if lower in ("shot",):
            index += 1
            continue
        if lower not in AUXILIARIES and lower not in _FUNCTION and lower not in _BREAKDOWN \
                and not lower.isalpha() and "-" not in lower:
            return None
        index += 1
    return None


def _outcome_from_toll(sentence: Sentence, amount: Amount) -> str | None:
    tokens = sentence.tokens
    if amount.first == 0 or tokens[amount.first - 1].lower not in _TOLL_LINKS:
        return None
    for index in range(amount.first - 1, max(amount.first - 16, -1), -1):
        token = tokens[index]
        if token.text in _STOP or any(ch.isdigit() for ch in token.lower):
            return None
        if token.lower in ("toll", "tolls"):
            before = tokens[index - 1].lower if index else ""
            return "killed_or_wounded" if before == "casualty" else "killed"
        if token.lower == "number" and index + 2 < len(tokens) and tokens[index + 1].lower == "of":
            noun = tokens[index + 2].lower
            if noun in OUTCOME_NOUNS:
                return OUTCOME_NOUNS[noun]
            if noun == "victims":
                return "killed_or_wounded"
    return None


def _category(sentence: Sentence, candidate: _Candidate, previous: str | None) -> str:
    tokens = sentence.tokens
    if candidate.head is None:
        return "unknown"
    words = [t.lower for t in tokens[candidate.np_start:candidate.head + 1]]
    tail = candidate.head + 1
    if tail < len(tokens) and tokens[tail].lower in _BREAKDOWN:
        for token in tokens[tail + 1:tail + 7]:
            if token.lower in OUTCOME_VERBS or token.text in _STOP or _is_verb_like(token) \
                    or (token.lower in _FUNCTION and token.lower != "and") \
                    or token.lower in NUMBER_WORDS or any(ch.isdigit() for ch in token.text):
                break  # "19 dead including 6 children": a breakdown, not a description
            words.append(token.lower)
    if tokens[candidate.head].lower == "others" and previous:
        return previous
    civilian = any(w in CIVILIAN for w in words)
    combatant = any(w in COMBATANT | COMBATANT_MODIFIERS for w in words) or (
        "members" in words and not any(w in ("family", "crew", "staff", "council") for w in words))
    if civilian and combatant:
        return "mixed"
    return "civilian" if civilian else "combatant" if combatant else "unknown"


def _victims(sentence: Sentence, candidate: _Candidate) -> str:
    tokens = sentence.tokens
    if candidate.head is None or tokens[candidate.head].lower in OUTCOME_NOUNS:
        return "people"
    end = candidate.head
    if end + 2 < len(tokens) and tokens[end + 1].lower in ("of", "from") and tokens[end + 2].is_capitalized:
        end += 2  # "members of Nouriddeen al-Zinki movement"
        while end + 1 < len(tokens) and (tokens[end + 1].is_capitalized or tokens[end + 1].lower.startswith("al-")
                                         or tokens[end + 1].lower in ("movement", "group", "front", "brigade")):
            end += 1
    return sentence.slice(tokens[candidate.np_start].start, tokens[end].end)


def _perpetrator(sentence: Sentence, amount: Amount) -> str | None:
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
        if tokens[index].text in _STOP:
            break
    verb = amount.first - 1
    while verb >= 0 and tokens[verb].lower in _CONTEXT_BEFORE:
        verb -= 1
    if verb > 0 and tokens[verb].lower in OUTCOME_BEFORE:
        start = verb
        while start > 0 and verb - start < 7 and tokens[start - 1].text not in _STOP \
                and (tokens[start - 1].lower not in _FUNCTION or tokens[start - 1].lower == "and") \
                and not any(ch.isdigit() for ch in tokens[start - 1].text):
            start -= 1
        subject = list(tokens[start:verb])
        if subject and any(t.lower in ACTORS for t in subject):
            return sentence.slice(subject[0].start, subject[-1].end)
    return None


def _is_name(token: Token) -> bool:
    return token.is_capitalized and token.lower not in TIME_WORDS and token.lower not in _FUNCTION


def _phrase(tokens: tuple[Token, ...], start: int) -> list[Token]:
    """Up to seven words from ``start`` to the next punctuation or preposition."""
    phrase: list[Token] = []
    for token in tokens[start:start + 7]:
        if token.text in _STOP or token.text == "," or any(ch.isdigit() for ch in token.lower) \
                or (token.lower in _FUNCTION and token.lower not in ("a", "an", "the", "and", "with")):
            break
        phrase.append(token)
    while phrase and phrase[-1].lower in ("and", "the", "a", "an", "with", "of"):
        phrase.pop()
    return phrase


def sentence_figures(sentence: Sentence, attributions: list[Attribution],
                     outlet: str) -> list[CasualtyFigure]:
    """The casualty figures stated in one sentence."""
    ages = age_spans(sentence)
    candidates: list[_Candidate] = []
    amounts = find_amounts(sentence)
    amount_starts = {a.first for a in amounts}
    for amount in amounts:
        candidate = _people(sentence, amount)
        if candidate is None:
            continue
        if candidate.outcome is None:
            candidate.outcome = (_outcome_before(sentence, amount)
                                 or _outcome_after(sentence, candidate, ages, amount_starts)
                                 or _outcome_from_toll(sentence, amount))
        elif candidate.head is not None:
            candidate.outcome = _outcome_pair(sentence.tokens, candidate.head, candidate.outcome)
        candidates.append(candidate)
    _inherit_breakdowns(sentence, candidates)
    figures: list[CasualtyFigure] = []
    previous_category: str | None = None
    for candidate in candidates:
        if candidate.outcome is None or (candidate.head is None and candidate.amount.reading.quantity_type == "vague"
                                         and not _outcome_before(sentence, candidate.amount)):
            continue
        candidate.category = _category(sentence, candidate, previous_category)
        previous_category = candidate.category
        amount = candidate.amount
        source = stated_by(attributions, amount.start, amount.end)
        figures.append(CasualtyFigure(
            quantity_text=amount.text, outcome=candidate.outcome,
            victims=_victims(sentence, candidate), victim_category=candidate.category,
            quantity_type=amount.reading.quantity_type, low=amount.reading.low,
            high=amount.reading.high, stated_by=source.source if source else outlet,
            perpetrator=_perpetrator(sentence, amount), quote=sentence.text,
        ))
    return figures


def _inherit_breakdowns(sentence: Sentence, candidates: list[_Candidate]) -> None:
    """"19 dead including 6 children", "six children were among 19 civilians killed"."""
    tokens = sentence.tokens
    for position, candidate in enumerate(candidates):
        if candidate.outcome is not None or candidate.head is None:
            continue
        before = {t.lower for t in tokens[max(0, candidate.amount.first - 2):candidate.amount.first]}
        if before & _BREAKDOWN:
            earlier = [c for c in candidates[:position] if c.outcome]
            if earlier:
                candidate.outcome = earlier[-1].outcome
                continue
        after = [t.lower for t in tokens[candidate.tail_end:candidate.tail_end + 2]]
        if "among" in after:
            later = [c for c in candidates[position + 1:] if c.outcome]
            if later and later[0].amount.first <= candidate.tail_end + 3:
                candidate.outcome = later[0].outcome


def merge_repeats(figures: list[CasualtyFigure], outlet: str) -> list[CasualtyFigure]:
    """One item per figure: the same number and outcome stated again is dropped, unless a
    different source states it (an attributed mention replaces an unattributed one)."""
    kept: list[CasualtyFigure] = []
    for figure in figures:
        key = (figure.low, figure.high, figure.outcome)
        same = [i for i, k in enumerate(kept) if (k.low, k.high, k.outcome) == key]
        if not same:
            kept.append(figure)
            continue
        if figure.stated_by == outlet:
            continue
        unattributed = [i for i in same if kept[i].stated_by == outlet]
        if unattributed:
            kept[unattributed[0]] = figure
        elif all(kept[i].stated_by != figure.stated_by for i in same):
            kept.append(figure)
    return kept
