"""REST API: every endpoint, pagination, filters, bad parameters, errors, auth, ingestion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ingest_helpers import LoopbackServer, server  # noqa: F401 - fixture
from newsgraph.store import Store
from newsgraph.store.web import create_token, revoke_token
from newsgraph.web import WebSettings, create_app
from test_api_corpus import load, shared_db

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def loaded(store: Store) -> Store:
    load(store)
    return store


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def ro(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A client over the loaded corpus shared by the tests that only read."""
    with shared_db(request.param, request, tmp_path_factory.mktemp("api")) as url:
        store = Store.open(url)
        try:
            load(store)
            with TestClient(create_app(store), raise_server_exceptions=False) as c:
                yield c
        finally:
            store.close()


@pytest.fixture
def client(loaded: Store) -> Iterator[TestClient]:
    with TestClient(create_app(loaded), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def token(loaded: Store) -> str:
    return create_token(loaded, "tests")[1]


def assert_error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    return body["error"]


# --- documents ------------------------------------------------------------------------------


def test_documents_paginate_newest_first(ro: TestClient) -> None:
    r = ro.get("/api/v1/documents", params={"limit": 2})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == 4 and page["limit"] == 2 and page["next_offset"] == 2
    assert [d["id"] for d in page["items"]] == ["doc_hostile", "doc3"]
    rest = ro.get("/api/v1/documents", params={"limit": 2, "offset": 2}).json()
    assert [d["id"] for d in rest["items"]] == ["doc2", "doc1"]
    assert rest["next_offset"] is None
    beyond = ro.get("/api/v1/documents", params={"offset": 50}).json()
    assert beyond["items"] == [] and beyond["total"] == 4


def test_documents_filters(ro: TestClient) -> None:
    def ids(**params: str) -> list[str]:
        r = ro.get("/api/v1/documents", params=params)
        assert r.status_code == 200, r.text
        return sorted(d["id"] for d in r.json()["items"])

    assert ids(outlet="Daily Alpha") == ["doc1", "doc3"]
    assert ids(entity="e_keski") == ["doc1", "doc3"]
    assert ids(story="story1") == ["doc1", "doc2"]
    assert ids(since="2024-03-05", until="2024-03-06") == ["doc2", "doc3"]
    assert ids(outlet="nobody") == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": 10**9},
        {"since": "yesterday"},
        {"until": "2024-13-40"},
        {"duplicates": "perhaps"},
        {"outlet": "x" * 501},
    ],
)
def test_documents_bad_parameters(ro: TestClient, params: dict) -> None:
    err = assert_error(ro.get("/api/v1/documents", params=params), 422)
    assert err["code"] == "invalid_parameters"
    assert err["details"] and all("loc" in d and "msg" in d for d in err["details"])


def test_document_detail_has_spans_and_safe_html(ro: TestClient) -> None:
    d = ro.get("/api/v1/documents/doc1").json()
    assert d["title"] == "Vortel and Keski meet in Lundmark"
    kinds = {h["kind"] for h in d["highlights"]}
    assert kinds == {"mention", "quote", "event"}
    for h in d["highlights"]:
        assert 0 <= h["start"] < h["end"] <= len(d["text"])
    assert d["entities"]["e_vortel"]["name"] == "Ana Vortel"
    assert '<a class="m m-PERSON" href="/entities/e_vortel"' in d["html"]
    assert '<q class="q q-direct"' in d["html"]
    assert '<mark class="ev ev-ACCUSE"' in d["html"]
    assert "We will not accept new tariffs,</q>" in d["html"]


def test_hostile_document_html_is_escaped(ro: TestClient) -> None:
    d = ro.get("/api/v1/documents/doc_hostile").json()
    assert d["text"].startswith("Breaking: <script>")  # JSON keeps the raw text
    assert "<script>" not in d["html"] and "<img" not in d["html"]
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in d["html"]
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in d["html"]


def test_document_not_found(ro: TestClient) -> None:
    err = assert_error(ro.get("/api/v1/documents/nope"), 404)
    assert err["code"] == "not_found" and "nope" in err["message"]


# --- entities -------------------------------------------------------------------------------


