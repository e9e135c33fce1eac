"""Language identification with py3langid, whose model ships inside its wheel (no download)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import islice
from typing import Any

import numpy as np
from py3langid.langid import RAW_FLOOR, LanguageIdentifier

# A few hundred characters identify a language reliably; more only costs time.
_SAMPLE = 600
_MIN_CHARS = 20
_LETTERS = re.compile(r"[^\W\d_]")


# Bits of a walk-table entry that hold the feature (+1) a state emits; the rest is the next
# state's row offset.
_FEATURE_BITS = 20


class _TableWalkIdentifier(LanguageIdentifier):
    """py3langid's identifier with its feature walk over one flat table.

    py3langid finds its byte n-gram features by walking a DFA over the UTF-8 bytes, one
    Python step per byte through three tables (row offset of the state, next state, feature
    of the state): after trafilatura has filled the CPU caches, each lookup is a cache miss.
    Here one table, indexed like py3langid's next-state table, holds for each transition the
    next state's row offset and the feature it emits, so a step is one lookup. Same states,
    same features in the same order: the counts, scores and decisions are py3langid's own
    (``tests/test_clean_language.py`` compares them on many texts).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.tk_nextmove.itemsize != 4 or max(self.tk_output) + 1 >= 1 << _FEATURE_BITS:
            raise ValueError("py3langid model layout changed; update _TableWalkIdentifier")
        nextmove = np.frombuffer(self.tk_nextmove, dtype=np.uint32)
        rowbase = np.asarray(self._rowbase, dtype=np.int64)
        output = np.asarray(self.tk_output, dtype=np.int64) + 1
        table = np.empty(len(nextmove), dtype=np.int64)
        step = 1 << 20  # in slices: no full-size temporaries (peak memory)
        for i in range(0, len(nextmove), step):
            nxt = nextmove[i : i + step]
            table[i : i + step] = (rowbase[nxt] << _FEATURE_BITS) | output[nxt]
        self._walk = memoryview(table)  # indexing a memoryview gives plain ints, quickly
        self._walk_start = int(rowbase[0])
        self.tk_nextmove = None  # only the walk used it: free 39 MB

    def _raw_score(self, text: bytes) -> np.ndarray:  # overrides py3langid 0.4.0
        walk, state, mask = self._walk, self._walk_start, (1 << _FEATURE_BITS) - 1
        features: list[int] = []
        append = features.append
        for byte in text:
            entry = walk[state + byte]
            state = entry >> _FEATURE_BITS
            if entry & mask:
                append((entry & mask) - 1)
        if features:
            return self._sparse_score(Counter(features), self.nb_ptc)
        fill = 0.0 if self._norm_probs else RAW_FLOOR
        return np.full(len(self.nb_classes), fill, dtype=np.float32)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE

    return _TableWalkIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    sample = text[:_SAMPLE]
    # Stop counting letters at the minimum rather than listing every one.
    if next(islice(_LETTERS.finditer(sample), _MIN_CHARS - 1, None), None) is None:
        return None
    lang, prob = _identifier().classify(sample)
    return lang if prob >= 0.5 else None
