"""Chorus INF-BUD-53 exports written for the tests and the benchmark (all synthetic).

``write_xlsx`` writes a workbook the way Excel does (shared strings, a ``<dimension>``,
date and amount styles), quickly enough for 100,000 lines; ``write_csv`` writes French
CSV (``;``, ``1 234,56``, ``dd.mm.yyyy``).  ``big_rows`` makes a large export of a layout.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

Cell = str | int | float | dt.datetime | dt.date | None

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_BOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
# Styles: 0 general, 1 a date (numFmt 14), 2 an amount (#,##0.00).
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="#,##0.00"/></numFmts><fonts count="1"><font><sz val="11"/>'
    '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
    'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
_EPOCH = dt.datetime(1899, 12, 30)


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(path: Path, rows: Sequence[Sequence[Cell]], title: str = "INF-BUD-53") -> None:
    """A one-sheet workbook as Excel writes one: text in the shared string table, dates as
    serial numbers with a date style, floats with an amount style, None as no cell."""
    strings: dict[str, int] = {}
    width = max([1, *(len(row) for row in rows)])
    letters = [column_letters(i) for i in range(width)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr(
            "xl/workbook.xml",
            _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                (
                    _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                    f'<dimension ref="A1:{letters[-1]}{len(rows)}"/><sheetData>'
                ).encode()
            )
            out: list[str] = []
            for number, row in enumerate(rows, 1):
                out.append(f'<row r="{number}">')
                for index, value in enumerate(row):
                    if value is None:
                        continue
                    ref = f"{letters[index]}{number}"
                    if isinstance(value, str):
                        key = strings.setdefault(value, len(strings))
                        out.append(f'<c r="{ref}" t="s"><v>{key}</v></c>')
                    elif isinstance(value, dt.datetime | dt.date):
                        moment = (
                            value
                            if isinstance(value, dt.datetime)
                            else dt.datetime(value.year, value.month, value.day)
                        )
                        serial = (moment - _EPOCH).days
                        out.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
                    elif isinstance(value, float):
                        out.append(f'<c r="{ref}" s="2"><v>{value!r}</v></c>')
                    else:
                        out.append(f'<c r="{ref}"><v>{value}</v></c>')
                out.append("</row>")
                if len(out) > 20_000:
                    sheet.write("".join(out).encode())
                    out.clear()
            out.append("</sheetData></worksheet>")
            sheet.write("".join(out).encode())
        with book.open("xl/sharedStrings.xml", "w") as table:
            table.write(
                (
                    _XML + f'<sst xmlns="{_MAIN}" count="{len(strings)}" '
                    f'uniqueCount="{len(strings)}">'
                ).encode()
            )
            chunk: list[str] = []
            for text in strings:
                space = ' xml:space="preserve"' if text != text.strip() else ""
                chunk.append(f"<si><t{space}>{escape(text)}</t></si>")
                if len(chunk) > 10_000:
                    table.write("".join(chunk).encode())
                    chunk.clear()
            chunk.append("</sst>")
            table.write("".join(chunk).encode())


def french_amount(value: float | int | None) -> str:
    """24000.5 → ``24 000,50``; None → empty."""
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def csv_text(rows: Iterable[Sequence[Cell]], delimiter: str = ";") -> str:
    """French CSV: floats as ``1 234,56``, dates as ``dd.mm.yyyy``, None as empty, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            [
                french_amount(v)
                if isinstance(v, float)
                else v.strftime("%d.%m.%Y")
                if isinstance(v, dt.date)
                else ""
                if v is None
                else str(v)
                for v in row
            ]
        )
    return out.getvalue()


# --- large exports ---------------------------------------------------------------------

