"""Write-side operations shared by the command line, the importers, the demo and the app.

Everything here runs inside a caller's session (one transaction); nothing commits.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, select

import i18n
from store.derived import reattribute
from store.errors import BadInput, NotFound
from store.models import ConsumptionLine, Convention, Deadline, Startup
from store.rules.text import clean_text
from store.rules.vocab import LINE_KINDS, LineKind

_ = i18n.Domain("store").gettext


def startup_by_slug(session: Session, slug: str) -> Startup:
    startup = session.exec(select(Startup).where(Startup.slug == slug)).first()
    if startup is None:
        raise NotFound(_("no startup {slug} in the store").format(slug=repr(slug)))
    return startup


# --- consumption lines and deadlines, as the CLI and the app's forms write them ----------


def new_line(
    session: Session,
    startup: Startup,
    *,
    date: dt.date,
    amount_cents: int,
    label: str,
    kind: str = LineKind.PAYMENT.value,
    convention_id: int | None = None,
    source: str | None = None,
    dedup_key: str | None = None,
) -> ConsumptionLine:
    """A checked, unsaved consumption line of ``startup`` (the caller adds it and reattributes).

    Refused (``BadInput``): an amount that is not a positive number of cents, a kind
    other than engagement/payment, a convention that is not the startup's.
    """
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or amount_cents <= 0:
        raise BadInput(
            _("amount {value}: a consumption line needs a positive amount").format(
                value=repr(amount_cents)
            )
        )
    if kind not in LINE_KINDS:
        raise BadInput(_("kind {value}: expected engagement or payment").format(value=repr(kind)))
    if convention_id is not None:
        convention = session.get(Convention, convention_id)
        if convention is None:
            raise NotFound(_("no convention {id} in the store").format(id=convention_id))
        if convention.startup_id != startup.id:
            owner = session.get(Startup, convention.startup_id)
            raise BadInput(
                _("convention {id} belongs to {owner}, not to {slug}").format(
                    id=convention_id, owner=owner.slug if owner else "?", slug=startup.slug
                )
            )
    return ConsumptionLine(
        startup_id=startup.id,
        convention_id=convention_id,
        date=date,
        amount_cents=amount_cents,
        kind=kind,
        label=clean_text(label),
        source=source,
        dedup_key=dedup_key,
    )


def add_expense(
    session: Session,
    slug: str,
    *,
    date: dt.date,
    amount_cents: int,
    label: str,
    kind: str = LineKind.PAYMENT.value,
    convention_id: int | None = None,
    source: str = "manual",
) -> ConsumptionLine:
    """Record one consumption line for the startup ``slug`` and re-attribute its lines.

    Returns the stored line, whose ``counted_convention_id`` says which convention it
    counts against (``None``: unattributed).
    """
    startup = startup_by_slug(session, slug)
    if not label.strip():
        raise BadInput(_("label: a consumption line needs a label"))
    line = new_line(
        session,
        startup,
        date=date,
        amount_cents=amount_cents,
        label=label,
        kind=kind,
        convention_id=convention_id,
        source=source,
    )
    session.add(line)
    reattribute(session, startup.id)
    session.refresh(line)
    return line


DERIVED_REF = re.compile(r"convention-(\d+)-(end|renewal)")


def mark_deadline_done(session: Session, ref: str, on: dt.date) -> tuple[Deadline, bool]:
    """Mark the explicit deadline ``ref`` (``12`` or ``deadline-12``) done on ``on``.

    Returns the deadline and whether it changed (``False``: it was already done, and
    keeps its first date).  A derived deadline (``convention-3-end``,
    ``convention-3-renewal``) cannot be marked done: it goes away when the convention
    is renewed or its end moves.
    """
    text = ref.strip()
    if derived := DERIVED_REF.fullmatch(text):
        message = (
            _(
                "{ref} is derived from convention {id}'s end: it cannot be marked done "
                "(record an amendment or a new convention instead)"
            )
            if derived[2] == "end"
            else _(
                "{ref} is derived from convention {id}'s renewal reminder: it cannot be "
                "marked done (record an amendment or a new convention instead)"
            )
        )
        raise BadInput(message.format(ref=text, id=derived[1]))
    if re.fullmatch(r"event-\d+", text):
        raise BadInput(
            _("{ref} is a committee from beta.gouv.fr: an event, not a task to mark done").format(
                ref=text
            )
        )
    match = re.fullmatch(r"(?:deadline-)?(\d+)", text)
    if match is None:
        raise BadInput(
            _("{ref} is not a deadline id (a number, as `startups deadlines` lists)").format(
                ref=repr(text)
            )
        )
    deadline = session.get(Deadline, int(match[1]))
    if deadline is None:
        raise NotFound(_("no deadline {id} in the store").format(id=match[1]))
    if deadline.done:
        return deadline, False
    deadline.done = True
    deadline.done_on = on
    session.add(deadline)
    session.flush()
    return deadline, True
