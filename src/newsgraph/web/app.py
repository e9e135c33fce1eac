"""The FastAPI application: REST API under /api/v1, web UI pages, static files."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

import newsgraph
from newsgraph.store import Store
from newsgraph.web import api_read, api_write, cache, errors, pages
from newsgraph.web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


@dataclass
class WebSettings:
    reads_need_token: bool = False  # True when serving beyond loopback (see `newsgraph serve`)
    cors_origins: list[str] = field(default_factory=list)  # empty: no CORS headers at all
    # Feed URLs posted to the API come from clients: by default they may not make the server
    # fetch loopback, private or link-local addresses (SSRF). `newsgraph serve
    # --allow-private-fetch` lifts that for a trusted intranet.
    allow_private_fetch: bool = False
    # Read responses cached per store generation (any write empties it); 0 turns it off.
    cache_entries: int = cache.DEFAULT_ENTRIES


def create_app(
    store: Store, settings: WebSettings | None = None, lifespan: Lifespan | None = None
) -> FastAPI:
    """The app over an open store (the caller closes it, or ``lifespan`` does)."""
    settings = settings or WebSettings()
    app = FastAPI(
        title="newsgraph",
        version=newsgraph.__version__,
        description="Documents, entities, quotes, events, stories, search and reports from a "
        "newsgraph store. Read endpoints are open on loopback; write endpoints need "
        "`Authorization: Bearer <token>` (`newsgraph token create`).",
        # The interactive docs pages load scripts from a CDN: not offline, not CSP-clean.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    cache.install(store, settings.cache_entries)
    app.state.settings = settings
    errors.install(app)
    app.include_router(api_read.router)
    app.include_router(api_write.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeaders)
    return app
