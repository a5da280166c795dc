"""Keep the French catalogs in step with the code: ``uv run python -m i18n.catalogs``.

For each domain (``i18n.DOMAINS``, and ``messages``: click's and typer's own strings,
read from the installed packages), babel extracts the marked messages, the French
``.po`` file is updated (new messages added untranslated, vanished ones dropped,
translations kept) and compiled to its ``.mo``.  Then translate what is new in the
``.po`` files and run it again.  ``--check`` changes nothing and says what is out of
step (a test runs it): a message with no translation, a ``.mo`` older than its ``.po``.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from i18n import CLICK_DOMAIN, DOMAINS, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "fr"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "N_": None,
}
METHODS = [("**.py", "python")]
PLURALS = "nplurals=2; plural=(n > 1);"


def sources(domain: str) -> list[Path]:
    """The folders and files a domain's messages are written in."""
    if domain == CLICK_DOMAIN:
        import click
        import typer

        return [Path(click.__file__).parent, Path(typer.__file__).parent]
    return [ROOT / path for path in DOMAINS[domain]]


def template(domain: str) -> Catalog:
    """Every message marked in a domain's sources."""
    catalog = Catalog(domain=domain, project="startups", charset="utf-8")
    for source in sources(domain):
        if source.is_dir():
            found = extract_from_dir(source, METHODS, keywords=KEYWORDS, comment_tags=("i18n:",))
            found = ((source / f, *rest) for f, *rest in found)
        else:
            found = (
                (source, *rest)
                for rest in extract_from_file(
                    "python", source, keywords=KEYWORDS, comment_tags=("i18n:",)
                )
            )
        for path, line, message, comments, context in found:
            # A package's own file by its name in the package (click/core.py).
            base = source.parent if domain == CLICK_DOMAIN else ROOT
            where = path.relative_to(base)
            catalog.add(
                message,
                locations=[(str(where), line)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def po_path(domain: str) -> Path:
    return LOCALE_DIR / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def read(domain: str) -> Catalog:
    path = po_path(domain)
    if not path.exists():
        catalog = Catalog(locale=LANGUAGE, domain=domain, project="startups")
        catalog.plural_forms  # noqa: B018 (babel fills it from the locale)
        return catalog
    with path.open("rb") as f:
        return read_po(f, locale=LANGUAGE, domain=domain)


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def untranslated(catalog: Catalog) -> list[str]:
    """The messages of a catalog with no translation (or only a fuzzy one)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def problems(domain: str) -> list[str]:
    """What is out of step for a domain (nothing when its catalog is complete and compiled)."""
    found = []
    po = read(domain)
    ids = {m.id for m in po if m.id}
    for message in template(domain):
        if message.id and message.id not in ids:
            first = message.id if isinstance(message.id, str) else message.id[0]
            found.append(f"{domain}: not in the catalog: {first!r}")
    found += [f"{domain}: not translated: {m!r}" for m in untranslated(po)]
    mo = po_path(domain).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != compiled(po):
        found.append(f"{domain}: {mo.relative_to(ROOT)} is not compiled from its .po")
    return found


def _header(po: Catalog, created) -> None:
    """The same header whenever it is written: no placeholders, no date churn."""
    po.project = "startups"
    po.version = ""
    po.copyright_holder = "the startups authors"
    po.msgid_bugs_address = ""
    po.last_translator = "the startups authors"
    po.language_team = "French"
    po.fuzzy = False
    po.header_comment = (
        "# French messages of startups (the code's English is the source).\n"
        "# Distributed under the same license as the startups project."
    )
    po.creation_date = po.revision_date = created


def update(domain: str) -> int:
    """Bring a domain's .po in step with the code, compile it; the untranslated count."""
    po = read(domain)
    created = po.creation_date
    po.update(template(domain), no_fuzzy_matching=True)
    _header(po, created)
    path = po_path(domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, po, width=100, omit_header=False, sort_by_file=False, include_previous=False)
    with path.open("rb") as f:  # as written: what the .mo is compiled from
        po = read_po(f, locale=LANGUAGE, domain=domain)
    path.with_suffix(".mo").write_bytes(compiled(po))
    return len(untranslated(po))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="say what is out of step")
    args = parser.parse_args(argv)
    domains = [*DOMAINS, CLICK_DOMAIN]
    if args.check:
        found = [p for d in domains for p in problems(d)]
        for line in found:
            print(line)
        return 1 if found else 0
    for domain in domains:
        left = update(domain)
        print(f"{po_path(domain).relative_to(ROOT)}: {left} message(s) to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