def test_entities_list_filter_and_counts(ro: TestClient) -> None:
    page = ro.get("/api/v1/entities").json()
    assert page["total"] == 4
    by_id = {e["id"]: e for e in page["items"]}
    assert by_id["e_vortel"]["documents"] == 2 and by_id["e_lund"]["documents"] == 3
    people = ro.get("/api/v1/entities", params={"type": "PERSON"}).json()
    assert {e["id"] for e in people["items"]} == {"e_vortel", "e_keski", "e_zed"}
    named = ro.get("/api/v1/entities", params={"name": "bram"}).json()
    assert [e["id"] for e in named["items"]] == ["e_keski"]
    odd = ro.get("/api/v1/entities", params={"name": "%_"}).json()
    assert odd["total"] == 0  # LIKE wildcards are literal


def test_entity_detail_with_evidence_and_cooccurring(ro: TestClient) -> None:
    e = ro.get("/api/v1/entities/e_vortel").json()
    assert e["aliases"] == ["Anna Vortell", "Vortel"] and e["roles"] == ["Minister"]
    assert len(e["evidence"]) == 1
    ev = e["evidence"][0]
    assert ev["local_name"] == "Anna Vortell" and ev["decision"] == "merge"
    assert ev["features"] == {"name_similarity": 0.93}
    neighbours = {n["id"]: n["documents"] for n in e["cooccurring"]}
    assert neighbours == {"e_lund": 2, "e_keski": 1}
    assert_error(ro.get("/api/v1/entities/nobody"), 404)
    assert_error(ro.get("/api/v1/entities/e_vortel", params={"neighbours": 500}), 422)


def test_entity_sub_resources(ro: TestClient) -> None:
    quotes = ro.get("/api/v1/entities/e_vortel/quotes").json()
    assert quotes["total"] == 1 and quotes["items"][0]["speaker_name"] == "Ana Vortel"
    events = ro.get("/api/v1/entities/e_keski/events").json()
    assert [x["type"] for x in events["items"]] == ["ACCUSE"]
    assert events["items"][0]["target_name"] == "Lundmark"
    docs = ro.get("/api/v1/entities/e_lund/documents", params={"limit": 1}).json()
    assert docs["total"] == 3 and len(docs["items"]) == 1 and docs["next_offset"] == 1
    net = ro.get("/api/v1/entities/e_vortel/network").json()
    assert {n["id"] for n in net["nodes"]} == {"e_vortel", "e_lund", "e_keski"}
    pairs = {(link["source"], link["target"]) for link in net["links"]}
    assert ("e_vortel", "e_lund") in pairs and ("e_keski", "e_lund") in pairs
    for sub in ("quotes", "events", "documents", "network"):
        assert_error(ro.get(f"/api/v1/entities/nobody/{sub}"), 404)


# --- quotes, events, outlets, stories -------------------------------------------------------


def test_quotes_filters(ro: TestClient) -> None:
    page = ro.get("/api/v1/quotes").json()
    assert page["total"] == 1
    q = page["items"][0]
    assert q["document"] == "doc1" and q["kind"] == "direct" and q["outlet"] == "Daily Alpha"
    assert ro.get("/api/v1/quotes", params={"kind": "indirect"}).json()["total"] == 0
    assert ro.get("/api/v1/quotes", params={"story": "story1"}).json()["total"] == 1
    assert ro.get("/api/v1/quotes", params={"document": "doc2"}).json()["total"] == 0
    assert_error(ro.get("/api/v1/quotes", params={"kind": "shouted"}), 422)


def test_events_filters_and_order(ro: TestClient) -> None:
    page = ro.get("/api/v1/events").json()
    assert [e["type"] for e in page["items"]] == ["ACCUSE", "THREATEN"]
    assert page["items"][0]["text"] == "Keski accused Lundmark of delays."

    def types(**params: str) -> list[str]:
        return [e["type"] for e in ro.get("/api/v1/events", params=params).json()["items"]]

    assert types(type="THREATEN") == ["THREATEN"]
    assert types(actor="e_lund") == ["ACCUSE"]
    assert types(status="hypothetical") == ["THREATEN"]
    assert types(since="2024-03-05") == ["THREATEN"]
    assert types(outlet="Daily Alpha") == ["ACCUSE"]
    assert types(story="story1") == ["ACCUSE", "THREATEN"]
    assert_error(ro.get("/api/v1/events", params={"status": "rumoured"}), 422)
    counts = {t["value"]: t["count"] for t in ro.get("/api/v1/events/types").json()}
    assert counts == {"ACCUSE": 1, "THREATEN": 1}
    outlets = ro.get("/api/v1/outlets").json()
    assert outlets[0] == {"value": "Daily Alpha", "count": 2, "name": None}


