"""The shapes real conventions take (Journal officiel, Bulletins officiels, FAST subsidy
conventions), each read from a short text written in that shape, and for each rule a near
miss that gives null: a fact the text does not give is never guessed."""

from __future__ import annotations

import pathlib

import pytest

from store.importers.convention.extract import NotAConvention, extract, extract_file

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "conventions"
SEEDS = ROOT / "examples" / "conventions"

PARTIES = (
    "Entre :\n"
    "la DINUM, représentée par Jean Dupont, délégataire, d'une part,\n"
    "et\n"
    "la DGESCO, représentée par Marie Curie, délégant, d'autre part.\n"
)


def read(text: str) -> dict:
    return extract(text, file="x.txt", sha256="0" * 64)


def convention(body: str, title: str = "CONVENTION DE SERVICE") -> dict:
    """A short convention: ``title``, two parties, an article holding ``body``."""
    return read(f"{title}\n\n{PARTIES}\nArticle 1\n{body}\n")


# --- FAST subsidy conventions ----------------------------------------------------------------


@pytest.fixture(scope="module")
def fast() -> dict:
    return extract_file(FIXTURES / "fast_subvention_fast14.txt")


def test_a_fast_subsidy_convention_is_read(fast):
    assert fast["kind"] == "convention"
    assert fast["evidence"]["kind"]["line"] == 1
    assert fast["fast_promotion"] == 14
    assert fast["evidence"]["fast_promotion"]["line"] == 3
    assert fast["services"] == ["Immersion facilitée", "Le marché de l'inclusion"]
    assert fast["evidence"]["services"]["line"] == 3
    assert fast["ceiling_eur"] == 150000.0 and fast["ceiling_words_match"] is True
    assert fast["amounts"] == [{"eur": 150000.0, "kind": "subvention"}]
    assert fast["dated_on"] is None and fast["parent"] is None


def test_a_fast_subsidy_conventions_parties_and_roles(fast):
    dinum, gip = fast["parties"]
    assert dinum == {
        "name": "DINUM",
        "aliases": ["Direction interministérielle du numérique"],
        "role": "financeur",
        "representative": "Claire Exemple",  # "représentée par sa Directrice …, Madame …"
        "signed_on": "2024-02-15",
    }
    assert gip == {
        "name": "Groupement d'intérêt public Plateforme de l'inclusion",
        "aliases": ["le GIP"],
        "role": "bénéficiaire",
        "representative": "Paul Exemple",
        "signed_on": "2024-02-12",
    }
    # "Ci-après désignés collectivement les « Membres »" names no third party.
    assert len(fast["parties"]) == 2
    assert fast["evidence"]["parties[0].role"]["line"] == 1  # the title names the subsidy


def test_a_fast_subsidy_conventions_period_from_its_signature(fast):
    # Signed on 12 and 15 February 2024: concluded on the 15th; twelve months from then end
    # on 14 February 2025 (inclusive).
    assert fast["signed_on"] == "2024-02-15"
    assert fast["duration"] == {"count": 12, "unit": "months", "from": "signature"}
    assert (fast["ends_on"], fast["ends_on_precision"]) == ("2025-02-14", "day")
    assert "douze mois à compter de sa signature" in fast["evidence"]["ends_on"]["text"]
    assert fast["evidence"]["duration"] == fast["evidence"]["ends_on"]
    assert fast["starts_on"] is None


def test_the_seed_fast_convention_names_its_promotion():
    r = extract_file(SEEDS / "classe-a-12_convention-fast_2020.txt")
    assert r["fast_promotion"] == 2  # "le deuxième appel à projet FAST"
    assert "deuxième appel à projet FAST" in r["evidence"]["fast_promotion"]["text"]
    assert r["amounts"] == [{"eur": 50000.0, "kind": "AE"}, {"eur": 50000.0, "kind": "CP"}]
    assert r["duration"] is None  # "Sur une durée de 6 à 8 mois": a range, and about the prize


