"""Modal forms: a convention or avenant, a consumption line, a deadline, a KPI and its
measurements.

A form is a dialog that fits any terminal from 80×24: its title at the top, its buttons
(« Annuler (Échap) », « Enregistrer (ctrl+s) ») at the bottom, and between them its
fields, which scroll; each input keeps its height, and the field that has the focus is
always in view with its hint and its error.  The form opens with the focus on its first
field; ``ctrl+s`` (or ``Enter`` in a field) saves, ``Escape`` closes it and writes
nothing, and the footer names these keys.

A form reads its inputs into a ``store.ops.edit`` input record and saves it in a thread
worker (one transaction).  ``store.errors.InvalidField`` comes back as a message shown
under the field it names.  Dates are shown the French way (15/09/2018) and typed either
way.  The form returns True when it saved.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup, Vertical, VerticalGroup, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from store.errors import InvalidField
from store.rules.vocab import (
    CONVENTION_KIND_LABELS,
    CONVENTION_KINDS,
    DEADLINE_KIND_LABELS,
    DEADLINE_KINDS,
    IMPUTATION_FIELDS,
    IMPUTATION_KEYS,
    LINE_KIND_LABELS,
    LINE_KINDS,
    PARTY_ROLE_LABELS,
    PARTY_ROLES,
)
from tui.actions import report_failure
from tui.language import N_, Translated, _
from tui.messages import FieldRejected, Saved
from tui.widgets.footer import Footer
from tui.widgets.text import plain

if TYPE_CHECKING:
    from store.db import Store
    from store.queries.browse import DeadlineView, KpiView, LineView, StartupCard

DATE = N_("DD/MM/YYYY")  # the placeholder of a date (2018-09-15 is read too)


def _dom_id(name: str) -> str:
    return name.replace(".", "-").replace("_", "-")


def _text(value: Any) -> str:
    """A value as an input shows it: a date the French way, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _euros(cents: int | None) -> str:
    if cents is None:
        return ""
    from store.fmt import DECIMAL, GROUP

    # As the store reads them back: "38 000", "1 200,50".
    text = f"{cents // 100:,}" if cents % 100 == 0 else f"{cents / 100:,.2f}"
    return text.replace(",", GROUP).replace(".", DECIMAL)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


class FieldBox(VerticalGroup):
    """A field: its label and input, its hint, its error line.

    When it grows while it has the focus (its error is shown), it scrolls itself back into
    view: only once it is laid out again is its new height known."""

    def on_resize(self) -> None:
        if self.has_focus_within:
            self.scroll_visible(animate=False)


