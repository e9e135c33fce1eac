"""Grouping the same statement across outlets and translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.model import Document, Quote
from newsgraph.quotes import extract_quotes, group_quotes
from newsgraph.quotes.grouping import TEXT_THRESHOLD, similarity

SEEDS = Path(__file__).resolve().parents[1] / "sample"  # the seeds, bundled


def q(text: str, speaker_text: str | None, speaker: str | None = None) -> Quote:
    return Quote(
        start=0,
        end=len(text),
        text=text,
        kind="direct",
        cue="say",
        speaker=speaker,
        speaker_text=speaker_text,
    )


# Translations of one statement (different outlets) vs different statements of one speaker.
SAME = [
    (
        "the US response establishes “a serious diplomatic channel if Russia so wishes”",
        "the US written response to Russia “establishes a serious diplomatic path if Russia "
        "chooses it.”",
    ),
    (
        "We are strongly and decisively committed to the sovereignty and territorial integrity "
        "of Ukraine",
        "The United States has a firm commitment to territorial integrity, sovereignty, and "
        "independence from Ukraine",
    ),
]
DIFFERENT = [
    (
        "We prefer diplomacy, we are ready for dialogue and to move forward where communication "
        "is possible",
        "We hope that Moscow will evaluate carefully. It is up to Russia to answer, we are ready "
        "in any case",
    ),
    (
        "There is no change. There will be no change,",
        "the US written response to Russia establishes a serious diplomatic path",
    ),
    ("We are ready for it.", "We are ready in any case."),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_translations_score_above_threshold(a: str, b: str) -> None:
    assert similarity(a, b) >= TEXT_THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_statements_score_below_threshold(a: str, b: str) -> None:
    assert similarity(a, b) < TEXT_THRESHOLD


def test_group_by_speaker_and_text() -> None:
    a, b = SAME[0]
    items = [
        ("doc1", q(a, "Blinken")),
        ("doc2", q(b, "Antony Blinken")),
        ("doc3", q(b, "Lavrov")),  # same words, other speaker: another statement
        ("doc4", q(DIFFERENT[0][0], "Blinken")),
    ]
    groups = group_quotes(items)
    assert len(groups) == 3
    top = groups[0]
    assert top.documents == ["doc1", "doc2"]
    assert top.text == b  # the longest version represents the group


def test_transliterated_surnames_match() -> None:
    a, b = SAME[1]
    groups = group_quotes([("d1", q(a, "Blinken")), ("d2", q(b, "Brinken"))])
    assert len(groups) == 1


def test_same_document_never_merged() -> None:
    a, b = SAME[0]
    assert len(group_quotes([("d1", q(a, "Blinken")), ("d1", q(b, "Blinken"))])) == 2


def test_global_entity_ids_decide() -> None:
    a, b = SAME[0]
    g = group_quotes([("d1", q(a, "Blinken", "Q1")), ("d2", q(b, "Blinken", "Q2"))])
    assert len(g) == 2


def test_order_independent() -> None:
    a, b = SAME[0]
    items = [
        ("d2", q(b, "Blinken")),
        ("d1", q(a, "Blinken")),
        ("d3", q("Unrelated words about the weather in Geneva today", "Blinken")),
    ]
    g1 = group_quotes(items)
    g2 = group_quotes(list(reversed(items)))
    assert [x.documents for x in g1] == [x.documents for x in g2]


def test_seed_articles_share_a_blinken_statement() -> None:
    items = []
    for name in ("002_93e88e4b70d85a76.txt", "003_5e6bac093bbd0041.txt"):
        text = (SEEDS / name).read_text("utf-8")
        doc = extract_quotes(Document(id=name[:3], input=name, text=text))
        items += [(doc.id, x) for x in doc.quotes]
    groups = [g for g in group_quotes(items) if len(g.documents) > 1]
    assert any("Blinken" in (g.speaker_text or "") and "diplomatic" in g.text for g in groups)
