"""``startups report``: the portfolio summary, as a table, Markdown, CSV or JSON."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from itertools import islice
from typing import Annotated

import typer

import i18n
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
from store.rules.vocab import ALERT_LABELS, PHASE_LABELS, alert_label

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


class ReportFormat(StrEnum):
    json = "json"
    csv = "csv"
    markdown = "markdown"
    table = "table"


class CsvDialect(StrEnum):
    """``plain``: commas and decimal points (scripts, LibreOffice, Google Sheets);
    ``fr``: semicolons, decimal commas and UTF-8 with a BOM (French Excel)."""

    plain = "plain"
    fr = "fr"


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
HEADER = (
    i18n.N_("Startup"),
    i18n.N_("Phase"),
    i18n.N_("Envelope"),
    i18n.N_("Consumed"),
    i18n.N_("Remaining"),
    i18n.N_("Runway"),
    i18n.N_("Deadline"),
    i18n.N_("Alerts"),
)
AMOUNTS = range(2, 7)  # the columns that never shrink
RIGHT = range(2, 6)  # the columns aligned right
# Columns dropped first when the terminal is too narrow (indexes into the header).
DROP_ORDER = (1, 5, 3, 6)


def _csv_row(row: StartupRow) -> list:
    """A row of CSV_COLUMNS: the JSON row, flattened."""
    data = row.to_dict()
    deadline = data["next_deadline"] or {}
    data["sponsors"] = " ".join(data["sponsors"])
    data["alerts"] = " ".join(data["alerts"])
    data["next_deadline_date"] = deadline.get("date")
    data["next_deadline_title"] = deadline.get("title")
    return [data[k] for k in CSV_COLUMNS]


def header() -> list[str]:
    """The report's column headings in the language of the run (translated once a report)."""
    return [_(name) for name in HEADER]


class Words:
    """What a report writes for people, translated once a report (never once a row): the
    alerts' and phases' words, the word for what is unknown; and the count of the startups
    shown with no convention, for the totals."""

    def __init__(self) -> None:
        self.alerts = {code: alert_label(code) for code in ALERT_LABELS}
        self.phases = dict(PHASE_LABELS)
        self.no_convention = _("no convention")
        self.unknown = _("unknown")
        self.none = "—"
        self.without_convention = 0

    def alert(self, code: str) -> str:
        found = self.alerts.get(code)
        if found is None:
            found = self.alerts[code] = alert_label(code)
        return found


def row_cells(row: StartupRow, words: Words | None = None) -> list[str]:
    """A row as a person reads it (table and Markdown): alerts and phases in words; a
    startup with no convention says so, never 0 €."""
    words = words or Words()
    a = row.assessment
    deadline = a.next_deadline
    none = words.none
    if not a.conventions_in_force and not a.envelope_cents and not a.pending_cents:
        words.without_convention += 1
        envelope, remaining = words.no_convention, none
        consumed = eur(a.consumed_cents) if a.consumed_cents else none
    else:
        envelope = eur(a.envelope_cents, unknown=words.unknown)
        consumed = eur(a.consumed_cents)
        remaining = eur(a.remaining_cents, unknown=words.unknown)
    alerts = a.alerts
    return [
        row.title,
        words.phases.get(a.phase, a.phase) if a.phase else none,
        envelope,
        consumed,
        remaining,
        months(a.runway_months),
        day(deadline.date) if deadline else none,
        " · ".join(words.alert(code) for code in alerts) if alerts else none,
    ]


def total_cells(t: Totals, words: Words | None = None) -> list[str]:
    """The totals line as a person reads it: no 0 € where nothing is known."""
    words = words or Words()
    known = t.startups - t.envelope_unknown - words.without_convention
    if known <= 0:
        envelope = remaining = "—"
    else:
        envelope = eur(t.envelope_cents) + ("+?" if t.envelope_unknown else "")
        remaining = eur(t.remaining_cents)
    consumed = eur(t.consumed_cents) if t.consumed_cents or known > 0 else "—"
    return [
        _("Total ({count})").format(count=t.startups),
        "",
        envelope,
        consumed,
        remaining,
        "",
        "",
        "",
    ]


