"""Quote queries: who said what, filtered by speaker, date, outlet and words of the quote.

Speakers are matched by spelling-variant-folding name keys (:mod:`newsgraph.entities.names`),
so a mangled spelling ("Brinken", "Lawrow") finds the canonical entity; anonymous sources are
matched on their ``speaker_text``. The same statement carried by several outlets (often in
different translations) is grouped with :func:`newsgraph.quotes.group_quotes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rapidfuzz.distance import JaroWinkler

from newsgraph.entities.names import given_compatibility, name_key, skeleton, split_name
from newsgraph.model import Entity, Quote
from newsgraph.quotes.grouping import group_quotes
from newsgraph.store import query as fts
from newsgraph.store.core import Store
from newsgraph.store.schema import documents, entities, quotes

# Jaro-Winkler on transliteration keys: one surname in two spellings ("Brinken"/"Blinken");
# the consonant skeleton must agree too, so short unrelated names do not match.
FAMILY_SIMILARITY = 0.85
WHOLE_NAME_SIMILARITY = 0.92  # organisations and other multi-word names, on full name keys
# Grouping compares quotes in Python: it looks at the newest rows that pass the filters.
DEFAULT_SCAN = 5000
_APOSTROPHES = ("'", "’")


@dataclass(frozen=True)
class QuoteRecord:
    """One stored quote with its document's metadata and its canonical speaker."""

    document_id: str
    ordinal: int
    start: int  # offsets into the document's text
    end: int
    text: str
    kind: str
    cue: str | None
    speaker: Entity | None  # canonical entity; None for anonymous or unknown speakers
    speaker_text: str | None  # the words the document used for the speaker
    outlet: str | None
    published: dt.date | None
    title: str | None
    url: str | None

    @property
    def speaker_name(self) -> str | None:
        """Canonical name if the speaker is an entity, else the document's words."""
        return self.speaker.name if self.speaker else self.speaker_text

    def as_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "cue": self.cue,
            "speaker": self.speaker.id if self.speaker else None,
            "speaker_name": self.speaker_name,
            "speaker_text": self.speaker_text,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "title": self.title,
            "url": self.url,
        }


