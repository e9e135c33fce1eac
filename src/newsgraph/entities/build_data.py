"""Build the shipped entity data (build time only).

``python -m newsgraph.entities.build_data --countries`` regenerates ``data/countries.json`` from
the ``countryinfo`` package (``pip install countryinfo==1.0.1``; nothing reads it at run time).
Source: countryinfo's bundled country records (names, ISO codes, alternative spellings,
capital, demonym), plus the small ``_EXTRA`` table below of common English short forms that news
uses and countryinfo lacks (general world knowledge, not taken from any article).

``python -m newsgraph.entities.build_data --kb`` assembles the knowledge base ``data/kb.jsonl``
(needs no extra package) from:

- ``countries.json`` and ``institutions.json`` (the gazetteer's countries and organisations),
- ``wikidata_ids.json``: their Wikidata ids, each copied from a Wikidata-derived table,
- ``people.jsonl``: the curated people (heads of state and government, foreign and defence
  ministers, heads of international organisations) with roles, legitimate name variants and
  Wikidata ids,

and checks it: every Wikidata id names a source listed in ``kb_sources.json``, no id or
Wikidata id is used twice, and no alias names two different people. Without options both run.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).parent / "data" / "countries.json"
KB_OUT = OUT.parent / "kb.jsonl"

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


def build_kb(data: Path = OUT.parent) -> list[dict[str, object]]:
    """The knowledge-base records (countries, organisations, people), checked."""
    from newsgraph.entities.kb import KBError, parse_record, read_jsonl

    sources = set(json.loads((data / "kb_sources.json").read_text(encoding="utf-8")))
    ids = json.loads((data / "wikidata_ids.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    inst = json.loads((data / "institutions.json").read_text(encoding="utf-8"))
    records = []
    for c in countries:
        q = ids["countries"].get(c["iso2"]) or {}
        records.append(parse_record({
            "id": c["id"], "name": c["name"], "type": "GPE", "aliases": c["aliases"],
            "wikidata": q.get("wikidata"), "source": [q["source"]] if q else [],
        }, f"countries.json {c['id']}"))  # fmt: skip
    for o in inst["organisations"]:
        q = ids["organisations"].get(o["id"]) or {}
        records.append(parse_record({
            "id": o["id"], "name": o["name"], "type": "ORG", "aliases": o["aliases"],
            "wikidata": q.get("wikidata"), "source": [q["source"]] if q else [],
        }, f"institutions.json {o['id']}"))  # fmt: skip
    records.extend(read_jsonl(data / "people.jsonl"))
    seen_ids: set[str] = set()
    seen_qids: dict[str, str] = {}
    alias_owner: dict[str, str] = {}
    for r in records:
        if r.id in seen_ids:
            raise KBError(f"knowledge base: id {r.id!r} is used twice")
        seen_ids.add(r.id)
        if r.wikidata:
            if not r.source or not set(r.source) <= sources - {"unverified"}:
                raise KBError(f"{r.id}: Wikidata id {r.wikidata} without a listed source")
            if r.wikidata in seen_qids:
                raise KBError(f"{r.id}: Wikidata id {r.wikidata} also on {seen_qids[r.wikidata]}")
            seen_qids[r.wikidata] = r.id
        if r.type == "PERSON":
            for a in {r.name, *r.aliases}:
                k = unicodedata.normalize("NFKC", a).casefold()
                if alias_owner.setdefault(k, r.id) != r.id:
                    raise KBError(f"{r.id}: name {a!r} also names {alias_owner[k]}")
    return [r.as_dict() for r in records]


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Build newsgraph's shipped entity data.")
    ap.add_argument("--countries", action="store_true", help="regenerate countries.json")
    ap.add_argument("--kb", action="store_true", help="assemble kb.jsonl")
    args = ap.parse_args(argv)
    both = not (args.countries or args.kb)
    if args.countries or both:
        rows = build()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {len(rows)} countries to {OUT}")
    if args.kb or both:
        recs = build_kb()
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in recs]
        KB_OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        linked = sum(1 for r in recs if r["wikidata"])
        print(f"wrote {len(recs)} records ({linked} with a Wikidata id) to {KB_OUT}")


if __name__ == "__main__":
    main()
