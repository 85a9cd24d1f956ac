"""What identifies the event a record reports: its date, place, kind and tolls.

Read from the record alone (any backend, also an error record: its article is enough for
date and place), never from a model:

- **date**: the article's own date is ``published``, else the dateline its text opens
  with. The event's day is the first ``date_text`` of the record's events that resolves
  against it, else the first day word ("Tuesday", "yesterday") in the article's lead,
  else the article's date itself.
- **place**: every gazetteer place named in the title, the lead (the first sentences)
  and the events' ``location`` is weighed: the title and first sentence count most, a
  name after "in", "at", "near", "outside", "of" more than one after "from" or "to", a
  sentence that reports deaths or an attack more than one that does not, and
  "Damascus said" (the government, not the city), a reporter's place ("told AFP in
  Damascus") and an earlier event ("in Aleppo last year", "hours after a gas attack in
  X") hardly at all, a name inside an organisation's name ("Aleppo Media Center", "a
  Damascus-based lawyer") only when nothing else names a place. The governorate with the
  most weight is the event's; a town or site of that governorate named in the title or
  the first sentences, after such a word, makes the place finer.
- **kinds**: the event types of the record's events; **tolls**: per outcome, the figures
  of the lead that count a whole toll (not "68 children were among ...", not "a previous
  toll of 112", not a war-long total), read in :mod:`summarize.events.reconcile`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from summarize.events.dates import Resolved, bounds_a_span, dateline, day_words, parse_published, resolve
from summarize.places import Gazetteer, Mention, Place, gazetteer
from summarize.events.wording import bag
from summarize.records import Record
from summarize.schema import EventType

#: How much of the text is the lead: its first sentences, at most this many characters.
LEAD_SENTENCES = 4
LEAD_CHARS = 900
#: How far past the lead to look for a place when the lead names none.
REST_CHARS = 4000

#: Damascus and its countryside are one area for matching: outlets write "near Damascus"
#: or "Damascus" for the Ghouta, which is in Rif Dimashq.
AREA_OF: dict[str, str] = {"SY-RD": "SY-DI"}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'‘(])|\n\s*\n")
_LOCATIVE = frozenset({"in", "at", "near", "outside", "around", "across", "into", "of", "on", "over",
                       "targeting", "targeted", "hit", "hits", "struck", "strikes", "pounded", "shelled",
                       "bombed", "inside", "within", "besieged", "rural", "eastern", "western",
                       "northern", "southern", "central", "east", "west", "north", "south"})
_AWAY = frozenset({"from", "to", "towards", "toward", "fled", "via"})
#: "residents of X", "evacuees from X": where the people come from, not where it happened.
_ORIGIN = frozenset({"residents", "evacuees", "natives", "villagers", "people", "displaced", "refugees",
                     "families", "fighters", "members", "resident", "native", "evacuee", "refugee", "family",
                     "fighter", "member", "villager"})
#: Word stems of a sentence that reports deaths or an attack.
_EVENT_STEMS = ("kill", "dead", "death", "die", "wound", "injur", "attack", "strike", "raid", "bomb", "shell",
                "blast", "explosion", "clash", "fight", "battle", "offensive", "massacre", "rocket", "mortar")
#: What follows a government named with another ("Moscow and Damascus deny"): a verb of
#: speech or stance, or the clause's end; not a noun ("Moscow and Damascus airports").
_STANCE = (r"\s*(?:[,;:.)]|$|(?:are|were|will|would|must|should|can|could|may|did|do)\b"
           r"|(?:den(?:y|ie)|say|said|reject|accus|blam|insist|warn|claim|condemn|urg|demand|agree|want|hope"
           r"|support|back|call|dismiss|announc|ha(?:ve|d)\b(?!\s+been))\w*)")
#: A place followed by these words stands for a government or its people, not a place.
#: ("Aleppo has been pounded", "shelling in Damascus said to have killed", "a blast in Aleppo
#: claimed 12 lives": passives and a toll, the place itself).
_METONYMY = re.compile(r"\s*(?:ha(?:s|ve|d)\b(?!\s+been\b)|said\b(?!\s+to\b)|says\b|denied\b|denies\b|accused\b"
                       r"|accuses\b|blamed\b|blames\b|government\b(?!-)|regime\b(?!-)|authorities\b|officials?\b"
                       r"|claimed\b(?!\s+(?:the\s+)?lives\b)"
                       r"|rejected\b|warned\b|insists?\b|ally\b|allies\b|and its allies\b|'s government"
                       r"|’s government|'s allies|’s allies|announced\b|condemned\b|welcomed\b|urged\b|demanded\b"
                       r"|and\s+(?:Moscow|Tehran|Ankara|Washington|Russia|Iran|Turkey|Riyadh|Doha)\b(?=" + _STANCE + "))",
                       re.IGNORECASE)
#: Where only the capital speaks for a government, other places' people name theirs.
_GOVERNMENT_AFTER = re.compile(r"\s*(?:government\b(?!-)|regime\b(?!-)|authorities\b|officials?\b|(?:'s|’s) government)",
                               re.IGNORECASE)
#: ... and so does a capital paired with another state's ("Moscow and Damascus deny").
_METONYMY_BEFORE = re.compile(r"\b(?:Moscow|Tehran|Ankara|Washington|Russia|Iran|Turkey|Riyadh|Doha)\s+and\s+$")
_STANCE_AFTER = re.compile(_STANCE, re.IGNORECASE)
#: A place name inside an organisation's or outlet's name ("Aleppo Media Center", "Idlib
#: Military Council", "Raqqa Is Being Slaughtered Silently", "al-Mayadeen TV", "the Shahba
#: hotel" in Aleppo) or a source's base ("a Damascus-based lawyer"): no place of the event.
_ORG_AFTER = re.compile(r"\s+(?:Media|Center|Centre|(?:Military |Local |Provincial |Revolutionary )?Council"
                        r"|Network|Forum|Consultative|Coordination|Committee|Is Being Slaughtered|Press|Revolutionary"
                        r"|Observatory|Brigades?|Battalions?|News)\b"
                        r"|(?i:\s+(?:TV|television|radio|channel|broadcaster|newspaper|daily|news agency|hotel)\b|-based\b)")
#: What happened there before this event: "in Aleppo last year", "in Ghouta in August
#: 2013", "years ago", read in the clause after the name (up to the next stop); a month
#: or year named only when it ended before the article's month began (``_ended_before``).
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_YEAR = r"(?:(" + "|".join(_MONTHS) + r")\s+)?((?:19|20)\d\d)"
_PAST_AFTER = re.compile(r"\b(?:(?:last|previous|past)\s+(?:year|month|summer|winter|spring|autumn|fall)"
                         r"|(?:\d+|two|three|four|five|several|many)\s+(?:years|months)\s+ago|years\s+ago"
                         r"|earlier\s+this\s+year|in\s+" + _MONTH_YEAR + r"\b)", re.IGNORECASE)
_PAST_OPENS = re.compile(r"^\W*(?:(?:last|in)\s+(?:year|" + _MONTH_YEAR + r"))\b", re.IGNORECASE)
_PAST_HINT = re.compile(r"\d|ago|ast\b|ious|arlier", re.IGNORECASE)
#: Words between a name and a past time that tie the name to this event after all: "in
#: Aleppo on Tuesday, the deadliest since last year".
_THIS_EVENT = re.compile(r"\b(?:since|than|today|yesterday|tonight|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
                         re.IGNORECASE)
#: An earlier event the report sets this one after: "hours after a gas attack in X".
#: ("shortly after dawn in Aleppo" is this event's hour, not another event).
_EARLIER = re.compile(r"\b(?<!for\s)(?:(?:hours?|days?|weeks?|months?|a\s+day|a\s+week|shortly|soon|just|comes?|came)\s+"
                      r"(?:after|following)|in\s+the\s+wake\s+of)\s+(?:a|an|the|its|their|last|earlier)\b",
                      re.IGNORECASE)
#: A reporter or agency placed there: "told AFP in Damascus", "our correspondent in Aleppo".
_REPORTERS = frozenset({"correspondent", "correspondents", "reporter", "reporters", "told", "speaking",
                        "spokesman", "spokeswoman", "news", "tv", "agency", "afp", "sana", "reuters", "ap",
                        "journalists", "journalist", "bureau", "office"})
#: ... unless they are the event's victims ("two journalists in Aleppo were killed").
_VICTIMS_AFTER = re.compile(r"\s+(?:was|were|had\s+been|have\s+been)\s+(?:\w+\s+)?(?:killed|wounded|injured|hurt"
                            r"|shot|kidnapped|abducted|detained|arrested|targeted|hit)\b", re.IGNORECASE)
_STOP = re.compile(r"[.;!?]")
_WORD = re.compile(r"[A-Za-z']+")
_CITY_AFTER = re.compile(r"\s+city\b", re.IGNORECASE)
_CITY_BEFORE = re.compile(r"\bcity of\s+(?:the\s+)?$", re.IGNORECASE)
_COARSE_AFTER = re.compile(r"(?:'s|’s|s)?\s+(?:province|governorate|countryside|region|outskirts)\b"
                           r"|\s*(?:'s|’s)\s+(?:\w+\s+)?(?:countryside|outskirts|suburbs)", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceVote:
    """One place named in the article and its weight; ``why`` says where it was found."""

    place: Place
    weight: float
    why: str
    where: str = ""


@dataclass
class Profile:
    """The event identity of one record (see the module docstring)."""

    record_id: str
    outlet: str
    published: date | None = None
    anchor: date | None = None
    anchor_from: str | None = None
    date: date | None = None
    date_how: str | None = None
    date_stated: bool = False
    place: Place | None = None
    place_name: str | None = None
    place_how: str | None = None
    kinds: frozenset[EventType] = frozenset()
    actors: tuple[str, ...] = ()
    lead_end: int = 0
    names: frozenset[str] = field(default_factory=frozenset)
    words: dict[str, int] = field(default_factory=dict)

    @property
    def area(self) -> str | None:
        """The governorate, with Rif Dimashq counted as Damascus (AREA_OF)."""
        return None if self.place is None else AREA_OF.get(self.place.governorate, self.place.governorate)


def outlet_of(record: Record) -> str:
    """The record's outlet; a record without one is its own unknown outlet (two such
    records are not assumed to come from one outlet)."""
    return record.article.source or f"unknown outlet ({record.id})"


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of ``text`` (a plain split on end punctuation)."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            bounds.append((start, match.start()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


_GOVERNING = frozenset({"in", "at", "near", "outside", "around", "across", "into", "inside", "within", "on",
                        "over", "targeting", "targeted", "hit", "struck", "pounded", "shelled", "bombed"})


def _ended_before(match: re.Match[str], month: tuple[int, int] | None) -> bool:
    """Whether the time a ``_PAST_AFTER``/``_PAST_OPENS`` match names ended before the
    article's ``month`` (year, month; None: unknown) began: "last year" always; "in 2016"
    in 2017, "in December 2016" in January 2017, not "in April 2017" in April 2017."""
    named_month, named_year = match.group(1), match.group(2)
    if named_year is None or month is None:
        return named_year is None
    if named_month is None:
        return int(named_year) < month[0]
    return (int(named_year), _MONTHS.index(named_month.lower()) + 1) < month


def _background(text: str, mention: Mention, lo: int, month: tuple[int, int] | None) -> bool:
    """True when the clause of a mention sets it in another, earlier event: "in Aleppo
    last year", "in Ghouta in August 2013" (a time that ended before ``month``, the
    article's (year, month): ``_ended_before``), "hours after a gas attack in Khan
    Sheikhoun", a sentence opening "In 2013" or "Last year"."""
    tail = text[mention.end:mention.end + 50]
    if _PAST_HINT.search(tail):
        stop = _STOP.search(tail)
        after = _PAST_AFTER.search(tail, 0, stop.start() if stop else len(tail))
        if after is not None and not _THIS_EVENT.search(tail, 0, after.start()) and _ended_before(after, month):
            return True
    start = max(lo, mention.start - 200)
    head = text[start:mention.start]
    stop = None
    for stop in _STOP.finditer(head):
        pass
    clause = head[stop.end():] if stop is not None else head
    if ("after" in clause or "following" in clause or "wake" in clause) and _EARLIER.search(clause):
        return True
    opens = _PAST_OPENS.match(clause) if stop is None and start == lo else None
    return opens is not None and _ended_before(opens, month)


