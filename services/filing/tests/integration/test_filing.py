"""saveFiling / myEnterprise against real PostgreSQL, broker and a real gRPC identity double."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import httpx
import pytest
from aiokafka import AIOKafkaProducer

import servicekit.rpc as rpc
from contracts.gen.filing.v1 import enterprises_pb2 as fpb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as fpb_grpc
from contracts.gen.identity.v1 import accounts_pb2 as pb
from devstack.infra import Broker
from devstack.testing import TestIssuer, error_code, graphql
from filing.config import FilingSettings
from servicekit.events import CloudEvent

SAVE = """mutation($input: FilingInput!) {
  saveFiling(input: $input) { id status revision recordType enterpriseId } }"""
MY_ENTERPRISE = """{ myEnterprise { id name uscc district status
  liaisons { name mobile account { id } } currentFiling { id status } } }"""

VALID_USCC = ["91350100M000100Y43", "91370200MA3C4XYZ1X"]


def uscc(seed: int) -> str:
    """A valid USCC built from a seed (check digit computed)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = f"913702{seed:011d}"[:17]
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + alphabet[(31 - total % 31) % 31]


@pytest.fixture
def new_user(issuer: TestIssuer, identity) -> Callable[..., tuple[str, str]]:  # type: ignore[no-untyped-def]
    def make(status: int = pb.ACCOUNT_STATUS_ACTIVE) -> tuple[str, str]:
        account_id = str(uuid.uuid4())
        identity.add(account_id, status=status)
        return account_id, issuer.token(account_id, ["ENTERPRISE_USER"])

    return make


def form(seed: int, **extra: object) -> dict[str, object]:
    return {
        "enterpriseName": "青岛示例科技有限公司",
        "uscc": uscc(seed),
        "district": "370202",
        **extra,
    }


async def test_approved_user_saves_a_draft_and_sees_it_as_my_enterprise(
    filing: httpx.AsyncClient, new_user: Callable[..., tuple[str, str]]
) -> None:
    _, token = new_user()
    assert (await graphql(filing, MY_ENTERPRISE, token=token))["data"]["myEnterprise"] is None
    body = await graphql(filing, SAVE, {"input": form(1001)}, token=token)
    saved = body["data"]["saveFiling"]
    assert saved["status"] == "DRAFT"
    assert saved["revision"] == 1
    assert saved["recordType"] == "NEW"
    again = await graphql(
        filing,
        SAVE,
        {"input": form(1001, enterpriseName="青岛示例二号有限公司", id=saved["id"])},
        token=token,
    )
    assert again["data"]["saveFiling"]["id"] == saved["id"]
    mine = (await graphql(filing, MY_ENTERPRISE, token=token))["data"]["myEnterprise"]
    assert mine["name"] == "青岛示例二号有限公司"
    assert mine["currentFiling"] == {"id": saved["id"], "status": "DRAFT"}
    assert mine["status"] == "UNFILED"


async def test_pending_account_cannot_file(
    filing: httpx.AsyncClient, new_user: Callable[..., tuple[str, str]]
) -> None:
    _, token = new_user(pb.ACCOUNT_STATUS_PENDING_APPROVAL)
    body = await graphql(filing, SAVE, {"input": form(1002)}, token=token)
    assert error_code(body) == "FORBIDDEN"


