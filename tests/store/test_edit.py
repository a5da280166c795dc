"""store.edit: the editing API behind the forms (validation names the field; one transaction)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from store.errors import InvalidField, NotFound
from store.open import open_store
from store.ops.edit import (
    ConventionInput,
    DeadlineInput,
    LineInput,
    MeasurementInput,
    PartyInput,
    convention_input,
    format_schedule,
    parse_cents,
    parse_date,
    parse_schedule,
    save_convention,
    save_deadline,
    save_line,
    save_measurement,
    set_deadline_done,
)


@pytest.fixture
def demo_store(demo_db):
    s = open_store(str(demo_db), create=False)
    yield s
    s.dispose()


def counts(path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {
            t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in (
                "convention",
                "convention_party",
                "schedule_line",
                "consumption_line",
                "deadline",
                "measurement",
            )
        }
    finally:
        con.close()


def test_parsers():
    assert parse_date("d", "2018-12-05") == dt.date(2018, 12, 5)
    assert parse_date("d", "  ") is None
    assert parse_cents("a", "269 700") == 26_970_000
    assert parse_cents("a", "50\u202f000,50 €") == 5_000_050
    assert parse_cents("a", "") is None
    assert parse_schedule("s", "2021: 10000/8000; 2020: 50000/50000") == [
        (2020, 5_000_000, 5_000_000),
        (2021, 1_000_000, 800_000),
    ]
    assert parse_schedule("s", format_schedule([(2020, 5_000_050, None)])) == [
        (2020, 5_000_050, None)
    ]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: parse_date("ends_on", "2019-02-30"), "ends_on"),
        (lambda: parse_date("ends_on", "30/02/2019"), "ends_on"),
        (lambda: parse_date("date", "", required=True), "date"),
        (lambda: parse_cents("amount", "-5"), "amount"),
        (lambda: parse_cents("amount", "12,345"), "amount"),
        (lambda: parse_cents("amount", "douze"), "amount"),
        (lambda: parse_cents("amount", "0", positive=True), "amount"),
        (lambda: parse_schedule("schedule", "2020 50000"), "schedule"),
        (lambda: parse_schedule("schedule", "2020: 1/1; 2020: 2/2"), "schedule"),
    ],
)
def test_parse_errors_name_the_field(call, field):
    with pytest.raises(InvalidField) as info:
        call()
    assert info.value.field == field
    assert info.value.exit_code == 2


def test_new_avenant_with_parties_schedule_and_imputation(demo_store, demo_db):
    before = counts(demo_db)
    with demo_store.session() as s:
        from sqlmodel import select

        from store.models import Convention

        parent = s.exec(
            select(Convention).where(Convention.source == "demo:dossiersco/convention-2018")
        ).one()
    new_id = save_convention(
        demo_store,
        ConventionInput(
            startup="dossiersco",
            kind="avenant",
            parent_id=str(parent.id),
            number="2",
            title="Avenant n° 2",
            ends_on="2019-12-31",
            ceiling="250 000",
            parties=[
                PartyInput(name="MENJ", role="délégant", signed_on="2019-03-01"),
                PartyInput(name="DINUM", role="délégataire", signed_on="2019-03-04"),
                PartyInput(),
            ],
            schedule="2019: 50000/40000",
            imputation={"programme": "214", "uo": ""},
        ),
    )
    after = counts(demo_db)
    assert after["convention"] == before["convention"] + 1
    assert after["convention_party"] == before["convention_party"] + 2
    assert after["schedule_line"] == before["schedule_line"] + 1
    back = convention_input(demo_store, new_id)
    assert back.kind == "avenant" and back.parent_id == parent.id and back.number == 2
    assert back.ceiling_cents == 25_000_000 and back.ends_on == dt.date(2019, 12, 31)
    assert [p.signed_on for p in back.parties] == [dt.date(2019, 3, 1), dt.date(2019, 3, 4)]
    assert back.schedule == [(2019, 5_000_000, 4_000_000)]
    assert back.imputation["programme"] == "214" and back.imputation["uo"] is None


def test_editing_keeps_what_the_form_does_not_show(demo_store):
    with demo_store.session() as s:
        from sqlmodel import select

        from store.models import Convention

        cid = s.exec(
            select(Convention.id).where(Convention.source == "demo:classe-a-12/convention-2018")
        ).one()
    data = convention_input(demo_store, cid)
    data.ceiling = "300000"
    data.ceiling_cents = None
    save_convention(demo_store, data)
    again = convention_input(demo_store, cid)
    assert again.ceiling_cents == 30_000_000
    assert again.parties[0].representative_title.startswith("Secrétaire générale")
    assert again.imputation["bop"] == "0214-CEN2"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "avenant"}, "parent_id"),
        ({"ceiling": "-1"}, "ceiling"),
        ({"starts_on": "2019-01-01", "ends_on": "2018-12-31"}, "ends_on"),
        ({"ends_on": "2019-02-29"}, "ends_on"),
        ({"parties": [PartyInput(representative="X")]}, "parties.0.name"),
        ({"parties": [PartyInput(name="X", signed_on="2019-13-01")]}, "parties.0.signed_on"),
        ({"kind": "avenant", "parent_id": "99999"}, "parent_id"),
        ({"number": "zéro"}, "number"),
    ],
)
def test_convention_validation_writes_nothing(demo_store, demo_db, changes, field):
    before = counts(demo_db)
    data = ConventionInput(startup="classe-a-12", title="Nouvelle", **changes)
    with pytest.raises(InvalidField) as info:
        save_convention(demo_store, data)
    assert info.value.field == field
    assert counts(demo_db) == before


def test_unknown_startup(demo_store):
    with pytest.raises(NotFound):
        save_convention(demo_store, ConventionInput(startup="nope"))


def test_line_is_attributed_and_validated(demo_store, demo_db):
    before = counts(demo_db)
    line_id = save_line(
        demo_store,
        LineInput(startup="classe-a-12", date="2018-09-10", amount="1 000,50", label="Hébergement"),
    )
    con = sqlite3.connect(demo_db)
    amount, counted = con.execute(
        "SELECT amount_cents, counted_convention_id FROM consumption_line WHERE id = ?", (line_id,)
    ).fetchone()
    con.close()
    assert amount == 100_050 and counted is not None  # inside the 2018 convention's period
    for changes, field in (
        ({"amount": "-10"}, "amount"),
        ({"date": "2018-02-30"}, "date"),
        ({"label": " "}, "label"),
        ({"kind": "gift"}, "kind"),
        ({"convention_id": "99999"}, "convention_id"),
    ):
        values = {"date": "2018-09-10", "amount": "10", "label": "x", **changes}
        with pytest.raises(InvalidField) as info:
            save_line(demo_store, LineInput(startup="classe-a-12", **values))
        assert info.value.field == field
    assert counts(demo_db)["consumption_line"] == before["consumption_line"] + 1


def test_deadline_and_done(demo_store, demo_db):
    deadline_id = save_deadline(
        demo_store,
        DeadlineInput(startup="dossiersco", date="2019-06-30", title="Comité", kind="committee"),
    )
    set_deadline_done(demo_store, deadline_id, True, dt.date(2019, 7, 1))
    con = sqlite3.connect(demo_db)
    row = con.execute("SELECT done, done_on FROM deadline WHERE id = ?", (deadline_id,)).fetchone()
    con.close()
    assert row == (1, "2019-07-01")
    with pytest.raises(InvalidField) as info:
        save_deadline(demo_store, DeadlineInput(startup="dossiersco", date="2019-06-31", title="x"))
    assert info.value.field == "date"


def test_measurement(demo_store, demo_db):
    con = sqlite3.connect(demo_db)
    objective = con.execute("SELECT id FROM objective ORDER BY id").fetchone()[0]
    con.close()
    save_measurement(demo_store, MeasurementInput(objective, "2019-09-02", "4,7", "rentrée"))
    with pytest.raises(InvalidField) as info:
        save_measurement(demo_store, MeasurementInput(objective, "2019-09-02", "beaucoup"))
    assert info.value.field == "value"
    with pytest.raises(InvalidField) as info:
        save_measurement(demo_store, MeasurementInput(None, "2019-09-02", "1"))
    assert info.value.field == "objective_id"
