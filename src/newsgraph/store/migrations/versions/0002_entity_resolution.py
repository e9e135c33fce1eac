"""Entity resolution: per-entity resolver statistics and the evidence for every merge.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    # The resolver's statistics (name forms, keys, roles, context) per entity, so that a later
    # run continues exactly where the last one stopped.
    op.add_column("entities", sa.Column("state", JSON, nullable=True))
    op.create_table(
        "entity_evidence",
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


def downgrade() -> None:
    op.drop_table("entity_evidence")
    op.drop_column("entities", "state")
