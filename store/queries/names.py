"""The names a person can type on the command line: startups' slugs and titles, the
incubators and sponsors that startups have, the phases the store knows.  For checking a
filter (``report --phase``) and suggesting the nearest slug to a wrong one."""

from __future__ import annotations

from store.facts import Rows

SQL_STARTUPS = "SELECT slug, title FROM startup ORDER BY slug"
SQL_INCUBATORS = "SELECT slug FROM incubator ORDER BY slug"
SQL_SPONSORS = """
SELECT DISTINCT o.slug FROM organisation o JOIN startup_sponsor ss ON ss.organisation_id = o.id
ORDER BY o.slug
"""
SQL_PHASES = "SELECT DISTINCT name FROM phase ORDER BY name"


def startups(source: Rows) -> list[tuple[str, str]]:
    """Every startup's (slug, title), by slug."""
    return [(slug, title or "") for slug, title in source.rows(SQL_STARTUPS)]


def incubators(source: Rows) -> list[str]:
    return [slug for (slug,) in source.rows(SQL_INCUBATORS)]


def sponsors(source: Rows) -> list[str]:
    """The organisations that sponsor at least one startup."""
    return [slug for (slug,) in source.rows(SQL_SPONSORS)]


def phases(source: Rows) -> list[str]:
    """The phase codes the store's startups have had."""
    return [name for (name,) in source.rows(SQL_PHASES) if name]