def _cue(text: str, mention: Mention, lo: int = 0, *, month: tuple[int, int] | None = None) -> float:
    """How much a mention's context says "this is where it happened": the nearest
    preposition before it decides ("buses from the towns of Fuaa" is where people came
    from; "in rebel-held Rashidin west of Aleppo" is where it happened). A name inside an
    organisation's name or a source's base ("Aleppo Media Center", "Damascus-based") says
    nothing (0); a capital standing for its government, a reporter placed there ("told
    AFP in Damascus"), a dateline in capitals or an earlier event (``_background``) little."""
    if _ORG_AFTER.match(text, mention.end, mention.end + 40):
        return 0.0
    before = _WORD.findall(text[max(lo, mention.start - 60):mention.start].lower())[-7:]
    said = _METONYMY.match(text, mention.end, mention.end + 30)
    if said and before and before[-1] in _GOVERNING and mention.entry.governorate != _DAMASCUS and \
            not _GOVERNMENT_AFTER.match(text, mention.end, mention.end + 30):
        said = None  # "activists in Hama said": speakers there, not a government
    if said or (
            _METONYMY_BEFORE.search(text, max(0, mention.start - 20), mention.start)
            and _STANCE_AFTER.match(text, mention.end, mention.end + 30)):
        return 0.15
    if len(before) >= 2 and before[-1] == "in" and before[-2] in _REPORTERS and \
            not _VICTIMS_AFTER.match(text, mention.end, mention.end + 40):
        return 0.3
    if len(mention.text) > 4 and mention.text.isupper():
        return 0.3  # a dateline ("DAMASCUS, Syria (AP) --"): where the story was filed
    if _background(text, mention, lo, month):
        return 0.3
    for position in range(len(before) - 1, -1, -1):
        word = before[position]
        if word in _AWAY or (word in ("of", "from") and position > 0 and before[position - 1] in _ORIGIN):
            return 0.3
        if word in _GOVERNING:
            return 1.0
    return 1.0 if any(word in _LOCATIVE for word in before[-3:]) else 0.7


