"""The dry run: what a batch would send and cost, found without calling a model.

    estimate = estimate_batch(articles, settings, resume=journal)

Articles are read lazily and counted, not kept: a dry run of an archive needs no more
memory than a batch of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from summarize.articles import Article
from summarize.backend import Backend
from summarize.batch.cache import RecordCache, cache_key
from summarize.batch.index import run_key
from summarize.batch.resume import ResumeSource, as_resume_source, run_fingerprint, stands
from summarize.batch.runner import BatchOptions, open_backend
from summarize.model.backend import OpenAIBackend
from summarize.model.ratelimit import RateLimits, estimate_tokens
from summarize.pipeline import Summarizer, run_blocking
from summarize.records import Record, price_for
from summarize.schema import ArticleSummary
from summarize.settings import Settings

#: Problems listed by name in an estimate (the rest are counted).
PROBLEMS_KEPT = 100


@dataclass
class BatchEstimate:
    """What a batch would do, found without calling a model."""

    articles: int = 0
    unusable: int = 0
    resumed: int = 0
    cached: int = 0
    to_send: int = 0
    prompt_tokens: int = 0
    backend: str = ""
    model: str | None = None
    max_tokens: int = 0
    prices: tuple[float, float] | None = None
    #: The first PROBLEMS_KEPT unusable articles: (id, why).
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def prompt_cost_usd(self) -> float | None:
        """Cost of the estimated prompt tokens (None: no price known for the model)."""
        if self.prices is None:
            return None
        return self.prompt_tokens * self.prices[0] / 1e6

    @property
    def max_completion_cost_usd(self) -> float | None:
        """Cost if every answer used all of max_tokens: a ceiling, not an estimate."""
        if self.prices is None:
            return None
        return self.to_send * self.max_tokens * self.prices[1] / 1e6


def schema_chars(settings: Settings | None = None) -> int:
    """Characters of the JSON schema sent with every model request (its strict form when
    ``settings`` use strict structured outputs)."""
    if settings is not None and settings.strict_outputs:
        from summarize.model.response_models import strict_json_schema

        return len(json.dumps(strict_json_schema()))
    return len(json.dumps(ArticleSummary.model_json_schema()))


async def aestimate_batch(articles: Iterable[Article], settings: Settings, *,
                          options: BatchOptions | None = None,
                          resume: ResumeSource | Mapping[str, Record] | None = None,
                          model: bool | None = None) -> BatchEstimate:
    """Count what :func:`summarize.batch.runner.aiter_batch` would send for ``articles``
    and estimate its prompt tokens and cost, without calling a model: one request per
    article of the rendered prompt plus the schema, at
    :func:`summarize.model.ratelimit.estimate_tokens` (re-asks and retries would add to
    it). ``model=True`` estimates the model run even when no endpoint is configured
    (nothing is sent, so no key is needed); None: the backend ``settings`` resolve to."""
    options = options or BatchOptions()
    options.check()
    cache = options.open_cache()
    try:
        if model:
            backend: Backend = OpenAIBackend(settings.with_(backend="openai"))
        else:
            backend = open_backend(settings, limits=RateLimits(), concurrency=1)
        async with Summarizer(settings, backend=backend) as summarizer:
            return _estimate(articles, summarizer, cache, as_resume_source(resume))
    finally:
        if cache is not None:
            cache.close()


def _estimate(articles: Iterable[Article], summarizer: Summarizer, cache: RecordCache | None,
              resume: ResumeSource | None) -> BatchEstimate:
    """The estimate of ``articles`` with an open summarizer and cache."""
    backend, settings = summarizer.backend, summarizer.settings
    is_model = backend.name != "rules"
    estimate = BatchEstimate(backend=backend.name, model=backend.model,
                             max_tokens=settings.max_tokens,
                             prices=price_for(backend.model, base_url=settings.base_url,
                                              pricing=settings.pricing) if is_model
                             else (0.0, 0.0))
    extra = schema_chars(settings) if is_model else 0
    provenance = summarizer.provenance()
    run = run_key(run_fingerprint(provenance))
    for article in articles:
        estimate.articles += 1
        problem = summarizer.check_input(article)
        if problem:
            estimate.unusable += 1
            if len(estimate.problems) < PROBLEMS_KEPT:
                estimate.problems.append((article.id, problem))
        elif resume is not None and stands(resume.lookup(article.id), article, run):
            estimate.resumed += 1
        elif cache is not None and cache.contains(cache_key(article, provenance)):
            estimate.cached += 1
        else:
            estimate.to_send += 1
            if is_model and backend.prompt is not None:
                chars = sum(len(m["content"]) for m in backend.prompt.render(article))
                estimate.prompt_tokens += estimate_tokens(chars + extra)
    return estimate


def estimate_batch(articles: Iterable[Article], settings: Settings, *,
                   options: BatchOptions | None = None,
                   resume: ResumeSource | Mapping[str, Record] | None = None,
                   model: bool | None = None) -> BatchEstimate:
    """Blocking twin of :func:`aestimate_batch`."""
    return run_blocking(aestimate_batch(articles, settings, options=options, resume=resume,
                                        model=model))
