"""The fast duplicate fingerprints equal the straightforward definitions they replace.

Stored signatures and content hashes from earlier runs are compared with new ones, so these
must never drift: the MinHash is checked against datasketch's own ``update_batch`` over
3-gram hashes computed the slow, obvious way (regex words, Python integer arithmetic), and
the content hash against ``newsgraph.ids.text_hash``.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from datasketch import MinHash

from newsgraph.dedup import minhash
from newsgraph.dedup.fingerprint import fingerprints
from newsgraph.ids import fold_text, text_hash

SAMPLE = Path(__file__).resolve().parent.parent / "sample"

# Text shapes that take different paths: ASCII, typographic punctuation, accented words,
# non-word non-ASCII symbols, combining marks, digits and underscores, Cyrillic, CJK with more
# distinct characters than the fast tokenizer handles, Unicode spaces, very short texts.
EDGE_TEXTS = [
    "",
    "word",
    "two words",
    "exactly three words",
    "The minister said: “We will meet again” – on Monday… (Reuters)",
    "Über die Straße gehen Müller & Söhne; naïve café façade. ÉTÉ ﬁnal",
    "Preis: 5 €, 10 £ · 3 ¥ → 7 × 2 ± 1 © 2024 ® ™ ° § ¶ † ‡",
    "e\u0301te\u0301 cafe\u0301 — combining marks split words",
    "snake_case_name and x2 and 3rd and ²³ and ½ and Ⅻ",
    "Президент заявил, что переговоры продолжатся в понедельник.",
    "".join(chr(0x4E00 + i) for i in range(400)) + " 中文 测试",
    "tab\tnew\nline\u00a0nbsp\u2009thin\u3000ideographic\u2028sep",
    "İstanbul ıslak ǅemal ß straße",
]


def _texts() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    assert seeds, "the bundled sample is missing"
    return seeds + EDGE_TEXTS


def _slow_shingles(text: str) -> list[int]:
    """3-gram hashes the obvious way: regex words, crc32 each, mix with Python integers."""
    words = re.findall(r"\w+", fold_text(text))
    h = [zlib.crc32(w.encode()) for w in words]
    mask = 2**64 - 1
    mul = [int(m) for m in minhash._MIX]
    grams = [h[i : i + minhash.SHINGLE] for i in range(len(h) - minhash.SHINGLE + 1)] or [h]
    out = set()
    for gram in grams:
        mixed = 0
        for k, value in enumerate(gram):
            mixed = (mixed * mul[k] + value) & mask
        out.add((mixed ^ (mixed >> 32)) & 0xFFFFFFFF)
    return sorted(out) if h else []


def _datasketch_signature(text: str) -> list[int] | None:
    shingles = _slow_shingles(text)
    if not shingles:
        return None
    mh = MinHash(
        num_perm=minhash.NUM_PERM,
        scheme=minhash.SCHEME,
        hashfunc=int,
        permutations=minhash._PERMUTATIONS,
    )
    mh.update_batch(shingles)
    return [int(v) for v in mh.hashvalues]


@pytest.mark.parametrize("text", _texts())
def test_signature_equals_datasketch(text: str) -> None:
    assert minhash.signature(text) == _datasketch_signature(text)


@pytest.mark.parametrize("text", _texts())
def test_shingle_hashes_equal_the_slow_definition(text: str) -> None:
    assert minhash.shingle_hashes(text).tolist() == _slow_shingles(text)


@pytest.mark.parametrize("text", _texts())
def test_fingerprints_equal_text_hash_and_signature(text: str) -> None:
    content_hash, signature = fingerprints(text)
    assert content_hash == text_hash(text)
    assert signature == minhash.signature(text)


def test_fast_words_equal_regex_words() -> None:
    for text in _texts():
        folded = fold_text(text)
        expected = [w.encode() for w in re.findall(r"\w+", folded)]
        assert minhash._words(folded) == expected, text[:40]


def test_many_shingles_span_several_blocks() -> None:
    # More distinct shingles than one block of the permutation matrix holds.
    text = " ".join(f"w{i}" for i in range(3 * minhash._BLOCK + 17))
    assert minhash.signature(text) == _datasketch_signature(text)


def test_near_copies_stay_similar_and_different_texts_do_not() -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    copy = "Breaking news header\n" + seeds[0] + "\nShare this story on social media"
    same = minhash.to_minhash(minhash.signature(seeds[0]))
    assert same.jaccard(minhash.to_minhash(minhash.signature(copy))) >= 0.7
    other = minhash.to_minhash(minhash.signature(seeds[1]))
    assert same.jaccard(other) < 0.7
