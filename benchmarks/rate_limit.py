"""A rate-limited endpoint and no ``--rpm``: how many articles end ok, and how fast.

    python benchmarks/rate_limit.py [--articles 200] [--rpm 600] [--burst 10]
                                    [--concurrency 8 32] [--repeat 3] [--latency 0.05]

Starts tests.fake_openai's server in a child process behind a rate limit of ``--rpm``
requests a minute with a burst of ``--burst`` (tests.fake_openai.RateLimited: a 429 with
retry-after-ms when over, as OpenAI answers), and runs the real command ``summarize run
DIR -o out.jsonl -j N`` on ``--articles`` distinct articles, without ``--rpm`` and with
the default retries, once per concurrency and ``--repeat`` times each. It prints, per
run, the articles ok, the 429s the server sent and the answers per minute reached: at
the server, between its first and last answer (what the endpoint saw), and over the
whole command (start-up included); then the median. Goal (issue 12): every article ok,
at least 500 a minute against 600 with a burst of 10. Every figure is measured by this
invocation.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from synthetic import ServerProcess, load, run_summarize, write_folder

GOAL_PER_MINUTE = 500.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rpm", type=float, default=600)
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per answer")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ok = True
    print(f"endpoint     {args.rpm:g} requests a minute, burst {args.burst}, answers after "
          f"{args.latency:g} s; {args.articles} articles, no --rpm", flush=True)
    with tempfile.TemporaryDirectory(prefix="summarize-ratelimit-") as tmp:
        work = Path(tmp)
        with ServerProcess(args.latency, rpm=args.rpm, burst=args.burst) as server:
            for jobs in args.concurrency:
                rates = []
                for number in range(args.repeat):
                    folder = work / f"j{jobs}-{number}"
                    start = (jobs * 100 + number) * args.articles
                    write_folder(folder / "in", args.articles, start=start)
                    before = server.stats(reset=True)
                    run = run_summarize(
                        ["run", "in", "-o", "out.jsonl", "--base-url", server.base_url,
                         "--model", "gpt-4o-mini", "-j", str(jobs), "--no-cache", "--quiet"],
                        cwd=folder, env={"OPENAI_API_KEY": "benchmark-no-key"})
                    after = server.stats()
                    records = [json.loads(line) for line in
                               (folder / "out.jsonl").read_text().splitlines()]
                    good = sum(r["status"] == "ok" for r in records)
                    span = (after["last"] or 0) - (after["first"] or 0)
                    at_server = (after["answered"] - 1) / span * 60 if span > 0 else 0.0
                    whole = good / run.seconds * 60
                    rates.append(at_server)
                    ok = ok and good == args.articles and at_server >= GOAL_PER_MINUTE
                    print(f"-j {jobs:<3} run {number + 1}  {good} of {len(records)} ok, "
                          f"{after['refused'] - before['refused']} 429s, "
                          f"{at_server:.0f} answers a minute at the server, "
                          f"{whole:.0f} ok a minute over the whole command ({run.seconds:.1f} s, {load()})",
                          flush=True)
                print(f"-j {jobs:<3} median {statistics.median(rates):.0f} answers a minute "
                      f"(goal >= {GOAL_PER_MINUTE:.0f}, every article ok)", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
