"""Counts a sentence denies, and the other numbers near people that count no victims.

The guide (evals/GUIDELINES.md) counts no figure for a harm that did not happen ("no
casualties" is not a figure), nor for ages. Read here:

- a count denied by the word before it or by "none of": "No one was killed", "Not one
  civilian died", "None of the 30 passengers was hurt", "not one of the 12 soldiers";
- an outcome verb negated after its subject or before its object: "12 soldiers were not
  killed", "did not die", "did not kill the 12 hostages", "never killed 12 civilians"
  ("not including", "not only" deny nothing), or an aim ("aimed at killing 20"), or a
  court's sentence ("20 people were sentenced to death");
- an age set off by commas after a name or a person ("Ahmad, 17, died", "his son, 12,
  and his wife were killed"), and the children of a parent ("a father of five", "the
  mother of 3 children was killed": the five and the three are no victims).
"""

from __future__ import annotations

from summarize.rules.sentences import Sentence, Token
from summarize.rules.vocabulary import PEOPLE

#: Words that deny the verb or the count after them.
NEGATIONS = frozenset({"not", "never", "no", "didn't", "wasn't", "weren't", "hasn't", "haven't",
                       "hadn't", "isn't", "aren't", "don't", "doesn't", "won't", "nobody"})
#: Words after "not" that make it deny nothing about the outcome: "not including the
#: attackers", "not only", "not less than".
_NOT_DENYING = {"including", "counting", "only", "just", "least", "less", "fewer", "more", "far",
                "long", "yet", "clear", "known", "immediately"}
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
    "didn't" ..., but not "not including", "not only", "not less than"."""
    if tokens[index].lower not in NEGATIONS or tokens[index].lower in ("no", "nobody"):
        return False
    following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    return following not in _NOT_DENYING


def denied_before(tokens: tuple[Token, ...], verb: int) -> bool:
    """True when the outcome verb at ``verb`` (before its count) is negated or an aim:
    "did not kill the 12 hostages", "never killed 12 civilians", "have not killed",
    "aimed at killing 20 soldiers", "with the aim of killing 20"."""
    if verb >= 2 and (tokens[verb - 2].lower, tokens[verb - 1].lower) in _AIMS:
        return True
    index = verb - 1
    if index >= 0 and tokens[index].lower in ("been", "have", "has", "had", "be"):
        index -= 1  # "have not been killed" read backwards from the verb
    return index >= 0 and negates(tokens, index)


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
        if word.text.split("-")[-1][:1].isupper() or singular_person:  # "Ahmad", "al-Ali", "son"
            spans.append((token.start, token.end))
    return spans
