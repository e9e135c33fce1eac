"""Photo captions: kept by cleaning as metadata, coded by the event stage apart from the text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import newsgraph
from newsgraph.clean.document import clean_item
from newsgraph.clean.scrape import clean_scrape
from newsgraph.entities import annotate_entities
from newsgraph.events import extract_events
from newsgraph.events.captions import CAPTION_EVENTS_KEY, CAPTIONS_KEY, code_captions
from newsgraph.events.extract import DETAILS_KEY, META_KEY
from newsgraph.ingest import read_inputs
from newsgraph.model import Document
from newsgraph.nlp import load_nlp
from newsgraph.store.events import find_events

SAMPLE = Path(__file__).resolve().parent.parent / "sample"
CAPTIONED = "001_6cabb982b917148c.txt"  # the seed whose 2021 meeting is told only in a caption


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    load_nlp()


def run(doc: Document) -> Document:
    sdoc = load_nlp()(doc.text)
    return extract_events(annotate_entities(doc, sdoc), sdoc)


def seed(name: str) -> Document:
    doc = clean_item(next(iter(read_inputs([str(SAMPLE / name)]))))
    assert isinstance(doc, Document)
    return doc


def test_cleaning_keeps_sentence_captions_out_of_the_text_but_as_metadata() -> None:
    page = (
        "Ministers meet in Oslo\n\n"
        "Photo: Reuters\n\n"
        "The foreign ministers of the two countries met in Oslo on Monday and talked for an "
        "hour about the border, officials said after the meeting.\n\n"
        "The talks will continue next month in Helsinki, according to a joint statement "
        "released by both ministries on Monday evening.\n\n"
        "Protesters march through the centre of Minsk on Sunday (Reuters)\n\n"
        "Reporting by Anna Berg and Ivo Petrov; Editing by Tom Reed"
    )
    r = clean_scrape(page)
    assert "Minsk" not in r.text and "Reuters" not in r.text  # captions are not body text
    assert r.captions == ["Protesters march through the centre of Minsk on Sunday (Reuters)"]


def test_seed_caption_is_metadata_not_text() -> None:
    doc = seed(CAPTIONED)
    caps = doc.extra[CAPTIONS_KEY]
    assert len(caps) == 1 and "Harpa Concert Hall" in caps[0]
    assert "Harpa" not in doc.text


def test_caption_meeting_is_coded_flagged_and_kept_out_of_doc_events() -> None:
    doc = run(seed(CAPTIONED))
    meets = [
        r for r in doc.extra[CAPTION_EVENTS_KEY] if r["type"] == "CONSULT" and r["mode"] == "meet"
    ]
    assert len(meets) == 1
    r = meets[0]
    assert (r["source_text"], r["target_text"]) == ("Anthony Brinken", "Sergey Lavrov")
    assert r["status"] == "occurred" and r["date"] == "2021-05-19"
    assert r["date_basis"] == "explicit" and r["extra"] == {"caption": True}
    # the span indexes the caption, and the actors are the text's own entities
    cap = doc.extra[CAPTIONS_KEY][r["caption"]]
    assert cap[r["start"] : r["end"]].startswith("Anthony Brinken")
    assert cap[r["start"] : r["end"]].endswith("meeting")
    keys = {m.text: m.entity for m in doc.mentions}
    assert r["source"] == keys["Brinken"] and r["target"] == keys["Sergey Lavrov"]
    # the export contract is untouched: every event of doc.events lies in doc.text
    assert all(0 <= e.start < e.end <= len(doc.text) for e in doc.events)
    assert dt.date(2021, 5, 19) not in {e.date for e in doc.events}
    assert len(doc.events) == len(doc.extra[DETAILS_KEY])


def test_caption_date_bounds_the_publication_of_an_undated_article() -> None:
    doc = run(seed(CAPTIONED))
    assert doc.published is None
    meta = doc.extra[META_KEY]
    assert meta["published_range"] == ["2021-05-19", None]
    assert "caption" in meta["published_basis"]


def test_dated_article_keeps_its_date_and_caption_weekdays_resolve_against_it() -> None:
    doc = Document(
        id="c",
        input="t",
        text="The foreign ministers spoke about the border.",
        published=dt.date(2022, 1, 28),  # a Friday
        extra={CAPTIONS_KEY: ["Foreign Minister Anna Berg met Ivo Petrov in Oslo on Thursday."]},
    )
    out = code_captions(annotate_entities(doc))
    (r,) = [r for r in out.extra[CAPTION_EVENTS_KEY] if r["type"] == "CONSULT"]
    assert r["date"] == "2022-01-27" and r["date_basis"] == "weekday"
    assert r["source"] is None and r["source_text"] == "Anna Berg"  # not named in the text
    assert META_KEY not in out.extra


def test_no_captions_or_bad_ones_give_no_caption_events() -> None:
    doc = Document(id="c", input="t", text="Nothing happened.", extra={CAPTIONS_KEY: [3, "", None]})
    assert CAPTION_EVENTS_KEY not in code_captions(doc).extra
    stale = Document(id="c", input="t", text="x", extra={CAPTION_EVENTS_KEY: [{"type": "AID"}]})
    assert CAPTION_EVENTS_KEY not in code_captions(stale).extra  # re-running clears old ones


def test_subject_glued_onto_a_preceding_place_list() -> None:
    # The small parser hangs "Anna Berg and Mikko Laine" on "Oslo, Norway" as conjuncts and
    # leaves "arrived" without a subject; the list's trailing people are the subject.
    text = (
        "On March 3, 2020, during the Nordic Council session in Oslo, Norway, Swedish Prime "
        "Minister Anna Berg and Finnish President Mikko Laine arrived at the Opera House to "
        "take part in the meeting."
    )
    doc = run(Document(id="g", input="t", text=text))
    hits = [
        (e, d)
        for e, d in zip(doc.events, doc.extra[DETAILS_KEY], strict=True)
        if e.type == "CONSULT" and d["trigger"] == "meeting"
    ]
    assert len(hits) == 1
    e, d = hits[0]
    assert (d["source_text"], d["target_text"]) == ("Anna Berg", "Mikko Laine")
    assert e.date == dt.date(2020, 3, 3)  # the arrival's date, through "meeting" as a compound


def test_html_figcaptions_are_kept_as_metadata_and_coded() -> None:
    from newsgraph.model import RawItem

    para = (
        "<p>The foreign ministers of the two countries spoke about the border dispute on "
        "Thursday, officials in both capitals said in separate statements after the call.</p>"
    )
    page = (
        "<html><head><title>Border talks</title></head><body><article><h1>Border talks</h1>"
        + para * 4
        + "<figure><img src='a.jpg'><figcaption>Foreign Minister Anna Berg met Ivo Petrov "
        "in Oslo on <b>Thursday</b>.</figcaption></figure>"
        + "<figure><figcaption>Photo: Reuters</figcaption></figure>"
        + para
        + "</article></body></html>"
    )
    raw = RawItem(id="h", input="t.html", kind="html", content=page,
                  published=dt.date(2022, 1, 28))  # fmt: skip
    doc = clean_item(raw)
    assert isinstance(doc, Document)
    assert doc.extra[CAPTIONS_KEY] == [
        "Foreign Minister Anna Berg met Ivo Petrov in Oslo on Thursday."
    ]
    assert "Anna Berg" not in doc.text
    out = run(doc)
    (r,) = [r for r in out.extra[CAPTION_EVENTS_KEY] if r["type"] == "CONSULT"]
    assert r["date"] == "2022-01-27" and r["extra"] == {"caption": True}


def test_export_carries_caption_events_with_canonical_actors(tmp_path: Path) -> None:
    """Through `run` and `export`: the caption meeting is in captions.jsonl, not in the
    contract's documents.jsonl; its actors are ids of exported entities, its span cuts the
    caption, and every contract event still indexes the text."""
    import json

    import newsgraph

    ng = newsgraph.open(tmp_path / "c.db")
    assert ng.run([str(SAMPLE / CAPTIONED)]).ok
    ng.export(tmp_path / "out")
    out = tmp_path / "out"
    (row,) = [json.loads(x) for x in (out / "documents.jsonl").open()]
    entities = {e["id"]: e for e in map(json.loads, (out / "entities.jsonl").open())}
    assert all(0 <= e["start"] < e["end"] <= len(row["text"]) for e in row["events"])
    assert "2021-05-19" not in {e["date"] for e in row["events"]}
    (cap_row,) = [json.loads(x) for x in (out / "captions.jsonl").open()]
    assert cap_row["document"] == row["id"]
    (meet,) = [e for e in cap_row["events"] if e["mode"] == "meet"]
    assert meet["date"] == "2021-05-19"
    cap = cap_row["captions"][meet["caption"]]
    assert cap[meet["start"] : meet["end"]].endswith("meeting")
    in_text = {
        entities[m["entity"]]["name"]
        for m in row["mentions"]
        if m["text"] in ("Brinken", "Sergey Lavrov")
    }
    assert {entities[meet["source"]]["name"], entities[meet["target"]]["name"]} == in_text
    assert not any(str(v).startswith("local:") for v in meet.values())


# --- caption events where events are shown: listing, timeline, TSV/PLOVER, tables, report ---


def _captioned(db: str | Path) -> newsgraph.NewsGraph:
    ng = newsgraph.open(db)
    assert ng.run([str(SAMPLE / CAPTIONED)]).ok
    return ng


def test_listing_and_timeline_show_caption_events_with_live_actors(db_url: str) -> None:
    with _captioned(db_url) as ng:
        names = {e.id: e.name for e in ng.store.iter_entities()}
        recs = ng.events()
        caps = [r for r in recs if r.from_caption]
        assert caps and all(not r.from_caption for r in recs if r.caption is None)
        (meet,) = [r for r in caps if r.mode == "meet"]
        assert meet.date == dt.date(2021, 5, 19) and meet.type == "CONSULT"
        assert "Harpa Concert Hall" in meet.text  # the caption, not the article text
        assert {names[meet.source.entity], names[meet.target.entity]} == {
            meet.source.name,
            meet.target.name,
        }
        assert meet.as_dict()["from_caption"] is True
        # The filters apply to caption events as to the text's.
        assert any(r.from_caption for r in ng.events(actor="Lavrov", type="CONSULT"))
        assert not any(r.from_caption for r in ng.events(actor="Zelensky"))
        assert not any(r.from_caption for r in ng.events(since=dt.date(2022, 1, 1)))
        assert not any(r.from_caption for r in ng.events(status=["planned"]))
        assert not any(r.from_caption for r in find_events(ng.store, captions=False))
        # Oldest first in the timeline: the 2021 caption meeting leads.
        first = ng.timeline()[0]
        assert first.from_caption and first.date == dt.date(2021, 5, 19)
        assert first.id.split(":")[1].startswith("c")  # its own numbering, apart from text's
        # Actors follow the live entity map: merge one into another and the caption follows.
        keep, other = meet.source.entity, meet.target.entity
        ng.merge_entities(keep, other)
        (after,) = [r for r in ng.events() if r.from_caption and r.mode == "meet"]
        assert after.target.entity == keep


def test_cli_events_tsv_and_plover_mark_caption_events(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsgraph.cli import app
    from newsgraph.events.formats import TSV_COLUMNS

    db = tmp_path / "c.db"
    _captioned(db).close()
    runner = CliRunner()
    table = runner.invoke(app, ["events", "--db", str(db), "-n", "200"], env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "(photo caption)" in table.output
    lines = runner.invoke(app, ["timeline", "--db", str(db), "--json"]).output.splitlines()
    groups = [json.loads(x) for x in lines]
    assert [g["from_caption"] for g in groups].count(True) >= 1
    assert all(r["from_caption"] == g["from_caption"] for g in groups for r in g["reports"])
    tsv = runner.invoke(app, ["events", "--db", str(db), "-f", "tsv", "-n", "200"]).output
    header, *rows = [x.split("\t") for x in tsv.splitlines()]
    assert header == list(TSV_COLUMNS) and header[-1] == "FromCaption"
    flagged = [r for r in rows if r[-1] == "1"]
    assert flagged and all(r[1] == "20210519" for r in flagged)
    assert {r[-1] for r in rows} == {"0", "1"}
    args = ["events", "--db", str(db), "-f", "plover", "-n", "200"]
    plover = [json.loads(x) for x in runner.invoke(app, args).output.splitlines()]
    cap = [p for p in plover if p["from_caption"]]
    assert cap and all(r["from_caption"] and r["caption"] == 0 for p in cap for r in p["reports"])
    assert all(not r["from_caption"] for p in plover if not p["from_caption"] for r in p["reports"])


def test_event_table_export_has_caption_rows(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    with _captioned(tmp_path / "c.db") as ng:
        ng.export_tables(tmp_path / "t", "parquet")
        ng.export(tmp_path / "j")
        text_events = sum(len(d.events) for d in ng.documents())
    rows = pq.read_table(tmp_path / "t" / "events.parquet").to_pylist()
    assert sum(not r["from_caption"] for r in rows) == text_events
    assert all(r["caption"] is None for r in rows if not r["from_caption"])
    (cap_row,) = [json.loads(x) for x in (tmp_path / "j" / "captions.jsonl").open()]
    caps = [r for r in rows if r["from_caption"]]
    assert len(caps) == len(cap_row["events"])
    for r, ev in zip(caps, cap_row["events"], strict=True):  # the same as captions.jsonl
        assert (r["source"], r["target"], r["caption"], r["start"]) == (
            ev["source"],
            ev["target"],
            ev["caption"],
            ev["start"],
        )
        assert r["date"].isoformat() == ev["date"]


def test_report_timeline_marks_caption_events(tmp_path: Path) -> None:
    from newsgraph.report import render_html, render_markdown

    with _captioned(tmp_path / "c.db") as ng:
        report = ng.report()
    caps = [t for t in report.timeline if t.from_caption]
    assert caps and all(not t.sources and t.captions for t in caps)
    assert all("Harpa Concert Hall" in c.excerpt for t in caps for c in t.captions)
    assert report.timeline[0].from_caption  # 2021: before everything the articles report
    md = render_markdown(report)
    assert "photo caption: “" in md
    page = render_html(report)
    timeline = page.split('<section id="timeline">')[1].split("</section>")[0]
    assert "photo caption: <q" in timeline and "Harpa Concert Hall" in timeline
