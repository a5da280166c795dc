"""``startups import``: beta.gouv.fr, a convention or avenant, an expense export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

import i18n
from commands import chorus, expenses
from commands.context import stdin_is_tty, writing, writing_if_there
from commands.options import DbOption
from commands.render import jsonout
from commands.render.console import console
from commands.render.evidence import preview
from commands.render.text import visible
from store.errors import BadInput
from store.location import resolve
from store.schema import SchemaState, sqlite_state

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


def betagouv(
    directory: Annotated[
        str,
        typer.Argument(
            metavar="DIR",
            help=_("A beta.gouv.fr checkout, or its content/ folder."),
            show_default=False,
        ),
    ],
    db: DbOption = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help=_("Any unreadable file: import nothing (exit status 2).")),
    ] = False,
) -> None:
    from store.importers.betagouv.read import content_dir, load_snapshot, snapshot_files
    from store.importers.betagouv.write import write_snapshot

    content = content_dir(Path(directory))  # not a checkout: one line, exit 2
    # Read everything first: with --strict and an unreadable file, the store is not even
    # opened (nothing is written, not even a new empty store).
    if sys.stderr.isatty():
        from rich.progress import Progress

        total = sum(len(v) for v in snapshot_files(content).values())
        with Progress(console=console(stderr=True), transient=True) as bar:
            task = bar.add_task("beta.gouv.fr", total=total)
            snap = load_snapshot(
                content, progress=lambda done, _total: bar.update(task, completed=done)
            )
    else:
        snap = load_snapshot(content)
    for bad in snap.bad:
        sys.stderr.write(_("startups: {message}").format(message=visible(bad)) + "\n")
    for warning in snap.warnings:
        sys.stderr.write(_("startups: warning: {message}").format(message=visible(warning)) + "\n")
    if strict and (snap.bad or snap.warnings):
        raise BadInput(
            _(
                "{files} unreadable file(s) and {fields} defective field(s) in {folder}; "
                "nothing imported (--strict)"
            ).format(files=len(snap.bad), fields=len(snap.warnings), folder=content)
        )
    with writing(db, create=True) as store:
        result = write_snapshot(store, snap)
        where = store.location.display()
    unmatched: dict[int, list[str]] = {}
    for number, name in result.unmatched_laureates:
        unmatched.setdefault(number, []).append(name)
    for number, names in sorted(unmatched.items()):
        typer.echo(
            _("FAST {number}: kept by name, no startup matches: {names}").format(
                number=number, names=visible("; ".join(names))
            ),
            err=True,
        )
    typer.echo(_("{summary} in {store}").format(summary=result.summary(), store=where))
    if result.skipped:
        raise typer.Exit(code=1)


def _dry_plan(db: str | None, extraction: dict, startup: str | None):
    """The plan against an existing, current store; ``None`` without one (nothing is written)."""
    from store.importers.convention.plan import plan_import

    location = resolve(db)
    if location.path is not None:
        state, _ = sqlite_state(location.path)
        if state is not SchemaState.CURRENT:
            return None
    with writing_if_there(db) as store:
        if store is None:
            return None
        with store.session() as session:
            return plan_import(session, extraction, startup)


def _choose_parent(plan) -> None:
    typer.echo(_("Which convention does this avenant amend?"), err=True)
    for i, candidate in enumerate(plan.parent_candidates, start=1):
        typer.echo(f"  {i}. {visible(candidate.label())}", err=True)
    count = len(plan.parent_candidates)
    while True:
        choice = typer.prompt(_("Number (1-{count})").format(count=count), type=int, err=True)
        if 1 <= choice <= count:
            break
        typer.echo(
            "  " + _("{choice} is not between 1 and {count}").format(choice=choice, count=count),
            err=True,
        )
    plan.choose_parent(plan.parent_candidates[choice - 1].id)


def convention(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="DIR_OR_FILES...",
            help=_("The convention or avenant (.txt or .pdf, scans OCR'd), several, or a folder."),
            show_default=False,
        ),
    ],
    startup: Annotated[
        str | None,
        typer.Option(
            "--startup",
            metavar="SLUG",
            help=_("The startup it belongs to (default: the one matching the service it names)."),
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show what would be stored; store nothing."))
    ] = False,
    json_out: Annotated[
        bool,
        typer.Option("--json", help=_("Print the extraction as JSON (startups.convention/1).")),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Store without asking."))] = False,
    db: DbOption = None,
) -> None:
    if len(files) != 1 or files[0].is_dir():
        _batch(files, startup, dry_run, json_out, yes, db)
        return
    (file,) = files
    from store.importers.convention.plan import apply_import, load_extraction, plan_import

    extraction = load_extraction(file)
    if json_out:
        jsonout.write(extraction, pretty=True)
    if dry_run:
        plan = _dry_plan(db, extraction, startup)
        if not json_out and not (plan and plan.already_imported):
            preview(extraction, console())
        for line in plan.summary() if plan else []:
            typer.echo(visible(line), err=json_out)
        typer.echo(_("dry run: nothing stored"), err=True)
        return

    # A new store is created only for an explicit --startup: a bare import that can only
    # fail ("no startup matches") must not leave an empty store behind.
    with writing(db, create=startup is not None) as store:
        with store.session() as session:
            plan = plan_import(session, extraction, startup)
        if plan.already_imported is not None:
            typer.echo(visible(plan.summary()[0]), err=True)
            return
        if plan.problems:
            raise BadInput(f"{file}: {plan.problems[0]}")
        if not json_out:
            preview(extraction, console())
        for line in plan.summary():  # the preview's second half (stderr under --json)
            typer.echo(visible(line), err=json_out)
        if plan.nothing_to_do:
            return
        if not yes and not stdin_is_tty():
            raise BadInput(
                _(
                    "{file}: no terminal to confirm on; re-run with --yes to store it "
                    "(or --dry-run to only look)"
                ).format(file=file)
            )
        if plan.needs_parent_choice:
            if yes:
                raise BadInput(
                    _(
                        "{file}: ambiguous parent, nothing stored: {question}; "
                        "re-run without --yes to choose"
                    ).format(file=file, question=plan.parent_question)
                )
            _choose_parent(plan)
        if not yes and not typer.confirm(_("Store it?"), default=False, err=True):
            typer.echo(_("nothing stored"), err=True)
            raise typer.Exit(1)
        with store.session() as session:
            result = apply_import(session, plan)
        typer.echo(visible(result.summary()), err=True)


# --- several files at a time ------------------------------------------------------------------


def _read_batch(paths: list[Path]):
    from store.importers.convention.batch import files_of, read_all

    files = files_of(paths)
    if not files:
        raise BadInput(
            _("{paths}: no file to import").format(paths=", ".join(str(p) for p in paths))
        )
    if not sys.stderr.isatty():
        return read_all(files)
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(_("reading (OCR of the scans)"), total=len(files))
        return read_all(files, progress=lambda done, _total: bar.update(task, completed=done))


def _batch_table(items) -> None:
    from commands.render.table import Column, table
    from commands.render.text import text

    columns = [
        Column(header, no_wrap=False, overflow="fold")
        for header in (_("File"), _("Act"), _("Startup"), _("Amends"), _("Effect"))
    ]
    rows = []
    for item in items:
        row = item.row()
        effect = text(row.effect, "bold red" if row.refused else None)
        rows.append([row.file, row.kind, row.startup, row.parent, effect])
    console().print(table(columns, rows, title=_("Import plan")))


def _batch_status(items) -> int:
    """2 when a file was refused as bad input, 1 when storing one failed, else 0."""
    codes = [i.error_code for i in items if i.error is not None]
    codes += [2 for i in items if i.error is None and i.reason is not None]
    codes += [i.failure_code for i in items if i.failure is not None]
    return max(codes, default=0)


def _choose_batch_parent(item) -> None:
    typer.echo(
        _("{file}: which convention does this avenant amend?").format(file=visible(item.name)),
        err=True,
    )
    for i, candidate in enumerate(item.plan.parent_candidates, start=1):
        typer.echo(f"  {i}. {visible(candidate.label())}", err=True)
    count = len(item.plan.parent_candidates)
    while True:
        choice = typer.prompt(_("Number (1-{count})").format(count=count), type=int, err=True)
        if 1 <= choice <= count:
            break
        typer.echo(
            "  " + _("{choice} is not between 1 and {count}").format(choice=choice, count=count),
            err=True,
        )
    item.parent_choice = item.plan.parent_candidates[choice - 1].id


def _batch(
    paths: list[Path],
    startup: str | None,
    dry_run: bool,
    json_out: bool,
    yes: bool,
    db: str | None,
) -> None:
    from store.importers.convention.batch import apply_item, plan_all

    items = _read_batch(paths)
    if json_out:
        jsonout.write([i.extraction for i in items if i.extraction is not None], pretty=True)
    if dry_run:
        planned = False
        location = resolve(db)
        current = location.path is None or sqlite_state(location.path)[0] is SchemaState.CURRENT
        if current:
            with writing_if_there(db) as store:
                if store is not None:
                    with store.session() as session:
                        plan_all(session, items, startup)
                    planned = True
        if not json_out:
            _batch_table(items)
        for item in items:
            reason = item.reason if planned or item.error else None
            if reason:
                typer.echo(_("startups: {message}").format(message=visible(reason)), err=True)
            for warning in item.plan.warnings if item.plan else []:
                typer.echo(
                    _("{file}: warning: {message}").format(
                        file=visible(item.name), message=visible(warning)
                    ),
                    err=True,
                )
        typer.echo(_("dry run: nothing stored"), err=True)
        code = _batch_status(items)
        if code:
            raise typer.Exit(code)
        return

    with writing(db, create=startup is not None) as store:
        with store.session() as session:
            plan_all(session, items, startup)
        if not json_out:
            _batch_table(items)
        for item in items:
            for warning in item.plan.warnings if item.plan else []:
                typer.echo(
                    _("{file}: warning: {message}").format(
                        file=visible(item.name), message=visible(warning)
                    ),
                    err=True,
                )
        asking = [i for i in items if i.plan and not i.plan.problems and i.plan.needs_parent_choice]
        todo = [i for i in items if i.importable or i in asking]
        if todo and not yes and not stdin_is_tty():
            raise BadInput(
                ngettext(
                    "{count} file to store and no terminal to confirm on; re-run with --yes "
                    "(or --dry-run to only look)",
                    "{count} files to store and no terminal to confirm on; re-run with --yes "
                    "(or --dry-run to only look)",
                    len(todo),
                ).format(count=len(todo))
            )
        if not yes:
            for item in asking:
                _choose_batch_parent(item)
        todo = [i for i in todo if i.importable]
        for item in items:
            if item.reason is not None:
                typer.echo(_("startups: {message}").format(message=visible(item.reason)), err=True)
        if not todo:
            typer.echo(_("nothing to store"), err=True)
        elif yes or typer.confirm(
            ngettext("Store {count} file?", "Store {count} files?", len(todo)).format(
                count=len(todo)
            ),
            default=False,
            err=True,
        ):
            for item in todo:
                result = apply_item(store, item, startup)
                if result is not None:
                    typer.echo(f"{visible(item.name)}: {visible(result.summary())}", err=True)
                else:
                    typer.echo(
                        _("startups: {message}").format(message=visible(item.failure)), err=True
                    )
        else:
            typer.echo(_("nothing stored"), err=True)
            raise typer.Exit(1)
    code = _batch_status(items)
    if code:
        raise typer.Exit(code)


def _quiet_libraries() -> None:
    """pypdf and the OCR tools log what they skip ("EOF marker not found"): such a line
    would come before ours on stderr, where one line is the contract."""
    import logging
    import os

    if not os.environ.get("STARTUPS_DEBUG"):
        logging.disable(logging.CRITICAL)


def register(app: typer.Typer) -> None:
    _quiet_libraries()
    group = typer.Typer(
        help=_("Import data from real sources (beta.gouv.fr, conventions, expense exports)."),
        no_args_is_help=True,
    )
    group.command(
        "betagouv",
        help=_("Import beta.gouv.fr's startups, phases, sponsors, incubators and FAST promotions.")
        + "\n\n"
        + _(
            "Importing again updates in place: local data (conventions, spending, deadlines, "
            "notes) is never touched, and a startup gone upstream is marked, not deleted. "
            "Unreadable files are named on stderr and skipped (exit status 1); a defective "
            "field (a broken event, a bad date, control characters) is named and left out, "
            "and the rest of its file is imported (exit status 0). --strict refuses either."
        ),
    )(betagouv)
    group.command(
        "convention",
        help=_(
            "Read a convention or avenant (text or PDF), show each fact with its evidence, "
            "store it."
        )
        + "\n\n"
        + _(
            "Several files or a folder: every file is read and planned first, one table shows "
            "what each would create or complete and what could not be read, then each file "
            "the coach confirms is stored in its own transaction."
        ),
    )(convention)
    expenses.register_import(group)
    chorus.register_import(group)
    app.add_typer(group, name="import")
