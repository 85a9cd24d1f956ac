"""Find who a sentence attributes its content to: one ``Attribution`` per reporting cue,
with its speaker and its scope.

The cues are found in ``cues.py`` (reporting verbs and their auxiliaries, "according to
X", "X was quoted as saying", toll phrases), their speakers in ``speakers.py``. Here:

Scope: the words the cue attributes. A cue at the end of its clause ("... 12 were
killed the Observatory said on Friday", "... according to SANA") covers the words before
its speaker; otherwise ("X said (that) ...") it covers the words after it, up to the
next coordinated attribution ("... and Colonel Garver said ..."). A cue inside another
one's scope is nested; a headline colon ("Observatory: 20 killed") is a cue of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarize.rules.cues import cue_candidates, cue_extent, is_agent, passive_aux, skip_auxiliaries
from summarize.rules.mentions import both_people, described_person, remember_speech_events
from summarize.rules.outcomes import is_verb_like as is_verb_like_word
from summarize.rules.placelists import sure_place
from summarize.rules.reciprocal import is_reciprocal, reciprocal_sides
from summarize.rules.sentences import Sentence, Token
from summarize.rules.memory import SpeakerMemory
from summarize.rules.sources import TIME_WORDS, apposition_type, is_pronoun, join, phrase_before, source_type
from summarize.rules.speakers import OPENERS_DROPPED, SENTENCE_OPENERS, find_speaker
from summarize.schema import SourceType

#: Reciprocal cues: each party of "A and B have blamed each other" makes a claim.
_RECIPROCAL = re.compile(r"\b(?:each other|one another)\b|\btrad(?:ing|ed|e) (?:accusations|blame)",
                         re.IGNORECASE)
_TRAILING_OK = frozenset("""
    on in at late early last this a an the statement interview website twitter facebook
    telegram its their his her social media accounts channel to reporters journalists
    by phone via citing quoting