@pytest.mark.parametrize(
    "sentence",
    [
        "Le projet est financé par le FAST 2020.",  # a year, not a promotion
        "Le projet a été retenu par l'appel à projets FAST.",
        "Le Fonds d'accélération des startups d'État finance le projet.",
        "La trente-septième édition du salon FAST.",  # not a number of promotion
    ],
)
def test_near_misses_give_no_fast_promotion(sentence):
    assert convention(f"La DINUM s'engage. {sentence}")["fast_promotion"] is None


def test_roles_are_not_inferred_without_a_subsidy_title_or_a_beneficiary():
    body = (
        "Entre :\nLa DINUM, ci-après dénommée « DINUM »,\nEt\nLe GIP Exemple, ci-après "
        "dénommé « GIP »,\nArticle 1\nUne subvention d'un montant de 10 000 € est versée "
        "au titre du FAST 12.\n"
    )
    service = read("CONVENTION DE SERVICE\n" + body)
    assert [p["role"] for p in service["parties"]] == [None, None]  # no subsidy in the title
    title = "Convention relative à l'attribution d'une subvention dans le cadre du FAST\n"
    subsidy = read(title + body)
    assert [p["role"] for p in subsidy["parties"]] == [None, None]  # "bénéficiaire" unsaid
    assert subsidy["ceiling_eur"] == 10000.0
    assert subsidy["amounts"] == [{"eur": 10000.0, "kind": "subvention"}]
    named = read(title + body.replace("est versée", "est versée au bénéficiaire"))
    assert [p["role"] for p in named["parties"]] == ["financeur", "bénéficiaire"]


@pytest.mark.parametrize(
    "sentence",
    [
        "La DINUM attribue une subvention de l'Etat au bénéficiaire.",
        "Le montant de la subvention sera fixé par avenant.",
        "Une subvention d'un montant à définir.",
    ],
)
def test_near_misses_give_no_subsidy_amount(sentence):
    r = convention(sentence)
    assert r["ceiling_eur"] is None and r["amounts"] == []


# --- titles: long ones, DÉLÉGATION DE GESTION, the act's own date, the parent -----------------


@pytest.fixture(scope="module")
def jo() -> dict:
    return extract_file(FIXTURES / "jo_avenant_titre_long.txt")


def test_a_journal_officiel_title_of_200_characters(jo):
    title = (FIXTURES / "jo_avenant_titre_long.txt").read_text(encoding="utf-8").split("\n")[3]
    assert len(title) > 200
    assert jo["kind"] == "avenant" and jo["avenant_number"] == 4
    assert jo["evidence"]["kind"]["line"] == 4 and jo["evidence"]["avenant_number"]["line"] == 4
    assert jo["parent"] == {"kind": "convention", "date": "2021-03-03"}
    assert jo["evidence"]["parent"]["line"] == 4
    # The title's date is the parent's; the JORF line's a publication date; "Vu …" a reference.
    assert jo["dated_on"] is None
    assert jo["signed_on"] == "2022-05-12"  # "Fait le 12 mai 2022."


def test_an_avenant_moving_its_ceiling_in_ae_and_cp(jo):
    assert jo["amounts"] == [{"eur": 4000000.0, "kind": "AE"}, {"eur": 3500000.0, "kind": "CP"}]
    assert jo["ceiling_eur"] == 4000000.0  # what may be committed: the AE
    assert jo["evidence"]["amounts[1]"]["line"] == jo["evidence"]["ceiling_eur"]["line"]


def test_parties_named_by_the_state_and_an_agency(jo):
    state, agency = jo["parties"]
    assert state == {
        "name": "Etat",
        "aliases": [],  # « l'Etat » is its own name
        "role": None,
        "representative": None,  # "représenté par le Premier ministre": a function, no name
        "signed_on": None,
    }
    assert agency["name"] == "Agence nationale de la cohésion des territoires"
    assert agency["aliases"] == ["l'ANCT"] and agency["representative"] == "Jean Exemple"


