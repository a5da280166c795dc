"""Write small *synthetic* Chorus INF-BUD-53 exports for the reader's tests.

The layouts are those public code reads (betagouv/compta's ``back/config.py`` for 2019,
betagouv/grist-budget-agriculture's ``chorus.py`` and ``check_emails_for_infbud.py`` for
2025); what that code does not show (preamble texts, some columns, every value) is made up:

  fixtures/INFBUD53 P352 2019.xlsx   2019 compta layout ("P352" config): 4 rows
                                     before the header, code/label column pairs
  fixtures/INFBUD53 DG 2019.xlsx     same, "délégation de gestion" variant that
                                     starts with the Service exécutant pair
  fixtures/INFBUD53_2025.xlsx        2025 grist-budget-agriculture Excel layout
                                     (header on row 1, explicit column labels)
  fixtures/INF_BUD_53_2025.csv       2025 grist CSV layout: ';', decimal comma,
                                     space thousands separator, header on the
                                     5th non-blank line, long format (one row per
                                     "type de montant"), UTF-8
  fixtures/INF_BUD_53_2025_cp1252.csv  same bytes re-encoded in cp1252: NOT
                                     evidenced, only for decoder-fallback tests
  fixtures/expected.json             per-EJ / per-poste totals the fixtures encode

Everything is invented: EJ/SF/DP numbers, codes, amounts, supplier names
("FOURNISSEUR A SAS" ...). Codes only imitate the *shape* of real ones.

Usage: ``uv run python tests/make_chorus_fixtures.py [output_dir]`` (by default
``tests/fixtures/chorus``).  The workbooks' timestamps are fixed, so that the same script
writes the same files.
"""

import datetime as dt
import json
import os
import sys

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "chorus")
# Written into the workbooks' properties instead of the time of the run.
STAMP = dt.datetime(2025, 7, 1, 12, 0, 0)

NA = "#"  # Chorus/BW "non affecté" marker (compta: na_values=["#"]; grist: N° SF != "#")
AMOUNT_FMT = "#,##0.00"
DATE_FMT = "yyyy-mm-dd"

# ---------------------------------------------------------------------------
# One scenario, reused by every layout. One entry = one poste d'EJ.
#   total      : amount of the poste (AE over the EJ's life)
#   bascule    : part carried over from the previous year (EJ non soldé)
#   sfs        : services faits of the year; each may have a DP whose status is
#                "payé", "facturé" (validated, not yet paid) or "pré-enregistré"
# ---------------------------------------------------------------------------
POSTES = [
    # EJ "A": two postes (two EJ lines)
    dict(
        ej="A",
        poste=1,
        fournisseur="FOURNISSEUR A SAS",
        contrat=NA,
        total=24000.00,
        bascule=0.0,
        sfs=[
            dict(sf=1, mmdd=(3, 14), amount=8000.00, dp=dict(dp=1, mmdd=(3, 20), status="payé")),
            dict(sf=2, mmdd=(5, 15), amount=4000.00, dp=dict(dp=2, mmdd=(5, 22), status="facturé")),
        ],
    ),
    dict(
        ej="A",
        poste=2,
        fournisseur="FOURNISSEUR A SAS",
        contrat=NA,
        total=6000.00,
        bascule=0.0,
        sfs=[],
    ),
    # EJ "B": previous-year EJ, 40 000 engaged, 25 000 paid last year -> 15 000 basculés
    dict(
        ej="B",
        poste=1,
        fournisseur="FOURNISSEUR B SARL",
        contrat=NA,
        total=15000.00,
        bascule=15000.00,
        sfs=[
            dict(sf=3, mmdd=(2, 10), amount=9000.00, dp=dict(dp=3, mmdd=(2, 18), status="payé")),
            dict(
                sf=4,
                mmdd=(6, 3),
                amount=3000.00,
                dp=dict(dp=4, mmdd=(6, 5), status="pré-enregistré"),
            ),
        ],
    ),
    # EJ "C": fully received and fully paid (attached to a marché)
    dict(
        ej="C",
        poste=1,
        fournisseur="FOURNISSEUR C SA",
        contrat="C",
        total=42000.00,
        bascule=0.0,
        sfs=[dict(sf=5, mmdd=(4, 15), amount=42000.00, dp=dict(dp=5, mmdd=(4, 25), status="payé"))],
    ),
    # EJ "D": service fait certified, no DP yet -> certifié non soldé
    dict(
        ej="D",
        poste=1,
        fournisseur="FOURNISSEUR D SAS",
        contrat=NA,
        total=18000.00,
        bascule=0.0,
        sfs=[dict(sf=6, mmdd=(6, 10), amount=18000.00, dp=None)],
    ),
    # EJ "E": engaged, nothing received
    dict(
        ej="E",
        poste=1,
        fournisseur="FOURNISSEUR E EURL",
        contrat=NA,
        total=9600.00,
        bascule=0.0,
        sfs=[],
    ),
]
EJ_LETTERS = ["A", "B", "C", "D", "E"]


