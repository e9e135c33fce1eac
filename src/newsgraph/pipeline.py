"""The batch pipeline: read inputs, process documents in parallel, write to the store.

Per-document work (cleaning, language, fingerprints) is a pure function of one raw item and
runs in worker processes. Everything that touches the store (skipping known items, duplicate
assignment, writing) happens here, in the parent, in input order and in batches, each batch one
transaction: a run killed at any point leaves whole batches only, and the next run picks up
where it stopped because stored items are skipped by id.
"""

from __future__ import annotations

import gc
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from newsgraph.clean.document import clean_item
from newsgraph.dedup.index import DuplicateIndex
from newsgraph.ingest import ReadOptions, expand_inputs, read_inputs
from newsgraph.model import Document, Entity, ItemError, RawItem
from newsgraph.parallel import Executor, ProcessExecutor, RayExecutor
from newsgraph.store import Store

if TYPE_CHECKING:
    from newsgraph.entities.kb import KnowledgeBase
    from newsgraph.entities.resolve import EntityResolver

# Optional per-document NLP stages, in the order they run. Cleaning, language and duplicate
# fingerprints always run: they are what every later stage stands on.
NLP_STAGES = ("entities", "quotes", "events")
# Everything ``--stages`` selects: the per-document NLP stages plus story clustering, which
# runs in the writer (across documents). Off means stored documents get no story; `newsgraph
# recluster` assigns them later.
STAGES = (*NLP_STAGES, "stories")
# The English models only make sense on English (or unidentified) text.
_NLP_LANGUAGES = {"en", None}
# spaCy holds a parse in memory at ~1 kB per character; past this a page is not an article.
MAX_NLP_CHARS = 500_000
# doc.extra: the NLP stages that have run over the document (whatever they found), so
# `newsgraph annotate` can tell "no quotes found" from "quotes never looked for".
STAGES_KEY = "newsgraph_stages"


def process_item(raw: RawItem, stages: Sequence[str] = NLP_STAGES) -> Document | ItemError:
    """All per-document stages for one raw item. Never raises for bad content."""
    stage = "clean"
    try:
        doc = clean_item(raw)  # with both duplicate fingerprints
        if isinstance(doc, ItemError):
            return doc
        stage = "annotate"
        return mark_stages(annotate(doc, stages), stages)
    except Exception as exc:  # a bug or a pathological page must not stop the batch
        return ItemError(
            input=raw.input,
            locator=raw.locator,
            stage=stage,
            error=type(exc).__name__,
            message=f"processing failed: {exc}",
        )


def mark_stages(doc: Document, stages: Iterable[str]) -> Document:
    """Record in ``doc.extra`` that the NLP ``stages`` have run over ``doc``."""
    marked = doc.extra.get(STAGES_KEY)
    done = set(marked) & set(NLP_STAGES) if isinstance(marked, list) else set()
    done |= {s for s in stages if s in NLP_STAGES}
    marked = [s for s in NLP_STAGES if s in done]
    return doc.model_copy(update={"extra": {**doc.extra, STAGES_KEY: marked}})


