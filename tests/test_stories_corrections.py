"""The user's story corrections: a document moved to another story or out of its own, obeyed
by the clusterer, `recluster`, later runs and the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsgraph
from newsgraph.cli import app
from newsgraph.store.stories import StoryCorrectionError, document_stories
from newsgraph.stories.cluster import StoryClusterer, StoryParams
from newsgraph.stories.constraints import StoryConstraints
from newsgraph.stories.features import features
from test_stories import doc, quake
from test_stories_pipeline import make_corpus


def _reports() -> list:
    return [
        quake("d1", "Ravenna", mag="6.1", dead=12, day="Tuesday"),
        quake("d2", "Ravenna", mag="6.1", dead=14, day="Tuesday"),
        quake("d3", "Ravenna", mag="6.0", dead=15, day="Tuesday morning"),
    ]


def _cluster(docs: list, constraints: StoryConstraints | None = None, params=None) -> dict:
    c = StoryClusterer(params, constraints)
    for d in docs:
        c.add(features(d))
    return {d: s for s, st in c.stories.items() for d in st.docs}


def test_constraints_are_symmetric_and_the_latest_correction_wins() -> None:
    c = StoryConstraints.build(
        [("d2", None, ["d1", "d3"]), ("d4", "d1", ["d5"]), ("d4", "d3", ["d6"])]
    )
    assert c.apart == {
        "d2": frozenset({"d1", "d3"}),
        "d1": frozenset({"d2"}),
        "d3": frozenset({"d2"}),
        "d4": frozenset({"d6"}),
        "d6": frozenset({"d4"}),
    }
    assert c.together == {"d4": ("d3",), "d3": ("d4",)}
    assert not StoryConstraints.build([])


def test_a_document_kept_apart_opens_its_own_story() -> None:
    docs = _reports()
    assert len(set(_cluster(docs).values())) == 1
    got = _cluster(docs, StoryConstraints.build([("d2", None, ["d1", "d3"])]))
    assert got["d1"] == got["d3"] != got["d2"]
    # also when the document that was moved out comes first
    got = _cluster(docs[::-1], StoryConstraints.build([("d3", None, ["d1", "d2"])]))
    assert got["d1"] == got["d2"] != got["d3"]


def test_a_document_put_with_another_joins_it_whatever_its_score() -> None:
    flood = doc("d9", "Floods in the north", "Rivers burst their banks after days of rain.")
    docs = [*_reports(), flood]
    assert _cluster(docs)["d9"] != _cluster(docs)["d1"]
    got = _cluster(docs, StoryConstraints.build([("d9", "d2", [])]))
    assert got["d9"] == got["d2"]
    # the other way round: the target arrives after the moved document and joins it
    got = _cluster([flood, *_reports()], StoryConstraints.build([("d9", "d2", [])]))
    assert got["d9"] == got["d2"]


def test_stories_kept_apart_do_not_merge() -> None:
    params = StoryParams(story_threshold=0.45, merge_threshold=0.2)
    dam = "The dam above the valley burst after a week of storms, sending water into villages."
    evac = "Thousands were evacuated from flooded villages; rescuers used boats on the roads."
    both = (
        "The dam burst after storms and flooded villages in the valley; thousands were "
        "evacuated and rescuers used boats."
    )
    a = doc("d1", "Dam bursts above the valley", dam)
    b = doc("d2", "Villages flooded, thousands evacuated", evac)
    bridge = doc("d3", "Dam burst floods villages", both)
    assert len(set(_cluster([a, b, bridge], params=params).values())) == 1  # merged
    got = _cluster([a, b, bridge], StoryConstraints.build([("d2", None, ["d1"])]), params)
    assert got["d1"] != got["d2"]


def _two_batches(tmp_path: Path) -> tuple[Path, Path]:
    lines = make_corpus(tmp_path / "in", 36).read_text(encoding="utf-8").splitlines()
    first, later = tmp_path / "first.jsonl", tmp_path / "later.jsonl"
    first.write_text("\n".join(lines[:24]) + "\n", encoding="utf-8")
    later.write_text("\n".join(lines[24:]) + "\n", encoding="utf-8")
    return first, later


def _movable(ng: newsgraph.NewsGraph, story: str) -> tuple[str, set[str]]:
    """A document of the story that is no copy and does not name it, and its copies."""
    docs = [d for d in ng.store.iter_documents() if d.story == story]
    moved = sorted(d.id for d in docs if not d.duplicate_of and "s" + d.id[1:] != story)[0]
    return moved, {d.id for d in docs if d.duplicate_of == moved}


def test_move_is_kept_and_obeyed_by_later_runs(tmp_path: Path, db_url: str) -> None:
    corpus, more = _two_batches(tmp_path)
    with newsgraph.open(db_url) as ng:
        ng.run([str(corpus)], stages=("stories",))
        before = document_stories(ng.store)
        big = max(set(before.values()), key=list(before.values()).count)
        members = sorted(d for d, s in before.items() if s == big)
        moved, copies = _movable(ng, big)
        anchor = "d" + big[1:]  # the story's first document, which names it
        c = ng.move_document(moved, note="another happening", author="tester")
        assert c["kind"] == "apart" and c["story_before"] == big
        assert set(c["apart_from"]) == set(members) - {moved} - copies
        after = document_stories(ng.store)
        mates = set(members) - copies - {moved}
        assert after[moved] not in {after[d] for d in mates}
        assert {after[d] for d in copies} <= {after[moved]}
        # The story keeps its id (documents after the moved one may decide otherwise: the
        # story's centroid no longer holds it).
        assert after[anchor] == big

        # later documents go through the online clusterer, which obeys it too ...
        assert ng.run([str(more)], stages=("stories",)).stored == 12
        online = document_stories(ng.store)
        assert online[moved] not in {online[d] for d in mates}
        # ... and recluster on the same order gives the same stories
        ng.recluster()
        assert document_stories(ng.store) == online

        # put it back with a document of its old story: the latest correction wins
        target = anchor
        c = ng.move_document(moved, with_document=target)
        assert c["story_after"] == document_stories(ng.store)[target]
        rows = ng.story_corrections()
        assert [r["kind"] for r in rows] == ["apart", "with"]
        assert rows[0]["note"] == "another happening" and rows[0]["author"] == "tester"

        with pytest.raises(StoryCorrectionError, match="no document"):
            ng.move_document("d-none")
        with pytest.raises(StoryCorrectionError, match="already in one story"):
            ng.move_document(moved, with_document=target)
        with pytest.raises(StoryCorrectionError, match="itself"):
            ng.move_document(moved, with_document=moved)
        assert len(ng.story_corrections()) == 2  # refused changes are not recorded


def test_cli_story_move(tmp_path: Path) -> None:
    corpus, _ = _two_batches(tmp_path)
    db = str(tmp_path / "news.db")
    with newsgraph.open(db) as ng:
        ng.run([str(corpus)], stages=("stories",))
        stories = document_stories(ng.store)
        big = max(set(stories.values()), key=list(stories.values()).count)
        moved, _ = _movable(ng, big)  # the story keeps its id
    runner = CliRunner()
    env = {**os.environ, "COLUMNS": "200"}
    res = runner.invoke(app, ["story-move", moved, "--apart", "--db", db, "-q", "--json"], env=env)
    assert res.exit_code == 0, res.output
    c = json.loads(res.output)
    assert c["story_before"] == big and c["story_after"] != big
    # --to takes a story id, or a unique start of one: back to its old story
    res = runner.invoke(app, ["story-move", moved, "--to", big[:7], "--db", db, "-q"], env=env)
    assert res.exit_code == 0, res.output
    assert f"-> {big}" in res.output
    res = runner.invoke(app, ["story", big, "--db", db, "--json"], env=env)
    flags = {d["id"]: d["moved"] for d in json.loads(res.output)["documents"]}
    assert flags[moved] and not any(v for d, v in flags.items() if d != moved)
    res = runner.invoke(app, ["story-corrections", "--db", db], env=env)
    assert res.exit_code == 0 and moved in res.output and "apart" in res.output
    # usage errors: neither or both options, unknown document or target, nothing to change
    for args in ([moved], [moved, "--apart", "--to", big], ["d-none", "--apart"],
                 [moved, "--to", "zzz"], [moved, "--to", big]):  # fmt: skip
        res = runner.invoke(app, ["story-move", *args, "--db", db, "-q"], env=env)
        assert res.exit_code == 2, (args, res.output)
    # recorded only, then applied by recluster
    res = runner.invoke(
        app, ["story-move", moved, "--apart", "--no-recluster", "--db", db], env=env
    )
    assert res.exit_code == 0 and "recluster" in res.output, res.output
    with newsgraph.open(db) as ng:
        assert document_stories(ng.store)[moved] == big
        ng.recluster()
        assert document_stories(ng.store)[moved] != big


def test_copies_go_with_the_document_they_copy(tmp_path: Path) -> None:
    corpus, _ = _two_batches(tmp_path)
    rows = [json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines()]
    copy = {**rows[5], "outlet": "copycat.example"}  # the same text from another outlet
    corpus.write_text("\n".join(json.dumps(r) for r in [*rows, copy]) + "\n", encoding="utf-8")
    with newsgraph.open(str(tmp_path / "news.db")) as ng:
        ng.run([str(corpus)], stages=("stories",))
        docs = list(ng.store.iter_documents())
        dup = next(d for d in docs if d.duplicate_of)
        original = dup.duplicate_of
        assert dup.story == next(d.story for d in docs if d.id == original)
        with pytest.raises(StoryCorrectionError, match="copy of"):
            ng.move_document(dup.id)
        c = ng.move_document(original)
        assert dup.id not in c["apart_from"]
        after = document_stories(ng.store)
        assert after[dup.id] == after[original] == c["story_after"] != c["story_before"]
