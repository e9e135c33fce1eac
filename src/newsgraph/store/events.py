"""Event queries: stored PLOVER events with their provenance, grouped across outlets.

Each stored event row is one report (document, ordinal, span); the per-event details that
the extractor keeps in the document's ``extra["event_details"]`` (trigger, actors' states,
date basis, coordinates) are joined back by ordinal. Actors are filtered by name with the
same spelling-tolerant matching as quote speakers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from newsgraph.events.caption_records import caption_ids, caption_records
from newsgraph.events.grouping import EventGroup, EventRecord, Party, group_events
from newsgraph.model import EventType
from newsgraph.store.core import Store
from newsgraph.store.quotes import name_matches
from newsgraph.store.schema import documents, entities, events

EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]
DEFAULT_SCAN = 20000  # newest event rows grouping looks at


def resolve_actor(store: Store, name: str) -> tuple[str, ...]:
    """Ids of entities that take part in some event and whose name or alias matches."""
    name = (name or "").strip()
    if not name:
        return ()
    used = sa.union(
        sa.select(events.c.source.label("id")).where(events.c.source.is_not(None)),
        sa.select(events.c.target.label("id")).where(events.c.target.is_not(None)),
    ).subquery()
    stmt = sa.select(entities.c.id, entities.c.name, entities.c.type, entities.c.aliases).where(
        entities.c.id.in_(sa.select(used.c.id))
    )
    with store._read() as conn:
        rows = conn.execute(stmt).all()
    return tuple(
        sorted(
            r.id
            for r in rows
            if any(
                name_matches(name, n, person=r.type == "PERSON")
                for n in [r.name, *(r.aliases or [])]
            )
        )
    )


def find_events(
    store: Store,
    *,
    actor: str | None = None,
    type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    status: Sequence[str] | None = None,
    limit: int | None = DEFAULT_SCAN,
    captions: bool = True,
) -> list[EventRecord]:
    """Event reports matching every filter, by event date (undated: publication date).

    ``actor`` is a name (source or target, any spelling); ``type`` a PLOVER type;
    ``since``/``until`` bound the event's date, or its report's publication date when the
    event is undated (inclusive); ``status`` keeps only these statuses. ``captions`` adds the
    events coded in photo captions (``from_caption``; see :mod:`newsgraph.events.captions`).
    """
    t = None
    if type is not None:
        t = type.strip().upper()
        if t not in EVENT_TYPES:
            raise ValueError(f"unknown event type {type!r}; choose from {', '.join(EVENT_TYPES)}")
    found = _find_text_events(store, actor, t, since, until, status, limit)
    if captions:
        found += _find_caption_events(store, actor, t, since, until, status)
        # Stable: text events keep their SQL order among equals; captions follow them.
        found.sort(key=lambda r: (r.date or r.published) is None)
        found.sort(key=lambda r: r.date or r.published or dt.date.min, reverse=True)
    return found[: max(0, int(limit))] if limit is not None else found


def _find_text_events(
    store: Store,
    actor: str | None,
    t: str | None,
    since: dt.date | None,
    until: dt.date | None,
    status: Sequence[str] | None,
    limit: int | None,
) -> list[EventRecord]:
    conds: list[sa.ColumnElement[bool]] = []
    if actor is not None:
        ids = resolve_actor(store, actor)
        if not ids:
            return []
        conds.append(sa.or_(events.c.source.in_(ids), events.c.target.in_(ids)))
    if t is not None:
        conds.append(events.c.type == t)
    when = sa.func.coalesce(events.c.date, documents.c.published)
    if since is not None:
        conds.append(when >= since)
    if until is not None:
        conds.append(when <= until)
    if status:
        conds.append(events.c.status.in_(list(status)))
    stmt = (
        sa.select(
            events,
            documents.c.outlet,
            documents.c.published,
            documents.c.title,
            documents.c.url,
            documents.c.text.label("doc_text"),
            documents.c.extra.label("doc_extra"),
        )
        .select_from(events.join(documents, documents.c.id == events.c.document_id))
        .where(*conds)
        .order_by(when.desc().nulls_last(), documents.c.seq, events.c.ordinal)
    )
    if limit is not None:
        stmt = stmt.limit(max(0, int(limit)))
    with store._read() as conn:
        rows = conn.execute(stmt).all()
        ids = {v for r in rows for v in (r.source, r.target, r.location) if v}
        names: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(sorted(ids)):
            q = sa.select(entities.c.id, entities.c.name, entities.c.type).where(
                entities.c.id.in_(chunk)
            )
            names.update({e.id: (e.name, e.type) for e in conn.execute(q)})
    return [_record(r, names) for r in rows]


def _find_caption_events(
    store: Store,
    actor: str | None,
    t: str | None,
    since: dt.date | None,
    until: dt.date | None,
    status: Sequence[str] | None,
) -> list[EventRecord]:
    """Caption events pass the same filters; they live in ``documents.extra`` (no index: this
    reads the documents that have any, found by a JSON type test)."""
    extra = documents.c.extra
    if store.dialect == "postgresql":
        has = sa.func.jsonb_typeof(extra["caption_events"]) == "array"
    else:
        has = sa.func.json_type(extra, "$.caption_events") == "array"
    stmt = (
        sa.select(
            documents.c.id,
            documents.c.outlet,
            documents.c.published,
            documents.c.title,
            documents.c.url,
            extra,
        )
        .where(has)
        .order_by(documents.c.seq)
    )
    with store._read() as conn:
        rows = conn.execute(stmt).all()
        ids = sorted({i for r in rows for i in caption_ids(r.extra or {})})
        known: dict[str, tuple[str, str, list[str]]] = {}
        for chunk in _chunks(ids):
            q = sa.select(entities.c.id, entities.c.name, entities.c.type, entities.c.aliases)
            for e in conn.execute(q.where(entities.c.id.in_(chunk))):
                known[e.id] = (e.name, e.type, list(e.aliases or []))
    names = {i: (n, ty) for i, (n, ty, _) in known.items()}

    def party(eid: str | None, text: Any, country: Any) -> Party:
        country = country if isinstance(country, str) else None
        if eid is None:  # a name the text never resolved: its words, without an entity
            words = text if isinstance(text, str) and text else None
            return Party(None, words, None, country if words else None)
        return _party(eid, text if isinstance(text, str) else None, country, names)

    def named(p: Party) -> bool:
        assert actor is not None
        if p.entity in known:
            name, typ, aliases = known[p.entity]
            return any(name_matches(actor, n, person=typ == "PERSON") for n in [name, *aliases])
        return bool(p.name) and name_matches(actor, p.name or "")

    out = []
    for r in rows:
        for rec in caption_records(r.id, r.extra or {}, party, outlet=r.outlet,
                                   published=r.published, title=r.title, url=r.url):  # fmt: skip
            when = rec.date or rec.published
            if (
                (t is not None and rec.type != t)
                or (status and rec.status not in status)
                or (since is not None and (when is None or when < since))
                or (until is not None and (when is None or when > until))
                or (actor is not None and not (named(rec.source) or named(rec.target)))
            ):
                continue
            out.append(rec)
    return out


def _chunks(seq: list[str], n: int = 500) -> list[list[str]]:
    return [seq[i : i + n] for i in range(0, len(seq), n)]


def _party(eid: str | None, text: str | None, country: str | None,
           names: dict[str, tuple[str, str]]) -> Party:  # fmt: skip
    if eid is None:
        return Party(None, None)
    name, typ = names.get(eid, (text or eid, None))
    return Party(eid, name, typ, country)


def _record(r: sa.Row[Any], names: dict[str, tuple[str, str]]) -> EventRecord:
    extra = r.doc_extra or {}
    details_all = extra.get("event_details") or []
    d: dict[str, Any] = dict(details_all[r.ordinal]) if r.ordinal < len(details_all) else {}
    rng = (extra.get("event_meta") or {}).get("published_range")
    if rng and r.published is None:
        d["published_range"] = rng  # inferred bounds of a missing publication date
    sent = d.get("sentence") or [r.start, r.end]
    text = (r.doc_text or "")[sent[0] : sent[1]].strip()
    return EventRecord(
        document_id=r.document_id,
        ordinal=r.ordinal,
        type=r.type,
        mode=r.mode,
        status=r.status,
        date=r.date,
        source=_party(r.source, d.get("source_text"), d.get("source_country"), names),
        target=_party(r.target, d.get("target_text"), d.get("target_country"), names),
        location=_party(r.location, d.get("place_text"), None, names),
        start=r.start,
        end=r.end,
        outlet=r.outlet,
        published=r.published,
        title=r.title,
        url=r.url,
        text=text,
        details=d,
    )


def find_event_groups(
    store: Store,
    *,
    actor: str | None = None,
    type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    status: Sequence[str] | None = None,
    scan: int = DEFAULT_SCAN,
) -> list[EventGroup]:
    """Like :func:`find_events`, with reports of the same real event grouped."""
    recs = find_events(store, actor=actor, type=type, since=since, until=until, status=status,
                       limit=scan)  # fmt: skip
    return group_events(recs)


def timeline(
    store: Store,
    *,
    actor: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_unrealised: bool = False,
) -> list[EventGroup]:
    """Dated, deduplicated events in date order (occurred and planned by default; with
    ``include_unrealised`` also hypothetical and denied ones)."""
    status = None if include_unrealised else ("occurred", "planned")
    groups = find_event_groups(store, actor=actor, since=since, until=until, status=status)
    return [g for g in groups if g.date is not None]
