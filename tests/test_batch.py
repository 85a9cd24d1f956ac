"""The batch runner: one record per article in input order, bounded concurrency, rate
limits, isolation of one article's failure, and stopping when the endpoint itself fails.

Runs against tests/fake_openai.py live: what matters here is what the server received.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from summarize.articles import Article, article_from_text
from summarize.backend import Extraction
from summarize.batch.runner import BatchOptions, arun_batch, reusable, run_batch
from summarize.errors import ConfigError
from summarize.pipeline import Summarizer
from summarize.records import Record
from summarize.settings import Settings
from tests.fake_openai import Action, answer, article_text_of, status
from tests.test_client import ARTICLE, GOOD


def dispatch(number: int) -> Article:
    """A distinct article that GOOD's quotes ground in."""
    return article_from_text(f"{ARTICLE} Dispatch {number}.", title=f"Dispatch {number}",
                             source="Example News")


def settings_for(server, **changes: Any) -> Settings:
    values = dict(backend="openai", base_url=server.base_url, api_key="test-key-not-secret",
                  model="gpt-4o-mini", max_retries=1, max_reasks=0, timeout=10.0,
                  backoff_initial=0.01, backoff_max=0.05)
    values.update(changes)
    return Settings(**values)


class InFlight:
    """A responder that answers GOOD after ``delay`` and records the most requests it
    was serving at once; requests whose article contains ``fail_on`` get a 400."""

    def __init__(self, delay: float = 0.05, fail_on: str | None = None) -> None:
        self.delay = delay
        self.fail_on = fail_on
        self.now = 0
        self.most = 0
        self.times: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request: dict[str, Any], index: int) -> Action:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
            self.times.append(time.monotonic())
        try:
            time.sleep(self.delay)
        finally:
            with self._lock:
                self.now -= 1
        if self.fail_on and self.fail_on in article_text_of(request):
            return status(400, "this article is refused")
        return answer(GOOD)


def test_one_record_per_article_in_input_order(fake_server):
    responder = InFlight(delay=0.02)
    server = fake_server(responder)
    articles = [dispatch(n) for n in range(12)]
    seen: list[str] = []
    records = run_batch(articles, settings_for(server), options=BatchOptions(concurrency=4),
                        on_record=lambda r: seen.append(r.id))
    assert [r.id for r in records] == [a.id for a in articles]
    assert sorted(seen) == sorted(a.id for a in articles) and len(seen) == 12
    assert all(r.ok for r in records)
    assert len(server.requests) == 12


def test_concurrency_bounds_the_requests_in_flight(fake_server):
    responder = InFlight(delay=0.15)
    server = fake_server(responder)
    run_batch([dispatch(n) for n in range(12)], settings_for(server),
              options=BatchOptions(concurrency=3, use_cache=False))
    assert len(server.requests) == 12
    assert responder.most <= 3
    assert responder.most >= 2, "the batch ran one article at a time"


def test_one_failing_article_does_not_stop_the_others(fake_server):
    server = fake_server(InFlight(delay=0.0, fail_on="Dispatch 2."))
    records = run_batch([dispatch(n) for n in range(5)], settings_for(server),
                        options=BatchOptions(concurrency=2))
    assert [r.status for r in records] == ["ok", "ok", "error", "ok", "ok"]
    assert records[2].error.reason == "http_400"
    assert "refused" in records[2].error.message


def test_unusable_article_gets_an_error_record_without_a_request(fake_server):
    server = fake_server(InFlight(delay=0.0))
    empty = Article(id="empty.txt", path="empty.txt", error="empty.txt: empty file")
    records = run_batch([dispatch(0), empty], settings_for(server), options=BatchOptions())
    assert [r.status for r in records] == ["ok", "error"]
    assert records[1].error.type == "input_error" and "empty file" in records[1].error.message
    assert len(server.requests) == 1


class _ExplodingBackend:
    """A backend with a bug that shows on one article only."""

    name, model, prompt, mode = "test", "none", None, None

    async def extract(self, article: Article) -> Extraction:
        if "Dispatch 1." in article.text:
            raise RuntimeError("bug on this article")
        from summarize.schema import ArticleSummary

        return Extraction(summary=ArticleSummary(summary="A neutral summary."))

    async def aclose(self) -> None:
        pass


def test_an_unexpected_exception_becomes_an_internal_error_record():
    records = run_batch([dispatch(n) for n in range(3)], Settings(backend="rules"),
                        options=BatchOptions(use_cache=False), backend=_ExplodingBackend())
    assert [r.status for r in records] == ["ok", "error", "ok"]
    assert records[1].error.type == "internal_error"
    assert "RuntimeError: bug on this article" in records[1].error.message


