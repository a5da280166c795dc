"""Write what ``startups report`` prints, in every format, for the stores of
``tests/cli/test_report_formats.py``: the files that test compares today's output with.

    uv run python tests/make_report_goldens.py [--startups PATH] [output_dir]

``--startups`` runs another build of the command (an older checkout's
``.venv/bin/startups``), so that a new renderer can be held to what an earlier one
printed; by default this checkout's.  The table is written as the command prints it
piped: at its full width (``COLUMNS`` is set wide enough for a renderer that would
otherwise cut it to 80 cells).  By default the files go to ``tests/fixtures/report``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

# The stores: the demo, the beta.gouv.fr fixture (real names, phases and sponsors, no
# money), and a small generated portfolio (every kind of convention, line and alert).
STORES = ("demo", "betagouv", "generated")
# (store, as-of date, extra arguments)
CASES = (
    ("demo", "2018-09-15", ()),
    ("demo", "2019-06-30", ()),
    ("demo", "2018-09-15", ("--sort", "remaining")),
    ("betagouv", "2022-06-15", ()),
    ("betagouv", "2022-06-15", ("--phase", "construction")),
    ("generated", "2019-03-01", ()),
    ("generated", "2021-11-30", ()),
    ("generated", "2021-11-30", ("--sort", "alerts", "--limit", "7")),
    ("generated", "2021-11-30", ("--limit", "5")),
)
FORMATS = ("json", "csv", "markdown", "table")


def case_name(store: str, as_of: str, extra: tuple[str, ...], fmt: str) -> str:
    suffix = "".join("_" + a.lstrip("-") for a in extra)
    return f"{store}_{as_of}{suffix}.{fmt}.txt"


def build_store(kind: str, path: Path, startups: str) -> None:
    """One of STORES at ``path``, through the command ``startups`` (and the generator)."""

    def cli(*args: str) -> None:
        subprocess.run([startups, *args, "--db", str(path)], check=True, capture_output=True)

    if kind == "demo":
        cli("demo", "--no-tui")
    elif kind == "betagouv":
        cli("import", "betagouv", str(ROOT / "tests" / "fixtures" / "betagouv"))
    else:
        generate.generate(path, startups=60, expenses=4000, seed=11)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--startups", default=str(Path(sys.executable).with_name("startups")))
    parser.add_argument("output", nargs="?", type=Path, default=ROOT / "tests/fixtures/report")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "COLUMNS": "400", "STARTUPS_LANG": "fr"}
    with tempfile.TemporaryDirectory() as scratch:
        for kind in STORES:
            path = Path(scratch) / f"{kind}.db"
            build_store(kind, path, args.startups)
            for store, as_of, extra in CASES:
                if store != kind:
                    continue
                for fmt in FORMATS:
                    out = subprocess.run(
                        [
                            *(args.startups, "report", "--db", str(path)),
                            *("--as-of", as_of, "-f", fmt, *extra),
                        ],
                        check=True,
                        capture_output=True,
                        text=True,
                        env=env,
                    ).stdout
                    (args.output / case_name(store, as_of, extra, fmt)).write_text(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
