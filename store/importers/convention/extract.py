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
import hashlib
import itertools
import pathlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from text_to_num import text2num

from store.importers.convention.frdates import find_french_dates
from store.importers.text import decode
from store.rules.text import fold

__all__ = [
    "SCHEMA",
    "NotAConvention",
    "UnreadableDocument",
    "extract",
    "extract_file",
    "read_document",
]

SCHEMA = "startups.convention/1"

Evidence = dict[str, Any]  # {"line": int, "text": str}


class NotAConvention(ValueError):
    """The text is readable but is not a convention or an avenant (one-line reason)."""


class UnreadableDocument(ValueError):
    """The file cannot be turned into text (one-line reason)."""


# --------------------------------------------------------------------------------------------
# Reading files


TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def read_document(path: pathlib.Path) -> str:
    """The text of a ``.txt`` (UTF-8, BOM ok, else Latin-1/cp1252) or ``.pdf`` (its text layer)."""
    path = pathlib.Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if data.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        return _read_pdf(path, data)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise UnreadableDocument(
            f"{path}: unsupported file type {path.suffix!r} (expected a .txt or .pdf file)"
        )
    if b"\x00" in data:
        raise UnreadableDocument(f"{path}: binary content (NUL bytes), not a text file")
    text, _encoding = decode(data)
    if _mostly_unprintable(text):
        raise UnreadableDocument(f"{path}: mostly non-printable characters, not a text file")
    return text


