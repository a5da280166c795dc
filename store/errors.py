"""The store's exceptions: every failure the CLI and the app show as one readable line."""

from __future__ import annotations

import re

import i18n
from i18n import N_

_ = i18n.Domain("store").gettext

# What a person calls each field a form or a command names (InvalidField.field is the
# key, for a form to show the error under the field; the message names the field by its
# label, in the language of the run).
FIELD_LABELS: dict[str, str] = {
    "amount": N_("amount"),
    "as_of": N_("day viewed"),
    "category": N_("category"),
    "ceiling": N_("ceiling"),
    "convention_id": N_("convention"),
    "date": N_("date"),
    "description": N_("description"),
    "direction": N_("direction"),
    "ends_on": N_("end date"),
    "kind": N_("kind"),
    "label": N_("label"),
    "metric": N_("KPI"),
    "note": N_("note"),
    "notes": N_("notes"),
    "number": N_("amendment number"),
    "object": N_("purpose"),
    "objective_id": N_("KPI"),
    "parent_id": N_("amended convention"),
    "schedule": N_("AE/CP schedule"),
    "signed_on": N_("signature date"),
    "source_file": N_("source document"),
    "starts_on": N_("start date"),
    "target": N_("target"),
    "target_date": N_("target date"),
    "title": N_("title"),
    "unit": N_("unit"),
    "value": N_("value"),
}
# The fields of a convention's party (``parties.0.name``: the first party's name).
PARTY_FIELD_LABELS: dict[str, str] = {
    "name": N_("name"),
    "role": N_("role"),
    "short_name": N_("short name"),
    "representative": N_("representative"),
    "signed_on": N_("signature date"),
}
_PARTY_FIELD = re.compile(r"parties\.(\d+)\.(\w+)")


def field_label(field: str) -> str:
    """``ends_on`` → ``date de fin``; ``parties.0.name`` → ``partie 1, nom``; any other
    name as it is."""
    if field in FIELD_LABELS:
        return _(FIELD_LABELS[field])
    if match := _PARTY_FIELD.fullmatch(field):
        part = PARTY_FIELD_LABELS.get(match[2])
        if part is not None:
            return _("party {number}, {field}").format(number=int(match[1]) + 1, field=_(part))
    return field


class StartupsError(Exception):
    """A failure of the work (exit status 1)."""

    exit_code = 1


class BadInput(StartupsError):
    """Bad usage or bad input: a wrong option, an unreadable file, a bad row (exit status 2)."""

    exit_code = 2


class NotAStore(BadInput):
    """The file exists but is not a `startups` store (or not a database at all)."""


class StoreMissing(BadInput):
    """No store at the given location, and the command does not create one."""


class NotFound(BadInput):
    """A startup, convention or deadline named on the command line does not exist."""


class Conflict(StartupsError):
    """A row was changed by someone else since it was read: nothing saved, reload (exit 1).

    Not bad input: the same edit succeeds once made on the current row.
    """


class StoreBusy(StartupsError):
    """Another program holds the store's write lock longer than we wait: try again (exit 1)."""


class ReadOnlyStore(StartupsError):
    """A write on a store opened read-only (``--read-only``, or a read-only file)."""


class InvalidField(BadInput):
    """A value the user typed is not acceptable; ``field`` names it (for a form to show it there)."""

    def __init__(self, field: str, message: str):
        super().__init__(_("{field}: {message}").format(field=field_label(field), message=message))
        self.field = field
        self.message = message
