"""The stories stage of the writer: features, online clustering, and what to store."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from newsgraph.model import Document
from newsgraph.store import Store
from newsgraph.stories.cluster import Decision, StoryBatch, StoryClusterer, StoryParams
from newsgraph.stories.embed import Embedder, document_text
from newsgraph.stories.features import features


class StoryAssigner:
    """Gives each document its story in arrival order, continuing from the store's state."""

    def __init__(self, clusterer: StoryClusterer, embedder: Embedder | None = None) -> None:
        self.clusterer = clusterer
        self.embedder = embedder

    @classmethod
    def from_store(
        cls, store: Store, params: StoryParams | None = None, embedder: Embedder | None = None
    ) -> StoryAssigner:
        from newsgraph.store.stories import load_clusterer

        return cls(load_clusterer(store, params), embedder)

    def decide(self, doc: Document) -> Decision:
        emb = self.embedder.embed([document_text(doc)])[0] if self.embedder else None
        return self.clusterer.add(features(doc, emb))

    def assign(self, doc: Document) -> Document:
        return doc.model_copy(update={"story": self.decide(doc).story})

    def drain(self) -> StoryBatch:
        """Story changes since the last call, for ``Store.write_batch(stories=...)``."""
        return self.clusterer.drain()


def recluster(
    store: Store,
    params: StoryParams | None = None,
    *,
    embedder: Embedder | None = None,
    batch_size: int = 500,
    docs: Iterable[Document] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Forget all stories and cluster every stored document again, in storage order.

    Gives the same stories as the incremental path did on the same input order, and obeys the
    user's story corrections (``newsgraph story-move``). Returns the
    number of stories. ``progress(done, total)`` is called after each written batch. Killed
    half-way, it leaves a partial clustering: run it again.
    """
    from newsgraph.store.stories import load_constraints, reset_stories

    total = store.count_documents()
    constraints = load_constraints(store)
    reset_stories(store)
    assigner = StoryAssigner(StoryClusterer(params, constraints), embedder)
    stream = docs if docs is not None else store.iter_documents(batch_size=batch_size)
    n = 0
    for n, doc in enumerate(stream, 1):
        assigner.decide(doc)
        if n % batch_size == 0:
            store.write_batch([], stories=assigner.drain())
            if progress is not None:
                progress(n, total)
    store.write_batch([], stories=assigner.drain())
    if progress is not None:
        progress(n, max(total, n))
    return store.stats().stories
