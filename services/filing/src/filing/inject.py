"""The one place where filing's adapters are wired."""

from __future__ import annotations

from dataclasses import dataclass

from filing.accounts.identity_client import IdentityAccounts
from filing.config import FilingSettings
from filing.consumers import HANDLERS
from filing.db import inbox, outbox, vault
from filing.enterprises.members import Members
from filing.enterprises.service import Enterprises
from filing.graphql.context import FilingContext
from filing.graphql.schema import build_schema
from filing.grpc.enterprises import register
from filing.records.changes import Changes
from filing.records.forms import FormPrinter
from filing.records.review import Reviews
from filing.records.service import Records
from servicekit.auth import JwksVerifier
from servicekit.db import Database, make_engine
from servicekit.runtime import ServiceParts


@dataclass
class Container:
    settings: FilingSettings
    db: Database
    verifier: JwksVerifier
    identity: IdentityAccounts
    enterprises: Enterprises
    records: Records
    reviews: Reviews
    changes: Changes
    printer: FormPrinter
    members: Members


def build_container(settings: FilingSettings) -> Container:
    vault.configure(dev=settings.is_dev)  # production: the data key files must be there
    db = Database(make_engine(settings.database_url, settings.database_pool_size))
    identity = IdentityAccounts(settings.identity_grpc_target, settings.grpc_deadline_seconds)
    verifier = JwksVerifier(settings.jwks_url, settings.jwt_issuer, settings.jwt_audience)
    printer = FormPrinter(
        settings.documents_grpc_target, settings.grpc_deadline_seconds, settings.authority_name
    )
    return Container(
        settings,
        db,
        verifier,
        identity,
        Enterprises(identity, settings),
        Records(settings, identity, printer),
        Reviews(settings),
        Changes(settings),
        printer,
        Members(),
    )


def build_parts(container: Container) -> ServiceParts:
    settings = container.settings

    return ServiceParts(
        name="filing",
        settings=settings,
        db=container.db,
        verifier=container.verifier,
        outbox=outbox,
        inbox=inbox,
        handlers=HANDLERS,
        register_grpc=register(container.db, container.enterprises),
        schema=build_schema(dev=settings.is_dev),
        context=lambda: FilingContext(container),
        on_stop=[container.identity.close, container.printer.close],
    )
