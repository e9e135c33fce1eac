"""Where the selected articles disagree: numbers, roles, event dates and event status.

Each finding lists the conflicting versions side by side, every version with the spans that
state it. Only disagreements *between* documents are reported.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence

from newsgraph.model import Document, Entity
from newsgraph.report.model import Claim, Discrepancy, SourceRef, TimelineEntry
from newsgraph.report.quantities import Quantity, extract_quantities
from newsgraph.report.roles import RoleMention
from newsgraph.report.sources import dedupe, span_ref

NUMBER_WINDOW_DAYS = 7  # figures from articles further apart in time are not compared
# Role heads too generic to contradict a specific office ("leader" vs "president").
GENERIC_HEADS = frozenset({"leader", "official", "head", "chief", "spokesperson", "general"})


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 or v == int(v) else f"{v:g}"


def _range(lo: float, hi: float) -> str:
    if math.isinf(hi):
        return f"≥ {_fmt(lo)}"
    if lo == 0:
        return f"≤ {_fmt(hi)}"
    if lo == hi:
        return _fmt(lo)
    return f"{_fmt(lo)}–{_fmt(hi)}"


def _entities_in(doc: Document, span: tuple[int, int]) -> set[str]:
    return {m.entity for m in doc.mentions if m.entity and span[0] <= m.start < span[1]}


def number_discrepancies(
    docs: Sequence[Document], *, max_sentences: int = 150
) -> list[Discrepancy]:
    """Different numbers given for the same kind of thing in sentences about the same actors.

    Claims are linked when they count the same class of thing ("troops", "soldiers"), their
    sentences share a named entity and their articles (when dated) appeared within
    ``NUMBER_WINDOW_DAYS`` of each other; a group is a discrepancy when two documents give different
    values. Vague and bounded values count as different ("tens of thousands" vs "90,000").
    """
    by_id = {d.id: d for d in docs}
    qs = extract_quantities(docs, max_sentences=max_sentences)
    ents = [_entities_in(by_id[q.document], q.sentence) for q in qs]
    parent = list(range(len(qs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    published = [by_id[q.document].published for q in qs]
    for i in range(len(qs)):
        for j in range(i + 1, len(qs)):
            if qs[i].counted != qs[j].counted or not ents[i] & ents[j]:
                continue
            a, b = published[i], published[j]
            if a is not None and b is not None and abs((a - b).days) > NUMBER_WINDOW_DAYS:
                continue  # a count weeks apart may have changed (troops keep arriving)
            parent[find(j)] = find(i)
    groups: dict[int, list[Quantity]] = defaultdict(list)
    for i, qt in enumerate(qs):
        groups[find(i)].append(qt)
    out = []
    for members in groups.values():
        values: dict[tuple[float, float], list[Quantity]] = defaultdict(list)
        for qt in members:
            values[(qt.lo, qt.hi)].append(qt)
        docs_per_value = [{qt.document for qt in v} for v in values.values()]
        if len(values) < 2 or len(set().union(*docs_per_value)) < 2:
            continue
        lo = max(v[0] for v in values)
        hi = min(v[1] for v in values)
        compatible = lo <= hi
        claims = [
            Claim(
                value=v[0].text,
                detail=_range(*key),
                sources=dedupe([span_ref(by_id[qt.document], qt.start, qt.end) for qt in v]),
            )
            for key, v in sorted(values.items(), key=lambda kv: (kv[0][0], kv[0][1]))
        ]
        noun = members[0].counted
        summary = (
            f"{len(values)} different figures for {noun} in "
            f"{len(set().union(*docs_per_value))} articles"
            + ("" if compatible else "; they cannot all be true")
        )
        out.append(Discrepancy("number", noun, summary, claims))
    out.sort(key=lambda d: -sum(len(c.sources) for c in d.claims))
    return out


def _words(head: str) -> set[str]:
    return set(head.replace("-", " ").split())


def role_discrepancies(
    roles: dict[str, list[RoleMention]], ents: dict[str, Entity]
) -> list[Discrepancy]:
    """One entity given roles of different countries, or incompatible offices, by articles."""
    out = []
    for eid, rms in roles.items():
        name = ents[eid].name if eid in ents else eid
        by_country: dict[str, list[RoleMention]] = defaultdict(list)
        for rm in rms:
            if rm.country:
                by_country[rm.country].append(rm)
        docs = {rm.ref.document for v in by_country.values() for rm in v}
        if len(by_country) > 1 and len(docs) > 1:
            claims = [
                Claim(
                    value=" / ".join(dict.fromkeys(rm.text for rm in v)),
                    detail=f"country {c}",
                    sources=dedupe([rm.ref for rm in v]),
                )
                for c, v in sorted(by_country.items(), key=lambda kv: -len(kv[1]))
            ]
            out.append(
                Discrepancy(
                    "role",
                    name,
                    f"{name} is given roles of {len(by_country)} different countries",
                    claims,
                )
            )
            continue
        heads: dict[str, list[RoleMention]] = defaultdict(list)
        for rm in rms:
            if not (_words(rm.head) & GENERIC_HEADS):
                heads[rm.head].append(rm)
        names = list(heads)
        clash = any(
            not (_words(a) <= _words(b) or _words(b) <= _words(a))
            and {rm.ref.document for rm in heads[a]} != {rm.ref.document for rm in heads[b]}
            for i, a in enumerate(names)
            for b in names[i + 1 :]
        )
        if clash:
            claims = [
                Claim(
                    value=" / ".join(dict.fromkeys(rm.text for rm in v)),
                    detail=h,
                    sources=dedupe([rm.ref for rm in v]),
                )
                for h, v in sorted(heads.items(), key=lambda kv: -len(kv[1]))
            ]
            out.append(Discrepancy("role", name, f"{name} is given different offices", claims))
    return out


DATE_WINDOW_DAYS = 3  # two reports of one happening rarely disagree by more
# Types whose reports name one concrete happening (a meeting, a strike, a sanction); demands,
# threats and accusations recur between the same actors day after day, so separate entries of
# those on nearby dates are not taken for one event with conflicting dates.
HAPPENING_TYPES = frozenset(
    {"CONSULT", "AGREE", "AID", "RETREAT", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST"}
)


def _subject(t: TimelineEntry) -> str:
    return f"{t.type} {t.source or '?'} → {t.target or '?'}"


def _docs(refs: Sequence[SourceRef]) -> set[str]:
    return {r.document for r in refs}


def _date_claims(entries: Sequence[TimelineEntry]) -> list[Claim]:
    by_date: dict[str, list[SourceRef]] = defaultdict(list)
    for t in entries:
        for ref, d in zip(t.sources, t.source_dates, strict=True):
            if d is not None:
                by_date[d.isoformat()].append(ref)
    return [Claim(value=d, sources=dedupe(refs)) for d, refs in sorted(by_date.items())]


def _differ(claims: Sequence[Claim]) -> bool:
    """At least two dates, and some document gives a date no other claim's document gives."""
    if len(claims) < 2:
        return False
    docs = [_docs(c.sources) for c in claims]
    return any(
        d - set().union(*(o for k, o in enumerate(docs) if k != i)) for i, d in enumerate(docs)
    )