def measures(p):
    """Chorus amounts of one poste for the year (Chorus's definitions, quoted in grist-budget-agriculture)."""
    m = dict(
        bascule=p["bascule"],
        engage=p["total"],
        receptionne=0.0,
        certifie_non_solde=0.0,
        pre_enregistre=0.0,
        facture=0.0,
        paye=0.0,
    )
    for s in p["sfs"]:
        m["receptionne"] += s["amount"]
        status = s["dp"]["status"] if s["dp"] else None
        # "SF certifiés ... non soldés par une DP au statut facturé ou payé"
        if status not in ("facturé", "payé"):
            m["certifie_non_solde"] += s["amount"]
        if status == "pré-enregistré":
            m["pre_enregistre"] += s["amount"]
        elif status == "facturé":
            m["facture"] += s["amount"]
        elif status == "payé":
            m["paye"] += s["amount"]
    m["ae_annee"] = m["engage"] - m["bascule"]  # compta: Montant engagé - Bascule
    return m


def sf_measures(s):
    status = s["dp"]["status"] if s["dp"] else None
    return dict(
        receptionne=s["amount"],
        certifie_non_solde=s["amount"] if status not in ("facturé", "payé") else 0.0,
        pre_enregistre=s["amount"] if status == "pré-enregistré" else 0.0,
        facture=s["amount"] if status == "facturé" else 0.0,
        paye=s["amount"] if status == "payé" else 0.0,
    )


class Ids:
    """Synthetic identifiers for one file (10-digit EJ numbers like Chorus)."""

    def __init__(self, ej_base, sf_base, dp_base, contrat_base, year):
        self.ej = {letter: ej_base + i + 1 for i, letter in enumerate(EJ_LETTERS)}
        self.sf_base, self.dp_base, self.year = sf_base, dp_base, year
        self.contrat = {"C": str(contrat_base + 1)}

    def sf(self, n):
        return str(self.sf_base + n)

    def dp(self, n):
        return str(self.dp_base + n)

    def date(self, mmdd):
        return dt.datetime(self.year, *mmdd)

    def contract(self, c):
        return self.contrat.get(c, NA)


def nz(x):
    """Blank cell for a zero amount (BO/BW leave empty cells; compta fillna(0))."""
    return None if not x else round(x, 2)


