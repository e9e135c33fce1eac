"""Cross-document resolution on constructed documents (names made up for the tests)."""

from __future__ import annotations

import json
from pathlib import Path

from newsgraph.entities.resolve import EntityResolver, load_kb
from newsgraph.entities.within import annotate_many
from newsgraph.model import Document


def _docs(*texts: str) -> list[Document]:
    docs = [Document(id=f"d{i}", input="test", text=t) for i, t in enumerate(texts)]
    return list(annotate_many(docs))


def _ids(docs: list[Document], surface: str) -> set[str]:
    return {m.entity for d in docs for m in d.mentions if m.text == surface and m.entity}


def test_same_surname_different_people_stay_apart() -> None:
    docs = _docs(
        "Norwegian Defence Minister Erik Halvorsen said on Monday that Oslo would send more "
        "troops. Halvorsen spoke after a meeting in Brussels.",
        "Danish Defence Minister Lars Halvorsen told reporters in Copenhagen that Denmark "
        "would not. Halvorsen added that talks would go on.",
    )
    r = EntityResolver()
    out, _, _ = r.resolve_all(docs)
    erik, lars = _ids(out, "Erik Halvorsen"), _ids(out, "Lars Halvorsen")
    assert len(erik) == 1 and len(lars) == 1 and erik != lars
    # Each bare surname stays with the full name of its own document.
    assert {m.entity for m in out[0].mentions if m.text == "Halvorsen"} == erik
    assert {m.entity for m in out[1].mentions if m.text == "Halvorsen"} == lars


def test_other_languages_transliterations_link() -> None:
    docs = _docs(
        "Russian Energy Minister Yevgeny Shcherbakov said on Tuesday that exports would rise. "
        "Shcherbakov spoke in Moscow.",
        # Machine-translated from German: the German romanisation survives.
        "The Russian Energy Minister Jewgeni Schtscherbakow said exports would rise. "
        "Minister Schtscherbakow spoke in Moscow.",
        "Russian minister Jewgienij Szczerbakow told reporters in Warsaw that prices would fall.",
        "The Russian energy minister, Evgueni Chtcherbakov, said in Paris that Moscow was ready.",
        "Energy Minister Yevgeny Scherbakov, a typo-prone spelling, met traders on Friday.",
    )
    r = EntityResolver()
    out, _, evidence = r.resolve_all(docs)
    ids = set()
    for s in ("Yevgeny Shcherbakov", "Jewgeni Schtscherbakow", "Jewgienij Szczerbakow",
              "Evgueni Chtcherbakov", "Yevgeny Scherbakov"):  # fmt: skip
        found = _ids(out, s)
        assert found, s
        ids |= found
    assert len(ids) == 1
    ent = r.entity(ids.pop())
    assert ent.type == "PERSON"
    assert any(ev.entity == ent.id and ev.features["family_jw"] < 1 for ev in evidence)


def test_conflicting_role_blocks_similar_surname() -> None:
    docs = _docs(
        "Finnish Foreign Minister Paavo Lindqvist arrived in Stockholm on Monday.",
        "Swedish Foreign Minister Lindkvist met reporters in Oslo.",
    )
    r = EntityResolver()
    out, _, _ = r.resolve_all(docs)
    assert _ids(out, "Paavo Lindqvist") != _ids(out, "Lindkvist")


def test_unknown_entities_get_stable_ids_and_gather_aliases() -> None:
    a = _docs(
        "Minister Tamara Vukovic said that Belgrade would reply. Vukovic declined to say more."
    )
    b = _docs("Serbian minister Tamara Vuković met her counterpart on Friday.")
    r1, r2 = EntityResolver(), EntityResolver()
    (da,), _, _ = r1.resolve_all(a)
    (db,), _, _ = r2.resolve_all(b)
    assert _ids([da], "Tamara Vukovic") and _ids([db], "Tamara Vuković")
    both = EntityResolver()
    out, _ents, _ = both.resolve_all(a + b)
    (eid,) = _ids(out, "Tamara Vukovic") | _ids(out, "Tamara Vuković")
    assert {"Tamara Vukovic", "Tamara Vuković"} <= {both.entity(eid).name,
                                                    *both.entity(eid).aliases}  # fmt: skip


def test_user_knowledge_base(tmp_path: Path) -> None:
    kb = tmp_path / "kb.jsonl"
    kb.write_text(
        json.dumps({"id": "kb1", "name": "Marek Zielinski", "type": "PERSON",
                    "aliases": ["Marek Zieliński"], "wikidata": None}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    r = EntityResolver.from_entities(load_kb(kb))
    out, _, ev = r.resolve_all(_docs("Polish Finance Minister Marek Zielinsky said on Monday."))
    assert _ids(out, "Marek Zielinsky") == {"kb1"}
    assert r.entity("kb1").name == "Marek Zielinski"
    assert ev and ev[0].entity == "kb1"
