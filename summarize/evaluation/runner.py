"""Run backends and prompt versions over the gold set and score every record.

One *run* is one configuration (backend, model, prompt, mode) applied to every gold
article, ``repeat`` times; each repetition's records are scored field by field and
summed into metrics (summarize.evaluation.metrics). The rules baseline is deterministic
and runs once whatever ``repeat`` says.

Records come from summarize.batch.arun_batch: the same record cache, concurrency and rate
limits as ``summarize run``. With ``repeat`` above 1 the first repetition uses the cache as
configured (an answer cached by an earlier run or eval is one sample like any other) and
the others bypass it, neither reading nor writing, so each is a fresh answer. The rules
baseline never uses the cache: it takes a second to run, so the cache would save
nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from summarize.articles import Article
from summarize.batch import BatchOptions, arun_batch
from summarize.pipeline import run_blocking
from summarize.evaluation.gold import GoldArticle
from summarize.evaluation.metrics import (
    Counts,
    MetricStats,
    compute_metrics,
    counts_of,
    stats_over_repeats,
    sum_counts,
)
from summarize.evaluation.scorers import Score, Scorer, default_scorers, score_record
from summarize.records import Provenance, Record
from summarize.settings import Settings

BASELINE_LABEL = "rules"


@dataclass(frozen=True, kw_only=True)
class RunSpec:
    """One configuration to evaluate: a label for tables, its settings, how many times."""

    label: str
    settings: Settings
    repeat: int = 1

    @property
    def is_baseline(self) -> bool:
        """True for the rules backend."""
        return self.settings.resolved_backend() == "rules"


@dataclass(frozen=True, kw_only=True)
class EvalOptions:
    """How runs are executed: the batch options (concurrency, rate limits, cache) and a
    progress callback called with (run label, repetition number, record) per article."""

    batch: BatchOptions = field(default_factory=BatchOptions)
    on_record: Callable[[str, int, Record], None] | None = None


@dataclass
class RepeatResult:
    """One pass over the gold set: records and scores in gold order, summed metrics."""

    records: list[Record]
    scores: list[dict[str, Score]]
    seconds: float

    @property
    def counts(self) -> Counts:
        """Scorer counts summed over the articles."""
        return sum_counts(counts_of(s) for s in self.scores)

    @property
    def metrics(self) -> dict[str, float | None]:
        """Every metric of this pass."""
        return compute_metrics(self.counts)


@dataclass
class RunResult:
    """Every repetition of one run."""

    spec: RunSpec
    provenance: Provenance
    repeats: list[RepeatResult] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The run's name in tables."""
        return self.spec.label

    @property
    def is_baseline(self) -> bool:
        """True for the rules baseline."""
        return self.spec.is_baseline

    @property
    def stats(self) -> dict[str, MetricStats]:
        """Mean and spread of every metric over the repetitions."""
        return stats_over_repeats(r.metrics for r in self.repeats)


def plan_runs(settings: Settings, prompts: Sequence[str], *, repeat: int = 1) -> tuple[list[RunSpec], list[str]]:
    """The runs an ``eval`` performs and the notices to show the user.

    The rules baseline always runs (first). A model run is added for every prompt (the
    settings' prompt when none is given) unless the backend resolves to rules: asked for
    with ``--backend rules``, or ``auto`` with no endpoint configured. Raises ConfigError
    when the openai backend is asked for without an endpoint.
    """
    notices: list[str] = []
    baseline = RunSpec(label=BASELINE_LABEL, settings=settings.with_(backend="rules"), repeat=1)
    if settings.resolved_backend() == "rules":
        if settings.backend == "auto":
            notices.append("no model endpoint configured (OPENAI_API_KEY or OPENAI_BASE_URL / "
                           "--base-url): running the rules baseline only")
        if prompts:
            notices.append(f"--prompt {', '.join(prompts)} ignored: the rules backend uses no prompt")
        return [baseline], notices
    if repeat > 1:
        notices.append(f"the rules baseline is deterministic: it runs once; model runs repeat {repeat} times")
    specs = [baseline]
    for prompt in dict.fromkeys(prompts or [settings.prompt]):
        specs.append(RunSpec(label=prompt, settings=settings.with_(backend="openai", prompt=prompt),
                             repeat=repeat))
    return specs, notices


async def arun_spec(spec: RunSpec, golds: Sequence[GoldArticle], *, options: EvalOptions,
                    scorers: dict[str, Scorer] | None = None) -> RunResult:
    """Run ``spec`` over ``golds`` ``spec.repeat`` times and score each record."""
    scorers = scorers or default_scorers()
    articles = [g.to_article() for g in golds]
    result: RunResult | None = None
    for number in range(1, max(1, spec.repeat) + 1):
        started = time.perf_counter()
        records, provenance = await _records_for(articles, spec, number, options)
        elapsed = time.perf_counter() - started
        by_id = {r.id: r for r in records}
        ordered = [by_id[g.id] for g in golds]
        scores = [score_record(g, r, scorers) for g, r in zip(golds, ordered, strict=True)]
        if result is None:
            result = RunResult(spec=spec, provenance=provenance)
        result.repeats.append(RepeatResult(records=ordered, scores=scores, seconds=elapsed))
    assert result is not None
    return result


async def arun_eval(specs: Sequence[RunSpec], golds: Sequence[GoldArticle], *,
                    options: EvalOptions | None = None) -> list[RunResult]:
    """Every run of ``specs``, one after the other, over the gold set."""
    options = options or EvalOptions()
    return [await arun_spec(spec, golds, options=options) for spec in specs]


def run_eval(specs: Sequence[RunSpec], golds: Sequence[GoldArticle], *,
             options: EvalOptions | None = None) -> list[RunResult]:
    """Blocking twin of :func:`arun_eval` (also from code that runs an event loop)."""
    return run_blocking(arun_eval(specs, golds, options=options))


async def _records_for(articles: list[Article], spec: RunSpec, number: int,
                       options: EvalOptions) -> tuple[list[Record], Provenance]:
    """One record per article for repetition ``number`` of ``spec``, and the run's
    provenance (also when every record came from the cache)."""
    fresh = number > 1 or spec.is_baseline
    batch = replace(options.batch, use_cache=False) if fresh else options.batch
    callback = None
    if options.on_record is not None:
        report = options.on_record

        def callback(record: Record) -> None:
            report(spec.label, number, record)

    records = await arun_batch(articles, spec.settings, options=batch, on_record=callback)
    provenance = records[0].provenance.model_copy(update={"cached": False, "cached_usage": None})
    return records, provenance
