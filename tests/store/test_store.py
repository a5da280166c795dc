"""The store: tables, migrations, upgrades, location and SQLite settings."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from store import models as m
from store.engine import MIGRATIONS, alembic_config
from store.errors import NotAStore, StartupsError, StoreMissing
from store.location import mask_url, resolve
from store.open import open_store
from store.schema import HEAD, REVISIONS, SchemaState, sqlite_state


def test_head_constant_matches_the_migrations():
    with create_engine("sqlite://").connect() as connection:
        script = ScriptDirectory.from_config(alembic_config(connection))
    assert script.get_current_head() == HEAD
    assert [r.revision for r in reversed(list(script.walk_revisions()))] == list(REVISIONS)


# SQLite's indexes on an expression cannot be reflected, so not compared: checked below.
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def _same_type(context, inspected, metadata, inspected_type, metadata_type):
    """SQLite has one integer type (64 bits): INTEGER and BIGINT are the same there."""
    if context.dialect.name == "sqlite" and {
        type(inspected_type).__name__.upper(),
        type(metadata_type).__name__.upper(),
    } <= {"INTEGER", "BIGINTEGER", "BIGINT"}:
        return False
    return None  # the default comparison


def test_models_and_migrations_agree(engine_store):
    with engine_store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": _same_type})
        assert compare_metadata(context, SQLModel.metadata) == []
        names = {
            name
            for (name,) in connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'consumption_month'"
                if connection.dialect.name == "postgresql"
                else "SELECT name FROM sqlite_master WHERE tbl_name = 'consumption_month'"
            )
        }
    assert "ux_consumption_month_key" in names


def test_new_store_file_is_private(tmp_path):
    path = tmp_path / "new" / "dir" / "store.db"
    s = open_store(str(path))
    s.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sqlite_state(path) == (SchemaState.CURRENT, HEAD)


def test_sqlite_settings(store):
    with store.engine.connect() as c:
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_foreign_keys_are_enforced(engine_store):
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), engine_store.session() as s:
        s.add(m.Phase(startup_id=999, name="construction"))


def _one_of_everything(s) -> None:
    org = m.Organisation(
        slug="dgesco", name="DGESCO", acronym="DGESCO", type="administration-centrale"
    )
    s.add(org)
    s.flush()
    inc = m.Incubator(slug="dinum", title="DINUM", owner_id=org.id, website="https://beta.gouv.fr")
    s.add(inc)
    s.flush()
    st = m.Startup(
        slug="s", title="S", mission="M", incubator_id=inc.id, thematiques='["Education"]'
    )
    s.add(st)
    s.flush()
    s.add(m.StartupSponsor(startup_id=st.id, organisation_id=org.id))
    other = m.Incubator(slug="ademe", title="ADEME")
    s.add(other)
    s.flush()
    s.add(m.StartupIncubator(startup_id=st.id, incubator_id=other.id))
    s.add(m.Phase(startup_id=st.id, name="construction", start=dt.date(2018, 1, 1)))
    s.add(m.Event(startup_id=st.id, name="committee", date=dt.date(2018, 6, 1)))
    promo = m.FastPromotion(number=2, title="FAST 2", date=dt.date(2019, 11, 1))
    s.add(promo)
    s.flush()
    s.add(m.FastAward(startup_id=st.id, promotion_id=promo.id, amount_cents=5_000_000))
    conv = m.Convention(
        startup_id=st.id,
        kind="convention",
        signed_on=dt.date(2018, 4, 12),
        ends_on=dt.date(2018, 10, 1),
        ends_on_precision="day",
        ceiling_cents=26_970_000,
        programme="214",
        bop="0214-CEN2",
        source_sha256="ab" * 32,
    )
    s.add(conv)
    s.flush()
    av = m.Convention(startup_id=st.id, kind="avenant", number=1, parent_id=conv.id)
    s.add(av)
    s.flush()
    s.add(m.ConventionParty(convention_id=conv.id, name="MEN", role="délégant", signed_on=None))
    s.add(m.ScheduleLine(convention_id=conv.id, year=2020, ae_cents=1, cp_cents=2))
    s.add(m.Deadline(startup_id=st.id, convention_id=conv.id, date=dt.date(2018, 9, 1), title="v1"))
    obj = m.Objective(
        startup_id=st.id, metric="collèges", target=100, target_date=dt.date(2019, 9, 2)
    )
    s.add(obj)
    s.flush()
    s.add(m.Measurement(objective_id=obj.id, date=dt.date(2018, 9, 3), value=4))
    s.add(
        m.ConsumptionLine(
            startup_id=st.id,
            convention_id=conv.id,
            date=dt.date(2018, 6, 29),
            amount_cents=123,
            label="x",
        )
    )
    order = m.PurchaseOrder(
        startup_id=st.id, ej="1300000001", date=dt.date(2018, 6, 1), amount_cents=30_000
    )
    s.add(order)
    s.flush()
    s.add(m.OrderLine(order_id=order.id, label="jours", units=2, unit_price_cents=15_000))
    s.add(m.ServiceFait(order_id=order.id, date=dt.date(2018, 6, 15), amount_cents=30_000))
    s.add(
        m.ConsumptionLine(
            startup_id=st.id,
            order_id=order.id,
            date=dt.date(2018, 6, 30),
            amount_cents=30_000,
            label="facture",
        )
    )
    s.add(m.StaffingLine(startup_id=st.id, role="dev", headcount=2, daily_rate_cents=60_000))
    committee = m.Committee(date=dt.date(2018, 9, 15), comment="Comité de septembre")
    s.add(committee)
    s.flush()
    s.add(
        m.CommitteeReview(
            committee_id=committee.id,
            startup_id=st.id,
            requested_cents=30_000_000,
            decision="six_months",
            granted_cents=25_000_000,
            convention_id=conv.id,
        )
    )
    s.add(m.Meta(key="created", value="now"))
    from store.derived import reattribute

    reattribute(s, st.id)  # what every writer does after changing lines: fills the rollup


def test_round_trip_of_every_table(engine_url):
    s1 = open_store(engine_url)
    with s1.session() as s:
        _one_of_everything(s)
    s1.dispose()
    s2 = open_store(engine_url)
    with s2.session() as s:
        for table in m.ALL_TABLES:
            assert len(s.exec(select(table)).all()) >= 1, table.__tablename__
        conv = s.exec(select(m.Convention).where(m.Convention.kind == "convention")).one()
        assert conv.ceiling_cents == 26_970_000
        assert conv.signed_on == dt.date(2018, 4, 12)
        assert conv.starts_on is None  # unknown stays NULL
        party = s.exec(select(m.ConventionParty)).one()
        assert party.signed_on is None
        assert party.role == "délégant"
        assert s.exec(select(m.Measurement)).one().value == 4
    s2.dispose()


def test_a_failed_unit_of_work_writes_nothing(engine_store):
    with pytest.raises(RuntimeError), engine_store.session() as s:
        s.add(m.Organisation(slug="x", name="X"))
        s.flush()
        raise RuntimeError("boom")
    with engine_store.session() as s:
        assert s.exec(select(m.Organisation)).all() == []


def _store_at(path, revision: str) -> None:
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    engine.dispose()


def test_upgrade_of_an_older_store_keeps_data_and_a_backup(tmp_path):
    path = tmp_path / "old.db"
    _store_at(path, REVISIONS[0])
    con = sqlite3.connect(path)
    con.executescript(
        """
        INSERT INTO startup (id, slug, title, upstream_missing) VALUES (1, 's', 'S', 0);
        INSERT INTO convention (id, startup_id, kind, signed_on, ceiling_cents, placeholder)
            VALUES (1, 1, 'convention', '2018-04-12', 1000000, 0);
        INSERT INTO consumption_line (startup_id, date, amount_cents, kind, label)
            VALUES (1, '2018-06-01', 500, 'payment', 'x');
        """
    )
    con.commit()
    con.close()
    assert sqlite_state(path) == (SchemaState.OLD, REVISIONS[0])

    s = open_store(str(path))
    s.dispose()
    assert s.upgraded_from == REVISIONS[0]
    assert s.backup_path is not None and s.backup_path.exists()
    assert s.backup_path.parent == path.parent
    assert sqlite_state(s.backup_path) == (SchemaState.OLD, REVISIONS[0])
    assert sqlite_state(path) == (SchemaState.CURRENT, HEAD)
    con = sqlite3.connect(path)
    # The existing line was attributed by the rules during the upgrade.
    assert con.execute("SELECT counted_convention_id FROM consumption_line").fetchall() == [(1,)]
    con.close()


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    open_store(str(path)).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(StartupsError, match="version plus récente"):
        open_store(str(path))


def test_not_a_store(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(NotAStore, match="pas une base SQLite"):
        open_store(str(junk))
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE foo (x)")
    con.commit()
    con.close()
    with pytest.raises(NotAStore, match="pas une base startups"):
        open_store(str(other))
    with pytest.raises(NotAStore, match="dossier"):
        open_store(str(tmp_path))


def test_missing_store_is_not_created_when_not_asked(tmp_path):
    with pytest.raises(StoreMissing):
        open_store(str(tmp_path / "nope.db"), create=False)
    assert not (tmp_path / "nope.db").exists()


def test_location_rules(tmp_path, monkeypatch):
    explicit = resolve(str(tmp_path / "a.db"))
    assert explicit.path == tmp_path / "a.db"
    assert explicit.url == f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("STARTUPS_DB", str(tmp_path / "env.db"))
    assert resolve(None).path == tmp_path / "env.db"
    assert resolve(str(tmp_path / "a.db")).path == tmp_path / "a.db"  # --db wins
    monkeypatch.delenv("STARTUPS_DB")
    default = resolve(None)
    assert default.path is not None
    assert default.path.name == "startups.db"
    assert str(default.path).startswith(os.environ["XDG_DATA_HOME"])
    pg = resolve("postgresql+psycopg://bob:s3cret@localhost/startups")
    assert pg.path is None
    assert "s3cret" not in pg.display()
    assert resolve(f"sqlite:///{tmp_path}/u.db").path == tmp_path / "u.db"


def test_mask_url():
    assert (
        mask_url("postgresql+psycopg://bob:pw@h:5432/db")
        == "postgresql+psycopg://bob:***@h:5432/db"
    )
    assert mask_url("postgresql://h/db") == "postgresql://h/db"
    assert mask_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_migrations_folder_is_packaged():
    assert (MIGRATIONS / "env.py").exists()
    assert (MIGRATIONS / "script.py.mako").exists()


def test_reattribute_tells_the_session_what_it_wrote(engine_url):
    # The attribution is written by plain UPDATEs: a line loaded in the same session
    # sees its new convention and version, and can still be edited (no stale version).
    from store.derived import reattribute

    store = open_store(engine_url)
    try:
        with store.session() as s:
            st = m.Startup(slug="s", title="S")
            s.add(st)
            s.flush()
            line = m.ConsumptionLine(
                startup_id=st.id, date=dt.date(2018, 6, 1), amount_cents=500, label="x"
            )
            s.add(line)
            reattribute(s, st.id)
            assert line.counted_convention_id is None and line.version == 1
            conv = m.Convention(
                startup_id=st.id, signed_on=dt.date(2018, 4, 12), ceiling_cents=10_000_00
            )
            s.add(conv)
            s.flush()
            assert reattribute(s, st.id) == 1
            assert (line.counted_convention_id, line.version) == (conv.id, 2)
            line.label = "edited after"  # an ORM update checks the version it holds
            s.flush()
            assert line.version == 3
        with store.session() as s:
            (row,) = s.exec(select(m.ConsumptionLine)).all()
            assert (row.counted_convention_id, row.version, row.label) == (
                conv.id,
                3,
                "edited after",
            )
    finally:
        store.dispose()
