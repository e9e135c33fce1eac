"""Shared request parameters: bounded pagination and the store of the running app."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import BeforeValidator

from newsgraph.store import Store

MAX_LIMIT = 200
MAX_OFFSET = 100_000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic alone would also take numbers (seconds since 1970)."""
    if value is not None and not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


Since = Annotated[
    dt.date | None,
    BeforeValidator(_iso_date),
    Query(description="from this date (YYYY-MM-DD), inclusive"),
]
Until = Annotated[
    dt.date | None,
    BeforeValidator(_iso_date),
    Query(description="up to this date (YYYY-MM-DD), inclusive"),
]
Text = Annotated[str | None, Query(max_length=500)]


async def get_store(request: Request) -> Store:
    # async: a sync dependency would cost every request a hop through the thread pool.
    return request.app.state.store


def page_info(total: int, limit: int, offset: int, capped: bool = False) -> dict[str, Any]:
    nxt = offset + limit
    return {
        "total": total,
        "total_capped": capped,
        "limit": limit,
        "offset": offset,
        "next_offset": nxt if (nxt < total or capped) and nxt <= MAX_OFFSET else None,
    }
