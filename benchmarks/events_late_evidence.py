"""What content reports share when their datelines lie days or weeks apart: the evidence a
late dateline could join on, for pairs of one labelled event beside pairs of different ones.

    python benchmarks/events_late_evidence.py

Runs the rules backend over evals/events/articles (the labelled sample) and
examples/articles (the mix of benchmarks/events_mix.py), dates every record by its
dateline only (as `summarize events --ignore-published` does), and takes every pair of
reports of one governorate whose dates lie more than the window (1 day) and at most
linking.UNCERTAIN_REACH days apart, and that linking.may_be_one allows (the report dated
later is the uncertain one). For the pairs of one labelled event, of different labelled
events, and those with an article outside the sample (unlabelled), it counts the kinds of
evidence a report could join on: wording (TF-IDF cosine of the leads) at or above
linking.EVIDENCE_TO_JOIN, content evidence that joins them across dates
(linking.joins_across_dates: EVIDENCE_TO_JOIN, and PLACE_WEIGHT more for two towns of the
governorate that do not nest), a close killed toll,
a close wounded toll, the same town or site, an actor in common, and a kind in common.
Prints counts only, never article text or record ids.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WINDOW = 1


def main() -> None:
    from summarize.inputs import load_articles
    from summarize.events.grouping import report_of
    from summarize.events.linking import (EVIDENCE_TO_JOIN, UNCERTAIN_REACH, Candidate, close_toll, date_gap,
                                          evidence, joins_across_dates, may_be_one)
    from summarize.events.reconcile import readings
    from summarize.events.wording import Vocabulary
    from summarize.pipeline import Summarizer
    from summarize.schema import Outcome
    from summarize.settings import Settings

    labels = {a["id"]: a["event"]
              for a in json.loads((ROOT / "evals" / "events" / "events.json").read_text("utf-8"))["articles"]}

    async def run(folder: Path) -> list:
        async with Summarizer(Settings(backend="rules")) as summarizer:
            return [await summarizer.run(a) for a in load_articles([folder])]

    records = [*asyncio.run(run(ROOT / "evals" / "events" / "articles")),
               *asyncio.run(run(ROOT / "examples" / "articles"))]
    reports = [report_of(record, use_published=False) for record in records]
    vocabulary = Vocabulary()
    for report in reports:
        vocabulary.add(report.profile.words)

    def tolls(report, outcome: Outcome) -> tuple[int, ...]:
        return tuple(sorted({f.value for f in readings(report.figures, outcome) if f.value is not None}))

    items, wounded = [], {}
    for report in reports:
        item = Candidate(report.profile, tolls(report, Outcome.killed), report.profile.words)
        item.weighted = vocabulary.weigh(item.words)
        items.append(item)
        wounded[report.id] = tolls(report, Outcome.wounded)
    pairs: Counter[str] = Counter()
    found: dict[str, Counter[str]] = {"one event": Counter(), "different events": Counter(), "outside": Counter()}
    for a, b in combinations(items, 2):
        gap = date_gap(a, b)
        if a.area is None or a.area != b.area or gap is None or not WINDOW < gap <= UNCERTAIN_REACH \
                or not may_be_one(a, b, WINDOW, any_town=True):
            continue
        ia, ib = a.profile.record_id, b.profile.record_id
        if ia in labels and ib in labels:
            kind = "one event" if labels[ia] == labels[ib] else "different events"
        elif ia in labels or ib in labels:
            kind = "outside"
        else:
            continue
        pairs[kind] += 1
        shared = evidence(a, b)
        counts = found[kind]
        counts["wording"] += shared.similarity >= EVIDENCE_TO_JOIN
        counts["evidence"] += joins_across_dates(a, b, shared)
        counts["killed toll"] += shared.toll is not None
        counts["wounded toll"] += close_toll(wounded[ia], wounded[ib]) is not None
        counts["town or site"] += shared.place is not None
        counts["actor"] += bool(set(a.profile.actors) & set(b.profile.actors))
        counts["kind"] += bool(a.profile.kinds & b.profile.kinds)
    print(f"pairs of one governorate {WINDOW + 1} to {UNCERTAIN_REACH} days apart by their datelines, "
          f"that a dateline may join:")
    for kind, counts in found.items():
        print(f"  {kind}: {pairs[kind]} pairs; wording >= {EVIDENCE_TO_JOIN}: {counts['wording']}; "
              f"evidence that joins: {counts['evidence']}; close killed toll: {counts['killed toll']}; "
              f"close wounded toll: {counts['wounded toll']}; same town or site: {counts['town or site']}; "
              f"an actor in common: {counts['actor']}; a kind in common: {counts['kind']}")


if __name__ == "__main__":
    main()
