"""Event reports of the selection grouped into happenings with the events module's grouping.

The documents are already loaded for the report, so the records are built from them here (the
same fields :func:`newsgraph.store.events.find_events` reads from the store) and grouped with
:func:`newsgraph.events.grouping.group_events`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from newsgraph.events.caption_records import caption_records
from newsgraph.events.grouping import EventGroup, EventRecord, Party, group_events
from newsgraph.model import Document, Entity


def _party(eid: str | None, text: Any, country: Any, ents: dict[str, Entity]) -> Party:
    if eid is None:
        return Party(None, None)
    e = ents.get(eid)
    name = e.name if e else (str(text) if text else eid)
    return Party(eid, name, e.type if e else None, country if isinstance(country, str) else None)


def event_records(
    docs: Iterable[Document], ents: dict[str, Entity], *, types: Sequence[str] | None = None
) -> list[EventRecord]:
    """One record per stored event of ``docs`` (optionally only of ``types``)."""
    out = []
    for doc in docs:
        details = doc.extra.get("event_details") if isinstance(doc.extra, dict) else None
        details = details if isinstance(details, list) else []
        for n, ev in enumerate(doc.events):
            if types is not None and ev.type not in types:
                continue
            d = details[n] if n < len(details) and isinstance(details[n], dict) else {}
            out.append(
                EventRecord(
                    document_id=doc.id,
                    ordinal=n,
                    type=ev.type,
                    mode=ev.mode,
                    status=ev.status,
                    date=ev.date,
                    source=_party(ev.source, d.get("source_text"), d.get("source_country"), ents),
                    target=_party(ev.target, d.get("target_text"), d.get("target_country"), ents),
                    location=_party(ev.location, d.get("place_text"), None, ents),
                    start=ev.start,
                    end=ev.end,
                    outlet=doc.outlet,
                    published=doc.published,
                    title=doc.title,
                    url=doc.url,
                    details=d,
                )
            )
    return out


def grouped_events(
    docs: Iterable[Document], ents: dict[str, Entity], *, limit: int | None = None
) -> tuple[list[EventGroup], int]:
    """(groups, reports left out): grouping compares reports pairwise, so on large selections
    only the newest ``limit`` reports (by event date, else publication date) are grouped."""
    records = event_records(docs, ents)
    dropped = 0
    if limit is not None and len(records) > limit:
        records.sort(key=lambda r: r.date or r.published or dt.date.min, reverse=True)
        dropped = len(records) - limit
        records = records[:limit]
    return group_events(records), dropped


def grouped_caption_events(docs: Iterable[Document], ents: dict[str, Entity]) -> list[EventGroup]:
    """Events told in the documents' photo captions, grouped across documents. Kept apart
    from :func:`grouped_events`: their spans index a caption, not the text the report's
    source references point into."""

    def party(eid: str | None, text: Any, country: Any) -> Party:
        if eid is None:  # a name the text never resolved: its words, without an entity
            words = text if isinstance(text, str) and text else None
            return Party(None, words, None, country if words and isinstance(country, str) else None)
        return _party(eid, text, country, ents)

    records = [
        r
        for doc in docs
        if isinstance(doc.extra, dict)
        for r in caption_records(doc.id, doc.extra, party, outlet=doc.outlet,
                                 published=doc.published, title=doc.title, url=doc.url)
    ]  # fmt: skip
    return group_events(records)
