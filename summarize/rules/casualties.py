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
   after the people, or a toll the count completes; else a breakdown of a figure already
   read ("including 6 children", "among them 13 police officers") or the outcome of the
   list the count stands in ("killed 12 fighters, 4 civilians and 2 medics", "Seven
   soldiers and three civilians were killed"). A vague word with no noun ("dozens")
   counts people only next to its own verb ("wounding dozens", "Dozens were injured").
3. **victims** are the words from the first word after the number (or after "of") to
   the noun; **victim_category** comes from cue words in them and in a following
   "including ..." (civilians, children, women, residents ... -> civilian; fighters,
   soldiers, militants, troops, rebels, terrorists, police ... -> combatant; both ->
   mixed; "others" and a count with no noun take the category of the figure before it;
   else unknown).
4. **stated_by** is the innermost attribution whose scope holds the number, else the
   outlet; **perpetrator** is read from "by X", "in X strikes", "clashes with X" or the
   subject of "X killed 19", when it names an actor.

The same figure stated again is one item (merge_repeats): the same number (also with
another qualifier: "31" in a headline, "at least 31" in the body) and outcome, from the
outlet or from the same source (also named once generically: "a monitor" and "the
Syrian Observatory ..."); vague words only when repeated verbatim for the same people.
A different source stating the same number is a separate item.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarize.quantities import NUMBER_WORDS, QUALIFIERS, read_quantity
from summarize.rules.amounts import Amount, age_spans, find_amounts
from summarize.rules.attribution import Attribution, stated_by
from summarize.rules.outcomes import (
    BREAKDOWN,
    CONTEXT_BEFORE,
    FUNCTION,
    STOP,
    is_verb_like,
    outcome_after,
    outcome_before,
    outcome_from_toll,
    outcome_pair,
)
from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import TIME_WORDS, source_type
from summarize.rules.vocabulary import (
    ACTORS,
    ATTACKS,
    AUXILIARIES,
    CIVILIAN,
    COMBATANT,
    COMBATANT_MODIFIERS,
    OUTCOME_BEFORE,
    OUTCOME_NOUNS,
    OUTCOME_VERBS,
    PEOPLE,
)
from summarize.schema import CasualtyFigure

_DETERMINERS = {"the", "their", "its", "his", "her", "these", "those", "our", "other"}
#: Words between a count and its people that add nothing: "five more bodies", "two other".
_MORE = {"more", "other", "additional", "further", "extra"}
#: Words that join a count to the figure before it in a list: "12 fighters, 4 civilians
#: and 2 medics", "15 dead among the rebels and 23 among their opponents, as well as two".
_LIST_JOINS = {",", "and", "as", "well", "plus", "besides", "in", "addition", "to", "another"}
#: Words a list may carry between two counts: a place or side of the figure before.
_LIST_FILLER = {"among", "in", "on", "from", "of", "the", "their", "its", "side", "ranks",
                "them", "whom", "each"}
_COUNTING = {"number", "few", "dozen", "handful", "total", "score", "large", "great", "small"}
_BARE_SUBJECT = {"were", "was", "have", "has", "had", "are", "is", "may", "might", "could", "suffered", "sustained", "succumbed",
                 "lost"} | set(OUTCOME_VERBS) | set(OUTCOME_BEFORE)
#: Words that may follow a count with no noun: "killing 30 Monday", "killing 30 – ...".
_BARE_FOLLOWERS = {"according", "-", "–", "—", "today", "yesterday", "overnight", "monday", "tuesday",
                   "wednesday", "thursday", "friday", "saturday", "sunday", "last", "earlier"}
#: Verbs before "40 lives" that make it a toll ("claimed 40 lives").
_TAKING_LIVES = {"claimed", "claiming", "claims", "claim", "cost", "costing", "costs", "took",
                 "taking", "takes", "lost", "losing"}
_Source = str  # where the outcome was read: noun, before, after, toll, list, breakdown


@dataclass
class _Candidate:
    """A quantity phrase being read as a casualty figure."""

    amount: Amount
    head: int | None = None          # token index of the people noun
    np_start: int = 0                # token index where the victims' words start
    outcome: str | None = None
    category: str = "unknown"
    tail_end: int = 0                # token index after the victims' words and asides
    source: _Source = ""             # how the outcome was read
    blocked: bool = False            # another verb follows the people ("300 members entered")


def _people(sentence: Sentence, amount: Amount) -> _Candidate | None:
    """Find the people noun after ``amount``; None when it counts something else."""
    tokens = sentence.tokens
    index = amount.last
    while index < len(tokens) and tokens[index].lower in _MORE:
        index += 1  # "five more bodies", "dozens more"
    after_more = index
    candidate = _Candidate(amount, np_start=index, tail_end=index)
    if index < len(tokens) and tokens[index].lower in ("of", "among"):
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
        if offset == 0 and lower in ("lives", "souls") and amount.first > 0 \
                and tokens[amount.first - 1].lower in _TAKING_LIVES:
            candidate.head, candidate.outcome, candidate.source = position, "killed", "noun"
            break
        if offset == 0 and lower in OUTCOME_NOUNS:
            candidate.head, candidate.outcome, candidate.source = position, OUTCOME_NOUNS[lower], "noun"
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
            candidate.outcome = outcome_pair(tokens, position, OUTCOME_VERBS[lower])  # "10 killed"
            candidate.head, candidate.source = None, "noun"
            candidate.tail_end = position
            return candidate
        if lower in FUNCTION or token.text in STOP or token.text == "," or is_verb_like(token) \
                or any(ch.isdigit() for ch in lower):
            break
    if candidate.head is None:
        following = tokens[after_more] if after_more < len(tokens) else None
        if following is None or following.lower in FUNCTION or following.text in STOP \
                or following.lower in _BARE_SUBJECT or following.lower in _BARE_FOLLOWERS:
            candidate.np_start = after_more
            candidate.tail_end = after_more
            return candidate  # "killing 17 on Monday", "Twenty were killed": no noun
        return None
    candidate.tail_end = candidate.head + 1
    return candidate


def _category(sentence: Sentence, candidate: _Candidate, previous: str | None) -> str:
    tokens = sentence.tokens
    if candidate.head is None or tokens[candidate.head].lower in OUTCOME_NOUNS:
        return previous or "unknown"  # "18 civilians were killed and dozens wounded"
    words = [t.lower for t in tokens[candidate.np_start:candidate.head + 1]]
    tail = candidate.head + 1
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
        if tokens[index].text in STOP:
            break
    verb = amount.first - 1
    while verb >= 0 and tokens[verb].lower in CONTEXT_BEFORE:
        verb -= 1
    if verb > 0 and tokens[verb].lower in OUTCOME_BEFORE:
        start = verb
        while start > 0 and verb - start < 7 and tokens[start - 1].text not in STOP \
                and (tokens[start - 1].lower not in FUNCTION or tokens[start - 1].lower == "and") \
                and not any(ch.isdigit() for ch in tokens[start - 1].text):
            start -= 1
        subject = list(tokens[start:verb])
        if subject and any(t.lower in ACTORS for t in subject):
            return sentence.slice(subject[0].start, subject[-1].end)
    return None


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


def _named_victims(sentence: Sentence, amount: Amount) -> _Candidate | None:
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
    return _Candidate(amount, head=end - 1, np_start=amount.last, tail_end=end)


def _read_outcome(sentence: Sentence, candidate: _Candidate, ages: list[tuple[int, int]],
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
    if before == "killed" and verb in ("lost", "losing") and candidate.head is None:
        before = None  # "lost 13": only "lost 13 soldiers" counts people
    if before == "killed" and verb in ("claimed", "claiming"):
        after, candidate.blocked = outcome_after(sentence, candidate.tail_end, ages, amount_starts)
        before = after or before  # "claimed 30 soldiers were captured", else "claiming scores"
    if before:
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
                     outlet: str) -> list[CasualtyFigure]:
    """The casualty figures stated in one sentence."""
    ages = age_spans(sentence)
    candidates: list[_Candidate] = []
    amounts = find_amounts(sentence)
    amount_starts = {a.first for a in amounts}
    for amount in amounts:
        candidate = _people(sentence, amount) or _named_victims(sentence, amount)
        if candidate is None:
            continue
        _read_outcome(sentence, candidate, ages, amount_starts)
        candidates.append(candidate)
    _inherit_breakdowns(sentence, candidates)
    _inherit_lists(sentence, candidates)
    figures: list[CasualtyFigure] = []
    previous_category: str | None = None
    for candidate in candidates:
        if candidate.outcome is None:
            continue
        if candidate.head is None and candidate.amount.reading.quantity_type == "vague" \
                and candidate.source not in ("before", "after"):
            continue  # "dozens" alone counts people only next to its verb
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
        if before & BREAKDOWN:
            earlier = [c for c in candidates[:position] if c.outcome]
            if earlier:
                candidate.outcome, candidate.source = earlier[-1].outcome, "breakdown"
                continue
        after = [t.lower for t in tokens[candidate.tail_end:candidate.tail_end + 2]]
        if "among" in after:
            later = [c for c in candidates[position + 1:] if c.outcome]
            if later and later[0].amount.first <= candidate.tail_end + 3:
                candidate.outcome, candidate.source = later[0].outcome, "breakdown"


def _joined(tokens: tuple[Token, ...], start: int, end: int) -> bool:
    """True when the words ``[start, end)`` only join two counts of a list: a comma,
    "and", "as well as", "plus", with at most a short "among the rebels" before them."""
    words, depth = [], 0
    for token in tokens[start:end]:  # "2 women (a nurse and an employee) as well as 2 soldiers"
        depth += (token.text == "(") - (token.text == ")")
        if depth == 0 and token.text != ")":
            words.append(token)
    if not words or len(words) > 8 or words[-1].lower not in _LIST_JOINS:
        return False
    return all(t.lower in _LIST_JOINS or t.lower in _LIST_FILLER or t.lower in PEOPLE
               or (t.is_capitalized and not is_verb_like(t)) for t in words)


def _inherit_lists(sentence: Sentence, candidates: list[_Candidate]) -> None:
    """A count in a list takes the outcome of the list: "killed 12 fighters, 4 civilians
    and 2 medics", "15 dead among the rebels and 23 among their opponents, as well as
    two civilians"; and "Seven soldiers and three civilians were killed" backwards."""
    tokens = sentence.tokens
    for position, candidate in enumerate(candidates):
        if candidate.outcome is not None or candidate.blocked:
            continue
        earlier = candidates[position - 1] if position else None
        if earlier is not None and earlier.outcome and _joined(tokens, earlier.tail_end, candidate.amount.first):
            candidate.outcome, candidate.source = earlier.outcome, "list"
            continue
        later = candidates[position + 1] if position + 1 < len(candidates) else None
        if later is not None and later.outcome and later.source == "after" and candidate.head is not None \
                and _joined(tokens, candidate.tail_end, later.amount.first):
            candidate.outcome, candidate.source = later.outcome, "list"


def _named(figure: CasualtyFigure) -> tuple[object, ...]:
    """The number a figure writes, without its qualifier: "31", "at least 31" and "more
    than 31" all name 31; ranges and vague words are their reading."""
    if figure.quantity_type in ("range", "vague"):
        return (figure.quantity_type, figure.low, figure.high)
    text = " ".join(figure.quantity_text.lower().split())
    for qualifier in QUALIFIERS:
        if text.startswith(qualifier + " "):
            text = text[len(qualifier) + 1:]
            break
    reading = read_quantity(text)
    return ("number", reading.low if reading is not None else figure.low)


#: Names of bodies a person may speak for: one source with its director or spokesman.
_BODIES = frozenset("""observatory ministry army coalition council committee commission agency front
    command crescent helmets defence defense directorate network organisation organization""".split())


def _generic(source: str) -> bool:
    """True for a source named without a name: "a monitor", "State media", "Syrian state
    media", "activists" (no capitalised word after the first)."""
    words = source.split()
    return not any(w[:1].isupper() for w in words[1:]) and (len(words) > 1 or source.islower())


def _same_source(a: str, b: str) -> bool:
    """One source named twice: the same words, one name inside the other, or a generic
    naming ("a monitor") of a source of the same type ("the Syrian Observatory ...")."""
    x, y = a.lower().removeprefix("the "), b.lower().removeprefix("the ")
    if x == y or x in y or y in x:
        return True
    bodies = {w.lower() for w in a.split() if w[:1].isupper()} & \
        {w.lower() for w in b.split() if w[:1].isupper()} & _BODIES
    if bodies and source_type(a) == source_type(b):
        return True  # "the Syrian Observatory ..." and "Observatory director Rami Abdel Rahman"
    return (_generic(a) or _generic(b)) and source_type(a) == source_type(b) != "other"


def _same_figure(a: CasualtyFigure, b: CasualtyFigure, outlet: str) -> bool:
    if a.outcome != b.outcome:
        return False
    if "vague" in (a.quantity_type, b.quantity_type):
        # "Scores" in Aleppo and "Scores" in Hasaka are two events: only a verbatim repeat
        return (a.quantity_text.lower(), _victims_key(a), a.stated_by) == \
            (b.quantity_text.lower(), _victims_key(b), b.stated_by)
    if _named(a) != _named(b) or (a.quantity_type != b.quantity_type and "exact" not in
                                  (a.quantity_type, b.quantity_type)):
        return False  # "more than twenty" and "about twenty" are two statements
    if "unknown" not in (a.victim_category, b.victim_category) and a.victim_category != b.victim_category:
        return False  # "2 women ... as well as 2 soldiers"
    if a.quote == b.quote and _victims_key(a) != _victims_key(b) and a.quantity_type == b.quantity_type:
        return False  # "killed 5 people and 5 children"; but a headline run into its lead is one
    return outlet in (a.stated_by, b.stated_by) or _same_source(a.stated_by, b.stated_by)


def _victims_key(figure: CasualtyFigure) -> str:
    words = figure.victims.lower().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _rank(figure: CasualtyFigure, outlet: str) -> tuple[bool, bool, bool]:
    """Which of two mentions of one figure to keep: the attributed one, the one that
    names its source, the one that keeps the qualifier a headline drops ("at least")."""
    attributed = figure.stated_by != outlet
    return attributed, attributed and not _generic(figure.stated_by), figure.quantity_type != "exact"


def merge_repeats(figures: list[CasualtyFigure], outlet: str) -> list[CasualtyFigure]:
    """One item per figure: the same number and outcome stated again (also with another
    qualifier: "31" in the headline, "at least 31" in the body) is one item, unless a
    different source states it. The mention kept is the attributed one, else the one
    naming its source, else the one with a qualifier, else the first."""
    kept: list[CasualtyFigure] = []
    for figure in figures:
        same = next((i for i, k in enumerate(kept) if _same_figure(k, figure, outlet)), None)
        if same is None:
            kept.append(figure)
        elif _rank(figure, outlet) > _rank(kept[same], outlet):
            kept[same] = figure
    return kept
