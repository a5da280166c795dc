"""Real beta.gouv.fr files are messy: a defect in one field never costs the whole startup,
escapes in a field never reach a terminal, and only the tree's own files are read."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

MESSY = """---
title: "Messy\\e]52;c;cHduZWQ=\\a \\u202eSD"
mission: "Une mission\\nsur deux lignes"
incubator: dinum
incubators:
  - dinum
  - ademe
phases:
  - name: investigation
  - name: construction
    start: 2021-02-01
events:
  - name: end
  - date: 2021-09-01
  - name: committee
    date: 2021-06-01
    comment: "comité\\e[2J"
fast:
  promotion: nine
---
Corps.
"""


def checkout(root: Path) -> Path:
    shutil.copytree(FIXTURES / "betagouv" / "content", root / "content")
    (root / "content" / "_startups" / "messy.md").write_text(MESSY, encoding="utf-8")
    return root


def rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_defective_field_costs_the_field_not_the_startup(run, tmp_path, db_path):
    root = checkout(tmp_path / "b")
    result = run("import", "betagouv", root, "--db", db_path)
    assert result.code == 0, result.err  # every startup is in: warnings only
    warnings = [line for line in result.err.splitlines() if "avertissement :" in line]
    assert all("messy.md" in line for line in warnings)
    said = " ".join(warnings)
    for fragment in (
        "title : caractères de contrôle retirés",
        "events[0] : un événement sans date ; cet événement est laissé de côté",
        "events[1] : un événement sans nom ; cet événement est laissé de côté",
        "events[2].comment : caractères de contrôle retirés",
        "fast.promotion : 'nine' n'est pas un nombre ; cette dotation FAST est laissée de côté",
    ):
        assert fragment in said, fragment
    assert "\x1b" not in result.err and "\u202e" not in result.err
    ((title, mission),) = rows(db_path, "SELECT title, mission FROM startup WHERE slug = 'messy'")
    assert title == "Messy]52;c;cHduZWQ= SD"  # cleaned: no ESC, BEL nor U+202E
    assert mission == "Une mission\nsur deux lignes"  # a multi-line field keeps its lines
    phases = rows(
        db_path,
        "SELECT p.name, p.start FROM phase p JOIN startup s ON s.id = p.startup_id "
        "WHERE s.slug = 'messy' ORDER BY p.name",
    )
    assert phases == [("construction", "2021-02-01"), ("investigation", None)]
    events = rows(
        db_path,
        "SELECT e.name, e.comment FROM event e JOIN startup s ON s.id = e.startup_id "
        "WHERE s.slug = 'messy'",
    )
    assert events == [("committee", "comité[2J")]
    # Co-incubation is kept: the other incubator, not the main one again.
    co = rows(
        db_path,
        "SELECT i.slug FROM startup_incubator si JOIN incubator i ON i.id = si.incubator_id "
        "JOIN startup s ON s.id = si.startup_id WHERE s.slug = 'messy'",
    )
    assert co == [("ademe",)]
    shown = run("show", "messy", "--db", db_path, "--as-of", "2021-07-01")
    assert "Co-incubé par" in shown.out and "(ademe)" in shown.out


def test_strict_refuses_a_defective_field(run, tmp_path, db_path):
    root = checkout(tmp_path / "b")
    result = run("import", "betagouv", root, "--db", db_path, "--strict")
    assert result.code == 2
    assert "champ(s) défectueux" in result.err.splitlines()[-1]
    assert not db_path.exists()


def test_links_out_of_the_tree_and_fifos_are_named_and_skipped(run, tmp_path, db_path):
    root = checkout(tmp_path / "b")
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\n", encoding="utf-8")
    startups = root / "content" / "_startups"
    (startups / "lien.md").symlink_to(secret)
    os.mkfifo(startups / "fifo.md")
    result = run("import", "betagouv", root, "--db", db_path)
    assert result.code == 1  # files had to be skipped
    assert (
        "lien.md : un lien vers un fichier hors de l'arborescence beta.gouv.fr, ignoré"
        in result.err
    )
    assert "fifo.md : pas un fichier ordinaire" in result.err
    assert rows(db_path, "SELECT count(*) FROM startup WHERE title = 'Secret'") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM startup WHERE slug = 'messy'") == [(1,)]


def test_a_broken_events_list_costs_the_events(run, tmp_path, db_path):
    root = tmp_path / "b"
    shutil.copytree(FIXTURES / "betagouv" / "content", root / "content")
    text = "---\ntitle: Broken events\nevents: not a list\n---\n"
    (root / "content" / "_startups" / "broken.md").write_text(text, encoding="utf-8")
    result = run("import", "betagouv", root, "--db", db_path)
    assert rows(db_path, "SELECT count(*) FROM startup WHERE slug = 'broken'") == [(1,)]
    assert "broken.md : events" in result.err and result.code == 0
