"""Reading the audit log: who changed what and when (``startups log``, the app's history).

Plain SQL through a ``store.reader.Reader`` or a session (``store.db.SessionRows``);
returns plain data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import i18n
from store.errors import NotFound
from store.facts import Rows

_ = i18n.Domain("store").gettext


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor: str
    action: str
    table: str
    row_id: str | None
    startup: str | None
    label: str | None
    changes: dict[str, list[Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "table": self.table,
            "row_id": self.row_id,
            "startup": self.startup,
            "label": self.label,
            "changes": self.changes,
        }


_SELECT = """
SELECT a.id, a.at, a.actor, a.action, a.table_name, a.row_id, s.slug, a.label, a.changes
FROM audit_log a LEFT JOIN startup s ON s.id = a.startup_id
"""
SQL_ENTRIES = _SELECT + "ORDER BY a.id DESC LIMIT :limit"
SQL_STARTUP_ENTRIES = _SELECT + "WHERE a.startup_id = :startup_id ORDER BY a.id DESC LIMIT :limit"
SQL_STARTUP_ID = "SELECT id FROM startup WHERE slug = :slug"
# A startup deleted since: its id is still in the log's own entry for it.
SQL_DELETED_STARTUP_ID = """
SELECT startup_id FROM audit_log
WHERE table_name = 'startup' AND label = :slug
ORDER BY id DESC LIMIT 1
"""


def entries(source: Rows, slug: str | None = None, *, limit: int = 50) -> list[Entry]:
    """The latest changes, newest first (of one startup and its rows, given its slug)."""
    startup_id = None
    if slug is not None:
        found = source.rows(SQL_STARTUP_ID, slug=slug) or source.rows(
            SQL_DELETED_STARTUP_ID, slug=slug
        )
        if not found or found[0][0] is None:
            raise NotFound(_("no startup {slug!r} in the store or its history").format(slug=slug))
        startup_id = int(found[0][0])
    result = []
    if startup_id is None:
        found = source.rows(SQL_ENTRIES, limit=limit)
    else:
        found = source.rows(SQL_STARTUP_ENTRIES, startup_id=startup_id, limit=limit)
    for row in found:
        id_, at, actor, action, table, row_id, startup, label, changes = row
        result.append(
            Entry(
                id=id_,
                at=at,
                actor=actor,
                action=action,
                table=table,
                row_id=row_id,
                startup=startup,
                label=label,
                changes=json.loads(changes) if changes else {},
            )
        )
    return result


def history(source: Rows, slug: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """A startup's history for the app: plain dicts, newest first."""
    return [e.to_dict() for e in entries(source, slug, limit=limit)]
