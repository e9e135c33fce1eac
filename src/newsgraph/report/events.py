"""Event reports of the selection grouped into deduplicated happenings.

A stand-in until the events module's own cross-document grouping exists: reports of the same
type between the same source and target whose dates lie within ``DATE_WINDOW_DAYS`` of each
other are one happening; undated reports join the only dated group of their key, if there is
exactly one. Different dates inside one group are what the report flags as a discrepancy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from newsgraph.model import Document, Event

DATE_WINDOW_DAYS = 2

EventReport = tuple[Document, Event]


def _key(e: Event) -> tuple[str, str | None, str | None]:
    return (e.type, e.source, e.target)


def group_event_reports(items: Iterable[EventReport]) -> list[list[EventReport]]:
    """Group (document, event) reports; each group is one happening. Order independent."""
    by_key: dict[tuple[str, str | None, str | None], list[EventReport]] = defaultdict(list)
    for doc, ev in items:
        by_key[_key(ev)].append((doc, ev))
    groups: list[list[EventReport]] = []
    for key in sorted(by_key, key=lambda k: tuple(x or "" for x in k)):
        reports = sorted(by_key[key], key=lambda r: (r[1].date or dt.date.max, r[0].id, r[1].start))
        dated = [r for r in reports if r[1].date is not None]
        undated = [r for r in reports if r[1].date is None]
        chains: list[list[EventReport]] = []
        for r in dated:
            last = chains[-1][-1][1].date if chains else None
            assert r[1].date is not None
            if last is not None and (r[1].date - last).days <= DATE_WINDOW_DAYS:
                chains[-1].append(r)
            else:
                chains.append([r])
        if undated:
            if len(chains) == 1:
                chains[0].extend(undated)
            else:
                chains.append(undated)
        groups.extend(chains)
    return groups
