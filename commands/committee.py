"""``startups committee add|decide|list``: the investment committees."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

import i18n
from commands.context import reading, writing
from commands.options import DbOption, parse_date
from commands.render.text import visible
from store.errors import BadInput
from store.fmt import day as fmt_day
from store.fmt import eur
from store.ops.committee import add_committee, decide
from store.queries.committee import committees
from store.rules.amounts import parse_amount_cents
from store.rules.committee import DECISIONS
from store.rules.vocab import decision_label

_ = i18n.Domain("cli").gettext

DateArgument = Annotated[
    dt.date,
    typer.Argument(
        metavar="DATE", parser=parse_date, help=_("The committee's day, YYYY-MM-DD or dd/mm/yyyy.")
    ),
]


def _cents(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_amount_cents(value)
    except ValueError as exc:
        raise BadInput(f"{option} {value!r} {exc}") from None


def add(
    date: DateArgument,
    startup: Annotated[
        list[str] | None,
        typer.Option("--startup", metavar="SLUG", help=_("A startup it reviews (repeatable).")),
    ] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", metavar="TEXT", help=_("The committee's own note."))
    ] = None,
    db: DbOption = None,
) -> None:
    """Schedule a committee (or add startups to the one on that day)."""
    with writing(db) as store, store.session() as session:
        committee, added = add_committee(session, date, startup or [], comment=comment)
        day = committee.date
    typer.echo(
        i18n.Domain("cli")
        .ngettext(
            "committee of {day}: {n} startup added",
            "committee of {day}: {n} startups added",
            added,
        )
        .format(day=fmt_day(day), n=added)
    )


def decide_command(
    date: DateArgument,
    slug: Annotated[str, typer.Argument(metavar="SLUG", help=_("The startup (its slug)."))],
    decision: Annotated[
        str,
        typer.Option(
            "--decision", metavar="|".join(DECISIONS), help=_("What the sponsor decided.")
        ),
    ],
    granted: Annotated[
        str | None, typer.Option("--granted", metavar="EUR", help=_("The envelope granted."))
    ] = None,
    requested: Annotated[
        str | None,
        typer.Option("--requested", metavar="EUR", help=_("The envelope the team asked for.")),
    ] = None,
    team: Annotated[
        str | None, typer.Option("--team", metavar="TEXT", help=_("The team asked for."))
    ] = None,
    months: Annotated[
        int | None,
        typer.Option("--months", metavar="N", help=_("Months of provisional funding (1 or 2).")),
    ] = None,
    convention: Annotated[
        int | None,
        typer.Option(
            "--convention",
            metavar="ID",
            help=_("The convention or avenant that carries the decision."),
            min=1,
            max=2**63 - 1,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Record a committee's decision for one startup."""
    granted_cents = _cents("--granted", granted)
    requested_cents = _cents("--requested", requested)
    with writing(db) as store, store.session() as session:
        review = decide(
            session,
            date,
            slug,
            decision=decision,
            granted_cents=granted_cents,
            months=months,
            convention_id=convention,
            requested_cents=requested_cents,
            team=team,
        )
        text = decision_label(review.decision, review.provisional_months)
        granted_cents = review.granted_cents
    line = _("{slug}, committee of {day}: {decision}").format(
        slug=visible(slug), day=fmt_day(date), decision=text
    )
    if granted_cents is not None:
        line += ", " + _("{amount} granted").format(amount=eur(granted_cents))
    typer.echo(line)


def list_command(db: DbOption = None) -> None:
    """Every committee, oldest first, with the startups it reviews and the decisions."""
    with reading(db) as reader:
        views = committees(reader)
    if not views:
        typer.echo(_("no committee in the store"))
        return
    for view in views:
        head = fmt_day(view.date)
        if view.comment:
            head += " — " + visible(view.comment)
        typer.echo(head)
        for r in view.reviews:
            line = "  " + visible(r.slug) + ": " + decision_label(r.decision, r.provisional_months)
            if r.granted_cents is not None:
                line += ", " + _("{amount} granted").format(amount=eur(r.granted_cents))
            if r.convention_id is not None:
                line += ", " + _("convention {id}").format(id=r.convention_id)
            if r.comment:
                line += " — " + visible(r.comment)
            typer.echo(line)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=_("The investment committees."), no_args_is_help=True)
    group.command("add", help=_("Schedule a committee (or add startups to the one on that day)."))(
        add
    )
    group.command("decide", help=_("Record a committee's decision for one startup."))(
        decide_command
    )
    group.command("list", help=_("Every committee, oldest first, with the startups it reviews."))(
        list_command
    )
    app.add_typer(group, name="committee")
