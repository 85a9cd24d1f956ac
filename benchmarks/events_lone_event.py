"""A rule tried and left out: a report dated only by its dateline joins the only earlier
event of its governorate whose kind fits. What it would join on the sample and the mix.

    python benchmarks/events_lone_event.py          # --ids: also the record ids of each join

Runs the rules backend over evals/events/articles (38 labelled articles) and
examples/articles (the mix of benchmarks/events_mix.py), groups by datelines only
(``group_events(use_published=False)``), and applies the rule to those events, as a last
pass would: an event whose date is uncertain (no report firmly dated, no two outlets'
dates within the window: one outlet's dateline), all of its reports dated and placed in
one area, joins another event of that area when the batch holds no other event of it
within ``linking.UNCERTAIN_REACH`` days whose kinds fit (before or after it: the rule as
tried; or, the looser variant, before it or within the window after it), that event
lies more than the window before it, both have known kinds of one family, and their
places nest. Every choice is made on the events as grouped, and an event that joins one
is no event another joins (no chain). It counts the joins whose reports are of one
labelled event, of different labelled events, and those with an article outside the
sample (the mix has no labels). Prints counts and record ids, never article text.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WINDOW = 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", action="store_true", help="also print the record ids of each join")
    args = parser.parse_args()
    from summarize.inputs import load_articles
    from summarize.events.grouping import group_events
    from summarize.events.linking import UNCERTAIN_REACH, Candidate, may_be_one, places_compatible
    from summarize.pipeline import Summarizer
    from summarize.settings import Settings

    labels = {a["id"]: a["event"]
              for a in json.loads((ROOT / "evals" / "events" / "events.json").read_text("utf-8"))["articles"]}

    async def run(folder: Path) -> list:
        async with Summarizer(Settings(backend="rules")) as summarizer:
            return [await summarizer.run(a) for a in load_articles([folder])]

    def fits(x: Candidate, y: Candidate) -> bool:
        return x.families is None or y.families is None or not x.families.isdisjoint(y.families)

    def uncertain(members: list[Candidate]) -> bool:
        if any(m.firm for m in members):
            return False
        return not any(a.profile.outlet != b.profile.outlet and a.interval and b.interval
                       and max(0, (max(a.interval[0], b.interval[0]) - min(a.interval[1], b.interval[1])).days) <= WINDOW
                       for a in members for b in members)

    def joins(records: list, *, after: int) -> list[tuple[list[str], list[str]]]:
        events = [[Candidate(r.profile, ()) for r in g.reports] for g in group_events(records, use_published=False)]
        spans = {}
        for n, members in enumerate(events):
            if all(m.interval is not None and m.area is not None for m in members) \
                    and len({m.area for m in members}) == 1:
                spans[n] = (members[0].area, min(m.interval[0] for m in members).toordinal(),
                            max(m.interval[1] for m in members).toordinal())
        chosen = {}
        for n, (area, first, last) in spans.items():
            mine = events[n]
            if not uncertain(mine):
                continue
            near = [k for k, (a, lo, hi) in spans.items() if k != n and a == area
                    and hi >= first - UNCERTAIN_REACH and lo <= last + min(after, UNCERTAIN_REACH)
                    and any(fits(x, y) for x in mine for y in events[k])]
            if len(near) != 1 or spans[near[0]][2] + WINDOW >= first:
                continue
            theirs = events[near[0]]
            if any(m.families is None for m in mine + theirs) or not all(
                    fits(x, y) and places_compatible(x.profile.place, y.profile.place)
                    and may_be_one(x, y, WINDOW, settled_a=False, settled_b=True) for x in mine for y in theirs):
                continue
            chosen[n] = near[0]
        return [([m.profile.record_id for m in events[n]], [m.profile.record_id for m in events[k]])
                for n, k in sorted(chosen.items()) if k not in chosen]

    sample = asyncio.run(run(ROOT / "evals" / "events" / "articles"))
    mix = asyncio.run(run(ROOT / "examples" / "articles"))
    print(f"{len(sample)} sample records, {len(mix)} records of the mix; datelines only")
    for after, name in ((UNCERTAIN_REACH, "no other event before or after"),
                        (WINDOW, "no other event before it")):
        for records, batch in ((sample, "sample"), ([*sample, *mix], "sample and mix")):
            found = joins(records, after=after)
            same = different = outside = 0
            for late, event in found:
                pairs = [(a, b) for a in late for b in event]
                same += sum(a in labels and b in labels and labels[a] == labels[b] for a, b in pairs)
                different += sum(a in labels and b in labels and labels[a] != labels[b] for a, b in pairs)
                outside += sum(a not in labels or b not in labels for a, b in pairs)
            print(f"{name}, {batch}: {len(found)} join{'' if len(found) == 1 else 's'}; pairs they add: {same} of one labelled event, "
                  f"{different} of different labelled events, {outside} with an article outside the sample")
            for late, event in found if args.ids else ():
                print(f"    {'+'.join(late)} -> {'+'.join(event)}")


if __name__ == "__main__":
    main()
