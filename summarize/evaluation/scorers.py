"""Field scorers: each compares one field of a record with the gold labels of its article.

A scorer is a function ``(gold, record) -> Score``, made by a factory that takes its
thresholds. A Score holds **additive counts** (summed over articles by
summarize.evaluation.metrics, which turns them into precision, recall, rates), the gold
items that were matched, and findings a person can read (what was missed, what was
spurious, which attribute differed). A record with ``status: "error"`` has no items: it
predicts nothing, so its gold items count as missed and it adds nothing to precision.

Shared normalisation:

- **Names** (sources, stated_by): NFKC, case, quotes and dashes folded (as in
  summarize.alignment), punctuation dropped, the articles "the", "a", "an" dropped. Two
  names are the same when rapidfuzz's ``token_set_ratio`` on them reaches the threshold
  (default 85), so "the Syrian Observatory for Human Rights" = "Britain-based Syrian
  Observatory for Human Rights" (one name's words contain the other's) and "a military
  source" = "Military sources", but "State TV" != "the Syrian Observatory ...". A
  one-word name made of the other's initials is the same name too: "WHO" = "the World
  Health Organization", "SOHR" = "Syrian Observatory for Human Rights".
  For stated_by, every name of the outlet (the article's ``source``, "the outlet", a
  "Source: NAME" credit line; see GoldArticle.outlet_names) counts as one value, also
  when written without spaces ("jordantimes" = "Jordan Times").
- **Quotes**: word tokens (``\\w+``) of the normalised text; overlap is the token F1 of
  the two bags of words (1.0 identical, 0.5 e.g. when one quote is half the other).
- **One-to-one matching**: a maximum matching between predicted and gold items (every
  gold item and every prediction used at most once, as many pairs as possible), found
  with augmenting paths; each prediction tries its most similar candidates first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from summarize.alignment import contains_quantity, normalize
from summarize.quantities import read_quantity
from summarize.evaluation.gold import GoldArticle, GoldFigure
from summarize.lexicon import Lexicon, load_lexicon
from summarize.records import Record
from summarize.schema import ArticleSummary, AttributedClaim, CasualtyFigure, Outcome
from summarize.snippets import snippet

#: rapidfuzz token_set_ratio (0-100) from which two source names are the same.
SOURCE_THRESHOLD = 85.0
#: Token F1 (0-1) from which two quotes are the same statement.
QUOTE_THRESHOLD = 0.5

_WORD = re.compile(r"\w+")
_ARTICLES = {"the", "a", "an"}
_SMALL_WORDS = {"of", "for", "and", "in", "on", "to"}


@dataclass(frozen=True)
class Score:
    """What one scorer found on one article.

    ``counts`` are additive over articles (None = unknown, e.g. a cost nobody priced);
    ``matched_gold`` are the indices of the gold items found; ``findings`` are short
    sentences for a person; ``extra`` holds scorer-specific data (term families).
    """

    counts: dict[str, float | None]
    matched_gold: tuple[int, ...] = ()
    findings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


Scorer = Callable[[GoldArticle, Record], Score]


# ---- normalisation and matching ------------------------------------------------------


def name_key(name: str) -> str:
    """A name reduced for comparison: folded, lower-case, punctuation and articles dropped."""
    words = _WORD.findall(normalize(name).text.replace("_", " "))
    return " ".join(w for w in words if w not in _ARTICLES)


def _is_acronym_of(short: str, long: str) -> bool:
    """True when ``short`` is one word made of the initials of ``long``'s words, with or
    without its small words ("who" / "world health organization", "sohr" / "syrian
    observatory for human rights", "un" / "united nations")."""
    words = long.split()
    if " " in short or len(short) < 2 or len(words) < 2:
        return False
    initials = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in _SMALL_WORDS)
    return short in (initials, content)


def same_name(a: str, b: str, *, threshold: float = SOURCE_THRESHOLD) -> bool:
    """True when two source names are the same by the rule in the module docstring."""
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return False
    if key_a.replace(" ", "") == key_b.replace(" ", ""):
        return True
    if _is_acronym_of(key_a, key_b) or _is_acronym_of(key_b, key_a):
        return True
    return fuzz.token_set_ratio(key_a, key_b) >= threshold


