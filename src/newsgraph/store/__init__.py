"""Storage: SQLAlchemy over SQLite (default) or PostgreSQL, migrated with Alembic.

with Store.open("news.db") as store:            # or "postgresql://user@host/db"
    store.write_batch(docs, errors)
    for hit in store.search('"Lavrov" talks'):
        ...
"""

from newsgraph.store.core import (
    DEFAULT_DB,
    MARK_END,
    MARK_START,
    SearchHit,
    Stats,
    Store,
    StoreError,
)

__all__ = ["DEFAULT_DB", "MARK_END", "MARK_START", "SearchHit", "Stats", "Store", "StoreError"]
