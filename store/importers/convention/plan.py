"""Store an extracted convention or avenant: plan first (read-only), then apply (one transaction).

The extraction (``store.importers.convention``, schema ``startups.convention/1``) says what
the text gives; this module decides what that means for the store:

- which startup the convention belongs to (``--startup SLUG``, else the service the text
  names, matched to a startup's title or slug, accent- and case-insensitively, when exactly
  one startup matches);
- whether it is already there: the same file (same sha256) is never imported twice, and a
  convention of the same startup, kind, conclusion date and ceiling (the demo's own, a
  placeholder created from an avenant) is *completed* (its unknown fields filled, missing
  parties, schedule years and deadlines added), never duplicated;
- for an avenant, the convention it amends: matched by its date *and* its startup, never
  another startup's; several candidates make a question (:attr:`ImportPlan.parent_candidates`);
  none makes a placeholder parent, marked as such.

:func:`plan_import` reads and returns an :class:`ImportPlan` (plain data the CLI and the app
show); :func:`apply_import` writes it in the caller's session. :func:`evidence_rows` turns an
extraction into rows (field, value, evidence) for previews. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

import i18n
from store.db import SessionRows
from store.derived import reattribute
from store.errors import BadInput, StartupsError
from store.facts import load_conventions
from store.fmt import day, eur
from store.importers.convention.extract import (
    NotAConvention,
    OcrFailed,
    UnreadableDocument,
    extract_file,
)
from store.importers.convention.frdates import find_french_dates
from store.models import (
    Convention,
    ConventionParty,
    Deadline,
    FastAward,
    FastPromotion,
    Organisation,
    ScheduleLine,
    Startup,
    StartupSponsor,
)
from store.rules.budget import concluded_on
from store.rules.text import fold_compact
from store.rules.vocab import CONVENTION_KIND_LABELS, IMPUTATION_KEYS

_ = i18n.Domain("store").gettext
ngettext = i18n.Domain("store").ngettext

__all__ = [
    "SOURCE",
    "ConventionRef",
    "EvidenceRow",
    "ImportPlan",
    "ImportResult",
    "StartupRef",
    "apply_import",
    "evidence_rows",
    "load_extraction",
    "plan_import",
]

SOURCE = "import:convention"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def load_extraction(path: pathlib.Path | str) -> dict:
    """Read and extract ``path``; anything that is not a readable convention is :class:`BadInput`."""
    path = pathlib.Path(path)
    try:
        return extract_file(path)
    except UnreadableDocument as exc:
        raise BadInput(str(exc)) from exc
    except NotAConvention as exc:
        raise BadInput(_("{file}: {reason}").format(file=path, reason=exc)) from exc
    except OcrFailed as exc:  # the tools are there and failed: a failure of the work
        raise StartupsError(str(exc)) from exc


# --------------------------------------------------------------------------------------------
# Small helpers


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _cents(euros: float | None) -> int | None:
    return None if euros is None else round(euros * 100)


def _kind(kind: str | None) -> str:
    """``avenant`` → ``amendment`` (French ``avenant``), in the language of the run."""
    return CONVENTION_KIND_LABELS.label(kind, unknown="?")


def day_text(value: Any) -> str:
    """An extraction's ISO day as a person reads it (what is not a day, as it is)."""
    try:
        found = _date(value)
    except (TypeError, ValueError):
        return str(value)
    return day(found) if found is not None else str(value)


def _euros_text(cents: int | None) -> str:
    return eur(cents)


def _signature_date(extraction: dict) -> dt.date | None:
    dates = [_date(extraction.get("signed_on"))]
    dates += [_date(p.get("signed_on")) for p in extraction.get("parties") or []]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _text_concluded_on(extraction: dict) -> dt.date | None:
    """The latest signature date; where the text gives none, the act's own date (its
    title's, "Convention du 3 mars 2021"), never a publication date."""
    return _signature_date(extraction) or _date(extraction.get("dated_on"))


def _dated_instead(extraction: dict) -> dt.date | None:
    """The act's date when it stands for the conclusion (no signature date in the text)."""
    if _signature_date(extraction) is not None:
        return None
    return _date(extraction.get("dated_on"))


def _starts_on_precision(extraction: dict) -> str | None:
    """The precision of ``starts_on``, read back from its evidence (the contract has no key)."""
    start = _date(extraction.get("starts_on"))
    if start is None:
        return None
    ev = (extraction.get("evidence") or {}).get("starts_on") or {}
    for _s, _e, date, precision in find_french_dates(ev.get("text") or ""):
        if precision == "month" and date.replace(day=1) == start:
            return "month"
        if date == start:
            return precision
    return "day"


def _title(extraction: dict) -> str | None:
    """The text's own heading ("CONVENTION DE SERVICE" → "Convention de service")."""
    ev = (extraction.get("evidence") or {}).get("kind")
    heading = re.sub(r"\s+", " ", (ev or {}).get("text") or "").strip(" *#")
    if not heading or len(heading) > 400 or heading.startswith("…"):
        return None
    return heading[:1].upper() + heading[1:].lower() if heading.isupper() else heading


# --------------------------------------------------------------------------------------------
# Plain data: what the CLI and the app show


