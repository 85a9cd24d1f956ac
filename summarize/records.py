"""The record: one per input article, the unit every writer, cache and eval reads.

    {"id", "status": "ok" | "error", "article": {...}, "summary": ArticleSummary | null,
     "error": {"type", "message"} | null, "warnings": [...], "usage": {...},
     "provenance": {...}}
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from summarize.articles import Article
from summarize.schema import ArticleSummary

#: US dollars per million tokens (prompt, completion) on OpenAI's live endpoint. A model
#: missing here gets ``cost_usd: null``, never 0: we do not know what it cost.
PRICES_PER_MTOK: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
}


#: OpenAI's Batch API charges half the live price for the same tokens ("50% discount"
#: on its pricing page): the batch price of a model is its row above times this.
BATCH_PRICE_FACTOR = 0.5

#: Which price table applies: ``auto`` OpenAI's prices on OpenAI's endpoint only (any
#: other endpoint: unknown), ``openai`` OpenAI's prices whatever the endpoint (a proxy
#: that bills at OpenAI's rates, a test server), ``none`` no prices (cost unknown).
PRICINGS: tuple[str, ...] = ("auto", "openai", "none")


def price_for(model: str | None, *, base_url: str | None = None, pricing: str = "auto",
              batch: bool = False) -> tuple[float, float] | None:
    """Prices of ``model`` on OpenAI's API (``batch``: its Batch API, at
    BATCH_PRICE_FACTOR of the live price), also for dated snapshots
    ("gpt-4o-mini-2024-07-18"). None for a model not in the table, for ``pricing``
    ``none``, and with ``auto`` for any other endpoint (``base_url`` not on
    api.openai.com): a local server or a proxy serving a model under that name does not
    cost what OpenAI charges."""
    if not model or pricing == "none":
        return None
    if pricing == "auto" and base_url is not None and urlsplit(base_url).hostname != "api.openai.com":
        return None
    prices = PRICES_PER_MTOK.get(model)
    if prices is None:
        best = max((name for name in PRICES_PER_MTOK if model.startswith(name + "-")), key=len,
                   default=None)
        prices = PRICES_PER_MTOK[best] if best else None
    if prices is None or not batch:
        return prices
    return (prices[0] * BATCH_PRICE_FACTOR, prices[1] * BATCH_PRICE_FACTOR)


class Usage(BaseModel):
    """Requests sent and tokens spent on one article, over every retry and re-ask."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    reasks: int = Field(default=0, description="answers sent back because they failed validation")

    @classmethod
    def nothing_spent(cls) -> Usage:
        """The usage of an article that sent no request: known to have cost nothing."""
        return cls(requests=0, prompt_tokens=0, completion_tokens=0, cost_usd=0.0)

    def priced(self, model: str | None, *, base_url: str | None = None, pricing: str = "auto",
               batch: bool = False) -> Usage:
        """This usage with ``cost_usd`` computed from the price table (None if unknown);
        see :func:`price_for` for ``pricing`` and ``batch``."""
        prices = price_for(model, base_url=base_url, pricing=pricing, batch=batch)
        if prices is None:
            return self.model_copy(update={"cost_usd": None})
        cost = (self.prompt_tokens * prices[0] + self.completion_tokens * prices[1]) / 1e6
        return self.model_copy(update={"cost_usd": round(cost, 8)})


class Provenance(BaseModel):
    """What produced a record: enough to reproduce it or to tell two runs apart."""

    backend: str
    model: str | None = None
    prompt: str | None = None
    prompt_sha256: str | None = None
    schema_version: str
    version: str
    mode: str | None = None
    base_url: str | None = None
    #: Sampling temperature of a model backend (None for rules).
    temperature: float | None = None
    #: Sampling seed sent to the endpoint (None: none sent, or rules).
    seed: int | None = None
    #: Whether strict structured outputs were used (None for rules).
    strict: bool | None = None
    cached: bool = False
    #: When ``cached``: the usage of the run that produced the record (this run spent none).
    cached_usage: Usage | None = None
    #: The Batch API job (its uid) whose answers made the record, at batch prices; None
    #: for the live endpoint (see docs/batch-api.md).
    batch_job: str | None = None


class ErrorInfo(BaseModel):
    """Why an article has no summary."""

    type: str
    message: str
    reason: str | None = Field(default=None, description="finer cause: rate_limited, refusal, ...")
    attempts: int | None = None


class RecordWarning(BaseModel):
    """Something a reader of the record must know: an ungrounded quote, a dropped item."""

    code: str
    message: str
    item: str | None = Field(default=None, description="path of the item: claims[2]")


class ArticleRef(BaseModel):
    """The article as a record carries it: its identity and its text, so that spans can
    be read and a report rebuilt from the record alone."""

    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    path: str | None = None
    text_sha256: str | None = None
    chars: int = 0
    text: str | None = None

    @classmethod
    def of(cls, article: Article) -> ArticleRef:
        """Reference to ``article``."""
        return cls(
            id=article.id,
            title=article.title,
            source=article.source,
            published=article.published,
            path=article.path,
            text_sha256=article.text_sha256 if article.text else None,
            chars=len(article.text),
            text=article.text or None,
        )


class Record(BaseModel):
    """The result for one article: a summary (status ok) or an error (status error)."""

    id: str
    status: Literal["ok", "error"]
    article: ArticleRef
    summary: ArticleSummary | None = None
    error: ErrorInfo | None = None
    warnings: list[RecordWarning] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    provenance: Provenance

    @property
    def ok(self) -> bool:
        """True when the article was summarised."""
        return self.status == "ok"
