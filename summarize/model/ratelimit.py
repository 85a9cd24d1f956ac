"""Client-side limits on requests and tokens per minute, applied to every HTTP request.

A batch sends many requests at once; an account with a rate limit answers the excess
with 429s, and the retries of those 429s make more 429s. :class:`RateLimits` keeps the
requests under ``--rpm`` and the tokens under ``--tpm`` before they leave, so that a batch
runs near its limit instead of into it.

Both limits are leaky buckets (aiolimiter) that drain at the per-minute rate spread over
the minute (``rpm / 60`` a second), with room for one second's worth at once: a batch
starts smoothly instead of in a burst of a whole minute's quota.

Tokens: before a request is sent its prompt tokens are estimated (:func:`estimate_tokens`,
about four characters a token over the whole JSON body, which holds the messages and
the schema) and taken from the bucket; when its response arrives, the bucket is corrected
with the real ``usage.total_tokens`` (prompt + completion). A request that fails without
an answer gives its estimate back. The limits sit in a transport of httpx2 (the openai
SDK's HTTP client), so that every HTTP request counts, retries and re-asks included.

Without ``--rpm`` the limit is found instead: a 429 slows every request of the batch down
together and the pace recovers as answers come back (summarize.model.pace, AIMD); with
``--rpm`` the same happens below the rpm.

The same transport puts the guards of summarize.model.guards on every exchange: a deadline
over the whole exchange, a size limit, and the API key blanked out of the answer.
"""

from __future__ import annotations

import asyncio
import json
import math

import httpx2
from aiolimiter import AsyncLimiter

from summarize.errors import ConfigError
from summarize.model.guards import MAX_RESPONSE_BYTES, ExchangeGuard
from summarize.model.pace import AdaptivePace

#: Characters per token of the estimate: about right for English prose and JSON, and
#: on the high side for most other text (an over-estimate only slows a batch a little).
CHARS_PER_TOKEN = 4


def estimate_tokens(chars: int) -> int:
    """Estimated tokens of ``chars`` characters of prompt: ``ceil(chars / 4)``."""
    return math.ceil(chars / CHARS_PER_TOKEN)


class _Bucket(AsyncLimiter):
    """A leaky bucket of ``per_minute`` units a minute, one second's worth at a time, whose
    level can also be corrected after the fact (up: a debt that later takers wait out;
    down: a refund that wakes them)."""

    def __init__(self, per_minute: float) -> None:
        per_second = per_minute / 60
        burst = max(1.0, per_second)
        super().__init__(burst, burst / per_second)

    async def take(self, amount: float) -> None:
        """Wait until ``amount`` fits, then take it (more than the bucket holds is taken
        as one full bucket plus a debt)."""
        first = min(amount, self.max_rate)
        await self.acquire(first)
        self.correct(amount - first)

    def correct(self, delta: float) -> None:
        """Add ``delta`` (negative: give back) to what the bucket holds."""
        if not delta:
            return
        self._leak()
        self._level = max(0.0, self._level + delta)
        self._wake_next()


class RateLimits:
    """Requests-per-minute and tokens-per-minute limits shared by every request of a batch
    (either may be None: no limit), and the pace that 429s set (``adaptive``)."""

    def __init__(self, *, rpm: float | None = None, tpm: float | None = None,
                 adaptive: bool = True) -> None:
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value <= 0:
                raise ConfigError(f"--{name} must be positive")
        self.rpm = rpm
        self.tpm = tpm
        self._requests = _Bucket(rpm) if rpm else None
        self._tokens = _Bucket(tpm) if tpm else None
        #: The pace found from 429s (None: 429s change nothing here).
        self.pace = AdaptivePace(ceiling=rpm / 60 if rpm else None) if adaptive else None

    @property
    def active(self) -> bool:
        """True when at least one limit is set."""
        return bool(self._requests or self._tokens)

    async def before_request(self, estimated_tokens: int) -> None:
        """Wait until one more request of ``estimated_tokens`` fits the pace and both
        limits."""
        if self.pace is not None:
            await self.pace.wait_turn()
        if self._requests:
            await self._requests.take(1)
        if self._tokens:
            await self._tokens.take(estimated_tokens)

    def answered(self, status: int) -> None:
        """The endpoint answered a request with HTTP ``status``: a 429 slows the pace down,
        an answer lets it grow."""
        if self.pace is None:
            return
        if status == 429:
            self.pace.rate_limited()
        elif status < 300:
            self.pace.succeeded()

    def after_request(self, estimated_tokens: int, actual_tokens: int | None) -> None:
        """Correct the token bucket with what the request really used (None: unknown,
        keep the estimate; 0: nothing was spent, give the estimate back)."""
        if self._tokens and actual_tokens is not None:
            self._tokens.correct(actual_tokens - estimated_tokens)


