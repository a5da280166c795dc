"""Least privilege: private store files, and reading a store nobody may write."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

# Long-running (processes killed at random, a read-only mount): `-m "not slow"` skips them.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_store_files_stay_private(run, tmp_path):
    folder = tmp_path / "private"
    db = folder / "s.db"
    assert run("demo", "--db", db, "--no-tui").code == 0
    assert run("backup", folder / "s.bak", "--db", db).code == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():  # the store, its -wal/-shm, the backup
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def _read_only_runner(folder: Path):
    """Run the CLI with ``folder`` read-only: a read-only bind mount as root, else chmod."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        for path in folder.iterdir():
            path.chmod(0o444)

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, str(ROOT / "cli.py"), *args],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )

        return run
    if shutil.which("unshare") is None:
        pytest.skip("root ignores file modes, and unshare (for a read-only mount) is missing")
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind {folder} {folder}"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip("root ignores file modes, and read-only mounts are not allowed here")

    def run(*args: str) -> subprocess.CompletedProcess:
        command = " ".join(
            [f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' &&"]
            + ["exec", f"'{sys.executable}'", f"'{ROOT / 'cli.py'}'"]
            + [f"'{a}'" for a in args]
        )
        return subprocess.run(
            ["unshare", "-m", "sh", "-c", command], capture_output=True, text=True, cwd=ROOT
        )

    return run


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_report_on_a_read_only_store_and_folder(run, demo_db, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "s.db"
    shutil.copy(demo_db, db)
    # A cleanly closed WAL store: no -wal/-shm beside it, and none can be created.
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"]
    expected = run("report", "--db", db, "--as-of", "2018-09-15", "-f", "json").out
    before = _digest(folder)

    ro = _read_only_runner(folder)
    report = ro("report", "--db", str(db), "--as-of", "2018-09-15", "-f", "json")
    assert report.returncode == 0, report.stderr
    assert report.stdout == expected
    for args in (("log", "--limit", "1"), ("export",)):
        result = ro(*args, "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert result.stdout
    # Loading the demo again writes nothing: it works; a restore must write: refused.
    assert ro("demo", "--db", str(db), "--no-tui").returncode == 0
    export = tmp_path / "export.json"
    assert run("backup", export, "--db", demo_db).code == 0
    write = ro("restore", str(export), "--db", str(db), "--yes")
    assert write.returncode == 1, write.stderr
    assert write.stderr.count("\n") == 1 and "Traceback" not in write.stderr
    assert "lecture seule" in write.stderr and str(db) in write.stderr
    assert _digest(folder) == before
