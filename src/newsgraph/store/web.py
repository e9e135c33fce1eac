"""Read queries for the REST API and the web UI: paged listings, filters, facets, neighbours.

Every listing is bounded (``limit``/``offset`` are clamped by the caller) and returns plain
dicts ready for JSON. Functions take a :class:`Store` and use its short read transactions.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import secrets
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa

from newsgraph.store import query as fts
from newsgraph.store.core import MARK_END, MARK_START, Store
from newsgraph.store.schema import (
    api_tokens,
    documents,
    entities,
    events,
    mentions,
    quotes,
    stories,
)

COUNT_CAP = 1_000  # listings count matching rows up to here
WALK_DOCS = 10_000  # newest documents walked at most for a frequent speaker's quotes
LIST_COUNT_CAP = 100  # entity listings count each entity's documents up to here
SEARCH_CANDIDATES = 200  # ranked hits considered for filtering and facets
NEIGHBOUR_DOCS = 500  # documents of an entity scanned for co-occurring actors
TOKEN_PREFIX = "ng_"


@dataclass
class Page:
    items: list[dict[str, Any]]
    count: int  # up to COUNT_CAP + 1

    @property
    def total(self) -> int:
        return min(self.count, COUNT_CAP)

    @property
    def capped(self) -> bool:
        """More than ``COUNT_CAP`` rows match: ``total`` is a lower bound."""
        return self.count > COUNT_CAP


@dataclass
class DocFilter:
    outlet: str | None = None
    language: str | None = None
    story: str | None = None
    entity: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    duplicates: bool = True


@dataclass
class EventFilter:
    type: str | None = None
    actor: str | None = None  # source or target
    status: str | None = None
    outlet: str | None = None
    story: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass
class SearchResult:
    items: list[dict[str, Any]]
    total: int
    capped: bool  # more hits matched than were considered
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


_DOC_SUMMARY = (
    documents.c.id,
    documents.c.title,
    documents.c.outlet,
    documents.c.published,
    documents.c.url,
    documents.c.language,
    documents.c.duplicate_of,
    documents.c.story,
)


def _doc_summary(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "outlet": r.outlet,
        "published": r.published,
        "url": r.url,
        "language": r.language,
        "duplicate_of": r.duplicate_of,
        "story": r.story,
    }


def _newest_first(store: Store, *tie_breakers: Any) -> list[Any]:
    """ORDER BY for "newest article first" that SQLite can serve from ix_documents_published.

    On SQLite a descending scan of that index already puts NULL dates last and orders ties
    by rowid (deterministic), and any extra sort key would make it sort every joined row.
    PostgreSQL gets explicit NULLS LAST and tie-breakers.
    """
    if store.dialect == "sqlite":
        return [documents.c.published.desc()]
    return [documents.c.published.desc().nulls_last(), *tie_breakers]


def _count(conn: sa.Connection, q: sa.Select[Any], cap: int = COUNT_CAP) -> int:
    """Matching rows, counted up to ``cap + 1`` so a broad filter stays cheap.

    No column is kept (a constant, the FROM list preserved): columns would be computed for
    every counted row (an event's span cut from the text), and one outside the index that
    serves the filter (documents.id for an outlet) costs a table read per row."""
    one = sa.literal_column("1").label("one")
    sub = (
        q.with_only_columns(one, maintain_column_froms=True)
        .order_by(None)
        .limit(cap + 1)
        .subquery()
    )
    return conn.scalar(sa.select(sa.func.count()).select_from(sub)) or 0


def _doc_conditions(f: DocFilter) -> list[sa.ColumnElement[bool]]:
    d = documents
    cond: list[sa.ColumnElement[bool]] = []
    if f.outlet is not None:
        cond.append(d.c.outlet == f.outlet)
    if f.language is not None:
        cond.append(d.c.language == f.language)
    if f.story is not None:
        cond.append(d.c.story == f.story)
    if f.since is not None:
        cond.append(d.c.published >= f.since)
    if f.until is not None:
        cond.append(d.c.published <= f.until)
    if not f.duplicates:
        cond.append(d.c.duplicate_of.is_(None))
    if f.entity is not None:
        cond.append(
            d.c.id.in_(sa.select(mentions.c.document_id).where(mentions.c.entity == f.entity))
        )
    return cond


def list_documents(store: Store, f: DocFilter, limit: int, offset: int) -> Page:
    """Documents newest first (then by insertion order), filtered."""
    q = sa.select(*_DOC_SUMMARY).where(*_doc_conditions(f))
    with store._read() as conn:
        total = _count(conn, q)
        rows = conn.execute(
            q.order_by(*_newest_first(store, documents.c.seq.desc())).limit(limit).offset(offset)
        ).all()
    return Page([_doc_summary(r) for r in rows], total)


def document_summaries(store: Store, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    with store._read() as conn:
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            for r in conn.execute(sa.select(*_DOC_SUMMARY).where(documents.c.id.in_(chunk))):
                out[r.id] = _doc_summary(r)
    return out


def entity_names(store: Store, ids: Sequence[str | None]) -> dict[str, dict[str, Any]]:
    """id -> {id, name, type} for the given ids (unknown ids are left out)."""
    wanted = sorted({i for i in ids if i})
    out: dict[str, dict[str, Any]] = {}
    if not wanted:
        return out
    with store._read() as conn:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            sql = f"SELECT id, name, type FROM entities WHERE id IN ({_marks(conn, len(chunk))})"
            for id_, name, type_ in _driver_rows(conn, sql, chunk):
                out[id_] = {"id": id_, "name": name, "type": type_}
    return out


def _marks(conn: sa.Connection, n: int) -> str:
    """``n`` positional parameter markers in the driver's style."""
    return ",".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * n)


