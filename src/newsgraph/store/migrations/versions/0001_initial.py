"""Initial schema: documents and their facts, entities, stories, ingest errors, full text.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the types: a revision must not change when schema.py evolves.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def _doc_fk() -> sa.Column:
    return sa.Column(
        "document_id",
        sa.Text,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "documents",
        sa.Column("id", sa.Text, primary_key=True),
        # Insertion order: keyset pagination and (on SQLite) the FTS rowid. An explicit column
        # because VACUUM may renumber the implicit rowid of a table with a text primary key.
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("locator", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("authors", JSON, nullable=False),
        sa.Column("published", sa.Date),
        sa.Column("language", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("duplicate_of", sa.Text),
        sa.Column("story", sa.Text),
        sa.Column("source_kind", sa.Text, nullable=False),
        sa.Column("extra", JSON, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("signature", sa.LargeBinary),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ux_documents_seq", "documents", ["seq"], unique=True)
    op.create_index("ix_documents_duplicate_of", "documents", ["duplicate_of"])
    op.create_index("ix_documents_story", "documents", ["story"])
    op.create_index("ix_documents_content_hash", "documents", ["content_hash"])
    op.create_index("ix_documents_published", "documents", ["published"])

    op.create_table(
        "mentions",
        _doc_fk(),
        sa.Column("ordinal", sa.Integer, primary_key=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("entity", sa.Text),
    )
    op.create_index("ix_mentions_entity", "mentions", ["entity"])

    op.create_table(
        "quotes",
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
    op.create_index("ix_quotes_speaker", "quotes", ["speaker"])

    op.create_table(
        "events",
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
    op.create_index("ix_events_source", "events", ["source"])
    op.create_index("ix_events_target", "events", ["target"])

    op.create_table(
        "entities",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("roles", JSON, nullable=False),
        sa.Column("wikidata", sa.Text),
    )
    op.create_index("ix_entities_wikidata", "entities", ["wikidata"])

    op.create_table(
        "stories",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("documents", JSON, nullable=False),
        sa.Column("first_seen", sa.Date),
        sa.Column("last_seen", sa.Date),
    )

    op.create_table(
        "ingest_errors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("input", sa.Text, nullable=False),
        # '' rather than NULL: NULLs never collide in a UNIQUE constraint.
        sa.Column("locator", sa.Text, nullable=False, server_default=""),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("input", "locator", name="uq_ingest_errors_input_locator"),
    )

    if dialect == "sqlite":
        # External-content FTS5 index over documents(title, text), kept in sync by triggers.
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "title, text, content='documents', content_rowid='seq')"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
            "INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); "
            "END"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', old.seq, old.title, old.text); "
            "END"
        )
        # Only title/text/seq changes touch the index: set_duplicate_of etc. stay cheap.
        op.execute(
            "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text, seq ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', old.seq, old.title, old.text); "
            "INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); "
            "END"
        )
    elif dialect == "postgresql":
        # 'simple' (no stemming, no stop words): multilingual input, and it matches SQLite's
        # unicode61 tokenizer closely. The cap keeps a huge hostile text under tsvector's 1 MB.
        op.execute(
            "ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('simple', left(coalesce(text, ''), 300000)), 'B')"
            ") STORED"
        )
        op.execute("CREATE INDEX ix_documents_search_vector ON documents USING gin (search_vector)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("documents_fts_ai", "documents_fts_ad", "documents_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in ("ingest_errors", "stories", "entities", "events", "quotes", "mentions"):
        op.drop_table(table)
    op.drop_table("documents")
