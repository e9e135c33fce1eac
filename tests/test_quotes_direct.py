"""Direct quotes on constructed paragraphs: every mark style, dashes, splits, negatives."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsgraph.model import Document, Mention, Quote
from newsgraph.nlp import load_nlp
from newsgraph.quotes import extract_quotes


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_nlp()


def run(text: str) -> list[Quote]:
    doc = extract_quotes(Document(id="t", input="t", text=text))
    for q in doc.quotes:
        assert q.text == text[q.start : q.end]  # offsets are exact
    return doc.quotes


def direct(text: str) -> list[Quote]:
    return [q for q in run(text) if q.kind == "direct"]


@pytest.mark.parametrize(
    ("open_", "close"),
    [("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"), ("‘", "’"), ("‹", "›")],
)
def test_every_mark_style(nlp: Language, open_: str, close: str) -> None:
    text = f"{open_}We will not accept these demands,{close} Lavrov told reporters in Moscow."
    qs = direct(text)
    assert len(qs) == 1
    assert qs[0].text == "We will not accept these demands,"
    assert qs[0].cue == "tell"
    assert qs[0].speaker_text == "Lavrov"


def test_attribution_before_with_colon(nlp: Language) -> None:
    qs = direct("The minister said: “There is no alternative to the agreements.”")
    assert [q.text for q in qs] == ["There is no alternative to the agreements."]
    assert qs[0].cue == "say"


def test_inverted_said_name(nlp: Language) -> None:
    qs = direct("“We have deep concerns about these plans,” said Blinken.")
    assert qs[0].speaker_text == "Blinken" and qs[0].cue == "say"


def test_split_quote_joined_one_speaker(nlp: Language) -> None:
    text = "“The talks were useful,” Peskov said. “But nothing has been decided yet.”"
    qs = direct(text)
    assert len(qs) == 1
    assert qs[0].text.startswith("The talks were useful")
    assert qs[0].text.endswith("nothing has been decided yet.")
    assert qs[0].speaker_text == "Peskov"


def test_dash_introduced_speech(nlp: Language) -> None:
    text = (
        "Lavrov spoke after the meeting.\n\n"
        "– We are interested in solving the crisis together – said Lavrov. – Our partners "
        "want to help. We are ready for it.\n"
    )
    qs = direct(text)
    assert len(qs) == 1
    assert qs[0].text.startswith("We are interested in solving the crisis together")
    assert qs[0].text.endswith("We are ready for it.")
    assert qs[0].cue == "say" and qs[0].speaker_text == "Lavrov"


def test_dash_after_sentence_in_paragraph(nlp: Language) -> None:
    text = "Lavrov demanded an explanation from Blinken. – I am waiting for an answer – he said."
    m = [
        Mention(start=0, end=6, text="Lavrov", label="PERSON", entity="E:l"),
        Mention(start=36, end=43, text="Blinken", label="PERSON", entity="E:b"),
    ]
    qs = extract_quotes(Document(id="t", input="t", text=text, mentions=m)).quotes
    qs = [q for q in qs if q.kind == "direct"]
    assert [q.text for q in qs] == ["I am waiting for an answer"]
    assert qs[0].speaker_text == "Lavrov"


def test_multi_paragraph_quote(nlp: Language) -> None:
    text = (
        "Stoltenberg spoke in Brussels.\n\n"
        "“We want dialogue with Russia. We are ready to meet at any time.\n\n"
        "“But we will not compromise on the right of every nation to choose its path,” "
        "Stoltenberg said.\n"
    )
    qs = direct(text)
    assert len(qs) == 1
    assert qs[0].text.startswith("We want dialogue")
    assert qs[0].text.endswith("choose its path,")
    assert qs[0].speaker_text == "Stoltenberg"


def test_nested_quote_kept_inside(nlp: Language) -> None:
    text = "“They call it a ‘peace mission’ but it is an invasion,” Kuleba said."
    qs = direct(text)
    assert len(qs) == 1
    assert "‘peace mission’" in qs[0].text


def test_missing_closing_mark(nlp: Language) -> None:
    text = (
        "“The United States has a firm commitment to the sovereignty of Ukraine. "
        "All of our allies hold this view. Blinken told Kuleba during the talks.\n\n"
        "Other news followed."
    )
    qs = direct(text)
    assert len(qs) == 1
    assert qs[0].text.endswith("hold this view.")
    assert qs[0].speaker_text == "Blinken"


def test_stray_space_before_closing_mark(nlp: Language) -> None:
    text = "Stoltenberg said: “it is a cardinal principle for European security “. Next."
    qs = direct(text)
    assert qs and qs[0].text == "it is a cardinal principle for European security"


def test_name_colon_line(nlp: Language) -> None:
    text = (
        "Blinken met Lavrov in Stockholm on Thursday.\n"
        "  • Blinken: We are strongly committed to the sovereignty of Ukraine\n"
    )
    qs = direct(text)
    assert [q.text for q in qs] == ["We are strongly committed to the sovereignty of Ukraine"]
    assert qs[0].speaker_text == "Blinken"


@pytest.mark.parametrize(
    "text",
    [
        "He was referring to the meeting of the so-called “Normandy format” in Paris.",
        'He was referring to the meeting of the so-called "Normandy format" in Paris.',
        "NATO sees “room for improvement” in the proposals.",
        "Blinken called the discussion “serious” and “sober”.",
        "The minister used the phrase ‘strategic patience’ twice.",
        "Russia’s demands and the allies’ answers were published.",
        "The band played ‘Imagine’ at the end of the summit.",
    ],
)
def test_scare_quotes_titles_terms_are_not_quotes(nlp: Language, text: str) -> None:
    assert direct(text) == []


def test_partial_quote_belongs_to_reported_clause(nlp: Language) -> None:
    text = "Blinken said on Wednesday that the response “establishes a serious diplomatic path.”"
    qs = run(text)
    assert len(qs) == 1
    assert qs[0].kind == "indirect"
    assert qs[0].text == "the response “establishes a serious diplomatic path.”"
    assert qs[0].speaker_text == "Blinken"


def test_long_unattributed_quote_takes_previous_speaker(nlp: Language) -> None:
    text = (
        "Blinken said that the decision was up to Russia. "
        "“We hope that Moscow will evaluate the proposals carefully. We are ready in any case”. "
        "He left for Berlin."
    )
    qs = run(text)
    d = [q for q in qs if q.kind == "direct"]
    assert len(d) == 1 and d[0].cue is None
    assert d[0].speaker_text == "Blinken"


def test_signed_quote_takes_the_name_after_the_dash() -> None:
    text = (
        "Readers shared their views after the debate.\n\n"
        "“Tonight showed the candidate for who he really is. If he is elected, then this "
        "country has the president it deserves.” ― Martha Aguilar\n\n"
        "“We are ready to talk,” said Marek Blum. – We want a diplomatic solution."
    )
    qs = extract_quotes(Document(id="t", input="t", text=text)).quotes
    signed = [q for q in qs if q.text.startswith("Tonight")]
    assert len(signed) == 1
    assert signed[0].text.endswith("it deserves.")
    assert signed[0].speaker_text == "Martha Aguilar" and signed[0].cue is None
    # a dash after "said X." continues the speech: it is not a signature
    rest = [q for q in qs if "ready to talk" in q.text]
    assert len(rest) == 1 and rest[0].cue == "say" and "diplomatic solution" in rest[0].text
