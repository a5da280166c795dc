"""One readable line and the right exit status, whatever went wrong underneath."""

from __future__ import annotations

import sqlite3
import threading

import pytest


def one_line(result, *fragments: str) -> None:
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


def test_a_store_locked_longer_than_we_wait_is_busy(run, demo_db, monkeypatch):
    import store.engine

    monkeypatch.setattr(store.engine, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(demo_db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run(
            "expense",
            "add",
            "classe-a-12",
            "--date",
            "2018-07-01",
            "--amount",
            "10",
            "--label",
            "x",
            "--db",
            demo_db,
        )
    finally:
        holder.rollback()
        holder.close()
    assert result.code == 1
    one_line(result, "la base est occupée", "réessayez")


def test_a_full_disk_is_one_line_and_leaves_no_store(run, tmp_path, monkeypatch):
    import store.engine

    real = store.engine._sqlite_on_connect

    def tiny(dbapi_connection, record):
        real(dbapi_connection, record)
        dbapi_connection.execute("PRAGMA max_page_count = 40")  # a disk full at 160 KiB

    monkeypatch.setattr(store.engine, "_sqlite_on_connect", tiny)
    path = tmp_path / "store.db"
    result = run("demo", "--db", path, "--no-tui")
    assert result.code == 1
    one_line(result)
    assert "full" in result.err
    assert not path.exists()


def test_an_amount_beyond_any_budget_is_bad_input(run, demo_db):
    for amount in ("99999999999999999999", "100000000001"):
        result = run(
            "expense",
            "add",
            "classe-a-12",
            "--date",
            "2018-07-01",
            "--amount",
            amount,
            "--label",
            "x",
            "--db",
            demo_db,
        )
        assert result.code == 2
        one_line(result, "--amount", "100 000 000 000")


def test_a_file_that_cannot_be_written_is_one_line(run, demo_db, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run("export", "--db", demo_db, "-o", folder / "x.json")
    finally:
        folder.chmod(0o700)
    if result.code == 0:  # root writes anywhere
        pytest.skip("root writes in a read-only folder")
    one_line(result, "x.json")


def test_an_unexpected_error_says_its_first_line_only(run, demo_db, monkeypatch):
    import store.queries.report

    def boom(*args, **kwargs):
        raise RuntimeError("first line\nSELECT * FROM secret WHERE mail = 'coach@example.fr'")

    monkeypatch.setattr(store.queries.report, "build", boom)
    monkeypatch.setattr("commands.report.build", boom)
    monkeypatch.setattr("commands.report.iter_rows", boom)
    result = run("report", "--db", demo_db, "-f", "markdown")
    assert result.code == 1
    one_line(result, "erreur inattendue (RuntimeError) : first line")
    assert "coach@example.fr" not in result.err


@pytest.mark.postgres
def test_a_server_gone_mid_write_is_one_line(pg_url):
    from sqlalchemy import text

    from store.errors import StartupsError
    from store.open import open_store

    store = open_store(pg_url)
    killer = open_store(pg_url)
    with pytest.raises(StartupsError) as failed, store.session() as session:
        (pid,) = session.execute(text("SELECT pg_backend_pid()")).one()
        done = threading.Event()

        def kill():
            with killer.engine.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            done.set()

        threading.Thread(target=kill).start()
        done.wait(10)
        session.execute(text("SELECT 1"))
    store.dispose()
    killer.dispose()
    message = str(failed.value)
    assert "la connexion à la base est perdue" in message and "\n" not in message
