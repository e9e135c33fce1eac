"""Stories and storylines in the store: the clusterer's state, and the queries the CLI uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from newsgraph.store.schema import (
    documents,
    entities,
    mentions,
    stories,
    story_corrections,
    story_window,
    storylines,
)

if TYPE_CHECKING:
    from newsgraph.store.core import Store
    from newsgraph.stories.cluster import StoryBatch, StoryClusterer, StoryParams
    from newsgraph.stories.constraints import StoryConstraints

_CHUNK = 500


@dataclass(frozen=True)
class StorySummary:
    id: str
    title: str
    size: int
    outlets: list[str]
    first_seen: dt.date | None
    last_seen: dt.date | None
    storyline: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "size": self.size,
            "outlets": self.outlets,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "storyline": self.storyline,
        }


@dataclass(frozen=True)
class StoryDocument:
    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    duplicate_of: str | None
    moved: bool = False  # placed by a user's story correction (``story-move``)


@dataclass
class StoryDetail:
    story: StorySummary
    documents: list[StoryDocument]
    storyline_title: str | None = None
    storyline: list[StorySummary] = field(default_factory=list)  # its stories, oldest first


# --- writing (inside Store.write_batch's transaction) ------------------------------------


def write_stories(store: Store, conn: sa.Connection, batch: StoryBatch) -> None:
    """Upsert touched stories/storylines, drop merged ones, point documents at their story."""
    from newsgraph.store.core import _scrub

    if batch.deleted:
        for i in range(0, len(batch.deleted), _CHUNK):
            conn.execute(sa.delete(stories).where(stories.c.id.in_(batch.deleted[i : i + _CHUNK])))
    if batch.deleted_lines:
        ids = batch.deleted_lines
        for i in range(0, len(ids), _CHUNK):
            conn.execute(sa.delete(storylines).where(storylines.c.id.in_(ids[i : i + _CHUNK])))
    rows = [
        _scrub(
            {
                "id": st.id,
                "title": st.title(),
                "documents": list(st.docs),
                "first_seen": st.first,
                "last_seen": st.last,
                "storyline": st.storyline,
                "last_seq": st.last_seq,
                "state": st.state(),
            }
        )
        for st in batch.stories
    ]
    if rows:
        store._upsert_rows(conn, stories, rows)
    line_rows = [
        _scrub(
            {
                "id": ln.id,
                "title": ln.title,
                "stories": list(ln.stories),
                "first_seen": ln.first,
                "last_seen": ln.last,
                "state": ln.state(),
            }
        )
        for ln in batch.lines
    ]
    if line_rows:
        store._upsert_rows(conn, storylines, line_rows)
    if batch.window:
        conn.execute(
            sa.insert(story_window),
            [
                {
                    "seq": e.seq,
                    "document_id": e.doc,
                    "terms": list(e.terms),
                    "entities": list(e.ents),
                }
                for e in batch.window
            ],
        )
    conn.execute(sa.delete(story_window).where(story_window.c.seq < batch.window_from))
    if batch.assign:
        stmt = (
            sa.update(documents)
            .where(documents.c.id == sa.bindparam("k_id"))
            .values(story=sa.bindparam("k_story"))
        )
        pairs = [{"k_id": d, "k_story": s} for d, s in batch.assign.items()]
        for i in range(0, len(pairs), _CHUNK):
            conn.execute(stmt, pairs[i : i + _CHUNK])


# --- loading the clusterer ---------------------------------------------------------------


def load_clusterer(store: Store, params: StoryParams | None = None) -> StoryClusterer:
    """The clusterer as the last committed batch left it: open stories and their storylines."""
    from newsgraph.stories.cluster import LineState, StoryClusterer, StoryState, WindowEntry

    probe = StoryClusterer(params)
    with store._read() as conn:
        clock = conn.scalar(sa.select(sa.func.max(stories.c.last_seq))) or 0
        probe.clock = clock
        q = sa.select(stories).where(
            stories.c.last_seq >= probe.open_window(), stories.c.state.is_not(None)
        )
        states = [
            StoryState.from_row(r.id, r.storyline, r.documents, r.first_seen, r.last_seen, r.state)
            for r in conn.execute(q)
        ]
        line_ids = sorted({s.storyline for s in states})
        lines = []
        for i in range(0, len(line_ids), _CHUNK):
            for r in conn.execute(
                sa.select(storylines).where(storylines.c.id.in_(line_ids[i : i + _CHUNK]))
            ):
                st = r.state or {}
                lines.append(
                    LineState(
                        id=r.id,
                        stories=list(r.stories),
                        title=r.title,
                        title_story=st.get("title_story"),
                        title_size=st.get("title_size", 0),
                        first=r.first_seen,
                        last=r.last_seen,
                    )
                )
        window = [
            WindowEntry(r.seq, r.document_id, tuple(r.terms), tuple(r.entities))
            for r in conn.execute(sa.select(story_window).where(story_window.c.seq <= clock))
        ]
    return StoryClusterer.load(states, lines, clock, params, window, load_constraints(store))


def reset_stories(store: Store) -> None:
    """Forget every story and storyline (before ``recluster``), in one transaction."""
    with store._write() as conn:
        conn.execute(sa.update(documents).values(story=None))
        conn.execute(sa.delete(stories))
        conn.execute(sa.delete(storylines))
        conn.execute(sa.delete(story_window))


# --- queries -----------------------------------------------------------------------------


def _outlets(conn: sa.Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {i: [] for i in ids}
    for i in range(0, len(ids), _CHUNK):
        q = (
            sa.select(documents.c.story, documents.c.outlet)
            .where(documents.c.story.in_(ids[i : i + _CHUNK]), documents.c.outlet.is_not(None))
            .distinct()
            .order_by(documents.c.story, documents.c.outlet)
        )
        for r in conn.execute(q):
            out[r.story].append(r.outlet)
    return out


def _summaries(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[StorySummary]:
    outlets = _outlets(conn, [r.id for r in rows])
    return [
        StorySummary(
            id=r.id,
            title=r.title,
            size=len(r.documents or []),
            outlets=outlets.get(r.id, []),
            first_seen=r.first_seen,
            last_seen=r.last_seen,
            storyline=r.storyline,
        )
        for r in rows
    ]


_SUMMARY_COLS = (
    stories.c.id,
    stories.c.title,
    stories.c.documents,
    stories.c.first_seen,
    stories.c.last_seen,
    stories.c.storyline,
)


def list_stories(
    store: Store,
    *,
    since: dt.date | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> Iterator[StorySummary]:
    """Stories, most recently updated first; ``since`` keeps those seen on or after a date,
    ``entity`` those with a document that mentions an entity of that name (any case)."""
    q = sa.select(*_SUMMARY_COLS).order_by(stories.c.last_seq.desc().nulls_last(), stories.c.id)
    if since is not None:
        q = q.where(stories.c.last_seen >= since)
    if entity:
        name = entity.strip().lower()
        ids = sa.select(entities.c.id).where(sa.func.lower(entities.c.name) == name)
        docs = sa.select(mentions.c.document_id).where(
            sa.or_(mentions.c.entity.in_(ids), sa.func.lower(mentions.c.text) == name)
        )
        story_ids = sa.select(documents.c.story).where(
            documents.c.id.in_(docs), documents.c.story.is_not(None)
        )
        q = q.where(stories.c.id.in_(story_ids))
    if limit is not None:
        q = q.limit(limit)
    with store._read() as conn:
        rows = conn.execute(q).all()
        summaries = _summaries(conn, rows)
    yield from summaries


def resolve_story(store: Store, key: str, limit: int = 10) -> list[str]:
    """The stories ``key`` may mean: the story of that id, else the story of the document of
    that id, else the stories whose id starts with it (up to ``limit``, sorted)."""
    key = key.strip()
    if not key:
        return []
    with store._read() as conn:
        if conn.execute(sa.select(stories.c.id).where(stories.c.id == key)).first():
            return [key]
        doc = conn.execute(sa.select(documents.c.story).where(documents.c.id == key)).first()
        if doc is not None and doc.story:
            return [doc.story]
        q = (
            sa.select(stories.c.id)
            .where(stories.c.id.startswith(key, autoescape=True))
            .order_by(stories.c.id)
            .limit(limit)
        )
        return list(conn.scalars(q))


def story_detail(store: Store, story_id: str) -> StoryDetail | None:
    """A story with its documents (oldest first) and the stories of its storyline."""
    with store._read() as conn:
        row = conn.execute(sa.select(*_SUMMARY_COLS).where(stories.c.id == story_id)).first()
        if row is None:
            return None
        summary = _summaries(conn, [row])[0]
        docs = conn.execute(
            sa.select(
                documents.c.id,
                documents.c.title,
                documents.c.outlet,
                documents.c.published,
                documents.c.duplicate_of,
            )
            .where(documents.c.story == story_id)
            .order_by(documents.c.seq)
        ).all()
        moved = set(
            conn.scalars(
                sa.select(story_corrections.c.document_id).where(
                    story_corrections.c.document_id.in_(
                        sa.select(documents.c.id).where(documents.c.story == story_id)
                    )
                )
            )
        )
        detail = StoryDetail(
            story=summary,
            documents=[
                StoryDocument(
                    d.id, d.title, d.outlet, d.published, d.duplicate_of, moved=d.id in moved
                )
                for d in docs
            ],
        )
        if row.storyline:
            line = conn.execute(
                sa.select(storylines.c.title).where(storylines.c.id == row.storyline)
            ).first()
            detail.storyline_title = line.title if line else None
            siblings = conn.execute(
                sa.select(*_SUMMARY_COLS)
                .where(stories.c.storyline == row.storyline)
                .order_by(stories.c.first_seen.nulls_last(), stories.c.last_seq, stories.c.id)
            ).all()
            detail.storyline = _summaries(conn, siblings)
    return detail


def document_stories(store: Store) -> dict[str, str | None]:
    """Every document's story (for tests and benches)."""
    with store._read() as conn:
        return {r.id: r.story for r in conn.execute(sa.select(documents.c.id, documents.c.story))}


