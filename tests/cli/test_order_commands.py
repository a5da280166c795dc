"""``startups orders``, ``order add``, ``order done``, ``order pay`` on the demo.

DossierSco's convention of 2018 is in force in 2019 with its avenant's ceiling of
200 000 €, and 150 000 € already paid directly (the demo's lines): recording an order of
6 000 € then paying 3 000 € of it moves engagé by 6 000 € once and payé by 3 000 € once.
"""

from __future__ import annotations

DAY = "2019-06-30"


def _row(run, db) -> dict:
    result = run("report", "--db", db, "--as-of", DAY, "--format", "json")
    assert result.code == 0, result.err
    return {s["slug"]: s for s in result.json()["startups"]}["dossiersco"]


def test_an_order_then_its_payment_on_the_demo(run, demo_db):
    before = _row(run, demo_db)
    added = run(
        "order", "add", "dossiersco", "--date", "10/01/2019", "--ej", "1300000042",
        "--supplier", "Octo", "--line", "Développement:10:600", "--expected", "2019-02-28",
        "--db", demo_db,
    )  # fmt: skip
    assert added.code == 0, added.err
    engaged = _row(run, demo_db)
    assert engaged["engaged_eur"] == before["engaged_eur"] + 6_000
    assert engaged["paid_eur"] == before["paid_eur"]
    assert (
        run(
            "order",
            "done",
            "1300000042",
            "--date",
            "2019-02-01",
            "--amount",
            "3000",
            "--db",
            demo_db,
        ).code
        == 0
    )
    paid = run(
        "order",
        "pay",
        "1300000042",
        "--date",
        "2019-03-01",
        "--amount",
        "3 000,00",
        "--db",
        demo_db,
    )
    assert paid.code == 0, paid.err
    after = _row(run, demo_db)
    assert after["engaged_eur"] == engaged["engaged_eur"]  # the payment engages nothing more
    assert after["consumed_eur"] == after["engaged_eur"]
    assert after["paid_eur"] == before["paid_eur"] + 3_000
    assert after["to_pay_eur"] == after["engaged_eur"] - after["paid_eur"]
    listed = run("orders", "dossiersco", "--db", demo_db, "--as-of", DAY, "--format", "json")
    assert listed.code == 0, listed.err
    [order] = listed.json()["orders"]
    assert {
        k: order[k]
        for k in (
            "ej",
            "supplier",
            "date",
            "engaged_eur",
            "service_fait_eur",
            "paid_eur",
            "to_pay_eur",
            "status",
        )
    } == {
        "ej": "1300000042",
        "supplier": "Octo",
        "date": "2019-01-10",
        "engaged_eur": 6_000.0,
        "service_fait_eur": 3_000.0,
        "paid_eur": 3_000.0,
        "to_pay_eur": 3_000.0,
        "status": "partly_delivered",
    }
    assert isinstance(order["convention_id"], int)
    table = run("orders", "dossiersco", "--db", demo_db, "--as-of", DAY)
    assert table.code == 0 and "1300000042" in table.out


def test_bad_order_input_is_one_line_and_exit_2(run, demo_db):
    for args in (
        ("order", "add", "dossiersco", "--date", "2019-01-10", "--amount", "douze"),
        ("order", "add", "dossiersco", "--date", "2019-01-10", "--line", "Dev:x:600"),
        ("order", "add", "nobody", "--date", "2019-01-10", "--amount", "12"),
        ("order", "pay", "404", "--date", "2019-01-10", "--amount", "12"),
        ("order", "done", "404", "--date", "2019-01-10", "--amount", "12"),
        ("orders", "nobody"),
    ):
        result = run(*args, "--db", demo_db)
        assert result.code == 2, (args, result.out, result.err)
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert "Traceback" not in result.err
    assert run("orders", "dossiersco", "--db", demo_db, "--format", "json").json() == {"orders": []}


def test_what_a_person_reads_gives_dates_the_french_way(run, demo_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    added = run(
        "order", "add", "dossiersco", "--date", "2019-01-10", "--ej", "1300000043",
        "--amount", "1000", "--db", demo_db,
    )  # fmt: skip
    assert added.code == 0 and "10/01/2019" in added.out, added.out
    table = run("orders", "dossiersco", "--db", demo_db, "--as-of", DAY)
    assert "30/06/2019" in table.out and "10/01/2019" in table.out
    assert "2019-" not in table.out
    unplaced = run("orders", "--unplaced", "--db", demo_db, "--as-of", DAY)
    assert unplaced.code == 0 and "30/06/2019" in unplaced.out
    english = run("--lang", "en", "orders", "dossiersco", "--db", demo_db, "--as-of", DAY)
    assert "2019-06-30" in english.out and "2019-01-10" in english.out
