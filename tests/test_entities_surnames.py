"""A person named by the surname alone (or a variant spelling of it) in a document that never
gives the full name joins the full-name person across documents — when that is unambiguous —
whatever the arrival order. Names are invented, except knowledge-base people."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

import newsgraph
from newsgraph.api import NewsGraph
from newsgraph.entities.kb import KnowledgeBase, load_knowledge_base
from newsgraph.entities.resolve import EntityResolver
from newsgraph.entities.within import annotate_many
from newsgraph.model import Document
from newsgraph.store.schema import mentions

FULL = "Estonian Finance Minister Kaarel Tammsaare visited Tallinn on Monday and met bankers."
SURNAME = "On Wednesday, Tammsaare told reporters in Brussels that talks would continue."
VARIANT = "On Friday, Tamsaare told reporters in Tallinn that the budget was balanced."


def _annotated(texts: dict[str, str]) -> dict[str, Document]:
    docs = [Document(id=k, input=f"{k}.txt", text=t) for k, t in texts.items()]
    return {d.id: d for d in annotate_many(docs)}


def _resolve(
    docs: list[Document], kb: KnowledgeBase | None = None
) -> tuple[EntityResolver, dict[str, Document]]:
    r = EntityResolver(kb)
    out, _, _ = r.resolve_all(docs)
    return r, {d.id: d for d in out}


def _ids(doc: Document, text: str) -> set[str]:
    return {m.entity for m in doc.mentions if m.text == text and m.entity}


def _the(doc: Document, text: str) -> str:
    ids = _ids(doc, text)
    assert len(ids) == 1, (text, [(m.text, m.label, m.entity) for m in doc.mentions])
    return ids.pop()


@pytest.fixture(scope="module")
def estonian() -> dict[str, Document]:
    return _annotated({"full": FULL, "surname": SURNAME, "variant": VARIANT})


@pytest.mark.parametrize("order", [("full", "surname"), ("surname", "full")])
def test_surname_only_document_joins_full_name_in_either_order(
    estonian: dict[str, Document], order: tuple[str, str]
) -> None:
    r, out = _resolve([estonian[k] for k in order])
    person = _the(out["full"], "Kaarel Tammsaare")
    assert _the(out["surname"], "Tammsaare") == person
    e = r.entity(person)
    assert e is not None and e.name == "Kaarel Tammsaare" and e.type == "PERSON"


def test_variant_spelling_joins(estonian: dict[str, Document]) -> None:
    _, out = _resolve([estonian["full"], estonian["variant"]])
    assert _the(out["variant"], "Tamsaare") == _the(out["full"], "Kaarel Tammsaare")


def test_every_arrival_order_gives_the_same_entities(estonian: dict[str, Document]) -> None:
    """The partition of the person mentions (and the display name) does not depend on the
    order the documents arrive in."""
    results = set()
    for order in itertools.permutations(estonian):
        r, out = _resolve([estonian[k] for k in order])
        forms = (("full", "Kaarel Tammsaare"), ("surname", "Tammsaare"), ("variant", "Tamsaare"))
        ids = {_the(out[k], t) for k, t in forms}
        assert len(ids) == 1, order
        results.add(r.entity(ids.pop()).name)
    assert results == {"Kaarel Tammsaare"}


def test_knowledge_base_person_variant_joins_in_either_order() -> None:
    docs = _annotated({
        "full": "Ukrainian President Volodymyr Zelenskyy met officials in Kyiv on Monday.",
        "variant": "On Tuesday, Zelenskiy told reporters in Kyiv that the army was ready.",
    })  # fmt: skip
    for order in (("full", "variant"), ("variant", "full")):
        r, out = _resolve([docs[k] for k in order])
        person = _the(out["full"], "Volodymyr Zelenskyy")
        assert _the(out["variant"], "Zelenskiy") == person, order
        assert r.entity(person).wikidata


HALVORSEN = {
    "erik": "Norwegian Defence Minister Erik Halvorsen said on Monday that Oslo would send "
    "more troops.",
    "lars": "Danish Defence Minister Lars Halvorsen told reporters in Copenhagen that Denmark "
    "would not.",
    "lone": "On Wednesday, Halvorsen told reporters in Brussels that talks would continue.",
}


def test_surname_shared_by_two_known_people_stays_apart() -> None:
    docs = _annotated(HALVORSEN)
    for order in (("erik", "lars", "lone"), ("lars", "erik", "lone")):
        _, out = _resolve([docs[k] for k in order])
        erik, lars = _the(out["erik"], "Erik Halvorsen"), _the(out["lars"], "Lars Halvorsen")
        assert erik != lars
        assert _the(out["lone"], "Halvorsen") not in {erik, lars}, order


def test_far_more_prominent_namesake_takes_the_surname() -> None:
    """Of two people sharing the surname, one in five documents and one in a single document,
    both seen with the alliance the new document names: the lone surname is the prominent
    one. Without that shared context it stays apart."""
    texts = {f"erik{i}": f"Norwegian Defence Minister Erik Halvorsen said on day {i} that "
             f"NATO would send {i + 2} more battalions." for i in range(5)}  # fmt: skip
    texts |= {
        "lars": "Danish Defence Minister Lars Halvorsen told reporters in Copenhagen that NATO "
        "would not.",
        "lone": "On Wednesday, Halvorsen told reporters in Brussels that NATO talks would go on.",
        "bare": "On Thursday, Halvorsen told reporters in Geneva that talks would continue.",
    }
    docs = _annotated(texts)
    _, out = _resolve(list(docs.values()))
    erik = _the(out["erik0"], "Erik Halvorsen")
    assert all(_the(out[f"erik{i}"], "Erik Halvorsen") == erik for i in range(5))
    lars = _the(out["lars"], "Lars Halvorsen")
    assert lars != erik
    assert _the(out["lone"], "Halvorsen") == erik
    assert _the(out["bare"], "Halvorsen") not in {erik, lars}


def test_exact_surname_beats_a_similar_one_and_other_gender_form_stays_apart() -> None:
    docs = _annotated({
        "piotr": "Polish Finance Minister Piotr Kowalski said on Monday that the budget was ready.",
        "anna": "Polish MP Anna Kowalska said on Tuesday that the budget was late.",
        "lone": "On Wednesday, Kowalski told reporters in Warsaw that the budget was balanced.",
        "milena": "Deputy Minister Milena Dragunova said on Monday that exports would rise.",
        "lone2": "On Thursday, Dragunov told reporters in Moscow that the factory would close.",
    })  # fmt: skip
    _, out = _resolve(list(docs.values()))
    assert _the(out["lone"], "Kowalski") == _the(out["piotr"], "Piotr Kowalski")
    assert _the(out["lone2"], "Dragunov") != _the(out["milena"], "Milena Dragunova")


def test_a_too_different_namesake_still_makes_the_surname_ambiguous() -> None:
    """The lone surname is spelled closer to one person (linkable) and a little further from
    another (not linkable alone, but the better score): it stays apart rather than join the
    first as if it were the only one."""
    docs = _annotated({
        "a": "Austrian Interior Minister Josef Brandtler said on Monday that Vienna would "
        "tighten border checks.",
        "b": "Austrian MP Klaus Brendtner said on Tuesday that Vienna would not tighten border "
        "checks.",
        "lone": "On Wednesday, Mr Brandtner told reporters in Vienna that border checks would "
        "stay.",
    })  # fmt: skip
    _, out = _resolve(list(docs.values()))
    a, b = _the(out["a"], "Josef Brandtler"), _the(out["b"], "Klaus Brendtner")
    assert a != b
    assert _the(out["lone"], "Brandtner") not in {a, b}


def test_a_city_name_is_not_merged_into_a_person_of_that_surname() -> None:
    docs = _annotated({
        "person": "Italian historian Laura Florence said on Monday that the museum would reopen.",
        "city": "On Saturday, tourists crowded the streets of Florence as the museum reopened.",
    })  # fmt: skip
    for order in (("person", "city"), ("city", "person")):
        r, out = _resolve([docs[k] for k in order])
        person = _the(out["person"], "Laura Florence")
        city = _the(out["city"], "Florence")
        assert city != person, order
        assert r.entity(person).type == "PERSON" and r.entity(city).type != "PERSON"


def test_full_name_matching_a_kb_entry_absorbs_the_earlier_surname_only_person(
    tmp_path: Path,
) -> None:
    """The surname-only person came first (no knowledge-base entry then); a later run with a
    user knowledge base that has the person: the full name joins the surname-only entity,
    which takes the entry's label and Wikidata id."""
    kb_file = tmp_path / "kb.jsonl"
    kb_file.write_text(json.dumps({"id": "mine:1", "name": "Kaarel Tammsaare", "type": "PERSON",
                                   "aliases": [], "wikidata": "Q999999001"}) + "\n")  # fmt: skip
    titled = "On Wednesday, Minister Tammsaare told reporters in Brussels that talks went on."
    docs = _annotated({"surname": titled, "full": FULL})
    first = EntityResolver()
    (s_doc,), _, _ = first.resolve_all([docs["surname"]])
    lone = _the(s_doc, "Tammsaare")
    kb = load_knowledge_base(kb_file)
    later = EntityResolver.from_entities(first.entities(), first.state(), kb=kb)
    (f_doc,), _, evidence = later.resolve_all([docs["full"]])
    assert _the(f_doc, "Kaarel Tammsaare") == lone
    e = later.entity(lone)
    assert e.name == "Kaarel Tammsaare" and e.wikidata == "Q999999001"
    assert any(ev.entity == lone and ev.decision == "kb" for ev in evidence)


