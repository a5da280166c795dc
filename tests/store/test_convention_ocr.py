"""Scanned conventions: image-only PDFs are OCR'd (OCRmyPDF, Tesseract's French model) and
give the same facts as their text; missing tools say which packages to install."""

from __future__ import annotations

import io
import os
import pathlib

import pytest
from convention_support import PARTY_KEYS, make_pdf, make_scan_pdf, ocr_missing, scan_pages

from store.importers.convention import ocr
from store.importers.convention.extract import extract_file, read_document
from store.importers.convention.read import OcrFailed, UnreadableDocument

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "conventions"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
WHY = ocr_missing()
needs_ocr = pytest.mark.skipif(WHY is not None, reason=WHY or "")

# Everything the extraction says, but where the text came from.
NOT_FACTS = {"file", "sha256", "source", "evidence"}


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, pathlib.Path]:
    folder = tmp_path_factory.mktemp("scans")
    return {
        seed.stem: make_scan_pdf(seed.read_text(encoding="utf-8"), folder / f"{seed.stem}.pdf")
        for seed in SEED_FILES
    }


def test_the_scans_have_no_text_layer(scans):
    import pypdf

    for path in scans.values():
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) >= 1
        for page in reader.pages:
            assert (page.extract_text() or "").strip() == ""
            assert "/Font" not in (page.get("/Resources") or {})


@needs_ocr
@pytest.mark.slow
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_a_scan_gives_the_same_extraction_as_its_text(scans, seed):
    from_text = extract_file(seed)
    pdf = scans[seed.stem]
    from_scan = extract_file(pdf)
    facts = {k: v for k, v in from_scan.items() if k not in NOT_FACTS}
    assert facts == {k: v for k, v in from_text.items() if k not in NOT_FACTS}
    assert set(from_scan["evidence"]) == set(from_text["evidence"])
    for party in from_scan["parties"]:
        assert set(party) == PARTY_KEYS

    source = from_scan["source"]
    pages = source["pages"]
    assert source["format"] == "pdf" and source["ocr_pages"] == list(range(1, pages + 1))
    assert source["ocr_engine"].startswith("OCRmyPDF ") and "Tesseract" in source["ocr_engine"]
    # Every quoted line is a line of the OCR'd text, on a page marked as OCR'd.
    ocr_lines = read_document(pdf).split("\n")
    for key, ev in from_scan["evidence"].items():
        assert ev["ocr"] is True and 1 <= ev["page"] <= pages, key
        assert ocr_lines[ev["line"] - 1].strip() == ev["text"], key


def _mixed(tmp_path: pathlib.Path) -> tuple[pathlib.Path, int]:
    """The DossierSco avenant: its first part typed, its money and signatures scanned."""
    import pypdf

    avenant = (SEEDS / "dossiersco_avenant_2018-12-05.txt").read_text(encoding="utf-8")
    head, tail = avenant.split("Les termes de la convention sont par conséquent", 1)
    typed, scanned = tmp_path / "typed.pdf", tmp_path / "scanned.pdf"
    make_pdf(head, typed)
    make_scan_pdf("Les termes de la convention sont par conséquent" + tail, scanned)
    writer = pypdf.PdfWriter()
    for part in (typed, scanned):
        for page in pypdf.PdfReader(part).pages:
            writer.add_page(page)
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as f:
        writer.write(f)
    return mixed, len(pypdf.PdfReader(typed).pages)


def test_without_the_tools_a_mixed_pdf_is_read_from_its_text_pages(tmp_path, monkeypatch, store):
    from store.importers.convention.plan import plan_import

    mixed, typed_pages = _mixed(tmp_path)
    monkeypatch.setenv("PATH", _bin_without(tmp_path, "ocrmypdf", "tesseract", "gs"))
    r = extract_file(mixed)
    assert r["source"]["ocr_pages"] == [] and r["source"]["unread_pages"] == [typed_pages + 1]
    assert r["source"]["missing_packages"] == ["ocrmypdf", "tesseract-ocr", "tesseract-ocr-fra"]
    assert r["kind"] == "avenant" and r["parent"] == {"kind": "convention", "date": "2018-04-12"}
    assert r["ceiling_eur"] is None and r["signed_on"] is None  # on the page not read

    with store.session() as session:  # no startup matches: the warning is there anyway
        plan = plan_import(session, r)
    assert any(
        f"la ou les pages {typed_pages + 1} contiennent une image sans texte et n'ont pas été lues"
        in w
        and "ocrmypdf tesseract-ocr tesseract-ocr-fra" in w
        for w in plan.warnings
    )


