"""Client-side rate limits: the token bucket is charged with an estimate before a request
and corrected with the real usage after it; the transport does both for every request."""

from __future__ import annotations

import json

import httpx2
import pytest

from summarize.errors import ConfigError
from summarize.model.ratelimit import RateLimitedTransport, RateLimits, _Bucket, estimate_tokens


def test_estimate_is_four_characters_a_token():
    assert estimate_tokens(0) == 0
    assert estimate_tokens(4) == 1
    assert estimate_tokens(5) == 2
    assert estimate_tokens(4000) == 1000


async def test_bucket_holds_one_second_of_the_minute_rate():
    bucket = _Bucket(6000)  # 100 a second
    assert bucket.max_rate == 100
    assert bucket.has_capacity(100) and not bucket.has_capacity(101)
    await bucket.take(100)
    assert not bucket.has_capacity(50)


async def test_a_debt_makes_later_requests_wait_and_a_refund_frees_them():
    bucket = _Bucket(60_000)  # 1000 a second
    await bucket.take(1000)
    bucket.correct(-1000)  # the request used nothing: give it all back
    assert bucket.has_capacity(1000)
    await bucket.take(1000)
    bucket.correct(+2000)  # it used 2000 more than estimated
    assert not bucket.has_capacity(1)


async def test_a_request_larger_than_the_bucket_is_taken_as_a_debt():
    bucket = _Bucket(600)  # 10 a second
    await bucket.take(50)  # does not raise although 50 > 10
    assert not bucket.has_capacity(1)


def test_limits_must_be_positive():
    with pytest.raises(ConfigError, match="--tpm"):
        RateLimits(tpm=0)
    assert not RateLimits().active
    assert RateLimits(rpm=10).active


class _Recorder(RateLimits):
    """RateLimits that keeps what the transport told it."""

    def __init__(self) -> None:
        super().__init__(rpm=6000, tpm=6_000_000)
        self.before: list[int] = []
        self.after: list[tuple[int, int | None]] = []

    async def before_request(self, estimated_tokens: int) -> None:
        self.before.append(estimated_tokens)
        await super().before_request(estimated_tokens)

    def after_request(self, estimated_tokens: int, actual_tokens: int | None) -> None:
        self.after.append((estimated_tokens, actual_tokens))
        super().after_request(estimated_tokens, actual_tokens)


def _endpoint(request: httpx2.Request) -> httpx2.Response:
    if request.url.path.endswith("/fail"):
        return httpx2.Response(429, json={"error": {"message": "slow down"}})
    return httpx2.Response(200, json={"choices": [], "usage": {
        "prompt_tokens": 700, "completion_tokens": 300, "total_tokens": 1000}})


async def test_transport_estimates_before_and_corrects_with_usage_after():
    limits = _Recorder()
    transport = RateLimitedTransport(limits, httpx2.MockTransport(_endpoint))
    body = json.dumps({"messages": [{"role": "user", "content": "x" * 3990}]})
    async with httpx2.AsyncClient(transport=transport) as client:
        response = await client.post("http://endpoint.test/v1/chat", content=body)
        assert response.json()["usage"]["total_tokens"] == 1000  # the body passes through
        await client.post("http://endpoint.test/v1/fail", content=body)
    estimate = estimate_tokens(len(body))
    assert limits.before == [estimate, estimate]
    assert limits.after == [(estimate, 1000), (estimate, 0)], "a 429 spent no tokens"


async def test_transport_reads_usage_from_a_real_streamed_response(fake_server):
    from tests.fake_openai import answer

    server = fake_server(lambda request, index: answer({"summary": "x"}, usage=(120, 30)))
    limits = _Recorder()
    transport = RateLimitedTransport(limits, httpx2.AsyncHTTPTransport())
    async with httpx2.AsyncClient(transport=transport) as client:
        response = await client.post(f"{server.base_url}/chat/completions",
                                     json={"model": "m", "messages": []})
    assert response.status_code == 200
    assert limits.after == [(limits.before[0], 150)]
