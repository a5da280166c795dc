"""``startups report``: the portfolio summary, as a table, Markdown, CSV or JSON."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated

import typer

from commands.context import reading, today
from commands.options import AsOfOption, DbOption
from commands.render import csv, jsonout, lines, markdown
from commands.render.columns import Column
from store.fmt import day, eur, months
from store.queries.report import (
    SCHEMA,
    SORT_KEYS,
    Filters,
    PortfolioReport,
    Totals,
    build,
    iter_rows,
    streams,
)
from store.rules.text import visible


class ReportFormat(StrEnum):
    json = "json"
    csv = "csv"
    markdown = "markdown"
    table = "table"


SortKey = StrEnum("SortKey", {key: key for key in SORT_KEYS})

CSV_COLUMNS = (
    "slug",
    "title",
    "phase",
    "incubator",
    "sponsors",
    "envelope_eur",
    "pending_eur",
    "consumed_eur",
    "remaining_eur",
    "unattributed_eur",
    "burn_rate_eur_per_month",
    "runway_months",
    "conventions_in_force",
    "next_deadline_date",
    "next_deadline_title",
    "alerts",
)
HEADER = ["Startup", "Phase", "Enveloppe", "Consommé", "Reste", "Autonomie", "Échéance", "Alertes"]
AMOUNTS = range(2, 7)  # the columns that never shrink
RIGHT = range(2, 6)  # the columns aligned right
# Columns dropped first when the terminal is too narrow (indexes into the header).
DROP_ORDER = (1, 5, 3)


def _flat(row: dict) -> dict:
    deadline = row["next_deadline"] or {}
    flat = {k: row[k] for k in CSV_COLUMNS if k in row}
    flat["sponsors"] = " ".join(row["sponsors"])
    flat["alerts"] = " ".join(row["alerts"])
    flat["next_deadline_date"] = deadline.get("date")
    flat["next_deadline_title"] = deadline.get("title")
    return flat


def cells(data: PortfolioReport) -> tuple[list[list[str]], list[str]]:
    """The rows and the totals line as a person reads them (table and Markdown)."""
    rows = []
    for row in data.rows:
        a = row.assessment
        deadline = a.next_deadline
        rows.append(
            [
                row.title,
                a.phase or "—",
                eur(a.envelope_cents),
                eur(a.consumed_cents),
                eur(a.remaining_cents),
                months(a.runway_months),
                day(deadline.date) if deadline else "—",
                " ".join(a.alerts) or "—",
            ]
        )
    t = data.totals
    totals = [
        f"Total ({t.startups})",
        "",
        eur(t.envelope_cents) + ("+?" if t.envelope_unknown else ""),
        eur(t.consumed_cents),
        eur(t.remaining_cents),
        "",
        "",
        "",
    ]
    return rows, totals


def columns_of(rows: list[list[str]], totals: list[str]) -> list[Column]:
    """The report's columns: amounts and dates never shrink; names and alerts take what is
    left, 12 cells at least; a title is cut past 28."""
    columns = []
    for i, name in enumerate(HEADER):
        widest = max(len(c) for c in [name, totals[i], *(r[i] for r in rows)])
        columns.append(
            Column(
                name,
                footer=totals[i],
                justify="right" if i in RIGHT else "left",
                min_width=widest if i in AMOUNTS else min(widest, 12),
                max_width=28 if i == 0 else None,
            )
        )
    return columns


def render_table(data: PortfolioReport) -> None:
    rows, totals = cells(data)
    rows = [[visible(cell) for cell in row] for row in rows]
    t = data.totals
    lines.write(
        lines.Output.stdout(),
        columns_of(rows, totals),
        rows,
        title=f"Portefeuille au {data.as_of.isoformat()}",
        footer=totals,
        caption=f"{t.envelope_unknown} enveloppe(s) inconnue(s), non comptée(s) dans le total"
        if t.envelope_unknown
        else None,
        how=lines.Fit(drop=DROP_ORDER, flexible=0),
    )


def render_markdown(data: PortfolioReport) -> None:
    rows, totals = cells(data)
    sys.stdout.write(
        markdown.table(
            f"Portefeuille au {data.as_of.isoformat()}",
            HEADER,
            rows,
            right=[i >= 2 for i in range(len(HEADER))],
            footer=totals,
        )
    )


def render_csv(data: PortfolioReport) -> None:
    csv.write(CSV_COLUMNS, (_flat(row) for row in data.to_dict()["startups"]))


def stream_json(reader, as_of: dt.date, filters: Filters) -> None:
    """Piped JSON: compact, written as the rows come (listed by slug, a 10,000-startup
    report never holds its rows at once)."""
    from itertools import islice

    if streams(filters):
        totals = Totals()
        rows = iter_rows(reader, as_of, filters, totals)
    else:  # sorted otherwise: every row first
        data = build(reader, as_of, filters)
        rows, totals = iter(data.rows), data.totals

    def chunks():
        while chunk := [row.to_dict() for row in islice(rows, 500)]:
            yield chunk

    jsonout.stream(
        {"schema": SCHEMA, "as_of": as_of.isoformat()},
        "startups",
        chunks(),
        lambda: {"totals": totals.to_dict()},
    )


def print_report(
    db: str | None, *, as_of: dt.date, fmt: ReportFormat, filters: Filters | None = None
) -> None:
    filters = filters or Filters()
    with reading(db) as reader:
        if fmt is ReportFormat.json and not sys.stdout.isatty():
            stream_json(reader, as_of, filters)
            return
        data = build(reader, as_of, filters)
    if fmt is ReportFormat.json:
        jsonout.write(data.to_dict(), pretty=True)
    elif fmt is ReportFormat.csv:
        render_csv(data)
    elif fmt is ReportFormat.markdown:
        render_markdown(data)
    else:
        render_table(data)


def report(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.table,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help="List at most N startups.")
    ] = None,
    phase: Annotated[
        str | None, typer.Option(help="Only startups in this phase on the date.")
    ] = None,
    incubator: Annotated[str | None, typer.Option(help="Only this incubator (its slug).")] = None,
    sponsor: Annotated[str | None, typer.Option(help="Only this sponsor (its slug).")] = None,
    alerts: Annotated[
        bool, typer.Option("--alerts", help="Only the startups with at least one alert.")
    ] = False,
    sort: Annotated[
        SortKey,
        typer.Option(
            "--sort",
            help="Order: slug, title (A→Z); envelope, consumed, alerts (largest first); "
            "remaining, runway, deadline (smallest or soonest first); unknowns last.",
        ),
    ] = SortKey("slug"),
) -> None:
    """Summarise the portfolio: envelope, consumption, deadlines and alerts per startup."""
    print_report(
        db,
        as_of=as_of or today(),
        fmt=fmt,
        filters=Filters(
            phase=phase,
            incubator=incubator,
            sponsor=sponsor,
            limit=limit,
            alerts=alerts,
            sort=sort.value,
        ),
    )


def register(app: typer.Typer) -> None:
    app.command()(report)
