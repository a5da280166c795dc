"""`startups import convention DIR_OR_FILES…`: every file planned first, one table, then
one transaction per file; what is not a convention is refused, never stored."""

from __future__ import annotations

import io
import json
import os
import pathlib
import shutil
import sqlite3

import pytest
from convention_support import CONTRACT_KEYS, DEJAVU, make_pdf, make_scan_pdf, ocr_missing

import commands.imports
from store.models import Startup
from store.open import open_store

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "conventions"
CLASSE_2018 = SEEDS / "classe-a-12_convention_2018-04-12.txt"
CLASSE_2020 = SEEDS / "classe-a-12_convention-fast_2020.txt"
DOSSIERSCO = SEEDS / "dossiersco_avenant_2018-12-05.txt"
TABLES = ("startup", "convention", "convention_party", "schedule_line", "deadline")


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    """A console wide enough that the plan's cells are not folded."""
    monkeypatch.setenv("COLUMNS", "240")


def counts(db: pathlib.Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def rows(db: pathlib.Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return [tuple(r) for r in con.execute(sql)]


def add_startups(db: pathlib.Path) -> None:
    s = open_store(str(db))
    with s.session() as session:
        session.add(Startup(slug="classe-a-12", title="Classe à 12", source="test"))
        session.add(Startup(slug="dossiersco", title="DossierSco", source="test"))
    s.dispose()


def seeds_folder(tmp_path: pathlib.Path, *, pdfs: bool = True) -> pathlib.Path:
    folder = tmp_path / "conventions"
    folder.mkdir()
    for seed in (CLASSE_2018, CLASSE_2020, DOSSIERSCO):
        shutil.copy(seed, folder / seed.name)
    if pdfs and DEJAVU.exists():
        make_pdf(CLASSE_2018.read_text(encoding="utf-8"), folder / "classe-2018.pdf")
    return folder


def test_a_folder_of_the_seeds_imports_in_one_go(run, db_path, tmp_path):
    add_startups(db_path)
    folder = seeds_folder(tmp_path)
    if ocr_missing() is None:  # and a scan of the avenant, OCR'd
        make_scan_pdf(DOSSIERSCO.read_text(encoding="utf-8"), folder / "avenant-scan.pdf")
    result = run("import", "convention", folder, "--db", db_path, "--yes")
    assert result.code == 0, result.err
    assert "Plan de l’import" in result.out
    assert counts(db_path) == {
        "startup": 2,
        "convention": 4,  # two Classe à 12 conventions, the avenant and its placeholder parent
        "convention_party": 6,
        "schedule_line": 1,
        "deadline": 1,
    }
    stored = rows(
        db_path,
        "SELECT s.slug, c.kind, c.signed_on, c.ceiling_cents, c.placeholder FROM convention c "
        "JOIN startup s ON s.id = c.startup_id ORDER BY c.id",
    )
    assert stored == [
        ("classe-a-12", "convention", "2018-04-12", 269_700_00, 0),
        ("classe-a-12", "convention", None, 50_000_00, 0),
        ("dossiersco", "convention", "2018-04-12", None, 1),
        ("dossiersco", "avenant", "2018-12-05", 200_000_00, 0),
    ]
    # One line per file, conventions first; a PDF of the same text adds nothing to it.
    lines = [line for line in result.err.splitlines() if ": enregistré" in line or ": rien" in line]
    names = [line.split(": ")[0] for line in lines]
    assert set(names) == {p.name for p in folder.iterdir()}
    assert [n.startswith("classe") for n in names] == sorted(
        (n.startswith("classe") for n in names), reverse=True
    )
    stored = [line for line in lines if ": enregistré" in line]
    assert len(stored) == 3, lines  # one of each text: the 2018 and 2020 conventions, the avenant
    assert len(lines) - len(stored) == len(names) - 3
    # Again: everything is already there.
    before = counts(db_path)
    again = run("import", "convention", folder, "--db", db_path, "--yes")
    assert again.code == 0 and "rien à enregistrer" in again.err
    assert counts(db_path) == before


def test_an_avenant_finds_its_parent_among_the_same_files(run, db_path, tmp_path):
    add_startups(db_path)
    own = tmp_path / "dossiersco_convention_2018-04-12.txt"  # DossierSco's own 2018 text
    own.write_text(
        CLASSE_2018.read_text(encoding="utf-8").replace("Classe à 12", "DossierSco"),
        encoding="utf-8",
    )
    result = run("import", "convention", DOSSIERSCO, own, "--db", db_path, "--dry-run")
    assert result.code == 0, result.err
    assert result.out.index("dossiersco_convention") < result.out.index("dossiersco_avenant")
    assert "placeholder" not in result.out
    assert counts(db_path)["convention"] == 0
    result = run("import", "convention", DOSSIERSCO, own, "--db", db_path, "--yes")
    assert result.code == 0, result.err
    (convention, avenant) = rows(
        db_path, "SELECT id, kind, parent_id, placeholder FROM convention ORDER BY id"
    )
    assert convention[1:] == ("convention", None, 0)
    assert avenant[1:] == ("avenant", convention[0], 0)  # amends it: no placeholder


def test_what_is_not_a_convention_is_refused_and_the_rest_stored(run, db_path, tmp_path):
    add_startups(db_path)
    folder = seeds_folder(tmp_path, pdfs=False)
    shutil.copy(ROOT / "README.md", folder / "README.md")
    (folder / "notes.txt").write_text("Liste de courses : pain, lait.\n", encoding="utf-8")
    (folder / "scan.docx").write_bytes(b"PK\x03\x04")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
    result = run("import", "convention", folder, "--db", db_path, "--yes")
    assert result.code == 2, result.err
    refused = [line for line in result.err.splitlines() if line.startswith("startups : ")]
    reasons = {pathlib.Path(line.split(": ")[1].strip()).name: line for line in refused}
    assert "ni une convention ni un avenant" in reasons["README.md"]
    assert "ni une convention ni un avenant" in reasons["notes.txt"]
    assert "type de fichier non pris en charge" in reasons["scan.docx"]
    if hasattr(os, "mkfifo"):
        assert "pas un fichier ordinaire" in reasons["pipe.txt"]
    assert "Traceback" not in result.err
    assert "README.md" in result.out and "non lu" in result.out  # in the table too
    assert counts(db_path)["convention"] == 4  # the three seeds (and a placeholder)
    titles = rows(db_path, "SELECT title FROM convention WHERE title IS NOT NULL")
    assert all("coach" not in (t or "") for (t,) in titles)


def test_the_readme_alone_is_refused(run, db_path):
    add_startups(db_path)
    for args in (("--dry-run",), ("--startup", "dossiersco", "--yes"), ("--json", "--dry-run")):
        result = run("import", "convention", ROOT / "README.md", "--db", db_path, *args)
        assert result.code == 2
        (line,) = result.err.splitlines()
        assert "README.md : ni une convention ni un avenant" in line
        assert result.out == ""
    assert counts(db_path)["convention"] == 0


def test_a_dry_run_stores_nothing_and_shows_the_plan(run, db_path, tmp_path):
    add_startups(db_path)
    folder = seeds_folder(tmp_path, pdfs=False)
    before = counts(db_path)
    result = run("import", "convention", folder, "--db", db_path, "--dry-run")
    assert result.code == 0, result.err
    assert "crée une convention" in result.out and "crée un avenant" in result.out
    assert "fiche provisoire du 12/04/2018" in result.out
    assert "essai : rien n’est enregistré" in result.err
    assert counts(db_path) == before


def test_without_a_store_a_dry_run_shows_what_it_read(run, tmp_path):
    folder = seeds_folder(tmp_path, pdfs=False)
    db = tmp_path / "nowhere" / "store.db"
    result = run("import", "convention", folder, "--db", db, "--dry-run")
    assert result.code == 0, result.err
    assert "lu : 2 parties" in result.out
    assert not db.parent.exists()


def test_json_lists_every_extraction(run, tmp_path):
    folder = seeds_folder(tmp_path, pdfs=False)
    result = run("import", "convention", folder, "--json", "--dry-run", "--db", tmp_path / "x")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [pathlib.Path(x["file"]).name for x in data] == sorted(p.name for p in folder.iterdir())
    assert all(set(x) == CONTRACT_KEYS for x in data)


def test_no_terminal_and_no_yes_stores_nothing(run, db_path, tmp_path):
    add_startups(db_path)
    folder = seeds_folder(tmp_path, pdfs=False)
    before = counts(db_path)
    result = run("import", "convention", folder, "--db", db_path)
    assert result.code == 2
    assert "aucun terminal pour confirmer" in result.err.splitlines()[-1]
    assert counts(db_path) == before


def test_declining_stores_nothing(run, db_path, tmp_path, monkeypatch):
    add_startups(db_path)
    folder = seeds_folder(tmp_path, pdfs=False)
    before = counts(db_path)
    monkeypatch.setattr(commands.imports, "stdin_is_tty", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    result = run("import", "convention", folder, "--db", db_path)
    assert result.code == 1 and "Enregistrer 3 fichiers ?" in result.err
    assert counts(db_path) == before


def test_the_same_file_twice_is_planned_once(run, db_path, tmp_path):
    add_startups(db_path)
    copy = tmp_path / "copie.txt"
    shutil.copy(CLASSE_2018, copy)
    result = run("import", "convention", CLASSE_2018, copy, "--db", db_path, "--yes")
    assert result.code == 0, result.err
    assert f"même fichier que {CLASSE_2018.name}" in result.out
    assert counts(db_path)["convention"] == 1


def test_a_missing_path_is_refused_in_one_line(run, db_path, tmp_path):
    add_startups(db_path)
    result = run("import", "convention", CLASSE_2018, tmp_path / "nope", "--db", db_path, "--yes")
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert "nope : aucun fichier ni dossier de ce nom" in line
    assert counts(db_path)["convention"] == 0


def test_an_empty_folder_is_refused(run, db_path, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("import", "convention", empty, "--db", db_path, "--yes")
    assert result.code == 2 and "aucun fichier à importer" in result.err


@pytest.mark.skipif(ocr_missing() is not None, reason=ocr_missing() or "")
def test_missing_ocr_tools_refuse_the_scan_only(run, db_path, tmp_path, monkeypatch):
    add_startups(db_path)
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(CLASSE_2018, folder / CLASSE_2018.name)
    make_scan_pdf("CONVENTION DE SERVICE\nEntre : la DINUM et la DGESCO\n", folder / "scan.pdf")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    result = run("import", "convention", folder, "--db", db_path, "--yes")
    assert result.code == 2
    (line,) = [x for x in result.err.splitlines() if x.startswith("startups : ")]
    assert "scan.pdf" in line and "apt-get install ocrmypdf tesseract-ocr tesseract-ocr-fra" in line
    assert counts(db_path)["convention"] == 1


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once_in_the_cli(run, db_path, device):
    if not pathlib.Path(device).exists():
        pytest.skip(f"no {device} here")
    add_startups(db_path)
    for args in (("--yes",), ("--json", "--dry-run")):
        result = run("import", "convention", device, "--db", db_path, *args)
        assert result.code == 2
        (line,) = result.err.splitlines()
        assert line.endswith(
            f"{device} : pas un fichier ordinaire (un tube, un périphérique ou une socket) : non lu"
        )
