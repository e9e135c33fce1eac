"""Nearest open stories by their embedding centroids: the dense half of the candidate index."""

from __future__ import annotations

import numpy as np


class DenseIndex:
    """Nearest open stories by the cosine of their embedding centroids.

    An exact scan of a matrix of unit centroids: the open stories are bounded by the window,
    and one matrix-vector product over a few thousand rows costs well under a millisecond, a
    small fraction of embedding the document. Rows are kept in a growable matrix and removed
    by moving the last row into the gap.
    """

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._mat: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def put(self, key: str, vec: list[float]) -> None:
        v = np.asarray(vec, dtype=np.float64)
        n = float(np.linalg.norm(v))
        v = v / n if n > 0 else v
        row = self._row.get(key)
        if row is None:
            if self._mat is None:
                self._mat = np.zeros((64, v.shape[0]))
            elif len(self._ids) == self._mat.shape[0]:
                self._mat = np.vstack([self._mat, np.zeros_like(self._mat)])
            row = self._row[key] = len(self._ids)
            self._ids.append(key)
        assert self._mat is not None
        self._mat[row] = v

    def drop(self, key: str) -> None:
        row = self._row.pop(key, None)
        if row is None or self._mat is None:
            return
        last = len(self._ids) - 1
        if row != last:
            moved = self._ids[last]
            self._mat[row] = self._mat[last]
            self._ids[row] = moved
            self._row[moved] = row
        self._ids.pop()

    def nearest(self, vec: list[float], k: int) -> list[str]:
        """The ``k`` keys of the highest cosines, highest first; equal cosines (to 1e-9) by key,
        so the answer does not depend on the order rows were added in."""
        if not self._ids or self._mat is None or k <= 0:
            return []
        sims = np.round(self._mat[: len(self._ids)] @ np.asarray(vec, dtype=np.float64), 9)
        if k < len(sims):
            kth = np.partition(sims, len(sims) - k)[len(sims) - k]
            rows = np.nonzero(sims >= kth)[0]  # ties with the k-th included
        else:
            rows = np.arange(len(sims))
        ranked = sorted(rows, key=lambda i: (-sims[i], self._ids[i]))
        return [self._ids[i] for i in ranked[:k]]
