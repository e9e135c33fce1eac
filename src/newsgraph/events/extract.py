"""PLOVER event extraction for one document from its dependency parse.

Triggers are verbs (``lex.verbs``) and event nouns (``lex.nouns``, also as objects of light
verbs: "held talks", "imposed sanctions"). Roles come from the parse: subject → source
(agent of a passive), object or a type-specific preposition → target ("with", "against",
"on"), a place preposition → location. Status comes from :mod:`newsgraph.events.status`,
dates from :mod:`newsgraph.events.dates`. Mentions of one event within an article (the same
type and actors, compatible dates) are merged into one event.

Run after the entities stage: sources and targets are the mentions' local entity keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span, Token

from newsgraph.events.actors import Actor, ActorIndex
from newsgraph.events.dates import WEEKDAYS, DateValue, Tense, published_range, resolve
from newsgraph.events.lexicon import Lexicon, NounTrigger, VerbTrigger, load_lexicon
from newsgraph.events.status import Status, event_status
from newsgraph.model import Document, Event

DETAILS_KEY = "event_details"  # doc.extra: one dict per event, same order as doc.events
META_KEY = "event_meta"  # doc.extra: document-level notes (inferred publication range)

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_AGENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Prepositions that name whom a complement's action is aimed at.
_EMBEDDED_PREPS = frozenset({"to", "with", "against", "on", "in", "into", "from", "by", "for"})
# How far up the tree an argument (date, place) may attach and still belong to the event:
# through these dependencies only (not into a reporting clause).
_CLIMB = frozenset({"xcomp", "prep", "pobj", "pcomp", "dobj", "conj", "advcl", "relcl", "acl",
                    "appos", "compound"})  # fmt: skip


@dataclass
class Candidate:
    trigger: Token
    type: str
    mode: str | None
    nominal: bool
    status: Status
    source: Actor | None = None
    target: Actor | None = None
    others: list[Actor] = field(default_factory=list)
    location: Actor | None = None
    date: DateValue = field(default_factory=lambda: DateValue(None, "none"))
    reports: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        spans = [self.trigger.idx]
        spans += [a.start for a in (self.source, self.target) if a is not None]
        return min(spans)

    @property
    def end(self) -> int:
        spans = [self.trigger.idx + len(self.trigger.text)]
        spans += [a.end for a in (self.source, self.target) if a is not None]
        return max(spans)


def _fits(pronoun: Token, a: Actor) -> bool:
    """Can this actor be what the pronoun refers to (persons for "his", others for "its")?"""
    personal = pronoun.lower_ in {"he", "him", "his", "she", "her", "hers"}
    return personal == (a.label == "PERSON")


def _is_place(a: Actor | None) -> bool:
    return a is not None and a.label in _PLACE_LABELS


def _children(tok: Token, deps: set[str] | frozenset[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


class _Extractor:
    def __init__(self, doc: Document, sdoc: SpacyDoc, lex: Lexicon) -> None:
        self.doc = doc
        self.sdoc = sdoc
        self.lex = lex
        self.actors = ActorIndex(doc, sdoc, lex.sector_nouns, lex.title_nouns)
        self.in_mention = set(self.actors.by_token)

    # ---- roles ---------------------------------------------------------------------------

    def subject(self, verb: Token, depth: int = 0) -> list[Actor]:
        """Actors of the verb's subject; inherited along xcomp/conj/advcl ("plans to go")."""
        subj = _children(verb, {"nsubj"})
        if not subj and verb.dep_ != "xcomp":
            subj = _children(verb, {"nsubjpass"})
        # Nearest first: a heading glued to the sentence can parse as a second subject.
        for sub in sorted(subj, key=lambda t: abs(verb.i - t.i)):
            found = self.actors.of(sub)
            if found:
                return found
        if subj:
            if subj[0].dep_ == "nsubjpass":  # "This was stated by X after the talks": X acts
                return self.prep_actors(verb, {"by"})
            return []
        if verb.head.i == verb.i:  # (tokens are views: compare positions, not objects)
            return self.glued_subject(verb)
        if depth >= 3:
            return []
        head = verb.head
        if verb.dep_ in {"acomp", "attr"} or head.pos_ == "ADJ":
            return self.subject(head, depth + 1)
        if verb.dep_ == "xcomp":
            # Object control: "urged Chile to withdraw", "called on Chile to resume".
            objs = _children(head, {"dobj"})
            if objs and head.lemma_ not in {"have", "take", "make"}:
                found = self.actors.of(objs[0])
                if found:
                    return found
            for p in _children(head, {"prep"}):
                if p.lower_ == "on":
                    found = [a for c in _children(p, {"pobj"}) for a in self.actors.of(c)]
                    if found:
                        return found
            if not _children(head, {"nsubj"}) and _children(head, {"nsubjpass"}):
                return self.actors.of(_children(head, {"nsubjpass"})[0])  # "is scheduled to"
            return self.subject(head, depth + 1)
        if verb.dep_ in {"conj", "advcl", "pcomp"} and head.pos_ in {"VERB", "AUX"}:
            return self.subject(head, depth + 1)
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            return self.subject(head.head, depth + 1) if head.head.pos_ == "VERB" else []
        return []

    def glued_subject(self, verb: Token) -> list[Actor]:
        """A finite root verb without a subject whose subject the small parser hung on a list
        before it ("during the summit in Oslo, Norway, A and B arrived"): the run of named
        people or organisations right before the verb, back to where the list changes kind."""
        if verb.tag_ not in {"VBD", "VBZ", "VBP"}:
            return []
        i = verb.i - 1
        while i >= 0 and self.sdoc[i].dep_ in {"advmod", "neg"} and self.sdoc[i].head is verb:
            i -= 1
        if i < verb.sent.start:
            return []
        tok = self.sdoc[i]
        last = self.actors.at(tok)
        if last is None or last.label not in {"PERSON", "ORG"} or tok.dep_ in {"nsubj", "dobj"}:
            return []
        while tok.dep_ == "conj":
            head = self.actors.at(tok.head)
            if head is None or head.label != last.label:
                break
            tok = tok.head
        return [a for a in self.actors.of(tok) if a.label == last.label]

    def prep_actors(self, tok: Token, preps: frozenset[str] | set[str]) -> list[Actor]:
        out: list[Actor] = []
        for p in _children(tok, {"prep", "dative", "prt", "agent"}):
            if p.lower_ not in preps:
                continue
            for o in _children(p, {"pobj", "pcomp"}):
                out.extend(self.actors.of(o))
        return out

    def governor(self, tok: Token) -> Token | None:
        """The verb (or actor noun) a nominal event hangs on: "in his call with X, Y said"."""
        t = tok
        for _ in range(4):
            if t.head is t:
                return None
            dep, head = t.dep_, t.head
            if dep in {"dobj", "pobj", "prep", "pcomp", "conj", "appos", "compound"}:
                if head.pos_ in {"VERB", "AUX"} and dep != "pobj":
                    return head
                if head.pos_ in {"PROPN", "NOUN"} and head.i in self.in_mention and dep == "prep":
                    return head
                t = head
                continue
            return None
        return None

    # ---- triggers ------------------------------------------------------------------------

    def verb_sense(self, tok: Token) -> VerbTrigger | None:
        senses = self.lex.verbs.get(tok.lemma_.lower())
        if not senses:
            return None
        prts = {c.lower_ for c in tok.children if c.dep_ == "prt"}
        preps = {c.lower_ for c in tok.children if c.dep_ in {"prep", "prt"}}
        for s in senses:
            if s.particle and s.particle in prts:
                return s
            if s.prep and s.prep in preps:
                return s
        for s in senses:
            if not s.particle and not s.prep:
                if prts and any(o.particle in prts for o in senses if o.particle):
                    continue
                return s
        return None

    def from_verb(self, tok: Token, sense: VerbTrigger) -> Candidate | None:
        lex = self.lex
        sources = self.subject(tok)
        targets: list[Actor] = []
        passive = _children(tok, {"nsubjpass"})
        if passive:
            targets = self.actors.of(passive[0])
            sources = self.prep_actors(tok, {"by"})
        dobj = _children(tok, {"dobj"})
        obj_actors = self.actors.of(dobj[0]) if dobj else []
        preps = lex.target_preps.get(sense.type, frozenset())
        if sense.prep:
            preps = preps | {sense.prep}
        prep_targets = self.prep_actors(tok, preps)
        place_objs = [a for a in prep_targets + obj_actors if _is_place(a)]
        if sense.mode == "visit":
            # "arrived in Lima", "travelled to Paris": the place is where and whom; "attend
            # the ceremony in Rome": the place of what is attended
            near = self.prep_actors(tok, {"in", "at", "to"})
            if dobj:
                near += self.prep_actors(dobj[0], {"in", "at"})
            place_objs += [a for a in near if _is_place(a) and a not in place_objs]
            prep_targets += [a for a in place_objs if a not in prep_targets]
        needs = sense.needs
        if needs == "object" and not [a for a in obj_actors if a.label in _AGENT_LABELS]:
            return None
        if needs == "person" and not [a for a in obj_actors if a.label == "PERSON"]:
            return None
        if needs == "with" and not self.prep_actors(tok, {"with"}):
            return None
        if needs == "place" and not [a for a in place_objs if _is_place(a)]:
            return None
        if needs == "recipient" and not self.prep_actors(tok, {"to", "for"}):
            return None
        if needs == "xcomp" and not _children(tok, {"xcomp"}):
            return None
        if needs == "no_object" and dobj:
            return None
        if needs == "thing" and not dobj:
            return None
        if (sense.type == "MOBILIZE" or needs == "forces") and not (
            dobj and any(t.lemma_.lower() in lex.force_nouns for t in dobj[0].subtree)
        ):
            return None
        if not passive:
            targets = obj_actors + [a for a in prep_targets if a not in obj_actors]
        if sense.type in {"REQUEST", "ACCUSE", "REJECT", "THREATEN"} and not targets:
            # "demanded that Madrid establish ...": the addressee is the clause subject.
            for c in _children(tok, {"ccomp", "xcomp"}):
                found = self.subject(c) if c.dep_ == "ccomp" else []
                if found:
                    targets = found[:1]
                    break
        if not targets and sense.type != "CONSULT":
            targets = self.embedded_target(tok, dobj[0] if dobj else None, sources)
        cand = Candidate(tok, sense.type, sense.mode, False, event_status(tok, lex))
        if sense.mode == "visit" and place_objs:
            cand.location = place_objs[0]
        return self._roles(cand, sources, targets)

    def embedded_target(self, tok: Token, dobj: Token | None, sources: list[Actor]) -> list[Actor]:
        """The target inside a complement: "threatened to cut off electricity to X", "refused
        to meet X", "rejected calls by X", "demanded an admission by X"."""
        own = {a.key for a in sources}
        places: list[Token] = []
        for c in _children(tok, {"xcomp"}):
            places.extend(_children(c, {"dobj"}))
            places.append(c)
        if dobj is not None:
            places.append(dobj)
        for p in places:
            found = [a for a in self.actors.of(p) if a.key not in own] if p.dep_ == "dobj" else []
            found += [a for a in self.prep_actors(p, _EMBEDDED_PREPS) if a.key not in own]
            if found:
                return found[:1]
        return []

    def obligation(self, tok: Token) -> Candidate | None:
        """ "X said Y must do Z": a REQUEST from the speaker to Y (the content unrealised)."""
        if tok.lemma_.lower() not in self.lex.request_speech_verbs:
            return None
        for c in _children(tok, {"ccomp"}):
            if not any(a.dep_ == "aux" and a.lower_ in self.lex.obligation_aux for a in c.children):
                continue
            targets = self.subject(c) if _children(c, {"nsubj", "nsubjpass"}) else []
            cand = Candidate(tok, "REQUEST", None, False, event_status(tok, self.lex))
            return self._roles(cand, self.subject(tok), targets[:1])
        return None

    def noun_sense(self, tok: Token) -> NounTrigger | None:
        low = tok.lower_
        lemma = tok.lemma_.lower()
        nxt = tok.doc[tok.i + 1 : tok.i + 3]
        if low == "build" and len(nxt) == 2 and nxt[0].text == "-" and nxt[1].lower_ == "up":
            lemma = "build-up"
        sense = self.lex.nouns.get(lemma) or self.lex.nouns.get(low)
        if sense is None or tok.i in self.in_mention:
            return None
        if sense.needs_mod is not None:
            mods = {c.lemma_.lower() for c in tok.children if c.i < tok.i} | {
                t.lower_ for t in tok.doc[max(0, tok.i - 2) : tok.i]
            }
            preps = {c.lower_ for c in _children(tok, {"prep"})}
            if not (mods & set(sense.needs_mod) or preps & set(sense.or_prep)):
                return None
        return sense

    def from_noun(self, tok: Token, sense: NounTrigger) -> Candidate | None:
        lex = self.lex
        trigger = tok
        if tok.dep_ == "compound" and tok.head.i == tok.i + 2 and tok.nbor(1).text == "-":
            tok = tok.head  # "Russia's build-up of troops": the last part carries the arguments
        sources: list[Actor] = []
        targets: list[Actor] = []
        gov = self.governor(tok)
        poss = _children(tok, {"poss"})
        pronoun_poss = bool(poss) and poss[0].pos_ == "PRON"
        if poss and not (pronoun_poss and gov is not None):
            sources = self.actors.of(poss[0])
        elif pronoun_poss and gov is not None and gov.pos_ in {"VERB", "AUX"}:
            # "In his call with X, Y said": the possessor is the clause subject if that fits
            # the pronoun ("his" is a person), else the pronoun's own antecedent.
            fits = [a for a in self.subject(gov) if _fits(poss[0], a)]
            sources = fits or self.actors.of(poss[0])
        if not sources:
            for c in tok.children:
                if c.i < tok.i and c.dep_ in {"compound", "amod", "nmod"}:
                    sources.extend(a for a in self.actors.of(c) if a not in sources)
        sources.extend(a for a in self.prep_actors(tok, {"by", "from"}) if a not in sources)
        for p in _children(tok, {"prep"}):
            if p.lower_ != "of":
                continue
            for o in _children(p, {"pobj"}):
                inner = self.actors.of(o)
                if o.lemma_.lower() in lex.force_nouns or sense.type in lex.reciprocal:
                    sources.extend(a for a in inner if a not in sources)
                else:
                    targets.extend(inner)
        between = self.prep_actors(tok, {"between"})
        if between:
            sources.extend(a for a in between if a not in sources)
        preps = lex.target_preps.get(sense.type, frozenset()) - {"between", "of", "by"}
        targets.extend(a for a in self.prep_actors(tok, preps) if a not in targets)
        if gov is not None and gov.pos_ in {"VERB", "AUX"}:
            if tok.dep_ == "dobj" and gov.lemma_.lower() in lex.light_verbs:
                # "held talks with X": the preposition often hangs on the light verb.
                targets.extend(a for a in self.prep_actors(gov, preps) if a not in targets)
            if not sources and gov.lemma_.lower() not in {"deny", "reject"}:
                sources = self.subject(gov)
            if not targets and sense.type in lex.reciprocal and tok.dep_ == "pobj":
                # "During a phone call, A congratulated B": the call was A's with B.
                for o in _children(gov, {"dobj", "dative"}):
                    if self.actors.at(o) is not None:
                        targets.extend(a for a in self.actors.of(o) if a not in sources)
        elif gov is not None:
            a = self.actors.at(gov)
            if a is not None and not sources:
                sources = [a]
        if not sources and pronoun_poss:
            sources = self.actors.of(poss[0])
        status = event_status(tok, lex, nominal=True)
        cand = Candidate(trigger, sense.type, sense.mode, True, status)
        return self._roles(cand, sources, targets)

    def _roles(self, c: Candidate, sources: list[Actor], targets: list[Actor]) -> Candidate | None:
        sources = [a for a in sources if a.label != "LOC"]
        if c.type == "CONSULT" and c.mode == "visit":
            places = [a for a in targets if _is_place(a)]
            if places and c.location is None:
                c.location = places[0]
        if (
            not targets
            and c.type in self.lex.reciprocal
            and len(sources) >= 2
            and c.mode != "visit"
        ):
            sources, targets = sources[:1], sources[1:]
        targets = [a for a in targets if not sources or a.key != sources[0].key]
        c.source = sources[0] if sources else None
        c.target = targets[0] if targets else None
        c.others = targets[1:]
        if c.source is None and c.target is None:
            return None
        if c.type == "CONSULT" and c.target is None and c.location is None:
            return None
        return c

    # ---- arguments shared by verbs and nouns -------------------------------------------

    def anchors(self, c: Candidate) -> list[Token]:
        """The trigger and the words above it that its date and place may hang on."""
        out = [c.trigger]
        t = c.trigger
        for _ in range(4):
            if t.dep_ not in _CLIMB or t.head is t:
                break
            t = t.head
            if (
                t.pos_ in {"VERB", "AUX"}
                and t.lemma_.lower() in self.lex.status["transparent_heads"]
            ):
                if c.nominal and t.i not in (x.i for x in out):
                    out.append(t)  # "said before his meeting" keeps the saying's date out
                break
            out.append(t)
            if t.dep_ in {"relcl", "acl"}:
                break
        return out

    def find_place(self, c: Candidate) -> None:
        if c.location is not None:
            return
        for anchor in self.anchors(c):
            for p in _children(anchor, {"prep"}):
                for o in _children(p, {"pobj"}):
                    a = self.actors.at(o)
                    if a is None and p.lower_ in {"during", "at", "on"}:
                        # "during the summit in Lisbon": the place of the occasion
                        for p2 in _children(o, {"prep"}):
                            if p2.lower_ in {"in", "at"}:
                                inner = [self.actors.at(x) for x in _children(p2, {"pobj"})]
                                a = next((x for x in inner if _is_place(x)), None)
                    elif p.lower_ not in self.lex.place_preps:
                        continue
                    if _is_place(a) and (c.target is None or a.key != c.target.key
                                         or c.mode == "visit"):  # fmt: skip
                        c.location = a
                        return
            # "visiting Oslo, where he will meet ...": the place of the relative clause.
            if anchor.dep_ == "relcl" and any(x.lower_ == "where" for x in anchor.children):
                a = self.actors.at(anchor.head)
                if _is_place(a):
                    c.location = a
                    return

    def tense(self, c: Candidate) -> Tense:
        if c.status == "planned":
            return "future"
        for t in self.anchors(c):
            if any(x.lower_ in self.lex.status["future_aux"] for x in t.children):
                return "future"
        return "past"


