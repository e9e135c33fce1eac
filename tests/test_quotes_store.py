"""Quote queries, grouping across outlets, the Python API and the ``quotes`` command,
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsgraph
from newsgraph.cli import app
from newsgraph.store.quotes import name_matches

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"
runner = CliRunner()

# Constructed articles: one statement by one speaker, carried by two outlets in two different
# English renderings; another statement by her in a third outlet; a second speaker.
ARTICLES = [
    {
        "url": "https://north.example/a1",
        "outlet": "North Courier",
        "published": "2023-03-06",
        "title": "Minister rejects partition plan",
        "text": "Foreign Minister Marta Kowalczyk spoke to reporters in Vilnius on Monday.\n\n"
        "“We will never accept a settlement that divides our country, and we expect our "
        "partners to stand firmly with us,” Kowalczyk said.\n\n"
        "The talks are due to resume next week.",
    },
    {
        "url": "https://south.example/b1",
        "outlet": "South Herald",
        "published": "2023-03-07",
        "title": "Kovalchik: no deal that splits the country",
        "text": "The foreign minister, Marta Kovalchik, was in Vilnius for the meeting.\n\n"
        "“We shall never accept a settlement which would divide our country, and we expect "
        "our partners to stand with us firmly,” Kovalchik told journalists.\n\n"
        "Observers said the meeting lasted three hours.",
    },
    {
        "url": "https://east.example/c1",
        "outlet": "East Daily",
        "published": "2023-03-09",
        "title": "Geneva talks useful, minister says",
        "text": "Marta Kowalczyk, the foreign minister, returned from Geneva on Thursday.\n\n"
        "“The talks in Geneva were useful, but the road to a lasting peace is still very "
        "long,” said Kowalczyk. Henrik Dalgaard, the mediator, said the next round would "
        "be held in Oslo in April.\n\n"
        "A senior official said the 50% tariff [red]plan[/red] was dropped.",
    },
]


def _write_articles(tmp_path: Path) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8"
    )
    return path


@pytest.fixture
def constructed(db_url: str, tmp_path: Path) -> str:
    with newsgraph.open(db_url) as ng:
        summary = ng.run([str(_write_articles(tmp_path))])
        assert summary.ok and summary.stored == 3
    return db_url


def test_translations_of_one_statement_are_grouped_and_other_statements_are_not(
    constructed: str,
) -> None:
    with newsgraph.open(constructed) as ng:
        statements = ng.statements(speaker="Kovalczyk")  # yet another spelling
        records = ng.quotes(speaker="Kovalczyk")
    assert len(records) == 3
    # one canonical speaker for all three spellings
    assert len({r.speaker.id for r in records if r.speaker}) == 1
    assert all(r.speaker is not None for r in records)
    by_outlets = {tuple(s.outlets): s for s in statements}
    assert set(by_outlets) == {("North Courier", "South Herald"), ("East Daily",)}
    same = by_outlets[("North Courier", "South Herald")]
    assert {r.published for r in same.reports} == {dt.date(2023, 3, 6), dt.date(2023, 3, 7)}
    assert "settlement" in same.text
    assert "Geneva" in by_outlets[("East Daily",)].text
    # newest statement first
    assert statements[0].outlets == ["East Daily"]


def test_records_carry_exact_spans_and_document_metadata(constructed: str) -> None:
    with newsgraph.open(constructed) as ng:
        records = ng.quotes("Geneva")
        assert len(records) == 1
        r = records[0]
        doc = ng.document(r.document_id)
    assert doc is not None
    assert doc.text[r.start : r.end] == r.text
    assert (r.outlet, r.published, r.url) == ("East Daily", dt.date(2023, 3, 9), doc.url)
    assert r.cue == "say" and r.kind == "direct"
    assert r.speaker is not None and r.speaker_name == r.speaker.name


def test_filters_dates_outlet_and_text(constructed: str) -> None:
    with newsgraph.open(constructed) as ng:
        since = ng.quotes(since=dt.date(2023, 3, 7))
        until = ng.quotes(until=dt.date(2023, 3, 6))
        outlet = ng.quotes(outlet="south herald")
        phrase = ng.quotes('"divide our country"')
        negated = ng.quotes("settlement -shall")
        alternative = ng.quotes("Geneva or shall")
        nothing = ng.quotes("%")
        underscore = ng.quotes("a_b")
    assert since and all(r.published and r.published >= dt.date(2023, 3, 7) for r in since)
    assert until and all(r.published == dt.date(2023, 3, 6) for r in until)
    assert outlet and {r.outlet for r in outlet} == {"South Herald"}
    assert len(phrase) == 1 and phrase[0].outlet == "South Herald"
    assert [r.outlet for r in negated] == ["North Courier"]
    assert {r.outlet for r in alternative} == {"East Daily", "South Herald"}
    assert nothing == [] and underscore == []


def test_anonymous_sources_are_found_by_their_words(constructed: str) -> None:
    with newsgraph.open(constructed) as ng:
        records = ng.quotes(speaker="official")
        named = ng.quotes(speaker="Dalgaard")
    assert records and all(r.speaker is None for r in records)
    assert all("official" in (r.speaker_text or "").lower() for r in records)
    assert named and all(r.speaker and "Dalgaard" in r.speaker.name for r in named)
    assert all("Oslo" in r.text for r in named)


def test_cli_lists_escaped_statements_and_json(constructed: str) -> None:
    res = runner.invoke(app, ["quotes", "--db", constructed, "tariff", "--no-grouped"])
    assert res.exit_code == 0, res.output
    assert "[red]plan[/red]" in res.output  # article text is shown literally, not as markup
    res = runner.invoke(app, ["quotes", "--db", constructed, "--speaker", "Kowalczyk", "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert sorted(len(r["reports"]) for r in rows) == [1, 2]
    assert all(r["speaker_name"] for r in rows)
    res = runner.invoke(app, ["quotes", "--db", constructed, "--no-grouped", "--json", "-n", "2"])
    assert res.exit_code == 0 and len(res.output.splitlines()) == 2
    res = runner.invoke(app, ["quotes", "--db", constructed, "--speaker", "Nobody Atall"])
    assert res.exit_code == 0 and "no quotes" in res.output


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    assert runner.invoke(app, ["quotes", "--db", db, "--since", "2022-13-01"]).exit_code == 2
    bad_range = ["quotes", "--db", db, "--since", "2022-02-01", "--until", "2022-01-01"]
    assert runner.invoke(app, bad_range).exit_code == 2
    assert runner.invoke(app, ["quotes", "--db", db, "--speaker", " "]).exit_code == 2
    help_ = runner.invoke(app, ["quotes", "--help"])
    assert help_.exit_code == 0 and "Example" in help_.output


def test_sample_corpus(db_url: str) -> None:
    with newsgraph.open(db_url) as ng:
        assert ng.run([str(SAMPLE)]).ok
        mangled = ng.quotes(speaker="Brinken", limit=None)
        ids = {r.speaker.id for r in mangled if r.speaker}
        outlets = {r.outlet for r in mangled}
        dated = ng.quotes(since=dt.date(2022, 1, 1), limit=None)
        everything = ng.quotes(limit=None)
        statements = ng.statements(speaker="Blinken", limit=None)
        anonymous = ng.quotes(speaker="State Department official", limit=None)
        by_role = ng.quotes(speaker="secretary of state", limit=None)
    # a mangled spelling finds the canonical speaker, quoted by several outlets
    assert len(ids) == 1 and all(r.speaker for r in mangled)
    assert "Blinken" in mangled[0].speaker.name  # type: ignore[union-attr]
    assert {"Reuters", "Time.news", "POLITICO.eu"} <= outlets
    assert dated and len(dated) < len(everything)
    assert all(r.published and r.published >= dt.date(2022, 1, 1) for r in dated)
    # undated documents come after dated ones
    assert everything[0].published is not None and everything[-1].published is None
    # the written-response statement, carried by two documents in two translations
    multi = [s for s in statements if len({r.document_id for r in s.reports}) > 1]
    assert any("serious diplomatic" in s.text for s in multi)
    assert sum(len(s.reports) for s in statements) == len(mangled)
    assert anonymous and all(r.speaker is None for r in anonymous)
    # a role the articles gave an entity finds that entity's quotes
    assert ids <= {r.speaker.id for r in by_role if r.speaker}


@pytest.mark.parametrize(
    ("query", "candidate", "person", "expected"),
    [
        ("Brinken", "Antony Blinken", True, True),
        ("Anthony Blinken", "Antony Blinken", True, True),
        ("Lawrow", "Sergei Lavrov", True, True),
        ("Culeba", "Dmytro Kuleba", True, True),
        ("Lavrov", "Antony Blinken", True, False),
        ("John Smith", "Jane Smith", True, False),
        ("State Department", "US State Department", False, True),
        ("Defense Department", "US State Department", False, False),
        ("Department", "US State Department", False, True),
        ("official", "a senior State Department official", None, True),
        ("Smith", "a senior State Department official", None, False),
    ],
)
def test_name_matches(query: str, candidate: str, person: bool | None, expected: bool) -> None:
    assert name_matches(query, candidate, person=person) is expected
