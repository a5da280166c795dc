"""beta.gouv.fr's records written into the store, in one transaction.

Upsert by slug (organisations, incubators, startups) and by number (FAST promotions); a
startup's sponsors, phases and events, and the FAST awards, are replaced by what
upstream says, but only on rows that beta.gouv.fr owns (``source == "betagouv"``).
Rows from elsewhere (the demo, local edits) and local data (conventions, consumption,
deadlines, objectives, notes) are never rewritten or deleted.  A startup that
disappeared upstream gets ``upstream_missing = True``; a sponsor, incubator or
promotion referenced but not defined is created with ``placeholder = True``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlmodel import select

import i18n
from store import models as m
from store.errors import BadInput
from store.importers.betagouv.read import (
    SOURCE,
    BadFile,
    LaureateMatcher,
    Snapshot,
    StartupRecord,
    load_snapshot,
)
from store.ops.committee import sync_committee_events
from store.rules.text import fold_compact, fold_words

_ = i18n.Domain("store").gettext
ngettext = i18n.Domain("store").ngettext

if TYPE_CHECKING:
    from sqlmodel import Session

    from store.db import Store


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    kept_local: int = 0
    placeholders: int = 0
    marked_missing: int = 0
    counts: Counter = field(default_factory=Counter)
    unmatched_laureates: list[tuple[int, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        c = self.counts

        parts = [
            ngettext("{n} created", "{n} created", self.created).format(n=self.created),
            ngettext("{n} updated", "{n} updated", self.updated).format(n=self.updated),
            ngettext("{n} unchanged", "{n} unchanged", self.unchanged).format(n=self.unchanged),
            ngettext("{n} skipped", "{n} skipped", self.skipped).format(n=self.skipped),
        ]
        read = ", ".join(
            [
                ngettext("{n} startup", "{n} startups", c["startups"]).format(n=c["startups"]),
                ngettext("{n} organisation", "{n} organisations", c["organisations"]).format(
                    n=c["organisations"]
                ),
                ngettext("{n} incubator", "{n} incubators", c["incubators"]).format(
                    n=c["incubators"]
                ),
                ngettext("{n} FAST promotion", "{n} FAST promotions", c["promotions"]).format(
                    n=c["promotions"]
                ),
                ngettext("{n} phase", "{n} phases", c["phases"]).format(n=c["phases"]),
            ]
        )
        extra = []
        if self.placeholders:
            extra.append(
                ngettext(
                    "{n} referenced but undefined (placeholder)",
                    "{n} referenced but undefined (placeholders)",
                    self.placeholders,
                ).format(n=self.placeholders)
            )
        if self.marked_missing:
            extra.append(
                ngettext(
                    "{n} startup gone upstream (kept, marked)",
                    "{n} startups gone upstream (kept, marked)",
                    self.marked_missing,
                ).format(n=self.marked_missing)
            )
        if self.kept_local:
            extra.append(
                ngettext(
                    "{n} local row left as it is",
                    "{n} local rows left as they are",
                    self.kept_local,
                ).format(n=self.kept_local)
            )
        sep = _("; ")
        tail = sep + sep.join(extra) if extra else ""
        return (
            _("beta.gouv.fr import ({read}): {parts}").format(read=read, parts=", ".join(parts))
            + tail
        )


def as_json_list(values: tuple[str, ...]) -> str | None:
    """How ``thematiques``/``usertypes`` are stored: a JSON array, or NULL when empty."""
    return json.dumps(list(values)) if values else None


def startup_fields(record: StartupRecord) -> dict[str, Any]:
    """The startup's own columns from its record (incubator and sponsors aside)."""
    return {
        "title": record.title,
        "mission": record.mission,
        "description": record.description,
        "link": record.link,
        "repository": record.repository,
        "contact": record.contact,
        "budget_url": record.budget_url,
        "dashlord_url": record.dashlord_url,
        "accessibility_status": record.accessibility_status,
        "thematiques": as_json_list(record.thematiques),
        "usertypes": as_json_list(record.usertypes),
    }


def _phase_key(p: Any) -> tuple:
    return (
        p.start.isoformat() if p.start else "",
        p.name,
        p.end.isoformat() if p.end else "",
        p.comment or "",
    )


