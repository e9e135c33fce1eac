"""Tabular exports beside the JSONL contract: Parquet and CSV, one file per table.

Tables and their columns (stable; extend, do not rename — docs/report.md lists them):

- ``documents``: id, input, url, outlet, title, authors, published, language, text,
  duplicate_of, story
- ``mentions``: document_id, ordinal, start, end, text, label, entity
- ``quotes``: document_id, ordinal, start, end, text, kind, cue, speaker, speaker_text
- ``events``: document_id, ordinal, type, mode, source, target, date, location, status,
  start, end, from_caption, caption
- ``entities``: id, name, type, aliases, roles, wikidata
- ``stories``: id, title, documents, first_seen, last_seen

Offsets index the document's ``text`` as in the JSONL contract; ``ordinal`` is the position
of the item in the document's list in ``documents.jsonl``. Events told only in a photo caption
(``captions.jsonl``) are rows with ``from_caption`` true: ``caption`` is the caption's index,
``ordinal`` counts the document's caption events and ``start``/``end`` index that caption.
Parquet keeps types (dates as date32, lists as list<string>); CSV writes dates as
YYYY-MM-DD, lists as JSON arrays and nulls as empty fields. Rows are streamed in batches, so
memory does not grow with the store.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.atomic import temp_beside
from newsgraph.model import Document
from newsgraph.store import Store

TableFormat = Literal["parquet", "csv"]
FORMATS: tuple[TableFormat, ...] = ("parquet", "csv")

_S, _I, _D = pa.string(), pa.int64(), pa.date32()
_LIST = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [("id", _S), ("input", _S), ("url", _S), ("outlet", _S), ("title", _S),
         ("authors", _LIST), ("published", _D), ("language", _S), ("text", _S),
         ("duplicate_of", _S), ("story", _S)]
    ),
    "mentions": pa.schema(
        [("document_id", _S), ("ordinal", _I), ("start", _I), ("end", _I), ("text", _S),
         ("label", _S), ("entity", _S)]
    ),
    "quotes": pa.schema(
        [("document_id", _S), ("ordinal", _I), ("start", _I), ("end", _I), ("text", _S),
         ("kind", _S), ("cue", _S), ("speaker", _S), ("speaker_text", _S)]
    ),
    "events": pa.schema(
        [("document_id", _S), ("ordinal", _I), ("type", _S), ("mode", _S), ("source", _S),
         ("target", _S), ("date", _D), ("location", _S), ("status", _S), ("start", _I),
         ("end", _I), ("from_caption", pa.bool_()), ("caption", _I)]
    ),
    "entities": pa.schema(
        [("id", _S), ("name", _S), ("type", _S), ("aliases", _LIST), ("roles", _LIST),
         ("wikidata", _S)]
    ),
    "stories": pa.schema(
        [("id", _S), ("title", _S), ("documents", _LIST), ("first_seen", _D),
         ("last_seen", _D)]
    ),
}  # fmt: skip
DOCUMENT_TABLES = ("documents", "mentions", "quotes", "events")


@dataclass(frozen=True)
class TableExportSummary:
    directory: Path
    format: str
    rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def _document_rows(doc: Document) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {
        "documents": [
            {
                "id": doc.id, "input": doc.input, "url": doc.url, "outlet": doc.outlet,
                "title": doc.title, "authors": list(doc.authors), "published": doc.published,
                "language": doc.language, "text": doc.text, "duplicate_of": doc.duplicate_of,
                "story": doc.story,
            }
        ]
    }  # fmt: skip
    for name in ("mentions", "quotes", "events"):
        rows[name] = [
            {"document_id": doc.id, "ordinal": n, **item.model_dump()}
            for n, item in enumerate(getattr(doc, name))
        ]
    rows["events"] = [{**r, "from_caption": False, "caption": None} for r in rows["events"]]
    rows["events"] += _caption_rows(doc)
    return rows


def _caption_rows(doc: Document) -> list[dict[str, Any]]:
    """The document's photo-caption events, actors resolved as in ``captions.jsonl``."""
    found = doc.caption_dict()
    if found is None:
        return []
    out = []
    for n, ev in enumerate(found["events"]):
        day = ev.get("date")
        try:
            when = dt.date.fromisoformat(day) if isinstance(day, str) else None
        except ValueError:
            when = None
        out.append(
            {"document_id": doc.id, "ordinal": n, "type": ev.get("type"), "mode": ev.get("mode"),
             "source": ev.get("source"), "target": ev.get("target"), "date": when,
             "location": ev.get("location"), "status": ev.get("status"),
             "start": ev.get("start"), "end": ev.get("end"), "from_caption": True,
             "caption": ev.get("caption")}
        )  # fmt: skip
    return out


