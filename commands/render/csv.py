"""CSV for spreadsheets and scripts: one header row, then one row per item.

Text cells are text: their control characters made visible (``store.rules.text.visible``),
and a cell a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` first) is
written with a leading apostrophe, so that it shows as written and never runs.
"""

from __future__ import annotations

import csv as _csv
import io
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from store.rules.text import visible

FORMULA_STARTS = ("=", "+", "-", "@")


def cell(value: Any) -> Any:
    """A value as a CSV cell: ``None`` empty, numbers as they are, text made inert."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = visible(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Rows as CSV on stdout, ``None`` as an empty cell."""
    write_lists(columns, ([row.get(k) for k in columns] for row in rows))


def _decimal_comma(value: Any) -> Any:
    """A number as French spreadsheets read it (``1234,5``); anything else as it is."""
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return value


def write_lists(
    columns: Sequence[str],
    rows: Iterable[list[Any]],
    *,
    text: Sequence[int] | None = None,
    french: bool = False,
) -> None:
    """Rows given as lists of values in the columns' order, as CSV on stdout, a thousand
    rows a write (one write per row costs a system call each on an unbuffered stdout).
    ``text``: the columns that may hold text (by index; the others hold numbers or
    nothing, written as they are), when the caller knows them.  ``french``: the dialect
    French Excel opens as it is: ``;`` between cells, decimal commas, and UTF-8 with a
    byte order mark (without it, Excel reads the accents as Windows-1252)."""
    buffer = io.StringIO()
    writer = _csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\n")
    if french:
        buffer.write("\ufeff")
    writer.writerow(columns)
    needs_care = _NEEDS_CARE.search
    numbers = None
    if french:
        numbers = [i for i in range(len(columns)) if text is None or i not in set(text)]
    for n, row in enumerate(rows, 1):
        if text is None:
            row = [cell(v) for v in row]
        else:
            for i in text:
                value = row[i]
                if value is not None and needs_care(value):
                    row[i] = cell(value)
        if numbers is not None:
            for i in numbers:
                row[i] = _decimal_comma(row[i])
        writer.writerow(row)  # None is written as an empty cell
        if n % 1000 == 0:
            sys.stdout.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    sys.stdout.write(buffer.getvalue())


# What ``cell`` changes in a text: a formula's first character, a control or bidi character.
_NEEDS_CARE = re.compile(
    "^[=+\\-@]|[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
