"""The one place where personnel's adapters are wired."""

from __future__ import annotations

from dataclasses import dataclass

from personnel.applications.documents_client import Documents
from personnel.applications.service import Applications
from personnel.config import PersonnelSettings
from personnel.consumers import HANDLERS
from personnel.db import inbox, outbox, vault
from personnel.enterprises.service import Enterprises
from personnel.graphql.context import PersonnelContext
from personnel.graphql.schema import build_schema
from personnel.grpc.people import register
from personnel.people.service import People
from servicekit.auth import JwksVerifier
from servicekit.calendar import WorkingCalendar
from servicekit.db import Database, make_engine
from servicekit.filing_client import FilingEnterprises
from servicekit.outbox import Outbox
from servicekit.runtime import ServiceParts


@dataclass
class Container:
    settings: PersonnelSettings
    db: Database
    verifier: JwksVerifier
    filing: FilingEnterprises
    enterprises: Enterprises
    people: People
    documents: Documents
    applications: Applications


def build_container(settings: PersonnelSettings) -> Container:
    vault.configure(dev=settings.is_dev)  # production: the data key files must be there
    db = Database(make_engine(settings.database_url, settings.database_pool_size))
    filing = FilingEnterprises(settings.filing_grpc_target, settings.grpc_deadline_seconds)
    enterprises = Enterprises(filing)
    people = People(enterprises=enterprises, outbox=Outbox(outbox, "/services/personnel"))
    verifier = JwksVerifier(settings.jwks_url, settings.jwt_issuer, settings.jwt_audience)
    documents = Documents(settings.documents_grpc_target, settings.grpc_deadline_seconds)
    applications = Applications(settings, enterprises, documents, WorkingCalendar())
    return Container(settings, db, verifier, filing, enterprises, people, documents, applications)


def build_parts(container: Container) -> ServiceParts:
    settings = container.settings

    return ServiceParts(
        name="personnel",
        settings=settings,
        db=container.db,
        verifier=container.verifier,
        outbox=outbox,
        inbox=inbox,
        handlers=HANDLERS,
        register_grpc=register(container.db, container.people, container.applications),
        schema=build_schema(dev=settings.is_dev),
        context=lambda: PersonnelContext(container),
        on_stop=[container.filing.close, container.documents.close],
    )
