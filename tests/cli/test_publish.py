"""`startups publish`: the French CSV dialect round-trips, the figures are the store's."""

from __future__ import annotations

import csv
import io

from commands.publish import BOM, COLUMNS, from_csv, to_csv
from store.rules.publish import PublishedLine


def test_csv_round_trip_in_the_french_dialect(run, demo_db, tmp_path):
    out = tmp_path / "budget.csv"
    result = run("publish", "dossiersco", "--year", "2018", "--as-of", "2018-12-31",
                 "--db", demo_db, "--output", out)  # fmt: skip
    assert result.code == 0, result.err
    raw = out.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    # DossierSco's four demo lines of 2018: 90 000 € in all, written with a decimal comma.
    assert rows[1:] == [["2018", "réalisé", "Autre", "Autre", "90000,00", "90000,00"]]
    lines = from_csv(text)
    assert lines == [PublishedLine(2018, "réalisé", "Autre", "Autre", 9_000_000, 9_000_000)]
    assert to_csv(lines) == text


def test_round_trip_keeps_cents_and_odd_text():
    lines = [
        PublishedLine(2024, "prévisionnel", "Développeur", "Prestations externes", 123_456_789, 1),
        PublishedLine(
            2024,
            "réalisé",
            "Autre",
            "Frais de structure (locaux, assurances, impôts et taxes)",
            5,
            0,
        ),
    ]
    assert from_csv(to_csv(lines)) == lines
    assert "1234567,89" in to_csv(lines)


def test_markdown_and_errors(run, demo_db):
    result = run("publish", "dossiersco", "--year", "2018", "--as-of", "2018-12-31",
                 "--format", "markdown", "--db", demo_db)  # fmt: skip
    assert result.code == 0, result.err
    assert (
        "| 2018 | réalisé | Autre | Autre | 90\u202f000,00\xa0€ | 90\u202f000,00\xa0€ |"
        in result.out
    )
    assert run("publish", "nobody", "--year", "2018", "--db", demo_db).code == 2
    assert run("publish", "dossiersco", "--year", "12", "--db", demo_db).code == 2
