from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import grpc
import httpx
import pytest

from contracts.gen.identity.v1 import accounts_pb2 as pb
from contracts.gen.identity.v1 import accounts_pb2_grpc as pb_grpc
from devstack.doubles import DocumentsDouble
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


@pytest.fixture(scope="session")
async def documents_double() -> AsyncIterator[tuple[DocumentsDouble, int]]:
    servicer = DocumentsDouble()
    await servicer.start()
    yield servicer, servicer.port
    await servicer.stop()


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