def _date_spans(sdoc: SpacyDoc) -> list[Span]:
    spans = [e for e in sdoc.ents if e.label_ == "DATE"]
    covered = {i for e in spans for i in range(e.start, e.end)}
    for t in sdoc:
        if t.lower_ in WEEKDAYS and t.i not in covered:
            spans.append(sdoc[t.i : t.i + 1])
    return spans


def _past_context(tok: Token) -> bool:
    """Is the date expression part of a clause in the past tense?"""
    for _ in range(4):
        if tok.head is tok:
            break
        tok = tok.head
        if tok.pos_ in {"VERB", "AUX"}:
            return tok.tag_ in {"VBD", "VBN"}
    return False


def _attach_dates(ex: _Extractor, cands: list[Candidate], published: dt.date | None) -> None:
    spans = _date_spans(ex.sdoc)
    by_token: dict[int, Span] = {}
    for s in spans:
        by_token[s.root.i] = s
    previous: dt.date | None = None
    for c in sorted(cands, key=lambda c: c.trigger.i):
        found: Span | None = None
        for anchor in ex.anchors(c):
            for ch in anchor.children:
                hit = _date_under(ch, by_token)
                if hit is not None:
                    found = hit
                    break
            if found is not None:
                break
        if found is None:
            found = _fallback_date(ex, c, by_token)
        if found is not None:
            c.date = resolve(found.text, published, ex.tense(c), previous)
        if c.date.date is not None:
            previous = c.date.date


