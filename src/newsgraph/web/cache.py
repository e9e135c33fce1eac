"""Read responses cached per store generation: never served after any write to the store.

The generation is a value that changes whenever anything commits to the database, from this
process or any other (a pipeline writing while the server runs):

- SQLite: ``PRAGMA data_version`` on a dedicated read-only connection to the same file; it
  changes whenever another connection commits (microseconds, no transaction).
- PostgreSQL: ``pg_current_wal_insert_lsn()``, which moves on every committed write (the
  commit record is inserted before the change becomes visible); writes to other databases of
  the cluster also move it, which only costs cache misses.

The generation is read *before* the response is computed, so a cached value is never older
than the generation it is filed under. Stores where neither works (an in-memory SQLite
database, a PostgreSQL standby) are not cached.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from fastapi.responses import Response
from pydantic import TypeAdapter

from newsgraph.store import Store

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_ENTRIES = 2048


class Generation:
    """Reads the store's write generation; ``None`` when it cannot be known."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        self._broken = False
        url = store.engine.url
        if store.dialect == "sqlite":
            path = url.database
            if not path or path == ":memory:" or not Path(path).is_file():
                self._broken = True
            else:
                uri = f"{Path(path).resolve().as_uri()}?mode=ro"
                try:
                    self._sqlite = sqlite3.connect(
                        uri, uri=True, isolation_level=None, check_same_thread=False
                    )
                except sqlite3.Error as e:
                    log.warning("response cache off: cannot open %s read-only: %s", path, e)
                    self._broken = True

    def read(self) -> Hashable | None:
        if self._broken:
            return None
        try:
            if self._sqlite is not None:
                with self._lock:
                    return self._sqlite.execute("PRAGMA data_version").fetchone()[0]
            with self._store.engine.connect() as conn:
                return str(conn.scalar(sa.text("SELECT pg_current_wal_insert_lsn()")))
        except (sqlite3.Error, sa.exc.DBAPIError) as e:
            log.warning("response cache off: cannot read the store generation: %s", e)
            self._broken = True
            return None

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()


class ResponseCache:
    """An LRU of responses for one store, emptied whenever the generation changes."""

    def __init__(self, store: Store, entries: int = DEFAULT_ENTRIES) -> None:
        self.entries = entries
        self.generation = Generation(store)
        self._lock = threading.Lock()
        self._gen: Hashable | None = None
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        gen = self.generation.read() if self.entries > 0 else None
        if gen is None:
            return compute()
        with self._lock:
            if gen != self._gen:
                self._items.clear()
                self._gen = gen
            elif key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        value = compute()
        with self._lock:
            self.misses += 1
            if gen == self._gen:  # a newer generation may have been seen meanwhile
                self._items[key] = value
                if len(self._items) > self.entries:
                    self._items.popitem(last=False)
        return value

    def close(self) -> None:
        self.generation.close()


_caches: weakref.WeakKeyDictionary[Store, ResponseCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def install(store: Store, entries: int = DEFAULT_ENTRIES) -> ResponseCache:
    """Attach a response cache to ``store`` (``entries=0``: none, every call computes)."""
    with _caches_lock:
        old = _caches.get(store)
        if old is not None:
            old.close()
        cache = _caches[store] = ResponseCache(store, entries)
    return cache


def cache_for(store: Store) -> ResponseCache | None:
    return _caches.get(store)


def cached(model: Any) -> Callable[[F], F]:
    """Serve an endpoint as JSON of ``model`` (its ``response_model``), cached per store
    generation and keyed on its arguments.

    The endpoint takes the store as ``store`` and only hashable arguments otherwise. Its
    result is validated and serialised here, in the worker thread that computed it (as
    FastAPI would, minus a second hop through the thread pool), and the JSON bytes are what
    is cached. Exceptions (404s) are not cached.
    """
    adapter: TypeAdapter[Any] = TypeAdapter(model)

    def decorate(func: F) -> F:
        def body(kwargs: dict[str, Any]) -> bytes:
            value = adapter.validate_python(func(**kwargs), from_attributes=True)
            return adapter.dump_json(value, by_alias=True)

        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> Response:
            cache = _caches.get(kwargs["store"])
            if cache is None:
                content = body(kwargs)
            else:
                key = (func.__name__, *sorted((k, v) for k, v in kwargs.items() if k != "store"))
                content = cache.get_or_compute(key, lambda: body(kwargs))
            return Response(content=content, media_type="application/json")

        return wrapper  # type: ignore[return-value]

    return decorate