def test_stories(ro: TestClient) -> None:
    page = ro.get("/api/v1/stories").json()
    assert page["total"] == 1 and page["items"][0]["size"] == 2
    s = ro.get("/api/v1/stories/story1").json()
    assert [a["id"] for a in s["articles"]] == ["doc1", "doc2"]  # oldest first
    assert {o["value"] for o in s["outlets"]} == {"Daily Alpha", "Beta News"}
    assert_error(ro.get("/api/v1/stories/none"), 404)


def test_stats(ro: TestClient) -> None:
    s = ro.get("/api/v1/stats").json()
    assert s["documents"] == 4 and s["entities"] == 4 and s["stories"] == 1


# --- search ---------------------------------------------------------------------------------


def test_search_with_facets_and_filters(ro: TestClient) -> None:
    r = ro.get("/api/v1/search", params={"q": "Lundmark"}).json()
    assert r["total"] == 3 and not r["capped"]
    facets = r["facets"]
    assert {f["value"]: f["count"] for f in facets["outlet"]} == {"Daily Alpha": 2, "Beta News": 1}
    ent = {f["value"]: f for f in facets["entity"]}
    assert ent["e_lund"]["count"] == 3 and ent["e_vortel"]["name"] == "Ana Vortel"
    assert {f["value"] for f in facets["event_type"]} == {"ACCUSE", "THREATEN"}
    assert [f["value"] for f in facets["date"]] == ["2024-03-04", "2024-03-05", "2024-03-06"]
    assert all("⟦" in h["snippet"] for h in r["items"])

    def ids(**params: str) -> list[str]:
        got = ro.get("/api/v1/search", params={"q": "Lundmark", **params})
        assert got.status_code == 200, got.text
        return sorted(h["id"] for h in got.json()["items"])

    assert ids(outlet="Beta News") == ["doc2"]
    assert ids(entity="e_keski") == ["doc1", "doc3"]
    assert ids(event_type="THREATEN") == ["doc2"]
    assert ids(since="2024-03-05") == ["doc2", "doc3"]
    paged = ro.get("/api/v1/search", params={"q": "Lundmark", "limit": 2}).json()
    assert len(paged["items"]) == 2 and paged["next_offset"] == 2


@pytest.mark.parametrize("q", ['"', "-", "OR", ")(*", "<script>", "a" * 500, "NEAR(x y)"])
def test_search_odd_queries_do_not_fail(ro: TestClient, q: str) -> None:
    r = ro.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200, r.text


def test_search_bad_parameters(ro: TestClient) -> None:
    assert_error(ro.get("/api/v1/search"), 422)
    assert_error(ro.get("/api/v1/search", params={"q": ""}), 422)
    assert_error(ro.get("/api/v1/search", params={"q": "a" * 501}), 422)
    assert_error(ro.get("/api/v1/search", params={"q": "x", "since": "soon"}), 422)


# --- reports --------------------------------------------------------------------------------


