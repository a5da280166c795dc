"""Investment committees in the store: recorded by people, or from beta.gouv.fr's events."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from store import models as m
from store.errors import BadInput, NotFound
from store.open import open_store
from store.ops.committee import add_committee, decide
from tests.store.test_betagouv import dump, query

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
D = dt.date


def _checkout(root: Path, events: str) -> Path:
    shutil.copytree(FIXTURES / "betagouv" / "content", root / "content")
    page = root / "content" / "_startups" / "dossiersco.md"
    text = page.read_text()
    assert "events:\n  - name: end\n" in text
    page.write_text(text.replace("events:\n", "events:\n" + events, 1))
    return root


EVENTS = (
    "  - name: committee\n    date: 2018-05-02\n    comment: Comité de fin d'investigation\n"
    "  - name: committee\n    date: 2019-01-15\n"
)


def test_committee_events_become_committees_and_reimport_changes_nothing(run, tmp_path, db_path):
    checkout = _checkout(tmp_path / "bg", EVENTS)
    assert run("import", "betagouv", checkout, "--db", db_path).code == 0
    rows = query(
        db_path,
        "SELECT c.date, s.slug, r.decision, r.comment, r.source FROM committee_review r "
        "JOIN committee c ON c.id = r.committee_id JOIN startup s ON s.id = r.startup_id "
        "ORDER BY c.date",
    )
    assert rows == [
        ("2018-05-02", "dossiersco", "undecided", "Comité de fin d'investigation", "betagouv"),
        ("2019-01-15", "dossiersco", "undecided", None, "betagouv"),
    ]
    before = dump(db_path)
    assert run("import", "betagouv", checkout, "--db", db_path).code == 0
    assert dump(db_path) == before


def test_an_event_gone_upstream_keeps_a_decision_people_recorded(run, tmp_path, db_path):
    checkout = _checkout(tmp_path / "bg", EVENTS)
    assert run("import", "betagouv", checkout, "--db", db_path).code == 0
    store = open_store(str(db_path))
    with store.session() as s:
        decide(s, D(2018, 5, 2), "dossiersco", decision="six_months", granted_cents=20_000_000)
    store.dispose()
    page = checkout / "content" / "_startups" / "dossiersco.md"
    page.write_text(page.read_text().replace(EVENTS, ""))
    assert run("import", "betagouv", checkout, "--db", db_path).code == 0
    assert query(
        db_path,
        "SELECT c.date, r.decision, r.granted_cents FROM committee_review r "
        "JOIN committee c ON c.id = r.committee_id",
    ) == [("2018-05-02", "six_months", 20_000_000)]
    assert query(db_path, "SELECT date FROM committee") == [("2018-05-02",)]


def test_add_and_decide(demo_url):
    store = open_store(demo_url)
    with store.session() as s:
        committee, added = add_committee(
            s, D(2018, 9, 20), ["classe-a-12", "dossiersco"], comment="Comité de rentrée"
        )
        assert added == 2
        _, again = add_committee(s, D(2018, 9, 20), ["dossiersco"])
        assert again == 0
        conv = s.exec(select(m.Convention).join(m.Startup).where(m.Startup.slug == "classe-a-12"))
        cid = conv.first().id
        review = decide(
            s,
            D(2018, 9, 20),
            "classe-a-12",
            decision="provisional",
            months=2,
            granted_cents=8_000_000,
            convention_id=cid,
        )
        assert (review.decision, review.provisional_months, review.convention_id) == (
            "provisional",
            2,
            cid,
        )
        assert committee.comment == "Comité de rentrée"
    store.dispose()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"decision": "maybe"}, BadInput),
        ({"decision": "provisional", "months": 3}, BadInput),
        ({"decision": "six_months", "months": 2}, BadInput),
        ({"decision": "stop", "granted_cents": 100}, BadInput),
        ({"decision": "six_months", "convention_id": 999_999}, NotFound),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_written(demo_url, kwargs, error):
    store = open_store(demo_url)
    with store.session() as s:
        add_committee(s, D(2018, 9, 20), ["dossiersco"])
    with pytest.raises(error), store.session() as s:
        decide(s, D(2018, 9, 20), "dossiersco", **kwargs)
    with store.session() as s:
        review = s.exec(select(m.CommitteeReview)).one()
        assert review.decision == "undecided"
    store.dispose()


def test_a_decision_needs_its_committee(demo_url):
    store = open_store(demo_url)
    with pytest.raises(NotFound), store.session() as s:
        decide(s, D(2030, 1, 1), "dossiersco", decision="stop")
    store.dispose()
