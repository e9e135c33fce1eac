"""Online story clustering: each document joins the best open story or opens a new one.

A story keeps running sums of its documents' lexical, entity and (optional) embedding
vectors, its dates and lead places. Candidate stories come from inverted postings over the
strongest terms and entities of every open story, so the work per document depends on how
many stories are open (bounded by a time window), not on the size of the store.

Everything here is a deterministic function of the documents in arrival order, and the state
of the open stories round-trips exactly through JSON (:meth:`StoryClusterer.load`), so a run
that resumes from the store, an uninterrupted run and ``recluster`` all give the same stories.

Terms and entities that a large share of the recent stream carries (a crisis's constant
actors, one source's template wording) are damped when scoring: the static word table cannot
know that a rare name is in every second document of this stream. The recent stream is a
window of the last documents' keys, stored with the stories, so a resumed run sees the same.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

from newsgraph.stories.constraints import StoryConstraints
from newsgraph.stories.dense_index import DenseIndex
from newsgraph.stories.features import DocFeatures, cosine, lexical_vector, unit


@dataclass(frozen=True)
class StoryParams:
    """Weights and thresholds of the join score (calibrated on the bench's dev half)."""

    w_lex: float = 0.8
    w_ent: float = 0.2
    w_emb: float = 0.0  # dense embeddings: off unless an embedder is configured
    story_threshold: float = 0.24  # join the best story at or above this score
    storyline_threshold: float = 0.12  # a new story continues the storyline of a story this close
    merge_threshold: float = 0.50  # two stories both close to one document and to each other
    place_penalty: float = 0.85  # lead places on both sides and none shared
    # Coverage of one happening spreads over a few days: a story may span this many days
    # (first to last dated member, the new document included) before its join score decays.
    # Measured on the span, not the gap to the nearest member, so that daily reports of one
    # source cannot creep a story on for months, a few days at a time.
    time_grace_days: float = 3.0
    time_tau_days: float = 7.0  # then the score decays with this time constant
    line_grace_days: float = 3.0  # storylines: the gap between stories may be this long ...
    # Storylines tolerate longer gaps: a crisis's next round of talks often comes six to eight
    # weeks after the last (content score x exp(-(gap - grace) / tau) must reach the threshold).
    line_tau_days: float = 60.0
    window_docs: int = 20_000  # a story no document joined among the last N is closed
    emb_floor: float = 0.75  # cosines of the embedding model start around here for unrelated text
    query_terms: int = 24
    query_ents: int = 8
    posting_cap: int = 32
    max_candidates: int = 10
    # With embeddings: the open stories whose embedding centroids are nearest to the document's
    # are candidates too, whatever words they share (a translation shares none).
    emb_candidates: int = 5
    centroid_terms: int = 200
    index_terms: int = 80
    index_ents: int = 25
    prune_every: int = 1000
    # Stream frequency: a term or entity in more than `df_floor` of the last `df_window`
    # documents weighs log(share) / log(df_floor) of its weight (0 when in all of them). The
    # share is taken over at least `df_prior_docs`, so a young stream damps nothing.
    # Chosen on the official statements stream (one office's statements were weeks-long
    # "stories"); neutral on ECB+ (bench/stories.py).
    df_window: int = 2000
    df_floor: float = 0.05
    df_prior_docs: int = 20
    # Never below this: a document made only of stream-common keys (a daily template) still
    # matches its like, as the cosine is renormalised over the damped weights.
    df_min_weight: float = 0.1
    # The damping weights are a snapshot taken every `df_epoch` documents (every document
    # before that), so that a story's damped norm is computed once per snapshot rather than
    # at every comparison.
    df_epoch: int = 25

    @property
    def weights(self) -> dict[str, float]:
        return {"lex": self.w_lex, "ent": self.w_ent, "emb": self.w_emb}


def _add(acc: dict, vec: dict, scale: float = 1.0) -> None:
    for k, v in vec.items():
        acc[k] = acc.get(k, 0.0) + v * scale


def _top_keys(vec: dict, n: int) -> list:
    """The ``n`` keys with the largest values; ties keep insertion order (stable sort), which
    the stored state preserves, so a resumed clusterer decides exactly as a running one."""
    return sorted(vec, key=vec.__getitem__, reverse=True)[:n]


def _trim(vec: dict, n: int) -> dict:
    """Keep the ``n`` strongest entries once there are half as many again (amortised)."""
    if len(vec) <= n + n // 2:
        return vec
    return {k: vec[k] for k in _top_keys(vec, n)}


def _norm(vec: dict) -> float:
    return math.sqrt(sum(v * v for v in vec.values()))


def _date(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


@dataclass
class StoryState:
    id: str
    created: int
    last_seq: int
    storyline: str
    n: int = 0
    lex: dict[int, float] = field(default_factory=dict)  # truncated sum of document vectors
    ents: dict[str, float] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    emb: list[float] | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    docs: list[str] = field(default_factory=list)
    titles: list[list[str]] = field(default_factory=list)  # [doc id, title] of the first members
    # derived, not stored
    lex_norm: float = 0.0
    ent_norm: float = 0.0
    indexed_terms: tuple[int, ...] = ()
    indexed_ents: tuple[str, ...] = ()
    damped_epoch: int = -1  # the damping snapshot the two damped squared norms are for
    damped_lex2: float = 0.0
    damped_ent2: float = 0.0

    def refresh(self) -> None:
        self.lex_norm = _norm(self.lex)
        self.ent_norm = _norm(self.ents)
        self.damped_epoch = -1

    def state(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "last_seq": self.last_seq,
            "n": self.n,
            "lex": [[k, v] for k, v in self.lex.items()],
            "ents": [[k, v] for k, v in self.ents.items()],  # a list: JSONB reorders keys
            "places": self.places,
            "emb": self.emb,
            "titles": self.titles,
        }

    @classmethod
    def from_row(
        cls,
        id: str,
        storyline: str,
        docs: list[str],
        first: dt.date | None,
        last: dt.date | None,
        state: dict[str, Any],
    ) -> StoryState:
        st = cls(
            id=id,
            created=state["created"],
            last_seq=state["last_seq"],
            storyline=storyline,
            n=state["n"],
            lex={int(k): float(v) for k, v in state["lex"]},
            ents={k: float(v) for k, v in state["ents"]},
            places={k: int(v) for k, v in state["places"].items()},
            emb=state.get("emb"),
            first=first,
            last=last,
            docs=list(docs),
            titles=[list(t) for t in state.get("titles", [])],
        )
        st.refresh()
        return st

    def title(self) -> str:
        """The most central headline: the member title closest to the story's centroid."""
        best, best_score = None, -1.0
        for _doc, t in self.titles:
            s = cosine(_title_vector(t), self.lex) / (self.lex_norm or 1.0)
            if s > best_score + 1e-12:
                best, best_score = t, s
        return best or "(untitled)"


@dataclass
class LineState:
    """A storyline: stories that continue one another. Titled after its biggest story."""

    id: str
    stories: list[str] = field(default_factory=list)
    title: str = "(untitled)"
    title_story: str | None = None
    title_size: int = 0
    first: dt.date | None = None
    last: dt.date | None = None

    def state(self) -> dict[str, Any]:
        return {"title_story": self.title_story, "title_size": self.title_size}


@dataclass
class StoryBatch:
    """What changed since the last drain, written in the same transaction as the documents."""

    stories: list[StoryState] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    lines: list[LineState] = field(default_factory=list)
    deleted_lines: list[str] = field(default_factory=list)
    assign: dict[str, str] = field(default_factory=dict)  # document id -> story id
    window: list[WindowEntry] = field(default_factory=list)  # new stream-window entries
    window_from: int = 0  # entries older than this clock value have left the window

    def __bool__(self) -> bool:
        return bool(self.stories or self.deleted or self.lines or self.assign or self.window)


@dataclass(frozen=True)
class WindowEntry:
    """One clustered document's keys in the stream-frequency window."""

    seq: int  # the clusterer's clock when it arrived
    doc: str
    terms: tuple[int, ...]
    ents: tuple[str, ...]


@dataclass
class Decision:
    story: str
    score: float
    new: bool
    parts: dict[str, float] = field(default_factory=dict)


def _story_id(doc_id: str) -> str:
    return "s" + doc_id.lstrip("d")


def _line_id(story_id: str) -> str:
    return "l" + story_id[1:]


class StoryClusterer:
    """Assigns documents to stories in arrival order; see the module docstring."""

    def __init__(
        self, params: StoryParams | None = None, constraints: StoryConstraints | None = None
    ) -> None:
        self.p = params or StoryParams()
        self.constraints = constraints or StoryConstraints()
        self.clock = 0  # documents clustered so far
        self.stories: dict[str, StoryState] = {}
        self.lines: dict[str, LineState] = {}
        self.doc_story: dict[str, str] = {}
        self._lex_post: dict[int, OrderedDict[str, None]] = {}
        self._ent_post: dict[str, OrderedDict[str, None]] = {}
        # Touched objects are kept by reference: pruning may drop them from memory first.
        self._touched: dict[str, StoryState] = {}
        self._deleted: set[str] = set()
        self._touched_lines: dict[str, LineState] = {}
        self._deleted_lines: set[str] = set()
        self._assign: dict[str, str] = {}
        self._window: deque[WindowEntry] = deque()
        self._new_window: list[WindowEntry] = []
        self._df_lex: Counter[int] = Counter()
        self._df_ent: Counter[str] = Counter()
        self._hot_lex: set[int] = set()
        self._hot_ent: set[str] = set()
        self._epoch = 0  # clock of the last snapshot (0: none yet, nothing damped)
        self._g_lex: dict[int, float] = {}  # snapshot: damped keys and their weights
        self._g_ent: dict[str, float] = {}
        self._vec_memo: dict[int, tuple[dict, float, dict]] = {}
        self._emb_index = DenseIndex()

    # --- state ----------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        stories: Iterable[StoryState],
        lines: Iterable[LineState],
        clock: int,
        params: StoryParams | None = None,
        window: Iterable[WindowEntry] = (),
        constraints: StoryConstraints | None = None,
    ) -> StoryClusterer:
        """Continue from stored state: the open stories (any order), their storylines and the
        stream-frequency window (any order)."""
        c = cls(params, constraints)
        c.clock = clock
        for e in sorted(window, key=lambda e: e.seq):
            c._window_add(e)
        for line in lines:
            c.lines[line.id] = line
        for st in sorted(stories, key=lambda s: (s.last_seq, s.created)):
            if c._closed(st):
                continue
            c.stories[st.id] = st
            for d in st.docs:
                c.doc_story[d] = st.id
            c._index(st)
        return c

    def open_window(self) -> int:
        """The oldest ``last_seq`` a story may have and still be open.

        Closing goes by arrival count, not by dates: archives arrive out of date order, and
        the time factor of the score already keeps distant dates apart.
        """
        return self.clock - self.p.window_docs

    def _closed(self, st: StoryState) -> bool:
        return self.clock - st.last_seq > self.p.window_docs

    def drain(self) -> StoryBatch:
        """Changes since the last drain (stories and storylines to upsert or delete)."""
        for line in self._touched_lines.values():
            st = self.stories.get(line.title_story or "") or self._touched.get(
                line.title_story or ""
            )
            if st is not None:
                line.title = st.title()
        batch = StoryBatch(
            stories=[self._touched[s] for s in sorted(self._touched)],
            deleted=sorted(self._deleted),
            lines=[self._touched_lines[x] for x in sorted(self._touched_lines)],
            deleted_lines=sorted(self._deleted_lines),
            assign=self._assign,
            window=self._new_window,
            # the next snapshot needs the window as it will be then
            window_from=self.clock - self.p.df_window - self.p.df_epoch + 1,
        )
        self._new_window = []
        self._touched, self._deleted = {}, set()
        self._touched_lines, self._deleted_lines = {}, set()
        self._assign = {}
        return batch

    # --- index ----------------------------------------------------------------------------

    def _index(self, st: StoryState) -> None:
        """(Re)post a story under its strongest terms and entities, as most recently updated."""
        terms = tuple(_top_keys(st.lex, self.p.index_terms))
        ents = tuple(_top_keys(st.ents, self.p.index_ents))
        for t in set(st.indexed_terms) - set(terms):
            self._lex_post[t].pop(st.id, None)
        for e in set(st.indexed_ents) - set(ents):
            self._ent_post[e].pop(st.id, None)
        for t in terms:
            post = self._lex_post.setdefault(t, OrderedDict())
            post[st.id] = None
            post.move_to_end(st.id)
        for e in ents:
            post = self._ent_post.setdefault(e, OrderedDict())
            post[st.id] = None
            post.move_to_end(st.id)
        st.indexed_terms, st.indexed_ents = terms, ents
        if st.emb is not None:
            self._emb_index.put(st.id, st.emb)

    def _unindex(self, st: StoryState) -> None:
        for t in st.indexed_terms:
            post = self._lex_post.get(t)
            if post is not None:
                post.pop(st.id, None)
                if not post:
                    del self._lex_post[t]
        for e in st.indexed_ents:
            post = self._ent_post.get(e)
            if post is not None:
                post.pop(st.id, None)
                if not post:
                    del self._ent_post[e]
        st.indexed_terms, st.indexed_ents = (), ()
        self._emb_index.drop(st.id)

    def _candidates(self, f: DocFeatures) -> list[StoryState]:
        """Open stories sharing the document's strongest terms or entities, best first."""
        acc: dict[str, float] = {}
        cap = self.p.posting_cap
        min_seq = self.open_window()
        stories = self.stories
        for posts, vec, n in (
            (self._lex_post, f.lex, self.p.query_terms),
            (self._ent_post, f.ents, self.p.query_ents),
        ):
            # Feature vectors are ordered strongest first (features.normalise).
            for key, w in islice(vec.items(), n):
                post = posts.get(key)  # type: ignore[call-overload]
                if not post:
                    continue
                taken = 0
                for sid in reversed(post):  # most recently updated first
                    if stories[sid].last_seq < min_seq:
                        continue
                    acc[sid] = acc.get(sid, 0.0) + w
                    taken += 1
                    if taken >= cap:
                        break
        best = sorted(acc.items(), key=lambda kv: (-kv[1], self.stories[kv[0]].created))
        out = [self.stories[s] for s, _ in best[: self.p.max_candidates]]
        if f.emb is not None and self.p.w_emb > 0 and self.p.emb_candidates > 0:
            taken = {st.id for st in out}
            k = self.p.emb_candidates + len(taken)
            near = [
                st
                for st in map(stories.__getitem__, self._emb_index.nearest(f.emb, k))
                if st.id not in taken and st.last_seq >= min_seq
            ]
            out.extend(near[: self.p.emb_candidates])
        return out

    # --- scoring --------------------------------------------------------------------------

    @staticmethod
    def _decay(days: int, grace: float, tau: float) -> float:
        over = days - grace
        return math.exp(-over / tau) if over > 0 else 1.0

    def _line_factor(self, date: dt.date | None, st: StoryState) -> float:
        """Storylines: decay with the gap between the document and the story's dates."""
        if date is None or st.first is None or st.last is None:
            return 1.0
        gap = max((st.first - date).days, (date - st.last).days, 0)
        return self._decay(gap, self.p.line_grace_days, self.p.line_tau_days)

    def _span_factor(self, first: dt.date | None, last: dt.date | None, st: StoryState) -> float:
        """Stories: decay with the span the story would have with these dates added."""
        if first is None or last is None or st.first is None or st.last is None:
            return 1.0
        span = (max(st.last, last) - min(st.first, first)).days
        return self._decay(span, self.p.time_grace_days, self.p.time_tau_days)

    # --- stream frequency -------------------------------------------------------------------

    def _window_add(self, e: WindowEntry) -> None:
        self._window.append(e)
        self._df_lex.update(e.terms)
        self._df_ent.update(e.ents)
        evicted: list[WindowEntry] = []
        while len(self._window) > self.p.df_window:
            old = self._window.popleft()
            self._df_lex.subtract(old.terms)
            self._df_ent.subtract(old.ents)
            evicted.append(old)
        # Keys over the damping floor ("hot"). A superset is harmless: a key's weight is always
        # computed exactly, and one no longer over the floor weighs 1.
        limit = self.p.df_floor * max(len(self._window), self.p.df_prior_docs)
        for df, hot, keys in (
            (self._df_lex, self._hot_lex, e.terms),
            (self._df_ent, self._hot_ent, e.ents),
        ):
            for k in keys:
                if df[k] > limit:
                    hot.add(k)
        for old in evicted:
            for df, hot, keys in (
                (self._df_lex, self._hot_lex, old.terms),
                (self._df_ent, self._hot_ent, old.ents),
            ):
                for k in keys:
                    n = df[k]
                    if n <= limit:
                        hot.discard(k)
                    if n <= 0:
                        del df[k]
        if e.seq % self.p.df_epoch == 0 or e.seq < self.p.df_epoch:  # at first, at every one
            self._epoch = e.seq
            self._g_lex = self._snapshot(self._df_lex, self._hot_lex)
            self._g_ent = self._snapshot(self._df_ent, self._hot_ent)

    def _snapshot(self, df: Counter, hot: set) -> dict:
        out = {}
        for k in hot:
            g = self._damp(df, k)
            if g < 1.0:
                out[k] = g
        return out

    def _damp(self, df: Counter, key: Any) -> float:
        """1 for a key the recent stream rarely carries, down to the minimum weight for one in
        every document."""
        n = df.get(key)
        if not n:
            return 1.0
        share = n / max(len(self._window), self.p.df_prior_docs)
        if share <= self.p.df_floor:
            return 1.0
        return max(self.p.df_min_weight, math.log(share) / math.log(self.p.df_floor))

    def _damped_cosine(self, vec: dict, st: StoryState, entities: bool) -> tuple[float, float]:
        """Cosine between a unit vector and a story sum with stream-common keys damped on both
        sides, and the plain cosine.

        Only the few damped keys change the plain cosine, so it is corrected from those: the
        vector's side once per vector, the story's once per snapshot."""
        svec, snorm, g = (
            (st.ents, st.ent_norm, self._g_ent) if entities else (st.lex, st.lex_norm, self._g_lex)
        )
        num = cosine(vec, svec)
        plain = num / (snorm or 1.0)
        if not g:
            return plain, plain
        memo = self._vec_memo.get(id(vec))
        if memo is None or memo[0] is not vec:
            cuts = {k: 1.0 - g[k] * g[k] for k in vec.keys() & g.keys()}
            dn2 = 1.0 - sum(vec[k] * vec[k] * c for k, c in cuts.items())
            memo = self._vec_memo[id(vec)] = (vec, dn2, cuts)
        _, dn2, cuts = memo
        for k, c in cuts.items():
            sv = svec.get(k)
            if sv is not None:
                num -= vec[k] * sv * c
        if st.damped_epoch != self._epoch:
            for sv_, gg, attr, norm in (
                (st.lex, self._g_lex, "damped_lex2", st.lex_norm),
                (st.ents, self._g_ent, "damped_ent2", st.ent_norm),
            ):
                n2 = norm * norm
                for k in sv_.keys() & gg.keys():
                    n2 -= sv_[k] * sv_[k] * (1.0 - gg[k] * gg[k])
                setattr(st, attr, n2)
            st.damped_epoch = self._epoch
        sn2 = st.damped_ent2 if entities else st.damped_lex2
        den = math.sqrt(max(dn2, 0.0) * max(sn2, 0.0))
        return (num / den if den > 0.0 else 0.0), plain

    def _content(
        self,
        lex: dict,
        ents: dict,
        places: Iterable[str],
        emb: list[float] | None,
        st: StoryState,
    ) -> dict[str, float]:
        """Signal similarities between a document (or a story's unit vectors) and a story.

        ``content`` scores the happening (stream-common keys damped); ``line_content`` the same
        without damping, for storylines, which the constant actors of a crisis do hold together.
        """
        parts: dict[str, float] = {}
        plain: dict[str, float] = {}
        parts["lex"], plain["lex"] = self._damped_cosine(lex, st, entities=False)
        if ents and st.ents:
            parts["ent"], plain["ent"] = self._damped_cosine(ents, st, entities=True)
        if emb is not None and st.emb is not None and self.p.w_emb > 0:
            en = _norm_list(st.emb)
            c = sum(a * b for a, b in zip(emb, st.emb, strict=True)) / (en or 1.0)
            parts["emb"] = plain["emb"] = max(
                0.0, (c - self.p.emb_floor) / (1.0 - self.p.emb_floor)
            )
        w = self.p.weights
        total_w = sum(w[k] for k in parts)
        score = sum(w[k] * v for k, v in parts.items()) / total_w if total_w else 0.0
        line = sum(w[k] * v for k, v in plain.items()) / total_w if total_w else 0.0
        places = list(places)
        if places and st.places and not set(places) & set(st.places):
            score *= self.p.place_penalty
            line *= self.p.place_penalty
            parts["place_conflict"] = 1.0
        parts["content"] = score
        parts["line_content"] = line
        return parts

    def score(self, f: DocFeatures, st: StoryState) -> dict[str, float]:
        parts = self._content(f.lex, f.ents, f.places, f.emb, st)
        t = self._span_factor(f.date, f.date, st)
        parts["time"] = t
        parts["score"] = parts["content"] * t
        return parts

    def _story_similarity(self, a: StoryState, b: StoryState) -> float:
        lex = {k: v / (a.lex_norm or 1.0) for k, v in a.lex.items()}
        ents = {k: v / (a.ent_norm or 1.0) for k, v in a.ents.items()}
        parts = self._content(lex, ents, _lead(a.places), a.emb and unit(a.emb), b)
        return parts["content"] * self._span_factor(a.first, a.last, b)

    # --- adding ---------------------------------------------------------------------------

    def add(self, f: DocFeatures) -> Decision:
        """Assign one document (in arrival order) to a story; returns the decision."""
        self._vec_memo = {}
        decision = self._decide(f)
        # The document counts in the stream frequencies from the next document on.
        e = WindowEntry(self.clock, f.id, tuple(f.lex), tuple(f.ents))
        self._window_add(e)
        self._new_window.append(e)
        return decision

    def _decide(self, f: DocFeatures) -> Decision:
        self.clock += 1
        if self.constraints:
            forced = self._forced(f.id)
            if forced is not None:
                self._join(forced, f)
                return Decision(forced.id, 1.0, False, {"correction": 1.0})
        banned = self._banned(f.id)
        # A duplicate goes where its original went (if that story is still open).
        orig = self.doc_story.get(f.duplicate_of) if f.duplicate_of else None
        if (
            orig is not None
            and orig in self.stories
            and orig not in banned
            and not self._closed(self.stories[orig])
        ):
            st = self.stories[orig]
            self._join(st, f, update_centroid=False)
            return Decision(st.id, 1.0, False, {"duplicate": 1.0})

        scored = [(self.score(f, st), st) for st in self._candidates(f) if st.id not in banned]
        scored.sort(key=lambda ps: (-ps[0]["score"], ps[1].created))
        if scored and scored[0][0]["score"] >= self.p.story_threshold:
            parts, st = scored[0]
            self._join(st, f)
            others = [s for p, s in scored[1:] if p["score"] >= self.p.story_threshold]
            st = self._maybe_merge(st, others)
            return Decision(st.id, parts["score"], False, parts)

        line = None
        for parts, st in scored:
            t = self._line_factor(f.date, st)
            if parts["line_content"] * t >= self.p.storyline_threshold:
                line = st.storyline
                break
        st = self._open(f, line)
        best = scored[0][0] if scored else {"score": 0.0}
        return Decision(st.id, best["score"], True, best)

    # --- the user's corrections -----------------------------------------------------------

    def _forced(self, doc: str) -> StoryState | None:
        """The open story of a document this one was put together with, if one is placed."""
        for other in self.constraints.together.get(doc, ()):
            sid = self.doc_story.get(other)
            if sid is not None and sid in self.stories and not self._closed(self.stories[sid]):
                return self.stories[sid]
        return None

    def _banned(self, doc: str) -> set[str]:
        """Stories holding a document this one was kept apart from."""
        apart = self.constraints.apart.get(doc)
        if not apart:
            return set()
        return {sid for o in apart if (sid := self.doc_story.get(o)) is not None}

    def _kept_apart(self, a: StoryState, b: StoryState) -> bool:
        """Whether a document of one story was kept apart from a document of the other."""
        ids = {a.id, b.id}
        for doc, others in self.constraints.apart.items():
            sid = self.doc_story.get(doc)
            if sid in ids:
                other_sid = b.id if sid == a.id else a.id
                if any(self.doc_story.get(o) == other_sid for o in others):
                    return True
        return False

    def _open(self, f: DocFeatures, line_id: str | None) -> StoryState:
        sid = _story_id(f.id)
        if sid in self.stories:  # the same document twice: a content-derived id already taken
            sid = f"{sid}-{self.clock}"
        line_id = line_id or _line_id(sid)
        st = StoryState(id=sid, created=self.clock, last_seq=self.clock, storyline=line_id)
        self.stories[sid] = st
        line = self.lines.get(line_id)
        if line is None:
            line = self.lines[line_id] = LineState(id=line_id)
        line.stories.append(sid)
        self._join(st, f)
        return st

    def _join(self, st: StoryState, f: DocFeatures, update_centroid: bool = True) -> None:
        st.n += 1
        st.last_seq = self.clock
        st.docs.append(f.id)
        if f.title and len(st.titles) < 50:
            st.titles.append([f.id, f.title])
        if f.date:
            st.first = min(st.first, f.date) if st.first else f.date
            st.last = max(st.last, f.date) if st.last else f.date
        if update_centroid:
            lex = dict(st.lex)
            _add(lex, f.lex)
            st.lex = _trim(lex, self.p.centroid_terms)
            ents = dict(st.ents)
            _add(ents, f.ents)
            st.ents = _trim(ents, 60)
            for p in f.places[:3]:
                st.places[p] = st.places.get(p, 0) + 1
            if f.emb is not None:
                st.emb = (
                    list(f.emb)
                    if st.emb is None
                    else [a + b for a, b in zip(st.emb, f.emb, strict=True)]
                )
            st.refresh()
        self.doc_story[f.id] = st.id
        self._assign[f.id] = st.id
        self._index(st)
        self._touched[st.id] = st
        self._update_line(st)
        if self.clock % self.p.prune_every == 0:
            self._prune()

    def _update_line(self, st: StoryState) -> None:
        line = self.lines.get(st.storyline)
        if line is None:
            line = self.lines[st.storyline] = LineState(id=st.storyline, stories=[st.id])
        if st.first:
            line.first = min(line.first, st.first) if line.first else st.first
            line.last = max(line.last, st.last) if line.last and st.last else st.last
        if st.n > line.title_size:
            line.title_size, line.title_story = st.n, st.id
        self._touched_lines[line.id] = line

    def _maybe_merge(self, st: StoryState, others: list[StoryState]) -> StoryState:
        """Later evidence: a document close to two stories that are close to each other."""
        for other in others:
            if other.id not in self.stories or other.id == st.id:
                continue
            if self._story_similarity(st, other) < self.p.merge_threshold:
                continue
            if self.constraints.apart and self._kept_apart(st, other):
                continue
            keep, gone = (st, other) if st.created <= other.created else (other, st)
            self._absorb(keep, gone)
            st = keep
        return st

    def _absorb(self, keep: StoryState, gone: StoryState) -> None:
        self._unindex(gone)
        keep.n += gone.n
        keep.last_seq = max(keep.last_seq, gone.last_seq)
        keep.docs.extend(gone.docs)
        keep.titles = (keep.titles + gone.titles)[:50]
        lex = dict(keep.lex)
        _add(lex, gone.lex)
        keep.lex = _trim(lex, self.p.centroid_terms)
        ents = dict(keep.ents)
        _add(ents, gone.ents)
        keep.ents = _trim(ents, 60)
        for p, c in gone.places.items():
            keep.places[p] = keep.places.get(p, 0) + c
        if gone.emb is not None:
            keep.emb = (
                gone.emb
                if keep.emb is None
                else [a + b for a, b in zip(keep.emb, gone.emb, strict=True)]
            )
        for attr, pick in (("first", min), ("last", max)):
            a, b = getattr(keep, attr), getattr(gone, attr)
            setattr(keep, attr, pick(a, b) if a and b else a or b)
        keep.refresh()
        for d in gone.docs:
            self.doc_story[d] = keep.id
            self._assign[d] = keep.id
        del self.stories[gone.id]
        self._touched.pop(gone.id, None)
        self._deleted.add(gone.id)
        self._touched[keep.id] = keep
        self._index(keep)
        line = self.lines.get(gone.storyline)
        if line is not None and gone.id in line.stories:
            line.stories.remove(gone.id)
            if line.title_story == gone.id:
                line.title_story, line.title_size = keep.id, keep.n
            if not line.stories:
                del self.lines[line.id]
                self._deleted_lines.add(line.id)
                self._touched_lines.pop(line.id, None)
            else:
                self._touched_lines[line.id] = line
        self._update_line(keep)

    def _prune(self) -> None:
        """Forget closed stories (they can no longer be joined); bounds memory and postings."""
        for sid in [s for s, st in self.stories.items() if self._closed(st)]:
            st = self.stories.pop(sid)
            self._unindex(st)
            for d in st.docs:
                if self.doc_story.get(d) == sid:
                    del self.doc_story[d]
            line = self.lines.get(st.storyline)
            if line is not None and not any(self.stories.get(x) is not None for x in line.stories):
                del self.lines[st.storyline]


@lru_cache(maxsize=100_000)
def _title_vector(title: str) -> dict[int, float]:
    return lexical_vector(title, "")


def _norm_list(v: list[float]) -> float:
    return math.sqrt(sum(x * x for x in v))


def _lead(places: dict[str, int]) -> list[str]:
    return [p for p, _ in sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
