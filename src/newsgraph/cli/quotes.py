"""The ``quotes`` command: who said what, grouped across outlets."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsgraph.api import DEFAULT_DB
from newsgraph.cli.app import DbOption, app, open_db, out
from newsgraph.store.quotes import QuoteRecord, Statement

_DATE_FORMATS = ["%Y-%m-%d"]
_MAX_QUOTE_CHARS = 600  # table cells; --json always has the full text


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_QUOTE_CHARS else text[: _MAX_QUOTE_CHARS - 1] + "…"


def _speaker(name: str | None, is_entity: bool) -> str:
    if name is None:
        return "[dim](unknown)[/]"
    return escape(name) if is_entity else f"[italic]{escape(name)}[/]"


def _where(r: QuoteRecord) -> str:
    date = r.published.isoformat() if r.published else "undated"
    return f"{escape(r.outlet or '(no outlet)')} {date}"


def _statement_table(statements: list[Statement]) -> Table:
    table = Table(show_lines=True)
    table.add_column("speaker")
    table.add_column("statement", overflow="fold")
    table.add_column("carried by", overflow="fold")
    for s in statements:
        cues = sorted({r.cue for r in s.reports if r.cue})
        cue = f"\n[dim]{escape(', '.join(cues))}[/]" if cues else ""
        carried = "\n".join(_where(r) for r in s.reports)
        table.add_row(
            _speaker(s.speaker_name, s.speaker is not None) + cue,
            escape(_clip(s.text)),
            carried,
        )
    return table


def _record_table(records: list[QuoteRecord]) -> Table:
    table = Table(show_lines=True)
    table.add_column("date")
    table.add_column("outlet")
    table.add_column("speaker")
    table.add_column("cue")
    table.add_column("quote", overflow="fold")
    for r in records:
        table.add_row(
            r.published.isoformat() if r.published else "",
            escape(r.outlet or ""),
            _speaker(r.speaker_name, r.speaker is not None),
            escape(r.cue or ""),
            escape(_clip(r.text)),
        )
    return table


@app.command()
def quotes(
    query: Annotated[
        str | None,
        typer.Argument(
            help='Words of the quote; "quoted phrases", -exclude, or.', show_default=False
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[
        str | None,
        typer.Option(
            "--speaker",
            "-s",
            help="Who said it, in any spelling (also words of an anonymous source).",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=_DATE_FORMATS, help="Published on or after (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    until: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=_DATE_FORMATS, help="Published on or before (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Only this outlet.", show_default=False)
    ] = None,
    grouped: Annotated[
        bool,
        typer.Option(
            "--grouped/--no-grouped",
            help="One row per statement with the outlets that carried it, or every report.",
        ),
    ] = True,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="Statements (or quotes) to show.")
    ] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per statement (or quote).")
    ] = False,
) -> None:
    """List who said what, newest first, with the same statement from several outlets shown
    once (also when the outlets carried it in different translations).

    Examples:

        newsgraph quotes --speaker Blinken

        newsgraph quotes --speaker "Brinken" --since 2022-01-01 sovereignty

        newsgraph quotes '"serious diplomatic"' --outlet Reuters --no-grouped --json
    """
    if speaker is not None and not speaker.strip():
        raise typer.BadParameter("give a name (or leave --speaker out)", param_hint="--speaker")
    if since is not None and until is not None and since > until:
        raise typer.BadParameter("--since is after --until", param_hint="--since")
    statements: list[Statement] = []
    records: list[QuoteRecord] = []
    with open_db(db) as ng:
        if grouped:
            statements = ng.statements(
                query, speaker=speaker, since=_date(since), until=_date(until), outlet=outlet,
                limit=limit,
            )  # fmt: skip
        else:
            records = ng.quotes(
                query, speaker=speaker, since=_date(since), until=_date(until), outlet=outlet,
                limit=limit,
            )  # fmt: skip
    if as_json:
        for row in statements or records:
            sys.stdout.write(json.dumps(row.as_dict(), ensure_ascii=False) + "\n")
        return
    if not (statements or records):
        out.print("no quotes")
        return
    out.print(_statement_table(statements) if grouped else _record_table(records))
