"""Language identification: the minimum-letters rule, clear texts, and the table walk giving
py3langid's own scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.clean.language import _MIN_CHARS, _SAMPLE, detect_language

SAMPLE = Path(__file__).resolve().parent.parent / "sample"
CLEAR = [
    ("The minister said on Monday that talks with the delegation would go on.", "en"),
    ("Der Minister sagte am Montag, die Gespräche mit der Delegation gingen weiter.", "de"),
    ("Le ministre a déclaré lundi que les discussions avec la délégation vont durer.", "fr"),
    ("Министр заявил в понедельник, что переговоры с делегацией продолжатся.", "ru"),
]
MULTILINGUAL = [
    *(text for text, _ in CLEAR),
    "Il ministro ha detto lunedì che i colloqui con la delegazione continueranno.",
    "El ministro dijo el lunes que las conversaciones con la delegación continuarán.",
    "Minister powiedział w poniedziałek, że rozmowy z delegacją będą kontynuowane.",
    "وقال الوزير يوم الاثنين إن المحادثات مع الوفد ستستمر",
    "部长周一表示，与代表团的会谈将继续进行。",
]


@pytest.mark.parametrize(("text", "lang"), CLEAR)
def test_clear_texts(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_too_few_letters_is_no_language() -> None:
    english = "We will meet on Monday in the capital for talks. "
    assert detect_language(english) == "en"
    # Digits, punctuation and underscores are not letters: below the minimum, no answer.
    letters = "".join(c for c in english if c.isalpha())[: _MIN_CHARS - 1]
    assert detect_language(letters + " 123_456, 789!" * 5) is None


def test_only_the_sample_is_read() -> None:
    # Letters past the sample do not count toward the minimum.
    assert detect_language("1 " * _SAMPLE + "Talks will go on next week in the capital.") is None


def test_table_walk_gives_py3langid_own_scores() -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from newsgraph.clean.language import _identifier

    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ours = _identifier()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    assert seeds, "the bundled sample is missing"
    texts = [*seeds, *MULTILINGUAL, "", " ", "a", "\x00\x01 \ufffd", "日本語のテキストです。"]
    for text in texts:
        for sample in (text[:_SAMPLE], text[:80], text[_SAMPLE : 2 * _SAMPLE], text):
            # Every class's probability, bit for bit, not only the winner.
            assert ours.rank(sample) == plain.rank(sample), sample[:40]
            assert ours.classify(sample) == plain.classify(sample)
