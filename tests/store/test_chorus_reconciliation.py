"""The reconciliation with Chorus is stored, not only printed: each imported export keeps
the centres financiers it covers, the store's orders on them it did not list
(ORDER_NOT_IN_CHORUS, in the startup's one assessment) and the EJs it could place
nowhere (``startups orders --unplaced``, ``unplaced_ej`` in the report).

The exports are synthetic 2019 INF-BUD-53 files on centre financier BG00/0352-CDBR-DINU,
exported on 15 July 2019; each EJ has an engagement line and a payment line dated
14 March 2019 (the order's date).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from chorus_support import HEADER_2019, write_xlsx
from sqlalchemy import text

from store import models as m
from store.open import open_reader
from store.queries.card import build_card
from store.queries.report import build, build_reference

D = dt.date


def _export(path: Path, rows: list[tuple[int, float]]) -> Path:
    head = [["INF-BUD-53"], ["Exercice comptable : 2019"], ["Données mises à jour le : 15/07/2019"]]
    lines = [[], HEADER_2019]
    for ej, engaged in rows:
        codes = ["BG00/0352-CDBR-DINU", "UO", ej, "Flux 1", "OCTO", "#", 1, "CC00INCUB1", "INCUB"]
        codes += ["#", "#", "CB1", "FCT", "BG00/035201010001", "ACT", "36", "PREST"]
        lines.append([*codes, "#", None, engaged, None, None, None, None])
        lines.append([*codes, dt.datetime(2019, 3, 14), None, None, None, None, None, 0.0])
    write_xlsx(path, head + lines)
    return path


def _convention(s, slug: str, **codes) -> None:
    startup = m.Startup(slug=slug, title=slug.title())
    s.add(startup)
    s.flush()
    s.add(
        m.Convention(
            startup_id=startup.id,
            signed_on=D(2019, 1, 2),
            ends_on=D(2019, 12, 31),
            ceiling_cents=50_000_000,
            **codes,
        )
    )


def _alerts(db_path, slug: str, day: dt.date) -> tuple[str, ...]:
    """The startup's alerts, the same from the fast report, its reference and the card."""
    with open_reader(str(db_path)) as reader:
        fast = {r.slug: r.assessment for r in build(reader, day).rows}
        reference = {r.slug: r.assessment for r in build_reference(reader, day).rows}
        card = build_card(reader, slug, day).assessment
    assert fast[slug] == reference[slug] == card
    return card.alerts


def _count(db_path, table: str) -> int:
    with open_reader(str(db_path)) as reader:
        return reader.rows(f"SELECT COUNT(*) FROM {table}")[0][0]


def test_an_order_a_later_export_does_not_list(run, store, db_path, tmp_path):
    """Export a.xlsx lists EJs 1400000001 and 1400000002 (both placed with --startup
    incub); export b.xlsx, of the same centre financier and day, lists 1400000002 and
    1400000003 but not 1400000001.  From 15 July 2019 (the export's day) the latest
    export covering BG00/0352-CDBR-DINU does not list the order 1400000001:
    ORDER_NOT_IN_CHORUS, in the report, the card and `startups show`.  On 14 July there
    is no export yet.  Importing b.xlsx again stores nothing more."""
    with store.session() as s:
        _convention(s, "incub")
    store.dispose()
    first = _export(tmp_path / "a.xlsx", [(1400000001, 1_000.0), (1400000002, 2_000.0)])
    assert run("import", "chorus", first, "--db", db_path, "--startup", "incub").code == 0
    assert "ORDER_NOT_IN_CHORUS" not in _alerts(db_path, "incub", D(2019, 7, 15))
    later = _export(tmp_path / "b.xlsx", [(1400000002, 2_000.0), (1400000003, 10.0)])
    assert run("import", "chorus", later, "--db", db_path, "--startup", "incub").code == 0
    assert "ORDER_NOT_IN_CHORUS" in _alerts(db_path, "incub", D(2019, 7, 15))
    assert "ORDER_NOT_IN_CHORUS" not in _alerts(db_path, "incub", D(2019, 7, 14))
    exports = (_count(db_path, "chorus_export"), _count(db_path, "chorus_export_missing"))
    assert exports == (2, 1)
    assert run("import", "chorus", later, "--db", db_path, "--startup", "incub").code == 0
    assert (_count(db_path, "chorus_export"), _count(db_path, "chorus_export_missing")) == exports

    report = run("report", "--db", db_path, "--as-of", "2019-07-15", "--format", "json")
    (row,) = report.json()["startups"]
    assert "ORDER_NOT_IN_CHORUS" in row["alerts"]
    shown = run("show", "incub", "--db", db_path, "--as-of", "2019-07-15", "--format", "json")
    assert shown.json()["assessment"]["alerts"] == row["alerts"]
    orders = run("orders", "incub", "--db", db_path, "--as-of", "2019-07-15", "--format", "json")
    by_ej = {o["ej"]: o["alerts"] for o in orders.json()["orders"]}
    assert by_ej["1400000001"] == ["ORDER_NOT_IN_CHORUS"] and by_ej["1400000002"] == []


