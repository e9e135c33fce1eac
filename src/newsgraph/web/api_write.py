"""Write endpoints: ingest documents (JSON) or feed URLs through the pipeline. Token needed."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request

from newsgraph.ingest import ReadOptions
from newsgraph.ingest.errors import ReadFailure
from newsgraph.ingest.jsonl import item_from_object
from newsgraph.model import ItemError, RawItem
from newsgraph.pipeline import STAGES, Pipeline, RunSummary
from newsgraph.store import Store
from newsgraph.web.deps import get_store
from newsgraph.web.models import ErrorResponse, IngestDocuments, IngestFeeds, IngestResult
from newsgraph.web.security import require_token

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 404, 422, 500)
}
router = APIRouter(
    prefix="/api/v1", dependencies=[Depends(require_token)], responses=_ERRORS, tags=["ingest"]
)
StoreDep = Annotated[Store, Depends(get_store)]
# One ingestion at a time per app: the pipeline's writer resolves entities incrementally
# against the store, which two concurrent writers would race on.
_LOCK = threading.Lock()


class _ObjectsPipeline(Pipeline):
    """The pipeline fed with JSON objects instead of input paths."""

    def __init__(self, store: Store, objects: list[dict[str, Any]], stages: Sequence[str]):
        super().__init__(store, stages=stages)
        self.objects = objects

    def _read(self, sources: list[str]) -> Iterator[RawItem | ItemError]:  # type: ignore[override]
        for n, obj in enumerate(self.objects, 1):
            try:
                yield item_from_object(obj, "api", f"document {n}")
            except ReadFailure as e:
                yield e.to_error("api", f"document {n}")


def _stages(requested: list[str] | None) -> tuple[str, ...]:
    if requested is None:
        return STAGES
    unknown = sorted(set(requested) - set(STAGES))
    if unknown:
        raise HTTPException(
            400, f"unknown stages {unknown}; choose from {list(STAGES)} or [] for none"
        )
    return tuple(requested)


def _result(summary: RunSummary) -> dict[str, Any]:
    return {
        "items": summary.items,
        "stored": summary.stored,
        "duplicates": summary.duplicates,
        "skipped": summary.skipped,
        "errors": [e.model_dump() for e in summary.errors],
        "seconds": round(summary.seconds, 3),
    }


@router.post("/documents", response_model=IngestResult)
def ingest_documents(store: StoreDep, body: IngestDocuments) -> dict[str, Any]:
    """Store and process articles given as JSON objects (fields as in a JSONL input).

    Each bad item is reported in ``errors`` with its place (``document N``); the rest are
    stored. Posting the same article again stores nothing new.
    """
    stages = _stages(body.stages)
    objects = [d.model_dump(exclude_none=True) for d in body.documents]
    with _LOCK:
        summary = _ObjectsPipeline(store, objects, stages).run([])
    return _result(summary)


@router.post("/feeds", response_model=IngestResult)
def ingest_feeds(store: StoreDep, body: IngestFeeds, request: Request) -> dict[str, Any]:
    """Fetch RSS/Atom feeds by URL and process their articles (like ``newsgraph run URL``).

    Feeds and articles on loopback, private or link-local addresses are refused (reported
    per item as ``private-address``) unless the server was started to allow them.
    """
    for url in body.urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise HTTPException(400, f"not an http(s) URL: {url[:200]!r}")
    stages = _stages(body.stages)
    with _LOCK:
        options = ReadOptions(allow_private_hosts=request.app.state.settings.allow_private_fetch)
        summary = Pipeline(store, stages=stages, read_options=options).run(list(body.urls))
    return _result(summary)
