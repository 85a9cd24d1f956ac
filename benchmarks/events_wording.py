"""How alike the leads of reports of one event are, beside reports of different events.

    python benchmarks/events_wording.py

Runs the rules backend over evals/events/articles (38 FA-KES articles, 14 events), makes
each record's word bag as `summarize events` does (summarize/events/wording.py), weighs
the bags with the batch's word frequencies and prints, for every pair of reports whose
places lie in one governorate, the TF-IDF cosine of their leads: its median and quartiles
for pairs of one labelled event and for pairs of different events, and the share of each
at or above the cosine linking.EVIDENCE_TO_JOIN asks of reports whose dates do not agree.
No article text is printed.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from summarize.inputs import load_articles
    from summarize.events.grouping import report_of
    from summarize.events.linking import EVIDENCE_TO_JOIN
    from summarize.events.wording import Vocabulary, cosine
    from summarize.pipeline import Summarizer
    from summarize.settings import Settings

    labels = {a["id"]: a["event"]
              for a in json.loads((ROOT / "evals" / "events" / "events.json").read_text("utf-8"))["articles"]}
    articles = load_articles([ROOT / "evals" / "events" / "articles"])

    async def run() -> list:
        async with Summarizer(Settings(backend="rules")) as summarizer:
            return [await summarizer.run(a) for a in articles]

    reports = [report_of(record, use_published=False) for record in asyncio.run(run())]
    vocabulary = Vocabulary()
    for report in reports:
        vocabulary.add(report.profile.words)
    weighted = {r.id: vocabulary.weigh(r.profile.words) for r in reports}
    same, different = [], []
    for a, b in combinations(reports, 2):
        if a.profile.area is None or a.profile.area != b.profile.area or a.id not in labels or b.id not in labels:
            continue
        (same if labels[a.id] == labels[b.id] else different).append(cosine(weighted[a.id], weighted[b.id]))
    for name, values in (("one event", same), ("different events", different)):
        q1, median, q3 = statistics.quantiles(values, n=4)
        share = sum(v >= EVIDENCE_TO_JOIN for v in values) / len(values)
        print(f"{name}: {len(values)} pairs in one governorate; cosine quartiles {q1:.2f} / {median:.2f} / {q3:.2f}; "
              f"{share:.0%} at or above {EVIDENCE_TO_JOIN}")


if __name__ == "__main__":
    main()
