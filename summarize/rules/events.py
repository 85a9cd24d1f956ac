"""Events: the kind of event each lead sentence reports, where and when, by keywords.

Up to three events, one per lead sentence that names an event kind (the first kind
whose keyword appears, in the order of ``_KINDS``); the description is the neutral
sentence itself, the location the first "in/near <Name>", the date the first weekday
or date phrase, the actors the capitalised group names in the sentence.
"""

from __future__ import annotations

import re

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
_DATE = re.compile(
    r"\b(?:(?:on|late|early|last|this)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
    r"|Sunday)(?:\s+(?:morning|afternoon|evening|night))?|\bovernight\b|\byesterday\b"
    r"|\b(?:on\s+)?(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\s+\d{1,2}\b"
)
_ACTOR = re.compile(
    r"\b(?:(?:Syrian|Russian|Turkish|Iranian|Israeli|US|U\.S\.|Kurdish|Iraqi)\s+)?"
    r"(?:army|forces|government|troops|warplanes|air force|rebels|militants|Islamic State|IS|ISIS"
    r"|ISIL|Nusra Front|Al-Nusra Front|Free Syrian Army|YPG|SDF|Hezbollah|coalition)\b"
)
_WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _event(text: str, loaded: bool) -> Event | None:
    kind = next((k for k, pattern in _KINDS if pattern.search(text)), None)
    if kind is None:
        return None
    place = _PLACE_OF.search(text)
    location = place.group(1) if place else next(
        (m.group(1) for m in _LOCATION.finditer(text) if m.group(1).split()[0] not in _WEEKDAYS), None)
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
