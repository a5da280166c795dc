"""Deadlines as an iCalendar feed (RFC 5545): one all-day event each, with a stable UID."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import i18n
from commands.render.text import visible
from store.queries.agenda import AgendaItem
from store.rules.vocab import DEADLINE_KIND_LABELS, alert_label

_ = i18n.Domain("cli").gettext


def feed(items: Sequence[AgendaItem], *, now: dt.datetime | None = None) -> bytes:
    from icalendar import Calendar, Event  # only --format ics pays for it

    stamp = now or dt.datetime.now(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//beta.gouv.fr//startups deadlines//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Deadlines of the startups d'État"))
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)  # a date: DTSTART;VALUE=DATE, an all-day event
        event.add("dtend", item.date + dt.timedelta(days=1))
        event.add("summary", visible(f"{item.startup_title} : {item.title}"))
        lines = [
            _("Startup: {slug}").format(slug=visible(item.slug)),
            _("Kind: {kind}").format(kind=DEADLINE_KIND_LABELS.get(item.kind, item.kind)),
        ]
        if item.id is not None:
            lines.append(_("Mark done: startups deadline done {id}").format(id=item.id))
        elif item.convention_id is not None:
            lines.append(_("Derived from convention {id}").format(id=item.convention_id))
        elif item.kind == "committee":
            lines.append(_("Committee written on the startup's beta.gouv.fr page"))
        if item.overdue:
            lines.append(alert_label("OVERDUE").upper())
        event.add("description", "\n".join(lines))
        event.add("categories", [item.kind])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
