"""``startups report``: the portfolio summary, as a table, Markdown, CSV or JSON."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from itertools import islice
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
    StartupRow,
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
# The columns of CSV_COLUMNS that hold text (the others, numbers or nothing).
CSV_TEXT = tuple(
    CSV_COLUMNS.index(c)
    for c in ("slug", "title", "phase", "incubator", "sponsors", "next_deadline_title", "alerts")
)
HEADER = ["Startup", "Phase", "Enveloppe", "Consommé", "Reste", "Autonomie", "Échéance", "Alertes"]
AMOUNTS = range(2, 7)  # the columns that never shrink
RIGHT = range(2, 6)  # the columns aligned right
# Columns dropped first when the terminal is too narrow (indexes into the header).
DROP_ORDER = (1, 5, 3)


def _csv_row(row: StartupRow) -> list:
    """A row of CSV_COLUMNS: the JSON row, flattened."""
    data = row.to_dict()
    deadline = data["next_deadline"] or {}
    data["sponsors"] = " ".join(data["sponsors"])
    data["alerts"] = " ".join(data["alerts"])
    data["next_deadline_date"] = deadline.get("date")
    data["next_deadline_title"] = deadline.get("title")
    return [data[k] for k in CSV_COLUMNS]


def row_cells(row: StartupRow) -> list[str]:
    """A row as a person reads it (table and Markdown)."""
    a = row.assessment
    deadline = a.next_deadline
    return [
        row.title,
        a.phase or "—",
        eur(a.envelope_cents),
        eur(a.consumed_cents),
        eur(a.remaining_cents),
        months(a.runway_months),
        day(deadline.date) if deadline else "—",
        " ".join(a.alerts) or "—",
    ]


def total_cells(t: Totals) -> list[str]:
    """The totals line as a person reads it."""
    return [
        f"Total ({t.startups})",
        "",
        eur(t.envelope_cents) + ("+?" if t.envelope_unknown else ""),
        eur(t.consumed_cents),
        eur(t.remaining_cents),
        "",
        "",
        "",
    ]


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


def title_of(as_of: dt.date) -> str:
    return f"Portefeuille au {as_of.isoformat()}"


def render_table(as_of: dt.date, rows: Iterable[StartupRow], t: Totals) -> None:
    cells = []
    for row in rows:
        text = row_cells(row)
        text[0], text[1] = visible(text[0]), visible(text[1])  # from data: the name, the phase
        cells.append(text)
    totals = total_cells(t)
    lines.write(
        lines.Output.stdout(),
        columns_of(cells, totals),
        cells,
        title=title_of(as_of),
        footer=totals,
        caption=f"{t.envelope_unknown} enveloppe(s) inconnue(s), non comptée(s) dans le total"
        if t.envelope_unknown
        else None,
        how=lines.Fit(drop=DROP_ORDER, flexible=0),
    )


def render_markdown(as_of: dt.date, rows: Iterable[StartupRow], t: Totals) -> None:
    write_chunked(
        markdown.lines(
            title_of(as_of),
            HEADER,
            (row_cells(row) for row in rows),
            right=[i >= 2 for i in range(len(HEADER))],
            footer=lambda: total_cells(t),
        )
    )


def write_chunked(parts: Iterable[str], every: int = 1000) -> None:
    """``parts`` on stdout, ``every`` of them a write (a write per line costs a system
    call each on an unbuffered stdout)."""
    parts = iter(parts)
    while chunk := "".join(islice(parts, every)):
        sys.stdout.write(chunk)


def render_csv(as_of: dt.date, rows: Iterable[StartupRow], t: Totals) -> None:
    csv.write_lists(CSV_COLUMNS, (_csv_row(row) for row in rows), text=CSV_TEXT)


def render_json(as_of: dt.date, rows: Iterable[StartupRow], t: Totals) -> None:
    """JSON: indented on a terminal; piped, compact and written as the rows come."""
    if sys.stdout.isatty():
        data = {
            "schema": SCHEMA,
            "as_of": as_of.isoformat(),
            "startups": [row.to_dict() for row in rows],
            "totals": t.to_dict(),
        }
        jsonout.write(data, pretty=True)
        return

    def chunks():
        while chunk := [row.to_dict() for row in islice(rows, 500)]:
            yield chunk

    jsonout.stream(
        {"schema": SCHEMA, "as_of": as_of.isoformat()},
        "startups",
        chunks(),
        lambda: {"totals": t.to_dict()},
    )


def report_rows(reader, as_of: dt.date, filters: Filters) -> tuple[Iterator[StartupRow], Totals]:
    """The report's rows in their final order, as they come, and their totals (complete
    once the rows are read).  Listed by slug, a 10,000-startup report never holds its
    rows at once; sorted otherwise, every row is assessed first."""
    if streams(filters):
        totals = Totals()
        return iter_rows(reader, as_of, filters, totals), totals
    data = build(reader, as_of, filters)
    return iter(data.rows), data.totals


RENDERERS = {
    "json": render_json,
    "csv": render_csv,
    "markdown": render_markdown,
    "table": render_table,
}


def print_report(
    db: str | None, *, as_of: dt.date, fmt: ReportFormat, filters: Filters | None = None
) -> None:
    with reading(db) as reader:
        rows, totals = report_rows(reader, as_of, filters or Filters())
        RENDERERS[fmt.value](as_of, rows, totals)


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