def columns_of(rows: list[list[str]], totals: list[str]) -> list[Column]:
    """The report's columns: amounts and dates never shrink; names and alerts take what is
    left, 12 cells at least; a title is cut past 28."""
    columns = []
    for i, name in enumerate(header()):
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
    return _("Portfolio as of {date}").format(date=day(as_of))


def render_table(as_of: dt.date, rows: Iterable[StartupRow], t: Totals) -> None:
    words = Words()
    cells = []
    for row in rows:
        text = row_cells(row, words)
        text[0], text[1] = visible(text[0]), visible(text[1])  # from data: the name, the phase
        cells.append(text)
    totals = total_cells(t, words)
    lines.write(
        lines.Output.stdout(),
        columns_of(cells, totals),
        cells,
        title=title_of(as_of),
        footer=totals,
        caption=caption_of(t),
        how=lines.Fit(drop=DROP_ORDER, flexible=0),
    )


def caption_of(t: Totals) -> str | None:
    parts = []
    if t.envelope_unknown:
        parts.append(
            ngettext(
                "{count} unknown envelope, not counted in the total",
                "{count} unknown envelopes, not counted in the total",
                t.envelope_unknown,
            ).format(count=t.envelope_unknown)
        )
    if t.unplaced_ej:
        parts.append(unplaced_line(t))
    return "; ".join(parts) or None


def unplaced_line(t: Totals) -> str:
    """The portfolio's EJs of the Chorus exports placed nowhere, in words."""
    return ngettext(
        "{count} EJ of the Chorus exports placed nowhere (startups orders --unplaced)",
        "{count} EJs of the Chorus exports placed nowhere (startups orders --unplaced)",
        t.unplaced_ej,
    ).format(count=t.unplaced_ej)


def render_markdown(as_of: dt.date, rows: Iterable[StartupRow], t: Totals) -> None:
    words = Words()
    write_chunked(
        markdown.lines(
            title_of(as_of),
            header(),
            (row_cells(row, words) for row in rows),
            right=[i >= 2 for i in range(len(HEADER))],
            footer=lambda: total_cells(t, words),
        )
    )
    if t.unplaced_ej:
        sys.stdout.write("\n" + unplaced_line(t) + "\n")


def write_chunked(parts: Iterable[str], every: int = 1000) -> None:
    """``parts`` on stdout, ``every`` of them a write (a write per line costs a system
    call each on an unbuffered stdout)."""
    parts = iter(parts)
    while chunk := "".join(islice(parts, every)):
        sys.stdout.write(chunk)


def render_csv(
    as_of: dt.date, rows: Iterable[StartupRow], t: Totals, *, french: bool = False
) -> None:
    csv.write_lists(CSV_COLUMNS, (_csv_row(row) for row in rows), text=CSV_TEXT, french=french)


def render_csv_fr(as_of: dt.date, rows: Iterable[StartupRow], t: Totals) -> None:
    render_csv(as_of, rows, t, french=True)


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


def ends_within(row: StartupRow, last: dt.date) -> bool:
    """Does the startup's money or a convention in force run out by ``last``?  Its money
    at its burn rate, a convention's at its own rate or its staffing plan's, or the end
    of a convention in force (with no other in force after it, the alerts say)."""
    a = row.assessment
    days = [a.exhausts_on]
    for p in a.projections:
        days += [p.ends_on, p.exhausts_on, p.staffing_exhausts_on]
    return any(d is not None and a.as_of <= d <= last for d in days)