def _date_discrepancy(t: TimelineEntry, claims: list[Claim]) -> Discrepancy:
    return Discrepancy("date", _subject(t), f"reported with {len(claims)} different dates", claims)


def _reports(
    entries: Sequence[TimelineEntry], status: str
) -> list[tuple[SourceRef, dt.date | None]]:
    return [
        (ref, d)
        for t in entries
        for ref, d, st in zip(t.sources, t.source_dates, t.source_statuses, strict=True)
        if st == status
    ]


def _same_time(a: tuple[SourceRef, dt.date | None], b: tuple[SourceRef, dt.date | None]) -> bool:
    """Could two reports be about the same occasion? Dates within the window, or, undated,
    articles published within it (unknown publication dates: no)."""
    da, db = a[1] or a[0].published, b[1] or b[0].published
    return da is not None and db is not None and abs((da - db).days) <= DATE_WINDOW_DAYS


def event_discrepancies(timeline: Sequence[TimelineEntry]) -> list[Discrepancy]:
    """One happening given different dates by different articles, or reported as having
    happened by one article and as denied by another at the same time."""
    out = []
    for t in timeline:
        claims = _date_claims([t])
        if _differ(claims):
            out.append(_date_discrepancy(t, claims))
    keyed: dict[tuple[str, str | None, str | None], list[TimelineEntry]] = defaultdict(list)
    for t in timeline:
        if t.source or t.target:
            keyed[(t.type, t.source, t.target)].append(t)
    for entries in keyed.values():
        occurred, denied = _reports(entries, "occurred"), _reports(entries, "denied")
        pairs = [
            (o, d) for o in occurred for d in denied
            if o[0].document != d[0].document and _same_time(o, d)
        ]  # fmt: skip
        if pairs:
            occ = dedupe([o[0] for o, _ in pairs])
            den = dedupe([d[0] for _, d in pairs])
            out.append(
                Discrepancy("status", _subject(entries[0]), "reported as happened and as denied",
                            [Claim("occurred", occ), Claim("denied", den)])
            )  # fmt: skip
        if entries[0].type not in HAPPENING_TYPES:
            continue
        # Separate entries that differ only in their date, a few days apart, in other articles.
        dated = sorted(
            (t for t in entries if t.date is not None), key=lambda t: t.date or dt.date.min
        )
        chain: list[TimelineEntry] = []
        for t in [*dated, None]:
            if (
                t is not None
                and chain
                and t.date
                and chain[-1].date
                and (t.date - chain[-1].date).days <= DATE_WINDOW_DAYS
                and not _docs(t.sources) & set().union(*(_docs(c.sources) for c in chain))
            ):
                chain.append(t)
                continue
            if len(chain) > 1:
                out.append(_date_discrepancy(chain[0], _date_claims(chain)))
            chain = [t] if t is not None else []
    return out


def find_discrepancies(
    docs: Sequence[Document],
    ents: dict[str, Entity],
    timeline: Sequence[TimelineEntry],
    roles: dict[str, list[RoleMention]],
) -> list[Discrepancy]:
    return [
        *number_discrepancies(docs),
        *role_discrepancies(roles, ents),
        *event_discrepancies(timeline),
    ]
