"""Report model and Markdown: built from constructed documents stored via write_batch."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from newsgraph.model import Document, Event, Mention
from newsgraph.report import (
    Selection,
    SelectionError,
    SourceRef,
    TimelineEntry,
    build_report,
    render_markdown,
)
from newsgraph.report.discrepancies import event_discrepancies, number_discrepancies
from newsgraph.report.quantities import extract_quantities, parse_value
from newsgraph.report.roles import mention_roles
from newsgraph.store import Store
from test_report_fixtures import HOSTILE_QUOTE, HOSTILE_TITLE, fill


def _resolve(docs_by_id: dict, ref) -> str:
    doc = docs_by_id[ref.document]
    text = doc.title if ref.field == "title" else doc.text
    return text[ref.start : ref.end]


def test_report_sections_from_stored_facts(store: Store) -> None:
    docs = fill(store)
    by_id = {d.id: d for d in docs}
    r = build_report(store)
    assert [a.id for a in r.articles] == ["doc_a", "doc_b", "doc_c"]  # chronological
    assert r.period == (dt.date(2022, 1, 11), dt.date(2022, 1, 13))
    names = [a.name for a in r.actors]
    assert names[0] in ("Mary Smith", "Ivan Petrov")
    assert "Ivan Petrov" in names and "Russia" in names

    # One meeting reported by two outlets is one timeline entry with both sources.
    consult = [t for t in r.timeline if t.type == "CONSULT"]
    assert len(consult) == 1
    assert consult[0].source == "Ivan Petrov" and consult[0].target == "Mary Smith"
    assert consult[0].location == "Geneva"
    assert {s.document for s in consult[0].sources} == {"doc_a", "doc_b"}
    assert consult[0].date == dt.date(2022, 1, 10)
    # the troop movement: two entries (the articles disagree on its date)
    assert [t.date for t in r.timeline if t.type == "MOBILIZE"] == [
        dt.date(2022, 1, 8),
        dt.date(2022, 1, 9),
    ]

    # The same statement in two outlets is one statement carried by both.
    petrov = next(a for a in r.actors if a.name == "Ivan Petrov")
    grouped = [s for s in petrov.statements if len(s.sources) == 2]
    assert len(grouped) == 1 and grouped[0].outlets == ["Alpha News", "Beta Wire"]
    roles = {c.role for c in petrov.roles}
    assert roles == {"Russian Foreign Minister", "US Foreign Minister"}

    # Positions: the REQUEST event and the "demand" quote, with dates.
    demands = [p for p in r.positions if p.actor == "Ivan Petrov" and p.kind == "REQUEST"]
    assert demands and all(p.first == dt.date(2022, 1, 10) or p.first for p in demands)
    assert any("security guarantees" in p.text for p in demands)

    # Every source reference resolves to the text it quotes.
    refs = [s for t in r.timeline for s in t.sources]
    refs += [s for a in r.actors for st in a.statements for s in st.sources]
    refs += [s for a in r.actors for c in a.roles for s in c.sources]
    refs += [s for p in r.positions for s in p.sources]
    refs += [s for d in r.discrepancies for c in d.claims for s in c.sources]
    assert len(refs) > 10
    for ref in refs:
        assert _resolve(by_id, ref) == ref.excerpt and ref.excerpt


def test_discrepancies_numbers_roles_dates(store: Store) -> None:
    fill(store)
    r = build_report(store)
    kinds = {d.kind: d for d in r.discrepancies}
    num = kinds["number"]
    assert num.subject == "military personnel"
    values = {c.value: c.sources[0].document for c in num.claims}
    assert values == {"tens of thousands of troops": "doc_a", "more than 90,000 soldiers": "doc_b"}
    role = kinds["role"]
    assert role.subject == "Ivan Petrov"
    assert {c.detail for c in role.claims} == {"country RU", "country US"}
    date = kinds["date"]
    assert date.subject == "MOBILIZE Russia → Ukraine"
    assert [c.value for c in date.claims] == ["2022-01-08", "2022-01-09"]
    assert [c.sources[0].document for c in date.claims] == ["doc_a", "doc_b"]


def test_selection_story_entity_dates_query(store: Store) -> None:
    fill(store, story="s1")
    assert [a.id for a in build_report(store, Selection(story="s1")).articles] == ["doc_a", "doc_b"]
    r = build_report(store, Selection(entity="smith"))  # alias, any case
    assert [a.id for a in r.articles] == ["doc_a", "doc_b", "doc_c"]
    r = build_report(store, Selection(entity="Petrov", since=dt.date(2022, 1, 12)))
    assert [a.id for a in r.articles] == ["doc_b"]
    r = build_report(store, Selection(until=dt.date(2022, 1, 11)))
    assert [a.id for a in r.articles] == ["doc_a"]
    r = build_report(store, Selection(query="soldiers"))
    assert [a.id for a in r.articles] == ["doc_b"]
    r = build_report(store, Selection(limit=1))
    assert [a.id for a in r.articles] == ["doc_c"] and "3 documents matched" in r.notes[0]
    with pytest.raises(SelectionError):
        build_report(store, Selection(story="nope"))
    with pytest.raises(SelectionError):
        build_report(store, Selection(entity="Nobody Known"))


def test_markdown_links_every_fact_to_its_span(store: Store) -> None:
    docs = fill(store)
    by_id = {d.id: d for d in docs}
    text = render_markdown(build_report(store))
    for section in ("## Timeline", "## Key actors", "## Positions", "## Discrepancies",
                    "## Outlets and articles", "## Sources"):  # fmt: skip
        assert section in text
    notes = dict(re.findall(r"^\[\^(\d+)\]: .*?\(documents/(\S+?)\)", text, flags=re.M))
    assert notes
    # every footnote used in the body has a definition, and each points at a real span
    used = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    assert used == set(notes)
    for target in notes.values():
        doc_id, anchor = target.split("#")
        field, _, span = anchor.rpartition(":")
        start, end = map(int, span.split("-"))
        source = by_id[doc_id].title if field == "title" else by_id[doc_id].text
        assert 0 <= start < end <= len(source)
    assert "tens of thousands of troops" in text and "more than 90,000 soldiers" in text


def test_markdown_escapes_hostile_text(store: Store) -> None:
    fill(store)
    text = render_markdown(build_report(store))
    assert re.search(r"(?<!\\)[<>]", text) is None  # no raw angle bracket anywhere
    assert r"\<script\>alert" in text  # shown as text, inert
    assert r"\<img src=x onerror=alert(1)\>" in text
    assert HOSTILE_TITLE not in text and HOSTILE_QUOTE not in text


def _entry(date, docs, statuses=None, source="A", target="B", type_="CONSULT"):
    refs = [SourceRef(d, 0, 4, "Talk", outlet=d, published=dt.date(2022, 1, 3)) for d in docs]
    dates = date if isinstance(date, list) else [date] * len(docs)
    return TimelineEntry(
        date=dates[0], type=type_, mode=None, source=source, target=target, location=None,
        status="occurred", sources=refs, dates=sorted({d for d in dates if d}),
        source_dates=dates, source_statuses=statuses or ["occurred"] * len(docs),
    )  # fmt: skip


def test_event_discrepancies_dates_and_status() -> None:
    d1, d2, d6 = dt.date(2022, 1, 1), dt.date(2022, 1, 2), dt.date(2022, 1, 6)
    # one grouped entry whose articles give different dates
    found = event_discrepancies([_entry([d1, d2], ["x", "y"])])
    assert [(f.kind, [c.value for c in f.claims]) for f in found] == [
        ("date", ["2022-01-01", "2022-01-02"])
    ]
    # two entries differing only by a date one day apart, from different articles
    found = event_discrepancies([_entry(d1, ["x"]), _entry(d2, ["y"])])
    assert [f.kind for f in found] == ["date"]
    # ... but not five days apart, not from the same article, not for other actors
    assert event_discrepancies([_entry(d1, ["x"]), _entry(d6, ["y"])]) == []
    assert event_discrepancies([_entry(d1, ["x"]), _entry(d2, ["x"])]) == []
    assert event_discrepancies([_entry(d1, ["x"]), _entry(d2, ["y"], target="C")]) == []
    # happened in one article, denied in another
    found = event_discrepancies([_entry(d1, ["x", "y"], ["occurred", "denied"])])
    assert [(f.kind, [c.value for c in f.claims]) for f in found] == [
        ("status", ["occurred", "denied"])
    ]
    assert event_discrepancies([_entry(d1, ["x", "x"], ["occurred", "denied"])]) == []


def test_number_normalisation() -> None:
    inf = float("inf")
    assert parse_value("more than 90,000") == (90_000, inf)
    assert parse_value("tens of thousands") == (20_000, 99_999)
    assert parse_value("more than 100 thousand") == (100_000, inf)
    assert parse_value("about 1.5 million") == pytest.approx((1_350_000, 1_650_000))
    assert parse_value("up to 3,000") == (0, 3_000)
    assert parse_value("twenty-five") == (25, 25)
    assert parse_value("hundreds") == (200, 999)
    assert parse_value("half a million") == (500_000, 500_000)
    assert parse_value("Nearly half a million") == (450_000, 500_000)
    assert parse_value("several") is None


def test_headline_roles_without_parsing() -> None:
    text = "Ivan Petrov spoke to reporters."
    doc = Document(
        id="h1", input="h.txt", title="Talks end, says US Foreign Minister Ivan Petrov", text=text,
        extra={
            "local_entities": [{"key": "local:0", "type": "PERSON", "name": "Ivan Petrov",
                                "family": {"Petrov": 1}, "given": {"Ivan": 1}, "roles": []}],
            "entity_map": {"local:0": "e_petrov"},
        },
    )  # fmt: skip
    roles = mention_roles([doc])["e_petrov"]
    assert [(r.text, r.head, r.country, r.ref.field) for r in roles] == [
        ("US Foreign Minister", "foreign minister", "US", "title")
    ]
    assert doc.title[roles[0].ref.start : roles[0].ref.end] == "US Foreign Minister"
    # a name the article does not know, or no role before the name: nothing
    doc.title = "Talks end, says US Foreign Minister Karl Other"
    assert mention_roles([doc]) == {}
    doc.title = "Petrov says talks end"
    assert mention_roles([doc]) == {}


def _numbers_doc(doc_id: str, text: str, published: dt.date) -> Document:
    mentions = [
        Mention(start=m.start(), end=m.end(), text=m.group(), label="GPE", entity=f"e_{m.group()}")
        for m in re.finditer(r"Russia|Ukraine", text)
    ]
    return Document(id=doc_id, input=f"{doc_id}.txt", text=text, published=published,
                    mentions=mentions, outlet=doc_id)  # fmt: skip


def test_number_discrepancy_needs_same_thing_and_time() -> None:
    jan1, jan3, feb20 = dt.date(2022, 1, 1), dt.date(2022, 1, 3), dt.date(2022, 2, 20)
    a = _numbers_doc("a", "Russia has moved 100,000 troops to the border of Ukraine.", jan1)
    b = _numbers_doc("b", "Officials said Russia had massed 130,000 soldiers near Ukraine.", jan3)
    found = number_discrepancies([a, b])
    assert len(found) == 1 and found[0].subject == "military personnel"
    assert [c.value for c in found[0].claims] == ["100,000 troops", "130,000 soldiers"]
    # weeks apart: the count may really have changed
    late = _numbers_doc("c", "Russia had massed 150,000 soldiers near Ukraine.", feb20)
    assert number_discrepancies([a, late]) == []
    # other things counted, or units of time, are not compared
    c = _numbers_doc("d", "Russia has sent 300 tanks to Ukraine.", jan3)
    assert number_discrepancies([a, c]) == []
    d1 = _numbers_doc("e", "Russia and Ukraine held talks in 3 rounds.", jan1)
    d2 = _numbers_doc("f", "Russia and Ukraine held talks in 5 rounds.", jan3)
    assert {q.noun for q in extract_quantities([d1, d2])} == set()  # "round" counts occasions
    assert number_discrepancies([d1, d2]) == []


def test_undated_events_sit_at_the_day_they_were_reported(store: Store) -> None:
    """No date in the text: the timeline places the event at its first report's publication
    date and says so, rather than piling every undated event at the end."""

    def doc(i: str, published: dt.date, text: str, events: list[tuple[str, dt.date | None]]):
        evs = []
        for phrase, date in events:
            s = text.index(phrase)
            evs.append(
                Event(type="CONSULT", date=date, status="occurred", start=s, end=s + len(phrase))
            )
        return Document(id=i, input="t", text=text, published=published, events=evs)

    store.write_batch(
        [
            doc(
                "u1",
                dt.date(2022, 1, 5),
                "The envoys held talks in Vienna.",
                [("held talks in Vienna", None)],
            ),
            doc(
                "u2",
                dt.date(2022, 1, 3),
                "The ministers spoke by phone. They meet on Friday.",
                [("spoke by phone", None), ("meet on Friday", dt.date(2022, 1, 7))],
            ),
        ]
    )
    r = build_report(store)
    got = [(t.date, t.reported) for t in r.timeline]
    assert got == [
        (None, dt.date(2022, 1, 3)),
        (None, dt.date(2022, 1, 5)),
        (dt.date(2022, 1, 7), dt.date(2022, 1, 3)),
    ]
    text = render_markdown(r)
    assert "**undated, reported 2022-01-03**" in text and "**2022-01-07**" in text
