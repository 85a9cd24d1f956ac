"""summarize batch and run --batch-api on the command line (real processes), and the
price tables: what a user types, what they see, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarize.errors import ConfigError
from summarize.records import BATCH_PRICE_FACTOR, PRICES_PER_MTOK, Usage, price_for
from summarize.settings import Settings
from tests.conftest import GOLD_DIR, run_cli
from tests.fake_batch_api import FakeBatchAPI, copies_oracle, run_batch_file, write_copies
from tests.test_batch_api import KEY, read_records


def env_for(server) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}


def test_batch_prices_are_half_the_live_table_and_pricing_says_which_applies():
    live = price_for("gpt-4o-mini", base_url=None)
    assert live == PRICES_PER_MTOK["gpt-4o-mini"]
    assert price_for("gpt-4o-mini", base_url=None, batch=True) == (
        live[0] * BATCH_PRICE_FACTOR, live[1] * BATCH_PRICE_FACTOR) == (0.075, 0.3)
    local = "http://127.0.0.1:8080/v1"
    assert price_for("gpt-4o-mini", base_url=local) is None  # auto: OpenAI's endpoint only
    assert price_for("gpt-4o-mini", base_url=local, pricing="openai") == live
    assert price_for("gpt-4o-mini", base_url=None, pricing="none") is None
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000)
    assert usage.priced("gpt-4o-mini", batch=True).cost_usd == pytest.approx(0.375)
    with pytest.raises(ConfigError, match="unknown pricing"):
        Settings(pricing="cheap").check()


def test_run_batch_api_submits_waits_and_collects_in_one_command(tmp_path, batch_server):
    server = batch_server(fail_rate=0.2, break_rate=0.2)
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 10)
    args = ("run", "articles.jsonl", "-o", "out.jsonl", "--batch-api", "--model", "gpt-4o-mini",
            "--poll-interval", "0.01", "--pricing", "openai", "--events", "events.json")
    result = run_cli(*args, cwd=tmp_path, env=env_for(server))
    assert result.returncode == 0, result.stderr
    assert "round 1: 10 requests in 1 batch(es) submitted" in result.stderr
    assert "follow-up request(s)" in result.stderr
    assert "10 of 10 articles: 10 ok, 0 failed" in result.stderr and "$0.00" in result.stderr
    assert (tmp_path / "out.jsonl.job.json").exists()
    assert json.loads((tmp_path / "events.json").read_text())["format"] == "summarize-events"
    records = read_records(tmp_path / "out.jsonl")
    assert len(records) == 10 and all(r.ok and r.usage.cost_usd for r in records)
    batches = len(server.api.batches)
    again = run_cli(*args, cwd=tmp_path, env=env_for(server))  # the same command again
    assert again.returncode == 0, again.stderr
    assert "taking it up where it stopped" in again.stderr
    # It sent nothing: the records are resumed, and no request or token is counted.
    assert "10 of 10 articles: 10 ok, 0 failed · 10 resumed · 0 requests ·" in again.stderr
    assert "tokens" not in again.stderr
    assert len(server.api.batches) == batches and len(read_records(tmp_path / "out.jsonl")) == 10


def test_run_batch_api_needs_a_jsonl_output_and_a_model_backend(tmp_path, batch_server):
    server = batch_server()
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 2)
    html = run_cli("run", "articles.jsonl", "-o", "out.html", "--batch-api", cwd=tmp_path,
                   env=env_for(server))
    assert html.returncode == 2 and "--batch-api writes a JSONL file" in html.stderr
    rules = run_cli("run", "articles.jsonl", "-o", "out.jsonl", "--batch-api", "--backend", "rules",
                    cwd=tmp_path, env=env_for(server))
    assert rules.returncode == 2 and "needs a model backend" in rules.stderr
    stdin = run_cli("batch", "submit", "-", "--job", "j.json", cwd=tmp_path, env=env_for(server))
    assert stdin.returncode == 2 and "not - (stdin)" in stdin.stderr


def test_collect_keeps_the_settings_the_answers_depend_on(tmp_path, batch_server):
    server = batch_server()
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 2)
    submitted = run_cli("batch", "submit", "articles.jsonl", "--job", "job.json", "--model",
                        "gpt-4o-mini", cwd=tmp_path, env=env_for(server))
    assert submitted.returncode == 0, submitted.stderr
    other = run_cli("batch", "collect", "--job", "job.json", "-o", "out.jsonl", "--model", "gpt-4o",
                    cwd=tmp_path, env=env_for(server))
    assert other.returncode == 2 and "was made for --model gpt-4o-mini (not gpt-4o)" in other.stderr
    no_output = run_cli("batch", "collect", "--job", "job.json", cwd=tmp_path, env=env_for(server))
    assert no_output.returncode == 2 and "collect needs -o" in no_output.stderr
    results = tmp_path / "r.jsonl"
    results.write_text("")
    wrong = run_cli("batch", "collect", "--job", "job.json", "-o", "out.jsonl", "--results", "r.jsonl",
                    cwd=tmp_path, env=env_for(server))
    assert wrong.returncode == 2 and "--results is for jobs made by export" in wrong.stderr
    status = run_cli("batch", "status", "--job", "job.json", cwd=tmp_path, env=env_for(server))
    assert status.returncode == 0
    assert "batch_000001" in status.stdout and "articles: 2 submitted" in status.stdout
    missing = run_cli("batch", "status", "--job", "nope.json", cwd=tmp_path, env=env_for(server))
    assert missing.returncode == 2 and "no such job file" in missing.stderr


def test_export_then_collect_results_on_the_command_line(tmp_path):
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 4)
    options = ("--model", "served-model", "--mode", "json_schema")
    exported = run_cli("batch", "export", "articles.jsonl", "-o", "requests.jsonl", *options,
                       cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "4 requests -> requests.jsonl" in exported.stderr
    lines = [json.loads(line) for line in (tmp_path / "requests.jsonl").read_text().splitlines()]
    assert [line["body"]["model"] for line in lines] == ["served-model"] * 4
    assert all(line["body"]["response_format"]["type"] == "json_schema" for line in lines)
    run_batch_file(FakeBatchAPI(copies_oracle(GOLD_DIR)), tmp_path / "requests.jsonl",
                   tmp_path / "results.jsonl")
    collected = run_cli("batch", "collect", "--results", "results.jsonl", "articles.jsonl",
                        "-o", "out.jsonl", *options, cwd=tmp_path)
    assert collected.returncode == 0, collected.stderr
    assert "4 of 4 articles: 4 ok, 0 failed" in collected.stderr
    records = read_records(tmp_path / "out.jsonl")
    assert all(r.ok and r.provenance.mode == "json_schema" for r in records)


def test_export_with_nothing_to_send_writes_an_empty_request_file(tmp_path):
    (tmp_path / "articles.jsonl").write_text(
        json.dumps({"id": "empty", "text": " "}) + "\n" + json.dumps({"id": "blank", "text": ""}) + "\n")
    exported = run_cli("batch", "export", "articles.jsonl", "-o", "requests.jsonl", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "nothing to send: 0 in the cache, 0 already ok in the output, 2 unusable" in exported.stderr
    assert "0 requests -> requests.jsonl" in exported.stderr
    assert (tmp_path / "requests.jsonl").read_bytes() == b""
    assert "job " not in exported.stderr  # the scratch job it deletes is not announced
    kept = run_cli("batch", "export", "articles.jsonl", "-o", "again.jsonl", "--job", "job.json",
                   cwd=tmp_path)
    assert kept.returncode == 0 and "job job.json: 2 articles" in kept.stderr
    collected = run_cli("batch", "collect", "--job", "job.json", "-o", "out.jsonl", cwd=tmp_path)
    assert collected.returncode == 1 and "2 of 2 articles: 0 ok, 2 failed" in collected.stderr
    assert [r.error.type for r in read_records(tmp_path / "out.jsonl")] == ["input_error"] * 2


async def test_export_of_articles_all_in_the_cache_sends_nothing(tmp_path, batch_server):
    from summarize.batch.api_jobs import export
    from tests.test_batch_api import OPTIONS, articles_file, settings_for, submit_and_collect

    server = batch_server()
    inputs, ids = articles_file(tmp_path, 3)
    await submit_and_collect(tmp_path, server, inputs)
    # The cache keys carry strictness: the job above sent non-strict requests (a local
    # endpoint), an export is strict unless told otherwise, so it asks for the same.
    said: list[str] = []
    count = await export(inputs, tmp_path / "requests.jsonl",
                         settings=settings_for(server, strict=False), options=OPTIONS,
                         job_path=None, echo=said.append)
    assert count == 0 and (tmp_path / "requests.jsonl").read_bytes() == b""
    assert any("nothing to send: 3 in the cache" in line for line in said)
    # A strict export asks for other requests than the cache holds: all three are sent.
    strict = await export(inputs, tmp_path / "strict.jsonl", settings=settings_for(server),
                          options=OPTIONS, job_path=None, echo=said.append)
    assert strict == 3


def test_a_file_job_waiting_for_results_does_not_suggest_wait(tmp_path):
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 2)
    exported = run_cli("batch", "export", "articles.jsonl", "-o", "requests.jsonl", "--job",
                       "job.json", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    run_batch_file(FakeBatchAPI(copies_oracle(GOLD_DIR), break_rate=1.0),
                   tmp_path / "requests.jsonl", tmp_path / "results.jsonl")
    waiting = run_cli("batch", "collect", "--job", "job.json", "--results", "results.jsonl",
                      "-o", "out.jsonl", cwd=tmp_path)
    assert waiting.returncode == 1 and "not finished: round 2 waits for the results" in waiting.stderr
    assert "--wait" not in waiting.stderr


def test_the_timeout_reaches_the_batch_api_client():
    from summarize.batch.job_setup import open_clients

    clients = open_clients(Settings(base_url="http://127.0.0.1:9/v1", timeout=7.0))
    assert clients.current()._openai.timeout == 7.0


def test_run_batch_api_events_read_the_records_back_one_at_a_time(tmp_path, batch_server,
                                                                  monkeypatch):
    from click.testing import CliRunner

    from summarize.cli import cli
    from summarize.events import output as events_output  # run imports it when --events is given

    server = batch_server()
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 3)
    for name, value in env_for(server).items():
        monkeypatch.setenv(name, value)
    given: list[object] = []
    real_events_file = events_output.events_file

    def events_file(records, path):
        given.append(records)
        return real_events_file(records, path)

    monkeypatch.setattr(events_output, "events_file", events_file)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", "articles.jsonl", "-o", "out.jsonl", "--batch-api",
                                      "--poll-interval", "0.01", "--events", "events.json"])
    assert result.exit_code == 0, result.output
    [records] = given
    assert not isinstance(records, (list, tuple))  # a stream, not the records held at once
    assert json.loads((tmp_path / "events.json").read_text())["format"] == "summarize-events"


async def test_repeated_ids_are_numbered_as_summarize_run_numbers_them(tmp_path, batch_server):
    from summarize.articles import unique_ids
    from summarize.inputs import iter_articles
    from summarize.batch.job import Job
    from summarize.batch.job_setup import job_articles
    from tests.fake_batch_api import gold_articles
    from tests.test_batch_api import submit_and_collect

    # Ids dup, dup#2, dup: the third is dup#3, not a second dup#2 (which lost an article).
    path = tmp_path / "dups.jsonl"
    golds = gold_articles(GOLD_DIR)[:3]
    with open(path, "w", encoding="utf-8") as out:
        for gold, id_ in zip(golds, ["dup", "dup#2", "dup"]):
            out.write(json.dumps({"id": id_, "text": gold["text"]}) + "\n")
    out_path, _ = await submit_and_collect(tmp_path, batch_server(), [str(path)])
    records = read_records(out_path)
    assert [r.id for r in records] == ["dup", "dup#2", "dup#3"]
    assert [r.article.text for r in records] == [g["text"] for g in golds]
    assert len({r.article.text for r in records}) == 3
    job = Job.load(tmp_path / "job.json")
    assert [a.id for a in job_articles(job)] == [a.id for a in unique_ids(iter_articles([path]))]


@pytest.mark.parametrize("command", [("batch", "export", "articles.jsonl", "-o", "req.jsonl"),
                                     ("run", "articles.jsonl", "-o", "out.jsonl", "--batch-api")])
def test_workers_are_refused_by_batch_api_commands(tmp_path, command):
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 2)
    result = run_cli(*command, "--workers", "4", "--model", "gpt-4o-mini", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "--workers 4" in result.stderr and "Batch API" in result.stderr
    assert not (tmp_path / "req.jsonl").exists()


@pytest.mark.parametrize("finished", [False, True])
def test_run_batch_api_events_say_what_they_skipped(tmp_path, monkeypatch, finished):
    from click.testing import CliRunner

    from summarize.batch import api_jobs
    from summarize.batch.progress import BatchTally
    from summarize.cli import cli

    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 2)
    first = tmp_path / "first.jsonl"
    write_copies(first, GOLD_DIR, 1)

    async def collected(path, *, output, **_):
        if not finished:
            return api_jobs.Outcome(False, waiting="round 1: 1 batch in_progress",
                                    counts={"sent": 2})
        # A finished job whose output ends in a torn line (a record cut short).
        line = run_cli("run", str(first), "--backend", "rules", "-o", "-", cwd=tmp_path).stdout
        Path(output).write_text(line + line[:30], "utf-8")
        return api_jobs.Outcome(True, tally=BatchTally(total=1, done=1, ok=1))

    monkeypatch.setattr(api_jobs, "run_batch_api", collected)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", "articles.jsonl", "-o", "out.jsonl", "--batch-api",
                                      "--model", "gpt-4o-mini", "--events", "events.json"])
    if finished:
        assert result.exit_code == 0, result.output
        assert "skipped a torn last line" in result.stderr
        assert "1 events -> events.json" in result.stderr
    else:
        assert result.exit_code == 1, result.output
        assert ("events not written to events.json: the job is not finished"
                in result.stderr)
        assert not (tmp_path / "events.json").exists()
