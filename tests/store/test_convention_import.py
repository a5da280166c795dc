"""`startups import convention`: preview, confirmation, one transaction, matching, idempotence."""

from __future__ import annotations

import io
import json
import pathlib
import sqlite3

import pytest
from convention_support import CONTRACT_KEYS, DEJAVU, make_pdf
from sqlmodel import select

import commands.imports
from store.demo import load_demo
from store.importers.convention.extract import extract_file
from store.importers.convention.plan import SOURCE, apply_import, evidence_rows, plan_import
from store.models import Convention, Startup
from store.open import open_store

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "conventions"
CLASSE_2018 = SEEDS / "classe-a-12_convention_2018-04-12.txt"
CLASSE_2020 = SEEDS / "classe-a-12_convention-fast_2020.txt"
DOSSIERSCO = SEEDS / "dossiersco_avenant_2018-12-05.txt"
MISMATCH = ROOT / "tests" / "fixtures" / "conventions" / "dossiersco_avenant_mismatch.txt"

TABLES = ("startup", "convention", "convention_party", "schedule_line", "deadline")


# --- helpers ------------------------------------------------------------------------------


def counts(db: pathlib.Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def query(db: pathlib.Path, sql: str, *params) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def execute(db: pathlib.Path, *statements: str) -> None:
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA foreign_keys=ON")
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


def report(run, db, as_of: str) -> dict[str, dict]:
    result = run("report", "--db", db, "--as-of", as_of, "--format", "json")
    assert result.code == 0, result.err
    return {s["slug"]: s for s in result.json()["startups"]}


def add_startups(db: pathlib.Path, *startups: tuple[str, str]) -> None:
    s = open_store(str(db))
    with s.session() as session:
        for slug, title in startups:
            session.add(Startup(slug=slug, title=title, source="test"))
    s.dispose()


def imp(run, db, path, *args: str):
    return run("import", "convention", path, "--db", db, *args)


# --- the seeds into a fresh store ----------------------------------------------------------


def test_the_three_seeds_into_a_fresh_store(run, db_path):
    assert not db_path.exists()
    for path, slug in (
        (CLASSE_2018, "classe-a-12"),
        (CLASSE_2020, "classe-a-12"),
        (DOSSIERSCO, "dossiersco"),
    ):
        result = imp(run, db_path, path, "--startup", slug, "--yes")
        assert result.code == 0, result.err
    assert counts(db_path) == {
        "startup": 2,
        "convention": 4,  # two Classe à 12 conventions, the avenant and its placeholder parent
        "convention_party": 6,
        "schedule_line": 1,
        "deadline": 1,
    }
    startups = {r["slug"]: r for r in query(db_path, "SELECT * FROM startup")}
    assert startups["classe-a-12"]["title"] == "Classe à 12"  # the service the text names
    assert startups["dossiersco"]["title"] == "DossierSco"

    c2018 = query(db_path, "SELECT * FROM convention WHERE source_file = ?", CLASSE_2018.name)[0]
    assert c2018["startup_id"] == startups["classe-a-12"]["id"]
    assert (c2018["kind"], c2018["signed_on"], c2018["ends_on"]) == (
        "convention",
        "2018-04-12",
        "2018-10-01",
    )
    assert c2018["ends_on_precision"] == "day"
    assert c2018["ceiling_cents"] == 269_700_00
    assert [c2018[k] for k in ("programme", "bop", "uo", "brique", "activite")] == [
        "214",
        "0214-CEN2",
        "INFO",
        "021404DI02",
        "021404DI02-04",
    ]
    assert c2018["domaine_fonctionnel"] == "0214-08-02"
    assert c2018["source"] == SOURCE and c2018["placeholder"] == 0
    assert c2018["source_sha256"] == extract_file(CLASSE_2018)["sha256"]
    assert c2018["title"] == "Convention de service"
    evidence = json.loads(c2018["evidence"])
    assert evidence["ceiling_eur"]["line"] == 87
    assert "269 700€" in evidence["ceiling_eur"]["text"]
    parties = query(
        db_path,
        "SELECT * FROM convention_party WHERE convention_id = ? ORDER BY position",
        c2018["id"],
    )
    assert [(p["name"], p["role"], p["representative"], p["position"]) for p in parties] == [
        ("SG du MEN-MESRI", "délégant", "Marie-Anne Lévêque", 0),
        ("DINSIC", "délégataire", "Henri Verdier", 1),
    ]
    (deadline,) = query(db_path, "SELECT * FROM deadline")
    assert (deadline["date"], deadline["kind"], deadline["convention_id"]) == (
        "2018-09-01",
        "deliverable",
        c2018["id"],
    )
    assert deadline["title"] == "Version utilisable par les enseignants disponible"

    c2020 = query(db_path, "SELECT * FROM convention WHERE source_file = ?", CLASSE_2020.name)[0]
    assert c2020["signed_on"] is None  # left blank in the text: never "today"
    assert (c2020["ends_on"], c2020["ends_on_precision"]) == ("2021-12-31", "month")
    assert (c2020["ceiling_cents"], c2020["uo"]) == (50_000_00, "0181-CPRI-ELAB")
    (line,) = query(db_path, "SELECT * FROM schedule_line")
    assert (line["convention_id"], line["year"], line["ae_cents"], line["cp_cents"]) == (
        c2020["id"],
        2020,
        50_000_00,
        50_000_00,
    )

    avenant = query(db_path, "SELECT * FROM convention WHERE kind = 'avenant'")[0]
    parent = query(db_path, "SELECT * FROM convention WHERE id = ?", avenant["parent_id"])[0]
    assert parent["startup_id"] == avenant["startup_id"] == startups["dossiersco"]["id"]
    assert parent["placeholder"] == 1 and parent["ceiling_cents"] is None
    assert (parent["kind"], parent["signed_on"], parent["ends_on"]) == (
        "convention",
        "2018-04-12",
        None,
    )
    assert "avenant" in parent["notes"] and DOSSIERSCO.name in parent["notes"]
    assert avenant["ceiling_cents"] == 200_000_00 and avenant["signed_on"] == "2018-12-05"
    signatures = query(
        db_path,
        "SELECT name, signed_on FROM convention_party WHERE convention_id = ? ORDER BY position",
        avenant["id"],
    )
    assert [tuple(s) for s in signatures] == [
        ("SG du MENJ-MESRI", "2018-11-30"),
        ("DINSIC", "2018-12-05"),
    ]

    june = report(run, db_path, "2018-06-01")
    assert june["classe-a-12"]["envelope_eur"] == 269700.0
    assert june["classe-a-12"]["next_deadline"]["date"] == "2018-09-01"
    assert june["dossiersco"]["envelope_eur"] is None  # the placeholder's ceiling is unknown
    december = report(run, db_path, "2018-12-31")
    assert december["dossiersco"]["envelope_eur"] == 200000.0
    assert report(run, db_path, "2020-06-01")["classe-a-12"]["pending_eur"] == 50000.0


def test_services_match_a_startup_when_unambiguous(run, db_path):
    add_startups(db_path, ("classe-a-12", "Classe à 12"), ("dossiersco", "DossierSco"))
    result = imp(run, db_path, CLASSE_2018, "--yes")
    assert result.code == 0, result.err
    assert "trouvée par le service « Classe à 12 »" in result.out
    result = imp(run, db_path, DOSSIERSCO, "--yes")
    assert result.code == 0, result.err
    rows = query(
        db_path,
        "SELECT s.slug, c.kind FROM convention c JOIN startup s ON s.id = c.startup_id "
        "WHERE c.source_sha256 IS NOT NULL ORDER BY c.id",
    )
    assert [tuple(r) for r in rows] == [("classe-a-12", "convention"), ("dossiersco", "avenant")]


def test_no_or_several_matching_startups_are_refused(run, db_path):
    add_startups(db_path, ("dossiersco", "DossierSco"))
    before = counts(db_path)
    result = imp(run, db_path, CLASSE_2018, "--yes")
    assert result.code == 2
    assert len(result.err.splitlines()) == 1 and "--startup" in result.err
    assert "« Classe à 12 »" in result.err
    add_startups(db_path, ("classe-a-12", "Classe à 12"), ("classe-a-12-bis", "CLASSE A 12"))
    before = counts(db_path)
    result = imp(run, db_path, CLASSE_2018, "--yes")
    assert result.code == 2 and "plusieurs startups" in result.err
    assert "classe-a-12, classe-a-12-bis" in result.err
    assert counts(db_path) == before


def test_an_unknown_store_is_not_created_without_startup(run, db_path):
    result = imp(run, db_path, CLASSE_2018, "--yes")
    assert result.code == 2 and not db_path.exists()


def test_a_bad_startup_slug_is_refused(run, db_path):
    result = imp(run, db_path, CLASSE_2018, "--startup", "Classe à 12", "--yes")
    assert result.code == 2 and "pas un identifiant de startup" in result.err
    assert not db_path.exists()  # the store it would have created is not left behind


# --- avenants and their parents ----------------------------------------------------------


def test_the_avenant_never_attaches_to_another_startups_convention(run, db_path):
    assert imp(run, db_path, CLASSE_2018, "--startup", "classe-a-12", "--yes").code == 0
    result = imp(run, db_path, DOSSIERSCO, "--startup", "dossiersco", "--yes")
    assert result.code == 0, result.err
    classe = query(db_path, "SELECT id FROM convention WHERE source_file = ?", CLASSE_2018.name)
    avenant = query(db_path, "SELECT * FROM convention WHERE kind = 'avenant'")[0]
    assert avenant["parent_id"] != classe[0]["id"]
    parent = query(db_path, "SELECT * FROM convention WHERE id = ?", avenant["parent_id"])[0]
    assert parent["placeholder"] == 1 and parent["signed_on"] == "2018-04-12"
    assert parent["startup_id"] == avenant["startup_id"]


def _demo_without_its_avenant(db: pathlib.Path) -> None:
    execute(db, "DELETE FROM convention WHERE source = 'demo:dossiersco/avenant-2018-12'")


def test_the_avenant_finds_its_parent_when_both_12_april_conventions_exist(run, demo_db):
    _demo_without_its_avenant(demo_db)
    twelfth = query(demo_db, "SELECT id, source FROM convention WHERE signed_on = '2018-04-12'")
    assert len(twelfth) == 2  # Classe à 12's and DossierSco's
    before = counts(demo_db)
    result = imp(run, demo_db, DOSSIERSCO, "--yes")  # DossierSco matched from the service
    assert result.code == 0, result.err
    avenant = query(demo_db, "SELECT * FROM convention WHERE source_sha256 IS NOT NULL")[0]
    parent = query(demo_db, "SELECT * FROM convention WHERE id = ?", avenant["parent_id"])[0]
    assert parent["source"] == "demo:dossiersco/convention-2018"
    # Only the avenant is new: no placeholder, the parent was found.
    assert counts(demo_db)["convention"] == before["convention"] + 1
    assert report(run, demo_db, "2018-12-31")["dossiersco"]["envelope_eur"] == 200000.0


def _second_dossiersco_convention(db: pathlib.Path) -> None:
    execute(
        db,
        "INSERT INTO convention (startup_id, kind, title, signed_on, placeholder, source) "
        "SELECT id, 'convention', 'Autre convention', '2018-04-12', 0, 'test' "
        "FROM startup WHERE slug = 'dossiersco'",
    )


def test_an_ambiguous_parent_is_refused_with_yes(run, demo_db):
    _demo_without_its_avenant(demo_db)
    _second_dossiersco_convention(demo_db)
    before = counts(demo_db)
    result = imp(run, demo_db, DOSSIERSCO, "--yes")
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert "convention modifiée ambiguë" in line and "2 conventions du 12/04/2018" in line
    assert "Autre convention" in line and "relancer sans --yes" in line
    assert counts(demo_db) == before


def test_an_ambiguous_parent_is_asked(run, demo_db, monkeypatch):
    _demo_without_its_avenant(demo_db)
    _second_dossiersco_convention(demo_db)
    (other,) = query(demo_db, "SELECT id FROM convention WHERE source = 'test'")
    monkeypatch.setattr(commands.imports, "stdin_is_tty", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("2\ny\n"))
    result = imp(run, demo_db, DOSSIERSCO)
    assert result.code == 0, result.err
    assert "Quelle convention cet avenant modifie-t-il ?" in result.err
    assert "Autre convention" in result.err
    avenant = query(demo_db, "SELECT * FROM convention WHERE source_sha256 IS NOT NULL")[0]
    assert avenant["parent_id"] == other["id"]


def test_declining_stores_nothing(run, demo_db, monkeypatch):
    _demo_without_its_avenant(demo_db)
    before = counts(demo_db)
    monkeypatch.setattr(commands.imports, "stdin_is_tty", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    result = imp(run, demo_db, DOSSIERSCO)
    assert result.code == 1 and "rien n’est enregistré" in result.err
    assert counts(demo_db) == before


def test_no_terminal_and_no_yes_is_refused(run, demo_db):
    _demo_without_its_avenant(demo_db)
    before = counts(demo_db)
    result = imp(run, demo_db, DOSSIERSCO)
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert "aucun terminal pour confirmer" in line and "--yes" in line
    assert "DossierSco" in result.out  # the preview was shown
    assert counts(demo_db) == before


def test_an_avenant_that_does_not_date_its_parent_is_asked_about(run, demo_db, tmp_path):
    _demo_without_its_avenant(demo_db)
    text = DOSSIERSCO.read_text(encoding="utf-8").replace(" conclue le 12 avril 2018", "")
    undated = tmp_path / "avenant_sans_date.txt"
    undated.write_text(text, encoding="utf-8")
    assert extract_file(undated)["parent"] is None
    before = counts(demo_db)
    result = imp(run, demo_db, undated, "--yes")
    assert result.code == 2 and "ne date pas la convention qu'il modifie" in result.err
    assert counts(demo_db) == before


def test_a_placeholder_parent_is_completed_by_its_own_text(run, db_path, tmp_path):
    assert imp(run, db_path, DOSSIERSCO, "--startup", "dossiersco", "--yes").code == 0
    # A doctored copy of the Classe à 12 text, for DossierSco: the same date as the placeholder.
    text = CLASSE_2018.read_text(encoding="utf-8").replace("Classe à 12", "DossierSco")
    own = tmp_path / "dossiersco_convention_2018-04-12.txt"
    own.write_text(text, encoding="utf-8")
    before = counts(db_path)
    result = imp(run, db_path, own, "--yes")
    assert result.code == 0, result.err
    assert "reconnu comme" in result.out and "fiche provisoire" in result.out
    after = counts(db_path)
    assert after["convention"] == before["convention"]
    assert after["convention_party"] == before["convention_party"] + 2
    parent = query(db_path, "SELECT * FROM convention WHERE kind = 'convention'")[0]
    assert parent["placeholder"] == 0 and parent["ceiling_cents"] == 269_700_00
    assert parent["source_file"] == own.name and parent["ends_on"] == "2018-10-01"
    assert report(run, db_path, "2018-06-01")["dossiersco"]["envelope_eur"] == 269700.0
    assert report(run, db_path, "2018-09-30")["dossiersco"]["envelope_eur"] == 269700.0


# --- idempotence ---------------------------------------------------------------------------


def test_the_same_file_twice_adds_nothing(run, db_path):
    assert imp(run, db_path, CLASSE_2018, "--startup", "classe-a-12", "--yes").code == 0
    before = counts(db_path)
    result = imp(run, db_path, CLASSE_2018, "--startup", "classe-a-12", "--yes")
    assert result.code == 0
    assert "déjà importé" in result.err and "rien à faire" in result.err
    assert counts(db_path) == before
    # Also without --yes and without a terminal: nothing to ask.
    assert imp(run, db_path, CLASSE_2018).code == 0
    assert counts(db_path) == before


def test_the_demo_conventions_are_completed_not_duplicated(run, demo_db):
    before = counts(demo_db)
    reports = {d: report(run, demo_db, d) for d in ("2018-06-01", "2018-12-31", "2020-06-01")}
    for path in (CLASSE_2018, CLASSE_2020, DOSSIERSCO):
        result = imp(run, demo_db, path, "--yes")
        assert result.code == 0, result.err
        assert "reconnu comme" in result.out
    assert counts(demo_db) == before
    rows = {
        r["source"]: r
        for r in query(demo_db, "SELECT * FROM convention WHERE source_sha256 IS NOT NULL")
    }
    assert set(rows) == {  # the demo's own rows, keys kept (a demo reload stays idempotent)
        "demo:classe-a-12/convention-2018",
        "demo:classe-a-12/convention-fast-2020",
        "demo:dossiersco/avenant-2018-12",
    }
    for path, source in (
        (CLASSE_2018, "demo:classe-a-12/convention-2018"),
        (CLASSE_2020, "demo:classe-a-12/convention-fast-2020"),
        (DOSSIERSCO, "demo:dossiersco/avenant-2018-12"),
    ):
        row = rows[source]
        assert row["source_sha256"] == extract_file(path)["sha256"]
        assert json.loads(row["evidence"])["kind"]["line"] >= 1
        assert row["source_file"] == path.name
    assert rows["demo:classe-a-12/convention-fast-2020"]["signed_on"] is None
    assert {d: report(run, demo_db, d) for d in reports} == reports
    s = open_store(str(demo_db))
    assert not load_demo(s).changed
    s.dispose()
    # And a second round is "already imported".
    for path in (CLASSE_2018, CLASSE_2020, DOSSIERSCO):
        assert "déjà importé" in imp(run, demo_db, path, "--yes").err
    assert counts(demo_db) == before


# --- PDF, JSON, dry run ----------------------------------------------------------------------


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs the DejaVu font to write French text")
@pytest.mark.parametrize("source", [CLASSE_2018, DOSSIERSCO, CLASSE_2020], ids=lambda p: p.stem)
def test_a_pdf_stores_the_same_as_its_text(run, tmp_path, source):
    pdf = tmp_path / (source.stem + ".pdf")
    make_pdf(source.read_text(encoding="utf-8"), pdf)
    slug = "dossiersco" if "dossiersco" in source.name else "classe-a-12"
    stores = {}
    for name, path in (("text", source), ("pdf", pdf)):
        db = tmp_path / f"{name}.db"
        result = imp(run, db, path, "--startup", slug, "--yes")
        assert result.code == 0, result.err
        stores[name] = db

    def facts(db):
        conventions = [
            {
                k: v.replace(".pdf", ".txt") if k == "notes" and v else v
                for k, v in dict(r).items()
                if k not in ("source_file", "source_sha256", "evidence")
            }
            for r in query(db, "SELECT * FROM convention ORDER BY id")
        ]
        parties = [tuple(r) for r in query(db, "SELECT * FROM convention_party ORDER BY id")]
        schedule = [tuple(r) for r in query(db, "SELECT * FROM schedule_line ORDER BY id")]
        deadlines = [tuple(r) for r in query(db, "SELECT * FROM deadline ORDER BY id")]
        return conventions, parties, schedule, deadlines

    assert facts(stores["pdf"]) == facts(stores["text"])
    (pdf_row,) = query(stores["pdf"], "SELECT * FROM convention WHERE source_file IS NOT NULL")
    assert pdf_row["source_file"] == pdf.name


def test_json_dry_run_needs_no_store_and_writes_nothing(run, tmp_path):
    db = tmp_path / "nowhere" / "store.db"
    result = imp(run, db, DOSSIERSCO, "--json", "--dry-run")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) == CONTRACT_KEYS
    assert data["schema"] == "startups.convention/1" and data["kind"] == "avenant"
    assert data["parent"] == {"kind": "convention", "date": "2018-04-12"}
    assert data == json.loads(json.dumps(extract_file(DOSSIERSCO)))
    assert "rien n’est enregistré" in result.err
    assert not db.exists() and not db.parent.exists()
    # Without --db either: the default store in the user data directory is not created.
    result = run("import", "convention", CLASSE_2018, "--json", "--dry-run")
    assert result.code == 0 and set(result.json()) == CONTRACT_KEYS
    from store.location import resolve

    assert not resolve(None).path.exists()


def test_dry_run_on_a_store_previews_the_plan(run, demo_db):
    _demo_without_its_avenant(demo_db)
    before = counts(demo_db)
    result = imp(run, demo_db, DOSSIERSCO, "--dry-run")
    assert result.code == 0
    assert "ceiling_eur" in result.out and "l. 46:" in result.out
    assert "modifie : #" in result.out and "absent(e) de la base" not in result.out
    assert counts(demo_db) == before


def test_json_without_dry_run_keeps_stdout_pure(run, db_path):
    result = imp(run, db_path, CLASSE_2018, "--json", "--startup", "classe-a-12", "--yes")
    assert result.code == 0, result.err
    assert set(result.json()) == CONTRACT_KEYS
    assert "enregistré : classe-a-12, convention" in result.err
    assert counts(db_path)["convention"] == 1


# --- bad input -------------------------------------------------------------------------------


def _scan_pdf(path: pathlib.Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    pdf.output(str(path))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "vide"),
        ("blank.txt", b"  \n\n \t\n", "vide"),
        ("binary.txt", bytes(range(256)) * 8, "binaire"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "non pris en charge"),
        (
            "recette.txt",
            b"Recette de la tarte aux pommes : 3 pommes, 200 g de farine.\n",
            "ni une convention ni un avenant",
        ),
        ("broken.pdf", b"%PDF-1.4\n%garbage\x00\x01 not really a pdf", "PDF"),
        ("missing.txt", None, "illisible"),
        ("scan.pdf", "scan", "couche texte"),
    ],
)
def test_bad_input_is_refused_in_one_line(run, demo_db, tmp_path, name, content, reason):
    path = tmp_path / name
    if content == "scan":
        _scan_pdf(path)
    elif content is not None:
        path.write_bytes(content)
    before = counts(demo_db)
    for args in (("--yes",), ("--startup", "dossiersco", "--yes"), ("--json", "--dry-run")):
        result = imp(run, demo_db, path, *args)
        assert result.code == 2, (args, result.err)
        (line,) = result.err.splitlines()
        assert reason.lower() in line.lower() and name in line
        assert "Traceback" not in result.err
        assert result.out == ""
    assert counts(demo_db) == before


