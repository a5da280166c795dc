"""The store's vocabularies: every code the data holds, and the words people read for it.

One place for the kinds of convention, deadline and consumption line, the parties'
roles, the phases (their order, which are active, how they read), a convention's
status on a day, the alerts' words and severities, the imputation codes and the French
month names.  Codes are what the store and the machine formats (JSON, CSV, ICS) hold
and never change; labels are what a person reads.  Every layer (the rules, the forms,
the importers, ``startups show``, the app) takes them from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from functools import lru_cache

import i18n
from i18n import N_
from store.rules.text import fold

_ = i18n.Domain("store").gettext


class ConventionKind(StrEnum):
    CONVENTION = "convention"
    AVENANT = "avenant"


class PartyRole(StrEnum):
    DELEGANT = "délégant"
    DELEGATAIRE = "délégataire"
    OTHER = "other"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class LineKind(StrEnum):
    ENGAGEMENT = "engagement"
    PAYMENT = "payment"


class OrderStatus(StrEnum):
    """What a coach says of a purchase order (the amounts say the rest: delivered, paid)."""

    OPEN = "open"
    CLOSED = "closed"  # soldée: nothing more will be delivered nor paid
    CANCELLED = "cancelled"  # annulée: engages nothing


class DeadlineKind(StrEnum):
    DELIVERABLE = "deliverable"
    CONVENTION_END = "convention_end"
    RENEWAL = "renewal"
    COMMITTEE = "committee"
    REPORTING = "reporting"
    OTHER = "other"


class Status(StrEnum):
    """A convention's (or an avenant's) status on a day."""

    IN_FORCE = "in_force"  # concluded, period begun, not ended
    PENDING = "pending"  # no signature date at all: shown, never counted
    UPCOMING = "upcoming"  # signed after D, or its period starts after D
    ENDED = "ended"  # its end (as moved by the avenants in force) is before D


CONVENTION_KINDS = tuple(k.value for k in ConventionKind)
PARTY_ROLES = tuple(r.value for r in PartyRole)
LINE_KINDS = tuple(k.value for k in LineKind)
ORDER_STATUSES = tuple(k.value for k in OrderStatus)
DEADLINE_KINDS = tuple(k.value for k in DeadlineKind)


class Labels(Mapping[str, str]):
    """Code → the words a person reads for it, in the language of the moment.

    The messages are written in English (marked with ``N_`` for the ``store`` catalog)
    and translated when read, so a table built at import reads in the language chosen
    later; an unknown code reads as itself (``.get(code, code)``)."""

    def __init__(self, messages: dict[str, str]):
        self.messages = messages

    def __getitem__(self, code: str) -> str:
        return _(self.messages[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def label(self, code: str | None, unknown: str = "—") -> str:
        """The words for ``code``; the code itself when it has none; ``unknown`` for None."""
        if code is None or code == "":
            return unknown
        message = self.messages.get(code)
        return code if message is None else _(message)


CONVENTION_KIND_LABELS = Labels({"convention": N_("convention"), "avenant": N_("amendment")})
PARTY_ROLE_LABELS = Labels(
    {
        # i18n: the party that delegates the budget (French public finance: « délégant »)
        "délégant": N_("delegating party"),
        # i18n: the party the budget is delegated to (« délégataire »)
        "délégataire": N_("delegated party"),
        "other": N_("other party"),
    }
)
LINE_KIND_LABELS = Labels({"payment": N_("payment"), "engagement": N_("commitment")})
DEADLINE_KIND_LABELS = Labels(
    {
        "deliverable": N_("deliverable"),
        "convention_end": N_("end of convention"),
        "renewal": N_("renewal"),
        "committee": N_("committee"),
        "reporting": N_("report"),
        "other": N_("other"),
    }
)
# The same, short, for a narrow column.
DEADLINE_KIND_SHORT = Labels(
    {
        **DEADLINE_KIND_LABELS.messages,
        # i18n: short for "end of convention", in a narrow column
        "convention_end": N_("end of conv."),
        # i18n: short for "renewal", in a narrow column
        "renewal": N_("renew."),
    }
)
STATUS_LABELS = Labels(
    {
        "in_force": N_("in force"),
        "pending": N_("unsigned"),
        "upcoming": N_("not yet in force"),
        "ended": N_("ended"),
    }
)


def convention_kind_label(code: str | None) -> str:
    return CONVENTION_KIND_LABELS.label(code)


def party_role_label(code: str | None) -> str:
    return PARTY_ROLE_LABELS.label(code)


def line_kind_label(code: str | None) -> str:
    return LINE_KIND_LABELS.label(code)


def deadline_kind_label(code: str | None, *, short: bool = False) -> str:
    return (DEADLINE_KIND_SHORT if short else DEADLINE_KIND_LABELS).label(code)


def status_label(code: str | None) -> str:
    return STATUS_LABELS.label(code)


# A committee's decision (the stored codes never change).
DECISION_LABELS = Labels(
    {
        "six_months": N_("six months funded"),
        "provisional": N_("provisional funding"),
        "stop": N_("stop"),
        "undecided": N_("not decided"),
    }
)


def decision_label(code: str | None, months: int | None = None) -> str:
    """A decision in words; a provisional one says for how many months."""
    words = DECISION_LABELS.label(code)
    if code == "provisional" and months:
        n = i18n.Domain("store").ngettext("({n} month)", "({n} months)", months)
        words += " " + n.format(n=months)
    return words


# --- derived deadlines' titles ------------------------------------------------------------

# A convention's end is a deadline nobody types in: derived, and kept in the derived
# tables under one title whatever the language of the run that derived it (the French
# one below); it is titled in the language of the moment where it is read
# (:func:`deadline_title`).
CONVENTION_END_PREFIX = "Fin de la "


def convention_end_title(convention_title: str | None) -> str:
    """The stored title of a convention's end: ``Fin de la convention de service``."""
    name = convention_title or "convention"
    if name.startswith("Convention"):
        name = "c" + name[1:]
    return CONVENTION_END_PREFIX + name


