"""The option types every command shares: the store, dates, the formats.

One date type for every date option (``--as-of``, ``--on``, ``--date``): ISO
``2018-09-15`` or French ``15/09/2018``, years 1900–2199 (``store.rules.dates``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

import i18n
from commands.context import root
from store.rules.dates import parse_day
from store.rules.text import visible

_ = i18n.Domain("cli").gettext


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """A typed date, or a usage error naming it (exit status 2)."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return parse_day(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} {exc}") from None


def _inherit_db(ctx: typer.Context, value: str | None) -> str | None:
    """A command's --db, else the root's (``startups --db PATH COMMAND``)."""
    return value if value is not None else root(ctx).db


def _inherit_as_of(ctx: typer.Context, value: dt.date | None) -> dt.date | None:
    return value if value is not None else root(ctx).as_of


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help=_(
            "Store: a SQLite file or a SQLAlchemy URL (default: $STARTUPS_DB, "
            "else startups.db in the user data directory)."
        ),
        show_default=False,
        callback=_inherit_db,
    ),
]
AsOfOption = Annotated[
    dt.date | None,
    typer.Option(
        "--as-of",
        parser=parse_date,
        metavar="DATE",
        help=_("View the portfolio as of this date, dd/mm/yyyy or YYYY-MM-DD (default: today)."),
        show_default=False,
        callback=_inherit_as_of,
    ),
]


# Where a page is written (``brief``, ``publish``): a file, whole, or stdout.
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help=_("Write it to FILE (default: stdout).")),
]


def date_option(name: str, help_text: str) -> typer.models.OptionInfo:
    """A date option of a command's own (``--on``, ``--date``), read as ``--as-of`` is."""
    return typer.Option(name, parser=parse_date, metavar="DATE", help=help_text, show_default=False)


ReadOnlyOption = Annotated[
    bool,
    typer.Option(
        "--read-only",
        help=_("Open the app to look only: every form and write action is disabled."),
    ),
]


class JsonFormat(StrEnum):
    json = "json"


def _listing(values: list[str]) -> str:
    return ", ".join(values) if values else "—"


def known_choice(option: str, value: str | None, valid: list[str]) -> str | None:
    """``value`` if it is one of ``valid`` (folded: case and accents aside), else a usage
    error that lists the valid ones (exit status 2)."""
    if value is None:
        return None
    from store.errors import BadInput
    from store.rules.text import fold_compact

    wanted = fold_compact(value)
    for candidate in valid:
        if fold_compact(candidate) == wanted:
            return candidate
    raise BadInput(
        _("{option}: {value} is not one of: {valid}").format(
            option=option, value=repr(visible(value)), valid=_listing(valid)
        )
    )


def known_phase(value: str | None, known: list[str]) -> str | None:
    """A phase typed as its code or as its label (``accélération``), or a usage error
    listing the phases."""
    if value is None:
        return None
    from store.rules.text import fold_compact
    from store.rules.vocab import PHASE_LABELS

    codes = list(dict.fromkeys([*PHASE_LABELS, *known]))
    wanted = fold_compact(value)
    for code in codes:
        if wanted in (fold_compact(code), fold_compact(PHASE_LABELS.get(code, code))):
            return code
    return known_choice("--phase", value, codes)


def nearest_slugs(slug: str, startups: list[tuple[str, str]], n: int = 3) -> list[str]:
    """The slugs nearest to a mistyped one, on the slug and the title folded (``aidants
    connect`` → ``aidantsconnect``)."""
    import difflib

    from store.rules.text import fold_compact

    wanted = fold_compact(slug)
    keys: dict[str, str] = {}
    for s, title in startups:
        keys.setdefault(fold_compact(s), s)
        if title:
            keys.setdefault(fold_compact(title), s)
    found = [keys[wanted]] if wanted in keys else []
    for key in difflib.get_close_matches(wanted, list(keys), n=n * 2, cutoff=0.6):
        found.append(keys[key])
    return list(dict.fromkeys(found))[:n]


def check_startup(reader, slug: str | None) -> None:
    """Nothing if the store has the startup ``slug``; else a NotFound error naming the
    nearest slugs (exit status 2)."""
    if slug is None:
        return
    from store.errors import NotFound
    from store.queries.names import startups

    known = startups(reader)
    if any(s == slug for s, _title in known):
        return
    near = nearest_slugs(slug, known)
    if near:
        raise NotFound(
            _("no startup {slug} in the store; did you mean {slugs}?").format(
                slug=repr(visible(slug)), slugs=", ".join(near)
            )
        )
    raise NotFound(_("no startup {slug} in the store").format(slug=repr(visible(slug))))
