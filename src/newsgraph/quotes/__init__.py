"""Quotes: direct and reported speech, their cue verbs and speakers, and cross-outlet groups.

    from newsgraph.quotes import extract_quotes, group_quotes
    doc = extract_quotes(doc, sdoc)          # after entities.annotate_entities(doc, sdoc)
    groups = group_quotes((d.id, q) for d in docs for q in d.quotes)

Imports are lazy so that grouping (used by store queries and the CLI) does not load spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsgraph.quotes.extract import extract_quotes, find_candidates
    from newsgraph.quotes.grouping import QuoteGroup, group_quotes

__all__ = ["QuoteGroup", "extract_quotes", "find_candidates", "group_quotes"]

_WHERE = {
    "extract_quotes": "newsgraph.quotes.extract",
    "find_candidates": "newsgraph.quotes.extract",
    "QuoteGroup": "newsgraph.quotes.grouping",
    "group_quotes": "newsgraph.quotes.grouping",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
