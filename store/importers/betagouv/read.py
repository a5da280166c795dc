"""Import beta.gouv.fr's own data: organisations, incubators, startups, phases, FAST promotions.

beta.gouv.fr publishes its portfolio as Markdown files with a YAML front matter, in
``content/_organisations``, ``_incubators``, ``_startups``, ``_phases`` and ``_fasts``.
Reading is the first of two steps:

1. :func:`load_snapshot` reads every file into plain, frozen records (no database): the
   front matter is split by python-frontmatter and parsed by PyYAML (libyaml when present),
   dates are checked field by field, and a file that cannot be read (no front matter,
   broken YAML, impossible date, binary) becomes a :class:`BadFile` with a one-line reason
   while the rest is read.  The FAST promotion pages' bodies are Markdown or HTML: they are
   rendered by markdown-it and walked with the standard HTML parser to find the laureates.
2. ``store.importers.betagouv.write.write_snapshot`` writes those records in ONE transaction: upsert by slug
   (organisations, incubators, startups) and by number (FAST promotions); a startup's
   sponsors, phases and events, and the FAST awards, are replaced by what upstream says,
   but only on rows that beta.gouv.fr owns (``source == "betagouv"``).  Rows from elsewhere
   (the demo, local edits) and local data (conventions, consumption, deadlines, objectives,
   notes) are never rewritten or deleted.  A startup that disappeared upstream gets
   ``upstream_missing = True``; a sponsor, incubator or promotion referenced but not defined
   is created with ``placeholder = True`` (promotions: with no title).

Two schemas are read.  The current one (``phases:`` with start/end, ``sponsors:`` as
``/organisations/x``) and the pre-2020 one (a single ``status:`` with ``start:``/``end:``
and ``owner:`` as free text); :data:`OLD_STATUS_PHASES` maps the old statuses onto phases.
Phase names are kept exactly as written, unknown ones included.

``store.demo`` reads its bundled copies of these files through the same parse functions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

import i18n
from store.errors import BadInput
from store.importers.text import UTF8, decode
from store.rules.dates import check_plausible, parse_day
from store.rules.text import clean_text, fold_compact, fold_words
from store.rules.vocab import MONTH_WORDS

_ = i18n.Domain("store").gettext

SOURCE = "betagouv"
KINDS = ("_organisations", "_incubators", "_startups", "_fasts", "_phases")
MARKDOWN_SUFFIXES = (".md", ".markdown")

# The pre-2020 schema's single ``status:`` mapped onto today's phases.  The status is also
# kept, as written, in the phase's comment ("pre-2020 status: death"): nothing is lost.
OLD_STATUS_PHASES = {
    "investigation": "investigation",
    "construction": "construction",
    "acceleration": "acceleration",
    "success": "transfere",
    "alumni": "transfere",
    "death": "abandon",
}
OLD_ACTIVE = frozenset({"investigation", "construction", "acceleration"})


# --- records ---------------------------------------------------------------------------


class FileError(ValueError):
    """A file that cannot be read; the message is the one-line reason.

    ``at(field, reason)`` names the field too: the message is then ``field: reason``."""

    field: str | None = None
    reason: str = ""

    def __init__(self, message: str):
        super().__init__(message)
        self.reason = message

    @classmethod
    def at(cls, field: str, reason: str) -> FileError:
        error = cls(_("{field}: {reason}").format(field=field, reason=reason))
        error.field, error.reason = field, reason
        return error


@dataclass(frozen=True)
class BadFile:
    path: Path
    reason: str

    def __str__(self) -> str:
        return _("{file}: {reason}").format(file=self.path, reason=self.reason)


@dataclass(frozen=True)
class FieldWarning:
    """A defect of one field: the file is read without it (or with it cleaned)."""

    path: Path
    field: str
    reason: str

    def __str__(self) -> str:
        return _("{file}: {field}: {reason}").format(
            file=self.path, field=self.field, reason=self.reason
        )


# The defects of the file being read (a field dropped or cleaned), collected by
# ``_reading`` around each file.
_DEFECTS: ContextVar[list[tuple[str, str]] | None] = ContextVar("defects", default=None)


def _defect(field: str, reason: str) -> None:
    defects = _DEFECTS.get()
    if defects is None:  # read outside load_snapshot (the demo's own files): strict
        raise FileError.at(field, reason)
    defects.append((field, reason))


def _left_out(exc: FileError, where: str, what: str) -> None:
    """Say that a broken item is left out, naming its field as precisely as the error does."""
    message = str(exc)
    field, reason = exc.field, exc.reason
    if not field or not field.startswith(where):
        field, reason = where, message
    _defect(field, _("{reason}; {what}").format(reason=reason, what=what))


def _clean(value: str, field: str, *, multiline: bool = False) -> str:
    """A field's text without control characters (an escape sequence in a title would act
    on every terminal that shows it): removed, with a warning naming the field."""
    cleaned = clean_text(value, multiline=multiline)
    if cleaned != value.strip():
        _defect(field, _("control characters removed"))
    return cleaned


@dataclass(frozen=True)
class OrganisationRecord:
    slug: str
    name: str
    acronym: str | None = None
    type: str | None = None
    domaine_ministeriel: str | None = None


@dataclass(frozen=True)
class IncubatorRecord:
    slug: str
    title: str
    owner: str | None = None  # an organisation's slug
    contact: str | None = None
    address: str | None = None
    website: str | None = None
    github: str | None = None
    short_description: str | None = None


@dataclass(frozen=True)
class PhaseRecord:
    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    comment: str | None = None


@dataclass(frozen=True)
class EventRecord:
    name: str
    date: dt.date
    comment: str | None = None


@dataclass(frozen=True)
class FastRecord:
    """A startup's ``fast:`` entry: its promotion and amount (euros in the file, cents here)."""

    promotion: int
    amount_cents: int | None = None


