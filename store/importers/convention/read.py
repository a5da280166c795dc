"""A convention's file as text: a ``.txt`` decoded, a ``.pdf``'s text layer, OCR for scans.

Hostile files are refused early, in one line, and never read in full: anything but a
regular file (a FIFO, ``/dev/zero``, a device, a folder) is refused before a byte is read;
a text file is at most :data:`TEXT_MAX_BYTES`, a PDF :data:`PDF_MAX_BYTES` and
:data:`PDF_MAX_PAGES` pages, and the page contents a PDF asks to decompress, counted each
time a page uses them (one huge stream shared by many pages counts many times), at most
:data:`PDF_MAX_CONTENT_BYTES`: measured by streaming decompression before any text is
extracted, so a compression bomb is refused at once and in bounded memory.

A page whose text layer is (nearly) empty but which holds an image is a scan: its text is
OCR'd (``store.importers.convention.ocr``).  :class:`Source` says which pages were.
"""

from __future__ import annotations

import io
import os
import pathlib
import stat
import time
import zlib
from dataclasses import dataclass, field

import i18n
from store.fmt import style
from store.importers.convention import ocr
from store.importers.text import decode

_ = i18n.Domain("store").gettext
ngettext = i18n.Domain("store").ngettext

__all__ = [
    "OCR_MAX_PAGES",
    "PDF_MAX_BYTES",
    "PDF_MAX_CONTENT_BYTES",
    "PDF_MAX_PAGES",
    "TEXT_MAX_BYTES",
    "OcrFailed",
    "Source",
    "UnreadableDocument",
    "read_document",
    "read_source",
]

MIB = 1024 * 1024
TEXT_MAX_BYTES = 8 * MIB  # the seed texts are 8-20 KB; a 300-page OCR'd text is about 1 MB
PDF_MAX_BYTES = 64 * MIB  # a 60-page scan at 300 dpi
PDF_MAX_PAGES = 500
# Decompressed page contents, summed over the pages (a page of text is 5-20 KiB): pypdf
# parses them at about 1 MiB/s here, so 8 MiB is at most some ten seconds.
PDF_MAX_CONTENT_BYTES = 8 * MIB
PDF_READ_SECONDS = 30.0  # pypdf's text extraction, all pages
OCR_MAX_PAGES = 100  # about a second and a half a page on two cores
OCR_MIN_CHARS = 20  # a page with fewer visible characters and an image is a scan

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


class UnreadableDocument(ValueError):
    """The file cannot be turned into text (one-line reason)."""


class OcrFailed(RuntimeError):
    """OCR ran and failed (a timeout, an engine error): a failure of the work."""


@dataclass
class Source:
    """A document's text and where it came from."""

    text: str
    format: str  # "text" | "pdf"
    pages: int | None = None  # a PDF's page count
    page_lines: list[int] = field(default_factory=list)  # 0-based first line of each page
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages whose text is OCR
    ocr_engine: str | None = None
    # Pages that look scanned but were not OCR'd (the tools are missing and other pages
    # have text), with the packages that would read them.
    unread_pages: list[int] = field(default_factory=list)
    missing_packages: list[str] = field(default_factory=list)

    def page_of_line(self, index: int) -> int | None:
        """The 1-based page holding line ``index`` (0-based), None for a text file."""
        if not self.page_lines:
            return None
        page = 0
        for i, first in enumerate(self.page_lines):
            if first <= index:
                page = i
            else:
                break
        return page + 1

    def describe(self) -> dict:
        """The ``source`` part of the extraction."""
        described = {
            "format": self.format,
            "pages": self.pages,
            "ocr_pages": list(self.ocr_pages),
            "ocr_engine": self.ocr_engine,
        }
        if self.unread_pages:
            described["unread_pages"] = list(self.unread_pages)
            described["missing_packages"] = list(self.missing_packages)
        return described


def _size(n: int) -> str:
    if n >= MIB:  # 8.0 MiB (French 8,0 Mio)
        return _("{size} MiB").format(size=f"{n / MIB:.1f}".replace(".", style().decimal))
    return _("{size} KiB").format(size=f"{n / 1024:.0f}")


def _NOT_REGULAR() -> str:
    return _("{file}: not a regular file (a pipe, a device or a socket): not read")


