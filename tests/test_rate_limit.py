"""Rate limits nobody told the batch about: a 429 slows every request down together, the
pace recovers, a 429 with a Retry-After does not use up an article's retries, and an
endpoint that only ever answers 429 still ends the batch.

Outcomes are asserted, not timings (benchmarks/rate_limit.py prints the rate reached).
"""

from __future__ import annotations

from summarize.batch import BatchOptions, run_batch
from summarize.model.pace import AdaptivePace
from tests.fake_openai import RateLimited, answer, scripted, status
from tests.test_batch import dispatch, settings_for
from tests.test_client import GOOD


def test_a_limited_endpoint_without_rpm_ends_with_every_article_ok(fake_server):
    limited = RateLimited(lambda request, index: answer(GOOD, delay=0.02),
                          per_minute=600, burst=10)
    server = fake_server(limited)
    # One retry per article: without the adaptation, 16 workers retrying a 429 at the
    # 0.01-0.1 s its Retry-After names would use it up at once.
    settings = settings_for(server, max_retries=1, max_retry_after=60)
    records = run_batch([dispatch(n) for n in range(60)], settings,
                        options=BatchOptions(concurrency=16, use_cache=False))
    assert [r.status for r in records] == ["ok"] * 60, {r.error.reason for r in records if r.error}
    assert limited.refused > 0, "the endpoint never refused: the adaptation was not tested"
    assert limited.served == 60, "an article was answered twice"


def test_a_429_with_retry_after_does_not_use_up_the_retries(fake_server):
    wait = status(429, "slow down", headers={"retry-after-ms": "10"})
    server = fake_server(scripted([wait, wait, wait, answer(GOOD)]))
    [record] = run_batch([dispatch(0)], settings_for(server, max_retries=0, max_retry_after=0.05),
                         options=BatchOptions(use_cache=False))
    assert record.ok, record.error
    assert record.usage.requests == 4


def test_a_429_without_retry_after_is_a_failure_like_any_other(fake_server):
    server = fake_server(scripted([status(429, "slow down"), answer(GOOD)]))
    [record] = run_batch([dispatch(0)], settings_for(server, max_retries=0, max_retry_after=0.05),
                         options=BatchOptions(use_cache=False))
    assert record.error.reason == "rate_limited" and record.usage.requests == 1


def test_an_endpoint_that_only_answers_429_still_ends(fake_server, monkeypatch):
    # What is tested is the bound on each article's waits, not how slow the pace gets.
    monkeypatch.setattr(AdaptivePace, "SLOWEST", 50.0)
    server = fake_server(lambda request, index: status(429, "no", headers={"retry-after-ms": "5"}))
    records = run_batch([dispatch(n) for n in range(6)],
                        settings_for(server, max_retries=0, max_retry_after=0.02),
                        options=BatchOptions(concurrency=2, use_cache=False))
    assert not any(r.ok for r in records)
    assert {r.error.reason for r in records} <= {"rate_limited", "not_attempted"}
    tried = [r for r in records if r.error.reason == "rate_limited"]
    assert tried and all(r.usage.requests == 5 for r in tried), "4 waits, then it gives up"


def test_a_429_sets_a_pace_below_the_accepted_rate_and_answers_raise_it():
    pace = AdaptivePace()
    clock = [100.0]
    pace._clock = lambda: clock[0]
    pace._started = 100.0
    for _ in range(20):  # 20 answers in the first two seconds: 10 a second
        clock[0] += 0.1
        pace.succeeded()
    assert pace.rate is None, "no pace before the first 429"
    pace.rate_limited()
    assert pace.rate is not None and 7 <= pace.rate <= 9
    first = pace.rate
    pace.rate_limited()  # within the cooldown: one 429 wave is one decrease
    assert pace.rate == first and pace.decreases == 1
    for _ in range(30):
        clock[0] += 0.1
        pace.succeeded()
    assert pace.rate > first, "three seconds of answers did not raise the pace"


def test_the_pace_never_exceeds_the_rpm():
    pace = AdaptivePace(ceiling=2.0)
    pace._clock = lambda: 1.0
    pace._started = 0.0
    pace.rate_limited()
    for _ in range(100):
        pace.succeeded()
    assert pace.rate is not None and pace.rate <= 2.0
