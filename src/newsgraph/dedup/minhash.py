"""MinHash signatures of document text (per document, so it runs in the worker processes).

The signature is datasketch's ``affine32`` MinHash (its permutations for seed 1, the scheme
the dedup index and the stored signatures use), applied here with numpy directly: the same
arithmetic on the same parameters gives the same values, without a Python call per shingle.
``tests/test_minhash.py`` checks the values against datasketch's own ``update_batch``.
"""

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
_A = np.ascontiguousarray(_PERMUTATIONS[0], dtype=np.uint32)
_B = np.ascontiguousarray(_PERMUTATIONS[1], dtype=np.uint32)
_MAX32 = np.uint32(0xFFFFFFFF)
_BLOCK = 4096  # shingles per block: bounds the permutations × shingles matrix (2 MB)

# Word tokens without a regex: in the UTF-8 bytes every non-word character becomes a space,
# then bytes.split(). Non-ASCII characters are checked one distinct character at a time with
# the regex itself, so the tokens are exactly the \w+ runs (a UTF-8 encoded character never
# occurs inside another's encoding, so replacing one cannot touch the rest).
_NON_WORD_ASCII = bytes(c for c in range(128) if not _WORD.fullmatch(chr(c)))
_TO_SPACE = bytes.maketrans(_NON_WORD_ASCII, b" " * len(_NON_WORD_ASCII))
# Past this many distinct non-ASCII characters (CJK text) the regex is as quick.
_MAX_DISTINCT = 300


def _words(folded: str) -> list[bytes]:
    """UTF-8 bytes of the \\w+ tokens of ``folded``, in order."""
    data = folded.encode("utf-8", "surrogatepass")
    if not data.isascii():
        others = [c for c in set(folded) if c > "\x7f"]
        if len(others) > _MAX_DISTINCT:
            return [w.encode() for w in _WORD.findall(folded)]
        for c in others:
            if not _WORD.fullmatch(c):
                data = data.replace(c.encode("utf-8", "surrogatepass"), b" ")
    return data.translate(_TO_SPACE).split()


def shingle_hashes(text: str, *, folded: str | None = None) -> np.ndarray:
    """Distinct 32-bit hashes of the text's word 3-grams (fewer words: of all of them).

    Each word is hashed once (crc32, stable across processes and releases) and three
    neighbours are mixed arithmetically, vectorised: joining and hashing every 3-gram string
    in Python cost more than the rest of the signature. ``folded`` is ``fold_text(text)`` when
    the caller has it already.
    """
    return np.unique(_shingles(fold_text(text) if folded is None else folded))


def _shingles(folded: str) -> np.ndarray:
    """The 3-gram hashes of ``shingle_hashes`` in text order, repeats included (a minimum
    does not need them removed, and sorting them out cost as much as the signature)."""
    # Word tokens drop punctuation and spacing, so folding case and form is all that's needed.
    words = _words(folded)
    if not words:
        return np.empty(0, dtype=np.uint64)
    h = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    n = len(h) - SHINGLE + 1
    if n < 1:
        mixed = np.zeros(1, dtype=np.uint64)
        for k in range(len(h)):
            mixed = mixed * _MIX[k] + h[k : k + 1]
    else:
        mixed = np.zeros(n, dtype=np.uint64)
        for k in range(SHINGLE):
            mixed = mixed * _MIX[k] + h[k : k + n]  # wraps modulo 2**64, on purpose
    return (mixed ^ (mixed >> np.uint64(32))) & np.uint64(0xFFFFFFFF)


# Odd multipliers (from the golden ratio and murmur3) so word order matters within a 3-gram.
_MIX = [np.uint64(0x9E3779B1), np.uint64(0x85EBCA77), np.uint64(0xC2B2AE3D)]


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch's affine schemes apply first."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def minhash_values(hashes: np.ndarray) -> np.ndarray:
    """The ``affine32`` MinHash values (uint32) of a set of 32-bit hashes: for each
    permutation, min over the set of ``a * fmix32(h) + b`` modulo 2**32."""
    hv = _fmix32(hashes.astype(np.uint32))
    out = np.full(NUM_PERM, _MAX32, dtype=np.uint32)
    for start in range(0, len(hv), _BLOCK):
        block = np.multiply.outer(_A, hv[start : start + _BLOCK])  # uint32, wraps on purpose
        block += _B[:, None]
        np.minimum(out, block.min(axis=1), out=out)
    return out


def signature(text: str, *, folded: str | None = None) -> list[int] | None:
    """MinHash hash values of the text's word shingles; None for text with no words."""
    hashes = _shingles(fold_text(text) if folded is None else folded)
    if not len(hashes):
        return None
    return minhash_values(hashes).tolist()


def to_minhash(values: list[int]) -> MinHash:
    perms = _PERMUTATIONS if len(values) == NUM_PERM else None
    return MinHash(
        num_perm=len(values),
        hashvalues=np.asarray(values, dtype=np.uint64),
        permutations=perms,
        scheme=SCHEME,
    )
