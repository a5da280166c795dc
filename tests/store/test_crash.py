"""Crash safety: writers killed (SIGKILL) at random moments leave all or nothing.

Three writers, each killed many times at a random moment of its run:

* ``startups demo`` on a new file (schema creation, then the seed portfolio);
* ``startups import betagouv`` of a synthetic tree of 120 startups;
* a script that writes 1 500 expense lines through ``Store.session()``.

After each kill: ``PRAGMA integrity_check`` is ``ok``, the store still opens, and it
holds all of that write or none of it — audit entries included.  The moments are
drawn from a seeded generator (printed on failure) over the last 70 % of each
writer's own measured run time (the first part is Python starting); a summary of
what the trials found is printed (``pytest -s``): "none, mid-write" means the kill
came while the write was under way (known for the script, which says when it began).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from store.schema import HEAD, SchemaState, sqlite_state

# Long-running (processes killed at random, a read-only mount): `-m "not slow"` skips them.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "betagouv" / "content"
TRIALS = int(os.environ.get("STARTUPS_CRASH_TRIALS", "10"))  # per writer: 30 kills in all
SEED = int(os.environ.get("STARTUPS_CRASH_SEED", "20181205"))
LINES = 1500
STARTUPS = 120

WRITER = """
import datetime as dt, sys
from store import models as m
from store.open import open_store
from store.derived import reattribute
from store.ops.ledger import startup_by_slug

store = open_store(sys.argv[1])
store.actor = "crash-writer"
with store.session() as s:
    startup = startup_by_slug(s, "classe-a-12")
    for i in range(int(sys.argv[2])):
        s.add(m.ConsumptionLine(
            startup_id=startup.id, date=dt.date(2018, 6, 1) + dt.timedelta(days=i % 120),
            amount_cents=100 + i, label=f"crash {i}", dedup_key=f"crash:{i}",
        ))
        if i % 250 == 249:
            s.flush()  # the write has begun: the lock is held, rows are in the WAL
            if i == 249:
                open(sys.argv[1] + ".begun", "w").close()
    reattribute(s, startup.id)
"""


def _cli(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), *args]


def _run(argv: list[str], kill_after: float | None) -> tuple[bool, float]:
    """Run ``argv``; SIGKILL it after ``kill_after`` s. Returns (killed, seconds run)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True, time.monotonic() - started
    finally:
        err = proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == 0, err
    return False, time.monotonic() - started


