"""The story clusterer's stream-frequency window: the keys of the last clustered documents.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Written with the stories in the documents' transaction, so a resumed run damps the same
    # stream-common terms as an uninterrupted one. Stores clustered before this revision start
    # with an empty window, which fills as documents arrive.
    op.create_table(
        "story_window",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("document_id", sa.Text, nullable=False),
        sa.Column("terms", JSON, nullable=False),
        sa.Column("entities", JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_window")
