"""The published budget ("Dépenses numériques"), on figures computed by hand."""

from __future__ import annotations

import datetime as dt

from store.rules.budget import StaffingFacts
from store.rules.publish import (
    ACTIVITIES,
    RESOURCES,
    PublishedLine,
    ScheduleFacts,
    SpendLine,
    activity_of,
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
