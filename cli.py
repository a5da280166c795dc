"""The ``startups`` command: a thin shell over ``store``.

Each command resolves the store, calls the store's API and renders plain data.
Errors from the store (``store.errors``) become one line on stderr with exit
status 2 (bad usage or input) or 1 (a failure of the work); never a traceback.

Imports are deferred into the commands: ``startups report`` must answer quickly
and never import Textual or (on a SQLite file) SQLAlchemy.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from store.queries.report import PortfolioReport

app = typer.Typer(
    name="startups",
    help="Portfolio manager for a startups d'État incubator: conventions, deadlines, budget.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

import_app = typer.Typer(
    help="Import data from real sources (beta.gouv.fr, conventions, expense exports).",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")


class SortKey(StrEnum):
    slug = "slug"
    title = "title"
    envelope = "envelope"
    consumed = "consumed"
    remaining = "remaining"
    runway = "runway"
    deadline = "deadline"
    alerts = "alerts"


class ReportFormat(StrEnum):
    json = "json"
    csv = "csv"
    markdown = "markdown"
    table = "table"


def _parse_date(value: str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def _parse_as_of(value: str | None) -> dt.date | None:
    from store.rules.dates import check_plausible

    day = _parse_date(value)
    if day is None:
        return None
    try:
        return check_plausible(day)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} {exc}") from None


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="Store: a SQLite file or a SQLAlchemy URL (default: $STARTUPS_DB, "
        "else startups.db in the user data directory).",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    dt.date | None,
    typer.Option(
        "--as-of",
        parser=_parse_as_of,
        metavar="YYYY-MM-DD",
        help="View the portfolio as of this date (default: today).",
        show_default=False,
    ),
]


class _State:
    db: str | None = None
    argv: tuple[str, ...] = ()
    read_only: bool = False


def _db(value: str | None) -> str | None:
    return value if value is not None else _State.db


def _today() -> dt.date:
    return dt.date.today()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: DbOption = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="NAME",
            help="Who makes the changes, for the audit log (default: the OS user).",
            show_default=False,
        ),
    ] = None,
    read_only: Annotated[
        bool,
        typer.Option("--read-only", help="Open the app with every form and write disabled."),
    ] = False,
) -> None:
    """Without a command, open the portfolio on the configured store."""
    _State.db = db
    _State.read_only = read_only
    if actor is not None:
        _set_actor(actor)
    if ctx.invoked_subcommand is None:
        if _interactive():
            _run_app(_db(None), as_of=None)
        else:
            _print_report(_db(None), as_of=_today(), fmt=ReportFormat.table)


def _interactive() -> bool:
    """Open the app only on a terminal; piped output gets the report instead."""
    return sys.stdout.isatty() and sys.stdin.isatty()


def _run_app(db: str | None, *, as_of: dt.date | None, read_only: bool = False) -> None:
    """Open the Textual app on the store (checked first, so a bad store is one line on stderr)."""
    from store.open import open_reader

    open_reader(db).close()
    from tui.app import StartupsApp

    StartupsApp(db, as_of, read_only=read_only or _State.read_only).run()


ReadOnlyOption = Annotated[
    bool,
    typer.Option(
        "--read-only", help="Open the app to look only: every form and write action is disabled."
    ),
]


@app.command()
def tui(db: DbOption = None, as_of: AsOfOption = None, read_only: ReadOnlyOption = False) -> None:
    """Open the app (portfolio, startups, conventions, budget, deadlines) on the store."""
    _run_app(_db(db), as_of=as_of, read_only=read_only)


@app.command()
def init(db: DbOption = None) -> None:
    """Create the store, or upgrade it to the current schema (after a backup copy)."""
    from store.open import open_store

    store = open_store(_db(db), create=True)
    where = store.location.display()
    if store.backup_path is not None:
        typer.echo(f"upgraded {where} (backup: {store.backup_path})")
    elif store.upgraded_from is None and store.location.path is not None:
        typer.echo(f"store ready: {where}")
    else:
        typer.echo(f"store ready: {where}")
    store.dispose()


@app.command()
def demo(
    db: DbOption = None,
    no_tui: Annotated[
        bool, typer.Option("--no-tui", help="Print the report instead of opening the app.")
    ] = False,
    as_of: AsOfOption = None,
) -> None:
    """Load the seed portfolio (Classe à 12, DossierSco) and open the app on it; loading twice adds nothing.

    With --no-tui, or when stdout is not a terminal, print the report instead."""
    from store.open import open_store
    from store.ops.demo import load_demo

    store = open_store(_db(db), create=True)
    result = load_demo(store)
    store.dispose()
    what = f"{result.created} rows added" if result.changed else "already loaded, nothing added"
    typer.echo(f"demo portfolio in {store.location.display()}: {what}", err=True)
    if not no_tui and _interactive():
        _run_app(store.location.url, as_of=as_of)
        return
    _print_report(store.location.url, as_of=as_of or _today(), fmt=ReportFormat.table)


@app.command()
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
    ] = SortKey.slug,
) -> None:
    """Summarise the portfolio: envelope, consumption, deadlines and alerts per startup."""
    from store.queries.report import Filters

    _print_report(
        _db(db),
        as_of=as_of or _today(),
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


class BurnFormat(StrEnum):
    chart = "chart"
    json = "json"


@app.command()
def burn(
    slug: Annotated[str, typer.Argument(help="The startup (its slug, e.g. classe-a-12).")],
    db: DbOption = None,
    as_of: AsOfOption = None,
    all_history: Annotated[
        bool,
        typer.Option(
            "--all", help="The whole history: every ceiling concluded so far, all consumption."
        ),
    ] = False,
    fmt: Annotated[BurnFormat, typer.Option("--format", "-f", help="Output format.")] = (
        BurnFormat.chart
    ),
) -> None:
    """Monthly burn-down of a startup: envelope, consumption, remaining and projection."""
    from store.open import open_reader
    from store.queries.burn import load

    day = as_of or _today()
    with open_reader(_db(db)) as reader:
        points = load(reader, slug, day, whole_history=all_history)
    if fmt is BurnFormat.json:
        import json

        data = {"series": [p.to_dict() for p in points]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    _draw_burn(slug, day, points, whole_history=all_history)


def _draw_burn(slug: str, day: dt.date, points, *, whole_history: bool) -> None:
    if not points:
        typer.echo(f"{slug}: no convention to draw as of {day.isoformat()}")
        return
    import plotext as plt  # ~40 ms: only this command pays for it

    months = [p.month for p in points]
    x = list(range(len(points)))

    def line(values, label, color):
        pts = [(i, v / 100) for i, v in zip(x, values, strict=True) if v is not None]
        if pts:
            plt.plot([i for i, _ in pts], [v for _, v in pts], label=label, color=color)

    plt.clear_figure()
    line([p.envelope_cents for p in points], "enveloppe", "blue")
    line([p.consumed_cents for p in points], "consommé", "red")
    line([p.remaining_cents for p in points], "reste", "green")
    line([p.projected_cents for p in points], "projection", "orange")
    step = max(1, len(points) // 8)
    plt.xticks(x[::step], months[::step])
    scope = "tout l'historique" if whole_history else "période de financement en cours"
    plt.title(f"{slug} au {day.isoformat()} ({scope}), en euros")
    width, height = _terminal_size()
    plt.plotsize(width, height)
    chart = plt.build()
    if not sys.stdout.isatty() or "NO_COLOR" in os.environ:
        chart = plt.uncolorize(chart)
    sys.stdout.write(chart + "\n")


def _terminal_size() -> tuple[int, int]:
    import shutil

    size = shutil.get_terminal_size((100, 30))
    return min(size.columns, 120), max(15, min(size.lines - 2, 30))


def _print_report(db: str | None, *, as_of: dt.date, fmt: ReportFormat, filters=None) -> None:
    from store.open import open_reader
    from store.queries.report import Filters, build

    filters = filters or Filters()
    with open_reader(db) as reader:
        if fmt is ReportFormat.json and not sys.stdout.isatty():
            _stream_json(reader, as_of, filters)
            return
        data = build(reader, as_of, filters)
    render = {
        ReportFormat.json: _render_json,
        ReportFormat.csv: _render_csv,
        ReportFormat.markdown: _render_markdown,
        ReportFormat.table: _render_table,
    }[fmt]
    render(data)


@import_app.command("betagouv")
def import_betagouv(
    directory: Annotated[
        str,
        typer.Argument(
            metavar="DIR",
            help="A beta.gouv.fr checkout, or its content/ folder.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Any unreadable file: import nothing (exit status 2)."),
    ] = False,
) -> None:
    """Import beta.gouv.fr's startups, phases, sponsors, incubators and FAST promotions.

    Importing again updates in place: local data (conventions, spending, deadlines,
    notes) is never touched, and a startup gone upstream is marked, not deleted.
    Unreadable files are named on stderr and skipped (exit status 1).
    """
    from pathlib import Path

    from store.errors import BadInput
    from store.importers.betagouv.read import content_dir, load_snapshot, snapshot_files
    from store.importers.betagouv.write import write_snapshot
    from store.open import open_store

    content = content_dir(Path(directory))  # not a checkout: one line, exit 2
    # Read everything first: with --strict and an unreadable file, the store is not even
    # opened (nothing is written, not even a new empty store).
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        total = sum(len(v) for v in snapshot_files(content).values())
        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("beta.gouv.fr", total=total)
            snap = load_snapshot(
                content, progress=lambda done, _total: bar.update(task, completed=done)
            )
    else:
        snap = load_snapshot(content)
    for bad in snap.bad:
        sys.stderr.write(f"startups: {bad}\n")
    if strict and snap.bad:
        raise BadInput(
            f"{len(snap.bad)} unreadable file(s) in {content}; nothing imported (--strict)"
        )
    store = open_store(_db(db), create=True)
    try:
        result = write_snapshot(store, snap)
    finally:
        store.dispose()
    unmatched: dict[int, list[str]] = {}
    for number, name in result.unmatched_laureates:
        unmatched.setdefault(number, []).append(name)
    for number, names in sorted(unmatched.items()):
        typer.echo(f"FAST {number}: kept by name, no startup matches: {'; '.join(names)}", err=True)
    typer.echo(f"{result.summary()} in {store.location.display()}")
    if result.skipped:
        raise typer.Exit(code=1)


# --- import convention -----------------------------------------------------------------


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


@import_app.command("convention")
def import_convention(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The convention or avenant: .txt or .pdf.")
    ],
    startup: Annotated[
        str | None,
        typer.Option(
            "--startup",
            metavar="SLUG",
            help="The startup it belongs to (default: the one matching the service it names).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be stored; store nothing.")
    ] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the extraction as JSON (startups.convention/1).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Store without asking.")] = False,
    db: DbOption = None,
) -> None:
    """Read a convention or avenant (text or PDF), show each fact with its evidence, store it."""
    import json

    from store.errors import BadInput
    from store.importers.convention.plan import load_extraction

    extraction = load_extraction(file)
    if json_out:
        sys.stdout.write(json.dumps(extraction, ensure_ascii=False, indent=2) + "\n")
    if dry_run:
        plan = _dry_plan(_db(db), extraction, startup)
        if not json_out and not (plan and plan.already_imported):
            _print_evidence(extraction)
        for line in plan.summary() if plan else []:
            typer.echo(line, err=json_out)
        typer.echo("dry run: nothing stored", err=True)
        return

    from store.importers.convention.plan import apply_import, plan_import
    from store.open import open_store

    # A new store is created only for an explicit --startup: a bare import that can only
    # fail ("no startup matches") must not leave an empty store behind.
    store = open_store(_db(db), create=startup is not None)
    try:
        with store.session() as session:
            plan = plan_import(session, extraction, startup)
        if plan.already_imported is not None:
            typer.echo(plan.summary()[0], err=True)
            return
        if plan.problems:
            raise BadInput(f"{file}: {plan.problems[0]}")
        if not json_out:
            _print_evidence(extraction)
        for line in plan.summary():  # the preview's second half (stderr under --json)
            typer.echo(line, err=json_out)
        if plan.nothing_to_do:
            return
        if not yes and not _stdin_is_tty():
            raise BadInput(
                f"{file}: no terminal to confirm on; re-run with --yes to store it "
                "(or --dry-run to only look)"
            )
        if plan.needs_parent_choice:
            if yes:
                raise BadInput(
                    f"{file}: ambiguous parent, nothing stored: {plan.parent_question}; "
                    "re-run without --yes to choose"
                )
            _choose_parent(plan)
        if not yes and not typer.confirm("Store it?", default=False, err=True):
            typer.echo("nothing stored", err=True)
            raise typer.Exit(1)
        with store.session() as session:
            result = apply_import(session, plan)
        typer.echo(result.summary(), err=True)
    finally:
        store.dispose()


def _dry_plan(db: str | None, extraction: dict, startup: str | None):
    """The plan against an existing, current store; ``None`` without one (nothing is written)."""
    from store.location import resolve
    from store.schema import SchemaState, sqlite_state

    location = resolve(db)
    if location.path is not None:
        state, _ = sqlite_state(location.path)
        if state is not SchemaState.CURRENT:
            return None
    from store.errors import StartupsError
    from store.importers.convention.plan import plan_import
    from store.open import open_store

    try:
        store = open_store(db, create=False)
    except StartupsError:
        return None
    try:
        with store.session() as session:
            return plan_import(session, extraction, startup)
    finally:
        store.dispose()


def _choose_parent(plan) -> None:
    typer.echo("Which convention does this avenant amend?", err=True)
    for i, candidate in enumerate(plan.parent_candidates, start=1):
        typer.echo(f"  {i}. {candidate.label()}", err=True)
    count = len(plan.parent_candidates)
    while True:
        choice = typer.prompt(f"Number (1-{count})", type=int, err=True)
        if 1 <= choice <= count:
            break
        typer.echo(f"  {choice} is not between 1 and {count}", err=True)
    plan.choose_parent(plan.parent_candidates[choice - 1].id)


def _print_evidence(extraction: dict) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from store.importers.convention.plan import evidence_rows

    console = Console(no_color="NO_COLOR" in os.environ or None)
    name = Path(extraction.get("file") or "").name
    table = Table(
        title=f"{name} ({extraction.get('kind') or '?'})",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Champ", no_wrap=True)
    table.add_column("Valeur", overflow="fold", max_width=36)
    table.add_column("Preuve (ligne : texte)", overflow="fold", ratio=1)
    for row in evidence_rows(extraction):
        table.add_row(row.field, row.value, row.excerpt(90))
    console.print(table)


# --- rendering -------------------------------------------------------------------------

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


def _flat(row: dict) -> dict:
    deadline = row["next_deadline"] or {}
    flat = {k: row[k] for k in CSV_COLUMNS if k in row}
    flat["sponsors"] = " ".join(row["sponsors"])
    flat["alerts"] = " ".join(row["alerts"])
    flat["next_deadline_date"] = deadline.get("date")
    flat["next_deadline_title"] = deadline.get("title")
    return flat


def _render_json(data: PortfolioReport) -> None:
    import json

    sys.stdout.write(json.dumps(data.to_dict(), ensure_ascii=False, indent=2) + "\n")


def _stream_json(reader, as_of: dt.date, filters) -> None:
    """Piped JSON: compact, through the C encoder, written as the rows come (listed by
    slug, a 10,000-startup report never holds its rows at once)."""
    import json
    from itertools import islice

    from store.queries.report import SCHEMA, Totals, build, iter_rows, streams

    if streams(filters):
        totals = Totals()
        rows = iter_rows(reader, as_of, filters, totals)
    else:  # sorted otherwise: every row first
        data = build(reader, as_of, filters)
        rows, totals = iter(data.rows), data.totals
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    head = encode({"schema": SCHEMA, "as_of": as_of.isoformat()})
    write = sys.stdout.write
    write(head[:-1] + ',"startups":[')
    first = True
    while chunk := [row.to_dict() for row in islice(rows, 500)]:
        write(("" if first else ",") + ",".join(map(encode, chunk)))
        first = False
    write('],"totals":' + encode(totals.to_dict()) + "}\n")


def _render_csv(data: PortfolioReport) -> None:
    import csv

    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in data.to_dict()["startups"]:
        writer.writerow({k: "" if v is None else v for k, v in _flat(row).items()})


def _table_cells(data: PortfolioReport) -> tuple[list[str], list[list[str]], list[str]]:
    from store.fmt import day, eur, months

    header = [
        "Startup",
        "Phase",
        "Enveloppe",
        "Consommé",
        "Reste",
        "Autonomie",
        "Échéance",
        "Alertes",
    ]
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
    return header, rows, totals


def _render_markdown(data: PortfolioReport) -> None:
    header, rows, totals = _table_cells(data)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    out = [f"# Portefeuille au {data.as_of.isoformat()}", "", line(header)]
    out.append("|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|")
    out += [line(r) for r in rows]
    out.append(line([f"**{c}**" if c else "" for c in totals]))
    sys.stdout.write("\n".join(out) + "\n")


# Columns dropped first when the terminal is too narrow (indexes into the header).
_DROP_ORDER = (1, 5, 3)


def _render_table(data: PortfolioReport) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    header, rows, totals = _table_cells(data)
    console = Console(no_color="NO_COLOR" in os.environ or None)
    columns = list(range(len(header)))
    # Amounts and dates never shrink; names and alerts take what is left (12 at least).
    widths = [
        max(len(c) for c in [name, total, *(r[i] for r in rows)])
        for i, (name, total) in enumerate(zip(header, totals, strict=True))
    ]
    widths = [w if 2 <= i <= 6 else min(w, 12) for i, w in enumerate(widths)]
    for drop in _DROP_ORDER:
        if sum(widths[i] + 2 for i in columns) <= console.width:
            break
        columns.remove(drop)
    t = data.totals
    table = Table(
        title=f"Portefeuille au {data.as_of.isoformat()}",
        caption=f"{t.envelope_unknown} enveloppe(s) inconnue(s), non comptée(s) dans le total"
        if t.envelope_unknown
        else None,
        show_footer=True,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for i in columns:
        table.add_column(
            header[i],
            footer=totals[i],
            justify="right" if 2 <= i <= 5 else "left",
            no_wrap=True,
            overflow="ellipsis",
            min_width=widths[i],
            max_width=28 if i == 0 else None,
        )
    for r in rows:
        table.add_row(*(r[i] for i in columns))
    console.print(table)


# --- consumption lines: expense add, import expenses --------------------------------------

expense_app = typer.Typer(
    help="Record consumption lines (payments, engagements).", no_args_is_help=True
)
app.add_typer(expense_app, name="expense")


def _input(option: str, value: str, parse):
    """Parse a typed value with a ``store.rules`` parser; a bad one is one line, exit 2."""
    from store.errors import BadInput

    try:
        return parse(value)
    except ValueError as exc:
        raise BadInput(f"{option} {value!r} {exc}") from None


@expense_app.command("add")
def expense_add(
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The startup (its slug).")],
    date: Annotated[str, typer.Option("--date", metavar="DATE", help="YYYY-MM-DD or dd/mm/yyyy.")],
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
    from store.fmt import eur
    from store.open import open_store
    from store.ops.ledger import add_expense
    from store.rules.amounts import parse_amount_cents
    from store.rules.dates import parse_day
    from store.rules.vocab import parse_line_kind

    day = _input("--date", date, parse_day)
    cents = _input("--amount", amount, parse_amount_cents)
    kind_value = _input("--kind", kind, parse_line_kind)
    store = open_store(_db(db), create=False)
    try:
        with store.session() as session:
            line = add_expense(
                session,
                slug,
                date=day,
                amount_cents=cents,
                label=label,
                kind=kind_value,
                convention_id=convention,
            )
            counted = line.counted_convention_id
    finally:
        store.dispose()
    where = f"counts against convention {counted}" if counted else "UNATTRIBUTED: no convention"
    typer.echo(
        f"{slug}: {kind_value} of {eur(cents, decimals=True)} on {day.isoformat()} "
        f"recorded as line {line.id} ({where})"
    )


@import_app.command("expenses")
def import_expenses(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="The CSV export.")],
    startup: Annotated[
        str, typer.Option("--startup", metavar="SLUG", help="The startup the lines belong to.")
    ],
    db: DbOption = None,
) -> None:
    """Import consumption lines from a CSV export (French `;` or plain `,`); twice adds nothing."""
    from store.importers.expenses.csv import BadRows, read_expense_file, store_expenses
    from store.open import open_store

    try:
        rows = read_expense_file(file)
    except BadRows as exc:
        # The one place where several lines on stderr are right: one per bad row.
        for problem in exc.lines():
            sys.stderr.write(f"startups: error: {problem}\n")
        raise typer.Exit(2) from None
    store = open_store(_db(db), create=False)
    try:
        with store.session() as session:
            result = store_expenses(session, startup, rows, source=f"csv:{file.name}")
    finally:
        store.dispose()
    typer.echo(f"{result.slug}: {file.name}: added {result.added}, already there {result.already}")


# --- deadlines ------------------------------------------------------------------------------


_KINDS = {
    "deliverable": "livrable",
    "convention_end": "fin de conv.",
    "renewal": "renouv.",
    "committee": "comité",
    "reporting": "compte rendu",
    "other": "autre",
}


class DeadlinesFormat(StrEnum):
    table = "table"
    json = "json"
    ics = "ics"


@app.command()
def deadlines(
    db: DbOption = None,
    as_of: AsOfOption = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            min=0,
            metavar="DAYS",
            help="Only deadlines from the date to DAYS after it (overdue ones always listed).",
        ),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only the overdue deadlines.")] = False,
    startup: Annotated[
        str | None, typer.Option("--startup", metavar="SLUG", help="Only this startup.")
    ] = None,
    fmt: Annotated[
        DeadlinesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DeadlinesFormat.table,
) -> None:
    """List deadlines, convention ends and renewal reminders included (table, JSON or iCalendar)."""
    from store.open import open_reader
    from store.queries.agenda import Selection, select_items, to_ics, to_json

    on = as_of or _today()
    selection = Selection(within=within, overdue_only=overdue, slug=startup)
    with open_reader(_db(db)) as reader:
        items = select_items(reader, on, selection)
    if fmt is DeadlinesFormat.json:
        import json

        # Indented on a terminal; piped, compact (the C encoder: 10,000 deadlines at once).
        indent = 2 if sys.stdout.isatty() else None
        separators = None if indent else (",", ":")
        text = json.dumps(to_json(items), ensure_ascii=False, indent=indent, separators=separators)
        sys.stdout.write(text + "\n")
    elif fmt is DeadlinesFormat.ics:
        sys.stdout.flush()
        sys.stdout.buffer.write(to_ics(items))
        sys.stdout.buffer.flush()
    else:
        _render_deadlines(items, on)


def _console():
    """A rich console writing no escape code at all when NO_COLOR is set or stdout is no terminal."""
    from rich.console import Console

    plain = "NO_COLOR" in os.environ
    return Console(color_system=None if plain else "auto", no_color=plain or None, highlight=False)


def _render_deadlines(items, on: dt.date) -> None:
    from rich import box
    from rich.table import Table

    console = _console()
    table = Table(
        title=f"Échéances au {on.isoformat()}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption=None if items else "aucune échéance",
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("Startup", no_wrap=True, max_width=20, overflow="ellipsis")
    table.add_column("Échéance", min_width=28, ratio=1)
    table.add_column("Nature", no_wrap=True)
    table.add_column("Id", justify="right", no_wrap=True)
    for item in items:
        table.add_row(
            item.date.isoformat(),
            item.slug,
            f"EN RETARD · {item.title}" if item.overdue else item.title,
            _KINDS.get(item.kind, item.kind),
            str(item.id) if item.id is not None else "—",
            style="bold red" if item.overdue else None,
        )
    console.print(table)


deadline_app = typer.Typer(help="Act on one deadline.", no_args_is_help=True)
app.add_typer(deadline_app, name="deadline")


@deadline_app.command("done")
def deadline_done(
    ref: Annotated[
        str, typer.Argument(metavar="ID", help="The deadline's id, as `startups deadlines` lists.")
    ],
    on: Annotated[
        dt.date | None,
        typer.Option(
            "--on",
            parser=_parse_date,
            metavar="YYYY-MM-DD",
            help="The day it was done (default: today).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Mark an explicit deadline done (convention ends and renewal reminders cannot be)."""
    from store.open import open_store
    from store.ops.ledger import mark_deadline_done

    store = open_store(_db(db), create=False)
    try:
        with store.session() as session:
            deadline, changed = mark_deadline_done(session, ref, on or _today())
    finally:
        store.dispose()
    state = "done on" if changed else "already done on"
    typer.echo(f"deadline {deadline.id} ({deadline.title}): {state} {deadline.done_on}")


