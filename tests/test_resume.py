"""Resume: a run killed with SIGKILL mid-batch and rerun with the same command ends with
exactly one ok record per article, sending only what was not done.

The first run is a real ``summarize run`` subprocess against the fake server (each answer
delayed), killed once a few records are in the output. The cache is off in both runs, so
that what the rerun skips is skipped by the resume alone.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fake_openai import article_text_of, status
from tests.test_batch import InFlight
from tests.conftest import run_cli
from tests.test_cli_run import model_flags, read_records, write_articles
from tests.conftest import subprocess_env

ARTICLES = 16


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    env = subprocess_env()
    return subprocess.Popen([sys.executable, "-m", "summarize", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_sigkill_mid_batch_then_rerun_gives_one_ok_record_per_article(fake_server, tmp_path: Path):
    first_run = {"on": True}
    answer_slowly = InFlight(delay=0.25)

    def responder(request, index):
        # In the first run the first article is refused: the rerun must retry it.
        if first_run["on"] and "Dispatch 0." in article_text_of(request):
            return status(400, "refused in the first run")
        return answer_slowly(request, index)

    server = fake_server(responder)
    write_articles(tmp_path / "in", ARTICLES)
    out = tmp_path / "out.jsonl"
    command = ["run", "in", "-o", "out.jsonl", "-j", "2", "--no-cache", *model_flags(server)]

    process = _start(command, tmp_path)
    deadline = time.monotonic() + 90
    while _lines(out) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"

    before = read_records(out)
    assert 5 <= len(before) < ARTICLES, "the kill did not land mid-batch"
    ok_before = {r["id"] for r in before if r["status"] == "ok"}
    assert any(r["status"] == "error" for r in before), "the refused article is not in the output"
    # A torn last line, as a crash of the machine mid-write would leave.
    with open(out, "ab") as file:
        file.write(b'{"id":"torn","status":"ok","article":{"id":"to')

    first_run["on"] = False
    sent_before = len(server.requests)
    result = run_cli(*command, cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    after = read_records(out)
    assert len(after) == ARTICLES
    assert all(r["status"] == "ok" for r in after)
    assert len({r["id"] for r in after}) == ARTICLES
    assert [r["article"]["path"] for r in after] == [f"in/a{n:03d}.txt" for n in range(ARTICLES)]
    assert len(server.requests) - sent_before == ARTICLES - len(ok_before), \
        "the rerun sent articles that were already done"
    assert f"{len(ok_before)} resumed" in result.stderr
    assert "torn last line" in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_article_whose_text_changed_is_redone(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    paths = write_articles(tmp_path / "in", 3)
    source = tmp_path / "in.jsonl"
    rows = [{"id": f"story-{n}", "title": p.stem, "text": p.read_text().split("\n", 1)[1]}
            for n, p in enumerate(paths)]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    command = ["run", "in.jsonl", "-o", "out.jsonl", "--no-cache", *model_flags(server)]
    assert run_cli(*command, cwd=tmp_path).returncode == 0
    assert len(server.requests) == 3

    rows[1]["text"] += " A correction was added."
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    assert run_cli(*command, cwd=tmp_path).returncode == 0
    assert len(server.requests) == 4, "only the changed article is sent again"
    after = read_records(tmp_path / "out.jsonl")
    assert [r["id"] for r in after] == ["story-0", "story-1", "story-2"]
    assert after[1]["article"]["text"].endswith("A correction was added.")


def test_no_resume_redoes_everything(fake_server, tmp_path: Path):
    server = fake_server(InFlight(delay=0.0))
    write_articles(tmp_path / "in", 2)
    command = ["run", "in", "-o", "out.jsonl", "--no-cache", *model_flags(server)]
    assert run_cli(*command, cwd=tmp_path).returncode == 0
    assert run_cli(*command, cwd=tmp_path).returncode == 0
    assert len(server.requests) == 2, "the second run should have resumed"
    assert run_cli(*command, "--no-resume", cwd=tmp_path).returncode == 0
    assert len(server.requests) == 4
    assert len(read_records(tmp_path / "out.jsonl")) == 2
