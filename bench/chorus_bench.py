"""Time reading a 100,000-line Chorus INF-BUD-53 export, per layout, in fresh processes.

For each layout big enough to matter (the 2019 ones, 24 and 26 columns; the 2025 Excel
one; the long 2025 CSV, one amount per line; and the 2019 layout saved as CSV), the script
writes a synthetic export in a temporary folder (workbooks as Excel writes them: shared
strings, a dimension, date styles; in a process of its own), then reads it with
``store.importers.chorus.read.read_chorus`` in a fresh Python process, best of N, and
reports the wall-clock and CPU time and the child's peak memory (``ru_maxrss`` from
``wait4``).  B is ``python -c "import sqlite3, rich"``, the floor of any command here.

The goal is the whole ``startups import chorus`` within 10 s and 200 MiB; the store's
writes come later, so the reading alone should take well under half of that.

    uv run python bench/chorus_bench.py [--lines N] [--runs N]

Run it with PYTHONDONTWRITEBYTECODE unset, so that the children use compiled bytecode.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

GOAL_SECONDS = 10.0
GOAL_MIB = 200.0
# What the reading may take of the goals, the store's writes coming on top.
SHARE = 0.5

CASES = (
    ("2019", "xlsx"),
    ("2019-dg", "xlsx"),
    ("2025", "xlsx"),
    ("2025-long", "csv"),
    ("2019", "csv"),
)

READ = (
    "import sys\n"
    "from store.importers.chorus.read import read_chorus\n"
    "found = read_chorus(sys.argv[1])\n"
    "print(len(found.records), len(found.problems), found.layout.value)\n"
)


def run(argv: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak MiB and the output of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"failed ({child.returncode}): {' '.join(argv)}\n{err.decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode().strip()


def generate(path: Path, layout: str, lines: int) -> None:
    """Write one export (in its own process: see main)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from chorus_support import big_rows, csv_text, write_xlsx

    rows = big_rows(layout, lines)
    if path.suffix == ".xlsx":
        write_xlsx(path, rows)
    else:
        path.write_text(csv_text(rows), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generate", nargs=2, metavar=("PATH", "LAYOUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[0]), args.generate[1], args.lines)
        return
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: the children compile every module")

    baseline = [sys.executable, "-c", "import sqlite3, rich"]
    b_wall = min(run(baseline)[0] for _ in range(args.runs))
    print(
        f"{args.lines:,} lines per export, best of {args.runs}; B = {b_wall:.3f} s "
        "(python -c 'import sqlite3, rich')"
    )
    print(f"{'export':<22}{'size':>9}{'wall':>9}{'CPU':>9}{'peak':>10}   records / problems")
    worst = (0.0, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        for layout, kind in CASES:
            path = Path(tmp) / f"INFBUD53_{layout}.{kind}"
            # Written by another process: a child's peak memory (ru_maxrss) counts the
            # parent's image it was forked from, so this process must stay small.
            run(
                [sys.executable, __file__, "--generate", str(path), layout, f"--lines={args.lines}"]
            )
            best = None
            for _ in range(args.runs):
                measured = run([sys.executable, "-c", READ, str(path)])
                if best is None or measured[0] < best[0]:
                    best = measured
            assert best is not None
            wall, cpu, peak, out = best
            worst = (max(worst[0], wall), max(worst[1], peak))
            size = path.stat().st_size / 2**20
            print(
                f"{layout + ' ' + kind:<22}{size:7.1f} M{wall:7.2f} s{cpu:7.2f} s"
                f"{peak:7.0f} MiB   {out}   ({wall / b_wall:.0f} x B)"
            )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this process: {own:.0f} MiB, below which no child's peak can be measured)")
    seconds, mib = worst
    limit_s, limit_m = GOAL_SECONDS * SHARE, GOAL_MIB * SHARE
    print(
        f"goal: the import within {GOAL_SECONDS:.0f} s and {GOAL_MIB:.0f} MiB -> reading at most "
        f"{seconds:.2f} s and {mib:.0f} MiB: "
        + ("OK" if seconds <= GOAL_SECONDS and mib <= GOAL_MIB else "OVER")
        + f"; within half ({limit_s:.0f} s, {limit_m:.0f} MiB): "
        + ("yes" if seconds <= limit_s and mib <= limit_m else "no")
    )


if __name__ == "__main__":
    main()
