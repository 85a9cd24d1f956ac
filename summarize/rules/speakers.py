"""Who speaks at a reporting cue: the source phrase before it ("the Observatory said"),
across an apposition or a clause about the speaker ("The monitor, which relies on
sources on the ground, said"), after it ('"...," said Observatory head Rami Abdel
Rahman'), or the subject of the sentence ("X did A but said B"); pronouns and
possessives go to the last source of the same kind (``SpeakerMemory``).
"""

from __future__ import annotations

from collections.abc import Sequence

from summarize.rules.cues import (
    AUXILIARIES,
    CUE_WORDS,
    PARTICIPLES_NEED_SUBJECT,
    PASSIVE,
    cue_extent,
    is_adverb,
    is_agent,
    passive_aux,
)
from summarize.rules.memory import SpeakerMemory
from summarize.rules.outcomes import is_verb_like as is_verb_like_word
from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import (
    KIN,
    SOURCE_WORDS,
    TIME_WORDS,
    is_pronoun,
    join,
    phrase_after,
    phrase_before,
)
from summarize.rules.vocabulary import PEOPLE

#: Words naming a document through which a source speaks: "according to a statement by X".
_DOCUMENTS = frozenset("""
    statement statements report reports toll tally count figures estimate estimates data
    study survey list census communique announcement records statistics tallies counts
""".split())
#: Words that may stand between a speaker and its verb besides auxiliaries: "The army
#: meanwhile said", "The government has strongly denied", "The ministry on Monday said".
_BETWEEN = frozenset("""
    meanwhile however too though yesterday today tonight on
""".split()) | TIME_WORDS


def _skip_between(tokens: tuple[Token, ...], index: int) -> int:
    """Index of the speaker's end before the verb at ``index``: past auxiliaries, adverbs
    ("strongly", "meanwhile") and a time ("on Monday")."""
    while index > 0:
        token = tokens[index - 1]
        lower = token.lower
        if lower in AUXILIARIES or is_adverb(token) or (lower in _BETWEEN and not token.is_capitalized) \
                or (lower in TIME_WORDS and index > 1 and tokens[index - 2].lower == "on"):
            index -= 1
        elif lower in ("is", "are", "was", "were") and index < len(tokens) and tokens[index].lower.endswith("ing"):
            index -= 1  # "The ministry is expressing concern": the progressive's auxiliary
        elif lower == "turn" and index > 1 and tokens[index - 2].lower == "in":
            index -= 2  # "The rebels in turn said"
        elif lower == "part" and index > 2 and tokens[index - 3].lower == "for" \
                and tokens[index - 2].lower in ("its", "his", "her", "their", "our"):
            index -= 3  # "The monitor for its part said"
        else:
            break
    return index


