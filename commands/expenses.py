"""Consumption lines: ``startups expense add`` and ``startups import expenses``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

import i18n
from commands.context import writing
from commands.options import DbOption, date_option
from commands.render.text import visible
from store.errors import BadInput
from store.fmt import day, eur
from store.importers.expenses.csv import BadRows, ExpenseFile, store_expenses
from store.ops.ledger import add_expense
from store.rules.amounts import parse_amount_cents
from store.rules.text import clean_text
from store.rules.vocab import parse_line_kind

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


def _typed(option: str, value: str, parse):
    """A typed value read by a ``store.rules`` parser; a bad one is one line, exit 2."""
    try:
        return parse(value)
    except ValueError as exc:
        raise BadInput(f"{option} {value!r} {exc}") from None


def add(
    slug: Annotated[str, typer.Argument(metavar="SLUG", help=_("The startup (its slug)."))],
    date: Annotated[dt.date, date_option("--date", _("dd/mm/yyyy or YYYY-MM-DD."))],
    amount: Annotated[
        str,
        typer.Option(
            "--amount",
            metavar="EUR",
            help=_("Euros, up to 2 decimals: 1234.56 or 1 234,56."),
        ),
    ],
    label: Annotated[str, typer.Option("--label", metavar="TEXT", help=_("What it pays for."))],
    kind: Annotated[
        str,
        typer.Option("--kind", metavar="engagement|payment", help=_("engagement or payment.")),
    ] = "payment",
    convention: Annotated[
        int | None,
        typer.Option(
            "--convention",
            metavar="ID",
            help=_("The convention it counts against (default: the one in force on its date)."),
            min=1,
            max=2**63 - 1,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    cents = _typed("--amount", amount, parse_amount_cents)
    cleaned = clean_text(label)
    if cleaned != label.strip():
        sys.stderr.write(_("startups: warning: --label: control characters removed") + "\n")
    kind_value = _typed("--kind", kind, parse_line_kind)
    with writing(db) as store, store.session() as session:
        line = add_expense(
            session,
            slug,
            date=date,
            amount_cents=cents,
            label=cleaned,
            kind=kind_value,
            convention_id=convention,
        )
        counted = line.counted_convention_id
    where = (
        _("counts against convention {id}").format(id=counted)
        if counted
        else _("outside any convention: no convention in force on that day")
    )
    message = (
        _("{slug}: payment of {amount} on {date} recorded as line {id} ({where})")
        if kind_value == "payment"
        else _("{slug}: engagement of {amount} on {date} recorded as line {id} ({where})")
    )
    typer.echo(
        message.format(
            slug=visible(slug),
            amount=eur(cents, decimals=True),
            date=day(date),
            id=line.id,
            where=where,
        )
    )


def import_expenses(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help=_("The CSV export."))],
    startup: Annotated[
        str, typer.Option("--startup", metavar="SLUG", help=_("The startup the lines belong to."))
    ],
    db: DbOption = None,
) -> None:
    export = ExpenseFile(file)  # not a file, too big, no header: one line, before the store
    cleaned = 0

    def rows():
        nonlocal cleaned
        for row in export.rows():
            if row.cleaned:
                cleaned += 1
                if cleaned <= 20:
                    sys.stderr.write(
                        _(
                            "startups: warning: {file}:{line}: {field}: control characters removed"
                        ).format(file=visible(file), line=row.line, field=row.cleaned)
                        + "\n"
                    )
            yield row

    try:
        with writing(db) as store, store.session() as session:
            result = store_expenses(
                session, startup, rows(), source=f"csv:{file.name}", found=export.found
            )
    except BadRows as exc:
        # The one place where several lines on stderr are right: one per bad row.
        for problem in exc.lines():
            sys.stderr.write(
                _("startups: error: {message}").format(message=visible(problem)) + "\n"
            )
        raise typer.Exit(2) from None
    if cleaned > 20:
        more = cleaned - 20
        sys.stderr.write(
            ngettext(
                "startups: warning: … and {count} more line cleaned",
                "startups: warning: … and {count} more lines cleaned",
                more,
            ).format(count=more)
            + "\n"
        )
    typer.echo(
        _("{slug}: {file}: added {added}, already there {already}").format(
            slug=visible(result.slug),
            file=visible(file.name),
            added=result.added,
            already=result.already,
        )
    )


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=_("Record consumption lines (payments, engagements)."), no_args_is_help=True
    )
    group.command("add", help=_("Record one consumption line for a startup."))(add)
    app.add_typer(group, name="expense")


def register_import(group: typer.Typer) -> None:
    group.command(
        "expenses",
        help=_(
            "Import consumption lines from a CSV export (French `;` or plain `,`); "
            "twice adds nothing."
        ),
    )(import_expenses)
