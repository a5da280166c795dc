"""The audit log: every change, by whom, before/after — whoever writes."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from store import models as m
from store.audit import current_actor, os_user, set_actor
from store.db import SessionRows
from store.errors import NotFound, ReadOnlyStore
from store.open import open_reader, open_store
from store.queries.history import entries, history


@pytest.fixture(autouse=True)
def _no_global_actor():
    set_actor(None)
    yield
    set_actor(None)


def _ceiling(store, slug_source: str, cents: int) -> None:
    with store.session() as s:
        c = s.exec(select(m.Convention).where(m.Convention.source == slug_source)).one()
        c.ceiling_cents = cents
        s.add(c)


def test_every_change_is_logged_with_before_and_after(demo_url):
    store = open_store(demo_url)
    store.actor = "camille"
    _ceiling(store, "demo:classe-a-12/convention-2018", 30_000_000)
    with store.session() as s:
        line = s.exec(select(m.ConsumptionLine).order_by(m.ConsumptionLine.id)).first()
        s.delete(line)
    with open_reader(demo_url) as reader:
        log = entries(reader, limit=2)
    store.dispose()
    deleted, updated = log
    assert (updated.action, updated.table, updated.actor) == ("update", "convention", "camille")
    assert updated.changes == {"ceiling_cents": [26_970_000, 30_000_000]}
    assert updated.startup == "classe-a-12"
    assert deleted.action == "delete" and deleted.table == "consumption_line"
    assert deleted.changes["amount_cents"] == [line.amount_cents, None]
    assert deleted.changes["date"] == [line.date.isoformat(), None]
    assert deleted.at.endswith("Z") and len(deleted.at) == 20


def test_history_of_a_startup_from_a_reader_or_a_session(demo_url):
    store = open_store(demo_url)
    _ceiling(store, "demo:dossiersco/avenant-2018-12", 21_000_000)
    with open_reader(demo_url) as reader:
        from_reader = history(reader, "dossiersco")
    with store.session() as s:
        from_session = history(SessionRows(s), "dossiersco")
    store.dispose()
    assert from_reader == from_session
    assert from_reader[0]["changes"] == {"ceiling_cents": [20_000_000, 21_000_000]}
    assert from_reader[0]["actor"] == os_user()
    assert {e["startup"] for e in from_reader} == {"dossiersco"}
    # Rows belonging to the startup through a convention or an objective count too.
    tables = {e["table"] for e in from_reader}
    assert {"convention_party", "measurement", "startup", "phase"} <= tables
    with open_reader(demo_url) as reader, pytest.raises(NotFound):
        history(reader, "nope")


def test_a_rolled_back_change_leaves_no_entry(engine_store):
    with pytest.raises(RuntimeError), engine_store.session() as s:
        s.add(m.Organisation(slug="x", name="X"))
        s.flush()
        raise RuntimeError("boom")
    with engine_store.session() as s:
        assert s.exec(select(m.AuditLog)).all() == []


def test_as_names_the_actor_and_log_lists(run, tmp_path):
    db = tmp_path / "s.db"
    assert run("--as", "Dominique", "demo", "--db", db, "--no-tui").code == 0
    result = run("log", "classe-a-12", "--db", db, "--limit", "3", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["schema"] == "startups.log/1"
    assert len(data["entries"]) == 3
    assert {e["actor"] for e in data["entries"]} == {"Dominique"}
    assert {e["startup"] for e in data["entries"]} == {"classe-a-12"}
    text = run("log", "--db", db, "--limit", "2")
    assert text.code == 0
    lines = text.out.splitlines()
    assert len(lines) == 2 and all("Dominique  création " in line for line in lines)
    unknown = run("log", "nope", "--db", db)
    assert unknown.code == 2 and "nope" in unknown.err


def test_the_os_user_by_default():
    assert current_actor() == os_user() != ""
    set_actor("  ")
    assert current_actor() == os_user()


def test_a_read_only_store_refuses_writes(demo_url):
    before = json.dumps(_all(demo_url), default=str)
    store = open_store(demo_url, read_only=True)
    with store.session() as s:  # reading is fine
        assert s.exec(select(m.Startup)).all()
    with pytest.raises(ReadOnlyStore, match="lecture seule"), store.session() as s:
        s.add(m.Organisation(slug="x", name="X"))
    with pytest.raises(ReadOnlyStore), store.session() as s:
        startup = s.exec(select(m.Startup)).first()
        startup.notes = "edited"
        s.add(startup)
    store.dispose()
    assert json.dumps(_all(demo_url), default=str) == before


def _all(url: str) -> dict:
    from store.export import export_data

    store = open_store(url, read_only=True)
    try:
        return export_data(store)
    finally:
        store.dispose()


def test_bulk_orm_statements_are_logged_too(engine_store):
    from sqlalchemy import insert, update

    with engine_store.session() as s:
        startup = m.Startup(slug="s", title="S")
        s.add(startup)
        s.flush()
        s.execute(
            insert(m.Phase),
            [
                {"startup_id": startup.id, "name": "investigation"},
                {"startup_id": startup.id, "name": "construction"},
            ],
        )
        s.execute(update(m.Phase).where(m.Phase.name == "construction").values(comment="x"))
    with engine_store.session() as s:
        log = entries(SessionRows(s))
        mine = entries(SessionRows(s), "s")
    assert [(e.action, e.table) for e in log] == [
        ("update", "phase"),
        ("insert", "phase"),
        ("insert", "phase"),
        ("insert", "startup"),
    ]
    assert log[1].changes["name"] == [None, "construction"]
    # A bulk UPDATE … WHERE: what it set and where, but not which startup it touched.
    assert log[0].changes == {"comment": [None, "x"]} and "phase.name" in log[0].label
    assert log[0].row_id == "*"
    assert [(e.action, e.table) for e in mine] == [(e.action, e.table) for e in log[1:]]
