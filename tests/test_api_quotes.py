"""A frequent speaker's quotes: the walk over the newest documents and the sort agree."""

from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.model import Document, Quote
from newsgraph.store import Store
from newsgraph.store import web as q


def _docs(speaker: str, n: int, day0: dt.date, per_day: int, start: int) -> list[Document]:
    return [
        Document(
            id=f"{speaker}-{i:05d}",
            input="gen",
            text=f"Someone said thing number {i} today.",
            published=day0 + dt.timedelta(days=i // per_day),  # many documents per day
            quotes=[
                Quote(start=0, end=7, text="Someone", kind="direct", speaker=speaker),
                Quote(start=8, end=12, text="said", kind="indirect", speaker=speaker),
            ]
            if i % 3
            else [Quote(start=0, end=7, text="Someone", kind="direct", speaker=speaker)],
        )
        for i in range(start, start + n)
    ]


def _naive(store: Store, docs: list[Document], speaker: str) -> list[tuple[str, int]]:
    """Every quote key of the speaker in the documented order: newest document first,
    then the later stored, then by position in the document."""
    with store._read() as conn:
        seq = dict(conn.execute(q.sa.select(q.documents.c.id, q.documents.c.seq)).all())
    keys = [(d, i) for d in docs for i, x in enumerate(d.quotes) if x.speaker == speaker]
    keys.sort(key=lambda k: (-k[0].published.toordinal(), -seq[k[0].id], k[1]))
    return [(d.id, i) for d, i in keys]


def _page(store: Store, speaker: str, offset: int, kind: str | None = None) -> list:
    page = q.list_quotes(
        store, speaker=speaker, kind=kind, document=None, story=None, limit=20, offset=offset
    )
    return [(x["document"], x["ordinal"]) for x in page.items]


@pytest.mark.parametrize("walk_docs", [0, 10_000])  # 0: never walk, always sort
def test_pages_follow_one_order_with_many_documents_a_day(
    store: Store, walk_docs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(q, "WALK_DOCS", walk_docs)
    docs = _docs("e_big", 1000, dt.date(2021, 1, 1), per_day=40, start=0)
    store.write_batch(docs)
    want = _naive(store, docs, "e_big")
    assert len(want) > 1000
    for offset in (0, 20, 700, 1480, 1660):
        assert _page(store, "e_big", offset) == want[offset : offset + 20], offset


def test_a_speaker_silent_lately_is_found_by_sorting(store: Store) -> None:
    """Their quotes are all in old documents: the bounded walk over the newest ones finds
    too few and the sort takes over."""
    old = _docs("e_old", 800, dt.date(2019, 1, 1), per_day=10, start=0)
    store.write_batch(old)
    store.write_batch(_docs("e_new", 1500, dt.date(2023, 1, 1), per_day=10, start=0))
    want = _naive(store, old, "e_old")
    assert len(want) > 1000
    assert _page(store, "e_old", 0) == want[:20]
    assert _page(store, "e_old", 100) == want[100:120]


def test_kind_filter_on_a_frequent_speaker(store: Store) -> None:
    docs = _docs("e_big", 1600, dt.date(2021, 1, 1), per_day=40, start=0)
    store.write_batch(docs)
    page = q.list_quotes(
        store, speaker="e_big", kind="indirect", document=None, story=None, limit=20, offset=0
    )
    assert page.capped and all(x["kind"] == "indirect" for x in page.items)
    want = [k for k in _naive(store, docs, "e_big") if k[1] == 1]
    assert [(x["document"], x["ordinal"]) for x in page.items] == want[:20]
