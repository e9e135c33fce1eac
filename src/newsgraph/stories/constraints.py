"""The user's story corrections (``newsgraph story-move``) as the clusterer obeys them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StoryConstraints:
    """The user's story corrections as the clusterer obeys them, in both directions.

    ``together``: a document joins the story of any of these documents that is already
    placed (whatever its score). ``apart``: a document never joins, nor merges with, a story
    holding one of these documents.
    """

    together: dict[str, tuple[str, ...]] = field(default_factory=dict)
    apart: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, corrections: Iterable[tuple[str, str | None, Iterable[str]]]
    ) -> StoryConstraints:
        """From ``(document, with_document or None, apart_from)`` oldest first; a later
        correction of a document replaces its earlier ones."""
        latest: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        for doc, with_doc, apart in corrections:
            latest[doc] = (with_doc, tuple(apart))
        together: dict[str, list[str]] = {}
        apart_: dict[str, set[str]] = {}
        for doc, (with_doc, others) in latest.items():
            if with_doc:
                together.setdefault(doc, []).append(with_doc)
                together.setdefault(with_doc, []).append(doc)
            for o in others:
                if o != doc and o != with_doc:
                    apart_.setdefault(doc, set()).add(o)
                    apart_.setdefault(o, set()).add(doc)
        return cls(
            together={d: tuple(sorted(v)) for d, v in together.items()},
            apart={d: frozenset(v) for d, v in apart_.items()},
        )

    def __bool__(self) -> bool:
        return bool(self.together or self.apart)
