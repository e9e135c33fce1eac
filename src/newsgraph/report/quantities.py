"""Numbers the articles state about the same thing, normalised so they can be compared.

Two passes keep this fast on large selections: a regular expression finds number expressions
and the words after them in every sentence; only sentences whose following words recur in
another document are parsed with spaCy, which gives the counted noun (the head a number
modifies, or the object of "of" in "tens of thousands of troops") and its lemma. Values are
normalised to ranges: "more than 90,000" → [90000, ∞), "tens of thousands" → [20000, 99999].
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsgraph.model import Document

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "half": 0.5,
}  # fmt: skip
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}  # fmt: skip
# Vague plurals: "tens of thousands" is 20,000-99,999 (two or more tens of thousands).
_VAGUE = {"dozens": (24, 99), "scores": (40, 99), "tens": (20, 99), "hundreds": (200, 999),
          "thousands": (2_000, 9_999), "millions": (2_000_000, 9_999_999)}  # fmt: skip
_LOWER = ("more than", "over", "at least", "upwards of", "in excess of", "no fewer than",
          "no less than", "above", "exceeding")  # fmt: skip
_UPPER = ("less than", "fewer than", "under", "up to", "as many as", "below", "at most",
          "no more than")  # fmt: skip
_ABOUT = ("about", "around", "some", "approximately", "roughly", "an estimated", "estimated",
          "nearly", "almost", "close to", "circa", "or so")  # fmt: skip

_NUMWORD = "|".join(sorted((k for k in _SMALL if len(k) > 2), key=len, reverse=True))
_MOD = "|".join(re.escape(m) for m in sorted(_LOWER + _UPPER + _ABOUT, key=len, reverse=True))
_NUM = (
    r"(?:\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?)"  # 90,000 / 100 000 / 1.5
    rf"|(?:(?:{_NUMWORD})(?:[- ](?:{_NUMWORD}))?)"  # twenty-five
)
_SCALES = r"(?:\s*(?:hundred|thousand|million|billion|mn|bn|k|m)\b)*"
_VAGUE_RE = r"(?:dozens|scores|tens|hundreds|thousands|millions)(?:\s+of\s+(?:thousands|millions))?"
EXPR = re.compile(
    rf"(?<![\w.,])(?:(?P<mod>{_MOD})\s+)?"
    rf"(?P<num>(?:(?:{_NUM})(?:\s+and\s+a\s+half)?{_SCALES})|{_VAGUE_RE})"
    r"(?![\w%])",
    re.IGNORECASE,
)
_AFTER = re.compile(r"\s+(?:of\s+)?((?:[A-Za-z][\w'’-]*\s+){0,2}[A-Za-z][\w'’-]*)")
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’]?\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_DIGIT = re.compile(r"\d")
_NUMBER_WORDS = frozenset(k for k in _SMALL if len(k) > 2) | frozenset(_VAGUE)
_PUNCT_TO_SPACE = str.maketrans({c: " " for c in "-,.;:!?()[]\"'“”‘’…/"})
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


@lru_cache(maxsize=1)
def noun_classes() -> dict[str, str]:
    """Lemma → class of things counted alike ("soldier" and "troop" count the same)."""
    data = json.loads(resources.files("newsgraph.report").joinpath("data/counted.json").read_text())
    return {w: cls for cls, words in data["classes"].items() for w in words}


@lru_cache(maxsize=1)
def ignored_nouns() -> frozenset[str]:
    data = json.loads(resources.files("newsgraph.report").joinpath("data/counted.json").read_text())
    return frozenset(data.get("ignore", []))


def counted_class(lemma: str) -> str:
    return noun_classes().get(lemma.lower(), lemma.lower())


@dataclass(frozen=True)
class Quantity:
    """A number expression in a document, the noun it counts and its normalised range."""

    document: str
    start: int  # span of the expression plus the counted noun
    end: int
    text: str
    noun: str  # lemma of the counted noun
    lo: float
    hi: float  # math.inf when only a lower bound is stated
    sentence: tuple[int, int]

    @property
    def counted(self) -> str:
        return counted_class(self.noun)


def _word_number(s: str) -> float | None:
    s = re.sub(r"\bhalf an?\b|\ban? half\b", "half", s.lower()).strip()  # "half a million"
    parts = re.split(r"[- ]", s)
    if all(p in _SMALL for p in parts):
        return float(sum(_SMALL[p] for p in parts))
    return None


def parse_value(expr: str) -> tuple[float, float] | None:
    """Normalise a number expression to a (low, high) range; None if it is not a count."""
    s = " ".join(expr.lower().replace("\u00a0", " ").split())
    mod = None
    for m in sorted(_LOWER + _UPPER + _ABOUT, key=len, reverse=True):
        if s.startswith(m + " "):
            mod, s = m, s[len(m) + 1 :]
            break
    if s in _VAGUE or re.fullmatch(_VAGUE_RE, s):
        words = s.split()
        lo, hi = _VAGUE[words[0]]
        if len(words) == 3:  # "tens of thousands"
            unit = _VAGUE[words[2]][0] / 2  # thousands → 1000
            lo, hi = lo * unit, (hi + 1) * unit - 1
        base_lo, base_hi = float(lo), float(hi)
    else:
        half = s.endswith(" and a half") or " and a half " in s
        s = s.replace(" and a half", "")
        m = re.match(r"^(\d{1,3}(?:[, ]\d{3})+|\d+(?:\.\d+)?)\s*(.*)$", s)
        if m:
            value = float(re.sub(r"[, ]", "", m.group(1)))
            rest = m.group(2)
        else:
            words = s.split()
            value = None
            for k in range(len(words), 0, -1):
                value = _word_number(" ".join(words[:k]))
                if value is not None:
                    rest = " ".join(words[k:])
                    break
            if value is None:
                return None
        if half:
            value += 0.5
        for w in rest.split():
            if w not in _SCALE:
                return None
            value *= _SCALE[w]
        base_lo = base_hi = value
    if mod in _LOWER:
        return base_lo, math.inf
    if mod in _UPPER:
        return 0.0, base_hi
    if mod in ("nearly", "almost", "close to"):
        return base_lo * 0.9, base_hi
    if mod in _ABOUT:
        return base_lo * 0.9, base_hi * 1.1
    return base_lo, base_hi


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _stem(word: str) -> str:
    w = word.lower().strip("'’")
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def _candidates(doc: Document) -> list[tuple[tuple[int, int], set[str]]]:
    """Sentences with a number expression, and the crude stems of the words after it."""
    out = []
    for s0, s1 in sentences(doc.text):
        sent = doc.text[s0:s1]
        if not _DIGIT.search(sent) and not _NUMBER_WORDS & set(
            sent.lower().translate(_PUNCT_TO_SPACE).split()
        ):
            continue  # cheap test first: the full expression is slow on long texts
        keys: set[str] = set()
        for m in EXPR.finditer(sent):
            if _YEAR.match(m.group("num").strip()):
                continue
            after = _AFTER.match(sent, m.end())
            if after:
                keys.update(counted_class(_stem(w)) for w in after.group(1).split())
        if keys:
            out.append(((s0, s1), keys))
    return out


def _counted_noun(tok: object) -> object | None:
    """The noun a number token counts, from the dependency parse."""
    t = tok
    for _ in range(4):
        if t.dep_ in ("nummod", "quantmod", "compound") and t.head is not t:  # type: ignore[attr-defined]
            t = t.head  # type: ignore[attr-defined]
            if t.pos_ in ("NOUN", "PROPN") and not t.like_num:  # type: ignore[attr-defined]
                return t
            continue
        break
    # "tens of thousands of troops": follow of → pobj while the object is itself a number
    t = tok
    for _ in range(3):
        nxt = [c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"]  # type: ignore[attr-defined]
        if not nxt:
            return None
        objs = [c for c in nxt[0].children if c.dep_ == "pobj"]
        if not objs:
            return None
        t = objs[0]
        if t.pos_ in ("NOUN", "PROPN") and not t.like_num and t.lower_ not in _VAGUE:
            return t
    return None


def extract_quantities(docs: Sequence[Document], *, max_sentences: int = 150) -> list[Quantity]:
    """Counted quantities in sentences whose counted words recur in another document.

    At most ``max_sentences`` sentences are parsed, spread over the recurring words.
    """
    cands: list[tuple[Document, tuple[int, int], set[str]]] = []
    docs_with: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        for span, keys in _candidates(d):
            cands.append((d, span, keys))
            for k in keys:
                docs_with[k].add(d.id)
    # Parse a bounded number of sentences, spread over the counted words that recur (round
    # robin, most widespread word first), so one very common word cannot use up the budget.
    by_key: dict[str, list[tuple[Document, tuple[int, int]]]] = defaultdict(list)
    for d, span, keys in cands:
        best = max(keys, key=lambda k: (len(docs_with[k]), k))
        if len(docs_with[best]) > 1:
            by_key[best].append((d, span))
    queues = [by_key[k] for k in sorted(by_key, key=lambda k: (-len(docs_with[k]), k))]
    todo: list[tuple[Document, tuple[int, int]]] = []
    depth = 0
    while len(todo) < max_sentences and any(depth < len(q) for q in queues):
        todo.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    todo = todo[:max_sentences]
    if not todo:
        return []
    from newsgraph.nlp import load_nlp  # only when there is something to compare

    nlp = load_nlp()
    texts = [d.text[s0:s1] for d, (s0, s1) in todo]
    out = []
    for (d, (s0, s1)), sdoc in zip(todo, nlp.pipe(texts, batch_size=64), strict=True):
        for ent in sdoc.ents:
            if ent.label_ not in ("CARDINAL", "QUANTITY"):
                continue
            value = parse_value(ent.text)
            if value is None:
                continue
            noun = None
            for tok in reversed(list(ent)):
                noun = _counted_noun(tok)
                if noun is not None:
                    break
            if noun is None or noun.lemma_.lower() in ignored_nouns():  # type: ignore[attr-defined]
                continue
            start = s0 + ent.start_char
            end = s0 + max(ent.end_char, noun.idx + len(noun.text))  # type: ignore[attr-defined]
            out.append(
                Quantity(
                    document=d.id,
                    start=start,
                    end=end,
                    text=d.text[start:end],
                    noun=noun.lemma_.lower(),  # type: ignore[attr-defined]
                    lo=value[0],
                    hi=value[1],
                    sentence=(s0, s1),
                )
            )
    return out
