"""summarize batch against Batch API servers that are not OpenAI's but follow its API:
each way such a server may legitimately differ from our fake's defaults (statuses held or
skipped, request_counts null or missing, metadata dropped, no batch list, files uploaded
but not yet processed, a 5xx on a poll, unknown fields, no trailing newline, failed lines
as ``response: null`` + ``error``, a gateway's long encoded ids, a completed batch whose
every line failed) is a switch of tests/fake_batch_api.py, driven through the real openai
SDK by the commands a user types.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from summarize.batch.api_jobs import JobOptions, collect, submit
from tests.conftest import GOLD_DIR, run_cli
from tests.fake_batch_api import write_copies
from tests.test_batch_api import (KEY, OPTIONS, articles_file, crash_after_creating,
                                  read_records, settings_for, submit_and_collect)

#: One switch (or a few that go together) per difference, with a few lines failing and a
#: few answers breaking the schema so that every variant also runs a follow-up round.
VARIANTS: dict[str, dict[str, Any]] = {
    "validating for many polls": dict(hold_validating=6),
    "validating to completed in one jump": dict(jump=True),
    "request_counts null": dict(counts="null"),
    "request_counts missing": dict(counts="missing"),
    "metadata dropped": dict(keep_metadata=False),
    "no batch list (404)": dict(list_batches="404"),
    "file status uploaded": dict(file_status="uploaded"),
    "unknown fields everywhere": dict(extra_fields=True),
    "no trailing newline": dict(trailing_newline=False),
    "failed lines as response null + error": dict(line_errors="error"),
    "long encoded batch ids": dict(id_prefix="batch_bGl0ZWxsbV9wcm94eTp"),
    "file content behind a redirect": dict(redirect_content=True),
    "answers without usage": dict(no_usage=True),
    "statuses in capitals": dict(status_case="upper"),
}


def env_for(server: Any) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}


@pytest.mark.parametrize("behaviour", list(VARIANTS.values()), ids=list(VARIANTS))
def test_run_batch_api_works_against_a_server_that_differs(tmp_path, batch_server, behaviour):
    server = batch_server(fail_rate=0.2, break_rate=0.2, **behaviour)
    ids = write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 6)
    result = run_cli("run", "articles.jsonl", "-o", "out.jsonl", "--batch-api", "--model",
                     "gpt-4o-mini", "--poll-interval", "0.01", "--pricing", "openai",
                     cwd=tmp_path, env=env_for(server))
    assert result.returncode == 0, result.stderr
    assert "6 of 6 articles: 6 ok, 0 failed" in result.stderr
    assert "follow-up request(s)" in result.stderr  # the failed and broken ones went again
    records = read_records(tmp_path / "out.jsonl")
    assert sorted(r.id for r in records) == sorted(ids)
    assert all(r.ok and (r.usage.cost_usd or behaviour.get("no_usage")) for r in records)
    assert "unreadable" not in result.stderr and "Traceback" not in result.stderr


def test_submit_status_collect_against_a_server_with_every_difference(tmp_path, batch_server):
    """The three commands, one process each, against a server with all the differences at
    once; ``status --json`` says what a server without request counts allows."""
    behaviour: dict[str, Any] = {}
    for each in VARIANTS.values():
        behaviour.update(each)
    behaviour.pop("jump")  # held in validating instead
    server = batch_server(fail_rate=0.2, break_rate=0.2, **behaviour)
    ids = write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 6)
    env = env_for(server)
    submitted = run_cli("batch", "submit", "articles.jsonl", "--job", "job.json", "-o",
                        "out.jsonl", "--model", "gpt-4o-mini", cwd=tmp_path, env=env)
    assert submitted.returncode == 0, submitted.stderr
    shown = run_cli("batch", "status", "--job", "job.json", "--json", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    [batch] = json.loads(shown.stdout)["batches"]
    assert batch["status"] == "validating" and batch["requests"] == 6
    assert batch["batch_id"] == next(iter(server.api.batches))
    done = run_cli("batch", "collect", "--job", "job.json", "--wait", "--poll-interval", "0.01",
                   "--pricing", "openai", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "6 of 6 articles: 6 ok, 0 failed" in done.stderr
    assert sorted(r.id for r in read_records(tmp_path / "out.jsonl")) == sorted(ids)


async def test_a_completed_batch_whose_every_line_failed_has_only_an_error_file(tmp_path,
                                                                               batch_server):
    server = batch_server(fail_rate=1.0)
    inputs, ids = articles_file(tmp_path, 4)
    job, out = tmp_path / "job.json", tmp_path / "out.jsonl"
    settings = settings_for(server, max_retries=1)
    await submit(job, inputs=inputs, output=str(out), settings=settings, options=OPTIONS,
                 echo=lambda _: None)
    outcome = await collect(job, settings=settings, options=OPTIONS, output=None, wait=True,
                            echo=lambda _: None)
    first = server.api.batches[next(iter(server.api.batches))]
    assert first["status"] == "completed" and first["output_file_id"] is None
    assert first["error_file_id"]
    records = read_records(out)
    assert outcome.finished and sorted(r.id for r in records) == sorted(ids)
    assert not any(r.ok for r in records)
    assert {r.error.reason for r in records} == {"http_500"}  # type: ignore[union-attr]


@pytest.mark.parametrize("metadata", [dict(keep_metadata=False), dict(metadata_text=True)],
                         ids=["dropped", "as text"])
async def test_a_batch_created_before_a_crash_is_found_by_its_file_when_metadata_is_dropped(
        tmp_path, batch_server, monkeypatch, metadata):
    server = batch_server(**metadata)
    job, settings, ids = await crash_after_creating(tmp_path, server, monkeypatch)
    assert len(server.api.batches) == 1  # found by its input file, not created twice
    out = tmp_path / "out.jsonl"
    outcome = await collect(job, settings=settings, options=OPTIONS, output=str(out), wait=True,
                            echo=lambda _: None)
    assert outcome.finished and [r.id for r in read_records(out)] == ids


@pytest.mark.parametrize("listing", ["404", "array"])
async def test_a_server_that_cannot_list_batches_gets_the_batch_created_again(
        tmp_path, batch_server, monkeypatch, listing):
    server = batch_server(list_batches=listing)
    job, settings, ids = await crash_after_creating(tmp_path, server, monkeypatch)
    assert len(server.api.batches) == 2  # nothing to find it by: made again, the job uses one
    out = tmp_path / "out.jsonl"
    outcome = await collect(job, settings=settings, options=OPTIONS, output=str(out), wait=True,
                            echo=lambda _: None)
    assert outcome.finished and [r.id for r in read_records(out)] == ids


async def test_collect_wait_rides_out_polls_that_fail(tmp_path, batch_server):
    """A 503 now and then is retried within the call; an outage longer than the client's
    retries is a notice, and --wait polls again later instead of stopping."""
    server = batch_server(poll_faults=[2, *range(4, 12)])
    inputs, ids = articles_file(tmp_path, 4)
    said: list[str] = []
    out, outcome = await submit_and_collect(tmp_path, server, inputs, echo=said.append,
                                            max_retries=2)
    assert outcome.finished and sorted(r.id for r in read_records(out)) == sorted(ids)
    assert any("503" in line and "checking again" in line for line in said), said


@pytest.mark.parametrize("case", ["lower", "upper"])
async def test_a_file_still_pending_after_upload_is_waited_for(tmp_path, batch_server, case,
                                                              caplog):
    """Azure's Batch API reports a new file ``pending`` and refuses a batch of it until it
    is ``processed``; a status in capitals is the same status. The wait is said once."""
    server = batch_server(pending_reads=3, status_case=case)
    inputs, ids = articles_file(tmp_path, 3)
    with caplog.at_level(logging.INFO, logger="summarize.model.batch_api"):
        out, outcome = await submit_and_collect(tmp_path, server, inputs)
    waits = [r.getMessage() for r in caplog.records if "waiting until it is processed" in r.getMessage()]
    assert waits == ["the endpoint says file-000001 is pending: waiting until it is processed"]
    assert outcome.finished and sorted(r.id for r in read_records(out)) == sorted(ids)
    assert [c for c in server.api.calls if c[1].startswith("/v1/files/file-")][:3] == [
        ("GET", "/v1/files/file-000001")] * 3


async def test_a_file_the_endpoint_could_not_process_stops_submit_with_its_reason(
        tmp_path, batch_server):
    from summarize.errors import ModelError

    server = batch_server(file_status="error")
    inputs, _ = articles_file(tmp_path, 2)
    with pytest.raises(ModelError, match="could not process file-000001"):
        await submit(tmp_path / "job.json", inputs=inputs, output=None,
                     settings=settings_for(server), options=OPTIONS, echo=lambda _: None)
    assert not server.api.batches


async def test_a_batch_that_failed_while_running_is_sent_again(tmp_path, batch_server):
    """A gateway fails a batch whose worker was lost (``runner_lost``) after it started:
    not its file's fault, so its requests go into the next round."""
    server = batch_server(fail_running=[1], reject_code="runner_lost")
    inputs, ids = articles_file(tmp_path, 3)
    out, outcome = await submit_and_collect(tmp_path, server, inputs)
    assert outcome.finished and all(r.ok for r in read_records(out))
    assert len(server.api.batches) == 2