@needs_ocr
def test_only_the_scanned_pages_of_a_mixed_pdf_are_ocrd(tmp_path):
    import pypdf

    avenant = (SEEDS / "dossiersco_avenant_2018-12-05.txt").read_text(encoding="utf-8")
    head, tail = avenant.split("Les termes de la convention sont par conséquent", 1)
    typed, scanned = tmp_path / "typed.pdf", tmp_path / "scanned.pdf"
    make_pdf(head, typed)
    make_scan_pdf("Les termes de la convention sont par conséquent" + tail, scanned)
    writer = pypdf.PdfWriter()
    for part in (typed, scanned):
        for page in pypdf.PdfReader(part).pages:
            writer.add_page(page)
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as f:
        writer.write(f)
    typed_pages = len(pypdf.PdfReader(typed).pages)

    r = extract_file(mixed)
    assert r["source"]["ocr_pages"] == [typed_pages + 1]
    assert r["ceiling_eur"] == 200000.0 and r["ceiling_words_match"] is True
    assert r["signed_on"] == "2018-12-05"
    assert r["parent"] == {"kind": "convention", "date": "2018-04-12"}
    assert r["evidence"]["ceiling_eur"]["ocr"] is True
    assert "ocr" not in r["evidence"]["parent"] and r["evidence"]["parent"]["page"] == 1


def _bin_without(tmp_path: pathlib.Path, *missing: str) -> str:
    """A PATH holding links to the OCR programs but ``missing``."""
    import shutil

    folder = tmp_path / "bin"
    folder.mkdir()
    for program in ("ocrmypdf", "tesseract", "gs"):
        found = shutil.which(program)
        if found and program not in missing:
            (folder / program).symlink_to(found)
    return str(folder)


@pytest.fixture
def one_scan(tmp_path) -> pathlib.Path:
    pages = scan_pages("CONVENTION DE SERVICE\nEntre : la DINUM et la DGESCO\n", dpi=100)
    path = tmp_path / "scan.pdf"
    pages[0].save(path, format="PDF", resolution=100)
    return path


def test_without_the_tools_one_line_names_the_packages(tmp_path, monkeypatch, one_scan):
    monkeypatch.setenv("PATH", _bin_without(tmp_path, "ocrmypdf", "tesseract", "gs"))
    with pytest.raises(UnreadableDocument) as info:
        read_document(one_scan)
    assert str(info.value) == (
        f"{one_scan} : le PDF est sans couche texte sur toutes ses pages (un scan) ; l'OCR demande "
        "les paquets ocrmypdf tesseract-ocr tesseract-ocr-fra (Debian/Ubuntu : apt-get install "
        "ocrmypdf tesseract-ocr tesseract-ocr-fra)"
    )


@pytest.mark.skipif(WHY is not None, reason=WHY or "")
def test_without_the_french_data_one_line_names_its_package(tmp_path, monkeypatch, one_scan):
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()  # a language folder without fra.traineddata
    monkeypatch.setenv("TESSDATA_PREFIX", str(tessdata))
    with pytest.raises(UnreadableDocument) as info:
        read_document(one_scan)
    assert str(info.value).endswith(
        "l'OCR demande les paquets tesseract-ocr-fra "
        "(Debian/Ubuntu : apt-get install tesseract-ocr-fra)"
    )


def test_without_ocrmypdf_alone(tmp_path, monkeypatch, one_scan):
    monkeypatch.setenv("PATH", _bin_without(tmp_path, "ocrmypdf"))
    with pytest.raises(UnreadableDocument, match=r"l'OCR demande les paquets ocrmypdf[ (]"):
        read_document(one_scan)


@needs_ocr
def test_an_ocr_run_past_its_deadline_is_stopped(one_scan):
    data = one_scan.read_bytes()
    with pytest.raises(ocr.OcrFailed, match=r"l'OCR a pris plus de 0,2 s et a été arrêtée"):
        ocr.ocr_pages(data, [1], 1, timeout=0.2)


@needs_ocr
def test_a_timeout_is_a_failure_of_the_work(one_scan, monkeypatch):
    monkeypatch.setattr(ocr, "_deadline", lambda pages: 0.2)
    with pytest.raises(OcrFailed, match=f"{one_scan} : l'OCR a pris plus de 0,2 s"):
        read_document(one_scan)


def test_the_sidecar_is_split_by_page():
    text = "[OCR skipped on page(s) 1-2]\fpage three\n\fpage four\n\f"
    assert ocr._split_sidecar(text, 4) == [None, None, "page three\n", "page four\n"]
    with pytest.raises(ocr.OcrFailed, match="2 page"):
        ocr._split_sidecar("a\fb", 3)


def test_a_blank_page_without_image_needs_no_ocr(tmp_path, monkeypatch):
    """A typed PDF whose last page is empty is read without OCR (none installed here)."""
    import pypdf

    typed = tmp_path / "typed.pdf"
    make_pdf((SEEDS / "dossiersco_avenant_2018-12-05.txt").read_text(encoding="utf-8"), typed)
    writer = pypdf.PdfWriter(clone_from=typed)
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    padded = tmp_path / "padded.pdf"
    padded.write_bytes(out.getvalue())
    monkeypatch.setenv("PATH", os.devnull)
    r = extract_file(padded)
    assert r["source"]["ocr_pages"] == [] and r["ceiling_eur"] == 200000.0
