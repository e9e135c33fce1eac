"""Stable identifiers derived from content, so re-ingesting the same input is a no-op."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")


def content_id(kind: str, content: str | bytes, prefix: str = "d") -> str:
    """Id of a raw item: the same bytes of the same kind always give the same id."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    digest = hashlib.sha256(kind.encode() + b"\0" + data).hexdigest()
    return f"{prefix}{digest[:16]}"


def normalize_text(text: str) -> str:
    """Normalisation for exact-duplicate detection: case, Unicode form and whitespace."""
    text = fold_text(text)
    # Typographic quotes and dashes vary between copies of one wire story. (Chained
    # str.replace runs in C; str.translate with a mapping is several times slower.)
    for typographic, plain in _PUNCT:
        if typographic in text:
            text = text.replace(typographic, plain)
    return _WS.sub(" ", text).strip()


def fold_text(text: str) -> str:
    """Unicode compatibility form and case folded: "ﬁ" and "FI" both become "fi"."""
    return unicodedata.normalize("NFKC", text).casefold()


_PUNCT = (
    ("‘", "'"),
    ("’", "'"),
    ("“", '"'),
    ("”", '"'),
    ("–", "-"),
    ("—", "-"),
    ("«", '"'),
    ("»", '"'),
)


def text_hash(text: str) -> str:
    """Hash of the normalised text: exact duplicates (modulo whitespace/case) share it."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:32]
