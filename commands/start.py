"""Opening the store: the app (``startups``, ``startups tui``), ``init`` and ``demo``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

import i18n
from commands.context import interactive, reading, root, today, writing
from commands.options import AsOfOption, DbOption, ReadOnlyOption
from commands.report import ReportFormat, print_report

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


def run_app(db: str | None, *, as_of: dt.date | None, read_only: bool = False) -> None:
    """Open the Textual app on the store (checked first, so a bad store is one line on stderr)."""
    with reading(db):
        pass
    from commands.brief import render_briefs
    from tui.app import StartupsApp

    StartupsApp(db, as_of, read_only=read_only, brief_renderer=render_briefs).run()


def open_or_print(db: str | None, *, as_of: dt.date | None, read_only: bool) -> None:
    """The app for a person at a terminal; piped output gets the report instead."""
    if interactive():
        run_app(db, as_of=as_of, read_only=read_only)
    else:
        print_report(db, as_of=as_of or today(), fmt=ReportFormat.table)


def tui(
    ctx: typer.Context,
    db: DbOption = None,
    as_of: AsOfOption = None,
    read_only: ReadOnlyOption = False,
) -> None:
    run_app(db, as_of=as_of, read_only=read_only or root(ctx).read_only)


def init(db: DbOption = None) -> None:
    with writing(db, create=True) as store:
        where = store.location.display()
        if store.backup_path is not None:
            typer.echo(
                _("upgraded {store} (backup: {backup})").format(
                    store=where, backup=store.backup_path
                )
            )
        else:
            typer.echo(_("store ready: {store}").format(store=where))


def demo(
    ctx: typer.Context,
    db: DbOption = None,
    no_tui: Annotated[
        bool, typer.Option("--no-tui", help=_("Print the report instead of opening the app."))
    ] = False,
    as_of: AsOfOption = None,
) -> None:
    from store.demo import load_demo

    with writing(db, create=True) as store:
        result = load_demo(store)
        location = store.location
    what = (
        ngettext("{count} row added", "{count} rows added", result.created).format(
            count=result.created
        )
        if result.changed
        else _("already loaded, nothing added")
    )
    typer.echo(
        _("demo portfolio in {store}: {what}").format(store=location.display(), what=what),
        err=True,
    )
    if not no_tui and interactive():
        run_app(location.spec, as_of=as_of, read_only=root(ctx).read_only)
        return
    print_report(location.spec, as_of=as_of or today(), fmt=ReportFormat.table)


def register(app: typer.Typer) -> None:
    app.command(
        help=_("Open the app (portfolio, startups, conventions, budget, deadlines) on the store.")
    )(tui)
    app.command(
        help=_("Create the store, or upgrade it to the current schema (after a backup copy).")
    )(init)
    app.command(
        help=_(
            "Load the seed portfolio (Classe à 12, DossierSco) and open the app on it; "
            "loading twice adds nothing."
        )
        + "\n\n"
        + _("With --no-tui, or when stdout is not a terminal, print the report instead.")
    )(demo)