@pytest.fixture(scope="module")
def bo() -> dict:
    return extract_file(FIXTURES / "bo_delegation_de_gestion.txt")


def test_a_delegation_de_gestion_title_gives_a_convention(bo):
    assert bo["kind"] == "convention" and bo["evidence"]["kind"]["line"] == 1
    assert bo["dated_on"] == "2020-01-12"  # "Du 12 janvier 2020" under the title
    assert bo["evidence"]["dated_on"] == {"line": 2, "text": "Du 12 janvier 2020"}
    assert bo["signed_on"] is None  # no signature date: the act's date stands apart


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Convention du 3 mars 2021 relative au service numérique", "2021-03-03"),
        ("CONVENTION DE DÉLÉGATION DE GESTION du 14 avril 2022", "2022-04-14"),
        ("Convention-cadre en date du 1er juillet 2019", "2019-07-01"),
        ("Avenant n° 2 du 9-6-2022 à la convention du 3 mars 2021", "2022-06-09"),
        ("AVENANT N°3 DU 05/12/2018", "2018-12-05"),
    ],
)
def test_the_acts_own_date_in_its_title(title, expected):
    r = convention("La DINUM s'engage.", title=title)
    assert r["dated_on"] == expected and r["evidence"]["dated_on"]["line"] == 1
    if title.startswith("Avenant n° 2"):
        assert r["parent"] == {"kind": "convention", "date": "2021-03-03"}


@pytest.mark.parametrize(
    "head",
    [
        "JORF n° 57 du 7 mars 2021\nConvention relative au service numérique",
        "Convention relative au programme du 3 mars 2021",  # not right after the act's name
        "Convention de service\nVu la convention du 3 mars 2021 ;",
        "Convention de service\nPublié au Bulletin officiel du 12 mars 2021",
        "Convention de service\nDu mois de mars 2021",  # no day
        "Avenant n° 4 à la convention du 3 mars 2021",  # the parent's date
        "Convention de service\nDu 12 janvier 2020 au 31 décembre 2020, la DINUM réalise le service",
    ],
)
def test_near_misses_give_no_acts_date(head):
    r = read(f"{head}\n\n{PARTIES}\nArticle 1\nLa DINUM s'engage.\n")
    assert r["dated_on"] is None


def test_the_acts_date_starts_a_duration_when_no_signature_date_is_given():
    r = convention(
        "La présente convention est conclue pour une durée de six mois à compter de sa signature.",
        title="Convention du 3 mars 2021 relative au service numérique",
    )
    assert (r["signed_on"], r["dated_on"]) == (None, "2021-03-03")
    assert (r["ends_on"], r["ends_on_precision"]) == ("2021-09-02", "day")


def test_the_parent_from_the_avenants_object():
    r = read(
        "AVENANT N° 2\n\n" + PARTIES + "\nArticle 1\nLe présent avenant a pour objet de "
        "modifier la convention du 3 mars 2021 relative au service numérique.\n"
    )
    assert r["kind"] == "avenant" and r["avenant_number"] == 2
    assert r["parent"] == {"kind": "convention", "date": "2021-03-03"}
    assert r["evidence"]["parent"]["line"] == 9


@pytest.mark.parametrize(
    "sentence",
    [
        "Le présent avenant a pour objet de modifier la convention.",
        "Le présent avenant a pour objet de modifier la convention de mars 2021.",
        "Le présent avenant modifie la convention, en application du décret du 14 octobre 2004.",
    ],
)
def test_near_misses_give_no_parent(sentence):
    r = read(f"AVENANT N° 2\n\n{PARTIES}\nArticle 1\n{sentence}\n")
    assert r["parent"] is None


# --- parties ----------------------------------------------------------------------------------


