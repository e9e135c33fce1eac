"""Language identification: the minimum-letters rule and the languages of clear texts."""

from __future__ import annotations

import pytest

from newsgraph.clean.language import _MIN_CHARS, _SAMPLE, detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The minister said on Monday that talks with the delegation would go on.", "en"),
        ("Der Minister sagte am Montag, die Gespräche mit der Delegation gingen weiter.", "de"),
        ("Le ministre a déclaré lundi que les discussions avec la délégation vont durer.", "fr"),
        ("Министр заявил в понедельник, что переговоры с делегацией продолжатся.", "ru"),
    ],
)
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
