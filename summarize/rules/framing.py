"""Whose voice a summary sentence speaks in, and the evaluative framing it must not adopt.

- **Attribution.** A sentence the article states in its own voice is attributed to the
  outlet, as wire services do: "Press TV reports that ...", then "It adds that ..." (or
  "Press TV also reports that ..." after another source's sentence). A sentence that
  already names its source ("..., a monitor said") keeps it. The sentence's first word
  is put in lower case only when it is a plain word ("The", "Scores", "At"), never a
  name; an opening conjunction ("But", "However,") is dropped.
- **Evaluative framing** (the lexicon's evaluative class): a trailing clause that carries
  it is cut (", inflicting stinging blows on the militants"), a word of praise or blame
  is dropped ("valiant", "successfully") or replaced ("aggression" -> "attack"), and
  what cannot be cut without losing the event ("recorded more victories") is put in
  quotation marks: the outlet's word, attributed to it.
"""

from __future__ import annotations

import re

from summarize.lexicon import Lexicon, LexiconHit, load_lexicon
from summarize.rules.vocabulary import CIVILIAN, COMBATANT

#: Plain replacements for evaluative words ("" drops the word).
EVALUATIVE_REPLACEMENTS: dict[str, dict[str, str]] = {
    "valiant": {"valiant": "", "valiantly": "", "gallant": "", "gallantly": "", "gallantry": "",
                "brave": "", "bravely": "", "bravery": "", "courageous": "", "courageously": "",
                "glorious": "", "legendary": ""},
    "successfully": {"successfully": ""},
    "humiliating": {"humiliating": "", "humiliated": "defeated"},
    "heinous": {w: "" for w in ("heinous dastardly despicable vile atrocious treacherous "
                                "bloodthirsty odious abhorrent horrific horrendous monstrous").split()},
    "aggression": {"aggression": "attack", "aggressions": "attacks"},
}
#: Plain first words that read in lower case after "X reports that".
_PLAIN = frozenset("""
    the a an this that these those there it its they their he she his her we some many
    several scores dozens tens hundreds thousands at over more most nearly almost about
    around up only one two three four five six seven eight nine ten eleven twelve twenty
    thirty forty fifty in on after during earlier later following since while when as
    according an estimated fighting clashes heavy air government rebel rebels militants here
    army forces troops state security police military local battlefield field medical official
    opposition monitoring activists witnesses sources officials medics
""".split()) | CIVILIAN | (COMBATANT - {"hezbollah"})
_OPENING_CONJUNCTION = re.compile(r"^(?:But|And|However|Meanwhile|In the meantime|Yet|So|Also|Moreover"
                                  r"|Furthermore|In addition|Besides)\b,?\s+")
#: A trailing clause opens with a present participle after a comma, or after a word
#: that is not an auxiliary when the commas were lost: ", inflicting ...".
_PARTICIPLE = re.compile(r"(,\s*|\s)(?:and\s+)?([a-z]+ing)\b")
_NOT_CLAUSE = frozenset("during including according morning evening building nothing something "
                        "bring thing king".split())
#: Adjectives of size and praise before an evaluative word, quoted with it: "great
#: “victories”" would assert the greatness in the summary's own voice.
_INTENSIFIER_BEFORE = re.compile(
    r"\b(?:great|greater|greatest|huge|major|big|massive|tremendous|historic|sweeping|resounding"
    r"|stunning|spectacular|brilliant|impressive|remarkable|significant|important|decisive|crushing"
    r"|unprecedented|glorious)(?:,?\s+and|,)?\s+$", re.IGNORECASE)
_AUXILIARY = frozenset("is are was were be been being am keep keeps kept".split())


def lower_first(text: str, common: frozenset[str] | set[str] = frozenset()) -> str:
    """``text`` with its first word in lower case when it is a plain word, not a name: a
    word of a closed list, an adverb, or one the article itself writes in lower case
    (``common``)."""
    first = text.split(" ", 1)[0]
    word = first.lower().strip(",")
    head = word.split("-")[0]  # "Twenty-six"
    adverb = word.endswith("ly") and len(word) > 4 and word not in ("italy", "kelly")
    if (word in _PLAIN or head in _PLAIN or adverb or word in common) and (not first.isupper() or first == "A"):
        return first[:1].lower() + text[1:]
    return text