class FormScreen(Translated, ModalScreen[bool]):
    """A titled dialog of labelled fields with an error line under each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: ctrl+s then reaches the form after the keys typed before
        # it, so what is saved is everything typed (no field, list or button takes it).
        Binding("ctrl+s", "save", N_("Save"), key_display="ctrl+s"),
        Binding("escape", "cancel", N_("Cancel")),
        Binding("tab", "app.focus_next", N_("Next field"), key_display="Tab"),
    ]
    title_text = ""  # set by each form, in the language of the moment

    def __init__(self, card: StartupCard) -> None:
        super().__init__()
        self.card = card

    # --- building the form --------------------------------------------------------------

    def field(self, name: str, label: str, widget: Widget, hint: str | None = None) -> Widget:
        widget.id = f"f-{_dom_id(name)}"
        children: list[Widget] = [
            HorizontalGroup(Label(_(label), markup=False), widget, classes="field")
        ]
        if hint:
            children.append(Static(_(hint), classes="hint", markup=False))
        children.append(Static("", id=f"error-{_dom_id(name)}", classes="field-error -hidden"))
        return FieldBox(*children, classes="field-box", id=f"box-{_dom_id(name)}")

    def input(
        self,
        name: str,
        label: str,
        value: Any = None,
        placeholder: str = "",
        hint: str | None = None,
    ) -> Widget:
        return self.field(
            name,
            label,
            Input(_text(value), placeholder=_(placeholder) if placeholder else ""),
            hint,
        )

    def select(
        self,
        name: str,
        label: str,
        options: list[tuple[Any, Any]],
        value: Any = None,
        *,
        blank: bool = True,
        hint: str | None = None,
    ) -> Widget:
        # The initial value goes to the constructor: set later, before the widget is
        # mounted, it would be shown as the blank prompt while the form held the value.
        initial = value if any(v == value for _, v in options) else Select.NULL
        widget: Select = Select(options, allow_blank=blank, prompt="—", value=initial)
        return self.field(name, label, widget, hint)

    def fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(plain(self.title_text), classes="dialog-title")
            body = VerticalScroll(classes="dialog-body")
            body.can_focus = False  # Tab goes from the last field to the buttons
            with body:
                yield from self.fields()
            with VerticalGroup(classes="form-end"):
                yield Static("", id="error-form", classes="field-error -hidden")
                with HorizontalGroup(classes="buttons"):
                    yield Button(_("Cancel (Esc)"), id="cancel")
                    yield Button(_("Save (ctrl+s)"), id="save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.prepare()
        self.focus_first()

    def prepare(self) -> None:
        """What a form does once mounted, before the focus goes to its first field."""

    def focus_first(self) -> None:
        """The focus on the first field shown (a hidden one would swallow what is typed)."""
        for box in self.query(".field-box"):
            if not box.display:
                continue
            for widget in box.query("Input, Select"):
                widget.focus()
                return

    @staticmethod
    def _box(widget: Widget | None) -> Widget | None:
        while widget is not None and not widget.has_class("field-box"):
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return widget

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        """Focus a field and bring it into view whole (label, hint, error), at once.

        The screen's own scrolling would centre the input alone, animated: an error shown
        while it runs (a quick ctrl+s) could end up scrolled out of view."""
        changed = widget is not None and widget is not self.focused
        super().set_focus(widget, scroll_visible=False, from_app_focus=from_app_focus)
        if changed and scroll_visible:
            self.reveal(widget)

    def reveal(self, widget: Widget) -> None:
        """Scroll (without animation) so that the field of ``widget`` is in view."""
        target = self._box(widget) or widget
        target.scroll_visible(animate=False)

    # --- reading the form ---------------------------------------------------------------

    def value(self, name: str) -> Any:
        widget = self.query_one(f"#f-{_dom_id(name)}")
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        raise TypeError(name)

    def set_value(self, name: str, value: Any) -> None:
        widget = self.query_one(f"#f-{_dom_id(name)}")
        if isinstance(widget, Input):
            widget.value = _text(value)
        elif isinstance(widget, Select):
            widget.value = Select.NULL if value is None else value

    def show_error(self, name: str | None, message: str | None) -> None:
        for error in self.query(".field-error"):
            error.update("")
            error.add_class("-hidden")
        if message is None:
            return
        box = self.query(f"#box-{_dom_id(name)}") if name else None
        if box and box.first().display:
            target = box.first().query_one(".field-error", Static)
        else:
            # A field this form does not show (or no field): the line above the buttons.
            target = self.query_one("#error-form", Static)
            message = f"{name}: {message}" if name else message
        target.update(plain(f"⚠ {message}"))  # the message may quote what was typed
        target.remove_class("-hidden")
        if box and box.first().display:
            field = self.query_one(f"#f-{_dom_id(name)}")
            # In view at once; once the error line is laid out the field grows and scrolls
            # itself into view whole (FieldBox.on_resize).
            field.focus(scroll_visible=False)
            self.reveal(field)

    # --- saving -------------------------------------------------------------------------

    def record(self) -> Any:
        """The ``store.ops.edit`` input record from the fields (may raise InvalidField)."""
        raise NotImplementedError

    def perform(self, store: Store, record: Any) -> int | None:
        raise NotImplementedError

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.show_error(None, None)
        try:
            record = self.record()
        except InvalidField as exc:
            self.show_error(exc.field, exc.message)
            return
        self._save(record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save", description="save")
    def _save(self, record: Any) -> None:
        try:
            saved_id = self.perform(self.app.store(), record)
        except InvalidField as exc:
            self.post_message(FieldRejected(exc.field, exc.message))
            return
        self.post_message(Saved(type(record).__name__, saved_id))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.query_one(".dialog").loading = False
        report_failure(self.app, event)

    def on_field_rejected(self, message: FieldRejected) -> None:
        self.show_error(message.field, message.message)

    def on_saved(self, message: Saved) -> None:
        self.app.saved()
        self.app.notify(_("Saved"), timeout=3)
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


# --- conventions and avenants -------------------------------------------------------------

ROLES = [(PARTY_ROLE_LABELS[r], r) for r in PARTY_ROLES]


class ConventionForm(FormScreen):
    """Add a convention or an avenant, or edit one (``convention_id``)."""

    def __init__(
        self,
        card: StartupCard,
        *,
        kind: str = "convention",
        parent_id: int | None = None,
        convention_id: int | None = None,
    ) -> None:
        super().__init__(card)
        self.kind = kind
        self.parent_id = parent_id
        self.convention_id = convention_id
        self.loaded = None  # store.ops.edit.ConventionInput when editing
        self.party_count = 2
        if convention_id is not None:
            existing = next((c for c in card.conventions if c.id == convention_id), None)
            if existing is not None:
                self.kind = existing.kind
                self.party_count = max(2, len(existing.parties))
        avenant = self.kind == "avenant"
        if convention_id is not None:
            what = _("Edit the avenant") if avenant else _("Edit the convention")
        else:
            what = _("New avenant") if avenant else _("New convention")
        self.title_text = f"{what} — {card.title}"

    def fields(self) -> ComposeResult:
        roots = [
            (plain(c.label), c.id)
            for c in self.card.conventions
            if c.kind != "avenant" and c.id != self.convention_id
        ]
        yield self.select(
            "kind",
            N_("Kind"),
            [(CONVENTION_KIND_LABELS[k], k) for k in CONVENTION_KINDS],
            self.kind,
            blank=False,
        )
        yield self.select("parent_id", N_("Amends the convention"), roots, self.parent_id)
        yield self.input("number", N_("Avenant no."), placeholder="1")
        yield self.input("title", N_("Title"), placeholder=N_("Service agreement"))
        yield self.input("object", N_("Purpose"))
        yield self.input(
            "signed_on",
            N_("Signed on"),
            placeholder=DATE,
            hint=N_("empty: unsigned (pending)"),
        )
        yield self.input(
            "starts_on", N_("Start"), placeholder=DATE, hint=N_("empty: at conclusion")
        )
        yield self.input("ends_on", N_("End"), placeholder=DATE)
        yield self.input(
            "ceiling",
            N_("Ceiling (€)"),
            placeholder="269 700",
            hint=N_("empty: unknown (never counted as 0)"),
        )
        for i in range(self.party_count):
            yield Static(_("Party {n}").format(n=i + 1), classes="section-title")
            yield self.input(f"parties.{i}.name", N_("Name"))
            yield self.select(
                f"parties.{i}.role",
                N_("Role"),
                ROLES,
                "délégant" if i == 0 else "délégataire" if i == 1 else None,
            )
            yield self.input(f"parties.{i}.representative", N_("Representative"))
            yield self.input(f"parties.{i}.signed_on", N_("Signed on (party)"), placeholder=DATE)
        yield Static(_("Schedule and imputation"), classes="section-title")
        yield self.input(
            "schedule", N_("AE/CP schedule"), placeholder="2020: 50000/50000; 2021: 10000/8000"
        )
        for key, label in IMPUTATION_FIELDS:
            yield self.input(f"imputation.{key}", label)
        yield self.input("source_file", N_("Source document"))
        yield self.input("notes", N_("Notes"))

    def prepare(self) -> None:
        self._kind_changed()
        if self.convention_id is not None:
            self.query_one(".dialog").loading = True
            self._load(self.convention_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="convention")
    def _load(self, convention_id: int) -> None:
        from store.ops.edit import convention_input

        loaded = convention_input(self.app.store(), convention_id)
        self.app.call_from_thread(self._fill, loaded)

    def _fill(self, loaded) -> None:
        from store.ops.edit import format_schedule

        self.loaded = loaded
        for name in (
            "kind",
            "parent_id",
            "number",
            "title",
            "object",
            "signed_on",
            "starts_on",
            "ends_on",
            "source_file",
            "notes",
        ):
            self.set_value(name, getattr(loaded, name))
        self.set_value("ceiling", _euros(loaded.ceiling_cents))
        for i, party in enumerate(loaded.parties[: self.party_count]):
            self.set_value(f"parties.{i}.name", party.name)
            self.set_value(
                f"parties.{i}.role",
                party.role if party.role in ("délégant", "délégataire", "other") else None,
            )
            self.set_value(f"parties.{i}.representative", party.representative)
            self.set_value(f"parties.{i}.signed_on", party.signed_on)
        self.set_value("schedule", format_schedule(loaded.schedule))
        for key in IMPUTATION_KEYS:
            self.set_value(f"imputation.{key}", loaded.imputation.get(key))
        self.query_one(".dialog").loading = False
        self._kind_changed()

    @on(Select.Changed, "#f-kind")
    def _kind_changed(self) -> None:
        avenant = self.value("kind") == "avenant"
        for name in ("parent_id", "number"):
            self.query_one(f"#box-{_dom_id(name)}").display = avenant
        title = self.query_one("#f-title", Input)
        title.placeholder = _("Avenant no. 1") if avenant else _("Service agreement")

    def record(self):
        from store.ops.edit import ConventionInput, PartyInput

        parties = []
        for i in range(self.party_count):
            base = (
                self.loaded.parties[i]
                if self.loaded is not None and i < len(self.loaded.parties)
                else PartyInput()
            )
            parties.append(
                PartyInput(
                    name=self.value(f"parties.{i}.name"),
                    role=self.value(f"parties.{i}.role"),
                    representative=self.value(f"parties.{i}.representative"),
                    signed_on=self.value(f"parties.{i}.signed_on"),
                    short_name=base.short_name,
                    representative_title=base.representative_title,
                )
            )
        if self.loaded is not None:
            parties.extend(self.loaded.parties[self.party_count :])
        return ConventionInput(
            id=self.convention_id,
            startup=self.card.slug,
            kind=self.value("kind"),
            parent_id=self.value("parent_id"),
            number=self.value("number"),
            title=self.value("title"),
            object=self.value("object"),
            signed_on=self.value("signed_on"),
            starts_on=self.value("starts_on"),
            ends_on=self.value("ends_on"),
            ceiling=self.value("ceiling"),
            parties=parties,
            schedule=self.value("schedule"),
            imputation={key: self.value(f"imputation.{key}") for key in IMPUTATION_KEYS},
            source_file=self.value("source_file"),
            notes=self.value("notes"),
        )

    def perform(self, store, record) -> int:
        from store.ops.edit import save_convention

        return save_convention(store, record)


# --- consumption lines --------------------------------------------------------------------------


def _convention_options(card: StartupCard) -> list[tuple[str, int]]:
    return [(plain(c.label), c.id) for c in card.conventions]


class LineForm(FormScreen):
    """Add or edit a consumption line (a payment or an engagement)."""

    def __init__(self, card: StartupCard, *, line: LineView | None = None) -> None:
        super().__init__(card)
        self.line = line
        what = _("Edit the expense") if line else _("New expense")
        self.title_text = f"{what} — {card.title}"

    def fields(self) -> ComposeResult:
        line = self.line
        yield self.input(
            "date", N_("Date"), line.date if line else self.app.as_of, placeholder=DATE
        )
        yield self.input(
            "amount",
            N_("Amount (€)"),
            _euros(line.amount_cents) if line else None,
            placeholder="12 000",
        )
        yield self.input("label", N_("Label"), line.label if line else None)
        yield self.select(
            "kind",
            N_("Kind"),
            [(LINE_KIND_LABELS[k], k) for k in LINE_KINDS],
            line.kind if line else "payment",
            blank=False,
        )
        yield self.select(
            "convention_id",
            N_("Convention"),
            _convention_options(self.card),
            line.convention_id if line else None,
            hint=N_("empty: the convention whose period holds the date"),
        )
        yield self.input("category", N_("Category"), line.category if line else None)

    def record(self):
        from store.ops.edit import LineInput

        return LineInput(
            id=self.line.id if self.line else None,
            startup=self.card.slug,
            date=self.value("date"),
            amount=self.value("amount"),
            label=self.value("label"),
            kind=self.value("kind"),
            convention_id=self.value("convention_id"),
            category=self.value("category"),
        )

    def perform(self, store, record) -> int:
        from store.ops.edit import save_line

        return save_line(store, record)


# --- deadlines -----------------------------------------------------------------------------------

DEADLINE_KIND_OPTIONS = [(DEADLINE_KIND_LABELS[k], k) for k in DEADLINE_KINDS]


class DeadlineForm(FormScreen):
    """Add or edit a deadline."""

    def __init__(self, card: StartupCard, *, deadline: DeadlineView | None = None) -> None:
        super().__init__(card)
        self.deadline = deadline
        what = _("Edit the deadline") if deadline else _("New deadline")
        self.title_text = f"{what} — {card.title}"

    def fields(self) -> ComposeResult:
        d = self.deadline
        yield self.input("date", N_("Date"), d.date if d else None, placeholder=DATE)
        yield self.input("title", N_("Title"), d.title if d else None)
        yield self.select(
            "kind", N_("Kind"), DEADLINE_KIND_OPTIONS, d.kind if d else "deliverable", blank=False
        )
        yield self.select(
            "convention_id",
            N_("Convention"),
            _convention_options(self.card),
            d.convention_id if d else None,
        )

    def record(self):
        from store.ops.edit import DeadlineInput

        return DeadlineInput(
            id=self.deadline.id if self.deadline else None,
            startup=self.card.slug,
            date=self.value("date"),
            title=self.value("title"),
            kind=self.value("kind"),
            convention_id=self.value("convention_id"),
        )

    def perform(self, store, record) -> int:
        from store.ops.edit import save_deadline

        return save_deadline(store, record)


# --- KPIs and their measurements ------------------------------------------------------------

DIRECTION_OPTIONS = [
    (N_("at least the target (≥)"), "at_least"),
    (N_("at most the target (≤)"), "at_most"),
]


class KpiForm(FormScreen):
    """Add a KPI to the startup (what is measured, its target), or edit one (``kpi``)."""

    def __init__(
        self, card: StartupCard, *, kpi: KpiView | None = None, note: str | None = None
    ) -> None:
        super().__init__(card)
        self.kpi = kpi
        self.note = note  # why this form opened (``m`` on a startup without a KPI)
        what = _("Edit the KPI") if kpi else _("New KPI")
        self.title_text = f"{what} — {card.title}"

    def fields(self) -> ComposeResult:
        k = self.kpi
        if self.note:
            yield Static(self.note, classes="form-note", markup=False)
        yield self.input(
            "metric", N_("Indicator"), k.metric if k else None, placeholder=N_("Schools using it")
        )
        yield self.input("unit", N_("Unit"), k.unit if k else None, placeholder=N_("schools"))
        yield self.input(
            "target",
            N_("Target"),
            _number(k.target) if k else None,
            placeholder="100",
            hint=N_("empty: followed without a target"),
        )
        yield self.input("target_date", N_("By"), k.target_date if k else None, placeholder=DATE)
        yield self.select(
            "direction",
            N_("Reached if"),
            [(_(label), value) for label, value in DIRECTION_OPTIONS],
            k.direction if k else "at_least",
            blank=False,
        )
        yield self.input("description", N_("Description"), k.description if k else None)

    def record(self):
        from store.ops.edit import ObjectiveInput

        return ObjectiveInput(
            id=self.kpi.objective_id if self.kpi else None,
            startup=self.card.slug,
            metric=self.value("metric"),
            unit=self.value("unit"),
            target=self.value("target"),
            target_date=self.value("target_date"),
            direction=self.value("direction"),
            description=self.value("description"),
        )

    def perform(self, store, record) -> int:
        from store.ops.edit import save_objective

        return save_objective(store, record)


class MeasurementForm(FormScreen):
    """Record a new measurement of one of the startup's KPIs."""

    def __init__(self, card: StartupCard, *, objective_id: int | None = None) -> None:
        super().__init__(card)
        self.objective_id = objective_id
        self.title_text = _("New KPI measure — {title}").format(title=card.title)

    def fields(self) -> ComposeResult:
        options = [(plain(k.metric), k.objective_id) for k in self.card.kpis]
        chosen = self.objective_id
        if chosen is None and options:
            chosen = options[0][1]
        yield self.select("objective_id", N_("KPI"), options, chosen, blank=False)
        yield self.input("date", N_("Date"), self.app.as_of, placeholder=DATE)
        yield self.input("value", N_("Value"), placeholder="100")
        yield self.input("note", N_("Note"))

    def record(self):
        from store.ops.edit import MeasurementInput

        return MeasurementInput(
            objective_id=self.value("objective_id"),
            date=self.value("date"),
            value=self.value("value"),
            note=self.value("note"),
        )

    def perform(self, store, record) -> int:
        from store.ops.edit import save_measurement

        return save_measurement(store, record)
