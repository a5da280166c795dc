"""The columns of INF-BUD-53: what each header means, and which layout a header row is.

A header cell is compared by :func:`values.column_key` (no case, accents, spaces,
punctuation, ``°`` or parenthesised text), so ``N°EJ (Bon de commande / Marché / …)`` and
``N° EJ`` are the same column.  Chorus heads a code/label pair only above the code: the
empty header after such a column is its label (so is a header ``<name> 2``, as compta
named them, or ``Libellé <name>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import i18n
from store.importers.chorus.records import AMOUNT_FIELDS, Layout
from store.importers.chorus.values import Cell, column_key, year_heading

# role → (the header Chorus writes, the other spellings' keys).  A role is an EjLine field.
_ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ej": ("N° EJ", ("noej", "numeroej", "numej", "numerodej", "ej")),
    "poste": ("N° poste EJ", ("noposteej", "numeroposteej", "posteej", "posteej")),
    "supplier": (
        "Fournisseur titulaire principal (EJ)",
        ("fournisseur", "fournisseurtitulaire", "titulaireprincipal"),
    ),
    "contract": ("N° de contrat", ("nocontrat", "nodecontrat", "ncontrat", "numerodecontrat")),
    "flow_type": ("Type de flux", ("typeflux",)),
    "centre_financier": ("Centre financier", ("cf",)),
    "cost_centre": ("Centre de coûts", ("centrecouts", "centredecout")),
    "activity": ("Référentiel de programmation", ("refprogrammation", "activite")),
    "functional_domain": ("Domaine fonctionnel", ()),
    "fund": ("Fonds", ()),
    "budget_account": ("Compte budgétaire", ()),
    "goods_group": ("Groupe de marchandises", ("groupemarchandises",)),
    "service": ("Service exécutant", ()),
    "sf_number": ("N° SF", ("nosf", "numerosf", "numerodesf")),
    "sf_date": ("Date comptable du SF", ("datecomptablesf",)),
    "dp_number": ("N° DP", ("nodp", "numerodp", "numerodedp")),
    "dp_line": ("N° poste DP", ("nopostedp", "postedp")),
    "dp_date": ("Date de base de la DP", ("datebasedp", "datedebasedp")),
    "carried_over": ("Bascule des EJ non soldés", ("basculedesejnonsolde", "bascule")),
    "engaged": ("Montant engagé", ("montanttotalengage", "montantsengage", "montantengages")),
    "engaged_year": (
        "Montant EJ engagés Année en cours",
        ("montantejengageanneeencours", "montantengageanneeencours"),
    ),
    "received": ("Montant réceptionné", ()),
    "certified_unsettled": ("Montant certifié non soldé", ("montantcertifienonsoldes",)),
    "pre_recorded": ("Montant pré-enregistré", ("montantpreenregistres",)),
    "invoiced": ("Montant facturé", ()),
    "paid": ("Montant payé", ()),
    "amount_type": ("Type montant", ("typedemontant", "typedesmontants", "typemontants")),
}
ROLE_NAMES = {role: name for role, (name, _) in _ROLES.items()}
ROLE_OF: dict[str, str] = {}
for _role, (_name, _aliases) in _ROLES.items():
    for _key in (column_key(_name), *_aliases):
        ROLE_OF.setdefault(_key, _role)

# Code/label pairs: the label goes to "<role>_label".
PAIRS = frozenset(
    {
        "centre_financier",
        "cost_centre",
        "activity",
        "functional_domain",
        "fund",
        "budget_account",
        "goods_group",
        "service",
    }
)
AMOUNTS = frozenset(AMOUNT_FIELDS)
# Two columns for one of these is ambiguous: the file is refused.
NOT_TWICE = AMOUNTS | {"ej", "poste", "sf_number", "sf_date", "dp_number", "dp_line", "dp_date"}
# The six amount types of the long CSV (grist-budget-agriculture requires exactly these).
AMOUNT_TYPES = {
    column_key("Montant engagé"): "engaged",
    column_key("Montant réceptionné"): "received",
    column_key("Montant certifié non soldé"): "certified_unsettled",
    column_key("Montant pré-enregistré"): "pre_recorded",
    column_key("Montant facturé"): "invoiced",
    column_key("Montant payé"): "paid",
}
LONG_AMOUNTS = tuple(f for f in AMOUNT_FIELDS if f in AMOUNT_TYPES.values())


@dataclass(frozen=True)
class LayoutSpec:
    layout: Layout
    required: tuple[str, ...]
    title: str


_SPECS = (
    LayoutSpec(
        Layout.Y2019_DG,
        (
            "service",
            "centre_financier",
            "ej",
            "poste",
            "carried_over",
            "engaged",
            "certified_unsettled",
            "pre_recorded",
            "invoiced",
            "paid",
        ),
        "2019 (délégation de gestion)",
    ),
    LayoutSpec(
        Layout.Y2025,
        (
            "ej",
            "sf_number",
            "dp_number",
            "carried_over",
            "engaged_year",
            "engaged",
            "received",
            "invoiced",
            "paid",
        ),
        "2025",
    ),
    LayoutSpec(
        Layout.Y2019,
        (
            "centre_financier",
            "ej",
            "poste",
            "carried_over",
            "engaged",
            "certified_unsettled",
            "pre_recorded",
            "invoiced",
            "paid",
        ),
        "2019",
    ),
    # The long CSV: its evidenced dimensions, then the amount type and the year's column.
    LayoutSpec(
        Layout.Y2025_LONG,
        ("ej", "sf_number", "dp_line", "dp_date", "amount_type", "year"),
        i18n.N_("2025 CSV (one amount per line)"),
    ),
)


def describe(role: str) -> str:
    if role == "year":
        return "amount column headed by the year"
    if role == "amount_type":
        return "amount type column (Montant engagé, …, Montant payé)"
    return ROLE_NAMES[role]


@dataclass
class Header:
    """A header row's columns: role → index, labels, and what is odd about it."""

    line: int
    cells: Sequence[Cell]
    roles: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)  # pair role → its label's column
    twice: list[str] = field(default_factory=list)  # NOT_TWICE roles found twice
    year: int | None = None  # the long CSV: the year heading the amount column

    def missing(self, spec: LayoutSpec) -> list[str]:
        found = self.roles.keys() | ({"year"} if self.year is not None else set())
        return [role for role in spec.required if role not in found]