def test_an_ej_placed_nowhere_is_kept_and_counted(run, store, db_path, tmp_path):
    """Two conventions match EJ 1400000009 by their codes (centre de coûts CC00INCUB1,
    activité 035201010001): it is listed, never guessed, and kept.  On 15 July 2019 the
    report counts one EJ placed nowhere (``unplaced_ej`` 1 in its totals, a line under the table) and
    `startups orders --unplaced` lists it with its export and engaged amount (500 €); on
    14 July, before the export, none.  Once placed (imported again with --startup one)
    it is an order and no longer listed."""
    with store.session() as s:
        _convention(s, "one", centre_couts="CC00INCUB1")
        _convention(s, "two", activite="035201010001")
    store.dispose()
    export = _export(tmp_path / "c.xlsx", [(1400000009, 500.0)])
    assert run("import", "chorus", export, "--db", db_path).code == 0
    assert _count(db_path, "chorus_unplaced") == 1
    report = run("report", "--db", db_path, "--as-of", "2019-07-15", "--format", "json")
    assert report.json()["totals"]["unplaced_ej"] == 1
    before = run("report", "--db", db_path, "--as-of", "2019-07-14", "--format", "json")
    assert before.json()["totals"]["unplaced_ej"] == 0
    table = run("report", "--db", db_path, "--as-of", "2019-07-15")
    assert "1 EJ des exports Chorus rattaché nulle part" in table.out
    listed = run("orders", "--unplaced", "--db", db_path, "--as-of", "2019-07-15", "-f", "json")
    assert listed.code == 0, listed.err
    (ej,) = listed.json()["unplaced"]
    assert (ej["ej"], ej["file"], ej["day"], ej["engaged_eur"]) == (
        "1400000009",
        "c.xlsx",
        "2019-07-15",
        500.0,
    )
    assert ej["lines"] == [6, 7]  # three title rows, an empty one, the header on line 5
    assert run("import", "chorus", export, "--db", db_path).code == 0  # the same again
    assert _count(db_path, "chorus_unplaced") == 1
    assert run("import", "chorus", export, "--db", db_path, "--startup", "one").code == 0
    placed = run("orders", "--unplaced", "--db", db_path, "--as-of", "2019-07-15", "-f", "json")
    assert placed.json()["unplaced"] == []
    with open_reader(str(db_path)) as reader:
        assert reader.rows(text("SELECT COUNT(*) FROM purchase_order").text)[0][0] == 1


def test_orders_wants_a_startup_or_unplaced(run, demo_db):
    assert run("orders", "--db", demo_db).code == 2
    both = run("orders", "dossiersco", "--unplaced", "--db", demo_db)
    assert both.code == 2 and len(both.err.strip().splitlines()) == 1
