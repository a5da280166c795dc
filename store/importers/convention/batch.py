"""Several conventions at a time: a folder, or several files.

Every file is read first (OCR included) and planned against the store as the files before
it will have left it: conventions before their avenants, older before newer, so that an
avenant finds its parent among the same files rather than making a placeholder.  Nothing
is written while planning.  Then each file is stored in its own transaction, planned again
against the store as it is by then (a file that fails leaves the others stored).

What could not be read (not a regular file, not a convention, an unreadable PDF, missing
OCR tools) is kept in the batch with its one-line reason, never stored.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

import i18n
from store.db import Store
from store.errors import BadInput, StartupsError
from store.fmt import eur
from store.importers.convention.plan import (
    Batch,
    ImportPlan,
    ImportResult,
    apply_import,
    day_text,
    load_extraction,
    plan_import,
)
from store.rules.vocab import CONVENTION_KIND_LABELS

_ = i18n.Domain("store").gettext
ngettext = i18n.Domain("store").ngettext

__all__ = [
    "MAX_FILES",
    "BatchItem",
    "BatchResult",
    "BatchRow",
    "apply_item",
    "files_of",
    "plan_all",
    "read_all",
]

MAX_FILES = 500


def files_of(paths: Iterable[pathlib.Path | str]) -> list[pathlib.Path]:
    """The files named, a folder's own files (not its sub-folders, not hidden ones) in name
    order; a path that does not exist is :class:`BadInput`."""
    found: list[pathlib.Path] = []
    seen: set[str] = set()
    for given in paths:
        path = pathlib.Path(given).expanduser()
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError as exc:
            raise BadInput(
                _("{file}: cannot read ({reason})").format(file=path, reason=exc.strerror or exc)
            ) from exc
        if not exists:
            raise BadInput(_("{file}: no such file or folder").format(file=path))
        if is_dir:
            try:
                entries = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError as exc:
                raise BadInput(
                    _("{file}: cannot read the folder ({reason})").format(
                        file=path, reason=exc.strerror or exc
                    )
                ) from exc
            inside = [
                pathlib.Path(e.path)
                for e in entries
                if not e.name.startswith(".") and not e.is_dir(follow_symlinks=False)
            ]
        else:
            inside = [path]
        for file in inside:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                found.append(file)
        if len(found) > MAX_FILES:
            raise BadInput(
                _("more than {max} files to import at once; import fewer").format(max=MAX_FILES)
            )
    return found


@dataclass(frozen=True)
class BatchRow:
    """One line of the plan's table."""

    file: str
    kind: str
    startup: str
    parent: str
    effect: str
    refused: bool  # could not be read, or cannot be stored as it is


@dataclass
class BatchItem:
    path: pathlib.Path
    extraction: dict | None = None
    error: str | None = None  # why it could not be read (one line)
    error_code: int = 2  # 2: bad input; 1: a failure of the work (OCR that failed)
    plan: ImportPlan | None = None
    parent_choice: int | None = None  # a convention id, when the plan asked which
    result: ImportResult | None = None
    failure: str | None = None  # why storing it failed
    failure_code: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def importable(self) -> bool:
        """Something to store, once asked what it must (its parent)."""
        plan = self.plan
        return (
            plan is not None
            and not plan.problems
            and not plan.nothing_to_do
            and (not plan.needs_parent_choice or self.parent_choice is not None)
        )

    @property
    def reason(self) -> str | None:
        """Why it will not be stored (None: it will, or there is nothing to store)."""
        if self.error is not None:
            return self.error
        if self.plan is not None and self.plan.problems:
            return _("{file}: {reason}").format(file=self.path, reason=self.plan.problems[0])
        if self.plan is not None and self.plan.needs_parent_choice and self.parent_choice is None:
            return _("{file}: ambiguous parent: {question}").format(
                file=self.path, question=self.plan.parent_question
            )
        return None

    def row(self) -> BatchRow:
        x, plan = self.extraction or {}, self.plan
        kind = x.get("kind") or "—"
        if kind == "avenant" and x.get("avenant_number"):
            kind = _("amendment no. {number}").format(number=x["avenant_number"])
        elif kind != "—":
            kind = CONVENTION_KIND_LABELS.label(kind)
        if self.error is not None:
            return BatchRow(
                self.name,
                kind,
                "",
                "",
                _("not read: {reason}").format(reason=_reason(self.error)),
                True,
            )
        if plan is None:  # no store to plan against: what the text gives
            parent = x.get("parent") or {}
            ceiling = x.get("ceiling_eur")
            parties = len(x.get("parties") or [])
            read = ngettext("read: {count} party", "read: {count} parties", parties).format(
                count=parties
            )
            if ceiling is not None:
                read += _(", ceiling {amount}").format(amount=eur(round(ceiling * 100)))
            return BatchRow(self.name, kind, "", parent.get("date", ""), read, False)
        startup = plan.startup.slug if plan.startup else "?"
        if plan.startup is not None and plan.startup.id is None:
            startup += _(" (created)") if plan.startup.created_in_batch else _(" (new)")
        parent = ""
        if plan.parent is not None:
            parent = f"#{plan.parent.id}"
        elif plan.parent_in_batch is not None:
            parent = plan.parent_in_batch
        elif plan.parent_placeholder is not None:
            parent = _("placeholder of {date}").format(
                date=day_text(plan.parent_placeholder["date"])
            )
        elif plan.needs_parent_choice:
            parent = f"#{self.parent_choice}" if self.parent_choice is not None else "?"
        if plan.already_imported is not None:
            effect = _("already imported (#{id})").format(id=plan.already_imported.id)
        elif plan.duplicate_of is not None:
            effect = _("same file as {file}").format(file=plan.duplicate_of)
        elif plan.problems:
            return BatchRow(
                self.name,
                kind,
                startup,
                parent,
                _("refused: {reason}").format(reason=plan.problems[0]),
                True,
            )
        elif plan.needs_parent_choice and self.parent_choice is None:
            return BatchRow(self.name, kind, startup, "?", _("refused: ambiguous parent"), True)
        elif plan.existing is not None:
            effect = (
                _("nothing to add (#{id})") if plan.nothing_to_do else _("completes #{id}")
            ).format(id=plan.existing.id)
        elif plan.same_in_batch is not None:
            effect = (
                _("completes the amendment of {file}")
                if x.get("kind") == "avenant"
                else _("completes the convention of {file}")
            ).format(file=plan.same_in_batch)
        else:
            effect = (
                _("creates an amendment")
                if x.get("kind") == "avenant"
                else _("creates a convention")
            )
        parties = sum(1 for i, _p in plan.parties if i is None)
        years = sum(1 for i, _p in plan.schedule if i is None)
        deadlines = sum(1 for i, _p in plan.deadlines if i is None)
        adds = [
            (parties, ngettext("+{n} party", "+{n} parties", parties)),
            (years, ngettext("+{n} year", "+{n} years", years)),
            (deadlines, ngettext("+{n} deadline", "+{n} deadlines", deadlines)),
        ]
        extra = [text.format(n=n) for n, text in adds if n]
        if plan.fast_award is not None:
            extra.append(
                _("FAST {number} award #{id}").format(
                    number=plan.fast_award.number, id=plan.fast_award.id
                )
            )
        if extra and not plan.nothing_to_do and plan.same_in_batch is None:
            effect += ", " + ", ".join(extra)
        return BatchRow(self.name, kind, startup, parent, effect, False)


