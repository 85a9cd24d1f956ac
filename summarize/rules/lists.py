"""The outcome a count takes from the figures around it in its sentence, when no word
of its own gives one (summarize.rules.casualties reads those first):

- a **breakdown** of a figure already read: "19 dead including 6 children", "3 of them
  were soldiers", or of one read after it: "six children were among 19 civilians killed";
- the **list** it stands in: "killed 12 fighters, 4 civilians and 2 medics", "15 dead
  among the rebels and 23 among their opponents, as well as two civilians", backwards
  "Seven soldiers and three civilians were killed"; a gapped list that repeats only the
  place or side ("150 bodies were counted in A, 100 in B and 67 in C"); the end of an
  outcome verb's object list ("killed himself and 14 others", "killed a mother and her
  four children", "the dead included the mayor and 3 guards");
- a breakdown of the figure that ends the sentence before, pointed to by "them":
  "Among them were five children", "They included five children", "The 12 included five
  children", "Five of them were children", "Five children were among them"; also two
  sentences after it when the one between names no people and no number ("The strikes
  hit the market"), so nothing else can be "them", and in the clause a short "It said
  (that)" opens ("It said twelve of them were children");
- and a part that is "one" of a toll is no figure of its own ("She was one of 12 people
  killed": the 12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarize.quantities import number_value
from summarize.rules.amounts import looks_like_year
from summarize.rules.placelists import heading_outcome, is_place_before, list_count
from summarize.rules.outcomes import BREAKDOWN, FUNCTION, STOP, is_verb_like, outcome_before
from summarize.rules.sentences import Sentence, Token
from summarize.rules.vocabulary import OUTCOME_BEFORE, PEOPLE, REPORTING_VERBS

if TYPE_CHECKING:
    from summarize.rules.casualties import CountCandidate
    from summarize.schema import CasualtyFigure

#: Words that join a count to the figure before it in a list: "12 fighters, 4 civilians
#: and 2 medics", "15 dead among the rebels and 23 among their opponents, as well as two".
_LIST_JOINS = {",", "and", "as", "well", "plus", "besides", "in", "addition", "to", "another"}
#: Words a list may carry between two counts: a place or side of the figure before.
_LIST_FILLER = {"among", "in", "on", "from", "of", "the", "their", "its", "side", "ranks",
                "them", "whom", "each"}


def drop_one_of_toll(candidates: list[CountCandidate]) -> None:
    """"She was one of 12 people killed": the toll is the 12; "one" names a person among
    them (like "a child was among those killed", no figure of its own), not a count."""
    starts = {c.amount.first: c for c in candidates}
    for candidate in candidates:
        whole = starts.get(candidate.whole) if candidate.whole is not None else None
        if whole is not None and whole.outcome and candidate.amount.text.lower() == "one":
            candidate.outcome = None


#: Sentence openings that point to the people of the sentence before: "Among them were
#: five children", "They included five children".
_POINTING = (("among", "them"), ("they", "included"), ("they", "include"), ("these", "included"))


#: Words for the people a toll counts, after "of the" in a part: "five of the victims",
#: "two of those killed", "ten of the dead".
_HARMED = {"victims", "dead", "deceased", "casualties", "killed", "wounded", "injured", "fatalities"}


def harmed_part(tokens: tuple[Token, ...], candidate: CountCandidate) -> int | None:
    """The index after the harmed people a part is taken from ("At least five of the
    victims", "Two of those killed"), else None: such a part counts no new people."""
    index = candidate.amount.last
    if index >= len(tokens) or tokens[index].lower != "of":
        return None
    index += 1
    if index < len(tokens) and tokens[index].lower in ("the", "those", "these", "their"):
        index += 1
    if index + 1 < len(tokens) and tokens[index + 1].text in ("'", "’", "'s", "’s"):
        return None  # "Five of the victims' relatives": a part of their relatives
    return index + 1 if index < len(tokens) and tokens[index].lower in _HARMED else None


#: Words after the copula of a part that say where its people are from or what they
#: did, not what they are: "were from Aleppo", "were in their teens".
_NOT_A_CATEGORY = {"from", "in", "of", "among", "at", "with", "under", "on", "by", "not", "no", "all", "both"}


def part_predicate_people(tokens: tuple[Token, ...], candidate: CountCandidate) -> None:
    """The people a part of the harmed names after a copula: "Five of the victims were
    children", "Two of those killed were women" -> victims "children", "women"."""
    end = harmed_part(tokens, candidate)
    if end is None or end >= len(tokens) or tokens[end].lower not in ("were", "was", "are", "is"):
        return
    for index in range(end + 1, min(end + 5, len(tokens))):
        if tokens[index].lower in PEOPLE:
            candidate.np_start, candidate.head = end + 1, index
            while candidate.head + 1 < len(tokens) and tokens[candidate.head + 1].lower in PEOPLE:
                candidate.head += 1
            candidate.tail_end = candidate.head + 1
            return
        if tokens[index].text in STOP or tokens[index].text == "," or is_verb_like(tokens[index]) \
                or tokens[index].lower in _NOT_A_CATEGORY:
            return  # "Five of the victims were from one family": no category of people


def inherit_from_previous(sentence: Sentence, candidates: list[CountCandidate],
                          previous: CasualtyFigure | None) -> None:
    """A breakdown of the last figure of the sentence before (``previous``): the
    sentence's first count, when "them", "they" or the same number points back to those
    people ("Among them were five children", "They included five children", "Five of
    them were children", "Five children were among them"); a list after it follows
    (summarize.rules.casualties calls inherit_lists next)."""
    if previous is None or not candidates or candidates[0].outcome is not None or candidates[0].blocked:
        return
    tokens = sentence.tokens
    first = candidates[0]
    base = _reported_clause(tokens)  # "It said twelve of them were children": the clause after the cue
    start = first.amount.first - base
    opening = tuple(t.lower for t in tokens[base:base + 2])
    following = [t.lower for t in tokens[first.amount.last:first.amount.last + 3]]
    after = [t.lower for t in tokens[first.tail_end:first.tail_end + 4]]
    restated = len(tokens) > base + 2 and opening[:1] == ("the",) and tokens[base + 2].lower in ("included", "include") \
        and number_value(tokens[base + 1].lower) in (previous.low, previous.high)  # "The 12 included five children"
    pointed = ((opening in _POINTING or restated) and start <= 3) or (start == 0 and harmed_part(tokens, first)) or (
        start == 0 and following[:2] == ["of", "them"] and following[2:] in (["were"], ["are"])) or (
        first.head is not None and after[:3] in (["were", "among", "them"], ["are", "among", "them"])
        and (len(after) == 3 or after[3] in (".", ",")))
    whole = max((v for v in (previous.low, previous.high) if v is not None), default=None)
    part = first.amount.reading.low
    if pointed and not (whole is not None and part is not None and part > whole):  # no part beyond the whole
        first.outcome, first.source = previous.outcome, "breakdown"


#: Words for groups of people beyond PEOPLE and vague amounts ("Rescue teams searched the
#: rubble", "Dozens of homes burned"): a later "them" may be theirs.
_OTHER_THEM = frozenset("teams crews units groups squads brigades several many numerous dozens hundreds "
                        "thousands scores tens few".split())


def lets_through(sentence: Sentence) -> bool:
    """True when ``sentence`` stands between a toll and its breakdown without anything a
    later "them" could point to instead: no number, no amount and no word for people ("...
    30 were killed. The strikes hit the market. Twelve of them were children": the twelve
    are a part of the 30, not a toll of their own)."""
    return not any(number_value(t.lower) is not None or any(ch.isdigit() for ch in t.text)
                   or t.lower in PEOPLE or t.lower in _OTHER_THEM for t in sentence.tokens)


def _reported_clause(tokens: tuple[Token, ...]) -> int:
    """The index where the reported clause opens when the sentence opens with a short
    "<speaker> said (that)" ("It said", "The monitor added that"), else 0."""
    if not tokens or not tokens[0].text.isalpha() or number_value(tokens[0].lower) is not None:
        return 0
    for index in range(1, min(5, len(tokens))):
        if tokens[index].lower in REPORTING_VERBS:
            that = index + 1 < len(tokens) and tokens[index + 1].lower == "that"
            return index + 1 + that
        if not tokens[index].text.isalpha() or number_value(tokens[index].lower) is not None:
            return 0  # "Twelve of them said ...": the count is no part of a reported clause
    return 0


def inherit_breakdowns(sentence: Sentence, candidates: list[CountCandidate]) -> None:
    """"19 dead including 6 children", "six children were among 19 civilians killed"."""
    tokens = sentence.tokens
    for position, candidate in enumerate(candidates):
        if candidate.outcome is not None or candidate.head is None:
            continue
        before = {t.lower for t in tokens[max(0, candidate.amount.first - 2):candidate.amount.first]}
        following = [t.lower for t in tokens[candidate.amount.last:candidate.amount.last + 2]]
        if before & BREAKDOWN or following in (["of", "whom"], ["of", "them"]) \
                or harmed_part(tokens, candidate):  # "3 of them were soldiers", "five of the victims"
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


#: Prepositions that open the place or side a gapped count repeats: "12 were killed in
#: Aleppo and 3 in Idlib", "150 bodies were counted in A, 100 in B".
_GAP_PREPOSITIONS = {"in", "among", "amongst", "at", "on", "from", "near", "inside"}


def _gapped(tokens: tuple[Token, ...], earlier: CountCandidate, candidate: CountCandidate) -> bool:
    """True for the second count of a gapped list, which shares the verb of the first and
    repeats only its place or side: "150 bodies were counted in Hammouriya, 100 in Kfar
    Batna and 67 in Saqba", "Twenty were killed among the regime ranks and 12 among the
    rebel factions". The count follows a comma or "and" and is followed by the
    preposition that follows the first count's words."""
    first, last = candidate.amount.first, candidate.amount.last
    if first == 0 or last >= len(tokens):
        return False
    preposition = tokens[last].lower
    if preposition not in _GAP_PREPOSITIONS:
        return False
    if tokens[first - 1].lower not in (",", "and"):
        place = first - 1  # a text that lost its commas: "in Hammouriya 100 in Kfar Batna"
        while place > 0 and first - place <= 3 and tokens[place].is_capitalized:
            place -= 1
        if place == first - 1 or tokens[place].lower != preposition:
            return False
    between = tokens[earlier.amount.last:first]
    if len(between) > 16 or any(t.text in STOP or any(ch.isdigit() for ch in t.text) for t in between):
        return False
    return any(t.lower == preposition for t in between)


def _year(candidate: CountCandidate) -> bool:
    """True for a bare count that reads as a year ("2016")."""
    return looks_like_year(candidate.amount.text)


def _place_item(tokens: tuple[Token, ...], candidate: CountCandidate) -> bool:
    """True for a bare count that a place names and a list mark ends: the "100" of "150
    bodies in Hammouriya, Kfar Batna 100", the "4" of "Hama, 4, Homs, 7"."""
    first, last = candidate.amount.first, candidate.amount.last
    if candidate.head is not None or first == 0:
        return False
    if _year(candidate):
        return False  # "killed 12 people in Aleppo, Hama 2016": a year
    if last < len(tokens) and tokens[last].text not in (",", ";", ".", ")") and tokens[last].lower != "and":
        return False
    place_end = first - 1 if tokens[first - 1].text == "," else first
    return is_place_before(tokens, place_end) or list_count(tokens, first)


def _place_list_outcome(sentence: Sentence, earlier: CountCandidate | None,
                        candidate: CountCandidate) -> str | None:
    """The outcome a place-and-count item takes: that of the figure before it in the
    sentence ("150 bodies in Hammouriya, Kfar Batna 100", "killed 12: Hama, 4, Homs, 8"),
    or of the heading before the colon that opens the list ("Deaths by province: Hama, 4,
    Homs, 7", "Deaths: 4 in Hama, 7 in Homs")."""
    tokens = sentence.tokens
    first, last = candidate.amount.first, candidate.amount.last
    if first and tokens[first - 1].text == ":" and candidate.head is None and last + 1 < len(tokens) \
            and tokens[last].lower in ("in", "at") and tokens[last + 1].is_capitalized and not _year(candidate):
        return heading_outcome(tokens, first - 1)  # "Deaths: 4 in Hama, 7 in Homs" (the 7 is gapped)
    if not _place_item(tokens, candidate):
        return None
    colon = next((i for i in range(first - 1, max(first - 6, -1), -1) if tokens[i].text == ":"), None)
    heading = heading_outcome(tokens, colon) if colon is not None else None
    if heading is not None and (earlier is None or earlier.amount.last <= colon - 2):
        return heading  # "Deaths: Hama, 4; Injuries: Idlib, 9": the nearer heading decides
    if earlier is not None:
        between = tokens[earlier.tail_end:first]
        if not earlier.outcome or len(between) > 10 \
                or any(t.text in STOP - {":"} or any(ch.isdigit() for ch in t.text) or is_verb_like(t) for t in between):
            return None
        return earlier.outcome
    return heading


#: Verbs that list the dead after "the dead" or "among the dead": "The dead included the
#: mayor and 3 guards", "Among the dead were a doctor and two nurses".
_LISTING = {"included", "include", "includes", "were", "are"}


def _after_singular_object(sentence: Sentence, first: int) -> str | None:
    """The outcome of a verb whose object list a count ends: "killed himself and 14
    others", "killing the driver and two passengers", "the dead included the mayor and
    3 guards" (the first object has no number of its own, so no figure to take the
    outcome from)."""
    tokens = sentence.tokens
    if first >= 4 and tokens[first - 1].lower in ("her", "his", "their") and tokens[first - 2].lower == "and":
        first -= 1  # "killed a mother and her four children"
    if first < 3 or tokens[first - 1].lower != "and":
        return None
    for index in range(first - 2, max(first - 7, -1), -1):
        token = tokens[index]
        if token.lower in OUTCOME_BEFORE:
            return OUTCOME_BEFORE[token.lower] if index < first - 2 else None
        if token.lower in _LISTING:
            return outcome_before(sentence, index + 1) if index < first - 2 else None
        if token.text in STOP or token.text == "," or any(ch.isdigit() for ch in token.text) \
                or is_verb_like(token) or (token.lower in FUNCTION and token.lower not in ("the", "a", "an")):
            return None
    return None


def _relative_part(tokens: tuple[Token, ...], candidate: CountCandidate) -> bool:
    """True for "20 of whom", "20 of them": a part of the count before it, whose verb is the
    part's own ("Rebels attacked 40 soldiers, 20 of whom died": the 40 did not all die)."""
    following = [t.lower for t in tokens[candidate.amount.last:candidate.amount.last + 2]]
    return following in (["of", "whom"], ["of", "them"])


#: Lower-case words a list read backwards from its verb may follow: a list that opens a
#: subject follows a clause's start ("and", "said", "the"), never a verb or a preposition
#: of its own ("sent 300 troops", "a survey of 300 people").
_SUBJECT_OPENERS = {"and", "or", "but", "while", "whereas", "as", "after", "when", "where", "then", "that",
                    "said", "says", "say", "told", "reported", "added", "the", "another", "these", "those",
                    "its", "their", "his", "her", "our", "also", "including"}


def _opens_subject(tokens: tuple[Token, ...], first: int) -> bool:
    """True when the count at ``first`` may open the subject of a verb after it: it opens
    the sentence or follows a mark, a capitalised word or one of ``_SUBJECT_OPENERS``."""
    if first == 0:
        return True
    previous = tokens[first - 1]
    if previous.is_capitalized:
        return not is_verb_like(previous)
    return not previous.text.isalpha() or previous.lower in _SUBJECT_OPENERS


def inherit_lists(sentence: Sentence, candidates: list[CountCandidate]) -> None:
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
        if earlier is not None and earlier.outcome and _gapped(tokens, earlier, candidate):
            candidate.outcome, candidate.source = earlier.outcome, "list"
            continue
        placed = _place_list_outcome(sentence, earlier, candidate)
        if placed is not None:
            candidate.outcome, candidate.source = placed, "list"
            continue
        joined_object = _after_singular_object(sentence, candidate.amount.first)
        if joined_object is not None:
            candidate.outcome, candidate.source = joined_object, "list"
    backwards: set[int] = set()  # counts given the verb after the list, read from the end
    for position in range(len(candidates) - 2, -1, -1):
        candidate, later = candidates[position], candidates[position + 1]
        if candidate.outcome is not None or candidate.blocked or candidate.head is None or not later.outcome:
            continue
        if not _opens_subject(tokens, candidate.amount.first):
            continue  # "The army deployed 300 soldiers, 12 civilians were killed": the object of its own verb
        if (later.source == "after" or position + 1 in backwards) and not _relative_part(tokens, later) \
                and _joined(tokens, candidate.tail_end, later.amount.first):
            candidate.outcome, candidate.source = later.outcome, "list"  # "3 soldiers, 12 civilians and 4 rebels were killed"
            backwards.add(position)
