"""Casualty figures: which quantity phrases count people killed, wounded, captured or
missing, and who those people are.

For each quantity phrase (summarize.rules.amounts) in a sentence:

1. **People.** The words after it (past "more", "of"/"among" and a determiner) must
   reach a noun that counts people within five words ("64 of their members", "12
   Islamist fighters", "dozens of others", "23 among their opponents"), or be an
   outcome noun ("44 dead", "140 injured", "hundreds of casualties", "100 bodies",
   "claimed 40 lives"), or be a name an outcome verb governs ("killed 7 Hezbollah"), or
   nothing at all before a verb, a preposition or the end ("killing 17 on Monday",
   "Twenty were killed", "dozens more"). Anything else ("two villages", "39 sorties",
   "300 members entered" without an outcome) is not a figure.
2. **Outcome** (summarize.rules.outcomes): a verb or noun before the count, the words
   after the people, or a toll the count completes; else (summarize.rules.lists) a
   breakdown of a figure already read ("including 6 children", "among them 13 police
   officers") or the outcome of the
   list the count stands in ("killed 12 fighters, 4 civilians and 2 medics", "Seven
   soldiers and three civilians were killed", "killed himself and 14 others"), also a
   gapped list that repeats only the place or side ("150 bodies were counted in A, 100
   in B and 67 in C", "9 dead among the militias and 14 among the troops"). A vague word
   with no noun ("dozens") counts people only next to its own verb ("wounding dozens",
   "Dozens were injured").
3. **victims** (summarize.rules.victims) are the words from the first word after the
   number (or after "of") to the noun, or the people "among" names ("15 dead among the rebels" -> "the rebels");
   **victim_category** comes from cue words in them and in a following
   "including ..." (civilians, children, women, residents ... -> civilian; fighters,
   soldiers, militants, troops, rebels, terrorists, police ... -> combatant; both ->
   mixed; "others" and a count with no noun take the category of the figure before it;
   else unknown).
4. **stated_by** is the innermost attribution whose scope holds the number, else the
   outlet; **perpetrator** comes from summarize.rules.perpetrators.

Repeats of one figure are merged afterwards (summarize.rules.repeats).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarize.rules.amounts import Amount, age_spans, find_amounts
from summarize.rules.attribution import Attribution, stated_by
from summarize.rules.denials import denied_count, rate_after
from summarize.rules.lists import (
    drop_one_of_toll,
    inherit_breakdowns,
    inherit_from_previous,
    inherit_lists,
    part_predicate_people,
)
from summarize.rules.perpetrators import perpetrator
from summarize.rules.outcomes import (
    BREAKDOWN,
    FUNCTION,
    KILLING_PAIRS,
    STOP,
    governs_people,
    is_verb_like,
    later_died,
    outcome_after,
    outcome_before,
    outcome_from_toll,
    outcome_pair,
    own_predicate,
)
from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import TIME_WORDS
from summarize.rules.victims import victim_category, victim_words
from summarize.rules.vocabulary import (
    AUXILIARIES,
    COMBATANT_MODIFIERS,
    DESCRIPTIVE_PARTICIPLES,
    FAMILIES,
    NEEDS_PEOPLE,
    OUTCOME_BEFORE,
    OUTCOME_NOUNS,
    OUTCOME_VERBS,
    PEOPLE,
    REPORTING_VERBS,
)
from summarize.schema import CasualtyFigure

_CUMULATIVE = re.compile(
    r"\bsince (?:the (?:start|beginning|outbreak)|(?:early |mid-|late )?(?:19|20)\d\d|(?:march|january) "
    r"20\d\d|the (?:war|conflict|uprising|crisis))|\b(?:war|conflict|uprising|crisis|revolt) "
    r"(?:began|started|erupted|broke out)|\bin (?:the|syria'?s|six|seven|five) (?:years of )?"
    r"(?:war|conflict)\b", re.IGNORECASE)
_DETERMINERS = {"the", "their", "its", "his", "her", "these", "those", "our", "other"}
#: Words between a count and its people that add nothing: "five more bodies", "two other".
_MORE = {"more", "other", "additional", "further", "extra"}
#: Nouns for a side or a group that "among" may name instead of its people: "15 dead
#: among the militias", "among the regime ranks".
_GROUPS = {"militias", "militia", "ranks", "side", "sides", "factions", "groups", "units", "army", "armies",
           "regime", "opposition"}
_BARE_SUBJECT = {"were", "was", "have", "has", "had", "are", "is", "may", "might", "could", "suffered", "sustained", "succumbed",
                 "lost"} | set(OUTCOME_VERBS) | set(OUTCOME_BEFORE)
#: Words that may follow a count with no noun: "killing 30 Monday", "killing 30 – ...",
#: "5 later died", "The blast that killed 5 also wounded 30".
_BARE_FOLLOWERS = {"according", "-", "–", "—", "today", "yesterday", "overnight", "monday", "tuesday",
                   "wednesday", "thursday", "friday", "saturday", "sunday", "last", "earlier",
                   "later", "subsequently", "eventually", "also", "reportedly", "allegedly",
                   "there", "here", "within", "instantly", "immediately"}
#: Verbs before "40 lives" that make it a toll ("claimed 40 lives").
_TAKING_LIVES = {"claimed", "claiming", "claims", "claim", "cost", "costing", "costs", "took",
                 "taking", "takes", "lost", "losing"}
_Source = str  # where the outcome was read: noun, before, after, toll, list, breakdown


@dataclass
class CountCandidate:
    """A quantity phrase being read as a casualty figure."""

    amount: Amount
    head: int | None = None          # token index of the people noun
    np_start: int = 0                # token index where the victims' words start
    outcome: str | None = None
    category: str = "unknown"
    tail_end: int = 0                # token index after the victims' words and asides
    source: _Source = ""             # how the outcome was read
    blocked: bool = False            # another verb follows the people ("300 members entered")
    whole: int | None = None         # first token of the count a part is taken from ("4 of the 10")


def _people(sentence: Sentence, amount: Amount, others: dict[int, int] | None = None,
            ages: list[tuple[int, int]] = ()) -> CountCandidate | None:
    """Find the people noun after ``amount``; None when it counts something else.
    ``others`` maps the first token of the sentence's counts to their ends: a
    part taken from a whole counts the whole's people ("4 of the 10 hostages": the
    people are the hostages; ``whole`` records the 10, which is no figure of its own).
    An age between the count and its people is passed over ("Two 20-year-old students")."""
    tokens = sentence.tokens
    others = others or {}
    index = amount.last
    while index < len(tokens) and tokens[index].lower in _MORE:
        index += 1  # "five more bodies", "dozens more"
    after_more = index
    candidate = CountCandidate(amount, np_start=index, tail_end=index)
    if index < len(tokens) and tokens[index].lower in ("of", "among"):
        index += 1
        candidate.np_start = index
    while index < len(tokens) and tokens[index].lower in _DETERMINERS:
        index += 1
    if candidate.np_start > after_more and index in others and tokens[after_more].lower == "of":
        candidate.whole = index  # "4 of the 10 hostages", "Two of the five were killed"
        index = after_more = candidate.np_start = others[index]
    for offset in range(6):
        position = index + offset
        if position >= len(tokens):
            break
        token = tokens[position]
        lower = token.lower
        if any(a <= token.start < b for a, b in ages):
            continue  # "Two 20-year-old students": the age is no count of its own
        if offset == 0 and lower in ("lives", "souls") and amount.first > 0 \
                and tokens[amount.first - 1].lower in _TAKING_LIVES:
            candidate.head, candidate.outcome, candidate.source = position, "killed", "noun"
            break
        if offset == 0 and (lower in OUTCOME_NOUNS or lower in OUTCOME_VERBS) \
                and governs_people(tokens, position, set(others)):
            return None  # "The strike on Building 7 killed three people": a label, not victims
        if offset == 0 and lower in OUTCOME_NOUNS:
            candidate.head, candidate.outcome, candidate.source = position, OUTCOME_NOUNS[lower], "noun"
            of_group = candidate.np_start > after_more
            among = _among_people(tokens, position + 1)
            if among is not None:  # "15 dead among the rebels": the rebels are the victims
                candidate.np_start, candidate.head = among
            elif position + 1 < len(tokens) and tokens[position + 1].lower in PEOPLE and lower == "dead":
                candidate.np_start = candidate.head = position + 1  # "three dead soldiers"
            if of_group:  # "Twelve of the wounded later died": their own verb
                later = own_predicate(tokens, position + 1, set())
                if later is not None:
                    candidate.outcome = later
            break
        if lower in PEOPLE and modifies_a_thing(tokens, position):
            continue  # "23 terrorist targets", "12 rebel positions": a person word as adjective
        if lower in PEOPLE or (lower in _GROUPS and candidate.np_start > after_more):
            candidate.head = position  # "23 among their opponents", "12 among the militias"
            while candidate.head + 1 < len(tokens):
                nxt = tokens[candidate.head + 1].lower
                if nxt in PEOPLE or (nxt in _GROUPS and candidate.np_start > after_more):
                    candidate.head += 1  # "police officers", "family members"
                elif nxt in ("and", "or") and candidate.head + 2 < len(tokens) \
                        and tokens[candidate.head + 2].lower in PEOPLE:
                    candidate.head += 2  # "civilians and soldiers"
                else:
                    break
            nxt = tokens[candidate.head + 1].lower if candidate.head + 1 < len(tokens) else ""
            if nxt in ("casualties", "deaths", "fatalities"):  # "23 civilian casualties"
                candidate.outcome, candidate.source = OUTCOME_NOUNS[nxt], "noun"
                candidate.tail_end = candidate.head + 2
                return candidate
            break
        if lower in OUTCOME_VERBS and offset == 0:
            candidate.outcome = outcome_pair(tokens, position, OUTCOME_VERBS[lower])  # "10 killed"
            candidate.head, candidate.source = None, "noun"
            candidate.tail_end = position
            if candidate.np_start > after_more:  # "Twelve of the captured were executed": their own verb
                later = own_predicate(tokens, position + 1, set())
                if later is not None:
                    candidate.outcome = later
            among = _among_people(tokens, position + 1)
            if among is not None:  # "10 killed among the troops"
                candidate.np_start, candidate.head = among
                candidate.tail_end = candidate.head + 1
            return candidate
        if lower in FUNCTION or token.text in STOP or token.text == "," or is_verb_like(token) \
                or any(ch.isdigit() for ch in lower) or lower in REPORTING_VERBS:
            break  # "the two sides said dozens of their fighters were killed": "two" counts no fighters
    if candidate.head is not None and tokens[candidate.head].lower in FAMILIES:
        return None  # "two families", "one family": households, not a count of people
    if candidate.head is not None and (tokens[candidate.head].lower in ("whom", "them")
                                       or tokens[candidate.np_start].lower in _COPULAS):
        _predicate_people(tokens, candidate)  # "10 of whom were children", "10 were children"
    if candidate.head is None:
        following = tokens[after_more] if after_more < len(tokens) else None
        if following is None or following.lower in FUNCTION or following.text in STOP \
                or following.lower in _BARE_SUBJECT or following.lower in _BARE_FOLLOWERS \
                or _telegraphic_killing(tokens, after_more) \
                or outcome_from_toll(sentence, amount.first, amount.last):  # "the toll ranged from 200 to 600 depending ..."
            candidate.np_start = after_more
            candidate.tail_end = after_more
            return candidate  # "killing 17 on Monday", "Twenty were killed": no noun
        return None
    candidate.tail_end = candidate.head + 1
    return candidate


_COPULAS = {"were", "was", "are", "is"}


def _telegraphic_killing(tokens: tuple[Token, ...], index: int) -> bool:
    """True when a two-word verb of killing starts at ``index`` ("Five shot dead in
    Homs", a headline with no auxiliary); "Five shot at the checkpoint" is not one."""
    return index + 1 < len(tokens) and (tokens[index].lower, tokens[index + 1].lower) in KILLING_PAIRS


#: Verbs too short for is_verb_like that may follow a person word: "a man lost his life".
_SHORT_VERBS = {"lost", "fell", "said", "says", "told", "shot", "hit", "fled", "left", "went",
                "came", "got", "saw", "ran", "put", "set", "cut", "led", "won", "died", "dies"}
#: Person words that are plural without an "s", never a singular used as an adjective.
_PLURAL_FORMS = {"people", "police", "men", "women", "children", "staff", "personnel", "crew",
                 "youth", "hezbollah", "militiamen", "gunmen", "policemen", "servicemen"}


def modifies_a_thing(tokens: tuple[Token, ...], position: int) -> bool:
    """True when the singular person word at ``position`` qualifies the noun after it
    ("terrorist targets", "rebel positions", "civilian homes") instead of counting people."""
    lower = tokens[position].lower
    if lower.endswith("s") or lower in _PLURAL_FORMS or position + 1 >= len(tokens):
        return False
    following = tokens[position + 1]
    word = following.lower
    return (following.text.isalpha() and following.text.islower() and word not in PEOPLE
            and word not in FUNCTION and word not in AUXILIARIES and word not in OUTCOME_VERBS
            and word not in OUTCOME_NOUNS and word not in BREAKDOWN and word not in _BARE_FOLLOWERS
            and word not in _GROUPS and word not in DESCRIPTIVE_PARTICIPLES and word not in OUTCOME_BEFORE
            and word not in _SHORT_VERBS and not is_verb_like(following))


def _predicate_people(tokens: tuple[Token, ...], candidate: CountCandidate) -> None:
    """The people a count names after a copula: "10 of whom were children", "Of the
    dead, 10 were children" -> victims "children"."""
    position = candidate.head + 1 if tokens[candidate.head].lower in ("whom", "them") else candidate.np_start
    if position >= len(tokens) or tokens[position].lower not in _COPULAS:
        return
    for index in range(position + 1, min(position + 5, len(tokens))):
        if tokens[index].lower in PEOPLE:
            candidate.np_start, candidate.head = position + 1, index
            return
        if tokens[index].text in STOP or tokens[index].text == "," or is_verb_like(tokens[index]):
            return


def _among_people(tokens: tuple[Token, ...], index: int) -> tuple[int, int] | None:
    """``(np_start, head)`` of the people in "among the rebels", "among government
    troops" starting at ``index`` (the word "among"), else None."""
    if index >= len(tokens) or tokens[index].lower not in ("among", "amongst"):
        return None
    for position in range(index + 1, min(index + 5, len(tokens))):
        lower = tokens[position].lower
        if lower in PEOPLE or lower in _GROUPS:
            while position + 1 < len(tokens) and (tokens[position + 1].lower in PEOPLE
                                                  or tokens[position + 1].lower in _GROUPS):
                position += 1  # "among the security forces", "among police officers"
            return index + 1, position
        if tokens[position].text in STOP or tokens[position].text == "," or is_verb_like(tokens[position]) \
                or (lower in FUNCTION and lower not in ("the", "a")) or any(ch.isdigit() for ch in lower):
            return None
    return None


def _people_after_verb(tokens: tuple[Token, ...], candidate: CountCandidate) -> None:
    """"Twenty were killed among the regime ranks": a bare count's people named after
    its outcome verb by "among"."""
    for position in range(candidate.tail_end, min(candidate.tail_end + 6, len(tokens))):
        if tokens[position].lower in OUTCOME_VERBS:
            among = _among_people(tokens, position + 1)
            if among is not None:
                candidate.np_start, candidate.head = among
            return


def _antecedent(tokens: tuple[Token, ...], first: int) -> tuple[int, int] | None:
    """``(np_start, head)`` of the plural people a relative part refers to: the noun
    right before the comma of ", 20 of whom died" ("the hostages, 20 of whom died"),
    with the person or side words before it ("the security forces, 3 of whom"), else None."""
    if first < 2 or tokens[first - 1].text != ",":
        return None
    head = first - 2
    lower = tokens[head].lower
    if lower not in PEOPLE or lower in ("them", "whom") or (not lower.endswith("s") and lower not in _PLURAL_FORMS):
        return None
    start = head
    while start > 0 and (tokens[start - 1].lower in PEOPLE or tokens[start - 1].lower in COMBATANT_MODIFIERS):
        start -= 1
    return start, head


def _named_victims(sentence: Sentence, amount: Amount) -> CountCandidate | None:
    """"killed 7 Hezbollah", "killing 12 Nusra": a name after a count that an outcome
    verb governs is the people it counts."""
    tokens = sentence.tokens
    joined = amount.first > 0 and tokens[amount.first - 1].lower in ("and", ",", "plus")
    if not joined and not outcome_before(sentence, amount.first):
        return None
    end = amount.last
    while end < len(tokens) and end - amount.last < 4 and not is_verb_like(tokens[end]) and (
            (tokens[end].is_capitalized and tokens[end].lower not in TIME_WORDS)
            or tokens[end].lower.startswith(("al-", "el-"))):
        end += 1
    if end == amount.last or (end < len(tokens) and tokens[end].lower not in FUNCTION
                              and tokens[end].text not in STOP):
        return None
    return CountCandidate(amount, head=end - 1, np_start=amount.last, tail_end=end)


def _read_outcome(sentence: Sentence, candidate: CountCandidate, ages: list[tuple[int, int]],
                  amount_starts: set[int]) -> None:
    """Set ``candidate.outcome`` (and where it came from) from the words around it."""
    tokens = sentence.tokens
    amount = candidate.amount
    if candidate.outcome is not None:
        if candidate.head is not None:
            candidate.outcome = outcome_pair(tokens, candidate.head, candidate.outcome)
        return
    before = outcome_before(sentence, amount.first)
    verb = tokens[amount.first - 1].lower if amount.first else ""
    if before == "killed" and verb in NEEDS_PEOPLE and candidate.head is None:
        before = None  # "lost 13", "destroyed 20": only "lost 13 soldiers" counts people
    if before == "killed" and verb in ("claimed", "claiming"):
        after, candidate.blocked = outcome_after(sentence, candidate.tail_end, ages, amount_starts)
        before = after or before  # "claimed 30 soldiers were captured", else "claiming scores"
    if before == "wounded" and later_died(tokens, candidate.tail_end):
        before = "killed"  # "wounded 30 people, who later died"
    if before:
        relative = any(t.lower in ("who", "that") for t in tokens[max(0, amount.first - 3):amount.first - 1])
        own = None if relative else own_predicate(tokens, candidate.tail_end, amount_starts)
        # "... injured At least six children were killed"; not after "who": "men who killed
        # 12 civilians were arrested" (the 12 are the killed)
        if own is not None and own != before:
            candidate.outcome, candidate.source = own, "after"
            return
        candidate.outcome, candidate.source = before, "before"
        return
    after, candidate.blocked = outcome_after(sentence, candidate.tail_end, ages, amount_starts)
    if after:
        candidate.outcome, candidate.source = after, "after"
        return
    toll = outcome_from_toll(sentence, amount.first, amount.last)
    if toll:
        candidate.outcome, candidate.source = toll, "toll"


def sentence_figures(sentence: Sentence, attributions: list[Attribution],
                     outlet: str, *, previous: CasualtyFigure | None = None) -> list[CasualtyFigure]:
    """The casualty figures stated in one sentence; ``previous`` is the last figure of
    the sentence before, for a breakdown that points back to it ("Among them were five
    children")."""
    ages = age_spans(sentence)
    candidates: list[CountCandidate] = []
    amounts = find_amounts(sentence, ages=ages)
    amount_starts = {a.first for a in amounts}
    wholes: set[int] = set()
    spans = {a.first: a.last for a in amounts}
    for amount in amounts:
        if denied_count(sentence.tokens, amount.first):
            continue  # "No one was killed", "None of the 30 passengers", "a father of five"
        candidate = _people(sentence, amount, spans, ages) or _named_victims(sentence, amount)
        if candidate is None or rate_after(sentence.tokens, candidate.tail_end):
            continue  # "kills 3 people a week": a rate, no toll
        if candidate.whole is not None:
            wholes.add(candidate.whole)
        elif amount.first in wholes and candidate.source != "noun" \
                and not _described_by_outcome(sentence.tokens, candidate.tail_end):
            continue  # "4 of the 10 hostages were killed": the 10 were not ("of the 19 dead" were)
        elif _whole_before_part(sentence.tokens, amount, amount_starts):
            continue  # "Of the 300 residents, 40 were killed": the 300 were not
        _read_outcome(sentence, candidate, ages, amount_starts)
        if candidate.head is None and candidate.source == "after":
            _people_after_verb(sentence.tokens, candidate)
        if candidate.head is not None and candidate.head == candidate.np_start \
                and sentence.tokens[candidate.head].lower in ("whom", "them"):
            antecedent = _antecedent(sentence.tokens, amount.first)
            if antecedent is not None:  # "the hostages, 20 of whom died": the hostages
                candidate.np_start, candidate.head = antecedent
        part_predicate_people(sentence.tokens, candidate)  # "Five of the victims were children"
        candidates.append(candidate)
    inherit_from_previous(sentence, candidates, previous)
    inherit_breakdowns(sentence, candidates)
    inherit_lists(sentence, candidates)
    drop_one_of_toll(candidates)
    figures: list[CasualtyFigure] = []
    previous_category: str | None = None
    for candidate in candidates:
        if candidate.outcome is None:
            continue
        if candidate.head is None and candidate.amount.reading.quantity_type == "vague" \
                and candidate.source not in ("before", "after"):
            continue  # "dozens" alone counts people only next to its verb
        candidate.category = victim_category(sentence, candidate, previous_category)
        previous_category = candidate.category
        amount = candidate.amount
        source = stated_by(attributions, amount.start, amount.end)
        figures.append(CasualtyFigure(
            quantity_text=amount.text, outcome=candidate.outcome,
            victims=victim_words(sentence, candidate), victim_category=candidate.category,
            quantity_type=amount.reading.quantity_type, low=amount.reading.low,
            high=amount.reading.high, stated_by=source.source if source else outlet,
            perpetrator=perpetrator(sentence, amount), quote=sentence.text,
        ))
    return figures


def _described_by_outcome(tokens: tuple[Token, ...], tail_end: int) -> bool:
    """True when the people of a whole are described by an outcome participle ("one of 12
    people killed", "one of the 30 people who were killed"): the whole is then the toll,
    as "of the 19 dead" is."""
    index = tail_end
    if index < len(tokens) and tokens[index].lower in ("who", "that"):
        index += 1
        while index < len(tokens) and tokens[index].lower in _COPULAS | {"had", "have", "been", "reportedly"}:
            index += 1
        if index == tail_end + 1:
            return False  # "who killed ...": the whole did the killing
    return index < len(tokens) and tokens[index].lower in OUTCOME_VERBS \
        and OUTCOME_VERBS[tokens[index].lower] != "captured"


def _whole_before_part(tokens: tuple[Token, ...], amount: Amount, amount_starts: set[int]) -> bool:
    """True for "Of the 300 residents, 40 were killed" (or "Of 300 residents"): a count
    after an opening "Of (the)" that a comma and another count follow is the whole the
    part is taken from."""
    of = amount.first - 1
    if of >= 1 and tokens[of].lower in _DETERMINERS:
        of -= 1
    if of < 0 or tokens[of].lower != "of":
        return False
    if of > 0 and tokens[of - 1].text not in STOP and tokens[of - 1].text != ",":
        return False
    for index in range(amount.last, min(amount.last + 6, len(tokens) - 1)):
        if tokens[index].text == ",":
            return index + 1 in amount_starts
        if tokens[index].text in STOP or tokens[index].lower in OUTCOME_NOUNS:
            return False  # "Of the 19 dead, 10 were children": the 19 are a toll
    return False


def is_cumulative(figure: CasualtyFigure) -> bool:
    """True for a toll of the whole war ("more than 300000 people have been killed since
    2011", or 10,000 and more): background, not the toll of the event reported."""
    return (figure.low or figure.high or 0) >= 10_000 or bool(_CUMULATIVE.search(figure.quote))
