"""Concurrent edits: a stale save is refused, short contention waits — with two processes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from store import models as m
from store.errors import Conflict
from store.open import open_store

ROOT = Path(__file__).resolve().parents[2]

# Process A: reads a convention, waits, then saves its own edit of it.
EDITOR = """
import sys, time
from pathlib import Path
from sqlmodel import select
from store import models as m
from store.open import open_store
from store.errors import StartupsError

url, flag = sys.argv[1], Path(sys.argv[2])
store = open_store(url)
with store.session() as s:
    c = s.exec(select(m.Convention).where(m.Convention.ceiling_cents == 26_970_000)).one()
(flag.parent / "read").touch()
while not flag.exists():
    time.sleep(0.02)
c.title = "Edited by A"
try:
    with store.session() as s:
        s.add(c)
except StartupsError as exc:
    print(type(exc).__name__, exc, file=sys.stderr)
    sys.exit(exc.exit_code)
"""

# Process B: edits the same convention and commits.
OTHER = """
import sys
from sqlmodel import select
from store import models as m
from store.open import open_store

store = open_store(sys.argv[1])
with store.session() as s:
    c = s.exec(select(m.Convention).where(m.Convention.ceiling_cents == 26_970_000)).one()
    c.ceiling_cents = 27_000_000
    s.add(c)
"""

# Holds the write lock for a while (an import in progress), then commits.
HOLDER = """
import sys, time
from pathlib import Path
from store import models as m
from store.open import open_store

store = open_store(sys.argv[1])
with store.session() as s:
    s.add(m.Organisation(slug="holder", name="Holder"))
    s.flush()  # the write lock is taken here
    Path(sys.argv[2]).touch()
    time.sleep(float(sys.argv[3]))
"""


def _python(code: str, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(proc.communicate())
        assert time.monotonic() < deadline, "the other process never got there"
        time.sleep(0.02)


def test_a_stale_save_is_refused_across_processes(demo_url, tmp_path):
    go = tmp_path / "go"
    editor = _python(EDITOR, demo_url, str(go))
    _wait_for(tmp_path / "read", editor)
    other = _python(OTHER, demo_url)
    assert other.wait(30) == 0, other.communicate()
    go.touch()
    _out, err = editor.communicate(timeout=30)
    assert editor.returncode == 1, err
    assert "Conflict" in err and "changed by someone else" in err and "reload" in err
    store = open_store(demo_url)
    with store.session() as s:
        c = s.exec(select(m.Convention).where(m.Convention.ceiling_cents == 27_000_000)).one()
        assert c.title == "Convention de service"  # A's edit was not saved over B's
        assert c.version == 2
        updates = s.exec(
            select(m.AuditLog).where(
                m.AuditLog.action == "update", m.AuditLog.table_name == "convention"
            )
        ).all()
        assert len(updates) == 1  # B's edit only
    store.dispose()


def test_a_fresh_save_goes_through(engine_store):
    with engine_store.session() as s:
        org = m.Organisation(slug="o", name="O")
        s.add(org)
    org.name = "O2"
    with engine_store.session() as s:
        s.add(org)
    org.name = "O3"
    with engine_store.session() as s:  # the object knows its new version: still fresh
        s.add(org)
    assert org.version == 3


def test_stale_in_process_is_a_conflict(engine_store):
    with engine_store.session() as s:
        s.add(m.Organisation(slug="o", name="O"))
    with engine_store.session() as s:
        mine = s.exec(select(m.Organisation)).one()
    with engine_store.session() as s:
        theirs = s.exec(select(m.Organisation)).one()
        theirs.name = "theirs"
        s.add(theirs)
    mine.name = "mine"
    with (
        pytest.raises(Conflict, match="organisation was changed by someone else"),
        engine_store.session() as s,
    ):
        s.add(mine)
    assert Conflict.exit_code == 1


def test_short_contention_waits_instead_of_failing(demo_url, tmp_path):
    locked = tmp_path / "locked"
    holder = _python(HOLDER, demo_url, str(locked), "1.0")
    _wait_for(locked, holder)
    started = time.monotonic()
    store = open_store(demo_url)
    with store.session() as s:
        s.add(m.Organisation(slug="waiter", name="Waiter"))
    waited = time.monotonic() - started
    assert holder.wait(30) == 0, holder.communicate()
    with store.session() as s:
        slugs = set(s.exec(select(m.Organisation.slug)).all())
    store.dispose()
    assert {"holder", "waiter"} <= slugs
    if "://" not in demo_url:
        # SQLite has one writer at a time: the busy timeout made this one wait, not fail.
        # (PostgreSQL locks rows, not the database: the two inserts never meet.)
        assert waited > 0.3