""".split()) | TIME_WORDS
_CLAUSE_OPENERS = frozenset({"with", "while", "adding", "as", "but", "after", "stressing",
                             "noting", "warning", "calling", "and", "saying", "when", "amid",
                             "citing", "quoting"})
#: Participles after "said in a statement" that say where the statement ran: "... broadcast on state TV".
_CARRIED = frozenset("broadcast carried published posted issued released aired cited quoted run".split())
_QUOTED = re.compile(r"[\"“”«»]")
_ROLE_TAIL = re.compile(r"\b(?:spokes\w+|head|chief|director|commander|leader|official|member|minister"
                        r"|representative|activist|resident|doctor|monitor|group|source|envoy|founder)\b")
_TIME_UNITS = frozenset("day days hours hour weeks one two three hours minutes shortly just".split())
_TIME_CONJUNCTIONS = frozenset("after before since when while as".split())


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
    #: What a cue in a relative clause is about: "The strikes" in "The strikes, which
    #: the opposition condemned, killed 12" (the scope is then the rest of the clause).
    antecedent: str = ""
    #: Start of the subject an "according to X" in commas splits from its verb ("At least
    #: 12 people, according to SOHR, were killed"): X states it too, up to the cue.
    subject_start: int = -1

    def covers(self, start: int, end: int) -> bool:
        """True when the words at ``[start, end)`` are inside this cue's scope (or in the
        subject it splits from its verb)."""
        return self.scope_start <= start and end <= self.scope_end \
            or 0 <= self.subject_start <= start and end <= self.cue_start


def _is_trailing(tokens: tuple[Token, ...], after: int) -> bool:
    """True when nothing but time words, a medium or a new clause follows ``after``."""
    aged = after + 2 < len(tokens) and tokens[after].text == "," and tokens[after + 1].text.isdigit() \
        and len(tokens[after + 1].text) <= 2 and tokens[after + 2].text in (",", ".", ";")
    if aged:  # "..., said Noha Saleh, 45, a mother of three": the age and what follows describe her
        after += 2
        if tokens[after].text == "," and after + 1 < len(tokens) and tokens[after + 1].lower in ("a", "an"):
            return True
    rest = [t for t in tokens[after:] if t.text not in ".,;:!?\"“”'’)("]
    if not rest:
        return True
    if rest[0].lower in ("that", ":"):
        return False
    if tokens[after].text == "," and rest[0].lower in ("which", "who", "whose"):
        return True  # "..., according to the Network, which documents casualties"
    if rest[0].lower in _CARRIED and tokens[after - 1].lower == "statement":
        return True  # "..., the army said in a statement carried by SANA."
    if tokens[after].text == "," and rest[0].lower in ("a", "an", "the") and _ROLE_TAIL.search(
            " ".join(t.lower for t in rest[1:5])):
        return True  # "..., said Omar Haddad, a spokesman for the Front": the speaker described
    if tokens[after].text == "," and rest[0].lower in ("a", "an") and tokens[after - 1].is_capitalized \
            and len(rest) <= 10 and not any(t.text in ",;:" or is_verb_like_word(t) for t in tokens[after + 1:]):
        return True  # "..., said Noha Saleh, a 45-year-old nurse.": the speaker described
    if tokens[after].text == "," and _ROLE_TAIL.match(rest[0].lower) and len(rest) > 1 \
            and rest[1].lower in ("of", "for", "at", "in", "with"):
        return True  # "..., said Rami Abdel Rahman, head of the Observatory"
    if rest[0].lower in _CLAUSE_OPENERS and tokens[after].text != ":":
        return True
    timed = next((i for i, t in enumerate(rest[:5]) if t.lower not in _TRAILING_OK | _TIME_UNITS
                  and not t.text[:1].isdigit()), None)
    if timed and rest[timed].lower in _TIME_CONJUNCTIONS:
        return True  # "... residents said a day after rights groups said ..."
    return all(t.lower in _TRAILING_OK or t.text[:1].isdigit() for t in rest[:6]) and len(rest) <= 6


_CLOSING = frozenset({'"', "”", "’", "»"})


def _closes_quotation(tokens: tuple[Token, ...], index: int) -> bool:
    """True when the cue or speaker at ``index`` follows a quotation that opens the
    sentence ('"We will stay," said a resident of the town', '"...," a commander said by
    telephone from Idlib'): the quotation is what is said, whatever follows the cue."""
    if index < 3 or tokens[0].text not in ('"', "“", "«", "‘"):
        return False
    if tokens[index - 1].text in _CLOSING and tokens[index - 2].text in (",", "?", "!", "."):
        return True
    return tokens[index - 1].text == "," and tokens[index - 2].text in _CLOSING


#: Words that may follow a cue whose object is the antecedent: "which X blamed on Y,".
_AFTER_OBJECT_GAP = frozenset(", on for as over in at with to".split())


def _relative_object(tokens: tuple[Token, ...], speaker: int, after: int) -> tuple[int, int, int] | None:
    """(start, end, closing comma) of the antecedent when the speaker at ``speaker``
    opens a relative clause in commas whose cue's object is that antecedent ("The
    strikes, which the opposition condemned,", "The attack, which Washington blamed on
    Assad's forces,"); None otherwise ("..., which X said killed 12" has an object)."""
    if speaker < 3 or tokens[speaker - 1].lower not in ("which", "whom") or tokens[speaker - 2].text != "," \
            or after >= len(tokens) or tokens[after].lower not in _AFTER_OBJECT_GAP:
        return None
    closing = next((i for i in range(after, min(after + 10, len(tokens))) if tokens[i].text == ","), None)
    if closing is None or any(t.lower == "that" for t in tokens[after:closing]):
        return None
    start = max((i + 1 for i in range(speaker - 2) if tokens[i].text in ",;:\"“”"), default=0)
    return (start, speaker - 2, closing) if speaker - 2 - start in range(1, 8) else None


#: Prepositions that open an adjunct of the clause before an attribution in commas.
_ADJUNCT_OPENERS = frozenset("in on at near during after before since across around inside outside over".split())
#: Words that open a verbless part of the people before an attribution: "most of them civilians".
_PARTS = frozenset("most many some all half several two three four five six seven eight nine ten".split())


def _adjunct_after(tokens: tuple[Token, ...], first: int, after: int) -> bool:
    """True when an attribution set off by commas from token ``first`` to the comma at
    ``after`` follows a clause with a verb and only an adjunct or a verbless aside of
    that clause follows it ("12 people were killed, according to SOHR, in air strikes
    on Idlib", "12 were killed, the Observatory said, most of them civilians"): the cue
    ends its clause."""
    if first < 2 or tokens[first - 1].text != "," or after + 1 >= len(tokens) or tokens[after].text != ",":
        return False
    clause = tokens[max((i + 1 for i in range(first - 1) if tokens[i].text in ";:\"“”"), default=0):first - 1]
    if not any(is_verb_like_word(t) for t in clause):
        return False
    rest = tokens[after + 1:]
    if rest[0].lower not in _ADJUNCT_OPENERS and not (rest[0].lower in _PARTS and len(rest) > 2
                                                      and rest[1].lower == "of" and rest[2].lower == "them"):
        return False
    return not any(is_verb_like_word(t) or t.text in (",", ";", ":") for t in rest)


def _described_end(tokens: tuple[Token, ...], after: int) -> int:
    """The comma that closes an attribution aside whose speaker ends at ``after``: past a
    time the aside gives (", according to SOHR on Monday, killed 12") and an indefinite
    description of the speaker set off by commas (", according to SOHR, a monitor based
    in Britain, killed 12"). Else ``after``."""
    timed = after
    while timed < len(tokens) and timed - after < 4 and (tokens[timed].lower in TIME_WORDS or tokens[timed].lower
                                                          in ("on", "late", "early", "last", "this")):
        timed += 1
    if timed > after and timed < len(tokens) and tokens[timed].text == "," \
            and any(t.lower in TIME_WORDS for t in tokens[after:timed]):
        after = timed  # "according to SOHR on Monday,"
    if after + 2 >= len(tokens) or tokens[after].text != "," or tokens[after + 1].lower not in ("a", "an"):
        return after
    for index in range(after + 2, min(after + _LONGEST_DESCRIPTION, len(tokens) - 1)):
        if tokens[index].text in ".;:!?\"“”()":
            return after
        if tokens[index].text == ",":
            return index
    return after


#: The most words a description of the speaker set off by commas has.
_LONGEST_DESCRIPTION = 12


def _split_subject(tokens: tuple[Token, ...], first: int, after: int) -> tuple[int, int, int] | None:
    """(start, end, closing comma) of the subject an attribution set off by commas (from
    token ``first`` to the comma at ``after``) splits from its verb ("The strikes,
    according to SOHR, killed 12", "The death toll, the ministry said, rose to 30"): the
    claim is the subject and the rest of the clause. None for an opener ("In Aleppo,
    according to X, ...") or a clause with a verb of its own before the cue."""
    if first < 2 or tokens[first - 1].text != "," or after >= len(tokens) - 1 or tokens[after].text != ",":
        return None
    start = max((i + 1 for i in range(first - 1) if tokens[i].text in ",;:\"“”()"), default=0)
    words = tokens[start:first - 1]
    if not 1 <= len(words) <= 8 or _opener_only(words) or any(is_verb_like_word(t) for t in words):
        return None
    return start, first - 1, after


def _opener_only(words: tuple[Token, ...]) -> bool:
    """True when the words before a speaker say nothing a cue could attribute: none, or
    only a sentence opener ("Meanwhile,", "In Homs,", "On Friday")."""
    words = tuple(t for t in words if t.text[:1].isalnum())
    if not words:
        return True
    if words[0].lower not in OPENERS_DROPPED | SENTENCE_OPENERS and words[0].lower not in TIME_WORDS:
        return False
    return len(words) <= 4 and all(t.lower in OPENERS_DROPPED | TIME_WORDS or t.is_capitalized
                                   or t.lower in ("the", "a", "an") for t in words[1:])


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
    for first, last in cue_candidates(sentence):
        before = (found[-1].source, found[-1].speaker_start) if found else None
        speaker = find_speaker(sentence, first, last, memory, before)
        sides = reciprocal_sides(sentence, first, memory.previous, speaker_found=speaker is not None) \
            if is_reciprocal(tokens, first, last) else []
        if speaker is None and sides:
            speaker = sides[0][0], sides[0][1], sides[0][1] + 1, False
        if speaker is None:
            continue
        source, speaker_first, speaker_last, inverted = speaker
        if source.endswith(("'s", "’s")) and len(source) > 3:
            source = source[:-2]  # "Moscow's claims that ...": Moscow
        described = source  # "Both women": the words that say what the source is
        if inverted or not is_pronoun(tokens[speaker_first]):
            source = memory.fullest(source)
            source = described_person(source, memory) or both_people(source, memory) or source
            memory.remember(source)
            if speaker_last < len(tokens) and tokens[speaker_last].text.isdigit() \
                    and source not in memory.people:
                memory.people.append(source)  # "said Samira 55": a name with an age is a person
        cue_first = first if inverted else skip_auxiliaries(tokens, first)
        aux = passive_aux(tokens, first) if tokens[first].lower in ("quoted", "cited") and not inverted else None
        if aux is not None:
            cue_first = skip_auxiliaries(tokens, aux)  # "was quoted as saying"
        cue_last = cue_extent(tokens, first, last)
        after = max(cue_last, speaker_last) if inverted and speaker_first >= last else cue_last
        opening = min(first, speaker_first)
        if (first == 0 and speaker_first >= last) or (opening > 0 and tokens[opening - 1].text == ","):
            after = _described_end(tokens, after)  # ", according to SOHR, a monitor in Britain, killed 12"
        agent = is_agent(tokens, first, last) and tokens[first].lower not in ("according", "quoted", "cited")
        if agent and first and tokens[first - 1].lower == "as":
            agent, cue_first = False, first - 1  # "As reported by SANA, ...": as "according to SANA"
            after = max(after, speaker_last)
        if agent:
            trailing = True  # "bombings claimed by the IS group": what was claimed comes before
        elif (tokens[first].lower == "according" or tokens[cue_first].lower == "as") and speaker_first >= last:
            trailing = first > 0 and (_is_trailing(tokens, after) or _adjunct_after(tokens, first, after))
        elif tokens[last - 1].lower == "toll":
            trailing = False  # "X put the toll at 30": the figure follows its cue
        else:
            trailing = _is_trailing(tokens, after) or _closes_quotation(tokens, min(speaker_first, cue_first)) \
                or _adjunct_after(tokens, min(speaker_first, cue_first), after)
        if trailing and not agent and _opener_only(tokens[:min(speaker_first, cue_first)]):
            trailing = False  # "(Meanwhile,) the Observatory said after the bombing that ...": nothing said before it
        if trailing:
            scope = (sentence.start, tokens[min(speaker_first, cue_first)].start)
        else:
            scope = (tokens[after].start if after < len(tokens) else sentence.end, sentence.end)
        antecedent = _relative_object(tokens, speaker_first, after) if not trailing and not agent else None
        split = False
        if antecedent is not None:  # "The strikes, which the opposition condemned, killed 12"
            scope = (tokens[after].start, tokens[antecedent[2]].start)
        elif not trailing and not agent:  # "The strikes, according to SOHR, killed 12", ", SOHR said,"
            antecedent = _split_subject(tokens, min(first, speaker_first, cue_first), after)
            split = antecedent is not None
        direct = any(a < scope[1] and b > scope[0] for a, b in quoted)
        sources = [(source, speaker_first)]
        if sides:
            sources = [(memory.fullest(name), index) for name, index in sides]
        elif _RECIPROCAL.search(sentence.text) and speaker_first > 1 and tokens[speaker_first - 1].lower == "and":
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
            kind = source_type(name)
            if kind == SourceType.other and name == source != described:
                kind = source_type(described)  # "Both women" -> "Noha and Samira": witnesses
            if kind == SourceType.other and speaker_last < len(tokens) and tokens[speaker_last].text.isdigit() \
                    and 0 < int(tokens[speaker_last].text) < 110 and not sure_place(tokens, speaker_last - 1, speaker_last):
                kind = SourceType.witness  # "said Samira 55": a civilian given by name and age
            if kind == SourceType.other and name == source:
                kind = apposition_type(tokens, speaker_last) or kind  # "said Noha Saleh, a doctor at ..."
            found.append(Attribution(
                source=name, source_type=kind,
                cue=sentence.slice(tokens[cue_first].start, tokens[cue_last - 1].end),
                cue_start=tokens[cue_first].start, cue_end=tokens[cue_last - 1].end,
                speaker_start=tokens[start].start,
                scope_start=scope[0], scope_end=scope[1], direct=direct, trailing=trailing,
                agent=agent, antecedent=sentence.slice(tokens[antecedent[0]].start, tokens[antecedent[1] - 1].end)
                if antecedent is not None else "",
                subject_start=tokens[antecedent[0]].start if antecedent is not None and split else -1,
            ))
    found.extend(_headline_colon(sentence, memory, found))
    remember_speech_events(sentence, memory, spoken={a.source.lower() for a in found})
    memory.previous = sentence
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
    colon = next((i for i, t in enumerate(tokens[:16]) if t.text == ":"
                  and not (0 < i < len(tokens) - 1 and tokens[i - 1].text.isdigit()
                           and tokens[i + 1].text.isdigit())), None)  # not a time "14:47"
    if colon is None or colon < 1 or len(tokens) - colon < 4 or any(a.cue_start < tokens[colon].start for a in found):
        return []
    name = phrase_before(tokens, colon)
    if not name:
        return []
    start = tokens.index(name[0])
    if any(t.text[:1].isalpha() and t.lower not in TIME_WORDS for t in tokens[:start]):
        return []  # the name does not open the sentence
    source = join(name, sentence.text, sentence.start)
    if source.lower() in ("source", "sources", "photo", "credit", "note", "syria", "damascus") \
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
    if index and tokens[index - 1].lower in ("that", "which"):
        index -= 1  # ", a claim that the government denies"
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
