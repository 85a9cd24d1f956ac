"""The sources one article has named so far, for a later "he said", "it added", "Khalil
said" or "the monitor said": people and organisations in the order they were named, and
the cue each was named with ("the report" stands for whoever reported).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summarize.rules.sentences import Sentence
from summarize.rules.sources import DETERMINERS, source_type
from summarize.schema import SourceType

_PERSON_WORDS = re.compile(
    r"\b(?:spokes\w*|director|head|chief|minister|leader|colonel|general|commander|official"
    r"|president|secretary|envoy|governor|doctor|nurse|resident|activist|mayor|ambassador"
    r"|commissioner|representative|correspondent|reporter|journalist|photographer|source|witness"
    r"|officer"
    r"|senator|man|woman|father|mother|teacher)\b", re.IGNORECASE)
_ORG_WORDS = re.compile(
    r"\b(?:observatory|ministry|agency|group|organi[sz]ation|army|council|committee|network"
    r"|office|coalition|government|media|television|sana|who|u\.?n\.?|state|monitor|front"
    r"|movement|party|forces|command|directorate|statement|website|reuters|afp)\b",
    re.IGNORECASE)


_MONITOR_HEADS = frozenset({"monitor", "observatory", "watchdog"})
_ANY_BODY_HEADS = frozenset({"group", "organisation", "organization", "body"})
#: Descriptions that stand for the source of an earlier cue: "the report" for "SANA
#: reported", "the statement" for "X said in a statement".
_CUE_HEADS = {"report": "report", "statement": "statement"}


def _description_head(source: str) -> str | None:
    """The head noun of a definite description with no name ("The monitor", "the
    Britain-based group", "the governor"), else None."""
    words = source.split()
    if not 2 <= len(words) <= 4 or words[0].lower() not in ("the", "this", "that"):
        return None
    if any(w[:1].isupper() and not w.lower().endswith("-based") for w in words[1:]):
        return None
    return words[-1].lower()


@dataclass
class SpeakerMemory:
    """Sources named so far in one article, to resolve "he said" and "Khalil said"."""

    people: list[str] = field(default_factory=list)
    #: (source, cue) of every attribution so far, for "the report" and "the statement".
    cues: list[tuple[str, str]] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    everyone: list[str] = field(default_factory=list)
    #: The sentence read before the current one ("Both sides accused each other" names none).
    previous: Sentence | None = None

    def remember(self, source: str) -> None:
        """Note a source named in the text."""
        self.everyone.append(source)
        words = source.split()
        if _ORG_WORDS.fullmatch(words[-1]) and "," not in source or len(words) > 1 and words[0].lower() == "the" \
                and words[1][:1].isupper() and not _PERSON_WORDS.search(source) and "," not in source:
            self.organisations.append(source)  # "Syria's official SANA agency", "The Red Crescent": bodies
        elif _PERSON_WORDS.search(source) and sum(w[:1].isupper() for w in words) >= 2 or (
            not _ORG_WORDS.search(source) and sum(w[:1].isupper() for w in words) >= 2
        ) or _PERSON_WORDS.fullmatch(words[-1]):  # "the governor", "a military official": one person
            self.people.append(source)
        elif _ORG_WORDS.search(source):
            self.organisations.append(source)

    def _described(self, source: str, head: str) -> str | None:
        """The latest earlier source a description stands for: one whose name holds its
        head noun, else one of the kind the noun names (a monitor, any organisation)."""
        earlier = [e for e in reversed(self.everyone) if e.lower() != source.lower()]
        person = _PERSON_WORDS.search(source) is not None
        holding = [name for name in earlier if re.search(rf"\b{re.escape(head)}\b", name, re.IGNORECASE)
                   and _description_head(name) is None
                   and (person or not _PERSON_WORDS.search(name))]  # "the observatory" is not its director
        modifiers = [w for w in source.lower().split()[1:-1] if w not in DETERMINERS]
        if holding:  # "the police source": the latest source holding "police" too, else the latest
            return next((n for n in holding if all(re.search(rf"\b{re.escape(w)}", n, re.IGNORECASE)
                                                   for w in modifiers)), holding[0])
        if head in _MONITOR_HEADS or (head == "group" and re.search(r"-based|monitor|rights", source, re.I)):
            return next((e for e in earlier if source_type(e) == SourceType.monitor
                         and not _PERSON_WORDS.search(e)), None)
        if head in _CUE_HEADS:
            by_cue = next((e for e, cue in reversed(self.cues) if _CUE_HEADS[head] in cue.lower()
                           and e.lower() != source.lower()), None)
            return by_cue or next((e for e in earlier if _description_head(e) is None
                                   and not _PERSON_WORDS.search(e)), None)
        if head == "agency" and source.lower().split()[1:] in (["agency"], ["news", "agency"]):
            return next((e for e in reversed(self.organisations) if e.lower() != source.lower()
                         and _description_head(e) is None), None)  # a bare "the agency" points back
        if head in _ANY_BODY_HEADS:
            return next((e for e in reversed(self.organisations) if e.lower() != source.lower()
                         and _description_head(e) is None), None)
        return None

    def resolve(self, pronoun: str) -> str | None:
        """The source a pronoun most likely stands for, or None."""
        pronoun = pronoun.lower()
        if pronoun in ("he", "she", "i"):
            pool = self.people
        elif pronoun == "it":
            pool = self.organisations
        else:
            pool = self.everyone
        return pool[-1] if pool else None

    def fullest(self, source: str) -> str:
        """The fullest earlier naming of a person named again by surname ("Khalil",
        "the PKK Khalil" -> "PYD spokesman Nawaf Khalil"), or of a source named again by
        description ("the governor" -> "Homs Governor Talal Barazi", "the monitor" -> "the
        Syrian Observatory for Human Rights", "the report" -> "SANA")."""
        last = source.split()[-1]
        head = _description_head(source)
        if head is not None:
            return self._described(source, head) or source
        if not last[:1].isupper():
            return source
        given = _given_name(source.split())
        holders: dict[str, str] = {}  # given name -> the latest naming of the person
        for earlier in reversed(self.people):
            for person in earlier.split(" and "):  # "Omar Haddad and Ali Haddad": two people
                words = person.split(",")[0].split()  # "Saleh Zein, spokesman for ...": the name
                if len(words) >= 2 and words[-1] == last and person != source:
                    holders.setdefault(_given_name(words) or "", earlier if person == earlier else person)
        if given is not None:
            return holders.get(given, source)  # "Ali Haddad" is not "Omar Haddad"
        named = {k: v for k, v in holders.items() if k}
        if len(named) > 1:
            return source  # "Haddad" after Omar and Ali Haddad: either of them
        return next(iter(named.values()), next(iter(holders.values()), source))


_HONORIFICS = frozenset("mr mrs ms dr sheikh gen col lt maj capt sgt prof brig".split())


def _given_name(words: list[str]) -> str | None:
    """The word before a surname when it is a given name ("Ali" in "Ali Haddad"), not a
    title or an acronym ("Colonel Haddad", "the PKK Khalil"), else None."""
    if len(words) < 2:
        return None
    word = words[-2]
    if not word[:1].isupper() or word.isupper() or _PERSON_WORDS.fullmatch(word) \
            or word.lower().rstrip(".") in _HONORIFICS or word.lower() in DETERMINERS:
        return None
    return word
