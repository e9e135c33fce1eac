"""API tokens for the REST API's write endpoints (only a hash of each token is stored).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        # SHA-256 of the token: tokens are 256-bit random strings, so a fast hash is enough.
        sa.Column("token_hash", sa.Text, nullable=False, unique=True),
        sa.Column("prefix", sa.Text, nullable=False),  # first characters, to tell tokens apart
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_used_at", TS),
        sa.Column("revoked_at", TS),
    )
    # The web UI filters documents by outlet and events by type.
    op.create_index("ix_documents_outlet", "documents", ["outlet"])
    op.create_index("ix_events_type_date", "events", ["type", "date"])


def downgrade() -> None:
    op.drop_index("ix_events_type_date", "events")
    op.drop_index("ix_documents_outlet", "documents")
    op.drop_table("api_tokens")
