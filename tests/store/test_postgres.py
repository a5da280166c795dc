"""PostgreSQL by URL: the same commands, one set of SQL, and a password never printed."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy.engine import make_url

from store.location import resolve, scrub

SECRET = "Sup3r-s3cret-pw"


def _with_password(url: str, password: str) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def test_postgres_urls_use_psycopg_3():
    assert resolve("postgresql://bob:pw@h/db").url == "postgresql+psycopg://bob:pw@h/db"
    assert resolve("postgres://bob:pw@h/db").url == "postgresql+psycopg://bob:pw@h/db"
    assert resolve("postgresql+psycopg://h/db").url == "postgresql+psycopg://h/db"


def test_scrub_masks_passwords_anywhere_in_a_text():
    text = (
        f"could not parse 'postgresql+psycopg://bob:{SECRET}@h:x/db' "
        f"(dsn: host=h password={SECRET} user=bob) {SECRET}"
    )
    out = scrub(text, SECRET)
    assert SECRET not in out
    assert "postgresql+psycopg://bob:***@h:x/db" in out
    assert "password=***" in out
    assert scrub("nothing to hide", None) == "nothing to hide"


def test_missing_driver_says_how_to_install_it(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg → ImportError
    result = run("report", "--db", f"postgresql+psycopg://bob:{SECRET}@127.0.0.1:1/db")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "uv sync --extra postgres" in result.err and "startups[postgres]" in result.err
    assert SECRET not in result.err


def test_malformed_url_never_shows_the_password(run):
    result = run("init", "--db", f"postgresql+psycopg://bob:{SECRET}@host:notaport/db")
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert SECRET not in result.err


@pytest.mark.postgres
def test_wrong_password_is_masked(run, pg_url):
    bad = _with_password(pg_url, SECRET)
    for args in (("report",), ("init",), ("demo", "--no-tui")):
        result = run(*args, "--db", bad)
        assert result.code == 1, result.err
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
        assert SECRET not in result.err + result.out
        assert "***" in result.err


@pytest.mark.postgres
def test_init_demo_report_on_postgres_never_print_the_password(run, pg_url):
    password = make_url(pg_url).password
    for args in (("init",), ("demo", "--no-tui", "--as-of", "2018-06-01")):
        result = run(*args, "--db", pg_url)
        assert result.code == 0, result.err
        assert f":{password}@" not in result.out + result.err
    assert "***" in result.err


@pytest.mark.postgres
def test_report_is_the_same_on_both_engines(run, pg_url, demo_db):
    assert run("demo", "--db", pg_url, "--no-tui").code == 0
    for day in ("2018-06-01", "2018-09-15", "2018-12-31", "2020-06-01"):
        for fmt in ("json", "csv", "markdown"):
            on_sqlite = run("report", "--db", demo_db, "--as-of", day, "--format", fmt)
            on_postgres = run("report", "--db", pg_url, "--as-of", day, "--format", fmt)
            assert on_sqlite.code == on_postgres.code == 0, on_postgres.err
            assert on_postgres.out == on_sqlite.out, (day, fmt)


def test_postgres_tests_skip_with_a_reason_without_the_variable(monkeypatch):
    from tests.conftest import PG_ENV, _pg_server_url

    monkeypatch.delenv(PG_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"{PG_ENV} is not set"):
        _pg_server_url()
