"""Entity queries: list and find canonical entities, and explain one of them.

Names are matched with the same normaliser the resolver uses (:mod:`newsgraph.entities.names`):
a query in another spelling ("Anthony Brinken", "Lawrow") finds the canonical entity by its
family-name and given-name keys, not only by substring.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rapidfuzz.distance import JaroWinkler

from newsgraph.entities.names import ascii_fold, given_compatibility, name_key, split_name
from newsgraph.model import Entity
from newsgraph.store.core import Store
from newsgraph.store.schema import documents, entities, mentions

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

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.entity.model_dump(mode="json"),
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
    """The entity with this id, else the best match of this name (ties: most mentioned)."""
    with store._read() as conn:
        row = conn.execute(sa.select(entities).where(entities.c.id == name_or_id)).first()
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
    return EntityDetail(ent, evidence=evidence, documents=docs, cooccurring=cooccurring)
