"""The audit log in a person's words (store.queries.changes): labels, euros, dates, codes."""

from __future__ import annotations

import i18n
from store.queries.changes import change_words as _change_words
from store.queries.changes import field_words, value_words


def change_words(*args) -> str:
    """The words, with babel's narrow and no-break spaces read as spaces."""
    return _change_words(*args).replace("\u202f", " ").replace("\xa0", " ")


def test_a_change_reads_in_french_words():
    assert change_words("purchase_order", "amount_cents", 100000, 120050) == (
        "montant : 1 000 € → 1 200,50 €"
    )
    assert change_words("convention", "ends_on", None, "2019-03-31") == "fin : ∅ → 31/03/2019"
    assert change_words("committee_review", "decision", "undecided", "stop") == (
        "décision : non décidé → arrêt"
    )
    assert value_words("deadline", "done", True) == "oui"
    assert value_words("deadline", "kind", "renewal") == "renouvellement"
    assert value_words("consumption_line", "kind", "payment") == "paiement"


def test_the_same_in_english():
    i18n.use("en")
    assert change_words("purchase_order", "amount_cents", 100000, 120050) == (
        "amount: €1,000 → €1,200.50"
    )
    assert change_words("convention", "ends_on", None, "2019-03-31") == "end: ∅ → 2019-03-31"
    assert field_words("granted_cents") == "envelope granted"


def test_what_has_no_words_stays_as_stored_and_visible():
    assert field_words("dedup_key") == "dedup_key"
    assert value_words("startup", "notes", "a\x1b]52;c;x\x07b") == "a␛]52;c;x␇b"
    assert value_words("startup", "notes", "x" * 60) == "x" * 39 + "…"
    assert value_words("phase", "name", "transfere") == "transféré"


def test_an_unknown_code_is_shown_as_any_other_stored_text():
    # A code the vocabulary has no words for (an older store, a hand-edited row) is data:
    # made visible and shortened like any other value, never echoed raw.
    for table, field in (
        ("committee_review", "decision"),
        ("deadline", "kind"),
        ("purchase_order", "status"),
        ("convention_party", "role"),
        ("phase", "name"),
    ):
        assert value_words(table, field, "a\x1b[2Jb") == "a␛[2Jb", (table, field)
        assert value_words(table, field, "y" * 60) == "y" * 39 + "…", (table, field)
    assert value_words("committee_review", "decision", "") == "∅"  # empty, as for any field
