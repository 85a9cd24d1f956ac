"""Scoring grouped events against labels: which articles report the same event.

Labels are a JSON file ``{"articles": [{"id", "event", "crowd_killed"?}, ...]}`` (the
format of evals/events/events.json). Only labelled records are scored.

- **pairs**: every two labelled articles of one labelled event are a true pair; every
  two labelled articles of one grouped event a predicted pair; precision, recall, F1.
- **tolls shown**: for each article of a labelled event told by two or more articles,
  whether its ``crowd_killed`` is among the figures of the event it was grouped in (a
  figure's low or high equals it, a range holds it, or its words state a number of ten
  or more: "over 100", which the schema reads as low 101, shows 100).
- **conflicts flagged**: for each labelled event whose articles' ``crowd_killed``
  differ, whether the grouped event holding most of its articles has killed
  ``agreement`` = ``conflict``.
- **sums**: grouped events whose conservative killed figure is no figure their records
  state, or equals the sum of two to four readings of different sources (must be 0:
  the conservative figure is never a sum).

``baseline`` groups records the way issue 13 names as the plain baseline, by the
article's date (its published field, else its dateline) and the governorate of the first
gazetteer place its title and text name: on the held-out set it scores pair F1 0.83 with
dates, so its score on a sample says how hard the sample is beside that set.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from summarize.errors import EvalDataError
from summarize.events.dates import dateline, parse_published
from summarize.events.grouping import EventGroup
from summarize.places import gazetteer
from summarize.records import Record
from summarize.schema import Outcome


@dataclass(frozen=True)
class Label:
    """One labelled article."""

    id: str
    event: str
    crowd_killed: int | None = None


def load_labels(path: str | Path) -> list[Label]:
    """The labels in ``path``; EvalDataError naming what is wrong."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise EvalDataError(f"{path}: no such labels file") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalDataError(f"{path}: not a JSON labels file ({exc})") from exc
    items = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise EvalDataError(f'{path}: expected {{"articles": [{{"id", "event", ...}}]}}')
    labels = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("event"), str):
            raise EvalDataError(f"{path}: articles[{index}] needs a string id and event")
        killed = item.get("crowd_killed")
        labels.append(Label(item["id"], item["event"], killed if isinstance(killed, int) else None))
    return labels


