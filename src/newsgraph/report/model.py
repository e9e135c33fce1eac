"""The typed report: what ``build_report`` finds and the renderers lay out.

Every fact carries :class:`SourceRef` objects that point at the exact span of an article it
came from, so a reader can check each sentence of the report against its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

SpanField = Literal["text", "title"]


@dataclass(frozen=True)
class CaptionRef:
    """A photo caption that reports an event. Captions are not part of an article's text
    (cleaning removes them), so the excerpt is the caption itself, not a span of the text."""

    document: str
    caption: int  # index into the document's captions
    excerpt: str
    outlet: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class SourceRef:
    """One article span that supports a fact: ``document text[start:end] == excerpt``.

    ``field`` is ``"title"`` when the fact comes from the headline (offsets index the title).
    """

    document: str
    start: int
    end: int
    excerpt: str
    outlet: str | None = None
    published: dt.date | None = None
    title: str | None = None
    field: SpanField = "text"

    @property
    def anchor(self) -> str:
        """Fragment naming the span: ``120-160`` (text) or ``title:0-42`` (headline)."""
        prefix = "title:" if self.field == "title" else ""
        return f"{prefix}{self.start}-{self.end}"


@dataclass(frozen=True)
class Selection:
    """Which documents a report covers; criteria combine (AND). Nothing given: all."""

    story: str | None = None
    entity: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    query: str | None = None
    limit: int = 2000  # newest documents kept when more match

    def describe(self) -> str:
        parts = []
        if self.story:
            parts.append(f"story {self.story}")
        if self.entity:
            parts.append(f"entity “{self.entity}”")
        if self.since or self.until:
            a = self.since.isoformat() if self.since else "…"
            b = self.until.isoformat() if self.until else "…"
            parts.append(f"published {a} to {b}")
        if self.query:
            parts.append(f"search “{self.query}”")
        return ", ".join(parts) or "all documents"


@dataclass
class TimelineEntry:
    """One deduplicated event with every report of it."""

    date: dt.date | None
    type: str
    mode: str | None
    source: str | None  # canonical entity names
    target: str | None
    location: str | None
    status: str
    sources: list[SourceRef] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)  # every distinct reported date
    # Per source (aligned with ``sources``): the date and status that report gives.
    source_dates: list[dt.date | None] = field(default_factory=list)
    source_statuses: list[str] = field(default_factory=list)
    # The earliest publication date of its reports: where an undated event sits in time.
    reported: dt.date | None = None
    # Reports in photo captions (an entry has these or ``sources``, never both).
    captions: list[CaptionRef] = field(default_factory=list)

    @property
    def from_caption(self) -> bool:
        return bool(self.captions) and not self.sources


@dataclass
class Statement:
    """One statement, possibly carried by several outlets (a quote group)."""

    text: str
    kind: str  # direct | indirect
    cue: str | None
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return sorted({s.outlet or "unknown outlet" for s in self.sources})


@dataclass
class RoleClaim:
    role: str
    sources: list[SourceRef] = field(default_factory=list)


@dataclass
class Actor:
    id: str
    name: str
    type: str
    mentions: int
    documents: int
    aliases: list[str] = field(default_factory=list)
    roles: list[RoleClaim] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)


PositionKind = Literal["REQUEST", "REJECT", "THREATEN", "SUPPORT", "ACCUSE"]


@dataclass
class Position:
    """What an actor demands, rejects, threatens, supports or accuses (of whom)."""

    actor: str
    kind: str
    target: str | None
    text: str  # a representative wording
    first: dt.date | None
    latest: dt.date | None
    sources: list[SourceRef] = field(default_factory=list)


@dataclass
class Claim:
    """One side of a discrepancy: a value and the sources that state it."""

    value: str
    sources: list[SourceRef] = field(default_factory=list)
    detail: str | None = None  # e.g. the normalised range of a number


@dataclass
class Discrepancy:
    """Sources that disagree about one thing, side by side."""

    kind: Literal["number", "role", "date", "status"]
    subject: str
    summary: str
    claims: list[Claim] = field(default_factory=list)


@dataclass
class ArticleRef:
    id: str
    outlet: str | None
    title: str | None
    published: dt.date | None
    url: str | None
    duplicate_of: str | None = None


@dataclass
class Report:
    title: str
    selection: Selection
    generated: dt.datetime
    period: tuple[dt.date | None, dt.date | None]
    articles: list[ArticleRef] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # limits the reader should know about

    @property
    def outlets(self) -> list[tuple[str, int]]:
        """(outlet, article count), most first; unknown outlets as "(unknown outlet)"."""
        counts: dict[str, int] = {}
        for a in self.articles:
            key = a.outlet or "(unknown outlet)"
            counts[key] = counts.get(key, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
