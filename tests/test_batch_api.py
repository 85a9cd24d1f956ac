"""summarize batch: jobs against the fake Batch API server (tests/fake_batch_api.py),
through the real openai SDK: request lines, rounds, result lines, records, crashes.

The server answers each article with its gold labels (a copy of a dev gold article),
and breaks what it is told to: 5xx lines, answers that fail the schema, an expired
batch, lines out of order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarize.batch.api_jobs import (JobOptions, collect, collect_results, export, open_job,
                                      status, submit)
from summarize.batch.job_output import JobOutput
from summarize.batch.runner import BatchOptions, arun_batch
from summarize.inputs import load_articles
from summarize.errors import ConfigError
from summarize.model.batch_lines import (UnreadableLine, custom_id, custom_id_base,
                                         read_result_line, split_custom_id)
from summarize.records import PRICES_PER_MTOK, Record
from summarize.settings import Settings
from tests.conftest import GOLD_DIR
from tests.fake_batch_api import FakeBatchAPI, copies_oracle, run_batch_file, write_copies
from tests.fake_openai import FakeOpenAIServer

OPTIONS = JobOptions(poll_interval=0.01, poll_max=0.05)
KEY = "sk-test-not-a-secret-0123456789"


def settings_for(server: Any, **changes: Any) -> Settings:
    values = dict(backend="openai", base_url=server.base_url, api_key=KEY, model="gpt-4o-mini",
                  pricing="openai", timeout=30.0, backoff_initial=0.01, backoff_max=0.05)
    values.update(changes)
    return Settings(**values)


def articles_file(tmp_path: Path, count: int) -> tuple[list[str], list[str]]:
    path = tmp_path / "articles.jsonl"
    ids = write_copies(path, GOLD_DIR, count)
    return [str(path)], ids


def read_records(path: Path) -> list[Record]:
    return [Record.model_validate_json(line) for line in path.read_bytes().splitlines() if line]


def batch_cost(record: Record) -> float:
    prompt, completion = PRICES_PER_MTOK["gpt-4o-mini"]
    usage = record.usage
    return round((usage.prompt_tokens * prompt + usage.completion_tokens * completion) / 1e6 * 0.5, 8)


async def submit_and_collect(tmp_path: Path, server: Any, inputs: list[str], *,
                             options: JobOptions = OPTIONS, echo: Any = lambda _: None,
                             **changes: Any) -> tuple[Path, Any]:
    job = tmp_path / "job.json"
    out = tmp_path / "out.jsonl"
    settings = settings_for(server, **changes)
    await submit(job, inputs=inputs, output=str(out), settings=settings, options=options,
                 echo=echo)
    outcome = await collect(job, settings=settings, options=options, output=None, wait=True,
                            echo=echo)
    return out, outcome


async def crash_after_creating(tmp_path: Path, server: Any,
                               monkeypatch: Any) -> tuple[Path, Settings, list[str]]:
    """Submit, crashing right after the batch was created (its id not yet recorded), then
    submit again; the job file, its settings and the article ids."""
    from summarize.model.batch_api import BatchClient

    inputs, ids = articles_file(tmp_path, 5)
    job = tmp_path / "job.json"
    settings = settings_for(server)
    real_create = BatchClient.create

    async def crashes_after_creating(self, *args, **kwargs):
        await real_create(self, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(BatchClient, "create", crashes_after_creating)
    with pytest.raises(KeyboardInterrupt):
        await submit(job, inputs=inputs, output=None, settings=settings, options=OPTIONS,
                     echo=lambda _: None)
    monkeypatch.setattr(BatchClient, "create", real_create)
    await submit(job, inputs=inputs, output=None, settings=settings, options=OPTIONS,
                 echo=lambda _: None)
    return job, settings, ids


# ---- request and result lines ------------------------------------------------------------


def test_custom_ids_are_short_safe_stable_and_distinct_per_article():
    key = "a" * 64
    base = custom_id_base(key, "x")
    first, again, other = custom_id(base, 1), custom_id(base, 1), custom_id(custom_id_base(key, "y"), 1)
    assert first == again and first != other
    assert len(custom_id(base, 123)) <= 64
    assert set(first) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
    assert split_custom_id(custom_id(base, 7)) == (base, 7)
    assert split_custom_id("request-1") is None
    with pytest.raises(ValueError, match="longer than 64"):
        custom_id(base, 10**20)


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("mode", ["tools", "json_schema", "md_json"])
async def test_request_lines_carry_exactly_the_live_request_body(tmp_path, mode, strict):
    """The body of each request line equals, as JSON, the body the live path posts."""
    inputs, ids = articles_file(tmp_path, 3)
    with FakeOpenAIServer(copies_oracle(GOLD_DIR)) as live:
        settings = settings_for(live, mode=mode, strict=strict)
        await arun_batch(load_articles(inputs), settings,
                         options=BatchOptions(use_cache=False, concurrency=1))
        requests = tmp_path / "requests.jsonl"
        count = await export(inputs, requests, settings=settings,
                             options=JobOptions(batch=BatchOptions(use_cache=False)), job_path=None,
                             echo=lambda _: None)
    lines = [json.loads(line) for line in requests.read_text().splitlines()]
    assert count == 3 and len(lines) == 3
    assert {line["method"] for line in lines} == {"POST"}
    assert {line["url"] for line in lines} == {"/v1/chat/completions"}
    assert [line["body"] for line in lines] == live.requests
    strict_marks = [json.dumps(body).count('"strict": true') for body in live.requests]
    assert all(strict_marks) if strict and mode != "md_json" else not any(strict_marks)


def test_result_lines_are_read_liberally():
    completion = {"id": "c", "object": "chat.completion", "created": 1, "model": "m",
                  "choices": [{"index": 0, "finish_reason": "stop",
                               "message": {"role": "assistant", "content": "{}"}}]}
    ok = read_result_line(json.dumps({"custom_id": "a", "response": {"body": completion}}))
    assert ok.kind == "answer" and ok.body == completion  # no status_code: a 200
    text = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": 200, "body": json.dumps(completion)}}))
    assert text.kind == "answer" and text.body == completion  # the body as JSON text
    expired = read_result_line(json.dumps({"custom_id": "a", "response": None, "error": {
        "code": "batch_expired", "message": "not run"}}))
    assert (expired.kind, expired.reason) == ("retry", "batch_expired")
    server = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": 503, "body": {"error": {"message": "overloaded"}}}}))
    assert (server.kind, server.reason, server.message) == ("retry", "http_503", "HTTP 503: overloaded")
    bad = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": 400, "body": {"error": {"message": "bad max_tokens"}}}}))
    assert (bad.kind, bad.reason) == ("fail", "http_400")
    empty = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": 200, "body": {**completion, "choices": []}}}))
    assert (empty.kind, empty.reason) == ("retry", "no_choices")
    for broken in ('{"custom_id": "a", "respo', '["a"]', '{"response": {}}'):
        with pytest.raises(UnreadableLine):
            read_result_line(broken)


# ---- a whole job ---------------------------------------------------------------------------


async def test_a_job_gives_one_grounded_record_per_article_at_batch_prices(tmp_path, batch_server):
    server = batch_server(fail_rate=0.05, break_rate=0.1, expire=[1], shuffle=True)
    inputs, ids = articles_file(tmp_path, 40)
    options = JobOptions(poll_interval=0.01, poll_max=0.05, max_requests=15)
    out, outcome = await submit_and_collect(tmp_path, server, inputs, options=options)
    api = server.api
    records = read_records(out)
    assert outcome.finished and [r.id for r in records] == ids
    assert all(r.ok for r in records)
    # Three files of at most 15 requests in round 1; the expired one (the first) was
    # answered half; the follow-up round carried the re-asks and the resends.
    first_round = [b for b in api.batches.values() if b["_number"] <= 3]
    assert [b["request_counts"]["total"] for b in first_round] == [15, 15, 10]
    assert first_round[0]["status"] == "expired"
    assert api.broken_answers > 0 and api.failed_lines > 0
    assert sum(r.usage.reasks for r in records) == api.broken_answers
    # Every request sent counts in the usage (the failed lines too, as the live path
    # counts failed attempts): first asks, resends and re-asks.
    sent = sum(b["request_counts"]["total"] for b in api.batches.values())
    assert sent == 40 + 8 + api.failed_lines + api.broken_answers  # 8: the expired half of 15
    assert sum(r.usage.requests for r in records) == sent
    job, state = open_job(tmp_path / "job.json")
    state.close()
    assert {r.provenance.batch_job for r in records} == {job.uid}
    assert all(r.usage.cost_usd == batch_cost(r) > 0 for r in records)
    assert outcome.tally.ok == 40 and outcome.tally.requests == sent

    # The live path, on the same articles and answers, grounds them the same way.
    with FakeOpenAIServer(copies_oracle(GOLD_DIR)) as live:
        live_records = await arun_batch(load_articles(inputs), settings_for(live),
                                        options=BatchOptions(use_cache=False))
    for batch_record, live_record in zip(records, live_records, strict=True):
        assert batch_record.summary == live_record.summary
        assert batch_record.warnings == live_record.warnings


async def test_answers_that_fail_validation_are_re_asked_with_the_error(tmp_path, batch_server):
    server = batch_server(break_rate=1.0)
    inputs, ids = articles_file(tmp_path, 4)
    out, outcome = await submit_and_collect(tmp_path, server, inputs)
    records = read_records(out)
    assert all(r.ok and r.usage.reasks == 1 and r.usage.requests == 2 for r in records)
    second = [b for b in server.api.batches.values() if b["_number"] == 2][0]
    data = server.api.files[second["input_file_id"]]["data"]
    reasks = [json.loads(line)["body"]["messages"] for line in data.splitlines()]
    assert len(reasks) == 4
    for messages in reasks:
        assert messages[-2]["role"] == "assistant" and messages[-1]["role"] == "tool"
        assert "Validation Error found" in messages[-1]["content"]


async def test_reask_live_sends_follow_ups_to_the_live_endpoint(tmp_path, batch_server):
    server = batch_server(break_rate=1.0, fail_rate=0.3)
    inputs, ids = articles_file(tmp_path, 6)
    options = JobOptions(poll_interval=0.01, poll_max=0.05, reask="live")
    out, outcome = await submit_and_collect(tmp_path, server, inputs, options=options)
    records = read_records(out)
    assert outcome.finished and all(r.ok for r in records)
    assert len(server.api.batches) == 1  # no follow-up batch
    assert len(server.api.chat_requests) == 6  # one live request per article (re-ask or resend)
    live_tokens = sum(1000 + 200 for _ in server.api.chat_requests)
    assert sum(r.usage.prompt_tokens + r.usage.completion_tokens for r in records) == \
        live_tokens + 1200 * (6 - server.api.failed_lines)
    # One live request per article at the live price, the batch answers at half of it.
    prompt, completion = PRICES_PER_MTOK["gpt-4o-mini"]
    for record in records:
        live_part = (1000 * prompt + 200 * completion) / 1e6
        batch_part = ((record.usage.prompt_tokens - 1000) * prompt
                      + (record.usage.completion_tokens - 200) * completion) / 2e6
        assert record.usage.cost_usd == pytest.approx(live_part + batch_part)


@pytest.mark.parametrize("behaviour, mode", [("content_answers", "tools"),
                                             ("fenced_answers", "json_schema"),
                                             ("fenced_answers", "tools")])
async def test_answers_in_another_form_are_read_without_a_reask(tmp_path, batch_server,
                                                               behaviour, mode):
    """Tool answers sent as JSON content, JSON answers in a ```json fence."""
    server = batch_server(**{behaviour: True, "content_answers": behaviour == "content_answers"
                             or mode == "tools"})
    inputs, ids = articles_file(tmp_path, 3)
    said: list[str] = []
    job, out = tmp_path / "job.json", tmp_path / "out.jsonl"
    settings = settings_for(server, mode=mode)
    await submit(job, inputs=inputs, output=str(out), settings=settings, options=OPTIONS,
                 echo=said.append)
    await collect(job, settings=settings, options=OPTIONS, output=None, wait=True, echo=said.append)
    assert all(r.ok and r.usage.reasks == 0 for r in read_records(out))
    assert any("3 answer(s) came in another form" in line for line in said)


async def test_lines_that_fail_for_good_or_too_often_become_error_records(tmp_path, batch_server):
    server = batch_server(bad_request_rate=0.25, expire=range(1, 100))
    inputs, ids = articles_file(tmp_path, 12)
    out, outcome = await submit_and_collect(tmp_path, server, inputs, max_retries=1)
    records = {r.id: r for r in read_records(out)}
    assert outcome.finished and list(records) == ids
    reasons = {r.error.reason for r in records.values() if not r.ok}
    assert reasons <= {"http_400", "batch_expired"} and "http_400" in reasons
    expired = [r for r in records.values() if r.error and r.error.reason == "batch_expired"]
    assert expired and all("gave up after 2 requests" in r.error.message and r.usage.requests == 2
                           for r in expired)
    assert all(r.usage.requests == 1 for r in records.values() if r.error and r.error.reason == "http_400")
    assert outcome.tally.failed == sum(not r.ok for r in records.values())


async def test_unusable_articles_get_their_error_records_and_are_not_sent(tmp_path, batch_server):
    server = batch_server()
    path = tmp_path / "articles.jsonl"
    write_copies(path, GOLD_DIR, 2)
    with open(path, "a") as out:
        out.write(json.dumps({"id": "empty", "text": "   "}) + "\n")
    out, outcome = await submit_and_collect(tmp_path, server, [str(path)])
    records = read_records(out)
    assert [r.status for r in records] == ["ok", "ok", "error"]
    assert records[2].error.type == "input_error" and records[2].usage.requests == 0
    assert sum(b["request_counts"]["total"] for b in server.api.batches.values()) == 2


async def test_articles_ok_in_the_output_or_the_cache_are_not_sent(tmp_path, batch_server):
    server = batch_server()
    inputs, ids = articles_file(tmp_path, 6)
    out, _ = await submit_and_collect(tmp_path, server, inputs)
    first = out.read_bytes()
    sent = len(server.api.batches)
    # Same output: nothing to send, the records stay as they are.
    again = tmp_path / "again.json"
    settings = settings_for(server)
    await submit(again, inputs=inputs, output=str(out), settings=settings, options=OPTIONS,
                 echo=lambda _: None)
    outcome = await collect(again, settings=settings, options=OPTIONS, output=None, wait=True,
                            echo=lambda _: None)
    assert len(server.api.batches) == sent and outcome.tally.resumed == 6
    assert out.read_bytes() == first
    # Another output: the cache answers every article.
    other = tmp_path / "other.jsonl"
    third = tmp_path / "third.json"
    await submit(third, inputs=inputs, output=str(other), settings=settings, options=OPTIONS,
                 echo=lambda _: None)
    outcome = await collect(third, settings=settings, options=OPTIONS, output=None, wait=True,
                            echo=lambda _: None)
    assert len(server.api.batches) == sent and outcome.tally.cached == 6
    assert [r.summary for r in read_records(other)] == [r.summary for r in read_records(out)]


# ---- crashes and reruns --------------------------------------------------------------------


async def test_collect_twice_writes_nothing_twice(tmp_path, batch_server):
    server = batch_server(fail_rate=0.2, break_rate=0.2)
    inputs, ids = articles_file(tmp_path, 10)
    out, outcome = await submit_and_collect(tmp_path, server, inputs)
    before = (out.read_bytes(), len(server.api.batches), server.api.answered_lines)
    again = await collect(tmp_path / "job.json", settings=settings_for(server), options=OPTIONS,
                          output=None, wait=True, echo=lambda _: None)
    assert again.finished and again.tally.ok == 10
    assert (out.read_bytes(), len(server.api.batches), server.api.answered_lines) == before


async def test_a_collect_killed_while_writing_resumes_without_duplicates(tmp_path, batch_server,
                                                                          monkeypatch):
    server = batch_server(break_rate=0.3)
    inputs, ids = articles_file(tmp_path, 12)
    job, out = tmp_path / "job.json", tmp_path / "out.jsonl"
    settings = settings_for(server)
    await submit(job, inputs=inputs, output=str(out), settings=settings, options=OPTIONS,
                 echo=lambda _: None)
    appended: list[str] = []
    original = JobOutput.append

    def dies_after_five(self, record):
        if len(appended) == 5:
            raise KeyboardInterrupt  # killed while writing
        original(self, record)
        appended.append(record.id)

    monkeypatch.setattr(JobOutput, "append", dies_after_five)
    with pytest.raises(KeyboardInterrupt):
        await collect(job, settings=settings, options=OPTIONS, output=None, wait=True,
                      echo=lambda _: None)
    assert len(read_records(out)) == 5
    batches = len(server.api.batches)
    monkeypatch.setattr(JobOutput, "append", lambda self, record: (original(self, record),
                                                                   appended.append(record.id)))
    outcome = await collect(job, settings=settings, options=OPTIONS, output=None, wait=True,
                            echo=lambda _: None)
    records = read_records(out)
    assert outcome.finished and [r.id for r in records] == ids
    assert sorted(appended) == sorted(ids)  # every record appended exactly once
    assert len(server.api.batches) == batches + 1  # the one re-ask round, sent once


async def test_a_batch_created_before_a_crash_is_found_not_created_twice(tmp_path, batch_server,
                                                                          monkeypatch):
    server = batch_server()
    job, settings, ids = await crash_after_creating(tmp_path, server, monkeypatch)
    assert len(server.api.batches) == 1
    out = tmp_path / "out.jsonl"
    outcome = await collect(job, settings=settings, options=OPTIONS, output=str(out), wait=True,
                            echo=lambda _: None)
    assert outcome.finished and [r.id for r in read_records(out)] == ids


def test_crash_between_submit_and_collect_then_cli_collect(tmp_path, batch_server):
    """submit and collect are separate processes: all the job needs is on disk."""
    from tests.conftest import run_cli

    server = batch_server(fail_rate=0.1, break_rate=0.1)
    inputs, ids = articles_file(tmp_path, 8)
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}
    submitted = run_cli("batch", "submit", *inputs, "--job", "job.json", "-o", "out.jsonl",
                        "--model", "gpt-4o-mini", cwd=tmp_path, env=env)
    assert submitted.returncode == 0, submitted.stderr
    assert "round 1: 8 requests in 1 batch(es) submitted" in submitted.stderr
    waiting = run_cli("batch", "collect", "--job", "job.json", cwd=tmp_path, env=env)
    assert waiting.returncode == 1 and "not finished" in waiting.stderr
    shown = run_cli("batch", "status", "--job", "job.json", "--json", cwd=tmp_path, env=env)
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["batches"][0]["status"] in ("in_progress", "finalizing", "completed")
    done = run_cli("batch", "collect", "--job", "job.json", "--wait", "--poll-interval", "0.01",
                   "--pricing", "openai", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "8 of 8 articles: 8 ok, 0 failed" in done.stderr
    assert [r.id for r in read_records(tmp_path / "out.jsonl")] == ids
    assert KEY not in done.stderr + (tmp_path / "job.json").read_text()


# ---- status, export and the vLLM route -----------------------------------------------------


async def test_status_names_every_batch_with_its_counts(tmp_path, batch_server):
    server = batch_server()
    inputs, ids = articles_file(tmp_path, 5)
    out, _ = await submit_and_collect(tmp_path, server, inputs)
    found = await status(tmp_path / "job.json", settings=settings_for(server))
    assert found["articles"] == {"done": 5}
    [part] = found["batches"]
    assert part["batch_id"] == "batch_000001" and part["status"] == "completed"
    assert (part["total"], part["completed"], part["failed"], part["ingested"]) == (5, 5, 0, True)


async def test_vllm_route_export_run_batch_collect_results(tmp_path):
    """export -> (vllm run-batch, played here by plain code) -> collect --results, with
    the follow-up round done the same way; result lines out of order, repeated, unknown
    and cut off are noticed and nothing is lost."""
    api = FakeBatchAPI(copies_oracle(GOLD_DIR), break_rate=0.25)
    inputs, ids = articles_file(tmp_path, 8)
    settings = Settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="served-model",
                        api_key=None)
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    said: list[str] = []
    assert await export(inputs, requests, settings=settings, options=OPTIONS, job_path=None,
                        echo=said.append) == 8
    run_batch_file(api, requests, results)
    lines = results.read_bytes().splitlines(keepends=True)
    lines.reverse()  # out of order
    lines.insert(2, lines[0])  # a repeated line
    lines.insert(3, b'{"id": "x", "custom_id": "someone-else", "response": null, "error": null}\n')
    lines[-1] = lines[-1][: len(lines[-1]) // 2]  # the last line cut off
    results.write_bytes(b"".join(lines))
    out = tmp_path / "out.jsonl"
    outcome = await collect_results(inputs, results, output=str(out), job_path=tmp_path / "job.json",
                                    settings=settings, options=OPTIONS, wait=True, echo=said.append)
    text = "\n".join(said)
    assert "1 result line(s) unreadable" in text and "1 result line(s) name a custom_id" in text
    assert "1 result line(s) repeat" in text
    assert not outcome.finished and "vllm run-batch -i" in outcome.waiting
    job, state = open_job(tmp_path / "job.json")
    [second] = state.parts(round_=2)
    state.close()
    follow_ups = run_batch_file(api, Path(second.file), tmp_path / "results-2.jsonl")
    assert follow_ups == api.broken_answers + 1  # the re-asks and the cut-off line's resend
    outcome = await collect(tmp_path / "job.json", settings=settings, options=OPTIONS, output=None,
                            wait=True, results=tmp_path / "results-2.jsonl", echo=said.append)
    records = read_records(out)
    assert outcome.finished and [r.id for r in records] == ids and all(r.ok for r in records)
    assert all(r.usage.cost_usd is None for r in records)  # no price for another endpoint


async def test_collect_refuses_a_job_whose_prompt_or_inputs_changed(tmp_path, batch_server):
    server = batch_server()
    inputs, ids = articles_file(tmp_path, 3)
    job = tmp_path / "job.json"
    settings = settings_for(server)
    await submit(job, inputs=inputs, output=None, settings=settings, options=OPTIONS,
                 echo=lambda _: None)
    write_copies(Path(inputs[0]), GOLD_DIR, 2)
    with pytest.raises(ConfigError, match="inputs changed since the job was made"):
        await collect(job, settings=settings, options=OPTIONS, output=str(tmp_path / "o.jsonl"),
                      wait=True, echo=lambda _: None)


@pytest.mark.slow
def test_the_benchmark_scenario_at_a_smaller_scale(tmp_path):
    """benchmarks/batch_api.py with 200 articles: 5% of lines failing, 10% of answers
    breaking the schema, the first batch expiring half done, lines out of order, the
    first collect SIGKILLed mid-write and run again."""
    import sys

    sys.path.insert(0, str(GOLD_DIR.parent.parent / "benchmarks"))
    from batch_api import run

    figures = run(200, 0.05, 0.10, 100, 60, tmp_path)
    assert figures["records"] == figures["distinct ids"] == 200
    assert figures["ids as the inputs, in order"] and figures["records of one article, most"] == 1
    assert figures["ok share"] >= 0.98
    assert figures["first collect killed"]  # mid-write: some records, not all
    assert 60 <= figures["killed collect: records in out.jsonl"] < 200
    assert figures["records of this job the resumed collect found (not rewritten)"] == \
        figures["killed collect: records in out.jsonl"]
    assert figures["re-asks in the usage"] == figures["answers the server broke"] > 0
    assert figures["requests in the usage"] == figures["requests in batches"]
    assert figures["most batches one request was in"] <= 5  # at most --max-retries + 1
    assert figures["batch statuses"]["expired"] == 1
    assert figures["cost in the records, USD"] == pytest.approx(
        figures["the same tokens at live prices, USD"] / 2)
    ok = figures["ok"]
    assert figures["ok records grounded as the live path's (summary, spans, warnings)"] == f"{ok} of {ok}"


async def test_a_cancelled_batch_is_sent_again(tmp_path, batch_server):
    import openai

    server = batch_server()
    inputs, ids = articles_file(tmp_path, 4)
    job, out = tmp_path / "job.json", tmp_path / "out.jsonl"
    settings = settings_for(server)
    await submit(job, inputs=inputs, output=str(out), settings=settings, options=OPTIONS,
                 echo=lambda _: None)
    client = openai.OpenAI(base_url=server.base_url, api_key=KEY, max_retries=0)
    cancelled = client.batches.cancel("batch_000001")
    client.close()
    assert cancelled.status == "cancelling"
    outcome = await collect(job, settings=settings, options=OPTIONS, output=None, wait=True,
                            echo=lambda _: None)
    records = read_records(out)
    assert outcome.finished and all(r.ok for r in records)
    assert server.api.batches["batch_000001"]["status"] == "cancelled"
    assert server.api.batches["batch_000002"]["request_counts"]["total"] == 4
    assert all(r.usage.requests == 2 for r in records)  # the cancelled attempt counts


async def test_a_compacted_output_leaves_no_stale_resume_index(tmp_path, batch_server):
    from summarize.batch.index import index_path
    from summarize.batch.journal import JsonlJournal

    server = batch_server()
    inputs, ids = articles_file(tmp_path, 3)
    out = tmp_path / "out.jsonl"
    # A live run's output, with its resume index, that the job then compacts (replaces).
    journal = JsonlJournal(out)
    journal.open()
    journal.sync()
    journal.close()
    assert index_path(out).exists()
    await submit_and_collect(tmp_path, server, inputs)
    assert [r.id for r in read_records(out)] == ids
    assert not index_path(out).exists(), "the index of the replaced file was kept"


async def test_a_record_removed_from_the_output_after_collect_is_written_again_once(tmp_path, batch_server):
    server = batch_server()
    inputs, ids = articles_file(tmp_path, 4)
    out, outcome = await submit_and_collect(tmp_path, server, inputs)
    assert outcome.finished
    lines = out.read_text(encoding="utf-8").splitlines()
    removed = json.loads(lines[1])["id"]
    out.write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")
    said: list[str] = []
    again = await collect(tmp_path / "job.json", settings=settings_for(server), options=OPTIONS,
                          output=None, wait=True, echo=said.append)
    assert again.finished
    assert any("1 article(s) have no record" in line for line in said)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == sorted(ids)
    assert sum(r["id"] == removed for r in records) == 1 and all(r["error"] is None for r in records)