@dataclass(frozen=True)
class StartupRecord:
    slug: str
    title: str
    mission: str | None = None
    description: str | None = None
    incubator: str | None = None  # an incubator's slug
    link: str | None = None
    repository: str | None = None
    contact: str | None = None
    budget_url: str | None = None
    dashlord_url: str | None = None
    accessibility_status: str | None = None
    thematiques: tuple[str, ...] = ()
    usertypes: tuple[str, ...] = ()
    sponsors: tuple[str, ...] = ()  # organisations' slugs, in the file's order
    # Co-incubation: the other incubators' slugs (``incubators:``), after the main one.
    incubators: tuple[str, ...] = ()
    owner: str | None = None  # pre-2020: the sponsor as free text
    phases: tuple[PhaseRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    fast: tuple[FastRecord, ...] = ()
    old_schema: bool = False


@dataclass(frozen=True)
class Laureate:
    """A laureate listed on a FAST promotion's page."""

    name: str
    slug: str | None = None  # when the entry links to beta.gouv.fr/startups/SLUG
    href: str | None = None
    amount_cents: int | None = None


@dataclass(frozen=True)
class PromotionRecord:
    number: int
    title: str | None = None
    date: dt.date | None = None
    laureates: tuple[Laureate, ...] = ()


@dataclass(frozen=True)
class PhaseDefinition:
    """An entry of ``_phases/``: the vocabulary (kept for reference, not stored)."""

    name: str
    label: str | None = None
    order: int | None = None


@dataclass
class Snapshot:
    root: Path
    organisations: dict[str, OrganisationRecord] = field(default_factory=dict)
    incubators: dict[str, IncubatorRecord] = field(default_factory=dict)
    startups: dict[str, StartupRecord] = field(default_factory=dict)
    promotions: dict[int, PromotionRecord] = field(default_factory=dict)
    phases: dict[str, PhaseDefinition] = field(default_factory=dict)
    bad: list[BadFile] = field(default_factory=list)
    # Defects of single fields: the file is read without them (``--strict`` refuses them).
    warnings: list[FieldWarning] = field(default_factory=list)
    # Slugs whose file exists but could not be read: never marked as gone upstream.
    unreadable_startups: set[str] = field(default_factory=set)
    has_startups_folder: bool = False


# --- reading a file --------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else Latin-1/Windows-1252 if sensible."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileError(_("cannot read it ({reason})").format(reason=exc.strerror)) from exc
    if b"\x00" in data:
        raise FileError(_("a binary file, not text"))
    text, encoding = decode(data)
    if encoding != UTF8 and (_CONTROL.search(text) or re.search(r"[\x80-\x9f]", text)):
        raise FileError(_("neither UTF-8 nor Latin-1 text (undecodable bytes)"))
    if _CONTROL.search(text):
        raise FileError(_("a binary file, not text (control characters)"))
    return text


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML with timestamps left as text: dates are checked field by field below."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split and parse a front matter; raise :class:`FileError` with a one-line reason."""
    from frontmatter.default_handlers import YAMLHandler

    handler = YAMLHandler()
    if not handler.detect(text):
        raise FileError(_("no front matter (the file must start with a '---' line)"))
    try:
        fm, body = handler.split(text)
    except ValueError:
        raise FileError(_("front matter not closed (no second '---' line)")) from None
    try:
        meta = yaml.load(fm, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "").split())
        if mark is not None:
            problem = _("line {line}: {problem}").format(line=mark.line + 1, problem=problem)
        raise FileError(_("broken YAML front matter ({problem})").format(problem=problem)) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        message = " ".join(str(exc).split())[:120]
        raise FileError(_("broken YAML front matter ({problem})").format(problem=message)) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FileError(_("front matter is {kind}, not a set of fields").format(kind=_kind(meta)))
    return meta, body


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("a single value")


