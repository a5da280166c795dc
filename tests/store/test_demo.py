"""The seed portfolio reproduces every fact the seed documents fix (DESIGN.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select

from store import models as m
from store.demo import ILLUSTRATIVE, load_demo
from store.open import open_store


def report(run, db, day: str) -> dict:
    result = run("report", "--db", db, "--as-of", day, "--format", "json")
    assert result.code == 0, result.err
    return {s["slug"]: s for s in result.json()["startups"]} | {"_": result.json()}


def test_report_on_2018_06_01_matches_the_design_example(run, demo_url):
    r = report(run, demo_url, "2018-06-01")
    c12 = r["classe-a-12"]
    assert c12 == {
        "slug": "classe-a-12",
        "title": "Classe à 12",
        "phase": "acceleration",
        "incubator": "dinum",
        "sponsors": ["dgesco"],
        "envelope_eur": 269700.0,
        "pending_eur": 0.0,
        "consumed_eur": 0.0,
        "remaining_eur": 269700.0,
        "engaged_eur": 0.0,
        "paid_eur": 0.0,
        "to_pay_eur": 0.0,
        "cp_left_this_year_eur": None,
        "unattributed_eur": 0.0,
        "burn_rate_eur_per_month": 0.0,
        "runway_months": None,
        "conventions_in_force": 1,
        "next_deadline": {
            "date": "2018-09-01",
            "title": "Version utilisable par les enseignants disponible",
        },
        "alerts": [],
    }
    assert r["_"]["schema"] == "startups.report/1"
    assert r["_"]["as_of"] == "2018-06-01"
    assert r["_"]["totals"] == {
        "startups": 2,
        "envelope_eur": 269700.0,
        "envelope_unknown": 1,
        "pending_eur": 0.0,
        "consumed_eur": 0.0,
        "remaining_eur": 269700.0,
    }
    sco = r["dossiersco"]
    assert sco["envelope_eur"] is None  # the 2018 convention's ceiling is not given
    assert sco["remaining_eur"] is None
    assert "AMOUNT_UNKNOWN" in sco["alerts"]
    assert sco["sponsors"] == ["menjs"]
    assert sco["phase"] == "construction"


def test_dossiersco_avenant_sets_the_ceiling_once_signed_by_both(run, demo_url):
    # Signed 30 Nov 2018 (MEN) and 5 Dec 2018 (DINSIC): in force from 5 Dec.
    assert report(run, demo_url, "2018-12-04")["dossiersco"]["envelope_eur"] is None
    sco = report(run, demo_url, "2018-12-31")["dossiersco"]
    assert sco["envelope_eur"] == 200000.0
    assert sco["conventions_in_force"] == 1
    assert "AMOUNT_UNKNOWN" not in sco["alerts"]


def test_classe_a_12_convention_ends_on_1_october_2018(run, demo_url):
    assert report(run, demo_url, "2018-10-01")["classe-a-12"]["conventions_in_force"] == 1
    after = report(run, demo_url, "2018-10-02")["classe-a-12"]
    assert after["conventions_in_force"] == 0
    assert after["envelope_eur"] is None and after["remaining_eur"] is None  # never 0
    assert "GAP" in after["alerts"]


def test_classe_a_12_is_expiring_on_15_september_2018(run, demo_url):
    c12 = report(run, demo_url, "2018-09-15")["classe-a-12"]
    assert "EXPIRING" in c12["alerts"]
    assert "OVERDUE" in c12["alerts"]  # the usable version due 1 Sept is not marked done
    assert c12["next_deadline"]["date"] == "2018-10-01"


def test_2020_convention_is_pending_not_in_force(run, demo_url):
    c12 = report(run, demo_url, "2020-06-01")["classe-a-12"]
    assert c12["pending_eur"] == 50000.0
    assert c12["conventions_in_force"] == 0
    assert c12["envelope_eur"] is None  # no convention in force: unknown, not 0
    assert "UNSIGNED" in c12["alerts"]
    assert "GAP" in c12["alerts"]
    assert report(run, demo_url, "2019-06-01")["classe-a-12"]["pending_eur"] == 0.0


def test_before_any_convention(run, demo_url):
    sco = report(run, demo_url, "2018-01-15")["dossiersco"]
    assert sco["conventions_in_force"] == 0
    assert "GAP" in sco["alerts"]  # in construction since 30 Nov 2017, no convention yet


def test_seed_facts_in_the_store(demo_url):
    s = open_store(str(demo_url))
    with s.session() as session:

        def startup(slug):
            return session.exec(select(m.Startup).where(m.Startup.slug == slug)).one()

        c12, sco = startup("classe-a-12"), startup("dossiersco")
        convs = {c.source: c for c in session.exec(select(m.Convention)).all()}
        c2018 = convs["demo:classe-a-12/convention-2018"]
        assert (c2018.programme, c2018.bop, c2018.uo) == ("214", "0214-CEN2", "INFO")
        assert (c2018.brique, c2018.activite, c2018.domaine_fonctionnel) == (
            "021404DI02",
            "021404DI02-04",
            "0214-08-02",
        )
        assert c2018.ceiling_cents == 26_970_000 and c2018.ends_on == dt.date(2018, 10, 1)
        c2020 = convs["demo:classe-a-12/convention-fast-2020"]
        assert c2020.signed_on is None
        assert c2020.uo == "0181-CPRI-ELAB"
        assert (c2020.ends_on, c2020.ends_on_precision) == (dt.date(2021, 12, 31), "month")
        parties_2020 = session.exec(
            select(m.ConventionParty).where(m.ConventionParty.convention_id == c2020.id)
        ).all()
        assert [p.role for p in parties_2020] == ["délégant", "délégataire"]
        assert all(p.signed_on is None for p in parties_2020)
        schedule = session.exec(
            select(m.ScheduleLine).where(m.ScheduleLine.convention_id == c2020.id)
        ).one()
        assert (schedule.year, schedule.ae_cents, schedule.cp_cents) == (2020, 5_000_000, 5_000_000)
        avenant_1 = convs["demo:classe-a-12/avenant-1"]
        assert avenant_1.parent_id == c2018.id and avenant_1.ceiling_cents is None

        sco_2018 = convs["demo:dossiersco/convention-2018"]
        assert sco_2018.ceiling_cents is None and sco_2018.ends_on is None
        assert sco_2018.signed_on == dt.date(2018, 4, 12)
        avenant = convs["demo:dossiersco/avenant-2018-12"]
        assert avenant.parent_id == sco_2018.id and avenant.ceiling_cents == 20_000_000
        dates = session.exec(
            select(m.ConventionParty.signed_on).where(m.ConventionParty.convention_id == avenant.id)
        ).all()
        assert sorted(dates) == [dt.date(2018, 11, 30), dt.date(2018, 12, 5)]

        phases = session.exec(select(m.Phase).where(m.Phase.startup_id == sco.id)).all()
        assert {(p.name, p.start, p.end) for p in phases} == {
            ("investigation", dt.date(2017, 9, 1), dt.date(2017, 11, 30)),
            ("construction", dt.date(2017, 11, 30), dt.date(2019, 9, 15)),
            ("abandon", dt.date(2019, 9, 15), None),
        }
        award = session.exec(select(m.FastAward).where(m.FastAward.startup_id == c12.id)).one()
        promo = session.get(m.FastPromotion, award.promotion_id)
        assert promo.number == 2
        staffing = session.exec(
            select(m.StaffingLine).where(m.StaffingLine.startup_id == sco.id)
        ).one()
        assert (staffing.headcount, staffing.starts_on, staffing.ends_on) == (
            2,
            dt.date(2018, 4, 1),
            dt.date(2018, 9, 30),
        )
        objectives = {
            o.metric: o
            for o in session.exec(select(m.Objective).where(m.Objective.startup_id == sco.id))
        }
        assert objectives["Collèges utilisateurs"].target == 100
        assert objectives["Élèves touchés"].target == 50_000
        values = {
            session.get(m.Objective, x.objective_id).metric: x.value
            for x in session.exec(select(m.Measurement))
        }
        assert values["Dossiers de réinscription traités"] == 750
        assert values["Satisfaction des familles"] == 4.5
        assert values["Collèges utilisateurs"] == 4
        for line in session.exec(select(m.ConsumptionLine)):
            assert line.source == ILLUSTRATIVE
            assert line.date >= dt.date(2018, 6, 1)
    s.dispose()


def _counts(path) -> dict[str, int]:
    s = open_store(str(path))
    with s.session() as session:
        counts = {
            t.__tablename__: session.exec(select(func.count()).select_from(t)).one()
            for t in m.ALL_TABLES
        }
    s.dispose()
    return counts


def test_loading_twice_changes_nothing(demo_url, run):
    before = _counts(demo_url)
    result = run("demo", "--db", demo_url, "--no-tui")
    assert result.code == 0, result.err
    assert "rien d’ajouté" in result.err
    assert _counts(demo_url) == before


@pytest.mark.parametrize("as_of", ["2018-06-01", "2018-12-31"])
def test_demo_prints_the_report(run, engine_url, as_of):
    result = run("demo", "--db", engine_url, "--no-tui", "--as-of", as_of)
    assert result.code == 0, result.err
    assert "Classe à 12" in result.out and "DossierSCO" in result.out


def test_load_demo_returns_what_it_created(engine_store):
    assert load_demo(engine_store).created > 0
    assert load_demo(engine_store).created == 0


def test_classe_a_12_over_time_alerts(run, demo_url):
    assert report(run, demo_url, "2018-06-01")["classe-a-12"]["alerts"] == []
    assert "GAP" in report(run, demo_url, "2019-06-01")["classe-a-12"]["alerts"]
    c12 = report(run, demo_url, "2020-06-01")["classe-a-12"]
    assert c12["pending_eur"] == 50000.0 and "UNSIGNED" in c12["alerts"]
    # 15 Sept 2018: 123 000 € spent in the 90 days, 41 000 €/month; 146 700 € left,
    # 16 days to the end: 124 833 € would be left (46 % > 20 %).
    sept = report(run, demo_url, "2018-09-15")["classe-a-12"]
    assert sept["burn_rate_eur_per_month"] == 41000.0
    assert sept["runway_months"] == 3.6  # 146 700 / 41 000
    assert sept["alerts"] == ["EXPIRING", "OVERDUE", "UNDERSPEND"]