def find_speaker(sentence: Sentence, first: int, last: int, memory: SpeakerMemory,
                 previous: tuple[str, int] | None) -> tuple[str, int, int, bool] | None:
    """(source, token start, token end, inverted) of the cue at ``[first, last)``;
    ``previous`` is the source and speaker offset of the cue before it in the sentence."""
    tokens = sentence.tokens
    if tokens[first].lower == "according":
        found = _through_document(sentence, last) or _phrase_at(sentence, last, inverted=True) \
            or _document_owner(sentence, last)
        if found and found[2] < len(tokens) and tokens[found[2]].lower in _DOCUMENTS:
            found = (found[0], found[1], found[2] + 1, found[3])  # "according to UN figures"
        return found
    if is_agent(tokens, first, last):
        return _phrase_at(sentence, last + 1, inverted=True)  # "claimed by the IS group"
    aux = passive_aux(tokens, first) if tokens[first].lower in ("quoted", "cited") else None
    if aux is not None:
        head = _skip_between(tokens, aux)  # "The governor was (also) quoted as saying"
        before = phrase_before(tokens, head)
        if not before:
            return None
        start = tokens.index(before[0])
        return _spoken(sentence, before, start, head)
    if tokens[first].lower in PARTICIPLES_NEED_SUBJECT or tokens[first].lower in ("putting", "giving", "raising"):
        # "X said A adding B", "The Governor visited ... stressing B": the clause's subject
        if previous is not None:
            source, offset = previous
            start = sentence.token_index_at(offset)
            return source, start, start + 1, False
        return _subject(sentence, memory)
    head = _skip_between(tokens, first)
    if tokens[first].lower.startswith(("trad", "exchang")):
        while head > 0 and tokens[head - 1].lower in PASSIVE | AUXILIARIES:
            head -= 1  # "A and B have been trading accusations"
    if head > 0 and is_pronoun(tokens[head - 1]):
        resolved = memory.resolve(tokens[head - 1].text)
        return None if resolved is None else (resolved, head - 1, head, False)
    before = phrase_before(tokens, head)
    if before:
        before = _person_from_place(tokens, before)  # "An activist from Saraqeb said"
    antecedent = _across_relative(tokens, tokens.index(before[0]) if before else head, bool(before))
    if antecedent:  # "The monitor, which relies on sources on the ground, said"
        start = tokens.index(antecedent[0])
        if start > 1 and tokens[start - 1].text == "," and antecedent[0].lower in ("a", "an", "the", "one"):
            named = phrase_before(tokens, start - 1)  # "The White Helmets, a rescue group that ..., said"
            if any(t.is_capitalized for t in named[1:] or named):
                antecedent = named
                start = tokens.index(named[0])
        return _spoken(sentence, antecedent, start, start + len(antecedent))
    if before:
        before = _joint(tokens, before)  # "The Local Committees and the observatory said"
        start = tokens.index(before[0])
        owner = memory.resolve(_POSSESSIVES[before[0].lower]) \
            if before[0].lower in _POSSESSIVES and len(before) == 2 else None
        if owner and not owner.lower().startswith(("the ", "a ", "an ")):  # "his office said"
            return f"{owner}'s {before[1].text}", start, head, False
        return _spoken(sentence, before, start, head)
    if head > 1 and tokens[head - 1].text == ",":
        opening = _apposition_start(tokens, head - 1)
        name = phrase_before(tokens, opening) if opening else []
        if opening and not name and opening > 2 and tokens[opening - 1].text.isdigit() \
                and tokens[opening - 2].text == ",":  # "Noha Saleh, 45, a teacher, said": past the age
            name = phrase_before(tokens, opening - 2)
            if name:
                start = tokens.index(name[0])
                return _spoken(sentence, name, start, opening - 2)
        if name and _aged(tokens, opening, head - 1) and tokens[first].lower in ("said", "says"):
            after = _phrase_at(sentence, last, inverted=True)
            if after and after[2] < len(tokens) and tokens[after[2]].text in (",", ".", ";") \
                    and tokens[after[1]].lower in ("the", "a", "an"):
                return after  # "Ahmad Ali, 45, said the monitor, was among the dead": the monitor speaks
        if name:  # "The Observatory, a Britain-based monitoring group, said"
            start = tokens.index(name[0])
            role_end = next((i for i in range(opening + 1, head - 1) if tokens[i].text == "("), head - 1)
            if _is_role(tokens[opening + 1:role_end]):  # "Saleh Zein, spokesman for the Levant Front, said"
                return _spoken(sentence, tokens[start:role_end], start, head - 1)
            if _is_personal_name(tokens[opening + 1:head - 1]) and any(t.lower in _ROLE_WORDS | KIN for t in name):
                return _spoken(sentence, tokens[start:head - 1], start, head - 1)  # "The head of X, Ahmed Ali, said"
            return _spoken(sentence, name, start, opening)
        named = _described_name(tokens, opening, head - 1) if opening else None
        if named is not None:  # "A resident of the town, Abu Ahmad, told AFP"
            return _spoken(sentence, tokens[named:head - 1], named, head - 1)
    if tokens[first].lower in ("told", "tells", "tell"):
        last = cue_extent(tokens, first, last)  # the addressee ("told AFP") is never the speaker
    if head == 0 or tokens[head - 1].text in "\"“”,'’:":
        if last < len(tokens) and tokens[last].lower in ("a", "an", "the") and tokens[first].lower in ("said", "says"):
            document = _through_document(sentence, last)  # "..., said a statement from the army"
            if document:
                return document
        found = _phrase_at(sentence, last, inverted=True)  # '"...," said Observatory head X'
        if found is None and head > 2 and tokens[head - 1].text == ",":
            return _noun_phrase_subject(sentence, head)  # "A resident of the town, who ..., said"
        return found
    if tokens[head - 1].lower in ("but", "and", "also"):
        return _subject(sentence, memory)  # "X did not say A but said B"
    after = _phrase_at(sentence, last, inverted=True)
    if after and _ends_clause(tokens, after[2]) and any(t.is_capitalized for t in tokens[after[1]:after[2]]):
        return after  # "... the road is closed said Observatory chief Rami Abdel Rahman"
    return _noun_phrase_subject(sentence, head)


