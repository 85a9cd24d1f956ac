"""Peak memory of ``summarize run`` as the batch grows: it must not grow with the batch.

    python benchmarks/memory.py [--sizes 2000 20000] [--big 200000] [--backends rules server]
                                [--chars 2500] [--input jsonl|folder]

For each backend (``rules``; ``server``: tests.fake_openai's endpoint in a child process,
answering at once, ``-j 32``) and each size, writes that many distinct articles of about
``--chars`` characters (one JSONL file, or a folder of .txt files), runs the real command
``summarize run INPUT -o out.jsonl`` in a child process and prints its peak memory (max
RSS, from the child's own rusage), wall and CPU time, and the records it wrote. Then the
ratio of the largest to the smallest size's peak (goal: at most 1.3) and, with ``--big``,
one run of that many articles with the rules backend (goal: under 300 MB). Every figure
is measured by this invocation.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from synthetic import ServerProcess, load, run_summarize, write_folder, write_jsonl

RATIO_GOAL = 1.3
BIG_GOAL_MB = 300.0


def _records(path: Path) -> int:
    with open(path, "rb") as lines:
        return sum(1 for _ in lines)


def measure(backend: str, count: int, *, chars: int, kind: str, work: Path,
            base_url: str | None) -> tuple[float, float, float]:
    """(peak MB, seconds, CPU seconds) of one run of ``count`` articles."""
    folder = work / f"{backend}-{count}"
    folder.mkdir()
    source = "feed.jsonl"
    if kind == "jsonl":
        write_jsonl(folder / source, count, chars=chars)
    else:
        source = "articles"
        write_folder(folder / source, count, chars=chars)
    args = ["run", source, "-o", "out.jsonl", "--quiet"]
    env = {"SUMMARIZE_CACHE_DIR": str(folder / "cache")}
    if backend == "rules":
        args += ["--backend", "rules"]
    else:
        assert base_url is not None
        args += ["--base-url", base_url, "--model", "gpt-4o-mini", "-j", "32"]
        env["OPENAI_API_KEY"] = "benchmark-no-key"
    run = run_summarize(args, cwd=folder, env=env)
    if run.returncode != 0:
        raise SystemExit(f"summarize run exited {run.returncode}: {run.stderr.strip()[-2000:]}")
    written = _records(folder / "out.jsonl")
    if written != count:
        raise SystemExit(f"{written} records for {count} articles")
    print(f"{backend:7s} {count:>8,} articles ({kind}): max RSS {run.max_rss_mb:6.1f} MB, "
          f"{run.seconds:7.1f} s, cpu {run.cpu_seconds / count * 1000:.2f} ms per article, "
          f"{written:,} records ({load()})", flush=True)
    return run.max_rss_mb, run.seconds, run.cpu_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--big", type=int, default=0, help="one more rules run of this size")
    parser.add_argument("--backends", nargs="+", choices=["rules", "server"],
                        default=["rules", "server"])
    parser.add_argument("--chars", type=int, default=2500, help="characters per article")
    parser.add_argument("--input", choices=["jsonl", "folder"], default="jsonl")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="summarize-memory-") as tmp:
        work = Path(tmp)
        with ServerProcess(0.0) as server:
            for backend in args.backends:
                peaks = [measure(backend, size, chars=args.chars, kind=args.input, work=work,
                                 base_url=server.base_url)[0] for size in args.sizes]
                ratio = peaks[-1] / peaks[0]
                print(f"{backend:7s} ratio {ratio:.2f}  max RSS at {args.sizes[-1]:,} / at "
                      f"{args.sizes[0]:,} articles (goal <= {RATIO_GOAL})", flush=True)
                ok = ok and ratio <= RATIO_GOAL
        if args.big:
            peak, _, _ = measure("rules", args.big, chars=args.chars, kind=args.input, work=work,
                                 base_url=None)
            print(f"rules   {args.big:,} articles: max RSS {peak:.1f} MB (goal < {BIG_GOAL_MB:.0f} MB)")
            ok = ok and peak < BIG_GOAL_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
