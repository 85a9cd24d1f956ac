"""One name per source in an article, and no headline claim repeated in the body.

- A source named in part ("Homs governor", "the Observatory", "SANA") is named as the
  article names it most fully anywhere, before or after ("Homs Governor Talal Barazi",
  "the Syrian Observatory for Human Rights", "Syria's official news agency SANA"): a
  longer naming that holds all its words. A part with no name in it ("officials") is
  left as it is: "U.S. officials" and "Syrian officials" may both be in the article.
- A monitor named only generically ("a monitor said", "the monitoring group", "the
  Britain-based group") is the monitor the article names in full anywhere, before or
  after ("the Syrian Observatory for Human Rights"): the guide names a source as fully
  as the article does. Only monitors are expanded: an article quotes one monitor, while
  "a military source" and "the army" may be different speakers.
- A claim in the headline is dropped when the same source speaks in the body (the guide
  labels the body's statement, not the headline's).
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarize.rules.sources import source_type
from summarize.schema import AttributedClaim, CasualtyFigure, SourceType

_MONITOR_WORDS = ("monitor", "observatory", "watchdog", "monitoring group", "rights group",
                  "-based group")


def _generic(source: str) -> bool:
    return not any(w[:1].isupper() and not w.lower().endswith("-based") for w in source.split()[1:]) \
        and not (len(source.split()) == 1 and source[:1].isupper())


def _full_monitor(names: list[str]) -> str | None:
    """The fullest naming of the article's monitor, when it names one."""
    named = [n for n in names if source_type(n) == SourceType.monitor and not _generic(n)
             and not _PERSON.search(n)]
    return max(named, key=len) if named else None


def _is_generic_monitor(source: str) -> bool:
    lower = source.lower()
    return _generic(source) and any(word in lower for word in _MONITOR_WORDS)


_SKIP = {"the", "a", "an"}
_PERSON = re.compile(r"\b(?:spokes\w*|director|head|chief|minister|leader|colonel|general|commander"
                     r"|official|president|secretary|envoy|governor|doctor|activist|mayor|ambassador"
                     r"|reporter|correspondent|journalist|representative|member)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _words(name: str) -> frozenset[str]:
    """The words of a name, without articles and "-based" modifiers ("the British-based
    Observatory" is the Observatory)."""
    return frozenset(w.strip("(),").lower() for w in name.split()
                     if not w.lower().endswith("-based")) - _SKIP


def _fuller(name: str, names: list[str]) -> str:
    """The longest naming in ``names`` that holds every word of ``name``, when ``name``
    has a name in it and those namings agree (each holds the shorter ones)."""
    if not any(w[:1].isupper() for w in name.split()):
        return name
    words = _words(name)
    if not words:
        return name
    person = _PERSON.search(name) is not None
    joint = " and " in name
    longer = sorted({n for n in names if len(n) > len(name) and words < _words(n)
                     and (person or not _PERSON.search(n))  # "WHO" is not its director
                     and (joint or " and " not in n)}, key=len)  # "Noha" is not "Noha and Samira"
    if not longer or any(not _words(a) <= _words(b) for a, b in zip(longer, longer[1:])):
        return name
    return longer[-1]


def _typed_elsewhere(name: str, names: list[str]) -> SourceType | None:
    """The one type of the article's other namings that hold every word of ``name``
    ("Jundi" named before as "Minister of Health in the interim government Mohammad
    Jundi"), when ``name`` itself names no type; None when none or several."""
    words = _words(name)
    if not words or not any(w[:1].isupper() for w in name.split()):
        return None
    kinds = {source_type(n) for n in names if n != name and words < _words(n)} \
        - {SourceType.other, SourceType.unnamed}
    return kinds.pop() if len(kinds) == 1 else None


def fullest_names(claims: list[AttributedClaim], figures: list[CasualtyFigure], *,
                  outlet: str) -> None:
    """Name every source as fully as the article does, in claims and figures (in place)."""
    names = list(dict.fromkeys([c.source for c in claims] + [f.stated_by for f in figures
                                                             if f.stated_by != outlet]))
    monitor = _full_monitor(names)
    for claim in claims:
        if monitor and _is_generic_monitor(claim.source):
            claim.source, claim.source_type = monitor, SourceType.monitor
        else:
            claim.source = _fuller(claim.source, names)
        if claim.source_type in (SourceType.other, SourceType.unnamed):
            claim.source_type = _typed_elsewhere(claim.source, names) or claim.source_type
    typed = {c.source: c.source_type for c in claims if c.source_type not in (SourceType.other, SourceType.unnamed)}
    for claim in claims:  # "Samira" typed by her first claim ("said Samira 55") in the later "she said"
        if claim.source_type == SourceType.other and claim.source in typed:
            claim.source_type = typed[claim.source]
    for figure in figures:
        if figure.stated_by == outlet:
            continue
        if monitor and _is_generic_monitor(figure.stated_by):
            figure.stated_by = monitor
        else:
            figure.stated_by = _fuller(figure.stated_by, names)


def drop_headline_claims(claims: list[AttributedClaim], headlines: set[str]) -> list[AttributedClaim]:
    """``claims`` without those whose quote is a headline sentence (in ``headlines``) when
    the same source also speaks in the body."""
    body = {c.source.lower() for c in claims if c.quote not in headlines}
    return [c for c in claims if c.quote not in headlines or c.source.lower() not in body]
