"""newsgraph: raw news in, a deduplicated, source-attributed, queryable record out.

The Python API is what the ``newsgraph`` command runs underneath::

    import newsgraph

    with newsgraph.open("news.db") as ng:
        summary = ng.run(["sample/"], workers=2)
        for doc in ng.documents():
            print(doc.id, doc.title, doc.published)
        hits = ng.search("Lavrov Stockholm")
        ng.export("out/")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Attributes are imported on first use, so that importing one stage (in a worker process, say)
# does not load the store, the CLI and every other stage.
_EXPORTS = {
    "NewsGraph": "newsgraph.api",
    "open": "newsgraph.api",
    "RunSummary": "newsgraph.pipeline",
    **{
        name: "newsgraph.model"
        for name in (
            "Document",
            "Entity",
            "Event",
            "ItemError",
            "Mention",
            "Quote",
            "RawItem",
            "Story",
        )
    },
}

__all__ = [
    "Document",
    "Entity",
    "Event",
    "ItemError",
    "Mention",
    "NewsGraph",
    "Quote",
    "RawItem",
    "RunSummary",
    "Story",
    "__version__",
    "open",
]

if TYPE_CHECKING:
    from newsgraph.api import NewsGraph, open
    from newsgraph.model import Document, Entity, Event, ItemError, Mention, Quote, RawItem, Story
    from newsgraph.pipeline import RunSummary


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")
    return getattr(import_module(module), name)
