"""How often the events' place decision puts a report in the right governorate.

    python benchmarks/events_places.py          # --wrong: also the ids placed wrong

Runs the rules backend over evals/events/articles and examples/articles and, for each
article listed in evals/events/places_dev.json (the readable, dev-split articles, each
judged by hand: see its ``_about``), compares the governorate of the record's event
profile (``summarize.events.profile``) with the judged one: right when they are one area
(Damascus and Rif Dimashq counted as one, as the grouping and FA-KES's labels count
them), and also strictly. An article the file gives no single place is counted apart.
Prints figures and record ids only, never article text.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="also print the ids placed wrong")
    args = parser.parse_args()
    from summarize.inputs import load_articles
    from summarize.events.profile import AREA_OF, profile
    from summarize.pipeline import Summarizer
    from summarize.places import gazetteer
    from summarize.settings import Settings

    gaz = gazetteer()
    judged = {a["id"]: a["governorate"] for a in
              json.loads((ROOT / "evals" / "events" / "places_dev.json").read_text("utf-8"))["articles"]}
    code = {gaz.governorate_name(g): g for g in {e.governorate for e in gaz.entries.values()}}

    async def run() -> list:
        async with Summarizer(Settings(backend="rules")) as summarizer:
            return [await summarizer.run(a) for a in load_articles([ROOT / "evals" / "events" / "articles",
                                                                    ROOT / "examples" / "articles"])
                    if a.id in judged]

    area_right = strict_right = none = unjudged = 0
    wrong: list[str] = []
    records = asyncio.run(run())
    for record in records:
        truth = judged[record.id]
        place = profile(record, gaz=gaz).place
        if truth is None:
            unjudged += 1
            continue
        if place is None:
            none += 1
            wrong.append(f"{record.id}: none (judged {truth})")
            continue
        strict_right += place.governorate == code[truth]
        if AREA_OF.get(place.governorate, place.governorate) == AREA_OF.get(code[truth], code[truth]):
            area_right += 1
        else:
            wrong.append(f"{record.id}: {gaz.governorate_name(place.governorate)} (judged {truth})")
    scored = len(records) - unjudged
    print(f"{len(records)} judged dev articles ({len(judged)} listed), {unjudged} with no single place")
    print(f"governorate right (Damascus = Rif Dimashq): {area_right} / {scored} = {area_right / scored:.3f}")
    print(f"governorate right (strict): {strict_right} / {scored} = {strict_right / scored:.3f}")
    print(f"no place: {none}; wrong area: {scored - area_right - none}")
    if args.wrong:
        for line in wrong:
            print("  " + line)


if __name__ == "__main__":
    main()
