"""Knowledge base: shipped people/places/organisations with Wikidata ids, user KB files, linking.

Documents are invented; misspellings are made up for these tests (none from the seeds).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsgraph
from newsgraph.cli import app
from newsgraph.entities.build_data import KB_OUT, build_kb
from newsgraph.entities.kb import KBError, load_knowledge_base, read_jsonl, shipped_kb
from newsgraph.entities.resolve import EntityResolver
from newsgraph.entities.within import annotate_many
from newsgraph.export import export_store
from newsgraph.model import Document

SCHOLZ, LAVROV, GERMANY = "Q61053", "Q58217", "Q183"


def _resolve(*texts: str, kb=None):
    docs = [Document(id=f"d{i}", input="test", text=t) for i, t in enumerate(texts)]
    r = EntityResolver(kb)
    out, _, evidence = r.resolve_all(list(annotate_many(docs)))
    return out, r, evidence


def _entity_of(out: list[Document], r: EntityResolver, surface: str):
    ids = {m.entity for d in out for m in d.mentions if m.text == surface and m.entity}
    assert len(ids) == 1, (surface, ids)
    return r.entity(ids.pop())


def _write(path: Path, *records: dict | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_shipped_kb_is_the_build_output_and_every_qid_has_a_source() -> None:
    # kb.jsonl must be rebuilt whenever people.jsonl or the id tables change.
    built = build_kb()
    shipped = [json.loads(line) for line in KB_OUT.read_text(encoding="utf-8").splitlines()]
    assert built == shipped
    kb = shipped_kb()
    assert kb.wikidata("country:DE") == GERMANY and kb.wikidata("org:nato") == "Q7184"
    people = [r for r in kb if r.type == "PERSON"]
    assert len(people) >= 150
    assert all(r.source and r.source != ("unverified",) for r in people if r.wikidata)
    scholz = kb.get(f"person:{SCHOLZ}")
    assert scholz is not None and scholz.name == "Olaf Scholz"
    assert any(role.country == "DE" and role.start == 2021 for role in scholz.roles)


def test_misspelled_kb_person_alone_gets_the_label_and_qid() -> None:
    out, r, evidence = _resolve(
        "German Chancellor Olaf Scholtz arrived in Paris on Tuesday. Scholtz told reporters "
        "that the talks had been useful.",
        "Russian Foreign Minister Sergej Lavroff said on Monday that Moscow would answer in "
        "writing.",
    )
    scholz = _entity_of(out, r, "Olaf Scholtz")
    assert (scholz.name, scholz.wikidata, scholz.type) == ("Olaf Scholz", SCHOLZ, "PERSON")
    assert _entity_of(out, r, "Scholtz").id == scholz.id
    lavrov = _entity_of(out, r, "Sergej Lavroff")
    assert (lavrov.name, lavrov.wikidata) == ("Sergey Lavrov", LAVROV)
    assert _entity_of(out, r, "German").wikidata == GERMANY
    kb_links = {ev.local_name: ev for ev in evidence if ev.decision == "kb"}
    assert kb_links["Olaf Scholtz"].entity == scholz.id
    assert kb_links["Olaf Scholtz"].features["given"] == 1.0
    assert (
        kb_links["Olaf Scholtz"].score >= 0.5 and "family_lev" in kb_links["Olaf Scholtz"].features
    )


def test_namesake_with_another_given_name_does_not_link() -> None:
    out, r, _ = _resolve(
        "Hans Scholz, a baker in Hamburg, opened a second shop on Friday. Scholz said bread "
        "prices would rise.",
        "Olaf Scholz, the German chancellor, spoke in the Bundestag.",
    )
    baker = _entity_of(out, r, "Hans Scholz")
    chancellor = _entity_of(out, r, "Olaf Scholz")
    assert baker.id != chancellor.id
    assert baker.wikidata is None and baker.name == "Hans Scholz"
    assert chancellor.wikidata == SCHOLZ


def test_office_of_another_state_blocks_a_lone_surname() -> None:
    _, r, _ = _resolve("The Austrian Chancellor Scholz visited Vienna's opera on Sunday.")
    assert all(e.wikidata != SCHOLZ for e in r.entities())


def test_role_decides_between_namesakes_in_the_kb(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "kb.jsonl",
        {"id": "x:fm", "name": "Oksana Vardanyk", "type": "PERSON", "aliases": [],
         "roles": [{"title": "Foreign Minister", "country": "MD"}], "wikidata": None},
        {"id": "x:dm", "name": "Petro Vardanyk", "type": "PERSON", "aliases": [],
         "roles": [{"title": "Defence Minister", "country": "MD"}], "wikidata": None},
    )  # fmt: skip
    kb = load_knowledge_base(path)
    out, r, _ = _resolve("Moldovan Foreign Minister Vardanyk met her counterpart.", kb=kb)
    assert _entity_of(out, r, "Vardanyk").name == "Oksana Vardanyk"
    # Without an office the surname fits both equally: it is left alone rather than guessed.
    out, r, _ = _resolve("Vardanyk declined to comment on Friday.", kb=kb)
    assert all(e.name not in {"Oksana Vardanyk", "Petro Vardanyk"} for e in r.entities())


def test_user_kb_adds_a_person_and_overrides_a_shipped_entry(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "mine.jsonl",
        {"id": "mine:1", "name": "Ilse Marquardt-Oyelaran", "type": "PERSON",
         "aliases": ["Ilse Marquardt"], "wikidata": "Q999999991"},
        # Same id as the shipped entry: the user's spelling becomes the label.
        {"id": f"person:{LAVROV}", "name": "Sergei Lavrov", "type": "PERSON",
         "aliases": ["Sergey Lavrov"], "wikidata": LAVROV},
    )  # fmt: skip
    kb = load_knowledge_base(path)
    assert kb.get(f"person:{LAVROV}").aliases == ("Sergey Lavrov",)
    assert len(kb) == len(shipped_kb()) + 1
    out, r, _ = _resolve(
        "The envoy Ilse Marquart-Oyelaran met Sergey Lavrov in Geneva on Monday.", kb=kb
    )
    envoy = _entity_of(out, r, "Ilse Marquart-Oyelaran")
    assert (envoy.name, envoy.wikidata) == ("Ilse Marquardt-Oyelaran", "Q999999991")
    assert _entity_of(out, r, "Sergey Lavrov").name == "Sergei Lavrov"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "type": "PERSON"}', "line 2: missing or empty 'name'"),
        ('{"id": "a", "name": "A B", "wikidata": "42"}', "line 2: 'wikidata' must be"),
        ('{"id": "a", "name": "A B", "type": "PERSONS"}', "line 2: unknown type"),
        ("{not json", "line 2: not valid JSON"),
        ('{"id": "ok", "name": "Again"}', "line 2: id 'ok' already used on line 1"),
    ],
)
def test_malformed_user_kb_line_names_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path / "bad.jsonl", {"id": "ok", "name": "Fine Name"}, line)
    with pytest.raises(KBError, match=message.replace("(", r"\(")):
        read_jsonl(path)


def test_bad_user_kb_stops_the_run_before_anything_is_stored(tmp_path: Path) -> None:
    kb = _write(tmp_path / "bad.jsonl", '{"id": "x", "name": ""}')
    doc = tmp_path / "a.txt"
    doc.write_text("Olaf Scholtz spoke in Berlin on Monday about energy prices.\n", "utf-8")
    db = tmp_path / "n.db"
    res = CliRunner().invoke(app, ["run", str(doc), "--db", str(db), "--kb", str(kb), "-q"])
    assert res.exit_code == 2
    flat = res.output.replace("\n", "")  # rich wraps a long tmp path mid-word
    assert "line 1: missing or empty 'name'" in flat and "bad.jsonl" in flat
    with newsgraph.open(db) as ng:
        assert ng.stats().documents == 0
        with pytest.raises(KBError):
            ng.run([str(doc)], kb=kb)


def test_env_var_selects_the_user_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "env.jsonl", {"id": "env:1", "name": "Tove Brennhaug"})
    monkeypatch.setenv("NEWSGRAPH_KB", str(path))
    assert load_knowledge_base().get("env:1").name == "Tove Brennhaug"
    monkeypatch.delenv("NEWSGRAPH_KB")
    assert load_knowledge_base().get("env:1") is None


def test_export_carries_the_qid_and_evidence(tmp_path: Path, db_url: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "Berlin, Monday.\n\nGerman Chancellor Olaf Scholtz said on Monday that Germany would "
        "send more aid. Scholtz spoke after a cabinet meeting in Berlin.\n",
        encoding="utf-8",
    )
    kb = _write(tmp_path / "kb.jsonl", {"id": "u:1", "name": "Ilse Marquardt-Oyelaran",
                                        "type": "PERSON", "wikidata": "Q999999991"})  # fmt: skip
    (src / "b.txt").write_text(
        "Geneva, Tuesday.\n\nThe envoy Ilse Marquardt-Oyelaran met diplomats in Geneva on "
        "Tuesday and said a deal was close.\n",
        encoding="utf-8",
    )
    with newsgraph.open(db_url, kb=kb) as ng:
        summary = ng.run([str(src)], stages=["entities"])
        assert not summary.errors
        out = tmp_path / "export"
        export_store(ng.store, out)
        ents = {
            e["name"]: e for e in map(json.loads, (out / "entities.jsonl").open(encoding="utf-8"))
        }
        assert ents["Olaf Scholz"]["wikidata"] == SCHOLZ
        assert ents["Germany"]["wikidata"] == GERMANY
        assert ents["Ilse Marquardt-Oyelaran"]["wikidata"] == "Q999999991"
        detail = ng.entity(ents["Olaf Scholz"]["id"])
        assert any(ev["decision"] == "kb" for ev in detail.evidence)


def test_shared_demonyms_and_capitals_belong_to_the_most_populous_current_state() -> None:
    from newsgraph.entities.gazetteer import gazetteer

    g = gazetteer()
    assert g.lookup("American").kb_id == "country:US"  # not the Northern Mariana Islands
    assert g.lookup("Dominican").kb_id == "country:DO"
    assert g.lookup("Belgrade").kb_id == "capital:RS"  # not Serbia and Montenegro
    out, r, _ = _resolve("American officials met their French counterparts on Monday.")
    assert _entity_of(out, r, "American").wikidata == "Q30"


def test_store_from_before_the_kb_keeps_its_ids_and_adopts_the_entry() -> None:
    from newsgraph.entities.kb import KnowledgeBase

    docs = [Document(id="d0", input="t", text="German Chancellor Olaf Scholz spoke in Berlin.")]
    old = EntityResolver(KnowledgeBase())  # as a store written before the knowledge base
    out, ents, _ = old.resolve_all(list(annotate_many(docs)))
    old_id = _entity_of(out, old, "Olaf Scholz").id
    assert old.entity(old_id).wikidata is None
    r = EntityResolver.from_entities(ents, old.state())
    later = [Document(id="d1", input="t", text="Chancellor Olaf Scholtz met union leaders.")]
    out, _, _ = r.resolve_all(list(annotate_many(later)))
    ent = _entity_of(out, r, "Olaf Scholtz")
    assert ent.id == old_id and ent.wikidata == SCHOLZ and ent.name == "Olaf Scholz"
