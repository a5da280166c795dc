"""The words people read for the store's codes, in the language of the moment; the codes
themselves never change."""

from __future__ import annotations

import i18n
from store.rules.vocab import (
    ALERT_LABELS,
    DEADLINE_KIND_LABELS,
    DEADLINE_KIND_SHORT,
    DEADLINE_KINDS,
    IMPUTATION_FIELDS,
    IMPUTATION_KEYS,
    PARTY_ROLE_LABELS,
    PARTY_ROLES,
    PHASE_LABELS,
    STATUS_LABELS,
    alert_label,
    convention_end_title,
    deadline_kind_label,
    deadline_title,
    imputation_label,
    line_kind_label,
    party_role_label,
    phase_label,
    status_label,
)


def test_french_words():
    assert phase_label("transfere") == "transféré" and phase_label("acceleration") == "accélération"
    assert phase_label(None) == "—" and phase_label("nouvelle-phase") == "nouvelle-phase"
    assert alert_label("OVERDUE") == "en retard" and alert_label("GAP") == "sans convention"
    assert alert_label("END_UNKNOWN") == "fin inconnue" and alert_label("NEW_CODE") == "NEW_CODE"
    assert deadline_kind_label("convention_end") == "fin de convention"
    assert deadline_kind_label("convention_end", short=True) == "fin de conv."
    assert party_role_label("other") == "autre" and party_role_label("délégant") == "délégant"
    assert status_label("in_force") == "en vigueur" and line_kind_label("payment") == "paiement"
    assert imputation_label("activite") == "Activité"
    assert imputation_label("domaine_fonctionnel") == "Domaine fonctionnel"
    assert imputation_label("centre_couts") == "Centre de coûts"
    assert dict(IMPUTATION_FIELDS)["service_executant"] == "Service exécutant"


def test_english_words_and_the_same_codes():
    i18n.use("en")
    assert phase_label("transfere") == "transferred"
    assert alert_label("OVERDUE") == "overdue" and alert_label("GAP") == "no convention"
    assert DEADLINE_KIND_LABELS["convention_end"] == "end of convention"
    assert DEADLINE_KIND_SHORT.get("renewal") == "renew."
    assert PARTY_ROLE_LABELS["délégataire"] == "delegated party"
    assert STATUS_LABELS.get("ended") == "ended" and STATUS_LABELS.get("x", "x") == "x"
    assert [key for key, _label in IMPUTATION_FIELDS] == list(IMPUTATION_KEYS)
    assert IMPUTATION_FIELDS[5] == ("domaine_fonctionnel", "Functional area")
    assert list(DEADLINE_KIND_LABELS) == list(DEADLINE_KINDS)
    assert list(PARTY_ROLE_LABELS) == list(PARTY_ROLES)


def test_every_label_has_its_french():
    """Every code's English words are translated (none reads the same in both languages
    but the words French shares: construction, BOP…)."""
    same = {"convention", "investigation", "construction", "consolidation", "alumni"}
    same |= {"Programme", "BOP", "UO"}
    for table in (DEADLINE_KIND_LABELS, PARTY_ROLE_LABELS, STATUS_LABELS, PHASE_LABELS):
        for code in table:
            i18n.use("en")
            english = table[code]
            i18n.use("fr")
            assert table[code] != english or english in same, (code, english)
    for code in ALERT_LABELS:
        i18n.use("en")
        english = alert_label(code)
        i18n.use("fr")
        assert alert_label(code) != english, code


def test_a_derived_end_is_stored_in_one_form_and_titled_where_read():
    stored = convention_end_title("Convention de service")
    assert (
        stored == "Fin de la convention de service" == convention_end_title("convention de service")
    )
    assert convention_end_title(None) == "Fin de la convention"
    assert deadline_title(stored, "convention_end", True) == stored
    i18n.use("en")
    assert convention_end_title("Convention de service") == stored  # stored: one form
    assert deadline_title(stored, "convention_end", True) == "End of the convention de service"
    # A deadline someone typed is theirs, in their words.
    assert deadline_title("Fin de la phase 1", "deliverable", False) == "Fin de la phase 1"
