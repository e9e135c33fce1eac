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

from newsgraph.api import NewsGraph, open
from newsgraph.model import Document, Entity, Event, ItemError, Mention, Quote, RawItem, Story
from newsgraph.pipeline import RunSummary

__version__ = "0.1.0"

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