def _fallback_date(ex: _Extractor, c: Candidate, by_token: dict[int, Span]) -> Span | None:
    """Dates stated next to the event rather than on it: "visiting Oslo, where he will meet
    them on Monday"; "Monday's meeting ... – a three-way conversation between ..."."""
    for obj in c.trigger.children:
        if obj.dep_ not in {"dobj", "pobj"}:
            continue
        for rel in obj.children:
            if rel.dep_ == "relcl" and any(x.lower_ == "where" for x in rel.children):
                for ch in rel.children:
                    hit = _date_under(ch, by_token)
                    if hit is not None:
                        return hit
    sent = c.trigger.sent
    for i, span in by_token.items():
        head = span.root.head
        if not (sent.start <= i < sent.end) or head.i == c.trigger.i:
            continue
        sense = ex.lex.nouns.get(head.lemma_.lower())
        if sense is not None and sense.type == c.type and span.root.dep_ in {"poss", "compound"}:
            return span
    return None


def _date_under(tok: Token, by_token: dict[int, Span]) -> Span | None:
    """A date expression at ``tok`` or one preposition below it ("on Thursday")."""
    if tok.dep_ in {"npadvmod", "tmod", "nmod", "advmod", "obl", "compound", "dep", "appos"}:
        return by_token.get(tok.i)
    if tok.dep_ == "prep" and tok.lower_ in {"on", "in", "at", "during", "since", "by"}:
        for o in tok.children:
            if o.dep_ == "pobj" and o.i in by_token:
                return by_token[o.i]
    if tok.dep_ == "poss" and tok.i in by_token:
        return by_token[tok.i]  # "Wednesday's meeting"
    return None


