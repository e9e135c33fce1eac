"""Named-entity recognition over ``Document.text`` with the shared spaCy pipeline.

Only the NER component (and whatever it listens to) runs: in ``en_core_web_sm`` the NER has
its own tok2vec, so tagger, parser, lemmatizer and the shared tok2vec are skipped; that roughly
halves the time against the full pipeline with identical entities (bench/ner.py).
Offsets are character offsets into the exact text given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.nlp import load_nlp


def _words(text: str) -> list[str]:
    return text.split()


# Labels that name things; numbers, dates and amounts are other stages' business.
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART",
     "LANGUAGE"}
)  # fmt: skip
PRONOUNS = frozenset(
    _words(
        """
        i me my mine we us our ours you your yours he him his she her hers it its they them
        their theirs this that these those who whom whose which what one
        """
    )
)
_STRIP_LEAD = ("the ", "The ", "THE ")
# Names that may hold a colon ("Star Wars: A New Hope"); in the others it ends the name.
_COLON_LABELS = frozenset({"WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
_POSS = ("'s", "’s", "'", "’")


@dataclass(frozen=True)
class RawMention:
    start: int
    end: int
    text: str
    label: str
    tok_start: int  # token index span in the spaCy doc, for context rules
    tok_end: int


def ner_only_disable(nlp: Language) -> tuple[str, ...]:
    """Components that NER does not need: everything but ``ner`` and what it listens to."""
    needed = {"ner"}
    for name, pipe in nlp.pipeline:
        listeners = getattr(pipe, "listening_components", None) or []
        if "ner" in listeners:
            needed.add(name)
    return tuple(n for n in nlp.pipe_names if n not in needed)


@lru_cache(maxsize=1)
def _nlp() -> tuple[Language, tuple[str, ...]]:
    nlp = load_nlp()
    return nlp, ner_only_disable(nlp)


def parse(texts: Iterable[str], *, batch_size: int = 32, full: bool = False) -> Iterator[Doc]:
    """spaCy docs for ``texts``: NER only unless ``full``."""
    nlp, disable = _nlp()
    yield from nlp.pipe(texts, batch_size=batch_size, disable=[] if full else list(disable))


def clean_span(text: str, ent: Span) -> RawMention | None:
    """A :class:`RawMention` for ``ent`` with "the", possessives and line breaks trimmed, or
    None for pronouns, numbers and empty remains. Offsets stay exact into ``text``."""
    if ent.label_ not in NAME_LABELS:
        return None
    start, end = ent.start_char, ent.end_char
    tok_start, tok_end = ent.start, ent.end
    surface = text[start:end]
    cut = surface.find("\n")
    if cut < 0 and ent.label_ not in _COLON_LABELS:
        cut = surface.find(":")  # "Kaja Tamm: Indeed, …": a transcript's speaker label
    if cut >= 0:  # a headline glued to the next line: keep the longer side
        left, right = surface[:cut].rstrip(), surface[cut + 1 :].lstrip()
        if len(right) > len(left):
            start = end - len(right)
        else:
            end = start + len(left)
        surface = text[start:end]
    for lead in _STRIP_LEAD:
        if surface.startswith(lead) and len(surface) > len(lead):
            start += len(lead)
            tok_start += 1
            surface = text[start:end]
    for p in _POSS:
        if surface.endswith(p) and len(surface) > len(p) + 1:
            end -= len(p)
            surface = text[start:end]
            break
    surface_stripped = surface.strip(" \t-–—,.;:\"“”‘’'()")
    if not surface_stripped:
        return None
    lead_ws = surface.find(surface_stripped)
    start += lead_ws
    end = start + len(surface_stripped)
    surface = surface_stripped
    if surface.lower() in PRONOUNS and not (surface.isupper() and len(surface) > 1):
        return None
    if not any(c.isalpha() for c in surface):
        return None
    return RawMention(start, end, surface, ent.label_, tok_start, max(tok_start + 1, tok_end))


def _split_lists(ent: Span) -> list[Span]:
    """ "Ivan Petrov, Petro Ivanenko" tagged as one name (any label but places): one span per
    comma-separated part of at most three capitalised words (a person's name has no comma;
    "Smith, Jr." keeps its suffix)."""
    if ent.label_ in ("GPE", "LOC") or not any(t.text == "," for t in ent):  # "Kharkiv, Ukraine"
        return [ent]
    parts, start = [], ent.start
    for t in ent:
        if t.text == ",":
            parts.append((start, t.i))
            start = t.i + 1
    parts.append((start, ent.end))
    spans = [Span(ent.doc, a, b, label=ent.label_) for a, b in parts if b > a]
    if any(not all(t.text[:1].isupper() for t in sp) or len(sp) > 3
           or sp.text.rstrip(".").lower() in {"jr", "sr"} for sp in spans):  # fmt: skip
        return [ent]
    return spans


_GLUED_LABELS = frozenset({"PERSON", "ORG", "FAC", "GPE", "LOC", "NORP"})


def _split_title_place(ent: Span) -> list[Span]:
    """ "President of Estonia Kaja Tamm", "Chancellor of Austria Jan Berger": the
    model often tags the place and the name after "<Title> of" as one name (PERSON, ORG,
    even FAC). When the span follows a capitalised title word and "of", starts with a known
    state, capital or organisation and ends in two or three capitalised words, it is the
    place and a person."""
    doc = ent.doc
    if ent.label_ not in _GLUED_LABELS or len(ent) < 3 or ent.start < 2:
        return [ent]
    of, title = doc[ent.start - 1], doc[ent.start - 2]
    if of.lower_ != "of" or not title.text[:1].isupper():
        return [ent]
    from newsgraph.entities.gazetteer import gazetteer

    g = gazetteer()
    for k in (1, 2, 3):
        rest = ent[k:]
        if len(rest) not in (2, 3):
            continue
        place = g.lookup(ent[:k].text)
        if place is None or place.kind not in ("country", "capital", "metonym", "org"):
            continue
        if not all(t.text[:1].isupper() and t.is_alpha for t in rest):
            continue
        head_label = "ORG" if place.kind == "org" else "GPE"
        return [
            Span(doc, ent.start, ent.start + k, label=head_label),
            Span(doc, ent.start + k, ent.end, label="PERSON"),
        ]
    return [ent]


def raw_mentions(sdoc: Doc) -> list[RawMention]:
    text = sdoc.text
    spans = [sp for e in sdoc.ents for part in _split_lists(e) for sp in _split_title_place(part)]
    return [m for m in (clean_span(text, e) for e in spans) if m is not None]
