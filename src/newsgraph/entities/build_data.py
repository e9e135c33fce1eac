"""Build ``entities/data/countries.json`` from the ``countryinfo`` package (build time only).

Run ``python -m newsgraph.entities.build_data`` after ``pip install countryinfo==1.0.1``. The
generated file ships with the package; nothing reads ``countryinfo`` at run time. Source:
countryinfo's bundled country records (names, ISO codes, alternative spellings, capital,
demonym), plus the small ``_EXTRA`` table below of common English short forms that news uses
and countryinfo lacks (general world knowledge, not taken from any article).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).parent / "data" / "countries.json"

# Common English forms missing from countryinfo, keyed by ISO alpha-2.
_EXTRA: dict[str, dict[str, list[str]]] = {
    "US": {
        "aliases": ["U.S.", "U.S.A.", "America", "the United States", "the US", "the U.S."],
        "capital": ["Washington", "Washington, D.C."],
        "demonyms": ["U.S."],
    },
    "GB": {
        "aliases": ["Britain", "U.K.", "England"],
        "demonyms": ["English"],
        "people": ["Britons"],
    },
    "RU": {"aliases": ["Russian Federation"]},
    "CN": {"aliases": ["PRC", "mainland China"]},
    "KR": {"aliases": ["Korea"]},
    "KP": {"aliases": ["DPRK"]},
    "NL": {"aliases": ["Holland", "The Netherlands"], "capital": ["The Hague"]},
    "CZ": {"aliases": ["Czechia"]},
    "AE": {"aliases": ["UAE", "Emirates"], "demonyms": ["Emirati"]},
    "VA": {"aliases": ["Vatican", "Holy See"]},
    "CI": {"aliases": ["Ivory Coast"], "demonyms": ["Ivorian"]},
    "MM": {"aliases": ["Burma"], "demonyms": ["Burmese"]},
    "PS": {"aliases": ["Palestine"], "demonyms": ["Palestinian"]},
    "SY": {"aliases": ["Syria"]},
    "IL": {"demonyms": ["Israeli"]},
    "PH": {"demonyms": ["Filipino", "Philippine"]},
    "NZ": {"demonyms": ["New Zealander", "Kiwi"]},
    "BY": {"demonyms": ["Belarussian"]},
    "UA": {"capital": ["Kiev"]},
}
_CONSTITUENT = {"England", "Scotland", "Wales", "Northern Ireland"}
# Codes that news writes as upper-case words and that are not English words.
_CODE_ALIASES = {"US", "USA", "UK", "UAE", "DPRK", "PRC", "ROK", "DRC"}


def _plural(demonym: str) -> list[str]:
    if demonym.endswith(("ese", "ss", "sh", "ch", "Swiss")):
        return []
    return [demonym + "s"]


def build() -> list[dict[str, object]]:
    from countryinfo import all_countries  # build-time only

    rows = []
    seen: set[str] = set()
    for c in all_countries():
        info = c.info()
        iso2 = (info.get("ISO") or {}).get("alpha2")
        name = info.get("name")
        # countryinfo also lists the UK's constituent countries under GB: keep one per code.
        if not iso2 or not name or name in _CONSTITUENT or iso2 in seen:
            continue
        seen.add(iso2)
        extra = _EXTRA.get(iso2, {})
        aliases = {name, *extra.get("aliases", [])}
        for alt in info.get("altSpellings") or []:
            latin = all(ord(ch) < 0x250 or unicodedata.category(ch).startswith("Z") for ch in alt)
            if not latin:
                continue
            if alt.isupper() and len(alt) <= 4 and alt not in _CODE_ALIASES:
                continue  # "IN", "IT", "TO": ISO codes that are English words
            aliases.add(alt)
        for code in _CODE_ALIASES:
            if code in {iso2, (info.get("ISO") or {}).get("alpha3")}:
                aliases.add(code)
        demonym = info.get("demonym") or ""
        demonyms = [d for d in [demonym, *extra.get("demonyms", [])] if d]
        plurals = sorted({*_plural(demonym), *extra.get("people", [])}) if demonym else []
        capital = info.get("capital") or []
        capital = [capital] if isinstance(capital, str) else list(capital)
        capitals = [x for x in [*capital, *extra.get("capital", [])] if x]
        rows.append(
            {
                "id": f"country:{iso2}",
                "iso2": iso2,
                "name": name,
                "aliases": sorted(aliases),
                "demonyms": sorted(set(demonyms)),
                "people": plurals,
                "capitals": capitals,
            }
        )
    rows.sort(key=lambda r: r["iso2"])
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
