"""How sure a figure is: bootstrap intervals over gold articles and paired tests between runs.

**Resampling unit: the article.** A run's per-article scorer counts (one set per repeat)
are the data. A bootstrap resample draws as many articles as the gold set has, with
replacement, sums their counts and recomputes every metric *as its definition says*
(summarize.evaluation.metrics): micro-averaged F1 from the resampled sums of matched,
predicted and gold items, never a mean of per-article F1s. With repeats, the repeats are
resampled too (crossed with the articles): the resample's figure is the mean, over the
drawn repeats, of each repeat's metric on the drawn articles, just as the reported figure
is the mean over repeats.

**Interval: percentile.** The 95% interval is the 2.5th and 97.5th percentile of the
resampled figures (numpy's linear interpolation between order statistics). Resamples in
which a metric is undefined (nothing to divide by, as when no drawn article has a
predicted figure) are left out of that metric's percentiles; a metric undefined on the
whole set has no interval. A percentile interval of a ratio can, rarely, miss the figure
itself when the resampled figures are very skewed; the interval is then widened to
reach it, so that every interval contains the figure it belongs to.

**Paired comparison** of run A with run B over the articles both scored:

- the delta is B's figure minus A's, each computed as above on the shared articles;
- its interval is the percentile interval of the delta over paired resamples (the same
  drawn articles for both runs; repeats drawn for each run separately);
- the p-value is two-sided, by **approximate randomisation** (Noreen 1989): in each of
  ``resamples`` shuffles every article's counts are swapped between A and B with
  probability 1/2, the delta is recomputed, and ``p = (k + 1) / (N + 1)`` where ``k`` of
  the ``N`` shuffled deltas are at least as far from 0 as the observed one. A run
  compared with itself has every shuffled delta equal to 0, so p = 1. When the two runs
  have different numbers of repeats, each article's counts are first averaged over its
  repeats (the shuffle needs exchangeable units).
- a difference is **significant** when p < 0.05.

Everything is deterministic given the seed: the draws come from numpy's
``default_rng(seed)`` (PCG64), articles first, then repeats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from summarize.evaluation.metrics import METRICS, Counts, Metric

if TYPE_CHECKING:
    import numpy as np

#: Resamples (and shuffles) drawn unless told otherwise.
DEFAULT_RESAMPLES = 2000
#: Seed of the draws unless told otherwise.
DEFAULT_SEED = 15
#: Coverage of the intervals.
CONFIDENCE = 0.95
#: p-values below this are marked significant.
ALPHA = 0.05
#: Differences below this are 0 (float noise).
_TOLERANCE = 1e-12


def _numpy() -> ModuleType:
    """numpy, imported when first needed: every ``summarize`` command imports this
    module, and numpy would add a fifth of a second to each one's start."""
    import numpy

    return numpy


@dataclass(frozen=True, kw_only=True)
class Resampling:
    """How intervals and tests are drawn: how many resamples, from which seed."""

    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    confidence: float = CONFIDENCE

    def as_dict(self) -> dict[str, object]:
        """JSON form, with the method named."""
        return {"method": "percentile bootstrap", "unit": "article", "resamples": self.resamples,
                "seed": self.seed, "confidence": self.confidence,
                "test": "approximate randomisation", "alpha": ALPHA}


