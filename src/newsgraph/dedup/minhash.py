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


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the text's word 3-grams (fewer words: of all of them).

    Each word is hashed once (crc32, stable across processes and releases) and three
    neighbours are mixed arithmetically, vectorised: joining and hashing every 3-gram string
    in Python cost more than the rest of the signature.
    """
    # Word tokens drop punctuation and spacing, so folding case and form is all that's needed.
    words = _WORD.findall(fold_text(text))
    if not words:
        return np.empty(0, dtype=np.uint64)
    h = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    n = len(h) - SHINGLE + 1
    if n < 1:
        mixed = np.zeros(1, dtype=np.uint64)
        for k in range(len(h)):
            mixed = mixed * _MIX[k] + h[k : k + 1]
    else:
        mixed = np.zeros(n, dtype=np.uint64)
        for k in range(SHINGLE):
            mixed = mixed * _MIX[k] + h[k : k + n]  # wraps modulo 2**64, on purpose
    return np.unique((mixed ^ (mixed >> np.uint64(32))) & np.uint64(0xFFFFFFFF))


# Odd multipliers (from the golden ratio and murmur3) so word order matters within a 3-gram.
_MIX = [np.uint64(0x9E3779B1), np.uint64(0x85EBCA77), np.uint64(0xC2B2AE3D)]


def signature(text: str) -> list[int] | None:
    """MinHash hash values of the text's word shingles; None for text with no words."""
    hashes = shingle_hashes(text)
    if not len(hashes):
        return None
    # The shingles are hashed already: datasketch only applies its permutations.
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=int, permutations=_PERMUTATIONS)
    mh.update_batch(hashes.tolist())
    return [int(v) for v in mh.hashvalues]


def to_minhash(values: list[int]) -> MinHash:
    perms = _PERMUTATIONS if len(values) == NUM_PERM else None
    return MinHash(
        num_perm=len(values),
        hashvalues=np.asarray(values, dtype=np.uint64),
        permutations=perms,
        scheme=SCHEME,
    )
