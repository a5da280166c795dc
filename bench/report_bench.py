"""Time ``startups report`` against B = ``python -c "import sqlite3, rich"``, side by side.

    python bench/report_bench.py [--db PATH] [--real PATH] [-n 7]

``--db``: the synthetic store (10,000 startups, 1,000,000 lines; built with
``bench/generate.py --seed 1`` when PATH does not exist).  ``--real``: a store holding
the real beta.gouv.fr portfolio, made once with ``startups import betagouv CHECKOUT
--db PATH`` from a clone of https://github.com/betagouv/beta.gouv.fr (the goals on the
real portfolio are left out without it).

Each command runs N times, interleaved with B (B, json, table, …, B, json, …) so that the
machine's load affects them alike; the best wall time of each is printed as a ratio to
B's best, with the child's peak memory (``ru_maxrss``).  "On a terminal" runs the
command with a pseudo-terminal of 120 × 40 as its output; "piped", with a pipe.

Bytecode: every child runs with ``PYTHONDONTWRITEBYTECODE`` (and ``PYTHONUNBUFFERED``)
unset and one warm-up run first, so B and the commands are all measured with their
``.pyc`` files (as installed software runs), never paying for compiling sources.

Then each goal of the speed issue is printed with its ratio and "ok", or how far off it
is.  Nothing here fails a build: a benchmark informs, a timed test would only be flaky.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pty
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_once(argv: list[str], env: dict, *, terminal: bool = False) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of ``argv``, its output thrown away
    (read from a pseudo-terminal when ``terminal``)."""
    if not terminal:
        began = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        while proc.stdout.read(1 << 16):
            pass
        _, _, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - began
        proc.returncode = 0
        proc.stdout.close()
        return took, usage.ru_maxrss
    master, slave = pty.openpty()
    env = {**env, "COLUMNS": "120", "LINES": "40", "TERM": "xterm-256color"}
    drained = threading.Thread(target=_drain, args=(master,), daemon=True)
    drained.start()
    began = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=slave, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - began
    proc.returncode = 0
    os.close(slave)
    drained.join(timeout=5)
    os.close(master)
    return took, usage.ru_maxrss


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 1 << 16):
            pass
    except OSError:  # the terminal closed
        pass


@dataclass
class Command:
    name: str
    argv: list[str]
    terminal: bool = False
    best: float = float("inf")
    peak_kib: int = 0


@dataclass
class Goal:
    text: str
    command: str
    # At most this many times B, or this many times another command's time.
    times: float
    of: str = "B"
    peak_mib: float | None = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/startups-bench-10k-1m.db"))
    parser.add_argument("--real", type=Path, default=None)
    parser.add_argument("--startups", type=int, default=10_000)
    parser.add_argument("--expenses", type=int, default=1_000_000)
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
    python = sys.executable
    startups = str(Path(python).with_name("startups"))
    if not floor_db.exists():
        subprocess.run(
            [startups, "demo", "--db", str(floor_db), "--no-tui"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    # As installed software runs: with its bytecode, and stdout buffered as usual.
    unset = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    db = str(args.db)
    today = dt.date.today().isoformat()

    def report(*more: str, store: str = db) -> list[str]:
        return [startups, "report", "--db", store, *more]

    commands = [
        Command("B (import sqlite3, rich)", [python, "-c", "import sqlite3, rich"]),
        # What any typer command pays before its first line of its own.
        Command("import typer (reference)", [python, "-c", "import typer"]),
        Command("report json, demo store (floor)", report("-f", "json", store=str(floor_db))),
        Command("10k json, today", report("-f", "json")),
        Command("10k json, 2022-06-15", report("-f", "json", "--as-of", "2022-06-15")),
        Command("10k json, 2019-01-15", report("-f", "json", "--as-of", "2019-01-15")),
        Command("10k csv, 2022-06-15", report("-f", "csv", "--as-of", "2022-06-15")),
        Command("10k markdown, 2022-06-15", report("-f", "markdown", "--as-of", "2022-06-15")),
        Command("10k table piped, 2022-06-15", report("--as-of", "2022-06-15")),
        Command("10k table --limit 50, terminal", report("--limit", "50"), terminal=True),
        Command("10k table --limit 50, piped", report("--limit", "50")),
    ]
    if args.real is not None:
        real = str(args.real)
        commands += [
            Command("real table, terminal", report(store=real), terminal=True),
            Command("real table, piped", report(store=real)),
            Command("real json", report("-f", "json", store=real)),
        ]
    goals = [
        Goal("real portfolio, table, on a terminal ≤ 5× B", "real table, terminal", 5),
        Goal("real portfolio, table, piped ≤ 5× B", "real table, piped", 5),
        Goal("10k table piped to a file ≤ 10× B", "10k table piped, 2022-06-15", 10),
        Goal("10k table --limit 50 ≤ 6× B", "10k table --limit 50, terminal", 6),
        Goal("10k table --limit 50 piped ≤ 6× B", "10k table --limit 50, piped", 6),
        Goal("10k json today ≤ 6× B, ≤ 32 MiB", "10k json, today", 6, peak_mib=32),
        Goal("10k json 2022-06-15 ≤ 6× B, ≤ 32 MiB", "10k json, 2022-06-15", 6, peak_mib=32),
        Goal("10k json 2019-01-15 ≤ 6× B, ≤ 32 MiB", "10k json, 2019-01-15", 6, peak_mib=32),
        Goal("csv within 1.2× json", "10k csv, 2022-06-15", 1.2, of="10k json, 2022-06-15"),
        Goal(
            "markdown within 1.2× json",
            "10k markdown, 2022-06-15",
            1.2,
            of="10k json, 2022-06-15",
        ),
    ]

    for c in commands:  # warm-up: writes the .pyc files, fills the page cache
        run_once(c.argv, env, terminal=c.terminal)
    for _ in range(args.n):
        for c in commands:
            took, rss = run_once(c.argv, env, terminal=c.terminal)
            c.best = min(c.best, took)
            c.peak_kib = max(c.peak_kib, rss)
    by_name = {c.name: c for c in commands}
    base = by_name["B (import sqlite3, rich)"].best
    print(f"{today}, {os.cpu_count()} cores, {args.n} runs each, best kept; store {args.db.name}")
    print(f"{'command':34} {'best':>8} {'× B':>6} {'peak MiB':>9}")
    for c in commands:
        print(f"{c.name:34} {c.best * 1000:6.0f}ms {c.best / base:6.2f} {c.peak_kib / 1024:9.1f}")
    print()
    print("goals:")
    for g in goals:
        if g.command not in by_name:
            print(f"  {g.text:44}   (no --real store: not measured)")
            continue
        c = by_name[g.command]
        ref = base if g.of == "B" else by_name[g.of].best
        ratio = c.best / ref
        unit = "× B" if g.of == "B" else "× json"
        verdict = "ok" if ratio <= g.times else f"over by {ratio / g.times:.2f}×"
        memory = ""
        if g.peak_mib is not None:
            mib = c.peak_kib / 1024
            memory = f", {mib:.1f} MiB " + ("ok" if mib <= g.peak_mib else "over")
        print(f"  {g.text:44} {ratio:6.2f}{unit} {verdict}{memory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
