"""Read endpoints of the REST API under /api/v1 (open on loopback by default)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from newsgraph.store import Store
from newsgraph.store import web as q
from newsgraph.web import reports
from newsgraph.web.cache import cached
from newsgraph.web.deps import Limit, Offset, Since, Text, Until, get_store, page_info
from newsgraph.web.highlight import render_html, spans_json
from newsgraph.web.models import (
    DocumentOut,
    DocumentPage,
    EntityOut,
    EntityPage,
    ErrorResponse,
    EventPage,
    FacetValue,
    Network,
    QuotePage,
    SearchPage,
    Stats,
    StoryOut,
    StoryPage,
)
from newsgraph.web.security import read_access

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 404, 422, 500)
}
router = APIRouter(prefix="/api/v1", dependencies=[Depends(read_access)], responses=_ERRORS)
StoreDep = Annotated[Store, Depends(get_store)]
Id = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/stats", response_model=Stats, tags=["meta"])
@cached(Stats)
def stats(store: StoreDep) -> dict[str, Any]:
    """Counts of documents, duplicates, entities, quotes, events, stories; top outlets."""
    return store.stats().as_dict()


@router.get("/documents", response_model=DocumentPage, tags=["documents"])
@cached(DocumentPage)
def documents(
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    outlet: Text = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    story: Text = None,
    entity: Text = None,
    since: Since = None,
    until: Until = None,
    duplicates: Annotated[bool, Query(description="include near/exact duplicates")] = True,
) -> dict[str, Any]:
    """Documents, newest first, filtered by outlet, language, story, entity and date."""
    f = q.DocFilter(outlet, language, story, entity, since, until, duplicates)
    page = q.list_documents(store, f, limit, offset)
    return {"items": page.items, **page_info(page.total, limit, offset, page.capped)}


def document_payload(store: Store, doc_id: str) -> dict[str, Any]:
    doc = store.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document with id {doc_id!r}")
    ids = [m.entity for m in doc.mentions] + [x.speaker for x in doc.quotes]
    ids += [x for e in doc.events for x in (e.source, e.target, e.location)]
    data = doc.model_dump(exclude={"signature", "extra", "content_hash", "source_kind"})
    data["highlights"] = spans_json(doc)
    data["html"] = str(render_html(doc))
    data["entities"] = q.entity_names(store, ids)
    return data


@router.get("/documents/{doc_id}", response_model=DocumentOut, tags=["documents"])
@cached(DocumentOut)
def document(store: StoreDep, doc_id: Id) -> dict[str, Any]:
    """One document with its mentions, quotes and events, as offsets and as safe HTML."""
    return document_payload(store, doc_id)


@router.get("/entities", response_model=EntityPage, tags=["entities"])
@cached(EntityPage)
def entities(
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    name: Annotated[str | None, Query(max_length=200, description="name prefix")] = None,
    type: Annotated[str | None, Query(max_length=40, description="PERSON, ORG, GPE...")] = None,
) -> dict[str, Any]:
    """Canonical entities by name."""
    page = q.list_entities(store, name=name, type=type, limit=limit, offset=offset)
    return {"items": page.items, **page_info(page.total, limit, offset, page.capped)}


@router.get("/entities/{entity_id}", response_model=EntityOut, tags=["entities"])
@cached(EntityOut)
def entity(
    store: StoreDep,
    entity_id: Id,
    neighbours: Annotated[int, Query(ge=0, le=100)] = 20,
) -> dict[str, Any]:
    """An entity with aliases, roles, merge evidence and co-occurring entities."""
    item = q.get_entity(store, entity_id)
    if item is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    item["evidence"] = store.entity_evidence(entity_id)
    item["cooccurring"] = q.cooccurring(store, entity_id, neighbours) if neighbours else []
    return item


def _entity_or_404(store: Store, entity_id: str) -> None:
    if not q.entity_exists(store, entity_id):
        raise HTTPException(404, f"no entity with id {entity_id!r}")


@router.get("/entities/{entity_id}/documents", response_model=DocumentPage, tags=["entities"])
@cached(DocumentPage)
def entity_documents(
    store: StoreDep, entity_id: Id, limit: Limit = 20, offset: Offset = 0
) -> dict[str, Any]:
    """Documents that mention the entity, newest first."""
    _entity_or_404(store, entity_id)
    page = q.entity_documents(store, entity_id, limit, offset)
    return {"items": page.items, **page_info(page.total, limit, offset, page.capped)}


@router.get("/entities/{entity_id}/quotes", response_model=QuotePage, tags=["entities"])
@cached(QuotePage)
def entity_quotes(
    store: StoreDep, entity_id: Id, limit: Limit = 20, offset: Offset = 0
) -> dict[str, Any]:
    """What the entity said (direct and reported), newest first."""
    _entity_or_404(store, entity_id)
    page = q.list_quotes(
        store, speaker=entity_id, kind=None, document=None, story=None, limit=limit, offset=offset
    )
    return {"items": page.items, **page_info(page.total, limit, offset, page.capped)}


@router.get("/entities/{entity_id}/events", response_model=EventPage, tags=["entities"])
@cached(EventPage)
def entity_events(
    store: StoreDep, entity_id: Id, limit: Limit = 20, offset: Offset = 0
) -> dict[str, Any]:
    """Events where the entity is source or target, in date order."""
    _entity_or_404(store, entity_id)
    page = q.list_events(store, q.EventFilter(actor=entity_id), limit, offset)
    return {"items": page.items, **page_info(page.total, limit, offset, page.capped)}


@router.get("/entities/{entity_id}/network", response_model=Network, tags=["entities"])
@cached(Network)
def entity_network(
    store: StoreDep, entity_id: Id, size: Annotated[int, Query(ge=1, le=60)] = 25
) -> dict[str, Any]:
    """The entity and its co-occurring actors as a graph (nodes and weighted links)."""
    _entity_or_404(store, entity_id)
    return q.network(store, entity_id, size)


@router.get("/quotes", response_model=QuotePage, tags=["quotes"])
@cached(QuotePage)
def quotes(
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    speaker: Text = None,
    kind: Literal["direct", "indirect"] | None = None,
    document: Text = None,
    story: Text = None,
) -> dict[str, Any]:
    """Quotes, newest first, filtered by speaker entity, kind, document or story."""
    page = q.list_quotes(
        store,
        speaker=speaker,
        kind=kind,
        document=document,
        story=story,
        limit=limit,
        offset=offset,
    )
    return {"items": page.items, **page_info(page.total, limit, offset, page.capped)}


EventStatus = Literal["occurred", "planned", "hypothetical", "denied"]


@router.get("/events", response_model=EventPage, tags=["events"])
@cached(EventPage)
def events(
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    type: Annotated[str | None, Query(max_length=40, description="PLOVER type")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="source or target")] = None,
    status: EventStatus | None = None,
    outlet: Text = None,
    story: Text = None,
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    """Events in date order (the event's date, else its article's), filtered."""
    f = q.EventFilter(type, actor, status, outlet, story, since, until)
    page = q.list_events(store, f, limit, offset)
    return {"items": page.items, **page_info(page.total, limit, offset, page.capped)}


@router.get("/events/types", response_model=list[FacetValue], tags=["events"])
@cached(list[FacetValue])
def event_types(store: StoreDep) -> list[dict[str, Any]]:
    """Event types present in the store, with counts."""
    return q.event_types(store)


@router.get("/outlets", response_model=list[FacetValue], tags=["documents"])
@cached(list[FacetValue])
def outlets(store: StoreDep, limit: Limit = 100) -> list[dict[str, Any]]:
    """Outlets with their document counts, most first."""
    return q.outlets(store, limit)


@router.get("/stories", response_model=StoryPage, tags=["stories"])
@cached(StoryPage)
def stories(store: StoreDep, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """Stories (clusters of documents about one happening), most recent first."""
    page = q.list_stories(store, limit, offset)
    return {"items": page.items, **page_info(page.total, limit, offset, page.capped)}


@router.get("/stories/{story_id}", response_model=StoryOut, tags=["stories"])
@cached(StoryOut)
def story(store: StoreDep, story_id: Id) -> dict[str, Any]:
    """A story with its articles (oldest first) and outlets."""
    item = q.get_story(store, story_id)
    if item is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return item


@router.get("/search", response_model=SearchPage, tags=["search"])
@cached(SearchPage)
def search(
    store: StoreDep,
    q_: Annotated[str, Query(alias="q", min_length=1, max_length=500, description="query")],
    limit: Limit = 20,
    offset: Offset = 0,
    outlet: Text = None,
    entity: Text = None,
    event_type: Annotated[str | None, Query(max_length=40)] = None,
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    """Full-text search with facets by outlet, entity, event type and date.

    Syntax: words are ANDed; "a phrase"; word* prefix; -word excludes; or.
    """
    res = q.search(
        store,
        q_,
        outlet=outlet,
        entity=entity,
        event_type=event_type,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return {
        "query": q_,
        "capped": res.capped,
        "items": res.items,
        "facets": res.facets,
        **page_info(res.total, limit, offset),
    }


@router.get(
    "/report",
    tags=["reports"],
    response_class=Response,
    responses={
        200: {
            "description": "the report",
            "content": {
                "application/json": {},
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    },
)
def report(
    store: StoreDep,
    story: Text = None,
    entity: Text = None,
    since: Since = None,
    until: Until = None,
    query: Annotated[str | None, Query(alias="q", max_length=500)] = None,
    format: Literal["json", "markdown", "html"] = "json",
) -> Response:
    """A situation report for a story, an entity, a date range or a search query."""
    scope = reports.Scope(story=story, entity=entity, since=since, until=until, query=query)
    try:
        built = reports.build(store, scope)
    except LookupError as e:
        raise HTTPException(404, str(e)) from None
    if format == "markdown":
        return PlainTextResponse(reports.markdown(built), media_type="text/markdown")
    if format == "html":
        # A download: its own inline styles are allowed, scripts are not.
        csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        return HTMLResponse(
            reports.html(built, store, scope), headers={"Content-Security-Policy": csp}
        )
    return Response(reports.json_bytes(built), media_type="application/json")
