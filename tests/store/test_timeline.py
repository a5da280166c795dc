"""The precomputed timeline (store.timeline, startup_state) against the reference rules.

The fast report (``store.report.build``: state rows + rollup + ``budget.finish``) must
say exactly what ``build_reference`` (every fact loaded, ``budget.assess``) says, on
any portfolio and any date: this is what keeps the two from drifting apart.
"""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, text
from sqlmodel import select

from store import models as m
from store.derived import reattribute, refresh
from store.open import open_reader, open_store
from store.ops.ledger import mark_deadline_done
from store.queries import report
from store.queries.card import build_card
from store.queries.report import Filters, build, build_reference

ROOT = Path(__file__).resolve().parents[2]
D = dt.date
FIRST, LAST = D(2019, 1, 1), D(2021, 12, 31)
PHASES = ("investigation", "construction", "acceleration", "consolidation", "abandon", "opéré")

days = st.dates(min_value=FIRST, max_value=LAST)
maybe_day = st.none() | days
cents = st.integers(min_value=1, max_value=50_000).map(lambda x: x * 100)
maybe_cents = st.none() | cents

avenant = st.fixed_dictionaries(
    {"signed": maybe_day, "ends": maybe_day, "ceiling": maybe_cents, "cp": st.none() | cents}
)
convention = st.fixed_dictionaries(
    {
        "signed": maybe_day,
        "party": maybe_day,
        "starts": maybe_day,
        "ends": maybe_day,
        "ceiling": maybe_cents,
        "schedule": st.lists(
            st.tuples(st.integers(2019, 2021), maybe_cents), max_size=2, unique_by=lambda x: x[0]
        ),
        "avenants": st.lists(avenant, max_size=2),
    }
)
portfolio = st.fixed_dictionaries(
    {
        "conventions": st.lists(convention, max_size=3),
        "phases": st.lists(st.tuples(st.sampled_from(PHASES), days), max_size=3),
        "deadlines": st.lists(st.tuples(days, st.booleans()), max_size=3),
        "lines": st.lists(
            st.tuples(
                days,
                cents,
                st.sampled_from(("payment", "engagement")),
                st.none() | st.integers(0, 5),
            ),
            max_size=8,
        ),
        # Purchase orders: (date, amount, the convention it names, status, its payments,
        # its expected delivery, its services faits, on the centre financier CF1).
        "orders": st.lists(
            st.tuples(
                days,
                cents,
                st.none() | st.integers(0, 5),
                st.sampled_from(("open", "open", "closed", "cancelled")),
                st.lists(st.tuples(days, cents), max_size=2),
                maybe_day,
                st.lists(st.tuples(days, cents), max_size=2),
                st.booleans(),
            ),
            max_size=3,
        ),
        # Committee reviews: (day, decision, the convention the decision links to).
        "reviews": st.lists(
            st.tuples(
                days,
                st.sampled_from(("six_months", "provisional", "stop", "undecided")),
                st.none() | st.integers(0, 5),
            ),
            max_size=2,
            unique_by=lambda r: r[0],
        ),
        # A Chorus export covering CF1 on a day, and which of the orders it did not list.
        "export": st.none() | st.tuples(days, st.lists(st.integers(0, 2), max_size=3)),
        # A staffing plan: (start, end, daily rate, headcount, the convention it names).
        "staffing": st.lists(
            st.tuples(
                maybe_day,
                maybe_day,
                st.none() | st.integers(min_value=300, max_value=900).map(lambda e: e * 100),
                st.sampled_from((0.5, 1.0, 2.0)),
                st.none() | st.integers(0, 5),
            ),
            max_size=2,
        ),
    }
)

_slugs = itertools.count()


