"""Reported (indirect) speech over the dependency parse.

A speech verb from the lexicon with a clausal complement ("X said (that) …", "X warned
that …", "…, adding that …"), an object-content verb with its object ("X denied the
report", "X accused Y of …"), a speech verb parenthetical to a clause ("The plan – he
added – is ready …"), and "according to X, …" each give one indirect quote whose content is
the clause. The speaker head is the verb's subject (or the object of "according to").
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from .base import Candidate, doc_text, trim
from .lexicon import Lexicon

_TRIM = ",;:–—-"
_OBJ_EXT = {"dobj", "prep", "xcomp", "ccomp", "oprd", "dative"}


def para_bounds(text: str, i: int) -> tuple[int, int]:
    """The line (paragraph) around char ``i``: parses may run sentences across paragraphs."""
    s = text.rfind("\n", 0, i) + 1
    e = text.find("\n", i)
    return s, (len(text) if e < 0 else e)


def speaker_near(v: Token) -> Token | None:
    """The subject of cue ``v`` if it lies in v's paragraph; else the name right before v."""
    text = doc_text(v.doc)
    ps, pe = para_bounds(text, v.idx)
    subj = subject_of(v)
    if subj is not None and subj.tag_ in ("WDT", "WP") and v.dep_ == "relcl":
        subj = v.head  # "the minister, who said …": the noun the clause describes
    if subj is not None and ps <= subj.idx < pe:
        return subj
    k = v.i - 1
    while k >= 0 and v.doc[k].pos_ in ("ADV", "AUX", "PART") and v.doc[k].idx >= ps:
        k -= 1
    if k >= 0 and v.doc[k].idx >= ps and (v.doc[k].pos_ == "PROPN" or v.doc[k].ent_type_):
        return v.doc[k]
    return None


def _span(toks: list[Token]) -> tuple[int, int]:
    s = min(t.idx for t in toks)
    e = max(t.idx + len(t) for t in toks)
    return s, e


def _subtree_span(t: Token, skip_mark: bool = True) -> tuple[int, int]:
    toks = list(t.subtree)
    if skip_mark:
        # the complementizer belongs to the attribution, not to what was said
        toks = [x for x in toks if not (x.dep_ == "mark" and x.head is t and x.lower_ == "that")]
    return _span(toks)


_SPEECH_CACHE: frozenset[str] = frozenset()


def _close_open_mark(text: str, s: int, e: int) -> int:
    """Take in the closing mark of a quotation the clause opened (the parse leaves it out)."""
    opened = sum(text.count(c, s, e) for c in "“«„") - sum(text.count(c, s, e) for c in "”»")
    if opened > 0:
        for k in range(e, min(e + 3, len(text))):
            if text[k] in "”»“":
                return k + 1
    return e


def _clause_span(comp: Token, lex: Lexicon) -> tuple[int, int]:
    """The complement clause, minus a trailing "…, saying that …" (its own quote)."""
    cut: set[Token] = set()
    for t in comp.subtree:
        if t is not comp and t.dep_ == "advcl" and t.tag_ == "VBG" and lex.is_cue(t.lemma_):
            cut.update(t.subtree)
    toks = [
        x
        for x in comp.subtree
        if x not in cut and not (x.dep_ == "mark" and x.head is comp and x.lower_ == "that")
    ]
    return _span(toks)


def subject_of(v: Token) -> Token | None:
    for ch in v.children:
        if ch.dep_ in ("nsubj", "nsubjpass") and ch.pos_ != "VERB":
            if ch.dep_ == "nsubjpass" and ch.lower_ in ("it", "this"):
                return None  # "it was reported that": no source
            return ch
    if v.dep_ == "advcl":
        # "…, adding that": the speaker is the subject of the nearest speech verb above
        for anc in v.ancestors:
            if (
                anc.pos_ in ("VERB", "AUX")
                and any(ch.dep_ == "nsubj" for ch in anc.children)
                and (anc.dep_ == "ROOT" or anc.lemma_.lower() in _SPEECH_CACHE)
            ):
                return subject_of(anc)
    if v.dep_ in ("advcl", "conj", "xcomp") and v.head is not v:
        return subject_of(v.head)
    return None


