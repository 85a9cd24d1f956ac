"""Deterministic checks of the summary text against its article and gold labels.

Each check is a scorer (``(gold, record) -> Score`` with additive counts, as in
summarize.evaluation.scorers). "The article" means what the prompt shows: its title,
outlet, publication date and text. A record without a summary (an error record) states
nothing, so it adds to no rate; for coverage its gold items count as not mentioned.

- **Numbers not in the article** (``summary_numbers``): every number the summary states
  in digits ("1,500", "22", "3.5") or spelled out from two up ("two", "twenty-two", "a
  dozen"; "one" is left out, it is seldom a count) is looked up by value among the
  numbers the article states in digits or words: "3" matches "three" and "1,500"
  matches "1500", "12" does not match "120". A number of the publication date also
  stands for its year ("4/16/17" holds 17 and 2017). Counts: numbers, not_in_article.
- **Names not in the article** (``summary_names``): a name is a run of capitalised words,
  possibly joined by "of", "for", "the", "al" ... ("Syrian Observatory for Human
  Rights"), or a word in capitals ("SOHR"). A capitalised word opening a sentence is a
  name only when it is not a common word: one the article or summary also writes in
  lower case, or a function word ("The", "In", "After"). A name is in the article when
  each of its words is, as a whole word and ignoring case, or as the same stem: two
  words sharing their first four letters or more and differing only in the last three
  at most ("Syrian" / "Syria", "Iranian" / "Iran", "Kurdish" / "Kurds"). A word in
  capitals is also in the article when it is the initials of a capitalised run there
  ("UN" / "United Nations"). Distinct names per summary. Counts: names, not_in_article.
- **Unattributed figures** (``summary_attribution``): the outlet's voice (and any
  source's) left unattributed. A summary sentence that states a casualty figure (a
  number, a spelled-out number or a vague quantity such as "dozens", and a casualty word
  such as "killed", "wounded", "dead", "casualties") must say who states it: it needs a
  reporting cue ("said", "according to", "reported", "claimed", "told", "estimated" ...).
  A figure stated as bare fact, "22 people were killed", repeats the outlet's or a
  source's count in the summary's own voice. Counts: figure_sentences, unattributed.
- **Coverage** (``summary_coverage``): the gold casualty figures and the distinct gold
  claim sources (other than ``unnamed`` ones) the summary mentions. A figure is
  mentioned when the summary contains its quantity_text ("at least 137", "dozens") or,
  unless it is vague, states its low or high number; a source when the summary contains
  its name, its initials (for "Syrian Observatory for Human Rights": "SOHR"), or a name
  of two words or more that is the same name (summarize.evaluation.scorers.same_name:
  "the Syrian Observatory" for the full name; a one-word short form such as "the
  Observatory" is not counted). Counts: gold, mentioned, figures, figures_mentioned,
  sources, sources_mentioned.
- **Length** (``summary_length``): words (``\\w+`` tokens) and sentences per summary.
  Counts: summaries, words, sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from summarize.alignment import contains_quantity, normalize
from summarize.evaluation.gold import GoldArticle, GoldFigure
from summarize.evaluation.scorers import Score, Scorer, name_key, same_name
from summarize.quantities import EXTRA_VAGUE_READINGS, NUMBER_WORDS, VAGUE_READINGS, number_value
from summarize.records import Record
from summarize.schema import QuantityType, SourceType

_DIGIT_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])|(?<![\w.,])\d+(?=st|nd|rd|th)")
_SPELLED_WORDS = sorted(NUMBER_WORDS - {"a", "an", "and"}, key=len, reverse=True)
# "and" does not join: "two and three" are two numbers (and "two hundred and five" reads
# as 200 and 5 on both sides of the comparison).
_SPELLED_NUMBER = re.compile(
    r"\b(?:(?:a|an)\s+)?(?:" + "|".join(_SPELLED_WORDS) + r")(?:[\s-]+(?:"
    + "|".join(_SPELLED_WORDS) + r"))*\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
#: Words that join the capitalised words of one name.
_CONNECTORS = {"of", "for", "the", "al", "el", "de", "bin", "ibn", "abu"}
#: Capitalised words that open sentences without being names.
_FUNCTION_WORDS = frozenset("""
a an the this that these those it its they their them he his she her we our i you some many
several most more all both each every other such no not one two in on at after before during
while when where as by for from with without into over under about against between among
according since until despite following amid meanwhile however also but and or yet so if
there here what which who whom whose why how then thus still nearly almost at least
""".split())
_CASUALTY = re.compile(
    r"\b(?:kill(?:s|ed|ing)?|dead|died|dies|dying|deaths?|toll|lives|wounded|wounding|"
    r"injur(?:ed|ies|ing|y)|casualties|massacred|captured|abducted|kidnapped|missing)\b",
    re.IGNORECASE)
_VAGUE = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted({*VAGUE_READINGS, *EXTRA_VAGUE_READINGS}, key=len,
                                                      reverse=True)) + r")\b",
    re.IGNORECASE)
_CUE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|reported|reports|reporting|according\s+to|"
    r"claimed|claims|claiming|stated|announced|announces|alleged|alleges|accused|"
    r"accuses|estimated|estimates|counted|documented|confirmed|confirms|cited|citing|"
    r"quoted|quoting|(?:put|puts|gave|gives|giving)\s+(?:a|the)\s+(?:\w+\s+)?(?:toll|number|figure)|"
    r"blamed|denied|"
    r"insisted|added|noted)\b",
    re.IGNORECASE)


# ---- numbers -------------------------------------------------------------------------


def _digit_values(text: str) -> list[tuple[str, float]]:
    """Values of a number in digits: "1,500" is 1500, "3.5" and "3,5" are 3.5; a string
    of several separators ("24.08.2013") is its parts (24, 8, 2013)."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return [(text, float(text.replace(",", "")))]
    parts = re.split(r"[.,]", text)
    if len(parts) <= 2:
        return [(text, float(".".join(parts)))]
    return [(part, float(part)) for part in parts]