# ---------------------------------------------------------------------------
# 2019 compta layout
# ---------------------------------------------------------------------------
# (header text written in the file, name compta's config.py gives the column)
# A None header = second column of a code/label pair (BO writes one header for
# both; compta names it "<X> 2"; Data.Subvention names the pair "<X> CODE", "<X>").
HEADER_2019 = [
    ("Centre financier", "Centre financier"),
    (None, "Centre financier 2"),
    ("N° EJ", "N° EJ"),
    ("Type de flux", "Type de flux"),
    ("Fournisseur titulaire principal (EJ)", "Fournisseur titulaire principal (EJ)"),
    ("N° de contrat", "N° de contrat"),
    ("N° poste EJ", "N° poste EJ"),
    ("Centre de coûts", "Centre de coûts"),
    (None, "Centre de coûts 2"),
    ("Fonds", "Fonds"),
    (None, "Fonds 2"),
    ("Compte budgétaire", "Compte budgétaire"),
    (None, "Compte budgétaire 2"),
    ("Référentiel de programmation", "Référentiel de programmation"),
    (None, "Référentiel de programmation 2"),
    ("Groupe de marchandises", "Groupe de marchandises"),
    (None, "Groupe de marchandises 2"),
    ("Date comptable du SF", "Date comptable du SF"),
    ("Bascule des EJ non soldés", "Bascule des EJ non soldés"),
    ("Montant engagé", "Montant engagé"),
    ("Montant certifié non soldé", "Montant certifié non soldé"),
    ("Montant pré-enregistré", "Montant pré-enregistré"),
    ("Montant facturé", "Montant facturé"),
    ("Montant payé", "Montant payé"),
]
HEADER_2019_DG = [
    ("Service exécutant", "Service exécutant"),
    (None, "Service exécutant 2"),
    *HEADER_2019,
]

# Synthetic imputation (shapes only: CF = [périmètre/]programme-BOP-UO,
# référentiel de programmation = [périmètre/]12-char activité starting with the programme)
IMPUT_P352 = dict(
    cf=("BG00/0352-CDBR-DINU", "UO INCUBATEUR (FICTIF)"),
    cc=("CC00INCUB1", "INCUBATEUR (FICTIF)"),
    fonds=(NA, NA),
    cb=("CB0001", "DEPENSES DE FONCTIONNEMENT (FICTIF)"),
    ref=("BG00/035201010001", "ACCOMPAGNEMENT STARTUPS (FICTIF)"),
    gm=("36.01.01", "PRESTATIONS INFORMATIQUES (FICTIF)"),
)
IMPUT_DG_BY_EJ = {  # délégation de gestion: CF of delegating programmes
    "A": ("BG00/0129-CDBR-DINU", "UO DELEGANTE 1 (FICTIF)"),
    "B": ("BG00/0129-CDBR-DINU", "UO DELEGANTE 1 (FICTIF)"),
    "C": ("BG00/0218-CSPM-DELG", "UO DELEGANTE 2 (FICTIF)"),
    "D": ("BG00/0218-CSPM-DELG", "UO DELEGANTE 2 (FICTIF)"),
    "E": ("BG00/0129-CDBR-DINU", "UO DELEGANTE 1 (FICTIF)"),
}
SERVICE_EXECUTANT = ("SE00DINU", "SERVICE EXECUTANT INCUBATEUR (FICTIF)")
TYPE_DE_FLUX = "Flux 1"  # placeholder: real values of this column not seen in public code


def rows_2019(ids, dg):
    """Rows at the grain (poste EJ x Date comptable du SF): engagement amounts on the
    row whose SF date is '#', CP amounts on one row per SF date."""
    out = []
    for p in POSTES:
        imp = dict(IMPUT_P352)
        if dg:
            imp["cf"] = IMPUT_DG_BY_EJ[p["ej"]]
            imp["ref"] = ("BG00/" + imp["cf"][0][5:9] + "01010001", "ACTIVITE DELEGUEE (FICTIF)")
        head = []
        if dg:
            head += list(SERVICE_EXECUTANT)
        head += [
            imp["cf"][0],
            imp["cf"][1],
            ids.ej[p["ej"]],
            TYPE_DE_FLUX,
            p["fournisseur"],
            ids.contract(p["contrat"]),
            p["poste"],
            *imp["cc"],
            *imp["fonds"],
            *imp["cb"],
            *imp["ref"],
            *imp["gm"],
        ]
        out.append([*head, NA, nz(p["bascule"]), nz(p["total"]), None, None, None, None])
        for s in p["sfs"]:
            m = sf_measures(s)
            out.append(
                [
                    *head,
                    ids.date(s["mmdd"]),
                    None,
                    None,
                    nz(m["certifie_non_solde"]),
                    nz(m["pre_enregistre"]),
                    nz(m["facture"]),
                    nz(m["paye"]),
                ]
            )
    return out


