"""Entities: recognition, per-document grouping and cross-document resolution.

Per document (worker processes): :func:`annotate_entities` / :func:`annotate_many`.
Across documents (the single writer): :class:`EntityResolver`.
Imports are lazy so that ``newsgraph.entities.names`` does not load spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsgraph.entities.resolve import EntityResolver, MergeEvidence, load_kb
    from newsgraph.entities.within import annotate_entities, annotate_many

__all__ = ["EntityResolver", "MergeEvidence", "annotate_entities", "annotate_many", "load_kb"]

_WHERE = {
    "EntityResolver": "newsgraph.entities.resolve",
    "MergeEvidence": "newsgraph.entities.resolve",
    "load_kb": "newsgraph.entities.resolve",
    "annotate_entities": "newsgraph.entities.within",
    "annotate_many": "newsgraph.entities.within",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