def _text(meta: dict, key: str, where: str | None = None, *, multiline: bool = False) -> str | None:
    """A text field (one line unless ``multiline``), cleaned of control characters."""
    value = meta.get(key)
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, str):
        return _clean(value, where or key, multiline=multiline) or None
    if isinstance(value, int | float | dt.date):
        return str(value)
    raise FileError.at(where or key, _("expected text, found {kind}").format(kind=_kind(value)))


def _texts(meta: dict, key: str) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict | list):
            raise FileError.at(
                f"{key}[{i}]", _("expected text, found {kind}").format(kind=_kind(item))
            )
        if item is not None and str(item).strip():
            text = _clean(str(item), f"{key}[{i}]")
            if text:
                out.append(text)
    return tuple(out)


def parse_date(value: Any, where: str) -> dt.date | None:
    """A YAML date field (kept as text by the loader): ``None``, or a real calendar date
    in the years every date of the store can be in (``store.rules.dates.parse_day``:
    ISO or dd/mm/yyyy, a time part ignored)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    try:
        if isinstance(value, dt.date):
            return check_plausible(value)
        if not isinstance(value, str):
            raise ValueError(_("is not a date (expected dd/mm/yyyy or yyyy-mm-dd)"))
        return parse_day(value)
    except ValueError as exc:
        raise FileError.at(where, f"{str(value).strip()[:40]!r} {exc}") from None


def _euros_to_cents(value: Any, where: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FileError.at(where, _("{value} is not an amount").format(value=repr(value)))
    if isinstance(value, int | float):
        return round(value * 100)
    digits = re.sub(r"[\s\u202f\u00a0€]", "", str(value)).replace(",", ".")
    try:
        return round(float(digits) * 100)
    except ValueError:
        raise FileError.at(
            where, _("{value} is not an amount").format(value=repr(str(value)[:40]))
        ) from None


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise FileError.at(where, _("{value} is not a number").format(value=repr(value)))
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise FileError.at(
            where, _("{value} is not a number").format(value=repr(str(value)[:40]))
        ) from None


def ref_slug(ref: str) -> str | None:
    """``/organisations/dgesco`` (or ``dgesco``, ``organisations/dgesco.md``) → ``dgesco``."""
    slug = ref.strip().rstrip("/").rsplit("/", 1)[-1]
    for suffix in MARKDOWN_SUFFIXES:
        slug = slug.removesuffix(suffix)
    return slug or None


def file_slug(path: Path) -> str:
    name = path.name
    for suffix in MARKDOWN_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _body(body: str) -> str | None:
    return body.strip() or None


def _meta(path: Path) -> tuple[dict[str, Any], str]:
    return front_matter(read_text(path))


# --- one function per kind of file --------------------------------------------------------


def parse_organisation(path: Path) -> OrganisationRecord:
    meta, _body = _meta(path)
    name = _text(meta, "name") or _text(meta, "acronym")
    if name is None:
        raise FileError(_("no name"))
    return OrganisationRecord(
        slug=file_slug(path),
        name=name,
        acronym=_text(meta, "acronym"),
        type=_text(meta, "type"),
        domaine_ministeriel=_text(meta, "domaine_ministeriel"),
    )


def parse_incubator(path: Path) -> IncubatorRecord:
    meta, _body = _meta(path)
    title = _text(meta, "title")
    if title is None:
        raise FileError(_("no title"))
    owner = _text(meta, "owner")
    return IncubatorRecord(
        slug=file_slug(path),
        title=title,
        owner=ref_slug(owner) if owner else None,
        contact=_text(meta, "contact"),
        address=_text(meta, "address"),
        website=_text(meta, "website"),
        github=_text(meta, "github"),
        short_description=_text(meta, "short_description"),
    )


def parse_phase_definition(path: Path) -> PhaseDefinition:
    meta, _body = _meta(path)
    name = _text(meta, "status") or _text(meta, "name") or file_slug(path)
    order = meta.get("order")
    return PhaseDefinition(
        name=name,
        label=_text(meta, "label"),
        order=_int(order, "order") if order is not None else None,
    )


def _phases(meta: dict) -> tuple[PhaseRecord, ...]:
    value = meta.get("phases")
    if value is None:
        return ()
    if not isinstance(value, list):
        _defect(
            "phases",
            _("expected a list of {{name, start, end}}, found {kind}; left out").format(
                kind=_kind(value)
            ),
        )
        return ()
    phases = []
    for i, item in enumerate(value):
        where = f"phases[{i}]"
        try:
            phases.append(_phase(item, where))
        except FileError as exc:  # one broken phase costs the phase, not the startup
            _left_out(exc, where, _("this phase is left out"))
    return tuple(phases)


def _phase(item: Any, where: str) -> PhaseRecord:
    if isinstance(item, str | int | float) and not isinstance(item, bool):
        return PhaseRecord(name=_clean(str(item), where))
    if not isinstance(item, dict):
        raise FileError(_("expected {{name, start, end}}, found {kind}").format(kind=_kind(item)))
    name = _text(item, "name", f"{where}.name")
    if name is None:
        raise FileError(_("a phase with no name"))
    start = _optional_date(item, "start", where)
    end = _optional_date(item, "end", where)
    return PhaseRecord(
        name=name, start=start, end=end, comment=_text(item, "comment", f"{where}.comment")
    )


def _optional_date(item: dict, key: str, where: str) -> dt.date | None:
    """A date field that may be broken without costing its item: unknown, with a warning."""
    try:
        return parse_date(item.get(key), f"{where}.{key}")
    except FileError as exc:
        _left_out(exc, f"{where}.{key}", _("left unknown"))
        return None


def old_status_phases(
    status: str, start: dt.date | None, end: dt.date | None
) -> tuple[PhaseRecord, ...]:
    """Phases for a pre-2020 file: ``status:`` with the startup's ``start:``/``end:``.

    An active status (investigation, construction, acceleration) is that phase from
    ``start`` (to ``end`` when given); an end status (success, alumni → transfere; death →
    abandon) starts on ``end`` — when the file gives no end, its start stays unknown.
    Any other status is kept as written, dated like an end state.
    """
    name = OLD_STATUS_PHASES.get(status.casefold(), status)
    dates = ", ".join(
        f"{label}: {day.isoformat()}" for label, day in (("start", start), ("end", end)) if day
    )
    comment = f"pre-2020 status: {status}" + (f" ({dates})" if dates else "")
    if status.casefold() in OLD_ACTIVE:
        return (PhaseRecord(name=name, start=start, end=end, comment=comment),)
    return (PhaseRecord(name=name, start=end, comment=comment),)


def _events(meta: dict) -> tuple[EventRecord, ...]:
    value = meta.get("events")
    if value is None:
        return ()
    if not isinstance(value, list):
        _defect(
            "events",
            _("expected a list of {{name, date}}, found {kind}; left out").format(
                kind=_kind(value)
            ),
        )
        return ()
    events = []
    for i, item in enumerate(value):
        where = f"events[{i}]"
        try:
            if not isinstance(item, dict):
                raise FileError(
                    _("expected {{name, date, comment}}, found {kind}").format(kind=_kind(item))
                )
            name = _text(item, "name", f"{where}.name")
            day = parse_date(item.get("date"), f"{where}.date")
            if name is None:
                raise FileError(_("an event with no name"))
            if day is None:
                raise FileError(_("an event with no date"))
        except FileError as exc:  # one broken event costs the event, not the startup
            _left_out(exc, where, _("this event is left out"))
            continue
        events.append(
            EventRecord(name=name, date=day, comment=_text(item, "comment", f"{where}.comment"))
        )
    return tuple(events)


def _fast(meta: dict) -> tuple[FastRecord, ...]:
    value = meta.get("fast")
    if value is None:
        return ()
    # The site's schema shows one award; a list of them is read too.
    items = value if isinstance(value, list) else [value]
    awards = []
    for i, item in enumerate(items):
        where = "fast" if not isinstance(value, list) else f"fast[{i}]"
        if isinstance(item, int) and not isinstance(item, bool):
            item = {"promotion": item}
        try:
            if not isinstance(item, dict):
                raise FileError(
                    _("expected {{promotion, montant}}, found {kind}").format(kind=_kind(item))
                )
            if item.get("promotion") is None:
                raise FileError(_("no promotion number"))
            promotion = _int(item["promotion"], f"{where}.promotion")
        except FileError as exc:  # one broken award costs the award, not the startup
            _left_out(exc, where, _("this FAST award is left out"))
            continue
        try:
            amount = _euros_to_cents(item.get("montant"), f"{where}.montant")
        except FileError as exc:
            _left_out(exc, f"{where}.montant", _("left unknown"))
            amount = None
        awards.append(FastRecord(promotion=promotion, amount_cents=amount))
    return tuple(awards)


def parse_startup_text(slug: str, text: str) -> StartupRecord:
    meta, body = front_matter(text)
    body = _clean(body, "description", multiline=True)
    title = _text(meta, "title")
    if title is None:
        raise FileError(_("no title"))
    old_schema = meta.get("phases") is None and meta.get("status") is not None
    if old_schema:
        status = _text(meta, "status") or ""
        phases = old_status_phases(
            status, _optional_date(meta, "start", "startup"), _optional_date(meta, "end", "startup")
        )
    else:
        phases = _phases(meta)
    sponsors = []
    for ref in _texts(meta, "sponsors"):
        sponsor = ref_slug(ref)
        if sponsor and sponsor not in sponsors:
            sponsors.append(sponsor)
    incubator = _text(meta, "incubator")
    main = ref_slug(incubator) if incubator else None
    others: list[str] = []
    for ref in _texts(meta, "incubators"):
        other = ref_slug(ref)
        if other and other != main and other not in others:
            others.append(other)
    return StartupRecord(
        slug=slug,
        title=title,
        mission=_text(meta, "mission", multiline=True),
        description=_body(body),
        incubator=main,
        incubators=tuple(others),
        link=_text(meta, "link"),
        repository=_text(meta, "repository"),
        contact=_text(meta, "contact"),
        budget_url=_text(meta, "budget_url"),
        dashlord_url=_text(meta, "dashlord_url"),
        accessibility_status=_text(meta, "accessibility_status"),
        thematiques=_texts(meta, "thematiques"),
        usertypes=_texts(meta, "usertypes"),
        sponsors=tuple(sponsors),
        owner=_text(meta, "owner") if not sponsors else None,
        phases=phases,
        events=_events(meta),
        fast=_fast(meta),
        old_schema=old_schema,
    )


def parse_startup(path: Path) -> StartupRecord:
    return parse_startup_text(file_slug(path), read_text(path))


def _title_date(title: str | None) -> dt.date | None:
    """``FAST 2 - Novembre 2019`` → 2019-11-01 (the month the promotion is named after)."""
    words = fold_words(title or "").split()
    for month, year in itertools.pairwise(words):
        if month in MONTH_WORDS and len(year) == 4 and year.isdigit():
            return dt.date(int(year), MONTH_WORDS[month], 1)
    return None


def parse_promotion(path: Path) -> PromotionRecord:
    meta, body = _meta(path)
    title = _text(meta, "title")
    number = meta.get("promotion")
    if number is not None:
        number = _int(number, "promotion")
    else:
        # Older pages carry no number: it is in the file name (02-fast.md, 05_fast.md)…
        digits = re.match(r"\d+", path.name)
        found = digits.group() if digits else None
        if found is None:  # … or in the title
            title_digits = re.search(r"\bfast\s*(\d+)", fold_words(title or ""))
            found = title_digits.group(1) if title_digits else None
        if found is None:
            raise FileError(_("no promotion number (no 'promotion:' field, none in the name)"))
        number = int(found)
    day = parse_date(meta.get("date"), "date") or _title_date(title)
    return PromotionRecord(number=number, title=title, date=day, laureates=laureates(body))


# --- FAST laureates ------------------------------------------------------------------------

_MARKER = re.compile(r"^\s*\d+\s*[-.)]\s+")
_AMOUNT = re.compile(r"montant\s*:?\s*([\d\s\u202f\u00a0.,]+)\s*(?:€|euros?)", re.IGNORECASE)
_NAME_END = re.compile(r",|;| : |: | – | — | - | pour |\(")


@dataclass
class _Item:
    text: list[str] = field(default_factory=list)
    href: str | None = None
    link_text: list[str] | None = None
    heading: list[str] | None = None
    section: str = ""
    first_is_link: bool | None = None

    def plain(self) -> str:
        return " ".join("".join(self.text).split())


class _LaureateParser(HTMLParser):
    """Collects list items, and numbered lines of paragraphs, with their section heading."""

    HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.section = ""
        self.heading: list[str] | None = None
        self.items: list[_Item] = []
        self.lines: list[_Item] = []
        self.li_depth = 0
        self.item: _Item | None = None
        self.in_p = False
        self.line: _Item | None = None
        self.in_link = False
        self.in_item_heading = False

    def _current(self) -> _Item | None:
        return self.item if self.item is not None else self.line

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.li_depth += 1
            if self.li_depth == 1:
                self.item = _Item(section=self.section)
        elif tag in self.HEADINGS:
            if self.item is not None:
                self.in_item_heading = True
                if self.item.heading is None:
                    self.item.heading = []
            else:
                self.heading = []
        elif tag == "p" and self.item is None:
            self.in_p = True
            self._new_line()
        elif tag == "br" and self.item is None and self.in_p:
            self._new_line()
        elif tag == "a":
            current = self._current()
            if current is not None and current.href is None:
                current.href = dict(attrs).get("href")
                current.link_text = []
                current.first_is_link = not current.plain()
                self.in_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self.li_depth:
            self.li_depth -= 1
            if self.li_depth == 0 and self.item is not None:
                self.items.append(self.item)
                self.item = None
        elif tag in self.HEADINGS:
            if self.item is not None:
                self.in_item_heading = False
            elif self.heading is not None:
                self.section = " ".join("".join(self.heading).split())
                self.heading = None
        elif tag == "p" and self.in_p:
            self._new_line()
            self.in_p = False
            self.line = None
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data: str) -> None:
        if self.heading is not None and self.item is None:
            self.heading.append(data)
            return
        if self.item is None and self.in_p and "\n" in data:
            first, *rest = data.split("\n")
            self._data(first)
            for part in rest:
                self._new_line()
                self._data(part)
            return
        self._data(data)

    def _data(self, data: str) -> None:
        current = self._current()
        if current is None:
            return
        current.text.append(data)
        if self.in_link and current.link_text is not None:
            current.link_text.append(data)
        if self.in_item_heading and current.heading is not None:
            current.heading.append(data)

    def _new_line(self) -> None:
        if self.line is not None and self.line.plain():
            self.lines.append(self.line)
        self.line = _Item(section=self.section)


def _laureate(item: _Item, *, strip_marker: bool) -> Laureate | None:
    text = item.plain()
    if strip_marker:
        text = _MARKER.sub("", text)
    link_text = " ".join("".join(item.link_text or []).split())
    heading = " ".join("".join(item.heading or []).split())
    if heading:
        name = heading
    elif link_text and (item.first_is_link or text.startswith(link_text)):
        name = link_text
    else:
        end = _NAME_END.search(text)
        name = text[: end.start()] if end else text
    name = name.strip(" .:;,-–—")
    if not name:
        return None
    amount = _AMOUNT.search(text)
    slug = None
    if item.href:
        parts = urlsplit(item.href)
        path = parts.path.rstrip("/")
        if (not parts.netloc or parts.netloc.endswith("beta.gouv.fr")) and "/startups/" in path:
            slug = file_slug(Path(path.rsplit("/", 1)[-1]).with_suffix(""))
    return Laureate(
        name=name,
        slug=slug,
        href=item.href,
        amount_cents=_amount_cents(amount.group(1)) if amount else None,
    )


def _amount_cents(text: str) -> int | None:
    digits = re.sub(r"[\s\u202f\u00a0]", "", text).rstrip(".,")
    if not digits.replace(",", "").replace(".", "").isdigit():
        return None
    return round(float(digits.replace(",", ".")) * 100) if digits.count(",") <= 1 else None


def laureates(body: str) -> tuple[Laureate, ...]:
    """The laureates a FAST page lists, in order (names as written on the page).

    Markdown pages list them under a heading "Les lauréats …" (numbered list items, or
    "1 - [Name](link) …" lines); HTML pages as ``<li>`` entries with an ``<h2>``.  A
    committee's member list is never taken for laureates.
    """
    from markdown_it import MarkdownIt

    parser = _LaureateParser()
    parser.feed(MarkdownIt("commonmark").render(body))
    parser.close()
    if parser.line is not None and parser.line.plain():
        parser.lines.append(parser.line)

    def laureate_section(section: str) -> bool:
        return "laureat" in fold_words(section)

    sectioned = any(laureate_section(i.section) for i in [*parser.items, *parser.lines])
    found: list[Laureate] = []
    for item in parser.items:
        if sectioned and not laureate_section(item.section):
            continue
        if not sectioned and "comite" in fold_words(item.section):
            continue
        laureate = _laureate(item, strip_marker=False)
        if laureate:
            found.append(laureate)
    for line in parser.lines:
        if laureate_section(line.section) and _MARKER.match(line.plain()):
            laureate = _laureate(line, strip_marker=True)
            if laureate:
                found.append(laureate)
    return tuple(found)


# --- the whole snapshot ------------------------------------------------------------------


def content_dir(root: Path) -> Path:
    """``root`` itself when it holds the ``_startups``… folders, else ``root/content``."""
    root = Path(root)
    if not root.is_dir():
        raise BadInput(
            _("{root}: not a folder (expected a beta.gouv.fr checkout or its content/)").format(
                root=root
            )
        )
    for candidate in (root, root / "content"):
        if any((candidate / kind).is_dir() for kind in KINDS):
            return candidate
    raise BadInput(
        _(
            "{root}: not a beta.gouv.fr checkout (no content/_startups, _organisations… folders)"
        ).format(root=root)
    )


def snapshot_files(content: Path, skipped: list[BadFile] | None = None) -> dict[str, list[Path]]:
    """The files to read, by kind: regular files inside the tree.  A link that leads out of
    the tree, a FIFO or a device is not read (it could block, or read a file that is not
    the portfolio's): it is named in ``skipped``."""
    files: dict[str, list[Path]] = {}
    tree = content.resolve()
    for kind in KINDS:
        folder = content / kind
        if not folder.is_dir():
            continue
        kept = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            reason = _not_readable(path, tree)
            if reason is None:
                kept.append(path)
            elif skipped is not None and reason:
                skipped.append(BadFile(path, reason))
        files[kind] = kept
    return files


def _not_readable(path: Path, tree: Path) -> str | None:
    """Why ``path`` is not read (None: it is; "" for a folder, silently passed over)."""
    try:
        target = path.resolve(strict=True)
        mode = target.stat().st_mode
    except (OSError, RuntimeError):
        return _("a broken link, skipped")
    if stat.S_ISDIR(mode):
        return ""
    if not target.is_relative_to(tree):
        return _("a link to a file outside the beta.gouv.fr tree, skipped")
    if not stat.S_ISREG(mode):
        return _("not a regular file (a FIFO, a device or a socket), skipped")
    return None


def load_snapshot(root: Path, progress: Callable[[int, int], None] | None = None) -> Snapshot:
    """Read every file under ``root`` into records; unreadable files are listed in ``bad``."""
    content = content_dir(Path(root))
    skipped: list[BadFile] = []
    files = snapshot_files(content, skipped)
    total = sum(len(v) for v in files.values())
    snap = Snapshot(root=content, has_startups_folder="_startups" in files)
    snap.bad.extend(skipped)
    done = 0
    for kind, paths in files.items():
        for path in paths:
            defects: list[tuple[str, str]] = []
            token = _DEFECTS.set(defects)
            try:
                if kind == "_organisations":
                    org = parse_organisation(path)
                    snap.organisations[org.slug] = org
                elif kind == "_incubators":
                    inc = parse_incubator(path)
                    snap.incubators[inc.slug] = inc
                elif kind == "_startups":
                    startup = parse_startup(path)
                    snap.startups[startup.slug] = startup
                elif kind == "_fasts":
                    promotion = parse_promotion(path)
                    if promotion.number in snap.promotions:
                        raise FileError(
                            _("promotion {number} is defined twice").format(number=promotion.number)
                        )
                    snap.promotions[promotion.number] = promotion
                else:
                    phase = parse_phase_definition(path)
                    snap.phases[phase.name] = phase
            except FileError as exc:
                snap.bad.append(BadFile(path, str(exc)))
                if kind == "_startups":
                    snap.unreadable_startups.add(file_slug(path))
            else:
                snap.warnings.extend(FieldWarning(path, f, reason) for f, reason in defects)
            finally:
                _DEFECTS.reset(token)
            done += 1
            if progress is not None:
                progress(done, total)
    return snap


# --- matching laureates to startups ---------------------------------------------------------


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").netloc.lower()
    return host.removeprefix("www.") or None


class LaureateMatcher:
    """Links a laureate's name to a startup when exactly one startup fits."""

    def __init__(self, startups: Iterable[tuple[str, str, str | None]]):
        self.slugs: set[str] = set()
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_host: dict[str, set[str]] = defaultdict(set)
        for slug, title, link in startups:
            self.slugs.add(slug)
            self.by_name[fold_compact(title)].add(slug)
            self.by_name[fold_compact(slug)].add(slug)
            host = _host(link)
            if host and host not in ("beta.gouv.fr", "github.com"):
                self.by_host[host].add(slug)

    def match(self, laureate: Laureate) -> str | None:
        if laureate.slug in self.slugs:
            return laureate.slug
        named = self.by_name.get(fold_compact(laureate.name), set())
        if len(named) == 1:
            return next(iter(named))
        if named:
            return None  # ambiguous: kept by name
        hosted = self.by_host.get(_host(laureate.href) or "", set())
        return next(iter(hosted)) if len(hosted) == 1 else None
