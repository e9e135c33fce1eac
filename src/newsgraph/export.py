"""The export contract (DESIGN.md): documents.jsonl, entities.jsonl, stories.jsonl."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.store import Store


@dataclass(frozen=True)
class ExportSummary:
    directory: Path
    documents: int
    entities: int
    stories: int


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write atomically: readers never see a half-written export."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, default=str))
                fh.write("\n")
                n += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def export_store(store: Store, out_dir: str | os.PathLike[str]) -> ExportSummary:
    """Write the store's documents, entities and stories as JSON Lines into ``out_dir``."""
    out = Path(out_dir)
    docs = _write_jsonl(out / "documents.jsonl", (d.export_dict() for d in store.iter_documents()))
    ents = _write_jsonl(out / "entities.jsonl", (e.model_dump() for e in store.iter_entities()))
    stories = _write_jsonl(
        out / "stories.jsonl", (s.model_dump(mode="json") for s in store.iter_stories())
    )
    return ExportSummary(out, docs, ents, stories)
