"""The convention extraction engine: seed texts, PDFs, French dates, robustness."""

from __future__ import annotations

import datetime
import json
import pathlib
import tempfile

import pytest
from convention_support import CONTRACT_KEYS, DEJAVU, PARTY_KEYS, make_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.importers.convention.extract import (
    QUOTE_MAX,
    SCHEMA,
    NotAConvention,
    UnreadableDocument,
    _normalise_line,
    extract,
    extract_file,
    read_document,
)
from store.importers.convention.frdates import find_french_dates, parse_french_date

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "conventions"
CLASSE_2018 = SEEDS / "classe-a-12_convention_2018-04-12.txt"
DOSSIERSCO = SEEDS / "dossiersco_avenant_2018-12-05.txt"
CLASSE_2020 = SEEDS / "classe-a-12_convention-fast_2020.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "conventions"

IMPUTATION_KEYS = {
    "programme",
    "bop",
    "uo",
    "brique",
    "activite",
    "domaine_fonctionnel",
    "centre_couts",
    "service_executant",
}


def _lines(path: pathlib.Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _check_evidence(result: dict, path: pathlib.Path) -> None:
    """Every evidence entry quotes the line it points at."""
    lines = _lines(path)
    for key, ev in result["evidence"].items():
        assert set(ev) == {"line", "text"}, key
        assert 1 <= ev["line"] <= len(lines), key
        assert lines[ev["line"] - 1].strip() == ev["text"], key


@pytest.fixture(scope="module")
def classe_2018() -> dict:
    return extract_file(CLASSE_2018)


@pytest.fixture(scope="module")
def dossiersco() -> dict:
    return extract_file(DOSSIERSCO)


@pytest.fixture(scope="module")
def classe_2020() -> dict:
    return extract_file(CLASSE_2020)


# --------------------------------------------------------------------------------------------
# The three seed texts


@pytest.mark.parametrize("path", [CLASSE_2018, DOSSIERSCO, CLASSE_2020], ids=lambda p: p.stem)
def test_contract_shape(path: pathlib.Path) -> None:
    result = extract_file(path)
    assert set(result) == CONTRACT_KEYS
    assert result["schema"] == SCHEMA == "startups.convention/1"
    assert result["file"] == str(path)
    assert len(result["sha256"]) == 64
    assert set(result["imputation"]) == IMPUTATION_KEYS
    for party in result["parties"]:
        assert set(party) == PARTY_KEYS
    json.dumps(result)  # plain JSON data
    _check_evidence(result, path)


def test_classe_a_12_2018(classe_2018: dict) -> None:
    r = classe_2018
    assert r["kind"] == "convention"
    assert r["avenant_number"] is None
    assert r["parent"] is None
    assert r["services"] == ["Classe à 12"]
    assert r["ceiling_eur"] == 269700.0
    assert r["ceiling_words_match"] is True
    assert r["starts_on"] is None
    assert r["ends_on"] == "2018-10-01"
    assert r["ends_on_precision"] == "day"
    assert r["signed_on"] == "2018-04-12"
    assert r["deadlines"] == [
        {"date": "2018-09-01", "title": "Version utilisable par les enseignants disponible"}
    ]
    assert r["imputation"] == {
        "programme": "214",
        "bop": "0214-CEN2",
        "uo": "INFO",
        "brique": "021404DI02",
        "activite": "021404DI02-04",
        "domaine_fonctionnel": "0214-08-02",
        "centre_couts": None,
        "service_executant": None,
    }
    assert r["schedule"] == []
    men, dinsic = r["parties"]
    assert "MEN" in men["name"]
    assert men["role"] == "délégant"
    assert men["representative"] == "Marie-Anne Lévêque"
    assert dinsic["name"] == "DINSIC"
    assert dinsic["role"] == "délégataire"
    assert dinsic["representative"] == "Henri Verdier"
    # A single date on the signature page: the conclusion date, tied to no party.
    assert men["signed_on"] is None and dinsic["signed_on"] is None


def test_classe_a_12_2018_evidence(classe_2018: dict) -> None:
    ev = classe_2018["evidence"]
    assert ev["ceiling_eur"]["line"] == 87
    assert "269 700€" in ev["ceiling_eur"]["text"]
    assert "deux cent soixante-neuf mille sept cents" in ev["ceiling_words_match"]["text"]
    assert ev["ends_on"]["line"] == 53 and "1er octobre 2018" in ev["ends_on"]["text"]
    assert ev["signed_on"] == {"line": 111, "text": "A PARIS , le 12 AVR. 2018"}
    assert ev["deadlines[0]"]["line"] == 55
    assert "1^{er} septembre 2018" in ev["deadlines[0]"]["text"]
    assert ev["kind"] == {"line": 3, "text": "CONVENTION DE SERVICE"}
    assert "0214-CEN2" in ev["imputation.bop"]["text"]
    assert "0214-08-02" in ev["imputation.domaine_fonctionnel"]["text"]
    assert "Marie-Anne Lévêque" in ev["parties[0]"]["text"]
    assert "Henri Verdier" in ev["parties[1]"]["text"]
    assert "« Classe à 12 »" in ev["services"]["text"]


def test_dossiersco_avenant(dossiersco: dict) -> None:
    r = dossiersco
    assert r["kind"] == "avenant"
    assert r["avenant_number"] is None  # the text does not number it
    assert r["parent"] == {"kind": "convention", "date": "2018-04-12"}
    assert r["services"] == ["DossierSco"]
    assert r["ceiling_eur"] == 200000.0
    assert r["ceiling_words_match"] is True
    assert r["signed_on"] == "2018-12-05"
    assert r["ends_on"] is None and r["ends_on_precision"] is None
    assert r["starts_on"] is None
    assert r["schedule"] == []
    assert r["deadlines"] == []
    assert all(v is None for v in r["imputation"].values())
    men, dinsic = r["parties"]
    assert "MEN" in men["name"]
    assert men["representative"] == "Marie-Anne Lévêque"
    assert men["signed_on"] == "2018-11-30"
    assert dinsic["name"] == "DINSIC"
    assert dinsic["representative"] == "Nadi Bou Hanna"
    assert dinsic["signed_on"] == "2018-12-05"
    # "délégué" for both: the text gives no délégant / délégataire role.
    assert men["role"] is None and dinsic["role"] is None

    ev = r["evidence"]
    assert ev["ceiling_eur"]["line"] == 46 and "200 000€" in ev["ceiling_eur"]["text"]
    assert ev["parent"]["line"] == 7 and "conclue le 12 avril 2018" in ev["parent"]["text"]
    assert ev["signed_on"] == {"line": 48, "text": "A Paris , le 05/12/2018"}
    assert ev["parties[0].signed_on"]["text"] == "A Paris , le 30 novembre 2018"
    assert ev["kind"]["text"] == "AVENANT A CONVENTION DE SERVICE"


def test_classe_a_12_2020(classe_2020: dict) -> None:
    r = classe_2020
    assert r["kind"] == "convention"  # mentions "son premier avenant" but is a convention
    assert r["avenant_number"] is None and r["parent"] is None
    assert r["services"] == ["Classe à 12"]
    assert r["ceiling_eur"] == 50000.0
    assert r["ceiling_words_match"] is None  # no amount in words next to it
    assert r["schedule"] == [{"year": 2020, "ae_eur": 50000.0, "cp_eur": 50000.0}]
    assert r["starts_on"] is None  # "s'initie lors de la signature"
    assert r["ends_on"] == "2021-12-31"
    assert r["ends_on_precision"] == "month"
    assert r["signed_on"] is None  # "Fait à Paris, le" left blank: unknown, never today
    assert r["imputation"]["uo"] == "0181-CPRI-ELAB"
    assert r["imputation"]["centre_couts"] == "DININCUB"
    assert r["imputation"]["service_executant"] == "CSPSPM0075"
    assert r["imputation"]["programme"] is None and r["imputation"]["bop"] is None
    menj, dinum = r["parties"]
    assert "MENJ" in menj["name"] and menj["role"] == "délégant"
    assert menj["representative"] == "Marie-Anne Lévêque"
    assert dinum["name"] == "DINUM" and dinum["role"] == "délégataire"
    assert dinum["representative"] == "Nadi BOU HANNA"
    assert menj["signed_on"] is None and dinum["signed_on"] is None
    assert r["deadlines"] == []

    ev = r["evidence"]
    assert ev["ceiling_eur"]["line"] == 206 and "50 000 €" in ev["ceiling_eur"]["text"]
    assert ev["schedule[0]"]["line"] == 232
    assert ev["ends_on"]["line"] == 130 and "décembre 2021" in ev["ends_on"]["text"]
    assert "0181-CPRI-ELAB" in ev["imputation.uo"]["text"]
    assert "signed_on" not in ev


# --------------------------------------------------------------------------------------------
# Doctored copies


def _doctored(tmp_path: pathlib.Path, source: pathlib.Path, old: str, new: str) -> pathlib.Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_words_digits_mismatch_is_reported(tmp_path: pathlib.Path) -> None:
    path = _doctored(tmp_path, CLASSE_2018, "(269 700€)", "(296 700€)")
    r = extract_file(path)
    assert r["ceiling_eur"] == 296700.0  # the digits, as written
    assert r["ceiling_words_match"] is False  # never hidden nor "fixed"


def test_fixture_mismatch_copy() -> None:
    r = extract_file(FIXTURES / "dossiersco_avenant_mismatch.txt")
    assert r["ceiling_eur"] == 250000.0
    assert r["ceiling_words_match"] is False


def test_ocr_noise_variants(tmp_path: pathlib.Path) -> None:
    text = CLASSE_2018.read_text(encoding="utf-8")
    text = (
        text.replace("(269 700€)", "(269\u202f700,00\u00a0€)")
        .replace("l'Etat", "l’Etat")
        .replace("A PARIS , le 12 AVR. 2018", "A PARIS , le 12 AVR . 2018")
        .replace("jusqu'au 1er octobre 2018", "jusqu’au 1 er octobre 2018")
    )
    path = tmp_path / "noisy.txt"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    r = extract_file(path)
    assert r["ceiling_eur"] == 269700.0 and r["ceiling_words_match"] is True
    assert r["signed_on"] == "2018-04-12"
    assert r["ends_on"] == "2018-10-01"


def test_broken_lines_and_page_numbers(tmp_path: pathlib.Path) -> None:
    text = CLASSE_2018.read_text(encoding="utf-8").replace(
        "à concurrence de deux cent soixante-neuf mille",
        "à concurrence de deux cent\n\n- 3 -\n\nsoixante-neuf mille",
    )
    text = text.replace("à concurrence de deux cent\n\n- 3 -\n\n", "à concurrence de deux cent\n")
    path = tmp_path / "broken.txt"
    path.write_text(text, encoding="utf-8")
    r = extract_file(path)
    assert r["ceiling_eur"] == 269700.0 and r["ceiling_words_match"] is True
    assert "269 700€" in r["evidence"]["ceiling_eur"]["text"]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_text_file(tmp_path: pathlib.Path, encoding: str) -> None:
    text = CLASSE_2018.read_text(encoding="utf-8")
    if encoding == "latin-1":
        text = text.replace("€", " euros").replace("’", "'").replace("–", "-")
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    assert read_document(path) == text
    r = extract_file(path)
    assert r["ceiling_eur"] == 269700.0 and r["ceiling_words_match"] is True
    assert r["parties"][0]["representative"] == "Marie-Anne Lévêque"


# A file is a convention only with its parties: the short texts below name two.
PARTIES = (
    "Entre :\n"
    "la DINUM, représentée par Jean Dupont, délégataire, d'une part,\n"
    "et\n"
    "la DGESCO, représentée par Marie Curie, délégant, d'autre part.\n"
)


def test_numbered_avenant_with_explicit_period() -> None:
    text = (
        "AVENANT N° 2 À LA CONVENTION DE SERVICE\n\n"
        + PARTIES
        + "Le présent avenant modifie la convention du 2 juillet 2018.\n"
        "La présente convention prend effet le 1er janvier 2019 et prend fin le 31/12/2019.\n"
        "Le plafond est fixé à 120 000 € (cent vingt mille euros).\n"
    )
    r = extract(text, file="x.txt", sha256="0" * 64)
    assert r["kind"] == "avenant" and r["avenant_number"] == 2
    assert r["parent"] == {"kind": "convention", "date": "2018-07-02"}
    assert r["starts_on"] == "2019-01-01"
    assert r["ends_on"] == "2019-12-31" and r["ends_on_precision"] == "day"
    assert r["ceiling_eur"] == 120000.0 and r["ceiling_words_match"] is True


def test_premier_avenant() -> None:
    text = "PREMIER AVENANT\nà la convention de service conclue le 12 avril 2018\n" + PARTIES
    r = extract(text, file="x.txt", sha256="0" * 64)
    assert r["kind"] == "avenant" and r["avenant_number"] == 1
    assert r["parent"]["date"] == "2018-04-12"
    assert r["signed_on"] is None and r["ceiling_eur"] is None


def test_amount_then_words_with_cents() -> None:
    text = (
        "CONVENTION DE SERVICE\n"
        + PARTIES
        + "Le montant maximum de 200 000,50 € (deux cent mille euros et cinquante centimes).\n"
    )
    r = extract(text, file="x.txt", sha256="0" * 64)
    assert r["ceiling_eur"] == 200000.5 and r["ceiling_words_match"] is True


def test_signature_blocks_and_period_range() -> None:
    text = (
        "CONVENTION DE SERVICE\n"
        "Entre :\n"
        "la DINUM, représentée par Jean Dupont, délégataire, d'une part,\n"
        "et\n"
        "la DGESCO, représentée par Marie Curie, délégant, d'autre part.\n"
        "Article 1\n"
        "La présente convention couvre la période du 1er janvier 2020 au 31 décembre 2020.\n"
        "Le produit devra être livré au plus tard le 15 juin 2020.\n"
        "Paris, le\n"
        "Fait en deux exemplaires à Paris, le 3 mars 2019\n"
        "Pour la DINUM, Jean Dupont\n"
        "A Paris, le 4 mars 2019\n"
        "Pour la DGESCO\n"
    )
    r = extract(text, file="x.txt", sha256="0" * 64)
    assert r["parties"] == [
        {"name": "DINUM", "aliases": [], "role": "délégataire", "representative": "Jean Dupont",
         "signed_on": "2019-03-03"},
        {"name": "DGESCO", "aliases": [], "role": "délégant", "representative": "Marie Curie",
         "signed_on": "2019-03-04"},
    ]  # fmt: skip
    assert r["signed_on"] == "2019-03-04"
    assert (r["starts_on"], r["ends_on"], r["ends_on_precision"]) == (
        "2020-01-01",
        "2020-12-31",
        "day",
    )
    assert r["deadlines"] == [{"date": "2020-06-15", "title": "Produit livré"}]
    assert r["evidence"]["deadlines[0]"]["line"] == 8


def test_markdown_schedule_table() -> None:
    text = (
        "CONVENTION DE SERVICE\n\n" + PARTIES + "| Année | CP | AE |\n"
        "|------|----|----|\n"
        "| 2020 | 30 000 € | 50 000 € |\n"
        "| 2021 | 20 000,00 € | 0 € |\n"
        "| Total | 50 000 € | 50 000 € |\n"
        "\nSuite du texte.\n"
    )
    r = extract(text, file="x.txt", sha256="0" * 64)
    assert r["schedule"] == [
        {"year": 2020, "ae_eur": 50000.0, "cp_eur": 30000.0},
        {"year": 2021, "ae_eur": 0.0, "cp_eur": 20000.0},
    ]
    assert r["evidence"]["schedule[1]"]["line"] == 10


def test_body_sentence_is_not_a_signature() -> None:
    text = "CONVENTION DE SERVICE\n" + PARTIES + "La convention prend fin le 31 décembre 2019.\n"
    r = extract(text, file="x.txt", sha256="0" * 64)
    assert r["signed_on"] is None and r["ends_on"] == "2019-12-31"


# --------------------------------------------------------------------------------------------
# PDF


KEY_FACTS = (
    "kind",
    "avenant_number",
    "services",
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
)


@pytest.mark.parametrize("source", [CLASSE_2018, DOSSIERSCO, CLASSE_2020], ids=lambda p: p.stem)
def test_pdf_gives_the_same_facts(tmp_path: pathlib.Path, source: pathlib.Path) -> None:
    pdf = tmp_path / (source.stem + ".pdf")
    make_pdf(source.read_text(encoding="utf-8"), pdf)
    from_text, from_pdf = extract_file(source), extract_file(pdf)
    facts = KEY_FACTS if DEJAVU.exists() else ("kind", "signed_on", "ends_on", "imputation")
    for key in facts:
        assert from_pdf[key] == from_text[key], key
    if DEJAVU.exists():
        assert from_pdf["parties"] == from_text["parties"]
    assert from_pdf["file"] == str(pdf) and from_pdf["sha256"] != from_text["sha256"]


def test_pdf_without_text_layer(tmp_path: pathlib.Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(UnreadableDocument, match="couche texte"):
        extract_file(path)


def test_broken_pdf(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n%garbage\x00\x01\x02 not really a pdf")
    with pytest.raises(UnreadableDocument) as info:
        extract_file(path)
    assert "\n" not in str(info.value)


def test_unreadable_files(tmp_path: pathlib.Path) -> None:
    binary = tmp_path / "junk.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(UnreadableDocument, match="binaire"):
        read_document(binary)
    docx = tmp_path / "convention.docx"
    docx.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnreadableDocument, match="type de fichier non pris en charge"):
        read_document(docx)
    with pytest.raises(UnreadableDocument, match="illisible"):
        read_document(tmp_path / "missing.txt")


# --------------------------------------------------------------------------------------------
# Not a convention


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t\n  ",
        "abc\x00def convention",
        "".join(chr(c) for c in range(1, 32)) * 20,
        "Compte rendu de la réunion d'équipe du 3 mars 2020.\nOrdre du jour : recrutement.\n",
        "Liste de courses\n- pain\n- lait\n",
    ],
    ids=["empty", "whitespace", "nul", "control", "minutes", "shopping"],
)
def test_not_a_convention(text: str) -> None:
    with pytest.raises(NotAConvention) as info:
        extract(text, file="x.txt", sha256="0" * 64)
    message = str(info.value)
    assert message and "\n" not in message


