"""Cross-document entity resolution: document-local entities → canonical entities.

Runs in the single writer: :class:`EntityResolver` keeps the canonical entities with the
statistics matching needs (name forms per document, given/family keys, roles, co-occurring
entities) and links each new document's local entities to them, or creates new ones.

Decisions come from a logistic scorer over similarity features (see :data:`WEIGHTS`); family
names weigh most, a conflicting given name blocks a merge, a conflicting role blocks it unless
the full name is identical and the context agrees (then the role is kept as a discrepancy).
Candidates come from blocking keys (family-name key, consonant skeleton, metaphone), so the
cost per document does not grow with the number of known entities.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from newsgraph.entities.corrections import Correction, form_key
from newsgraph.entities.gazetteer import gazetteer
from newsgraph.entities.kb import KBRecord, KnowledgeBase, shipped_kb
from newsgraph.entities.names import (
    ascii_fold,
    blocking_keys,
    consonants,
    given_compatibility,
    name_key,
    phonetic_keys,
    skeleton,
    split_name,
    translit_key,
)
from newsgraph.entities.within import LOCAL_KEY, normalise_role
from newsgraph.model import Document, Entity

# Logistic scorer: z = bias + Σ w·x; merge when sigmoid(z) ≥ THRESHOLD. Weights set by hand
# from the feature ranges; the threshold is set on the dev set of generated transliteration
# variants (bench/canon.py --sweep, where F1 is flat from 0.2 to 0.9); see docs/entities.md.
WEIGHTS: dict[str, float] = {
    "bias": -9.0,
    "family_jw": 6.0,  # Jaro-Winkler of family-name transliteration keys
    "family_lev": 3.0,  # normalised Levenshtein similarity of the same keys
    "phonetic": 1.5,  # share of metaphone / NYSIIS / match-rating codes that agree
    "given": 2.0,  # +1 same given name, +0.5 initial, 0 missing, -1 conflict (also blocks)
    "type": 1.0,  # +1 same type, -1 different (weak votes count as unknown)
    "role": 1.5,  # +1 same role, -1 conflicting role (different state, same office)
    "context": 2.0,  # share of co-occurring entities in common
    "consonants": 0.0,  # Jaro-Winkler of the vowel-free consonant skeletons of the keys
}
THRESHOLD = 0.5
# Name-only entities (organisations, places, other) need a closer spelling: there is no
# given name or role to confirm a fuzzy match.
NAME_MIN_SIM = 0.93
# People: family names at least this alike, or with nearly the same consonants (a Polish
# romanisation differs from the English one mostly in its vowels). Below both, no score runs.
PERSON_MIN_SIM = 0.7
PERSON_MIN_CONSONANTS = 0.85
_PERSONISH_MIN_VOTES = 2.0
# A surname alone that fits two known people with different given names links only to one
# that scores clearly better (context, role), whose surname is the only exact match, or that
# is far more prominent (documents); otherwise it stays apart rather than guess.
AMBIGUITY_MARGIN = 0.15
PROMINENCE_RATIO = 5.0
PROMINENCE_MIN_DOCS = 3
EXACT_FAMILY = 0.999  # family-key Jaro-Winkler that counts as the same spelling
# A person known on one side by the surname alone (no given name to confirm it) links to a
# differently spelled surname only when the spellings are this close (on real statements the
# looser matches joined different people: "Chusov" with "Husyev", "Mark" with "Park"), and
# below LONE_PLAIN_SIM only when the office named in the text agrees ("Secretary Brinken").
LONE_MIN_SIM = 0.9
LONE_PLAIN_SIM = 0.95


# (score, candidate id, features, discrepancies) of a candidate that passed the threshold.
_Passing = tuple[float, str, dict[str, float], list[str]]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _coarse(t: str) -> str:
    return {"GPE": "place", "LOC": "place", "FAC": "place"}.get(t, t)


@dataclass
class MergeEvidence:
    """Why a document's local entity became (part of) a canonical entity."""

    entity: str
    document: str
    local_key: str
    local_name: str
    canonical_name: str
    decision: str  # "kb" (linked to a knowledge-base entry) | "scored" | "correction"
    score: float
    features: dict[str, float] = field(default_factory=dict)
    discrepancies: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Canon:
    id: str
    kind: str  # "person" | "kb" | "name"
    kb_id: str | None = None
    kb_name: str | None = None
    wikidata: str | None = None
    type_votes: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)  # mentions per label, unweighted
    names: Counter[str] = field(default_factory=Counter)  # documents per surface form
    full_forms: Counter[str] = field(default_factory=Counter)
    family_forms: Counter[str] = field(default_factory=Counter)
    given_forms: Counter[str] = field(default_factory=Counter)
    given_keys: Counter[str] = field(default_factory=Counter)
    family_keys: Counter[str] = field(default_factory=Counter)
    name_keys: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)  # "head|country" per document
    role_texts: dict[str, Counter[str]] = field(default_factory=dict)
    context: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    docs: int = 0

    @property
    def type(self) -> str:
        if not self.type_votes:
            return "MISC"
        top = sorted(self.type_votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        # A one-word name the model calls a person in a few documents and a place or an
        # organisation in most (a region's name) becomes a person-kind entity, whose matches
        # then add person votes: without a given name, a title or a KB entry the plain labels
        # decide.
        if top == "PERSON" and not self.given_forms and not self.kb_id and self.labels:
            others = [(n, lab) for lab, n in self.labels.items() if lab != "PERSON"]
            if others:
                n, lab = sorted(others, key=lambda x: (-x[0], x[1]))[0]
                if n > self.labels.get("PERSON", 0):
                    return lab
        return top

    def display_name(self) -> str:
        if self.kb_name:
            return self.kb_name
        if self.full_forms:
            # The best full form is the consensus spelling: the seen form whose family and
            # given names are closest to all spellings seen, weighted by documents. Errors
            # scatter around the correct spelling (one error away from it, two from each
            # other), so the medoid is the correct form whenever it has been seen.
            def score(form: str) -> tuple[float, str]:
                pn = split_name(form)
                s = _medoid_score(pn.family, self.family_forms)
                if pn.given:
                    s += _medoid_score(pn.given[0], self.given_forms)
                return (-(s + 0.1 * self.full_forms[form]), form)

            return sorted(self.full_forms, key=score)[0]
        if self.names:
            return sorted(self.names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        return self.id

    def discrepant_roles(self) -> set[str]:
        """Roles contradicted by better-supported roles of the same office in another state."""
        out = set()
        for r, n in self.roles.items():
            head, _, country = r.partition("|")
            if not country:
                continue
            for r2, n2 in self.roles.items():
                h2, _, c2 = r2.partition("|")
                if h2 == head and c2 and c2 != country and n2 > n:
                    out.add(r)
        return out

    def to_entity(self) -> Entity:
        name = self.display_name()
        bad = self.discrepant_roles()
        roles = []
        for r, _ in sorted(self.roles.items(), key=lambda kv: (-kv[1], kv[0])):
            if r in bad:
                continue
            texts = self.role_texts.get(r)
            if texts:
                roles.append(sorted(texts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0])
        aliases = sorted(
            {n for n in self.names if n != name} | {f for f in self.full_forms if f != name}
        )
        return Entity(id=self.id, name=name, type=self.type, aliases=aliases,
                      roles=list(dict.fromkeys(roles)), wikidata=self.wikidata)  # fmt: skip

    def state(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it would rebuild Counters from (key, value) pairs.
        d: dict[str, Any] = {"id": self.id, "kind": self.kind, "kb_id": self.kb_id,
                             "kb_name": self.kb_name, "wikidata": self.wikidata,
                             "docs": self.docs}  # fmt: skip
        for f in _COUNTERS:
            d[f] = dict(sorted(getattr(self, f).items()))
        d["role_texts"] = {k: dict(sorted(v.items())) for k, v in sorted(self.role_texts.items())}
        return d

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> _Canon:
        c = cls(id=d["id"], kind=d["kind"], kb_id=d.get("kb_id"), kb_name=d.get("kb_name"),
                wikidata=d.get("wikidata"), docs=d.get("docs", 0))  # fmt: skip
        for f in _COUNTERS:
            setattr(c, f, Counter(d.get(f) or {}))
        c.role_texts = {k: Counter(v) for k, v in (d.get("role_texts") or {}).items()}
        return c


_COUNTERS = ("type_votes", "labels", "names", "full_forms", "family_forms", "given_forms",
             "given_keys", "family_keys", "name_keys", "roles", "context", "outlets")  # fmt: skip


def _medoid_score(form: str, seen: Counter[str]) -> float:
    """Similarity-weighted support of ``form`` among spellings ``seen`` (documents each)."""
    f = ascii_fold(form)
    return sum(n * Levenshtein.normalized_similarity(f, ascii_fold(o)) for o, n in seen.items())


def _role_key(head: str, country: str | None) -> str:
    return f"{head}|{country or ''}"


class EntityResolver:
    """Holds the canonical entities and links documents' local entities to them.

    ``kb`` is the knowledge base (default: the shipped one, :func:`~newsgraph.entities.kb.
    shipped_kb`): its people and other non-gazetteer entries are candidates like known
    entities, scored by the same features; the first link creates the canonical entity from
    the entry (its label as display name, its Wikidata id)."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self._kb = kb if kb is not None else shipped_kb()
        self._kb_index = _kb_index(self._kb)
        self._canon: dict[str, _Canon] = {}
        self._by_kb: dict[str, str] = {}
        self._blocks: dict[str, set[str]] = {}
        # User corrections: merged-away id → the id it resolves to; per entity, the forms
        # split off it → the entity each form belongs to instead.
        self._merged: dict[str, str] = {}
        self._splits: dict[str, dict[str, str]] = {}
        self._via_merge: set[str] = set()  # the current link went through a merged-away id

    # ---- construction and persistence -------------------------------------------------

    @classmethod
    def from_entities(
        cls,
        entities: Iterable[Entity],
        extra_state: dict[str, Any] | None = None,
        *,
        corrections: Iterable[Correction] = (),
        kb: KnowledgeBase | None = None,
    ) -> EntityResolver:
        """A resolver over known entities. ``extra_state`` is what :meth:`state` returned
        (statistics per entity id); entities without it (a user knowledge base) are seeded
        from their name, aliases and roles. ``corrections`` (oldest first) are user decisions
        that new documents must obey; the stored entities already reflect them. ``kb`` as for
        the constructor."""
        r = cls(kb)
        stats = (extra_state or {}).get("entities", {})
        for e in entities:
            if e.id in stats:
                c = _Canon.from_state(stats[e.id])
                c.wikidata = e.wikidata or c.wikidata
            else:
                c = _seed_canon(e)
            if c.kb_id and (rec := r._kb.get(c.kb_id)) is not None:
                # Stored before the entry had an id, or the entry changed: the KB decides.
                c.wikidata = rec.wikidata or c.wikidata
                c.kb_name = rec.name
            r._register(c)
        r._adopt_kb_entries()
        for corr in corrections:
            r._obey(corr)
        if r._merged:
            # Co-occurrence counted with a merged-away entity counts for the one it joined
            # (the store updates only the two merged rows).
            for c in r._canon.values():
                for old in [x for x in c.context if x in r._merged]:
                    new = r.canonical_id(old)
                    n = c.context.pop(old)
                    if new != c.id:
                        c.context[new] += n
        return r

    # ---- user corrections ------------------------------------------------------------------

    def canonical_id(self, entity_id: str) -> str:
        """The id ``entity_id`` resolves to after merges (itself when never merged away)."""
        seen = set()
        while entity_id in self._merged and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self._merged[entity_id]
        return entity_id

    def _obey(self, corr: Correction) -> None:
        if corr.kind == "merge":
            self._merged[corr.other_id] = corr.entity_id
            b = self._canon.pop(corr.other_id, None)  # stale row: the merge already moved it
            if b is not None:
                self._unindex(b)
        elif corr.kind == "split" and corr.form:
            self._splits.setdefault(corr.entity_id, {})[form_key(corr.form)] = corr.other_id

    def merge(self, keep: str, other: str) -> Entity:
        """Fold entity ``other`` into ``keep`` (statistics added up); ``other``'s id resolves
        to ``keep`` from now on. Returns the updated entity."""
        a, b = self._canon[keep], self._canon[other]
        self._unindex(b)
        for f in _COUNTERS:
            getattr(a, f).update(getattr(b, f))
        for rk, texts in b.role_texts.items():
            a.role_texts.setdefault(rk, Counter()).update(texts)
        a.context.pop(keep, None)
        a.context.pop(other, None)
        a.docs += b.docs
        if a.kb_id is None and b.kb_id:
            a.kb_id, a.kb_name = b.kb_id, b.kb_name
            a.kind = "kb" if b.kind == "kb" else a.kind
        elif a.kind == "name" and b.kind == "person":
            a.kind = "person"
        a.wikidata = a.wikidata or b.wikidata
        if b.kb_id:
            self._by_kb[b.kb_id] = keep
        del self._canon[other]
        for c in self._canon.values():  # co-occurrence with B is co-occurrence with A
            if other in c.context:
                c.context[keep] += c.context.pop(other)
        self._obey(Correction("merge", keep, other))
        self._index(a)
        return a.to_entity()

    def split(self, entity_id: str, form: str, new_id: str, docs: int) -> Entity:
        """Take surface ``form`` (seen in ``docs`` documents) off ``entity_id`` into a new
        entity ``new_id``; the form never resolves to ``entity_id`` again."""
        a = self._canon[entity_id]
        fk = form_key(form)
        for f in ("names", "full_forms", "family_forms", "given_forms"):
            counter = getattr(a, f)
            for n in [n for n in counter if form_key(n) == fk]:
                del counter[n]
        a.name_keys.pop(name_key(form), None)
        kept_families = {split_name(n).family_key for n in [*a.full_forms, *a.family_forms]}
        fam = split_name(form).family_key
        if fam and fam not in kept_families:
            a.family_keys.pop(fam, None)
        c = _seed_canon(Entity(id=new_id, name=form, type=a.type))
        c.kind = "person" if a.kind == "person" else "name"
        c.kb_id = c.kb_name = None  # the knowledge-base entry stays with the original
        c.docs = max(docs, 1)
        c.names[form] = max(docs, 1)
        self._register(c)
        self._obey(Correction("split", entity_id, new_id, form))
        return c.to_entity()

    def _unindex(self, c: _Canon) -> None:
        for k in _canon_blocks(c):
            ids = self._blocks.get(k)
            if ids is not None:
                ids.discard(c.id)

    def _corrected(self, le: dict[str, Any], cid: str) -> str:
        """``cid`` after the user's corrections: merges followed, split-off forms moved."""
        cid = self.canonical_id(cid)
        for _ in range(len(self._splits) + 1):  # a split-off entity may itself be split
            moved = self._splits.get(cid, {}).get(form_key(le.get("name") or ""))
            if moved is None:
                break
            cid = self.canonical_id(moved)
        return cid

    def state(self) -> dict[str, Any]:
        """JSON-able statistics to persist next to the entities (pass back to
        :meth:`from_entities` to continue incrementally)."""
        return {"version": 1, "entities": {i: c.state() for i, c in sorted(self._canon.items())}}

    def entities(self) -> list[Entity]:
        return [self._canon[i].to_entity() for i in sorted(self._canon)]

    def entity(self, entity_id: str) -> Entity | None:
        c = self._canon.get(entity_id)
        return c.to_entity() if c else None

    def entity_state(self, entity_id: str) -> dict[str, Any] | None:
        """The statistics of one entity, as stored next to it (see :meth:`from_entities`)."""
        c = self._canon.get(entity_id)
        return c.state() if c else None

    def __len__(self) -> int:
        return len(self._canon)

    def _register(self, c: _Canon) -> None:
        self._canon[c.id] = c
        if c.kb_id:
            self._by_kb[c.kb_id] = c.id
        self._index(c)

    def _index(self, c: _Canon) -> None:
        for k in _canon_blocks(c):
            self._blocks.setdefault(k, set()).add(c.id)

    def _new_id(self, seed: str) -> str:
        h = hashlib.sha1(seed.encode("utf-8")).hexdigest()
        eid, n = "e" + h[:12], 1
        while eid in self._canon:  # collision-safe: a different entity already has it
            n += 1
            eid = f"e{h[:12]}-{n}"
        return eid

    # ---- resolution ----------------------------------------------------------------------

    def resolve(self, doc: Document) -> tuple[Document, list[Entity], list[MergeEvidence]]:
        """Rewrite ``doc``'s local entity keys to canonical ids; return the document, the new
        or updated entities and the evidence for every merge into an existing entity."""
        locals_ = list(doc.extra.get(LOCAL_KEY) or [])
        order = sorted(locals_, key=_resolution_order)
        mapping: dict[str, str] = {}
        evidence: list[MergeEvidence] = []
        touched: list[str] = []
        taken: set[str] = set()
        for le in order:
            ctx = {mapping[k] for k in le.get("context", []) if k in mapping}
            cid, ev = self._link(le, ctx, doc, taken)
            mapping[le["key"]] = cid
            taken.add(cid)
            if ev is not None:
                evidence.append(ev)
            touched.append(cid)
        # Update statistics after all links so one document cannot chain its own entities.
        for le in locals_:
            cid = mapping[le["key"]]
            ctx = {mapping[k] for k in le.get("context", []) if k in mapping} - {cid}
            self._update(self._canon[cid], le, ctx, doc)
        mentions = [
            m.model_copy(update={"entity": mapping.get(m.entity, m.entity)}) if m.entity else m
            for m in doc.mentions
        ]
        extra = dict(doc.extra)
        extra["entity_map"] = dict(sorted(mapping.items()))
        out = doc.model_copy(update={"mentions": mentions, "extra": extra})
        ents = [self._canon[c].to_entity() for c in sorted(set(touched))]
        return out, ents, evidence

    def resolve_all(
        self, docs: Iterable[Document]
    ) -> tuple[list[Document], list[Entity], list[MergeEvidence]]:
        """Resolve many documents; returns the documents, all entities and all evidence."""
        out, evidence = [], []
        for d in docs:
            nd, _, ev = self.resolve(d)
            out.append(nd)
            evidence.extend(ev)
        return out, self.entities(), evidence

    def _link(
        self, le: dict[str, Any], ctx: set[str], doc: Document, taken: set[str]
    ) -> tuple[str, MergeEvidence | None]:
        self._via_merge = set()
        cid, ev = self._link_scored(le, ctx, doc, taken)
        fixed = self._corrected(le, cid)
        if fixed == cid and ev is None and cid in self._via_merge:
            fixed, cid = cid, ""  # a new id that was merged away: say so in the evidence
        if fixed == cid or fixed not in self._canon:
            return cid, ev
        if cid not in self._canon or self._canon[cid].docs == 0:
            # A new entity that a correction says is a known one: drop it again.
            c = self._canon.pop(cid, None)
            if c is not None:
                self._unindex(c)
        ev = MergeEvidence(
            entity=fixed, document=doc.id, local_key=le["key"], local_name=le["name"],
            canonical_name=self._canon[fixed].display_name(), decision="correction",
            score=1.0, features={}, discrepancies=[],
        )  # fmt: skip
        return fixed, ev

    def _link_scored(
        self, le: dict[str, Any], ctx: set[str], doc: Document, taken: set[str]
    ) -> tuple[str, MergeEvidence | None]:
        if le.get("kb_id"):
            cid = self._by_kb.get(le["kb_id"])
            if cid is None:
                if (old := self._merged_seed("kb|" + le["kb_id"])) is not None:
                    return old, None
                rec = self._kb.get(le["kb_id"])
                c = _Canon(id=self._new_id("kb|" + le["kb_id"]), kind="kb", kb_id=le["kb_id"],
                           kb_name=rec.name if rec else le.get("name"),
                           wikidata=rec.wikidata if rec else None)  # fmt: skip
                self._register(c)
                return c.id, None
            return cid, None
        passing: list[_Passing] = []
        for cid in sorted(self._candidates(le)):
            if cid in taken:
                continue
            c = self._canon[cid]
            feats, blocked, disc = features(le, c, ctx)
            if blocked:
                continue
            p = score(feats)
            if p >= THRESHOLD:
                passing.append((p, cid, feats, disc))
        # Knowledge-base entries not linked yet compete with the known entities on the same
        # features (``_KB_PREFIX`` marks them until one wins and becomes an entity).
        for kid in sorted(self._kb_candidates(le)):
            feats, blocked, disc = features(le, self._kb_index.templates[kid], ctx)
            if blocked:
                continue
            p = score(feats)
            if p >= THRESHOLD:
                passing.append((p, _KB_PREFIX + kid, feats, disc))
        passing.sort(key=lambda x: (x[0], x[1]), reverse=True)
        best: tuple[float, str] | None = None
        adopt: str | None = None  # knowledge-base entry a surname-only entity takes over
        if passing:
            if le["kind"] == "person" and not le.get("given_keys"):
                key = le.get("family_key") or translit_key((le.get("name") or "").split(" ")[-1])
                pick = self._surname_pick(passing, key)
                passing = [passing[pick]] if pick is not None else []
            elif not le.get("given_keys") and self._ambiguous(passing):
                passing = []
            elif (absorb := self._surname_entity_for(passing)) is not None:
                passing, adopt = [absorb[0]], absorb[1]
        if passing:
            p, cid, best_feats, best_disc = passing[0]
            best = (p, cid)
        if best is not None:
            decision = "scored"
            if best[1].startswith(_KB_PREFIX):
                decision = "kb"
                c = self._from_kb(best[1][len(_KB_PREFIX) :])
            else:
                c = self._canon[best[1]]
                if adopt is not None:
                    # A surname-only entity that the full name now identifies takes over the
                    # knowledge-base entry the full name matched (same id, the entry's label).
                    self._adopt(c, adopt)
                    decision = "kb"
            ev = MergeEvidence(
                entity=c.id, document=doc.id, local_key=le["key"], local_name=le["name"],
                canonical_name=c.display_name(), decision=decision, score=round(best[0], 4),
                features={k: round(v, 4) for k, v in best_feats.items()},
                discrepancies=best_disc,
            )  # fmt: skip
            return c.id, ev
        kind = le["kind"]
        cls = "PERSON" if kind == "person" else _coarse(le["type"])
        seed = f"{cls}|{name_key(le['name'])}"
        if (old := self._merged_seed(seed)) is not None:
            return old, None  # the id this name would get was merged away by the user
        c = _Canon(id=self._new_id(seed), kind=kind)
        self._register(c)
        return c.id, None

    def _merged_seed(self, seed: str) -> str | None:
        eid = "e" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]
        if eid in self._merged and eid not in self._canon:
            target = self.canonical_id(eid)
            if target in self._canon:
                self._via_merge.add(target)
                return target
        return None

    def _adopt_kb_entries(self) -> None:
        """Known people (stored before the knowledge base had them) whose full name is exactly
        one entry's name or alias become that entry's entity: same id, the entry's label and
        Wikidata id. Otherwise a new mention could found a second entity for them."""
        by_name: dict[str, set[str]] = {}
        for kid, t in self._kb_index.templates.items():
            if t.kind == "person" and kid not in self._by_kb:
                for n in t.full_forms:
                    by_name.setdefault(form_key(n), set()).add(kid)
        if not by_name:
            return
        for c in sorted(self._canon.values(), key=lambda c: c.id):
            if c.kind != "person" or c.kb_id:
                continue
            hits = {k for f in c.full_forms for k in by_name.get(form_key(f), ())}
            if len(hits) != 1 or (kid := hits.pop()) in self._by_kb:
                continue
            self._adopt(c, kid)

    def _adopt(self, c: _Canon, kid: str) -> None:
        """Known entity ``c`` becomes knowledge-base entry ``kid``'s entity (keeping its id)."""
        t = self._kb_index.templates[kid]
        self._unindex(c)
        c.kb_id, c.kb_name, c.wikidata = kid, t.kb_name, t.wikidata or c.wikidata
        c.kind = "person" if t.kind == "person" else c.kind
        for f in ("names", "full_forms", "family_forms", "given_forms", "given_keys",
                  "family_keys", "name_keys"):  # fmt: skip
            for k, n in getattr(t, f).items():
                getattr(c, f).setdefault(k, n)
        for rk, texts in t.role_texts.items():
            c.roles.setdefault(rk, 1)
            c.role_texts.setdefault(rk, Counter(texts))
        self._by_kb[kid] = c.id
        self._index(c)

    def _kb_candidates(self, le: dict[str, Any]) -> set[str]:
        """Knowledge-base entries (not yet entities) that share a blocking key with ``le``."""
        out: set[str] = set()
        for k in _local_blocks(le):
            out |= self._kb_index.blocks.get(k, set())
        return {k for k in out if k not in self._by_kb}

    def _from_kb(self, kb_id: str) -> _Canon:
        """The canonical entity for knowledge-base entry ``kb_id``, created on its first link."""
        if (cid := self._by_kb.get(kb_id)) is not None:
            return self._canon[cid]
        if (old := self._merged_seed("kb|" + kb_id)) is not None:
            return self._canon[old]
        c = _Canon.from_state(self._kb_index.templates[kb_id].state())
        c.id = self._new_id("kb|" + kb_id)
        self._register(c)
        return c

    def _cand(self, cid: str) -> _Canon:
        if cid.startswith(_KB_PREFIX):
            return self._kb_index.templates[cid[len(_KB_PREFIX) :]]
        return self._canon[cid]

    def _surname_pick(self, passing: list[_Passing], key: str) -> int | None:
        """Which passing candidate (sorted best first) a name without a given name links to,
        or None when two different people fit it about equally well.

        Evidence, strongest first: the office named in the text ("President X") fits one
        candidate only; one candidate's family name is spelled exactly as the surname and the
        others' only similarly; a person known with a given name over one known only by this
        surname (kept apart earlier, or pushed out by the full name in its own document); a
        clearly better score (context, role); one person far more prominent (documents) than
        every other that fits (and shares some context with the document)."""
        pool = list(range(len(passing)))
        if passing[0][2].get("role", 0.0) > 0:
            pool = [i for i in pool if passing[i][2].get("role", 0.0) > 0]
        exact = [i for i in pool if passing[i][2].get("family_jw", 0.0) >= EXACT_FAMILY]
        if exact:
            pool = exact
        # Weak candidates (spelled too differently) are never picked, but as namesakes they
        # still make the surname ambiguous.
        weak = {i for i in pool if self._weak(key, passing[i])}
        named = [i for i in pool if self._cand(passing[i][1]).given_keys]
        bare = [i for i in pool if i not in named and i not in weak]
        if not named:
            return bare[0] if bare else None
        strong = [i for i in named if i not in weak]
        if not strong:
            return None
        top = strong[0]
        rivals = [i for i in named if i != top
                  and passing[top][0] - passing[i][0] < AMBIGUITY_MARGIN
                  and self._different_people(passing[top][1], passing[i][1])]  # fmt: skip
        if not rivals:
            return top
        docs = {i: self._cand(passing[i][1]).docs for i in [top, *rivals]}
        ranked = sorted(docs, key=lambda i: (-docs[i], i))
        first, second = ranked[0], ranked[1]
        # Prominence decides only where the document shares some context with that person.
        prominent = docs[first] >= PROMINENCE_MIN_DOCS and passing[first][2].get("context", 0) > 0
        if first not in weak and prominent and docs[first] >= PROMINENCE_RATIO * docs[second]:
            return first
        # Ambiguous: the mention goes to an entity known only by this one word (the unresolved
        # surname, as for any person never named in full), or founds it; never into a
        # mislabelled full name, which is somebody.
        collect = [i for i in bare if passing[i][2].get("family_jw", 0.0) >= EXACT_FAMILY
                   and all(" " not in k for k in self._cand(passing[i][1]).name_keys)]  # fmt: skip
        return collect[0] if collect else None

    def _weak(self, key: str, cand: _Passing) -> bool:
        c = self._cand(cand[1])
        keys = list(c.family_keys) or [k.split(" ")[-1] for k in c.name_keys]
        f = cand[2]
        return _weak_surname(f.get("family_jw", 0.0), key, keys, f.get("role", 0.0))

    def _ambiguous(self, passing: list[_Passing]) -> bool:
        """For a name without a given name that was not recognised as a person's: does a
        runner-up person with a different given name score nearly as well as the best?"""
        top_role = passing[0][2].get("role", 0.0)
        for p, cid, feats, _ in passing[1:]:
            if passing[0][0] - p >= AMBIGUITY_MARGIN:
                return False
            if top_role > 0 and feats.get("role", 0.0) <= 0:
                continue  # the office named in the text fits the top candidate only
            if self._different_people(passing[0][1], cid):
                return True
        return False

    def _different_people(self, a_id: str, b_id: str) -> bool:
        """Two candidates that are people with conflicting given names."""
        a, b = self._cand(a_id), self._cand(b_id)
        if not (a.kind == b.kind == "person" and a.given_keys and b.given_keys):
            return False
        ga = a.given_keys.most_common(1)[0][0]
        gb = b.given_keys.most_common(1)[0][0]
        return given_compatibility((ga,), (gb,)) < 0

    def _surname_entity_for(self, passing: list[_Passing]) -> tuple[_Passing, str] | None:
        """A full name whose best match is a knowledge-base entry not yet an entity, while a
        known surname-only person (an earlier document that never gave the given name) with
        exactly this family name also fits: the full name joins that person, which adopts the
        entry — so the surname-only document ends up with the full-name person whatever the
        arrival order. Not when the surname also fits another known person (ambiguous)."""
        if not passing[0][1].startswith(_KB_PREFIX):
            return None
        kid = passing[0][1][len(_KB_PREFIX) :]
        lone = [x for x in passing[1:] if not x[1].startswith(_KB_PREFIX)
                and x[2].get("family_jw", 0.0) >= EXACT_FAMILY
                and (c := self._canon[x[1]]).type == "PERSON" and not c.given_keys
                and c.kb_id is None and c.docs > 0
                and all(" " not in k for k in c.name_keys)]  # fmt: skip
        if len(lone) != 1:
            return None
        s = self._canon[lone[0][1]]
        fams = set(s.family_keys) or set(s.name_keys)
        for other in {k for b in _canon_blocks(s) for k in self._kb_index.blocks.get(b, ())}:
            t = self._kb_index.templates[other]
            if other != kid and t.kind == "person" and t.given_keys and fams & set(t.family_keys):
                return None  # another knowledge-base person has this family name
        for cid in self._blocks_of(s):
            o = self._canon.get(cid)
            if o is None or cid == s.id or o.kind != "person" or not o.given_keys:
                continue
            if set(o.family_keys) & fams:
                return None  # another known person has this family name
        return lone[0], kid

    def _blocks_of(self, c: _Canon) -> set[str]:
        out: set[str] = set()
        for k in _canon_blocks(c):
            out |= self._blocks.get(k, set())
        return out

    def _candidates(self, le: dict[str, Any]) -> set[str]:
        out: set[str] = set()
        for k in _local_blocks(le):
            out |= self._blocks.get(k, set())
        return out

    def _update(self, c: _Canon, le: dict[str, Any], ctx: set[str], doc: Document) -> None:
        c.docs += 1
        for t, v in le.get("type_votes", {}).items():
            c.type_votes[t] += v
        for t, v in le.get("labels", {}).items():
            c.labels[t] += v
        for n in le.get("names", {}):
            c.names[n] += 1
        for n in le.get("full_names", {}):
            c.full_forms[n] += 1
        for n in le.get("family", {}):
            c.family_forms[n] += 1
        for n in le.get("given", {}):
            c.given_forms[n] += 1
        for k in le.get("given_keys", []):
            c.given_keys[k] += 1
        if le.get("family_key"):
            c.family_keys[le["family_key"]] += 1
        if le.get("name_key"):
            c.name_keys[le["name_key"]] += 1
        seen_roles = set()
        for r in le.get("roles", []):
            rk = _role_key(r["head"], r.get("country"))
            if rk not in seen_roles:
                c.roles[rk] += 1
                seen_roles.add(rk)
            c.role_texts.setdefault(rk, Counter())[r["text"]] += 1
        for x in ctx:
            c.context[x] += 1
        if doc.outlet:
            c.outlets[doc.outlet] += 1
        if c.kind == "name" and le["kind"] == "person":
            c.kind = "person"
        self._index(c)


def _resolution_order(le: dict[str, Any]) -> tuple[int, int, int, str]:
    # Knowledge-base entities first (they give context), then full personal names, then the
    # rest; within a class by mention count, then key, so the order is deterministic.
    # Surname-only people before other names: a mislabelled name around the same surname
    # (transcript residue) must not take the person first.
    if le.get("kb_id"):
        cls = 0
    elif le["kind"] == "person":
        cls = 1 if le.get("given") else 2
    else:
        cls = 3
    return (cls, -int(le.get("mentions", 0)), 0, le.get("name", ""))


def _local_blocks(le: dict[str, Any]) -> set[str]:
    keys = set(le.get("blocking") or [])
    if le["kind"] != "person" and le.get("name_key"):
        keys.add("n:" + le["name_key"])
    return keys


def _canon_blocks(c: _Canon) -> set[str]:
    keys: set[str] = set()
    initials = {g[:1] for g in c.given_keys if g}
    for fk in c.family_keys:
        keys |= blocking_keys(fk, initials)
    for nk in c.name_keys:
        keys.add("n:" + nk)
        last = nk.split(" ")[-1] if nk else ""
        keys |= blocking_keys(last)
    return keys


_KB_PREFIX = "kb:"


@dataclass
class _KBIndex:
    templates: dict[str, _Canon]  # kb id → canonical entity as the entry alone would make it
    blocks: dict[str, set[str]]  # blocking key → kb ids


_KB_INDEXES: dict[int, tuple[KnowledgeBase, _KBIndex]] = {}


def _kb_index(kb: KnowledgeBase) -> _KBIndex:
    """Templates and blocking keys of the entries that the recogniser's gazetteer does not
    link by id (people, a user's organisations); built once per knowledge base."""
    hit = _KB_INDEXES.get(id(kb))
    if hit is not None and hit[0] is kb:
        return hit[1]
    linked_by_id = gazetteer().names
    templates: dict[str, _Canon] = {}
    blocks: dict[str, set[str]] = {}
    for rec in kb:
        if rec.id in linked_by_id:
            continue
        c = _kb_template(rec)
        templates[rec.id] = c
        for k in _canon_blocks(c):
            blocks.setdefault(k, set()).add(rec.id)
    index = _KBIndex(templates, blocks)
    _KB_INDEXES[id(kb)] = (kb, index)
    return index


def _kb_template(rec: KBRecord) -> _Canon:
    c = _seed_canon(Entity(id=rec.id, name=rec.name, type=rec.type, aliases=list(rec.aliases)))
    c.kb_id, c.kb_name, c.wikidata, c.docs = rec.id, rec.name, rec.wikidata, 0
    c.kind = "person" if rec.type == "PERSON" else "name"
    for role in rec.roles:
        r = normalise_role(role.title.split())
        if r:
            rk = _role_key(r[0], role.country or r[1])
            c.roles[rk] += 1
            c.role_texts.setdefault(rk, Counter())[role.text] += 1
    return c


def _seed_canon(e: Entity) -> _Canon:
    """A canonical entity from a plain :class:`Entity` (store row or knowledge-base line)."""
    is_person = e.type == "PERSON"
    c = _Canon(id=e.id, kind="person" if is_person else "name", wikidata=e.wikidata, docs=1)
    c.type_votes[e.type] += 5
    for n in [e.name, *e.aliases]:
        c.names[n] += 1 if n == e.name else 0
        c.names.setdefault(n, 0)
        if is_person:
            pn = split_name(n)
            if pn.given:
                c.full_forms[pn.full] += 2 if n == e.name else 1
                c.given_forms[pn.given[0]] += 1
                c.given_keys.update(pn.given_keys[:1])
            c.family_forms[pn.family] += 1
            if pn.family_key:
                c.family_keys[pn.family_key] += 1
        c.name_keys[name_key(n)] += 1
    for role in e.roles:
        r = normalise_role(role.split())
        if r:
            rk = _role_key(*r)
            c.roles[rk] += 1
            c.role_texts.setdefault(rk, Counter())[role] += 1
    # A knowledge-base entry that names a known country or organisation takes its kb id, so
    # gazetteer mentions link to it.
    place = gazetteer().lookup(e.name)
    if (
        place is not None
        and place.kind in ("country", "org", "capital", "people")
        and not is_person
    ):
        c.kind, c.kb_id, c.kb_name = "kb", place.kb_id, e.name
    return c


def features(
    le: dict[str, Any], c: _Canon, ctx: set[str]
) -> tuple[dict[str, float], bool, list[str]]:
    """Feature values for linking local entity ``le`` to canonical ``c``; ``blocked`` is True
    when a hard constraint forbids the merge; ``discrepancies`` lists conflicting roles that
    were overridden by an identical full name."""
    local_person = le["kind"] == "person"
    canon_person = c.kind == "person"
    disc: list[str] = []
    lg = tuple(le.get("given_keys") or [])
    if local_person or canon_person:
        lk = le.get("family_key") or translit_key((le.get("name") or "").split(" ")[-1])
        cks = list(c.family_keys) or [k.split(" ")[-1] for k in c.name_keys]
        if canon_person and not local_person and not lg:
            # A full name the recogniser mislabelled (ORG, FAC …) still has a given name.
            pn = split_name(le.get("name") or "")
            if 1 <= len(pn.given) <= 2 and pn.family_key:
                lk, lg = pn.family_key, pn.given_keys[:1]
    else:
        lk = le.get("name_key") or ""
        cks = list(c.name_keys)
    jw = lev = ph = cons = 0.0
    lc = consonants(lk)
    for ck in cks:
        s = JaroWinkler.normalized_similarity(lk, ck)
        cons = max(cons, JaroWinkler.normalized_similarity(lc, consonants(ck)) if lc else 0.0)
        if s > jw:
            jw = s
            lev = Levenshtein.normalized_similarity(lk, ck)
            pa, pb = phonetic_keys(lk), phonetic_keys(ck)
            ph = sum(1.0 for a, b in zip(pa, pb, strict=True) if a and a == b) / 3
    canon_given = list(c.given_keys)
    if local_person and not canon_person and not canon_given:
        # The same for a canonical name that was first seen mislabelled.
        cpn = split_name(c.display_name())
        if 1 <= len(cpn.given) <= 2:
            canon_given = list(cpn.given_keys[:1])
    given = 0.0
    if lg and canon_given:
        given = max(given_compatibility(lg, (g,)) for g in canon_given)
    name_feats = {"family_jw": jw, "family_lev": lev, "phonetic": ph, "given": given,
                  "consonants": cons}  # fmt: skip
    # Hard blocks first (most candidates end here, so the rest is not computed for them).
    if given < 0:
        return name_feats, True, []  # a conflicting given name: two people
    if not (local_person or canon_person) and jw < NAME_MIN_SIM:
        return name_feats, True, []
    if local_person != canon_person and jw < 0.999:
        # A surname typed ORG/GPE in one place links to a person only exactly.
        return name_feats, True, []
    if canon_person and not local_person and _place_word(le.get("name") or "", le):
        return name_feats, True, []  # a big city's name that nothing marks as a person
    if local_person and not canon_person and _place_word(c.display_name(), None):
        return name_feats, True, []
    if (local_person or canon_person) and jw < PERSON_MIN_SIM and cons < PERSON_MIN_CONSONANTS:
        return name_feats, True, []  # family names neither alike nor of the same consonants
    # A full name against a person known only by the surname, spelled differently. (A surname
    # alone against known people is decided in ``_surname_pick``, where a weak candidate
    # still counts as a namesake that makes the surname ambiguous.)
    lone = canon_person and bool(lg) and not canon_given and _weak_surname(jw, lk, cks)
    if lone and (jw < LONE_MIN_SIM or _gendered_pair(lk, cks)):
        return name_feats, True, []
    type_f = _type_feature(le, c)
    role_f, role_conflict = _role_feature(le, c)
    context = 0.0
    if ctx and c.context:
        shared = sum(1 for x in ctx if x in c.context)
        context = shared / min(len(ctx), len(c.context), 10) if shared else 0.0
        context = min(context, 1.0)
    feats = {"family_jw": jw, "family_lev": lev, "phonetic": ph, "given": given, "type": type_f,
             "role": role_f, "context": context, "consonants": cons}  # fmt: skip
    blocked = lone and role_f <= 0
    if role_conflict:
        # The same given name, a close family name and a shared context: one person whom one
        # document gives a wrong role (kept as a discrepancy); anything less: two people.
        same_person = jw >= 0.9 and given >= 1.0
        # A knowledge-base entry not yet seen has no context; its full name (given name and
        # a nearly identical family name) is the evidence instead.
        kb_fresh = c.kb_id is not None and c.docs == 0 and jw >= 0.97
        if same_person and (context >= 0.3 or kb_fresh):
            disc = [f"{r['text']} conflicts with established roles" for r in le.get("roles", [])]
        else:
            blocked = True
    return feats, blocked, disc


def _place_word(name: str, le: dict[str, Any] | None) -> bool:
    """A one-word non-person name (no title either) that is a city of the gazetteer: the
    model's ORG/GPE label and the place agree, so it is not a person's surname."""
    if " " in name or (le is not None and le.get("roles")):
        return False
    return gazetteer().city(name) is not None


def _weak_surname(jw: float, key: str, others: list[str], role: float = 0.0) -> bool:
    """A surname alone whose spelling differs from a known person's too much to link on its
    own: JW < 0.9, < 0.95 without an agreeing office, or the other gender's form."""
    if jw >= EXACT_FAMILY:
        return False
    return jw < LONE_MIN_SIM or (jw < LONE_PLAIN_SIM and role <= 0) or _gendered_pair(key, others)


def _gendered_pair(key: str, others: list[str]) -> bool:
    """Is ``key`` the other gender's form of one of ``others`` (Slavic and Baltic family
    names: -ov/-ova, -in/-ina, -sky/-ska)? Without a given name that is another person."""
    for o in others:
        stem = key.rstrip("aiy")
        if len(stem) >= 4 and stem == o.rstrip("aiy") and key.endswith("a") != o.endswith("a"):
            return True
    return False


def score(feats: dict[str, float]) -> float:
    z = WEIGHTS["bias"] + sum(WEIGHTS[k] * v for k, v in feats.items())
    return _sigmoid(z)


def _type_feature(le: dict[str, Any], c: _Canon) -> float:
    votes = le.get("type_votes") or {}
    if not votes or not c.type_votes:
        return 0.0
    lt = max(votes.items(), key=lambda kv: (kv[1], kv[0]))
    ct = c.type
    if _coarse(lt[0]) == _coarse(ct):
        return 1.0
    # The small model's label on a lone surname is noise: weak votes are no evidence.
    if lt[1] < _PERSONISH_MIN_VOTES or c.type_votes.get(_to_key(lt[0]), 0) > 0:
        return 0.0
    return -1.0


def _to_key(t: str) -> str:
    return t


def _role_feature(le: dict[str, Any], c: _Canon) -> tuple[float, bool]:
    roles = le.get("roles") or []
    if not roles or not c.roles:
        return 0.0, False
    best = 0.0
    conflict = False
    for r in roles:
        for rk, _n in c.roles.items():
            head, _, country = rk.partition("|")
            if head != r["head"]:
                continue
            if country and r.get("country") and country != r["country"]:
                conflict = True
            else:
                best = 1.0
    if best == 1.0:
        return 1.0, False
    return (-1.0 if conflict else 0.0), conflict


def load_kb(path: str | Path) -> list[Entity]:
    """Entities (keeping the file's ids) from a user knowledge-base JSONL file (id, name, type,
    aliases, wikidata, roles); a bad line raises :class:`~newsgraph.entities.kb.KBError`.
    The pipeline instead passes the file as a :class:`KnowledgeBase` (see ``kb.py``)."""
    from newsgraph.entities.kb import read_jsonl

    return [Entity(id=r.id, name=r.name, type=r.type, aliases=list(r.aliases),
                   roles=[x.title for x in r.roles], wikidata=r.wikidata)
            for r in read_jsonl(path)]  # fmt: skip


__all__ = ["THRESHOLD", "WEIGHTS", "EntityResolver", "MergeEvidence", "features", "load_kb",
           "score", "skeleton"]  # fmt: skip