HEADER_2019 = [
    "Centre financier",
    None,
    "N° EJ",
    "Type de flux",
    "Fournisseur titulaire principal (EJ)",
    "N° de contrat",
    "N° poste EJ",
    "Centre de coûts",
    None,
    "Fonds",
    None,
    "Compte budgétaire",
    None,
    "Référentiel de programmation",
    None,
    "Groupe de marchandises",
    None,
    "Date comptable du SF",
    "Bascule des EJ non soldés",
    "Montant engagé",
    "Montant certifié non soldé",
    "Montant pré-enregistré",
    "Montant facturé",
    "Montant payé",
]
HEADER_2019_DG = ["Service exécutant", None, *HEADER_2019]
HEADER_2025 = [
    "Centre financier",
    "Référentiel de programmation",
    "N°EJ (Bon de commande / Marché / Convention / Subvention...)",
    "Fournisseur titulaire principal (EJ)",
    "N° poste EJ",
    "N° SF",
    "Date comptable du SF",
    "N° DP",
    "Bascule des EJ non soldés (EJ années antérieures) (a)",
    "Montant EJ engagés Année en cours (= b - a)",
    "Montant TOTAL engagé (b)",
    "Montant réceptionné",
    "Montant certifié non soldé",
    "Montant pré-enregistré",
    "Montant facturé (Fact. validée par le comptable mais non échue)",
    "Montant payé (Virement effectué au fournisseur)",
]
LONG_DIMENSIONS = [
    "Centre financier",
    "N° EJ",
    "N° poste EJ",
    "N° SF",
    "N° DP",
    "N° poste DP",
    "Date de base de la DP",
]
LONG_TYPES = [
    "Montant engagé",
    "Montant réceptionné",
    "Montant certifié non soldé",
    "Montant pré-enregistré",
    "Montant facturé",
    "Montant payé",
]
_CENTRES = ["BG00/0352-CDBR-DINU", "BG00/0129-CDBR-DINU", "BG00/0218-CSPM-DELG"]


def big_rows(layout: str, lines: int) -> list[list[Cell]]:
    """A ``lines``-line export of ``layout`` (``2019``, ``2019-dg``, ``2025``,
    ``2025-long``): a preamble, the header, then groups of lines per EJ line: its
    engagement, then a service fait and its payment."""
    year = 2025 if layout.startswith("2025") else 2019
    rows: list[list[Cell]] = [
        ["INF-BUD-53 - Restitution (synthetic)"],
        [f"Exercice comptable : {year}"],
        [f"Données mises à jour le : 15/07/{year}"],
        [],
    ]
    if layout == "2025-long":
        rows.append([*LONG_DIMENSIONS, "", "Exercice comptable", str(year)])
    else:
        rows.append({"2019": HEADER_2019, "2019-dg": HEADER_2019_DG, "2025": HEADER_2025}[layout])
    n = 0
    while len(rows) - 5 < lines:
        ej = 1400000000 + n // 2
        poste = n % 2 + 1
        centre = _CENTRES[n % 3]
        engaged = float(1000 + (n * 37) % 90000) + 0.25 * (n % 4)
        paid = round(engaged / 3, 2)
        served = dt.datetime(year, 1 + n % 12, 1 + n % 28)
        supplier = f"FOURNISSEUR {n // 2:06d} SAS"
        n += 1
        if layout in ("2019", "2019-dg"):
            head: list[Cell] = [centre, "UO (synthetic)", ej, "Flux 1", supplier, "#", poste]
            head += ["CC00INCUB1", "INCUBATEUR", "#", "#", "CB0001", "FONCTIONNEMENT"]
            head += [f"BG00/{centre[5:9]}01010001", "ACTIVITE", "36.01.01", "PRESTATIONS"]
            if layout == "2019-dg":
                head = ["SE00DINU", "SERVICE EXECUTANT", *head]
            rows.append([*head, "#", None, engaged, None, None, None, None])
            rows.append([*head, served, None, None, None, None, None, paid])
            rows.append([*head, served, None, None, paid, None, None, None])
        elif layout == "2025":
            head = [centre, f"BG00/{centre[5:9]}01010001", ej, supplier, poste]
            rows.append([*head, "#", "#", "#", 0.0, engaged, engaged, None, None, None, None, None])
            sf = str(5200000000 + n)
            rows.append([*head, sf, served, "#", None, None, None, paid, None, None, None, None])
            dp = f"SOCX/{year}/DP/{200000000 + n}"
            rows.append([*head, "#", "#", dp, None, None, None, None, None, None, None, paid])
        else:
            dims = [centre, str(ej), str(poste)]
            for values in (
                [*dims, "#", "#", "#", "#"],
                [*dims, str(5200000000 + n), "#", "#", "#"],
            ):
                amounts = (
                    [engaged, None, None, None, None, None]
                    if values[3] == "#"
                    else [None, paid, None, None, None, paid]
                )
                for label, amount in zip(LONG_TYPES, amounts, strict=True):
                    rows.append([*values, label, None, amount])
    return rows[: lines + 5]