def stated_numbers(text: str) -> list[tuple[str, float]]:
    """The numbers ``text`` states, as (text, value): digits, and spelled-out whole
    numbers from two up ("one" alone is left out)."""
    found: list[tuple[str, float]] = []
    for match in _DIGIT_NUMBER.finditer(text):
        found += _digit_values(match.group(0))
    for match in _SPELLED_NUMBER.finditer(text):
        value = number_value(match.group(0))
        if value is not None and value >= 2:
            found.append((match.group(0), float(value)))
    return found


def _date_values(published: str | None) -> set[float]:
    values = set()
    for text, value in stated_numbers(published or ""):
        values.add(value)
        if value < 100 and len(text) == 2:
            values.add(2000 + value)
    return values


@lru_cache(maxsize=256)
def _article_numbers(title: str, text: str, published: str) -> frozenset[float]:
    return frozenset({v for _, v in stated_numbers(f"{title}\n{text}")} | _date_values(published))


def numbers_not_in_article(summary: str, gold: GoldArticle) -> tuple[list[str], list[str]]:
    """(every number the summary states, those the article does not)."""
    known = _article_numbers(gold.article.title or "", gold.text, gold.article.published or "")
    stated = stated_numbers(summary)
    return [t for t, _ in stated], [t for t, v in stated if v not in known]


# ---- names ---------------------------------------------------------------------------


def _sentence_starts(text: str) -> set[int]:
    starts = {0}
    for match in _SENTENCE.finditer(text):
        starts.add(match.end())
    return starts


def _clean(word: str) -> str:
    """A word without a possessive ending or a trailing apostrophe."""
    return re.sub(r"['’]s$", "", word).rstrip("'’-")


def _is_capitalised(word: str) -> bool:
    """True for "Aleppo", "SOHR" and "al-Assad" (a capital after a hyphen)."""
    return word[:1].isupper() or ("-" in word and word.split("-", 1)[1][:1].isupper())