_RANK = {"occurred": 0, "planned": 1, "hypothetical": 2, "denied": 3}
_STATE_LABELS = frozenset({"GPE", "NORP"})


def _compatible(x: Actor | None, y: Actor | None) -> bool:
    """Same actor, or a person and the state they act for ("Ortega" ~ "Mexican")."""
    if x is None or y is None:
        return x is y
    if x.key == y.key:
        return True
    if x.country and x.country == y.country:
        return x.label in _STATE_LABELS or y.label in _STATE_LABELS
    return False


def _specific(x: Actor | None, y: Actor | None) -> Actor | None:
    """Of two compatible actors, the more specific (a person over their state)."""
    if x is None or (y is not None and x.label in _STATE_LABELS and y.label == "PERSON"):
        return y
    return x


def _same(a: Candidate, b: Candidate, reciprocal: frozenset[str]) -> bool:
    if a.type != b.type:
        return False
    pairs = [(a.source, b.source), (a.target, b.target)]
    same_actors = all(_compatible(x, y) for x, y in pairs)
    if not same_actors and a.type in reciprocal:
        same_actors = _compatible(a.source, b.target) and _compatible(a.target, b.source)
    if not same_actors:
        return False
    if a.date.date and b.date.date and a.date.date != b.date.date:
        return False
    if a.status == b.status:
        return _modes_agree(a.mode, b.mode)
    # A nominal reference to a planned meeting ("ahead of his meeting") in an article that
    # also reports it as held is the same meeting.
    if not _modes_agree(a.mode, b.mode) or {a.status, b.status} != {"occurred", "planned"}:
        return False
    planned = a if a.status == "planned" else b
    return planned.nominal and _prospective(planned.trigger)


