"""``startups import chorus``: each EJ of an INF-BUD-53 export as a purchase order.

The fixtures (tests/make_chorus_fixtures.py) are synthetic exports of each layout; the
P352 2019 one has five EJs on centre financier BG00/0352-CDBR-DINU, activité
035201010001, centre de coûts CC00INCUB1, exported on 15 July 2019.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from chorus_support import HEADER_2019, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

import i18n
from store import models as m
from store.importers.chorus.read import read_chorus
from store.open import open_reader, open_store
from store.queries.orders import orders_of
from store.rules.imputation import Candidate, Codes, match, matches

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chorus"
P352 = FIXTURES / "INFBUD53 P352 2019.xlsx"
D = dt.date


def _startup(store, slug: str, **codes) -> int:
    with store.session() as s:
        startup = m.Startup(slug=slug, title=slug.title())
        s.add(startup)
        s.flush()
        c = m.Convention(
            startup_id=startup.id,
            title="Convention de service",
            signed_on=D(2019, 1, 2),
            ends_on=D(2019, 12, 31),
            ceiling_cents=50_000_000,
            **codes,
        )
        s.add(c)
        s.flush()
        return c.id


def _orders(db_path, slug, day=D(2019, 12, 31)):
    with open_reader(str(db_path)) as reader:
        return {o.ej: o for o in orders_of(reader, slug, day)}


def test_each_layout_imports_then_reimports_without_change(run, tmp_path):
    for export in sorted(FIXTURES.glob("INF*")):
        db = tmp_path / f"{export.stem}.db"
        store = open_store(str(db))
        _startup(store, "incub")
        store.dispose()
        first = run("import", "chorus", export, "--db", db, "--startup", "incub", "--json")
        assert first.code == 0, first.err
        plan = first.json()
        found = read_chorus(export)
        placed = {o["ej"] for o in plan["orders"]}
        # Every EJ is placed or listed, none twice.
        assert placed | {u["ej"] for u in plan["unmatched"]} == {r.ej for r in found.records}
        assert plan["added"] == len(placed) > 0
        for o in plan["orders"]:
            engaged = sum(r.engaged or 0 for r in found.records if r.ej == o["ej"])
            paid = sum(r.paid or 0 for r in found.records if r.ej == o["ej"])
            assert (o["engaged_eur"], o["paid_eur"]) == (engaged / 100, paid / 100)
        again = run("import", "chorus", export, "--db", db, "--startup", "incub", "--json")
        assert again.code == 0, again.err
        assert (again.json()["added"], again.json()["updated"]) == (0, 0)
        assert again.json()["unchanged"] == plan["added"]


def test_the_store_says_what_chorus_says_and_a_payment_moves_paid_once(run, store, db_path):
    _startup(store, "incub")
    store.dispose()
    result = run("import", "chorus", P352, "--db", db_path, "--startup", "incub")
    assert result.code == 0, result.err
    orders = _orders(db_path, "incub")
    found = read_chorus(P352)
    for ej, order in orders.items():
        mine = [r for r in found.records if r.ej == ej]
        assert order.engaged_cents == sum(r.engaged or 0 for r in mine)
        assert order.paid_cents == sum(r.paid or 0 for r in mine)
    with open_reader(str(db_path)) as reader:
        from store.queries.report import build

        row = build(reader, D(2019, 12, 31)).to_dict()["startups"][0]
    assert row["engaged_eur"] == sum(o.engaged_cents for o in orders.values()) / 100
    assert row["paid_eur"] == sum(o.paid_cents for o in orders.values()) / 100


def _export(path: Path, rows: list[list]) -> Path:
    """A 2019 export of (EJ, engaged, paid) rows: one engagement line and one payment each."""
    head = [
        ["INF-BUD-53"],
        ["Exercice comptable : 2019"],
        ["Données mises à jour le : 15/07/2019"],
        [],
    ]
    lines = [HEADER_2019]
    for ej, engaged, paid in rows:
        codes = ["BG00/0352-CDBR-DINU", "UO", ej, "Flux 1", "OCTO", "#", 1, "CC00INCUB1", "INCUB"]
        codes += ["#", "#", "CB1", "FCT", "BG00/035201010001", "ACT", "36", "PREST"]
        lines.append([*codes, "#", None, engaged, None, None, None, None])
        lines.append([*codes, dt.datetime(2019, 3, 14), None, None, None, None, None, paid])
    write_xlsx(path, head + lines)
    return path


def test_a_newer_export_updates_the_amounts_and_says_what_changed(run, store, db_path, tmp_path):
    i18n.use("en")
    _startup(store, "incub")
    store.dispose()
    old = _export(tmp_path / "old.xlsx", [(1400000001, 10_000.0, 2_000.0)])
    assert run("import", "chorus", old, "--db", db_path, "--startup", "incub").code == 0
    new = _export(tmp_path / "new.xlsx", [(1400000001, 12_000.0, 5_000.0)])
    result = run("import", "chorus", new, "--db", db_path, "--startup", "incub")
    assert result.code == 0, result.err
    assert "updated 1" in result.out
    assert "engaged_eur 10000.0 → 12000.0" in result.out
    assert "paid_eur 2000.0 → 5000.0" in result.out
    order = _orders(db_path, "incub")["1400000001"]
    assert (order.engaged_cents, order.paid_cents) == (1_200_000, 500_000)
    again = run("import", "chorus", new, "--db", db_path, "--startup", "incub")
    assert "added 0, updated 0, unchanged 1" in again.out


def test_an_ej_goes_by_its_codes_when_exactly_one_convention_matches(run, store, db_path, tmp_path):
    cid = _startup(store, "good", programme="352", bop="0352-CDBR", uo="DINU")
    _startup(store, "other", programme="129")  # another programme: never a candidate
    store.dispose()
    export = _export(tmp_path / "e.xlsx", [(1400000001, 1_000.0, 0.0)])
    plan = run("import", "chorus", export, "--db", db_path, "--json").json()
    assert [(o["ej"], o["startup"], o["convention_id"]) for o in plan["orders"]] == [
        ("1400000001", "good", cid)
    ]
    assert plan["unmatched"] == []


def test_an_ej_two_conventions_match_is_listed_never_guessed(run, store, db_path, tmp_path):
    a = _startup(store, "one", centre_couts="CC00INCUB1")
    b = _startup(store, "two", activite="035201010001")
    store.dispose()
    export = _export(tmp_path / "e.xlsx", [(1400000001, 1_000.0, 0.0)])
    plan = run("import", "chorus", export, "--db", db_path, "--json").json()
    assert plan["orders"] == []
    [unmatched] = plan["unmatched"]
    assert unmatched["ej"] == "1400000001" and unmatched["candidates"] == [a, b]
    assert unmatched["lines"] == [6, 7]
    with open_store(str(db_path)).session() as s:
        assert s.exec(select(m.PurchaseOrder)).all() == []


def test_a_known_ej_goes_to_its_order_whatever_the_codes(run, store, db_path, tmp_path):
    _startup(store, "one", centre_couts="CC00INCUB1")
    _startup(store, "two", centre_couts="CC00INCUB1")
    from store.ops.orders import add_order

    with store.session() as s:
        add_order(s, "two", date=D(2019, 3, 1), ej="1400000001", amount_cents=100_000)
    store.dispose()
    export = _export(tmp_path / "e.xlsx", [(1400000001, 1_000.0, 400.0)])
    plan = run("import", "chorus", export, "--db", db_path, "--json").json()
    assert [(o["startup"], o["action"]) for o in plan["orders"]] == [("two", "update")]
    assert run("import", "chorus", export, "--db", db_path).code == 0
    assert _orders(db_path, "two")["1400000001"].paid_cents == 40_000


def test_the_export_is_reconciled_with_the_store(run, store, db_path, tmp_path):
    _startup(store, "incub")
    store.dispose()
    first = _export(tmp_path / "a.xlsx", [(1400000001, 1_000.0, 0.0), (1400000002, 2_000.0, 0.0)])
    plan = run("import", "chorus", first, "--db", db_path, "--startup", "incub", "--json").json()
    assert plan["unknown_to_store"] == ["1400000001", "1400000002"]
    assert plan["missing_from_export"] == []
    # A later export of the same centre financier without EJ 1400000001.
    later = _export(tmp_path / "b.xlsx", [(1400000002, 2_000.0, 500.0), (1400000003, 10.0, 0.0)])
    plan = run("import", "chorus", later, "--db", db_path, "--startup", "incub", "--json").json()
    assert plan["unknown_to_store"] == ["1400000003"]
    assert plan["missing_from_export"] == [{"ej": "1400000001", "startup": "incub"}]


def test_dry_run_stores_nothing(run, store, db_path):
    _startup(store, "incub")
    store.dispose()
    result = run(
        "import", "chorus", P352, "--db", db_path, "--startup", "incub", "--dry-run", "--json"
    )
    assert result.code == 0 and result.json()["added"] == 5 and result.json()["dry_run"]
    assert _orders(db_path, "incub") == {}


def test_bad_rows_are_named_with_their_line_and_nothing_is_imported(run, store, db_path, tmp_path):
    _startup(store, "incub")
    store.dispose()
    path = _export(tmp_path / "bad.xlsx", [(1400000001, 1_000.0, 0.0), (1400000002, 2_000.0, 0.0)])
    rows = [["INF-BUD-53"], [], HEADER_2019]
    codes = ["BG00/0352-CDBR-DINU", "UO", 1400000003, "Flux 1", "OCTO", "#", 1, "CC", "I"]
    codes += ["#", "#", "CB1", "FCT", "BG00/035201010001", "ACT", "36", "PREST"]
    rows.append([*codes, "#", None, 1000.0, None, None, None, None])
    rows.append([*codes, "#", None, "douze euros", None, None, None, None])
    write_xlsx(path, rows)
    result = run("import", "chorus", path, "--db", db_path, "--startup", "incub")
    assert result.code == 2
    assert "bad.xlsx:5:" in result.err
    assert _orders(db_path, "incub") == {}


# --- the matcher: never assigns with no candidate or several ------------------------------

code = st.sampled_from(["0352", "352", "0129", "CC1", "CC2", None])
codes = st.builds(
    Codes,
    programme=code,
    bop=st.sampled_from(["0352-CDBR", "0129-CDBR", None]),
    uo=st.sampled_from(["DINU", "0352-CDBR-DINU", "INFO", None]),
    activite=st.sampled_from(["035201010001", "012901010001", None]),
    domaine_fonctionnel=st.sampled_from(["0352-01", None]),
    centre_couts=st.sampled_from(["CC1", "CC2", None]),
)
candidate = st.builds(
    Candidate,
    convention_id=st.integers(1, 6),
    startup_id=st.integers(1, 3),
    codes=codes,
    start=st.none() | st.dates(D(2019, 1, 1), D(2019, 6, 30)),
    end=st.none() | st.dates(D(2019, 7, 1), D(2019, 12, 31)),
)


@settings(max_examples=300, deadline=None)
@given(
    line=codes, day=st.dates(D(2018, 12, 1), D(2020, 1, 31)), pool=st.lists(candidate, max_size=6)
)
def test_the_matcher_assigns_only_when_exactly_one_convention_matches(line, day, pool):
    # One convention id keeps one startup (as in the store).
    owner: dict[int, int] = {}
    pool = [
        Candidate(
            c.convention_id,
            owner.setdefault(c.convention_id, c.startup_id),
            c.codes,
            c.start,
            c.end,
        )
        for c in pool
    ]
    result = match(line, day, pool)
    matching = {c.convention_id for c in pool if matches(c, line, day)}
    assert set(result.candidates) == matching
    if len(matching) == 1:
        assert result.convention_id in matching
        assert result.startup_id == owner[result.convention_id]
    else:
        assert result.convention_id is None and result.startup_id is None
    # A convention outside its period (or pending: no start) never matches.
    for c in pool:
        if c.start is None or day < c.start or (c.end is not None and day > c.end):
            assert not matches(c, line, day)


def test_codes_agree_as_chorus_writes_them():
    line = Codes(programme="0352", bop="0352-CDBR", uo="0352-CDBR-DINU", centre_couts="CC00INCUB1")
    day = D(2019, 3, 1)
    ok = Candidate(1, 1, Codes(programme="352", uo="DINU"), D(2019, 1, 1), None)
    wrong = Candidate(2, 1, Codes(programme="352", uo="INFO"), D(2019, 1, 1), None)
    nothing = Candidate(3, 1, Codes(), D(2019, 1, 1), None)
    later = Candidate(4, 1, Codes(programme="352"), D(2019, 6, 1), None)
    assert matches(ok, line, day)
    assert not matches(wrong, line, day)
    assert not matches(nothing, line, day)  # no code to compare: never a match
    assert not matches(later, line, day)
    assert match(line, day, [ok, wrong, nothing, later]).convention_id == 1


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
