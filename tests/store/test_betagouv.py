"""`startups import betagouv`: beta.gouv.fr's own files into the store.

Most tests run on `tests/fixtures/betagouv/` (real files, copied) plus the files written
for the tests (`betagouv-own/`: pre-2020 schema, encodings, odd cases; `betagouv-bad/`:
one per kind of unreadable file).  A few run on the full shared snapshot, imported once
per module.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from store import models as m
from store.demo import load_demo
from store.importers.betagouv import read as bg
from store.importers.betagouv import write as bgw
from store.open import open_store
from store.rules.budget import PhaseFacts, phase_on
from tests.conftest import SHARED

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SNAPSHOT = SHARED / "data" / "betagouv"
D = dt.date


def tree(root: Path, *extra: str) -> Path:
    """A checkout in ``root``: the real fixture files plus the named written-for-tests sets."""
    shutil.copytree(FIXTURES / "betagouv" / "content", root / "content")
    for name in extra:
        for path in (FIXTURES / name / "content" / "_startups").iterdir():
            shutil.copy(path, root / "content" / "_startups" / path.name)
    return root


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (the schema's bookkeeping aside), in a stable order."""
    con = sqlite3.connect(db)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
            )
        ]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    finally:
        con.close()


def query(db: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def report(run, db: Path, day: str) -> dict[str, dict]:
    result = run("report", "--db", db, "--as-of", day, "--format", "json")
    assert result.code == 0, result.err
    return {s["slug"]: s for s in result.json()["startups"]}


def phases_of(db: Path, slug: str) -> set[tuple]:
    rows = query(
        db,
        'SELECT p.name, p.start, p."end", p.comment FROM phase p '
        "JOIN startup s ON s.id = p.startup_id WHERE s.slug = ?",
        slug,
    )
    return set(rows)


def sponsors_of(db: Path, slug: str) -> list[str]:
    return [
        o
        for (o,) in query(
            db,
            "SELECT o.slug FROM startup_sponsor ss JOIN startup s ON s.id = ss.startup_id "
            "JOIN organisation o ON o.id = ss.organisation_id WHERE s.slug = ? "
            "ORDER BY ss.position",
            slug,
        )
    ]


def awards(db: Path) -> set[tuple]:
    return set(
        query(
            db,
            "SELECT f.number, a.laureate_name, s.slug, a.amount_cents, a.source "
            "FROM fast_award a JOIN fast_promotion f ON f.id = a.promotion_id "
            "LEFT JOIN startup s ON s.id = a.startup_id",
        )
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return tree(tmp_path / "betagouv", "betagouv-own")


@pytest.fixture
def imported(run, checkout: Path, db_path: Path) -> Path:
    result = run("import", "betagouv", checkout, "--db", db_path)
    assert result.code == 0, result.err
    return db_path


# --- what is read -----------------------------------------------------------------------------


def test_every_field_a_coach_looks_for(imported):
    db = imported
    (row,) = query(
        db,
        "SELECT s.title, s.mission, s.link, s.repository, s.contact, s.accessibility_status, "
        "s.thematiques, s.usertypes, s.dashlord_url, s.source, s.upstream_missing, i.slug "
        "FROM startup s JOIN incubator i ON i.id = s.incubator_id WHERE s.slug = 'classe-a-12'",
    )
    assert row == (
        "Classe à 12",
        "Faciliter le passage en classe à 12 pour les enseignants et maximiser la valeur de "
        "ce dispositif pour les élèves.",
        "https://classe-a-12.beta.gouv.fr/",
        "https://github.com/betagouv/ClasseA12",
        "classea12@education.gouv.fr",
        "non conforme",
        '["Jeunesse", "Education"]',
        '["etablissement-scolaire"]',
        "https://dashlord.incubateur.net/url/classe-a-12-beta-gouv-fr/",
        "betagouv",
        0,
        "dinum",
    )
    assert sponsors_of(db, "classe-a-12") == ["dgesco"]
    assert sponsors_of(db, "signaux-faibles") == ["acoss", "bdf", "dge", "dgefp", "dgfip", "dinum"]
    assert query(db, "SELECT budget_url FROM startup WHERE slug = 'deveco'") == [
        ("https://docs.numerique.gouv.fr/docs/7580c3c1-6f3f-4de9-bdd0-5e71482ce8d2/",)
    ]
    assert query(
        db,
        "SELECT name, acronym, type, domaine_ministeriel, placeholder FROM organisation "
        "WHERE slug = 'dgesco'",
    ) == [
        (
            "Direction générale de l'enseignement scolaire",
            "DGESCO",
            "administration-centrale",
            "education",
            0,
        )
    ]
    assert query(
        db,
        "SELECT i.title, o.slug, i.contact, i.address, i.website FROM incubator i "
        "JOIN organisation o ON o.id = i.owner_id WHERE i.slug = 'dinum'",
    ) == [
        (
            "Le département Accompagnement de services numériques de la DINUM",
            "dinum",
            "contact@beta.gouv.fr",
            "20 avenue de Ségur, Paris 7e",
            "https://beta.gouv.fr/",
        )
    ]
    events = query(
        db,
        "SELECT e.name, e.date, e.comment FROM event e JOIN startup s ON s.id = e.startup_id "
        "WHERE s.slug = '1000.premiers.jours.blues' ORDER BY e.date, e.name",
    )
    assert ("fast", "2024-01-01", "Montant de 230000€ pour la promotion 12") in events
    assert any(name == "end" for name, _, _ in events)
    assert query(
        db,
        "SELECT name, date FROM event e JOIN startup s ON s.id = e.startup_id "
        "WHERE s.slug = 'dossiersco'",
    ) == [("end", "2019-09-15")]


def test_fast_promotions_and_awards(imported):
    db = imported
    promotions = dict(
        (n, (t, d)) for n, t, d in query(db, "SELECT number, title, date FROM fast_promotion")
    )
    assert promotions[2] == ("FAST 2 - Novembre 2019", "2019-11-01")
    # `15_fast` has no extension; newer pages give `promotion:` in the front matter.
    assert promotions[15] == ("FAST 15 - Septembre 2024", "2024-09-01")
    assert promotions[99] == (None, None)  # referenced by a startup, no page: created, untitled
    got = awards(db)
    assert (2, "Classe à 12", "classe-a-12", None, "betagouv") in got
    # Laureates no startup matches are kept by name, with no startup.
    assert {(n, name) for n, name, slug, _, _ in got if slug is None} >= {
        (2, "Trackdéchets"),
        (2, "Lapins"),
        (5, "MobiliC"),
        (11, "APiLos"),
        (12, "L'Accélérateur de la transition écologique"),
    }
    assert (12, "L'Accélérateur de la transition écologique", None, 200_000_00, "betagouv") in got
    # A startup may hold several awards: two pages (FAST 5, FAST 11), or a `fast:` list.
    assert {(n, slug) for n, _, slug, _, _ in got if slug == "signaux-faibles"} == {
        (5, "signaux-faibles"),
        (11, "signaux-faibles"),
    }
    assert {(n, amount) for n, _, slug, amount, _ in got if slug == "phases-et-fast-multiples"} == {
        (15, 120_000_00),
        (99, 80_000_00),
    }
    # `fast:` gives the amount; the page's laureate and the field are one award.
    assert (
        12,
        "1000 premiers jours Blues",
        "1000.premiers.jours.blues",
        230_000_00,
        "betagouv",
    ) in got
    assert (15, "Deveco", "deveco", 150_000_00, "betagouv") in got


def test_fast_pages_laureate_lists():
    content = FIXTURES / "betagouv" / "content" / "_fasts"
    fast2 = bg.parse_promotion(content / "02-fast.md")
    # The committee's list (names of people) is not a list of laureates.
    assert [x.name for x in fast2.laureates] == [
        "Trackdéchets",
        "Cmachance",
        "Lapins",
        "Classe à 12",
    ]
    fast11 = bg.parse_promotion(content / "11_fast.md")
    names = [x.name for x in fast11.laureates]
    assert names[:3] == ["Collectif Objets", "APiLos", "Signaux Faibles"]
    assert fast11.laureates[2].slug == "signaux-faibles"  # links to beta.gouv.fr/startups/…
    fast12 = bg.parse_promotion(content / "12_fast.md")
    assert [(x.name, x.amount_cents) for x in fast12.laureates] == [
        ("L'Accélérateur de la transition écologique", 200_000_00)
    ]
    assert bg.parse_promotion(content / "15_fast").laureates == ()


def test_matching_is_unambiguous_only():
    matcher = bg.LaureateMatcher(
        [("a", "Même Nom", None), ("b", "Même nom", None), ("c", "Seul", "https://seul.fr")]
    )
    assert matcher.match(bg.Laureate("même nom")) is None  # two startups fit: kept by name
    assert matcher.match(bg.Laureate("SEUL")) == "c"
    assert matcher.match(bg.Laureate("Autre nom", href="https://www.seul.fr/x")) == "c"
    assert matcher.match(bg.Laureate("Autre", slug="b")) == "b"
    assert matcher.match(bg.Laureate("Inconnu")) is None


# --- phases -------------------------------------------------------------------------------------


def real_phases(slug: str) -> list[PhaseFacts]:
    record = bg.parse_startup(FIXTURES / "betagouv" / "content" / "_startups" / f"{slug}.md")
    return [PhaseFacts(p.name, p.start, p.end) for p in record.phases]


def test_phase_on_day_d_on_real_files():
    # Classe à 12: acceleration, construction and investigation all from 2018-06-01, in
    # that order in the file: the most advanced wins the tie.
    c12 = real_phases("classe-a-12")
    assert phase_on(c12, D(2018, 5, 31)) is None
    assert phase_on(c12, D(2018, 6, 1)) == "acceleration"
    assert phase_on(c12, D(2024, 2, 9)) == "abandon"
    # Signaux Faibles: a tie (construction, investigation), then consolidation, then a
    # later acceleration: the latest start wins, whatever the order of advancement.
    sf = real_phases("signaux-faibles")
    assert phase_on(sf, D(2014, 5, 15)) == "construction"
    assert phase_on(sf, D(2020, 1, 1)) == "consolidation"
    assert phase_on(sf, D(2025, 6, 22)) == "acceleration"
    # Basegun: overlapping phases, then a gap after both ends, then phases with no end.
    bg_ = real_phases("basegun")
    assert phase_on(bg_, D(2022, 4, 1)) == "investigation"
    assert phase_on(bg_, D(2022, 6, 1)) == "construction"  # overlaps investigation
    assert phase_on(bg_, D(2023, 8, 1)) == "construction"  # ended, nothing newer yet
    assert phase_on(bg_, D(2024, 1, 1)) == "acceleration"
    assert phase_on(bg_, D(2026, 1, 1)) == "transfere"
    # 1000 premiers jours Blues: investigation runs on past construction and acceleration.
    blues = real_phases("1000.premiers.jours.blues")
    assert phase_on(blues, D(2022, 6, 1)) == "acceleration"


def test_phase_names_are_kept_as_written(imported):
    assert phases_of(imported, "phases-et-fast-multiples") == {
        ("investigation", "2021-01-04", "2021-04-30", None),
        ("pause-hivernale", "2021-05-01", None, None),
        ("construction", "2021-05-01", None, "reprise après la pause"),
    }
    names = {n for (n,) in query(imported, "SELECT DISTINCT name FROM phase")}
    assert {"abandon", "transfere", "consolidation"} <= names


def test_report_reads_the_imported_phases(run, imported):
    assert report(run, imported, "2017-10-01")["dossiersco"]["phase"] == "investigation"
    assert report(run, imported, "2019-09-14")["dossiersco"]["phase"] == "construction"
    sco = report(run, imported, "2019-09-15")["dossiersco"]
    assert (sco["phase"], sco["sponsors"], sco["incubator"]) == ("abandon", ["menjs"], "dinum")
    # An unknown phase name ranks as an end state: on a tie it wins over construction.
    assert report(run, imported, "2021-06-01")["phases-et-fast-multiples"]["phase"] == (
        "pause-hivernale"
    )


# --- the pre-2020 schema, encodings, undefined references -----------------------------------------


def test_pre_2020_schema(run, imported):
    db = imported
    assert phases_of(db, "ancien-service-arrete") == {
        (
            "abandon",
            "2018-02-15",
            None,
            "pre-2020 status: death (start: 2016-03-01, end: 2018-02-15)",
        )
    }
    assert phases_of(db, "ancien-succes") == {
        (
            "transfere",
            "2017-06-30",
            None,
            "pre-2020 status: success (start: 2015-01-05, end: 2017-06-30)",
        )
    }
    assert phases_of(db, "ancien-en-construction") == {
        ("construction", "2017-05-02", None, "pre-2020 status: construction (start: 2017-05-02)")
    }
    # `owner:` is free text: an acronym or a full name finds the organisation…
    assert sponsors_of(db, "ancien-service-arrete") == ["dgesco"]
    assert sponsors_of(db, "ancien-succes") == ["menjs"]
    # … and an owner no file defines becomes a placeholder organisation, not dropped.
    assert sponsors_of(db, "ancien-en-construction") == ["mairie-de-saint-ouen-sur-mer"]
    assert query(
        db, "SELECT name, placeholder FROM organisation WHERE slug = 'mairie-de-saint-ouen-sur-mer'"
    ) == [("Mairie de Saint-Ouen-sur-Mer", 1)]
    r = report(run, db, "2018-03-01")
    assert r["ancien-service-arrete"]["phase"] == "abandon"
    assert r["ancien-service-arrete"]["incubator"] == "dinsic"
    assert r["ancien-en-construction"]["phase"] == "construction"


def test_undefined_references_become_placeholders(imported):
    assert query(imported, "SELECT slug, title FROM incubator WHERE placeholder ORDER BY slug") == [
        ("dinsic", "dinsic"),
        ("incubateur-inconnu", "incubateur-inconnu"),
    ]
    assert sponsors_of(imported, "phases-et-fast-multiples") == ["sponsor-inconnu", "dinum"]
    assert query(
        imported, "SELECT placeholder FROM organisation WHERE slug = 'sponsor-inconnu'"
    ) == [(1,)]
    assert query(imported, "SELECT placeholder FROM organisation WHERE slug = 'dinum'") == [(0,)]


def test_bom_and_latin1_files(imported):
    titles = dict(query(imported, "SELECT slug, title FROM startup"))
    assert titles["avec-bom"] == "Démarche Avec BOM"
    assert titles["en-latin1"] == "Égalité Des Chances"
    (mission,) = query(imported, "SELECT mission FROM startup WHERE slug = 'en-latin1'")[0]
    assert "« é », « à », « ç »" in mission


# --- idempotent and non-destructive -------------------------------------------------------------------


def test_a_second_import_changes_nothing(run, checkout, imported):
    before = dump(imported)
    result = run("import", "betagouv", checkout / "content", "--db", imported)
    assert result.code == 0, result.err
    assert " 0 créé, 0 mis à jour, " in result.out and "0 ignoré" in result.out
    assert dump(imported) == before


def test_reimport_updates_in_place_and_keeps_local_data(run, checkout, imported):
    db = imported
    s = open_store(str(db))
    with s.session() as session:
        sco = session.exec(select(m.Startup).where(m.Startup.slug == "dossiersco")).one()
        sco.notes = "Relancer le rectorat"
        session.add(m.Convention(startup_id=sco.id, title="Convention locale", ceiling_cents=1))
        session.add(m.Deadline(startup_id=sco.id, date=D(2019, 6, 1), title="Comité local"))
        session.add(m.Objective(startup_id=sco.id, metric="Collèges"))
        session.add(m.ConsumptionLine(startup_id=sco.id, date=D(2019, 1, 2), amount_cents=5))
        sco_id = sco.id
    s.dispose()
    startups = checkout / "content" / "_startups"
    text = (startups / "dossiersco.md").read_text()
    (startups / "dossiersco.md").write_text(
        text.replace("title: DossierSCO", "title: DossierSco").replace(
            "  - name: abandon\n    start: 2019-09-15\n",
            "  - name: abandon\n    start: 2019-10-01\n",
        )
    )
    (startups / "basegun.md").unlink()

    result = run("import", "betagouv", checkout, "--db", db)
    assert result.code == 0, result.err
    assert "0 créé, 2 mis à jour" in result.out
    assert "1 startup disparue à la source" in result.out
    assert query(db, "SELECT id, title, notes FROM startup WHERE slug = 'dossiersco'") == [
        (sco_id, "DossierSco", "Relancer le rectorat")
    ]
    assert ("abandon", "2019-10-01", None, None) in phases_of(db, "dossiersco")
    assert len(phases_of(db, "dossiersco")) == 3
    for table in ("convention", "deadline", "objective", "consumption_line"):
        assert query(db, f"SELECT count(*) FROM {table} WHERE startup_id = ?", sco_id) == [(1,)]
    # Gone upstream: marked, never deleted (its phases are kept too).
    assert query(db, "SELECT upstream_missing FROM startup WHERE slug = 'basegun'") == [(1,)]
    assert len(phases_of(db, "basegun")) == 4
    # Back upstream: unmarked.
    shutil.copy(FIXTURES / "betagouv" / "content" / "_startups" / "basegun.md", startups)
    assert run("import", "betagouv", checkout, "--db", db).code == 0
    assert query(db, "SELECT upstream_missing FROM startup WHERE slug = 'basegun'") == [(0,)]


def test_demo_then_import_keeps_the_demo(run, demo_db, checkout):
    before = dump(demo_db)
    result = run("import", "betagouv", checkout, "--db", demo_db)
    assert result.code == 0, result.err
    after = dump(demo_db)
    for table in (
        "convention",
        "convention_party",
        "schedule_line",
        "deadline",
        "objective",
        "measurement",
        "consumption_line",
        "staffing_line",
    ):
        assert after[table] == before[table], table
    # The two startups meet: one row each, still the demo's, with the demo's phases.
    rows = query(
        demo_db, "SELECT slug, source FROM startup WHERE slug IN ('classe-a-12', 'dossiersco')"
    )
    assert sorted(rows) == [("classe-a-12", "demo"), ("dossiersco", "demo")]
    assert len(phases_of(demo_db, "classe-a-12")) == 4
    # The demo's FAST 2 award (with its amount) stands for the page's laureate.
    c12 = {a for a in awards(demo_db) if a[2] == "classe-a-12"}
    assert {(n, amount, source[:4]) for n, _, _, amount, source in c12} == {(2, 50_000_00, "demo")}
    # dgesco, menjs, dinum (organisation and incubator), and the two startups.
    assert "6 lignes locales laissées telles quelles" in result.out
    r = report(run, demo_db, "2018-06-01")["classe-a-12"]
    assert (r["envelope_eur"], r["phase"], r["sponsors"]) == (269700.0, "acceleration", ["dgesco"])
    assert len(report(run, demo_db, "2018-06-01")) == 12
    # Importing again, and loading the demo again, still change nothing.
    again = dump(demo_db)
    assert run("import", "betagouv", checkout, "--db", demo_db).code == 0
    assert run("demo", "--db", demo_db, "--no-tui").code == 0
    assert dump(demo_db) == again


def test_import_then_demo_adds_the_conventions(run, imported):
    before_startups = query(imported, "SELECT id, slug, source FROM startup ORDER BY id")
    assert run("demo", "--db", imported, "--no-tui").code == 0
    assert query(imported, "SELECT id, slug, source FROM startup ORDER BY id") == before_startups
    r = report(run, imported, "2018-06-01")
    assert r["classe-a-12"]["envelope_eur"] == 269700.0
    assert r["classe-a-12"]["next_deadline"]["date"] == "2018-09-01"
    assert report(run, imported, "2018-12-31")["dossiersco"]["envelope_eur"] == 200000.0
    before = dump(imported)
    assert run("import", "betagouv", FIXTURES / "betagouv", "--db", imported).code == 0
    after = dump(imported)
    assert after["convention"] == before["convention"]
    assert after["consumption_line"] == before["consumption_line"]


# --- bad files ------------------------------------------------------------------------------------------


BAD = {
    "binaire.md": "un fichier binaire",
    "sans-front-matter.md": "pas d'en-tête YAML",
    "yaml-casse.md": "en-tête YAML cassé (ligne 4",
}
# A defect of one field costs the field, not the startup: named, then left out.
DEFECTIVE = {"date-impossible.md": "phases[0].start : '2019-02-30' n'existe pas ; laissé inconnu"}


def test_bad_files_are_named_and_the_rest_is_imported(run, tmp_path, db_path):
    root = tree(tmp_path / "b", "betagouv-bad")
    result = run("import", "betagouv", root, "--db", db_path)
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if not line.startswith("FAST ")]
    bad = [line for line in lines if "avertissement :" not in line]
    warnings = [line for line in lines if "avertissement :" in line]
    assert len(bad) == len(BAD) and len(warnings) == len(DEFECTIVE)
    for line, (name, reason) in zip(bad, sorted(BAD.items()), strict=True):
        assert name in line and reason in line, line
    for line, (name, reason) in zip(warnings, sorted(DEFECTIVE.items()), strict=True):
        assert name in line and reason in line, line
    assert "3 ignorés" in result.out
    assert query(db_path, "SELECT count(*) FROM startup") == [(7,)]
    # The defective startup is in, with its phase and the start left unknown.
    assert query(
        db_path,
        "SELECT p.name, p.start FROM phase p JOIN startup s ON s.id = p.startup_id "
        "WHERE s.slug = 'date-impossible'",
    ) == [("investigation", None)]
    # An unreadable startup file is not "gone upstream".
    assert query(db_path, "SELECT count(*) FROM startup WHERE upstream_missing") == [(0,)]


def test_strict_writes_nothing(run, tmp_path, demo_db):
    root = tree(tmp_path / "b", "betagouv-bad")
    fresh = tmp_path / "fresh.db"
    result = run("import", "betagouv", root, "--db", fresh, "--strict")
    assert result.code == 2
    assert (
        result.err.strip()
        .splitlines()[-1]
        .startswith("startups : erreur : 3 fichier(s) illisible(s) et 1 champ(s) défectueux")
    )
    assert not fresh.exists()
    before = dump(demo_db)
    assert run("import", "betagouv", root, "--db", demo_db, "--strict").code == 2
    assert dump(demo_db) == before


def test_an_interrupted_import_leaves_the_store_as_it_was(monkeypatch, checkout, demo_db):
    before = dump(demo_db)

    def boom(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(bgw._Writer, "_promotions_and_awards", boom)
    s = open_store(str(demo_db))
    with pytest.raises(KeyboardInterrupt):
        bgw.import_betagouv(s, checkout)
    s.dispose()
    assert dump(demo_db) == before


@pytest.mark.parametrize("where", ["missing", "file", "empty"])
def test_not_a_checkout(run, tmp_path, db_path, where):
    target = tmp_path / where
    if where == "file":
        target.write_text("x")
    elif where == "empty":
        target.mkdir()
    result = run("import", "betagouv", target, "--db", db_path)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and str(target) in result.err
    assert not db_path.exists()


# --- random front matter ----------------------------------------------------------------------------------

FIELDS = [
    "title",
    "mission",
    "sponsors",
    "incubator",
    "phases",
    "events",
    "fast",
    "status",
    "start",
    "end",
    "owner",
    "thematiques",
    "usertypes",
    "link",
    "budget_url",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.dates().map(str),
    st.sampled_from(["2019-02-30", "2020-13-01", "0000-00-00", "investigation", "/organisations/"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "start", "end", "date", "promotion", "montant", "comment"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=10,
)
metas = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), values, max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=metas, raw=st.text(max_size=60), as_yaml=st.booleans())
def test_random_front_matter_never_raises_a_traceback(meta, raw, as_yaml):
    import yaml

    fm = yaml.safe_dump(meta, allow_unicode=True) if as_yaml else raw
    text = f"---\n{fm}\n---\n{raw}"
    try:
        record = bg.parse_startup_text("x", text)
    except bg.FileError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert record.title and all(p.name for p in record.phases)
    bg.laureates(raw)  # any page body: a (possibly empty) list, never an error


# --- the full shared snapshot ------------------------------------------------------------------------------

needs_snapshot = pytest.mark.skipif(
    not SNAPSHOT.is_dir(), reason=f"the shared beta.gouv.fr snapshot is not here ({SNAPSHOT})"
)


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> dict:
    """The snapshot imported once into a fresh store, and once after the demo."""
    if not SNAPSHOT.is_dir():
        pytest.skip(f"the shared beta.gouv.fr snapshot is not here ({SNAPSHOT})")
    base = tmp_path_factory.mktemp("full")
    out = {"db": base / "full.db", "demo": base / "demo.db"}
    snap = bg.load_snapshot(SNAPSHOT)
    s = open_store(str(out["db"]))
    out["result"] = bgw.write_snapshot(s, snap)
    out["dump"] = dump(out["db"])
    out["again"] = bgw.write_snapshot(s, snap)
    s.dispose()
    s = open_store(str(out["demo"]))
    load_demo(s)
    out["demo_before"] = dump(out["demo"])
    bgw.write_snapshot(s, snap)
    s.dispose()
    out["snap"] = snap
    return out


@needs_snapshot
def test_full_snapshot_counts(full):
    snap, db = full["snap"], full["db"]
    assert snap.bad == []
    assert (len(snap.startups), len(snap.organisations), len(snap.incubators)) == (662, 145, 23)
    assert (len(snap.promotions), len(snap.phases)) == (17, 8)
    assert set(snap.phases) == {
        "investigation",
        "construction",
        "acceleration",
        "consolidation",
        "transfere",
        "opere",
        "abandon",
        "abandon-investigation",
    }
    assert query(db, "SELECT count(*) FROM startup") == [(662,)]
    assert query(db, "SELECT count(*) FROM incubator") == [(23,)]
    assert query(db, "SELECT count(*) FROM fast_promotion") == [(17,)]
    # 145 defined, and /organisations/menj (owner of the menj incubator) referenced only.
    assert query(db, "SELECT count(*), sum(placeholder) FROM organisation") == [(146, 1)]
    assert query(db, "SELECT slug FROM organisation WHERE placeholder") == [("menj",)]
    # 130 files have a `budget_url:`, one of them blank (' '): unknown, so NULL.
    assert query(db, "SELECT count(*) FROM startup WHERE budget_url IS NOT NULL") == [(129,)]
    assert full["result"].created == 848 and full["result"].skipped == 0


@needs_snapshot
def test_full_snapshot_second_import_changes_nothing(full):
    again = full["again"]
    assert (again.created, again.updated, again.skipped) == (0, 0, 0)
    assert dump(full["db"]) == full["dump"]


@needs_snapshot
def test_full_snapshot_read_back_through_the_report(run, full):
    db = full["db"]
    c12 = report(run, db, "2018-06-01")["classe-a-12"]
    assert (c12["title"], c12["phase"], c12["incubator"], c12["sponsors"]) == (
        "Classe à 12",
        "acceleration",
        "dinum",
        ["dgesco"],
    )
    assert report(run, db, "2024-02-09")["classe-a-12"]["phase"] == "abandon"
    assert phases_of(db, "classe-a-12") == {
        ("acceleration", "2018-06-01", None, None),
        ("construction", "2018-06-01", None, None),
        ("investigation", "2018-06-01", None, None),
        ("abandon", "2024-02-09", None, None),
    }
    assert (2, "Classe à 12", "classe-a-12", None, "betagouv") in awards(db)
    assert phases_of(db, "dossiersco") == {
        ("investigation", "2017-09-01", "2017-11-30", None),
        ("construction", "2017-11-30", "2019-09-15", None),
        ("abandon", "2019-09-15", None, None),
    }
    expected = {
        "2017-09-01": "investigation",
        "2017-11-29": "investigation",
        "2017-11-30": "construction",
        "2019-09-14": "construction",
        "2019-09-15": "abandon",
    }
    for day, phase in expected.items():
        sco = report(run, db, day)["dossiersco"]
        assert (sco["phase"], sco["sponsors"], sco["incubator"]) == (phase, ["menjs"], "dinum"), day
    assert report(run, db, "2017-08-31")["dossiersco"]["phase"] is None


@needs_snapshot
def test_full_snapshot_after_the_demo_keeps_its_conventions(run, full):
    before, after = full["demo_before"], dump(full["demo"])
    for table in (
        "convention",
        "convention_party",
        "schedule_line",
        "deadline",
        "consumption_line",
        "objective",
        "measurement",
    ):
        assert after[table] == before[table], table
    assert query(full["demo"], "SELECT count(*) FROM startup") == [(662,)]
    r = report(run, full["demo"], "2018-06-01")
    assert r["classe-a-12"]["envelope_eur"] == 269700.0
    assert r["dossiersco"]["envelope_eur"] is None
