"""Adding NLP stages to documents already stored (``newsgraph annotate``).

A store filled with ``run --stages none`` (or some stages only) gets the missing stages here,
without a new database. Each stored document goes through the same per-document
:func:`~newsgraph.pipeline.annotate` as in ``run`` (in worker processes with ``workers`` > 1),
and the results come back in storage order to one writer, which links entities across
documents as ``run``'s writer does and replaces the document's annotations in batches, one
transaction each (:mod:`newsgraph.store.annotate`).

What is replaced:

- By default only the stages a document has not had run over it (``run`` records them in
  ``doc.extra["newsgraph_stages"]``; for documents stored before that marker, what the stages
  left behind tells). Adding entities also
  re-runs a document's quotes and events, which read them (speakers, actors).
- ``only_missing=False`` re-runs the stages on every selected document. Entity resolution is
  incremental and cannot take a document back out of its statistics, so re-running entities
  on a document that already has them rebuilds resolution for the whole store: all documents
  with entities are linked again from scratch in storage order (the unselected ones from
  their stored local entities, without NLP), and canonical entities no document links any
  more are dropped. The result is the store a fresh ``run`` would have built. User corrections
  (merge, split) are obeyed again; the entities they name restart from their names, not their
  old statistics, so a few links may come out otherwise than before. A killed rebuild leaves
  a partly re-linked store: run the same ``--all`` again to finish it.
- Stories cluster on canonical entities: when entities changed (or some document has no
  story) every story is rebuilt afterwards (:func:`newsgraph.stories.recluster`) unless
  ``recluster=False``.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsgraph.model import Document, Entity, ItemError
from newsgraph.parallel import ProcessExecutor
from newsgraph.pipeline import (
    NLP_STAGES,
    STAGES_KEY,
    _warm_up,
    annotate,
    map_entity_keys,
    mark_stages,
    resolve_document,
)
from newsgraph.store import Store

if TYPE_CHECKING:
    from newsgraph.entities.resolve import EntityResolver

# doc.extra keys each stage writes (entities/within.py LOCAL_KEY, the resolver's entity map,
# events/extract.py DETAILS_KEY and META_KEY, events/captions.py CAPTION_EVENTS_KEY).
LOCAL_KEY = "local_entities"
MAP_KEY = "entity_map"
_STAGE_EXTRA = {
    "entities": (LOCAL_KEY, MAP_KEY),
    "quotes": (),
    "events": ("event_details", "event_meta", "caption_events", "caption_error"),
}


@dataclass
class AnnotateSummary:
    """What one annotate did."""

    documents: int = 0  # stored documents looked at
    annotated: int = 0  # documents the NLP stages ran over
    relinked: int = 0  # documents whose entities were linked again without NLP (rebuild)
    written: int = 0
    rebuilt_entities: bool = False
    stories: int | None = None  # stories after the recluster; None when not reclustered
    errors: list[ItemError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class AnnotateProgress:
    """Passed to the progress callback after each document."""

    done: int
    total: int
    summary: AnnotateSummary


@dataclass(frozen=True)
class _Job:
    doc: Document
    stages: tuple[str, ...]  # NLP stages to run; () = link entities again only
    relink: bool  # the writer resolves this document's entities

    @property
    def input(self) -> str:  # what executors name in a worker-failure error
        return self.doc.input

    @property
    def locator(self) -> str | None:
        return self.doc.locator


def done_stages(doc: Document) -> set[str]:
    """The NLP stages that have run over a stored document."""
    marked = doc.extra.get(STAGES_KEY)
    if isinstance(marked, list):
        return set(marked) & set(NLP_STAGES)
    # Stored before the marker existed: infer from what the stages leave behind.
    done = set()
    if LOCAL_KEY in doc.extra or doc.mentions:
        done.add("entities")
    if "event_details" in doc.extra or doc.events:
        done.add("events")
    if doc.quotes or {"entities", "events"} <= done:
        done.add("quotes")
    return done


def plan(doc: Document, stages: Sequence[str], *, only_missing: bool = True) -> tuple[str, ...]:
    """The stages to run over ``doc``."""
    done = done_stages(doc)
    todo = set(stages) - done if only_missing else set(stages)
    if "entities" in todo:  # quote speakers and event actors are entities: redo them too
        todo |= done & {"quotes", "events"}
    return tuple(s for s in NLP_STAGES if s in todo)


def _local_order(key: str) -> tuple[int, str]:
    n = key.rpartition(":")[2]
    return (int(n), key) if n.isdigit() else (1 << 30, key)


def to_local(doc: Document) -> Document:
    """Canonical entity ids back to the document's local keys (inverse of its entity map), as
    the stages and the resolver expect them. Where two local keys went to one entity the first
    is taken: mapped forward again, both give that entity."""
    mapping = doc.extra.get(MAP_KEY)
    if not isinstance(mapping, dict) or not mapping:
        return doc
    inverse: dict[str, str] = {}
    for key in sorted(mapping, key=_local_order):
        inverse.setdefault(mapping[key], key)
    mentions = [
        m.model_copy(update={"entity": inverse.get(m.entity, m.entity)}) if m.entity else m
        for m in doc.mentions
    ]
    return map_entity_keys(doc.model_copy(update={"mentions": mentions}), inverse)


def reannotate(doc: Document, stages: Sequence[str]) -> Document:
    """Run ``stages`` over a stored document, replacing what they found before.

    Entity keys come back local where a stage produced them (for the writer to map); mentions
    are kept as stored when the entities stage does not run."""
    stored_mentions = doc.mentions
    extra = dict(doc.extra)
    extra.pop("nlp_skipped", None)
    update: dict[str, Any] = {}
    for stage in stages:
        for key in _STAGE_EXTRA[stage]:
            extra.pop(key, None)
    if "entities" in stages:
        update["mentions"] = []
    if "quotes" in stages:
        update["quotes"] = []
    if "events" in stages:
        update["events"] = []
    # Stages that stay read the stored ids; the ones re-run read local keys, as in `run`.
    work = to_local(doc).model_copy(update={**update, "extra": extra})
    out = mark_stages(annotate(work, stages), stages)
    if "entities" not in stages:
        out = out.model_copy(update={"mentions": stored_mentions})
        if "quotes" not in stages:
            out = out.model_copy(update={"quotes": doc.quotes})
        if "events" not in stages:
            out = out.model_copy(update={"events": doc.events})
    return out


def annotate_stored(job: _Job, _stages: Sequence[str] = ()) -> Document | ItemError:
    """Worker entry point: never raises for bad content."""
    try:
        return reannotate(job.doc, job.stages)
    except Exception as exc:  # one pathological document must not stop the batch
        return ItemError(
            input=job.doc.input,
            locator=job.doc.locator,
            stage="annotate",
            error=type(exc).__name__,
            message=f"annotating stored document {job.doc.id} failed: {exc}",
        )


class _Writer:
    """Takes results in storage order; links entities; writes batches."""

    def __init__(
        self,
        store: Store,
        summary: AnnotateSummary,
        batch_size: int,
        resolver: EntityResolver | None,
        rebuild: bool,
    ) -> None:
        self.store, self.summary, self.batch_size = store, summary, batch_size
        self.resolver, self.rebuild = resolver, rebuild
        self.docs: list[Document] = []
        self.errors: list[ItemError] = []
        self.relinked: set[str] = set()
        self.entities: dict[str, Entity] = {}
        self.evidence: list[dict[str, Any]] = []

    def add(self, job: _Job, result: Document | ItemError) -> None:
        if isinstance(result, ItemError):
            self._fail(result)
            if not (self.rebuild and "entities" in done_stages(job.doc)):
                return self._flush_if_full()
            # The stored annotations stay, but their entities are linked again with the rest.
            job, result = _Job(job.doc, (), True), job.doc
        doc = result
        if job.relink and self.resolver is not None:
            try:
                doc = self._link(doc if job.stages else to_local(doc))
            except Exception as exc:  # stored extra is JSON from the open web: never trust it
                self._fail(
                    ItemError(
                        input=doc.input,
                        locator=doc.locator,
                        stage="annotate",
                        error=type(exc).__name__,
                        message=f"linking the entities of {doc.id} failed: {exc}",
                    )
                )
                return self._flush_if_full()  # the document keeps what it had
        elif isinstance(mapping := doc.extra.get(MAP_KEY), dict):
            doc = map_entity_keys(doc, mapping)  # re-run quotes/events on linked entities
        self.docs.append(doc)
        self._flush_if_full()

    def _fail(self, error: ItemError) -> None:
        self.errors.append(error)
        self.summary.errors.append(error)

    def _link(self, doc: Document) -> Document:
        assert self.resolver is not None
        if doc.extra.get(LOCAL_KEY):
            doc, entities, evidence = resolve_document(self.resolver, doc)
            self.entities.update((e.id, e) for e in entities)
            self.evidence.extend(evidence)
        else:
            doc = doc.model_copy(
                update={"extra": {k: v for k, v in doc.extra.items() if k != MAP_KEY}}
            )
        self.relinked.add(doc.id)
        return doc

    def _flush_if_full(self) -> None:
        if len(self.docs) + len(self.errors) >= self.batch_size:
            self.flush()

    def flush(self, *, final: bool = False) -> None:
        from newsgraph.store.annotate import replace_annotations

        keep = None
        if final and self.rebuild and self.resolver is not None:
            keep = {e.id for e in self.resolver.entities()}
        if not (self.docs or self.errors or keep is not None):
            return
        states = {}
        if self.resolver is not None:
            states = {i: self.resolver.entity_state(i) or {} for i in self.entities}
        self.summary.written += replace_annotations(
            self.store,
            self.docs,
            relinked=self.relinked,
            errors=self.errors,
            entities=list(self.entities.values()),
            entity_states=states,
            evidence=self.evidence,
            keep_entities=keep,
        )
        self.docs, self.errors, self.relinked = [], [], set()
        self.entities, self.evidence = {}, []


def _resolver(store: Store, kb: Any, *, rebuild: bool) -> EntityResolver:
    from newsgraph.entities import EntityResolver
    from newsgraph.store.entities import load_corrections

    corrections = load_corrections(store)
    if not rebuild:  # continue from the stored statistics, as `run` does
        return EntityResolver.from_entities(
            store.iter_entities(),
            {"entities": store.entity_states()},
            corrections=corrections,
            kb=kb,
        )
    # From scratch; only the entities user corrections name are kept (seeded from their names)
    # so the corrections still bind.
    named = {c.entity_id for c in corrections} | {c.other_id for c in corrections}
    seeds = [e for e in store.iter_entities() if e.id in named]
    return EntityResolver.from_entities(seeds, None, corrections=corrections, kb=kb)


ProgressCallback = Callable[[AnnotateProgress], None]


class Annotator:
    """Runs NLP stages over stored documents and writes the results back.

    >>> with Store.open("news.db") as store:                         # doctest: +SKIP
    ...     summary = Annotator(store, stages=["entities", "events"]).run()
    """

    def __init__(
        self,
        store: Store,
        *,
        stages: Sequence[str] = NLP_STAGES,
        only_missing: bool = True,
        since: dt.date | None = None,
        workers: int = 1,
        batch_size: int = 200,
        recluster: bool = True,
        kb: str | os.PathLike[str] | None = None,
    ) -> None:
        """``since`` selects documents published on or after that day (undated ones are left
        out). ``kb`` as for :class:`~newsgraph.pipeline.Pipeline`."""
        unknown = set(stages) - set(NLP_STAGES)
        if unknown:
            raise ValueError(f"unknown stages {sorted(unknown)}; choose from {NLP_STAGES}")
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.store = store
        self.stages = tuple(s for s in NLP_STAGES if s in stages)
        self.only_missing = only_missing
        self.since = since
        self.workers = workers
        self.batch_size = batch_size
        self.recluster = recluster
        self.kb = None
        if "entities" in self.stages:
            from newsgraph.entities.kb import load_knowledge_base

            self.kb = load_knowledge_base(kb)

    def _selected(self, doc: Document) -> bool:
        return self.since is None or (doc.published is not None and doc.published >= self.since)

    def _needs_rebuild(self) -> bool:
        """Whether entities would run again over a document that has them."""
        if self.only_missing or "entities" not in self.stages:
            return False
        return any(
            "entities" in done_stages(d) for d in self.store.iter_documents() if self._selected(d)
        )

    def _jobs(self, rebuild: bool) -> Iterator[_Job]:
        for doc in self.store.iter_documents(batch_size=200):
            todo = plan(doc, self.stages, only_missing=self.only_missing)
            if not self._selected(doc):
                todo = ()
            relink = "entities" in todo or (rebuild and "entities" in done_stages(doc))
            if todo or relink:
                yield _Job(doc, todo, relink)  # relink only: the writer takes the stored doc
            else:
                yield _Job(doc, (), False)  # nothing to do: counted, not written

    def run(self, progress: ProgressCallback | None = None) -> AnnotateSummary:
        started = time.perf_counter()
        summary = AnnotateSummary()
        rebuild = self._needs_rebuild()
        summary.rebuilt_entities = rebuild
        resolver = None
        if "entities" in self.stages:
            resolver = _resolver(self.store, self.kb, rebuild=rebuild)
        writer = _Writer(self.store, summary, self.batch_size, resolver, rebuild)
        total = self.store.count_documents()
        pool = None
        if self.workers > 1:
            pool = ProcessExecutor(annotate_stored, self.stages, self.workers, _warm_up)  # type: ignore[arg-type]
        thaw = gc.get_freeze_count() == 0
        gc.freeze()  # as in Pipeline.run: long-lived models need no cyclic GC rescans
        linked = False  # some document's entities were linked: stories may change
        try:
            for job, result in self._process(self._jobs(rebuild), pool):
                summary.documents += 1
                linked = linked or (job.relink and resolver is not None)
                if job.stages:
                    summary.annotated += 1
                elif job.relink:
                    summary.relinked += 1
                if result is not None:
                    writer.add(job, result)
                if progress:
                    progress(AnnotateProgress(summary.documents, total, summary))
            writer.flush(final=True)
        finally:
            if thaw:
                gc.unfreeze()
            if pool is not None:
                pool.close()
        entities_changed = rebuild or linked
        if self.recluster and (entities_changed or self._unclustered()):
            from newsgraph.stories import recluster

            summary.stories = recluster(self.store)
        summary.seconds = time.perf_counter() - started
        return summary

    def _unclustered(self) -> bool:
        from newsgraph.store.annotate import count_without_story

        return count_without_story(self.store) > 0

    def _process(
        self, jobs: Iterator[_Job], pool: ProcessExecutor | None
    ) -> Iterator[tuple[_Job, Document | ItemError | None]]:
        """(job, result) in storage order; None for a job with nothing to do."""

        def local(job: _Job) -> Document | ItemError | None:
            if job.stages:
                return annotate_stored(job)
            return job.doc if job.relink else None

        if pool is None:
            for job in jobs:
                yield job, local(job)
            return
        window = pool.parallelism * 8
        pending: deque[tuple[Any, _Job]] = deque()
        for job in jobs:
            pending.append((pool.submit(job) if job.stages else None, job))  # type: ignore[arg-type]
            while len(pending) >= window:
                handle, j = pending.popleft()
                yield j, pool.result(handle, j) if handle is not None else local(j)  # type: ignore[arg-type]
        while pending:
            handle, j = pending.popleft()
            yield j, pool.result(handle, j) if handle is not None else local(j)  # type: ignore[arg-type]