def deadline_title(title: str, kind: str | None, derived: bool) -> str:
    """The title of a deadline as a person reads it: a derived convention end in the
    language of the moment (``End of the convention de service``), any other as typed."""
    if derived and kind == DeadlineKind.CONVENTION_END and title.startswith(CONVENTION_END_PREFIX):
        return _end_title(i18n.current()).format(convention=title[len(CONVENTION_END_PREFIX) :])
    return title


@lru_cache(maxsize=4)
def _end_title(language: str) -> str:
    """The convention end's title in a language (once per language: a report titles
    thousands of them)."""
    return _("End of the {convention}")


# What people write for a line's kind (CSV exports, the command line), folded.
LINE_KIND_WORDS = {
    "engagement": "engagement",
    "engagements": "engagement",
    "engage": "engagement",
    "paiement": "payment",
    "paiements": "payment",
    "payment": "payment",
    "payments": "payment",
}

# --- phases ----------------------------------------------------------------------------

# Phases in which a startup is expected to have money (GAP applies); the rest
# (abandon, transfert, opéré, alumni, success…) are end states.
ACTIVE_PHASES = frozenset({"investigation", "construction", "acceleration", "consolidation"})
# Order of advancement, for ties between phases starting the same day; every other name
# is an end state, ranked after them.
PHASE_ORDER = {"investigation": 0, "construction": 1, "acceleration": 2, "consolidation": 3}
END_STATE_RANK = 4
# Phase codes as beta.gouv.fr writes them → how a person reads them.
PHASE_LABELS = Labels(
    {
        "investigation": N_("investigation"),
        "construction": N_("construction"),
        "acceleration": N_("acceleration"),
        "consolidation": N_("consolidation"),
        # i18n: the phase "transfere": the service was handed over to an administration
        "transfere": N_("transferred"),
        # i18n: the phase "opere": the service is run by an operator
        "opere": N_("operated"),
        "abandon": N_("abandoned"),
        "abandon-investigation": N_("abandoned (investigation)"),
        "alumni": N_("alumni"),
        "success": N_("success"),
        "death": N_("abandoned"),
    }
)


def phase_label(code: str | None, unknown: str = "—") -> str:
    """``transfere`` → ``transféré`` (English ``transferred``); an unknown phase as written."""
    return PHASE_LABELS.label(code, unknown)


def phase_rank(name: str | None) -> int:
    """A phase's place in the order of advancement (an end state: after every active one)."""
    return PHASE_ORDER.get(name or "", END_STATE_RANK)


def phase_sort_key(name: str | None) -> tuple[bool, int, str]:
    """Phases in the order of advancement, unknown (None) last."""
    return (name is None, phase_rank(name), name or "")


# --- alerts -----------------------------------------------------------------------------

