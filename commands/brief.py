"""``startups brief [SLUG] [--committee DATE]``: the one-page brief for the investment
committee, in Markdown or HTML."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

import i18n
from commands.context import reading, today
from commands.options import AsOfOption, DbOption, OutputOption, date_option
from commands.render import brief as render
from store.errors import BadInput
from store.fmt import day as shown
from store.queries.brief import Brief, build_brief
from store.queries.committee import committee_on

_ = i18n.Domain("cli").gettext


class BriefFormat(StrEnum):
    markdown = "markdown"
    html = "html"


def write_output(text: str, output: Path | None) -> None:
    """``text`` on stdout, or into ``output`` whole (a temporary file renamed: a failed
    write leaves nothing half-written)."""
    if output is None:
        sys.stdout.write(text)
        return
    folder = output.parent if str(output.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".tmp")
    except OSError as exc:
        raise BadInput(
            _("--output {path}: {reason}").format(path=output, reason=exc.strerror)
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_briefs(briefs: list[Brief], fmt: str) -> str:
    """The briefs as ``brief`` writes them in ``fmt`` (``markdown`` or ``html``).

    The app shows and exports the same text: ``run_app`` hands it this function (the app
    does not import the command line; the command line starts the app).
    """
    return render.markdown(briefs) if fmt == BriefFormat.markdown else render.html_page(briefs)


def brief(
    slug: Annotated[
        str | None,
        typer.Argument(
            metavar="[SLUG]", help=_("The startup (its slug); without it, --committee.")
        ),
    ] = None,
    committee: Annotated[
        dt.date | None,
        date_option("--committee", _("The committee it is for: alone, every startup it reviews.")),
    ] = None,
    fmt: Annotated[
        BriefFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = BriefFormat.markdown,
    output: OutputOption = None,
    db: DbOption = None,
    as_of: AsOfOption = None,
) -> None:
    """One page for the sponsor and the coach: phase, impact, money, request, alerts."""
    day = as_of or today()
    with reading(db) as reader:
        if slug is not None:
            slugs = [slug]
        elif committee is not None:
            slugs = [r.slug for r in committee_on(reader, committee).reviews]
            if not slugs:
                raise BadInput(
                    _("the committee of {day} reviews no startup").format(day=shown(committee))
                )
        else:
            raise BadInput(_("give a startup (SLUG) or a committee (--committee DATE)"))
        briefs = [build_brief(reader, s, day, committee) for s in slugs]
    write_output(render_briefs(briefs, fmt), output)


def register(app: typer.Typer) -> None:
    app.command(
        help=_("One page for the investment committee: phase, impact, money, request, alerts.")
    )(brief)
