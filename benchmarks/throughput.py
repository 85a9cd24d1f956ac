"""Batch throughput against a model endpoint with a set latency.

    python benchmarks/throughput.py [--articles 200] [--latency 0.3] [--concurrency 32]
                                    [--repeat 3] [--cli | --sdk-only]

Starts tests.fake_openai.FakeOpenAIServer in a child process (a server of its own, as a
real endpoint is), answering every request after ``--latency`` seconds with a valid
summary of the article. Synthesises ``--articles`` distinct articles and runs them
through the batch runner with ``--concurrency`` articles in flight:

- by default through ``summarize.batch.arun_batch`` with each record appended to a JSONL
  journal (one write + fsync per record, as ``summarize run -o`` does), timing the batch
  after a one-article warm-up (the process's one-time imports and set-up);
- with ``--cli``, through the real command ``summarize run DIR -o out.jsonl`` in a
  subprocess, timing the whole process (interpreter start and imports included);
- with ``--sdk-only``, the same requests through the bare openai SDK (no instructor,
  validation, grounding, cache or journal): the floor the runner's own work adds to.

It runs the batch ``--repeat`` times on new articles and prints, for each run, the
measured time, its ratio to the ideal time (articles x latency / concurrency) and the
requests the server received, then the median ratio; then it runs the first batch again
and prints the requests that rerun sent (the cache should answer all of it: 0). Every
figure is measured by this invocation; the goal for the defaults is a ratio below 1.3.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.3

_SENTENCES = [
    "At least 12 civilians were killed on Monday when shells hit a market in Kafr Nabl, "
    "the Syrian Observatory for Human Rights said.",
    "State news agency SANA said army units liberated two villages from terrorist groups "
    "near the town.",
    "Dozens of fighters were wounded in the clashes.",
]
#: The fake model's answer: every quote is a sentence of every synthesised article.
ANSWER: dict[str, Any] = {
    "summary": "Shelling killed at least 12 civilians in Kafr Nabl, according to the Syrian "
    "Observatory for Human Rights. SANA said army units took two villages from groups it "
    "described as \"terrorist groups\".",
    "events": [{"description": "Shells hit a market.", "event_type": "shelling",
                "location": "Kafr Nabl", "date_text": "on Monday", "actors": []}],
    "claims": [{"claim": "At least 12 civilians were killed in shelling.",
                "source": "the Syrian Observatory for Human Rights", "source_type": "monitor",
                "cue": "said", "quote": _SENTENCES[0], "direct_quote": False}],
    "casualties": [{"quantity_text": "At least 12", "outcome": "killed", "victims": "civilians",
                    "victim_category": "civilian", "quantity_type": "at_least", "low": 12,
                    "high": None, "stated_by": "the Syrian Observatory for Human Rights",
                    "perpetrator": None, "quote": _SENTENCES[0]}],
    "loaded_terms": [{"term": "terrorist", "quote": _SENTENCES[1],
                      "neutral_alternative": "armed groups"}],
}


def article_text(number: int) -> str:
    """A distinct article (its own cache key) that every quote of ANSWER grounds in."""
    return " ".join(_SENTENCES) + f" The report was filed as dispatch number {number}."


def _serve(latency: float, commands: Any, answers: Any) -> None:
    """Child process: serve until told to stop; answer "count" with the requests so far."""
    from tests.fake_openai import FakeOpenAIServer, answer

    # Requests are counted, not kept: thousands of kept request bodies would make the
    # server's own garbage collection pause it, and that would be timed as the client's.
    responder = lambda request, index: answer(ANSWER, delay=latency)  # noqa: E731
    with FakeOpenAIServer(responder, keep_requests=False) as server:
        answers.put(server.base_url)
        while True:
            command = commands.get()
            answers.put(server.request_count)
            if command == "stop":
                return


class ServerProcess:
    """The fake server in a child process (its own interpreter and GIL, as a real endpoint
    has); :meth:`requests` asks it how many requests it has received."""

    def __init__(self, latency: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._commands = context.Queue()
        self._answers = context.Queue()
        self._process = context.Process(target=_serve, daemon=True,
                                        args=(latency, self._commands, self._answers))

    def __enter__(self) -> ServerProcess:
        self._process.start()
        self.base_url = self._answers.get(timeout=60)
        return self

    def requests(self) -> int:
        """Requests received so far."""
        self._commands.put("count")
        return self._answers.get(timeout=30)

    def __exit__(self, *exc: object) -> None:
        if self._process.is_alive():
            self._commands.put("stop")
            self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)


def _articles(count: int, start: int = 0) -> list[Any]:
    from summarize.articles import article_from_text

    return [article_from_text(article_text(n), title=f"Dispatch {n}", source="Example News")
            for n in range(start, start + count)]


def _settings(base_url: str) -> Any:
    from summarize.settings import Settings

    return Settings(backend="openai", base_url=base_url, api_key="benchmark-no-key",
                    model="gpt-4o-mini", timeout=30)


def warm_up(base_url: str) -> float:
    """One article through the batch runner, uncached, so that the imports and set-up a
    process does once (the SDK's lazily loaded modules) are not timed as throughput."""
    from summarize.batch import BatchOptions, run_batch

    started = time.perf_counter()
    run_batch(_articles(1, start=10**6), _settings(base_url), options=BatchOptions(use_cache=False))
    return time.perf_counter() - started


def _run_api(base_url: str, count: int, concurrency: int, work: Path,
             cache_dir: Path, start: int = 0) -> tuple[float, float]:
    """(wall, CPU) seconds ``arun_batch`` takes, each record appended to a JSONL journal."""
    from summarize.batch import BatchOptions, arun_batch
    from summarize.batch.writers import JsonlJournal

    articles = _articles(count, start)
    options = BatchOptions(concurrency=concurrency, cache_dir=cache_dir)
    journal = JsonlJournal(work / "out.jsonl")
    journal.compact([])
    started, cpu = time.perf_counter(), time.process_time()
    with journal:
        records = asyncio.run(arun_batch(articles, _settings(base_url), options=options,
                                         on_record=journal.append))
        journal.compact(records)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    failed = [r for r in records if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} articles failed, e.g. {failed[0].error}")
    return elapsed, cpu


def _run_sdk(base_url: str, count: int, concurrency: int, work: Path,
             cache_dir: Path, start: int = 0) -> tuple[float, float]:
    """(wall, CPU) seconds the bare openai SDK takes for the same requests (the same rendered prompt
    and tool schema, no instructor, validation, grounding, cache or journal): the floor
    that the batch runner's own work adds to."""
    import openai

    from summarize.batch.runner import open_backend
    from summarize.model.ratelimit import RateLimits, limited_http_client
    from summarize.schema import ArticleSummary

    prompt = open_backend(_settings(base_url), limits=RateLimits(), concurrency=1).prompt
    assert prompt is not None
    tool = {"type": "function", "function": {"name": "ArticleSummary",
                                             "parameters": ArticleSummary.model_json_schema()}}
    articles = _articles(count, start)

    async def batch() -> float:
        http_client = limited_http_client(RateLimits(), connections=concurrency)
        client = openai.AsyncOpenAI(api_key="benchmark-no-key", base_url=base_url, max_retries=0,
                                    http_client=http_client)
        queue = list(reversed(articles))

        async def worker() -> None:
            while queue:
                article = queue.pop()
                await client.chat.completions.create(
                    model="gpt-4o-mini", messages=prompt.render(article), tools=[tool],
                    tool_choice={"type": "function", "function": {"name": "ArticleSummary"}})

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await client.close()

    started, cpu = time.perf_counter(), time.process_time()
    asyncio.run(batch())
    return time.perf_counter() - started, time.process_time() - cpu


def _run_cli(base_url: str, count: int, concurrency: int, work: Path,
             cache_dir: Path, start: int = 0) -> tuple[float, float]:
    """(wall, CPU) seconds the command ``summarize run`` takes, start to exit."""
    folder = work / f"articles-{start}"
    folder.mkdir(exist_ok=True)
    for n in range(start, start + count):
        (folder / f"{n:05d}.txt").write_text(f"Dispatch {n}\n{article_text(n)}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZE_"))}
    env.update(OPENAI_API_KEY="benchmark-no-key", SUMMARIZE_CACHE_DIR=str(cache_dir))
    command = [sys.executable, "-m", "summarize", "run", str(folder), "-o", str(work / f"out-{start}.jsonl"),
               "--base-url", base_url, "--model", "gpt-4o-mini", "--concurrency", str(concurrency),
               "--no-resume", "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"summarize run exited {done.returncode}: {done.stderr.strip()}")
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs, each on new articles; the median ratio is the result")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--cli", action="store_true", help="time the real command in a subprocess")
    how.add_argument("--sdk-only", action="store_true",
                     help="time the bare openai SDK on the same requests (the floor)")
    args = parser.parse_args()
    runner = _run_cli if args.cli else _run_sdk if args.sdk_only else _run_api
    ideal = args.articles * args.latency / args.concurrency
    runs: list[tuple[float, float, int]] = []
    with tempfile.TemporaryDirectory(prefix="summarize-bench-") as tmp:
        work, cache_dir = Path(tmp), Path(tmp) / "cache"
        with ServerProcess(args.latency) as server:
            warm = None if args.cli else warm_up(server.base_url)
            gc.freeze()  # as `summarize run` does after its imports (see summarize.cli)
            for number in range(args.repeat):
                before = server.requests()
                start = number * args.articles
                measured, cpu = runner(server.base_url, args.articles, args.concurrency, work,
                                       cache_dir, start)
                runs.append((measured, cpu, server.requests() - before))
            rerun, second = 0.0, 0
            if not args.sdk_only:
                before = server.requests()
                rerun, _ = runner(server.base_url, args.articles, args.concurrency, work, cache_dir)
                second = server.requests() - before
    if args.cli:
        print("runner       summarize run in a subprocess (timed from start to exit)")
    elif args.sdk_only:
        print("runner       the bare openai SDK, same requests (no instructor, grounding, cache)")
        print(f"warm-up      {warm:.2f} s for 1 article (imports and set-up, not timed below)")
    else:
        print("runner       summarize.batch.arun_batch + JSONL journal (fsync per record)")
        print(f"warm-up      {warm:.2f} s for 1 article (imports and set-up, not timed below)")
    print(f"articles     {args.articles}, latency {args.latency:.3f} s, concurrency {args.concurrency}")
    print(f"ideal        {ideal:.2f} s  (articles x latency / concurrency)")
    for number, (measured, cpu, requests) in enumerate(runs, start=1):
        print(f"run {number}        measured {measured:.2f} s, ratio {measured / ideal:.2f}, "
              f"cpu {cpu / args.articles * 1000:.1f} ms per article, {requests} requests")
    ratio = statistics.median(measured / ideal for measured, _, _ in runs)
    print(f"ratio        {ratio:.2f}  median of {len(runs)} runs (goal < {TARGET_RATIO})")
    if not args.sdk_only:
        print(f"rerun        {rerun:.2f} s, {second} requests (run 1's articles again: the cache answers)")
    return 0 if ratio < TARGET_RATIO and (second == 0 or args.sdk_only) else 1


if __name__ == "__main__":
    sys.exit(main())