# Face-to-face modes one report calls talks and another a meeting.
_MODE_FAMILY = {"meet": "meet", "talk": "meet", "negotiate": "meet"}


def _modes_agree(a: str | None, b: str | None) -> bool:
    return not (a and b and _MODE_FAMILY.get(a, a) != _MODE_FAMILY.get(b, b))


def _prospective(tok: Token) -> bool:
    """ "before/ahead of his meeting": an event named as still to come when it was reported."""
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.lower_ in {"ahead", "prior"}:
        return True
    return tok.dep_ == "pobj" and head.lower_ in {"before", "ahead", "prior"}


def _merge(cands: list[Candidate], lex: Lexicon) -> list[Candidate]:
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: c.trigger.i):
        c.reports = [(c.trigger.idx, c.trigger.idx + len(c.trigger.text))]
        for o in out:
            if _same(o, c, lex.reciprocal):
                o.reports.append(c.reports[0])
                if _compatible(o.source, c.source) and _compatible(o.target, c.target):
                    o.source, o.target = (
                        _specific(o.source, c.source),
                        _specific(o.target, c.target),
                    )
                else:
                    o.source, o.target = (
                        _specific(o.source, c.target),
                        _specific(o.target, c.source),
                    )
                if _RANK[c.status] < _RANK[o.status]:
                    o.status = c.status
                if o.date.date is None and c.date.date is not None:
                    o.date = c.date
                if o.location is None:
                    o.location = c.location
                if o.mode is None:
                    o.mode = c.mode
                break
        else:
            out.append(c)
    return out


