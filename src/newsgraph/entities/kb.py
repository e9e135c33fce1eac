"""Knowledge base of well-known entities with Wikidata ids, plus the user's own entries.

The shipped knowledge base is ``entities/data/kb.jsonl``, assembled at build time by
:mod:`newsgraph.entities.build_data` from the country table, the organisations, the curated
people list (``people.jsonl``) and the verified Wikidata ids (``wikidata_ids.json``; every id
names its source in ``kb_sources.json``). A user knowledge base is a JSON Lines file of the same
shape (``id``, ``name``, ``type``, ``aliases``, ``wikidata``; optional ``roles``, ``source``):
its records are added to the shipped ones, and a record with a shipped id replaces it.

The resolver runs in the single writer process, so the knowledge base is read there only: a
path passes through ``newsgraph run --kb``, ``NEWSGRAPH_KB`` or ``NewsGraph.run(kb=...)``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
SHIPPED = DATA / "kb.jsonl"
ENV_VAR = "NEWSGRAPH_KB"
QID = re.compile(r"^Q[1-9][0-9]*$")
TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "MISC"})


class KBError(ValueError):
    """A knowledge-base file or line that cannot be used (the message names file and line)."""


@dataclass(frozen=True)
class KBRole:
    """An office held: ``title`` as written in English ("Foreign Minister"), the ISO alpha-2
    ``country`` it belongs to (None for international organisations) and the years."""

    title: str
    country: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def text(self) -> str:
        return f"{self.title} ({self.country})" if self.country else self.title


@dataclass(frozen=True)
class KBRecord:
    """One knowledge-base entry."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[KBRole, ...] = ()
    wikidata: str | None = None
    source: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "roles": [
                {"title": r.title, "country": r.country, "from": r.start, "to": r.end}
                for r in self.roles
            ],
            "wikidata": self.wikidata,
            "source": list(self.source),
        }


def _year(v: Any, where: str) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise KBError(f"{where}: role years must be integers or null, got {v!r}")
    return v


def _role(v: Any, where: str) -> KBRole:
    if isinstance(v, str) and v.strip():
        return KBRole(v.strip())
    if not isinstance(v, dict) or not isinstance(v.get("title"), str) or not v["title"].strip():
        raise KBError(f"{where}: a role is a string or an object with a 'title'")
    country = v.get("country")
    if country is not None and not (isinstance(country, str) and len(country) == 2):
        raise KBError(f"{where}: role country must be an ISO alpha-2 code, got {country!r}")
    return KBRole(v["title"].strip(), country.upper() if country else None,
                  _year(v.get("from"), where), _year(v.get("to"), where))  # fmt: skip


def parse_record(d: Any, where: str) -> KBRecord:
    """A :class:`KBRecord` from one decoded JSON object; ``where`` names it in errors."""
    if not isinstance(d, dict):
        raise KBError(f"{where}: expected a JSON object")
    for key in ("id", "name"):
        if not isinstance(d.get(key), str) or not d[key].strip():
            raise KBError(f"{where}: missing or empty '{key}'")
    etype = d.get("type", "MISC")
    if etype not in TYPES:
        raise KBError(f"{where}: unknown type {etype!r}; use one of {', '.join(sorted(TYPES))}")
    aliases = d.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise KBError(f"{where}: 'aliases' must be a list of strings")
    roles = d.get("roles") or []
    if not isinstance(roles, list):
        raise KBError(f"{where}: 'roles' must be a list")
    qid = d.get("wikidata")
    if qid is not None and not (isinstance(qid, str) and QID.match(qid)):
        raise KBError(f"{where}: 'wikidata' must be a Wikidata id like Q42 or null, got {qid!r}")
    source = d.get("source") or []
    source = [source] if isinstance(source, str) else source
    name = d["name"].strip()
    return KBRecord(
        id=d["id"].strip(),
        name=name,
        type=etype,
        aliases=tuple(dict.fromkeys(a.strip() for a in aliases if a.strip() and a.strip() != name)),
        roles=tuple(_role(r, where) for r in roles),
        wikidata=qid,
        source=tuple(str(s) for s in source),
    )


def read_jsonl(path: str | os.PathLike[str]) -> list[KBRecord]:
    """Records of a knowledge-base JSONL file; a bad line raises :class:`KBError` naming it."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KBError(f"{p}: cannot read knowledge base: {exc}") from exc
    out: list[KBRecord] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{p} line {n}"
        try:
            d = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KBError(f"{where}: not valid JSON ({exc.msg})") from exc
        rec = parse_record(d, where)
        if rec.id in seen:
            raise KBError(f"{where}: id {rec.id!r} already used on line {seen[rec.id]}")
        seen[rec.id] = n
        out.append(rec)
    return out


class KnowledgeBase:
    """Knowledge-base records by id (user records replace shipped ones with the same id)."""

    def __init__(self, records: list[KBRecord] | tuple[KBRecord, ...] = ()) -> None:
        self.records: dict[str, KBRecord] = {}
        for r in records:
            self.records[r.id] = r

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[KBRecord]:
        return iter(self.records.values())

    def __contains__(self, kb_id: object) -> bool:
        return kb_id in self.records

    def get(self, kb_id: str) -> KBRecord | None:
        return self.records.get(kb_id)

    def wikidata(self, kb_id: str) -> str | None:
        r = self.records.get(kb_id)
        return r.wikidata if r else None

    def extended(self, records: list[KBRecord]) -> KnowledgeBase:
        """A new knowledge base: these records added, replacing any with the same id."""
        return KnowledgeBase([*self.records.values(), *records])


@lru_cache(maxsize=1)
def shipped_kb() -> KnowledgeBase:
    """The knowledge base that ships with newsgraph (read once per process)."""
    if not SHIPPED.exists():
        return KnowledgeBase()
    return KnowledgeBase(read_jsonl(SHIPPED))


@lru_cache(maxsize=8)
def _user_kb(path: str, mtime: float) -> KnowledgeBase:
    return shipped_kb().extended(read_jsonl(path))


def load_knowledge_base(path: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """The shipped knowledge base, extended by the user file at ``path`` (or, when ``path`` is
    None, at ``$NEWSGRAPH_KB`` if set). Raises :class:`KBError` for a missing file or a bad
    line."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
    if path is None:
        return shipped_kb()
    p = Path(path)
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise KBError(f"{p}: cannot read knowledge base: {exc}") from exc
    return _user_kb(str(p.resolve()), mtime)


__all__ = ["ENV_VAR", "KBError", "KBRecord", "KBRole", "KnowledgeBase", "load_knowledge_base",
           "parse_record", "read_jsonl", "shipped_kb"]  # fmt: skip
