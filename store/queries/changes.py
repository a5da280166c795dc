"""The audit log in a person's words: what was done, to what, which field, which value.

``startups log`` and the app's history both write an entry of ``store.queries.history``
with these, so that they say the same thing: the moment in local time, the French way
in French; the action and the table in words; each changed field by its label, not its
column name; amounts in euros, dates as people write them, codes (a decision, a kind, a
status) in words.  The JSON of ``log`` keeps the stored codes and values.
"""

from __future__ import annotations

import datetime as dt

import i18n
from i18n import N_
from store.fmt import day, eur
from store.queries.orders import status_label as order_status_label
from store.rules.text import visible
from store.rules.vocab import (
    DECISION_LABELS,
    convention_kind_label,
    deadline_kind_label,
    decision_label,
    line_kind_label,
    party_role_label,
    phase_label,
)

_ = i18n.Domain("store").gettext

SHORT = 40  # characters of a value shown at most (a long text is cut, with an ellipsis)
NOTHING = "∅"  # a value that was not set

ACTIONS = {
    "insert": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "restore": N_("restored"),
}
TABLES = {
    "organisation": N_("organisation"),
    "incubator": N_("incubator"),
    "startup": N_("startup"),
    "startup_sponsor": N_("sponsor of a startup"),
    "startup_incubator": N_("incubator of a startup"),
    "phase": N_("phase"),
    "event": N_("event"),
    "fast_promotion": N_("FAST promotion"),
    "fast_award": N_("FAST award"),
    "convention": N_("convention"),
    "convention_party": N_("party to a convention"),
    "schedule_line": N_("schedule line"),
    "deadline": N_("deadline"),
    "objective": N_("KPI"),
    "measurement": N_("KPI measurement"),
    "consumption_line": N_("consumption line"),
    "staffing_line": N_("staffing line"),
    "purchase_order": N_("purchase order"),
    "order_line": N_("order line"),
    "service_fait": N_("service fait"),
    "committee": N_("investment committee"),
    "committee_review": N_("committee review"),
    "store_meta": N_("setting"),
    "store": N_("store"),
}
# Each column a person may have changed, by its label (the others show their name).
FIELDS = {
    "title": N_("title"),
    "mission": N_("mission"),
    "description": N_("description"),
    "notes": N_("notes"),
    "kind": N_("kind"),
    "number": N_("number"),
    "parent_id": N_("amended convention"),
    "object": N_("purpose"),
    "signed_on": N_("signed on"),
    "starts_on": N_("start"),
    "ends_on": N_("end"),
    "start": N_("start"),
    "end": N_("end"),
    "ceiling_cents": N_("ceiling"),
    "programme": N_("programme"),
    "activite": N_("activity"),
    "domaine_fonctionnel": N_("functional area"),
    "centre_couts": N_("cost centre"),
    "service_executant": N_("executing service"),
    "centre_financier": N_("financial centre"),
    "date": N_("date"),
    "amount_cents": N_("amount"),
    "label": N_("label"),
    "category": N_("category"),
    "convention_id": N_("convention"),
    "counted_convention_id": N_("counted against"),
    "order_id": N_("purchase order"),
    "done": N_("done"),
    "done_on": N_("done on"),
    "metric": N_("KPI"),
    "unit": N_("unit"),
    "target": N_("target"),
    "target_date": N_("target date"),
    "direction": N_("direction"),
    "value": N_("value"),
    "note": N_("note"),
    "ej": N_("EJ"),
    "supplier": N_("supplier"),
    "expected_on": N_("expected delivery"),
    "status": N_("status"),
    "role": N_("role"),
    "headcount": N_("headcount"),
    "daily_rate_cents": N_("daily rate"),
    "requested_cents": N_("envelope requested"),
    "requested_team": N_("team requested"),
    "decision": N_("decision"),
    "provisional_months": N_("provisional months"),
    "granted_cents": N_("envelope granted"),
    "comment": N_("comment"),
    "name": N_("name"),
    "short_name": N_("short name"),
    "representative": N_("representative"),
    "representative_title": N_("representative's title"),
    "year": N_("year"),
    "ae_cents": N_("AE"),
    "cp_cents": N_("CP"),
    "units": N_("units"),
    "unit_price_cents": N_("unit price"),
    "incubator_id": N_("incubator"),
    "link": N_("website"),
    "repository": N_("code repository"),
    "contact": N_("contact"),
    "budget_url": N_("budget page"),
}
DIRECTIONS = {"at_least": N_("at least the target"), "at_most": N_("at most the target")}
DAYS = frozenset(
    {"date", "signed_on", "starts_on", "ends_on", "start", "end", "done_on"}
    | {"target_date", "expected_on"}
)


def local_time(at: str) -> dt.datetime | None:
    """An entry's moment (UTC, ISO) in the local time zone; None if unreadable."""
    try:
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone()


def moment_words(at: str) -> str:
    """When, in local time: 14/09/2018 10:30:00 in French, 2018-09-14 10:30:00 in English."""
    moment = local_time(at)
    if moment is None:
        return visible(at).replace("T", " ").removesuffix("Z")
    return f"{day(moment.date())} {moment:%H:%M:%S}"


def action_words(action: str) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else visible(action)


def table_words(table: str) -> str:
    return _(TABLES[table]) if table in TABLES else visible(table)


def field_words(field: str) -> str:
    return _(FIELDS[field]) if field in FIELDS else visible(field)


def short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def value_words(table: str, field: str, value: object) -> str:
    """A stored value as a person reads it, cut at ``SHORT`` characters."""
    if value is None or value == "":
        return NOTHING
    if field.endswith("_cents") and isinstance(value, int) and not isinstance(value, bool):
        return eur(value, decimals=value % 100 != 0)
    if isinstance(value, bool) or (field == "done" and value in (0, 1)):
        return _("yes") if value else _("no")
    if field in DAYS and isinstance(value, str):
        try:
            return day(dt.date.fromisoformat(value[:10]))
        except ValueError:
            pass
    if isinstance(value, str):
        words = _code_words(table, field, value)
        # A code without words reads as itself: then it is shown as any stored text.
        if words is not None and words != value:
            return words
    return short(visible(value))


def _code_words(table: str, field: str, code: str) -> str | None:
    if field == "decision" and code in DECISION_LABELS:
        return decision_label(code)
    if field == "direction" and code in DIRECTIONS:
        return _(DIRECTIONS[code])
    if field == "kind":
        label = {
            "convention": convention_kind_label,
            "consumption_line": line_kind_label,
            "deadline": deadline_kind_label,
        }.get(table)
        return None if label is None else label(code)
    if field == "status" and table == "purchase_order":
        return order_status_label(code)
    if field == "role" and table == "convention_party":
        return party_role_label(code)
    if field == "name" and table == "phase":
        return phase_label(code)
    return None


def change_words(table: str, field: str, before: object, after: object) -> str:
    """One field's change: « montant : 1 000 € → 1 200 € »."""
    return _("{field}: {before} → {after}").format(
        field=field_words(field),
        before=value_words(table, field, before),
        after=value_words(table, field, after),
    )