def find_candidates(doc: Document, sdoc: SpacyDoc) -> tuple[list[Candidate], dict[str, Any]]:
    """All events of ``doc`` as candidates (merged within the document) and document notes."""
    lex = load_lexicon()
    ex = _Extractor(doc, sdoc, lex)
    cands: list[Candidate] = []
    taken: set[int] = set()
    for tok in sdoc:
        if tok.pos_ == "VERB":
            sense = ex.verb_sense(tok)
            c = ex.from_verb(tok, sense) if sense else ex.obligation(tok)
        elif tok.pos_ in {"NOUN", "PROPN"}:
            nsense = ex.noun_sense(tok)
            c = ex.from_noun(tok, nsense) if nsense else None
        else:
            c = None
        if c is not None and tok.i not in taken:
            taken.add(tok.i)
            cands.append(c)
    for c in cands:
        ex.find_place(c)
    meta: dict[str, Any] = {}
    published = doc.published
    _attach_dates(ex, cands, published)
    if published is None:
        exprs = [(s.text, "past") for s in _date_spans(sdoc) if _past_context(s.root)]
        rng = published_range(exprs)  # type: ignore[arg-type]
        if rng is not None:
            meta["published_range"] = [rng[0].isoformat(), None]
            meta["published_basis"] = "inferred: on or after the latest past date mentioned"
    return _merge(cands, lex), meta