class CountTable:
    """Scorer counts of a run as one array: ``values[article, repeat, key]``, a key being
    a (field, count) pair; NaN stands for an unknown count (a cost nobody priced, or a
    count no article of the run reported)."""

    def __init__(self, per_article: Sequence[Sequence[Counts]], keys: Sequence[tuple[str, str]] | None = None):
        np = _numpy()
        repeats = {len(r) for r in per_article}
        if len(repeats) > 1:
            raise ValueError("every article needs the same number of repeats")
        self.keys: list[tuple[str, str]] = list(keys) if keys is not None else _keys_of(per_article)
        self.index = {key: i for i, key in enumerate(self.keys)}
        n, r = len(per_article), (repeats.pop() if repeats else 0)
        values = np.zeros((n, r, len(self.keys)))
        seen = np.zeros(len(self.keys), dtype=bool)
        for i, article in enumerate(per_article):
            for j, counts in enumerate(article):
                for field, items in counts.items():
                    for name, value in items.items():
                        position = self.index.get((field, name))
                        if position is not None:
                            seen[position] = True
                            values[i, j, position] = np.nan if value is None else value
        # A count no article reported is unknown (a metric on it is undefined, as
        # Metric.value says); one some articles did not report is 0 there (sum_counts).
        values[:, :, ~seen] = np.nan
        self.values = values

    @property
    def articles(self) -> int:
        """Number of articles."""
        return self.values.shape[0]

    @property
    def repeats(self) -> int:
        """Number of repeats per article."""
        return self.values.shape[1]

    def pooled(self) -> CountTable:
        """This table with each article's counts averaged over its repeats (one repeat)."""
        table = object.__new__(CountTable)
        table.keys, table.index = self.keys, self.index
        table.values = self.values.mean(axis=1, keepdims=True)
        return table

    def figures(self, article_weights: np.ndarray, repeat_weights: np.ndarray | None = None
                ) -> dict[str, np.ndarray]:
        """Every metric for each row of ``article_weights`` (resamples x articles: how
        often each article is drawn): the mean over repeats (weighted by
        ``repeat_weights``, resamples x repeats; default: each repeat once) of the metric
        on the weighted sums. NaN where undefined."""
        np = _numpy()
        sums = np.einsum("bn,nrk->brk", article_weights, self.values)
        if repeat_weights is None:
            repeat_weights = np.ones((article_weights.shape[0], self.repeats))
        out = {}
        for metric in METRICS:
            per_repeat = _metric_array(metric, sums, self.index)
            defined = ~np.isnan(per_repeat)
            weights = repeat_weights * defined
            total = weights.sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[metric.name] = np.where(total > 0, np.nansum(per_repeat * weights, axis=1) / total, np.nan)
        return out

    def point(self) -> dict[str, float | None]:
        """Every metric on the whole table (each article once, each repeat once)."""
        figures = self.figures(_numpy().ones((1, self.articles)))
        return {name: _plain(values[0]) for name, values in figures.items()}


def _keys_of(*tables: Sequence[Sequence[Counts]]) -> list[tuple[str, str]]:
    keys: dict[tuple[str, str], None] = {}
    for per_article in tables:
        for article in per_article:
            for counts in article:
                for field, items in counts.items():
                    for name in items:
                        keys[(field, name)] = None
    return list(keys)


def _metric_array(metric: Metric, sums: np.ndarray, index: Mapping[tuple[str, str], int]) -> np.ndarray:
    """``metric`` computed on every row of ``sums`` (resamples x repeats x keys), as
    Metric.value computes it on one set of counts; NaN where it is None there."""
    np = _numpy()
    def column(name: str) -> np.ndarray:
        position = index.get((metric.field, name))
        return sums[..., position] if position is not None else np.full(sums.shape[:-1], np.nan)

    if metric.kind == "f1":
        numerator, denominator = 2 * column(metric.numerator), column("pred") + column("gold")
    else:
        numerator, denominator = column(metric.numerator), column(metric.denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator != 0, numerator / denominator, np.nan)


def _plain(value: float) -> float | None:
    np = _numpy()
    return None if np.isnan(value) else float(value)


def _draws(rng: np.random.Generator, size: int, resamples: int) -> np.ndarray:
    """How often each of ``size`` units is drawn in each resample (resamples x size)."""
    np = _numpy()
    if size == 0:
        return np.zeros((resamples, 0))
    return rng.multinomial(size, np.full(size, 1 / size), size=resamples).astype(float)


def _interval(values: np.ndarray, point: float | None, confidence: float) -> list[float] | None:
    """Percentile interval of the defined ``values``, widened to contain ``point``."""
    np = _numpy()
    if point is None:
        return None
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return None
    tail = (1 - confidence) / 2
    low, high = (float(v) for v in np.quantile(defined, [tail, 1 - tail]))
    return [min(low, point), max(high, point)]


def bootstrap_intervals(table: CountTable, resampling: Resampling | None = None
                        ) -> dict[str, list[float] | None]:
    """The percentile interval of every metric of ``table`` (see the module docstring)."""
    np = _numpy()
    resampling = resampling or Resampling()
    rng = np.random.default_rng(resampling.seed)
    articles = _draws(rng, table.articles, resampling.resamples)
    repeats = _draws(rng, table.repeats, resampling.resamples) if table.repeats > 1 else None
    resampled = table.figures(articles, repeats)
    point = table.point()
    return {name: _interval(resampled[name], point[name], resampling.confidence) for name in point}


