"""The ``events`` and ``timeline`` commands: PLOVER events grouped across outlets."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsgraph.api import DEFAULT_DB
from newsgraph.cli.app import DbOption, app, open_db, out
from newsgraph.events.formats import plover_record, tsv_rows
from newsgraph.events.grouping import EventGroup, Party

_DATE_FORMATS = ["%Y-%m-%d"]


class Format(StrEnum):
    table = "table"
    tsv = "tsv"
    plover = "plover"


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _party(p: Party) -> str:
    if p.empty:
        return "[dim]-[/]"
    state = f" [dim]({escape(p.country)})[/]" if p.country and p.type == "PERSON" else ""
    return escape(p.name or p.entity or "") + state


def _sources(g: EventGroup) -> str:
    lines = []
    for r in g.reports:
        rng = r.details.get("published_range")
        when = r.published.isoformat() if r.published else (f"≥ {rng[0]}" if rng else "undated")
        where = " [italic](photo caption)[/]" if r.from_caption else ""
        lines.append(f"{escape(r.outlet or r.document_id[:12])} {when}{where}")
    return "\n".join(dict.fromkeys(lines))


def _table(groups: list[EventGroup], *, timeline: bool) -> Table:
    table = Table(show_lines=True)
    table.add_column("date")
    table.add_column("event")
    table.add_column("source")
    table.add_column("target")
    table.add_column("where")
    if not timeline:
        table.add_column("status")
    table.add_column("reported by", overflow="fold")
    for g in groups:
        kind = g.type + (f" [dim]{escape(g.mode)}[/]" if g.mode else "")
        if timeline and g.status != "occurred":
            kind += f" [italic]({escape(g.status)})[/]"
        row = [
            g.date.isoformat() if g.date else "[dim]undated[/]",
            kind,
            _party(g.source),
            _party(g.target),
            escape(g.location.name or ""),
        ]
        if not timeline:
            row.append(escape(g.status))
        row.append(_sources(g))
        table.add_row(*row)
    return table


def _check_dates(since: dt.datetime | None, until: dt.datetime | None) -> None:
    if since is not None and until is not None and since > until:
        raise typer.BadParameter("--since is after --until", param_hint="--since")


ActorOption = Annotated[
    str | None,
    typer.Option("--actor", "-a", help="Source or target, any spelling.", show_default=False),
]
SinceOption = Annotated[
    dt.datetime | None,
    typer.Option(formats=_DATE_FORMATS, help="On or after (YYYY-MM-DD).", show_default=False),
]
UntilOption = Annotated[
    dt.datetime | None,
    typer.Option(formats=_DATE_FORMATS, help="On or before (YYYY-MM-DD).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per event.")]


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    actor: ActorOption = None,
    type_: Annotated[
        str | None,
        typer.Option("--type", "-t", help="PLOVER type, e.g. CONSULT.", show_default=False),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="occurred, planned, hypothetical or denied.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table, tsv (GDELT-like) or plover (JSON).")
    ] = Format.table,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Events to show.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List PLOVER events (who did what to whom, when, where), one row per real event with
    the outlets that reported it. Dates filter the event's date (undated events: the
    publication date). Events told only in a photo caption are listed too, marked
    "(photo caption)" (`from_caption` in JSON, TSV and PLOVER output).

    Examples:

        newsgraph events --actor Ortega --type CONSULT

        newsgraph events --since 2022-01-01 --until 2022-01-31 --status occurred

        newsgraph events --format tsv > events.tsv

        newsgraph events --format plover > events.jsonl
    """
    _check_dates(since, until)
    statuses = None
    if status is not None:
        statuses = [s.strip().lower() for s in status.split(",") if s.strip()]
        bad = set(statuses) - {"occurred", "planned", "hypothetical", "denied"}
        if bad:
            raise typer.BadParameter(f"unknown status {sorted(bad)}", param_hint="--status")
    with open_db(db) as ng:
        try:
            groups = ng.event_groups(
                actor=actor, type=type_, since=_date(since), until=_date(until), status=statuses
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--type") from exc
    groups = groups[:limit]
    _emit(groups, fmt, as_json, timeline=False)


@app.command()
def timeline(
    db: DbOption = DEFAULT_DB,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    all_statuses: Annotated[
        bool, typer.Option("--all", help="Also hypothetical and denied events.")
    ] = False,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table, tsv (GDELT-like) or plover (JSON).")
    ] = Format.table,
    as_json: JsonOption = False,
) -> None:
    """A dated, deduplicated timeline of events (occurred and planned), oldest first, each
    with the outlets that reported it.

    Examples:

        newsgraph timeline --actor Ortega

        newsgraph timeline --since 2022-01-01 --json
    """
    _check_dates(since, until)
    with open_db(db) as ng:
        groups = ng.timeline(
            actor=actor, since=_date(since), until=_date(until), include_unrealised=all_statuses
        )
    _emit(groups, fmt, as_json, timeline=True)


def _emit(groups: list[EventGroup], fmt: Format, as_json: bool, *, timeline: bool) -> None:
    if as_json:
        for g in groups:
            sys.stdout.write(json.dumps(g.as_dict(), ensure_ascii=False) + "\n")
        return
    if fmt is Format.tsv:
        for line in tsv_rows(groups):
            sys.stdout.write(line + "\n")
        return
    if fmt is Format.plover:
        for g in groups:
            sys.stdout.write(json.dumps(plover_record(g), ensure_ascii=False) + "\n")
        return
    if not groups:
        out.print("no events")
        return
    out.print(_table(groups, timeline=timeline))
