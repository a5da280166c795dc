"""A convention's budget imputation: the eight codes by which the money is booked.

One list for every layer (the convention columns in ``store.models``, the card, the
forms, the convention importer), with the labels people read.  No SQLModel here: the
read path (``startups show``) imports it.
"""

from __future__ import annotations

# (column of ``convention``, label), in the order they are shown.
IMPUTATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("programme", "Programme"),
    ("bop", "BOP"),
    ("uo", "UO"),
    ("brique", "Brique"),
    ("activite", "Activité"),
    ("domaine_fonctionnel", "Domaine fonctionnel"),
    ("centre_couts", "Centre de coûts"),
    ("service_executant", "Service exécutant"),
)
IMPUTATION_KEYS: tuple[str, ...] = tuple(key for key, _label in IMPUTATION_FIELDS)
