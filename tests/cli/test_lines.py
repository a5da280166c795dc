"""The line-by-line listing looks exactly as rich's table does (wherever rich does not cut)."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from commands.render import lines
from commands.render.table import Column, table

words = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
    min_size=0,
    max_size=24,
).map(lambda s: s.replace("[", "(").strip())


def rich_way(columns, rows, title, footer, caption, console) -> str:
    console.print(
        table(
            [
                Column(
                    c.header,
                    footer=footer[i] if footer else "",
                    justify=c.justify,
                    min_width=c.min_width,
                    max_width=c.max_width,
                )
                for i, c in enumerate(columns)
            ],
            rows,
            title=title,
            caption=caption,
            show_footer=footer is not None,
        )
    )
    return console.file.getvalue()


def console(**kwargs) -> Console:
    return Console(file=io.StringIO(), width=1000, highlight=False, **kwargs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            st.lists(
                st.tuples(
                    words.filter(bool),
                    st.sampled_from(["left", "right"]),
                    st.none() | st.integers(1, 20),
                    st.none() | st.integers(20, 40),
                ),
                min_size=n,
                max_size=n,
            ),
            st.lists(st.lists(words, min_size=n, max_size=n), max_size=6),
            st.none() | st.lists(words, min_size=n, max_size=n),
        )
    ),
    title=st.none() | words.filter(bool),
    caption=st.none() | words.filter(bool),
    terminal=st.booleans(),
)
def test_the_lines_are_rich_s_own(shape, title, caption, terminal):
    specs, rows, footer = shape
    columns = [
        Column(header, justify=justify, min_width=least, max_width=most)
        for header, justify, least, most in specs
    ]
    options = {"force_terminal": True, "color_system": "standard"} if terminal else {}
    expected = rich_way(columns, rows, title, footer, caption, console(**options))
    written = io.StringIO()
    output = lines.Output(written, width=1000 if terminal else None, styled=terminal)
    lines.write(output, columns, rows, title=title, footer=footer, caption=caption)
    if not terminal:  # piped: byte for byte
        assert written.getvalue() == expected
    else:  # on a terminal: the same text, styled (rich splits its escape codes otherwise)
        assert plain(written.getvalue()) == plain(expected)
        assert ("\x1b[1m" in written.getvalue()) == ("\x1b[1m" in expected)


def plain(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_the_report_is_never_cut_when_piped_and_fitted_on_a_terminal():
    columns = [Column("Startup"), Column("Montant", justify="right"), Column("Alertes")]
    rows = [["Une startup au titre vraiment très long", "12 €", "EXPIRING OVERDUE UNDERSPEND"]]
    piped = io.StringIO()
    lines.write(lines.Output(piped), columns, rows)
    assert "Une startup au titre vraiment très long" in piped.getvalue()
    assert "EXPIRING OVERDUE UNDERSPEND" in piped.getvalue()
    terminal = io.StringIO()
    lines.write(lines.Output(terminal, width=60), columns, rows, how=lines.Fit(flexible=0))
    out = terminal.getvalue()
    assert "EXPIRING OVERDUE UNDERSPEND" in out  # alerts never cut
    assert " Une startup au ti…   " in out  # the title gives way, with an ellipsis
    assert max(len(line) for line in out.splitlines()) <= 60


def test_the_characters_measured_one_cell_wide_are_so_for_rich():
    from rich.cells import cell_len

    single = [chr(c) for c in range(0x20, 0x3000) if lines._NOT_SINGLE.search(chr(c)) is None]
    assert len(single) > 900
    assert [c for c in single if cell_len(c) != 1] == []


@given(st.text(max_size=30))
def test_a_cell_measures_as_rich_measures_it(text):
    from rich.cells import cell_len

    assert lines.size(text) == cell_len(text)


@given(st.text(max_size=20))
def test_csv_leaves_as_is_only_the_text_that_needs_no_care(text):
    from commands.render import csv

    assert (csv._NEEDS_CARE.search(text) is None) == (csv.cell(text) == text)
