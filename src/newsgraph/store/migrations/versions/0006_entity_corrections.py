"""Entity corrections: user decisions (merge two entities, split a name form off one).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Kept forever: the resolver reloads them on every run so that new documents obey them.
    op.create_table(
        "entity_corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),  # "merge" | "split"
        sa.Column("entity_id", sa.Text, nullable=False, index=True),  # the entity kept (A)
        sa.Column("other_id", sa.Text, nullable=False, index=True),  # merged B / split-off new
        sa.Column("form", sa.Text),  # split: the surface form taken off A
        sa.Column("note", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("details", JSON, nullable=False),  # names and counts at the time
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("entity_corrections")
