"""The budget a team publishes, in the incubator's "Dépenses numériques" model (pure).

Source: the incubator's documentation (github betagouv/doc.incubateur.net-communaute),
``gerer-son-produit/aide-a-la-mise-en-application-des-standards/publier-son-budget.md``
(the "référentiel de saisie": the year of the spending with its amount in AE and in CP,
then one activity and one resource per line, from the two reference lists below, written
as it writes them and in its order) and the standard
``les-standards/transparence/le-produit-communique-sur-son-budget.md`` (formerly
``transparence/le-produit-communique-sur-son-budget.md``: publish twice a year, in
January last year's actuals and this year's forecast, in June the updated forecast; the
data is typed into the reference Grist "Dépenses numériques").  The Grist document itself
is linked from those pages, not contained in them: its columns are the page's facts, in
the page's order (``MODEL_COLUMNS``).

- *Actuals* of year N, dated in N and on or before D, AE and CP apart (as ``startups
  show`` counts them): AE is what was engaged, the purchase orders (not cancelled) plus
  the lines that name no order (engagement lines and direct payments); CP is every
  payment, of an order or direct.  An order's payments are CP only (never AE twice) and
  fall under the order's activity and resource.
- *Forecast* of year N, from the day after D (or 1 January, when N is later) to
  31 December: the staffing plan (headcount × daily rate × working days), in AE and in
  CP; without a plan for that stretch, what each convention's AE/CP schedule for N
  still leaves once the year's actuals counted against it are taken off.

The model has one line per year, activity and resource: a year's line is its actuals
plus its forecast (``model_lines``); ``published_lines`` keeps the two apart for a reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from store.rules.budget import StaffingFacts, staffing_cost_cents
from store.rules.text import fold_words
from store.rules.vocab import LineKind

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
# The model's facts, in the documentation's order: the year, its AE and CP, the activity
# and the resource (the CSV's header; a machine format: never translated).
MODEL_COLUMNS = ("Année", "AE", "CP", "Activité", "Ressource")

# What a piece of money is: an engagement line (AE), a direct payment (AE and CP), a
# purchase order (AE) or a payment of an order (CP).
ENGAGEMENT = LineKind.ENGAGEMENT.value
PAYMENT = LineKind.PAYMENT.value
ORDER = "order"
ORDER_PAYMENT = "order_payment"
_AE_CP = {ENGAGEMENT: (1, 0), PAYMENT: (1, 1), ORDER: (1, 0), ORDER_PAYMENT: (0, 1)}

# Words of a role, category or label → activity (the first that matches), from the
# documentation's description of each activity.
_ACTIVITY_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("hebergement cloud", "scalingo", "clever", "clevercloud", "cloud"), "Hébergement cloud"),
    (("hebergement", "serveur", "serveurs", "datacenter"), "Hébergement non cloud"),
    (
        (
            "securite",
            "cybersecurite",
            "homologation",
            "audit secu",
            "pentest",
            "rgpd",
            "protection des donnees",
        ),
        "Sécurité",
    ),
    (("data", "donnees", "analyse de donnees", "data scientist", "data engineer"), "Data"),
    (("ops", "devops", "sre", "iac", "exploitation", "infrastructure", "infra"), "Ops"),
    (("reseau", "vpn", "routeur", "bande passante"), "Réseau"),
    (("support", "incident", "incidents", "anomalie", "anomalies"), "Support"),
    (
        (
            "deploiement",
            "bizdev",
            "communication",
            "marketing",
            "partenariat",
            "partenariats",
            "acquisition",
            "relations institutionnelles",
        ),
        "Déploiement / Communication / Relations institutionnelles",
    ),
    (("design", "designer", "designeuse", "ux", "ui"), "Designer"),
    (
        (
            "dev",
            "developpeur",
            "developpeuse",
            "developpement",
            "developer",
            "full stack",
            "fullstack",
            "backend",
            "frontend",
            "logiciel",
            "licence",
            "licences",
            "saas",
        ),
        "Développeur",
    ),
    (
        (
            "coach",
            "coaching",
            "product owner",
            "product manager",
            "po",
            "pm",
            "intra",
            "intrapreneur",
            "intrapreneuse",
            "chef de projet",
            "gestion de projet",
            "pilotage",
            "moa",
            "manager",
            "manageur",
        ),
        "Manageur / MOA / Coaching / PO/PM / Pilotage",
    ),
    (
        ("administratif", "administrative", "gestion", "rh", "finances", "financiere"),
        "Gestion administrative",
    ),
)
# Words → resource (the first that matches), from the description of each resource.
_RESOURCE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        (
            "licence",
            "licences",
            "logiciel",
            "saas",
            "paas",
            "abonnement",
            "redevance",
            "scalingo",
            "clever",
            "clevercloud",
        ),
        "Logiciel / SaaS / PaaS",
    ),
    (("materiel", "ordinateur", "ordinateurs", "poste de travail"), "Matériel"),
    (
        ("locaux", "loyer", "assurance", "assurances", "impot", "impots", "taxe", "taxes"),
        "Frais de structure (locaux, assurances, impôts et taxes)",
    ),
    (
        ("agent", "agents", "personnel", "salaire", "titulaire", "contractuel", "remuneration"),
        "Personnel",
    ),
    (
        (
            "prestation",
            "prestations",
            "prestataire",
            "freelance",
            "marche",
            "bon de commande",
            "forfait",
            "honoraires",
            "conseil",
            "assistance technique",
            "tjm",
            "dev",
            "developpeur",
            "design",
            "designer",
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
    """One piece of money as the publication needs it: a consumption line or an order."""

    date: dt.date
    cents: int
    kind: str  # engagement | payment | order | order_payment
    text: str  # its category and label (an order's payment: its order's label and supplier)
    convention_id: int | None = None

    @property
    def ae_cents(self) -> int:
        return self.cents * _AE_CP[self.kind][0]

    @property
    def cp_cents(self) -> int:
        return self.cents * _AE_CP[self.kind][1]


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
        ae, cp = line.ae_cents, line.cp_cents
        add(ACTUAL, activity_of(line.text), resource_of(line.text), ae, cp)
        a = actual_by_convention.setdefault(line.convention_id, [0, 0])
        a[0] += ae
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


@dataclass(frozen=True)
class ModelLine:
    """One line of the model: a year, its AE and CP, one activity, one resource."""

    year: int
    ae_cents: int
    cp_cents: int
    activity: str
    resource: str


def model_lines(lines: Iterable[PublishedLine]) -> list[ModelLine]:
    """The lines as the model has them: actuals and forecast of a year, activity and
    resource summed into one line, in the reference lists' order."""
    totals: dict[tuple[int, str, str], list[int]] = {}
    for line in lines:
        t = totals.setdefault((line.year, line.activity, line.resource), [0, 0])
        t[0] += line.ae_cents
        t[1] += line.cp_cents
    return [
        ModelLine(year, ae, cp, activity, resource)
        for (year, activity, resource), (ae, cp) in sorted(
            totals.items(),
            key=lambda kv: (kv[0][0], ACTIVITIES.index(kv[0][1]), RESOURCES.index(kv[0][2])),
        )
    ]