def test_a_rejected_key_stops_the_batch_early(fake_server):
    server = fake_server(lambda request, index: status(401, "Incorrect API key provided"))
    records = run_batch([dispatch(n) for n in range(20)], settings_for(server),
                        options=BatchOptions(concurrency=2))
    assert len(records) == 20 and not any(r.ok for r in records)
    assert len(server.requests) <= 4, "articles kept being sent after a 401"
    skipped = [r for r in records if r.error.reason == "not_attempted"]
    assert len(skipped) >= 16
    assert "authentication" in skipped[0].error.message


def test_an_error_raised_by_on_record_stops_the_batch(fake_server):
    server = fake_server(InFlight(delay=0.0))

    def full_disk(record: Record) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        run_batch([dispatch(n) for n in range(6)], settings_for(server),
                  options=BatchOptions(concurrency=2), on_record=full_disk)


def test_rpm_spaces_the_requests(fake_server):
    responder = InFlight(delay=0.0)
    server = fake_server(responder)
    # 240 a minute is 4 a second, at most one second's worth (4) at once: of 8 requests
    # sent at once, 4 leave at the start and the other 4 a quarter of a second apart, so
    # the last cannot arrive before about 1 s after the batch started. (Measured from the
    # start, not from the first arrival: a loaded machine can only delay requests.)
    started = time.monotonic()
    run_batch([dispatch(n) for n in range(8)], settings_for(server),
              options=BatchOptions(concurrency=8, rpm=240, use_cache=False))
    assert len(server.requests) == 8
    assert responder.times[-1] - started >= 0.9


def test_resume_reuses_only_records_of_the_same_article_and_run(fake_server):
    server = fake_server(InFlight(delay=0.0))
    settings = settings_for(server)
    articles = [dispatch(n) for n in range(3)]
    first = run_batch(articles, settings, options=BatchOptions(use_cache=False))
    changed = articles[1].model_copy(update={"text": articles[1].text + " Updated."})
    before = len(server.requests)
    again = run_batch([articles[0], changed, articles[2]], settings,
                      options=BatchOptions(use_cache=False), resume={r.id: r for r in first})
    assert again[0] is first[0] and again[2] is first[2]
    assert len(server.requests) - before == 1, "only the changed article is sent again"
    assert again[1].article.text_sha256 == changed.text_sha256


def test_reusable_checks_id_text_status_and_run(fake_server):
    server = fake_server(InFlight(delay=0.0))
    settings = settings_for(server)
    article = dispatch(0)
    [record] = run_batch([article], settings, options=BatchOptions(use_cache=False))
    provenance = Summarizer(settings).provenance()
    assert reusable(record, article, provenance)
    other_prompt = provenance.model_copy(update={"prompt_sha256": "0" * 64})
    assert not reusable(record, article, other_prompt)
    assert not reusable(record, dispatch(1), provenance)
    assert not reusable(record, article, provenance.model_copy(update={"temperature": 0.7}))
    assert not reusable(record, article, provenance.model_copy(update={"seed": 7}))
    assert not reusable(record, article, provenance.model_copy(update={"strict": True}))
    assert not reusable(record, article.model_copy(update={"title": "Another title"}), provenance)
    failed = record.model_copy(update={"status": "error"})
    assert not reusable(failed, article, provenance)


def test_bad_options_are_configuration_errors():
    with pytest.raises(ConfigError, match="concurrency"):
        BatchOptions(concurrency=0).check()
    with pytest.raises(ConfigError, match="rpm"):
        BatchOptions(rpm=-1).check()


async def test_async_api_from_a_running_loop(fake_server):
    server = fake_server(InFlight(delay=0.0))
    records = await arun_batch([dispatch(0), dispatch(1)], settings_for(server),
                               options=BatchOptions(concurrency=2))
    assert [r.status for r in records] == ["ok", "ok"]
    # The blocking twin works inside a running loop too (it uses a worker thread).
    assert run_batch([dispatch(2)], settings_for(server))[0].ok


def test_concurrent_articles_all_switch_to_the_json_object_schema_form(fake_server):
    """llama-cpp-python's server refuses OpenAI's json_schema response_format. Requests
    already in flight when the first refusal arrives are refused too: each is resent in
    the json_object+schema form, none becomes an error (no transport retries here)."""
    refusal = ("[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
               "'msg': \"Input should be 'text' or 'json_object'\"}]")

    def llama_cpp_like(request: dict[str, Any], index: int) -> Action:
        time.sleep(0.1)  # every first request is out before the first refusal returns
        if request["response_format"]["type"] == "json_schema":
            return status(500, refusal)
        assert request["response_format"]["type"] == "json_object"
        return answer(GOOD)

    server = fake_server(llama_cpp_like)
    records = run_batch([dispatch(n) for n in range(4)],
                        settings_for(server, mode="json_schema", max_retries=0),
                        options=BatchOptions(concurrency=4, use_cache=False))
    assert [r.status for r in records] == ["ok"] * 4, [r.error for r in records]
    assert [r.usage.requests for r in records] == [2] * 4
    assert server.request_count == 8