def _write(s, p: dict) -> int:
    startup = m.Startup(slug=f"p{next(_slugs):05d}", title="Portefeuille")
    s.add(startup)
    s.flush()
    ids: list[int] = []
    for c in p["conventions"]:
        root = m.Convention(
            startup_id=startup.id,
            title="Convention de service",
            signed_on=c["signed"],
            starts_on=c["starts"],
            ends_on=c["ends"],
            ceiling_cents=c["ceiling"],
        )
        s.add(root)
        s.flush()
        ids.append(root.id)
        s.add(m.ConventionParty(convention_id=root.id, name="MEN", signed_on=c["party"]))
        for year, cp in c["schedule"]:
            s.add(m.ScheduleLine(convention_id=root.id, year=year, ae_cents=cp, cp_cents=cp))
        for k, a in enumerate(c["avenants"], start=1):
            av = m.Convention(
                startup_id=startup.id,
                kind="avenant",
                number=k,
                parent_id=root.id,
                signed_on=a["signed"],
                ends_on=a["ends"],
                ceiling_cents=a["ceiling"],
            )
            s.add(av)
            s.flush()
            ids.append(av.id)
            if a["cp"] is not None:
                s.add(m.ScheduleLine(convention_id=av.id, year=2020, cp_cents=a["cp"]))
    for starts, ends, rate, headcount, named in p.get("staffing", ()):
        s.add(
            m.StaffingLine(
                startup_id=startup.id,
                convention_id=ids[named] if named is not None and named < len(ids) else None,
                role="Développeur",
                headcount=headcount,
                starts_on=starts,
                ends_on=ends,
                daily_rate_cents=rate,
            )
        )
    for day, amount, kind, named in p["lines"]:
        s.add(
            m.ConsumptionLine(
                startup_id=startup.id,
                convention_id=ids[named] if named is not None and named < len(ids) else None,
                date=day,
                amount_cents=amount,
                kind=kind,
                label="x",
            )
        )
    for k, (day, amount, named, status, payments, expected, done, on_cf1) in enumerate(
        p.get("orders", ())
    ):
        order = m.PurchaseOrder(
            startup_id=startup.id,
            convention_id=ids[named] if named is not None and named < len(ids) else None,
            ej=f"{startup.slug}-{k}",
            date=day,
            amount_cents=amount,
            status=status,
            expected_on=expected,
            centre_financier="CF1" if on_cf1 else None,
        )
        s.add(order)
        s.flush()
        for done_on, delivered in done:
            s.add(m.ServiceFait(order_id=order.id, date=done_on, amount_cents=delivered))
        for paid_on, paid in payments:
            s.add(
                m.ConsumptionLine(
                    startup_id=startup.id,
                    order_id=order.id,
                    date=paid_on,
                    amount_cents=paid,
                    kind="payment",
                    label="facture",
                )
            )
    for day, decision, linked in p.get("reviews", ()):
        committee = s.exec(select(m.Committee).where(m.Committee.date == day)).first()
        if committee is None:
            committee = m.Committee(date=day)
            s.add(committee)
            s.flush()
        s.add(
            m.CommitteeReview(
                committee_id=committee.id,
                startup_id=startup.id,
                decision=decision,
                convention_id=ids[linked] if linked is not None and linked < len(ids) else None,
            )
        )
    if p.get("export") is not None:
        day, missing = p["export"]
        s.execute(insert(m.ChorusExport), [{"file": f"{startup.slug}.xlsx", "day": day}])
        export_id = s.exec(
            select(m.ChorusExport.id).where(m.ChorusExport.file == f"{startup.slug}.xlsx")
        ).one()
        s.execute(
            insert(m.ChorusExportCentre), [{"export_id": export_id, "centre_financier": "CF1"}]
        )
        for k in sorted(set(missing)):
            s.execute(
                insert(m.ChorusExportMissing),
                [{"export_id": export_id, "ej": f"{startup.slug}-{k}"}],
            )
    reattribute(s, startup.id)
    return startup.id


