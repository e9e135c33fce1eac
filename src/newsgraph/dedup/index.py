"""Cross-document duplicate detection against everything already stored.

Exact duplicates share the hash of their normalised text; near duplicates (syndicated copies
of one wire story with another header or footer) are found with MinHash LSH. Each duplicate
points at the first stored copy, so a re-run in the same input order gives the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from datasketch import MinHash, MinHashLSH

from newsgraph.dedup.minhash import NUM_PERM, to_minhash
from newsgraph.model import Document

# Estimated Jaccard similarity of word 3-gram sets above which two texts count as copies.
NEAR_DUPLICATE_THRESHOLD = 0.7


class DuplicateIndex:
    """Assigns ``duplicate_of`` to documents as they arrive, in arrival order."""

    def __init__(
        self,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
        lookup_hash: Callable[[str], str | None] | None = None,
    ) -> None:
        """``lookup_hash`` finds a stored document by content hash (the store's index)."""
        self.threshold = threshold
        self._lookup_hash = lookup_hash
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._by_hash: dict[str, str] = {}
        self._order: dict[str, int] = {}
        self._signatures: dict[str, MinHash] = {}

    def load(
        self,
        signatures: Iterable[tuple[str, list[int]]],
        content_hashes: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Index the stored originals: signatures as ``(id, values)`` and text hashes as
        ``(id, hash)``, each in stored order. Held in memory (a hash is small next to a
        signature), so exact duplicates cost no store query per document."""
        for doc_id, values in signatures:
            self._add(doc_id, "", values)
        for doc_id, content_hash in content_hashes:
            self._by_hash.setdefault(content_hash, doc_id)
            self._order.setdefault(doc_id, len(self._order))

    def _add(
        self, doc_id: str, content_hash: str, values: list[int] | None, mh: MinHash | None = None
    ) -> None:
        """Index one original; ``mh`` is ``to_minhash(values)`` when the caller built it."""
        if content_hash:
            self._by_hash.setdefault(content_hash, doc_id)
        self._order[doc_id] = len(self._order)
        if values is not None and doc_id not in self._signatures:
            mh = mh if mh is not None else to_minhash(values)
            self._signatures[doc_id] = mh
            self._lsh.insert(doc_id, mh)

    def assign(self, doc: Document) -> Document:
        """``doc`` with ``duplicate_of`` set if an earlier copy exists; else index it."""
        if doc.id in self._order:  # already known: keep what it was
            return doc
        original = None
        mh = None
        if doc.content_hash:
            original = self._by_hash.get(doc.content_hash)
            if original is None and self._lookup_hash is not None:
                original = self._lookup_hash(doc.content_hash)
        if original is None and doc.signature is not None:
            mh = to_minhash(doc.signature)
            candidates = []
            for cand in self._lsh.query(mh):
                # LSH gives candidates; keep those whose estimated similarity is really high.
                if mh.jaccard(self._signatures[cand]) >= self.threshold:
                    candidates.append(cand)
            if candidates:
                original = min(candidates, key=self._order.__getitem__)
        if original is not None:
            return doc.model_copy(update={"duplicate_of": original})
        self._add(doc.id, doc.content_hash, doc.signature, mh)
        return doc
