"""The store's messages in the language of the run: French by default, English on request.

One test per family of messages: the edits of the forms (``store.ops.edit``), the lines
and deadlines of the ledger, backups and restores, amounts and dates as people type
them, and the importers' bad rows and files.  Each message keeps what it names (the
field, the file and its line, the value typed) in both languages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import i18n
from store.backup import backup, load_file
from store.errors import BadInput, InvalidField, NotFound, field_label
from store.importers.betagouv.read import FileError, front_matter
from store.importers.expenses.csv import BadRows, read_expenses
from store.open import open_store
from store.ops import edit
from store.ops.ledger import add_expense, mark_deadline_done
from store.rules.amounts import parse_amount_cents, read_amount_cents
from store.rules.dates import parse_day


def _raised(exc_type, call, *args, **kwargs) -> BaseException:
    with pytest.raises(exc_type) as caught:
        call(*args, **kwargs)
    return caught.value


def test_the_forms_errors_name_the_field_by_its_label(demo_db):
    store = open_store(str(demo_db), create=False)
    try:
        line = edit.LineInput(startup="classe-a-12", date="01/09/2018", amount="12,3,4", label="x")
        error = _raised(InvalidField, edit.save_line, store, line)
        assert error.field == "amount"  # the key, for the form to show it under the field
        assert str(error) == "montant : '12,3,4' n'est pas un montant en euros"
        convention = edit.ConventionInput(
            startup="classe-a-12", starts_on="01/09/2018", ends_on="01/08/2018"
        )
        error = _raised(InvalidField, edit.save_convention, store, convention)
        assert error.field == "ends_on"
        assert str(error) == "date de fin : la fin (01/08/2018) précède le début (01/09/2018)"
        missing = dataclasses.replace(line, amount="5", id=999)
        error = _raised(NotFound, edit.save_line, store, missing)
        assert str(error) == "aucune ligne de consommation 999 pour classe-a-12"

        i18n.use("en")
        error = _raised(InvalidField, edit.save_line, store, line)
        assert str(error) == "amount: '12,3,4' is not an amount in euros"
        error = _raised(InvalidField, edit.save_convention, store, convention)
        assert str(error) == "end date: the end (2018-08-01) is before the start (2018-09-01)"
    finally:
        store.dispose()


def test_a_party_field_is_named_by_its_party():
    assert field_label("parties.0.name") == "partie 1, nom"
    assert field_label("something_else") == "something_else"  # a name it has no label for
    i18n.use("en")
    assert field_label("parties.1.role") == "party 2, role"


def test_the_ledger_says_what_is_wrong_in_the_language_of_the_run(demo_db):
    store = open_store(str(demo_db), create=False)
    try:
        with store.session() as session:
            day = dt.date(2018, 9, 15)
            error = _raised(BadInput, mark_deadline_done, session, "convention-3-end", day)
            assert str(error).startswith("convention-3-end découle de la fin de la convention 3")
            error = _raised(
                NotFound, add_expense, session, "nope", date=day, amount_cents=1, label="x"
            )
            assert str(error) == "aucune startup 'nope' dans la base"
            i18n.use("en")
            error = _raised(BadInput, mark_deadline_done, session, "convention-3-end", day)
            assert str(error).startswith("convention-3-end is derived from convention 3's end")
            error = _raised(
                NotFound, add_expense, session, "nope", date=day, amount_cents=1, label="x"
            )
            assert str(error) == "no startup 'nope' in the store"
    finally:
        store.dispose()


def test_backups_and_restores_say_what_is_wrong(demo_db, tmp_path):
    store = open_store(str(demo_db), create=False)
    try:
        error = _raised(BadInput, backup, store, demo_db)
        assert str(error) == f"{demo_db} : c'est la base elle-même"
        missing = tmp_path / "none.json"
        assert str(_raised(BadInput, load_file, missing)) == f"{missing} : fichier introuvable"
        i18n.use("en")
        assert (
            str(_raised(BadInput, backup, store, demo_db)) == f"{demo_db}: that is the store itself"
        )
        assert str(_raised(BadInput, load_file, missing)) == f"{missing}: no such file"
    finally:
        store.dispose()


@pytest.mark.parametrize(
    ("call", "text", "french", "english"),
    [
        (read_amount_cents, "12,3,4", "n'est pas un montant", "is not an amount"),
        (read_amount_cents, "", "est vide", "is empty"),
        (parse_amount_cents, "0", "est nul", "is zero"),
        (
            read_amount_cents,
            "10" * 8,
            "dépasse 100 000 000 000 €",
            "is more than 100 000 000 000 €",
        ),
        (parse_day, "31/02/2019", "n'existe pas", "is not a real day"),
        (parse_day, "demain", "n'est pas une date", "is not a date"),
    ],
)
def test_amounts_and_days_give_their_reason_in_the_language_of_the_run(call, text, french, english):
    assert french in str(_raised(ValueError, call, text))
    i18n.use("en")
    assert english in str(_raised(ValueError, call, text))


def test_the_importers_bad_rows_and_files_keep_their_file_and_line():
    data = b"date,montant,label\n2018-06-01,x,y\n2018-06-02,1,2,3,4\n"
    problems = _raised(BadRows, read_expenses, data, "e.csv").problems
    assert problems == [
        'e.csv:2: montant "x" n\'est pas un montant',
        'e.csv:3: a 5 champs, l\'en-tête en a 3 (un "," dans une valeur sans guillemets ?)',
    ]
    error = _raised(FileError, front_matter, "title: x\n")
    assert str(error) == "pas d'en-tête YAML (le fichier doit commencer par une ligne « --- »)"
    i18n.use("en")
    problems = _raised(BadRows, read_expenses, data, "e.csv").problems
    assert problems == [
        'e.csv:2: montant "x" is not an amount',
        'e.csv:3: has 5 fields, the header has 3 (a "," inside an unquoted value?)',
    ]
    error = _raised(FileError, front_matter, "title: x\n")
    assert str(error) == "no front matter (the file must start with a '---' line)"
