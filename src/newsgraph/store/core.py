"""The store: documents and everything attached to them, in SQLite or PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sqlite3
import sys
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.pool import StaticPool

from newsgraph.model import Document, Entity, Event, ItemError, Mention, Quote, Story
from newsgraph.store import query as fts
from newsgraph.store.schema import (
    documents,
    entity_evidence,
    events,
    ingest_errors,
    mentions,
    quotes,
    stories,
)
from newsgraph.store.schema import entities as schema_entities

if TYPE_CHECKING:
    from newsgraph.stories.cluster import StoryBatch

DEFAULT_DB = "newsgraph.db"
MARK_START = "⟦"  # snippet highlight markers: rare in news text, easy to replace after escaping
MARK_END = "⟧"
_CHUNK = 500  # ids per IN (...) list, rows per executemany
_BUSY_TIMEOUT_MS = 60_000
# pg_advisory_xact_lock keys (scoped to the database): one for migrations, one for writers.
_PG_MIGRATE_LOCK = 0x6E67_0001
_PG_WRITE_LOCK = 0x6E67_0002
_MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(Exception):
    """A store failure a user can act on (bad URL, unreachable server, not a database...)."""


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    snippet: str  # matched terms wrapped in MARK_START / MARK_END
    score: float  # higher is better; comparable only within one result list


@dataclass
class Stats:
    documents: int = 0
    duplicates: int = 0
    languages: dict[str, int] = field(default_factory=dict)  # "unknown" for no language
    outlets: list[tuple[str, int]] = field(default_factory=list)  # top outlets, most first
    published_min: dt.date | None = None
    published_max: dt.date | None = None
    errors: int = 0
    mentions: int = 0
    quotes: int = 0
    events: int = 0
    entities: int = 0
    stories: int = 0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["outlets"] = [list(o) for o in self.outlets]
        for k in ("published_min", "published_max"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


# --- opening ------------------------------------------------------------------------------


def _to_url(db: str | os.PathLike[str] | None) -> sa.URL:
    raw = os.fspath(db) if db is not None else DEFAULT_DB
    if not isinstance(raw, str):
        raw = raw.decode()
    if raw in (":memory:", "sqlite://"):
        return sa.URL.create("sqlite")
    if "://" not in raw:
        return sa.URL.create("sqlite", database=os.path.abspath(raw))
    try:
        url = sa.make_url(raw)
    except sa.exc.ArgumentError as e:
        raise StoreError(f"bad database URL {raw!r}: {e}") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        driver = url.get_driver_name()
        if url.drivername in ("postgresql", "postgres") or driver == "psycopg2":
            url = url.set(drivername="postgresql+psycopg")
        return url
    if backend == "sqlite":
        return url
    raise StoreError(
        f"unsupported database URL {url.render_as_string(hide_password=True)!r}: "
        "use a file path, sqlite:///PATH or postgresql://USER@HOST/DB"
    )


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" hook issue BEGIN itself: pysqlite would otherwise run DDL
    # outside transactions and could not take the write lock up front (BEGIN IMMEDIATE).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        # Switching a new file to WAL needs an exclusive lock; two processes opening the same
        # new file may collide here without the busy handler helping, so retry.
        for attempt in range(200):
            try:
                cur.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as e:
                if ("locked" not in str(e) and "busy" not in str(e)) or attempt == 199:
                    raise
                time.sleep(0.05)
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
    finally:
        cur.close()


def _sqlite_on_begin(conn: sa.Connection) -> None:
    # Writers take the write lock at BEGIN: upgrading a read transaction later can fail with
    # SQLITE_BUSY immediately (no busy wait) when another writer got in between.
    immediate = conn.get_execution_options().get("newsgraph_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _json_dumps(value: Any) -> str:
    # `extra` comes from feeds and JSONL: dates and other objects are stored as strings
    # rather than failing the batch.
    return json.dumps(value, ensure_ascii=False, default=str)


def _make_engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() == "sqlite":
        kwargs: dict[str, Any] = {"json_serializer": _json_dumps}
        if not url.database or url.database == ":memory:":
            # One shared connection, or every checkout would see its own empty database.
            kwargs["poolclass"] = StaticPool
            kwargs["connect_args"] = {"check_same_thread": False}
        engine = sa.create_engine(url, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return sa.create_engine(
        url,
        json_serializer=_json_dumps,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "newsgraph"},
    )


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS).replace("%", "%%"))
    return cfg


def _migrate(engine: sa.Engine) -> None:
    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    heads = set(script.get_heads())
    # Fast path without the lock: readers opening an up-to-date store never wait for a writer.
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current == heads:
        return
    known = {rev.revision for rev in script.walk_revisions()}
    if current - known:
        raise StoreError(
            f"the database is at schema revision {', '.join(sorted(current - known))}, "
            "unknown to this newsgraph version (written by a newer one?)"
        )
    with engine.connect() as conn:
        conn.execution_options(newsgraph_write=True)
        with conn.begin():
            # Two processes opening the same new database: the second waits here, then finds
            # the schema at head and does nothing. SQLite serialises on BEGIN IMMEDIATE.
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATE_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")


def _first_line(e: BaseException) -> str:
    orig = getattr(e, "orig", None) or e
    lines = [ln.strip() for ln in str(orig).strip().splitlines() if ln.strip()]
    return lines[0] if lines else type(orig).__name__


def _open_error(url: sa.URL, e: Exception) -> StoreError:
    shown = url.render_as_string(hide_password=True)
    msg = _first_line(e)
    if url.get_backend_name() == "sqlite":
        path = url.database or ":memory:"
        if "not a database" in msg or "malformed" in msg:
            return StoreError(f"{path} is not a SQLite database (or it is corrupt): {msg}")
        if "unable to open" in msg:
            return StoreError(f"cannot open SQLite database {path} (does its folder exist?)")
        return StoreError(f"cannot open SQLite database {path}: {msg}")
    if isinstance(e, sa.exc.OperationalError):
        host = f"{url.host or 'localhost'}:{url.port or 5432}"
        return StoreError(f"cannot connect to PostgreSQL at {host} ({shown}): {msg}")
    return StoreError(f"cannot open database {shown}: {msg}")


# --- row conversion -----------------------------------------------------------------------


def pack_signature(values: Sequence[int] | None) -> bytes | None:
    """MinHash values as little-endian uint64 bytes (8 bytes each, no per-item overhead)."""
    if values is None:
        return None
    arr = array("Q", values)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr.tobytes()


def unpack_signature(blob: bytes | None) -> list[int] | None:
    if blob is None:
        return None
    arr = array("Q")
    arr.frombytes(bytes(blob))
    if sys.byteorder == "big":
        arr.byteswap()
    return arr.tolist()


def _scrub(value: Any) -> Any:
    """Make values storable on both backends, so one hostile page cannot fail its batch.

    NUL -> U+FFFD in every string (PostgreSQL cannot store NUL in text or JSON; same length,
    so offsets into ``text`` still hold). Done on SQLite too: both backends return the same.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN/Infinity (Python's json accepts them) are not JSON for PostgreSQL
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def _doc_row(doc: Document, seq: int, now: dt.datetime) -> dict[str, Any]:
    return _scrub(
        {
            "id": doc.id,
            "seq": seq,
            "input": doc.input,
            "locator": doc.locator,
            "url": doc.url,
            "outlet": doc.outlet,
            "title": doc.title,
            "authors": list(doc.authors),
            "published": doc.published,
            "language": doc.language,
            "text": doc.text,
            "duplicate_of": doc.duplicate_of,
            "story": doc.story,
            "source_kind": doc.source_kind,
            "extra": doc.extra,
            "content_hash": doc.content_hash,
            "created_at": now,
        }
    ) | {"signature": pack_signature(doc.signature)}


_CHILD_FIELDS: dict[str, tuple[sa.Table, tuple[str, ...]]] = {
    "mentions": (mentions, ("start", "end", "text", "label", "entity")),
    "quotes": (quotes, ("start", "end", "text", "kind", "cue", "speaker", "speaker_text")),
    "events": (
        events,
        ("start", "end", "type", "mode", "source", "target", "date", "location", "status"),
    ),
}
_CHILD_MODELS: dict[str, type[Mention] | type[Quote] | type[Event]] = {
    "mentions": Mention,
    "quotes": Quote,
    "events": Event,
}


def _chunks(seq: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


class Store:
    """Documents, their facts, entities, stories and ingest errors in one database.

    Each method runs in its own short transaction; ``write_batch`` is atomic. Safe to share
    between threads; open one Store per process.
    """

    def __init__(self, engine: sa.Engine, url: sa.URL) -> None:
        self._engine = engine
        self._url = url
        self.url: str = url.render_as_string(hide_password=True)
        self.dialect: str = engine.dialect.name

    @classmethod
    def open(cls, db: str | os.PathLike[str] | None = None) -> Store:
        """Open (creating and migrating as needed) the database at a path or URL."""
        url = _to_url(db)
        try:
            engine = _make_engine(url)
        except ImportError as e:
            raise StoreError(
                f"PostgreSQL support needs psycopg (pip install 'newsgraph[postgres]'): {e}"
            ) from None
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as e:
            raise StoreError(
                f"bad database URL {url.render_as_string(hide_password=True)!r}: {e}"
            ) from None
        try:
            _migrate(engine)
        except StoreError:
            engine.dispose()
            raise
        except (sa.exc.SQLAlchemyError, sqlite3.Error, CommandError) as e:
            engine.dispose()
            raise _open_error(url, e) from e
        return cls(engine, url)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @property
    def engine(self) -> sa.Engine:
        """For stages that need their own queries; prefer adding a method here."""
        return self._engine

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(newsgraph_write=True)
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
                yield conn

    def _insert(self, table: sa.Table) -> Any:
        """Dialect-specific INSERT that supports ON CONFLICT (both dialects spell it alike)."""
        if self.dialect == "postgresql":
            return pg_dialect.insert(table)
        return sqlite_dialect.insert(table)

    # --- documents ----------------------------------------------------------------------

    @staticmethod
    def _has_ids(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(ids):
            found.update(conn.scalars(sa.select(documents.c.id).where(documents.c.id.in_(chunk))))
        return found

    def has_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return set()
        with self._read() as conn:
            return self._has_ids(conn, wanted)

    def write_batch(
        self,
        docs: Sequence[Document],
        errors: Sequence[ItemError] = (),
        resolved: Sequence[tuple[str, str | None]] = (),
        *,
        entities: Sequence[Entity] = (),
        entity_states: Mapping[str, dict[str, Any]] | None = None,
        evidence: Sequence[Mapping[str, Any]] = (),
        stories: StoryBatch | None = None,
    ) -> int:
        """Store a batch in one transaction; return how many documents were new.

        Documents already stored (same id) are left untouched. Errors are upserted by
        (input, locator); ``resolved`` keys have their error rows deleted. ``entities`` (with
        the resolver's ``entity_states`` by id) are upserted and merge ``evidence`` appended in
        the same transaction, so documents never point at entities that were not written.
        """
        now = dt.datetime.now(dt.UTC)
        unique = list({d.id: d for d in reversed(docs)}.values())[::-1]  # first of each id
        with self._write() as conn:
            inserted = 0
            if unique:
                existing = self._has_ids(conn, [d.id for d in unique])
                new = [d for d in unique if d.id not in existing]
                if new:
                    inserted = self._insert_documents(conn, new, now)
            if resolved:
                conn.execute(
                    sa.delete(ingest_errors).where(
                        ingest_errors.c.input == sa.bindparam("k_input"),
                        ingest_errors.c.locator == sa.bindparam("k_locator"),
                    ),
                    [{"k_input": _scrub(i), "k_locator": _scrub(loc or "")} for i, loc in resolved],
                )
            if errors:
                self._upsert_errors(conn, errors, now)
            if entities:
                # Without states, keep whatever state the entities already have.
                rows = [
                    _scrub(
                        e.model_dump()
                        if entity_states is None
                        else {**e.model_dump(), "state": entity_states.get(e.id)}
                    )
                    for e in entities
                ]
                self._upsert_rows(conn, schema_entities, rows)
            if evidence:
                rows = [_scrub({**ev, "created_at": now}) for ev in evidence]
                for chunk in _chunks(rows):
                    conn.execute(sa.insert(entity_evidence), list(chunk))
            if stories:
                # The story clusterer's state goes in with the documents it has seen.
                from newsgraph.store.stories import write_stories

                write_stories(self, conn, stories)
        return inserted

    def _insert_documents(
        self, conn: sa.Connection, new: Sequence[Document], now: dt.datetime
    ) -> int:
        # The write lock (BEGIN IMMEDIATE / advisory lock) makes max(seq)+1 race-free.
        base = conn.scalar(sa.select(sa.func.coalesce(sa.func.max(documents.c.seq), 0))) or 0
        rows = [_doc_row(d, base + i + 1, now) for i, d in enumerate(new)]
        stmt = self._insert(documents).on_conflict_do_nothing(index_elements=["id"])
        inserted_ids: set[str] = set()
        for chunk in _chunks(rows):
            result = conn.execute(stmt.returning(documents.c.id), list(chunk))
            inserted_ids.update(result.scalars())
        for name, (table, fields) in _CHILD_FIELDS.items():
            child_rows = [
                _scrub({"document_id": d.id, "ordinal": n, **{f: getattr(i, f) for f in fields}})
                for d in new
                if _scrub(d.id) in inserted_ids
                for n, i in enumerate(getattr(d, name))
            ]
            for chunk in _chunks(child_rows, 2000):
                conn.execute(sa.insert(table), list(chunk))
        return len(inserted_ids)

    def _upsert_errors(
        self, conn: sa.Connection, errors: Sequence[ItemError], now: dt.datetime
    ) -> None:
        # One row per key: PostgreSQL refuses to update the same row twice in one statement.
        latest = {(_scrub(e.input), _scrub(e.locator or "")): e for e in errors}
        rows = [
            {
                "input": inp,
                "locator": loc,
                "stage": e.stage,
                "error": e.error,
                "message": _scrub(e.message),
                "created_at": now,
                "updated_at": now,
            }
            for (inp, loc), e in latest.items()
        ]
        stmt = self._insert(ingest_errors)
        stmt = stmt.on_conflict_do_update(
            index_elements=["input", "locator"],
            set_={
                "stage": stmt.excluded.stage,
                "error": stmt.excluded.error,
                "message": stmt.excluded.message,
                "updated_at": stmt.excluded.updated_at,
            },
        )
        for chunk in _chunks(rows):
            conn.execute(stmt, list(chunk))

    def _load(self, conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Document]:
        ids = [r.id for r in rows]
        children: dict[str, dict[str, list[Any]]] = {i: {k: [] for k in _CHILD_FIELDS} for i in ids}
        for name, (table, fields) in _CHILD_FIELDS.items():
            model = _CHILD_MODELS[name]
            cols = [table.c.document_id, *(table.c[f] for f in fields)]
            for chunk in _chunks(ids):
                q = (
                    sa.select(*cols)
                    .where(table.c.document_id.in_(chunk))
                    .order_by(table.c.document_id, table.c.ordinal)
                )
                for c in conn.execute(q):
                    data = dict(zip(fields, c[1:], strict=True))
                    children[c.document_id][name].append(model.model_validate(data))
        out = []
        for r in rows:
            kids = children[r.id]
            out.append(
                Document(
                    id=r.id,
                    input=r.input,
                    locator=r.locator,
                    url=r.url,
                    outlet=r.outlet,
                    title=r.title,
                    authors=r.authors or [],
                    published=r.published,
                    language=r.language,
                    text=r.text,
                    duplicate_of=r.duplicate_of,
                    story=r.story,
                    mentions=kids["mentions"],
                    quotes=kids["quotes"],
                    events=kids["events"],
                    source_kind=r.source_kind,
                    extra=r.extra or {},
                    content_hash=r.content_hash,
                    signature=unpack_signature(r.signature),
                )
            )
        return out

    def get_document(self, id: str) -> Document | None:
        with self._read() as conn:
            rows = conn.execute(sa.select(documents).where(documents.c.id == id)).all()
            return self._load(conn, rows)[0] if rows else None

    def iter_documents(self, *, batch_size: int = 500) -> Iterator[Document]:
        """All documents in insertion order, ``batch_size`` at a time.

        Keyset pagination on ``seq``: each page is its own short read, so a long export
        neither holds a transaction open nor slows down as it goes.
        """
        last = 0
        batch_size = max(1, batch_size)
        while True:
            with self._read() as conn:
                rows = conn.execute(
                    sa.select(documents)
                    .where(documents.c.seq > last)
                    .order_by(documents.c.seq)
                    .limit(batch_size)
                ).all()
                if not rows:
                    return
                docs = self._load(conn, rows)
            last = rows[-1].seq
            yield from docs

    def find_by_content_hash(self, content_hash: str) -> str | None:
        with self._read() as conn:
            return conn.scalar(
                sa.select(documents.c.id)
                .where(documents.c.content_hash == content_hash)
                .order_by(documents.c.seq)
                .limit(1)
            )

    def iter_signatures(self, *, batch_size: int = 2000) -> Iterator[tuple[str, list[int]]]:
        """(id, MinHash values) of documents with a signature that are not duplicates."""
        last = 0
        while True:
            with self._read() as conn:
                rows = conn.execute(
                    sa.select(documents.c.seq, documents.c.id, documents.c.signature)
                    .where(
                        documents.c.seq > last,
                        documents.c.signature.is_not(None),
                        documents.c.duplicate_of.is_(None),
                    )
                    .order_by(documents.c.seq)
                    .limit(batch_size)
                ).all()
            if not rows:
                return
            last = rows[-1].seq
            for r in rows:
                yield r.id, unpack_signature(r.signature) or []

    def iter_content_hashes(self, *, batch_size: int = 5000) -> Iterator[tuple[str, str]]:
        """(id, normalised-text hash) of stored originals (not duplicates), in stored order."""
        last = 0
        while True:
            with self._read() as conn:
                rows = conn.execute(
                    sa.select(documents.c.seq, documents.c.id, documents.c.content_hash)
                    .where(documents.c.seq > last, documents.c.duplicate_of.is_(None))
                    .order_by(documents.c.seq)
                    .limit(batch_size)
                ).all()
            if not rows:
                return
            last = rows[-1].seq
            for r in rows:
                if r.content_hash:
                    yield r.id, r.content_hash

    def set_duplicate_of(self, pairs: Sequence[tuple[str, str | None]]) -> None:
        """Mark (id, original id) pairs; None clears the mark."""
        if not pairs:
            return
        stmt = (
            sa.update(documents)
            .where(documents.c.id == sa.bindparam("k_id"))
            .values(duplicate_of=sa.bindparam("k_dup"))
        )
        with self._write() as conn:
            for chunk in _chunks(list(pairs)):
                conn.execute(stmt, [{"k_id": i, "k_dup": d} for i, d in chunk])

    def set_story(self, pairs: Sequence[tuple[str, str | None]]) -> None:
        """Assign (document id, story id) pairs; None clears the story."""
        if not pairs:
            return
        stmt = (
            sa.update(documents)
            .where(documents.c.id == sa.bindparam("k_id"))
            .values(story=sa.bindparam("k_story"))
        )
        with self._write() as conn:
            for chunk in _chunks(list(pairs)):
                conn.execute(stmt, [{"k_id": i, "k_story": s} for i, s in chunk])

    def count_documents(self) -> int:
        with self._read() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(documents)) or 0

    # --- search -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        include_duplicates: bool = True,
    ) -> list[SearchHit]:
        """Ranked full-text search over title and text; any string is a valid query.

        Words are ANDed; ``"phrase"``, ``word*`` (prefix), ``-word`` (exclude) and ``or``
        are understood; anything else is searched literally. Title matches rank higher.
        """
        parsed = fts.parse(query if isinstance(query, str) else "")
        limit, offset = max(0, int(limit)), max(0, int(offset))
        if not parsed or limit == 0:
            return []
        try:
            with self._read() as conn:
                if self.dialect == "postgresql":
                    rows = self._search_pg(conn, parsed, limit, offset, include_duplicates)
                else:
                    rows = self._search_sqlite(conn, parsed, limit, offset, include_duplicates)
        except sa.exc.DBAPIError as e:
            # The query is built from quoted terms only, so this "cannot happen"; if some
            # input still trips the FTS parser, no results beats an error page. Other
            # failures (server gone, database locked) are real errors.
            msg = _first_line(e)
            if "fts5" in msg or isinstance(e, sa.exc.ProgrammingError | sa.exc.DataError):
                return []
            raise StoreError(f"search failed: {msg}") from e
        return [
            SearchHit(
                id=r.id,
                title=r.title,
                outlet=r.outlet,
                published=r.published,
                snippet=r.snippet or "",
                score=float(r.score or 0.0),
            )
            for r in rows
        ]

    def _search_sqlite(
        self, conn: sa.Connection, parsed: fts.Parsed, limit: int, offset: int, dups: bool
    ) -> Sequence[sa.Row[Any]]:
        # bm25 weights: a title hit counts ten times a body hit. bm25 is "lower is better".
        sql = sa.text(
            "SELECT d.id, d.title, d.outlet, d.published, "
            "-bm25(documents_fts, 10.0, 1.0) AS score, "
            "snippet(documents_fts, -1, :ms, :me, '…', 24) AS snippet "
            "FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid "
            "WHERE documents_fts MATCH :q"
            + ("" if dups else " AND d.duplicate_of IS NULL")
            + " ORDER BY bm25(documents_fts, 10.0, 1.0), d.seq LIMIT :limit OFFSET :offset"
        ).columns(published=sa.Date)
        params = {
            "q": fts.to_fts5(parsed),
            "ms": MARK_START,
            "me": MARK_END,
            "limit": limit,
            "offset": offset,
        }
        return conn.execute(sql, params).all()

    def _search_pg(
        self, conn: sa.Connection, parsed: fts.Parsed, limit: int, offset: int, dups: bool
    ) -> Sequence[sa.Row[Any]]:
        vector = sa.literal_column("documents.search_vector")
        q = fts.to_tsquery(parsed)
        rank = sa.func.ts_rank_cd(vector, q)
        ranked = (
            sa.select(documents.c.seq, rank.label("score"))
            .where(vector.op("@@")(q))
            .order_by(rank.desc(), documents.c.seq)
            .limit(limit)
            .offset(offset)
        )
        if not dups:
            ranked = ranked.where(documents.c.duplicate_of.is_(None))
        sub = ranked.subquery()
        # The headline is computed only for the page of hits (it re-parses the text).
        body = sa.func.coalesce(documents.c.title + " — ", "") + sa.func.left(
            documents.c.text, 300_000
        )
        options = (
            f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=30, MinWords=12, '
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        headline = sa.func.ts_headline(fts.TS_CONFIG, body, fts.to_tsquery(parsed), options)
        stmt = (
            sa.select(
                documents.c.id,
                documents.c.title,
                documents.c.outlet,
                documents.c.published,
                sub.c.score,
                headline.label("snippet"),
            )
            .join(sub, sub.c.seq == documents.c.seq)
            .order_by(sub.c.score.desc(), sub.c.seq)
        )
        return conn.execute(stmt).all()

    # --- errors & stats -----------------------------------------------------------------

    def errors(self) -> list[ItemError]:
        t = ingest_errors
        with self._read() as conn:
            rows = conn.execute(
                sa.select(t.c.input, t.c.locator, t.c.stage, t.c.error, t.c.message).order_by(
                    t.c.input, t.c.locator
                )
            ).all()
        return [
            ItemError(
                input=r.input,
                locator=r.locator or None,
                stage=r.stage,
                error=r.error,
                message=r.message,
            )
            for r in rows
        ]

    def stats(self, *, top_outlets: int = 10) -> Stats:
        d = documents
        count = sa.func.count()
        with self._read() as conn:

            def n(table: sa.Table) -> int:
                return conn.scalar(sa.select(count).select_from(table)) or 0

            head = conn.execute(
                sa.select(
                    count,
                    sa.func.count(d.c.duplicate_of),
                    sa.func.min(d.c.published),
                    sa.func.max(d.c.published),
                )
            ).one()
            langs = conn.execute(
                sa.select(d.c.language, count).group_by(d.c.language).order_by(count.desc())
            ).all()
            outlets = conn.execute(
                sa.select(d.c.outlet, count)
                .where(d.c.outlet.is_not(None))
                .group_by(d.c.outlet)
                .order_by(count.desc(), d.c.outlet)
                .limit(top_outlets)
            ).all()
            return Stats(
                documents=head[0],
                duplicates=head[1],
                languages={(lang or "unknown"): c for lang, c in langs},
                outlets=[(o, c) for o, c in outlets],
                published_min=head[2],
                published_max=head[3],
                errors=n(ingest_errors),
                mentions=n(mentions),
                quotes=n(quotes),
                events=n(events),
                entities=n(schema_entities),
                stories=n(stories),
            )

    # --- entities & stories -------------------------------------------------------------

    def _iter_by_id(self, table: sa.Table, batch_size: int) -> Iterator[sa.Row[Any]]:
        last: str | None = None
        while True:
            q = sa.select(table).order_by(table.c.id).limit(batch_size)
            if last is not None:
                q = q.where(table.c.id > last)
            with self._read() as conn:
                rows = conn.execute(q).all()
            if not rows:
                return
            last = rows[-1].id
            yield from rows

    def _upsert(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        with self._write() as conn:
            self._upsert_rows(conn, table, rows)

    def _upsert_rows(
        self, conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]
    ) -> None:
        rows = list({r["id"]: r for r in rows}.values())  # last wins; one row per statement
        columns = set(rows[0]) - {"id"}
        stmt = self._insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name in columns},
        )
        for chunk in _chunks(rows):
            conn.execute(stmt, list(chunk))

    def entity_states(self) -> dict[str, dict[str, Any]]:
        """The resolver statistics stored with each entity, by entity id."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(schema_entities.c.id, schema_entities.c.state).where(
                    schema_entities.c.state.is_not(None)
                )
            )
            # A JSON null is not SQL NULL: filter it here too.
            return {r.id: r.state for r in rows if r.state is not None}

    def entity_evidence(self, entity_id: str) -> list[dict[str, Any]]:
        """Why names became this entity: one record per merge, oldest first."""
        cols = [c for c in entity_evidence.columns if c.name != "id"]
        with self._read() as conn:
            rows = conn.execute(
                sa.select(*cols)
                .where(entity_evidence.c.entity_id == entity_id)
                .order_by(entity_evidence.c.id)
            )
            return [dict(r._mapping) for r in rows]

    def iter_entities(self, *, batch_size: int = 1000) -> Iterator[Entity]:
        for r in self._iter_by_id(schema_entities, batch_size):
            yield Entity(
                id=r.id,
                name=r.name,
                type=r.type,
                aliases=r.aliases or [],
                roles=r.roles or [],
                wikidata=r.wikidata,
            )

    def upsert_entities(self, items: Sequence[Entity]) -> None:
        self._upsert(schema_entities, [_scrub(e.model_dump()) for e in items])

    def iter_stories(self, *, batch_size: int = 1000) -> Iterator[Story]:
        for r in self._iter_by_id(stories, batch_size):
            yield Story(
                id=r.id,
                title=r.title,
                documents=r.documents or [],
                first_seen=r.first_seen,
                last_seen=r.last_seen,
            )

    def upsert_stories(self, items: Sequence[Story]) -> None:
        self._upsert(stories, [_scrub(s.model_dump()) for s in items])
