"""Batch throughput against a model endpoint with a set latency.

    python benchmarks/throughput.py [--articles 2000] [--latency 0.3] [--concurrency 128]
                                    [--repeat 3] [--workers 1] [--api | --sdk-only] [--chars 0]

Starts tests.fake_openai's server in a child process (benchmarks/synthetic.py: a server
of its own, as a real endpoint is), answering every request after ``--latency`` seconds
with a valid summary of the article, and synthesises ``--articles`` distinct articles:

- by default it runs the real command ``summarize run DIR -o out.jsonl -j N`` in a child
  process and times it whole, interpreter start and imports included, with its CPU
  time from the child's own rusage (``--workers N``: the same command with its model
  calls spread over N processes, whose CPU is counted too);
- with ``--api``, ``summarize.batch.stream_batch`` in this process, each record appended
  to a JSONL journal as ``summarize run -o`` does, timed after a one-article warm-up;
- with ``--sdk-only``, the same requests through the bare openai SDK (no instructor,
  validation, grounding, cache or journal): the floor the runner's own work adds to.

It runs the batch ``--repeat`` times on new articles and prints, for each run, the
measured time, its ratio to the ideal time (articles x latency / concurrency), the CPU
per article and the requests the server received, then the median ratio; then it runs
the first batch again and prints the requests that rerun sent (the cache should answer
all of it: 0). Every figure is measured by this invocation; the goal for the defaults
(issue 12) is a ratio below 1.3 and under 2 ms of CPU per article.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from synthetic import ROOT, ServerProcess, article_text, run_summarize

sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.3
TARGET_CPU_MS = 2.0
#: Characters per synthesised article (0: the three quoted sentences and a number).
CHARS = 0
#: Worker processes of the command (--workers).
WORKERS = 1


def _articles(count: int, start: int = 0) -> list[Any]:
    from summarize.articles import article_from_text

    return [article_from_text(article_text(n, chars=CHARS), title=f"Dispatch {n}",
                              source="Example News")
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
    """(wall, CPU) seconds ``stream_batch`` takes, each record appended to a JSONL journal
    and the journal put in input order at the end, as ``summarize run -o`` does."""
    from summarize.batch import BatchOptions
    from summarize.batch.journal import JsonlJournal
    from summarize.batch.runner import stream_batch

    articles = _articles(count, start)
    options = BatchOptions(concurrency=concurrency, cache_dir=cache_dir)
    (work / "out.jsonl").unlink(missing_ok=True)
    journal = JsonlJournal(work / "out.jsonl")
    spans: list[tuple[int, int]] = [(0, 0)] * count
    failed = []

    async def batch() -> None:
        async for item in stream_batch(articles, _settings(base_url), options=options):
            assert item.record is not None
            spans[item.index] = journal.append(item.record, item.line)
            if not item.record.ok:
                failed.append(item.record)

    started, cpu = time.perf_counter(), time.process_time()
    journal.open()
    journal.sync()
    asyncio.run(batch())
    journal.rewrite(spans)
    journal.close()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
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
        (folder / f"{n:05d}.txt").write_text(f"Dispatch {n}\n{article_text(n, chars=CHARS)}\n",
                                             encoding="utf-8")
    env = {"OPENAI_API_KEY": "benchmark-no-key", "SUMMARIZE_CACHE_DIR": str(cache_dir)}
    command = ["run", str(folder), "-o", str(work / f"out-{start}.jsonl"), "--base-url", base_url,
               "--model", "gpt-4o-mini", "--concurrency", str(concurrency), "--no-resume",
               "--quiet", "--workers", str(WORKERS)]
    run = run_summarize(command, cwd=work, env=env)
    if run.returncode != 0:
        raise SystemExit(f"summarize run exited {run.returncode}: {run.stderr.strip()}")
    return run.seconds, run.cpu_seconds


def main() -> int:
    global CHARS, WORKERS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs, each on new articles; the median ratio is the result")
    parser.add_argument("--chars", type=int, default=0, help="characters per article")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes of the command (summarize run --workers)")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--api", action="store_true",
                     help="time stream_batch in this process (after a warm-up)")
    how.add_argument("--sdk-only", action="store_true",
                     help="time the bare openai SDK on the same requests (the floor)")
    args = parser.parse_args()
    CHARS, WORKERS = args.chars, args.workers
    runner = _run_api if args.api else _run_sdk if args.sdk_only else _run_cli
    in_process = args.api or args.sdk_only
    ideal = args.articles * args.latency / args.concurrency
    runs: list[tuple[float, float, int]] = []
    with tempfile.TemporaryDirectory(prefix="summarize-bench-") as tmp:
        work, cache_dir = Path(tmp), Path(tmp) / "cache"
        with ServerProcess(args.latency) as server:
            warm = warm_up(server.base_url) if in_process else None
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
    if args.sdk_only:
        print("runner       the bare openai SDK, same requests (no instructor, grounding, cache)")
    elif args.api:
        print("runner       summarize.batch.stream_batch + JSONL journal, in this process")
    else:
        print(f"runner       summarize run in a child process, --workers {WORKERS} (timed whole: "
              "start-up included)")
    if warm is not None:
        print(f"warm-up      {warm:.2f} s for 1 article (imports and set-up, not timed below)")
    print(f"articles     {args.articles}, latency {args.latency:.3f} s, concurrency "
          f"{args.concurrency}, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"ideal        {ideal:.2f} s  (articles x latency / concurrency)")
    for number, (measured, cpu, requests) in enumerate(runs, start=1):
        print(f"run {number}        measured {measured:.2f} s, ratio {measured / ideal:.2f}, "
              f"cpu {cpu / args.articles * 1000:.2f} ms per article, {requests} requests")
    ratio = statistics.median(measured / ideal for measured, _, _ in runs)
    cpu_ms = statistics.median(cpu for _, cpu, _ in runs) / args.articles * 1000
    print(f"ratio        {ratio:.2f}  median of {len(runs)} runs (goal < {TARGET_RATIO})")
    print(f"cpu          {cpu_ms:.2f} ms per article, median (goal < {TARGET_CPU_MS})")
    if not args.sdk_only:
        print(f"rerun        {rerun:.2f} s, {second} requests (run 1's articles again: the cache answers)")
    return 0 if ratio < TARGET_RATIO and (second == 0 or args.sdk_only) else 1


if __name__ == "__main__":
    sys.exit(main())
