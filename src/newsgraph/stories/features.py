"""What the story clusterer sees of one document: a pure function of the document.

- ``lex``: hashed TF-IDF over title (counted twice) and the lead of the body. The IDF is static
  (word frequencies shipped in the ``wordfreq`` package), not learned from the stream, so a
  document's vector does not depend on what arrived before it.
- ``ents``: canonical entity ids (after cross-document resolution) weighted by mention count,
  entity type and the rarity of the entity's name.
- ``places``: places named in the lead (where the happening is).
- ``date``: the publication date, or None (undated documents still cluster).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from wordfreq import available_languages, zipf_frequency

from newsgraph.model import Document

Vector = dict[int, float]  # hashed term -> weight, L2-normalised
EntVector = dict[str, float]

LEAD_CHARS = 3000  # the lead carries the happening; the tail is background and furniture
PLACE_LEAD_CHARS = 400
DOC_TERMS = 120  # keep a document's strongest terms only: bounds the cost of every comparison
_BUCKETS = 1 << 22
_TOKEN = re.compile(r"[^\W_]{2,}", re.UNICODE)
# Zipf frequency (log10 per billion words): >= 6 are function words in any language.
_COMMON_ZIPF = 6.0
_MAX_IDF = 7.0
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Specifics tell two similar happenings apart: tolls, ages, scores, amounts, magnitudes, years
# differ between them, and reports of one happening name the same weekday for it. Numbers get
# a fixed weight (a static word table knows nothing of them); weekday names count double.
# Chosen on the ECB+ dev half (bench/stories.py): B-cubed F1 0.892 -> 0.901, test 0.905 -> 0.916.
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
_NUMBER_MIN_CHARS = 2  # one digit is too common to say anything
_NUMBER_WEIGHT = 7.0
_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_WEEKDAY_BOOST = 2.0
# How much an entity type says about which happening a text reports.
_TYPE_WEIGHT = {
    "PERSON": 1.0,
    "ORG": 0.9,
    "GPE": 0.8,
    "LOC": 0.8,
    "FAC": 1.0,
    "EVENT": 1.0,
    "LAW": 0.7,
    "WORK_OF_ART": 0.7,
    "PRODUCT": 0.6,
    "NORP": 0.3,
}


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    return frozenset(available_languages())


@lru_cache(maxsize=500_000)
def idf(word: str, lang: str = "en") -> float:
    """Inverse frequency from a static word-frequency table: 0 for function words."""
    z = zipf_frequency(word, lang)
    if z >= _COMMON_ZIPF:
        return 0.0
    return min(_MAX_IDF, 7.5 - z)


def _lang(language: str | None) -> str:
    code = (language or "en").split("-")[0].lower()
    return code if code in _languages() else "en"


@lru_cache(maxsize=500_000)
def _bucket(word: str) -> int:
    return zlib.crc32(word.encode("utf-8")) % _BUCKETS


def normalise(vec: dict, limit: int | None = None) -> dict:
    """L2-normalise, keeping the ``limit`` strongest entries, strongest first (ties by key,
    so the order is deterministic: the clusterer queries its index with the first ones)."""
    keep = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    norm = math.sqrt(sum(v * v for _, v in keep))
    if norm == 0.0:
        return {}
    return {k: v / norm for k, v in keep}


def lexical_vector(title: str | None, text: str, language: str | None = None) -> Vector:
    """Hashed, sublinear TF-IDF over the title (twice) and the lead of the text."""
    lang = _lang(language)
    counts: Counter[str] = Counter()
    if title:
        words = _TOKEN.findall(title.lower())
        counts.update(words)
        counts.update(words)
    lead = text[:LEAD_CHARS]
    counts.update(_TOKEN.findall(lead.lower()))
    vec: Vector = {}
    for word, c in counts.items():
        if word.isdigit():
            continue  # numbers are weighed below, decimals and thousands kept whole
        w = idf(word, lang)
        if word in _WEEKDAYS:
            w *= _WEEKDAY_BOOST
        if w > 0.0:
            b = _bucket(word)
            vec[b] = vec.get(b, 0.0) + (1.0 + math.log(c)) * w
    numbers = Counter(n.replace(",", "") for n in _NUMBER.findall(f"{title or ''} {lead}"))
    for number, c in numbers.items():
        if len(number) >= _NUMBER_MIN_CHARS:
            b = _bucket("#" + number)
            vec[b] = vec.get(b, 0.0) + (1.0 + math.log(c)) * _NUMBER_WEIGHT
    return normalise(vec, DOC_TERMS)


def cosine(a: dict, b: dict) -> float:
    """Dot product of two sparse vectors (the key intersection is computed in C)."""
    return sum([a[k] * b[k] for k in a.keys() & b.keys()])


@dataclass
class DocFeatures:
    id: str
    title: str | None
    date: dt.date | None
    lex: Vector
    ents: EntVector = field(default_factory=dict)
    places: list[str] = field(default_factory=list)
    emb: list[float] | None = None
    duplicate_of: str | None = None


def _name_idf(text: str, lang: str) -> float:
    words = _TOKEN.findall(text.lower())
    if not words:
        return 1.0
    return max(1.0, sum(idf(w, lang) for w in words) / len(words))


def entity_vector(doc: Document) -> tuple[EntVector, list[str]]:
    """Weighted canonical entities, and the places named in the lead (most mentioned first)."""
    lang = _lang(doc.language)
    counts: Counter[str] = Counter()
    label_of: dict[str, str] = {}
    name_of: dict[str, str] = {}
    lead_places: Counter[str] = Counter()
    for m in doc.mentions:
        if not m.entity or m.entity.startswith("local:") or m.label not in _TYPE_WEIGHT:
            continue
        counts[m.entity] += 1
        label_of.setdefault(m.entity, m.label)
        name_of.setdefault(m.entity, m.text)
        if m.label in _PLACE_LABELS and m.start < PLACE_LEAD_CHARS:
            lead_places[m.entity] += 1
    vec = {
        e: (1.0 + math.log(c)) * _TYPE_WEIGHT[label_of[e]] * _name_idf(name_of[e], lang)
        for e, c in counts.items()
    }
    places = [p for p, _ in sorted(lead_places.items(), key=lambda kv: (-kv[1], kv[0]))]
    return normalise(vec, 40), places


def unit(v: list[float]) -> list[float]:
    """``v`` scaled to length 1 (a zero vector stays zero)."""
    n = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / n for x in v]


def features(doc: Document, emb: list[float] | None = None) -> DocFeatures:
    """What the clusterer sees of a document. ``emb`` is scaled to unit length: the score takes
    the cosine against story sums, whatever scale the embedding model returns."""
    ents, places = entity_vector(doc)
    return DocFeatures(
        id=doc.id,
        title=doc.title,
        date=doc.published,
        lex=lexical_vector(doc.title, doc.text, doc.language),
        ents=ents,
        places=places,
        emb=unit(emb) if emb is not None else None,
        duplicate_of=doc.duplicate_of,
    )