def areas_where(text: str, *, gaz: Gazetteer | None = None) -> list[frozenset[str]]:
    """The places ``text`` (a clause) says something happened at, each as the areas
    (governorates, Rif Dimashq counted as Damascus) its name may be in ("Shahba" is a
    town of Suwayda and a district of Aleppo): the names after "in", "at", "on", "near",
    "outside" and the like, not where people came from ("evacuees from Fuaa") nor a
    capital standing for its government ("Damascus said"). Names are read as the
    profile reads them (``_find``: "the Syrian capital" is Damascus)."""
    gaz = gaz or gazetteer()
    found = []
    for mention in _find(gaz, text):
        if _cue(text, mention) >= 1.0:
            govs = {_refine(gaz, text, mention).governorate, *(c.governorate for c in mention.candidates)}
            found.append(frozenset(AREA_OF.get(g, g) for g in govs))
    return found


#: Damascus governorate is the city alone: what lies outside it, in its countryside or
#: suburbs, is Rif Dimashq ("rural Damascus", "the eastern suburbs of Damascus").
_DAMASCUS, _RURAL_DAMASCUS = "SY-DI", "SY-RD"
_OUTSKIRTS_AFTER = re.compile(r"(?:'s|’s)?\s+(?:countryside|suburbs?|outskirts|environs)\b", re.IGNORECASE)
_OUTSKIRTS_BEFORE = re.compile(r"\b(?:rural|outside|(?:countryside|suburbs?|outskirts|environs)\s+of(?:\s+the\s+capital)?"
                               r"|(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of)"
                               r"\s+(?:the\s+)?(?:Syrian\s+capital\s+)?$", re.IGNORECASE)
