"""Read a Chorus INF-BUD-53 export (``.xlsx`` or ``.csv``) into frozen records: no store.

:func:`read_chorus` turns a file into a :class:`ChorusFile`: the layout recognised, the
export's year and date when the lines above the header give them, one :class:`EjLine` per
line of the export about an EJ line, and a :class:`Problem` (line and reason) for each line
that cannot be read.  The file itself is refused (``BadInput``, one line naming the file)
when it is not a regular file, is over the size cap, is neither a workbook nor text, or has
no header of a known layout in its first rows.

What is read (the layouts are described in ``columns``):

- the header is the first of the first 30 non-empty rows that has every required column of
  a layout; columns are found by name, in any order;
- subtotal lines (a cell ``Résultat``/``Résultat global``) are dropped and counted; blank
  lines and lines with neither an EJ nor an amount (notes) are skipped; lines with amounts
  but no EJ are listed in ``without_ej``;
- the long CSV (one amount per row, its type in a column, its year heading the amount
  column) is pivoted: the rows that share every other column make one record;
- values follow ``values``: French numbers or a workbook's numbers as cents, dates as
  ``dd.mm.yyyy``, ``dd/mm/yyyy``, ISO or date cells, ``#`` and empty as None.

Workbooks are streamed (``xlsx``); CSV text is decoded as it is read (``csvrows``).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import i18n
from store import fmt
from store.errors import BadInput
from store.importers.chorus import csvrows, xlsx
from store.importers.chorus.columns import (
    AMOUNT_TYPES,
    LONG_AMOUNTS,
    PAIRS,
    Header,
    LayoutSpec,
    describe,
    match_layout,
    nearest,
    read_header,
)
from store.importers.chorus.records import (
    AMOUNT_FIELDS,
    ChorusFile,
    EjLine,
    Layout,
    Problem,
)
from store.importers.chorus.values import (
    activity_code,
    amount_cents,
    centre_financier_codes,
    column_key,
    day,
    days_in,
    ej_number,
    exercice_in,
    is_subtotal,
    line_number,
    show,
    text,
)

# The header is looked for in this many non-empty rows from the top.
HEADER_ROWS = 30
# A file larger than this is not an INF-BUD-53 export (100,000 lines take 4 to 20 MiB).
MAX_BYTES = 512 << 20
# More data rows than this is not an export either (and would not fit in memory as records).
MAX_ROWS = 2_000_000
# Lines that cannot be read are listed up to this many; the rest are counted.
MAX_PROBLEMS = 1000
# A CSV's head (where its header is looked for) is read within this many characters.
MAX_HEAD_CHARS = 4 << 20

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003), or an encrypted workbook

Row = tuple[int, list[Any]]

_ = i18n.Domain("store").gettext


def read_chorus(path: str | os.PathLike[str], name: str | None = None) -> ChorusFile:
    """Read an INF-BUD-53 export.  ``name`` is how messages name the file (its path)."""
    path = Path(path)
    label = show(name if name is not None else str(path), 200)[1:-1]
    with _open_regular(path, label) as source:
        magic = source.read(4)
        source.seek(0)
        if magic == _ZIP:
            return _read_workbook(source, label)
        if magic == _OLE:
            raise BadInput(
                _(
                    "{file}: is an Excel 97-2003 workbook (.xls) or a protected one: "
                    "save it as .xlsx or .csv"
                ).format(file=label)
            )
        return _read_csv(source, label)


def _open_regular(path: Path, label: str) -> IO[bytes]:
    """The file opened for reading, refused at once unless it is a regular file."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before it is refused.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise BadInput(
            _("{file}: cannot read it ({reason})").format(file=label, reason=exc.strerror or exc)
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BadInput(_("{file}: is a directory, not an export").format(file=label))
        if not stat.S_ISREG(info.st_mode):
            raise BadInput(
                _("{file}: is not a regular file (a FIFO, a socket or a device)").format(file=label)
            )
        if info.st_size > MAX_BYTES:
            raise BadInput(
                _("{file}: is {size} MiB, over the {limit} MiB an export may have").format(
                    file=label,
                    size=fmt.number(round(info.st_size / 2**20)),
                    limit=fmt.number(MAX_BYTES >> 20),
                )
            )
        if info.st_size == 0:
            raise BadInput(_("{file}: is empty").format(file=label))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# --- the two containers ------------------------------------------------------------------


