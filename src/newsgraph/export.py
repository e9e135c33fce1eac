"""The export contract (DESIGN.md): documents.jsonl, entities.jsonl, stories.jsonl."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.atomic import atomic_output
from newsgraph.store import Store


@dataclass(frozen=True)
class ExportSummary:
    directory: Path
    documents: int
    entities: int
    stories: int


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write atomically: readers never see a half-written export."""
    n = 0
    with atomic_output(path) as (fd, _tmp), os.fdopen(fd, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str))
            fh.write("\n")
            n += 1
    return n


def export_store(store: Store, out_dir: str | os.PathLike[str]) -> ExportSummary:
    """Write the store's documents, entities and stories as JSON Lines into ``out_dir``.

    ``captions.jsonl`` is written beside the contract's three files: events reported only in
    photo captions, which the contract's ``documents.jsonl`` cannot hold (its offsets index
    ``text``, and cleaning removes captions from it)."""
    out = Path(out_dir)
    captions: list[dict[str, Any]] = []

    def rows() -> Iterator[dict[str, Any]]:
        for d in store.iter_documents():
            if (c := d.caption_dict()) is not None:
                captions.append(c)
            yield d.export_dict()

    docs = _write_jsonl(out / "documents.jsonl", rows())
    _write_jsonl(out / "captions.jsonl", captions)
    ents = _write_jsonl(out / "entities.jsonl", (e.model_dump() for e in store.iter_entities()))
    stories = _write_jsonl(
        out / "stories.jsonl", (s.model_dump(mode="json") for s in store.iter_stories())
    )
    return ExportSummary(out, docs, ents, stories)