def read_header(cells: Sequence[Cell], line: int) -> Header:
    """What each column of a candidate header row is."""
    header = Header(line=line, cells=list(cells))
    keys = [column_key(cell) for cell in cells]
    last = len(keys) - 1
    while last >= 0 and not keys[last]:
        last -= 1
    # The long CSV: the last heading is the year (its column holds the amounts).
    if last >= 0 and year_heading(cells[last]) is not None:
        header.year = year_heading(cells[last])
        header.roles["year"] = last
    previous: str | None = None
    for index, key in enumerate(keys):
        if index == header.roles.get("year"):
            break
        role = ROLE_OF.get(key) if key else None
        label_of = None
        if not key:
            label_of = previous
        elif key.endswith("2") and ROLE_OF.get(key[:-1]) in PAIRS:
            label_of = ROLE_OF[key[:-1]]
        elif key.startswith("libelle") and ROLE_OF.get(key[7:]) in PAIRS:
            label_of = ROLE_OF[key[7:]]
        elif role is not None and role == previous:  # the pair's header written twice
            label_of = role
        if label_of in PAIRS and label_of not in header.labels:
            header.labels[label_of] = index
            previous = None
            continue
        previous = role
        if role is None:
            continue
        if role in header.roles:
            if role in NOT_TWICE and role not in header.twice:
                header.twice.append(role)
            continue
        header.roles[role] = index
    # A pair heads the last columns: its label's column is past the header row's last cell.
    if previous in PAIRS and previous not in header.labels and header.year is None:
        header.labels[previous] = last + 1
    # The long CSV's amount type: its own heading, or (as grist-budget-agriculture reads
    # it) the column two before the amounts, when that one has no other meaning.
    if header.year is not None and "amount_type" not in header.roles:
        guess = header.roles["year"] - 2
        if guess >= 0 and ROLE_OF.get(keys[guess]) is None and guess not in header.labels.values():
            header.roles["amount_type"] = guess
    if header.year is not None and AMOUNTS & header.roles.keys():
        # Amount columns and a year heading: a wide layout with a stray year, not the long one.
        del header.roles["year"]
        header.roles.pop("amount_type", None)
        header.year = None
    return header


def match_layout(header: Header) -> LayoutSpec | None:
    """The layout whose required columns this header has (the most demanding one wins)."""
    matching = [spec for spec in _SPECS if not header.missing(spec)]
    if not matching:
        return None
    return max(matching, key=lambda spec: len(spec.required))


def nearest(header: Header) -> tuple[int, LayoutSpec, list[str]]:
    """The layout this header comes closest to: (columns found, layout, missing)."""
    best: tuple[int, LayoutSpec, list[str]] | None = None
    for spec in _SPECS:
        missing = header.missing(spec)
        found = len(spec.required) - len(missing)
        if best is None or (len(missing), -found) < (len(best[2]), -best[0]):
            best = (found, spec, missing)
    assert best is not None
    return best
