"""The published budget ("Dépenses numériques"), on figures computed by hand."""

from __future__ import annotations

import datetime as dt

from store.rules.budget import StaffingFacts
from store.rules.publish import (
    ACTIVITIES,
    ORDER,
    ORDER_PAYMENT,
    RESOURCES,
    ModelLine,
    PublishedLine,
    ScheduleFacts,
    SpendLine,
    activity_of,
    model_lines,
    published_lines,
    resource_of,
)

D = dt.date


def test_activities_and_resources_are_the_reference_lists():
    assert activity_of("Développeur full-stack") == "Développeur"
    assert activity_of("Coach") == "Manageur / MOA / Coaching / PO/PM / Pilotage"
    assert activity_of("Designer UX") == "Designer"
    assert activity_of("Hébergement cloud Scalingo") == "Hébergement cloud"
    assert activity_of("Achat divers") == "Autre"
    assert resource_of("Licence logiciel") == "Logiciel / SaaS / PaaS"
    assert resource_of("Achat divers") == "Autre"
    assert {activity_of(a) for a in ACTIVITIES} <= set(ACTIVITIES)
    assert "Prestations externes" in RESOURCES


def test_actuals_then_forecast_from_the_staffing_plan():
    # On Friday 28 June 2024: 12 000 € engaged and 5 000 € paid for developers this year,
    # one 2023 line left out, one line after D left out.
    lines = [
        SpendLine(D(2024, 2, 1), 1_200_000, "engagement", "Développeur"),
        SpendLine(D(2024, 3, 1), 500_000, "payment", "Développeur"),
        SpendLine(D(2023, 12, 1), 999_900, "payment", "Développeur"),
        SpendLine(D(2024, 7, 1), 777_700, "payment", "Développeur"),
    ]
    # One designer at 600 € a day from 1 July to 31 July 2024: 23 working days
    # (1–5, 8–12, 15–19, 22–26 July: 20, then 29, 30, 31): 13 800 €.
    plan = [StaffingFacts(1, D(2024, 7, 1), D(2024, 7, 31), 60_000, role="Designer")]
    got = published_lines(2024, D(2024, 6, 28), lines, plan, [])
    assert got == [
        PublishedLine(2024, "réalisé", "Développeur", "Prestations externes", 1_700_000, 500_000),
        PublishedLine(
            2024, "prévisionnel", "Designer", "Prestations externes", 1_380_000, 1_380_000
        ),
    ]


def test_forecast_from_the_schedule_without_a_plan():
    # The 2020 schedule plans 50 000 € AE and CP; 20 000 € were paid against it by D.
    lines = [SpendLine(D(2020, 3, 1), 2_000_000, "payment", "Achat", convention_id=7)]
    got = published_lines(2020, D(2020, 6, 30), lines, [], [ScheduleFacts(7, 5_000_000, 5_000_000)])
    assert got == [
        PublishedLine(2020, "réalisé", "Autre", "Autre", 2_000_000, 2_000_000),
        PublishedLine(2020, "prévisionnel", "Autre", "Autre", 3_000_000, 3_000_000),
    ]
    # A past year: actuals only.
    assert published_lines(
        2020, D(2021, 1, 15), lines, [], [ScheduleFacts(7, 5_000_000, 5_000_000)]
    ) == [PublishedLine(2020, "réalisé", "Autre", "Autre", 2_000_000, 2_000_000)]


def test_the_reference_lists_are_the_documentations():
    # publier-son-budget.md, "Activités" and "Ressources", in its order and its spelling.
    assert ACTIVITIES == (
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
    assert RESOURCES == (
        "Personnel",
        "Prestations externes",
        "Matériel",
        "Logiciel / SaaS / PaaS",
        "Frais de structure (locaux, assurances, impôts et taxes)",
        "Autre",
    )
    # Each activity's description, as words a coach types.
    assert activity_of("Intrapreneur") == "Manageur / MOA / Coaching / PO/PM / Pilotage"
    assert activity_of("Gestion de projet") == "Manageur / MOA / Coaching / PO/PM / Pilotage"
    assert activity_of("Homologation RGPD") == "Sécurité"
    assert activity_of("Infrastructure as code (IaC)") == "Ops"
    assert activity_of("Marketing et partenariats") == (
        "Déploiement / Communication / Relations institutionnelles"
    )
    assert activity_of("Résolution des incidents") == "Support"
    assert activity_of("Développement et coaching") == "Développeur"
    assert activity_of("Gestion financière et RH") == "Gestion administrative"
    assert resource_of("Redevance annuelle") == "Logiciel / SaaS / PaaS"
    assert resource_of("Honoraires de conseil") == "Prestations externes"
    assert resource_of("Rémunération des agents") == "Personnel"
    assert resource_of("Loyer des locaux") == (
        "Frais de structure (locaux, assurances, impôts et taxes)"
    )


def test_an_order_is_ae_its_payments_cp():
    # An order of 10 000 € in March, 4 000 € paid on it in April, a direct payment of
    # 1 000 € (AE and CP) and an engagement line of 500 € (AE): as of 30 June.
    lines = [
        SpendLine(D(2024, 3, 1), 1_000_000, ORDER, "Scalingo"),
        SpendLine(D(2024, 4, 1), 400_000, ORDER_PAYMENT, "Scalingo"),
        SpendLine(D(2024, 5, 1), 100_000, "payment", "Scalingo"),
        SpendLine(D(2024, 5, 2), 50_000, "engagement", "Scalingo"),
    ]
    got = published_lines(2024, D(2024, 6, 30), lines, [], [])
    assert got == [
        PublishedLine(
            2024, "réalisé", "Hébergement cloud", "Logiciel / SaaS / PaaS", 1_150_000, 500_000
        )
    ]


def test_the_model_has_one_line_per_year_activity_and_resource():
    # June: the actuals to date and the forecast of the rest of the year, one line.
    lines = [
        PublishedLine(2024, "réalisé", "Designer", "Prestations externes", 100, 50),
        PublishedLine(2024, "réalisé", "Développeur", "Prestations externes", 1_000, 900),
        PublishedLine(2024, "prévisionnel", "Développeur", "Prestations externes", 2_000, 2_000),
    ]
    assert model_lines(lines) == [
        ModelLine(2024, 3_000, 2_900, "Développeur", "Prestations externes"),
        ModelLine(2024, 100, 50, "Designer", "Prestations externes"),
    ]
