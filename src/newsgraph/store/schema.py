"""Table definitions the store's queries use (SQLAlchemy Core).

The database itself is created by the Alembic revisions in ``migrations/versions``; keep this
file in step with them. Full-text objects (SQLite ``documents_fts`` + triggers, PostgreSQL
``documents.search_vector``) live only in the migrations and are queried with text SQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData()

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def _doc_fk() -> sa.Column[str]:
    return sa.Column(
        "document_id",
        sa.Text,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    )


documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False, unique=True),
    sa.Column("input", sa.Text, nullable=False),
    sa.Column("locator", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("authors", JSON, nullable=False),
    sa.Column("published", sa.Date),
    sa.Column("language", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("duplicate_of", sa.Text, index=True),
    sa.Column("story", sa.Text, index=True),
    sa.Column("source_kind", sa.Text, nullable=False),
    sa.Column("extra", JSON, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False, index=True),
    sa.Column("signature", sa.LargeBinary),
    sa.Column("created_at", TS, nullable=False),
)
# Migration 0008: an outlet's documents newest first, in index order.
sa.Index("ix_documents_outlet_published", documents.c.outlet, documents.c.published)

mentions = sa.Table(
    "mentions",
    metadata,
    _doc_fk(),
    sa.Column("ordinal", sa.Integer, primary_key=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("entity", sa.Text),
)
# Covering index (migration 0007): an entity's documents from the index.
sa.Index("ix_mentions_entity_document", mentions.c.entity, mentions.c.document_id)
# Covering index (migration 0008): the entities of given documents from the index.
sa.Index("ix_mentions_document_entity", mentions.c.document_id, mentions.c.entity)

quotes = sa.Table(
    "quotes",
    metadata,
    _doc_fk(),
    sa.Column("ordinal", sa.Integer, primary_key=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("cue", sa.Text),
    sa.Column("speaker", sa.Text),
    sa.Column("speaker_text", sa.Text),
)
# Covering index (migration 0007): a speaker's quotes and their documents from the index.
sa.Index("ix_quotes_speaker_document", quotes.c.speaker, quotes.c.document_id, quotes.c.ordinal)

events = sa.Table(
    "events",
    metadata,
    _doc_fk(),
    sa.Column("ordinal", sa.Integer, primary_key=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("mode", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("target", sa.Text),
    sa.Column("date", sa.Date),
    sa.Column("location", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
)
# Covering index (migration 0008): the event types of given documents from the index.
sa.Index("ix_events_document_type", events.c.document_id, events.c.type)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("aliases", JSON, nullable=False),
    sa.Column("roles", JSON, nullable=False),
    sa.Column("wikidata", sa.Text),
    sa.Column("state", JSON),  # resolver statistics, to continue resolution incrementally
)

entity_evidence = sa.Table(
    "entity_evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.Text, nullable=False, index=True),
    sa.Column(
        "document_id",
        sa.Text,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("local_key", sa.Text, nullable=False),
    sa.Column("local_name", sa.Text, nullable=False),
    sa.Column("canonical_name", sa.Text, nullable=False),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("features", JSON, nullable=False),
    sa.Column("discrepancies", JSON, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

entity_corrections = sa.Table(
    "entity_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),  # "merge" | "split"
    sa.Column("entity_id", sa.Text, nullable=False, index=True),
    sa.Column("other_id", sa.Text, nullable=False, index=True),
    sa.Column("form", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("details", JSON, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("documents", JSON, nullable=False),
    sa.Column("first_seen", sa.Date),
    sa.Column("last_seen", sa.Date),
    sa.Column("storyline", sa.Text, index=True),
    sa.Column("last_seq", sa.BigInteger, index=True),  # clusterer clock at the last update
    sa.Column("state", JSON),  # online clusterer state (centroids, dates, places)
)

storylines = sa.Table(
    "storylines",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("stories", JSON, nullable=False),
    sa.Column("first_seen", sa.Date),
    sa.Column("last_seen", sa.Date),
    sa.Column("state", JSON),
)

# Migration 0009: the story clusterer's stream-frequency window (keys of the last documents).
story_window = sa.Table(
    "story_window",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("document_id", sa.Text, nullable=False),
    sa.Column("terms", JSON, nullable=False),
    sa.Column("entities", JSON, nullable=False),
)

# Migration 0010: the user's story corrections, which every clustering (online, recluster) obeys.
story_corrections = sa.Table(
    "story_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),  # "with" | "apart"
    sa.Column("document_id", sa.Text, nullable=False, index=True),
    sa.Column("with_document", sa.Text),  # kind "with": the document it belongs with
    sa.Column("apart_from", JSON, nullable=False),  # documents it is not one story with
    sa.Column("note", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("created_at", TS, nullable=False),
)

ingest_errors = sa.Table(
    "ingest_errors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("input", sa.Text, nullable=False),
    sa.Column("locator", sa.Text, nullable=False, server_default=""),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.UniqueConstraint("input", "locator", name="uq_ingest_errors_input_locator"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),
    sa.Column("prefix", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("last_used_at", TS),
    sa.Column("revoked_at", TS),
)

TABLES = (
    "documents",
    "mentions",
    "quotes",
    "events",
    "entities",
    "entity_evidence",
    "entity_corrections",
    "stories",
    "storylines",
    "ingest_errors",
    "api_tokens",
)
