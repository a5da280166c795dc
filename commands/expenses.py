"""Consumption lines: ``startups expense add`` and ``startups import expenses``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from commands.context import writing
from commands.options import DbOption, date_option
from commands.render.text import visible
from store.errors import BadInput
from store.fmt import eur
from store.importers.expenses.csv import BadRows, ExpenseFile, store_expenses
from store.ops.ledger import add_expense
from store.rules.amounts import parse_amount_cents
from store.rules.text import clean_text
from store.rules.vocab import parse_line_kind


def _typed(option: str, value: str, parse):
    """A typed value read by a ``store.rules`` parser; a bad one is one line, exit 2."""
    try:
        return parse(value)
    except ValueError as exc:
        raise BadInput(f"{option} {value!r} {exc}") from None


def add(
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The startup (its slug).")],
    date: Annotated[dt.date, date_option("--date", "YYYY-MM-DD or dd/mm/yyyy.")],
    amount: Annotated[
        str,
        typer.Option(
            "--amount", metavar="EUR", help="Euros, up to 2 decimals: 1234.56 or 1 234,56."
        ),
    ],
    label: Annotated[str, typer.Option("--label", metavar="TEXT", help="What it pays for.")],
    kind: Annotated[
        str,
        typer.Option("--kind", metavar="engagement|payment", help="engagement or payment."),
    ] = "payment",
    convention: Annotated[
        int | None,
        typer.Option(
            "--convention",
            metavar="ID",
            help="The convention it counts against (default: the one in force on its date).",
            min=1,
            max=2**63 - 1,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Record one consumption line for a startup."""
    cents = _typed("--amount", amount, parse_amount_cents)
    cleaned = clean_text(label)
    if cleaned != label.strip():
        sys.stderr.write("startups: warning: --label: control characters removed\n")
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
    where = f"counts against convention {counted}" if counted else "UNATTRIBUTED: no convention"
    typer.echo(
        f"{visible(slug)}: {kind_value} of {eur(cents, decimals=True)} on {date.isoformat()} "
        f"recorded as line {line.id} ({where})"
    )


def import_expenses(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="The CSV export.")],
    startup: Annotated[
        str, typer.Option("--startup", metavar="SLUG", help="The startup the lines belong to.")
    ],
    db: DbOption = None,
) -> None:
    """Import consumption lines from a CSV export (French `;` or plain `,`); twice adds nothing."""
    export = ExpenseFile(file)  # not a file, too big, no header: one line, before the store
    cleaned = 0

    def rows():
        nonlocal cleaned
        for row in export.rows():
            if row.cleaned:
                cleaned += 1
                if cleaned <= 20:
                    sys.stderr.write(
                        f"startups: warning: {visible(file)}:{row.line}: {row.cleaned}: "
                        "control characters removed\n"
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
            sys.stderr.write(f"startups: error: {visible(problem)}\n")
        raise typer.Exit(2) from None
    if cleaned > 20:
        sys.stderr.write(f"startups: warning: … and {cleaned - 20} more lines cleaned\n")
    typer.echo(
        f"{visible(result.slug)}: {visible(file.name)}: added {result.added}, "
        f"already there {result.already}"
    )


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Record consumption lines (payments, engagements).", no_args_is_help=True
    )
    group.command("add")(add)
    app.add_typer(group, name="expense")


def register_import(group: typer.Typer) -> None:
    group.command("expenses")(import_expenses)