# --- show: one startup's card --------------------------------------------------------------


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def show(
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The startup (its slug).")],
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ShowFormat.table
    ),
) -> None:
    """Print one startup's full card: phases, conventions and avenants, budget, deadlines, KPIs."""
    from store.open import open_reader
    from store.queries.card import build_card

    with open_reader(_db(db)) as reader:
        card = build_card(reader, slug, as_of or _today())
    if fmt is ShowFormat.json:
        import json

        sys.stdout.write(json.dumps(card.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _render_card(card)


_STATUS = {
    "in_force": ("en vigueur", "green"),
    "pending": ("en attente : aucune date de signature", "yellow"),
    "upcoming": ("pas encore en vigueur", "cyan"),
    "ended": ("terminée", "dim"),
}


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    return format_decimal(value, locale="fr_FR")


def _convention_label(c) -> str:
    from rich.markup import escape

    from store.fmt import day, eur

    text, colour = _STATUS.get(c.status, (c.status, ""))
    name = escape(c.title or ("Avenant" if c.kind == "avenant" else "Convention"))
    head = f"[bold]#{c.id} {name}[/bold] — [{colour}]{text}[/{colour}]" if colour else name
    if c.placeholder:
        head += " [dim](connue par un autre texte)[/dim]"
    lines = [head]
    if c.object:
        lines.append(f"[italic]{escape(c.object)}[/italic]")
    end = day(c.ends_on)
    if c.ends_on is not None and c.ends_on_precision == "month":
        end += " (au mois près)"
    facts = []
    if c.kind != "avenant" or c.ends_on:
        facts.append(f"période {day(c.starts_on)} → {end}")
    if c.kind != "avenant" or c.ceiling_cents is not None:
        facts.append(f"plafond {eur(c.ceiling_cents)}")
    if c.kind != "avenant":
        if c.ceiling_on_cents != c.ceiling_cents or c.ends_on_effective != c.ends_on:
            facts.append(
                f"avec avenants : {eur(c.ceiling_on_cents)} jusqu'au {day(c.ends_on_effective)}"
            )
        facts.append(f"consommé {eur(c.consumed_cents)}")
    if facts:
        lines.append(" · ".join(facts))
    signatures = [
        f"{escape(p.short_name or p.name)}"
        + (f" ({escape(p.role)})" if p.role else "")
        + f" : {day(p.signed_on) if p.signed_on else 'non datée'}"
        for p in c.parties
    ]
    if c.signed_on is not None:
        signatures.append(f"signée le {day(c.signed_on)}")
    lines.append(
        "signatures : "
        + ("; ".join(signatures) if signatures else "aucune connue")
        + (f" → conclue le {day(c.concluded_on)}" if c.concluded_on else "")
    )
    if c.schedule:
        lines.append(
            "échéancier : "
            + "; ".join(f"{y.year} AE {eur(y.ae_cents)}, CP {eur(y.cp_cents)}" for y in c.schedule)
        )
    if c.imputation:
        lines.append(
            "[dim]imputation : "
            + ", ".join(f"{k} {escape(v)}" for k, v in c.imputation.items())
            + "[/dim]"
        )
    return "\n".join(lines)


def _render_card(card) -> None:
    from rich import box
    from rich.console import Group
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table
    from rich.tree import Tree

    from store.fmt import day, eur, months

    console = _console()
    a = card.assessment

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    if card.mission:
        head.add_row("Mission", escape(card.mission))
    history = " → ".join(
        f"{'[bold]' if p.current else ''}{escape(p.name)} ({day(p.start)})"
        f"{'[/bold]' if p.current else ''}"
        for p in card.phases
    )
    head.add_row(
        "Phase", f"{escape(a.phase or '—')}" + (f"   [dim]{history}[/dim]" if history else "")
    )
    if card.incubator:
        head.add_row("Incubateur", f"{escape(card.incubator_title or '')} ({card.incubator})")
    if card.sponsors:
        head.add_row(
            "Sponsors",
            ", ".join(f"{escape(s['acronym'] or s['name'])} ({s['slug']})" for s in card.sponsors),
        )
    for name, url in card.links.items():
        head.add_row(name.capitalize(), escape(url))
    console.print(
        Panel(
            head,
            title=f"[bold]{escape(card.title)}[/bold] ({card.slug})",
            subtitle=f"au {card.as_of.isoformat()}",
            box=box.ROUNDED,
        )
    )

    tree = Tree("[bold]Conventions[/bold]", guide_style="dim")
    for c in card.conventions:
        branch = tree.add(_convention_label(c))
        for avenant in c.avenants:
            branch.add(_convention_label(avenant))
    if not card.conventions:
        tree.add("[yellow]aucune convention[/yellow]")
    console.print(tree)

    money = Table.grid(padding=(0, 2))
    money.add_column(style="bold", no_wrap=True)
    money.add_column(justify="right", no_wrap=True)
    next_deadline = a.next_deadline
    rows = [
        ("Enveloppe", eur(a.envelope_cents)),
        ("En attente de signature", eur(a.pending_cents)),
        ("Consommé", eur(a.consumed_cents)),
        ("Reste", eur(a.remaining_cents)),
        ("Hors convention", eur(a.unattributed_cents)),
        ("Rythme (90 j)", eur(a.burn_rate_cents_per_month) + "/mois"),
        ("Autonomie", months(a.runway_months)),
        ("Conventions en vigueur", str(a.conventions_in_force)),
        ("Lignes de consommation", str(card.lines)),
        (
            "Prochaine échéance",
            f"{day(next_deadline.date)} {escape(next_deadline.title)}" if next_deadline else "—",
        ),
    ]
    for label, value in rows:
        money.add_row(label, value)
    alerts = " ".join(a.alerts)
    money.add_row("Alertes", f"[bold red]{alerts}[/bold red]" if alerts else "aucune")
    console.print(Panel(money, title="Budget", box=box.ROUNDED, expand=False))

    if card.deadlines:
        table = Table(title="Échéances", box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
        for name in ("Date", "Échéance", "Nature", "État", "Id"):
            table.add_column(name, no_wrap=name != "Échéance")
        for d in card.deadlines:
            if d.overdue:
                state = "[bold red]EN RETARD[/bold red]"
            elif d.done:
                state = f"faite {day(d.done_on)}"
            elif d.date < card.as_of:
                state = "[dim]passée[/dim]"
            else:
                state = f"dans {(d.date - card.as_of).days} j"
            table.add_row(
                day(d.date),
                escape(d.title),
                _KINDS.get(d.kind, d.kind),
                state,
                str(d.id) if d.id is not None else "—",
            )
        console.print(table)

    if card.kpis:
        table = Table(
            title="Indicateurs", box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left"
        )
        for name in ("Indicateur", "Cible", "Dernière mesure", ""):
            table.add_column(name)
        for k in card.kpis:
            unit = f" {k.unit}" if k.unit else ""
            sign = "≤ " if k.direction == "at_most" else "≥ "
            target = (
                f"{sign}{_number(k.target)}{unit}"
                + (f" au {day(k.target_date)}" if k.target_date else "")
                if k.target is not None
                else "—"
            )
            latest = (
                f"{_number(k.latest_value)}{unit} ({day(k.latest_date)})"
                if k.latest_value is not None
                else "aucune"
            )
            met = {True: "[green]atteint[/green]", False: "[yellow]pas encore[/yellow]"}.get(
                k.met, ""
            )
            table.add_row(escape(k.metric), escape(target), escape(latest), met)
        console.print(table)

    parts = []
    for f in card.fast:
        parts.append(
            f"FAST {f.number or '?'}"
            + (f" — {escape(f.title)}" if f.title else "")
            + (f" : {eur(f.amount_cents)}" if f.amount_cents is not None else "")
        )
    if parts:
        console.print(Group("[bold]FAST[/bold]", *(f"  {p}" for p in parts)))
    if card.staffing:
        table = Table(title="Équipe", box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
        for name in ("Rôle", "Effectif", "Période", "TJM", "Convention"):
            table.add_column(name)
        for st in card.staffing:
            table.add_row(
                escape(st.role),
                _number(st.headcount),
                f"{day(st.starts_on)} → {day(st.ends_on)}",
                eur(st.daily_rate_cents),
                f"#{st.convention_id}" if st.convention_id else "—",
            )
        console.print(table)


# --- backups, restore, export, audit log ------------------------------------------------


def _set_actor(name: str) -> None:
    if not name.strip() or any(c in name for c in "\n\r\t"):
        raise typer.BadParameter(f"{name!r} is not a name", param_hint="'--as'")
    from store.audit import set_actor

    set_actor(name)


class ExportFormat(StrEnum):
    json = "json"


@app.command()
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
    from store.open import open_store
    from store.ops.backup import backup as do_backup

    store = open_store(_db(db), create=False)
    try:
        written = do_backup(store, dest)
    finally:
        store.dispose()
    typer.echo(f"backup of {store.location.display()} written to {written}")


@app.command()
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
    from store.open import open_store
    from store.ops.backup import count_rows, load_file
    from store.ops.backup import restore as do_restore

    data = load_file(src)
    store = open_store(_db(db), create=True)
    try:
        replace = yes
        existing = count_rows(store)
        if existing and not yes:
            if not sys.stdin.isatty():
                from store.errors import BadInput

                raise BadInput(
                    f"{store.location.display()}: holds {existing} rows; restoring replaces "
                    "them all (confirm with --yes)"
                )
            replace = typer.confirm(
                f"{store.location.display()} holds {existing} rows: replace them all with {src}?"
            )
            if not replace:
                raise typer.Abort()
        result = do_restore(store, data, replace=replace, where=str(src))
    finally:
        store.dispose()
    typer.echo(
        f"restored {result.rows} rows from {src} into {store.location.display()}"
        + (f" (replacing {result.replaced})" if result.replaced else "")
    )


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this new file instead of stdout."),
    ] = None,
) -> None:
    """Dump every table of the store (schema-versioned JSON; dates ISO, amounts in cents)."""
    from store.export import dumps, export_data, write_export
    from store.open import open_store

    store = open_store(_db(db), create=False, read_only=True)
    try:
        if output is not None:
            write_export(store, output.expanduser().absolute())
        else:
            sys.stdout.write(dumps(export_data(store)))
    finally:
        store.dispose()


@app.command(name="log")
def log_(
    slug: Annotated[
        str | None,
        typer.Argument(help="Only this startup's changes (its slug).", show_default=False),
    ] = None,
    db: DbOption = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=2**63 - 1, help="Show at most N changes.")
    ] = 50,
    fmt: Annotated[
        ExportFormat | None, typer.Option("--format", "-f", help="json instead of text.")
    ] = None,
) -> None:
    """The audit log: who changed what and when, newest first."""
    from store.open import open_reader
    from store.queries.history import entries

    with open_reader(_db(db)) as reader:
        found = entries(reader, slug, limit=limit)
    if fmt is ExportFormat.json:
        import json

        data = {"schema": "startups.log/1", "entries": [e.to_dict() for e in found]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    for e in found:
        sys.stdout.write(_log_line(e) + "\n")


def _log_line(e) -> str:
    def show(value) -> str:
        text = "∅" if value is None else str(value)
        return text if len(text) <= 40 else text[:39] + "…"

    what = f"{e.table} {e.row_id}" if e.row_id else e.table
    if e.label:
        what += f" «{show(e.label)}»"
    if e.startup and e.table != "startup":
        what += f" ({e.startup})"
    if e.action == "update":
        detail = ", ".join(
            f"{k}: {show(before)} → {show(after)}" for k, (before, after) in e.changes.items()
        )
    elif e.action == "restore":
        detail = ", ".join(f"{k} {v}" for k, v in e.changes.items())
    else:
        detail = ""
    at = e.at.replace("T", " ").removesuffix("Z")
    return f"{at}  {e.actor}  {e.action} {what}" + (f": {detail}" if detail else "")


# --- entry point -------------------------------------------------------------------------


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"startups: error: {_scrub(message)}\n")
    return code