def _same_report(path: Path, day: dt.date, filters: Filters | None = None) -> None:
    with open_reader(str(path)) as reader:
        fast_report = build(reader, day, filters)
        reference_report = build_reference(reader, day, filters)
        # The whole assessments, not only what the JSON says: the next deadline with its
        # kind and origin, each convention's projection (its own rate, the staffing plan).
        assert [(r.slug, r.assessment) for r in fast_report.rows] == [
            (r.slug, r.assessment) for r in reference_report.rows
        ]
        if filters is None:
            # One truth: the card (`show`, the app's startup screen) says what the report
            # says, for every startup.
            for row in fast_report.rows:
                assert build_card(reader, row.slug, day).assessment == row.assessment, row.slug
        fast = fast_report.to_dict()
        reference = reference_report.to_dict()
        # The rows are assessed a chunk at a time (the running totals of a chunk's
        # conventions read by id): chunks of one startup must say the same.
        with patch.object(report, "ID_CHUNK", 1):
            assert build(reader, day, filters).to_dict() == fast
        if filters is None:  # the app's first page: a first chunk that reads its own lines
            totals = report.Totals()
            rows = report.iter_rows(reader, day, Filters(), totals, first_chunk=1)
            assert [row.to_dict() for row in rows] == fast["startups"]
            assert totals.to_dict() == fast["totals"]
    for a, b in zip(fast["startups"], reference["startups"], strict=True):
        assert a == b, {k: (a[k], b[k]) for k in a if a[k] != b[k]} | {"slug": a["slug"], "on": day}
    assert fast == reference


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    portfolios=st.lists(portfolio, min_size=1, max_size=3),
    on=st.lists(st.dates(D(2018, 10, 1), D(2022, 6, 30)), min_size=4, max_size=4),
)
def test_the_fast_report_equals_the_reference_rules(tmp_path_factory, portfolios, on):
    # A fresh store for each example (a failure then shrinks to the portfolios that show
    # it), holding one to three startups (the fast path reads them all at once).
    db_path = tmp_path_factory.mktemp("timeline") / "store.db"
    store = open_store(str(db_path))
    try:
        _check_portfolios(store, db_path, portfolios, on)
    finally:
        store.dispose()


def _check_portfolios(store, db_path, portfolios, on) -> None:
    events: set[dt.date | None] = set()
    for p in portfolios:
        with store.session() as s:
            startup_id = _write(s, p)
        # Phases and deadlines written afterwards, without calling anything: the
        # session's hook keeps the timeline current.
        with store.session() as s:
            if p["phases"]:
                s.execute(
                    insert(m.Phase),
                    [{"startup_id": startup_id, "name": n, "start": d} for n, d in p["phases"]],
                )
            for day, done in p["deadlines"]:
                s.add(m.Deadline(startup_id=startup_id, date=day, title="Comité", done=done))
        # The days where something happens (where a missed breakpoint shows).
        events |= {d for d, *_ in p["lines"]} | {d for d, _ in p["deadlines"]}
        for day, _amount, _named, _status, payments, expected, done, _cf1 in p["orders"]:
            events |= {day, expected, *(d for d, _ in payments), *(d for d, _ in done)}
        for day, _decision, _linked in p["reviews"]:
            events |= {day, day + dt.timedelta(days=30)}
        if p["export"] is not None:
            events.add(p["export"][0])
        for c in p["conventions"]:
            events |= {c["signed"], c["party"], c["starts"], c["ends"]}
            for a in c["avenants"]:
                events |= {a["signed"], a["ends"]}
    events.discard(None)
    # The order cut-off (15 December) and the day before, each year.
    events |= {D(y, 12, 15) for y in range(2018, 2022)}
    for day in sorted({*on, *events, *(d + dt.timedelta(days=1) for d in events)}):
        _same_report(db_path, day)
    _same_report(db_path, on[0], Filters(alerts=True, sort="runway"))
    _same_report(db_path, on[1], Filters(limit=2))  # totals of the rows past the limit
    _same_report(db_path, on[2], Filters(phase="construction", limit=1, sort="remaining"))


