"""The editing API behind the app's forms: validate, then save in one transaction.

Each ``save_*`` takes a plain input record whose fields may be what a person typed
(strings: ``"2018-12-05"``, ``"200 000,00 €"``) or typed values, checks everything
before writing anything, and raises :class:`store.errors.InvalidField` naming the
field at fault, so that a form shows the message next to it.  A save is one
``Store.session()``: either all of it is written or nothing.  Changing a
startup's conventions or lines re-attributes its lines (``store.derived.reattribute``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlmodel import delete, select

import i18n
from store import fmt
from store.derived import reattribute
from store.errors import InvalidField, NotFound
from store.models import (
    ConsumptionLine,
    Convention,
    ConventionParty,
    Deadline,
    Measurement,
    Objective,
    ScheduleLine,
    Startup,
)
from store.ops.ledger import startup_by_slug
from store.rules.amounts import read_amount_cents
from store.rules.dates import parse_day
from store.rules.text import clean_text
from store.rules.vocab import (
    CONVENTION_KINDS,
    DEADLINE_KINDS,
    IMPUTATION_KEYS,
    LINE_KINDS,
    PARTY_ROLES,
)

if TYPE_CHECKING:
    from store.db import Store

_ = i18n.Domain("store").gettext


# --- parsing what a person typed -----------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(name: str, value: Any, *, required: bool = False) -> dt.date | None:
    """``"2018-12-05"`` or ``"05/12/2018"`` → a date (``store.rules.dates.parse_day``);
    a blank is ``None`` (or an error when required)."""
    if isinstance(value, dt.date):
        return value
    if _blank(value):
        if required:
            raise InvalidField(name, _("a date is required (dd/mm/yyyy or yyyy-mm-dd)"))
        return None
    text = str(value).strip()
    try:
        return parse_day(text)
    except ValueError as exc:
        raise InvalidField(name, f"{text!r} {exc}") from None  # exc: the reason, translated


def parse_cents(
    name: str, value: Any, *, required: bool = False, positive: bool = False
) -> int | None:
    """Euros as typed (``"269 700"``, ``"50000,50 €"``) → integer cents; never negative."""
    if isinstance(value, int) and not isinstance(value, bool):
        cents = value * 100
    elif isinstance(value, (float, Decimal)):
        cents = _cents(name, Decimal(str(value)))
    elif _blank(value):
        if required:
            raise InvalidField(name, _("an amount is required"))
        return None
    else:
        try:
            cents = read_amount_cents(str(value))
        except ValueError as exc:
            raise InvalidField(
                name,
                _("{value} {reason} in euros").format(value=repr(str(value).strip()), reason=exc),
            ) from None
    if cents < 0:
        raise InvalidField(name, _("an amount cannot be negative"))
    if positive and cents == 0:
        raise InvalidField(name, _("the amount must be more than 0"))
    return cents


def _cents(name: str, amount: Decimal) -> int:
    if not amount.is_finite():
        raise InvalidField(name, _("not an amount"))
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise InvalidField(name, _("at most two decimals (cents)"))
    return int(cents)


def parse_number(name: str, value: Any, *, required: bool = False) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if _blank(value):
        if required:
            raise InvalidField(name, _("a value is required"))
        return None
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise InvalidField(
            name, _("{value} is not a number").format(value=repr(str(value).strip()))
        ) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidField(name, _("not a number"))
    return number


def parse_schedule(name: str, value: Any) -> list[tuple[int, int | None, int | None]]:
    """An AE/CP échéancier: ``"2020: 50000/50000; 2021: 10000/8000"`` (AE/CP in euros).

    Also takes a list of (year, ae, cp).  A year may appear once.
    """
    if _blank(value):
        return []
    if isinstance(value, str):
        entries = []
        for part in re.split(r"[;\n]", value):
            if not part.strip():
                continue
            m = re.fullmatch(r"\s*(\d{4})\s*:\s*([^/]*?)\s*(?:/\s*(.*?))?\s*", part)
            if m is None:
                raise InvalidField(
                    name,
                    _("{part}: expected YEAR: AE/CP (e.g. 2020: 50000/50000)").format(
                        part=repr(part.strip())
                    ),
                )
            entries.append((m.group(1), m.group(2), m.group(3)))
    else:
        entries = list(value)
    result: list[tuple[int, int | None, int | None]] = []
    for year, ae, cp in entries:
        y = int(year)
        if not 1990 <= y <= 2100:
            raise InvalidField(name, _("{year} is not a plausible year").format(year=y))
        if any(r[0] == y for r in result):
            raise InvalidField(name, _("{year} appears twice").format(year=y))
        result.append((y, parse_cents(name, ae), parse_cents(name, cp)))
    return sorted(result)


def format_schedule(rows: list[tuple[int, int | None, int | None]]) -> str:
    """The text form of a schedule that :func:`parse_schedule` reads back."""

    def euros(cents: int | None) -> str:
        if cents is None:
            return ""
        return f"{cents // 100}" if cents % 100 == 0 else f"{cents / 100:.2f}"

    return "; ".join(f"{y}: {euros(ae)}/{euros(cp)}" for y, ae, cp in rows)


def _text(value: Any, *, multiline: bool = False) -> str | None:
    """What a person typed, as stored: no control character (a single-line field's line
    breaks become spaces), ``None`` when blank."""
    if _blank(value):
        return None
    return clean_text(str(value), multiline=multiline) or None


def _choice(name: str, value: Any, choices: tuple[str, ...], default: str) -> str:
    text = _text(value) or default
    if text not in choices:
        raise InvalidField(
            name,
            _("{value} is not one of {choices}").format(
                value=repr(text), choices=", ".join(choices)
            ),
        )
    return text


def parse_id(name: str, value: Any) -> int | None:
    if _blank(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidField(name, _("{value} is not an id").format(value=repr(value))) from None


# --- conventions and avenants ---------------------------------------------------------------


@dataclass
class PartyInput:
    name: Any = None
    role: Any = None
    representative: Any = None
    signed_on: Any = None
    short_name: Any = None
    representative_title: Any = None

    def is_blank(self) -> bool:
        """Nothing typed but (perhaps) the role a form preselects: no party."""
        return all(_blank(v) for k, v in vars(self).items() if k != "role")


@dataclass
class ConventionInput:
    """A convention or an avenant as a form gives it; ``id`` None creates one."""

    startup: str  # slug
    kind: Any = "convention"
    title: Any = None
    parent_id: Any = None
    number: Any = None
    object: Any = None
    signed_on: Any = None
    starts_on: Any = None
    ends_on: Any = None
    ceiling: Any = None  # euros as typed, or cents as an int via ceiling_cents
    ceiling_cents: int | None = None
    parties: list[PartyInput] = field(default_factory=list)
    schedule: Any = None
    imputation: dict[str, Any] = field(default_factory=dict)
    source_file: Any = None
    notes: Any = None
    id: int | None = None


@dataclass(frozen=True)
class _ConventionValues:
    kind: str
    title: str | None
    parent_id: int | None
    number: int | None
    object: str | None
    signed_on: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    ceiling_cents: int | None
    parties: list[dict[str, Any]]
    schedule: list[tuple[int, int | None, int | None]]
    imputation: dict[str, str | None]
    source_file: str | None
    notes: str | None


def _check_convention(data: ConventionInput) -> _ConventionValues:
    kind = _choice("kind", data.kind, CONVENTION_KINDS, "convention")
    parent_id = parse_id("parent_id", data.parent_id)
    if kind == "avenant" and parent_id is None:
        raise InvalidField("parent_id", _("an amendment needs the convention it amends"))
    if kind == "convention":
        parent_id = None
    number = None
    if not _blank(data.number):
        try:
            number = int(str(data.number).strip())
        except ValueError:
            raise InvalidField(
                "number", _("{value} is not a number").format(value=repr(data.number))
            ) from None
        if number < 1:
            raise InvalidField("number", _("an amendment number starts at 1"))
    signed_on = parse_date("signed_on", data.signed_on)
    starts_on = parse_date("starts_on", data.starts_on)
    ends_on = parse_date("ends_on", data.ends_on)
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidField(
            "ends_on",
            _("the end ({end}) is before the start ({start})").format(
                end=fmt.day(ends_on), start=fmt.day(starts_on)
            ),
        )
    if signed_on and ends_on and ends_on < signed_on and starts_on is None:
        raise InvalidField(
            "ends_on",
            _("the end ({end}) is before the signature ({signed})").format(
                end=fmt.day(ends_on), signed=fmt.day(signed_on)
            ),
        )
    ceiling = (
        data.ceiling_cents
        if data.ceiling_cents is not None
        else parse_cents("ceiling", data.ceiling)
    )
    if ceiling is not None and ceiling < 0:
        raise InvalidField("ceiling", _("an amount cannot be negative"))
    parties = []
    for i, party in enumerate(data.parties):
        if party.is_blank():
            continue
        name = _text(party.name)
        if name is None:
            raise InvalidField(f"parties.{i}.name", _("a party needs a name"))
        parties.append(
            {
                "name": name,
                "short_name": _text(party.short_name),
                "role": _choice(f"parties.{i}.role", party.role, PARTY_ROLES, "other"),
                "representative": _text(party.representative),
                "representative_title": _text(party.representative_title),
                "signed_on": parse_date(f"parties.{i}.signed_on", party.signed_on),
            }
        )
    schedule = parse_schedule("schedule", data.schedule)
    unknown = set(data.imputation) - set(IMPUTATION_KEYS)
    if unknown:
        raise InvalidField(sorted(unknown)[0], _("not an imputation code"))
    imputation = {k: _text(data.imputation.get(k)) for k in IMPUTATION_KEYS}
    return _ConventionValues(
        kind=kind,
        title=_text(data.title),
        parent_id=parent_id,
        number=number,
        object=_text(data.object, multiline=True),
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        ceiling_cents=ceiling,
        parties=parties,
        schedule=schedule,
        imputation=imputation,
        source_file=_text(data.source_file),
        notes=_text(data.notes, multiline=True),
    )


def save_convention(store: Store, data: ConventionInput) -> int:
    """Create or update a convention or avenant with its parties and schedule; its id."""

    values = _check_convention(data)
    with store.session() as session:
        startup = startup_by_slug(session, data.startup)
        if data.id is not None:
            convention = session.get(Convention, data.id)
            if convention is None or convention.startup_id != startup.id:
                raise NotFound(
                    _("no convention {id} for {slug}").format(id=data.id, slug=data.startup)
                )
        else:
            convention = Convention(startup_id=startup.id, source="manual")
        if values.parent_id is not None:
            parent = session.get(Convention, values.parent_id)
            if parent is None or parent.startup_id != startup.id:
                raise InvalidField(
                    "parent_id",
                    _("no convention {id} for this startup").format(id=values.parent_id),
                )
            ancestor: Convention | None = parent
            while ancestor is not None:
                if data.id is not None and ancestor.id == data.id:
                    raise InvalidField("parent_id", _("an amendment cannot amend itself"))
                ancestor = (
                    session.get(Convention, ancestor.parent_id) if ancestor.parent_id else None
                )
        if (
            data.id is not None
            and values.kind == "avenant"
            and session.exec(select(Convention.id).where(Convention.parent_id == data.id)).first()
        ):
            raise InvalidField("kind", _("this convention has amendments: it cannot become one"))
        convention.kind = values.kind
        convention.title = values.title
        convention.parent_id = values.parent_id
        convention.number = values.number
        convention.object = values.object
        convention.signed_on = values.signed_on
        convention.starts_on = values.starts_on
        if values.starts_on is not None and convention.starts_on_precision is None:
            convention.starts_on_precision = "day"
        if convention.ends_on != values.ends_on:
            convention.ends_on_precision = "day" if values.ends_on else None
        convention.ends_on = values.ends_on
        convention.ceiling_cents = values.ceiling_cents
        for key, value in values.imputation.items():
            setattr(convention, key, value)
        if values.source_file is not None or data.id is None:
            convention.source_file = values.source_file
        convention.notes = values.notes
        session.add(convention)
        session.flush()
        session.exec(delete(ConventionParty).where(ConventionParty.convention_id == convention.id))
        for position, party in enumerate(values.parties):
            session.add(ConventionParty(convention_id=convention.id, position=position, **party))
        session.exec(delete(ScheduleLine).where(ScheduleLine.convention_id == convention.id))
        for year, ae, cp in values.schedule:
            session.add(
                ScheduleLine(convention_id=convention.id, year=year, ae_cents=ae, cp_cents=cp)
            )
        reattribute(session, startup.id)
        return convention.id


def convention_input(store: Store, convention_id: int) -> ConventionInput:
    """An existing convention as an input record (for an edit form to start from)."""

    with store.session() as session:
        c = session.get(Convention, convention_id)
        if c is None:
            raise NotFound(_("no convention {id}").format(id=convention_id))
        startup = session.get(Startup, c.startup_id)
        parties = session.exec(
            select(ConventionParty)
            .where(ConventionParty.convention_id == c.id)
            .order_by(ConventionParty.position)
        ).all()
        schedule = session.exec(
            select(ScheduleLine)
            .where(ScheduleLine.convention_id == c.id)
            .order_by(ScheduleLine.year)
        ).all()
        return ConventionInput(
            id=c.id,
            startup=startup.slug,
            kind=c.kind,
            title=c.title,
            parent_id=c.parent_id,
            number=c.number,
            object=c.object,
            signed_on=c.signed_on,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            ceiling_cents=c.ceiling_cents,
            parties=[
                PartyInput(
                    name=p.name,
                    role=p.role,
                    representative=p.representative,
                    signed_on=p.signed_on,
                    short_name=p.short_name,
                    representative_title=p.representative_title,
                )
                for p in parties
            ],
            schedule=[(s.year, s.ae_cents, s.cp_cents) for s in schedule],
            imputation={k: getattr(c, k) for k in IMPUTATION_KEYS},
            source_file=c.source_file,
            notes=c.notes,
        )


# --- consumption lines ------------------------------------------------------------------------


@dataclass
class LineInput:
    startup: str
    date: Any = None
    amount: Any = None
    label: Any = None
    kind: Any = "payment"
    convention_id: Any = None
    category: Any = None
    id: int | None = None


def _check_own_convention(session, startup_id: int, convention_id: int | None) -> None:
    """A line or deadline may name a convention only of its own startup."""
    if convention_id is None:
        return
    named = session.get(Convention, convention_id)
    if named is None or named.startup_id != startup_id:
        raise InvalidField(
            "convention_id", _("no convention {id} for this startup").format(id=convention_id)
        )


def save_line(store: Store, data: LineInput) -> int:
    """Create or update a consumption line (a payment or an engagement); its id."""
    day = parse_date("date", data.date, required=True)
    cents = parse_cents("amount", data.amount, required=True, positive=True)
    label = _text(data.label)
    if label is None:
        raise InvalidField("label", _("a label is required (what was paid or committed)"))
    kind = _choice("kind", data.kind, LINE_KINDS, "payment")
    convention_id = parse_id("convention_id", data.convention_id)
    with store.session() as session:
        startup = startup_by_slug(session, data.startup)
        _check_own_convention(session, startup.id, convention_id)
        if data.id is not None:
            line = session.get(ConsumptionLine, data.id)
            if line is None or line.startup_id != startup.id:
                raise NotFound(
                    _("no consumption line {id} for {slug}").format(id=data.id, slug=data.startup)
                )
        else:
            line = ConsumptionLine(
                startup_id=startup.id, date=day, amount_cents=cents, source="manual"
            )
        line.date = day
        line.amount_cents = cents
        line.label = label
        line.kind = kind
        line.convention_id = convention_id
        line.category = _text(data.category)
        session.add(line)
        reattribute(session, startup.id)
        return line.id


# --- deadlines ------------------------------------------------------------------------------


@dataclass
class DeadlineInput:
    startup: str
    date: Any = None
    title: Any = None
    kind: Any = "other"
    convention_id: Any = None
    id: int | None = None


def save_deadline(store: Store, data: DeadlineInput) -> int:

    day = parse_date("date", data.date, required=True)
    title = _text(data.title)
    if title is None:
        raise InvalidField("title", _("a deadline needs a title"))
    kind = _choice("kind", data.kind, DEADLINE_KINDS, "other")
    convention_id = parse_id("convention_id", data.convention_id)
    with store.session() as session:
        startup = startup_by_slug(session, data.startup)
        _check_own_convention(session, startup.id, convention_id)
        if data.id is not None:
            deadline = session.get(Deadline, data.id)
            if deadline is None or deadline.startup_id != startup.id:
                raise NotFound(
                    _("no deadline {id} for {slug}").format(id=data.id, slug=data.startup)
                )
        else:
            deadline = Deadline(startup_id=startup.id, date=day, title=title, source="manual")
        deadline.date = day
        deadline.title = title
        deadline.kind = kind
        deadline.convention_id = convention_id
        session.add(deadline)
        session.flush()
        return deadline.id


def set_deadline_done(store: Store, deadline_id: int, done: bool, on: dt.date) -> None:
    """Mark a deadline done on ``on`` (or not done again)."""
    with store.session() as session:
        deadline = session.get(Deadline, deadline_id)
        if deadline is None:
            raise NotFound(_("no deadline {id}").format(id=deadline_id))
        deadline.done = done
        deadline.done_on = on if done else None
        session.add(deadline)


# --- KPIs (objectives) and their measurements ----------------------------------------------------

# How a KPI's target reads: reached when the value is at least / at most the target.
KPI_DIRECTIONS = ("at_least", "at_most")


@dataclass
class ObjectiveInput:
    """A KPI as a form gives it: what is measured, in what unit, the target by a date and
    whether the value must reach it from below (``at_least``) or stay under it
    (``at_most``).  ``id`` None creates one."""

    startup: str  # slug
    metric: Any = None
    unit: Any = None
    target: Any = None
    target_date: Any = None
    direction: Any = "at_least"
    description: Any = None
    id: int | None = None


def save_objective(store: Store, data: ObjectiveInput) -> int:
    """Create or update a startup's KPI; its id.  A KPI without a target is allowed (it is
    only followed); a target date without a target is not."""
    metric = _text(data.metric)
    if metric is None:
        raise InvalidField("metric", _("a KPI needs a name (what is measured)"))
    unit = _text(data.unit)
    target = parse_number("target", data.target)
    target_date = parse_date("target_date", data.target_date)
    if target_date is not None and target is None:
        raise InvalidField("target", _("a target date needs a target value"))
    direction = _choice("direction", data.direction, KPI_DIRECTIONS, "at_least")
    description = _text(data.description, multiline=True)
    with store.session() as session:
        startup = startup_by_slug(session, data.startup)
        if data.id is not None:
            objective = session.get(Objective, data.id)
            if objective is None or objective.startup_id != startup.id:
                raise NotFound(_("no KPI {id} for {slug}").format(id=data.id, slug=data.startup))
        else:
            objective = Objective(startup_id=startup.id, metric=metric, source="manual")
        objective.metric = metric
        objective.unit = unit
        objective.target = target
        objective.target_date = target_date
        objective.direction = direction
        objective.description = description
        session.add(objective)
        session.flush()
        return objective.id


@dataclass
class MeasurementInput:
    objective_id: Any
    date: Any = None
    value: Any = None
    note: Any = None


def save_measurement(store: Store, data: MeasurementInput) -> int:

    objective_id = parse_id("objective_id", data.objective_id)
    if objective_id is None:
        raise InvalidField("objective_id", _("choose the KPI measured"))
    day = parse_date("date", data.date, required=True)
    value = parse_number("value", data.value, required=True)
    with store.session() as session:
        if session.get(Objective, objective_id) is None:
            raise InvalidField("objective_id", _("no KPI {id}").format(id=objective_id))
        measurement = Measurement(
            objective_id=objective_id, date=day, value=value, note=_text(data.note), source="manual"
        )
        session.add(measurement)
        session.flush()
        return measurement.id
