"""The API's response cache: repeated reads are served from it, any write empties it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from newsgraph.model import Document, Entity, Mention
from newsgraph.store import Store
from newsgraph.web import WebSettings, create_app
from newsgraph.web.cache import cache_for
from test_api_corpus import load

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    load(store)
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        yield c


def _new_doc(i: int) -> Document:
    text = f"Bram Keski returned to Lundmark harbour {i} times, officials said."
    return Document(
        id=f"fresh{i}",
        input="fresh.txt",
        text=text,
        title=f"Keski back in harbour {i}",
        outlet="Gamma Post",
        published="2024-03-09",
        mentions=[
            Mention(start=0, end=10, text="Bram Keski", label="PERSON", entity="e_keski"),
            Mention(start=23, end=31, text="Lundmark", label="GPE", entity="e_lund"),
        ],
    )


READS = [
    "/api/v1/stats",
    "/api/v1/documents",
    "/api/v1/search?q=harbour",
    "/api/v1/entities/e_keski",
    "/api/v1/entities/e_keski/documents",
    "/api/v1/entities/e_keski/network",
    "/api/v1/entities?name=bra",
    "/api/v1/outlets",
]


def test_repeated_reads_are_cached_and_equal(client: TestClient, store: Store) -> None:
    cache = cache_for(store)
    assert cache is not None
    first = {p: client.get(p).json() for p in READS}
    hits = cache.hits
    again = {p: client.get(p).json() for p in READS}
    assert again == first
    assert cache.hits == hits + len(READS)


def test_a_write_through_the_store_is_seen_at_once(client: TestClient, store: Store) -> None:
    before = {p: client.get(p).json() for p in READS}
    assert before["/api/v1/search?q=harbour"]["total"] == 1
    store.write_batch([_new_doc(1)])
    after = {p: client.get(p).json() for p in READS}
    assert after["/api/v1/stats"]["documents"] == before["/api/v1/stats"]["documents"] + 1
    assert after["/api/v1/documents"]["items"][0]["id"] == "fresh1"
    assert after["/api/v1/search?q=harbour"]["total"] == 2
    assert after["/api/v1/entities/e_keski"]["documents"] == 3
    assert "fresh1" in [d["id"] for d in after["/api/v1/entities/e_keski/documents"]["items"]]
    assert "Gamma Post" in [o["value"] for o in after["/api/v1/outlets"]]


def test_entity_and_story_updates_are_seen(client: TestClient, store: Store) -> None:
    assert client.get("/api/v1/entities/e_keski").json()["name"] == "Bram Keski"
    assert client.get("/api/v1/entities?name=bra").json()["total"] == 1
    store.upsert_entities([Entity(id="e_keski", name="Boris Keski", type="PERSON")])
    assert client.get("/api/v1/entities/e_keski").json()["name"] == "Boris Keski"
    assert client.get("/api/v1/entities?name=bra").json()["total"] == 0
    assert client.get("/api/v1/entities?name=bor").json()["total"] == 1


def test_a_write_from_another_process_is_seen(client: TestClient, db_url: str) -> None:
    """A pipeline writing into the store while the server runs (its own connection)."""
    assert client.get("/api/v1/search?q=harbour").json()["total"] == 1
    code = (
        "import sys; from newsgraph.store import Store; from newsgraph.model import Document\n"
        "s = Store.open(sys.argv[1])\n"
        "s.write_batch([Document(id='other', input='o.txt', text='A new harbour opened.')])\n"
        "s.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, db_url], check=True)
    assert client.get("/api/v1/search?q=harbour").json()["total"] == 2
    assert client.get("/api/v1/documents/other").status_code == 200


LIGHTHOUSE = (
    "The old lighthouse on the northern cape reopened on Saturday after three years of repairs. "
    "Harbour officials said the light would again guide fishing boats through the narrow strait, "
    "and the town council plans a small museum in the keeper's house next spring."
)


def test_writes_through_the_api_are_seen(client: TestClient, store: Store) -> None:
    from newsgraph.store.web import create_token

    token = create_token(store, "t")[1]
    assert client.get("/api/v1/search?q=lighthouse").json()["total"] == 0
    r = client.post(
        "/api/v1/documents",
        headers={"Authorization": f"Bearer {token}"},
        json={"documents": [{"title": "Lighthouse", "text": LIGHTHOUSE}], "stages": []},
    )
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text
    assert client.get("/api/v1/search?q=lighthouse").json()["total"] == 1


def test_cache_can_be_turned_off(store: Store) -> None:
    load(store)
    app = create_app(store, WebSettings(cache_entries=0))
    with TestClient(app) as c:
        c.get("/api/v1/stats")
        c.get("/api/v1/stats")
        cache = cache_for(store)
        assert cache is not None and cache.hits == 0
        store.write_batch([_new_doc(2)])
        assert c.get("/api/v1/documents/fresh2").status_code == 200


def test_in_memory_store_is_served_uncached() -> None:
    """No separate connection can watch an in-memory database: reads compute every time."""
    with Store.open(":memory:") as store:
        load(store)
        with TestClient(create_app(store)) as c:
            assert c.get("/api/v1/search?q=harbour").json()["total"] == 1
            store.write_batch([_new_doc(3)])
            assert c.get("/api/v1/search?q=harbour").json()["total"] == 2
            cache = cache_for(store)
            assert cache is not None and cache.hits == 0


def test_errors_are_not_cached(client: TestClient, store: Store) -> None:
    assert client.get("/api/v1/documents/fresh4").status_code == 404
    store.write_batch([_new_doc(4)])
    assert client.get("/api/v1/documents/fresh4").status_code == 200


def test_serve_settings_from_the_environment(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsgraph serve` builds its app with build_app: NEWSGRAPH_WEB_CACHE=0 turns the
    cache off, the GIL switch interval is set for short request latency, and the objects
    built at startup are frozen out of the garbage collector's full passes."""
    import gc
    import sys

    from newsgraph.web.server import SWITCH_INTERVAL_S, build_app, settings_env

    load(store)
    before = sys.getswitchinterval()
    try:
        monkeypatch.setenv("NEWSGRAPH_WEB_CACHE", "0")
        env = settings_env(db_url, reads_need_token=False, cors_origins=[])
        with TestClient(build_app(env)) as c:
            assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
            assert gc.get_freeze_count() > 0  # startup objects out of the collector's reach
            c.get("/api/v1/stats")
            c.get("/api/v1/stats")
            cache = cache_for(c.app.state.store)  # type: ignore[attr-defined]
            assert cache is not None and cache.entries == 0 and cache.hits == 0
        monkeypatch.delenv("NEWSGRAPH_WEB_CACHE")
        with TestClient(build_app(env)) as c:
            c.get("/api/v1/stats")
            c.get("/api/v1/stats")
            cache = cache_for(c.app.state.store)  # type: ignore[attr-defined]
            assert cache is not None and cache.hits == 1
    finally:
        sys.setswitchinterval(before)
        gc.unfreeze()
