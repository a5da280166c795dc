"""Time ``startups import chorus`` on a 100,000-line INF-BUD-53 export, in fresh processes.

Writes a synthetic 2019 export (``tests/chorus_support.big_rows``: 100,000 lines, about
33,000 EJs of two postes each) and a store holding one startup with a convention, then
runs the command as a person would (``--startup`` placing the whole file), first into the
empty store, then again (the same export: nothing to add), and reports each run's
wall-clock time and the child's peak memory (``ru_maxrss`` from ``wait4``).

The goal: each run within 10 s and 200 MiB.  The CPU time is shown beside the wall-clock
time: on a shared machine the latter also counts the time spent waiting for a core.
Run it with PYTHONDONTWRITEBYTECODE unset, so that the child uses compiled bytecode.

    uv run python bench/chorus_import_bench.py [--lines N] [--format xlsx|csv]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 10.0
GOAL_MIB = 200.0


def run(argv: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak MiB and the output of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(argv)}\n{err.decode()}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, out.decode().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from chorus_support import big_rows, csv_text, write_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / f"INF-BUD-53.{args.format}"
        rows = big_rows("2019", args.lines)
        if args.format == "xlsx":
            write_xlsx(export, rows)
        else:
            export.write_text(csv_text(rows), encoding="utf-8")
        db = Path(tmp) / "store.db"
        setup = (
            "import datetime as dt, sys\n"
            "from store import models as m\n"
            "from store.open import open_store\n"
            "s = open_store(sys.argv[1])\n"
            "with s.session() as session:\n"
            "    st = m.Startup(slug='bench', title='Bench'); session.add(st); session.flush()\n"
            "    session.add(m.Convention(startup_id=st.id, title='Convention', "
            "signed_on=dt.date(2018, 12, 1), ends_on=dt.date(2020, 12, 31), "
            "ceiling_cents=10**12))\n"
            "s.dispose()\n"
        )
        subprocess.run([sys.executable, "-c", setup, str(db)], cwd=ROOT, check=True)
        command = [
            sys.executable, "-m", "cli", "import", "chorus", str(export),
            "--db", str(db), "--startup", "bench",
        ]  # fmt: skip
        print(f"{args.lines:,} lines ({export.stat().st_size / 2**20:.1f} MiB {args.format})")
        ok = True
        for name in ("first import", "same export again"):
            wall, cpu, peak, out = run(command)
            ok &= wall <= GOAL_SECONDS and peak <= GOAL_MIB
            print(
                f"{name:>18}: {wall:6.2f} s wall  {cpu:6.2f} s CPU  {peak:6.1f} MiB"
                f"  | {out.splitlines()[0]}"
            )
        print(
            f"goal: {GOAL_SECONDS:.0f} s and {GOAL_MIB:.0f} MiB each: {'met' if ok else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
