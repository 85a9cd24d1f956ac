"""The rules baseline on the dev and the test split side by side: for each metric asked
for, its figure and 95% bootstrap interval on each split, as `summarize eval --backend
rules --split dev` and `--split test` print them.

    python scripts/baseline_splits.py                       # the metrics README.md shows
    python scripts/baseline_splits.py --metric claims.f1 --metric casualties.f1
    python scripts/baseline_splits.py --gold evals/gold

Prints figures only, never an article's text or output, so it may run over the held-back
test split. README.md and docs/evals.md paste its output (scripts/paste_outputs.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.evaluation import build_report, load_gold, plan_runs, run_eval, select_split  # noqa: E402
from summarize.evaluation.metrics import METRICS_BY_NAME  # noqa: E402
from summarize.evaluation.report import format_value  # noqa: E402
from summarize.settings import Settings  # noqa: E402

SPLITS = ("dev", "test")
#: The metrics shown when none is asked for.
DEFAULT_METRICS = (
    "claims.f1", "casualties.recall", "casualties.f1", "casualties.exact_number_accuracy",
    "casualties.stated_by_accuracy", "loaded_terms.f1", "grounding_rate", "invented_number_rate",
    "summary.unattributed_loaded_terms", "summary.unattributed_evaluative_terms",
    "summary.unattributed_figures", "summary.coverage",
)


def split_table(gold_dir: str | None, metrics: list[str]) -> str:
    """The markdown table: a row per metric, a column per split."""
    golds = load_gold(gold_dir)
    columns = []
    for split in SPLITS:
        chosen = select_split(golds, split)
        specs, _ = plan_runs(Settings(backend="rules"), [])
        (run,) = build_report(run_eval(specs, chosen), chosen, split=split)["runs"]
        columns.append((f"{split} ({len(chosen)} articles)", run["metrics"]))
    lines = ["| metric | " + " | ".join(title for title, _ in columns) + " |",
             "|---|" + "---|" * len(columns)]
    for name in metrics:
        lines.append(f"| {name} | " + " | ".join(format_value(name, stats.get(name)) for _, stats in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", help="gold set folder (default: the one summarize eval uses)")
    parser.add_argument("--metric", action="append", dest="metrics", metavar="NAME",
                        help="a metric to show; repeatable (default: the README's)")
    args = parser.parse_args(argv)
    metrics = args.metrics or list(DEFAULT_METRICS)
    unknown = [name for name in metrics if name not in METRICS_BY_NAME]
    if unknown:
        parser.error(f"unknown metric(s): {', '.join(unknown)}")
    print(split_table(args.gold, metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
