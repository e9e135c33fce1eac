"""Quote extraction for one document: direct and reported speech with speakers."""

from __future__ import annotations

from spacy.tokens import Doc as SpacyDoc

from newsgraph.model import Document, Quote
from newsgraph.nlp import load_nlp

from .base import Candidate, TokIndex, doc_text
from .direct import DirectFinder, is_substantial, paragraphs
from .lexicon import Lexicon, load_lexicon
from .reported import find_reported
from .speakers import SpeakerResolver
from .turns import attribute_first_person, find_turns

# An unattributed quote right after attributed speech continues it (same speaker) when it
# starts within this many characters of the previous quote's end.
CONTEXT_CHARS = 500


def find_candidates(
    doc: Document, sdoc: SpacyDoc | None = None, mode: str | None = None
) -> list[Candidate]:
    """All quotes of ``doc`` as internal candidates (with cue token and speaker span).

    ``mode`` (default ``$NEWSGRAPH_QUOTES``, see :func:`newsgraph.parse_select.quotes_mode`):
    ``parse`` reads the dependency parse, ``rules`` word patterns on an NER-only doc
    (:mod:`newsgraph.quotes.rules`).
    """
    from newsgraph.parse_select import quotes_mode

    if quotes_mode(mode) == "rules":
        from .rules import find_candidates_rules

        return find_candidates_rules(doc, sdoc)
    text = doc.text
    if not text.strip():
        return []
    if sdoc is None:
        sdoc = load_nlp()(text)
    if doc_text(sdoc) != text:
        raise ValueError("spaCy doc does not match the document text")
    lex = load_lexicon()
    ti = TokIndex(sdoc)
    turns = find_turns(doc, sdoc, lex, paragraphs(text))
    direct = DirectFinder(text, sdoc, ti, lex, speaker_names(doc, sdoc, lex), turns).find()
    keep = [c for c in direct if c.attributed or is_substantial(c, text, sdoc, ti)]
    unique = combine(keep, find_reported(sdoc, lex, keep))
    resolver = SpeakerResolver(doc, sdoc, ti, lex)
    resolver.resolve(unique)
    attribute_first_person(doc, unique, resolver.antes, lex)
    _context_speakers(unique)
    return unique


def speaker_names(doc: Document, sdoc: SpacyDoc, lex: Lexicon) -> frozenset[str]:
    """Last words (lower case) of the names that can speak: known "Name:" turn labels."""
    return frozenset(
        [
            m.text.split()[-1].lower()
            for m in doc.mentions
            if m.text.split() and m.label in lex.speaker_types
        ]
        + [e[-1].lower_ for e in sdoc.ents if e.label_ in lex.speaker_types]
    )


def combine(direct: list[Candidate], reported: list[Candidate]) -> list[Candidate]:
    """Direct and reported candidates in text order, one per span. An unattributed quotation
    inside a reported clause is that clause's when it is (nearly) all of it ('“…” to end the
    crisis, he said'); a smaller one stays part of the clause ("said it was “dead”")."""
    reported = list(reported)
    kept = []
    for c in direct:
        host = (
            None
            if c.attributed
            else next((r for r in reported if r.start <= c.start and c.end <= r.end), None)
        )
        if host is None:
            kept.append(c)
        elif (c.end - c.start) >= 0.6 * (host.end - host.start):
            c.cue, c.cue_i, c.speaker_i, c.attributed = host.cue, host.cue_i, host.speaker_i, True
            if host.speaker_span is not None:
                c.speaker_span = host.speaker_span
            reported.remove(host)
            kept.append(c)
    seen: set[tuple[int, int]] = set()
    unique = []
    for c in sorted(kept + reported, key=lambda c: (c.start, -c.end)):
        if (c.start, c.end) not in seen:
            seen.add((c.start, c.end))
            unique.append(c)
    return unique


def _context_speakers(cands: list[Candidate]) -> None:
    """A standalone quote with no attribution continues the speech just before it."""
    prev: Candidate | None = None
    for c in cands:
        if (
            not c.attributed
            and c.kind == "direct"
            and prev is not None
            and 0 <= c.start - prev.end < CONTEXT_CHARS
        ):
            c.speaker, c.speaker_text = prev.speaker, prev.speaker_text
        if c.speaker_text is not None and c.end > (prev.end if prev else -1):
            prev = c
        elif prev is not None and c.end > prev.end and c.attributed:
            prev = None  # a quote with an unknown speaker breaks the chain


def extract_quotes(
    doc: Document, sdoc: SpacyDoc | None = None, mode: str | None = None
) -> Document:
    """Fill ``doc.quotes`` with the direct and reported quotes of ``doc.text``.

    ``sdoc`` is a parse of exactly ``doc.text`` if an earlier stage made one (saves the
    parse); otherwise the shared pipeline from :func:`newsgraph.nlp.load_nlp` runs here.
    The pipeline parses only what :func:`newsgraph.quotes.needs.needs_parse` asks for
    (:mod:`newsgraph.parse_select`); other sentences come untagged, as flat trees.
    Entity ids for speakers come from ``doc.mentions`` (run the entities stage first).
    ``mode``: ``parse`` or ``rules`` (no parse needed; ``sdoc`` may then be NER-only), default
    ``$NEWSGRAPH_QUOTES``.
    """
    text = doc.text
    doc.quotes = [
        Quote(
            start=c.start,
            end=c.end,
            text=text[c.start : c.end],
            kind=c.kind,  # type: ignore[arg-type]
            cue=c.cue,
            speaker=c.speaker,
            speaker_text=c.speaker_text,
        )
        for c in find_candidates(doc, sdoc, mode)
    ]
    return doc