#: "the Syrian capital" names Damascus without its name; "its Syrian capital of Raqqa",
#: "the group's de facto Syrian capital" (a group's capital) do not.
_CAPITAL = re.compile(r"\b[Tt]he\s+Syrian\s+capital\b(?!\s+(?:of|Raqq))")


def _refine(gaz: Gazetteer, text: str, mention: Mention) -> Place:
    """The place a mention stands for: a capital named as a city is the town; a capital
    named bare, or as a province, its governorate; Damascus named as its countryside,
    suburbs or outskirts ("rural Damascus", "east of Damascus") Rif Dimashq."""
    place = gaz.place(mention.entry)
    if place.governorate == _DAMASCUS and place.level == "governorate" and (
            _OUTSKIRTS_AFTER.match(text, mention.end, mention.end + 30)
            or _OUTSKIRTS_BEFORE.search(text, max(0, mention.start - 50), mention.start)):
        return Place(_RURAL_DAMASCUS)
    if mention.entry.level == "governorate" and (
            _CITY_AFTER.match(text, mention.end) or _CITY_BEFORE.search(text, max(0, mention.start - 30),
                                                                        mention.start)):
        town = next((c for c in mention.candidates if c.level == "town"), None)
        if town is not None:
            return gaz.place(town)
    if mention.entry.level != "governorate" and _COARSE_AFTER.match(text, mention.end, mention.end + 30):
        gov = next((c for c in mention.candidates if c.level == "governorate"), None)
        if gov is not None:
            return gaz.place(gov)
    return place


