"""Find who a sentence attributes its content to: reporting cues, speakers and scopes.

Cues: reporting verbs ("said", "told AFP", "reported", "claimed", "denied", "warned" ...
with the auxiliaries before them: "has said"), "according to X", "X quoted Y as saying",
and the toll phrases "gave a toll", "put the toll at". A verb preceded by a determiner
("the reports", "a reported attack"), by "not" or by a passive auxiliary ("was reported")
is not a cue.

Speaker: the source phrase right before the cue ("the Observatory said"), else right
after it ('"...," said Observatory head Rami Abdel Rahman'), else the subject of the
sentence for "X did A but said B"; pronouns go to the last source of the same kind.

Scope: the words the cue attributes. A cue at the end of its clause ("... 12 were
killed the Observatory said on Friday", "... according to SANA") covers the words before
its speaker; otherwise ("X said (that) ...") it covers the words after it, up to the
next coordinated attribution ("... and Colonel Garver said ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarize.rules.sentences import Sentence, Token
from summarize.rules.outcomes import is_verb_like as is_verb_like_word
from summarize.rules.vocabulary import PEOPLE
from summarize.rules.sources import (
    SOURCE_WORDS,
    TIME_WORDS,
    SpeakerMemory,
    is_pronoun,
    join,
    phrase_after,
    phrase_before,
    source_type,
)
from summarize.schema import SourceType

_VERBS = frozenset("""
    say says said saying tell tells told telling add adds added adding states stated
    announce announces announced announcing report reported reporting claim claimed
    claiming confirm confirms confirmed confirming deny denies denied denying acknowledge
    acknowledges acknowledged admit admits admitted accuse accuses accused accusing warn
    warns warned warning note noted noting stress stressed stressing insist insists
    insisted declare declares declared explain explained allege alleges alleged condemn
    condemns condemned urge urged estimate estimated quoted wrote tweeted blamed blames
    blame suggested suggests reiterated reiterates vowed vows pledged pledges appealed
    appeals cited cites mentioned emphasized emphasised emphasizes emphasises affirmed
    affirms asserted asserts argued argues arguing threatened demanded demands revealed
    disclosed indicated indicates suspect suspects maintained maintains reaffirmed
    reaffirms clarified underlined highlighted predicted promised conceded rejected
    dismissed believes described
    urges stresses explains rejects dismisses threatens reveals predicts promises concedes
    recalled recalls complained complains replied replies recounted lamented pleaded
    contended countered assured remarked commented
    urging condemning blaming insisting vowing
""".split())
#: Verbs that report speech only with their particle: "called on", "pointed out".
_PARTICLE_VERBS = {"called": ("on", "upon", "for"), "calls": ("on", "upon", "for"),
                   "pointed": ("out",), "points": ("out",)}
_CUE_WORDS = _VERBS | frozenset(_PARTICLE_VERBS) | {"according"}
#: Reciprocal cues: each party of "A and B have blamed each other" makes a claim.
_RECIPROCAL = re.compile(r"\b(?:each other|one another)\b|\btrad(?:ing|ed|e) (?:accusations|blame)",
                         re.IGNORECASE)
#: Words naming a document through which a source speaks: "according to a statement by X".
_DOCUMENTS = frozenset("""
    statement statements report reports toll tally count figures estimate estimates data
    study survey list census communique announcement
""".split())
#: Third-person present forms that are also plural nouns ("the reports", "its claims").
_NOUN_TWINS = frozenset({"reports", "claims", "states", "notes", "warns", "estimates"})
#: Finite reporting verbs: a cue word right before one is a noun ("A UN report said").
_FINITE_REPORTING = frozenset("said says say stated added reported claimed told announced".split())
_NOUN_FORMS = frozenset("report reports claim claims statement estimate estimates".split())
_PARTICIPLES_NEED_SUBJECT = frozenset({
    "adding", "noting", "stressing", "warning", "claiming", "accusing", "denying",
    "confirming", "reporting", "announcing", "telling", "arguing", "saying",
    "urging", "condemning", "blaming", "insisting", "vowing",
})
_AUXILIARIES = frozenset("""
    has have had also previously earlier later always repeatedly already would will did
    does do further again then subsequently officially publicly separately reportedly
""".split())
#: Words that may stand between a speaker and its verb besides auxiliaries: "The army
#: meanwhile said", "The government has strongly denied", "The ministry on Monday said".
_BETWEEN = frozenset("""
    meanwhile however too though yesterday today tonight on
