"""Linking: which reports tell the same event, each link with its reason.

Two reports are the same event when
- their **dates** are within the window (default one day). A report's date is an
  interval: from the event's day it names ("Saturday's blast") to the day of the report
  itself; two intervals must come within the window of each other. A report with no date
  at all is not held against any date;
- their **places** match at the same or a finer level: the same governorate (Damascus
  and its countryside, Rif Dimashq, count as one area), and where both name a town or
  site, one lies in the other ("Salah al-Din, Aleppo" matches "Aleppo" but not "Sheikh
  Maqsoud, Aleppo");
- their **kinds** are compatible: attacks of any kind (air strike, shelling, bombing,
  clashes, a chemical attack, a siege, a change of territory) go together, and so do
  talks, truces and statements, aid and evacuations, protests and arrests. A report whose
  kind is unknown fits any.

A report with no place joins others only on the same day with the same toll. Close
casualty tolls strengthen a link; so does the same day, the same town, the same kind.

Clustering is complete-link and deterministic: candidate links (only between reports of
one area within the window of each other: no all-pairs comparison) are taken strongest
first, ties by record id, and two clusters merge only when every report of one matches
every report of the other, so a chain of near-days or neighbouring places cannot drag
different events together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from summarize.events.places import Place
from summarize.events.profile import Profile
from summarize.schema import EventType

#: Kinds of event that may be told of the same event by different outlets.
FAMILIES: dict[EventType, str] = {
    **{k: "violence" for k in (EventType.armed_clash, EventType.airstrike, EventType.shelling, EventType.bombing,
                               EventType.chemical_attack, EventType.territorial_change, EventType.siege)},
    **{k: "politics" for k in (EventType.ceasefire, EventType.negotiation, EventType.statement)},
    **{k: "aid" for k in (EventType.humanitarian, EventType.evacuation)},
    **{k: "civil" for k in (EventType.protest, EventType.arrest)},
}
#: Reports without a date compared with at most this many reports of their area.
MAX_UNDATED_CANDIDATES = 400


@dataclass(frozen=True)
class Link:
    """Reports ``a`` and ``b`` tell the same event; ``why`` says so in words."""

    a: str
    b: str
    score: float
    why: str

    def as_json(self) -> dict:
        """``{"a", "b", "why"}`` and the score."""
        return {"a": self.a, "b": self.b, "why": self.why, "score": round(self.score, 2)}


@dataclass
class Candidate:
    """A profile with what linking compares: its date interval and killed tolls."""

    profile: Profile
    tolls: tuple[int, ...]
    interval: tuple[date, date] | None = field(init=False)

    def __post_init__(self) -> None:
        days = [d for d in (self.profile.date, self.profile.anchor) if d is not None]
        self.interval = (min(days), max(days)) if days else None


def _families(kinds: frozenset[EventType]) -> set[str] | None:
    found = {FAMILIES[k] for k in kinds if k in FAMILIES}
    return found or None


def kinds_compatible(a: frozenset[EventType], b: frozenset[EventType]) -> bool:
    """True unless both kinds are known and share no family."""
    fa, fb = _families(a), _families(b)
    return fa is None or fb is None or bool(fa & fb)


def places_compatible(a: Place | None, b: Place | None) -> bool:
    """Same or finer level; Damascus and Rif Dimashq as one area (a bare "Damascus"
    matches a place in its countryside)."""
    if a is None or b is None:
        return True
    if a.compatible(b):
        return True
    pair = {a.governorate, b.governorate}
    if pair == {"SY-DI", "SY-RD"}:
        return a.level == "governorate" or b.level == "governorate"
    return False


def date_gap(a: Candidate, b: Candidate) -> int | None:
    """Days between two reports' date intervals (0 when they overlap), None if undated."""
    ia, ib = a.interval, b.interval
    if ia is None or ib is None:
        return None
    return max(0, (max(ia[0], ib[0]) - min(ia[1], ib[1])).days)


def compatible(a: Candidate, b: Candidate, window: int) -> bool:
    """The hard conditions: dates within the window, places and kinds compatible."""
    gap = date_gap(a, b)
    return ((gap is None or gap <= window) and places_compatible(a.profile.place, b.profile.place)
            and kinds_compatible(a.profile.kinds, b.profile.kinds))


def _close(a: tuple[int, ...], b: tuple[int, ...]) -> int | None:
    for x in a:
        for y in b:
            if x == y or (min(x, y) >= 10 and abs(x - y) <= 0.1 * max(x, y)):
                return y
    return None


