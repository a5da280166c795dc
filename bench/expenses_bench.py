"""Importing a 1,000,000-line expense export: time and peak memory, as whole processes.

    python bench/expenses_bench.py [--lines 1000000] [--runs 1]

Writes a French export (``date;montant;libellé;nature``) of LINES lines for Classe à 12
into a temporary folder, loads the demo into a new store, and times
``startups import expenses FILE --startup classe-a-12`` in a child process (the first
import, then the same file again: nothing to add), with the child's peak resident memory.
B = ``python -c "import sqlite3, rich"`` is timed beside it.  The goal: the first import
≤ 60 s and ≤ 200 MiB.  Run with PYTHONDONTWRITEBYTECODE unset, so that children use
their .pyc.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS, GOAL_MIB = 60, 200


def write_export(path: Path, lines: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    first = dt.date(2018, 4, 12)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("date;montant;libellé;nature\r\n")
        for i in range(lines):
            day = first + dt.timedelta(days=rng.randrange(0, 170))
            euros = rng.randrange(1, 5000)
            cents = rng.randrange(0, 100)
            kind = "paiement" if rng.random() < 0.8 else "engagement"
            out.write(
                f"{day:%d/%m/%Y};{euros:,},{cents:02d};Prestation n° {i} – sprint {i % 40};"
                f"{kind}\r\n".replace(",", "\u202f", 1 if euros >= 1000 else 0)
            )


def run(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak MiB of the child, exit status."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.stderr.write(process.stderr.read().decode())
    return seconds, usage.ru_maxrss / 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    cli = [sys.executable, str(ROOT / "cli.py")]
    base = min(run([sys.executable, "-c", "import sqlite3, rich"])[0] for _ in range(5))
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.csv"
        write_export(export, options.lines)
        size = export.stat().st_size / 1024**2
        print(f"{options.lines:,} lines, {size:.0f} MB; B = {base * 1000:.0f} ms")
        for n in range(options.runs):
            db = Path(tmp) / f"store{n}.db"
            assert run([*cli, "demo", "--db", str(db), "--no-tui"])[2] == 0
            command = [*cli, "import", "expenses", str(export), "--startup", "classe-a-12"]
            first = run([*command, "--db", str(db)])
            again = run([*command, "--db", str(db)])
            ok = first[0] <= GOAL_SECONDS and first[1] <= GOAL_MIB and first[2] == 0
            print(
                f"first import  {first[0]:6.1f} s  {first[1]:6.0f} MiB  ({first[0] / base:,.0f}× B)"
                f"   goal ≤ {GOAL_SECONDS} s, ≤ {GOAL_MIB} MiB: {'ok' if ok else 'MISSED'}"
            )
            print(f"same again    {again[0]:6.1f} s  {again[1]:6.0f} MiB  (adds nothing)")


if __name__ == "__main__":
    main()
