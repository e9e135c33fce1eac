"""Events reported in photo captions, kept apart from the body's events.

Cleaning removes captions from the body text (they are page furniture, issue 2) but keeps the
ones that say something in ``doc.extra["captions"]``: a caption can be the only place a page
reports an earlier event ("File picture: On May 19, 2021, A and B arrived ... to take part in
the meeting"). The export contract's event spans index ``doc.text``, which holds no caption, so
these events cannot be ``doc.events``. They go to ``doc.extra["caption_events"]``, one object
each, flagged ``"caption": true``, with the caption's index and ``start``/``end`` into that
caption (``doc.extra["captions"][i]``), never into the text.

Actors are the document's own entity keys (``"local:N"``, mapped to canonical ids through the
stored ``entity_map`` like any event actor) when the caption names someone the text also
names; otherwise the key is null and the name is kept in ``source_text``/``target_text``.
"""

from __future__ import annotations

from typing import Any

from newsgraph.events.actors import Actor
from newsgraph.events.extract import META_KEY, Candidate, find_candidates
from newsgraph.model import Document

CAPTIONS_KEY = "captions"  # doc.extra: caption texts removed by cleaning (clean/boilerplate.py)
CAPTION_EVENTS_KEY = "caption_events"  # doc.extra: events coded in those captions

_MAX_CAPTIONS = 20  # a page with more is a gallery; its captions are not the article's
_MAX_CAPTION_CHARS = 1000


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


class _KeyMap:
    """Caption entity → the document's entity with the same knowledge-base id or name."""

    def __init__(self, doc_entities: list[dict[str, Any]]) -> None:
        self.by_kb: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        self.by_family: dict[str, str] = {}
        for e in doc_entities:
            key = e.get("key")
            if not isinstance(key, str):
                continue
            if e.get("kb_id"):
                self.by_kb.setdefault(e["kb_id"], key)
            for n in [e.get("name") or "", *(e.get("names") or {})]:
                if n:
                    self.by_name.setdefault(_norm(n), key)
            if e.get("type") == "PERSON" and e.get("family_key"):
                self.by_family.setdefault(e["family_key"], key)

    def key(self, actor: Actor | None, cap_entities: dict[str, dict[str, Any]]) -> str | None:
        if actor is None:
            return None
        e = cap_entities.get(actor.entity or "", {})
        if e.get("kb_id") and e["kb_id"] in self.by_kb:
            return self.by_kb[e["kb_id"]]
        for n in [actor.text, e.get("name") or "", *(e.get("names") or {})]:
            hit = self.by_name.get(_norm(n)) if n else None
            if hit:
                return hit
        if e.get("type") == "PERSON" and e.get("family_key"):
            return self.by_family.get(e["family_key"])
        return None


def _record(i: int, c: Candidate, keys: _KeyMap, ents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "caption": i,
        "type": c.type,
        "mode": c.mode,
        "status": c.status,
        "date": c.date.date.isoformat() if c.date.date else None,
        "date_basis": c.date.basis,
        "date_text": c.date.text or None,
        "source": keys.key(c.source, ents),
        "target": keys.key(c.target, ents),
        "location": keys.key(c.location, ents),
        "source_text": c.source.text if c.source else None,
        "target_text": c.target.text if c.target else None,
        "source_country": c.source.country if c.source else None,
        "target_country": c.target.country if c.target else None,
        "place_text": c.location.text if c.location else None,
        "trigger": c.trigger.text,
        "start": c.start,  # into doc.extra["captions"][caption], not into doc.text
        "end": c.end,
        "extra": {"caption": True},  # not in doc.text: never one of doc.events
    }


def code_captions(doc: Document) -> Document:
    """Fill ``doc.extra["caption_events"]`` from ``doc.extra["captions"]`` (see module doc).

    Each caption is parsed on its own with the shared pipeline, with the document's
    publication date. Without a publication date, a caption's fully written past date also
    bounds the inferred publication range (``event_meta``), like one in the text.
    """
    from newsgraph.entities import annotate_entities
    from newsgraph.entities.within import LOCAL_KEY
    from newsgraph.nlp import load_nlp

    caps = doc.extra.get(CAPTIONS_KEY)
    extra = dict(doc.extra)
    extra.pop(CAPTION_EVENTS_KEY, None)
    if not isinstance(caps, list) or not caps:
        return doc.model_copy(update={"extra": extra}) if CAPTION_EVENTS_KEY in doc.extra else doc
    keys = _KeyMap(doc.extra.get(LOCAL_KEY) or [])
    nlp = load_nlp()
    out: list[dict[str, Any]] = []
    lower_bounds: list[str] = []
    for i, cap in enumerate(caps[:_MAX_CAPTIONS]):
        if not isinstance(cap, str) or not cap.strip() or len(cap) > _MAX_CAPTION_CHARS:
            continue
        sub = Document(id=doc.id, input=doc.input, text=cap, published=doc.published)
        sdoc = nlp(cap)
        sub = annotate_entities(sub, sdoc)
        ents = {e["key"]: e for e in sub.extra.get(LOCAL_KEY) or []}
        cands, meta = find_candidates(sub, sdoc)
        out.extend(_record(i, c, keys, ents) for c in cands)
        if meta.get("published_range"):
            lower_bounds.append(meta["published_range"][0])
    if out:
        extra[CAPTION_EVENTS_KEY] = out
    if doc.published is None and lower_bounds:
        meta = dict(extra.get(META_KEY) or {})
        current = (meta.get("published_range") or [None])[0]
        best = max(lower_bounds)
        if current is None or best > current:
            meta["published_range"] = [best, None]
            meta["published_basis"] = (
                "inferred: on or after the latest past date mentioned (in a photo caption)"
            )
            extra[META_KEY] = meta
    return doc.model_copy(update={"extra": extra})
