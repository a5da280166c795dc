"""The cells of a Chorus export, one rule at a time (``store.importers.chorus.values``).

For each rule: what it reads, and a near miss that gives None (or a named refusal),
never a guess.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.importers.chorus import values as v
from store.importers.chorus.columns import ROLE_OF, read_header
from store.importers.text import decode
from store.rules.amounts import read_amount_cents

D = dt.date


# --- amounts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "cents"),
    [
        ("24 000,00", 2_400_000),
        ("1\u202f234,56", 123_456),  # narrow no-break space
        ("1\u00a0234,5", 123_450),
        ("-12,5", -1_250),
        ("(12,00)", -1_200),
        ("1.234,56-", -123_456),  # SAP's trailing minus
        ("8000", 800_000),
        ("12.50", 1_250),
        (24000.0, 2_400_000),
        (1234.56, 123_456),
        (0.1 + 0.2, 30),  # a float's own error is not a third decimal
        (15, 1_500),
        ("0", 0),
    ],
)
def test_amounts_read(cell, cents):
    assert v.amount_cents(cell) == cents


@pytest.mark.parametrize("cell", [None, "", "  ", "#", " # "])
def test_unknown_amounts_are_none_not_zero(cell):
    assert v.amount_cents(cell) is None


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("1,234", "n'est pas un montant"),  # thousands or three decimals? refused, not guessed
        ("1.234", "n'est pas un montant"),
        ("12,3,4", "n'est pas un montant"),
        ("1 23,4", "n'est pas un montant"),
        ("12,345", "n'est pas un montant"),
        (1234.565, "a plus de deux décimales"),
        (math.inf, "n'est pas un montant"),
        (math.nan, "n'est pas un montant"),
        (True, "n'est pas un montant"),
        (dt.datetime(2019, 1, 1), "n'est pas un montant"),
        ("100 000 000 000,01", "dépasse 100 000 000 000 €"),
        (1e12, "dépasse 100 000 000 000 €"),
        (10**12, "dépasse 100 000 000 000 €"),
        ("9" * 400, "dépasse 100 000 000 000 €"),
    ],
)
def test_amount_near_misses_are_refused_with_the_reason(cell, reason):
    with pytest.raises(ValueError, match=reason):
        v.amount_cents(cell)


def test_the_bound_itself_is_an_amount():
    assert v.amount_cents("100 000 000 000,00") == 10**13
    assert v.amount_cents(-(10**11)) == -(10**13)


_amount_text = st.one_of(
    st.text(alphabet="0123456789 ,.-()\u00a0\u202f€+", max_size=16),
    st.builds(
        lambda whole, dec, sep, neg: (
            ("-" if neg else "")
            + f"{whole:,}".replace(",", sep)
            + (f",{dec:02d}" if dec is not None else "")
        ),
        st.integers(0, 10**12),
        st.none() | st.integers(0, 99),
        st.sampled_from([" ", "\u00a0", "\u202f", ""]),
        st.booleans(),
    ),
)


@given(_amount_text)
def test_the_fast_path_reads_as_the_shared_parser(text):
    """Every text gives what ``store.rules.amounts.read_amount_cents`` gives, or its refusal."""
    try:
        expected = read_amount_cents(text)
    except ValueError:
        expected = None
    try:
        got = v.amount_text_cents(text)
    except ValueError as exc:
        assert expected is None or abs(expected) > v.MAX_CENTS, (text, expected, exc)
        return
    if text.strip() in ("", "#"):
        assert got is None
    else:
        assert got == expected


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.datetimes(), st.none()))
def test_amount_cells_give_cents_none_or_a_reason(cell):
    try:
        cents = v.amount_cents(cell)
    except ValueError as exc:
        assert str(exc)
        return
    assert cents is None or (type(cents) is int and abs(cents) <= v.MAX_CENTS)


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("20.03.2025", D(2025, 3, 20)),
        ("20/03/2025", D(2025, 3, 20)),
        ("2025-03-20", D(2025, 3, 20)),
        ("2025-03-20 00:00:00", D(2025, 3, 20)),
        (dt.datetime(2019, 3, 14), D(2019, 3, 14)),
        (D(2019, 3, 14), D(2019, 3, 14)),
        ("#", None),
        ("", None),
        (None, None),
        ("00.00.0000", None),  # SAP's date never set
    ],
)
def test_dates_read(cell, day):
    assert v.day(cell) == day


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31.02.2019", "n'existe pas"),
        ("2019-02-30", "n'existe pas"),
        ("03.2019", "n'est pas une date"),
        ("14 mars 2019", "n'est pas une date"),
        ("20.03.25", "n'est pas une date"),  # a two-digit year is not guessed
        (43538, "est un nombre, pas une date"),  # a serial number without a date style
        (43538.0, "est un nombre, pas une date"),
        (dt.datetime(1850, 1, 1), "n'est pas un jour plausible"),
        (True, "n'est pas une date"),
    ],
)
def test_date_near_misses_are_refused(cell, reason):
    with pytest.raises(ValueError, match=reason):
        v.day(cell)


# --- identities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "ej"),
    [
        ("1400000101", "1400000101"),
        (1400000101, "1400000101"),
        (1400000101.0, "1400000101"),
        (" 1500000102 ", "1500000102"),
        ("#", None),
        ("", None),
        (None, None),
    ],
)
def test_ej_numbers(cell, ej):
    assert v.ej_number(cell) == ej


@pytest.mark.parametrize(
    "cell",
    ["140000010", "14000001011", "1 400 000 101", "14000001O1", 1400000101.5, True, "EJ1400000101"],
)
def test_ej_near_misses_are_refused(cell):
    with pytest.raises(ValueError, match="n'est pas un numéro d'EJ"):
        v.ej_number(cell)


@pytest.mark.parametrize(
    ("cell", "poste"), [("1", 1), (2, 2), (10.0, 10), ("0010", 10), ("#", None)]
)
def test_line_numbers(cell, poste):
    assert v.line_number(cell) == poste


@pytest.mark.parametrize("cell", ["0", 0, -1, "1.5", 1.5, "1a", "1 000 000", 10**7, True])
def test_line_number_near_misses_are_refused(cell):
    with pytest.raises(ValueError, match="n'est pas un numéro de ligne"):
        v.line_number(cell)


# --- codes with a shape --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "codes"),
    [
        ("BG00/0129-CAHC-DISI", ("0129", "0129-CAHC", "0129-CAHC-DISI")),
        ("0352-CDBR-DINU", ("0352", "0352-CDBR", "0352-CDBR-DINU")),
        # near misses: parts None, never a guess
        ("0129-CAHC", (None, None, None)),
        ("129-CAHC-DISI", (None, None, None)),
        ("BG00/0129-CAHC-DISI-X", (None, None, None)),
        ("bg00/0129-cahc-disi", (None, None, None)),
        ("BG00 0129-CAHC-DISI", (None, None, None)),
        ("", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_centre_financier_codes(raw, codes):
    assert v.centre_financier_codes(raw) == codes


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("BG00/035201010001", "035201010001"),
        ("035201010001", "035201010001"),
        ("BG00/03520101000", None),  # 11 digits
        ("BG00/0352010100011", None),
        ("0352-01-01-0001", None),
        (None, None),
    ],
)
def test_activity_code(raw, code):
    assert v.activity_code(raw) == code


# --- texts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("  FOURNISSEUR A SAS ", "FOURNISSEUR A SAS"),
        ("#", None),
        ("", None),
        (1300009001, "1300009001"),
        (1300009001.0, "1300009001"),
        (36.01, "36.01"),
        ("Cafe\u0301", "Café"),  # NFC
        (dt.datetime(2019, 3, 14), "2019-03-14"),
    ],
)
def test_text(cell, value):
    assert v.text(cell) == value


@pytest.mark.parametrize("cell", ["Résultat", "Résultat global", "RESULTAT", "résultat  global "])
def test_subtotals(cell):
    assert v.is_subtotal(cell)


@pytest.mark.parametrize("cell", ["Résultats", "Résultat net SAS", "Total", None, 1])
def test_subtotal_near_misses(cell):
    assert not v.is_subtotal(cell)


# --- the lines above the header -----------------------------------------------------------


def test_preamble_dates_and_year():
    assert v.days_in("Données mises à jour le : 15/07/2019") == {D(2019, 7, 15)}
    assert v.days_in("Extraction du 16.06.2025 à 08:00") == {D(2025, 6, 16)}
    assert v.days_in(dt.datetime(2025, 6, 16, 8)) == {D(2025, 6, 16)}
    assert v.exercice_in("Exercice comptable : 2019   Programme : 0352") == 2019
    assert v.exercice_in("EXERCICE 2025") == 2025


def test_preamble_near_misses():
    assert v.days_in("mis à jour le 31/02/2019") == set()
    assert v.days_in("référence 115/07/20190") == set()
    assert v.exercice_in("Exercice comptable : 20199") is None
    assert v.exercice_in("Exercice comptable : 1066") is None
    assert v.exercice_in("Programme 2019") is None


def test_a_preamble_with_two_dates_gives_no_export_date():
    from store.importers.chorus.read import _preamble

    rows = [(1, ["Période du 01/01/2019 au 31/12/2019"]), (2, ["Exercice : 2019"])]
    assert _preamble(rows) == (2019, None)
    assert _preamble([(1, ["Exercice 2019"]), (2, ["Exercice 2020"])]) == (None, None)


# --- column names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("N° EJ", "ej"),
        ("N°EJ (Bon de commande / Marché / Convention / Subvention...)", "ej"),
        ("Nº EJ", "ej"),
        ("n° ej", "ej"),
        ("N° poste EJ", "poste"),
        ("Bascule des EJ non soldés (EJ années antérieures) (a)", "carried_over"),
        ("Montant EJ engagés Année en cours (= b - a)", "engaged_year"),
        ("Montant TOTAL engagé (b)", "engaged"),
        ("Montant engagé", "engaged"),
        ("Montant facturé (Fact. validée par le comptable mais non échue)", "invoiced"),
        ("Montant payé (Virement effectué au fournisseur)", "paid"),
        ("MONTANT PRE-ENREGISTRE", "pre_recorded"),
        ("Montant payé (Virement", "paid"),  # an unclosed parenthesis
        ("Fournisseur titulaire principal (EJ)", "supplier"),
        ("Centre de coûts", "cost_centre"),
    ],
)
def test_column_names(name, role):
    assert ROLE_OF[v.column_key(name)] == role


@pytest.mark.parametrize(
    "name", ["Montant payée", "Montant", "N° EJ 2", "Numéro de la DP client", "Date", "Bascul"]
)
def test_column_near_misses_are_no_column(name):
    assert ROLE_OF.get(v.column_key(name)) is None


def test_labels_of_code_columns():
    header = read_header(
        [
            "Centre financier",
            None,
            "Centre de coûts",
            "Centre de coûts 2",
            "Fonds",
            "Libellé fonds",
            "N° EJ",
            None,
            "Centre financier",
        ],
        1,
    )
    assert header.roles["centre_financier"] == 0 and header.labels["centre_financier"] == 1
    assert header.labels["cost_centre"] == 3 and header.labels["fund"] == 5
    assert "ej" not in header.labels  # an empty header after a non-pair is nothing
    assert header.twice == []  # a repeated code column is not an amount: the first counts


# --- encodings --------------------------------------------------------------------------------


@given(
    st.one_of(
        st.binary(max_size=64),
        st.text(max_size=32).map(lambda t: t.encode("utf-8")),
        st.text(alphabet="aé€’ç;", max_size=32).map(lambda t: t.encode("cp1252")),
        st.text(max_size=16).map(lambda t: t.encode("utf-16")),
        st.text(max_size=16).map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
    )
)
def test_the_streamed_encoding_is_the_one_decode_chooses(data):
    import io

    from store.importers.chorus.csvrows import encoding_name, pick_encoding

    assert encoding_name(pick_encoding(io.BytesIO(data))) == decode(data)[1]