@dataclass(frozen=True)
class EvidenceRow:
    """One line of a preview: a field, its value as text, and where the text says so."""

    field: str
    value: str
    line: int | None = None
    text: str | None = None

    needle: str | None = None  # what to centre an excerpt on
    page: int | None = None  # a PDF's page
    ocr: bool = False  # the quoted text is what OCR read

    @property
    def where(self) -> str:
        """``l. 12``, ``p. 2, l. 57`` or ``p. 2, l. 57, OCR``."""
        if self.line is None:
            return ""
        bits = [f"p. {self.page}"] if self.page is not None else []
        bits.append(f"l. {self.line}")
        if self.ocr:
            bits.append("OCR")
        return ", ".join(bits)

    @property
    def evidence(self) -> str:
        return f"{self.where}: {self.text}" if self.line is not None else ""

    def excerpt(self, width: int = 90) -> str:
        """``l. N: …text…`` cut to about ``width`` characters around the value it proves."""
        if self.line is None:
            return ""
        text = self.text or ""
        if len(text) <= width:
            return f"{self.where}: {text}"
        at = _find(text, self.needle)
        start = max(0, min(at - width // 3, len(text) - width)) if at is not None else 0
        cut = text[start : start + width]
        return (
            f"{self.where}: {'…' if start else ''}{cut}{'…' if start + width < len(text) else ''}"
        )


def _find(text: str, needle: str | None) -> int | None:
    if not needle:
        return None
    pattern = r"\s*".join(re.escape(c) for c in needle.replace(" ", ""))
    m = re.search(pattern, text, re.IGNORECASE)
    return m.start() if m else None


def evidence_rows(extraction: dict) -> list[EvidenceRow]:
    """The extraction as preview rows; a field the text does not give shows "—", no evidence."""
    evidence = extraction.get("evidence") or {}
    rows: list[EvidenceRow] = []

    def add(key: str, value: Any, needle: str | None = None) -> None:
        shown = "—" if value is None or value == [] or value == "" else str(value)
        ev = evidence.get(key) or {}
        rows.append(
            EvidenceRow(
                key,
                shown,
                ev.get("line"),
                ev.get("text"),
                needle,
                page=ev.get("page"),
                ocr=bool(ev.get("ocr")),
            )
        )

    add("kind", extraction.get("kind"))
    if extraction.get("kind") == "avenant":
        add("avenant_number", extraction.get("avenant_number"))
        parent = extraction.get("parent")
        add("parent", f"{parent['kind']} du {parent['date']}" if parent else None)
    if extraction.get("dated_on"):
        add("dated_on", extraction["dated_on"])
    if extraction.get("fast_promotion") is not None:
        add("fast_promotion", f"FAST {extraction['fast_promotion']}")
    services = extraction.get("services") or []
    add("services", ", ".join(services) or None, services[0] if services else None)
    for i, party in enumerate(extraction.get("parties") or []):
        bits = [party.get("name") or "?"]
        if party.get("aliases"):
            bits.append("dit " + " ou ".join(f"« {a} »" for a in party["aliases"]))
        bits.append(party.get("role") or "rôle non indiqué")
        if party.get("representative"):
            bits.append(f"représenté par {party['representative']}")
        if party.get("signed_on"):
            bits.append(f"signé le {party['signed_on']}")
        add(f"parties[{i}]", ", ".join(bits), party.get("representative") or party.get("name"))
        if party.get("signed_on") and f"parties[{i}].signed_on" in evidence:
            add(f"parties[{i}].signed_on", party["signed_on"])
    if not extraction.get("parties"):
        add("parties", None)
    add("signed_on", extraction.get("signed_on"))
    add("starts_on", extraction.get("starts_on"))
    ends = extraction.get("ends_on")
    precision = extraction.get("ends_on_precision")
    add("ends_on", f"{ends} ({precision})" if ends and precision == "month" else ends)
    duration = extraction.get("duration")
    if duration:
        unit = {"months": "mois", "years": "an(s)", "days": "jour(s)", "weeks": "semaine(s)"}
        since = {"signature": "la signature", "date": "la date dite", None: "?"}
        add(
            "duration",
            f"{duration['count']} {unit.get(duration['unit'], duration['unit'])} à compter de "
            + since.get(duration["from"], str(duration["from"])),
        )
    ceiling = extraction.get("ceiling_eur")
    needle = f"{int(ceiling):,}".replace(",", " ") if ceiling is not None else None
    add("ceiling_eur", _euros_text(_cents(ceiling)) if ceiling is not None else None, needle)
    amounts = extraction.get("amounts") or []
    if len(amounts) > 1 or any(a["kind"] in ("AE", "CP") for a in amounts):
        for i, amount in enumerate(amounts):
            add(
                f"amounts[{i}]",
                f"{amount['kind']} {_euros_text(_cents(amount['eur']))}",
                f"{int(amount['eur']):,}".replace(",", " "),
            )
    match = extraction.get("ceiling_words_match")
    if match is not None:
        add(
            "ceiling_words_match",
            "yes" if match else "NO: the amount in words differs from the figures",
            needle,
        )
    imputation = extraction.get("imputation") or {}
    known = [k for k in IMPUTATION_KEYS if imputation.get(k)]
    for key in known:
        add(f"imputation.{key}", imputation[key], imputation[key])
    if not known:
        add("imputation", None)
    for i, line in enumerate(extraction.get("schedule") or []):
        add(
            f"schedule[{i}]",
            f"{line['year']}: AE {_euros_text(_cents(line.get('ae_eur')))}, "
            f"CP {_euros_text(_cents(line.get('cp_eur')))}",
        )
    for i, deadline in enumerate(extraction.get("deadlines") or []):
        add(
            f"deadlines[{i}]",
            f"{deadline['date']}: {deadline['title']}",
            deadline["title"].split()[0] if deadline["title"] else None,
        )
    return rows


@dataclass(frozen=True)
class StartupRef:
    id: int | None  # None: created by the import (``--startup`` naming a new slug)
    slug: str
    title: str
    how: str  # why this startup: "named by --startup", "matched by the service « X »"…
    created_in_batch: bool = False  # created by a file before it in the same import


@dataclass(frozen=True)
class ConventionRef:
    """A convention of the store, as a plan names it."""

    id: int
    kind: str
    title: str | None
    concluded_on: dt.date | None
    ends_on: dt.date | None
    ceiling_cents: int | None
    placeholder: bool
    source: str | None
    source_file: str | None

    def label(self) -> str:
        kind = CONVENTION_KIND_LABELS.label(self.kind)
        when = (
            _("{kind} of {date}").format(kind=kind, date=day(self.concluded_on))
            if self.concluded_on
            else (
                _("amendment not signed") if self.kind == "avenant" else _("convention not signed")
            )
        )
        ceiling = (
            _("ceiling unknown") if self.ceiling_cents is None else _euros_text(self.ceiling_cents)
        )
        bits = [f"#{self.id} {when}", ceiling]
        if self.ends_on:
            bits.append(_("ends {date}").format(date=day(self.ends_on)))
        if self.placeholder:
            bits.append(_("placeholder"))
        if self.title:
            bits.append(f"« {self.title} »")
        return ", ".join(bits)


@dataclass(frozen=True)
class FastAwardRef:
    """A startup's FAST award, as a FAST subsidy convention is linked to it."""

    id: int
    number: int
    laureate_name: str | None
    amount_cents: int | None

    def label(self) -> str:
        amount = (
            _("amount unknown") if self.amount_cents is None else _euros_text(self.amount_cents)
        )
        if self.laureate_name:
            return _("the FAST {number} award to « {name} » (#{id}, {amount})").format(
                number=self.number, name=self.laureate_name, id=self.id, amount=amount
            )
        return _("the FAST {number} award (#{id}, {amount})").format(
            number=self.number, id=self.id, amount=amount
        )


@dataclass
class ImportPlan:
    """What :func:`apply_import` would do; nothing in the store has changed yet.

    ``problems`` block the import (each a one-line reason); ``warnings`` do not.  When
    ``parent_candidates`` holds several conventions, the caller must :meth:`choose_parent`.
    """

    extraction: dict
    sha256: str
    already_imported: ConventionRef | None = None
    startup: StartupRef | None = None
    existing: ConventionRef | None = None  # the convention this text completes
    convention_values: dict[str, Any] = field(default_factory=dict)  # columns to set
    differences: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, store, text)
    parent: ConventionRef | None = None
    parent_placeholder: dict | None = None  # {"kind", "date"} of a parent to create
    parent_candidates: list[ConventionRef] = field(default_factory=list)
    parent_question: str | None = None
    parties: list[tuple[int | None, dict]] = field(default_factory=list)  # (party id, values)
    schedule: list[tuple[int | None, dict]] = field(default_factory=list)
    deadlines: list[tuple[int | None, dict]] = field(default_factory=list)
    fast_award: FastAwardRef | None = None  # the startup's award for the FAST it names
    fast_award_values: dict[str, Any] = field(default_factory=dict)  # its unknowns to fill
    duplicate_of: str | None = None  # the same file, earlier in the same import
    parent_in_batch: str | None = None  # the parent is a file of the same import
    same_in_batch: str | None = None  # a file before it in the same import stores it first
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def needs_parent_choice(self) -> bool:
        return bool(self.parent_candidates) and self.parent is None

    @property
    def nothing_to_do(self) -> bool:
        """The same file was imported, or the store already holds everything the text gives."""
        if self.already_imported is not None or self.duplicate_of is not None:
            return True
        return (
            self.existing is not None
            and not self.convention_values
            and not self.parties
            and not self.schedule
            and not self.deadlines
            and self.parent is None
            and self.parent_placeholder is None
            and self.parent_in_batch is None
            and not self.fast_award_values
            and not self.needs_parent_choice
        )

    def choose_parent(self, convention_id: int) -> None:
        """Settle an ambiguous parent with one of ``parent_candidates``."""
        for candidate in self.parent_candidates:
            if candidate.id == convention_id:
                self.parent = candidate
                return
        ids = ", ".join(f"#{c.id}" for c in self.parent_candidates)
        raise BadInput(
            _("#{id} is not one of the candidate parents ({ids})").format(id=convention_id, ids=ids)
        )

    def summary(self) -> list[str]:
        """What the import will do, one sentence a line."""
        x = self.extraction
        out: list[str] = []
        if self.already_imported is not None:
            return [
                _(
                    "this file (sha256 {sha}…) is already imported: {convention}; nothing to do"
                ).format(sha=self.sha256[:12], convention=self.already_imported.label())
            ]
        if self.duplicate_of is not None:
            return [
                _("the same file as {file} (same sha256): nothing to do").format(
                    file=self.duplicate_of
                )
            ]
        if self.startup is not None:
            out.append(
                _("startup: {slug} ({title}), {how}").format(
                    slug=self.startup.slug, title=self.startup.title, how=self.startup.how
                )
            )
        if self.existing is not None:
            if self.nothing_to_do:
                message = _("recognised as {convention}: already complete")
            else:
                message = _("recognised as {convention}: completed, not duplicated")
            out.append(message.format(convention=self.existing.label()))
            if self.convention_values:
                out.append(
                    _("fills: {fields}").format(fields=", ".join(sorted(self.convention_values)))
                )
        elif self.same_in_batch is not None:
            out.append(
                _("completes: the {kind} {file} stores first").format(
                    kind=_kind(x.get("kind")), file=self.same_in_batch
                )
            )
        else:
            out.append(
                _("creates: a new amendment")
                if x.get("kind") == "avenant"
                else _("creates: a new convention")
            )
        for name, stored, text in self.differences:
            out.append(
                _("kept as stored: {field} = {stored} (the text says {text})").format(
                    field=name, stored=stored, text=text
                )
            )
        dated = _dated_instead(x)
        if dated is not None and "signed_on" in self.convention_values:
            out.append(
                _(
                    "concluded: {date}, the act's own date (its title); the text gives no "
                    "signature date"
                ).format(date=day(dated))
            )
        if self.parent is not None:
            out.append(_("amends: {convention}").format(convention=self.parent.label()))
        elif self.parent_in_batch is not None:
            p = x.get("parent") or {}
            out.append(
                _("amends: the {kind} of {date} in {file}").format(
                    kind=_kind(p.get("kind")),
                    date=day_text(p.get("date")),
                    file=self.parent_in_batch,
                )
            )
        elif self.parent_placeholder is not None:
            p = self.parent_placeholder
            out.append(
                _(
                    "amends: the {kind} of {date}, not in the store: created as a placeholder "
                    "(ceiling and end unknown)"
                ).format(kind=_kind(p["kind"]), date=day_text(p["date"]))
            )
        elif self.needs_parent_choice:
            out.append(_("amends: ? {question}").format(question=self.parent_question))
        parties = len([1 for pid, _v in self.parties if pid is None])
        years = len([1 for lid, _v in self.schedule if lid is None])
        deadlines = len([1 for did, _v in self.deadlines if did is None])
        added = [
            (parties, ngettext("{n} party", "{n} parties", parties)),
            (years, ngettext("{n} schedule year", "{n} schedule years", years)),
            (deadlines, ngettext("{n} deadline", "{n} deadlines", deadlines)),
        ]
        adds = [text.format(n=n) for n, text in added if n]
        if self.fast_award is not None:
            link = _("FAST: {award}").format(award=self.fast_award.label())
            if "amount_cents" in self.fast_award_values:
                link += _("; its amount set to {amount}").format(
                    amount=_euros_text(self.fast_award_values["amount_cents"])
                )
            out.append(link)
        if adds:
            out.append(_("adds: {items}").format(items=", ".join(adds)))
        updated = sum(1 for pid, _v in self.parties if pid is not None) + sum(
            1 for i, _v in [*self.schedule, *self.deadlines] if i is not None
        )
        if updated:
            out.append(
                ngettext(
                    "completes: {count} existing part (parties, schedule, deadlines)",
                    "completes: {count} existing parts (parties, schedule, deadlines)",
                    updated,
                ).format(count=updated)
            )
        if self.nothing_to_do:
            out.append(_("the store already holds everything this text gives: nothing to add"))
        out += [_("warning: {message}").format(message=w) for w in self.warnings]
        out += [_("problem: {message}").format(message=p) for p in self.problems]
        return out


@dataclass
class ImportResult:
    convention_id: int | None = None
    startup_slug: str | None = None
    kind: str | None = None
    created: bool = False  # a new convention row (else completed, or nothing)
    completed: bool = False
    nothing: bool = False
    startup_created: bool = False
    placeholder_parent_id: int | None = None
    parent_id: int | None = None
    parties_added: int = 0
    schedule_added: int = 0
    deadlines_added: int = 0
    fields_filled: list[str] = field(default_factory=list)
    fast_award_id: int | None = None  # the award whose unknown amount the subsidy filled

    def summary(self) -> str:
        if self.nothing:
            return _("nothing stored: already in the store (convention #{id})").format(
                id=self.convention_id
            )
        what = (
            _("stored {slug} {kind} #{id}") if self.created else _("completed {slug} {kind} #{id}")
        )
        bits = [
            what.format(
                slug=self.startup_slug,
                kind=CONVENTION_KIND_LABELS.label(self.kind),
                id=self.convention_id,
            )
        ]
        if self.startup_created:
            bits.append(_("new startup {slug}").format(slug=self.startup_slug))
        if self.placeholder_parent_id:
            bits.append(_("placeholder parent #{id}").format(id=self.placeholder_parent_id))
        elif self.parent_id:
            bits.append(_("amends #{id}").format(id=self.parent_id))
        counts = [
            (self.parties_added, ngettext("+{n} party", "+{n} parties", self.parties_added)),
            (
                self.schedule_added,
                ngettext("+{n} schedule year", "+{n} schedule years", self.schedule_added),
            ),
            (
                self.deadlines_added,
                ngettext("+{n} deadline", "+{n} deadlines", self.deadlines_added),
            ),
        ]
        bits += [text.format(n=n) for n, text in counts if n]
        if self.fast_award_id:
            bits.append(_("FAST award #{id}: amount set").format(id=self.fast_award_id))
        if self.completed and self.fields_filled:
            bits.append(_("filled {fields}").format(fields=", ".join(sorted(self.fields_filled))))
        return "; ".join(bits)


# --------------------------------------------------------------------------------------------
# Planning


def _refs(session: Session, startup_id: int) -> list[ConventionRef]:
    rows = {
        c.id: c for c in session.exec(select(Convention).where(Convention.startup_id == startup_id))
    }
    refs = []
    session.flush()
    for facts in load_conventions(SessionRows(session), [startup_id]).get(startup_id, []):
        row = rows[facts.id]
        refs.append(
            ConventionRef(
                id=facts.id,
                kind=facts.kind,
                title=row.title,
                concluded_on=concluded_on(facts),
                ends_on=row.ends_on,
                ceiling_cents=row.ceiling_cents,
                placeholder=bool(row.placeholder),
                source=row.source,
                source_file=row.source_file,
            )
        )
    return sorted(refs, key=lambda r: r.id)


def _ref_of(session: Session, convention: Convention) -> ConventionRef:
    return next(r for r in _refs(session, convention.startup_id) if r.id == convention.id)


def _resolve_startup(
    session: Session, extraction: dict, slug: str | None, plan: ImportPlan
) -> None:
    services = extraction.get("services") or []
    if slug is not None:
        startup = session.exec(select(Startup).where(Startup.slug == slug)).first()
        if startup is not None:
            plan.startup = StartupRef(
                startup.id, startup.slug, startup.title, _("named by --startup")
            )
            return
        if not SLUG.fullmatch(slug):
            plan.problems.append(
                _(
                    "--startup {slug}: not a startup slug (lower-case letters, digits and "
                    "hyphens, like classe-a-12)"
                ).format(slug=repr(slug))
            )
            return
        title = services[0] if len(services) == 1 else slug
        plan.startup = StartupRef(None, slug, title, _("not in the store: created (--startup)"))
        return
    if not services:
        plan.problems.append(
            _("the text names no service to match to a startup; name it with --startup SLUG")
        )
        return
    startups = session.exec(select(Startup)).all()
    matched: dict[int, tuple[Startup, str]] = {}
    for service in services:
        key = fold_compact(service)
        for s in startups:
            if key and key in (fold_compact(s.title), fold_compact(s.slug)):
                matched.setdefault(s.id, (s, service))
    how = _("matched by the service « {service} »")
    if not matched:
        # A FAST convention names the products of its laureates: their awards name them too.
        by_id = {s.id: s for s in startups}
        for award, laureate in _fast_laureates(session, extraction):
            key = fold_compact(laureate)
            for service in services:
                if key and key == fold_compact(service) and award.startup_id in by_id:
                    matched.setdefault(award.startup_id, (by_id[award.startup_id], service))
        how = _("matched by its FAST award to « {service} »")
    if len(matched) > 1:
        sponsored = _sponsored_by_parties(session, extraction, list(matched))
        if len(sponsored) == 1:
            (sid,) = sponsored
            s, service = matched[sid]
            plan.startup = StartupRef(
                s.id,
                s.slug,
                s.title,
                _("{how} and its sponsor, a party").format(how=how.format(service=service)),
            )
            return
    named = ", ".join(f"« {s} »" for s in services)
    if not matched:
        plan.problems.append(
            _(
                "no startup in the store matches the service {named}; name it with --startup SLUG"
            ).format(named=named)
        )
    elif len(matched) > 1:
        slugs = ", ".join(sorted(s.slug for s, _service in matched.values()))
        plan.problems.append(
            _(
                "the service {named} matches several startups ({slugs}); choose with --startup SLUG"
            ).format(named=named, slugs=slugs)
        )
    else:
        s, service = next(iter(matched.values()))
        plan.startup = StartupRef(s.id, s.slug, s.title, how.format(service=service))


def _fast_laureates(session: Session, extraction: dict) -> list[tuple[FastAward, str]]:
    """The awards of the FAST promotion the text names, with their laureate's name."""
    number = extraction.get("fast_promotion")
    if number is None:
        return []
    rows = session.exec(
        select(FastAward)
        .join(FastPromotion, FastPromotion.id == FastAward.promotion_id)
        .where(FastPromotion.number == number)
    ).all()
    return [(a, a.laureate_name) for a in rows if a.laureate_name and a.startup_id is not None]


def _party_names(extraction: dict) -> set[str]:
    names = set()
    for party in extraction.get("parties") or []:
        for name in [party.get("name"), *(party.get("aliases") or [])]:
            key = fold_compact(name)
            if len(key) >= 3:
                names.add(key)
    return names


def _sponsored_by_parties(session: Session, extraction: dict, startup_ids: list[int]) -> set[int]:
    """Those of ``startup_ids`` a party of the text sponsors (by name or acronym)."""
    names = _party_names(extraction)
    rows = session.exec(
        select(StartupSponsor.startup_id, Organisation.name, Organisation.acronym)
        .join(Organisation, Organisation.id == StartupSponsor.organisation_id)
        .where(StartupSponsor.startup_id.in_(startup_ids))
    ).all()
    return {
        sid
        for sid, name, acronym in rows
        if fold_compact(name) in names or (acronym and fold_compact(acronym) in names)
    }


def _plan_fast(session: Session, plan: ImportPlan) -> None:
    """Link a FAST convention to the startup's award of the promotion it names; fill the
    award's unknown amount with the subsidy the text gives."""
    x = plan.extraction
    number = x.get("fast_promotion")
    if number is None or plan.startup is None:
        return
    award = None
    if plan.startup.id is not None:
        award = session.exec(
            select(FastAward)
            .join(FastPromotion, FastPromotion.id == FastAward.promotion_id)
            .where(FastPromotion.number == number, FastAward.startup_id == plan.startup.id)
        ).first()
    if award is None:
        plan.warnings.append(
            _(
                "the text names FAST {number}; {slug} has no FAST {number} award in the store "
                "(import beta.gouv.fr to have it)"
            ).format(number=number, slug=plan.startup.slug)
        )
        return
    plan.fast_award = FastAwardRef(award.id, number, award.laureate_name, award.amount_cents)
    subsidy = next((a["eur"] for a in x.get("amounts") or [] if a["kind"] == "subvention"), None)
    if subsidy is None:
        return
    cents = _cents(subsidy)
    if award.amount_cents is None:
        plan.fast_award_values = {"amount_cents": cents}
    elif award.amount_cents != cents:
        plan.differences.append(
            (
                _("FAST {number} award amount").format(number=number),
                _euros_text(award.amount_cents),
                _euros_text(cents),
            )
        )


def _same_convention(
    ref: ConventionRef,
    kind: str,
    concluded: dt.date | None,
    ceiling: int | None,
    ends_on: dt.date | None,
) -> int | None:
    """How well ``ref`` is the convention the text describes: 2 (by date), 1 (by amount), None."""
    if ref.kind != kind:
        return None
    if concluded is not None and ref.concluded_on is not None:
        if ref.concluded_on != concluded:
            return None
        if ceiling is not None and ref.ceiling_cents is not None and ceiling != ref.ceiling_cents:
            return None
        return 2
    # No conclusion date on one side (the 2020 text's blank signature date, a draft later
    # signed): the same startup, kind, ceiling and end date make the same convention.
    if ceiling is None or ends_on is None:
        return None
    if ref.ceiling_cents == ceiling and ref.ends_on == ends_on:
        return 1
    return None


def _convention_values(extraction: dict, plan: ImportPlan) -> dict[str, Any]:
    x = extraction
    imputation = x.get("imputation") or {}
    values: dict[str, Any] = {
        "kind": x["kind"],
        "number": x.get("avenant_number"),
        "title": _title(x),
        # Where the text gives no signature date, the act's own date is its conclusion.
        "signed_on": _date(x.get("signed_on")) or _dated_instead(x),
        "starts_on": _date(x.get("starts_on")),
        "starts_on_precision": _starts_on_precision(x),
        "ends_on": _date(x.get("ends_on")),
        "ends_on_precision": x.get("ends_on_precision") if x.get("ends_on") else None,
        "ceiling_cents": _cents(x.get("ceiling_eur")),
        **{k: imputation.get(k) for k in IMPUTATION_KEYS},
        "source_file": pathlib.Path(x.get("file") or "").name or None,
        "source_sha256": plan.sha256,
        "evidence": json.dumps(x.get("evidence") or {}, ensure_ascii=False, sort_keys=True),
    }
    return values


def _notes(extraction: dict, plan: ImportPlan) -> str | None:
    """What a new convention's row cannot say by itself: its conclusion is its act's date,
    its FAST award."""
    notes = []
    dated = _dated_instead(extraction)
    if dated is not None:
        notes.append(
            _(
                "Concluded on {date}, the date its title gives (the act's own date): the text "
                "gives no signature date."
            ).format(date=day(dated))
        )
    if plan.fast_award is not None:
        award = plan.fast_award
        if "amount_cents" in plan.fast_award_values:  # as it will be once stored
            award = FastAwardRef(
                award.id, award.number, award.laureate_name, plan.fast_award_values["amount_cents"]
            )
        notes.append(_("Linked to {award}.").format(award=award.label()))
    return " ".join(notes) or None


def _party_match(
    party: dict, stored: list[ConventionParty], taken: set[int]
) -> ConventionParty | None:
    free = [p for p in stored if p.id not in taken]
    names = {fold_compact(n) for n in [party.get("name"), *(party.get("aliases") or [])]} - {""}
    for p in free:
        if names & {fold_compact(p.name), fold_compact(p.short_name)}:
            return p
    role = party.get("role")
    same_role = [p for p in free if role and p.role == role]
    if len(same_role) == 1:
        return same_role[0]
    rep = fold_compact(party.get("representative"))
    for p in free:
        if rep and rep == fold_compact(p.representative):
            return p
    return None


def _plan_parts(session: Session, plan: ImportPlan, convention_id: int | None) -> None:
    """Parties, schedule years and deadlines to add (or whose unknowns to fill)."""
    x = plan.extraction
    stored_parties = (
        session.exec(
            select(ConventionParty)
            .where(ConventionParty.convention_id == convention_id)
            .order_by(ConventionParty.position)
        ).all()
        if convention_id
        else []
    )
    taken: set[int] = set()
    position = max((p.position for p in stored_parties), default=-1) + 1
    for party in x.get("parties") or []:
        values = {
            "name": party.get("name"),
            "role": party.get("role"),
            "representative": party.get("representative"),
            "signed_on": _date(party.get("signed_on")),
        }
        match = _party_match(party, stored_parties, taken)
        if match is None:
            if not values["name"]:
                continue
            plan.parties.append((None, {**values, "position": position}))
            position += 1
            continue
        taken.add(match.id)
        fills = {
            k: v
            for k, v in values.items()
            if k != "name" and v is not None and getattr(match, k) is None
        }
        if match.signed_on and values["signed_on"] and match.signed_on != values["signed_on"]:
            plan.differences.append(
                (f"{match.name} signed_on", match.signed_on.isoformat(), party.get("signed_on"))
            )
        if fills:
            plan.parties.append((match.id, fills))

    stored_years = (
        {
            line.year: line
            for line in session.exec(
                select(ScheduleLine).where(ScheduleLine.convention_id == convention_id)
            )
        }
        if convention_id
        else {}
    )
    for line in x.get("schedule") or []:
        values = {"ae_cents": _cents(line.get("ae_eur")), "cp_cents": _cents(line.get("cp_eur"))}
        stored = stored_years.get(line["year"])
        if stored is None:
            plan.schedule.append((None, {"year": line["year"], **values}))
            continue
        fills = {k: v for k, v in values.items() if v is not None and getattr(stored, k) is None}
        if fills:
            plan.schedule.append((stored.id, fills))

    startup_id = plan.startup.id if plan.startup else None
    stored_deadlines = (
        session.exec(select(Deadline).where(Deadline.startup_id == startup_id)).all()
        if startup_id
        else []
    )
    for deadline in x.get("deadlines") or []:
        day = _date(deadline["date"])
        same = [
            d
            for d in stored_deadlines
            if d.date == day
            and (
                (convention_id is not None and d.convention_id == convention_id)
                or fold_compact(d.title) == fold_compact(deadline["title"])
            )
        ]
        if not same:
            plan.deadlines.append(
                (None, {"date": day, "title": deadline["title"], "kind": "deliverable"})
            )
        elif same[0].convention_id is None and convention_id is not None:
            plan.deadlines.append((same[0].id, {"convention_id": convention_id}))


def _plan_parent(
    session: Session, plan: ImportPlan, refs: list[ConventionRef], batch: Batch | None = None
) -> None:
    x = plan.extraction
    if x["kind"] != "avenant":
        return
    if plan.existing is not None:
        row = session.get(Convention, plan.existing.id)
        if row is not None and row.parent_id is not None:
            return  # already attached: never moved by an import
    parent = x.get("parent")
    own = [r for r in refs if plan.existing is None or r.id != plan.existing.id]
    if parent is None:
        roots = [r for r in own if r.kind == "convention"]
        if not roots:
            plan.warnings.append(
                _(
                    "the amendment does not say which convention it amends and the startup has "
                    "none: stored without a parent (it counts as its own budget)"
                )
            )
            return
        plan.parent_candidates = roots
        plan.parent_question = _(
            "the amendment does not date the convention it amends; which one of {slug}'s: "
            "{conventions}"
        ).format(slug=plan.startup.slug, conventions="; ".join(r.label() for r in roots))
        return
    date = _date(parent["date"])
    candidates = [r for r in own if r.kind == parent["kind"] and r.concluded_on == date]
    if len(candidates) == 1:
        plan.parent = candidates[0]
    elif (
        not candidates
        and batch is not None
        and (found := batch.convention(plan.startup.slug, parent["kind"], date))
    ):
        plan.parent_in_batch = found  # stored first, in its own transaction
    elif not candidates:
        plan.parent_placeholder = {"kind": parent["kind"], "date": parent["date"]}
    else:
        plan.parent_candidates = candidates
        plan.parent_question = (
            ngettext(
                "{slug} has {count} amendment of {date}: {conventions}",
                "{slug} has {count} amendments of {date}: {conventions}",
                len(candidates),
            )
            if parent["kind"] == "avenant"
            else ngettext(
                "{slug} has {count} convention of {date}: {conventions}",
                "{slug} has {count} conventions of {date}: {conventions}",
                len(candidates),
            )
        ).format(
            slug=plan.startup.slug,
            count=len(candidates),
            date=day_text(parent["date"]),
            conventions="; ".join(r.label() for r in candidates),
        )


@dataclass
class Batch:
    """What the files planned before this one, in the same import, will have stored."""

    shas: dict[str, str] = field(default_factory=dict)  # sha256 → file name
    conventions: list[tuple[str, str, dt.date | None, str]] = field(default_factory=list)
    new_startups: dict[str, str] = field(default_factory=dict)  # slug → file that creates it

    def convention(self, slug: str, kind: str, concluded: dt.date | None) -> str | None:
        for s, k, d, name in self.conventions:
            if (s, k, d) == (slug, kind, concluded) and d is not None:
                return name
        return None

    def add(self, plan: ImportPlan) -> None:
        name = pathlib.Path(plan.extraction.get("file") or "").name
        if plan.sha256:
            self.shas.setdefault(plan.sha256, name)
        if plan.problems or plan.startup is None or plan.nothing_to_do:
            return
        kind = plan.extraction.get("kind")
        self.conventions.append(
            (plan.startup.slug, kind, _text_concluded_on(plan.extraction), name)
        )
        if plan.startup.id is None:
            self.new_startups.setdefault(plan.startup.slug, name)


def plan_import(
    session: Session,
    extraction: dict,
    startup_slug: str | None = None,
    batch: Batch | None = None,
) -> ImportPlan:
    """What importing ``extraction`` would do (reads only).  ``batch``: what the files
    planned before it in the same import will have stored (they are applied first)."""
    sha = extraction.get("sha256") or ""
    plan = ImportPlan(extraction=extraction, sha256=sha)
    if sha and batch is not None and sha in batch.shas:
        plan.duplicate_of = batch.shas[sha]
        return plan
    if sha:
        known = session.exec(select(Convention).where(Convention.source_sha256 == sha)).first()
        if known is not None:
            plan.already_imported = _ref_of(session, known)
            return plan
    kind = extraction.get("kind")
    if kind not in ("convention", "avenant"):
        plan.problems.append(
            _(
                "the text does not say whether it is a convention or an amendment (no heading): "
                "nothing stored"
            )
        )
        return plan
    unread = (extraction.get("source") or {}).get("unread_pages")
    if unread:
        packages = " ".join((extraction.get("source") or {}).get("missing_packages") or [])
        pages = ", ".join(map(str, unread))
        plan.warnings.append(
            _(
                "page(s) {pages} hold an image without text and were not read (OCR needs the "
                "packages {packages}): the facts they give are missing"
            ).format(pages=pages, packages=packages)
        )
    if extraction.get("ceiling_words_match") is False:
        plan.warnings.append(
            _("the ceiling in figures does not match the amount written in words: check the text")
        )
    _resolve_startup(session, extraction, startup_slug, plan)
    if plan.startup is None:
        return plan
    if plan.startup.id is None and batch is not None and plan.startup.slug in batch.new_startups:
        first = batch.new_startups[plan.startup.slug]
        plan.startup = StartupRef(
            None,
            plan.startup.slug,
            plan.startup.title,
            _("created by {file}").format(file=first),
            created_in_batch=True,
        )

    refs = _refs(session, plan.startup.id) if plan.startup.id is not None else []
    values = _convention_values(extraction, plan)
    concluded = _text_concluded_on(extraction)
    scored = [
        (score, r)
        for r in refs
        if (
            score := _same_convention(
                r, kind, concluded, values["ceiling_cents"], values["ends_on"]
            )
        )
    ]
    if scored:
        best = max(score for score, _ref in scored)
        same = [r for score, r in scored if score == best]
        if len(same) > 1:
            plan.problems.append(
                _(
                    "several conventions in the store look like this text ({conventions}): "
                    "resolve the duplicate first"
                ).format(conventions="; ".join(r.label() for r in same))
            )
            return plan
        plan.existing = same[0]

    if plan.existing is None and batch is not None:
        plan.same_in_batch = batch.convention(plan.startup.slug, kind, concluded)
    _plan_fast(session, plan)
    if plan.existing is None:
        plan.convention_values = {k: v for k, v in values.items() if v is not None}
        plan.convention_values["source"] = SOURCE
        notes = _notes(extraction, plan)
        if notes:
            plan.convention_values["notes"] = notes
    else:
        row = session.get(Convention, plan.existing.id)
        fills = {}
        for key, value in values.items():
            if value is None:
                continue
            current = getattr(row, key)
            if current is None:
                fills[key] = value
            elif current != value and key not in (
                "source_file",
                "source_sha256",
                "evidence",
                "title",
            ):
                shown = current.isoformat() if isinstance(current, dt.date) else current
                text = value.isoformat() if isinstance(value, dt.date) else value
                plan.differences.append((key, shown, text))
        if "starts_on" not in fills:
            fills.pop("starts_on_precision", None)
        if "ends_on" not in fills:
            fills.pop("ends_on_precision", None)
        if row.placeholder and "source_sha256" in fills:
            # The text of a convention known so far only through its avenant.
            fills["placeholder"] = False
            fills["notes"] = " ".join(
                filter(
                    None,
                    [
                        row.notes,
                        _("Its text was imported from {file}.").format(file=values["source_file"]),
                    ],
                )
            )
        plan.convention_values = fills
    _plan_parent(session, plan, refs, batch)
    _plan_parts(session, plan, plan.existing.id if plan.existing else None)
    return plan


# --------------------------------------------------------------------------------------------
# Applying


def _add_or_update(session: Session, model, changes, new) -> int:
    """Apply a plan's ``(id, values)`` rows of ``model``: ``None`` adds ``new(values)``,
    an id updates that row (gone since the plan was made: refused).  How many were added."""
    added = 0
    for row_id, values in changes:
        if row_id is None:
            session.add(new(values))
            added += 1
            continue
        row = session.get(model, row_id)
        if row is None:
            raise _changed()
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
    return added


def _changed() -> StartupsError:
    return StartupsError(_("the store changed since the preview; run the import again"))


def apply_import(session: Session, plan: ImportPlan) -> ImportResult:
    """Write ``plan`` in ``session`` (the caller's one transaction) and re-attribute lines."""
    if plan.problems:
        raise BadInput(plan.problems[0])
    if plan.already_imported is not None:
        return ImportResult(convention_id=plan.already_imported.id, nothing=True, startup_slug=None)
    if plan.duplicate_of is not None or plan.parent_in_batch or plan.same_in_batch:
        raise StartupsError(
            "a plan made with the files before it: plan it again once they are stored"
        )
    if plan.needs_parent_choice:
        raise BadInput(f"ambiguous parent: {plan.parent_question}")
    if plan.sha256:
        known = session.exec(
            select(Convention).where(Convention.source_sha256 == plan.sha256)
        ).first()
        if known is not None:
            return ImportResult(convention_id=known.id, nothing=True)
    assert plan.startup is not None
    result = ImportResult(startup_slug=plan.startup.slug)

    if plan.startup.id is None:
        if session.exec(select(Startup).where(Startup.slug == plan.startup.slug)).first():
            raise _changed()
        startup = Startup(slug=plan.startup.slug, title=plan.startup.title, source=SOURCE)
        session.add(startup)
        session.flush()
        result.startup_created = True
    else:
        startup = session.get(Startup, plan.startup.id)
        if startup is None:
            raise _changed()

    parent_id = None
    if plan.parent is not None:
        parent = session.get(Convention, plan.parent.id)
        if parent is None or parent.startup_id != startup.id:
            raise _changed()
        parent_id = parent.id
    elif plan.parent_placeholder is not None:
        p = plan.parent_placeholder
        source_name = pathlib.Path(plan.extraction.get("file") or "").name
        placeholder = Convention(
            startup_id=startup.id,
            kind=p["kind"],
            signed_on=_date(p["date"]),
            placeholder=True,
            source=SOURCE,
            notes=_(
                "Created from the amendment {file}, which amends the {kind} of {date}; its own "
                "text is not in the store: ceiling and end date unknown."
            ).format(file=repr(source_name), kind=_kind(p["kind"]), date=day_text(p["date"])),
        )
        session.add(placeholder)
        session.flush()
        parent_id = result.placeholder_parent_id = placeholder.id
    result.parent_id = parent_id

    if plan.existing is None:
        convention = Convention(startup_id=startup.id, **plan.convention_values)
        convention.parent_id = parent_id
        session.add(convention)
        session.flush()
        result.created = True
    else:
        convention = session.get(Convention, plan.existing.id)
        if convention is None or convention.startup_id != startup.id:
            raise _changed()
        for key, value in plan.convention_values.items():
            setattr(convention, key, value)
        if parent_id is not None and convention.parent_id is None:
            convention.parent_id = parent_id
        session.add(convention)
        result.completed = True
        result.fields_filled = sorted(plan.convention_values)
    result.convention_id = convention.id
    result.kind = convention.kind

    result.parties_added = _add_or_update(
        session,
        ConventionParty,
        plan.parties,
        lambda values: ConventionParty(convention_id=convention.id, **values),
    )
    result.schedule_added = _add_or_update(
        session,
        ScheduleLine,
        plan.schedule,
        lambda values: ScheduleLine(convention_id=convention.id, **values),
    )
    result.deadlines_added = _add_or_update(
        session,
        Deadline,
        plan.deadlines,
        lambda values: Deadline(
            startup_id=startup.id, convention_id=convention.id, source=SOURCE, **values
        ),
    )
    if plan.fast_award is not None and plan.fast_award_values:
        award = session.get(FastAward, plan.fast_award.id)
        if award is None or award.startup_id != startup.id:
            raise _changed()
        for key, value in plan.fast_award_values.items():
            setattr(award, key, value)
        session.add(award)
        result.fast_award_id = award.id
    session.flush()
    reattribute(session, startup.id)
    return result