def without_opening_conjunction(text: str) -> str:
    """"But the army retook it." -> "The army retook it." (capital kept for the new
    opening). A quotation is left as the source said it."""
    stripped = _OPENING_CONJUNCTION.sub("", text, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != text else text


_PRONOUN_SPEAKER = re.compile(
    r"(?<=[,”\"] )(?:they|he|she|it)(?= (?:said|says|added|adds|reported|stated|told|noted|stressed"
    r"|explained|announced|confirmed|claimed)\b)")


def name_pronoun_speaker(text: str, source: str, common: frozenset[str] | set[str] = frozenset()) -> str:
    """'“...,” they said.' -> '“...,” military sources said.': a sentence taken out of the
    article keeps no antecedent for its speaker's pronoun, so the summary names the
    source the rules resolved it to (``source``; its first word in lower case when plain)."""
    if source.lower() in text.lower():
        return text
    return _PRONOUN_SPEAKER.sub(lambda _: lower_first(source, common), text, count=1)


def attribute(text: str, outlet: str, *, first: bool, after_outlet: bool,
              common: frozenset[str] | set[str] = frozenset()) -> str:
    """``text`` (a sentence in the outlet's voice) attributed to ``outlet``; ``common``
    are the words the article writes in lower case (see lower_first)."""
    body = lower_first(without_opening_conjunction(text), common)
    if first:
        return f"{outlet[:1].upper()}{outlet[1:]} reports that {body}"
    if after_outlet:
        return f"It adds that {body}"
    return f"{outlet[:1].upper()}{outlet[1:]} also reports that {body}"


def _end(text: str) -> str:
    return text if text[-1:] in ".!?\"”’'" else text + "."


def _replace(text: str, hit: LexiconHit, word: str) -> str:
    if word and hit.text[:1].isupper() and hit.start == 0:
        word = word[:1].upper() + word[1:]
    before, after = text[:hit.start], text[hit.end:]
    if not word:
        before = before.rstrip(" ")
        if after[:1] not in (" ", ",", ".", ";", ":", ")") and before:
            after = " " + after
        elif not before:
            after = after.lstrip(" ")
            after = after[:1].upper() + after[1:]
    return f"{before}{word}{after}"


def remove_evaluative(text: str, *, quote_rest: bool, lexicon: Lexicon | None = None) -> str | None:
    """``text`` without evaluative framing, or None when some remains and ``quote_rest``
    is False (the sentence is then better left out)."""
    lexicon = lexicon or load_lexicon("evaluative")
    for _ in range(6):  # each pass removes one hit; sentences hold few
        hits = lexicon.unattributed(text)
        if not hits:
            return re.sub(r"[ \t]{2,}", " ", text).strip()
        hit = hits[0]
        clause = _clause_holding(text, hit)
        if clause is not None:
            text = _end(text[:clause].rstrip(" ,"))
            continue
        forms = EVALUATIVE_REPLACEMENTS.get(hit.entry.term, {})
        lower = hit.text.lower()
        predicate = text[:hit.start].split()[-1:] in (["were"], ["was"], ["is"], ["are"], ["been"], ["be"])
        if lower in forms and not (predicate and not forms[lower]):  # "were successful" stays whole
            text = _replace(text, hit, forms[lower])
            continue
        if not quote_rest:
            return None
        start = _intensified_start(text, hit.start)
        text = f"{text[:start]}“{text[start:hit.end]}”{text[hit.end:]}"
    return None if lexicon.unattributed(text) and not quote_rest else text


def _intensified_start(text: str, start: int) -> int:
    """Where a quoted evaluative word's phrase starts: before the intensifiers that are
    part of the praise ("great victories", "a huge and historic victory")."""
    while True:
        match = _INTENSIFIER_BEFORE.search(text, 0, start)
        if match is None:
            return start
        start = match.start()


def _clause_holding(text: str, hit: LexiconHit) -> int | None:
    """Start of a trailing participle clause that holds ``hit`` (", inflicting heavy
    losses on them."), or None."""
    for match in _PARTICIPLE.finditer(text[:hit.start]):
        if match.group(2) in _NOT_CLAUSE or hit.start - match.start() > 60:
            continue
        before = text[:match.start()].split()
        if not match.group(1).strip() and (not before or before[-1].lower() in _AUXILIARY):
            continue  # "the army is inflicting ...": the main verb, not a clause
        if len(before) >= 6 and not re.search(r"[.;!?](?=\s)", text[match.start():]):
            return match.start()
    return None