def link(a: Candidate, b: Candidate, window: int) -> Link | None:
    """The link between two reports, or None when they are not the same event."""
    if not compatible(a, b, window):
        return None
    if b.profile.record_id < a.profile.record_id:
        a, b = b, a  # the same words whichever way round the pair comes
    pa, pb = a.profile, b.profile
    reasons: list[str] = []
    score = 1.0
    shared = _close(a.tolls, b.tolls)
    if pa.place is None or pb.place is None:
        if shared is None or pa.date is None or pa.date != pb.date:
            return None  # no place: only the same day and the same toll
        reasons.append(f"no place in {pa.record_id if pa.place is None else pb.record_id}")
    gap = date_gap(a, b)
    if gap is None:
        reasons.append("no date in " + " or ".join(p.record_id for p in (pa, pb) if p.anchor is None and p.date is None))
    elif pa.date == pb.date:
        score += 2.0
        reasons.append(f"same day {pa.date.isoformat()}")  # type: ignore[union-attr]
    else:
        score += 1.0
        reasons.append(f"days {pa.date} and {pb.date} within {window} of each other" if gap
                       else f"dates {pa.date} and {pb.date} overlap")
    if pa.place is not None and pb.place is not None:
        if pa.place == pb.place and pa.place.level != "governorate":
            score += 2.0
            reasons.append(f"same place {pa.place_name}")
        elif pa.place == pb.place:
            score += 0.5
            reasons.append(f"same governorate {pa.place_name}")
        else:
            score += 0.5
            fine, coarse = (pa, pb) if _finer(pa.place, pb.place) else (pb, pa)
            reasons.append(f"{fine.place_name} lies in {coarse.place_name}")
    common = pa.kinds & pb.kinds
    if common:
        score += 1.0
        reasons.append("both " + ", ".join(sorted(k.value.replace("_", " ") for k in common)))
    if shared is not None:
        score += 1.5
        reasons.append(f"close killed tolls ({shared})")
    return Link(min(pa.record_id, pb.record_id), max(pa.record_id, pb.record_id), score, "; ".join(reasons))


def _finer(a: Place, b: Place) -> bool:
    order = {"governorate": 1, "district": 2, "town": 3, "site": 4}
    return order[a.level] >= order[b.level]


def candidate_pairs(items: Sequence[Candidate], window: int) -> list[tuple[int, int]]:
    """Index pairs worth comparing: same area and dates near each other, by blocks."""
    by_area: dict[str | None, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        by_area[item.profile.area].append(i)
    pairs: list[tuple[int, int]] = []
    reach = timedelta(days=window)
    for area, members in by_area.items():
        if area is None:
            continue
        dated = sorted((i for i in members if items[i].interval is not None),
                       key=lambda i: (items[i].interval[0], items[i].profile.record_id))  # type: ignore[index]
        undated = [i for i in members if items[i].interval is None]
        for pos, i in enumerate(dated):
            end = items[i].interval[1] + reach  # type: ignore[index]
            for j in dated[pos + 1:]:
                if items[j].interval[0] > end:  # type: ignore[index]
                    break  # sorted by start: no later report comes within the window
                pairs.append((i, j))
        for pos, i in enumerate(undated):
            others = (undated[pos + 1:] + dated)[:MAX_UNDATED_CANDIDATES]
            pairs.extend((i, j) for j in others)
    placeless = [i for i in by_area.get(None, []) if items[i].tolls and items[i].profile.date is not None]
    if placeless:
        by_day_toll: dict[tuple[date, int], list[int]] = defaultdict(list)
        for i, item in enumerate(items):
            if item.profile.date is not None:
                for toll in item.tolls:
                    by_day_toll[(item.profile.date, toll)].append(i)
        for i in placeless:
            seen = {j for toll in items[i].tolls for j in by_day_toll[(items[i].profile.date, toll)]}  # type: ignore[index]
            pairs.extend((min(i, j), max(i, j)) for j in sorted(seen) if j != i)
    return sorted(set(pairs))


def cluster(items: Sequence[Candidate], *, window: int = 1) -> tuple[list[list[int]], list[list[Link]]]:
    """Complete-link clusters of ``items`` (lists of indexes, every item in exactly one)
    and the links that joined each."""
    links = []
    for i, j in candidate_pairs(items, window):
        found = link(items[i], items[j], window)
        if found is not None:
            links.append((found, i, j))
    links.sort(key=lambda t: (-t[0].score, t[0].a, t[0].b))
    owner = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    joined: dict[int, list[Link]] = {i: [] for i in range(len(items))}
    for found, i, j in links:
        ci, cj = owner[i], owner[j]
        if ci == cj:
            continue
        if not all(compatible(items[x], items[y], window) for x in members[ci] for y in members[cj]):
            continue
        keep, gone = min(ci, cj), max(ci, cj)
        for x in members[gone]:
            owner[x] = keep
        members[keep].extend(members.pop(gone))
        joined[keep].extend(joined.pop(gone))
        joined[keep].append(found)
    order = sorted(members)
    return [sorted(members[k]) for k in order], [joined[k] for k in order]