def test_not_a_convention_is_a_value_error() -> None:
    assert issubclass(NotAConvention, ValueError)
    assert issubclass(UnreadableDocument, ValueError)


# --------------------------------------------------------------------------------------------
# French dates


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("12 AVR. 2018", datetime.date(2018, 4, 12), "day"),
        ("le 30 novembre 2018", datetime.date(2018, 11, 30), "day"),
        ("05/12/2018", datetime.date(2018, 12, 5), "day"),
        ("1er octobre 2018", datetime.date(2018, 10, 1), "day"),
        ("1^{er} septembre 2018", datetime.date(2018, 9, 1), "day"),
        ("décembre 2021", datetime.date(2021, 12, 31), "month"),
        ("DECEMBRE 2021", datetime.date(2021, 12, 31), "month"),
        ("février 2020", datetime.date(2020, 2, 29), "month"),
        ("1 er octobre 2018", datetime.date(2018, 10, 1), "day"),
        ("12 AVR . 2018", datetime.date(2018, 4, 12), "day"),
        ("3 janv. 2019", datetime.date(2019, 1, 3), "day"),
        ("4 févr. 2019", datetime.date(2019, 2, 4), "day"),
        ("4 fevr 2019", datetime.date(2019, 2, 4), "day"),
        ("14 juil. 2020", datetime.date(2020, 7, 14), "day"),
        ("2 sept. 2020", datetime.date(2020, 9, 2), "day"),
        ("9 oct. 2020", datetime.date(2020, 10, 9), "day"),
        ("9 nov. 2020", datetime.date(2020, 11, 9), "day"),
        ("24 déc. 2020", datetime.date(2020, 12, 24), "day"),
        ("15 AOUT 2019", datetime.date(2019, 8, 15), "day"),
        ("15 août 2019", datetime.date(2019, 8, 15), "day"),
        ("1ᵉʳ mai 2019", datetime.date(2019, 5, 1), "day"),
        ("05.12.2018", datetime.date(2018, 12, 5), "day"),
    ],
)
def test_french_dates(text: str, expected: datetime.date, precision: str) -> None:
    assert parse_french_date(text) == expected
    ((_start, _end, date, found_precision),) = find_french_dates(f"Signé {text}, à Paris.")
    assert (date, found_precision) == (expected, precision)


