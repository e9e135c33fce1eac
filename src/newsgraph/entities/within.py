"""Per-document entity grouping: mentions → document-local entities with name forms, type
votes, roles and context.

Pure function of one document (plus the read-only model and gazetteer), so it runs in worker
processes. ``Mention.entity`` gets a document-local key ``"local:N"``; the summaries go to
``doc.extra["local_entities"]`` as plain dicts for the cross-document resolver.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import JaroWinkler
from spacy.tokens import Doc

from newsgraph.entities.gazetteer import Place, gazetteer
from newsgraph.entities.names import (
    HONORIFICS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    blocking_keys,
    given_compatibility,
    is_title_word,
    name_key,
    phonetic_keys,
    split_name,
    translit_key,
)
from newsgraph.entities.recognize import RawMention, parse, raw_mentions
from newsgraph.model import Document, Mention


def _words(text: str) -> list[str]:
    return text.split()


LOCAL_KEY = "local_entities"
_NAME_WORD = re.compile(r"[A-ZÀ-ÞĀ-Ž][^\W\d_]+(?:-[A-ZÀ-ÞĀ-Ž][^\W\d_]+)?")

# Prepositions before a capital that make it a place ("in Moscow"), or an actor ("on Moscow").
_PLACE_PREPS = frozenset(
    _words(
        """
        in at near into to toward towards outside around across via through visit visiting
        visited visits arrived arrive reached
        """
    )
)
_ACTOR_PREPS = frozenset(
    _words(
        """
        against on with by between pressure urged
        """
    )
)
# Verbs that make a preceding capital an actor when no tagger ran ("Kiev said").
_ACTOR_VERBS = frozenset(
    _words(
        """
        said says say accused accuses blamed blames warned warns demanded demands rejected
        rejects denied denies insisted insists wants want believes believe has have had is
        was will would could can must should refused refuses announced announces claimed
        claims called calls urged urges threatened threatens responded responds agreed
        agrees sent sends imposed imposes considers considered expects expected sees saw
        hopes hoped
        """
    )
)
# Role words equivalent for conflict checks: the US foreign minister is its Secretary of State.
_ROLE_SYNONYMS = {
    "secretary of state": "foreign minister",
    "minister of foreign affairs": "foreign minister",
    "foreign affairs minister": "foreign minister",
    "foreign secretary": "foreign minister",
    "secretary general": "secretary-general",
    "minister of defence": "defence minister",
    "minister of defense": "defence minister",
    "defense minister": "defence minister",
    "defense secretary": "defence minister",
    "secretary of defense": "defence minister",
    "premier": "prime minister",
    "spokeswoman": "spokesperson",
    "spokesman": "spokesperson",
}
_ROLE_DROP = frozenset({"the", "a", "an", "his", "her", "their", "its", "and", "'s", "’s"})
_PERSON_TYPES = ("PERSON",)
_TYPE_ORDER = ("PERSON", "GPE", "ORG", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT",
               "WORK_OF_ART", "LANGUAGE")  # fmt: skip


@dataclass
class Role:
    """A role/title of a person as written, its normalised head and the state it belongs to."""

    text: str
    head: str
    country: str | None
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "head": self.head, "country": self.country,
                "start": self.start, "end": self.end}  # fmt: skip


@dataclass
class LocalEntity:
    """One entity as seen in one document."""

    key: str
    kind: str  # "person" | "kb" | "name"
    kb_id: str | None = None
    kb_name: str | None = None
    names: Counter[str] = field(default_factory=Counter)
    full_names: Counter[str] = field(default_factory=Counter)
    given: Counter[str] = field(default_factory=Counter)
    family: Counter[str] = field(default_factory=Counter)
    family_key: str = ""
    given_keys: list[str] = field(default_factory=list)
    type_votes: Counter[str] = field(default_factory=Counter)
    # One per mention: the model's label, or PERSON where a given name or a title says so.
    # Unweighted, unlike type_votes, which a person-kind match inflates.
    labels: Counter[str] = field(default_factory=Counter)
    roles: list[Role] = field(default_factory=list)
    first: int = 0
    mentions: int = 0
    last_pos: int = 0

    @property
    def type(self) -> str:
        if not self.type_votes:
            return "MISC"
        return max(
            self.type_votes.items(),
            key=lambda kv: (kv[1], -_TYPE_ORDER.index(kv[0]) if kv[0] in _TYPE_ORDER else -99),
        )[0]

    def as_dict(self, context: list[str]) -> dict[str, Any]:
        name = self.kb_name or _best_form(self.full_names) or _best_form(self.names) or ""
        return {
            "key": self.key,
            "kind": self.kind,
            "kb_id": self.kb_id,
            "name": name,
            "type": self.type,
            "type_votes": dict(sorted(self.type_votes.items())),
            "labels": dict(sorted(self.labels.items())),
            "names": dict(sorted(self.names.items())),
            "full_names": dict(sorted(self.full_names.items())),
            "given": dict(sorted(self.given.items())),
            "family": dict(sorted(self.family.items())),
            "family_key": self.family_key,
            "given_keys": sorted(set(self.given_keys)),
            "name_key": name_key(name),
            "roles": [r.as_dict() for r in self.roles],
            "mentions": self.mentions,
            "context": context,
        }


def _best_form(c: Counter[str]) -> str | None:
    if not c:
        return None
    return sorted(c.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


def normalise_role(tokens: list[str]) -> tuple[str, str | None] | None:
    """(head, country) of a role phrase, or None if it has no role head word."""
    g = gazetteer()
    country = None
    words: list[str] = []
    for t in tokens:
        low = t.lower()
        if low in _ROLE_DROP:
            continue
        place = g.lookup(t) if t[:1].isupper() else None
        if place is not None and place.country and low not in ROLE_HEADS:
            country = country or place.country
            continue
        if place is not None and place.kind == "org":
            continue
        words.append(low.replace("-", " ") if low != "secretary-general" else low)
    if not any(w in ROLE_HEADS or w.split(" ")[0] in ROLE_HEADS for w in words):
        return None
    head = " ".join(words).replace("secretary general", "secretary-general")
    # Keep the last head word and its modifiers; drop leading fluff ("senior", "former" stay).
    head = _ROLE_SYNONYMS.get(head, head)
    for k, v in _ROLE_SYNONYMS.items():
        if head.endswith(k):
            head = head[: -len(k)] + v
    return head.strip(), country


def _role_before(sdoc: Doc, tok_start: int, ent_tokens: set[int]) -> tuple[int, int] | None:
    """Token range of a role premodifier ending right before ``tok_start``
    ("US Secretary of State [Maria Ortega]", "The US Secretary of State, [Maria Ortega]")."""
    i = tok_start - 1
    if i >= 0 and sdoc[i].text == "," and i - 1 >= 0:
        i -= 1
    end = i + 1
    g = gazetteer()
    while i >= 0:
        t = sdoc[i]
        low = t.lower_
        if t.is_punct and t.text not in {"-", "’s", "'s"}:
            break
        if low in ROLE_HEADS or low in ROLE_MODIFIERS or low in HONORIFICS:
            i -= 1
            continue
        if low in {"'s", "’s"} or i in ent_tokens or (t.text[:1].isupper() and g.lookup(t.text)):
            i -= 1
            continue
        break
    start = i + 1
    # Trim to begin at a qualifier or a role word, never at "of"/"the".
    while start < end and sdoc[start].lower_ in {"of", "the", "and", "for", "to", "-"}:
        start += 1
    if start >= end:
        return None
    if not any(sdoc[k].lower_ in ROLE_HEADS for k in range(start, end)):
        return None
    return start, end


def _role_after(sdoc: Doc, tok_end: int) -> tuple[int, int] | None:
    """ "[Ivan Petrov], Russia's foreign minister," → the apposition's token range."""
    if tok_end >= len(sdoc) or sdoc[tok_end].text != ",":
        return None
    start = tok_end + 1
    k = start
    while (
        k < len(sdoc)
        and k - start < 7
        and not (sdoc[k].is_punct and sdoc[k].text not in {"-", "’s", "'s"})
    ):
        k += 1
    if k >= len(sdoc) or sdoc[k].text not in {",", ".", ";", ")"}:
        return None
    if k == start or not any(sdoc[j].lower_ in ROLE_HEADS for j in range(start, k)):
        return None
    if any(sdoc[j].pos_ == "VERB" for j in range(start, k)):
        return None
    return start, k


