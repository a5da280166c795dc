"""Which convention an EJ line of a Chorus export belongs to, by its imputation codes.

Pure: the caller gives each convention's codes and period, and each line's codes and date.
A convention *matches* a line when its period (as the budget rules read it) contains the
line's date, at least one code can be compared, and no code the two both give disagrees:

- centre financier ↔ programme, BOP, UO (``0214-CEN2-INFO``: programme ``0214``, BOP
  ``0214-CEN2``, UO ``0214-CEN2-INFO``; a convention's UO may be written alone, ``INFO``);
- référentiel de programmation ↔ activité;
- domaine fonctionnel, centre de coûts.

A line goes to a convention only when exactly one matches; with none or several it is
left unmatched, and the candidates are named: never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from store.rules.text import fold

CODE_FIELDS = ("programme", "bop", "uo", "activite", "domaine_fonctionnel", "centre_couts")


@dataclass(frozen=True, slots=True)
class Codes:
    """Imputation codes, as a convention or an export line gives them (None: not given)."""

    programme: str | None = None
    bop: str | None = None
    uo: str | None = None
    activite: str | None = None
    domaine_fonctionnel: str | None = None
    centre_couts: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A root convention (``convention_id``) of a startup, with the codes of one of its
    texts (the convention or an avenant) and its period; ``start`` None: pending."""

    convention_id: int
    startup_id: int
    codes: Codes
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class Match:
    """The convention a line goes to (None: unmatched) and every convention that matched."""

    convention_id: int | None
    startup_id: int | None
    candidates: tuple[int, ...]


_NOT_CODE = re.compile(r"[^0-9a-z]+")


def _norm(value: str | None) -> str | None:
    if value is None:
        return None
    text = fold(value).strip()
    if "/" in text:  # a périmètre first: "BG00/0214-CEN2-INFO"
        text = text.rsplit("/", 1)[1]
    parts = [p.lstrip("0") if p.isdigit() else p for p in re.split(r"[-\s._]+", text) if p]
    return "-".join(parts) or None


def _flat(value: str | None) -> str | None:
    text = _norm(value)
    return None if text is None else _NOT_CODE.sub("", text)


def agree(field: str, ours: str | None, theirs: str | None) -> bool | None:
    """Whether a convention's code (``ours``) and a line's (``theirs``) agree; None when
    either is not given (nothing to compare)."""
    a, b = _norm(ours), _norm(theirs)
    if a is None or b is None:
        return None
    if a == b:
        return True
    if field == "uo" and "-" not in a:
        return b.rsplit("-", 1)[-1] == a  # the UO written alone
    if field in ("activite", "domaine_fonctionnel", "centre_couts"):
        return _flat(a) == _flat(b)
    return False


def matches(candidate: Candidate, codes: Codes, day: dt.date) -> bool:
    """Does the convention match the line: period, at least one code, none disagreeing?"""
    if candidate.start is None or day < candidate.start:
        return False
    if candidate.end is not None and day > candidate.end:
        return False
    compared = False
    for field in CODE_FIELDS:
        verdict = agree(field, getattr(candidate.codes, field), getattr(codes, field))
        if verdict is False:
            return False
        if verdict:
            compared = True
    return compared


def match(codes: Codes, day: dt.date, candidates: Iterable[Candidate]) -> Match:
    """The one convention matching the line, if exactly one does (its texts count once)."""
    found: dict[int, int] = {}
    for c in candidates:
        if c.convention_id not in found and matches(c, codes, day):
            found[c.convention_id] = c.startup_id
    ids = tuple(sorted(found))
    if len(ids) == 1:
        return Match(ids[0], found[ids[0]], ids)
    return Match(None, None, ids)


def with_code(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates that give at least one code (the others can never match)."""
    return [c for c in candidates if any(getattr(c.codes, f) for f in CODE_FIELDS)]
