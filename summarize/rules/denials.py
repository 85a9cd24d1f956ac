"""Counts a sentence denies, and the other numbers near people that count no victims.

The guide (evals/GUIDELINES.md) counts no figure for a harm that did not happen ("no
casualties" is not a figure), nor for ages. Read here:

- a count denied by the word before it or by "none of": "No one was killed", "Not one
  civilian died", "None of the 30 passengers was hurt", "not one of the 12 soldiers";
- an outcome verb negated after its subject or before its object: "12 soldiers were not
  killed", "did not die", "did not kill the 12 hostages", "never killed 12 civilians"
  ("not including", "not only" deny nothing), or an aim ("aimed at killing 20"), or a
  court's sentence ("20 people were sentenced to death"), a killing done "without", a
  threat, a risk or a counterfactual ("could kill 30", "would have killed dozens");
- a count the sentence asks about ("how many were killed"), and the count "except" a
  denied whole ("No one was killed except 3 children": the 3 died);
- an age set off by commas after a name or a person ("Ahmad, 17, died", "his son, 12,
  and his wife were killed"), and the children of a parent ("a father of five", "the
  mother of 3 children was killed": the five and the three are no victims);
- a rate ("kills 3 people a week", "20 militants each day", "50 per month", "3 people
  weekly", "on a daily basis", "every 24 hours", "day after day"): a count of
  people per unit of time is no toll of an event (no figure; docs/rules.md).
"""

from __future__ import annotations

from summarize.rules.placelists import list_count
from summarize.rules.sentences import Sentence, Token
from summarize.rules.vocabulary import PEOPLE

#: Words that deny the verb or the count after them.
NEGATIONS = frozenset({"not", "never", "no", "didn't", "wasn't", "weren't", "hasn't", "haven't",
                       "hadn't", "isn't", "aren't", "don't", "doesn't", "won't", "nobody",
                       "neither"})
#: Words after "not" that make it deny nothing about the outcome: "not including the
#: attackers", "not only", "not less than".
_NOT_DENYING = {"including", "counting", "only", "just", "least", "less", "fewer", "more", "far",
                "long", "yet", "clear", "known", "immediately"}
#: Marks after which a negation opens an aside instead of denying the verb.
_ASIDE_MARKS = {",", "(", "-", "–", "—"}
#: Verbs of a court: "sentenced to death" is a sentence, not a death.
SENTENCED = frozenset({"sentenced", "condemned"})
#: Words before "at"/"of" that make the killing after them an aim: "aimed at killing 20",
#: "with the aim of killing", "in a bid to kill" (summarize.rules.outcomes reads "to kill").
_AIMS = {("aimed", "at"), ("aiming", "at"), ("aim", "of"), ("goal", "of"), ("intention", "of"),
         ("purpose", "of"), ("hope", "of"), ("view", "to"), ("capable", "of")}
#: Words that deny a whole a count is taken from: "None of the 30", "neither of the two".
_NONE = {"none", "neither"}
_DETERMINERS = {"the", "its", "their", "his", "her", "these", "those", "our", "your", "my"}
#: Words for a parent: the count after "father of" counts children, not victims.
_PARENTS = {"father", "mother", "parent", "parents", "grandfather", "grandmother", "mum", "mom",
            "dad", "mothers", "fathers"}
#: Singular words for a relative: "his son, 12, and his wife".
_KIN = {"son", "daughter", "brother", "sister", "wife", "husband", "nephew", "niece", "cousin",
        "uncle", "aunt", "grandson", "granddaughter", "grandchild", "fiance", "fiancee"} | _PARENTS
#: Capitalised words that open a sentence before a comma and never name a person:
#: "Overall, 12, including ..." is no age.
_OPENERS = {"overall", "meanwhile", "altogether", "in", "total", "separately", "elsewhere",
            "however", "also", "there", "then", "so", "thus", "besides", "moreover", "earlier",
            "later", "today", "yesterday", "now", "here", "again", "instead", "otherwise", "finally"}


def denied_count(tokens: tuple[Token, ...], first: int) -> bool:
    """True when the count starting at token ``first`` is denied ("No one", "Not one
    civilian", "None of the 30 passengers", "not one of the 12") or counts the children of
    a parent ("a father of five")."""
    previous = tokens[first - 1].lower if first else ""
    if previous in NEGATIONS and previous != "never":
        return True  # "No one was killed", "Not one civilian died"
    if previous == "how":
        return True  # "Nobody knows how many were killed": a question, no count
    index = first - 1
    while index >= 0 and tokens[index].lower in _DETERMINERS:
        index -= 1
    if index < 1 or tokens[index].lower != "of":
        return False
    owner = tokens[index - 1].lower
    if owner in _PARENTS:
        return True  # "a father of five", "the mother of 3 children"
    if owner in _NONE:
        return True  # "None of the 30 passengers was hurt"
    return owner == "one" and index >= 2 and tokens[index - 2].lower in NEGATIONS  # "not one of the 12"


