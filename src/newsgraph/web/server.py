"""Building the app for uvicorn from settings passed as environment variables.

With several uvicorn workers each process imports :func:`app_from_env` and opens its own
store (a Store must not be shared across processes).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from newsgraph.store import Store
from newsgraph.web.app import WebSettings, create_app
from newsgraph.web.cache import DEFAULT_ENTRIES

_ENV = "NEWSGRAPH_WEB_SETTINGS"
_CACHE_ENV = "NEWSGRAPH_WEB_CACHE"  # entries of the response cache; 0 turns it off
_SWITCH_ENV = "NEWSGRAPH_WEB_SWITCH_INTERVAL"  # seconds (sys.setswitchinterval)
SWITCH_INTERVAL_S = 0.001


def settings_env(
    db: str,
    *,
    reads_need_token: bool,
    cors_origins: list[str],
    allow_private_fetch: bool = False,
) -> dict[str, str]:
    data = {
        "db": db,
        "reads_need_token": reads_need_token,
        "cors_origins": cors_origins,
        "allow_private_fetch": allow_private_fetch,
    }
    return {_ENV: json.dumps(data)}


def build_app(env: dict[str, str]) -> FastAPI:
    data = json.loads(env[_ENV])
    env = {**os.environ, **env}  # tuning variables may come from the process environment
    # Requests run in threads: a thread waiting for the GIL (a short read, the event loop)
    # waits for the switch interval while another runs Python code; 5 ms by default, paid
    # several times per request under concurrent load. The server process is ours to tune.
    sys.setswitchinterval(float(env.get(_SWITCH_ENV, SWITCH_INTERVAL_S)))
    store = Store.open(data["db"])

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Everything imported and built so far lives as long as the server: moved out of the
        # garbage collector's reach, a full collection no longer scans it (it stalled every
        # request in flight for ~200 ms on a busy machine; ~15 ms after freezing).
        gc.collect()
        gc.freeze()
        yield
        store.close()

    return create_app(
        store,
        WebSettings(
            reads_need_token=bool(data["reads_need_token"]),
            cors_origins=list(data["cors_origins"]),
            allow_private_fetch=bool(data.get("allow_private_fetch", False)),
            cache_entries=int(env.get(_CACHE_ENV, DEFAULT_ENTRIES)),
        ),
        lifespan,
    )


def app_from_env() -> FastAPI:
    return build_app(dict(os.environ))