def test_parties_on_bullet_lines_named_by_their_role(bo):
    delegant, delegataire = bo["parties"]
    assert delegant == {
        "name": "Direction de l'administration pénitentiaire du ministère de la Justice",
        "aliases": ["la direction"],  # « le délégant » is its role, « la direction » an alias
        "role": "délégant",
        "representative": "Anne Exemple",
        "signed_on": None,
    }
    assert delegataire == {
        "name": "Direction interministérielle du numérique",
        "aliases": [],
        "role": "délégataire",  # "désignée sous le terme de « délégataire »"
        "representative": "Pierre Exemple",
        "signed_on": None,
    }
    assert bo["evidence"]["parties[1]"]["line"] == 8


def test_three_parties_and_co_delegataires():
    r = extract_file(FIXTURES / "trois_parties_codelegataires.txt")
    assert [(p["name"], p["role"], p["representative"]) for p in r["parties"]] == [
        ("Ministère de la Transition écologique", "délégant", "Louis Exemple"),
        ("DINUM", "délégataire", "Sophie Exemple"),  # a bare alias (« DINUM »)
        ("DITP", "délégataire", "Marc Exemple"),
    ]
    assert r["parties"][1]["aliases"] == ["Direction interministérielle du numérique"]
    # One date each, the last two stamped in the margin with no "Fait à" line.
    assert [p["signed_on"] for p in r["parties"]] == ["2021-06-02", "2021-06-03", "2021-06-04"]
    assert r["signed_on"] == "2021-06-04"
    assert r["evidence"]["parties[1].signed_on"]["text"] == "03/06/2021"
    assert r["services"] == ["Démarches simplifiées"]
    assert r["ceiling_eur"] == 90000.0 and r["ceiling_words_match"] is True


def test_joint_co_delegataires_in_one_sentence():
    r = read(
        "CONVENTION DE DÉLÉGATION DE GESTION\n\nEntre :\n"
        "le ministère de l'Intérieur, représenté par M. Luc Exemple, désigné sous le terme de "
        "« délégant », d'une part,\n"
        "et\n"
        "la DINUM et la DITP, ci-après dénommées « les co-délégataires », d'autre part.\n\n"
        "Article 1\nLes co-délégataires réalisent le service.\n"
    )
    assert [(p["name"], p["role"]) for p in r["parties"]] == [
        ("Ministère de l'Intérieur", "délégant"),
        ("DINUM", "délégataire"),
        ("DITP", "délégataire"),
    ]


def test_designations_that_name_a_party():
    r = read(
        "CONVENTION DE SERVICE\n\nEntre :\n"
        "la direction du numérique pour l'éducation, désignée « DNE », d'une part,\n"
        "et\n"
        "la direction interministérielle du numérique, désigné sous le terme de « DINUM », "
        "d'autre part.\n\nArticle 1\nLa DINUM réalise le service.\n"
    )
    assert [(p["name"], p["aliases"]) for p in r["parties"]] == [
        ("DNE", ["Direction du numérique pour l'éducation"]),
        ("DINUM", ["Direction interministérielle du numérique"]),
    ]


def test_a_quoted_word_in_a_partys_description_is_not_its_name():
    r = read(
        "CONVENTION DE SERVICE\n\nEntre :\n"
        "la direction du « numérique éducatif » du ministère, représentée par Mme Eve Exemple, "
        "délégant, d'une part,\n"
        "et\n"
        "la DINUM, représentée par M. Léo Exemple, délégataire, d'autre part.\n\n"
        "Article 1\nLa DINUM réalise le service.\n"
    )
    first = r["parties"][0]
    assert first["name"] == "Direction du « numérique éducatif » du ministère"
    assert first["aliases"] == [] and first["role"] == "délégant"


# --- money --------------------------------------------------------------------------------------


