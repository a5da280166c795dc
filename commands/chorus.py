"""``startups import chorus FILE``: a Chorus INF-BUD-53 export as purchase orders."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

import i18n
from commands.context import writing
from commands.options import DbOption
from commands.render import jsonout
from commands.render.text import visible

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


def import_chorus(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("The export (.xlsx or .csv)."))],
    startup: Annotated[
        str | None,
        typer.Option(
            "--startup", metavar="SLUG", help=_("Every EJ of the file goes to this startup.")
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show what would be imported; store nothing."))
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the plan as JSON."))] = False,
    db: DbOption = None,
) -> None:
    """Import a Chorus INF-BUD-53 export: each EJ as a purchase order, with what was
    delivered and paid of it. Twice adds nothing; a newer export updates the amounts."""
    from store.importers.chorus.load import BadLines, apply_plan, plan_chorus
    from store.importers.chorus.read import read_chorus

    found = read_chorus(file, str(file))  # not an export: one line, exit 2, before the store
    try:
        with writing(db) as store, store.session() as session:
            plan = plan_chorus(session, found, startup=startup)
            if not dry_run:
                apply_plan(session, plan, source=f"chorus:{file.name}")
    except BadLines as exc:
        # One line per bad row of the export, then the summary: nothing was imported.
        for problem in exc.lines():
            sys.stderr.write(f"startups: error: {visible(problem)}\n")
        sys.stderr.write(f"startups: error: {visible(str(exc))}\n")
        raise typer.Exit(2) from None
    if as_json:
        jsonout.write(plan.to_dict() | {"dry_run": dry_run})
        return
    verb = _("would add") if dry_run else _("added")
    typer.echo(
        _("{file}: {lines} lines, {verb} {added}, updated {updated}, unchanged {same}").format(
            file=visible(file.name),
            lines=plan.lines,
            verb=verb,
            added=plan.count("add"),
            updated=plan.count("update"),
            same=plan.count("same"),
        )
    )
    for order in plan.orders:
        for name, (before, after) in order.changes.items():
            typer.echo(
                _("  EJ {ej}: {name} {before} → {after}").format(
                    ej=visible(order.ej), name=name, before=before, after=after
                )
            )
    if plan.unmatched:
        typer.echo(
            ngettext(
                "{count} EJ not placed (never guessed):",
                "{count} EJs not placed (never guessed):",
                len(plan.unmatched),
            ).format(count=len(plan.unmatched))
        )
        for u in plan.unmatched[:50]:
            lines = ", ".join(str(n) for n in u.lines[:5])
            typer.echo(
                _("  EJ {ej} (lines {lines}): {reason}").format(
                    ej=visible(u.ej), lines=lines, reason=visible(u.reason)
                )
            )
        if len(plan.unmatched) > 50:
            typer.echo(_("  … and {count} more").format(count=len(plan.unmatched) - 50))
    if plan.missing:
        typer.echo(
            _(
                "{count} orders of the store on these centres financiers are not in the export:"
            ).format(count=len(plan.missing))
        )
        for ej, slug in plan.missing[:50]:
            typer.echo(f"  EJ {visible(ej)} ({visible(slug)})")


def register_import(group: typer.Typer) -> None:
    group.command(
        "chorus",
        help=_(
            "Import a Chorus INF-BUD-53 export: each EJ as a purchase order, with what was "
            "delivered and paid of it. Twice adds nothing; a newer export updates the amounts."
        ),
    )(import_chorus)
