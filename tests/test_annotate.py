"""`newsgraph annotate`: stages added to stored documents give what `run` with them gives."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import newsgraph
from newsgraph.annotate import _STAGE_EXTRA, LOCAL_KEY, MAP_KEY, annotate_stored, done_stages, plan
from newsgraph.annotate import _Job as Job
from newsgraph.cli import app
from newsgraph.model import Document, ItemError, Mention, Quote
from newsgraph.pipeline import NLP_STAGES, STAGES_KEY
from test_pipeline import write_corpus

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"
FILES = ("documents.jsonl", "entities.jsonl", "stories.jsonl", "captions.jsonl")


def export(db: str | Path, out: Path) -> dict[str, list[dict]]:
    with newsgraph.open(db) as ng:
        ng.export(out)
    return {
        f: sorted(
            (json.loads(line) for line in (out / f).read_text(encoding="utf-8").splitlines()),
            key=lambda r: json.dumps(r, sort_keys=True),
        )
        for f in FILES
    }


def store_rows(db: str | Path) -> tuple[list[tuple], dict[str, object]]:
    """Merge evidence and resolver state: what the export does not show but must not double."""
    with newsgraph.open(db) as ng:
        with ng.store._read() as conn:
            ev = conn.execute(
                sa.text(
                    "SELECT entity_id, document_id, local_key, local_name, decision, score "
                    "FROM entity_evidence"
                )
            ).all()
        states = ng.store.entity_states()
    return sorted(tuple(r) for r in ev), states


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[dict]]]:
    """The sample run with every stage, the way `run` does it."""
    tmp = tmp_path_factory.mktemp("ref")
    db = tmp / "ref.db"
    with newsgraph.open(db) as ng:
        assert ng.run([str(SAMPLE)]).ok
    return db, export(db, tmp / "out")


def test_stage_keys_match_the_stages() -> None:
    from newsgraph.entities.within import LOCAL_KEY as within_key
    from newsgraph.events.captions import CAPTION_EVENTS_KEY
    from newsgraph.events.extract import DETAILS_KEY, META_KEY

    assert within_key == LOCAL_KEY
    assert set(_STAGE_EXTRA["events"]) >= {DETAILS_KEY, META_KEY, CAPTION_EVENTS_KEY}
    assert set(_STAGE_EXTRA) == set(NLP_STAGES)


def test_annotate_after_ingest_only_equals_run(
    db_url: str, tmp_path: Path, reference: tuple[Path, dict]
) -> None:
    ref_db, ref = reference
    with newsgraph.open(db_url) as ng:
        assert ng.run([str(SAMPLE)], stages=[]).ok
        assert ng.stats().mentions == 0 and ng.stats().stories == 0
        summary = ng.annotate()
        assert summary.ok and summary.annotated == 5 and summary.written == 5
        assert not summary.rebuilt_entities
        assert summary.stories == len(ref["stories.jsonl"])
    got = export(db_url, tmp_path / "a")
    for f in FILES:
        assert got[f] == ref[f], f
    assert any(d["events"] for d in got["documents.jsonl"])
    assert got["captions.jsonl"], "the sample has a caption event"
    assert store_rows(db_url) == store_rows(ref_db)

    # Again: nothing is missing, nothing is written, nothing changes.
    with newsgraph.open(db_url) as ng:
        again = ng.annotate()
    assert (again.annotated, again.written, again.stories) == (0, 0, None)
    assert export(db_url, tmp_path / "b") == got


def test_all_replaces_and_is_idempotent(
    db_url: str, tmp_path: Path, reference: tuple[Path, dict]
) -> None:
    ref_db, ref = reference
    with newsgraph.open(db_url) as ng:
        assert ng.run([str(SAMPLE)]).ok
        before = ng.stats()
    for n in range(2):
        with newsgraph.open(db_url) as ng:
            summary = ng.annotate(only_missing=False)
            assert summary.ok and summary.annotated == 5 and summary.rebuilt_entities
            stats = ng.stats()
        # Replaced, not added: the same counts as one run, and the same store.
        assert (stats.mentions, stats.quotes, stats.events, stats.entities) == (
            before.mentions,
            before.quotes,
            before.events,
            before.entities,
        )
        assert export(db_url, tmp_path / f"all{n}") == ref
        assert store_rows(db_url) == store_rows(ref_db)


def test_stages_one_at_a_time(tmp_path: Path, reference: tuple[Path, dict]) -> None:
    """Entities first, quotes and events later: the later stages read the stored entities."""
    ref_db, ref = reference
    db = tmp_path / "steps.db"
    with newsgraph.open(db) as ng:
        ng.run([str(SAMPLE)], stages=[])
        first = ng.annotate(stages=["entities"], recluster=False)
        assert first.annotated == 5 and first.stories is None
        docs = list(ng.documents())
        assert all(d.mentions and not d.quotes and not d.events for d in docs)
        assert all(d.extra[STAGES_KEY] == ["entities"] for d in docs)
        second = ng.annotate(stages=["quotes", "events"])
        assert second.annotated == 5 and not second.rebuilt_entities
    got = export(db, tmp_path / "out")
    assert got == ref
    ids = {e["id"] for e in got["entities.jsonl"]}
    speakers = {q["speaker"] for d in got["documents.jsonl"] for q in d["quotes"]} - {None}
    assert speakers and speakers <= ids  # canonical ids, not the document's local keys
    assert store_rows(db) == store_rows(ref_db)


def test_adding_entities_redoes_the_stages_that_read_them(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    with newsgraph.open(db) as ng:
        ng.run([str(SAMPLE)], stages=["quotes"])
        assert all(q.speaker is None for d in ng.documents() for q in d.quotes)
        ng.annotate(stages=["entities"])
        docs = list(ng.documents())
    assert any(q.speaker for d in docs for q in d.quotes)
    assert all(d.extra[STAGES_KEY] == ["entities", "quotes"] for d in docs)
    assert all(not d.events for d in docs)  # events were never asked for


def test_since_selects_by_publication_date(tmp_path: Path) -> None:
    db = tmp_path / "since.db"
    with newsgraph.open(db) as ng:
        ng.run([str(SAMPLE)], stages=[])
        dates = sorted(d.published for d in ng.documents() if d.published)
        assert dates  # the sample has one dated article
        cut = dates[-1]
        summary = ng.annotate(since=cut, recluster=False)
        docs = list(ng.documents())
    picked = [d for d in docs if d.published and d.published >= cut]
    assert summary.annotated == len(picked) < len(docs)
    assert all(d.mentions for d in picked)
    assert all(not d.mentions and not d.extra.get(STAGES_KEY) for d in docs if d not in picked)


def test_done_stages_of_documents_stored_before_the_marker() -> None:
    base = Document(id="d", input="x", text="Some text here.")
    assert done_stages(base) == set()
    ents = base.model_copy(update={"extra": {LOCAL_KEY: []}})
    assert done_stages(ents) == {"entities"}
    quotes = base.model_copy(update={"quotes": [Quote(start=0, end=4, text="Some", kind="direct")]})
    assert done_stages(quotes) == {"quotes"}
    full = base.model_copy(update={"extra": {LOCAL_KEY: [], "event_details": []}})
    assert done_stages(full) == {"entities", "quotes", "events"}
    marked = full.model_copy(update={"extra": {**full.extra, STAGES_KEY: ["entities"]}})
    assert done_stages(marked) == {"entities"}  # the marker wins over the inference
    assert plan(marked, NLP_STAGES) == ("quotes", "events")
    assert plan(marked, NLP_STAGES, only_missing=False) == NLP_STAGES
    assert plan(quotes, ["entities"]) == ("entities", "quotes")


def test_a_failing_document_is_an_item_error_not_a_crash() -> None:
    doc = Document(
        id="d1",
        input="feed.jsonl",
        locator="line 3",
        text="Joe Biden spoke.",
        mentions=[Mention(start=0, end=9, text="Joe Biden", label="PERSON", entity="e1")],
        extra={MAP_KEY: {"local:0": "e1"}},
    )
    result = annotate_stored(Job(doc, ("no-such-stage",), False))
    assert isinstance(result, ItemError)
    assert result.stage == "annotate" and result.where() == "feed.jsonl (line 3)"
    assert "d1" in result.message


def test_cli(tmp_path: Path, reference: tuple[Path, dict]) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    help_ = runner.invoke(app, ["annotate", "--help"], terminal_width=200)
    assert help_.exit_code == 0 and "newsgraph annotate --db news.db" in help_.output
    assert runner.invoke(app, ["annotate", "--db", db, "--stages", "stories"]).exit_code == 2
    assert runner.invoke(app, ["annotate", "--db", db, "--since", "May 3"]).exit_code == 2
    assert (
        runner.invoke(app, ["run", str(SAMPLE), "--db", db, "--stages", "none", "-q"]).exit_code
        == 0
    )
    res = runner.invoke(app, ["annotate", "--db", db, "-q", "--workers", "2"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "Annotate summary" in res.output
    assert export(db, tmp_path / "out") == reference[1]


def _annotated(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=30)
        try:
            return conn.execute("SELECT count(DISTINCT document_id) FROM mentions").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_kill_and_resume(tmp_path: Path) -> None:
    """SIGKILL mid-annotate, annotate again: the store an uninterrupted annotate gives."""
    n = 40
    src = write_corpus(tmp_path / "in", n)
    db, clean = tmp_path / "news.db", tmp_path / "clean.db"
    for d in (db, clean):
        with newsgraph.open(d) as ng:
            ng.run([str(src)], stages=[])
    cmd = [
        sys.executable,
        "-m",
        "newsgraph.cli",
        "annotate",
        "--db",
        str(db),
        "--batch-size",
        "2",
        "-q",
    ]
    with (tmp_path / "err.txt").open("w", encoding="utf-8") as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors)
        deadline = time.monotonic() + 300
        while _annotated(db) < 6 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None, (tmp_path / "err.txt").read_text(encoding="utf-8")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert 0 < _annotated(db) < n
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with newsgraph.open(clean) as ng:
        assert ng.annotate().ok
    assert export(db, tmp_path / "a") == export(clean, tmp_path / "b")
    assert store_rows(db) == store_rows(clean)


def test_rebuild_keeps_user_corrections(tmp_path: Path) -> None:
    """`--all` re-links every document from scratch; a merge the user made still binds."""
    db = tmp_path / "corr.db"
    with newsgraph.open(db) as ng:
        assert ng.run([str(SAMPLE)]).ok
        counts: dict[str, int] = {}
        for d in ng.documents():
            for m in d.mentions:
                if m.entity and m.label == "GPE":
                    counts[m.entity] = counts.get(m.entity, 0) + 1
        keep, other = sorted(counts, key=lambda e: (-counts[e], e))[:2]
        ng.merge_entities(keep, other)
        summary = ng.annotate(only_missing=False)
        assert summary.ok and summary.rebuilt_entities
        ids = {e.id for e in ng.store.iter_entities()}
        linked = {m.entity for d in ng.documents() for m in d.mentions}
        assert keep in ids and keep in linked
        assert other not in ids and other not in linked
        assert linked - {None} <= ids  # no mention points at a dropped entity
        assert [c["kind"] for c in ng.corrections()] == ["merge"]


def test_hostile_stored_extra_is_an_item_error_in_a_rebuild(tmp_path: Path) -> None:
    """A JSONL field named like a stage's output, in a store written before the stage marker:
    linking it again fails for that document only, with a clear error."""
    good = {
        "title": "Talks",
        "published": "2022-01-02",
        "text": "Foreign Minister Anna Berg met her counterpart Ivo Petrov in Oslo on Monday. "
        "Berg said the talks on the border had been useful, and Petrov agreed.",
    }
    bad = {
        "title": "Odd",
        "text": "The harbour council of Tartu met on Tuesday to discuss the water plan, officials "
        "said. Delegates from nine countries attended the session, which ended with a statement.",
        "local_entities": [1],
    }
    (tmp_path / "good.jsonl").write_text(json.dumps(good) + "\n", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text(json.dumps(bad) + "\n", encoding="utf-8")
    db = tmp_path / "h.db"
    with newsgraph.open(db) as ng:
        assert ng.run([str(tmp_path / "good.jsonl")], stages=["entities"]).ok
        assert ng.run([str(tmp_path / "bad.jsonl")], stages=[]).ok
        (odd,) = [d for d in ng.documents() if d.title == "Odd"]
        with ng.store._write() as conn:  # as stored before the marker existed
            extra = {k: v for k, v in odd.extra.items() if k != STAGES_KEY}
            conn.execute(
                sa.text("UPDATE documents SET extra = :e WHERE id = :i"),
                {"e": json.dumps(extra), "i": odd.id},
            )
        summary = ng.annotate(stages=["entities"], only_missing=False, since=dt.date(2022, 1, 1))
        assert summary.rebuilt_entities and summary.annotated == 1 and summary.relinked == 1
        (err,) = summary.errors
        assert err.stage == "annotate" and odd.id in err.message
        assert err.where() == f"{tmp_path / 'bad.jsonl'} (line 1)"
        docs = {d.title: d for d in ng.documents()}
        assert docs["Talks"].mentions and all(m.entity for m in docs["Talks"].mentions)
        assert docs["Odd"].extra["local_entities"] == [1]  # left as it was
        assert [e.stage for e in ng.errors()] == ["annotate"]
