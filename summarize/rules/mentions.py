"""Sources named without a reporting cue, kept so that a later cue can point back to them.

"The health ministry issued a statement on Sunday. The statement also said ...": the
first sentence says nothing a claim could hold (evals/GUIDELINES.md: attribution without
content), yet it names whose statement "the statement" is. "Colonel Ahmed Hamadeh spoke
to the agency. "We have retaken the hill," he said.": it names who "he" is. Such speech
events (issued / released / published a statement or report, spoke to, gave an
interview, held a news conference) add their subject to the ``SpeakerMemory``, and a
document they issue to its cues, as a reporting cue would; they make no claim.
"""

from __future__ import annotations

import re

from summarize.rules.cues import PASSIVE, skip_auxiliaries
from summarize.rules.sentences import Sentence
from summarize.rules.sources import SpeakerMemory, is_pronoun, join, phrase_after, source_type
from summarize.schema import SourceType
from summarize.rules.speakers import find_speaker

#: "issued a statement", "released its annual report", "published a short communique".
_ISSUED = re.compile(
    r"\b(?:issued|issues|released|releases|published|publishes|posted|posts|put out|puts out|sent)\s+"
    r"(?:a|an|its|their|his|her|the)\s+(?:[a-z\-]+\s+){0,2}?"
    r"(?P<document>statement|report|communiqu[eé]|announcement|letter|message|declaration|video)\b",
    re.IGNORECASE)
#: "spoke to the agency", "gave an interview to", "held a news conference".
_SPOKE = re.compile(
    r"\b(?:spoke|speaks|talked|talks)\s+(?:to|with)\b"
    r"|\b(?:gave|gives|granted)\s+an?\s+(?:\w+\s+)?interview\b"
    r"|\b(?:held|holds|gave|gives)\s+a\s+(?:news|press)\s+(?:conference|briefing)\b",
    re.IGNORECASE)
#: Nouns of a reaction whose speaker follows "from": "outrage from the UN envoy".
_REACTIONS = frozenset("""
    outrage condemnation condemnations criticism anger protest protests reaction reactions response
    warning warnings appeal appeals call calls denial denials
""".split())
#: Verbs whose object is a source relayed by the speaker: "SANA quoted a police source as saying".
_RELAYS = frozenset("quoted quoting quotes cited citing cites".split())


def _remember_subject(sentence: Sentence, memory: SpeakerMemory) -> None:
    """Before any source is named, a body or person that opens a sentence as its subject
    ("The army retook the hill. It also said ...") is whom a later pronoun stands for."""
    tokens = sentence.tokens
    phrase = phrase_after(tokens, 0)
    if not phrase or is_pronoun(phrase[0]) or tokens.index(phrase[0]) != 0:
        return
    end = tokens.index(phrase[-1]) + 1
    if end >= len(tokens) or not tokens[end].text[:1].islower():
        return  # a verb follows the subject
    source = join(phrase, sentence.text, sentence.start)
    if source_type(source) not in (SourceType.other, SourceType.unnamed):
        memory.remember(source)


def _relayed(sentence: Sentence, memory: SpeakerMemory, spoken: set[str]) -> list[str]:
    """The sources another source relays ("The agency quoted a source at the Police command
    as saying", "SANA, citing a military source, said"), remembered so that "The source
    added" in a later sentence is that source: the outer source keeps the claim here."""
    tokens = sentence.tokens
    named: list[str] = []
    for index, token in enumerate(tokens[:-1]):
        if token.lower == "from" and index and tokens[index - 1].lower in _REACTIONS:
            phrase = phrase_after(tokens, index + 1)  # "prompting outrage from UNICEF director Anthony Lake"
            if phrase and any(t.is_capitalized for t in phrase) and not is_pronoun(phrase[0]):
                source = memory.fullest(join(phrase, sentence.text, sentence.start))
                if source.lower() not in spoken:
                    memory.remember(source)
                    named.append(source)
            continue
        if token.lower not in _RELAYS or (index and tokens[index - 1].lower in PASSIVE):
            continue
        words = [t.lower for t in tokens[index + 1:index + 12]]
        saying = next((i for i in range(len(words) - 1) if words[i:i + 2] == ["as", "saying"]), None)
        if saying and all(t.text[:1].isalnum() for t in tokens[index + 1:index + 1 + saying]):
            phrase = list(tokens[index + 1:index + 1 + saying])  # "quoted a source at the Police command as saying"
        else:
            phrase = phrase_after(tokens, index + 1)
        if not phrase or is_pronoun(phrase[0]):
            continue
        source = memory.fullest(join(phrase, sentence.text, sentence.start))
        if source.lower() not in spoken and source.split()[-1].lower() not in ("sources", "reports", "media"):
            memory.remember(source)
            named.append(source)
    return named


