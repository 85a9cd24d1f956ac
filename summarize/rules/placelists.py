"""Lists of places and counts: "Deaths by province: Hama, 4, Homs, 7", "150 bodies in
Hammouriya, Kfar Batna 100". A number set off by commas after a capitalised name is an
age when the name is a person's ("Ahmad, 17, died") and a count when it is a place's; a
flat reading cannot tell a person's name from a village the gazetteer lacks, so the list
as a whole decides (evals/GUIDELINES.md: ages are no figures, counts of people killed
are):

- a heading that breaks a toll down by place ("Deaths by province:", "Killed by town:")
  makes every item a place and every number a count, whatever the names;
- after another heading with a colon ("Deaths:", "Toll:"), the items are places when
  more of their names are surely places (a city, a district, a name of two words the
  gazetteer knows or a place-name element opens) than are no place at all: a name the
  gazetteer lacks is then a village it does not know ("Deaths: Hama, 4, Homs, 7, Ahmad,
  20" gives 4, 7 and 20); else they are people ("Killed: Ahmad, 17, Zahra, 12, Dana, 9":
  ages, since Zahra and Dana, villages' names, are also people's);
- without a heading, every name must be a place, and a list that is the subject of a
  verb is one of people ("Zahra, 12, Dana, 9, were killed": ages, though Zahra and Dana
  are spelt like places).

A name is a place when the shipped gazetteer knows it or when it opens with a common
element of Syrian place names ("Qaryat", "Kafr", "Deir", "Tell" ...) before another name.
"""

from __future__ import annotations

from summarize.places import gazetteer
from summarize.rules.sentences import Token
from summarize.rules.vocabulary import OUTCOME_NOUNS, OUTCOME_VERBS

#: First words of Syrian place names ("village of", "monastery of", "hill of" ...): a
#: name of two words or more that opens with one is a place, known to the gazetteer or not.
PLACE_ELEMENTS = frozenset("""
    qaryat qarya kafr kfar kafar deir dayr tal tell tel ain ayn jabal jebel jisr beit bayt
    khirbet khirbat maarat marat mazraat ras wadi bir tall hazm
""".split())
#: Nouns after "by" in a heading that break a toll down by place: "Deaths by province:".
_PLACE_NOUNS = frozenset("""
    province provinces governorate governorates town towns city cities village villages area
    areas district districts region regions neighbourhood neighbourhoods neighborhood
    neighborhoods locality localities location locations place places
""".split())
#: Heading words before a colon that name the outcome of the list after it, beyond the
#: outcome nouns: "Toll by town: ...", "Injuries: Hama 4, Homs 7".
_HEADINGS = {"toll": "killed", "tolls": "killed", "injuries": "wounded"}
#: Words after a list of names and numbers that make it the subject of a verb: the
#: names are people and the numbers their ages ("Zahra, 12, Dana, 9, were killed").
_SUBJECT_VERBS = frozenset({"were", "was", "are", "is", "have", "has", "had", "died", "perished", "survived",
                            "remain", "remained", "succumbed"})


#: Capitalised words that may stand before a place in its list item: "In Hama, 4", "Rural Hama, 4".
_BEFORE_PLACE = frozenset("in at near and the from outside inside eastern western northern southern rural greater "
                          "central old upper lower east west north south".split())


def is_place_before(tokens: tuple[Token, ...], end: int) -> bool:
    """True when the one to three capitalised words ending before token ``end`` name a
    place of the shipped gazetteer ("Hama", "Kfar Batna", "In Hama"): a place has no age,
    so the number after it is a count. A place's name that ends a person's ("Ahmad Zahra",
    Zahra a village) is no place."""
    for start in range(end - 1, max(end - 4, -1), -1):
        if not tokens[start].is_capitalized:
            return False
        if gazetteer().lookup(" ".join(t.text for t in tokens[start:end])) and (
                start == 0 or not tokens[start - 1].is_capitalized or tokens[start - 1].lower in _BEFORE_PLACE):
            return True
    return False


def _is_place(tokens: tuple[Token, ...], start: int, end: int) -> bool:
    """True when the capitalised words ``[start, end)`` name a place: the gazetteer knows
    them ("In Hama"; not "Ahmad Zahra", a person's name though Zahra is a village), or
    they open with a place-name element ("Qaryat Zumurrud")."""
    if start >= end:
        return False
    if end - start >= 2 and tokens[start].lower in PLACE_ELEMENTS:
        return True
    return is_place_before(tokens, end)


#: A town this large is a city: a one-word name the gazetteer finds as one is a place even
#: among names ("Hama", "Douma"); a village's ("Dana", "Zahra") may be a person's name.
_CITY = 50_000


