"""Roles that articles attach to entities ("Russian Foreign Minister Ivan Petrov"), with spans.

The entities stage records each person's roles per document (text, normalised head, country,
span) in ``doc.extra["local_entities"]`` and maps local keys to canonical entities in
``doc.extra["entity_map"]``. Headlines are not part of ``text``: their roles are found here
(see :func:`_title_roles`) with the entities stage's role vocabulary and normaliser.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.entities.gazetteer import gazetteer
from newsgraph.entities.names import HONORIFICS, ROLE_HEADS, ROLE_MODIFIERS
from newsgraph.entities.within import normalise_role
from newsgraph.model import Document
from newsgraph.report.model import SourceRef
from newsgraph.report.sources import span_ref

_WORD = re.compile(r"[\w-]+")
_TOKEN = re.compile(r"\w[\w.’'-]*")
_INITIAL = re.compile(r"^[A-Z]\.?$")
_NOT_FIRST = frozenset({"of", "the", "and", "for", "to", "-"})


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


def _role_word(word: str) -> bool:
    low = word.lower()
    if low in ROLE_HEADS or low in ROLE_MODIFIERS or low in HONORIFICS:
        return True
    place = gazetteer().lookup(word) if word[:1].isupper() else None
    return place is not None and bool(place.country)


def _people(doc: Document) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(family name → canonical ids, canonical id → given names) of the article's people."""
    em = _entity_map(doc)
    families: dict[str, set[str]] = defaultdict(set)
    givens: dict[str, set[str]] = defaultdict(set)
    for le in _local_entities(doc):
        canon = em.get(str(le.get("key")))
        if not canon or le.get("type") not in (None, "PERSON"):
            continue
        names = [str(f) for f in (le.get("family") or {})]
        names += [str(le.get("name") or "").split()[-1:][0]] if le.get("name") else []
        for f in names:
            families[f.casefold()].add(canon)
        givens[canon].update(str(g).casefold() for g in (le.get("given") or {}))
    return families, givens


def _title_roles(docs: Sequence[Document]) -> list[tuple[str, RoleMention]]:
    """Roles written before a person's name in the headline ("… says US Foreign Minister X").

    Headlines are short and formulaic, so no parse: the person is found by a family name the
    article's own entities use, and the role is the run of role words, qualifiers and country
    names right before the name (and its given names), normalised like the entities stage does.
    """
    out = []
    for doc in docs:
        title = doc.title or ""
        if not _has_role_word(title):
            continue
        families, givens = _people(doc)
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(title)]
        for k, (_s, _e, word) in enumerate(tokens):
            canon = families.get(word.casefold(), set())
            if len(canon) != 1:
                continue  # unknown or ambiguous in the article: do not guess
            cid = next(iter(canon))
            j = k - 1
            while j >= 0 and (
                tokens[j][2].casefold() in givens[cid] or _INITIAL.match(tokens[j][2])
            ):
                j -= 1
            last = j
            while j >= 0 and _role_word(tokens[j][2]):
                j -= 1
            first = j + 1
            while first <= last and tokens[first][2].lower() in _NOT_FIRST:
                first += 1
            if first > last:
                continue
            role = normalise_role([t[2] for t in tokens[first : last + 1]])
            if role is None:
                continue
            ref = span_ref(doc, tokens[first][0], tokens[last][1], field="title")
            out.append((cid, RoleMention(ref.excerpt, role[0], role[1], ref)))
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
