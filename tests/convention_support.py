"""What the convention tests share: the JSON contract's keys and a PDF writer."""

from __future__ import annotations

import pathlib

DEJAVU = pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The keys of "startups.convention/1" (DESIGN.md), exactly.
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
}


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