@pytest.mark.parametrize(
    "text",
    ["31/02/2018", "31 février 2018", "30 février 2020", "00/10/2018", "12/13/2018", "maison 2018"],
)
def test_impossible_dates(text: str) -> None:
    assert parse_french_date(text) is None


def test_find_french_dates_positions() -> None:
    line = "entre le 12 avril et le 29 juin 2018, puis jusqu'au 1er octobre 2018"
    found = find_french_dates(line)
    assert [(line[s:e], d.isoformat(), p) for s, e, d, p in found] == [
        ("29 juin 2018", "2018-06-29", "day"),
        ("1er octobre 2018", "2018-10-01", "day"),
    ]


# --------------------------------------------------------------------------------------------
# Robustness (hypothesis)

ROBUST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in (CLASSE_2018, DOSSIERSCO, CLASSE_2020)]
SEED_TEXTS += [  # the shapes of real texts (Journal officiel, Bulletins officiels, FAST)
    (FIXTURES / name).read_text(encoding="utf-8")
    for name in (
        "fast_subvention_fast14.txt",
        "jo_avenant_titre_long.txt",
        "bo_delegation_de_gestion.txt",
        "trois_parties_codelegataires.txt",
    )
]
DATE_BITS = st.sampled_from(
    ["1", "12", "31", "er", "^{er}", " ", ".", "/", "-", "AVR", "avr.", "décembre", "févr",
     "2018", "0000", "99", "le", "juil.", "sept", "\u00a0", "é", "\n"]
)  # fmt: skip