def is_outlet(name: str, outlet_names: frozenset[str] | set[str]) -> bool:
    """True when ``name`` names the outlet itself (one of ``outlet_names``, compared
    without spaces or case)."""
    compact = name_key(name).replace(" ", "")
    return bool(compact) and any(compact == name_key(o).replace(" ", "") for o in outlet_names)


def same_stated_by(predicted: str, gold: str, outlet_names: frozenset[str] | set[str], *,
                   threshold: float = SOURCE_THRESHOLD) -> bool:
    """stated_by comparison: every name of the outlet is one value; otherwise same_name."""
    if is_outlet(predicted, outlet_names) and is_outlet(gold, outlet_names):
        return True
    return same_name(predicted, gold, threshold=threshold)


def token_f1(a: str, b: str) -> float:
    """Token F1 of two texts' bags of words (after normalisation); 0.0 if either is empty."""
    tokens_a = Counter(_WORD.findall(normalize(a).text))
    tokens_b = Counter(_WORD.findall(normalize(b).text))
    common = sum((tokens_a & tokens_b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(tokens_a.values()), common / sum(tokens_b.values())
    return 2 * precision * recall / (precision + recall)


def ranges_overlap(a_low: int | None, a_high: int | None, b_low: int | None, b_high: int | None) -> bool:
    """True when ``[low, high]`` intervals overlap; a null low is 0, a null high is open."""
    lo = max(a_low or 0, b_low or 0)
    hi = min(math.inf if a_high is None else a_high, math.inf if b_high is None else b_high)
    return lo <= hi


def figure_bounds(figure: CasualtyFigure) -> tuple[int | None, int | None]:
    """A predicted figure's ``(low, high)``; when it gives neither, the reading of its
    ``quantity_text`` (summarize.quantities.read_quantity), else ``(None, None)``: a
    figure that commits to no number matches no gold figure."""
    if figure.low is not None or figure.high is not None:
        return figure.low, figure.high
    reading = read_quantity(figure.quantity_text)
    return (reading.low, reading.high) if reading else (None, None)


def outcomes_match(predicted: Outcome | str, gold: Outcome | str) -> bool:
    """Outcomes must be equal. killed_or_wounded matches neither killed nor wounded: the
    guide labels it only when the article does not split the toll, and calling such a
    toll "killed" overstates the dead (the error an analyst must see)."""
    return str(predicted) == str(gold)


def match_one_to_one(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """A maximum one-to-one matching ``{prediction: gold}``; ``candidates[i]`` lists the
    gold items prediction ``i`` may match, most preferred first (Kuhn's algorithm)."""
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(candidates)):
        assign(i, set())
    return {i: j for j, i in owner.items()}


def _ranked(options: list[tuple[Any, int]]) -> list[int]:
    return [j for _, j in sorted(options, key=lambda o: o[0], reverse=True)]


def _summary_of(record: Record) -> ArticleSummary | None:
    return record.summary if record.status == "ok" else None


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


# ---- claims --------------------------------------------------------------------------


def claim_scorer(*, quote_threshold: float = QUOTE_THRESHOLD,
                 source_threshold: float = SOURCE_THRESHOLD) -> Scorer:
    """Attributed claims: precision, recall, exact-span agreement, source_type accuracy.

    A predicted claim matches a gold claim when their quotes overlap (token F1 >=
    ``quote_threshold``) and their sources are the same name (``same_name``). Predicted
    claims that repeat an earlier one's source and quote (after normalisation) are
    merged first, since the guide labels one claim per source per sentence; the merge is
    reported as a finding. The exact-span variant matches the same way but requires the
    predicted quote's span to equal the span of the gold quote. Counts: gold, pred,
    matched, exact_span, source_type (matched pairs with the same source_type).
    """

    def score(gold: GoldArticle, record: Record) -> Score:
        summary = _summary_of(record)
        predicted, merged = _merge_duplicate_claims(summary.claims if summary else [], source_threshold)
        findings = [f"merged duplicate claim: {c.source} / {snippet(c.quote, 60)}" for c in merged]

        def candidates(exact_span: bool) -> list[list[int]]:
            out = []
            for claim in predicted:
                options = []
                for j, g in enumerate(gold.claims):
                    if not same_name(claim.source, g.source, threshold=source_threshold):
                        continue
                    if exact_span:
                        span = (claim.span.start, claim.span.end) if claim.span else None
                        if span is None or span not in gold.spans_of(g.quote):
                            continue
                    overlap = token_f1(claim.quote, g.quote)
                    if overlap >= quote_threshold:
                        options.append(((overlap, fuzz.ratio(name_key(claim.source), name_key(g.source))), j))
                out.append(_ranked(options))
            return out

        pairs = match_one_to_one(candidates(exact_span=False))
        exact_pairs = match_one_to_one(candidates(exact_span=True))
        same_type = 0
        for i, j in sorted(pairs.items()):
            if predicted[i].source_type == gold.claims[j].source_type:
                same_type += 1
            else:
                findings.append(f"source_type {predicted[i].source_type} for {gold.claims[j].source_type}: "
                                f"{snippet(gold.claims[j].quote, 60)}")
        findings += [f"missed: {g.source} / {snippet(g.quote, 90)}" for j, g in enumerate(gold.claims)
                     if j not in pairs.values()]
        findings += [f"spurious: {c.source} / {snippet(c.quote, 90)}" for i, c in enumerate(predicted)
                     if i not in pairs]
        return Score(
            counts={"gold": len(gold.claims), "pred": len(predicted), "matched": len(pairs),
                    "exact_span": len(exact_pairs), "source_type": same_type},
            matched_gold=tuple(sorted(pairs.values())), findings=tuple(findings),
        )

    return score


def _merge_duplicate_claims(claims: Sequence[AttributedClaim], threshold: float
                            ) -> tuple[list[AttributedClaim], list[AttributedClaim]]:
    kept: list[AttributedClaim] = []
    merged: list[AttributedClaim] = []
    for claim in claims:
        quote = normalize(claim.quote).text
        if any(normalize(k.quote).text == quote and same_name(k.source, claim.source, threshold=threshold)
               for k in kept):
            merged.append(claim)
        else:
            kept.append(claim)
    return kept, merged


# ---- casualty figures ----------------------------------------------------------------


def casualty_scorer(*, quote_threshold: float = QUOTE_THRESHOLD,
                    source_threshold: float = SOURCE_THRESHOLD) -> Scorer:
    """Casualty figures: precision, recall, exact-number and stated_by accuracy.

    A predicted figure matches a gold figure when all three hold:

    - the same outcome (``outcomes_match``: killed_or_wounded matches only itself);
    - overlapping ``[low, high]`` readings, a null low read as 0 and a null high as open
      (``ranges_overlap``). So "dozens" (vague, 12-open) matches a predicted 24, and a
      range 20-30 matches 25 or "at least 28"; but 12 does not match "scores" (20-open);
    - overlapping evidence: the predicted span overlaps the span of the gold quote or of
      one of its alt_quotes (the same figure repeated in the title or lead); a predicted
      figure without a span counts when its quote's token F1 with one of those quotes
      reaches ``quote_threshold``.

    Over matched pairs: **exact number** when low and high are both equal (so "dozens"
    read as 24 is matched but not exact); **stated_by** when ``same_stated_by`` holds.
    Counts: gold, pred, matched, exact, stated_by.
    """

    def score(gold: GoldArticle, record: Record) -> Score:
        summary = _summary_of(record)
        predicted: list[CasualtyFigure] = list(summary.casualties) if summary else []
        outlets = gold.outlet_names
        candidates = []
        for figure in predicted:
            options = []
            for j, g in enumerate(gold.casualties):
                if not outcomes_match(figure.outcome, g.outcome):
                    continue
                low, high = figure_bounds(figure)
                if (low, high) == (None, None) or not ranges_overlap(low, high, g.low, g.high):
                    continue
                if not _same_evidence(figure, g, gold, quote_threshold):
                    continue
                rank = ((figure.low, figure.high) == (g.low, g.high),
                        same_stated_by(figure.stated_by, g.stated_by, outlets, threshold=source_threshold),
                        figure.quote == g.quote, token_f1(figure.quote, g.quote))
                options.append((rank, j))
            candidates.append(_ranked(options))
        pairs = match_one_to_one(candidates)

        exact = stated = 0
        findings: list[str] = []
        for i, j in sorted(pairs.items()):
            p, g = predicted[i], gold.casualties[j]
            if (p.low, p.high) == (g.low, g.high):
                exact += 1
            else:
                findings.append(f"number {g.quantity_text!r}: read {p.low}-{p.high}, gold {g.low}-{g.high}")
            if same_stated_by(p.stated_by, g.stated_by, outlets, threshold=source_threshold):
                stated += 1
            else:
                findings.append(f"stated_by {g.quantity_text!r}: {p.stated_by!r}, gold {g.stated_by!r}")
        findings += [f"missed: {g.quantity_text!r} {g.outcome} ({g.stated_by}) / {snippet(g.quote, 70)}"
                     for j, g in enumerate(gold.casualties) if j not in pairs.values()]
        findings += [f"spurious: {p.quantity_text!r} {p.outcome} ({p.stated_by}) / {snippet(p.quote, 70)}"
                     for i, p in enumerate(predicted) if i not in pairs]
        return Score(
            counts={"gold": len(gold.casualties), "pred": len(predicted), "matched": len(pairs),
                    "exact": exact, "stated_by": stated},
            matched_gold=tuple(sorted(pairs.values())), findings=tuple(findings),
        )

    return score


def _same_evidence(figure: CasualtyFigure, gold_figure: GoldFigure, gold: GoldArticle,
                   quote_threshold: float) -> bool:
    if figure.span is not None:
        return _overlaps((figure.span.start, figure.span.end), gold.evidence_of(gold_figure))
    return any(token_f1(figure.quote, quote) >= quote_threshold
               for quote in (gold_figure.quote, *gold_figure.alt_quotes))


# ---- loaded terms --------------------------------------------------------------------


def term_family(term: str, lexicon: Lexicon | None = None, *, quote: str | None = None) -> str:
    """The family of a loaded term: the name of the lexicon entry it matches ("Terrorists",
    "terror group" -> "terrorist"; "so called" -> "so-called"), else the term in lower case
    with its whitespace collapsed ("foreign-backed"). A term that only matches in its
    context ("terror", which the lexicon takes only before "group", "attack" ...) is looked
    up in its ``quote``: the entry of the lexicon match there that equals the term."""
    lex = lexicon or load_lexicon()
    hits = lex.find(term)
    if hits:
        return hits[0].entry.term
    wanted = " ".join(term.lower().split())
    for hit in lex.find(quote or ""):
        if " ".join(hit.text.lower().split()) == wanted:
            return hit.entry.term
    return wanted


def loaded_term_scorer(*, lexicon: Lexicon | None = None) -> Scorer:
    """Loaded terms by family: precision and recall of the set of term families found.

    Each predicted and gold term is mapped to its family (``term_family``); an article's
    predicted families are compared with its gold families as sets, so two predicted
    items of one family count once (the guide labels one item per family). Counts: gold,
    pred, matched; ``extra["families"]`` holds the families found, missed and spurious
    (for the per-family table of the report).
    """
    lex = lexicon or load_lexicon()

    def score(gold: GoldArticle, record: Record) -> Score:
        summary = _summary_of(record)
        gold_terms = [term_family(t.term, lex, quote=t.quote) for t in gold.loaded_terms]
        predicted = {term_family(t.term, lex, quote=t.quote) for t in (summary.loaded_terms if summary else [])}
        found = set(gold_terms) & predicted
        missed, spurious = set(gold_terms) - predicted, predicted - set(gold_terms)
        findings = [f"missed: {f}" for f in sorted(missed)] + [f"spurious: {f}" for f in sorted(spurious)]
        return Score(
            counts={"gold": len(set(gold_terms)), "pred": len(predicted), "matched": len(found)},
            matched_gold=tuple(j for j, f in enumerate(gold_terms) if f in found),
            findings=tuple(findings),
            extra={"families": {"matched": sorted(found), "missed": sorted(missed), "spurious": sorted(spurious)}},
        )

    return score


# ---- whole-record scorers ------------------------------------------------------------


def grounding_scorer() -> Scorer:
    """Grounding: predicted claims, figures and loaded terms whose quote was found in the
    article (``span`` set by summarize.grounding: exact, normalised or fuzzy), over all
    predicted items. Counts: items, grounded."""

    def score(gold: GoldArticle, record: Record) -> Score:
        summary = _summary_of(record)
        items = [*summary.claims, *summary.casualties, *summary.loaded_terms] if summary else []
        ungrounded = [item for item in items if item.span is None]
        return Score(counts={"items": len(items), "grounded": len(items) - len(ungrounded)},
                     findings=tuple(f"ungrounded: {snippet(i.quote, 90)}" for i in ungrounded))

    return score


def invented_number_scorer() -> Scorer:
    """Invented numbers: predicted figures whose ``quantity_text`` does not occur in the
    article as whole words, exactly or after normalisation (summarize.alignment.
    contains_quantity: "12" is not in "120"), over all
    predicted figures. Counts: figures, invented."""

    def score(gold: GoldArticle, record: Record) -> Score:
        summary = _summary_of(record)
        figures = summary.casualties if summary else []
        invented = [f for f in figures if not contains_quantity(gold.text, f.quantity_text)]
        return Score(counts={"figures": len(figures), "invented": len(invented)},
                     findings=tuple(f"invented: {f.quantity_text!r}" for f in invented))

    return score


def summary_terms_scorer(*, lexicon: Lexicon | None = None, evaluative: Lexicon | None = None) -> Scorer:
    """Unattributed loaded terms in the summary text: lexicon matches that are neither
    quoted nor introduced as someone's label (Lexicon.unattributed), per summary written;
    and the same for the lexicon's evaluative class (praise or blame of how the fighting
    went: "victories", "heavy losses"). Counts: summaries (1 for an ok record),
    unattributed, evaluative."""
    lex = lexicon or load_lexicon()
    framing = evaluative or load_lexicon("evaluative")

    def score(gold: GoldArticle, record: Record) -> Score:
        summary = _summary_of(record)
        hits = lex.unattributed(summary.summary) if summary else []
        framed = framing.unattributed(summary.summary) if summary else []
        return Score(counts={"summaries": 1 if summary else 0, "unattributed": len(hits),
                             "evaluative": len(framed)},
                     findings=tuple(f"unattributed in summary: {h.text!r}" for h in hits)
                     + tuple(f"evaluative in summary: {h.text!r}" for h in framed))

    return score


def status_scorer() -> Scorer:
    """Schema validity: 1 when the answer passed every validator (possibly after
    re-asks), 0 for an error record or an answer salvaged after the last re-ask (ok, but
    with a ``reasks_exhausted`` warning: it never passed). Counts: articles, ok."""

    def score(gold: GoldArticle, record: Record) -> Score:
        salvaged = any(w.code == "reasks_exhausted" for w in record.warnings)
        ok = record.status == "ok" and not salvaged
        if record.error is not None:
            findings: tuple[str, ...] = (f"error: {record.error.type}: {record.error.message}",)
        else:
            findings = ("salvaged: failed validation after the last re-ask",) if salvaged else ()
        return Score(counts={"articles": 1, "ok": int(ok)}, findings=findings)

    return score


def usage_scorer() -> Scorer:
    """Cost of producing the article's answer: HTTP requests, tokens (prompt +
    completion) and cost in US dollars. A record replayed from the cache spent nothing
    in this run; its ``provenance.cached_usage`` (what the answer cost when it was made)
    is counted instead, so a cached eval reports the same cost as a fresh one.
    ``cost_usd`` None stays None: unknown, not 0. Counts: articles, requests, tokens,
    cost_usd."""

    def score(gold: GoldArticle, record: Record) -> Score:
        usage = record.provenance.cached_usage or record.usage
        return Score(counts={"articles": 1, "requests": usage.requests,
                             "tokens": usage.prompt_tokens + usage.completion_tokens,
                             "cost_usd": usage.cost_usd})

    return score


def default_scorers() -> dict[str, Scorer]:
    """Every scorer, by the field name its metrics are filed under (the summary checks
    come from summarize.evaluation.summary_quality)."""
    from summarize.evaluation.summary_quality import summary_scorers

    return {
        "schema": status_scorer(),
        "claims": claim_scorer(),
        "casualties": casualty_scorer(),
        "loaded_terms": loaded_term_scorer(),
        "grounding": grounding_scorer(),
        "invented_numbers": invented_number_scorer(),
        "summary": summary_terms_scorer(),
        **summary_scorers(),
        "usage": usage_scorer(),
    }


def score_record(gold: GoldArticle, record: Record, scorers: dict[str, Scorer] | None = None) -> dict[str, Score]:
    """Every scorer's Score for one record against its gold article."""
    return {name: scorer(gold, record) for name, scorer in (scorers or default_scorers()).items()}
