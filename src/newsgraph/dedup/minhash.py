"""MinHash signatures of document text (per document, so it runs in the worker processes)."""

from __future__ import annotations

import re
import zlib

import numpy as np
from datasketch import MinHash

from newsgraph.ids import fold_text

NUM_PERM = 128
SCHEME = "affine32"  # fixed so stored signatures stay comparable across datasketch releases
SHINGLE = 3  # word 3-grams: short enough to survive small edits, long enough to be specific
_WORD = re.compile(r"\w+")
# Generating the permutations costs as much as hashing a page: build them once per process.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def shingles(text: str) -> set[bytes]:
    # Word tokens drop punctuation and spacing, so folding case and form is all that's needed.
    words = _WORD.findall(fold_text(text))
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> list[int] | None:
    """MinHash hash values of the text's word shingles; None for text with no words."""
    grams = shingles(text)
    if not grams:
        return None
    # crc32 is a stable 32-bit hash (what affine32 expects) at half the cost of sha1.
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=zlib.crc32, permutations=_PERMUTATIONS)
    mh.update_batch(list(grams))
    return [int(v) for v in mh.hashvalues]


def to_minhash(values: list[int]) -> MinHash:
    perms = _PERMUTATIONS if len(values) == NUM_PERM else None
    return MinHash(
        num_perm=len(values),
        hashvalues=np.asarray(values, dtype=np.uint64),
        permutations=perms,
        scheme=SCHEME,
    )