def test_report_formats(ro: TestClient) -> None:
    r = ro.get("/api/v1/report", params={"story": "story1"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["title"] and body["engine"] in ("report", "basic")
    md = ro.get("/api/v1/report", params={"story": "story1", "format": "markdown"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# ")
    html = ro.get("/api/v1/report", params={"story": "story1", "format": "html"})
    assert html.status_code == 200 and html.text.lstrip().lower().startswith("<!doctype html")
    assert "script-src" not in html.headers["content-security-policy"]  # no scripts at all
    assert_error(ro.get("/api/v1/report", params={"format": "pdf"}), 422)


def test_report_unknown_story_is_404(ro: TestClient) -> None:
    assert_error(ro.get("/api/v1/report", params={"story": "no-such-story"}), 404)


def test_report_escapes_hostile_text(ro: TestClient) -> None:
    html = ro.get("/api/v1/report", params={"format": "html"}).text
    assert "<script>alert" not in html and "<img src=x" not in html


# --- errors, headers, CORS ------------------------------------------------------------------


def test_error_shape_for_unknown_route_and_method(ro: TestClient) -> None:
    assert_error(ro.get("/api/v1/nothing-here"), 404)
    err = assert_error(ro.post("/api/v1/stats"), 405)
    assert err["code"] == "method_not_allowed"


def test_error_shape_for_server_errors(loaded: Store) -> None:
    app = create_app(loaded)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as c:
        err = assert_error(c.get("/api/v1/boom"), 500)
    assert "secret" not in err["message"]


def test_security_headers_everywhere(ro: TestClient) -> None:
    for path in ("/api/v1/stats", "/", "/api/v1/documents/nope", "/static/css/app.css"):
        h = ro.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert h["x-content-type-options"] == "nosniff"


def test_cors_off_by_default_and_on_when_asked(loaded: Store) -> None:
    origin = {"Origin": "http://example.test"}
    with TestClient(create_app(loaded)) as c:
        assert "access-control-allow-origin" not in c.get("/api/v1/stats", headers=origin).headers
    app = create_app(loaded, WebSettings(cors_origins=["http://example.test"]))
    with TestClient(app) as c:
        h = c.get("/api/v1/stats", headers=origin).headers
        assert h["access-control-allow-origin"] == "http://example.test"


def test_openapi_schema(ro: TestClient) -> None:
    schema = ro.get("/openapi.json").json()
    paths = schema["paths"]
    for p in (
        "/api/v1/documents",
        "/api/v1/documents/{doc_id}",
        "/api/v1/entities/{entity_id}",
        "/api/v1/quotes",
        "/api/v1/events",
        "/api/v1/stories/{story_id}",
        "/api/v1/search",
        "/api/v1/report",
        "/api/v1/feeds",
    ):
        assert p in paths
    assert "post" in paths["/api/v1/documents"]
    assert not any(p.startswith("/entities") for p in paths)  # pages stay out of the API schema


# --- auth and ingestion ---------------------------------------------------------------------

ARTICLE = {
    "title": "Harbour strike ends",
    "text": "Dock workers in Lundmark ended their strike on Friday after talks with the port.",
    "outlet": "Gamma Wire",
    "published": "2024-03-08",
}


def test_write_needs_a_token(client: TestClient, loaded: Store) -> None:
    body = {"documents": [ARTICLE], "stages": []}
    r = client.post("/api/v1/documents", json=body)
    err = assert_error(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "token create" in err["message"]
    assert_error(client.post("/api/v1/documents", json=body, headers=_auth("ng_wrong")), 401)
    assert_error(
        client.post("/api/v1/documents", json=body, headers={"Authorization": "Basic x"}), 401
    )
    token_id, token = create_token(loaded, "revoked")
    assert revoke_token(loaded, token_id)
    assert_error(client.post("/api/v1/documents", json=body, headers=_auth(token)), 401)
    assert_error(client.post("/api/v1/feeds", json={"urls": ["http://x.test/"]}), 401)
    assert loaded.count_documents() == 4  # nothing was written


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_ingest_documents(client: TestClient, token: str) -> None:
    bad = {"title": "no text here"}
    body = {"documents": [ARTICLE, bad], "stages": []}
    r = client.post("/api/v1/documents", json=body, headers=_auth(token))
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["stored"] == 1 and res["items"] == 1
    assert [(e["locator"], e["error"]) for e in res["errors"]] == [("document 2", "no-content")]
    hits = client.get("/api/v1/search", params={"q": "strike"}).json()["items"]
    assert [h["title"] for h in hits] == ["Harbour strike ends"]
    again = client.post(
        "/api/v1/documents", json={"documents": [ARTICLE], "stages": []}, headers=_auth(token)
    ).json()
    assert again["stored"] == 0 and again["skipped"] == 1  # idempotent


def test_ingest_bad_bodies(client: TestClient, token: str) -> None:
    h = _auth(token)
    assert_error(client.post("/api/v1/documents", json={"documents": []}, headers=h), 422)
    assert_error(client.post("/api/v1/documents", json={"docs": [ARTICLE]}, headers=h), 422)
    assert_error(
        client.post(
            "/api/v1/documents",
            content=b"{not json",
            headers={**h, "Content-Type": "application/json"},
        ),
        422,
    )
    err = assert_error(
        client.post(
            "/api/v1/documents", json={"documents": [ARTICLE], "stages": ["magic"]}, headers=h
        ),
        422,
    )
    assert err["details"][0]["loc"][:2] == ["body", "stages"]
    assert_error(
        client.post("/api/v1/feeds", json={"urls": ["file:///etc/passwd"]}, headers=h), 400
    )
    assert_error(client.post("/api/v1/feeds", json={"urls": []}, headers=h), 422)


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Gamma Wire</title><link>{base}/</link>
<item><title>Port reopens</title><link>{base}/port</link>
<pubDate>Sat, 09 Mar 2024 10:00:00 GMT</pubDate>
<description>The port of Lundmark reopened on Saturday after a week-long strike by dock
workers, officials said.</description>
</item></channel></rss>"""
PAGE = """<html><head><title>Port reopens</title></head><body><article><h1>Port reopens</h1>
<p>The port of Lundmark reopened on Saturday after a week-long strike by dock workers,
officials said, and the first ships were unloaded in the afternoon.</p>
<p>Harbour managers expect the backlog of containers to clear within ten days.</p>
</article></body></html>"""


def test_ingest_feed_url(loaded: Store, token: str, server: LoopbackServer) -> None:  # noqa: F811
    server.route("/port", PAGE.encode())
    url = server.route(
        "/feed.xml", RSS.format(base=server.base).encode(), ctype="application/rss+xml"
    )
    body = {"urls": [url], "stages": []}
    # By default a client cannot make the server fetch loopback or private addresses (SSRF).
    with TestClient(create_app(loaded)) as c:
        r = c.post("/api/v1/feeds", json=body, headers=_auth(token))
        assert r.status_code == 200, r.text
        assert r.json()["stored"] == 0
        assert [e["error"] for e in r.json()["errors"]] == ["private-address"]
    with TestClient(create_app(loaded, WebSettings(allow_private_fetch=True))) as c:
        r = c.post("/api/v1/feeds", json=body, headers=_auth(token))
        assert r.status_code == 200, r.text
        assert r.json()["stored"] == 1, r.json()
        hits = c.get("/api/v1/search", params={"q": "reopened"}).json()["items"]
        assert [h["title"] for h in hits] == ["Port reopens"]


def test_reads_can_require_a_token(loaded: Store, token: str) -> None:
    app = create_app(loaded, WebSettings(reads_need_token=True))
    with TestClient(app) as c:
        assert_error(c.get("/api/v1/documents"), 401)
        assert c.get("/").status_code == 401
        assert c.get("/api/v1/documents", headers=_auth(token)).status_code == 200


@pytest.mark.parametrize("walk_docs", [0, 10_000])
def test_quotes_of_a_frequent_speaker_newest_first(
    store: Store, walk_docs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More quotes than are counted (1,000): sorted, or (when a walk of at most WALK_DOCS
    documents finds them) found by walking the documents newest first; same pages."""
    from newsgraph.model import Document, Quote
    from newsgraph.store import web as q

    monkeypatch.setattr(q, "WALK_DOCS", walk_docs)
    day0 = dt.date(2020, 1, 1)
    docs = [
        Document(
            id=f"f{i:05d}",
            input="gen",
            text=f"Speaker said thing number {i}.",
            published=day0 + dt.timedelta(days=(i * 7919) % 1100),  # distinct, shuffled
            quotes=[Quote(start=0, end=7, text="Speaker", kind="direct", speaker="e_big")],
        )
        for i in range(1100)
    ]
    store.write_batch(docs)
    newest = sorted((d.published for d in docs), reverse=True)
    first = q.list_quotes(
        store, speaker="e_big", kind=None, document=None, story=None, limit=20, offset=0
    )
    assert first.capped and first.total == 1000
    assert [x["published"] for x in first.items] == newest[:20]
    later = q.list_quotes(
        store, speaker="e_big", kind=None, document=None, story=None, limit=20, offset=1050
    )
    assert [x["published"] for x in later.items] == newest[1050:1070]
    assert all(x["speaker"] == "e_big" for x in first.items + later.items)
