"""Reading a convention's file when the file is hostile: never a FIFO, a device, an
unbounded file or a compression bomb; evidence quotes of a readable length."""

from __future__ import annotations

import os
import pathlib
import zlib

import pytest
from convention_support import make_pdf

from store.importers.convention import read
from store.importers.convention.extract import QUOTE_MAX, extract, extract_file, read_document
from store.importers.convention.read import UnreadableDocument

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLASSE_2018 = ROOT / "examples" / "conventions" / "classe-a-12_convention_2018-04-12.txt"
MIB = 1024 * 1024


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_being_opened_for_reading(tmp_path):
    fifo = tmp_path / "convention.txt"
    os.mkfifo(fifo)  # nobody writes to it: reading it would block for ever
    with pytest.raises(UnreadableDocument) as info:
        read_document(fifo)
    assert (
        str(info.value)
        == f"{fifo} : pas un fichier ordinaire (un tube, un périphérique ou une socket) : non lu"
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_at_once(device):
    if not pathlib.Path(device).exists():
        pytest.skip(f"no {device} here")
    with pytest.raises(UnreadableDocument, match="pas un fichier ordinaire"):
        read_document(pathlib.Path(device))


def test_a_symlink_to_a_device_is_refused(tmp_path):
    if not pathlib.Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    link = tmp_path / "convention.pdf"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnreadableDocument, match="pas un fichier ordinaire"):
        extract_file(link)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(UnreadableDocument, match="un dossier, pas un fichier"):
        read_document(tmp_path)


def test_a_text_file_over_the_cap_is_refused_with_the_cap(tmp_path):
    big = tmp_path / "convention.txt"
    with big.open("wb") as f:  # sparse: the size is there, the bytes are never read
        f.truncate(read.TEXT_MAX_BYTES + 1)
    with pytest.raises(UnreadableDocument) as info:
        read_document(big)
    assert str(info.value) == f"{big} : trop gros (8,0 Mio ; au plus 8,0 Mio pour un fichier texte)"
    exactly = tmp_path / "exactly.txt"
    exactly.write_bytes(b"CONVENTION DE SERVICE\n".ljust(read.TEXT_MAX_BYTES, b" "))
    assert read_document(exactly).startswith("CONVENTION DE SERVICE")


def test_a_pdf_over_the_cap_is_refused_with_the_cap(tmp_path):
    big = tmp_path / "convention.pdf"
    with big.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(read.PDF_MAX_BYTES + 1)
    with pytest.raises(UnreadableDocument) as info:
        read_document(big)
    assert "trop gros" in str(info.value) and "au plus 64,0 Mio pour un PDF" in str(info.value)
    # The PDF cap applies to a PDF whatever its name says.
    named = tmp_path / "convention.txt"
    named.write_bytes(b"%PDF-1.4\n" + b" " * (read.TEXT_MAX_BYTES + 10))
    with pytest.raises(UnreadableDocument, match="pas un PDF lisible"):
        read_document(named)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (1 = the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def shared_stream_bomb(pages: int, decoded_mib: float) -> bytes:
    """``pages`` pages that all draw one content stream of ``decoded_mib`` MiB of text
    operators, compressed to a few tens of KiB."""
    operators = b"BT /F1 9 Tf 72 720 Td (convention) Tj ET\n"
    data = zlib.compress(operators * int(decoded_mib * MIB // len(operators)), 9)
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>"
    )
    objects += [page] * pages
    return _pdf(objects)


def test_a_stream_shared_by_many_pages_is_refused_before_any_text_is_read(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(shared_stream_bomb(pages=300, decoded_mib=6))
    assert bomb.stat().st_size < 100 * 1024  # 300 pages × 6 MiB to parse, in 26 KiB

    def never(*_args, **_kwargs):
        raise AssertionError("text extracted from a PDF that should have been refused")

    import pypdf

    monkeypatch.setattr(pypdf.PageObject, "extract_text", never)
    with pytest.raises(UnreadableDocument) as info:
        extract_file(bomb)
    assert str(info.value) == (
        f"{bomb} : ses pages se décompressent en plus de 8,0 Mio de contenu (la limite) : non lu"
    )


def test_one_page_with_a_huge_stream_is_refused(tmp_path):
    bomb = tmp_path / "one.pdf"
    bomb.write_bytes(shared_stream_bomb(pages=1, decoded_mib=9))
    with pytest.raises(UnreadableDocument, match=r"plus de 8,0 Mio"):
        read_document(bomb)


def test_the_same_shape_under_the_cap_is_read(tmp_path):
    small = tmp_path / "small.pdf"
    small.write_bytes(shared_stream_bomb(pages=3, decoded_mib=0.05))
    assert "convention" in read_document(small)


def test_too_many_pages_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "PDF_MAX_PAGES", 5)
    many = tmp_path / "many.pdf"
    many.write_bytes(shared_stream_bomb(pages=6, decoded_mib=0))
    with pytest.raises(UnreadableDocument, match=r"6 pages \(au plus 5 pour une convention\)"):
        read_document(many)


def test_a_huge_line_gives_a_readable_evidence_quote():
    padding = "x" * (2 * MIB)
    text = (
        "CONVENTION DE SERVICE\n"
        "Entre :\n"
        "la DINUM, représentée par Jean Dupont, délégataire, d'une part,\n"
        "et\n"
        "la DGESCO, représentée par Marie Curie, délégant, d'autre part.\n"
        f"Article 1. {padding} La DINUM est tenue à concurrence de 200 000 € {padding}\n"
    )
    r = extract(text, file="x.txt", sha256="0" * 64)
    assert r["ceiling_eur"] == 200000.0
    quote = r["evidence"]["ceiling_eur"]["text"]
    assert len(quote) <= QUOTE_MAX + 2
    assert quote.startswith("…") and quote.endswith("…") and "200 000 €" in quote
    assert all(len(ev["text"]) <= QUOTE_MAX + 2 for ev in r["evidence"].values())


def test_a_long_but_readable_line_is_quoted_whole():
    r = extract_file(CLASSE_2018)  # a line of 321 characters holds the ceiling
    line = CLASSE_2018.read_text(encoding="utf-8").split("\n")[86].strip()
    assert len(line) > 300 and r["evidence"]["ceiling_eur"]["text"] == line


def test_a_pdf_with_a_text_layer_names_its_pages(tmp_path):
    pdf = tmp_path / "classe.pdf"
    make_pdf(CLASSE_2018.read_text(encoding="utf-8"), pdf)
    r = extract_file(pdf)
    assert r["source"]["format"] == "pdf" and r["source"]["ocr_pages"] == []
    assert r["source"]["pages"] >= 2 and r["source"]["ocr_engine"] is None
    pages = {ev["page"] for ev in r["evidence"].values()}
    assert min(pages) == 1 and max(pages) > 1
    assert not any(ev.get("ocr") for ev in r["evidence"].values())
