"""The seed portfolio: Classe à 12 and DossierSco, as their documents fix them.

Every fact here comes from the three seed conventions (``examples/conventions/``)
or from beta.gouv.fr's own files for the two startups (``store/data/betagouv/``,
CC BY-NC-SA 4.0).  Where a document leaves something out (the 2020 signature date,
the ceiling of DossierSco's first convention), the store holds NULL, never a guess.

The consumption lines are the one exception: they are illustrative, so that the
burn-down has something to draw, and each says so in its ``source``.  None of them
contradicts a seed fact (none before 1 June 2018, none over a ceiling).

Loading is idempotent: every row the demo writes carries a ``source`` key of its
own, and a row whose key is already in the store is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, SQLModel, select

from store.db import Store
from store.derived import reattribute
from store.importers.betagouv.read import (
    parse_incubator,
    parse_organisation,
    parse_promotion,
    parse_startup,
)
from store.importers.betagouv.write import startup_fields
from store.models import (
    ConsumptionLine,
    Convention,
    ConventionParty,
    Deadline,
    FastAward,
    FastPromotion,
    Incubator,
    Measurement,
    Objective,
    Organisation,
    Phase,
    ScheduleLine,
    StaffingLine,
    Startup,
    StartupSponsor,
)

DATA = Path(__file__).parent / "data" / "betagouv" / "content"
SOURCE = "demo"
ILLUSTRATIVE = "demo: illustrative, not from the seed documents"
D = dt.date


@dataclass
class DemoResult:
    created: int = 0

    @property
    def changed(self) -> bool:
        return self.created > 0


class _Loader:
    def __init__(self, session: Session):
        self.session = session
        self.result = DemoResult()

    def ensure(self, model: type[SQLModel], key: dict[str, Any], **values: Any) -> Any:
        """The row matching ``key``, created with ``values`` when missing (never updated)."""
        query = select(model)
        for column, value in key.items():
            query = query.where(getattr(model, column) == value)
        row = self.session.exec(query).first()
        if row is None:
            row = model(**key, **values)
            self.session.add(row)
            self.session.flush()
            self.result.created += 1
        return row

    # --- beta.gouv.fr's own files ---------------------------------------------------------

    def organisation(self, slug: str) -> Organisation:
        org = parse_organisation(DATA / "_organisations" / f"{slug}.md")
        return self.ensure(
            Organisation,
            {"slug": slug},
            name=org.name,
            acronym=org.acronym,
            type=org.type,
            domaine_ministeriel=org.domaine_ministeriel,
            source=SOURCE,
        )

    def incubator(self, slug: str) -> Incubator:
        inc = parse_incubator(DATA / "_incubators" / f"{slug}.md")
        owner = self.organisation(inc.owner) if inc.owner else None
        return self.ensure(
            Incubator,
            {"slug": slug},
            title=inc.title,
            owner_id=owner.id if owner else None,
            contact=inc.contact,
            address=inc.address,
            website=inc.website,
            github=inc.github,
            short_description=inc.short_description,
            source=SOURCE,
        )

    def startup(self, slug: str) -> Startup:
        existing = self.session.exec(select(Startup).where(Startup.slug == slug)).first()
        if existing is not None:
            # Already there (an earlier demo, or an import of beta.gouv.fr): the demo only
            # adds its conventions and figures, it never rewrites the startup.
            return existing
        record = parse_startup(DATA / "_startups" / f"{slug}.md")
        incubator = self.incubator(record.incubator)
        startup = self.ensure(
            Startup,
            {"slug": slug},
            **startup_fields(record),
            incubator_id=incubator.id,
            source=SOURCE,
        )
        for position, sponsor in enumerate(record.sponsors):
            organisation = self.organisation(sponsor)
            self.ensure(
                StartupSponsor,
                {"startup_id": startup.id, "organisation_id": organisation.id},
                position=position,
            )
        for phase in record.phases:
            self.ensure(
                Phase,
                {"startup_id": startup.id, "name": phase.name, "start": phase.start},
                end=phase.end,
            )
        return startup

    # --- the seed documents ---------------------------------------------------------------

    def convention(self, startup: Startup, key: str, **values: Any) -> Convention:
        return self.ensure(
            Convention, {"startup_id": startup.id, "source": f"{SOURCE}:{key}"}, **values
        )

    def parties(self, convention: Convention, *parties: dict[str, Any]) -> None:
        for position, party in enumerate(parties):
            self.ensure(
                ConventionParty,
                {"convention_id": convention.id, "position": position},
                **party,
            )

    def deadline(self, startup: Startup, key: str, **values: Any) -> Deadline:
        return self.ensure(
            Deadline, {"startup_id": startup.id, "source": f"{SOURCE}:{key}"}, **values
        )

    def objective(self, startup: Startup, key: str, **values: Any) -> Objective:
        return self.ensure(
            Objective, {"startup_id": startup.id, "source": f"{SOURCE}:{key}"}, **values
        )

    def measurement(self, objective: Objective, day: dt.date, value: float, note: str) -> None:
        self.ensure(
            Measurement,
            {"objective_id": objective.id, "date": day},
            value=value,
            note=note,
            source=SOURCE,
        )

    def lines(self, startup: Startup, convention: Convention, payments: list[tuple]) -> None:
        for day, euros, label in payments:
            self.ensure(
                ConsumptionLine,
                {"dedup_key": f"{SOURCE}:{startup.slug}:{day.isoformat()}:{label}"},
                startup_id=startup.id,
                convention_id=convention.id,
                date=day,
                amount_cents=euros * 100,
                kind="payment",
                label=label,
                category="prestations",
                source=ILLUSTRATIVE,
            )


def _classe_a_12(loader: _Loader) -> None:
    startup = loader.startup("classe-a-12")
    c2018 = loader.convention(
        startup,
        "classe-a-12/convention-2018",
        kind="convention",
        title="Convention de service",
        object="Création du service public numérique « Classe à 12 » selon l'approche startup d'État",
        signed_on=D(2018, 4, 12),
        ends_on=D(2018, 10, 1),
        ends_on_precision="day",
        ceiling_cents=269_700_00,
        programme="214",
        bop="0214-CEN2",
        uo="INFO",
        brique="021404DI02",
        activite="021404DI02-04",
        domaine_fonctionnel="0214-08-02",
        source_file="classe-a-12_convention_2018-04-12.txt",
    )
    loader.parties(
        c2018,
        {
            "name": "Ministère de l'Éducation nationale",
            "short_name": "SG du MEN-MESRI",
            "role": "délégant",
            "representative": "Marie-Anne Lévêque",
            "representative_title": "Secrétaire générale du MEN et du MESRI",
        },
        {
            "name": "Direction interministérielle du numérique et des systèmes d'information "
            "et de communication",
            "short_name": "DINSIC",
            "role": "délégataire",
            "representative": "Henri Verdier",
            "representative_title": "Directeur interministériel du numérique et des systèmes "
            "d'information et de communication",
        },
    )
    loader.deadline(
        startup,
        "classe-a-12/version-utilisable",
        convention_id=c2018.id,
        date=D(2018, 9, 1),
        title="Version utilisable par les enseignants disponible",
        kind="deliverable",
    )
    loader.convention(
        startup,
        "classe-a-12/avenant-1",
        kind="avenant",
        number=1,
        parent_id=c2018.id,
        title="Avenant n° 1 à la convention de service",
        notes="Mentionné par la convention de 2020 (« son premier avenant ») ; son texte n'est "
        "pas fourni : date, plafond et échéance inconnus.",
    )
    c2020 = loader.convention(
        startup,
        "classe-a-12/convention-fast-2020",
        kind="convention",
        title="Convention de service (co-financement FAST)",
        object="Passage à l'échelle de « Classe à 12 », co-financé par le FAST",
        ends_on=D(2021, 12, 31),
        ends_on_precision="month",
        ceiling_cents=50_000_00,
        uo="0181-CPRI-ELAB",
        centre_couts="DININCUB",
        service_executant="CSPSPM0075",
        source_file="classe-a-12_convention-fast_2020.txt",
        notes="La date de signature est laissée en blanc dans le texte.",
    )
    loader.parties(
        c2020,
        {
            "name": "Ministère de l'Éducation nationale et de la Jeunesse",
            "short_name": "SG du MENJ-MESRI",
            "role": "délégant",
            "representative": "Marie-Anne Lévêque",
            "representative_title": "Secrétaire générale du MENJ et du MESRI",
        },
        {
            "name": "Direction interministérielle du numérique",
            "short_name": "DINUM",
            "role": "délégataire",
            "representative": "Nadi Bou Hanna",
            "representative_title": "Directeur interministériel du numérique",
        },
    )
    loader.ensure(
        ScheduleLine,
        {"convention_id": c2020.id, "year": 2020},
        ae_cents=50_000_00,
        cp_cents=50_000_00,
    )
    fast2 = parse_promotion(DATA / "_fasts" / "02-fast.md")  # "FAST 2 - Novembre 2019"
    promotion = loader.ensure(
        FastPromotion, {"number": fast2.number}, title=fast2.title, date=fast2.date
    )
    loader.ensure(
        FastAward,
        {"startup_id": startup.id, "promotion_id": promotion.id},
        laureate_name="Classe à 12",
        amount_cents=50_000_00,
        source=f"{SOURCE}: beta.gouv.fr _fasts/02-fast.md; montant: convention FAST 2020",
    )
    loader.lines(
        startup,
        c2018,
        [
            (D(2018, 6, 29), 38_000, "Développement et coaching — juin 2018"),
            (D(2018, 7, 31), 41_000, "Développement et coaching — juillet 2018"),
            (D(2018, 8, 31), 44_000, "Développement et coaching — août 2018"),
            (D(2018, 9, 28), 46_000, "Développement et coaching — septembre 2018"),
            (D(2018, 10, 31), 32_000, "Solde des prestations 2018"),
        ],
    )
    reattribute(loader.session, startup.id)


def _dossiersco(loader: _Loader) -> None:
    startup = loader.startup("dossiersco")
    c2018 = loader.convention(
        startup,
        "dossiersco/convention-2018",
        kind="convention",
        title="Convention de service",
        signed_on=D(2018, 4, 12),
        placeholder=True,
        notes="Connue par son avenant (« la convention de service conclue le 12 avril 2018 ») ; "
        "son texte n'est pas fourni : plafond et échéance inconnus.",
    )
    avenant = loader.convention(
        startup,
        "dossiersco/avenant-2018-12",
        kind="avenant",
        parent_id=c2018.id,
        title="Avenant à la convention de service",
        object="Extension de DossierSco à 100 collèges pour la rentrée 2019",
        ceiling_cents=200_000_00,
        source_file="dossiersco_avenant_2018-12-05.txt",
    )
    loader.parties(
        avenant,
        {
            "name": "Ministère de l'Éducation nationale et de la Jeunesse",
            "short_name": "SG du MENJ-MESRI",
            "role": "délégant",
            "representative": "Marie-Anne Lévêque",
            "representative_title": "Secrétaire générale du MENJ et du MESRI "
            "(signé pour elle par Christophe Gehin, chef de service, adjoint)",
            "signed_on": D(2018, 11, 30),
        },
        {
            "name": "Direction interministérielle du numérique et des systèmes d'information "
            "et de communication",
            "short_name": "DINSIC",
            "role": "délégataire",
            "representative": "Nadi Bou Hanna",
            "representative_title": "Directeur interministériel du numérique et des systèmes "
            "d'information et de communication",
            "signed_on": D(2018, 12, 5),
        },
    )
    rentree_2018 = D(2018, 9, 3)
    rentree_2019 = D(2019, 9, 2)
    note = "Avenant du 5 décembre 2018 : résultats de la rentrée 2018"
    dossiers = loader.objective(
        startup,
        "dossiersco/dossiers",
        metric="Dossiers de réinscription traités",
        unit="dossiers",
        description="Dossiers traités via DossierSco dans les établissements pilotes",
    )
    loader.measurement(dossiers, rentree_2018, 750, note)
    colleges = loader.objective(
        startup,
        "dossiersco/colleges",
        metric="Collèges utilisateurs",
        unit="collèges",
        target=100,
        target_date=rentree_2019,
        description="Objectif 2019 : au moins 100 collèges",
    )
    loader.measurement(colleges, rentree_2018, 4, note + " (quatre établissements pilotes)")
    loader.objective(
        startup,
        "dossiersco/eleves",
        metric="Élèves touchés",
        unit="élèves",
        target=50_000,
        target_date=rentree_2019,
        description="Objectif 2019 : 50 000 élèves",
    )
    satisfaction = loader.objective(
        startup,
        "dossiersco/satisfaction",
        metric="Satisfaction des familles",
        unit="/5",
        description="Note de satisfaction des familles",
    )
    loader.measurement(satisfaction, rentree_2018, 4.5, note + " (80 % de répondants)")
    loader.ensure(
        StaffingLine,
        {"startup_id": startup.id, "source": f"{SOURCE}:dossiersco/developpeurs-2018"},
        convention_id=c2018.id,
        role="Développeur full-stack",
        headcount=2,
        starts_on=D(2018, 4, 1),
        ends_on=D(2018, 9, 30),
    )
    loader.lines(
        startup,
        c2018,
        [
            (D(2018, 6, 29), 24_000, "Développement — juin 2018"),
            (D(2018, 7, 31), 24_000, "Développement — juillet 2018"),
            (D(2018, 8, 31), 18_000, "Développement — août 2018"),
            (D(2018, 9, 28), 24_000, "Développement — septembre 2018"),
            (D(2019, 1, 31), 20_000, "Développement — janvier 2019"),
            (D(2019, 2, 28), 20_000, "Développement — février 2019"),
            (D(2019, 3, 29), 20_000, "Développement — mars 2019"),
        ],
    )
    reattribute(loader.session, startup.id)


def load_demo(store: Store) -> DemoResult:
    """Load the seed portfolio into ``store`` in one transaction; a second load adds nothing."""
    with store.session() as session:
        loader = _Loader(session)
        _classe_a_12(loader)
        _dossiersco(loader)
        return loader.result
