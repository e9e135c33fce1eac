"""Quotes: direct and reported speech, their cue verbs and speakers, and cross-outlet groups.

    from newsgraph.quotes import extract_quotes, group_quotes
    doc = extract_quotes(doc, sdoc)          # after entities.annotate_entities(doc, sdoc)
    groups = group_quotes((d.id, q) for d in docs for q in d.quotes)
"""

from __future__ import annotations

from .extract import extract_quotes, find_candidates
from .grouping import QuoteGroup, group_quotes

__all__ = ["QuoteGroup", "extract_quotes", "find_candidates", "group_quotes"]