def _scrub(message: str) -> str:
    """Never print a database password, whatever message embeds the URL."""
    from store.location import StoreLocation, scrub

    candidates = [*_State.argv, os.environ.get("STARTUPS_DB") or ""]
    passwords = [StoreLocation(url=c).password for c in candidates if "://" in c]
    return scrub(message, *passwords)


# The root's options that take a value (``startups --db PATH report``).
_ROOT_VALUE_OPTIONS = ("--db", "--as")


def _only_the_command(argv: tuple[str, ...]) -> typer.Typer:
    """The app with only the command being run registered (beside the root's options).

    Typer turns every command's signature into click parameters on each run (about 10 ms
    for this app's twenty commands, a third of what ``startups report`` costs on a small
    store); one command's is all a run needs.  Without a known command (``--help``, a
    typo) the whole app is used, so help and "no such command" errors list them all.
    """
    from typer.main import get_command_name

    words = iter(argv)
    for word in words:
        if word in _ROOT_VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            break
    else:
        return app
    commands = [
        c
        for c in app.registered_commands
        if (c.name or get_command_name(c.callback.__name__)) == word
    ]
    groups = [g for g in app.registered_groups if g.name == word]
    if not commands and not groups:
        return app
    slim = copy.copy(app)
    slim.registered_commands = commands
    slim.registered_groups = groups
    return slim


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every error is one line on stderr and an exit status."""
    from typer.exceptions import TyperException

    from store.errors import StartupsError

    _State.argv = tuple(sys.argv[1:] if argv is None else argv)
    try:
        result = _only_the_command(_State.argv)(
            args=argv, prog_name="startups", standalone_mode=False
        )
    except StartupsError as exc:
        return _fail(str(exc), exc.exit_code)
    except TyperException as exc:  # usage errors: bad option, bad value
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        return _fail(" ".join(message.split()), getattr(exc, "exit_code", 2))
    except typer.Abort:
        return _fail("aborted", 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("STARTUPS_DEBUG"):
            raise
        return _fail(
            f"unexpected {type(exc).__name__}: {exc} (STARTUPS_DEBUG=1 shows the traceback)", 1
        )
    return result if isinstance(result, int) else 0


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