def _capital_is_actor(sdoc: Doc, m: RawMention, actor_like: set[int]) -> bool:
    """Is this capital used for its state ("Washington said", "Moscow's demands")?"""
    text = sdoc.text
    after = text[m.end : m.end + 3]
    if after.startswith(("'s", "’s")):
        return True
    prev = sdoc[m.tok_start - 1].lower_ if m.tok_start > 0 else ""
    nxt = sdoc[m.tok_end] if m.tok_end < len(sdoc) else None
    if prev in _PLACE_PREPS:
        return False
    if nxt is not None:
        tagged = sdoc.has_annotation("TAG")
        if tagged and nxt.tag_.startswith(("VBD", "VBZ", "VBP", "MD")):
            return True
        if not tagged and nxt.lower_ in _ACTOR_VERBS:
            return True
    if prev in _ACTOR_PREPS:
        return True
    # Coordinated with a state or organisation: "Washington and NATO", "Moscow and Kiev".
    if prev in {"and", "or"} and m.tok_start - 2 in actor_like:
        return True
    return bool(nxt is not None and nxt.lower_ in {"and", "or"} and m.tok_end + 1 in actor_like)


def _starts_sentence(tok: Any) -> bool:
    """Without a parser: first token, or after end punctuation or a line break."""
    if tok.i == 0:
        return True
    prev = tok.doc[tok.i - 1]
    return prev.text in {".", "!", "?", "…", ":", '"', "“", "”"} or "\n" in prev.text_with_ws


