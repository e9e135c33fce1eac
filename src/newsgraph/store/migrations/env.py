"""Alembic environment for the newsgraph store.

Store.open() passes an open connection (already inside a locked transaction) in
``config.attributes["connection"]``; the alembic CLI instead gives a URL with ``-x db=URL``
(or ``sqlalchemy.url`` in an ini file).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=None,  # revisions are hand-written: FTS triggers/generated columns
        # SQLite cannot ALTER most things: later revisions rebuild tables in batch mode.
        # Rebuilding `documents` drops its FTS triggers, so such a revision must recreate them.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    # Inside Store.open's transaction this is a no-op: the caller commits.
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database with: alembic -x db=URL ...")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported")
main()
