"""One item per figure: the same figure stated again in an article is merged.

The same number and outcome stated again is one item (also with another qualifier:
"31" in a headline, "at least 31" in the body), when the outlet states one of the
mentions or one source states both (also named once generically, "a monitor" and "the
Syrian Observatory ...", by its acronym, "SOHR", or as the person speaking for it,
"Observatory director ...").
The mention kept is the attributed one, else the one naming its source, else the one
with a qualifier, else the first. Two different qualifiers ("more than twenty", "about
twenty") are two statements; so are the same number for different people ("2 women ...
as well as 2 soldiers") and vague words unless repeated verbatim by one source for the
same people, whom a headline may name more briefly ("scores of militants" in a headline,
"scores of Takfiri militants" in the lead). A different source stating the same number
is a second item.
"""

from __future__ import annotations

import re

from summarize.quantities import read_quantity, split_qualifier
from summarize.rules.sources import source_type
from summarize.schema import CasualtyFigure


def _named(figure: CasualtyFigure) -> tuple[object, ...]:
    """The number a figure writes, without its qualifier: "31", "at least 31" and "more
    than 31" all name 31; ranges and vague words are their reading."""
    if figure.quantity_type in ("range", "vague"):
        return (figure.quantity_type, figure.low, figure.high)
    _, text = split_qualifier(" ".join(figure.quantity_text.lower().split()))
    reading = read_quantity(text)
    return ("number", reading.low if reading is not None else figure.low)


#: Names of bodies a person may speak for: one source with its director or spokesman.
_BODIES = frozenset("""observatory ministry army coalition council committee commission agency front
    command crescent helmets defence defense directorate network organisation organization""".split())


#: Roles of a person speaking for a body: "observatory director Rami Abdel Rahman".
_ROLES = frozenset("director head chief spokesman spokeswoman spokesperson founder official".split())


def _bodies(source: str) -> set[str]:
    """The bodies a source names: a body word written as a name ("Observatory"), or one
    that a role follows ("observatory director ...")."""
    words = source.split()
    return {w.lower() for i, w in enumerate(words) if w.lower() in _BODIES
            and (w[:1].isupper() or (i + 1 < len(words) and words[i + 1].lower() in _ROLES))}


def _generic(source: str) -> bool:
    """True for a source named without a name: "a monitor", "State media", "Syrian state
    media", "activists" (no capitalised word after the first)."""
    words = source.split()
    return not any(w[:1].isupper() for w in words[1:]) and (len(words) > 1 or source.islower())


def _acronym_of(short: str, long: str) -> bool:
    """True when ``short`` is written in capitals and spells the initials of the capitalised
    words of ``long``: "SOHR" and "the Syrian Observatory for Human Rights", "SANA" and
    "the Syrian Arab News Agency"."""
    words = short.split()
    if words[:1] in (["the"], ["The"]):
        words = words[1:]
    if len(words) != 1 or len(words[0]) < 2 or not words[0].isupper() or not words[0].isalpha():
        return False
    initials = "".join(w[0] for w in long.replace("-", " ").split() if w[:1].isupper() and w.lower() != "the")
    return initials == words[0]


_WORD = re.compile(r"[\w-]+")


def _within(short: list[str], long: list[str]) -> bool:
    """True when the words ``short`` stand in ``long`` in a row: "Syrian Observatory" in
    "Syrian Observatory for Human Rights", but not "UN" in "UNICEF"."""
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _same_source(a: str, b: str) -> bool:
    """One source named twice: the same words, one name inside the other, an acronym and
    the name it spells ("SOHR"), or a generic naming ("a monitor") of a source of the
    same type ("the Syrian Observatory ...")."""
    x, y = _WORD.findall(a.lower().removeprefix("the ")), _WORD.findall(b.lower().removeprefix("the "))
    if _within(x, y) or _within(y, x) or _acronym_of(a, b) or _acronym_of(b, a):
        return True
    if _bodies(a) & _bodies(b) and source_type(a) == source_type(b):
        return True  # "the Syrian Observatory ..." and "(O|o)bservatory director Rami Abdel Rahman"
    return (_generic(a) or _generic(b)) and source_type(a) == source_type(b) != "other"


def _same_figure(a: CasualtyFigure, b: CasualtyFigure, outlet: str) -> bool:
    if a.outcome != b.outcome:
        return False
    if "vague" in (a.quantity_type, b.quantity_type):
        # "Scores" in Aleppo and "Scores" in Hasaka are two events: only a verbatim repeat;
        # a headline may name the people more briefly: "scores of militants" in a headline,
        # "scores of Takfiri militants" in the lead ("Dozens of fighters" in Hama and "Dozens
        # of Kurdish fighters" in Hasaka, two body sentences, are two events)
        x, y = _victims_key(a), _victims_key(b)
        fuller = (x.endswith(" " + y) and _display(b, a)) or (y.endswith(" " + x) and _display(a, b))
        return (a.quantity_text.lower(), a.stated_by) == (b.quantity_text.lower(), b.stated_by) and (
            x == y or fuller)
    if _named(a) != _named(b) or (a.quantity_type != b.quantity_type and "exact" not in
                                  (a.quantity_type, b.quantity_type)):
        return False  # "more than twenty" and "about twenty" are two statements
    if "unknown" not in (a.victim_category, b.victim_category) and a.victim_category != b.victim_category:
        return False  # "2 women ... as well as 2 soldiers"
    if a.quote == b.quote and _victims_key(a) != _victims_key(b) and a.quantity_type == b.quantity_type:
        return False  # "killed 5 people and 5 children"; but a headline run into its lead is one
    return outlet in (a.stated_by, b.stated_by) or _same_source(a.stated_by, b.stated_by)


def _display(short: CasualtyFigure, full: CasualtyFigure) -> bool:
    """True when ``short`` is display text (a headline, no closing full stop) or shares its
    sentence with ``full`` (a headline run into its lead)."""
    return short.quote == full.quote or not short.quote.rstrip().endswith((".", "!", "?", '"', "”"))


def _victims_key(figure: CasualtyFigure) -> str:
    words = figure.victims.lower().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _rank(figure: CasualtyFigure, outlet: str) -> tuple[bool, bool, bool]:
    """Which of two mentions of one figure to keep: the attributed one, the one that
    names its source, the one that keeps the qualifier a headline drops ("at least")."""
    attributed = figure.stated_by != outlet
    return attributed, attributed and not _generic(figure.stated_by), figure.quantity_type != "exact"


def merge_repeats(figures: list[CasualtyFigure], outlet: str) -> list[CasualtyFigure]:
    """One item per figure: the same number and outcome stated again (also with another
    qualifier: "31" in the headline, "at least 31" in the body) is one item, unless a
    different source states it. The mention kept is the attributed one, else the one
    naming its source, else the one with a qualifier, else the first."""
    kept: list[CasualtyFigure] = []
    for figure in figures:
        same = next((i for i, k in enumerate(kept) if _same_figure(k, figure, outlet)), None)
        if same is None:
            kept.append(figure)
        elif _rank(figure, outlet) > _rank(kept[same], outlet):
            kept[same] = figure
    return kept