# ---- through the store, SQLite and PostgreSQL ------------------------------------------------


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _stored(ng: NewsGraph) -> dict[str, set[str]]:
    """Surface text → entity ids of the stored mentions."""
    with ng.store._read() as conn:
        rows = conn.execute(sa.select(mentions.c.entity, mentions.c.text)).all()
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r.text, set()).add(r.entity)
    return out


@pytest.mark.parametrize("first", ["surname", "full"])
def test_store_runs_in_either_order_join_the_surname(
    db_url: str, tmp_path: Path, first: str
) -> None:
    files = {"surname": {"s.txt": SURNAME, "v.txt": VARIANT}, "full": {"f.txt": FULL}}
    second = "full" if first == "surname" else "surname"
    ng = newsgraph.open(db_url)
    try:
        ng.run([str(_write(tmp_path / first, files[first]))], stages=["entities"])
        ng.run([str(_write(tmp_path / second, files[second]))], stages=["entities"])
        stored = _stored(ng)
        (person,) = stored["Kaarel Tammsaare"]
        assert stored["Tammsaare"] == {person} and stored["Tamsaare"] == {person}
        people = [e for e in ng.entities() if e.type == "PERSON"]
        assert [e.name for e in people if e.id == person] == ["Kaarel Tammsaare"]
        assert not [e.name for e in people if len(e.name.split()) == 1]
    finally:
        ng.close()