def _packed_rows(
    conn: sa.Connection, sql: str, columns: Sequence[str], params: Sequence[Any]
) -> list[Sequence[Any]]:
    """Unordered rows of ``sql`` (its result ``columns`` named), on SQLite packed into one
    JSON row: the driver releases and retakes the GIL for every row it steps, and under
    concurrent requests each retake can wait behind another thread (see _SQLITE_RANKED)."""
    if conn.dialect.name != "sqlite":
        return _driver_rows(conn, sql, params)
    packed = (
        f"SELECT json_group_array(json_array({', '.join(f'r.{c}' for c in columns)})) "
        f"FROM ({sql}) AS r"
    )
    ((found,),) = _driver_rows(conn, packed, params)
    return json.loads(found)


def _driver_rows(conn: sa.Connection, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of driver-level SQL as plain tuples: for hot reads where SQLAlchemy's statement
    building, IN-list binding and row wrapping cost more than the query itself."""
    cur = conn.connection.cursor()
    try:
        cur.execute(sql, tuple(params))
        return list(cur.fetchall())
    finally:
        cur.close()


# --- entities -------------------------------------------------------------------------------


def _entity_dict(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "type": r.type,
        "aliases": list(r.aliases or []),
        "roles": list(r.roles or []),
        "wikidata": r.wikidata,
    }


_ENTITY_COLS = (
    entities.c.id,
    entities.c.name,
    entities.c.type,
    entities.c.aliases,
    entities.c.roles,
    entities.c.wikidata,
)


def list_entities(
    store: Store, *, name: str | None, type: str | None, limit: int, offset: int
) -> Page:
    """Entities by name; ``name`` matches a substring of the canonical name (any case)."""
    q = sa.select(*_ENTITY_COLS)
    if name:
        pattern = "%" + name.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        q = q.where(sa.func.lower(entities.c.name).like(pattern + "%", escape="\\"))
    if type:
        q = q.where(entities.c.type == type)
    # The page and the number of matches from one scan of the entities (a window count).
    matches = sa.func.count().over().label("matches")
    page_q = q.add_columns(matches).order_by(entities.c.name, entities.c.id)
    with store._read() as conn:
        rows = conn.execute(page_q.limit(limit).offset(offset)).all()
        total = rows[0].matches if rows else _count(conn, q)
        items = [_entity_dict(r) for r in rows]
        _add_mention_counts(conn, items, LIST_COUNT_CAP)
    return Page(items, min(total, COUNT_CAP + 1))


@functools.lru_cache(maxsize=64)
def _mention_counts_stmt(n: int, cap: int) -> sa.Select[Any]:
    """One row of ``n`` capped document counts for entities bound as ``e0`` … ``e{n-1}``
    (built once per shape: constructing 20 subqueries costs more than running them)."""
    counts = []
    for i in range(n):
        docs = (
            sa.select(mentions.c.document_id)
            .where(mentions.c.entity == sa.bindparam(f"e{i}"))
            .distinct()
            .limit(cap)
            .subquery()
        )
        counts.append(sa.select(sa.func.count()).select_from(docs).scalar_subquery())
    return sa.select(*counts)


def _add_mention_counts(
    conn: sa.Connection, items: list[dict[str, Any]], cap: int = COUNT_CAP
) -> None:
    """Documents naming each entity, counted up to ``cap`` (frequent actors are many).

    One statement for all items (a capped count each, read from ix_mentions_entity_document).
    """
    if not items:
        return
    stmt = _mention_counts_stmt(len(items), cap)
    row = conn.execute(stmt, {f"e{i}": e["id"] for i, e in enumerate(items)}).one()
    for e, n in zip(items, row, strict=True):
        e["documents"] = n or 0


def entity_exists(store: Store, entity_id: str) -> bool:
    with store._read() as conn:
        return conn.scalar(sa.select(entities.c.id).where(entities.c.id == entity_id)) is not None


def get_entity(store: Store, entity_id: str) -> dict[str, Any] | None:
    with store._read() as conn:
        r = conn.execute(sa.select(*_ENTITY_COLS).where(entities.c.id == entity_id)).first()
        if r is None:
            return None
        item = _entity_dict(r)
        _add_mention_counts(conn, [item])
        return item


def entity_documents(store: Store, entity_id: str, limit: int, offset: int) -> Page:
    return list_documents(store, DocFilter(entity=entity_id), limit, offset)


def _entity_docs(entity_id: str) -> sa.Select[Any]:
    """At most ``NEIGHBOUR_DOCS`` documents naming the entity (from the covering index); a
    subquery rather than a list of ids, which would cost binding hundreds of parameters."""
    return (
        sa.select(mentions.c.document_id)
        .where(mentions.c.entity == entity_id)
        .distinct()
        .limit(NEIGHBOUR_DOCS)
    )


def cooccurring(store: Store, entity_id: str, limit: int) -> list[dict[str, Any]]:
    """Entities named in the same documents as ``entity_id``, most shared documents first.

    Scans at most ``NEIGHBOUR_DOCS`` of the entity's documents, so a very frequent entity
    costs the same as a moderately frequent one.
    """
    shared = sa.func.count(sa.distinct(mentions.c.document_id))
    with store._read() as conn:
        q = (
            sa.select(mentions.c.entity, shared.label("n"))
            .where(
                mentions.c.document_id.in_(_entity_docs(entity_id).subquery().select()),
                mentions.c.entity.is_not(None),
                mentions.c.entity != entity_id,
            )
            .group_by(mentions.c.entity)
            .order_by(shared.desc(), mentions.c.entity)
            .limit(limit)
        )
        rows = conn.execute(q).all()
    names = entity_names(store, [r.entity for r in rows])
    return [
        {**names.get(r.entity, {"id": r.entity, "name": r.entity, "type": None}), "documents": r.n}
        for r in rows
    ]


def network(store: Store, entity_id: str, limit: int) -> dict[str, Any]:
    """The entity, its co-occurring actors, and the links among them (for the graph view).

    Neighbours and links are counted over the same ``NEIGHBOUR_DOCS`` documents as
    :func:`cooccurring`, from one read of the entities those documents name.
    """
    with store._read() as conn:
        r = conn.execute(sa.select(*_ENTITY_COLS).where(entities.c.id == entity_id)).first()
        if r is None:
            return {"nodes": [], "links": []}
        centre = _entity_dict(r)
        # About three rows per document: plain tuples, packed into one row on SQLite.
        mark = _marks(conn, 1)
        sql = (
            "SELECT DISTINCT document_id AS d, entity AS e FROM mentions "
            "WHERE entity IS NOT NULL AND document_id IN (SELECT DISTINCT document_id "
            f"FROM mentions WHERE entity = {mark} LIMIT {int(NEIGHBOUR_DOCS)})"
        )
        pairs_rows = _packed_rows(conn, sql, ("d", "e"), (entity_id,))
    by_doc: dict[str, set[str]] = {}
    for doc_id, ent in pairs_rows:
        if ent != entity_id:
            by_doc.setdefault(doc_id, set()).add(ent)
    shared: Counter[str] = Counter(e for ents in by_doc.values() for e in ents)
    top = sorted(shared.items(), key=lambda x: (-x[1], x[0]))[:limit]
    names = entity_names(store, [e for e, _ in top])
    nodes = [{"id": centre["id"], "name": centre["name"], "type": centre["type"], "weight": 0}]
    links = []
    for e, n in top:
        info = names.get(e, {"id": e, "name": e, "type": None})
        nodes.append({"id": e, "name": info["name"], "type": info["type"], "weight": n})
        links.append({"source": entity_id, "target": e, "weight": n})
    # Links between neighbours, counted over the centre's documents only (bounded).
    ids = {e for e, _ in top}
    pairs: Counter[tuple[str, str]] = Counter()
    for ents in by_doc.values():
        ordered = sorted(ents & ids)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                pairs[(a, b)] += 1
    links += [{"source": a, "target": b, "weight": n} for (a, b), n in pairs.most_common(200)]
    return {"nodes": nodes, "links": links}


# --- quotes and events ----------------------------------------------------------------------


def list_quotes(
    store: Store,
    *,
    speaker: str | None,
    kind: str | None,
    document: str | None,
    story: str | None,
    limit: int,
    offset: int,
    doc_ids: Sequence[str] | None = None,
) -> Page:
    """Quotes newest document first, then in document order.

    The count and the order are computed on quote keys only (the covering
    ``ix_quotes_speaker_document`` index, joined with documents only for the date or a story
    filter); full rows are read for the page alone.
    """
    cond: list[sa.ColumnElement[bool]] = []
    if doc_ids is not None:
        cond.append(quotes.c.document_id.in_(list(doc_ids)))
    if kind is not None:
        cond.append(quotes.c.kind == kind)
    if document is not None:
        cond.append(quotes.c.document_id == document)
    if speaker is not None:
        cond.append(quotes.c.speaker == speaker)
    doc_cond = [documents.c.story == story] if story is not None else []
    keys = sa.select(quotes.c.document_id, quotes.c.ordinal).where(*cond)
    counted = keys
    if doc_cond:
        counted = keys.join(documents, documents.c.id == quotes.c.document_id).where(*doc_cond)
    with store._read() as conn:
        total = _count(conn, counted)
        found: list[tuple[str, int]] | None = None
        if (
            speaker is not None
            and total > COUNT_CAP
            and store.dialect == "sqlite"
            and doc_ids is None
        ):
            # A frequent speaker. Sorting reads the date of every one of their documents
            # (~4.5 µs each on the bench store); walking documents newest first probes each
            # for the speaker's quotes (~7 µs each) and stops when the page is full, after
            # about (offset + limit) * documents / quotes documents. Take the cheaper one.
            docs_n = conn.scalar(sa.select(sa.func.max(documents.c.seq))) or 0
            many = _count(conn, counted, WALK_DOCS)
            walk = (offset + limit) * docs_n // max(many, 1)  # expected documents walked
            args = dict(speaker=speaker, kind=kind, document=document, story=story)
            if walk <= WALK_DOCS and 3 * walk < 2 * many:
                # At most four times the expected walk (the speaker may be rare lately).
                found = _frequent_speaker_keys(
                    conn, **args, limit=limit, offset=offset, walk=min(WALK_DOCS, 4 * walk)
                )
            if found is None:
                found = _frequent_speaker_keys(conn, **args, limit=limit, offset=offset)
        if found is None:
            narrow = (speaker is not None or document is not None) and total <= COUNT_CAP
            order = (
                # A narrow filter (few rows): sort them rather than scan all documents.
                [documents.c.published.desc(), quotes.c.document_id, quotes.c.ordinal]
                if narrow
                else _newest_first(store, documents.c.seq.desc(), quotes.c.ordinal)
            )
            page_q = keys.join(documents, documents.c.id == quotes.c.document_id).where(*doc_cond)
            found = [
                (r.document_id, r.ordinal)
                for r in conn.execute(page_q.order_by(*order).limit(limit).offset(offset))
            ]
        rows = _quote_rows(conn, found)
    names = entity_names(store, [r.speaker for r in rows])
    items = [
        {
            "document": r.document_id,
            "ordinal": r.ordinal,
            "start": r.start,
            "end": r.end,
            "text": r.text,
            "kind": r.kind,
            "cue": r.cue,
            "speaker": r.speaker,
            "speaker_name": names.get(r.speaker, {}).get("name") if r.speaker else None,
            "speaker_text": r.speaker_text,
            "title": r.title,
            "outlet": r.outlet,
            "published": r.published,
        }
        for r in rows
    ]
    return Page(items, total)


def _quote_rows(conn: sa.Connection, found: Sequence[tuple[str, int]]) -> list[Any]:
    """Full quote rows (with their document's title, outlet, date) for keys, in key order."""
    if not found:
        return []
    q = (
        sa.select(
            quotes.c.document_id,
            quotes.c.ordinal,
            quotes.c.start,
            quotes.c.end,
            quotes.c.text,
            quotes.c.kind,
            quotes.c.cue,
            quotes.c.speaker,
            quotes.c.speaker_text,
            documents.c.title,
            documents.c.outlet,
            documents.c.published,
        )
        .join(documents, documents.c.id == quotes.c.document_id)
        .where(quotes.c.document_id.in_(sorted({d for d, _ in found})))
    )
    by_key = {(r.document_id, r.ordinal): r for r in conn.execute(q)}
    return [by_key[k] for k in found if k in by_key]


def _frequent_speaker_keys(
    conn: sa.Connection,
    *,
    speaker: str,
    kind: str | None,
    document: str | None,
    story: str | None,
    limit: int,
    offset: int,
    walk: int | None = None,
) -> list[tuple[str, int]] | None:
    """A page of a frequent speaker's quote keys, newest document first (SQLite only).

    ``walk``: walk down ix_documents_published through (whole days of) the newest ``walk``
    documents, probing each in the covering ix_quotes_speaker_document and stopping when
    the page is full; None when those documents do not fill the page. Otherwise the
    speaker's quotes from that index, each joined with its document's date, sorted. CROSS
    JOIN fixes the loop order (SQLite never reorders it). Both give the same order, so
    pages agree whichever was taken.
    """
    where = ["q.speaker = :speaker"]
    params: dict[str, Any] = {"speaker": speaker, "limit": limit, "offset": offset}
    for column, value in (("q.kind", kind), ("q.document_id", document), ("d.story", story)):
        if value is not None:
            name = f"p{len(params)}"
            where.append(f"{column} = :{name}")
            params[name] = value
    loops = "quotes q CROSS JOIN documents d"
    if walk is not None:
        loops = "documents d CROSS JOIN quotes q"
        floor = conn.scalar(
            sa.select(documents.c.published)
            .where(documents.c.published.is_not(None))
            .order_by(documents.c.published.desc())
            .limit(1)
            .offset(walk)
        )
        if floor is not None:  # whole days only, so the order within the walk is final
            where.append("d.published >= :floor")
            params["floor"] = floor
    sql = (
        f"SELECT q.document_id, q.ordinal FROM {loops} ON q.document_id = d.id "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY d.published DESC, d.seq DESC, q.ordinal LIMIT :limit OFFSET :offset"
    )
    stmt = sa.text(sql)
    if "floor" in params:
        stmt = stmt.bindparams(sa.bindparam("floor", type_=sa.Date))
    found = [(d, o) for d, o in conn.execute(stmt, params).all()]
    if walk is not None and "floor" in params and len(found) < limit:
        return None
    return found


def _event_query(f: EventFilter) -> sa.Select[Any]:
    e = events
    q = sa.select(
        e.c.document_id,
        e.c.ordinal,
        e.c.start,
        e.c.end,
        e.c.type,
        e.c.mode,
        e.c.source,
        e.c.target,
        e.c.date,
        e.c.location,
        e.c.status,
        documents.c.title,
        documents.c.outlet,
        documents.c.published,
        # Only the event's span: whole texts would travel through the sort.
        sa.func.substr(documents.c.text, e.c.start + 1, e.c.end - e.c.start).label("span"),
    ).join(documents, documents.c.id == e.c.document_id)
    if f.type is not None:
        q = q.where(e.c.type == f.type)
    if f.actor is not None:
        q = q.where(sa.or_(e.c.source == f.actor, e.c.target == f.actor))
    if f.status is not None:
        q = q.where(e.c.status == f.status)
    if f.outlet is not None:
        q = q.where(documents.c.outlet == f.outlet)
    if f.story is not None:
        q = q.where(documents.c.story == f.story)
    # Date filters and order use the event's own date (indexed); undated events come last.
    if f.since is not None:
        q = q.where(e.c.date >= f.since)
    if f.until is not None:
        q = q.where(e.c.date <= f.until)
    return q


def list_events(
    store: Store,
    f: EventFilter,
    limit: int,
    offset: int,
    doc_ids: Sequence[str] | None = None,
) -> Page:
    """Events in date order (undated ones last), then by document."""
    q = _event_query(f)
    if doc_ids is not None:
        q = q.where(events.c.document_id.in_(list(doc_ids)))
    counted = q.with_only_columns(events.c.date)
    if f.outlet is None and f.story is None:
        # No document filter: every event has its document (foreign key), so the count
        # needs no join and reads the (type, date) or date index alone.
        where = [q.whereclause] if q.whereclause is not None else []
        counted = sa.select(events.c.date).where(*where)
    with store._read() as conn:
        total = _count(conn, counted)
        rows = conn.execute(
            q.order_by(events.c.date.nulls_last(), events.c.document_id, events.c.ordinal)
            .limit(limit)
            .offset(offset)
        ).all()
    names = entity_names(store, [x for r in rows for x in (r.source, r.target, r.location)])
    items = []
    for r in rows:
        items.append(
            {
                "document": r.document_id,
                "ordinal": r.ordinal,
                "start": r.start,
                "end": r.end,
                "text": r.span or "",
                "type": r.type,
                "mode": r.mode,
                "source": r.source,
                "source_name": names.get(r.source, {}).get("name") if r.source else None,
                "target": r.target,
                "target_name": names.get(r.target, {}).get("name") if r.target else None,
                "location": r.location,
                "location_name": names.get(r.location, {}).get("name") if r.location else None,
                "date": r.date,
                "status": r.status,
                "title": r.title,
                "outlet": r.outlet,
                "published": r.published,
            }
        )
    return Page(items, total)


def event_types(store: Store) -> list[dict[str, Any]]:
    n = sa.func.count()
    with store._read() as conn:
        rows = conn.execute(
            sa.select(events.c.type, n).group_by(events.c.type).order_by(n.desc(), events.c.type)
        )
        return [{"value": t, "count": c} for t, c in rows]


def outlets(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    n = sa.func.count()
    with store._read() as conn:
        rows = conn.execute(
            sa.select(documents.c.outlet, n)
            .where(documents.c.outlet.is_not(None))
            .group_by(documents.c.outlet)
            .order_by(n.desc(), documents.c.outlet)
            .limit(limit)
        )
        return [{"value": o, "count": c} for o, c in rows]


# --- stories --------------------------------------------------------------------------------


def _story_dict(r: Any) -> dict[str, Any]:
    docs = list(r.documents or [])
    return {
        "id": r.id,
        "title": r.title,
        "documents": docs,
        "size": len(docs),
        "first_seen": r.first_seen,
        "last_seen": r.last_seen,
    }


# Not the clusterer's state: it can be large and is no reader's business.
_STORY_COLS = (
    stories.c.id,
    stories.c.title,
    stories.c.documents,
    stories.c.first_seen,
    stories.c.last_seen,
)


def list_stories(store: Store, limit: int, offset: int) -> Page:
    q = sa.select(*_STORY_COLS)
    with store._read() as conn:
        total = _count(conn, q)
        rows = conn.execute(
            q.order_by(stories.c.last_seen.desc().nulls_last(), stories.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
    return Page([_story_dict(r) for r in rows], total)


def get_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """The story with its documents (those it lists and those pointing at it) and outlets."""
    with store._read() as conn:
        r = conn.execute(sa.select(*_STORY_COLS).where(stories.c.id == story_id)).first()
        if r is None:
            return None
        item = _story_dict(r)
        pointing = list(
            conn.scalars(sa.select(documents.c.id).where(documents.c.story == story_id))
        )
    ids = list(dict.fromkeys([*item["documents"], *pointing]))
    summaries = document_summaries(store, ids)
    docs = [summaries[i] for i in ids if i in summaries]
    docs.sort(key=lambda d: (d["published"] or dt.date.max, d["id"]))
    item["documents"] = [d["id"] for d in docs]
    item["size"] = len(docs)
    item["articles"] = docs
    counts = Counter(d["outlet"] or "unknown" for d in docs)
    item["outlets"] = [{"value": o, "count": c} for o, c in counts.most_common()]
    return item


# --- search ---------------------------------------------------------------------------------


def _facet(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"value": v, "count": c} for v, c in rows if v is not None]


def search(
    store: Store,
    query: str,
    *,
    outlet: str | None,
    entity: str | None,
    event_type: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    offset: int,
    facet_size: int = 10,
) -> SearchResult:
    """Full-text hits (best first) filtered by facets, with counts per facet value.

    Facets are computed over the filtered set of the best ``SEARCH_CANDIDATES`` hits, so a
    very broad query stays cheap (``capped`` tells the caller).
    """
    parsed = fts.parse(query)
    ranked = _ranked(store, parsed, SEARCH_CANDIDATES)
    capped = len(ranked) >= SEARCH_CANDIDATES
    by_id = {r.id: r for r in ranked}
    kept = [r.id for r in ranked]
    cond = _doc_conditions(DocFilter(outlet=outlet, since=since, until=until))
    ents_of: dict[str, set[str]] = {}
    types_of: dict[str, set[str]] = {}
    with store._read() as conn:
        if kept and cond:
            q = sa.select(documents.c.id).where(documents.c.id.in_(kept), *cond)
            keep = set(conn.scalars(q))
            kept = [i for i in kept if i in keep]
        grouped = entity is None and event_type is None
        if kept and grouped:
            # No entity / event type filter: the database counts those facets (a few rows
            # back instead of every mention and event of the candidates).
            ent_rows, type_rows = _facet_counts(conn, kept, facet_size)
        elif kept:
            # The candidates' entities and event types, read once by document (primary key):
            # they serve both the entity / event type filters and their facets.
            for doc_id, is_event, value in _entities_and_types(conn, kept):
                (types_of if is_event else ents_of).setdefault(doc_id, set()).add(value)
    if entity is not None:
        kept = [i for i in kept if entity in ents_of.get(i, ())]
    if event_type is not None:
        kept = [i for i in kept if event_type in types_of.get(i, ())]

    def top(values: Counter[Any]) -> list[tuple[Any, int]]:
        return sorted(values.items(), key=lambda x: (-x[1], x[0]))[:facet_size]

    if not (kept and grouped):
        ent_rows = top(Counter(e for i in kept for e in ents_of.get(i, ())))
        type_rows = top(Counter(t for i in kept for t in types_of.get(i, ())))
    names = entity_names(store, [e for e, _ in ent_rows])
    days = Counter(str(by_id[i].published) for i in kept if by_id[i].published is not None)
    facets = {
        "outlet": _facet(
            top(Counter(by_id[i].outlet for i in kept if by_id[i].outlet is not None))
        ),
        "entity": [
            {"value": e, "name": names.get(e, {}).get("name", e), "count": c} for e, c in ent_rows
        ],
        "event_type": _facet(type_rows),
        "date": _facet(sorted(days.items())),
    }
    page = kept[offset : offset + limit]
    hits = _page_hits(store, parsed, [by_id[i].seq for i in page])
    items = [
        {
            "id": i,
            "title": hits[i].title,
            "outlet": hits[i].outlet,
            "published": hits[i].published,
            "snippet": hits[i].snippet or "",
            "score": float(by_id[i].score or 0.0),
        }
        for i in page
        if i in hits
    ]
    return SearchResult(items, len(kept), capped, facets)


def _facet_counts(
    conn: sa.Connection, doc_ids: Sequence[str], n: int
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The ``n`` entities and the ``n`` event types in most of the documents, with their
    document counts (most first, then by value in code point order on both backends)."""
    marks = _marks(conn, len(doc_ids))
    order = ' COLLATE "C"' if conn.dialect.name == "postgresql" else ""
    sql = (
        "SELECT 0, v, n FROM (SELECT entity AS v, COUNT(DISTINCT document_id) AS n "
        f"FROM mentions WHERE document_id IN ({marks}) AND entity IS NOT NULL "
        f"GROUP BY entity ORDER BY n DESC, entity{order} LIMIT {int(n)}) e "
        "UNION ALL SELECT 1, v, n FROM (SELECT type AS v, COUNT(DISTINCT document_id) AS n "
        f"FROM events WHERE document_id IN ({marks}) "
        f"GROUP BY type ORDER BY n DESC, type{order} LIMIT {int(n)}) t"
    )
    rows = _driver_rows(conn, sql, (*doc_ids, *doc_ids))
    by_kind: tuple[list[tuple[str, int]], list[tuple[str, int]]] = ([], [])
    for kind, value, count in rows:
        by_kind[kind].append((value, int(count)))
    for values in by_kind:
        values.sort(key=lambda x: (-x[1], x[0]))
    return by_kind


def _entities_and_types(conn: sa.Connection, doc_ids: Sequence[str]) -> list[Any]:
    """(document id, 0, entity) and (document id, 1, event type) rows of the documents.

    One statement on a driver cursor: building and binding two SQLAlchemy ``IN`` expressions
    of a few hundred ids and wrapping every row cost more than the index lookups themselves.
    """
    marks = _marks(conn, len(doc_ids))
    sql = (
        f"SELECT document_id AS d, 0 AS k, entity AS v FROM mentions "
        f"WHERE document_id IN ({marks}) AND entity IS NOT NULL UNION ALL "
        f"SELECT document_id, 1, type FROM events WHERE document_id IN ({marks})"
    )
    return _packed_rows(conn, sql, ("d", "k", "v"), (*doc_ids, *doc_ids))


# Ranking and snippets are split (unlike ``Store.search``): the best ``SEARCH_CANDIDATES``
# hits are ranked without snippets, which are made for the page only (they re-read the text).
_FTS_MATCH = "FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid "


class _Hit(NamedTuple):
    id: str
    seq: int
    outlet: str | None
    published: Any  # ISO text on SQLite, a date on PostgreSQL
    score: float


class _PageHit(NamedTuple):
    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    snippet: str | None


# The hits come back as ONE row (a JSON array): the driver releases and retakes the GIL for
# every row it steps, and under concurrent requests each retake can wait behind another
# thread; 200 rows cost a search more waiting than work (p50 -30% in a threaded test).
# The score travels as %.17g text, exact, for the order (re-established in Python).
_SQLITE_RANKED = (
    "SELECT json_group_array(json_array(d.id, d.seq, d.outlet, d.published, "
    "printf('%.17g', h.score))) FROM ("
    "SELECT rowid AS seq, -bm25(documents_fts, 10.0, 1.0) AS score "
    "FROM documents_fts WHERE documents_fts MATCH ? "
    "ORDER BY bm25(documents_fts, 10.0, 1.0), rowid LIMIT ?) h "
    "JOIN documents d ON d.seq = h.seq"
)


def _ranked(store: Store, parsed: fts.Parsed, n: int) -> Sequence[Any]:
    """Rows (id, seq, outlet, published, score) of the best ``n`` hits, best first, ranked
    as ``Store.search`` ranks them."""
    if not parsed:
        return []
    try:
        with store._read() as conn:
            if store.dialect == "postgresql":
                vector = sa.literal_column("documents.search_vector")
                rank = sa.func.ts_rank_cd(vector, fts.to_tsquery(parsed))
                rows = conn.execute(
                    sa.select(
                        documents.c.id,
                        documents.c.seq,
                        documents.c.outlet,
                        documents.c.published,
                        rank.label("score"),
                    )
                    .where(vector.op("@@")(fts.to_tsquery(parsed)))
                    .order_by(rank.desc(), documents.c.seq)
                    .limit(n)
                ).all()
            else:
                # Ranked inside the FTS table first, then only the best n joined with
                # documents (joining every match before the sort costs twice as much). A
                # driver cursor: rows as plain tuples, the date left as its ISO text.
                (found,) = _driver_rows(conn, _SQLITE_RANKED, (fts.to_fts5(parsed), n))
                hits = [
                    _Hit(i, seq, outlet, published, float(score))
                    for i, seq, outlet, published, score in json.loads(found[0])
                ]
                rows = sorted(hits, key=lambda h: (-h.score, h.seq))
    except sqlite3.OperationalError as e:
        if "fts5" in str(e):  # as below, from the driver cursor
            return []
        raise
    except sa.exc.DBAPIError as e:
        # As in Store.search: a query the FTS parser still rejects finds nothing.
        if "fts5" in str(e) or isinstance(e, sa.exc.ProgrammingError | sa.exc.DataError):
            return []
        raise
    return rows


def _page_hits(store: Store, parsed: fts.Parsed, seqs: Sequence[int]) -> dict[str, Any]:
    """id -> row (title, outlet, published, snippet) for the page's hits (by ``seq``)."""
    if not seqs:
        return {}
    with store._read() as conn:
        if store.dialect == "postgresql":
            body = sa.func.coalesce(documents.c.title + " — ", "") + sa.func.left(
                documents.c.text, 300_000
            )
            options = (
                f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=30, MinWords=12, '
                'MaxFragments=2, FragmentDelimiter=" … "'
            )
            headline = sa.func.ts_headline(fts.TS_CONFIG, body, fts.to_tsquery(parsed), options)
            rows = conn.execute(
                sa.select(
                    documents.c.id,
                    documents.c.title,
                    documents.c.outlet,
                    documents.c.published,
                    headline.label("snippet"),
                ).where(documents.c.seq.in_(list(seqs)))
            ).all()
        else:
            marks = ",".join("?" * len(seqs))
            sql = (
                "SELECT d.id, d.title, d.outlet, d.published, "
                "snippet(documents_fts, -1, ?, ?, '…', 24) "
                + _FTS_MATCH
                # rowid, not d.id: FTS5 then reads only these rows.
                + f"WHERE documents_fts MATCH ? AND documents_fts.rowid IN ({marks})"
            )
            params = (MARK_START, MARK_END, fts.to_fts5(parsed), *seqs)
            rows = [
                _PageHit(i, t, o, dt.date.fromisoformat(p) if p else None, snip)
                for i, t, o, p, snip in _driver_rows(conn, sql, params)
            ]
    return {r.id: r for r in rows}


# --- API tokens -----------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(store: Store, name: str) -> tuple[int, str]:
    """A new random token; only its hash is stored, so this is the one time it is seen."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    with store._write() as conn:
        token_id = conn.execute(
            sa.insert(api_tokens)
            .values(name=name, token_hash=hash_token(token), prefix=token[:8], created_at=now)
            .returning(api_tokens.c.id)
        ).scalar_one()
    return int(token_id), token


def list_tokens(store: Store) -> list[dict[str, Any]]:
    t = api_tokens
    with store._read() as conn:
        rows = conn.execute(
            sa.select(
                t.c.id, t.c.name, t.c.prefix, t.c.created_at, t.c.last_used_at, t.c.revoked_at
            ).order_by(t.c.id)
        )
        return [dict(r._mapping) for r in rows]


def revoke_token(store: Store, token_id: int) -> bool:
    """Revoke by id; False when no active token has that id."""
    t = api_tokens
    with store._write() as conn:
        result = conn.execute(
            sa.update(t)
            .where(t.c.id == token_id, t.c.revoked_at.is_(None))
            .values(revoked_at=dt.datetime.now(dt.UTC))
        )
        return bool(result.rowcount)


def check_token(store: Store, token: str) -> int | None:
    """The id of the active token, or None. Records use at most once an hour (a write)."""
    t = api_tokens
    with store._read() as conn:
        row = conn.execute(
            sa.select(t.c.id, t.c.last_used_at).where(
                t.c.token_hash == hash_token(token), t.c.revoked_at.is_(None)
            )
        ).first()
    if row is None:
        return None
    now = dt.datetime.now(dt.UTC)
    last = row.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)  # SQLite returns naive datetimes
    if last is None or now - last > dt.timedelta(hours=1):
        with store._write() as conn:
            conn.execute(sa.update(t).where(t.c.id == row.id).values(last_used_at=now))
    return int(row.id)