def _find(gaz: Gazetteer, text: str) -> list[Mention]:
    """The gazetteer's places named in ``text``, with "the Syrian capital" as Damascus."""
    found = gaz.find(text)
    if "capital" not in text:
        return found
    damascus = gaz.entries[_DAMASCUS]
    extra = [Mention(damascus, m.start(), m.end(), m.group(0), (damascus,)) for m in _CAPITAL.finditer(text)]
    return sorted(found + extra, key=lambda m: m.start) if extra else found


def _settle(mentions: list[Mention]) -> list[Mention]:
    """A name the gazetteer holds in two governorates ("Sawran" of Aleppo and of Hama) is
    the one of a governorate the same text names unambiguously, when there is one."""
    if all(len({c.governorate for c in m.candidates}) <= 1 for m in mentions):
        return mentions
    named = {m.entry.governorate for m in mentions if len({c.governorate for c in m.candidates}) <= 1}
    settled = []
    for mention in mentions:
        if len({c.governorate for c in mention.candidates}) > 1:
            fits = [c for c in mention.candidates if c.governorate in named]
            if fits and fits[0].governorate != mention.entry.governorate:
                mention = Mention(fits[0], mention.start, mention.end, mention.text,
                                  tuple(c for c in mention.candidates if c.governorate == fits[0].governorate))
        settled.append(mention)
    return settled