def _read_workbook(source: IO[bytes], label: str) -> ChorusFile:
    book = xlsx.open_workbook(source, label)
    misses: list[str] = []
    for sheet in book.sheets:
        rows = sheet.rows()
        try:
            head, __ = _head(rows)
            found = _find_header(head)
            if isinstance(found, str):
                misses.append(found)
                continue
            spec, header, index = found
            body = _chain(head[index + 1 :], None, rows)
            return _read_rows(label, "xlsx", spec, header, head[:index], body, sheet=sheet.title)
        except xlsx.SheetError as exc:
            raise BadInput(
                _("{file}: sheet {sheet}: {reason}").format(
                    file=label, sheet=show(sheet.title), reason=exc
                )
            ) from None
    if not book.sheets:
        raise BadInput(_("{file}: has no worksheet").format(file=label))
    if len(book.sheets) == 1:
        reason = misses[0]
    else:
        reason = "; ".join(
            _("sheet {sheet}: {reason}").format(sheet=show(sheet.title), reason=miss)
            for sheet, miss in zip(book.sheets, misses, strict=True)
        )
    raise BadInput(
        _("{file}: not an INF-BUD-53 export: {reason}").format(file=label, reason=reason)
    )


def _read_csv(source: IO[bytes], label: str) -> ChorusFile:
    encoding = csvrows.pick_encoding(source)
    stream = csvrows.text_stream(source, encoding)
    lines = csvrows.head_lines(stream, HEADER_ROWS + 1, MAX_HEAD_CHARS)
    stream.detach()  # the file stays open for the reading proper
    if not any(line.strip() for line in lines):
        raise BadInput(_("{file}: has no text line").format(file=label))
    forced = csvrows.forced_delimiter(lines[0])
    best: tuple[int, str] | None = None
    for delimiter in (forced,) if forced else csvrows.DELIMITERS:
        head, __ = _head(_csv_rows(csvrows.rows(io.StringIO("".join(lines)), delimiter)))
        found = _find_header(head)
        if not isinstance(found, str):
            break
        score = _score(head)
        if best is None or score > best[0]:
            best = (score, found)
    else:
        assert best is not None
        raise BadInput(
            _("{file}: not an INF-BUD-53 export: {reason}").format(file=label, reason=best[1])
        )
    spec, header, index = found
    rows = _csv_rows(csvrows.rows(csvrows.text_stream(source, encoding), delimiter))
    head, error = _head(rows)
    return _read_rows(
        label,
        "csv",
        spec,
        header,
        head[:index],
        _chain(head[index + 1 :], error, rows),
        encoding=csvrows.encoding_name(encoding),
        delimiter=delimiter,
    )


class _Unreadable(Exception):
    def __init__(self, line: int, reason: str):
        self.line = line
        self.reason = reason


def _csv_rows(records: Iterable[tuple[int, list[str] | None, str | None]]) -> Iterator[Row]:
    for line, fields, error in records:
        if fields is None:
            raise _Unreadable(line, error or _("cannot be read"))
        yield line, fields


def _chain(head: list[Row], error: _Unreadable | None, rest: Iterator[Row]) -> Iterator[Row]:
    yield from head
    if error is not None:
        raise error
    yield from rest


def _blank(cells: list[Any]) -> bool:
    return not any(_filled(cell) for cell in cells)


def _head(rows: Iterator[Row]) -> tuple[list[Row], _Unreadable | None]:
    """The first HEADER_ROWS non-empty rows, and the error that ended them if one did."""
    head: list[Row] = []
    try:
        for line, cells in rows:
            if _blank(cells):
                continue
            head.append((line, cells))
            if len(head) >= HEADER_ROWS:
                break
    except _Unreadable as exc:
        return head, exc
    return head, None


