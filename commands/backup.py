"""Backups, restores and the full export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

import i18n
from commands.context import stdin_is_tty, writing
from commands.options import DbOption, JsonFormat
from store.errors import BadInput

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


def backup(
    dest: Annotated[
        Path,
        typer.Argument(
            help=_("The backup file: a SQLite copy, or a JSON export when it ends in .json."),
            show_default=False,
        ),
    ],
    db: DbOption = None,
) -> None:
    from store.backup import backup as do_backup

    with writing(db) as store:
        written = do_backup(store, dest)
        where = store.location.display()
    typer.echo(_("backup of {store} written to {file}").format(store=where, file=written))


def restore(
    src: Annotated[
        Path, typer.Argument(help=_("A backup file or a JSON export."), show_default=False)
    ],
    db: DbOption = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help=_("Replace a store that is not empty, without asking.")),
    ] = False,
) -> None:
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
                    ngettext(
                        "{store}: holds {count} row; restoring replaces it (confirm with --yes)",
                        "{store}: holds {count} rows; restoring replaces them all "
                        "(confirm with --yes)",
                        existing,
                    ).format(store=where, count=existing)
                )
            replace = typer.confirm(
                ngettext(
                    "{store} holds {count} row: replace it with {file}?",
                    "{store} holds {count} rows: replace them all with {file}?",
                    existing,
                ).format(store=where, count=existing, file=src)
            )
            if not replace:
                raise typer.Abort()
        result = do_restore(store, data, replace=replace, where=str(src))
    message = ngettext(
        "restored {count} row from {file} into {store}",
        "restored {count} rows from {file} into {store}",
        result.rows,
    ).format(count=result.rows, file=src, store=where)
    if result.replaced:
        message += " " + _("(replacing {count})").format(count=result.replaced)
    typer.echo(message)


def export(
    db: DbOption = None,
    fmt: Annotated[
        JsonFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = JsonFormat.json,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_("Write to this new file instead of stdout.")),
    ] = None,
) -> None:
    from store.export import dumps, export_data, write_export

    with writing(db, read_only=True) as store:
        if output is not None:
            write_export(store, output.expanduser().absolute())
        else:
            sys.stdout.write(dumps(export_data(store)))


def register(app: typer.Typer) -> None:
    app.command(
        help=_(
            "Back the store up: SQLite's online backup of a file, or a full JSON export (*.json)."
        )
    )(backup)
    app.command(
        help=_(
            "Restore a backup or a JSON export, replacing the store's whole content "
            "(one transaction)."
        )
    )(restore)
    app.command(
        help=_(
            "Dump every table of the store (schema-versioned JSON; dates ISO, amounts in cents)."
        )
    )(export)
