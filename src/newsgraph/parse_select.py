"""Parse only the sentences that later stages need.

The entities stage needs NER alone, which in the default model is about half the cost of the
full pipeline. Quotes and events need the dependency parse, but only around quotation marks,
cue verbs and event triggers, which most sentences of an article do not have. So:

1. NER runs over the whole text (what the entities stage uses, unchanged).
2. The text is cut into sentences cheaply (spaCy's rule-based sentencizer plus line breaks).
3. Each parse-hungry stage says which character spans it needs (``needs_parse`` in its own
   package); the sentences that overlap the union are selected.
4. Runs of selected sentences are parsed (tagger, parser, lemmatizer; not NER again) as
   separate spaCy docs in one ``nlp.pipe`` batch, and their annotations are written back into
   the whole-text doc. Unselected sentences keep no tags or lemmas and become flat trees (first
   token the root, label ``dep`` for the rest), so ``.sents``, ``token.sent`` and character
   offsets behave as on a full parse and every span stays an exact slice of ``doc.text``.

The stages therefore receive one spaCy ``Doc`` of exactly ``doc.text``, as before, with the NER
of the whole text and a parse wherever they look. ``NEWSGRAPH_PARSE=full`` (or ``mode="full"``)
selects the old whole-text parse, for comparison.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np
from spacy.attrs import DEP, HEAD, IS_PUNCT, IS_SPACE, LEMMA, MORPH, ORTH, POS, SPACY, TAG
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from newsgraph.model import Document
from newsgraph.nlp import load_nlp
from newsgraph.token_attrs import COMPONENTS, token_attrs

PARSE_ENV = "NEWSGRAPH_PARSE"
MODES = ("selective", "full")
# How quotes are found: over the dependency parse, or by word patterns on the NER-only doc
# (newsgraph.quotes.rules), which then needs no parse at all. "auto" (the default) reads the
# parse when another stage (events) pays for it anyway, and uses the patterns otherwise: the
# parse path is a little better (PolNeAR F1 +0.03) but costs +79% when quotes alone need it.
QUOTES_ENV = "NEWSGRAPH_QUOTES"
QUOTE_MODES = ("auto", "parse", "rules")
DEFAULT_QUOTE_MODE = "auto"
# Parsed attributes copied from a span's parse into the whole-text doc.
_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]

Span = tuple[int, int]  # character offsets into doc.text, end exclusive
NeedsFn = Callable[[Document, Sequence[Span]], list[Span]]


def parse_mode(mode: str | None = None) -> str:
    """``mode`` or ``$NEWSGRAPH_PARSE`` (default ``selective``)."""
    mode = mode or os.environ.get(PARSE_ENV) or "selective"
    if mode not in MODES:
        raise ValueError(f"{PARSE_ENV}={mode!r}; choose one of {MODES}")
    return mode


def quotes_mode(mode: str | None = None, stages: Sequence[str] | None = None) -> str:
    """``parse`` or ``rules``: ``mode`` or ``$NEWSGRAPH_QUOTES`` (default
    :data:`DEFAULT_QUOTE_MODE`); ``auto`` is ``parse`` when the ``stages`` run include events
    (or are not given), ``rules`` otherwise.

    Only the pipeline's ``annotate`` passes ``stages``; it then hands the resolved mode to
    :func:`needs_parse`, :func:`parse_for_stages` and ``extract_quotes`` alike, so what is
    parsed and how quotes are read always agree. Called without stages, as the library
    functions here do, ``auto`` is ``parse``."""
    mode = mode or os.environ.get(QUOTES_ENV) or DEFAULT_QUOTE_MODE
    if mode not in QUOTE_MODES:
        raise ValueError(f"{QUOTES_ENV}={mode!r}; choose one of {QUOTE_MODES}")
    if mode == "auto":
        return "parse" if stages is None or "events" in stages else "rules"
    return mode


def needs_parse(stages: Sequence[str], quotes: str | None = None) -> bool:
    """Do the ``stages`` need a dependency parse (events always; quotes in parse mode)?"""
    return "events" in stages or ("quotes" in stages and quotes_mode(quotes) == "parse")


@lru_cache(maxsize=1)
def _disabled() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Components to switch off for (NER only, the parse only)."""
    from newsgraph.entities.recognize import ner_only_disable

    nlp = load_nlp()
    ner_off = ner_only_disable(nlp)
    # The parse: every component NER-only skips, plus what they listen to (a shared tok2vec).
    listened = {
        name
        for name, pipe in nlp.pipeline
        if set(getattr(pipe, "listening_components", None) or []) & set(ner_off)
    }
    parse_off = tuple(n for n in nlp.pipe_names if n not in ner_off and n not in listened)
    return ner_off, parse_off


def ner_parse(text: str) -> Doc:
    """NER only over ``text`` (the pipeline the entities stage runs alone)."""
    return load_nlp()(text, disable=list(_disabled()[0]))


@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


