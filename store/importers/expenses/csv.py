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

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sqlalchemy import bindparam, insert, text

import i18n
from store.db import SessionRows
from store.derived import reattribute
from store.errors import BadInput
from store.facts import load_conventions
from store.importers.text import decode
from store.models import ConsumptionLine
from store.ops.ledger import startup_by_slug
from store.reader import as_date
from store.rules.amounts import parse_amount_cents
from store.rules.budget import attribute, budgets
from store.rules.dates import parse_day
from store.rules.text import clean_text, fold
from store.rules.vocab import parse_line_kind

if TYPE_CHECKING:
    from sqlmodel import Session

_ = i18n.Domain("store").gettext
ngettext = i18n.Domain("store").ngettext

EXPECTED_HEADER = i18n.N_("date;montant;libellé;nature (or date,amount,label,kind)")
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
        super().__init__(first + (_more_rows(others, " ({text})") if others else ""))

    def lines(self) -> list[str]:
        extra = [_more_rows(self.more, "... {text}")] if self.more else []
        return [*self.problems, *extra]


def _more_rows(count: int, shape: str) -> str:
    text = ngettext("and {count} more bad row", "and {count} more bad rows", count)
    return shape.format(text=text.format(count=count))


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


def _header_line(text: TextIO, name: str) -> tuple[int, str, str | None]:
    """The header's line number and text, and the delimiter Excel's ``sep=`` line gives if
    one comes first (blank lines before the header skipped)."""
    forced = None
    for number, raw in enumerate(text, start=1):
        stripped = raw.strip().lstrip("\ufeff")
        if stripped and fold(stripped).startswith("sep=") and len(stripped) == 5:
            forced = stripped[4]
        elif stripped:
            return number, raw.rstrip("\r\n").lstrip("\ufeff"), forced
    raise BadInput(
        _("{file}: empty file (expected a header line: {header})").format(
            file=name, header=_(EXPECTED_HEADER)
        )
    )


def _delimiter(line: str, number: int, name: str, forced: str | None) -> str:
    """The delimiter the header line uses (the one ``sep=`` gave, else the best of them)."""
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
        detail = (
            _("no {columns} column; ").format(columns=_(", no ").join(names[r] for r in best[3]))
            if best
            else ""
        )
        raise BadInput(
            _("{file}:{line}: header {header} not recognised: {detail}expected {expected}").format(
                file=name,
                line=number,
                header=show(line, 60),
                detail=detail,
                expected=_(EXPECTED_HEADER),
            )
        )
    return best[2]


class Rows:
    """What reading an export found besides its rows: the bad ones (``problems``, the first
    MAX_LISTED of them, ``more`` counted), and how many good ones."""

    def __init__(self, *, count_occurrences: bool = True):
        self.problems: list[str] = []
        self.more = 0
        self.rows = 0
        # The occurrence of each row among identical rows (date, amount, label, kind): kept
        # in memory for a list of rows; a streamed import counts them in the store instead.
        self.seen: dict[tuple, int] | None = {} if count_occurrences else None

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(text)
        else:
            self.more += 1

    def check(self) -> None:
        if self.problems:
            raise BadRows(self.problems, self.more)


