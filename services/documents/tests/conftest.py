from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import httpx
import pytest

from contracts.gen.filing.v1 import enterprises_pb2 as pb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as pb_grpc
from devstack.infra import Broker, Postgres, S3Server, free_port
from devstack.testing import TestIssuer, migrated_database, running
from documents.attachments.scanning import CLEAN, ScanResult
from documents.config import DocumentsSettings
from documents.generated.schemas import StoredDocument
from documents.inject import Container, build_container, build_parts
from servicekit.runtime import build_app
from servicekit.settings import KafkaSettings

PUBLIC_URL = "http://documents.test"
# What the scanner double flags (the marker of the EICAR anti-virus test file).
VIRUS_MARKER = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


class MarkerScanner:
    """Virus-scanner double: flags any file that contains the EICAR test marker."""

    def __init__(self) -> None:
        self.scanned = 0

    async def scan(self, content: bytes) -> ScanResult:
        self.scanned += 1
        if VIRUS_MARKER in content:
            return ScanResult(is_clean=False, threat="Eicar-Test-Signature")
        return CLEAN


class FilingDouble(pb_grpc.EnterprisesServicer):
    """filing.v1.Enterprises served over a real gRPC port: which enterprise an account acts for."""

    def __init__(self) -> None:
        self.enterprise_of: dict[str, pb.Enterprise] = {}

    def new_enterprise_user(self) -> tuple[str, str]:
        """(account id, enterprise id) of a liaison of a new, filed enterprise."""
        account_id, enterprise_id = str(uuid.uuid4()), str(uuid.uuid4())
        self.enterprise_of[account_id] = pb.Enterprise(
            id=enterprise_id,
            name="青岛测试有限公司",
            uscc="91350100M000100Y43",
            district="370202",
            status=pb.ENTERPRISE_STATUS_FILED,
        )
        return account_id, enterprise_id

    async def GetEnterprise(
        self, request: pb.GetEnterpriseRequest, context: grpc.aio.ServicerContext
    ) -> pb.Enterprise:
        found = self.enterprise_of.get(request.account_id)
        if request.WhichOneof("by") != "account_id" or found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no enterprise")
        assert found is not None
        return found


@pytest.fixture(scope="session")
async def filing() -> AsyncIterator[tuple[FilingDouble, str]]:
    double = FilingDouble()
    server = grpc.aio.server()
    pb_grpc.add_EnterprisesServicer_to_server(double, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield double, f"127.0.0.1:{port}"
    await server.stop(grace=0)


@pytest.fixture(scope="session")
def documents_settings(
    postgres: Postgres,
    broker: Broker,
    issuer: TestIssuer,
    test_var: Path,
    filing: tuple[FilingDouble, str],
) -> DocumentsSettings:
    run = uuid.uuid4().hex[:8]
    return DocumentsSettings(
        app_env="test",
        database_url=migrated_database(postgres, "documents"),
        jwks_url=issuer.url,
        grpc_port=free_port(),
        signing_key_file=test_var / f"documents-signing-{run}.pem",
        storage_dir=test_var / f"documents-files-{run}",
        public_url=PUBLIC_URL,
        filing_grpc_target=filing[1],
        kafka=KafkaSettings(bootstrap_servers=broker.bootstrap),
        outbox_poll_seconds=0.2,
    )


@dataclass
class Service:
    client: httpx.AsyncClient
    container: Container
    settings: DocumentsSettings
    filing: FilingDouble

    async def store(
        self,
        *,
        kind: str = "FILING_APPLICATION_FORM",
        subject_id: str | None = None,
        revision: int = 1,
        owner: str | None = None,
        content: bytes | None = None,
    ) -> StoredDocument:
        container = self.container
        async with container.db.unit_of_work() as session:
            return await container.documents.store_generated(
                session,
                kind,
                subject_id or str(uuid.uuid4()),
                revision,
                "涉外单位备案登记表",
                content or self.pdf(),
                owner,
            )

    @staticmethod
    def pdf(text: str | None = None) -> bytes:
        """Bytes that pass for a PDF here; every call gives different content."""
        return f"%PDF-1.7\n% {text or uuid.uuid4()}\n%%EOF\n".encode()


@pytest.fixture(scope="session")
async def documents(
    documents_settings: DocumentsSettings, filing: tuple[FilingDouble, str]
) -> AsyncIterator[Service]:
    container = build_container(documents_settings)
    container.attachments.scanner = MarkerScanner()
    app = build_app(build_parts(container))
    async with running(app) as client:
        yield Service(client, container, documents_settings, filing[0])


@pytest.fixture(scope="session")
def s3_endpoint(test_var: Path) -> Iterator[str]:
    """A real S3 API server process (moto in server mode) on a free loopback port."""
    server = S3Server(test_var / "moto-s3.log")
    server.start()
    try:
        yield server.endpoint
    finally:
        server.stop()
