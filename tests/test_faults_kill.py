"""SIGKILL at any moment: the output holds whole records, a rerun completes it.

Each record is appended as one ``os.write`` of the whole line (summarize.batch.writers). Linux
can still cut a large write short when SIGKILL arrives while it copies pages, so a record
bigger than a page may be left torn as the *last* line (never anywhere else); the next
run's sync cuts it off (``recover`` in tests/test_writers.py). The first test provokes
exactly that with records of 2 MB; the second kills real ``summarize run`` processes mid-batch, under
injected faults, and reruns until the batch is complete.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from summarize.batch.writers import JsonlJournal
from tests.fault_server import FaultServer, article_key
from tests.test_cli_run import read_records
from tests.test_client import ARTICLE
from tests.test_faults import FAST
from tests.test_writers import recover
from tests.conftest import subprocess_env

WRITER = """
import sys
from summarize.records import ArticleRef, Provenance, Record
from summarize.batch.writers import JsonlJournal
journal = JsonlJournal(sys.argv[1])
provenance = Provenance(backend="rules", schema_version="1", version="0")
for number in range(10**9):
    text = str(number % 10) * int(sys.argv[2])
    journal.append(Record(id=f"a{number}", status="ok", provenance=provenance,
                          article=ArticleRef(id=f"a{number}", text=text)))
"""


def _wait_for(path: Path, size: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.stat().st_size >= size:
            return
        time.sleep(0.005)
    raise AssertionError("the writer wrote nothing")


def test_a_killed_writer_leaves_whole_lines_but_the_last_and_recover_cuts_that_one(tmp_path: Path):
    rng = random.Random(6)
    record_chars = 2 * 2**20
    torn = 0
    for run in range(6):
        path = tmp_path / f"journal{run}.jsonl"
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(record_chars)],
                                  env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
        _wait_for(path, 2 * record_chars, writer)
        time.sleep(rng.uniform(0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        data = path.read_bytes()
        lines = data.split(b"\n")
        for line in lines[:-1]:  # every line before the last is a whole record
            json.loads(line)
        torn += bool(lines[-1])
        journal = JsonlJournal(path)
        records = recover(journal)
        assert len(records) == data.count(b"\n")
        assert [number for number, _ in journal.dropped] == ([len(lines)] if lines[-1] else [])
        repaired = path.read_bytes()
        assert repaired.endswith(b"\n") and repaired == data[: len(repaired)]
        assert all(json.loads(line) for line in repaired.splitlines())
    print(f"torn last lines: {torn} of 6 kills (records of {record_chars:,} characters)")


def test_runs_killed_mid_batch_under_faults_complete_on_rerun(tmp_path: Path):
    rng = random.Random(7)
    articles, jobs, kills = 40, 4, 3
    (tmp_path / "in").mkdir()
    for number in range(articles):
        (tmp_path / "in" / f"a{number:02d}.txt").write_text(f"D{number}\n{ARTICLE} No. {number}.\n")
    env = subprocess_env(FAST)
    command = [sys.executable, "-m", "summarize", "run", "in", "-o", "out.jsonl", "--timeout",
               "2", "--max-retries", "6", "--max-reasks", "3", "-j", str(jobs), "--no-cache"]
    out = tmp_path / "out.jsonl"
    with FaultServer(rate=0.3, seed=7, latency=0.05) as server:
        command += ["--base-url", server.base_url]
        for _ in range(kills):
            before = len(read_records(out)) if out.exists() else 0
            process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline and (
                    not out.exists() or out.read_bytes().count(b"\n") < before + 3):
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.2))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            lines = out.read_bytes().split(b"\n")
            for line in lines[:-1]:
                json.loads(line)
        final = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                               timeout=120)
    assert final.returncode == 0, final.stderr[-2000:]
    records = read_records(out)
    assert len(records) == articles and all(r["status"] == "ok" for r in records)
    assert [r["article"]["path"] for r in records] == [f"in/a{n:02d}.txt" for n in range(articles)]
    answers = [server.answers[article_key(r["article"]["text"])] for r in records]
    assert min(answers) >= 1
    # A kill loses at most the answers that were in flight; nothing else is asked again.
    assert sum(answers) - articles <= kills * jobs
