"""The rules summary: the article's main event and its toll, in neutral words, each
statement attributed to whoever makes it.

1. **Sentences to use** come from the article in order, skipping a repeated headline, a
   dateline ("Sun 16 Apr 2017", "ALEPPO –", "BEIRUT (Sputnik)", the outlet's own "Press
   TV –"), page furniture ("Tags", "Read Also"), fragments and run-on sentences.
2. **Lead with the event and its toll.** The first usable sentence states the main
   event; the main toll (summarize.rules.casualties' first killed or killed-or-wounded
   figure of the lead, else the first killed figure, else the first wounded one; a
   cumulative toll of the whole war is background, not the event's toll) follows with
   its own sentence. When that sentence cannot be used (a headline, a run-on), the toll
   is written from the figure's own words: "At least 137 people were killed or
   wounded, according to military sources." More lead sentences follow up to four
   sentences and about 100 words.
3. **Whose voice.** A sentence with its own source ("..., a monitor said") keeps it; one
   the outlet states in its own voice is attributed to the outlet (summarize.rules.framing):
   "Press TV reports that ...", "It adds that ...". A toll always names its source.
4. **Neutral words.** Loaded terms are replaced (terrorists -> militants, regime ->
   government) or, in a source's own name, quoted ("“Terrorist organizations”
   acknowledged ..."); evaluative framing is cut or quoted (summarize.rules.framing). A
   sentence that still holds an unattributed term of either class is left out.

Every number in the summary is one the article states: sentences keep their own words,
and a written toll uses the figure's verbatim quantity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarize.lexicon import Lexicon, LexiconHit, load_lexicon
from summarize.rules.casualties import is_cumulative
from summarize.rules.framing import attribute, name_pronoun_speaker, remove_evaluative, without_opening_conjunction
from summarize.rules.layout import FURNITURE, body, is_headline, strip_headline
from summarize.rules.loaded import neutralize
from summarize.rules.sentences import Sentence
from summarize.schema import AttributedClaim, CasualtyFigure

MAX_SENTENCES = 4
MIN_SENTENCES = 2
WORD_BUDGET = 100
_MIN_WORDS = 6
_MAX_WORDS = 60
#: How many usable sentences count as the lead when looking for the event's toll.
_LEAD = 4
_CITY_DATELINE = re.compile(r"^(?:[A-Z]{3,}(?:[ ,]+[A-Z][a-z]+)?(?:\s*\([\w .&-]{2,30}\))?\s*[–—-]\s+"
                            r"|[A-Z]{3,}(?: [A-Z][a-z]+)? \([\w .&-]{2,30}\)\s+"
                            r"|[A-Z]{5,}(?: (?:Syria|Lebanon|Turkey|Iraq|Jordan|Russia|Israel))?\s+(?=[A-Z\"“]))")
#: A reporting verb in a sentence: it has a source of its own even when no claim was read.
_REPORTING = re.compile(r"\b(?:said|says|told|reported|according to|stated|announced|added|claimed"
                        r"|confirmed|quoted)\b")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")
_OUTCOME_WORDS = {"killed": "killed", "wounded": "wounded", "killed_or_wounded": "killed or wounded",
                  "captured": "captured", "missing": "reported missing"}


def _clean(sentence: Sentence, outlet: str | None, title: str | None = None) -> str:
    """The sentence without a dateline, a headline run into it, a city dateline or the
    outlet's own name."""
    text = body(sentence)
    if sentence.index < 2:
        text = strip_headline(text, title)
    text = _CITY_DATELINE.sub("", text, count=1)
    if outlet and re.match(rf"{re.escape(outlet)}\s*[–—-]\s+", text):
        text = re.sub(rf"^{re.escape(outlet)}\s*[–—-]\s+", "", text)
    return text.strip()


def _usable(text: str, title: str | None) -> bool:
    words = text.split()
    if not _MIN_WORDS <= len(words) <= _MAX_WORDS or FURNITURE.search(text):
        return False
    if is_headline(text, title):
        return False
    return text[-1:] in ".!?\"”'’" or len(words) >= 12


def main_figure(figures: Sequence[CasualtyFigure], order: dict[str, int], lead: set[str],
                outlet: str | None = None) -> CasualtyFigure | None:
    """The event's toll: the first killed or killed-or-wounded figure of the lead, else the
    first killed, killed-or-wounded or wounded figure anywhere, leaving out the toll of
    the whole war. A vague word in the outlet's own voice ("scores of militants were
    killed") yields to a figure with a number that a source states (``outlet`` is the
    outlet's ``stated_by``): the most specific, attributed toll the article gives."""
    ranked = sorted((f for f in figures if not is_cumulative(f)), key=lambda f: order.get(f.quote, 10**6))
    for wanted, where in ((("killed", "killed_or_wounded"), lead), (("killed",), None),
                          (("killed_or_wounded",), None), (("wounded",), None)):
        found = next((f for f in ranked if f.outcome in wanted and (where is None or f.quote in where)), None)
        if found:
            if found.quantity_type == "vague" and outlet is not None and found.stated_by == outlet:
                specific = next((f for f in ranked if f.outcome in ("killed", "killed_or_wounded")
                                 and f.quantity_type != "vague" and f.stated_by != outlet), None)
                return specific or found
            return found
    return None


