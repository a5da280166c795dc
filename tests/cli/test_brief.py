"""`startups brief`: one page per startup for the investment committee."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlmodel import select

import i18n
from store import models as m
from store.fmt import eur
from store.open import open_store
from store.rules.vocab import phase_label

DAY = "2018-12-31"


def _committee(run, db, *slugs, day="2019-01-20"):
    args = [a for s in slugs for a in ("--startup", s)]
    assert run("committee", "add", day, *args, "--db", db).code == 0


def test_every_figure_is_the_cards(run, demo_db):
    _committee(run, demo_db, "dossiersco")
    run("committee", "decide", "2019-01-20", "dossiersco", "--decision", "six_months",
        "--granted", "150 000", "--requested", "180 000", "--db", demo_db)  # fmt: skip
    card = run("show", "dossiersco", "--db", demo_db, "--as-of", DAY, "--format", "json").json()
    result = run("brief", "dossiersco", "--db", demo_db, "--as-of", DAY)
    assert result.code == 0, result.err
    page = result.out
    assert page.startswith("# DossierSCO — comité d’investissement du 20/01/2019\n")
    a = card["assessment"]
    # Money per convention in force: ceiling, engagé, reste, end, as the card says them.
    (root,) = [c for c in card["conventions"] if c["status"] == "in_force"]
    row = (
        f"| #{root['id']} {root['title']} | {eur(root['ceiling_on_cents'])} | "
        f"{eur(root['consumed_cents'])} | {eur(root['paid_cents'])} | "
        f"{eur(root['ceiling_on_cents'] - root['consumed_cents'])} | "
        f"{eur(root['consumed_cents'] - root['paid_cents'])} | "
        f"{root['ends_on_effective'] or 'inconnue'} |"
    )
    assert row in page
    assert (
        f"Engagé (AE) : {eur(a['consumed_cents'])} ; reste à engager : {eur(a['remaining_cents'])}"
        in page
    )
    assert f"Enveloppe en vigueur : {eur(a['envelope_cents'])}" in page
    # The phases begun by the day, in the card's order, the current one marked.
    phases = [
        line
        for line in page.splitlines()
        if re.match(r"\| (investigation|construction|abandon)", line)
    ]
    assert [p.split(" | ")[0][2:] for p in phases] == [
        phase_label(p["name"]) + (" ←" if p["current"] else "")
        for p in card["phases"]
        if p["start"] is None or p["start"] <= DAY
    ]
    # KPIs: target and latest measure.
    assert (
        "| Collèges utilisateurs | ≥ 100 collèges au 02/09/2019 | 4 collèges (03/09/2018) | — |"
        in page
    )
    # The request beside the current rate, and the decision.
    assert "| Demandé par l’équipe | 180\u202f000\xa0€ |" in page
    assert "- Décision : six mois financés" in page
    assert "- Accordé : 150\u202f000\xa0€" in page


def test_the_html_chart_draws_the_burn_series(run, demo_db):
    burn = run("burn", "dossiersco", "--db", demo_db, "--as-of", DAY, "--format", "json").json()
    result = run("brief", "dossiersco", "--db", demo_db, "--as-of", DAY, "--format", "html")
    assert result.code == 0, result.err
    page = result.out
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    months = json.loads(_unescape(re.search(r'data-months="([^"]*)"', page)[1]))
    assert months == [p["month"] for p in burn["series"]]
    for key in ("envelope_eur", "consumed_eur", "paid_eur", "remaining_eur", "projected_eur"):
        found = re.search(rf'<polyline class="{key}"[^>]* data-values="([^"]*)"', page)
        assert json.loads(_unescape(found[1])) == [p[key] for p in burn["series"]], key
    assert len(burn["series"]) > 1


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_data_is_text_never_markup(run, demo_db):
    store = open_store(str(demo_db))
    with store.session() as s:
        st = s.exec(select(m.Startup).where(m.Startup.slug == "dossiersco")).one()
        st.title = '<script>alert("x")</script> *gras* | \x1b[31m'
        st.mission = "# pas un titre"
    store.dispose()
    page = run("brief", "dossiersco", "--db", demo_db, "--as-of", DAY, "--format", "html").out
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "\x1b" not in page
    text = run("brief", "dossiersco", "--db", demo_db, "--as-of", DAY).out
    assert "<script>" not in text and "\\*gras\\*" in text and "\\|" in text
    assert "\x1b" not in text
    assert "\n\\# pas un titre\n" in text


def test_a_committee_alone_gives_every_startup_it_reviews(run, demo_db, tmp_path):
    _committee(run, demo_db, "dossiersco", "classe-a-12")
    out = tmp_path / "comite.md"
    result = run("brief", "--committee", "2019-01-20", "--db", demo_db, "--as-of", DAY,
                 "--output", out)  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == ""
    pages = out.read_text(encoding="utf-8").split("\n---\n")
    assert [p.strip().splitlines()[0] for p in pages] == [
        "# Classe à 12 — comité d’investissement du 20/01/2019",
        "# DossierSCO — comité d’investissement du 20/01/2019",
    ]
    html_out = tmp_path / "comite.html"
    run("brief", "--committee", "2019-01-20", "--db", demo_db, "--as-of", DAY,
        "--format", "html", "--output", html_out)  # fmt: skip
    assert html_out.read_text(encoding="utf-8").count('<section class="brief">') == 2


def test_brief_errors_and_english(run, demo_db, tmp_path):
    result = run("brief", "--db", demo_db)
    assert result.code == 2 and "indiquez une startup" in result.err
    result = run("brief", "--committee", "2030-01-01", "--db", demo_db)
    assert result.code == 2 and "aucun comité" in result.err
    result = run("brief", "dossiersco", "--db", demo_db, "--output", tmp_path / "no" / "x.md")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "no").exists()
    i18n.use("en")
    result = run("--lang", "en", "brief", "dossiersco", "--db", demo_db, "--as-of", DAY)
    assert result.code == 0, result.err
    assert "## Money per convention in force" in result.out


def test_the_svg_is_well_formed(run, demo_db):
    import xml.etree.ElementTree as ET

    page = run("brief", "dossiersco", "--db", demo_db, "--as-of", DAY, "--format", "html").out
    svg = ET.fromstring(re.search(r"<svg .*?</svg>", page, re.S)[0])
    lines = svg.findall("{http://www.w3.org/2000/svg}polyline")
    assert [p.get("class") for p in lines] == [
        "envelope_eur", "consumed_eur", "paid_eur", "remaining_eur", "projected_eur"
    ]  # fmt: skip
    assert all(p.get("points") for p in lines if p.get("class") != "projected_eur")


def test_the_request_from_the_staffing_plan(run, demo_db):
    # One developer at 600 € a day, June to December 2018.  On 1 June 2018 the next six
    # months run from Saturday 2 June to Saturday 1 December: Monday 4 June to Friday
    # 30 November are 26 whole weeks, 130 working days: 130 × 600 € = 78 000 €.
    store = open_store(str(demo_db))
    with store.session() as s:
        st = s.exec(select(m.Startup).where(m.Startup.slug == "classe-a-12")).one()
        s.add(
            m.StaffingLine(
                startup_id=st.id, role="Développeur", headcount=1,
                starts_on=dt.date(2018, 6, 1), ends_on=dt.date(2018, 12, 31),
                daily_rate_cents=60_000,
            )
        )  # fmt: skip
    store.dispose()
    page = run("brief", "classe-a-12", "--db", demo_db, "--as-of", "2018-06-01").out
    assert "| Plan d’équipe : effectif × TJM × 130 jours ouvrés | 78\u202f000\xa0€ |" in page
    assert "| Au rythme actuel d’engagement | 0\xa0€ |" in page
    # DossierSco's plan ended in September 2018: nothing planned for 2019.
    page = run("brief", "dossiersco", "--db", demo_db, "--as-of", DAY).out
    assert "aucun plan d’équipe sur la période" in page


def test_the_phases_are_those_known_on_the_day_each_ending_where_the_next_begins(run, demo_db):
    """Classe à 12: investigation, construction, accélération from 01/06/2018, abandon on
    09/02/2024 (beta.gouv.fr).  On 15/09/2018 the abandon is not known yet."""

    def phases(day: str) -> list[str]:
        result = run("brief", "classe-a-12", "--db", demo_db, "--as-of", day)
        assert result.code == 0, result.err
        table = result.out.split("## Phase et historique", 1)[1].split("##", 1)[0]
        return [
            line for line in table.splitlines() if line.startswith("| ") and "Phase" not in line
        ]

    assert phases("2018-09-15") == [
        "| investigation | 01/06/2018 | 01/06/2018 |",
        "| construction | 01/06/2018 | 01/06/2018 |",
        "| accélération ← | 01/06/2018 | — |",
    ]
    assert phases("2025-01-01")[-2:] == [
        "| accélération | 01/06/2018 | 09/02/2024 |",
        "| abandon ← | 09/02/2024 | — |",
    ]