def _is_acronym(word: str) -> bool:
    letters = word.replace("-", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def name_runs(text: str) -> list[tuple[int, list[str]]]:
    """Runs of capitalised words (joined by connectors and single spaces) with the
    offset of their first word."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = end = 0
    for match in _WORD.finditer(text):
        word = _clean(match.group(0))
        if not word:
            continue
        joined = current and text[end:match.start()] in (" ", "-")
        if _is_capitalised(word) or (joined and word.lower() in _CONNECTORS):
            if not joined:
                if current:
                    runs.append((start, current))
                current, start = [], match.start()
            current.append(word)
            end = match.start() + len(word)
            continue
        if current:
            runs.append((start, current))
        current = []
    if current:
        runs.append((start, current))
    out = []
    for offset, words in runs:
        while words and words[-1].lower() in _CONNECTORS:
            words = words[:-1]
        if words:
            out.append((offset, words))
    return out


def _lower_words(text: str) -> set[str]:
    """Words written in lower case somewhere in ``text``."""
    return {w for w in _WORD.findall(text) if w.islower()}


def summary_names(summary: str, article_text: str) -> list[str]:
    """The distinct names a summary uses (see the module docstring)."""
    starts = _sentence_starts(summary)
    common = _lower_words(article_text) | _lower_words(summary)
    names: dict[str, str] = {}
    for offset, words in name_runs(summary):
        if offset in starts or summary[max(0, offset - 1):offset] in ("\"", "“", "'", "‘"):
            first = words[0]
            if not _is_acronym(first) and (first.lower() in _FUNCTION_WORDS or first.lower() in common):
                words = words[1:]
                while words and words[0].lower() in _CONNECTORS:
                    words = words[1:]
        if words:
            name = " ".join(words)
            names.setdefault(name.lower(), name)
    return list(names.values())


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    prefix = 0
    for x, y in zip(a, b):
        if x != y:
            break
        prefix += 1
    return prefix >= 4 and prefix >= max(len(a), len(b)) - 3


@lru_cache(maxsize=256)
def _article_vocabulary(text: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(lower-cased words, words in capitals, initials of capitalised runs) of ``text``."""
    words = [_clean(w) for w in _WORD.findall(text)]
    keys = {normalize(w).text for w in words if w}
    lower = frozenset(keys | {part for key in keys if "-" in key for part in key.split("-") if part})
    capitals = frozenset(w for w in words if _is_acronym(w))
    initials = set()
    for _, run in name_runs(text):
        content = [w for w in run if w.lower() not in _CONNECTORS]
        if len(content) >= 2:
            initials.add("".join(w[0] for w in content).upper())
            initials.add("".join(w[0] for w in run).upper())
    return lower, capitals, frozenset(initials)


def name_in_article(name: str, article_text: str) -> bool:
    """True when every word of ``name`` is in the article (see the module docstring)."""
    lower, capitals, initials = _article_vocabulary(article_text)
    for word in name.split():
        if word.lower() in _CONNECTORS:
            continue
        if _is_acronym(word) and (word in capitals or word.replace("-", "") in initials):
            continue
        key = normalize(_clean(word)).text
        parts = [key, *(p for p in key.split("-") if p and p not in _CONNECTORS)] if "-" in key else [key]
        if _known(parts[0], lower) or (len(parts) > 1 and all(_known(p, lower) for p in parts[1:])):
            continue
        return False
    return True


def _known(key: str, lower: frozenset[str]) -> bool:
    return key in lower or any(_same_stem(key, known) for known in lower if known[:4] == key[:4])


def _shown_text(gold: GoldArticle) -> str:
    """What the prompt shows of the article: title, outlet, date and text."""
    return "\n".join(p for p in (gold.article.title, gold.article.source, gold.article.published, gold.text) if p)


# ---- attribution and coverage --------------------------------------------------------


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (at ., ! or ? before a capital letter or a digit)."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def states_figure(sentence: str) -> bool:
    """True when ``sentence`` states a casualty figure: a casualty word and a number or
    vague quantity."""
    if not _CASUALTY.search(sentence):
        return False
    return bool(stated_numbers(sentence) or _VAGUE.search(sentence))


def is_attributed_sentence(sentence: str) -> bool:
    """True when ``sentence`` has a reporting cue (said, according to, reported ...)."""
    return bool(_CUE.search(sentence))


def _initials(name: str) -> set[str]:
    words = name_key(name).split()
    if len(words) < 2:
        return set()
    content = [w for w in words if w not in {"of", "for", "and", "in", "on", "to"}]
    return {"".join(w[0] for w in words).upper(), "".join(w[0] for w in content).upper()}


def source_mentioned(source: str, summary: str, names: Iterable[str]) -> bool:
    """True when the summary mentions ``source`` (see the module docstring)."""
    key = name_key(source)
    if not key:
        return False
    if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", name_key(summary)):
        return True
    acronyms = {w for w in re.findall(r"[A-Z][A-Z-]+", summary) if _is_acronym(w)}
    if acronyms & _initials(source):
        return True
    return any(len(name.split()) >= 2 and same_name(name, source) for name in names)


def figure_mentioned(figure: GoldFigure, summary: str, values: set[float]) -> bool:
    """True when the summary mentions a gold casualty figure."""
    if contains_quantity(summary, figure.quantity_text):
        return True
    if figure.quantity_type == QuantityType.vague:
        return False
    return any(v is not None and float(v) in values for v in (figure.low, figure.high))


def _distinct_sources(gold: GoldArticle) -> list[str]:
    sources: list[str] = []
    for claim in gold.claims:
        if claim.source_type == SourceType.unnamed:
            continue
        if not any(same_name(claim.source, known) for known in sources):
            sources.append(claim.source)
    return sources


# ---- scorers -------------------------------------------------------------------------


def _summary_text(record: Record) -> str | None:
    return record.summary.summary if record.status == "ok" and record.summary else None


def summary_numbers_scorer() -> Scorer:
    """Numbers the summary states that the article does not."""

    def score(gold: GoldArticle, record: Record) -> Score:
        text = _summary_text(record)
        stated, missing = numbers_not_in_article(text, gold) if text else ([], [])
        return Score(counts={"numbers": len(stated), "not_in_article": len(missing)},
                     findings=tuple(f"number not in the article: {n!r}" for n in missing))

    return score


def summary_names_scorer() -> Scorer:
    """Names the summary uses that the article does not contain."""

    def score(gold: GoldArticle, record: Record) -> Score:
        text = _summary_text(record)
        shown = _shown_text(gold)
        names = summary_names(text, shown) if text else []
        missing = [n for n in names if not name_in_article(n, shown)]
        return Score(counts={"names": len(names), "not_in_article": len(missing)},
                     findings=tuple(f"name not in the article: {n!r}" for n in missing))

    return score


def summary_attribution_scorer() -> Scorer:
    """Summary sentences stating a casualty figure without saying who states it."""

    def score(gold: GoldArticle, record: Record) -> Score:
        text = _summary_text(record)
        with_figure = [s for s in sentences(text or "") if states_figure(s)]
        bare = [s for s in with_figure if not is_attributed_sentence(s)]
        return Score(counts={"figure_sentences": len(with_figure), "unattributed": len(bare)},
                     findings=tuple(f"figure without attribution: {s[:120]!r}" for s in bare))

    return score


def summary_coverage_scorer() -> Scorer:
    """Gold casualty figures and claim sources the summary mentions."""

    def score(gold: GoldArticle, record: Record) -> Score:
        text = _summary_text(record) or ""
        values = {v for _, v in stated_numbers(text)}
        names = summary_names(text, _shown_text(gold)) if text else []
        sources = _distinct_sources(gold)
        figures_hit = [f for f in gold.casualties if text and figure_mentioned(f, text, values)]
        sources_hit = [s for s in sources if text and source_mentioned(s, text, names)]
        findings = [f"figure not mentioned: {f.quantity_text!r} {f.outcome}" for f in gold.casualties
                    if f not in figures_hit]
        findings += [f"source not mentioned: {s}" for s in sources if s not in sources_hit]
        gold_total = len(gold.casualties) + len(sources)
        return Score(counts={"gold": gold_total, "mentioned": len(figures_hit) + len(sources_hit),
                             "figures": len(gold.casualties), "figures_mentioned": len(figures_hit),
                             "sources": len(sources), "sources_mentioned": len(sources_hit)},
                     findings=tuple(findings) if text else ())

    return score


def summary_length_scorer() -> Scorer:
    """Words and sentences of the summary."""

    def score(gold: GoldArticle, record: Record) -> Score:
        text = _summary_text(record)
        if text is None:
            return Score(counts={"summaries": 0, "words": 0, "sentences": 0})
        return Score(counts={"summaries": 1, "words": len(re.findall(r"\w+", text)),
                             "sentences": len(sentences(text))})

    return score


def summary_scorers() -> dict[str, Scorer]:
    """Every summary check, by the field its metrics are filed under."""
    return {
        "summary_numbers": summary_numbers_scorer(),
        "summary_names": summary_names_scorer(),
        "summary_attribution": summary_attribution_scorer(),
        "summary_coverage": summary_coverage_scorer(),
        "summary_length": summary_length_scorer(),
    }
