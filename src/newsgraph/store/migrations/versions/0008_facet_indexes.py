"""Covering indexes for the web API's per-document reads and an outlet's newest documents.

- ``mentions(document_id, entity)`` and ``events(document_id, type)``: the entities and event
  types of given documents (search facets over the best hits, co-occurrence over an entity's
  documents) come from the index alone instead of one table row per mention or event.
- ``documents(outlet, published)`` replaces ``documents(outlet)``: an outlet's documents
  newest first are read in order from the index instead of sorting all of them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_mentions_document_entity", "mentions", ["document_id", "entity"])
    op.create_index("ix_events_document_type", "events", ["document_id", "type"])
    op.create_index("ix_documents_outlet_published", "documents", ["outlet", "published"])
    op.drop_index("ix_documents_outlet", "documents")


def downgrade() -> None:
    op.create_index("ix_documents_outlet", "documents", ["outlet"])
    op.drop_index("ix_documents_outlet_published", "documents")
    op.drop_index("ix_events_document_type", "events")
    op.drop_index("ix_mentions_document_entity", "mentions")
