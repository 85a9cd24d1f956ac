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
from dataclasses import dataclass

from summarize.rules.sentences import Sentence, Token
from summarize.rules.sources import (
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
    condemns condemned urge urged estimate estimated quoted wrote tweeted
""".split())
#: Third-person present forms that are also plural nouns ("the reports", "its claims").
_NOUN_TWINS = frozenset({"reports", "claims", "states", "notes", "warns", "estimates"})
_PARTICIPLES_NEED_SUBJECT = frozenset({
    "adding", "noting", "stressing", "warning", "claiming", "accusing", "denying",
    "confirming", "reporting", "announcing", "telling",
})
_AUXILIARIES = frozenset("""
    has have had also previously earlier later always repeatedly already would will did
    does do further again then subsequently officially publicly separately reportedly
""".split())
_NEGATIONS = frozenset({"not", "n't", "never", "no"})
_PASSIVE = frozenset({"was", "were", "is", "are", "been", "being", "be"})
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

    def covers(self, start: int, end: int) -> bool:
        """True when the words at ``[start, end)`` are inside this cue's scope."""
        return self.scope_start <= start and end <= self.scope_end


def _cue_candidates(sentence: Sentence) -> list[tuple[int, int]]:
    """Token index ranges ``[first, last)`` of the cue words in ``sentence``."""
    tokens = sentence.tokens
    found: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        lower = token.lower
        if lower == "according" and index + 1 < len(tokens) and tokens[index + 1].lower == "to":
            found.append((index, index + 2))
        elif lower in _VERBS and _is_verb_use(tokens, index):
            found.append((index, index + 1))
    for match in _TOLL.finditer(sentence.text):
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
    if previous in _NOUN_MARKERS and token.lower in _NOUN_TWINS | {"reported", "claimed",
                                                                    "estimated", "alleged"}:
        return False
    if previous in ("the", "a", "an", "this", "these", "such") and token.lower in ("said", "report", "claim"):
        return False
    before = [t.lower for t in tokens[max(0, index - 3):index]]
    if any(word in _NEGATIONS for word in before[-2:]):
        return False
    if previous in _PASSIVE and token.lower not in ("saying", "quoted"):
        return index + 1 < len(tokens) and tokens[index + 1].lower == "by"
    if token.lower in _NOUN_TWINS and not index:
        return False
    following = " ".join(t.lower for t in tokens[index + 1:index + 3])
    if token.lower.startswith("claim") and following in ("the lives", "their lives", "the life"):
        return False
    return not (token.lower == "estimated" and (previous in ("an", "the") or index == 0))


def _skip_auxiliaries(tokens: tuple[Token, ...], index: int) -> int:
    while index > 0 and tokens[index - 1].lower in _AUXILIARIES:
        index -= 1
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
    words = [t.lower for t in tokens[last:last + 4]]
    if words[:3] == ["in", "a", "statement"]:
        return last + 3
    return last


def _speaker(sentence: Sentence, first: int, last: int, memory: SpeakerMemory,
             previous: Attribution | None) -> tuple[str, int, int, bool] | None:
    """(source, token start, token end, inverted) of the cue at ``[first, last)``."""
    tokens = sentence.tokens
    if tokens[first].lower == "according":
        return _phrase_at(sentence, last, inverted=True)
    if tokens[first].lower in _PARTICIPLES_NEED_SUBJECT:
        # "X said A adding B", "The Governor visited ... stressing B": the clause's subject
        if previous is not None:
            start = sentence.token_index_at(previous.speaker_start)
            return previous.source, start, start + 1, False
        return _subject(sentence, memory)
    head = _skip_auxiliaries(tokens, first)
    if head > 0 and is_pronoun(tokens[head - 1]):
        resolved = memory.resolve(tokens[head - 1].text)
        return None if resolved is None else (resolved, head - 1, head, False)
    before = phrase_before(tokens, head)
    if before:
        start = tokens.index(before[0])
        return join(before, sentence.text, sentence.start), start, head, False
    if head > 1 and tokens[head - 1].text == ",":
        opening = next((i for i in range(head - 2, max(head - 10, 0), -1) if tokens[i].text == ","), None)
        name = phrase_before(tokens, opening) if opening else []
        if name:  # "The Observatory, a Britain-based monitoring group, said"
            start = tokens.index(name[0])
            return join(name, sentence.text, sentence.start), start, opening, False
    if head == 0 or tokens[head - 1].text in "\"“”,'’:":
        return _phrase_at(sentence, last, inverted=True)  # '"...," said Observatory head X'
    if tokens[head - 1].lower in ("but", "and", "also"):
        return _subject(sentence, memory)  # "X did not say A but said B"
    return None


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
    return _phrase_at(sentence, 0, inverted=False)


def _is_trailing(tokens: tuple[Token, ...], after: int) -> bool:
    """True when nothing but time words, a medium or a new clause follows ``after``."""
    rest = [t for t in tokens[after:] if t.text not in ".,;:!?\"“”'’)("]
    if not rest:
        return True
    if rest[0].lower in ("that", ":"):
        return False
    if rest[0].lower in _CLAUSE_OPENERS and tokens[after].text != ":":
        return True
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
            source = source if inverted else memory.fullest(source)
            memory.remember(source)
        cue_first = first if inverted else _skip_auxiliaries(tokens, first)
        cue_last = _cue_extent(tokens, first, last)
        after = max(cue_last, speaker_last) if inverted and speaker_first >= last else cue_last
        if tokens[first].lower == "according" and speaker_first >= last:
            trailing = first > 0 and _is_trailing(tokens, after)  # "..., according to X"
        else:
            trailing = _is_trailing(tokens, after)
        if trailing:
            scope = (sentence.start, tokens[min(speaker_first, cue_first)].start)
        else:
            scope = (tokens[after].start if after < len(tokens) else sentence.end, sentence.end)
        direct = any(a < scope[1] and b > scope[0] for a, b in quoted)
        found.append(Attribution(
            source=source, source_type=source_type(source),
            cue=sentence.slice(tokens[cue_first].start, tokens[cue_last - 1].end),
            cue_start=tokens[cue_first].start, cue_end=tokens[cue_last - 1].end,
            speaker_start=tokens[speaker_first].start,
            scope_start=scope[0], scope_end=scope[1], direct=direct, trailing=trailing,
        ))
    return _mark_nesting(found, tokens)


def _mark_nesting(found: list[Attribution], tokens: tuple[Token, ...]) -> list[Attribution]:
    """Cut forward scopes at a coordinated attribution and mark nested cues."""
    starts = {t.start: i for i, t in enumerate(tokens)}
    result = list(found)
    for i, outer in enumerate(result):
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
