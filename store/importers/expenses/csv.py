"""Consumption lines from a CSV export: ``startups import expenses FILE --startup SLUG``.

Two dialects are read, told apart by the header line:

- the French export of the finance tools: ``date;montant;libellé;nature``, ``;``
  between fields, ``12 345,67`` (spaces, no-break or narrow no-break spaces between
  thousands), ``dd/mm/yyyy``, ``nature`` = engagement | paiement;
- a plain one: ``date,amount,label,kind``, ``,`` between fields, ``12345.67``, ISO dates.

Header names and ``nature`` values are compared without regard to case or accents;
other columns are ignored; without a ``nature``/``kind`` column every line is a
payment.  Line ends may be CRLF or LF; the encoding UTF-8 (with or without BOM),
UTF-16 with a BOM, Windows-1252 or Latin-1.  A first line ``sep=;`` (as Excel
writes) is honoured.

Reading is all-or-nothing: every bad row is reported (``BadRows``), with its line
number and reason, and then nothing is written.  Writing is idempotent: each row
gets a ``dedup_key`` (a hash of the startup, the row's parsed values and its
occurrence among identical rows of the file), so importing the same file twice,
or a later export that repeats earlier rows, adds only what is new.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from store.derived import reattribute
from store.errors import BadInput
from store.importers.text import decode
from store.models import ConsumptionLine
from store.ops.ledger import new_line, startup_by_slug
from store.rules.amounts import parse_amount_cents
from store.rules.dates import parse_day
from store.rules.text import clean_text, fold
from store.rules.vocab import parse_line_kind

if TYPE_CHECKING:
    import datetime as dt

    from sqlmodel import Session

EXPECTED_HEADER = "date;montant;libellé;nature (or date,amount,label,kind)"
DELIMITERS = (";", ",", "\t", "|")
# Header names, folded (no case, no accents) and stripped of anything but letters and digits.
COLUMNS = {
    "date": ("date", "jour", "day", "dateoperation", "datedoperation"),
    "amount": ("montant", "amount", "montantttc", "montanteur", "montanteuros", "somme"),
    "label": ("libelle", "label", "intitule", "description", "objet"),
    "kind": ("nature", "kind", "type"),
}
REQUIRED = ("date", "amount", "label")
# Listing more bad rows than this helps nobody: the rest are counted.
MAX_LISTED = 100


class BadRows(BadInput):
    """Some rows of the file cannot be read; ``problems`` holds one line per bad row."""

    def __init__(self, problems: list[str], more: int = 0):
        self.problems = problems
        self.more = more
        first = problems[0]
        others = len(problems) - 1 + more
        super().__init__(first + (f" (and {others} more bad rows)" if others else ""))

    def lines(self) -> list[str]:
        extra = [f"... and {self.more} more bad rows"] if self.more else []
        return [*self.problems, *extra]


@dataclass(frozen=True)
class ExpenseRow:
    line: int
    date: dt.date
    amount_cents: int
    label: str
    kind: str
    # 0 for the first row with these values in the file, 1 for the next identical one…
    occurrence: int = 0
    # The column whose control characters were removed (None: nothing to clean).
    cleaned: str | None = None


@dataclass
class ImportResult:
    slug: str
    rows: int
    added: int
    already: int


def show(value: str, limit: int = 40) -> str:
    """A value quoted for an error line: control characters escaped, long values cut."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    escaped = "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in value
    )
    return f'"{escaped}"'


def _column_key(name: str) -> str:
    return "".join(c for c in fold(name) if c.isalnum())


_ROLE_OF = {alias: role for role, aliases in COLUMNS.items() for alias in aliases}