def _aged(tokens: tuple[Token, ...], opening: int, closing: int) -> bool:
    """True when the commas at ``opening`` and ``closing`` set off an age alone: ", 45,"."""
    return closing == opening + 2 and tokens[opening + 1].text.isdigit()


def _joint(tokens: tuple[Token, ...], phrase: list[Token]) -> list[Token]:
    """``phrase`` with a source joined to it by "and" when the two open their clause
    ("State media and activists said"): the guide's joint source, typed as its first."""
    start = tokens.index(phrase[0])
    if start < 2 or tokens[start - 1].lower != "and":
        return phrase
    left = phrase_before(tokens, start - 1)
    if not left:
        return phrase
    opening = tokens.index(left[0])
    if opening and tokens[opening - 1].text not in ",;:\"“”" and tokens[opening - 1].lower not in OPENERS_DROPPED \
            and left[0].text not in ("The", "A"):  # "Chlorine gas The committees and ...": a heading before
        return phrase
    return [*left, *tokens[start - 1:start], *phrase]


def _spoken(sentence: Sentence, words: Sequence[Token], start: int, end: int, *,
            inverted: bool = False) -> tuple[str, int, int, bool]:
    """A found speaker: the text of ``words``, the token range ``[start, end)`` it
    stands for, and whether it follows its cue."""
    return join(list(words), sentence.text, sentence.start), start, end, inverted


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
    said killed 20") is the clause's own subject and stays the speaker; one after a
    preposition or the clause's verb ("an official who met the envoy said") is not."""
    stop = end - 1 if end and tokens[end - 1].text == "," else end
    for index in range(stop - 1, max(stop - 16, 0), -1):
        token = tokens[index]
        if token.text in ".;:\"“”()" or token.lower in CUE_WORDS:
            return []
        if token.lower == "that" and tokens[index - 1].lower in CUE_WORDS:
            return []  # "X reports that A, while the army claims B": a content clause, not a relative one
        if token.lower not in _RELATIVE or token.is_capitalized or tokens[index - 1].lower in _RELATIVE:
            continue  # "who asked not to be named": the clause opens at "who"
        relaying = token.lower in _RELAYING
        if index + 1 >= stop and not (relaying and found) or found and not relaying \
                and (index + 1 == end or not tokens[end - 1].text[:1].isalpha()):
            return []  # "authorities who have declared ...": the clause is the statement
        # "an official who met the envoy said": a phrase the clause's verb governs
        governed = found and not relaying and tokens[end - 1].lower not in _CLAUSE_PREPOSITIONS
        name_end = index - 1 if tokens[index - 1].text == "," else index
        name = phrase_before(tokens, name_end)
        if not name or tokens.index(name[-1]) + 1 != name_end or name[-1].lower in ("one", "some"):
            return []
        opening = tokens.index(name[0])
        if (governed or not found) and opening and tokens[opening - 1].text not in ",;:\"“”" \
                and tokens[opening - 1].lower not in OPENERS_DROPPED \
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
            return start if any(t.lower in SOURCE_WORDS or t.lower in PEOPLE or t.lower in KIN for t in words) else None
    return None


