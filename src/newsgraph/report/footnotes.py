"""Numbered source notes shared by the renderers: one number per distinct article span."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from newsgraph.report.model import SourceRef

DEFAULT_LINK_BASE = "documents/"


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
