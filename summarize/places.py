"""Places: the shipped gazetteer of Syria and the place names it finds in a text.

The gazetteer (``summarize/data/syria_places.json``, built by scripts/build_gazetteer.py
from GeoNames data; CC BY 4.0) holds the 14 governorates, their districts, every place of
500 people or more with GeoNames' alternate spellings, and hand-added neighbourhoods,
villages, regions and sites. A place is normalised to a path: governorate / district /
town / neighbourhood-or-site, each part None where unknown; a region (an area of several
towns: Eastern Ghouta, Qalamoun, Houla) is a level between district and town, and a town
the gazetteer lists in a region carries it, so that Douma lies in Eastern Ghouta.

Spellings are compared after folding (``fold``): accents and apostrophes dropped, the
Arabic article ("al-", "el-", "ash-", "ez-", or joined to a sun letter as in "Ezzor")
removed, doubled letters and a final "h" dropped, ou/oo -> u, ee -> i, ei/ai/ey -> ay.
"Deir ez-Zor", "Deir Ezzor" and "Deir al-Zour" fold alike; so do "Raqqa", "Raqqah" and
"Raqa". A name with five consonants or more also matches on its consonants ("Khan
Sheikhoon" ~ "Khan Shaykhun") when the places that have them lie in one governorate.

A governorate capital named bare ("Aleppo", "Raqqa") stands for its governorate: outlets
write "Aleppo" for the city and the province alike. "the city of Aleppo" or "Aleppo
city" is the town.
"""

from __future__ import annotations

import json
import re
import unicodedata
from itertools import islice
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

Level = Literal["governorate", "district", "region", "town", "site"]

#: How fine each level is: a place matches another at the same or a finer level. A
#: region ("Eastern Ghouta", "Qalamoun") holds towns; it may straddle districts.
DEPTH: dict[str, int] = {"governorate": 1, "district": 2, "region": 3, "town": 4, "site": 5}

_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "az", "at", "ash", "an", "ath", "adh", "es", "ez",
                       "ed", "er", "en", "et", "esh", "ul", "il"})