# Alert code → (words, severity).  The codes themselves are the rules' (store.rules.budget)
# and never change with the language; the words do.
ALERT_LABELS: dict[str, tuple[str, str]] = {
    # i18n: alert GAP: an active startup with no convention in force
    "GAP": (N_("no convention"), "critical"),
    # i18n: alert OVERSPENT: more consumed than the envelope
    "OVERSPENT": (N_("overspent"), "critical"),
    # i18n: alert EXPIRING: the convention ends soon
    "EXPIRING": (N_("expiring"), "warning"),
    # i18n: alert UNSIGNED: a convention not signed yet
    "UNSIGNED": (N_("unsigned"), "warning"),
    # i18n: alert EXHAUSTS_BEFORE_END: at this pace the money runs out before the end
    "EXHAUSTS_BEFORE_END": (N_("runs out before end"), "warning"),
    # i18n: alert UNATTRIBUTED: money consumed outside any convention
    "UNATTRIBUTED": (N_("outside convention"), "critical"),
    # i18n: alert ENGAGED_AFTER_END: a commitment after the convention's end
    "ENGAGED_AFTER_END": (N_("committed after end"), "warning"),
    # i18n: alert OVERDUE: a deadline passed and not done
    "OVERDUE": (N_("overdue"), "critical"),
    # i18n: alert AMOUNT_UNKNOWN: a convention whose ceiling is unknown
    "AMOUNT_UNKNOWN": (N_("amount ?"), "info"),
    # i18n: alert UNDERSPEND: much less consumed than the time elapsed
    "UNDERSPEND": (N_("underspend"), "info"),
    # i18n: alert END_UNKNOWN: a convention in force with no known end date
    "END_UNKNOWN": (N_("end unknown"), "warning"),
    # i18n: alert CP_UNPAID: CP scheduled for the year not paid by the payment cut-off
    "CP_UNPAID": (N_("CP unpaid"), "warning"),
    # A purchase order's own (``startups orders``), and so the startup's.
    # i18n: alert ORDER_LATE: an order with no service fait past its expected delivery
    "ORDER_LATE": (N_("delivery late"), "warning"),
    # i18n: alert PAID_BEYOND_SF: more paid than the services faits of the order
    "PAID_BEYOND_SF": (N_("paid > service fait"), "critical"),
    # i18n: alert ORDER_NOT_IN_CHORUS: an order the latest Chorus export of its centre financier does not list
    "ORDER_NOT_IN_CHORUS": (N_("order not in Chorus"), "warning"),
    # i18n: alert ORDER_NOT_PLACED: past the order cut-off, next January is not covered by orders
    "ORDER_NOT_PLACED": (N_("January not ordered"), "warning"),
    # The investment committee's lead times.
    # i18n: alert NO_COMMITTEE_BEFORE_EXHAUSTION: the money runs out within 45 days, no committee before
    "NO_COMMITTEE_BEFORE_EXHAUSTION": (N_("no committee before money runs out"), "critical"),
    # i18n: alert ENDS_BEFORE_COMMITTEE: a convention ends before the next committee, no successor
    "ENDS_BEFORE_COMMITTEE": (N_("ends before committee"), "warning"),
    # i18n: alert FUNDING_UNSIGNED: funding decided 30 days ago, no convention signed
    "FUNDING_UNSIGNED": (N_("funding unsigned"), "critical"),
}


def alert_label(code: str) -> str:
    """The words for an alert code, in the language of the moment (the code if unknown)."""
    found = ALERT_LABELS.get(code)
    return code if found is None else _(found[0])


def alert_severity(code: str) -> str:
    return ALERT_LABELS.get(code, (code, "info"))[1]


# --- imputation --------------------------------------------------------------------------

# A convention's budget imputation: the eight codes by which the money is booked
# (columns of ``convention``, label), in the order they are shown.
_IMPUTATION_MESSAGES: tuple[tuple[str, str], ...] = (
    # i18n: imputation code: the budget programme (LOLF)
    ("programme", N_("Programme")),
    # i18n: imputation code: budget opérationnel de programme, kept as the acronym
    ("bop", N_("BOP")),
    # i18n: imputation code: unité opérationnelle, kept as the acronym
    ("uo", N_("UO")),
    # i18n: imputation code: « brique »
    ("brique", N_("Brick")),
    ("activite", N_("Activity")),
    ("domaine_fonctionnel", N_("Functional area")),
    ("centre_couts", N_("Cost centre")),
    ("service_executant", N_("Executing department")),
)
IMPUTATION_KEYS: tuple[str, ...] = tuple(key for key, _label in _IMPUTATION_MESSAGES)
IMPUTATION_LABELS = Labels(dict(_IMPUTATION_MESSAGES))


class _ImputationFields(Sequence[tuple[str, str]]):
    """(column, label) in the order they are shown, the label in the language of the moment."""

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        key = IMPUTATION_KEYS[index]
        return key, IMPUTATION_LABELS[key]

    def __len__(self) -> int:
        return len(IMPUTATION_KEYS)


IMPUTATION_FIELDS = _ImputationFields()


def imputation_label(key: str) -> str:
    """``domaine_fonctionnel`` → ``Domaine fonctionnel`` (English ``Functional area``)."""
    return IMPUTATION_LABELS.label(key)


# --- French months ----------------------------------------------------------------------

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MONTHS_FR_SHORT = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)

# Month names and abbreviations as texts write them, keyed by their folded spelling
# (lower case, no accents: ``store.rules.text.fold``).
MONTH_WORDS: dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}


def parse_line_kind(text: str) -> str:
    """``Paiement`` / ``payment`` / ``ENGAGEMENT`` → ``payment`` or ``engagement``."""
    kind = LINE_KIND_WORDS.get(fold(text))
    if kind is None:
        if not text.strip():
            raise ValueError(_("is empty (expected engagement or paiement)"))
        raise ValueError(_("is neither engagement nor paiement"))
    return kind
