"""Shared fixtures: throw-away stores, the demo portfolio, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

# The language people read is French unless asked (i18n.choose): the tests read the
# product in its default language, whatever the machine's locale, before any import of
# the commands (their help is translated at import).
os.environ["STARTUPS_LANG"] = "fr"

import i18n

i18n.use("fr")

import cli  # noqa: E402
from store.db import Store  # noqa: E402
from store.demo import load_demo  # noqa: E402
from store.open import open_store  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    """Never touch the user's own store: no STARTUPS_DB, a private data directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("STARTUPS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("STARTUPS_DEBUG", raising=False)
    yield
    i18n.use("fr")  # a test that read English leaves French behind it


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(str(db_path))
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    s = open_store(str(path))
    load_demo(s)
    s.dispose()
    return path


@pytest.fixture
def demo_db(_demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of a store holding the seed portfolio."""
    path = tmp_path / "demo.db"
    shutil.copy(_demo_template, path)
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        import json

        return json.loads(self.out)


@pytest.fixture
def run(capsys):
    """Run ``startups ARGS…`` in-process; returns its exit code, stdout and stderr."""

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = cli.main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code=code, out=captured.out, err=captured.err)

    return invoke


# --- both engines: SQLite files and PostgreSQL databases ---------------------------------

PG_ENV = "STARTUPS_TEST_PG_URL"


def _pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against (.ci/run sets it)")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test (dropped after it)."""
    with _pg_database() as url:
        yield url


@pytest.fixture
def other_pg_url() -> Iterator[str]:
    """A second fresh PostgreSQL database, for tests that need two stores."""
    with _pg_database() as url:
        yield url


@contextmanager
def _pg_database() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(_pg_server_url())
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"startups_t_{uuid.uuid4().hex[:12]}"
    try:
        connection = psycopg.connect(admin, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"{PG_ENV} is set but the server is unreachable: {exc}")
    with connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        import gc
        import time

        gc.collect()  # close the connections of engines the test let go
        for attempt in range(20):
            try:
                with psycopg.connect(admin, autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.Error:  # a server process (autovacuum) still attached: retry
                if attempt == 19:
                    raise
                time.sleep(0.1)


ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=ENGINES)
def engine_url(request, tmp_path: Path) -> str:
    """An empty store location on each engine: a SQLite file path, then a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine_store(engine_url: str) -> Iterator[Store]:
    s = open_store(engine_url)
    yield s
    s.dispose()


@pytest.fixture(params=ENGINES)
def demo_url(request, _demo_template: Path, tmp_path: Path) -> str:
    """The seed portfolio on each engine: a copy of the SQLite template, a loaded database."""
    if request.param == "sqlite":
        path = tmp_path / "demo.db"
        shutil.copy(_demo_template, path)
        return str(path)
    url = request.getfixturevalue("pg_url")
    s = open_store(url)
    load_demo(s)
    s.dispose()
    return url


@pytest.fixture(params=ENGINES)
def other_engine_url(request, tmp_path: Path) -> str:
    """A second empty store on each engine (a restore's target, say)."""
    if request.param == "sqlite":
        return str(tmp_path / "other.db")
    return request.getfixturevalue("other_pg_url")
