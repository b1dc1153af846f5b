"""The one place where the documents service's adapters are wired."""

from __future__ import annotations

from dataclasses import dataclass

from documents.config import DocumentsSettings
from documents.db import outbox
from documents.generated.service import GeneratedDocuments
from documents.graphql.context import DocumentsContext
from documents.graphql.schema import build_schema
from documents.grpc.documents import register
from documents.storage import LocalStorage
from documents.verification.service import Verifications
from documents.verification.tokens import Signer
from documents.web.routes import mount_routes
from servicekit.auth import JwksVerifier
from servicekit.db import Database, make_engine
from servicekit.filing_client import FilingEnterprises
from servicekit.keys import load_or_create_key
from servicekit.outbox import Outbox
from servicekit.runtime import ServiceParts


@dataclass
class Container:
    settings: DocumentsSettings
    db: Database
    verifier: JwksVerifier
    enterprises: FilingEnterprises
    verifications: Verifications
    documents: GeneratedDocuments


def build_container(settings: DocumentsSettings) -> Container:
    db = Database(make_engine(settings.database_url, settings.database_pool_size))
    signer = Signer(load_or_create_key(settings.signing_key_file, create=settings.is_dev))
    verifications = Verifications(signer, max_token_length=settings.max_token_length)
    enterprises = FilingEnterprises(settings.filing_grpc_target, settings.grpc_deadline_seconds)
    documents = GeneratedDocuments(
        storage=LocalStorage(settings.storage_dir),
        verifications=verifications,
        enterprises=enterprises,
        outbox=Outbox(outbox, "/services/documents"),
        public_url=settings.public_url,
    )
    verifier = JwksVerifier(settings.jwks_url, settings.jwt_issuer, settings.jwt_audience)
    return Container(settings, db, verifier, enterprises, verifications, documents)


def build_parts(container: Container) -> ServiceParts:
    settings = container.settings

    async def register_signing_key() -> None:
        async with container.db.unit_of_work() as session:
            await container.verifications.register_active_key(session)

    return ServiceParts(
        name="documents",
        settings=settings,
        db=container.db,
        verifier=container.verifier,
        outbox=outbox,
        register_grpc=register(container.db, container.verifications),
        schema=build_schema(dev=settings.is_dev),
        context=lambda: DocumentsContext(container),
        routes=lambda app: mount_routes(app, container),
        on_start=[register_signing_key],
        on_stop=[container.enterprises.close],
    )