def report_rows(
    reader, as_of: dt.date, filters: Filters, ending_within: int | None = None
) -> tuple[Iterator[StartupRow], Totals]:
    """The report's rows in their final order, as they come, and their totals (complete
    once the rows are read).  Listed by slug, a 10,000-startup report never holds its
    rows at once; sorted otherwise, every row is assessed first.  ``ending_within``: only
    the startups whose money or convention runs out within that many days (the totals
    are theirs)."""
    if ending_within is not None:
        from dataclasses import replace

        last = as_of + dt.timedelta(days=ending_within)
        data = build(reader, as_of, replace(filters, limit=None))
        kept = [row for row in data.rows if ends_within(row, last)]
        totals = Totals(unplaced_ej=data.totals.unplaced_ej)
        for row in kept:
            totals.add(row.assessment)
        if filters.limit is not None:
            kept = kept[: filters.limit]
        return iter(kept), totals
    if streams(filters):
        totals = Totals()
        return iter_rows(reader, as_of, filters, totals), totals
    data = build(reader, as_of, filters)
    return iter(data.rows), data.totals


RENDERERS = {
    "json": render_json,
    "csv": render_csv,
    "csv-fr": render_csv_fr,
    "markdown": render_markdown,
    "table": render_table,
}


def checked(reader, filters: Filters) -> Filters:
    """The filters with their phase, incubator and sponsor checked against what the store
    knows (a phase also by its label, ``accélération``): an unknown one is a usage error
    listing the valid ones, never an empty report."""
    from dataclasses import replace

    from commands.options import known_choice, known_phase
    from store.queries import names

    if filters.phase is None and filters.incubator is None and filters.sponsor is None:
        return filters
    return replace(
        filters,
        phase=known_phase(filters.phase, names.phases(reader)) if filters.phase else None,
        incubator=known_choice("--incubator", filters.incubator, names.incubators(reader)),
        sponsor=known_choice("--sponsor", filters.sponsor, names.sponsors(reader)),
    )


def print_report(
    db: str | None,
    *,
    as_of: dt.date,
    fmt: ReportFormat,
    filters: Filters | None = None,
    dialect: CsvDialect = CsvDialect.plain,
    ending_within: int | None = None,
) -> None:
    with reading(db) as reader:
        filters = checked(reader, filters or Filters())
        rows, totals = report_rows(reader, as_of, filters, ending_within)
        name = "csv-fr" if fmt is ReportFormat.csv and dialect is CsvDialect.fr else fmt.value
        RENDERERS[name](as_of, rows, totals)


def report(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = ReportFormat.table,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help=_("List at most N startups."))
    ] = None,
    phase: Annotated[
        str | None, typer.Option(help=_("Only startups in this phase on the date."))
    ] = None,
    incubator: Annotated[
        str | None, typer.Option(help=_("Only this incubator (its slug)."))
    ] = None,
    sponsor: Annotated[str | None, typer.Option(help=_("Only this sponsor (its slug)."))] = None,
    alerts: Annotated[
        bool, typer.Option("--alerts", help=_("Only the startups with at least one alert."))
    ] = False,
    sort: Annotated[
        SortKey,
        typer.Option(
            "--sort",
            help=_(
                "Order: slug, title (A→Z); envelope, consumed, alerts (largest first); "
                "remaining, runway, deadline (smallest or soonest first); unknowns last."
            ),
        ),
    ] = SortKey("slug"),
    ending_within: Annotated[
        int | None,
        typer.Option(
            "--ending-within",
            min=0,
            metavar="DAYS",
            help=_(
                "Only the startups whose money or convention runs out within DAYS days of the date."
            ),
        ),
    ] = None,
    dialect: Annotated[
        CsvDialect,
        typer.Option(
            "--dialect",
            help=_(
                "CSV dialect: plain (commas, decimal points: scripts, LibreOffice) or fr "
                "(semicolons, decimal commas, UTF-8 with BOM: French Excel)."
            ),
        ),
    ] = CsvDialect.plain,
) -> None:
    print_report(
        db,
        as_of=as_of or today(),
        fmt=fmt,
        dialect=dialect,
        ending_within=ending_within,
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
    app.command(
        help=_("Summarise the portfolio: envelope, consumption, deadlines and alerts per startup.")
    )(report)
