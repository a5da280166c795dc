"""Modal forms: a convention or avenant, a consumption line, a deadline, a KPI measurement.

A form reads its inputs into a ``store.ops.edit`` input record and saves it in a
thread worker (one transaction).  ``store.errors.InvalidField`` comes back as a
message shown under the field it names; ``Escape`` closes the form and writes
nothing.  The form returns True when it saved.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
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
from tui.messages import FieldRejected, Saved
from tui.widgets.text import plain

if TYPE_CHECKING:
    from store.db import Store
    from store.queries.browse import DeadlineView, LineView, StartupCard


def _dom_id(name: str) -> str:
    return name.replace(".", "-").replace("_", "-")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _euros(cents: int | None) -> str:
    if cents is None:
        return ""
    return str(cents // 100) if cents % 100 == 0 else f"{cents / 100:.2f}"


class FormScreen(ModalScreen[bool]):
    """A titled dialog of labelled fields with an error line under each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler"),
        Binding("ctrl+s", "save", "Enregistrer"),
    ]
    title_text = "Formulaire"

    def __init__(self, card: StartupCard) -> None:
        super().__init__()
        self.card = card

    # --- building the form --------------------------------------------------------------

    def field(self, name: str, label: str, widget: Widget, hint: str | None = None) -> Vertical:
        widget.id = f"f-{_dom_id(name)}"
        children: list[Widget] = [Horizontal(Label(label), widget, classes="field")]
        if hint:
            children.append(Static(hint, classes="hint"))
        children.append(Static("", id=f"error-{_dom_id(name)}", classes="field-error -hidden"))
        return Vertical(*children, classes="field-box")

    def input(
        self,
        name: str,
        label: str,
        value: Any = None,
        placeholder: str = "",
        hint: str | None = None,
    ) -> Vertical:
        return self.field(name, label, Input(_text(value), placeholder=placeholder), hint)

    def select(
        self,
        name: str,
        label: str,
        options: list[tuple[str, Any]],
        value: Any = None,
        *,
        blank: bool = True,
    ) -> Vertical:
        widget: Select = Select(options, allow_blank=blank, prompt="—")
        if value is not None and any(v == value for _, v in options):
            widget.value = value
        return self.field(name, label, widget)

    def fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield from self.fields()
            yield Static("", id="error-form", classes="field-error -hidden")
            with Horizontal(classes="buttons"):
                yield Button("Annuler (Échap)", id="cancel")
                yield Button("Enregistrer (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        first = self.query(Input).first() if self.query(Input) else None
        if first is not None:
            first.focus()

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
        target = self.query(f"#error-{_dom_id(name)}") if name else None
        if not target:
            target = self.query("#error-form")
            message = f"{name}: {message}" if name else message
        widget = target.first()
        widget.update(plain(f"⚠ {message}"))  # the message may quote what was typed
        widget.remove_class("-hidden")
        if name:
            for field in self.query(f"#f-{_dom_id(name)}"):
                field.focus()
                field.scroll_visible(animate=False)

    # --- saving -------------------------------------------------------------------------

    def record(self) -> Any:
        """The ``store.ops.edit`` input record from the fields (may raise InvalidField)."""
        raise NotImplementedError

    def perform(self, store: Store, record: Any) -> int | None:
        raise NotImplementedError

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
        self.app.notify("Enregistré", timeout=3)
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
            what = "Modifier l'avenant" if avenant else "Modifier la convention"
        else:
            what = "Nouvel avenant" if avenant else "Nouvelle convention"
        self.title_text = f"{what} — {card.title}"

    def fields(self) -> ComposeResult:
        roots = [
            (plain(c.label), c.id)
            for c in self.card.conventions
            if c.kind != "avenant" and c.id != self.convention_id
        ]
        yield self.select(
            "kind",
            "Nature",
            [(CONVENTION_KIND_LABELS[k], k) for k in CONVENTION_KINDS],
            self.kind,
            blank=False,
        )
        yield self.select("parent_id", "Modifie la convention", roots, self.parent_id)
        yield self.input("number", "N° d'avenant", placeholder="1")
        yield self.input("title", "Titre", placeholder="Convention de service")
        yield self.input("object", "Objet")
        yield self.input(
            "signed_on",
            "Signée le",
            placeholder="AAAA-MM-JJ",
            hint="vide : non signée (en attente)",
        )
        yield self.input("starts_on", "Début", placeholder="AAAA-MM-JJ (vide : à la conclusion)")
        yield self.input("ends_on", "Fin", placeholder="AAAA-MM-JJ")
        yield self.input(
            "ceiling", "Plafond (€)", placeholder="269 700", hint="vide : inconnu (jamais compté 0)"
        )
        for i in range(self.party_count):
            yield Static(f"Partie {i + 1}", classes="section-title")
            yield self.input(f"parties.{i}.name", "Nom")
            yield self.select(
                f"parties.{i}.role",
                "Rôle",
                ROLES,
                "délégant" if i == 0 else "délégataire" if i == 1 else None,
            )
            yield self.input(f"parties.{i}.representative", "Représentant")
            yield self.input(f"parties.{i}.signed_on", "Signé le", placeholder="AAAA-MM-JJ")
        yield Static("Échéancier et imputation", classes="section-title")
        yield self.input(
            "schedule", "Échéancier AE/CP", placeholder="2020: 50000/50000; 2021: 10000/8000"
        )
        for key, label in IMPUTATION_FIELDS:
            yield self.input(f"imputation.{key}", label)
        yield self.input("source_file", "Document source")
        yield self.input("notes", "Notes")

    def on_mount(self) -> None:
        super().on_mount()
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
            box = self.query_one(f"#f-{_dom_id(name)}").parent.parent
            box.display = avenant

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
        self.title_text = f"{'Modifier la' if line else 'Nouvelle'} dépense — {card.title}"

    def fields(self) -> ComposeResult:
        line = self.line
        yield self.input(
            "date", "Date", line.date if line else self.app.as_of, placeholder="AAAA-MM-JJ"
        )
        yield self.input(
            "amount",
            "Montant (€)",
            _euros(line.amount_cents) if line else None,
            placeholder="12 000",
        )
        yield self.input("label", "Libellé", line.label if line else None)
        yield self.select(
            "kind",
            "Nature",
            [(LINE_KIND_LABELS[k], k) for k in LINE_KINDS],
            line.kind if line else "payment",
            blank=False,
        )
        yield self.select(
            "convention_id",
            "Convention",
            _convention_options(self.card),
            line.convention_id if line else None,
        )
        yield Static("vide : la convention dont la période contient la date", classes="hint")
        yield self.input("category", "Catégorie", line.category if line else None)

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
        what = "Modifier l'échéance" if deadline else "Nouvelle échéance"
        self.title_text = f"{what} — {card.title}"

    def fields(self) -> ComposeResult:
        d = self.deadline
        yield self.input("date", "Date", d.date if d else None, placeholder="AAAA-MM-JJ")
        yield self.input("title", "Titre", d.title if d else None)
        yield self.select(
            "kind", "Nature", DEADLINE_KIND_OPTIONS, d.kind if d else "deliverable", blank=False
        )
        yield self.select(
            "convention_id",
            "Convention",
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


# --- KPI measurements ----------------------------------------------------------------------------


class MeasurementForm(FormScreen):
    """Record a new measurement of one of the startup's KPIs."""

    def __init__(self, card: StartupCard) -> None:
        super().__init__(card)
        self.title_text = f"Nouvelle mesure d'un KPI — {card.title}"

    def fields(self) -> ComposeResult:
        options = [(k.metric, k.objective_id) for k in self.card.kpis]
        yield self.select("objective_id", "KPI", options, options[0][1] if options else None)
        yield self.input("date", "Date", self.app.as_of, placeholder="AAAA-MM-JJ")
        yield self.input("value", "Valeur", placeholder="100")
        yield self.input("note", "Note")

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
