"""Photo-caption events (``doc.extra["caption_events"]``, see :mod:`newsgraph.events.captions`)
as :class:`~newsgraph.events.grouping.EventRecord` objects, beside the text's events.

Listings, timelines, reports and exports show them marked ``from_caption``; the export
contract's ``documents.jsonl`` does not hold them (its offsets index ``text``). Actors are
the document's local keys in storage, resolved here through its live ``entity_map`` (which
entity merges and splits keep current), as ``captions.jsonl`` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from newsgraph.events.grouping import EventRecord, Party

PartyFn = Callable[[str | None, Any, Any], Party]  # (entity id, words, country) -> Party
_STATUSES = frozenset({"occurred", "planned", "hypothetical", "denied"})


def _entity(value: Any, mapping: Mapping[str, Any]) -> str | None:
    if not isinstance(value, str):
        return None
    if value.startswith("local:"):
        mapped = mapping.get(value)
        return mapped if isinstance(mapped, str) else None
    return value


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def caption_ids(extra: Mapping[str, Any]) -> set[str]:
    """Canonical ids of the actors and places of a document's caption events."""
    mapping = extra.get("entity_map") or {}
    return {
        eid
        for ev in extra.get("caption_events") or []
        if isinstance(ev, dict)
        for k in ("source", "target", "location")
        if (eid := _entity(ev.get(k), mapping))
    }


def caption_records(
    document_id: str,
    extra: Mapping[str, Any],
    party: PartyFn,
    *,
    outlet: str | None = None,
    published: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
) -> list[EventRecord]:
    """One record per caption event of a document; malformed entries are skipped (``extra``
    is stored JSON)."""
    events = extra.get("caption_events")
    if not isinstance(events, list):
        return []
    mapping = extra.get("entity_map")
    mapping = mapping if isinstance(mapping, dict) else {}
    captions = extra.get("captions")
    captions = captions if isinstance(captions, list) else []
    rng = (extra.get("event_meta") or {}).get("published_range")
    out = []
    for n, ev in enumerate(events):
        if not isinstance(ev, dict) or not isinstance(ev.get("type"), str):
            continue
        i = ev.get("caption")
        cap = captions[i] if isinstance(i, int) and 0 <= i < len(captions) else None
        details = {k: v for k, v in ev.items() if k not in ("extra", "start", "end")}
        if rng and published is None:
            details["published_range"] = rng
        start, end = ev.get("start"), ev.get("end")
        out.append(
            EventRecord(
                document_id=document_id,
                ordinal=n,
                type=ev["type"],
                mode=ev.get("mode") if isinstance(ev.get("mode"), str) else None,
                status=ev["status"] if ev.get("status") in _STATUSES else "occurred",
                date=_date(ev.get("date")),
                source=party(_entity(ev.get("source"), mapping), ev.get("source_text"),
                             ev.get("source_country")),
                target=party(_entity(ev.get("target"), mapping), ev.get("target_text"),
                             ev.get("target_country")),
                location=party(_entity(ev.get("location"), mapping), ev.get("place_text"), None),
                start=start if isinstance(start, int) else 0,
                end=end if isinstance(end, int) else 0,
                outlet=outlet,
                published=published,
                title=title,
                url=url,
                text=cap.strip() if isinstance(cap, str) else "",
                details=details,
                caption=i if isinstance(i, int) else -1,
            )
        )  # fmt: skip
    return out