def test_every_date_of_the_demo_is_the_same(demo_db):
    for day in (D(2018, 6, 1), D(2018, 9, 15), D(2019, 6, 1), D(2020, 6, 1)):
        _same_report(demo_db, day)
    # …and every breakpoint of its timeline, with the day before.
    with open_reader(str(demo_db)) as reader:
        starts = {r[0] for r in reader.rows("SELECT valid_from FROM startup_state")}
    for start in sorted(starts)[1:]:
        day = dt.date.fromisoformat(str(start))
        _same_report(demo_db, day)
        _same_report(demo_db, day - dt.timedelta(days=1))


def test_marking_a_deadline_done_updates_the_report(demo_db):
    with open_reader(str(demo_db)) as reader:
        (row,) = [r for r in build(reader, D(2018, 9, 15)).rows if r.slug == "classe-a-12"]
    assert "OVERDUE" in row.assessment.alerts
    s = open_store(str(demo_db), create=False)
    with open_reader(str(demo_db)) as reader:
        ids = [
            i for (i,) in reader.rows("SELECT id FROM deadline WHERE date < :d", d=D(2018, 9, 15))
        ]
    with s.session() as session:
        for i in ids:
            mark_deadline_done(session, str(i), D(2018, 9, 16))
    s.dispose()
    with open_reader(str(demo_db)) as reader:
        (row,) = [r for r in build(reader, D(2018, 9, 15)).rows if r.slug == "classe-a-12"]
    assert "OVERDUE" not in row.assessment.alerts
    _same_report(demo_db, D(2018, 9, 15))


def test_a_phase_change_moves_the_gap(store, db_path):
    with store.session() as s:
        startup = m.Startup(slug="solo", title="Solo")
        s.add(startup)
    with open_reader(str(db_path)) as reader:
        assert build(reader, D(2020, 1, 1)).rows[0].assessment.alerts == ()
    with store.session() as s:
        s.add(m.Phase(startup_id=startup.id, name="construction", start=D(2019, 6, 1)))
    with open_reader(str(db_path)) as reader:
        assert build(reader, D(2020, 1, 1)).rows[0].assessment.alerts == ("GAP",)
        assert build(reader, D(2019, 5, 31)).rows[0].assessment.alerts == ()
    with store.session() as s:
        phase = s.exec(__import__("sqlmodel").select(m.Phase)).one()
        s.delete(phase)
    with open_reader(str(db_path)) as reader:
        assert build(reader, D(2020, 1, 1)).rows[0].assessment.alerts == ()


def test_reloading_the_demo_rewrites_nothing(demo_db):
    s = open_store(str(demo_db), create=False)
    with s.session() as session:
        ids = [i for (i,) in session.execute(text("SELECT id FROM startup"))]
        assert [refresh(session, i) for i in ids] == [False] * len(ids)
    s.dispose()


