"""Time the read path against B = ``python -c "import sqlite3, rich"``, side by side.

    python bench/report_bench.py [--db PATH] [--startups 10000] [--expenses 1000000] [-n 7]

Builds the synthetic store with ``bench/generate.py`` when PATH does not exist, then
runs each command N times, interleaved (B, report json, report table, --help, burn, B,
…) so that the machine's load affects them alike, and prints the best wall time of
each as a ratio to B's best, with the child's peak memory (``ru_maxrss``).

Bytecode: every child runs with ``PYTHONDONTWRITEBYTECODE`` unset and one warm-up run
first, so B and the commands are all measured with their ``.pyc`` files (as installed
software runs), never paying for compiling sources.

Goals (issue 5): report json and table --limit 50 at most 5× B, 32 MiB peak; any other
non-app command at most 4× B.  Numbers are informational; nothing here fails a build.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_once(argv: list[str], env: dict) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of ``argv``."""
    began = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - began
    proc.returncode = 0
    return took, usage.ru_maxrss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/startups-bench-10k-1m.db"))
    parser.add_argument("--startups", type=int, default=10_000)
    parser.add_argument("--expenses", type=int, default=1_000_000)
    parser.add_argument("--as-of", default="2022-06-15")
    parser.add_argument("-n", type=int, default=7, help="runs of each command (best kept)")
    args = parser.parse_args(argv)

    if not args.db.exists():
        # In a child process: a fork inherits its parent's peak RSS (ru_maxrss), so
        # generating in this process would inflate every measured child's peak memory.
        began = time.perf_counter()
        subprocess.run(
            [
                *(sys.executable, str(ROOT / "bench" / "generate.py")),
                *("--startups", str(args.startups), "--expenses", str(args.expenses)),
                *("--seed", "1", "--db", str(args.db)),
            ],
            check=True,
        )
        print(f"generated {args.db} in {time.perf_counter() - began:.1f} s")

    # The same command on the 2-startup demo store: the fixed cost of the CLI (interpreter,
    # typer and its parameter validation, the store's modules), whatever the data.
    floor_db = args.db.with_name("startups-bench-demo.db")
    if not floor_db.exists():
        subprocess.run(
            [
                *(str(Path(sys.executable).with_name("startups")), "demo"),
                *("--db", str(floor_db), "--no-tui"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    python = sys.executable
    startups = str(Path(python).with_name("startups"))
    db, as_of = str(args.db), args.as_of
    commands = {
        "B (import sqlite3, rich)": [python, "-c", "import sqlite3, rich"],
        # What any typer command pays before its first line of its own (for reference:
        # the goal cannot go under these).
        "import typer (reference)": [python, "-c", "import typer"],
        "import typer + rich table (reference)": [
            *(python, "-c", "import typer, rich.console, rich.table"),
        ],
        "report --format json": [startups, "report", "--db", db, "--as-of", as_of, "-f", "json"],
        "report --format table --limit 50": [
            startups,
            "report",
            "--db",
            db,
            "--as-of",
            as_of,
            "-f",
            "table",
            "--limit",
            "50",
        ],
        "report json on the demo (floor)": [
            *(startups, "report", "--db", str(floor_db), "--as-of", as_of, "-f", "json"),
        ],
        "startups --help": [startups, "--help"],
        "burn s00001 --format json": [
            startups,
            "burn",
            "s00001",
            "--db",
            db,
            "--as-of",
            as_of,
            "-f",
            "json",
        ],
        "burn s00001 (chart)": [startups, "burn", "s00001", "--db", db, "--as-of", as_of],
    }
    goals = {"report --format json": 5, "report --format table --limit 50": 5}
    for argv_ in commands.values():  # warm-up: writes the .pyc files, fills the page cache
        run_once(argv_, env)
    best = {name: (float("inf"), 0) for name in commands}
    for _ in range(args.n):
        for name, argv_ in commands.items():
            took, rss = run_once(argv_, env)
            if took < best[name][0]:
                best[name] = (took, max(rss, best[name][1]))
            else:
                best[name] = (best[name][0], max(rss, best[name][1]))
    base = best["B (import sqlite3, rich)"][0]
    print(f"{'command':40} {'best':>8} {'× B':>6} {'goal':>5} {'peak MiB':>9}")
    for name, (took, rss) in best.items():
        if name.startswith("B ") or name.endswith("(reference)"):
            print(f"{name:40} {took * 1000:6.0f}ms {took / base:6.2f} {'':5} {rss / 1024:9.1f}")
            continue
        goal = goals.get(name, 4)
        flag = "" if took / base <= goal else "  over"
        print(f"{name:40} {took * 1000:6.0f}ms {took / base:6.2f} {goal:5} {rss / 1024:9.1f}{flag}")
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"(largest child peak overall: {maxrss / 1024:.1f} MiB; {args.n} runs each, best kept)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
