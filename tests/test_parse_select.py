"""Selective parsing: only what quotes and events need is parsed, and they find the same."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from newsgraph.clean.document import clean_item
from newsgraph.events.needs import trigger_forms
from newsgraph.ingest import read_inputs
from newsgraph.model import Document
from newsgraph.nlp import load_nlp, word_forms
from newsgraph.parse_select import (
    PARSE_ENV,
    ner_parse,
    parse_for_stages,
    parse_mode,
    select_sentences,
    sentence_spans,
)
from newsgraph.pipeline import annotate
from newsgraph.quotes.needs import cue_forms
from newsgraph.token_attrs import TokenAttrs

SAMPLE = Path(__file__).resolve().parents[1] / "sample"

# Invented paragraphs: every quote form whose context crosses sentences or paragraphs, with
# filler sentences that no stage needs between them.
FILLER = "The weather was cold and grey.\n"
CONSTRUCTED = {
    "multi_paragraph": FILLER
    + "“We will not accept this plan. It is dangerous for everyone.\n"
    + "“Our position has not changed at all,” Maria Keller said on Tuesday.\n"
    + FILLER,
    "split": FILLER + "“The moment has come,” the minister said. “We are going home.”\n" + FILLER,
    "pronoun": FILLER
    + "Peter Hansen, the foreign minister, spoke to reporters at noon. "
    + "“Nothing is decided yet,” he added.\n"
    + FILLER,
    "dash": FILLER + "– Let me emphasize that we are ready for dialogue – said Hansen.\n" + FILLER,
}


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    load_nlp()


def _run(doc: Document, mode: str, monkeypatch: pytest.MonkeyPatch) -> Document:
    monkeypatch.setenv(PARSE_ENV, mode)
    return annotate(doc.model_copy(deep=True))


def _names(doc: Document) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in doc.mentions:
        out.setdefault(m.entity or "", m.text)
    return out


def _quotes(doc: Document) -> set[tuple[Any, ...]]:
    return {(q.start, q.end, q.kind, q.cue, q.speaker_text) for q in doc.quotes}


def _events(doc: Document) -> set[tuple[Any, ...]]:
    # entity keys are numbered per document: compare actors by their first mention's text
    names = _names(doc)
    return {
        (e.type, e.start, e.end, e.status, e.date, names.get(e.source or ""),
         names.get(e.target or ""))
        for e in doc.events
    }  # fmt: skip


def _assert_exact_slices(doc: Document) -> None:
    text = doc.text
    for q in doc.quotes:
        assert text[q.start : q.end] == q.text
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text
    for e in doc.events:
        assert 0 <= e.start < e.end <= len(text)


def _seed_docs() -> list[Document]:
    docs = []
    for path in sorted(SAMPLE.iterdir()):
        for raw in read_inputs([str(path)]):
            doc = clean_item(raw)
            if isinstance(doc, Document):
                docs.append(doc)
    return docs


def test_parse_mode_default_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PARSE_ENV, raising=False)
    assert parse_mode() == "selective"
    monkeypatch.setenv(PARSE_ENV, "full")
    assert parse_mode() == "full"
    monkeypatch.setenv(PARSE_ENV, "everything")
    with pytest.raises(ValueError, match="NEWSGRAPH_PARSE"):
        parse_mode()


def test_word_forms_cover_inflections() -> None:
    verbs = word_forms(frozenset({"say", "tell", "admit", "deny", "meet"}), "verb")
    for form in ("says", "said", "saying", "told", "admitted", "admits", "denied", "denies",
                 "met", "meeting"):  # fmt: skip
        assert form in verbs
    assert {"crises", "talks"} <= word_forms(frozenset({"crisis", "talk"}), "noun")
    assert {"said", "added", "according"} <= cue_forms() | {"according"}
    assert "said" in cue_forms() and "warned" in cue_forms()
    assert "sanctions" in trigger_forms()
    assert "weather" not in cue_forms() | trigger_forms()


def test_sentences_partition_tokens_and_never_start_on_a_line_break() -> None:
    text = "First line here. Second one!\n\nA new paragraph.\nLast line"
    sdoc = ner_parse(text)
    spans = sentence_spans(sdoc)
    assert spans[0][0] == 0 and spans[-1][1] == len(sdoc)
    assert all(a < b for a, b in spans)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(spans))
    assert not any(sdoc[a].is_space for a, _ in spans)
    assert [sdoc[a].text for a, _ in spans] == ["First", "Second", "A", "Last"]


def test_token_attrs_equal_the_real_components() -> None:
    nlp = load_nlp()
    text = (
        "There is no doubt that they're gonna say it, and y'all know it. Let's go! "
        "He ain't here; she wanna leave. The ministers met in Geneva on Monday and said "
        "talks were held. There are many issues."
    )
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
    cached = TokenAttrs(nlp)
    for _ in range(2):  # the second pass is served from the cache
        got = cached(nlp(text, disable=["attribute_ruler", "lemmatizer", "ner"]))
        want = nlp(text)
        assert (got.to_array(attrs) == want.to_array(attrs)).all()
    assert cached.cache


def test_parse_keeps_text_entities_and_skips_unneeded_sentences() -> None:
    text = CONSTRUCTED["pronoun"] + "Traffic moved slowly past the old town hall.\n"
    doc = Document(id="t", input="t", text=text)
    ner = ner_parse(text)
    ents = [(e.start_char, e.end_char, e.label_) for e in ner.ents]
    selected = select_sentences(doc, ner, ["quotes", "events"])
    assert 0 < len(selected) < len(sentence_spans(ner))
    sdoc = parse_for_stages(doc, ["quotes", "events"], ner)
    assert sdoc.text == text
    assert [(e.start_char, e.end_char, e.label_) for e in sdoc.ents] == ents
    picked = {i for a, b in selected for i in range(a, b)}
    for tok in sdoc:
        if tok.is_space:
            continue
        # parsed where needed, bare (no tag, no lemma) elsewhere, a tree everywhere
        assert bool(tok.tag_) == (tok.i in picked), tok.text
        assert tok.sent.start <= tok.i < tok.sent.end
    # the line break closes the sentence before it, as in a full parse
    assert next(s.text for s in sdoc.sents) == "The weather was cold and grey.\n"


@pytest.mark.parametrize("name", sorted(CONSTRUCTED))
def test_constructed_quotes_same_as_full_parse(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = Document(id=name, input=name, text=CONSTRUCTED[name])
    full, selective = _run(doc, "full", monkeypatch), _run(doc, "selective", monkeypatch)
    _assert_exact_slices(selective)
    assert _quotes(selective) == _quotes(full)
    assert _events(selective) == _events(full)
    quotes = selective.quotes
    assert quotes, name
    speakers = {q.speaker_text for q in quotes}
    expected = {
        "multi_paragraph": "Maria Keller",
        "split": "the minister",
        "pronoun": "Peter Hansen",
        "dash": "Hansen",
    }[name]
    assert expected in speakers
    if name == "multi_paragraph":  # one quote over both paragraphs
        assert any("\n" in q.text and "dangerous" in q.text for q in quotes)
    if name == "split":  # joined around the attribution into one quote
        assert len(quotes) == 1 and "going home" in quotes[0].text
    if name == "pronoun":  # "he" resolved to the named entity, not kept as text
        assert any(q.speaker is not None and q.cue == "add" for q in quotes)


def test_seeds_same_quotes_and_events_as_full_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _seed_docs()
    assert len(docs) == 5
    total_q = total_e = 0
    for doc in docs:
        full, selective = _run(doc, "full", monkeypatch), _run(doc, "selective", monkeypatch)
        _assert_exact_slices(selective)
        assert _quotes(selective) == _quotes(full), doc.input
        assert _events(selective) == _events(full), doc.input
        total_q += len(selective.quotes)
        total_e += len(selective.events)
    assert total_q > 50 and total_e > 20


def test_library_calls_parse_what_the_quote_path_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the pipeline's stages, parse_for_stages(…, ["quotes"]) and extract_quotes take
    the same (parse) path: the selective parse then gives the full parse's quotes."""
    from newsgraph.entities import annotate_entities
    from newsgraph.parse_select import QUOTES_ENV
    from newsgraph.quotes import extract_quotes

    monkeypatch.delenv(QUOTES_ENV, raising=False)
    doc = _seed_docs()[4]
    ner = ner_parse(doc.text)
    doc = annotate_entities(doc, ner)
    selective = extract_quotes(doc.model_copy(deep=True), parse_for_stages(doc, ["quotes"], ner))
    full = extract_quotes(doc.model_copy(deep=True), parse_for_stages(doc, ["quotes"], mode="full"))
    assert len(selective.quotes) > 10
    assert _quotes(selective) == _quotes(full)


@pytest.mark.parametrize("text", ["", "  \n ", "The weather was cold and grey.\nRain fell."])
def test_nothing_needed_parses_nothing_and_the_stages_still_run(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = Document(id="n", input="n", text=text)
    ner = ner_parse(text)
    assert select_sentences(doc, ner, ["quotes", "events"]) == []
    sdoc = parse_for_stages(doc, ["quotes", "events"], ner)
    assert sdoc.text == text
    assert not any(t.tag_ or t.lemma_ for t in sdoc)
    out = _run(doc, "selective", monkeypatch)
    assert out.quotes == [] and out.events == []