def test_the_generator_writes_the_timeline_the_write_path_would(tmp_path):
    path = tmp_path / "gen.db"
    subprocess.run(
        [
            *(sys.executable, "bench/generate.py", "--startups", "40", "--expenses", "3000"),
            *("--seed", "7", "--db", str(path)),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    s = open_store(str(path), create=False)
    with s.session() as session:
        ids = [i for (i,) in session.execute(text("SELECT id FROM startup"))]
        assert not any(refresh(session, i) for i in ids)
    s.dispose()
    for day in (D(2016, 3, 1), D(2019, 7, 14), D(2022, 6, 15)):
        _same_report(path, day)


def test_an_engagement_after_the_end_turns_the_alert_on_that_day(store, db_path):
    with store.session() as s:
        startup = m.Startup(slug="late", title="Late")
        s.add(startup)
        s.flush()
        c = m.Convention(
            startup_id=startup.id,
            signed_on=D(2020, 1, 1),
            ends_on=D(2020, 6, 30),
            ceiling_cents=10_000_000,
        )
        s.add(c)
        s.flush()
        s.add(
            m.ConsumptionLine(
                startup_id=startup.id,
                convention_id=c.id,
                date=D(2020, 8, 1),
                amount_cents=100_000,
                kind="engagement",
                label="late order",
            )
        )
        reattribute(s, startup.id)
    with open_reader(str(db_path)) as reader:
        before = build(reader, D(2020, 7, 31)).rows[0].assessment.alerts
        on = build(reader, D(2020, 8, 1)).rows[0].assessment.alerts
    assert "ENGAGED_AFTER_END" not in before
    assert "ENGAGED_AFTER_END" in on
    for day in (D(2020, 7, 31), D(2020, 8, 1), D(2020, 8, 2)):
        _same_report(db_path, day)


def test_an_open_ended_convention_and_no_convention_read_the_same_everywhere(store, db_path):
    """END_UNKNOWN and the unknown envelope of a startup with no convention: the fast
    report, the reference rules and the card agree, and the totals never count 0."""
    with store.session() as s:
        open_ended = m.Startup(slug="open", title="Open")
        nothing = m.Startup(slug="nothing", title="Nothing")
        s.add_all([open_ended, nothing])
        s.flush()
        s.add(
            m.Convention(
                startup_id=open_ended.id, signed_on=D(2018, 6, 1), ceiling_cents=20_000_000
            )
        )
        s.add(m.Phase(startup_id=nothing.id, name="construction", start=D(2018, 1, 1)))
        reattribute(s, open_ended.id)
    with open_reader(str(db_path)) as reader:
        before = build(reader, D(2018, 5, 31))
        rows = {r.slug: r.assessment for r in build(reader, D(2026, 12, 2)).rows}
        totals = build(reader, D(2026, 12, 2)).totals
        assert before.totals.envelope_cents is None and before.totals.envelope_unknown == 2
    assert rows["open"].alerts == ("END_UNKNOWN",) and rows["open"].envelope_cents == 20_000_000
    assert rows["nothing"].alerts == ("GAP",) and rows["nothing"].envelope_cents is None
    assert (totals.envelope_cents, totals.envelope_unknown) == (20_000_000, 1)
    for day in (D(2018, 5, 31), D(2018, 6, 1), D(2026, 12, 2)):
        _same_report(db_path, day)


def test_a_bulk_delete_refreshes_only_the_startups_it_touches(store, db_path):
    from sqlmodel import delete

    from store.derived import ALL, TOUCHED

    with store.session() as s:
        one, two = m.Startup(slug="one", title="One"), m.Startup(slug="two", title="Two")
        s.add_all([one, two])
        s.flush()
        c = m.Convention(
            startup_id=one.id,
            starts_on=D(2020, 1, 1),
            ends_on=D(2021, 12, 31),
            ceiling_cents=100_000,
        )
        s.add(c)
        s.flush()
        s.add(m.ConventionParty(convention_id=c.id, name="MEN", signed_on=D(2020, 1, 10)))
    with open_reader(str(db_path)) as reader:
        (row, _) = build(reader, D(2020, 6, 1)).rows
    assert (row.slug, row.assessment.conventions_in_force) == ("one", 1)
    with store.session() as s:
        s.exec(delete(m.ConventionParty).where(m.ConventionParty.convention_id == c.id))
        assert s.info[TOUCHED] == {one.id}
        assert ALL not in s.info[TOUCHED]
    with open_reader(str(db_path)) as reader:
        (row, _) = build(reader, D(2020, 6, 1)).rows
    # No signature left: pending, shown, never counted.
    assert row.assessment.conventions_in_force == 0
    assert row.assessment.alerts == ("UNSIGNED",)
    _same_report(db_path, D(2020, 6, 1))