def _details(c: Candidate) -> dict[str, Any]:
    from newsgraph.events.place import find_city

    d: dict[str, Any] = {
        "trigger": c.trigger.text,
        "trigger_start": c.trigger.idx,
        "nominal": c.nominal,
        "source_text": c.source.text if c.source else None,
        "target_text": c.target.text if c.target else None,
        "source_country": c.source.country if c.source else None,
        "target_country": c.target.country if c.target else None,
        "other_targets": [a.entity for a in c.others],
        "date_text": c.date.text or None,
        "date_basis": c.date.basis,
        "place_text": c.location.text if c.location else None,
        "reports": [list(r) for r in c.reports],
        "sentence": [c.trigger.sent.start_char, c.trigger.sent.end_char],
    }
    if c.location is not None:
        city = find_city(c.location.text, c.location.country)
        if city is not None:
            d["coordinates"] = [city.lat, city.lon]
            d["geonameid"] = city.geonameid
    return d


def extract_events(doc: Document, sdoc: SpacyDoc | None = None) -> Document:
    """Fill ``doc.events`` (PLOVER) and ``doc.extra["event_details"]``.

    ``sdoc`` is a parse of exactly ``doc.text`` (tagger and dependency parser needed) at least
    where :func:`newsgraph.events.needs.needs_parse` asks (the pipeline parses only that, see
    :mod:`newsgraph.parse_select`); without one the shared pipeline parses here. Run the
    entities stage first: actors are the mentions' entities, and without mentions no event has
    a source or target.
    """
    if sdoc is None:
        from newsgraph.nlp import load_nlp

        sdoc = load_nlp()(doc.text)
    if sdoc.text != doc.text:
        raise ValueError("spaCy doc does not match the document text")
    try:
        cands, meta = find_candidates(doc, sdoc)
    except Exception as exc:  # a parse the rules do not expect must not cost the document
        cands, meta = [], {"error": f"{type(exc).__name__}: {exc}"}
    events = [
        Event(
            type=c.type,  # type: ignore[arg-type]
            mode=c.mode,
            source=c.source.entity if c.source else None,
            target=c.target.entity if c.target else None,
            date=c.date.date,
            location=c.location.entity if c.location else None,
            status=c.status,
            start=c.start,
            end=c.end,
        )
        for c in cands
    ]
    extra = dict(doc.extra)
    extra[DETAILS_KEY] = [_details(c) for c in cands]
    if meta:
        extra[META_KEY] = meta
    else:
        extra.pop(META_KEY, None)
    doc = doc.model_copy(update={"events": events, "extra": extra})
    try:  # captions are not text: their events go to doc.extra (events/captions.py)
        from newsgraph.events.captions import code_captions

        return code_captions(doc)
    except Exception as exc:  # a caption must not cost the document its events
        return doc.model_copy(update={"extra": {**doc.extra, "caption_error": repr(exc)}})