@dataclass(frozen=True)
class EventScores:
    """The scores of one grouping against the labels."""

    labelled: int
    found: int
    pair_precision: float | None
    pair_recall: float | None
    pair_f1: float | None
    tolls_shown: int
    tolls_total: int
    conflicts_flagged: int
    conflicts_total: int
    sums: int
    missed: tuple[str, ...] = ()
    #: the pair F1 of the issue's baseline (``baseline``) on the same records, when scored
    baseline_f1: float | None = None

    def as_json(self) -> dict:
        """The scores as a JSON-ready dict."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _shown(group: EventGroup, value: int) -> bool:
    """Whether a figure of the group shows ``value``: its low or high is it, its range
    holds it, or its words state it ("over 100", which the schema reads as low 101)."""
    stated = re.compile(rf"(?<![\d,.]){value}(?![\d,.]\d)")
    for f in group.figures:
        low, high = f.figure.low, f.figure.high
        if value in (low, high) or (low is not None and high is not None and low <= value <= high):
            return True
        if value >= 10 and stated.search(f.figure.quantity_text.replace(",", "")):
            return True
    return False


def pair_scores(groups: Iterable[Iterable[str]], labels: list[Label]) -> tuple[float | None, ...]:
    """Same-event pair precision, recall and F1 of ``groups`` (lists of record ids)
    against ``labels``; only labelled records count."""
    by_id = {label.id for label in labels}
    truth = {frozenset(p) for event in _events(labels).values() for p in combinations(sorted(event), 2)}
    predicted = {frozenset(p) for g in groups for p in combinations(sorted(r for r in g if r in by_id), 2)}
    hit = len(truth & predicted)
    precision, recall = _ratio(hit, len(predicted)), _ratio(hit, len(truth))
    f1 = (2 * precision * recall / (precision + recall)) if precision and recall else (
        0.0 if precision is not None and recall is not None else None)
    return precision, recall, f1


def baseline(records: Iterable[Record], *, use_published: bool = True) -> list[list[str]]:
    """The issue's baseline grouping (see the module docstring): record ids grouped by
    the article's date and the governorate of the first place it names; a record with
    no date or no place is a group of its own."""
    gaz = gazetteer()
    keyed: dict[tuple, list[str]] = defaultdict(list)
    for record in records:
        article = record.article
        day = (parse_published(article.published) if use_published else None) or dateline(article.text)
        named = gaz.find(f"{article.title or ''}\n{article.text or ''}")
        gov = named[0].entry.governorate if named else None
        keyed[(day, gov) if day is not None and gov is not None else (record.id,)].append(record.id)
    return list(keyed.values())


def score(groups: list[EventGroup], labels: list[Label]) -> EventScores:
    """Score ``groups`` against ``labels`` (see the module docstring)."""
    by_id = {label.id: label for label in labels}
    group_of = {record: g for g in groups for record in g.records if record in by_id}
    precision, recall, f1 = pair_scores((g.records for g in groups), labels)
    shown = total = flagged = conflicts = 0
    missed = []
    for name, members in sorted(_events(labels).items()):
        if len(members) < 2:
            continue
        for member in sorted(members):
            label, group = by_id[member], group_of.get(member)
            if label.crowd_killed is None:
                continue
            total += 1
            if group is not None and _shown(group, label.crowd_killed):
                shown += 1
            else:
                missed.append(f"{member}: {label.crowd_killed} ({name})")
        tolls = {by_id[m].crowd_killed for m in members if by_id[m].crowd_killed is not None}
        if len(tolls) > 1:
            conflicts += 1
            holders = Counter(group_of[m].id for m in members if m in group_of)
            if holders:
                best = min(holders, key=lambda g: (-holders[g], g))
                group = next(g for g in groups if g.id == best)
                flagged += group.killed.agreement == "conflict"
    sums = sum(_summed(g) for g in groups)
    return EventScores(labelled=len(labels), found=len(group_of), pair_precision=precision, pair_recall=recall,
                       pair_f1=f1, tolls_shown=shown, tolls_total=total, conflicts_flagged=flagged,
                       conflicts_total=conflicts, sums=sums, missed=tuple(missed))


def _summed(group: EventGroup) -> bool:
    """Whether the group's conservative killed figure is no figure its reports state (a
    number worked out, not read), or the sum of two or more readings of different
    sources (a figure that happens to be stated too, but adds several sources' dead)."""
    rec = group.tolls.get(Outcome.killed)
    if rec is None or rec.conservative is None:
        return False
    stated = {v for f in group.figures if f.figure.outcome == Outcome.killed
              for v in (f.figure.low, f.figure.high) if v is not None}
    if rec.conservative not in stated:
        return True
    values: dict[str, int] = {}
    for f in rec.readings:
        if f.value is not None:
            values[f.source] = min(values.get(f.source, f.value), f.value)
    parts = sorted(values.values())[:12]
    return any(sum(c) == rec.conservative for n in range(2, min(4, len(parts)) + 1)
               for c in combinations(parts, n) if min(c) > 0)


def _events(labels: list[Label]) -> dict[str, set[str]]:
    events: dict[str, set[str]] = defaultdict(set)
    for label in labels:
        events[label.event].add(label.id)
    return events


def scores_table(rows: list[tuple[str, EventScores]]) -> str:
    """A Markdown table of several scorings (one column each)."""
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    names = [name for name, _ in rows]
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(rows)]
    metrics = [
        ("articles in the records / labelled", lambda s: f"{s.found} / {s.labelled}"),
        ("same-event pairs: precision", lambda s: pct(s.pair_precision)),
        ("same-event pairs: recall", lambda s: pct(s.pair_recall)),
        ("same-event pairs: F1", lambda s: pct(s.pair_f1)),
        ("multi-outlet tolls shown in their event", lambda s: f"{s.tolls_shown} / {s.tolls_total}"),
        ("differing tolls flagged conflict", lambda s: f"{s.conflicts_flagged} / {s.conflicts_total}"),
        ("conservative figure is a sum", lambda s: str(s.sums)),
    ]
    if any(s.baseline_f1 is not None for _, s in rows):
        metrics.insert(4, ("baseline (date + first governorate named): pair F1", lambda s: pct(s.baseline_f1)))
    for label, get in metrics:
        lines.append(f"| {label} | " + " | ".join(get(s) for _, s in rows) + " |")
    return "\n".join(lines) + "\n"
