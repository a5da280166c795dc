"""A table that renders only the lines on screen (Textual's Line API).

Textual's ``DataTable`` renders every cell before its first paint (about 4 s for
10,000 rows here); this one keeps the rows as plain objects and renders a line
only when the compositor asks for it (``render_line``), caching the strips in an
LRU cache the way toolong's ``LogLines`` does.  A row's cells are formatted the first
time it is drawn, not before: the first paint formats the visible lines only.

Sorting and filtering work on indexes: the order of every row is sorted once per
column and direction (each row's sort key computed once), and a filter keeps that
order's indexes that pass, so a keystroke costs one pass, never a sort; a filter that
can only remove rows (``narrowing``) passes over the rows shown only.  Unsorted and
unfiltered, the view is a ``range``: nothing is allocated per row.

The header is line 0 of the viewport and never scrolls; columns that do not fit
the width are dropped, least important first, so the table stays readable at 80
columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.language import N_, _

Row = TypeVar("Row")


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: how to show a row's cell, and what to sort it by."""

    key: str
    label: str
    width: int
    render: Callable[[Row, VirtualTable], Text | str]
    # What a row is sorted by; None is unknown, and unknowns sort last either way.
    sort_key: Callable[[Row], Any] | None = None
    # Sorted largest first when first chosen (amounts that matter most first).
    descending: bool = False
    justify: str = "left"
    # Columns are dropped from the highest priority number first when space runs out.
    priority: int = 0
    # Flexible columns share the width left over by the fixed ones.
    flex: bool = False
    # The width a row's cell needs: the column is as wide as its widest row's (at least
    # ``width``, at most ``max_width``), so that a title or an alert is not cut while
    # there is room; other columns give way first.
    measure: Callable[[Row], int] | None = None
    max_width: int | None = None


