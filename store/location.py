"""Where the store is: ``--db PATH-or-URL``, else ``STARTUPS_DB``, else the user data directory.

Kept free of SQLAlchemy so that the read path (``startups report``) does not pay for it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import i18n
from store.errors import BadInput

_ = i18n.Domain("store").gettext

ENV_VAR = "STARTUPS_DB"
_URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_PASSWORD_RE = re.compile(r"^(?P<head>[^:/]+://[^:/@]*:)(?P<password>[^@]*)(?P<tail>@.*)$")
# A URL with a password anywhere in a text (an exception message that embeds the DSN).
_URL_IN_TEXT_RE = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s'\"]*:)[^@\s'\"]+(?=@)")
# A password given as an option of the URL: ?password=secret&… (libpq reads it too).
_QUERY_PASSWORD_RE = re.compile(r"(?P<head>[?&]password=)[^&#\s]*", re.IGNORECASE)
# libpq's keyword form: password=secret or password='se cret'.
_KEYWORD_PASSWORD_RE = re.compile(r"(?P<head>\bpassword\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)
# Bare ``postgresql://`` means psycopg2 to SQLAlchemy; startups ships psycopg 3.
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class StoreLocation:
    """A resolved store: a SQLite file (``path`` set) or any SQLAlchemy URL."""

    url: str
    path: Path | None = None

    @property
    def is_sqlite_file(self) -> bool:
        return self.path is not None

    @property
    def spec(self) -> str:
        """What ``resolve`` takes back to this very store: the file's path, or the URL."""
        return str(self.path) if self.path is not None else self.url

    def display(self) -> str:
        """How to name the store in a message: a path, or the URL with its password masked."""
        return str(self.path) if self.path is not None else mask_url(self.url)

    @property
    def password(self) -> str | None:
        if self.path is not None:
            return None
        m = _PASSWORD_RE.match(self.url)
        if m and m["password"]:
            return m["password"]
        q = re.search(r"[?&]password=([^&#\s]+)", self.url, re.IGNORECASE)
        return unquote(q[1]) if q else None

    def scrub(self, text: str) -> str:
        """``text`` (an error from a driver, say) with this store's password masked."""
        return scrub(text, self.password)


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("startups", appauthor=False) / "startups.db"


def resolve(db: str | None = None) -> StoreLocation:
    """Resolve ``--db`` (a path or a URL), else ``$STARTUPS_DB``, else the default file."""
    value = db or os.environ.get(ENV_VAR) or None
    if value is None:
        path = default_path()
        return StoreLocation(url=f"sqlite:///{path}", path=path)
    if _URL_RE.match(value):
        if value.startswith("sqlite+pysqlite://"):
            value = "sqlite://" + value[len("sqlite+pysqlite://") :]
        if value.startswith("sqlite:///") and len(value) > len("sqlite:///"):
            raw, _sep, options = value[len("sqlite:///") :].partition("?")
            if options:
                # Never silently ignored: a SQLite store is a file, opened as this program
                # opens it (read-only where a command only reads).
                raise BadInput(
                    _(
                        "{url}: options in a SQLite URL are not supported ({options}); give "
                        "the file's path"
                    ).format(url=mask_url(value), options=mask_url("?" + options)[1:])
                )
            path = Path(unquote(raw)).expanduser().absolute()
            if raw != ":memory:":
                return StoreLocation(url=f"sqlite:///{path}", path=path)
        if value.lower().startswith("sqlite"):
            raise BadInput(
                _(
                    "{url}: an in-memory or malformed SQLite URL keeps nothing; give a file "
                    "(a path, or sqlite:///PATH)"
                ).format(url=mask_url(value))
            )
        for scheme in _POSTGRES_SCHEMES:
            if value.startswith(scheme):
                value = "postgresql+psycopg://" + value[len(scheme) :]
        return StoreLocation(url=value, path=None)
    # A plain path is that file, whatever its characters ("a?b.db", "e%20f.db"): it is
    # never read as a URL (store.engine opens it by path).
    path = Path(value).expanduser().absolute()
    return StoreLocation(url=f"sqlite:///{path}", path=path)


def mask_url(url: str) -> str:
    """``postgresql://bob:secret@host/db`` → ``postgresql://bob:***@host/db``; a
    ``password=`` option of the URL is masked too."""
    m = _PASSWORD_RE.match(url)
    if m:
        url = f"{m['head']}***{m['tail']}"
    return _QUERY_PASSWORD_RE.sub(lambda q: f"{q['head']}***", url)


def scrub(text: str, *passwords: str | None) -> str:
    """Mask every URL password, ``password=…`` keyword and known password in ``text``."""
    text = _URL_IN_TEXT_RE.sub(lambda m: f"{m['head']}***", text)
    text = _KEYWORD_PASSWORD_RE.sub(lambda m: f"{m['head']}***", text)
    for password in passwords:
        for form in {password, unquote(password or "")}:
            if form and len(form) >= 3:
                text = text.replace(form, "***")
    return text
