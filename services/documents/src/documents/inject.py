"""The one place where the documents service's adapters are wired."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from documents.attachments.links import DownloadLinks, key_from_signing_key
from documents.attachments.scanning import NoScanner
from documents.attachments.schemas import FileLimits
from documents.attachments.service import Attachments
from documents.config import DocumentsSettings
from documents.db import outbox
from documents.generated.service import GeneratedDocuments
from documents.graphql.context import DocumentsContext
from documents.graphql.schema import build_schema
from documents.grpc.documents import register
from documents.rendering.service import Renderer
from documents.storage import LocalStorage, Storage
from documents.storage_s3 import S3Storage
from documents.verification.service import Verifications
from documents.verification.tokens import Signer
from documents.web.attachments import mount_attachment_routes
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
    storage: Storage
    attachments: Attachments
    renderer: Renderer


def build_storage(settings: DocumentsSettings) -> Storage:
    if settings.storage_backend == "s3":
        secret = settings.s3_secret_access_key
        return S3Storage(
            bucket=settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
        )
    return LocalStorage(settings.storage_dir)


def build_attachments(
    settings: DocumentsSettings,
    storage: Storage,
    enterprises: FilingEnterprises,
    verifications: Verifications,
) -> Attachments:
    secret = settings.download_url_secret
    link_key = (
        secret.get_secret_value().encode()
        if secret
        else key_from_signing_key(load_or_create_key(settings.signing_key_file, create=False))
    )
    return Attachments(
        storage=storage,
        enterprises=enterprises,
        outbox=Outbox(outbox, "/services/documents"),
        scanner=NoScanner(),
        links=DownloadLinks(link_key, settings.public_url, settings.download_url_ttl_seconds),
        limits=FileLimits(
            max_bytes=settings.attachment_max_bytes,
            max_image_side=settings.attachment_max_image_side,
            max_image_pixels=settings.attachment_max_image_pixels,
            max_file_name_length=settings.attachment_max_file_name_length,
        ),
        verifications=verifications,
    )


def build_container(settings: DocumentsSettings) -> Container:
    db = Database(make_engine(settings.database_url, settings.database_pool_size))
    signer = Signer(load_or_create_key(settings.signing_key_file, create=settings.is_dev))
    verifications = Verifications(signer, max_token_length=settings.max_token_length)
    enterprises = FilingEnterprises(settings.filing_grpc_target, settings.grpc_deadline_seconds)
    storage = build_storage(settings)
    documents = GeneratedDocuments(
        storage=storage,
        verifications=verifications,
        enterprises=enterprises,
        outbox=Outbox(outbox, "/services/documents"),
        public_url=settings.public_url,
    )
    verifier = JwksVerifier(settings.jwks_url, settings.jwt_issuer, settings.jwt_audience)
    attachments = build_attachments(settings, storage, enterprises, verifications)
    renderer = Renderer(db, documents, ZoneInfo(settings.display_timezone))
    return Container(
        settings,
        db,
        verifier,
        enterprises,
        verifications,
        documents,
        storage,
        attachments,
        renderer,
    )


def build_parts(container: Container) -> ServiceParts:
    settings = container.settings

    async def register_signing_key() -> None:
        async with container.db.unit_of_work() as session:
            await container.verifications.register_active_key(session)

    def routes(app: FastAPI) -> None:
        mount_routes(app, container)
        mount_attachment_routes(app, container)

    return ServiceParts(
        name="documents",
        settings=settings,
        db=container.db,
        verifier=container.verifier,
        outbox=outbox,
        register_grpc=register(
            container.db,
            container.verifications,
            attachments=container.attachments,
            renderer=container.renderer,
        ),
        schema=build_schema(dev=settings.is_dev),
        context=lambda: DocumentsContext(container),
        routes=routes,
        on_start=[register_signing_key],
        on_stop=[container.enterprises.close, container.storage.close],
    )