""".split()) | TIME_WORDS
_NEGATIONS = frozenset({"not", "n't", "never", "no"})
_PASSIVE = frozenset({"was", "were", "is", "are", "been", "being", "be"})
_DETERMINERS_ONLY = frozenset("the a an these those this that such his her their its our".split())
_NOUN_MARKERS = frozenset("""
    the a an these those this that such latest initial unconfirmed his her their its our
    media news press of conflicting further earlier recent other some many
""".split())
_TRAILING_OK = frozenset("""
    on in at late early last this a an the statement interview website twitter facebook
    telegram its their his her social media accounts channel to reporters journalists
    by phone via citing quoting
""".split()) | TIME_WORDS
_CLAUSE_OPENERS = frozenset({"with", "while", "adding", "as", "but", "after", "stressing",
                             "noting", "warning", "calling", "and", "saying", "when", "amid"})
_QUOTED = re.compile(r"[\"“”«»]")
_TIME_UNITS = frozenset("day days hours hour weeks one two three hours minutes shortly just".split())
_TIME_CONJUNCTIONS = frozenset("after before since when while as".split())
#: Mutual accusations as one phrase: "A and B have traded accusations" (a claim per side).
_TRADED = re.compile(r"\b(?:trad|exchang)(?:e|es|ed|ing)\s+(?:accusations|blame|charges)\b", re.IGNORECASE)
_TOLL = re.compile(r"\b(?:gave|gives|giving|put|puts|putting|raised|raising|set|sets)\s+"
                   r"(?:a|the|its|their)\s+(?:death\s+|casualty\s+)?toll\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    """One reporting cue in a sentence and what it attributes. Offsets are article
    offsets; ``scope`` is the span of the attributed words."""

    source: str
    source_type: SourceType
    cue: str
    cue_start: int
    cue_end: int
    speaker_start: int
    scope_start: int
    scope_end: int
    direct: bool
    trailing: bool = False
    nested: bool = False
    #: A passive agent ("claimed by IS"): the scope is what was claimed, before the cue.
    agent: bool = False

    def covers(self, start: int, end: int) -> bool:
        """True when the words at ``[start, end)`` are inside this cue's scope."""
        return self.scope_start <= start and end <= self.scope_end


def _cue_candidates(sentence: Sentence) -> list[tuple[int, int]]:
    """Token index ranges ``[first, last)`` of the cue words in ``sentence``."""
    tokens = sentence.tokens
    found: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        lower = token.lower
        if lower not in _CUE_WORDS:
            continue
        if lower == "according" and index + 1 < len(tokens) and tokens[index + 1].lower == "to":
            found.append((index, index + 2))
        elif lower in _VERBS and _is_verb_use(tokens, index):
            found.append((index, index + 1))
        elif lower in _PARTICLE_VERBS and index + 1 < len(tokens) \
                and tokens[index + 1].lower in _PARTICLE_VERBS[lower] and _is_verb_use(tokens, index):
            found.append((index, index + 2))
    lowered = sentence.text.lower()
    matches = [*(_TOLL.finditer(sentence.text) if "toll" in lowered else ()),
               *(_TRADED.finditer(sentence.text) if "accusations" in lowered or "blame" in lowered else ())]
    for match in matches:
        first = sentence.token_index_at(sentence.start + match.start())
        last = sentence.token_index_at(sentence.start + match.end() - 1) + 1
        if not any(a <= first < b for a, b in found):
            found.append((first, last))
    return sorted(found)


def _is_verb_use(tokens: tuple[Token, ...], index: int) -> bool:
    token = tokens[index]
    if token.is_capitalized:
        return False  # "United States", "State television", "Reports" as a heading
    previous = tokens[index - 1].lower if index else ""
    if previous in _NOUN_MARKERS and token.lower in _NOUN_TWINS:
        return False  # "the reports", "media reports"
    if previous in _DETERMINERS_ONLY and token.lower in ("reported", "claimed", "estimated", "alleged",
                                                        "suspected", "cited", "mentioned"):
        return False  # "the reported attack", "an alleged strike" (but "state media alleged")
    if previous in _DETERMINERS_ONLY and token.lower in ("said", "report", "claim", "statement"):
        return False
    if previous.rstrip("s").rstrip("'") in TIME_WORDS and token.lower in ("alleged", "reported", "claimed", "suspected"):
        return False  # "Wednesdays alleged attack" (an apostrophe lost)
    before = [t.lower for t in tokens[max(0, index - 3):index]]
    if any(word in _NEGATIONS for word in before[-2:]):
        return False
    if index + 1 < len(tokens) and tokens[index + 1].lower in _FINITE_REPORTING \
            and token.lower in _NOUN_FORMS:
        return False  # "A UN report said", "the group's claim said": a noun before the verb
    if token.lower == "saying" and previous == "as" \
            and any(t.lower == "quoted" for t in tokens[max(0, index - 10):index - 1]):
        return False  # part of "quoted (X) as saying"
    if token.lower == "described":
        return any(t.lower == "as" for t in tokens[index + 1:index + 8])  # "what one rebel described as"
    if previous in _PASSIVE and token.lower not in ("saying", "quoted"):
        return index + 1 < len(tokens) and tokens[index + 1].lower == "by"
    if token.lower in _NOUN_TWINS and not index:
        return False
    following = " ".join(t.lower for t in tokens[index + 1:index + 3])
    if token.lower.startswith("claim") and following in ("the lives", "their lives", "the life"):
        return False
    return not (token.lower == "estimated" and (previous in ("an", "the") or index == 0))


