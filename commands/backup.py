"""Backups, restores and the full export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from commands.context import stdin_is_tty, writing
from commands.options import DbOption, JsonFormat
from store.errors import BadInput


def backup(
    dest: Annotated[
        Path,
        typer.Argument(
            help="The backup file: a SQLite copy, or a JSON export when it ends in .json.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
) -> None:
    """Back the store up: SQLite's online backup of a file, or a full JSON export (*.json)."""
    from store.backup import backup as do_backup

    with writing(db) as store:
        written = do_backup(store, dest)
        where = store.location.display()
    typer.echo(f"backup of {where} written to {written}")


def restore(
    src: Annotated[
        Path, typer.Argument(help="A backup file or a JSON export.", show_default=False)
    ],
    db: DbOption = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Replace a store that is not empty, without asking.")
    ] = False,
) -> None:
    """Restore a backup or a JSON export, replacing the store's whole content (one transaction)."""
    from store.backup import count_rows, load_file
    from store.backup import restore as do_restore

    data = load_file(src)
    with writing(db, create=True) as store:
        where = store.location.display()
        replace = yes
        existing = count_rows(store)
        if existing and not yes:
            if not stdin_is_tty():
                raise BadInput(
                    f"{where}: holds {existing} rows; restoring replaces them all "
                    "(confirm with --yes)"
                )
            replace = typer.confirm(f"{where} holds {existing} rows: replace them all with {src}?")
            if not replace:
                raise typer.Abort()
        result = do_restore(store, data, replace=replace, where=str(src))
    typer.echo(
        f"restored {result.rows} rows from {src} into {where}"
        + (f" (replacing {result.replaced})" if result.replaced else "")
    )


def export(
    db: DbOption = None,
    fmt: Annotated[
        JsonFormat, typer.Option("--format", "-f", help="Output format.")
    ] = JsonFormat.json,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this new file instead of stdout."),
    ] = None,
) -> None:
    """Dump every table of the store (schema-versioned JSON; dates ISO, amounts in cents)."""
    from store.export import dumps, export_data, write_export

    with writing(db, read_only=True) as store:
        if output is not None:
            write_export(store, output.expanduser().absolute())
        else:
            sys.stdout.write(dumps(export_data(store)))


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
    app.command()(export)