def annotate(doc: Document, stages: Sequence[str] = NLP_STAGES) -> Document:
    """Run the selected NLP stages over one clean document (one shared spaCy parse)."""
    wanted = [s for s in NLP_STAGES if s in stages]
    if not wanted or doc.language not in _NLP_LANGUAGES:
        return doc
    if len(doc.text) > MAX_NLP_CHARS:
        return doc.model_copy(
            update={"extra": {**doc.extra, "nlp_skipped": f"text over {MAX_NLP_CHARS} characters"}}
        )
    # NER runs over the whole text (what entities use); quotes and events need the dependency
    # parse, which by default covers only the sentences they ask for (newsgraph.parse_select;
    # NEWSGRAPH_PARSE=full parses the whole text as before).
    from newsgraph.parse_select import (
        needs_parse,
        ner_parse,
        parse_for_stages,
        parse_mode,
        quotes_mode,
    )

    sdoc = None
    # Quotes by rules (NEWSGRAPH_QUOTES=rules, or auto without events) need only the NER doc;
    # the one resolved mode decides both what is parsed and how quotes are read.
    quotes = quotes_mode(None, wanted)
    parsing = needs_parse(wanted, quotes)
    if parsing and parse_mode() == "full":
        sdoc = parse_for_stages(doc, wanted, quotes=quotes)
    if "entities" in wanted:
        from newsgraph.entities import annotate_entities

        sdoc = sdoc if sdoc is not None else ner_parse(doc.text)
        doc = annotate_entities(doc, sdoc)
    if parsing and parse_mode() != "full":
        sdoc = parse_for_stages(doc, wanted, sdoc, quotes=quotes)
    elif sdoc is None and "quotes" in wanted:
        sdoc = ner_parse(doc.text)
    if "quotes" in wanted:
        from newsgraph.quotes import extract_quotes

        doc = extract_quotes(doc, sdoc, mode=quotes)
    if "events" in wanted:
        from newsgraph.events import extract_events

        doc = extract_events(doc, sdoc)
    return doc


def map_entity_keys(doc: Document, mapping: dict[str, str]) -> Document:
    """Quote speakers and event actors through ``mapping`` (local key -> canonical id)."""
    if doc.quotes:
        doc = doc.model_copy(
            update={
                "quotes": [
                    q.model_copy(update={"speaker": mapping.get(q.speaker, q.speaker)})
                    if q.speaker
                    else q
                    for q in doc.quotes
                ]
            }
        )
    if doc.events:
        doc = doc.model_copy(
            update={
                "events": [
                    ev.model_copy(
                        update={
                            k: mapping.get(v, v)
                            for k in ("source", "target", "location")
                            if (v := getattr(ev, k))
                        }
                    )
                    for ev in doc.events
                ]
            }
        )
    return doc


def resolve_document(
    resolver: EntityResolver, doc: Document
) -> tuple[Document, list[Entity], list[dict[str, Any]]]:
    """Link one document's local entities to canonical ones: the document with canonical ids
    in mentions, quote speakers and event actors, the touched entities, and the merge
    evidence as store rows. Used by the writer of ``run`` and of ``annotate`` alike."""
    doc, entities, evidence = resolver.resolve(doc)
    doc = map_entity_keys(doc, doc.extra.get("entity_map", {}))
    rows = [
        {
            "entity_id": ev.entity,
            "document_id": ev.document,
            "local_key": ev.local_key,
            "local_name": ev.local_name,
            "canonical_name": ev.canonical_name,
            "decision": ev.decision,
            "score": ev.score,
            "features": ev.features,
            "discrepancies": ev.discrepancies,
        }
        for ev in evidence
    ]
    return doc, entities, rows