# --- the user's corrections --------------------------------------------------------------


class StoryCorrectionError(ValueError):
    """A story correction that cannot be made (unknown document, nothing to change...)."""


def add_story_correction(
    store: Store,
    document_id: str,
    *,
    with_document: str | None = None,
    note: str | None = None,
    author: str | None = None,
) -> dict[str, Any]:
    """Record that a document belongs with another document's story (``with_document``) or,
    without one, not with the documents of its present story.

    Only records it: :func:`newsgraph.stories.recluster` (which ``NewsGraph.move_document``
    runs) and every later run obey it. A later correction of the same document replaces it.
    """
    with store._write() as conn:
        row = conn.execute(
            sa.select(documents.c.id, documents.c.story, documents.c.duplicate_of).where(
                documents.c.id == document_id
            )
        ).first()
        if row is None:
            raise StoryCorrectionError(f"no document {document_id!r}")
        if row.duplicate_of:
            raise StoryCorrectionError(
                f"{document_id} is a copy of {row.duplicate_of}: move {row.duplicate_of} "
                "(its copies go with it)"
            )
        if row.story is None:
            raise StoryCorrectionError(
                f"document {document_id!r} has no story yet (run the stories stage first)"
            )
        # Its copies (duplicates) stay with it: they are the same text.
        copies = set(
            conn.scalars(sa.select(documents.c.id).where(documents.c.duplicate_of == document_id))
        )
        mates = [d for d in _members(conn, row.story) if d not in copies]
        if with_document is not None:
            target = conn.execute(
                sa.select(documents.c.story).where(documents.c.id == with_document)
            ).first()
            if target is None:
                raise StoryCorrectionError(f"no document {with_document!r}")
            if with_document == document_id:
                raise StoryCorrectionError("a document cannot be moved to itself")
            if target.story == row.story:
                raise StoryCorrectionError(
                    f"{document_id} and {with_document} are already in one story ({row.story})"
                )
        elif mates == [document_id]:
            raise StoryCorrectionError(
                f"{document_id} is already alone in story {row.story} (with its copies, if any)"
            )
        values = {
            "kind": "with" if with_document else "apart",
            "document_id": document_id,
            "with_document": with_document,
            "apart_from": [d for d in mates if d != document_id],  # its copies excluded
            "note": note,
            "author": author,
            "created_at": dt.datetime.now(dt.UTC),
        }
        new_id = conn.execute(sa.insert(story_corrections).values(**values)).inserted_primary_key
        values["id"] = new_id[0] if new_id else None
        values["story_before"] = row.story
    values["created_at"] = values["created_at"].isoformat()
    return values


def _members(conn: sa.Connection, story_id: str) -> list[str]:
    q = sa.select(documents.c.id).where(documents.c.story == story_id).order_by(documents.c.seq)
    return list(conn.scalars(q))


def list_story_corrections(store: Store) -> list[dict[str, Any]]:
    """Story corrections, oldest first."""
    with store._read() as conn:
        out = []
        for r in conn.execute(sa.select(story_corrections).order_by(story_corrections.c.id)):
            d = dict(r._mapping)
            d["created_at"] = d["created_at"].isoformat() if d["created_at"] else None
            out.append(d)
        return out


def load_constraints(store: Store) -> StoryConstraints:
    """The story corrections as the clusterer obeys them."""
    from newsgraph.stories.constraints import StoryConstraints

    return StoryConstraints.build(
        (c["document_id"], c["with_document"], c["apart_from"])
        for c in list_story_corrections(store)
    )
