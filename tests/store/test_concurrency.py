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
    assert "Conflict" in err and "quelqu'un d'autre a modifié" in err and "rechargez" in err
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
        pytest.raises(Conflict, match="quelqu'un d'autre a modifié cette organisation"),
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


# Adds many lines to one startup, one transaction each (as `startups expense add` does).
ADDER = """
import datetime as dt, sys
from store.open import open_store
from store.ops.ledger import add_expense
from store.errors import StartupsError

store = open_store(sys.argv[1], create=False)
seed = int(sys.argv[2])
for i in range(int(sys.argv[3])):
    day = dt.date(2018, 4 + (i % 6), 1 + (i * 7 + seed) % 28)
    try:
        with store.session() as s:
            add_expense(s, "classe-a-12", date=day, amount_cents=100 + seed * 10 + i,
                        label=f"w{seed}-{i}")
    except StartupsError as exc:  # the store busy (SQLite): said, nothing written
        print(exc, file=sys.stderr)
"""


def test_two_writers_never_skew_the_derived_rows(demo_url):
    """Two processes adding lines to one startup at once: the rollup and the report equal
    sums over the raw lines afterwards (on PostgreSQL the upkeep of a startup's derived
    rows is serialised by a lock on its row)."""
    import datetime as dt

    from sqlalchemy import text

    from store.open import open_reader
    from store.queries.report import build

    writers = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, demo_url, str(seed), "60"],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    for w in writers:
        assert w.wait(timeout=240) == 0, w.stderr.read()
    store = open_store(demo_url, create=False)
    with store.session() as s:
        (sid,) = s.execute(text("SELECT id FROM startup WHERE slug = 'classe-a-12'")).one()
        lines: dict[tuple, list[int]] = {}
        for c, day, amount, paid in s.execute(
            text(
                "SELECT counted_convention_id, date, amount_cents, "
                "CASE WHEN kind = 'payment' THEN amount_cents ELSE 0 END "
                "FROM consumption_line WHERE startup_id = :sid"
            ),
            {"sid": sid},
        ):
            key = (c, str(day)[:7])
            total = lines.setdefault(key, [0, 0])
            total[0] += amount
            total[1] += paid
        rollup = {
            (c, str(month)[:7]): [amount, paid]
            for c, month, amount, paid in s.execute(
                text(
                    "SELECT convention_id, month, amount_cents, paid_cents "
                    "FROM consumption_month WHERE startup_id = :sid"
                ),
                {"sid": sid},
            )
        }
        count = s.execute(
            text("SELECT count(*) FROM consumption_month WHERE startup_id = :sid"), {"sid": sid}
        ).scalar()
        consumed = s.execute(
            text(
                "SELECT sum(amount_cents) FROM consumption_line "
                "WHERE startup_id = :sid AND date <= '2018-09-30' AND counted_convention_id = "
                "(SELECT id FROM convention WHERE startup_id = :sid AND ceiling_cents = 26970000)"
            ),
            {"sid": sid},
        ).scalar()
    store.dispose()
    assert lines  # lines were written
    assert count == len(rollup)  # one row per convention and month, never two
    assert rollup == lines
    with open_reader(demo_url) as reader:
        row = next(r for r in build(reader, dt.date(2018, 9, 30)).rows if r.slug == "classe-a-12")
    assert row.assessment.consumed_cents == consumed
