"""Metrics: scorer counts summed over the gold set and turned into figures, and the mean
and spread of each figure over repeated runs.

Every metric is **micro-averaged**: the counts of all articles are summed first, then
divided (32 articles with 119 gold figures weigh each figure equally, not each article).
A metric whose denominator is 0 is None ("n/a"): precision of a run that predicted no
figure is unknown, not 0 and not 1. F1 is ``2 * matched / (pred + gold)``, which equals
the harmonic mean of precision and recall and is 0 when nothing matched.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from summarize.evaluation.scorers import Score

Counts = dict[str, dict[str, float | None]]


@dataclass(frozen=True)
class Metric:
    """A figure computed from summed counts of one scorer: ``numerator / denominator``
    (kind "ratio") or ``2 * numerator / (pred + gold)`` (kind "f1").

    ``higher_is_better`` is None for a figure with no better direction (a length).
    ``optional`` metrics (the model judge's) appear in tables only when a run has them."""

    name: str
    field: str
    numerator: str
    denominator: str
    kind: str = "ratio"
    higher_is_better: bool | None = True
    description: str = ""
    optional: bool = False

    def value(self, counts: Counts) -> float | None:
        """This metric on ``counts`` (summed or one article's); None when undefined."""
        c = counts.get(self.field, {})
        if self.kind == "f1":
            matched, total = c.get(self.numerator), _add(c.get("pred"), c.get("gold"))
            return None if matched is None or not total else 2 * matched / total
        numerator, denominator = c.get(self.numerator), c.get(self.denominator)
        if numerator is None or not denominator:
            return None
        return numerator / denominator


def _prf(field: str, label: str, matched: str = "matched") -> list[Metric]:
    return [
        Metric(f"{field}.precision", field, matched, "pred",
               description=f"{label.capitalize()} predicted that match a gold item, over {label} predicted."),
        Metric(f"{field}.recall", field, matched, "gold",
               description=f"Gold {label} matched by a prediction, over gold {label}."),
        Metric(f"{field}.f1", field, matched, "", kind="f1",
               description=f"Harmonic mean of {field} precision and recall."),
    ]


#: Every metric, in the order tables show them.
METRICS: tuple[Metric, ...] = (
    Metric("schema_valid_rate", "schema", "ok", "articles",
           description="Articles whose answer passed every validator (possibly after re-asks; "
                       "not an error record, not salvaged after the last re-ask), over articles."),
    *_prf("claims", "claims"),
    Metric("claims.exact_span_precision", "claims", "exact_span", "pred",
           description="As claims.precision, but the predicted quote's span must equal the gold quote's span."),
    Metric("claims.exact_span_recall", "claims", "exact_span", "gold",
           description="As claims.recall, but the predicted quote's span must equal the gold quote's span."),
    Metric("claims.exact_span_f1", "claims", "exact_span", "", kind="f1",
           description="Harmonic mean of the exact-span precision and recall."),
    Metric("claims.source_type_accuracy", "claims", "source_type", "matched",
           description="Matched claims whose source_type equals the gold one, over matched claims."),
    *_prf("casualties", "figures"),
    Metric("casualties.exact_number_accuracy", "casualties", "exact", "matched",
           description="Matched figures whose low and high both equal the gold reading, over matched figures."),
    Metric("casualties.stated_by_accuracy", "casualties", "stated_by", "matched",
           description="Matched figures whose stated_by is the gold one (fuzzy; outlet names are one value), over matched figures."),
    *_prf("loaded_terms", "term families"),
    Metric("grounding_rate", "grounding", "grounded", "items",
           description="Predicted claims, figures and loaded terms whose quote was found in the article, over all predicted items."),
    Metric("invented_number_rate", "invented_numbers", "invented", "figures", higher_is_better=False,
           description="Predicted figures whose quantity_text does not occur in the article, over predicted figures."),
    Metric("summary.unattributed_loaded_terms", "summary", "unattributed", "summaries", higher_is_better=False,
           description="Lexicon terms used in the summary text without quotation marks or attribution, per summary."),
    Metric("summary.unattributed_evaluative_terms", "summary", "evaluative", "summaries", higher_is_better=False,
           description="Evaluative framing from the lexicon's evaluative class (victories, heavy losses ...) "
                       "used in the summary text without quotation marks or attribution, per summary."),
    Metric("summary.numbers_not_in_article", "summary_numbers", "not_in_article", "numbers", higher_is_better=False,
           description="Numbers the summary states (digits, or spelled out from two up) whose value the "
                       "article's title, text and date do not state, over numbers the summaries state."),
    Metric("summary.names_not_in_article", "summary_names", "not_in_article", "names", higher_is_better=False,
           description="Names in the summary (runs of capitalised words, words in capitals) with a word the "
                       "article does not contain, over distinct names per summary."),
    Metric("summary.unattributed_figures", "summary_attribution", "unattributed", "figure_sentences",
           higher_is_better=False,
           description="Summary sentences stating a casualty figure with no reporting cue (said, according "
                       "to, reported ...): the outlet's or a source's count in the summary's own voice; over "
                       "summary sentences stating a casualty figure."),
    Metric("summary.coverage", "summary_coverage", "mentioned", "gold",
           description="Gold casualty figures and distinct named gold claim sources the summary mentions, "
                       "over gold figures and sources (an error record mentions none)."),
    Metric("summary.words_per_summary", "summary_length", "words", "summaries", higher_is_better=None,
           description="Words per summary written."),
    Metric("summary.sentences_per_summary", "summary_length", "sentences", "summaries", higher_is_better=None,
           description="Sentences per summary written (the schema asks for 2 to 5)."),
    Metric("judge.pass_rate", "judge", "passed", "judged", optional=True,
           description="Summaries the model judge passed on all four criteria of its rubric, over summaries "
                       "judged (eval --judge-model)."),
    Metric("judge.faithful", "judge", "faithful", "judged", optional=True,
           description="Summaries the judge found faithful to the article (states nothing the article does not)."),
    Metric("judge.neutral", "judge", "neutral", "judged", optional=True,
           description="Summaries the judge found neutral (no one-sided label in their own voice)."),
    Metric("judge.attributes_contested_claims", "judge", "attributed", "judged", optional=True,
           description="Summaries the judge found to attribute every figure and contested statement."),
    Metric("judge.covers_main_event", "judge", "covers", "judged", optional=True,
           description="Summaries the judge found to say what the article's main event is."),
    Metric("judge.error_rate", "judge", "errors", "asked", higher_is_better=False, optional=True,
           description="Summaries the judge gave no valid verdict for, over summaries sent to it."),
    Metric("requests_per_article", "usage", "requests", "articles", higher_is_better=False,
           description="HTTP requests sent per article (retries and re-asks included; 0 for rules)."),
    Metric("tokens_per_article", "usage", "tokens", "articles", higher_is_better=False,
           description="Prompt plus completion tokens per article (every request counted; a cached answer counts what it cost when made)."),
    Metric("cost_per_article_usd", "usage", "cost_usd", "articles", higher_is_better=False,
           description="US dollars per article from the price table; null when any record's cost is unknown."),
)
METRICS_BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}


