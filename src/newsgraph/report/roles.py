"""Roles that articles attach to entities ("Russian Foreign Minister Ivan Petrov"), with spans.

The entities stage records each person's roles per document (text, normalised head, country,
span) in ``doc.extra["local_entities"]`` and maps local keys to canonical entities in
``doc.extra["entity_map"]``. Headlines are not part of ``text``, so they are annotated here
with the same entity annotator (only headlines that contain a role word, to stay fast) and
their people matched to the document's entities by family name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.entities.names import ROLE_HEADS
from newsgraph.model import Document
from newsgraph.report.model import SourceRef
from newsgraph.report.sources import span_ref

_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class RoleMention:
    text: str
    head: str
    country: str | None
    ref: SourceRef


def _local_entities(doc: Document) -> list[dict[str, Any]]:
    les = doc.extra.get("local_entities") if isinstance(doc.extra, dict) else None
    return [le for le in les or [] if isinstance(le, dict)]


def _entity_map(doc: Document) -> dict[str, str]:
    em = doc.extra.get("entity_map") if isinstance(doc.extra, dict) else None
    return {k: v for k, v in (em or {}).items() if isinstance(k, str) and isinstance(v, str)}


def _role(r: Any) -> tuple[str, str, str | None, int, int] | None:
    try:
        return str(r["text"]), str(r["head"]), r.get("country"), int(r["start"]), int(r["end"])
    except (KeyError, TypeError, ValueError):
        return None  # a malformed record from an older or foreign writer: skip it


def _text_roles(doc: Document) -> list[tuple[str, RoleMention]]:
    em = _entity_map(doc)
    out = []
    for le in _local_entities(doc):
        canon = em.get(str(le.get("key")))
        if not canon:
            continue
        for r in le.get("roles") or []:
            parsed = _role(r)
            if parsed is None:
                continue
            text, head, country, start, end = parsed
            if doc.text[start:end] != text:
                continue  # offsets must hold, or the link would show the wrong words
            out.append((canon, RoleMention(text, head, country, span_ref(doc, start, end))))
    return out


def _has_role_word(title: str) -> bool:
    return any(w.lower() in ROLE_HEADS for w in _WORD.findall(title))


def _title_roles(docs: Sequence[Document]) -> list[tuple[str, RoleMention]]:
    todo = [d for d in docs if d.title and _has_role_word(d.title)]
    if not todo:
        return []
    from newsgraph.entities import annotate_many  # loads spaCy: only when a headline needs it

    heads = [Document(id=d.id, input=d.input, text=d.title or "") for d in todo]
    out = []
    for doc, tdoc in zip(todo, annotate_many(heads), strict=True):
        em = _entity_map(doc)
        by_family: dict[str, set[str]] = defaultdict(set)
        for le in _local_entities(doc):
            canon = em.get(str(le.get("key")))
            if canon and le.get("family_key"):
                by_family[str(le["family_key"])].add(canon)
        for le in _local_entities(tdoc):
            candidates = by_family.get(str(le.get("family_key") or ""), set())
            if len(candidates) != 1:
                continue  # unknown or ambiguous in the article: do not guess
            canon = next(iter(candidates))
            for r in le.get("roles") or []:
                parsed = _role(r)
                if parsed is None:
                    continue
                text, head, country, start, end = parsed
                ref = span_ref(doc, start, end, field="title")
                if ref.excerpt == text:
                    out.append((canon, RoleMention(text, head, country, ref)))
    return out


def mention_roles(docs: Sequence[Document]) -> dict[str, list[RoleMention]]:
    """Every role an article gives each canonical entity, with its span, by entity id."""
    by_entity: dict[str, list[RoleMention]] = defaultdict(list)
    for doc in docs:
        for canon, rm in _text_roles(doc):
            by_entity[canon].append(rm)
    for canon, rm in _title_roles(docs):
        by_entity[canon].append(rm)
    return dict(by_entity)
