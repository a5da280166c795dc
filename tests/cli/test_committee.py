"""`startups committee add|decide|list`, and the lead-time alerts read from the store."""

from __future__ import annotations

import datetime as dt

from store.open import open_reader as reading
from store.queries.card import build_card
from store.queries.committee import lead_time


def test_add_decide_list(run, demo_db):
    result = run(
        "committee", "add", "20/09/2018", "--startup", "classe-a-12", "--startup", "dossiersco",
        "--comment", "Comité de rentrée", "--db", demo_db,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "2 startups ajoutées" in result.out
    result = run(
        "committee", "decide", "2018-09-20", "classe-a-12", "--decision", "provisional",
        "--months", "2", "--granted", "40 000", "--db", demo_db,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "financement provisoire (2 mois), 40\u202f000\xa0€ accordés" in result.out
    listed = run("committee", "list", "--db", demo_db)
    assert listed.out.splitlines()[1:] == [
        "  classe-a-12: financement provisoire (2 mois), 40\u202f000\xa0€ accordés",
        "  dossiersco: non décidé",
    ]
    assert "Comité de rentrée" in listed.out.splitlines()[0]


def test_bad_decisions_are_one_line_and_exit_2(run, demo_db):
    run("committee", "add", "2018-09-20", "--startup", "dossiersco", "--db", demo_db)
    for args in (
        ("--decision", "maybe"),
        ("--decision", "provisional", "--months", "4"),
        ("--decision", "six_months", "--granted", "beaucoup"),
    ):
        result = run("committee", "decide", "2018-09-20", "dossiersco", *args, "--db", demo_db)
        assert result.code == 2, args
        assert len(result.err.strip().splitlines()) == 1
    result = run("committee", "decide", "2019-01-01", "dossiersco", "--decision", "stop",
                 "--db", demo_db)  # fmt: skip
    assert result.code == 2 and "aucun comité le 2019-01-01" in result.err
    assert "non décidé" in run("committee", "list", "--db", demo_db).out


def test_lead_time_on_the_demo(run, demo_db):
    # Classe à 12's 2018 convention ends on 1 October 2018, with no successor signed:
    # on 1 June 2018 it ends within six months, and a committee on 15 October is too late.
    run("committee", "add", "2018-10-15", "--startup", "classe-a-12", "--db", demo_db)
    on = dt.date(2018, 6, 1)
    with reading(str(demo_db)) as reader:
        card = build_card(reader, "classe-a-12", on)
        late = lead_time(reader, card)
    assert late.next_committee == dt.date(2018, 10, 15)
    assert "ENDS_BEFORE_COMMITTEE" in late.alerts
    run("committee", "add", "2018-09-20", "--startup", "classe-a-12", "--db", demo_db)
    with reading(str(demo_db)) as reader:
        in_time = lead_time(reader, build_card(reader, "classe-a-12", on))
    assert in_time.next_committee == dt.date(2018, 9, 20)
    assert "ENDS_BEFORE_COMMITTEE" not in in_time.alerts