def _event_key(e: Any) -> tuple:
    return (e.date.isoformat(), e.name, e.comment or "")


class _Writer:
    def __init__(self, session: Session, snap: Snapshot):
        self.m = m
        self.s = session
        self.snap = snap
        self.result = ImportResult(skipped=len(snap.bad))
        self.orgs = {o.slug: o for o in session.exec(select(m.Organisation))}
        self.incs = {i.slug: i for i in session.exec(select(m.Incubator))}
        self.startups = {s.slug: s for s in session.exec(select(m.Startup))}
        self.promotions = {p.number: p for p in session.exec(select(m.FastPromotion))}

    # -- generic upsert
    def _upsert(self, rows: dict, key: Any, model: type, values: dict[str, Any]) -> Any:
        row = rows.get(key)
        if row is None:
            row = model(**values)
            self.s.add(row)
            rows[key] = row
            self.result.created += 1
            return row
        if getattr(row, "source", SOURCE) != SOURCE:
            self.result.kept_local += 1
            return row
        changes = {k: v for k, v in values.items() if getattr(row, k) != v}
        if changes:
            for k, v in changes.items():
                setattr(row, k, v)
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        return row

    def organisation_id(self, slug: str | None) -> int | None:
        if not slug:
            return None
        row = self.orgs.get(slug)
        if row is None:
            row = self.m.Organisation(slug=slug, name=slug, placeholder=True, source=SOURCE)
            self.s.add(row)
            self.s.flush()
            self.orgs[slug] = row
            self.result.created += 1
            self.result.placeholders += 1
        return row.id

    def incubator_id(self, slug: str | None) -> int | None:
        if not slug:
            return None
        row = self.incs.get(slug)
        if row is None:
            row = self.m.Incubator(slug=slug, title=slug, placeholder=True, source=SOURCE)
            self.s.add(row)
            self.s.flush()
            self.incs[slug] = row
            self.result.created += 1
            self.result.placeholders += 1
        return row.id

    def owner_organisation_id(self, owner: str) -> int | None:
        """A pre-2020 ``owner:`` (free text) → the organisation it names, or a placeholder."""
        wanted = fold_compact(owner)
        found = {
            slug
            for slug, org in self.orgs.items()
            if wanted
            in {fold_compact(slug), fold_compact(org.name), fold_compact(org.acronym or "")}
        }
        if len(found) == 1:
            return self.orgs[next(iter(found))].id
        slug = "-".join(fold_words(owner).split())[:80] or "owner"
        if slug not in self.orgs:
            row = self.m.Organisation(slug=slug, name=owner, placeholder=True, source=SOURCE)
            self.s.add(row)
            self.s.flush()
            self.orgs[slug] = row
            self.result.created += 1
            self.result.placeholders += 1
        return self.orgs[slug].id

    def run(self) -> ImportResult:
        snap, m = self.snap, self.m
        counts = self.result.counts
        counts.update(
            startups=len(snap.startups),
            organisations=len(snap.organisations),
            incubators=len(snap.incubators),
            promotions=len(snap.promotions),
            phases=len(snap.phases),
        )
        for org in snap.organisations.values():
            self._upsert(
                self.orgs,
                org.slug,
                m.Organisation,
                {
                    "slug": org.slug,
                    "name": org.name,
                    "acronym": org.acronym,
                    "type": org.type,
                    "domaine_ministeriel": org.domaine_ministeriel,
                    "placeholder": False,
                    "source": SOURCE,
                },
            )
        self.s.flush()
        for inc in snap.incubators.values():
            self._upsert(
                self.incs,
                inc.slug,
                m.Incubator,
                {
                    "slug": inc.slug,
                    "title": inc.title,
                    "owner_id": self.organisation_id(inc.owner),
                    "contact": inc.contact,
                    "address": inc.address,
                    "website": inc.website,
                    "github": inc.github,
                    "short_description": inc.short_description,
                    "placeholder": False,
                    "source": SOURCE,
                },
            )
        self.s.flush()
        self._startups()
        self._promotions_and_awards()
        self.s.flush()
        sync_committee_events(self.s)
        return self.result

    def _startups(self) -> None:
        m, snap = self.m, self.snap
        sponsors: dict[int, list] = defaultdict(list)
        for ss in self.s.exec(select(m.StartupSponsor)):
            sponsors[ss.startup_id].append(ss)
        co_incubators: dict[int, list] = defaultdict(list)
        for si in self.s.exec(select(m.StartupIncubator)):
            co_incubators[si.startup_id].append(si)
        phases: dict[int, list] = defaultdict(list)
        for p in self.s.exec(select(m.Phase)):
            phases[p.startup_id].append(p)
        events: dict[int, list] = defaultdict(list)
        for e in self.s.exec(select(m.Event)):
            events[e.startup_id].append(e)

        mine: list[tuple[StartupRecord, Any, bool, bool]] = []
        for record in snap.startups.values():
            values = startup_fields(record) | {
                "slug": record.slug,
                "incubator_id": self.incubator_id(record.incubator),
                "source": SOURCE,
                "upstream_missing": False,
            }
            row = self.startups.get(record.slug)
            if row is None:
                row = m.Startup(**values)
                self.s.add(row)
                self.startups[record.slug] = row
                mine.append((record, row, True, True))
            elif row.source == SOURCE:
                changed = False
                for k, v in values.items():
                    if getattr(row, k) != v:
                        setattr(row, k, v)
                        changed = True
                mine.append((record, row, False, changed))
            else:
                self.result.kept_local += 1
        self.s.flush()
        # Children are compared as sets and, when they differ, replaced; new rows are
        # inserted in bulk (one executemany per table: 3 000 ORM objects cost ~0.4 s).
        stale: list[Any] = []
        add_sponsors: list[dict[str, Any]] = []
        add_incubators: list[dict[str, Any]] = []
        add_phases: list[dict[str, Any]] = []
        add_events: list[dict[str, Any]] = []
        outcome: list[tuple[bool, bool]] = []
        for record, row, new, changed in mine:
            if record.sponsors:
                org_ids = [self.organisation_id(slug) for slug in record.sponsors]
            elif record.owner:
                org_ids = [self.owner_organisation_id(record.owner)]
            else:
                org_ids = []
            wanted = list(enumerate(dict.fromkeys(org_ids)))
            have = sorted((ss.position, ss.organisation_id) for ss in sponsors.get(row.id, []))
            if have != wanted:
                stale += sponsors.get(row.id, [])
                add_sponsors += [
                    {"startup_id": row.id, "organisation_id": org_id, "position": position}
                    for position, org_id in wanted
                ]
                changed = True
            wanted_incubators = list(
                enumerate(dict.fromkeys(self.incubator_id(slug) for slug in record.incubators))
            )
            have_incubators = sorted(
                (si.position, si.incubator_id) for si in co_incubators.get(row.id, [])
            )
            if have_incubators != wanted_incubators:
                stale += co_incubators.get(row.id, [])
                add_incubators += [
                    {"startup_id": row.id, "incubator_id": inc_id, "position": position}
                    for position, inc_id in wanted_incubators
                ]
                changed = True
            old_phases = phases.get(row.id, [])
            if sorted(map(_phase_key, old_phases)) != sorted(map(_phase_key, record.phases)):
                stale += old_phases
                add_phases += [
                    {
                        "startup_id": row.id,
                        "name": p.name,
                        "start": p.start,
                        "end": p.end,
                        "comment": p.comment,
                    }
                    for p in record.phases
                ]
                changed = True
            old_events = events.get(row.id, [])
            if sorted(map(_event_key, old_events)) != sorted(map(_event_key, record.events)):
                stale += old_events
                add_events += [
                    {"startup_id": row.id, "name": e.name, "date": e.date, "comment": e.comment}
                    for e in record.events
                ]
                changed = True
            outcome.append((new, changed))
        for old in stale:
            self.s.delete(old)
        self.s.flush()
        for model, rows in (
            (m.StartupSponsor, add_sponsors),
            (m.StartupIncubator, add_incubators),
            (m.Phase, add_phases),
            (m.Event, add_events),
        ):
            if rows:
                self.s.execute(insert(model), rows)
        for new, changed in outcome:
            if new:
                self.result.created += 1
            elif changed:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        if snap.has_startups_folder:
            for slug, row in self.startups.items():
                gone = slug not in snap.startups and slug not in snap.unreadable_startups
                if row.source == SOURCE and gone and not row.upstream_missing:
                    row.upstream_missing = True
                    self.result.marked_missing += 1
                    self.result.updated += 1

    def _promotions_and_awards(self) -> None:
        m, snap = self.m, self.snap
        for number in sorted(
            {*snap.promotions, *(f.promotion for s in snap.startups.values() for f in s.fast)}
        ):
            record = snap.promotions.get(number)
            row = self.promotions.get(number)
            if record is None:
                if row is None:  # referenced by a startup, no page: created, untitled
                    row = m.FastPromotion(number=number)
                    self.s.add(row)
                    self.promotions[number] = row
                    self.result.created += 1
                    self.result.placeholders += 1
                continue
            self._upsert(
                self.promotions,
                number,
                m.FastPromotion,
                {"number": number, "title": record.title, "date": record.date},
            )
        self.s.flush()

        # Every award upstream gives: (promotion, startup) from the startups' `fast:` and
        # the promotion pages' laureates; a laureate no startup matches is kept by name.
        matcher = LaureateMatcher((s.slug, s.title, s.link) for s in self.startups.values())
        titles = {slug: row.title for slug, row in self.startups.items()}
        awards: dict[tuple[int, str], dict[str, Any]] = {}
        for record in snap.startups.values():
            for fast in record.fast:
                awards[(fast.promotion, record.slug)] = {
                    "slug": record.slug,
                    "name": record.title,
                    "amount": fast.amount_cents,
                }
        for number, promotion in snap.promotions.items():
            for laureate in promotion.laureates:
                slug = matcher.match(laureate)
                key = (number, slug or f"name:{laureate.name}")
                award = awards.setdefault(key, {"slug": slug, "name": laureate.name})
                award["name"] = laureate.name
                if award.get("amount") is None:
                    award["amount"] = laureate.amount_cents
                if slug is None:
                    self.result.unmatched_laureates.append((number, laureate.name))

        existing = list(self.s.exec(select(m.FastAward)))
        local = {(a.promotion_id, a.startup_id) for a in existing if a.source != SOURCE}
        wanted = []
        for (number, _key), award in sorted(awards.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            startup = self.startups.get(award["slug"]) if award["slug"] else None
            promotion_id = self.promotions[number].id
            startup_id = startup.id if startup is not None else None
            if startup_id is not None and (promotion_id, startup_id) in local:
                continue  # the same award, already recorded locally (the demo's): left alone
            wanted.append(
                (
                    startup_id,
                    promotion_id,
                    award["name"] or titles.get(award["slug"]),
                    award.get("amount"),
                )
            )
        mine = [a for a in existing if a.source == SOURCE]

        def key(values: tuple) -> tuple:
            return tuple("" if v is None else str(v) for v in values)

        have = sorted(
            key((a.startup_id, a.promotion_id, a.laureate_name, a.amount_cents)) for a in mine
        )
        if have != sorted(map(key, wanted)):
            for award in mine:
                self.s.delete(award)
            for startup_id, promotion_id, name, amount in wanted:
                self.s.add(
                    m.FastAward(
                        startup_id=startup_id,
                        promotion_id=promotion_id,
                        laureate_name=name,
                        amount_cents=amount,
                        source=SOURCE,
                    )
                )


def write_snapshot(store: Store, snap: Snapshot) -> ImportResult:
    """Write ``snap`` into ``store`` in one transaction (all of it, or nothing)."""
    with store.session() as session:
        return _Writer(session, snap).run()


def import_betagouv(
    store: Store,
    root: Path,
    *,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
    on_bad: Callable[[BadFile], None] | None = None,
) -> ImportResult:
    """Read ``root`` and write it into ``store``.

    Unreadable files are reported through ``on_bad`` and skipped; with ``strict``, any of
    them means nothing is written (:class:`BadInput`).
    """
    snap = load_snapshot(root, progress)
    for bad in snap.bad:
        if on_bad is not None:
            on_bad(bad)
    if strict and snap.bad:
        raise BadInput(
            ngettext(
                "{count} unreadable file in {root}; nothing imported (--strict)",
                "{count} unreadable files in {root}; nothing imported (--strict)",
                len(snap.bad),
            ).format(count=len(snap.bad), root=snap.root)
        )
    return write_snapshot(store, snap)
