"""--workers N: the model calls spread over worker processes, the batch kept in one:
one record per article in input order, each article answered once, the cache filled by
the workers, the endpoint's failure still stopping the batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarize.batch import BatchOptions, run_batch
from summarize.errors import ConfigError
from tests.conftest import run_cli
from tests.fake_openai import status
from tests.test_batch import InFlight, dispatch, settings_for
from tests.test_cli_run import model_flags, read_records, write_articles


def test_two_workers_give_one_record_per_article_in_order_and_fill_the_cache(fake_server,
                                                                          tmp_path: Path):
    responder = InFlight(delay=0.02)
    server = fake_server(responder)
    write_articles(tmp_path / "in", 24)
    first = run_cli("run", "in", "-o", "out.jsonl", "-j", "4", "--workers", "2",
                    *model_flags(server), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Unclosed" not in first.stderr, "a worker left its HTTP session open"
    records = read_records(tmp_path / "out.jsonl")
    assert [r["article"]["path"] for r in records] == [f"in/a{n:03d}.txt" for n in range(24)]
    assert all(r["status"] == "ok" for r in records)
    assert len(server.requests) == 24, "an article was sent twice or not at all"
    assert responder.most <= 4, "more requests in flight than -j"
    again = run_cli("run", "in", "-o", "again.jsonl", "-j", "4", "--workers", "2",
                    *model_flags(server), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert len(server.requests) == 24, "the workers did not fill the cache"
    assert all(r["provenance"]["cached"] for r in read_records(tmp_path / "again.jsonl"))


def test_workers_log_their_requests_as_one_process_does(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 4)
    result = run_cli("run", "in", "-o", "out.jsonl", "-j", "2", "--workers", "2", "-vv",
                     "--no-cache", *model_flags(server), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    requests = [line for line in result.stderr.splitlines() if "POST" in line]
    assert len(requests) >= 4, result.stderr[-2000:]
    assert "Unclosed" not in result.stderr


def test_a_rejected_key_stops_a_batch_of_workers(fake_server):
    server = fake_server(lambda request, index: status(401, "Incorrect API key provided"))
    records = run_batch([dispatch(n) for n in range(16)], settings_for(server),
                        options=BatchOptions(concurrency=2, workers=2, use_cache=False))
    assert len(records) == 16 and not any(r.ok for r in records)
    assert len(server.requests) <= 6
    assert {r.error.reason for r in records} == {"authentication", "not_attempted"}


def test_workers_need_as_much_concurrency(tmp_path: Path):
    with pytest.raises(ConfigError, match="--workers 4 needs --concurrency"):
        BatchOptions(concurrency=2, workers=4).check()
    result = run_cli("run", "x.txt", "--workers", "0", cwd=tmp_path)
    assert result.returncode == 2


def test_the_rules_backend_ignores_workers(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Title\nShelling killed 3 people, the monitor said.\n")
    result = run_cli("run", "a.txt", "--backend", "rules", "--workers", "2", "-j", "2",
                     "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out.jsonl").read_text())["status"] == "ok"
