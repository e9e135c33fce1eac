"""Web commands: ``serve`` (REST API + web UI with uvicorn) and ``token`` (API tokens)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsgraph.api import DEFAULT_DB
from newsgraph.cli.app import EXIT_USAGE, DbOption, app, err, open_db, out

token_app = typer.Typer(
    name="token",
    help="Create, list and revoke API tokens for the REST API's write endpoints.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(token_app, name="token")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8765,
    open_reads: Annotated[
        bool | None,
        typer.Option(
            "--open-reads/--token-reads",
            help="Whether read endpoints and pages need no token. Default: open on a loopback "
            "address, token required on any other.",
            show_default=False,
        ),
    ] = None,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin", help="Allow this browser origin (repeatable). Default: no CORS."
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="uvicorn worker processes.")] = 1,
    allow_private_fetch: Annotated[
        bool,
        typer.Option(
            "--allow-private-fetch",
            help="Let feed URLs posted to the API point at loopback, private or link-local "
            "addresses (off by default: a client could otherwise probe your network).",
        ),
    ] = False,
) -> None:
    """Serve the REST API (/api/v1, schema at /openapi.json) and the web UI.

    Examples:

        newsgraph serve --db news.db                      # http://127.0.0.1:8765/
        newsgraph serve --db news.db --port 9000
        newsgraph serve --host 0.0.0.0 --db news.db       # reads need a token off loopback
    """
    import uvicorn

    from newsgraph.web.security import is_loopback
    from newsgraph.web.server import build_app, settings_env

    if workers > 1 and db in (":memory:", "sqlite://"):
        raise typer.BadParameter(
            "an in-memory database cannot be shared by workers", param_hint="--workers"
        )
    reads_open = is_loopback(host) if open_reads is None else open_reads
    if not reads_open:
        err.print("[yellow]note:[/] read endpoints need a token (Authorization: Bearer …)")
    ng = open_db(db)  # fail early with a clear message on a bad database
    ng.close()
    env = settings_env(
        db,
        reads_need_token=not reads_open,
        cors_origins=cors_origin or [],
        allow_private_fetch=allow_private_fetch,
    )
    out.print(f"newsgraph serving {escape(db)} on http://{escape(host)}:{port}/")
    if workers > 1:
        import os

        os.environ.update(env)
        uvicorn.run(
            "newsgraph.web.server:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
    else:
        uvicorn.run(build_app(env), host=host, port=port, log_level="warning")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="What the token is for (shown in `token list`).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Create a token; it is printed once (only its hash is stored).

    Example:

        newsgraph token create ingest-bot --db news.db
        curl -H "Authorization: Bearer ng_…" -X POST http://127.0.0.1:8765/api/v1/documents …
    """
    from newsgraph.store.web import create_token

    if not name.strip():
        raise typer.BadParameter("give the token a name", param_hint="NAME")
    with open_db(db) as ng:
        token_id, token = create_token(ng.store, name.strip())
    if as_json:
        sys.stdout.write(json.dumps({"id": token_id, "name": name.strip(), "token": token}) + "\n")
    else:
        out.print(
            f"token {token_id} ({escape(name.strip())}) — store it now, it is not shown again:"
        )
        sys.stdout.write(token + "\n")


@token_app.command("list")
def token_list(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per token.")] = False,
) -> None:
    """List tokens (ids, names, prefixes, dates; never the tokens).

    Example:

        newsgraph token list --db news.db
    """
    from newsgraph.store.web import list_tokens

    with open_db(db) as ng:
        rows = list_tokens(ng.store)
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(r, default=str) + "\n")
        return
    table = Table(title="API tokens", title_justify="left")
    for col in ("id", "name", "prefix", "created", "last used", "revoked"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]),
            escape(r["name"]),
            escape(r["prefix"]) + "…",
            str(r["created_at"])[:19],
            str(r["last_used_at"] or "")[:19],
            str(r["revoked_at"] or "")[:19],
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="Token id (from `token list`).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Revoke a token by id; requests with it get 401 from then on.

    Example:

        newsgraph token revoke 3 --db news.db
    """
    from newsgraph.store.web import revoke_token

    with open_db(db) as ng:
        done = revoke_token(ng.store, token_id)
    if not done:
        err.print(f"[bold red]error:[/] no active token with id {token_id}")
        raise typer.Exit(EXIT_USAGE)
    out.print(f"token {token_id} revoked")