def place_votes(record: Record, *, gaz: Gazetteer | None = None, spans: list[tuple[int, int]] | None = None,
                month: tuple[int, int] | None = None) -> list[PlaceVote]:
    """Every place the title, the lead and the events' locations name, weighed (a name
    inside an organisation's name only when nothing else names a place). ``spans``: the lead's sentences, when
    already split; ``month``: the (year, month) of the article's date ((0, 0): unknown;
    None: read it from the record)."""
    gaz = gaz or gazetteer()
    votes: list[PlaceVote] = []
    title = (record.article.title or "").strip()
    text = record.article.text or ""
    if month is None:  # the article's date: published, else its dateline
        day = parse_published(record.article.published) or dateline(text)
        month = (day.year, day.month) if day else (0, 0)
    month = month if month[0] else None
    if spans is None:
        spans = _sentences(text[:LEAD_CHARS])[:LEAD_SENTENCES]
    lead = _find(gaz, text[:spans[-1][1]]) if spans else []
    # many feeds open the text with the title: its names are then those found there
    opens = bool(title) and text.startswith(title)
    heads = [m for m in lead if m.end <= len(title)] if opens else _find(gaz, title)
    settled = _settle(heads + lead)
    heads, lead = settled[:len(heads)], settled[len(heads):]
    # names inside an organisation's name: the place only when nothing else names one
    # ("the Aleppo Media Center said barrel bombs killed 12 in the city")
    aside: list[PlaceVote] = []
    for mention in heads:
        cue = _cue(title, mention, month=month)
        if cue == 0:
            aside.append(PlaceVote(_refine(gaz, title, mention), 0.1, f"{mention.text!r} in a name in the title", "title"))
        if cue > 0:
            # a title often has no preposition ("Aleppo bus bombing"): a bare name counts
            # as one after "in"; a name the cues set aside (a government, an origin) not
            votes.append(PlaceVote(_refine(gaz, title, mention), 3.0 * (cue if cue < 0.5 else max(cue, 0.7)),
                                   f"{mention.text!r} in the title", "title"))
    if spans:
        starts = [start for start, _ in spans]
        lower = text[:spans[-1][1]].lower()
        eventful = [1.3 if any(stem in lower[start:end] for stem in _EVENT_STEMS) else 1.0 for start, end in spans]
        for mention in lead:
            number = bisect_right(starts, mention.start) - 1
            start, end = spans[number]
            if mention.end > end:
                continue  # a name across two sentences
            cue = _cue(text, mention, start, month=month)
            if cue == 0:
                aside.append(PlaceVote(_refine(gaz, text, mention), 0.1,
                                       f"{mention.text!r} in a name in sentence {number + 1}", f"s{number}"))
            if cue > 0:
                weight = (2.0, 1.5, 1.2, 1.0)[min(number, 3)] * eventful[number] * cue
                votes.append(PlaceVote(_refine(gaz, text, mention), weight,
                                       f"{mention.text!r} in sentence {number + 1}", f"s{number}"))
    if record.summary is not None:
        for index, event in enumerate(record.summary.events[:3]):
            for mention in gaz.find_name(event.location or ""):
                votes.append(PlaceVote(_refine(gaz, event.location or "", mention), 2.0 if index == 0 else 1.0,
                                       f"{mention.text!r} as event {index + 1}'s location", f"e{index}"))
    if not votes and spans:
        # the lead names no place: the rest of the article, each name weighed lightly
        rest = spans[-1][1]
        for mention in _settle(gaz.find(text[:rest + REST_CHARS])[:40]):
            cue = _cue(text, mention, rest, month=month)
            if mention.start >= rest and cue > 0:
                votes.append(PlaceVote(_refine(gaz, text, mention), 0.5 * cue,
                                       f"{mention.text!r} after the lead", f"r{mention.start // 400}"))
    return votes or aside


def choose_place(votes: list[PlaceVote], gaz: Gazetteer) -> tuple[Place | None, str | None]:
    """The event's place from the votes, and why (see the module docstring)."""
    if not votes:
        return None, None
    # each title, sentence or event location votes once per area: a list of villages of
    # one governorate in one sentence does not outweigh the place the sentence is about
    strongest: dict[tuple[str, str], float] = {}
    for vote in votes:
        key = (vote.where, AREA_OF.get(vote.place.governorate, vote.place.governorate))
        strongest[key] = max(strongest.get(key, 0.0), vote.weight)
    totals: dict[str, float] = {}
    for (_, area), weight in strongest.items():
        totals[area] = totals.get(area, 0.0) + weight
    best_area = max(totals, key=lambda a: (totals[a], -next(i for i, v in enumerate(votes)
                                                               if AREA_OF.get(v.place.governorate, v.place.governorate) == a)))
    in_area = [v for v in votes if AREA_OF.get(v.place.governorate, v.place.governorate) == best_area]
    by_gov: dict[tuple[str, str], float] = {}
    for vote in in_area:
        key = (vote.where, vote.place.governorate)
        by_gov[key] = max(by_gov.get(key, 0.0), vote.weight)
    govs: dict[str, float] = {}
    for (_, gov_code), weight in by_gov.items():
        govs[gov_code] = govs.get(gov_code, 0.0) + weight
    gov = max(govs, key=lambda g: govs[g])
    finer = [v for v in in_area if v.place.level != "governorate" and v.weight >= 1.4]
    if finer:
        by_place: dict[Place, float] = {}
        for vote in finer:
            by_place[vote.place] = by_place.get(vote.place, 0.0) + vote.weight
        place = max(by_place, key=lambda p: (by_place[p], p.level == "town"))
        # the finer place must not contradict another finer place named as strongly
        rivals = [p for p, w in by_place.items() if not p.compatible(place) and w >= 0.8 * by_place[place]]
        if not rivals:
            first = next(v for v in finer if v.place == place)
            return place, f"{first.why}, in {gaz.governorate_name(place.governorate)}"
    first = next(v for v in in_area if v.place.governorate == gov)
    return Place(gov), f"{first.why} (weight {govs[gov]:.1f} of {sum(totals.values()):.1f})"