def write_2019(path, ids, dg):
    header = HEADER_2019_DG if dg else HEADER_2019
    wb = Workbook()
    ws = wb.active
    ws.title = "INF-BUD-53"
    # 4 rows before the header (content unknown: invented title / prompts / date / blank)
    ws.append(["INF-BUD-53 - Suivi des engagements juridiques (FIXTURE SYNTHETIQUE)"])
    ws.append(
        [
            f"Exercice comptable : {ids.year}"
            + ("   Périmètre : délégation de gestion" if dg else "   Programme : 0352")
        ]
    )
    ws.append(
        ["Données mises à jour le : {}".format(dt.date(ids.year, 7, 15).strftime("%d/%m/%Y"))]
    )
    ws.append([])
    ws.append([h for h, _ in header])
    for c in ws[5]:
        c.font = Font(bold=True)
    data = rows_2019(ids, dg)
    for r in data:
        ws.append(r)
    # total row ("Résultat global"): no EJ -> dropped by compta's filter (EJ notna)
    n_amounts = 6
    total = ["Résultat global"] + [None] * (len(header) - 1 - n_amounts)
    for k in range(n_amounts):
        col = len(header) - n_amounts + k
        total.append(round(sum((r[col] or 0) for r in data), 2) or None)
    ws.append(total)
    date_col = [n for _, n in header].index("Date comptable du SF") + 1
    for row in ws.iter_rows(min_row=6):
        for c in row[len(header) - n_amounts :]:
            c.number_format = AMOUNT_FMT
        if isinstance(row[date_col - 1].value, dt.datetime):
            row[date_col - 1].number_format = DATE_FMT
    save(wb, path)


# ---------------------------------------------------------------------------
# 2025 grist Excel layout (header on row 1). Columns marked * are read by
# grist-budget-agriculture's check_emails_for_infbud.py; the others are assumed.
# ---------------------------------------------------------------------------
COL_EJ_2025 = "N°EJ (Bon de commande / Marché / Convention / Subvention...)"  # *
HEADER_2025 = [
    "Centre financier",
    "Référentiel de programmation",
    COL_EJ_2025,
    "Fournisseur titulaire principal (EJ)",
    "N° poste EJ",
    "N° SF",  # *
    "Date comptable du SF",
    "N° DP",  # * (13-char prefix + number)
    "Bascule des EJ non soldés (EJ années antérieures) (a)",  # *
    "Montant EJ engagés Année en cours (= b - a)",  # *
    "Montant TOTAL engagé (b)",  # *
    "Montant réceptionné",  # *
    "Montant certifié non soldé",
    "Montant pré-enregistré",
    "Montant facturé (Fact. validée par le comptable mais non échue)",  # *
    "Montant payé (Virement effectué au fournisseur)",  # *
]
DP_PREFIX = "SOCX/2025/DP/"  # 13 chars, stripped by grist with .str[13:]; real prefix unknown
assert len(DP_PREFIX) == 13


