"""``summarize run`` as a user runs it: a real subprocess against the fake server.

Checks exit codes, what goes to stdout and stderr, the output formats, the dry run and
the cache across two processes (counted at the server)."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.fake_openai import answer
from tests.test_batch import GOOD, InFlight
from tests.test_client import ARTICLE
from tests.conftest import run_cli, subprocess_env

ROOT = Path(__file__).resolve().parent.parent


def write_articles(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    """``count`` distinct .txt articles that the fake server's GOOD answer grounds in."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = folder / f"a{number:03d}.txt"
        path.write_text(f"Dispatch {number}\n{ARTICLE} Dispatch {number}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def model_flags(server) -> Sequence[str]:
    return ("--base-url", server.base_url, "--model", "gpt-4o-mini", "--max-retries", "0",
            "--max-reasks", "0")


def test_run_writes_one_record_per_article_and_exits_0(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.01))
    write_articles(tmp_path / "in", 5)
    result = run_cli("run", "in", "-o", "out.jsonl", "-j", "3", *model_flags(server), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    records = read_records(tmp_path / "out.jsonl")
    assert [r["article"]["path"] for r in records] == [f"in/a{n:03d}.txt" for n in range(5)]
    assert all(r["status"] == "ok" for r in records)
    assert len(server.requests) == 5
    summary = result.stderr.strip().splitlines()[-1]
    assert "5 of 5 articles: 5 ok, 0 failed" in summary and "5 requests" in summary
    assert "out.jsonl" in summary
    assert result.stdout == ""


def test_second_unchanged_run_sends_zero_requests(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 4)
    first = run_cli("run", "in", "-o", "one.jsonl", *model_flags(server), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert len(server.requests) == 4
    second = run_cli("run", "in", "-o", "two.jsonl", *model_flags(server), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert len(server.requests) == 4, "the second run sent requests"
    assert "4 cached" in second.stderr and "0 requests" in second.stderr
    records = read_records(tmp_path / "two.jsonl")
    assert all(r["provenance"]["cached"] and r["usage"]["requests"] == 0 for r in records)


def test_some_failed_exits_1_and_names_them(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 2)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "scan.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    result = run_cli("run", "in", "-o", "out.jsonl", *model_flags(server), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    records = {Path(r["article"]["path"]).name: r for r in read_records(tmp_path / "out.jsonl")}
    assert len(records) == 4
    assert records["empty.txt"]["error"]["message"].endswith("empty file")
    assert "PDF" in records["scan.txt"]["error"]["message"]
    assert "2 ok, 2 failed (2 input_error)" in result.stderr
    assert "failed empty.txt: input_error" in result.stderr
    assert len(server.requests) == 2


@pytest.mark.parametrize("args, message", [
    (("run", "nothing-here"), "no articles found"),
    (("run", "in", "-j", "0"), "Invalid value for '-j' / '--concurrency'"),
    (("run", "in", "--format", "yaml"), "Invalid value for '-f' / '--format'"),
    (("run", "in", "--backend", "openai"), "OPENAI_API_KEY"),
    (("run", "in", "-o", "precious.jsonl", "--backend", "rules"), "refusing to overwrite"),
])
def test_usage_and_configuration_errors_exit_2(tmp_path: Path, args, message):
    write_articles(tmp_path / "in", 1)
    (tmp_path / "nothing-here").mkdir()
    (tmp_path / "precious.jsonl").write_text('{"mine": true}\n')
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "precious.jsonl").read_text() == '{"mine": true}\n'


def test_dry_run_estimates_without_calling_the_model(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    result = run_cli("run", "in", "-o", "out.jsonl", "--dry-run", *model_flags(server), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(server.requests) == 0
    assert not (tmp_path / "out.jsonl").exists()
    assert ("4 articles: 3 to send, 0 already done in the output, 0 in the cache, 1 unusable"
            in result.stdout)
    tokens = int(result.stdout.split("about ")[1].split(" prompt tokens")[0].replace(",", ""))
    assert tokens > 3 * 1000, "the estimate should count the prompt, schema and article"
    # a local server is not OpenAI: its answers have no known price
    assert "cost: unknown" in result.stdout and "unusable empty.txt" in result.stdout


def test_dry_run_prices_openai_models_from_the_table(tmp_path: Path):
    write_articles(tmp_path / "in", 2)
    result = run_cli("run", "in", "--dry-run", "--backend", "openai", "--model", "gpt-4o-mini",
                     cwd=tmp_path, env={"OPENAI_API_KEY": "test-key-not-secret"})
    assert result.returncode == 0, result.stderr
    assert "cost: about $" in result.stdout


def test_dry_run_counts_what_the_cache_already_holds(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 3)
    first = run_cli("run", "in/a000.txt", "-o", "one.jsonl", *model_flags(server), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    result = run_cli("run", "in", "--dry-run", *model_flags(server), cwd=tmp_path)
    assert "3 articles: 2 to send, 0 already done in the output, 1 in the cache" in result.stdout
    assert len(server.requests) == 1


def test_stdout_gets_jsonl_in_input_order_and_stdin_is_an_input(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 3)
    result = run_cli("run", "in", "-", "-j", "4", *model_flags(server), cwd=tmp_path,
                     stdin=f"From stdin\n{ARTICLE} Dispatch from stdin.")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article"]["path"] for r in records] == ["in/a000.txt", "in/a001.txt", "in/a002.txt", "-"]
    assert records[3]["article"]["title"] == "From stdin"


@pytest.mark.parametrize("name, check", [
    ("out.csv", lambda text: next(csv.reader([text.splitlines()[0]]))[0] == "id"),
    ("out.md", lambda text: text.startswith("# Summaries of 2 articles")),
    ("out.json", lambda text: len(json.loads(text)) == 2),
])
def test_other_formats_are_written_from_the_journal(fake_server, tmp_path: Path, name, check):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 2)
    result = run_cli("run", "in", "-o", name, *model_flags(server), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert check((tmp_path / name).read_text(encoding="utf-8"))
    assert not (tmp_path / f"{name}.partial.jsonl").exists(), "the journal was left behind"


def test_quiet_prints_nothing_on_stderr(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 2)
    result = run_cli("run", "in", "-o", "out.jsonl", "--quiet", *model_flags(server), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == ""


def test_the_output_inside_an_input_folder_is_not_read_as_input(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 2)
    for _ in range(2):
        result = run_cli("run", "in", "-o", "in/out.jsonl", *model_flags(server), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert len(read_records(tmp_path / "in" / "out.jsonl")) == 2


def test_auto_backend_without_endpoint_uses_rules_and_says_so(tmp_path: Path):
    write_articles(tmp_path / "in", 2)
    result = run_cli("run", "in", "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    notice = [line for line in result.stderr.splitlines() if "rules backend" in line]
    assert len(notice) == 1 and "no model endpoint configured" in notice[0]
    assert {r["provenance"]["backend"] for r in read_records(tmp_path / "out.jsonl")} == {"rules"}


def test_the_example_articles_give_45_records_and_exit_0(tmp_path: Path):
    result = run_cli("run", str(ROOT / "examples" / "articles"), "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    records = read_records(tmp_path / "out.jsonl")
    assert len(records) == 45
    assert len({r["id"] for r in records}) == 45
    assert all(r["status"] == "ok" for r in records)


class _HoldAfter:
    """Answers the first ``answered`` requests at once and holds every later one until
    ``release`` is set: the run is provably mid-way while a request is held."""

    def __init__(self, answered: int) -> None:
        self.answered = answered
        self.held = threading.Event()
        self.release = threading.Event()

    def __call__(self, request: dict, index: int):
        if index >= self.answered:
            self.held.set()
            self.release.wait(60)
        return answer(GOOD)


def test_ctrl_c_stops_the_run_with_exit_130_and_keeps_the_finished_records(fake_server,
                                                                            tmp_path: Path):
    responder = _HoldAfter(answered=2)
    server = fake_server(responder)
    write_articles(tmp_path / "in", 6)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "summarize", "run", "in", "-o", "out.jsonl",
                                "-j", "1", *model_flags(server)], cwd=tmp_path,
                               env=subprocess_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        # Mid-run, provably: two records are on disk and a third request is held.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
                responder.held.is_set() and out.exists()
                and len(out.read_text().splitlines()) >= 2):
            time.sleep(0.05)
        assert responder.held.is_set(), "the run did not get going"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        responder.release.set()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "Interrupted after" in err and "Rerun the same command to resume" in err
    assert "Traceback" not in err
    done = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(done) == 2 and all(r["status"] == "ok" for r in done)
