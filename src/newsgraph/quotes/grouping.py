"""Group the same statement carried by several outlets (often in different translations).

Two quotes are the same statement when their speakers agree and their normalised texts are
close by rapidfuzz ``token_set_ratio`` (word-order and subset tolerant, which suits one outlet
quoting part of what another quoted in full). Translations differ in function words and
synonyms, so besides the ratio we require a few shared content words: short generic quotes
("we are ready") must not chain unrelated statements together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from newsgraph.model import Quote

# Set on translated pairs of the same statement vs. different statements by the same speaker
# (tests/test_quotes_grouping.py): same-statement pairs score 70-100, different ones < 60.
TEXT_THRESHOLD = 66.0
UNKNOWN_SPEAKER_THRESHOLD = 85.0  # stricter when a side has no speaker to compare
MIN_SHARED_WORDS = 3
SURNAME_SIMILARITY = 0.85  # Jaro-Winkler: one surname in two transliterations

_STOP_WORDS = (
    "a an the and or but of to in on at for with by from as is are was were be been being it "
    "its this that these those we our us i you he she they them his her their not no will would "
    "can could should has have had do does did so if than then there here which who what"
)
_STOP = frozenset(w for w in _STOP_WORDS.split() if w)


@dataclass
class QuoteGroup:
    """One statement and every (document id, quote) that carried it."""

    speaker: str | None
    speaker_text: str | None
    text: str  # the longest version
    members: list[tuple[str, Quote]] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        return sorted({d for d, _ in self.members})


def normalise(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).lower()
    s = re.sub(r"[’'`]s\b", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def _content(s: str) -> set[str]:
    return {w for w in s.split() if w not in _STOP and len(w) > 2}


def _surname(q: Quote) -> str | None:
    if not q.speaker_text:
        return None
    words = normalise(q.speaker_text).split()
    return words[-1] if words else None


def same_speaker(a: Quote, b: Quote) -> bool | None:
    """True/False when both speakers are known, None when either is not."""
    # Document-local entity ids ("local:3") mean nothing across documents.
    if (
        a.speaker
        and b.speaker
        and not a.speaker.startswith("local:")
        and not b.speaker.startswith("local:")
    ):
        return a.speaker == b.speaker
    sa, sb = _surname(a), _surname(b)
    if sa is None or sb is None:
        return None
    return sa == sb or JaroWinkler.similarity(sa, sb) >= SURNAME_SIMILARITY


def similarity(a: str, b: str) -> float:
    """token_set_ratio of the normalised texts, 0 when they share too few content words."""
    na, nb = normalise(a), normalise(b)
    if len(_content(na) & _content(nb)) < MIN_SHARED_WORDS:
        return 0.0
    return float(fuzz.token_set_ratio(na, nb))


def _match_score(a: Quote, b: Quote) -> float | None:
    """Text similarity when the two quotes can be one statement, else None."""
    sp = same_speaker(a, b)
    if sp is False:
        return None
    threshold = TEXT_THRESHOLD if sp else UNKNOWN_SPEAKER_THRESHOLD
    sim = similarity(a.text, b.text)
    return sim if sim >= threshold else None


def _matches(a: Quote, b: Quote) -> bool:
    return _match_score(a, b) is not None


def group_quotes(items: Iterable[tuple[str, Quote]]) -> list[QuoteGroup]:
    """Group (document id, quote) pairs into statements; order independent.

    Matching pairs are linked best first; two groups are never joined when they hold quotes
    of the same document (a speaker repeating themselves in one article is two statements,
    and this also stops a chain of loosely similar quotes from swallowing them).
    """
    ordered = sorted(items, key=lambda it: (it[0], it[1].start, it[1].end))
    n = len(ordered)
    parent = list(range(n))
    docs = [{d} for d, _ in ordered]  # documents of each group, kept at its root

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only pairs sharing MIN_SHARED_WORDS content words can match (see similarity), so an
    # inverted index over content words gives the candidate pairs instead of all n² pairs.
    words = [_content(normalise(q.text)) for _, q in ordered]
    index: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        for w in ws:
            index.setdefault(w, []).append(i)
    pairs: list[tuple[float, int, int]] = []
    for i in range(n):
        shared: dict[int, int] = {}
        for w in words[i]:
            for j in index[w]:
                if j > i:
                    shared[j] = shared.get(j, 0) + 1
        for j in sorted(shared):
            if shared[j] < MIN_SHARED_WORDS or ordered[i][0] == ordered[j][0]:
                continue
            score = _match_score(ordered[i][1], ordered[j][1])
            if score is not None:
                pairs.append((-score, i, j))
    for _, i, j in sorted(pairs):
        ri, rj = find(i), find(j)
        if ri != rj and not docs[ri] & docs[rj]:
            parent[rj] = ri
            docs[ri] |= docs[rj]
    groups: dict[int, list[tuple[str, Quote]]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(ordered[i])
    out = []
    for members in groups.values():
        best = max(members, key=lambda m: (len(m[1].text), m[1].speaker is not None))
        spk = next((m[1] for m in members if m[1].speaker_text), best[1])
        out.append(QuoteGroup(spk.speaker, spk.speaker_text, best[1].text, members))
    out.sort(key=lambda g: (-len(g.documents), g.members[0][0], g.members[0][1].start))
    return out
