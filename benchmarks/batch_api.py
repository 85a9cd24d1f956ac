"""The Batch API end to end against a fake Batch API server, with faults, and a kill.

    python benchmarks/batch_api.py [--articles 1000] [--fail 0.05] [--break 0.10]
                                   [--per-file 500] [--kill-after 300]

Starts tests.fake_batch_api's server in a child process: it answers every article with
the gold labels of the dev gold article it copies, gives a 500 to ``--fail`` of the
lines it runs, answers ``--break`` of the first asks with an answer
that breaks the schema (a quote not in the article, or no summary), lets the first
batch expire half done, and writes output lines out of order. Then, as a user would,
in subprocesses:

    summarize batch submit ARTICLES.jsonl --job job.json -o out.jsonl --model gpt-4o-mini
        --pricing openai --max-requests-per-file PER_FILE
    summarize batch collect --job job.json --wait        (SIGKILLed once out.jsonl has
                                                           --kill-after records)
    summarize batch collect --job job.json --wait        (the same command, to the end)

and prints, computed from the files and the server: records and distinct ids, ok share,
re-asks in the usage against the answers the server broke, requests and batches sent,
the largest number of batches any one request was in, cost at batch prices against
the same tokens at live prices, and how many ok records carry the same summary and
warnings (spans included) as the live path's records of the same articles and answers
(``summarize.batch.arun_batch`` against a fake live server with the same oracle).
Goals (issue 12): one record per article, at least 98% ok, every broken answer re-asked
and counted, no record written twice, cost at batch prices.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _serve(options: dict[str, Any], out: Any, commands: Any) -> None:
    """Child process: the fake Batch API server; answers "stats" with its counters."""
    from tests.conftest import GOLD_DIR
    from tests.fake_batch_api import FakeBatchAPI, FakeBatchServer, copies_oracle

    api = FakeBatchAPI(copies_oracle(GOLD_DIR), **options)
    with FakeBatchServer(api) as server:
        out.put(server.base_url)
        while True:
            command = commands.get()
            with api.lock:
                out.put({"batches": len(api.batches), "broken": api.broken_answers,
                         "failed_lines": api.failed_lines, "answered": api.answered_lines,
                         "most_batches_per_request": max(api.seen.values(), default=0),
                         "requests_in_batches": sum(b["request_counts"]["total"]
                                                    for b in api.batches.values()),
                         "statuses": Counter(b["status"] for b in api.batches.values())})
            if command == "stop":
                return


class Server:
    """The fake Batch API server in a child process of its own."""

    def __init__(self, **options: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self._out, self._commands = context.Queue(), context.Queue()
        self._process = context.Process(target=_serve, args=(options, self._out, self._commands),
                                        daemon=True)

    def __enter__(self) -> Server:
        self._process.start()
        self.base_url = self._out.get(timeout=60)
        return self

    def stats(self) -> dict[str, Any]:
        self._commands.put("stats")
        return self._out.get(timeout=30)

    def __exit__(self, *exc: object) -> None:
        self._commands.put("stop")
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()


def _cli(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "summarize", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _lines(path: Path) -> int:
    try:
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.endswith(b"\n"))
    except FileNotFoundError:
        return 0


def run(articles: int, fail: float, broken: float, per_file: int, kill_after: int,
        work: Path) -> dict[str, Any]:
    """Run the scenario in ``work``; the figures."""
    from tests.conftest import GOLD_DIR
    from tests.fake_batch_api import write_copies

    ids = write_copies(work / "articles.jsonl", GOLD_DIR, articles)
    figures: dict[str, Any] = {"articles": articles}
    with Server(fail_rate=fail, break_rate=broken, expire=[1], shuffle=True,
                max_requests=per_file) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url,
               "OPENAI_API_KEY": "sk-benchmark-not-a-secret", "SUMMARIZE_CACHE_DIR": str(work / "cache")}
        started = time.monotonic()
        submit = _cli("batch", "submit", "articles.jsonl", "--job", "job.json", "-o", "out.jsonl",
                      "--model", "gpt-4o-mini", "--pricing", "openai",
                      "--max-requests-per-file", str(per_file), cwd=work, env=env)
        _, err = submit.communicate(timeout=600)
        if submit.returncode != 0:
            raise SystemExit(f"submit failed: {err}")
        collect_args = ("batch", "collect", "--job", "job.json", "--wait", "--poll-interval",
                        "0.05", "--pricing", "openai")
        first = _cli(*collect_args, cwd=work, env=env)
        while first.poll() is None and _lines(work / "out.jsonl") < kill_after:
            time.sleep(0.01)
        killed = first.poll() is None
        if killed:
            first.send_signal(signal.SIGKILL)
        first.wait()
        figures["first collect killed"] = killed
        figures["killed collect: records in out.jsonl"] = _lines(work / "out.jsonl")
        second = _cli(*collect_args, cwd=work, env=env)
        _, err = second.communicate(timeout=1200)
        figures["wall seconds (submit + both collects)"] = round(time.monotonic() - started, 1)
        figures["collect exit status"] = second.returncode
        lines = err.splitlines()
        found = [re.search(r"holds (\d+) record\(s\) of this job", line) for line in lines]
        figures["records of this job the resumed collect found (not rewritten)"] = next(
            (int(match.group(1)) for match in found if match), 0)
        figures["resumed collect's last line"] = lines[-1] if lines else ""
        stats = server.stats()
    records = [json.loads(line) for line in (work / "out.jsonl").read_text().splitlines()]
    by_id = Counter(r["id"] for r in records)
    ok = [r for r in records if r["status"] == "ok"]
    figures.update({
        "records": len(records),
        "distinct ids": len(by_id),
        "ids as the inputs, in order": [r["id"] for r in records] == ids,
        "records of one article, most": max(by_id.values()),
        "ok": len(ok),
        "ok share": round(len(ok) / len(records), 4),
        "errors": dict(Counter(r["error"]["reason"] for r in records if r["error"])),
        "answers the server broke": stats["broken"],
        "re-asks in the usage": sum(r["usage"]["reasks"] for r in records),
        "lines the server failed (500)": stats["failed_lines"],
        "lines the server ran": stats["answered"] + stats["failed_lines"],
        "batches": stats["batches"],
        "batch statuses": dict(stats["statuses"]),
        "requests in batches": stats["requests_in_batches"],
        "requests in the usage": sum(r["usage"]["requests"] for r in records),
        "most batches one request was in": stats["most_batches_per_request"],
    })
    tokens = [sum(r["usage"][k] for r in records) for k in ("prompt_tokens", "completion_tokens")]
    from summarize.records import PRICES_PER_MTOK

    prompt_price, completion_price = PRICES_PER_MTOK["gpt-4o-mini"]
    live_cost = (tokens[0] * prompt_price + tokens[1] * completion_price) / 1e6
    figures["tokens (prompt, completion)"] = tokens
    figures["cost in the records, USD"] = round(sum(r["usage"]["cost_usd"] or 0 for r in records), 6)
    figures["the same tokens at live prices, USD"] = round(live_cost, 6)
    figures.update(_compare_with_live(work, ok))
    return figures


def _compare_with_live(work: Path, ok: list[dict[str, Any]]) -> dict[str, Any]:
    """How many ok records equal the live path's (summary and warnings) for the article."""
    from summarize.inputs import load_articles
    from summarize.batch import BatchOptions, arun_batch
    from summarize.records import Record
    from summarize.settings import Settings
    from tests.conftest import GOLD_DIR
    from tests.fake_batch_api import copies_oracle
    from tests.fake_openai import FakeOpenAIServer

    with FakeOpenAIServer(copies_oracle(GOLD_DIR), keep_requests=False) as live:
        settings = Settings(backend="openai", base_url=live.base_url, api_key="sk-benchmark-x",
                            model="gpt-4o-mini")
        records = asyncio.run(arun_batch(load_articles([work / "articles.jsonl"]), settings,
                                         options=BatchOptions(use_cache=False, concurrency=16)))
    live_by_id = {r.id: r for r in records}
    same = 0
    for line in ok:
        record = Record.model_validate(line)
        other = live_by_id[record.id]
        same += record.summary == other.summary and record.warnings == other.warnings
    return {"ok records grounded as the live path's (summary, spans, warnings)": f"{same} of {len(ok)}"}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--fail", type=float, default=0.05, help="share of lines given a 500")
    parser.add_argument("--break", dest="broken", type=float, default=0.10,
                        help="share of first answers that break the schema")
    parser.add_argument("--per-file", type=int, default=500, help="requests per batch file")
    parser.add_argument("--kill-after", type=int, default=300,
                        help="SIGKILL the first collect once out.jsonl has this many records")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="summarize-batch-api-") as scratch:
        figures = run(args.articles, args.fail, args.broken, args.per_file, args.kill_after,
                      Path(scratch))
    figures["load average at the end"] = f"{os.getloadavg()[0]:.1f}"
    for name, value in figures.items():
        print(f"{name}: {value}")
    return figures


if __name__ == "__main__":
    main()