def _score(head: list[Row]) -> int:
    """How much of a header the best row of ``head`` has (to pick the message to give)."""
    best = 0
    for line, cells in head:
        best = max(best, nearest(read_header(cells, line))[0])
    return best


def _find_header(head: list[Row]) -> tuple[LayoutSpec, Header, int] | str:
    """The header row, its layout and its index in ``head``; else why there is none."""
    closest: tuple[int, Header, LayoutSpec, list[str]] | None = None
    for index, (line, cells) in enumerate(head):
        header = read_header(cells, line)
        spec = match_layout(header)
        if spec is not None:
            return spec, header, index
        found, near, missing = nearest(header)
        if closest is None or found > closest[0]:
            closest = (found, header, near, missing)
    if closest is None:
        return _("it has no line with text")
    found, header, near, missing = closest
    if found < 2:
        return _(
            "no header in its first {rows} rows (looked for N° EJ, N° poste EJ, "
            "Montant engagé, Montant payé…)"
        ).format(rows=HEADER_ROWS)
    return _(
        "no header in its first {rows} rows; the nearest, line {line}, "
        "looks like the {layout} layout but has no {columns}"
    ).format(
        rows=HEADER_ROWS,
        line=header.line,
        layout=_(near.title),
        columns=_(", no ").join(describe(role) for role in missing),
    )


# --- the lines ---------------------------------------------------------------------------

_TEXT_FIELDS = (
    "supplier",
    "contract",
    "flow_type",
    "centre_financier",
    "cost_centre",
    "activity",
    "functional_domain",
    "fund",
    "budget_account",
    "goods_group",
    "service",
    "sf_number",
    "dp_number",
    "dp_line",
)
_DATE_FIELDS = ("sf_date", "dp_date")


class _Plan:
    """How each cell of a row becomes a field, for one header."""

    def __init__(self, spec: LayoutSpec, header: Header):
        roles = header.roles
        names = {role: describe(role) for role in roles}
        self.width = max([*roles.values(), *header.labels.values()], default=0) + 1
        self.ej = roles["ej"]
        self.ej_name = names["ej"]
        self.poste = roles.get("poste")
        self.poste_name = names.get("poste", "")
        self.texts = [(roles[f], f) for f in _TEXT_FIELDS if f in roles]
        self.texts += [
            (header.labels[p], f"{p}_label") for p in sorted(PAIRS) if p in header.labels
        ]
        self.dates = [(roles[f], f, names[f]) for f in _DATE_FIELDS if f in roles]
        self.amounts = [(roles[f], f, names[f]) for f in AMOUNT_FIELDS if f in roles]
        indexes = [index for index, __ in self.texts]
        # The text cells of a row as one tuple (in C), to find rows whose texts were read.
        self.text_cells: Callable[[list[Any]], tuple] = (
            itemgetter(*indexes)
            if len(indexes) > 1
            else lambda cells: tuple(cells[i] for i in indexes)
        )
        self.derive_year = spec.layout in (Layout.Y2019, Layout.Y2019_DG) and (
            "engaged" in roles and "engaged_year" not in roles
        )
        self.check_year = {"engaged", "carried_over", "engaged_year"} <= roles.keys()
        self.names = names