def _written_toll(figure: CasualtyFigure, outlet: str) -> str:
    """A sentence for a toll whose own sentence cannot be used, from its verbatim parts."""
    quote = figure.quote
    start = quote.find(figure.quantity_text)
    people = "people" if figure.victims == "people" else figure.victims
    span = f"{figure.quantity_text} of {people}" if f"{figure.quantity_text} of {people}" in quote \
        else f"{figure.quantity_text} {people}"
    if figure.quantity_text == figure.victims and (figure.low, figure.high) == (1, 1):
        word = figure.quantity_text.lower()  # a headline's bare "Child killed": "A child was killed"
        span = f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
    elif figure.quantity_text.lower().endswith(figure.victims.lower()):
        span = figure.quantity_text  # "a woman": a singular names its person itself
    elif start < 0 or span not in quote:
        span = f"{figure.quantity_text} people"
    verb = "was" if (figure.low, figure.high) == (1, 1) else "were"
    text = f"{span[:1].upper()}{span[1:]} {verb} {_OUTCOME_WORDS[figure.outcome]}"
    if figure.stated_by != outlet:
        source = figure.stated_by
        if source[:1].islower() and source.split()[0] not in ("a", "an", "the", "its", "their", "his", "her"):
            source = f"the {source}"  # "according to the official television channel"
        return f"{text}, according to {source}."
    return text + "."


def _source_spans(text: str, names: Sequence[str]) -> tuple[tuple[int, int], ...]:
    spans = []
    for name in names:
        at = text.find(name)
        if at >= 0:
            spans.append((at, at + len(name)))
    return tuple(spans)


def extractive_summary(sentences: list[Sentence], *, title: str | None = None,
                       hits: list[LexiconHit] | None = None,
                       claims: Sequence[AttributedClaim] = (), figures: Sequence[CasualtyFigure] = (),
                       outlet: str | None = None, outlet_code: str | None = None) -> str:
    """The neutral, attributed summary of an article (see the module docstring).

    ``claims`` and ``figures`` are the article's extracted items (they tell which
    sentences carry their own source, and the toll); ``outlet`` is the outlet's display
    name ("the outlet" when unknown) and ``outlet_code`` the ``stated_by`` value of the
    figures the outlet states. ``hits`` (the lexicon's hits in the article) is accepted
    for compatibility and not needed."""
    del hits
    outlet = outlet or "the outlet"
    outlet_code = outlet_code or outlet
    lexicon, everything = load_lexicon(), load_lexicon("all")
    order = {}
    for sentence in sentences:
        order.setdefault(sentence.text, sentence.index)
    usable = [s for s in sentences if _usable(_clean(s, outlet, title), title)]
    common = {w for s in sentences for w in _LOWER_WORD.findall(s.text)}
    spoken = {c.quote: c.source for c in claims}
    for figure in figures:
        if figure.stated_by != outlet_code:
            spoken.setdefault(figure.quote, figure.stated_by)
    toll = main_figure(figures, order, {s.text for s in usable[:_LEAD]}, outlet_code)

    plan: list[tuple[Sentence | None, bool]] = []  # (sentence, is the toll's) in summary order
    if usable:
        plan.append((usable[0], toll is not None and toll.quote == usable[0].text))
    if toll is not None and not any(s is not None and s.text == toll.quote for s, _ in plan):
        own = next((s for s in usable if s.text == toll.quote), None)
        plan.append((own, True))
    plan += [(s, False) for s in usable[1:] if not any(p is not None and p.text == s.text for p, _ in plan)]

    chosen: list[str] = []
    words = 0
    voice: list[str] = []  # who speaks each chosen sentence: "outlet" or "source"
    for sentence, is_toll in plan:
        if sentence is None:
            text = _written_toll(toll, outlet_code) if toll else ""
            own_source = toll is not None and toll.stated_by != outlet_code
        else:
            text = without_opening_conjunction(_clean(sentence, outlet, title))
            own_source = sentence.text in spoken or bool(_REPORTING.search(text))
            if sentence.text in spoken:
                text = name_pronoun_speaker(text, spoken[sentence.text], common)
        names = [spoken[sentence.text]] if sentence is not None and sentence.text in spoken else []
        text = neutralize(text, lexicon, quote_within=_source_spans(text, names))
        text = remove_evaluative(text, quote_rest=True) or ""
        if not text or everything.unattributed(text):
            continue
        if not own_source:
            first = "outlet" not in voice
            text = attribute(text, outlet, first=first or is_toll,
                             after_outlet=bool(voice) and voice[-1] == "outlet" and not is_toll,
                             common=common)
            if is_toll and not first:
                text = text.replace(" reports that ", " also reports that ", 1)
        count = len(text.split())
        if chosen and words + count > WORD_BUDGET and len(chosen) >= MIN_SENTENCES and not is_toll:
            break
        chosen.append(text)
        voice.append("source" if own_source else "outlet")
        words += count
        if len(chosen) >= MAX_SENTENCES:
            break
    if not chosen:
        chosen = _fallback(sentences, lexicon)
    return " ".join(chosen)


def _fallback(sentences: list[Sentence], lexicon: Lexicon) -> list[str]:
    """For a text with no usable sentence: its first sentence, neutral, loaded and
    evaluative words quoted as a last resort."""
    if not sentences:
        return []
    text = neutralize(sentences[0].text, lexicon)
    text = remove_evaluative(text, quote_rest=True) or text
    for hit in reversed(load_lexicon("all").unattributed(text)):
        text = f"{text[:hit.start]}“{hit.text}”{text[hit.end:]}"
    return [text]

