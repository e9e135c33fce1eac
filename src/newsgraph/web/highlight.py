"""Article text cut into segments by its annotations, and rendered as escaped HTML.

Mentions, quotes and events are spans of ``Document.text`` that may nest or overlap (a quote
holds mentions, an event sentence holds both). Cutting the text at every span boundary gives
flat segments, each with the annotations covering it, which render without nesting problems.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from newsgraph.model import Document


@dataclass
class Segment:
    start: int
    end: int
    text: str
    mentions: list[int] = field(default_factory=list)  # indexes into doc.mentions
    quotes: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)

    @property
    def plain(self) -> bool:
        return not (self.mentions or self.quotes or self.events)


_NOT_CLASS = re.compile(r"[^A-Za-z0-9_-]")


def _cls(value: str) -> str:
    """A stored label as a CSS class name (labels are data, not markup)."""
    return _NOT_CLASS.sub("_", value)


def _valid(start: int, end: int, n: int) -> bool:
    return 0 <= start < end <= n


def segments(doc: Document) -> list[Segment]:
    """Flat, ordered segments covering all of ``doc.text``."""
    n = len(doc.text)
    spans: list[tuple[str, int, int, int]] = []
    for kind, items in (("mentions", doc.mentions), ("quotes", doc.quotes), ("events", doc.events)):
        for i, s in enumerate(items):
            if _valid(s.start, s.end, n):  # stored offsets are untrusted too
                spans.append((kind, i, s.start, s.end))
    cuts = sorted({0, n, *(s[2] for s in spans), *(s[3] for s in spans)})
    out: list[Segment] = []
    spans.sort(key=lambda s: s[2])
    active: list[tuple[str, int, int, int]] = []
    j = 0
    for a, b in itertools.pairwise(cuts):
        while j < len(spans) and spans[j][2] <= a:
            active.append(spans[j])
            j += 1
        active = [s for s in active if s[3] > a]
        seg = Segment(a, b, doc.text[a:b])
        for kind, i, _, _ in active:
            getattr(seg, kind).append(i)
        out.append(seg)
    return out


def spans_json(doc: Document) -> list[dict[str, Any]]:
    """Every annotation as an offset span, in text order (for API clients)."""
    out: list[dict[str, Any]] = []
    for m in doc.mentions:
        out.append(
            {
                "kind": "mention",
                "start": m.start,
                "end": m.end,
                "label": m.label,
                "entity": m.entity,
            }
        )
    for q in doc.quotes:
        out.append(
            {"kind": "quote", "start": q.start, "end": q.end, "label": q.kind, "entity": q.speaker}
        )
    for e in doc.events:
        out.append(
            {"kind": "event", "start": e.start, "end": e.end, "label": e.type, "entity": e.source}
        )
    out.sort(key=lambda s: (s["start"], -s["end"]))
    return out


def render_html(doc: Document, entity_href: str = "/entities/") -> Markup:
    """The text as HTML: annotations become ``<mark>``/``<a>`` elements; all text escaped.

    Classes: ``m`` mention (with ``m-LABEL``), ``q`` quote, ``ev`` event (with ``ev-TYPE``).
    Mentions resolved to an entity link to its page.
    """
    parts: list[str] = []
    for seg in segments(doc):
        text = escape(seg.text)
        # Every segment carries its offsets, so a link to a span (#start-end) can be shown.
        wrap = f'<span data-s="{seg.start}" data-e="{seg.end}">'
        if seg.plain:
            parts.append(f"{wrap}{text}</span>")
            continue
        inner = str(text)
        if seg.mentions:
            m = doc.mentions[seg.mentions[0]]
            label = escape(m.label)
            cls = f"m m-{_cls(m.label)}"
            if m.entity:
                href = escape(entity_href + quote(m.entity, safe=""))
                inner = f'<a class="{cls}" href="{href}" title="{label}">{inner}</a>'
            else:
                inner = f'<span class="{cls}" title="{label}">{inner}</span>'
        if seg.events:
            types = " ".join(f"ev-{_cls(doc.events[i].type)}" for i in seg.events)
            title = escape(", ".join(doc.events[i].type for i in seg.events))
            inner = f'<mark class="ev {types}" title="{title}">{inner}</mark>'
        if seg.quotes:
            q = doc.quotes[seg.quotes[0]]
            who = q.speaker_text or "unknown speaker"
            inner = (
                f'<q class="q q-{_cls(q.kind)}" data-quote="{seg.quotes[0]}" '
                f'title="{escape(q.kind)} quote: {escape(who)}">{inner}</q>'
            )
        parts.append(f"{wrap}{inner}</span>")
    return Markup("".join(parts))
