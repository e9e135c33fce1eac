"""Web UI pages rendered by the app (TestClient): content, escaping, errors, and the CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph.cli import app as cli
from newsgraph.store import Store
from newsgraph.web import create_app
from test_api_corpus import load, shared_db

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def web(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    with shared_db(request.param, request, tmp_path_factory.mktemp("pages")) as url:
        store = Store.open(url)
        try:
            load(store)
            with TestClient(create_app(store), raise_server_exceptions=False) as c:
                yield c
        finally:
            store.close()


def _html(web: TestClient, path: str) -> str:
    r = web.get(path)
    assert r.status_code == 200, (path, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    # No inline script or style anywhere: the CSP would block them.
    assert not re.search(r"<script(?![^>]*\bsrc=)", r.text)
    assert "style=" not in r.text and "<style" not in r.text
    return r.text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=Lundmark",
        "/?q=Lundmark&outlet=Daily+Alpha&since=2024-03-01",
        "/stories",
        "/stories/story1",
        "/entities",
        "/entities?name=bra&type=PERSON",
        "/entities/e_vortel",
        "/documents/doc1",
        "/events",
        "/events?type=ACCUSE&status=occurred&since=2024-03-01",
        "/report",
        "/report?story=story1",
        "/report?entity=e_vortel&since=2024-03-01",
    ],
)
def test_pages_render(web: TestClient, path: str) -> None:
    _html(web, path)


def test_search_page_lists_hits_and_facets(web: TestClient) -> None:
    page = _html(web, "/?q=Lundmark")
    assert page.count('class="hit"') == 3
    assert "<mark>Lundmark</mark>" in page
    assert 'href="/?q=Lundmark&amp;entity=e_keski"' in page


def test_entity_page_shows_evidence_and_network_source(web: TestClient) -> None:
    page = _html(web, "/entities/e_vortel")
    assert "Anna Vortell" in page and "merge" in page and "0.91" in page
    assert 'data-src="/api/v1/entities/e_vortel/network"' in page
    assert '<script src="/static/js/network.js" defer></script>' in page


def test_article_page_marks_annotations(web: TestClient) -> None:
    page = _html(web, "/documents/doc1")
    assert '<a class="m m-PERSON" href="/entities/e_keski" title="PERSON">Bram Keski</a>' in page
    assert '<mark class="ev ev-ACCUSE" title="ACCUSE">' in page


def test_hostile_strings_are_escaped_everywhere(web: TestClient) -> None:
    for path in ("/documents/doc_hostile", "/?q=Breaking", "/entities/e_zed", "/report?q=Breaking"):
        page = _html(web, path)
        assert "<script>alert" not in page and "<img src=x" not in page, path
    article = _html(web, "/documents/doc_hostile")
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in article
    assert "javascript:" not in article  # the article URL is not linked


def test_page_errors(web: TestClient) -> None:
    for path in ("/documents/nope", "/entities/nope", "/stories/nope", "/report?story=nope"):
        r = web.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "<h1>404 Not Found</h1>" in r.text
    assert web.get("/events?since=yesterday").status_code == 422


def test_static_files(web: TestClient) -> None:
    for path in ("/static/vendor/d3.min.js", "/static/js/timeline.js", "/static/css/app.css"):
        r = web.get(path)
        assert r.status_code == 200 and len(r.content) > 500


# --- CLI ------------------------------------------------------------------------------------

runner = CliRunner()


def test_token_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    made = runner.invoke(cli, ["token", "create", "bot", "--db", db, "--json"])
    assert made.exit_code == 0, made.output
    token = json.loads(made.output)
    assert token["token"].startswith("ng_") and token["name"] == "bot"
    listed = runner.invoke(cli, ["token", "list", "--db", db, "--json"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [r["name"] for r in rows] == ["bot"] and "token" not in rows[0]
    assert token["token"] not in listed.output
    assert runner.invoke(cli, ["token", "revoke", str(token["id"]), "--db", db]).exit_code == 0
    again = runner.invoke(cli, ["token", "revoke", str(token["id"]), "--db", db])
    assert again.exit_code == 2
    assert runner.invoke(cli, ["token", "create", "  ", "--db", db]).exit_code == 2


def test_serve_help() -> None:
    r = runner.invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.output and "newsgraph serve" in r.output
