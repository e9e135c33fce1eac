"""Photo captions: kept by cleaning as metadata, coded by the event stage apart from the text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsgraph.clean.document import clean_item
from newsgraph.clean.scrape import clean_scrape
from newsgraph.entities import annotate_entities
from newsgraph.events import extract_events
from newsgraph.events.captions import CAPTION_EVENTS_KEY, CAPTIONS_KEY, code_captions
from newsgraph.events.extract import DETAILS_KEY, META_KEY
from newsgraph.ingest import read_inputs
from newsgraph.model import Document
from newsgraph.nlp import load_nlp

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
