"""How many articles per second the rules backend reads on one core.

    python benchmarks/rules_speed.py [--rounds 20] [INPUT ...]

Reads the example articles (default: examples/articles), warms up once, then times
``summarize.rules.extract_summary`` plus grounding (what the pipeline does per article)
over ``--rounds`` passes in this one process (one core), and prints articles per second,
the median time per article and the total characters read. No figure here is typed in:
every number printed is measured by this run. The wall-clock rate drops when other
processes share the core; the rate per CPU-second does not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.inputs import load_articles  # noqa: E402
from summarize.grounding import ground  # noqa: E402
from summarize.rules import extract_summary  # noqa: E402

TARGET = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "examples" / "articles")])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the articles")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    articles = [a for a in load_articles(args.inputs) if not a.error]
    if not articles:
        print("no usable articles", file=sys.stderr)
        return 2
    for article in articles:  # warm-up: compile patterns, load the lexicon
        ground(extract_summary(article.text, title=article.title, source=article.source), article.text)
    per_article: list[float] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for article in articles:
            t0 = time.perf_counter()
            summary = extract_summary(article.text, title=article.title, source=article.source)
            ground(summary, article.text)
            per_article.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    count = len(articles) * args.rounds
    rate = count / elapsed
    chars = sum(len(a.text) for a in articles)
    print(f"articles: {len(articles)} ({chars:,} characters) x {args.rounds} rounds = {count} extractions")
    print(f"one core: {rate:.1f} articles/s wall clock, {count / cpu:.1f} articles per CPU-second; median {statistics.median(per_article) * 1000:.2f} ms, "
          f"max {max(per_article) * 1000:.2f} ms per article")
    print(f"target {TARGET:.0f} articles/s: {'met' if rate >= TARGET else 'NOT met'}")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
