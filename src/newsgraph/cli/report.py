"""The ``report`` command: a situation report in Markdown or self-contained HTML."""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsgraph.api import DEFAULT_DB
from newsgraph.atomic import atomic_output
from newsgraph.cli.app import EXIT_USAGE, DbOption, app, err, open_db
from newsgraph.report import Selection, SelectionError, render_html, render_markdown


class ReportFormat(StrEnum):
    md = "md"
    html = "html"


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def _write(path: Path, content: str) -> None:
    """Atomic write: a reader never sees half a report."""
    with atomic_output(path) as (fd, _tmp), os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(content)


@app.command()
def report(
    query: Annotated[
        str | None, typer.Argument(help="Full-text search selecting the articles (optional).")
    ] = None,
    story: Annotated[str | None, typer.Option("--story", help="A story id.")] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="An entity name, alias or id.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Published on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Published on or before (YYYY-MM-DD).")
    ] = None,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="md or html (default: from --out, else md)."),
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Newest articles covered at most.")
    ] = 2000,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write a situation report: timeline, key actors and statements, positions, discrepancies
    between sources, and the articles covered; every fact links to the span it came from.

    Criteria combine; with none, the report covers every article.

    Examples:

        newsgraph report --story s-1 --format html --out report.html

        newsgraph report --entity Lavrov --since 2022-01-01 --until 2022-01-31

        newsgraph report '"security guarantees"' --out report.md
    """
    selection = Selection(
        story=story,
        entity=entity,
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        query=query,
        limit=limit,
    )
    if fmt is None:
        suffix = out_path.suffix.lower() if out_path else ""
        fmt = ReportFormat.html if suffix in (".html", ".htm") else ReportFormat.md
    with open_db(db) as ng:
        try:
            built = ng.report(selection)
        except SelectionError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(EXIT_USAGE) from exc
    content = render_html(built) if fmt is ReportFormat.html else render_markdown(built)
    if out_path is None:
        sys.stdout.write(content)
        return
    _write(out_path, content)
    err.print(
        f"wrote {fmt.value} report on {len(built.articles)} articles "
        f"({len(built.timeline)} events, {len(built.discrepancies)} discrepancies) "
        f"to {escape(str(out_path))}"
    )