def annotate_entities(doc: Document, sdoc: Doc | None = None) -> Document:
    """Fill ``doc.mentions`` (entity = ``"local:N"``) and ``doc.extra["local_entities"]``.

    ``sdoc`` is a spaCy doc of exactly ``doc.text`` if an earlier stage already parsed it;
    otherwise the NER-only pipeline runs here.
    """
    if sdoc is None:
        sdoc = next(parse([doc.text]))
    if sdoc.text != doc.text:
        raise ValueError("spaCy doc does not match the document text")
    return _Annotator(doc, sdoc).run()


def annotate_many(docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
    """:func:`annotate_entities` over many documents with one batched ``nlp.pipe`` pass."""
    it = iter(docs)
    while True:
        batch = [d for _, d in zip(range(batch_size), it, strict=False)]
        if not batch:
            return
        for d, sd in zip(batch, parse([d.text for d in batch], batch_size=batch_size), strict=True):
            yield annotate_entities(d, sd)


class _Annotator:
    def __init__(self, doc: Document, sdoc: Doc) -> None:
        self.doc = doc
        self.sdoc = sdoc
        self.g = gazetteer()
        self.entities: list[LocalEntity] = []
        self.by_kb: dict[str, LocalEntity] = {}
        self.by_name: dict[str, LocalEntity] = {}
        self.assigned: list[tuple[RawMention, LocalEntity, int, int]] = []

    def _new(self, kind: str, pos: int, **kw: Any) -> LocalEntity:
        e = LocalEntity(key=f"local:{len(self.entities)}", kind=kind, first=pos, **kw)
        self.entities.append(e)
        return e

    def _kb_entity(self, kb_id: str, pos: int) -> LocalEntity:
        e = self.by_kb.get(kb_id)
        if e is None:
            e = self._new("kb", pos, kb_id=kb_id, kb_name=self.g.names.get(kb_id, kb_id))
            self.by_kb[kb_id] = e
        return e

    def _add(
        self,
        m: RawMention,
        e: LocalEntity,
        start: int,
        end: int,
        vote: str,
        weight: float = 1.0,
        surface: str | None = None,
    ) -> None:
        e.mentions += 1
        e.type_votes[vote] += weight
        e.labels[vote] += 1
        e.names[surface or self.doc.text[start:end]] += 1
        e.last_pos = start
        self.assigned.append((m, e, start, end))

    def run(self) -> Document:
        sdoc, text = self.sdoc, self.doc.text
        mentions = raw_mentions(sdoc)
        # Drop spans that are only title words ("State" out of "Secretary of State").
        mentions = [m for m in mentions if not all(is_title_word(t) for t in m.text.split())]
        # Tokens of non-person names may qualify a role ("US", "Kremlin", "CIA").
        ent_tokens = {
            i for m in mentions if m.label != "PERSON" for i in range(m.tok_start, m.tok_end)
        }
        places: dict[int, Place | None] = {}
        actor_like: set[int] = set()
        for idx, m in enumerate(mentions):
            p = self.g.lookup(m.text)
            places[idx] = p
            if p is not None and p.kind in ("country", "org", "metonym", "demonym"):
                actor_like.update(range(m.tok_start, m.tok_end))

        # A person-labelled country or capital ("Jordan") is a person only if the document has
        # a person of that family name; the small model often calls places PERSON.
        person_families = {
            split_name(m.text).family_key
            for m, p in zip(mentions, places.values(), strict=True)
            if p is None and m.label == "PERSON" and split_name(m.text).given
        }
        pending: list[tuple[int, RawMention]] = []
        for idx, m in enumerate(mentions):
            p = places[idx]
            if (
                p is not None
                and p.kind in ("country", "capital")
                and m.label == "PERSON"
                and split_name(m.text).family_key in person_families
            ):
                p = None
            if p is None and m.label == "PERSON":
                p = self._city_not_person(m, person_families)
            if p is None:
                pending.append((idx, m))
                continue
            if p.kind == "capital" and _capital_is_actor(sdoc, m, actor_like):
                e = self._kb_entity(f"country:{p.country}", m.start)
                self._add(m, e, m.start, m.end, "GPE", 5)
            elif p.kind in ("demonym", "metonym"):
                e = self._kb_entity(p.kb_id, m.start)
                self._add(m, e, m.start, m.end, "GPE", 5)
            else:
                e = self._kb_entity(p.kb_id, m.start)
                self._add(m, e, m.start, m.end, p.type, 5)

        # Names: split off titles, gather roles.
        parsed = []
        for _idx, m in pending:
            pn = split_name(m.text)
            if not pn.family:
                continue
            # Mention offsets narrowed to the name itself (titles are roles, not names).
            name_start = m.start
            if pn.title:
                name_start = text.find(
                    pn.full.split(" ")[0] if pn.given else pn.family, m.start, m.end
                )
                name_start = name_start if name_start >= 0 else m.start
            name_end = m.end
            if pn.given or pn.title:
                fam_at = text.rfind(pn.family, name_start, m.end)
                if fam_at >= 0:
                    name_end = fam_at + len(pn.family)
            roles: list[Role] = []
            if pn.title:
                r = normalise_role(list(pn.title))
                if r:
                    roles.append(Role(" ".join(pn.title), r[0], r[1], m.start, name_start))
            rng = _role_before(sdoc, m.tok_start, ent_tokens)
            if rng is not None:
                span = sdoc[rng[0] : rng[1]]
                toks = [t.text for t in span if t.text != ","]
                r = normalise_role(toks)
                if r:
                    roles.append(
                        Role(span.text.rstrip(" ,"), r[0], r[1], span.start_char, span.end_char)
                    )
            rng = _role_after(sdoc, m.tok_end)
            if rng is not None:
                span = sdoc[rng[0] : rng[1]]
                r = normalise_role([t.text for t in span])
                if r:
                    roles.append(Role(span.text, r[0], r[1], span.start_char, span.end_char))
            honorific = any(
                t.lower().rstrip(".") in HONORIFICS or t.lower() in HONORIFICS for t in pn.title
            )
            prev_tok = sdoc[m.tok_start - 1].lower_ if m.tok_start > 0 else ""
            titled = bool(roles) or honorific or prev_tok.rstrip(".") in HONORIFICS
            parsed.append((m, pn, roles, titled, name_start, name_end))

        persons: list[LocalEntity] = []
        rest = []
        # Pass 1: full personal names (given + family) open person entities.
        for m, pn, roles, titled, s, e_ in parsed:
            if pn.given and (m.label == "PERSON" or titled) and len(pn.given) <= 3:
                ent = self._match_person(persons, pn, s)
                if ent is None:
                    ent = self._new("person", s, family_key=pn.family_key)
                    persons.append(ent)
                self._add_person(m, ent, pn, roles, titled, s, e_)
            else:
                rest.append((m, pn, roles, titled, s, e_))
        rest2 = []
        # Pass 2: surnames alone (any label: the small model calls them ORG or GPE too) and
        # mislabelled full names join a person with that family name.
        for m, pn, roles, titled, s, e_ in rest:
            ent = self._match_person(persons, pn, s, loose_type=True)
            if ent is not None and (len(pn.given) <= 2):
                self._add_person(m, ent, pn, roles, titled, s, e_)
            else:
                rest2.append((m, pn, roles, titled, s, e_))
        # Pass 3: remaining person-labelled or titled names: surname-only people.
        rest3 = []
        for m, pn, roles, titled, s, e_ in rest2:
            if (m.label == "PERSON" or titled) and len(pn.given) <= 3:
                ent = self._match_person(persons, pn, s)
                if ent is None:
                    ent = self._new("person", s, family_key=pn.family_key)
                    persons.append(ent)
                self._add_person(m, ent, pn, roles, titled, s, e_)
            else:
                rest3.append(m)
        # Pass 3b: single tokens that match a surname-only person opened in pass 3.
        rest4 = []
        for m in rest3:
            pn = split_name(m.text)
            ent = (
                self._match_person(persons, pn, m.start, loose_type=True) if not pn.given else None
            )
            if ent is not None:
                self._add_person(m, ent, pn, [], False, m.start, m.end)
            else:
                rest4.append(m)
        self._propagate(persons, mentions)
        # Pass 4: other names, grouped by spelling key whatever their (unstable) label.
        for m in rest4:
            k = name_key(m.text)
            ent = self.by_name.get(k)
            if ent is None:
                ent = self._new("name", m.start)
                self.by_name[k] = ent
            self._add(m, ent, m.start, m.end, m.label)
        self._persons_from_short_forms()
        self._link_acronyms()
        return self._finish()

    def _city_not_person(self, m: RawMention, person_families: set[str]) -> Place | None:
        """A lone PERSON-labelled word that names a big city, with no person of that family
        name in the document, no title before it and no speech verb after it, is the city
        (the small model calls unfamiliar place names PERSON)."""
        if " " in m.text or m.tok_end - m.tok_start != 1:
            return None
        city = self.g.city(m.text)
        if city is None or split_name(m.text).family_key in person_families:
            return None
        prev = self.sdoc[m.tok_start - 1].text if m.tok_start > 0 else ""
        nxt = self.sdoc[m.tok_end].lower_ if m.tok_end < len(self.sdoc) else ""
        if is_title_word(prev) or nxt in _ACTOR_VERBS:
            return None
        self.g.names.setdefault(city.kb_id, city.name)
        return city

    def _propagate(self, persons: list[LocalEntity], mentions: list[RawMention]) -> None:
        """Further occurrences of a person's family name that the recogniser missed ("Ivanov
        declined to comment"): the same string, as a whole word, outside every recognised
        span and not part of a longer capitalised name ("Fox News")."""
        text, sdoc = self.doc.text, self.sdoc
        taken = [(m.start, m.end) for m in mentions]
        taken += [(s, e) for _, _, s, e in self.assigned]
        forms: dict[str, LocalEntity] = {}
        for p in persons:
            for fam in p.family:
                if len(fam) >= 4 and fam[:1].isupper() and not is_title_word(fam):
                    # A family name two people share in this document is ambiguous.
                    forms[fam] = p if forms.get(fam, p) is p else None  # type: ignore[assignment]
        for fam, p in sorted(forms.items()):
            if p is None:
                continue
            for mt in re.finditer(rf"(?<![\w-]){re.escape(fam)}(?![\w-])", text):
                s, e = mt.start(), mt.end()
                if any(s < b and a < e for a, b in taken):
                    continue
                span = sdoc.char_span(s, e)
                if span is None:
                    continue
                prev = sdoc[span.start - 1] if span.start > 0 else None
                nxt = sdoc[span.end] if span.end < len(sdoc) else None
                if (
                    prev is not None
                    and prev.is_alpha
                    and prev.text[:1].isupper()
                    and not is_title_word(prev.text)
                    and not _starts_sentence(prev)
                ):
                    continue
                if nxt is not None and nxt.is_alpha and nxt.text[:1].isupper():
                    continue
                rm = RawMention(s, e, fam, "PERSON", span.start, span.end)
                pn = split_name(fam)
                self._add_person(rm, p, pn, [], False, s, e)
                taken.append((s, e))

    def _match_person(
        self, persons: list[LocalEntity], pn: Any, pos: int, loose_type: bool = False
    ) -> LocalEntity | None:
        fk = pn.family_key
        if not fk:
            return None
        best, best_key = None, None
        for p in persons:
            sim = 1.0 if p.family_key == fk else JaroWinkler.normalized_similarity(p.family_key, fk)
            if sim < (0.93 if len(fk) >= 5 else 1.0):
                continue
            gk = pn.given_keys
            if gk and p.given_keys and given_compatibility(gk, tuple(p.given_keys)) < 0.5:
                continue
            # Prefer exact family, then the person mentioned most recently before this one.
            key = (sim, p.last_pos if p.last_pos <= pos else -1)
            if best_key is None or key > best_key:
                best, best_key = p, key
        return best

    def _add_person(
        self,
        m: RawMention,
        ent: LocalEntity,
        pn: Any,
        roles: list[Role],
        titled: bool,
        s: int,
        e: int,
    ) -> None:
        vote = m.label
        weight = 1.0
        if titled or pn.given:
            vote, weight = "PERSON", 2.0
        elif m.label != "PERSON":
            weight = 0.5
        self._add(m, ent, s, e, vote, weight, surface=pn.full)
        ent.type_votes["PERSON"] += 1.0  # it joined a person: that is evidence in itself
        if pn.given:
            ent.full_names[pn.full] += 1
            for gname in pn.given[:1]:
                ent.given[gname] += 1
            ent.given_keys.extend(k for k in pn.given_keys[:1] if k not in ent.given_keys)
        ent.family[pn.family] += 1
        seen = {(r.start, r.end) for r in ent.roles}
        ent.roles.extend(r for r in roles if (r.start, r.end) not in seen)

    def _persons_from_short_forms(self) -> None:
        """ "Ivan Petrenko" and "Petrenko" both mislabelled (ORG, GPE …): a name of two or three
        capitalised words whose last word also stands alone in the document is a person
        referred to by surname; the lone word joins it."""
        named = [e for e in self.entities if e.kind == "name" and e.mentions]
        singles: dict[str, list[LocalEntity]] = {}
        for e in named:
            form = _best_form(e.names) or ""
            if " " not in form and len(form) >= 3 and form[:1].isupper():
                singles.setdefault(translit_key(form), []).append(e)
        for long in named:
            form = _best_form(long.names) or ""
            toks = form.split()
            if not (2 <= len(toks) <= 3 and all(_NAME_WORD.fullmatch(t) for t in toks)):
                continue
            if self.g.lookup(form) is not None or any(is_title_word(t) for t in toks):
                continue
            shorts = [e for e in singles.get(translit_key(toks[-1]), []) if e.mentions]
            if not shorts:
                continue
            pn = split_name(form)
            long.kind = "person"
            long.family_key = pn.family_key
            long.full_names[pn.full] += 1
            long.given[pn.given[0]] += 1
            long.given_keys.extend(k for k in pn.given_keys[:1] if k not in long.given_keys)
            long.family[pn.family] += 1
            long.type_votes["PERSON"] += 2.0
            for short in shorts:
                long.names.update(short.names)
                long.family.update(short.names)
                long.type_votes.update(short.type_votes)
                long.labels.update(short.labels)
                long.mentions += short.mentions
                short.mentions = 0
                self.assigned = [
                    (m, long if e is short else e, a, b) for m, e, a, b in self.assigned
                ]

    def _link_acronyms(self) -> None:
        """Merge "OSCE" into "Organization for Security and Co-operation in Europe"."""
        named = [e for e in self.entities if e.kind == "name" and e.mentions]
        for acr in named:
            form = _best_form(acr.names) or ""
            bare = form.replace(".", "")
            if not (bare.isupper() and 2 <= len(bare) <= 6):
                continue
            for other in named:
                if other is acr or not other.mentions:
                    continue
                long = _best_form(other.names) or ""
                initials = "".join(w[0] for w in long.split() if w[:1].isupper())
                if initials == bare:
                    other.names.update(acr.names)
                    other.type_votes.update(acr.type_votes)
                    other.labels.update(acr.labels)
                    other.mentions += acr.mentions
                    acr.mentions = 0
                    self.assigned = [
                        (m, other if e is acr else e, s, t) for m, e, s, t in self.assigned
                    ]
                    break

    def _finish(self) -> Document:
        live = [e for e in self.entities if e.mentions]
        live.sort(key=lambda e: e.first)
        renum = {e.key: f"local:{i}" for i, e in enumerate(live)}
        for e in live:
            e.key = renum[e.key]
            if e.kind == "person":
                fam = _best_form(e.family) or ""
                e.family_key = "".join(translit_key(t) for t in fam.split())
        mentions = sorted(
            (
                Mention(start=s, end=t, text=self.doc.text[s:t], label=m.label, entity=e.key)
                for m, e, s, t in self.assigned
            ),
            key=lambda x: (x.start, x.end),
        )
        keys = [e.key for e in live]
        summaries = [e.as_dict([k for k in keys if k != e.key]) for e in live]
        for sd in summaries:
            fk = sd["family_key"] or "".join(translit_key(t) for t in sd["name"].split()[-1:])
            sd["blocking"] = sorted(blocking_keys(fk, sd.get("given_keys") or ()))
            sd["phonetic"] = list(phonetic_keys(fk))
        extra = dict(self.doc.extra)
        extra[LOCAL_KEY] = summaries
        return self.doc.model_copy(update={"mentions": mentions, "extra": extra})
