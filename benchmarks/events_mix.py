"""How the grouping holds up on a harder mix, and the issue's baseline on the sample.

    python benchmarks/events_mix.py          # --ids: also the ids of the pairs counted wrong

Runs the rules backend over evals/events/articles (38 FA-KES articles, 14 labelled
events) and over examples/articles (40 more FA-KES articles and the 5 seeds, nearly all
of other events, some of the same governorates and months), then groups

- the sample alone, and prints its same-event pair precision, recall and F1 beside those
  of the baseline issue 13 names (the article's date plus the governorate of the first
  place it names: pair F1 0.83 with dates on the held-out set), with published dates
  and with datelines only;
- the sample and the mix together, and counts the pairs of one grouped event that cross
  the labels: a sample article with an article from outside the sample (the mix has no
  labels: some of these tell a sample event too, so this is an upper bound on the
  mistakes), and two sample articles of different labelled events; and the labelled
  pairs still found.

Prints figures and record ids only, never article text.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", action="store_true", help="also print the ids of the pairs counted wrong")
    args = parser.parse_args()
    from summarize.inputs import load_articles
    from summarize.events.evaluate import baseline, load_labels, pair_scores
    from summarize.events.grouping import group_events
    from summarize.pipeline import Summarizer
    from summarize.settings import Settings

    labels = load_labels(ROOT / "evals" / "events" / "events.json")
    event_of = {label.id: label.event for label in labels}

    async def run(folder: Path) -> list:
        async with Summarizer(Settings(backend="rules")) as summarizer:
            return [await summarizer.run(a) for a in load_articles([folder])]

    sample = asyncio.run(run(ROOT / "evals" / "events" / "articles"))
    mix = asyncio.run(run(ROOT / "examples" / "articles"))
    print(f"{len(sample)} sample records ({len(set(event_of.values()))} labelled events), "
          f"{len(mix)} records of the mix")

    def fmt(values: tuple) -> str:
        return " / ".join("n/a" if v is None else f"{v:.3f}" for v in values)

    for use_published, name in ((True, "with published dates"), (False, "datelines only")):
        ours = pair_scores((g.records for g in group_events(sample, use_published=use_published)), labels)
        plain = pair_scores(baseline(sample, use_published=use_published), labels)
        print(f"{name}: pair P / R / F1 grouping {fmt(ours)}; baseline (date + first governorate) {fmt(plain)}")
        outside = different = found = 0
        wrong: list[str] = []
        for group in group_events([*sample, *mix], use_published=use_published):
            for a, b in combinations(sorted(group.records), 2):
                if a in event_of and b in event_of:
                    if event_of[a] == event_of[b]:
                        found += 1
                    else:
                        different += 1
                        wrong.append(f"{a}+{b}")
                elif a in event_of or b in event_of:
                    outside += 1
                    wrong.append(f"{a}+{b}")
        print(f"  with the mix: {found} labelled pairs found; pairs across the labels: {outside} with an article "
              f"outside the sample (unlabelled: at most this many mistakes), {different} of different labelled events")
        for pair in wrong if args.ids else ():
            print(f"    {pair}")


if __name__ == "__main__":
    main()
