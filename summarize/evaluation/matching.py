"""How the scorers compare predicted items with gold items: names, quotes, casualty
readings and a one-to-one matching (summarize.evaluation.scorers uses them; so do the
summary checks of summarize.evaluation.summary_quality).

- **Names** (sources, stated_by): NFKC, case, quotes and dashes folded (as in
  summarize.alignment), punctuation dropped, the articles "the", "a", "an" dropped. Two
  names are the same when rapidfuzz's ``token_set_ratio`` on them reaches the threshold
  (default 85), so "the Syrian Observatory for Human Rights" = "Britain-based Syrian
  Observatory for Human Rights" (one name's words contain the other's) and "a military
  source" = "Military sources", but "State TV" != "the Syrian Observatory ...". A
  one-word name made of the other's initials is the same name too: "WHO" = "the World
  Health Organization", "SOHR" = "Syrian Observatory for Human Rights".
  For stated_by, every name of the outlet (the article's ``source``, "the outlet", a
  "Source: NAME" credit line; see GoldArticle.outlet_names) counts as one value, also
  when written without spaces ("jordantimes" = "Jordan Times").
- **Quotes**: word tokens (``\\w+``) of the normalised text; overlap is the token F1 of
  the two bags of words (1.0 identical, 0.5 e.g. when one quote is half the other).
- **One-to-one matching**: a maximum matching between predicted and gold items (every
  gold item and every prediction used at most once, as many pairs as possible), found
  with augmenting paths; each prediction tries its most similar candidates first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz

from summarize.alignment import normalize
from summarize.quantities import read_quantity
from summarize.schema import CasualtyFigure, Outcome

#: rapidfuzz token_set_ratio (0-100) from which two source names are the same.
SOURCE_THRESHOLD = 85.0
#: Token F1 (0-1) from which two quotes are the same statement.
QUOTE_THRESHOLD = 0.5

_WORD = re.compile(r"\w+")
_ARTICLES = {"the", "a", "an"}
_SMALL_WORDS = {"of", "for", "and", "in", "on", "to"}


def name_key(name: str) -> str:
    """A name reduced for comparison: folded, lower-case, punctuation and articles dropped."""
    words = _WORD.findall(normalize(name).text.replace("_", " "))
    return " ".join(w for w in words if w not in _ARTICLES)


def _is_acronym_of(short: str, long: str) -> bool:
    """True when ``short`` is one word made of the initials of ``long``'s words, with or
    without its small words ("who" / "world health organization", "sohr" / "syrian
    observatory for human rights", "un" / "united nations")."""
    words = long.split()
    if " " in short or len(short) < 2 or len(words) < 2:
        return False
    initials = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in _SMALL_WORDS)
    return short in (initials, content)


def same_name(a: str, b: str, *, threshold: float = SOURCE_THRESHOLD) -> bool:
    """True when two source names are the same by the rule in the module docstring."""
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return False
    if key_a.replace(" ", "") == key_b.replace(" ", ""):
        return True
    if _is_acronym_of(key_a, key_b) or _is_acronym_of(key_b, key_a):
        return True
    return fuzz.token_set_ratio(key_a, key_b) >= threshold


def is_outlet(name: str, outlet_names: frozenset[str] | set[str]) -> bool:
    """True when ``name`` names the outlet itself (one of ``outlet_names``, compared
    without spaces or case)."""
    compact = name_key(name).replace(" ", "")
    return bool(compact) and any(compact == name_key(o).replace(" ", "") for o in outlet_names)


def same_stated_by(predicted: str, gold: str, outlet_names: frozenset[str] | set[str], *,
                   threshold: float = SOURCE_THRESHOLD) -> bool:
    """stated_by comparison: every name of the outlet is one value; otherwise same_name."""
    if is_outlet(predicted, outlet_names) and is_outlet(gold, outlet_names):
        return True
    return same_name(predicted, gold, threshold=threshold)


def token_f1(a: str, b: str) -> float:
    """Token F1 of two texts' bags of words (after normalisation); 0.0 if either is empty."""
    tokens_a = Counter(_WORD.findall(normalize(a).text))
    tokens_b = Counter(_WORD.findall(normalize(b).text))
    common = sum((tokens_a & tokens_b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(tokens_a.values()), common / sum(tokens_b.values())
    return 2 * precision * recall / (precision + recall)


def ranges_overlap(a_low: int | None, a_high: int | None, b_low: int | None, b_high: int | None) -> bool:
    """True when ``[low, high]`` intervals overlap; a null low is 0, a null high is open."""
    lo = max(a_low or 0, b_low or 0)
    hi = min(math.inf if a_high is None else a_high, math.inf if b_high is None else b_high)
    return lo <= hi


def figure_bounds(figure: CasualtyFigure) -> tuple[int | None, int | None]:
    """A predicted figure's ``(low, high)``; when it gives neither, the reading of its
    ``quantity_text`` (summarize.quantities.read_quantity), else ``(None, None)``: a
    figure that commits to no number matches no gold figure."""
    if figure.low is not None or figure.high is not None:
        return figure.low, figure.high
    reading = read_quantity(figure.quantity_text)
    return (reading.low, reading.high) if reading else (None, None)


def outcomes_match(predicted: Outcome | str, gold: Outcome | str) -> bool:
    """Outcomes must be equal. killed_or_wounded matches neither killed nor wounded: the
    guide labels it only when the article does not split the toll, and calling such a
    toll "killed" overstates the dead (the error an analyst must see)."""
    return str(predicted) == str(gold)


def match_one_to_one(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """A maximum one-to-one matching ``{prediction: gold}``; ``candidates[i]`` lists the
    gold items prediction ``i`` may match, most preferred first (Kuhn's algorithm)."""
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(candidates)):
        assign(i, set())
    return {i: j for j, i in owner.items()}


def ranked(options: list[tuple[Any, int]]) -> list[int]:
    """The gold indices of ``options`` ((rank, index) pairs), best rank first."""
    return [j for _, j in sorted(options, key=lambda o: o[0], reverse=True)]
