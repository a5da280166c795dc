"""The budget a team publishes, in the incubator's "Dépenses numériques" model (pure).

Twice a year (January: last year's actuals and this year's forecast; June: the updated
forecast), one line per year, activity and resource, with its amounts in AE and CP.  The
activities and resources are the incubator's reference lists, written as it writes them.

- *Actuals* of year N: the startup's consumption lines of N dated on or before D; every
  line counts in AE (what the store counts against the ceilings), the payments in CP too.
- *Forecast* of year N, from the day after D (or 1 January, when N is later) to
  31 December: the staffing plan (headcount × daily rate × working days), in AE and in
  CP; without a plan for that stretch, what each convention's AE/CP schedule for N
  still leaves once the year's actuals counted against it are taken off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from store.rules.budget import StaffingFacts, staffing_cost_cents
from store.rules.text import fold_words

ACTIVITIES = (
    "Data",
    "Hébergement non cloud",
    "Hébergement cloud",
    "Ops",
    "Réseau",
    "Gestion administrative",
    "Sécurité",
    "Déploiement / Communication / Relations institutionnelles",
    "Support",
    "Développeur",
    "Manageur / MOA / Coaching / PO/PM / Pilotage",
    "Designer",
    "Autre",
)
RESOURCES = (
    "Personnel",
    "Prestations externes",
    "Matériel",
    "Logiciel / SaaS / PaaS",
    "Frais de structure (locaux, assurances, impôts et taxes)",
    "Autre",
)
OTHER = "Autre"
EXTERNAL = "Prestations externes"
ACTUAL, FORECAST = "réalisé", "prévisionnel"

# Words of a role, category or label → activity (the first that matches).
_ACTIVITY_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("hebergement cloud", "scalingo", "clever", "cloud"), "Hébergement cloud"),
    (("hebergement", "serveur"), "Hébergement non cloud"),
    (("securite", "homologation", "audit secu", "pentest"), "Sécurité"),
    (("data", "donnees"), "Data"),
    (("ops", "devops", "sre"), "Ops"),
    (("reseau", "vpn"), "Réseau"),
    (("support",), "Support"),
    (
        ("deploiement", "bizdev", "communication", "marketing", "partenariat"),
        "Déploiement / Communication / Relations institutionnelles",
    ),
    (("design", "designer", "designeuse", "ux", "ui"), "Designer"),
    (
        ("coach", "product owner", "po", "pm", "intra", "chef de projet", "pilotage", "moa"),
        "Manageur / MOA / Coaching / PO/PM / Pilotage",
    ),
    (
        (
            "dev",
            "developpeur",
            "developer",
            "full stack",
            "fullstack",
            "backend",
            "frontend",
            "logiciel",
            "licence",
            "saas",
        ),
        "Développeur",
    ),
    (("administratif", "gestion", "rh"), "Gestion administrative"),
)
_RESOURCE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("licence", "logiciel", "saas", "paas", "abonnement", "scalingo", "clever"),
        "Logiciel / SaaS / PaaS",
    ),
    (("materiel", "ordinateur", "poste"), "Matériel"),
    (
        ("locaux", "loyer", "assurance", "impot", "taxe"),
        "Frais de structure (locaux, assurances, impôts et taxes)",
    ),
    (("agent", "personnel", "salaire", "titulaire", "contractuel"), "Personnel"),
    (
        (
            "prestation",
            "freelance",
            "marche",
            "bon de commande",
            "tjm",
            "dev",
            "developpeur",
            "design",
            "coach",
            "intra",
        ),
        EXTERNAL,
    ),
)


def _match(text: str, table: tuple[tuple[tuple[str, ...], str], ...], default: str) -> str:
    words = f" {fold_words(text)} "
    for keys, value in table:
        if any(f" {k} " in words for k in keys):
            return value
    return default


def activity_of(text: str) -> str:
    """The reference activity a role, category or label names (``Autre`` when none)."""
    return _match(text, _ACTIVITY_WORDS, OTHER)


def resource_of(text: str, default: str = OTHER) -> str:
    return _match(text, _RESOURCE_WORDS, default)


@dataclass(frozen=True)
class SpendLine:
    """One consumption line as the publication needs it."""

    date: dt.date
    cents: int
    kind: str  # engagement | payment
    text: str  # its category, else its label
    convention_id: int | None = None


@dataclass(frozen=True)
class ScheduleFacts:
    convention_id: int
    ae_cents: int | None
    cp_cents: int | None


@dataclass(frozen=True)
class PublishedLine:
    year: int
    nature: str  # réalisé | prévisionnel
    activity: str
    resource: str
    ae_cents: int
    cp_cents: int


def published_lines(
    year: int,
    on: dt.date,
    lines: Iterable[SpendLine],
    staffing: Sequence[StaffingFacts],
    schedule: Sequence[ScheduleFacts],
) -> list[PublishedLine]:
    """The year's lines: actuals then forecast, each summed per activity and resource."""
    totals: dict[tuple[str, str, str], list[int]] = {}

    def add(nature: str, activity: str, resource: str, ae: int, cp: int) -> None:
        t = totals.setdefault((nature, activity, resource), [0, 0])
        t[0] += ae
        t[1] += cp

    actual_by_convention: dict[int | None, list[int]] = {}
    for line in lines:
        if line.date.year != year or line.date > on:
            continue
        cp = line.cents if line.kind == "payment" else 0
        add(ACTUAL, activity_of(line.text), resource_of(line.text), line.cents, cp)
        a = actual_by_convention.setdefault(line.convention_id, [0, 0])
        a[0] += line.cents
        a[1] += cp
    first = max(on + dt.timedelta(days=1), dt.date(year, 1, 1))
    last = dt.date(year, 12, 31)
    planned = False
    if first <= last:
        for s in staffing:
            cost = staffing_cost_cents([s], first, last)
            if cost:
                planned = True
                add(FORECAST, activity_of(s.role), resource_of(s.role, EXTERNAL), cost, cost)
        if not planned:
            for sch in schedule:
                done_ae, done_cp = actual_by_convention.get(sch.convention_id, [0, 0])
                ae = max(0, (sch.ae_cents or 0) - done_ae)
                cp = max(0, (sch.cp_cents or 0) - done_cp)
                if ae or cp:
                    add(FORECAST, OTHER, OTHER, ae, cp)
    order = {ACTUAL: 0, FORECAST: 1}
    return [
        PublishedLine(year, nature, activity, resource, ae, cp)
        for (nature, activity, resource), (ae, cp) in sorted(
            totals.items(),
            key=lambda kv: (order[kv[0][0]], ACTIVITIES.index(kv[0][1]), RESOURCES.index(kv[0][2])),
        )
    ]
