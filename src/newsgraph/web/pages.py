"""Web UI pages: server-rendered Jinja2 templates (autoescaped), small JS only for graphs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from newsgraph.store import MARK_END, MARK_START, Store
from newsgraph.store import web as q
from newsgraph.web import reports
from newsgraph.web.api_read import document_payload
from newsgraph.web.deps import Offset, get_store
from newsgraph.web.highlight import render_html
from newsgraph.web.security import read_access

router = APIRouter(dependencies=[Depends(read_access)], include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
StoreDep = Annotated[Store, Depends(get_store)]
PAGE = 25


def _snippet(text: str) -> Markup:
    """A search snippet with its match markers as <mark>, everything else escaped."""
    return Markup(str(escape(text)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _http_url(url: str | None) -> str | None:
    """Only http(s) links from article metadata (no javascript:, data: ...)."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


templates.env.filters["snippet"] = _snippet
templates.env.filters["http_url"] = _http_url
# Text filters from the query string must not reach templates as anything but text.
Filter = Annotated[str | None, Query(max_length=200)]


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"not a date (YYYY-MM-DD): {value[:40]!r}") from None


def _blank(value: str | None) -> str | None:
    return value if value else None


def _render(request: Request, template: str, **ctx: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, ctx)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    store: StoreDep,
    q_: Annotated[str | None, Query(alias="q", max_length=500)] = None,
    outlet: Filter = None,
    entity: Filter = None,
    event_type: Filter = None,
    since: Filter = None,
    until: Filter = None,
    offset: Offset = 0,
) -> HTMLResponse:
    filters = {
        "outlet": _blank(outlet),
        "entity": _blank(entity),
        "event_type": _blank(event_type),
        "since": _blank(since),
        "until": _blank(until),
    }
    ctx: dict[str, Any] = {"q": q_ or "", "filters": filters, "offset": offset, "page": PAGE}
    if q_ and q_.strip():
        res = q.search(
            store,
            q_,
            outlet=filters["outlet"],
            entity=filters["entity"],
            event_type=filters["event_type"],
            since=_date(since),
            until=_date(until),
            limit=PAGE,
            offset=offset,
        )
        ctx["result"] = res
        ctx["entity_name"] = (
            q.entity_names(store, [entity]).get(entity or "", {}).get("name") if entity else None
        )
    else:
        ctx["stats"] = store.stats()
        ctx["stories"] = q.list_stories(store, 10, 0).items
        ctx["latest"] = q.list_documents(store, q.DocFilter(), 10, 0).items
    return _render(request, "search.html", **ctx)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, store: StoreDep, doc_id: str) -> HTMLResponse:
    data = document_payload(store, doc_id)
    doc = store.get_document(doc_id)
    assert doc is not None  # document_payload raised 404 otherwise
    return _render(request, "document.html", d=data, body=render_html(doc), doc=doc)


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    store: StoreDep,
    name: Filter = None,
    type: Filter = None,
    offset: Offset = 0,
) -> HTMLResponse:
    page = q.list_entities(store, name=name, type=_blank(type), limit=50, offset=offset)
    return _render(
        request, "entities.html", page=page, name=name or "", type=type or "", offset=offset
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, store: StoreDep, entity_id: str) -> HTMLResponse:
    ent = q.get_entity(store, entity_id)
    if ent is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    return _render(
        request,
        "entity.html",
        e=ent,
        evidence=store.entity_evidence(entity_id),
        quotes=q.list_quotes(
            store, speaker=entity_id, kind=None, document=None, story=None, limit=50, offset=0
        ),
        events=q.list_events(store, q.EventFilter(actor=entity_id), 50, 0),
        neighbours=q.cooccurring(store, entity_id, 25),
        docs=q.entity_documents(store, entity_id, 20, 0),
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, store: StoreDep, offset: Offset = 0) -> HTMLResponse:
    return _render(request, "stories.html", page=q.list_stories(store, 50, offset), offset=offset)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, store: StoreDep, story_id: str) -> HTMLResponse:
    story = q.get_story(store, story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    events = q.list_events(store, q.EventFilter(), 100, 0, doc_ids=story["documents"][:1000])
    return _render(request, "story.html", s=story, events=events)


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    store: StoreDep,
    type: Filter = None,
    actor: Filter = None,
    status: Filter = None,
    outlet: Filter = None,
    story: Filter = None,
    since: Filter = None,
    until: Filter = None,
    offset: Offset = 0,
) -> HTMLResponse:
    f = q.EventFilter(
        type=_blank(type),
        actor=_blank(actor),
        status=_blank(status),
        outlet=_blank(outlet),
        story=_blank(story),
        since=_date(since),
        until=_date(until),
    )
    page = q.list_events(store, f, 200, offset)
    filters = {
        "type": type or "",
        "actor": actor or "",
        "status": status or "",
        "outlet": outlet or "",
        "story": story or "",
        "since": since or "",
        "until": until or "",
    }
    return _render(
        request,
        "events.html",
        page=page,
        filters=filters,
        offset=offset,
        types=q.event_types(store),
        outlets=q.outlets(store, 50),
    )


@router.get("/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    store: StoreDep,
    story: Filter = None,
    entity: Filter = None,
    q_: Annotated[str | None, Query(alias="q", max_length=500)] = None,
    since: Filter = None,
    until: Filter = None,
) -> HTMLResponse:
    scope = reports.Scope(
        story=_blank(story),
        entity=_blank(entity),
        query=_blank(q_),
        since=_date(since),
        until=_date(until),
    )
    built: dict[str, Any] | None = None
    if any((story, entity, q_, since, until)):  # no scope yet: the form only
        try:
            built = reports.build(store, scope)
        except LookupError as e:
            raise HTTPException(404, str(e)) from None
    params = {
        k: v
        for k, v in (
            ("story", story),
            ("entity", entity),
            ("q", q_),
            ("since", since),
            ("until", until),
        )
        if v
    }
    return _render(
        request,
        "report.html",
        r=built,
        params=params,
        stories=q.list_stories(store, 50, 0).items,
    )