class _Sink:
    """One output table: a Parquet writer or a CSV writer, writing to a temp file."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: TableFormat) -> None:
        self.path, self.schema, self.fmt = path, schema, fmt
        fd, self.tmp = temp_beside(path)
        self.rows = 0
        self._pq: pq.ParquetWriter | None = None
        self._fh: Any = None
        if fmt == "parquet":
            os.close(fd)
            self._pq = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        else:
            self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._csv = csv.writer(self._fh)
            self._csv.writerow(schema.names)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        if self._pq is not None:
            self._pq.write_table(pa.Table.from_pylist(rows, schema=self.schema))
            return
        for r in rows:
            self._csv.writerow([_csv_cell(r.get(c)) for c in self.schema.names])

    def close(self, ok: bool) -> None:
        if self._pq is not None:
            self._pq.close()
        if self._fh is not None:
            self._fh.close()
        if ok:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _write_tables(
    out: Path,
    fmt: TableFormat,
    names: Iterable[str],
    batches: Iterator[dict[str, list[dict[str, Any]]]],
) -> dict[str, int]:
    sinks = {n: _Sink(out / f"{n}.{fmt}", SCHEMAS[n], fmt) for n in names}
    ok = False
    try:
        for batch in batches:
            for name, rows in batch.items():
                sinks[name].write(rows)
        ok = True
    finally:
        for s in sinks.values():
            s.close(ok)
    return {n: s.rows for n, s in sinks.items()}


def _batched(
    items: Iterable[Any], to_rows: Callable[[Any], dict[str, list[dict[str, Any]]]], size: int
) -> Iterator[dict[str, list[dict[str, Any]]]]:
    batch: dict[str, list[dict[str, Any]]] = {}
    n = 0
    for item in items:
        for name, rows in to_rows(item).items():
            batch.setdefault(name, []).extend(rows)
        n += 1
        if n >= size:
            yield batch
            batch, n = {}, 0
    if batch:
        yield batch


def export_tables(
    store: Store, out_dir: str | os.PathLike[str], fmt: TableFormat, *, batch_size: int = 500
) -> TableExportSummary:
    """Write documents, mentions, quotes, events, entities and stories tables into ``out_dir``.

    ``batch_size`` documents (or entities, stories) are converted and written at a time; each
    batch becomes a Parquet row group. Files appear only when complete.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    size = max(1, batch_size)
    rows = _write_tables(
        out, fmt, DOCUMENT_TABLES,
        _batched(store.iter_documents(batch_size=size), _document_rows, size),
    )  # fmt: skip
    rows |= _write_tables(
        out, fmt, ["entities"],
        _batched(store.iter_entities(batch_size=size),
                 lambda e: {"entities": [e.model_dump()]}, size),
    )  # fmt: skip
    rows |= _write_tables(
        out, fmt, ["stories"],
        _batched(store.iter_stories(batch_size=size),
                 lambda s: {"stories": [s.model_dump()]}, size),
    )  # fmt: skip
    return TableExportSummary(out, fmt, rows, [out / f"{n}.{fmt}" for n in SCHEMAS])