#: Documents that "the statement" / "the report" later stands for (sources._CUE_HEADS).
_DOCUMENT_CUES = {"report": "report"}


def remember_speech_events(sentence: Sentence, memory: SpeakerMemory, *, spoken: set[str]) -> list[str]:
    """Add to ``memory`` the subjects of the speech events in ``sentence`` that no cue
    there named already (``spoken``: the lower-cased sources its cues found); return them."""
    text = sentence.text
    lowered = text.lower()
    if not memory.everyone and not spoken:
        _remember_subject(sentence, memory)
    if not any(word in lowered for word in ("issue", "release", "publish", "post", "put out", "sent", "spoke",
                                            "speaks", "talk", "interview", "conference", "briefing", "quot", "cit", " from ")):
        return []
    named = _relayed(sentence, memory, spoken)
    for pattern in (_ISSUED, _SPOKE):
        for match in pattern.finditer(text):
            verb = sentence.token_index_at(sentence.start + match.start())
            if skip_auxiliaries(sentence.tokens, verb) == 0:
                continue  # "Speaking to reporters, X said": the cue names X
            found = find_speaker(sentence, verb, verb + 1, memory, None)
            if found is None or found[3] or found[1] >= verb or is_pronoun(sentence.tokens[found[1]]):
                continue  # no subject before the verb, or a pronoun that names no one new
            source = memory.fullest(found[0])
            if source.lower() in spoken:
                continue
            memory.remember(source)
            document = match.groupdict().get("document")
            if document:
                cue = _DOCUMENT_CUES.get(document.lower(), "statement")
                memory.cues.append((source, f"issued a {cue}"))
            named.append(source)
    return named


#: Title words that head a description of a person: "the Kurdish official".
_TITLE_HEAD = re.compile(r"^(?:officials?|spokes\w+|envoy|commander|minister|governor|chief|leader|source"
                         r"|activist|director|representative|ambassador|general|colonel|member)$")
_PLAIN_MODIFIERS = frozenset("foreign defence defense military security senior top local "
                              "opposition rebel army".split())
_PERSON_MARK = re.compile(r",|\b(?:spokes\w*|director|head|chief|minister|leader|colonel|general|commander"
                          r"|official|president|secretary|envoy|governor|member|representative)\b", re.IGNORECASE)


def described_person(source: str, memory: SpeakerMemory) -> str | None:
    """The earlier named person a definite description with a name in it stands for:
    "the Kurdish official" for "Mustafa Sino, a member of the Kurdish National Council"
    (the latest naming of a person that holds every capitalised word of the
    description), else None. A description without one ("the official") is left alone:
    nothing in it ties it to a person named before."""
    words = source.split()
    if not 3 <= len(words) <= 5 or words[0].lower() != "the" or not _TITLE_HEAD.match(words[-1].lower()):
        return None
    modifiers = [re.sub(r"(?:'s|’s)$", "", w) for w in words[1:-1] if w[:1].isupper()]
    if not modifiers or any(not w[:1].isupper() and w.lower() not in _PLAIN_MODIFIERS for w in words[1:-1]):
        return None  # "the Kurdish official", "the Syrian foreign minister"; not "the official in Homs"
    for name in reversed(memory.everyone):
        if name.lower() == source.lower() or name.lower().startswith(("the ", "a ", "an ")) \
                or not _PERSON_MARK.search(name) or sum(w[:1].isupper() for w in name.split(",")[0].split()) < 2:
            continue
        if all(re.search(rf"\b{re.escape(m)}\b", name, re.IGNORECASE) for m in modifiers):
            return name
    return None


_BOTH = re.compile(r"^(?:both|the two)\s+(?:women|men|girls|boys|brothers|sisters|residents|witnesses|"
                   r"doctors|activists|officials|survivors|mothers|fathers)$", re.IGNORECASE)


def both_people(source: str, memory: SpeakerMemory) -> str | None:
    """"Both women said": the last two persons named before, as "A and B" in the order
    the article names them; None when fewer than two were named."""
    if not _BOTH.match(source):
        return None
    named: list[str] = []
    for name in reversed(memory.everyone):
        if name.lower().startswith(("the ", "a ", "an ", "one ")) or name in named \
                or name not in memory.people and source_type(name) not in (SourceType.other, SourceType.witness):
            continue  # "Noha", "Samira": a bare name is a person unless its words name a body
        named.insert(0, name)
        if len(named) == 2:
            return " and ".join(named)
    return None
