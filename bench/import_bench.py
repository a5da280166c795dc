"""Time `startups import betagouv` on the shared beta.gouv.fr snapshot.

Three commands run side by side, alternating, best of N, in fresh processes:

- B: ``python -c "import sqlite3, rich"`` — the floor of any Python command here;
- fresh: importing the snapshot into a new store (schema creation included);
- again: importing it a second time into that store (everything unchanged).

The goal is "a couple of seconds at most" for the import; the ratios to B say how
much of that is the import itself on this machine.

    uv run python bench/import_bench.py [SNAPSHOT_DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SNAPSHOT = ROOT.parent / "shared" / "data" / "betagouv"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU is steadier on a busy machine)."""
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr}")
    return elapsed, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", nargs="?", type=Path, default=DEFAULT_SNAPSHOT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.snapshot.is_dir():
        sys.exit(f"no snapshot at {args.snapshot}")

    baseline = [sys.executable, "-c", "import sqlite3, rich"]
    inf = (float("inf"), float("inf"))
    best = {"B": inf, "fresh": inf, "again": inf}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            db = Path(tmp) / f"bench-{run}.db"
            command = [sys.executable, str(ROOT / "cli.py"), "import", "betagouv"]
            command += [str(args.snapshot), "--db", str(db)]
            for name, argv in (("B", baseline), ("fresh", command), ("again", command)):
                wall, cpu = timed(argv)
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))

    b_wall, b_cpu = best["B"]
    print(f"snapshot: {args.snapshot}  (best of {args.runs}; wall clock, and CPU user+sys)")
    rows = (
        ("B", "B: python -c 'import sqlite3, rich'"),
        ("fresh", "import into a new store"),
        ("again", "import again (no change)"),
    )
    for name, label in rows:
        wall, cpu = best[name]
        print(
            f"  {label:<36}{wall:6.3f} s wall {cpu:6.3f} s CPU"
            f"   {wall / b_wall:5.1f} x B wall  {cpu / b_cpu:5.1f} x B CPU"
        )
    worst = max(best["fresh"][0], best["again"][0])
    verdict = "OK" if worst <= 2.5 else "over 2.5 s (is the machine busy? see the CPU times)"
    print(f"goal: a couple of seconds at most -> {verdict}")


if __name__ == "__main__":
    main()