def test_a_words_mismatch_is_shown_not_hidden(run, demo_db):
    _demo_without_its_avenant(demo_db)
    result = imp(run, demo_db, MISMATCH, "--yes")
    assert result.code == 0, result.err
    assert "NO: the amount in words" in result.out
    assert "avertissement : le plafond en chiffres ne correspond pas" in result.out


# --- the store API the app uses ----------------------------------------------------------------


def test_plan_and_apply_through_the_store_api(demo_db):
    _demo_without_its_avenant(demo_db)
    extraction = extract_file(DOSSIERSCO)
    s = open_store(str(demo_db))
    with s.session() as session:
        plan = plan_import(session, extraction)
        assert plan.startup.slug == "dossiersco" and plan.existing is None
        assert plan.parent is not None and plan.parent.concluded_on.isoformat() == "2018-04-12"
        assert plan.parent.placeholder and not plan.problems
        assert [values["name"] for pid, values in plan.parties if pid is None] == [
            "SG du MENJ-MESRI",
            "DINSIC",
        ]
    with s.session() as session:
        result = apply_import(session, plan)
        assert result.created and result.parent_id == plan.parent.id
    with s.session() as session:
        again = plan_import(session, extraction)
        assert again.already_imported is not None and again.nothing_to_do
        convention = session.exec(
            select(Convention).where(Convention.source_sha256 == extraction["sha256"])
        ).one()
        assert convention.parent_id == plan.parent.id
    s.dispose()


def test_evidence_rows():
    rows = {r.field: r for r in evidence_rows(extract_file(CLASSE_2018))}
    ceiling = rows["ceiling_eur"]
    assert ceiling.value.replace("\u202f", " ").replace("\u00a0", " ") == "269 700 €"
    assert ceiling.line == 87 and ceiling.evidence.startswith("l. 87: La DINSIC est tenue")
    assert "269 700€" in ceiling.excerpt(60) and len(ceiling.excerpt(60)) < 80
    assert rows["imputation.bop"].value == "0214-CEN2"
    assert rows["starts_on"].value == "—" and rows["starts_on"].evidence == ""
    assert rows["deadlines[0]"].value.startswith("2018-09-01: Version utilisable")