def test_ae_and_cp_ceilings_that_differ(bo):
    assert bo["amounts"] == [{"eur": 320000.0, "kind": "AE"}, {"eur": 280000.0, "kind": "CP"}]
    assert bo["ceiling_eur"] == 320000.0
    assert bo["ceiling_words_match"] is None


@pytest.mark.parametrize(
    ("sentence", "amounts", "ceiling"),
    [
        (
            "Le montant maximum de 100 000 € en AE et de 60 000 € en CP est mis à disposition.",
            [(100000.0, "AE"), (60000.0, "CP")],
            100000.0,
        ),
        (
            "Le délégataire est tenu à concurrence de AE : 80 000 € ; CP : 70 000 €.",
            [(80000.0, "AE"), (70000.0, "CP")],
            80000.0,
        ),
        (
            "Le délégataire est tenu à concurrence de 40 000 € en crédits de paiement.",
            [(40000.0, "CP")],
            40000.0,
        ),
        (
            # near miss: the AE of the next sentence are not this amount's kind
            "Le délégataire est tenu à concurrence de 100 000 €. Les AE sont ouvertes en 2021.",
            [(100000.0, "plafond")],
            100000.0,
        ),
    ],
)
def test_amounts_with_their_kind(sentence, amounts, ceiling):
    r = convention(sentence)
    assert [(a["eur"], a["kind"]) for a in r["amounts"]] == amounts
    assert r["ceiling_eur"] == ceiling
    if amounts == [(ceiling, "plafond")]:  # the ceiling alone: its evidence is the ceiling's
        assert "amounts[0]" not in r["evidence"] and "ceiling_eur" in r["evidence"]
    else:
        assert all(f"amounts[{k}]" in r["evidence"] for k in range(len(amounts)))


def test_an_amount_cut_at_the_end_of_a_line():
    r = convention("La DINUM est tenue à ses obligations à concurrence de 269\n700 € (deux cent "
                   "soixante-neuf mille sept cents euros).")  # fmt: skip
    assert r["ceiling_eur"] == 269700.0 and r["ceiling_words_match"] is True
    assert r["evidence"]["ceiling_eur"]["text"].endswith("à concurrence de 269")


@pytest.mark.parametrize(
    "sentence",
    [
        "La DINUM est tenue à ses obligations à concurrence de 269\n\n700 €.",  # a paragraph
        "La DINUM est tenue à ses obligations à concurrence de 12\n3456 €.",  # not a group
        "La DINUM est tenue à ses obligations à concurrence de 269\n70 €.",
    ],
)
def test_near_misses_give_no_split_amount(sentence):
    r = convention(sentence)
    assert r["ceiling_eur"] is None and r["amounts"] == []


def test_a_schedule_with_years_as_columns(bo):
    assert bo["schedule"] == [
        {"year": 2020, "ae_eur": 200000.0, "cp_eur": 150000.0},
        {"year": 2021, "ae_eur": 120000.0, "cp_eur": 130000.0},
    ]
    assert bo["evidence"]["schedule[1]"]["text"] == "| AE | 200 000 € | 120 000 € |"


def test_a_plain_text_schedule_with_years_as_columns_and_a_total():
    r = convention(
        "L'échéancier est le suivant :\n"
        "Année 2021 2022 2023 Total\n"
        "AE 100 000 € 50 000 € 0 € 150 000 €\n"
        "CP 60 000 € 60 000 € 30 000 € 150 000 €\n"
    )
    assert r["schedule"] == [
        {"year": 2021, "ae_eur": 100000.0, "cp_eur": 60000.0},
        {"year": 2022, "ae_eur": 50000.0, "cp_eur": 60000.0},
        {"year": 2023, "ae_eur": 0.0, "cp_eur": 30000.0},
    ]


def test_a_schedule_with_only_its_ae_row_leaves_the_cp_unknown():
    r = convention("| | 2021 | 2022 |\n| AE | 10 000 € | 20 000 € |\n")
    assert r["schedule"] == [
        {"year": 2021, "ae_eur": 10000.0, "cp_eur": None},
        {"year": 2022, "ae_eur": 20000.0, "cp_eur": None},
    ]


