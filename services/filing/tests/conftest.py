from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import grpc
import httpx
import pytest

from contracts.gen.documents.v1 import documents_pb2 as dpb
from contracts.gen.documents.v1 import documents_pb2_grpc as dpb_grpc
from contracts.gen.identity.v1 import accounts_pb2 as pb
from contracts.gen.identity.v1 import accounts_pb2_grpc as pb_grpc
from devstack.infra import Broker, Postgres, free_port
from devstack.testing import TestIssuer, migrated_database, running
from filing.app import create_app
from filing.config import FilingSettings
from servicekit.db import Database, make_engine
from servicekit.settings import KafkaSettings


class IdentityDouble(pb_grpc.AccountsServicer):
    """A real gRPC server standing in for identity: answers from `accounts`, or stalls."""

    def __init__(self) -> None:
        self.accounts: dict[str, pb.Account] = {}
        self.delay_seconds = 0.0

    def add(
        self,
        account_id: str,
        *,
        status: int = pb.ACCOUNT_STATUS_ACTIVE,
        phone: str = "13900000000",
        exam_passed: bool = False,
    ) -> None:
        self.accounts[account_id] = pb.Account(
            id=account_id,
            name="张三",
            phone=phone,
            status=status,
            roles=["ENTERPRISE_USER"],
            exam_passed=exam_passed,
        )

    def pass_exam(self, account_id: str, passed: bool = True) -> None:
        self.accounts[account_id].exam_passed = passed

    async def GetAccount(
        self, request: pb.GetAccountRequest, context: grpc.aio.ServicerContext
    ) -> pb.Account:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if request.account_id not in self.accounts:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such account")
        return self.accounts[request.account_id]


class DocumentsDouble(dpb_grpc.DocumentsServicer):
    """A real gRPC server standing in for documents: `Render` answers one document per
    kind/subject/revision (as documents does) and keeps every request; `GetAttachment` answers
    from `attachments`, which a test fills with what documents would know of an upload."""

    def __init__(self) -> None:
        self.documents: dict[tuple[str, str, int], dpb.Document] = {}
        self.requests: list[dpb.RenderRequest] = []
        self.attachments: dict[str, dpb.Attachment] = {}

    async def Render(
        self, request: dpb.RenderRequest, context: grpc.aio.ServicerContext
    ) -> dpb.Document:
        self.requests.append(request)
        key = (request.kind, request.subject_id, request.revision)
        if key not in self.documents:
            self.documents[key] = dpb.Document(
                id=str(uuid.uuid4()), kind=request.kind, revision=request.revision
            )
        return self.documents[key]

    async def GetAttachment(
        self, request: dpb.GetAttachmentRequest, context: grpc.aio.ServicerContext
    ) -> dpb.Attachment:
        if request.attachment_id not in self.attachments:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such attachment")
        return self.attachments[request.attachment_id]

    def upload(
        self,
        kind: str,
        *,
        enterprise_id: str = "",
        account_id: str = "",
        printed: tuple[str, str, int] | None = None,
        file_name: str | None = None,
    ) -> str:
        """An uploaded file as documents records it; `printed` is the (kind, subject, revision)
        read from the QR code of a printed form. Returns its id."""
        attachment_id = str(uuid.uuid4())
        printed_kind, subject, revision = printed or ("", "", 0)
        self.attachments[attachment_id] = dpb.Attachment(
            id=attachment_id,
            kind=kind,
            file_name=file_name or f"{kind.lower()}.pdf",
            content_type="application/pdf",
            size=1024,
            sha256="0" * 64,
            owner_enterprise_id=enterprise_id,
            owner_account_id=account_id,
            printed_kind=printed_kind,
            printed_subject_id=subject,
            printed_revision=revision,
            uploaded_by=account_id,
        )
        return attachment_id

    def rendered(self, subject_id: str, kind: str | None = None) -> list[dpb.RenderRequest]:
        return [
            r
            for r in self.requests
            if r.subject_id == subject_id and (kind is None or r.kind == kind)
        ]


@pytest.fixture(scope="session")
async def documents_double() -> AsyncIterator[tuple[DocumentsDouble, int]]:
    servicer = DocumentsDouble()
    server = grpc.aio.server()
    dpb_grpc.add_DocumentsServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield servicer, port
    await server.stop(None)


@pytest.fixture
def documents(documents_double: tuple[DocumentsDouble, int]) -> DocumentsDouble:
    return documents_double[0]


@pytest.fixture(scope="session")
async def identity_double() -> AsyncIterator[tuple[IdentityDouble, int]]:
    servicer = IdentityDouble()
    server = grpc.aio.server()
    pb_grpc.add_AccountsServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield servicer, port
    await server.stop(None)


@pytest.fixture(scope="session")
def filing_settings(
    postgres: Postgres,
    broker: Broker,
    issuer: TestIssuer,
    identity_double: tuple[IdentityDouble, int],
    documents_double: tuple[DocumentsDouble, int],
) -> FilingSettings:
    return FilingSettings(
        app_env="test",
        database_url=migrated_database(postgres, "filing"),
        jwks_url=issuer.url,
        grpc_port=free_port(),
        identity_grpc_target=f"127.0.0.1:{identity_double[1]}",
        documents_grpc_target=f"127.0.0.1:{documents_double[1]}",
        grpc_deadline_seconds=0.5,
        kafka=KafkaSettings(bootstrap_servers=broker.bootstrap),
        outbox_poll_seconds=0.2,
    )


@pytest.fixture(scope="session")
async def filing(filing_settings: FilingSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(create_app(filing_settings)) as client:
        yield client


@pytest.fixture(scope="session")
async def filing_db(filing_settings: FilingSettings) -> AsyncIterator[Database]:
    """The filing database, for what a test arranges or checks behind the API's back."""
    db = Database(make_engine(filing_settings.database_url, 2))
    yield db
    await db.dispose()


@pytest.fixture
def identity(identity_double: tuple[IdentityDouble, int]) -> Iterator[IdentityDouble]:
    servicer = identity_double[0]
    yield servicer
    servicer.delay_seconds = 0.0
