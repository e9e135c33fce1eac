"""The typed document model every pipeline stage takes and returns.

Field names follow the export contract in DESIGN.md: a :class:`Document` serialised with
:meth:`Document.export_dict` is one line of ``documents.jsonl``. Offsets (``start``/``end``)
always index into ``Document.text``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Label = str  # spaCy/OntoNotes label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW, DATE, ...

EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(_Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Mention(Span):
    """A span of ``Document.text`` that names an entity."""

    text: str
    label: Label
    entity: str | None = None


class Quote(Span):
    """Something said, direct or reported, with its cue verb and speaker."""

    text: str
    kind: Literal["direct", "indirect"]
    cue: str | None = None
    speaker: str | None = None
    speaker_text: str | None = None


class Event(Span):
    """An interaction coded in PLOVER."""

    type: EventType
    mode: str | None = None
    source: str | None = None
    target: str | None = None
    date: dt.date | None = None
    location: str | None = None
    status: Literal["occurred", "planned", "hypothetical", "denied"] = "occurred"


class Entity(_Model):
    id: str
    name: str
    type: Label
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    wikidata: str | None = None


class Story(_Model):
    id: str
    title: str
    documents: list[str] = Field(default_factory=list)
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None


class RawItem(_Model):
    """One article as a reader found it, before cleaning.

    ``id`` is derived from the content alone, so the same article read twice (from the same
    file, another copy, or a WARC record of the same page) gets the same id.
    """

    id: str
    input: str  # the path or URL the user gave (or found under a folder/glob)
    locator: str | None = None  # where inside the input: "line 12", "record 3", "entry 5"
    kind: Literal["html", "text"]
    content: str
    url: str | None = None
    # Metadata the container already gave: title, published, authors, outlet, language;
    # anything else (unknown JSONL fields, feed tags, WARC headers) goes to "extra".
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: dt.date | None = None
    outlet: str | None = None
    language: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class ItemError(_Model):
    """A per-item failure: the batch goes on, the user sees what failed and why."""

    input: str
    locator: str | None = None
    stage: Literal["read", "decode", "fetch", "clean", "annotate", "store"] = "read"
    error: str  # short machine-readable kind, e.g. "binary", "empty", "too-large", "bad-json"
    message: str  # what a person reads

    def where(self) -> str:
        return f"{self.input} ({self.locator})" if self.locator else self.input


class Document(_Model):
    """One clean article plus everything later stages attach to it."""

    id: str
    input: str
    locator: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: dt.date | None = None
    language: str | None = None
    text: str
    duplicate_of: str | None = None
    story: str | None = None
    mentions: list[Mention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    # Not part of the export contract: provenance and dedup fingerprints.
    source_kind: Literal["html", "text"] = "text"
    extra: dict[str, Any] = Field(default_factory=dict)
    content_hash: str = ""  # hash of the normalised text: exact duplicates share it
    signature: list[int] | None = None  # MinHash hash values for near-duplicate search

    def export_dict(self) -> dict[str, Any]:
        """The object written as one line of ``documents.jsonl`` (DESIGN.md contract)."""
        return {
            "id": self.id,
            "input": self.input,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "text": self.text,
            "duplicate_of": self.duplicate_of,
            "story": self.story,
            "mentions": [m.model_dump() for m in self.mentions],
            "quotes": [q.model_dump() for q in self.quotes],
            "events": [
                {**e.model_dump(), "date": e.date.isoformat() if e.date else None}
                for e in self.events
            ],
        }

    def caption_dict(self) -> dict[str, Any] | None:
        """The document's captions and the events coded in them (one line of
        ``captions.jsonl``, beside the contract), or None when it has no caption events.

        Captions are removed from ``text`` (page furniture), but an event may be reported only
        there; event offsets index ``captions[caption]``. Actors are canonical ids, through
        the live ``entity_map`` (which merges and splits keep current); a caption name the
        text never resolved stays null, with its words in ``source_text``/``target_text``.
        """
        events = self.extra.get("caption_events") or []
        if not events:
            return None
        mapping = self.extra.get("entity_map") or {}
        out = []
        for ev in events:
            ev = dict(ev)
            for k in ("source", "target", "location"):
                if isinstance(v := ev.get(k), str) and v.startswith("local:"):
                    ev[k] = mapping.get(v)
            out.append(ev)
        return {
            "document": self.id,
            "captions": list(self.extra.get("captions") or []),
            "events": out,
        }