def negates(tokens: tuple[Token, ...], index: int) -> bool:
    """True when the word at ``index`` denies the outcome verb it goes with: "not", "never",
    "didn't" ..., but not "not including", "not only", "not less than", nor a negation
    that opens an aside after a comma or a dash."""
    if tokens[index].lower not in NEGATIONS or tokens[index].lower in ("no", "nobody"):
        return False
    if index and tokens[index - 1].text in _ASIDE_MARKS:
        return False  # "At least 12 people, not all of them civilians, were killed": an aside
    following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    return following not in _NOT_DENYING


def denied_before(tokens: tuple[Token, ...], verb: int) -> bool:
    """True when the outcome verb at ``verb`` (before its count) is negated or an aim:
    "did not kill the 12 hostages", "never killed 12 civilians", "have not killed",
    "aimed at killing 20 soldiers", "with the aim of killing 20"."""
    if verb >= 2 and (tokens[verb - 2].lower, tokens[verb - 1].lower) in _AIMS:
        return True
    if verb >= 1 and tokens[verb - 1].lower == "without":
        return True  # "withdrew without killing 12 hostages"
    index = verb - 1
    if index >= 0 and tokens[index].lower in ("been", "have", "has", "had", "be"):
        index -= 1  # "have not been killed" read backwards from the verb
    return index >= 0 and negates(tokens, index)


#: Words that open a sentence's subject with a denial: "No one", "Nobody", "None of".
_DENIED_SUBJECTS = {"no", "nobody", "none", "not", "neither"}


def excepted_outcome(tokens: tuple[Token, ...], index: int, outcomes: dict[str, str]) -> str | None:
    """The outcome of a count after "except" at ``index`` when the outcome verb before it has
    a denied subject: "No one was killed except 3 children", "Nobody died except two
    guards" (the three and the two died). "All were killed except 3" (the 3 lived) and an
    "except" after no outcome verb give None."""
    verb = tokens[index - 1].lower if index else ""
    outcome = outcomes.get(verb) or ("killed" if verb in ("died", "perished") else None)
    if outcome is None or not any(t.lower in _DENIED_SUBJECTS for t in tokens[:min(index - 1, 3)]):
        return None
    return outcome


def apposed_ages(sentence: Sentence) -> list[tuple[int, int]]:
    """Article offsets of ages set off by commas after a name or a person: "Ahmad, 17,
    died", "his son, 12, and ...", "Two boys, 15 and 16, were killed"; "Overall, 12, ..."
    and "soldiers, 12, ..." are none."""
    tokens = sentence.tokens
    spans: list[tuple[int, int]] = []
    for index in range(2, len(tokens) - 3):  # "Two boys, 15 and 16, were killed": two ages
        if tokens[index - 1].text == "," and tokens[index + 1].lower == "and" and tokens[index + 3].text == "," \
                and all(t.text.isdigit() and len(t.text) <= 2 for t in (tokens[index], tokens[index + 2])) \
                and tokens[index - 2].lower in PEOPLE:
            spans += [(tokens[index].start, tokens[index].end), (tokens[index + 2].start, tokens[index + 2].end)]
    for index in range(2, len(tokens) - 1):
        token = tokens[index]
        if not (token.text.isdigit() and len(token.text) <= 2 and tokens[index - 1].text == ","
                and tokens[index + 1].text == ","):
            continue
        word = tokens[index - 2]
        lower = word.lower
        if lower in _OPENERS or not word.text.replace("-", "").isalpha():
            continue
        singular_person = lower in _KIN or (lower in PEOPLE and not lower.endswith("s") and lower not in (
            "people", "police", "staff", "personnel", "crew", "men", "women", "children"))
        if lower in PEOPLE and not singular_person:
            continue  # "Soldiers, 12, were killed": a plural is no name, its number a count
        if singular_person or (word.text.split("-")[-1][:1].isupper()  # "Ahmad", "al-Ali", "son"
                               and not list_count(tokens, index)):  # "Hama, 4, Homs, 7": counts
            spans.append((token.start, token.end))
    return spans


#: Modals that make the verb after them a threat, a risk or a counterfactual.
IRREALIS = frozenset({"will", "would", "could", "can", "should", "must", "shall"})
#: Base forms of outcome verbs: after "to" they name an aim, not an event.
_BASE_FORMS = {"kill", "execute", "wound", "injure", "capture", "arrest", "detain", "abduct",
               "kidnap", "massacre", "slaughter", "murder", "behead", "assassinate", "eliminate",
               "liquidate", "neutralize", "neutralise", "destroy", "claim"}


#: Words before "to" that make the verb after it something done: "managed to kill 20",
#: "went on to kill 12", "were able to kill", "proceeded to execute".
_DONE_BEFORE_TO = {"managed", "able", "on", "proceeded", "succeeded"}