def write_2025_xlsx(path, ids):
    wb = Workbook()
    ws = wb.active
    ws.title = "INFBUD53"
    ws.append(HEADER_2025)
    for c in ws[1]:
        c.font = Font(bold=True)
    cf, ref = IMPUT_P352["cf"][0], IMPUT_P352["ref"][0]
    for p in POSTES:
        ej = ids.ej[p["ej"]]
        base = [cf, ref, ej, p["fournisseur"], p["poste"]]
        a, b = p["bascule"], p["total"]
        # engagement row: no SF, no DP
        ws.append([*base, NA, NA, NA, a, round(b - a, 2), b, None, None, None, None, None])
        for s in p["sfs"]:
            m = sf_measures(s)
            ws.append(
                [
                    *base,
                    ids.sf(s["sf"]),
                    ids.date(s["mmdd"]),
                    NA,
                    None,
                    None,
                    None,
                    m["receptionne"],
                    nz(m["certifie_non_solde"]),
                    None,
                    None,
                    None,
                ]
            )
            if s["dp"] and s["dp"]["status"] in ("facturé", "payé", "pré-enregistré"):
                ws.append(
                    [
                        *base,
                        NA,
                        NA,
                        DP_PREFIX + ids.dp(s["dp"]["dp"]),
                        None,
                        None,
                        None,
                        None,
                        None,
                        nz(m["pre_enregistre"]),
                        nz(m["facture"]),
                        nz(m["paye"]),
                    ]
                )
    first_amount = HEADER_2025.index("Bascule des EJ non soldés (EJ années antérieures) (a)")
    for row in ws.iter_rows(min_row=2):
        for c in row[first_amount:]:
            c.number_format = AMOUNT_FMT
        if isinstance(row[6].value, dt.datetime):
            row[6].number_format = "dd/mm/yyyy"
    save(wb, path)


# ---------------------------------------------------------------------------
# 2025 grist CSV layout: 4 non-blank lines, then a header of 10 columns:
# 7 dimensions, the amount-type column, one unused column, and the amount
# column whose header is the year. One row per (dimensions, type de montant).
# ---------------------------------------------------------------------------
CSV_DIMS = [
    "Centre financier",
    "N° EJ",
    "N° poste EJ",
    "N° SF",
    "N° DP",
    "N° poste DP",
    "Date de base de la DP",
]  # grist reads N° EJ, N° SF, N° poste DP, Date de base de la DP; 3 others assumed
TYPES = [  # exactly the 6 categories grist's chorus.py reorders (all must be present)
    ("Montant engagé", "engage"),
    ("Montant réceptionné", "receptionne"),
    ("Montant certifié non soldé", "certifie_non_solde"),
    ("Montant pré-enregistré", "pre_enregistre"),
    ("Montant facturé", "facture"),
    ("Montant payé", "paye"),
]


def fr_amount(x):
    """1234.5 -> '1 234,50' (space thousands separator, decimal comma); 0/None -> ''."""
    if not x:
        return ""
    s = f"{x:,.2f}"  # 1,234.50
    return s.replace(",", " ").replace(".", ",")


