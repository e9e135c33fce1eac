"""Turn an untrusted search string into a safe full-text query for either backend.

Syntax (the common subset of web search engines, the same on SQLite and PostgreSQL):
words are ANDed; ``"a phrase"``; ``word*`` prefix; ``-word`` / ``-"a phrase"`` excludes;
``or`` between words ORs the groups on either side. Everything else is literal text: the
string never reaches the FTS5 or tsquery parser unquoted, so no input can raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

_TOKEN = re.compile(r'(-?)"([^"]*)"?(\*?)|(\S+)')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WORD = re.compile(r"\w+")
TS_CONFIG = "simple"  # must match the config of documents.search_vector (migration 0001)
# Bounds on what one query may ask: keeps SQL expressions shallow and queries cheap.
MAX_TERMS = 32
MAX_TERM_CHARS = 200


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False
    negate: bool = False


# OR of groups; each group is an AND of terms (at least one of them not negated).
Parsed = list[list[Term]]


def _searchable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def parse(query: str) -> Parsed:
    """Split ``query`` into OR-groups of AND-ed terms, dropping what cannot match."""
    query = _CONTROL.sub(" ", query or "")
    groups: Parsed = [[]]
    count = 0
    for m in _TOKEN.finditer(query):
        if count >= MAX_TERMS:
            break
        neg, phrase, star, word = m.groups()
        if word is not None:
            if word.lower() == "or":
                groups.append([])
                continue
            negate = word.startswith("-") and len(word) > 1
            word = word[1:] if negate else word
            prefix = word.endswith("*")
            term = Term(word.rstrip("*"), prefix=prefix, negate=negate)
        else:
            term = Term(phrase, phrase=True, prefix=bool(star), negate=bool(neg))
        if _searchable(term.text):
            if len(term.text) > MAX_TERM_CHARS:
                term = Term(term.text[:MAX_TERM_CHARS], term.phrase, term.prefix, term.negate)
            groups[-1].append(term)
            count += 1
    return [g for g in groups if any(not t.negate for t in g)]


def _fts5_term(t: Term) -> str:
    return '"' + t.text.replace('"', '""') + '"' + ("*" if t.prefix else "")


def to_fts5(parsed: Parsed) -> str:
    """FTS5 MATCH expression made only of quoted strings and operators we emit."""
    parts = []
    for group in parsed:
        pos = " AND ".join(_fts5_term(t) for t in group if not t.negate)
        neg = " OR ".join(_fts5_term(t) for t in group if t.negate)
        parts.append(f"(({pos}) NOT ({neg}))" if neg else f"({pos})")
    return " OR ".join(parts)


def _ts_term(t: Term) -> sa.ColumnElement[object]:
    if t.prefix:
        # Only \w runs reach to_tsquery, so its own syntax (& | ! : ' \) cannot be injected.
        words = _WORD.findall(t.text)
        expr = " <-> ".join(words) + ":*"
        return sa.func.to_tsquery(TS_CONFIG, expr)
    return sa.func.phraseto_tsquery(TS_CONFIG, t.text)


def to_tsquery(parsed: Parsed) -> sa.ColumnElement[object]:
    """A PostgreSQL tsquery expression built from bound parameters."""
    out: sa.ColumnElement[object] | None = None
    for group in parsed:
        g: sa.ColumnElement[object] | None = None
        for t in group:
            e = _ts_term(t)
            if t.negate:
                e = sa.func.tsquery_not(e)
            g = e if g is None else g.op("&&")(e)
        assert g is not None  # parse() keeps only groups with a positive term
        out = g if out is None else out.op("||")(g)
    assert out is not None
    return out