@dataclass
class RunSummary:
    """What one run did. ``errors`` lists this run's per-item failures."""

    sources: int = 0
    items: int = 0
    stored: int = 0
    skipped: int = 0  # already in the store from an earlier run
    duplicates: int = 0
    # New documents without a publication date: stories cannot tell repeated happenings of
    # the same actors apart without one (docs/stories.md).
    undated: int = 0
    errors: list[ItemError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Progress:
    """Passed to the progress callback after each source is done."""

    sources_done: int
    sources_total: int
    summary: RunSummary


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class _SourceDone:
    """Marker in the item stream: all items of source number ``done`` have passed."""

    done: int


_Entry = RawItem | ItemError | _SourceDone


class _Writer:
    """Collects results in input order and writes them in batches, one transaction each."""

    def __init__(
        self,
        store: Store,
        summary: RunSummary,
        batch_size: int,
        stages: Sequence[str],
        kb: KnowledgeBase | None = None,
    ) -> None:
        self.store = store
        self.summary = summary
        self.batch_size = batch_size
        self.dedup = DuplicateIndex()
        self.dedup.load(store.iter_signatures(), store.iter_content_hashes())
        self.resolver = None
        if "entities" in stages:
            from newsgraph.entities import EntityResolver
            from newsgraph.store.entities import load_corrections

            # User corrections (merge/split) bind new documents too.
            self.resolver = EntityResolver.from_entities(
                store.iter_entities(),
                {"entities": store.entity_states()},
                corrections=load_corrections(store),
                kb=kb,
            )
        # Stories: online clustering in arrival order, state stored with each batch.
        self.stories = None
        if "stories" in stages:
            from newsgraph.stories import StoryAssigner

            self.stories = StoryAssigner.from_store(store)
        self.docs: list[Document] = []
        self.errors: list[ItemError] = []
        self.resolved: list[tuple[str, str | None]] = []
        self.entities: dict[str, Entity] = {}
        self.evidence: list[dict[str, Any]] = []

    def add(self, result: Document | ItemError) -> None:
        if isinstance(result, ItemError):
            self.errors.append(result)
            self.summary.errors.append(result)
        else:
            doc = self.dedup.assign(result)
            if doc.duplicate_of:
                self.summary.duplicates += 1
            if doc.published is None:
                self.summary.undated += 1
            if self.resolver is not None and doc.extra.get("local_entities"):
                doc = self._resolve(doc)
            if self.stories is not None:
                doc = self.stories.assign(doc)
            self.docs.append(doc)
            self.resolved.append((doc.input, doc.locator))
        if len(self.docs) + len(self.errors) >= self.batch_size:
            self.flush()

    def _resolve(self, doc: Document) -> Document:
        """Link the document's local entities to canonical ones (in arrival order)."""
        assert self.resolver is not None
        doc, entities, evidence = resolve_document(self.resolver, doc)
        for e in entities:
            self.entities[e.id] = e
        self.evidence.extend(evidence)
        return doc

    def resolve(self, key: tuple[str, str | None]) -> None:
        self.resolved.append(key)

    def flush(self) -> None:
        if not (self.docs or self.errors or self.resolved):
            return
        states = {}
        if self.resolver is not None:
            states = {i: self.resolver.entity_state(i) or {} for i in self.entities}
        self.summary.stored += self.store.write_batch(
            self.docs,
            self.errors,
            self.resolved,
            entities=list(self.entities.values()),
            entity_states=states,
            evidence=self.evidence,
            stories=self.stories.drain() if self.stories is not None else (),
        )
        self.docs, self.errors, self.resolved = [], [], []
        self.entities, self.evidence = {}, []


class Pipeline:
    """Runs inputs through the per-document stages into a store.

    >>> with Store.open("news.db") as store:                         # doctest: +SKIP
    ...     summary = Pipeline(store, workers=2).run(["sample/"])
    """

    def __init__(
        self,
        store: Store,
        *,
        workers: int = 1,
        batch_size: int = 200,
        read_options: ReadOptions | None = None,
        stages: Sequence[str] = STAGES,
        executor: Literal["local", "ray"] = "local",
        ray_address: str | None = None,
        kb: str | os.PathLike[str] | None = None,
    ) -> None:
        """``executor="ray"`` runs per-document work as Ray tasks: on a local Ray instance with
        ``workers`` CPUs, or on the cluster at ``ray_address`` (e.g. ``"auto"``). ``kb`` is a
        user knowledge-base JSONL file added to the shipped one (default ``$NEWSGRAPH_KB``); it
        is read here, so a bad line raises :class:`~newsgraph.entities.kb.KBError` before any
        input is read. Only the writer (this process) uses it."""
        if executor not in ("local", "ray"):
            raise ValueError(f"unknown executor {executor!r}; choose 'local' or 'ray'")
        if workers < 1:
            raise ValueError("workers must be at least 1")
        unknown = set(stages) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown stages {sorted(unknown)}; choose from {STAGES}")
        self.stages = tuple(s for s in STAGES if s in stages)
        self.store = store
        self.workers = workers
        self.executor = executor
        self.ray_address = ray_address
        self.batch_size = batch_size
        self.read_options = read_options or ReadOptions()
        self.kb: KnowledgeBase | None = None
        if "entities" in self.stages:
            from newsgraph.entities.kb import load_knowledge_base

            self.kb = load_knowledge_base(kb)

    def run(self, inputs: Sequence[str], progress: ProgressCallback | None = None) -> RunSummary:
        started = time.perf_counter()
        summary = RunSummary()
        sources: list[str] = []
        for src in expand_inputs(inputs):
            if isinstance(src, ItemError):
                summary.errors.append(src)
            else:
                sources.append(src)
        summary.sources = len(sources)
        writer = _Writer(self.store, summary, self.batch_size, self.stages, self.kb)
        writer.errors.extend(summary.errors)

        pool = self._executor()
        # What is alive now (modules, models, the loaded duplicate index) outlives the run;
        # frozen, the cyclic GC stops rescanning it in every full collection (~0.3 ms/doc).
        # Thawed afterwards, unless the process had frozen objects itself (unfreeze thaws all).
        thaw = gc.get_freeze_count() == 0
        gc.freeze()
        try:
            items = self._new_items(self._read(sources), writer)
            for result in self._process(items, pool):
                if isinstance(result, _SourceDone):
                    if progress:
                        progress(Progress(result.done, len(sources), summary))
                else:
                    writer.add(result)
            writer.flush()
        finally:
            if thaw:
                gc.unfreeze()
            if pool is not None:
                pool.close()
        summary.seconds = time.perf_counter() - started
        return summary

    def _executor(self) -> Executor | None:
        if self.executor == "ray":
            return RayExecutor(process_item, self.stages, self.workers, self.ray_address)
        if self.workers > 1:
            return ProcessExecutor(process_item, self.stages, self.workers, _warm_up)
        return None

    def _read(self, sources: list[str]) -> Iterator[RawItem | ItemError | _SourceDone]:
        for done, source in enumerate(sources, 1):
            yield from read_inputs([source], self.read_options)
            yield _SourceDone(done)

    def _new_items(self, stream: Iterable[_Entry], writer: _Writer) -> Iterator[_Entry]:
        """Items not yet stored; read errors pass through to the writer in order."""
        seen: set[str] = set()
        chunk: list[_Entry] = []

        def drain() -> Iterator[_Entry]:
            ids = [it.id for it in chunk if isinstance(it, RawItem)]
            known = self.store.has_ids(ids) if ids else set()
            for it in chunk:
                if isinstance(it, RawItem):
                    writer.summary.items += 1
                    if it.id in known or it.id in seen:
                        writer.summary.skipped += 1
                        writer.resolve((it.input, it.locator))
                        continue
                    seen.add(it.id)
                yield it
            chunk.clear()

        for item in stream:
            chunk.append(item)
            if len(chunk) >= 64:
                yield from drain()
        yield from drain()

    def _process(
        self, items: Iterable[_Entry], pool: Executor | None
    ) -> Iterator[Document | ItemError | _SourceDone]:
        """Results in input order; with an executor, a bounded window of items is in flight."""
        if pool is None:
            for item in items:
                yield process_item(item, self.stages) if isinstance(item, RawItem) else item
            return
        window = pool.parallelism * 8
        pending: deque[tuple[Any, _Entry]] = deque()

        def take() -> Document | ItemError | _SourceDone:
            handle, entry = pending.popleft()
            if isinstance(entry, RawItem):
                return pool.result(handle, entry)
            return entry  # type: ignore[return-value]

        for item in items:
            pending.append((pool.submit(item) if isinstance(item, RawItem) else None, item))
            while len(pending) >= window:
                yield take()
        while pending:
            yield take()


def _warm_up(stages: Sequence[str]) -> None:
    """Load models once per worker rather than on the first document."""
    from newsgraph.clean.language import detect_language

    detect_language("warm up the language model with a sentence")
    if "entities" in stages or "quotes" in stages or "events" in stages:
        from newsgraph.nlp import load_nlp

        load_nlp()
    # A worker lives for one run: keep the cyclic GC off the models it has just loaded.
    gc.freeze()