def _integrity(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


def _count(path: Path, sql: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _all_rows(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
            )
        ]
        return sum(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
    finally:
        con.close()


def _betagouv_tree(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    template = next((content / "_startups").glob("*.md")).read_text(encoding="utf-8")
    for i in range(STARTUPS):
        (content / "_startups" / f"crash-startup-{i:03d}.md").write_text(
            template.replace("title: ", f"title: Crash {i:03d} ", 1), encoding="utf-8"
        )
    return content


def _trials(name, setup, argv_for, check, tmp_path, found: Counter) -> None:
    rng = random.Random(f"{SEED}:{name}")
    # A complete run first: how long the write takes, and what "all" looks like.
    path = setup(tmp_path / f"{name}-full.db")
    killed, duration = _run(argv_for(path), None)
    assert not killed
    found[(name, f"full run {duration:.1f} s", "all")] += 0
    full = check(path, None)
    moments = [rng.uniform(0.3, 1.0) * duration for _ in range(TRIALS)]

    def trial(number: int) -> tuple[str, str]:
        path = setup(tmp_path / f"{name}-{number}.db")
        killed, _ = _run(argv_for(path), moments[number])
        mid_write = path.with_name(path.name + ".begun").exists()
        try:
            outcome = check(path, full)
        except AssertionError as exc:
            raise AssertionError(
                f"{name}, trial {number} (seed {SEED}, killed after {moments[number]:.2f} s): {exc}"
            ) from exc
        if outcome == "none" and mid_write:
            outcome = "none, mid-write"
        return ("killed" if killed else "finished"), outcome

    # Two at a time (two cores): each trial has its own store.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for how, outcome in pool.map(trial, range(TRIALS)):
            found[(name, how, outcome)] += 1


@pytest.fixture(scope="module")
def found():
    counter: Counter = Counter()
    yield counter
    total = sum(counter.values())
    print(f"\ncrash trials: {total} (seed {SEED})")
    for (name, how, outcome), n in sorted(counter.items()):
        print(f"  {name:<7} {how:<8} -> {outcome:<15} x{n}")


def test_killed_demo_leaves_all_or_nothing(tmp_path, found):
    def setup(path: Path) -> Path:
        return path

    def check(path: Path, full: int | None) -> str:
        if not path.exists() or path.stat().st_size == 0:
            return "none"
        _integrity(path)
        state, _ = sqlite_state(path)  # raises on a half-made schema
        if state is SchemaState.EMPTY:
            return "none"
        assert state is SchemaState.CURRENT
        rows = _all_rows(path)
        if full is None:
            return rows
        assert rows in (0, full), f"{rows} rows: neither none nor all {full}"
        return "none" if rows == 0 else "all"

    _trials(
        "demo", setup, lambda p: _cli("demo", "--db", str(p), "--no-tui"), check, tmp_path, found
    )


def test_killed_import_leaves_all_or_nothing(tmp_path, found, _demo_template):
    tree = _betagouv_tree(tmp_path / "betagouv")

    def setup(path: Path) -> Path:
        shutil.copy(_demo_template, path)
        return path

    base = _all_rows(_demo_template)

    def check(path: Path, full: int | None) -> str:
        _integrity(path)
        assert sqlite_state(path) == (SchemaState.CURRENT, HEAD)
        crash = _count(path, "SELECT count(*) FROM startup WHERE slug LIKE 'crash-startup-%'")
        rows = _all_rows(path)
        if full is None:
            assert crash == STARTUPS
            return rows
        if crash == 0:
            assert rows == base, "no startup imported, yet rows were added"
            return "none"
        assert (crash, rows) == (STARTUPS, full), f"{crash} startups, {rows} rows"
        return "all"

    _trials(
        "import",
        setup,
        lambda p: _cli("import", "betagouv", str(tree), "--db", str(p)),
        check,
        tmp_path,
        found,
    )


def test_killed_bulk_write_leaves_all_or_nothing(tmp_path, found, _demo_template):
    def setup(path: Path) -> Path:
        shutil.copy(_demo_template, path)
        return path

    def check(path: Path, full: int | None) -> str:
        _integrity(path)
        lines = _count(path, "SELECT count(*) FROM consumption_line WHERE dedup_key LIKE 'crash:%'")
        logged = _count(
            path,
            "SELECT count(*) FROM audit_log WHERE actor = 'crash-writer' "
            "AND table_name = 'consumption_line' AND action = 'insert'",
        )
        assert lines in (0, LINES), f"{lines} of {LINES} lines"
        assert logged == lines, f"{lines} lines but {logged} audit entries"
        return "none" if lines == 0 else "all"

    _trials(
        "write",
        setup,
        lambda p: [sys.executable, "-c", WRITER, str(p), str(LINES)],
        check,
        tmp_path,
        found,
    )


def test_an_interrupted_schema_creation_leaves_nothing(tmp_path, monkeypatch):
    """SQLite runs DDL outside transactions unless told: a migration stopped half-way
    (here, an error after the first revisions) must leave no table behind."""
    from alembic import command

    from store.open import open_store
    from store.schema import REVISIONS

    real_upgrade = command.upgrade

    def upgrade_then_fail(config, _revision):
        real_upgrade(config, REVISIONS[1])
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    path = tmp_path / "s.db"
    with pytest.raises(RuntimeError, match="half-way"):
        open_store(str(path))
    _integrity(path)
    assert sqlite_state(path) == (SchemaState.EMPTY, None)
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    store = open_store(str(path))  # and the next run creates it whole
    store.dispose()
    assert sqlite_state(path) == (SchemaState.CURRENT, HEAD)
