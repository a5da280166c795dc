"""The brief's money is `show`'s: every figure, AE and CP apart, and the alerts in words.

Each figure of the brief's money section is rebuilt here from `startups show --format
json` for the same day (and the orders from `startups orders --format json`), then looked
for in the Markdown brief; the same figures must be in `show`'s own text.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from commands.render.brief import ALERT_WORDS, alert_words
from store.fmt import day, eur, months
from store.rules.budget import ALERT_CODES
from store.rules.committee import LEAD_TIME_ALERTS as LEAD_CODES
from store.rules.vocab import alert_label

DATES = ("2018-06-01", "2018-09-15", "2019-03-01")
SLUGS = ("classe-a-12", "dossiersco")


def _section(page: str, heading: str) -> list[str]:
    """The lines of the section under ``## heading`` (up to the next heading)."""
    lines = page.splitlines()
    start = lines.index(f"## {heading}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [line for line in lines[start:end] if line]


def _end(value: str | None) -> str:
    return day(dt.date.fromisoformat(value)) if value else "inconnue"


def _check(run, db, slug: str, on: str) -> str:
    card = run("show", slug, "--db", db, "--as-of", on, "--format", "json").json()
    text = run("show", slug, "--db", db, "--as-of", on).out
    orders = run("orders", slug, "--db", db, "--as-of", on, "--format", "json").json()["orders"]
    result = run("brief", slug, "--db", db, "--as-of", on)
    assert result.code == 0, result.err
    page = result.out
    a = card["assessment"]

    # Each convention in force: ceiling, engagé, payé, reste à engager, reste à payer, end.
    money = _section(page, "Argent par convention en vigueur")
    in_force = [c for c in card["conventions"] if c["status"] == "in_force"]
    if not in_force:
        assert money[0] == "Aucune convention en vigueur."
    for c in in_force:
        name = f"#{c['id']} {c['title'] or ''}".strip()
        row = (
            f"| {name} | {eur(c['ceiling_on_cents'])} | "
            f"{eur(c['consumed_cents'])} | {eur(c['paid_cents'])} | "
            f"{eur(c['to_engage_cents'])} | {eur(c['to_pay_cents'])} | "
            f"{_end(c['ends_on_effective'])} |"
        )
        assert row in money, (row, money)
    rows = [line for line in money if line.startswith("| #")]
    assert len(rows) == len(in_force)

    # The startup's totals, as show says them (in its JSON and in its text).
    envelope = eur(a["envelope_cents"], unknown="inconnue") if a["conventions_in_force"] else None
    if envelope is not None:
        assert f"- Enveloppe en vigueur : {envelope}" in money
    else:
        assert "- Enveloppe en vigueur : aucune convention en vigueur" in money
    # No convention (none in force, no envelope, none awaiting signature): as show says
    # it, a sum of nothing recorded is —, never 0 €.
    without = not a["conventions_in_force"] and not a["envelope_cents"] and not a["pending_cents"]

    def said(cents):
        return "—" if without and not cents else eur(cents)

    left = "—" if without else eur(a["remaining_cents"])
    assert f"- Engagé (AE) : {said(a['engaged_cents'])} ; reste à engager : {left}" in money
    assert (
        f"- Payé (CP) : {said(a['paid_cents'])} ; reste à payer : {said(a['to_pay_cents'])}"
        in money
    )
    rate = said(a["burn_rate_cents_per_month"])
    assert any(line.startswith(f"- Rythme actuel d’engagement (90 jours) : {rate} par mois ;")
               for line in money)  # fmt: skip
    if a["runway_months"] is not None:
        assert any(line.endswith(f"autonomie : {months(a['runway_months'])}") for line in money)
    if card["cp_left_this_year_eur"] is not None:
        cp_left = eur(card["cp_left_this_year_eur"] * 100)
        assert any(line.endswith(f"pas encore payés : {cp_left}") for line in money)
    for figure in (a["engaged_cents"], a["paid_cents"], a["to_pay_cents"]):
        assert said(figure) in text
    assert (f"{rate}/mois" if rate != "—" else "Rythme (90 jours)") in text

    # The orders in flight: open, not fully paid; the figures of `startups orders`.
    flight = _section(page, "Bons de commande en cours")
    expected = [o for o in orders if o["status"] not in ("paid", "closed", "cancelled")
                and o["to_pay_eur"] > 0]  # fmt: skip
    if not expected:
        assert flight == [
            "Aucun bon de commande en cours (ouvert et pas entièrement payé) à cette date."
        ]
    for o in expected:
        figures = " | ".join(
            eur(o[k] * 100) for k in ("engaged_eur", "service_fait_eur", "paid_eur", "to_pay_eur")
        )
        start = f"| {o['ej']} | {o['supplier']} | {day(dt.date.fromisoformat(o['date']))} | "
        (line,) = [x for x in flight if x.startswith(start)]
        assert f" | {figures} | " in line
        for code in o["alerts"]:
            assert alert_label(code) in line
        if not o["alerts"]:
            assert line.endswith("| — |")
    assert len([x for x in flight if x.startswith("| ") and not x.startswith("| EJ")]) == len(
        expected
    )

    # The alerts: show's, in words and in show's order, then the committee's; no code.
    alerts = [line[2:] for line in _section(page, "Alertes")]
    words = [alert_words(code) for code in a["alerts"]]
    assert alerts[: len(words)] == words or (not words and alerts[0] == "Aucune alerte.")
    lead = {alert_words(code) for code in LEAD_CODES}
    assert all(x in lead for x in alerts[len(words) :] if x != "Aucune alerte.")
    assert not re.search(r"\b[A-Z]{2,}_[A-Z_]+\b", page), "an alert code reached the page"
    return page


@pytest.mark.parametrize("on", DATES)
@pytest.mark.parametrize("slug", SLUGS)
def test_the_demos_money_is_shows(run, demo_db, slug, on):
    _check(run, demo_db, slug, on)


def test_a_store_with_orders_and_payments(run, demo_db):
    db = demo_db
    assert run("order", "add", "classe-a-12", "--date", "2018-07-01", "--amount", "20 000",
               "--ej", "1300012345", "--supplier", "Octo", "--label", "Développement",
               "--expected", "2018-08-01", "--db", db).code == 0  # fmt: skip
    assert run("order", "add", "classe-a-12", "--date", "2018-08-10", "--amount", "10 000",
               "--ej", "1300012346", "--supplier", "Scalingo", "--db", db).code == 0  # fmt: skip
    assert run("order", "add", "classe-a-12", "--date", "2018-08-12", "--amount", "3 000",
               "--ej", "1300012347", "--supplier", "Matomo", "--db", db).code == 0  # fmt: skip
    assert run("order", "done", "1300012346", "--date", "2018-08-20", "--amount", "2 000",
               "--db", db).code == 0  # fmt: skip
    assert run("order", "pay", "1300012346", "--date", "2018-09-01", "--amount", "4 000",
               "--db", db).code == 0  # fmt: skip
    assert run("order", "done", "1300012347", "--date", "2018-08-20", "--amount", "3 000",
               "--db", db).code == 0  # fmt: skip
    assert run("order", "pay", "1300012347", "--date", "2018-09-02", "--amount", "3 000",
               "--db", db).code == 0  # fmt: skip
    page = _check(run, db, "classe-a-12", "2018-09-15")
    flight = "\n".join(_section(page, "Bons de commande en cours"))
    # Hand-computed: 123 000 € of direct payments in the seeds, plus 33 000 € of orders
    # engaged; 127 000 € + 3 000 € paid.
    assert (
        "| #1 Convention de service | 269\u202f700\xa0€ | 156\u202f000\xa0€ | 130\u202f000\xa0€ | "
        in page
    )
    assert "| 1300012345 | Octo | 01/07/2018 | 20\u202f000\xa0€ | 0\xa0€ | 0\xa0€ | 20\u202f000\xa0€ | ouvert | livraison en retard (prévue le 01/08/2018) |" in flight  # fmt: skip
    assert "payé > service fait" in flight
    assert "1300012347" not in flight  # fully paid: no longer in flight
    # Before the orders: none in flight; the day of the first one, it is.
    assert "1300012345" not in _check(run, db, "classe-a-12", "2018-06-30")
    _check(run, db, "classe-a-12", "2018-07-01")
    _check(run, db, "classe-a-12", "2019-03-01")


def test_every_alert_has_words():
    # A sentence for each code known today; a code added later reads at least in the
    # portfolio's words, never as its code.
    for code in (*ALERT_CODES, *LEAD_CODES, "ORDER_LATE", "PAID_BEYOND_SF"):
        assert code in ALERT_WORDS or alert_label(code) != code, code
        assert alert_words(code) != code
    assert alert_words("END_UNKNOWN") == "Une convention en vigueur n’a pas de date de fin connue."


def test_the_html_chart_draws_engaged_and_paid(run, demo_db):
    db = demo_db
    assert run("order", "add", "classe-a-12", "--date", "2018-07-01", "--amount", "20 000",
               "--db", db).code == 0  # fmt: skip
    on = "2018-09-15"
    burn = run("burn", "classe-a-12", "--db", db, "--as-of", on, "--format", "json").json()
    page = run("brief", "classe-a-12", "--db", db, "--as-of", on, "--format", "html").out
    import html

    for key, series in (("consumed_eur", "engaged_eur"), ("paid_eur", "paid_eur")):
        found = re.search(rf'<polyline class="{key}"[^>]* data-values="([^"]*)"', page)
        values = json.loads(html.unescape(found[1]))
        assert values == [p[series] for p in burn["series"]], key
    engaged = [p["engaged_eur"] for p in burn["series"] if p["engaged_eur"] is not None]
    paid = [p["paid_eur"] for p in burn["series"] if p["paid_eur"] is not None]
    assert engaged != paid  # the order is engaged, not paid: the two lines part