class _Reader:
    """Turns rows into records, problems and counts (one per file)."""

    def __init__(self, spec: LayoutSpec, header: Header):
        self.plan = _Plan(spec, header)
        self.records: list[EjLine] = []
        self.problems: list[Problem] = []
        self.more_problems = 0
        self.subtotals = 0
        self.without_ej: list[int] = []
        self.rows = 0
        # The text fields of recent rows, by their text cells: the lines of one EJ (and
        # of a whole file, often) repeat their codes and labels.  Cleared when full.
        self._blocks: dict[tuple, dict[str, Any]] = {}
        self._last_ej: tuple[Any, str | None] = (None, None)
        self._days: dict[Any, dt.date] = {}
        self._interned: dict[str, dict[str, str | None]] = {f: {} for __, f in self.plan.texts}
        self._centres: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._activities: dict[str, str | None] = {}

    def problem(self, line: int, reason: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, reason))
        else:
            self.more_problems += 1

    def fields(self, cells: list[Any], line: int) -> tuple[dict[str, Any], list[str], bool]:
        """The record's fields from a row's cells, the reasons it is bad (if it is), and
        whether it gives an amount."""
        plan = self.plan
        reasons: list[str] = []
        cell = cells[plan.ej]
        if cell == self._last_ej[0] and type(cell) is type(self._last_ej[0]):
            ej = self._last_ej[1]  # the lines of one EJ come together: one string for them
        else:
            try:
                ej = ej_number(cell)
            except ValueError as exc:
                reasons.append(_cell_reason(plan.ej_name, cell, exc))
                ej = None
            else:
                self._last_ej = (cell, ej)
        values: dict[str, Any] = {"line": line, "ej": ej, "poste": None}
        if plan.poste is not None:
            try:
                values["poste"] = line_number(cells[plan.poste])
            except ValueError as exc:
                reasons.append(_cell_reason(plan.poste_name, cells[plan.poste], exc))
        cells_of_texts = plan.text_cells(cells)
        # with the cells' types: 1, 1.0 and True are equal keys, but not the same text
        key = (cells_of_texts, tuple(map(type, cells_of_texts)))
        block = self._blocks.get(key)
        if block is None:
            block = self._block(cells_of_texts, key)
        values.update(block)
        days = self._days
        for index, field, name in plan.dates:
            cell = cells[index]
            if cell is not None:
                found = days.get(cell)
                if found is None:
                    try:
                        found = day(cell)
                    except ValueError as exc:
                        reasons.append(_cell_reason(name, cell, exc))
                        continue
                    if found is not None and len(days) < _DAYS:
                        days[cell] = found  # a year has 365 days: one object for each
                values[field] = found
        has_amount = False
        for index, field, name in plan.amounts:
            cell = cells[index]
            if cell is None or cell == "":
                continue
            try:
                cents = values[field] = amount_cents(cell)
            except ValueError as exc:
                reasons.append(_cell_reason(name, cell, exc))
                continue
            has_amount = has_amount or cents is not None
        return values, reasons, has_amount

    def _block(self, cells: tuple, key: tuple) -> dict[str, Any]:
        """The text fields (and the codes read from them) of these text cells."""
        block: dict[str, Any] = {}
        interned = self._interned
        for (__, field), cell in zip(self.plan.texts, cells, strict=True):
            if type(cell) is str:
                # One string for each distinct value of a column (a CSV gives a new one
                # on every line); a column of many values stops being kept at _INTERNED.
                known = interned[field]
                value = known.get(cell, _UNSEEN)
                if value is _UNSEEN:
                    value = text(cell)
                    if len(known) < _INTERNED:
                        known[cell] = value
            else:
                value = text(cell)
            if value is not None:
                block[field] = value
        centre = block.get("centre_financier")
        if centre is not None:
            codes = self._centres.get(centre)
            if codes is None:
                codes = centre_financier_codes(centre)
                if len(self._centres) < _INTERNED:
                    self._centres[centre] = codes
            block["programme"], block["bop"], block["uo"] = codes
        activity = block.get("activity")
        if activity is not None:
            code = self._activities.get(activity, _UNSEEN)
            if code is _UNSEEN:
                code = activity_code(activity)
                if len(self._activities) < _INTERNED:
                    self._activities[activity] = code
            block["activity_code"] = code
        if len(self._blocks) >= _BLOCKS:
            self._blocks.clear()
        with suppress(TypeError):  # an unhashable cell cannot come from a file: never fail
            self._blocks[key] = block
        return block

    def take(
        self,
        values: dict[str, Any],
        reasons: list[str],
        has_amount: bool,
        cells: list[Any],
        count: int = 1,
    ) -> None:
        """Make the record, or say why not: a subtotal, a bad line, a note, no EJ."""
        line = values["line"]
        if reasons or values["ej"] is None:
            if _subtotal(cells):
                self.subtotals += count
            elif reasons:
                self.problem(line, "; ".join(reasons))
            elif has_amount:
                self.without_ej.append(line)
            # else: a blank line, or a note under the table
            return
        plan = self.plan
        engaged = values.get("engaged")
        carried = values.get("carried_over")
        if plan.derive_year and engaged is not None:
            values["engaged_year"] = engaged - (carried or 0)
        elif plan.check_year:
            year = values.get("engaged_year")
            if None not in (engaged, carried, year) and year != engaged - carried:
                self.problem(
                    line,
                    _(
                        "{year_column} ({year}) is not {engaged_column} − {carried_column} "
                        "({engaged} − {carried})"
                    ).format(
                        year_column=plan.names["engaged_year"],
                        year=_euros(year),
                        engaged_column=plan.names["engaged"],
                        carried_column=plan.names["carried_over"],
                        engaged=_euros(engaged),
                        carried=_euros(carried),
                    ),
                )
                return
        self.records.append(EjLine(**values))

    def counted(self) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise _TooMany()

    # --- the wide layouts: one row, one record --------------------------------------

    def wide(self, rows: Iterable[Row]) -> None:
        width = self.plan.width
        subtotal_cells = _SUBTOTAL_CELLS
        for line, cells in rows:
            self.counted()
            if len(cells) < width:
                cells = cells + [None] * (width - len(cells))
            if not subtotal_cells.isdisjoint(cells):
                self.subtotals += 1
                continue
            self.take(*self.fields(cells, line), cells)

    # --- the long CSV: rows pivoted by their other columns ---------------------------

    def long(self, rows: Iterable[Row], header: Header) -> None:
        plan = self.plan
        type_index = header.roles["amount_type"]
        value_index = header.roles["year"]
        width = max(plan.width, value_index + 1)
        type_name = text(header.cells[type_index]) or _("amount type")
        others = [i for i in range(width) if i not in (type_index, value_index)]
        subtotal_cells = _SUBTOTAL_CELLS
        # the other columns' values → [first line, cells, {field: (cents, line)}, bad, rows]
        groups: dict[tuple, list] = {}
        for line, cells in rows:
            self.counted()
            if len(cells) < width:
                cells = cells + [None] * (width - len(cells))
            if not subtotal_cells.isdisjoint(cells):
                self.subtotals += 1
                continue
            if len(cells) > width and any(_filled(c) for c in cells[width:]):
                others_here = others + list(range(width, len(cells)))
            else:
                others_here = others
            key = tuple(_dimension(cells[i]) for i in others_here)
            key = (key, tuple(map(type, key)))  # 1, 1.0 and True are not one dimension
            group = groups.get(key)
            if group is None:
                group = groups[key] = [line, cells, {}, False, 0]
            group[4] += 1
            kind = cells[type_index]
            field = AMOUNT_TYPES.get(column_key(kind)) if kind is not None else None
            if field is None:
                if _blank(cells):
                    group[4] -= 1
                    continue
                self.problem(
                    line,
                    _(
                        "{column} {value} is not one of Montant engagé, Montant réceptionné, "
                        "Montant certifié non soldé, Montant pré-enregistré, Montant facturé, "
                        "Montant payé"
                    ).format(column=type_name, value=show(kind if kind is not None else "")),
                )
                group[3] = True
                continue
            try:
                cents = amount_cents(cells[value_index])
            except ValueError as exc:
                self.problem(
                    line,
                    _("the {year} amount {value} {reason}").format(
                        year=header.year, value=show(cells[value_index]), reason=exc
                    ),
                )
                group[3] = True
                continue
            earlier = group[2].get(field)
            if earlier is not None:
                self.problem(
                    line,
                    _("{kind} again for the same line (first at line {line})").format(
                        kind=show(kind)[1:-1], line=earlier[1]
                    ),
                )
                group[3] = True
                continue
            group[2][field] = (cents, line)
        for line, cells, amounts, bad, count in groups.values():
            if bad or not count:
                continue
            values, reasons, __ = self.fields(cells, line)
            has_amount = False
            for field, (cents, __) in amounts.items():
                values[field] = cents
                has_amount = has_amount or cents is not None
            self.take(values, reasons, has_amount, cells, count)
        self.problems.sort(key=lambda problem: problem.line)


