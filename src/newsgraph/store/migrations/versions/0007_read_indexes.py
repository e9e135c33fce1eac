"""Covering indexes for the web API's entity reads (quotes of a speaker, documents of an entity).

``quotes(speaker)`` and ``mentions(entity)`` become ``quotes(speaker, document_id, ordinal)``
and ``mentions(entity, document_id)``: counting a speaker's quotes or an entity's documents,
and finding a speaker's quotes in given documents, then read the index only instead of one
table row per match (the old single-column indexes are prefixes of the new ones).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_quotes_speaker_document", "quotes", ["speaker", "document_id", "ordinal"])
    op.drop_index("ix_quotes_speaker", "quotes")
    op.create_index("ix_mentions_entity_document", "mentions", ["entity", "document_id"])
    op.drop_index("ix_mentions_entity", "mentions")


def downgrade() -> None:
    op.create_index("ix_mentions_entity", "mentions", ["entity"])
    op.drop_index("ix_mentions_entity_document", "mentions")
    op.create_index("ix_quotes_speaker", "quotes", ["speaker"])
    op.drop_index("ix_quotes_speaker_document", "quotes")
