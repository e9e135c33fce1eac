"""Replacing the annotations of stored documents (``newsgraph annotate``), one batch per
transaction.

A document's mentions, quotes and events are deleted and written again from the document as
the annotator hands it over, with its ``extra`` (local entities, entity map, event details,
caption events); the merge evidence of documents whose entities were linked again is replaced
too. Entities and their resolver state are upserted in the same transaction, so a killed
annotate leaves whole batches only and never two copies of a fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from newsgraph.model import Document, ItemError
from newsgraph.store.core import _CHILD_FIELDS, Store, _chunks, _scrub
from newsgraph.store.schema import documents, entity_evidence, ingest_errors
from newsgraph.store.schema import entities as entities_table


def replace_annotations(
    store: Store,
    docs: Sequence[Document],
    *,
    relinked: Collection[str] = (),
    errors: Sequence[ItemError] = (),
    entities: Sequence[Any] = (),
    entity_states: Mapping[str, dict[str, Any]] | None = None,
    evidence: Sequence[Mapping[str, Any]] = (),
    keep_entities: Collection[str] | None = None,
) -> int:
    """Write ``docs``' annotations over the stored ones in one transaction; return how many
    documents were written (one deleted meanwhile is skipped).

    ``relinked`` are the ids whose entities were resolved again: their old merge evidence is
    removed before ``evidence`` is added. ``errors`` are recorded like ingest errors (stage
    ``annotate``); a document written clears its own. ``keep_entities``, when given, drops every
    other canonical entity (after a rebuild of entity resolution, the ones no document links).
    """
    now = dt.datetime.now(dt.UTC)
    with store._write() as conn:
        present = store._has_ids(conn, [d.id for d in docs]) if docs else set()
        docs = [d for d in docs if d.id in present]
        ids = [d.id for d in docs]
        for table, _ in _CHILD_FIELDS.values():
            for chunk in _chunks(ids):
                conn.execute(sa.delete(table).where(table.c.document_id.in_(chunk)))
        stale = [i for i in ids if i in set(relinked)]
        for chunk in _chunks(stale):
            conn.execute(sa.delete(entity_evidence).where(entity_evidence.c.document_id.in_(chunk)))
        for name, (table, fields) in _CHILD_FIELDS.items():
            rows = [
                _scrub({"document_id": d.id, "ordinal": n, **{f: getattr(i, f) for f in fields}})
                for d in docs
                for n, i in enumerate(getattr(d, name))
            ]
            for chunk in _chunks(rows, 2000):
                conn.execute(sa.insert(table), list(chunk))
        if docs:
            stmt = (
                sa.update(documents)
                .where(documents.c.id == sa.bindparam("k_id"))
                .values(extra=sa.bindparam("k_extra"))
            )
            for chunk in _chunks(docs):
                conn.execute(stmt, [{"k_id": d.id, "k_extra": _scrub(d.extra)} for d in chunk])
            conn.execute(
                sa.delete(ingest_errors).where(
                    ingest_errors.c.input == sa.bindparam("k_input"),
                    ingest_errors.c.locator == sa.bindparam("k_locator"),
                    ingest_errors.c.stage == "annotate",
                ),
                [{"k_input": _scrub(d.input), "k_locator": _scrub(d.locator or "")} for d in docs],
            )
        if errors:
            store._upsert_errors(conn, errors, now)
        if entities:
            rows = [
                _scrub({**e.model_dump(), "state": (entity_states or {}).get(e.id)})
                for e in entities
            ]
            store._upsert_rows(conn, entities_table, rows)
        if evidence:
            rows = [_scrub({**ev, "created_at": now}) for ev in evidence]
            for chunk in _chunks(rows):
                conn.execute(sa.insert(entity_evidence), list(chunk))
        if keep_entities is not None:
            keep = set(keep_entities)
            gone = [i for i in conn.scalars(sa.select(entities_table.c.id)) if i not in keep]
            for chunk in _chunks(gone):
                conn.execute(sa.delete(entities_table).where(entities_table.c.id.in_(chunk)))
    return len(docs)


def count_without_story(store: Store) -> int:
    """Documents with no story: never clustered, or a recluster was cut short."""
    with store._read() as conn:
        return (
            conn.scalar(
                sa.select(sa.func.count()).select_from(documents).where(documents.c.story.is_(None))
            )
            or 0
        )
