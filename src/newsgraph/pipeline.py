"""The batch pipeline: read inputs, process documents in parallel, write to the store.

Per-document work (cleaning, language, fingerprints) is a pure function of one raw item and
runs in worker processes. Everything that touches the store (skipping known items, duplicate
assignment, writing) happens here, in the parent, in input order and in batches, each batch one
transaction: a run killed at any point leaves whole batches only, and the next run picks up
where it stopped because stored items are skipped by id.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from newsgraph.clean.document import clean_item
from newsgraph.dedup.index import DuplicateIndex
from newsgraph.dedup.minhash import signature
from newsgraph.ingest import ReadOptions, expand_inputs, read_inputs
from newsgraph.model import Document, ItemError, RawItem
from newsgraph.store import Store


def process_item(raw: RawItem) -> Document | ItemError:
    """All per-document stages for one raw item. Never raises for bad content."""
    try:
        result = clean_item(raw)
        if isinstance(result, ItemError):
            return result
        return result.model_copy(update={"signature": signature(result.text)})
    except Exception as exc:  # a bug or a pathological page must not stop the batch
        return ItemError(
            input=raw.input,
            locator=raw.locator,
            stage="clean",
            error=type(exc).__name__,
            message=f"processing failed: {exc}",
        )


@dataclass
class RunSummary:
    """What one run did. ``errors`` lists this run's per-item failures."""

    sources: int = 0
    items: int = 0
    stored: int = 0
    skipped: int = 0  # already in the store from an earlier run
    duplicates: int = 0
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

    def __init__(self, store: Store, summary: RunSummary, batch_size: int) -> None:
        self.store = store
        self.summary = summary
        self.batch_size = batch_size
        self.dedup = DuplicateIndex(lookup_hash=store.find_by_content_hash)
        self.dedup.load(store.iter_signatures())
        self.docs: list[Document] = []
        self.errors: list[ItemError] = []
        self.resolved: list[tuple[str, str | None]] = []

    def add(self, result: Document | ItemError) -> None:
        if isinstance(result, ItemError):
            self.errors.append(result)
            self.summary.errors.append(result)
        else:
            doc = self.dedup.assign(result)
            if doc.duplicate_of:
                self.summary.duplicates += 1
            self.docs.append(doc)
            self.resolved.append((doc.input, doc.locator))
        if len(self.docs) + len(self.errors) >= self.batch_size:
            self.flush()

    def resolve(self, key: tuple[str, str | None]) -> None:
        self.resolved.append(key)

    def flush(self) -> None:
        if not (self.docs or self.errors or self.resolved):
            return
        self.summary.stored += self.store.write_batch(self.docs, self.errors, self.resolved)
        self.docs, self.errors, self.resolved = [], [], []


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
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.store = store
        self.workers = workers
        self.batch_size = batch_size
        self.read_options = read_options or ReadOptions()

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
        writer = _Writer(self.store, summary, self.batch_size)
        writer.errors.extend(summary.errors)

        pool = (
            ProcessPoolExecutor(max_workers=self.workers, initializer=_warm_up)
            if self.workers > 1
            else None
        )
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
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        summary.seconds = time.perf_counter() - started
        return summary

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
        self, items: Iterable[_Entry], pool: ProcessPoolExecutor | None
    ) -> Iterator[Document | ItemError | _SourceDone]:
        """Results in input order; with a pool, a bounded window of items is in flight."""
        if pool is None:
            for item in items:
                yield process_item(item) if isinstance(item, RawItem) else item
            return
        window = self.workers * 8
        pending: deque[Future[Document | ItemError] | ItemError | _SourceDone] = deque()
        for item in items:
            pending.append(pool.submit(process_item, item) if isinstance(item, RawItem) else item)
            while len(pending) >= window:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())


def _result(
    entry: Future[Document | ItemError] | ItemError | _SourceDone,
) -> Document | ItemError | _SourceDone:
    return entry.result() if isinstance(entry, Future) else entry


def _warm_up() -> None:
    """Load models once per worker rather than on the first document."""
    from newsgraph.clean.language import detect_language

    detect_language("warm up the language model with a sentence")
