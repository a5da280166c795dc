"""``startups publish SLUG --year N``: the budget a team publishes, in the incubator's
"Dépenses numériques" model (CSV in the French dialect, or Markdown).

The CSV is the model's (``store.rules.publish``, where its source is cited): one line per
year, activity and resource, its columns ``Année;AE;CP;Activité;Ressource``.  The Markdown
is for a person: the same lines, then what of the year is actual and what is forecast."""

from __future__ import annotations

import csv
import datetime as dt
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
from store.fmt import day, eur
from store.queries.publish import published
from store.rules.publish import ACTUAL, MODEL_COLUMNS, ModelLine, PublishedLine, model_lines

_ = i18n.Domain("cli").gettext

# The model's columns (a machine format: they never change with the language).
COLUMNS = MODEL_COLUMNS
BOM = "\ufeff"


class PublishFormat(StrEnum):
    csv = "csv"
    markdown = "markdown"


def french_decimal(cents: int) -> str:
    """``123456`` → ``1234,56`` (a decimal comma, no grouping: spreadsheets read it)."""
    return f"{Decimal(cents) / 100:.2f}".replace(".", ",")


def read_french_decimal(text: str) -> int:
    return int(Decimal(text.replace("\u202f", "").replace(" ", "").replace(",", ".")) * 100)


def to_csv(lines: list[ModelLine]) -> str:
    """The lines in the French CSV dialect: ``;``, decimal comma, UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow(
            [
                line.year,
                french_decimal(line.ae_cents),
                french_decimal(line.cp_cents),
                line.activity,
                line.resource,
            ]
        )
    return BOM + out.getvalue()


def from_csv(text: str) -> list[ModelLine]:
    """What ``to_csv`` wrote, read back (the round trip a test checks)."""
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise ValueError("not a Dépenses numériques file")
    return [
        ModelLine(int(y), read_french_decimal(ae), read_french_decimal(cp), a, r)
        for y, ae, cp, a, r in rows[1:]
    ]


def to_markdown(slug: str, year: int, on: dt.date, lines: list[PublishedLine]) -> str:
    out = [
        "# " + md(_("{slug}: digital spending {year}").format(slug=slug, year=year)),
        "",
        "*"
        + md(_('As of {day}, in the incubator\'s "Dépenses numériques" model.').format(day=day(on)))
        + "*",
        "",
    ]
    rows = model_lines(lines)
    if not rows:
        out.append(md(_("Nothing spent nor planned that year."), block=True))
        return "\n".join(out) + "\n"
    out += [
        "| " + " | ".join(COLUMNS) + " |",
        "|---|---:|---:|---|---|",
    ]
    out += [
        f"| {line.year} | {eur(line.ae_cents, decimals=True)} | "
        f"{eur(line.cp_cents, decimals=True)} | {md(line.activity)} | {md(line.resource)} |"
        for line in rows
    ]
    actual = [x for x in lines if x.nature == ACTUAL]
    forecast = [x for x in lines if x.nature != ACTUAL]
    out.append("")
    if actual:
        out.append(
            "- "
            + md(
                _("Actual up to {day}: AE {ae}, CP {cp}.").format(
                    day=day(min(on, dt.date(year, 12, 31))),
                    ae=eur(sum(x.ae_cents for x in actual), decimals=True),
                    cp=eur(sum(x.cp_cents for x in actual), decimals=True),
                )
            )
        )
    if forecast:
        out.append(
            "- "
            + md(
                _("Forecast from {first} to {last}: AE {ae}, CP {cp}.").format(
                    first=day(max(on + dt.timedelta(days=1), dt.date(year, 1, 1))),
                    last=day(dt.date(year, 12, 31)),
                    ae=eur(sum(x.ae_cents for x in forecast), decimals=True),
                    cp=eur(sum(x.cp_cents for x in forecast), decimals=True),
                )
            )
        )
    elif on < dt.date(year, 12, 31):
        out.append(
            "- "
            + md(_("No forecast for the rest of the year: no staffing plan nor AE/CP schedule."))
        )
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
    on = as_of or today()
    with reading(db) as reader:
        lines = published(reader, slug, year, on)
    if fmt is PublishFormat.csv:
        text = to_csv(model_lines(lines))
    else:
        text = to_markdown(slug, year, on, lines)
    write_output(text, output)


def register(app: typer.Typer) -> None:
    app.command(
        help=_(
            "The year's budget in the incubator's \"Dépenses numériques\" model: actuals and forecast."
        )
    )(publish)
