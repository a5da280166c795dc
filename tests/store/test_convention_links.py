"""What the importer makes of the new facts: the act's own date as its conclusion, a FAST
convention linked to the startup's award, the startup found by its sponsor among several."""

from __future__ import annotations

import datetime as dt
import pathlib
import sqlite3

from sqlmodel import select

from store.importers.convention.extract import extract_file
from store.importers.convention.plan import apply_import, plan_import
from store.models import (
    Convention,
    ConventionParty,
    FastAward,
    FastPromotion,
    Organisation,
    Startup,
    StartupSponsor,
)
from store.open import open_store

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "conventions"
FAST14 = FIXTURES / "fast_subvention_fast14.txt"
CLASSE_2018 = ROOT / "examples" / "conventions" / "classe-a-12_convention_2018-04-12.txt"

PARTIES = (
    "Entre :\n"
    "la DINUM, représentée par Jean Dupont, délégataire, d'une part,\n"
    "et\n"
    "la DGESCO, représentée par Marie Curie, délégant, d'autre part.\n"
)


def _store(db: pathlib.Path, *rows_of):
    s = open_store(str(db), create=True)
    with s.session() as session:
        for make in rows_of:
            make(session)
    return s


def _fast14(title: str, amount_cents: int | None):
    def make(session):
        startup = Startup(slug="immersion", title=title, source="test")
        promotion = FastPromotion(number=14, title="FAST 14 - Janvier 2024")
        session.add_all([startup, promotion])
        session.flush()
        session.add(
            FastAward(
                startup_id=startup.id,
                promotion_id=promotion.id,
                laureate_name="Immersion facilitée",
                amount_cents=amount_cents,
                source="test",
            )
        )

    return make


def test_a_fast_convention_finds_its_startup_by_its_award_and_fills_its_amount(db_path):
    s = _store(db_path, _fast14("Plateforme de l'immersion", None))
    extraction = extract_file(FAST14)
    with s.session() as session:
        plan = plan_import(session, extraction)
        assert not plan.problems, plan.problems
        assert plan.startup.slug == "immersion"
        assert plan.startup.how == "trouvée par sa dotation FAST à « Immersion facilitée »"
        assert plan.fast_award is not None and plan.fast_award.number == 14
        assert plan.fast_award_values == {"amount_cents": 150_000_00}
        summary = "\n".join(plan.summary())
        assert "FAST : la dotation FAST 14 à « Immersion facilitée »" in summary
        assert "son montant fixé à 150" in summary
        result = apply_import(session, plan)
    assert result.fast_award_id is not None and "dotation FAST" in result.summary()
    with s.session() as session:
        award = session.exec(select(FastAward)).one()
        assert award.amount_cents == 150_000_00
        convention = session.exec(select(Convention)).one()
        assert convention.ceiling_cents == 150_000_00
        assert (convention.signed_on, convention.ends_on) == (
            dt.date(2024, 2, 15),
            dt.date(2025, 2, 14),
        )
        assert "dotation FAST 14" in convention.notes and "150" in convention.notes
        parties = session.exec(select(ConventionParty).order_by(ConventionParty.position)).all()
        assert [(p.name, p.role, p.signed_on) for p in parties] == [
            ("DINUM", "financeur", dt.date(2024, 2, 15)),
            (
                "Groupement d'intérêt public Plateforme de l'inclusion",
                "bénéficiaire",
                dt.date(2024, 2, 12),
            ),
        ]
    s.dispose()


def test_a_known_award_amount_is_kept_and_the_difference_shown(db_path):
    s = _store(db_path, _fast14("Immersion facilitée", 120_000_00))
    with s.session() as session:
        plan = plan_import(session, extract_file(FAST14))
        assert plan.startup.how == "trouvée par le service « Immersion facilitée »"
        assert plan.fast_award is not None and plan.fast_award_values == {}
        assert ("montant de la dotation FAST 14", "120 000 €", "150 000 €") in [
            (
                a,
                b.replace("\u202f", " ").replace("\xa0", " "),
                c.replace("\u202f", " ").replace("\xa0", " "),
            )
            for a, b, c in plan.differences
        ]
    s.dispose()


def test_a_fast_convention_without_its_award_warns(db_path):
    def startup(session):
        session.add(Startup(slug="immersion", title="Immersion facilitée", source="test"))

    s = _store(db_path, startup)
    with s.session() as session:
        plan = plan_import(session, extract_file(FAST14))
        assert plan.fast_award is None
        assert any("pas de dotation FAST 14" in w for w in plan.warnings)
    s.dispose()


def test_the_acts_own_date_is_its_conclusion_when_no_signature_date_is_given(
    db_path, tmp_path, run
):
    def startup(session):
        session.add(Startup(slug="mon-service", title="Mon Service", source="test"))

    _store(db_path, startup).dispose()
    convention = tmp_path / "convention.txt"
    convention.write_text(
        "Convention du 3 mars 2021 relative au service numérique « Mon Service »\n\n"
        + PARTIES
        + "\nArticle 1\nLa DINUM est tenue à concurrence de 80 000 €.\n"
        "La présente convention est conclue pour une durée de douze mois à compter de sa "
        "signature.\n",
        encoding="utf-8",
    )
    result = run("import", "convention", convention, "--db", db_path, "--yes")
    assert result.code == 0, result.err
    assert "conclue : le 03/03/2021, la date de l'acte lui-même (son titre)" in result.out
    with sqlite3.connect(db_path) as con:
        signed, ends, notes, evidence = con.execute(
            "SELECT signed_on, ends_on, notes, evidence FROM convention"
        ).fetchone()
    assert (signed, ends) == ("2021-03-03", "2022-03-02")
    assert "la date que donne son titre" in notes
    assert '"dated_on"' in evidence and '"signed_on"' not in evidence
    report = run("report", "--db", db_path, "--as-of", "2021-06-01", "--format", "json").json()
    (row,) = report["startups"]
    assert row["envelope_eur"] == 80000.0 and row["pending_eur"] == 0.0  # in force, not pending

    avenant = tmp_path / "avenant.txt"
    avenant.write_text(
        "Avenant n° 1 du 9-6-2021 à la convention du 3 mars 2021\n\n"
        + PARTIES
        + "\nArticle 1\nLe montant maximum est porté à 100 000 €.\n",
        encoding="utf-8",
    )
    result = run(
        "import", "convention", avenant, "--db", db_path, "--startup", "mon-service", "--yes"
    )
    assert result.code == 0, result.err
    with sqlite3.connect(db_path) as con:
        rows = con.execute(
            "SELECT id, kind, parent_id, signed_on FROM convention ORDER BY id"
        ).fetchall()
    assert rows == [(1, "convention", None, "2021-03-03"), (2, "avenant", 1, "2021-06-09")]


def test_a_startup_is_found_by_its_sponsor_among_those_of_the_same_name(db_path):
    def startups(session):
        one = Startup(slug="classe-a-12", title="Classe à 12", source="test")
        two = Startup(slug="classe-a-12-bis", title="CLASSE A 12", source="test")
        men = Organisation(slug="men", name="Ministère de l'Éducation nationale", acronym="MEN")
        session.add_all([one, two, men])
        session.flush()
        session.add(StartupSponsor(startup_id=one.id, organisation_id=men.id))

    s = _store(db_path, startups)
    with s.session() as session:
        plan = plan_import(session, extract_file(CLASSE_2018))
        assert not plan.problems
        assert plan.startup.slug == "classe-a-12"
        assert (
            plan.startup.how == "trouvée par le service « Classe à 12 » et son sponsor, une partie"
        )
    s.dispose()