#: An event's day lies at most this many days before the article's own date: a day after
#: it is a plan ("talks on 12 March"), one weeks before it another, earlier event.
DAYS_BEFORE = 14


def _fits(found: Resolved | None, anchor: date | None) -> bool:
    return found is not None and (anchor is None or 0 <= (anchor - found.date).days <= DAYS_BEFORE)


def _event_date(record: Record, anchor: date | None, lead: str) -> Resolved | None:
    """The event's day: the first of the events' ``date_text`` and then of the lead's day
    words that names a day up to DAYS_BEFORE before the article's date; a day that bounds
    a span ("since 7 October", in the text or in the event's sentence) names none."""
    if record.summary is not None:
        for event in record.summary.events[:3]:
            text = (event.date_text or "").strip()
            at = event.description.find(text) if text else -1
            if at >= 0 and bounds_a_span(event.description, at, at + len(text)):
                continue
            found = resolve(text, anchor)
            if _fits(found, anchor):
                return found
    for match in day_words(lead):
        if not bounds_a_span(lead, match.start(), match.end()):
            found = resolve(match.group(0), anchor)
            if _fits(found, anchor):
                return found
    return None


def profile(record: Record, *, use_published: bool = True, gaz: Gazetteer | None = None) -> Profile:
    """The event identity of ``record``. ``use_published=False`` ignores the article's
    ``published`` field (as if the feed had none): the dateline stands in."""
    gaz = gaz or gazetteer()
    article = record.article
    text = article.text or ""
    published = parse_published(article.published) if use_published else None
    anchor, anchor_from = published, "published" if published else None
    if anchor is None:
        anchor = dateline(text)
        anchor_from = "dateline" if anchor else None
    spans = _sentences(text[:LEAD_CHARS])[:LEAD_SENTENCES]
    lead_end = spans[-1][1] if spans else 0
    found = _event_date(record, anchor, (article.title or "") + "\n" + text[:lead_end])
    place, place_how = choose_place(place_votes(record, gaz=gaz, spans=spans,
                                                month=(anchor.year, anchor.month) if anchor else (0, 0)), gaz)
    kinds = frozenset(e.event_type for e in record.summary.events) if record.summary else frozenset()
    actors = tuple(dict.fromkeys(a for e in (record.summary.events if record.summary else []) for a in e.actors))
    return Profile(
        record_id=record.id,
        outlet=outlet_of(record),
        published=published,
        anchor=anchor,
        anchor_from=anchor_from,
        date=found.date if found else anchor,
        date_how=found.how if found else (f"the article's {anchor_from}" if anchor else None),
        date_stated=found is not None and found.stated,
        place=place,
        place_name=gaz.label(place) if place else None,
        place_how=place_how,
        kinds=kinds,
        actors=actors[:6],
        lead_end=lead_end,
        names=frozenset(p for p in (place.town, place.site) if p) if place else frozenset(),
        words=bag(article.title, text[:lead_end]),
    )
