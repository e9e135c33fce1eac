"""Shared fixtures: a database URL per backend and an opened Store on it.

``db_url`` runs a test once on SQLite (a file in tmp_path) and once on PostgreSQL: the
server from ``NEWSGRAPH_TEST_PG_URL`` or, when unset, the throwaway one that
``scripts/pg-test-server.sh start`` brings up. Every PostgreSQL test gets a fresh database,
so migrations run from scratch each time. Without PostgreSQL the postgresql cases are
skipped, unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsgraph.store import Store

REPO = Path(__file__).resolve().parent.parent
PG_SCRIPT = REPO / "scripts" / "pg-test-server.sh"


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """URL of a PostgreSQL database on the test server (started once per session)."""
    url = os.environ.get("NEWSGRAPH_TEST_PG_URL")
    if not url:
        # A lock file so that xdist workers do not run initdb at the same time.
        lock_path = Path(tempfile.gettempdir()) / f"newsgraph-pg-test-{os.getuid()}.lock"
        try:
            with open(lock_path, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                proc = subprocess.run(
                    [str(PG_SCRIPT), "start"],
                    capture_output=True,
                    text=True,
                    timeout=600,
                    check=False,
                )
        except (OSError, subprocess.TimeoutExpired) as e:
            _pg_unavailable(f"{PG_SCRIPT.name} start: {e}")
        if proc.returncode != 0:
            _pg_unavailable(f"{PG_SCRIPT.name} start failed: {proc.stderr.strip()[-2000:]}")
        url = proc.stdout.strip().splitlines()[-1]
    return url


def _sa_url(url: str) -> sa.URL:
    u = sa.make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    server = _sa_url(pg_server_url)
    name = f"ng_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as e:
        admin.dispose()
        _pg_unavailable(f"cannot connect to {server.render_as_string()}: {e.orig}")
    except sa.exc.ProgrammingError:
        # No CREATEDB privilege: fall back to emptying the given database.
        with admin.connect() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        admin.dispose()
        yield server.render_as_string(hide_password=False)
        return
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for a new, empty database: SQLite file or fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'newsgraph.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An opened (migrated) Store on ``db_url``."""
    s = Store.open(db_url)
    try:
        yield s
    finally:
        s.close()
