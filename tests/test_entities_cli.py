"""Entity queries, the ``entities``/``entity`` commands and their API, on the seed articles
resolved and stored on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.api import NewsGraph
from newsgraph.cli import app
from newsgraph.entities.resolve import EntityResolver
from newsgraph.entities.within import annotate_many
from newsgraph.model import Document, Entity
from newsgraph.store import Store
from newsgraph.store.entities import name_match

SAMPLE = Path(__file__).resolve().parent.parent / "sample"
runner = CliRunner()


@pytest.fixture(scope="module")
def resolved() -> tuple[list[Document], EntityResolver, list]:
    docs = [
        Document(id=p.stem, input=str(p), text=p.read_text(encoding="utf-8"))
        for p in sorted(SAMPLE.glob("*.txt"))
    ]
    r = EntityResolver()
    out, _, evidence = r.resolve_all(annotate_many(docs))
    return out, r, evidence


@pytest.fixture
def ng(store: Store, resolved: tuple[list[Document], EntityResolver, list]) -> NewsGraph:
    docs, r, evidence = resolved
    # An entity whose name is hostile markup: it must come out as text.
    hostile = Entity(id="e-hostile", name="[bold red]Evil[/] Corp", type="ORG")
    store.write_batch(
        docs,
        entities=[*r.entities(), hostile],
        entity_states={e.id: r.entity_state(e.id) or {} for e in r.entities()},
        evidence=[
            {"entity_id": ev.entity, "document_id": ev.document, "local_key": ev.local_key,
             "local_name": ev.local_name, "canonical_name": ev.canonical_name,
             "decision": ev.decision, "score": ev.score, "features": ev.features,
             "discrepancies": ev.discrepancies}
            for ev in evidence
        ],
    )  # fmt: skip
    return NewsGraph(store)


def test_name_match_uses_the_normaliser() -> None:
    names = ["Antony Blinken", "Blinken"]
    assert name_match("antony blinken", names) == 1.0
    assert name_match("Blink", names) == 0.9  # part of a name
    assert name_match("Anthony Brinken", names) >= 0.5  # another spelling
    assert name_match("Anthony Brinken", ["Donald Blinken"]) == 0.0  # another given name
    assert name_match("Smith", names) == 0.0


def test_entities_lists_with_counts_and_finds_misspellings(ng: NewsGraph) -> None:
    people = list(ng.entities(types=["person"]))
    assert people and all(e.type == "PERSON" for e in people)
    assert [e.mentions for e in people] == sorted((e.mentions for e in people), reverse=True)
    top = list(ng.entities("Anthony Brinken", limit=3))
    assert top[0].name == "Antony Blinken"
    assert top[0].documents == 5 and top[0].mentions >= 10
    assert {"Brinken", "Anthony Brinken"} <= set(top[0].aliases)
    assert next(iter(ng.entities("Lawrow"))).name in ("Sergei Lavrov", "Sergey Lavrov")
    assert list(ng.entities("Zzyzzyx Qwerty")) == []
    assert len(list(ng.entities(limit=4))) == 4


def test_entity_shows_evidence_documents_and_cooccurring(ng: NewsGraph) -> None:
    d = ng.entity("Anthony Brinken")
    assert d is not None and d.entity.name == "Antony Blinken"
    merged = {ev["local_name"] for ev in d.evidence}
    assert "Anthony Brinken" in merged  # the misspelling's merge is explained
    ev = next(ev for ev in d.evidence if ev["local_name"] == "Anthony Brinken")
    assert ev["decision"] == "scored" and 0.5 <= ev["score"] <= 1.0
    assert {"family_jw", "given", "context"} <= set(ev["features"])
    assert len(d.documents) == 5 and all(x["mentions"] >= 1 for x in d.documents)
    co = {c["name"] for c in d.cooccurring}
    assert co & {"Sergei Lavrov", "Sergey Lavrov"}
    by_id = ng.entity(d.entity.id)
    assert by_id is not None and by_id.entity.id == d.entity.id
    assert ng.entity("Zzyzzyx Qwerty") is None


def test_cli_entities_and_entity(ng: NewsGraph, db_url: str) -> None:
    res = runner.invoke(app, ["entities", "--db", db_url, "--type", "PERSON,ORG", "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows and {r["type"] for r in rows} <= {"PERSON", "ORG"}
    assert {"name", "type", "mentions", "documents", "aliases"} <= set(rows[0])
    res = runner.invoke(app, ["entity", "Anthony Brinken", "--db", db_url, "--json"])
    assert res.exit_code == 0, res.output
    one = json.loads(res.stdout)
    assert one["name"] == "Antony Blinken" and one["evidence"] and one["in_documents"]
    res = runner.invoke(app, ["entity", "Brinken", "--db", db_url])
    assert res.exit_code == 0 and "merge evidence" in res.stdout
    assert runner.invoke(app, ["entity", "Zzyzzyx Qwerty", "--db", db_url]).exit_code == 1
    res = runner.invoke(app, ["entities", "Evil", "--db", db_url])
    assert res.exit_code == 0 and "[bold red]Evil[/] Corp" in res.stdout  # shown, not styled
    res = runner.invoke(app, ["entity", "e-hostile", "--db", db_url])
    assert res.exit_code == 0 and "[bold red]Evil[/] Corp" in res.stdout