_APOSTROPHES = str.maketrans("", "", "'’‘`ʿʾ´")
_TOKEN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ'’‘ʿʾ`]+")
#: Capitalised words that are also (alternate) names of places but far more often words.
_NOT_PLACES = frozenset({
    "tall", "shin", "sam", "cham", "bulbul", "jaba", "nawa", "salma", "sabbah", "jasim", "karamah",
    "hamra", "mashhad", "marj", "state", "news", "center", "centre", "north", "south", "east", "west",
    "homs homs", "beria", "berea", "veroia", "emesa", "nicephorium", "laodicea", "tortosa",
    "callinicum", "epiphania", "epiphaneia", "hamath", "sinjar", "mare", "zara", "karak", "aqrab",
    "habit", "atma", "suran", "mansoura", "rai", "eis", "hol", "omar", "lajat", "golan", "sana",
    "sham", "china", "khaled", "khalid", "omran", "baath", "hasan", "hassan", "ali", "ahmad", "ahmed",
    "mohammed", "muhammad", "jamal", "karim", "salem", "nasr", "nasser", "issa", "musa", "yusuf",
    "daesh", "isis", "nazi", "sabah", "arika", "isil", "nusra", "may", "june", "july", "march", "april", "friday", "sunday",
})


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """The spelling-insensitive key of a place name (see the module docstring)."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower().translate(_APOSTROPHES)
    words = re.sub(r"[^a-z]+", " ", plain).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    words = [w for i, w in enumerate(words) if not (w in _ARTICLES and i + 1 < len(words))]
    out = []
    for word in words:
        if len(word) >= 5:  # an article joined to a sun letter: "Ezzor", "Arraqqa", "Assuwayda"
            word = re.sub(r"^[ae](sh|th|[tdrzsnl])\1", r"\1", word)
        word = re.sub(r"(.)\1+", r"\1", word)
        word = word.replace("ou", "u").replace("oo", "u").replace("ee", "i")
        word = re.sub(r"ei|ai|ey", "ay", word)
        if len(word) > 3 and word.endswith("h") and word[-2] in "aeiou":
            word = word[:-1]
        if len(word) > 3 and word.endswith("e"):
            word = word[:-1] + "a"
        out.append(word)
    return " ".join(out)


@lru_cache(maxsize=1 << 16)
def skeleton(key: str) -> str:
    """Consonants of a folded key (a word's first letter kept): "idlib" -> "idlb"."""
    return " ".join(w[0] + re.sub(r"[aeiouyw]", "", w[1:]) for w in key.split())


@dataclass(frozen=True)
class Entry:
    """One gazetteer place."""

    id: str
    name: str
    level: Level
    governorate: str
    district: str | None = None
    town: str | None = None
    population: int = 0
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Place:
    """A place normalised to the gazetteer: governorate / district / town / site (ids),
    and the region (an area of several towns: "Eastern Ghouta") the town lies in, if any."""

    governorate: str
    district: str | None = None
    town: str | None = None
    site: str | None = None
    region: str | None = None

    @property
    def level(self) -> Level:
        """The finest level known."""
        if self.site:
            return "site"
        if self.town:
            return "town"
        if self.region:
            return "region"
        return "district" if self.district else "governorate"

    def within(self, other: Place) -> bool:
        """True when this place is ``other`` or lies inside it (same or finer level):
        Douma lies in Eastern Ghouta, and both in Rif Dimashq."""
        if self.governorate != other.governorate:
            return False
        if other.district is not None and self.district != other.district:
            # a town or region whose district the gazetteer does not know still lies in it
            if self.district is not None or (self.town or self.region) is None:
                return False
        return all(theirs is None or mine == theirs for mine, theirs in (
            (self.region, other.region), (self.town, other.town), (self.site, other.site)))

    def compatible(self, other: Place) -> bool:
        """True when one place is the other or lies inside it."""
        return self.within(other) or other.within(self)


@dataclass(frozen=True)
class Mention:
    """A gazetteer place named in a text: ``start``/``end`` are offsets of the name."""

    entry: Entry
    start: int
    end: int
    text: str
    candidates: tuple[Entry, ...] = ()


class Gazetteer:
    """The shipped gazetteer, indexed by folded spelling."""

    def __init__(self, data: dict) -> None:
        self.source: str = data.get("source", "")
        self.licence: str = data.get("licence", "")
        self.entries: dict[str, Entry] = {}
        self.names: dict[str, str] = {}
        self._tokens: dict[str, int] = {}
        spellings: dict[str, list[str]] = {}
        for gov in data["governorates"]:
            self._add(Entry(gov["id"], gov["name"], "governorate", gov["id"], population=10**8),
                      gov["variants"], spellings)
        for district in data["districts"]:
            self._add(Entry(district["id"], district["name"], "district", district["governorate"],
                            district=district["id"], population=10**7),
                          district["variants"], spellings)
        #: town id -> the region (area) holding it
        self.regions: dict[str, str] = {}
        for place in data["places"]:
            for town in place.get("holds") or ():
                self.regions.setdefault(town, place["id"])
        for place in data["places"]:
            within = place.get("within")
            level: Level = "site" if within or place["kind"] in ("neighbourhood", "site") else (
                "region" if place["kind"] == "area" else "town")
            entry = Entry(place["id"], place["name"], level, place["governorate"], place.get("district"),
                          town=within, population=place.get("population") or 0, lat=place.get("lat"),
                          lon=place.get("lon"))
            self._add(entry, place["variants"], spellings)
        self._index: dict[str, tuple[Entry, ...]] = {}
        self._windows: dict[str, tuple[int, Mention] | None] = {}
        self._start_cache: dict[str, int] = {}
        not_places = {fold(word) for word in _NOT_PLACES}
        for key, ids in spellings.items():
            if key in not_places or len(key.replace(" ", "")) < 3:
                continue
            self._index[key] = _ordered(self.entries[i] for i in ids)
        by_skeleton: dict[str, set[Entry]] = {}
        for key, found in self._index.items():
            skel = skeleton(key)
            if len(skel.replace(" ", "")) >= 5:
                by_skeleton.setdefault(skel, set()).update(found)
        self._skeletons = {s: _ordered(found) for s, found in by_skeleton.items()
                           if len({e.governorate for e in found}) == 1}
        #: first folded word of a name -> the most tokens a spelling of such a name has
        self._starts: dict[str, int] = {}
        self._most_tokens = max(self._tokens.values()) + 1
        self._prefixes = {" ".join(key.split()[:n]) for key in self._index for n in range(1, len(key.split()) + 1)}
        self._prefixes |= {p + "s" for p in list(self._prefixes)}  # possessives: "Aleppos"
        self._skeleton_prefixes = {" ".join(k.split()[:n]) for k in self._skeletons
                                   for n in range(1, len(k.split()) + 1)}
        for key in self._index:
            first = key.split()[0]
            self._starts[first] = max(self._starts.get(first, 0), self._tokens.get(key, 1))

    def _add(self, entry: Entry, variants: list[str], spellings: dict[str, list[str]]) -> None:
        self.entries[entry.id] = entry
        self.names[entry.id] = entry.name
        for variant in [entry.name, *variants]:
            key = fold(variant)
            if key:
                spellings.setdefault(key, []).append(entry.id)
                self._tokens[key] = max(self._tokens.get(key, 0), len(_TOKEN.findall(variant)))

    def lookup(self, name: str) -> tuple[Entry, ...]:
        """Places a name may be (coarsest, then most populous, first); () if none."""
        key = fold(name)
        found = self._index.get(key) or self._skeletons.get(skeleton(key), ())
        if not found and key.endswith("s"):  # "Aleppos": a possessive whose apostrophe was lost
            found = self._index.get(key[:-1], ())
        return found

    def governorate_name(self, code: str) -> str:
        """English name of a governorate code ("SY-HL" -> "Aleppo")."""
        return self.names.get(code, code)

    def place(self, entry: Entry) -> Place:
        """The normalised path of a gazetteer entry."""
        if entry.level == "governorate":
            return Place(entry.governorate)
        if entry.level == "district":
            return Place(entry.governorate, entry.district)
        if entry.level == "region":
            return Place(entry.governorate, entry.district, region=entry.id)
        if entry.level == "town":
            return Place(entry.governorate, entry.district, entry.id, region=self.regions.get(entry.id))
        return Place(entry.governorate, entry.district, entry.town, entry.id,
                     region=self.regions.get(entry.town or ""))

    def point(self, place: Place) -> tuple[float, float] | None:
        """Latitude and longitude of a place's town or site, when the gazetteer has them."""
        for part in (place.site, place.town):
            entry = self.entries.get(part) if part else None
            if entry is not None and entry.lat is not None and entry.lon is not None:
                return entry.lat, entry.lon
        return None

    def label(self, place: Place) -> str:
        """A readable name for a place: its finest part, then its governorate."""
        finest = place.site or place.town or place.region or place.district
        gov = self.governorate_name(place.governorate)
        if not finest:
            return gov
        name = self.names.get(finest, finest)
        return f"{gov} city" if fold(name) == fold(gov) or gov in self.lookup_names(name) else f"{name}, {gov}"

    def lookup_names(self, name: str) -> set[str]:
        """Names of the governorates a place name can stand for."""
        return {self.governorate_name(e.governorate) for e in self.lookup(name) if e.level == "governorate"}

    def find(self, text: str) -> list[Mention]:
        """Every gazetteer place named in ``text``, the longest name where names overlap.

        A name starts with a capital letter, or with an article before one ("al-Bab");
        an all-capital word of four letters or fewer (SANA, AFP) is never a place.
        """
        mentions: list[Mention] = []
        upto = 0
        starts, windows = self._start_cache, self._windows
        for start in _START.finditer(text):
            word = start.group(0)
            longest = starts.get(word)
            if longest is None:
                if len(starts) >= _MOST_WINDOWS:
                    starts.clear()
                longest = starts[word] = self._may_start(word)
            if not longest:
                continue
            at = start.start()
            if at < upto:
                continue
            # what a window of words (and the few characters after it) names is the same
            # wherever it stands: "Syrian Observatory for Human Rights" is read once; the
            # window ends where the (longest + 2)-th word from here ends
            key = text[at:_words(longest + 2).match(text, at).end() + _LOOKAHEAD]  # type: ignore[union-attr]
            known = windows.get(key, _UNKNOWN)
            if known is _UNKNOWN:
                tokens = [(m.start(), m.end(), m.group(0)) for m in islice(_TOKEN.finditer(text, at), longest + 2)]
                found: list[Mention] = []
                size = self._match_at(text, tokens, 0, found)
                first = found[0] if size else None
                known = (size, Mention(first.entry, first.start - at, first.end - at, first.text, first.candidates),
                         tokens[size - 1][1] - at) if first is not None else None
                if len(windows) >= _MOST_WINDOWS:
                    windows.clear()
                windows[key] = known
            if known is not None:
                size, mention, end = known
                mentions.append(Mention(mention.entry, mention.start + at, mention.end + at, mention.text,
                                        mention.candidates))
                upto = end + at
        return mentions

    @lru_cache(maxsize=1 << 14)  # noqa: B019 - one gazetteer per process
    def find_name(self, text: str) -> tuple[Mention, ...]:
        """``find`` for a short text that recurs, such as an event's ``location``
        ("Aleppo", "eastern Ghouta"): remembered."""
        return tuple(self.find(text))

    @lru_cache(maxsize=1 << 15)  # noqa: B019 - one gazetteer per process
    def _may_start(self, word: str) -> int:
        """How many tokens a name starting with ``word`` may have (0: none starts so): a
        capitalised word whose fold (or consonants) starts a spelling, or an article."""
        if word.lower() in _ARTICLES:
            return self._most_tokens
        if not word[:1].isupper() or (word.isupper() and len(word) <= 4):
            return 0
        first = fold(word)
        longest = self._starts.get(first) or (self._starts.get(first[:-1]) if first.endswith("s") else None)
        if longest:
            return longest
        return self._most_tokens if skeleton(first) in self._skeleton_prefixes else 0

    def _match_at(self, text: str, tokens: list[tuple[int, int, str]], index: int,
                  mentions: list[Mention]) -> int:
        word = tokens[index][2]
        if not word[:1].isupper() or (word.isupper() and len(word) <= 4):
            if word.lower() not in _ARTICLES or index + 1 >= len(tokens) \
                    or text[tokens[index][1]:tokens[index + 1][0]] != "-" \
                    or not tokens[index + 1][2][:1].isupper():
                return 0
            first = fold(tokens[index + 1][2])
        else:
            first = fold(word)
        longest = self._starts.get(first) or self._starts.get(first[:-1] if first.endswith("s") else "")
        if longest is None and len(skeleton(first)) < 5:
            return 0
        # grow the name while it is the start of some spelling (articles ride along), then
        # take the longest that is a whole one
        sizes: list[int] = []
        for size in range(1, min((longest or 2) + 1, len(tokens) - index) + 1):
            piece = tokens[index:index + size]
            if size > 1 and text[piece[-2][1]:piece[-1][0]].strip(" -"):
                break  # a comma or full stop inside the name
            last = piece[-1][2]
            if last.lower() in _ARTICLES and not (size == 1 and last[:1].isupper() and len(last) > 3):
                continue
            key = fold(text[piece[0][0]:piece[-1][1]])
            if key not in self._prefixes and skeleton(key) not in self._skeleton_prefixes:
                break
            if size == 1 or last[:1].isupper() or last.lower() in _GENERIC_TAILS:
                sizes.append(size)
        for size in reversed(sizes):
            piece = tokens[index:index + size]
            raw = text[piece[0][0]:piece[-1][1]]
            if _ARTICLE_NEXT.match(text, piece[-1][1]):
                continue  # "Bab" of "Bab al-Salama": part of a longer name the gazetteer lacks
            candidates = self.lookup(raw)
            if candidates:
                mentions.append(Mention(candidates[0], piece[0][0], piece[-1][1], raw, candidates))
                return size
        return 0


def _ordered(entries: object) -> tuple[Entry, ...]:
    """Coarsest level first, then the most populous, then by id."""
    unique: set[Entry] = set(entries)  # type: ignore[call-overload]
    return tuple(sorted(unique, key=lambda e: (DEPTH[e.level], -e.population, e.id)))


#: How many characters after a window of words ``find`` reads (an article joined to the
#: next name: "Bab al-Salama"), and how many windows (and first words) it remembers.
_LOOKAHEAD = 12
_MOST_WINDOWS = 1 << 16
_UNKNOWN = object()
_WORD_CHARS = "A-Za-zÀ-ɏḀ-ỿ'’‘ʿʾ`"  # what _TOKEN matches


@lru_cache(maxsize=64)
def _words(count: int) -> re.Pattern[str]:
    """Up to ``count`` words (_TOKEN) and what lies between them, from where it is matched."""
    return re.compile(f"[{_WORD_CHARS}]+(?:[^{_WORD_CHARS}]*[{_WORD_CHARS}]+){{0,{count - 1}}}")

#: Where a name may start: a capital (or an accented letter) that begins a word, or an
#: article joined by a hyphen to a capitalised word ("al-Bab").
_START = re.compile(r"(?<![\w'’‘ʿʾ`-])(?:[A-ZÀ-ÞĀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ'’‘ʿʾ`]*"
                    r"|(?:al|el|ad|ar|as|az|an|at|ash|es|ez|ed|adh|ath|esh)(?=-[A-Z]))")
_ARTICLE_NEXT = re.compile(r"[ \t]+(?:al|el|ad|ar|as|az|an|at|ash|ad-|ed|es|ez)-[A-Z]")

#: Lower-case last words that belong to a name: "Aleppo province", "Yarmouk camp".
_GENERIC_TAILS = frozenset({"province", "governorate", "city", "camp", "district", "countryside",
                            "airport", "airbase", "crossing", "dam", "field", "farms", "road",
                            "plain", "valley", "town", "village", "neighbourhood", "neighborhood"})


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer (read once)."""
    text = (resources.files("summarize") / "data" / "syria_places.json").read_text(encoding="utf-8")
    return Gazetteer(json.loads(text))
