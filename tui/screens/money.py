"""AE and CP on the startup screen's budget tab: what is engaged, paid, left to pay, and
the CP of the year not paid yet."""

from __future__ import annotations

import i18n
from store.fmt import eur
from store.rules.budget import Assessment

_ = i18n.Domain("app").gettext


def money_rows(a: Assessment) -> list[tuple[str, str, str, str]]:
    """Rows of two (label, value) pairs, as the budget summary lays them out."""
    cp_left = a.cp_left_this_year_cents
    return [
        (
            _("Engaged (AE)"),
            eur(a.engaged_cents),
            _("Paid (CP)"),
            eur(a.paid_cents),
        ),
        (
            _("Left to pay"),
            eur(a.to_pay_cents),
            _("CP left this year"),
            _("no schedule") if cp_left is None else eur(cp_left),
        ),
    ]
