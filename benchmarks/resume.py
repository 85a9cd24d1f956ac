"""A resume of a finished run, and a rerun that the cache answers: fast, small, and writing
nothing that did not change.

    python benchmarks/resume.py [--articles 10000] [--chars 2500] [--repeat 3]

Writes ``--articles`` distinct articles of about ``--chars`` characters as one JSONL file
and runs ``summarize run feed.jsonl -o out.jsonl`` against tests.fake_openai's endpoint
(a child process, answering at once) to finish the batch and fill the cache. Then, each
``--repeat`` times, in a child process measured whole (start-up included):

- **resume**: the same command again. Everything is done: it must send nothing and
  change neither the output nor its resume index (inode, size, modification time and
  bytes compared) nor the cache's files;
- **warm cache**: the same articles into a new output (``-o warm.jsonl``): the cache
  answers every article; it must send nothing and store no record in the cache (its
  records are compared: diskcache itself rewrites its settings rows whenever it opens
  the cache, so the database file's time changes).

It prints each run's wall time, peak memory (max RSS), the bytes the process wrote (its
block output count) and what changed; then the medians. Goal (issue 12): each under 2 s
and under 250 MB. Every figure is measured by this invocation.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
from pathlib import Path

from synthetic import Measured, ServerProcess, load, run_summarize, write_jsonl

GOAL_SECONDS = 2.0
GOAL_MB = 250.0


def _fingerprint(path: Path) -> tuple[int, int, int, str]:
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def _cache_records(folder: Path) -> str:
    """A digest of the cache's records (key, time stored, size), read without writing."""
    import sqlite3

    db = sqlite3.connect(f"{(folder / 'cache.db').resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT key, store_time, size FROM Cache ORDER BY rowid").fetchall()
    finally:
        db.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file below ``folder``."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=2500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="summarize-resume-") as tmp, \
            ServerProcess(0.0) as server:
        work = Path(tmp)
        write_jsonl(work / "feed.jsonl", args.articles, chars=args.chars)
        env = {"OPENAI_API_KEY": "benchmark-no-key", "SUMMARIZE_CACHE_DIR": str(work / "cache")}
        model = ["--base-url", server.base_url, "--model", "gpt-4o-mini", "--quiet"]

        def run(output: str) -> Measured:
            measured = run_summarize(["run", "feed.jsonl", "-o", output, "-j", "64", *model],
                                     cwd=work, env=env)
            if measured.returncode != 0:
                raise SystemExit(f"summarize run exited {measured.returncode}: "
                                 f"{measured.stderr.strip()[-2000:]}")
            return measured

        first = run("out.jsonl")
        size = (work / "out.jsonl").stat().st_size
        print(f"first run    {args.articles:,} articles of ~{args.chars:,} characters: "
              f"{first.seconds:.1f} s, max RSS {first.max_rss_mb:.0f} MB, output "
              f"{size / 2**20:.1f} MB, {server.requests():,} requests", flush=True)
        output = [work / "out.jsonl", work / ".out.jsonl-resume.sqlite"]
        for name in ("resume", "warm cache"):
            seconds, peaks = [], []
            for number in range(args.repeat):
                target = "out.jsonl" if name == "resume" else f"warm{number}.jsonl"
                before_out = [_fingerprint(p) for p in output]
                before_records = _cache_records(work / "cache")  # may touch SQLite's -shm
                before_cache = _tree(work / "cache")
                before_requests = server.requests()
                measured = run(target)
                sent = server.requests() - before_requests
                output_same = [_fingerprint(p) for p in output] == before_out
                files_same = _tree(work / "cache") == before_cache
                cache_same = _cache_records(work / "cache") == before_records
                changed = [what for what, same in (
                    ("output", output_same), ("cache records", cache_same),
                    ("cache files", files_same)) if not same]
                if name == "warm cache":
                    lines = (work / target).read_bytes().count(b"\n")
                    changed = [c for c in changed if c != "output"] + [f"wrote {lines:,} records"]
                seconds.append(measured.seconds)
                peaks.append(measured.max_rss_mb)
                print(f"{name:12s} run {number + 1}: {measured.seconds:.2f} s, max RSS "
                      f"{measured.max_rss_mb:.0f} MB, wrote {measured.written_mb:.1f} MB, "
                      f"{sent} requests, changed: {', '.join(changed) or 'nothing'} ({load()})", flush=True)
                ok = ok and sent == 0 and cache_same and (
                    name != "resume" or (output_same and files_same))
            median_s, median_mb = statistics.median(seconds), statistics.median(peaks)
            print(f"{name:12s} median {median_s:.2f} s (goal < {GOAL_SECONDS:g}), max RSS "
                  f"{median_mb:.0f} MB (goal < {GOAL_MB:.0f})", flush=True)
            ok = ok and median_s < GOAL_SECONDS and median_mb < GOAL_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
