"""``startups publish SLUG --year N``: the budget a team publishes, in the incubator's
"Dépenses numériques" model (CSV in the French dialect, or Markdown)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

import typer

import i18n
from commands.brief import write_output
from commands.context import reading, today
from commands.options import AsOfOption, DbOption, OutputOption
from commands.render.brief import md
from store.fmt import eur
from store.queries.publish import published
from store.rules.publish import PublishedLine

_ = i18n.Domain("cli").gettext

# The model's columns (a machine format: they never change with the language).
COLUMNS = ("Année", "Nature", "Activité", "Ressource", "AE", "CP")
BOM = "\ufeff"


class PublishFormat(StrEnum):
    csv = "csv"
    markdown = "markdown"


def french_decimal(cents: int) -> str:
    """``123456`` → ``1234,56`` (a decimal comma, no grouping: spreadsheets read it)."""
    return f"{Decimal(cents) / 100:.2f}".replace(".", ",")


def read_french_decimal(text: str) -> int:
    return int(Decimal(text.replace("\u202f", "").replace(" ", "").replace(",", ".")) * 100)


def to_csv(lines: list[PublishedLine]) -> str:
    """The lines in the French CSV dialect: ``;``, decimal comma, UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow(
            [
                line.year,
                line.nature,
                line.activity,
                line.resource,
                french_decimal(line.ae_cents),
                french_decimal(line.cp_cents),
            ]
        )
    return BOM + out.getvalue()


def from_csv(text: str) -> list[PublishedLine]:
    """What ``to_csv`` wrote, read back (the round trip a test checks)."""
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise ValueError("not a Dépenses numériques file")
    return [
        PublishedLine(int(y), n, a, r, read_french_decimal(ae), read_french_decimal(cp))
        for y, n, a, r, ae, cp in rows[1:]
    ]


def to_markdown(slug: str, year: int, lines: list[PublishedLine]) -> str:
    out = [
        "# " + md(_("{slug}: digital spending {year}").format(slug=slug, year=year)),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|---|---|---|---|---:|---:|",
    ]
    out += [
        f"| {line.year} | {md(line.nature)} | {md(line.activity)} | {md(line.resource)} | "
        f"{eur(line.ae_cents, decimals=True)} | {eur(line.cp_cents, decimals=True)} |"
        for line in lines
    ]
    if not lines:
        out.append("")
        out.append(_("Nothing spent nor planned that year."))
    return "\n".join(out) + "\n"


def publish(
    slug: Annotated[str, typer.Argument(metavar="SLUG", help=_("The startup (its slug)."))],
    year: Annotated[
        int, typer.Option("--year", metavar="N", min=1900, max=2199, help=_("The year."))
    ],
    fmt: Annotated[
        PublishFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = PublishFormat.csv,
    output: OutputOption = None,
    db: DbOption = None,
    as_of: AsOfOption = None,
) -> None:
    """The year's budget, as the incubator's "Dépenses numériques" model wants it."""
    day = as_of or today()
    with reading(db) as reader:
        lines = published(reader, slug, year, day)
    text = to_csv(lines) if fmt is PublishFormat.csv else to_markdown(slug, year, lines)
    write_output(text, output)


def register(app: typer.Typer) -> None:
    app.command(
        help=_(
            "The year's budget in the incubator's \"Dépenses numériques\" model: actuals and forecast."
        )
    )(publish)
