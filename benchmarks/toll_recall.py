"""How many crowd-labelled death tolls the rules backend finds, and at what cost in
killed figures per article, beside a naive regular expression.

    python benchmarks/toll_recall.py [--events evals/events] [--gold evals/gold]
                                     [--splits FILE] [--show-dev-misses] [--breakdown]

The sample is ``evals/events/``: FA-KES articles with ``crowd_killed``, the crowd's
death count for the article (events.json). A toll is **found** when one of the
article's killed figures names that number: its ``low`` or ``high``, or the number it
states ("more than 400" names 400). **Killed figures per article** counts the figures
with outcome ``killed`` (what an analyst reading the tolls must look through).

The baseline is the ten-line rule anyone would write first: every number in a sentence
that mentions killing (kill, dead, death, died, toll, ...) is a killed figure.

Articles are reported by split (dev, test), read from the gold files' ``split`` field
(``--gold``) or from ``--splits`` (a JSON file ``{"articles": {id: {"split": ...}}}``);
an article in neither is ``unassigned``; the ``all`` row counts every article. Test articles are reported as totals only:
``--show-dev-misses`` lists the misses of dev articles, never of test ones. ``--breakdown`` adds, per split, the
rules' killed figures per article that are tolls of the whole war (``is_cumulative``:
10,000 and more, or "since 2011") and the rest, beside the killed figures per article
the gold labels of the same articles hold (totals only). Every number printed is
computed by this run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.inputs import load_articles  # noqa: E402
from summarize.quantities import number_value, read_quantity  # noqa: E402
from summarize.rules import extract_summary  # noqa: E402
from summarize.rules.casualties import is_cumulative  # noqa: E402
from summarize.rules.sentences import split_sentences  # noqa: E402

_KILLING = re.compile(r"\b(?:kill\w*|dead|deaths?|died|dies|toll|massacre\w*|perish\w*|lives"
                      r"|bodies|slain|executed|casualt\w*|martyr\w*)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b|\b(?:one|two|three|four|five|six|seven"
                     r"|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
                     r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
                     r"|seventy|eighty|ninety|hundred)\b", re.IGNORECASE)
_STATED = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def naive_figures(text: str) -> set[int]:
    """Every number in a sentence that mentions killing."""
    values: set[int] = set()
    for sentence in split_sentences(text):
        if _KILLING.search(sentence.text):
            for match in _NUMBER.finditer(sentence.text):
                value = number_value(match.group(0))
                if value is not None:
                    values.add(value)
    return values


def named_numbers(quantity_text: str, low: int | None, high: int | None) -> set[int]:
    """The numbers a figure names: its reading and the number written in it."""
    values = {v for v in (low, high) if v is not None}
    for match in _STATED.finditer(quantity_text):
        values.add(int(match.group(0).replace(",", "")))
    bare = re.sub(r"^(?:more than|over|at least|nearly|almost|about|around|some|up to|"
                  r"fewer than|less than|as many as)\s+", "", quantity_text.lower())
    value = number_value(bare)
    if value is not None:
        values.add(value)
    reading = read_quantity(bare)
    if reading is not None:
        values |= {v for v in (reading.low, reading.high) if v is not None}
    return values


def _splits(gold: Path, splits_file: Path | None) -> dict[str, str]:
    found: dict[str, str] = {}
    if splits_file is not None:
        for name, entry in json.loads(splits_file.read_text("utf-8"))["articles"].items():
            found[name] = entry["split"]
    for path in sorted(gold.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        found.setdefault(data.get("id", path.stem), data.get("split", "dev"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=Path, default=ROOT / "evals" / "events")
    parser.add_argument("--gold", type=Path, default=ROOT / "evals" / "gold")
    parser.add_argument("--splits", type=Path, default=None,
                        help="JSON file giving each article's split (else the gold files)")
    parser.add_argument("--show-dev-misses", action="store_true",
                        help="list the dev articles whose toll was not found")
    parser.add_argument("--breakdown", action="store_true",
                        help="killed figures per article: whole-war tolls, the rest, the gold labels'")
    args = parser.parse_args()
    labels = {a["id"]: a["crowd_killed"] for a in
              json.loads((args.events / "events.json").read_text("utf-8"))["articles"]}
    splits = _splits(args.gold, args.splits)
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    misses: list[str] = []
    for article in load_articles(args.events / "articles"):
        if article.error or article.id not in labels:
            continue
        toll = labels[article.id]
        split = splits.get(article.id, "unassigned")
        summary = extract_summary(article.text, title=article.title, source=article.source)
        killed = [f for f in summary.casualties if f.outcome == "killed"]
        either = [f for f in summary.casualties if f.outcome in ("killed", "killed_or_wounded")]
        found = any(toll in named_numbers(f.quantity_text, f.low, f.high) for f in killed)
        naive = naive_figures(article.text)
        gold_file = args.gold / f"{article.id}.json"
        gold = (json.loads(gold_file.read_text("utf-8"))["casualties"]
                if gold_file.exists() else None)
        for row in (totals[split], totals["all"]):
            row["articles"] += 1
            row["rules_found"] += found
            row["rules_killed"] += len(killed)
            row["rules_killed_or_kw"] += len(either)
            row["naive_found"] += toll in naive
            row["naive_figures"] += len(naive)
            row["rules_cumulative"] += sum(is_cumulative(f) for f in killed)
            if gold is not None:
                row["gold_articles"] += 1
                row["gold_killed"] += sum(c["outcome"] == "killed" for c in gold)
        if not found and split == "dev":
            shown = ", ".join(f"{f.quantity_text!r}" for f in killed) or "none"
            misses.append(f"  {article.id}: crowd {toll}; killed figures: {shown}")
    print(f"{'split':<11}{'articles':>9}{'rules found':>13}{'killed/art':>11}"
          f"{'+k_or_w/art':>12}{'naive found':>13}{'naive/art':>10}")
    order = [s for s in ("dev", "test", "unassigned", "all") if s in totals]
    for split in order:
        row = totals[split]
        n = row["articles"]
        print(f"{split:<11}{int(n):>9}{row['rules_found'] / n:>13.3f}{row['rules_killed'] / n:>11.2f}"
              f"{row['rules_killed_or_kw'] / n:>12.2f}{row['naive_found'] / n:>13.3f}"
              f"{row['naive_figures'] / n:>10.2f}")
    if args.breakdown:
        print(f"{'killed figures per article':<34}" + "".join(f"{s:>11}" for s in order))
        print(f"{'rules: tolls of the whole war':<34}"
              + "".join(f"{totals[s]['rules_cumulative'] / totals[s]['articles']:>11.2f}" for s in order))
        print(f"{'rules: the rest':<34}" + "".join(
            f"{(totals[s]['rules_killed'] - totals[s]['rules_cumulative']) / totals[s]['articles']:>11.2f}"
            for s in order))
        print(f"{'gold labels (articles with gold)':<34}" + "".join(
            f"{totals[s]['gold_killed'] / totals[s]['gold_articles']:>11.2f}" if totals[s]["gold_articles"]
            else f"{'n/a':>11}" for s in order))
    if args.show_dev_misses and misses:
        print("dev misses:")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
