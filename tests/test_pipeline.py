"""End-to-end behaviour of the pipeline through the public Python API."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsgraph
from newsgraph.model import Document, RawItem
from newsgraph.pipeline import process_item

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"

PARAGRAPH = (
    "The {org} council met in {city} on Tuesday to discuss the {topic} plan, officials said. "
    "Delegates from {n} countries attended the session, which lasted several hours and ended "
    "with a joint statement on {topic} and regional security. "
    "A spokesperson for the {org} said further talks were planned for next month in {city}."
)
ORGS = ["Harbour", "Granite", "Meadow", "Falcon", "Copper", "Willow", "Summit", "Lantern"]
CITIES = ["Ostrava", "Tartu", "Valletta", "Bergen", "Porto", "Graz", "Split", "Turku"]
TOPICS = ["water", "energy", "transport", "fisheries", "border", "grain", "health", "rail"]


def make_article(i: int) -> str:
    org, city, topic = ORGS[i % 8], CITIES[(i // 8) % 8], TOPICS[(i // 64) % 8]
    paras = [PARAGRAPH.format(org=org, city=city, topic=topic, n=i + p) for p in range(4)]
    body = "".join(f"<p>{p} Item number {i}, paragraph {k}.</p>\n" for k, p in enumerate(paras))
    return (
        f"<html><head><title>Report {i}: {org} talks in {city}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Report {i}: {org} talks in {city}</h1>{body}</article>"
        f"<footer>Copyright Example News</footer></body></html>"
    )


def write_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"page{i:04d}.html").write_text(make_article(i), encoding="utf-8")
    return folder


def exported(db: Path, out: Path) -> list[dict]:
    with newsgraph.open(db) as ng:
        ng.export(out)
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_sample_corpus_end_to_end(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with newsgraph.open(db) as ng:
        summary = ng.run([str(SAMPLE)])
        assert summary.ok, summary.errors
        assert summary.stored == 5
        docs = {Path(d.input).stem[:3]: d for d in ng.documents()}
    assert set(docs) == {"000", "001", "002", "003", "004"}
    assert docs["003"].published is not None and docs["003"].published.isoformat() == "2022-01-28"
    assert docs["003"].authors == ["Daniel D. Burke"]
    assert docs["001"].authors == ["Humeyra Pamuk", "Johan Ahlander"]
    assert all(d.language == "en" for d in docs.values())
    assert all(d.duplicate_of is None for d in docs.values())
    # No boilerplate survives into the body; the headline is metadata, not body.
    for d in docs.values():
        assert d.title and d.title not in d.text
        assert "Leave a Reply" not in d.text and "Please enter your" not in d.text

    rows = exported(db, tmp_path / "export")
    assert len(rows) == 5
    keys = {
        "id",
        "input",
        "url",
        "outlet",
        "title",
        "authors",
        "published",
        "language",
        "text",
        "duplicate_of",
        "story",
        "mentions",
        "quotes",
        "events",
    }
    assert all(set(r) == keys for r in rows)
    assert (tmp_path / "export" / "entities.jsonl").exists()
    assert (tmp_path / "export" / "stories.jsonl").exists()


def test_rerun_is_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with newsgraph.open(db) as ng:
        first = ng.run([str(SAMPLE)])
        again = ng.run([str(SAMPLE), str(SAMPLE / "*.txt")])
        assert first.stored == 5
        # The folder and the glob name the same files: each is read once, and skipped.
        assert again.sources == 5
        assert again.stored == 0 and again.skipped == again.items == 5
        assert ng.stats().documents == 5


def test_exact_and_near_duplicates(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_corpus(src, 3)
    original = make_article(1)
    # The same article with another site's furniture, and a byte-different exact copy.
    (src / "syndicated.html").write_text(
        original.replace("<nav>", "<nav><a href='/sport'>Sport</a>").replace(
            "</article>", "<p>This story was provided by a wire service partner.</p></article>"
        ),
        encoding="utf-8",
    )
    (src / "reposted.html").write_text(original.replace("<footer>", "<footer> "), encoding="utf-8")
    db = tmp_path / "news.db"
    with newsgraph.open(db) as ng:
        summary = ng.run([str(src)])
        by_input = {Path(d.input).name: d for d in ng.documents()}
    assert summary.stored == 5
    assert summary.duplicates == 2
    original_id = by_input["page0001.html"].id
    assert by_input["syndicated.html"].duplicate_of == original_id
    assert by_input["reposted.html"].duplicate_of == original_id
    assert by_input["page0000.html"].duplicate_of is None
    assert by_input["page0002.html"].duplicate_of is None


def test_duplicates_found_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_corpus(first, 2)
    second.mkdir()
    (second / "late-copy.html").write_text(
        make_article(0).replace("</article>", "<p>Reporting by a partner agency.</p></article>"),
        encoding="utf-8",
    )
    # Other markup, same text: another item id, the same normalised-text hash.
    (second / "exact-copy.html").write_text(
        make_article(1).replace("<body>", "<body><!-- mirrored copy -->"), encoding="utf-8"
    )
    db = tmp_path / "news.db"
    with newsgraph.open(db) as ng:
        ng.run([str(first)], stages=())
        summary = ng.run([str(second)], stages=())
        docs = {Path(d.input).name: d for d in ng.documents()}
    assert summary.duplicates == 2
    assert docs["late-copy.html"].duplicate_of == docs["page0000.html"].id
    assert docs["exact-copy.html"].duplicate_of == docs["page0001.html"].id
    assert docs["exact-copy.html"].id != docs["page0001.html"].id


def test_workers_give_the_same_result_as_one_process(tmp_path: Path) -> None:
    src = write_corpus(tmp_path / "in", 40)
    shutil.copy(SAMPLE / "003_5e6bac093bbd0041.txt", src / "seed.txt")
    one = exported_run(tmp_path / "one.db", src, workers=1, out=tmp_path / "o1")
    two = exported_run(tmp_path / "two.db", src, workers=2, out=tmp_path / "o2")
    assert one == two
    assert len(one) == 41


def exported_run(db: Path, src: Path, *, workers: int, out: Path) -> list[dict]:
    with newsgraph.open(db) as ng:
        summary = ng.run([str(src)], workers=workers, batch_size=7)
        assert summary.ok, summary.errors
    return exported(db, out)


def test_bad_items_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    src = write_corpus(tmp_path / "in", 3)
    (src / "binary.html").write_bytes(bytes(range(256)) * 64)
    (src / "empty.txt").write_bytes(b"")
    (src / "bad.jsonl").write_text(
        '{"title": "Good line", "text": "'
        + "A complete sentence about the harbour talks. " * 5
        + '"}\n{not json}\n',
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    with newsgraph.open(db) as ng:
        summary = ng.run([str(src), str(tmp_path / "missing.html")])
        assert summary.stored == 4
        failed = {(Path(e.input).name, e.locator) for e in summary.errors}
        assert {n for n, _ in failed} >= {"binary.html", "empty.txt", "bad.jsonl", "missing.html"}
        assert ("bad.jsonl", "line 2") in failed
        stored_errors = ng.errors()
        assert len(stored_errors) == len(summary.errors)
        # A second run reports the same failures without duplicating them in the store.
        ng.run([str(src), str(tmp_path / "missing.html")])
        assert len(ng.errors()) == len(stored_errors)
        # Fixing an input clears its error.
        (src / "empty.txt").write_text("A late report.\n\n" + "The council met again. " * 10)
        ng.run([str(src)])
        assert "empty.txt" not in {Path(e.input).name for e in ng.errors()}


def test_process_item_never_raises() -> None:
    raw = RawItem(id="x", input="hostile.html", kind="html", content="<html><body><" * 5000)
    result = process_item(raw)
    assert isinstance(result, Document) or result.stage == "clean"


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize(
    ("stages", "n", "kill_at"), [("none", 600, 50), ("entities,quotes", 90, 15)]
)
def test_kill_and_resume(tmp_path: Path, stages: str, n: int, kill_at: int) -> None:
    """SIGKILL mid-run, run again: nothing duplicated or half-written, the run completes.

    With NLP stages on, entities and their merge state are written in the same transaction
    as the documents, so the resumed run resolves against exactly what was committed.
    """
    src = write_corpus(tmp_path / "in", n)
    db = tmp_path / "news.db"
    cmd = [
        sys.executable,
        "-m",
        "newsgraph.cli",
        "run",
        str(src),
        "--db",
        str(db),
        "--batch-size",
        "5",
        "--stages",
        stages,
        "--quiet",
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 120
    while _count(db) < kill_at and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "run finished before it could be killed; make the corpus larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert 0 < partial < n

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = exported(db, tmp_path / "out")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == n

    clean_db = tmp_path / "clean.db"
    clean_cmd = [*cmd[:6], str(clean_db), *cmd[7:]]
    subprocess.run(clean_cmd, check=True, capture_output=True, timeout=600)
    clean = exported(clean_db, tmp_path / "clean-out")
    assert sorted(rows, key=lambda r: r["id"]) == sorted(clean, key=lambda r: r["id"])
    if stages != "none":
        assert any(r["mentions"] for r in rows)
        ents = (tmp_path / "out" / "entities.jsonl").read_text(encoding="utf-8")
        clean_ents = (tmp_path / "clean-out" / "entities.jsonl").read_text(encoding="utf-8")
        assert sorted(ents.splitlines()) == sorted(clean_ents.splitlines())


@pytest.mark.parametrize("workers", [1, 2])
def test_pipeline_on_postgres_matches_sqlite(tmp_path: Path, db_url: str, workers: int) -> None:
    sqlite_rows = exported_run(tmp_path / "ref.db", SAMPLE, workers=1, out=tmp_path / "ref")
    with newsgraph.open(db_url) as ng:
        ng.run([str(SAMPLE)], workers=workers)
        ng.export(tmp_path / "pg")
    rows = [json.loads(x) for x in (tmp_path / "pg" / "documents.jsonl").read_text().splitlines()]
    assert rows == sqlite_rows
