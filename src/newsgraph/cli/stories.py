"""Story commands: stories, story, recluster."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsgraph.api import DEFAULT_DB, NewsGraph
from newsgraph.cli.app import (
    EXIT_USAGE,
    ByOption,
    DbOption,
    NoteOption,
    app,
    author_name,
    err,
    open_db,
    out,
)
from newsgraph.store.stories import StoryCorrectionError, StorySummary


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _json(row: dict) -> None:
    sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def _seen(s: StorySummary) -> str:
    first, last = _d(s.first_seen), _d(s.last_seen)
    return first if first == last else f"{first}\n{last}"


def _story_table(rows: list[StorySummary], title: str | None = None) -> Table:
    # The title gets the room: ids and dates never wrap, outlets and titles share the rest.
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("story", no_wrap=True, min_width=max((len(s.id) for s in rows), default=5))
    table.add_column("docs", justify="right", no_wrap=True)
    table.add_column("seen", no_wrap=True, min_width=10)  # first (and last) date
    table.add_column("outlets", overflow="fold", ratio=1, width=12)
    table.add_column("title", overflow="fold", ratio=3)
    for s in rows:
        table.add_row(
            s.id,
            str(s.size),
            _seen(s),
            escape(", ".join(s.outlets)),
            escape(s.title),
        )
    return table


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    since: Annotated[
        str | None, typer.Option("--since", help="Only stories seen on or after YYYY-MM-DD.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Only stories mentioning this entity name.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Stories to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per story.")] = False,
) -> None:
    """Stories (documents about one happening), most recently updated first.

    Shows each story's size, outlets and first/last publication date.

    Examples:

        newsgraph stories --db news.db

        newsgraph stories --since 2022-01-20 --entity Lavrov --json
    """
    day = _date(since)
    with open_db(db) as ng:
        rows = ng.stories(since=day, entity=entity, limit=limit)
    if as_json:
        for s in rows:
            _json(s.as_dict())
        return
    if not rows:
        out.print("no stories")
        return
    out.print(_story_table(rows))


@app.command()
def story(
    story_id: Annotated[
        str,
        typer.Argument(
            help="A story id (see `newsgraph stories`), the start of one, or a document's id."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """One story: its documents and the storyline around it.

    Example:

        newsgraph story sfc0dd30cc47d86db --db news.db

        newsgraph story sfc0d --db news.db      # a unique start of an id is enough
    """
    with open_db(db) as ng:
        ids = ng.resolve_story(story_id)
        if len(ids) == 1:
            detail = ng.story(ids[0])
    if not ids:
        err.print(
            f"[bold red]error:[/] no story {escape(story_id)!r} "
            "(`newsgraph stories` lists them; a document's id also finds its story)"
        )
        raise typer.Exit(EXIT_USAGE)
    if len(ids) > 1:
        err.print(
            f"[bold red]error:[/] {escape(story_id)!r} starts several story ids: " + ", ".join(ids)
        )
        raise typer.Exit(EXIT_USAGE)
    assert detail is not None
    if as_json:
        _json(
            {
                **detail.story.as_dict(),
                "documents": [
                    {
                        "id": d.id,
                        "title": d.title,
                        "outlet": d.outlet,
                        "published": _d(d.published) or None,
                        "duplicate_of": d.duplicate_of,
                        "moved": d.moved,
                    }
                    for d in detail.documents
                ],
                "storyline_title": detail.storyline_title,
                "storyline_stories": [s.as_dict() for s in detail.storyline],
            }
        )
        return
    s = detail.story
    out.print(f"[bold]{escape(s.title)}[/]  ({s.id}, {s.size} documents)")
    docs = Table(title="Documents", title_justify="left")
    docs.add_column("document")
    docs.add_column("date")
    docs.add_column("outlet")
    docs.add_column("title", overflow="fold")
    for d in detail.documents:
        dup = f" [dim](duplicate of {d.duplicate_of})[/]" if d.duplicate_of else ""
        dup += " [dim](moved by a story correction)[/]" if d.moved else ""
        docs.add_row(d.id, _d(d.published), escape(d.outlet or ""), escape(d.title or "") + dup)
    out.print(docs)
    if detail.storyline:
        title = f"Storyline {s.storyline}: {escape(detail.storyline_title or '')}"
        out.print(_story_table(detail.storyline, title))


@app.command()
def recluster(
    db: DbOption = DEFAULT_DB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Rebuild every story and storyline from scratch, in storage order.

    Gives the same stories as the incremental clustering did when the documents arrived.

    Example:

        newsgraph recluster --db news.db
    """
    progress = _recluster_progress(quiet)
    with open_db(db) as ng, progress:
        task = progress.add_task("recluster", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        n = ng.recluster(progress=report)
    out.print(f"{n} stories")


def _recluster_progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]recluster"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    )