@pytest.mark.parametrize(
    "table",
    [
        "| | 2021 | 2022 |\n| AE | 10 000 € |\n| CP | 5 000 € | 5 000 € |\n",  # a missing cell
        "| | 2021 | 2022 |\n| AE | 10 000 € | 20 000 € | 30 000 € |\n",  # one too many
        "| | 2022 | 2021 |\n| AE | 10 000 € | 20 000 € |\n",  # years out of order
        "Les années 2021 et 2022 sont couvertes.\nAE 10 000 € 20 000 €\n",  # not a header
    ],
)
def test_near_misses_give_no_schedule(table):
    assert convention(table)["schedule"] == []


# --- periods given as a duration ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "duration", "end"),
    [
        (
            "La présente convention est conclue pour une durée d'un an à compter du "
            "1er janvier 2021.",
            {"count": 1, "unit": "years", "from": "date"},
            ("2021-12-31", "day"),
        ),
        (
            "La présente convention est conclue pour une durée de 6 mois à compter de "
            "janvier 2021.",
            {"count": 6, "unit": "months", "from": "date"},
            ("2021-06-30", "month"),
        ),
        (
            "La présente convention est conclue pour une durée de 90 jours à compter du "
            "1er mars 2021.",
            {"count": 90, "unit": "days", "from": "date"},
            ("2021-05-29", "day"),
        ),
        (
            "La convention est conclue pour une durée de douze (12) mois à compter du "
            "31 janvier 2021.",
            {"count": 12, "unit": "months", "from": "date"},
            ("2022-01-30", "day"),
        ),
    ],
)
def test_a_period_given_as_a_duration(sentence, duration, end):
    r = convention(sentence)
    assert r["duration"] == duration
    assert (r["ends_on"], r["ends_on_precision"]) == end
    assert r["evidence"]["ends_on"]["line"] == r["evidence"]["duration"]["line"]


@pytest.mark.parametrize(
    ("sentence", "duration"),
    [
        (
            "La présente convention est conclue pour une durée de douze mois.",
            {"count": 12, "unit": "months", "from": None},
        ),
        (
            "La présente convention est conclue pour une durée de douze mois à compter de sa "
            "notification.",
            {"count": 12, "unit": "months", "from": "notification"},
        ),
        (
            # from the signature, but no signature date and no date of the act
            "La présente convention est conclue pour une durée de douze mois à compter de sa "
            "signature.\nFait à Paris, le",
            {"count": 12, "unit": "months", "from": "signature"},
        ),
        ("La présente convention est conclue pour une durée de 6 à 8 mois.", None),
        ("Le chargé de déploiement est recruté pour une durée de six mois.", None),
    ],
)
def test_near_misses_give_no_end_from_a_duration(sentence, duration):
    r = convention(sentence)
    assert r["duration"] == duration
    assert r["ends_on"] is None and r["ends_on_precision"] is None


def test_an_explicit_end_wins_over_a_duration():
    r = convention(
        "La présente convention est conclue pour une durée de douze mois à compter du 1er "
        "janvier 2021. Elle prend fin le 30 juin 2021."
    )
    assert r["ends_on"] == "2021-06-30" and r["duration"]["count"] == 12


# --- services named without quotes --------------------------------------------------------------


def test_a_service_named_without_quotes(bo):
    assert bo["services"] == ["Mon Suivi Justice"]