def write_2025_csv(path_utf8, path_cp1252, ids):
    year = ids.year
    lines = [
        "INF-BUD-53 - Restitution (FIXTURE SYNTHETIQUE)",
        f"Exercice comptable : {year}",
        "Centre financier : {}".format(IMPUT_P352["cf"][0]),
        f"Données mises à jour le : 16.06.{year}",
        ";".join([*CSV_DIMS, "", "Exercice comptable", str(year)]),
    ]

    def emit(dims, amounts):
        for label, key in TYPES:
            lines.append(";".join([*dims, label, "", fr_amount(amounts.get(key, 0.0))]))

    cf = IMPUT_P352["cf"][0]
    grand = {k: 0.0 for _, k in TYPES}
    for letter in EJ_LETTERS:
        ej = str(ids.ej[letter])
        sub = {k: 0.0 for _, k in TYPES}
        for p in [p for p in POSTES if p["ej"] == letter]:
            # engagement amounts: no SF / DP
            emit([cf, ej, str(p["poste"]), NA, NA, NA, NA], {"engage": p["total"]})
            sub["engage"] += p["total"]
            for s in p["sfs"]:
                m = sf_measures(s)
                emit(
                    [cf, ej, str(p["poste"]), ids.sf(s["sf"]), NA, NA, NA],
                    {
                        "receptionne": m["receptionne"],
                        "certifie_non_solde": m["certifie_non_solde"],
                    },
                )
                if s["dp"]:
                    d = s["dp"]
                    emit(
                        [
                            cf,
                            ej,
                            str(p["poste"]),
                            NA,
                            ids.dp(d["dp"]),
                            "1",
                            ids.date(d["mmdd"]).strftime("%d.%m.%Y"),
                        ],
                        {
                            "pre_enregistre": m["pre_enregistre"],
                            "facture": m["facture"],
                            "paye": m["paye"],
                        },
                    )
                for k in ("receptionne", "certifie_non_solde", "pre_enregistre", "facture", "paye"):
                    sub[k] += m[k]
        # BW-style subtotal per EJ: every dimension cell must be a non-empty string
        emit([cf, ej] + ["Résultat"] * 5, sub)
        for k in grand:
            grand[k] += sub[k]
    emit(["Résultat global"] * 7, grand)

    text = "\r\n".join(lines) + "\r\n"
    with open(path_utf8, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    with open(path_cp1252, "w", encoding="cp1252", newline="") as f:
        f.write(text)


# ---------------------------------------------------------------------------
def expected(ids, label):
    per_ej = {}
    for p in POSTES:
        m = measures(p)
        e = per_ej.setdefault(str(ids.ej[p["ej"]]), dict(fournisseur=p["fournisseur"], postes={}))
        e["postes"][str(p["poste"])] = {k: round(v, 2) for k, v in m.items()}
    for e in per_ej.values():
        keys = next(iter(e["postes"].values())).keys()
        e["total"] = {k: round(sum(pp[k] for pp in e["postes"].values()), 2) for k in keys}
    return dict(file=label, year=ids.year, ej=per_ej)


def save(wb, path):
    """Save with fixed timestamps (document properties and zip entries)."""
    import re
    import zipfile

    wb.properties.created = wb.properties.modified = STAMP
    wb.save(path)
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == "docProps/core.xml":  # openpyxl writes the time of saving
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>" + STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                    data,
                )
            info.date_time = STAMP.timetuple()[:6]
            target.writestr(info, data)


def main(out=OUT):
    os.makedirs(out, exist_ok=True)
    ids19 = Ids(
        ej_base=1400000100,
        sf_base=5100000000,
        dp_base=100000000,
        contrat_base=1300009000,
        year=2019,
    )
    ids19dg = Ids(
        ej_base=1400000200,
        sf_base=5100000100,
        dp_base=100000100,
        contrat_base=1300009100,
        year=2019,
    )
    ids25 = Ids(
        ej_base=1500000100,
        sf_base=5200000000,
        dp_base=200000000,
        contrat_base=1300009200,
        year=2025,
    )

    f19 = "INFBUD53 P352 2019.xlsx"  # compta picks the P352 config when '352' is in the path
    f19dg = "INFBUD53 DG 2019.xlsx"
    f25x = "INFBUD53_2025.xlsx"  # grist matches attachments with r".*INFBUD53.*\.xlsx"
    f25c = "INF_BUD_53_2025.csv"
    f25c_cp = "INF_BUD_53_2025_cp1252.csv"

    write_2019(os.path.join(out, f19), ids19, dg=False)
    write_2019(os.path.join(out, f19dg), ids19dg, dg=True)
    write_2025_xlsx(os.path.join(out, f25x), ids25)
    write_2025_csv(os.path.join(out, f25c), os.path.join(out, f25c_cp), ids25)

    exp = dict(
        note="Synthetic. Amounts in EUR. ae_annee = engage - bascule. In the 2019 layout "
        "'receptionne' has no column (informative only).",
        files=[
            expected(ids19, f19),
            expected(ids19dg, f19dg),
            expected(ids25, f25x),
            expected(ids25, f25c),
        ],
    )
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(exp, f, ensure_ascii=False, indent=2)
    for name in sorted(os.listdir(out)):
        print(os.path.join(out, name))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else OUT)
