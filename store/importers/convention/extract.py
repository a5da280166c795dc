"""Read a convention (or avenant) de délégation de gestion and extract its facts.

The documents are OCR'd or PDF-extracted French administrative texts: free text, with broken
lines, page furniture and OCR noise. The extractor works on *normalised lines* (NFKC, straight
apostrophes, plain spaces, no ``**`` markers) joined into one string, so a regex may cross a
line break; every fact keeps the 1-based line number where it was read (evidence).

One small function per field, each returning ``(value, evidence)``. A field the text does not
give is ``None`` (or an empty list): nothing is guessed, nothing is dated "today".

Public API: :func:`read_document`, :func:`extract`, :func:`extract_file`, and the two errors
:class:`NotAConvention` and :class:`UnreadableDocument` (both ``ValueError``, with a one-line
message).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import hashlib
import itertools
import pathlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from text_to_num import text2num

import i18n
from store.importers.convention.frdates import find_french_dates
from store.importers.convention.read import (
    OcrFailed,
    Source,
    UnreadableDocument,
    read_document,
    read_source,
)
from store.rules.text import fold

_ = i18n.Domain("store").gettext

__all__ = [
    "QUOTE_MAX",
    "SCHEMA",
    "NotAConvention",
    "OcrFailed",
    "UnreadableDocument",
    "extract",
    "extract_file",
    "read_document",
]

SCHEMA = "startups.convention/1"

Evidence = dict[str, Any]  # {"line": int, "text": str}


class NotAConvention(ValueError):
    """The text is readable but is not a convention or an avenant (one-line reason)."""


# --------------------------------------------------------------------------------------------
# Reading files


def extract_file(path: pathlib.Path) -> dict:
    """Read ``path`` (OCR'd where a PDF is a scan) and extract it; ``sha256`` is that of
    the file's bytes, as read."""
    path = pathlib.Path(path)
    source, data = read_source(path)
    digest = hashlib.sha256(data).hexdigest()
    return extract(source.text, file=str(path), sha256=digest, source=source)


# --------------------------------------------------------------------------------------------
# The normalised document


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'", "“": "«", "”": "»"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFKC", line)
    line = line.translate(_APOSTROPHES).replace("**", "").replace("\ufffd", " ")
    line = line.replace("''", "'")  # OCR doubles apostrophes ("l''UO")
    line = _CONTROL.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


QUOTE_MAX = 600  # characters of a line quoted as evidence; a longer line is cut around the fact


def _quote(raw: str, normalised: str, at: int | None) -> str:
    """The line as evidence: whole when readable, else :data:`QUOTE_MAX` characters of its
    normalised text around offset ``at`` (…-marked where cut)."""
    text = raw.strip()
    if len(text) <= QUOTE_MAX:
        return text
    at = 0 if at is None else max(0, min(at, len(normalised)))
    start = max(0, min(at - QUOTE_MAX // 3, len(normalised) - QUOTE_MAX))
    cut = normalised[start : start + QUOTE_MAX]
    return ("…" if start else "") + cut + ("…" if start + QUOTE_MAX < len(normalised) else "")


@dataclass
class _Doc:
    raw_lines: list[str]
    lines: list[str]  # normalised, same count as raw_lines
    flat: str = ""  # normalised lines joined with "\n"
    starts: list[int] = field(default_factory=list)
    used_dates: set[int] = field(default_factory=set)  # offsets of dates already read as facts
    source: Source | None = None

    @classmethod
    def from_text(cls, text: str, source: Source | None = None) -> _Doc:
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        lines = [_normalise_line(r) for r in raw]
        starts, pos = [], 0
        for line in lines:
            starts.append(pos)
            pos += len(line) + 1
        return cls(raw, lines, "\n".join(lines), starts, source=source)

    def index_at(self, pos: int) -> int:
        """0-based index of the line holding offset ``pos`` of ``flat``."""
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def evidence(self, pos: int) -> Evidence:
        i = self.index_at(pos)
        return self.evidence_line(i, pos - self.starts[i])

    def evidence_line(self, i: int, at: int | None = None) -> Evidence:
        ev: Evidence = {"line": i + 1, "text": _quote(self.raw_lines[i], self.lines[i], at)}
        if self.source is not None and self.source.page_lines:
            page = self.source.page_of_line(i)
            ev["page"] = page
            if page in self.source.ocr_pages:
                ev["ocr"] = True
        return ev

    def span_of_line(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.starts[i] + len(self.lines[i])


# --------------------------------------------------------------------------------------------
# Amounts


# Thousands grouped by a space or a dot; a figure cut at a line's end ("(269\n700€)", as OCR
# and PDF text layers wrap it) is one figure when the group after the break has 3 digits.
_AMOUNT = (
    r"(?<![\d,.])(?P<int>\d{1,3}(?:(?:[ .]|\n)\d{3})+|\d+)(?:,(?P<dec>\d{1,2}))?(?!\d)"
    r"\s?(?:€|euros?\b|EUR\b|d'euros\b)"
)
_AMOUNT_RE = re.compile(_AMOUNT, re.IGNORECASE)


def _amount_value(m: re.Match) -> float | None:
    digits = re.sub(r"[ .\n]", "", m["int"])
    try:
        value = Decimal(digits) + (Decimal(m["dec"].ljust(2, "0")) / 100 if m["dec"] else 0)
    except InvalidOperation:
        return None
    return float(round(value, 2))


_NUMBER_WORDS = frozenset({
    "zero", "un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "vingt", "vingts", "trente",
    "quarante", "cinquante", "soixante", "cent", "cents", "mille", "million", "millions",
    "milliard", "milliards", "et",
})  # fmt: skip
_NOISE_WORDS = re.compile(
    r"\b(?:d'euros|euros?|hors\s+taxes?|toutes\s+taxes\s+comprises|ht|ttc|de|d')\b|€",
    re.IGNORECASE,
)


def _words_value(words: str) -> tuple[bool, float | None]:
    """(is an amount in words, its value or None when it cannot be read)."""
    text = fold(words).replace("*", " ")
    cents = 0
    m = re.search(r"\b(?:euros?|d'euros)\s+et\s+([a-z -]+?)\s+centimes?\b", text)
    if m:
        try:
            cents = text2num(m[1].strip(), "fr")
        except ValueError:
            return True, None
        text = text[: m.start()]
    text = _NOISE_WORDS.sub(" ", text)
    text = re.sub(r"[^a-z -]", " ", text)
    tokens = [t for t in re.split(r"[\s-]+", text) if t]
    if not tokens:
        return False, None
    known = sum(t in _NUMBER_WORDS for t in tokens)
    if known * 2 < len(tokens):
        return False, None
    try:
        value = text2num(" ".join(re.sub(r"\s+", " ", text).split()), "fr")
    except ValueError:
        return True, None
    return True, float(value) + cents / 100


# --------------------------------------------------------------------------------------------
# Title: kind, avenant number, the act's own date, the parent


HEADING_MAX = 400  # a Journal officiel title runs to 200 characters and more


def _heading_indices(doc: _Doc) -> list[int]:
    """Indices of the heading lines before the parties ("Entre"), at most 15 non-blank ones."""
    found = []
    for i, line in enumerate(doc.lines):
        if not line:
            continue
        if _ENTRE.match(line) or len(found) >= 15:
            break
        if len(line) <= HEADING_MAX:
            found.append(i)
    return found


_DECORATION = r"[\s#*_>|\"'«»`=~.-]*"
_ORDINAL_WORD = (
    r"premier|1er|deuxi[eè]me|second|2[eè](?:me)?|troisi[eè]me|3[eè](?:me)?|quatri[eè]me"
    r"|4[eè](?:me)?|cinqui[eè]me|5[eè](?:me)?|sixi[eè]me|6[eè](?:me)?"
)
_ACT_WORD = re.compile(
    rf"{_DECORATION}(?:(?:{_ORDINAL_WORD})\s+)?"
    r"(?P<word>avenant|convention|d[ée]l[ée]gation\s+de\s+gestion)\b",
    re.IGNORECASE,
)
_AVENANT_IN_TITLE = re.compile(
    rf"\bavenant\s*(?:n\s*[°ºo]\.?|num[ée]ro)\s*\d|\b(?:{_ORDINAL_WORD})\s+avenant\b",
    re.IGNORECASE,
)


def _title(doc: _Doc) -> tuple[int | None, str | None]:
    """(index of the title line, kind): a heading line that opens with the act's name
    ("CONVENTION DE …", "Avenant n° 4 à la convention …", "DÉLÉGATION DE GESTION relative
    à …", "PREMIER AVENANT"); an avenant when a heading line opens with "avenant" or the
    title numbers one ("Convention … — avenant n° 2")."""
    heading = _heading_indices(doc)
    title = None
    for i in heading:
        m = _ACT_WORD.match(doc.lines[i])
        if m is None:
            continue
        if fold(m["word"]) == "avenant":
            return i, "avenant"
        if title is None:
            title = i
    if title is None:
        return None, None
    if _AVENANT_IN_TITLE.search(doc.lines[title]):
        return title, "avenant"
    return title, "convention"


def _title_block(doc: _Doc, title: int) -> tuple[int, int]:
    """Offsets in ``flat`` of the title line and the heading lines that continue it (a title
    wrapped over up to three lines, as PDF text layers give it)."""
    start = doc.starts[title]
    end = start + len(doc.lines[title])
    i, taken = title + 1, 0
    while i < len(doc.lines) and taken < 2 and doc.lines[i] and not _ENTRE.match(doc.lines[i]):
        if len(doc.flat[start : doc.starts[i] + len(doc.lines[i])]) > 3 * HEADING_MAX:
            break
        end = doc.starts[i] + len(doc.lines[i])
        i, taken = i + 1, taken + 1
    return start, end


_ORDINALS = {
    "premier": 1, "1er": 1, "deuxieme": 2, "second": 2, "2eme": 2, "2e": 2, "troisieme": 3,
    "3eme": 3, "3e": 3, "quatrieme": 4, "4eme": 4, "4e": 4, "cinquieme": 5, "5eme": 5, "5e": 5,
    "sixieme": 6, "6eme": 6, "6e": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9,
    "dixieme": 10, "onzieme": 11, "douzieme": 12, "treizieme": 13, "quatorzieme": 14,
    "quinzieme": 15, "seizieme": 16, "dix-septieme": 17, "dix-huitieme": 18,
    "dix-neuvieme": 19, "vingtieme": 20,
}  # fmt: skip


def _avenant_number(
    doc: _Doc, kind: str | None, title: int | None
) -> tuple[int | None, Evidence | None]:
    if kind != "avenant":
        return None, None
    candidates = list(_heading_indices(doc))
    if title is not None and title not in candidates:
        candidates.insert(0, title)
    for m in re.finditer(r"\bpr[ée]sent\s+avenant\b", doc.flat, re.IGNORECASE):
        candidates.append(doc.index_at(m.start()))
    for i in candidates:
        line = doc.lines[i]
        m = re.search(r"\bavenant\s*(?:n\s*[°ºo]\.?|num[ée]ro)\s*(\d{1,2})\b", line, re.IGNORECASE)
        if m:
            return int(m[1]), doc.evidence_line(i, m.start(1))
        m = re.search(r"\b(\w+)\s+avenant\b", line, re.IGNORECASE)
        if m and fold(m[1]) in _ORDINALS:
            return _ORDINALS[fold(m[1])], doc.evidence_line(i, m.start())
    return None, None


def _date_right_after(doc: _Doc, pos: int, gap: str = r"\s*") -> tuple[Any, int] | None:
    """The date starting at ``pos`` (after a gap matching ``gap``): ((date, precision), offset)."""
    window = doc.flat[pos : pos + 60]
    for start, _end, date, precision in find_french_dates(window):
        if re.fullmatch(gap, window[:start], re.IGNORECASE):
            return (date, precision), pos + start
        break
    return None


# "Convention du 3 mars 2021", "CONVENTION DE DÉLÉGATION DE GESTION du 12 janvier 2020",
# "Avenant n° 2 du 9-6-2022": the act's name, its qualifiers, its number, then its date.
# Not "Avenant n° 4 à la convention du …" (the parent's date), nor "Vu la convention du …".
_ACT_DATED = re.compile(
    rf"{_DECORATION}(?:(?:{_ORDINAL_WORD})\s+)?(?:avenant|convention|d[ée]l[ée]gation\s+de\s+gestion)"
    r"(?:[\s-]+(?:cadre|de\s+service|de\s+d[ée]l[ée]gation\s+de\s+gestion|de\s+gestion"
    r"|de\s+partenariat|de\s+financement|financi[èe]re|pluriannuelle))*"
    r"(?:\s*(?:n\s*[°ºo]\.?|num[ée]ro)\s*\d{1,3})?"
    r"\s+(?:du|en\s+date\s+du)\s+",
    re.IGNORECASE,
)
_DATED_LINE = re.compile(r"(?:du|en\s+date\s+du)\s+", re.IGNORECASE)
_PUBLICATION = re.compile(
    r"\b(?:JORF|journal\s+officiel|bulletin\s+officiel|B\.?O\.?\b|NOR\b|publi[ée])", re.IGNORECASE
)


def _dated_on(doc: _Doc, title: int | None) -> tuple[Any, Evidence | None]:
    """The act's own date, as its title or the line under it gives it."""
    if title is None:
        return None, None
    line = doc.lines[title]
    m = _ACT_DATED.match(line)
    if m:
        found = _date_right_after(doc, doc.starts[title] + m.end())
        if found and found[0][1] == "day":
            doc.used_dates.add(found[1])
            return found[0][0], doc.evidence(found[1])
    for i in range(title + 1, min(len(doc.lines), title + 4)):
        below = doc.lines[i]
        if not below:
            continue
        if _ENTRE.match(below) or _PUBLICATION.search(below):
            break
        m = _DATED_LINE.match(below)
        if not m:
            break
        found = _date_right_after(doc, doc.starts[i] + m.end())
        rest = doc.flat[found[1] :].split("\n", 1)[0] if found else ""
        if found and found[0][1] == "day" and len(rest) <= 40:
            doc.used_dates.add(found[1])
            return found[0][0], doc.evidence(found[1])
        break
    return None, None


_PARENT_ANCHORS = re.compile(
    r"\bconvention\b[^.;]{0,120}?\b(?:conclue|sign[ée]e|en\s+date|dat[ée]e)\s+(?:le|du)\b"
    r"|\b(?:à|a)\s+la\s+convention\s+(?:(?:de|d')\s*[^.;\d]{0,60}?)?du\b"
    r"|\b(?:modifi\w*|compl[ée]t\w*|amend\w*|prorog\w*|prolong\w*)\s+(?:les\s+termes\s+de\s+)?"
    r"la\s+convention\s+(?:(?:de|d')\s*[^.;\d]{0,60}?)?(?:du|en\s+date\s+du)\b",
    re.IGNORECASE,
)


def _parent(doc: _Doc, kind: str | None) -> tuple[dict | None, Evidence | None]:
    if kind != "avenant":
        return None, None
    for m in _PARENT_ANCHORS.finditer(doc.flat):
        line = doc.lines[doc.index_at(m.start())]
        if re.match(r"vu\b", line, re.IGNORECASE) and "conclue" not in fold(m[0]):
            continue  # "Vu la convention du …": a reference, maybe not the one amended
        found = _date_right_after(doc, m.end())
        if found and found[0][1] == "day":
            (date, _where), at = found
            doc.used_dates.add(at)
            return {"kind": "convention", "date": date.isoformat()}, doc.evidence(at)
    return None, None


# --------------------------------------------------------------------------------------------
# FAST: the promotion and the products it names


_FAST_NUMBER = re.compile(
    r"\bFAST\s*(?:n\s*[°ºo]\.?\s*|#\s*)?(?P<n>\d{1,2})(?![\d.,/-])"
    r"|(?<![\w-])(?i:(?P<ord>premier|1er|(?:dix-)?[a-zé]+i[eè]me|second|\d{1,2}\s*(?:e|[eè]me))\s+"
    r"(?:appel\s+à\s+projets?|promotion|[ée]dition|session|vague)\s+(?:du\s+|d'|de\s+)?)"
    r"(?:[\w'-]+\s+){0,8}?\(?FAST\b"
    r"|\b(?i:promotion\s+(?:n\s*[°ºo]\.?\s*)?)(?P<n2>\d{1,2})\s+(?i:du)\s+FAST\b",
)
_FAST_WORDS = re.compile(r"\bFAST\b|fonds\s+d'acc[ée]l[ée]ration\s+des\s+start", re.IGNORECASE)


def _fast_promotion(doc: _Doc) -> tuple[int | None, Evidence | None]:
    """The FAST promotion the text names ("FAST 14", "le deuxième appel à projet FAST")."""
    for m in _FAST_NUMBER.finditer(doc.flat):
        if m["n"] or m["n2"]:
            number = int(m["n"] or m["n2"])
        else:
            key = fold(re.sub(r"\s+", "", m["ord"]))
            digits = re.match(r"\d+", key)
            number = int(digits[0]) if digits else _ORDINALS.get(key)
        if number and 1 <= number <= 99:
            start = m.start("n") if m["n"] else m.start()
            return number, doc.evidence(start)
    return None, None


_FAST_LINE = re.compile(r"FAST\s*(?:n\s*[°ºo]\.?\s*)?\d{1,2}\s*[|:–—-]\s*(?P<names>.+)")


def _fast_products(doc: _Doc, heading: list[int]) -> tuple[list[str], Evidence | None]:
    """The products a FAST subtitle names: "FAST 14 | Immersion facilitée et Le marché de
    l'inclusion"."""
    for i in heading:
        m = _FAST_LINE.fullmatch(doc.lines[i])
        if not m:
            continue
        names = m["names"]
        quoted = [q.strip() for q in re.findall(r"«\s*([^«»]{1,80}?)\s*»", names)]
        parts = quoted or re.split(r"\s*(?:,|;|\bet\b|&|\+)\s*", names)
        found = [p.strip(" .,;:") for p in parts if p.strip(" .,;:")]
        if found:
            return found, doc.evidence_line(i, m.start("names"))
    return [], None


# --------------------------------------------------------------------------------------------
# Services


_SERVICE_CONTEXT = re.compile(
    r"(?:services?|produit|application|plateforme|outil|site|start-?up(?:\s+d'[ée]tat)?)"
    r"(?:\s+(?:public|publique|publics|publiques|num[ée]riques?|en\s+ligne|web|digital|informatique))*"
    r"\s*(?:de\s+)?$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"«\s*([^«»]{1,80}?)\s*»")
# A name written without quotes after "le service numérique": capitalised words, digits and
# the small words between them ("Classe à 12", "Mon Suivi Justice", "DossierSco").
_CAP = r"(?:[A-ZÀ-Ý][\w'-]*|\d+[\w-]*)"
_BARE_NAME = re.compile(
    rf"\s+(?P<name>{_CAP}(?:\s+(?:(?:à|de|du|des|en|pour|et|d'|l')\s*)?{_CAP})*)"
    r"(?=\s*(?:[,;.:)!?]|\n|$|\s+[a-zà-ÿ]))"
)
_BARE_CONTEXT = re.compile(
    r"\b(?:le|la|du|au|de\s+la|son|sa|leur)\s+"
    r"(?:service|produit|application|start-?up\s+d'[ée]tat|startup\s+d'[ée]tat)"
    r"(?:\s+(?:public|num[ée]rique|en\s+ligne))*(?=\s)",
    re.IGNORECASE,
)
_NOT_A_SERVICE = {"etat", "chorus", "chorus pro", "france", "dinum", "dinsic", "republique"}


def _services(doc: _Doc, party_names: list[str]) -> tuple[list[str], Evidence | None]:
    excluded = {fold(n) for n in party_names}
    services: list[str] = []
    seen: set[str] = set()
    evidence = None
    for m in _QUOTED.finditer(doc.flat):
        name = re.sub(r"\s+", " ", m[1]).strip(" ,;.")
        key = fold(name)
        if not name or key in seen or key in excluded:
            continue
        before = re.sub(r"\s+", " ", doc.flat[max(0, m.start() - 80) : m.start()])
        if _SERVICE_CONTEXT.search(before):
            seen.add(key)
            services.append(name)
            if evidence is None:
                evidence = doc.evidence(m.start(1))
    if services:
        return services, evidence
    for m in _BARE_CONTEXT.finditer(doc.flat):
        named = _BARE_NAME.match(doc.flat, m.end())
        if not named or "\n" in named["name"]:
            continue
        name = named["name"].strip()
        key = fold(name)
        if key in seen or key in excluded or key in _NOT_A_SERVICE:
            continue
        seen.add(key)
        services.append(name)
        if evidence is None:
            evidence = doc.evidence(named.start("name"))
    return services, evidence


# --------------------------------------------------------------------------------------------
# Parties


_ENTRE = re.compile(r"entre\b(?:\s+les\s+soussign[ée]e?s)?\s*:?", re.IGNORECASE)
_PARTIES_END = re.compile(
    r"(?:pr[ée]ambule|contexte|il\s+(?:est|a\s+[ée]t[ée])\s+(?:convenu|arr[êe]t[ée])|article\b"
    r"|vu\b|consid[ée]rant|objet\b|titre\b|sommaire\b|\d{1,2}\s*[.)-]\s+[A-ZÀ-Ý][a-zà-ÿ])",
    re.IGNORECASE,
)
_AND_LINE = re.compile(r"et\s*:?\s*,?", re.IGNORECASE)
_AND_START = re.compile(r"et\s*:?\s+(?=(?:le|la|les|l'|un|une)\b)", re.IGNORECASE)
_BULLET = re.compile(r"(?:[-–—•·*▪➢]|\d{1,2}\s*[°)]|[a-z]\))\s+")
_PART = re.compile(r"d'(?:une|autre)\s+part\s*[,;.]?", re.IGNORECASE)
_ALIAS = re.compile(
    r"(?:ci-?\s*apr[èe]s|ci-?\s*dessous|(?<!\w)(?:d[ée]nomm|d[ée]sign|appel)[ée]e?s?)"
    r"(?:\s+(?:d[ée]nomm[ée]e?s?|d[ée]sign[ée]e?s?|appel[ée]e?s?|nomm[ée]e?s?))?"
    r"(?:\s+individuellement)?"
    r"(?:\s+(?:sous|par)\s+(?:le\s+(?:terme|nom|vocable)|l'appellation|la\s+d[ée]nomination)"
    r"(?:\s+de|\s+d')?)?"
    r"\s*:?\s*(?:(?:le|la|les|l')\s*)?"
    r"«\s*(?P<first>[^«»]{1,80}?)\s*»"
    r"(?P<more>(?:\s*(?:,|ou|et)\s*(?:encore\s+)?(?:(?:le|la|les|l')\s*)?«\s*[^«»]{1,80}?\s*»)*)",
    re.IGNORECASE,
)
_BARE_ALIAS = re.compile(
    r"(?:\(\s*«\s*(?P<a>[^«»]{1,60}?)\s*»\s*\)|,\s*«\s*(?P<b>[^«»]{1,60}?)\s*»\s*(?=[,;.]|$))"
)
_COLLECTIVE = re.compile(
    r"(?:ci-?\s*apr[èe]s\s+)?(?:d[ée]sign[ée]e?s|d[ée]nomm[ée]e?s|appel[ée]e?s)\s+"
    r"(?:ensemble|collectivement)\b[^.]*(?:\.|$)",
    re.IGNORECASE,
)
_REPRESENTED = re.compile(
    r"repr[ée]sent[ée]e?s?\s+par\s+(?:(?:M\.|Mme|Monsieur|Madame)\s+)?([^,;(\n]{2,80}?)\s*(?:[,;(\n]|$)",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"(?:M\.|Mme|Monsieur|Madame)\s+(?P<name>(?-i:[A-ZÀ-Ý])[\w'-]*(?:\s+(?-i:[A-ZÀ-Ý])[\w'-]*){0,3})",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(r"(?:son|sa|ses|leur|le|la|l')\b", re.IGNORECASE)
_ROLE = re.compile(
    r"\b(co-?\s*d[ée]l[ée]gataires?|d[ée]l[ée]gataires?|d[ée]l[ée]gants?|b[ée]n[ée]ficiaires?)\b",
    re.IGNORECASE,
)


def _role_of(word: str) -> str | None:
    """The role a word names: délégant, délégataire (a co-délégataire too), bénéficiaire."""
    key = re.sub(r"^(?:le|la|les|l')\s*", "", fold(word)).replace(" ", "").rstrip("s")
    key = key.removeprefix("co-").removeprefix("co")
    return {
        "delegant": "délégant",
        "delegataire": "délégataire",
        "beneficiaire": "bénéficiaire",
    }.get(key)


def _party_block(doc: _Doc) -> tuple[int, int, int, int] | None:
    """(first line, end line, start offset, end offset) of the "Entre … et …" block."""
    first = next((i for i, line in enumerate(doc.lines) if _ENTRE.match(line)), None)
    if first is None:
        return None
    end, nonblank = len(doc.lines), 0
    for i in range(first + 1, len(doc.lines)):
        line = doc.lines[i]
        if not line:
            continue
        nonblank += 1
        if _PARTIES_END.match(line) or nonblank > 40:
            end = i
            break
    block_start = doc.starts[first] + len(_ENTRE.match(doc.lines[first])[0])
    block_end = doc.starts[end] if end < len(doc.lines) else len(doc.flat)
    return first, end, block_start, block_end


def _party_segments(doc: _Doc) -> list[tuple[int, int]]:
    """(start, end) offsets in ``doc.flat`` of each party's description."""
    block = _party_block(doc)
    if block is None:
        return []
    first, end, block_start, block_end = block
    cuts: list[tuple[int, int]] = []  # (where a segment ends, where the next begins)
    previous = doc.lines[first]
    for i in range(first + 1, end):
        line = doc.lines[i]
        if not line:
            continue
        start = doc.starts[i]
        # "Et le GIP …" or "– la direction …" begin a party only after one has ended ("…,",
        # "d'une part ;", "Entre :"): a wrapped line may begin with "et de communication".
        ended = bool(re.search(r"(?:[,;.:»]|\bpart)\s*$", previous))
        if _AND_LINE.fullmatch(line):
            cuts.append(doc.span_of_line(i))
        elif ended and ((m := _AND_START.match(line)) or (m := _BULLET.match(line))):
            cuts.append((start, start + m.end()))
        previous = line
    if not cuts:  # paragraphs: cut after each "d'une part", "d'autre part" and its alias
        for m in _PART.finditer(doc.flat, block_start, block_end):
            after = re.compile(
                r"\s*(?:ci-?\s*apr[èe]s[^«»\n]{0,60}«[^«»]{0,80}»"
                r"(?:\s*(?:ou|,)\s*[^«»\n]{0,12}«[^«»]{0,80}»)*\s*[,;.]?)?"
            ).match(doc.flat, m.end(), block_end)
            cut = after.end() if after else m.end()
            if cut < block_end and doc.flat[cut:block_end].strip():
                cuts.append((cut, cut))
    segments, pos = [], block_start
    for cut_start, cut_end in sorted(cuts):
        segments.append((pos, cut_start))
        pos = cut_end
    segments.append((pos, block_end))
    out = []
    for s, e in segments:
        if m := _BULLET.match(doc.flat, s, e):
            s = m.end()
        body = doc.flat[s:e]
        if body.strip() and not _COLLECTIVE.fullmatch(body.strip()):
            out.append((s, e))
    return out


def _designation(text: str) -> str | None:
    """The body a party's description opens with: "le ministère de …" → "Ministère de …"."""
    text = re.split(
        r"repr[ée]sent[ée]e?s?\s+par|ci-?\s*apr[èe]s|ci-?\s*dessous|,?\s*d[ée]sign[ée]e?s?\b"
        r"|,?\s*d[ée]nomm[ée]e?s?\b|\(\s*«|,\s*«",
        text,
        maxsplit=1,
        flags=re.IGNORECASE,
    )[0]
    text = re.sub(r"\s+", " ", text).strip()
    text = re.split(r"\s+\d", text, maxsplit=1)[0]  # drop a street address
    text = re.sub(r"^(?:et\s*:?\s+)?(?:le|la|les|l')\s*", "", text, flags=re.IGNORECASE)
    text = text.split(",", 1)[0]  # "Le GIP X, groupement d'intérêt public, SIREN …"
    text = text.strip(" ,;:.-–")
    return text[:1].upper() + text[1:] if text else None


def _is_proper(alias: str) -> bool:
    """A short name ("DINUM", "SG du MEN-MESRI"), not a common noun ("la direction")."""
    return not re.match(r"(?:le|la|les|l'|un|une)\b", alias, re.IGNORECASE) and alias[:1].isupper()


def _aliases(doc: _Doc, start: int, end: int) -> list[tuple[str, int]]:
    """The names a party is given in quotes, with their offsets, in order."""
    found: list[tuple[str, int]] = []
    text = doc.flat
    for m in _ALIAS.finditer(text, start, end):
        found.append((m["first"], m.start("first")))
        for more in re.finditer(r"«\s*([^«»]{1,80}?)\s*»", m["more"] or ""):
            found.append((more[1], m.start("more") + more.start(1)))
    taken = {at for _a, at in found}
    for m in _BARE_ALIAS.finditer(text, start, end):  # "la direction X (« DINUM »), …"
        at = m.start("a") if m["a"] else m.start("b")
        if at not in taken:
            found.append((m["a"] or m["b"], at))
    found.sort(key=lambda t: t[1])
    return [(re.sub(r"\s+", " ", a).strip(), at) for a, at in found]


def _bare(name: str) -> str:
    """A name folded, without its article: « l'Etat » and "Etat" are one name."""
    return re.sub(r"^(?:le|la|les|l')\s*", "", fold(name))


def _split_joint(body: str) -> list[str]:
    """ "La DINUM et la DITP" → two bodies (only before an article and a capital)."""
    parts = re.split(r"\s+et\s+(?=(?:le|la|les|l')\s*(?-i:[A-ZÀ-Ý]))", body, flags=re.IGNORECASE)
    return [p for p in parts if p.strip()]


def _representative(doc: _Doc, start: int, end: int) -> tuple[str | None, re.Match | None]:
    rep = _REPRESENTED.search(doc.flat, start, end)
    if rep is None:
        return None, None
    value = re.sub(r"\s+", " ", rep[1]).strip(" .")
    if _TITLE_WORDS.match(value):  # "représentée par sa directrice …, Madame X"
        person = _PERSON.search(doc.flat, rep.start(1), min(end, rep.end() + 200))
        return (re.sub(r"\s+", " ", person["name"]).strip() if person else None), rep
    return value, rep


def _parties(doc: _Doc) -> tuple[list[dict], list[Evidence]]:
    parties, evidence = [], []
    for start, end in _party_segments(doc):
        text = doc.flat[start:end]
        collective = _COLLECTIVE.search(text)
        if collective:  # "Ci-après désignés collectivement les « Membres »": not a name
            end = start + collective.start()
            text = doc.flat[start:end]
        aliases = _aliases(doc, start, end)
        role = None
        names: list[str] = []
        for alias, _at in aliases:
            alias_role = _role_of(alias)
            if alias_role is not None:
                role = role or alias_role
            else:
                names.append(alias)
        representative, rep = _representative(doc, start, end)
        if role is None:
            role_m = _ROLE.search(doc.flat, rep.end() if rep else start, end)
            if role_m and not _ALIAS.search(
                doc.flat, max(start, role_m.start() - 80), role_m.start()
            ):
                role = _role_of(role_m[1])
        body = _designation(text)
        joint = [b for b in _split_joint(body)] if body and role and len(aliases) == 1 else []
        if len(joint) > 1 and aliases and re.match(r"les\b", aliases[0][0], re.IGNORECASE):
            for part in joint:  # "La DINUM et la DITP, ci-après « les co-délégataires »"
                parties.append(
                    {"name": _designation(part), "aliases": [], "role": role,
                     "representative": None, "signed_on": None}
                )  # fmt: skip
                evidence.append(doc.evidence(start + len(text) - len(text.lstrip())))
            continue
        proper = [n for n in names if _is_proper(n)]
        if proper:
            name = proper[0]
            others = [body] if body else []
            others += [n for n in names if n != name]
        else:
            name = body
            others = names
        others = list(dict.fromkeys(o for o in others if name is None or _bare(o) != _bare(name)))
        if not (name or representative):
            continue
        parties.append(
            {"name": name, "aliases": others, "role": role, "representative": representative,
             "signed_on": None}
        )  # fmt: skip
        anchor = rep.start() if rep else start + len(text) - len(text.lstrip())
        evidence.append(doc.evidence(anchor))
    return parties, evidence


_DINUM = re.compile(
    r"\bDINUM\b|\bDINSIC\b|direction\s+interminist[ée]rielle\s+du\s+num[ée]rique", re.IGNORECASE
)
_SUBSIDY_TITLE = re.compile(r"\bsubvention\b", re.IGNORECASE)


def _subsidy_roles(doc: _Doc, title: int | None, parties: list[dict]) -> Evidence | None:
    """In a FAST subsidy convention, DINUM gives the subsidy and the other party receives it:
    roles "financeur" and "bénéficiaire" where the text gives none.  Only when the title
    names the subsidy, the text names the FAST and the bénéficiaire, and exactly one party is
    DINUM and one is not."""
    if title is None or len(parties) != 2:
        return None
    start, end = _title_block(doc, title)
    block = doc.flat[start:end]
    if not (_SUBSIDY_TITLE.search(block) and _FAST_WORDS.search(doc.flat)):
        return None
    if not re.search(r"\bb[ée]n[ée]ficiaire\b", doc.flat, re.IGNORECASE):
        return None

    def is_dinum(p: dict) -> bool:
        return any(_DINUM.search(n or "") for n in [p["name"], *p["aliases"]])

    dinum = [p for p in parties if is_dinum(p)]
    others = [p for p in parties if not is_dinum(p)]
    if len(dinum) != 1 or len(others) != 1:
        return None
    if dinum[0]["role"] not in (None, "financeur") or others[0]["role"] not in (
        None,
        "bénéficiaire",
    ):
        return None
    dinum[0]["role"] = "financeur"
    others[0]["role"] = "bénéficiaire"
    return doc.evidence_line(title)


# Signatures ---------------------------------------------------------------------------------

_SIGNATURE_LINE = re.compile(
    r"(?:(?:fait\s+(?:en\s+\S+\s+exemplaires?\s*,?\s*)?(?:[àa]\s+[^,\d]{1,40}?)?"
    r"|[àa]\s+(?-i:[A-ZÀ-Ý])[^,\d]{1,40}?)\s*,?"
    r"|(?P<place>(?-i:[A-ZÀ-Ý])[^,\d]{1,30}?)\s*,)"
    r"\s*le\b\s*(?P<rest>.*)",
    re.IGNORECASE,
)


def _party_mentioned(line: str, party: dict) -> bool:
    folded = fold(line)
    rep = party.get("representative")
    if rep and (fold(rep) in folded or fold(rep.split()[-1]) in folded.split()):
        return True
    name = party.get("name") or ""
    if name and fold(name) in folded:
        return True
    tokens = [t for t in re.split(r"[^A-Za-zÀ-ÿ]+", name) if len(t) >= 3 and t.isupper()]
    for alias in party.get("aliases") or []:
        bare = re.sub(r"^(?:le|la|les|l')\s*", "", alias, flags=re.IGNORECASE)
        if len(bare) >= 3 and _role_of(bare) is None:
            tokens.append(bare)
    return any(re.search(rf"\b{re.escape(fold(t))}\b", folded) for t in tokens)


# "Signé électroniquement par X le 05/12/2018", anywhere on a line.
_SIGNED = re.compile(
    r"\bsign[ée]e?\s+(?:[ée]lectroniquement\s+)?(?:par\s+[^,\n]{1,60}?\s*,?\s*)?le\s+",
    re.IGNORECASE,
)
# Where the signatures begin: "Pour la DINUM,", "Le directeur …", "La secrétaire générale".
_SIGNATORY = re.compile(
    r"(?:pour\s+(?:la|le|l'|les)\b|(?:le|la)\s+(?:directeur|directrice|secr[ée]taire|chef"
    r"|pr[ée]sidente?|ministre|DINSIC|DINUM)\b)",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"article\s+(?:\d+|premier|1er|[IVX]+)\b", re.IGNORECASE)
_DATE_ALONE = re.compile(r"(?:le\s+)?(?P<date>.{6,30}?)\s*\.?", re.IGNORECASE)


def _signature_zone(doc: _Doc, lines: list[int]) -> int:
    """The first line of the signature pages: the first "Fait à …, le" line or signatory line
    after the last article (a stamp or a date in the margin is read only there)."""
    last_article = max(
        (i for i, line in enumerate(doc.lines) if _ARTICLE.match(line)), default=None
    )
    floor = last_article if last_article is not None else (2 * len(doc.lines)) // 3
    cues = [i for i in lines if i >= floor]
    cues += [
        i
        for i in range(floor, len(doc.lines))
        if len(doc.lines[i]) <= 120 and _SIGNATORY.match(doc.lines[i])
    ]
    return min(cues) if cues else len(doc.lines)


def _signatures(doc: _Doc, parties: list[dict]) -> tuple[Any, Evidence | None, list]:
    """(conclusion date, its evidence, [(party index, date, evidence)]).

    Read on "Fait à Paris, le …" / "A Paris, le …" lines, "signé (électroniquement) le …",
    and, in the signature pages only, a date standing alone on its line (a stamp, a date
    written in the margin): never "Reçu le …" nor a date in the body."""
    lines = []  # (index, date or None)
    for i, line in enumerate(doc.lines):
        if len(line) > 120:
            continue
        m = _SIGNATURE_LINE.fullmatch(line)
        if not m:
            continue
        dates = find_french_dates(m["rest"])
        date = dates[0][2] if dates and dates[0][3] == "day" and dates[0][0] <= 3 else None
        if date is None and (m["place"] or m["rest"].strip(" .,_")):
            continue  # "à Paris le lendemain", "Paris, le" alone: not a signature line
        lines.append((i, date))
    known = {i for i, _ in lines}
    for i, line in enumerate(doc.lines):
        if i in known or len(line) > 200:
            continue
        m = _SIGNED.search(line)
        if m:
            dates = find_french_dates(line[m.end() :])
            if dates and dates[0][0] == 0 and dates[0][3] == "day":
                lines.append((i, dates[0][2]))
                known.add(i)
    zone = _signature_zone(doc, [i for i, _ in lines])
    for i in range(zone, len(doc.lines)):
        line = doc.lines[i]
        if i in known or not line or len(line) > 40:
            continue
        m = _DATE_ALONE.fullmatch(line)
        dates = find_french_dates(m["date"]) if m else []
        if len(dates) == 1 and dates[0][3] == "day" and dates[0][:2] == (0, len(m["date"])):
            lines.append((i, dates[0][2]))
    lines.sort()
    dated = [(i, d) for i, d in lines if d is not None]
    if not dated:
        return None, None, []
    last_i, last_d = max(dated, key=lambda t: (t[1], t[0]))
    tied = []
    if len(lines) >= 2:
        sig_indices = {i for i, _ in lines}
        for i, date in dated:
            who = _tie_to_party(doc, i, sig_indices, parties)
            if who is not None:
                tied.append((who, date, doc.evidence_line(i)))
    return last_d, doc.evidence_line(last_i), tied


def _tie_to_party(doc: _Doc, i: int, sig_indices: set[int], parties: list[dict]) -> int | None:
    def scan(indices):
        seen = 0
        for j in indices:
            if j in sig_indices:
                return None
            if not doc.lines[j]:
                continue
            seen += 1
            hits = [k for k, p in enumerate(parties) if _party_mentioned(doc.lines[j], p)]
            if len(hits) == 1:
                return hits[0]
            if seen >= 3:
                return None
        return None

    # The signature's own paragraph first ("Pour la DINUM, … / Signé le …" or
    # "A Paris, le … / Le DINSIC, …"), then the lines after it, then those before.
    first = i
    while first > 0 and doc.lines[first - 1] and first - 1 not in sig_indices:
        first -= 1
    last = i
    while last + 1 < len(doc.lines) and doc.lines[last + 1] and last + 1 not in sig_indices:
        last += 1
    own = {
        k
        for j in range(first, last + 1)
        if j != i
        for k, p in enumerate(parties)
        if _party_mentioned(doc.lines[j], p)
    }
    if len(own) == 1:
        return own.pop()
    after = scan(range(i + 1, len(doc.lines)))
    return after if after is not None else scan(range(i - 1, -1, -1))


# Period -------------------------------------------------------------------------------------

_END_ANCHOR = re.compile(
    r"jusqu'(?:au|à)|prend(?:ra)?\s+fin|se\s+termine(?:ra)?|expire(?:ra)?"
    r"|arrive(?:ra)?\s+à\s+(?:son\s+)?(?:terme|échéance)|date\s+de\s+fin"
    r"|(?:port[ée]e?|prorog[ée]e?|prolong[ée]e?|report[ée]e?)(?:\s+jusqu'au|\s+au)",
    re.IGNORECASE,
)
_START_ANCHOR = re.compile(
    r"prend(?:ra)?\s+effet|entre(?:ra)?\s+en\s+vigueur|d[ée]bute(?:ra)?|commence(?:ra)?"
    r"|à\s+compter\s+du|à\s+partir\s+du|s'initie(?:ra)?|date\s+de\s+d[ée]but",
    re.IGNORECASE,
)
_GAP = r"\s*(?:le|en|au|à|du|la\s+date\s+du|à\s+compter\s+du|à\s+partir\s+du|:)?\s*"
_PERIOD_CONTEXT = re.compile(
    r"convention|avenant|d[ée]l[ée]gation|pr[ée]sente?|dur[ée]e|p[ée]riode", re.IGNORECASE
)


def _anchored_date(doc: _Doc, anchor: re.Pattern) -> tuple[Any, Evidence | None]:
    fallback = None
    for m in anchor.finditer(doc.flat):
        found = _date_right_after(doc, m.end(), _GAP)
        if not found:
            continue
        context = doc.flat[max(0, m.start() - 150) : m.start()]
        if _PERIOD_CONTEXT.search(context):
            doc.used_dates.add(found[1])
            return found[0], doc.evidence(found[1])
        if fallback is None:
            fallback = found
    if fallback is None:
        return None, None
    doc.used_dates.add(fallback[1])
    return fallback[0], doc.evidence(fallback[1])


def _period_range(doc: _Doc) -> tuple[Any, Evidence | None, Any, Evidence | None]:
    """'du 1er janvier 2020 au 31 décembre 2020' in a sentence about the period."""
    dates = find_french_dates(doc.flat)
    for (s1, e1, d1, p1), (s2, _e2, d2, p2) in itertools.pairwise(dates):
        if not re.fullmatch(r"\s*(?:au|jusqu'au)\s*", doc.flat[e1:s2], re.IGNORECASE):
            continue
        if not re.search(r"\bdu\s*$", doc.flat[max(0, s1 - 5) : s1], re.IGNORECASE):
            continue
        if _PERIOD_CONTEXT.search(doc.flat[max(0, s1 - 150) : s1]) and d1 <= d2:
            start = d1.replace(day=1) if p1 == "month" else d1
            doc.used_dates |= {s1, s2}
            return (start, p1), doc.evidence(s1), (d2, p2), doc.evidence(s2)
    return None, None, None, None


def _period(doc: _Doc) -> tuple[Any, Evidence | None, Any, Evidence | None]:
    start, start_ev = _anchored_date(doc, _START_ANCHOR)
    end, end_ev = _anchored_date(doc, _END_ANCHOR)
    if start is None and end is None:
        start, start_ev, end, end_ev = _period_range(doc)
    if start is not None and start[1] == "month":
        start = (start[0].replace(day=1), "month")
    return start, start_ev, end, end_ev


# Duration -----------------------------------------------------------------------------------

_COUNT = (
    r"\d{1,3}|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze"
    r"|quinze|seize|dix-sept|dix-huit|dix-neuf|vingt|vingt-quatre|trente|trente-six"
    r"|quarante-huit|soixante"
)
_DURATION = re.compile(
    rf"\bdur[ée]e\s+(?:de\s+|d')(?P<n>{_COUNT})(?:\s*\(\s*\d{{1,3}}\s*\))?\s+"
    r"(?P<unit>mois|ans?|ann[ée]es?|jours?|semaines?)\b",
    re.IGNORECASE,
)
_DURATION_FROM = re.compile(
    r"[^.;]{0,60}?\b(?:à|a)\s+(?:compter|partir)\s+"
    r"(?:(?P<sig>(?:de\s+)?(?:la\s+date\s+de\s+)?(?:sa|la|leur)\s+(?:derni[èe]re\s+)?signature)"
    r"|(?P<other>(?:de\s+)?(?:la\s+date\s+de\s+)?(?:sa|la|son|leur)\s+"
    r"(?:notification|publication|r[ée]ception|transmission|entr[ée]e\s+en\s+vigueur|prise\s+d'effet)\w*)"
    r"|(?P<date>du\s+|de\s+la\s+date\s+du\s+|de\s+))",
    re.IGNORECASE,
)
_DURATION_CONTEXT = re.compile(
    r"convention|avenant|d[ée]l[ée]gation|pr[ée]sente?|conclue?|prend\s+effet|dur[ée]e\s*:?$",
    re.IGNORECASE,
)
_UNITS = {"mois": "months", "an": "years", "ans": "years", "annee": "years", "annees": "years",
          "jour": "days", "jours": "days", "semaine": "weeks", "semaines": "weeks"}  # fmt: skip


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _duration_end(start: tuple[dt.date, str], count: int, unit: str) -> tuple[dt.date, str]:
    """The last day of ``count`` ``unit`` from ``start`` (inclusive: 12 months from
    1 January end on 31 December); a month-precision start gives a month-precision end."""
    day, precision = start
    if precision == "month":
        day = day.replace(day=1)
    if unit in ("months", "years"):
        end = _add_months(day, count * (12 if unit == "years" else 1)) - dt.timedelta(days=1)
    else:
        end = day + dt.timedelta(days=count * (7 if unit == "weeks" else 1) - 1)
    if precision == "month":
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    return end, precision


def _duration(doc: _Doc) -> tuple[dict | None, Evidence | None, Any]:
    """The period given as a duration ("pour une durée de douze mois à compter de sa
    signature"): ({"count", "unit", "from"}, its evidence, the start date when the text
    gives it as a date).  ``from`` is "signature", "date", another event ("notification")
    or None when the text does not say from when."""
    for m in _DURATION.finditer(doc.flat):
        before = doc.flat[max(0, m.start() - 150) : m.start()]
        sentence = re.split(r"[.;:!?]\s|\n\s*\n", before)[-1]
        if not _DURATION_CONTEXT.search(sentence) and not _DURATION_CONTEXT.search(
            doc.lines[doc.index_at(m.start())][:40]
        ):
            continue
        word = fold(m["n"])
        try:
            count = int(word) if word.isdigit() else text2num(word, "fr")
        except ValueError:
            continue
        if not 0 < count <= 1200:
            continue
        rule: dict[str, Any] = {"count": count, "unit": _UNITS[fold(m["unit"])], "from": None}
        start = None
        after = _DURATION_FROM.match(doc.flat, m.end())
        if after and after["sig"]:
            rule["from"] = "signature"
        elif after and after["other"]:
            event = fold(after["other"]).split()[-1]
            rule["from"] = {"vigueur": "entry into force", "d'effet": "entry into force"}.get(
                event, re.sub(r"\W+$", "", event)
            )
        elif after and after["date"] is not None:
            found = _date_right_after(doc, after.end())
            if found:
                rule["from"] = "date"
                start = found[0]
                doc.used_dates.add(found[1])
        return rule, doc.evidence(m.start()), start
    return None, None, None


# Money: the ceiling, and its amounts in AE and CP -------------------------------------------

_CEILING_ANCHORS = [
    (r"[àa]\s+concurrence\s+d(?:e\s+|')", "plafond"),
    (r"montant\s+(?:maximum|maximal|plafond|total)\s+d(?:e\s+|')", "plafond"),
    (r"plafond\s+(?:est\s+fix[ée]\s+à|de)\s+", "plafond"),
    (r"plafonn[ée]e?s?\s+à\s+", "plafond"),
    (r"dans\s+la\s+limite\s+d(?:e\s+|')", "plafond"),
    (
        # "Le montant maximum de l'action est porté à …" (an avenant moving the ceiling)
        r"montant\s+(?:maximum|maximal|total|plafond)\s+(?:de\s+|d'|des\s+)[^.;€\d]{0,60}?"
        r"\s+(?:est|sont)\s+(?:port[ée]e?s?|fix[ée]e?s?|ramen[ée]e?s?|relev[ée]e?s?)\s+à\s+",
        "plafond",
    ),
    (
        r"subvention\s+(?:de\s+l'[ée]tat\s+)?d'un\s+montant\s+(?:maximum\s+|maximal\s+|total\s+)?"
        r"d(?:e\s+|')",
        "subvention",
    ),
    (r"\bune\s+subvention\s+d(?:e\s+|')(?=\d)", "subvention"),
    (
        r"montant\s+(?:total\s+)?de\s+la\s+subvention\s+(?:(?:est|sera)\s+(?:fix[ée]|arr[êe]t[ée])"
        r"\s+à|s'[ée]l[èe]ve\s+à|:)\s*",
        "subvention",
    ),
]
# The closing bracket may come out of OCR as "}" or "]".
_WORDS_THEN_AMOUNT = re.compile(rf"(?P<words>[^()\d€]{{2,200}}?)\s*\(\s*{_AMOUNT}\s*[)}}\]]", re.I)
_AMOUNT_THEN_WORDS = re.compile(
    rf"{_AMOUNT}(?:\s*(?:HT|TTC))?(?:\s*\(\s*(?P<words>[^()\d]{{2,200}}?)\s*[)}}\]])?", re.I
)
_KIND = r"AE|CP|autorisations?\s+d'engagements?|cr[ée]dits?\s+de\s+paiements?"
# "(AE)" after the words, which OCR may read "(AË)".
_ABBREVIATION = r"(?:\s*\(\s*[A-ZÀ-Ý]{2,3}\s*\))?"
_KIND_AFTER = re.compile(
    rf"\s*(?:HT\s+|TTC\s+)?(?:en|d'|de|au\s+titre\s+des?)\s*(?P<k1>{_KIND}){_ABBREVIATION}"
    rf"(?:\s*(?:et|ainsi\s+qu')\s*(?:en\s+|de\s+|d')?(?P<k2>{_KIND}){_ABBREVIATION})?",
    re.IGNORECASE,
)
_KIND_BEFORE = re.compile(r"(?:en\s+)?(?P<kb>AE|CP)\s*[:=]?\s*(?:de\s+)?", re.IGNORECASE)
_NEXT_ITEM = re.compile(r"\s*(?:,|;|/|\bet\b|ainsi\s+que)\s*(?:de\s+|à\s+)?", re.IGNORECASE)


def _kind_code(word: str | None) -> str | None:
    if not word:
        return None
    return "AE" if fold(word).startswith(("ae", "autoris")) else "CP"


def _money_item(doc: _Doc, pos: int) -> tuple[dict, int] | None:
    """One amount at ``pos``: figures, words, kind (AE, CP, both, or none said)."""
    window = doc.flat[pos : pos + 320]
    before_kind = _KIND_BEFORE.match(window)
    offset = before_kind.end() if before_kind else 0
    found = _WORDS_THEN_AMOUNT.match(window, offset) or _AMOUNT_THEN_WORDS.match(window, offset)
    if not found:
        return None
    value = _amount_value(found)
    if value is None:
        return None
    kinds = []
    after = _KIND_AFTER.match(window, found.end())
    end = found.end()
    if before_kind:
        kinds = [_kind_code(before_kind["kb"])]
    elif after:
        kinds = [k for k in (_kind_code(after["k1"]), _kind_code(after["k2"])) if k]
        end = after.end()
    item = {
        "eur": value,
        "kinds": list(dict.fromkeys(kinds)),
        "at": pos + found.start("int"),
        "words": found["words"],
        "words_at": pos + found.start("words") if found["words"] else None,
    }
    return item, pos + end


def _money(doc: _Doc) -> tuple[list[dict], list[Evidence], dict]:
    """The amounts of the first sentence that sets the convention's money ("à concurrence
    de …", "montant maximum de … en AE et … en CP", "une subvention d'un montant de …"):
    ``([{"eur", "kind"}], their evidence, the ceiling)``.  The kind is "AE" or "CP" when the
    text says so, else "plafond" or "subvention"; the ceiling is the AE amount when there
    is one (what may be committed), else the first amount."""
    for anchor, default in _CEILING_ANCHORS:
        for m in re.finditer(anchor, doc.flat, re.IGNORECASE):
            before = doc.flat[max(0, m.start() - 60) : m.start()]
            said = default
            if re.search(r"\bsubvention\b[^.;]{0,40}$", before, re.IGNORECASE):
                said = "subvention"  # "une subvention d'un montant maximum de …"
            first = _money_item(doc, m.end())
            if first is None:
                continue
            items, (item, pos) = [], first
            items.append(item)
            while item["kinds"] and len(items) < 4:
                sep = _NEXT_ITEM.match(doc.flat, pos)
                nxt = _money_item(doc, sep.end()) if sep else None
                if nxt is None or not nxt[0]["kinds"]:
                    break
                item, pos = nxt
                items.append(item)
            amounts, evidence = [], []
            for it in items:
                for kind in it["kinds"] or [said]:
                    amounts.append({"eur": it["eur"], "kind": kind})
                    evidence.append(doc.evidence(it["at"]))
            ceiling_item = next((it for it in items if "AE" in it["kinds"]), items[0])
            return amounts, evidence, ceiling_item
    return [], [], {}


def _ceiling(
    item: dict, doc: _Doc
) -> tuple[float | None, Evidence | None, bool | None, Evidence | None]:
    """(ceiling, evidence, words match, evidence of the words)."""
    if not item:
        return None, None, None, None
    value = item["eur"]
    match, words_ev = None, None
    if item["words"]:
        is_words, words_value = _words_value(item["words"])
        if is_words:
            match = words_value is not None and abs(words_value - value) < 0.005
            words_ev = doc.evidence(item["words_at"])
    return value, doc.evidence(item["at"]), match, words_ev


# Schedule -----------------------------------------------------------------------------------

_SCHEDULE_HEADER = re.compile(
    r"\|?\s*(?:ann[ée]es?|exercices?)?\s*\|?\s*(AE|CP)\s*\|?\s*(AE|CP)\s*\|?", re.IGNORECASE
)
_SCHEDULE_ROW = re.compile(r"\|?\s*(?P<year>(?:19|20)\d{2})\s*\|?\s*(?P<rest>.*)")
_YEARS_HEADER = re.compile(
    r"(?:\|\s*)*(?:(?:ann[ée]es?|exercices?|en\s+euros|€)\s*\|?\s*)?"
    r"(?P<years>(?:(?:19|20)\d{2}\s*\|?\s*){2,12})(?P<total>total\s*\|?)?",
    re.IGNORECASE,
)
_KIND_ROW = re.compile(
    rf"\|?\s*(?P<kind>{_KIND})(?:\s*\((?:AE|CP)\))?\s*(?:\(€\)|en\s+€|en\s+euros)?\s*\|?\s*(?P<rest>.*)",
    re.IGNORECASE,
)


def _schedule_rows(doc: _Doc, i: int, order: list[str]) -> tuple[list[dict], list[Evidence]]:
    rows, evidence, blanks = [], [], 0
    for j in range(i + 1, len(doc.lines)):
        row_line = doc.lines[j]
        if not row_line.strip("|-:+ "):  # blank, or a markdown table rule
            blanks += 1
            if blanks > 3:
                break
            continue
        blanks = 0
        row = _SCHEDULE_ROW.fullmatch(row_line)
        if not row:
            if re.match(r"\|?\s*total\b", row_line, re.IGNORECASE):
                continue
            break
        amounts = [_amount_value(a) for a in _AMOUNT_RE.finditer(row["rest"])]
        if len(amounts) < 2 or None in amounts[:2]:
            break
        values = dict(zip(order, amounts[:2], strict=True))
        rows.append({"year": int(row["year"]), "ae_eur": values["AE"], "cp_eur": values["CP"]})
        evidence.append(doc.evidence_line(j))
    return rows, evidence


def _schedule_columns(doc: _Doc, i: int, years: list[int], total: bool):
    """Years as columns: one row of AE, one of CP, one amount under each year.  A row with
    more or fewer amounts than years is not read (the columns cannot be told apart)."""
    values: dict[str, list[float | None]] = {}
    at: dict[str, tuple[int, list[int]]] = {}
    blanks = 0
    for j in range(i + 1, min(len(doc.lines), i + 12)):
        line = doc.lines[j]
        if not line.strip("|-:+ "):
            blanks += 1
            if blanks > 2:
                break
            continue
        blanks = 0
        row = _KIND_ROW.fullmatch(line)
        if not row:
            if re.match(r"\|?\s*total\b", line, re.IGNORECASE):
                continue
            break
        kind = _kind_code(row["kind"])
        found = list(_AMOUNT_RE.finditer(line, row.start("rest")))
        if kind in values or len(found) != len(years) + (1 if total else 0):
            return [], []
        amounts = [_amount_value(a) for a in found[: len(years)]]
        if None in amounts:
            return [], []
        values[kind] = amounts
        at[kind] = (j, [a.start("int") for a in found[: len(years)]])
    if not values:
        return [], []
    rows, evidence = [], []
    first = "AE" if "AE" in values else "CP"
    for k, year in enumerate(years):
        rows.append(
            {
                "year": year,
                "ae_eur": values["AE"][k] if "AE" in values else None,
                "cp_eur": values["CP"][k] if "CP" in values else None,
            }
        )
        j, offsets = at[first]
        evidence.append(doc.evidence_line(j, offsets[k]))
    return rows, evidence


def _schedule(doc: _Doc) -> tuple[list[dict], list[Evidence]]:
    for i, line in enumerate(doc.lines):
        header = _SCHEDULE_HEADER.fullmatch(line)
        if header and header[1].upper() != header[2].upper():
            rows, evidence = _schedule_rows(doc, i, [header[1].upper(), header[2].upper()])
            if rows:
                return rows, evidence
            continue
        columns = _YEARS_HEADER.fullmatch(line)
        if columns:
            years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", columns["years"])]
            if len(set(years)) == len(years) and years == sorted(years):
                rows, evidence = _schedule_columns(doc, i, years, bool(columns["total"]))
                if rows:
                    return rows, evidence
    return [], []


# Imputation ---------------------------------------------------------------------------------

_CODE = r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]"
_NUM = r"(?:n\s*[°ºo]\.?\s*)?"
_IMPUTATION = {
    "programme": [rf"(?i:\bprogramme)\s+{_NUM}(\d{{3}})\b", r"\bP(\d{3})\b"],
    "bop": [
        rf"(?i:\bBOP\b|budget\s+op[ée]rationnel\s+de\s+programme)(?:\s*\((?:BOP)?[^()]{{0,20}}\))?"
        rf"(?:\s+[A-Z]{{2,}})?\)?\s*(?i:{_NUM}|:)?\s*(\d{{4}}-[A-Z0-9]+(?:-[A-Z0-9]+)*)\b"
    ],
    "uo": [
        rf"\bUO\s+{_NUM}({_CODE})\b",
        r"(?i:unit[ée]\s+op[ée]rationnelle\s+d[ée]nomm[ée]e)\s+«\s*([A-Z0-9][A-Z0-9-]*)\s*»",
    ],
    "brique": [rf"(?i:\bbrique\b)[^.;]{{0,60}}?{_NUM}\b(\d[0-9A-Z]{{5,}})\b"],
    "activite": [rf"(?i:\bcode\s+activit[ée]s?)\s*:?\s*{_NUM}(\d[0-9A-Z]*(?:-[0-9A-Z]+)*)\b"],
    "domaine_fonctionnel": [
        rf"(?i:\bdomaine\s+fonctionnel)\s*:?\s*{_NUM}(\d{{4}}-\d{{2}}(?:-\d{{2}})?)\b"
    ],
    "centre_couts": [r"(?i:\bcentre\s+de\s+co[uû]ts?)\s*:?\s*([A-Z0-9]{4,})\b"],
    "service_executant": [r"(?i:\bservice\s+ex[ée]cutant)\s*:?\s*([A-Z0-9]{5,})\b"],
}


def _imputation(doc: _Doc) -> tuple[dict[str, str | None], dict[str, Evidence]]:
    values: dict[str, str | None] = {}
    evidence: dict[str, Evidence] = {}
    for key, patterns in _IMPUTATION.items():
        values[key] = None
        for pattern in patterns:
            m = re.search(pattern, doc.flat)
            if m:
                values[key] = m[1]
                evidence[key] = doc.evidence(m.start(1))
                break
    return values, evidence


# Deadlines ----------------------------------------------------------------------------------

_DEADLINE_CUE = re.compile(
    r"(?:dès\s+le|au\s+plus\s+tard\s+(?:le|en|au)|avant\s+le|d'ici\s+(?:le|au)|pour\s+le"
    r"|le|en|au)\s*$",
    re.IGNORECASE,
)
_COMMITMENT = re.compile(
    r"disponible|livr|mise?\s+en\s+(?:production|ligne|service)|d[ée]ploy|achev|remis|rendu"
    r"|finalis|imp[ée]ratif|\bdoit\b|\bdevra|au\s+plus\s+tard|date\s+limite|d'ici",
    re.IGNORECASE,
)
_SUBJECT_PREDICATE = re.compile(
    r"(?:^.*\bqu'|^.*\bque\s+|^)\s*(?:une?\s+|la\s+|le\s+|les\s+|l')?(?P<subj>[^,;]+?)\s+"
    r"(?:soit|soient|sera|seront|doit\s+être|doivent\s+être|devra\s+être|devront\s+être|est|sont)"
    r"\s+(?P<pred>[\wéèêàçù'-]+)\s*$",
    re.IGNORECASE,
)


def _deadline_title(clause: str) -> str:
    clause = re.sub(r"\s+", " ", clause).strip(" ,;:")
    m = _SUBJECT_PREDICATE.match(clause)
    title = f"{m['subj']} {m['pred']}" if m else clause
    title = title.strip(" ,;:")
    if len(title) > 80:
        title = title[:79].rsplit(" ", 1)[0] + "…"
    return title[:1].upper() + title[1:]


def _deadlines(doc: _Doc, taken: set[int]) -> tuple[list[dict], list[Evidence]]:
    """Dated commitments; ``taken`` = signature line indices (dates read elsewhere are skipped)."""
    deadlines, evidence = [], []
    for start, _end, date, _precision in find_french_dates(doc.flat):
        if start in doc.used_dates or doc.index_at(start) in taken:
            continue
        before = doc.flat[max(0, start - 300) : start]
        cue = _DEADLINE_CUE.search(before)
        if not cue:
            continue
        sentence = re.split(r"[.;:!?]\s|\n\s*\n(?=[A-Z])", before[: cue.start()])[-1]
        if not _COMMITMENT.search(sentence + before[cue.start() :]):
            continue
        clause = sentence.split(",")[-1]
        title = _deadline_title(clause)
        if not title:
            continue
        deadlines.append({"date": date.isoformat(), "title": title})
        evidence.append(doc.evidence(start))
    return deadlines, evidence


# --------------------------------------------------------------------------------------------
# The whole extraction


def _mostly_unprintable(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for c in sample if not (c.isprintable() or c in "\n\r\t\f"))
    return bad > 0.1 * len(sample)


def _check_text(text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise NotAConvention(_("empty document: there is no text to read"))
    if "\x00" in text:
        raise NotAConvention(_("binary content (NUL bytes), not a text document"))
    if _mostly_unprintable(text):
        raise NotAConvention(_("mostly non-printable characters, not a text document"))


# An agreement's structure: articles, numbered sections, "il est convenu ce qui suit", a
# preamble, the parties "d'une part … d'autre part", a "Fait à …, le" line.
_STRUCTURE = re.compile(
    r"^(?:article\s+(?:\d+|premier|1er|[IVX]+)\b|titre\s+(?:\d+|[IVX]+)\b|pr[ée]ambule\b"
    r"|\d{1,2}\s*[.)-]\s+[A-ZÀ-Ý])|il\s+(?:est|a\s+[ée]t[ée])\s+(?:convenu|arr[êe]t[ée])"
    r"|d'une\s+part\b[\s\S]{0,3000}?\bd'autre\s+part\b|^fait\s+(?:à|a|en)\b",
    re.IGNORECASE | re.MULTILINE,
)


def _recognise(doc: _Doc, title: int | None, parties: list[dict], money: bool) -> None:
    """A convention or an avenant only on positive evidence: a title naming the act, its
    parties, and an agreement's structure or its money.  Else :class:`NotAConvention`."""
    if title is None:
        raise NotAConvention(
            _("not a convention or an amendment: no title « CONVENTION … » or « AVENANT … »")
        )
    named = [p for p in parties if p["name"] or p["representative"]]
    if len(named) < 2:
        raise NotAConvention(
            _("not a convention or an amendment: it names no parties (« Entre … et … »)")
            if not named
            else _("not a convention or an amendment: it names one party only (« Entre … et … »)")
        )
    if not money and not _STRUCTURE.search(doc.flat):
        raise NotAConvention(
            _("not a convention or an amendment: neither articles nor an amount to agree on")
        )


def extract(text: str, *, file: str, sha256: str, source: Source | None = None) -> dict:
    """The ``startups.convention/1`` dict for ``text``; raises :class:`NotAConvention`.

    ``source`` (from :func:`read_source`) says where the text came from: a PDF's pages,
    which were OCR'd; the evidence then names its page, and ``"ocr": true`` on those."""
    _check_text(text)
    source = source or Source(text=text, format="text")
    doc = _Doc.from_text(text, source)
    title, kind = _title(doc)
    parties, parties_ev = _parties(doc)
    amounts, amounts_ev, ceiling_item = _money(doc)
    schedule, schedule_ev = _schedule(doc)
    _recognise(doc, title, parties, bool(amounts or schedule))

    evidence: dict[str, Evidence] = {}

    def note(key: str, ev: Evidence | None) -> None:
        if ev is not None:
            evidence[key] = ev

    note("kind", doc.evidence_line(title))
    number, number_ev = _avenant_number(doc, kind, title)
    note("avenant_number", number_ev)
    dated_on, dated_ev = _dated_on(doc, title)
    note("dated_on", dated_ev)
    parent, parent_ev = _parent(doc, kind)
    note("parent", parent_ev)

    roles_ev = _subsidy_roles(doc, title, parties)
    for k, ev in enumerate(parties_ev):
        note(f"parties[{k}]", ev)
        if roles_ev is not None:
            note(f"parties[{k}].role", roles_ev)
    note("parties", parties_ev[0] if parties_ev else None)

    fast, fast_ev = _fast_promotion(doc)
    note("fast_promotion", fast_ev)
    products, products_ev = _fast_products(doc, _heading_indices(doc))
    quoted, services_ev = _services(doc, [p["name"] for p in parties if p["name"]])
    services = list(dict.fromkeys([*products, *quoted]))
    note("services", products_ev or services_ev)

    signed_on, signed_ev, tied = _signatures(doc, parties)
    note("signed_on", signed_ev)
    for k, date, ev in tied:
        parties[k]["signed_on"] = date.isoformat()
        note(f"parties[{k}].signed_on", ev)

    start, start_ev, end, end_ev = _period(doc)
    duration, duration_ev, duration_start = _duration(doc)
    note("duration", duration_ev)
    if end is None and duration is not None:
        begin = None
        if duration["from"] == "signature":
            concluded = signed_on or dated_on  # the act's date where no signature date is given
            begin = (concluded, "day") if concluded else None
        elif duration["from"] == "date":
            begin = duration_start
        if begin is not None:
            end = _duration_end(begin, duration["count"], duration["unit"])
            end_ev = duration_ev
    note("starts_on", start_ev)
    note("ends_on", end_ev)

    ceiling, ceiling_ev, words_match, words_ev = _ceiling(ceiling_item, doc)
    note("ceiling_eur", ceiling_ev)
    note("ceiling_words_match", words_ev)
    if amounts != [{"eur": ceiling, "kind": "plafond"}]:  # else it is the ceiling's evidence
        for k, ev in enumerate(amounts_ev):
            note(f"amounts[{k}]", ev)

    for k, ev in enumerate(schedule_ev):
        note(f"schedule[{k}]", ev)
    note("schedule", schedule_ev[0] if schedule_ev else None)

    imputation, imputation_ev = _imputation(doc)
    for key, ev in imputation_ev.items():
        note(f"imputation.{key}", ev)

    taken = {ev["line"] - 1 for ev in (signed_ev, *(ev for _, _, ev in tied)) if ev}
    deadlines, deadlines_ev = _deadlines(doc, taken)
    for k, ev in enumerate(deadlines_ev):
        note(f"deadlines[{k}]", ev)
    note("deadlines", deadlines_ev[0] if deadlines_ev else None)

    return {
        "schema": SCHEMA,
        "file": file,
        "sha256": sha256,
        "kind": kind,
        "avenant_number": number,
        "dated_on": dated_on.isoformat() if dated_on else None,
        "fast_promotion": fast,
        "services": services,
        "parties": parties,
        "signed_on": signed_on.isoformat() if signed_on else None,
        "ceiling_eur": ceiling,
        "ceiling_words_match": words_match,
        "amounts": amounts,
        "starts_on": start[0].isoformat() if start else None,
        "ends_on": end[0].isoformat() if end else None,
        "ends_on_precision": end[1] if end else None,
        "duration": duration,
        "parent": parent,
        "imputation": imputation,
        "schedule": schedule,
        "deadlines": deadlines,
        "source": source.describe(),
        "evidence": evidence,
    }