def _read_pdf(path: pathlib.Path, data: bytes) -> str:
    import io

    import pypdf  # imported here: only PDF imports pay for it
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(f"{path}: the PDF is encrypted (password needed)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableDocument:
        raise
    except (
        PyPdfError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        OSError,
    ) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UnreadableDocument(f"{path}: not a readable PDF ({reason})") from exc
    except Exception as exc:  # pypdf raises many things on broken files
        raise UnreadableDocument(f"{path}: not a readable PDF ({type(exc).__name__})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableDocument(
            f"{path}: the PDF has no text layer (a scanned image?); run OCR on it first "
            "(e.g. ocrmypdf) or import its OCR'd text"
        )
    return text


def extract_file(path: pathlib.Path) -> dict:
    """Read ``path`` and extract it; ``sha256`` is that of the file's bytes."""
    path = pathlib.Path(path)
    text = read_document(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return extract(text, file=str(path), sha256=digest)


# --------------------------------------------------------------------------------------------
# The normalised document


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'", "“": "«", "”": "»"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFKC", line)
    line = line.translate(_APOSTROPHES).replace("**", "").replace("\ufffd", " ")
    line = _CONTROL.sub(" ", line)
    return _SPACES.sub(" ", line).strip()


@dataclass
class _Doc:
    raw_lines: list[str]
    lines: list[str]  # normalised, same count as raw_lines
    flat: str = ""  # normalised lines joined with "\n"
    starts: list[int] = field(default_factory=list)
    used_dates: set[int] = field(default_factory=set)  # offsets of dates already read as facts

    @classmethod
    def from_text(cls, text: str) -> _Doc:
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        lines = [_normalise_line(r) for r in raw]
        starts, pos = [], 0
        for line in lines:
            starts.append(pos)
            pos += len(line) + 1
        return cls(raw, lines, "\n".join(lines), starts)

    def index_at(self, pos: int) -> int:
        """0-based index of the line holding offset ``pos`` of ``flat``."""
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def evidence(self, pos: int) -> Evidence:
        i = self.index_at(pos)
        return self.evidence_line(i)

    def evidence_line(self, i: int) -> Evidence:
        return {"line": i + 1, "text": self.raw_lines[i].strip()}

    def span_of_line(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.starts[i] + len(self.lines[i])


# --------------------------------------------------------------------------------------------
# Amounts


_AMOUNT = (
    r"(?<![\d,.])(?P<int>\d{1,3}(?:[ .]\d{3})+|\d+)(?:,(?P<dec>\d{1,2}))?(?!\d)"
    r"\s?(?:€|euros?\b|EUR\b|d'euros\b)"
)
_AMOUNT_RE = re.compile(_AMOUNT, re.IGNORECASE)


def _amount_value(m: re.Match) -> float | None:
    digits = re.sub(r"[ .]", "", m["int"])
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
# Fields


def _heading_indices(doc: _Doc) -> list[int]:
    """Indices of the short lines before the parties ("Entre"), at most 15 non-blank ones."""
    found = []
    for i, line in enumerate(doc.lines):
        if not line:
            continue
        if re.match(r"entre\b", line, re.IGNORECASE) or len(found) >= 15:
            break
        if len(line) <= 120:
            found.append(i)
    return found


def _kind(doc: _Doc) -> tuple[str | None, Evidence | None]:
    heading = _heading_indices(doc)
    for word in ("avenant", "convention"):
        for i in heading:
            line = doc.lines[i]
            if re.search(rf"\b{word}\b", line, re.IGNORECASE) and not re.match(
                r"(?:le|la|les|du|de|en)\b", line, re.IGNORECASE
            ):
                return word, doc.evidence_line(i)
    for word, pattern in (
        ("avenant", r"\b(?:le|du|au)\s+pr[ée]sent\s+avenant\b"),
        ("convention", r"\b(?:la|de\s+la|à\s+la)\s+pr[ée]sente\s+convention\b"),
    ):
        m = re.search(pattern, doc.flat, re.IGNORECASE)
        if m:
            return word, doc.evidence(m.start())
    return None, None


_ORDINALS = {
    "premier": 1, "1er": 1, "deuxieme": 2, "second": 2, "2eme": 2, "2e": 2, "troisieme": 3,
    "3eme": 3, "3e": 3, "quatrieme": 4, "4eme": 4, "4e": 4, "cinquieme": 5, "5eme": 5, "5e": 5,
    "sixieme": 6, "6eme": 6, "6e": 6,
}  # fmt: skip


def _avenant_number(doc: _Doc, kind: str | None) -> tuple[int | None, Evidence | None]:
    if kind != "avenant":
        return None, None
    candidates = list(_heading_indices(doc))
    for m in re.finditer(r"\bpr[ée]sent\s+avenant\b", doc.flat, re.IGNORECASE):
        candidates.append(doc.index_at(m.start()))
    for i in candidates:
        line = doc.lines[i]
        m = re.search(r"\bavenant\s*(?:n\s*[°ºo]\.?|num[ée]ro)\s*(\d{1,2})\b", line, re.IGNORECASE)
        if m:
            return int(m[1]), doc.evidence_line(i)
        m = re.search(r"\b(\w+)\s+avenant\b", line, re.IGNORECASE)
        if m and fold(m[1]) in _ORDINALS:
            return _ORDINALS[fold(m[1])], doc.evidence_line(i)
    return None, None


def _date_right_after(doc: _Doc, pos: int, gap: str = r"\s*") -> tuple[Any, int] | None:
    """The date starting at ``pos`` (after a gap matching ``gap``): ((date, precision), offset)."""
    window = doc.flat[pos : pos + 60]
    for start, _end, date, precision in find_french_dates(window):
        if re.fullmatch(gap, window[:start], re.IGNORECASE):
            return (date, precision), pos + start
        break
    return None


def _parent(doc: _Doc, kind: str | None) -> tuple[dict | None, Evidence | None]:
    if kind != "avenant":
        return None, None
    anchors = re.compile(
        r"\bconvention\b[^.;]{0,120}?\b(?:conclue|sign[ée]e|en\s+date|dat[ée]e)\s+(?:le|du)\b"
        r"|\b(?:à|a)\s+la\s+convention\s+(?:de\s+[^.;\d]{0,60}?)?du\b",
        re.IGNORECASE,
    )
    for m in anchors.finditer(doc.flat):
        found = _date_right_after(doc, m.end())
        if found and found[0][1] == "day":
            (date, _), at = found
            doc.used_dates.add(at)
            return {"kind": "convention", "date": date.isoformat()}, doc.evidence(at)
    return None, None


_SERVICE_CONTEXT = re.compile(
    r"(?:services?|produit|application|plateforme|outil|site|start-?up(?:\s+d'[ée]tat)?)"
    r"(?:\s+(?:public|publique|publics|publiques|num[ée]riques?|en\s+ligne|web|digital|informatique))*"
    r"\s*(?:de\s+)?$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"«\s*([^«»]{1,80}?)\s*»")


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
    return services, evidence


# Parties ------------------------------------------------------------------------------------

_PARTIES_END = re.compile(
    r"(?:pr[ée]ambule|contexte|il\s+est\s+(?:convenu|arr[êe]t[ée])|article\b|vu\b|consid[ée]rant"
    r"|objet\b|titre\b|sommaire\b|\d{1,2}\s*[.)-]\s+[A-ZÀ-Ý][a-zà-ÿ])",
    re.IGNORECASE,
)
_AND_LINE = re.compile(r"et\s*:?\s*,?", re.IGNORECASE)
_SHORT_NAME = re.compile(
    r"ci-?\s*apr[èe]s\s+(?:d[ée]nomm[ée]e?s?|d[ée]sign[ée]e?s?|appel[ée]e?s?)\s*:?\s*"
    r"«\s*([^«»]{1,60}?)\s*»",
    re.IGNORECASE,
)
_REPRESENTED = re.compile(
    r"repr[ée]sent[ée]e?s?\s+par\s+(?:(?:M\.|Mme|Monsieur|Madame)\s+)?([^,;(\n]{2,80}?)\s*(?:[,;(\n]|$)",
    re.IGNORECASE,
)
_ROLE = re.compile(r"\b(d[ée]l[ée]gataire|d[ée]l[ée]gant)\b", re.IGNORECASE)


def _party_segments(doc: _Doc) -> list[tuple[int, int]]:
    """(start, end) offsets in ``doc.flat`` of each party's description."""
    first = next(
        (i for i, line in enumerate(doc.lines) if re.match(r"entre\b", line, re.IGNORECASE)),
        None,
    )
    if first is None:
        return []
    end, nonblank = len(doc.lines), 0
    for i in range(first + 1, len(doc.lines)):
        line = doc.lines[i]
        if not line:
            continue
        nonblank += 1
        if _PARTIES_END.match(line) or nonblank > 40:
            end = i
            break
    block_start = doc.starts[first] + len(re.match(r"entre\b\s*:?", doc.lines[first], re.I)[0])
    block_end = doc.starts[end] if end < len(doc.lines) else len(doc.flat)
    cuts = [
        doc.span_of_line(i)
        for i in range(first + 1, end)
        if doc.lines[i] and _AND_LINE.fullmatch(doc.lines[i])
    ]
    if not cuts:  # one paragraph: cut after "d'une part" and its "ci-après dénommé(e) « X »"
        m = re.compile(
            r"d'une\s+part\s*[,;]?(?:\s*ci-?\s*apr[èe]s[^«»]{0,30}«[^«»]{0,60}»\s*[,;]?)?",
            re.IGNORECASE,
        ).search(doc.flat, block_start, block_end)
        if m:
            cuts = [(m.end(), m.end())]
    segments, pos = [], block_start
    for cut_start, cut_end in cuts:
        segments.append((pos, cut_start))
        pos = cut_end
    segments.append((pos, block_end))
    return [(s, e) for s, e in segments if doc.flat[s:e].strip()]


def _designation(text: str) -> str | None:
    text = re.split(r"repr[ée]sent[ée]e?s?\s+par", text, maxsplit=1, flags=re.IGNORECASE)[0]
    text = re.sub(r"\s+", " ", text).strip()
    text = re.split(r"\s+\d", text, maxsplit=1)[0]  # drop a street address
    text = re.sub(r"^(?:et\s+)?(?:le|la|les|l')\s*", "", text, flags=re.IGNORECASE)
    text = text.strip(" ,;:.-")
    return text[:1].upper() + text[1:] if text else None


def _parties(doc: _Doc) -> tuple[list[dict], list[Evidence]]:
    parties, evidence = [], []
    for start, end in _party_segments(doc):
        short = _SHORT_NAME.search(doc.flat, start, end)
        rep = _REPRESENTED.search(doc.flat, start, end)
        name = re.sub(r"\s+", " ", short[1]).strip() if short else _designation(doc.flat[start:end])
        representative = None
        if rep:
            representative = re.sub(r"\s+", " ", rep[1]).strip(" .")
        role_m = _ROLE.search(doc.flat, rep.end() if rep else start, end)
        role = None
        if role_m:
            role = "délégataire" if "gataire" in fold(role_m[1]) else "délégant"
        if not (name or representative):
            continue
        parties.append(
            {"name": name, "role": role, "representative": representative, "signed_on": None}
        )
        anchor = (
            rep.start()
            if rep
            else start + len(doc.flat[start:end]) - len(doc.flat[start:end].lstrip())
        )
        evidence.append(doc.evidence(anchor))
    return parties, evidence


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
    return any(re.search(rf"\b{re.escape(fold(t))}\b", folded) for t in tokens)


def _signatures(doc: _Doc, parties: list[dict]) -> tuple[Any, Evidence | None, list]:
    """(conclusion date, its evidence, [(party index, date, evidence)])."""
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


# Ceiling ------------------------------------------------------------------------------------

_CEILING_ANCHORS = [
    r"[àa]\s+concurrence\s+d(?:e\s+|')",
    r"montant\s+(?:maximum|maximal|plafond|total)\s+d(?:e\s+|')",
    r"plafond\s+(?:est\s+fix[ée]\s+à|de)\s+",
    r"plafonn[ée]e?s?\s+à\s+",
    r"dans\s+la\s+limite\s+d(?:e\s+|')",
]
_WORDS_THEN_AMOUNT = re.compile(rf"(?P<words>[^()\d€]{{2,200}}?)\s*\(\s*{_AMOUNT}\s*\)", re.I)
_AMOUNT_THEN_WORDS = re.compile(
    rf"{_AMOUNT}(?:\s*(?:HT|TTC))?(?:\s*\(\s*(?P<words>[^()\d]{{2,200}}?)\s*\))?", re.I
)


def _ceiling(doc: _Doc) -> tuple[float | None, Evidence | None, bool | None, Evidence | None]:
    """(ceiling, evidence, words match, evidence of the words)."""
    for anchor in _CEILING_ANCHORS:
        for m in re.finditer(anchor, doc.flat, re.IGNORECASE):
            pos = m.end()
            window = doc.flat[pos : pos + 260]
            found = _WORDS_THEN_AMOUNT.match(window) or _AMOUNT_THEN_WORDS.match(window)
            if not found:
                continue
            value = _amount_value(found)
            if value is None:
                continue
            evidence = doc.evidence(pos + found.start("int"))
            words = found["words"]
            match, words_ev = None, None
            if words:
                is_words, words_value = _words_value(words)
                if is_words:
                    match = words_value is not None and abs(words_value - value) < 0.005
                    words_ev = doc.evidence(pos + found.start("words"))
            return value, evidence, match, words_ev
    return None, None, None, None


# Schedule -----------------------------------------------------------------------------------

_SCHEDULE_HEADER = re.compile(
    r"\|?\s*(?:ann[ée]es?|exercices?)?\s*\|?\s*(AE|CP)\s*\|?\s*(AE|CP)\s*\|?", re.IGNORECASE
)
_SCHEDULE_ROW = re.compile(r"\|?\s*(?P<year>(?:19|20)\d{2})\s*\|?\s*(?P<rest>.*)")


def _schedule(doc: _Doc) -> tuple[list[dict], list[Evidence]]:
    for i, line in enumerate(doc.lines):
        header = _SCHEDULE_HEADER.fullmatch(line)
        if not header or header[1].upper() == header[2].upper():
            continue
        order = [header[1].upper(), header[2].upper()]
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


_VOCABULARY = re.compile(
    r"d[ée]l[ée]gant|d[ée]l[ée]gataire|d[ée]l[ée]gation\s+de\s+gestion", re.IGNORECASE
)


def _check_text(text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise NotAConvention("empty document: there is no text to read")
    if "\x00" in text:
        raise NotAConvention("binary content (NUL bytes), not a text document")
    if _mostly_unprintable(text):
        raise NotAConvention("mostly non-printable characters, not a text document")


def extract(text: str, *, file: str, sha256: str) -> dict:
    """The ``startups.convention/1`` dict for ``text``; raises :class:`NotAConvention`."""
    _check_text(text)
    doc = _Doc.from_text(text)
    kind, kind_ev = _kind(doc)
    ceiling, ceiling_ev, words_match, words_ev = _ceiling(doc)
    if kind is None and not _VOCABULARY.search(doc.flat) and ceiling is None:
        raise NotAConvention(
            "no convention or avenant heading, no délégation vocabulary and no ceiling amount: "
            "not a convention"
        )

    evidence: dict[str, Evidence] = {}

    def note(key: str, ev: Evidence | None) -> None:
        if ev is not None:
            evidence[key] = ev

    note("kind", kind_ev)
    number, number_ev = _avenant_number(doc, kind)
    note("avenant_number", number_ev)
    parent, parent_ev = _parent(doc, kind)
    note("parent", parent_ev)

    parties, parties_ev = _parties(doc)
    for k, ev in enumerate(parties_ev):
        note(f"parties[{k}]", ev)
    note("parties", parties_ev[0] if parties_ev else None)

    services, services_ev = _services(doc, [p["name"] for p in parties if p["name"]])
    note("services", services_ev)

    signed_on, signed_ev, tied = _signatures(doc, parties)
    note("signed_on", signed_ev)
    for k, date, ev in tied:
        parties[k]["signed_on"] = date.isoformat()
        note(f"parties[{k}].signed_on", ev)

    start, start_ev, end, end_ev = _period(doc)
    note("starts_on", start_ev)
    note("ends_on", end_ev)

    note("ceiling_eur", ceiling_ev)
    note("ceiling_words_match", words_ev)

    schedule, schedule_ev = _schedule(doc)
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
        "services": services,
        "parties": parties,
        "signed_on": signed_on.isoformat() if signed_on else None,
        "ceiling_eur": ceiling,
        "ceiling_words_match": words_match,
        "starts_on": start[0].isoformat() if start else None,
        "ends_on": end[0].isoformat() if end else None,
        "ends_on_precision": end[1] if end else None,
        "parent": parent,
        "imputation": imputation,
        "schedule": schedule,
        "deadlines": deadlines,
        "evidence": evidence,
    }
