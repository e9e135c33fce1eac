"""Core commands: run, export, search, stats, errors."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsgraph.api import DEFAULT_DB
from newsgraph.cli.app import (
    EXIT_ITEMS_FAILED,
    EXIT_USAGE,
    DbOption,
    app,
    err,
    open_db,
    out,
)
from newsgraph.entities.kb import KBError
from newsgraph.model import ItemError
from newsgraph.parallel import RayUnavailable
from newsgraph.pipeline import STAGES, RunSummary
from newsgraph.pipeline import Progress as RunProgress
from newsgraph.store import MARK_END, MARK_START


def _error_table(errors: list[ItemError], limit: int | None = None) -> Table:
    table = Table(title="Failed items", title_justify="left", show_lines=False)
    table.add_column("input", overflow="fold")
    table.add_column("stage")
    table.add_column("error")
    table.add_column("message", overflow="fold")
    for e in errors[:limit] if limit else errors:
        table.add_row(escape(e.where()), e.stage, escape(e.error), escape(e.message))
    return table


def _summary_table(summary: RunSummary, stats_docs: int) -> Table:
    table = Table(title="Run summary", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("sources read", str(summary.sources))
    table.add_row("items found", str(summary.items))
    table.add_row("new documents stored", str(summary.stored))
    table.add_row("  of which duplicates", str(summary.duplicates))
    table.add_row("  without a publication date", str(summary.undated))
    table.add_row("already stored (skipped)", str(summary.skipped))
    table.add_row("failed items", str(len(summary.errors)))
    table.add_row("documents in database", str(stats_docs))
    rate = summary.items / summary.seconds if summary.seconds else 0.0
    table.add_row("time", f"{summary.seconds:.1f} s ({rate:.1f} items/s)")
    return table


@app.command()
def run(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files, folders (recursive), globs or feed URLs.", show_default=False),
    ],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Worker processes for per-document work.")
    ] = 1,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Documents per store transaction.")
    ] = 200,
    stages: Annotated[
        str,
        typer.Option(
            "--stages",
            help=f"Stages to run, comma-separated ({', '.join(STAGES)}), or 'none' "
            "for ingest, cleaning and deduplication only.",
        ),
    ] = ",".join(STAGES),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            help="Run per-document work on Ray: 'local' starts a Ray instance with --workers "
            "CPUs; 'auto' or ray://HOST:PORT joins a cluster (every node needs newsgraph "
            "installed). The database is still written from this machine.",
            show_default=False,
        ),
    ] = None,
    kb: Annotated[
        Path | None,
        typer.Option(
            "--kb",
            help="Your own knowledge base: a JSON Lines file of entities (id, name, type, "
            "aliases, wikidata; optional roles) added to the shipped one; an entry with a "
            "shipped id replaces it. Default: $NEWSGRAPH_KB.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Ingest and process news INPUTs into the database.

    Re-running is safe: items already stored are skipped, so a killed run resumes.

    Examples:

        newsgraph run sample/

        newsgraph run 'crawl/**/*.html' feeds.jsonl --db news.db --workers 4

        newsgraph run dump.jsonl --stages none      # ingest, clean, dedup only

        newsgraph run https://example.org/rss.xml --db postgresql://user@localhost/news

        newsgraph run 'warc/*.warc.gz' --ray auto --db postgresql://user@dbhost/news

        newsgraph run sample/ --kb my_entities.jsonl   # link to your own entities too
    """
    chosen = [s.strip() for s in stages.split(",") if s.strip() and s.strip() != "none"]
    unknown = sorted(set(chosen) - set(STAGES))
    if unknown:
        raise typer.BadParameter(
            f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)} or none",
            param_hint="--stages",
        )
    with open_db(db) as ng:
        progress = Progress(
            TextColumn("[bold]processing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("sources · {task.fields[docs]} stored · {task.fields[errs]} failed"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=True,
        )
        with progress:
            task = progress.add_task("run", total=None, docs=0, errs=0)

            def report(p: RunProgress) -> None:
                progress.update(
                    task,
                    total=p.sources_total,
                    completed=p.sources_done,
                    docs=p.summary.stored,
                    errs=len(p.summary.errors),
                )

            try:
                summary = ng.run(
                    inputs,
                    workers=workers,
                    batch_size=batch_size,
                    stages=chosen,
                    progress=report,
                    executor="ray" if ray else "local",
                    ray_address=None if ray in (None, "local") else ray,
                    kb=kb,
                )
            except KBError as exc:
                err.print(f"[bold red]error:[/] {escape(str(exc))}")
                raise typer.Exit(EXIT_USAGE) from exc
            except RayUnavailable as exc:
                err.print(f"[bold red]error:[/] {escape(str(exc))}")
                raise typer.Exit(EXIT_USAGE) from exc
        out.print(_summary_table(summary, ng.stats().documents))
        if "stories" in chosen and summary.undated > 1:
            err.print(
                f"note: {summary.undated} new documents have no publication date; stories "
                "cannot tell repeated happenings of the same actors apart without one (give "
                "`published` per item; docs/stories.md)"
            )
        if summary.errors:
            err.print(_error_table(summary.errors, limit=20))
            more = len(summary.errors) - 20
            if more > 0:
                err.print(f"… and {more} more.")
            err.print("See them all with [bold]newsgraph errors[/].")
            raise typer.Exit(EXIT_ITEMS_FAILED)


@app.command()
def export(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the files into.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl (the export contract), parquet or csv (one file per table).",
        ),
    ] = "jsonl",
) -> None:
    """Write documents.jsonl, entities.jsonl and stories.jsonl (the export contract) plus
    captions.jsonl (events told only in photo captions), or documents, mentions, quotes,
    events, entities and stories tables as Parquet or CSV.

    Examples:

        newsgraph export --db news.db --out export/

        newsgraph export --db news.db --format parquet --out tables/
    """
    if fmt not in ("jsonl", "parquet", "csv"):
        raise typer.BadParameter(f"{fmt!r}: use jsonl, parquet or csv", param_hint="--format")
    if fmt != "jsonl":
        with open_db(db) as ng:
            tables = ng.export_tables(out_dir, fmt)  # type: ignore[arg-type]
        counts = ", ".join(f"{n} {name}" for name, n in tables.rows.items())
        out.print(f"wrote {counts} as {fmt} to {escape(str(tables.directory))}")
        return
    with open_db(db) as ng:
        summary = ng.export(out_dir)
    out.print(
        f"wrote {summary.documents} documents, {summary.entities} entities, "
        f"{summary.stories} stories to {escape(str(summary.directory))}"
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words to find; "quoted phrases" and prefix*.')],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Hits to show.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit.")] = False,
) -> None:
    """Full-text search over titles and article text, best match first.

    Examples:

        newsgraph search Lavrov

        newsgraph search '"security guarantees" NATO' --limit 5
    """
    with open_db(db) as ng:
        hits = ng.search(query, limit=limit)
    if as_json:
        for hit in hits:
            row = {**asdict(hit), "published": hit.published.isoformat() if hit.published else None}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if not hits:
        out.print("no matches")
        return
    table = Table(show_lines=True)
    table.add_column("id")
    table.add_column("date")
    table.add_column("outlet")
    table.add_column("title / snippet", overflow="fold")
    for h in hits:
        title = escape(h.title or "(untitled)")
        table.add_row(
            h.id,
            h.published.isoformat() if h.published else "",
            escape(h.outlet or ""),
            f"[bold]{title}[/]\n{_highlight(h.snippet)}",
        )
    out.print(table)


