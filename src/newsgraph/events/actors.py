"""Which entity a token stands for: mentions under the token, pronouns, role nouns.

``Actor`` keeps the mention (entity key, label, text) and the state the actor acts for (an
ISO country code): a person's role country ("US Secretary of State") or a country itself.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsgraph.model import Document, Mention

_PERSON_PRONOUNS = frozenset(["he", "him", "his", "she", "her", "hers", "himself", "herself"])
_THING_PRONOUNS = frozenset(
    ["it", "its", "itself", "they", "them", "their", "theirs", "themselves"]
)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_RELATIVES = frozenset({"who", "whom", "which", "that"})
# Children whose subtrees describe the token itself ("US Secretary of State [name]").
_DESCEND = frozenset({"compound", "amod", "nmod", "poss", "appos", "flat", "det", "npadvmod",
                      "nummod", "case", "punct", "cc", "conj", "prep", "pobj"})  # fmt: skip
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass(frozen=True)
class Actor:
    entity: str | None  # the mention's entity key ("local:N") or None without entities
    text: str
    label: str
    start: int
    end: int
    country: str | None = None  # ISO alpha-2 of the state the actor acts for

    @property
    def key(self) -> str:
        return self.entity or self.text


class ActorIndex:
    """Token → mention lookups for one document and its parse."""

    def __init__(
        self,
        doc: Document,
        sdoc: Doc,
        sectors: frozenset[str] = frozenset(),
        titles: frozenset[str] = frozenset(),
    ) -> None:
        self.sdoc = sdoc
        self.sectors = sectors  # nouns that stand for an unnamed actor ("protesters")
        self.mentions = list(doc.mentions)
        self.by_token: dict[int, Mention] = {}
        for m in self.mentions:
            span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.by_token.setdefault(t.i, m)
        # People the recogniser missed after a title ("Prime Minister of India <Name>"):
        # actors of this stage only, without an entity (they are not doc.mentions).
        self.titled_country: dict[int, str | None] = {}
        for span, country in _titled_names(sdoc, self.by_token, titles) if titles else []:
            m = Mention(start=span.start_char, end=span.end_char, text=span.text, label="PERSON")
            self.mentions.append(m)
            self.titled_country[m.start] = country
            for t in span:
                self.by_token[t.i] = m
        self.mentions.sort(key=lambda m: m.start)
        self.country: dict[str, str | None] = _entity_countries(doc)
        # The document-level type vote beats the one-off label of a mention ("Oslo" PERSON).
        self.types: dict[str, str] = {
            le["key"]: le.get("type") or "" for le in doc.extra.get("local_entities") or []
        }
        self.mentions = [m for m in self.mentions if self._label(m) in _ACTOR_LABELS]
        self._starts = [m.start for m in self.mentions]
        kept = {id(m) for m in self.mentions}
        self.by_token = {i: m for i, m in self.by_token.items() if id(m) in kept}

    def _label(self, m: Mention) -> str:
        t = self.types.get(m.entity or "")
        return t if t and t != "MISC" else m.label

    def actor(self, m: Mention) -> Actor:
        country = self.country.get(m.entity) if m.entity else self.titled_country.get(m.start)
        return Actor(m.entity, m.text, self._label(m), m.start, m.end, country)

    def at(self, tok: Token) -> Actor | None:
        m = self.by_token.get(tok.i)
        return self.actor(m) if m is not None else None

    def of(self, tok: Token, *, allow_prep: bool = True) -> list[Actor]:
        """The actors ``tok`` stands for (several for "French and German diplomats")."""
        direct = self.at(tok)
        if direct is None and tok.tag_ in {"WP", "WDT"} and tok.lower_ in _RELATIVES:
            rel = next((a for a in tok.ancestors if a.dep_ == "relcl"), None)
            if rel is not None:
                return self.of(rel.head, allow_prep=allow_prep)  # "Ortega, whom he met"
        if direct is None and tok.lower_ in _PERSON_PRONOUNS | _THING_PRONOUNS:
            direct = self.antecedent(tok)
        found: list[Actor] = []
        if direct is not None:
            found.append(direct)
        else:
            found.extend(self._inside(tok, allow_prep))
        if not found and tok.pos_ == "NOUN" and tok.lemma_.lower() in self.sectors:
            found.append(self._sector(tok))
        for c in tok.children:
            if c.dep_ == "conj":
                found.extend(a for a in self.of(c, allow_prep=allow_prep) if a not in found)
        return _dedupe(found)

    def _sector(self, tok: Token) -> Actor:
        """An unnamed actor by its sector noun and modifiers ("striking bus workers")."""
        left = min([c.i for c in tok.children if c.i < tok.i and c.dep_ in {"compound", "amod"}]
                   + [tok.i])  # fmt: skip
        span = self.sdoc[left : tok.i + 1]
        return Actor(None, span.text, "SECTOR", span.start_char, span.end_char)

    def _inside(self, tok: Token, allow_prep: bool) -> list[Actor]:
        """Mentions in the noun phrase under ``tok``: people first, then the closest. A
        mention's conjuncts come with it ("the meeting of [title] A and [title] B"); below a
        state or organisation only a person is looked for ("President of the United States
        of America, Joseph Biden"; "Head of the Office of the President Andriy Yermak")."""
        near: list[tuple[int, int, list[Actor]]] = []
        stack = [(c, 0, False) for c in tok.children if c.dep_ in _DESCEND and c.dep_ != "conj"]
        while stack:
            t, depth, people_only = stack.pop()
            if t.dep_ == "prep":
                if not allow_prep or t.lower_ not in {"of", "from"}:
                    continue
                depth += 0 if people_only else 2
            a = self.at(t)
            if a is not None and not (people_only and a.label != "PERSON"):
                # a person under a state or organisation outranks it (same depth, rank 0)
                rank = 0 if a.label == "PERSON" else 1
                group = [a]
                for c in t.children:
                    if c.dep_ == "conj":
                        group.extend(x for x in self.of(c, allow_prep=allow_prep) if x not in group)
                near.append((rank + depth, abs(t.i - tok.i), group))
                if a.label != "PERSON":
                    stack.extend((c, depth, True) for c in t.children
                                 if c.dep_ in {"prep", "appos"})  # fmt: skip
                continue
            stack.extend((c, depth, people_only) for c in t.children if c.dep_ in _DESCEND)
        near.sort(key=lambda x: (x[0], x[1]))
        if not near:
            return []
        if near[0][2][0].label == "PERSON":
            return near[0][2]
        # Several states qualifying one noun ("French and German diplomats"): keep them all.
        return _dedupe([a for r, _, g in near if r == near[0][0] for a in g])

    def antecedent(self, tok: Token) -> Actor | None:
        """The most recent fitting mention before a pronoun, subjects first."""
        person = tok.lower_ in _PERSON_PRONOUNS
        i = bisect_right(self._starts, tok.idx) - 1
        fallback: Actor | None = None
        sent_start = tok.sent.start_char
        prev_start = _previous_sentence_start(tok, 3 if person else 1)
        bound = _clause_subject_tokens(tok)
        while i >= 0:
            m = self.mentions[i]
            i -= 1
            if m.start < prev_start:
                break
            label = self._label(m)
            if person != (label == "PERSON") or m.end > tok.idx:
                continue
            if any(self.by_token.get(b) is m for b in bound):
                continue  # "X warned it": an object pronoun is not its clause's subject
            if person is False and label in _PLACE_LABELS and label != "GPE":
                continue
            t = self.sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if t is None:
                continue
            head = t.root
            if head.dep_ in _SUBJECT_DEPS or _in_subject(head):
                return self.actor(m)
            if fallback is None and (m.start >= sent_start or person):
                fallback = self.actor(m)
        return fallback


def _clause_subject_tokens(tok: Token) -> set[int]:
    """Tokens of the subject of the clause where ``tok`` is an object (binding)."""
    if tok.dep_ not in {"dobj", "pobj", "dative", "iobj"}:
        return set()
    v = tok.head
    for _ in range(3):
        if v.pos_ in {"VERB", "AUX"} or v.head is v:
            break
        v = v.head
    out: set[int] = set()
    for _ in range(3):
        subj = [c for c in v.children if c.dep_ in _SUBJECT_DEPS]
        if subj:
            out.update(t.i for t in subj[0].subtree)
            break
        if v.dep_ not in {"conj", "xcomp", "advcl"} or v.head is v:
            break
        v = v.head
    return out


def _previous_sentence_start(tok: Token, back: int = 1) -> int:
    """Where the sentence ``back`` sentences before ``tok``'s begins."""
    sent = tok.sent
    for _ in range(back):
        if sent.start == 0:
            break
        sent = tok.doc[sent.start - 1].sent
    return sent.start_char


def _in_subject(tok: Token) -> bool:
    for _ in range(4):
        if tok.dep_ in _SUBJECT_DEPS:
            return True
        if tok.dep_ not in {"compound", "appos", "poss", "amod", "nmod", "conj"} or tok.head is tok:
            return False
        tok = tok.head
    return False


def _titled_names(
    sdoc: Doc, covered: dict[int, Mention], titles: frozenset[str]
) -> list[tuple[Span, str | None]]:
    """Unrecognised personal names right after a title: "Prime Minister of India Narendra
    Modi", "Federal Chancellor of Germany Olaf Scholz" (the small model often reads such a
    chain as one proper noun, or as nothing). Returns the name and the state named before it.

    The name is the head of a run of proper nouns hanging on a title ("of" + the run, or an
    apposition), minus a leading country from the gazetteer and leading title words; it must
    keep two capitalised words (given name and surname), none of them in a mention.
    """
    from newsgraph.entities.gazetteer import gazetteer

    out: list[tuple[Span, str | None]] = []
    for h in sdoc:
        if h.pos_ != "PROPN" or h.i in covered or h.dep_ == "compound":
            continue
        gov = h.head.head if h.dep_ == "pobj" and h.head.lower_ == "of" else h.head
        if h.dep_ not in {"pobj", "appos"} or gov.lower_ not in titles:
            continue
        left = h.i
        while left > 0 and sdoc[left - 1].pos_ == "PROPN" and sdoc[left - 1].head.i == h.i:
            left -= 1
        words = list(sdoc[left : h.i + 1])
        country = None
        for k in range(len(words) - 1, 0, -1):  # longest leading place first
            place = gazetteer().lookup(" ".join(w.text for w in words[:k]))
            if place is not None and place.kind == "country":
                country, words = place.country, words[k:]
                break
        while words and words[0].lower_ in titles:
            words = words[1:]
        if len(words) < 2 or any(w.i in covered or not w.text[:1].isupper() for w in words):
            continue
        if not all(w.is_alpha or "-" in w.text for w in words):
            continue
        out.append((sdoc[words[0].i : h.i + 1], country))
    return out


def _dedupe(actors: list[Actor]) -> list[Actor]:
    seen: set[str] = set()
    out = []
    for a in actors:
        if a.key not in seen:
            seen.add(a.key)
            out.append(a)
    return out


def _entity_countries(doc: Document) -> dict[str, str | None]:
    """Local entity key → ISO country it acts for (role country, or the country itself)."""
    out: dict[str, str | None] = {}
    local: list[dict[str, Any]] = doc.extra.get("local_entities") or []
    for le in local:
        country = None
        kb = le.get("kb_id") or ""
        if kb.startswith(("country:", "capital:", "people:")):
            country = kb.split(":", 1)[1]
        for r in le.get("roles") or []:
            if r.get("country"):
                country = country or r["country"]
                break
        out[le["key"]] = country
    return out
