"""The ``newsgraph`` Typer app and what every command module shares.

Exit codes: 0 all good, 1 some items failed, 2 usage or configuration error.
"""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

import newsgraph
from newsgraph.api import NewsGraph
from newsgraph.store import StoreError

app = typer.Typer(
    name="newsgraph",
    help="Turn raw news (HTML, text scrapes, JSONL, WARC, RSS/Atom) into a deduplicated, "
    "queryable record.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

EXIT_OK, EXIT_ITEMS_FAILED, EXIT_USAGE = 0, 1, 2

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="SQLite file path or postgresql:// URL.",
        envvar="NEWSGRAPH_DB",
        show_default=True,
    ),
]


def open_db(db: str) -> NewsGraph:
    try:
        return newsgraph.open(db)
    except StoreError as exc:
        err.print(f"[bold red]error:[/] cannot open database {escape(db)}: {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc


def _version(value: bool) -> None:
    if value:
        out.print(f"newsgraph {newsgraph.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """newsgraph: offline news analytics."""


# Options of the commands that record a user's correction (entities, stories).
NoteOption = Annotated[
    str | None, typer.Option("--note", help="Why (kept with the correction).", show_default=False)
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who decides (default: the login name).", show_default=False),
]


def author_name(by: str | None) -> str | None:
    """Who makes a correction: ``--by``, else the login name (none in some containers)."""
    if by:
        return by
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None