_BLOCKS = 512
_INTERNED = 4096
_UNSEEN = object()
_DAYS = 10_000
# Subtotal cells as BW writes them (a faster test than folding every cell); a line that is
# otherwise bad, or has no EJ, is also tested folded (``values.is_subtotal``).
_SUBTOTAL_CELLS = frozenset(
    {
        "Résultat",
        "Résultat global",
        "Résultat Global",
        "RESULTAT",
        "RESULTAT GLOBAL",
        "Result",
        "Overall Result",
        "Overall result",
    }
)


def _subtotal(cells: list[Any]) -> bool:
    return any(is_subtotal(cell) for cell in cells)


def _filled(cell: Any) -> bool:
    return cell is not None and (type(cell) is not str or bool(cell.strip()))


def _dimension(cell: Any) -> Any:
    """A long CSV's dimension as it groups rows (``" 1 "`` and ``"1"`` are one value)."""
    return cell.strip() if type(cell) is str else cell


class _TooMany(Exception):
    pass


def _euros(cents: int) -> str:
    """An amount to the cent, the way the language of the run writes it."""
    return fmt.eur(cents, decimals=True)


def _cell_reason(column: str, cell: Any, exc: ValueError) -> str:
    """``Montant payé "12,3,4" n'est pas un montant``: the column, the value, why."""
    return _("{column} {value} {reason}").format(column=column, value=show(cell), reason=exc)


