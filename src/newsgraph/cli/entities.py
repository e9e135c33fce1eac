"""The ``entities`` and ``entity`` commands: canonical people, organisations and places."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsgraph.api import DEFAULT_DB
from newsgraph.cli.app import (
    EXIT_ITEMS_FAILED,
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
from newsgraph.store.entities import CorrectionError, EntityDetail

_MAX_ALIASES = 6  # in the table; --json has them all


def _types(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    # "--type PERSON,ORG" and "--type PERSON --type ORG" both work.
    return [t.strip().upper() for v in values for t in v.split(",") if t.strip()]


@app.command()
def entities(
    query: Annotated[
        str | None,
        typer.Argument(help="A name in any spelling (or part of one).", show_default=False),
    ] = None,
    db: DbOption = DEFAULT_DB,
    type_: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            "-t",
            help="Only these labels (PERSON, ORG, GPE, LOC, NORP …).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Entities to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per entity.")] = False,
) -> None:
    """List canonical entities, most mentioned first, with their aliases and counts.

    A QUERY matches names and aliases in any spelling: "Brinken" or "Lawrow" find the
    canonical entity.

    Examples:

        newsgraph entities --type PERSON

        newsgraph entities "Anthony Brinken"

        newsgraph entities --type ORG,GPE --limit 10 --json
    """
    with open_db(db) as ng:
        rows = list(ng.entities(query, types=_types(type_), limit=limit))
    if as_json:
        for e in rows:
            sys.stdout.write(json.dumps(e.model_dump(mode="json"), ensure_ascii=False) + "\n")
        return
    if not rows:
        err.print("no entities match" if query or type_ else "no entities yet")
        return
    table = Table()
    for col in ("name", "type", "mentions", "documents", "aliases", "id"):
        table.add_column(col, overflow="fold", justify="right" if col[0] in "md" else "left",
                         no_wrap=col == "id")  # fmt: skip
    for e in rows:
        aliases = e.aliases[:_MAX_ALIASES]
        more = f" (+{len(e.aliases) - len(aliases)})" if len(e.aliases) > len(aliases) else ""
        table.add_row(escape(e.name), e.type, str(e.mentions), str(e.documents),
                      escape(", ".join(aliases)) + more, e.id)  # fmt: skip
    out.print(table)


def _print_detail(d: EntityDetail) -> None:
    e = d.entity
    out.print(f"[bold]{escape(e.name)}[/]  {e.type}  [dim]{e.id}[/]")
    out.print(f"wikidata: {escape(e.wikidata) if e.wikidata else '[dim]not linked[/]'}")
    out.print(f"mentions: {e.mentions} in {e.documents} documents")
    if e.aliases:
        out.print(f"aliases: {escape(', '.join(e.aliases))}")
    if e.roles:
        out.print(f"roles: {escape('; '.join(e.roles))}")
    if d.corrections:
        table = Table(title="user corrections")
        for col in ("kind", "what", "note", "by", "when"):
            table.add_column(col, overflow="fold")
        for c in d.corrections:
            table.add_row(c["kind"], escape(_describe(c)), escape(c.get("note") or ""),
                          escape(c.get("author") or ""), c.get("created_at") or "")  # fmt: skip
        out.print(table)
    if d.evidence:
        table = Table(title="merge evidence: which names became this entity, and why")
        for col in ("name", "merged into", "decision", "score", "features", "document"):
            table.add_column(col, overflow="fold", no_wrap=col in ("score", "decision"))
        for ev in d.evidence:
            feats = " ".join(f"{k}={v:.2f}" for k, v in sorted((ev.get("features") or {}).items()))
            disc = ev.get("discrepancies") or []
            if disc:
                feats += "\n[yellow]" + escape("; ".join(disc)) + "[/]"
            table.add_row(escape(ev["local_name"]), escape(ev["canonical_name"]), ev["decision"],
                          f"{ev['score']:.3f}", feats, escape(ev["document_id"]))  # fmt: skip
        out.print(table)
    if d.documents:
        table = Table(title="documents")
        for col in ("published", "outlet", "title", "mentions", "id"):
            table.add_column(col, overflow="fold")
        for doc in d.documents:
            table.add_row(doc["published"] or "", escape(doc["outlet"] or ""),
                          escape(doc["title"] or ""), str(doc["mentions"]), doc["id"])  # fmt: skip
        out.print(table)
    if d.cooccurring:
        table = Table(title="co-occurring entities")
        for col in ("name", "type", "shared documents", "id"):
            table.add_column(col, overflow="fold")
        for c in d.cooccurring:
            table.add_row(escape(c["name"] or ""), c["type"] or "", str(c["documents"]), c["id"])
        out.print(table)


@app.command()
def entity(
    name_or_id: Annotated[
        str, typer.Argument(help="An entity id, or a name in any spelling.", show_default=False)
    ],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Show one entity: canonical name, type, aliases, roles, Wikidata id, the merge evidence
    (which names merged, with score and features), its documents and co-occurring entities.

    The name is matched with the resolver's name normaliser, so a misspelling finds the
    canonical entity. Exit code 1 when nothing matches.

    Examples:

        newsgraph entity "Anthony Brinken"

        newsgraph entity e3f1c2a9b0d4 --json
    """
    with open_db(db) as ng:
        detail = ng.entity(name_or_id)
    if detail is None:
        err.print(f"no entity matches {escape(name_or_id)}")
        raise typer.Exit(EXIT_ITEMS_FAILED)
    if as_json:
        sys.stdout.write(json.dumps(detail.as_dict(), ensure_ascii=False, default=str) + "\n")
        return
    _print_detail(detail)