def _add(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def counts_of(scores: Mapping[str, Score]) -> Counts:
    """The counts of one article's scores, by field."""
    return {field: dict(score.counts) for field, score in scores.items()}


def sum_counts(per_article: Iterable[Counts]) -> Counts:
    """Counts summed over articles; a None anywhere makes that count None (unknown)."""
    total: Counts = {}
    for counts in per_article:
        for field, values in counts.items():
            into = total.setdefault(field, {})
            for key, value in values.items():
                into[key] = value if key not in into else _add(into[key], value)
    return total


def compute_metrics(counts: Counts) -> dict[str, float | None]:
    """Every metric's value on ``counts`` (summed over the gold set, or one article's)."""
    return {metric.name: metric.value(counts) for metric in METRICS}


@dataclass(frozen=True)
class MetricStats:
    """One metric over repeated runs: the values, their mean, sample standard deviation
    (0 for one run), min and max. Runs where the metric is undefined are left out; when
    it is undefined in every run all figures are None."""

    values: tuple[float | None, ...]
    mean: float | None
    std: float | None
    min: float | None
    max: float | None

    @classmethod
    def of(cls, values: Iterable[float | None]) -> MetricStats:
        """Statistics of ``values`` (one per repeat)."""
        values = tuple(values)
        known = [v for v in values if v is not None]
        if not known:
            return cls(values, None, None, None, None)
        std = statistics.stdev(known) if len(known) > 1 else 0.0
        return cls(values, statistics.fmean(known), std, min(known), max(known))

    def as_dict(self) -> dict[str, object]:
        """JSON form."""
        return {"mean": self.mean, "std": self.std, "min": self.min, "max": self.max,
                "values": list(self.values)}


def stats_over_repeats(per_repeat: Iterable[Mapping[str, float | None]]) -> dict[str, MetricStats]:
    """MetricStats of every metric over repeats (each a name -> value mapping)."""
    runs = list(per_repeat)
    return {m.name: MetricStats.of(run.get(m.name) for run in runs) for m in METRICS}


def family_table(scores: Iterable[Score]) -> dict[str, dict[str, int]]:
    """Loaded terms per family over the gold set: matched, missed, spurious counts."""
    table: dict[str, dict[str, int]] = {}
    for score in scores:
        for kind, families in score.extra.get("families", {}).items():
            for family in families:
                row = table.setdefault(family, {"matched": 0, "missed": 0, "spurious": 0})
                row[kind] += 1
    return dict(sorted(table.items()))
