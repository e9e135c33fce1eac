"""Response and request bodies of the REST API (they make up its OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsgraph.pipeline import STAGES


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Out):
    status: int
    code: str = Field(description="machine-readable kind: bad_request, unauthorized, ...")
    message: str
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorResponse(_Out):
    """The one error shape of every endpoint (400, 401, 404, 422, 500 ...)."""

    error: ErrorBody


class PageInfo(_Out):
    total: int
    total_capped: bool = Field(
        default=False, description="more items match than were counted: total is a lower bound"
    )
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page, null on the last")


class DocumentSummary(_Out):
    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    url: str | None
    language: str | None
    duplicate_of: str | None
    story: str | None


class DocumentPage(PageInfo):
    items: list[DocumentSummary]


class MentionOut(_Out):
    start: int
    end: int
    text: str
    label: str
    entity: str | None


class QuoteSpan(_Out):
    start: int
    end: int
    text: str
    kind: str
    cue: str | None
    speaker: str | None
    speaker_text: str | None


class EventSpan(_Out):
    start: int
    end: int
    type: str
    mode: str | None
    source: str | None
    target: str | None
    date: dt.date | None
    location: str | None
    status: str


class Highlight(_Out):
    kind: Literal["mention", "quote", "event"]
    start: int
    end: int
    label: str
    entity: str | None


class DocumentOut(DocumentSummary):
    input: str
    authors: list[str]
    text: str
    mentions: list[MentionOut]
    quotes: list[QuoteSpan]
    events: list[EventSpan]
    highlights: list[Highlight] = Field(description="all annotations as offsets into text")
    html: str = Field(description="text as escaped HTML with annotations marked up")
    entities: dict[str, EntityRef] = Field(description="entities named in the document, by id")


class EntityRef(_Out):
    id: str
    name: str
    type: str | None


class EntitySummary(_Out):
    id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    wikidata: str | None
    documents: int = Field(
        description="documents that mention the entity (counted up to 1,000; 100 in listings)"
    )


class EntityPage(PageInfo):
    items: list[EntitySummary]


class Evidence(_Out):
    document_id: str
    local_key: str
    local_name: str
    canonical_name: str
    decision: str
    score: float
    features: Any
    discrepancies: Any
    created_at: dt.datetime | None


class Neighbour(EntityRef):
    documents: int


class EntityOut(EntitySummary):
    evidence: list[Evidence]
    cooccurring: list[Neighbour]


class QuoteOut(_Out):
    document: str
    ordinal: int
    start: int
    end: int
    text: str
    kind: str
    cue: str | None
    speaker: str | None
    speaker_name: str | None
    speaker_text: str | None
    title: str | None
    outlet: str | None
    published: dt.date | None


class QuotePage(PageInfo):
    items: list[QuoteOut]


class EventOut(_Out):
    document: str
    ordinal: int
    start: int
    end: int
    text: str = Field(description="the span of the article the event was read from")
    type: str
    mode: str | None
    source: str | None
    source_name: str | None
    target: str | None
    target_name: str | None
    location: str | None
    location_name: str | None
    date: dt.date | None
    status: str
    title: str | None
    outlet: str | None
    published: dt.date | None


class EventPage(PageInfo):
    items: list[EventOut]


class FacetValue(_Out):
    value: str
    count: int
    name: str | None = None


class StorySummary(_Out):
    id: str
    title: str
    size: int
    first_seen: dt.date | None
    last_seen: dt.date | None


class StoryPage(PageInfo):
    items: list[StorySummary]


class StoryOut(StorySummary):
    documents: list[str]
    articles: list[DocumentSummary]
    outlets: list[FacetValue]


class NetworkNode(_Out):
    id: str
    name: str
    type: str | None
    weight: int


class NetworkLink(_Out):
    source: str
    target: str
    weight: int


class Network(_Out):
    nodes: list[NetworkNode]
    links: list[NetworkLink]


class SearchHitOut(_Out):
    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    snippet: str = Field(description="plain text; matches between ⟦ and ⟧")
    score: float


class Facets(_Out):
    outlet: list[FacetValue]
    entity: list[FacetValue]
    event_type: list[FacetValue]
    date: list[FacetValue]


class SearchPage(PageInfo):
    query: str
    capped: bool = Field(description="true when only the best hits were considered")
    items: list[SearchHitOut]
    facets: Facets


class Stats(_Out):
    documents: int
    duplicates: int
    languages: dict[str, int]
    outlets: list[list[Any]]
    published_min: dt.date | None
    published_max: dt.date | None
    errors: int
    mentions: int
    quotes: int
    events: int
    entities: int
    stories: int


# --- ingestion ------------------------------------------------------------------------------

Stage = Literal[STAGES]  # type: ignore[valid-type] - the pipeline's optional stages


class DocumentIn(BaseModel):
    """One article, like one line of a JSONL input: ``text`` or ``html`` is required."""

    model_config = ConfigDict(extra="allow")
    text: str | None = Field(default=None, max_length=2_000_000)
    html: str | None = Field(default=None, max_length=5_000_000)
    url: str | None = None
    title: str | None = None
    published: str | None = None
    authors: list[str] | str | None = None
    outlet: str | None = None
    language: str | None = None


class IngestDocuments(BaseModel):
    documents: list[DocumentIn] = Field(min_length=1, max_length=1000)
    stages: list[Stage] | None = Field(
        default=None, max_length=10, description="NLP stages to run (default: all); [] for none"
    )


class IngestFeeds(BaseModel):
    urls: list[str] = Field(min_length=1, max_length=50, description="http(s) URLs of feeds")
    stages: list[Stage] | None = Field(default=None, max_length=10)


class ItemErrorOut(_Out):
    input: str
    locator: str | None
    stage: str
    error: str
    message: str


class IngestResult(_Out):
    items: int
    stored: int
    duplicates: int
    skipped: int
    errors: list[ItemErrorOut]
    seconds: float


DocumentOut.model_rebuild()