def test_a_failed_batch_says_which_line_of_its_file_failed():
    from summarize.model.batch_api import BatchInfo
    from openai.types import Batch

    batch = Batch.construct(id="batch_1", status="failed", input_file_id="file-1", errors={
        "object": "list", "data": [{"code": "invalid_json_line", "line": 3,
                                    "message": "This line is not parseable as valid JSON."}]})
    info = BatchInfo.of(batch)
    assert info.errors == "invalid_json_line: This line is not parseable as valid JSON. (line 3)"
    assert info.final


def test_a_batch_object_is_read_liberally():
    from summarize.model.batch_api import BatchInfo
    from openai.types import Batch

    info = BatchInfo.of(Batch.construct(
        id="b", status="FAILED", errors="the file is not JSONL", metadata="not a mapping",
        request_counts={"total": "3", "completed": None, "failed": "x"}))
    assert (info.status, info.errors, info.metadata) == ("failed", "the file is not JSONL", {})
    assert (info.total, info.completed, info.failed, info.final) == (3, 0, 0, False)
    assert info.input_file_id is None and info.output_file_id is None
    listed = BatchInfo.of(Batch.construct(id="b", status="failed", input_file_id="f", errors=[
        {"code": "invalid_file", "message": "bad", "line": 1}], output_file_id=""))
    assert (listed.errors, listed.final, listed.output_file_id) == (
        "invalid_file: bad (line 1)", True, None)


