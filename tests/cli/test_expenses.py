"""Consumption lines: `startups expense add` and `startups import expenses` (both CSV dialects)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.errors import BadInput, NotFound
from store.importers.expenses.csv import BadRows, dedup_key, read_expenses
from store.open import open_store
from store.ops.ledger import add_expense
from store.rules.amounts import parse_amount_cents
from store.rules.dates import parse_day
from store.rules.vocab import parse_line_kind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "expenses"


def lines_of(db: Path, slug: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT l.date, l.amount_cents, l.kind, l.label, l.counted_convention_id "
            "FROM consumption_line l JOIN startup s ON s.id = l.startup_id "
            "WHERE s.slug = ? ORDER BY l.date, l.id",
            (slug,),
        ).fetchall()
    finally:
        con.close()


def consumed(run, db: Path, slug: str, as_of: str) -> float:
    result = run("report", "--db", db, "--as-of", as_of, "--format", "json")
    assert result.code == 0, result.err
    return next(s for s in result.json()["startups"] if s["slug"] == slug)["consumed_eur"]


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# --- values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12345.67", 1234567),
        ("12345,67", 1234567),
        ("12 345,67", 1234567),
        ("12\u00a0345,67", 1234567),
        ("12\u202f345,67", 1234567),
        ("1 234 567,8", 123456780),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("1.234.567", 123456700),
        ("250,5", 25050),
        ("0,01", 1),
        (" 800 ", 80000),
        ("1 000 €", 100000),
        ("1\u00a0000,00\u00a0€", 100000),
        ("99.9 EUR", 9990),
        ("+12", 1200),
    ],
)
def test_amounts(text, cents):
    assert parse_amount_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12,3,4", "n'est pas un montant"),
        ("1,234", "n'est pas un montant"),  # a thousands comma or 3 decimals? refused, not guessed
        ("12.345", "n'est pas un montant"),
        ("1 23,4", "n'est pas un montant"),
        ("12,345", "n'est pas un montant"),
        ("1.5.6", "n'est pas un montant"),
        ("abc", "n'est pas un montant"),
        ("\u0661\u0662", "n'est pas un montant"),  # digits, but not ours
        ("€", "n'est pas un montant"),
        ("", "est vide"),
        ("-50", "est négatif"),
        ("−50,00", "est négatif"),
        ("(120,00)", "est négatif"),
        ("50-", "est négatif"),
        ("0", "est nul"),
        ("0,00", "est nul"),
    ],
)
def test_amounts_refused(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_amount_cents(text)


def test_days_and_kinds():
    assert parse_day("15/06/2018") == dt.date(2018, 6, 15)
    assert parse_day("2018-06-15") == dt.date(2018, 6, 15)
    assert parse_day("5.6.2018") == dt.date(2018, 6, 5)
    assert parse_day("2018-06-15 00:00:00") == dt.date(2018, 6, 15)
    assert parse_day("29/02/2020") == dt.date(2020, 2, 29)  # a leap day
    with pytest.raises(ValueError, match="n'existe pas"):
        parse_day("31/02/2019")
    with pytest.raises(ValueError, match="n'existe pas"):
        parse_day("29/02/2019")
    with pytest.raises(ValueError, match="pas une date"):
        parse_day("06/2018")
    assert parse_line_kind("Paiement") == "payment"
    assert parse_line_kind("ENGAGEMENT") == "engagement"
    assert parse_line_kind("Engagément") == "engagement"  # accents do not matter
    assert parse_line_kind("payment") == "payment"
    with pytest.raises(ValueError, match="n'est ni"):
        parse_line_kind("virement")


# --- reading both dialects ----------------------------------------------------------------


def test_french_export_bom_crlf_nbsp():
    rows = read_expenses((FIXTURES / "francais_bom_crlf.csv").read_bytes(), "f.csv")
    assert [(r.line, r.date, r.amount_cents, r.label, r.kind, r.occurrence) for r in rows] == [
        (2, dt.date(2018, 6, 15), 1234567, "Développement juin", "payment", 0),
        (3, dt.date(2018, 6, 20), 100000, "Bon de commande hébergement", "engagement", 0),
        (4, dt.date(2018, 6, 20), 100000, "Bon de commande hébergement", "engagement", 1),
        (5, dt.date(2018, 6, 25), 25050, "Frais; déplacement", "payment", 0),
    ]


def test_french_export_latin1():
    rows = read_expenses((FIXTURES / "francais_latin1.csv").read_bytes(), "f.csv")
    assert [(r.date, r.amount_cents, r.label, r.kind) for r in rows] == [
        (dt.date(2018, 7, 2), 250000, "Prestation été", "payment"),
        (dt.date(2018, 7, 3), 80000, "Réservation salle", "engagement"),
    ]


def test_plain_export():
    rows = read_expenses((FIXTURES / "plain.csv").read_bytes(), "p.csv")
    assert [(r.date, r.amount_cents, r.label, r.kind) for r in rows] == [
        (dt.date(2018, 7, 10), 1234567, "Design sprint", "payment"),
        (dt.date(2018, 7, 11), 9990, "Licence, annuelle", "engagement"),
    ]


def test_the_same_rows_in_either_dialect_have_the_same_keys():
    plain = read_expenses((FIXTURES / "plain.csv").read_bytes(), "p.csv")
    french = read_expenses((FIXTURES / "plain_as_francais.csv").read_bytes(), "f.csv")
    assert [dedup_key("x", r) for r in plain] == [dedup_key("x", r) for r in french]
    assert dedup_key("x", plain[0]) != dedup_key("y", plain[0])


def test_without_a_kind_column_every_line_is_a_payment_and_extra_columns_are_ignored():
    data = b"sep=;\r\nDate;Montant TTC;Libelle;Fournisseur;\r\n01/06/2018;10;x;ACME;\r\n"
    (row,) = read_expenses(data, "e.csv")
    assert (row.line, row.kind, row.amount_cents) == (3, "payment", 1000)


def test_utf16_with_bom_and_blank_lines():
    text = "\n\ndate,amount,label\n\n2018-06-01,10,x\n\n"
    (row,) = read_expenses(text.encode("utf-16"), "e.csv")
    assert (row.line, row.date) == (5, dt.date(2018, 6, 1))


def test_a_quoted_label_over_two_lines_keeps_the_next_line_numbers():
    data = b'date,amount,label\n2018-06-01,10,"two\nlines"\n2018-06-02,x,y\n'
    with pytest.raises(BadRows) as caught:
        read_expenses(data, "e.csv")
    assert caught.value.problems == ['e.csv:4: amount "x" n\'est pas un montant']


def test_each_kind_of_bad_row_is_named_with_its_line():
    with pytest.raises(BadRows) as caught:
        read_expenses((FIXTURES / "bad_rows.csv").read_bytes(), "bad_rows.csv")
    assert caught.value.problems == [
        'bad_rows.csv:3: date "2018/13/45" n\'est pas une date (attendu : jj/mm/aaaa ou aaaa-mm-jj)',
        'bad_rows.csv:4: date "31/02/2019" n\'existe pas',
        'bad_rows.csv:5: montant "12,3,4" n\'est pas un montant',
        'bad_rows.csv:6: montant "-50,00" est négatif (une ligne de consommation est de l\'argent dépensé ou engagé)',
        'bad_rows.csv:7: nature "virement" n\'est ni engagement ni paiement',
        "bad_rows.csv:8: a 2 champs, l'en-tête en a 4",
    ]


def test_too_many_fields_says_so():
    with pytest.raises(BadRows, match=r"e.csv:2: a 5 champs, l'en-tête en a 4"):
        read_expenses(b"date,amount,label,kind\n2018-06-01,12,50,x,payment\n", "e.csv")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "e.csv : fichier vide"),
        (b"\r\n  \n", "e.csv : fichier vide"),
        (b"jour;valeur;commentaire\n", "e.csv:1: en-tête"),
        (b"date;libelle\n01/01/2018;x\n", "pas de colonne montant/amount"),
        (b"\x00\xff\xfe garbage", "e.csv:1: en-tête"),
    ],
)
def test_bad_files(data, message):
    with pytest.raises(BadInput, match=message) as caught:
        read_expenses(data, "e.csv")
    assert "\n" not in str(caught.value)


def test_bad_rows_are_listed_up_to_a_limit():
    data = b"date,amount,label\n" + b"2018-06-01,x,y\n" * 150
    with pytest.raises(BadRows) as caught:
        read_expenses(data, "e.csv")
    lines = caught.value.lines()
    assert len(lines) == 101 and lines[-1] == "... et 50 autres lignes incorrectes"


_CSVISH = st.text(alphabet=list(";,\"'\r\n\t0123456789/-.: éÉaZ€\u00a0\u202f\x00"), max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), _CSVISH.map(str.encode)))
def test_random_bytes_are_read_or_refused_never_crash(data):
    for prefix in (b"", b"date;montant;libell\xc3\xa9;nature\r\n", b"date,amount,label,kind\n"):
        try:
            rows = read_expenses(prefix + data, "e.csv")
        except BadRows as exc:
            assert all("\n" not in p and "\r" not in p for p in exc.lines())
        except BadInput as exc:
            assert "\n" not in str(exc) and "\r" not in str(exc)
        else:
            assert all(r.amount_cents > 0 for r in rows)


@pytest.fixture(scope="module")
def _fuzz_db(tmp_path_factory, _demo_template):
    import shutil

    path = tmp_path_factory.mktemp("fuzz") / "demo.db"
    shutil.copy(_demo_template, path)
    return path


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=200), _CSVISH.map(lambda t: ("date;montant;libellé\n" + t).encode())
    )
)
def test_random_files_through_the_command_exit_cleanly(run, tmp_path, _fuzz_db, data):
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    result = run("import", "expenses", path, "--startup", "dossiersco", "--db", _fuzz_db)
    assert result.code in (0, 2), result.err
    assert "Traceback" not in result.err
    if result.code == 0:
        assert result.err == "" and "ajoutées" in result.out
    else:
        assert result.err and all(
            line.startswith("startups : erreur : ") for line in result.err.splitlines()
        )


# --- import into the store ------------------------------------------------------------------


def test_import_then_reimport_adds_nothing(run, demo_db):
    before = consumed(run, demo_db, "classe-a-12", "2018-06-30")
    assert before == 38000.0  # the demo's June payment
    path = FIXTURES / "francais_bom_crlf.csv"
    result = run("import", "expenses", path, "--startup", "classe-a-12", "--db", demo_db)
    assert result.code == 0, result.err
    assert (
        result.out.strip()
        == "classe-a-12 : francais_bom_crlf.csv : ajoutées : 4, déjà présentes : 0"
    )
    # 12 345,67 + 1 000 + 1 000 + 250,50 (the engagement counts as consumption too)
    assert consumed(run, demo_db, "classe-a-12", "2018-06-30") == 38000.0 + 14596.17
    count = len(lines_of(demo_db, "classe-a-12"))

    again = run("import", "expenses", path, "--startup", "classe-a-12", "--db", demo_db)
    assert again.code == 0, again.err
    assert (
        again.out.strip()
        == "classe-a-12 : francais_bom_crlf.csv : ajoutées : 0, déjà présentes : 4"
    )
    assert len(lines_of(demo_db, "classe-a-12")) == count
    assert consumed(run, demo_db, "classe-a-12", "2018-06-30") == 38000.0 + 14596.17


def test_lines_are_attributed_to_the_convention_in_force(run, demo_db):
    run("import", "expenses", FIXTURES / "plain.csv", "--startup", "classe-a-12", "--db", demo_db)
    imported = [line for line in lines_of(demo_db, "classe-a-12") if line[3] == "Design sprint"]
    assert imported == [("2018-07-10", 1234567, "payment", "Design sprint", 1)]


def test_a_later_export_in_the_other_dialect_adds_only_what_is_new(run, demo_db):
    first = run(
        "import", "expenses", FIXTURES / "plain.csv", "--startup", "dossiersco", "--db", demo_db
    )
    assert "ajoutées : 2" in first.out
    second = run(
        "import",
        "expenses",
        FIXTURES / "plain_as_francais.csv",
        "--startup",
        "dossiersco",
        "--db",
        demo_db,
    )
    assert second.code == 0
    assert "ajoutées : 0, déjà présentes : 2" in second.out
    # …but the same file for another startup is that startup's own lines.
    third = run(
        "import", "expenses", FIXTURES / "plain.csv", "--startup", "classe-a-12", "--db", demo_db
    )
    assert "ajoutées : 2, déjà présentes : 0" in third.out


def test_latin1_import(run, demo_db):
    result = run(
        "import",
        "expenses",
        FIXTURES / "francais_latin1.csv",
        "--startup",
        "dossiersco",
        "--db",
        demo_db,
    )
    assert result.code == 0, result.err
    labels = [line[3] for line in lines_of(demo_db, "dossiersco")]
    assert "Prestation été" in labels and "Réservation salle" in labels


def test_bad_rows_write_nothing_and_are_each_named(run, demo_db):
    before = lines_of(demo_db, "classe-a-12")
    path = FIXTURES / "bad_rows.csv"
    result = run("import", "expenses", path, "--startup", "classe-a-12", "--db", demo_db)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert [line.split(": ")[2].rsplit(":", 1)[-1] for line in lines] == [
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
    ]
    assert all(line.startswith(f"startups : erreur : {path}:") for line in lines)
    assert lines[2] == f'startups : erreur : {path}:5: montant "12,3,4" n\'est pas un montant'
    assert lines_of(demo_db, "classe-a-12") == before


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("empty.csv", "fichier vide"), ("wrong_header.csv", "wrong_header.csv:1: en-tête")],
)
def test_bad_files_through_the_command(run, demo_db, name, fragment):
    before = lines_of(demo_db, "classe-a-12")
    result = run("import", "expenses", FIXTURES / name, "--startup", "classe-a-12", "--db", demo_db)
    assert_one_line_error(result, fragment)
    assert lines_of(demo_db, "classe-a-12") == before


def test_import_errors(run, demo_db, tmp_path):
    good = FIXTURES / "plain.csv"
    assert_one_line_error(
        run("import", "expenses", good, "--startup", "nope", "--db", demo_db),
        "aucune startup 'nope'",
    )
    assert_one_line_error(
        run(
            "import",
            "expenses",
            tmp_path / "missing.csv",
            "--startup",
            "dossiersco",
            "--db",
            demo_db,
        ),
        "missing.csv : illisible",
    )
    assert_one_line_error(
        run("import", "expenses", good, "--startup", "dossiersco", "--db", tmp_path / "none.db"),
        "aucune base ici",
    )
    assert not (tmp_path / "none.db").exists()


def test_one_failing_row_rolls_back_the_whole_import(demo_db, monkeypatch):
    """The import is one transaction: a failure while writing leaves the store as it was."""
    from store.importers.expenses import csv as expenses

    rows = read_expenses((FIXTURES / "francais_bom_crlf.csv").read_bytes(), "f.csv")

    def failing(*args, **kwargs):  # every line is written by then: the failure comes last
        raise BadInput("simulated failure once the lines are written")

    monkeypatch.setattr("store.importers.expenses.csv.reattribute", failing)
    before = lines_of(demo_db, "classe-a-12")
    store = open_store(str(demo_db), create=False)
    with pytest.raises(BadInput), store.session() as session:
        expenses.store_expenses(session, "classe-a-12", rows, source="test")
    store.dispose()
    assert lines_of(demo_db, "classe-a-12") == before


# --- expense add ------------------------------------------------------------------------------


def test_expense_add_changes_the_report(run, demo_db):
    assert consumed(run, demo_db, "classe-a-12", "2018-06-30") == 38000.0
    result = run(
        "expense",
        "add",
        "classe-a-12",
        "--date",
        "2018-06-15",
        "--amount",
        "1 234,56",
        "--label",
        "Hébergement",
        "--db",
        demo_db,
    )
    assert result.code == 0, result.err
    assert "paiement de 1\u202f234,56\u00a0€" in result.out
    assert "comptée sur la convention 1" in result.out
    assert consumed(run, demo_db, "classe-a-12", "2018-06-30") == 39234.56
    assert lines_of(demo_db, "classe-a-12")[0] == (
        "2018-06-15",
        123456,
        "payment",
        "Hébergement",
        1,
    )


def test_expense_add_engagement_french_date_and_named_convention(run, demo_db):
    result = run(
        "expense",
        "add",
        "dossiersco",
        "--date",
        "03/01/2019",
        "--amount",
        "500",
        "--label",
        "Bon de commande",
        "--kind",
        "Engagement",
        "--convention",
        "5",
        "--db",
        demo_db,
    )
    assert result.code == 0, result.err
    # named the avenant (5): counts against its root convention (4)
    assert ("2019-01-03", 50000, "engagement", "Bon de commande", 4) in lines_of(
        demo_db, "dossiersco"
    )


def test_expense_outside_any_convention_is_unattributed(run, demo_db):
    result = run(
        "expense",
        "add",
        "classe-a-12",
        "--date",
        "2019-06-01",
        "--amount",
        "10",
        "--label",
        "x",
        "--db",
        demo_db,
    )
    assert result.code == 0 and "hors convention" in result.out
    report = run("report", "--db", demo_db, "--as-of", "2019-06-02", "-f", "json").json()
    assert report["startups"][0]["unattributed_eur"] == 10.0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("nope", "--amount", "10"), "aucune startup 'nope'"),
        (("classe-a-12", "--amount", "-10"), "--amount '-10' est négatif"),
        (("classe-a-12", "--amount", "0"), "est nul"),
        (("classe-a-12", "--amount", "12,3,4"), "n'est pas un montant"),
        (("classe-a-12", "--amount", "10", "--date", "31/02/2019"), "n'existe pas"),
        (
            ("classe-a-12", "--amount", "10", "--date", "demain"),
            "'--date' : 'demain' n'est pas une date",
        ),
        (("classe-a-12", "--amount", "10", "--kind", "virement"), "--kind 'virement'"),
        (("classe-a-12", "--amount", "10", "--convention", "4"), "appartient à dossiersco"),
        (("classe-a-12", "--amount", "10", "--convention", "999"), "aucune convention 999"),
        (("classe-a-12", "--amount", "10", "--label", "  "), "libellé"),
    ],
)
def test_expense_add_errors(run, demo_db, args, fragment):
    before = lines_of(demo_db, "classe-a-12")
    slug, *rest = args
    options = {"--date": "2018-06-15", "--label": "x"}
    argv = ["expense", "add", slug, *rest]
    for option, value in options.items():
        if option not in rest:
            argv += [option, value]
    assert_one_line_error(run(*argv, "--db", demo_db), fragment)
    assert lines_of(demo_db, "classe-a-12") == before


def test_add_expense_store_function(demo_db):
    store = open_store(str(demo_db), create=False)
    with store.session() as session:
        line = add_expense(
            session, "dossiersco", date=dt.date(2018, 7, 1), amount_cents=999, label="café"
        )
        assert line.id is not None and line.counted_convention_id == 4
        with pytest.raises(NotFound):
            add_expense(session, "nope", date=dt.date(2018, 7, 1), amount_cents=1, label="x")
        with pytest.raises(BadInput, match="positif"):
            add_expense(session, "dossiersco", date=dt.date(2018, 7, 1), amount_cents=0, label="x")
    store.dispose()


@pytest.mark.parametrize("text", ["01/01/0001", "9999-12-31", "1899-12-31"])
def test_days_out_of_any_plausible_year_are_refused(text):
    with pytest.raises(ValueError, match="plausible"):
        parse_day(text)


# --- limits --------------------------------------------------------------------------------


def test_a_fifo_is_refused_at_once(run, demo_db, tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    result = run("import", "expenses", fifo, "--startup", "classe-a-12", "--db", demo_db)
    assert result.code == 2 and "pas un fichier ordinaire" in result.err
    assert result.err.count("\n") == 1


def test_the_size_cap_is_said(run, demo_db, tmp_path, monkeypatch):
    import store.importers.expenses.csv as expenses

    monkeypatch.setattr(expenses, "MAX_BYTES", 10)
    result = run(
        "import", "expenses", FIXTURES / "plain.csv", "--startup", "classe-a-12", "--db", demo_db
    )
    assert result.code == 2 and "plus qu'un export ne peut en faire (1 Gio)" in result.err


def test_a_long_export_streams_to_what_a_list_gives(run, demo_db, tmp_path):
    """Many rows, repeats among them (identical rows are all kept, once each), in both
    dialects: the streamed import adds each line once, a second import adds nothing."""
    lines = ["date;montant;libellé;nature"]
    for i in range(12_000):
        day = f"{1 + i % 28:02d}/{4 + i % 6:02d}/2018"
        lines.append(
            f"{day};{10 + i % 7},50;Ligne {i % 3000};{'paiement' if i % 5 else 'engagement'}"
        )
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = run("import", "expenses", path, "--startup", "dossiersco", "--db", demo_db)
    assert first.code == 0, first.err
    assert "ajoutées : 12000, déjà présentes : 0" in first.out
    again = run("import", "expenses", path, "--startup", "dossiersco", "--db", demo_db)
    assert "ajoutées : 0, déjà présentes : 12000" in again.out
    keys = {expenses_key for expenses_key in _keys(demo_db)}
    rows = read_expenses(path.read_bytes(), "long.csv")
    assert {dedup_key("dossiersco", row) for row in rows} <= keys


def _keys(db):
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return [k for (k,) in con.execute("SELECT dedup_key FROM consumption_line")]
    finally:
        con.close()
