"""``summarize run`` as a user runs it (a subprocess) against the fault-injecting server of
tests/fault_server.py: every article ends as exactly one record, transient faults are
recovered by retries and re-asks, permanent ones give error records that name the
reason, the run exits 1 when an article failed, and no article is answered twice.

Backoff is shortened through the environment (SUMMARIZE_BACKOFF_INITIAL, ..._MAX,
SUMMARIZE_MAX_RETRY_AFTER) and --timeout is 1 to 3 s, so that the module runs in seconds.
"""

from __future__ import annotations

import json
import socket
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import GOLD_DIR
from tests.fault_server import TRANSIENT, FaultServer, article_key
from tests.conftest import run_cli
from tests.test_cli_run import read_records
from tests.test_client import ARTICLE

#: Short waits between retries (the defaults are 1 s doubling to 30 s, Retry-After up to 60 s).
FAST = {"SUMMARIZE_BACKOFF_INITIAL": "0.02", "SUMMARIZE_BACKOFF_MAX": "0.1",
        "SUMMARIZE_MAX_RETRY_AFTER": "0.3"}
#: A run that takes longer than this is a hang (generous: the suite shares 2 cores).
HANG = 120


def run(server_url: str, cwd: Path, *args: str, retries: int = 3, reasks: int = 2,
        jobs: int = 8, timeout: float = 1, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess:
    """``summarize run in -o out.jsonl`` against ``server_url`` (1 s timeout by default:
    runs that must not time out a valid answer, on a busy machine, give more)."""
    return run_cli("run", "in", "-o", "out.jsonl", "--base-url", server_url, "--model",
                   "gpt-4o-mini", "--timeout", str(timeout), "--max-retries", str(retries),
                   "--max-reasks", str(reasks), "-j", str(jobs), *args, cwd=cwd,
                   env={**FAST, **(env or {})}, timeout=HANG)


def write_fault_articles(folder: Path, faults: list[str], *, times: int | None = None) -> None:
    """One article per fault, named after it, whose text asks the server for that fault
    (its first ``times`` requests; None: all of them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, fault in enumerate(faults):
        marker = f"[[fault:{fault}{'' if times is None else f'*{times}'}]]"
        (folder / f"{number:02d}-{fault}.txt").write_text(
            f"Dispatch {fault}\n{ARTICLE} Dispatch {number} {marker}.\n", encoding="utf-8")


def write_plain_articles(folder: Path, count: int) -> None:
    """``count`` distinct articles without a fault marker."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"{number:02d}-plain.txt").write_text(f"D{number}\n{ARTICLE} No. {number}.\n")


def by_fault(records: list[dict]) -> dict[str, dict]:
    """Records keyed by the fault their file is named after."""
    return {Path(r["article"]["path"]).stem.split("-", 1)[1]: r for r in records}


def answers_of(server: FaultServer, record: dict) -> int:
    return server.answers[article_key(record["article"]["text"])]


def requests_of(server: FaultServer, record: dict) -> int:
    return server.requests[article_key(record["article"]["text"])]


# ---- the acceptance run ----------------------------------------------------------------


def write_hundred_articles(folder: Path) -> int:
    """The 32 gold articles (answered with their gold labels) as one JSONL file, and
    distinct dispatches (answered from their own sentences) up to 100 articles."""
    folder.mkdir(parents=True)
    rows = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        article = gold["article"]
        rows.append({"id": gold["id"], "title": article.get("title"),
                     "source": article.get("source"), "text": article["text"]})
    (folder / "gold.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    for number in range(100 - len(rows)):
        (folder / f"d{number:03d}.txt").write_text(
            f"Dispatch {number}\n{ARTICLE} Dispatch {number} was filed at {number}:00.\n")
    return len(rows)


def test_100_articles_at_a_30_percent_fault_rate_end_as_100_ok_records_none_answered_twice(
        fault_server, tmp_path: Path):
    server = fault_server(rate=0.3, seed=6, kinds=TRANSIENT, gold_dir=GOLD_DIR)
    gold_count = write_hundred_articles(tmp_path / "in")
    result = run(server.base_url, tmp_path, retries=6, reasks=3, jobs=16, timeout=3)
    assert result.returncode == 0, result.stderr[-3000:]

    records = read_records(tmp_path / "out.jsonl")
    assert len(records) == 100 and len({r["id"] for r in records}) == 100
    assert [r["status"] for r in records] == ["ok"] * 100
    faults = Counter(fault for _, _, fault in server.log if fault != "ok")
    assert sum(faults.values()) >= 25 and sum(faults.values()) >= 0.2 * len(server.log), faults
    assert len(faults) >= 9, f"too few kinds of fault were injected: {faults}"
    # Never pay twice: one valid answer per article, although many were asked again.
    assert {answers_of(server, r) for r in records} == {1}
    assert sum(server.requests.values()) > 100
    from_gold = [r for r in records if r["article"]["path"].endswith("gold.jsonl")]
    assert len(from_gold) == gold_count
    assert all(r["summary"]["summary"].startswith("Answer built from the gold labels")
               for r in from_gold), "a gold article was not answered by the oracle"
    assert "100 of 100 articles: 100 ok, 0 failed" in result.stderr

    # The same command again resumes: nothing is sent. Another output: the cache answers.
    sent = len(server.log)
    again = run(server.base_url, tmp_path, retries=6, reasks=3, jobs=16, timeout=3)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "100 resumed" in again.stderr
    other = run(server.base_url, tmp_path, "-o", "other.jsonl", retries=6, reasks=3, jobs=16,
                timeout=3)
    assert other.returncode == 0, other.stderr[-2000:]
    assert "100 cached" in other.stderr
    assert len(server.log) == sent, "a rerun asked the model again"


def test_a_rerun_after_failures_asks_only_the_failed_articles(fault_server, tmp_path: Path):
    server = fault_server(rate=0.5, seed=3, kinds=("http_500", "drop", "schema_invalid"))
    write_plain_articles(tmp_path / "in", 24)
    first = run(server.base_url, tmp_path, retries=0, reasks=0)
    assert first.returncode == 1, "with no retries some articles should fail"
    before = read_records(tmp_path / "out.jsonl")
    failed = [r for r in before if r["status"] == "error"]
    assert 0 < len(failed) < 24
    assert {r["error"]["reason"] for r in failed} <= {"http_500", "connection_error",
                                                      "reasks_exhausted", "not_attempted"}

    second = run(server.base_url, tmp_path, retries=8, reasks=4, timeout=3)
    assert second.returncode == 0, second.stderr[-2000:]
    after = read_records(tmp_path / "out.jsonl")
    assert len(after) == 24 and all(r["status"] == "ok" for r in after)
    assert {answers_of(server, r) for r in after} == {1}, "an ok article was asked again"
    assert f"{24 - len(failed)} resumed" in second.stderr


# ---- transient faults: recovered ---------------------------------------------------------

#: Faults that stop after two requests; the third request of each article is answered.
RECOVERABLE = [
    "http_408", "http_409", "http_429", "http_429_seconds", "http_429_bare", "http_429_huge",
    "http_429_odd",
    "http_500", "http_502", "http_503", "http_503_date", "http_504", "drop", "reset", "cut",
    "stall", "stall_headers", "trickle", "bad_chunked", "bad_gzip", "truncated_json",
    "bad_utf8", "html", "text", "json_not_object", "error_200", "empty_choices",
    "null_choices", "message_null", "function_null", "deep_json", "schema_invalid",
    "bad_quote", "no_arguments", "arguments_number", "content_not_tool", "http_400_retry",
]
#: Odd but usable answers: ok at the first request.
TOLERATED = ["wrong_content_type", "no_usage", "odd_usage", "huge_usage", "arguments_object",
             "leaky_headers", "gzip_ok"]


def test_transient_faults_are_recovered_and_each_article_answered_once(fault_server,
                                                                       tmp_path: Path):
    server = fault_server(trickle_pause=0.2)
    write_fault_articles(tmp_path / "in", RECOVERABLE, times=2)
    write_fault_articles(tmp_path / "in2", TOLERATED)
    for path in (tmp_path / "in2").iterdir():
        path.rename(tmp_path / "in" / f"t{path.name}")
    result = run(server.base_url, tmp_path, retries=3, reasks=2, jobs=12, timeout=2)
    assert result.returncode == 0, result.stderr[-3000:]

    records = read_records(tmp_path / "out.jsonl")
    assert len(records) == len(RECOVERABLE) + len(TOLERATED)
    for fault, record in by_fault(records).items():
        assert record["status"] == "ok", (fault, record["error"])
        assert answers_of(server, record) == 1, f"{fault}: answered more than once"
        expected = 1 if fault in TOLERATED else 3
        assert requests_of(server, record) == expected, fault
        assert record["usage"]["requests"] == expected, fault
    for fault in ("odd_usage", "huge_usage"):
        usage = by_fault(records)[fault]["usage"]
        assert usage["prompt_tokens"] == 0 and usage["completion_tokens"] == 0, fault


# ---- permanent faults: an error record naming the reason ---------------------------------

#: Fault -> the error.reason of the record; none of these is worth a second request.
PERMANENT = {
    "http_400": "http_400", "http_403": "http_403", "http_413": "http_413",
    "http_422": "http_422", "redirect": "redirect", "redirect_307": "redirect",
    "huge_body": "response_too_large", "huge_length": "response_too_large",
    "gzip_bomb": "response_too_large",
    "refusal": "refusal", "content_filter": "content_filter", "length": "length",
    "http_500_no_retry": "http_500",
}
#: Retried faults that never stop -> the reason once the retries are spent.
PERSISTENT = {
    "http_500": "http_500", "http_502": "http_502", "http_503_date": "http_503",
    "http_504": "http_504", "html": "bad_response", "text": "bad_response",
    "truncated_json": "bad_response", "bad_utf8": "bad_response", "bad_gzip": "bad_response",
    "json_not_object": "bad_response", "error_200": "bad_response",
    "empty_choices": "no_choices", "null_choices": "no_choices",
    "message_null": "bad_response", "function_null": "bad_response", "deep_json": "bad_response",
    "schema_invalid": "reasks_exhausted", "no_arguments": "reasks_exhausted",
    "arguments_number": "reasks_exhausted",
}


def test_permanent_and_persistent_faults_give_error_records_naming_the_reason(fault_server,
                                                                              tmp_path: Path):
    server = fault_server()
    faults = [*PERMANENT, *PERSISTENT]
    write_fault_articles(tmp_path / "in", [*faults, "ok", "slow"])
    result = run(server.base_url, tmp_path, retries=2, reasks=1)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr

    records = by_fault(read_records(tmp_path / "out.jsonl"))
    assert len(records) == len(faults) + 2
    assert records["ok"]["status"] == records["slow"]["status"] == "ok"
    for fault, reason in {**PERMANENT, **PERSISTENT}.items():
        record = records[fault]
        assert record["status"] == "error", fault
        assert record["error"]["reason"] == reason, (fault, record["error"])
        assert record["error"]["message"], fault
    for fault in PERMANENT:
        assert requests_of(server, records[fault]) == 1, f"{fault} was sent again"
    for fault, reason in PERSISTENT.items():
        expected = 2 if reason == "reasks_exhausted" else 3  # one re-ask; two retries
        assert requests_of(server, records[fault]) == expected, fault
        if reason != "reasks_exhausted":
            assert f"gave up after {expected} requests" in records[fault]["error"]["message"]
    assert "16 MiB" in records["huge_body"]["error"]["message"]
    assert "/v2/chat/completions" in records["redirect"]["error"]["message"]
    assert "sign in" in records["html"]["error"]["message"].lower()
    assert records["schema_invalid"]["error"]["type"] == "validation_error"
    # One line per problem, in the project's words: no pydantic dump, no link.
    message = records["schema_invalid"]["error"]["message"]
    lines = message.splitlines()
    assert lines[0] == "no valid answer after 1 re-ask: summary: must be a string, not 42"
    assert "claims: must be a list, not 'none'" in lines
    assert "casualties[0].outcome: missing" in lines and len(lines) == 9
    for noise in ("pydantic.dev", "[type=", "input_value", "validation error for"):
        assert noise not in message
    assert records["arguments_number"]["error"]["message"] == (
        "no valid answer after 1 re-ask: the answer must be an object, not 42")


# ---- an endpoint that is down, stalled or refusing ------------------------------------


def test_a_stalled_endpoint_cannot_hang_the_batch(fault_server, tmp_path: Path):
    """Never answering, stopping after the status line, trickling a byte at a time: each
    request is abandoned at the timeout, and after three articles in a row gave up the
    rest are not sent. The run is bounded by HANG (subprocess timeout)."""
    server = fault_server(trickle_pause=0.3)
    write_fault_articles(tmp_path / "in", ["stall", "stall_headers", "trickle"] * 3)
    result = run(server.base_url, tmp_path, retries=1, reasks=0, jobs=2)
    assert result.returncode == 1
    records = read_records(tmp_path / "out.jsonl")
    assert len(records) == 9 and all(r["status"] == "error" for r in records)
    reasons = Counter(r["error"]["reason"] for r in records)
    assert set(reasons) == {"timeout", "not_attempted"}, reasons
    assert reasons["timeout"] >= 3
    for record in records:
        assert "within the 1 s timeout (--timeout)" in record["error"]["message"], record["error"]
    timed_out = [r for r in records if r["error"]["reason"] == "timeout"]
    assert all(r["usage"]["requests"] == 2 for r in timed_out)
    assert sum(server.answers.values()) == 0, "a trickled answer was accepted"


@pytest.mark.parametrize("fault, reason, words", [
    ("drop", "connection_error", "broke the HTTP exchange"),
    ("http_429_huge", "rate_limited", "HTTP 429"),
])
def test_an_endpoint_that_always_fails_stops_the_batch(fault_server, tmp_path: Path,
                                                       fault, reason, words):
    server = fault_server()
    server.set(fault)
    write_plain_articles(tmp_path / "in", 8)
    result = run(server.base_url, tmp_path, retries=1, reasks=0, jobs=2)
    assert result.returncode == 1
    records = read_records(tmp_path / "out.jsonl")
    assert len(records) == 8 and all(r["status"] == "error" for r in records)
    reasons = Counter(r["error"]["reason"] for r in records)
    assert set(reasons) == {reason, "not_attempted"}, reasons
    for record in records:
        assert words in record["error"]["message"], record["error"]


@pytest.mark.parametrize("fault, reason", [("http_401", "authentication"),
                                           ("http_404", "not_found"),
                                           ("http_429_quota", "quota_exceeded")])
def test_a_rejected_key_unknown_model_or_empty_account_stops_the_batch_at_once(fault_server, tmp_path: Path,
                                                                 fault, reason):
    server = fault_server()
    server.set(fault)
    write_plain_articles(tmp_path / "in", 10)
    result = run(server.base_url, tmp_path, retries=3, jobs=1)
    assert result.returncode == 1
    records = read_records(tmp_path / "out.jsonl")
    reasons = Counter(r["error"]["reason"] for r in records)
    assert set(reasons) == {reason, "not_attempted"} and reasons[reason] <= 2, reasons
    assert len(server.log) == reasons[reason], "a 401/404 is never retried"


def test_an_exhausted_quota_is_not_retried_and_is_said_once(fault_server, tmp_path: Path):
    """OpenAI's 429 insufficient_quota is a billing stop, not a rate limit: no retry, no
    Retry-After wait, the batch stops at once, and stderr says why in one line."""
    server = fault_server()
    server.set("http_429_quota")
    write_plain_articles(tmp_path / "in", 12)
    result = run(server.base_url, tmp_path, retries=4, jobs=2)
    assert result.returncode == 1
    records = read_records(tmp_path / "out.jsonl")
    assert len(records) == 12
    quota = [r for r in records if r["error"]["reason"] == "quota_exceeded"]
    assert quota and all(r["usage"]["requests"] == 1 for r in quota), "a quota 429 was retried"
    assert len(server.log) == len(quota)
    assert {r["error"]["reason"] for r in records} == {"quota_exceeded", "not_attempted"}
    assert "rate_limited" not in result.stderr
    said = [line for line in result.stderr.splitlines() if "no credit left" in line]
    assert len(said) == 1, result.stderr
    assert "insufficient_quota" in said[0] and "billing" in said[0]
    assert f"not sent {12 - len(quota)} article(s)" in result.stderr


def test_an_answer_that_never_validates_is_one_line_on_stderr(fault_server, tmp_path: Path):
    server = fault_server()
    write_fault_articles(tmp_path / "in", ["schema_invalid"])
    result = run(server.base_url, tmp_path, retries=0, reasks=0, jobs=1)
    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if "failed" in line and "re-ask" in line]
    assert line.endswith("validation_error: no valid answer after 0 re-asks: summary: must be a "
                         "string, not 42 (and 8 more problem(s) in the record)")


def test_x_should_retry_decides_for_an_http_error(fault_server, tmp_path: Path):
    """As in the openai SDK: ``x-should-retry: true`` makes a 400 worth retrying, ``false``
    forbids retrying a 500."""
    server = fault_server()
    write_fault_articles(tmp_path / "in", ["http_400_retry", "http_500_no_retry"], times=1)
    result = run(server.base_url, tmp_path, retries=3, reasks=0, jobs=2)
    records = by_fault(read_records(tmp_path / "out.jsonl"))
    assert records["http_400_retry"]["status"] == "ok"
    assert requests_of(server, records["http_400_retry"]) == 2
    assert records["http_500_no_retry"]["error"]["reason"] == "http_500"
    assert requests_of(server, records["http_500_no_retry"]) == 1
    assert result.returncode == 1


def test_nothing_listening_gives_connection_errors(tmp_path: Path):
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    write_plain_articles(tmp_path / "in", 5)
    result = run(f"http://127.0.0.1:{port}/v1", tmp_path, retries=3, jobs=1)
    # Not one request ever reached it: a configuration error, said once, after the
    # first article's two attempts rather than every article's whole backoff.
    assert result.returncode == 2
    assert result.stderr.count("no request reached the endpoint") == 1
    records = read_records(tmp_path / "out.jsonl")
    assert len(records) == 5
    assert {r["error"]["reason"] for r in records} <= {"connection_error", "not_attempted"}
    assert "cannot connect to the endpoint" in records[0]["error"]["message"]
    assert sum(r["usage"]["requests"] for r in records) <= 4


# ---- the settings behind the limits ------------------------------------------------------


@pytest.mark.parametrize("headers, seconds", [
    ({"retry-after": "2"}, 2.0),
    ({"retry-after": "2", "retry-after-ms": "250"}, 0.25),
    ({"retry-after": "-3"}, 0.0),
    ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past
    ({"retry-after": "soon"}, None),
    ({"retry-after": "nan", "retry-after-ms": "inf"}, None),
    ({}, None),
])
def test_retry_after_headers_are_read_or_ignored(headers, seconds):
    import httpx2

    from summarize.model.client import retry_after_seconds

    class Fault(Exception):
        response = httpx2.Response(429, headers=headers)

    assert retry_after_seconds(Fault()) == seconds


def test_backoff_is_set_from_the_environment_and_checked():
    from summarize.errors import ConfigError
    from summarize.settings import Settings

    env = {"SUMMARIZE_BACKOFF_INITIAL": "0.5", "SUMMARIZE_BACKOFF_MAX": "4",
           "SUMMARIZE_MAX_RETRY_AFTER": "10"}
    settings = Settings.from_env(env)
    assert (settings.backoff_initial, settings.backoff_max, settings.max_retry_after) == (0.5, 4, 10)
    assert Settings.from_env({}).backoff_initial == 1.0
    with pytest.raises(ConfigError, match="SUMMARIZE_BACKOFF_MAX must be a number"):
        Settings.from_env({"SUMMARIZE_BACKOFF_MAX": "soon"})
    with pytest.raises(ConfigError, match="max_retry_after must be 0 or more"):
        Settings.from_env({"SUMMARIZE_MAX_RETRY_AFTER": "-1"})


def test_the_python_api_also_abandons_a_trickling_answer_at_the_timeout(fault_server):
    """Without a batch (no http_client given) the client builds the same guarded
    transport: the timeout bounds the whole exchange, not each read."""
    from summarize import summarize_article

    server = fault_server(trickle_pause=0.2)
    server.set("trickle")
    record = summarize_article(ARTICLE, backend="openai", base_url=server.base_url, timeout=1,
                               max_retries=0)
    assert record.error.reason == "timeout", record.error
    assert "1 s timeout" in record.error.message
