"""One startup's card for a person (``startups show``): who, conventions, money, deadlines,
KPIs, FAST, staffing.  Every value from data is ``Text`` (``render.text``), never markup."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from commands.render.money import money_rows
from commands.render.table import Column, table
from commands.render.text import text, visible
from store.fmt import day, eur, months, number, staffing_outlook
from store.queries.card import Card, ConventionCard
from store.rules.vocab import DEADLINE_KIND_LABELS, STATUS_LABELS

STATUS_STYLES = {"in_force": "green", "pending": "yellow", "upcoming": "cyan", "ended": "dim"}


def kind_label(kind: str) -> str:
    return DEADLINE_KIND_LABELS.get(kind, kind)


def convention_label(c: ConventionCard) -> Text:
    """A convention or an avenant: its name and status, period, money, signatures."""
    name = c.title or ("Avenant" if c.kind == "avenant" else "Convention")
    head = Text(end="")
    head.append(f"#{c.id} ", style="bold")
    head.append(visible(name), style="bold")
    status = STATUS_LABELS.get(c.status, c.status)
    head.append(" — ")
    head.append(status, style=STATUS_STYLES.get(c.status, ""))
    if c.placeholder:
        head.append(" (connue par un autre texte)", style="dim")
    lines = [head]
    if c.object:
        lines.append(text(c.object, "italic"))
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
        lines.append(Text(" · ".join(facts), end=""))
    signatures = [
        visible(p.short_name or p.name)
        + (f" ({visible(p.role)})" if p.role else "")
        + f" : {day(p.signed_on) if p.signed_on else 'non datée'}"
        for p in c.parties
    ]
    if c.signed_on is not None:
        signatures.append(f"signée le {day(c.signed_on)}")
    lines.append(
        Text(
            "signatures : "
            + ("; ".join(signatures) if signatures else "aucune connue")
            + (f" → conclue le {day(c.concluded_on)}" if c.concluded_on else ""),
            end="",
        )
    )
    if c.schedule:
        lines.append(
            Text(
                "échéancier : "
                + "; ".join(
                    f"{y.year} AE {eur(y.ae_cents)}, CP {eur(y.cp_cents)}" for y in c.schedule
                ),
                end="",
            )
        )
    if c.imputation:
        lines.append(
            text(
                "imputation : " + ", ".join(f"{k} {v}" for k, v in c.imputation.items()),
                "dim",
            )
        )
    return Text("\n", end="").join(lines)


def _head(card: Card) -> Panel:
    a = card.assessment
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    if card.mission:
        grid.add_row("Mission", text(card.mission, multiline=True))
    phase = Text(visible(a.phase or "—"), end="")
    if card.phases:
        phase.append("   ")
        for i, p in enumerate(card.phases):
            if i:
                phase.append(" → ", style="dim")
            phase.append(
                f"{visible(p.name)} ({day(p.start)})", style="bold dim" if p.current else "dim"
            )
    grid.add_row("Phase", phase)
    if card.incubator:
        grid.add_row("Incubateur", text(f"{card.incubator_title or ''} ({card.incubator})"))
    if card.co_incubators:
        co = ", ".join(f"{title} ({slug})" for slug, title in card.co_incubators)
        grid.add_row("Co-incubé par", text(co))
    if card.sponsors:
        grid.add_row(
            "Sponsors",
            text(", ".join(f"{s['acronym'] or s['name']} ({s['slug']})" for s in card.sponsors)),
        )
    for name, url in card.links.items():
        grid.add_row(name.capitalize(), text(url))
    title = Text(end="")
    title.append(visible(card.title), style="bold")
    title.append(f" ({visible(card.slug)})")
    return Panel(grid, title=title, subtitle=f"au {card.as_of.isoformat()}", box=box.ROUNDED)


def _conventions(card: Card) -> Tree:
    tree = Tree(Text("Conventions", style="bold"), guide_style="dim")
    for c in card.conventions:
        branch = tree.add(convention_label(c))
        for avenant in c.avenants:
            branch.add(convention_label(avenant))
    if not card.conventions:
        tree.add(Text("aucune convention", style="yellow"))
    return tree


def _money(card: Card) -> Panel:
    a = card.assessment
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    deadline = a.next_deadline
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
            text(f"{day(deadline.date)} {deadline.title}") if deadline else "—",
        ),
    ]
    rows[4:4] = money_rows(a)
    for label, value in rows:
        grid.add_row(label, value)
    for projection in a.projections:
        outlook = staffing_outlook(projection)
        if outlook is not None:
            grid.add_row(f"Équipe (#{projection.convention_id})", outlook)
    alerts = " ".join(a.alerts)
    grid.add_row("Alertes", Text(alerts, style="bold red") if alerts else "aucune")
    return Panel(grid, title="Budget", box=box.ROUNDED, expand=False)


def _deadlines(card: Card) -> Table:
    rows = []
    for d in card.deadlines:
        if d.overdue:
            state = Text("EN RETARD", style="bold red")
        elif d.done:
            state = f"faite {day(d.done_on)}"
        elif d.date < card.as_of:
            state = Text("passée", style="dim")
        else:
            state = f"dans {(d.date - card.as_of).days} j"
        rows.append(
            [
                day(d.date),
                d.title,
                kind_label(d.kind),
                state,
                str(d.id) if d.id is not None else "—",
            ]
        )
    columns = [
        Column("Date"),
        Column("Échéance", no_wrap=False),
        Column("Nature"),
        Column("État"),
        Column("Id"),
    ]
    return table(columns, rows, title="Échéances", title_justify="left")


def _kpis(card: Card) -> Table:
    rows = []
    for k in card.kpis:
        unit = f" {k.unit}" if k.unit else ""
        sign = "≤ " if k.direction == "at_most" else "≥ "
        target = (
            f"{sign}{number(k.target)}{unit}"
            + (f" au {day(k.target_date)}" if k.target_date else "")
            if k.target is not None
            else "—"
        )
        latest = (
            f"{number(k.latest_value)}{unit} ({day(k.latest_date)})"
            if k.latest_value is not None
            else "aucune"
        )
        met = {
            True: Text("atteint", style="green"),
            False: Text("pas encore", style="yellow"),
        }.get(k.met, "")
        rows.append([k.metric, target, latest, met])
    columns = [
        Column(name, no_wrap=False) for name in ("Indicateur", "Cible", "Dernière mesure", "")
    ]
    return table(columns, rows, title="Indicateurs", title_justify="left")


def _staffing(card: Card) -> Table:
    rows = [
        [
            st.role,
            number(st.headcount),
            f"{day(st.starts_on)} → {day(st.ends_on)}",
            eur(st.daily_rate_cents),
            f"#{st.convention_id}" if st.convention_id else "—",
        ]
        for st in card.staffing
    ]
    columns = [
        Column(name, no_wrap=False) for name in ("Rôle", "Effectif", "Période", "TJM", "Convention")
    ]
    return table(columns, rows, title="Équipe", title_justify="left")


def render(card: Card, console: Console) -> None:
    console.print(_head(card))
    console.print(_conventions(card))
    console.print(_money(card))
    if card.deadlines:
        console.print(_deadlines(card))
    if card.kpis:
        console.print(_kpis(card))
    parts = [
        f"FAST {f.number or '?'}"
        + (f" — {visible(f.title)}" if f.title else "")
        + (f" : {eur(f.amount_cents)}" if f.amount_cents is not None else "")
        for f in card.fast
    ]
    if parts:
        console.print(Group(Text("FAST", style="bold"), *(Text(f"  {p}") for p in parts)))
    if card.staffing:
        console.print(_staffing(card))