def _rows(text: TextIO, name: str, found: Rows):
    """Each good row of an export read from ``text``, one at a time; the bad ones are noted
    in ``found``.  The header is found first (``BadInput`` when there is none)."""
    header_line, line, forced = _header_line(text, name)
    delimiter = _delimiter(line, header_line, name, forced)
    reader = csv.reader(itertools.chain([line + "\n"], text), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:  # a header with a stray quote spanning the file
        raise BadInput(
            _("{file}:{line}: cannot read the header ({reason})").format(
                file=name, line=header_line, reason=exc
            )
        ) from None
    roles = _map_header(header)
    labels = {role: header[index].strip() or role for role, index in roles.items()}
    width = len(header)
    while width and not header[width - 1].strip():  # trailing ";" in the header
        width -= 1
    needed = max(roles.values()) + 1

    seen = found.seen
    date_at, amount_at, label_at = roles["date"], roles["amount"], roles["label"]
    kind_at = roles.get("kind")
    # Days and kinds repeat from line to line: each distinct cell is read once (a million
    # lines have a few thousand days, two kinds).
    days: dict[str, dt.date | str] = {}
    kinds: dict[str, str | ValueError] = {}
    last = reader.line_num  # physical lines are counted from the header line
    while True:
        start = header_line + last  # this record's first physical line
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            found.problem(
                _("{file}:{line}: cannot read this line ({reason})").format(
                    file=name, line=start, reason=exc
                )
            )
            break
        last = reader.line_num
        count = len(record)
        widest = max(width, needed)
        if count < needed or (count > widest and any(c.strip() for c in record[width:])):
            if not any(cell.strip() for cell in record):
                continue
            if count < needed:
                reason = _("has {count} fields, the header has {width}").format(
                    count=count, width=width
                )
            else:
                reason = _(
                    "has {count} fields, the header has {width} (a {delimiter} inside an "
                    "unquoted value?)"
                ).format(count=count, width=width, delimiter=show(delimiter))
            found.problem(f"{name}:{start}: {reason}")
            continue
        reasons: list[str] = []
        cell = record[date_at]
        day = days.get(cell)
        if day is None:
            try:
                day = parse_day(cell)
            except ValueError as exc:
                day = f"{labels['date']} {show(cell)} {exc}"
            days[cell] = day
        if isinstance(day, str):
            if not any(c.strip() for c in record):
                continue
            reasons.append(day)
        cell = record[amount_at]
        try:
            amount = parse_amount_cents(cell)
        except ValueError as exc:
            if not any(c.strip() for c in record):
                continue
            reasons.append(f"{labels['amount']} {show(cell)} {exc}")
        kind = "payment"
        if kind_at is not None:
            cell = record[kind_at] if kind_at < count else ""
            kind = kinds.get(cell)
            if kind is None:
                try:
                    kind = parse_line_kind(cell)
                except ValueError as exc:
                    kind = exc
                kinds[cell] = kind
            if isinstance(kind, ValueError):
                reasons.append(f"{labels['kind']} {show(cell)} {kind}")
        if reasons:
            found.problem(f"{name}:{start}: " + "; ".join(reasons))
            continue
        cell = record[label_at]
        label = " ".join((cell if cell.isascii() else unicodedata.normalize("NFC", cell)).split())
        cleaned = None
        if not label.isprintable():  # a control character or a bidi override in it
            text_label = clean_text(label)
            if text_label != label:
                cleaned = labels["label"]
            label = text_label
        occurrence = 0
        if seen is not None:
            identity = (day, amount, fold(label), kind)
            occurrence = seen.get(identity, 0)
            seen[identity] = occurrence + 1
        found.rows += 1
        yield ExpenseRow(
            line=start,
            date=day,
            amount_cents=amount,
            label=label,
            kind=kind,
            occurrence=occurrence,
            cleaned=cleaned,
        )


def read_expenses(data: bytes, name: str) -> list[ExpenseRow]:
    """Every row of an expense export, checked; ``BadRows`` lists each bad one.

    ``name`` is how the file is named in messages (``expenses.csv:7: …``).
    """
    name = show(name, 200)[1:-1]
    text, _encoding = decode(data)
    found = Rows()
    rows = list(_rows(io.StringIO(text.removeprefix("\ufeff"), newline=""), name, found))
    found.check()
    return rows


# Bigger than any export of a startup's lines (a million lines is about 60 MB).
MAX_BYTES = 1024**3


class ExpenseFile:
    """An export on disk, read as it is imported: its rows come one at a time (a million
    lines are never held at once), the bad ones noted in ``found``.

    Opening checks what can be checked at once: a regular file (a FIFO or a device
    would block, or never end), of a size an export can have, with a header.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = show(str(path), 200)[1:-1]
        try:
            info = self.path.stat()
        except OSError as exc:
            raise BadInput(
                _("{file}: cannot read it ({reason})").format(
                    file=self.name, reason=exc.strerror or exc
                )
            ) from None
        if not stat.S_ISREG(info.st_mode):
            raise BadInput(
                _("{file}: not a regular file (a FIFO, a device or a folder)").format(
                    file=self.name
                )
            )
        if info.st_size > MAX_BYTES:
            raise BadInput(
                _("{file}: {size} bytes, more than an export can be (1 GiB)").format(
                    file=self.name, size=info.st_size
                )
            )
        self.encoding = _encoding_of(self.path)
        self.found = Rows(count_occurrences=False)
        with self._open() as text:
            _header_line(text, self.name)  # no header: refused now, before any store opens

    def _open(self) -> TextIO:
        return open(self.path, encoding=self.encoding, newline="", errors="strict")

    def rows(self):
        with self._open() as text:
            yield from _rows(text, self.name, self.found)


def _encoding_of(path: Path) -> str:
    """How to decode the file (``store.importers.text.decode``'s choice), read by chunks:
    UTF-16 with a BOM, UTF-8 (BOM or not) when every byte is, else Windows-1252, else
    Latin-1."""
    with path.open("rb") as f:
        head = f.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        for encoding in ("utf-8-sig", "cp1252"):
            f.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    return "latin-1"


def read_expense_file(path: str | Path) -> list[ExpenseRow]:
    """Every row of an export file, checked (``BadRows`` lists each bad one)."""
    export = ExpenseFile(path)
    found = Rows()
    with export._open() as text:
        rows = list(_rows(text, export.name, found))
    found.check()
    return rows


def dedup_key(slug: str, row: ExpenseRow, folded: str | None = None) -> str:
    """The same row of the same startup gets the same key, whichever dialect it came in
    (``folded``: the label already folded, when the caller has it)."""
    identity = "\x1f".join(
        (
            slug,
            row.date.isoformat(),
            str(row.amount_cents),
            row.kind,
            fold(row.label) if folded is None else folded,
            str(row.occurrence),
        )
    )
    return "csv:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()


BATCH = 5000
SQL_DROP = "DROP TABLE IF EXISTS import_expense"
SQL_CREATE = """
CREATE TEMPORARY TABLE import_expense (
    line INTEGER PRIMARY KEY, day DATE NOT NULL, cents BIGINT NOT NULL,
    kind VARCHAR NOT NULL, label VARCHAR NOT NULL, folded VARCHAR NOT NULL)
"""
SQL_ADD = "INSERT INTO import_expense (line, day, cents, kind, label, folded) VALUES ({marks})"
# The rank of each repeated row among the identical rows of the file (same day, amount,
# kind and folded label), counted by the database: a million rows are never held in
# memory to count them, and only the repeats (few) come back.
SQL_REPEATS = """
SELECT line, occurrence FROM (
    SELECT line,
           ROW_NUMBER() OVER (PARTITION BY day, cents, kind, folded ORDER BY line) - 1
           AS occurrence
    FROM import_expense) ranked
WHERE occurrence > 0
"""
# The rows in the order of their days: most of consumption_line's indexes lead with the
# date, and appending to them costs far less than inserting anywhere (a third of the time
# of a million-line import).
SQL_BY_DAY = "CREATE INDEX import_expense_day ON import_expense (day, line)"
SQL_PAGE = """
SELECT line, day, cents, kind, label, folded FROM import_expense
WHERE (day, line) > (:day, :line) ORDER BY day, line LIMIT :size
"""
# Keys are the startup's own (its slug is in them) and begin with "csv:": a startup with no
# line imported from an export yet has nothing to compare with.
SQL_ANY_KEY = """
SELECT 1 FROM consumption_line
WHERE startup_id = :startup_id AND dedup_key >= 'csv:' AND dedup_key < 'csv;' LIMIT 1
"""
# One statement for every page (an IN list written into the statement would be a new
# statement each time, each kept by SQLAlchemy's cache: 300 MB for a million lines).
SQL_EXISTING = text("SELECT dedup_key FROM consumption_line WHERE dedup_key IN :keys").bindparams(
    bindparam("keys", expanding=True)
)


def _batches(items: Iterable, size: int):
    """``items`` a list of ``size`` at a time (``itertools.batched`` from Python 3.12)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def store_expenses(
    session: Session,
    slug: str,
    rows: Iterable[ExpenseRow],
    *,
    source: str,
    found: Rows | None = None,
) -> ImportResult:
    """Add the rows not already in the store (by ``dedup_key``), then re-attribute.

    Runs in the caller's session: the import is one transaction.  The rows may come one
    at a time (``ExpenseFile.rows``): they are kept in a temporary table, counted and
    keyed there, and written a batch at a time, each line with the convention it counts
    against, so that a million-line export is imported in bounded memory.  ``found``: what
    reading the rows noted; its bad rows (``BadRows``) then undo the whole import.
    """
    startup = startup_by_slug(session, slug)
    if session.get_bind().dialect.name == "sqlite":
        # A million lines go into a table with six indexes, one keyed by a hash (each
        # insert lands anywhere in it): SQLite's default 2 MB page cache made that slower
        # than linear; 64 MB for this transaction's connection.
        session.execute(text("PRAGMA cache_size = -65536"))
    session.execute(text(SQL_DROP))
    session.execute(text(SQL_CREATE))
    # The temporary rows go straight to the driver, as tuples (SQLAlchemy's per-row
    # parameter handling cost more than the insert itself).
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    add = SQL_ADD.format(marks=", ".join([mark] * 6))
    total = 0
    for batch in _batches(rows, BATCH):
        connection.exec_driver_sql(
            add,
            [
                (
                    row.line,
                    row.date.isoformat() if sqlite else row.date,
                    row.amount_cents,
                    row.kind,
                    row.label,
                    fold(row.label),
                )
                for row in batch
            ],
        )
        total += len(batch)
    if found is not None:
        found.check()  # a bad row anywhere: nothing is written (the caller rolls back)
    repeats = dict(session.execute(text(SQL_REPEATS)).all())
    compare = session.execute(text(SQL_ANY_KEY), {"startup_id": startup.id}).first() is not None
    all_budgets = budgets(load_conventions(SessionRows(session), [startup.id]).get(startup.id, []))
    counted_for: dict[dt.date, int | None] = {}
    session.execute(text(SQL_BY_DAY))
    added, after = 0, {"day": dt.date(1, 1, 1), "line": -1, "size": BATCH}
    while page := session.execute(text(SQL_PAGE), after).all():
        after = {"day": as_date(page[-1][1]), "line": page[-1][0], "size": BATCH}
        keyed = []
        for line, day, cents, kind, label, folded in page:
            day = as_date(day)
            row = ExpenseRow(line, day, int(cents), label, kind, repeats.get(line, 0))
            keyed.append((dedup_key(slug, row, folded), row))
        there: set[str] = set()
        if compare:
            keys = [key for key, _row in keyed]
            there = {k for (k,) in session.execute(SQL_EXISTING, {"keys": keys})}
        new = []
        for key, row in keyed:
            if key in there:
                continue
            if row.date not in counted_for:
                counted_for[row.date] = attribute(row.date, None, all_budgets)
            new.append(
                {
                    "startup_id": startup.id,
                    "date": row.date,
                    "amount_cents": row.amount_cents,
                    "kind": row.kind,
                    "label": row.label,
                    "source": f"{source}:{row.line}",
                    "dedup_key": key,
                    "counted_convention_id": counted_for[row.date],
                }
            )
            there.add(key)
        if new:
            # A Core insert of the table (the write hooks see it as any bulk insert; the
            # ORM's bulk path would cost a third more, row by row).
            session.execute(insert(ConsumptionLine.__table__), new)
            added += len(new)
    session.execute(text(SQL_DROP))
    if added:
        reattribute(session, startup.id)
    return ImportResult(slug=slug, rows=total, added=added, already=total - added)
