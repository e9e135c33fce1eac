"""Numbered source notes shared by the renderers: one number per distinct article span."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from newsgraph.report.model import SourceRef

DEFAULT_LINK_BASE = "documents/"
MAX_NOTES_PER_FACT = 5  # a fact reported by hundreds of articles links the first few


def source_link(ref: SourceRef, base: str = DEFAULT_LINK_BASE) -> str:
    """``documents/<id>#<start>-<end>`` (``#title:<start>-<end>`` for a headline)."""
    return f"{base}{quote(ref.document, safe='')}#{ref.anchor}"


def document_link(doc_id: str, base: str = DEFAULT_LINK_BASE) -> str:
    return f"{base}{quote(doc_id, safe='')}"


@dataclass
class Footnotes:
    notes: list[SourceRef] = field(default_factory=list)
    _index: dict[tuple[str, str, int, int], int] = field(default_factory=dict)

    def number(self, ref: SourceRef) -> int:
        key = (ref.document, ref.field, ref.start, ref.end)
        if key not in self._index:
            self.notes.append(ref)
            self._index[key] = len(self.notes)
        return self._index[key]

    def numbers(self, refs: list[SourceRef]) -> list[int]:
        return [self.number(r) for r in refs]


def shown(refs: list[SourceRef], limit: int = MAX_NOTES_PER_FACT) -> tuple[list[SourceRef], int]:
    """The sources a fact links (one per article first, then more spans) and how many not."""
    firsts: list[SourceRef] = []
    rest: list[SourceRef] = []
    seen: set[str] = set()
    for r in refs:
        (rest if r.document in seen else firsts).append(r)
        seen.add(r.document)
    ordered = firsts + rest
    return ordered[:limit], max(0, len(ordered) - limit)