def find_reported(
    sdoc: SpacyDoc,
    lex: Lexicon,
    direct: list[Candidate],
) -> list[Candidate]:
    global _SPEECH_CACHE
    _SPEECH_CACHE = lex.speech_verbs
    text = doc_text(sdoc)
    direct_spans = [(c.start, c.end) for c in direct]
    used = {c.cue_i: c for c in direct if c.cue_i is not None}
    out: list[Candidate] = []

    # merged, sorted spans: a bisect per token instead of a scan over every direct quote
    merged: list[list[int]] = []
    for s0, e0 in sorted(direct_spans):
        if merged and s0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e0)
        else:
            merged.append([s0, e0])
    starts = [m[0] for m in merged]

    def in_direct(i: int) -> bool:
        k = bisect_right(starts, i) - 1
        return k >= 0 and i < merged[k][1]

    def overlaps_direct(s: int, e: int) -> bool:
        return any(s < de and ds < e for ds, de in direct_spans)

    for v in sdoc:
        low = v.lower_
        if low == "according" and v.head is not v:
            c = _according(v, lex)
            if c is not None and not in_direct(v.idx) and v.i not in used:
                out.append(c)
            continue
        lemma = v.lemma_.lower()
        speech = lex.is_cue(lemma)
        if v.pos_ == "NOUN" and lemma in lex.nominal_cues and not in_direct(v.idx):
            c = _nominal(v, lex)
            if c is not None and not overlaps_direct(c.start, c.end):
                out.append(c)
            continue
        if v.pos_ not in ("VERB", "AUX") or in_direct(v.idx):
            continue
        if (
            not speech
            and lemma not in lex.prep_content_verbs
            and lemma not in lex.predicative_verbs
            and lemma not in lex.infinitive_content_verbs
        ):
            continue
        if (
            v.tag_ == "VBN"
            and not any(ch.dep_.startswith("nsubj") for ch in v.children)
            and v.dep_ in ("advcl", "ROOT")
        ):
            continue  # "Asked what …, he said": the question is the reporter's
        span: tuple[int, int] | None = None
        # a complement parsed across a paragraph break is a misparse (headlines glued on)
        vps, vpe = para_bounds(text, v.idx)
        comp = [ch for ch in v.children if ch.dep_ == "ccomp" and vps <= ch.idx < vpe]
        comp = comp if speech else []
        if comp:
            span = _clause_span(comp[-1], lex)
            if len(comp) > 1:  # content split around the verb: take both sides
                s0, _ = _subtree_span(comp[0])
                span = (min(s0, span[0]), span[1])
        elif speech and lemma in lex.object_content_verbs:
            objs = [ch for ch in v.children if ch.dep_ == "dobj" and ch.i > v.i]
            if objs:
                toks = [
                    t for ch in v.children if ch.i > v.i and ch.dep_ in _OBJ_EXT for t in ch.subtree
                ]
                span = _span(toks)
                if len(toks) < 2:
                    span = None
        elif speech and v.dep_ == "parataxis" and v.head.pos_ in ("VERB", "AUX"):
            # "The plan – he added – is ready …": the host clause is the content
            head = v.head
            toks = [t for t in head.subtree if t not in set(v.subtree)]
            span = _span(toks) if toks else None
        origin = "reported"
        if span is None and not comp:
            span, origin = _extra_content(v, lemma, lex)
        if span is None:
            continue
        ps, pe = para_bounds(text, v.idx)
        if span[0] <= v.idx < span[1]:  # a bad parse put the cue inside its own content
            span = (v.idx + len(v), span[1])
        s, e = trim(text, max(span[0], ps), min(span[1], pe), chars=_TRIM)
        if text[s:e].lower().startswith("that "):
            s += 5
        e = _close_open_mark(text, s, e)
        if e - s < 3 or len(text[s:e].split()) < 3:
            continue
        if e <= v.idx and not any(
            t.pos_ in ("VERB", "AUX") for t in v.doc.char_span(s, e, alignment_mode="expand") or []
        ):
            continue  # content before the cue must be a clause ("X, the official said")
        # a verb that already attributes a direct quote keeps its clause only if that is
        # separate content ("X stressed that A: “B”")
        if v.i in used and overlaps_direct(s, e):
            continue
        if any(ds <= s and e <= de for ds, de in direct_spans):
            continue
        subj = speaker_near(v)
        c = Candidate(s, e, "indirect", origin, cue=lemma, cue_i=v.i, attributed=True)
        c.speaker_i = subj.i if subj is not None else None
        out.append(c)
    return out


