"""A store path is a path, a password is never printed, a new store is all or nothing."""

from __future__ import annotations

import os
import stat

import pytest


@pytest.mark.parametrize("name", ["a?b.db", "e%20f.db", "g#h.db"])
def test_a_plain_path_is_that_file_whatever_its_characters(run, tmp_path, name):
    path = tmp_path / name
    assert run("demo", "--db", path, "--no-tui").code == 0
    assert path.exists() and path.stat().st_size > 0
    # Nothing was written anywhere else (the part before "?", a decoded name).
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(name)) == []
    assert run("report", "--db", path, "--as-of", "2018-09-15", "-f", "json").code == 0


def test_options_in_a_sqlite_url_are_refused_not_ignored(run, tmp_path, demo_db):
    result = run("report", "--db", f"sqlite:///{demo_db}?mode=ro")
    assert result.code == 2
    assert "les options d'une URL SQLite ne sont pas prises en charge (mode=ro)" in result.err
    assert result.err.count("\n") == 1


def test_a_sqlite_url_is_percent_decoded(run, tmp_path):
    assert run("init", "--db", f"sqlite:///{tmp_path}/e%20f.db").code == 0
    assert (tmp_path / "e f.db").exists()


def test_every_folder_made_for_a_store_is_private(run, tmp_path):
    path = tmp_path / "a" / "b" / "c" / "store.db"
    assert run("init", "--db", path).code == 0
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_new_store_that_cannot_be_filled_is_not_left_behind(run, tmp_path, monkeypatch):
    import store.demo

    def full_disk(store):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.demo, "load_demo", full_disk)
    path = tmp_path / "new" / "store.db"
    result = run("demo", "--db", path, "--no-tui")
    assert result.code == 1 and result.err.count("\n") == 1
    assert not path.exists() and not (tmp_path / "new").exists()


def test_a_new_store_whose_schema_fails_is_not_left_behind(run, tmp_path, monkeypatch):
    import store.engine

    def failing(engine):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.engine, "upgrade", failing)
    path = tmp_path / "store.db"
    assert run("init", "--db", path).code == 1
    assert not path.exists()


def test_a_failed_fill_never_removes_a_store_that_was_there(run, demo_db, monkeypatch):
    import store.demo

    def full_disk(store):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.demo, "load_demo", full_disk)
    assert run("demo", "--db", demo_db, "--no-tui").code == 1
    assert demo_db.exists() and os.path.getsize(demo_db) > 0


@pytest.mark.postgres
def test_a_password_given_as_an_option_is_never_printed(run, pg_url, tmp_path):
    from urllib.parse import urlsplit

    parts = urlsplit(pg_url)
    password = parts.password
    bare = pg_url.replace(f":{password}@", "@")
    url = f"{bare}?password={password}"
    outputs = [
        run("init", "--db", url),
        run("demo", "--db", url, "--no-tui"),
        run("backup", tmp_path / "b.json", "--db", url),
        run("report", "--db", url.replace(password, "wrong"), "--as-of", "2018-09-15"),
    ]
    for result in outputs:
        said = result.out + result.err
        # (The test server's password is also its user's name: look for it as a password.)
        assert f"password={password}" not in said and f":{password}@" not in said, result
    assert "password=***" in outputs[0].out


def test_the_masking_of_a_url_option(tmp_path):
    from store.location import StoreLocation, mask_url, scrub

    url = "postgresql+psycopg://coach@db/startups?sslmode=require&password=s3cret&x=1"
    assert mask_url(url) == (
        "postgresql+psycopg://coach@db/startups?sslmode=require&password=***&x=1"
    )
    assert StoreLocation(url=url).password == "s3cret"
    assert "s3cret" not in scrub("failed: s3cret rejected", StoreLocation(url=url).password)
