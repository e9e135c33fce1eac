"""Making source references: the exact article span behind each fact."""

from __future__ import annotations

import datetime as dt

from newsgraph.model import Document
from newsgraph.report.model import SourceRef, SpanField


def span_ref(doc: Document, start: int, end: int, field: SpanField = "text") -> SourceRef:
    """A reference to ``doc.text[start:end]`` (or the title's), clamped to the text."""
    text = (doc.title or "") if field == "title" else doc.text
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return SourceRef(
        document=doc.id,
        start=start,
        end=end,
        excerpt=text[start:end],
        outlet=doc.outlet,
        published=doc.published,
        title=doc.title,
        field=field,
    )


def source_date(ref: SourceRef, fact_date: dt.date | None = None) -> dt.date | None:
    """The date a fact was reported: its own date when known, else the article's."""
    return fact_date or ref.published


def dedupe(refs: list[SourceRef]) -> list[SourceRef]:
    """Drop repeated spans, keep order."""
    seen: set[tuple[str, str, int, int]] = set()
    out = []
    for r in refs:
        key = (r.document, r.field, r.start, r.end)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
