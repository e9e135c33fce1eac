"""Entity queries: list and find canonical entities, and explain one of them.

Names are matched with the same normaliser the resolver uses (:mod:`newsgraph.entities.names`):
a query in another spelling ("Anthony Brinken", "Lawrow") finds the canonical entity by its
family-name and given-name keys, not only by substring.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rapidfuzz.distance import JaroWinkler

from newsgraph.entities.corrections import Correction, clean_form, form_key
from newsgraph.entities.names import ascii_fold, given_compatibility, name_key, split_name
from newsgraph.model import Entity
from newsgraph.store.core import Store
from newsgraph.store.schema import (
    documents,
    entities,
    entity_corrections,
    entity_evidence,
    events,
    mentions,
    quotes,
)

# A query matches a name when the family-name keys are this close (and given names agree),
# or when the whole name keys are this close (organisations, places).
FAMILY_SIMILARITY = 0.88
WHOLE_NAME_SIMILARITY = 0.9
MIN_SCORE = 0.5


class EntitySummary(Entity):
    """A canonical entity with how often it is mentioned."""

    mentions: int = 0
    documents: int = 0


@dataclass
class EntityDetail:
    """One entity with why it is what it is: merge evidence, documents, co-occurrences."""

    entity: EntitySummary
    evidence: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    cooccurring: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)  # user merges/splits

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.entity.model_dump(mode="json"),
            "corrections": self.corrections,
            "evidence": self.evidence,
            "in_documents": self.documents,
            "cooccurring": self.cooccurring,
        }


def _fold(text: str) -> str:
    return " ".join(ascii_fold(text).split())


def name_match(query: str, names: Sequence[str]) -> float:
    """How well ``query`` names an entity known by ``names`` (0 = not at all, 1 = exactly).

    Exact (case, diacritics folded) 1.0; a substring 0.9; else spelling-variant similarity:
    family-name keys (with compatible given names) or whole-name keys, scaled below 0.9.
    """
    q = _fold(query)
    if not q:
        return 0.0
    qn = split_name(query)
    qk = name_key(query)
    best = 0.0
    for n in names:
        f = _fold(n)
        if f == q:
            return 1.0
        if q in f:
            best = max(best, 0.9)
            continue
        pn = split_name(n)
        if qn.family_key and pn.family_key:
            fam = JaroWinkler.normalized_similarity(qn.family_key, pn.family_key)
            given = given_compatibility(qn.given_keys, pn.given_keys)
            if fam >= FAMILY_SIMILARITY and given >= 0:
                # A matching given name makes the match stronger; none on one side is neutral.
                best = max(best, 0.5 + 0.3 * fam + 0.1 * given)
        if qk:
            whole = JaroWinkler.normalized_similarity(qk, name_key(n))
            if whole >= WHOLE_NAME_SIMILARITY:
                best = max(best, 0.8 * whole)
    return best


def _counts(store: Store) -> dict[str, tuple[int, int]]:
    """Mentions and documents per entity id."""
    q = sa.select(
        mentions.c.entity,
        sa.func.count(),
        sa.func.count(sa.distinct(mentions.c.document_id)),
    ).where(mentions.c.entity.is_not(None))
    with store._read() as conn:
        rows = conn.execute(q.group_by(mentions.c.entity)).all()
    return {r[0]: (int(r[1]), int(r[2])) for r in rows}


def _summary(e: Entity, counts: dict[str, tuple[int, int]]) -> EntitySummary:
    n_m, n_d = counts.get(e.id, (0, 0))
    return EntitySummary(**e.model_dump(), mentions=n_m, documents=n_d)


def list_entities(
    store: Store,
    query: str | None = None,
    *,
    types: Sequence[str] | None = None,
    limit: int | None = None,
) -> Iterator[EntitySummary]:
    """Entities, most mentioned first; with ``query`` only those whose name or an alias
    matches it in any spelling (best match first); ``types`` filters by label."""
    counts = _counts(store)
    wanted = {t.upper() for t in types} if types else None
    scored: list[tuple[float, int, str, EntitySummary]] = []
    for e in store.iter_entities():
        if wanted is not None and e.type.upper() not in wanted:
            continue
        score = 1.0
        if query:
            score = name_match(query, [e.name, *e.aliases])
            if score < MIN_SCORE:
                continue
        s = _summary(e, counts)
        scored.append((-round(score, 3), -s.mentions, e.id, s))
    scored.sort(key=lambda x: x[:3])
    for i, (*_, s) in enumerate(scored):
        if limit is not None and i >= limit:
            return
        yield s


def find_entity(store: Store, name_or_id: str) -> EntitySummary | None:
    """The entity with this id (a merged-away id: the entity it was merged into), else the
    best match of this name (ties: most mentioned)."""
    with store._read() as conn:
        row = conn.execute(sa.select(entities).where(entities.c.id == name_or_id)).first()
        if row is None and (target := _merged_into(conn, name_or_id)) is not None:
            row = conn.execute(sa.select(entities).where(entities.c.id == target)).first()
    if row is not None:
        e = Entity(id=row.id, name=row.name, type=row.type, aliases=row.aliases or [],
                   roles=row.roles or [], wikidata=row.wikidata)  # fmt: skip
        return _summary(e, _counts(store))
    return next(list_entities(store, name_or_id, limit=1), None)


def entity_detail(store: Store, name_or_id: str, *, max_items: int = 20) -> EntityDetail | None:
    """:func:`find_entity` plus its merge evidence, documents and co-occurring entities."""
    ent = find_entity(store, name_or_id)
    if ent is None:
        return None
    evidence = store.entity_evidence(ent.id)
    docs_q = (
        sa.select(
            documents.c.id,
            documents.c.title,
            documents.c.outlet,
            documents.c.published,
            sa.func.count().label("n"),
        )
        .join(mentions, mentions.c.document_id == documents.c.id)
        .where(mentions.c.entity == ent.id)
        .group_by(documents.c.id, documents.c.title, documents.c.outlet, documents.c.published)
        .order_by(documents.c.published.desc(), documents.c.id)
        .limit(max_items)
    )
    m2 = mentions.alias("m2")
    doc_ids = sa.select(mentions.c.document_id).where(mentions.c.entity == ent.id).distinct()
    co_q = (
        sa.select(m2.c.entity, sa.func.count(sa.distinct(m2.c.document_id)).label("n"))
        .where(m2.c.document_id.in_(doc_ids), m2.c.entity.is_not(None), m2.c.entity != ent.id)
        .group_by(m2.c.entity)
        .order_by(sa.desc("n"), m2.c.entity)
        .limit(max_items)
    )
    with store._read() as conn:
        docs = [
            {"id": r.id, "title": r.title, "outlet": r.outlet,
             "published": r.published.isoformat() if r.published else None, "mentions": r.n}
            for r in conn.execute(docs_q)
        ]  # fmt: skip
        co = conn.execute(co_q).all()
        ids = [r[0] for r in co]
        names = {
            r.id: (r.name, r.type)
            for r in conn.execute(
                sa.select(entities.c.id, entities.c.name, entities.c.type).where(
                    entities.c.id.in_(ids)
                )
            )
        }
    cooccurring = [
        {"id": eid, "name": names.get(eid, (eid, None))[0], "type": names.get(eid, (eid, None))[1],
         "documents": int(n)}
        for eid, n in co
    ]  # fmt: skip
    return EntityDetail(ent, evidence=evidence, documents=docs, cooccurring=cooccurring,
                        corrections=list_corrections(store, ent.id))  # fmt: skip


# ---- user corrections: merge and split ---------------------------------------------------


class CorrectionError(ValueError):
    """A correction that cannot be applied (unknown or ambiguous entity, unknown form...)."""

    def __init__(self, message: str, candidates: Sequence[EntitySummary] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


def _merged_into(conn: sa.Connection, entity_id: str) -> str | None:
    """Where a merged-away id now resolves to (following later merges), else None."""
    seen: set[str] = set()
    target = None
    while entity_id not in seen:
        seen.add(entity_id)
        row = conn.execute(
            sa.select(entity_corrections.c.entity_id)
            .where(entity_corrections.c.kind == "merge", entity_corrections.c.other_id == entity_id)
            .order_by(entity_corrections.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            break
        target = entity_id = row[0]
    return target


def lookup_entities(store: Store, name_or_id: str) -> list[EntitySummary]:
    """What ``name_or_id`` names: one entity by id (a merged-away id gives the entity it was
    merged into), else every entity sharing the best name match; ``[]`` when none matches.
    More than one result means the name is ambiguous."""
    with store._read() as conn:
        eid = name_or_id
        if conn.execute(sa.select(entities.c.id).where(entities.c.id == eid)).first() is None:
            eid = _merged_into(conn, eid) or ""
    if eid:
        found = find_entity(store, eid)
        if found is not None:
            return [found]
    counts = _counts(store)
    scored = [(round(name_match(name_or_id, [e.name, *e.aliases]), 3), e)
              for e in store.iter_entities()]  # fmt: skip
    best = max((s for s, _ in scored), default=0.0)
    if best < MIN_SCORE:
        return []
    hits = [_summary(e, counts) for s, e in scored if s == best]
    return sorted(hits, key=lambda s: (-s.mentions, s.id))


def resolve_one(store: Store, name_or_id: str) -> EntitySummary:
    """The single entity ``name_or_id`` names; :class:`CorrectionError` when none or several."""
    hits = lookup_entities(store, name_or_id)
    if not hits:
        raise CorrectionError(f"no entity matches {name_or_id!r}")
    if len(hits) > 1:
        raise CorrectionError(f"{name_or_id!r} is ambiguous: give an id", hits)
    return hits[0]


def _load(conn: sa.Connection, ids: Sequence[str]) -> tuple[list[Entity], dict[str, Any]]:
    rows = conn.execute(sa.select(entities).where(entities.c.id.in_(list(ids)))).all()
    ents = [Entity(id=r.id, name=r.name, type=r.type, aliases=r.aliases or [],
                   roles=r.roles or [], wikidata=r.wikidata) for r in rows]  # fmt: skip
    return ents, {r.id: r.state for r in rows if r.state is not None}


def _save_entity(conn: sa.Connection, e: Entity, state: dict[str, Any] | None) -> None:
    values = {**e.model_dump(), "state": state}
    if conn.execute(sa.select(entities.c.id).where(entities.c.id == e.id)).first() is None:
        conn.execute(sa.insert(entities).values(**values))
    else:
        conn.execute(sa.update(entities).where(entities.c.id == e.id).values(**values))


def _record(conn: sa.Connection, **values: Any) -> dict[str, Any]:
    values["created_at"] = dt.datetime.now(dt.UTC)
    conn.execute(sa.insert(entity_corrections).values(**values))
    return values


def _retarget(conn: sa.Connection, old: str, new: str, docs: Sequence[str] | None = None) -> None:
    """Point quotes' speakers and events' actors and places at ``new`` instead of ``old``
    (only in ``docs`` when given)."""
    for table, cols in ((quotes, ("speaker",)), (events, ("source", "target", "location"))):
        for col in cols:
            where = table.c[col] == old
            if docs is not None:
                where = sa.and_(where, table.c.document_id.in_(list(docs)))
            conn.execute(sa.update(table).where(where).values({col: new}))


def _remap_entity_map(conn: sa.Connection, docs: Sequence[str], old: str, new: str) -> None:
    """Rewrite ``old`` to ``new`` in the stored ``extra["entity_map"]`` of ``docs`` (the
    local-key → entity map that reports read)."""
    for start in range(0, len(docs), 500):
        rows = conn.execute(
            sa.select(documents.c.id, documents.c.extra).where(
                documents.c.id.in_(list(docs[start : start + 500]))
            )
        ).all()
        for r in rows:
            extra = dict(r.extra or {})
            em = extra.get("entity_map")
            if isinstance(em, dict) and old in em.values():
                extra["entity_map"] = {k: new if v == old else v for k, v in em.items()}
                conn.execute(sa.update(documents).where(documents.c.id == r.id).values(extra=extra))


def merge_entities(
    store: Store, keep: str, other: str, *, note: str | None = None, author: str | None = None
) -> dict[str, Any]:
    """Record and apply "``other`` is the same entity as ``keep``" (both ids) in one
    transaction: mentions, quote speakers, event actors and merge evidence move to ``keep``,
    the statistics add up, ``other``'s row goes and its id resolves to ``keep`` from now on.
    Returns the correction as stored."""
    from newsgraph.entities.resolve import EntityResolver

    if keep == other:
        raise CorrectionError("an entity cannot be merged with itself")
    with store._write() as conn:
        ents, states = _load(conn, [keep, other])
        if {e.id for e in ents} != {keep, other}:
            raise CorrectionError("both entities must exist")
        names = {e.id: e.name for e in ents}
        r = EntityResolver.from_entities(ents, {"entities": states})
        merged = r.merge(keep, other)
        _save_entity(conn, merged, r.entity_state(keep))
        conn.execute(sa.delete(entities).where(entities.c.id == other))
        b_docs = [
            d for (d,) in conn.execute(
                sa.select(mentions.c.document_id).where(mentions.c.entity == other).distinct()
            )
        ]  # fmt: skip
        _remap_entity_map(conn, b_docs, other, keep)
        n = conn.execute(
            sa.update(mentions).where(mentions.c.entity == other).values(entity=keep)
        ).rowcount
        _retarget(conn, other, keep)
        conn.execute(
            sa.update(entity_evidence)
            .where(entity_evidence.c.entity_id == other)
            .values(entity_id=keep)
        )
        # Earlier corrections that pointed at the merged-away id now point at the kept one.
        conn.execute(
            sa.update(entity_corrections)
            .where(entity_corrections.c.kind == "split", entity_corrections.c.entity_id == other)
            .values(entity_id=keep)
        )
        return _record(conn, kind="merge", entity_id=keep, other_id=other, form=None,
                       note=note, author=author,
                       details={"name": names[keep], "other_name": names[other],
                                "mentions_moved": n})  # fmt: skip


def split_entity(
    store: Store, entity_id: str, form: str, *, note: str | None = None, author: str | None = None
) -> dict[str, Any]:
    """Record and apply "surface ``form`` of ``entity_id`` names another entity" in one
    transaction: the mentions with that form (and quotes attributed by it, and events in
    documents where the entity is named only by it) move to a new entity; the form never
    resolves to ``entity_id`` again. Returns the correction as stored."""
    from newsgraph.entities.resolve import EntityResolver

    fk = form_key(form)
    with store._write() as conn:
        ents, states = _load(conn, [entity_id])
        if not ents:
            raise CorrectionError(f"no entity {entity_id!r}")
        rows = conn.execute(
            sa.select(mentions.c.document_id, mentions.c.ordinal, mentions.c.text).where(
                mentions.c.entity == entity_id
            )
        ).all()
        moved = [r for r in rows if form_key(r.text) == fk]
        if not moved:
            raise CorrectionError(f"{ents[0].name!r} has no mention {form!r}")
        if len(moved) == len(rows):
            raise CorrectionError(f"every mention of {ents[0].name!r} is {form!r}: merge instead?")
        new_id = "e" + hashlib.sha1(f"split|{entity_id}|{fk}".encode()).hexdigest()[:12]
        if conn.execute(sa.select(entities.c.id).where(entities.c.id == new_id)).first():
            raise CorrectionError(f"{form!r} was already split off {ents[0].name!r}")
        docs = sorted({r.document_id for r in moved})
        r = EntityResolver.from_entities(ents, {"entities": states})
        new = r.split(entity_id, clean_form(moved[0].text), new_id, len(docs))
        _save_entity(conn, new, r.entity_state(new_id))
        _save_entity(conn, r.entity(entity_id), r.entity_state(entity_id))  # type: ignore[arg-type]
        for chunk_start in range(0, len(moved), 500):
            for m in moved[chunk_start : chunk_start + 500]:
                conn.execute(
                    sa.update(mentions)
                    .where(mentions.c.document_id == m.document_id, mentions.c.ordinal == m.ordinal)
                    .values(entity=new_id)
                )
        # Quotes attributed by the split-off form follow it.
        for q in conn.execute(
            sa.select(quotes.c.document_id, quotes.c.ordinal, quotes.c.speaker_text).where(
                quotes.c.speaker == entity_id
            )
        ).all():
            if q.speaker_text and form_key(q.speaker_text) == fk:
                conn.execute(
                    sa.update(quotes)
                    .where(quotes.c.document_id == q.document_id, quotes.c.ordinal == q.ordinal)
                    .values(speaker=new_id)
                )
        # Where the entity is now not mentioned at all, its events and quotes were the form's.
        still = {
            d for (d,) in conn.execute(
                sa.select(mentions.c.document_id).where(
                    mentions.c.entity == entity_id, mentions.c.document_id.in_(docs)
                )
            )
        }  # fmt: skip
        gone = [d for d in docs if d not in still]
        _retarget(conn, entity_id, new_id, gone)
        _remap_entity_map(conn, gone, entity_id, new_id)
        ev_ids = [
            i for i, name in conn.execute(
                sa.select(entity_evidence.c.id, entity_evidence.c.local_name).where(
                    entity_evidence.c.entity_id == entity_id,
                    entity_evidence.c.document_id.in_(docs),
                )
            )
            if form_key(name) == fk
        ]  # fmt: skip
        if ev_ids:
            conn.execute(
                sa.update(entity_evidence)
                .where(entity_evidence.c.id.in_(ev_ids))
                .values(entity_id=new_id)
            )
        return _record(conn, kind="split", entity_id=entity_id, other_id=new_id, form=form,
                       note=note, author=author,
                       details={"name": ents[0].name, "new_name": new.name,
                                "mentions_moved": len(moved), "documents": len(docs)})  # fmt: skip


def list_corrections(store: Store, entity_id: str | None = None) -> list[dict[str, Any]]:
    """Corrections oldest first (only those involving ``entity_id`` when given)."""
    q = sa.select(entity_corrections).order_by(entity_corrections.c.id)
    if entity_id is not None:
        q = q.where(
            sa.or_(entity_corrections.c.entity_id == entity_id,
                   entity_corrections.c.other_id == entity_id)
        )  # fmt: skip
    with store._read() as conn:
        out = []
        for r in conn.execute(q):
            d = dict(r._mapping)
            d["created_at"] = d["created_at"].isoformat() if d["created_at"] else None
            out.append(d)
        return out


def load_corrections(store: Store) -> list[Correction]:
    """The corrections as the resolver obeys them (oldest first)."""
    return [
        Correction(kind=d["kind"], entity_id=d["entity_id"], other_id=d["other_id"],
                   form=d["form"])
        for d in list_corrections(store)
    ]  # fmt: skip