def _reason(message: str) -> str:
    """A one-line error without the path it starts with (the table names the file)."""
    head, sep, rest = message.partition(": ")
    return rest if sep and ("/" in head or "." in head) else message


def read_all(
    paths: Iterable[pathlib.Path], progress: Callable[[int, int], None] | None = None
) -> list[BatchItem]:
    """Every file read and extracted (OCR included); what could not be read keeps its reason."""
    files = list(paths)
    items = []
    for done, path in enumerate(files, start=1):
        item = BatchItem(path)
        try:
            item.extraction = load_extraction(path)
        except BadInput as exc:
            item.error = str(exc)
        except StartupsError as exc:
            item.error, item.error_code = str(exc), exc.exit_code
        items.append(item)
        if progress is not None:
            progress(done, len(files))
    return items


def _order(item: BatchItem) -> tuple:
    x = item.extraction or {}
    dates = [x.get("signed_on"), x.get("dated_on")]
    dates += [p.get("signed_on") for p in x.get("parties") or []]
    known = [d for d in dates if d]
    return (
        item.extraction is None,
        x.get("kind") != "convention",
        max(known) if known else dt.date.max.isoformat(),
        x.get("avenant_number") or 0,
        item.name,
    )


def plan_all(session: Session, items: list[BatchItem], startup_slug: str | None) -> None:
    """Order ``items`` (conventions first, then by date) and plan each one as the store will
    be once those before it are stored.  Reads only."""
    items.sort(key=_order)
    batch = Batch()
    for item in items:
        if item.extraction is None:
            continue
        item.plan = plan_import(session, item.extraction, startup_slug, batch)
        batch.add(item.plan)


def apply_item(store: Store, item: BatchItem, startup_slug: str | None) -> ImportResult | None:
    """Store ``item`` in its own transaction, planned again against the store as it is now.
    A failure is kept on the item (``failure``), never raised: the next files go on."""
    assert item.extraction is not None
    try:
        with store.session() as session:
            plan = plan_import(session, item.extraction, startup_slug)
            if plan.needs_parent_choice and item.parent_choice is not None:
                plan.choose_parent(item.parent_choice)
            if plan.problems:
                raise BadInput(
                    _("{file}: {reason}").format(file=item.path, reason=plan.problems[0])
                )
            if plan.needs_parent_choice:
                raise BadInput(
                    _("{file}: ambiguous parent: {question}").format(
                        file=item.path, question=plan.parent_question
                    )
                )
            if plan.nothing_to_do:  # what a file before it stored already says it all
                done = plan.already_imported or plan.existing
                item.result = ImportResult(convention_id=done.id if done else None, nothing=True)
                return item.result
            item.result = apply_import(session, plan)
    except StartupsError as exc:
        item.failure, item.failure_code = str(exc), exc.exit_code
        return None
    return item.result


@dataclass
class BatchResult:
    """What a batch stored, shaped like an :class:`ImportResult` for the app's callers."""

    results: list[ImportResult] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not any(not r.nothing for r in self.results)

    @property
    def startup_slug(self) -> str | None:
        slugs = {r.startup_slug for r in self.results if not r.nothing}
        return slugs.pop() if len(slugs) == 1 else None

    @property
    def convention_id(self) -> int | None:
        stored = [r for r in self.results if not r.nothing]
        return stored[0].convention_id if stored else None

    def summary(self) -> str:
        stored = [r for r in self.results if not r.nothing]
        if not stored:
            return _("nothing stored")
        return ngettext("{count} file stored", "{count} files stored", len(stored)).format(
            count=len(stored)
        )
