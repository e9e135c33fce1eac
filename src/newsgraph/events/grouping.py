"""Cross-document event grouping: one real event reported by several outlets.

Reports join one group when they have the same PLOVER type, compatible modes, compatible
actors (the same canonical entities, in either order for reciprocal types such as CONSULT, or
a person and the state they act for) and compatible dates (the same day; or an undated report
published within :data:`UNDATED_WINDOW` days after the dated one). Hypothetical and denied
reports only group with reports of the same status; a planned report groups with an
occurred one only on the same date. Pure function of the records: the same input in any order
gives the same groups.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

UNDATED_WINDOW = 7  # days between an event and an undated report of it
_RECIPROCAL = frozenset({"CONSULT", "AGREE", "COOPERATE"})
_MODE_FAMILY = {"meet": "meet", "talk": "meet", "negotiate": "meet"}
_STATE_TYPES = frozenset({"GPE", "NORP"})
_STATUS_RANK = {"occurred": 0, "planned": 1, "hypothetical": 2, "denied": 3}


@dataclass(frozen=True)
class Party:
    """A source or target: canonical entity id, display name, type and the state it acts for."""

    entity: str | None
    name: str | None
    type: str | None = None
    country: str | None = None

    def compatible(self, other: Party) -> bool:
        if self.entity is None and self.name is None:
            return other.entity is None and other.name is None
        if self.entity is not None and self.entity == other.entity:
            return True
        if self.country and self.country == other.country:
            return self.type in _STATE_TYPES or other.type in _STATE_TYPES
        return False

    @property
    def empty(self) -> bool:
        return self.entity is None and self.name is None

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "name": self.name, "type": self.type,
                "country": self.country}  # fmt: skip


@dataclass(frozen=True)
class EventRecord:
    """One report of an event: the stored event plus its document's provenance."""

    document_id: str
    ordinal: int
    type: str
    mode: str | None
    status: str
    date: dt.date | None
    source: Party
    target: Party
    location: Party
    start: int
    end: int
    outlet: str | None = None
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    text: str = ""  # the sentence that reports it
    details: dict[str, Any] = field(default_factory=dict)
    # Index into the document's photo captions when the event was coded there (then
    # ``ordinal`` counts caption events and ``start``/``end``/``text`` are the caption's).
    caption: int | None = None

    @property
    def from_caption(self) -> bool:
        return self.caption is not None

    @property
    def key(self) -> tuple[str, bool, int]:
        """Unique per report: caption events are numbered apart from the text's."""
        return (self.document_id, self.from_caption, self.ordinal)

    def as_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "ordinal": self.ordinal,
            "type": self.type,
            "mode": self.mode,
            "status": self.status,
            "date": _iso(self.date),
            "source": self.source.as_dict(),
            "target": self.target.as_dict(),
            "location": self.location.as_dict(),
            "start": self.start,
            "end": self.end,
            "outlet": self.outlet,
            "published": _iso(self.published),
            "title": self.title,
            "url": self.url,
            "text": self.text,
            "date_basis": self.details.get("date_basis"),
            "published_range": self.details.get("published_range"),
            "coordinates": self.details.get("coordinates"),
            "from_caption": self.from_caption,
            "caption": self.caption,
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass
class EventGroup:
    """One real event and every report of it."""

    type: str
    mode: str | None
    status: str
    date: dt.date | None
    source: Party
    target: Party
    location: Party
    reports: list[EventRecord]

    @property
    def outlets(self) -> list[str]:
        return sorted({r.outlet for r in self.reports if r.outlet})

    @property
    def documents(self) -> list[str]:
        return sorted({r.document_id for r in self.reports})

    @property
    def first_published(self) -> dt.date | None:
        dates = [r.published for r in self.reports if r.published]
        return min(dates) if dates else None

    @property
    def id(self) -> str:
        """Stable id: the first report's document and ordinal (``c`` before the ordinal of an
        event coded in a photo caption)."""
        r = min(self.reports, key=lambda r: r.key)
        return f"{r.document_id}:{'c' if r.from_caption else ''}{r.ordinal}"

    @property
    def from_caption(self) -> bool:
        """Every report of it comes from a photo caption, none from an article's text."""
        return all(r.from_caption for r in self.reports)

    @property
    def coordinates(self) -> list[float] | None:
        for r in self.reports:
            if r.details.get("coordinates"):
                return list(r.details["coordinates"])
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "status": self.status,
            "date": _iso(self.date),
            "source": self.source.as_dict(),
            "target": self.target.as_dict(),
            "location": self.location.as_dict(),
            "coordinates": self.coordinates,
            "outlets": self.outlets,
            "documents": self.documents,
            "first_published": _iso(self.first_published),
            "from_caption": self.from_caption,
            "reports": [r.as_dict() for r in self.reports],
        }


def _modes_agree(a: str | None, b: str | None) -> bool:
    return not (a and b and _MODE_FAMILY.get(a, a) != _MODE_FAMILY.get(b, b))


def _dates_agree(a: EventRecord, b: EventRecord) -> bool:
    if a.date and b.date:
        return a.date == b.date
    dated, undated = (a, b) if a.date else (b, a)
    if dated.date is None:  # both undated: reports published close together
        if a.published and b.published:
            return abs((a.published - b.published).days) <= 2
        return False
    if undated.published is None:
        return False
    return 0 <= (undated.published - dated.date).days <= UNDATED_WINDOW


def _statuses_agree(a: EventRecord, b: EventRecord) -> bool:
    if a.status == b.status:
        return True
    if {a.status, b.status} == {"occurred", "planned"}:
        return a.date is not None and a.date == b.date
    return False


