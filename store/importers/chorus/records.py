"""What a Chorus INF-BUD-53 export says, as plain frozen records (no database).

Amounts are integer cents (``2400000`` = 24 000,00 €), TTC as Chorus gives them.  A value
the export does not give is ``None``: a column the layout does not have, an empty cell, or
Chorus's ``#`` ("non affecté").  It is never 0 unless the file says 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import i18n

_ = i18n.Domain("store").gettext


class Layout(StrEnum):
    """The layouts of INF-BUD-53 that public code reads (the value names them in messages)."""

    # 2019 (betagouv/compta): code/label column pairs, Bascule and Montant engagé, no
    # Montant réceptionné.
    Y2019 = "2019"
    # The same with the Service exécutant pair first (délégation de gestion).
    Y2019_DG = "2019-dg"
    # 2025 (betagouv/grist-budget-agriculture, Excel): (a) Bascule, (b) TOTAL engagé,
    # (= b - a) engagé de l'année, N° SF, N° DP, Montant réceptionné.
    Y2025 = "2025"
    # 2025 CSV in long form: one row per amount, "Type montant" says which, the amount
    # column is headed by the year; pivoted here into one record per line.
    Y2025_LONG = "2025-long"


# The amount fields of EjLine, in the order Chorus's restitution lists them.
AMOUNT_FIELDS = (
    "engaged",
    "carried_over",
    "engaged_year",
    "received",
    "certified_unsettled",
    "pre_recorded",
    "invoiced",
    "paid",
)


@dataclass(frozen=True, slots=True)
class EjLine:
    """One line of the export about one EJ line (the EJ and its poste).

    A line sits at the export's own grain: the engagement, each service fait and each
    demande de paiement of a poste may come on separate lines (the 2025 layouts give their
    SF and DP numbers; the 2019 ones split by the SF's date).  :func:`totals` sums them per
    EJ line.  For the long CSV, one EjLine is the pivot of the rows that share every
    dimension (one row per amount type); ``line`` is the first of them.

    Codes are text as written (``#`` and empty read as None); each ``*_label`` is the
    label column of a code/label pair (Chorus heads only the code's column).
    """

    line: int  # the line in the file: the worksheet's row number, or the CSV's physical line
    ej: str  # N° EJ: the engagement juridique (= the purchase order's number), 10 digits
    poste: int | None  # N° poste EJ (None when the layout has no such column)
    supplier: str | None = None  # Fournisseur titulaire principal (EJ)
    contract: str | None = None  # N° de contrat (the marché)
    flow_type: str | None = None  # Type de flux
    # Centre financier as written ("BG00/0129-CAHC-DISI"), its label, and its codes when it
    # has the shape [périmètre/]programme-BOP-UO: programme "0129", BOP "0129-CAHC",
    # UO "0129-CAHC-DISI" (Chorus's codes for each level); None when it has not.
    centre_financier: str | None = None
    centre_financier_label: str | None = None
    programme: str | None = None
    bop: str | None = None
    uo: str | None = None
    cost_centre: str | None = None  # Centre de coûts
    cost_centre_label: str | None = None
    # Référentiel de programmation as written ("BG00/035201010001"), its label, and the
    # activité's 12 digits when it has the shape [périmètre/]12 digits (else None).
    activity: str | None = None
    activity_label: str | None = None
    activity_code: str | None = None
    functional_domain: str | None = None  # Domaine fonctionnel
    functional_domain_label: str | None = None
    fund: str | None = None  # Fonds
    fund_label: str | None = None
    budget_account: str | None = None  # Compte budgétaire
    budget_account_label: str | None = None
    goods_group: str | None = None  # Groupe de marchandises
    goods_group_label: str | None = None
    service: str | None = None  # Service exécutant
    service_label: str | None = None
    sf_number: str | None = None  # N° SF (service fait)
    sf_date: dt.date | None = None  # Date comptable du SF
    dp_number: str | None = None  # N° DP (demande de paiement), as written (prefix kept)
    dp_line: str | None = None  # N° poste DP
    dp_date: dt.date | None = None  # Date de base de la DP
    # Amounts, in cents.
    engaged: int | None = None  # Montant engagé / TOTAL engagé (b): the bascule included
    carried_over: int | None = None  # Bascule des EJ non soldés (a): from earlier years
    # The year's AE: the column (= b - a) where the layout has it; in the 2019 layouts,
    # Montant engagé − Bascule (a Bascule left empty beside a given Montant engagé is
    # nothing carried over); None where the layout cannot say (the long CSV has no Bascule).
    engaged_year: int | None = None
    received: int | None = None  # Montant réceptionné: services faits
    certified_unsettled: int | None = None  # Montant certifié non soldé: SF not yet invoiced
    pre_recorded: int | None = None  # Montant pré-enregistré: DP pré-enregistrées
    invoiced: int | None = None  # Montant facturé: DP validated, not yet paid
    paid: int | None = None  # Montant payé


@dataclass(frozen=True, slots=True)
class Problem:
    """A line of the file that could not be read, and why (one line, the column named)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ChorusFile:
    """An INF-BUD-53 export as read: its layout, its lines, and what could not be read."""

    name: str  # the file, as messages name it
    format: str  # "xlsx" or "csv"
    layout: Layout
    header_line: int  # the line (row) of the header
    records: tuple[EjLine, ...]
    problems: tuple[Problem, ...]  # the lines that cannot be read, in file order
    # Problems past MAX_PROBLEMS are counted here, not listed.
    more_problems: int = 0
    # The EjLine amount fields this file's layout gives (the others are None throughout).
    amounts: tuple[str, ...] = ()
    sheet: str | None = None  # the worksheet read (xlsx)
    encoding: str | None = None  # the text's encoding (csv)
    delimiter: str | None = None  # the field separator (csv)
    year: int | None = None  # the exercice: the long CSV's amount column, or the preamble's
    exported_on: dt.date | None = None  # the one date the lines above the header give
    subtotals: int = 0  # lines dropped as Chorus subtotals ("Résultat", "Résultat global")
    # Lines with amounts but no EJ number (such as payments without an order): not records.
    without_ej: tuple[int, ...] = ()

    def messages(self) -> list[str]:
        """One ``FILE:LINE: reason`` per problem, then how many more were not listed."""
        lines = [f"{self.name}:{p.line}: {p.reason}" for p in self.problems]
        if self.more_problems:
            lines.append(
                _("{file}: ... and {count} more lines that cannot be read").format(
                    file=self.name, count=self.more_problems
                )
            )
        return lines


@dataclass(frozen=True, slots=True)
class EjLineTotal:
    """The lines of one EJ line (EJ, poste) added up.

    Each amount is the sum of the values the lines give, None when none gives one (so a
    column the layout lacks stays None).  ``lines`` are the file's lines, in order.
    """

    ej: str
    poste: int | None
    lines: tuple[int, ...]
    engaged: int | None = None
    carried_over: int | None = None
    engaged_year: int | None = None
    received: int | None = None
    certified_unsettled: int | None = None
    pre_recorded: int | None = None
    invoiced: int | None = None
    paid: int | None = None


def totals(records: Iterable[EjLine]) -> list[EjLineTotal]:
    """The records summed per EJ line, in the order each EJ line first appears."""
    sums: dict[tuple[str, int | None], list] = {}
    for record in records:
        key = (record.ej, record.poste)
        entry = sums.get(key)
        if entry is None:
            entry = sums[key] = [[], [None] * len(AMOUNT_FIELDS)]
        entry[0].append(record.line)
        values = entry[1]
        for i, field in enumerate(AMOUNT_FIELDS):
            value = getattr(record, field)
            if value is not None:
                values[i] = value if values[i] is None else values[i] + value
    return [
        EjLineTotal(ej, poste, tuple(lines), *values)
        for (ej, poste), (lines, values) in sums.items()
    ]
