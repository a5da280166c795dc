"""Reading Chorus INF-BUD-53 exports (``store.importers.chorus.read``): no store involved.

The fixtures in ``tests/fixtures/chorus`` are written by ``tests/make_chorus_fixtures.py``
(synthetic, one scenario in every layout); ``expected.json`` is its own account of the
amounts per EJ line, which the records are checked against (hand-checked figures too).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import threading
from pathlib import Path

import make_chorus_fixtures as mk
import pytest
from chorus_support import big_rows, csv_text, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import i18n
from store.errors import BadInput
from store.importers.chorus import read as chorus
from store.importers.chorus.read import read_chorus
from store.importers.chorus.records import AMOUNT_FIELDS, ChorusFile, EjLine, Layout, totals

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chorus"
P352 = FIXTURES / "INFBUD53 P352 2019.xlsx"
DG = FIXTURES / "INFBUD53 DG 2019.xlsx"
X2025 = FIXTURES / "INFBUD53_2025.xlsx"
CSV2025 = FIXTURES / "INF_BUD_53_2025.csv"
CP1252 = FIXTURES / "INF_BUD_53_2025_cp1252.csv"
D = dt.date

# expected.json's keys → EjLine's fields
EXPECTED_FIELDS = {
    "bascule": "carried_over",
    "engage": "engaged",
    "ae_annee": "engaged_year",
    "receptionne": "received",
    "certifie_non_solde": "certified_unsettled",
    "pre_enregistre": "pre_recorded",
    "facture": "invoiced",
    "paye": "paid",
}


def by_line(found: ChorusFile) -> dict[int, EjLine]:
    return {record.line: record for record in found.records}


def sums(found: ChorusFile) -> dict[tuple[str, int | None], dict[str, int | None]]:
    return {
        (t.ej, t.poste): {f: getattr(t, f) for f in AMOUNT_FIELDS} for t in totals(found.records)
    }


# --- each layout, from the fixtures ----------------------------------------------------


def test_2019_p352_layout():
    found = read_chorus(P352)
    assert found.layout is Layout.Y2019
    assert (found.format, found.sheet, found.header_line) == ("xlsx", "INF-BUD-53", 5)
    assert (found.year, found.exported_on) == (2019, D(2019, 7, 15))
    assert found.problems == () and found.without_ej == ()
    assert found.subtotals == 1  # the "Résultat global" line
    assert len(found.records) == 12
    # No Montant réceptionné in 2019; the year's AE is derived (engagé − bascule).
    assert "received" not in found.amounts and "engaged_year" in found.amounts
    first = by_line(found)[6]
    assert first == EjLine(
        line=6,
        ej="1400000101",
        poste=1,
        supplier="FOURNISSEUR A SAS",
        contract=None,  # "#"
        flow_type="Flux 1",
        centre_financier="BG00/0352-CDBR-DINU",
        centre_financier_label="UO INCUBATEUR (FICTIF)",
        programme="0352",
        bop="0352-CDBR",
        uo="0352-CDBR-DINU",
        cost_centre="CC00INCUB1",
        cost_centre_label="INCUBATEUR (FICTIF)",
        activity="BG00/035201010001",
        activity_label="ACCOMPAGNEMENT STARTUPS (FICTIF)",
        activity_code="035201010001",
        budget_account="CB0001",
        budget_account_label="DEPENSES DE FONCTIONNEMENT (FICTIF)",
        goods_group="36.01.01",
        goods_group_label="PRESTATIONS INFORMATIQUES (FICTIF)",
        engaged=2_400_000,
        engaged_year=2_400_000,  # the bascule cell is empty: nothing carried over
    )
    # The first service fait of that poste: 8 000 € paid, dated 14 March.
    second = by_line(found)[7]
    assert (second.sf_date, second.paid, second.engaged, second.engaged_year) == (
        D(2019, 3, 14),
        800_000,
        None,
        None,
    )
    # EJ …102 was carried over from 2018: 15 000 € engaged, all of it bascule.
    carried = by_line(found)[10]
    assert (carried.ej, carried.engaged, carried.carried_over, carried.engaged_year) == (
        "1400000102",
        1_500_000,
        1_500_000,
        0,
    )
    assert by_line(found)[8].contract is None
    assert by_line(found)[13].contract == "1300009001"  # the marché of EJ …103


def test_2019_delegation_layout():
    found = read_chorus(DG)
    assert found.layout is Layout.Y2019_DG
    assert found.header_line == 5 and len(found.records) == 12 and found.problems == ()
    first = by_line(found)[6]
    assert (first.service, first.service_label) == (
        "SE00DINU",
        "SERVICE EXECUTANT INCUBATEUR (FICTIF)",
    )
    assert (first.centre_financier, first.programme, first.bop, first.uo) == (
        "BG00/0129-CDBR-DINU",
        "0129",
        "0129-CDBR",
        "0129-CDBR-DINU",
    )
    assert by_line(found)[13].programme == "0218"  # EJ …203 is on the other programme
    assert first.activity_code == "012901010001"


def test_2025_workbook_layout():
    found = read_chorus(X2025)
    assert found.layout is Layout.Y2025
    assert (found.header_line, found.sheet, found.year, found.exported_on) == (
        1,
        "INFBUD53",
        None,  # no preamble: the file does not say
        None,
    )
    assert len(found.records) == 17 and found.problems == () and found.subtotals == 0
    lines = by_line(found)
    engagement = lines[2]
    assert (engagement.carried_over, engagement.engaged_year, engagement.engaged) == (
        0,
        2_400_000,
        2_400_000,
    )
    service = lines[3]
    assert (service.sf_number, service.sf_date, service.received, service.paid) == (
        "5200000001",
        D(2025, 3, 14),
        800_000,
        None,
    )
    payment = lines[4]
    assert (payment.dp_number, payment.paid, payment.sf_number) == (
        "SOCX/2025/DP/200000001",  # the prefix is kept: what it means is not known
        800_000,
        None,
    )
    carried = next(r for r in found.records if r.ej == "1500000102" and r.engaged)
    assert (carried.carried_over, carried.engaged_year, carried.engaged) == (
        1_500_000,
        0,
        1_500_000,
    )


def test_2025_long_csv_pivoted():
    found = read_chorus(CSV2025)
    assert found.layout is Layout.Y2025_LONG
    assert (found.format, found.encoding, found.delimiter) == ("csv", "utf-8", ";")
    assert (found.header_line, found.year, found.exported_on) == (5, 2025, D(2025, 6, 16))
    assert found.problems == ()
    # a subtotal per EJ (5) and the grand total, 6 lines each
    assert found.subtotals == 36
    # 17 dimension tuples × 6 amount lines = 102 lines read into 17 records
    assert len(found.records) == 17
    assert found.amounts == (
        "engaged",
        "received",
        "certified_unsettled",
        "pre_recorded",
        "invoiced",
        "paid",
    )
    lines = by_line(found)
    engagement = lines[6]  # lines 6–11: the six amounts of EJ …101 poste 1's engagement
    assert (engagement.ej, engagement.poste, engagement.engaged) == ("1500000101", 1, 2_400_000)
    # no bascule in this layout: neither it nor the year's AE can be known
    assert engagement.carried_over is None and engagement.engaged_year is None
    payment = lines[18]
    assert (payment.dp_number, payment.dp_line, payment.dp_date, payment.paid) == (
        "200000001",
        "1",
        D(2025, 3, 20),
        800_000,
    )
    assert (payment.sf_number, payment.received) == (None, None)


def test_cp1252_csv_reads_the_same():
    utf8, cp1252 = read_chorus(CSV2025), read_chorus(CP1252)
    assert cp1252.encoding == "cp1252"
    assert cp1252.records == utf8.records


@pytest.mark.parametrize("path", [P352, DG, X2025, CSV2025], ids=lambda p: p.name)
def test_sums_agree_with_expected_json(path):
    """Per EJ line, what the fixture generator says it wrote.  An amount the layout lacks
    is None; an amount no line gives (the file leaves it empty) is None where the
    generator counts 0; every other one is exact."""
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    (account,) = [f for f in expected["files"] if f["file"] == path.name]
    found = read_chorus(path)
    got = sums(found)
    wanted = {
        (ej, int(poste)): amounts
        for ej, entry in account["ej"].items()
        for poste, amounts in entry["postes"].items()
    }
    assert got.keys() == wanted.keys()
    for key, amounts in wanted.items():
        for name, field in EXPECTED_FIELDS.items():
            cents = round(amounts[name] * 100)
            value = got[key][field]
            if field not in found.amounts:
                assert value is None, (key, field)
            else:
                assert value == cents or (value is None and cents == 0), (key, field, value)
    suppliers = {r.ej: r.supplier for r in found.records}
    for ej, entry in account["ej"].items():
        assert suppliers[ej] in (entry["fournisseur"], None)  # the long CSV has no supplier


def test_hand_checked_sums():
    """A few EJ lines summed by hand from the scenario (amounts in cents)."""
    p352 = sums(read_chorus(P352))
    # EJ A poste 1: 24 000 engaged; SF 8 000 paid, SF 4 000 invoiced
    assert p352["1400000101", 1] == {
        "engaged": 2_400_000,
        "carried_over": None,
        "engaged_year": 2_400_000,
        "received": None,
        "certified_unsettled": None,
        "pre_recorded": None,
        "invoiced": 400_000,
        "paid": 800_000,
    }
    # EJ B: from 2018, 15 000 carried over; SF 9 000 paid, SF 3 000 pre-recorded
    assert p352["1400000102", 1]["engaged_year"] == 0
    assert p352["1400000102", 1]["certified_unsettled"] == 300_000
    assert p352["1400000102", 1]["pre_recorded"] == 300_000
    long = sums(read_chorus(CSV2025))
    # EJ D: SF 18 000 certified, no DP: received = certified not settled = 18 000
    assert long["1500000104", 1]["received"] == 1_800_000
    assert long["1500000104", 1]["certified_unsettled"] == 1_800_000
    assert long["1500000104", 1]["paid"] is None
    # EJ C: 42 000 engaged, received, paid
    assert long["1500000103", 1]["paid"] == long["1500000103", 1]["engaged"] == 4_200_000


def test_the_same_export_twice_gives_equal_records(tmp_path):
    for path in (P352, X2025, CSV2025):
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        first, second = read_chorus(path), read_chorus(copy, name=str(path))
        assert first == second
        assert hash(first.records) == hash(second.records)


def test_records_are_frozen():
    record = read_chorus(P352).records[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.paid = 1  # type: ignore[misc]


# --- where the header is, and the order of the columns ----------------------------------


def scenario_2019(dg: bool = False) -> tuple[list, list[list]]:
    ids = mk.Ids(
        ej_base=1400000100,
        sf_base=5100000000,
        dp_base=100000000,
        contrat_base=1300009000,
        year=2019,
    )
    header = [h for h, _ in (mk.HEADER_2019_DG if dg else mk.HEADER_2019)]
    return header, mk.rows_2019(ids, dg)


def test_header_several_rows_down(tmp_path):
    header, rows = scenario_2019()
    preamble = [[f"Critère de sélection {i}"] for i in range(1, 22)]
    path = tmp_path / "late.xlsx"
    write_xlsx(path, [*preamble, [], [], header, *rows])
    found = read_chorus(path)
    assert found.header_line == 24 and len(found.records) == 12
    assert [r.line for r in found.records] == list(range(25, 37))
    assert sums(found) == sums(read_chorus(P352))


def test_header_beyond_the_first_30_rows_is_refused(tmp_path):
    header, rows = scenario_2019()
    path = tmp_path / "too-late.xlsx"
    write_xlsx(path, [*([f"note {i}"] for i in range(30)), header, *rows])
    with pytest.raises(
        BadInput, match=r"too-late\.xlsx : n'est pas un export INF-BUD-53 : pas d'en-tête"
    ):
        read_chorus(path)


def test_columns_in_another_order(tmp_path):
    header, rows = scenario_2019()
    # Reverse the columns, keeping each code next to its label (the label follows its code).
    pairs: list[list[int]] = []
    for index, name in enumerate(header):
        if name is None:
            pairs[-1].append(index)
        else:
            pairs.append([index])
    order = [i for group in reversed(pairs) for i in group]
    path = tmp_path / "reversed.xlsx"
    write_xlsx(
        path,
        [["Exercice comptable : 2019"], [header[i] for i in order]]
        + [[row[i] if i < len(row) else None for i in order] for row in rows],
    )
    found = read_chorus(path)
    reference = read_chorus(P352)
    assert found.layout is Layout.Y2019
    shift = reference.records[0].line - found.records[0].line
    assert [dataclasses.replace(r, line=r.line + shift) for r in found.records] == list(
        reference.records
    )


def test_header_names_without_case_accents_or_parentheses(tmp_path):
    header, rows = scenario_2019()
    odd = {
        "N° EJ": "n°ej (bon de commande)",
        "Montant pré-enregistré": "MONTANT PRE ENREGISTRE",
        "Bascule des EJ non soldés": "Bascule des EJ non soldes (a)",
        "Centre financier": "centre  financier",
        "N° poste EJ": "Nº poste EJ",
    }
    path = tmp_path / "odd-names.xlsx"
    write_xlsx(path, [[odd.get(h, h) if h else h for h in header], *rows])
    assert read_chorus(path).records == tuple(
        dataclasses.replace(r, line=r.line - 4) for r in read_chorus(P352).records
    )


def test_the_2019_layout_as_csv(tmp_path):
    header, rows = scenario_2019()
    path = tmp_path / "p352.csv"
    path.write_text(csv_text([["Exercice comptable : 2019"], header, *rows]), encoding="utf-8")
    found = read_chorus(path)
    assert (found.layout, found.delimiter, found.header_line) == (Layout.Y2019, ";", 2)
    assert sums(found) == sums(read_chorus(P352))


def test_comma_separated_with_a_sep_line(tmp_path):
    header, rows = scenario_2019()
    text = csv_text([header, *rows], delimiter=",")
    path = tmp_path / "comma.csv"
    path.write_text("sep=,\r\n" + text, encoding="utf-8-sig")
    found = read_chorus(path)
    assert (found.delimiter, found.header_line, len(found.records)) == (",", 2, 12)


def test_long_csv_in_another_order_of_lines(tmp_path):
    lines = CSV2025.read_bytes().decode("utf-8").splitlines(keepends=True)
    head, body = lines[:5], lines[5:]
    path = tmp_path / "shuffled.csv"
    path.write_bytes("".join(head + body[::-1]).encode("utf-8"))
    got = {(r.ej, r.poste, r.sf_number, r.dp_number): r for r in read_chorus(path).records}
    want = {(r.ej, r.poste, r.sf_number, r.dp_number): r for r in read_chorus(CSV2025).records}
    assert got.keys() == want.keys()
    for key, record in want.items():
        assert dataclasses.replace(got[key], line=record.line) == record


# --- bad lines, named with their line -------------------------------------------------


def test_bad_lines_are_named_with_their_line(tmp_path):
    header, rows = scenario_2019()
    amount = header.index("Montant payé")
    date = header.index("Date comptable du SF")
    ej = header.index("N° EJ")
    poste = header.index("N° poste EJ")
    rows = [list(r) for r in rows]
    rows[1][amount] = "12,3,4"  # line 4
    rows[2][date] = "31.02.2019"  # line 5
    rows[3][ej] = "14000001O3"  # line 6 (a letter O)
    rows[4][poste] = "premier"  # line 7
    rows[5][amount] = 2e11  # line 8
    path = tmp_path / "bad.xlsx"
    write_xlsx(path, [["Exercice comptable : 2019"], header, *rows])
    found = read_chorus(path, name="bad.xlsx")
    assert [(p.line, p.reason) for p in found.problems] == [
        (4, 'Montant payé "12,3,4" n\'est pas un montant'),
        (5, 'Date comptable du SF "31.02.2019" n\'existe pas'),
        (6, "N° EJ \"14000001O3\" n'est pas un numéro d'EJ (10 chiffres)"),
        (7, 'N° poste EJ "premier" n\'est pas un numéro de ligne'),
        (8, 'Montant payé "200000000000.0" dépasse 100 000 000 000 €'),
    ]
    assert found.messages()[0] == 'bad.xlsx:4: Montant payé "12,3,4" n\'est pas un montant'
    assert len(found.records) == 12 - 5
    assert 4 not in by_line(found) and 3 in by_line(found)


def test_every_reason_of_a_line_is_given(tmp_path):
    header, rows = scenario_2019()
    row = list(rows[0])
    row[header.index("Montant payé")] = "beaucoup"
    row[header.index("Montant engagé")] = "1.234"
    path = tmp_path / "two.csv"
    path.write_text(csv_text([header, row]), encoding="utf-8")
    (problem,) = read_chorus(path).problems
    assert problem.line == 2
    assert problem.reason == (
        'Montant engagé "1.234" n\'est pas un montant; Montant payé "beaucoup" n\'est pas un montant'
    )


def test_2025_year_amount_must_be_total_less_bascule(tmp_path):
    rows = big_rows("2025", 3)
    rows[5][9] = 1.0  # (= b - a) on the engagement line
    path = tmp_path / "wrong-ae.xlsx"
    write_xlsx(path, rows)
    (problem,) = read_chorus(path).problems
    assert problem.line == 6
    assert problem.reason.startswith(
        "Montant EJ engagés Année en cours (1,00\u00a0€) n'est pas Montant engagé − "
        "Bascule des EJ non soldés (1\u202f000,00\u00a0€ − 0,00\u00a0€)"
    )


def test_long_csv_bad_lines(tmp_path):
    text = CSV2025.read_bytes().decode("utf-8").splitlines(keepends=True)
    text[5] = text[5].replace("Montant engagé", "Montant engagée")  # line 6
    text[13] = text[13].replace(";;\r\n", ";;1,234\r\n")  # line 14: 3 decimals
    text[18] = text[17]  # line 19 repeats line 18's amount type for the same line
    path = tmp_path / "long-bad.csv"
    path.write_bytes("".join(text).encode("utf-8"))
    found = read_chorus(path, name="long-bad.csv")
    assert [(p.line, p.reason) for p in found.problems] == [
        (
            6,
            'type de montant "Montant engagée" n\'est ni Montant engagé, ni Montant '
            "réceptionné, ni Montant certifié non soldé, ni Montant pré-enregistré, ni "
            "Montant facturé, ni Montant payé",
        ),
        (14, 'le montant 2025 "1,234" n\'est pas un montant'),
        (19, "Montant engagé une deuxième fois pour la même ligne (la première à la ligne 18)"),
    ]
    # the three EJ lines those rows belong to are not records; the others are
    assert len(found.records) == 17 - 3


def test_lines_without_an_ej_are_listed_not_recorded(tmp_path):
    header, rows = scenario_2019()
    row = list(rows[1])
    row[header.index("N° EJ")] = "#"  # a payment with no order (a direct DP)
    note = ["Filtres : programme 0352"]
    path = tmp_path / "no-ej.xlsx"
    write_xlsx(path, [header, row, [], note])
    found = read_chorus(path)
    assert (found.records, found.problems, found.without_ej) == ((), (), (2,))


def test_problems_past_the_limit_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(chorus, "MAX_PROBLEMS", 3)
    header, rows = scenario_2019()
    bad = [[*r[:-1], "n/a"] for r in rows]
    path = tmp_path / "many.csv"
    path.write_text(csv_text([header, *bad]), encoding="utf-8")
    found = read_chorus(path, name="many.csv")
    assert [p.line for p in found.problems] == [2, 3, 4] and found.more_problems == 9
    assert found.messages()[-1] == "many.csv : … et 9 autres lignes illisibles"


# --- the file as a whole: refused in one line ---------------------------------------


def test_no_known_header_names_the_file_and_what_is_missing(tmp_path):
    header, rows = scenario_2019()
    header = [h for h in header if h != "Montant payé"]
    path = tmp_path / "partial.xlsx"
    write_xlsx(path, [header, *(r[:-1] for r in rows)])
    with pytest.raises(BadInput) as caught:
        read_chorus(path, name="partial.xlsx")
    message = str(caught.value)
    assert message == (
        "partial.xlsx : n'est pas un export INF-BUD-53 : pas d'en-tête dans ses 30 premières "
        "lignes ; la plus proche, ligne 1, ressemble au format 2019 mais n'a pas de Montant payé"
    )
    assert "\n" not in message


def test_a_csv_of_something_else_is_refused(tmp_path):
    path = tmp_path / "expenses.csv"
    path.write_text("date;montant;libellé\n01/02/2024;12,00;café\n", encoding="utf-8")
    with pytest.raises(
        BadInput, match=r"^expenses\.csv : n'est pas un export INF-BUD-53 : pas d'en-tête"
    ):
        read_chorus(path, name="expenses.csv")


def test_messages_read_in_french_by_default_and_in_english_on_request(tmp_path):
    """A file refused and a line that cannot be read: in French, then in English."""
    other = tmp_path / "expenses.csv"
    other.write_text("date;montant;libellé\n01/02/2024;12,00;café\n", encoding="utf-8")
    header, rows = scenario_2019()
    paid = header.index("Montant payé")
    rows[0][paid] = "12,3,4"
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([header, *rows]), encoding="utf-8")

    def refusal() -> str:
        with pytest.raises(BadInput) as caught:
            read_chorus(other, name="expenses.csv")
        return str(caught.value)

    def problem() -> str:
        return read_chorus(bad, name="bad.csv").messages()[0]

    assert refusal() == (
        "expenses.csv : n'est pas un export INF-BUD-53 : pas d'en-tête dans ses 30 premières "
        "lignes (cherché : N° EJ, N° poste EJ, Montant engagé, Montant payé…)"
    )
    assert problem() == 'bad.csv:2: Montant payé "12,3,4" n\'est pas un montant'
    i18n.use("en")
    assert refusal() == (
        "expenses.csv: not an INF-BUD-53 export: no header in its first 30 rows (looked for "
        "N° EJ, N° poste EJ, Montant engagé, Montant payé…)"
    )
    assert problem() == 'bad.csv:2: Montant payé "12,3,4" is not an amount'


def test_two_columns_for_one_amount_are_refused(tmp_path):
    header, rows = scenario_2019()
    path = tmp_path / "twice.xlsx"
    write_xlsx(path, [[*header, "Montant payé"], *rows])
    with pytest.raises(BadInput, match=r"twice\.xlsx:1: l'en-tête a deux colonnes Montant payé"):
        read_chorus(path, name="twice.xlsx")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "fichier vide"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "un classeur Excel 97-2003"),
        (b"PK\x03\x04" + bytes(60), "illisible comme classeur Excel"),
        (b"\n\n  \n", "aucune ligne de texte"),
    ],
    ids=["empty", "xls", "broken-zip", "blank"],
)
def test_unreadable_files(tmp_path, content, reason):
    path = tmp_path / "file"
    path.write_bytes(content)
    with pytest.raises(BadInput, match=reason):
        read_chorus(path)


def test_a_workbook_with_no_header_on_any_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Bonjour"])
    book.create_sheet("Autre").append(["N° EJ", "Montant payé"])
    path = tmp_path / "two-sheets.xlsx"
    book.save(path)
    with pytest.raises(BadInput) as caught:
        read_chorus(path, name="two-sheets.xlsx")
    assert str(caught.value).startswith(
        "two-sheets.xlsx : n'est pas un export INF-BUD-53 : feuille \"Sheet\" : pas d'en-tête "
        "dans ses 30 premières lignes"
    )
    assert 'feuille "Autre" : pas d\'en-tête' in str(caught.value)


def test_the_header_is_found_on_a_later_sheet(tmp_path):
    from openpyxl import Workbook

    header, rows = scenario_2019()
    book = Workbook()
    book.active.title = "Lisez-moi"
    book.active.append(["Export Chorus"])
    sheet = book.create_sheet("Données")
    for row in [header, *rows]:
        sheet.append(row)
    path = tmp_path / "later-sheet.xlsx"
    book.save(path)
    found = read_chorus(path)
    assert found.sheet == "Données" and len(found.records) == 12


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(BadInput, match="un dossier, pas un export"):
        read_chorus(tmp_path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(BadInput, match=r"nothing\.xlsx : illisible \(No such file"):
        read_chorus(tmp_path / "nothing.xlsx", name="nothing.xlsx")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            read_chorus(fifo)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # blocked waiting for a writer: unblock it, then fail
        with open(fifo, "wb"):
            pass
        worker.join(timeout=10)
        pytest.fail("reading a FIFO waited for a writer")
    (error,) = outcome
    assert isinstance(error, BadInput) and "n'est pas un fichier ordinaire" in str(error)


def test_the_size_cap_says_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(chorus, "MAX_BYTES", 1 << 20)
    path = tmp_path / "huge.csv"
    path.write_bytes(b"x" * ((1 << 20) + 1))
    with pytest.raises(
        BadInput, match=r"huge\.csv : 1 Mio, plus que les 1 Mio qu'un export peut faire"
    ):
        read_chorus(path, name="huge.csv")


def test_the_line_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(chorus, "MAX_ROWS", 10)
    header, rows = scenario_2019()
    path = tmp_path / "long.csv"
    path.write_text(csv_text([header, *rows]), encoding="utf-8")
    with pytest.raises(BadInput, match="plus de 10 lignes"):
        read_chorus(path)


def test_a_name_with_control_characters_is_shown_escaped(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_chorus(path, name="evil\x1b[31m.csv")
    assert "\x1b" not in str(caught.value) and "evil\\x1b[31m.csv" in str(caught.value)


# --- random lines never raise, only named problems --------------------------------------

_cell = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        ["#", "", " ", "Résultat", "1 234,56", "(12,00)", "-5", "1.234,5", "31.02.2019"]
    ),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2300, 1, 1)),
    st.sampled_from(["1400000101", 1400000101, 1400000101.0, 1, 2.0]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cell, min_size=0, max_size=28), min_size=1, max_size=8))
def test_random_cells_in_a_wide_layout_give_records_or_named_problems(rows):
    header = [h for h, _ in mk.HEADER_2019_DG]
    found = _read_in_memory(header, rows)
    assert len(found.records) + len(found.problems) <= len(rows)
    for problem in found.problems:
        assert problem.line >= 2 and problem.reason and "\n" not in problem.reason
    for record in found.records:
        assert record.ej.isdigit() and len(record.ej) == 10
        for field in AMOUNT_FIELDS:
            value = getattr(record, field)
            assert value is None or (type(value) is int and abs(value) <= 10**13)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cell, min_size=0, max_size=11), min_size=1, max_size=12))
def test_random_cells_in_the_long_layout_give_records_or_named_problems(rows):
    header = [*mk.CSV_DIMS, "", "Exercice comptable", "2025"]
    found = _read_in_memory(header, rows)
    assert found.layout is Layout.Y2025_LONG
    for problem in found.problems:
        assert problem.reason and "\n" not in problem.reason
    for record in found.records:
        assert record.carried_over is None and record.engaged_year is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=';"\r\n #,0123456789abcé€\x00', max_size=40), max_size=12))
def test_random_csv_text_is_read_or_refused_in_one_line(tmp_path_factory, lines):
    header = ";".join(h or "" for h, _ in mk.HEADER_2019)
    path = tmp_path_factory.mktemp("csv") / "random.csv"
    path.write_text(header + "\n" + "\n".join(lines), encoding="utf-8")
    try:
        found = read_chorus(path)
    except BadInput as exc:
        assert "\n" not in str(exc)
        return
    for problem in found.problems:
        assert "\n" not in problem.reason


def _read_in_memory(header: list, rows: list[list]) -> ChorusFile:
    """The reader on rows given as cells (no file): the header is line 1."""
    from store.importers.chorus.columns import match_layout, read_header

    head = read_header(header, 1)
    spec = match_layout(head)
    assert spec is not None
    return chorus._read_rows("memory", "xlsx", spec, head, [], iter(list(enumerate(rows, start=2))))


def test_the_long_layout_in_a_workbook(tmp_path):
    rows = big_rows("2025-long", 24)
    rows[4][-1] = 2025  # a workbook heads the amount column with a number
    book, text = tmp_path / "long.xlsx", tmp_path / "long.csv"
    write_xlsx(book, rows)
    text.write_text(csv_text(rows), encoding="utf-8")
    from_book, from_text = read_chorus(book), read_chorus(text)
    assert from_book.layout is Layout.Y2025_LONG and from_book.year == 2025
    assert len(from_book.records) == 4 and from_book.problems == ()
    assert from_book.records == from_text.records
