"""Search facets and filters agree with a naive count over the stored documents."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from newsgraph.model import Document, Entity, Event, Mention
from newsgraph.store import Store
from newsgraph.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

WORDS = ["harbour", "grain", "talks", "border", "strike", "ferry", "court", "vote", "storm"]
ACTORS = [("e_a", "Ilsa Marn"), ("e_b", "Toma Vesk"), ("e_c", "Port Ostra"), ("e_d", "Rel Union")]
TYPES = ["CONSULT", "ACCUSE", "THREATEN"]
OUTLETS = ["North Wire", "Daily Ost", "Coast Radio"]


def _corpus(n: int = 60) -> list[Document]:
    rng = random.Random(3)
    docs = []
    for i in range(n):
        actors = rng.sample(ACTORS, rng.randint(0, 3))
        parts, mentions, pos = [], [], 0
        for ent, name in actors:
            filler = " ".join(rng.choices(WORDS, k=rng.randint(2, 6))) + " "
            parts += [filler, name, " said. "]
            mentions.append(
                Mention(
                    start=pos + len(filler),
                    end=pos + len(filler) + len(name),
                    text=name,
                    label="PERSON",
                    entity=ent,
                )
            )
            pos += len(filler) + len(name) + 7
        parts.append(" ".join(rng.choices(WORDS, k=4)) + ".")
        text = "".join(parts)
        day = dt.date(2024, 5, 1) + dt.timedelta(days=rng.randint(0, 5))
        events = [
            Event(start=0, end=len(text), type=t, date=day)
            for t in rng.sample(TYPES, rng.randint(0, 2))
        ]
        docs.append(
            Document(
                id=f"s{i:03d}",
                input="gen",
                text=text,
                title=f"Report {i}",
                outlet=rng.choice(OUTLETS),
                published=day if i % 7 else None,
                mentions=mentions,
                events=events,
            )
        )
    return docs


@pytest.fixture
def api(store: Store) -> Iterator[tuple[TestClient, dict[str, Document]]]:
    docs = _corpus()
    store.write_batch(docs)
    store.upsert_entities([Entity(id=e, name=n, type="PERSON") for e, n in ACTORS])
    with TestClient(create_app(store)) as c:
        yield c, {d.id: d for d in docs}


def _naive(docs: dict[str, Document], words: list[str], **filters: str) -> dict[str, Counter]:
    hits = []
    for d in docs.values():
        tokens = set(re.findall(r"\w+", f"{d.title} {d.text}".lower()))
        if not all(w in tokens for w in words):
            continue
        ents = {m.entity for m in d.mentions if m.entity}
        types = {e.type for e in d.events}
        if "outlet" in filters and d.outlet != filters["outlet"]:
            continue
        if "entity" in filters and filters["entity"] not in ents:
            continue
        if "event_type" in filters and filters["event_type"] not in types:
            continue
        if "since" in filters and (d.published is None or str(d.published) < filters["since"]):
            continue
        hits.append((d, ents, types))
    return {
        "ids": Counter(d.id for d, _, _ in hits),
        "outlet": Counter(d.outlet for d, _, _ in hits),
        "entity": Counter(e for _, ents, _ in hits for e in ents),
        "event_type": Counter(t for _, _, types in hits for t in types),
        "date": Counter(str(d.published) for d, _, _ in hits if d.published),
    }


@pytest.mark.parametrize(
    ("q", "filters"),
    [
        ("harbour", {}),
        ("grain talks", {}),
        ("storm", {"outlet": "Daily Ost"}),
        ("ferry", {"entity": "e_b"}),
        ("court", {"event_type": "ACCUSE"}),
        ("vote border", {"since": "2024-05-03", "entity": "e_a"}),
    ],
)
def test_facets_equal_a_naive_count(
    api: tuple[TestClient, dict[str, Document]], q: str, filters: dict[str, str]
) -> None:
    client, docs = api
    want = _naive(docs, q.split(), **filters)
    assert want["ids"], "the query should match something"
    r = client.get("/api/v1/search", params={"q": q, "limit": 200, **filters})
    assert r.status_code == 200, r.text
    body = r.json()
    assert not body["capped"]
    assert body["total"] == len(want["ids"])
    assert Counter(h["id"] for h in body["items"]) == want["ids"]
    facets = body["facets"]
    for name in ("outlet", "entity", "event_type", "date"):
        got = {f["value"]: f["count"] for f in facets[name]}
        assert got == dict(want[name]), name
    names = dict(ACTORS)
    assert all(f["name"] == names[f["value"]] for f in facets["entity"])
    # Facet values are ordered by count (dates by day).
    counts = [f["count"] for f in facets["entity"]]
    assert counts == sorted(counts, reverse=True)
    days = [f["value"] for f in facets["date"]]
    assert days == sorted(days)


def test_hits_are_best_first(api: tuple[TestClient, dict[str, Document]]) -> None:
    client, _ = api
    items = client.get("/api/v1/search", params={"q": "harbour", "limit": 200}).json()["items"]
    scores = [h["score"] for h in items]
    assert scores == sorted(scores, reverse=True)
    page = client.get("/api/v1/search", params={"q": "harbour", "limit": 5, "offset": 5}).json()
    assert [h["id"] for h in page["items"]] == [h["id"] for h in items[5:10]]


def test_network_weights_equal_a_naive_count(api: tuple[TestClient, dict[str, Document]]) -> None:
    client, docs = api
    net = client.get("/api/v1/entities/e_a/network").json()
    ents_of = [{m.entity for m in d.mentions if m.entity} for d in docs.values()]
    with_a = [ents for ents in ents_of if "e_a" in ents]
    shared = Counter(e for ents in with_a for e in ents if e != "e_a")
    assert {n["id"]: n["weight"] for n in net["nodes"][1:]} == dict(shared)
    links = {(x["source"], x["target"]): x["weight"] for x in net["links"]}
    for a, b in [("e_b", "e_c"), ("e_b", "e_d"), ("e_c", "e_d")]:
        both = sum(1 for ents in with_a if a in ents and b in ents)
        assert links.get((a, b), 0) == both
    cooc = client.get("/api/v1/entities/e_a").json()["cooccurring"]
    assert {x["id"]: x["documents"] for x in cooc} == dict(shared)


@pytest.mark.parametrize("q_", ["harbour", "grain", "storm vote"])
def test_facet_cut_off_keeps_most_then_by_value(
    api: tuple[TestClient, dict[str, Document]], store: Store, q_: str
) -> None:
    """With fewer facet places than values, the most frequent stay, ties by value."""
    from newsgraph.store import web as q

    _, docs = api
    want = _naive(docs, q_.split())
    res = q.search(
        store,
        q_,
        outlet=None,
        entity=None,
        event_type=None,
        since=None,
        until=None,
        limit=5,
        offset=0,
        facet_size=2,
    )
    for name in ("entity", "event_type", "outlet"):
        top = sorted(want[name].items(), key=lambda x: (-x[1], x[0]))[:2]
        assert [(f["value"], f["count"]) for f in res.facets[name]] == top, name