def _preamble(rows: list[Row]) -> tuple[int | None, dt.date | None]:
    """The exercice and the export's date, when the lines above the header give one each."""
    years: set[int] = set()
    days: set[dt.date] = set()
    for __, cells in rows:
        for cell in cells:
            year = exercice_in(cell)
            if year is not None:
                years.add(year)
            days |= days_in(cell)
    return (
        years.pop() if len(years) == 1 else None,
        days.pop() if len(days) == 1 else None,
    )


def _read_rows(
    label: str,
    format: str,
    spec: LayoutSpec,
    header: Header,
    preamble: list[Row],
    body: Iterator[Row],
    **where: Any,
) -> ChorusFile:
    if header.twice:
        raise BadInput(
            _("{file}:{line}: the header has two columns {columns}").format(
                file=label,
                line=header.line,
                columns=_(", two ").join(describe(role) for role in header.twice),
            )
        )
    reader = _Reader(spec, header)
    try:
        if spec.layout is Layout.Y2025_LONG:
            reader.long(body, header)
        else:
            reader.wide(body)
    except _Unreadable as exc:
        reader.problem(
            exc.line, _("{reason}: the file is not read past this line").format(reason=exc.reason)
        )
    except _TooMany:
        raise BadInput(
            _("{file}: has more than {count} lines, more than an export has").format(
                file=label, count=fmt.number(MAX_ROWS)
            )
        ) from None
    year, exported_on = _preamble(preamble)
    if spec.layout is Layout.Y2025_LONG:
        year = header.year
        amounts = LONG_AMOUNTS
    else:
        given = set(header.roles) | ({"engaged_year"} if reader.plan.derive_year else set())
        amounts = tuple(f for f in AMOUNT_FIELDS if f in given)
    return ChorusFile(
        name=label,
        format=format,
        layout=spec.layout,
        header_line=header.line,
        records=tuple(reader.records),
        problems=tuple(reader.problems),
        more_problems=reader.more_problems,
        amounts=amounts,
        year=year,
        exported_on=exported_on,
        subtotals=reader.subtotals,
        without_ej=tuple(reader.without_ej),
        **where,
    )
