"""Hostile data for the output tests: escape sequences, bidi overrides and live markup.

Written straight into a store (as an old or forged store would hold it, past the
importers' cleaning), in every kind of field a face shows: titles, slugs, labels,
deadline titles, party names, evidence lines, KPI names.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from store import models as m
from store.derived import reattribute
from store.open import open_store

# OSC 52 writes the clipboard; an unterminated OSC swallows what follows; CSI 2J clears
# the screen; U+202E reverses the text after it; 0x9b is the 8-bit CSI.
OSC52 = "\x1b]52;c;cHduZWQ=\x07"
UNTERMINATED = "\x1b]0;title"
CLEAR = "\x1b[2J"
BIDI = "\u202e"
C1 = "\x9b31m"
MARKUP = "[bold red blink]rouge[/] [@click=app.screenshot('x.svg','/tmp')]Voir l'annexe[/]"
LINK = "[link=file:///etc/passwd]lien[/link]"
NASTY = f"Éval {OSC52}{MARKUP} {LINK} {CLEAR}{BIDI}fin{C1} {UNTERMINATED}"
SLUG = "hostile"

# What must show literally in every output meant for people.
LITERAL = ("[bold red blink]rouge[/]", "[@click=app.screenshot(", "[link=file:///etc/passwd]")
# What must never reach a terminal or a file meant for people.
ACTIVE = ("\x1b", "\x9b", "\u202e", "\x07")


def hostile_store(path: Path) -> Path:
    """A store with one startup whose every field a person reads is hostile."""
    store = open_store(str(path))
    with store.session() as s:
        org = m.Organisation(slug=f"org{OSC52}", name=NASTY)
        s.add(org)
        s.flush()
        startup = m.Startup(slug=SLUG, title=NASTY, mission=NASTY)
        s.add(startup)
        s.flush()
        s.add(m.StartupSponsor(startup_id=startup.id, organisation_id=org.id))
        s.add(
            m.Phase(startup_id=startup.id, name=f"construction{CLEAR}", start=dt.date(2018, 1, 1))
        )
        convention = m.Convention(
            startup_id=startup.id,
            title=NASTY,
            object=NASTY,
            signed_on=dt.date(2018, 1, 2),
            ends_on=dt.date(2018, 12, 31),
            ceiling_cents=10_000_000,
            source_file=f"conv{OSC52}.txt",
            evidence=json.dumps({"ceiling_eur": {"line": 3, "text": NASTY}}),
            programme=f"214{CLEAR}",
        )
        s.add(convention)
        s.flush()
        s.add(m.ConventionParty(convention_id=convention.id, name=NASTY, role="délégant"))
        s.add(
            m.Deadline(startup_id=startup.id, date=dt.date(2018, 6, 1), title=NASTY, kind="other")
        )
        s.add(
            m.ConsumptionLine(
                startup_id=startup.id,
                date=dt.date(2018, 3, 1),
                amount_cents=100_000,
                label=NASTY,
                kind="payment",
            )
        )
        objective = m.Objective(startup_id=startup.id, metric=NASTY, unit=f"u{OSC52}", target=10)
        s.add(objective)
        s.flush()
        s.add(m.Measurement(objective_id=objective.id, date=dt.date(2018, 4, 1), value=3))
        s.add(
            m.Event(
                startup_id=startup.id, name="committee", date=dt.date(2018, 7, 1), comment=NASTY
            )
        )
        reattribute(s, startup.id)
    store.dispose()
    return path


def assert_inert(output: str | bytes, *, literal: bool = True) -> None:
    """No control sequence can act; the markup shows as written (when ``literal``)."""
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    for active in ACTIVE:
        assert active not in text, (active, text[:400])
    if literal:
        flat = " ".join(text.split())
        for piece in LITERAL:
            assert piece in flat or piece in text, (piece, text[:2000])
