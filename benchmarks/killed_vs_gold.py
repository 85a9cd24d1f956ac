"""The rules' killed figures against the gold labels' killed figures, article by article.

    python benchmarks/killed_vs_gold.py [--gold evals/gold] [--show-dev]

For every gold article (``evals/gold/*.json``), the rules backend's figures with outcome
``killed`` are set beside the gold figures with outcome ``killed``. A rules figure is
**unlabelled** when no gold figure of the article (of any outcome) has its reading
(``low``/``high``) or its ``quantity_text``: a killed figure an analyst would look
through that the guide does not ask for. A gold killed figure is **missed** when no
rules figure (of any outcome) has its reading or its text. Rows per split (dev, test)
and all; test is reported as totals only, and ``--show-dev`` lists the unlabelled and
missed figures of dev articles, never of test ones. Every number printed is computed by
this run.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.evaluation.gold import load_gold  # noqa: E402
from summarize.rules import extract_summary  # noqa: E402


def _same(a, b) -> bool:
    return (a.low, a.high) == (b.low, b.high) or a.quantity_text == b.quantity_text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "evals" / "gold")
    parser.add_argument("--show-dev", action="store_true",
                        help="list the unlabelled and missed killed figures of dev articles")
    args = parser.parse_args()
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    shown: list[str] = []
    for gold in load_gold(args.gold):
        article = gold.article
        split = gold.split or "dev"
        summary = extract_summary(article.text, title=article.title, source=article.source)
        rules_killed = [f for f in summary.casualties if f.outcome == "killed"]
        gold_killed = [f for f in gold.casualties if f.outcome == "killed"]
        unlabelled = [f for f in rules_killed if not any(_same(f, g) for g in gold.casualties)]
        missed = [g for g in gold_killed if not any(_same(g, f) for f in summary.casualties)]
        for row in (totals[split], totals["all"]):
            row["articles"] += 1
            row["rules"] += len(rules_killed)
            row["gold"] += len(gold_killed)
            row["unlabelled"] += len(unlabelled)
            row["missed"] += len(missed)
        if split == "dev":
            shown += [f"  {gold.id}: unlabelled {f.quantity_text!r}: {f.quote[:160]}" for f in unlabelled]
            shown += [f"  {gold.id}: missed {g.quantity_text!r}: {g.quote[:160]}" for g in missed]
    print(f"{'split':<7}{'articles':>9}{'rules killed/art':>18}{'gold killed/art':>17}"
          f"{'unlabelled':>12}{'missed':>8}")
    for split in [s for s in ("dev", "test", "all") if s in totals]:
        row = totals[split]
        n = row["articles"]
        print(f"{split:<7}{n:>9}{row['rules'] / n:>18.2f}{row['gold'] / n:>17.2f}"
              f"{row['unlabelled']:>12}{row['missed']:>8}")
    if args.show_dev and shown:
        print("dev:")
        print("\n".join(shown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
