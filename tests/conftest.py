"""Shared fixtures: throw-away stores, the demo portfolio, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import cli
from store.db import Store, open_store
from store.demo import load_demo

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    """Never touch the user's own store: no STARTUPS_DB, a private data directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("STARTUPS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("STARTUPS_DEBUG", raising=False)


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
