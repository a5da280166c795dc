"""Time `startups import convention` on texts, PDFs, scans and hostile PDFs.

Whole processes, side by side, alternating, best of N (wall clock and peak memory of the
child, ``ru_maxrss``):

- B: ``python -c "import sqlite3, rich"`` — the floor of any Python command here;
- each seed text, its PDF with a text layer, and its image-only render (a scan: OCR);
- a compression bomb: 300 pages sharing one stream that decompresses to 6 MiB (refused,
  exit 2: the goal is "at once and in bounded memory", not after pypdf parsed 1.8 GiB);
- a single page whose one stream decompresses to 9 MiB (refused the same way).

Every run is ``--json --dry-run`` (no store).  Needs the dev dependencies (fpdf2, Pillow)
and, for the scans, OCRmyPDF with Tesseract's French data.

    uv run python bench/convention_bench.py [--runs N]
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
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "unit")]

from convention_support import make_pdf, make_scan_pdf, ocr_missing  # noqa: E402
from test_convention_read import shared_stream_bomb  # noqa: E402

STARTUPS = str(Path(sys.executable).parent / "startups")


def run(argv: list[str], expect: int) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one run in a fresh process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode() if child.stderr else ""
    if code != expect:
        sys.exit(f"exit {code}, expected {expect}: {' '.join(argv)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def dry_run(path: Path, folder: Path) -> list[str]:
    return [STARTUPS, "import", "convention", str(path), "--json", "--dry-run", "--db",
            str(folder / "none.db")]  # fmt: skip


def make_fixtures(folder: Path) -> None:
    """Write the PDFs, scans and bombs into ``folder`` (run in a child of its own, so that
    the images it draws do not inflate the peak memory the measured children inherit)."""
    for seed in sorted((ROOT / "examples" / "conventions").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        make_pdf(text, folder / f"{seed.stem}.pdf")
        if ocr_missing() is None:
            make_scan_pdf(text, folder / f"{seed.stem}-scan.pdf")
    (folder / "shared-bomb.pdf").write_bytes(shared_stream_bomb(pages=300, decoded_mib=6))
    (folder / "single-bomb.pdf").write_bytes(shared_stream_bomb(pages=1, decoded_mib=9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        make_fixtures(args.make)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, __file__, "--make", str(folder)], check=True)
        cases: list[tuple[str, list[str], int]] = [
            ("B", [sys.executable, "-c", "import sqlite3, rich"], 0)
        ]
        for seed in sorted((ROOT / "examples" / "conventions").glob("*.txt")):
            short = seed.stem[:24]
            cases.append((f"{short} text", dry_run(seed, folder), 0))
            cases.append((f"{short} pdf", dry_run(folder / f"{seed.stem}.pdf", folder), 0))
            scan = folder / f"{seed.stem}-scan.pdf"
            if scan.exists():
                cases.append((f"{short} scan", dry_run(scan, folder), 0))
        for label, name in (("bomb 300 p. × 6 MiB", "shared"), ("bomb 1 p. × 9 MiB", "single")):
            cases.append((label, dry_run(folder / f"{name}-bomb.pdf", folder), 2))

        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.runs):
            for label, argv, expect in cases:
                elapsed, rss = run(argv, expect)
                old = best.get(label)
                best[label] = (min(elapsed, old[0]), max(rss, old[1])) if old else (elapsed, rss)
        floor = best["B"][0]
        print(f"{'case':34} {'wall s':>8} {'× B':>7} {'peak MiB':>9}")
        for label, _argv, _expect in cases:
            elapsed, rss = best[label]
            print(f"{label:34} {elapsed:8.2f} {elapsed / floor:7.1f} {rss:9.1f}")
        if ocr_missing() is not None:
            print(f"(no scans: {ocr_missing()})")


if __name__ == "__main__":
    main()
