"""What the convention tests share: the JSON contract's keys and a PDF writer."""

from __future__ import annotations

import pathlib

DEJAVU = pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The keys of "startups.convention/1": DESIGN.md's, and those the second version adds (the
# act's own date, the FAST promotion, the amounts with their kind, the duration, the source).
CONTRACT_KEYS = {
    "schema",
    "file",
    "sha256",
    "kind",
    "avenant_number",
    "services",
    "parties",
    "signed_on",
    "ceiling_eur",
    "ceiling_words_match",
    "starts_on",
    "ends_on",
    "ends_on_precision",
    "parent",
    "imputation",
    "schedule",
    "deadlines",
    "evidence",
    "dated_on",
    "fast_promotion",
    "amounts",
    "duration",
    "source",
}
PARTY_KEYS = {"name", "aliases", "role", "representative", "signed_on"}


def make_pdf(text: str, path: pathlib.Path) -> None:
    """Write ``text`` as a PDF with a text layer (DejaVu when present, else Latin-1)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    if DEJAVU.exists():
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        pdf.set_font("DejaVu", size=9)
    else:  # no TTF font: the core font only knows Latin-1
        pdf.set_font("Helvetica", size=9)
        text = text.replace("’", "'").replace("œ", "oe").replace("–", "-").replace("€", "EUR")
        text = text.encode("latin-1", "replace").decode("latin-1")
    for line in text.split("\n"):
        if line.strip():
            pdf.multi_cell(0, 4.5, line.strip(), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    pdf.output(str(path))


# --- image-only PDFs ("scans") ------------------------------------------------------------

SERIF = pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
A4_MM = (210.0, 297.0)


def _font(size_px: int):
    from PIL import ImageFont

    if SERIF.exists():
        return ImageFont.truetype(str(SERIF), size_px)
    return ImageFont.load_default(size=size_px)  # Pillow >= 10.1: a scalable font


def _wrap(raw: str, font, max_px: float) -> list[str]:
    """Greedy word wrap on the rendered width, never at a hyphen ("0214-CEN2")."""
    out: list[str] = []
    current = ""
    for word in raw.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= max_px or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    out.append(current)
    return out


def scan_pages(text: str, *, dpi: int = 200, lines_per_page: int = 50):
    """``text`` as greyscale A4 page images (DejaVu Serif, 9 pt at 200 dpi), as a scanner
    would give them: pictures of the text, no text at all."""
    from PIL import Image, ImageDraw

    width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
    margin = round(18 / 25.4 * dpi)
    line_h = (height - 2 * margin) // lines_per_page
    font = _font(max(8, int(line_h * 0.62)))
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        lines.extend(_wrap(raw, font, width - 2 * margin) if raw.strip() else [""])
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    chunks = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    pages = []
    for chunk in chunks or [[]]:
        img = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(chunk):
            draw.text((margin, margin + i * line_h), line, fill=0, font=font)
        pages.append(img)
    return pages


# 300 dpi, 54 lines a page: Tesseract 5.3 (fra) reads the seeds' codes and dates as written
# (at 200 dpi it reads "021404DI02-04" as "021404D1I02-04" and "1^{er}" as "17 {er}").
SCAN_DPI = 300
SCAN_LINES = 54


def make_scan_pdf(
    text: str, path: pathlib.Path, *, dpi: int = SCAN_DPI, lines_per_page: int = SCAN_LINES
) -> pathlib.Path:
    """Write ``text`` as an image-only PDF: one page image each, no font, no text layer."""
    pages = scan_pages(text, dpi=dpi, lines_per_page=lines_per_page)
    pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return path


def ocr_missing() -> str | None:
    """Why OCR tests cannot run here (the packages to install), or None."""
    from store.importers.convention.ocr import missing_packages

    missing = missing_packages()
    if not missing:
        return None
    return f"OCR tools missing: apt-get install {' '.join(missing)}"
