from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import httpx
import pytest

from contracts.gen.filing.v1 import enterprises_pb2 as pb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as pb_grpc
from devstack.doubles import DocumentsDouble, ServedDouble
from devstack.infra import Broker, Postgres, free_port
from devstack.testing import TestIssuer, migrated_database, running
from personnel.app import create_app
from personnel.config import PersonnelSettings
from servicekit.settings import KafkaSettings


class FilingDouble(ServedDouble, pb_grpc.EnterprisesServicer):
    """Filing's `Enterprises` service as a real grpc.aio server on a loopback port: the
    enterprises it knows are the ones a test adds."""

    def __init__(self) -> None:
        self.by_account: dict[str, pb.Enterprise] = {}

    def add_to(self, server: grpc.aio.Server) -> None:
        pb_grpc.add_EnterprisesServicer_to_server(self, server)

    async def GetEnterprise(
        self, request: pb.GetEnterpriseRequest, context: grpc.aio.ServicerContext
    ) -> pb.Enterprise:
        if request.WhichOneof("by") == "account_id":
            found = self.by_account.get(request.account_id)
        else:
            found = next(
                (e for e in self.by_account.values() if e.id == request.enterprise_id), None
            )
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such enterprise")
        assert found is not None
        return found

    def add(self, account_id: str, *, filed: bool) -> str:
        enterprise_id = str(uuid.uuid4())
        status = pb.ENTERPRISE_STATUS_FILED if filed else pb.ENTERPRISE_STATUS_UNFILED
        self.by_account[account_id] = pb.Enterprise(
            id=enterprise_id,
            name="青岛测试有限公司",
            uscc="91350100M000100Y43",
            district="370202",
            status=status,
            address="山东省青岛市市南区香港中路10号",
            phone="0532-85901234",
            legal_representative="王法人",
            contact_person="李联络",
            contact_phone="13912345678",
            member_account_ids=[account_id],
        )
        return enterprise_id

    def add_member(self, account_id: str, enterprise_id: str) -> None:
        """Another account acting for the enterprise (an HR user beside the liaison)."""
        enterprise = next(e for e in self.by_account.values() if e.id == enterprise_id)
        enterprise.member_account_ids.append(account_id)
        self.by_account[account_id] = enterprise


@dataclass(frozen=True)
class Tenant:
    """An enterprise user (account) and the enterprise filing says it acts for."""

    account_id: str
    enterprise_id: str | None
    token: str


class Tenants:
    def __init__(self, filing: FilingDouble, issuer: TestIssuer) -> None:
        self.filing = filing
        self.issuer = issuer

    def new(self, *, filed: bool = True, has_enterprise: bool = True) -> Tenant:
        account_id = str(uuid.uuid4())
        enterprise_id = self.filing.add(account_id, filed=filed) if has_enterprise else None
        return Tenant(account_id, enterprise_id, self.issuer.token(account_id, ["ENTERPRISE_USER"]))

    def officer(self, role: str = "CITY_OFFICER") -> str:
        return self.issuer.token(str(uuid.uuid4()), [role])

    def member_of(self, tenant: Tenant) -> Tenant:
        """A second account of the same enterprise (e.g. an HR user)."""
        assert tenant.enterprise_id is not None
        account_id = str(uuid.uuid4())
        self.filing.add_member(account_id, tenant.enterprise_id)
        token = self.issuer.token(account_id, ["ENTERPRISE_USER"])
        return Tenant(account_id, tenant.enterprise_id, token)


@pytest.fixture(scope="session")
async def filing() -> AsyncIterator[FilingDouble]:
    double = FilingDouble()
    await double.start()
    yield double
    await double.stop()


@pytest.fixture(scope="session")
async def documents() -> AsyncIterator[DocumentsDouble]:
    double = DocumentsDouble()
    await double.start()
    yield double
    await double.stop()


@pytest.fixture
async def spare_filing() -> AsyncIterator[FilingDouble]:
    """A filing double of the test's own, which it may stop."""
    double = FilingDouble()
    await double.start()
    yield double
    await double.stop()


@pytest.fixture(scope="session")
def tenants(filing: FilingDouble, issuer: TestIssuer) -> Tenants:
    return Tenants(filing, issuer)


@pytest.fixture(scope="session")
def personnel_settings(
    postgres: Postgres,
    broker: Broker,
    issuer: TestIssuer,
    filing: FilingDouble,
    documents: DocumentsDouble,
) -> PersonnelSettings:
    return PersonnelSettings(
        app_env="test",
        database_url=migrated_database(postgres, "personnel"),
        jwks_url=issuer.url,
        grpc_port=free_port(),
        filing_grpc_target=filing.target,
        documents_grpc_target=documents.target,
        kafka=KafkaSettings(bootstrap_servers=broker.bootstrap),
        outbox_poll_seconds=0.2,
        grpc_deadline_seconds=2.0,
    )


@pytest.fixture(scope="session")
async def personnel(personnel_settings: PersonnelSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(create_app(personnel_settings)) as client:
        yield client
