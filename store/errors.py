"""The store's exceptions: every failure the CLI and the app show as one readable line."""

from __future__ import annotations


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
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
