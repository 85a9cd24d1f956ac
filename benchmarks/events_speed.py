"""How fast `summarize events` groups a large batch, and in how much memory.

    python benchmarks/events_speed.py            # 10,000 records
    python benchmarks/events_speed.py --records 50000

Makes the records once with the rules backend (the 38 articles of evals/events and the 45
of examples/articles), then writes N records to a temporary JSONL file: copies of those
with new ids, outlets and dates spread over ten years (so the batch holds many events of
every size, as a feed would); each copy's date is its published field and a dateline
opening its text, as FA-KES articles have them. Then, in a fresh process, streams the
file through group_events and prints the wall-clock and CPU time, the events found and
the process's peak resident memory; the same for half the records, so that memory growth
per record shows (it should be about linear and small: no record text is kept, no pair
table); the N records once more grouped by their datelines only (--ignore-published);
and once more read as `summarize events` reads a long file, by two worker processes, and
the events JSON written as `summarize events -o events.json` writes it.
Last, a plain ten-million-step Python loop, timed the same way: on a machine whose cores
other processes share, every figure here is slower by about as much as that loop is.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Worker processes of the last measurement (as `summarize events` uses on a 2-core machine).
WORKERS = 2
sys.path.insert(0, str(ROOT))


def base_records() -> list[dict]:
    from summarize.inputs import load_articles
    from summarize.pipeline import Summarizer
    from summarize.settings import Settings

    articles = load_articles([ROOT / "evals" / "events" / "articles", ROOT / "examples" / "articles"])

    async def run() -> list:
        async with Summarizer(Settings(backend="rules")) as summarizer:
            return [await summarizer.run(a) for a in articles]

    return [json.loads(r.model_dump_json()) for r in asyncio.run(run())]


def write_batch(path: Path, count: int, seed: int = 13) -> None:
    """``count`` records: copies of the base records on dates spread over ten years."""
    rng = random.Random(seed)
    base = base_records()
    start = date(2012, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = dict(base[n % len(base)])
            record["id"] = f"{record['id']}-{n}"
            article = dict(record["article"])
            article["id"] = record["id"]
            article["source"] = f"outlet-{rng.randrange(40)}"
            day = start + timedelta(days=rng.randrange(3650))
            article["published"] = day.isoformat()
            article["text"] = f"Published {day:%B} {day.day} {day.year} {article.get('text') or ''}"
            record["article"] = article
            out.write(json.dumps(record) + "\n")


def measure(path: Path, *, use_published: bool = True, workers: int = 1) -> None:
    """Stream ``path`` through the grouping; print seconds, events and peak memory. One
    worker: group_events over iter_records (the Python API, one process); more: what
    `summarize events` does with a long file (iter_reports by that many processes)."""
    from summarize.events import group_events
    from summarize.events.grouping import group_reports
    from summarize.events.output import iter_records, iter_reports

    started, cpu = time.perf_counter(), time.process_time()
    notices: list[str] = []
    with path.open(encoding="utf-8") as stream:
        if workers == 1:
            groups = group_events(iter_records(stream, str(path), notices), use_published=use_published)
        else:
            groups = group_reports(iter_reports(stream, str(path), notices, use_published=use_published,
                                                workers=workers))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    records = sum(len(g.records) for g in groups)
    peak_mib = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children.ru_maxrss) / 1024
    how = "" if use_published else " (datelines only)"
    by = "one process" if workers == 1 else (f"{workers} worker processes, their CPU "
                                             f"{children.ru_utime + children.ru_stime:.2f} s")
    print(f"{records:,} records -> {len(groups):,} events{how} in {elapsed:.2f} s wall clock, {cpu:.2f} s CPU "
          f"({by}; {records / elapsed:,.0f} records/s); peak RSS {peak_mib:,.0f} MiB")
    if workers > 1:  # what `summarize events -o events.json` does next: write the events JSON
        from summarize.events.writers import to_json

        started, cpu = time.perf_counter(), time.process_time()
        size = len(to_json(groups, window_days=1, use_published=use_published).encode("utf-8"))
        print(f"  then the events JSON ({size / 2**20:,.0f} MiB) written in {time.perf_counter() - started:.2f} s "
              f"wall clock, {time.process_time() - cpu:.2f} s CPU")


def reference() -> None:
    """How fast this machine runs plain Python right now (shared cores run slower): a
    ten-million-step loop, for reading the figures above."""
    started, cpu = time.perf_counter(), time.process_time()
    total = 0
    for step in range(10_000_000):
        total += step
    print(f"reference: a 10,000,000-step Python loop took {time.perf_counter() - started:.2f} s wall clock, "
          f"{time.process_time() - cpu:.2f} s CPU; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ignore-published", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, use_published=not args.ignore_published, workers=args.workers)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for count in (args.records // 2, args.records):
            path = Path(tmp) / f"records-{count}.jsonl"
            write_batch(path, count)
            size = path.stat().st_size / 2**20
            print(f"{path.name}: {size:,.0f} MiB of JSONL", flush=True)
            subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)
        subprocess.run([sys.executable, __file__, "--measure", str(path), "--ignore-published"], check=True)
        subprocess.run([sys.executable, __file__, "--measure", str(path), "--workers", str(WORKERS)], check=True)
    reference()


if __name__ == "__main__":
    main()
