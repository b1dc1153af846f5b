"""Personnel learns of approved enterprises from filing's events; until an event arrives it goes
by filing's gRPC answer."""

from __future__ import annotations

import asyncio

import httpx
from aiokafka import AIOKafkaProducer

from devstack.infra import Broker
from devstack.testing import error_code, graphql
from servicekit.events import CloudEvent

from ..conftest import Tenants
from .test_foreign_persons import REGISTER, person


async def publish(broker: Broker, event: CloudEvent) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(
            "filing.enterprise.v1", event.to_json(), key=event.subject.encode()
        )
    finally:
        await producer.stop()


def approved(enterprise_id: str) -> CloudEvent:
    return CloudEvent(
        type="filing.enterprise.approved",
        source="/services/filing",
        subject=enterprise_id,
        data={
            "filingId": enterprise_id,
            "enterpriseId": enterprise_id,
            "enterpriseName": "青岛投影测试有限公司",
            "uscc": "91350100M000100Y43",
            "district": "370202",
            "recordType": "NEW",
            "changeKind": None,
            "revision": 1,
            "status": "APPROVED",
            "accountIds": [],
            "occurredAt": "2026-11-25T10:00:00+08:00",
        },
    )


async def test_an_approval_event_opens_foreign_person_management(
    personnel: httpx.AsyncClient, tenants: Tenants, broker: Broker
) -> None:
    # filing's gRPC still says UNFILED (say, a replica that answered before the commit)
    tenant = tenants.new(filed=False)
    assert tenant.enterprise_id is not None
    refused = await graphql(personnel, REGISTER, {"input": person()}, token=tenant.token)
    assert error_code(refused) == "INVALID_STATE"
    await publish(broker, approved(tenant.enterprise_id))
    async with asyncio.timeout(20):
        while True:
            body = await graphql(personnel, REGISTER, {"input": person()}, token=tenant.token)
            if "errors" not in body:
                break
            assert error_code(body) == "INVALID_STATE"
            await asyncio.sleep(0.3)


async def test_without_an_event_filings_answer_is_the_fallback(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    tenant = tenants.new(filed=True)  # approved; its event has not arrived (never will here)
    body = await graphql(personnel, REGISTER, {"input": person()}, token=tenant.token)
    assert "errors" not in body, body