@dataclass(frozen=True)
class PairedResult:
    """One metric compared between run A and run B over ``n`` shared articles."""

    a: float | None
    b: float | None
    delta: float | None
    ci95: list[float] | None
    p_value: float | None
    n: int

    @property
    def significant(self) -> bool:
        """True when p < ALPHA."""
        return self.p_value is not None and self.p_value < ALPHA

    def as_dict(self) -> dict[str, object]:
        """JSON form."""
        return {"a": self.a, "b": self.b, "delta": self.delta, "ci95": self.ci95,
                "p_value": self.p_value, "n": self.n, "significant": self.significant}


def paired_comparison(a: Sequence[Sequence[Counts]], b: Sequence[Sequence[Counts]],
                      resampling: Resampling | None = None) -> dict[str, PairedResult]:
    """Every metric of run B against run A: delta, paired-bootstrap interval and
    approximate-randomisation p-value. ``a[i]`` and ``b[i]`` are the counts (one per
    repeat) of the same article."""
    np = _numpy()
    if len(a) != len(b):
        raise ValueError("a and b must hold the same articles, in the same order")
    resampling = resampling or Resampling()
    keys = _keys_of(a, b)
    table_a, table_b = CountTable(a, keys), CountTable(b, keys)
    n = table_a.articles
    point_a, point_b = table_a.point(), table_b.point()
    delta = {name: None if point_a[name] is None or point_b[name] is None else point_b[name] - point_a[name]
             for name in point_a}

    rng = np.random.default_rng(resampling.seed)
    articles = _draws(rng, n, resampling.resamples)
    repeats_a = _draws(rng, table_a.repeats, resampling.resamples) if table_a.repeats > 1 else None
    repeats_b = _draws(rng, table_b.repeats, resampling.resamples) if table_b.repeats > 1 else None
    boot_a, boot_b = table_a.figures(articles, repeats_a), table_b.figures(articles, repeats_b)

    shuffled = _shuffled_deltas(table_a, table_b, rng, resampling.resamples)
    results = {}
    for name in point_a:
        d = delta[name]
        if d is not None and abs(d) < _TOLERANCE:
            d = 0.0
        ci = _interval(boot_b[name] - boot_a[name], d, resampling.confidence)
        results[name] = PairedResult(a=point_a[name], b=point_b[name], delta=d, ci95=ci,
                                     p_value=_p_value(shuffled[name], d), n=n)
    return results


def _shuffled_deltas(table_a: CountTable, table_b: CountTable, rng: np.random.Generator,
                     shuffles: int) -> dict[str, np.ndarray]:
    """B - A for ``shuffles`` random swaps of the two runs' counts, article by article."""
    if table_a.repeats != table_b.repeats:
        table_a, table_b = table_a.pooled(), table_b.pooled()
    swap = rng.integers(0, 2, size=(shuffles, table_a.articles)).astype(float)
    keep = 1 - swap
    # Shuffled A = kept A articles + swapped-in B articles; shuffled B the other way.
    shuffled_a = _combined(table_a, table_b, keep, swap)
    shuffled_b = _combined(table_b, table_a, keep, swap)
    return {name: shuffled_b[name] - shuffled_a[name] for name in shuffled_a}


def _combined(first: CountTable, second: CountTable, keep: np.ndarray, swap: np.ndarray
              ) -> dict[str, np.ndarray]:
    np = _numpy()
    merged = object.__new__(CountTable)
    merged.keys, merged.index = first.keys, first.index
    # Two tables side by side, weighted: articles of `first` where kept, of `second` where swapped.
    merged.values = np.concatenate([first.values, second.values], axis=0)
    return merged.figures(np.concatenate([keep, swap], axis=1))


def _p_value(shuffled: np.ndarray, delta: float | None) -> float | None:
    """Two-sided randomisation p-value of ``delta`` among the ``shuffled`` deltas."""
    np = _numpy()
    if delta is None:
        return None
    defined = shuffled[~np.isnan(shuffled)]
    extreme = int(np.count_nonzero(np.abs(defined) >= abs(delta) - _TOLERANCE))
    return (extreme + 1) / (defined.size + 1)