def unrealised(tokens: tuple[Token, ...], index: int) -> bool:
    """True when the outcome verb at ``index`` tells of a harm that did not happen: an aim
    ("threatened to kill 20 hostages", "a plot to kill 30"), a risk or a counterfactual
    ("could kill 30 a day", "would have killed dozens"). "may have killed", an estimate of
    what happened, is not, nor "managed / went on / were able to kill"."""
    previous = tokens[index - 1].lower if index else ""
    if denied_before(tokens, index):
        return True  # "did not kill the 12 hostages", "never killed 12 civilians"
    if previous == "to" and tokens[index].lower in _BASE_FORMS:
        done = index >= 2 and tokens[index - 2].lower in _DONE_BEFORE_TO
        return not done or (index >= 3 and tokens[index - 3].lower in ("not", "never"))
    if previous in IRREALIS:
        return True
    return previous == "have" and index >= 2 and tokens[index - 2].lower in IRREALIS


#: Units of time a rate counts people per: "3 people a week", "20 each day".
_TIME_UNITS = {"minute", "hour", "day", "night", "week", "month", "year",
               "minutes", "hours", "days", "nights", "weeks", "months", "years"}
#: Words that open a rate's unit: "a week", "per day", "each month", "every two days".
_PER = {"a", "an", "per", "each", "every"}
#: Words after "a day" that make it a time, not a rate: "a day after the truce".
_NOT_RATE_AFTER = {"after", "before", "earlier", "later", "ago", "of", "when", "since", "into", "long"}
#: Words before "a day" that make it a span, not a rate: "in a day", "within a week".
_NOT_RATE_BEFORE = {"in", "within", "for", "over", "on", "during", "one", "than", "about", "just", "only", "past"}
#: Adverbs of a rate: "3 people weekly"; before a noun they are adjectives ("daily raids").
_RATE_ADVERBS = {"daily", "weekly", "monthly", "yearly", "annually", "nightly", "hourly"}
_ADVERB_FOLLOWERS = {"in", "on", "at", "across", "since", "for", "and", "by", "from", "near", "now",
                     "according", "as", "during", "throughout", "over"}
_RATE_GAP = {"every": {"two", "three", "four", "few", "couple", "of", "other", "single"}}
#: Words that open a clause or a phrase of its own after a count's people: a unit of time
#: after them is that clause's ("killed 30 in an offensive that lasted a week", "when
#: rebels attacked twice a day", "in a battle lasting a day").
_RATE_CLAUSE_ENDS = {"that", "which", "who", "whom", "when", "while", "after", "before", "because", "where",
                     "until", "as", "lasting", "lasted", "lasts", "spanning", "according", "said", "says",
                     "reported", "told"}


def rate_after(tokens: tuple[Token, ...], index: int) -> bool:
    """True when a unit of time per which people are counted follows a count's people,
    from token ``index`` up to its clause's end: "kills 3 people a week", "20 militants
    are killed each day", "50 per month", "every two days"; "3 people a day after the
    truce" and "12 killed in a day of fighting" are no rates."""
    for position in range(index, min(index + 8, len(tokens))):
        token = tokens[position]
        if token.text in (",", ";", ":", ".", "!", "?", "(", ")") or any(ch.isdigit() for ch in token.text):
            return False
        lower = token.lower
        if lower in _RATE_CLAUSE_ENDS:
            return False
        following = tokens[position + 1].lower if position + 1 < len(tokens) else ""
        if lower in _RATE_ADVERBS and following == "basis":
            return True  # "12 are killed on a daily basis"
        if lower in _TIME_UNITS and following in ("after", "by") and position + 2 < len(tokens) \
                and tokens[position + 2].lower == lower:
            return True  # "three die day after day", "week by week"
        if lower in _RATE_ADVERBS and tokens[position - 1].lower not in _DETERMINERS | {"a", "an"}:
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if following is None or following.text in (",", ";", ".", "!", "?", ")") \
                    or following.lower in _ADVERB_FOLLOWERS:
                return True  # "kills 3 people weekly", "dying daily in the camp"; not "in daily raids"
            continue
        if lower not in _PER:
            continue
        if position and tokens[position - 1].lower in _NOT_RATE_BEFORE:
            continue
        unit = position + 1
        while unit < len(tokens) and unit - position <= 3 and (
                tokens[unit].lower in _RATE_GAP.get(lower, ()) or (lower == "every" and tokens[unit].text.isdigit())):
            unit += 1  # "every two days", "every few weeks", "every 24 hours"
        if unit < len(tokens) and tokens[unit].lower in _TIME_UNITS:
            following = tokens[unit + 1].lower if unit + 1 < len(tokens) else ""
            if following not in _NOT_RATE_AFTER or lower not in ("a", "an"):
                return True  # "each day of the offensive", "every week since January" are rates; "a day of fighting" is not
    return False