@dataclass(frozen=True)
class Statement:
    """One statement and every report of it (one per document that carried it)."""

    speaker: Entity | None
    speaker_text: str | None
    text: str  # the longest report
    reports: list[QuoteRecord] = field(default_factory=list)

    @property
    def speaker_name(self) -> str | None:
        return self.speaker.name if self.speaker else self.speaker_text

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets that carried it (documents without an outlet are left out)."""
        return sorted({r.outlet for r in self.reports if r.outlet})

    @property
    def first_published(self) -> dt.date | None:
        dates = [r.published for r in self.reports if r.published]
        return min(dates) if dates else None

    @property
    def last_published(self) -> dt.date | None:
        dates = [r.published for r in self.reports if r.published]
        return max(dates) if dates else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker.id if self.speaker else None,
            "speaker_name": self.speaker_name,
            "speaker_text": self.speaker_text,
            "text": self.text,
            "outlets": self.outlets,
            "first_published": _iso(self.first_published),
            "last_published": _iso(self.last_published),
            "reports": [r.as_dict() for r in self.reports],
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# --- speaker names ------------------------------------------------------------------------


def _family_match(query: str, candidate: str) -> bool:
    """Person-name match: surnames equal up to spelling, given names not in conflict."""
    q, c = split_name(query), split_name(candidate)
    qk, ck = q.family_key, c.family_key
    if not qk or not ck:
        return False
    if qk != ck and (
        skeleton(qk) != skeleton(ck) or JaroWinkler.similarity(qk, ck) < FAMILY_SIMILARITY
    ):
        return False
    return given_compatibility(q.given_keys, c.given_keys) >= 0


def _words_match(query: str, candidate: str) -> bool:
    """Whole-name match, or the query's words as a run inside the candidate's words
    ("State Department" in "the US State Department")."""
    qk, ck = name_key(query), name_key(candidate)
    if not qk or not ck:
        return False
    if qk == ck or JaroWinkler.similarity(qk, ck) >= WHOLE_NAME_SIMILARITY:
        return True
    return f" {qk} " in f" {ck} "


def name_matches(query: str, candidate: str, *, person: bool | None = None) -> bool:
    """Does the user's ``query`` name the speaker called ``candidate``?

    ``person``: the candidate is a person (surname logic), not one (whole-name logic), or
    unknown (either).
    """
    if _words_match(query, candidate):
        return True
    return person is not False and _family_match(query, candidate)


@dataclass(frozen=True)
class SpeakerFilter:
    """What ``--speaker NAME`` resolved to: entity ids and anonymous speaker texts."""

    entity_ids: tuple[str, ...] = ()
    speaker_texts: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entity_ids or self.speaker_texts)


def resolve_speaker(store: Store, name: str) -> SpeakerFilter:
    """Entities that speak in some quote and whose name, alias or role matches ``name``, plus
    the speaker texts of quotes without a canonical speaker that match it."""
    name = (name or "").strip()
    if not name:
        return SpeakerFilter()
    spoken = sa.select(quotes.c.speaker).where(quotes.c.speaker.is_not(None)).distinct()
    ents = sa.select(
        entities.c.id, entities.c.name, entities.c.type, entities.c.aliases, entities.c.roles
    ).where(entities.c.id.in_(spoken))
    texts = (
        sa.select(quotes.c.speaker_text)
        .select_from(quotes.outerjoin(entities, entities.c.id == quotes.c.speaker))
        .where(quotes.c.speaker_text.is_not(None), entities.c.id.is_(None))
        .distinct()
    )
    with store._read() as conn:
        ent_rows = conn.execute(ents).all()
        text_rows = conn.scalars(texts).all()
    ids = []
    for r in ent_rows:
        person = r.type == "PERSON"
        if any(name_matches(name, n, person=person) for n in [r.name, *(r.aliases or [])]):
            ids.append(r.id)
        elif any(_words_match(name, role) for role in r.roles or []):
            ids.append(r.id)  # "Secretary of State" finds whoever the articles gave that role
    found = [t for t in text_rows if name_matches(name, t)]
    return SpeakerFilter(tuple(sorted(ids)), tuple(sorted(found)))


# --- queries ------------------------------------------------------------------------------


def _contains(col: sa.ColumnElement[str], text: str) -> sa.ColumnElement[bool]:
    low = text.lower()
    variants = {low}
    for a in _APOSTROPHES:  # "Russia's" finds "Russia’s" and the other way round
        for b in _APOSTROPHES:
            variants.add(low.replace(a, b))
    lowered = sa.func.lower(col)
    return sa.or_(*(lowered.contains(v, autoescape=True) for v in sorted(variants)))


def text_condition(query: str) -> sa.ColumnElement[bool] | None:
    """Quote-text filter with the search syntax of :mod:`newsgraph.store.query` (words ANDed,
    "phrases", -exclusions, or); matching is case-insensitive substring matching."""
    parsed = fts.parse(query)
    if not parsed:
        return None
    groups = []
    for group in parsed:
        conds = [
            sa.not_(_contains(quotes.c.text, t.text))
            if t.negate
            else _contains(quotes.c.text, t.text)
            for t in group
        ]
        groups.append(sa.and_(*conds))
    return sa.or_(*groups)


def find_quotes(
    store: Store,
    *,
    query: str | None = None,
    speaker: str | SpeakerFilter | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    outlet: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> list[QuoteRecord]:
    """Quotes matching every given filter, newest document first (undated last).

    ``query`` matches the quote text (see :func:`text_condition`); ``speaker`` is a name
    resolved with :func:`resolve_speaker` (or an already resolved filter); ``since`` and
    ``until`` bound the publication date (inclusive; undated documents are left out when
    either is given); ``outlet`` is compared case-insensitively.
    """
    conds: list[sa.ColumnElement[bool]] = []
    if query is not None and query.strip():
        cond = text_condition(query)
        if cond is None:
            return []  # nothing searchable in the query (only punctuation)
        conds.append(cond)
    if speaker is not None:
        sf = resolve_speaker(store, speaker) if isinstance(speaker, str) else speaker
        if not sf:
            return []
        alts = []
        if sf.entity_ids:
            alts.append(quotes.c.speaker.in_(sf.entity_ids))
        if sf.speaker_texts:
            alts.append(
                sa.and_(entities.c.id.is_(None), quotes.c.speaker_text.in_(sf.speaker_texts))
            )
        conds.append(sa.or_(*alts))
    if since is not None:
        conds.append(documents.c.published >= since)
    if until is not None:
        conds.append(documents.c.published <= until)
    if outlet is not None and outlet.strip():
        conds.append(sa.func.lower(documents.c.outlet) == outlet.strip().lower())
    stmt = (
        sa.select(
            quotes,
            documents.c.outlet,
            documents.c.published,
            documents.c.title,
            documents.c.url,
            entities.c.id.label("e_id"),
            entities.c.name.label("e_name"),
            entities.c.type.label("e_type"),
            entities.c.aliases.label("e_aliases"),
            entities.c.roles.label("e_roles"),
            entities.c.wikidata.label("e_wikidata"),
        )
        .select_from(
            quotes.join(documents, documents.c.id == quotes.c.document_id).outerjoin(
                entities, entities.c.id == quotes.c.speaker
            )
        )
        .where(*conds)
        .order_by(
            documents.c.published.desc().nulls_last(),
            documents.c.seq,
            quotes.c.ordinal,
        )
        .offset(max(0, int(offset)))
    )
    if limit is not None:
        stmt = stmt.limit(max(0, int(limit)))
    with store._read() as conn:
        rows = conn.execute(stmt).all()
    return [_record(r) for r in rows]


def _record(r: sa.Row[Any]) -> QuoteRecord:
    ent = None
    if r.e_id is not None:
        ent = Entity(
            id=r.e_id,
            name=r.e_name,
            type=r.e_type,
            aliases=r.e_aliases or [],
            roles=r.e_roles or [],
            wikidata=r.e_wikidata,
        )
    return QuoteRecord(
        document_id=r.document_id,
        ordinal=r.ordinal,
        start=r.start,
        end=r.end,
        text=r.text,
        kind=r.kind,
        cue=r.cue,
        speaker=ent,
        speaker_text=r.speaker_text,
        outlet=r.outlet,
        published=r.published,
        title=r.title,
        url=r.url,
    )


def group_records(records: Sequence[QuoteRecord]) -> list[Statement]:
    """Group reports of the same statement (across documents); newest statement first."""
    by_key: dict[tuple[str, int], QuoteRecord] = {(r.document_id, r.ordinal): r for r in records}
    items = []
    for r in records:
        q = Quote(
            start=r.start,
            end=r.end,
            text=r.text,
            kind=r.kind,  # type: ignore[arg-type]
            cue=r.cue,
            # a canonical id, or the raw one when the entity row is missing (no resolver)
            speaker=r.speaker.id if r.speaker else None,
            speaker_text=r.speaker_text,
        )
        items.append((r.document_id, q, r.ordinal))
    # group_quotes works on (document id, Quote); find each member's record again by span.
    by_span: dict[tuple[str, int, int], list[int]] = {}
    for d, q, o in items:
        by_span.setdefault((d, q.start, q.end), []).append(o)
    out = []
    for g in group_quotes((d, q) for d, q, _ in items):
        reports = []
        for d, q in g.members:
            ordinal = by_span[(d, q.start, q.end)].pop(0)
            reports.append(by_key[(d, ordinal)])
        reports.sort(key=lambda r: (r.published or dt.date.max, r.outlet or "", r.document_id))
        spk = next((r for r in reports if r.speaker is not None), None)
        named = next((r for r in reports if r.speaker_text), reports[0])
        out.append(
            Statement(
                speaker=spk.speaker if spk else None,
                speaker_text=(spk or named).speaker_text,
                text=g.text,
                reports=reports,
            )
        )
    out.sort(
        key=lambda s: (
            -(s.last_published or dt.date.min).toordinal(),
            -len(s.reports),
            s.reports[0].document_id,
            s.reports[0].start,
        )
    )
    return out


def find_statements(
    store: Store,
    *,
    query: str | None = None,
    speaker: str | SpeakerFilter | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    outlet: str | None = None,
    limit: int | None = 20,
    scan: int = DEFAULT_SCAN,
) -> list[Statement]:
    """Like :func:`find_quotes`, grouped into statements (newest first).

    Grouping runs over the ``scan`` newest matching quotes: narrow the filters to group
    across a larger archive.
    """
    records = find_quotes(
        store,
        query=query,
        speaker=speaker,
        since=since,
        until=until,
        outlet=outlet,
        limit=scan,
    )
    groups = group_records(records)
    return groups if limit is None else groups[: max(0, int(limit))]
