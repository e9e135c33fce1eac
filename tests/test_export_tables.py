"""Parquet and CSV exports read back and compared with the JSONL export of the same store."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.export import export_store
from newsgraph.export_tables import SCHEMAS, export_tables
from newsgraph.model import Story
from newsgraph.store import Store
from test_report_fixtures import fill

LISTS = {"authors", "aliases", "roles", "documents"}
INTS = {"ordinal", "start", "end"}


def _jsonl(store: Store, tmp: Path) -> dict[str, list[dict[str, Any]]]:
    export_store(store, tmp / "jsonl")
    return {
        n: [json.loads(line) for line in (tmp / "jsonl" / f"{n}.jsonl").open(encoding="utf-8")]
        for n in ("documents", "entities", "stories")
    }


def _expected(j: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The JSONL export flattened into the table layout."""
    out: dict[str, list[dict[str, Any]]] = {"documents": [], "mentions": [], "quotes": [],
                                           "events": []}  # fmt: skip
    for d in j["documents"]:
        out["documents"].append({c: d[c] for c in SCHEMAS["documents"].names})
        for name in ("mentions", "quotes", "events"):
            for n, item in enumerate(d[name]):
                out[name].append({"document_id": d["id"], "ordinal": n, **item})
                if name == "events":  # told in the text (caption events: test_events_captions)
                    out[name][-1] |= {"from_caption": False, "caption": None}
    out["entities"] = j["entities"]
    out["stories"] = j["stories"]
    return out


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _prepare(store: Store) -> None:
    fill(store, story="s1")
    store.upsert_stories(
        [Story(id="s1", title="Talks <b>in</b> Geneva", documents=["doc_a", "doc_b"])]
    )


def test_parquet_matches_jsonl(store: Store, tmp_path: Path) -> None:
    _prepare(store)
    expected = _expected(_jsonl(store, tmp_path))
    summary = export_tables(store, tmp_path / "pq", "parquet", batch_size=1)
    assert summary.rows["documents"] == 3 and summary.rows["mentions"] == 15
    for name, schema in SCHEMAS.items():
        f = pq.ParquetFile(tmp_path / "pq" / f"{name}.parquet")
        assert f.schema_arrow == schema  # stable names and types
        rows = [{k: _iso(v) for k, v in r.items()} for r in f.read().to_pylist()]
        want = [{c: r.get(c) for c in schema.names} for r in expected[name]]
        assert rows == want, name
    # one row group per batch: the writer streamed, it did not collect the store first
    assert pq.ParquetFile(tmp_path / "pq" / "documents.parquet").num_row_groups == 3


def test_csv_matches_jsonl(store: Store, tmp_path: Path) -> None:
    _prepare(store)
    expected = _expected(_jsonl(store, tmp_path))
    export_tables(store, tmp_path / "csv", "csv", batch_size=2)
    for name, schema in SCHEMAS.items():
        with (tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == schema.names
            rows = list(reader)
        want = [{c: r.get(c) for c in schema.names} for r in expected[name]]
        got = []
        for r in rows:
            row: dict[str, Any] = {}
            for c, v in r.items():
                if c in LISTS:
                    row[c] = json.loads(v)
                elif c in INTS:
                    row[c] = int(v)
                elif c == "from_caption":
                    row[c] = {"true": True, "false": False}[v]
                elif c == "caption":
                    row[c] = int(v) if v else None
                else:
                    row[c] = v if v != "" else None
            got.append(row)
        assert got == want, name
    # article text with newlines, quotes and commas survives the round trip
    with (tmp_path / "csv" / "documents.csv").open(encoding="utf-8", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    assert texts == [d["text"] for d in expected["documents"]]


def test_export_cli_formats(store: Store, db_url: str, tmp_path: Path) -> None:
    _prepare(store)
    url = db_url
    runner = CliRunner()
    for fmt in ("parquet", "csv"):
        res = runner.invoke(
            app, ["export", "--db", url, "--format", fmt, "--out", str(tmp_path / fmt)]
        )
        assert res.exit_code == 0, res.output
        assert sorted(p.name for p in (tmp_path / fmt).iterdir()) == sorted(
            f"{n}.{fmt}" for n in SCHEMAS
        )
    res = runner.invoke(app, ["export", "--db", url, "--out", str(tmp_path / "j")])
    assert res.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "j").iterdir()) == [
        "captions.jsonl", "documents.jsonl", "entities.jsonl", "stories.jsonl"
    ]  # fmt: skip
    res = runner.invoke(app, ["export", "--db", url, "--format", "xml", "--out", str(tmp_path)])
    assert res.exit_code == 2