def _extra_content(v: Token, lemma: str, lex: Lexicon) -> tuple[tuple[int, int] | None, str]:
    """Content that is not a clause: "called for X", "called on X to …", "pledged to …",
    "urged X to …", "called X Y", "described X as Y"."""
    after = [ch for ch in v.children if ch.i > v.i]
    if any(ch.dep_ == "auxpass" for ch in v.children):
        return None, ""  # "he was asked to …": the subject is the addressee, not the speaker
    preps = lex.prep_content_verbs.get(lemma, frozenset())
    for ch in after:
        if ch.dep_ in ("prep", "prt") and ch.lower_ in preps:
            toks = [t for t in ch.subtree if t is not ch]
            # "called on X to do Y / for Y": the rest may hang off the verb
            toks += [
                t
                for x in after
                if x.i > ch.i
                and (x.dep_ in ("xcomp", "dobj") or (x.dep_ == "prep" and x.lower_ == "for"))
                for t in x.subtree
            ]
            if toks:
                return _span(toks), "prep"
    if lemma in lex.infinitive_content_verbs:
        x = next(
            (
                ch
                for ch in after
                if ch.dep_ == "xcomp"
                and any(t.dep_ == "aux" and t.lower_ == "to" for t in ch.children)
            ),
            None,
        )
        if x is not None:
            objs = [ch for ch in after if ch.dep_ in ("dobj", "dative") and ch.i < x.i]
            return _span([t for o in objs for t in o.subtree] + list(x.subtree)), "infinitive"
    if lemma in lex.predicative_verbs:
        obj = next((ch for ch in after if ch.dep_ == "dobj"), None)
        pred = next(
            (ch for ch in after if ch.dep_ == "oprd" or (ch.dep_ == "prep" and ch.lower_ == "as")),
            None,
        )
        if obj is not None and pred is not None and pred.i > obj.i:
            return _span(list(obj.subtree) + list(pred.subtree)), "predicative"
    return None, ""


def _nominal(n: Token, lex: Lexicon) -> Candidate | None:
    """ "X's claim that …", "a warning by X that …": the clause, said by the noun's owner."""
    clause = next(
        (
            ch
            for ch in n.children
            if ch.dep_ in ("acl", "ccomp", "appos")
            and ch.i > n.i
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in ch.children)
        ),
        None,
    )
    if clause is None:
        return None
    owner = next((ch for ch in n.children if ch.dep_ == "poss"), None)
    if owner is None:
        by = next(
            (ch for ch in n.children if ch.dep_ == "prep" and ch.lower_ in ("by", "from")), None
        )
        owner = next((ch for ch in by.children if ch.dep_ == "pobj"), None) if by else None
    if owner is None:
        return None  # an unowned "the claim that …" says nothing about who said it
    text = doc_text(n.doc)
    ps, pe = para_bounds(text, n.idx)
    s, e = _clause_span(clause, lex)
    s, e = trim(text, max(s, ps), min(e, pe), chars=_TRIM)
    if text[s:e].lower().startswith("that "):
        s += 5
    e = _close_open_mark(text, s, e)
    if len(text[s:e].split()) < 3:
        return None
    c = Candidate(s, e, "indirect", "nominal", cue=n.lemma_.lower(), cue_i=n.i, attributed=True)
    c.speaker_i = owner.i
    return c


def _according(v: Token, lex: Lexicon) -> Candidate | None:
    """ "according to X, CLAUSE" / "CLAUSE, according to X"."""
    to = next((ch for ch in v.children if ch.lower_ == "to"), None)
    if to is None:
        return None
    obj = next((ch for ch in to.children if ch.dep_ == "pobj"), None)
    head = v.head
    if obj is None or head.pos_ not in ("VERB", "AUX"):
        return None
    # The phrase qualifies the whole statement even when the parse hangs it on an embedded
    # verb ("X would see their incomes go up, according to Y"): climb to the main clause.
    while (
        head.dep_ in ("ccomp", "xcomp", "acomp")
        and head.head is not head
        and head.head.pos_ in ("VERB", "AUX")
        and not lex.is_cue(head.head.lemma_)
    ):
        head = head.head
    phrase = set(v.subtree)
    toks = sorted((t for t in head.subtree if t not in phrase), key=lambda t: t.i)
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()  # the sentence's final stop would stretch the span over the phrase
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    if not toks:
        return None
    text = doc_text(v.doc)
    ps, pe = para_bounds(text, v.idx)
    s, e = _span(toks)
    s, e = trim(text, max(s, ps), min(e, pe), chars=_TRIM + ".")
    # keep sentence-final punctuation out, but content that wraps the phrase stays whole
    if len(text[s:e].split()) < 3:
        return None
    c = Candidate(s, e, "indirect", "according", cue="according to", cue_i=v.i, attributed=True)
    c.speaker_i = obj.i
    return c
