"""OCR of scanned PDF pages: OCRmyPDF with Tesseract's French model, run as programs.

The field's standard tools, from the operating system's packages (Debian: ``ocrmypdf``,
``tesseract-ocr``, ``tesseract-ocr-fra``).  They are run as programs, never imported:
Debian's OCRmyPDF belongs to the system's Python, not to ours.

:func:`ocr_pages` OCRs the chosen pages of a PDF and returns their text, one string per
page, as Tesseract read it (the *sidecar* text, which keeps paragraph breaks).  Every run
has a deadline; on expiry the whole process group is killed (OCRmyPDF forks workers,
Ghostscript and Tesseract).  Missing tools raise :class:`OcrUnavailable`, whose one-line
message names the packages to install; a run that fails raises :class:`OcrFailed`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import i18n
from store.fmt import style

_ = i18n.Domain("store").gettext

__all__ = [
    "LANG",
    "PACKAGES",
    "OcrFailed",
    "OcrRefused",
    "OcrUnavailable",
    "engine_name",
    "missing_packages",
    "ocr_pages",
]

LANG = "fra"
# The Debian packages, in the order apt is told to install them.
PACKAGES = ("ocrmypdf", "tesseract-ocr", "tesseract-ocr-fra")
PAGE_SECONDS = 120  # Tesseract's time on one page before it gives up on it
RUN_SECONDS = 60 + 30  # OCRmyPDF's start-up, then per page (see ``_deadline``)


class OcrUnavailable(RuntimeError):
    """The OCR programs or the French language data are not installed (one-line message)."""

    def __init__(self, packages: Sequence[str]):
        self.packages = tuple(packages)
        names = " ".join(self.packages)
        super().__init__(
            _("OCR needs the packages {names} (Debian/Ubuntu: apt-get install {names})").format(
                names=names
            )
        )


class OcrFailed(RuntimeError):
    """OCR ran but did not give the text (a timeout, a page given up, an engine error)."""


class OcrRefused(ValueError):
    """OCRmyPDF refused the file itself (not a PDF it can read, encrypted…)."""


@functools.cache
def _languages(tesseract: str, tessdata: str | None) -> frozenset[str]:
    try:
        done = subprocess.run(
            [tesseract, "--list-langs"],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    # 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):' then
    # one code a line (on stdout since Tesseract 5, stderr before).
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("List of"))


def missing_packages() -> list[str]:
    """The packages to install before OCR can run (empty: everything is there)."""
    missing = []
    if not shutil.which("ocrmypdf"):
        missing.append("ocrmypdf")
    tesseract = shutil.which("tesseract")
    if not tesseract:
        missing.append("tesseract-ocr")
    if not tesseract or LANG not in _languages(tesseract, os.environ.get("TESSDATA_PREFIX")):
        missing.append("tesseract-ocr-fra")
    if missing:
        _languages.cache_clear()  # an install is then seen without restarting
    return missing


@functools.cache
def _version(program: str) -> str | None:
    try:
        done = subprocess.run(
            [program, "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    first = (done.stdout or done.stderr).strip().splitlines()
    match = re.search(r"\d+(?:\.\d+)+", first[0]) if first else None
    return match[0] if match else None


def engine_name() -> str:
    """``OCRmyPDF 14.0.1, Tesseract 5.3.0 (fra)``: what read the pages, for the evidence."""
    ocrmypdf, tesseract = _version("ocrmypdf"), _version("tesseract")
    return f"OCRmyPDF {ocrmypdf or '?'}, Tesseract {tesseract or '?'} ({LANG})"


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run ``cmd`` in its own process group; on timeout, kill the whole group."""
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract's OpenMP threads: 4-12x slower here
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise OcrFailed(
            _("OCR took longer than {seconds} s and was stopped").format(
                seconds=f"{timeout:g}".replace(".", style().decimal)
            )
        ) from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


_SKIPPED = re.compile(r"\[OCR skipped on page\(s\) (\d+)(?:-(\d+))?\]")


def _split_sidecar(text: str, page_count: int) -> list[str | None]:
    """The sidecar as one entry per page (None: a page OCRmyPDF was told to skip).

    Pages are separated by form feeds; a run of skipped pages is one segment
    ``[OCR skipped on page(s) 2-4]``.
    """
    pages: list[str | None] = []
    for segment in text.split("\f"):
        skipped = _SKIPPED.fullmatch(segment.strip())
        if skipped:
            first, last = int(skipped[1]), int(skipped[2] or skipped[1])
            pages.extend([None] * (last - first + 1))
        else:
            pages.append(segment)
    if len(pages) == page_count + 1 and not (pages[-1] or "").strip():
        pages.pop()
    if len(pages) != page_count:
        raise OcrFailed(
            _("OCRmyPDF gave text for {count} page(s), the PDF has {pages}").format(
                count=len(pages), pages=page_count
            )
        )
    return pages


def _deadline(pages: int) -> float:
    return RUN_SECONDS + 30 * pages


def ocr_pages(
    pdf: bytes, pages: Sequence[int], page_count: int, *, timeout: float | None = None
) -> dict[int, str]:
    """The OCR'd text of ``pages`` (1-based) of the PDF ``pdf`` (its bytes), by page.

    Raises :class:`OcrUnavailable` (tools missing), :class:`OcrRefused` (OCRmyPDF cannot
    read the file) or :class:`OcrFailed` (a timeout, a page Tesseract gave up on).
    """
    missing = missing_packages()
    if missing:
        raise OcrUnavailable(missing)
    wanted = sorted(set(pages))
    with tempfile.TemporaryDirectory(prefix="startups-ocr-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        sidecar = Path(folder) / "text.txt"
        cmd = ["ocrmypdf", "-l", LANG, "--force-ocr", "--output-type", "none"]
        cmd += ["--pages", ",".join(map(str, wanted))]
        cmd += ["--tesseract-timeout", str(PAGE_SECONDS), "--sidecar", str(sidecar)]
        cmd += ["--jobs", str(max(1, min(os.cpu_count() or 1, len(wanted)))), "--quiet"]
        cmd += [str(source), "-"]
        done = _run(cmd, timeout if timeout is not None else _deadline(len(wanted)))
        err = done.stderr.decode("utf-8", "replace").strip()
        last = err.splitlines()[-1][:200] if err else ""
        if done.returncode == 3:  # missing_dependency: say which packages
            raise OcrUnavailable(missing_packages() or list(PACKAGES))
        if done.returncode in (2, 8):  # input_file, encrypted_pdf
            raise OcrRefused(
                last or _("OCRmyPDF exit status {status}").format(status=done.returncode)
            )
        if done.returncode:
            raise OcrFailed(
                _("OCRmyPDF failed (exit status {status}): {reason}").format(
                    status=done.returncode, reason=last
                )
            )
        try:
            text = sidecar.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise OcrFailed(
                _("OCRmyPDF wrote no text ({reason})").format(reason=exc.strerror or exc)
            ) from exc
    split = _split_sidecar(text, page_count)
    result: dict[int, str] = {}
    for number in wanted:
        page = split[number - 1]
        if page is None:
            raise OcrFailed(_("OCRmyPDF skipped page {number}").format(number=number))
        if page.strip() == "[skipped page]":  # --tesseract-timeout hit (exit status 0)
            raise OcrFailed(
                _("Tesseract gave up on page {number} after {seconds} s").format(
                    number=number, seconds=PAGE_SECONDS
                )
            )
        result[number] = page
    return result