@pytest.mark.parametrize(
    ("sentence", "services"),
    [
        ("La DINUM développe le service numérique Classe à 12, pour les écoles.", ["Classe à 12"]),
        ("La DINUM développe la startup d'État DossierSco.", ["DossierSco"]),
        ("La DINUM développe le service numérique de l'éducation.", []),
        ("La DINUM développe le service public numérique. Le ministère finance.", []),
        ("Les dépenses sont retranscrites dans le service Chorus.", []),
        ("Le service « Aides Jeunes » et le service numérique Autre Chose.", ["Aides Jeunes"]),
    ],
)
def test_services_without_quotes_and_near_misses(sentence, services):
    assert convention(sentence)["services"] == services


# --- signature dates in the margins, on stamps --------------------------------------------------


def test_a_signature_date_stamped_in_the_signature_pages():
    r = read(
        f"CONVENTION DE SERVICE\n\n{PARTIES}\nArticle 1\nLa DINUM s'engage.\n\n"
        "Pour la DINUM,\nJean Dupont\n12 AVR. 2018\n\nPour la DGESCO,\nMarie Curie\n"
        "Signé électroniquement le 14/04/2018\n"
    )
    assert r["signed_on"] == "2018-04-14"
    assert [p["signed_on"] for p in r["parties"]] == ["2018-04-12", "2018-04-14"]


@pytest.mark.parametrize(
    "tail",
    [
        "Pour la DINUM,\nJean Dupont\nReçu le 12 avril 2018\n",  # a reception stamp
        "Pour la DINUM,\nJean Dupont\nArrivé au bureau du courrier le 12/04/2018\n",
        "Pour la DINUM,\nJean Dupont\nvu en réunion du 12 avril 2018\n",  # not a date alone
    ],
)
def test_near_misses_give_no_signature_date(tail):
    r = read(f"CONVENTION DE SERVICE\n\n{PARTIES}\nArticle 1\nLa DINUM s'engage.\n\n{tail}")
    assert r["signed_on"] is None


def test_a_date_alone_in_the_body_is_not_a_signature():
    r = read(
        f"CONVENTION DE SERVICE\n\n{PARTIES}\nArticle 1\nLe comité se réunit le :\n"
        "12 avril 2018\n\nArticle 2\nLa DINUM s'engage.\n"
    )
    assert r["signed_on"] is None


# --- what is not a convention ---------------------------------------------------------------


def test_the_readme_is_not_a_convention():
    with pytest.raises(NotAConvention, match="aucun titre"):
        extract_file(ROOT / "README.md")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Compte rendu\nLa convention de service a été signée.\n" + PARTIES, "aucun titre"),
        ("CONVENTION DE SERVICE\nLa DINUM et la DGESCO se réunissent.\n", "aucune partie"),
        (
            "CONVENTION DE SERVICE\nEntre :\nla DINUM, représentée par Jean Dupont\n",
            "une seule partie",
        ),
        ("CONVENTION DE SERVICE\nEntre :\nla DINUM\net\nla DGESCO\n", "ni articles"),
        ("# Convention\n\nNotes sur la convention : à relire.\n", "aucune partie"),
        ("Le présent avenant prend effet le 1er janvier 2020.\n" + PARTIES, "aucun titre"),
    ],
)
def test_without_positive_evidence_a_text_is_refused(text, why):
    with pytest.raises(NotAConvention, match=why) as info:
        read(text)
    assert "\n" not in str(info.value)


def test_a_wrapped_line_that_begins_with_et_is_no_new_party():
    """PDF text layers and OCR wrap a party's description anywhere: "et de communication"
    or "- 43 Quai …" at the start of a line continue it."""
    text = (SEEDS / "dossiersco_avenant_2018-12-05.txt").read_text(encoding="utf-8")
    text = text.replace(
        "et des systèmes d'information et de communication, délégué",
        "et des systèmes d'information\net de communication, délégué",
    ).replace("Communication\n39 - 43 Quai", "Communication 39\n- 43 Quai")
    r = read(text)
    assert [p["name"] for p in r["parties"]] == ["SG du MENJ-MESRI", "DINSIC"]
    assert r["parties"][1]["representative"] == "Nadi Bou Hanna"
