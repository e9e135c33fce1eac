"""The user's story corrections: a document moved to another story or out of its own.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "story_corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("document_id", sa.Text, nullable=False),
        sa.Column("with_document", sa.Text),
        sa.Column("apart_from", JSON, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_story_corrections_document_id", "story_corrections", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_story_corrections_document_id", "story_corrections")
    op.drop_table("story_corrections")
