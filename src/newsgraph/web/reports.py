"""Situation reports for the API and the report page.

Uses ``newsgraph.report`` (the report module) when it is installed; until then a basic
report from the store's tables: the scope's articles, outlets, events timeline and actors
with their quotes. The returned object is always a JSON-able dict.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from jinja2 import Environment, PackageLoader, select_autoescape

from newsgraph.store import Store
from newsgraph.store import web as q
from newsgraph.store.schema import documents, entities, mentions

MAX_DOCS = 1000
_env = Environment(
    loader=PackageLoader("newsgraph.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


@dataclass
class Scope:
    story: str | None = None
    entity: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    query: str | None = None

    def describe(self) -> str:
        parts = []
        if self.story:
            parts.append(f"story {self.story}")
        if self.entity:
            parts.append(f"entity {self.entity}")
        if self.query:
            parts.append(f"search “{self.query}”")
        if self.since or self.until:
            parts.append(f"{self.since or '…'} to {self.until or '…'}")
        return ", ".join(parts) or "latest articles"


_MD_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]#|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
)


def _md(value: object) -> str:
    """Untrusted text as inert Markdown: no markup, links or raw HTML survive."""
    return " ".join(str(value).translate(_MD_SPECIAL).split())


_env.filters["md"] = _md


def _module() -> Any | None:
    try:
        return importlib.import_module("newsgraph.report")
    except ImportError:
        return None


def _resolve_entity(store: Store, key: str) -> str | None:
    if q.get_entity(store, key) is not None:
        return key
    with store._read() as conn:
        return conn.scalar(
            sa.select(entities.c.id)
            .where(sa.func.lower(entities.c.name) == key.lower())
            .order_by(entities.c.id)
            .limit(1)
        )


def _document_ids(store: Store, scope: Scope) -> list[str]:
    d = documents
    cond: list[sa.ColumnElement[bool]] = [d.c.duplicate_of.is_(None)]
    if scope.story:
        story = q.get_story(store, scope.story)
        listed = story["documents"] if story else []
        cond.append(sa.or_(d.c.story == scope.story, d.c.id.in_(listed[:MAX_DOCS])))
    if scope.entity:
        ent = _resolve_entity(store, scope.entity)
        cond.append(d.c.id.in_(sa.select(mentions.c.document_id).where(mentions.c.entity == ent)))
    if scope.query:
        hits = store.search(scope.query, limit=MAX_DOCS)
        cond.append(d.c.id.in_([h.id for h in hits]))
    if scope.since:
        cond.append(d.c.published >= scope.since)
    if scope.until:
        cond.append(d.c.published <= scope.until)
    with store._read() as conn:
        return list(
            conn.scalars(
                sa.select(d.c.id)
                .where(*cond)
                .order_by(d.c.published.desc().nulls_last(), d.c.seq.desc())
                .limit(MAX_DOCS if (scope.story or scope.entity or scope.query) else 200)
            )
        )


def _basic(store: Store, scope: Scope) -> dict[str, Any]:
    ids = _document_ids(store, scope)
    docs = list(q.document_summaries(store, ids).values())
    docs.sort(key=lambda x: (x["published"] or dt.date.max, x["id"]))
    timeline: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    actor_docs: Counter[str] = Counter()
    for i in range(0, len(ids), 200):
        chunk = ids[i : i + 200]
        timeline += q.list_events(store, q.EventFilter(), 10_000, 0, doc_ids=chunk).items
        quotes += q.list_quotes(
            store,
            speaker=None,
            kind=None,
            document=None,
            story=None,
            limit=10_000,
            offset=0,
            doc_ids=chunk,
        ).items
        with store._read() as conn:
            rows = conn.execute(
                sa.select(mentions.c.entity, sa.func.count(sa.distinct(mentions.c.document_id)))
                .where(mentions.c.document_id.in_(chunk), mentions.c.entity.is_not(None))
                .group_by(mentions.c.entity)
            )
            actor_docs.update(dict(rows.all()))
    top = [e for e, _ in actor_docs.most_common(12)]
    actors = []
    for ent_id in top:
        ent = q.get_entity(store, ent_id)
        if ent is None:
            continue
        said = [x for x in quotes if x["speaker"] == ent_id][:8]
        actors.append({**ent, "documents": actor_docs[ent_id], "quotes": said})
    outlets = Counter(x["outlet"] or "unknown" for x in docs)
    title = scope.describe()
    if scope.story and (story := q.get_story(store, scope.story)):
        title = story["title"]
    return {
        "title": title,
        "scope": scope.describe(),
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "engine": "basic",
        "documents": docs,
        "outlets": [{"value": o, "count": c} for o, c in outlets.most_common()],
        "timeline": timeline,
        "actors": actors,
    }


def build(store: Store, scope: Scope) -> dict[str, Any]:
    """The report as a dict; ``engine`` says which builder made it ("report" or "basic").

    Raises ``LookupError`` for an unknown story or entity (the report module's rule).
    """
    mod = _module()
    if mod is not None and hasattr(mod, "build_report") and hasattr(mod, "Selection"):
        selection = mod.Selection(**asdict(scope))
        try:
            rep = mod.build_report(store, selection)
        except getattr(mod, "SelectionError", LookupError) as e:
            raise LookupError(str(e)) from e
        return {"engine": "report", "_object": rep, **_as_dict(rep)}
    return _basic(store, scope)


def _as_dict(rep: Any) -> dict[str, Any]:
    if hasattr(rep, "model_dump"):
        return rep.model_dump(mode="json")
    if isinstance(rep, dict):
        return rep
    return asdict(rep)


def markdown(built: dict[str, Any]) -> str:
    mod = _module()
    if "_object" in built and mod is not None and hasattr(mod, "render_markdown"):
        return mod.render_markdown(built["_object"], link_base="/documents/")
    return _env.get_template("report.md").render(r=built)


def html(built: dict[str, Any], store: Store, scope: Scope) -> str:
    """A self-contained HTML file (its own styles, no scripts, no external requests)."""
    mod = _module()
    if "_object" in built and mod is not None and hasattr(mod, "render_html"):
        try:
            return mod.render_html(built["_object"])
        except NotImplementedError:  # the module's renderer is not there yet
            built = _basic(store, scope)
    return _env.get_template("report_standalone.html").render(r=built)


def json_bytes(built: dict[str, Any]) -> bytes:
    data = {k: v for k, v in built.items() if not k.startswith("_")}
    return json.dumps(data, ensure_ascii=False, default=str).encode()
