"""The annotate command: add NLP stages to documents already stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsgraph.annotate import AnnotateProgress, AnnotateSummary
from newsgraph.api import DEFAULT_DB
from newsgraph.cli.app import EXIT_ITEMS_FAILED, EXIT_USAGE, DbOption, app, err, open_db, out
from newsgraph.cli.core import _error_table
from newsgraph.entities.kb import KBError
from newsgraph.pipeline import NLP_STAGES


def _summary_table(s: AnnotateSummary) -> Table:
    table = Table(title="Annotate summary", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents looked at", str(s.documents))
    table.add_row("annotated", str(s.annotated))
    table.add_row("entities linked again (no NLP)", str(s.relinked))
    table.add_row("documents written", str(s.written))
    table.add_row("entity resolution rebuilt", "yes" if s.rebuilt_entities else "no")
    stories = "not reclustered" if s.stories is None else str(s.stories)
    table.add_row("stories after recluster", stories)
    table.add_row("failed documents", str(len(s.errors)))
    rate = s.annotated / s.seconds if s.seconds else 0.0
    table.add_row("time", f"{s.seconds:.1f} s ({rate:.1f} documents/s annotated)")
    return table


def _stages(value: str) -> list[str]:
    chosen = [s.strip() for s in value.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(NLP_STAGES))
    if unknown or not chosen:
        raise typer.BadParameter(
            f"unknown stage(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(NLP_STAGES)}",
            param_hint="--stages",
        )
    return chosen


def _since(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--since"
        ) from None


@app.command()
def annotate(
    db: DbOption = DEFAULT_DB,
    stages: Annotated[
        str,
        typer.Option("--stages", help=f"NLP stages, comma-separated ({', '.join(NLP_STAGES)})."),
    ] = ",".join(NLP_STAGES),
    only_missing: Annotated[
        bool,
        typer.Option(
            "--only-missing/--all",
            help="Only the stages a document has not had yet, or all of them again "
            "(re-running entities rebuilds entity resolution for the whole store).",
        ),
    ] = True,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only documents published on or after this day (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Worker processes for the NLP stages.")
    ] = 1,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Documents per store transaction.")
    ] = 200,
    recluster: Annotated[
        bool,
        typer.Option(
            "--recluster/--no-recluster",
            help="Rebuild stories afterwards when entities changed (stories cluster on them) "
            "or some document has no story.",
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    kb: Annotated[
        Path | None,
        typer.Option(
            "--kb",
            help="Your own knowledge base (as for run). Default: $NEWSGRAPH_KB.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add NLP stages (entities, quotes, events) to documents already in the database.

    Documents go through the same per-document stages as in `run`; their old annotations
    for those stages are replaced, in batches of one transaction each. Running it twice
    changes nothing; a killed annotate resumes when run again.

    Examples:

        newsgraph run dump.jsonl --stages none --db news.db   # fast ingest first

        newsgraph annotate --db news.db                        # then entities, quotes, events

        newsgraph annotate --db news.db --stages events --since 2022-01-01 --workers 2

        newsgraph annotate --db news.db --all --stages entities   # redo entities from scratch
    """
    chosen = _stages(stages)
    day = _since(since)
    with open_db(db) as ng:
        progress = Progress(
            TextColumn("[bold]annotating"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("documents · {task.fields[errs]} failed"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=True,
        )
        with progress:
            task = progress.add_task("annotate", total=None, errs=0)

            def report(p: AnnotateProgress) -> None:
                progress.update(task, total=p.total, completed=p.done, errs=len(p.summary.errors))

            try:
                summary = ng.annotate(
                    stages=chosen,
                    only_missing=only_missing,
                    since=day,
                    workers=workers,
                    batch_size=batch_size,
                    recluster=recluster,
                    progress=report,
                    kb=kb,
                )
            except KBError as exc:
                err.print(f"[bold red]error:[/] {escape(str(exc))}")
                raise typer.Exit(EXIT_USAGE) from exc
        out.print(_summary_table(summary))
        if summary.errors:
            err.print(_error_table(summary.errors, limit=20))
            more = len(summary.errors) - 20
            if more > 0:
                err.print(f"… and {more} more.")
            raise typer.Exit(EXIT_ITEMS_FAILED)
