"""The store's tables.

Money is integer cents (``*_cents``, 64-bit: a ceiling of 21 M€ is 2^31 cents), dates are ``date``; a value the sources do
not give stays ``None`` (NULL), never 0 or "today".  Every table lives in this one
module, as SQLModel's documentation recommends, so relationships never need
circular imports.

The schema itself is owned by the Alembic migrations in ``store/migrations``; a
test checks that these models and the migrations agree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from store.rules.vocab import ConventionKind, DeadlineKind, LineKind, OrderStatus


def _fk(target: str, *, nullable: bool = True, ondelete: str = "CASCADE") -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class Versioned(SQLModel):
    """A table people edit: ``version`` counts its row's changes (optimistic concurrency).

    SQLAlchemy saves a row with ``UPDATE … WHERE id = :id AND version = :read``; a row
    changed by someone else since it was read matches nothing, and the session raises
    ``StaleDataError`` (``store.errors.Conflict`` through ``Store.session``).
    """

    version: int = Field(default=1, nullable=False, sa_column_kwargs={"server_default": text("1")})

    @declared_attr
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


# --- organisations, incubators, startups ---------------------------------------------


class Organisation(Versioned, table=True):
    """A sponsor (administration porteuse) or any other public body."""

    __tablename__ = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    acronym: str | None = None
    type: str | None = None
    domaine_ministeriel: str | None = None
    # Referenced (by a startup's sponsors, an incubator's owner) but never defined.
    placeholder: bool = False
    source: str | None = None


class Incubator(Versioned, table=True):
    __tablename__ = "incubator"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    title: str
    owner_id: int | None = Field(
        default=None, sa_column=_fk("organisation.id", ondelete="SET NULL")
    )
    contact: str | None = None
    address: str | None = None
    website: str | None = None
    github: str | None = None
    short_description: str | None = None
    placeholder: bool = False
    source: str | None = None


class Startup(Versioned, table=True):
    """A startup d'État; ``slug`` is beta.gouv.fr's file name (``classe-a-12``)."""

    __tablename__ = "startup"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    title: str
    mission: str | None = None
    description: str | None = None
    incubator_id: int | None = Field(
        default=None, sa_column=_fk("incubator.id", ondelete="SET NULL")
    )
    link: str | None = None
    repository: str | None = None
    contact: str | None = None
    budget_url: str | None = None
    dashlord_url: str | None = None
    accessibility_status: str | None = None
    # JSON arrays of strings, as beta.gouv.fr lists them.
    thematiques: str | None = None
    usertypes: str | None = None
    # Free notes kept locally; never touched by an import.
    notes: str | None = None
    # Where the row came from ("demo", "betagouv", "manual") and whether the upstream
    # file has since disappeared (kept, never deleted).
    source: str | None = None
    upstream_missing: bool = False


class StartupSponsor(SQLModel, table=True):
    __tablename__ = "startup_sponsor"

    startup_id: int = Field(
        sa_column=Column(Integer, ForeignKey("startup.id", ondelete="CASCADE"), primary_key=True)
    )
    organisation_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
        )
    )
    position: int = 0


class StartupIncubator(SQLModel, table=True):
    """Co-incubation: another incubator of a startup (beta.gouv.fr's ``incubators:``),
    besides its main one (``startup.incubator_id``)."""

    __tablename__ = "startup_incubator"

    startup_id: int = Field(
        sa_column=Column(Integer, ForeignKey("startup.id", ondelete="CASCADE"), primary_key=True)
    )
    incubator_id: int = Field(
        sa_column=Column(Integer, ForeignKey("incubator.id", ondelete="CASCADE"), primary_key=True)
    )
    position: int = 0


class Phase(Versioned, table=True):
    """One phase of a startup's life; ``name`` is kept exactly as the source wrote it."""

    __tablename__ = "phase"

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    comment: str | None = None


class Event(Versioned, table=True):
    """A dated event on a startup's page (committee, launch, FAST, end…)."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    name: str
    date: dt.date
    comment: str | None = None


class FastPromotion(SQLModel, table=True):
    __tablename__ = "fast_promotion"

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True, index=True)
    title: str | None = None
    date: dt.date | None = None


class FastAward(Versioned, table=True):
    """A FAST award; ``startup_id`` is NULL when the laureate's name matched no startup."""

    __tablename__ = "fast_award"

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int | None = Field(default=None, sa_column=_fk("startup.id"))
    promotion_id: int | None = Field(default=None, sa_column=_fk("fast_promotion.id"))
    laureate_name: str | None = None
    amount_cents: int | None = Field(default=None, sa_type=BigInteger)
    source: str | None = None


# --- conventions -------------------------------------------------------------------------


class Convention(Versioned, table=True):
    """A convention (de service, de délégation de gestion) or an avenant to one.

    The convention is *concluded* on the latest signature date it bears: the
    parties' own dates and ``signed_on`` (the single date of a signature page).
    With none of them it is *pending*.
    """

    __tablename__ = "convention"

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    kind: str = ConventionKind.CONVENTION.value
    number: int | None = None
    parent_id: int | None = Field(default=None, sa_column=_fk("convention.id"))
    title: str | None = None
    object: str | None = None
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    starts_on_precision: str | None = None
    ends_on: dt.date | None = None
    ends_on_precision: str | None = None
    ceiling_cents: int | None = Field(default=None, sa_type=BigInteger)
    # Imputation codes, as the text gives them.
    programme: str | None = None
    bop: str | None = None
    uo: str | None = None
    brique: str | None = None
    activite: str | None = None
    domaine_fonctionnel: str | None = None
    centre_couts: str | None = None
    service_executant: str | None = None
    # A parent created from what an avenant says of it, not from its own text.
    placeholder: bool = False
    source: str | None = None
    source_file: str | None = None
    source_sha256: str | None = Field(default=None, index=True)
    # JSON: {field: {"line": n, "text": "…"}} from the convention importer.
    evidence: str | None = None
    notes: str | None = None


class ConventionParty(Versioned, table=True):
    __tablename__ = "convention_party"

    id: int | None = Field(default=None, primary_key=True)
    convention_id: int = Field(sa_column=_fk("convention.id", nullable=False))
    position: int = 0
    name: str
    short_name: str | None = None
    role: str | None = None
    representative: str | None = None
    representative_title: str | None = None
    signed_on: dt.date | None = None


class ScheduleLine(Versioned, table=True):
    """One year of a convention's AE/CP échéancier."""

    __tablename__ = "schedule_line"
    __table_args__ = (UniqueConstraint("convention_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    convention_id: int = Field(sa_column=_fk("convention.id", nullable=False))
    year: int
    ae_cents: int | None = Field(default=None, sa_type=BigInteger)
    cp_cents: int | None = Field(default=None, sa_type=BigInteger)


# --- agenda, objectives, money, people ----------------------------------------------------


class Deadline(Versioned, table=True):
    __tablename__ = "deadline"

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    convention_id: int | None = Field(default=None, sa_column=_fk("convention.id"))
    date: dt.date
    title: str
    kind: str = DeadlineKind.OTHER.value
    done: bool = False
    done_on: dt.date | None = None
    source: str | None = None


class Objective(Versioned, table=True):
    """An objective or KPI: a metric with an optional target by a date."""

    __tablename__ = "objective"

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    metric: str
    unit: str | None = None
    target: float | None = None
    target_date: dt.date | None = None
    # "at_least" (the default reading of a target) or "at_most".
    direction: str = "at_least"
    description: str | None = None
    source: str | None = None


class Measurement(Versioned, table=True):
    __tablename__ = "measurement"

    id: int | None = Field(default=None, primary_key=True)
    objective_id: int = Field(sa_column=_fk("objective.id", nullable=False))
    date: dt.date
    value: float
    note: str | None = None
    source: str | None = None


class ConsumptionLine(Versioned, table=True):
    """Money spent (a payment) or committed (an engagement) by a startup.

    ``convention_id`` is the convention the line names, if any; which convention it
    actually counts against is a budget rule (``store.rules.budget``).
    ``dedup_key`` makes imports idempotent: the same line imported twice is stored once.
    """

    __tablename__ = "consumption_line"
    __table_args__ = (
        Index("ix_consumption_startup_date", "startup_id", "date"),
        Index("ix_consumption_date_startup", "date", "startup_id", "amount_cents"),
        Index("ix_consumption_counted", "counted_convention_id", "date", "amount_cents"),
        # The partial month of an as-of report (see store.rules.rollup), read from the index alone.
        Index(
            "ix_consumption_date_counted",
            "date",
            "startup_id",
            "counted_convention_id",
            "kind",
            "order_id",
            "amount_cents",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(
        sa_column=Column(Integer, ForeignKey("startup.id", ondelete="CASCADE"), nullable=False)
    )
    convention_id: int | None = Field(
        default=None, sa_column=_fk("convention.id", ondelete="SET NULL")
    )
    # The root convention the line counts against (derived by ``store.rules.budget.attribute``
    # and kept current by ``store.derived`` whenever the startup's conventions or lines
    # change), so that reports aggregate in SQL.  NULL: unattributed.
    counted_convention_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("convention.id", ondelete="SET NULL"), nullable=True),
    )
    date: dt.date
    amount_cents: int = Field(sa_type=BigInteger)
    kind: str = LineKind.PAYMENT.value
    label: str = ""
    category: str | None = None
    source: str | None = None
    dedup_key: str | None = Field(default=None, unique=True)
    # A payment of a purchase order (``purchase_order``): it consumes CP only, the order
    # having consumed the AE.  A payment with no order is a *direct payment*: AE and CP.
    order_id: int | None = Field(
        default=None, sa_column=_fk("purchase_order.id", ondelete="RESTRICT")
    )


class PurchaseOrder(Versioned, table=True):
    """A purchase order (bon de commande): an *engagement juridique* (EJ) that consumes AE.

    ``convention_id`` is the convention it is charged to, if named; which one it counts
    against is a budget rule, kept in ``counted_convention_id`` as for the lines.  Its
    services faits (``service_fait``) record what was delivered, its payments are the
    consumption lines that name it (``consumption_line.order_id``).  A cancelled order
    engages nothing.
    """

    __tablename__ = "purchase_order"
    __table_args__ = (
        # The partial month of an as-of report, read from the index alone (as for the lines).
        Index(
            "ix_purchase_order_date_counted",
            "date",
            "startup_id",
            "counted_convention_id",
            "status",
            "amount_cents",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    convention_id: int | None = Field(
        default=None, sa_column=_fk("convention.id", ondelete="SET NULL")
    )
    counted_convention_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("convention.id", ondelete="SET NULL"), nullable=True),
    )
    # The EJ number Chorus gives the order (unknown until it is recorded there).
    ej: str | None = Field(default=None, unique=True)
    supplier: str | None = None
    date: dt.date
    amount_cents: int = Field(sa_type=BigInteger)
    expected_on: dt.date | None = None
    status: str = OrderStatus.OPEN.value
    label: str = ""
    # The imputation Chorus gives the order (centre financier…), as the export wrote it.
    centre_financier: str | None = None
    source: str | None = None


class OrderLine(Versioned, table=True):
    """One line of a purchase order: units × unit price."""

    __tablename__ = "order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(sa_column=_fk("purchase_order.id", nullable=False))
    position: int = 0
    label: str = ""
    units: float
    unit_price_cents: int = Field(sa_type=BigInteger)


class ServiceFait(Versioned, table=True):
    """A service fait: what the supplier delivered of an order, on a date (PV de service fait)."""

    __tablename__ = "service_fait"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(sa_column=_fk("purchase_order.id", nullable=False))
    date: dt.date
    amount_cents: int = Field(sa_type=BigInteger)
    label: str = ""
    source: str | None = None
    dedup_key: str | None = Field(default=None, unique=True)


class ConsumptionMonth(SQLModel, table=True):
    """Derived: one startup's lines per counted convention (NULL: unattributed) and month.

    Rebuilt by ``store.derived.reattribute`` from the lines (see ``store.rules.rollup``); the
    as-of reports read it instead of scanning every line.
    """

    __tablename__ = "consumption_month"
    __table_args__ = (
        Index(
            "ix_consumption_month_convention",
            "convention_id",
            "startup_id",
            "month",
            "cum_cents",
            "engaged_last_on",
        ),
        Index(
            "ix_consumption_month_month",
            "month",
            "startup_id",
            "convention_id",
            "amount_cents",
            "paid_cents",
        ),
        # One row per startup, counted convention (NULL: unattributed) and month.
        Index(
            "ux_consumption_month_key",
            "startup_id",
            text("coalesce(convention_id, 0)"),
            "month",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    convention_id: int | None = None
    month: dt.date
    amount_cents: int = Field(sa_type=BigInteger)
    paid_cents: int = Field(sa_type=BigInteger)
    cum_cents: int = Field(sa_type=BigInteger)
    # The payments (CP) from the first month to this one.
    cum_paid_cents: int = Field(
        default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": text("0")}
    )
    engaged_last_on: dt.date | None = None


class StartupState(SQLModel, table=True):
    """Derived: what the budget rules say of a startup, apart from the amounts consumed,
    from ``valid_from`` to ``valid_to`` (both included).

    Rebuilt by ``store.derived.refresh`` (see ``store.rules.timeline``); the as-of reports read
    the row valid on D instead of loading every convention, phase and deadline.
    ``roots``: the conventions in force, JSON ``[[id, ceiling, start, end, cp], …]``;
    ``alerts``: the structural alert codes, space-separated.
    """

    __tablename__ = "startup_state"
    __table_args__ = (
        Index("ix_startup_state_startup_from", "startup_id", "valid_from", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(
        sa_column=Column(Integer, ForeignKey("startup.id", ondelete="CASCADE"), nullable=False)
    )
    valid_from: dt.date
    valid_to: dt.date
    phase: str | None = None
    envelope_cents: int | None = Field(default=None, sa_type=BigInteger)
    pending_cents: int = Field(default=0, sa_type=BigInteger)
    roots: str | None = None
    alerts: str = ""
    next_deadline_on: dt.date | None = None
    next_deadline_title: str | None = None
    # The rest of the next deadline, so that the report's is the rules' own record.
    next_deadline_kind: str | None = None
    next_deadline_id: int | None = None
    next_deadline_convention_id: int | None = None
    next_deadline_derived: bool | None = None


class StaffingLine(Versioned, table=True):
    __tablename__ = "staffing_line"

    id: int | None = Field(default=None, primary_key=True)
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    convention_id: int | None = Field(
        default=None, sa_column=_fk("convention.id", ondelete="SET NULL")
    )
    role: str
    headcount: float = 1.0
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    daily_rate_cents: int | None = Field(default=None, sa_type=BigInteger)
    source: str | None = None


class Committee(Versioned, table=True):
    """An investment committee (comité d'investissement): one date, the startups it reviews.

    beta.gouv.fr's ``committee`` events become committees (one per date) and their
    reviews; ``comment`` is the committee's own free text.
    """

    __tablename__ = "committee"

    id: int | None = Field(default=None, primary_key=True)
    date: dt.date = Field(unique=True, index=True)
    comment: str | None = None
    source: str | None = None


class CommitteeReview(Versioned, table=True):
    """One startup reviewed by a committee: the team's request and the sponsor's decision.

    ``decision``: ``six_months``, ``provisional`` (``provisional_months``, one or two),
    ``stop``, or ``undecided``.  ``convention_id``: the convention or avenant that carries a
    decision to fund, once there is one.  ``comment``: the free text (beta.gouv.fr's event).
    """

    __tablename__ = "committee_review"
    __table_args__ = (UniqueConstraint("committee_id", "startup_id"),)

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(sa_column=_fk("committee.id", nullable=False))
    startup_id: int = Field(sa_column=_fk("startup.id", nullable=False))
    requested_cents: int | None = Field(default=None, sa_type=BigInteger)
    requested_team: str | None = None
    decision: str = "undecided"
    provisional_months: int | None = None
    granted_cents: int | None = Field(default=None, sa_type=BigInteger)
    convention_id: int | None = Field(
        default=None, sa_column=_fk("convention.id", ondelete="SET NULL")
    )
    comment: str | None = None
    source: str | None = None


class ChorusExport(SQLModel, table=True):
    """A Chorus INF-BUD-53 export as imported: its file, its day (the export date it
    gives, else the day it was imported) and, in its child tables, the centres financiers
    it covers, the store's orders on them it did not list and the EJs it listed that could
    be placed nowhere (the reconciliation, ``startups import chorus``)."""

    __tablename__ = "chorus_export"
    __table_args__ = (UniqueConstraint("file", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    file: str
    day: dt.date = Field(index=True)
    exported_on: dt.date | None = None
    layout: str | None = None
    lines: int = 0
    imported_at: str | None = None  # ISO 8601 timestamp


class ChorusExportCentre(SQLModel, table=True):
    """A centre financier an export covers (it lists at least one line on it)."""

    __tablename__ = "chorus_export_centre"

    export_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("chorus_export.id", ondelete="CASCADE"), primary_key=True
        )
    )
    centre_financier: str = Field(primary_key=True, index=True)


class ChorusExportMissing(SQLModel, table=True):
    """An order of the store (by its EJ) on a centre financier the export covers, dated on
    or before the export's day, that the export does not list (ORDER_NOT_IN_CHORUS)."""

    __tablename__ = "chorus_export_missing"

    export_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("chorus_export.id", ondelete="CASCADE"), primary_key=True
        )
    )
    ej: str = Field(primary_key=True, index=True)


class ChorusUnplaced(SQLModel, table=True):
    """An EJ an export lists that the store could place nowhere (unknown order, no single
    convention matching), with the reason and the export's lines."""

    __tablename__ = "chorus_unplaced"

    export_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("chorus_export.id", ondelete="CASCADE"), primary_key=True
        )
    )
    ej: str = Field(primary_key=True, index=True)
    reason: str = ""
    lines: str = ""  # the export's line numbers, comma-separated
    engaged_cents: int | None = Field(default=None, sa_type=BigInteger)


class Meta(SQLModel, table=True):
    """Key/value facts about the store itself (created_at, last import…)."""

    __tablename__ = "store_meta"

    key: str = Field(primary_key=True)
    value: str | None = None
    updated_at: str | None = None  # ISO 8601 timestamp


class AuditLog(SQLModel, table=True):
    """One change to the store: when, by whom, what (``store.audit`` writes it)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_startup", "startup_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: str  # ISO 8601 timestamp, UTC
    actor: str
    action: str  # insert | update | delete | restore
    table_name: str
    row_id: str | None = None
    # The startup the change belongs to (no foreign key: the history outlives the row).
    startup_id: int | None = None
    label: str | None = None
    # JSON: {field: [before, after]} (an insert has no before, a delete no after).
    changes: str | None = None


ALL_TABLES = [
    Organisation,
    Incubator,
    Startup,
    StartupSponsor,
    StartupIncubator,
    Phase,
    Event,
    FastPromotion,
    FastAward,
    Convention,
    ConventionParty,
    ScheduleLine,
    Deadline,
    Objective,
    Measurement,
    ConsumptionLine,
    PurchaseOrder,
    OrderLine,
    ServiceFait,
    ConsumptionMonth,
    StartupState,
    StaffingLine,
    Committee,
    CommitteeReview,
    Meta,
    AuditLog,
]