def _highlight(snippet: str) -> str:
    """Escape the untrusted snippet, then turn the store's match markers into rich markup."""
    return escape(snippet).replace(MARK_START, "[bold yellow]").replace(MARK_END, "[/]")


@app.command()
def stats(db: DbOption = DEFAULT_DB) -> None:
    """Counts: documents, duplicates, languages, outlets, dates, errors.

    Example:

        newsgraph stats --db news.db
    """
    with open_db(db) as ng:
        s = ng.stats()
    table = Table(title=f"newsgraph database {escape(ng.store.url)}", show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    for key, value in s.as_dict().items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        elif isinstance(value, list | tuple):
            value = ", ".join(f"{v[0]} ({v[1]})" if isinstance(v, list) else str(v) for v in value)
            value = value or "-"
        table.add_row(key.replace("_", " "), escape(str(value)))
    out.print(table)


@app.command()
def errors(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per error.")] = False,
) -> None:
    """List the inputs that failed and why (kept until the item succeeds).

    Example:

        newsgraph errors --db news.db
    """
    with open_db(db) as ng:
        errs = ng.errors()
    if as_json:
        for e in errs:
            sys.stdout.write(json.dumps(e.model_dump(), ensure_ascii=False) + "\n")
        return
    if not errs:
        out.print("no failed items")
        return
    out.print(_error_table(errs))
