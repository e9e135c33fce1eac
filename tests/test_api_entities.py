"""Entity listings: the number of matches agrees on every page, including past the end."""

from __future__ import annotations

from newsgraph.model import Entity
from newsgraph.store import Store
from newsgraph.store import web as q


def test_name_filter_total_on_every_page(store: Store) -> None:
    store.upsert_entities(
        [Entity(id=f"e{i:02d}", name=f"Harbour Board {i:02d}", type="ORG") for i in range(30)]
        + [Entity(id=f"x{i}", name=f"Other {i}", type="PERSON") for i in range(5)]
    )
    pages = [
        q.list_entities(store, name="BOARD", type=None, limit=7, offset=o) for o in (0, 28, 40)
    ]
    assert [p.total for p in pages] == [30, 30, 30]
    assert [len(p.items) for p in pages] == [7, 2, 0]
    assert [e["id"] for e in pages[0].items] == [f"e{i:02d}" for i in range(7)]
    assert q.list_entities(store, name="er 3", type=None, limit=5, offset=0).total == 1
    assert q.list_entities(store, name=None, type="PERSON", limit=2, offset=0).total == 5
    assert q.list_entities(store, name="board", type="PERSON", limit=5, offset=0).total == 0
