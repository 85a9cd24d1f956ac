"""A death reported only through a singular victim: "claimed the life of a woman", "a
child was killed", "left a child dead".

The annotation guide (evals/GUIDELINES.md) says a singular with only an article ("a
soldier was killed") is not a figure, and the hand-labelled gold sets follow it. This
backend keeps the guide for every article that states a killed figure of its own, and
diverges from it, on purpose, for an article whose only report of a death is such a
singular: there the death is the article's toll, and leaving it out would report an
article about a killing as reporting none (the toll an analyst looks for, and the one
crowd-labelled tolls count, is 1). The item is a killed figure, exact 1/1, whose
``quantity_text`` is the article's own words from the article to the noun ("a woman",
"A young child"): a verbatim slice, so grounding finds it and no number is invented.

A singular is read when "a"/"an" (not after "not", "no", "without") reaches a word for
one person within four words ("a woman", "a 6-year-old girl", "an elderly man") and an
outcome that is "killed" stands before it ("killed a woman", "the life of a woman", "the
death of a child") or after it ("a child was killed", "a soldier died", "left a child
dead"); a figure for the whole war ("since 2011", 10,000 and more) is background and
does not count as the article's own killed figure. A telegraphic headline drops the
article: a capitalised person word that opens it and a verb of death ("Child killed 9
Civilians Injured", "Woman killed, 12 injured ...") count one person the same way. One
item per person word and source: "a child" in the lead and again in the body is one
death.
"""

from __future__ import annotations

from collections.abc import Iterable

from summarize.quantities import QuantityReading
from summarize.rules.amounts import Amount, age_spans
from summarize.rules.attribution import Attribution, stated_by
from summarize.rules.casualties import is_cumulative, modifies_a_thing
from summarize.rules.outcomes import FUNCTION, STOP, is_verb_like, outcome_after, outcome_before
from summarize.rules.perpetrators import perpetrator
from summarize.rules.sentences import Sentence
from summarize.rules.vocabulary import CIVILIAN, COMBATANT, COMBATANT_MODIFIERS, OUTCOME_BEFORE
from summarize.schema import CasualtyFigure

#: Words for one person that "a"/"an" may count.
SINGULAR_PEOPLE = frozenset("""
    person man woman child boy girl baby infant toddler kid teenager youth minor civilian
    resident villager citizen refugee student pupil teacher worshipper worshiper farmer
    shepherd worker employee driver passenger pedestrian doctor nurse medic paramedic
    rescuer volunteer journalist reporter photographer cameraman activist mother father
    son daughter brother sister husband wife relative soldier fighter militant rebel
    jihadist terrorist insurgent gunman militiaman officer policeman guard commander conscript
    recruit sniper pilot member leader official detainee prisoner hostage
""".split())
_NEGATIONS = {"not", "no", "nor", "without", "never"}
_ONE = QuantityReading("exact", 1, 1)


def _head(sentence: Sentence, determiner: int, ages: list[tuple[int, int]]) -> int | None:
    """Index of the person word "a"/"an" at ``determiner`` counts, or None."""
    tokens = sentence.tokens
    for index in range(determiner + 1, min(determiner + 5, len(tokens))):
        token = tokens[index]
        if token.lower in SINGULAR_PEOPLE and not modifies_a_thing(tokens, index):
            while index + 1 < len(tokens) and tokens[index + 1].lower in SINGULAR_PEOPLE:
                index += 1  # "a rebel commander", "a militant leader"
            return index
        in_age = any(a <= token.start < b for a, b in ages)
        if not in_age and (token.text in STOP or token.text == "," or token.lower in FUNCTION
                           or is_verb_like(token) or any(ch.isdigit() for ch in token.text)):
            return None
    return None


#: Verbs that tell a death with the person as their subject: "a child died".
_INTRANSITIVE = {"died", "dies", "perished", "succumbed", "drowned", "lost"}


def _agent(tokens: tuple, head: int) -> bool:
    """True when the person is the subject of an active outcome verb ("a gunman killed
    ...", "a soldier who killed ..."): the one who killed, not the one killed."""
    index = head + 1
    if index < len(tokens) and tokens[index].lower in ("who", "that"):
        index += 1
    while index < len(tokens) and tokens[index].lower in ("also", "reportedly", "allegedly", "then"):
        index += 1
    if index >= len(tokens):
        return False
    lower = tokens[index].lower
    return lower in OUTCOME_BEFORE and lower not in _INTRANSITIVE