def same_event(a: EventRecord, b: EventRecord) -> bool:
    """Are two reports about the same real event?"""
    if a.type != b.type or not _modes_agree(a.mode, b.mode):
        return False
    if not (_statuses_agree(a, b) and _dates_agree(a, b)):
        return False
    if a.source.compatible(b.source) and a.target.compatible(b.target):
        return not (a.source.empty and a.target.empty)
    return a.type in _RECIPROCAL and a.source.compatible(b.target) and a.target.compatible(b.source)


def _pick_party(parties: list[Party]) -> Party:
    """The most specific, most reported party: people over states, then by count."""
    named = [p for p in parties if not p.empty]
    if not named:
        return parties[0]
    counts = Counter(p.entity or p.name for p in named)
    best = max(named, key=lambda p: (p.type == "PERSON", counts[p.entity or p.name],
                                     -named.index(p)))  # fmt: skip
    if best.country is None:  # another report may know the state this actor acts for
        known = [p.country for p in named if p.country and (p.entity or p.name) ==
                 (best.entity or best.name)]  # fmt: skip
        if known:
            best = Party(best.entity, best.name, best.type, Counter(known).most_common(1)[0][0])
    return best


def _make_group(reports: list[EventRecord]) -> EventGroup:
    reports = sorted(reports, key=lambda r: (r.published or dt.date.max, *r.key))
    first = reports[0]
    status = min((r.status for r in reports), key=lambda s: _STATUS_RANK.get(s, 9))
    dates = Counter(r.date for r in reports if r.date)
    date = max(dates, key=lambda d: (dates[d], d)) if dates else None
    modes = Counter(r.mode for r in reports if r.mode)
    mode = max(modes, key=lambda m: (modes[m], m)) if modes else None
    # Orient reciprocal reports like the first one before choosing parties.
    sources, targets = [], []
    for r in reports:
        if first.source.compatible(r.source) or not first.source.compatible(r.target):
            sources.append(r.source)
            targets.append(r.target)
        else:
            sources.append(r.target)
            targets.append(r.source)
    location = _pick_party([r.location for r in reports])
    return EventGroup(first.type, mode, status, date, _pick_party(sources),
                      _pick_party(targets), location, reports)  # fmt: skip


def _party_keys(p: Party) -> set[tuple[str, str]]:
    """(kind, key) pairs: compatible parties share a key (the same entity, or a person and a
    state with the same country). Kind "p" marks a person's country key: two people never
    match by country alone."""
    if p.empty:
        return {("e", "-")}
    keys = {("e", p.entity or p.name or "")}
    if p.country:
        keys.add(("s" if p.type in _STATE_TYPES else "p", p.country))
    return keys


def _day_keys(r: EventRecord) -> set[tuple[str, dt.date]]:
    """Days a compatible report must share (see :func:`_dates_agree`)."""
    if r.date:
        return {("d", r.date)}
    if r.published is None:
        return set()
    keys = {("d", r.published - dt.timedelta(days=k)) for k in range(UNDATED_WINDOW + 1)}
    return keys | {("u", r.published - dt.timedelta(days=k)) for k in range(3)}


def _candidate_pairs(recs: list[EventRecord]) -> list[tuple[int, int]]:
    """Index pairs that could be the same event: same type, actors and days sharing a
    blocking key. Only these are compared, so the cost follows the bucket sizes, not n²."""
    buckets: dict[tuple[Any, ...], list[tuple[int, str, str]]] = {}
    for i, r in enumerate(recs):
        sides = [(s, t) for s in _party_keys(r.source) for t in _party_keys(r.target)]
        if r.type in _RECIPROCAL:
            sides += [(t, s) for s, t in sides]
        for (ks, vs), (kt, vt) in sides:
            for day in _day_keys(r):
                key = (r.type, "e" if ks == "e" else "c", vs, "e" if kt == "e" else "c", vt, day)
                buckets.setdefault(key, []).append((i, ks, kt))
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        for n, (i, ks_i, kt_i) in enumerate(members):
            for j, ks_j, kt_j in members[n + 1 :]:
                if i == j or (ks_i == ks_j == "p") or (kt_i == kt_j == "p"):
                    continue  # two people are the same only by entity, not by country
                pairs.add((i, j) if i < j else (j, i))
    return sorted(pairs)


def group_events(records: Iterable[EventRecord]) -> list[EventGroup]:
    """Group reports of the same real event (see the module docstring), ordered by date
    (undated last), then by first publication."""
    recs = sorted(records, key=lambda r: r.key)
    parent = list(range(len(recs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    dates: dict[int, set[dt.date]] = {i: {r.date} if r.date else set() for i, r in enumerate(recs)}
    pairs = _candidate_pairs(recs)
    # Dated pairs first, so an undated report cannot chain two different days together.
    for dated_pass in (True, False):
        for i, j in pairs:
            a, b = recs[i], recs[j]
            if dated_pass != bool(a.date and b.date) or a.document_id == b.document_id:
                continue  # within one article the extractor already merged its mentions
            ri, rj = find(i), find(j)
            if ri == rj or len(dates[ri] | dates[rj]) > 1 or not same_event(a, b):
                continue
            parent[rj] = ri
            dates[ri] |= dates[rj]
    members: dict[int, list[EventRecord]] = {}
    for i, r in enumerate(recs):
        members.setdefault(find(i), []).append(r)
    groups = [_make_group(m) for m in members.values()]
    groups.sort(key=lambda g: (g.date is None, g.date or dt.date.min,
                               g.first_published or dt.date.max, g.id))  # fmt: skip
    return groups