def _passive_aux(tokens: tuple[Token, ...], index: int) -> int | None:
    """Index of the passive auxiliary of the participle at ``index`` ("was (also) quoted"),
    else None."""
    before = index - 1
    while before >= 0 and tokens[before].lower not in _PASSIVE \
            and (tokens[before].lower in _AUXILIARIES or _is_adverb(tokens[before])):
        before -= 1
    return before if before >= 0 and tokens[before].lower in _PASSIVE else None


def _skip_auxiliaries(tokens: tuple[Token, ...], index: int) -> int:
    """Start of the cue words before the verb at ``index``: "has said", "has always
    denied", "officially announced"."""
    while index > 0 and (tokens[index - 1].lower in _AUXILIARIES or _is_adverb(tokens[index - 1])):
        index -= 1
    return index


def _is_adverb(token: Token) -> bool:
    lower = token.lower
    return lower.endswith("ly") and len(lower) > 4 and not token.is_capitalized and lower not in ("italy",)


def _skip_between(tokens: tuple[Token, ...], index: int) -> int:
    """Index of the speaker's end before the verb at ``index``: past auxiliaries, adverbs
    ("strongly", "meanwhile") and a time ("on Monday")."""
    while index > 0:
        token = tokens[index - 1]
        lower = token.lower
        if lower in _AUXILIARIES or _is_adverb(token) or (lower in _BETWEEN and not token.is_capitalized) \
                or (lower in TIME_WORDS and index > 1 and tokens[index - 2].lower == "on"):
            index -= 1
        else:
            break
    return index


def _cue_extent(tokens: tuple[Token, ...], first: int, last: int) -> int:
    """End of the cue words: "told AFP", "said in a statement"."""
    verb = tokens[first].lower
    if verb in ("told", "tells", "tell", "telling") and last < len(tokens):
        obj = phrase_after(tokens, last)
        if obj and len(obj) <= 4:
            return tokens.index(obj[-1]) + 1
        if tokens[last].lower in ("reporters", "journalists"):
            return last + 1
    if verb == "quoted" and (_passive_aux(tokens, first) is not None
                             or last < len(tokens) and tokens[last].lower == "by"):
        for index in range(last, min(last + 10, len(tokens) - 1)):  # "was quoted (by X) as saying"
            if tokens[index].lower == "as" and tokens[index + 1].lower == "saying":
                return index + 2
            if tokens[index].text in ".;:\"“”":
                break
    words = [t.lower for t in tokens[last:last + 4]]
    if words[:3] == ["in", "a", "statement"]:
        return last + 3
    return last


#: What follows "said by" when it names a channel, not an agent: "said by telephone".
_CHANNELS = frozenset("telephone phone email e-mail text message video videolink satellite skype "
                      "whatsapp radio letter".split())


