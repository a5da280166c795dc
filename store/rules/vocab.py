"""The store's vocabularies: every code the data holds, and the words people read for it.

One place for the kinds of convention, deadline and consumption line, the parties'
roles, the phases (their order, which are active, how they read), a convention's
status on a day, the alerts' words and severities, the imputation codes and the French
month names.  Codes are what the store and the machine formats (JSON, CSV, ICS) hold
and never change; labels are what a person reads.  Every layer (the rules, the forms,
the importers, ``startups show``, the app) takes them from here.
"""

from __future__ import annotations

from enum import StrEnum

from store.rules.text import fold


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

CONVENTION_KIND_LABELS = {"convention": "convention", "avenant": "avenant"}
PARTY_ROLE_LABELS = {"délégant": "délégant", "délégataire": "délégataire", "other": "autre"}
LINE_KIND_LABELS = {"payment": "paiement", "engagement": "engagement"}
DEADLINE_KIND_LABELS = {
    "deliverable": "livrable",
    "convention_end": "fin de convention",
    "renewal": "renouvellement",
    "committee": "comité",
    "reporting": "compte rendu",
    "other": "autre",
}
# The same, short, for a narrow column.
DEADLINE_KIND_SHORT = {
    **DEADLINE_KIND_LABELS,
    "convention_end": "fin de conv.",
    "renewal": "renouv.",
}
STATUS_LABELS = {
    "in_force": "en vigueur",
    "pending": "non signée",
    "upcoming": "pas encore en vigueur",
    "ended": "terminée",
}

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
PHASE_LABELS = {
    "investigation": "investigation",
    "construction": "construction",
    "acceleration": "accélération",
    "consolidation": "consolidation",
    "transfere": "transféré",
    "opere": "opéré",
    "abandon": "abandon",
    "abandon-investigation": "abandon (investigation)",
    "alumni": "alumni",
    "success": "succès",
    "death": "abandon",
}


def phase_rank(name: str | None) -> int:
    """A phase's place in the order of advancement (an end state: after every active one)."""
    return PHASE_ORDER.get(name or "", END_STATE_RANK)


def phase_sort_key(name: str | None) -> tuple[bool, int, str]:
    """Phases in the order of advancement, unknown (None) last."""
    return (name is None, phase_rank(name), name or "")


# --- alerts -----------------------------------------------------------------------------

# Alert code → (words, severity).  The codes themselves are the rules' (store.rules.budget).
ALERT_LABELS: dict[str, tuple[str, str]] = {
    "GAP": ("sans convention", "critical"),
    "OVERSPENT": ("dépassé", "critical"),
    "EXPIRING": ("expire", "warning"),
    "UNSIGNED": ("non signée", "warning"),
    "EXHAUSTS_BEFORE_END": ("épuisé avant fin", "warning"),
    "UNATTRIBUTED": ("hors convention", "critical"),
    "ENGAGED_AFTER_END": ("engagé après fin", "warning"),
    "OVERDUE": ("en retard", "critical"),
    "AMOUNT_UNKNOWN": ("montant ?", "info"),
    "UNDERSPEND": ("sous-conso", "info"),
    "CP_UNPAID": ("CP non payés", "warning"),
    # A purchase order's own (``startups orders``, the card).
    "ORDER_LATE": ("livraison en retard", "warning"),
    "PAID_BEYOND_SF": ("payé > service fait", "critical"),
}


def alert_label(code: str) -> str:
    return ALERT_LABELS.get(code, (code, "info"))[0]


def alert_severity(code: str) -> str:
    return ALERT_LABELS.get(code, (code, "info"))[1]


# --- imputation --------------------------------------------------------------------------

# A convention's budget imputation: the eight codes by which the money is booked
# (columns of ``convention``, label), in the order they are shown.
IMPUTATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("programme", "Programme"),
    ("bop", "BOP"),
    ("uo", "UO"),
    ("brique", "Brique"),
    ("activite", "Activité"),
    ("domaine_fonctionnel", "Domaine fonctionnel"),
    ("centre_couts", "Centre de coûts"),
    ("service_executant", "Service exécutant"),
)
IMPUTATION_KEYS: tuple[str, ...] = tuple(key for key, _label in IMPUTATION_FIELDS)
IMPUTATION_LABELS: dict[str, str] = dict(IMPUTATION_FIELDS)

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
            raise ValueError("is empty (expected engagement or paiement)")
        raise ValueError("is neither engagement nor paiement")
    return kind
