"""PLOVER events: per-document extraction (dates, places, status) and cross-document grouping.

Per document (worker processes): :func:`extract_events`. Across documents (queries):
:func:`group_events`. Imports are lazy so that the grouping does not load spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsgraph.events.extract import extract_events
    from newsgraph.events.grouping import EventGroup, EventRecord, group_events

__all__ = ["EventGroup", "EventRecord", "extract_events", "group_events"]

_WHERE = {
    "extract_events": "newsgraph.events.extract",
    "EventGroup": "newsgraph.events.grouping",
    "EventRecord": "newsgraph.events.grouping",
    "group_events": "newsgraph.events.grouping",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
