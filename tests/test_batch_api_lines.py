"""Failed result lines and failed batches: classified as the live path classifies the same
HTTP errors (summarize.model.faults.status_fault), in OpenAI's and vLLM's line forms."""

from __future__ import annotations

import json

import httpx2
import openai
import pytest

from summarize.model.batch_lines import read_result_line
from summarize.model.faults import describe, is_transient
from tests.conftest import GOLD_DIR
from tests.fake_batch_api import VLLM_ERROR, FakeBatchAPI, copies_oracle, run_batch_file
from tests.test_batch_api import OPTIONS, articles_file, read_records, submit_and_collect

COMPLETION = {"id": "c", "object": "chat.completion", "created": 1, "model": "m",
              "choices": [{"index": 0, "finish_reason": "stop",
                           "message": {"role": "assistant", "content": "{}"}}]}


def _live_error(status: int, body: dict) -> openai.APIStatusError:
    """The SDK's error for a live response with ``status`` and JSON ``body``."""
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, json=body, request=request)
    client = openai.OpenAI(api_key="sk-test-not-a-secret-0123456789", base_url="http://127.0.0.1/v1")
    return client._make_status_error_from_response(response)


@pytest.mark.parametrize("status, error", [
    (429, {"message": "You exceeded your current quota", "type": "insufficient_quota",
           "code": "insufficient_quota"}),
    (429, {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}),
    (500, {"message": "The server had an error"}),
    (408, {"message": "timed out"}),
    (409, {"message": "conflict"}),
    (400, {"message": "max_tokens is too large", "type": "invalid_request_error"}),
    (401, {"message": "Incorrect API key"}),
    (404, {"message": "The model does not exist"}),
])
def test_a_failed_line_is_classified_as_the_live_path_classifies_the_same_error(status, error):
    body = {"error": error}
    line = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": status, "request_id": "r", "body": body}}))
    live = _live_error(status, body)
    assert line.kind == ("retry" if is_transient(live) else "fail")
    assert (line.reason, line.message) == describe(live)


def test_a_quota_line_is_final_not_a_rate_limit():
    line = read_result_line(json.dumps({"custom_id": "a", "response": {"status_code": 429, "body": {
        "error": {"message": "no credit", "code": "insufficient_quota"}}}}))
    assert (line.kind, line.reason) == ("fail", "quota_exceeded")
    only = read_result_line(json.dumps({"custom_id": "a", "response": None, "error": {
        "code": "insufficient_quota", "message": "no credit"}}))
    assert (only.kind, only.reason) == ("fail", "quota_exceeded")


def test_vllm_error_lines_keep_their_message():
    line = read_result_line(json.dumps({"id": "vllm-1", "custom_id": "a", "response": {
        "status_code": 400, "request_id": "vllm-batch-1"}, "error": VLLM_ERROR}))
    assert (line.kind, line.reason) == ("fail", "http_400")
    assert line.message == f"HTTP 400: {VLLM_ERROR}"
    as_object = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": 503, "body": None}, "error": {"code": "busy", "message": "overloaded"}}))
    assert (as_object.kind, as_object.message) == ("retry", "HTTP 503: overloaded")


@pytest.mark.parametrize("status", ["200", " 200", 200])
def test_a_status_code_sent_as_text_is_that_number(status):
    line = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": status, "body": COMPLETION}}))
    assert line.kind == "answer" and line.body == COMPLETION
    failed = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": "500", "body": {"error": {"message": "oops"}}}}))
    assert (failed.kind, failed.reason) == ("retry", "http_500")
    nonsense = read_result_line(json.dumps({"custom_id": "a", "response": {
        "status_code": "OK", "body": COMPLETION}}))
    assert (nonsense.kind, nonsense.reason) == ("retry", "bad_response")


# ---- whole jobs -----------------------------------------------------------------------------


async def test_lines_of_an_account_without_credit_are_not_sent_again(tmp_path, batch_server):
    server = batch_server(quota_rate=0.5)
    inputs, ids = articles_file(tmp_path, 4)
    out, outcome = await submit_and_collect(tmp_path, server, inputs)
    records = read_records(out)
    failed = [r for r in records if not r.ok]
    assert len(failed) == 2 and len(server.api.batches) == 1
    assert all(r.error.reason == "quota_exceeded" and r.usage.requests == 1 for r in failed)
    assert "no credit left" in failed[0].error.message


@pytest.mark.parametrize("code", ["invalid_file", "token_limit_exceeded"])
async def test_a_batch_that_fails_validation_is_not_sent_again(tmp_path, batch_server, code):
    server = batch_server(reject=[1], reject_code=code)
    inputs, ids = articles_file(tmp_path, 3)
    out, outcome = await submit_and_collect(tmp_path, server, inputs)
    records = read_records(out)
    assert outcome.finished and [r.id for r in records] == ids
    assert len(server.api.batches) == 1  # not resubmitted up to --max-retries
    assert all(r.error.reason == "batch_failed" and code in r.error.message
               and "would fail again" in r.error.message and r.usage.requests == 1
               for r in records)


async def test_a_batch_that_failed_without_a_reason_is_sent_again(tmp_path, batch_server,
                                                                  monkeypatch):
    """A failed batch that names no error may well pass another time."""
    from summarize.model import batch_api

    server = batch_server(reject=[1], reject_code="")
    real_of = batch_api.BatchInfo.of.__func__

    def without_errors(cls, batch):
        if batch.status == "failed":
            batch.errors = None
        return real_of(cls, batch)

    monkeypatch.setattr(batch_api.BatchInfo, "of", classmethod(without_errors))
    inputs, ids = articles_file(tmp_path, 3)
    out, outcome = await submit_and_collect(tmp_path, server, inputs)
    assert outcome.finished and all(r.ok for r in read_records(out))
    assert len(server.api.batches) == 2


async def test_vllm_error_lines_reach_the_records_with_their_message(tmp_path):
    from summarize.batch.api_jobs import collect_results, export
    from summarize.settings import Settings

    api = FakeBatchAPI(copies_oracle(GOLD_DIR))
    inputs, ids = articles_file(tmp_path, 4)
    settings = Settings(backend="openai", model="served-model", api_key=None)
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    await export(inputs, requests, settings=settings, options=OPTIONS, job_path=None,
                 echo=lambda _: None)
    run_batch_file(api, requests, results, error_rate=0.5)
    out = tmp_path / "out.jsonl"
    outcome = await collect_results(inputs, results, output=str(out), job_path=tmp_path / "j.json",
                                    settings=settings, options=OPTIONS, wait=True,
                                    echo=lambda _: None)
    records = read_records(out)
    assert outcome.finished and [r.ok for r in records] == [True, False, True, False]
    assert all(r.error.message == f"HTTP 400: {VLLM_ERROR}" for r in records if not r.ok)