def sentence_spans(sdoc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the sentences of an unparsed doc: punctuation rules and line breaks."""
    n = len(sdoc)
    if not n:
        return []
    # spaCy's Sentencizer.predict, over arrays: Token objects cost more than the rule itself
    cols = sdoc.to_array([ORTH, IS_PUNCT, IS_SPACE]).tolist()
    strings = sdoc.vocab.strings
    texts = [strings[r[0]] for r in cols]
    punct_chars = _sentencizer().punct_chars
    starts = [False] * n
    seen_period = False
    for i, t in enumerate(texts):
        in_chars = t in punct_chars
        if seen_period and not cols[i][1] and not in_chars:
            starts[i] = True
            seen_period = False
        elif in_chars:
            seen_period = True
    for i in range(1, n):
        if "\n" in texts[i - 1]:  # a token's trailing whitespace is one space at most
            starts[i] = True
    # line breaks end the sentence before them, as the parser attaches them
    for i in range(1, n):
        if starts[i] and cols[i][2]:
            starts[i] = False
            if i + 1 < n:
                starts[i + 1] = True
    starts[0] = True
    bounds = [i for i in range(n) if starts[i]] + [n]
    return list(pairwise(bounds))


def stage_needs(quotes: str | None = None) -> dict[str, NeedsFn]:
    """What each parse-hungry stage declares it needs parsed (quotes only in parse mode)."""
    from newsgraph.events.needs import needs_parse as events_needs
    from newsgraph.quotes.needs import needs_parse as quotes_needs

    if quotes_mode(quotes) == "rules":
        return {"events": events_needs}
    return {"quotes": quotes_needs, "events": events_needs}


def select_sentences(
    doc: Document,
    sdoc: Doc,
    stages: Sequence[str],
    sents: list[tuple[int, int]] | None = None,
    quotes: str | None = None,
) -> list[tuple[int, int]]:
    """Token ranges of the sentences that the ``stages`` need parsed (in order).

    ``sents``: :func:`sentence_spans` of ``sdoc``, if already computed; ``quotes``: the quote
    mode (:func:`quotes_mode`).
    """
    sents = sentence_spans(sdoc) if sents is None else sents
    chars = [(sdoc[a].idx, sdoc[b - 1].idx + len(sdoc[b - 1])) for a, b in sents]
    wanted: list[Span] = []
    for name, fn in stage_needs(quotes).items():
        if name in stages:
            wanted.extend(fn(doc, chars))
    if not wanted:
        return []
    # a sentence is needed if any wanted span overlaps it (both lists are short per document)
    marks = np.zeros(len(doc.text) + 1, dtype=np.int32)
    for s, e in wanted:
        s, e = max(0, s), min(len(doc.text), e)
        if e > s:
            marks[s] += 1
            marks[e] -= 1
    covered = np.cumsum(marks) > 0
    return [sents[k] for k, (s, e) in enumerate(chars) if e > s and covered[s:e].any()]


def _runs(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent token ranges merged, so neighbouring sentences are parsed together."""
    out: list[list[int]] = []
    for a, b in ranges:
        if out and out[-1][1] == a:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def parse_ranges(
    sdoc: Doc,
    ranges: list[tuple[int, int]],
    sents: list[tuple[int, int]] | None = None,
    *,
    batch_size: int = 64,
) -> Doc:
    """Write a parse of the token ``ranges`` into ``sdoc`` (in place) and return it.

    Each run of adjacent ranges is parsed as its own doc (NER is not run again: ``sdoc`` keeps
    its whole-text entities); every other sentence (``sents``, by default
    :func:`sentence_spans`) becomes a flat tree.
    """
    nlp = load_nlp()
    runs = _runs(ranges)
    arr = np.zeros((len(sdoc), len(_ATTRS)), dtype=np.uint64)
    dep_col, head_col = _ATTRS.index(DEP), _ATTRS.index(HEAD)
    root, flat = sdoc.vocab.strings.add("ROOT"), sdoc.vocab.strings.add("dep")
    # unparsed sentences first (as flat trees); parsed runs overwrite their rows
    for a, b in sentence_spans(sdoc) if sents is None else sents:
        arr[a, dep_col] = root
        arr[a + 1 : b, dep_col] = flat
        # HEAD is a relative offset, stored as uint64 the way spaCy does (two's complement)
        arr[a + 1 : b, head_col] = (a - np.arange(a + 1, b, dtype=np.int64)).astype(np.uint64)
    if runs:
        # plain token docs (words and spaces): much cheaper than Span.as_doc, and the
        # components run here read nothing else
        cols = sdoc.to_array([ORTH, SPACY])
        strings = sdoc.vocab.strings
        words = [strings[o] for o in cols[:, 0].tolist()]
        spaces = cols[:, 1].astype(bool).tolist()
        spans = [Doc(sdoc.vocab, words=words[a:b], spaces=spaces[a:b]) for a, b in runs]
        # POS, morphology and lemmas come from a cache of the same components' output
        off = [*_disabled()[1], *(n for n in COMPONENTS if n in nlp.pipe_names)]
        attrs = token_attrs(nlp)
        for (a, b), parsed in zip(
            runs, nlp.pipe(spans, batch_size=batch_size, disable=off), strict=True
        ):
            arr[a:b] = attrs(parsed).to_array(_ATTRS)
    sdoc.from_array(_ATTRS, arr)
    return sdoc


def parse_for_stages(
    doc: Document,
    stages: Sequence[str],
    sdoc: Doc | None = None,
    mode: str | None = None,
    quotes: str | None = None,
) -> Doc:
    """A spaCy doc of ``doc.text`` parsed where ``stages`` need it.

    ``sdoc`` is the NER-only doc of the same text, if there is one (it is reused and gains the
    parse in place). With ``mode="full"`` the whole text is parsed by the full pipeline.
    ``quotes``: the quote mode (:func:`quotes_mode`): in ``rules`` mode quotes ask for nothing.
    """
    if parse_mode(mode) == "full":
        return load_nlp()(doc.text)
    if sdoc is None:
        sdoc = ner_parse(doc.text)
    sents = sentence_spans(sdoc)
    return parse_ranges(sdoc, select_sentences(doc, sdoc, stages, sents, quotes), sents)
