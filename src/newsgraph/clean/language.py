"""Language identification with py3langid, whose model ships inside its wheel (no download)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

# A few hundred characters identify a language reliably; more only costs time.
_SAMPLE = 600
_MIN_CHARS = 20
_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    sample = text[:_SAMPLE]
    # Stop counting letters at the minimum rather than listing every one.
    if next(islice(_LETTERS.finditer(sample), _MIN_CHARS - 1, None), None) is None:
        return None
    lang, prob = _identifier().classify(sample)
    return lang if prob >= 0.5 else None
