"""The language people read: chosen once per run, French unless asked, from catalogs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import i18n
from cli import without_lang
from i18n import catalogs

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ((), {}, "fr"),
        ((), {"LANG": "C.UTF-8"}, "fr"),
        ((), {"LANG": "en_GB.UTF-8"}, "en"),
        ((), {"LANG": "fr_FR.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ((), {"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, "fr"),  # the first one set decides
        ((), {"STARTUPS_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"),
        ((), {"STARTUPS_LANG": "fr", "LANG": "en_GB.UTF-8"}, "fr"),
        (("--lang", "en"), {"STARTUPS_LANG": "fr"}, "en"),
        (("report", "--lang=EN"), {}, "en"),
        (("--lang", "fr"), {"LANG": "en_GB.UTF-8"}, "fr"),
        (("--", "--lang", "en"), {}, "fr"),  # after --, words are arguments
        ((), {"LANGUAGE": "en"}, "fr"),  # gettext's own list is ours to set, not to read
    ],
)
def test_the_language_of_a_run(argv, environ, expected):
    assert i18n.choose(argv, environ) == expected


def test_lang_is_taken_anywhere_on_the_line_and_only_before_double_dash():
    assert without_lang(("report", "--lang", "en", "-f", "json")) == (
        ("report", "-f", "json"),
        "en",
    )
    assert without_lang(("--lang=fr", "show", "x")) == (("show", "x"), "fr")
    assert without_lang(("show", "--", "--lang", "en")) == (("show", "--", "--lang", "en"), None)


def test_every_catalog_is_complete_and_compiled():
    """Each marked message has its French, and each .mo is compiled from its .po."""
    found = [p for d in [*i18n.DOMAINS, i18n.CLICK_DOMAIN] for p in catalogs.problems(d)]
    assert found == [], "run `uv run python -m i18n.catalogs`, then translate:\n" + "\n".join(found)


def test_a_message_reads_in_the_language_of_the_moment():
    message = "--lang: {value!r} is not a language here (fr, en)"
    cli_messages = i18n.Domain("cli")
    i18n.use("en")
    assert cli_messages.gettext(message) == message
    i18n.use("fr")
    assert cli_messages.gettext(message) != message
    assert "langue" in cli_messages.gettext(message)


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("STARTUPS_LANG", "LANGUAGE")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import cli, sys; sys.exit(cli.entry())", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environ,
        check=False,
    )


def test_help_is_french_by_default_and_english_on_request():
    french = _run("--help", LANG="C.UTF-8")
    assert french.returncode == 0
    assert "Utilisation" in french.stdout and "Usage:" not in french.stdout
    english = _run("--lang", "en", "--help", LANG="C.UTF-8")
    assert english.returncode == 0
    assert "Usage:" in english.stdout and "Utilisation" not in english.stdout
    by_locale = _run("--help", LANG="en_GB.UTF-8")
    assert "Usage:" in by_locale.stdout


def test_an_unknown_language_is_one_line_and_status_2():
    result = _run("--lang", "de", "report", LANG="C.UTF-8")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "'de'" in lines[0] and "fr, en" in lines[0]