def sure_place(tokens: tuple[Token, ...], start: int, end: int) -> bool:
    """True when the words ``[start, end)`` name a place no person's name is mistaken for:
    a name of two words or more the gazetteer knows or a place-name element opens, or one
    word the gazetteer knows as a governorate, district, region or city."""
    if end - start >= 2:
        return _is_place(tokens, start, end)
    entries = gazetteer().lookup(tokens[start].text)
    return any(e.level in ("governorate", "district", "region") or e.population >= _CITY for e in entries)


def heading_outcome(tokens: tuple[Token, ...], colon: int) -> str | None:
    """The outcome the heading before the colon at ``colon`` names ("Deaths by province",
    "Injuries", "Toll by town"), else None."""
    for token in tokens[max(0, colon - 5):colon]:
        lower = token.lower
        if lower in _HEADINGS:
            return _HEADINGS[lower]
        if lower in OUTCOME_NOUNS or lower in OUTCOME_VERBS:
            return OUTCOME_NOUNS.get(lower) or OUTCOME_VERBS[lower]
    return None


def _by_place(tokens: tuple[Token, ...], colon: int) -> bool:
    """True for a heading that breaks its toll down by place: "Deaths by province:"."""
    words = [t.lower for t in tokens[max(0, colon - 5):colon]]
    return any(a == "by" and b in _PLACE_NOUNS for a, b in zip(words, words[1:]))


def _item_name(tokens: tuple[Token, ...], number: int) -> tuple[int, int]:
    """The span of the one to three capitalised words before a list item's number:
    "Hama, 4" and "Kfar Batna 100"."""
    end = number - 1 if number and tokens[number - 1].text == "," else number
    start = end
    while start > 0 and end - start < 3 and tokens[start - 1].is_capitalized:
        start -= 1
    return start, end


def _list_numbers(tokens: tuple[Token, ...], index: int) -> list[int]:
    """The numbers of the list of names and numbers the number at ``index`` is an item of,
    in order: "Hama, 4, Homs 7, and Idlib, 12" gives the 4, the 7 and the 12."""
    numbers = [index]
    while True:  # back: "..., 4, Homs, 7" or "..., 4, and Homs, 7"
        start = _item_name(tokens, numbers[0])[0]
        link = start - 1 - (start >= 2 and tokens[start - 1].lower == "and")
        if link < 1 or tokens[link].text != "," or not tokens[link - 1].text.isdigit():
            break
        name_start, name_end = _item_name(tokens, link - 1)
        if name_start == name_end:
            break  # "killed 12, Homs, 7": the 12 is no item
        numbers.insert(0, link - 1)
    while True:  # on: "4, Homs, 7", "4, and Idlib, 12", "4, Idlib 12"
        following = numbers[-1] + 1
        if following + 1 >= len(tokens) or tokens[following].text != ",":
            break
        following += 1 + (tokens[following + 1].lower == "and")
        name = following
        while following < len(tokens) and following - name < 3 and tokens[following].is_capitalized:
            following += 1
        following += following < len(tokens) and tokens[following].text == ","
        if following == name or following >= len(tokens) or not tokens[following].text.isdigit():
            break
        numbers.append(following)
    return numbers


def list_count(tokens: tuple[Token, ...], index: int) -> bool:
    """True when the number at ``index``, after a name, is a count of a list of places and
    counts, not an age (the rules of the module docstring): "Deaths by province: Qaryat
    Zumurrud, 4, Douma, 7", "Deaths: Hama, 4, Homs, 7, Ahmad, 20", "Hama, 4, Homs, 7"; not
    "Killed: Ahmad, 17, Zahra, 12", "Zahra, 12, Dana, 9, were killed", "Qasim, 17, was
    killed" (a name spelt like a place, in no list)."""
    numbers = _list_numbers(tokens, index)
    names = [_item_name(tokens, number) for number in numbers]
    if any(start == end for start, end in names):
        return False
    opening = names[0][0]
    colon = opening - 1 if opening > 0 and tokens[opening - 1].text == ":" else None
    if colon is not None and _by_place(tokens, colon):
        return True  # "Deaths by province: ...": every item is a place
    last = numbers[-1]
    if last + 2 < len(tokens) and tokens[last + 1].text == "," and tokens[last + 2].lower in _SUBJECT_VERBS:
        return False  # "Zahra, 12, Dana, 9, were killed": people, subject of the verb
    places = sum(_is_place(tokens, start, end) for start, end in names)
    if places == len(names):
        return len(numbers) > 1 or colon is not None
    sure = sum(sure_place(tokens, start, end) for start, end in names)
    return colon is not None and heading_outcome(tokens, colon) is not None and sure > len(names) - places