_ROLE_WORDS = frozenset("""
    spokesman spokeswoman spokesperson head chief director commander leader official minister
    governor president founder member envoy representative ambassador coordinator
    doctor surgeon nurse activist
""".split())


#: Participles between a person and the place he is from: "a teacher living in Midan".
_PLACED = frozenset("living based stationed displaced originally".split())


def _person_from_place(tokens: tuple[Token, ...], phrase: list[Token]) -> list[Token]:
    """``phrase`` with the person it is the place of ("An activist from Saraqeb", "a
    teacher living in Midan"): a bare place name after "from"/"in"/"at" is no speaker
    when a person noun stands before the preposition."""
    start = tokens.index(phrase[0])
    if start < 2 or not all(t.is_capitalized or t.text.startswith("al-") for t in phrase) \
            or phrase[0].lower in ("the", "a", "an") \
            or tokens[start - 1].lower not in ("from", "in", "at", "of"):
        return phrase
    noun = start - 2
    if tokens[noun].lower in _PLACED and noun > 0:
        noun -= 1
    if tokens[noun].lower not in PEOPLE and tokens[noun].lower not in _ROLE_WORDS:
        return phrase
    first = noun
    while first > 0 and noun - first < 3 and tokens[first - 1].text[:1].isalnum() \
            and (tokens[first - 1].lower in _ARTICLES or not tokens[first - 1].is_capitalized
                 and not is_verb_like_word(tokens[first - 1])):
        first -= 1
        if tokens[first].lower in _ARTICLES:
            break
    if first == 1 and tokens[0].is_capitalized and tokens[1].lower in ("a", "an") \
            and tokens[0].lower not in OPENERS_DROPPED | SENTENCE_OPENERS:
        first = 0  # "Manal a 28-year-old teacher living in Midan said": a name and its apposition
    words = list(tokens[first:start + len(phrase)])
    if words[-1].lower in ("who", "that"):
        return words[:-1]  # "a doctor in Aleppo who said": the relative clause's own speaker
    if first and tokens[first - 1].text not in ",;:\"“”" and tokens[first - 1].lower not in OPENERS_DROPPED:
        return []  # "The strikes killed 12 civilians in Saraqeb said the Observatory": no speaker before
    return words


_ARTICLES = frozenset({"a", "an", "the", "one", "another"})


def _is_personal_name(words: Sequence[Token]) -> bool:
    """True for two to five capitalised words (Arabic particles allowed): "Ahmed al-Khalil"."""
    return 2 <= len(words) <= 5 and all(t.is_capitalized or t.lower in ("al", "el", "bin", "ibn", "de")
                                        or t.lower.startswith(("al-", "el-")) for t in words)


#: Words before the role word of an apposition: "a senior rebel commander".
_ROLE_MODIFIERS = frozenset("""
    a an the senior top local military political rebel opposition army government regime field media
""".split())