@app.command("story-move")
def story_move(
    document: Annotated[str, typer.Argument(help="The id of the document to move.")],
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Where it belongs: a document id, or a story id (or a unique start of one).",
            show_default=False,
        ),
    ] = None,
    apart: Annotated[
        bool,
        typer.Option(
            "--apart",
            help="It is not about its present story's happening: out of it, into the best "
            "other story or one of its own.",
        ),
    ] = False,
    db: DbOption = DEFAULT_DB,
    note: NoteOption = None,
    by: ByOption = None,
    now: Annotated[
        bool,
        typer.Option(
            "--recluster/--no-recluster",
            help="Rebuild the stories now, or only record the correction (to rebuild once, "
            "with `newsgraph recluster`, after several).",
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the correction as JSON.")] = False,
) -> None:
    """Correct the stories: DOCUMENT belongs in another story (--to), or not in its present
    one (--apart: it goes to the best other story, or one of its own).

    The correction is kept (with --note and --by) and every story is rebuilt so that it takes
    effect; `newsgraph recluster` and later runs obey it too: the document never joins (or
    merges with) a story holding the documents it was moved away from. A later correction of
    the same document replaces it. `newsgraph story-corrections` lists them.

    Examples:

        newsgraph story-move d5daeda8a56336bbd --apart --note "another meeting"

        newsgraph story-move d5daeda8a56336bbd --to sfc0d
    """
    if (to is None) == (not apart):
        raise typer.BadParameter("give exactly one of --to and --apart", param_hint="--to")
    with open_db(db) as ng:
        target = None
        if to is not None:
            target = _target_document(ng, to)
        progress = _recluster_progress(quiet)
        try:
            with progress:
                task = progress.add_task("recluster", total=None)
                c = ng.move_document(
                    document,
                    with_document=target,
                    note=note,
                    author=author_name(by),
                    recluster=now,
                    progress=lambda done, total: progress.update(task, completed=done, total=total),
                )
        except StoryCorrectionError as e:
            err.print(f"[bold red]error:[/] {escape(str(e))}")
            raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        _json(c)
        return
    if not now:
        out.print(
            f"{c['document_id']}: correction {c['id']} recorded; `newsgraph recluster` applies it"
        )
        return
    out.print(
        f"{c['document_id']}: story {c['story_before']} -> {c['story_after']}"
        + (f" (with {c['with_document']})" if c["with_document"] else " (apart)")
    )


def _target_document(ng: NewsGraph, key: str) -> str:
    """A document id as given, else the first document of the one story ``key`` names."""
    if ng.store.get_document(key) is not None:
        return key
    ids = ng.resolve_story(key)
    if len(ids) != 1:
        what = "no document or story" if not ids else "several stories: " + ", ".join(ids)
        err.print(f"[bold red]error:[/] --to {escape(key)!r}: {what}")
        raise typer.Exit(EXIT_USAGE)
    detail = ng.story(ids[0])
    assert detail is not None and detail.documents
    return detail.documents[0].id


@app.command("story-corrections")
def story_corrections(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List the user's story corrections (`story-move`), oldest first, with who made them,
    when and why. Every clustering obeys them.

    Example:

        newsgraph story-corrections --json
    """
    with open_db(db) as ng:
        rows = ng.story_corrections()
    if as_json:
        for c in rows:
            _json(c)
        return
    if not rows:
        err.print("no story corrections yet")
        return
    table = Table(expand=True)
    for col in ("id", "document", "move", "note", "by", "when"):
        table.add_column(col, overflow="fold")
    for c in rows:
        move = f"with {c['with_document']}" if c["with_document"] else "apart"
        move += f" (away from {len(c['apart_from'])} documents)"
        table.add_row(str(c["id"]), c["document_id"], move, escape(c.get("note") or ""),
                      escape(c.get("author") or ""), c.get("created_at") or "")  # fmt: skip
    out.print(table)
