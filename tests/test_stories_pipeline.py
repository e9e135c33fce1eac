"""Stories through the real pipeline: seeds, near-duplicates, recluster, kill and resume, CLI."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

import newsgraph
from newsgraph.cli import app
from newsgraph.store.stories import document_stories

SAMPLE = Path(__file__).resolve().parent.parent / "sample"

# Happenings for a generated corpus: each is reported by several outlets in other words.
HAPPENINGS = [
    (
        "flood",
        "River {r} bursts its banks, {n} villages flooded",
        "The river {r} burst its banks after days of rain and flooded {n} villages in the "
        "valley. Rescuers in boats evacuated families from rooftops while the army built "
        "sandbag walls around the hospital. The regional governor asked for emergency aid.",
    ),
    (
        "election",
        "Opposition wins the vote in {r}, turnout {n} percent",
        "The opposition alliance won the parliamentary election in {r} with turnout at {n} "
        "percent, according to the electoral commission. Its leader promised a coalition "
        "government and early talks on the budget; the ruling party conceded defeat.",
    ),
    (
        "strike",
        "Dock workers in {r} strike over pay for {n} days",
        "Dock workers at the port of {r} walked out for {n} days over pay and shift rules, "
        "leaving container ships queued offshore. The union said talks with the port "
        "authority had failed; exporters warned of shortages and rising freight costs.",
    ),
]
PLACES = ["Velmora", "Ostrakan", "Quillby", "Darnholt"]


def make_corpus(folder: Path, n: int, seed: int = 0) -> Path:
    """``n`` JSONL articles over a dozen happenings, reworded per outlet."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        _kind, title, body = HAPPENINGS[i % 3]
        place = PLACES[(i // 3) % 4]
        words = body.format(r=place, n=10 + i % 7).split()
        rng.shuffle(words[10:])  # another outlet's wording of the same facts
        lines.append(
            {
                "title": title.format(r=place, n=10 + i % 7),
                "text": f"{place} - {' '.join(words)}\n\nReported by outlet {i % 5}.",
                "outlet": f"outlet{i % 5}.example",
                "published": f"2024-05-{1 + (i // 12) % 3:02d}",
                "language": "en",
            }
        )
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def stories_export(ng: newsgraph.NewsGraph, out: Path) -> list[dict]:
    ng.export(out)
    rows = (out / "stories.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted((json.loads(r) for r in rows), key=lambda r: r["id"])


def test_seeds_get_stories_in_one_storyline(tmp_path: Path, db_url: str) -> None:
    with newsgraph.open(db_url) as ng:
        summary = ng.run([str(SAMPLE)], stages=("entities", "stories"))
        assert summary.ok, summary.errors
        docs = list(ng.documents())
        assert all(d.story for d in docs)
        stories = ng.stories()
        assert sum(s.size for s in stories) == 5
        assert len({s.storyline for s in stories}) == 1
        detail = ng.story(docs[0].story or "")
        assert detail is not None
        assert {d.id for d in detail.documents} >= {docs[0].id}
        assert {s.id for s in detail.storyline} == {s.id for s in stories}
        exported = stories_export(ng, tmp_path / "out")
    assert sorted(d for s in exported for d in s["documents"]) == sorted(d.id for d in docs)
    assert all(s["title"] in {d.title for d in docs} for s in exported)


def test_near_duplicates_join_their_originals_story(tmp_path: Path) -> None:
    original = (SAMPLE / "001_6cabb982b917148c.txt").read_text(encoding="utf-8")
    paras = [p for p in original.split("\n\n") if p.strip()]
    rng = random.Random(1)
    variants = []
    for k in range(3):
        kept = [p for i, p in enumerate(paras) if i < 3 or rng.random() > 0.15]
        variants.append(
            "\n\n".join([*kept, f"Share this article. Related posts {k}: markets, weather."])
        )
    folder = tmp_path / "in"
    folder.mkdir()
    for k, text in enumerate(variants):
        (folder / f"variant{k}.txt").write_text(text, encoding="utf-8")
    other = make_corpus(tmp_path / "other", 6)
    with newsgraph.open(tmp_path / "news.db") as ng:
        ng.run([str(SAMPLE), str(other), str(folder)], stages=("entities", "stories"))
        docs = list(ng.documents())
    by_input = {Path(d.input).name: d for d in docs}
    home = by_input["001_6cabb982b917148c.txt"].story
    for k in range(3):
        assert by_input[f"variant{k}.txt"].story == home
    assert home not in {d.story for d in docs if d.input == str(other / "corpus.jsonl")}


def test_recluster_equals_incremental(tmp_path: Path, db_url: str) -> None:
    corpus = make_corpus(tmp_path / "in", 48)
    with newsgraph.open(db_url) as ng:
        # Three runs (batches of 7) so that the state goes through the store in between.
        ng.run([str(SAMPLE)], stages=("entities", "stories"), batch_size=7)
        ng.run([str(corpus)], stages=("entities", "stories"), batch_size=7)
        before = document_stories(ng.store)
        rows_before = stories_export(ng, tmp_path / "a")
        assert len(rows_before) >= 4
        calls: list[tuple[int, int]] = []
        assert ng.recluster(progress=lambda done, total: calls.append((done, total))) == len(
            rows_before
        )
        assert calls and calls[-1] == (len(before), len(before))
        assert document_stories(ng.store) == before
        assert stories_export(ng, tmp_path / "b") == rows_before


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_and_resume_gives_the_same_stories(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", 400)
    db = tmp_path / "news.db"
    cmd = [sys.executable, "-m", "newsgraph.cli", "run", str(corpus), "--db", str(db)]
    cmd += ["--batch-size", "5", "--stages", "stories", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db) < 40 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < _count(db) < 400
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr

    clean = tmp_path / "clean.db"
    subprocess.run([*cmd[:6], str(clean), *cmd[7:]], check=True, capture_output=True)
    with newsgraph.open(db) as a, newsgraph.open(clean) as b:
        assert document_stories(a.store) == document_stories(b.store)
        assert stories_export(a, tmp_path / "a") == stories_export(b, tmp_path / "b")


def test_cli_lists_and_shows_stories(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", 24)
    db = str(tmp_path / "news.db")
    with newsgraph.open(db) as ng:
        ng.run([str(corpus)], stages=("stories",))
    runner = CliRunner()
    env = {**os.environ, "COLUMNS": "200"}
    res = runner.invoke(app, ["stories", "--db", db, "--json"], env=env)
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert rows and all(
        {"id", "size", "outlets", "first_seen", "last_seen"} <= set(r) for r in rows
    )
    assert sum(r["size"] for r in rows) == 24
    biggest = max(rows, key=lambda r: r["size"])
    res = runner.invoke(app, ["story", biggest["id"], "--db", db], env=env)
    assert res.exit_code == 0, res.output
    assert biggest["id"] in res.output and "Storyline" in res.output
    res = runner.invoke(app, ["stories", "--db", db, "--since", "2030-01-01", "--json"], env=env)
    assert res.exit_code == 0 and res.output == ""
    res = runner.invoke(app, ["stories", "--db", db, "--entity", "nobody", "--json"], env=env)
    assert res.exit_code == 0 and res.output == ""
    assert runner.invoke(app, ["stories", "--db", db, "--since", "May"], env=env).exit_code == 2
    assert runner.invoke(app, ["story", "s-none", "--db", db], env=env).exit_code == 2
    res = runner.invoke(app, ["recluster", "--db", db], env=env)
    assert res.exit_code == 0 and f"{len(rows)} stories" in res.output


def test_story_is_found_by_a_unique_start_or_a_document_id(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", 24)
    db = str(tmp_path / "news.db")
    with newsgraph.open(db) as ng:
        ng.run([str(corpus)], stages=("stories",))
        ids = sorted(s.id for s in ng.stories())
        doc_id, story_id = next((d.id, d.story) for d in ng.store.iter_documents())
        assert len(ids) > 1 and story_id
        assert ng.resolve_story(story_id) == [story_id]
        assert ng.resolve_story(doc_id) == [story_id]
        assert ng.resolve_story("s") == ids[:10]  # ambiguous: the first ten, sorted
        assert ng.resolve_story("s%") == [] and ng.resolve_story("  ") == []
    # the shortest start of one id that no other id shares
    unique = next(
        sid[:n] for n in range(2, 18) for sid in ids if sum(o.startswith(sid[:n]) for o in ids) == 1
    )
    runner = CliRunner()
    env = {**os.environ, "COLUMNS": "200"}
    res = runner.invoke(app, ["story", unique, "--db", db, "--json"], env=env)
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["id"].startswith(unique)
    res = runner.invoke(app, ["story", doc_id, "--db", db, "--json"], env=env)
    assert res.exit_code == 0 and json.loads(res.output)["id"] == story_id
    res = runner.invoke(app, ["story", "s", "--db", db], env=env)
    assert res.exit_code == 2 and "several" in res.output and ids[0] in res.output


def test_story_titles_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    _, _, body = HAPPENINGS[0]
    # Short, so that no table width wraps it (rich sizes tables to the terminal it sees).
    row = {"title": "[b]X[/] markup", "text": body.format(r="Velmora", n=3)}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    db = str(tmp_path / "news.db")
    with newsgraph.open(db) as ng:
        ng.run([str(path)], stages=("stories",))
    res = CliRunner().invoke(app, ["stories", "--db", db], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert "[b]X[/]" in res.output


# The sample as a dated feed (examples/README.md gives each date's basis).
FEED = Path(__file__).resolve().parents[1] / "examples" / "seeds.jsonl"
SEED_DATES = {
    f"{row['id']}.txt": row["published"]
    for row in map(json.loads, FEED.read_text(encoding="utf-8").splitlines())
}
# The three happenings of the sample (issue 6): the phone call; the Stockholm meeting; the
# written responses to Moscow.
SEED_STORIES = {
    frozenset({"000"}),
    frozenset({"001", "004"}),
    frozenset({"002", "003"}),
}


def _seed_partitions(dated: bool) -> tuple[set[frozenset[frozenset[str]]], set[int]]:
    """The seeds through cleaning, NER, entity resolution and stories in all 120 input
    orders: the partitions into stories (by file number) and the storyline counts seen."""
    from newsgraph.clean.document import clean_item
    from newsgraph.entities import EntityResolver, annotate_many
    from newsgraph.ingest import read_inputs
    from newsgraph.model import Document, RawItem
    from newsgraph.stories import StoryAssigner, StoryClusterer

    raws = [r for r in read_inputs([str(SAMPLE)]) if isinstance(r, RawItem)]
    cleaned = [clean_item(r) for r in raws]
    docs = list(annotate_many([d for d in cleaned if isinstance(d, Document)]))
    assert len(docs) == 5
    name = {d.id: Path(r.input).name for d, r in zip(cleaned, raws, strict=True)}
    if dated:
        docs = [
            d.model_copy(update={"published": dt.date.fromisoformat(SEED_DATES[name[d.id]])})
            for d in docs
        ]
    partitions, lines = set(), set()
    for order in itertools.permutations(range(5)):
        resolver = EntityResolver()
        assigner = StoryAssigner(StoryClusterer())
        for i in order:
            doc, _, _ = resolver.resolve(docs[i])
            assigner.decide(doc)
        stories = assigner.clusterer.stories
        partitions.add(
            frozenset(frozenset(name[d][:3] for d in st.docs) for st in stories.values())
        )
        lines.add(len({st.storyline for st in stories.values()}))
    return partitions, lines


def test_seed_stories_do_not_depend_on_input_order() -> None:
    """Without publication dates (the bare texts) the seeds form one story: their texts,
    actors and quotes do not tell the three happenings apart (docs/stories.md)."""
    partitions, lines = _seed_partitions(dated=False)
    assert len(partitions) == 1
    assert lines == {1}


def test_dated_seeds_form_three_stories_in_one_storyline() -> None:
    """With the publication dates a feed supplies, all 120 input orders give the three
    happenings as three stories, chained into one storyline."""
    partitions, lines = _seed_partitions(dated=True)
    assert partitions == {frozenset(SEED_STORIES)}
    assert lines == {1}


def test_dated_seeds_through_a_jsonl_feed(tmp_path: Path, db_url: str) -> None:
    """The same through ingest: a JSONL feed whose items carry ``published``."""
    feed = tmp_path / "seeds.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for f in sorted(SAMPLE.glob("*.txt")):
            row = {"text": f.read_text(encoding="utf-8"), "published": SEED_DATES[f.name]}
            fh.write(json.dumps({**row, "url": f"https://example.org/{f.stem}"}) + "\n")
    with newsgraph.open(db_url) as ng:
        assert ng.run([str(feed)], stages=("entities", "stories")).ok
        docs = {d.url: d for d in ng.documents()}
        by_story: dict[str, set[str]] = {}
        for url, d in docs.items():
            by_story.setdefault(d.story or "", set()).add(url.rsplit("/", 1)[1][:3])
        assert {frozenset(v) for v in by_story.values()} == SEED_STORIES
        stories = ng.stories()
        assert len({s.storyline for s in stories}) == 1
        # The first seen/last seen of each story are its members' dates.
        calls = next(s for s in stories if s.size == 1)
        assert str(calls.first_seen)[:10] == str(calls.last_seen)[:10] == "2022-01-18"


def test_the_dated_sample_feed_is_the_sample() -> None:
    """`make demo` runs examples/seeds.jsonl: the sample files, byte for byte, with dates."""
    rows = [json.loads(line) for line in FEED.read_text(encoding="utf-8").splitlines()]
    files = sorted(SAMPLE.glob("*.txt"))
    assert [f"{r['id']}.txt" for r in rows] == [f.name for f in files]
    for row, f in zip(rows, files, strict=True):
        assert row["text"] == f.read_text(encoding="utf-8")
        assert dt.date.fromisoformat(row["published"]).year in (2021, 2022)
