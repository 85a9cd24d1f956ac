"""summarize batch across commands: which endpoint a job's batches are read at, what a
rerun on an existing job may change, and commands that meet while one of them writes
the job's state. Against the fake Batch API server (tests/fake_batch_api.py)."""

from __future__ import annotations

import json

import pytest

from summarize.batch.api_jobs import JobOptions, collect, open_job, status, submit
from summarize.model.batch_api import BatchClient
from tests.conftest import run_cli
from tests.test_batch_api import KEY, OPTIONS, articles_file, read_records, settings_for


def calls_to(server) -> int:
    return len(server.api.calls)


# ---- each batch is read where it was created ------------------------------------------------


def test_status_and_collect_read_the_batches_at_the_jobs_endpoint(tmp_path, batch_server):
    """A shell whose OPENAI_BASE_URL names another server sends nothing there."""
    made_on, elsewhere = batch_server(), batch_server()
    inputs, ids = articles_file(tmp_path, 3)
    env = {"OPENAI_BASE_URL": elsewhere.base_url, "OPENAI_API_KEY": KEY}
    submitted = run_cli("batch", "submit", *inputs, "--job", "job.json", "-o", "out.jsonl",
                        "--base-url", made_on.base_url, cwd=tmp_path, env=env)
    assert submitted.returncode == 0, submitted.stderr
    shown = run_cli("batch", "status", "--job", "job.json", "--json", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    [batch] = json.loads(shown.stdout)["batches"]
    assert batch["status"] == "in_progress" and batch["base_url"] == made_on.base_url
    collected = run_cli("batch", "collect", "--job", "job.json", "--wait", "--poll-interval",
                        "0.01", cwd=tmp_path, env=env)
    assert collected.returncode == 0, collected.stderr
    assert [r.id for r in read_records(tmp_path / "out.jsonl")] == ids
    assert calls_to(elsewhere) == 0


async def test_a_pending_upload_goes_to_the_jobs_endpoint(tmp_path, batch_server, monkeypatch):
    made_on, elsewhere = batch_server(), batch_server()
    inputs, ids = articles_file(tmp_path, 3)
    job = tmp_path / "job.json"
    real_upload = BatchClient.upload

    async def crashes(self, path):
        raise KeyboardInterrupt  # the request file is written, not uploaded

    monkeypatch.setattr(BatchClient, "upload", crashes)
    with pytest.raises(KeyboardInterrupt):
        await submit(job, inputs=inputs, output=None, settings=settings_for(made_on),
                     options=OPTIONS, echo=lambda _: None)
    monkeypatch.setattr(BatchClient, "upload", real_upload)
    # The same submit again, in a shell whose environment names another endpoint.
    await submit(job, inputs=inputs, output=None, settings=settings_for(elsewhere),
                 options=OPTIONS, echo=lambda _: None)
    assert len(made_on.api.batches) == 1 and calls_to(elsewhere) == 0


async def test_a_batch_is_created_where_its_file_was_uploaded(tmp_path, batch_server, monkeypatch):
    """--base-url given again names where the next files go; a file already uploaded
    gets its batch on its own endpoint, and the batch is collected there."""
    made_on, moved_to = batch_server(), batch_server()
    inputs, ids = articles_file(tmp_path, 3)
    job, out = tmp_path / "job.json", tmp_path / "out.jsonl"
    real_create = BatchClient.create

    async def crashes(self, *args, **kwargs):
        raise KeyboardInterrupt  # uploaded, no batch yet

    monkeypatch.setattr(BatchClient, "create", crashes)
    with pytest.raises(KeyboardInterrupt):
        await submit(job, inputs=inputs, output=str(out), settings=settings_for(made_on),
                     options=OPTIONS, echo=lambda _: None)
    monkeypatch.setattr(BatchClient, "create", real_create)
    moved = settings_for(moved_to)
    await submit(job, inputs=inputs, output=str(out), settings=moved, options=OPTIONS,
                 echo=lambda _: None, override=("base_url",))
    assert len(made_on.api.batches) == 1 and not moved_to.api.batches
    outcome = await collect(job, settings=moved, options=OPTIONS, output=None, wait=True,
                            echo=lambda _: None, override=("base_url",))
    assert outcome.finished and [r.id for r in read_records(out)] == ids
    found = await status(job, settings=moved, override=("base_url",))
    assert [b["base_url"] for b in found["batches"]] == [made_on.base_url]
    assert calls_to(moved_to) == 0


def test_status_reads_the_endpoint_variables_the_other_commands_read():
    from summarize.cli.batch_cmd import batch

    def envvars(command: str) -> list[str]:
        [option] = [p for p in batch.commands[command].params if p.name == "base_url"]
        return list(option.envvar)

    assert envvars("status") == envvars("submit") == envvars("collect")
    assert "OPENAI_BASE_URL" in envvars("status") and "SUMMARIZE_BASE_URL" in envvars("status")


async def test_an_old_job_without_endpoints_per_batch_is_read_at_the_jobs(tmp_path, batch_server):
    server = batch_server()
    inputs, ids = articles_file(tmp_path, 2)
    job = tmp_path / "job.json"
    await submit(job, inputs=inputs, output=None, settings=settings_for(server), options=OPTIONS,
                 echo=lambda _: None)
    _, state = open_job(job)
    state.db.execute("UPDATE parts SET base_url = NULL")
    state.close()
    found = await status(job, settings=settings_for(server))
    assert found["batches"][0]["status"] == "in_progress"


# ---- a rerun on an existing job gives the job's inputs and settings, or stops ---------------


def test_run_batch_api_on_a_job_made_for_other_inputs_stops(tmp_path, batch_server):
    from tests.conftest import GOLD_DIR
    from tests.fake_batch_api import write_copies

    server = batch_server()
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 3)
    write_copies(tmp_path / "others.jsonl", GOLD_DIR, 5)
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}
    args = ("-o", "out.jsonl", "--batch-api", "--poll-interval", "0.01")
    first = run_cli("run", "articles.jsonl", *args, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    other = run_cli("run", "others.jsonl", *args, cwd=tmp_path, env=env)
    assert other.returncode == 2
    [line] = other.stderr.splitlines()
    assert "was made for" in line and "articles.jsonl" in line and "choose another --job" in line
    model = run_cli("run", "articles.jsonl", *args, "--model", "gpt-4o", cwd=tmp_path, env=env)
    assert model.returncode == 2
    assert "was made for --model gpt-4o-mini (not gpt-4o); choose another --job" in model.stderr
    assert len(read_records(tmp_path / "out.jsonl")) == 3


@pytest.mark.parametrize("change", [dict(temperature=0.7), dict(seed=7), dict(strict=True),
                                    dict(max_tokens=100), dict(mode="json_schema"),
                                    dict(prompt="neutral-v1")])
async def test_submit_again_with_another_answer_setting_stops(tmp_path, batch_server, change):
    from summarize.errors import ConfigError

    server = batch_server()
    inputs, ids = articles_file(tmp_path, 2)
    job = tmp_path / "job.json"
    await submit(job, inputs=inputs, output=None, settings=settings_for(server), options=OPTIONS,
                 echo=lambda _: None)
    with pytest.raises(ConfigError, match="was made for .*choose another --job"):
        await submit(job, inputs=inputs, output=None, settings=settings_for(server, **change),
                     options=OPTIONS, echo=lambda _: None)
    assert len(server.api.batches) == 1


async def test_a_folder_that_gained_an_article_is_not_the_jobs_input(tmp_path, batch_server):
    from summarize.errors import ConfigError

    server = batch_server()
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Title A\n\nShelling killed 3 people in Idlib, a monitor said.")
    job = tmp_path / "job.json"
    await submit(job, inputs=[str(folder)], output=None, settings=settings_for(server),
                 options=OPTIONS, echo=lambda _: None)
    (folder / "b.txt").write_text("Title B\n\nAn airstrike hit a market in Ariha, residents said.")
    with pytest.raises(ConfigError, match="inputs changed since the job was made: after its last article they hold .*b.txt"):
        await submit(job, inputs=[str(folder)], output=None, settings=settings_for(server),
                     options=OPTIONS, echo=lambda _: None)


def test_collect_refuses_every_answer_setting_that_differs_from_the_jobs(tmp_path, batch_server):
    from tests.conftest import GOLD_DIR
    from tests.fake_batch_api import write_copies

    server = batch_server()
    write_copies(tmp_path / "articles.jsonl", GOLD_DIR, 2)
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}
    made = run_cli("batch", "submit", "articles.jsonl", "--job", "job.json", cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    for flags in (["--temperature", "0.5"], ["--seed", "3"], ["--strict"], ["--prompt", "neutral-v1"]):
        refused = run_cli("batch", "collect", "--job", "job.json", "-o", "out.jsonl", *flags,
                          cwd=tmp_path, env=env)
        assert refused.returncode == 2, flags
        assert "was made for" in refused.stderr and "choose another --job" in refused.stderr
    same = run_cli("batch", "collect", "--job", "job.json", "-o", "out.jsonl", "--temperature", "0",
                   "--no-strict", cwd=tmp_path, env=env)
    assert same.returncode == 1 and "not finished" in same.stderr


# ---- commands that meet: a collect writing the state, a status reading it -------------------


def _lock(job_path) -> object:
    """Another process's write transaction on the job's state (as a collect holds one
    while it applies a batch's lines)."""
    import sqlite3

    _, state = open_job(job_path)
    state.close()
    other = sqlite3.connect(job_path.parent / "job.files" / "state.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


async def test_status_while_another_command_writes_the_state_shows_without_recording(
        tmp_path, batch_server):
    server = batch_server()
    inputs, ids = articles_file(tmp_path, 2)
    job = tmp_path / "job.json"
    await submit(job, inputs=inputs, output=None, settings=settings_for(server), options=OPTIONS,
                 echo=lambda _: None)
    before = job.read_bytes()
    other = _lock(job)
    try:
        found = await status(job, settings=settings_for(server))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert found["batches"][0]["status"] == "in_progress"  # read fresh, shown
    assert job.read_bytes() == before  # not recorded
    _, state = open_job(job)
    assert state.parts()[0].status == "validating"
    state.close()


async def test_a_pass_holds_no_write_transaction_while_articles_are_replayed(
        tmp_path, batch_server, monkeypatch):
    import sqlite3

    from summarize.batch import job_pass

    server = batch_server(break_rate=0.5)
    inputs, ids = articles_file(tmp_path, 6)
    job = tmp_path / "job.json"
    settings = settings_for(server)
    await submit(job, inputs=inputs, output=str(tmp_path / "out.jsonl"), settings=settings,
                 options=OPTIONS, echo=lambda _: None)
    real_replay = job_pass.replay_article
    writable: list[bool] = []

    async def replay_while_status_writes(*args, **kwargs):
        other = sqlite3.connect(job.parent / "job.files" / "state.sqlite", isolation_level=None,
                                timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            writable.append(True)
        except sqlite3.OperationalError:
            writable.append(False)
        finally:
            other.close()
        return await real_replay(*args, **kwargs)

    monkeypatch.setattr(job_pass, "replay_article", replay_while_status_writes)
    outcome = await collect(job, settings=settings, options=OPTIONS, output=None, wait=True,
                            echo=lambda _: None)
    assert outcome.finished and len(writable) >= 6 and all(writable)


def test_a_state_kept_locked_is_one_line_of_error(tmp_path, batch_server, monkeypatch):
    from click.testing import CliRunner

    from summarize.batch import job as job_module
    from summarize.cli import cli

    server = batch_server()
    inputs, ids = articles_file(tmp_path, 2)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    job = tmp_path / "job.json"
    runner = CliRunner()
    made = runner.invoke(cli, ["batch", "submit", *inputs, "--job", str(job)])
    assert made.exit_code == 0, made.output
    monkeypatch.setattr(job_module, "BUSY_TIMEOUT", 0.05)
    other = _lock(job)
    try:
        result = runner.invoke(cli, ["batch", "collect", "--job", str(job), "-o",
                                     str(tmp_path / "out.jsonl")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 2
    assert "Error: the job's state cannot be used now (database is locked)" in result.output
    assert "Traceback" not in result.output


# ---- export here, results from elsewhere ----------------------------------------------------


@pytest.mark.parametrize("export_url, collect_url", [
    (None, "http://127.0.0.1:9/v1"), ("http://gpu-host:8000/v1", None),
    ("http://gpu-host:8000/v1", "http://127.0.0.1:9/v1")])
async def test_collect_results_reads_an_export_made_for_another_endpoint(tmp_path, export_url,
                                                                         collect_url):
    from summarize.batch.api_jobs import collect_results, export
    from summarize.settings import Settings
    from tests.conftest import GOLD_DIR
    from tests.fake_batch_api import FakeBatchAPI, copies_oracle, run_batch_file

    api = FakeBatchAPI(copies_oracle(GOLD_DIR))
    inputs, ids = articles_file(tmp_path, 4)
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"

    def settings(url):
        return Settings(backend="openai", model="served-model", base_url=url, api_key=None)

    await export(inputs, requests, settings=settings(export_url), options=OPTIONS, job_path=None,
                 echo=lambda _: None)
    run_batch_file(api, requests, results)
    out = tmp_path / "out.jsonl"
    outcome = await collect_results(inputs, results, output=str(out), job_path=tmp_path / "j.json",
                                    settings=settings(collect_url), options=OPTIONS, wait=True,
                                    echo=lambda _: None)
    records = read_records(out)
    assert outcome.finished and [r.id for r in records] == ids
    assert all(r.ok and r.usage.requests == 1 and r.provenance.strict for r in records)
    assert api.answered_lines == 4


@pytest.mark.parametrize("pricing", ["auto", "openai"])
async def test_answers_from_another_engine_are_priced_only_when_asked(tmp_path, pricing):
    """An export made with no base URL is answered by vLLM, not at OpenAI's batch price."""
    from summarize.batch.api_jobs import collect_results, export
    from summarize.settings import Settings
    from tests.conftest import GOLD_DIR
    from tests.fake_batch_api import FakeBatchAPI, copies_oracle, run_batch_file

    api = FakeBatchAPI(copies_oracle(GOLD_DIR))
    inputs, ids = articles_file(tmp_path, 2)
    settings = Settings(backend="openai", model="gpt-4o-mini", api_key=None, pricing=pricing)
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    await export(inputs, requests, settings=settings, options=OPTIONS, job_path=None,
                 echo=lambda _: None)
    run_batch_file(api, requests, results)
    out = tmp_path / "out.jsonl"
    outcome = await collect_results(inputs, results, output=str(out), job_path=tmp_path / "j.json",
                                    settings=settings, options=OPTIONS, wait=True,
                                    echo=lambda _: None)
    costs = [r.usage.cost_usd for r in read_records(out)]
    if pricing == "auto":
        assert costs == [None, None] and "cost unknown" in outcome.tally.cost_text()
    else:
        assert all(cost and cost > 0 for cost in costs)


# ---- a batch the endpoint no longer knows ---------------------------------------------------


def test_a_batch_the_endpoint_no_longer_knows_is_resent_only_when_named_lost(tmp_path,
                                                                            batch_server):
    """A 404 on reading a batch stops collect (exit 1) and says how to go on; only
    ``--lost-batch ID`` sends its unanswered requests again, in a new batch, and an id
    the job does not hold is a usage error."""
    server = batch_server()
    inputs, ids = articles_file(tmp_path, 4)
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY}
    submitted = run_cli("batch", "submit", *inputs, "--job", "job.json", "-o", "out.jsonl",
                        "--model", "gpt-4o-mini", cwd=tmp_path, env=env)
    assert submitted.returncode == 0, submitted.stderr
    [gone] = list(server.api.batches)
    del server.api.batches[gone]  # the endpoint forgot it
    stopped = run_cli("batch", "collect", "--job", "job.json", "--wait", "--poll-interval",
                      "0.01", cwd=tmp_path, env=env)
    assert stopped.returncode == 1, stopped.stderr
    assert "404" in stopped.stderr and f"--lost-batch {gone}" in stopped.stderr
    assert not server.api.batches and "Traceback" not in stopped.stderr
    unknown = run_cli("batch", "collect", "--job", "job.json", "--lost-batch", "batch_nope",
                      cwd=tmp_path, env=env)
    assert unknown.returncode == 2 and "batch_nope" in unknown.stderr
    resumed = run_cli("batch", "collect", "--job", "job.json", "--wait", "--poll-interval",
                      "0.01", "--lost-batch", gone, "--pricing", "openai", cwd=tmp_path, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"batch {gone} is unknown to the endpoint (404) and named lost" in resumed.stderr
    assert "4 of 4 articles: 4 ok, 0 failed" in resumed.stderr
    assert [r.id for r in read_records(tmp_path / "out.jsonl")] == ids
    [again] = list(server.api.batches)
    assert server.api.batches[again]["request_counts"]["total"] == 4
    shown = run_cli("batch", "status", "--job", "job.json", "--json", cwd=tmp_path, env=env)
    assert [b["status"] for b in json.loads(shown.stdout)["batches"]] == ["lost", "completed"]
