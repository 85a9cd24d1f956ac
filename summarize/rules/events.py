"""Events: the kind of event each lead sentence reports, where and when, by keywords.

Up to three events, one per lead sentence that names an event kind (the first kind
whose keyword appears, in the order of ``_KINDS``); the description is the neutral
sentence itself; the location the place of the shipped gazetteer of Syria named in the
sentence after "in", "at", "near", "outside" (else the first it names, else the first
"in/near <Name>" that is no month, weekday or nationality); the date the first weekday,
"yesterday" or day-and-month phrase that is not part of a dateline with its year
("Published October 3 2016"); the actors the capitalised group names in the sentence.
"""

from __future__ import annotations

import re

from summarize.places import gazetteer
from summarize.lexicon import LexiconHit
from summarize.rules.loaded import neutralize
from summarize.rules.sentences import Sentence
from summarize.schema import Event, EventType

MAX_EVENTS = 3

_KINDS: tuple[tuple[EventType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        (EventType.chemical_attack, r"\b(?:chemical|nerve agent|sarin|chlorine|toxic gas|poison gas)"),
        (EventType.airstrike, r"\b(?:air ?strikes?|air raids?|warplanes?|airstrike|barrel bombs?|sorties)"),
        (EventType.bombing, r"\b(?:suicide|car bomb|bomb(?:ing)?s?\b|blasts?|explosions?|ied)\b"),
        (EventType.shelling, r"\b(?:shell(?:s|ing|ed)?|mortars?|rockets?|artillery)\b"),
        (EventType.armed_clash, r"\b(?:clash(?:es|ed)?|fighting|battles?|offensive|assault|ambush)\b"),
        (EventType.territorial_change, r"\b(?:recaptur\w+|retook|retak\w+|seized|took control|captured"
         r" (?:the )?(?:town|village|city|area|district)|advanc\w+)\b"),
        (EventType.siege, r"\b(?:siege|besieged|encircl\w+)\b"),
        (EventType.evacuation, r"\bevacuat\w+"),
        (EventType.arrest, r"\b(?:arrest\w*|detain\w*)\b"),
        (EventType.ceasefire, r"\b(?:ceasefire|cease-fire|truce|de-escalation)\b"),
        (EventType.negotiation, r"\b(?:talks|negotiat\w+|peace conference)\b"),
        (EventType.protest, r"\b(?:protest\w*|demonstrat\w+)\b"),
        (EventType.humanitarian, r"\b(?:aid convoy|humanitarian|food shortages)\b"),
    )
)
_NAME = r"[A-Z][\w'’-]+(?:\s+(?:al-|of\s+)?[A-Z][\w'’-]+)*"
_PLACE_OF = re.compile(rf"\b(?:city|town|village|province|district|region|neighbou?rhood|suburbs?"
                       rf"|area|countryside)\s+of\s+({_NAME})")
_LOCATION = re.compile(rf"\b(?:in|near|outside|across|around|into)\s+(?:the\s+)?({_NAME})")
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = re.compile(
    r"\b(?:(?:on|late|early|last|this)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
    r"|Sunday)(?:\s+(?:morning|afternoon|evening|night))?|\bovernight\b|\byesterday\b|\blast night\b"
    rf"|\b(?:on\s+)?{_MONTHS}\s+\d{{1,2}}\b(?!,?\s*\d)|\b(?:on\s+)?\d{{1,2}}\s+{_MONTHS}\b(?!,?\s*\d)"
)
#: Capitalised words "in <Name>" may catch that are no place.
_NOT_LOCATION = re.compile(rf"^(?:{_MONTHS}|Syria|Syrian|Russian|Russia|Turkish|Iranian|Iraqi|Kurdish|US|U\.S\."
                           r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|December)\b")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|around|on|into|targeting|hit|struck)\s+"
                              r"(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_ACTOR = re.compile(
    r"\b(?:(?:Syrian|Russian|Turkish|Iranian|Israeli|US|U\.S\.|Kurdish|Iraqi)\s+)?"
    r"(?:army|forces|government|troops|warplanes|air force|rebels|militants|Islamic State|IS|ISIS"
    r"|ISIL|Nusra Front|Al-Nusra Front|Free Syrian Army|YPG|SDF|Hezbollah|coalition)\b"
)
_WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _location(text: str) -> str | None:
    """Where the sentence says it happened (see the module docstring)."""
    places = gazetteer().find(text)
    located = next((m for m in places if _LOCATIVE_BEFORE.search(text[max(0, m.start - 50):m.start])), None)
    if located or places:
        return (located or places[0]).text
    place = _PLACE_OF.search(text)
    if place and not _NOT_LOCATION.match(place.group(1)):
        return place.group(1)
    return next((m.group(1) for m in _LOCATION.finditer(text)
                 if m.group(1).split()[0] not in _WEEKDAYS and not _NOT_LOCATION.match(m.group(1))), None)


def _event(text: str, loaded: bool) -> Event | None:
    kind = next((k for k, pattern in _KINDS if pattern.search(text)), None)
    if kind is None:
        return None
    location = _location(text)
    date = _DATE.search(text)
    actors: list[str] = []
    for match in _ACTOR.finditer(text):
        actor = match.group(0)
        if actor not in actors:
            actors.append(actor)
    return Event(description=neutralize(text) if loaded else text, event_type=kind, location=location,
                 date_text=date.group(0) if date else None, actors=actors[:4])


def lead_events(sentences: list[Sentence], hits: list[LexiconHit] | None = None) -> list[Event]:
    """Events reported by the first sentences that name an event kind. ``hits``: every
    lexicon hit in the article, when already computed (a sentence without one needs no
    neutral rewording)."""
    events: list[Event] = []
    for sentence in sentences[:8]:
        loaded = hits is None or any(sentence.start <= h.start < sentence.end for h in hits)
        event = _event(sentence.text, loaded)
        if event is not None and all(e.event_type != event.event_type for e in events):
            events.append(event)
        if len(events) >= MAX_EVENTS:
            break
    return events