def _nothing() -> None:
    """Release of a request that holds no slot."""


def _total_tokens(body: bytes) -> int | None:
    """``usage.total_tokens`` (or prompt + completion) of a chat completion body."""
    try:
        usage = json.loads(body).get("usage") or {}
    except (ValueError, AttributeError):
        return None
    if not isinstance(usage, dict):
        return None

    def count(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    total = usage.get("total_tokens")
    if count(total):
        return total
    parts = [usage.get("prompt_tokens"), usage.get("completion_tokens")]
    return sum(parts) if all(count(p) for p in parts) else None


class RateLimitedTransport(httpx2.AsyncBaseTransport):
    """An httpx2 transport that passes each request through :class:`RateLimits` first and
    keeps at most ``max_in_flight`` requests open at once (None: no bound). A request
    holds its slot from sending until its response body is closed. Every exchange gets
    an :class:`summarize.model.guards.ExchangeGuard` (deadline, size limit of ``max_body``
    bytes, decoding, the key redacted)."""

    def __init__(self, limits: RateLimits, inner: httpx2.AsyncBaseTransport, *,
                 max_in_flight: int | None = None, max_body: int | None = None) -> None:
        self.limits = limits
        self._inner = inner
        self._slots = asyncio.Semaphore(max_in_flight) if max_in_flight else None
        self.max_body = max_body or MAX_RESPONSE_BYTES

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self._slots is not None:
            await self._slots.acquire()
        release = self._slots.release if self._slots is not None else _nothing
        estimate = estimate_tokens(len(request.content)) if self.limits.active else 0
        guard = ExchangeGuard(request, max_body=self.max_body)
        try:
            await self.limits.before_request(estimate)
            response = await guard.send(self._inner)
        except BaseException:
            release()
            self.limits.after_request(estimate, 0)
            raise
        self.limits.answered(response.status_code)
        ok = response.status_code < 300
        try:
            body = response.content  # a transport that answers with the body already read
        except httpx2.ResponseNotRead:
            pass
        else:
            release()
            self.limits.after_request(estimate, _total_tokens(body) if ok else 0)
            return response

        def settle(body: bytes) -> None:
            release()
            counted = ok and self.limits.active  # read the usage only when it is needed
            self.limits.after_request(estimate, _total_tokens(body) if counted else 0)

        await guard.wrap(response, settle)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def limited_http_client(limits: RateLimits, *, connections: int | None) -> httpx2.AsyncClient:
    """An httpx2 client for the openai SDK that applies ``limits``, keeps at most
    ``connections`` requests in flight (None: no bound), keeps that many connections open
    for reuse, and guards every exchange (summarize.model.guards). Redirects are not followed:
    a redirected POST (turned into a GET by a 301 or 302) would send the article
    elsewhere or come back as nonsense; the client reports the redirect instead."""
    import openai

    from summarize.model.transport import connection_transport

    transport = RateLimitedTransport(limits, connection_transport(connections=connections),
                                     max_in_flight=max(connections, 1) if connections else None)
    # The SDK's own httpx subclass: its defaults (timeouts) with this transport.
    return openai.DefaultAsyncHttpxClient(transport=transport, follow_redirects=False)
