"""CSV for spreadsheets and scripts: one header row, then one row per item."""

from __future__ import annotations

import csv as _csv
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def write(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Rows as CSV on stdout, ``None`` as an empty cell."""
    writer = _csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
