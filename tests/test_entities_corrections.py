"""User corrections of entity resolution (merge, split): applied to the store in one
transaction, obeyed by later runs, visible in export and CLI; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import newsgraph
from newsgraph.api import NewsGraph
from newsgraph.cli import app
from newsgraph.entities.corrections import Correction, form_key
from newsgraph.entities.resolve import EntityResolver
from newsgraph.model import Document, Entity, Event, Mention, Quote
from newsgraph.store import Store
from newsgraph.store.entities import CorrectionError
from newsgraph.store.schema import events, mentions, quotes

runner = CliRunner()

# Invented people: two spellings with conflicting given names (the resolver keeps them
# apart), and a surname that a later document uses for somebody else.
FIRST = {
    "a.txt": "Finance Minister Daniel Okafor met bankers in Lagos on Monday. Okafor said the "
    "budget would be published next week. Maria Kowalczyk, the central bank governor, agreed.",
    "b.txt": "Masha Kovalchik told reporters on Tuesday that interest rates would stay "
    "unchanged. Kovalchik spoke in Warsaw after meeting Daniel Okafor.",
}
LATER = {
    "d.txt": "Masha Kovalchik warned on Thursday that inflation was rising. Kovalchik said the "
    "bank was ready to act.",
    "e.txt": "The court heard on Friday from Okafor, who told the jury that the contract was "
    "signed in 2019. Okafor denied any wrongdoing.",
}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _entity_of(ng: NewsGraph, input_name: str, text: str) -> set[str]:
    """Entity ids of the mentions written ``text`` in the document read from ``input_name``."""
    with ng.store._read() as conn:
        rows = conn.execute(
            sa.select(mentions.c.entity, mentions.c.text, mentions.c.document_id)
        ).all()
    docs = {d.id for d in ng.documents() if d.input.endswith(input_name)}
    return {r.entity for r in rows if r.document_id in docs and r.text == text}


@pytest.fixture
def ng(db_url: str, tmp_path: Path) -> Iterator[NewsGraph]:
    g = newsgraph.open(db_url)
    g.run([str(_write(tmp_path / "first", FIRST))], stages=["entities"])
    yield g
    g.close()


def test_merge_moves_everything_and_binds_later_runs(ng: NewsGraph, tmp_path: Path) -> None:
    a = ng.entity("Maria Kowalczyk")
    b = ng.entity("Masha Kovalchik")
    assert a is not None and b is not None
    assert a.entity.id != b.entity.id  # conflicting given names: the resolver kept them apart
    a_id, b_id = a.entity.id, b.entity.id
    c = ng.merge_entities("Maria Kowalczyk", "Masha Kovalchik", note="same governor", author="t")
    assert c["kind"] == "merge" and c["entity_id"] == a_id and c["other_id"] == b_id
    ids = {e.id for e in ng.entities()}
    assert b_id not in ids and a_id in ids
    merged = ng.entity(b_id)  # the old id resolves to the kept entity
    assert merged is not None and merged.entity.id == a_id
    assert {"Masha Kovalchik", "Maria Kowalczyk"} <= {merged.entity.name, *merged.entity.aliases}
    assert merged.entity.documents == 2 and merged.entity.mentions == 3
    assert merged.corrections and merged.corrections[0]["note"] == "same governor"
    assert _entity_of(ng, "b.txt", "Kovalchik") == {a_id}
    doc_b = next(d for d in ng.documents() if d.input.endswith("b.txt"))
    assert a_id in doc_b.extra["entity_map"].values()  # what reports read
    assert b_id not in doc_b.extra["entity_map"].values()

    # A new run: B's spelling alone, with none of A's context, links to A.
    ng.run([str(_write(tmp_path / "later", LATER))], stages=["entities"])
    assert _entity_of(ng, "d.txt", "Masha Kovalchik") == {a_id}
    assert _entity_of(ng, "d.txt", "Kovalchik") == {a_id}
    after = ng.entity(a_id)
    assert after is not None
    assert any(ev["local_name"] == "Masha Kovalchik" for ev in after.evidence)
    assert b_id not in {e.id for e in ng.entities()}

    # The export contract reflects it: no document or entity row points at B.
    out = tmp_path / "export"
    ng.export(out)
    ents = [json.loads(x) for x in (out / "entities.jsonl").read_text().splitlines()]
    assert b_id not in {e["id"] for e in ents}
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    linked = {m["entity"] for d in docs for m in d["mentions"]}
    assert a_id in linked and b_id not in linked


def test_split_takes_a_form_off_for_good(ng: NewsGraph, tmp_path: Path) -> None:
    a = ng.entity("Daniel Okafor")
    assert a is not None and "Okafor" in a.entity.aliases
    a_id = a.entity.id
    c = ng.split_entity("Daniel Okafor", "Okafor", note="the judge", author="t")
    new_id = c["other_id"]
    assert c["kind"] == "split" and c["entity_id"] == a_id and new_id != a_id
    assert _entity_of(ng, "a.txt", "Okafor") == {new_id}
    assert _entity_of(ng, "a.txt", "Daniel Okafor") == {a_id}
    after = ng.entity(a_id)
    assert after is not None and "Okafor" not in after.entity.aliases
    assert after.corrections[0]["form"] == "Okafor"

    # Without the correction this lone surname links to A (the control test below); with
    # it, the form goes to the split-off entity.
    ng.run([str(_write(tmp_path / "later", LATER))], stages=["entities"])
    got = _entity_of(ng, "e.txt", "Okafor")
    assert got and a_id not in got
    assert got == {new_id}
    assert [x["kind"] for x in ng.corrections()] == ["split"]


def test_without_corrections_the_resolver_links_the_forms(db_url: str, tmp_path: Path) -> None:
    """The control for the two tests above: the same runs, no corrections."""
    with newsgraph.open(db_url) as g:
        g.run([str(_write(tmp_path / "first", FIRST))], stages=["entities"])
        g.run([str(_write(tmp_path / "later", LATER))], stages=["entities"])
        okafor = g.entity("Daniel Okafor")
        masha = g.entity("Masha Kovalchik")
        maria = g.entity("Maria Kowalczyk")
        assert okafor is not None and masha is not None and maria is not None
        assert _entity_of(g, "e.txt", "Okafor") == {okafor.entity.id}
        assert _entity_of(g, "d.txt", "Masha Kovalchik") == {masha.entity.id} != {maria.entity.id}


def test_quotes_and_events_follow_the_merge_and_split(store: Store) -> None:
    text = "Ann Bell said it. Bell met Bel. Ann Bell agreed."
    doc = Document(
        id="d1", input="x", text=text,
        mentions=[Mention(start=0, end=8, text="Ann Bell", label="PERSON", entity="eA"),
                  Mention(start=18, end=22, text="Bell", label="PERSON", entity="eA"),
                  Mention(start=27, end=30, text="Bel", label="PERSON", entity="eB"),
                  Mention(start=32, end=40, text="Ann Bell", label="PERSON", entity="eA")],
        quotes=[Quote(start=0, end=17, text="it", kind="indirect", speaker="eB",
                      speaker_text="Bel"),
                Quote(start=18, end=30, text="x", kind="indirect", speaker="eA",
                      speaker_text="Bell")],
        events=[Event(start=18, end=30, type="CONSULT", source="eB", target="eA")],
    )  # fmt: skip
    store.write_batch(
        [doc],
        entities=[Entity(id="eA", name="Ann Bell", type="PERSON", aliases=["Bell"]),
                  Entity(id="eB", name="Bel", type="PERSON")],
    )  # fmt: skip
    ng = NewsGraph(store)
    ng.merge_entities("eA", "eB", note="typo")
    with store._read() as conn:
        assert {r.entity for r in conn.execute(sa.select(mentions.c.entity))} == {"eA"}
        assert {r.speaker for r in conn.execute(sa.select(quotes.c.speaker))} == {"eA"}
        ev = conn.execute(sa.select(events.c.source, events.c.target)).one()
        assert (ev.source, ev.target) == ("eA", "eA")
    c = ng.split_entity("eA", "Bell", author="t")
    new = c["other_id"]
    with store._read() as conn:
        got = {
            r.text: r.entity for r in conn.execute(sa.select(mentions.c.text, mentions.c.entity))
        }
        assert got == {"Ann Bell": "eA", "Bell": new, "Bel": "eA"}
        speakers = {r.speaker_text: r.speaker for r in conn.execute(sa.select(quotes))}
        assert speakers == {"Bel": "eA", "Bell": new}
        # The document still names A ("Ann Bell"), so its events stay with A.
        ev = conn.execute(sa.select(events.c.source, events.c.target)).one()
        assert (ev.source, ev.target) == ("eA", "eA")
    with pytest.raises(CorrectionError):
        ng.split_entity("eA", "Bell")  # already split
    with pytest.raises(CorrectionError):
        ng.split_entity("eA", "Nobody")  # not a form of A
    with pytest.raises(CorrectionError):
        ng.merge_entities("eA", "Ann Bell")  # itself


def test_resolver_obeys_corrections_without_a_store() -> None:
    a = Entity(id="eA", name="Ivan Petrenko", type="PERSON", aliases=["Petrenko"])
    s = Entity(id="eS", name="Petrenko", type="PERSON")
    r = EntityResolver.from_entities(
        [a, s], corrections=[Correction("split", "eA", "eS", "Petrenko"),
                             Correction("merge", "eA", "eGone")]
    )  # fmt: skip
    assert r.canonical_id("eGone") == "eA" and r.canonical_id("eA") == "eA"
    assert form_key("Petrenko’s") == form_key("PETRENKO") == "petrenko"
    c = Entity(id="eC", name="Kyiv", type="GPE")
    state = {"entities": {"eC": {"id": "eC", "kind": "name", "context": {"eGone": 2, "eA": 1}}}}
    r2 = EntityResolver.from_entities(
        [a, c], state, corrections=[Correction("merge", "eA", "eGone")]
    )
    assert r2.entity_state("eC")["context"] == {"eA": 3}  # type: ignore[index]
    le = {"key": "local:0", "name": "Petrenko", "kind": "person"}
    assert r._corrected(le, "eA") == "eS"
    assert r._corrected({**le, "name": "Ivan Petrenko"}, "eA") == "eA"


def test_cli_merge_split_corrections_and_bad_names(ng: NewsGraph, db_url: str) -> None:
    ng.store.upsert_entities(
        [Entity(id="eX1", name="John Smith", type="PERSON"),
         Entity(id="eX2", name="John Smith", type="PERSON")]
    )  # fmt: skip
    res = runner.invoke(app, ["merge", "John Smith", "Daniel Okafor", "--db", db_url])
    assert res.exit_code == 2
    assert "ambiguous" in res.output and "eX1" in res.output and "eX2" in res.output
    res = runner.invoke(app, ["merge", "Zzyzzyx Qwerty", "Daniel Okafor", "--db", db_url])
    assert res.exit_code == 2 and "no entity matches" in res.output
    res = runner.invoke(app, ["split", "Daniel Okafor", "Nobody Else", "--db", db_url])
    assert res.exit_code == 2 and "no mention" in res.output
    assert ng.corrections() == []  # nothing recorded by failed commands

    res = runner.invoke(app, ["merge", "eX1", "eX2", "--note", "[red]dup[/]", "--by", "ed",
                              "--db", db_url, "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["other_id"] == "eX2"
    res = runner.invoke(app, ["split", "Daniel Okafor", "Okafor", "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "split" in res.stdout
    res = runner.invoke(app, ["corrections", "--db", db_url, "--json"])
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["kind"] for r in rows] == ["merge", "split"]
    assert rows[0]["author"] == "ed" and rows[0]["note"] == "[red]dup[/]"
    res = runner.invoke(app, ["corrections", "--db", db_url])
    assert res.exit_code == 0 and "[red]dup[/]" in res.stdout  # shown as text, not styled
    res = runner.invoke(app, ["entity", "eX2", "--db", db_url])
    assert res.exit_code == 0 and "user corrections" in res.stdout and "eX1" in res.stdout