def _read_bytes(path: pathlib.Path) -> bytes:
    """The bytes of the regular file ``path``, refused when it is not one or is too large."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        before = os.stat(path)
    except OSError as exc:
        raise UnreadableDocument(
            _("{file}: cannot read the file ({reason})").format(
                file=path, reason=exc.strerror or exc
            )
        ) from exc
    if stat.S_ISDIR(before.st_mode):
        raise UnreadableDocument(_("{file}: is a folder, not a file").format(file=path))
    if not stat.S_ISREG(before.st_mode):
        raise UnreadableDocument(_NOT_REGULAR().format(file=path))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnreadableDocument(
            _("{file}: cannot read the file ({reason})").format(
                file=path, reason=exc.strerror or exc
            )
        ) from exc
    with os.fdopen(fd, "rb", buffering=0) as f:
        st = os.fstat(f.fileno())  # what was opened, not what was there a moment before
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableDocument(_NOT_REGULAR().format(file=path))
        head = f.read(5)
        is_pdf = head.startswith(b"%PDF-") or path.suffix.lower() == ".pdf"
        cap, what = (PDF_MAX_BYTES, _("a PDF")) if is_pdf else (TEXT_MAX_BYTES, _("a text file"))
        if st.st_size > cap:
            raise UnreadableDocument(
                _("{file}: too large ({size}; at most {cap} for {what})").format(
                    file=path, size=_size(st.st_size), cap=_size(cap), what=what
                )
            )
        chunks, total = [head], len(head)
        while total <= cap:
            chunk = f.read(min(MIB, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > cap:  # it grew while being read
            raise UnreadableDocument(
                _("{file}: too large (at most {cap} for {what})").format(
                    file=path, cap=_size(cap), what=what
                )
            )
    return b"".join(chunks)


def _mostly_unprintable(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for c in sample if not (c.isprintable() or c in "\n\r\t\f"))
    return bad > 0.1 * len(sample)


def read_source(path: pathlib.Path) -> tuple[Source, bytes]:
    """``path``'s text (:class:`Source`) and its bytes (for the sha256)."""
    path = pathlib.Path(path)
    data = _read_bytes(path)
    if data.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        return _read_pdf(path, data), data
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise UnreadableDocument(
            _("{file}: unsupported file type {suffix} (expected a .txt or .pdf file)").format(
                file=path, suffix=repr(path.suffix)
            )
        )
    if b"\x00" in data:
        raise UnreadableDocument(
            _("{file}: binary content (NUL bytes), not a text file").format(file=path)
        )
    text, _encoding = decode(data)
    if _mostly_unprintable(text):
        raise UnreadableDocument(
            _("{file}: mostly non-printable characters, not a text file").format(file=path)
        )
    return Source(text=text, format="text"), data


def read_document(path: pathlib.Path) -> str:
    """The text of a ``.txt`` (UTF-8, BOM ok, else Latin-1/cp1252) or ``.pdf`` (OCR'd if a scan)."""
    return read_source(path)[0].text


# --------------------------------------------------------------------------------------------
# PDF


def _resolved(obj):
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _streams(page) -> tuple[list, bool]:
    """The content streams ``page`` draws (its /Contents, its form XObjects, recursively),
    one entry per use, and whether it draws an image."""
    found: list = []
    has_image = False
    contents = _resolved(page.get("/Contents"))
    if contents is not None:
        items = contents if isinstance(contents, list) else [contents]
        found.extend(_resolved(item) for item in items)
    seen: set[int] = set()
    resources = [_resolved(page.get("/Resources"))]
    while resources:
        res = resources.pop()
        if not hasattr(res, "get") or id(res) in seen:
            continue
        seen.add(id(res))
        xobjects = _resolved(res.get("/XObject"))
        if not hasattr(xobjects, "values"):
            continue
        for ref in xobjects.values():
            x = _resolved(ref)
            if not hasattr(x, "get"):
                continue
            subtype = x.get("/Subtype")
            if subtype == "/Image":
                has_image = True
            elif subtype == "/Form" and id(x) not in seen:
                seen.add(id(x))
                found.append(x)
                resources.append(_resolved(x.get("/Resources")))
    return [s for s in found if hasattr(s, "get_data")], has_image


def _decoded_size(stream, limit: int) -> int:
    """How many bytes ``stream`` decodes to, counting no further than ``limit`` + 1."""
    filters = _resolved(stream.get("/Filter"))
    raw = getattr(stream, "_data", b"") or b""
    names = [str(_resolved(f)) for f in filters] if isinstance(filters, list) else [filters]
    if names in ([None], []):
        return len(raw)
    if names == ["/FlateDecode"] or names == ["/Fl"]:
        inflate = zlib.decompressobj()
        total, pending = 0, raw
        try:
            while pending and total <= limit:
                out = inflate.decompress(pending, 1 * MIB)
                total += len(out)
                pending = inflate.unconsumed_tail
        except zlib.error:
            return total  # pypdf decides what a broken stream gives
        return total
    # Other filters: pypdf's own decoders, each bounded by its output limits.
    return len(stream.get_data())


