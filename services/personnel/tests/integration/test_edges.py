"""Personnel's other edges: the event it publishes, its gRPC service, filing being down."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from typing import TYPE_CHECKING, Any

import grpc
import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from contracts.gen.personnel.v1 import people_pb2 as pb
from contracts.gen.personnel.v1 import people_pb2_grpc as pb_grpc
from devstack.infra import Broker, free_port
from devstack.testing import TestIssuer, error_code, graphql, running
from personnel.app import create_app
from personnel.config import PersonnelSettings

if TYPE_CHECKING:
    from conftest import FilingDouble, Tenants

REGISTER = """mutation($input: ForeignPersonInput!) {
  registerForeignPerson(input: $input) { id enterpriseId documentNumber } }"""


def person() -> dict[str, Any]:
    return {
        "surname": "Tanaka",
        "givenNames": "Yuki",
        "sex": "FEMALE",
        "birthDate": "1992-07-01",
        "nationality": "JPN",
        "documentType": "PASSPORT",
        "documentNumber": f"TK{random.randint(0, 9_999_999):07d}",
        "documentExpiry": "2031-12-31",
    }


async def test_registration_is_published_once_without_the_document_number(
    personnel: httpx.AsyncClient, tenants: Tenants, broker: Broker
) -> None:
    consumer = AIOKafkaConsumer(
        "personnel.person.v1",
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=20,
        group_id=f"test-{uuid.uuid4()}",
    )
    await consumer.start()
    try:
        owner = tenants.new()
        body = await graphql(personnel, REGISTER, {"input": person()}, token=owner.token)
        created = body["data"]["registerForeignPerson"]
        raw: list[bytes] = []
        async with asyncio.timeout(15):
            while not raw:
                batch = await consumer.getmany(timeout_ms=500)
                raw += [
                    r.value
                    for rs in batch.values()
                    for r in rs
                    if r.key == created["id"].encode() and r.value is not None
                ]
        for _ in range(3):  # a second copy would arrive right behind the first
            batch = await consumer.getmany(timeout_ms=300)
            raw += [
                r.value
                for rs in batch.values()
                for r in rs
                if r.key == created["id"].encode() and r.value is not None
            ]
        assert len(raw) == 1
        event = json.loads(raw[0])
        assert event["type"] == "personnel.person.registered"
        assert event["source"] == "/services/personnel"
        assert event["subject"] == created["id"]
        assert event["data"] == {
            "personId": created["id"],
            "enterpriseId": owner.enterprise_id,
            "nationality": "JPN",
            "documentType": "PASSPORT",
        }
        assert created["documentNumber"].encode() not in raw[0]
    finally:
        await consumer.stop()


async def test_grpc_serves_foreign_persons_and_a_persons_id_is_no_application(
    personnel: httpx.AsyncClient, tenants: Tenants, personnel_settings: PersonnelSettings
) -> None:
    owner = tenants.new()
    body = await graphql(personnel, REGISTER, {"input": person()}, token=owner.token)
    created = body["data"]["registerForeignPerson"]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{personnel_settings.grpc_port}") as channel:
        people = pb_grpc.PeopleStub(channel)
        reply = await people.GetForeignPerson(
            pb.GetForeignPersonRequest(person_id=created["id"]), timeout=5
        )
        assert reply == pb.ForeignPerson(
            id=created["id"],
            enterprise_id=owner.enterprise_id,
            surname="Tanaka",
            given_names="Yuki",
            nationality="JPN",
            document_type="PASSPORT",
            document_number=created["documentNumber"],
        )
        for missing in (str(uuid.uuid4()), "not-an-id"):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await people.GetForeignPerson(
                    pb.GetForeignPersonRequest(person_id=missing), timeout=5
                )
            assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await people.GetApplication(
                pb.GetApplicationRequest(application_id=created["id"]), timeout=5
            )
        assert (
            caught.value.code() == grpc.StatusCode.NOT_FOUND
        )  # applications: see test_applications


async def test_filing_unavailable_is_a_clean_internal_error(
    personnel_settings: PersonnelSettings, issuer: TestIssuer, spare_filing: FilingDouble
) -> None:
    filing = spare_filing
    account_id = str(uuid.uuid4())
    filing.add(account_id, filed=True)
    token = issuer.token(account_id, ["ENTERPRISE_USER"])
    settings = personnel_settings.model_copy(
        update={"filing_grpc_target": filing.target, "grpc_port": free_port()}
    )
    async with running(create_app(settings)) as client:
        query = "{ foreignPersons { totalCount } }"
        assert (await graphql(client, query, token=token))["data"] == {
            "foreignPersons": {"totalCount": 0}
        }
        await filing.stop()
        for operation, variables in ((query, None), (REGISTER, {"input": person()})):
            response = await client.post(
                "/graphql",
                json={"query": operation, "variables": variables or {}},
                headers={"authorization": f"Bearer {token}"},
            )
            body = response.json()
            assert error_code(body) == "INTERNAL"
            assert body["errors"][0]["message"] == "依赖的服务暂时不可用，请稍后再试"
            for leak in ("Traceback", "grpc", "127.0.0.1", "UNAVAILABLE"):
                assert leak not in response.text