@ROBUST
@given(st.text(max_size=3000))
def test_random_text_only_raises_not_a_convention(text: str) -> None:
    try:
        result = extract(text, file="x.txt", sha256="0" * 64)
    except NotAConvention as exc:
        assert "\n" not in str(exc)
    else:
        assert set(result) == CONTRACT_KEYS
        json.dumps(result)


@ROBUST
@given(st.data())
def test_mutated_seeds_only_raise_not_a_convention(data: st.DataObject) -> None:
    lines = data.draw(st.sampled_from(SEED_TEXTS)).split("\n")
    for _ in range(data.draw(st.integers(0, 12))):
        op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "join"]))
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = data.draw(st.integers(0, len(lines[i])))
            junk = data.draw(st.text(max_size=8))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + " " + lines[i + 1]]
    text = "\n".join(lines)
    try:
        result = extract(text, file="x.txt", sha256="0" * 64)
    except NotAConvention:
        return
    json.dumps(result)
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for ev in result["evidence"].values():
        line = raw[ev["line"] - 1].strip()
        if len(line) <= QUOTE_MAX:
            assert line == ev["text"]
        else:  # a long line is quoted around the fact, from its normalised text
            assert len(ev["text"]) <= QUOTE_MAX + 2
            assert ev["text"].strip("…") in _normalise_line(line)


@ROBUST
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".pdf"]))
def test_random_files_raise_only_documented_errors(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / f"doc{suffix}"
        path.write_bytes(b"%PDF-1.4\n" + data if suffix == ".pdf" else data)
        try:
            extract_file(path)
        except (UnreadableDocument, NotAConvention) as exc:
            assert "\n" not in str(exc)


@ROBUST
@given(st.one_of(st.text(max_size=300), st.lists(DATE_BITS, max_size=30).map("".join)))
def test_date_functions_never_raise(text: str) -> None:
    found = find_french_dates(text)
    for start, end, date, precision in found:
        assert 0 <= start < end <= len(text)
        assert isinstance(date, datetime.date) and precision in {"day", "month"}
    assert parse_french_date(text) == (found[0][2] if found else None)
