"""`startups publish`: the French CSV dialect round-trips, the figures are the store's,
AE read from what is engaged (orders and direct payments) and CP from the payments."""

from __future__ import annotations

import csv
import io

from commands.publish import BOM, COLUMNS, from_csv, to_csv
from store.rules.publish import ModelLine


def test_the_columns_are_the_models():
    # The "référentiel de saisie": the year with its AE and CP, then activity and resource.
    assert COLUMNS == ("Année", "AE", "CP", "Activité", "Ressource")


def test_csv_round_trip_in_the_french_dialect(run, demo_db, tmp_path):
    out = tmp_path / "budget.csv"
    result = run("publish", "dossiersco", "--year", "2018", "--as-of", "2018-12-31",
                 "--db", demo_db, "--output", out)  # fmt: skip
    assert result.code == 0, result.err
    raw = out.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    text = raw.decode("utf-8")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    # DossierSco's four demo lines of 2018 ("prestations", "Développement — …"): 90 000 €
    # of direct payments, in AE and in CP, written with a decimal comma.
    assert rows[1:] == [["2018", "90000,00", "90000,00", "Développeur", "Prestations externes"]]
    lines = from_csv(text)
    assert lines == [ModelLine(2018, 9_000_000, 9_000_000, "Développeur", "Prestations externes")]
    assert to_csv(lines) == text


def test_round_trip_keeps_cents_and_odd_text():
    lines = [
        ModelLine(2024, 123_456_789, 1, "Développeur", "Prestations externes"),
        ModelLine(2024, 5, 0, "Autre", "Frais de structure (locaux, assurances, impôts et taxes)"),
        ModelLine(2024, 0, 7, 'Autre; "guillemets"', "Autre"),
    ]
    assert from_csv(to_csv(lines)) == lines
    assert "1234567,89" in to_csv(lines)


def test_an_order_is_ae_and_its_payment_cp(run, demo_db):
    # Classe à 12 has no money, no staffing plan and no schedule in 2019: an order of
    # 10 000 € and a payment of 4 000 € on it are the whole year.
    db = demo_db
    assert run("order", "add", "classe-a-12", "--date", "2019-03-01", "--amount", "10 000",
               "--ej", "1300099999", "--supplier", "Scalingo", "--label", "Hébergement",
               "--db", db).code == 0  # fmt: skip
    assert run("order", "pay", "1300099999", "--date", "2019-04-01", "--amount", "4 000",
               "--db", db).code == 0  # fmt: skip
    result = run("publish", "classe-a-12", "--year", "2019", "--as-of", "2019-12-31", "--db", db)
    assert result.code == 0, result.err
    assert from_csv(result.out) == [
        ModelLine(2019, 1_000_000, 400_000, "Hébergement cloud", "Logiciel / SaaS / PaaS")
    ]
    # As of the day before the payment: engaged, nothing paid yet.
    early = run("publish", "classe-a-12", "--year", "2019", "--as-of", "2019-03-31", "--db", db)
    assert from_csv(early.out) == [
        ModelLine(2019, 1_000_000, 0, "Hébergement cloud", "Logiciel / SaaS / PaaS")
    ]


def test_the_years_ae_and_cp_are_shows_engage_and_paye(run, demo_db):
    # DossierSco, 2018: 90 000 € of direct payments; an order of 5 000 € in October,
    # 2 000 € of it paid in November: AE 95 000 €, CP 92 000 €, as show counts them.
    db = demo_db
    assert run("order", "add", "dossiersco", "--date", "2018-10-01", "--amount", "5 000",
               "--ej", "1300088888", "--label", "Développement", "--db", db).code == 0  # fmt: skip
    assert run("order", "pay", "1300088888", "--date", "2018-11-01", "--amount", "2 000",
               "--db", db).code == 0  # fmt: skip
    on = "2018-12-31"
    lines = from_csv(run("publish", "dossiersco", "--year", "2018", "--as-of", on, "--db", db).out)
    card = run("show", "dossiersco", "--db", db, "--as-of", on, "--format", "json").json()
    years = [y for c in card["conventions"] for y in c["years"] if y["year"] == 2018]
    assert sum(x.ae_cents for x in lines) == sum(y["engaged_cents"] for y in years) == 9_500_000
    assert sum(x.cp_cents for x in lines) == sum(y["paid_cents"] for y in years) == 9_200_000
    assert card["assessment"]["engaged_cents"] == 9_500_000  # nothing engaged before 2018


def test_markdown_and_errors(run, demo_db):
    result = run("publish", "dossiersco", "--year", "2018", "--as-of", "2018-12-31",
                 "--format", "markdown", "--db", demo_db)  # fmt: skip
    assert result.code == 0, result.err
    assert (
        "| 2018 | 90\u202f000,00\xa0€ | 90\u202f000,00\xa0€ | Développeur | Prestations externes |"
        in result.out
    )
    assert "- Réalisé jusqu’au 31/12/2018 : AE 90\u202f000,00\xa0€, CP 90\u202f000,00\xa0€." in (
        result.out
    )
    assert run("publish", "nobody", "--year", "2018", "--db", demo_db).code == 2
    assert run("publish", "dossiersco", "--year", "12", "--db", demo_db).code == 2
