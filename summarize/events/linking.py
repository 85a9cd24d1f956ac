"""Linking: whether two reports tell the same event, and why.

Two reports are the same event when
- their **dates** agree: a report's date is an interval, from the event's day it names
  ("Saturday's blast") to the day of the report itself, and two intervals must come
  within the window (default one day) of each other;
- their **places** match at the same or a finer level: the same governorate (Damascus
  and its countryside, Rif Dimashq, count as one area). Where both name a town or site,
  one lying in the other ("Salah al-Din, Aleppo" in "Aleppo") makes the link stronger;
  towns that do not nest ("Salah al-Din" and "Sheikh Maqsoud", both in Aleppo) make it
  weaker, and are allowed only when the dates agree and are settled for the pair (both
  firm, or two outlets' datelines within the window: ``towns_may_differ``): an event is
  a day in a governorate, told from different towns and quarters of it. A report whose
  date is uncertain joins across dates on its content's evidence (below), where the
  towns may differ too;
- their **kinds** are compatible: attacks of any kind (air strike, shelling, bombing,
  clashes, a chemical attack, a siege, a change of territory) go together, and so do
  talks, truces and statements, aid and evacuations, protests and arrests. A report whose
  kind is unknown fits any.

A date is **firm** when it rests on the article's ``published`` field, or when the text
states the event's day of the month ("on 7 October": it does not rest on the article's
own date, which gives at most its year). A date read from the article's dateline, or a
page's "last updated" stamp, is **uncertain**: in FA-KES such a date lies days or weeks
from the event more often than not, and so does a weekday or "yesterday" read against it. A report without any
date, or whose uncertain date lies later than the other's by more than the window (up
to ``UNCERTAIN_REACH`` days: a dateline may be written after the event, never before it),
joins another only on the evidence of their content
(``Evidence``): the same wording (TF-IDF cosine of their leads, :mod:`wording`), the same
killed toll, the same town or site; a report without any date, only on strong evidence
(``undated_evidence``: wording alike by itself, or the same town or site and a close
killed toll). Wording counts as such evidence only when it rests on COMMON_WORDS words
in common, for a report dated by a dateline as for one without a date: the cosine of a
headline-only record is high with any report that holds its few words (not so where
the dates agree: there wording only tells two towns' reports of one day apart). Two
reports with firm dates further apart than the window are never the same event.

A report with no place joins others only on the same day with a close killed toll.
Close casualty tolls strengthen a link; so do the same day, the same town, the same kind
and similar wording. Every link says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from summarize.places import DEPTH, Place, fold, gazetteer
from summarize.events.profile import Profile
from summarize.events.wording import Weighted, overlap
from summarize.schema import EventType

#: Kinds of event that may be told of the same event by different outlets.
FAMILIES: dict[EventType, str] = {
    **{k: "violence" for k in (EventType.armed_clash, EventType.airstrike, EventType.shelling, EventType.bombing,
                               EventType.chemical_attack, EventType.territorial_change, EventType.siege)},
    **{k: "politics" for k in (EventType.ceasefire, EventType.negotiation, EventType.statement)},
    **{k: "aid" for k in (EventType.humanitarian, EventType.evacuation)},
    **{k: "civil" for k in (EventType.protest, EventType.arrest)},
}
#: How many days an uncertain date (a dateline, an update stamp) may lie from another
#: report's date when their content shows they tell the same event.
UNCERTAIN_REACH = 31
#: How much content evidence joins reports whose dates do not agree (see Evidence.score):
#: a cosine of 0.2 lies above nearly all pairs of reports of different events in one
#: governorate of the development sample (python benchmarks/events_wording.py).
EVIDENCE_TO_JOIN = 0.2
#: What a shared killed toll and a shared town or site add to the wording's cosine; a
#: report of another town of the governorate needs PLACE_WEIGHT more to join across dates
#: (the places that do not nest count against it as much as a shared one counts for).
TOLL_WEIGHT = 0.1
PLACE_WEIGHT = 0.1
#: Wording this alike is named in a link's reasons.
SIMILAR_WORDING = 0.25
#: What a report without any date needs to join another: it has no date to narrow the
#: events it could tell to a month, so any report of its governorate in the years of a
#: batch could be its match, and a common toll ("20 killed") with a few common words is
#: no evidence then. It joins on wording alike enough to join by itself (this cosine), or
#: on the same town or site AND a close killed toll (two specific facts in common); a
#: toll or a town does not make up for wording that falls short.
UNDATED_WORDING = EVIDENCE_TO_JOIN
#: Wording counts as evidence to join (``Evidence.wording``) only when it rests on at
#: least this many words in common, whether the report is undated or its date is only a
#: dateline that does not agree with the other's: the cosine of a bag of a few words (a
#: title only, a one-line text) is high with any report that holds them ("Aleppo market"
#: reaches 0.29 with a market strike of Aleppo), and the governorate's name, the kind of
#: attack and its outcome ("aleppo", "air", "strike", "killed") are words most reports
#: of a governorate's war have in common. A headline tells an event in more words.
COMMON_WORDS = 5
#: What reports of different towns of one governorate need in common when their dates
#: agree but are not both firm (two outlets' datelines): the content evidence a report
#: needs to join across dates, its wording counted however few words it rests on
#: (``Evidence.corroboration``: the floor of COMMON_WORDS is for wording that stands in
#: for a date; two outlets' two-sentence reports of one strike share few words). A
#: dateline may be a page's update stamp or a crawl's day, many reports share one, and a
#: governorate holds many events a day: without this, one day's datelines would gather
#: every report of a governorate into one event.
APART_EVIDENCE = EVIDENCE_TO_JOIN


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
    """A profile with what linking compares: its date interval, killed tolls and the
    words of its lead (weighed once the batch's word frequencies are known)."""

    profile: Profile
    tolls: tuple[int, ...]
    words: dict[str, int] = field(default_factory=dict)
    weighted: Weighted | None = None
    interval: tuple[date, date] | None = field(init=False)
    firm: bool = field(init=False)
    families: frozenset[str] | None = field(init=False)
    area: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.area = self.profile.area
        days = [d for d in (self.profile.date, self.profile.anchor) if d is not None]
        self.interval = (min(days), max(days)) if days else None
        self.firm = self.profile.anchor_from == "published" or self.profile.date_stated
        self.families = _families(self.profile.kinds)


@dataclass(frozen=True)
class Evidence:
    """What the content of two reports shares: how alike their wording is (cosine) and
    on how many words in common, a close killed toll, the same town or site."""

    similarity: float
    toll: int | None
    place: str | None
    common: int = 0

    @property
    def wording(self) -> float:
        """The cosine as evidence: none when it rests on fewer than COMMON_WORDS words in
        common (a headline-only record's few words are in many reports)."""
        return self.similarity if self.common >= COMMON_WORDS else 0.0

    @property
    def corroboration(self) -> float:
        """The score of content that only has to tell two towns' reports of one day apart
        (``towns_may_differ``: the dates agree): the cosine counts however few words it
        rests on, the floor being for wording that stands in for a date."""
        return self.similarity + (TOLL_WEIGHT if self.toll is not None else 0.0) + (
            PLACE_WEIGHT if self.place else 0.0)

    @property
    def score(self) -> float:
        """The wording's cosine (``wording``), plus TOLL_WEIGHT and PLACE_WEIGHT for a
        shared toll or town: EVIDENCE_TO_JOIN needs wording alike, or a shared toll or
        town and some wording alike."""
        return self.wording + (TOLL_WEIGHT if self.toll is not None else 0.0) + (
            PLACE_WEIGHT if self.place else 0.0)

    def reasons(self, *, joined_on: bool = False) -> list[str]:
        """The evidence in words. ``joined_on``: the link rests on this evidence (dates
        that do not agree, or no date), so wording is named whatever its cosine."""
        if self.similarity >= SIMILAR_WORDING:
            out = [f"similar wording (cosine {self.similarity:.2f})"]
        else:
            out = [f"wording alike (cosine {self.similarity:.2f})"] if joined_on and self.similarity > 0 else []
        if self.place:
            out.append(f"same place {self.place}")
        if self.toll is not None:
            out.append(f"close killed tolls ({self.toll})")
        return out


def _families(kinds: frozenset[EventType]) -> frozenset[str] | None:
    found = frozenset(FAMILIES[k] for k in kinds if k in FAMILIES)
    return found or None


@lru_cache(maxsize=1 << 16)
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


def towns_apart(a: Place | None, b: Place | None) -> bool:
    """Both placed in one governorate, at places that do not nest (two towns or quarters
    of it: "Salah al-Din, Aleppo" and "Sheikh Maqsoud, Aleppo")."""
    return a is not None and b is not None and a.governorate == b.governorate and not a.compatible(b)


def one_outlet_unsettled(a: Candidate, b: Candidate) -> bool:
    """One outlet's two reports, not both firmly dated: of two towns they tell two events.
    Both firm, they are one day's reports of one governorate, which is what an event is
    (FA-KES labels an event by its day and governorate); by datelines, an outlet's two
    stamps corroborate nothing, and a late dateline would join through another outlet's
    report an event its own outlet told of another quarter."""
    return a.profile.outlet == b.profile.outlet and not (a.firm and b.firm)


def towns_may_differ(a: Candidate, b: Candidate, window: int) -> bool:
    """Whether reports of different towns of one governorate may still be one event: not
    one outlet's reports unless both are firm (:func:`one_outlet_unsettled`), and
    their dates agree (within the window) and are settled for the pair: both firm, or
    datelines (each corroborates the other; a day the text states counts as that day
    alone, not the span to the article's date); with dates not both firm, the content must
    show as much in common as joining across dates asks (APART_EVIDENCE)."""
    gap = date_gap(a, b)
    if gap is None or gap > window or one_outlet_unsettled(a, b):
        return False
    if a.profile.date_stated or b.profile.date_stated:
        # a day the text states is that day, not the span to the article's date that a
        # weekday or no day word leaves open: another town's report must fit that day
        ia = (a.profile.date, a.profile.date) if a.profile.date_stated else a.interval
        ib = (b.profile.date, b.profile.date) if b.profile.date_stated else b.interval
        if max(0, (max(ia[0], ib[0]) - min(ia[1], ib[1])).days) > window:  # type: ignore[index]
            return False
    if a.firm and b.firm:
        return True
    return evidence(a, b).corroboration >= APART_EVIDENCE


def places_fit(a: Candidate, b: Candidate, window: int) -> bool:
    """Places nest (``places_compatible``), or lie in one governorate where the dates
    allow it (``towns_may_differ``)."""
    pa, pb = a.profile.place, b.profile.place
    return places_compatible(pa, pb) or (towns_apart(pa, pb) and towns_may_differ(a, b, window))


def date_gap(a: Candidate, b: Candidate) -> int | None:
    """Days between two reports' date intervals (0 when they overlap), None if undated."""
    ia, ib = a.interval, b.interval
    if ia is None or ib is None:
        return None
    return max(0, (max(ia[0], ib[0]) - min(ia[1], ib[1])).days)


def dates_agree(a: Candidate, b: Candidate, window: int) -> bool:
    """Both dated, within the window of each other."""
    gap = date_gap(a, b)
    return gap is not None and gap <= window


def compatible(a: Candidate, b: Candidate, window: int) -> bool:
    """Places and kinds compatible and dates within the window (or either undated)."""
    gap = date_gap(a, b)
    fa, fb = a.families, b.families
    return ((gap is None or gap <= window) and (fa is None or fb is None or not fa.isdisjoint(fb))
            and places_fit(a, b, window))


def may_be_one(a: Candidate, b: Candidate, window: int, *, settled_a: bool | None = None,
               settled_b: bool | None = None, any_town: bool = False) -> bool:
    """The hard conditions: places and kinds compatible, and dates within the window, or
    (any, when undated) within UNCERTAIN_REACH where the later report's date is uncertain.

    A dateline bounds what an article can report: a stamp may be written days or weeks
    after the event (a page updated, a story reprinted), never before it. So the report
    dated later may be late; the report dated earlier cannot tell an event of a date that
    is settled after its own. ``settled_a`` / ``settled_b``: whether that report's date is
    settled (default: firm, from a published field; clustering also counts a date that two
    outlets' datelines agree on). Towns of one governorate that do not nest fit when
    their dates agree and ``towns_may_differ``; with ``any_town`` (the uncertain-date
    pass, where content stands in for dates) also when their dates do not agree."""
    fa, fb = a.families, b.families
    kinds_fit = fa is None or fb is None or not fa.isdisjoint(fb)
    if not kinds_fit:
        return False
    if not places_compatible(a.profile.place, b.profile.place):
        if not towns_apart(a.profile.place, b.profile.place) or one_outlet_unsettled(a, b):
            return False
        gap = date_gap(a, b)
        if not any_town or (gap is not None and gap <= window):
            return towns_may_differ(a, b, window)
    gap = date_gap(a, b)
    if gap is None or gap <= window:
        return True
    if gap > UNCERTAIN_REACH:
        return False
    b_later = b.interval[0] > a.interval[0]  # type: ignore[index]
    late_settled = (b.firm if settled_b is None else settled_b) if b_later else (
        a.firm if settled_a is None else settled_a)
    return not late_settled


def close_toll(a: tuple[int, ...], b: tuple[int, ...]) -> int | None:
    """A killed toll the two reports share: equal, or within a tenth for ten and more."""
    for x in a:
        for y in b:
            if x == y or (min(x, y) >= 10 and abs(x - y) <= 0.1 * max(x, y)):
                return y
    return None


@lru_cache(maxsize=1 << 14)
def specific_place(place: Place | None) -> bool:
    """A town or site other than a governorate's capital city (many events happen in
    "Aleppo city"; few in Rashidin)."""
    if place is None or place.level not in ("town", "site"):
        return False
    if place.level == "site":
        return True
    gaz = gazetteer()
    return fold(gaz.names.get(place.town or "", "")) != fold(gaz.governorate_name(place.governorate))


def evidence(a: Candidate, b: Candidate) -> Evidence:
    """What the two reports' content shares (see Evidence)."""
    similarity, common = overlap(a.weighted, b.weighted) if a.weighted is not None and b.weighted is not None \
        else (0.0, 0)
    pa, pb = a.profile, b.profile
    place = pa.place_name if pa.place == pb.place and specific_place(pa.place) else None
    return Evidence(similarity, close_toll(a.tolls, b.tolls), place, common)


def joins_across_dates(a: Candidate, b: Candidate, found: Evidence) -> bool:
    """Whether ``found``, the content evidence of ``a`` and ``b``, joins them when their
    dates do not agree: EVIDENCE_TO_JOIN, and PLACE_WEIGHT more for two towns of one
    governorate that do not nest."""
    return found.score >= EVIDENCE_TO_JOIN + (PLACE_WEIGHT if towns_apart(a.profile.place, b.profile.place) else 0.0)


def undated_evidence(a: Candidate, b: Candidate, found: Evidence) -> bool:
    """Whether ``found``, the content evidence of ``a`` and ``b``, is strong enough for a
    report without any date to join: wording alike by itself (UNDATED_WORDING, on
    COMMON_WORDS words of their leads in common: ``Evidence.wording``), or the same town
    or site and a close killed toll."""
    if found.place is not None and found.toll is not None:
        return True
    return found.wording >= UNDATED_WORDING


@dataclass(frozen=True)
class Assessed:
    """Two reports judged the same event: how strongly, and what their content shares
    (the words of the link are written only for the links that join clusters)."""

    a: Candidate
    b: Candidate
    score: float
    found: Evidence
    gap: int | None

    @property
    def ids(self) -> tuple[str, str]:
        return self.a.profile.record_id, self.b.profile.record_id


def assess(a: Candidate, b: Candidate, window: int, *, any_town: bool = False) -> Assessed | None:
    """Whether two reports are the same event and how strongly, or None when not.
    ``any_town``: as for ``may_be_one`` (the uncertain-date pass: there the content's
    evidence stands in for dates that agree, for towns of one governorate too)."""
    if not may_be_one(a, b, window, any_town=any_town):
        return None
    if b.profile.record_id < a.profile.record_id:
        a, b = b, a  # the same words whichever way round the pair comes
    pa, pb = a.profile, b.profile
    found = evidence(a, b)
    score = 1.0
    if (pa.place is None or pb.place is None) and (found.toll is None or pa.date is None or pa.date != pb.date):
        return None  # no place: only the same day and the same toll
    gap = date_gap(a, b)
    if gap is None or gap > window:
        if not joins_across_dates(a, b, found):
            return None  # dates that do not agree: only on the content's evidence
        if gap is None and not undated_evidence(a, b, found):
            return None  # no date at all: only on strong content evidence
    else:
        score += 2.0 if pa.date == pb.date else 1.0
    if pa.place is not None and pb.place is not None:
        if towns_apart(pa.place, pb.place):
            score -= 0.5
        else:
            score += 2.0 if pa.place == pb.place and pa.place.level != "governorate" else 0.5
    if not pa.kinds.isdisjoint(pb.kinds):
        score += 1.0
    if found.toll is not None:
        score += 1.5
    score += 2.0 * found.similarity
    return Assessed(a, b, score, found, gap)


def explain(judged: Assessed, window: int) -> Link:
    """The link of two reports judged the same event, its reasons in words."""
    a, b, found, gap = judged.a, judged.b, judged.found, judged.gap
    pa, pb = a.profile, b.profile
    reasons: list[str] = []
    if pa.place is None or pb.place is None:
        reasons.append(f"no place in {pa.record_id if pa.place is None else pb.record_id}")
    if gap is None:
        reasons.append("no date in " + " and ".join(p.record_id for p in (pa, pb) if p.date is None))
    elif gap > window:
        unsure = [p.record_id for p, c in ((pa, a), (pb, b)) if not c.firm]
        reasons.append(f"days {pa.date} and {pb.date} are {gap} days apart, but {' and '.join(unsure)} "
                       f"{'is' if len(unsure) == 1 else 'are'} dated only by a dateline")
    elif pa.date == pb.date:
        reasons.append(f"same day {pa.date.isoformat()}")  # type: ignore[union-attr]
    else:
        reasons.append(f"days {pa.date} and {pb.date} within {window} of each other" if gap
                       else f"dates {pa.date} and {pb.date} overlap")
    if pa.place is not None and pb.place is not None:
        if pa.place == pb.place and pa.place.level != "governorate":
            if not found.place:
                reasons.append(f"same place {pa.place_name}")
        elif pa.place == pb.place:
            reasons.append(f"same governorate {pa.place_name}")
        elif towns_apart(pa.place, pb.place):
            gaz = gazetteer()
            reasons.append(f"different towns {_finest(pa.place)} and {_finest(pb.place)} "
                           f"in {gaz.governorate_name(pa.place.governorate)}")
        else:
            fine, coarse = (pa, pb) if _finer(pa.place, pb.place) else (pb, pa)
            reasons.append(f"{fine.place_name} lies in {coarse.place_name}")
    common = pa.kinds & pb.kinds
    if common:
        reasons.append("both " + ", ".join(sorted(k.value.replace("_", " ") for k in common)))
    reasons.extend(found.reasons(joined_on=gap is None or gap > window))
    return Link(pa.record_id, pb.record_id, judged.score, "; ".join(reasons))


def link(a: Candidate, b: Candidate, window: int) -> Link | None:
    """The link between two reports, or None when they are not the same event."""
    judged = assess(a, b, window)
    return None if judged is None else explain(judged, window)


def _finest(place: Place) -> str:
    """The name of a place's finest level ("Salah al-Din", "Aleppo city")."""
    gaz = gazetteer()
    return gaz.label(place).split(", ")[0]


def _finer(a: Place, b: Place) -> bool:
    return DEPTH[a.level] >= DEPTH[b.level]
