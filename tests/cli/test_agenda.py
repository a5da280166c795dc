"""Deadlines: explicit and derived (convention ends, renewal reminders), JSON, iCalendar, done."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from store.derived import reattribute
from store.models import Convention, ConventionParty, Deadline
from store.open import open_store

ROOT = Path(__file__).resolve().parents[2]
RENEWAL_2018 = "Préparer le renouvellement de la convention de service (fin le 01/10/2018)"


def deadlines(run, db, *args):
    result = run("deadlines", "--db", db, "--format", "json", *args)
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) == {"deadlines"}
    return data["deadlines"]


def brief(items):
    return [(d["date"], d["kind"], d["overdue"]) for d in items]


def assert_one_line_error(result, *fragments):
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_demo_on_2018_06_01_within_a_year(run, demo_db):
    items = deadlines(run, demo_db, "--as-of", "2018-06-01", "--within", "365")
    assert items == [
        {
            "slug": "classe-a-12",
            "date": "2018-07-03",  # 90 days before 1 October 2018
            "title": RENEWAL_2018,
            "kind": "renewal",
            "overdue": False,
            "id": None,
        },
        {
            "slug": "classe-a-12",
            "date": "2018-09-01",
            "title": "Version utilisable par les enseignants disponible",
            "kind": "deliverable",
            "overdue": False,
            "id": 1,
        },
        {
            "slug": "classe-a-12",
            "date": "2018-10-01",
            "title": "Fin de la convention de service",
            "kind": "convention_end",
            "overdue": False,
            "id": None,
        },
    ]


def test_without_within_every_upcoming_deadline(run, demo_db):
    items = deadlines(run, demo_db, "--as-of", "2018-06-01")
    # The 2020 FAST convention (unsigned, ends December 2021) has its end and its reminder.
    assert brief(items)[3:] == [
        ("2021-10-02", "renewal", False),
        ("2021-12-31", "convention_end", False),
    ]
    assert len(items) == 5
    assert [d["date"] for d in items] == sorted(d["date"] for d in items)


def test_within_keeps_the_window_and_the_overdue(run, demo_db):
    on = ("--as-of", "2018-09-15")
    assert brief(deadlines(run, demo_db, *on, "--within", "10")) == [
        ("2018-09-01", "deliverable", True)
    ]
    assert brief(deadlines(run, demo_db, *on, "--within", "16")) == [
        ("2018-09-01", "deliverable", True),
        ("2018-10-01", "convention_end", False),  # D + 16 days, inclusive
    ]
    assert brief(deadlines(run, demo_db, *on, "--within", "0")) == [
        ("2018-09-01", "deliverable", True)
    ]


def test_overdue_on_2018_09_15(run, demo_db):
    items = deadlines(run, demo_db, "--as-of", "2018-09-15", "--overdue")
    assert brief(items) == [("2018-09-01", "deliverable", True)]
    assert items[0]["id"] == 1


def test_derived_deadlines_are_never_overdue(run, demo_db):
    # On 2019-01-01 the 2018 convention has ended and its reminder has passed: not overdue.
    items = deadlines(run, demo_db, "--as-of", "2019-01-01", "--overdue")
    assert brief(items) == [("2018-09-01", "deliverable", True)]


def test_done_then_not_overdue(run, demo_db):
    result = run("deadline", "done", "1", "--on", "2018-09-10", "--db", demo_db)
    assert result.code == 0, result.err
    assert "faite le 10/09/2018" in result.out
    assert deadlines(run, demo_db, "--as-of", "2018-09-15", "--overdue") == []
    report = run("report", "--db", demo_db, "--as-of", "2018-09-15", "-f", "json").json()
    assert "OVERDUE" not in report["startups"][0]["alerts"]
    # Done again: nothing changes, the first date stays.
    again = run("deadline", "done", "deadline-1", "--db", demo_db)
    assert again.code == 0 and "déjà faite le 10/09/2018" in again.out


def test_done_defaults_to_today(run, demo_db, monkeypatch):
    import commands.deadline

    monkeypatch.setattr(commands.deadline, "today", lambda: dt.date(2018, 9, 20))
    assert run("deadline", "done", "1", "--db", demo_db).code == 0
    store = open_store(str(demo_db), create=False)
    with store.session() as session:
        assert session.get(Deadline, 1).done_on == dt.date(2018, 9, 20)
    store.dispose()


def test_overdue_shows_in_the_report_before_done(run, demo_db):
    report = run("report", "--db", demo_db, "--as-of", "2018-09-15", "-f", "json").json()
    assert "OVERDUE" in report["startups"][0]["alerts"]


@pytest.mark.parametrize(
    ("ref", "fragment"),
    [
        ("99", "aucune échéance 99"),
        ("convention-1-end", "découle de la fin de la convention 1"),
        ("convention-1-renewal", "rappel de renouvellement"),
        ("abc", "'abc' n'est pas un identifiant d'échéance"),
    ],
)
def test_done_errors(run, demo_db, ref, fragment):
    assert_one_line_error(run("deadline", "done", ref, "--db", demo_db), fragment)


def test_deadlines_errors(run, demo_db, tmp_path):
    assert_one_line_error(
        run("deadlines", "--db", demo_db, "--startup", "nope"), "aucune startup 'nope'"
    )
    assert_one_line_error(run("deadlines", "--db", demo_db, "--within", "-1"), "--within")
    assert_one_line_error(run("deadlines", "--db", demo_db, "--format", "xml"), "--format")
    assert_one_line_error(run("deadlines", "--db", tmp_path / "none.db"), "aucune base ici")


def test_startup_filter(run, demo_db):
    assert deadlines(run, demo_db, "--as-of", "2018-06-01", "--startup", "dossiersco") == []
    assert len(deadlines(run, demo_db, "--as-of", "2018-06-01", "--startup", "classe-a-12")) == 5


def test_a_successor_already_signed_removes_the_renewal_reminder(run, demo_db):
    store = open_store(str(demo_db), create=False)
    with store.session() as session:
        successor = Convention(
            startup_id=1,
            kind="convention",
            title="Convention de service 2018-2019",
            signed_on=dt.date(2018, 5, 15),
            starts_on=dt.date(2018, 10, 2),
            ends_on=dt.date(2019, 12, 31),
            ceiling_cents=100_000_00,
        )
        session.add(successor)
        session.flush()
        reattribute(session, 1)
        successor_id = successor.id
    store.dispose()
    items = deadlines(run, demo_db, "--as-of", "2018-06-01", "--within", "600")
    kinds = [(d["date"], d["kind"]) for d in items]
    assert ("2018-07-03", "renewal") not in kinds  # renewed already
    assert ("2018-10-01", "convention_end") in kinds
    assert ("2019-10-02", "renewal") in kinds  # the successor's own reminder (no successor)
    assert successor_id > 3


def test_table_output(run, demo_db):
    result = run("deadlines", "--db", demo_db, "--as-of", "2018-09-15", "--within", "30")
    assert result.code == 0, result.err
    assert "EN RETARD" in result.out and "Fin de la convention de service" in result.out
    assert "\x1b[" not in result.out


# --- iCalendar ------------------------------------------------------------------------------


def ics(run, db, *args) -> Calendar:
    result = run("deadlines", "--db", db, "--format", "ics", *args)
    assert result.code == 0, result.err
    assert result.out.startswith("BEGIN:VCALENDAR\r\n")
    return Calendar.from_ical(result.out)


def test_ics_parses_back_with_all_day_events(run, demo_db):
    calendar = ics(run, demo_db, "--as-of", "2018-06-01", "--within", "365")
    assert str(calendar["VERSION"]) == "2.0"
    assert "startups" in str(calendar["PRODID"])
    events = list(calendar.walk("VEVENT"))
    starts = [e.decoded("DTSTART") for e in events]
    assert starts == [dt.date(2018, 7, 3), dt.date(2018, 9, 1), dt.date(2018, 10, 1)]
    for event in events:
        start = event.decoded("DTSTART")
        assert type(start) is dt.date  # all-day: DTSTART;VALUE=DATE, not a datetime
        assert event.decoded("DTEND") == start + dt.timedelta(days=1)
        assert event.get("DTSTAMP") is not None
    uids = [str(e["UID"]) for e in events]
    assert uids == [
        "convention-1-renewal@startups.beta.gouv.fr",
        "deadline-1@startups.beta.gouv.fr",
        "convention-1-end@startups.beta.gouv.fr",
    ]
    assert "Classe à 12" in str(events[1]["SUMMARY"])


def test_ics_uids_are_stable_across_runs_and_date_changes(run, demo_db):
    on = ("--as-of", "2018-06-01")
    first = {str(e["UID"]): e.decoded("DTSTART") for e in ics(run, demo_db, *on).walk("VEVENT")}
    second = {str(e["UID"]): e.decoded("DTSTART") for e in ics(run, demo_db, *on).walk("VEVENT")}
    assert first == second and len(first) == 5
    # An avenant moves the end of the 2018 convention: same events, new dates.
    store = open_store(str(demo_db), create=False)
    with store.session() as session:
        avenant = Convention(
            startup_id=1,
            kind="avenant",
            parent_id=1,
            title="Avenant n° 2",
            ends_on=dt.date(2018, 12, 31),
        )
        session.add(avenant)
        session.flush()
        session.add(
            ConventionParty(convention_id=avenant.id, name="DINSIC", signed_on=dt.date(2018, 5, 1))
        )
    store.dispose()
    moved = {str(e["UID"]): e.decoded("DTSTART") for e in ics(run, demo_db, *on).walk("VEVENT")}
    assert set(moved) == set(first)
    end = "convention-1-end@startups.beta.gouv.fr"
    assert (first[end], moved[end]) == (dt.date(2018, 10, 1), dt.date(2018, 12, 31))


def test_ics_of_nothing_is_still_a_calendar(run, demo_db):
    calendar = ics(run, demo_db, "--as-of", "2018-06-01", "--startup", "dossiersco")
    assert list(calendar.walk("VEVENT")) == []


def test_the_deadlines_path_imports_neither_textual_nor_sqlalchemy(demo_db):
    code = (
        "import sys, cli\n"
        f"rc = cli.main(['deadlines', '--db', {str(demo_db)!r}, '--as-of', '2018-06-01', '-f', 'json'])\n"
        f"rc |= cli.main(['deadlines', '--db', {str(demo_db)!r}, '--as-of', '2018-06-01'])\n"
        "heavy = sorted(m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'alembic', 'icalendar')"
        " if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    assert '"kind":"renewal"' in proc.stdout  # piped: compact JSON


def test_committees_are_in_the_agenda_never_overdue(run, demo_db):
    from sqlmodel import select

    from store.models import Event, Startup

    store = open_store(str(demo_db))
    with store.session() as s:
        sco = s.exec(select(Startup).where(Startup.slug == "dossiersco")).one()
        committee = Event(
            startup_id=sco.id, name="committee", date=dt.date(2018, 7, 10), comment="Poursuite"
        )
        s.add(committee)
        s.flush()
        committee_id = committee.id
        s.add(Event(startup_id=sco.id, name="committee", date=dt.date(2018, 5, 2)))
        s.add(Event(startup_id=sco.id, name="product_launch", date=dt.date(2018, 7, 1)))
    store.dispose()
    items = deadlines(run, demo_db, "--as-of", "2018-06-01", "--startup", "dossiersco")
    committees = [d for d in items if d["kind"] == "committee"]
    # The past committee (2 May) is not listed, and never overdue; launches are not deadlines.
    assert committees == [
        {
            "slug": "dossiersco",
            "date": "2018-07-10",
            "title": "Comité d'investissement (Poursuite)",
            "kind": "committee",
            "overdue": False,
            "id": None,
        }
    ]
    ics = run("deadlines", "--db", demo_db, "--as-of", "2018-06-01", "--format", "ics").out
    assert f"UID:event-{committee_id}@" in ics
    ref = f"event-{committee_id}"
    assert_one_line_error(run("deadline", "done", ref, "--db", demo_db), ref, "comité")


def test_conventions_are_loaded_as_the_report_loads_them(demo_db):
    """The agenda and the card read conventions through the report's statements: with the
    AE/CP amounts too (the CP rule needs them), for one startup or for all."""
    from store.facts import load_conventions
    from store.open import open_reader

    with open_reader(str(demo_db)) as reader:
        (sid,) = reader.rows("SELECT id FROM startup WHERE slug = 'classe-a-12'")[0]
        one = load_conventions(reader, [sid])
        every = load_conventions(reader)
    assert one[sid] == every[sid]
    scheduled = [c for c in one[sid] if c.schedule]
    assert [c.schedule for c in scheduled] == [((2020, 5_000_000, 5_000_000),)]
    assert [c.id for c in one[sid]] == sorted(c.id for c in one[sid])


def test_a_selection_reads_only_what_it_keeps_and_keeps_the_same(demo_db):
    # select_items does not read the done deadlines, the deadlines past its window, or
    # the conventions of startups with nothing ending in it; what it lists is what
    # filtering every item would list, on every day around the demo's events.
    from store.open import open_reader
    from store.queries.agenda import Selection, all_items, select_items

    selections = [
        Selection(),
        Selection(within=30),
        Selection(within=0),
        Selection(within=400),
        Selection(overdue_only=True),
        Selection(within=90, slug="classe-a-12"),
    ]
    with open_reader(str(demo_db)) as reader:
        ends = [r[0] for r in reader.rows("SELECT ends_on FROM convention") if r[0]]
        days = {dt.date(2018, 6, 1), dt.date(2019, 6, 1), dt.date(2021, 1, 1)}
        for end in map(dt.date.fromisoformat, map(str, ends)):
            for shift in (-91, -90, -89, -31, -30, -1, 0, 1):
                days.add(end + dt.timedelta(days=shift))
        for on in sorted(days):
            every = all_items(reader, on)
            for selection in selections:
                expected = [
                    i.ref
                    for i in every
                    if selection.keep(i, on) and selection.slug in (None, i.slug)
                ]
                assert [i.ref for i in select_items(reader, on, selection)] == expected, (
                    on,
                    selection,
                )


def test_a_window_past_the_calendar_is_no_window(run, demo_db):
    # --within 999999999 goes past year 9999: every upcoming deadline, not a crash.
    args = ("deadlines", "--db", demo_db, "--as-of", "2018-06-01", "-f", "json")
    huge = run(*args, "--within", "999999999")
    assert huge.code == 0, huge.err
    assert huge.json() == run(*args).json()


def test_derived_titles_in_english(run, demo_db):
    result = run(
        "--lang", "en", "deadlines", "--db", demo_db, "--format", "json", "--as-of", "2018-06-01"
    )
    assert result.code == 0, result.err
    titles = [(d["kind"], d["title"]) for d in result.json()["deadlines"]]
    assert ("convention_end", "End of the convention de service") in titles
    renewal = "Prepare the renewal of the convention de service (ends 2018-10-01)"
    assert ("renewal", renewal) in titles
    assert not any(title.startswith(("Fin de", "Préparer")) for _kind, title in titles)
    report = run(
        "--lang", "en", "report", "--db", demo_db, "--format", "json", "--as-of", "2018-09-15"
    )
    assert report.code == 0, report.err
    rows = {r["slug"]: r for r in report.json()["startups"]}
    assert rows["classe-a-12"]["next_deadline"]["title"] == "End of the convention de service"