class VirtualTable(ScrollView, Generic[Row], can_focus=True):
    """Rows of plain objects, rendered line by line; a cursor, sorting, filtering."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(-1)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", N_("Open"), show=True),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--sorted",
        "virtual-table--cursor",
        "virtual-table--odd",
    }

    DEFAULT_CSS = """
    VirtualTable {
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        & > .virtual-table--header { text-style: bold; background: $panel; color: $text; }
        & > .virtual-table--sorted { text-style: bold underline; background: $panel; color: $accent; }
        & > .virtual-table--cursor { background: $block-cursor-blurred-background; }
        & > .virtual-table--odd { background: $surface-lighten-1 20%; }
        &:focus > .virtual-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    cursor: reactive[int] = reactive(0, init=False)

    class RowSelected(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, table: VirtualTable, row: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self._rows: list[Row] = []
        self._view: Sequence[int] = range(0)  # indexes into _rows: sorted, then filtered
        self._orders: dict[tuple[str, bool], list[int]] = {}  # (column, reverse) → order
        self._indexes: list[int] | None = None  # range(len(rows)) as a list, once sorted
        self._predicate: Callable[[Row], bool] | None = None
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._layout: list[tuple[Column[Row], int]] = []
        self._wanted: dict[str, int] = {}  # the measured columns' widths, for these rows
        self._layout_width = -1
        # The lines drawn, by position on screen; and each row's cells (unstyled: the
        # stripes and the cursor go on top) by row, so re-filtering or scrolling back
        # draws a row's cells once.
        self._cache: LRUCache[tuple, Strip] = LRUCache(128)
        self._cells: LRUCache[int, Strip] = LRUCache(128)

    # --- data ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[Row]:
        """The rows shown, in order (filtered and sorted)."""
        return [self._rows[i] for i in self._view]

    def iter_rows(self) -> Iterator[Row]:
        """The rows shown, in order, without building a list."""
        rows = self._rows
        return (rows[i] for i in self._view)

    @property
    def row_count(self) -> int:
        return len(self._view)

    @property
    def cursor_row(self) -> Row | None:
        if 0 <= self.cursor < len(self._view):
            return self._rows[self._view[self.cursor]]
        return None

    def set_rows(self, rows: Sequence[Row], *, keep: Callable[[Row], Any] | None = None) -> None:
        """Replace the rows; ``keep`` gives an identity so the cursor stays on the same row."""
        current = self.cursor_row
        key = keep(current) if keep is not None and current is not None else None
        self._rows = rows if isinstance(rows, list) else list(rows)
        self._measure()
        self._orders.clear()
        self._indexes = None
        self._cells.clear()
        self._rebuild()
        if key is not None:
            for position, index in enumerate(self._view):
                if keep(self._rows[index]) == key:
                    self.cursor = position
                    break

    def set_filter(
        self, predicate: Callable[[Row], bool] | None, *, narrowing: bool = False
    ) -> None:
        """Show the rows ``predicate`` keeps (all with None).

        ``narrowing``: the caller knows the new predicate keeps no row the previous one
        dropped (a longer filter text), so only the rows shown now are tested.
        """
        previous = self._predicate
        self._predicate = predicate
        if narrowing and predicate is not None and previous is not None:
            rows = self._rows
            self._set_view([i for i in self._view if predicate(rows[i])])
        else:
            self._rebuild()

    def sort_by(self, key: str | None, reverse: bool = False) -> None:
        """Sort by the column ``key`` in its first direction (``reverse``: the other)."""
        self.sort_column = key
        self.sort_reverse = reverse
        self._rebuild()

    def cycle_sort(self, step: int = 1) -> None:
        """Sort by the next (or previous) visible column."""
        sortable = [c.key for c, _ in self._visible_layout() if c.sort_key is not None]
        if not sortable:
            return
        if self.sort_column in sortable:
            position = (sortable.index(self.sort_column) + step) % len(sortable)
        else:
            position = 0
        self.sort_by(sortable[position], False)

    def _order(self) -> Sequence[int]:
        """Every row's index, in the sort order (computed once per column and direction)."""
        column = next((c for c in self.columns if c.key == self.sort_column), None)
        if column is None or column.sort_key is None:
            return range(len(self._rows))
        order = self._orders.get((column.key, self.sort_reverse))
        if order is None:
            sort_key = column.sort_key
            keys = [sort_key(row) for row in self._rows]
            if self._indexes is None or len(self._indexes) != len(keys):
                self._indexes = list(range(len(keys)))
            # Sorting the one list of indexes: every order shares its int objects (8 bytes
            # an entry rather than 36 for 10,000 rows).  Unknown values (None) go last.
            known = [i for i in self._indexes if keys[i] is not None]
            known.sort(key=keys.__getitem__, reverse=column.descending != self.sort_reverse)
            order = known + [i for i in self._indexes if keys[i] is None]
            self._orders[column.key, self.sort_reverse] = order
        return order

    def _rebuild(self) -> None:
        order = self._order()
        predicate = self._predicate
        if predicate is not None:
            rows = self._rows
            order = [i for i in order if predicate(rows[i])]
        self._set_view(order)

    def _set_view(self, view: Sequence[int]) -> None:
        self._view = view
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(view) + 1)
        cursor = min(self.cursor, max(len(view) - 1, 0))
        if cursor != self.cursor:
            self.cursor = cursor
        self._scroll_cursor_into_view()
        self.refresh()

    # --- layout -------------------------------------------------------------------------

    def _visible_layout(self) -> list[tuple[Column[Row], int]]:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout = self._fit(width)
            self._layout_width = width
            self._cache.clear()
            self._cells.clear()
        return self._layout

    def _measure(self) -> None:
        wanted = {}
        for c in self.columns:
            if c.measure is not None:
                widest = max(map(c.measure, self._rows), default=0)
                wanted[c.key] = min(max(widest, c.width), c.max_width or widest)
        if wanted != self._wanted:
            self._wanted = wanted
            self._layout_width = -1

    def _fit(self, width: int) -> list[tuple[Column[Row], int]]:
        columns = list(self.columns)
        base = {c.key: self._wanted.get(c.key, c.width) for c in columns}

        def needed(cols: list[Column[Row]]) -> int:
            return sum(base[c.key] for c in cols) + max(len(cols) - 1, 0)

        while len(columns) > 1 and needed(columns) > width:
            columns.remove(max(columns, key=lambda c: (c.priority, self.columns.index(c))))
        # Still too wide: the measured columns shrink back towards their own width, the
        # first (the title) first; the last (the alerts) keeps its room longest.
        for c in columns:
            over = needed(columns) - width
            if over <= 0:
                break
            base[c.key] = max(c.width, base[c.key] - over)
        spare = max(width - needed(columns), 0)
        flexible = [c for c in columns if c.flex] or columns[:1]
        widths = {c.key: base[c.key] for c in columns}
        for i, c in enumerate(flexible):
            share = spare // len(flexible) + (1 if i < spare % len(flexible) else 0)
            widths[c.key] += share
        return [(c, widths[c.key]) for c in columns]

    def on_resize(self, event: events.Resize) -> None:
        self._layout_width = -1
        self._cache.clear()
        self._cells.clear()
        self.virtual_size = Size(event.size.width, len(self._view) + 1)
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._cells.clear()

    # --- rendering ----------------------------------------------------------------------

    @property
    def page_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def render_line(self, y: int) -> Strip:
        layout = self._visible_layout()
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(layout, width)
        position = int(self.scroll_offset.y) + y - 1
        if position >= len(self._view):
            return Strip.blank(width, self.rich_style)
        index = self._view[position]
        is_cursor = position == self.cursor
        key = (position, index, is_cursor, width, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            cells = self._cells.get(index)
            if cells is None:
                cells = self._cells_strip(self._rows[index], layout, width)
                self._cells[index] = cells
            strip = cells.apply_style(self._line_style(position, is_cursor))
            self._cache[key] = strip
        return strip

    def _header_strip(self, layout: list[tuple[Column[Row], int]], width: int) -> Strip:
        header = self.get_component_rich_style("virtual-table--header")
        sorted_style = self.get_component_rich_style("virtual-table--sorted")
        segments: list[Segment] = []
        for i, (column, w) in enumerate(layout):
            label = _(column.label)
            style = header
            if column.key == self.sort_column:
                label = f"{label} {'▼' if self.sort_reverse else '▲'}"
                style = sorted_style
            text = Text(label, style=style, no_wrap=True, overflow="ellipsis", end="")
            text.truncate(w, overflow="ellipsis", pad=False)
            if column.justify == "right":
                text.pad_left(w - text.cell_len)
            else:
                text.pad_right(w - text.cell_len)
            meta = Style(meta={"header": column.key})
            segments.extend(
                Segment(s.text, (s.style or Style()) + meta) for s in text.render(self.app.console)
            )
            if i < len(layout) - 1:
                segments.append(Segment(" ", header))
        return Strip(segments).adjust_cell_length(width, header)

    def _line_style(self, position: int, is_cursor: bool) -> Style:
        base = self.rich_style
        if position % 2:
            base = base + self.get_component_rich_style("virtual-table--odd", partial=True)
        if is_cursor:
            base = base + self.get_component_rich_style("virtual-table--cursor", partial=True)
        return base

    def _cells_strip(self, row: Row, layout: list[tuple[Column[Row], int]], width: int) -> Strip:
        """One row's cells side by side, without the line's style."""
        line = Text(no_wrap=True, end="")
        for i, (column, w) in enumerate(layout):
            cell = column.render(row, self)
            text = cell if isinstance(cell, Text) else Text(str(cell))
            text.no_wrap = True
            text.truncate(w, overflow="ellipsis", pad=False)
            if column.justify == "right":
                line.append(" " * (w - text.cell_len))
                line.append_text(text)
            else:
                line.append_text(text)
                line.append(" " * (w - text.cell_len))
            if i < len(layout) - 1:
                line.append(" ")
        return Strip(list(line.render(self.app.console))).adjust_cell_length(width)

    # --- cursor and scrolling -----------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()

    def _scroll_cursor_into_view(self) -> None:
        top = int(self.scroll_offset.y)
        page = self.page_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        if self._view:
            self.cursor = max(0, min(len(self._view) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        if not self._view:
            return
        page = self.page_height
        target = max(0, min(len(self._view) - 1, self.cursor + direction * page))
        top = max(0, min(int(self.scroll_offset.y) + direction * page, len(self._view) - page))
        self.scroll_to(y=top, animate=False, immediate=True)
        self.cursor = target

    def action_edge(self, direction: int) -> None:
        if self._view:
            self.cursor = 0 if direction < 0 else len(self._view) - 1

    def action_select(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.RowSelected(self, row))

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    def column_at(self, x: int) -> Column[Row] | None:
        """The column drawn at ``x`` (content coordinates)."""
        left = 0
        for column, width in self._visible_layout():
            if left <= x < left + width:
                return column
            left += width + 1
        return None

    async def _on_click(self, event: events.Click) -> None:
        # Coordinates rather than style meta: meta carries a random id into the
        # output, which would make snapshots differ from run to run.
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self.column_at(offset.x)
            if column is not None and column.sort_key is not None:
                key = column.key
                reverse = not self.sort_reverse if self.sort_column == key else False
                self.sort_by(key, reverse)
            event.stop()
            return
        position = int(self.scroll_offset.y) + offset.y - 1
        if 0 <= position < len(self._view):
            self.cursor = position
            if event.chain >= 2:
                self.action_select()
            event.stop()
