"""Queries the situation report needs: which documents a selection covers, and loading them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from newsgraph.model import Document, Entity, Event, Mention, Quote
from newsgraph.store.core import Store
from newsgraph.store.schema import documents, entities, events, mentions, quotes, stories

_CHUNK = 500


def _chunks(seq: Sequence[str], n: int = _CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def story_document_ids(store: Store, story_id: str) -> list[str] | None:
    """Documents of a story (its ``documents`` list and documents pointing at it).

    None when neither the story nor any document with that story id exists.
    """
    with store._read() as conn:
        row = conn.execute(sa.select(stories.c.documents).where(stories.c.id == story_id)).first()
        ids = list(conn.scalars(sa.select(documents.c.id).where(documents.c.story == story_id)))
    if row is None and not ids:
        return None
    listed = list(row.documents or []) if row is not None else []
    return list(dict.fromkeys([*listed, *ids]))


def story_title(store: Store, story_id: str) -> str | None:
    with store._read() as conn:
        return conn.scalar(sa.select(stories.c.title).where(stories.c.id == story_id))


def find_entities(store: Store, name: str) -> list[Entity]:
    """Entities called ``name``: by id, exact name, alias, then name containing it.

    Case-insensitive; the first rule that finds something wins.
    """
    wanted = name.strip().casefold()
    if not wanted:
        return []
    with store._read() as conn:
        rows = conn.execute(
            sa.select(entities.c.id, entities.c.name, entities.c.type, entities.c.aliases,
                      entities.c.roles, entities.c.wikidata)
        ).all()  # fmt: skip
    found = [Entity(id=r.id, name=r.name, type=r.type, aliases=r.aliases or [],
                    roles=r.roles or [], wikidata=r.wikidata) for r in rows]  # fmt: skip
    for rule in (
        lambda e: e.id == name.strip(),
        lambda e: e.name.casefold() == wanted,
        lambda e: any(a.casefold() == wanted for a in e.aliases),
        lambda e: wanted in e.name.casefold(),
    ):
        hits = [e for e in found if rule(e)]
        if hits:
            return hits
    return []


def entity_document_ids(store: Store, entity_ids: Sequence[str]) -> list[str]:
    """Documents mentioning any of the entities."""
    if not entity_ids:
        return []
    with store._read() as conn:
        return list(
            conn.scalars(
                sa.select(mentions.c.document_id)
                .where(mentions.c.entity.in_(list(entity_ids)))
                .distinct()
            )
        )


def select_document_ids(
    store: Store,
    *,
    ids: Sequence[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 2000,
) -> tuple[list[str], int]:
    """(ids of the newest ``limit`` documents matching, how many matched in all).

    ``ids`` restricts to those documents (None: every document). A date bound excludes
    documents without a publication date. Order: published (undated last), then storage order.
    """
    d = documents
    conds = []
    if since is not None:
        conds.append(d.c.published >= since)
    if until is not None:
        conds.append(d.c.published <= until)
    found: list[tuple[dt.date | None, int, str]] = []
    with store._read() as conn:
        base = sa.select(d.c.published, d.c.seq, d.c.id)
        if ids is None:
            found.extend(tuple(r) for r in conn.execute(base.where(*conds)))
        else:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                found.extend(tuple(r) for r in conn.execute(base.where(d.c.id.in_(chunk), *conds)))
    # newest first to apply the limit, then chronological for the report
    found.sort(key=lambda r: (r[0] is not None, r[0] or dt.date.min, r[1]), reverse=True)
    kept = found[: max(0, limit)]
    kept.sort(key=lambda r: (r[0] is None, r[0] or dt.date.max, r[1]))
    return [r[2] for r in kept], len(found)


_DOC_COLUMNS = ("id", "input", "url", "outlet", "title", "authors", "published", "language",
                "text", "duplicate_of", "story", "extra")  # fmt: skip
_CHILDREN = {
    "mentions": (mentions, Mention, ("start", "end", "text", "label", "entity")),
    "quotes": (quotes, Quote, ("start", "end", "text", "kind", "cue", "speaker", "speaker_text")),
    "events": (events, Event, ("start", "end", "type", "mode", "source", "target", "date",
                               "location", "status")),
}  # fmt: skip


def load_documents(
    store: Store, ids: Sequence[str], *, batch_size: int = 200
) -> Iterator[Document]:
    """The documents with these ids (and their mentions, quotes, events), in the given order.

    Reads only what a report uses (no dedup fingerprints) and builds the models without
    re-validating rows the store validated on the way in: a 1,000-document story loads in a
    fraction of the time :meth:`Store.iter_documents` takes.
    """
    for chunk in _chunks(list(ids), batch_size):
        with store._read() as conn:
            rows = conn.execute(
                sa.select(*(documents.c[c] for c in _DOC_COLUMNS)).where(documents.c.id.in_(chunk))
            ).all()
            kids: dict[str, dict[str, list[Any]]] = {r.id: {k: [] for k in _CHILDREN} for r in rows}
            for name, (table, model, fields) in _CHILDREN.items():
                q = (
                    sa.select(table.c.document_id, *(table.c[f] for f in fields))
                    .where(table.c.document_id.in_([r.id for r in rows]))
                    .order_by(table.c.document_id, table.c.ordinal)
                )
                for c in conn.execute(q):
                    data = dict(zip(fields, c[1:], strict=True))
                    kids[c[0]][name].append(model.model_construct(**data))
        docs = {
            r.id: Document.model_construct(
                **{c: getattr(r, c) for c in _DOC_COLUMNS if c not in ("authors", "extra")},
                authors=r.authors or [], extra=r.extra or {}, **kids[r.id],
            )
            for r in rows
        }  # fmt: skip
        for i in chunk:
            if i in docs:
                yield docs[i]


def entities_by_id(store: Store, ids: Sequence[str]) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    with store._read() as conn:
        for chunk in _chunks(list(dict.fromkeys(ids))):
            rows = conn.execute(sa.select(entities).where(entities.c.id.in_(chunk))).all()
            for r in rows:
                out[r.id] = Entity(id=r.id, name=r.name, type=r.type, aliases=r.aliases or [],
                                   roles=r.roles or [], wikidata=r.wikidata)  # fmt: skip
    return out
