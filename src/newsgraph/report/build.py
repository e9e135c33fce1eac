"""Build a :class:`Report` from what the store holds for a selection of documents."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from newsgraph.events.grouping import EventGroup
from newsgraph.model import Document, Entity, Quote
from newsgraph.quotes import QuoteGroup, group_quotes
from newsgraph.quotes.grouping import normalise
from newsgraph.report.discrepancies import find_discrepancies
from newsgraph.report.events import grouped_caption_events, grouped_events
from newsgraph.report.model import (
    Actor,
    ArticleRef,
    CaptionRef,
    Position,
    Report,
    RoleClaim,
    Selection,
    SourceRef,
    Statement,
    TimelineEntry,
)
from newsgraph.report.roles import mention_roles
from newsgraph.report.sources import dedupe, span_ref
from newsgraph.store import Store
from newsgraph.store import report as q

ACTOR_TYPES = ("PERSON", "ORG", "GPE", "NORP")
TIMELINE_STATUSES = ("occurred", "planned")
POSITION_TYPES = ("REQUEST", "REJECT", "THREATEN", "SUPPORT", "ACCUSE")
# Cue verbs (lemmas, as the quotes stage stores them) that state a position.
CUE_POSITIONS = {
    "demand": "REQUEST", "urge": "REQUEST", "ask": "REQUEST", "call": "REQUEST",
    "request": "REQUEST", "insist": "REQUEST", "appeal": "REQUEST",
    "reject": "REJECT", "refuse": "REJECT", "deny": "REJECT", "dismiss": "REJECT",
    "refute": "REJECT", "rule out": "REJECT", "decline": "REJECT",
    "threaten": "THREATEN", "warn": "THREATEN",
    "support": "SUPPORT", "back": "SUPPORT", "endorse": "SUPPORT", "welcome": "SUPPORT",
    "praise": "SUPPORT",
    "accuse": "ACCUSE", "blame": "ACCUSE", "condemn": "ACCUSE", "criticize": "ACCUSE",
    "criticise": "ACCUSE", "allege": "ACCUSE",
}  # fmt: skip


class SelectionError(ValueError):
    """The selection names something that does not exist (unknown story or entity)."""


def _store_of(source: Any) -> Store:
    store = getattr(source, "store", source)
    if not isinstance(store, Store):
        raise TypeError(f"expected a Store or NewsGraph, got {type(source).__name__}")
    return store


def select_documents(store: Store, selection: Selection) -> tuple[list[str], int]:
    """Ids of the selected documents (chronological) and how many matched before the limit."""
    ids: list[str] | None = None

    def restrict(found: Sequence[str]) -> None:
        nonlocal ids
        wanted = set(found)
        ids = list(found) if ids is None else [i for i in ids if i in wanted]

    if selection.story:
        found = q.story_document_ids(store, selection.story)
        if found is None:
            raise SelectionError(f"no story with id {selection.story!r}")
        restrict(found)
    if selection.entity:
        ents = q.find_entities(store, selection.entity)
        if not ents:
            raise SelectionError(f"no entity called {selection.entity!r}")
        restrict(q.entity_document_ids(store, [e.id for e in ents]))
    if selection.query:
        hits = store.search(selection.query, limit=max(selection.limit, 1) * 5)
        restrict([h.id for h in hits])
    return q.select_document_ids(
        store, ids=ids, since=selection.since, until=selection.until, limit=selection.limit
    )


def _timeline(groups: Sequence[EventGroup], docs_by_id: dict[str, Document]) -> list[TimelineEntry]:
    out = []
    for g in groups:
        reports: dict[tuple[str, int, int], tuple[SourceRef, dt.date | None, str]] = {}
        published = [p for r in g.reports if (p := docs_by_id[r.document_id].published) is not None]
        for r in g.reports:
            ref = span_ref(docs_by_id[r.document_id], r.start, r.end)
            reports.setdefault((ref.document, ref.start, ref.end), (ref, r.date, r.status))
        out.append(
            TimelineEntry(
                date=g.date,
                type=g.type,
                mode=g.mode,
                source=g.source.name,
                target=g.target.name,
                location=g.location.name,
                status=g.status,
                sources=[r[0] for r in reports.values()],
                dates=sorted({r.date for r in g.reports if r.date is not None}),
                source_dates=[r[1] for r in reports.values()],
                source_statuses=[r[2] for r in reports.values()],
                reported=min(published, default=None),
            )
        )
    out.sort(key=_when)
    return out


def _when(t: TimelineEntry) -> tuple[dt.date, bool, str, str]:
    # Undated events (no date in the text) sit at the day they were first reported.
    return (t.date or t.reported or dt.date.max, t.date is None, t.type, t.source or "")


def _caption_timeline(groups: Sequence[EventGroup]) -> list[TimelineEntry]:
    """Timeline entries of events told in photo captions (marked by their ``captions``)."""
    out = []
    for g in groups:
        caps = {
            (r.document_id, r.caption): CaptionRef(
                r.document_id, r.caption or 0, r.text, r.outlet, r.published
            )
            for r in g.reports
        }
        published = [r.published for r in g.reports if r.published is not None]
        out.append(
            TimelineEntry(
                date=g.date,
                type=g.type,
                mode=g.mode,
                source=g.source.name,
                target=g.target.name,
                location=g.location.name,
                status=g.status,
                dates=sorted({r.date for r in g.reports if r.date is not None}),
                reported=min(published, default=None),
                captions=list(caps.values()),
            )
        )
    return out


def _rank_actors(docs: Sequence[Document], ents: dict[str, Entity], n: int) -> list[Actor]:
    mention_count: Counter[str] = Counter()
    doc_count: Counter[str] = Counter()
    for d in docs:
        seen = set()
        for m in d.mentions:
            if m.entity and m.entity in ents and ents[m.entity].type in ACTOR_TYPES:
                mention_count[m.entity] += 1
                seen.add(m.entity)
        doc_count.update(seen)
    # People first among equals: they are who speaks and acts in diplomatic news.
    ranked = sorted(
        doc_count,
        key=lambda i: (-doc_count[i], -(ents[i].type == "PERSON"), -mention_count[i], i),
    )
    return [
        Actor(
            id=i,
            name=ents[i].name,
            type=ents[i].type,
            mentions=mention_count[i],
            documents=doc_count[i],
            aliases=list(ents[i].aliases),
        )
        for i in ranked[:n]
    ]


def _quote_ref(doc: Document, quote: Quote) -> SourceRef:
    return span_ref(doc, quote.start, quote.end)


def _statements(
    docs_by_id: dict[str, Document], quotes: list[tuple[str, Quote]], limit: int, cap: int
) -> list[tuple[Statement, list[tuple[str, Quote]]]]:
    # Grouping is quadratic in the speaker's quotes: keep the newest ``cap`` of them.
    if len(quotes) > cap:
        quotes = sorted(
            quotes, key=lambda it: docs_by_id[it[0]].published or dt.date.min, reverse=True
        )[:cap]
    out = []
    # The same words twice in one article (a summary bullet and the body) are one statement.
    merged: dict[str, QuoteGroup] = {}
    for g in group_quotes(quotes):
        key = normalise(g.text)
        if key in merged:
            merged[key].members.extend(g.members)
        else:
            merged[key] = g
    for g in merged.values():
        cues = Counter(qt.cue for _, qt in g.members if qt.cue)
        kinds = Counter(qt.kind for _, qt in g.members)
        refs = dedupe([_quote_ref(docs_by_id[d], qt) for d, qt in g.members])
        out.append(
            (
                Statement(
                    text=g.text,
                    kind=kinds.most_common(1)[0][0],
                    cue=cues.most_common(1)[0][0] if cues else None,
                    sources=refs,
                ),
                g.members,
            )
        )
    out.sort(
        key=lambda s: (
            -len({r.document for r in s[0].sources}),
            min((r.published or dt.date.max) for r in s[0].sources),
        )
    )
    return out[:limit] if limit else out


def _dates(refs: Sequence[SourceRef], own: Sequence[dt.date | None] = ()) -> list[dt.date]:
    ds = [d for d in own if d is not None]
    ds += [r.published for r in refs if r.published is not None]
    return sorted(ds)


def build_report(
    source: Store | Any,
    selection: Selection | None = None,
    *,
    max_actors: int = 12,
    max_statements: int = 8,
    quote_cap: int = 50,
    max_timeline: int = 150,
    max_event_reports: int = 2500,
    max_positions: int = 4,
    max_discrepancies: int = 40,
) -> Report:
    """Build the situation report for ``selection`` (default: all documents).

    ``source`` is a :class:`~newsgraph.store.Store` or a :class:`~newsgraph.api.NewsGraph`.
    Raises :class:`SelectionError` for an unknown story or entity. The ``max_*`` bounds keep
    a report on a large story readable (and fast): the best-supported items are kept and a
    note says how many were left out; ``quote_cap`` bounds the newest quotes per actor that
    are grouped into statements and ``max_event_reports`` the newest event reports grouped
    into happenings (both groupings compare pairs).
    """
    store = _store_of(source)
    selection = selection or Selection()
    ids, matched = select_documents(store, selection)
    all_docs = list(q.load_documents(store, ids))
    notes: list[str] = []
    if matched > len(ids):
        notes.append(f"{matched} documents matched; the newest {len(ids)} are covered.")
    # Copies of another article repeat its facts: they count as coverage, not as evidence.
    docs = [d for d in all_docs if d.duplicate_of is None]
    docs_by_id = {d.id: d for d in docs}
    entity_ids = {m.entity for d in docs for m in d.mentions if m.entity}
    entity_ids |= {x for d in docs for e in d.events for x in (e.source, e.target, e.location) if x}
    entity_ids |= {qt.speaker for d in docs for qt in d.quotes if qt.speaker}
    ents = q.entities_by_id(store, sorted(entity_ids))

    articles = [
        ArticleRef(d.id, d.outlet, d.title, d.published, d.url, d.duplicate_of) for d in all_docs
    ]
    dated = [d.published for d in all_docs if d.published]
    groups, dropped_events = grouped_events(docs, ents, limit=max_event_reports)
    if dropped_events:
        notes.append(
            f"Events come from the newest {max_event_reports} of "
            f"{max_event_reports + dropped_events} event reports."
        )
    full_timeline = _timeline(groups, docs_by_id)
    # What happened or is scheduled; conditional and denied events stay out of the timeline
    # (they still count when looking for discrepancies).
    timeline = [t for t in full_timeline if t.status in TIMELINE_STATUSES]
    if len(timeline) < len(full_timeline):
        notes.append(
            f"{len(full_timeline) - len(timeline)} hypothetical or denied events are not in "
            "the timeline."
        )
    # Events told only in photo captions, marked as such (no text span to cite).
    captioned = _caption_timeline(grouped_caption_events(docs, ents))
    timeline += [t for t in captioned if t.status in TIMELINE_STATUSES]
    timeline.sort(key=_when)
    if len(timeline) > max_timeline:
        keep = set(map(id, sorted(timeline, key=_support)[:max_timeline]))
        notes.append(
            f"The timeline shows the {max_timeline} best-reported of {len(timeline)} events."
        )
        timeline = [t for t in timeline if id(t) in keep]

    roles = mention_roles(docs)  # entity id -> [(role text, ref)]
    quotes_by_speaker: dict[str, list[tuple[str, Quote]]] = defaultdict(list)
    for d in docs:
        for qt in d.quotes:
            if qt.speaker and not qt.speaker.startswith("local:"):
                quotes_by_speaker[qt.speaker].append((d.id, qt))

    actors = _rank_actors(docs, ents, max_actors)
    positions: list[Position] = []
    for actor in actors:
        by_role: dict[str, RoleClaim] = {}
        for role in roles.get(actor.id, []):
            key = " ".join(role.text.split()).casefold()
            claim = by_role.setdefault(key, RoleClaim(" ".join(role.text.split())))
            claim.sources.append(role.ref)
        actor.roles = sorted(by_role.values(), key=lambda c: (-len(c.sources), c.role))
        if not actor.roles:
            actor.roles = [RoleClaim(r) for r in ents[actor.id].roles]
        stmts = _statements(docs_by_id, quotes_by_speaker.get(actor.id, []), 0, quote_cap)
        actor.statements = [s for s, _ in stmts[:max_statements]]
        for s, _members in stmts:
            kind = CUE_POSITIONS.get(s.cue or "")
            if kind:
                ds = _dates(s.sources)
                positions.append(
                    Position(
                        actor.name,
                        kind,
                        None,
                        s.text,
                        ds[0] if ds else None,
                        ds[-1] if ds else None,
                        s.sources,
                    )
                )

    actor_ids = {a.id for a in actors}
    for g in groups:
        if g.type not in POSITION_TYPES or g.source.entity not in actor_ids:
            continue
        reports = [r for r in g.reports if r.status != "denied"]  # a denied demand is none
        if not reports:
            continue
        refs = dedupe([span_ref(docs_by_id[r.document_id], r.start, r.end) for r in reports])
        ds = _dates(refs, [r.date for r in reports])
        positions.append(
            Position(
                actor=g.source.name or "",
                kind=g.type,
                target=g.target.name,
                text=refs[0].excerpt,
                first=ds[0] if ds else None,
                latest=ds[-1] if ds else None,
                sources=refs,
            )
        )
    order = {a.name: i for i, a in enumerate(actors)}
    positions.sort(
        key=lambda p: (order.get(p.actor, 99), POSITION_TYPES.index(p.kind), p.first or dt.date.max)
    )

    positions, dropped = _cap_positions(positions, max_positions)
    if dropped:
        notes.append(f"{dropped} less-reported positions are left out.")
    discrepancies = find_discrepancies(docs, ents, full_timeline, roles)
    if len(discrepancies) > max_discrepancies:
        notes.append(
            f"The {max_discrepancies} best-supported of {len(discrepancies)} discrepancies "
            "are shown."
        )
        ranked = sorted(discrepancies, key=lambda d: -len({s.document for c in d.claims
                                                            for s in c.sources}))  # fmt: skip
        discrepancies = ranked[:max_discrepancies]
    title = _title(store, selection, actors)
    return Report(
        title=title,
        selection=selection,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
        period=(min(dated) if dated else None, max(dated) if dated else None),
        articles=articles,
        timeline=timeline,
        actors=actors,
        positions=positions,
        discrepancies=discrepancies,
        notes=notes,
    )


def _support(t: TimelineEntry) -> tuple[int, bool, dt.date]:
    """Sort key, best first: more articles, dated, then earlier."""
    return (-len({r.document for r in t.sources}), t.date is None, t.date or dt.date.max)


def _cap_positions(positions: list[Position], n: int) -> tuple[list[Position], int]:
    """At most ``n`` positions per actor and kind: the most reported, then the latest."""
    by_key: dict[tuple[str, str], list[Position]] = defaultdict(list)
    for p in positions:
        by_key[(p.actor, p.kind)].append(p)
    keep: set[int] = set()
    for items in by_key.values():
        items.sort(key=lambda p: (-len({s.document for s in p.sources}),
                                  -(p.latest or dt.date.min).toordinal()))  # fmt: skip
        keep.update(id(p) for p in items[:n])
    kept = [p for p in positions if id(p) in keep]
    return kept, len(positions) - len(kept)


def _title(store: Store, selection: Selection, actors: Sequence[Actor]) -> str:
    if selection.story:
        title = q.story_title(store, selection.story)
        if title:
            return f"Situation report: {title}"
    if selection.entity:
        return f"Situation report: {selection.entity}"
    if selection.query:
        return f"Situation report: {selection.query}"
    names = [a.name for a in actors[:3]]
    return "Situation report" + (f": {', '.join(names)}" if names else "")