def _is_agent(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """True for a passive agent after the cue ("claimed by the IS group"), not a channel
    ("said by telephone")."""
    return last + 1 < len(tokens) and tokens[last].lower == "by" and tokens[last + 1].lower not in _CHANNELS


def _speaker(sentence: Sentence, first: int, last: int, memory: SpeakerMemory,
             previous: Attribution | None) -> tuple[str, int, int, bool] | None:
    """(source, token start, token end, inverted) of the cue at ``[first, last)``."""
    tokens = sentence.tokens
    if tokens[first].lower == "according":
        return _through_document(sentence, last) or _phrase_at(sentence, last, inverted=True)
    if _is_agent(tokens, first, last):
        return _phrase_at(sentence, last + 1, inverted=True)  # "claimed by the IS group"
    aux = _passive_aux(tokens, first) if tokens[first].lower == "quoted" else None
    if aux is not None:
        head = _skip_between(tokens, aux)  # "The governor was (also) quoted as saying"
        before = phrase_before(tokens, head)
        if not before:
            return None
        start = tokens.index(before[0])
        return join(before, sentence.text, sentence.start), start, head, False
    if tokens[first].lower in _PARTICIPLES_NEED_SUBJECT or tokens[first].lower in ("putting", "giving", "raising"):
        # "X said A adding B", "The Governor visited ... stressing B": the clause's subject
        if previous is not None:
            start = sentence.token_index_at(previous.speaker_start)
            return previous.source, start, start + 1, False
        return _subject(sentence, memory)
    head = _skip_between(tokens, first)
    if tokens[first].lower.startswith(("trad", "exchang")):
        while head > 0 and tokens[head - 1].lower in _PASSIVE | _AUXILIARIES:
            head -= 1  # "A and B have been trading accusations"
    if head > 0 and is_pronoun(tokens[head - 1]):
        resolved = memory.resolve(tokens[head - 1].text)
        return None if resolved is None else (resolved, head - 1, head, False)
    before = phrase_before(tokens, head)
    antecedent = _across_relative(tokens, tokens.index(before[0]) if before else head, bool(before))
    if antecedent:  # "The monitor, which relies on sources on the ground, said"
        start = tokens.index(antecedent[0])
        if start > 1 and tokens[start - 1].text == "," and antecedent[0].lower in ("a", "an", "the", "one"):
            named = phrase_before(tokens, start - 1)  # "The White Helmets, a rescue group that ..., said"
            if any(t.is_capitalized for t in named[1:] or named):
                antecedent = named
                start = tokens.index(named[0])
        return join(antecedent, sentence.text, sentence.start), start, start + len(antecedent), False
    if before:
        start = tokens.index(before[0])
        owner = memory.resolve(_POSSESSIVES[before[0].lower]) \
            if before[0].lower in _POSSESSIVES and len(before) == 2 else None
        if owner and not owner.lower().startswith(("the ", "a ", "an ")):  # "his office said"
            return f"{owner}'s {before[1].text}", start, head, False
        return join(before, sentence.text, sentence.start), start, head, False
    if head > 1 and tokens[head - 1].text == ",":
        opening = _apposition_start(tokens, head - 1)
        name = phrase_before(tokens, opening) if opening else []
        if name:  # "The Observatory, a Britain-based monitoring group, said"
            start = tokens.index(name[0])
            role_end = next((i for i in range(opening + 1, head - 1) if tokens[i].text == "("), head - 1)
            if _is_role(tokens[opening + 1:role_end]):  # "Saleh Zein, spokesman for the Levant Front, said"
                return join(list(tokens[start:role_end]), sentence.text, sentence.start), start, head - 1, False
            return join(name, sentence.text, sentence.start), start, opening, False
        named = _described_name(tokens, opening, head - 1) if opening else None
        if named is not None:  # "A resident of the town, Abu Ahmad, told AFP"
            return join(list(tokens[named:head - 1]), sentence.text, sentence.start), named, head - 1, False
    if tokens[first].lower in ("told", "tells", "tell"):
        last = _cue_extent(tokens, first, last)  # the addressee ("told AFP") is never the speaker
    if head == 0 or tokens[head - 1].text in "\"“”,'’:":
        return _phrase_at(sentence, last, inverted=True)  # '"...," said Observatory head X'
    if tokens[head - 1].lower in ("but", "and", "also"):
        return _subject(sentence, memory)  # "X did not say A but said B"
    after = _phrase_at(sentence, last, inverted=True)
    if after and _ends_clause(tokens, after[2]) and any(t.is_capitalized for t in tokens[after[1]:after[2]]):
        return after  # "... the road is closed said Observatory chief Rami Abdel Rahman"
    return _noun_phrase_subject(sentence, head)


#: Words that open a clause about the speaker between it and its verb: "The monitor, which
#: relies on sources on the ground, said", "an official who asked not to be named said".
_RELATIVE = frozenset("who which that whose speaking asking asked requesting citing quoting".split())
#: Participles whose object is another source the speaker relays: "SANA, citing a police
#: source, said" is SANA's claim (as "SANA reported that a police source said" is).
_RELAYING = frozenset({"citing", "quoting"})


def _across_relative(tokens: tuple[Token, ...], end: int, found: bool) -> list[Token]:
    """The source phrase before a relative or participial clause that ends at token
    ``end`` (the verb, or the start of a phrase ``found`` inside the clause: in "the
    website that is affiliated to the opposition said" the speaker is the website), else
    an empty list. A phrase right after the pronoun ("the strikes that the Observatory
    said killed 20") is the clause's own subject and stays the speaker."""
    stop = end - 1 if end and tokens[end - 1].text == "," else end
    for index in range(stop - 1, max(stop - 16, 0), -1):
        token = tokens[index]
        if token.text in ".;:\"“”()" or token.lower in _CUE_WORDS:
            return []
        if token.lower not in _RELATIVE or token.is_capitalized or tokens[index - 1].lower in _RELATIVE:
            continue  # "who asked not to be named": the clause opens at "who"
        relaying = token.lower in _RELAYING
        if index + 1 >= stop and not (relaying and found) or found and not relaying \
                and (index + 1 == end or tokens[end - 1].lower not in _CLAUSE_PREPOSITIONS):
            return []  # "authorities who have declared ...": the clause is the statement
        name_end = index - 1 if tokens[index - 1].text == "," else index
        name = phrase_before(tokens, name_end)
        if not name or tokens.index(name[-1]) + 1 != name_end or name[-1].lower in ("one", "some"):
            return []
        opening = tokens.index(name[0])
        if not found and opening and tokens[opening - 1].text not in ",;:\"“”" \
                and tokens[opening - 1].lower not in _OPENERS_DROPPED \
                and tokens[opening - 1].lower not in TIME_WORDS:
            return []  # the phrase must open its clause: not "We ask that the team that is there ... Fabius said"
        return name
    return []


#: Possessive pronouns and the pronoun that names their owner: "his office said".
_POSSESSIVES = {"his": "he", "her": "she", "its": "it"}
#: Words before a source phrase inside a clause about the speaker: "affiliated to the
#: opposition", "relies on activists", "who heads the Observatory".
_CLAUSE_PREPOSITIONS = frozenset("""
    to of by with for from in at on inside across near over within about into among around
    through throughout outside heads leads runs chairs represents directs monitors
""".split())


#: Words that may follow a speaker named after its cue: "said Noha 45 who ...".
_AFTER_SPEAKER = frozenset("""
    who whose a an adding saying told in on at referring asking noting as according while
    speaking when
""".split())


def _apposition_start(tokens: tuple[Token, ...], closing: int) -> int | None:
    """Index of the comma that opens an apposition closed by the comma at ``closing``
    (at most eight words back, a parenthesis inside not counted), else None."""
    depth = words = 0
    for index in range(closing - 1, 0, -1):
        text = tokens[index].text
        depth += (text == ")") - (text == "(")
        if depth > 0 or text in "()":
            continue
        if text == ",":
            return index
        words += 1
        if words >= 12:
            return None
    return None


def _described_name(tokens: tuple[Token, ...], opening: int, closing: int) -> int | None:
    """Start of "a resident of the town, Abu Ahmad" when the commas at ``opening`` and
    ``closing`` enclose a name and a description of a speaker opens the clause before it."""
    name = phrase_before(tokens, closing)
    if not name or tokens.index(name[0]) != opening + 1 or not all(t.is_capitalized for t in name):
        return None
    for start in range(opening - 1, max(opening - 9, -1), -1):
        if tokens[start].text in ".,;:\"“”()":
            return None
        if tokens[start].lower in ("a", "an", "the") and (start == 0 or tokens[start - 1].text in ",;:\"“”"):
            words = tokens[start + 1:opening]
            return start if any(t.lower in SOURCE_WORDS or t.lower in PEOPLE for t in words) else None
    return None


_ROLE_WORDS = frozenset("""
    spokesman spokeswoman spokesperson head chief director commander leader official minister
    governor president founder member envoy representative ambassador coordinator
""".split())


def _is_role(words: Sequence[Token]) -> bool:
    """True for an apposition that says what a named person is: "spokesman for the Levant
    Front", "a senior commander of the group", "the head of the council"."""
    if not words or len(words) > 9:
        return False
    index = 0
    while index < len(words) and index < 3 and (words[index].lower in ("a", "an", "the", "senior", "top",
                                                                       "local", "military", "political")
                                                or words[index].is_capitalized):
        index += 1
    return index < len(words) and words[index].lower in _ROLE_WORDS


def _ends_clause(tokens: tuple[Token, ...], end: int) -> bool:
    """True when the speaker phrase ending at ``end`` closes its clause: the sentence end,
    punctuation, an age ("Noha 45"), or words that go on about the speaker."""
    if end >= len(tokens):
        return True
    token = tokens[end]
    return not token.text[:1].isalnum() or token.text.isdigit() or token.lower in _AFTER_SPEAKER \
        or token.lower in TIME_WORDS


def _through_document(sentence: Sentence, index: int) -> tuple[str, int, int, bool] | None:
    """The source of "according to a statement (issued) by X", "a report from X"."""
    tokens = sentence.tokens
    position = index
    while position < len(tokens) and position - index < 5 and tokens[position].lower not in _DOCUMENTS:
        if tokens[position].text in ".,;:":
            return None
        position += 1
    if position >= len(tokens) or tokens[position].lower not in _DOCUMENTS:
        return None
    position += 1
    if position < len(tokens) and tokens[position].lower in ("issued", "released", "published", "given"):
        position += 1
    if position < len(tokens) and tokens[position].lower in ("by", "from", "of"):
        return _phrase_at(sentence, position + 1, inverted=True)
    return None


def _noun_phrase_subject(sentence: Sentence, head: int) -> tuple[str, int, int, bool] | None:
    """A short noun phrase that opens the clause and ends at the verb ("Organizers of the
    forum said"), when no source phrase was found."""
    tokens = sentence.tokens
    start = max((i + 1 for i in range(head) if tokens[i].text in ",;:\"“”"), default=0)
    while start < head and tokens[start].lower in _OPENERS_DROPPED:
        start += 1
    words = tokens[start:head]
    if not 1 <= len(words) <= 7 or not words[0].is_capitalized and words[0].lower not in ("the", "a", "an"):
        return None
    if any(is_verb_like_word(t) or t.text.isdigit() or not t.text[:1].isalnum() for t in words) \
            or all(t.lower in TIME_WORDS or t.lower in ("the", "a", "an", "of") for t in words):
        return None
    speakers = [t for i, t in enumerate(words) if t.lower in SOURCE_WORDS or t.lower in PEOPLE
                or t.lower.endswith(_AGENT_SUFFIXES) or (i and t.is_capitalized)]
    if not speakers:
        return None  # "The fighting threatened ...", "The footage revealed ...": no speaker
    return join(list(words), sentence.text, sentence.start), start, head, False


_AGENT_SUFFIXES = ("ers", "ors", "ists", "ians", "ants", "ents")


#: Words that open a clause before its subject: "In turn the envoy said", "But officials said".
_OPENERS_DROPPED = frozenset("but and in turn meanwhile however also separately later earlier so yet".split())


def _phrase_at(sentence: Sentence, index: int, *, inverted: bool) -> tuple[str, int, int, bool] | None:
    phrase = phrase_after(sentence.tokens, index)
    if not phrase:
        return None
    start = sentence.tokens.index(phrase[0])
    return join(phrase, sentence.text, sentence.start), start, start + len(phrase), inverted


def _subject(sentence: Sentence, memory: SpeakerMemory) -> tuple[str, int, int, bool] | None:
    """The source phrase that opens the sentence (a pronoun resolved), or None."""
    tokens = sentence.tokens
    if tokens and is_pronoun(tokens[0]):
        resolved = memory.resolve(tokens[0].text)
        return None if resolved is None else (resolved, 0, 1, False)
    found = _phrase_at(sentence, 0, inverted=False)
    if found is None or tokens[0].lower in _OPENERS_DROPPED | _SENTENCE_OPENERS or tokens[0].lower in TIME_WORDS:
        return None  # "On Saturday a blast killed 100 ..., adding new urgency"
    return found


_SENTENCE_OPENERS = frozenset("on in at after before while when as since during for with from".split())


def _is_trailing(tokens: tuple[Token, ...], after: int) -> bool:
    """True when nothing but time words, a medium or a new clause follows ``after``."""
    rest = [t for t in tokens[after:] if t.text not in ".,;:!?\"“”'’)("]
    if not rest:
        return True
    if rest[0].lower in ("that", ":"):
        return False
    if rest[0].lower in _CLAUSE_OPENERS and tokens[after].text != ":":
        return True
    timed = next((i for i, t in enumerate(rest[:5]) if t.lower not in _TRAILING_OK | _TIME_UNITS
                  and not t.text[:1].isdigit()), None)
    if timed and rest[timed].lower in _TIME_CONJUNCTIONS:
        return True  # "... residents said a day after rights groups said ..."
    return all(t.lower in _TRAILING_OK or t.text[:1].isdigit() for t in rest[:6]) and len(rest) <= 6


def _quoted_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """Article offsets of the quoted passages of three words or more."""
    marks = [m.start() for m in _QUOTED.finditer(sentence.text)]
    spans: list[tuple[int, int]] = []
    if len(marks) % 2 == 1:  # a quotation closed here that opened in an earlier sentence
        marks = [-1, *marks]
    for opening, closing in zip(marks[::2], marks[1::2], strict=True):
        inner = sentence.text[opening + 1:closing]
        if len(inner.split()) >= 3:
            spans.append((sentence.start + opening + 1, sentence.start + closing))
    return spans


def find_attributions(sentence: Sentence, memory: SpeakerMemory) -> list[Attribution]:
    """Every attribution in ``sentence``, in order; ``nested`` marks a cue inside another
    cue's scope ("SANA reported that the army said ..."), which is not a claim of its own
    but still tells who states a figure. Named speakers are added to ``memory``."""
    tokens = sentence.tokens
    found: list[Attribution] = []
    quoted = _quoted_spans(sentence)
    for first, last in _cue_candidates(sentence):
        speaker = _speaker(sentence, first, last, memory, found[-1] if found else None)
        if speaker is None:
            continue
        source, speaker_first, speaker_last, inverted = speaker
        if inverted or not is_pronoun(tokens[speaker_first]):
            source = memory.fullest(source)
            memory.remember(source)
            if speaker_last < len(tokens) and tokens[speaker_last].text.isdigit() \
                    and source not in memory.people:
                memory.people.append(source)  # "said Samira 55": a name with an age is a person
        cue_first = first if inverted else _skip_auxiliaries(tokens, first)
        aux = _passive_aux(tokens, first) if tokens[first].lower == "quoted" and not inverted else None
        if aux is not None:
            cue_first = _skip_auxiliaries(tokens, aux)  # "was quoted as saying"
        cue_last = _cue_extent(tokens, first, last)
        after = max(cue_last, speaker_last) if inverted and speaker_first >= last else cue_last
        agent = _is_agent(tokens, first, last) and tokens[first].lower not in ("according", "quoted")
        if agent:
            trailing = True  # "bombings claimed by the IS group": what was claimed comes before
        elif tokens[first].lower == "according" and speaker_first >= last:
            trailing = first > 0 and _is_trailing(tokens, after)  # "..., according to X"
        else:
            trailing = _is_trailing(tokens, after)
        if trailing and not agent and not any(t.text[:1].isalnum() for t in tokens[:min(speaker_first, cue_first)]):
            trailing = False  # "The Observatory said after the bombing that ...": nothing before it
        if trailing:
            scope = (sentence.start, tokens[min(speaker_first, cue_first)].start)
        else:
            scope = (tokens[after].start if after < len(tokens) else sentence.end, sentence.end)
        direct = any(a < scope[1] and b > scope[0] for a, b in quoted)
        sources = [(source, speaker_first)]
        if _RECIPROCAL.search(sentence.text) and speaker_first > 1 and tokens[speaker_first - 1].lower == "and":
            other = phrase_before(tokens, speaker_first - 1)  # "A and B have blamed each other"
            if other:
                sources.insert(0, (memory.fullest(join(other, sentence.text, sentence.start)),
                                   tokens.index(other[0])))
        elif _RECIPROCAL.search(sentence.text) and not inverted:
            sources = _split_sides(sentence, speaker_first, speaker_last) or sources  # "Russia and Turkey"
        for name, start in sources:
            memory.cues.append((name, sentence.slice(tokens[cue_first].start, tokens[cue_last - 1].end)
                                + (" statement" if "statement" in sentence.text[tokens[cue_last - 1].end
                                                                            - sentence.start:][:30] else "")))
            found.append(Attribution(
                source=name, source_type=source_type(name),
                cue=sentence.slice(tokens[cue_first].start, tokens[cue_last - 1].end),
                cue_start=tokens[cue_first].start, cue_end=tokens[cue_last - 1].end,
                speaker_start=tokens[start].start,
                scope_start=scope[0], scope_end=scope[1], direct=direct, trailing=trailing,
                agent=agent,
            ))
    found.extend(_headline_colon(sentence, memory, found))
    return _mark_nesting(sorted(found, key=lambda a: a.cue_start), tokens)


def _split_sides(sentence: Sentence, first: int, last: int) -> list[tuple[str, int]]:
    """The two sides of a speaker phrase "A and B" (token range ``[first, last)``) that
    accuse each other, each with its first token index; empty when there is no "and"."""
    tokens = sentence.tokens
    joint = next((i for i in range(first + 1, last - 1) if tokens[i].lower == "and"), None)
    if joint is None:
        return []
    sides = [(first, joint), (joint + 1, last)]
    return [(join(list(tokens[a:b]), sentence.text, sentence.start), a) for a, b in sides]


def _headline_colon(sentence: Sentence, memory: SpeakerMemory,
                    found: list[Attribution]) -> list[Attribution]:
    """'Observatory: 20 killed in strikes', 'Interim Minister of Health: hospitals out of
    service': a source named before a colon that opens the sentence (after a date) states
    what follows. A place ("Deir Ezzur: ...") or a credit line ("Source: X") does not."""
    tokens = sentence.tokens
    colon = next((i for i, t in enumerate(tokens[:14]) if t.text == ":"), None)
    if colon is None or colon < 1 or len(tokens) - colon < 4 or any(a.cue_start < tokens[colon].start for a in found):
        return []
    name = phrase_before(tokens, colon)
    if not name:
        return []
    start = tokens.index(name[0])
    if any(t.text[:1].isalpha() and t.lower not in TIME_WORDS for t in tokens[:start]):
        return []  # the name does not open the sentence
    source = join(name, sentence.text, sentence.start)
    if source.lower() in ("source", "sources", "photo", "credit", "note") \
            or source_type(source) in (SourceType.other, SourceType.unnamed):
        return []
    source = memory.fullest(source)
    memory.remember(source)
    cue = tokens[colon]
    return [Attribution(source=source, source_type=source_type(source), cue=cue.text,
                        cue_start=cue.start, cue_end=cue.end, speaker_start=name[0].start,
                        scope_start=tokens[colon + 1].start, scope_end=sentence.end,
                        direct=False, trailing=False)]


def _mark_nesting(found: list[Attribution], tokens: tuple[Token, ...]) -> list[Attribution]:
    """Cut forward scopes at a coordinated attribution and mark nested cues."""
    if len(found) < 2:
        return found
    starts = {t.start: i for i, t in enumerate(tokens)}
    result = list(found)
    for i, outer in enumerate(result):
        if _answers_claim(outer, tokens, starts):
            continue  # "The rebels say A, a charge the government denies": two claims
        for j, inner in enumerate(result):
            if i == j or not outer.covers(inner.speaker_start, inner.cue_end):
                continue
            if inner.trailing and inner.covers(outer.speaker_start, outer.cue_end):
                continue  # "... the UN said ... Pillay said in a statement": Pillay is outer
            index = starts.get(min(inner.speaker_start, inner.cue_start), 0)
            coordinated = index > 0 and tokens[index - 1].lower in ("and", "while", "but", ";")
            if coordinated and outer.scope_end == tokens[-1].end and outer.scope_start < inner.speaker_start:
                result[i] = outer = _replace(outer, scope_end=tokens[index - 1].start)
            elif not inner.nested:
                result[j] = _replace(inner, nested=True)
    return result


#: Nouns that take up an earlier statement: "..., a charge the government denies".
_CLAIM_NOUNS = frozenset("charge claim accusation allegation assertion account version".split())


def _answers_claim(attribution: Attribution, tokens: tuple[Token, ...], starts: dict[int, int]) -> bool:
    """True for a trailing cue in a clause like ", a charge the government denies", which
    answers the statement before it instead of reporting it."""
    index = starts.get(attribution.speaker_start, 0)
    words = [t.lower for t in tokens[max(0, index - 3):index]]
    return attribution.trailing and len(words) == 3 and words[0] == "," and words[1] in ("a", "an") \
        and words[2] in _CLAIM_NOUNS


def _replace(attribution: Attribution, **changes: object) -> Attribution:
    values = {name: getattr(attribution, name) for name in Attribution.__slots__}
    values.update(changes)
    return Attribution(**values)  # type: ignore[arg-type]


def stated_by(attributions: list[Attribution], start: int, end: int) -> Attribution | None:
    """The innermost attribution whose scope holds ``[start, end)``, or None."""
    covering = [a for a in attributions if a.covers(start, end)]
    if not covering:
        return None
    return min(covering, key=lambda a: a.scope_end - a.scope_start)


def opens_next_sentence(sentence: Sentence, attributions: list[Attribution]) -> Attribution | None:
    """The attribution whose words are the next sentence: 'The ministry said in a
    statement:' at the end of a line, the statement on the next."""
    if not sentence.text.rstrip().endswith(":"):
        return None
    for attribution in reversed(attributions):
        if not attribution.nested and attribution.scope_end - attribution.scope_start < 3:
            return attribution
    return None


def carried(attribution: Attribution, sentence: Sentence) -> Attribution:
    """``attribution`` (from the sentence before) covering the whole of ``sentence``; it
    tells who states the figures there and is no claim of its own there."""
    return _replace(attribution, scope_start=sentence.start, scope_end=sentence.end,
                    nested=True, direct=bool(_QUOTED.search(sentence.text)))