def _is_role(words: Sequence[Token]) -> bool:
    """True for an apposition that says what a named person is: "spokesman for the Levant
    Front", "a senior commander of the group", "the head of the council"."""
    if not words or len(words) > 9:
        return False
    index = 0
    while index < len(words) and index < 3 and (words[index].lower in _ROLE_MODIFIERS
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
    if position < len(tokens) and tokens[position].lower in ("issued", "released", "published", "given", "compiled",
                                                             "kept", "collected", "gathered"):
        position += 1
    if position < len(tokens) and tokens[position].lower in ("by", "from", "of"):
        return _phrase_at(sentence, position + 1, inverted=True)
    return None


def _document_owner(sentence: Sentence, index: int) -> tuple[str, int, int, bool] | None:
    """The source that owns a document named with adjectives: "according to the latest
    SORH estimates" is SORH's; the speaker's range runs to the document word."""
    tokens = sentence.tokens
    for position in range(index, min(index + 6, len(tokens))):
        if tokens[position].text in ".,;:":
            return None
        if tokens[position].lower in _DOCUMENTS:
            owner = phrase_before(tokens, position)
            if not owner or tokens.index(owner[0]) <= index and owner[0].lower not in ("the", "a", "an"):
                return None
            owner = [t for t in owner if t.lower not in ("the", "a", "an")] or owner
            start = tokens.index(owner[0])
            return join(owner, sentence.text, sentence.start), start, position + 1, True
    return None


def _noun_phrase_subject(sentence: Sentence, head: int) -> tuple[str, int, int, bool] | None:
    """A short noun phrase that opens the clause and ends at the verb ("Organizers of the
    forum said") or at a clause about the speaker ("A resident of the town, who asked
    not to be named, said"), when no source phrase was found."""
    tokens = sentence.tokens
    if head > 2 and tokens[head - 1].text == ",":
        opening = _apposition_start(tokens, head - 1)
        if opening and tokens[opening + 1].lower in _RELATIVE:
            head = opening
    start = max((i + 1 for i in range(head) if tokens[i].text in ",;:\"“”"), default=0)
    while start < head and tokens[start].lower in OPENERS_DROPPED:
        start += 1
    words = tokens[start:head]
    if len(words) > 7:  # "We will go back when it is safe a farmer from the village told AFP" (marks lost)
        indefinite = next((i for i in range(head - 2, head - 8, -1) if tokens[i].lower in ("a", "an", "one")), None)
        if indefinite is not None:
            start = indefinite
            if tokens[head - 1].lower in ("who", "that"):
                head -= 1  # "He spoke to a doctor in Aleppo who said": the relative clause's speaker
        words = tokens[start:head]
    if not 1 <= len(words) <= 7 or not words[0].is_capitalized and words[0].lower not in ("the", "a", "an", "one"):
        return None
    if any(is_verb_like_word(t) or t.lower in _SAID or t.text.isdigit() or not t.text[:1].isalnum()
           for t in words) \
            or all(t.lower in TIME_WORDS or t.lower in ("the", "a", "an", "of") for t in words):
        return None
    speakers = [t for i, t in enumerate(words) if t.lower in SOURCE_WORDS or t.lower in PEOPLE
                or t.lower.endswith(_AGENT_SUFFIXES) or (i and t.is_capitalized)]
    if not speakers:
        return None  # "The fighting threatened ...", "The footage revealed ...": no speaker
    return _spoken(sentence, words, start, head)


_AGENT_SUFFIXES = ("ers", "ors", "ists", "ians", "ants", "ents")
#: Finite reporting verbs no subject phrase runs across: "Residents said the two brothers blamed".
_SAID = frozenset("said says told tells added adds stated states".split())


#: Words that open a clause before its subject: "In turn the envoy said", "But officials said".
OPENERS_DROPPED = frozenset("but and in turn meanwhile however also separately later earlier so yet".split())


def _phrase_at(sentence: Sentence, index: int, *, inverted: bool) -> tuple[str, int, int, bool] | None:
    phrase = phrase_after(sentence.tokens, index)
    if not phrase:
        return None
    start = sentence.tokens.index(phrase[0])
    return _spoken(sentence, phrase, start, start + len(phrase), inverted=inverted)


def _subject(sentence: Sentence, memory: SpeakerMemory) -> tuple[str, int, int, bool] | None:
    """The source phrase that opens the sentence (a pronoun resolved), or None."""
    tokens = sentence.tokens
    if tokens and is_pronoun(tokens[0]):
        resolved = memory.resolve(tokens[0].text)
        return None if resolved is None else (resolved, 0, 1, False)
    found = _phrase_at(sentence, 0, inverted=False)
    if found is None or tokens[0].lower in OPENERS_DROPPED | SENTENCE_OPENERS or tokens[0].lower in TIME_WORDS:
        return None  # "On Saturday a blast killed 100 ..., adding new urgency"
    return found


SENTENCE_OPENERS = frozenset("on in at after before while when as since during for with from".split())