def _check_contents(path: pathlib.Path, pages) -> list[bool]:
    """Refuse a PDF whose pages decode more than :data:`PDF_MAX_CONTENT_BYTES` of contents;
    return which pages draw an image."""
    sizes: dict[int, int] = {}
    total = 0
    images = []
    for page in pages:
        streams, has_image = _streams(page)
        images.append(has_image)
        for stream in streams:
            key = id(stream)
            if key not in sizes:
                sizes[key] = _decoded_size(stream, PDF_MAX_CONTENT_BYTES - total)
            total += sizes[key]
            if total > PDF_MAX_CONTENT_BYTES:
                raise UnreadableDocument(
                    _(
                        "{file}: its pages decompress to more than {size} of contents (the "
                        "limit): not read"
                    ).format(file=path, size=_size(PDF_MAX_CONTENT_BYTES))
                )
    return images


def _visible_chars(text: str) -> int:
    return len("".join(text.split()))


def _read_pdf(path: pathlib.Path, data: bytes) -> Source:
    import pypdf  # imported here: only PDF imports pay for it
    from pypdf.errors import PyPdfError

    started = time.monotonic()
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(
                _("{file}: the PDF is encrypted (password needed)").format(file=path)
            )
        count = len(reader.pages)
        if count > PDF_MAX_PAGES:
            raise UnreadableDocument(
                _("{file}: {count} pages (at most {max} for a convention): not read").format(
                    file=path, count=count, max=PDF_MAX_PAGES
                )
            )
        images = _check_contents(path, reader.pages)
        texts = []
        for page in reader.pages:
            texts.append(page.extract_text() or "")
            if time.monotonic() - started > PDF_READ_SECONDS:
                raise UnreadableDocument(
                    _(
                        "{file}: reading its text took more than {seconds} s (the limit): not read"
                    ).format(
                        file=path, seconds=f"{PDF_READ_SECONDS:g}".replace(".", style().decimal)
                    )
                )
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
        RecursionError,
        zlib.error,
    ) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise UnreadableDocument(
            _("{file}: not a readable PDF ({reason})").format(file=path, reason=reason)
        ) from exc
    except Exception as exc:  # pypdf raises many things on broken files
        raise UnreadableDocument(
            _("{file}: not a readable PDF ({reason})").format(file=path, reason=type(exc).__name__)
        ) from exc

    scans = [
        i + 1 for i, text in enumerate(texts) if images[i] and _visible_chars(text) < OCR_MIN_CHARS
    ]
    source = Source(text="", format="pdf", pages=count)
    if scans:
        if len(scans) > OCR_MAX_PAGES:
            raise UnreadableDocument(
                _("{file}: {count} scanned pages to OCR (at most {max}): not read").format(
                    file=path, count=len(scans), max=OCR_MAX_PAGES
                )
            )
        if reader.is_encrypted:  # opened with the empty password: give OCRmyPDF a clear copy
            clear = io.BytesIO()
            pypdf.PdfWriter(clone_from=reader).write(clear)
            data = clear.getvalue()
        try:
            read = ocr.ocr_pages(data, scans, count)
        except ocr.OcrUnavailable as exc:
            if len(scans) == count or not any(texts[i - 1].strip() for i in _others(scans, count)):
                raise UnreadableDocument(
                    _("{file}: the PDF has no text layer on {pages} (a scan); {reason}").format(
                        file=path, pages=_pages(scans, count), reason=exc
                    )
                ) from exc
            # Some pages have text: read those, and say which were not (a cover's logo, a
            # scanned annex).
            read = {}
            source.unread_pages = scans
            source.missing_packages = list(exc.packages)
        except ocr.OcrRefused as exc:
            raise UnreadableDocument(
                _("{file}: not a readable PDF ({reason})").format(file=path, reason=exc)
            ) from exc
        except ocr.OcrFailed as exc:
            raise OcrFailed(_("{file}: {reason}").format(file=path, reason=exc)) from exc
        for number, text in read.items():
            texts[number - 1] = text
        if read:
            source.ocr_pages = scans
            source.ocr_engine = ocr.engine_name()
    if not any(t.strip() for t in texts):
        raise UnreadableDocument(
            (
                _("{file}: the PDF has no text layer and no page image to read with OCR")
                if not scans
                else _("{file}: the PDF has no text layer and OCR found no text in it")
            ).format(file=path)
        )
    lines: list[str] = []
    for text in texts:
        source.page_lines.append(len(lines))
        lines.extend(text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n"))
    source.text = "\n".join(lines)
    return source


def _others(numbers: list[int], count: int) -> list[int]:
    return [i for i in range(1, count + 1) if i not in numbers]


def _pages(numbers: list[int], count: int) -> str:
    if len(numbers) == count:
        return _("any page")
    shown = ", ".join(map(str, numbers[:5])) + ("…" if len(numbers) > 5 else "")
    return ngettext("page {pages}", "pages {pages}", len(numbers)).format(pages=shown)