# ---- corrections: merge, split, corrections -----------------------------------------------


def _describe(c: dict) -> str:
    d = c.get("details") or {}
    if c["kind"] == "merge":
        return (
            f"{d.get('other_name', c['other_id'])} ({c['other_id']}) merged into "
            f"{d.get('name', c['entity_id'])} ({c['entity_id']})"
        )
    return (
        f"{c.get('form')!s} split off {d.get('name', c['entity_id'])} ({c['entity_id']}) "
        f"as {c['other_id']}"
    )


def _fail(e: CorrectionError) -> None:
    err.print(f"[bold red]error:[/] {escape(str(e))}")
    for c in e.candidates:
        err.print(f"  {c.id}  {escape(c.name)}  {c.type}  ({c.mentions} mentions)")
    raise typer.Exit(EXIT_USAGE)


@app.command()
def merge(
    keep: Annotated[str, typer.Argument(help="The entity to keep: id or name.")],
    other: Annotated[str, typer.Argument(help="The same entity under another id or name.")],
    db: DbOption = DEFAULT_DB,
    note: NoteOption = None,
    by: ByOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the correction as JSON.")] = False,
) -> None:
    """Correct entity resolution: OTHER is the same entity as KEEP.

    OTHER's mentions, aliases, roles, quotes and events move to KEEP; OTHER's id resolves to
    KEEP from now on, and later runs link OTHER's spellings to KEEP. Names are looked up like
    `newsgraph entity`; an unknown or ambiguous name exits with code 2 and the candidates.

    Examples:

        newsgraph merge "Maria Kowalczyk" "Masha Kovalchik" --note "same person, misspelt"
    """
    with open_db(db) as ng:
        try:
            c = ng.merge_entities(keep, other, note=note, author=author_name(by))
        except CorrectionError as e:
            _fail(e)
            return
    _print_correction(c, as_json)


@app.command()
def split(
    entity: Annotated[str, typer.Argument(help="The entity: id or name.")],
    form: Annotated[str, typer.Argument(help="A surface form of it that names someone else.")],
    db: DbOption = DEFAULT_DB,
    note: NoteOption = None,
    by: ByOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the correction as JSON.")] = False,
) -> None:
    """Correct entity resolution: FORM, resolved to ENTITY, is a different entity.

    The mentions written FORM get a new entity (with quotes attributed by that form, and
    events of documents that name ENTITY only by it); later runs never link FORM to ENTITY.
    Exit code 2 for an unknown or ambiguous ENTITY, or a FORM it is not mentioned by.

    Examples:

        newsgraph split "Daniel Okafor" Okafor --note "the judge is another Okafor"
    """
    with open_db(db) as ng:
        try:
            c = ng.split_entity(entity, form, note=note, author=author_name(by))
        except CorrectionError as e:
            _fail(e)
            return
    _print_correction(c, as_json)


def _print_correction(c: dict, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(c, ensure_ascii=False, default=str) + "\n")
    else:
        out.print(f"{c['kind']}: {escape(_describe(c))}")


@app.command()
def corrections(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List the user's entity corrections (merges and splits), oldest first, with who made
    them, when and why. The pipeline obeys every one of them on each run.

    Examples:

        newsgraph corrections

        newsgraph corrections --json
    """
    with open_db(db) as ng:
        rows = ng.corrections()
    if as_json:
        for c in rows:
            sys.stdout.write(json.dumps(c, ensure_ascii=False, default=str) + "\n")
        return
    if not rows:
        err.print("no corrections yet")
        return
    table = Table()
    for col in ("id", "kind", "what", "note", "by", "when"):
        table.add_column(col, overflow="fold")
    for c in rows:
        table.add_row(str(c["id"]), c["kind"], escape(_describe(c)), escape(c.get("note") or ""),
                      escape(c.get("author") or ""), c.get("created_at") or "")  # fmt: skip
    out.print(table)