#: Participles that tell a headline's bare person noun was killed: "Child killed ...".
_HEADLINE_DEATHS = {"killed", "dies", "died", "slain", "martyred", "executed", "murdered"}
#: Marks after which a headline's words start again: "Daraa: Child killed".
_HEADLINE_OPENERS = {":", "-", "–", "—", "|"}


def _headline_singular(sentence: Sentence) -> int | None:
    """Index of a headline's bare singular victim, else None: a capitalised person word
    with no article that opens the sentence (or follows a colon or dash) and is followed
    by a verb of death ("Child killed 9 Civilians Injured", "Woman killed, 12 injured in
    shelling", "Daraa: Soldier dies in shelling"). Telegraphic headlines drop the article:
    the noun counts one person. ("Gunman killed 9 people" gives a killed figure of its
    own, so the singular is never used there: see only_singular_deaths.)"""
    tokens = sentence.tokens
    for index in range(min(len(tokens) - 1, 4)):
        if index and tokens[index - 1].text not in _HEADLINE_OPENERS:
            continue
        token, verb = tokens[index], tokens[index + 1].lower
        if not (token.is_capitalized and token.lower in SINGULAR_PEOPLE and verb in _HEADLINE_DEATHS):
            continue
        return index
    return None


def sentence_singulars(sentence: Sentence, attributions: list[Attribution],
                       outlet: str) -> list[CasualtyFigure]:
    """Killed figures of one person counted by "a"/"an" in ``sentence``, or by a headline's
    bare person noun ("Child killed ...", see the module docstring); the caller keeps
    them only when the article has no killed figure."""
    tokens = sentence.tokens
    headline = _headline_singular(sentence)
    if headline is None and not any(t.lower in ("a", "an") for t in tokens):
        return []
    ages = age_spans(sentence)
    found: list[CasualtyFigure] = []
    for index, token in enumerate(tokens):
        if index == headline:  # "Child killed 9 Civilians Injured": the noun is its own count
            head, first = index, index
        else:
            if token.lower not in ("a", "an") or (index and tokens[index - 1].lower in _NEGATIONS):
                continue
            head = _head(sentence, index, ages)
            if head is None:
                continue
            outcome = outcome_before(sentence, index)
            if outcome is None and not _agent(tokens, head):
                outcome, _ = outcome_after(sentence, head + 1, ages, set())
            if outcome != "killed":
                continue
            first = index + 1
        start, end = token.start, tokens[head].end
        amount = Amount(sentence.slice(start, end), start, end, _ONE, index, head + 1)
        words = [t.lower for t in tokens[first:head + 1]]
        civilian = any(w in CIVILIAN for w in words)
        combatant = any(w in COMBATANT or w in COMBATANT_MODIFIERS for w in words)
        source = stated_by(attributions, start, end)
        found.append(CasualtyFigure(
            quantity_text=amount.text, outcome="killed",
            victims=sentence.slice(tokens[first].start, end),
            victim_category="mixed" if civilian and combatant else "civilian" if civilian
            else "combatant" if combatant else "unknown",
            quantity_type="exact", low=1, high=1,
            stated_by=source.source if source else outlet,
            perpetrator=perpetrator(sentence, amount), quote=sentence.text,
        ))
    return found


def only_singular_deaths(figures: Iterable[CasualtyFigure], singulars: Iterable[CasualtyFigure],
                         outlet: str) -> list[CasualtyFigure]:
    """The singular deaths to add to ``figures``: none when the article states a killed
    figure of its own (a toll of the whole war aside), else one per person word and
    source, the attributed mention first."""
    if any(f.outcome == "killed" and not is_cumulative(f) for f in figures):
        return []
    kept: dict[tuple[str, str], CasualtyFigure] = {}
    for figure in singulars:
        person = figure.victims.lower().split()[-1]
        sources = {k[1] for k in kept if k[0] == person}
        if sources and (figure.stated_by == outlet or outlet in sources):
            if outlet in sources and figure.stated_by != outlet:  # the attributed mention
                kept.pop((person, outlet))
                kept[(person, figure.stated_by)] = figure
            continue
        kept.setdefault((person, figure.stated_by), figure)
    return list(kept.values())