async def test_officer_cannot_file_for_an_enterprise(
    filing: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    token = issuer.token(str(uuid.uuid4()), ["BRANCH_OFFICER"])
    assert (
        error_code(await graphql(filing, SAVE, {"input": form(1003)}, token=token)) == "FORBIDDEN"
    )


async def test_another_enterprises_filing_id_is_not_found(
    filing: httpx.AsyncClient, new_user: Callable[..., tuple[str, str]]
) -> None:
    _, first = new_user()
    _, second = new_user()
    theirs = (await graphql(filing, SAVE, {"input": form(1004)}, token=first))["data"]["saveFiling"]
    await graphql(filing, SAVE, {"input": form(1005)}, token=second)
    body = await graphql(filing, SAVE, {"input": form(1005, id=theirs["id"])}, token=second)
    assert error_code(body) == "NOT_FOUND"


async def test_a_uscc_filed_by_another_account_conflicts(
    filing: httpx.AsyncClient, new_user: Callable[..., tuple[str, str]]
) -> None:
    _, first = new_user()
    _, second = new_user()
    assert "errors" not in await graphql(filing, SAVE, {"input": form(1006)}, token=first)
    assert (
        error_code(await graphql(filing, SAVE, {"input": form(1006)}, token=second)) == "CONFLICT"
    )


async def test_invalid_fields_are_reported_and_nothing_stored_is_lost(
    filing: httpx.AsyncClient, new_user: Callable[..., tuple[str, str]]
) -> None:
    _, token = new_user()
    await graphql(filing, SAVE, {"input": form(1007)}, token=token)
    body = await graphql(
        filing,
        SAVE,
        {"input": form(1007, uscc="91350100M000100Y44", district="37")},
        token=token,
        headers={"accept-language": "en"},
    )
    assert error_code(body) == "VALIDATION_FAILED"
    paths = {f["path"] for f in body["errors"][0]["extensions"]["fields"]}
    assert paths == {"uscc", "district"}
    mine = (await graphql(filing, MY_ENTERPRISE, token=token))["data"]["myEnterprise"]
    assert mine["uscc"] == uscc(1007)
    assert mine["district"] == "370202"


async def test_identity_too_slow_gives_a_clean_error(
    filing: httpx.AsyncClient,
    new_user: Callable[..., tuple[str, str]],
    identity,  # type: ignore[no-untyped-def]
) -> None:
    _, token = new_user()
    identity.delay_seconds = 2.0  # the client's deadline is 0.5 s
    body = await graphql(filing, SAVE, {"input": form(1008)}, token=token)
    assert error_code(body) == "INTERNAL"
    assert body["errors"][0]["message"] == "依赖的服务暂时不可用，请稍后再试"
    assert "Deadline" not in str(body)


async def test_liaison_is_linked_to_the_account_approved_by_identity(
    filing: httpx.AsyncClient,
    new_user: Callable[..., tuple[str, str]],
    broker: Broker,
    filing_settings: FilingSettings,
) -> None:
    account_id, token = new_user()
    approved = CloudEvent(
        type="identity.account.approved",
        source="/services/identity",
        subject=account_id,
        data={
            "accountId": account_id,
            "name": "张三",
            "phone": "13912345678",
            "email": None,
            "roles": ["ENTERPRISE_USER"],
            "status": "ACTIVE",
        },
    )
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(
            "identity.account.v1", approved.to_json(), key=account_id.encode()
        )
    finally:
        await producer.stop()
    liaison = {
        "name": "张三",
        "sex": "MALE",
        "idType": "RESIDENT_ID",
        "idNumber": "11010519491231002X",
        "mobile": "13912345678",
        "socialSecurityMonths": 6,
    }
    async with asyncio.timeout(15):  # the projection is fed by the event: slightly late is fine
        while True:
            await graphql(filing, SAVE, {"input": form(1009, liaisons=[liaison])}, token=token)
            mine = (await graphql(filing, MY_ENTERPRISE, token=token))["data"]["myEnterprise"]
            if mine["liaisons"][0]["account"]:
                break
            await asyncio.sleep(0.2)
    assert mine["liaisons"][0]["account"] == {"id": account_id}

    channel = rpc.channel(f"127.0.0.1:{filing_settings.grpc_port}")
    try:
        stub = fpb_grpc.EnterprisesStub(channel)
        reply = await stub.GetEnterprise(fpb.GetEnterpriseRequest(account_id=account_id), timeout=2)
        assert reply.id == mine["id"]
        assert reply.status == fpb.ENTERPRISE_STATUS_UNFILED
        liaisons = await stub.ListLiaisons(
            fpb.ListLiaisonsRequest(enterprise_id=reply.id), timeout=2
        )
        assert [item.account_id for item in liaisons.liaisons] == [account_id]
    finally:
        await channel.close()


async def test_grpc_server_reports_health_and_lists_its_services_by_reflection(
    filing: httpx.AsyncClient, filing_settings: FilingSettings
) -> None:
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    channel = rpc.channel(f"127.0.0.1:{filing_settings.grpc_port}")
    try:
        health = health_pb2_grpc.HealthStub(channel)
        reply = await health.Check(
            health_pb2.HealthCheckRequest(service="filing.v1.Enterprises"), timeout=2
        )
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        async for answer in reflection.ServerReflectionInfo(iter([request]), timeout=2):
            names = {s.name for s in answer.list_services_response.service}
            assert "filing.v1.Enterprises" in names
            break
    finally:
        await channel.close()


async def test_grpc_errors_map_to_status_codes(filing_settings: FilingSettings) -> None:
    import grpc

    channel = rpc.channel(f"127.0.0.1:{filing_settings.grpc_port}")
    try:
        stub = fpb_grpc.EnterprisesStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.GetEnterprise(
                fpb.GetEnterpriseRequest(enterprise_id=str(uuid.uuid4())), timeout=2
            )
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    finally:
        await channel.close()


async def test_an_imported_legacy_account_finds_a_pre_filled_draft_to_supplement(
    filing: httpx.AsyncClient, new_user: Callable[..., tuple[str, str]], broker: Broker
) -> None:
    account_id, token = new_user()
    imported = CloudEvent(
        type="identity.account.imported",
        source="/services/identity",
        subject=account_id,
        data={
            "accountId": account_id,
            "name": "赵老联络",
            "phone": "13811112222",
            "email": None,
            "roles": ["ENTERPRISE_USER"],
            "status": "ACTIVE",
            "enterpriseName": "青岛老牌外贸有限公司",
            "legacy": True,
        },
    )
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for _ in range(2):  # delivered twice: one draft
            await producer.send_and_wait(
                "identity.account.v1", imported.to_json(), key=account_id.encode()
            )
    finally:
        await producer.stop()
    query = "{ myEnterprise { name uscc isLegacy liaisons { name mobile account { id } } currentFiling { id status } } }"
    async with asyncio.timeout(15):
        while (mine := (await graphql(filing, query, token=token))["data"]["myEnterprise"]) is None:
            await asyncio.sleep(0.2)
    assert mine["name"] == "青岛老牌外贸有限公司" and mine["uscc"] is None and mine["isLegacy"]
    assert mine["liaisons"] == [
        {"name": "赵老联络", "mobile": "13811112222", "account": {"id": account_id}}
    ]
    draft = mine["currentFiling"]
    saved = await graphql(
        filing,
        SAVE,
        {"input": form(1010, id=draft["id"], enterpriseName="青岛老牌外贸有限公司")},
        token=token,
    )
    assert saved["data"]["saveFiling"]["id"] == draft["id"]
    assert (await graphql(filing, query, token=token))["data"]["myEnterprise"]["uscc"] == uscc(1010)
