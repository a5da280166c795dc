"""The language people read: French by default, English on request.

Every message is written in English in the code and marked for translation, ``_("…")``
or ``ngettext("…", "…", n)``; the French comes from gettext catalogs, one per room of the
code (its *domain*): ``cli`` (the command line: ``cli.py``, ``commands/``), ``app``
(``tui/``) and ``store`` (``store/``), plus ``messages``, the domain of click's and
typer's own strings ("Usage:", "No such option").  The catalogs sit in
``i18n/locale/fr/LC_MESSAGES/``: the ``.po`` files people edit, the ``.mo`` files
babel compiles from them (``python -m i18n.catalogs`` extracts, updates and compiles;
a test fails when a message has no translation or a ``.mo`` is stale).

The language is chosen once per run, before the commands and screens are imported
(their help texts and labels are read at import): ``--lang en`` on the command line,
else ``STARTUPS_LANG``, else the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that
names English or French (``en_GB.UTF-8``); French otherwise.  Machine formats never
change with it: JSON keys, alert codes, CSV column names, ISO dates.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("fr", "en")
DEFAULT = "fr"
# Where each domain's messages are written (for extraction): paths from the project's root.
DOMAINS: dict[str, tuple[str, ...]] = {
    "cli": ("cli.py", "commands"),
    "app": ("tui",),
    "store": ("store",),
}
# click's and typer's own messages: gettext's default domain, which they translate with.
CLICK_DOMAIN = "messages"

_language = DEFAULT
_catalogs: dict[tuple[str, str], _gettext.NullTranslations] = {}


def language_of(value: str | None) -> str | None:
    """``fr``, ``en``, or None, for a language setting: ``en``, ``fr_FR.UTF-8``, ``EN``."""
    if not value:
        return None
    code = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def choose(argv: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> str:
    """The language of a run: ``--lang X`` (or ``--lang=X``) among ``argv``, else
    ``STARTUPS_LANG``, else the locale's (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
    French.  An unknown ``--lang`` is left for the command line to refuse."""
    environ = os.environ if environ is None else environ
    words = list(argv)
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(words):
            return language_of(words[i + 1]) or DEFAULT
        if word.startswith("--lang="):
            return language_of(word.split("=", 1)[1]) or DEFAULT
    chosen = language_of(environ.get("STARTUPS_LANG"))
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:  # the first one set decides, as the C library reads them
            return language_of(value) or DEFAULT
    return DEFAULT


def use(language: str) -> None:
    """Read every message in ``language`` from now on (click's and typer's too)."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _language = language
    # click and typer call gettext.gettext: the default domain, in the language that
    # LANGUAGE names first.  (Child processes inherit it: harmless, and consistent.)
    os.environ["LANGUAGE"] = language
    _gettext.bindtextdomain(CLICK_DOMAIN, str(LOCALE_DIR))


def current() -> str:
    return _language


def catalog(domain: str, language: str | None = None) -> _gettext.NullTranslations:
    """The compiled catalog of a domain in a language (English: the messages as written)."""
    language = language or _language
    key = (domain, language)
    found = _catalogs.get(key)
    if found is None:
        found = _catalogs[key] = _gettext.translation(
            domain, localedir=str(LOCALE_DIR), languages=[language], fallback=True
        )
    return found


class Domain:
    """The messages of one room of the code: ``_ = Domain("cli").gettext``.

    Looked up when called, in the language of the moment: a message translated at
    import (a help text) is in the language chosen before the import."""

    def __init__(self, name: str):
        self.name = name

    def gettext(self, message: str) -> str:
        return catalog(self.name).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return catalog(self.name).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return catalog(self.name).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for extraction without translating it (translated where shown)."""
    return message