@pytest.mark.parametrize(("code", "kind", "reason"), [
    (503, "retry", "http_503"), ("429", "retry", "rate_limited"), (400, "fail", "http_400"),
    ("server_error", "retry", "server_error"), ("batch_expired", "retry", "batch_expired")])
def test_an_error_only_line_whose_code_is_an_http_status_is_that_status(code, kind, reason):
    from summarize.model.batch_lines import read_result_line

    line = read_result_line(json.dumps({"custom_id": "c", "response": None,
                                        "error": {"code": code, "message": "said so"}}))
    assert (line.kind, line.reason) == (kind, reason)
    assert "said so" in (line.message or "")


@pytest.mark.parametrize("listing", ["page", "404"])
async def test_a_create_answered_with_a_5xx_after_the_batch_was_made_is_not_sent_twice(
        tmp_path, batch_server, listing):
    """A gateway's 502 on ``POST /v1/batches`` may come after the batch was made: the
    batch is looked for before the create is sent again (no second batch billed); only an
    endpoint that cannot list its batches gets a second create (the job uses one)."""
    server = batch_server(create_faults=[1], list_batches=listing)
    inputs, ids = articles_file(tmp_path, 3)
    job, out = tmp_path / "job.json", tmp_path / "out.jsonl"
    settings = settings_for(server, max_retries=2)
    await submit(job, inputs=inputs, output=str(out), settings=settings, options=OPTIONS,
                 echo=lambda _: None)
    creates = [c for c in server.api.calls if c == ("POST", "/v1/batches")]
    assert len(server.api.batches) == len(creates) == (1 if listing == "page" else 2)
    outcome = await collect(job, settings=settings, options=OPTIONS, output=None, wait=True,
                            echo=lambda _: None)
    assert outcome.finished and sorted(r.id for r in read_records(out)) == sorted(ids)


async def test_a_download_cut_off_half_way_is_read_again(tmp_path, batch_server):
    """The connection closed in the middle of a result file's bytes is a transport fault
    like any other: retried, then (past the client's retries) checked again at the next
    interval under --wait, never a traceback."""
    server = batch_server(cut_content=[1, 2, 3, 4])
    inputs, ids = articles_file(tmp_path, 3)
    said: list[str] = []
    out, outcome = await submit_and_collect(tmp_path, server, inputs, echo=said.append,
                                            max_retries=1)
    assert outcome.finished and sorted(r.id for r in read_records(out)) == sorted(ids)
    assert server.api.content_reads >= 5
    assert any("downloading file" in line and "checking again" in line for line in said), said


def test_the_fake_batch_api_server_runs_by_hand(tmp_path):
    """docs/batch-api.md: `python -m tests.fake_batch_api --copies N FILE` writes the
    articles, serves the Batch API until Ctrl-C, then says what it did."""
    import signal
    import subprocess
    import sys
    import urllib.request

    from tests.conftest import ROOT, subprocess_env

    articles = tmp_path / "news.jsonl"
    server = subprocess.Popen([sys.executable, "-m", "tests.fake_batch_api", "--port", "0",
                               "--copies", "3", str(articles)], cwd=ROOT, env=subprocess_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().startswith("wrote 3 articles to")
        ready = server.stdout.readline()
        assert ready.startswith("Batch API server on http://127.0.0.1:"), ready
        base_url = ready.split()[4]
        with urllib.request.urlopen(f"{base_url}/batches", timeout=30) as response:
            assert json.loads(response.read())["data"] == []
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, err
    assert out.startswith("batches 0, lines answered 0")
    assert len(articles.read_text("utf-8").splitlines()) == 3


def test_the_fake_batch_api_server_on_a_taken_port_says_so(tmp_path):
    """By hand, on the docs' fixed port while another copy still runs: one line naming
    the port and what to do, exit 2 (it was an OSError traceback)."""
    import socket
    import subprocess
    import sys

    from tests.conftest import ROOT, subprocess_env

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "tests.fake_batch_api", "--port", str(port)],
                                cwd=ROOT, env=subprocess_env(), capture_output=True, text=True,
                                timeout=60)
    assert result.returncode == 2, result.stderr
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and "choose another --port" in result.stderr
    assert "Traceback" not in result.stderr