def _map_header(cells: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        role = _ROLE_OF.get(_column_key(cell))
        if role is not None and role not in roles:
            roles[role] = index
    return roles


def _first_line(text: str, start: int) -> tuple[str, int]:
    """The physical line starting at ``start`` and the offset of the next one."""
    end = start
    while end < len(text) and text[end] not in "\r\n":
        end += 1
    line = text[start:end]
    if text.startswith("\r\n", end):
        end += 2
    elif end < len(text):
        end += 1
    return line, end


def _header(text: str, name: str) -> tuple[str, int, int]:
    """The delimiter, the offset of the header line and its line number."""
    offset, number, forced = 0, 1, None
    while offset < len(text):
        line, following = _first_line(text, offset)
        stripped = line.strip()
        if stripped and fold(stripped).startswith("sep=") and len(stripped) == 5:
            forced = stripped[4]
        elif stripped:
            break
        offset, number = following, number + 1
    else:
        raise BadInput(f"{name}: empty file (expected a header line: {EXPECTED_HEADER})")
    candidates = (forced,) if forced else DELIMITERS
    best: tuple[int, int, str, list[str]] | None = None
    for delimiter in candidates:
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except (csv.Error, TypeError, StopIteration):
            continue
        roles = _map_header(cells)
        missing = [r for r in REQUIRED if r not in roles]
        score = (len(REQUIRED) - len(missing), len(roles))
        if best is None or score > best[:2]:
            best = (*score, delimiter, missing)
    if best is None or best[3]:
        names = {"date": "date", "amount": "montant/amount", "label": "libellé/label"}
        detail = "no " + ", no ".join(names[r] for r in best[3]) + " column; " if best else ""
        raise BadInput(
            f"{name}:{number}: header {show(line, 60)} not recognised: {detail}"
            f"expected {EXPECTED_HEADER}"
        )
    return best[2], offset, number


def read_expenses(data: bytes, name: str) -> list[ExpenseRow]:
    """Every row of an expense export, checked; ``BadRows`` lists each bad one.

    ``name`` is how the file is named in messages (``expenses.csv:7: …``).
    """
    name = show(name, 200)[1:-1]
    text, _encoding = decode(data)
    if text.startswith("\ufeff"):  # a BOM inside a BOM (UTF-16 files saved twice)
        text = text[1:]
    delimiter, offset, header_line = _header(text, name)
    reader = csv.reader(io.StringIO(text[offset:], newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:  # a header with a stray quote spanning the file
        raise BadInput(f"{name}:{header_line}: cannot read the header ({exc})") from None
    roles = _map_header(header)
    labels = {role: header[index].strip() or role for role, index in roles.items()}
    width = len(header)
    while width and not header[width - 1].strip():  # trailing ";" in the header
        width -= 1
    needed = max(roles.values()) + 1

    rows: list[ExpenseRow] = []
    problems: list[str] = []
    more = 0
    seen: dict[tuple, int] = {}
    last = reader.line_num  # physical lines are counted from the header line
    while True:
        start = header_line + last  # this record's first physical line
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"{name}:{start}: cannot read this line ({exc})")
            break
        last = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        reasons: list[str] = []
        if len(record) < needed:
            reasons.append(f"has {len(record)} fields, the header has {width}")
        elif len(record) > max(width, needed) and any(c.strip() for c in record[width:]):
            reasons.append(
                f"has {len(record)} fields, the header has {width} "
                f"(a {show(delimiter)} inside an unquoted value?)"
            )
        else:
            values = {}
            for role, index in roles.items():
                cell = record[index] if index < len(record) else ""
                if role == "label":
                    label = " ".join(unicodedata.normalize("NFC", cell).split())
                    values[role] = clean_text(label)
                    if values[role] != label:
                        values["cleaned"] = labels[role]
                    continue
                parse = {"date": parse_day, "amount": parse_amount_cents, "kind": parse_line_kind}[
                    role
                ]
                try:
                    values[role] = parse(cell)
                except ValueError as exc:
                    reasons.append(f"{labels[role]} {show(cell)} {exc}")
        if reasons:
            if len(problems) < MAX_LISTED:
                problems.append(f"{name}:{start}: " + "; ".join(reasons))
            else:
                more += 1
            continue
        kind = values.get("kind", "payment")
        identity = (values["date"], values["amount"], values["label"], kind)
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        rows.append(
            ExpenseRow(
                line=start,
                date=values["date"],
                amount_cents=values["amount"],
                label=values["label"],
                kind=kind,
                occurrence=occurrence,
                cleaned=values.get("cleaned"),
            )
        )
    if problems:
        raise BadRows(problems, more)
    return rows


def read_expense_file(path: str | Path) -> list[ExpenseRow]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return read_expenses(data, str(path))


def dedup_key(slug: str, row: ExpenseRow) -> str:
    """The same row of the same startup gets the same key, whichever dialect it came in."""
    identity = "\x1f".join(
        (
            slug,
            row.date.isoformat(),
            str(row.amount_cents),
            row.kind,
            fold(row.label),
            str(row.occurrence),
        )
    )
    return "csv:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()


def store_expenses(
    session: Session, slug: str, rows: list[ExpenseRow], *, source: str
) -> ImportResult:
    """Add the rows not already in the store (by ``dedup_key``), then re-attribute.

    Runs in the caller's session: the import is one transaction.
    """
    from sqlmodel import select

    startup = startup_by_slug(session, slug)
    keys = [dedup_key(slug, row) for row in rows]
    existing: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        existing.update(
            session.exec(
                select(ConsumptionLine.dedup_key).where(ConsumptionLine.dedup_key.in_(chunk))
            ).all()
        )
    added = 0
    for row, key in zip(rows, keys, strict=True):
        if key in existing:
            continue
        session.add(
            new_line(
                session,
                startup,
                date=row.date,
                amount_cents=row.amount_cents,
                label=row.label,
                kind=row.kind,
                source=f"{source}:{row.line}",
                dedup_key=key,
            )
        )
        existing.add(key)
        added += 1
    if added:
        reattribute(session, startup.id)
    return ImportResult(slug=slug, rows=len(rows), added=added, already=len(rows) - added)
