"""Events through the pipeline into the store: grouping across outlets, queries, CLI, exports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsgraph
from newsgraph.cli import app
from newsgraph.events.formats import TSV_COLUMNS

ARTICLES = [
    {
        "outlet": "Alpha News",
        "published": "2022-03-04",
        "url": "https://alpha.example/1",
        "title": "Iberian ministers meet",
        "text": "Spanish Foreign Minister Ana Costa met Portuguese Foreign Minister Luis Pardo "
        "in Lisbon on Thursday. Costa said the talks were useful and that both countries "
        "would cooperate on fishing rights.",
    },
    {
        "outlet": "Beta Wire",
        "published": "2022-03-03",
        "url": "https://beta.example/2",
        "title": "Costa in Lisbon",
        "text": "Spanish Foreign Minister Ana Costa held talks with her Portuguese counterpart "
        "Luis Pardo in Lisbon on Thursday, officials said.",
    },
    {
        "outlet": "[b]G[/b]",
        "published": "2022-03-05",
        "url": "https://gamma.example/3",
        "title": "Next stop Rome",
        "text": "Spanish Foreign Minister Ana Kosta met Luis Pardo on March 3 in Lisbon. "
        "Kosta will visit Rome next week.",
    },
]


@pytest.fixture
def ng_db(db_url: str, tmp_path: Path) -> str:
    src = tmp_path / "articles.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", "utf-8")
    with newsgraph.open(db_url) as ng:
        summary = ng.run([str(src)])
        assert summary.ok and summary.stored == 3
    return db_url


def test_one_meeting_reported_by_three_outlets_is_one_event(ng_db: str) -> None:
    with newsgraph.open(ng_db) as ng:
        reports = ng.events(type="CONSULT", status=["occurred"])
        groups = ng.event_groups(type="CONSULT", status=["occurred"])
    assert len(reports) >= 3
    meeting = [g for g in groups if len(g.reports) == 3]
    assert len(meeting) == 1, [(g.source.name, g.target.name, g.date) for g in groups]
    g = meeting[0]
    assert g.date == dt.date(2022, 3, 3)
    assert {g.source.name, g.target.name} == {"Ana Costa", "Luis Pardo"}
    assert g.location.name == "Lisbon" and g.coordinates is not None
    assert len(g.outlets) == 3
    # Every report keeps its provenance: document, outlet and the span it came from.
    for r in g.reports:
        assert r.url and r.outlet and r.end > r.start and r.text


def test_actor_filter_any_spelling_and_type_and_dates(ng_db: str) -> None:
    with newsgraph.open(ng_db) as ng:
        by_actor = ng.event_groups(actor="Kosta")
        assert by_actor and all(
            "Costa" in (g.source.name or "") + (g.target.name or "") for g in by_actor
        )
        assert ng.event_groups(actor="Nobody Atall") == []
        assert ng.event_groups(type="ASSAULT") == []
        assert ng.event_groups(since=dt.date(2022, 3, 4), until=dt.date(2022, 3, 4)) == [] or all(
            g.date in (None, dt.date(2022, 3, 4))
            for g in ng.event_groups(since=dt.date(2022, 3, 4))
        )
        with pytest.raises(ValueError):
            ng.event_groups(type="NOT_A_TYPE")
        line = ng.timeline(actor="Costa")
    assert [g.date for g in line] == sorted(g.date for g in line)
    assert all(g.status in {"occurred", "planned"} for g in line)


def test_cli_events_table_json_tsv_plover_and_timeline(ng_db: str) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["events", "--db", ng_db, "--type", "consult", "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert any(len(r["reports"]) == 3 for r in rows)

    res = runner.invoke(app, ["events", "--db", ng_db, "--format", "tsv"])
    lines = res.output.splitlines()
    assert lines[0].split("\t") == list(TSV_COLUMNS)
    assert all(len(x.split("\t")) == len(TSV_COLUMNS) for x in lines[1:])
    assert any("20220303" in x and "ESP" in x and "PRT" in x for x in lines[1:])

    res = runner.invoke(app, ["events", "--db", ng_db, "--format", "plover", "-t", "CONSULT"])
    recs = [json.loads(x) for x in res.output.splitlines()]
    assert recs and {"id", "date", "event", "source", "target", "eventLoc"} <= set(recs[0])

    res = runner.invoke(
        app, ["timeline", "--db", ng_db, "--actor", "Pardo"], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0 and "2022-03-03" in res.output
    assert "[b]G[/b]" in res.output  # an outlet's markup-like name is shown as text

    assert runner.invoke(app, ["events", "--db", ng_db, "--type", "BOGUS"]).exit_code == 2
    assert runner.invoke(app, ["events", "--db", ng_db, "--status", "maybe"]).exit_code == 2
    bad = runner.invoke(app, ["timeline", "--db", ng_db, "--since", "2022-03-05",
                              "--until", "2022-03-01"])  # fmt: skip
    assert bad.exit_code == 2
    for cmd in ("events", "timeline"):
        assert runner.invoke(app, [cmd, "--help"]).exit_code == 0


def test_export_contract_has_canonical_event_ids(ng_db: str, tmp_path: Path) -> None:
    with newsgraph.open(ng_db) as ng:
        ng.export(tmp_path / "out")
        ids = {e.id for e in ng.entities()}
    docs = [json.loads(x) for x in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()]
    evs = [e for d in docs for e in d["events"]]
    assert evs
    for e in evs:
        assert set(e) == {"type", "mode", "source", "target", "date", "location", "status",
                          "start", "end"}  # fmt: skip
        for k in ("source", "target", "location"):
            assert e[k] is None or e[k] in ids  # local keys were mapped to canonical ids
