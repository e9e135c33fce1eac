"""Speaker attribution: from the head of the attribution clause's subject to an entity.

- a name (the head is inside an entity mention) → that mention's entity;
- a pronoun → the nearest preceding compatible antecedent, most salient first: speakers of
  earlier quotes, then main-clause subjects, then any mention (never one inside a quote);
- a description ("the foreign minister") → the nearest preceding person whose roles
  (from ``doc.extra["local_entities"]`` or the titles written next to the name) contain it;
- an anonymous source ("a senior official", "three sources", "the official") → kept as
  ``speaker_text`` only: guessing a named person for it would put words in their mouth.

Without entity mentions (entities stage not run) spaCy's own entities stand in to find the
name text, and ``speaker`` stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from newsgraph.model import Document

from .base import Candidate, TokIndex
from .lexicon import Lexicon

_DROP = {"the", "a", "an", "his", "her", "its", "their", "our", "'s", "’s", "of", "and", "-"}
_ROOT_SUBJ = {"nsubj", "nsubjpass"}
_QUANTIFIERS = {"each", "both", "all", "either", "neither", "none", "everyone", "nobody"}


@dataclass
class _Ante:
    """An antecedent candidate: one mention, with what we know about its entity."""

    start: int
    end: int
    text: str
    label: str
    entity: str | None
    key: str  # entity id, or the last word of the name when there are no ids
    salience: int = 0  # 2 = speaker of an earlier quote, 1 = main-clause subject
    roles: set[str] = field(default_factory=set)
    gender: str | None = None


def _words(s: str) -> set[str]:
    return {
        w
        for w in re.split(r"[\s\-‐–—/]+", s.lower().replace("’s", "").replace("'s", ""))
        if w and w not in _DROP
    }


def np_tokens(head: Token) -> list[Token]:
    """The noun phrase of a speaker head: its left part, without relative clauses etc."""
    toks = [t for t in head.subtree if t.i <= head.i]
    for ch in head.rights:  # "the secretary of state"
        if ch.dep_ == "prep" and ch.lower_ == "of":
            toks += list(ch.subtree)
    # cut everything up to the last comma/dash before the head ("X, Y"), and punctuation
    cut = max(
        (t.i for t in toks if t.is_punct and t.text not in "’'-" and t.i < head.i), default=-1
    )
    toks = [t for t in toks if t.i > cut and not (t.is_punct and t.text not in "-")]
    while toks and toks[0].dep_ in ("cc", "prep", "advmod", "punct"):
        toks = toks[1:]
    return toks or [head]


class SpeakerResolver:
    def __init__(self, doc: Document, sdoc: SpacyDoc, ti: TokIndex, lex: Lexicon) -> None:
        self.doc = doc
        self.sdoc = sdoc
        self.ti = ti
        self.lex = lex
        self.has_ids = bool(doc.mentions)
        self.antes = self._antecedents()

    # ---- antecedents -------------------------------------------------------------------

    def _antecedents(self) -> list[_Ante]:
        out: list[_Ante] = []
        local = self._local_entities()
        if self.doc.mentions:
            for m in self.doc.mentions:
                key = m.entity or m.text.split()[-1].lower()
                # the entity's type over all its mentions beats one mention's label
                label = str(local.get(m.entity or "", {}).get("type") or m.label)
                if label not in self.lex.speaker_types:
                    continue
                out.append(_Ante(m.start, m.end, m.text, label, m.entity, key))
        else:
            # spaCy's small model labels one name differently across a text (PERSON,
            # GPE, ORG): vote per surname, a full two-word PERSON name counting most.
            votes: dict[str, dict[str, int]] = {}
            ents = []
            for ent in self.sdoc.ents:
                if ent.label_ not in self.lex.speaker_types:
                    continue
                s, e = ent.start_char, ent.end_char
                if ent[0].lower_ == "the":
                    s = ent[1].idx if len(ent) > 1 else s
                text = self.doc.text[s:e]
                if not text:
                    continue
                key = text.split()[-1].lower()
                weight = 3 if ent.label_ == "PERSON" and len(text.split()) > 1 else 1
                v = votes.setdefault(key, {})
                v[ent.label_] = v.get(ent.label_, 0) + weight
                ents.append((s, e, text, key))
            for s, e, text, key in ents:
                # a name ever tagged as a person is a person (a city is rarely tagged one)
                label = (
                    "PERSON"
                    if votes[key].get("PERSON", 0) >= 1
                    and key[:1].isalpha()
                    and len(votes[key]) > 1
                    and votes[key]["PERSON"] * 2 >= sum(votes[key].values()) - votes[key]["PERSON"]
                    else max(votes[key].items(), key=lambda kv: kv[1])[0]
                )
                out.append(_Ante(s, e, text, label, None, key))
        out.sort(key=lambda a: a.start)
        by_key: dict[str, set[str]] = {}
        for a in out:
            toks = self.ti.tokens(a.start, a.end)
            if not toks:
                continue
            subject, words = self._context(toks)
            if subject:
                a.salience = 1
            role = _words(" ".join(t.text for t in words))
            for t in words:
                g = self.lex.honorifics.get(t.lower_)
                if g:
                    a.gender = g
            by_key.setdefault(a.key, set()).update(role)
            info = local.get(a.entity or "")
            if info:
                for r in info.get("roles") or []:
                    rt = r.get("text", "") if isinstance(r, dict) else str(r)
                    rh = r.get("head", "") if isinstance(r, dict) else ""
                    by_key[a.key].update(_words(f"{rt} {rh}"))
                a.gender = a.gender or info.get("gender")
        for a in out:
            a.roles = by_key.get(a.key, set())
        return out

    def _context(self, toks: list[Token]) -> tuple[bool, list[Token]]:
        """Is the mention ``toks`` a main-clause subject, and the title words next to it."""
        root = toks[-1]
        while root.dep_ in ("compound", "flat") and root.head is not root:
            root = root.head
        # titles written next to the name: the rest of its noun phrase, and appositions
        words = [t for t in root.subtree if t.i < toks[0].i]
        words += [t for ch in root.children if ch.dep_ == "appos" for t in ch.subtree]
        words += [t for t in toks[0].lefts if t.i < toks[0].i]
        return root.dep_ in _ROOT_SUBJ, words

    def _speaker_np(self, c: Candidate) -> tuple[Token, list[Token]]:
        """The head of the candidate's speaker and the words of its noun phrase."""
        assert c.speaker_i is not None
        head = self._redirect(self.sdoc[c.speaker_i])
        return head, np_tokens(head)

    def _plural(self, head: Token) -> bool:
        return head.tag_ == "NNS"

    def _local_entities(self) -> dict[str, dict[str, Any]]:
        raw = self.doc.extra.get("local_entities") or []
        items = raw.values() if isinstance(raw, dict) else raw
        out: dict[str, dict[str, Any]] = {}
        for e in items:
            if isinstance(e, dict):
                key = e.get("key") or e.get("id") or e.get("entity")
                if key:
                    out[str(key)] = e
        return out

    # ---- resolution --------------------------------------------------------------------

    def resolve(self, cands: list[Candidate]) -> None:
        # the speech itself, not the attribution clause inside a joined split quote
        quote_spans = [seg for c in cands if c.kind == "direct" for seg in c.segments]
        for c in sorted(cands, key=lambda c: c.start):
            if c.speaker_i is None:
                continue
            head, toks = self._speaker_np(c)
            s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
            if c.speaker_span is None or c.origin not in ("colon", "turn"):
                c.speaker_span = (s, e)
            else:
                s, e = c.speaker_span
            np_text = self.doc.text[s:e]
            # "the Head of State": a title-cased office description, not a name inside it
            if self._office(np_text):
                ante = self._description(toks, head, s, quote_spans)
                if ante is not None:
                    c.speaker, c.speaker_text = ante.entity, ante.text
                    continue
            ante = self._named(head, s, e)
            if ante is not None:
                c.speaker, c.speaker_text = ante.entity, ante.text
                ante.salience = 2
                continue
            low = head.lower_
            if low in _QUANTIFIERS:  # "each suggested …": no one in particular
                c.speaker, c.speaker_text = None, None
                continue
            if head.pos_ == "PRON" or low in self.lex.pronouns:
                ante = self._pronoun(low, c.start if c.kind == "direct" else s, quote_spans)
                if ante is not None:
                    c.speaker, c.speaker_text = ante.entity, ante.text
                else:
                    c.speaker, c.speaker_text = None, np_text
                continue
            if self._anonymous(toks, head):
                c.speaker, c.speaker_text = None, np_text
                continue
            ante = self._description(toks, head, s, quote_spans)
            if ante is not None:
                c.speaker, c.speaker_text = ante.entity, ante.text
            else:
                c.speaker, c.speaker_text = None, np_text

    def _office(self, text: str) -> bool:
        words = _words(text)
        return any(_words(d) <= words for d in self.lex.office_descriptions)

    def _redirect(self, head: Token) -> Token:
        """ "X's statement said" / "a statement by X said" → X; "the minister, X," → X."""
        for ch in head.children:
            if ch.dep_ == "appos" and ch.i > head.i and self._named(ch, ch.idx, ch.idx) is not None:
                return ch
        if head.lemma_.lower() not in self.lex.statement_nouns:
            return head
        for ch in head.children:
            if ch.dep_ == "poss" and ch.pos_ != "PRON":
                return ch
        for ch in head.children:
            if ch.dep_ == "prep" and ch.lower_ in ("by", "from", "of"):
                for g in ch.children:
                    if g.dep_ == "pobj":
                        return g
        for ch in head.children:
            if ch.dep_ == "compound" and ch.ent_type_ in self.lex.speaker_types:
                return ch
        return head

    def _named(self, head: Token, s: int, e: int) -> _Ante | None:
        hs, he = head.idx, head.idx + len(head)
        for a in self.antes:
            if a.start < he and hs < a.end:
                return a
        if head.pos_ == "PROPN":  # a name the recogniser missed: keep its text
            return None
        return None

    def _compatible(self, a: _Ante, info: dict[str, Any]) -> bool:
        if a.label not in info["types"]:
            return False
        g = info.get("gender")
        return not (g and a.gender and a.gender != g)

    def _pronoun(self, low: str, before: int, quotes: list[tuple[int, int]]) -> _Ante | None:
        info = self.lex.pronouns.get(low)
        if not info or not info["types"]:
            return None
        pool = [
            a
            for a in self.antes
            if a.end <= before
            and not any(qs <= a.start < qe for qs, qe in quotes)
            and self._compatible(a, info)
        ]
        if not pool:
            return None
        last = pool[-1]
        # within the last stretch of text, prefer a salient antecedent over a passing mention
        window = [a for a in pool if before - a.end < 600]
        best = max(window or [last], key=lambda a: (a.salience, a.start))
        if low == "they" and best.label == "PERSON":
            return None  # "they" for one person is rare; a group of people is not an entity
        return best

    def _anonymous(self, toks: list[Token], head: Token) -> bool:
        lemma = head.lower_
        if (
            lemma not in self.lex.anonymous_heads
            and head.lemma_.lower() not in self.lex.anonymous_heads
        ):
            return False
        mods = {t.lower_ for t in toks if t.i < head.i}
        if mods & self.lex.anonymous_modifiers or self._plural(head):
            return True
        # "the official": a definite bare anonymous head still refers to the unnamed source
        content = [t for t in toks if t.i < head.i and t.lower_ not in _DROP]
        return not content

    def _description(
        self, toks: list[Token], head: Token, s: int, quotes: list[tuple[int, int]]
    ) -> _Ante | None:
        words = _words(" ".join(t.text for t in toks))
        hw = _words(head.text)
        if not words or not hw:
            return None
        generic = bool(hw & self.lex.generic_leader_nouns)
        need = words - hw if generic else words
        # "the head of state": an office named by its function, held by a president or king
        offices: list[set[str]] = []
        for desc, titles in self.lex.office_descriptions.items():
            if _words(desc) <= words:
                need = words - _words(desc)
                offices = [_words(t) for t in titles]
        for a in reversed(self.antes):
            if a.end > s or any(qs <= a.start < qe for qs, qe in quotes):
                continue
            if a.label != "PERSON" or not a.roles:
                continue
            if offices:
                if need <= a.roles and any(t <= a.roles for t in offices):
                    return a
            elif generic:
                if need and need <= a.roles:
                    return a
            elif hw <= a.roles and len(words & a.roles) >= max(1, (len(words) + 1) // 2):
                return a
        return None
