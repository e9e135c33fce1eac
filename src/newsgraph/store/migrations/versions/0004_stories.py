"""Stories: storyline, clusterer state and last update per story; storylines.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # The online clusterer's state is stored with each story in the documents' transaction,
    # so a resumed run continues exactly where the last one stopped.
    op.add_column("stories", sa.Column("storyline", sa.Text, nullable=True))
    op.add_column("stories", sa.Column("last_seq", sa.BigInteger, nullable=True))
    op.add_column("stories", sa.Column("state", JSON, nullable=True))
    op.create_index("ix_stories_storyline", "stories", ["storyline"])
    op.create_index("ix_stories_last_seq", "stories", ["last_seq"])
    op.create_table(
        "storylines",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("stories", JSON, nullable=False),
        sa.Column("first_seen", sa.Date),
        sa.Column("last_seen", sa.Date),
        sa.Column("state", JSON),
    )


def downgrade() -> None:
    op.drop_table("storylines")
    op.drop_index("ix_stories_last_seq", "stories")
    op.drop_index("ix_stories_storyline", "stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("state")
        batch.drop_column("last_seq")
        batch.drop_column("storyline")
