"""The public Python API: a store plus the pipeline that fills it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from newsgraph.export import ExportSummary, export_store
from newsgraph.ingest import ReadOptions
from newsgraph.model import Document, ItemError
from newsgraph.pipeline import NLP_STAGES, STAGES, Pipeline, ProgressCallback, RunSummary
from newsgraph.store import SearchHit, Stats, Store
from newsgraph.store.entities import (
    EntityDetail,
    EntitySummary,
    entity_detail,
    list_corrections,
    list_entities,
    merge_entities,
    resolve_one,
    split_entity,
)
from newsgraph.store.events import find_event_groups, find_events, timeline
from newsgraph.store.quotes import QuoteRecord, Statement, find_quotes, find_statements
from newsgraph.store.stories import (
    StoryDetail,
    StorySummary,
    add_story_correction,
    list_stories,
    list_story_corrections,
    resolve_story,
    story_detail,
)

if TYPE_CHECKING:  # the report package loads spaCy-backed modules: import it on use
    from fastapi import FastAPI

    from newsgraph.annotate import AnnotateSummary
    from newsgraph.annotate import ProgressCallback as AnnotateProgressCallback
    from newsgraph.events.grouping import EventGroup, EventRecord
    from newsgraph.export_tables import TableExportSummary, TableFormat
    from newsgraph.report import Report, Selection

DEFAULT_DB = "newsgraph.db"


class NewsGraph:
    """An open newsgraph database. Use :func:`newsgraph.open` to get one."""

    def __init__(self, store: Store, *, kb: str | os.PathLike[str] | None = None) -> None:
        self.store = store
        self.kb = kb  # user knowledge-base file for runs (None: $NEWSGRAPH_KB, if set)

    def run(
        self,
        inputs: Sequence[str],
        *,
        workers: int = 1,
        batch_size: int = 200,
        read_options: ReadOptions | None = None,
        stages: Sequence[str] = STAGES,
        progress: ProgressCallback | None = None,
        executor: Literal["local", "ray"] = "local",
        ray_address: str | None = None,
        kb: str | os.PathLike[str] | None = None,
    ) -> RunSummary:
        """Ingest and process ``inputs`` (files, folders, globs, feed URLs) into the store.

        Idempotent: items already stored are skipped, so re-running the same inputs, or
        resuming a killed run, stores nothing twice. ``stages`` selects the NLP stages
        (``"entities"``, ``"quotes"``, ``"events"``, ``"stories"``); cleaning, language and
        deduplication always run.
        ``executor="ray"`` sends per-document work to Ray: a local instance with ``workers``
        CPUs, or the cluster at ``ray_address``; the store is still written from here.
        ``kb`` is a user knowledge-base JSONL file (id, name, type, aliases, wikidata) added to
        the shipped one; default the one given to :func:`open`, else ``$NEWSGRAPH_KB``. A bad
        line raises :class:`~newsgraph.entities.kb.KBError` naming it, before anything runs.
        """
        pipeline = Pipeline(
            self.store,
            workers=workers,
            batch_size=batch_size,
            read_options=read_options,
            stages=stages,
            executor=executor,
            ray_address=ray_address,
            kb=kb if kb is not None else self.kb,
        )
        return pipeline.run(list(inputs), progress=progress)

    def annotate(
        self,
        *,
        stages: Sequence[str] = NLP_STAGES,
        only_missing: bool = True,
        since: dt.date | None = None,
        workers: int = 1,
        batch_size: int = 200,
        recluster: bool = True,
        progress: AnnotateProgressCallback | None = None,
        kb: str | os.PathLike[str] | None = None,
    ) -> AnnotateSummary:
        """Run NLP ``stages`` over documents already stored (see :mod:`newsgraph.annotate`).

        By default only the stages a document has not had; ``only_missing=False`` runs them
        again (re-running entities rebuilds entity resolution for the whole store). ``since``
        keeps documents published on or after that day. Stories are rebuilt afterwards when
        entities changed, unless ``recluster=False``. Idempotent; a killed annotate resumes
        when run again with the same options.
        """
        from newsgraph.annotate import Annotator

        annotator = Annotator(
            self.store,
            stages=stages,
            only_missing=only_missing,
            since=since,
            workers=workers,
            batch_size=batch_size,
            recluster=recluster,
            kb=kb if kb is not None else self.kb,
        )
        return annotator.run(progress)

    def documents(self) -> Iterator[Document]:
        """All stored documents, in the order they were stored."""
        return self.store.iter_documents()

    def document(self, doc_id: str) -> Document | None:
        return self.store.get_document(doc_id)

    def entities(
        self,
        query: str | None = None,
        *,
        types: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Iterator[EntitySummary]:
        """Canonical entities (people, organisations, places, ...) with mention and document
        counts, most mentioned first; ``query`` keeps those whose name or an alias matches in
        any spelling (best match first), ``types`` filters by label (PERSON, ORG, GPE …)."""
        return list_entities(self.store, query, types=types, limit=limit)

    def entity(self, name_or_id: str) -> EntityDetail | None:
        """One entity by id, or by name in any spelling ("Anthony Brinken" finds the
        canonical entity), with its merge evidence, documents and co-occurring entities."""
        return entity_detail(self.store, name_or_id)

    def merge_entities(
        self, keep: str, other: str, *, note: str | None = None, author: str | None = None
    ) -> dict[str, Any]:
        """Correct resolution: ``other`` is the same entity as ``keep`` (ids or unambiguous
        names). Its mentions, quotes, events and aliases move to ``keep``, its id resolves to
        ``keep``, and later runs obey the decision. Raises
        :class:`~newsgraph.store.entities.CorrectionError` for unknown or ambiguous names."""
        a, b = resolve_one(self.store, keep), resolve_one(self.store, other)
        return merge_entities(self.store, a.id, b.id, note=note, author=author)

    def split_entity(
        self, entity: str, form: str, *, note: str | None = None, author: str | None = None
    ) -> dict[str, Any]:
        """Correct resolution: surface ``form`` of ``entity`` names a different entity. Its
        mentions get a new entity, and later runs never resolve that form to ``entity``."""
        e = resolve_one(self.store, entity)
        return split_entity(self.store, e.id, form, note=note, author=author)

    def corrections(self, entity: str | None = None) -> list[dict[str, Any]]:
        """User corrections (merges and splits) oldest first, with who, when and why."""
        return list_corrections(self.store, entity)

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search over titles and text, best first, with snippets."""
        return self.store.search(query, limit=limit, offset=offset)

    def quotes(
        self,
        query: str | None = None,
        *,
        speaker: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[QuoteRecord]:
        """Stored quotes, newest first: ``query`` words in the quote text, ``speaker`` a name
        in any spelling ("Brinken" finds Antony Blinken; anonymous sources by their words),
        publication dates ``since``/``until`` (inclusive), ``outlet``."""
        return find_quotes(
            self.store, query=query, speaker=speaker, since=since, until=until,
            outlet=outlet, limit=limit, offset=offset,
        )  # fmt: skip

    def statements(
        self,
        query: str | None = None,
        *,
        speaker: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | None = None,
        limit: int | None = 20,
    ) -> list[Statement]:
        """Like :meth:`quotes`, with reports of the same statement by several outlets (also
        in different translations) grouped into one :class:`Statement`."""
        return find_statements(
            self.store, query=query, speaker=speaker, since=since, until=until,
            outlet=outlet, limit=limit,
        )  # fmt: skip

    def events(
        self,
        *,
        actor: str | None = None,
        type: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        status: Sequence[str] | None = None,
        limit: int | None = 1000,
    ) -> list[EventRecord]:
        """Event reports (one per document that reported an event), newest event first:
        ``actor`` a source or target name in any spelling, ``type`` a PLOVER type,
        ``since``/``until`` the event's date (undated: the publication date)."""
        return find_events(self.store, actor=actor, type=type, since=since, until=until,
                           status=status, limit=limit)  # fmt: skip

    def event_groups(
        self,
        *,
        actor: str | None = None,
        type: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        status: Sequence[str] | None = None,
    ) -> list[EventGroup]:
        """Like :meth:`events`, with the reports of one real event by several outlets
        grouped into one :class:`~newsgraph.events.EventGroup` (by date, undated last)."""
        return find_event_groups(self.store, actor=actor, type=type, since=since,
                                 until=until, status=status)  # fmt: skip

    def timeline(
        self,
        *,
        actor: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        include_unrealised: bool = False,
    ) -> list[EventGroup]:
        """Dated, deduplicated events in date order with their reports (occurred and
        planned; ``include_unrealised`` adds hypothetical and denied ones)."""
        return timeline(self.store, actor=actor, since=since, until=until,
                        include_unrealised=include_unrealised)  # fmt: skip

    def stories(
        self,
        *,
        since: dt.date | None = None,
        entity: str | None = None,
        limit: int | None = None,
    ) -> list[StorySummary]:
        """Stories (size, outlets, first/last seen), most recently updated first; ``entity``
        keeps those with a document mentioning an entity of that name."""
        return list(list_stories(self.store, since=since, entity=entity, limit=limit))

    def story(self, story_id: str) -> StoryDetail | None:
        """One story: its documents and the stories of its storyline."""
        return story_detail(self.store, story_id)

    def resolve_story(self, key: str) -> list[str]:
        """Story ids ``key`` may mean: a story id, a document's id (its story) or the start of
        story ids (several when ambiguous, none when unknown)."""
        return resolve_story(self.store, key)

    def recluster(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild every story from scratch in storage order; returns the number of stories.
        ``progress(done, total)`` is called as documents are clustered."""
        from newsgraph.stories import recluster

        return recluster(self.store, progress=progress)

    def move_document(
        self,
        document_id: str,
        *,
        with_document: str | None = None,
        note: str | None = None,
        author: str | None = None,
        recluster: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, Any]:
        """Correct the stories: the document belongs with ``with_document``'s story or, without
        one, not in its present story (it goes to the best other story or one of its own).
        Recorded (with who and why), then every story is rebuilt
        (``recluster``) so that it takes effect; later runs obey it too. With
        ``recluster=False`` it is only recorded (to rebuild once after several corrections).
        Returns the correction with ``story_before`` and ``story_after``. Raises
        :class:`newsgraph.store.stories.StoryCorrectionError` for a change that cannot be made.
        """
        c = add_story_correction(
            self.store, document_id, with_document=with_document, note=note, author=author
        )
        if recluster:
            self.recluster(progress=progress)
        doc = self.store.get_document(document_id)
        c["story_after"] = doc.story if doc else None
        return c

    def story_corrections(self) -> list[dict[str, Any]]:
        """The user's story corrections, oldest first, with who, when and why."""
        return list_story_corrections(self.store)

    def stats(self) -> Stats:
        return self.store.stats()

    def errors(self) -> list[ItemError]:
        """Inputs that failed (in this or earlier runs) and have not succeeded since."""
        return self.store.errors()

    def export(self, out_dir: str | os.PathLike[str]) -> ExportSummary:
        """Write documents.jsonl, entities.jsonl and stories.jsonl (the export contract)."""
        return export_store(self.store, out_dir)

    def report(self, selection: Selection | None = None) -> Report:
        """The situation report for ``selection`` (default: every document).

        Render it with :func:`newsgraph.report.render_markdown` or ``render_html``; raises
        :class:`newsgraph.report.SelectionError` for an unknown story or entity.
        """
        from newsgraph.report import build_report

        return build_report(self.store, selection)

    def export_tables(
        self, out_dir: str | os.PathLike[str], format: TableFormat = "parquet"
    ) -> TableExportSummary:
        """Write documents, mentions, quotes, events, entities and stories as Parquet or CSV."""
        from newsgraph.export_tables import export_tables

        return export_tables(self.store, out_dir, format)

    def web_app(
        self, *, reads_need_token: bool = False, cors_origins: Sequence[str] = ()
    ) -> FastAPI:
        """The REST API and web UI (a FastAPI app) over this store, for uvicorn or tests."""
        from newsgraph.web import WebSettings, create_app

        settings = WebSettings(reads_need_token=reads_need_token, cors_origins=list(cors_origins))
        return create_app(self.store, settings)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> NewsGraph:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open(
    db: str | os.PathLike[str] | None = None, *, kb: str | os.PathLike[str] | None = None
) -> NewsGraph:
    """Open (and create or migrate if needed) a newsgraph database.

    ``db`` is a SQLite file path (default ``newsgraph.db`` in the working folder) or a
    ``postgresql://`` URL. ``kb`` is a user knowledge-base file that :meth:`NewsGraph.run`
    uses (see there).
    """
    return NewsGraph(Store.open(db if db is not None else DEFAULT_DB), kb=kb)
